/* alerts.c — the alert inbox: one Lua script per change so the alert, its index entries,
 * its counters and its delivery are written together or not at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seawall/alerts.h"
#include "seawall/config.h"
#include "seawall/store.h"

/* KEYS: alert, inbox, deliveries, meta, counts, seq.
 * ARGV: id, json, now_ms, sub, severity, deliveries maxlen, meta.
 * The score is built as a string: Lua would print a 16-digit number in %.14g and lose it. */
static const char store_lua[] =
    "if not redis.call('SET', KEYS[1], ARGV[2], 'NX') then return 0 end "
    "local seq = redis.call('INCR', KEYS[6]) % 1000 "
    "redis.call('ZADD', KEYS[2], ARGV[3] .. string.format('%03d', seq), ARGV[1]) "
    "redis.call('HSET', KEYS[4], ARGV[1], ARGV[7]) "
    "redis.call('HINCRBY', KEYS[5], 'new:' .. ARGV[5], 1) "
    "redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'kind', 'alert', 'alert', ARGV[1], "
    "'sub', ARGV[4], 'severity', ARGV[5]) "
    "return 1";

/* KEYS: meta, status, counts. ARGV: new status, ids... Returns one number per id. */
static const char status_lua[] =
    "local out = {} "
    "for i = 2, #ARGV do "
    "  local m = redis.call('HGET', KEYS[1], ARGV[i]) "
    "  if not m then out[#out + 1] = -1 else "
    "    local sev = string.match(m, '^([^|]*)') "
    "    local old = redis.call('HGET', KEYS[2], ARGV[i]) or 'new' "
    "    if old == ARGV[1] then out[#out + 1] = 0 else "
    "      if ARGV[1] == 'new' then redis.call('HDEL', KEYS[2], ARGV[i]) "
    "      else redis.call('HSET', KEYS[2], ARGV[i], ARGV[1]) end "
    "      redis.call('HINCRBY', KEYS[3], old .. ':' .. sev, -1) "
    "      redis.call('HINCRBY', KEYS[3], ARGV[1] .. ':' .. sev, 1) "
    "      out[#out + 1] = 1 end end end "
    "return out";

/* KEYS: inbox, meta, status. ARGV: max, min, limit, scan cap, severity, status, type, rule,
 * country, item (lists arrive wrapped in commas: ",high,critical,"; "" matches all).
 * Returns {ids, last score examined or ""}. */
static const char page_lua[] =
    "local out, cursor, scanned = {}, ARGV[1], 0 "
    "local limit, cap = tonumber(ARGV[3]), tonumber(ARGV[4]) "
    "local function has(list, v) return list == '' or string.find(list, ',' .. v .. ',', 1, true) "
    "  ~= nil end "
    "while true do "
    "  local batch = redis.call('ZREVRANGEBYSCORE', KEYS[1], cursor, ARGV[2], 'WITHSCORES', "
    "    'LIMIT', 0, 128) "
    "  if #batch == 0 then return {out, ''} end "
    "  for i = 1, #batch, 2 do "
    "    local id, score = batch[i], batch[i + 1] "
    "    scanned = scanned + 1 "
    "    cursor = '(' .. score "
    "    local m = redis.call('HGET', KEYS[2], id) or '||||' "
    "    local sev, rule, typ, country, item = string.match(m, "
    "      '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)$') "
    "    local ok = sev ~= nil and has(ARGV[5], sev) and has(ARGV[7], typ) and "
    "      has(ARGV[8], rule) and has(ARGV[9], country) and (ARGV[10] == '' or ARGV[10] == item) "
    "    if ok and ARGV[6] ~= '' then "
    "      ok = has(ARGV[6], redis.call('HGET', KEYS[3], id) or 'new') end "
    "    if ok then out[#out + 1] = id end "
    "    if #out == limit or scanned >= cap then return {out, score} end "
    "  end "
    "end";

int sw_alert_id_valid(const char *text)
{
    size_t i;

    if (text == NULL || strncmp(text, "al_", 3) != 0 || strlen(text) != 35)
        return 0;
    for (i = 3; i < 35; i++)
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
            return 0;
    return 1;
}

void sw_alert_id(long long sub, const char *event_id, long long item, char *out, size_t outlen)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char raw[320], hex[33];

    snprintf(raw, sizeof(raw), "%lld|%s|%lld", sub, event_id, item);
    crypto_hash_sha256(h, (const unsigned char *)raw, strlen(raw));
    sw_hex(h, 16, hex);
    snprintf(out, outlen, "al_%s", hex);
}

