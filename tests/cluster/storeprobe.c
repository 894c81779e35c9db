/* storeprobe — drives lib/store.c against a Redis Cluster for tests/integration/
 * test_cluster_store.py: writes and reads numbered keys spread over every slot, one command,
 * a pipeline or a script at a time, and prints what it saw as one JSON line.
 *
 *   storeprobe URL write FROM TO [WAIT [STOP]]
 *                                         SET sw:{p:i}:v i, one by one; with WAIT n, each
 *                                         write waits for n replicas (1 s at most, as
 *                                         redis.wait_replicas n makes sw_store_durable); prints
 *                                         "acked i" lines; ends early once file STOP exists
 *   storeprobe URL read FROM TO           GET each; counts missing and wrong values
 *   storeprobe URL readlist FILE          the same for the numbers in FILE, one per line
 *   storeprobe URL pipeline FROM TO       the same SET then GET, 50 commands per pipeline
 *   storeprobe URL script FROM TO         a script INCRs two keys of one hash tag per i
 *   storeprobe URL multi FROM TO          MULTI/EXEC of two SETs of one hash tag per i
 *   storeprobe URL mget FROM TO           MGET of the keys FROM..TO (at most 64) that write
 *                                         made, then EXISTS and DEL of them, each one command
 *   storeprobe URL scripts FROM TO        TO-FROM scripts of different texts through one handle
 *                                         (more than its cache of SHA-1s holds), each answering
 *                                         its own number
 *   storeprobe URL crossslot FROM TO      the same with two keys of different slots (which a
 *                                         cluster refuses, and redis.check_slots=refuse too)
 *   storeprobe URL streams FROM TO        sharded streams (seawall/stream.h): entries routed by
 *                                         i appended to stream "probe-FROM", read back by one
 *                                         consumer over every shard, half acknowledged, the
 *                                         rest claimed by a second consumer; counts entries
 *                                         seen twice or never as wrong */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seawall/config.h"
#include "seawall/store.h"
#include "seawall/stream.h"
#include "seawall/worker.h"

#define BATCH 50

static const char incr_two[] =
    "redis.call('INCR', KEYS[1]); return redis.call('INCR', KEYS[2])";

static void report(struct sw_store *s, const char *what, long ok, long failed, long wrong)
{
    struct sw_store_cluster_stats st;
    int cluster = sw_store_cluster_stats(s, &st);

    printf("{\"what\":\"%s\",\"ok\":%ld,\"failed\":%ld,\"wrong\":%ld,\"cluster\":%d,"
           "\"nodes\":%d,\"primaries\":%d,\"moved\":%lu,\"asked\":%lu,\"retried\":%lu,"
           "\"refreshed\":%lu,\"error\":\"%s\"}\n", what, ok, failed, wrong, cluster,
           cluster ? st.nodes : 1, cluster ? st.primaries : 1, cluster ? st.moved : 0,
           cluster ? st.asked : 0, cluster ? st.retried : 0, cluster ? st.refreshed : 0,
           failed ? "see stderr" : "");
    fflush(stdout);
}

static int run_write(struct sw_store *s, long from, long to, int wait, const char *stop)
{
    long i, ok = 0, failed = 0;
    char key[64], val[32];

    for (i = from; i < to; i++) {
        redisReply *r;

        if (stop != NULL && (i - from) % 50 == 0 && access(stop, F_OK) == 0)
            break;
        snprintf(key, sizeof(key), "sw:{p:%ld}:v", i);
        snprintf(val, sizeof(val), "%ld", i);
        r = sw_store_cmd(s, "SET", key, val, NULL);
        if (r == NULL || r->type == REDIS_REPLY_ERROR ||
            (wait > 0 && sw_store_durable(s, key) != SW_OK)) {
            fprintf(stderr, "write %ld: %s\n", i,
                    r != NULL && r->type == REDIS_REPLY_ERROR ? r->str : s->errstr);
            failed++;
        } else {
            ok++;
            printf("acked %ld\n", i);
            fflush(stdout);
        }
        if (r != NULL)
            freeReplyObject(r);
    }
    report(s, "write", ok, failed, 0);
    return failed != 0;
}

static void read_one(struct sw_store *s, long i, long *ok, long *failed, long *wrong)
{
    char key[64];
    redisReply *r;

    snprintf(key, sizeof(key), "sw:{p:%ld}:v", i);
    r = sw_store_cmd(s, "GET", key, NULL);
    if (r == NULL || r->type == REDIS_REPLY_ERROR) {
        fprintf(stderr, "read %ld: %s\n", i, r != NULL ? r->str : s->errstr);
        (*failed)++;
    } else if (r->type != REDIS_REPLY_STRING || atol(r->str) != i) {
        fprintf(stderr, "read %ld: %s\n", i, r->type == REDIS_REPLY_NIL ? "missing" : "wrong");
        (*wrong)++;
    } else {
        (*ok)++;
    }
    if (r != NULL)
        freeReplyObject(r);
}

