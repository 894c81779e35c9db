/* alerts.c — an exporter's inbox: newest first with filters and a cursor, one alert, status
 * changes one or many, counts for a badge, and the live stream (Server-Sent Events). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seawall/alerts.h"
#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/date.h"
#include "seawall/json.h"
#include "seawall/log.h"
#include "seawall/store.h"
#include "api.h"

static const char *const severities[] = { "low", "medium", "high", "critical", NULL };
static const char *const statuses[] = { "new", "read", "dismissed", NULL };
static const char *const event_types[] = {
    "trademark_filing", "trademark_status", "patent_publication", "patent_grant", "litigation",
    "trade_investigation", "customs_seizure", "show_event", "show_incident", "bulletin", "news",
    NULL
};

/* Reads the list filters; answers 400 naming every bad parameter. */
static int read_filter(struct sw_ctx *c, struct sw_alert_filter *f)
{
    struct sw_verrs errs;
    const char *v;
    int64_t ms;

    memset(f, 0, sizeof(*f));
    sw_verrs_init(&errs);
    if ((v = sw_query(c, "severity")) != NULL && !sw_list_valid(v, severities))
        sw_verrs_add(&errs, "?severity", "must be low, medium, high or critical (several "
                     "separated by commas)");
    f->severity = v;
    if ((v = sw_query(c, "status")) != NULL && !sw_list_valid(v, statuses))
        sw_verrs_add(&errs, "?status", "must be new, read or dismissed (several separated by "
                     "commas)");
    f->status = v;
    if ((v = sw_query(c, "type")) != NULL && !sw_list_valid(v, event_types))
        sw_verrs_add(&errs, "?type", "must be event types such as trademark_filing or "
                     "litigation (several separated by commas)");
    f->type = v;
    if ((v = sw_query(c, "country")) != NULL && !sw_list_valid(v, NULL))
        sw_verrs_add(&errs, "?country", "must be ISO 3166 alpha-2 codes (or EM, WO, EP), "
                     "separated by commas");
    f->country = v;
    if ((v = sw_query(c, "rule")) != NULL) {
        size_t i, n = strlen(v);

        for (i = 0; i < n; i++)
            if (!((v[i] >= 'a' && v[i] <= 'z') || v[i] == '-' || v[i] == ','))
                break;
        if (n == 0 || n > 256 || i < n)
            sw_verrs_add(&errs, "?rule", "must be rule names such as similar-mark");
        f->rule = v;
    }
    if ((v = sw_query(c, "item")) != NULL && sw_parse_ll(v, 1, INT64_MAX, &f->item) != SW_OK)
        sw_verrs_add(&errs, "?item", "must be a portfolio item id");
    if ((v = sw_query(c, "since")) != NULL) {
        if (sw_date_ms(v, &ms) != SW_OK)
            sw_verrs_add(&errs, "?since", "must be an ISO 8601 date or date-time");
        else
            f->since_ms = ms;
    }
    if ((v = sw_query(c, "until")) != NULL) {
        if (sw_date_ms(v, &ms) != SW_OK)
            sw_verrs_add(&errs, "?until", "must be an ISO 8601 date or date-time");
        else
            f->until_ms = ms;
    }
    return sw_reply_if_invalid(c, &errs);
}

