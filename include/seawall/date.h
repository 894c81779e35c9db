/* date.h — dates as feeds write them, into ISO 8601. */
#ifndef SEAWALL_DATE_H
#define SEAWALL_DATE_H

#include "seawall/common.h"

/* Reads RFC 822/1123 and their real-world variants (named zones, missing weekday or seconds,
 * two-digit years), ISO 8601 / W3C-DTF (with or without time, zone, fractions), YYYYMMDD, and
 * a date with a zone but no time ("2000-05-09-04:00"). On success writes the result into out
 * (at least 26 bytes): "YYYY-MM-DDTHH:MM:SSZ" in UTC when a time was given, "YYYY-MM-DD" when
 * only a date was. Returns SW_OK, or SW_INVALID for text that is not a date (never "now"). */
int sw_date_normalise(const char *in, char *out, size_t outlen);

/* The instant a date names, in milliseconds since the epoch (a date alone: its midnight UTC).
 * Accepts what sw_date_normalise accepts. Returns SW_OK or SW_INVALID. */
int sw_date_ms(const char *in, int64_t *ms);

#endif
