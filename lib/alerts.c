/* alerts.c — the alert inbox: one Lua script per change, in the subscriber's slot, so the
 * alert, its index entries, its search text and its counters are written together or not at
 * all, and then its announcement to the deliveries stream (sw_alert_store_text); the
 * filter the list and the bulk status change share, run inside Redis in bounded steps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "seawall/alerts.h"
#include "seawall/buf.h"
#include "seawall/keys.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/normalise.h"
#include "seawall/reminders.h"
#include "seawall/store.h"
#include "seawall/stream.h"

/* KEYS: alert, inbox, unannounced, meta, counts, seq, search, actions (all the subscriber's).
 * ARGV: id, json, now_ms, severity, meta, search text, when its action closes ('' for none).
 * Returns 1 when stored now, 2 when it was there but not announced yet (its deliveries entry
 * or reminders may be missing: a crash or a failure after the script, see sw_alert_store_text),
 * 0 when it was there and announced.
 * The inbox score is now_ms * 1000, or one past the last score given to this subscriber when
 * that is higher: alerts made in the same millisecond (a file of thousands) keep the order they
 * were made in, and a clock that steps back does not put new alerts under old ones. Scores stay
 * below 2^53, exact in Lua's numbers; written with %.0f, as tostring's %.14g would lose digits. */
static const char store_lua[] =
    "if not redis.call('SET', KEYS[1], ARGV[2], 'NX') then "
    "  if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return 2 end return 0 end "
    "local score = tonumber(ARGV[3]) * 1000 "
    "local last = tonumber(redis.call('GET', KEYS[6]) or '0') "
    "if score <= last then score = last + 1 end "
    "local s = string.format('%.0f', score) "
    "redis.call('SET', KEYS[6], s) "
    "redis.call('ZADD', KEYS[2], s, ARGV[1]) "
    "redis.call('HSET', KEYS[3], ARGV[1], '1') "
    "redis.call('HSET', KEYS[4], ARGV[1], ARGV[5]) "
    "if ARGV[6] ~= '' then redis.call('HSET', KEYS[7], ARGV[1], ARGV[6]) end "
    "if ARGV[7] ~= '' then redis.call('ZADD', KEYS[8], ARGV[7], ARGV[1]) end "
    "redis.call('HINCRBY', KEYS[5], 'new:' .. ARGV[4], 1) "
    "return 1";

/* One status change, shared by the scripts that make them. KEYS[2] status, KEYS[3] counts.
 * Returns 1 when id's status changed, 0 when it already was st. */
#define SET_STATUS_LUA \
    "local function set_status(id, sev, st) " \
    "  local old = redis.call('HGET', KEYS[2], id) or 'new' " \
    "  if old == st then return 0 end " \
    "  if st == 'new' then redis.call('HDEL', KEYS[2], id) " \
    "  else redis.call('HSET', KEYS[2], id, st) end " \
    "  redis.call('HINCRBY', KEYS[3], old .. ':' .. sev, -1) " \
    "  redis.call('HINCRBY', KEYS[3], st .. ':' .. sev, 1) " \
    "  return 1 end "

/* KEYS: meta, status, counts. ARGV: new status, ids... Returns one number per id. */
static const char status_lua[] =
    SET_STATUS_LUA
    "local out = {} "
    "for i = 2, #ARGV do "
    "  local m = redis.call('HGET', KEYS[1], ARGV[i]) "
    "  if not m then out[#out + 1] = -1 else "
    "    out[#out + 1] = set_status(ARGV[i], string.match(m, '^([^|]*)'), ARGV[1]) end "
    "end "
    "return out";

/* The filter the list and the bulk change share. KEYS[1] inbox, KEYS[2] status, KEYS[4] meta,
 * KEYS[5] search. ARGV: max, min, scan cap, severity, status, type, rule, country, item, q,
 * action ('any', 'none' or ''), due until (ms or ''), now (ms)
 * (lists arrive wrapped in commas: ",high,critical,"; "" matches all; q is folded, its words
 * separated by one space). accept(id) returns the alert's severity when it passes, else nil;
 * walk(fn) calls fn(id, sev) for each that passes, newest first from ARGV[1], until fn
 * returns true or ARGV[3] alerts were examined, and returns the last score examined, or ''
 * when the inbox ran out. */