void sw_h_alerts_list(struct sw_ctx *c)
{
    long long cursor, next;
    struct sw_alert_filter f;
    json_t *ids, *items;
    int rc, limit;

    if (sw_page_args(c, &cursor, &limit) != SW_OK || read_filter(c, &f) != SW_OK)
        return;
    rc = sw_alert_page(c->store, c->who.subject, &f, cursor, limit,
                       (int)sw_config_int(c->cfg, "alerts.scan_max"), &ids, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing alerts");
        return;
    }
    rc = sw_alert_load(c->store, c->who.subject, ids, &items);
    json_decref(ids);
    if (rc != SW_OK) {
        json_decref(items);
        sw_reply_store(c, rc, "loading alerts");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

/* Loads one alert named by the path, or answers 404. Returns it or NULL. */
static json_t *one_alert(struct sw_ctx *c, const char *id)
{
    json_t *ids, *items, *a;
    int rc;

    if (!sw_alert_id_valid(id)) {
        sw_reply_not_found(c);
        return NULL;
    }
    ids = json_pack("[s]", id);
    rc = sw_alert_load(c->store, c->who.subject, ids, &items);
    json_decref(ids);
    if (rc != SW_OK) {
        json_decref(items);
        sw_reply_store(c, rc, "loading an alert");
        return NULL;
    }
    a = json_array_get(items, 0);
    if (a == NULL) {
        sw_reply_not_found(c);
        json_decref(items);
        return NULL;
    }
    json_incref(a);
    json_decref(items);
    return a;
}

void sw_h_alerts_get(struct sw_ctx *c)
{
    json_t *a = one_alert(c, sw_param(c, "id"));

    if (a != NULL)
        sw_reply_json(c, 200, a);
}

static const struct sw_jfield status_fields[] = {
    { "status", SW_J_STRING, SW_JF_REQUIRED, 1, 16, statuses },
    { NULL, 0, 0, 0, 0, NULL }
};

void sw_h_alerts_patch(struct sw_ctx *c)
{
    const char *id = sw_param(c, "id");
    json_t *in, *ids, *changed, *a;
    int rc;

    if (!sw_alert_id_valid(id)) {
        sw_reply_not_found(c);
        return;
    }
    if (sw_body_object(c, status_fields, 0, &in) != SW_OK)
        return;
    ids = json_pack("[s]", id);
    rc = sw_alert_set_status(c->store, c->who.subject,
                             json_string_value(json_object_get(in, "status")), ids, &changed);
    json_decref(ids);
    json_decref(in);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "changing an alert's status");
        return;
    }
    rc = (int)json_integer_value(json_array_get(changed, 0));
    json_decref(changed);
    if (rc < 0) {
        sw_reply_not_found(c);
        return;
    }
    if ((a = one_alert(c, id)) != NULL)
        sw_reply_json(c, 200, a);
}

static const struct sw_jfield bulk_fields[] = {
    { "status", SW_J_STRING, SW_JF_REQUIRED, 1, 16, statuses },
    { "ids", SW_J_STRINGS, SW_JF_REQUIRED, 1, 1000, NULL },
    { NULL, 0, 0, 0, 0, NULL }
};

void sw_h_alerts_bulk_status(struct sw_ctx *c)
{
    json_t *in, *ids, *changed, *updated, *unchanged, *missing, *v;
    struct sw_verrs errs;
    size_t i;
    int rc;

    if (sw_body_object(c, bulk_fields, 0, &in) != SW_OK)
        return;
    ids = json_object_get(in, "ids");
    sw_verrs_init(&errs);
    json_array_foreach(ids, i, v) {
        char ptr[32];

        snprintf(ptr, sizeof(ptr), "/ids/%zu", i);
        if (!sw_alert_id_valid(json_string_value(v)))
            sw_verrs_add(&errs, ptr, "not an alert id (al_ followed by 32 hex digits)");
    }
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        return;
    }
    rc = sw_alert_set_status(c->store, c->who.subject,
                             json_string_value(json_object_get(in, "status")), ids, &changed);
    if (rc != SW_OK) {
        json_decref(in);
        sw_reply_store(c, rc, "changing alert statuses");
        return;
    }
    updated = json_array();
    unchanged = json_array();
    missing = json_array();
    json_array_foreach(ids, i, v) {
        json_int_t r = json_integer_value(json_array_get(changed, i));

        json_array_append(r > 0 ? updated : r == 0 ? unchanged : missing, v);
    }
    json_decref(changed);
    sw_reply_json(c, 200, json_pack("{s:O, s:o, s:o, s:o}", "status",
                                    json_object_get(in, "status"), "updated", updated,
                                    "unchanged", unchanged, "not_found", missing));
    json_decref(in);
}

