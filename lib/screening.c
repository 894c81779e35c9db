/* screening.c — screening jobs in Redis and the conflicts one query finds
 * (include/seawall/screening.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/country.h"
#include "seawall/json.h"
#include "seawall/keys.h"
#include "seawall/normalise.h"
#include "seawall/regidx.h"
#include "seawall/register.h"
#include "seawall/screening.h"
#include "seawall/store.h"
#include "seawall/stream.h"

#define JOBS_MAXLEN 100000LL   /* entries kept on the jobs stream, over all shards */

static void keys(long long sub, long long id, char *doc, size_t dn, char *list, size_t ln,
                 char *next, size_t nn)
{
    if (doc != NULL)
        sw_strlcpy(doc, swk_screening(sub, id).s, dn);
    if (list != NULL)
        sw_strlcpy(list, swk_screenings(sub).s, ln);
    if (next != NULL)
        sw_strlcpy(next, swk_screening_next(sub).s, nn);
}

static size_t add_code(const char **codes, size_t n, size_t max, const char *c)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(codes[i], c) == 0)
            return n;
    if (n < max)
        codes[n++] = c;
    return n;
}

size_t sw_screening_offices(const json_t *markets, const char **codes, size_t max)
{
    size_t i, n = 0;
    json_t *v;

    json_array_foreach(markets, i, v) {
        const char *m = json_string_value(v);

        if (m == NULL)
            continue;
        if (sw_country_eu_wide(m) || sw_country_eu_member(m))
            n = add_code(codes, n, max, "EM");
        if (strcmp(m, "EU") != 0)
            n = add_code(codes, n, max, m);
    }
    if (n > 0)
        n = add_code(codes, n, max, "WO");
    return n;
}

static int fail_oom(struct sw_store *s)
{
    sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
    return SW_ERR;
}

/* Queues a job in single-slot steps: b. the job's hash and its place in the company's list
 * (one MULTI in {sub:N}), c. then its entry on the jobs stream (shard by subscriber). A crash
 * between them leaves a job that stays "queued" and no entry naming it; an entry never
 * names a job not written. */
int sw_screening_create(struct sw_store *s, long long sub, const json_t *job, long long *id)
{
    char doc[64], list[64], next[64], idtxt[24], total[24], when[32], subtxt[24];
    json_t *d;
    char *text;
    redisReply *r;
    int rc;

    keys(sub, 0, NULL, 0, list, sizeof(list), next, sizeof(next));
    if ((r = sw_store_cmd(s, "INCR", next, NULL)) == NULL)
        return SW_EAGAIN;
    *id = sw_reply_int(r, 0);
    freeReplyObject(r);
    if (*id <= 0) {
        sw_strlcpy(s->errstr, "INCR of the screening ids failed", sizeof(s->errstr));
        return SW_ERR;
    }
    keys(sub, *id, doc, sizeof(doc), NULL, 0, NULL, 0);
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    if ((d = json_deep_copy(job)) == NULL)
        return fail_oom(s);
    json_object_set_new(d, "id", json_integer(*id));
    json_object_set_new(d, "created_at", json_string(when));
    text = sw_json_dumps(d);
    json_decref(d);
    if (text == NULL)
        return fail_oom(s);
    snprintf(idtxt, sizeof(idtxt), "%lld", *id);
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    snprintf(total, sizeof(total), "%zu", json_array_size(json_object_get(job, "items")));
    {
        const char *hset[] = { "HSET", doc, "doc", text, "status", "queued", "done", "0",
                               "total", total, "updated_at", when };
        const char *zadd[] = { "ZADD", list, idtxt, idtxt };
        const char **argvs[] = { hset, zadd };
        int argcs[] = { 12, 4 };

        r = sw_store_multi(s, 2, argcs, argvs, NULL);
    }
    free(text);
    if (r == NULL)
        return SW_EAGAIN;
    rc = r->type == REDIS_REPLY_ARRAY ? SW_OK : SW_ERR;
    freeReplyObject(r);
    if (rc != SW_OK) {
        sw_strlcpy(s->errstr, "storing the screening failed", sizeof(s->errstr));
        return rc;
    }
    {
        const char *fields[] = { "sub", subtxt, "id", idtxt };

        return sw_stream_add(s, SW_SCREENINGS, subtxt, strlen(subtxt),
                             JOBS_MAXLEN / sw_stream_shards(s), 2, fields, NULL, NULL, 0);
    }
}

static const char *field(const redisReply *r, const char *name)
{
    size_t i;

    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2)
        if (r->element[i]->str != NULL && strcmp(r->element[i]->str, name) == 0)
            return r->element[i + 1]->str;
    return NULL;
}

