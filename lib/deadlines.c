/* deadlines.c — the legal deadline table: loading and checking it, choosing a rule, and
 * counting its period over calendars of weekends and holidays. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/date.h"
#include "seawall/deadlines.h"
#include "seawall/zone.h"

#define DAY_MS 86400000LL

struct sw_deadlines {
    json_t *doc;
};

const char *const sw_action_kinds[] = { "opposition", "madrid_refusal", "answer",
                                        "customs_detention", "fair_answer", NULL };
const char *const sw_action_froms[] = { "published", "notified", "served", NULL };
const char *const sw_case_deadline_kinds[] = { "answer", "tro_expiry", "pi_hearing", "opposition",
                                               "counter_statement", "enforcement",
                                               "customs_detention", "fair_answer", "other",
                                               NULL };
const char *const sw_case_deadline_froms[] = { "served", "entered", "published", "notified",
                                               "hearing", NULL };
static const char *const exporter_roles[] = { "opposer", "opposed", NULL };

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int parse_day(const char *s, int64_t *day)
{
    int y, m, d;
    char tail;

    if (s == NULL || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(s) != 10 ||
        m < 1 || m > 12 || d < 1 || d > sw_month_days(y, m))
        return SW_INVALID;
    *day = sw_days_from_civil(y, m, d);
    return SW_OK;
}

/* The calendar of country (its own, else "default"); *name (may be NULL) gets its name. */
static const json_t *calendar_named(const struct sw_deadlines *d, const char *country,
                                    const char **name)
{
    const json_t *cals = json_object_get(d->doc, "calendars"), *c = NULL;

    if (country != NULL)
        c = json_object_get(cals, country);
    if (name != NULL)
        *name = c != NULL ? country : "default";
    return c != NULL ? c : json_object_get(cals, "default");
}

static const json_t *calendar(const struct sw_deadlines *d, const char *country)
{
    return calendar_named(d, country, NULL);
}

/* The calendar a rule counts working days and rolls on: the one it names ("calendar": an
 * office's own, such as the EUIPO's), else the country's. */
static const json_t *rule_calendar_named(const struct sw_deadlines *d, const json_t *rule,
                                         const char *country, const char **cname)
{
    const char *name = json_string_value(json_object_get(rule, "calendar"));
    const json_t *c = name != NULL ? json_object_get(json_object_get(d->doc, "calendars"), name)
                                   : NULL;

    if (c != NULL && cname != NULL)
        *cname = name;
    return c != NULL ? c : calendar_named(d, country, cname);
}

static const json_t *rule_calendar(const struct sw_deadlines *d, const json_t *rule,
                                   const char *country)
{
    return rule_calendar_named(d, rule, country, NULL);
}

const char *sw_deadline_zone(const struct sw_deadlines *d, const char *country)
{
    const char *zone = d != NULL ? json_string_value(json_object_get(calendar(d, country),
                                                                     "zone"))
                                 : NULL;

    return zone != NULL ? zone : "UTC";
}

const char *sw_deadline_rule_zone(const struct sw_deadlines *d, const json_t *rule,
                                  const char *country)
{
    const char *zone = json_string_value(json_object_get(rule, "zone"));

    if (zone == NULL && d != NULL)
        zone = json_string_value(json_object_get(rule_calendar(d, rule, country), "zone"));
    return zone != NULL ? zone : "UTC";
}

int sw_deadline_when_in(const char *zone, const char *text, int end_of_day, int64_t *ms)
{
    char norm[32];
    int64_t at, day;
    int rc;

    if (text == NULL || sw_date_normalise(text, norm, sizeof(norm)) != SW_OK ||
        sw_date_ms(norm, &at) != SW_OK)
        return SW_INVALID;
    if (strlen(norm) != 10) {
        *ms = at;
        return SW_OK;
    }
    day = floor_div(at, DAY_MS);
    rc = end_of_day ? sw_zone_day_end(zone, day, ms) : sw_zone_day_start(zone, day, ms);
    if (rc != SW_OK)   /* out of the zone module's years: the UTC day */
        *ms = end_of_day ? at + DAY_MS - 1000 : at;
    return SW_OK;
}

int sw_deadline_when(const struct sw_deadlines *d, const char *country, const char *text,
                     int end_of_day, int64_t *ms)
{
    return sw_deadline_when_in(sw_deadline_zone(d, country), text, end_of_day, ms);
}