void sw_h_alerts_counts(struct sw_ctx *c)
{
    json_t *out;
    int rc = sw_alert_counts(c->store, c->who.subject, &out);

    if (rc != SW_OK)
        sw_reply_store(c, rc, "counting alerts");
    else
        sw_reply_json(c, 200, out);
}

/* --- the live stream --------------------------------------------------------------------- */

/* Streams held by this process; each holds a thread, so at least one thread stays free. */
static int local_streams;

/* KEYS: all streams, this subscriber's streams. ARGV: member, now, expiry, max all, max sub.
 * Returns 0 (taken), 1 (too many overall), 2 (too many for this subscriber). Slots expire, so
 * a process that died holding one gives it back by itself. */
static const char slot_lua[] =
    "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2]) "
    "redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[2]) "
    "if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end "
    "if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end "
    "redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) "
    "redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1]) "
    "return 0";

struct stream {
    struct sw_ctx *c;
    char member[40];
    char subkey[64];
    int64_t expiry_ms;
};

static int slot_take(struct stream *st, long long *why)
{
    char now[24], exp[24], all[24], per[24];
    const char *keys[2] = { "sw:sse:slots", st->subkey }, *args[5];

    snprintf(now, sizeof(now), "%lld", (long long)sw_now_ms());
    snprintf(exp, sizeof(exp), "%lld", (long long)(sw_now_ms() + st->expiry_ms));
    snprintf(all, sizeof(all), "%lld", sw_config_int(st->c->cfg, "api.sse_max"));
    snprintf(per, sizeof(per), "%lld", sw_config_int(st->c->cfg, "api.sse_per_subscriber"));
    args[0] = st->member;
    args[1] = now;
    args[2] = exp;
    args[3] = all;
    args[4] = per;
    return sw_store_eval_int(st->c->store, slot_lua, 2, keys, 5, args, why);
}

static void slot_renew(struct stream *st)
{
    char exp[24];
    const char *argv[5] = { "ZADD", NULL, "XX", exp, st->member };
    redisReply *r;

    snprintf(exp, sizeof(exp), "%lld", (long long)(sw_now_ms() + st->expiry_ms));
    argv[1] = "sw:sse:slots";
    if ((r = sw_store_cmdv(st->c->store, 5, argv, NULL)) != NULL)
        freeReplyObject(r);
    argv[1] = st->subkey;
    if ((r = sw_store_cmdv(st->c->store, 5, argv, NULL)) != NULL)
        freeReplyObject(r);
}

static void slot_release(struct stream *st)
{
    redisReply *r;

    if ((r = sw_store_cmd(st->c->store, "ZREM", "sw:sse:slots", st->member, NULL)) != NULL)
        freeReplyObject(r);
    if ((r = sw_store_cmd(st->c->store, "ZREM", st->subkey, st->member, NULL)) != NULL)
        freeReplyObject(r);
}

static const char stream_head[] = "Status: 200 OK\r\n"
                                  "Content-Type: text/event-stream; charset=utf-8\r\n"
                                  "Cache-Control: no-store\r\n"
                                  "X-Accel-Buffering: no\r\n\r\n"
                                  "retry: 3000\n\n";

static int put(struct sw_ctx *c, const char *text, size_t n)
{
    return c->write_out(c->io, text, n);
}

/* Sends "event: <event>" with {"detail": <detail in the reader's language>}. */
static int put_event(struct sw_ctx *c, const char *event, const char *detail)
{
    struct sw_buf b;
    int rc = -1;

    sw_buf_init(&b, 4096);
    if (sw_buf_printf(&b, "event: %s\ndata: {\"detail\":", event) == SW_OK &&
        sw_buf_add_json(&b, sw_tr(c->lang, detail)) == SW_OK && sw_buf_adds(&b, "}\n\n") == SW_OK)
        rc = put(c, b.p, b.len);
    sw_buf_free(&b);
    return rc;
}

