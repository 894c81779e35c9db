/* screener.c — seawall-screener: risk screening and back-fill over an index of the register
 * (seawall/regidx.h, seawall/screening.h).
 *
 * At start it builds its index from the register (sw_register_each_mark), having first set
 * its consumer group "screeners" on every shard of the register's changes stream to the
 * stream's end, so a record changed during the build is read again after it (adding a record
 * twice changes nothing). Then, in turn: the register's changes, all shards (each record
 * read again and re-indexed, or taken out when gone); the portfolio changes, where each mark
 * or name item saved is checked against the register's records in the subscriber's markets
 * (back-fill: one alert of type "backfill" listing all it found, none when nothing); and the
 * screening jobs (SW_SCREENINGS, all shards), each answered with progress written as it
 * goes. Jobs read but never acknowledged before a crash are taken over and answered first.
 * Its heartbeat (sw_screening_alive) says when it last looked and how many marks it holds.
 * One screener per deployment: a second one would share the groups' entries and each miss
 * the other's register changes. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seawall/accounts.h"
#include "seawall/alerts.h"
#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/normalise.h"
#include "seawall/portfolio.h"
#include "seawall/regidx.h"
#include "seawall/register.h"
#include "seawall/screening.h"
#include "seawall/store.h"
#include "seawall/stream.h"
#include "seawall/worker.h"

#define OFFICES_MAX 64
#define CHANGES_BATCH 1000
#define BACKFILL_BATCH 200

static const struct sw_config *cfg;
static struct sw_store store;
static struct sw_regidx *ix;
static volatile sig_atomic_t stopping;
static char me[128];

static uint64_t classes_of(const json_t *arr)
{
    uint64_t c = 0;
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v)
        if (json_integer_value(v) >= 1 && json_integer_value(v) <= 45)
            c |= 1ULL << json_integer_value(v);
    return c;
}

/* Files one mark record (JSON text) in the index, or takes out its rid when it has no mark. */
static void index_record(const char *text, size_t len)
{
    json_t *rec = json_loadb(text, len, 0, NULL);
    long long rid = json_integer_value(json_object_get(rec, "rid"));
    const char *mark = json_string_value(json_object_get(rec, "mark"));
    const char *office = json_string_value(json_object_get(rec, "office"));

    if (rid > 0 && rid < UINT32_MAX) {
        int rc = mark != NULL && office != NULL
            ? sw_regidx_add(ix, (uint32_t)rid, mark,
                            classes_of(json_object_get(rec, "classes")), office)
            : SW_INVALID;

        if (rc == SW_INVALID)
            sw_regidx_remove(ix, (uint32_t)rid);   /* a figurative mark: nothing to compare */
        else if (rc != SW_OK)
            sw_warn("record %lld not indexed (out of memory)", rid);
    }
    json_decref(rec);
}

static void index_each(void *ud, const char *text, size_t len)
{
    (void)ud;
    index_record(text, len);
}

/* The whole index from the register. */
static int build(void)
{
    int64_t t0 = sw_mono_us();
    int rc;

    if ((rc = sw_register_changes_from_now(&store, SW_SCREENINGS_GROUP)) != SW_OK)
        return rc;   /* from here on, every change is read after the build */
    if ((rc = sw_register_each_mark(&store, index_each, NULL, &stopping)) != SW_OK)
        return rc;
    if (sw_regidx_build(ix) != SW_OK)
        return SW_ERR;
    sw_info("index built in %.2f s: %zu marks, %zu postings, %zu MB",
            (double)(sw_mono_us() - t0) / 1e6, sw_regidx_count(ix), sw_regidx_postings(ix),
            sw_regidx_bytes(ix) >> 20);
    return SW_OK;
}

/* The ids of entries ([[id, fields], ...]) as an array (caller frees; the ids stay the
 * entries'); NULL when there are none or no memory. */
