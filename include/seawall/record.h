/* record.h — a record is a JSON document with an append-only history beside it, changed only
 * under WATCH so a concurrent change retries instead of being lost. Cases and show incidents
 * are records. A change writes the document, its new history entries and whatever further
 * commands follow from it (index moves, a linked record) in one MULTI/EXEC. */
#ifndef SEAWALL_RECORD_H
#define SEAWALL_RECORD_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;

#define SW_CMDS_MAX 24
#define SW_CMD_ARGS 12

/* Commands queued for a record's transaction; every argument is copied. */
struct sw_cmds {
    int n;
    int argcs[SW_CMDS_MAX];
    const char **argvs[SW_CMDS_MAX];
    char *args[SW_CMDS_MAX][SW_CMD_ARGS];
    int failed;                 /* out of room or memory: the transaction is not run */
};

/* Queues verb with its arguments (at most SW_CMD_ARGS - 1), the list ending with NULL. */
void sw_cmds_add(struct sw_cmds *c, const char *verb, ...) __attribute__((sentinel));
void sw_cmds_free(struct sw_cmds *c);

/* The record's keys: prefix "sw:{case:7}" gives "sw:{case:7}:doc" and ":history". */
struct sw_rec_keys {
    char doc[80];
    char hist[80];
};
void sw_rec_keys(struct sw_rec_keys *k, const char *tag, long long id);

int sw_rec_get(struct sw_store *s, const struct sw_rec_keys *k, json_t **doc);

/* Queues a new record's document (given history_len 1) and first entry (seq 1). */
int sw_rec_create_cmds(struct sw_cmds *c, const struct sw_rec_keys *k, json_t *doc,
                       json_t *entry);

/* Runs c as one transaction: SW_OK, SW_CONFLICT (a WATCH fired), SW_EAGAIN or SW_ERR. */
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
