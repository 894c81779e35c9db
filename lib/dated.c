/* dated.c — which files a dated source should have published by now, and their URLs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/date.h"
#include "seawall/dated.h"

static const char *const weekdays[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

int sw_dated_weekday(const char *name, unsigned *bit)
{
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(weekdays); i++) {
        if (strcmp(name, weekdays[i]) == 0) {
            *bit = 1u << i;
            return SW_OK;
        }
    }
    return SW_INVALID;
}

static int weekday_of(int64_t day)
{
    return (int)(((day % 7) + 7 + 4) % 7);   /* 1970-01-01 was a Thursday */
}

int sw_dated_publishes(const struct sw_dated *d, int64_t day)
{
    return (d->days >> weekday_of(day)) & 1u;
}

void sw_dated_day_name(int64_t day, char *out, size_t outlen)
{
    int y, m, dd;

    sw_civil_from_days(day, &y, &m, &dd);
    snprintf(out, outlen, "%04d-%02d-%02d", y, m, dd);
}

int sw_dated_day_parse(const char *s, int64_t *day)
{
    int y, m, d, n = 0;

    if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
        n != 10 || s[4] != '-' || s[7] != '-' || y < 1900 || y > 9999 || m < 1 || m > 12 ||
        d < 1 || d > sw_month_days(y, m))
        return SW_INVALID;
    *day = sw_days_from_civil(y, m, d);
    return SW_OK;
}

int sw_dated_url(const char *tmpl, int64_t day, char *out, size_t outlen, char *why,
                 size_t whylen)
{
    static const char *const names[] = { "{yyyymmdd}", "{yymmdd}", "{yyyy}", "{yy}", "{mm}",
                                         "{dd}" };
    char val[16];
    size_t o = 0, i;
    int y, m, d, found = 0;
    const char *p = tmpl;

    sw_civil_from_days(day, &y, &m, &d);
    if (outlen == 0)
        return SW_TOOBIG;
    while (*p != '\0') {
        const char *lit = p;
        size_t n;

        if (*p == '{') {
            for (i = 0; i < SW_ARRAY_LEN(names); i++)
                if (strncmp(p, names[i], strlen(names[i])) == 0)
                    break;
            if (i == SW_ARRAY_LEN(names)) {
                snprintf(why, whylen, "unknown placeholder at \"%.20s\" (use {yyyy}, {yy}, "
                         "{mm}, {dd}, {yyyymmdd} or {yymmdd})", p);
                return SW_INVALID;
            }
            switch (i) {
            case 0: snprintf(val, sizeof(val), "%04d%02d%02d", y, m, d); break;
            case 1: snprintf(val, sizeof(val), "%02d%02d%02d", y % 100, m, d); break;
            case 2: snprintf(val, sizeof(val), "%04d", y); break;
            case 3: snprintf(val, sizeof(val), "%02d", y % 100); break;
            case 4: snprintf(val, sizeof(val), "%02d", m); break;
            default: snprintf(val, sizeof(val), "%02d", d); break;
            }
            found = 1;
            lit = val;
            n = strlen(val);
            p += strlen(names[i]);
        } else if (*p == '}') {
            snprintf(why, whylen, "a \"}\" without its \"{\"");
            return SW_INVALID;
        } else {
            n = strcspn(p, "{}");
            p += n;
        }
        if (o + n >= outlen)
            return SW_TOOBIG;
        memcpy(out + o, lit, n);
        o += n;
    }
    out[o] = '\0';
    if (!found) {
        snprintf(why, whylen, "no date placeholder ({yyyy}, {yy}, {mm}, {dd}, {yyyymmdd} or "
                 "{yymmdd})");
        return SW_INVALID;
    }
    return SW_OK;
}

int sw_dated_due_ms(const struct sw_dated *d, int64_t day, int64_t *ms)
{
    struct sw_local l;

    memset(&l, 0, sizeof(l));
    sw_civil_from_days(day + d->lag_days, &l.year, &l.month, &l.day);
    l.hour = d->at_min / 60;
    l.minute = d->at_min % 60;
    return sw_zone_instant(d->zone, &l, ms);
}

int sw_dated_last_due(const struct sw_dated *d, int64_t now_ms, int64_t *day)
{
    int64_t today, cand, due;
    int rc = sw_zone_day(d->zone, now_ms, &today);

    if (rc != SW_OK)
        return rc;
    for (cand = today - d->lag_days + 1; cand > today - d->lag_days - 3; cand--) {
        rc = sw_dated_due_ms(d, cand, &due);
        if (rc != SW_OK)
            return rc;
        if (due <= now_ms) {
            *day = cand;
            return SW_OK;
        }
    }
    return SW_ERR;
}

