/* record.c — JSON documents with an append-only history, changed under WATCH; what follows
 * from a change in other slots runs in steps around the record's own transaction. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/json.h"
#include "seawall/keys.h"
#include "seawall/log.h"
#include "seawall/record.h"
#include "seawall/store.h"

static void cmds_vadd(struct sw_cmds *c, enum sw_cmd_step step, const char *verb, va_list ap)
{
    const char *a = verb;
    int i = 0;

    if (c->failed || c->n >= SW_CMDS_MAX) {
        c->failed = 1;
        return;
    }
    for (; a != NULL; a = va_arg(ap, const char *)) {
        if (i == SW_CMD_ARGS || (c->args[c->n][i] = strdup(a)) == NULL) {
            c->failed = 1;
            break;
        }
        i++;
    }
    c->argcs[c->n] = i;
    c->argvs[c->n] = (const char **)c->args[c->n];
    c->step[c->n] = (unsigned char)step;
    c->n++;
}

void sw_cmds_add(struct sw_cmds *c, const char *verb, ...)
{
    va_list ap;

    va_start(ap, verb);
    cmds_vadd(c, SW_STEP_TXN, verb, ap);
    va_end(ap);
}

void sw_cmds_before(struct sw_cmds *c, const char *verb, ...)
{
    va_list ap;

    va_start(ap, verb);
    cmds_vadd(c, SW_STEP_BEFORE, verb, ap);
    va_end(ap);
}

void sw_cmds_after(struct sw_cmds *c, const char *verb, ...)
{
    va_list ap;

    va_start(ap, verb);
    cmds_vadd(c, SW_STEP_AFTER, verb, ap);
    va_end(ap);
}

void sw_cmds_free(struct sw_cmds *c)
{
    int i, j;

    for (i = 0; i < c->n; i++)
        for (j = 0; j < c->argcs[i]; j++)
            free(c->args[i][j]);
    c->n = 0;
}

/* The slot of command i's key (its first argument), or -1 for a command without one. */
static int cmd_slot(const struct sw_cmds *c, int i)
{
    return c->argcs[i] > 1 ? sw_store_slot(c->argvs[i][1], strlen(c->argvs[i][1])) : -1;
}

/* Runs the n commands idx[] names (one slot) as one MULTI/EXEC: SW_OK, SW_CONFLICT, SW_EAGAIN,
 * SW_ERR. */