/* 1 when day is a working day in calendar cal (its weekend days and holidays are not). */
static int cal_working_day(const json_t *cal, int64_t day)
{
    static const char *const names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
    const json_t *v;
    const char *wd = names[(int)(((day % 7) + 11) % 7)];   /* 1970-01-01 was a Thursday */
    char text[16];
    int y, m, dd;
    size_t i;

    sw_civil_from_days(day, &y, &m, &dd);
    snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, dd);
    json_array_foreach(json_object_get(cal, "workdays"), i, v)   /* weekend days worked */
        if (strcmp(json_string_value(v), text) == 0)
            return 1;
    json_array_foreach(json_object_get(cal, "weekend"), i, v)
        if (strcmp(json_string_value(v), wd) == 0)
            return 0;
    json_array_foreach(json_object_get(cal, "holidays"), i, v)
        if (strcmp(json_string_value(v), text) == 0)
            return 0;
    return 1;
}

/* 1 when cal lists its holidays for day's year ("years"); a calendar without that list (the
 * default) lists none, and counts weekends only. */
static int cal_covers(const json_t *cal, int64_t day)
{
    const json_t *v;
    int y, m, dd;
    size_t i;

    sw_civil_from_days(day, &y, &m, &dd);
    json_array_foreach(json_object_get(cal, "years"), i, v)
        if (json_integer_value(v) == y)
            return 1;
    return 0;
}

int sw_deadline_working_day(const struct sw_deadlines *d, const char *country, int64_t day)
{
    return cal_working_day(calendar(d, country), day);
}

int sw_deadline_country_fits(const struct sw_deadlines *d, const json_t *list,
                             const char *country)
{
    const json_t *v, *g;
    size_t i, j;

    json_array_foreach(list, i, v) {
        const char *c = json_string_value(v);

        if (strcmp(c, "*") == 0 || strcmp(c, country) == 0)
            return 1;
        if (c[0] == '@') {
            json_array_foreach(json_object_get(json_object_get(d->doc, "country_groups"), c + 1),
                               j, g)
                if (strcmp(json_string_value(g), country) == 0)
                    return 1;
        }
    }
    return 0;
}

const json_t *sw_deadline_rule(const struct sw_deadlines *d, const char *type,
                               const char *country, const char *proceeding)
{
    const json_t *r, *p;
    size_t i, j;

    if (d == NULL || type == NULL || country == NULL)
        return NULL;
    if (proceeding == NULL)
        proceeding = "";
    json_array_foreach(json_object_get(d->doc, "rules"), i, r) {
        const char *rt = json_string_value(json_object_get(r, "type"));

        if ((strcmp(rt, type) != 0 && strcmp(rt, "*") != 0) ||
            !sw_deadline_country_fits(d, json_object_get(r, "countries"), country))
            continue;
        json_array_foreach(json_object_get(r, "proceedings"), j, p)
            if (strcmp(json_string_value(p), proceeding) == 0)
                return r;
    }
    return NULL;
}

/* The last day of period per (days, working_days or months; not hours) from local day day,
 * counted on cal; *covered is cleared when a day looked at lies outside cal's years. */
static int64_t count_period(const json_t *per, const json_t *cal, int64_t day, int *covered)
{
    int64_t n;
    int y, m, dd;

    if ((n = json_integer_value(json_object_get(per, "working_days"))) > 0) {
        while (n > 0) {
            ++day;
            *covered &= cal_covers(cal, day);
            if (cal_working_day(cal, day))
                n--;
        }
        return day;
    }
    if (json_object_get(per, "days") != NULL)
        return day + json_integer_value(json_object_get(per, "days"));
    n = json_integer_value(json_object_get(per, "months"));
    sw_civil_from_days(day, &y, &m, &dd);
    m += (int)n;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    if (dd > sw_month_days(y, m))
        dd = sw_month_days(y, m);
    return sw_days_from_civil(y, m, dd);
}

