/* stream.c — streams split into shards (seawall/stream.h): one Redis stream per shard, each
 * under its own hash tag, written by route and read shard by shard. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "seawall/log.h"
#include "seawall/store.h"
#include "seawall/stream.h"

#define SLICE_MS 50

int sw_stream_shards(const struct sw_store *s)
{
    int n = s->stream_shards;

    return n < 1 ? 1 : n > SW_STREAM_SHARDS_MAX ? SW_STREAM_SHARDS_MAX : n;
}

int sw_stream_shard_of(const struct sw_store *s, const char *route, size_t len)
{
    /* The cluster's own CRC16 spreads routes as evenly as it spreads keys. */
    return sw_store_slot(route, len) % sw_stream_shards(s);
}

sw_key_t sw_stream_key(const char *base, int shard)
{
    return swk_stream(base, shard);
}

int sw_stream_add(struct sw_store *s, const char *base, const char *route, size_t route_len,
                  long long maxlen, int nf, const char **fields, const size_t *lens,
                  char *id, size_t idlen)
{
    const char *argv[6 + 2 * 32];
    size_t alen[6 + 2 * 32];
    char max[32];
    sw_key_t key = sw_stream_key(base, sw_stream_shard_of(s, route, route_len));
    redisReply *r;
    int argc = 0, i;

    if (nf < 0 || nf > 32) {
        snprintf(s->errstr, sizeof(s->errstr), "stream entry of %d fields (at most 32)", nf);
        return SW_ERR;
    }
    argv[argc++] = "XADD";
    argv[argc++] = key.s;
    if (maxlen > 0) {
        snprintf(max, sizeof(max), "%lld", maxlen);
        argv[argc++] = "MAXLEN";
        argv[argc++] = "~";
        argv[argc++] = max;
    }
    argv[argc++] = "*";
    for (i = 0; i < argc; i++)
        alen[i] = strlen(argv[i]);
    for (i = 0; i < 2 * nf; i++) {
        argv[argc] = fields[i];
        alen[argc++] = lens != NULL ? lens[i] : strlen(fields[i]);
    }
    r = sw_store_cmdv(s, argc, argv, alen);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type != REDIS_REPLY_STRING) {
        snprintf(s->errstr, sizeof(s->errstr), "XADD %.100s: %.120s", key.s,
                 r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
        freeReplyObject(r);
        return SW_EAGAIN;
    }
    if (id != NULL)
        sw_strlcpy(id, r->str, idlen);
    freeReplyObject(r);
    return SW_OK;
}

int sw_stream_group(struct sw_store *s, const char *base, const char *group, const char *start)
{
    int n = sw_stream_shards(s), i, rc = SW_OK;

    for (i = 0; i < n; i++) {
        sw_key_t key = sw_stream_key(base, i);
        redisReply *r = sw_store_cmd(s, "XGROUP", "CREATE", key.s, group, start, "MKSTREAM",
                                     NULL);

        if (r == NULL)
            return SW_EAGAIN;
        if (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "BUSYGROUP", 9) != 0) {
            snprintf(s->errstr, sizeof(s->errstr), "XGROUP CREATE %.90s %.40s: %.90s", key.s, group,
                     r->str);
            rc = SW_EAGAIN;
        }
        freeReplyObject(r);
    }
    return rc;
}

void sw_stream_batch_free(struct sw_stream_batch *b)
{
    int i;

    for (i = 0; i < b->n; i++)
        if (b->replies[i] != NULL)
            freeReplyObject(b->replies[i]);
    b->n = 0;
    b->total = 0;
}

/* Keeps the entries of one XREADGROUP reply (of one stream) in b; frees r otherwise. */
static void keep(struct sw_stream_batch *b, int shard, redisReply *r)
{
    if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
        r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements == 2 &&
        r->element[0]->element[1]->type == REDIS_REPLY_ARRAY &&
        r->element[0]->element[1]->elements > 0) {
        b->shard[b->n] = shard;
        b->entries[b->n] = r->element[0]->element[1];
        b->replies[b->n++] = r;
        b->total += r->element[0]->element[1]->elements;
        return;
    }
    if (r != NULL)
        freeReplyObject(r);
}

/* A missing group (the streams were deleted, or a shard added) is made again from the start. */
static int no_group(const redisReply *r)
{
    return r != NULL && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOGROUP", 7) == 0;
}

