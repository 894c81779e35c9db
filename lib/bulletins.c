/* bulletins.c — early-warning bulletins in the store: numbering, publishing with their event,
 * loading one, and listing them newest first through a filter. */
#include <stdio.h>
#include <stdlib.h>

#include "seawall/bulletins.h"
#include "seawall/feedreg.h"
#include "seawall/store.h"

#define INDEX_KEY "sw:idx:bulletins"
#define BATCH 100

/* KEYS: bulletin, index, event key, events stream. ARGV: bulletin json, id, event json,
 * event id, event ttl, stream maxlen. */
static const char publish_lua[] =
    "redis.call('SET', KEYS[1], ARGV[1]) "
    "redis.call('ZADD', KEYS[2], ARGV[2], ARGV[2]) "
    "if redis.call('SET', KEYS[3], ARGV[3], 'NX', 'EX', ARGV[5]) then "
    "  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[6], '*', 'id', ARGV[4], 'event', ARGV[3]) "
    "end return 1";

static void bulletin_key(long long id, char *out, size_t outlen)
{
    snprintf(out, outlen, "sw:bulletin:%lld", id);
}

int sw_bulletin_next_id(struct sw_store *s, long long *id)
{
    redisReply *r = sw_store_cmd(s, "INCR", "sw:seq:bulletin", NULL);

    if (r == NULL)
        return SW_EAGAIN;
    *id = sw_reply_int(r, 0);
    freeReplyObject(r);
    return *id > 0 ? SW_OK : SW_ERR;
}

int sw_bulletin_publish(struct sw_store *s, long long id, const char *doc, const char *evid,
                        const char *ev, long long ttl_s, long long maxlen)
{
    char key[64], evkey[160], idtxt[24], ttl[24], max[24];
    const char *keys[4], *args[6];
    long long v;

    bulletin_key(id, key, sizeof(key));
    snprintf(evkey, sizeof(evkey), "sw:ev:%s", evid);
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    snprintf(ttl, sizeof(ttl), "%lld", ttl_s);
    snprintf(max, sizeof(max), "%lld", maxlen);
    keys[0] = key; keys[1] = INDEX_KEY; keys[2] = evkey; keys[3] = SW_EVENTS_STREAM;
    args[0] = doc; args[1] = idtxt; args[2] = ev; args[3] = evid; args[4] = ttl; args[5] = max;
    return sw_store_eval_int(s, publish_lua, 4, keys, 6, args, &v);
}

int sw_bulletin_get(struct sw_store *s, long long id, json_t **doc)
{
    char key[64];
    redisReply *r;

    bulletin_key(id, key, sizeof(key));
    r = sw_store_cmd(s, "GET", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *doc = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return *doc != NULL ? SW_OK : SW_NOTFOUND;
}

/* The bulletins whose ids r (a ZREVRANGEBYSCORE reply) names, in one MGET; NULL when the
 * connection failed. */
static redisReply *load_batch(struct sw_store *s, const redisReply *ids)
{
    char keys[BATCH][32];
    const char *argv[BATCH + 1];
    size_t i;

    argv[0] = "MGET";
    for (i = 0; i < ids->elements && i < BATCH; i++) {
        bulletin_key(strtoll(ids->element[i]->str, NULL, 10), keys[i], sizeof(keys[i]));
        argv[i + 1] = keys[i];
    }
    return sw_store_cmdv(s, (int)i + 1, argv, NULL);
}

int sw_bulletins_page(struct sw_store *s, long long before, int limit, sw_bulletin_keep keep,
                      void *ud, json_t **items, long long *next)
{
    char max[32], batch[16];
    const char *argv[7];
    json_t *out = json_array();
    long long last = 0;
    int scanned = 0, more = 0;
    redisReply *r, *docs;
    size_t i;

    *items = NULL;
    *next = 0;
    snprintf(max, sizeof(max), before > 0 ? "(%lld" : "+inf", before);
    snprintf(batch, sizeof(batch), "%d", BATCH);
    while (json_array_size(out) < (size_t)limit && scanned < SW_BULLETINS_SCAN_MAX) {
        argv[0] = "ZREVRANGEBYSCORE"; argv[1] = INDEX_KEY; argv[2] = max; argv[3] = "-inf";
        argv[4] = "LIMIT"; argv[5] = "0"; argv[6] = batch;
        r = sw_store_cmdv(s, 7, argv, NULL);
        if (r == NULL)
            goto gone;
        if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
            freeReplyObject(r);
            last = 0;
            break;
        }
        docs = load_batch(s, r);
        if (docs == NULL) {
            freeReplyObject(r);
            goto gone;
        }
        for (i = 0; i < r->elements && i < docs->elements && json_array_size(out) < (size_t)limit;
             i++) {
            const redisReply *d = docs->element[i];
            json_t *b;

            last = strtoll(r->element[i]->str, NULL, 10);
            scanned++;
            b = d->type == REDIS_REPLY_STRING ? json_loadb(d->str, d->len, 0, NULL) : NULL;
            if (b != NULL && (keep == NULL || keep(b, ud)))
                json_array_append_new(out, b);
            else
                json_decref(b);
        }
        freeReplyObject(docs);
        freeReplyObject(r);
        snprintf(max, sizeof(max), "(%lld", last);
    }
    if (last > 0) {   /* is there anything older than the last one looked at? */
        r = sw_store_cmd(s, "ZREVRANGEBYSCORE", INDEX_KEY, max, "-inf", "LIMIT", "0", "1", NULL);
        if (r == NULL)
            goto gone;
        more = r->type == REDIS_REPLY_ARRAY && r->elements > 0;
        freeReplyObject(r);
    }
    *next = more ? last : 0;
    *items = out;
    return SW_OK;
gone:
    json_decref(out);
    return SW_EAGAIN;
}
