/* follows.c — following single register records (seawall/follows.h): the follow list per
 * subscriber and the "followed" alerts a change of a followed record makes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/alerts.h"
#include "seawall/follows.h"
#include "seawall/keys.h"
#include "seawall/log.h"
#include "seawall/register.h"
#include "seawall/store.h"

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

int sw_follow_target(const json_t *f, char *out, size_t n)
{
    const char *kind = str(f, "kind") ?: "";

    if (strcmp(kind, "mark") == 0) {
        if (!sw_register_office_valid(str(f, "office")) ||
            !sw_register_number_valid(str(f, "number")))
            return SW_INVALID;
        snprintf(out, n, "mark:%s:%s", str(f, "office"), str(f, "number"));
        return SW_OK;
    }
    if (strcmp(kind, "docket") == 0 && str(f, "docket") != NULL) {
        char court[128], docket[128];

        sw_register_docket_norm(str(f, "court"), court, sizeof(court));
        sw_register_docket_norm(str(f, "docket"), docket, sizeof(docket));
        if (docket[0] == '\0')
            return SW_INVALID;
        snprintf(out, n, "docket:%s:%s", court, docket);
        return SW_OK;
    }
    return SW_INVALID;
}

static void keys_of(long long sub, char *follows, char *fkeys, size_t n)
{
    sw_strlcpy(follows, swk_follows(sub).s, n);
    sw_strlcpy(fkeys, swk_followkeys(sub).s, n);
}

/* KEYS: follows, followkeys. ARGV: target, doc, max, id. Returns {1, id} (added), {0, id}
 * (that target was followed already), {-1, ""} (at the limit). */
static const char add_lua[] =
    "local f = redis.call('HGET', KEYS[2], ARGV[1])\n"
    "if f then return {0, f} end\n"
    "if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return {-1, ''} end\n"
    "redis.call('HSET', KEYS[1], ARGV[4], ARGV[2])\n"
    "redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])\n"
    "return {1, ARGV[4]}\n";

/* SADD (add 1) or SREM (add 0) of member in the set of target's followers. */
static int target_set(struct sw_store *s, const char *target, const char *member, int add)
{
    sw_key_t tkey = swk_follow_target(target);
    redisReply *r = sw_store_cmd(s, add ? "SADD" : "SREM", tkey.s, member, NULL);

    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

/* Adds a follow in single-slot steps: a. "SUB:ID" in the target's followers sw:{flw}:t:TARGET
 * first, b. then the follow in the subscriber's hashes (one script in {sub:N}); when b finds
 * the target followed already (or the limit reached), the new id's entry is taken out again
 * and the existing follow's put in (which also repairs an entry lost before this order). A
 * crash between a and b leaves an entry naming no follow: the alerts skip it (sw_follow_get
 * finds nothing). SW_EAGAIN when no replica acknowledged the follow in time
 * (redis.wait_replicas; the follow may be there: adding it again answers it). */
int sw_follow_add(struct sw_store *s, long long sub, const json_t *f, long long max,
                  json_t **out, int *created)
{
    char target[SW_FOLLOW_TARGET_MAX], follows[64], fkeys[64], ids[24], maxs[24], when[32];
    char member[64];
    sw_key_t counter = swk_follow_counter();
    const char *keys[2], *args[4];
    json_t *doc;
    char *text;
    redisReply *r;
    long long id, got, had;
    int rc;

    *out = NULL;
    *created = 0;
    if (sw_follow_target(f, target, sizeof(target)) != SW_OK)
        return SW_INVALID;
    if ((r = sw_store_cmd(s, "INCR", counter.s, NULL)) == NULL)
        return SW_EAGAIN;
    id = sw_reply_int(r, 0);
    freeReplyObject(r);
    if (id <= 0) {
        sw_strlcpy(s->errstr, "INCR of the follow ids failed", sizeof(s->errstr));
        return SW_ERR;
    }
    snprintf(member, sizeof(member), "%lld:%lld", sub, id);
    if ((rc = target_set(s, target, member, 1)) != SW_OK)   /* a. */
        return rc;
    doc = json_deep_copy(f);
    json_object_set_new(doc, "id", json_integer(id));
    json_object_set_new(doc, "created_at",
                        json_string(sw_iso8601(sw_now_ms(), when, sizeof(when))));
    text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (text == NULL) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
        return SW_ERR;
    }
    keys_of(sub, follows, fkeys, sizeof(follows));
    snprintf(ids, sizeof(ids), "%lld", id);
    snprintf(maxs, sizeof(maxs), "%lld", max);
    keys[0] = follows;
    keys[1] = fkeys;
    args[0] = target;
    args[1] = text;
    args[2] = maxs;
    args[3] = ids;
    r = sw_store_eval(s, add_lua, 2, keys, 4, args);   /* b. */
    free(text);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
        sw_strlcpy(s->errstr, r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply",
                   sizeof(s->errstr));
        freeReplyObject(r);
        return SW_ERR;
    }
    got = sw_reply_int(r->element[0], -1);
    had = strtoll(sw_reply_str(r->element[1]) ?: "0", NULL, 10);
    freeReplyObject(r);
    if (got != 1) {   /* the new id is unused: its entry goes */
        if ((rc = target_set(s, target, member, 0)) != SW_OK)
            return rc;
        if (got < 0)
            return SW_TOOBIG;
        id = had;     /* and the existing follow's is made sure of */
        snprintf(member, sizeof(member), "%lld:%lld", sub, id);
        if ((rc = target_set(s, target, member, 1)) != SW_OK)
            return rc;
    }
    *created = got == 1;
    /* a follow is a standing request people rely on, as a portfolio item: acknowledged once
     * a replica has it (a retry finds it there and answers it) */
    if (sw_store_durable(s, follows) != SW_OK)
        return SW_EAGAIN;
    rc = sw_follow_get(s, sub, id, out);
    return rc == SW_NOTFOUND ? SW_EAGAIN : rc;
}

