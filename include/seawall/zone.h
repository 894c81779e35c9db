/* zone.h — time zones by name, through ICU calendars (ucal_open with the zone id). Nothing here
 * reads or sets the process's TZ, so any number of threads may convert in different zones at
 * once: each call opens its own calendar and closes it before returning.
 *
 * Instants are milliseconds since the epoch; days are whole local dates counted as days since
 * 1970-01-01 (proleptic Gregorian), the form lib/deadlines.c and the show index use.
 *
 * Local times that a change of offset skips (02:30 on the night New York moves to summer time)
 * are read with the offset in force before the change, so they land just after it (03:30 EDT);
 * local times that occur twice (01:30 on the night it moves back) mean the first of the two. */
#ifndef SEAWALL_ZONE_H
#define SEAWALL_ZONE_H

#include <stddef.h>

#include "seawall/common.h"

#define SW_ZONE_MAX 64   /* longest zone id accepted, in bytes */

/* A local date and time. */
struct sw_local {
    int year, month, day;        /* 1..9999, 1..12, 1..31 */
    int hour, minute, second;    /* 0..23, 0..59, 0..59 */
    int weekday;                 /* 0 Sunday .. 6 Saturday (filled by sw_zone_local only) */
    int offset_s;                /* seconds east of UTC then (filled by sw_zone_local only) */
};

/* 1 when zone is a time zone ICU knows by that exact id (an IANA name such as Europe/Berlin,
 * or UTC); 0 for anything else, including NULL, custom offsets ("GMT+05:00"), Windows names
 * and ids longer than SW_ZONE_MAX. */
int sw_zone_valid(const char *zone);

/* The local date and time in zone at instant ms. Returns SW_OK, SW_INVALID for an unknown zone
 * or an instant outside years 1..9999, SW_ERR when ICU fails. */
int sw_zone_local(const char *zone, int64_t ms, struct sw_local *out);

/* The instant at which it is in's date and time in zone (weekday and offset_s are ignored).
 * Returns SW_OK, SW_INVALID for an unknown zone or fields out of range (31 April included),
 * SW_ERR when ICU fails. */
int sw_zone_instant(const char *zone, const struct sw_local *in, int64_t *ms);

/* The first instant after after_ms at which a local day in zone reaches hour:00 — on a day
 * that skips that hour, the moment the day passes it. Returns SW_OK, SW_INVALID for an unknown
 * zone or an hour outside 0..23, SW_ERR when ICU fails. */
int sw_zone_next_hour(const char *zone, int hour, int64_t after_ms, int64_t *out);

/* The local date in zone at instant ms, as days since 1970-01-01. SW_OK, SW_INVALID, SW_ERR. */
int sw_zone_day(const char *zone, int64_t ms, int64_t *day);

/* The first instant of local date day in zone (its midnight, or the moment the day begins when
 * a change of offset skips midnight). SW_OK, SW_INVALID, SW_ERR. */
int sw_zone_day_start(const char *zone, int64_t day, int64_t *ms);

/* The last whole second of local date day in zone (23:59:59 on an ordinary day).
 * SW_OK, SW_INVALID, SW_ERR. */
int sw_zone_day_end(const char *zone, int64_t day, int64_t *ms);

/* The zone of country's capital (ISO 3166-1 alpha-2, upper case) into out (n bytes):
 * Europe/Berlin for DE, Asia/Shanghai for CN, America/New_York for US. A table names the
 * capitals of countries that span several zones; any other country takes the one zone ICU
 * lists for it (the first, were there several). SW_OK, SW_INVALID for a code ICU knows no
 * zone of (or out too small), SW_ERR when ICU fails. */
int sw_zone_for_country(const char *country, char *out, size_t n);

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian; any int64 day). */
int64_t sw_days_from_civil(int y, int m, int d);
void sw_civil_from_days(int64_t day, int *y, int *m, int *d);

/* Days in month m (1..12) of year y. */
int sw_month_days(int y, int m);

#endif