int64_t sw_deadline_due_info(const struct sw_deadlines *d, const json_t *rule,
                             const json_t *period, const char *country, const char *zone,
                             int64_t from_ms, struct sw_due_info *info)
{
    const char *cname = "default";
    const json_t *per = period != NULL ? period : json_object_get(rule, "period");
    const json_t *cal = rule_calendar_named(d, rule, country, &cname);
    int64_t day, n, end;
    int covered = 1, working = json_object_get(per, "working_days") != NULL;
    int roll = strcmp(json_string_value(json_object_get(rule, "roll")) ?: "none",
                      "next_working_day") == 0;

    if (zone == NULL)
        zone = sw_deadline_rule_zone(d, rule, country);
    if (info != NULL) {
        info->zone = zone;
        info->calendar = cname;
        info->covered = 1;
        info->counted = working || roll;
    }
    if ((n = json_integer_value(json_object_get(per, "hours"))) > 0)
        return from_ms + n * 3600000LL;
    if (sw_zone_day(zone, from_ms, &day) != SW_OK)   /* out of the zone module's years */
        day = floor_div(from_ms, DAY_MS);
    day = count_period(per, cal, day, &covered);
    if (roll) {
        covered &= cal_covers(cal, day);
        while (!cal_working_day(cal, day)) {
            day++;
            covered &= cal_covers(cal, day);
        }
    }
    if (info != NULL)
        info->covered = covered || !(working || roll);
    if (sw_zone_day_end(zone, day, &end) != SW_OK)
        end = day * DAY_MS + DAY_MS - 1000;
    return end;
}

int64_t sw_deadline_due(const struct sw_deadlines *d, const json_t *rule, const char *country,
                        int64_t from_ms)
{
    return sw_deadline_due_info(d, rule, NULL, country, NULL, from_ms, NULL);
}

const json_t *sw_deadline_rule_by_id(const struct sw_deadlines *d, const char *id)
{
    const json_t *r;
    size_t i;

    if (d == NULL || id == NULL)
        return NULL;
    json_array_foreach(json_object_get(d->doc, "rules"), i, r)
        if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
            return r;
    return NULL;
}

int sw_deadline_side_fits(const json_t *rule, const char *side)
{
    const char *want = json_string_value(json_object_get(rule, "exporter_role"));

    return want == NULL || side == NULL || strcmp(want, side) == 0;
}

const json_t *sw_deadline_rule_of_kind(const struct sw_deadlines *d, const char *kind,
                                       const char *type, const char *country, const char *side)
{
    const json_t *r, *any = NULL;
    size_t i;

    if (d == NULL || kind == NULL || country == NULL)
        return NULL;
    json_array_foreach(json_object_get(d->doc, "rules"), i, r) {
        const char *rt = json_string_value(json_object_get(r, "type"));

        if (strcmp(json_string_value(json_object_get(r, "kind")), kind) != 0 ||
            !sw_deadline_country_fits(d, json_object_get(r, "countries"), country) ||
            !sw_deadline_side_fits(r, side))
            continue;
        if (type != NULL && (strcmp(rt, type) == 0 || strcmp(rt, "*") == 0))
            return r;
        if (any == NULL)
            any = r;
    }
    return any;
}

const json_t *sw_deadline_calendar(const struct sw_deadlines *d, const char *name)
{
    return d != NULL && name != NULL
               ? json_object_get(json_object_get(d->doc, "calendars"), name) : NULL;
}

/* --- loading ----------------------------------------------------------------------------- */

static int bad(char *err, size_t errlen, const char *path, const char *what, size_t i,
               const char *why)
{
    snprintf(err, errlen, "%s: %s %zu: %s", path, what, i, why);
    return SW_INVALID;
}

static int check_strings(const json_t *a, int allow_empty)
{
    const json_t *v;
    size_t i;

    if (!json_is_array(a) || json_array_size(a) == 0)
        return 0;
    json_array_foreach(a, i, v)
        if (!json_is_string(v) || (!allow_empty && json_string_length(v) == 0))
            return 0;
    return 1;
}

/* The period both kinds of rule share: exactly one unit (hours, days, working_days, months:
 * 1..3660), roll none or next_working_day, and optionally a zone ICU knows and a calendar the
 * table has. NULL when fine, else what is wrong. */