static int newest_first(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "id"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "id"));

    return x < y ? 1 : x > y ? -1 : 0;
}

int sw_follow_list(struct sw_store *s, long long sub, json_t **out)
{
    char follows[64], fkeys[64];
    redisReply *r;
    json_t **arr;
    size_t i, n;

    *out = NULL;
    keys_of(sub, follows, fkeys, sizeof(follows));
    if ((r = sw_store_cmd(s, "HVALS", follows, NULL)) == NULL)
        return SW_EAGAIN;
    n = r->type == REDIS_REPLY_ARRAY ? r->elements : 0;
    arr = calloc(n ? n : 1, sizeof(*arr));
    *out = json_array();
    for (i = 0; arr != NULL && i < n; i++)
        arr[i] = json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL) ?: json_object();
    if (arr != NULL) {
        qsort(arr, n, sizeof(*arr), newest_first);
        for (i = 0; i < n; i++)
            json_array_append_new(*out, arr[i]);
    }
    free(arr);
    freeReplyObject(r);
    return SW_OK;
}

int sw_follow_get(struct sw_store *s, long long sub, long long id, json_t **out)
{
    char follows[64], fkeys[64], ids[24];
    redisReply *r;

    *out = NULL;
    keys_of(sub, follows, fkeys, sizeof(follows));
    snprintf(ids, sizeof(ids), "%lld", id);
    if ((r = sw_store_cmd(s, "HGET", follows, ids, NULL)) == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_STRING)
        *out = json_loadb(r->str, r->len, 0, NULL);
    freeReplyObject(r);
    return *out != NULL ? SW_OK : SW_NOTFOUND;
}

/* Ends a follow: the subscriber's hashes first (one MULTI in {sub:N}), then its entry in the
 * target's followers. A crash between them leaves an entry naming no follow, which the
 * alerts skip. */
