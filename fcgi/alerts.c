/* alerts.c — an exporter's inbox: newest first with filters and a cursor, one alert, status
 * changes one or many, counts for a badge, and the live stream (Server-Sent Events). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seawall/alerts.h"
#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/date.h"
#include "seawall/json.h"
#include "seawall/live.h"
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
        sw_verrs_add(&errs, "severity", "must be low, medium, high or critical (several "
                     "separated by commas)");
    f->severity = v;
    if ((v = sw_query(c, "status")) != NULL && !sw_list_valid(v, statuses))
        sw_verrs_add(&errs, "status", "must be new, read or dismissed (several separated by "
                     "commas)");
    f->status = v;
    if ((v = sw_query(c, "type")) != NULL && !sw_list_valid(v, event_types))
        sw_verrs_add(&errs, "type", "must be event types such as trademark_filing or "
                     "litigation (several separated by commas)");
    f->type = v;
    if ((v = sw_query(c, "country")) != NULL && !sw_list_valid(v, NULL))
        sw_verrs_add(&errs, "country", "must be ISO 3166 alpha-2 codes (or EM, WO, EP), "
                     "separated by commas");
    f->country = v;
    if ((v = sw_query(c, "rule")) != NULL) {
        size_t i, n = strlen(v);

        for (i = 0; i < n; i++)
            if (!((v[i] >= 'a' && v[i] <= 'z') || v[i] == '-' || v[i] == ','))
                break;
        if (n == 0 || n > 256 || i < n)
            sw_verrs_add(&errs, "rule", "must be rule names such as similar-mark");
        f->rule = v;
    }
    if ((v = sw_query(c, "item")) != NULL && sw_parse_ll(v, 1, INT64_MAX, &f->item) != SW_OK)
        sw_verrs_add(&errs, "item", "must be a portfolio item id");
    if ((v = sw_query(c, "since")) != NULL) {
        if (sw_date_ms(v, &ms) != SW_OK)
            sw_verrs_add(&errs, "since", "must be an ISO 8601 date or date-time");
        else
            f->since_ms = ms;
    }
    if ((v = sw_query(c, "until")) != NULL) {
        if (sw_date_ms(v, &ms) != SW_OK)
            sw_verrs_add(&errs, "until", "must be an ISO 8601 date or date-time");
        else
            f->until_ms = ms;
    }
    return sw_reply_params_invalid(c, &errs);
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

/* The answer to a resume that can no longer be honoured: the gap, and the id to go on from.
 * The response ends there; the client reconnects (EventSource does by itself) with that id. */
static const char gap_data[] =
    "data: {\"detail\":\"some alerts since Last-Event-ID are no longer kept for streaming; list "
    "/api/v1/alerts to catch up, and reconnect with this event's id to go on\"}\n\n";

/* 1 when the Accept header names text/event-stream (what EventSource sends). */
static int accepts_events(const char *accept)
{
    static const char want[] = "text/event-stream";
    const char *p;

    for (p = accept; p != NULL && *p != '\0'; p++)
        if (strncasecmp(p, want, sizeof(want) - 1) == 0)
            return 1;
    return 0;
}

/* Admits a live stream and hands it to nginx, which holds it (Nchan; see seawall/live.h): no
 * thread of ours waits on an open stream. Checks the caps against the streams nginx holds,
 * and a Last-Event-ID against the alerts it still keeps; then answers X-Accel-Redirect to the
 * internal subscriber location for this subscriber's alerts and this token's end. */
void sw_h_alerts_stream(struct sw_ctx *c)
{
    const char *resume = c->req->last_event_id;
    long long per = sw_config_int(c->cfg, "api.sse_per_subscriber");
    long long max = sw_config_int(c->cfg, "api.sse_max"), all = 0, now_s;
    struct sw_live_id pos = { 0, -1 }, from;
    struct sw_live_info info;
    struct sw_live lv;
    char channel[32], uri[96], id[48];
    int rc, gap = 0, resuming = resume != NULL && resume[0] != '\0';

    if (!accepts_events(c->req->accept)) {
        sw_reply_problem(c, 406, "not-acceptable", "Not acceptable", NULL,
                         "the live stream is Server-Sent Events: send Accept: "
                         "text/event-stream (as EventSource does)");
        return;
    }
    if (resuming && (rc = sw_live_event_id_parse(resume, &pos)) == SW_INVALID) {
        json_t *errors = json_pack("[{s:s, s:s}]", "header", "Last-Event-ID", "message",
                                   sw_tr(c->lang, "must be an id this stream sent"));

        sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                         "Last-Event-ID must be an id this stream sent (\"<s>:[<n>],-\")");
        return;
    }
    snprintf(channel, sizeof(channel), "a%lld", c->who.subject);
    now_s = sw_now_ms() / 1000;
    sw_live_init(&lv, c->cfg);
    rc = sw_live_channel(&lv, channel, &info);
    if (rc == SW_OK)
        rc = sw_live_streams(&lv, &all);
    sw_live_close(&lv);
    if (rc != SW_OK) {
        sw_warn("live stream for subscriber %lld: %s", c->who.subject, lv.errstr);
        sw_reply_header(c, "Retry-After", "5");
        sw_reply_problem(c, 503, "unavailable", "Service unavailable", NULL,
                         "live streams are not available just now; try again shortly");
        return;
    }
    if (info.subscribers >= per || all >= max) {
        sw_reply_header(c, "Retry-After", "5");
        sw_reply_problem(c, 429, "too-many-streams", "Too many live streams", NULL,
                         info.subscribers >= per
                             ? "this subscriber already has %lld live streams open"
                             : "the service already has %lld live streams open",
                         info.subscribers >= per ? per : max);
        return;
    }
    if (resuming) {
        /* An id of the streams before Nchan (SW_NOTFOUND) keeps pos.tag -1: a gap. */
        rc = sw_live_resume(c->store, c->who.subject, &info, &pos, now_s, &gap, &from);
        if (rc != SW_OK) {
            sw_reply_store(c, rc, "opening the live stream");
            return;
        }
    }
    if (gap) {
        sw_live_event_id(&from, id, sizeof(id));
        c->resp->status = 200;
        c->resp->ctype = "text/event-stream; charset=utf-8";
        sw_reply_header(c, "Cache-Control", "no-store");
        sw_buf_reset(&c->resp->body);
        sw_buf_printf(&c->resp->body, "retry: 1000\nid: %s\nevent: gap\n%s", id, gap_data);
        return;
    }
    snprintf(uri, sizeof(uri), "/_live/sub/%lld/%s", c->who.subject, c->who.token_id);
    sw_reply_header(c, "X-Accel-Redirect", uri);
    c->resp->status = 200;
    c->resp->ctype = "text/event-stream; charset=utf-8";
    sw_buf_reset(&c->resp->body);
}
