/* deadlines.h — legal deadlines from a rules table kept as data (etc/deadlines.json): which
 * rule applies to a case (type, country, proceeding), and when its period ends, counted in
 * hours, calendar days, working days (per-country weekends and holidays) or months.
 *
 * Days are whole UTC days; a period in days or months ends at 23:59:59 UTC of its last day. */
#ifndef SEAWALL_DEADLINES_H
#define SEAWALL_DEADLINES_H

#include <jansson.h>
#include "seawall/common.h"

struct sw_deadlines;

/* Reads and checks the rules file. Returns SW_OK with *out (free with sw_deadlines_free), or
 * SW_INVALID with the file, rule index and reason in err. */
int sw_deadlines_load(const char *path, struct sw_deadlines **out, char *err, size_t errlen);
void sw_deadlines_free(struct sw_deadlines *d);

/* The whole table as read (borrowed; lives as long as d). */
const json_t *sw_deadlines_doc(const struct sw_deadlines *d);

/* The first rule for (type, country, proceeding; "" or NULL for none given), or NULL.
 * Borrowed. */
const json_t *sw_deadline_rule(const struct sw_deadlines *d, const char *type,
                               const char *country, const char *proceeding);

/* When rule's period, started at from_ms, ends for a case in country. */
int64_t sw_deadline_due(const struct sw_deadlines *d, const json_t *rule, const char *country,
                        int64_t from_ms);

/* 1 when day (days since 1970-01-01) is a working day in country's calendar. */
int sw_deadline_working_day(const struct sw_deadlines *d, const char *country, int64_t day);

#endif
