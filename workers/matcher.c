/* matcher.c — seawall-matcher: every event against every portfolio. Builds the index from
 * Redis at start, follows the portfolio-changes stream, reads the events stream in batches
 * with the consumer group "matchers", stores each alert once (keyed by subscriber, event and
 * item) together with its entry in the deliveries stream, and acknowledges an event only after
 * all its alerts are stored. Entries a crashed matcher read but never acknowledged are claimed
 * after matcher.claim_idle_ms. Several matchers share the events; each keeps its own index. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "seawall/accounts.h"
#include "seawall/alerts.h"
#include "seawall/buf.h"
#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/matchidx.h"
#include "seawall/portfolio.h"
#include "seawall/store.h"
#include "seawall/worker.h"

#define EVENTS "events"
#define GROUP "matchers"
#define ALERT_MAX (16u << 20)   /* an alert embeds its event: the poller caps events far below */

static const struct sw_config *cfg;
static struct sw_store store;
static struct sw_mindex *ix;
static char me[160];
static char last_change[64] = "0-0";
static volatile sig_atomic_t stopping;

static int load_subscriber(long long sub, int with_items)
{
    json_t *profile = NULL, *items = NULL, *it;
    long long next;
    size_t i;
    int rc = sw_doc_get(&store, &sw_kind_subscriber, sub, &profile);

    if (rc == SW_NOTFOUND)
        return SW_OK;
    if (rc != SW_OK)
        return rc;
    sw_mindex_subscriber(ix, sub, profile);
    json_decref(profile);
    if (!with_items)
        return SW_OK;
    rc = sw_portfolio_list(&store, sub, 0, 0, NULL, &items, &next);
    if (rc != SW_OK)
        return rc;
    json_array_foreach(items, i, it)
        if (sw_mindex_put(ix, sub, it) != SW_OK)
            sw_warn("subscriber %lld: item %lld not indexed", sub,
                    (long long)json_integer_value(json_object_get(it, "id")));
    json_decref(items);
    return SW_OK;
}

/* The whole index from Redis; changes made meanwhile are replayed from the stream position
 * taken before (replaying is harmless: puts and deletes are idempotent). */
static int build(void)
{
    redisReply *r = sw_store_cmd(&store, "XREVRANGE", SW_PORTFOLIO_CHANGES, "+", "-", "COUNT",
                                 "1", NULL);
    size_t i, items, postings, bytes;
    int64_t t0 = sw_mono_us();

    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ARRAY && r->elements == 1)
        sw_strlcpy(last_change, r->element[0]->element[0]->str, sizeof(last_change));
    freeReplyObject(r);
    r = sw_store_cmd(&store, "ZRANGE", "sw:idx:subscribers", "0", "-1", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        if (load_subscriber(sw_reply_int(r->element[i], 0), 1) != SW_OK) {
            freeReplyObject(r);
            return SW_EAGAIN;
        }
    }
    freeReplyObject(r);
    sw_mindex_stats(ix, &items, &postings, &bytes);
    sw_info("index built in %.2f s: %zu entries, %zu postings, %zu MB", (double)(sw_mono_us() - t0) / 1e6,
            items, postings, bytes >> 20);
    return SW_OK;
}