int sw_dated_from_doc(const json_t *doc, struct sw_dated *d, char *why, size_t whylen)
{
    const char *tmpl = json_string_value(json_object_get(doc, "url_template"));
    const char *at = json_string_value(json_object_get(doc, "publish_at"));
    const char *zone = json_string_value(json_object_get(doc, "zone"));
    const char *start = json_string_value(json_object_get(doc, "start_date"));
    json_t *days = json_object_get(doc, "days"), *v;
    json_t *lag = json_object_get(doc, "lag_days"), *grace = json_object_get(doc, "grace_h");
    char url[SW_DATED_TEMPLATE_MAX + 64], err[160];
    int hh, mm, n = 0;
    size_t i;

    if (tmpl == NULL)
        return SW_NOTFOUND;
    memset(d, 0, sizeof(*d));
    if (sw_strlcpy(d->tmpl, tmpl, sizeof(d->tmpl)) != SW_OK) {
        snprintf(why, whylen, "url_template: longer than %d bytes", SW_DATED_TEMPLATE_MAX);
        return SW_INVALID;
    }
    if (sw_dated_url(tmpl, 0, url, sizeof(url), err, sizeof(err)) != SW_OK) {
        snprintf(why, whylen, "url_template: %s", err);
        return SW_INVALID;
    }
    d->days = 0x3e;   /* Monday to Friday */
    if (json_is_array(days)) {
        d->days = 0;
        json_array_foreach(days, i, v) {
            unsigned bit;

            if (!json_is_string(v) || sw_dated_weekday(json_string_value(v), &bit) != SW_OK) {
                snprintf(why, whylen, "days/%zu: not one of mon, tue, wed, thu, fri, sat, sun",
                         i);
                return SW_INVALID;
            }
            d->days |= bit;
        }
        if (d->days == 0) {
            snprintf(why, whylen, "days: at least one weekday");
            return SW_INVALID;
        }
    }
    d->lag_days = json_is_integer(lag) ? (int)json_integer_value(lag) : 0;
    if (d->lag_days < 0 || d->lag_days > 14) {
        snprintf(why, whylen, "lag_days: 0 to 14");
        return SW_INVALID;
    }
    if (at != NULL) {
        if (strlen(at) != 5 || sscanf(at, "%2d:%2d%n", &hh, &mm, &n) != 2 || n != 5 ||
            at[2] != ':' || hh < 0 || hh > 23 || mm < 0 || mm > 59) {
            snprintf(why, whylen, "publish_at: a local time HH:MM");
            return SW_INVALID;
        }
        d->at_min = hh * 60 + mm;
    }
    sw_strlcpy(d->zone, zone ? zone : "UTC", sizeof(d->zone));
    if (!sw_zone_valid(d->zone)) {
        snprintf(why, whylen, "zone: not a time zone (an IANA name such as America/New_York)");
        return SW_INVALID;
    }
    d->grace_ms = (json_is_integer(grace) ? json_integer_value(grace) : 48) * 3600000LL;
    if (d->grace_ms < 0) {
        snprintf(why, whylen, "grace_h: 0 or more");
        return SW_INVALID;
    }
    d->start_day = SW_DATED_NO_START;
    if (start != NULL && sw_dated_day_parse(start, &d->start_day) != SW_OK) {
        snprintf(why, whylen, "start_date: a date YYYY-MM-DD");
        return SW_INVALID;
    }
    return SW_OK;
}

int64_t sw_dated_window_start(const struct sw_dated *d, int64_t now_ms, int backfill_max)
{
    int64_t today = 0, first;

    if (sw_zone_day(d->zone, now_ms, &today) != SW_OK)
        today = now_ms / 86400000;
    first = today - backfill_max;
    if (d->start_day != SW_DATED_NO_START && d->start_day > first)
        first = d->start_day;
    return first;
}

static const char *state_of(const json_t *days, int64_t day, int64_t *at_ms)
{
    char name[16];
    json_t *o;

    sw_dated_day_name(day, name, sizeof(name));
    o = json_object_get(days, name);
    if (o == NULL)
        return NULL;
    if (at_ms != NULL && sw_date_ms(json_string_value(json_object_get(o, "at")) ?: "",
                                    at_ms) != SW_OK)
        *at_ms = 0;
    return json_string_value(json_object_get(o, "state")) ?: "";
}

