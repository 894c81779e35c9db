/* deadlines.h — legal deadlines from a rules table kept as data (etc/deadlines.json): which
 * rule applies to a case (type, country, proceeding), and when its period ends, counted in
 * hours, calendar days, working days (per-country weekends and holidays) or months. The same
 * table holds the action rules an alert's window comes from (seawall/actions.h).
 *
 * Days are local days of the forum: a calendar may name its zone ("zone": "Europe/Berlin"),
 * otherwise UTC. A period in days or months counts from the local day of its start and ends at
 * the last second of its last local day (23:59:59 there). A rule may name its own zone and
 * calendar (an office's: "zone": "America/New_York", "calendar": "EUIPO"); then those count,
 * not the country's. Zones go through lib/zone.c (ICU), so any thread may compute a
 * deadline. */
#ifndef SEAWALL_DEADLINES_H
#define SEAWALL_DEADLINES_H

#include <jansson.h>
#include "seawall/common.h"

struct sw_deadlines;

/* What an action rule may say: its kinds and the event dates it counts from (NULL-ended). */
extern const char *const sw_action_kinds[];   /* opposition, madrid_refusal, answer, … */
extern const char *const sw_action_froms[];   /* published, notified, served */

/* What a case rule may say (NULL-ended): the kinds of a case's deadlines (answer, tro_expiry,
 * pi_hearing, opposition, counter_statement, …, other) and the events they count from
 * (served, entered, published, notified, hearing). */
extern const char *const sw_case_deadline_kinds[];
extern const char *const sw_case_deadline_froms[];

/* How a deadline was counted: the zone whose day ends it, the calendar whose weekends and
 * holidays it skipped ("default" when the country has none), whether that calendar lists
 * the holidays of every day the count looked at (covered; 0 means weekends only there), and
 * whether the calendar was used at all (counted: working days or a roll). Strings are
 * borrowed from the table or the caller. */
struct sw_due_info {
    const char *zone;
    const char *calendar;
    int covered;
    int counted;
};

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

/* The zone whose days country's deadlines count: its calendar's "zone", or "UTC" (also for a
 * NULL d). Borrowed; lives as long as d. */
const char *sw_deadline_zone(const struct sw_deadlines *d, const char *country);

/* The zone whose days rule counts for country: the rule's own "zone", else its calendar's
 * (the one it names, else the country's), else "UTC". Borrowed; lives as long as d and rule. */
const char *sw_deadline_rule_zone(const struct sw_deadlines *d, const json_t *rule,
                                  const char *country);

/* 1 when country fits list: an entry that is the code itself, "*", or "@GROUP" naming one of
 * the table's country groups with the code in it. */
int sw_deadline_country_fits(const struct sw_deadlines *d, const json_t *list,
                             const char *country);

/* As sw_deadline_when, in zone: a date alone is that local day there. */
int sw_deadline_when_in(const char *zone, const char *text, int end_of_day, int64_t *ms);

/* The instant text (a date or date-time, as sw_date_ms reads them) means for a deadline in
 * country: a date-time is that instant; a date alone is the start of that day in the country's
 * zone, or its last second when end_of_day is set. SW_OK with *ms, or SW_INVALID. d may be
 * NULL (UTC). */
int sw_deadline_when(const struct sw_deadlines *d, const char *country, const char *text,
                     int end_of_day, int64_t *ms);

/* When rule's period, started at from_ms, ends for a case in country (see above for days; a
 * rule's own zone and calendar count where it names them). */
int64_t sw_deadline_due(const struct sw_deadlines *d, const json_t *rule, const char *country,
                        int64_t from_ms);

/* As sw_deadline_due, with period (NULL: the rule's own; an extension's) and zone (NULL: the
 * rule's) given, saying in *info (may be NULL) how it was counted. */
int64_t sw_deadline_due_info(const struct sw_deadlines *d, const json_t *rule,
                             const json_t *period, const char *country, const char *zone,
                             int64_t from_ms, struct sw_due_info *info);

/* The case rule with this id, or NULL. Borrowed. */
const json_t *sw_deadline_rule_by_id(const struct sw_deadlines *d, const char *id);

/* 1 when rule fits the exporter's side of an opposition ("opposer", "opposed"; NULL: either):
 * a rule without "exporter_role" fits both. */
int sw_deadline_side_fits(const json_t *rule, const char *side);

/* The first case rule of kind for country and side, preferring one of the case's type (or
 * "*"), else any type. NULL when none. Borrowed. */
const json_t *sw_deadline_rule_of_kind(const struct sw_deadlines *d, const char *kind,
                                       const char *type, const char *country, const char *side);

/* The calendar named name, or NULL. Borrowed. */
const json_t *sw_deadline_calendar(const struct sw_deadlines *d, const char *name);

/* 1 when day (days since 1970-01-01) is a working day in country's calendar. */
int sw_deadline_working_day(const struct sw_deadlines *d, const char *country, int64_t day);

#endif