static const char **ids_of(const redisReply *entries, int *n)
{
    const char **ids = calloc(entries->elements + 1, sizeof(*ids));
    size_t i;

    *n = 0;
    for (i = 0; ids != NULL && i < entries->elements; i++)
        if (entries->element[i]->type == REDIS_REPLY_ARRAY &&
            entries->element[i]->elements > 0 &&
            entries->element[i]->element[0]->type == REDIS_REPLY_STRING)
            ids[(*n)++] = entries->element[i]->element[0]->str;
    return ids;
}

/* Acknowledges entries of stream base's shard as the screeners' group. */
static void ack(const char *base, int shard, const redisReply *entries)
{
    int n;
    const char **ids = ids_of(entries, &n);

    if (ids != NULL && sw_stream_ack(&store, base, shard, SW_SCREENINGS_GROUP, n, ids) != SW_OK)
        sw_warn("acknowledging %d entries of %s failed (%s)", n, base, store.errstr);
    free(ids);
}

/* The register's changes since the last look, every shard: each record re-read and
 * re-indexed, or taken out when gone. */
static void follow_register(void)
{
    struct sw_stream_batch b;
    int k, more = 1;

    while (more && !stopping) {
        more = 0;
        if (sw_stream_read(&store, SW_REG_CHANGES, SW_SCREENINGS_GROUP, me, CHANGES_BATCH, 0,
                           &b) != SW_OK) {
            sw_warn("reading the register's changes failed (%s)", store.errstr);
            return;
        }
        for (k = 0; k < b.n; k++) {
            const redisReply *entries = b.entries[k];
            size_t i;

            for (i = 0; i < entries->elements; i++) {
                const redisReply *e = entries->element[i];
                const char *office = sw_stream_field(e, "office");
                const char *number = sw_stream_field(e, "number");
                long long rid = 0;
                json_t *rec = NULL;
                int rc;

                if (office == NULL || number == NULL)
                    continue;
                rc = sw_register_mark_get(&store, office, number, &rec);
                if (rc == SW_OK) {
                    char *text = json_dumps(rec, JSON_COMPACT);

                    if (text != NULL)
                        index_record(text, strlen(text));
                    free(text);
                    json_decref(rec);
                } else if (rc == SW_NOTFOUND && sw_stream_field(e, "rid") != NULL &&
                           sw_parse_ll(sw_stream_field(e, "rid"), 1, UINT32_MAX - 1, &rid) ==
                               SW_OK) {
                    sw_regidx_remove(ix, (uint32_t)rid);
                } else if (rc != SW_NOTFOUND) {
                    sw_warn("register record %s %s not read (%s)", office, number,
                            store.errstr);
                }
            }
            ack(SW_REG_CHANGES, b.shard[k], entries);
            more |= entries->elements >= CHANGES_BATCH;
        }
        sw_stream_batch_free(&b);
    }
}

/* The index's mask of the offices concerning markets into *mask (0: any office, for no
 * markets). 0 when markets are given but the register has no record of their offices. */
static int offices_mask(const json_t *markets, uint64_t *mask)
{
    const char *codes[OFFICES_MAX];
    size_t n = sw_screening_offices(markets, codes, OFFICES_MAX);

    *mask = n ? sw_regidx_offices(ix, codes, n) : 0;
    return n == 0 || *mask != 0;
}

/* --- back-fill ---------------------------------------------------------------------------- */

/* Checks a mark or name item just saved against the register's records in the subscriber's
 * markets (the item's own countries, else the profile's), and stores one backfill alert with
 * all it found. Its event id holds the item's id and exact key, so saving the item again
 * alerts nothing new, and changing its text checks the new text. since_ms is when the item
 * was saved (its portfolio change's stream time): a record the register first took from an
 * event written after it is left to the matcher, which alerts on that event (without this a
 * screener running late named the same filing in a second alert). */