#define FILTER_LUA \
    "local function has(list, v) " \
    "  return list == '' or string.find(list, ',' .. v .. ',', 1, true) ~= nil end " \
    "local words = {} " \
    "for w in string.gmatch(ARGV[10], '[^ ]+') do words[#words + 1] = w end " \
    "local function accept(id) " \
    "  local m = redis.call('HGET', KEYS[4], id) or '||||' " \
    "  local sev, rule, typ, country, items, act = string.match(m, " \
    "    '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|?([^|]*)$') " \
    "  if sev == nil or not (has(ARGV[4], sev) and has(ARGV[6], typ) and has(ARGV[7], rule) " \
    "    and has(ARGV[8], country)) then return nil end " \
    "  if (ARGV[11] == 'any' and act == '') or (ARGV[11] == 'none' and act ~= '') then " \
    "    return nil end " \
    "  if ARGV[12] ~= '' then " \
    "    local closes = tonumber(act) " \
    "    if closes == nil or closes < tonumber(ARGV[13]) or closes > tonumber(ARGV[12]) then " \
    "      return nil end end " \
    "  if ARGV[9] ~= '' and not string.find(',' .. items .. ',', ',' .. ARGV[9] .. ',', 1, " \
    "    true) then return nil end " \
    "  if ARGV[5] ~= '' and not has(ARGV[5], redis.call('HGET', KEYS[2], id) or 'new') then " \
    "    return nil end " \
    "  if #words > 0 then " \
    "    local text = redis.call('HGET', KEYS[5], id) or '' " \
    "    for i = 1, #words do " \
    "      if not string.find(text, words[i], 1, true) then return nil end end end " \
    "  return sev end " \
    "local function walk(fn) " \
    "  local cursor, scanned, cap = ARGV[1], 0, tonumber(ARGV[3]) " \
    "  while true do " \
    "    local batch = redis.call('ZREVRANGEBYSCORE', KEYS[1], cursor, ARGV[2], 'WITHSCORES', " \
    "      'LIMIT', 0, 128) " \
    "    if #batch == 0 then return '' end " \
    "    for i = 1, #batch, 2 do " \
    "      local id, score = batch[i], batch[i + 1] " \
    "      scanned = scanned + 1 " \
    "      cursor = '(' .. score " \
    "      local sev = accept(id) " \
    "      if (sev and fn(id, sev)) or scanned >= cap then return score end " \
    "    end " \
    "  end end "

/* KEYS: inbox, status, (unused), meta, search. ARGV: the filter's, then the page's limit.
 * Returns {ids, last score examined or ""}. */
static const char page_lua[] =
    FILTER_LUA
    "local out, limit = {}, tonumber(ARGV[14]) "
    "local last = walk(function(id) out[#out + 1] = id return #out == limit end) "
    "return {out, last}";

/* KEYS: inbox, status, counts, meta, search. ARGV: the filter's, then the new status.
 * Returns {changed, matched, last score examined or ""}. */
static const char status_where_lua[] =
    SET_STATUS_LUA
    FILTER_LUA
    "local changed, matched = 0, 0 "
    "local last = walk(function(id, sev) "
    "  matched = matched + 1 "
    "  changed = changed + set_status(id, sev, ARGV[14]) "
    "  return false end) "
    "return {changed, matched, last}";

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

void sw_alert_id(long long sub, const char *event_id, char *out, size_t outlen)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    char subtxt[32], hex[33];

    /* "<sub>|<event id>": the whole event id, however long (a prefix cut to a buffer would
     * let two long ids share an alert). */
    snprintf(subtxt, sizeof(subtxt), "%lld|", sub);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)subtxt, strlen(subtxt));
    crypto_hash_sha256_update(&st, (const unsigned char *)event_id, strlen(event_id));
    crypto_hash_sha256_final(&st, h);
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

const char *sw_alert_source_url(const json_t *event)
{
    const char *u = json_string_value(json_object_get(event, "url"));
    size_t i;

    if (u == NULL || (strncasecmp(u, "http://", 7) != 0 && strncasecmp(u, "https://", 8) != 0))
        return NULL;
    for (i = 0; u[i] != '\0'; i++)
        if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f)
            return NULL;
    return i > 8 && i <= 2048 ? u : NULL;
}

