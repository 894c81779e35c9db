/* matcher.c — seawall-matcher: every event against every portfolio of its partition. Builds
 * the index from Redis at start (only the subscribers of its partition, matcher.partition of
 * matcher.partitions: seawall/portfolio.h), follows every shard of the portfolio-changes
 * stream (and every few seconds sweeps the portfolios written lately, appending the changes a
 * writer that died left unsent), reads the events stream in batches with its partition's
 * consumer group ("matchers", or "matchers.p<P>of<N>" when partitioned: each event is matched
 * once per partition and each subscriber by one partition), stores one alert per subscriber
 * the event touches (keyed by subscriber and event, every touched item in it) with its entry in the
 * deliveries stream, and acknowledges an event only after all its alerts are stored. A
 * bulletin's event alerts only while its version is out, and a correction or withdrawal tells
 * each exporter an earlier version alerted with one follow-up (seawall/bulletins.h). Entries a
 * crashed matcher read but never acknowledged are claimed after matcher.claim_idle_ms.
 * Several matchers of one partition share its events; each keeps its own index. Each alert
 * carries its action window where the deadline table has a rule for the event and the
 * subscriber's part in it (seawall/actions.h); its reminders are scheduled with it. A second
 * thread, the live publisher, hands each stored alert to nginx's live streams. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "seawall/accounts.h"
#include "seawall/actions.h"
#include "seawall/alerts.h"
#include "seawall/associations.h"
#include "seawall/buf.h"
#include "seawall/cases.h"
#include "seawall/bulletins.h"
#include "seawall/config.h"
#include "seawall/deadlines.h"
#include "seawall/feedreg.h"
#include "seawall/i18n.h"
#include "seawall/live.h"
#include "seawall/log.h"
#include "seawall/matchidx.h"
#include "seawall/portfolio.h"
#include "seawall/register.h"
#include "seawall/shows.h"
#include "seawall/store.h"
#include "seawall/stream.h"
#include "seawall/worker.h"

#define EVENTS SW_EVENTS_STREAM
#define SWEEP_EVERY_MS 5000    /* how often the portfolios written lately are swept */
#define SWEEP_IDLE_MS 10000    /* a write begun this long ago is over, or its writer gone */
#define ALERT_MAX (16u << 20)   /* an alert embeds its event: the poller caps events far below */

static const struct sw_config *cfg;
static struct sw_store store;
static struct sw_mindex *ix;
static struct sw_deadlines *deadlines;   /* the action rules (cases.deadline_rules) */
static struct sw_pf_follow *follow;     /* where we stand in the portfolio changes */
static int partitions, partition;        /* matcher.partitions, matcher.partition */
static char group[48];                   /* our partition's consumer group of the events */
static char me[160];
static volatile sig_atomic_t stopping;

/* Sets subscriber sub's settings in the index from its profile, read again. */
static void load_profile(long long sub)
{
    json_t *profile = NULL;

    if (sw_doc_get(&store, &sw_kind_subscriber, sub, &profile) == SW_OK) {
        sw_mindex_subscriber(ix, sub, profile);
        json_decref(profile);
    }
}

/* One subscriber of our partition, as the build reads it. */
static int put_subscriber(void *ud, long long sub, const json_t *profile, const json_t *items)
{
    const json_t *it;
    size_t i;

    (void)ud;
    sw_mindex_subscriber(ix, sub, profile);
    json_array_foreach(items, i, it)
        if (sw_mindex_put(ix, sub, it) != SW_OK)
            sw_warn("subscriber %lld: item %lld not indexed", sub,
                    (long long)json_integer_value(json_object_get(it, "id")));
    return SW_OK;
}

/* The whole index of our partition from Redis; changes made meanwhile are replayed from the
 * streams' ends taken before, those the portfolios read already had skipped by their number
 * (sw_pf_follow_read). */
static int build(void)
{
    size_t items, postings, bytes;
    int64_t t0 = sw_mono_us();

    if (sw_pf_follow_start(&store, follow) != SW_OK ||
        sw_portfolio_load_all(&store, follow, put_subscriber, NULL) != SW_OK)
        return SW_EAGAIN;
    sw_mindex_stats(ix, &items, &postings, &bytes);
    sw_info("index built in %.2f s: partition %d of %d, %zu subscribers, %zu entries, "
            "%zu postings, %zu MB", (double)(sw_mono_us() - t0) / 1e6, partition, partitions,
            sw_pf_follow_subscribers(follow), items, postings, bytes >> 20);
    return SW_OK;
}