/* Copies v into out with '|' (the meta separator) and controls replaced. */
static void meta_part(char *out, size_t outlen, const char *v)
{
    size_t i;

    sw_strlcpy(out, v ? v : "", outlen);
    for (i = 0; out[i] != '\0'; i++)
        if (out[i] == '|' || (unsigned char)out[i] < 0x20)
            out[i] = '_';
}

int sw_alert_store(struct sw_store *s, const struct sw_config *cfg, long long sub,
                   const json_t *alert, int *stored)
{
    const json_t *ev = json_object_get(alert, "event");
    struct sw_alert_meta m;
    char *text;
    int rc;

    *stored = 0;
    m.id = json_string_value(json_object_get(alert, "id"));
    m.severity = json_string_value(json_object_get(alert, "severity"));
    m.rule = json_string_value(json_object_get(alert, "rule"));
    m.type = json_string_value(json_object_get(ev, "type"));
    m.country = json_string_value(json_object_get(ev, "jurisdiction"));
    m.item = json_integer_value(json_object_get(alert, "item_id"));
    text = json_dumps(alert, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
        return SW_ERR;
    }
    rc = sw_alert_store_text(s, cfg, sub, &m, text, stored);
    free(text);
    return rc;
}

int sw_alert_store_text(struct sw_store *s, const struct sw_config *cfg, long long sub,
                        const struct sw_alert_meta *m, const char *text, int *stored)
{
    char key[96], zkey[64], mkey[64], ckey[64], seqkey[64];
    char now[32], subtxt[32], maxlen[32], meta[256];
    char sev[16], rule[64], type[48], country[8];
    const char *keys[6], *args[7];
    long long added = 0;
    int rc;

    *stored = 0;
    if (m->id == NULL || m->severity == NULL) {
        sw_strlcpy(s->errstr, "alert without id or severity", sizeof(s->errstr));
        return SW_ERR;
    }
    meta_part(sev, sizeof(sev), m->severity);
    meta_part(rule, sizeof(rule), m->rule);
    meta_part(type, sizeof(type), m->type);
    meta_part(country, sizeof(country), m->country);
    snprintf(meta, sizeof(meta), "%s|%s|%s|%s|%lld", sev, rule, type, country, m->item);
    snprintf(key, sizeof(key), "sw:{sub:%lld}:alert:%s", sub, m->id);
    snprintf(zkey, sizeof(zkey), "sw:{sub:%lld}:alerts", sub);
    snprintf(mkey, sizeof(mkey), "sw:{sub:%lld}:almeta", sub);
    snprintf(ckey, sizeof(ckey), "sw:{sub:%lld}:alcounts", sub);
    snprintf(seqkey, sizeof(seqkey), "sw:{sub:%lld}:alseq", sub);
    snprintf(now, sizeof(now), "%lld", (long long)sw_now_ms());
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    snprintf(maxlen, sizeof(maxlen), "%lld", sw_config_int(cfg, "deliveries.maxlen"));
    keys[0] = key;
    keys[1] = zkey;
    keys[2] = SW_DELIVERIES;
    keys[3] = mkey;
    keys[4] = ckey;
    keys[5] = seqkey;
    args[0] = m->id;
    args[1] = text;
    args[2] = now;
    args[3] = subtxt;
    args[4] = sev;
    args[5] = maxlen;
    args[6] = meta;
    rc = sw_store_eval_int(s, store_lua, 6, keys, 7, args, &added);
    *stored = rc == SW_OK && added == 1;
    return rc;
}

/* ",a,b," from "a,b" (spaces dropped), "" from NULL or "". */
static void wrap_list(const char *in, char *out, size_t outlen)
{
    size_t o = 0;

    out[0] = '\0';
    if (in == NULL || in[0] == '\0' || outlen < 3)
        return;
    out[o++] = ',';
    for (; *in != '\0' && o + 2 < outlen; in++)
        if (*in != ' ')
            out[o++] = *in;
    out[o++] = ',';
    out[o] = '\0';
}

