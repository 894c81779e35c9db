/* match_store.c — the matcher's throughput through Redis, for bench/match_cluster.py: the same
 * portfolios and events on one Redis server and on a Redis Cluster, so the two rates are
 * measured in the same run.
 *
 *   match-store URL seed SUBS ITEMS      SUBS exporters (lib/accounts.c) with ITEMS keyword
 *                                        items each (lib/portfolio.c), "zqlamp<sub>k<i>"
 *   match-store URL publish EVENTS SUBS ITEMS
 *                                        EVENTS news events (sw_event_publish, the one write
 *                                        path), one in ten naming one exporter's keyword
 *   match-store URL drain GROUP EVENTS   waits until GROUP has read and acknowledged EVENTS
 *                                        entries over every shard; prints the seconds from
 *                                        the first entry read to the last acknowledged and
 *                                        the rate: "RESULT drained events=… s=… eps=…"
 * Every program reaches Redis through lib/store.c with redis.url = URL, so the cluster run
 * goes through the same client as production. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "seawall/accounts.h"
#include "seawall/common.h"
#include "seawall/config.h"
#include "seawall/feedreg.h"
#include "seawall/portfolio.h"
#include "seawall/store.h"
#include "seawall/stream.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int seed(struct sw_store *s, long subs, long items)
{
    long i, k;

    for (i = 0; i < subs; i++) {
        json_t *doc = json_pack("{s:s, s:s, s:s, s:[s]}", "name", "Bench Lamp Exporter",
                                "country", "CN", "email", "bench@example.com", "markets",
                                "DE"), *out = NULL, *list = json_array();
        long long sub;

        if (doc == NULL || list == NULL ||
            sw_doc_create(s, &sw_kind_subscriber, doc, 0, &out) != SW_OK) {
            fprintf(stderr, "match-store: exporter %ld: %s\n", i, s->errstr);
            return 1;
        }
        sub = json_integer_value(json_object_get(out, "id"));
        for (k = 0; k < items; k++) {
            char text[96];

            snprintf(text, sizeof(text), "zqlamp%lldk%ld", sub, k);
            json_array_append_new(list, json_pack("{s:s, s:s}", "kind", "keyword", "text",
                                                  text));
        }
        if (sw_portfolio_put(s, sub, list) != SW_OK) {
            fprintf(stderr, "match-store: portfolio of %lld: %s\n", sub, s->errstr);
            return 1;
        }
        json_decref(doc);
        json_decref(out);
        json_decref(list);
    }
    printf("seeded %ld exporters with %ld items each\n", subs, items);
    return 0;
}

static int publish(struct sw_store *s, long events, long subs, long items)
{
    long i;

    for (i = 0; i < events; i++) {
        char id[64], title[160];
        json_t *ev;
        int rc;

        snprintf(id, sizeof(id), "ev_bench_%ld", i);
        if (i % 10 == 0)
            snprintf(title, sizeof(title), "Recall notice: zqlamp%ldk%ld sold in Germany",
                     1 + (i / 10) % subs, (i / (10 * subs)) % items);
        else
            snprintf(title, sizeof(title), "Trade fair schedule update number %ld", i);
        ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "source", "bench", "type",
                       "news", "jurisdiction", "DE", "title", title, "text", title);
        rc = ev != NULL ? sw_event_publish(s, ev, 86400, 10000000) : SW_ERR;
        json_decref(ev);
        if (rc < 0) {
            fprintf(stderr, "match-store: event %ld: %s\n", i, s->errstr);
            return 1;
        }
    }
    printf("published %ld events\n", events);
    return 0;
}

/* Entries group has read (XINFO GROUPS entries-read) and still pending, over every shard. */
static int group_state(struct sw_store *s, const char *group, long long *read, long long *pending)
{
    int n = sw_stream_shards(s), i;

    *read = *pending = 0;
    for (i = 0; i < n; i++) {
        sw_key_t key = sw_stream_key(SW_EVENTS_STREAM, i);
        redisReply *r = sw_store_cmd(s, "XINFO", "GROUPS", key.s, NULL);
        size_t g, f;

        if (r == NULL)
            return SW_EAGAIN;
        for (g = 0; r->type == REDIS_REPLY_ARRAY && g < r->elements; g++) {
            const redisReply *e = r->element[g];
            int mine = 0;

            for (f = 0; f + 1 < e->elements; f += 2)
                if (strcmp(e->element[f]->str, "name") == 0)
                    mine = strcmp(e->element[f + 1]->str, group) == 0;
            for (f = 0; mine && f + 1 < e->elements; f += 2) {
                if (strcmp(e->element[f]->str, "entries-read") == 0 &&
                    e->element[f + 1]->type == REDIS_REPLY_INTEGER)
                    *read += e->element[f + 1]->integer;
                if (strcmp(e->element[f]->str, "pending") == 0)
                    *pending += e->element[f + 1]->integer;
            }
        }
        freeReplyObject(r);
    }
    return SW_OK;
}

static int drain(struct sw_store *s, const char *group, long events)
{
    double start = 0, end, moved = now_s();
    long long read = 0, pending = 0, last_read = -1, last_pending = -1;
    struct timespec tick = { 0, 2 * 1000 * 1000 };

    for (;;) {
        if (group_state(s, group, &read, &pending) != SW_OK) {
            fprintf(stderr, "match-store: %s\n", s->errstr);
            return 1;
        }
        if (start == 0 && read > 0)
            start = now_s();
        if (read >= events && pending == 0)
            break;
        if (read != last_read || pending != last_pending) {
            last_read = read;
            last_pending = pending;
            moved = now_s();
        } else if (now_s() - moved > 60) {
            fprintf(stderr, "match-store: stuck for 60 s at %lld of %ld read, %lld pending (the "
                    "matcher's log says why)\n", read, events, pending);
            return 1;
        }
        nanosleep(&tick, NULL);
    }
    end = now_s();
    printf("RESULT drained events=%ld s=%.3f eps=%.0f\n", events, end - start,
           (double)events / (end - start));
    return 0;
}

int main(int argc, char **argv)
{
    struct sw_config *cfg = NULL;
    struct sw_store s;
    char err[256];
    int rc = 2;

    if (argc < 4) {
        fprintf(stderr, "usage: match-store URL seed SUBS ITEMS | publish EVENTS SUBS ITEMS | "
                "drain GROUP EVENTS\n");
        return 2;
    }
    if (sw_config_load(&cfg, NULL, err, sizeof(err)) != SW_OK ||
        sw_config_set(cfg, "redis.url", argv[1], err, sizeof(err)) != SW_OK) {
        fprintf(stderr, "match-store: %s\n", err);
        return 2;
    }
    sw_store_init(&s, cfg);
    if (strcmp(argv[2], "seed") == 0 && argc > 4)
        rc = seed(&s, atol(argv[3]), atol(argv[4]));
    else if (strcmp(argv[2], "publish") == 0 && argc > 5)
        rc = publish(&s, atol(argv[3]), atol(argv[4]) > 0 ? atol(argv[4]) : 1,
                     atol(argv[5]) > 0 ? atol(argv[5]) : 1);
    else if (strcmp(argv[2], "drain") == 0 && argc > 4)
        rc = drain(&s, argv[3], atol(argv[4]));
    else
        fprintf(stderr, "match-store: unknown action %s\n", argv[2]);
    sw_store_close(&s);
    sw_config_free(cfg);
    return rc;
}