static void backfill(long long sub, const json_t *item, int64_t since_ms)
{
    const char *kind = json_string_value(json_object_get(item, "kind"));
    const char *text = json_string_value(json_object_get(item, "text"));
    long long id = json_integer_value(json_object_get(item, "id"));
    const json_t *markets = json_object_get(item, "countries");
    json_t *profile = NULL, *conflicts = json_array(), *owners = json_object(), *items, *a;
    json_t *c;
    struct sw_keys k;
    uint64_t offices;
    char eid[SW_KEY_MAX + 48], title[600], when[32];
    size_t i;
    int rc, stored = 0, identical = 0;

    if (kind == NULL || text == NULL || id <= 0 || conflicts == NULL || owners == NULL ||
        (strcmp(kind, "mark") != 0 && strcmp(kind, "name") != 0) ||
        sw_normalise(text, strcmp(kind, "name") == 0 ? SW_NORM_NAME : SW_NORM_MARK, &k) != SW_OK)
        goto out;
    if (json_array_size(markets) == 0 &&
        sw_doc_get(&store, &sw_kind_subscriber, sub, &profile) == SW_OK)
        markets = json_object_get(profile, "markets");
    if (!offices_mask(markets, &offices))
        goto out;   /* the register holds nothing of its markets yet */
    rc = sw_screening_find(&store, ix, kind, text,
                           strcmp(kind, "mark") == 0 ? classes_of(json_object_get(item, "classes"))
                                                     : 0,
                           offices, SW_SCREEN_HITS_MAX, 1, since_ms, owners, conflicts);
    if (rc != SW_OK) {
        if (rc != SW_INVALID)
            sw_warn("back-fill of subscriber %lld item %lld failed (%s)", sub, id, store.errstr);
        goto out;
    }
    if (json_array_size(conflicts) == 0)
        goto out;
    sw_screening_rank(conflicts);
    items = json_array();
    json_array_foreach(conflicts, i, c) {
        double score = json_number_value(json_object_get(c, "score"));
        json_t *rec = json_object_get(c, "record"), *reasons = json_object_get(c, "reasons");

        identical |= score >= 1.0;
        json_array_append_new(
            items,
            json_pack("{s:{s:I, s:s, s:s, s:O?}, s:s, s:s, s:f, s:O, s:O, s:[{s:s, s:s, s:[O?], "
                      "s:f, s:O?, s:O?}]}",
                      "item", "id", (json_int_t)id, "kind", kind, "text", text, "classes",
                      json_object_get(item, "classes"), "severity",
                      score >= 1.0 ? "high" : "medium", "rule", "backfill", "score", score,
                      "record", rec, "owner", json_object_get(c, "owner"), "reasons", "rule",
                      "backfill", "field", "register", "matched", json_object_get(rec, "mark"),
                      "score", score, "why", json_object_get(reasons, "why"), "key",
                      json_object_get(reasons, "key")));
    }
    snprintf(eid, sizeof(eid), "backfill:%lld:%s", id, k.exact);
    snprintf(title, sizeof(title), "Already in the register: %zu mark%s like “%.400s”",
             json_array_size(conflicts), json_array_size(conflicts) == 1 ? "" : "s", text);
    a = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:I}, s:o}", "severity",
                  identical ? "high" : "medium", "rule", "backfill", "event", "id", eid, "type",
                  "backfill", "title", title, "date",
                  sw_iso8601(sw_now_ms(), when, sizeof(when)), "count",
                  (json_int_t)json_array_size(conflicts), "items", items);
    if (a == NULL) {
        sw_warn("back-fill alert of subscriber %lld not written (out of memory)", sub);
        goto out;
    }
    sw_alert_stamp(a, sub, eid);
    json_object_set_new(a, "item_ids", json_pack("[I]", (json_int_t)id));
    if (sw_alert_store(&store, cfg, sub, a, &stored) != SW_OK)
        sw_warn("back-fill alert of subscriber %lld not stored (%s)", sub, store.errstr);
    else if (stored)
        sw_info("back-fill: subscriber %lld item %lld: %zu records", sub, id,
                json_array_size(conflicts));
    json_decref(a);
out:
    json_decref(profile);
    json_decref(conflicts);
    json_decref(owners);
}