/* One change of our partition into the index (idempotent: a put replaces, a delete of an
 * absent item does nothing). */
static void apply_change(void *ud, const struct sw_pf_change *c)
{
    json_t *it;

    (void)ud;
    if (c->kind == SW_PF_CHANGE_PROFILE || c->first)
        load_profile(c->sub);
    if (c->kind == SW_PF_CHANGE_UPSERT) {
        if ((it = json_loads(c->item, 0, NULL)) != NULL && sw_mindex_put(ix, c->sub, it) != SW_OK)
            sw_warn("subscriber %lld: item %lld not indexed", c->sub,
                    (long long)json_integer_value(json_object_get(it, "id")));
        json_decref(it);
    } else if (c->kind == SW_PF_CHANGE_DELETE) {
        sw_mindex_del(ix, c->sub, c->id);
    }
}

/* Every change stored so far: the events read next meet the portfolios as they are (a bulk
 * import is thousands of changes; reading only one chunk per batch of events left the index
 * behind for as many batches). */
static void follow_changes(void)
{
    while (sw_pf_follow_read(&store, follow, 1000, apply_change, NULL) == 1000 && !stopping)
        continue;
}

struct emit {
    const json_t *event;
    const char *event_text;    /* the event as the stream holds it: embedded as it is */
    const char *event_id;
    const char *source_url;    /* sw_alert_source_url of the event, or NULL */
    struct sw_buf text;        /* the alert being written, reused for each */
    struct sw_buf items;       /* its item ids, "12,40" */
    struct sw_buf search;      /* its search text */
    const char **texts;        /* its items' texts, for the search text */
    size_t ntexts;
    struct sw_bulletin_fanout *fan;   /* a bulletin's event: who hears of it (or NULL) */
    json_t *public_event;      /* a fair incident as those who are no party to it see it */
    char *public_text;         /* (sw_incident_event_public), made for the first of them */
    char *frequent;            /* a litigation's frequent plaintiff, as JSON, or NULL */
    int frequent_read;         /* frequent was looked up (at the event's first alert) */
    long long *hits;           /* the subscribers alerted (associations.h) */
    const char **hit_severities;
    size_t nhits, hits_cap;
    int failed;
    int stored;
};

/* Notes that sub has its alert of the event (for associations: forwarding and matters). */
static void note_hit(struct emit *e, long long sub, const char *severity)
{
    if (e->nhits == e->hits_cap) {
        size_t cap = e->hits_cap ? e->hits_cap * 2 : 16;
        long long *h = realloc(e->hits, cap * sizeof(*h));
        const char **sv;

        if (h == NULL) {
            e->failed = 1;
            return;
        }
        e->hits = h;
        sv = realloc(e->hit_severities, cap * sizeof(*sv));
        if (sv == NULL) {
            e->failed = 1;
            return;
        }
        e->hit_severities = sv;
        e->hits_cap = cap;
    }
    e->hits[e->nhits] = sub;
    e->hit_severities[e->nhits++] = severity;
}

static int is_incident(const json_t *event)
{
    return strcmp(json_string_value(json_object_get(event, "type")) ?: "", "show_incident") == 0;
}

/* 1 when a reason of m is that the subscriber is named as a party (named-as-…): that
 * subscriber's alert keeps the incident's names; anyone else's shows the public view. */
static int is_party(const struct sw_match *m)
{
    size_t i, j;

    for (i = 0; i < m->nitems; i++)
        for (j = 0; j < m->items[i].nreasons; j++)
            if (strncmp(m->items[i].reasons[j].rule, "named-as-", 9) == 0)
                return 1;
    return 0;
}

/* The public view of the incident being processed (made once). SW_OK or SW_ERR. */
static int public_view(struct emit *e)
{
    if (e->public_text != NULL)
        return SW_OK;
    e->public_event = sw_incident_event_public(e->event);
    e->public_text = e->public_event != NULL
                         ? json_dumps(e->public_event, JSON_COMPACT | JSON_PRESERVE_ORDER)
                         : NULL;
    return e->public_text != NULL ? SW_OK : SW_ERR;
}