int sw_alert_page(struct sw_store *s, long long sub, const struct sw_alert_filter *f,
                  long long cursor, int limit, int scan_max, json_t **ids, long long *next)
{
    char zkey[64], mkey[64], skey[64], max[40], min[40], lim[16], cap[16], item[24];
    char sev[128], status[64], type[256], rule[256], country[256];
    const char *keys[3], *args[10];
    redisReply *r;
    size_t i;

    *ids = NULL;
    *next = 0;
    snprintf(zkey, sizeof(zkey), "sw:{sub:%lld}:alerts", sub);
    snprintf(mkey, sizeof(mkey), "sw:{sub:%lld}:almeta", sub);
    snprintf(skey, sizeof(skey), "sw:{sub:%lld}:alstatus", sub);
    if (cursor > 0 && (f->until_ms <= 0 || cursor <= f->until_ms * 1000))
        snprintf(max, sizeof(max), "(%lld", cursor);
    else if (f->until_ms > 0)
        snprintf(max, sizeof(max), "(%lld", f->until_ms * 1000);
    else
        sw_strlcpy(max, "+inf", sizeof(max));
    if (f->since_ms > 0)
        snprintf(min, sizeof(min), "%lld", f->since_ms * 1000);
    else
        sw_strlcpy(min, "-inf", sizeof(min));
    snprintf(lim, sizeof(lim), "%d", limit);
    snprintf(cap, sizeof(cap), "%d", scan_max);
    if (f->item > 0)
        snprintf(item, sizeof(item), "%lld", f->item);
    else
        item[0] = '\0';
    wrap_list(f->severity, sev, sizeof(sev));
    wrap_list(f->status, status, sizeof(status));
    wrap_list(f->type, type, sizeof(type));
    wrap_list(f->rule, rule, sizeof(rule));
    wrap_list(f->country, country, sizeof(country));
    keys[0] = zkey;
    keys[1] = mkey;
    keys[2] = skey;
    args[0] = max;
    args[1] = min;
    args[2] = lim;
    args[3] = cap;
    args[4] = sev;
    args[5] = status;
    args[6] = type;
    args[7] = rule;
    args[8] = country;
    args[9] = item;
    r = sw_store_eval(s, page_lua, 3, keys, 10, args);
    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
        if (r != NULL) {
            snprintf(s->errstr, sizeof(s->errstr), "%s",
                     r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
            freeReplyObject(r);
        }
        return SW_EAGAIN;
    }
    *ids = json_array();
    for (i = 0; r->element[0]->type == REDIS_REPLY_ARRAY && i < r->element[0]->elements; i++)
        json_array_append_new(*ids, json_string(r->element[0]->element[i]->str));
    if (r->element[1]->type == REDIS_REPLY_STRING && r->element[1]->len > 0) {
        /* A score is an integer kept exactly in a double; Redis may print it as "1.7e+15". */
        *next = (long long)strtod(r->element[1]->str, NULL);
    }
    freeReplyObject(r);
    return SW_OK;
}

int sw_alert_load(struct sw_store *s, long long sub, const json_t *ids, json_t **out)
{
    size_t n = json_array_size(ids), i;
    const char **argv;
    char (*keys)[96];
    char skey[64];
    redisReply *rep[2] = { NULL, NULL };
    int argcs[2];
    const char **argvs[2];
    int rc;

    *out = json_array();
    if (n == 0)
        return SW_OK;
    argv = calloc(2 * (n + 2), sizeof(*argv));
    keys = calloc(n, sizeof(*keys));
    if (argv == NULL || keys == NULL) {
        free(argv);
        free(keys);
        return SW_ERR;
    }
    snprintf(skey, sizeof(skey), "sw:{sub:%lld}:alstatus", sub);
    argv[0] = "MGET";
    argv[n + 1] = "HMGET";
    argv[n + 2] = skey;
    for (i = 0; i < n; i++) {
        snprintf(keys[i], sizeof(keys[i]), "sw:{sub:%lld}:alert:%s", sub,
                 json_string_value(json_array_get(ids, i)));
        argv[i + 1] = keys[i];
        argv[n + 3 + i] = json_string_value(json_array_get(ids, i));
    }
    argcs[0] = (int)n + 1;
    argcs[1] = (int)n + 2;
    argvs[0] = argv;
    argvs[1] = argv + n + 1;
    rc = sw_store_pipeline(s, 2, argcs, argvs, rep);
    if (rc == SW_OK) {
        for (i = 0; rep[0]->type == REDIS_REPLY_ARRAY && i < rep[0]->elements; i++) {
            const redisReply *d = rep[0]->element[i];
            const redisReply *st = rep[1]->type == REDIS_REPLY_ARRAY && i < rep[1]->elements
                                       ? rep[1]->element[i] : NULL;
            json_t *a;

            if (d->type != REDIS_REPLY_STRING ||
                (a = json_loadb(d->str, d->len, 0, NULL)) == NULL)
                continue;
            json_object_set_new(a, "status", json_string(st != NULL &&
                                                         st->type == REDIS_REPLY_STRING
                                                             ? st->str : "new"));
            json_array_append_new(*out, a);
        }
        freeReplyObject(rep[0]);
        freeReplyObject(rep[1]);
    }
    free(argv);
    free(keys);
    return rc;
}