/* Appends v (a string, or the strings of an array or object, one level down) to raw, each
 * after a line break. Stops quietly at raw's ceiling. */
static void search_add(struct sw_buf *raw, const json_t *v)
{
    const json_t *x;
    const char *k;
    size_t i;

    if (json_is_string(v)) {
        if (sw_buf_add(raw, "\n", 1) == SW_OK)
            sw_buf_add(raw, json_string_value(v), json_string_length(v));
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x)
            if (json_is_string(x))
                search_add(raw, x);
    } else if (json_is_object(v)) {
        json_object_foreach((json_t *)v, k, x)
            if (json_is_string(x) || json_is_array(x))
                search_add(raw, x);
    }
}

int sw_alert_search_text(const json_t *event, const char *const *texts, size_t ntexts,
                         struct sw_buf *out)
{
    static const char *const fields[] = { "title", "marks", "goods", "text", "numbers" };
    struct sw_buf raw;
    const json_t *p;
    size_t i;
    int rc;

    sw_buf_reset(out);
    sw_buf_init(&raw, 4 * SW_ALERT_SEARCH_MAX);   /* folding never makes text longer by 4x */
    for (i = 0; i < SW_ARRAY_LEN(fields); i++)
        search_add(&raw, json_object_get(event, fields[i]));
    json_array_foreach(json_object_get(event, "parties"), i, p)
        search_add(&raw, json_object_get(p, "name"));
    for (i = 0; i < ntexts; i++)
        if (texts[i] != NULL && sw_buf_add(&raw, "\n", 1) == SW_OK)
            sw_buf_adds(&raw, texts[i]);
    rc = sw_fold_search(raw.p ? raw.p : "", raw.len, out);
    sw_buf_free(&raw);
    return rc == SW_TOOBIG ? SW_OK : rc;
}

int sw_alert_q_valid(const char *q)
{
    struct sw_buf b;
    int ok;

    if (q == NULL || strlen(q) > SW_ALERT_Q_MAX)
        return 0;
    sw_buf_init(&b, 4 * SW_ALERT_Q_MAX);
    ok = sw_utf8_valid(q, strlen(q), NULL) && sw_fold_search(q, strlen(q), &b) == SW_OK && b.len > 0;
    sw_buf_free(&b);
    return ok;
}

int sw_alert_store(struct sw_store *s, const struct sw_config *cfg, long long sub,
                   const json_t *alert, int *stored)
{
    const json_t *ev = json_object_get(alert, "event"), *v;
    struct sw_alert_meta m;
    struct sw_buf items, search;
    const char **texts;
    size_t i, n = json_array_size(json_object_get(alert, "items"));
    char *text;
    int rc = SW_ERR;

    *stored = 0;
    m.id = json_string_value(json_object_get(alert, "id"));
    m.severity = json_string_value(json_object_get(alert, "severity"));
    m.rule = json_string_value(json_object_get(alert, "rule"));
    m.type = json_string_value(json_object_get(ev, "type"));
    m.country = json_string_value(json_object_get(ev, "jurisdiction"));
    m.action = SW_ALERT_ACTION_NONE;
    m.closes_ms = m.clock_ms = 0;
    v = json_object_get(alert, "action");
    if (json_is_object(v)) {
        int64_t closes;

        if (sw_date_ms(json_string_value(json_object_get(v, "closes")) ?: "", &closes) == SW_OK) {
            m.action = SW_ALERT_ACTION_DATED;
            m.closes_ms = closes;
        } else {
            m.action = SW_ALERT_ACTION_UNKNOWN;
        }
    }
    sw_buf_init(&items, 1 << 20);
    sw_buf_init(&search, SW_ALERT_SEARCH_MAX);
    texts = calloc(n + 1, sizeof(*texts));
    json_array_foreach(json_object_get(alert, "item_ids"), i, v)
        sw_buf_printf(&items, i ? ",%lld" : "%lld", (long long)json_integer_value(v));
    for (i = 0; texts != NULL && i < n; i++)
        texts[i] = json_string_value(json_object_get(json_object_get(json_array_get(
            json_object_get(alert, "items"), i), "item"), "text"));
    text = json_dumps(alert, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text == NULL || texts == NULL || sw_alert_search_text(ev, texts, n, &search) != SW_OK) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
    } else {
        m.items = items.p;
        m.search = search.p;
        rc = sw_alert_store_text(s, cfg, sub, &m, text, stored);
    }
    free(text);
    free(texts);
    sw_buf_free(&items);
    sw_buf_free(&search);
    return rc;
}