/* The matcher's own recognition of the accused exhibitor: when m names the subscriber as the
 * exhibitor, the incident learns it (its suggestion for escalation). */
static void recognise(struct emit *e, const struct sw_match *m)
{
    long long inc = json_integer_value(json_object_get(e->event, "incident_id"));
    const struct sw_match_reason *best = NULL;
    size_t i, j;
    json_t *what;

    for (i = 0; inc > 0 && i < m->nitems; i++)
        for (j = 0; j < m->items[i].nreasons; j++) {
            const struct sw_match_reason *r = &m->items[i].reasons[j];

            if (strcmp(r->rule, "named-as-exhibitor") == 0 &&
                (best == NULL || r->score > best->score))
                best = r;
        }
    if (best == NULL)
        return;
    what = json_pack("{s:f, s:s?, s:s?, s:s?, s:I}", "score", best->score, "why", best->why,
                     "matched_name", best->item_text, "named", best->event_text, "item_id",
                     (json_int_t)best->item_id);
    if (what == NULL || sw_incident_recognised_put(&store, inc, m->sub, what) != SW_OK) {
        e->failed = 1;
        sw_warn("event %s: the recognition of subscriber %lld as the exhibitor not stored (%s)",
                e->event_id, m->sub, store.errstr);
    }
    json_decref(what);
}

/* Appends ,"action":{…} when the deadline table gives the alert one (for the event and the
 * rules that made it: the subscriber's part), and notes in meta what the inbox files of it.
 * SW_OK, or sw_buf_add's code. */
static int action_member(const struct sw_match *m, const json_t *event, struct sw_buf *b,
                         struct sw_alert_meta *meta)
{
    const char *reasons[32];
    size_t n = 0, i, j, k;
    int64_t closes = 0;
    json_t *a;
    char *text;
    int rc;

    meta->action = SW_ALERT_ACTION_NONE;
    meta->closes_ms = 0;
    for (i = 0; i < m->nitems; i++)
        for (j = 0; j < m->items[i].nreasons && n < SW_ARRAY_LEN(reasons); j++) {
            const char *r = m->items[i].reasons[j].rule;

            for (k = 0; k < n && strcmp(reasons[k], r) != 0; k++)
                continue;
            if (k == n)
                reasons[n++] = r;
        }
    a = sw_action_for(deadlines, event, reasons, n, &closes);
    if (a == NULL)
        return SW_OK;
    text = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(a);
    if (text == NULL)
        return SW_ERR;
    rc = sw_buf_adds(b, ",\"action\":");
    rc = rc ?: sw_buf_adds(b, text);
    free(text);
    meta->action = closes > 0 ? SW_ALERT_ACTION_DATED : SW_ALERT_ACTION_UNKNOWN;
    meta->closes_ms = closes;
    return rc;
}

/* Gives sub the follow-up alert of the bulletin correction or withdrawal being processed,
 * linked to first, their first alert about it. */
static void followup(struct emit *e, long long sub, const char *first)
{
    int stored;

    if (sw_bulletin_followup_store(&store, cfg, sub, first, e->event, &stored) != SW_OK) {
        e->failed = 1;
        sw_warn("event %s: follow-up to subscriber %lld not stored (%s)", e->event_id, sub,
                store.errstr);
    } else if (stored) {
        e->stored++;
    }
}

/* For a bulletin's event, whether sub gets its match (alert id) as a normal alert: not when
 * an earlier version alerted them (they get a follow-up instead, given by bulletin_event or,
 * for one alerted by another version meanwhile, here), nor when this version is no longer
 * out. */
static int bulletin_claim(struct emit *e, long long sub, const char *id)
{
    char subtxt[24], first[64];
    int rc;

    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    if (json_object_get(e->fan->followers, subtxt) != NULL)
        return 0;
    rc = sw_bulletin_claim(&store, e->fan, sub, id, first, sizeof(first));
    if (rc == SW_CONFLICT)
        return 0;
    if (rc != SW_OK) {
        e->failed = 1;
        sw_warn("event %s: subscriber %lld not claimed (%s)", e->event_id, sub, store.errstr);
        return 0;
    }
    if (strcmp(first, id) == 0)
        return 1;
    if (e->fan->correction)
        followup(e, sub, first);
    return 0;
}