/* Reads up to 1000 changes past last_change into the index; returns how many it read. */
static size_t follow_some(void)
{
    redisReply *r = sw_store_cmd(&store, "XREAD", "COUNT", "1000", "STREAMS",
                                 SW_PORTFOLIO_CHANGES, last_change, NULL);
    redisReply *entries;
    size_t i;

    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
        if (r != NULL)
            freeReplyObject(r);
        return 0;
    }
    entries = r->element[0]->element[1];
    for (i = 0; i < entries->elements; i++) {
        redisReply *e = entries->element[i];
        long long sub = 0;
        const char *v;

        if (sw_stream_field(e, "sub") != NULL)
            sw_parse_ll(sw_stream_field(e, "sub"), 1, INT64_MAX, &sub);
        if ((v = sw_stream_field(e, "upsert")) != NULL) {
            json_t *it = json_loads(v, 0, NULL);

            load_subscriber(sub, 0);
            if (it != NULL)
                sw_mindex_put(ix, sub, it);
            json_decref(it);
        } else if ((v = sw_stream_field(e, "delete")) != NULL) {
            long long id;

            if (sw_parse_ll(v, 1, INT64_MAX, &id) == SW_OK)
                sw_mindex_del(ix, sub, id);
        } else if (sw_stream_field(e, "profile") != NULL) {
            load_subscriber(sub, 0);
        }
        sw_strlcpy(last_change, e->element[0]->str, sizeof(last_change));
    }
    freeReplyObject(r);
    return i;
}

/* Every change stored so far: the events read next meet the portfolios as they are (a bulk
 * import is thousands of changes; reading only one chunk per batch of events left the index
 * behind for as many batches). */
static void follow_changes(void)
{
    while (follow_some() == 1000 && !stopping)
        continue;
}

struct emit {
    const json_t *event;
    const char *event_text;    /* the event as the stream holds it: embedded as it is */
    const char *event_id;
    struct sw_buf text;        /* the alert being written, reused for each */
    int failed;
    int stored;
};

/* Writes the alert's JSON — the index's members, what every stored alert carries (as
 * sw_alert_stamp gives it) and the event — and stores it with its inbox entry. */
static void store_alert(void *ud, const struct sw_match *m)
{
    struct emit *e = ud;
    struct sw_alert_meta meta;
    char id[40], when[32];
    int stored, rc;
    struct sw_buf *b = &e->text;

    sw_alert_id(m->sub, e->event_id, m->item, id, sizeof(id));
    sw_buf_reset(b);
    rc = sw_buf_add(b, "{", 1);
    rc = rc ?: sw_match_json_members(m, b);
    rc = rc ?: sw_buf_printf(b, ",\"id\":\"%s\",\"subscriber\":%lld,\"item_id\":%lld,"
                                "\"event_id\":", id, m->sub, m->item);
    rc = rc ?: sw_buf_add_json(b, e->event_id);
    rc = rc ?: sw_buf_printf(b, ",\"status\":\"new\",\"created_at\":\"%s\",\"event\":",
                             sw_iso8601(sw_now_ms(), when, sizeof(when)));
    rc = rc ?: sw_buf_adds(b, e->event_text);
    rc = rc ?: sw_buf_add(b, "}", 1);
    if (rc == SW_TOOBIG) {   /* it would be as big the next time: not worth a retry */
        sw_warn("alert %s not stored: over %u bytes", id, ALERT_MAX);
        return;
    }
    if (rc != SW_OK) {
        e->failed = 1;
        sw_warn("alert %s not written (out of memory)", id);
        return;
    }
    meta.id = id;
    meta.severity = m->severity;
    meta.rule = m->rule;
    meta.type = json_string_value(json_object_get(e->event, "type"));
    meta.country = json_string_value(json_object_get(e->event, "jurisdiction"));
    meta.item = m->item;
    rc = sw_alert_store_text(&store, cfg, m->sub, &meta, b->p, &stored);
    if (rc != SW_OK) {
        e->failed = 1;
        sw_warn("alert %s not stored (%s)", id, store.errstr);
    } else if (stored) {
        e->stored++;
    }
}