int sw_screening_get(struct sw_store *s, long long sub, long long id, int with_result,
                     json_t **out)
{
    char doc[64];
    const char *v;
    redisReply *r;
    json_t *d, *res;
    long long done = 0, total = 0;

    *out = NULL;
    keys(sub, id, doc, sizeof(doc), NULL, 0, NULL, 0);
    if ((r = sw_store_cmd(s, "HGETALL", doc, NULL)) == NULL)
        return SW_EAGAIN;
    if ((v = field(r, "doc")) == NULL || (d = json_loads(v, 0, NULL)) == NULL) {
        freeReplyObject(r);
        return SW_NOTFOUND;
    }
    if (field(r, "done") != NULL)
        sw_parse_ll(field(r, "done"), 0, INT64_MAX, &done);
    if (field(r, "total") != NULL)
        sw_parse_ll(field(r, "total"), 0, INT64_MAX, &total);
    json_object_set_new(d, "status", json_string(field(r, "status") ?: "queued"));
    json_object_set_new(d, "progress", json_pack("{s:I, s:I}", "done", (json_int_t)done,
                                                 "total", (json_int_t)total));
    json_object_set_new(d, "updated_at", json_string(field(r, "updated_at") ?: ""));
    if ((v = field(r, "error")) != NULL)
        json_object_set_new(d, "error", json_string(v));
    res = (v = field(r, "result")) != NULL ? json_loads(v, 0, NULL) : NULL;
    if (res != NULL) {
        if (with_result)
            json_object_set(d, "conflicts", res);
        else
            json_object_set_new(d, "conflicts_count", json_integer((json_int_t)json_array_size(res)));
        json_decref(res);
    }
    freeReplyObject(r);
    *out = d;
    return SW_OK;
}

int sw_screening_list(struct sw_store *s, long long sub, long long before, int limit,
                      json_t **items, long long *next)
{
    char list[64], max[32], lim[16];
    redisReply *r;
    size_t i;
    int rc = SW_OK;

    *items = NULL;
    *next = 0;
    keys(sub, 0, NULL, 0, list, sizeof(list), NULL, 0);
    if (before > 0)
        snprintf(max, sizeof(max), "(%lld", before);
    else
        sw_strlcpy(max, "+inf", sizeof(max));
    snprintf(lim, sizeof(lim), "%d", limit + 1);
    r = sw_store_cmd(s, "ZREVRANGEBYSCORE", list, max, "-inf", "LIMIT", "0", lim, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if ((*items = json_array()) == NULL) {
        freeReplyObject(r);
        return fail_oom(s);
    }
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements && rc == SW_OK; i++) {
        long long id;
        json_t *d;

        if (sw_parse_ll(r->element[i]->str ?: "", 1, INT64_MAX, &id) != SW_OK)
            continue;
        if ((int)i == limit) {
            *next = json_integer_value(json_object_get(json_array_get(*items, i - 1), "id"));
            break;
        }
        rc = sw_screening_get(s, sub, id, 0, &d);
        if (rc == SW_OK)
            json_array_append_new(*items, d);
        else if (rc == SW_NOTFOUND)
            rc = SW_OK;
    }
    freeReplyObject(r);
    if (rc != SW_OK) {
        json_decref(*items);
        *items = NULL;
    }
    return rc;
}

static int hset(struct sw_store *s, long long sub, long long id, int argc, const char **argv)
{
    char doc[64], when[32];
    const char *a[16];
    redisReply *r;
    int i, rc;

    keys(sub, id, doc, sizeof(doc), NULL, 0, NULL, 0);
    a[0] = "HSET";
    a[1] = doc;
    for (i = 0; i < argc && i < 12; i++)
        a[2 + i] = argv[i];
    a[2 + i] = "updated_at";
    a[3 + i] = sw_iso8601(sw_now_ms(), when, sizeof(when));
    if ((r = sw_store_cmdv(s, 4 + i, a, NULL)) == NULL)
        return SW_EAGAIN;
    rc = r->type == REDIS_REPLY_ERROR ? SW_ERR : SW_OK;
    if (rc != SW_OK)
        sw_strlcpy(s->errstr, r->str, sizeof(s->errstr));
    freeReplyObject(r);
    return rc;
}

int sw_screening_progress(struct sw_store *s, long long sub, long long id, size_t done,
                          size_t total)
{
    char d[24], t[24];
    const char *a[] = { "status", "running", "done", d, "total", t };

    snprintf(d, sizeof(d), "%zu", done);
    snprintf(t, sizeof(t), "%zu", total);
    return hset(s, sub, id, 6, a);
}

int sw_screening_finish(struct sw_store *s, long long sub, long long id, const json_t *result,
                        const char *error)
{
    char *text = result != NULL ? sw_json_dumps(result) : NULL;
    int rc;

    if (error != NULL) {
        const char *a[] = { "status", "failed", "error", error };

        rc = hset(s, sub, id, 4, a);
    } else if (text == NULL) {
        return fail_oom(s);
    } else {
        const char *a[] = { "status", "done", "result", text };

        rc = hset(s, sub, id, 4, a);
    }
    free(text);
    return rc;
}

/* --- one query ------------------------------------------------------------------------------ */

