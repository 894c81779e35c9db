/* associations.c — associations, their members' consent, and matters (seawall/associations.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/alerts.h"
#include "seawall/associations.h"
#include "seawall/config.h"
#include "seawall/keys.h"
#include "seawall/log.h"
#include "seawall/portfolio.h"
#include "seawall/shows.h"
#include "seawall/store.h"

const char *const sw_assoc_shares[] = { "alerts", "cases", "none", NULL };
const char *const sw_assoc_forwards[] = { "none", "affected", NULL };

static const struct sw_jfield association_fields[] = {
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "country", SW_J_STRING, SW_JF_REQUIRED | SW_JF_COUNTRY, 2, 2, NULL },
    { "email", SW_J_STRING, SW_JF_REQUIRED | SW_JF_EMAIL, 3, 254, NULL },
    { "sector", SW_J_STRING, 0, 0, 200, NULL },
    { "forward_to_members", SW_J_STRING, 0, 1, 16, sw_assoc_forwards },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* The id sequence is the subscribers': an association's id is its subscriber's. */
const struct sw_kind sw_kind_association = {
    .name = "association", .doc_key = swk_association, .index = swk_associations,
    .seq = swk_subscriber_seq,
    .fields = association_fields,
};

#define MATTERS swk_matters_all().s
#define ALERT_MATTER swk_alert_matter().s

static void members_key(long long a, char *out, size_t len)
{
    snprintf(out, len, "%s", swk_assoc_members(a).s);
}

static void assocs_key(long long sub, char *out, size_t len)
{
    snprintf(out, len, "%s", swk_sub_assocs(sub).s);
}

/* Runs one command whose reply is not needed: SW_OK, SW_EAGAIN or SW_ERR (refused). */
static int run1(struct sw_store *s, const char *const *argv, int argc)
{
    redisReply *r = sw_store_cmdv(s, argc, (const char **)argv, NULL);
    int rc = r == NULL ? SW_EAGAIN : r->type == REDIS_REPLY_ERROR ? SW_ERR : SW_OK;

    if (r != NULL)
        freeReplyObject(r);
    return rc;
}

static int rc_of(redisReply *r)
{
    if (r == NULL)
        return SW_EAGAIN;
    return r->type == REDIS_REPLY_ERROR ? SW_ERR : SW_OK;
}

