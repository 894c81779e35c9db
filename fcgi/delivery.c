/* delivery.c — an exporter's delivery settings, webhook endpoints (secret shown once,
 * rotation with an overlap), the deliveries made for them with replay, the delivery log, and
 * the one-click unsubscribe link mail carries (RFC 8058). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "seawall/config.h"
#include "seawall/delivery.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/messenger.h"
#include "api.h"

/* --- settings ---------------------------------------------------------------------------- */

static void with_next_digest(json_t *doc)
{
    char when[32];
    int64_t next;

    if (strcmp(json_string_value(json_object_get(doc, "email_mode")) ?: "", "digest") != 0)
        return;
    next = sw_digest_next((int)json_integer_value(json_object_get(doc, "digest_hour")),
                          json_string_value(json_object_get(doc, "digest_tz")) ?: "UTC",
                          sw_now_ms());
    if (next > 0)
        json_object_set_new(doc, "next_digest_at", json_string(sw_iso8601(next, when,
                                                                          sizeof(when))));
}

void sw_h_delivery_get(struct sw_ctx *c)
{
    json_t *doc;
    int rc = sw_delivery_view(c->store, c->who.subject, &doc);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading delivery settings");
        return;
    }
    with_next_digest(doc);
    sw_reply_json(c, 200, doc);
}

void sw_h_delivery_patch(struct sw_ctx *c)
{
    struct sw_verrs errs;
    json_t *in, *doc;
    int rc;

    if (sw_body_object(c, sw_delivery_fields, 1, &in) != SW_OK)
        return;
    sw_verrs_init(&errs);
    sw_delivery_check(in, &errs);
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        return;
    }
    rc = sw_delivery_patch(c->store, c->who.subject, in, &doc);
    json_decref(in);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "saving delivery settings");
        return;
    }
    with_next_digest(doc);
    sw_reply_json(c, 200, doc);
}

/* Sends the waiting digest now instead of at its hour. */
void sw_h_delivery_digest(struct sw_ctx *c)
{
    json_t *doc;
    long long waiting;
    int rc = sw_delivery_get(c->store, c->who.subject, &doc);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading delivery settings");
        return;
    }
    if (strcmp(json_string_value(json_object_get(doc, "email_mode")) ?: "", "digest") != 0) {
        json_decref(doc);
        sw_reply_problem(c, 409, "not-digest", "Not in digest mode", NULL,
                         "email_mode is not \"digest\"; alerts are mailed as they come or not "
                         "at all");
        return;
    }
    json_decref(doc);
    if ((rc = sw_digest_send_now(c->store, c->who.subject, &waiting)) != SW_OK) {
        sw_reply_store(c, rc, "scheduling the digest");
        return;
    }
    sw_reply_json(c, 202, json_pack("{s:I, s:s}", "alerts", (json_int_t)waiting, "detail",
                                    waiting > 0 ? "the digest is being sent"
                                                : "no alerts are waiting for a digest"));
}

/* --- webhooks ---------------------------------------------------------------------------- */

static int url_checked(struct sw_ctx *c, const json_t *in, const json_t *stored)
{
    struct sw_verrs errs;

    sw_verrs_init(&errs);
    sw_webhook_check_url(in, stored, sw_config_str(c->cfg, "net.allow_private"), &errs);
    return sw_reply_if_invalid(c, &errs);
}

void sw_h_webhooks_create(struct sw_ctx *c)
{
    json_t *in, *wh, *out;
    char loc[64];
    long long max = sw_config_int(c->cfg, "webhooks.max_per_subscriber");
    int rc;

    if (sw_body_object(c, sw_webhook_fields, 0, &in) != SW_OK)
        return;
    if (url_checked(c, in, NULL) != SW_OK) {
        json_decref(in);
        return;
    }
    rc = sw_webhook_create(c->store, c->who.subject, in, max, &wh);
    json_decref(in);
    if (rc == SW_TOOBIG) {
        sw_reply_problem(c, 409, "too-many-webhooks", "Too many webhooks", NULL,
                         "a subscriber may have at most %lld webhook endpoints; delete one "
                         "first", max);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "creating a webhook");
        return;
    }
    out = sw_webhook_public(c->store, c->who.subject, wh);
    if (sw_msgr_of(wh) == SW_MSGR_GENERIC)
        json_object_set(out, "secret",
                        json_object_get(json_array_get(json_object_get(wh, "secrets"), 0),
                                        "secret"));
    json_decref(wh);
    snprintf(loc, sizeof(loc), "/api/v1/webhooks/%lld",
             (long long)json_integer_value(json_object_get(out, "id")));
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 201, out);
}