static const char *check_period(const json_t *doc, const json_t *r)
{
    static const char *const units[] = { "hours", "days", "working_days", "months" };
    const json_t *per = json_object_get(r, "period"), *z = json_object_get(r, "zone");
    const json_t *cal = json_object_get(r, "calendar");
    const char *roll = json_string_value(json_object_get(r, "roll"));
    size_t i, nunits = 0;

    if (!json_is_object(per) || json_object_size(per) != 1)
        return "needs a period with one unit (hours, days, working_days or months)";
    for (i = 0; i < SW_ARRAY_LEN(units); i++) {
        const json_t *v = json_object_get(per, units[i]);

        /* days: 0 is the event's own day (a hearing) */
        if (v != NULL && (!json_is_integer(v) || json_integer_value(v) < (i == 1 ? 0 : 1) ||
                          json_integer_value(v) > 3660))
            return "a period counts 1 to 3660 of its unit (days: 0 to 3660)";
        nunits += v != NULL;
    }
    if (nunits != 1)
        return "needs a period with one unit (hours, days, working_days or months)";
    if (roll == NULL || (strcmp(roll, "none") != 0 && strcmp(roll, "next_working_day") != 0))
        return "roll must be none or next_working_day";
    if (z != NULL && !sw_zone_valid(json_string_value(z)))
        return "zone is not a time zone ICU knows (an IANA name such as Europe/Madrid)";
    if (cal != NULL && json_object_get(json_object_get(doc, "calendars"),
                                       json_string_value(cal) ?: "") == NULL)
        return "calendar names no calendar of this table";
    return NULL;
}

static int one_of(const char *v, const char *const *set)
{
    for (; v != NULL && *set != NULL; set++)
        if (strcmp(v, *set) == 0)
            return 1;
    return 0;
}

/* A case rule: NULL when fine, else what is wrong. */
static const char *check_rule(const json_t *doc, const json_t *r)
{
    static const char *const strs[] = { "id", "kind", "type", "from", "roll", "text", "source" };
    const json_t *url = json_object_get(r, "url"), *ext = json_object_get(r, "extend");
    const json_t *remind = json_object_get(r, "remind_days"), *side;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(strs); i++)
        if (json_string_length(json_object_get(r, strs[i])) == 0)
            return "needs id, kind, type, countries, proceedings, from, a period, roll, text "
                   "and source";
    if (!check_strings(json_object_get(r, "countries"), 0) ||
        !check_strings(json_object_get(r, "proceedings"), 1))
        return "needs countries and proceedings (lists of names; \"\" for none given)";
    if (!one_of(json_string_value(json_object_get(r, "kind")), sw_case_deadline_kinds))
        return "kind must be answer, tro_expiry, pi_hearing, opposition, counter_statement, "
               "enforcement, customs_detention, fair_answer or other";
    if (!one_of(json_string_value(json_object_get(r, "from")), sw_case_deadline_froms))
        return "from must be served, entered, published, notified or hearing";
    if ((side = json_object_get(r, "exporter_role")) != NULL &&
        !one_of(json_string_value(side), exporter_roles))
        return "exporter_role must be opposer or opposed";
    if (remind != NULL && (!json_is_integer(remind) || json_integer_value(remind) < 0 ||
                           json_integer_value(remind) > 60))
        return "remind_days must be 0 to 60";
    if (url != NULL && (!json_is_string(url) ||
                        strncmp(json_string_value(url), "https://", 8) != 0))
        return "url must be an https link to the source";
    if (ext != NULL) {
        const json_t *times = json_object_get(ext, "times");
        const char *why;

        if (!json_is_object(ext) || !json_is_integer(times) || json_integer_value(times) < 1 ||
            json_integer_value(times) > 10 ||
            json_string_length(json_object_get(ext, "text")) == 0)
            return "extend needs a period, times (1 to 10) and text";
        if ((why = check_period(doc, ext)) != NULL && strncmp(why, "roll", 4) != 0)
            return why;
    }
    return check_period(doc, r);
}

/* An action rule (what an alert lets its subscriber do): NULL when fine, else what is
 * wrong. */
static const char *check_action(const json_t *doc, const json_t *r)
{
    static const char *const strs[] = { "id", "kind", "from", "text", "source" };
    const json_t *ext = json_object_get(r, "extendable"), *url = json_object_get(r, "url");
    const json_t *des = json_object_get(r, "designated");
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(strs); i++)
        if (json_string_length(json_object_get(r, strs[i])) == 0)
            return "needs id, kind, from, text and source (strings)";
    if (!one_of(json_string_value(json_object_get(r, "kind")), sw_action_kinds))
        return "kind must be opposition, madrid_refusal, answer, customs_detention or "
               "fair_answer";
    if (!one_of(json_string_value(json_object_get(r, "from")), sw_action_froms))
        return "from must be published, notified or served";
    if (!check_strings(json_object_get(r, "events"), 0) ||
        !check_strings(json_object_get(r, "countries"), 0) ||
        !check_strings(json_object_get(r, "reasons"), 0))
        return "needs events, countries and reasons (lists of names)";
    if (des != NULL && !check_strings(des, 0))
        return "designated must be a list of codes";
    if (!json_is_boolean(ext))
        return "extendable must be true or false";
    if (json_is_true(ext) != (json_string_length(json_object_get(r, "extension")) > 0))
        return "an extendable rule says how in extension (and only it has one)";
    if (url != NULL && (!json_is_string(url) ||
                        strncmp(json_string_value(url), "https://", 8) != 0))
        return "url must be an https link to the source";
    return check_period(doc, r);
}