static int run_readlist(struct sw_store *s, const char *path)
{
    long ok = 0, failed = 0, wrong = 0, i;
    FILE *fp = fopen(path, "r");

    if (fp == NULL) {
        perror(path);
        return 2;
    }
    while (fscanf(fp, "%ld", &i) == 1)
        read_one(s, i, &ok, &failed, &wrong);
    fclose(fp);
    report(s, "readlist", ok, failed, wrong);
    return failed != 0 || wrong != 0;
}

static int run_read(struct sw_store *s, long from, long to)
{
    long i, ok = 0, failed = 0, wrong = 0;

    for (i = from; i < to; i++)
        read_one(s, i, &ok, &failed, &wrong);
    report(s, "read", ok, failed, wrong);
    return failed != 0 || wrong != 0;
}

static int run_mget(struct sw_store *s, long from, long to)
{
    static char keys[64][64];
    const char *argv[65];
    long ok = 0, wrong = 0, failed = 0;
    int n = 0, k;
    redisReply *r;

    for (; from < to && n < 64; from++, n++) {
        snprintf(keys[n], sizeof(keys[n]), "sw:{p:%ld}:v", from);
        argv[n + 1] = keys[n];
    }
    argv[0] = "MGET";
    r = sw_store_cmdv(s, n + 1, argv, NULL);
    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != (size_t)n) {
        fprintf(stderr, "mget: %s\n", r != NULL && r->type == REDIS_REPLY_ERROR ? r->str : s->errstr);
        failed++;
    } else {
        for (k = 0; k < n; k++)
            if (r->element[k]->type == REDIS_REPLY_STRING &&
                atol(r->element[k]->str) == to - n + k)
                ok++;
            else
                wrong++;
    }
    if (r != NULL)
        freeReplyObject(r);
    argv[0] = "EXISTS";
    r = sw_store_cmdv(s, n + 1, argv, NULL);
    if (r == NULL || r->type != REDIS_REPLY_INTEGER || r->integer != n)
        wrong++;
    if (r != NULL)
        freeReplyObject(r);
    argv[0] = "DEL";
    r = sw_store_cmdv(s, n + 1, argv, NULL);
    if (r == NULL || r->type != REDIS_REPLY_INTEGER || r->integer != n)
        wrong++;
    if (r != NULL)
        freeReplyObject(r);
    report(s, "mget", ok, failed, wrong);
    return failed != 0 || wrong != 0;
}

static int run_scripts(struct sw_store *s, long from, long to)
{
    long ok = 0, failed = 0, wrong = 0, i;
    size_t n = (size_t)(to - from), k;
    char (*text)[64] = calloc(n, sizeof(*text));   /* scripts are known by their address */
    const char *key = "sw:{p:scripts}:k";

    if (text == NULL)
        return 2;
    for (k = 0, i = from; i < to; i++, k++) {
        long long got = -1;

        snprintf(text[k], sizeof(text[k]), "return %ld", i);
        if (sw_store_eval_int(s, text[k], 1, &key, 0, NULL, &got) != SW_OK) {
            fprintf(stderr, "script %ld: %s\n", i, s->errstr);
            failed++;
        } else if (got != i) {
            wrong++;
        } else {
            ok++;
        }
    }
    free(text);
    report(s, "scripts", ok, failed, wrong);
    return failed != 0 || wrong != 0;
}

