/* store.c — the Redis connection: lazy connect, timeouts, reconnect after failures. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "seawall/config.h"
#include "seawall/log.h"
#include "seawall/store.h"

#define STORE_MAX_ARGS 64

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

redisReply *sw_store_cmdv(struct sw_store *s, int argc, const char **argv, const size_t *lens)
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

redisReply *sw_store_multi(struct sw_store *s, int n, const int *argcs, const char ***argvs,
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
    char nk[16];
    const char *sha = NULL;
    redisReply *r;
    int i, argc = 0;

    if (nkeys + nargs > STORE_MAX_ARGS)
        return NULL;
    /* The SHA-1 Redis gave the script the first time; scripts are known by their address. */
    for (i = 0; i < s->nscripts; i++)
        if (s->scripts[i].text == script)
            sha = s->scripts[i].sha;
    if (sha == NULL) {
        const char *load[] = { "SCRIPT", "LOAD", script };

        r = sw_store_cmdv(s, 3, load, NULL);
        if (r == NULL)
            return NULL;
        if (r->type != REDIS_REPLY_STRING || r->len >= sizeof(s->scripts[0].sha) ||
            s->nscripts >= (int)SW_ARRAY_LEN(s->scripts))
            return r;   /* an error reply (or a full cache: a bug) goes to the caller */
        sw_strlcpy(s->scripts[s->nscripts].sha, r->str, sizeof(s->scripts[0].sha));
        s->scripts[s->nscripts].text = script;
        sha = s->scripts[s->nscripts++].sha;
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

int sw_store_pipeline(struct sw_store *s, int n, const int *argcs, const char ***argvs,
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

static int pipeline_once(struct sw_store *s, int n, const int *argcs, const char ***argvs,
                         redisReply **replies)
{
    void *reply;
    int i, k;

    for (i = 0; i < n; i++)
        if (redisAppendCommandArgv(s->c, argcs[i], argvs[i], NULL) != REDIS_OK)
        {
            store_check(s, NULL);
            return SW_EAGAIN;
        }
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