/* Writes the alert's JSON — the index's members, what every stored alert carries (as
 * sw_alert_stamp gives it), the event and its action — and stores it with its inbox entry: one
 * alert for the subscriber, every item the event touched in it, in one script. */
/* A litigation's (or Section 337 investigation's) plaintiff that has brought at least
 * SW_REG_FREQUENT cases in the register, as the alert's "frequent_plaintiff" member
 * {"id","name","cases"} (JSON text, caller frees), or NULL. The register writer reads the
 * same events, so the count may not include this event's case yet. */
static char *frequent_plaintiff(const json_t *ev)
{
    const char *type = json_string_value(json_object_get(ev, "type")) ?: "";
    const json_t *p;
    size_t i;

    if (strcmp(type, "litigation") != 0 && strcmp(type, "trade_investigation") != 0)
        return NULL;
    json_array_foreach(json_object_get(ev, "parties"), i, p) {
        const char *role = json_string_value(json_object_get(p, "role")) ?: "";
        json_t *sum = NULL;
        char *text = NULL;

        if (strcmp(role, "plaintiff") != 0 && strcmp(role, "complainant") != 0 &&
            strcmp(role, "petitioner") != 0)
            continue;
        if (sw_register_party_summary(&store, json_string_value(json_object_get(p, "name")),
                                      &sum) != SW_OK || sum == NULL)
            continue;
        if (json_is_true(json_object_get(sum, "frequent"))) {
            json_t *out = json_pack("{s:O, s:O, s:O}", "id", json_object_get(sum, "id"), "name",
                                    json_object_get(sum, "name"), "cases",
                                    json_object_get(sum, "as_plaintiff"));

            text = out ? json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            json_decref(out);
        }
        json_decref(sum);
        if (text != NULL)
            return text;
    }
    return NULL;
}

static void store_alert(void *ud, const struct sw_match *m)
{
    struct emit *e = ud;
    struct sw_alert_meta meta;
    char id[40], when[32];
    int stored, rc;
    struct sw_buf *b = &e->text;
    size_t i;
    const json_t *event = e->event;
    const char *event_text = e->event_text;

    sw_alert_id(m->sub, e->event_id, id, sizeof(id));
    if (e->fan != NULL && !bulletin_claim(e, m->sub, id))
        return;
    if (is_incident(e->event)) {
        /* Names go to the parties only: another attendee learns the fair, hall, product
         * category and kinds of incident and right. */
        if (is_party(m)) {
            recognise(e, m);
        } else if (public_view(e) == SW_OK) {
            event = e->public_event;
            event_text = e->public_text;
        } else {
            e->failed = 1;
            sw_warn("alert %s not written (out of memory)", id);
            return;
        }
    }
    if (m->nitems > e->ntexts) {
        const char **t = realloc(e->texts, m->nitems * sizeof(*t));

        if (t == NULL) {
            e->failed = 1;
            sw_warn("alert %s not written (out of memory)", id);
            return;
        }
        e->texts = t;
        e->ntexts = m->nitems;
    }
    sw_buf_reset(&e->items);
    for (i = 0, rc = SW_OK; i < m->nitems && rc == SW_OK; i++) {
        e->texts[i] = m->items[i].text;
        rc = sw_buf_printf(&e->items, i ? ",%lld" : "%lld", m->items[i].id);
    }
    rc = rc ?: sw_alert_search_text(event, e->texts, m->nitems, &e->search);
    sw_buf_reset(b);
    rc = rc ?: sw_buf_add(b, "{", 1);
    rc = rc ?: sw_match_json_members(m, b);
    rc = rc ?: sw_buf_printf(b, ",\"id\":\"%s\",\"subscriber\":%lld,\"event_id\":", id, m->sub);
    rc = rc ?: sw_buf_add_json(b, e->event_id);
    if (e->source_url != NULL) {
        rc = rc ?: sw_buf_adds(b, ",\"source_url\":");
        rc = rc ?: sw_buf_add_json(b, e->source_url);
    }
    rc = rc ?: sw_buf_printf(b, ",\"status\":\"new\",\"created_at\":\"%s\",\"event\":",
                             sw_iso8601(sw_now_ms(), when, sizeof(when)));
    rc = rc ?: sw_buf_adds(b, event_text);
    rc = rc ?: action_member(m, event, b, &meta);
    if (!e->frequent_read) {   /* looked up only for an event that alerts someone */
        e->frequent = frequent_plaintiff(e->event);
        e->frequent_read = 1;
    }
    if (e->frequent != NULL) {
        rc = rc ?: sw_buf_adds(b, ",\"frequent_plaintiff\":");
        rc = rc ?: sw_buf_adds(b, e->frequent);
    }
    rc = rc ?: sw_buf_add(b, "}", 1);
    if (rc == SW_TOOBIG) {   /* it would be as big the next time: not worth a retry */
        sw_warn("alert %s (%zu items) not stored: over %u bytes", id, m->nitems, ALERT_MAX);
        return;
    }
    if (rc != SW_OK) {
        e->failed = 1;
        sw_warn("alert %s not written (out of memory)", id);
        return;
    }
    meta.clock_ms = sw_case_now(&store, (int)sw_config_int(cfg, "cases.test_clock"));
    meta.id = id;
    meta.severity = m->severity;
    meta.rule = m->rule;
    meta.type = json_string_value(json_object_get(e->event, "type"));
    meta.country = json_string_value(json_object_get(e->event, "jurisdiction"));
    meta.items = e->items.p;
    meta.search = e->search.p;
    rc = sw_alert_store_text(&store, cfg, m->sub, &meta, b->p, &stored);
    if (rc != SW_OK) {
        e->failed = 1;
        sw_warn("alert %s not stored (%s)", id, store.errstr);
        return;
    }
    if (stored)
        e->stored++;
    note_hit(e, m->sub, m->severity);
}

