/* store.c — the Redis connection: lazy connect, timeouts, reconnect after failures; and a
 * Redis Cluster client on top of it (the slot map, redirections, failover; see store.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "seawall/config.h"
#include "seawall/log.h"
#include "seawall/store.h"

#define STORE_MAX_ARGS 64

static void cl_free(struct sw_store *s);
static int splittable(int argc, const char **argv);

void sw_store_init(struct sw_store *s, const struct sw_config *cfg)
{
    memset(s, 0, sizeof(*s));
    sw_strlcpy(s->host, sw_config_str(cfg, "redis.host"), sizeof(s->host));
    s->port = (int)sw_config_int(cfg, "redis.port");
    sw_strlcpy(s->unix_path, sw_config_str(cfg, "redis.socket"), sizeof(s->unix_path));
    sw_strlcpy(s->password, sw_config_str(cfg, "redis.password"), sizeof(s->password));
    s->db = (int)sw_config_int(cfg, "redis.db");
    s->connect_timeout_ms = (int)sw_config_int(cfg, "redis.connect_timeout_ms");
    s->command_timeout_ms = (int)sw_config_int(cfg, "redis.command_timeout_ms");
    s->reply_max = (size_t)sw_config_int(cfg, "redis.reply_max");
    sw_strlcpy(s->url, sw_config_str(cfg, "redis.url"), sizeof(s->url));
    s->cluster_retry_ms = (int)sw_config_int(cfg, "redis.cluster_retry_ms");
    s->check_slots = strcmp(sw_config_str(cfg, "redis.check_slots"), "refuse") == 0 ? 2
                   : strcmp(sw_config_str(cfg, "redis.check_slots"), "log") == 0 ? 1 : 0;
    s->stream_shards = (int)sw_config_int(cfg, "redis.stream_shards");
    s->wait_replicas = (int)sw_config_int(cfg, "redis.wait_replicas");
    s->wait_timeout_ms = (int)sw_config_int(cfg, "redis.wait_timeout_ms");
}

static void store_fail(struct sw_store *s, const char *what)
{
    snprintf(s->errstr, sizeof(s->errstr), "%s", what);
    s->errors++;
    if (s->on_error != NULL)
        s->on_error();
    if (s->c != NULL) {
        redisFree(s->c);
        s->c = NULL;
    }
}

static struct timeval ms_to_tv(int ms)
{
    struct timeval tv;

    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return tv;
}

/* Runs a setup command on a fresh connection; returns SW_OK when it was accepted. */
static int store_setup_cmd(struct sw_store *s, int argc, const char **argv)
{
    redisReply *r = redisCommandArgv(s->c, argc, argv, NULL);
    int ok = r != NULL && r->type != REDIS_REPLY_ERROR;
    char msg[256];

    if (!ok) {
        snprintf(msg, sizeof(msg), "%s failed (%s)", argv[0],
                 r != NULL ? r->str : (s->c->errstr[0] ? s->c->errstr : "no reply"));
        if (r != NULL)
            freeReplyObject(r);
        store_fail(s, msg);
        return SW_ERR;
    }
    freeReplyObject(r);
    return SW_OK;
}

static int store_connect(struct sw_store *s)
{
    struct timeval ctv = ms_to_tv(s->connect_timeout_ms);
    struct timeval qtv = ms_to_tv(s->command_timeout_ms);
    char msg[512], dbtxt[16];

    if (s->c != NULL)
        return SW_OK;
    if (s->unix_path[0] != '\0')
        s->c = redisConnectUnixWithTimeout(s->unix_path, ctv);
    else
        s->c = redisConnectWithTimeout(s->host, s->port, ctv);
    if (s->c == NULL || s->c->err) {
        if (s->unix_path[0] != '\0')
            snprintf(msg, sizeof(msg), "connect() to \"%s\" failed (%s)", s->unix_path,
                     s->c != NULL ? s->c->errstr : "out of memory");
        else
            snprintf(msg, sizeof(msg), "connect() to \"%s:%d\" failed (%s)", s->host, s->port,
                     s->c != NULL ? s->c->errstr : "out of memory");
        store_fail(s, msg);
        return SW_EAGAIN;
    }
    if (redisSetTimeout(s->c, qtv) != REDIS_OK) {
        store_fail(s, "setting the Redis command timeout failed");
        return SW_EAGAIN;
    }
    if (s->password[0] != '\0') {
        const char *argv[] = { "AUTH", s->password };

        if (store_setup_cmd(s, 2, argv) != SW_OK)
            return SW_EAGAIN;
    }
    if (s->db != 0) {
        const char *argv[] = { "SELECT", dbtxt };

        snprintf(dbtxt, sizeof(dbtxt), "%d", s->db);
        if (store_setup_cmd(s, 2, argv) != SW_OK)
            return SW_EAGAIN;
    }
    return SW_OK;
}

/* Checks a reply against the ceiling; returns it, or NULL after dropping the connection. */
static redisReply *store_check(struct sw_store *s, redisReply *r)
{
    char msg[256];

    if (r == NULL) {
        snprintf(msg, sizeof(msg), "Redis command failed (%s)",
                 s->c != NULL && s->c->errstr[0] ? s->c->errstr : "connection lost");
        store_fail(s, msg);
        return NULL;
    }
    if ((r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) && r->len > s->reply_max) {
        snprintf(msg, sizeof(msg), "Redis reply of %zu bytes is over redis.reply_max (%zu)",
                 r->len, s->reply_max);
        freeReplyObject(r);
        s->errors++;
        snprintf(s->errstr, sizeof(s->errstr), "%s", msg);
        return NULL;
    }
    return r;
}

static redisReply *one_cmdv(struct sw_store *s, int argc, const char **argv, const size_t *lens)
{
    int reused = s->c != NULL;
    redisReply *r;

    if (store_connect(s) != SW_OK)
        return NULL;
    r = store_check(s, redisCommandArgv(s->c, argc, argv, lens));
    /* A connection kept from before may have died with a Redis restart; the server that now
     * runs never saw this command, so it is sent once more on a fresh connection. (Not for
     * sw_store_multi: a WATCH from the old connection would be lost silently.) */
    if (r == NULL && reused && store_connect(s) == SW_OK)
        r = store_check(s, redisCommandArgv(s->c, argc, argv, lens));
    return r;
}

