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

/* One reason for an alert. The strings point into the event, the index or the matcher's
 * own memory and are valid only until the callback returns: copy what you keep. */
struct sw_match_reason {
    const char *rule;          /* "similar-mark", "named-as-defendant", … */
    const char *field;         /* where in the event: "marks[0]", "parties[1]", "text" */
    const char *event_text;    /* what the event says there */
    const char *item_kind;     /* "mark", "name", "patent", "keyword", "show" */
    const char *item_text;     /* the portfolio item as the exporter wrote it */
    const char *why;           /* what gave the score: "identical", "look-alike characters" */
    long long item_id;
    double score;              /* 0 to 1, as sw_similarity gives it */
};

/* An alert: subscriber, portfolio item (0 for a market the subscriber trades in), the
 * severity and rule of its strongest reason, and all its reasons, strongest first. */
struct sw_match {
    long long sub, item;
    const char *severity, *rule;
    const struct sw_match_reason *reasons;
    size_t nreasons;
};

typedef void (*sw_match_fn)(void *ud, const struct sw_match *m);

/* Matches one event (the JSON of DESIGN.md); calls fn once per (subscriber, item) that
 * alerts. Returns the number of alerts. */
size_t sw_mindex_match(struct sw_mindex *ix, const json_t *event, sw_match_fn fn, void *ud);

/* Appends the alert's members as JSON text — "severity":…,"rule":…,"reasons":[…] — without
 * braces, so the caller writes its own members beside them. Returns SW_OK, SW_TOOBIG or
 * SW_ERR as sw_buf_add does. */
struct sw_buf;
int sw_match_json_members(const struct sw_match *m, struct sw_buf *b);

/* Items held and postings filed, and the bytes the index uses (approximately). */
void sw_mindex_stats(const struct sw_mindex *ix, size_t *items, size_t *postings, size_t *bytes);

#endif
