/* dated.h — sources published as one file per date (USPTO's apcYYMMDD.zip, ipgYYMMDD.zip): the
 * URL template, which dates a source publishes (weekdays of the file's date), when each file
 * should be out (some days after its date, at a local time in the publisher's zone), and how
 * long past that a file may still come before its day counts as missing. Pure: no Redis, no
 * clock of its own (the caller passes now).
 *
 * Days are local dates counted as days since 1970-01-01 (zone.h). A template's placeholders:
 * {yyyy} {yy} {mm} {dd} and {yyyymmdd} {yymmdd}; nothing else in braces. */
#ifndef SEAWALL_DATED_H
#define SEAWALL_DATED_H

#include <jansson.h>

#include "seawall/common.h"
#include "seawall/zone.h"

#define SW_DATED_TEMPLATE_MAX 2048
#define SW_DATED_NO_START INT64_MIN

struct sw_dated {
    char tmpl[SW_DATED_TEMPLATE_MAX + 1];
    unsigned days;              /* bit 0 Sunday … bit 6 Saturday: the weekdays files are dated */
    int lag_days;               /* the file of date D is out on D + lag_days … */
    int at_min;                 /* … at this many minutes after local midnight … */
    char zone[SW_ZONE_MAX + 1]; /* … in this zone */
    int64_t grace_ms;           /* after that, a 404 means missing, not "not yet" */
    int64_t start_day;          /* the first date the source has, or SW_DATED_NO_START */
};

/* Reads a feed document's dated settings: url_template, days (["mon", …], default Monday to
 * Friday), lag_days (0), publish_at ("HH:MM", 00:00), zone (UTC), grace_h (48), start_date.
 * Returns SW_OK; SW_NOTFOUND when the feed has no url_template (it is not dated); SW_INVALID
 * with why (field and reason) when a setting is unusable. */
int sw_dated_from_doc(const json_t *doc, struct sw_dated *d, char *why, size_t whylen);

/* The URL for date day. Returns SW_OK; SW_INVALID for an unknown placeholder or a template
 * with none (why says which); SW_TOOBIG when out is too small. */
int sw_dated_url(const char *tmpl, int64_t day, char *out, size_t outlen, char *why,
                 size_t whylen);

/* 1 when the source publishes a file dated day (its weekday is one of d->days). */
int sw_dated_publishes(const struct sw_dated *d, int64_t day);

/* When the file dated day should be out (ms since the epoch). SW_OK, SW_INVALID, SW_ERR. */
int sw_dated_due_ms(const struct sw_dated *d, int64_t day, int64_t *ms);

/* The newest date whose file should be out at now_ms (it may be one the source does not
 * publish: check sw_dated_publishes). SW_OK, SW_INVALID, SW_ERR. */
int sw_dated_last_due(const struct sw_dated *d, int64_t now_ms, int64_t *day);

/* Day as "YYYY-MM-DD" (out: at least 11 bytes), and back (SW_OK or SW_INVALID). */
void sw_dated_day_name(int64_t day, char *out, size_t outlen);
int sw_dated_day_parse(const char *s, int64_t *day);

/* Weekday names mon … sun into a mask bit (SW_OK) or SW_INVALID. */
int sw_dated_weekday(const char *name, unsigned *bit);

/* What is known of each date: an object "YYYY-MM-DD" → outcome, where an outcome is
 * {"state": "fetched", "at", "items", "events"} (the file was read), {"state": "waiting", "at",
 * "tries"} (404 before the grace ran out: not yet published), {"state": "missing", "at",
 * "http"} (404 after it: the day never appeared), or {"state": "unreadable", "at", "items",
 * "events"} (the file came but could not be read, or a cap refused it: not fetched again);
 * "at" is when the outcome was recorded. */

/* The first day of the window a poll looks at: backfill_max days before today (in the
 * source's zone), or its start_date when later. */
int64_t sw_dated_window_start(const struct sw_dated *d, int64_t now_ms, int backfill_max);

/* The next date to fetch, oldest first: a date in the window whose file should be out and of
 * which nothing is known, or one waiting whose last try is retry_ms old. Returns 1 with *day;
 * 0 with *wake_ms, the instant there will be one (a file's publication or a retry); SW_ERR when
 * the zone cannot be read. */
int sw_dated_next(const struct sw_dated *d, const json_t *days, int64_t now_ms,
                  int backfill_max, int64_t retry_ms, int64_t *day, int64_t *wake_ms);

/* The public coverage of a dated source at now_ms (new object, caller decrefs):
 * window_start, last_due, expected (dates in the window that should be out), fetched (of
 * them), last_fetched, missing (every date recorded missing, oldest first), waiting,
 * unreadable (fetched, but the file could not be read or a cap refused it), pending
 * (due in the window, not tried yet: at most 60, oldest first) and not_backfilled ({from, to,
 * days}: publication dates between the newest one known from before the window and the
 * window, which no poll will fetch; null when there are none). */
json_t *sw_dated_coverage(const struct sw_dated *d, const json_t *days, int64_t now_ms,
                          int backfill_max);

#endif