/* Announces a stored alert: its reminders into the schedule and its entry into the deliveries
 * stream (the notifier and the live publisher learn of it there), then clears its
 * "unannounced" mark. Each step touches one slot. A crash or failure before the mark is
 * cleared leaves the alert stored and marked: the next sw_alert_store_text for it (the
 * matcher's retry of the event, a client's retry) finds the mark and announces it again, so
 * the stream may carry an alert twice (its consumers are idempotent) but never misses one. */
static int announce(struct sw_store *s, const struct sw_config *cfg, long long sub,
                    const char *id, const char *sev, char (*members)[80], const int64_t *due,
                    size_t nrem)
{
    char subtxt[24];
    const char *fields[8];
    sw_key_t mark = swk_alert_unannounced(sub);
    redisReply *r;
    int rc;

    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    if (nrem > 0 && (rc = sw_reminder_schedule(s, sub, members, due, nrem)) != SW_OK)
        return rc;
    fields[0] = "kind";
    fields[1] = "alert";
    fields[2] = "alert";
    fields[3] = id;
    fields[4] = "sub";
    fields[5] = subtxt;
    fields[6] = "severity";
    fields[7] = sev;
    if ((rc = sw_stream_add(s, SW_DELIVERIES, subtxt, strlen(subtxt),
                            sw_config_int(cfg, "deliveries.maxlen"), 4, fields, NULL, NULL,
                            0)) != SW_OK)
        return SW_EAGAIN;
    if ((r = sw_store_cmd(s, "HDEL", mark.s, id, NULL)) == NULL)
        return SW_EAGAIN;   /* announced; a retry announces it once more */
    freeReplyObject(r);
    return SW_OK;
}

/* Steps, each on one slot, in this order:
 *   1. the script: the alert, its inbox entry, filters, search text, counters, and its
 *      "unannounced" mark, all in the subscriber's slot, or nothing when it is there already;
 *   2. sw_store_durable on the alert (redis.wait_replicas);
 *   3. announce(): reminders into the schedule of the subscriber's deliveries shard, the entry
 *      into that shard's stream, the mark cleared.
 * A crash after 1 leaves an alert in the inbox that the notifier and the live streams have
 * not heard of yet, marked; its writer's retry (the matcher processes an event until it is
 * acknowledged, which it is only once every alert returned SW_OK) finds the mark and does 2
 * and 3 again. */