/* Matches each entry and acknowledges it once its alerts are stored. */
static void process(const redisReply *entries)
{
    size_t i;

    for (i = 0; entries != NULL && entries->type == REDIS_REPLY_ARRAY && i < entries->elements &&
                !stopping;
         i++) {
        const redisReply *entry = entries->element[i];
        const char *eid = entry->element[0]->str, *text;
        struct emit e = { NULL, NULL, NULL, { NULL, 0, 0, 0 }, 0, 0 };
        json_t *ev;
        redisReply *r;

        if (entry->type != REDIS_REPLY_ARRAY || entry->elements < 2 ||
            entry->element[1]->type != REDIS_REPLY_ARRAY)
            continue;   /* deleted by trimming while pending: nothing to match */
        text = sw_stream_field(entry, "event");
        ev = text ? json_loads(text, 0, NULL) : NULL;
        if (ev != NULL) {
            e.event = ev;
            e.event_text = text;
            e.event_id = json_string_value(json_object_get(ev, "id"));
            sw_buf_init(&e.text, ALERT_MAX);
            if (e.event_id != NULL)
                sw_mindex_match(ix, ev, store_alert, &e);
            sw_buf_free(&e.text);
            json_decref(ev);
        }
        if (e.failed)
            return;   /* not acknowledged: it comes back, and stored alerts stay single */
        r = sw_store_cmd(&store, "XACK", EVENTS, GROUP, eid, NULL);
        if (r != NULL)
            freeReplyObject(r);
        if (e.stored > 0)
            sw_debug("event %s: %d alerts", eid, e.stored);
    }
}

/* A claimed batch: portfolio changes first, as for a fresh read. */
static void take_claimed(void *ud, const redisReply *entries)
{
    (void)ud;
    follow_changes();
    process(entries);
}

static void claim_stale(void)
{
    sw_worker_claim(&store, EVENTS, GROUP, me, sw_config_int(cfg, "matcher.claim_idle_ms"),
                    sw_config_int(cfg, "matcher.batch"), "events", take_claimed, NULL,
                    &stopping);
}

int main(int argc, char **argv)
{
    struct sw_config *loaded;
    char count[16], block[16];
    int64_t last_claim = 0;
    redisReply *r;
    int rc = sw_worker_start("seawall-matcher", argc, argv, "matcher.id", &loaded, me,
                             sizeof(me), &stopping);

    if (rc != 0)
        return rc;
    cfg = loaded;
    if (sodium_init() < 0 || (ix = sw_mindex_new()) == NULL)
        return 1;
    sw_store_init(&store, cfg);
    while (build() != SW_OK && !stopping) {
        sw_warn("building the index failed (%s); trying again", store.errstr);
        sw_mindex_free(ix);
        ix = sw_mindex_new();
        sleep(1);
    }
    r = sw_store_cmd(&store, "XGROUP", "CREATE", EVENTS, GROUP, "0", "MKSTREAM", NULL);
    if (r != NULL)
        freeReplyObject(r);
    snprintf(count, sizeof(count), "%lld", sw_config_int(cfg, "matcher.batch"));
    snprintf(block, sizeof(block), "%lld", sw_config_int(cfg, "matcher.block_ms"));
    sw_info("matching as %s", me);
    while (!stopping) {
        int64_t now = sw_mono_us() / 1000;

        follow_changes();
        if (now - last_claim >= sw_config_int(cfg, "matcher.claim_idle_ms") / 4 + 1) {
            claim_stale();
            last_claim = now;
        }
        r = sw_store_cmd(&store, "XREADGROUP", "GROUP", GROUP, me, "COUNT", count, "BLOCK", block,
                         "STREAMS", EVENTS, ">", NULL);
        if (r == NULL) {
            sw_warn("reading events failed (%s)", store.errstr);
            sleep(1);
            continue;
        }
        if (r->type == REDIS_REPLY_ARRAY && r->elements > 0) {
            /* A portfolio change stored before these events may have come while we waited:
             * take it in first, so the events meet the portfolio as it was when they came. */
            follow_changes();
            process(r->element[0]->element[1]);
        }
        freeReplyObject(r);
    }
    sw_info("stopping");
    sw_mindex_free(ix);
    sw_store_close(&store);
    sw_i18n_free();
    sw_config_free(loaded);
    return 0;
}