/* A bulletin's event (seawall/bulletins.h "Who hears of a bulletin"): nothing when its version
 * is no longer out; else the normal alerts to those it matches who had no version before,
 * and for a correction or withdrawal one follow-up to each who had. */
static void bulletin_event(struct emit *e, const char *eid)
{
    struct sw_bulletin_fanout f;
    const char *k;
    json_t *v;
    int rc = sw_bulletin_fanout_begin(&store, e->event, &f);

    if (rc == SW_CONFLICT) {
        sw_debug("event %s: bulletin %lld has changed since; it alerts nobody", eid, f.id);
        return;
    }
    if (rc != SW_OK) {
        e->failed = 1;
        sw_warn("event %s: the bulletin's state not read (%s)", eid, store.errstr);
        return;
    }
    e->fan = &f;
    if (!f.withdrawal && sw_mindex_match(ix, e->event, store_alert, e) == SW_MATCH_FAILED) {
        e->failed = 1;
        sw_warn("event %s: matching ran out of memory; it stays pending", eid);
    }
    if (f.withdrawal || f.correction)
        json_object_foreach(f.followers, k, v)
            if (!e->failed)
                followup(e, strtoll(k, NULL, 10), json_string_value(v));
    e->fan = NULL;
    sw_bulletin_fanout_free(&f);
}

/* Matches each entry and acknowledges it once its alerts are stored (and, for associations,
 * forwarded and joined into matters). */
static void process(const redisReply *entries, int shard)
{
    struct sw_assoc_batch assocs = { 0, NULL };
    size_t i;

    for (i = 0; entries != NULL && entries->type == REDIS_REPLY_ARRAY && i < entries->elements &&
                !stopping;
         i++) {
        const redisReply *entry = entries->element[i];
        const char *eid = entry->element[0]->str, *text;
        struct emit e;
        json_t *ev;

        if (entry->type != REDIS_REPLY_ARRAY || entry->elements < 2 ||
            entry->element[1]->type != REDIS_REPLY_ARRAY)
            continue;   /* deleted by trimming while pending: nothing to match */
        memset(&e, 0, sizeof(e));
        text = sw_stream_field(entry, "event");
        ev = text ? json_loads(text, 0, NULL) : NULL;
        if (ev != NULL) {
            e.event = ev;
            e.event_text = text;
            e.event_id = json_string_value(json_object_get(ev, "id"));
            e.source_url = sw_alert_source_url(ev);
            sw_buf_init(&e.text, ALERT_MAX);
            sw_buf_init(&e.items, 1 << 20);
            sw_buf_init(&e.search, SW_ALERT_SEARCH_MAX);
            if (e.event_id != NULL && json_integer_value(json_object_get(ev, "bulletin_id")) > 0
                && strcmp(json_string_value(json_object_get(ev, "type")) ?: "", "bulletin") == 0) {
                bulletin_event(&e, eid);
            } else if (e.event_id != NULL &&
                       sw_mindex_match(ix, ev, store_alert, &e) == SW_MATCH_FAILED) {
                e.failed = 1;
                sw_warn("event %s: matching ran out of memory; it stays pending", eid);
            }
            if (!e.failed && e.event_id != NULL &&   /* with no hits too: see the header */
                sw_assoc_event(&store, cfg, &assocs, ev, e.hits, e.hit_severities, e.nhits,
                               &e.stored) != SW_OK) {
                e.failed = 1;
                sw_warn("event %s: associations' part not done (%s); it stays pending", eid,
                        store.errstr);
            }
            free(e.hits);
            free(e.hit_severities);
            sw_buf_free(&e.text);
            sw_buf_free(&e.items);
            sw_buf_free(&e.search);
            free(e.texts);
            free(e.public_text);
            free(e.frequent);
            json_decref(e.public_event);
            json_decref(ev);
        }
        if (e.failed)
            break;   /* not acknowledged: it comes back, and stored alerts stay single */
        sw_stream_ack(&store, EVENTS, shard, group, 1, &eid);
        if (e.stored > 0)
            sw_debug("event %s: %d alerts", eid, e.stored);
    }
    sw_assoc_batch_free(&assocs);
}