int sw_assoc_create(struct sw_store *s, const json_t *in, json_t **out)
{
    json_t *sub_in, *sub = NULL, *doc, *mark;
    char key[96], idtxt[32], when[32];
    const char *set[3], *zadd[4];
    sw_key_t aidx = swk_associations();
    int rc;
    char *text;
    long long id;

    /* The subscriber that carries the sector watch: the association's own name and address. */
    sub_in = json_pack("{s:O, s:O, s:O}", "name", json_object_get(in, "name"), "country",
                       json_object_get(in, "country"), "email", json_object_get(in, "email"));
    if (sub_in == NULL)
        return SW_ERR;
    rc = sw_doc_create(s, &sw_kind_subscriber, sub_in, 0, &sub);
    json_decref(sub_in);
    if (rc != SW_OK)
        return rc;
    id = json_integer_value(json_object_get(sub, "id"));
    mark = json_pack("{s:I}", "association_id", (json_int_t)id);
    json_decref(sub);
    sub = NULL;
    rc = mark ? sw_doc_patch(s, &sw_kind_subscriber, id, mark, &sub) : SW_ERR;
    json_decref(mark);
    json_decref(sub);
    if (rc != SW_OK)
        return rc;

    doc = json_deep_copy(in);
    if (doc == NULL)
        return SW_ERR;
    json_object_set_new(doc, "id", json_integer(id));
    if (json_object_get(doc, "forward_to_members") == NULL)
        json_object_set_new(doc, "forward_to_members", json_string("none"));
    json_object_set_new(doc, "created_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                   sizeof(when))));
    text = sw_json_dumps(doc);
    if (text == NULL) {
        json_decref(doc);
        return SW_ERR;
    }
    sw_doc_key(&sw_kind_association, id, key, sizeof(key));
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    /* The index first, then the document (each its own slot): a crash between them leaves an
     * index entry naming a missing association, which readers skip (batch_load). */
    set[0] = "SET"; set[1] = key; set[2] = text;
    zadd[0] = "ZADD"; zadd[1] = aidx.s; zadd[2] = idtxt; zadd[3] = idtxt;
    rc = run1(s, zadd, 4);
    if (rc == SW_OK)
        rc = run1(s, set, 3);
    free(text);
    if (rc != SW_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return SW_OK;
}

/* --- membership -------------------------------------------------------------------------- */

/* Membership lives in the association's members hash (its slot); the member's own hash of
 * associations is an index beside it (the member's slot), added to before the members hash
 * changes and taken from after (HSETNX / HSET / HDEL, one command each). A crash between the
 * two leaves an index entry without a record, or one whose status is stale: sw_assoc_of reads
 * each record from the members hash and leaves those out. */

/* KEYS: members. ARGV: sub, record. 0 when sub has a record already. */
static const char invite_lua[] =
    "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end "
    "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) "
    "return 1";

/* KEYS: members. ARGV: sub, share, now. The new record, or nil. */
static const char consent_lua[] =
    "local t = redis.call('HGET', KEYS[1], ARGV[1]) "
    "if not t then return false end "
    "local m = cjson.decode(t) "
    "m.share = ARGV[2] "
    "if m.status ~= 'member' then m.status = 'member' m.joined_at = ARGV[3] end "
    "m.updated_at = ARGV[3] "
    "t = cjson.encode(m) "
    "redis.call('HSET', KEYS[1], ARGV[1], t) "
    "return t";

/* KEYS: members. ARGV: sub. 0 when there was no record. */
static const char leave_lua[] =
    "return redis.call('HDEL', KEYS[1], ARGV[1])";

int sw_assoc_invite(struct sw_store *s, long long a, long long sub, json_t **out)
{
    char mk[SW_KEY_BYTES], ak[SW_KEY_BYTES], subtxt[32], atxt[32], when[32];
    const char *keys[1], *args[2];
    json_t *rec;
    char *text;
    long long n;
    int rc;

    rec = json_pack("{s:I, s:s, s:s, s:s}", "subscriber", (json_int_t)sub, "status", "invited",
                    "share", "none", "invited_at", sw_iso8601(sw_now_ms(), when, sizeof(when)));
    text = rec ? sw_json_dumps(rec) : NULL;
    if (text == NULL) {
        json_decref(rec);
        return SW_ERR;
    }
    members_key(a, mk, sizeof(mk));
    assocs_key(sub, ak, sizeof(ak));
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    snprintf(atxt, sizeof(atxt), "%lld", a);
    keys[0] = mk;
    args[0] = subtxt; args[1] = text;
    {
        const char *hsetnx[] = { "HSETNX", ak, atxt, "invited" };

        rc = run1(s, hsetnx, 4);
    }
    if (rc == SW_OK)
        rc = sw_store_eval_int(s, invite_lua, 1, keys, 2, args, &n);
    free(text);
    if (rc == SW_OK && n == 0)
        rc = SW_CONFLICT;
    if (rc != SW_OK) {
        json_decref(rec);
        return rc;
    }
    *out = rec;
    return SW_OK;
}

int sw_assoc_consent(struct sw_store *s, long long a, long long sub, const char *share,
                     json_t **out)
{
    char mk[SW_KEY_BYTES], ak[SW_KEY_BYTES], subtxt[32], atxt[32], when[32];
    const char *keys[1], *args[3];
    const char *hset[] = { "HSET", ak, atxt, "member" };
    redisReply *r;
    int rc;

    members_key(a, mk, sizeof(mk));
    assocs_key(sub, ak, sizeof(ak));
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    snprintf(atxt, sizeof(atxt), "%lld", a);
    keys[0] = mk;
    args[0] = subtxt; args[1] = share;
    args[2] = sw_iso8601(sw_now_ms(), when, sizeof(when));
    r = sw_store_eval(s, consent_lua, 1, keys, 3, args);
    if ((rc = rc_of(r)) != SW_OK) {
        if (r != NULL)
            freeReplyObject(r);
        return rc;
    }
    if (r->type != REDIS_REPLY_STRING) {
        freeReplyObject(r);
        return SW_NOTFOUND;
    }
    *out = json_loadb(r->str, r->len, 0, NULL);
    freeReplyObject(r);
    if (*out == NULL)
        return SW_ERR;
    if ((rc = run1(s, hset, 4)) != SW_OK) {   /* the index's status, after the record */
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int sw_assoc_leave(struct sw_store *s, long long a, long long sub)
{
    char mk[SW_KEY_BYTES], ak[SW_KEY_BYTES], subtxt[32], atxt[32];
    const char *keys[1], *args[1];
    const char *hdel[] = { "HDEL", ak, atxt };
    long long n;
    int rc;

    members_key(a, mk, sizeof(mk));
    assocs_key(sub, ak, sizeof(ak));
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    snprintf(atxt, sizeof(atxt), "%lld", a);
    keys[0] = mk;
    args[0] = subtxt;
    rc = sw_store_eval_int(s, leave_lua, 1, keys, 1, args, &n);
    if (rc == SW_OK)   /* the index entry goes after the record, also when it had none */
        rc = run1(s, hdel, 3) == SW_OK ? (n == 0 ? SW_NOTFOUND : SW_OK) : SW_EAGAIN;
    return rc;
}

/* HGETALL key into an object; JSON values decoded when json, else kept as strings. */
static int hash_object(struct sw_store *s, const char *key, int json, json_t **out)
{
    redisReply *r = sw_store_cmd(s, "HGETALL", key, NULL);
    json_t *o;
    size_t i;

    if (r == NULL)
        return SW_EAGAIN;
    o = json_object();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *v = r->element[i + 1];
        json_t *val;

        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
            continue;
        val = json ? json_loadb(v->str, v->len, 0, NULL) : json_stringn(v->str, v->len);
        if (val != NULL)
            json_object_set_new(o, k->str, val);
    }
    freeReplyObject(r);
    *out = o;
    return SW_OK;
}

int sw_assoc_members(struct sw_store *s, long long a, json_t **out)
{
    char mk[SW_KEY_BYTES];

    members_key(a, mk, sizeof(mk));
    return hash_object(s, mk, 1, out);
}

int sw_assoc_of(struct sw_store *s, long long sub, json_t **out)
{
    char ak[SW_KEY_BYTES], mk[SW_KEY_BYTES];
    json_t *ids, *o, *rec, *v;
    const char *k;
    int rc;

    assocs_key(sub, ak, sizeof(ak));
    rc = hash_object(s, ak, 0, &ids);
    if (rc != SW_OK)
        return rc;
    o = json_object();
    json_object_foreach(ids, k, v) {
        redisReply *r;
        char subtxt[32];

        members_key(strtoll(k, NULL, 10), mk, sizeof(mk));
        snprintf(subtxt, sizeof(subtxt), "%lld", sub);
        r = sw_store_cmd(s, "HGET", mk, subtxt, NULL);
        if (r == NULL) {
            json_decref(ids);
            json_decref(o);
            return SW_EAGAIN;
        }
        rec = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
        freeReplyObject(r);
        if (rec != NULL)
            json_object_set_new(o, k, rec);
    }
    json_decref(ids);
    *out = o;
    return SW_OK;
}

enum sw_assoc_share sw_assoc_share_of(const json_t *record)
{
    const char *status = json_string_value(json_object_get(record, "status"));
    const char *share = json_string_value(json_object_get(record, "share"));

    if (status == NULL || share == NULL || strcmp(status, "member") != 0)
        return SW_SHARE_NOTHING;
    if (strcmp(share, "cases") == 0)
        return SW_SHARE_CASES;
    if (strcmp(share, "alerts") == 0)
        return SW_SHARE_ALERTS;
    return SW_SHARE_NOTHING;
}

static int cmp_ll(const void *x, const void *y)
{
    long long a = *(const long long *)x, b = *(const long long *)y;

    return (a > b) - (a < b);
}

int sw_assoc_sharing(struct sw_store *s, long long a, enum sw_assoc_share least, json_t **out)
{
    json_t *members, *rec, *list;
    long long *ids;
    const char *k;
    size_t n = 0, i;
    int rc = sw_assoc_members(s, a, &members);

    if (rc != SW_OK)
        return rc;
    ids = calloc(json_object_size(members) + 1, sizeof(*ids));
    if (ids == NULL) {
        json_decref(members);
        return SW_ERR;
    }
    json_object_foreach(members, k, rec)
        if (sw_assoc_share_of(rec) >= least && least > SW_SHARE_NOTHING)
            ids[n++] = strtoll(k, NULL, 10);
    qsort(ids, n, sizeof(*ids), cmp_ll);
    list = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(list, json_integer(ids[i]));
    free(ids);
    json_decref(members);
    *out = list;
    return SW_OK;
}

/* --- matters ----------------------------------------------------------------------------- */

void sw_matter_key(const json_t *event, char *out, size_t outlen)
{
    const json_t *nums = json_object_get(event, "numbers");
    const char *inv = json_string_value(json_object_get(nums, "investigation"));
    const char *docket = json_string_value(json_object_get(nums, "docket"));
    const char *court = json_string_value(json_object_get(nums, "court"));

    if (inv != NULL && *inv)
        snprintf(out, outlen, "inv:%.200s", inv);
    else if (docket != NULL && *docket)
        snprintf(out, outlen, "docket:%.60s:%.200s", court ? court : "", docket);
    else
        snprintf(out, outlen, "event:%.400s",
                 json_string_value(json_object_get(event, "id")) ?: "");
}

int sw_matter_get(struct sw_store *s, long long id, json_t **doc, json_t **subs)
{
    char key[SW_KEY_BYTES], skey[SW_KEY_BYTES];
    redisReply *r;
    int rc;

    snprintf(key, sizeof(key), "%s", swk_matter(id).s);
    r = sw_store_cmd(s, "GET", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type != REDIS_REPLY_STRING) {
        freeReplyObject(r);
        return SW_NOTFOUND;
    }
    *doc = json_loadb(r->str, r->len, 0, NULL);
    freeReplyObject(r);
    if (*doc == NULL)
        return SW_ERR;
    if (subs == NULL)
        return SW_OK;
    snprintf(skey, sizeof(skey), "%s", swk_matter_subs(id).s);
    rc = hash_object(s, skey, 0, subs);
    if (rc != SW_OK) {
        json_decref(*doc);
        *doc = NULL;
    }
    return rc;
}

int sw_matter_ids(struct sw_store *s, long long a, int limit, json_t **ids)
{
    char key[SW_KEY_BYTES], lim[16];
    redisReply *r;
    json_t *list;
    size_t i;

    if (a > 0)
        snprintf(key, sizeof(key), "%s", swk_assoc_matters(a).s);
    else
        sw_strlcpy(key, MATTERS, sizeof(key));
    snprintf(lim, sizeof(lim), "%d", limit > 0 ? limit - 1 : -1);
    r = sw_store_cmd(s, "ZREVRANGE", key, "0", lim, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    list = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
        json_array_append_new(list, json_integer(sw_reply_int(r->element[i], 0)));
    freeReplyObject(r);
    *ids = list;
    return SW_OK;
}

json_t *sw_matter_of_case(struct sw_store *s, const json_t *case_doc)
{
    const json_t *v;
    size_t i;

    json_array_foreach(json_object_get(case_doc, "alerts"), i, v) {
        redisReply *r;
        long long id;
        json_t *doc, *out;

        if (!json_is_string(v))
            continue;
        r = sw_store_cmd(s, "HGET", ALERT_MATTER, json_string_value(v), NULL);
        if (r == NULL)
            return NULL;
        id = r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : 0;
        freeReplyObject(r);
        if (id <= 0 || sw_matter_get(s, id, &doc, NULL) != SW_OK)
            continue;
        out = json_pack("{s:I, s:O}", "id", (json_int_t)id, "title",
                        json_object_get(doc, "title"));
        json_decref(doc);
        return out;
    }
    return NULL;
}

/* --- the matcher's part ------------------------------------------------------------------ */

/* Loads every association with its members into b (once per batch). */
static int batch_load(struct sw_store *s, struct sw_assoc_batch *b)
{
    redisReply *r;
    size_t i;
    int rc = SW_OK;

    if (b->loaded)
        return SW_OK;
    r = sw_store_cmd(s, "ZRANGE", swk_associations().s, "0", "-1", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    b->assocs = json_object();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements && rc == SW_OK; i++) {
        long long a = sw_reply_int(r->element[i], 0);
        json_t *doc = NULL, *members = NULL;

        rc = sw_doc_get(s, &sw_kind_association, a, &doc);
        if (rc == SW_NOTFOUND) {
            rc = SW_OK;
            continue;
        }
        rc = rc ?: sw_assoc_members(s, a, &members);
        if (rc == SW_OK)
            json_object_set_new(b->assocs, r->element[i]->str,
                                json_pack("{s:o, s:o}", "doc", doc, "members", members));
        else
            json_decref(doc);
    }
    freeReplyObject(r);
    if (rc != SW_OK) {
        json_decref(b->assocs);
        b->assocs = NULL;
        return rc;
    }
    b->loaded = 1;
    return SW_OK;
}

void sw_assoc_batch_free(struct sw_assoc_batch *b)
{
    json_decref(b->assocs);
    b->assocs = NULL;
    b->loaded = 0;
}

/* 1 when country is one of sub's markets or of its portfolio items' countries. */
static int member_watches(struct sw_store *s, long long sub, const char *country, int *rc)
{
    json_t *profile = NULL, *items = NULL, *it, *c;
    long long next;
    size_t i, j;
    int yes = 0;

    *rc = sw_doc_get(s, &sw_kind_subscriber, sub, &profile);
    if (*rc == SW_NOTFOUND) {
        *rc = SW_OK;
        return 0;
    }
    if (*rc != SW_OK)
        return 0;
    json_array_foreach(json_object_get(profile, "markets"), j, c)
        if (strcmp(json_string_value(c) ?: "", country) == 0)
            yes = 1;
    json_decref(profile);
    if (yes)
        return 1;
    *rc = sw_portfolio_list(s, sub, 0, 0, NULL, &items, &next);
    if (*rc != SW_OK)
        return 0;
    json_array_foreach(items, i, it)
        json_array_foreach(json_object_get(it, "countries"), j, c)
            if (strcmp(json_string_value(c) ?: "", country) == 0)
                yes = 1;
    json_decref(items);
    return yes;
}

/* A copy of the association's alert for member sub: no items of the member's matched, the
 * association named as who sent it on. */
static int forward(struct sw_store *s, const struct sw_config *cfg, const json_t *assoc,
                   const json_t *event, long long sub, const char *severity, int *stored)
{
    const char *eid = json_string_value(json_object_get(event, "id"));
    json_t *a, *ev;
    int rc, got = 0;

    /* A fair incident names its parties to them alone (as the matcher's own alerts do). */
    if (strcmp(json_string_value(json_object_get(event, "type")) ?: "", "show_incident") == 0)
        ev = sw_incident_event_public(event);
    else
        ev = json_deep_copy(event);
    if (ev == NULL)
        return SW_ERR;
    a = json_pack("{s:s, s:s, s:o, s:{s:O, s:O}}", "severity", severity ? severity : "medium",
                  "rule", "association-forward", "event", ev, "forwarded_by", "association",
                  json_object_get(assoc, "id"), "name", json_object_get(assoc, "name"));
    if (a == NULL)
        return SW_ERR;
    sw_alert_stamp(a, sub, eid);
    rc = sw_alert_store(s, cfg, sub, a, &got);
    json_decref(a);
    if (rc == SW_OK && got)
        (*stored)++;
    return rc;
}

static const char *eid_of(const json_t *event)
{
    return json_string_value(json_object_get(event, "id")) ?: "";
}

/* Links alert ids of subs (object sub -> alert id) to association a's matter for event. */
/* Files event's alerts (subs: subscriber -> alert id) under the joint matter of association a
 * that event's key names, making the matter when two members or more are concerned. Steps,
 * each one slot: the key's claim (SET NX, so two matchers make one matter), the indexes (every
 * matter, the association's), the matter's document (SET NX), then each member's alert and the
 * alert's matter (HSETNX). A crash after the claim leaves a key naming a missing matter: the
 * next event of that key (or the same event again) writes it; readers skip a missing one. */
static int link_matter(struct sw_store *s, long long a, const json_t *event, json_t *subs)
{
    char key[600], mkey[SW_KEY_BYTES], skey[SW_KEY_BYTES], akey[SW_KEY_BYTES];
    char idtxt[32], when[32];
    sw_matter_key_t full;
    const char *k;
    json_t *v, *doc;
    redisReply *r;
    long long id;
    char *text;
    int rc = SW_OK, claimed = 0;

    sw_matter_key(event, key, sizeof(key));
    full = swk_matter_by_key(a, key);
    r = sw_store_cmd(s, "GET", full.s, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    id = r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : 0;
    freeReplyObject(r);
    if (id == 0) {
        if (json_object_size(subs) < 2)
            return SW_OK;   /* one member alone is no joint matter */
        r = sw_store_cmd(s, "INCR", swk_matter_seq().s, NULL);
        if (r == NULL)
            return SW_EAGAIN;
        id = sw_reply_int(r, 0);
        freeReplyObject(r);
        snprintf(idtxt, sizeof(idtxt), "%lld", id);
        r = sw_store_cmd(s, "SET", full.s, idtxt, "NX", NULL);
        if (r == NULL)
            return SW_EAGAIN;
        claimed = r->type == REDIS_REPLY_STATUS;
        freeReplyObject(r);
        if (!claimed) {   /* another matcher made it meanwhile */
            r = sw_store_cmd(s, "GET", full.s, NULL);
            if (r == NULL)
                return SW_EAGAIN;
            id = r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : 0;
            freeReplyObject(r);
            if (id == 0)
                return SW_ERR;
        }
    }
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    snprintf(mkey, sizeof(mkey), "%s", swk_matter(id).s);
    if (!claimed) {   /* made before: written unless its maker ended after the claim */
        r = sw_store_cmd(s, "EXISTS", mkey, NULL);
        if (r == NULL)
            return SW_EAGAIN;
        claimed = sw_reply_int(r, 1) == 0;
        freeReplyObject(r);
    }
    if (claimed) {
        const json_t *nums = json_object_get(event, "numbers");
        const json_t *docket = json_object_get(nums, "investigation");

        if (docket == NULL)
            docket = json_object_get(nums, "docket");
        doc = json_pack("{s:I, s:I, s:s, s:s, s:s, s:O?, s:O?, s:O?, s:s}",
                        "id", (json_int_t)id, "association", (json_int_t)a,
                        "title", json_string_value(json_object_get(event, "title")) ?: "",
                        "key", key, "event_id", eid_of(event), "docket", docket,
                        "jurisdiction", json_object_get(event, "jurisdiction"),
                        "type", json_object_get(event, "type"),
                        "created_at", sw_iso8601(sw_now_ms(), when, sizeof(when)));
        text = doc ? sw_json_dumps(doc) : NULL;
        json_decref(doc);
        if (text == NULL)
            return SW_ERR;
        snprintf(akey, sizeof(akey), "%s", swk_assoc_matters(a).s);
        {
            sw_key_t all = swk_matters_all();
            const char *z1[] = { "ZADD", all.s, idtxt, idtxt };
            const char *z2[] = { "ZADD", akey, idtxt, idtxt };
            const char *set[] = { "SET", mkey, text, "NX" };

            rc = run1(s, z1, 4);
            if (rc == SW_OK)
                rc = run1(s, z2, 4);
            if (rc == SW_OK)
                rc = run1(s, set, 4);
        }
        free(text);
        if (rc != SW_OK)
            return rc;
    }
    snprintf(skey, sizeof(skey), "%s", swk_matter_subs(id).s);
    json_object_foreach(subs, k, v) {
        r = sw_store_cmd(s, "HSETNX", skey, k, json_string_value(v), NULL);
        if ((rc = rc_of(r)) == SW_OK) {
            freeReplyObject(r);
            r = sw_store_cmd(s, "HSETNX", ALERT_MATTER, json_string_value(v), idtxt, NULL);
            rc = rc_of(r);
        }
        if (r != NULL)
            freeReplyObject(r);
        if (rc != SW_OK)
            return rc;
    }
    return SW_OK;
}

int sw_matter_notice_seq(struct sw_store *s, long long id, long long *seq)
{
    return sw_store_incr(s, swk_matter_notices(id).s, seq);
}

/* The event's hash (swk_assoc_event) lives this long (s) while a partition has not said it is
 * done with the event (a matcher down that long loses its part of the forwarding), and this
 * long once every one has (past the longest matcher.claim_idle_ms, so a retry still finds it). */
#define EVENT_OPEN_TTL "604800"
#define EVENT_DONE_TTL "172800"

/* KEYS: the event's hash. ARGV: partitions, open ttl, done ttl, then field, value pairs. Sets
 * the fields and answers the whole hash (HGETALL); its lifetime is the done one once it has
 * a "p:" field per partition. */
static const char event_lua[] =
    "for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end "
    "local all = redis.call('HGETALL', KEYS[1]) "
    "local done = 0 "
    "for i = 1, #all, 2 do "
    "  if string.sub(all[i], 1, 2) == 'p:' then done = done + 1 end "
    "end "
    "redis.call('EXPIRE', KEYS[1], done >= tonumber(ARGV[1]) and ARGV[3] or ARGV[2]) "
    "return all";

/* What this partition's hits tell the associations (b loaded): "m:<sub>" for each hit that is
 * in an association's members hash, "a:<A>" = severity for each association hit. */
static json_t *own_fields(const struct sw_assoc_batch *b, const long long *hits,
                          const char *const *severities, size_t n)
{
    json_t *o = json_object(), *entry;
    const char *ak;
    size_t i;

    for (i = 0; o != NULL && i < n; i++) {
        char subtxt[32], f[40];

        snprintf(subtxt, sizeof(subtxt), "%lld", hits[i]);
        if (json_object_get(b->assocs, subtxt) != NULL) {
            snprintf(f, sizeof(f), "a:%s", subtxt);
            json_object_set_new(o, f, json_string(severities[i] ? severities[i] : "medium"));
        }
        json_object_foreach(b->assocs, ak, entry)
            if (json_object_get(json_object_get(entry, "members"), subtxt) != NULL) {
                snprintf(f, sizeof(f), "m:%s", subtxt);
                json_object_set_new(o, f, json_string("1"));
                break;
            }
    }
    return o;
}

/* Adds mine (field -> string) to the event's hash and answers the whole hash in *seen
 * (caller decrefs) with *done the number of partitions done with the event. */
static int event_share(struct sw_store *s, const char *eid, int partitions, json_t *mine,
                       json_t **seen, int *done)
{
    sw_matter_key_t key = swk_assoc_event(eid);
    char parts[16];
    const char *keys[1], **args;
    const char *f;
    json_t *v, *o;
    redisReply *r;
    size_t i, nargs = 3;
    int rc;

    args = calloc(3 + 2 * json_object_size(mine), sizeof(*args));
    if (args == NULL)
        return SW_ERR;
    snprintf(parts, sizeof(parts), "%d", partitions);
    keys[0] = key.s;
    args[0] = parts;
    args[1] = EVENT_OPEN_TTL;
    args[2] = EVENT_DONE_TTL;
    json_object_foreach(mine, f, v) {
        args[nargs++] = f;
        args[nargs++] = json_string_value(v);
    }
    r = sw_store_eval(s, event_lua, 1, keys, (int)nargs, args);
    free(args);
    if ((rc = rc_of(r)) != SW_OK) {
        if (r != NULL)
            freeReplyObject(r);
        return rc;
    }
    o = json_object();
    *done = 0;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *val = r->element[i + 1];

        if (k->type != REDIS_REPLY_STRING || val->type != REDIS_REPLY_STRING)
            continue;
        json_object_set_new(o, k->str, json_stringn(val->str, val->len));
        if (strncmp(k->str, "p:", 2) == 0)
            (*done)++;
    }
    freeReplyObject(r);
    *seen = o;
    return SW_OK;
}

/* Matters and forwarding must come out the same whatever the number of matcher partitions,
 * though each partition's matcher sees only its own subscribers' hits. So each partition
 * writes what its hits tell the associations into the event's hash (swk_assoc_event), one
 * script in the event's slot that answers everything every partition wrote so far:
 *   - matters: a partition whose hits concern an association's sharing members links every
 *     member the hash names (link_matter: made at two, extended after). The hash only grows
 *     and the script is atomic, so the last partition to add a member sees them all;
 *   - forwarding needs to know who was NOT alerted, which only every partition together
 *     knows: each partition adds "p:<P>" (done) for an event with a jurisdiction, after all
 *     its own alerts of the event are stored, and the call that finds every partition done
 *     forwards. Every member alerted by its own portfolio is then named in the hash and
 *     skipped; one whose own alert was stored anyway holds it under the same alert id
 *     (sw_alert_id: subscriber and event), so a copy never replaces it nor comes twice.
 * With one partition the hash is not written: the hits are all there is.
 * Steps, in order, each one slot: the event's hash (idempotent: the same fields again), then
 * link_matter's steps, then each forwarded copy (sw_alert_store: the alert, then its
 * announcement). A crash between them leaves the event unacknowledged; its retry writes the
 * same fields, finds at least as much and redoes what follows, every part idempotent (a
 * retry after the last partition finds every partition done, and forwards again: the copies
 * already stored change nothing). */
int sw_assoc_event(struct sw_store *s, const struct sw_config *cfg, struct sw_assoc_batch *b,
                   const json_t *event, const long long *hits, const char *const *severities,
                   size_t n, int *stored)
{
    const char *eid = json_string_value(json_object_get(event, "id"));
    const char *country = json_string_value(json_object_get(event, "jurisdiction"));
    int partitions = (int)sw_config_int(cfg, "matcher.partitions");
    int partition = (int)sw_config_int(cfg, "matcher.partition");
    json_t *mine = NULL, *seen = NULL, *entry;
    const char *ak;
    int rc, done = 1;

    if (eid == NULL || (n == 0 && (partitions <= 1 || country == NULL)))
        return SW_OK;
    if ((rc = batch_load(s, b)) != SW_OK)
        return rc;
    if (json_object_size(b->assocs) == 0)
        return SW_OK;
    if ((mine = own_fields(b, hits, severities, n)) == NULL)
        return SW_ERR;
    if (partitions > 1) {
        if (country != NULL) {
            char f[24];

            snprintf(f, sizeof(f), "p:%d", partition);
            json_object_set_new(mine, f, json_string("1"));
        }
        if (json_object_size(mine) == 0) {
            json_decref(mine);
            return SW_OK;   /* nothing to tell, and no forwarding waits on us */
        }
        rc = event_share(s, eid, partitions, mine, &seen, &done);
        if (rc != SW_OK) {
            json_decref(mine);
            return rc;
        }
    } else {
        seen = json_incref(mine);
    }
    json_object_foreach(b->assocs, ak, entry) {
        long long a = strtoll(ak, NULL, 10);
        const json_t *doc = json_object_get(entry, "doc");
        const json_t *members = json_object_get(entry, "members");
        const char *fwd = json_string_value(json_object_get(doc, "forward_to_members"));
        const char *f, *sev;
        json_t *concerned = json_object(), *v, *rec;
        int ours = 0;
        char af[40];

        /* Its sharing members the event alerted, in any partition. */
        json_object_foreach(seen, f, v) {
            char id[40];

            if (strncmp(f, "m:", 2) != 0 ||
                sw_assoc_share_of(json_object_get(members, f + 2)) < SW_SHARE_ALERTS)
                continue;
            sw_alert_id(strtoll(f + 2, NULL, 10), eid, id, sizeof(id));
            json_object_set_new(concerned, f + 2, json_string(id));
            ours |= json_object_get(mine, f) != NULL;
        }
        rc = ours ? link_matter(s, a, event, concerned) : SW_OK;
        json_decref(concerned);
        if (rc != SW_OK)
            break;
        /* Its alert, sent on to the members in the market that had none of their own. */
        snprintf(af, sizeof(af), "a:%lld", a);
        sev = json_string_value(json_object_get(seen, af));
        if (done < partitions || sev == NULL || country == NULL || fwd == NULL ||
            strcmp(fwd, "affected") != 0)
            continue;
        json_object_foreach((json_t *)members, f, rec) {
            char mf[40];

            if (strcmp(json_string_value(json_object_get(rec, "status")) ?: "", "member") != 0)
                continue;
            snprintf(mf, sizeof(mf), "m:%s", f);
            if (json_object_get(seen, mf) != NULL)
                continue;   /* it has its own alert of the event */
            if (member_watches(s, strtoll(f, NULL, 10), country, &rc) && rc == SW_OK)
                rc = forward(s, cfg, doc, event, strtoll(f, NULL, 10), sev, stored);
            if (rc != SW_OK)
                break;
        }
        if (rc != SW_OK)
            break;
    }
    json_decref(mine);
    json_decref(seen);
    return rc;
}
