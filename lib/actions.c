/* actions.c — an alert's action window: which action rule of the deadline table fits the event
 * and the subscriber's part in it, and the window that rule gives counted from the event's own
 * dates (seawall/actions.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/actions.h"
#include "seawall/date.h"
#include "seawall/deadlines.h"
#include "seawall/i18n.h"
#include "seawall/zone.h"

#define DAY_MS 86400000LL

/* 1 when list (an array of strings) holds v. */
static int in_list(const json_t *list, const char *v)
{
    const json_t *x;
    size_t i;

    json_array_foreach(list, i, x)
        if (json_is_string(x) && strcmp(json_string_value(x), v) == 0)
            return 1;
    return 0;
}

/* The first action rule for an event of type in country that one of reasons made. With
 * designation (a Madrid event's designated party), only a rule whose "designated" names it or
 * "*" (or that has none); without, only a rule for any designation ("designated" absent or
 * with "*"). */
static const json_t *find_rule(const struct sw_deadlines *d, const char *type,
                               const char *country, const char *const *reasons, size_t n,
                               const char *designation)
{
    const json_t *r;
    size_t i, k;

    json_array_foreach(json_object_get(sw_deadlines_doc(d), "actions"), i, r) {
        const json_t *des = json_object_get(r, "designated");
        int why = 0;

        if (!in_list(json_object_get(r, "events"), type) ||
            !sw_deadline_country_fits(d, json_object_get(r, "countries"), country))
            continue;
        for (k = 0; k < n && !why; k++)
            why = reasons[k] != NULL && in_list(json_object_get(r, "reasons"), reasons[k]);
        if (!why)
            continue;
        if (des != NULL && !in_list(des, "*") &&
            (designation == NULL || !in_list(des, designation)))
            continue;
        return r;
    }
    return NULL;
}

/* What the action says of its rule: id, text, source and, when the table gives one, url. */
static json_t *rule_json(const json_t *r)
{
    json_t *out = json_pack("{s:O, s:O, s:O}", "id", json_object_get(r, "id"), "text",
                            json_object_get(r, "text"), "source", json_object_get(r, "source"));

    if (out != NULL && json_is_string(json_object_get(r, "url")))
        json_object_set(out, "url", json_object_get(r, "url"));
    return out;
}

/* Why a window cannot be given: the date the rule counts from is not in the record. */
static const char *unknown_why(const char *from)
{
    if (strcmp(from, "published") == 0)
        return SW_N("the publication date is not in the record");
    if (strcmp(from, "notified") == 0)
        return SW_N("the date of notification is not in the record");
    return SW_N("the date of service is not in the record");
}

/* The local date of instant ms in zone as YYYY-MM-DD (out >= 11). */
static void local_day(const char *zone, int64_t ms, char *out, size_t outlen)
{
    int64_t day;
    int y, m, dd;

    if (sw_zone_day(zone, ms, &day) != SW_OK)
        day = ms >= 0 ? ms / DAY_MS : -((-ms + DAY_MS - 1) / DAY_MS);
    sw_civil_from_days(day, &y, &m, &dd);
    snprintf(out, outlen, "%04d-%02d-%02d", y, m, dd);
}

/* The window of rule r for country counted from text: when it opens and closes. SW_OK, or
 * SW_INVALID for a date that cannot be read. */
static int window(const struct sw_deadlines *d, const json_t *r, const char *country,
                  const char *text, int64_t *opens, int64_t *closes)
{
    if (sw_deadline_when_in(sw_deadline_rule_zone(d, r, country), text, 0, opens) != SW_OK)
        return SW_INVALID;
    *closes = sw_deadline_due(d, r, country, *opens);
    return SW_OK;
}

/* The members every action ends with: extendable (and how) and its rule (rule_member, stolen:
 * the event's own when it gave one; NULL: r's). */
static void tail(json_t *a, const json_t *r, json_t *rule_member)
{
    json_object_set(a, "extendable", json_object_get(r, "extendable"));
    if (json_is_string(json_object_get(r, "extension")))
        json_object_set(a, "extension", json_object_get(r, "extension"));
    json_object_set_new(a, "rule", rule_member != NULL ? rule_member : rule_json(r));
}

/* An action of r's kind whose window cannot be given: why, then its rule. */
static json_t *unknown(const json_t *r)
{
    json_t *a = json_pack("{s:O, s:s}", "kind", json_object_get(r, "kind"), "unknown",
                          unknown_why(json_string_value(json_object_get(r, "from"))));

    if (a != NULL)
        tail(a, r, NULL);
    return a;
}

/* An action of r's kind with its window: opens, closes, the last day in zone, the zone, and
 * the date it counts from (from: which of the event's dates, text: as the event gives it). */
static json_t *dated(const json_t *r, const char *zone, const char *from, const char *text,
                     int64_t opens, int64_t closes)
{
    char o[32], c[32], day[16];
    json_t *a;

    local_day(zone, closes, day, sizeof(day));
    a = json_pack("{s:O, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "kind", json_object_get(r, "kind"),
                  "opens", sw_iso8601(opens, o, sizeof(o)), "closes",
                  sw_iso8601(closes, c, sizeof(c)), "last_day", day, "zone", zone, "from",
                  "what", from, "date", text);
    return a;
}