void sw_h_webhooks_list(struct sw_ctx *c)
{
    json_t *all, *items = json_array(), *v;
    size_t i;
    int rc = sw_webhook_all(c->store, c->who.subject, &all);

    if (rc != SW_OK) {
        json_decref(items);
        sw_reply_store(c, rc, "listing webhooks");
        return;
    }
    json_array_foreach(all, i, v)
        json_array_append_new(items, sw_webhook_public(c->store, c->who.subject, v));
    json_decref(all);
    sw_reply_json(c, 200, sw_page_json(items, 0));
}

/* The webhook the path names, or NULL after answering. */
static json_t *path_webhook(struct sw_ctx *c, long long *id)
{
    json_t *wh;
    int rc;

    if (sw_param_id(c, "id", id) != SW_OK)
        return NULL;
    rc = sw_webhook_get(c->store, c->who.subject, *id, &wh);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading a webhook");
        return NULL;
    }
    return wh;
}

void sw_h_webhooks_get(struct sw_ctx *c)
{
    long long id;
    json_t *wh = path_webhook(c, &id);

    if (wh == NULL)
        return;
    sw_reply_json(c, 200, sw_webhook_public(c->store, c->who.subject, wh));
    json_decref(wh);
}

void sw_h_webhooks_patch(struct sw_ctx *c)
{
    long long id;
    json_t *wh, *in;
    char when[32];
    int rc;

    if ((wh = path_webhook(c, &id)) == NULL)
        return;
    if (sw_body_object(c, sw_webhook_fields, 1, &in) != SW_OK) {
        json_decref(wh);
        return;
    }
    if (url_checked(c, in, wh) != SW_OK) {
        json_decref(in);
        json_decref(wh);
        return;
    }
    if (json_object_get(in, "secret") != NULL) {
        /* A messenger robot's new signing secret, as its platform shows it. */
        json_object_set(wh, "sign_secret", json_object_get(in, "secret"));
        json_object_del(in, "secret");
    }
    json_object_update(wh, in);
    json_object_set_new(wh, "updated_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                 sizeof(when))));
    rc = sw_webhook_put(c->store, c->who.subject, wh);
    if (rc == SW_OK && json_is_true(json_object_get(in, "enabled"))) {
        /* Enabled again by its owner: the failure record starts afresh. */
        rc = sw_webhook_state_reset(c->store, c->who.subject, id);
    }
    json_decref(in);
    if (rc != SW_OK) {
        json_decref(wh);
        sw_reply_store(c, rc, "saving a webhook");
        return;
    }
    sw_reply_json(c, 200, sw_webhook_public(c->store, c->who.subject, wh));
    json_decref(wh);
}

void sw_h_webhooks_delete(struct sw_ctx *c)
{
    long long id;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_webhook_delete(c->store, c->who.subject, id);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "deleting a webhook");
        return;
    }
    c->resp->status = 204;
}