/* Compares stream ids numerically: <0, 0, >0. */
static int stream_id_cmp(const char *a, const char *b)
{
    unsigned long long am = strtoull(a, NULL, 10), bm = strtoull(b, NULL, 10);
    unsigned long long as = strtoull(strchr(a, '-') ? strchr(a, '-') + 1 : "0", NULL, 10);
    unsigned long long bs = strtoull(strchr(b, '-') ? strchr(b, '-') + 1 : "0", NULL, 10);

    if (am != bm)
        return am < bm ? -1 : 1;
    return as < bs ? -1 : as > bs;
}

/* Sends the alerts of one XREAD reply; returns -1 when the client has gone. */
static int send_entries(struct sw_ctx *c, const redisReply *entries, char *last, size_t lastlen)
{
    size_t i;

    for (i = 0; i < entries->elements; i++) {
        const redisReply *e = entries->element[i], *f = e->element[1];
        json_t *ids, *items;
        char head[96];
        int n;

        sw_strlcpy(last, e->element[0]->str, lastlen);
        if (f->type != REDIS_REPLY_ARRAY || f->elements < 2)
            continue;
        ids = json_pack("[s]", f->element[1]->str);
        if (sw_alert_load(c->store, c->who.subject, ids, &items) == SW_OK &&
            json_array_size(items) == 1) {
            char *text = sw_json_dumps(json_array_get(items, 0));

            n = snprintf(head, sizeof(head), "id: %s\nevent: alert\ndata: ", last);
            if (text == NULL || put(c, head, (size_t)n) < 0 || put(c, text, strlen(text)) < 0 ||
                put(c, "\n\n", 2) < 0) {
                free(text);
                json_decref(ids);
                json_decref(items);
                return -1;
            }
            free(text);
        }
        json_decref(ids);
        json_decref(items);
    }
    return 0;
}

