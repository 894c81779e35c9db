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

#include <stdint.h>

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

/* One reason an item alerts. The strings point into the event, the index or the matcher's
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

/* One portfolio item an event touched, with what the portal needs to show the two side by
 * side: the item as the exporter wrote it, its classes and countries, what it shares with the
 * event, and its reasons, strongest first. Pointers are valid only until the callback
 * returns. */
struct sw_match_item {
    long long id;              /* 0: a market the subscriber trades in (a bulletin) */
    const char *kind;          /* "mark", "name", "patent", "keyword", "show"; "market" for 0 */
    const char *text;          /* the item as the exporter wrote it */
    const char *severity, *rule;   /* of its strongest reason */
    double score;              /* its best reason's score */
    uint64_t classes;          /* its Nice classes as bits 1..45; 0: none given */
    uint64_t classes_common;   /* those the event names too */
    unsigned countries;        /* the index's country sets (sw_match_json_members writes */
    unsigned watched;          /* them out): the item's own, and those it watches (its own, */
                               /* else its subscriber's markets; 0: everywhere) */
    const struct sw_match_reason *reasons;
    size_t nreasons;
};

/* An alert: one subscriber and every item of its portfolio the event touched, strongest
 * first (severity, then score, then item id); severity and rule are those of the first. */
struct sw_match {
    long long sub;
    const char *severity, *rule;
    const struct sw_match_item *items;
    size_t nitems;
    const struct sw_mindex *index;   /* what the country sets are read from */
    const char *jurisdiction;        /* the event's, or NULL */
};

typedef void (*sw_match_fn)(void *ud, const struct sw_match *m);

/* SW_MATCH_FAILED from sw_mindex_match: memory ran out while matching; fn was not called. */
#define SW_MATCH_FAILED ((size_t)-1)

/* Matches one event (the JSON of DESIGN.md); calls fn once per subscriber it alerts, with
 * every item of that subscriber it touched, so one event makes one alert per subscriber.
 * Returns the number of alerts, or SW_MATCH_FAILED (then fn was never called: a caller that
 * retries loses no item to a half-made alert). */
size_t sw_mindex_match(struct sw_mindex *ix, const json_t *event, sw_match_fn fn, void *ud);

/* Appends the alert's members as JSON text — "severity", "rule", "item_ids" and "items" (each
 * {"item": {id, kind, text, classes, countries}, severity, rule, score, event_texts,
 * classes_common, countries_common, countries_source, reasons: [{rule, field, matched, score,
 * why}]}) — without braces, so the caller writes its own members beside them. Returns SW_OK,
 * SW_TOOBIG or SW_ERR as sw_buf_add does. */
struct sw_buf;
int sw_match_json_members(const struct sw_match *m, struct sw_buf *b);

/* Items held and postings filed, and the bytes the index uses (approximately). */
void sw_mindex_stats(const struct sw_mindex *ix, size_t *items, size_t *postings, size_t *bytes);

#endif