static const struct sw_jfield rotate_fields[] = {
    { "overlap_s", SW_J_INT, 0, 0, 2592000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* A new secret signs from now on; the current one keeps signing for overlap_s more seconds,
 * so receivers can switch without losing a message. */
void sw_h_webhooks_rotate(struct sw_ctx *c)
{
    long long id, overlap;
    json_t *wh, *in = NULL, *secrets, *v, *out;
    char secret[64];
    int64_t now = sw_now_ms();
    size_t i;
    int rc;

    if ((wh = path_webhook(c, &id)) == NULL)
        return;
    if (sw_msgr_of(wh) != SW_MSGR_GENERIC) {
        sw_reply_problem(c, 409, "secret-from-platform", "Secret set by the platform", NULL,
                         "a %s robot has no secret of Seawall's to rotate: a WeCom robot's key "
                         "is in its URL, DingTalk and Feishu robots sign with the secret their "
                         "platform shows (change it with PATCH /api/v1/webhooks/{id} "
                         "{\"secret\": …})",
                         json_string_value(json_object_get(wh, "kind")));
        json_decref(wh);
        return;
    }
    if (c->req->content_length > 0) {
        if (sw_body_object(c, rotate_fields, 1, &in) != SW_OK) {
            json_decref(wh);
            return;
        }
    }
    overlap = json_is_integer(json_object_get(in, "overlap_s"))
                  ? json_integer_value(json_object_get(in, "overlap_s"))
                  : sw_config_int(c->cfg, "webhooks.rotate_overlap_s");
    json_decref(in);
    secrets = json_array();
    json_array_foreach(json_object_get(wh, "secrets"), i, v) {
        json_t *exp = json_object_get(v, "expires_at");

        if (json_is_integer(exp) && json_integer_value(exp) <= now)
            continue;   /* expired earlier: gone for good */
        if (!json_is_integer(exp) || json_integer_value(exp) > now + overlap * 1000)
            json_object_set_new(v, "expires_at", json_integer(now + overlap * 1000));
        if (overlap > 0)
            json_array_append(secrets, v);
    }
    sw_webhook_secret(secret, sizeof(secret));
    json_array_insert_new(secrets, 0, json_pack("{s:s, s:n}", "secret", secret, "expires_at"));
    json_object_set_new(wh, "secrets", secrets);
    rc = sw_webhook_put(c->store, c->who.subject, wh);
    if (rc != SW_OK) {
        json_decref(wh);
        sw_reply_store(c, rc, "rotating a webhook secret");
        return;
    }
    out = sw_webhook_public(c->store, c->who.subject, wh);
    json_object_set_new(out, "secret", json_string(secret));
    json_decref(wh);
    sodium_memzero(secret, sizeof(secret));
    sw_reply_json(c, 200, out);
}

/* A signed test event through the notifier, like an alert's delivery; the answer is the
 * delivery, to follow at /api/v1/deliveries/{id}. */
void sw_h_webhooks_test(struct sw_ctx *c)
{
    long long id;
    json_t *d;
    char loc[64];
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_webhook_test(c->store, c->who.subject, id, &d);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "sending a test event");
        return;
    }
    snprintf(loc, sizeof(loc), "/api/v1/deliveries/%s",
             json_string_value(json_object_get(d, "id")));
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 202, d);
}

/* --- deliveries -------------------------------------------------------------------------- */

static const char *const dlv_statuses[] = { "pending", "delivered", "exhausted", "cancelled",
                                            NULL };
static const char *const dlv_kinds[] = { "webhook", "email", "digest", "reminder", NULL };

static int one_of(const char *v, const char *const *set)
{
    for (; *set != NULL; set++)
        if (strcmp(v, *set) == 0)
            return 1;
    return 0;
}

