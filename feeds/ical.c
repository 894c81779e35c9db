/* ical.c — iCalendar (RFC 5545) through libical into show_event events: one per VEVENT, and
 * for a recurring one also each occurrence in the three years after its first start (at most
 * 50). libical does the unfolding, TZID resolution, all-day dates and RRULE expansion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "internal.h"

#define MAX_OCCURRENCES 50

/* "YYYY-MM-DD" for a date, UTC "YYYY-MM-DDTHH:MM:SSZ" for a date-time (floating times are
 * taken as UTC; times with a TZID are converted through their VTIMEZONE). */
static void ical_iso(struct icaltimetype t, char *out, size_t outlen)
{
    if (icaltime_is_null_time(t)) {
        out[0] = '\0';
        return;
    }
    if (t.is_date) {
        snprintf(out, outlen, "%04d-%02d-%02d", t.year, t.month, t.day);
        return;
    }
    if (t.zone != NULL)
        t = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
    snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour,
             t.minute, t.second);
}

/* "YYYY-MM-DD": the calendar day t names where the event happens — the date as written, in its
 * TZID's wall clock (no conversion: a fair that opens at 07:00 in Shanghai opens on that day,
 * though it is still the day before in UTC); the UTC date for a UTC time. "" for none. */
static void ical_day(struct icaltimetype t, char *out, size_t outlen)
{
    if (icaltime_is_null_time(t)) {
        out[0] = '\0';
        return;
    }
    snprintf(out, outlen, "%04d-%02d-%02d", t.year, t.month, t.day);
}

static void one_event(struct sw_fctx *c, icalcomponent *ve, struct icaltimetype start,
                      struct icaltimetype end, const char *uid, int occurrence)
{
    const char *summary = icalcomponent_get_summary(ve);
    const char *location = icalcomponent_get_location(ve);
    const char *desc = icalcomponent_get_description(ve);
    icalproperty *urlp = icalcomponent_get_first_property(ve, ICAL_URL_PROPERTY);
    char s[32], e[32], sday[16], eday[16], key[1200];
    json_t *ev = sw_ev_new(c, "show_event");

    ical_iso(start, s, sizeof(s));
    ical_iso(end, e, sizeof(e));
    ical_day(start, sday, sizeof(sday));
    ical_day(end, eday, sizeof(eday));
    sw_ev_str(ev, "title", summary, SW_FEED_FIELD_MAX);
    if (urlp != NULL)
        sw_ev_str(ev, "url", icalproperty_get_url(urlp), SW_FEED_FIELD_MAX);
    if (s[0] != '\0')
        json_object_set_new(ev, "date", json_string(s));
    if (e[0] != '\0')
        json_object_set_new(ev, "end", json_string(e));
    if (sday[0] != '\0' && s[0] != '\0')
        json_object_set_new(ev, "local_date", json_string(sday));
    if (eday[0] != '\0' && e[0] != '\0')
        json_object_set_new(ev, "local_end", json_string(eday));
    sw_ev_str(ev, "location", location, SW_FEED_FIELD_MAX);
    sw_ev_str(ev, "text", desc, SW_FEED_TEXT_MAX);
    sw_ev_str(ev, "show", uid, 256);
    if (occurrence)
        json_object_set_new(ev, "recurrence", json_true());
    snprintf(key, sizeof(key), "%.1000s|%s", uid, occurrence ? s : "");
    sw_ev_emit(c, ev, "ical", key);
}

static void vevent(struct sw_fctx *c, icalcomponent *ve)
{
    struct icaltimetype start = icalcomponent_get_dtstart(ve);
    struct icaltimetype end = icalcomponent_get_dtend(ve);
    const char *uid = icalcomponent_get_uid(ve);
    icalproperty *rr = icalcomponent_get_first_property(ve, ICAL_RRULE_PROPERTY);
    char fallback[128];

    c->res->records++;
    if (uid == NULL || uid[0] == '\0') {
        const char *summary = icalcomponent_get_summary(ve);

        snprintf(fallback, sizeof(fallback), "%.80s@%04d%02d%02d", summary ? summary : "event",
                 start.year, start.month, start.day);
        uid = fallback;
    }
    if (icaltime_is_null_time(start))
        sw_feed_warn(c, "event \"%.60s\" has no readable DTSTART", uid);
    one_event(c, ve, start, end, uid, 0);
    if (rr != NULL && !icaltime_is_null_time(start)) {
        struct icalrecurrencetype rule = icalproperty_get_rrule(rr);
        icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
        struct icaldurationtype len = icaltime_subtract(end, start);
        struct icaltimetype limit = start, t;
        int n = 0;

        limit.year += 3;
        if (it == NULL)
            return;
        for (t = icalrecur_iterator_next(it); !icaltime_is_null_time(t) && n < MAX_OCCURRENCES &&
                                              icaltime_compare(t, limit) < 0 && !c->stop;
             t = icalrecur_iterator_next(it)) {
            if (icaltime_compare(t, start) == 0)
                continue;
            t.zone = start.zone;
            one_event(c, ve, t, icaltime_is_null_time(end) ? end : icaltime_add(t, len), uid, 1);
            n++;
        }
        icalrecur_iterator_free(it);
    }
}

int sw_feed_ical(struct sw_fctx *c, const char *buf, size_t len)
{
    char *text = strndup(buf, len);
    icalcomponent *root, *k;

    if (text == NULL)
        return SW_ERR;
    if (strlen(text) != len) {
        free(text);
        snprintf(c->res->err, sizeof(c->res->err), "the calendar contains NUL bytes");
        return SW_INVALID;
    }
    icalerror_set_errors_are_fatal(0);
    root = icalparser_parse_string(text);
    free(text);
    if (root == NULL) {
        snprintf(c->res->err, sizeof(c->res->err), "not an iCalendar document");
        return SW_INVALID;
    }
    if (icalcomponent_isa(root) == ICAL_VEVENT_COMPONENT) {
        vevent(c, root);
    } else {
        for (k = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
             k != NULL && !c->stop; k = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT))
            vevent(c, k);
    }
    icalcomponent_free(root);
    if (c->res->records == 0) {
        snprintf(c->res->err, sizeof(c->res->err), "the calendar holds no VEVENT");
        return SW_INVALID;
    }
    return c->stop == 2 ? SW_TOOBIG : SW_OK;
}
