/* ical.c — iCalendar (RFC 5545) through libical into show_event events: one per VEVENT, and
 * for a recurring one also each occurrence in the three years after its first start (at most
 * 50). libical does the unfolding, TZID resolution, all-day dates and RRULE expansion.
 *
 * Repeat rules are judged before libical expands them. icalrecur_iterator_next steps through
 * candidate times until one passes every BY part and gives up only past the year 2582, so one
 * call on a rule no date satisfies (FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30) runs for days, and
 * nothing outside the call can stop it. Hence, for each rule:
 *  - its date parts (BYMONTH, BYMONTHDAY, BYYEARDAY, BYDAY; BYSETPOS for MONTHLY and YEARLY)
 *    are tried on the days of a year of each of the 14 kinds (weekday of 1 January, leap or
 *    not); a rule no day satisfies fails the calendar, in a first pass, before any event is
 *    emitted;
 *  - libical is given an UNTIL, which it tests after every candidate: the earliest of the
 *    rule's own, three years, and the time in which the rule makes MAX_CANDIDATES candidates;
 *    a rule with no matching day before then is not expanded (a warning says so);
 *  - the time spent judging and expanding is measured around every call into libical: a rule
 *    over a quarter of o->max_expand_ms, or the document over all of it, fails the document;
 *  - RSCALE rules (RFC 7529) are not expanded: libical runs them through ICU, where a single
 *    impossible one keeps icalrecur_iterator_new busy for minutes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "internal.h"

#define MAX_OCCURRENCES 50
#define WINDOW_YEARS 3
#define MAX_CANDIDATES 50000L    /* candidate times libical may try for one rule, ~1 µs each */
#define MAX_CALLS (4 * MAX_OCCURRENCES)   /* iterator calls for one rule */

/* The document's expansion: its time budget and what has been spent. */
struct ical_run {
    struct sw_fctx *c;
    int64_t budget_us;           /* judging and expanding, whole document */
    int64_t rule_budget_us;      /* the same for one rule */
    int64_t spent_us;
    int failed;                  /* res->err says why; the document fails */
};

enum { RULE_EXPAND, RULE_SKIP, RULE_NEVER };

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


/* --- days of the Gregorian calendar, as the date parts of a rule see them --- */

struct day {
    int y, m, d;
    int wd;                      /* 0 Sunday … 6 Saturday */
    int yd, dim, diy;            /* day of the year; days in the month, in the year */
};

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    return m == 2 && leap(y) ? 29 : n[m - 1];
}