/* The time part of a stream entry's id ("1700000000000-3"), ms; 0 when unreadable. */
static int64_t stream_ms(const redisReply *e)
{
    const char *id = e->elements > 0 && e->element[0]->type == REDIS_REPLY_STRING
                         ? e->element[0]->str : "";

    return strtoll(id, NULL, 10);
}

/* The portfolio-changes stream, every shard (seawall/stream.h): each item saved is checked
 * for back-fill. An entry may come twice (a writer that died before trimming its outbox):
 * the back-fill alert is keyed by the item, so it is stored once. */
static void follow_portfolio(void)
{
    struct sw_stream_batch b;
    int k;

    while (!stopping && sw_stream_read(&store, SW_PORTFOLIO_CHANGES, SW_SCREENINGS_GROUP, me,
                                       BACKFILL_BATCH, 0, &b) == SW_OK && b.n > 0) {
        size_t full = 0;

        for (k = 0; k < b.n; k++) {
            const redisReply *entries = b.entries[k];
            const char **ids = calloc(entries->elements + 1, sizeof(*ids));
            size_t i, n = entries->elements;

            for (i = 0; i < n; i++) {
                const redisReply *e = entries->element[i];
                struct sw_pf_change c;
                json_t *it;

                if (ids != NULL)
                    ids[i] = e->element[0]->str;
                if (sw_pf_change_parse(e, &c) != SW_OK || c.kind != SW_PF_CHANGE_UPSERT)
                    continue;
                if ((it = json_loads(c.item, 0, NULL)) != NULL)
                    backfill(c.sub, it, stream_ms(e));
                json_decref(it);
            }
            if (ids != NULL)
                sw_stream_ack(&store, SW_PORTFOLIO_CHANGES, b.shard[k], SW_SCREENINGS_GROUP,
                              (int)n, ids);
            free(ids);
            full += n == BACKFILL_BATCH;
        }
        sw_stream_batch_free(&b);
        if (full == 0)
            break;
    }
}

/* --- screening jobs ------------------------------------------------------------------------ */

static void run_job(long long sub, long long id)
{
    json_t *job = NULL, *conflicts = json_array(), *owners = json_object(), *it;
    uint64_t offices, dflt;
    size_t i, n;
    int64_t last = 0;
    int rc = SW_OK, known;

    if (sw_screening_get(&store, sub, id, 0, &job) != SW_OK || conflicts == NULL ||
        owners == NULL) {
        sw_warn("screening %lld of subscriber %lld not read", id, sub);
        goto out;
    }
    if (strcmp(json_string_value(json_object_get(job, "status")) ?: "", "done") == 0)
        goto out;   /* answered before a crash lost its acknowledgement */
    n = json_array_size(json_object_get(job, "items"));
    known = offices_mask(json_object_get(job, "markets"), &offices);
    dflt = classes_of(json_object_get(job, "classes"));
    sw_screening_progress(&store, sub, id, 0, n);
    json_array_foreach(json_object_get(job, "items"), i, it) {
        if (!known) {   /* no record of the markets' offices: nothing to find */
            if (i + 1 == n)
                sw_screening_progress(&store, sub, id, n, n);
            continue;
        }
        const char *kind = json_string_value(json_object_get(it, "kind")) ?: "mark";
        uint64_t cls = classes_of(json_object_get(it, "classes"));

        rc = sw_screening_find(&store, ix, kind,
                               json_string_value(json_object_get(it, "text")) ?: "",
                               strcmp(kind, "mark") == 0 && cls ? cls : dflt, offices,
                               SW_SCREEN_HITS_MAX, 0, 0, owners, conflicts);
        if (rc == SW_INVALID)
            rc = SW_OK;   /* the API refuses such texts; a portfolio's may have none */
        if (rc != SW_OK)
            break;
        if (sw_mono_us() - last > 200000 || i + 1 == n) {
            sw_screening_progress(&store, sub, id, i + 1, n);
            last = sw_mono_us();
        }
    }
    if (rc != SW_OK) {
        sw_warn("screening %lld of subscriber %lld failed (%s)", id, sub, store.errstr);
        sw_screening_finish(&store, sub, id, NULL, "the register could not be read");
        goto out;
    }
    sw_screening_rank(conflicts);
    if (sw_screening_finish(&store, sub, id, conflicts, NULL) != SW_OK)
        sw_warn("screening %lld of subscriber %lld not stored (%s)", id, sub, store.errstr);
    else
        sw_info("screening %lld of subscriber %lld: %zu items, %zu conflicts", id, sub, n,
                json_array_size(conflicts));
out:
    json_decref(job);
    json_decref(conflicts);
    json_decref(owners);
}

