/* portfolio.h — what an exporter watches: marks, names, patents, keywords and shows, kept
 * per subscriber (keys.h: swk_pf, swk_pf_ids, swk_pf_seq, swk_pf_outbox), every change also
 * appended, numbered, to the subscriber's shard of the portfolio-changes stream (stream.h,
 * routed by subscriber id) so running matchers follow each portfolio's changes in order.
 * How a change is stored in single-slot steps, and what a crash between them leaves, is told
 * at "Storing a change" in lib/portfolio.c. */
#ifndef SEAWALL_PORTFOLIO_H
#define SEAWALL_PORTFOLIO_H

#include <jansson.h>

#include "seawall/common.h"
#include "seawall/json.h"

struct sw_store;
struct redisReply;

#define SW_PORTFOLIO_CHANGES "portfolio-changes"
#define SW_PORTFOLIO_MAX 20000   /* items one subscriber may keep */
#define SW_KEYWORD_WORDS_MAX 8   /* words in a keyword written in Latin script */

/* Checks one item as a client sent it (kind-specific fields, unknown ones refused) and
 * completes it: a patent number is stored in its normal form ("US 8,930,553 B2" → US8930553).
 * Problems go to errs under prefix ("/items/3"). Returns the number of problems. */
size_t sw_portfolio_check(json_t *item, const char *prefix, int partial, struct sw_verrs *errs);

/* Checks that every show item among items (an array) names a fair that exists: a show no
 * calendar has would never match. Each one that does not is added to errs at its prefix (from
 * prefixes, an array beside items; NULL: "/items/<i>") + "/show". Items of other kinds, and
 * show items without a show, are left to sw_portfolio_check. One round trip. SW_OK (errs may
 * have grown), SW_EAGAIN or SW_ERR. */
int sw_portfolio_check_shows(struct sw_store *s, const json_t *items, const json_t *prefixes,
                             struct sw_verrs *errs);

/* "US 8,930,553 B2", "US8930553", "8930553" (country given or US), "USD0651376S1" →
 * "US8930553" / "USD651376". Returns SW_OK or SW_INVALID. */
int sw_patent_normalise(const char *in, const char *country, char *out, size_t outlen);

/* Stores items (an array of checked items; ids are given here) for subscriber sub with their
 * change records: sw_portfolio_apply in SW_PF_ADD. Fails with SW_TOOBIG past
 * SW_PORTFOLIO_MAX. On success each item in the array has its "id". */
int sw_portfolio_put(struct sw_store *s, long long sub, json_t *items);

/* What an import does with the portfolio it meets. */
enum sw_pf_mode {
    SW_PF_ADD,       /* every row is a new item (an "id" in a row is ignored here: refuse it
                        before, as the API does) */
    SW_PF_UPSERT,    /* a row with an "id" replaces that item whole; one without is added */
    SW_PF_REPLACE,   /* as upsert, and the portfolio becomes exactly the rows: items no row
                        names are removed; a row without an id that equals such an item (all
                        members but the id, empty ones left out) is that item, kept */
};

struct sw_pf_outcome {
    size_t added, updated, unchanged;
    json_t *removed;   /* ids removed (or, in a dry run, to be), ascending; caller decrefs */
};

/* Applies an import of items (an array of checked items, changed in place: each gets its
 * "id", except the rows a dry run would add) to subscriber sub's portfolio. All or nothing:
 * the portfolio is read under WATCH and every write, with one numbered change record per item
 * added, updated or removed, goes in one MULTI/EXEC, planned again when the portfolio changed
 * meanwhile; then (sw_store_durable) the change records are appended to the portfolio-changes
 * stream, so running matchers follow, together with any an earlier attempt recorded but did
 * not append. A row equal to its item (empty members aside) is left alone: no write, no change
 * record, nothing re-indexed. Changes stored but not appended (the stream could not be
 * reached) are appended by the same call again, by any later write of the portfolio, or by
 * the matchers' sweep (sw_portfolio_sweep); the write is answered as done.
 * prefixes (may be NULL: "/items/<i>") is an array of pointers naming each row, for the row
 * problems added to errs: an id that is not in the portfolio, an id given twice. dry_run
 * plans and counts without writing. Returns SW_OK (out filled), SW_INVALID, SW_TOOBIG (the
 * result would pass SW_PORTFOLIO_MAX), SW_EAGAIN or SW_ERR. */
int sw_portfolio_apply(struct sw_store *s, long long sub, enum sw_pf_mode mode, json_t *items,
                       const json_t *prefixes, int dry_run, struct sw_pf_outcome *out,
                       struct sw_verrs *errs);

/* Replaces item id (merged with patch, re-checked by the caller), with its change record as
 * sw_portfolio_apply does. SW_OK with *out (caller decrefs), SW_NOTFOUND if absent, SW_EAGAIN
 * or SW_ERR. */
int sw_portfolio_update(struct sw_store *s, long long sub, long long id, const json_t *patch,
                        json_t **out);

int sw_portfolio_get(struct sw_store *s, long long sub, long long id, json_t **out);

/* Deletes item id with its change record. SW_OK, SW_NOTFOUND (already gone: an earlier
 * attempt's change record is appended all the same), SW_EAGAIN or SW_ERR. */