redisReply *sw_store_cmd(struct sw_store *s, const char *arg0, ...)
{
    const char *argv[STORE_MAX_ARGS];
    const char *a;
    va_list ap;
    int argc = 0;

    argv[argc++] = arg0;
    va_start(ap, arg0);
    while ((a = va_arg(ap, const char *)) != NULL && argc < STORE_MAX_ARGS)
        argv[argc++] = a;
    va_end(ap);
    return sw_store_cmdv(s, argc, argv, NULL);
}

static redisReply *one_multi(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                             const size_t **lens)
{
    static const char *multi[] = { "MULTI" };
    static const char *exec[] = { "EXEC" };
    redisReply *r = NULL;
    void *reply;
    int i;

    if (store_connect(s) != SW_OK)
        return NULL;
    if (redisAppendCommandArgv(s->c, 1, multi, NULL) != REDIS_OK)
        return store_check(s, NULL);
    for (i = 0; i < n; i++)
        if (redisAppendCommandArgv(s->c, argcs[i], argvs[i], lens ? lens[i] : NULL) != REDIS_OK)
            return store_check(s, NULL);
    if (redisAppendCommandArgv(s->c, 1, exec, NULL) != REDIS_OK)
        return store_check(s, NULL);
    /* MULTI's +OK, then +QUEUED (or an error) for each command, then EXEC's array. */
    for (i = 0; i < n + 2; i++) {
        if (redisGetReply(s->c, &reply) != REDIS_OK)
            return store_check(s, NULL);
        if (i == n + 1)
            r = reply;
        else
            freeReplyObject(reply);
    }
    return store_check(s, r);
}

redisReply *sw_store_eval(struct sw_store *s, const char *script, int nkeys, const char **keys,
                          int nargs, const char **args)
{
    const char *argv[3 + STORE_MAX_ARGS];
    char nk[16], once[48];
    const char *sha = NULL;
    redisReply *r;
    int i, argc = 0;

    if (nkeys + nargs > STORE_MAX_ARGS) {
        snprintf(s->errstr, sizeof(s->errstr), "a script called with %d keys and arguments "
                 "(at most %d)", nkeys + nargs, STORE_MAX_ARGS);
        return NULL;
    }
    /* The SHA-1 Redis gave the script the first time; scripts are known by their address. */
    for (i = 0; i < s->nscripts; i++)
        if (s->scripts[i].text == script)
            sha = s->scripts[i].sha;
    if (sha == NULL) {
        const char *load[] = { "SCRIPT", "LOAD", script };

        r = sw_store_cmdv(s, 3, load, NULL);
        if (r == NULL)
            return NULL;
        if (r->type != REDIS_REPLY_STRING || r->len >= sizeof(s->scripts[0].sha))
            return r;   /* an error reply goes to the caller */
        if (s->nscripts < (int)SW_ARRAY_LEN(s->scripts)) {
            sw_strlcpy(s->scripts[s->nscripts].sha, r->str, sizeof(s->scripts[0].sha));
            s->scripts[s->nscripts].text = script;
            sha = s->scripts[s->nscripts++].sha;
        } else {
            /* More scripts than the cache holds (it once held 16, and a thread that had run
             * 16 scripts failed every other one, "storage unavailable" with no reason): this
             * call uses the SHA-1 without keeping it. */
            sw_strlcpy(once, r->str, sizeof(once));
            sha = once;
        }
        freeReplyObject(r);
    }
    snprintf(nk, sizeof(nk), "%d", nkeys);
    argv[argc++] = "EVALSHA";
    argv[argc++] = sha;
    argv[argc++] = nk;
    for (i = 0; i < nkeys; i++)
        argv[argc++] = keys[i];
    for (i = 0; i < nargs; i++)
        argv[argc++] = args[i];
    r = sw_store_cmdv(s, argc, argv, NULL);
    if (r != NULL && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0) {
        /* Redis restarted and forgot it (scripts are not persisted): EVAL loads it again. */
        freeReplyObject(r);
        argv[0] = "EVAL";
        argv[1] = script;
        r = sw_store_cmdv(s, argc, argv, NULL);
    }
    return r;
}

static int pipeline_once(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                         redisReply **replies);

static int one_pipeline(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                        redisReply **replies)
{
    int reused = s->c != NULL;

    if (store_connect(s) != SW_OK)
        return SW_EAGAIN;
    /* As in sw_store_cmdv: a connection kept from before may have died with a Redis restart,
     * and the server that now runs never saw these commands. */
    if (pipeline_once(s, n, argcs, argvs, replies) == SW_OK)
        return SW_OK;
    if (!reused || store_connect(s) != SW_OK)
        return SW_EAGAIN;
    return pipeline_once(s, n, argcs, argvs, replies);
}

/* The first half of a pipeline on the current connection (connecting when it has none): the
 * n commands written out, no reply read. SW_OK, or SW_EAGAIN with the connection dropped. */
static int pipeline_send(struct sw_store *s, int n, const int *argcs, const char ***argvs)
{
    int i, done = 0;

    if (store_connect(s) != SW_OK)
        return SW_EAGAIN;
    for (i = 0; i < n; i++)
        if (redisAppendCommandArgv(s->c, argcs[i], argvs[i], NULL) != REDIS_OK) {
            store_check(s, NULL);
            return SW_EAGAIN;
        }
    while (!done)
        if (redisBufferWrite(s->c, &done) != REDIS_OK) {
            store_check(s, NULL);
            return SW_EAGAIN;
        }
    return SW_OK;
}

/* The second half: the n replies of what pipeline_send wrote, into replies. SW_OK, or
 * SW_EAGAIN with none kept and the connection dropped. */