static int run_multi(struct sw_store *s, struct sw_cmds *c, const int *idx, int n)
{
    int argcs[SW_CMDS_MAX];
    const char **argvs[SW_CMDS_MAX];
    redisReply *r;
    int i, rc;

    for (i = 0; i < n; i++) {
        argcs[i] = c->argcs[idx[i]];
        argvs[i] = c->argvs[idx[i]];
    }
    r = sw_store_multi(s, n, argcs, argvs, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    rc = r->type == REDIS_REPLY_ARRAY ? SW_OK : r->type == REDIS_REPLY_NIL ? SW_CONFLICT : SW_ERR;
    if (rc == SW_ERR)
        sw_warn("record: MULTI with %s %s refused (%s)", argvs[0][0],
                argcs[0] > 1 ? argvs[0][1] : "", r->type == REDIS_REPLY_ERROR ? r->str : "?");
    freeReplyObject(r);
    return rc;
}

/* Runs the commands of step in order: before the transaction one at a time (an EXEC would
 * end the WATCH the transaction runs under), after it consecutive ones of one slot as one
 * MULTI. */
static int run_step(struct sw_store *s, struct sw_cmds *c, enum sw_cmd_step step)
{
    int idx[SW_CMDS_MAX], n = 0, slot = -1, i, sl, rc;

    for (i = 0; i < c->n && step == SW_STEP_BEFORE; i++) {
        redisReply *r;

        if (c->step[i] != step)
            continue;
        r = sw_store_cmdv(s, c->argcs[i], c->argvs[i], NULL);
        if (r == NULL)
            return SW_EAGAIN;
        rc = r->type == REDIS_REPLY_ERROR ? SW_ERR : SW_OK;
        if (rc != SW_OK)
            sw_warn("record: %s %s refused (%s)", c->argvs[i][0],
                    c->argcs[i] > 1 ? c->argvs[i][1] : "", r->str);
        freeReplyObject(r);
        if (rc != SW_OK)
            return rc;
    }
    if (step == SW_STEP_BEFORE)
        return SW_OK;
    for (i = 0; i <= c->n; i++) {
        if (i < c->n && c->step[i] != step)
            continue;
        sl = i < c->n ? cmd_slot(c, i) : -2;
        if (n > 0 && (i == c->n || sl != slot)) {
            rc = run_multi(s, c, idx, n);
            if (rc != SW_OK)
                return rc == SW_CONFLICT ? SW_ERR : rc;
            n = 0;
        }
        if (i < c->n) {
            idx[n++] = i;
            slot = sl;
        }
    }
    return SW_OK;
}

int sw_cmds_plan(struct sw_cmds *c)
{
    int n = 0, slot = -1, i;

    for (i = 0; i < c->n; i++) {
        if (c->step[i] != SW_STEP_TXN)
            continue;
        if (n == 0)
            slot = cmd_slot(c, i);
        if (n > 0 && cmd_slot(c, i) != slot)
            c->step[i] = SW_STEP_AFTER;
        else
            n++;
    }
    return n;
}

int sw_cmds_exec(struct sw_store *s, struct sw_cmds *c)
{
    int idx[SW_CMDS_MAX], n = 0, i, rc;

    if (c->failed)
        return SW_ERR;
    sw_cmds_plan(c);
    for (i = 0; i < c->n; i++)
        if (c->step[i] == SW_STEP_TXN)
            idx[n++] = i;
    rc = run_step(s, c, SW_STEP_BEFORE);
    if (rc != SW_OK)
        return rc;
    if (n > 0 && (rc = run_multi(s, c, idx, n)) != SW_OK)
        return rc;
    rc = run_step(s, c, SW_STEP_AFTER);
    if (rc != SW_OK)
        sw_warn("record: the steps after a written transaction failed (%s)", s->errstr);
    return rc;
}

void sw_rec_keys(struct sw_rec_keys *k, const char *tag, long long id)
{
    snprintf(k->doc, sizeof(k->doc), "%s", swk_rec_doc(tag, id).s);
    snprintf(k->hist, sizeof(k->hist), "%s", swk_rec_history(tag, id).s);
}

int sw_rec_durable(struct sw_store *s, const struct sw_rec_keys *k)
{
    return sw_store_durable(s, k->doc) == SW_OK ? SW_OK : SW_EAGAIN;
}

int sw_rec_get(struct sw_store *s, const struct sw_rec_keys *k, json_t **doc)
{
    redisReply *r = sw_store_cmd(s, "GET", k->doc, NULL);

    *doc = NULL;
    if (r == NULL)
        return SW_EAGAIN;
    *doc = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return *doc != NULL ? SW_OK : SW_NOTFOUND;
}

int sw_rec_create_cmds(struct sw_cmds *c, const struct sw_rec_keys *k, json_t *doc,
                       json_t *entry)
{
    char *text, *etext;

    json_object_set_new(doc, "history_len", json_integer(1));
    json_object_set_new(entry, "seq", json_integer(1));
    text = sw_json_dumps(doc);
    etext = sw_json_dumps(entry);
    if (text != NULL && etext != NULL) {
        sw_cmds_add(c, "SET", k->doc, text, NULL);
        sw_cmds_add(c, "DEL", k->hist, NULL);
        sw_cmds_add(c, "RPUSH", k->hist, etext, NULL);
    } else {
        c->failed = 1;
    }
    free(text);
    free(etext);
    return c->failed ? SW_ERR : SW_OK;
}

static void unwatch(struct sw_store *s)
{
    redisReply *r = sw_store_cmd(s, "UNWATCH", NULL);

    if (r != NULL)
        freeReplyObject(r);
}

int sw_rec_update(struct sw_store *s, const struct sw_rec_keys *k, long long history_max,
                  sw_rec_edit_fn fn, sw_rec_more_fn more, void *ud, json_t **out)
{
    int attempt, rc = SW_EAGAIN;

    for (attempt = 0; attempt < 16; attempt++) {
        json_t *doc = NULL, *old = NULL, *hist = NULL, *e;
        struct sw_cmds c = { .n = 0 };
        char *text;
        size_t i, nh;
        long long len;
        redisReply *r = sw_store_cmd(s, "WATCH", k->doc, NULL);

        if (r == NULL)
            return SW_EAGAIN;
        freeReplyObject(r);
        rc = sw_rec_get(s, k, &doc);
        if (rc != SW_OK)
            goto next;
        old = json_deep_copy(doc);
        hist = json_array();
        rc = fn(doc, hist, ud);
        if (rc == SW_CONFLICT)   /* reserved for a WATCH that fired: never retry fn's refusal */
            rc = SW_INVALID;
        if (rc != SW_OK)
            goto next;
        len = json_integer_value(json_object_get(doc, "history_len"));
        nh = json_array_size(hist);
        rc = SW_ERR;
        if (nh == 0)        /* every change is recorded: fn must add an entry */
            goto next;
        rc = SW_TOOBIG;
        if (len + (long long)nh > history_max)
            goto next;
        json_object_set_new(doc, "history_len", json_integer(len + (long long)nh));
        text = sw_json_dumps(doc);
        sw_cmds_add(&c, "SET", k->doc, text ? text : "", NULL);
        c.failed |= text == NULL;
        free(text);
        json_array_foreach(hist, i, e) {
            json_object_set_new(e, "seq", json_integer(len + (long long)i + 1));
            text = sw_json_dumps(e);
            sw_cmds_add(&c, "RPUSH", k->hist, text ? text : "", NULL);
            c.failed |= text == NULL;
            free(text);
        }
        if (more != NULL)
            more(&c, old, doc, ud);
        rc = sw_cmds_exec(s, &c);
        if (rc == SW_OK && out != NULL) {
            *out = doc;
            doc = NULL;
        }
next:
        if (rc != SW_OK && rc != SW_CONFLICT)
            unwatch(s);
        sw_cmds_free(&c);
        json_decref(doc);
        json_decref(old);
        json_decref(hist);
        if (rc != SW_CONFLICT)
            return rc;
    }
    return SW_EAGAIN;
}

int sw_rec_history(struct sw_store *s, const struct sw_rec_keys *k, json_t **out)
{
    redisReply *r = sw_store_cmd(s, "LRANGE", k->hist, "0", "-1", NULL);
    size_t i;

    if (r == NULL)
        return SW_EAGAIN;
    *out = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        json_t *e = json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL);

        if (e != NULL)
            json_array_append_new(*out, e);
    }
    freeReplyObject(r);
    return SW_OK;
}