static int status_rank(const json_t *c)
{
    const char *st = json_string_value(json_object_get(json_object_get(c, "record"), "status"));

    if (st == NULL)
        return 2;
    return strcmp(st, "live") == 0 ? 0 : strcmp(st, "dead") == 0 ? 3 : 1;
}

static int conflict_order(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    double sx = json_number_value(json_object_get(x, "score"));
    double sy = json_number_value(json_object_get(y, "score"));
    int fx = json_is_true(json_object_get(json_object_get(x, "owner"), "frequent"));
    int fy = json_is_true(json_object_get(json_object_get(y, "owner"), "frequent"));

    if (sx != sy)
        return sx > sy ? -1 : 1;
    if (status_rank(x) != status_rank(y))
        return status_rank(x) - status_rank(y);
    return fy - fx;
}

void sw_screening_rank(json_t *conflicts)
{
    size_t n = json_array_size(conflicts), i;
    json_t **v;

    if (n < 2 || (v = malloc(n * sizeof(*v))) == NULL)
        return;
    for (i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(conflicts, i));
    qsort(v, n, sizeof(*v), conflict_order);
    json_array_clear(conflicts);
    for (i = 0; i < n; i++)
        json_array_append_new(conflicts, v[i]);
    free(v);
}

/* The record as a conflict shows it. New reference. */
static json_t *record_view(const json_t *rec)
{
    static const char *const keep[] = { "office", "number", "mark", "status", "owners",
                                        "classes", "dates", "url" };
    json_t *o = json_object();
    size_t i;

    for (i = 0; o != NULL && i < sizeof(keep) / sizeof(keep[0]); i++) {
        json_t *v = json_object_get(rec, keep[i]);

        if (v != NULL)
            json_object_set(o, keep[i], v);
    }
    return o;
}

/* The owner's litigation record, through the cache. Borrowed (null when none). */
static json_t *owner_of(struct sw_store *s, const json_t *rec, json_t *owners, int *rc)
{
    const char *name = json_string_value(json_object_get(json_array_get(json_object_get(rec,
                                                                                       "owners"),
                                                                       0),
                                                         "name"));
    json_t *sum = NULL;

    if (name == NULL || name[0] == '\0')
        return json_null();
    if ((sum = json_object_get(owners, name)) != NULL)
        return sum;
    if ((*rc = sw_register_party_summary(s, name, &sum)) != SW_OK)
        return json_null();
    json_object_set_new(owners, name, sum ? sum : json_null());
    return json_object_get(owners, name);
}

int sw_screening_find(struct sw_store *s, struct sw_regidx *ix, const char *kind,
                      const char *text, uint64_t classes, uint64_t offices, size_t max,
                      int live_only, int64_t seen_until_ms, json_t *owners, json_t *conflicts)
{
    struct sw_regidx_hit hits[SW_SCREEN_HITS_MAX];
    size_t n, i;
    int rc;

    if (max > SW_SCREEN_HITS_MAX)
        max = SW_SCREEN_HITS_MAX;
    rc = sw_regidx_query(ix, text, strcmp(kind, "name") == 0 ? SW_NORM_NAME : SW_NORM_MARK,
                         classes, offices, SW_MATCH_THRESHOLD, hits, max, &n, NULL);
    if (rc != SW_OK)
        return rc;
    for (i = 0; i < n; i++) {
        json_t *rec = NULL, *c;
        const char *st;

        rc = sw_register_mark_by_rid(s, hits[i].rid, &rec);
        if (rc == SW_NOTFOUND)
            continue;   /* gone since it was indexed: the changes stream will say so */
        if (rc != SW_OK)
            return rc;
        st = json_string_value(json_object_get(rec, "status"));
        if ((live_only && st != NULL && strcmp(st, "dead") == 0) ||
            (seen_until_ms > 0 && json_integer_value(json_object_get(rec, "seen")) > seen_until_ms)) {
            json_decref(rec);
            continue;
        }
        c = json_pack("{s:{s:s, s:s}, s:o, s:f, s:{s:s, s:s}, s:O}", "query", "kind", kind,
                      "text", text, "record", record_view(rec), "score",
                      (double)(int)(hits[i].score * 1000 + 0.5) / 1000, "reasons", "key",
                      hits[i].key, "why", hits[i].why, "owner", owner_of(s, rec, owners, &rc));
        json_decref(rec);
        if (rc != SW_OK) {
            json_decref(c);
            return rc;
        }
        if (c == NULL || json_array_append_new(conflicts, c) != 0)
            return fail_oom(s);
    }
    return SW_OK;
}

/* --- the screener's own keys and streams ----------------------------------------------------- */

int sw_screening_alive(struct sw_store *s, const char *me, size_t marks)
{
    sw_key_t key = swk_scr_alive(me);
    char val[96], when[32];
    redisReply *r;

    snprintf(val, sizeof(val), "%s marks=%zu", sw_iso8601(sw_now_ms(), when, sizeof(when)),
             marks);
    if ((r = sw_store_cmd(s, "SET", key.s, val, "EX", "60", NULL)) == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}