/* A claimed batch: portfolio changes first, as for a fresh read. */
static void take_claimed(void *ud, int shard, const redisReply *entries)
{
    (void)ud;
    follow_changes();
    process(entries, shard);
}

static void claim_stale(void)
{
    sw_stream_claim(&store, EVENTS, group, me, sw_config_int(cfg, "matcher.claim_idle_ms"),
                    sw_config_int(cfg, "matcher.batch"), "events", take_claimed, NULL,
                    &stopping);
}

/* --- the live publisher ------------------------------------------------------------------
 * A thread of its own, so matching never waits on nginx: it reads the deliveries stream's
 * shards and the revoked tokens (one after the other: they lie in different slots) with the
 * consumer group "live", publishes each new alert to its subscriber's live streams and ends a
 * revoked token's streams (seawall/live.h), and acknowledges an entry only once nginx has
 * taken it. When nginx does not answer it goes back to its unacknowledged entries a second
 * later, so an alert stored while nginx was down still reaches the streams when it is back; a
 * publisher that died leaves its entries to be claimed after matcher.claim_idle_ms. */

#define LIVE_AGAIN_MAX 64

struct live {
    struct sw_store store;
    struct sw_live lv;
    char name[200];
    int pending;          /* read our unacknowledged entries before new ones */
    int failing;          /* nginx or Redis failed last time: log once per spell */
    struct {              /* revoked tokens and ended sessions to end once more a */
        char id[40];      /* heartbeat later: a stream admitted in the instant of the */
        int session;      /* revocation is ended then */
        int64_t due_ms;
    } again[LIVE_AGAIN_MAX];
    int nagain;
};

static struct live live;
static pthread_t live_thread;

/* One entry of either stream (revoked: the revoked stream's): SW_OK (done, acknowledge it),
 * SW_ERR (it can never be done: acknowledge it too) or SW_EAGAIN (try again later). */
static int live_entry(struct live *l, int revoked, const redisReply *entry)
{
    const char *token, *alert, *sub;
    long long subid;
    int rc;

    if (entry->type != REDIS_REPLY_ARRAY || entry->elements < 2 ||
        entry->element[1]->type != REDIS_REPLY_ARRAY)
        return SW_OK;   /* trimmed while pending */
    if (revoked) {
        int session = (token = sw_stream_field(entry, "token")) == NULL;

        if (session && (token = sw_stream_field(entry, "session")) == NULL)
            return SW_OK;
        rc = session ? sw_live_end_session(&l->lv, token) : sw_live_end_token(&l->lv, token);
        if (rc == SW_OK && l->nagain < LIVE_AGAIN_MAX) {
            sw_strlcpy(l->again[l->nagain].id, token, sizeof(l->again[0].id));
            l->again[l->nagain].session = session;
            l->again[l->nagain++].due_ms =
                sw_mono_us() / 1000 + sw_config_int(cfg, "api.sse_heartbeat_s") * 1000;
        }
        return rc;
    }
    alert = sw_stream_field(entry, "alert");
    sub = sw_stream_field(entry, "sub");
    if (alert == NULL || sub == NULL || sw_parse_ll(sub, 1, INT64_MAX, &subid) != SW_OK ||
        strcmp(sw_stream_field(entry, "kind") ?: "", "alert") != 0)
        return SW_OK;
    return sw_live_publish_alert(&l->lv, &l->store, cfg, subid, alert);
}