int sw_follow_delete(struct sw_store *s, long long sub, long long id)
{
    char follows[64], fkeys[64], ids[24], target[SW_FOLLOW_TARGET_MAX];
    char member[64];
    const char *a1[] = { "HDEL", follows, ids }, *a2[] = { "HDEL", fkeys, target };
    const char **argvs[] = { a1, a2 };
    int argcs[] = { 3, 3 };
    json_t *f;
    redisReply *r;
    int rc = sw_follow_get(s, sub, id, &f);

    if (rc != SW_OK)
        return rc;
    rc = sw_follow_target(f, target, sizeof(target));
    json_decref(f);
    keys_of(sub, follows, fkeys, sizeof(follows));
    snprintf(ids, sizeof(ids), "%lld", id);
    if (rc != SW_OK)
        target[0] = '\0';
    r = sw_store_multi(s, 2, argcs, argvs, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    if (target[0] == '\0')
        return SW_OK;
    snprintf(member, sizeof(member), "%lld:%lld", sub, id);
    return target_set(s, target, member, 0);
}

/* --- alerts ---------------------------------------------------------------------------------- */

/* Stores ev (the alert's event, whose id is per follow) for each follower of target; an entry
 * whose follow is gone (or not yet written) is skipped. */
static int alert_followers(struct sw_store *s, const struct sw_config *cfg, const char *target,
                           json_t *ev, const char *reason)
{
    sw_key_t tkey = swk_follow_target(target);
    redisReply *r = sw_store_cmd(s, "SMEMBERS", tkey.s, NULL);
    char base[400];   /* the source event's id: ev's "id" is replaced for each follower */
    size_t i;
    int rc = SW_OK;

    sw_strlcpy(base, str(ev, "id") ?: "", sizeof(base));

    if (r == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        const char *m = r->element[i]->str;
        long long sub = strtoll(m, NULL, 10), fid;
        const char *colon = strchr(m, ':');
        char evid[512];
        json_t *a, *f = NULL;
        int stored;

        if (colon == NULL || sub <= 0)
            continue;
        fid = strtoll(colon + 1, NULL, 10);
        if (sw_follow_get(s, sub, fid, &f) != SW_OK)
            continue;   /* ended meanwhile: its index entry goes with the next delete */
        json_decref(f);
        snprintf(evid, sizeof(evid), "followed:%lld:%s", fid, base);
        json_object_set_new(ev, "id", json_string(evid));
        json_object_set_new(ev, "follow_id", json_integer(fid));
        a = json_pack("{s:s, s:s, s:I, s:O, s:[{s:s, s:s, s:s}]}", "severity", "medium",
                      "rule", "followed", "follow_id", (json_int_t)fid, "event", ev, "reasons",
                      "rule", "followed", "field", "status", "text", reason);
        if (a == NULL) {
            rc = SW_ERR;
            continue;
        }
        sw_alert_stamp(a, sub, evid);
        if (sw_alert_store(s, cfg, sub, a, &stored) != SW_OK) {
            sw_warn("followed alert %s for subscriber %lld not stored (%s)", evid, sub,
                    s->errstr);
            rc = SW_EAGAIN;
        }
        json_decref(a);
    }
    json_object_set_new(ev, "id", json_string(base));
    freeReplyObject(r);
    return rc;
}

int sw_follow_mark_changed(struct sw_store *s, const struct sw_config *cfg,
                           const struct sw_reg_change *ch)
{
    const json_t *src = ch->event;
    char target[SW_FOLLOW_TARGET_MAX], title[512], reason[512];
    const char *mark = json_string_value(json_array_get(json_object_get(src, "marks"), 0));
    json_t *ev;
    int rc;

    snprintf(target, sizeof(target), "mark:%s:%s", ch->office, ch->number);
    snprintf(title, sizeof(title), "Followed trademark %s %s (%s): now %s", ch->office,
             ch->number, mark ? mark : "-", ch->new_status[0] ? ch->new_status : "unknown");
    snprintf(reason, sizeof(reason), "Status %s%s%s (%s)",
             ch->old_status[0] ? ch->old_status : "", ch->old_status[0] ? " → " : "",
             ch->new_status[0] ? ch->new_status : "unknown", ch->status_text);
    ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:O?, s:O?, s:O?}",
                   "id", json_string_value(json_object_get(src, "id")) ?: "", "type",
                   "followed", "kind", "mark", "office", ch->office, "number", ch->number,
                   "mark", mark, "status", ch->new_status, "old_status", ch->old_status,
                   "status_text", ch->status_text, "title", title, "jurisdiction",
                   json_object_get(src, "jurisdiction"), "url", json_object_get(src, "url"),
                   "date", json_object_get(src, "date"));
    if (ev == NULL)
        return SW_ERR;
    rc = alert_followers(s, cfg, target, ev, reason);
    json_decref(ev);
    return rc;
}

int sw_follow_docket_entry(struct sw_store *s, const struct sw_config *cfg,
                           const struct sw_reg_docket *d)
{
    const json_t *src = d->event;
    char court[128], docket[128], target[SW_FOLLOW_TARGET_MAX], title[512], reason[512];
    const char *what = json_string_value(json_object_get(src, "entry_type"));
    const char *name = json_string_value(json_object_get(src, "case_name"));
    json_t *ev;
    int rc, rc2;

    sw_register_docket_norm(d->court, court, sizeof(court));
    sw_register_docket_norm(d->docket, docket, sizeof(docket));
    snprintf(title, sizeof(title), "Followed docket %s%s%s: %s", d->court,
             d->court[0] ? " " : "", d->docket,
             what ? what : json_string_value(json_object_get(src, "title")) ?: "new entry");
    snprintf(reason, sizeof(reason), "New entry on docket %s%s%s%s%s", d->court,
             d->court[0] ? " " : "", d->docket, name ? ": " : "", name ? name : "");
    ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:O?, s:O?, s:O?, s:O?}",
                   "id", json_string_value(json_object_get(src, "id")) ?: "", "type",
                   "followed", "kind", "docket", "court", d->court, "docket", d->docket,
                   "case_name", name, "entry_type", what, "title", title, "jurisdiction",
                   json_object_get(src, "jurisdiction"), "url", json_object_get(src, "url"),
                   "date", json_object_get(src, "date"), "parties",
                   json_object_get(src, "parties"));
    if (ev == NULL)
        return SW_ERR;
    snprintf(target, sizeof(target), "docket:%s:%s", court, docket);
    rc = alert_followers(s, cfg, target, ev, reason);
    rc2 = SW_OK;
    if (court[0] != '\0') {
        snprintf(target, sizeof(target), "docket::%s", docket);
        rc2 = alert_followers(s, cfg, target, ev, reason);
    }
    json_decref(ev);
    return rc != SW_OK ? rc : rc2;
}