static int pipeline_recv(struct sw_store *s, int n, redisReply **replies)
{
    void *reply;
    int i, k;

    if (s->c == NULL)
        return SW_EAGAIN;
    for (i = 0; i < n; i++) {
        if (redisGetReply(s->c, &reply) != REDIS_OK) {
            for (k = 0; k < i; k++)
                freeReplyObject(replies[k]);
            store_check(s, NULL);
            return SW_EAGAIN;
        }
        replies[i] = reply;
    }
    return SW_OK;
}

static int pipeline_once(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                         redisReply **replies)
{
    if (pipeline_send(s, n, argcs, argvs) != SW_OK)
        return SW_EAGAIN;
    return pipeline_recv(s, n, replies);
}

const char *sw_store_script_sha(const struct sw_store *s, const char *script)
{
    int i;

    for (i = 0; i < s->nscripts; i++)
        if (s->scripts[i].text == script)
            return s->scripts[i].sha;
    return NULL;
}

int sw_store_eval_int(struct sw_store *s, const char *script, int nkeys, const char **keys,
                      int nargs, const char **args, long long *out)
{
    redisReply *r = sw_store_eval(s, script, nkeys, keys, nargs, args);
    int rc = SW_OK;

    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_INTEGER) {
        *out = r->integer;
    } else {
        snprintf(s->errstr, sizeof(s->errstr), "%s",
                 r->type == REDIS_REPLY_ERROR ? r->str : "the script answered no integer");
        rc = SW_ERR;
    }
    freeReplyObject(r);
    return rc;
}

int sw_store_ping(struct sw_store *s)
{
    redisReply *r = sw_store_cmd(s, "PING", NULL);
    int ok = r != NULL && r->type == REDIS_REPLY_STATUS && strcmp(r->str, "PONG") == 0;

    if (r != NULL)
        freeReplyObject(r);
    return ok ? SW_OK : SW_EAGAIN;
}

void sw_store_close(struct sw_store *s)
{
    if (s->c != NULL) {
        redisFree(s->c);
        s->c = NULL;
    }
    cl_free(s);
}

long long sw_reply_int(const redisReply *r, long long dflt)
{
    long long v;

    if (r == NULL)
        return dflt;
    if (r->type == REDIS_REPLY_INTEGER)
        return r->integer;
    if (r->type == REDIS_REPLY_STRING && sw_parse_ll(r->str, INT64_MIN, INT64_MAX, &v) == SW_OK)
        return v;
    return dflt;
}

const char *sw_reply_str(const redisReply *r)
{
    if (r == NULL || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS))
        return NULL;
    return r->str;
}

/* ---- Redis Cluster ---------------------------------------------------------------------- */

#define CL_SLOTS 16384
#define CL_NODES_MAX 64
#define CL_REDIRECTS_MAX 16       /* MOVED/ASK followed at once before backing off */
#define CL_DELAY_FIRST_MS 10
#define CL_DELAY_MAX_MS 400

struct cl_node {
    char host[256];
    int port;
    redisContext *c;              /* parked connection; NULL while it is s->c */
};

struct sw_cluster {
    struct cl_node node[CL_NODES_MAX];
    int n;
    int cur;                      /* the node whose connection is s->c, or -1 */
    int stale;                    /* read the map again before the next command */
    int mapped;
    int16_t slot[CL_SLOTS];       /* the primary of each slot (node index), -1 unknown */
    unsigned long moved, asked, retried, refreshed;
};

static void cl_free(struct sw_store *s)
{
    struct sw_cluster *cl = s->cluster;
    int i;

    if (cl == NULL)
        return;
    for (i = 0; i < cl->n; i++)
        if (cl->node[i].c != NULL)
            redisFree(cl->node[i].c);
    free(cl);
    s->cluster = NULL;
}

/* Index of host:port among the known nodes, added when new; -1 when the table is full. */
static int cl_node(struct sw_cluster *cl, const char *host, size_t hostlen, int port)
{
    int i;

    if (hostlen >= sizeof(cl->node[0].host))
        return -1;
    for (i = 0; i < cl->n; i++)
        if (cl->node[i].port == port && strlen(cl->node[i].host) == hostlen &&
            memcmp(cl->node[i].host, host, hostlen) == 0)
            return i;
    if (cl->n == CL_NODES_MAX)
        return -1;
    memcpy(cl->node[cl->n].host, host, hostlen);
    cl->node[cl->n].host[hostlen] = '\0';
    cl->node[cl->n].port = port;
    cl->node[cl->n].c = NULL;
    return cl->n++;
}

/* "host:port" or "[v6]:port" of len bytes into the node table. Returns its index or -1. */
static int cl_node_text(struct sw_cluster *cl, const char *t, size_t len)
{
    const char *colon = NULL, *host = t;
    size_t hostlen, i;
    long long port;
    char num[8];

    for (i = len; i > 0; i--)
        if (t[i - 1] == ':') {
            colon = t + i - 1;
            break;
        }
    if (colon == NULL || (size_t)(t + len - colon - 1) >= sizeof(num))
        return -1;
    memcpy(num, colon + 1, (size_t)(t + len - colon - 1));
    num[t + len - colon - 1] = '\0';
    if (sw_parse_ll(num, 1, 65535, &port) != SW_OK)
        return -1;
    hostlen = (size_t)(colon - t);
    if (hostlen >= 2 && host[0] == '[' && host[hostlen - 1] == ']') {
        host++;
        hostlen -= 2;
    }
    if (hostlen == 0)
        return -1;
    return cl_node(cl, host, hostlen, (int)port);
}

/* Makes node i's connection the handle's (s->c, s->host, s->port), parking the one before. */
static void cl_use(struct sw_store *s, int i)
{
    struct sw_cluster *cl = s->cluster;

    if (cl->cur == i)
        return;
    if (cl->cur >= 0)
        cl->node[cl->cur].c = s->c;
    s->c = cl->node[i].c;
    cl->node[i].c = NULL;
    sw_strlcpy(s->host, cl->node[i].host, sizeof(s->host));
    s->port = cl->node[i].port;
    s->unix_path[0] = '\0';
    cl->cur = i;
}

static void cl_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