static int run_pipeline(struct sw_store *s, long from, long to)
{
    static char keys[BATCH][64], vals[BATCH][32];
    const char *set[BATCH][3], *get[BATCH][2], **argvs[BATCH];
    int argcs[BATCH];
    redisReply *rep[BATCH];
    long i, ok = 0, failed = 0, wrong = 0;
    int n, k;

    for (i = from; i < to; i += n) {
        n = to - i < BATCH ? (int)(to - i) : BATCH;
        for (k = 0; k < n; k++) {
            snprintf(keys[k], sizeof(keys[k]), "sw:{p:%ld}:v", i + k);
            snprintf(vals[k], sizeof(vals[k]), "%ld", i + k);
            set[k][0] = "SET";
            set[k][1] = keys[k];
            set[k][2] = vals[k];
            argvs[k] = set[k];
            argcs[k] = 3;
        }
        if (sw_store_pipeline(s, n, argcs, argvs, rep) != SW_OK) {
            fprintf(stderr, "pipeline SET at %ld: %s\n", i, s->errstr);
            failed += n;
            continue;
        }
        for (k = 0; k < n; k++)
            freeReplyObject(rep[k]);
        for (k = 0; k < n; k++) {
            get[k][0] = "GET";
            get[k][1] = keys[k];
            argvs[k] = get[k];
            argcs[k] = 2;
        }
        if (sw_store_pipeline(s, n, argcs, argvs, rep) != SW_OK) {
            fprintf(stderr, "pipeline GET at %ld: %s\n", i, s->errstr);
            failed += n;
            continue;
        }
        for (k = 0; k < n; k++) {
            if (rep[k]->type == REDIS_REPLY_STRING && atol(rep[k]->str) == i + k)
                ok++;
            else
                wrong++;
            freeReplyObject(rep[k]);
        }
    }
    report(s, "pipeline", ok, failed, wrong);
    return failed != 0 || wrong != 0;
}

static int run_script(struct sw_store *s, long from, long to, int multi, int cross)
{
    long i, ok = 0, failed = 0, wrong = 0;
    char a[64], b[64];

    for (i = from; i < to; i++) {
        const char *keys[2] = { a, b };
        redisReply *r;
        long long n = 0;

        snprintf(a, sizeof(a), "sw:{q:%ld}:a", i);
        snprintf(b, sizeof(b), cross ? "sw:{r:%ld}:b" : "sw:{q:%ld}:b", i);
        if (multi) {
            const char *s1[] = { "SET", a, "1" }, *s2[] = { "INCRBY", b, "2" };
            const char **argvs[] = { s1, s2 };
            int argcs[] = { 3, 3 };

            r = sw_store_multi(s, 2, argcs, argvs, NULL);
            if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
                fprintf(stderr, "multi %ld: %s\n", i,
                        r != NULL && r->type == REDIS_REPLY_ERROR ? r->str : s->errstr);
                failed++;
            } else {
                ok++;
            }
            if (r != NULL)
                freeReplyObject(r);
            continue;
        }
        if (sw_store_eval_int(s, incr_two, 2, keys, 0, NULL, &n) != SW_OK) {
            fprintf(stderr, "script %ld: %s\n", i, s->errstr);
            failed++;
        } else if (n < 1) {
            wrong++;
        } else {
            ok++;
        }
    }
    report(s, multi ? "multi" : "script", ok, failed, wrong);
    return failed != 0 || wrong != 0;
}

struct claimed {
    struct sw_store *s;
    char base[64];
    long n;
};

static void take_claimed(void *ud, int shard, const redisReply *entries)
{
    struct claimed *c = ud;
    const char *ids[256];
    size_t i;
    int n = 0;

    for (i = 0; i < entries->elements && n < 256; i++)
        ids[n++] = entries->element[i]->element[0]->str;
    if (sw_stream_ack(c->s, c->base, shard, "g", n, ids) == SW_OK)
        c->n += n;
}