int sw_alert_store_text(struct sw_store *s, const struct sw_config *cfg, long long sub,
                        const struct sw_alert_meta *m, const char *text, int *stored)
{
    sw_key_t key = swk_alert(sub, m->id ? m->id : ""), zkey = swk_alerts(sub);
    sw_key_t nkey = swk_alert_unannounced(sub), mkey = swk_alert_meta(sub);
    sw_key_t ckey = swk_alert_counts(sub), seqkey = swk_alert_seq(sub);
    sw_key_t skey = swk_alert_search(sub), akey = swk_alert_actions(sub);
    char now[32], closes[32], act[32];
    char sev[16], rule[64], type[48], country[8];
    char members[4][80];
    int64_t due[4];
    const char *keys[8], *args[7];
    struct sw_buf meta;
    long long res = 0;
    size_t nrem = 0;
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
    closes[0] = act[0] = '\0';
    if (m->action == SW_ALERT_ACTION_DATED) {
        snprintf(closes, sizeof(closes), "%lld", (long long)m->closes_ms);
        snprintf(act, sizeof(act), "%s", closes);
        nrem = sw_reminder_plan(sub, m->id, m->closes_ms,
                                m->clock_ms > 0 ? m->clock_ms : sw_now_ms(), members, due, 4);
    } else if (m->action == SW_ALERT_ACTION_UNKNOWN) {
        snprintf(act, sizeof(act), "u");
    }
    /* Item ids are digits and commas (the writers make them so): no separator can hide in
     * them. An event that touched many items makes a long list, as long as the alert's. */
    sw_buf_init(&meta, (1 << 20) + 256);
    if (sw_buf_printf(&meta, "%s|%s|%s|%s|%s|%s", sev, rule, type, country,
                      m->items ? m->items : "", act) != SW_OK) {
        sw_buf_free(&meta);
        sw_strlcpy(s->errstr, "alert meta too long or out of memory", sizeof(s->errstr));
        return SW_ERR;
    }
    snprintf(now, sizeof(now), "%lld", (long long)sw_now_ms());
    keys[0] = key.s;
    keys[1] = zkey.s;
    keys[2] = nkey.s;
    keys[3] = mkey.s;
    keys[4] = ckey.s;
    keys[5] = seqkey.s;
    keys[6] = skey.s;
    keys[7] = akey.s;
    args[0] = m->id;
    args[1] = text;
    args[2] = now;
    args[3] = sev;
    args[4] = meta.p;
    args[5] = m->search ? m->search : "";
    args[6] = closes;
    rc = sw_store_eval_int(s, store_lua, 8, keys, 7, args, &res);
    sw_buf_free(&meta);
    if (rc != SW_OK || res == 0)
        return rc;
    if (sw_store_durable(s, key.s) != SW_OK)
        return SW_EAGAIN;
    if ((rc = announce(s, cfg, sub, m->id, sev, members, due, nrem)) != SW_OK)
        return rc;
    *stored = res == 1;
    return SW_OK;
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

/* The arguments of FILTER_LUA for f from cursor, with one more (the page's limit or the new
 * status) after them; the strings live in a. */
struct filter_args {
    sw_key_t zkey, skey, ckey, mkey, qkey;
    char max[40], min[40], cap[16], item[24], extra[16];
    char sev[128], status[64], type[256], rule[256], country[256];
    char action[8], due[24], now[24];
    struct sw_buf q;
    const char *keys[5], *args[14];
};

static int filter_args(struct filter_args *a, long long sub, const struct sw_alert_filter *f,
                       long long cursor, int scan_max, const char *extra)
{
    a->zkey = swk_alerts(sub);
    a->skey = swk_alert_status(sub);
    a->ckey = swk_alert_counts(sub);
    a->mkey = swk_alert_meta(sub);
    a->qkey = swk_alert_search(sub);
    if (cursor > 0 && (f->until_ms <= 0 || cursor <= f->until_ms * 1000))
        snprintf(a->max, sizeof(a->max), "(%lld", cursor);
    else if (f->until_ms > 0)
        snprintf(a->max, sizeof(a->max), "(%lld", f->until_ms * 1000);
    else
        sw_strlcpy(a->max, "+inf", sizeof(a->max));
    if (f->since_ms > 0)
        snprintf(a->min, sizeof(a->min), "%lld", f->since_ms * 1000);
    else
        sw_strlcpy(a->min, "-inf", sizeof(a->min));
    snprintf(a->cap, sizeof(a->cap), "%d", scan_max);
    if (f->item > 0)
        snprintf(a->item, sizeof(a->item), "%lld", f->item);
    else
        a->item[0] = '\0';
    sw_strlcpy(a->extra, extra, sizeof(a->extra));
    wrap_list(f->severity, a->sev, sizeof(a->sev));
    wrap_list(f->status, a->status, sizeof(a->status));
    wrap_list(f->type, a->type, sizeof(a->type));
    wrap_list(f->rule, a->rule, sizeof(a->rule));
    wrap_list(f->country, a->country, sizeof(a->country));
    snprintf(a->action, sizeof(a->action), "%s",
             f->action != NULL && (strcmp(f->action, "any") == 0 ||
                                   strcmp(f->action, "none") == 0) ? f->action : "");
    if (f->due_until_ms > 0)
        snprintf(a->due, sizeof(a->due), "%lld", f->due_until_ms);
    else
        a->due[0] = '\0';
    snprintf(a->now, sizeof(a->now), "%lld", f->now_ms > 0 ? f->now_ms : (long long)sw_now_ms());
    sw_buf_init(&a->q, 4 * SW_ALERT_Q_MAX);
    if (f->q != NULL && f->q[0] != '\0' && sw_fold_search(f->q, strlen(f->q), &a->q) != SW_OK) {
        sw_buf_free(&a->q);
        return SW_ERR;
    }
    a->keys[0] = a->zkey.s;
    a->keys[1] = a->skey.s;
    a->keys[2] = a->ckey.s;
    a->keys[3] = a->mkey.s;
    a->keys[4] = a->qkey.s;
    a->args[0] = a->max;
    a->args[1] = a->min;
    a->args[2] = a->cap;
    a->args[3] = a->sev;
    a->args[4] = a->status;
    a->args[5] = a->type;
    a->args[6] = a->rule;
    a->args[7] = a->country;
    a->args[8] = a->item;
    a->args[9] = a->q.p ? a->q.p : "";
    a->args[10] = a->action;
    a->args[11] = a->due;
    a->args[12] = a->now;
    a->args[13] = a->extra;
    return SW_OK;
}

/* A score the scripts returned as the cursor to go on from (0: none). A score is an integer
 * kept exactly in a double; Redis may print it as "1.7e+15". */
static long long cursor_of(const redisReply *r)
{
    return r->type == REDIS_REPLY_STRING && r->len > 0 ? (long long)strtod(r->str, NULL) : 0;
}

/* A script's reply that is not the array expected: the reason into errstr, the reply freed. */
static int bad_reply(struct sw_store *s, redisReply *r)
{
    if (r != NULL) {
        snprintf(s->errstr, sizeof(s->errstr), "%s",
                 r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
        freeReplyObject(r);
    }
    return SW_EAGAIN;
}

int sw_alert_page(struct sw_store *s, long long sub, const struct sw_alert_filter *f,
                  long long cursor, int limit, int scan_max, json_t **ids, long long *next)
{
    struct filter_args a;
    char lim[16];
    redisReply *r;
    size_t i;

    *ids = NULL;
    *next = 0;
    snprintf(lim, sizeof(lim), "%d", limit);
    if (filter_args(&a, sub, f, cursor, scan_max, lim) != SW_OK) {
        sw_strlcpy(s->errstr, "folding the search failed", sizeof(s->errstr));
        return SW_ERR;
    }
    r = sw_store_eval(s, page_lua, 5, a.keys, 14, a.args);
    sw_buf_free(&a.q);
    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[0]->type != REDIS_REPLY_ARRAY)
        return bad_reply(s, r);
    *ids = json_array();
    for (i = 0; i < r->element[0]->elements; i++)
        json_array_append_new(*ids, json_string(r->element[0]->element[i]->str));
    *next = cursor_of(r->element[1]);
    freeReplyObject(r);
    return SW_OK;
}

int sw_alert_set_status_where(struct sw_store *s, long long sub, const struct sw_alert_filter *f,
                              const char *status, long long cursor, int scan_max,
                              long long *changed, long long *matched, long long *next)
{
    struct filter_args a;
    redisReply *r;

    *changed = *matched = *next = 0;
    if (filter_args(&a, sub, f, cursor, scan_max, status) != SW_OK) {
        sw_strlcpy(s->errstr, "folding the search failed", sizeof(s->errstr));
        return SW_ERR;
    }
    r = sw_store_eval(s, status_where_lua, 5, a.keys, 14, a.args);
    sw_buf_free(&a.q);
    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 3)
        return bad_reply(s, r);
    *changed = sw_reply_int(r->element[0], 0);
    *matched = sw_reply_int(r->element[1], 0);
    *next = cursor_of(r->element[2]);
    freeReplyObject(r);
    return SW_OK;
}