/* Reads CLUSTER SLOTS from the first node that answers (the current one first). SW_OK with
 * the map, SW_INVALID when a node says it is not in cluster mode, SW_EAGAIN when none
 * answered (errstr says why). */
static int cl_refresh(struct sw_store *s)
{
    struct sw_cluster *cl = s->cluster;
    int16_t map[CL_SLOTS];
    int tried, i, start = cl->cur >= 0 ? cl->cur : 0;
    size_t j;

    for (tried = 0; tried < cl->n; tried++) {
        const char *argv[] = { "CLUSTER", "SLOTS" };
        redisReply *r;
        int ok = 1;

        i = (start + tried) % cl->n;
        cl_use(s, i);
        r = one_cmdv(s, 2, argv, NULL);
        if (r == NULL)
            continue;
        if (r->type == REDIS_REPLY_ERROR) {
            int off = strstr(r->str, "cluster support disabled") != NULL;

            snprintf(s->errstr, sizeof(s->errstr), "CLUSTER SLOTS on %.64s:%d: %.120s", s->host,
                     s->port, r->str);
            freeReplyObject(r);
            if (off)
                return SW_INVALID;
            continue;
        }
        for (j = 0; j < CL_SLOTS; j++)
            map[j] = -1;
        for (j = 0; r->type == REDIS_REPLY_ARRAY && j < r->elements && ok; j++) {
            const redisReply *e = r->element[j], *p;
            long long a, b, k;
            int idx;

            if (e->type != REDIS_REPLY_ARRAY || e->elements < 3 ||
                e->element[0]->type != REDIS_REPLY_INTEGER ||
                e->element[1]->type != REDIS_REPLY_INTEGER ||
                e->element[2]->type != REDIS_REPLY_ARRAY || e->element[2]->elements < 2) {
                ok = 0;
                break;
            }
            a = e->element[0]->integer;
            b = e->element[1]->integer;
            p = e->element[2];
            if (a < 0 || b >= CL_SLOTS || a > b || p->element[0]->type != REDIS_REPLY_STRING ||
                p->element[1]->type != REDIS_REPLY_INTEGER) {
                ok = 0;
                break;
            }
            /* An empty or unknown endpoint means "the address you asked". */
            if (p->element[0]->len == 0 || strcmp(p->element[0]->str, "?") == 0)
                idx = cl_node(cl, cl->node[i].host, strlen(cl->node[i].host),
                              (int)p->element[1]->integer);
            else
                idx = cl_node(cl, p->element[0]->str, p->element[0]->len,
                              (int)p->element[1]->integer);
            if (idx < 0) {
                ok = 0;
                break;
            }
            for (k = a; k <= b; k++)
                map[k] = (int16_t)idx;
        }
        if (!ok || r->type != REDIS_REPLY_ARRAY) {
            snprintf(s->errstr, sizeof(s->errstr), "CLUSTER SLOTS on %.64s:%d: an answer that "
                     "is not a slot map", s->host, s->port);
            freeReplyObject(r);
            continue;
        }
        freeReplyObject(r);
        memcpy(cl->slot, map, sizeof(map));
        cl->mapped = 1;
        cl->stale = 0;
        cl->refreshed++;
        return SW_OK;
    }
    return SW_EAGAIN;
}

/* Readies the handle for redis.url: nothing for host/port/socket or a single server; the
 * seed nodes and the slot map for a cluster. SW_OK, SW_EAGAIN (no node answered yet) or
 * SW_ERR (redis.url cannot be read; errstr says why). */
static int cl_ready(struct sw_store *s)
{
    const char *u = s->url, *end;
    struct sw_cluster *cl;
    int rc;

    if (s->url[0] == '\0' || s->one_server)
        return SW_OK;
    if (s->cluster != NULL)
        return s->cluster->mapped || cl_refresh(s) == SW_OK ? SW_OK : SW_EAGAIN;
    if ((cl = calloc(1, sizeof(*cl))) == NULL) {
        snprintf(s->errstr, sizeof(s->errstr), "out of memory for the cluster map");
        return SW_EAGAIN;
    }
    cl->cur = -1;
    if (strncmp(u, "redis://", 8) == 0)
        u += 8;
    for (; *u != '\0'; u = *end == ',' ? end + 1 : end) {
        end = strchr(u, ',');
        if (end == NULL)
            end = u + strlen(u);
        if (cl_node_text(cl, u, (size_t)(end - u)) < 0) {
            snprintf(s->errstr, sizeof(s->errstr), "redis.url: \"%.*s\" is not host:port",
                     (int)(end - u) > 200 ? 200 : (int)(end - u), u);
            free(cl);
            return SW_ERR;
        }
    }
    if (cl->n == 0) {
        snprintf(s->errstr, sizeof(s->errstr), "redis.url names no node");
        free(cl);
        return SW_ERR;
    }
    memset(cl->slot, 0xff, sizeof(cl->slot));
    /* The handle's own connection (if any) belongs to host/port, not to a node. */
    sw_store_close(s);
    s->cluster = cl;
    rc = cl_refresh(s);
    if (rc == SW_INVALID && cl->n == 1) {
        /* One node, not a cluster: an ordinary server at that address, whose connection
         * (s->c, s->host, s->port: cl_use made them node 0's) the handle keeps. */
        free(cl);
        s->cluster = NULL;
        s->one_server = 1;
        return SW_OK;
    }
    return rc == SW_OK ? SW_OK : SW_EAGAIN;
}