static int run_streams(struct sw_store *s, long from, long to)
{
    char base[64], route[32], val[32];
    long ok = 0, failed = 0, wrong = 0, i, total = to - from, unacked = 0;
    unsigned char *seen = calloc((size_t)(total > 0 ? total : 1), 1);
    int shards_used[SW_STREAM_SHARDS_MAX] = { 0 }, used = 0, k, empty_rounds = 0;
    struct claimed c = { .s = s, .n = 0 };
    static volatile sig_atomic_t never;

    snprintf(base, sizeof(base), "probe-%ld", from);
    sw_strlcpy(c.base, base, sizeof(c.base));
    if (seen == NULL || sw_stream_group(s, base, "g", "0") != SW_OK) {
        fprintf(stderr, "group: %s\n", s->errstr);
        return 1;
    }
    for (i = from; i < to; i++) {
        const char *f[2] = { "i", val };

        snprintf(route, sizeof(route), "r%ld", i);
        snprintf(val, sizeof(val), "%ld", i);
        if (sw_stream_add(s, base, route, strlen(route), 0, 1, f, NULL, NULL, 0) != SW_OK) {
            fprintf(stderr, "add %ld: %s\n", i, s->errstr);
            failed++;
        }
    }
    /* One consumer reads everything; it acknowledges every other entry. */
    while (empty_rounds < 3) {
        struct sw_stream_batch b;
        int j;

        if (sw_stream_read(s, base, "g", "a", 100, 20, &b) != SW_OK) {
            fprintf(stderr, "read: %s\n", s->errstr);
            failed++;
            break;
        }
        empty_rounds = b.n == 0 ? empty_rounds + 1 : 0;
        for (j = 0; j < b.n; j++) {
            const char *ids[100];
            int n = 0;
            size_t e;

            shards_used[b.shard[j]] = 1;
            for (e = 0; e < b.entries[j]->elements; e++) {
                const redisReply *en = b.entries[j]->element[e];
                const char *v = sw_stream_field(en, "i");
                long x = v != NULL ? atol(v) : -1;

                if (x < from || x >= to || seen[x - from]++)
                    wrong++;
                if (x % 2 == 0 && n < 100)
                    ids[n++] = en->element[0]->str;
                else
                    unacked++;
            }
            if (sw_stream_ack(s, base, b.shard[j], "g", n, ids) != SW_OK)
                failed++;
        }
        sw_stream_batch_free(&b);
    }
    for (i = 0; i < total; i++)
        if (seen[i] == 1)
            ok++;
        else if (seen[i] == 0)
            wrong++;
    for (k = 0; k < SW_STREAM_SHARDS_MAX; k++)
        used += shards_used[k];
    /* What "a" left unacknowledged, a second consumer takes over and acknowledges. */
    if (sw_stream_pending(s, base, "g") != unacked) {
        fprintf(stderr, "pending %lld, expected %ld\n", sw_stream_pending(s, base, "g"), unacked);
        wrong++;
    }
    sw_stream_claim(s, base, "g", "b", 0, 50, "probe entries", take_claimed, &c, &never);
    if (c.n != unacked || sw_stream_pending(s, base, "g") != 0 ||
        sw_stream_len(s, base) != total) {
        fprintf(stderr, "claimed %ld of %ld; pending %lld; len %lld\n", c.n, unacked,
                sw_stream_pending(s, base, "g"), sw_stream_len(s, base));
        wrong++;
    }
    printf("shards %d used %d\n", sw_stream_shards(s), used);
    free(seen);
    report(s, "streams", ok, failed, wrong);
    return failed != 0 || wrong != 0;
}

int main(int argc, char **argv)
{
    struct sw_config *cfg = NULL;
    struct sw_store s;
    char err[256];
    long from, to;
    int rc;

    if (argc < 4 || (argc < 5 && strcmp(argv[2], "readlist") != 0)) {
        fprintf(stderr, "usage: storeprobe URL write|read|pipeline|script|multi FROM TO "
                "[WAIT [STOP]] | storeprobe URL readlist FILE\n");
        return 2;
    }
    if (sw_config_load(&cfg, NULL, err, sizeof(err)) != SW_OK ||
        sw_config_set(cfg, "redis.url", argv[1], err, sizeof(err)) != SW_OK ||
        sw_config_set(cfg, "redis.cluster_retry_ms", "15000", err, sizeof(err)) != SW_OK) {
        fprintf(stderr, "storeprobe: %s\n", err);
        return 2;
    }
    if (strcmp(argv[2], "write") == 0 && argc > 5 &&
        (sw_config_set(cfg, "redis.wait_replicas", argv[5], err, sizeof(err)) != SW_OK ||
         sw_config_set(cfg, "redis.wait_timeout_ms", "1000", err, sizeof(err)) != SW_OK)) {
        fprintf(stderr, "storeprobe: %s\n", err);
        return 2;
    }
    sw_store_init(&s, cfg);
    from = atol(argv[3]);
    to = argc > 4 ? atol(argv[4]) : 0;
    if (strcmp(argv[2], "readlist") == 0)
        rc = run_readlist(&s, argv[3]);
    else if (strcmp(argv[2], "write") == 0)
        rc = run_write(&s, from, to, argc > 5 ? atoi(argv[5]) : 0, argc > 6 ? argv[6] : NULL);
    else if (strcmp(argv[2], "read") == 0)
        rc = run_read(&s, from, to);
    else if (strcmp(argv[2], "scripts") == 0)
        rc = run_scripts(&s, from, to);
    else if (strcmp(argv[2], "mget") == 0)
        rc = run_mget(&s, from, to);
    else if (strcmp(argv[2], "pipeline") == 0)
        rc = run_pipeline(&s, from, to);
    else if (strcmp(argv[2], "streams") == 0)
        rc = run_streams(&s, from, to);
    else if (strcmp(argv[2], "script") == 0 || strcmp(argv[2], "multi") == 0 ||
             strcmp(argv[2], "crossslot") == 0)
        rc = run_script(&s, from, to, argv[2][0] != 's', argv[2][0] == 'c');
    else {
        fprintf(stderr, "storeprobe: unknown action %s\n", argv[2]);
        rc = 2;
    }
    sw_store_close(&s);
    sw_config_free(cfg);
    return rc;
}