void sw_h_deliveries_list(struct sw_ctx *c)
{
    const char *status = sw_query(c, "status"), *kind = sw_query(c, "kind");
    long long cursor, next = 0;
    long long scan_max = sw_config_int(c->cfg, "alerts.scan_max");
    struct sw_verrs errs;
    json_t *items;
    int limit;

    if (sw_page_args(c, &cursor, &limit) != SW_OK)
        return;
    sw_verrs_init(&errs);
    if (status != NULL && !one_of(status, dlv_statuses))
        sw_verrs_add(&errs, "status", "must be pending, delivered, exhausted or cancelled");
    if (kind != NULL && !one_of(kind, dlv_kinds))
        sw_verrs_add(&errs, "kind", "must be webhook, email, digest or reminder");
    if (sw_reply_params_invalid(c, &errs) != SW_OK)
        return;
    if (sw_dlv_page(c->store, c->who.subject, status, kind, cursor, limit, scan_max, &items,
                    &next) != SW_OK) {
        sw_reply_store(c, SW_EAGAIN, "listing deliveries");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

/* The delivery the path names with its attempts, or NULL after answering. */
static json_t *path_delivery(struct sw_ctx *c)
{
    const char *id = sw_param(c, "id");
    json_t *d;
    int rc;

    if (!sw_dlv_id_valid(id)) {
        sw_reply_not_found(c);
        return NULL;
    }
    rc = sw_dlv_get(c->store, c->who.subject, id, &d);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading a delivery");
        return NULL;
    }
    return d;
}

void sw_h_deliveries_get(struct sw_ctx *c)
{
    json_t *d = path_delivery(c), *attempts;

    if (d == NULL)
        return;
    if (sw_dlv_attempts(c->store, c->who.subject, json_string_value(json_object_get(d, "id")),
                        &attempts) != SW_OK) {
        json_decref(attempts);
        json_decref(d);
        sw_reply_store(c, SW_EAGAIN, "loading a delivery's attempts");
        return;
    }
    json_object_set_new(d, "attempt_log", attempts);
    sw_reply_json(c, 200, d);
}

void sw_h_deliveries_replay(struct sw_ctx *c)
{
    const char *id = sw_param(c, "id");
    json_t *d = NULL;
    int rc;

    if (!sw_dlv_id_valid(id)) {
        sw_reply_not_found(c);
        return;
    }
    rc = sw_dlv_replay(c->store, c->who.subject, id, &d);
    if (rc == SW_CONFLICT) {
        json_decref(d);
        sw_reply_problem(c, 409, "delivery-pending", "Delivery still pending", NULL,
                         "this delivery is still being attempted; replay it once it is "
                         "delivered, exhausted or cancelled");
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "replaying a delivery");
        return;
    }
    sw_reply_json(c, 202, d);
}

/* "Retry now" for a pending delivery: due at once instead of at its next scheduled attempt. */
void sw_h_deliveries_retry(struct sw_ctx *c)
{
    const char *id = sw_param(c, "id");
    const char *status;
    json_t *d = NULL;
    int rc;

    if (!sw_dlv_id_valid(id)) {
        sw_reply_not_found(c);
        return;
    }
    rc = sw_dlv_retry(c->store, c->who.subject, id, &d);
    if (rc == SW_CONFLICT) {
        status = json_string_value(json_object_get(d, "status")) ?: "";
        if (strcmp(status, "pending") == 0)
            sw_reply_problem(c, 409, "delivery-in-flight", "Delivery being attempted", NULL,
                             "an attempt is being made right now; its outcome is recorded "
                             "within the notifier's timeout, and if it fails the delivery can "
                             "be retried again");
        else
            sw_reply_problem(c, 409, "delivery-finished", "Delivery finished", NULL,
                             "this delivery is %s, not pending: replay it "
                             "(POST /api/v1/deliveries/{id}/replay) to make it again", status);
        json_decref(d);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "retrying a delivery");
        return;
    }
    sw_reply_json(c, 202, d);
}

/* Newest attempts first; the cursor is the stream id of the last one shown. */
void sw_h_delivery_log(struct sw_ctx *c)
{
    const char *cur = sw_query(c, "cursor");
    json_t *page;
    struct sw_verrs errs;
    int limit;

    /* The cursor here is a stream id ("<ms>-<n>"), so only the limit is read the common way. */
    sw_verrs_init(&errs);
    if (cur != NULL && !sw_stream_id_valid(cur))
        sw_verrs_add(&errs, "cursor", "must be a log_id this list returned as \"next\"");
    if (sw_reply_params_invalid(c, &errs) != SW_OK)
        return;
    if (sw_page_limit(c, &limit) != SW_OK)
        return;
    if (sw_dlv_log(c->store, c->who.subject, cur, limit, &page) != SW_OK) {
        sw_reply_store(c, SW_EAGAIN, "reading the delivery log");
        return;
    }
    sw_reply_json(c, 200, page);
}

/* --- unsubscribe (no token: the link is the credential) --------------------------------- */