/* Handles the entries one stream (shard, as sw_live_read gives it) gave; returns how many
 * were seen, or -1 when one must be retried (it and those after it stay unacknowledged). */
static int live_entries(struct live *l, int shard, const redisReply *entries)
{
    const char *what = shard == SW_LIVE_REVOKED_SHARD ? "revoked" : "deliveries";
    int seen = 0, rc;
    size_t j;

    for (j = 0; entries->type == REDIS_REPLY_ARRAY && j < entries->elements && !stopping; j++) {
        const redisReply *e = entries->element[j];
        const char *id;

        if (e->type != REDIS_REPLY_ARRAY || e->elements < 1 ||
            e->element[0]->type != REDIS_REPLY_STRING)
            continue;
        id = e->element[0]->str;
        seen++;
        rc = live_entry(l, shard == SW_LIVE_REVOKED_SHARD, e);
        if (rc == SW_ERR) {
            sw_warn("live streams: %s entry %s skipped (%s)", what, id, l->lv.errstr);
        } else if (rc != SW_OK) {
            if (!l->failing)
                sw_warn("live streams: %s; trying again every second", l->lv.errstr);
            l->failing = 1;
            return -1;
        }
        if (l->failing)
            sw_info("live streams: publishing again");
        l->failing = 0;
        if (sw_live_ack(&l->store, shard, id) != SW_OK)
            sw_warn("live streams: %s entry %s not acknowledged (%s)", what, id,
                    l->store.errstr);
    }
    return seen;
}

static void live_claimed(void *ud, int shard, const redisReply *entries)
{
    struct live *l = ud;

    (void)shard;
    if (entries != NULL && entries->type == REDIS_REPLY_ARRAY && entries->elements > 0)
        l->pending = 1;   /* now ours: read with the rest of our unacknowledged entries */
}

/* Ends once more the streams of tokens revoked and sessions ended a heartbeat ago. */
static void live_again(struct live *l)
{
    int64_t now = sw_mono_us() / 1000;
    int i = 0;

    while (i < l->nagain) {
        if (l->again[i].due_ms > now) {
            i++;
            continue;
        }
        if ((l->again[i].session ? sw_live_end_session(&l->lv, l->again[i].id)
                                 : sw_live_end_token(&l->lv, l->again[i].id)) != SW_OK)
            sw_warn("live streams: %s", l->lv.errstr);
        l->again[i] = l->again[--l->nagain];
    }
}

/* Makes the group "live" on every deliveries shard and on the revoked stream, at their ends
 * (a group that exists stays as it is). */
static void live_groups(struct live *l)
{
    if (sw_live_groups(&l->store) != SW_OK)
        sw_warn("live streams: the group not made yet (%s)", l->store.errstr);
}

static void *live_run(void *arg)
{
    struct live *l = arg;
    long long idle = sw_config_int(cfg, "matcher.claim_idle_ms");
    int64_t last_claim = 0;
    struct sw_stream_batch b;

    l->pending = 1;
    while (!stopping) {
        int64_t now = sw_mono_us() / 1000;
        int seen = 0, i, n;

        live_again(l);
        if (now - last_claim >= idle / 4 + 1) {
            sw_live_claim(&l->store, l->name, idle, live_claimed, l, &stopping);
            last_claim = now;
        }
        if (sw_live_read(&l->store, l->name, l->pending, 100, 200, &b) != SW_OK) {
            if (!l->failing)
                sw_warn("live streams: reading failed (%s)", l->store.errstr);
            l->failing = 1;
            live_groups(l);   /* a group lost with its stream (FLUSHALL) */
            sleep(1);
            continue;
        }
        for (i = 0; i < b.n && seen >= 0; i++) {
            n = live_entries(l, b.shard[i], b.entries[i]);
            seen = n < 0 ? -1 : seen + n;
        }
        sw_stream_batch_free(&b);
        if (seen < 0) {
            l->pending = 1;
            sleep(1);
        } else if (l->pending && seen == 0) {
            l->pending = 0;   /* our unacknowledged entries are done: new ones next */
        }
    }
    sw_live_close(&l->lv);
    sw_store_close(&l->store);
    return NULL;
}