/* A Madrid event that names its designated parties: each one's refusal period (its rule: 12
 * months, or 18 where the party declared so); the action's own window is the one that closes
 * first. NULL when no designation has a rule; an unknown action when the date they count from
 * is not in the record. */
static json_t *designations(const struct sw_deadlines *d, const json_t *event, const char *type,
                            const char *const *reasons, size_t n, int64_t *closes_ms)
{
    const json_t *v, *best = NULL;
    json_t *list = json_array(), *a;
    const char *text = NULL, *best_code = NULL;
    int64_t best_open = 0, best_close = 0;
    size_t i;

    json_array_foreach(json_object_get(event, "designations"), i, v) {
        const char *code = json_string_value(v);
        const json_t *r;
        int64_t opens, closes;
        char when[32], day[16];

        if (code == NULL || json_array_size(list) >= SW_ACTION_DESIGNATIONS_MAX)
            continue;
        r = find_rule(d, type, "WO", reasons, n, code);
        if (r == NULL)
            continue;
        text = json_string_value(json_object_get(event,
                                                 json_string_value(json_object_get(r, "from"))));
        if (text == NULL || window(d, r, code, text, &opens, &closes) != SW_OK) {
            json_decref(list);   /* one date for all: without it no designation has a window */
            return unknown(r);
        }
        local_day(sw_deadline_rule_zone(d, r, code), closes, day, sizeof(day));
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:O}", "country", code, "closes",
                                              sw_iso8601(closes, when, sizeof(when)),
                                              "last_day", day, "rule",
                                              json_object_get(r, "id")));
        if (best == NULL || closes < best_close) {
            best = r;
            best_code = code;
            best_open = opens;
            best_close = closes;
        }
    }
    if (best == NULL) {
        json_decref(list);
        return NULL;
    }
    text = json_string_value(json_object_get(event,
                                             json_string_value(json_object_get(best, "from"))));
    a = dated(best, sw_deadline_rule_zone(d, best, best_code),
              json_string_value(json_object_get(best, "from")), text, best_open, best_close);
    if (a == NULL) {
        json_decref(list);
        return NULL;
    }
    tail(a, best, NULL);
    json_object_set_new(a, "designations", list);
    *closes_ms = best_close;
    return a;
}

json_t *sw_action_for(const struct sw_deadlines *d, const json_t *event,
                      const char *const *reasons, size_t nreasons, int64_t *closes_ms)
{
    const char *type = json_string_value(json_object_get(event, "type"));
    const char *country = json_string_value(json_object_get(event, "jurisdiction"));
    const json_t *r, *own = json_object_get(event, "deadline");
    const char *from, *text, *zone;
    int64_t opens = 0, closes = 0;
    json_t *a;

    *closes_ms = 0;
    if (d == NULL || type == NULL || nreasons == 0)
        return NULL;
    if (country == NULL)
        country = "";
    if (strcmp(country, "WO") == 0 && json_array_size(json_object_get(event, "designations")) > 0 &&
        (a = designations(d, event, type, reasons, nreasons, closes_ms)) != NULL)
        return a;
    r = find_rule(d, type, country, reasons, nreasons, NULL);
    if (r == NULL)
        return NULL;
    from = json_string_value(json_object_get(r, "from"));
    text = json_string_value(json_object_get(event, from));
    zone = sw_deadline_rule_zone(d, r, country);
    /* The event's maker counted the window itself (a fair's own answer period): take it. */
    if (json_is_object(own) &&
        sw_date_ms(json_string_value(json_object_get(own, "at")) ?: "", &closes) == SW_OK &&
        json_is_object(json_object_get(own, "rule"))) {
        const json_t *orule = json_object_get(own, "rule");
        json_t *rm = json_object();

        if (json_is_string(json_object_get(orule, "id")))
            json_object_set(rm, "id", json_object_get(orule, "id"));
        if (json_is_string(json_object_get(orule, "text")))
            json_object_set(rm, "text", json_object_get(orule, "text"));
        /* Where the event's rule names no source, the table rule's says what allows it. */
        json_object_set(rm, "source", json_is_string(json_object_get(orule, "source"))
                                          ? json_object_get(orule, "source")
                                          : json_object_get(r, "source"));
        if (text == NULL || sw_deadline_when_in(zone, text, 0, &opens) != SW_OK ||
            opens > closes) {
            from = "deadline";   /* the record gives the end alone */
            text = json_string_value(json_object_get(own, "at"));
            opens = closes;
        }
        a = dated(r, zone, from, text, opens, closes);
        if (a == NULL) {
            json_decref(rm);
            return NULL;
        }
        tail(a, r, rm);
        *closes_ms = closes;
        return a;
    }
    if (text == NULL || window(d, r, country, text, &opens, &closes) != SW_OK)
        return unknown(r);
    if ((a = dated(r, zone, from, text, opens, closes)) == NULL)
        return NULL;
    tail(a, r, NULL);
    if (strcmp(country, "WO") == 0)
        json_object_set_new(a, "note", json_string(SW_N("the record names no designated office: "
                                                        "the period shown is the shortest the "
                                                        "Madrid Protocol allows")));
    *closes_ms = closes;
    return a;
}
