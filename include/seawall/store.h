/* store.h — the one place that talks to Redis: a connection that reconnects by itself.
 *
 * A handle belongs to one thread. Every command goes through sw_store_cmdv with binary-safe
 * arguments. When the connection is gone the call returns NULL, sets errstr and drops the
 * context; the next call connects again, so a Redis restart needs no restart of ours.
 *
 * Redis Cluster: when redis.url names cluster nodes, the handle learns the slot map
 * (CLUSTER SLOTS) from them, sends each command to the primary of its key's slot (a script's
 * first key; the key after STREAMS for XREAD[GROUP]; keyless commands to any node), follows
 * MOVED (refreshing the map) and ASK (with ASKING), and retries TRYAGAIN, CLUSTERDOWN, a
 * primary's READONLY reply and a lost node with a bounded backoff for at most
 * redis.cluster_retry_ms, refreshing the map, so a failover that promotes a replica is
 * followed. Pipelines are split per node. Every script and MULTI must touch one slot (Redis
 * answers CROSSSLOT otherwise). */
#ifndef SEAWALL_STORE_H
#define SEAWALL_STORE_H

#include <hiredis/hiredis.h>
#include "seawall/common.h"

struct sw_config;
struct sw_cluster;

struct sw_store {
    redisContext *c;
    char host[256];
    int  port;
    char unix_path[256];
    char password[256];
    int  db;
    int  connect_timeout_ms;
    int  command_timeout_ms;
    size_t reply_max;          /* ceiling on one bulk reply we accept, bytes */
    unsigned long errors;      /* connection and protocol failures seen */
    void (*on_error)(void);    /* called once per failure, e.g. to count it in metrics */
    struct {
        const char *text;      /* the script, known by its address */
        char sha[48];
    } scripts[64];             /* SHA-1s from SCRIPT LOAD, for EVALSHA (more scripts than
                                  this still run, loaded each time) */
    int nscripts;
    char errstr[256];
    struct sw_cluster *cluster; /* the slot map and node connections; NULL for one server */
    char url[1024];            /* redis.url as configured ("" when host/port/socket) */
    int cluster_retry_ms;
    int watching;              /* a WATCH was sent and no EXEC/UNWATCH since */
    int one_server;            /* redis.url named one node that is not in cluster mode */
    int check_slots;           /* redis.check_slots: 0 off, 1 log, 2 refuse */
    int stream_shards;         /* redis.stream_shards (seawall/stream.h) */
    int wait_replicas;         /* redis.wait_replicas: replicas a durable write waits for */
    int wait_timeout_ms;       /* redis.wait_timeout_ms */
    int unconfirmed;           /* 1 when the last sw_store_durable found too few replicas in
                                  time (the write was sent; the API clears it per request) */
};

/* What a handle has seen of a cluster: redirections followed and map refreshes made. */
struct sw_store_cluster_stats {
    int nodes;                 /* nodes known (primaries and any seed) */
    int primaries;             /* nodes owning slots in the map */
    unsigned long moved, asked, retried, refreshed;
};

/* Fills s from cfg's redis.* keys. Connects lazily; never fails for an absent server. */
void sw_store_init(struct sw_store *s, const struct sw_config *cfg);

/* Runs one command. Returns the reply (caller frees with freeReplyObject) or NULL when the
 * connection failed (errstr says why). An error reply is returned as a reply of type
 * REDIS_REPLY_ERROR: the command was refused, the connection is fine. */
redisReply *sw_store_cmdv(struct sw_store *s, int argc, const char **argv, const size_t *lens);

/* Same, with NUL-terminated arguments, given as a NULL-terminated list. */
redisReply *sw_store_cmd(struct sw_store *s, const char *arg0, ...);

/* Runs n commands in one round trip inside MULTI/EXEC. Returns the EXEC reply (an array of
 * n replies, or NIL when a WATCH fired) or NULL on connection failure. */
redisReply *sw_store_multi(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                           const size_t **lens);

/* Sends n commands in one round trip (no transaction) and reads their n replies into
 * replies[] (the caller frees each). Returns SW_OK, or SW_EAGAIN with no replies kept. */
int sw_store_pipeline(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                      redisReply **replies);

/* Runs a Lua script (EVALSHA, loading it with EVAL the first time a server lacks it) with
 * nkeys keys then nargs arguments, all NUL-terminated. Returns the reply or NULL. */
redisReply *sw_store_eval(struct sw_store *s, const char *script, int nkeys, const char **keys,
                          int nargs, const char **args);

/* As sw_store_eval, for a script that answers an integer: SW_OK with *out, SW_EAGAIN when
 * the connection failed, SW_ERR for an error or other reply (errstr says which). */
int sw_store_eval_int(struct sw_store *s, const char *script, int nkeys, const char **keys,
                      int nargs, const char **args, long long *out);

/* The SHA-1 under which this handle's server knows script (sw_store_eval loaded it there),
 * or NULL when it has not been loaded through this handle yet. */
const char *sw_store_script_sha(const struct sw_store *s, const char *script);

/* Blocks until the write last sent for key (through this handle) is on at least replicas
 * replicas, or timeout_ms passed: WAIT on the connection of key's node. Returns SW_OK when
 * enough replicas acknowledged, SW_ERR when fewer did in time (errstr says
 * how many), SW_EAGAIN when the connection failed. replicas 0: SW_OK at once. */
int sw_store_wait(struct sw_store *s, const char *key, int replicas, int timeout_ms);

/* INCR key: SW_OK with *out the new value, SW_EAGAIN when the connection failed or the key
 * holds no counter (errstr says which). */
int sw_store_incr(struct sw_store *s, const char *key, long long *out);

/* A write people rely on was just sent for key: waits for redis.wait_replicas replicas for at
 * most redis.wait_timeout_ms (sw_store_wait). SW_OK at once when wait_replicas is 0. Sets
 * s->unconfirmed when fewer replicas than that had the write in time (SW_ERR). */
int sw_store_durable(struct sw_store *s, const char *key);

/* 1 when the handle talks to a Redis Cluster (after its first command), else 0; with st,
 * the counts of what it has seen. */
int sw_store_cluster_stats(const struct sw_store *s, struct sw_store_cluster_stats *st);

/* The cluster slot of a key (CRC16 of its hash tag, or of the whole key), 0..16383. */
int sw_store_slot(const char *key, size_t len);

/* Returns SW_OK when PING answers PONG, SW_EAGAIN otherwise. */
int sw_store_ping(struct sw_store *s);

/* Closes the connection; the handle may be used again (it reconnects). */
void sw_store_close(struct sw_store *s);

/* Helpers on replies: integer value, or string contents (NULL when not a string). */
long long sw_reply_int(const redisReply *r, long long dflt);
const char *sw_reply_str(const redisReply *r);

#endif