void sw_h_alerts_stream(struct sw_ctx *c)
{
    long long heartbeat_s = sw_config_int(c->cfg, "api.sse_heartbeat_s"), why = 0;
    long long threads = sw_config_int(c->cfg, "api.threads");
    const char *resume = c->req->last_event_id;
    char lkey[64], last[48] = "0-0", block[16];
    unsigned char rnd[12];
    struct stream st;
    struct sw_store live;
    int64_t quiet_since, renewed;
    int rc, mine;

    if (resume != NULL && resume[0] != '\0' && !sw_stream_id_valid(resume)) {
        json_t *errors = json_pack("[{s:s, s:s}]", "header", "Last-Event-ID", "message",
                                   sw_tr(c->lang, "must be an id this stream sent"));

        sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                         "Last-Event-ID must be an id this stream sent (\"<ms>-<n>\")");
        return;
    }
    memset(&st, 0, sizeof(st));
    st.c = c;
    st.expiry_ms = heartbeat_s * 3000;
    randombytes_buf(rnd, sizeof(rnd));
    sw_hex(rnd, sizeof(rnd), st.member);
    snprintf(st.subkey, sizeof(st.subkey), "sw:{sub:%lld}:sse", c->who.subject);
    mine = __atomic_add_fetch(&local_streams, 1, __ATOMIC_SEQ_CST);
    if (mine > threads - 1) {
        __atomic_sub_fetch(&local_streams, 1, __ATOMIC_SEQ_CST);
        sw_reply_header(c, "Retry-After", "5");
        sw_reply_problem(c, 429, "too-many-streams", "Too many live streams", NULL,
                         "this API process keeps its last thread for ordinary requests; try "
                         "again shortly");
        return;
    }
    rc = slot_take(&st, &why);
    if (rc != SW_OK || why != 0) {
        __atomic_sub_fetch(&local_streams, 1, __ATOMIC_SEQ_CST);
        if (rc != SW_OK) {
            sw_reply_store(c, rc, "taking a stream slot");
            return;
        }
        sw_reply_header(c, "Retry-After", "5");
        if (why == 2)
            sw_reply_problem(c, 429, "too-many-streams", "Too many live streams", NULL,
                             "this subscriber already has %lld live streams open",
                             sw_config_int(c->cfg, "api.sse_per_subscriber"));
        else
            sw_reply_problem(c, 429, "too-many-streams", "Too many live streams", NULL,
                             "the service already has %lld live streams open",
                             sw_config_int(c->cfg, "api.sse_max"));
        return;
    }
    snprintf(lkey, sizeof(lkey), "sw:{sub:%lld}:live", c->who.subject);
    sw_store_init(&live, c->cfg);
    live.command_timeout_ms = 1000 + 2000;
    snprintf(block, sizeof(block), "%d", 1000);

    /* Where to start: after the client's last id, else after the newest entry now. */
    {
        redisReply *r = sw_store_cmd(c->store, resume && resume[0] ? "XRANGE" : "XREVRANGE",
                                     lkey, resume && resume[0] ? "-" : "+",
                                     resume && resume[0] ? "+" : "-", "COUNT", "1", NULL);

        if (r == NULL) {
            slot_release(&st);
            __atomic_sub_fetch(&local_streams, 1, __ATOMIC_SEQ_CST);
            sw_store_close(&live);
            sw_reply_store(c, SW_EAGAIN, "opening the live stream");
            return;
        }
        c->resp->streamed = 1;
        if (put(c, stream_head, sizeof(stream_head) - 1) < 0) {
            freeReplyObject(r);
            goto out;
        }
        c->resp->status = 200;
        if (resume && resume[0]) {
            sw_strlcpy(last, resume, sizeof(last));
            /* Older than anything kept: some alerts are no longer in the stream. */
            if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
                stream_id_cmp(resume, r->element[0]->element[0]->str) < 0) {
                put_event(c, "gap", SW_N("some alerts since Last-Event-ID are no longer kept "
                                         "for streaming; list /api/v1/alerts to catch up"));
            }
        } else if (r->type == REDIS_REPLY_ARRAY && r->elements == 1) {
            sw_strlcpy(last, r->element[0]->element[0]->str, sizeof(last));
        }
        freeReplyObject(r);
    }
    quiet_since = renewed = sw_mono_us();
    while (!sw_api_stopping) {
        redisReply *r = sw_store_cmd(&live, "XREAD", "COUNT", "100", "BLOCK", block, "STREAMS",
                                     lkey, last, NULL);
        int64_t now = sw_mono_us();

        if (r == NULL) {
            static const char down[] = ": store unavailable\n\n";

            if (put(c, down, sizeof(down) - 1) < 0)
                break;
            sw_store_close(&live);
            break;   /* the client reconnects with Last-Event-ID */
        }
        if (r->type == REDIS_REPLY_ARRAY && r->elements > 0) {
            if (send_entries(c, r->element[0]->element[1], last, sizeof(last)) < 0) {
                freeReplyObject(r);
                break;
            }
            quiet_since = now;
        }
        freeReplyObject(r);
        if (now - renewed >= heartbeat_s * 1000000) {
            struct sw_principal again;

            /* A revoked token ends its streams at the next heartbeat. */
            rc = sw_auth_lookup(c->store, c->req->authorization, &again, NULL);
            if (rc != SW_OK && rc != SW_EAGAIN) {
                put_event(c, "end", SW_N("the token is no longer valid"));
                break;
            }
            slot_renew(&st);
            renewed = now;
        }
        if (now - quiet_since >= heartbeat_s * 1000000) {
            char beat[64];
            int n = snprintf(beat, sizeof(beat), ": heartbeat %lld\n\n",
                             (long long)sw_now_ms());

            if (put(c, beat, (size_t)n) < 0)
                break;
            quiet_since = now;
        }
    }
out:
    sw_store_close(&live);
    slot_release(&st);
    __atomic_sub_fetch(&local_streams, 1, __ATOMIC_SEQ_CST);
}
