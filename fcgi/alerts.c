/* alerts.c — an exporter's inbox: newest first with filters, text search and a cursor, one
 * alert, status changes one, many or every match of a filter, counts for a badge, and the
 * live stream (Server-Sent Events). */
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
#include "seawall/message.h"
#include "seawall/session.h"
#include "seawall/store.h"
#include "api.h"

static const char *const severities[] = { "low", "medium", "high", "critical", NULL };
static const char *const statuses[] = { "new", "read", "dismissed", NULL };
static const char *const event_types[] = {
    "trademark_filing", "trademark_status", "patent_publication", "patent_grant", "litigation",
    "trade_investigation", "customs_seizure", "show_event", "show_incident", "bulletin", "news",
    "case_notice", "followed", NULL
};

/* A filter as the client gave it: the list's query parameters, or the "filter" member of a
 * bulk status change (item there a JSON integer, printed into item_buf). */
struct filter_in {
    const char *severity, *status, *type, *rule, *country, *item, *since, *until, *q;
    const char *action, *due;   /* action=any|none, action_due_within_d=N */
    char item_buf[24], due_buf[24];
};

static const char *const action_modes[] = { "any", "none", NULL };

#define DUE_DAYS_MAX 3660   /* ten years: the longest window a rule gives, and then some */

/* Checks in and fills f (pointing into in); each problem is added to errs naming prefix +
 * the member ("" for query parameters, "/filter/" for a body). now is the time "due within"
 * counts from. */
static void filter_read(const struct filter_in *in, const char *prefix, int64_t now,
                        struct sw_alert_filter *f, struct sw_verrs *errs)
{
    char at[32];
    int64_t ms;
    long long days;

#define AT(name) (snprintf(at, sizeof(at), "%s%s", prefix, name), at)
    memset(f, 0, sizeof(*f));
    if (in->severity != NULL && !sw_list_valid(in->severity, severities))
        sw_verrs_add(errs, AT("severity"), "must be low, medium, high or critical (several "
                     "separated by commas)");
    f->severity = in->severity;
    if (in->status != NULL && !sw_list_valid(in->status, statuses))
        sw_verrs_add(errs, AT("status"), "must be new, read or dismissed (several separated "
                     "by commas)");
    f->status = in->status;
    if (in->type != NULL && !sw_list_valid(in->type, event_types))
        sw_verrs_add(errs, AT("type"), "must be event types such as trademark_filing, "
                     "litigation or case_notice (several separated by commas)");
    f->type = in->type;
    if (in->country != NULL && !sw_list_valid(in->country, NULL))
        sw_verrs_add(errs, AT("country"), "must be ISO 3166 alpha-2 codes (or EM, WO, EP), "
                     "separated by commas");
    f->country = in->country;
    if (in->rule != NULL) {
        size_t i, n = strlen(in->rule);

        for (i = 0; i < n; i++)
            if (!((in->rule[i] >= 'a' && in->rule[i] <= 'z') || in->rule[i] == '-' ||
                  in->rule[i] == ','))
                break;
        if (n == 0 || n > 256 || i < n)
            sw_verrs_add(errs, AT("rule"), "must be rule names such as similar-mark");
        f->rule = in->rule;
    }
    if (in->item != NULL && sw_parse_ll(in->item, 1, INT64_MAX, &f->item) != SW_OK)
        sw_verrs_add(errs, AT("item"), "must be a portfolio item id");
    if (in->since != NULL) {
        if (sw_date_ms(in->since, &ms) != SW_OK)
            sw_verrs_add(errs, AT("since"), "must be an ISO 8601 date or date-time");
        else
            f->since_ms = ms;
    }
    if (in->until != NULL) {
        if (sw_date_ms(in->until, &ms) != SW_OK)
            sw_verrs_add(errs, AT("until"), "must be an ISO 8601 date or date-time");
        else
            f->until_ms = ms;
    }
    if (in->q != NULL && !sw_alert_q_valid(in->q))
        sw_verrs_add(errs, AT("q"), "must be 1 to %d bytes of UTF-8 text with a letter or a "
                     "digit", SW_ALERT_Q_MAX);
    f->q = in->q;
    if (in->action != NULL && strcmp(in->action, "any") != 0 && strcmp(in->action, "none") != 0)
        sw_verrs_add(errs, AT("action"), "must be any (alerts with an action) or none (alerts "
                     "without one)");
    f->action = in->action;
    if (in->due != NULL) {
        if (sw_parse_ll(in->due, 0, DUE_DAYS_MAX, &days) != SW_OK)
            sw_verrs_add(errs, AT("action_due_within_d"), "must be a number of days from 0 to "
                         "%d", DUE_DAYS_MAX);
        else if (in->action != NULL && strcmp(in->action, "none") == 0)
            sw_verrs_add(errs, AT("action_due_within_d"), "asks for alerts whose action is due: "
                         "it cannot be combined with action=none");
        else
            f->due_until_ms = now + days * 86400000LL;
    }
    f->now_ms = now;
#undef AT
}

