/* stream.h — Seawall's streams (events, deliveries, portfolio changes, ...), each split into
 * redis.stream_shards shards: one Redis stream per shard, each under its own hash tag
 * (sw:{events:0}, sw:{events:1}, ...), so a Redis Cluster spreads one stream's traffic over
 * its nodes and no script needs two shards at once.
 *
 * A writer names a route (the event id, the subscriber id): the same route always goes to the
 * same shard, so entries of one route keep their order. A reader reads every shard: first each
 * shard without waiting (one round trip per node), and when none has anything, it waits up to
 * a short slice on one shard, a different one each time. Entries are acknowledged on the shard
 * they came from. */
#ifndef SEAWALL_STREAM_H
#define SEAWALL_STREAM_H

#include <signal.h>
#include <stddef.h>

#include "seawall/common.h"
#include "seawall/keys.h"

struct sw_store;
struct redisReply;

#define SW_STREAM_SHARDS_MAX 64

/* The number of shards the handle's configuration gives (redis.stream_shards). */
int sw_stream_shards(const struct sw_store *s);

/* The shard (0 .. shards-1) of route (len bytes); the same for every process. */
int sw_stream_shard_of(const struct sw_store *s, const char *route, size_t len);

/* base's stream on shard. */
sw_key_t sw_stream_key(const char *base, int shard);

/* Appends one entry of nf name/value pairs (fields[2i], fields[2i+1], lens may be NULL) to
 * base's shard for route, trimmed to about maxlen entries (0: not trimmed). id (may be NULL)
 * receives the entry's id. SW_OK or SW_EAGAIN (s->errstr says why). */
int sw_stream_add(struct sw_store *s, const char *base, const char *route, size_t route_len,
                  long long maxlen, int nf, const char **fields, const size_t *lens,
                  char *id, size_t idlen);

/* Creates group on every shard of base, starting at start ("0" or "$"), making the streams;
 * a group that exists already is left as it is. SW_OK or SW_EAGAIN. */
int sw_stream_group(struct sw_store *s, const char *base, const char *group, const char *start);

/* What one read gave: for each shard that had entries, its XREADGROUP entries
 * ([[id, [name, value, ...]], ...]). The replies belong to the batch; free them with
 * sw_stream_batch_free. */
struct sw_stream_batch {
    int n;                                   /* shards with entries */
    int shard[SW_STREAM_SHARDS_MAX];
    const struct redisReply *entries[SW_STREAM_SHARDS_MAX];
    struct redisReply *replies[SW_STREAM_SHARDS_MAX];
    size_t total;                            /* entries over all shards */
};

/* Reads, as consumer me of group, up to count new entries per shard of base; when no shard has
 * any, waits up to block_ms (in slices of at most 50 ms, one shard per slice) for one. The
 * batch may be empty. SW_OK, or SW_EAGAIN when the store failed (the batch is empty). */
int sw_stream_read(struct sw_store *s, const char *base, const char *group, const char *me,
                   long long count, long long block_ms, struct sw_stream_batch *b);

void sw_stream_batch_free(struct sw_stream_batch *b);

/* Acknowledges n entry ids of group on base's shard. SW_OK or SW_EAGAIN. */
int sw_stream_ack(struct sw_store *s, const char *base, int shard, const char *group,
                  int n, const char **ids);

/* Takes over, shard by shard, the entries of base/group that other consumers read but left
 * unacknowledged for idle_ms (a crashed worker's), count at a time, handing each batch to
 * take(ud, shard, entries); what says what the entries are in the log ("events"). Stops after
 * 100 batches per shard or when *stopping is set. */
void sw_stream_claim(struct sw_store *s, const char *base, const char *group, const char *me,
                     long long idle_ms, long long count, const char *what,
                     void (*take)(void *ud, int shard, const struct redisReply *entries),
                     void *ud, volatile sig_atomic_t *stopping);

/* Entries of group not yet acknowledged, summed over base's shards (-1 when the store
 * failed). */
long long sw_stream_pending(struct sw_store *s, const char *base, const char *group);

/* Entries in base's streams, summed over its shards (-1 when the store failed). */
long long sw_stream_len(struct sw_store *s, const char *base);

#endif