/* Answers the jobs of entries, read from the jobs stream's shard, and acknowledges them. */
static void jobs(int shard, const redisReply *entries)
{
    size_t i;

    for (i = 0; i < entries->elements && !stopping; i++) {
        long long sub, id;

        if (sw_stream_field(entries->element[i], "sub") != NULL &&
            sw_stream_field(entries->element[i], "id") != NULL &&
            sw_parse_ll(sw_stream_field(entries->element[i], "sub"), 1, INT64_MAX, &sub) == SW_OK &&
            sw_parse_ll(sw_stream_field(entries->element[i], "id"), 1, INT64_MAX, &id) == SW_OK) {
            follow_register();   /* a record filed just before the job is in its answer */
            run_job(sub, id);
        }
    }
    if (!stopping)
        ack(SW_SCREENINGS, shard, entries);
}

static void take_claimed(void *ud, int shard, const redisReply *entries)
{
    (void)ud;
    jobs(shard, entries);
}

int main(int argc, char **argv)
{
    struct sw_config *loaded;
    int64_t last_beat = 0;
    struct sw_stream_batch b;
    int rc = sw_worker_start("seawall-screener", argc, argv, "screener.id", &loaded, me,
                             sizeof(me), &stopping);
    int k;

    if (rc != 0)
        return rc;
    cfg = loaded;
    if ((ix = sw_regidx_new()) == NULL)
        return 1;
    sw_store_init(&store, cfg);
    while ((rc = build()) != SW_OK && !stopping) {
        sw_warn("building the index failed (%s); trying again", store.errstr);
        sw_regidx_free(ix);
        if ((ix = sw_regidx_new()) == NULL)
            return 1;
        sleep(1);
    }
    if (sw_stream_group(&store, SW_SCREENINGS, SW_SCREENINGS_GROUP, "0") != SW_OK)
        sw_warn("making the jobs' group failed (%s)", store.errstr);
    if (sw_stream_group(&store, SW_PORTFOLIO_CHANGES, SW_SCREENINGS_GROUP, "$") != SW_OK)
        sw_warn("making the back-fill's group failed (%s)", store.errstr);
    /* jobs read before a crash (there is one screener: whoever read them is gone) */
    sw_stream_claim(&store, SW_SCREENINGS, SW_SCREENINGS_GROUP, me, 0, 100, "screening jobs",
                    take_claimed, NULL, &stopping);
    sw_info("screening as %s", me);
    while (!stopping) {
        int64_t now = sw_mono_us() / 1000;

        if (now - last_beat >= 10000) {
            sw_screening_alive(&store, me, sw_regidx_count(ix));
            last_beat = now;
        }
        follow_register();
        follow_portfolio();
        if (sw_stream_read(&store, SW_SCREENINGS, SW_SCREENINGS_GROUP, me, 1,
                           sw_config_int(cfg, "screener.block_ms"), &b) != SW_OK) {
            sw_warn("reading the screening jobs failed (%s)", store.errstr);
            sleep(1);
            continue;
        }
        for (k = 0; k < b.n && !stopping; k++)
            jobs(b.shard[k], b.entries[k]);
        sw_stream_batch_free(&b);
    }
    sw_info("stopping");
    sw_regidx_free(ix);
    sw_store_close(&store);
    sw_i18n_free();
    sw_config_free(loaded);
    return 0;
}