/* Checks ?s=&e=&t=; returns SW_OK with *sub and email, else answers 404. */
static int unsub_args(struct sw_ctx *c, long long *sub, const char **email)
{
    const char *s = sw_query(c, "s"), *e = sw_query(c, "e"), *t = sw_query(c, "t");
    char want[64];

    if (s == NULL || e == NULL || t == NULL || sw_parse_ll(s, 1, INT64_MAX, sub) != SW_OK ||
        strlen(e) > 254) {
        sw_reply_not_found(c);
        return SW_NOTFOUND;
    }
    if (sw_unsub_token(c->store, *sub, e, want, sizeof(want)) != SW_OK) {
        sw_reply_store(c, SW_EAGAIN, "checking an unsubscribe link");
        return SW_EAGAIN;
    }
    if (strlen(t) != strlen(want) || sodium_memcmp(t, want, strlen(want)) != 0) {
        sw_reply_not_found(c);
        return SW_NOTFOUND;
    }
    *email = e;
    return SW_OK;
}

/* The unsubscribe page and answer speak the reader's language when the request says one
 * (Accept-Language), else the subscriber's (a mail client's one-click POST says none). */
static void unsub_lang(struct sw_ctx *c, long long sub)
{
    json_t *d;

    if (c->req->accept_language != NULL && c->req->accept_language[0] != '\0')
        return;
    if (sw_delivery_get(c->store, sub, &d) == SW_OK) {
        sw_set_lang(c, json_string_value(json_object_get(d, "lang")));
        json_decref(d);
    }
}

/* A person who opened the link: a page with one button (mail scanners that follow links must
 * not unsubscribe anyone, so only the POST acts). */
void sw_h_unsubscribe_page(struct sw_ctx *c)
{
    struct sw_buf *b = &c->resp->body;
    long long sub;
    const char *email;

    if (unsub_args(c, &sub, &email) != SW_OK)
        return;
    unsub_lang(c, sub);
    c->resp->status = 200;
    c->resp->ctype = "text/html; charset=utf-8";
    sw_buf_reset(b);
    sw_buf_printf(b, "<!doctype html><html lang=%s><meta charset=utf-8><title>", c->lang);
    /* TRANSLATORS: the page a mail's unsubscribe link opens: its title and its button. */
    sw_buf_add_html(b, sw_tr(c->lang, "Unsubscribe"));
    sw_buf_adds(b, "</title><p>");
    sw_buf_add_html(b, sw_tr(c->lang, "Stop Seawall alert email to this address?"));
    sw_buf_adds(b, "</p><form method=post><input type=hidden name=List-Unsubscribe "
                   "value=One-Click><button>");
    sw_buf_add_html(b, sw_tr(c->lang, "Unsubscribe"));
    sw_buf_adds(b, "</button></form></html>");
    sw_reply_lang(c);
}

/* RFC 8058 one-click: POST with List-Unsubscribe=One-Click removes the address. */
void sw_h_unsubscribe(struct sw_ctx *c)
{
    long long sub;
    const char *email;
    json_t *doc, *emails, *keep, *v, *patch, *out;
    size_t i;
    int rc;

    if (unsub_args(c, &sub, &email) != SW_OK)
        return;
    unsub_lang(c, sub);
    rc = sw_delivery_get(c->store, sub, &doc);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading delivery settings");
        return;
    }
    emails = json_object_get(doc, "emails");
    keep = json_array();
    json_array_foreach(emails, i, v)
        if (strcasecmp(json_string_value(v), email) != 0)
            json_array_append(keep, v);
    patch = json_pack("{s:o}", "emails", keep);
    rc = sw_delivery_patch(c->store, sub, patch, &out);
    json_decref(patch);
    json_decref(doc);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "unsubscribing");
        return;
    }
    json_decref(out);
    sw_info("subscriber %lld: %s unsubscribed by link", sub, email);
    sw_reply_json(c, 200, json_pack("{s:s, s:s}", "unsubscribed", email, "detail",
                                    sw_tr(c->lang, "this address gets no more Seawall alert "
                                                   "email")));
    sw_reply_lang(c);
}