int sw_dated_next(const struct sw_dated *d, const json_t *days, int64_t now_ms,
                  int backfill_max, int64_t retry_ms, int64_t *day, int64_t *wake_ms)
{
    int64_t last, first = sw_dated_window_start(d, now_ms, backfill_max), k, at, due;
    int64_t wake = INT64_MAX;
    const char *st;

    if (sw_dated_last_due(d, now_ms, &last) != SW_OK)
        return SW_ERR;
    for (k = first; k <= last; k++) {
        if (!sw_dated_publishes(d, k))
            continue;
        st = state_of(days, k, &at);
        if (st == NULL) {
            *day = k;
            return 1;
        }
        if (strcmp(st, "waiting") == 0) {
            if (at + retry_ms <= now_ms) {
                *day = k;
                return 1;
            }
            if (at + retry_ms < wake)
                wake = at + retry_ms;
        }
    }
    for (k = last + 1; k <= last + 15; k++) {
        if (sw_dated_publishes(d, k) && sw_dated_due_ms(d, k, &due) == SW_OK) {
            if (due < wake)
                wake = due;
            break;
        }
    }
    *wake_ms = wake == INT64_MAX ? now_ms + 86400000 : wake;
    return 0;
}

/* The dates recorded, sorted (the object's keys are dates; anything else is left out). */
static json_t *sorted_days(const json_t *days, const char *state)
{
    json_t *out = json_array(), *v;
    const char *k;
    size_t i, j, n;

    json_object_foreach((json_t *)days, k, v) {
        int64_t day;

        if (sw_dated_day_parse(k, &day) == SW_OK &&
            strcmp(json_string_value(json_object_get(v, "state")) ?: "", state) == 0)
            json_array_append_new(out, json_string(k));
    }
    n = json_array_size(out);
    for (i = 1; i < n; i++)   /* insertion sort: a year of dates at most */
        for (j = i; j > 0 && strcmp(json_string_value(json_array_get(out, j - 1)),
                                    json_string_value(json_array_get(out, j))) > 0; j--) {
            json_t *a = json_incref(json_array_get(out, j - 1));

            json_array_set(out, j - 1, json_array_get(out, j));
            json_array_set_new(out, j, a);
        }
    return out;
}

json_t *sw_dated_coverage(const struct sw_dated *d, const json_t *days, int64_t now_ms,
                          int backfill_max)
{
    int64_t first = sw_dated_window_start(d, now_ms, backfill_max), last, k, newest = INT64_MIN;
    json_t *cov = json_object(), *pending = json_array(), *fetched = sorted_days(days, "fetched");
    char name[16];
    const char *key;
    json_t *v;
    long expected = 0, got = 0;
    int have_last = sw_dated_last_due(d, now_ms, &last) == SW_OK;

    sw_dated_day_name(first, name, sizeof(name));
    json_object_set_new(cov, "window_start", json_string(name));
    if (have_last) {
        sw_dated_day_name(last, name, sizeof(name));
        json_object_set_new(cov, "last_due", json_string(name));
        for (k = first; k <= last; k++) {
            const char *st;

            if (!sw_dated_publishes(d, k))
                continue;
            expected++;
            st = state_of(days, k, NULL);
            if (st != NULL && strcmp(st, "fetched") == 0)
                got++;
            if (st == NULL && json_array_size(pending) < 60) {
                sw_dated_day_name(k, name, sizeof(name));
                json_array_append_new(pending, json_string(name));
            }
        }
    } else {
        json_object_set_new(cov, "last_due", json_null());
    }
    json_object_set_new(cov, "expected", json_integer(expected));
    json_object_set_new(cov, "fetched", json_integer(got));
    json_object_set(cov, "last_fetched", json_array_size(fetched) > 0
                    ? json_array_get(fetched, json_array_size(fetched) - 1) : json_null());
    json_object_set_new(cov, "missing", sorted_days(days, "missing"));
    json_object_set_new(cov, "waiting", sorted_days(days, "waiting"));
    json_object_set_new(cov, "unreadable", sorted_days(days, "unreadable"));
    json_object_set_new(cov, "pending", pending);
    json_decref(fetched);
    /* Publication dates between the newest one known from before the window and the window:
     * no poll fetches them (a source new to the poller has none known: nothing was missed). */
    json_object_foreach((json_t *)days, key, v) {
        int64_t day;

        if (sw_dated_day_parse(key, &day) == SW_OK && day < first && day > newest)
            newest = day;
    }
    if (newest != INT64_MIN && newest + 1 < first) {
        long n = 0;

        for (k = newest + 1; k < first; k++)
            n += sw_dated_publishes(d, k);
        if (n > 0) {
            char from[16], to[16];

            sw_dated_day_name(newest + 1, from, sizeof(from));
            sw_dated_day_name(first - 1, to, sizeof(to));
            json_object_set_new(cov, "not_backfilled", json_pack("{s:s, s:s, s:i}", "from", from,
                                                                 "to", to, "days", (int)n));
        }
    }
    if (json_object_get(cov, "not_backfilled") == NULL)
        json_object_set_new(cov, "not_backfilled", json_null());
    return cov;
}