int sw_alert_set_status(struct sw_store *s, long long sub, const char *status,
                        const json_t *ids, json_t **changed)
{
    size_t n = json_array_size(ids), i;
    char mkey[64], skey[64], ckey[64];
    const char *keys[3], **args;
    redisReply *r;

    *changed = NULL;
    args = calloc(n + 1, sizeof(*args));
    if (args == NULL)
        return SW_ERR;
    snprintf(mkey, sizeof(mkey), "sw:{sub:%lld}:almeta", sub);
    snprintf(skey, sizeof(skey), "sw:{sub:%lld}:alstatus", sub);
    snprintf(ckey, sizeof(ckey), "sw:{sub:%lld}:alcounts", sub);
    keys[0] = mkey;
    keys[1] = skey;
    keys[2] = ckey;
    args[0] = status;
    for (i = 0; i < n; i++)
        args[i + 1] = json_string_value(json_array_get(ids, i));
    r = sw_store_eval(s, status_lua, 3, keys, (int)n + 1, args);
    free(args);
    if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
        if (r != NULL)
            freeReplyObject(r);
        return SW_EAGAIN;
    }
    *changed = json_array();
    for (i = 0; i < r->elements; i++)
        json_array_append_new(*changed, json_integer(r->element[i]->integer));
    freeReplyObject(r);
    return SW_OK;
}

int sw_alert_counts(struct sw_store *s, long long sub, json_t **out)
{
    static const char *const statuses[] = { "new", "read", "dismissed" };
    static const char *const sevs[] = { "low", "medium", "high", "critical" };
    char ckey[64];
    json_t *by_status = json_object(), *by_sev = json_object(), *fresh = json_object();
    long long total = 0;
    redisReply *r;
    size_t i, j;

    snprintf(ckey, sizeof(ckey), "sw:{sub:%lld}:alcounts", sub);
    r = sw_store_cmd(s, "HGETALL", ckey, NULL);
    if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
        if (r != NULL)
            freeReplyObject(r);
        json_decref(by_status);
        json_decref(by_sev);
        json_decref(fresh);
        return SW_EAGAIN;
    }
    for (i = 0; i < SW_ARRAY_LEN(statuses); i++)
        json_object_set_new(by_status, statuses[i], json_integer(0));
    for (j = 0; j < SW_ARRAY_LEN(sevs); j++) {
        json_object_set_new(by_sev, sevs[j], json_integer(0));
        json_object_set_new(fresh, sevs[j], json_integer(0));
    }
    for (i = 0; i + 1 < r->elements; i += 2) {
        const char *f = r->element[i]->str, *colon = strchr(f, ':');
        long long v = atoll(r->element[i + 1]->str);
        char st[16];
        json_t *cur;

        if (colon == NULL || (size_t)(colon - f) >= sizeof(st) || v <= 0)
            continue;
        memcpy(st, f, (size_t)(colon - f));
        st[colon - f] = '\0';
        total += v;
        if ((cur = json_object_get(by_status, st)) != NULL)
            json_integer_set(cur, json_integer_value(cur) + v);
        if ((cur = json_object_get(by_sev, colon + 1)) != NULL)
            json_integer_set(cur, json_integer_value(cur) + v);
        if (strcmp(st, "new") == 0 && (cur = json_object_get(fresh, colon + 1)) != NULL)
            json_integer_set(cur, json_integer_value(cur) + v);
    }
    freeReplyObject(r);
    *out = json_pack("{s:I, s:o, s:o, s:o}", "total", (json_int_t)total, "status", by_status,
                     "severity", by_sev, "new", fresh);
    return SW_OK;
}

void sw_alert_stamp(json_t *alert, long long sub, const char *event_id, long long item)
{
    char id[40], when[32];

    sw_alert_id(sub, event_id, item, id, sizeof(id));
    json_object_set_new(alert, "id", json_string(id));
    json_object_set_new(alert, "subscriber", json_integer(sub));
    json_object_set_new(alert, "item_id", json_integer(item));
    json_object_set_new(alert, "event_id", json_string(event_id));
    json_object_set_new(alert, "status", json_string("new"));
    json_object_set_new(alert, "created_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                     sizeof(when))));
}