int main(int argc, char **argv)
{
    struct sw_config *loaded;
    struct sw_stream_batch batch;
    int64_t last_claim = 0, last_sweep = 0;
    int rc = sw_worker_start("seawall-matcher", argc, argv, "matcher.id", &loaded, me,
                             sizeof(me), &stopping);

    if (rc != 0)
        return rc;
    cfg = loaded;
    {
        char err[512];

        if (sw_deadlines_load(sw_config_str(cfg, "cases.deadline_rules"), &deadlines, err,
                              sizeof(err)) != SW_OK) {
            sw_error("deadline rules not loaded: %s", err);
            return 2;
        }
    }
    partitions = (int)sw_config_int(cfg, "matcher.partitions");
    partition = (int)sw_config_int(cfg, "matcher.partition");
    if (partition >= partitions) {
        sw_error("matcher.partition %d is not below matcher.partitions %d", partition,
                 partitions);
        return 2;
    }
    /* Each partition reads every event through its own group; one partition is the group
     * every earlier matcher used. */
    sw_matcher_group_name(partitions, partition, group, sizeof(group));
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        (ix = sw_mindex_new()) == NULL ||
        (follow = sw_pf_follow_new(partitions, partition)) == NULL)
        return 1;
    sw_store_init(&store, cfg);
    while (build() != SW_OK && !stopping) {
        sw_warn("building the index failed (%s); trying again", store.errstr);
        sw_mindex_free(ix);
        sw_pf_follow_free(follow);
        ix = sw_mindex_new();
        follow = sw_pf_follow_new(partitions, partition);
        if (ix == NULL || follow == NULL)
            return 1;
        sleep(1);
    }
    /* A new partitioning's group starts where the previous one's matchers stand. */
    while (sw_matcher_group_create(&store, EVENTS, partitions, partition) != SW_OK && !stopping) {
        sw_warn("the events group %s not made (%s); trying again", group, store.errstr);
        sleep(1);
    }
    /* The live groups exist before the first alert is stored, so none is missed. */
    sw_store_init(&live.store, cfg);
    sw_live_init(&live.lv, cfg);
    live_groups(&live);
    snprintf(live.name, sizeof(live.name), "%s/live", me);
    if ((rc = pthread_create(&live_thread, NULL, live_run, &live)) != 0) {
        sw_error("pthread_create() failed (%s)", strerror(rc));
        return 1;
    }
    sw_info("matching as %s (group %s)", me, group);
    while (!stopping) {
        int64_t now = sw_mono_us() / 1000;
        int i;

        if (now - last_sweep >= SWEEP_EVERY_MS) {
            /* Portfolio changes a writer stored but did not append (it died, or lost the
             * stream's node): appended now, read just below. */
            if (sw_portfolio_sweep(&store, partitions, partition, SWEEP_IDLE_MS) > 0)
                sw_info("portfolio changes left unsent by their writer appended");
            last_sweep = now;
        }
        follow_changes();
        if (now - last_claim >= sw_config_int(cfg, "matcher.claim_idle_ms") / 4 + 1) {
            claim_stale();
            last_claim = now;
        }
        if (sw_stream_read(&store, EVENTS, group, me, sw_config_int(cfg, "matcher.batch"),
                           sw_config_int(cfg, "matcher.block_ms"), &batch) != SW_OK) {
            sw_warn("reading events failed (%s)", store.errstr);
            sleep(1);
            continue;
        }
        if (batch.n > 0) {
            /* A portfolio change stored before these events may have come while we waited:
             * take it in first, so the events meet the portfolio as it was when they came. */
            follow_changes();
            for (i = 0; i < batch.n; i++)
                process(batch.entries[i], batch.shard[i]);
        }
        sw_stream_batch_free(&batch);
    }
    sw_info("stopping");
    pthread_join(live_thread, NULL);
    sw_mindex_free(ix);
    sw_pf_follow_free(follow);
    sw_deadlines_free(deadlines);
    sw_store_close(&store);
    sw_i18n_free();
    sw_config_free(loaded);
    return 0;
}