/* Reads the list filters; answers 400 naming every bad parameter. */
static int read_filter(struct sw_ctx *c, struct sw_alert_filter *f)
{
    struct filter_in in;
    struct sw_verrs errs;

    memset(&in, 0, sizeof(in));
    in.severity = sw_query(c, "severity");
    in.status = sw_query(c, "status");
    in.type = sw_query(c, "type");
    in.rule = sw_query(c, "rule");
    in.country = sw_query(c, "country");
    in.item = sw_query(c, "item");
    in.since = sw_query(c, "since");
    in.until = sw_query(c, "until");
    in.q = sw_query(c, "q");
    in.action = sw_query(c, "action");
    in.due = sw_query(c, "action_due_within_d");
    sw_verrs_init(&errs);
    filter_read(&in, "", sw_cases_now(c), f, &errs);
    return sw_reply_params_invalid(c, &errs);
}

/* Alerts one request examines at most: fewer when each costs a text search. */
static int scan_max(const struct sw_ctx *c, const struct sw_alert_filter *f)
{
    return (int)sw_config_int(c->cfg, f->q != NULL ? "alerts.search_scan_max"
                                                   : "alerts.scan_max");
}

/* The alerts (an array; stolen) with title, summary and each reason's text in the request's
 * language (the person's own, else Accept-Language); the stored members unchanged. */
static json_t *localised(struct sw_ctx *c, json_t *alerts)
{
    json_t *out = json_array(), *a;
    size_t i;

    json_array_foreach(alerts, i, a) {
        json_t *l = sw_msg_localise(c->lang, a);

        json_array_append_new(out, l != NULL ? l : json_incref(a));
    }
    json_decref(alerts);
    return out;
}

void sw_h_alerts_list(struct sw_ctx *c)
{
    long long cursor, next;
    struct sw_alert_filter f;
    json_t *ids, *items;
    int rc, limit;

    if (sw_page_args(c, &cursor, &limit) != SW_OK || read_filter(c, &f) != SW_OK)
        return;
    rc = sw_alert_page(c->store, c->who.subject, &f, cursor, limit, scan_max(c, &f), &ids,
                       &next);
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
    sw_reply_json(c, 200, sw_page_json(localised(c, items), next));
    sw_reply_lang(c);
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
    items = localised(c, items);
    a = json_array_get(items, 0);
    if (a == NULL) {
        sw_reply_not_found(c);
        json_decref(items);
        return NULL;
    }
    json_incref(a);
    json_decref(items);
    sw_reply_lang(c);
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
    { "ids", SW_J_STRINGS, 0, 1, 1000, NULL },
    { "cursor", SW_J_STRING, 0, 1, 24, NULL },
    { NULL, 0, 0, 0, 0, NULL }
};

static const struct sw_jfield filter_fields[] = {
    { "severity", SW_J_STRING, 0, 1, 512, NULL },
    { "status", SW_J_STRING, 0, 1, 512, NULL },
    { "type", SW_J_STRING, 0, 1, 512, NULL },
    { "rule", SW_J_STRING, 0, 1, 512, NULL },
    { "country", SW_J_STRING, 0, 1, 512, NULL },
    { "item", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "since", SW_J_STRING, 0, 1, 64, NULL },
    { "until", SW_J_STRING, 0, 1, 64, NULL },
    { "q", SW_J_STRING, 0, 1, SW_ALERT_Q_MAX, NULL },
    { "action", SW_J_STRING, 0, 1, 8, action_modes },
    { "action_due_within_d", SW_J_INT, 0, 0, DUE_DAYS_MAX, NULL },
    { NULL, 0, 0, 0, 0, NULL }
};

/* The explicit list: each id answered updated, unchanged or not_found. Steals nothing. */
static void bulk_by_ids(struct sw_ctx *c, const json_t *in)
{
    const json_t *ids = json_object_get(in, "ids"), *v;
    json_t *changed, *updated, *unchanged, *missing;
    struct sw_verrs errs;
    size_t i;
    int rc;

    sw_verrs_init(&errs);
    json_array_foreach(ids, i, v) {
        char ptr[32];

        snprintf(ptr, sizeof(ptr), "/ids/%zu", i);
        if (!sw_alert_id_valid(json_string_value(v)))
            sw_verrs_add(&errs, ptr, "not an alert id (al_ followed by 32 hex digits)");
    }
    if (sw_reply_if_invalid(c, &errs) != SW_OK)
        return;
    rc = sw_alert_set_status(c->store, c->who.subject,
                             json_string_value(json_object_get(in, "status")), ids, &changed);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "changing alert statuses");
        return;
    }
    updated = json_array();
    unchanged = json_array();
    missing = json_array();
    json_array_foreach(ids, i, v) {
        json_int_t r = json_integer_value(json_array_get(changed, i));

        json_array_append(r > 0 ? updated : r == 0 ? unchanged : missing, (json_t *)v);
    }
    json_decref(changed);
    sw_reply_json(c, 200, json_pack("{s:O, s:o, s:o, s:o}", "status",
                                    json_object_get(in, "status"), "updated", updated,
                                    "unchanged", unchanged, "not_found", missing));
}

