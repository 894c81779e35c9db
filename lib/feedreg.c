/* feedreg.c — feed settings, status, schedule, leases, and the one write path of the events
 * stream (sw_event_publish). Every key comes from keys.h; no script or MULTI here touches two
 * slots: a feed's status, its lease, its dates and the schedule are written one key at a
 * time, in the order each function's comment gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/archive.h"
#include "seawall/config.h"
#include "seawall/dated.h"
#include "seawall/feedreg.h"
#include "seawall/fetch.h"
#include "seawall/keys.h"
#include "seawall/store.h"
#include "seawall/stream.h"

static const char *const formats[] = { "auto", "rss", "cmecf", "uspto-tm", "uspto-patent",
                                       "st66", "st96", "euipo", "ical", "json", "html", NULL };
static const char *const item_types[] = { "news", "bulletin", "litigation",
                                          "trade_investigation", "customs_seizure",
                                          "show_event", "trademark_filing", "trademark_status",
                                          "patent_publication", "patent_grant", NULL };

static const char *const compressions[] = { "none", "zip", "gzip", NULL };

static const struct sw_jfield feed_fields[] = {
    { "url", SW_J_STRING, 0, 10, 2048, NULL },          /* or url_template: see check_create */
    { "name", SW_J_STRING, SW_JF_NONEMPTY, 1, 200, NULL },
    { "format", SW_J_STRING, 0, 2, 16, formats },
    { "type", SW_J_STRING, 0, 2, 32, item_types },
    { "interval_s", SW_J_INT, 0, 1, 86400, NULL },
    { "enabled", SW_J_BOOL, 0, 0, 0, NULL },
    { "charset", SW_J_STRING, 0, 1, 40, NULL },
    { "compression", SW_J_STRING, 0, 3, 4, compressions },
    /* A dated source (include/seawall/dated.h): one file per date. */
    { "url_template", SW_J_STRING, 0, 10, 2048, NULL },
    { "days", SW_J_STRINGS, 0, 1, 7, NULL },
    { "lag_days", SW_J_INT, 0, 0, 14, NULL },
    { "publish_at", SW_J_STRING, 0, 5, 5, NULL },
    { "zone", SW_J_STRING, 0, 1, SW_ZONE_MAX, NULL },
    { "grace_h", SW_J_INT, 0, 0, 720, NULL },
    { "start_date", SW_J_STRING, 0, 10, 10, NULL },
    /* The catalogue entry it was registered from (seawall source enable). */
    { "source", SW_J_STRING, 0, 1, 80, NULL },
    { "html", SW_J_OBJECT, 0, 1, 6, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* An HTML source's expressions (docs/feeds.md "HTML sources"): their shape here, their
 * meaning (XPath that compiles, a date format) in feeds/html.c, sw_feed_html_check. */
static const struct sw_jfield html_fields[] = {
    { "item", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 1000, NULL },
    { "title", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 1000, NULL },
    { "link", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 1000, NULL },
    { "date", SW_J_STRING, SW_JF_NONEMPTY, 1, 1000, NULL },
    { "date_format", SW_J_STRING, SW_JF_NONEMPTY, 1, 64, NULL },
    { "summary", SW_J_STRING, SW_JF_NONEMPTY, 1, 1000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

const struct sw_kind sw_kind_feed = {
    .name = "feed", .key_fmt = SWK_FEED_FMT,
    .index_key = SWK_FEEDS_INDEX, .seq_key = SWK_FEEDS_SEQ,
    .fields = feed_fields,
};

int sw_feedreg_format_known(const char *name)
{
    const char *const *f;

    for (f = formats + 1; *f != NULL; f++)   /* formats[0] is "auto" */
        if (strcmp(*f, name) == 0)
            return 1;
    return 0;
}

void sw_feedreg_check_create(const json_t *doc, struct sw_verrs *errs)
{
    if (json_object_get(doc, "url") == NULL && json_object_get(doc, "url_template") == NULL)
        sw_verrs_add(errs, "/url", "required (or url_template, for a source with one file per "
                     "date)");
}

/* The dated settings present in doc, each judged (a partial document is filled with a
 * stand-in template so that a change of one setting is judged alone). */
static void check_dated(const json_t *doc, const struct sw_allowlist *allow,
                        struct sw_verrs *errs)
{
    static const char *const fields[] = { "url_template", "days", "lag_days", "publish_at",
                                          "zone", "grace_h", "start_date", NULL };
    const char *const *f;
    json_t *probe = json_object();
    struct sw_dated d;
    char why[300], ptr[64], url[SW_DATED_TEMPLATE_MAX + 64], err[400];
    int any = 0;
    size_t n;

    for (f = fields; *f != NULL; f++) {
        json_t *v = json_object_get(doc, *f);

        if (v != NULL) {
            json_object_set(probe, *f, v);
            any = 1;
        }
    }
    if (!any) {
        json_decref(probe);
        return;
    }
    if (!json_is_string(json_object_get(probe, "url_template")))
        json_object_set_new(probe, "url_template", json_string("https://example.org/{yyyy}"));
    if (sw_dated_from_doc(probe, &d, why, sizeof(why)) == SW_INVALID) {
        n = strcspn(why, ":");
        snprintf(ptr, sizeof(ptr), "/%.*s", (int)(n < 40 ? n : 40), why);
        sw_verrs_add(errs, ptr, "%s", why[n] == ':' ? why + n + 2 : why);
    } else if (json_object_get(doc, "url_template") != NULL) {
        /* The URL of a date must pass what any feed URL passes. */
        if (sw_dated_url(d.tmpl, sw_days_from_civil(2026, 12, 1), url, sizeof(url), why,
                         sizeof(why)) != SW_OK)
            sw_verrs_add(errs, "/url_template", "too long once its date is filled in");
        else if (sw_url_check(url, allow, err, sizeof(err)) != SW_OK)
            sw_verrs_add(errs, "/url_template", "%s", err);
    }
    json_decref(probe);
}

void sw_feedreg_check(const json_t *doc, int partial, long long min_interval_s,
                      const char *allow_private, struct sw_verrs *errs)
{
    const char *url = json_string_value(json_object_get(doc, "url"));
    const char *format = json_string_value(json_object_get(doc, "format"));
    json_t *iv = json_object_get(doc, "interval_s"), *html = json_object_get(doc, "html");
    struct sw_allowlist allow;
    char err[400];

    if (sw_allowlist_parse(allow_private, &allow, err, sizeof(err)) != SW_OK)
        allow.n = 0;
    if (url != NULL && sw_url_check(url, &allow, err, sizeof(err)) != SW_OK)
        sw_verrs_add(errs, "/url", "%s", err);
    if (json_is_integer(iv) && json_integer_value(iv) < min_interval_s)
        sw_verrs_add(errs, "/interval_s", "must be at least %lld (poller.min_interval_s)",
                     min_interval_s);
    if (json_is_object(html))
        sw_json_check(html, html_fields, 0, "/html", errs);
    /* The pair, where this document says both (a change may say one: the poller then reports
     * a format html without expressions as the feed's error). */
    if (format != NULL && strcmp(format, "html") == 0 && html == NULL && !partial)
        sw_verrs_add(errs, "/html", "is required when format is html: the item, title and "
                     "link expressions (docs/feeds.md)");
    if (json_is_object(html) && (format != NULL ? strcmp(format, "html") != 0 : !partial))
        sw_verrs_add(errs, "/format", "must be html when html expressions are given");
    check_dated(doc, &allow, errs);
}

void sw_feedreg_archive_limits(const struct sw_config *cfg, struct sw_archive_limits *out)
{
    out->max_entries = (uint64_t)sw_config_int(cfg, "archive.max_entries");
    out->max_entry_bytes = (uint64_t)sw_config_int(cfg, "archive.max_entry_bytes");
    out->max_total_bytes = (uint64_t)sw_config_int(cfg, "archive.max_total_bytes");
    out->max_ratio = (uint64_t)sw_config_int(cfg, "archive.max_ratio");
}

void sw_feedreg_defaults(json_t *doc)
{
    if (json_object_get(doc, "format") == NULL)
        json_object_set_new(doc, "format", json_string("auto"));
    if (json_object_get(doc, "type") == NULL)
        json_object_set_new(doc, "type", json_string("news"));
    if (json_object_get(doc, "interval_s") == NULL)
        json_object_set_new(doc, "interval_s", json_integer(900));
    if (json_object_get(doc, "enabled") == NULL)
        json_object_set_new(doc, "enabled", json_true());
}

static const char *const counters[] = { "items_seen", "events_emitted", "consecutive_failures",
                                         "polls", "not_modified", "http_status",
                                         "dates_fetched", "dates_missing", NULL };

int sw_feedreg_status(struct sw_store *s, long long id, json_t **out)
{
    redisReply *r = sw_store_cmd(s, "HGETALL", swk_feed_status(id).s, NULL);
    json_t *st;
    size_t i;

    if (r == NULL)
        return SW_EAGAIN;
    st = json_object();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        const char *k = r->element[i]->str, *v = r->element[i + 1]->str;
        const char *const *c;
        int numeric = 0;

        if (strcmp(k, "etag") == 0 || strcmp(k, "last_modified") == 0)
            continue;   /* the poller's own bookkeeping */
        if (strcmp(k, "warnings") == 0) {
            json_t *w = json_loads(v, 0, NULL);   /* written by the poller: a JSON array */

            json_object_set_new(st, k, json_is_array(w) ? w : json_array());
            if (!json_is_array(w))
                json_decref(w);
            continue;
        }
        for (c = counters; *c != NULL; c++)
            numeric |= strcmp(*c, k) == 0;
        json_object_set_new(st, k, numeric ? json_integer(sw_reply_int(r->element[i + 1], 0))
                                           : json_string(v));
    }
    freeReplyObject(r);
    *out = st;
    return SW_OK;
}

/* The poller's failure texts (workers/poller.c failed() callers and sw_fetch_describe), most
 * specific first: a piece of the text and the public phrase it maps to. */
static const struct { const char *piece, *reason; } public_reasons[] = {
    { "the archive was refused", "the archive was refused by a safety limit" },
    { "the body is larger than", "the document was too large" },
    { "the document could not be read", "the document could not be read" },
    { "the document broke off", "the document could not be read" },
    { "storing events failed", "the events could not be stored" },
    { "cannot follow the redirect", "a redirect could not be followed" },
    { "redirects (a loop?)", "a redirect could not be followed" },
    { "without a usable Location", "a redirect could not be followed" },
    { "refused to connect to", "the source's address is not allowed" },
    { "refused the URL", "the source's address is not allowed" },
    { "Timeout was reached", "the source did not answer in time" },
    { "timed out", "the source did not answer in time" },
    { "resolve", "the source's host name could not be resolved" },
    { "SSL", "a secure connection could not be made" },
    { "certificate", "a secure connection could not be made" },
    { "connect", "the source could not be reached" },
};

const char *sw_feedreg_public_reason(long long http_status, const char *last_error)
{
    size_t i;

    if (last_error == NULL || *last_error == '\0')
        return NULL;
    if (http_status == 410)
        return "the source says the feed no longer exists";
    if (http_status == 429 || (http_status == 503 && strstr(last_error, "retry after") != NULL))
        return "the source asked to be polled later";
    for (i = 0; i < SW_ARRAY_LEN(public_reasons); i++)
        if (strstr(last_error, public_reasons[i].piece) != NULL)
            return public_reasons[i].reason;
    if (http_status >= 400)
        return "the source answered with an error";
    return "the poll failed";
}

int sw_feedreg_schedule(struct sw_store *s, long long id, int64_t when_ms)
{
    char score[32], member[32];
    redisReply *r;

    snprintf(score, sizeof(score), "%lld", (long long)when_ms);
    snprintf(member, sizeof(member), "%lld", id);
    r = sw_store_cmd(s, "ZADD", swk_feeds_due().s, score, member, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

int sw_feedreg_unschedule(struct sw_store *s, long long id)
{
    char member[32];
    redisReply *r;

    snprintf(member, sizeof(member), "%lld", id);
    r = sw_store_cmd(s, "ZREM", swk_feeds_due().s, member, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

/* The document first (a poller that finds it gone unschedules the feed), then its status,
 * lease and dates, one key each (three slots), then the schedule. A crash between leaves keys
 * nobody reads; deleting again removes them. */
int sw_feedreg_delete(struct sw_store *s, long long id)
{
    sw_key_t keys[3] = { swk_feed_status(id), swk_feed_lease(id), swk_feed_days(id) };
    const char *argv[3][2], **argvs[3];
    int argcs[3], i, rc = sw_doc_delete(s, &sw_kind_feed, id);
    redisReply *reps[3];

    if (rc != SW_OK)
        return rc;
    for (i = 0; i < 3; i++) {
        argv[i][0] = "DEL";
        argv[i][1] = keys[i].s;
        argvs[i] = argv[i];
        argcs[i] = 2;
    }
    if (sw_store_pipeline(s, 3, argcs, argvs, reps) != SW_OK)
        return SW_EAGAIN;
    for (i = 0; i < 3; i++)
        freeReplyObject(reps[i]);
    return sw_feedreg_unschedule(s, id);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Drops the oldest dates of a hash that has grown past 800, keeping 400. */
static void days_prune(struct sw_store *s, const char *key)
{
    redisReply *r = sw_store_cmd(s, "HKEYS", key, NULL);
    const char **names, **argv;
    redisReply *d;
    size_t i, n, drop;

    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements <= 800) {
        if (r != NULL)
            freeReplyObject(r);
        return;
    }
    n = r->elements;
    names = calloc(n, sizeof(*names));
    argv = calloc(n + 2, sizeof(*argv));
    if (names != NULL && argv != NULL) {
        for (i = 0; i < n; i++)
            names[i] = r->element[i]->str ? r->element[i]->str : "";
        qsort(names, n, sizeof(*names), cmp_str);
        drop = n - 400;
        argv[0] = "HDEL";
        argv[1] = key;
        for (i = 0; i < drop; i++)
            argv[2 + i] = names[i];
        d = sw_store_cmdv(s, (int)(drop + 2), argv, NULL);
        if (d != NULL)
            freeReplyObject(d);
    }
    free(names);
    free(argv);
    freeReplyObject(r);
}

int sw_feedreg_day_set(struct sw_store *s, long long id, const char *date, const json_t *outcome)
{
    sw_key_t key = swk_feed_days(id);
    char *text = json_dumps(outcome, JSON_COMPACT | JSON_PRESERVE_ORDER);
    redisReply *r;

    if (text == NULL)
        return SW_ERR;
    r = sw_store_cmd(s, "HSET", key.s, date, text, NULL);
    free(text);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    days_prune(s, key.s);
    return SW_OK;
}

int sw_feedreg_days(struct sw_store *s, long long id, json_t **out)
{
    redisReply *r = sw_store_cmd(s, "HGETALL", swk_feed_days(id).s, NULL);
    json_t *o;
    size_t i;

    if (r == NULL)
        return SW_EAGAIN;
    o = json_object();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        json_t *v = json_loadb(r->element[i + 1]->str ? r->element[i + 1]->str : "",
                               r->element[i + 1]->len, 0, NULL);

        if (json_is_object(v) && r->element[i]->str != NULL)
            json_object_set_new(o, r->element[i]->str, v);
        else
            json_decref(v);
    }
    freeReplyObject(r);
    *out = o;
    return SW_OK;
}

int64_t sw_feedreg_now(struct sw_store *s, int test_clock)
{
    int64_t now = sw_now_ms();
    redisReply *r;

    if (!test_clock)
        return now;
    r = sw_store_cmd(s, "GET", swk_testclock_poller_at().s, NULL);
    if (r != NULL && r->type == REDIS_REPLY_STRING)
        now = strtoll(r->str, NULL, 10);
    if (r != NULL)
        freeReplyObject(r);
    return now;
}

int sw_feedreg_dated_coverage(struct sw_store *s, const struct sw_config *cfg, const json_t *doc,
                              json_t **out)
{
    struct sw_dated d;
    json_t *days;
    char why[300];
    int rc;

    *out = NULL;
    if (sw_dated_from_doc(doc, &d, why, sizeof(why)) != SW_OK)
        return SW_OK;
    rc = sw_feedreg_days(s, json_integer_value(json_object_get(doc, "id")), &days);
    if (rc != SW_OK)
        return rc;
    *out = sw_dated_coverage(&d, days, sw_feedreg_now(s, (int)sw_config_int(cfg,
                                                                             "poller.test_clock")),
                             (int)sw_config_int(cfg, "poller.backfill_max"));
    json_decref(days);
    return SW_OK;
}

int sw_feedreg_lease_take(struct sw_store *s, long long id, const char *owner, long ttl_ms)
{
    char ttl[32];
    redisReply *r;
    int got;

    snprintf(ttl, sizeof(ttl), "%ld", ttl_ms);
    r = sw_store_cmd(s, "SET", swk_feed_lease(id).s, owner, "NX", "PX", ttl, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    got = r->type == REDIS_REPLY_STATUS;
    freeReplyObject(r);
    return got;
}

static const char lease_renew_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";
static const char lease_release_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "return redis.call('DEL', KEYS[1]) end return 0";

static int lease_script(struct sw_store *s, const char *script, long long id, const char *owner,
                        long ttl_ms)
{
    sw_key_t key = swk_feed_lease(id);
    char ttl[32];
    const char *keys[] = { key.s }, *args[] = { owner, ttl };
    long long v = 0;
    int rc;

    snprintf(ttl, sizeof(ttl), "%ld", ttl_ms);
    rc = sw_store_eval_int(s, script, 1, keys, 2, args, &v);
    return rc == SW_OK ? (int)v : rc;
}

int sw_feedreg_lease_renew(struct sw_store *s, long long id, const char *owner, long ttl_ms)
{
    return lease_script(s, lease_renew_lua, id, owner, ttl_ms);
}

int sw_feedreg_lease_release(struct sw_store *s, long long id, const char *owner)
{
    return lease_script(s, lease_release_lua, id, owner, 0);
}

/* --- a poll's outcome ------------------------------------------------------------------ */

const char *sw_feed_update_num(struct sw_feed_update *u, long long v)
{
    char *b;

    if (u->nbufs >= (int)SW_ARRAY_LEN(u->bufs))
        return "0";
    b = u->bufs[u->nbufs++];
    snprintf(b, sizeof(u->bufs[0]), "%lld", v);
    return b;
}

void sw_feed_update_set(struct sw_feed_update *u, const char *field, const char *value)
{
    if (u->nset + 2 > (int)SW_ARRAY_LEN(u->set))
        return;
    u->set[u->nset++] = field;
    u->set[u->nset++] = value;
}

void sw_feed_update_add(struct sw_feed_update *u, const char *field, long long by)
{
    if (u->nincr + 2 > (int)SW_ARRAY_LEN(u->incr))
        return;
    u->incr[u->nincr++] = field;
    u->incr[u->nincr++] = sw_feed_update_num(u, by);
}

void sw_feed_update_del(struct sw_feed_update *u, const char *field)
{
    if (u->ndel < (int)SW_ARRAY_LEN(u->del))
        u->del[u->ndel++] = field;
}

/* Three steps, each on one slot: (1) a new due time (ZADD sw:feeds:due): first, since an
 * early due time is harmless, the lease keeps other pollers off until the poll is over;
 * (2) the status hash, in one MULTI on its own key, so nobody reads half of it; (3) taking
 * the feed off the schedule (ZREM), last. A crash after (1) leaves the next poll at its new
 * time without this poll's validators (it is then unconditional); after (2), a feed that
 * should be off the schedule stays on it until a poller finds it disabled and takes it off. */
int sw_feedreg_update(struct sw_store *s, long long id, struct sw_feed_update *u)
{
    sw_key_t key = swk_feed_status(id);
    char when[32];
    const char *hset[2 + SW_ARRAY_LEN(u->set) + 2], *hdel[2 + SW_ARRAY_LEN(u->del)];
    const char *incrs[SW_ARRAY_LEN(u->incr) / 2][4];
    const char **argvs[2 + SW_ARRAY_LEN(u->incr) / 2];
    int argcs[2 + SW_ARRAY_LEN(u->incr) / 2], n = 0, i, rc;
    redisReply *r;

    if (u->next_ms > 0) {
        rc = sw_feedreg_schedule(s, id, u->next_ms);
        if (rc != SW_OK)
            return rc;
        sw_iso8601(u->next_ms, when, sizeof(when));
        sw_feed_update_set(u, "next_poll_at", when);
    }
    hset[0] = "HSET";
    hset[1] = key.s;
    for (i = 0; i < u->nset; i++)
        hset[2 + i] = u->set[i];
    if (u->nset > 0) {
        argvs[n] = hset;
        argcs[n++] = 2 + u->nset;
    }
    for (i = 0; i + 1 < u->nincr; i += 2) {
        incrs[i / 2][0] = "HINCRBY";
        incrs[i / 2][1] = key.s;
        incrs[i / 2][2] = u->incr[i];
        incrs[i / 2][3] = u->incr[i + 1];
        argvs[n] = incrs[i / 2];
        argcs[n++] = 4;
    }
    if (u->ndel > 0) {
        hdel[0] = "HDEL";
        hdel[1] = key.s;
        for (i = 0; i < u->ndel; i++)
            hdel[2 + i] = u->del[i];
        argvs[n] = hdel;
        argcs[n++] = 2 + u->ndel;
    }
    if (n > 0) {
        r = sw_store_multi(s, n, argcs, argvs, NULL);
        if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
            if (r != NULL && s->errstr[0] == '\0')
                sw_strlcpy(s->errstr, "transaction refused", sizeof(s->errstr));
            if (r != NULL)
                freeReplyObject(r);
            return SW_EAGAIN;
        }
        freeReplyObject(r);
    }
    return u->next_ms < 0 ? sw_feedreg_unschedule(s, id) : SW_OK;
}

long long sw_feedreg_status_int(struct sw_store *s, long long id, const char *field)
{
    redisReply *r = sw_store_cmd(s, "HGET", swk_feed_status(id).s, field, NULL);
    long long v = sw_reply_int(r, 0);

    if (r != NULL)
        freeReplyObject(r);
    return v;
}

int sw_feedreg_validators(struct sw_store *s, long long id, char *etag, size_t etaglen,
                          char *last_modified, size_t lmlen, long long *polls)
{
    redisReply *r = sw_store_cmd(s, "HMGET", swk_feed_status(id).s, "etag", "last_modified",
                                 "polls", NULL);

    etag[0] = last_modified[0] = '\0';
    *polls = 0;
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3) {
        freeReplyObject(r);
        return SW_ERR;
    }
    if (sw_reply_str(r->element[0]) != NULL)
        sw_strlcpy(etag, r->element[0]->str, etaglen);
    if (sw_reply_str(r->element[1]) != NULL)
        sw_strlcpy(last_modified, r->element[1]->str, lmlen);
    *polls = sw_reply_int(r->element[2], 0);
    freeReplyObject(r);
    return SW_OK;
}

int sw_feedreg_forget(struct sw_store *s, long long id, int validators)
{
    redisReply *r = validators
                        ? sw_store_cmd(s, "HDEL", swk_feed_status(id).s, "disabled_reason",
                                       "etag", "last_modified", NULL)
                        : sw_store_cmd(s, "HDEL", swk_feed_status(id).s, "disabled_reason",
                                       NULL);

    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

int sw_feedreg_due(struct sw_store *s, int64_t now_ms, int limit, long long *ids)
{
    char now[32], lim[16];
    redisReply *r;
    size_t i;
    int n = 0;

    if (limit <= 0)
        return 0;
    snprintf(now, sizeof(now), "%lld", (long long)now_ms);
    snprintf(lim, sizeof(lim), "%d", limit);
    r = sw_store_cmd(s, "ZRANGEBYSCORE", swk_feeds_due().s, "-inf", now, "LIMIT", "0", lim,
                     NULL);
    if (r == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements && n < limit; i++)
        ids[n++] = sw_reply_int(r->element[i], 0);
    freeReplyObject(r);
    return n;
}

/* --- the events stream ------------------------------------------------------------------ */

/* The event's seen mark and its stream entry, or neither: SET NX decides, in the same script.
 * KEYS: seen mark, the shard's stream (one slot: {events:N}). ARGV: id, event, ttl, maxlen. */
static const char event_publish_lua[] =
    "if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[3]) then "
    "redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'id', ARGV[1], 'event', ARGV[2]) "
    "return 1 end return 0";

int sw_event_publish(struct sw_store *s, const json_t *ev, long ttl_s, long maxlen)
{
    const char *id = json_string_value(json_object_get(ev, "id"));
    int shard, shards = sw_stream_shards(s);
    sw_key_t seen, stream;
    char ttl[32], max[32];
    const char *keys[2], *args[4];
    long long v = 0;
    char *text;
    int rc;

    if (id == NULL || *id == '\0' || strlen(id) > SW_KEY_BYTES / 2) {
        sw_strlcpy(s->errstr, "an event without a usable id", sizeof(s->errstr));
        return SW_ERR;
    }
    text = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text == NULL)
        return SW_ERR;
    shard = sw_stream_shard_of(s, id, strlen(id));
    seen = swk_event_seen(shard, id);
    stream = swk_stream(SW_EVENTS_STREAM, shard);
    snprintf(ttl, sizeof(ttl), "%ld", ttl_s);
    /* events.maxlen is the whole stream's: each shard keeps its part. */
    snprintf(max, sizeof(max), "%ld", maxlen / shards + 1);
    keys[0] = seen.s;
    keys[1] = stream.s;
    args[0] = id;
    args[1] = text;
    args[2] = ttl;
    args[3] = max;
    rc = sw_store_eval_int(s, event_publish_lua, 2, keys, 4, args, &v);
    free(text);
    return rc == SW_OK ? (int)v : rc;
}