int sw_rec_load(struct sw_store *s, const char *tag, const json_t *ids, json_t **out)
{
    size_t n = json_array_size(ids), i, at;
    int rc = SW_OK;

    *out = json_array();
    for (at = 0; at < n && rc == SW_OK; at += 256) {
        size_t m = n - at < 256 ? n - at : 256;
        const char *argv[257];
        struct sw_rec_keys keys[256];
        redisReply *r;

        argv[0] = "MGET";
        for (i = 0; i < m; i++) {
            sw_rec_keys(&keys[i], tag, json_integer_value(json_array_get(ids, at + i)));
            argv[i + 1] = keys[i].doc;
        }
        r = sw_store_cmdv(s, (int)m + 1, argv, NULL);
        if (r == NULL) {
            rc = SW_EAGAIN;
            break;
        }
        for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
            json_t *d = r->element[i]->type == REDIS_REPLY_STRING
                            ? json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL)
                            : NULL;

            if (d != NULL)
                json_array_append_new(*out, d);
        }
        freeReplyObject(r);
    }
    if (rc != SW_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int sw_rec_ids(struct sw_store *s, const char *key, long long after, int limit, long long max,
               json_t **ids, long long *next)
{
    char min[32], cnt[32];
    redisReply *r;
    size_t i;

    snprintf(min, sizeof(min), "(%lld", after);
    snprintf(cnt, sizeof(cnt), "%lld", limit > 0 ? (long long)limit + 1 : max);
    r = sw_store_cmd(s, "ZRANGEBYSCORE", key, min, "+inf", "LIMIT", "0", cnt, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *ids = json_array();
    *next = 0;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        long long id = strtoll(r->element[i]->str ?: "0", NULL, 10);

        if (limit > 0 && i == (size_t)limit) {
            *next = json_integer_value(json_array_get(*ids, i - 1));
            break;
        }
        json_array_append_new(*ids, json_integer(id));
    }
    if (limit <= 0 && r->type == REDIS_REPLY_ARRAY && (long long)r->elements >= max)
        *next = json_integer_value(json_array_get(*ids, r->elements - 1));
    freeReplyObject(r);
    return SW_OK;
}