int sw_portfolio_delete(struct sw_store *s, long long sub, long long id);

/* Tells running matchers that subscriber sub's profile (markets, threshold) is new or
 * changed, so they know it even before it has any item (an unnumbered entry: the reader reads
 * the profile again). Returns SW_OK or SW_EAGAIN. */
int sw_portfolio_profile_changed(struct sw_store *s, long long sub);

/* Items with id > after, ascending, at most limit (0: all), of kind (NULL: any). */
int sw_portfolio_list(struct sw_store *s, long long sub, long long after, int limit,
                      const char *kind, json_t **items, long long *next);

/* --- Following the changes (seawall-matcher) -------------------------------------------------
 * Matchers may be partitioned (matcher.partitions): a matcher of partition p holds only the
 * portfolios of subscribers whose partition is p. A follower reads every shard of the
 * portfolio-changes stream from where it stood (no consumer group: every matcher reads every
 * change) and hands over only its partition's changes, each at most once and never one older
 * than what it applied: entries carry their portfolio's change number, and a follower
 * remembers the last it applied per subscriber (16 bytes each). */

/* The partition (0 .. partitions-1) of subscriber sub: the cluster's CRC16 of its id, so the
 * same in every process. 0 when partitions <= 1. */
int sw_portfolio_partition(long long sub, int partitions);

enum sw_pf_change_kind { SW_PF_CHANGE_UPSERT, SW_PF_CHANGE_DELETE, SW_PF_CHANGE_PROFILE };

/* One entry of the portfolio-changes stream. */
struct sw_pf_change {
    long long sub;
    long long seq;                /* its number in the portfolio; 0: a profile change */
    enum sw_pf_change_kind kind;
    const char *item;             /* UPSERT: the item as JSON text (valid as long as the
                                     entry: during the callback) */
    long long id;                 /* DELETE: the item's id */
    int first;                    /* the follower had not met this subscriber before */
};

/* Reads a stream entry ([id, [name, value, ...]]) into c. SW_OK or SW_INVALID. */
int sw_pf_change_parse(const struct redisReply *entry, struct sw_pf_change *c);

struct sw_pf_follow;

/* A follower of the changes of partition (of partitions) subscribers; NULL without memory.
 * Free with sw_pf_follow_free (NULL is fine). */
struct sw_pf_follow *sw_pf_follow_new(int partitions, int partition);
void sw_pf_follow_free(struct sw_pf_follow *f);

/* Places f at the end of every shard: call before reading the portfolios it follows, so a
 * change made during the read is read after it. SW_OK or SW_EAGAIN. */
int sw_pf_follow_start(struct sw_store *s, struct sw_pf_follow *f);

/* Notes that subscriber sub's portfolio was read at change number seq: entries up to it are
 * skipped. SW_OK or SW_ERR (no memory). */
int sw_pf_follow_seen(struct sw_pf_follow *f, long long sub, long long seq);

/* Reads up to count entries per shard past where f stands and calls fn(ud, change) for each
 * of f's partition not applied yet, in order per subscriber. Returns the most entries one
 * shard gave (count: there may be more), or -1 when the store failed (s->errstr). */
long long sw_pf_follow_read(struct sw_store *s, struct sw_pf_follow *f, int count,
                            void (*fn)(void *ud, const struct sw_pf_change *c), void *ud);

/* The subscribers f has met (read or changed): those its partition holds. */
size_t sw_pf_follow_subscribers(const struct sw_pf_follow *f);

/* Reads every portfolio of f's partition, each with its subscriber's profile (borrowed for
 * the call), calling fn(ud, sub, profile, items) and noting its change number in f
 * (sw_pf_follow_seen). A subscriber without a profile is skipped. fn returns SW_OK to go on.
 * SW_OK, SW_EAGAIN, SW_ERR, or fn's code. */
int sw_portfolio_load_all(struct sw_store *s, struct sw_pf_follow *f,
                          int (*fn)(void *ud, long long sub, const json_t *profile,
                                    const json_t *items),
                          void *ud);

/* The sweep of partition's (of partitions) portfolios written lately: each one whose last
 * write began idle_ms ago or more has what its outbox holds appended to the stream (what a
 * writer that died, or could not reach the stream, left) and leaves the set. Up to 100 at a
 * time. Returns how many it swept, or -1 when the store failed. */
int sw_portfolio_sweep(struct sw_store *s, int partitions, int partition, long long idle_ms);

/* The events stream's consumer group of matchers of partition (of partitions): "matchers"
 * for one partition, "matchers.p<P>of<N>" otherwise, into out. */
void sw_matcher_group_name(int partitions, int partition, char *out, size_t len);

/* Makes that group on every shard of base that lacks it. It starts where the matchers of
 * another partitioning stand on the shard — the least advanced of their groups, at its first
 * entry not acknowledged or past the last it was handed — so a change of matcher.partitions
 * neither replays the stream's history to the new groups (old events would alert subscribers
 * of items added since) nor misses what came while the matchers were switched over; with no
 * such group, at the shard's start. SW_OK or SW_EAGAIN (s->errstr). */
int sw_matcher_group_create(struct sw_store *s, const char *base, int partitions,
                            int partition);

#endif