/* Days from 1970-01-01 (negative before it); H. Hinnant's days_from_civil. */
static long day_number(int y, int m, int d)
{
    long yy = y - (m <= 2), era = (yy >= 0 ? yy : yy - 399) / 400, yoe = yy - era * 400;
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;

    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void day_set(struct day *t, int y, int m, int d)
{
    long n = day_number(y, m, d);

    t->y = y;
    t->m = m;
    t->d = d;
    t->wd = (int)((n % 7 + 11) % 7);   /* 1970-01-01 was a Thursday */
    t->yd = (int)(n - day_number(y, 1, 1)) + 1;
    t->dim = month_days(y, m);
    t->diy = leap(y) ? 366 : 365;
}

static void day_next(struct day *t)
{
    t->wd = (t->wd + 1) % 7;
    t->yd++;
    if (++t->d <= t->dim)
        return;
    t->d = 1;
    if (++t->m > 12) {
        t->m = 1;
        t->y++;
        t->yd = 1;
        t->diy = leap(t->y) ? 366 : 365;
    }
    t->dim = month_days(t->y, t->m);
}

/* To the first day of the next month; returns the days stepped. */
static int day_next_month(struct day *t)
{
    int n = t->dim - t->d + 1;

    t->d = t->dim;
    t->wd = (t->wd + n - 1) % 7;
    t->yd += n - 1;
    day_next(t);
    return n;
}

static int bit(const uint8_t *set, int i)
{
    return set[i / 8] >> (i % 8) & 1;
}

/* The date parts of a rule as sets that days are tried against. */
struct dayset {
    int has_month, has_mday, has_yday, has_wday;
    uint16_t month;              /* bit m: BYMONTH has m */
    uint32_t mday, mday_end;     /* bit d: BYMONTHDAY has d; has -d */
    uint8_t yday[47], yday_end[47];
    uint8_t wday;                /* bit w: BYDAY has every weekday w */
    uint64_t nth[7], nth_end[7]; /* bit n: BYDAY has the n-th, the n-th last weekday w */
    int numbered;                /* BYDAY has numbered weekdays */
    enum { NTH_NEVER, NTH_MONTH, NTH_YEAR } nth_in;
    int setpos;                  /* MONTHLY and YEARLY: smallest |BYSETPOS|; 0: none */
    int yearly;                  /* BYSETPOS picks from a year's set, else a month's */
    long times;                  /* times one day expands to (BYHOUR × BYMINUTE × BYSECOND) */
};

/* Entries in one of a rule's BY arrays. */
static int by_count(const short *a, size_t size)
{
    size_t n = 0;

    while (n < size && a[n] != ICAL_RECURRENCE_ARRAY_MAX)
        n++;
    return (int)n;
}

#define BY_COUNT(r, part) by_count((r)->part, sizeof((r)->part) / sizeof((r)->part[0]))

static long times_per_day(const struct icalrecurrencetype *r)
{
    int h = BY_COUNT(r, by_hour), m = BY_COUNT(r, by_minute), s = BY_COUNT(r, by_second);

    return (long)(h ? h : 1) * (m ? m : 1) * (s ? s : 1);
}

/* Builds the sets. A numbered BYDAY counts within the month (MONTHLY, or YEARLY with BYMONTH),
 * within the year (YEARLY), is taken as its weekday (WEEKLY, or YEARLY with BYWEEKNO, as
 * libical does), and never matches with a finer frequency: libical compares the numbered
 * value with the weekday there, as RFC 5545 allows numbers only with MONTHLY and YEARLY. */
static void dayset_make(struct dayset *ds, const struct icalrecurrencetype *r)
{
    int i, n, v;

    memset(ds, 0, sizeof(*ds));
    if (r->freq == ICAL_MONTHLY_RECURRENCE ||
        (r->freq == ICAL_YEARLY_RECURRENCE && BY_COUNT(r, by_month) > 0))
        ds->nth_in = NTH_MONTH;
    else if (r->freq == ICAL_YEARLY_RECURRENCE)
        ds->nth_in = NTH_YEAR;
    n = BY_COUNT(r, by_month);
    ds->has_month = n > 0;
    for (i = 0; i < n; i++) {
        v = icalrecurrencetype_month_month(r->by_month[i]);
        if (v >= 1 && v <= 12)
            ds->month |= (uint16_t)(1u << v);
    }
    n = BY_COUNT(r, by_month_day);
    ds->has_mday = n > 0;
    for (i = 0; i < n; i++) {
        v = r->by_month_day[i];
        if (v >= 1 && v <= 31)
            ds->mday |= 1u << v;
        else if (v <= -1 && v >= -31)
            ds->mday_end |= 1u << -v;
    }
    n = BY_COUNT(r, by_year_day);
    ds->has_yday = n > 0;
    for (i = 0; i < n; i++) {
        v = r->by_year_day[i];
        if (v >= 1 && v <= 366)
            ds->yday[v / 8] |= (uint8_t)(1u << (v % 8));
        else if (v <= -1 && v >= -366)
            ds->yday_end[-v / 8] |= (uint8_t)(1u << (-v % 8));
    }
    n = BY_COUNT(r, by_day);
    ds->has_wday = n > 0;
    for (i = 0; i < n; i++) {
        int w = (int)icalrecurrencetype_day_day_of_week(r->by_day[i]) - 1;
        int pos = icalrecurrencetype_day_position(r->by_day[i]);

        if (w < 0 || w > 6)
            continue;
        ds->numbered |= pos != 0;
        if (pos == 0 || r->freq == ICAL_WEEKLY_RECURRENCE ||
            (r->freq == ICAL_YEARLY_RECURRENCE && BY_COUNT(r, by_week_no) > 0))
            ds->wday |= (uint8_t)(1u << w);
        else if (ds->nth_in == NTH_NEVER)
            continue;
        else if (pos >= 1 && pos <= 53)
            ds->nth[w] |= (uint64_t)1 << pos;
        else if (pos <= -1 && pos >= -53)
            ds->nth_end[w] |= (uint64_t)1 << -pos;
    }
    n = BY_COUNT(r, by_set_pos);
    if (r->freq == ICAL_MONTHLY_RECURRENCE || r->freq == ICAL_YEARLY_RECURRENCE) {
        for (i = 0; i < n; i++) {
            v = abs(r->by_set_pos[i]);
            if (v > 0 && (ds->setpos == 0 || v < ds->setpos))
                ds->setpos = v;
        }
    }
    ds->yearly = r->freq == ICAL_YEARLY_RECURRENCE;
    ds->times = times_per_day(r);
}

static int day_ok(const struct dayset *ds, const struct day *t)
{
    int n, n_end;

    if (ds->has_month && !(ds->month >> t->m & 1))
        return 0;
    if (ds->has_mday && !(ds->mday >> t->d & 1) && !(ds->mday_end >> (t->dim - t->d + 1) & 1))
        return 0;
    if (ds->has_yday && !bit(ds->yday, t->yd) && !bit(ds->yday_end, t->diy - t->yd + 1))
        return 0;
    if (!ds->has_wday || (ds->wday >> t->wd & 1))
        return 1;
    if (ds->nth_in == NTH_NEVER)
        return 0;
    n = ds->nth_in == NTH_MONTH ? (t->d - 1) / 7 + 1 : (t->yd - 1) / 7 + 1;
    n_end = ds->nth_in == NTH_MONTH ? (t->dim - t->d) / 7 + 1 : (t->diy - t->yd) / 7 + 1;
    return (ds->nth[t->wd] >> n & 1) || (ds->nth_end[t->wd] >> n_end & 1);
}

/* How many days after from the first day that can hold an occurrence lies, looking at most
 * horizon days ahead: *rfc as RFC 5545 reads the rule, *lib as libical expands it (it applies
 * BYSETPOS to a period's days, not to their times). -1: none. */
static void first_day(const struct dayset *ds, const struct day *from, long horizon, long *rfc,
                      long *lib)
{
    struct day t = *from;
    long off;

    *rfc = *lib = -1;
    if (ds->setpos == 0) {
        for (off = 0; off <= horizon;) {
            if (ds->has_month && !(ds->month >> t.m & 1)) {   /* a month BYMONTH leaves out */
                off += day_next_month(&t);
                continue;
            }
            if (day_ok(ds, &t)) {
                *rfc = *lib = off;
                return;
            }
            off++;
            day_next(&t);
        }
        return;
    }
    /* BYSETPOS picks from each month's (year's) set: count the whole period first. */
    day_set(&t, from->y, ds->yearly ? 1 : from->m, 1);
    off = day_number(t.y, t.m, t.d) - day_number(from->y, from->m, from->d);
    while (off <= horizon && *lib < 0) {
        int len = ds->yearly ? t.diy : t.dim, n = 0, i;
        long first = -1;

        for (i = 0; i < len; i++, off++, day_next(&t)) {
            if (day_ok(ds, &t)) {
                n++;
                if (first < 0 && off >= 0)
                    first = off;
            }
        }
        if (first < 0 || first > horizon)
            continue;
        if (*rfc < 0 && n * ds->times >= ds->setpos)
            *rfc = first;
        if (n >= ds->setpos)
            *lib = first;
    }
}

/* Whether any day can hold an occurrence (as RFC 5545 reads the rule). What the date parts
 * see of a day depends only on its year's type, the weekday of 1 January and whether it is a
 * leap year, and all 14 types come round in 400 years: one year of each type is tried. */
static int can_occur(const struct dayset *ds, int from_year)
{
    unsigned seen = 0;
    long rfc, lib;
    struct day t;
    int y, type;

    for (y = from_year; y < from_year + 400 && seen != 0x3fff; y++) {
        day_set(&t, y, 1, 1);
        type = t.wd + 7 * leap(y);
        if (seen >> type & 1)
            continue;
        seen |= 1u << type;
        first_day(ds, &t, t.diy - 1, &rfc, &lib);
        if (rfc >= 0)
            return 1;
    }
    return 0;
}

/* --- judging a rule --- */

/* The rule as text for messages (libical's rendering), at most len bytes. */
static void rule_text(struct icalrecurrencetype rule, char *out, size_t len)
{
    char *s = icalrecurrencetype_as_string_r(&rule);

    snprintf(out, len, "%s", s ? s : "(unprintable)");
    icalmemory_free_buffer(s);
}

/* Counts a warning about the rule of event uid: "event "UID": RRULE TEXT what". */
static void rule_warn(struct sw_fctx *c, const char *uid, const struct icalrecurrencetype *rule,
                      const char *what)
{
    char text[256];

    if (c->res->err[0] != '\0') {   /* only the first warning's text is kept */
        c->res->warnings++;
        return;
    }
    rule_text(*rule, text, sizeof(text));
    sw_feed_warn(c, "event \"%.80s\": RRULE %.200s %s", uid, text, what);
}

/* Why no day satisfies the rule's date parts, for the error. */
static void never_why(const struct dayset *ds, int from_year, char *why, size_t len)
{
    struct dayset plain = *ds;
    const char *name[4] = { "BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYDAY" };
    int has[4] = { ds->has_month, ds->has_mday, ds->has_yday, ds->has_wday };
    size_t used;
    int i, n = 0;

    plain.setpos = 0;
    if (can_occur(&plain, from_year)) {
        snprintf(why, len, "no %s has as many days and times as BYSETPOS asks",
                 ds->yearly ? "year" : "month");
        return;
    }
    used = (size_t)snprintf(why, len, "no date satisfies");
    for (i = 0; i < 4 && used < len; i++)
        if (has[i])
            used += (size_t)snprintf(why + used, len - used, "%s %s", n++ ? " and" : "", name[i]);
    if (n > 1 && used < len)
        used += (size_t)snprintf(why + used, len - used, " together");
    if (ds->numbered && ds->nth_in == NTH_NEVER && used < len)
        snprintf(why + used, len - used, " (a numbered BYDAY needs FREQ=MONTHLY or YEARLY)");
}

/* Where the expansion of rule from start stops (exclusive): three years on, or sooner when the
 * rule makes more than MAX_CANDIDATES candidate times in them (periods of its frequency times
 * the days and times each period expands to). */
static struct icaltimetype window_end(const struct icalrecurrencetype *r,
                                      struct icaltimetype start)
{
    /* The shortest period of each frequency, in seconds. */
    static const int64_t period[] = { 1, 60, 3600, 86400, 7 * 86400, 28 * 86400, 365 * 86400 };
    struct icaltimetype end = start;
    int64_t per = 1, span;

    end.year += WINDOW_YEARS;
    end = icaltime_normalize(end);
    if (r->freq > ICAL_SECONDLY_RECURRENCE)
        per *= BY_COUNT(r, by_second) ? BY_COUNT(r, by_second) : 1;
    if (r->freq > ICAL_MINUTELY_RECURRENCE)
        per *= BY_COUNT(r, by_minute) ? BY_COUNT(r, by_minute) : 1;
    if (r->freq > ICAL_HOURLY_RECURRENCE)
        per *= BY_COUNT(r, by_hour) ? BY_COUNT(r, by_hour) : 1;
    per *= r->freq == ICAL_WEEKLY_RECURRENCE ? 7 : r->freq == ICAL_MONTHLY_RECURRENCE ? 31
           : r->freq == ICAL_YEARLY_RECURRENCE ? 366 : 1;
    span = MAX_CANDIDATES * period[r->freq] * (r->interval > 1 ? r->interval : 1) / per;
    if (span < (int64_t)WINDOW_YEARS * 365 * 86400) {
        end = start;
        if (start.is_date)
            icaltime_adjust(&end, (int)(span / 86400 > 0 ? span / 86400 : 1), 0, 0, 0);
        else
            icaltime_adjust(&end, (int)(span / 86400), 0, 0, (int)(span % 86400));
    }
    return end;
}

/* Judges the rule of event uid, which starts at start, in the first pass (check: RULE_NEVER,
 * with why, when no date can ever hold an occurrence) or the second:
 * RULE_SKIP, with a warning, when it is not expanded; RULE_EXPAND with *rule made ready for
 * libical (its UNTIL no later than *limit, where the expansion stops, exclusive). Rules that
 * are not expanded in any case are RULE_SKIP in the first pass too, without a warning. */
static int judge(struct ical_run *run, const char *uid, struct icaltimetype start,
                 struct icalrecurrencetype *rule, int check, char *why, size_t whylen,
                 struct icaltimetype *limit)
{
    struct sw_fctx *c = run->c;
    const struct icalrecurrencetype asked = *rule;
    struct icaltimetype end;
    struct dayset ds;
    struct day from;
    long rfc, lib, horizon;
    int i, n;
    char what[160];

    if (rule->freq == ICAL_NO_RECURRENCE)
        return RULE_SKIP;
    if (rule->rscale != NULL) {
        if (!check)
            rule_warn(c, uid, &asked, "not expanded: RSCALE rules are not");
        return RULE_SKIP;
    }
    if (start.month < 1 || start.month > 12 || start.day < 1 ||
        start.day > month_days(start.year, start.month)) {   /* libical keeps 20271350 */
        if (!check)
            rule_warn(c, uid, &asked, "not expanded: DTSTART is not a calendar date");
        return RULE_SKIP;
    }
    if (start.is_date) {
        if (rule->freq < ICAL_DAILY_RECURRENCE) {
            if (!check)
                rule_warn(c, uid, &asked, "not expanded: an all-day event does not repeat by "
                          "the hour, minute or second");
            return RULE_SKIP;
        }
        if (BY_COUNT(rule, by_hour) + BY_COUNT(rule, by_minute) + BY_COUNT(rule, by_second)) {
            if (!check)
                rule_warn(c, uid, &asked, "expanded without its BYHOUR, BYMINUTE and BYSECOND: "
                          "the event is all-day");
            rule->by_hour[0] = rule->by_minute[0] = rule->by_second[0] =
                ICAL_RECURRENCE_ARRAY_MAX;
        }
    }
    if (rule->freq == ICAL_SECONDLY_RECURRENCE && (n = BY_COUNT(rule, by_second)) > 0) {
        for (i = 0; i < n && rule->by_second[i] == 60; i++)
            ;
        if (i == n) {
            snprintf(why, whylen, "FREQ=SECONDLY never reaches BYSECOND=60");
            return RULE_NEVER;
        }
    }
    dayset_make(&ds, rule);
    day_set(&from, start.year, start.month, start.day);
    if (check) {
        if (!can_occur(&ds, start.year)) {
            never_why(&ds, start.year, why, whylen);
            return RULE_NEVER;
        }
        return RULE_EXPAND;
    }
    *limit = end = window_end(rule, start);
    if (!icaltime_is_null_time(rule->until) && icaltime_compare(rule->until, end) < 0)
        end = rule->until;
    /* A day more: UNTIL may be in another zone than DTSTART. */
    horizon = day_number(end.year, end.month, end.day) - day_number(from.y, from.m, from.d) + 1;
    first_day(&ds, &from, horizon, &rfc, &lib);
    if (lib < 0) {
        if (rfc >= 0)
            snprintf(what, sizeof(what), "not expanded: libical applies BYSETPOS to days, "
                     "not to their times");
        else
            snprintf(what, sizeof(what), "has no occurrence before %04d-%02d-%02d, where its "
                     "expansion stops", end.year, end.month, end.day);
        rule_warn(c, uid, &asked, what);
        return RULE_SKIP;
    }
    rule->until = end;
    return RULE_EXPAND;
}

/* Charges the time since t0 to the rule and the document. Returns 1, with res->err set and
 * the run failed, when either is over its budget. */
static int over_budget(struct ical_run *run, int64_t t0, int64_t *rule_us, const char *uid,
                       const struct icalrecurrencetype *rule)
{
    struct sw_fctx *c = run->c;
    int64_t d = sw_mono_us() - t0;
    char text[256];

    *rule_us += d;
    run->spent_us += d;
    if (*rule_us <= run->rule_budget_us && run->spent_us <= run->budget_us)
        return 0;
    rule_text(*rule, text, sizeof(text));
    if (*rule_us > run->rule_budget_us)
        snprintf(c->res->err, sizeof(c->res->err), "event \"%.80s\": RRULE %.200s took more "
                 "than %lld ms to judge and expand, the limit for one rule", uid, text,
                 (long long)(run->rule_budget_us / 1000));
    else
        snprintf(c->res->err, sizeof(c->res->err), "the calendar's repeat rules took more "
                 "than %lld ms to judge and expand (the last: event \"%.80s\", RRULE %.200s)",
                 (long long)(run->budget_us / 1000), uid, text);
    run->failed = 1;
    return 1;
}

/* --- events --- */

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

/* The event's UID, or one made of its summary and start day (in fallback) when it has none. */
static const char *event_uid(icalcomponent *ve, struct icaltimetype start, char *fallback,
                             size_t len)
{
    const char *uid = icalcomponent_get_uid(ve);
    const char *summary;

    if (uid != NULL && uid[0] != '\0')
        return uid;
    summary = icalcomponent_get_summary(ve);
    snprintf(fallback, len, "%.80s@%04d%02d%02d", summary ? summary : "event", start.year,
             start.month, start.day);
    return fallback;
}

/* First pass: SW_INVALID, with res->err naming the event and the rule, when the event's rule
 * can never occur or judging it went over budget. */
static int check_rule(struct ical_run *run, icalcomponent *ve)
{
    struct icaltimetype start = icalcomponent_get_dtstart(ve), limit;
    icalproperty *rr = icalcomponent_get_first_property(ve, ICAL_RRULE_PROPERTY);
    struct icalrecurrencetype rule, asked;
    char fallback[128], why[160], text[256];
    const char *uid;
    int64_t t0, rule_us = 0;

    if (rr == NULL || icaltime_is_null_time(start))
        return SW_OK;
    uid = event_uid(ve, start, fallback, sizeof(fallback));
    asked = rule = icalproperty_get_rrule(rr);
    t0 = sw_mono_us();
    if (judge(run, uid, start, &rule, 1, why, sizeof(why), &limit) == RULE_NEVER) {
        rule_text(asked, text, sizeof(text));
        snprintf(run->c->res->err, sizeof(run->c->res->err), "event \"%.80s\": RRULE %.200s "
                 "can never occur: %.150s", uid, text, why);
        run->failed = 1;
        return SW_INVALID;
    }
    return over_budget(run, t0, &rule_us, uid, &asked) ? SW_INVALID : SW_OK;
}

/* Second pass: the event, and each occurrence of its rule after the first start. */
static void vevent(struct ical_run *run, icalcomponent *ve)
{
    struct sw_fctx *c = run->c;
    struct icaltimetype start = icalcomponent_get_dtstart(ve);
    struct icaltimetype end = icalcomponent_get_dtend(ve);
    icalproperty *rr = icalcomponent_get_first_property(ve, ICAL_RRULE_PROPERTY);
    struct icalrecurrencetype rule, asked;
    struct icaldurationtype len;
    struct icaltimetype t, limit;
    icalrecur_iterator *it;
    char fallback[128], why[160], text[256];
    const char *uid = event_uid(ve, start, fallback, sizeof(fallback));
    int64_t t0, rule_us = 0;
    int n = 0, calls = 0, verdict;

    c->res->records++;
    if (icaltime_is_null_time(start))
        sw_feed_warn(c, "event \"%.60s\" has no readable DTSTART", uid);
    one_event(c, ve, start, end, uid, 0);
    if (rr == NULL || icaltime_is_null_time(start) || c->stop)
        return;
    asked = rule = icalproperty_get_rrule(rr);
    t0 = sw_mono_us();
    verdict = judge(run, uid, start, &rule, 0, why, sizeof(why), &limit);
    if (over_budget(run, t0, &rule_us, uid, &asked) || verdict != RULE_EXPAND)
        return;
    t0 = sw_mono_us();
    it = icalrecur_iterator_new(rule, start);
    if (over_budget(run, t0, &rule_us, uid, &asked) || it == NULL) {
        if (it != NULL)
            icalrecur_iterator_free(it);
        else if (!run->failed)
            rule_warn(c, uid, &asked, "not expanded: libical refuses it");
        return;
    }
    len = icaltime_subtract(end, start);
    while (n < MAX_OCCURRENCES && !c->stop) {
        if (++calls > MAX_CALLS) {
            rule_text(asked, text, sizeof(text));
            snprintf(c->res->err, sizeof(c->res->err), "event \"%.80s\": RRULE %.200s gave "
                     "%d times without %d occurrences", uid, text, MAX_CALLS, MAX_OCCURRENCES);
            run->failed = 1;
            break;
        }
        t0 = sw_mono_us();
        t = icalrecur_iterator_next(it);
        if (over_budget(run, t0, &rule_us, uid, &asked) || icaltime_is_null_time(t) ||
            icaltime_compare(t, limit) >= 0)
            break;
        if (icaltime_compare(t, start) <= 0)
            continue;
        t.zone = start.zone;
        one_event(c, ve, t, icaltime_is_null_time(end) ? end : icaltime_add(t, len), uid, 1);
        n++;
    }
    icalrecur_iterator_free(it);
}

int sw_feed_ical(struct sw_fctx *c, const char *buf, size_t len)
{
    struct ical_run run = { .c = c };
    char *text = strndup(buf, len);
    icalcomponent *root, *k;
    int single;

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
    run.budget_us = (int64_t)c->o->max_expand_ms * 1000;
    run.rule_budget_us = run.budget_us / 4;
    single = icalcomponent_isa(root) == ICAL_VEVENT_COMPONENT;
    /* First pass: a rule that can never occur fails the calendar before any event leaves. */
    for (k = single ? root : icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
         k != NULL && !run.failed;
         k = single ? NULL : icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT))
        check_rule(&run, k);
    for (k = single ? root : icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
         k != NULL && !run.failed && !c->stop;
         k = single ? NULL : icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT))
        vevent(&run, k);
    icalcomponent_free(root);
    if (run.failed) {
        c->res->partial = c->res->events > 0;
        return SW_INVALID;
    }
    if (c->res->records == 0) {
        snprintf(c->res->err, sizeof(c->res->err), "the calendar holds no VEVENT");
        return SW_INVALID;
    }
    return c->stop == 2 ? SW_TOOBIG : SW_OK;
}