int sw_alert_load(struct sw_store *s, long long sub, const json_t *ids, json_t **out)
{
    size_t n = json_array_size(ids), i;
    const char **argv;
    sw_key_t *keys, skey = swk_alert_status(sub);
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
    argv[0] = "MGET";
    argv[n + 1] = "HMGET";
    argv[n + 2] = skey.s;
    for (i = 0; i < n; i++) {
        keys[i] = swk_alert(sub, json_string_value(json_array_get(ids, i)) ?: "");
        argv[i + 1] = keys[i].s;
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
    sw_key_t mkey = swk_alert_meta(sub), skey = swk_alert_status(sub);
    sw_key_t ckey = swk_alert_counts(sub);
    const char *keys[3], **args;
    redisReply *r;

    *changed = NULL;
    args = calloc(n + 1, sizeof(*args));
    if (args == NULL)
        return SW_ERR;
    keys[0] = mkey.s;
    keys[1] = skey.s;
    keys[2] = ckey.s;
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
    sw_key_t ckey = swk_alert_counts(sub);
    json_t *by_status = json_object(), *by_sev = json_object(), *fresh = json_object();
    long long total = 0;
    redisReply *r;
    size_t i, j;

    r = sw_store_cmd(s, "HGETALL", ckey.s, NULL);
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

void sw_alert_stamp(json_t *alert, long long sub, const char *event_id)
{
    const char *src = sw_alert_source_url(json_object_get(alert, "event"));
    char id[40], when[32];

    sw_alert_id(sub, event_id, id, sizeof(id));
    json_object_set_new(alert, "id", json_string(id));
    json_object_set_new(alert, "subscriber", json_integer(sub));
    json_object_set_new(alert, "event_id", json_string(event_id));
    if (json_object_get(alert, "item_ids") == NULL)
        json_object_set_new(alert, "item_ids", json_array());
    if (json_object_get(alert, "items") == NULL)
        json_object_set_new(alert, "items", json_array());
    if (src != NULL)
        json_object_set_new(alert, "source_url", json_string(src));
    json_object_set_new(alert, "status", json_string("new"));
    json_object_set_new(alert, "created_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                     sizeof(when))));
}

/* KEYS: actions, status. ARGV: now, limit. The ids of open windows, soonest first, without
 * the dismissed; reads at most 4 x limit + 100 entries. */
static const char actions_open_lua[] =
    "local out, limit = {}, tonumber(ARGV[2]) "
    "local ids = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf', 'LIMIT', 0, "
    "  4 * limit + 100) "
    "for i = 1, #ids do "
    "  if redis.call('HGET', KEYS[2], ids[i]) ~= 'dismissed' then out[#out + 1] = ids[i] end "
    "  if #out == limit then break end "
    "end "
    "return out";

int sw_alert_actions_open(struct sw_store *s, long long sub, int64_t now_ms, int limit,
                          json_t **ids)
{
    sw_key_t akey = swk_alert_actions(sub), skey = swk_alert_status(sub);
    char now[24], lim[16];
    const char *keys[2] = { akey.s, skey.s }, *args[2] = { now, lim };
    redisReply *r;
    size_t i;

    *ids = NULL;
    snprintf(now, sizeof(now), "%lld", (long long)now_ms);
    snprintf(lim, sizeof(lim), "%d", limit);
    r = sw_store_eval(s, actions_open_lua, 2, keys, 2, args);
    if (r == NULL || r->type != REDIS_REPLY_ARRAY)
        return bad_reply(s, r);
    *ids = json_array();
    for (i = 0; i < r->elements; i++)
        if (r->element[i]->type == REDIS_REPLY_STRING)
            json_array_append_new(*ids, json_string(r->element[i]->str));
    freeReplyObject(r);
    return SW_OK;
}

json_t *sw_alert_summary(const json_t *alert)
{
    static const char *const top[] = { "id", "severity", "status", "rule", "created_at",
                                       "source_url", "action" };
    static const char *const evf[] = { "id", "type", "title", "jurisdiction", "date" };
    const json_t *ev = json_object_get(alert, "event"), *it;
    json_t *out = json_object(), *e = json_object(), *items = json_array();
    size_t i;

    if (out == NULL || e == NULL || items == NULL) {
        json_decref(out);
        json_decref(e);
        json_decref(items);
        return NULL;
    }
    for (i = 0; i < SW_ARRAY_LEN(top); i++)
        if (json_object_get(alert, top[i]) != NULL)
            json_object_set(out, top[i], json_object_get(alert, top[i]));
    for (i = 0; i < SW_ARRAY_LEN(evf); i++)
        if (json_object_get(ev, evf[i]) != NULL)
            json_object_set(e, evf[i], json_object_get(ev, evf[i]));
    json_array_foreach(json_object_get(alert, "items"), i, it) {
        const json_t *item = json_object_get(it, "item");

        json_array_append_new(items, json_pack("{s:O?, s:O?, s:O?}", "id",
                                               json_object_get(item, "id"), "kind",
                                               json_object_get(item, "kind"), "text",
                                               json_object_get(item, "text")));
    }
    json_object_set_new(out, "event", e);
    json_object_set_new(out, "items", items);
    return out;
}