/* Which argument is the key that decides the slot, or -1 for a keyless command. */
static int key_index(int argc, const char **argv)
{
    static const char *const keyless[] = {
        "PING", "INFO", "TIME", "SCRIPT", "CLUSTER", "WAIT", "MULTI", "EXEC", "DISCARD",
        "UNWATCH", "DBSIZE", "FLUSHDB", "FLUSHALL", "CONFIG", "CLIENT", "SELECT", "AUTH",
        "ECHO", "COMMAND", "SCAN", "KEYS", "RANDOMKEY", "PUBLISH", "ROLE", "LASTSAVE",
        "DEBUG", "SAVE", "BGSAVE", "BGREWRITEAOF", "READONLY", "READWRITE", "ASKING",
    };
    const char *c = argv[0];
    size_t i;
    int k;

    if (strcasecmp(c, "EVAL") == 0 || strcasecmp(c, "EVALSHA") == 0 ||
        strcasecmp(c, "EVAL_RO") == 0 || strcasecmp(c, "EVALSHA_RO") == 0 ||
        strcasecmp(c, "FCALL") == 0)
        return argc > 3 && atoi(argv[2]) > 0 ? 3 : -1;
    if (strcasecmp(c, "XREADGROUP") == 0 || strcasecmp(c, "XREAD") == 0) {
        for (k = 1; k + 1 < argc; k++)
            if (strcasecmp(argv[k], "STREAMS") == 0)
                return k + 1;
        return -1;
    }
    if (strcasecmp(c, "XGROUP") == 0 || strcasecmp(c, "XINFO") == 0 ||
        strcasecmp(c, "OBJECT") == 0 || strcasecmp(c, "MEMORY") == 0)
        return argc > 2 ? 2 : -1;
    for (i = 0; i < SW_ARRAY_LEN(keyless); i++)
        if (strcasecmp(c, keyless[i]) == 0)
            return -1;
    return argc > 1 ? 1 : -1;
}