/* Every alert the filter matches, newest first from the cursor, in steps of at most
 * alerts.scan_max examined (alerts.search_scan_max with q): each answer says how many changed
 * and gives the cursor to send for the next step (null when the inbox was gone through).
 * Alerts that arrive after the first step are above its cursor and stay as they are. */
static void bulk_by_filter(struct sw_ctx *c, const json_t *in)
{
    const json_t *fj = json_object_get(in, "filter");
    const char *cur = json_string_value(json_object_get(in, "cursor"));
    long long cursor = 0, changed, matched, next;
    struct sw_alert_filter f;
    struct filter_in fin;
    struct sw_verrs errs;
    char nexttxt[32];
    int rc;

    sw_verrs_init(&errs);
    if (!json_is_object(fj)) {
        sw_verrs_add(&errs, "/filter", "must be an object with the list's filters (severity, "
                     "status, type, rule, country, item, since, until, q, action, "
                     "action_due_within_d)");
    } else if (sw_json_check(fj, filter_fields, 1, "/filter", &errs) == 0) {
        memset(&fin, 0, sizeof(fin));
        fin.severity = json_string_value(json_object_get(fj, "severity"));
        fin.status = json_string_value(json_object_get(fj, "status"));
        fin.type = json_string_value(json_object_get(fj, "type"));
        fin.rule = json_string_value(json_object_get(fj, "rule"));
        fin.country = json_string_value(json_object_get(fj, "country"));
        fin.since = json_string_value(json_object_get(fj, "since"));
        fin.until = json_string_value(json_object_get(fj, "until"));
        fin.q = json_string_value(json_object_get(fj, "q"));
        if (json_is_integer(json_object_get(fj, "item"))) {
            snprintf(fin.item_buf, sizeof(fin.item_buf), "%lld",
                     (long long)json_integer_value(json_object_get(fj, "item")));
            fin.item = fin.item_buf;
        }
        fin.action = json_string_value(json_object_get(fj, "action"));
        if (json_is_integer(json_object_get(fj, "action_due_within_d"))) {
            snprintf(fin.due_buf, sizeof(fin.due_buf), "%lld",
                     (long long)json_integer_value(json_object_get(fj, "action_due_within_d")));
            fin.due = fin.due_buf;
        }
        filter_read(&fin, "/filter/", sw_cases_now(c), &f, &errs);
    }
    if (cur != NULL && sw_parse_ll(cur, 1, INT64_MAX, &cursor) != SW_OK)
        sw_verrs_add(&errs, "/cursor", "must be a cursor this request returned as \"next\"");
    if (sw_reply_if_invalid(c, &errs) != SW_OK)
        return;
    rc = sw_alert_set_status_where(c->store, c->who.subject, &f,
                                   json_string_value(json_object_get(in, "status")), cursor,
                                   scan_max(c, &f), &changed, &matched, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "changing alert statuses");
        return;
    }
    snprintf(nexttxt, sizeof(nexttxt), "%lld", next);
    sw_reply_json(c, 200, json_pack("{s:O, s:I, s:I, s:o}", "status",
                                    json_object_get(in, "status"), "changed",
                                    (json_int_t)changed, "matched", (json_int_t)matched, "next",
                                    next > 0 ? json_string(nexttxt) : json_null()));
}

/* Status for an explicit list of ids, or for every alert matching a filter ("mark all"). */
void sw_h_alerts_bulk_status(struct sw_ctx *c)
{
    json_t *in, *top;
    struct sw_verrs errs;

    if (sw_body_parse(c, &in) != SW_OK)
        return;
    top = json_copy(in);   /* the members the table checks; filter is checked on its own */
    json_object_del(top, "filter");
    sw_verrs_init(&errs);
    sw_json_check(top, bulk_fields, 0, "", &errs);
    json_decref(top);
    if (json_object_get(in, "ids") != NULL && json_object_get(in, "filter") != NULL)
        sw_verrs_add(&errs, "/filter", "give ids or filter, not both");
    else if (json_object_get(in, "ids") == NULL && json_object_get(in, "filter") == NULL)
        sw_verrs_add(&errs, "/ids", "give ids (up to 1000 alert ids) or filter (every alert "
                     "it matches)");
    if (json_object_get(in, "cursor") != NULL && json_object_get(in, "filter") == NULL)
        sw_verrs_add(&errs, "/cursor", "goes with filter only");
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        return;
    }
    if (json_object_get(in, "filter") != NULL)
        bulk_by_filter(c, in);
    else
        bulk_by_ids(c, in);
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
    /* The stream ends with what admitted it: the token's revocation, or the session's end. */
    if (c->who.via_session)
        snprintf(uri, sizeof(uri), "/_live/sub/%lld/s%.*s", c->who.subject, SW_SESSION_PUBID_LEN,
                 c->who.session);
    else
        snprintf(uri, sizeof(uri), "/_live/sub/%lld/t%s", c->who.subject, c->who.token_id);
    sw_reply_header(c, "X-Accel-Redirect", uri);
    c->resp->status = 200;
    c->resp->ctype = "text/event-stream; charset=utf-8";
    sw_buf_reset(&c->resp->body);
}