/* A calendar: a zone ICU knows (if any), weekend days named sun..sat (at most six: a week
 * with no working day would never end a rolled period), holidays as YYYY-MM-DD. */
static const char *check_calendar(const json_t *cal, size_t *bad_holiday)
{
    static const char *const days[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };
    const json_t *v = json_object_get(cal, "zone"), *w = json_object_get(cal, "weekend");
    int64_t day;
    size_t i;

    if (v != NULL && !sw_zone_valid(json_string_value(v)))
        return "zone is not a time zone ICU knows (an IANA name such as Europe/Berlin)";
    if (w != NULL && (!json_is_array(w) || json_array_size(w) > 6))
        return "weekend lists at most six days";
    json_array_foreach(w, i, v)
        if (!one_of(json_string_value(v), days))
            return "weekend days are sun, mon, tue, wed, thu, fri or sat";
    json_array_foreach(json_object_get(cal, "holidays"), i, v) {
        if (parse_day(json_string_value(v), &day) != SW_OK) {
            *bad_holiday = i;
            return "is not YYYY-MM-DD";
        }
    }
    json_array_foreach(json_object_get(cal, "workdays"), i, v)
        if (parse_day(json_string_value(v), &day) != SW_OK)
            return "workdays are dates YYYY-MM-DD";
    json_array_foreach(json_object_get(cal, "years"), i, v)
        if (!json_is_integer(v) || json_integer_value(v) < 1970 || json_integer_value(v) > 9999)
            return "years lists the years whose holidays are given (1970 to 9999)";
    return NULL;
}

int sw_deadlines_load(const char *path, struct sw_deadlines **out, char *err, size_t errlen)
{
    struct sw_deadlines *d;
    json_error_t je;
    const json_t *r, *cal, *acts;
    const char *name, *why;
    size_t i;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);

    if (doc == NULL) {
        snprintf(err, errlen, "%s: line %d: %s", path, je.line, je.text);
        return SW_INVALID;
    }
    if (!json_is_array(json_object_get(doc, "rules")) ||
        json_object_get(json_object_get(doc, "calendars"), "default") == NULL) {
        json_decref(doc);
        snprintf(err, errlen, "%s: needs \"rules\" and a \"default\" calendar", path);
        return SW_INVALID;
    }
    json_object_foreach((json_t *)json_object_get(doc, "calendars"), name, cal) {
        size_t h = SIZE_MAX;

        if ((why = check_calendar(cal, &h)) != NULL) {
            if (h != SIZE_MAX)
                snprintf(err, errlen, "%s: calendar %s: holiday %zu %s", path, name, h, why);
            else
                snprintf(err, errlen, "%s: calendar %s: %s", path, name, why);
            json_decref(doc);
            return SW_INVALID;
        }
    }
    json_array_foreach(json_object_get(doc, "rules"), i, r) {
        if ((why = check_rule(doc, r)) != NULL) {
            bad(err, errlen, path, "rule", i, why);
            json_decref(doc);
            return SW_INVALID;
        }
    }
    acts = json_object_get(doc, "actions");
    if (acts != NULL && !json_is_array(acts)) {
        json_decref(doc);
        snprintf(err, errlen, "%s: \"actions\" must be a list of rules", path);
        return SW_INVALID;
    }
    json_array_foreach(acts, i, r) {
        if ((why = check_action(doc, r)) != NULL) {
            bad(err, errlen, path, "action", i, why);
            json_decref(doc);
            return SW_INVALID;
        }
    }
    d = calloc(1, sizeof(*d));
    if (d == NULL) {
        json_decref(doc);
        snprintf(err, errlen, "out of memory");
        return SW_ERR;
    }
    d->doc = doc;
    *out = d;
    return SW_OK;
}

void sw_deadlines_free(struct sw_deadlines *d)
{
    if (d == NULL)
        return;
    json_decref(d->doc);
    free(d);
}

const json_t *sw_deadlines_doc(const struct sw_deadlines *d)
{
    return d->doc;
}