int sw_store_slot(const char *key, size_t len)
{
    size_t i, open = len, close;
    uint16_t crc = 0;
    int b;

    for (i = 0; i < len; i++)
        if (key[i] == '{') {
            open = i;
            break;
        }
    if (open < len) {
        for (close = open + 1; close < len && key[close] != '}'; close++)
            ;
        if (close < len && close > open + 1) {
            key += open + 1;
            len = close - open - 1;
        }
    }
    /* CRC16-CCITT (XMODEM): polynomial 0x1021, initial 0, as the cluster specification. */
    for (i = 0; i < len; i++) {
        crc ^= (uint16_t)((uint16_t)(unsigned char)key[i] << 8);
        for (b = 0; b < 8; b++)
            crc = (uint16_t)((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc & (CL_SLOTS - 1);
}

static int cmd_slot(int argc, const char **argv, const size_t *lens)
{
    int k = key_index(argc, argv);

    if (k < 0)
        return -1;
    return sw_store_slot(argv[k], lens != NULL ? lens[k] : strlen(argv[k]));
}

/* The node for slot (any node when -1): the map's, or the current connection's. */
static int cl_pick(const struct sw_cluster *cl, int slot)
{
    if (slot >= 0)
        return cl->slot[slot];
    if (cl->cur >= 0)
        return cl->cur;
    return cl->slot[0] >= 0 ? cl->slot[0] : 0;
}

/* ASKING then the command, on the current connection, in one round trip. */
static redisReply *ask_cmdv(struct sw_store *s, int argc, const char **argv, const size_t *lens)
{
    static const char *asking[] = { "ASKING" };
    void *reply;

    if (store_connect(s) != SW_OK)
        return NULL;
    if (redisAppendCommandArgv(s->c, 1, asking, NULL) != REDIS_OK ||
        redisAppendCommandArgv(s->c, argc, argv, lens) != REDIS_OK ||
        redisGetReply(s->c, &reply) != REDIS_OK)
        return store_check(s, NULL);
    freeReplyObject(reply);
    if (redisGetReply(s->c, &reply) != REDIS_OK)
        return store_check(s, NULL);
    return store_check(s, reply);
}

enum cl_verdict { CL_DONE, CL_MOVED, CL_ASK, CL_WAIT };

/* What an answer asks of the client; for MOVED and ASK, *to is the node named. */
static enum cl_verdict cl_judge(struct sw_store *s, const redisReply *r, int *to)
{
    struct sw_cluster *cl = s->cluster;
    const char *sp, *addr;
    long long slot;
    int moved;

    if (r == NULL) {
        cl->stale = 1;
        return CL_WAIT;
    }
    if (r->type != REDIS_REPLY_ERROR)
        return CL_DONE;
    moved = strncmp(r->str, "MOVED ", 6) == 0;
    if (moved || strncmp(r->str, "ASK ", 4) == 0) {
        sp = r->str + (moved ? 6 : 4);
        addr = strchr(sp, ' ');
        char num[8];

        if (addr == NULL || (size_t)(addr - sp) >= sizeof(num)) {
            cl->stale = 1;
            return CL_WAIT;
        }
        memcpy(num, sp, (size_t)(addr - sp));
        num[addr - sp] = '\0';
        if (sw_parse_ll(num, 0, CL_SLOTS - 1, &slot) != SW_OK ||
            (*to = cl_node_text(cl, addr + 1, strlen(addr + 1))) < 0) {
            cl->stale = 1;
            return CL_WAIT;
        }
        if (moved) {
            cl->slot[slot] = (int16_t)*to;
            cl->stale = 1;
            cl->moved++;
            return CL_MOVED;
        }
        cl->asked++;
        return CL_ASK;
    }
    if (strncmp(r->str, "TRYAGAIN", 8) == 0)
        return CL_WAIT;
    if (strncmp(r->str, "CLUSTERDOWN", 11) == 0 || strncmp(r->str, "READONLY", 8) == 0 ||
        strncmp(r->str, "MASTERDOWN", 10) == 0 || strncmp(r->str, "LOADING", 7) == 0) {
        cl->stale = 1;
        return CL_WAIT;
    }
    return CL_DONE;
}

/* One command in cluster mode, sent to slot's node (slot -1: any node). */
static redisReply *cl_send(struct sw_store *s, int slot, int argc, const char **argv,
                           const size_t *lens)
{
    struct sw_cluster *cl = s->cluster;
    int64_t deadline = sw_mono_us() + (int64_t)s->cluster_retry_ms * 1000;
    int ask = -1, node, to = -1, redirects = 0, delay = CL_DELAY_FIRST_MS;
    enum cl_verdict verdict;
    redisReply *r;

    for (;;) {
        if (cl->stale)
            cl_refresh(s);
        node = ask >= 0 ? ask : cl_pick(cl, slot);
        if (node < 0) {
            snprintf(s->errstr, sizeof(s->errstr), "no node of the cluster serves slot %d",
                     slot);
            cl->stale = 1;
            r = NULL;
        } else {
            cl_use(s, node);
            r = ask >= 0 ? ask_cmdv(s, argc, argv, lens) : one_cmdv(s, argc, argv, lens);
        }
        ask = -1;
        verdict = node < 0 ? CL_WAIT : cl_judge(s, r, &to);
        if (verdict == CL_ASK)
            ask = to;
        switch (verdict) {
        case CL_DONE:
            return r;
        case CL_MOVED:
        case CL_ASK:
            if (++redirects <= CL_REDIRECTS_MAX) {
                freeReplyObject(r);
                continue;
            }
            break;
        case CL_WAIT:
            break;
        }
        if (sw_mono_us() + (int64_t)delay * 1000 > deadline)
            return r;
        if (r != NULL)
            freeReplyObject(r);
        cl_sleep_ms(delay);
        delay = delay * 2 > CL_DELAY_MAX_MS ? CL_DELAY_MAX_MS : delay * 2;
        cl->retried++;
        redirects = 0;
    }
}

/* The slot all of a command's keys share: SW_OK with *slot (-1 for a keyless command) and
 * *key its first key, or SW_CONFLICT with *key the first key of another slot. */
static int cmd_one_slot(int argc, const char **argv, const size_t *lens, int *slot,
                        const char **key)
{
    static const char *const all_keys[] = {
        "DEL", "UNLINK", "EXISTS", "MGET", "TOUCH", "WATCH", "SINTER", "SUNION", "SDIFF",
        "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "PFCOUNT", "PFMERGE",
    };
    static const char *const two_keys[] = {
        "RENAME", "RENAMENX", "SMOVE", "LMOVE", "RPOPLPUSH", "BRPOPLPUSH", "BLMOVE", "COPY",
    };
    const char *c = argv[0];
    int first = key_index(argc, argv), last = first, step = 1, k, sl;
    size_t i;

    *slot = -1;
    *key = NULL;
    if (first < 0)
        return SW_OK;
    for (i = 0; i < SW_ARRAY_LEN(all_keys); i++)
        if (strcasecmp(c, all_keys[i]) == 0)
            last = argc - 1;
    for (i = 0; i < SW_ARRAY_LEN(two_keys); i++)
        if (strcasecmp(c, two_keys[i]) == 0 && argc > 2)
            last = 2;
    if (strcasecmp(c, "MSET") == 0 || strcasecmp(c, "MSETNX") == 0) {
        last = argc - 2;
        step = 2;
    } else if (strncasecmp(c, "EVAL", 4) == 0 || strcasecmp(c, "FCALL") == 0) {
        last = first + atoi(argv[2]) - 1;
    } else if (strcasecmp(c, "XREAD") == 0 || strcasecmp(c, "XREADGROUP") == 0) {
        last = first + (argc - first) / 2 - 1;
    } else if (strcasecmp(c, "ZUNIONSTORE") == 0 || strcasecmp(c, "ZINTERSTORE") == 0 ||
               strcasecmp(c, "ZDIFFSTORE") == 0) {
        first = 1;
        last = argc > 2 ? 2 + atoi(argv[2]) : 1;
    }
    if (last >= argc)
        last = argc - 1;
    for (k = first; k <= last; k += step) {
        if (k == 2 && first == 1 && last > 2 && strncasecmp(c, "Z", 1) == 0)
            continue;           /* ZUNIONSTORE's numkeys */
        sl = sw_store_slot(argv[k], lens != NULL ? lens[k] : strlen(argv[k]));
        if (*slot >= 0 && sl != *slot) {
            *key = argv[k];
            return SW_CONFLICT;
        }
        if (*slot < 0)
            *key = argv[k];
        *slot = sl;
    }
    return SW_OK;
}

/* redis.check_slots: SW_OK, or SW_CONFLICT (after logging) when the keys of n commands lie
 * in more than one slot and the handle refuses that. */
static int check_slots(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                       const size_t **lens)
{
    const char *first = NULL, *other = NULL, *k;
    int i, slot = -1, sl;

    if (s->check_slots == 0 || (n == 1 && lens == NULL && splittable(argcs[0], argvs[0])))
        return SW_OK;
    for (i = 0; i < n && other == NULL; i++) {
        if (cmd_one_slot(argcs[i], argvs[i], lens ? lens[i] : NULL, &sl, &k) != SW_OK) {
            other = k;
            if (first == NULL)
                first = argcs[i] > 1 ? argvs[i][1] : "";
        } else if (sl >= 0 && slot >= 0 && sl != slot) {
            other = k;
        } else if (sl >= 0 && slot < 0) {
            slot = sl;
            first = k;
        }
    }
    if (other == NULL)
        return SW_OK;
    snprintf(s->errstr, sizeof(s->errstr), "CROSSSLOT: %s%.16s touches keys of several cluster "
             "slots (%.80s and %.80s)", n > 1 ? "MULTI with " : "", argvs[0][0],
             first ? first : "?", other);
    sw_warn("redis.check_slots: %s", s->errstr);
    return s->check_slots == 2 ? SW_CONFLICT : SW_OK;
}

static void note_watch(struct sw_store *s, const char *cmd)
{
    if (strcasecmp(cmd, "WATCH") == 0)
        s->watching = 1;
    else if (strcasecmp(cmd, "UNWATCH") == 0 || strcasecmp(cmd, "EXEC") == 0 ||
             strcasecmp(cmd, "DISCARD") == 0)
        s->watching = 0;
}

/* Commands of several keys that the client splits per key in a cluster (each key may live on
 * another node) and answers as one: MGET's array of values, or the sum of the counts. */
static int splittable(int argc, const char **argv)
{
    static const char *const cmds[] = { "MGET", "DEL", "UNLINK", "EXISTS", "TOUCH" };
    size_t i;

    for (i = 0; argc > 2 && i < SW_ARRAY_LEN(cmds); i++)
        if (strcasecmp(argv[0], cmds[i]) == 0)
            return 1;
    return 0;
}

static redisReply *cl_split(struct sw_store *s, int argc, const char **argv)
{
    int n = argc - 1, i, mget = strcasecmp(argv[0], "MGET") == 0;
    const char *get = mget ? "GET" : argv[0];
    const char ***argvs = calloc((size_t)n, sizeof(*argvs));
    const char **pairs = calloc((size_t)n * 2, sizeof(*pairs));
    int *argcs = calloc((size_t)n, sizeof(*argcs));
    redisReply **reps = calloc((size_t)n, sizeof(*reps));
    redisReply *out = calloc(1, sizeof(*out));

    if (argvs == NULL || pairs == NULL || argcs == NULL || reps == NULL || out == NULL)
        goto fail;
    for (i = 0; i < n; i++) {
        pairs[2 * i] = get;
        pairs[2 * i + 1] = argv[i + 1];
        argvs[i] = pairs + 2 * i;
        argcs[i] = 2;
    }
    if (sw_store_pipeline(s, n, argcs, argvs, reps) != SW_OK)
        goto fail;
    for (i = 0; i < n; i++)
        if (reps[i]->type == REDIS_REPLY_ERROR) {
            /* The first refusal answers for the whole command, as Redis would. */
            redisReply *err = reps[i];
            int j;

            for (j = 0; j < n; j++)
                if (j != i)
                    freeReplyObject(reps[j]);
            free(argvs);
            free(pairs);
            free(argcs);
            free(reps);
            free(out);
            return err;
        }
    if (mget) {
        out->type = REDIS_REPLY_ARRAY;
        out->elements = (size_t)n;
        out->element = (redisReply **)reps;   /* freeReplyObject frees them with the array */
        reps = NULL;
    } else {
        out->type = REDIS_REPLY_INTEGER;
        for (i = 0; i < n; i++) {
            out->integer += reps[i]->integer;
            freeReplyObject(reps[i]);
        }
    }
    free(argvs);
    free(pairs);
    free(argcs);
    free(reps);
    return out;
fail:
    free(argvs);
    free(pairs);
    free(argcs);
    free(reps);
    free(out);
    return NULL;
}

redisReply *sw_store_cmdv(struct sw_store *s, int argc, const char **argv, const size_t *lens)
{
    if (argc < 1)
        return NULL;
    note_watch(s, argv[0]);
    if (check_slots(s, 1, &argc, &argv, lens ? &lens : NULL) != SW_OK)
        return NULL;
    if (cl_ready(s) == SW_ERR)
        return NULL;
    if (s->cluster == NULL)
        return one_cmdv(s, argc, argv, lens);
    if (!s->cluster->mapped && cl_refresh(s) != SW_OK)
        return NULL;
    if (lens == NULL && splittable(argc, argv))
        return cl_split(s, argc, argv);
    return cl_send(s, cmd_slot(argc, argv, lens), argc, argv, lens);
}

redisReply *sw_store_multi(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                           const size_t **lens)
{
    struct sw_cluster *cl;
    int64_t deadline;
    int i, slot = -1, node, delay = CL_DELAY_FIRST_MS, watching = s->watching;
    redisReply *r;

    s->watching = 0;
    if (check_slots(s, n, argcs, argvs, lens) != SW_OK)
        return NULL;
    if (cl_ready(s) == SW_ERR)
        return NULL;
    if (s->cluster == NULL)
        return one_multi(s, n, argcs, argvs, lens);
    cl = s->cluster;
    for (i = 0; i < n && slot < 0; i++)
        slot = cmd_slot(argcs[i], argvs[i], lens ? lens[i] : NULL);
    deadline = sw_mono_us() + (int64_t)s->cluster_retry_ms * 1000;
    for (;;) {
        if (cl->stale || !cl->mapped)
            cl_refresh(s);
        node = cl_pick(cl, slot);
        if (node < 0)
            return NULL;
        cl_use(s, node);
        r = one_multi(s, n, argcs, argvs, lens);
        /* EXECABORT: a command was refused while queued (MOVED, ASK, TRYAGAIN, CLUSTERDOWN),
         * so nothing ran and the transaction may go again, to the slot's new owner, unless a
         * WATCH made on the old owner would be lost by it. A lost connection is not retried:
         * EXEC may have run. */
        if (r == NULL) {
            cl->stale = 1;
            return NULL;
        }
        if (r->type != REDIS_REPLY_ERROR || strncmp(r->str, "EXECABORT", 9) != 0 || watching)
            return r;
        cl->stale = 1;
        if (sw_mono_us() + (int64_t)delay * 1000 > deadline)
            return r;
        freeReplyObject(r);
        cl_sleep_ms(delay);
        delay = delay * 2 > CL_DELAY_MAX_MS ? CL_DELAY_MAX_MS : delay * 2;
        cl->retried++;
    }
}

int sw_store_pipeline(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                      redisReply **replies)
{
    struct sw_cluster *cl;
    int *slot, *node, *idx, *sub_argc, *gnode, *gstart, *sent, i, j, k, g, m, d, to;
    const char ***sub_argv;
    redisReply **sub;
    int rc = SW_OK;

    if (cl_ready(s) == SW_ERR)
        return SW_EAGAIN;
    if (s->cluster == NULL)
        return one_pipeline(s, n, argcs, argvs, replies);
    cl = s->cluster;
    if ((cl->stale || !cl->mapped) && cl_refresh(s) != SW_OK && !cl->mapped)
        return SW_EAGAIN;
    slot = calloc((size_t)n, sizeof(*slot));
    node = calloc((size_t)n, sizeof(*node));
    idx = calloc((size_t)n, sizeof(*idx));
    sub_argc = calloc((size_t)n, sizeof(*sub_argc));
    sub_argv = calloc((size_t)n, sizeof(*sub_argv));
    sub = calloc((size_t)n, sizeof(*sub));
    gnode = calloc((size_t)n + 1, sizeof(*gnode));
    gstart = calloc((size_t)n + 1, sizeof(*gstart));
    sent = calloc((size_t)n + 1, sizeof(*sent));
    if (n > 0 && (!slot || !node || !idx || !sub_argc || !sub_argv || !sub || !gnode ||
                  !gstart || !sent)) {
        rc = SW_EAGAIN;
        goto out;
    }
    for (i = 0; i < n; i++) {
        slot[i] = cmd_slot(argcs[i], argvs[i], NULL);
        node[i] = cl_pick(cl, slot[i]);
        replies[i] = NULL;
    }
    /* Each node's commands are sent, to every node in turn, before any reply is read: the
     * nodes answer at the same time, so a pipeline over several nodes costs one round trip's
     * wait, not one per node. The commands are grouped by node in idx (group g is
     * idx[gstart[g]] .. idx[gstart[g + 1] - 1]), in the order the nodes first appear. */
    for (g = 0, m = 0, i = 0; i < n; i++) {
        if (node[i] < 0)
            continue;           /* no node known (sent alone below) or grouped already */
        d = node[i];
        gnode[g] = d;
        gstart[g] = m;
        for (j = i; j < n; j++)
            if (node[j] == d) {
                idx[m++] = j;
                node[j] = -2;   /* grouped (answered or to be sent alone) */
            }
        g++;
    }
    gstart[g] = m;
    for (k = 0; k < g; k++) {
        for (j = gstart[k]; j < gstart[k + 1]; j++) {
            sub_argc[j] = argcs[idx[j]];
            sub_argv[j] = argvs[idx[j]];
        }
        cl_use(s, gnode[k]);
        sent[k] = pipeline_send(s, gstart[k + 1] - gstart[k], sub_argc + gstart[k],
                                sub_argv + gstart[k]) == SW_OK;
    }
    for (k = 0; k < g; k++) {
        if (!sent[k])
            continue;
        cl_use(s, gnode[k]);
        if (pipeline_recv(s, gstart[k + 1] - gstart[k], sub + gstart[k]) == SW_OK)
            for (j = gstart[k]; j < gstart[k + 1]; j++)
                replies[idx[j]] = sub[j];
    }
    /* What a node did not answer, or answered with a redirection, goes again on its own. */
    for (i = 0; i < n; i++) {
        if (replies[i] != NULL && cl_judge(s, replies[i], &to) == CL_DONE)
            continue;
        if (replies[i] != NULL)
            freeReplyObject(replies[i]);
        replies[i] = cl_send(s, slot[i], argcs[i], argvs[i], NULL);
        if (replies[i] == NULL) {
            for (j = 0; j < n; j++)
                if (replies[j] != NULL) {
                    freeReplyObject(replies[j]);
                    replies[j] = NULL;
                }
            rc = SW_EAGAIN;
            break;
        }
    }
out:
    free(slot);
    free(node);
    free(idx);
    free(sub_argc);
    free(sub_argv);
    free(sub);
    free(gnode);
    free(gstart);
    free(sent);
    return rc;
}

int sw_store_incr(struct sw_store *s, const char *key, long long *out)
{
    redisReply *r = sw_store_cmd(s, "INCR", key, NULL);
    int rc = SW_EAGAIN;

    if (r != NULL && r->type == REDIS_REPLY_INTEGER) {
        *out = r->integer;
        rc = SW_OK;
    } else if (r != NULL) {
        snprintf(s->errstr, sizeof(s->errstr), "INCR %.100s: %.120s", key,
                 r->type == REDIS_REPLY_ERROR ? r->str : "no integer in the answer");
    }
    if (r != NULL)
        freeReplyObject(r);
    return rc;
}

int sw_store_durable(struct sw_store *s, const char *key)
{
    int rc;

    if (s->wait_replicas <= 0)
        return SW_OK;
    rc = sw_store_wait(s, key, s->wait_replicas, s->wait_timeout_ms);
    s->unconfirmed = rc == SW_ERR;
    return rc;
}

int sw_store_wait(struct sw_store *s, const char *key, int replicas, int timeout_ms)
{
    char want[16], ms[16];
    const char *argv[] = { "WAIT", want, ms };
    redisReply *r;
    int rc;

    if (replicas <= 0)
        return SW_OK;
    snprintf(want, sizeof(want), "%d", replicas);
    snprintf(ms, sizeof(ms), "%d", timeout_ms);
    if (cl_ready(s) == SW_ERR)
        return SW_EAGAIN;
    if (s->cluster == NULL) {
        r = one_cmdv(s, 3, argv, NULL);
    } else {
        /* WAIT counts the writes of this connection: the one to key's primary. */
        int node = cl_pick(s->cluster, sw_store_slot(key, strlen(key)));

        if (node < 0)
            return SW_EAGAIN;
        cl_use(s, node);
        r = one_cmdv(s, 3, argv, NULL);
    }
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_INTEGER && r->integer >= replicas) {
        rc = SW_OK;
    } else {
        if (r->type == REDIS_REPLY_INTEGER)
            snprintf(s->errstr, sizeof(s->errstr), "the write reached %lld of the %d replicas "
                     "asked for within %d ms (WAIT on %s)", r->integer, replicas, timeout_ms,
                     key);
        else
            snprintf(s->errstr, sizeof(s->errstr), "WAIT on %s: %s", key,
                     r->type == REDIS_REPLY_ERROR ? r->str : "no integer in the answer");
        rc = SW_ERR;
    }
    freeReplyObject(r);
    return rc;
}

int sw_store_cluster_stats(const struct sw_store *s, struct sw_store_cluster_stats *st)
{
    const struct sw_cluster *cl = s->cluster;
    char seen[CL_NODES_MAX] = { 0 };
    int i;

    if (cl == NULL)
        return 0;
    if (st != NULL) {
        memset(st, 0, sizeof(*st));
        st->nodes = cl->n;
        for (i = 0; i < CL_SLOTS; i++)
            if (cl->slot[i] >= 0 && !seen[cl->slot[i]]) {
                seen[cl->slot[i]] = 1;
                st->primaries++;
            }
        st->moved = cl->moved;
        st->asked = cl->asked;
        st->retried = cl->retried;
        st->refreshed = cl->refreshed;
    }
    return 1;
}
