/* record.h — a record is a JSON document with an append-only history beside it, changed only
 * under WATCH so a concurrent change retries instead of being lost. Cases and show incidents
 * are records.
 *
 * A record's document and history share one hash tag (keys.h: swk_rec_doc), so its change is
 * one single-slot MULTI/EXEC. What follows from the change in other slots (index moves, a
 * linked record, counters) cannot join that MULTI in a Redis Cluster, so it runs as ordered
 * steps around it (sw_cmds_exec):
 *   1. before: additions to indexes that readers look records up by (ZADD, SADD), one command
 *      at a time. Harmless alone: every reader skips an index entry whose record is missing
 *      and re-checks, from the document, an entry whose record no longer matches the index
 *      (an "open" list re-checks the state, a staff list the assignee).
 *   2. the transaction: every queued command in the slot of the first one (the document's),
 *      under the WATCH of sw_rec_update. A WATCH that fired leaves the additions of step 1
 *      in place (harmless as above; the retry adds them again).
 *   3. after: removals from indexes, counters, appends to streams and linked records in other
 *      slots, in the order queued; consecutive commands of one slot go as one MULTI (a
 *      linked record's document with its history).
 * A crash between 1 and 2 leaves index entries naming a record that is missing or does not
 * match them (skipped by readers); between 2 and 3 it leaves stale entries in indexes (also
 * skipped), a counter not moved, or a linked record or stream entry not written — the callers
 * that link records say how a retry redoes step 3. */
#ifndef SEAWALL_RECORD_H
#define SEAWALL_RECORD_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;

#define SW_CMDS_MAX 40
#define SW_CMD_ARGS 12

/* When a queued command runs (see the top of this file). */
enum sw_cmd_step { SW_STEP_TXN = 0, SW_STEP_BEFORE, SW_STEP_AFTER };

/* Commands queued for a record's change; every argument is copied. */
struct sw_cmds {
    int n;
    int argcs[SW_CMDS_MAX];
    const char **argvs[SW_CMDS_MAX];
    char *args[SW_CMDS_MAX][SW_CMD_ARGS];
    unsigned char step[SW_CMDS_MAX];   /* enum sw_cmd_step */
    int failed;                 /* out of room or memory: nothing is run */
};

/* Queues verb with its arguments (at most SW_CMD_ARGS - 1), the list ending with NULL.
 * sw_cmds_add: in the transaction when its key is in the slot of the transaction's first
 * command, else after it (step 3). sw_cmds_before: an addition to an index, before the
 * transaction (step 1); it must be harmless alone and when run again. sw_cmds_after: after
 * the transaction (step 3). */
void sw_cmds_add(struct sw_cmds *c, const char *verb, ...) __attribute__((sentinel));
void sw_cmds_before(struct sw_cmds *c, const char *verb, ...) __attribute__((sentinel));
void sw_cmds_after(struct sw_cmds *c, const char *verb, ...) __attribute__((sentinel));
void sw_cmds_free(struct sw_cmds *c);

/* The record's keys: tag "case", id 7 give "sw:{case:7}:doc" and "sw:{case:7}:history". */
struct sw_rec_keys {
    char doc[320];              /* SW_KEY_BYTES */
    char hist[320];
};
void sw_rec_keys(struct sw_rec_keys *k, const char *tag, long long id);

int sw_rec_get(struct sw_store *s, const struct sw_rec_keys *k, json_t **doc);

/* Waits until the record's last write is on redis.wait_replicas replicas (sw_store_durable),
 * for a write people rely on: SW_OK, or SW_EAGAIN when they did not confirm in time. */
int sw_rec_durable(struct sw_store *s, const struct sw_rec_keys *k);

/* Queues a new record's document (given history_len 1) and first entry (seq 1), replacing
 * any history under the same keys, so queuing it again for the same id writes the same. */
int sw_rec_create_cmds(struct sw_cmds *c, const struct sw_rec_keys *k, json_t *doc,
                       json_t *entry);

/* Settles each command's step as sw_cmds_exec will run it: a command queued for the
 * transaction whose key lies outside the slot of the transaction's first command moves to step
 * 3. Returns the number of commands left in the transaction. */
int sw_cmds_plan(struct sw_cmds *c);

/* Runs c in its three steps (the top of this file): SW_OK, SW_CONFLICT (a WATCH fired: step 3
 * not run), SW_EAGAIN (a connection failed; when in step 3 the transaction did run) or SW_ERR
 * (refused). */
int sw_cmds_exec(struct sw_store *s, struct sw_cmds *c);

/* fn edits doc (borrowed) and appends at least one history entry to hist, or refuses with
 * another code (SW_CONFLICT is taken as SW_INVALID: it means a retry here); more (may be NULL)
 * queues the commands that follow from old -> doc. Both may be called again when the record
 * changed meanwhile. */
typedef int (*sw_rec_edit_fn)(json_t *doc, json_t *hist, void *ud);
typedef void (*sw_rec_more_fn)(struct sw_cmds *c, const json_t *old, const json_t *doc,
                               void *ud);

/* Changes the record: SW_OK with *out (the stored document; NULL allowed), SW_NOTFOUND,
 * SW_EAGAIN, SW_TOOBIG (history would pass history_max), or fn's own code. */
int sw_rec_update(struct sw_store *s, const struct sw_rec_keys *k, long long history_max,
                  sw_rec_edit_fn fn, sw_rec_more_fn more, void *ud, json_t **out);

/* The whole history, oldest first, as an array. */
int sw_rec_history(struct sw_store *s, const struct sw_rec_keys *k, json_t **out);

/* The documents of tag's records named by ids (an array of integers); missing ones left out. */
int sw_rec_load(struct sw_store *s, const char *tag, const json_t *ids, json_t **out);

/* Ids from sorted set key, ascending by score above after, at most limit (0: up to max);
 * *next is the last id returned when more remain, else 0. */
int sw_rec_ids(struct sw_store *s, const char *key, long long after, int limit, long long max,
               json_t **ids, long long *next);

#endif