int sw_stream_read(struct sw_store *s, const char *base, const char *group, const char *me,
                   long long count, long long block_ms, struct sw_stream_batch *b)
{
    static __thread unsigned turn;
    int n = sw_stream_shards(s), i, argcs[SW_STREAM_SHARDS_MAX], missing = 0;
    const char *args[SW_STREAM_SHARDS_MAX][10], **argvs[SW_STREAM_SHARDS_MAX];
    sw_key_t keys[SW_STREAM_SHARDS_MAX];
    redisReply *reps[SW_STREAM_SHARDS_MAX];
    char cnt[32], blk[32];
    long long waited = 0;

    memset(b, 0, sizeof(*b));
    snprintf(cnt, sizeof(cnt), "%lld", count > 0 ? count : 1);
    for (i = 0; i < n; i++) {
        keys[i] = sw_stream_key(base, i);
        args[i][0] = "XREADGROUP";
        args[i][1] = "GROUP";
        args[i][2] = group;
        args[i][3] = me;
        args[i][4] = "COUNT";
        args[i][5] = cnt;
        args[i][6] = "STREAMS";
        args[i][7] = keys[i].s;
        args[i][8] = ">";
        argvs[i] = args[i];
        argcs[i] = 9;
    }
    if (sw_store_pipeline(s, n, argcs, argvs, reps) != SW_OK)
        return SW_EAGAIN;
    for (i = 0; i < n; i++) {
        missing |= no_group(reps[i]);
        keep(b, i, reps[i]);
    }
    if (missing)
        sw_stream_group(s, base, group, "0");
    /* Nothing anywhere: wait on one shard at a time, a slice each, until block_ms is spent. */
    while (b->n == 0 && waited < block_ms) {
        long long slice = block_ms - waited < SLICE_MS ? block_ms - waited : SLICE_MS;
        int k = (int)(turn++ % (unsigned)n);
        redisReply *r;

        snprintf(blk, sizeof(blk), "%lld", slice);
        r = sw_store_cmd(s, "XREADGROUP", "GROUP", group, me, "COUNT", cnt, "BLOCK", blk,
                         "STREAMS", keys[k].s, ">", NULL);
        if (r == NULL)
            return SW_EAGAIN;
        if (no_group(r)) {
            freeReplyObject(r);
            sw_stream_group(s, base, group, "0");
            return SW_OK;
        }
        keep(b, k, r);
        waited += slice;
    }
    return SW_OK;
}

int sw_stream_ack(struct sw_store *s, const char *base, int shard, const char *group,
                  int n, const char **ids)
{
    const char **argv;
    sw_key_t key = sw_stream_key(base, shard);
    redisReply *r;
    int i, rc = SW_OK;

    if (n <= 0)
        return SW_OK;
    if ((argv = malloc(sizeof(*argv) * (size_t)(n + 3))) == NULL)
        return SW_EAGAIN;
    argv[0] = "XACK";
    argv[1] = key.s;
    argv[2] = group;
    for (i = 0; i < n; i++)
        argv[3 + i] = ids[i];
    r = sw_store_cmdv(s, n + 3, argv, NULL);
    free(argv);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ERROR) {
        snprintf(s->errstr, sizeof(s->errstr), "XACK %.100s: %.120s", key.s, r->str);
        rc = SW_EAGAIN;
    }
    freeReplyObject(r);
    return rc;
}

void sw_stream_claim(struct sw_store *s, const char *base, const char *group, const char *me,
                     long long idle_ms, long long count, const char *what,
                     void (*take)(void *ud, int shard, const redisReply *entries),
                     void *ud, volatile sig_atomic_t *stopping)
{
    char idle[32], cnt[32];
    int n = sw_stream_shards(s), i;

    snprintf(idle, sizeof(idle), "%lld", idle_ms);
    snprintf(cnt, sizeof(cnt), "%lld", count);
    for (i = 0; i < n && !*stopping; i++) {
        sw_key_t key = sw_stream_key(base, i);
        char cursor[64] = "0-0";
        int rounds = 0;

        do {
            redisReply *r = sw_store_cmd(s, "XAUTOCLAIM", key.s, group, me, idle, cursor,
                                         "COUNT", cnt, NULL);

            if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 2) {
                if (r != NULL)
                    freeReplyObject(r);
                break;
            }
            sw_strlcpy(cursor, r->element[0]->str, sizeof(cursor));
            if (r->element[1]->elements > 0) {
                sw_info("claimed %zu %s left pending by another consumer (%s)",
                        r->element[1]->elements, what, key.s);
                take(ud, i, r->element[1]);
            }
            freeReplyObject(r);
        } while (strcmp(cursor, "0-0") != 0 && ++rounds < 100 && !*stopping);
    }
}

/* Sums one integer reply per shard of cmd (XLEN key, or XPENDING key group). */
static long long sum_shards(struct sw_store *s, const char *base, const char *group)
{
    int n = sw_stream_shards(s), i, argcs[SW_STREAM_SHARDS_MAX];
    const char *args[SW_STREAM_SHARDS_MAX][3], **argvs[SW_STREAM_SHARDS_MAX];
    sw_key_t keys[SW_STREAM_SHARDS_MAX];
    redisReply *reps[SW_STREAM_SHARDS_MAX];
    long long total = 0;

    for (i = 0; i < n; i++) {
        keys[i] = sw_stream_key(base, i);
        args[i][0] = group != NULL ? "XPENDING" : "XLEN";
        args[i][1] = keys[i].s;
        args[i][2] = group;
        argcs[i] = group != NULL ? 3 : 2;
        argvs[i] = args[i];
    }
    if (sw_store_pipeline(s, n, argcs, argvs, reps) != SW_OK)
        return -1;
    for (i = 0; i < n; i++) {
        redisReply *r = reps[i];

        if (r->type == REDIS_REPLY_INTEGER)
            total += r->integer;
        else if (r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
                 r->element[0]->type == REDIS_REPLY_INTEGER)
            total += r->element[0]->integer;
        freeReplyObject(r);
    }
    return total;
}

long long sw_stream_pending(struct sw_store *s, const char *base, const char *group)
{
    return sum_shards(s, base, group);
}

long long sw_stream_len(struct sw_store *s, const char *base)
{
    return sum_shards(s, base, NULL);
}
