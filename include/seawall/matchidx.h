/* matchidx.h — the in-memory index a matcher keeps of every portfolio, and the rules that turn
 * an event into alerts (DESIGN.md "Portfolio and matching").
 *
 * Reverse search: portfolio items are the standing queries. Each item is filed under hash keys
 * of its normalised forms (exact, look-alike skeleton, phonetic, without generic words, and its
 * one-deletion neighbourhood); an event's texts are probed under the same keys, so the work per
 * event does not grow with the number of portfolios. Candidates are verified with
 * sw_similarity and the subscriber's threshold, then filtered by country and class. Not
 * thread-safe: one index per matcher process. */
#ifndef SEAWALL_MATCHIDX_H
#define SEAWALL_MATCHIDX_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_mindex;

struct sw_mindex *sw_mindex_new(void);
void sw_mindex_free(struct sw_mindex *ix);

/* Sets or replaces a subscriber's settings from its profile document (markets,
 * alert_threshold, name). */
int sw_mindex_subscriber(struct sw_mindex *ix, long long sub, const json_t *profile);

/* Adds or replaces portfolio item (its "id" names it) of sub. SW_INVALID if unusable. */
int sw_mindex_put(struct sw_mindex *ix, long long sub, const json_t *item);

/* Removes item id of sub (no-op when absent). */
void sw_mindex_del(struct sw_mindex *ix, long long sub, long long id);

/* Receives one alert: sub, item id, and the alert JSON (severity, rule, reasons; no id,
 * no event) which the callee takes over. */
typedef void (*sw_alert_fn)(void *ud, long long sub, long long item, json_t *alert);

/* Matches one event (the JSON of DESIGN.md); calls fn once per (subscriber, item) that
 * alerts, with its strongest reason first. Returns the number of alerts. */
size_t sw_mindex_match(struct sw_mindex *ix, const json_t *event, sw_alert_fn fn, void *ud);

/* Items held and postings filed, and the bytes the index uses (approximately). */
void sw_mindex_stats(const struct sw_mindex *ix, size_t *items, size_t *postings, size_t *bytes);

#endif
