/* casestats.h — an assistance centre's statistics: cases by month and type, by month and
 * country, times to first response and to resolution (median and 90th percentile, active time
 * as the case clocks count it, pauses left out), SLA breaches by month, each expert's workload
 * and the outcomes of resolved cases — as JSON for charts and as tables for CSV.
 *
 * Which cases count where (docs/cases.md "Statistics"):
 *   - months, types, countries, times and breaches: cases that came in within [from, until),
 *     by the UTC month of created_at;
 *   - workload: open cases per expert now (assigned, in_progress, waiting_on_exporter) and
 *     cases each resolved within [from, until);
 *   - outcomes: cases resolved within [from, until), by outcome and by whether they are closed
 *     since.
 * Pure: documents in, JSON out; no store, no I/O. */
#ifndef SEAWALL_CASESTATS_H
#define SEAWALL_CASESTATS_H

#include <stdint.h>

#include <jansson.h>

#include "seawall/common.h"

/* The outcomes a resolution records ("outcome" on the resolve transition). */
extern const char *const sw_case_outcomes[];

/* What the statistics are made of. */
struct sw_case_stats_in {
    const json_t *docs;        /* the cases, documents as stored (with their "clock") */
    const json_t *experts;     /* [{id, name}]: the centre's experts, listed with no work too
                                * (NULL: only those the cases name) */
    int64_t from_ms, until_ms; /* the period; 0 and INT64_MAX for all time */
    int64_t now_ms;            /* the time SLA clocks are read at */
    int near_pct;              /* cases.near_breach_pct */
    /* The service-level targets (hours) of centre. */
    void (*targets)(void *ud, long long centre, long long *first_h, long long *resolve_h);
    void *ud;
};

/* The statistics (new reference, NULL on no memory):
 *   cases, by_type, by_country, by_state, by_month          counts (as before: objects)
 *   months                     every month from the first case's to the last's, ascending
 *   by_month_type              [{month, type, cases}]
 *   by_month_country           [{month, country, cases}]
 *   first_response, resolution {count, median_s, p90_s} (null when count is 0)
 *   sla_breaches               {first_response, resolution}: totals
 *   sla_by_month               [{month, cases, first_response_breached, resolution_breached}]
 *   workload                   [{expert_id, name, open, resolved}], by name
 *   outcomes                   [{outcome, resolved, closed, cases}] ("not_recorded" for
 *                              resolutions without one)
 *   case_rows                  the cases that came in, one row each, for the "cases" table */
json_t *sw_case_stats(const struct sw_case_stats_in *in);

/* One column of a table: its name (the JSON member, and the English CSV header) and its
 * label (an English msgid: the CSV header in other languages). */
struct sw_stats_col {
    const char *name;
    const char *label;
};

/* The table called name ("cases", "month_type", "month_country", "times", "sla", "workload",
 * "outcomes") of stats: its columns (a static array ending in a NULL name, into *cols) and its
 * rows as arrays of strings (new reference). NULL for an unknown table. */
json_t *sw_case_stats_table(const json_t *stats, const char *name,
                            const struct sw_stats_col **cols);

/* The table names, for a message naming them: "cases, month_type, …". */
extern const char sw_case_stats_tables[];

#endif
