/* feeds.c — the feed registry API (admin): create, list, read with status, change, delete,
 * and poll now. The pollers pick changes up from Redis; nothing here fetches anything. */
#include <string.h>

#include "seawall/config.h"
#include "seawall/feed.h"
#include "seawall/feedreg.h"
#include "seawall/store.h"
#include "api.h"

/* The feed's settings with its status under "status" (and a dated source's dates under
 * "status"/"dates"). */
static int with_status(struct sw_ctx *c, json_t *doc)
{
    json_t *st, *dates = NULL;
    int rc = sw_feedreg_status(c->store, json_integer_value(json_object_get(doc, "id")), &st);

    if (rc != SW_OK)
        return rc;
    rc = sw_feedreg_dated_coverage(c->store, c->cfg, doc, &dates);
    if (dates != NULL)
        json_object_set_new(st, "dates", dates);
    json_object_set_new(doc, "status", st);
    return rc;
}

/* Answers 200 with doc and its status, or the store's error. Takes doc over (may be NULL). */
static void reply_feed(struct sw_ctx *c, int rc, json_t *doc, const char *what)
{
    if (rc == SW_OK)
        rc = with_status(c, doc);
    if (rc != SW_OK) {
        json_decref(doc);
        sw_reply_store(c, rc, what);
        return;
    }
    sw_reply_json(c, 200, doc);
}

/* The registry's checks and an HTML source's expressions; answers 400 naming each problem.
 * partial: a change (PATCH), else a new feed. */
static int checked(struct sw_ctx *c, json_t *doc, int partial)
{
    struct sw_verrs errs;

    sw_verrs_init(&errs);
    if (!partial)
        sw_feedreg_check_create(doc, &errs);
    sw_feedreg_check(doc, partial, sw_config_int(c->cfg, "poller.min_interval_s"),
                     sw_config_str(c->cfg, "net.allow_private"), &errs);
    if (json_is_object(json_object_get(doc, "html")))
        sw_feed_html_check(json_object_get(doc, "html"), "/html", &errs);
    return sw_reply_if_invalid(c, &errs);
}

void sw_h_feeds_create(struct sw_ctx *c)
{
    json_t *in, *out;
    char loc[64];
    int rc;

    if (sw_body_object(c, sw_kind_feed.fields, 0, &in) != SW_OK)
        return;
    if (checked(c, in, 0) != SW_OK) {
        json_decref(in);
        return;
    }
    sw_feedreg_defaults(in);
    rc = sw_doc_create(c->store, &sw_kind_feed, in, 0, &out);
    json_decref(in);
    if (rc == SW_OK && json_is_true(json_object_get(out, "enabled")))
        rc = sw_feedreg_schedule(c->store, json_integer_value(json_object_get(out, "id")), 0);
    if (rc == SW_OK)
        rc = with_status(c, out);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "creating a feed");
        return;
    }
    snprintf(loc, sizeof(loc), "/api/v1/feeds/%lld",
             (long long)json_integer_value(json_object_get(out, "id")));
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 201, out);
}

void sw_h_feeds_list(struct sw_ctx *c)
{
    long long after, next;
    json_t *items, *doc;
    size_t i;
    int limit, rc;

    if (sw_page_args(c, &after, &limit) != SW_OK)
        return;
    rc = sw_doc_list(c->store, &sw_kind_feed, 0, after, limit, &items, &next);
    json_array_foreach(items, i, doc)
        if (rc == SW_OK)
            rc = with_status(c, doc);
    if (rc != SW_OK) {
        json_decref(items);
        sw_reply_store(c, rc, "listing feeds");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

void sw_h_feeds_get(struct sw_ctx *c)
{
    long long id;
    json_t *doc;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_doc_get(c->store, &sw_kind_feed, id, &doc);
    reply_feed(c, rc, rc == SW_OK ? doc : NULL, "loading a feed");
}

void sw_h_feeds_patch(struct sw_ctx *c)
{
    json_t *patch, *out = NULL;
    long long id;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    if (sw_body_object(c, sw_kind_feed.fields, 1, &patch) != SW_OK)
        return;
    if (checked(c, patch, 1) != SW_OK) {
        json_decref(patch);
        return;
    }
    rc = sw_doc_patch(c->store, &sw_kind_feed, id, patch, &out);
    if (rc == SW_OK) {
        /* Enabling a feed polls it now and clears why it was off; disabling stops polls. */
        json_t *en = json_object_get(patch, "enabled");

        if (json_is_true(en) || json_object_get(patch, "url") != NULL) {
            sw_feedreg_forget(c->store, id, 1);   /* on failure, the poll is conditional */
            if (json_is_true(json_object_get(out, "enabled")))
                rc = sw_feedreg_schedule(c->store, id, 0);
        } else if (json_is_false(en)) {
            rc = sw_feedreg_unschedule(c->store, id);
        }
    }
    json_decref(patch);
    reply_feed(c, rc, out, "updating a feed");
}

void sw_h_feeds_delete(struct sw_ctx *c)
{
    long long id;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_feedreg_delete(c->store, id);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "deleting a feed");
        return;
    }
    c->resp->status = 204;
    c->resp->ctype = "application/json";
}

void sw_h_feeds_poll(struct sw_ctx *c)
{
    long long id;
    json_t *doc;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_doc_get(c->store, &sw_kind_feed, id, &doc);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading a feed");
        return;
    }
    if (!json_is_true(json_object_get(doc, "enabled"))) {
        json_decref(doc);
        sw_reply_problem(c, 409, "feed-disabled", "Feed disabled", NULL,
                         "feed %lld is disabled; enable it (PATCH enabled=true) to poll it", id);
        return;
    }
    json_decref(doc);
    rc = sw_feedreg_schedule(c->store, id, 0);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "scheduling a feed");
        return;
    }
    sw_reply_json(c, 202, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status",
                                    "queued: the next free poller takes it"));
}

/* What anyone may know about one source: its name, format, whether it is polled, when it last
 * worked and failed, why (a fixed public phrase, never the stored text with its hosts and
 * URLs), and how much it has brought; for a source with one file per date, which dates came,
 * which never appeared and which are still to come ("dates", or null). The feed's URL stays
 * with the admins. */
static json_t *coverage_view(const json_t *doc, const json_t *st, json_t *dates)
{
    json_t *v = json_object();
    const char *reason = sw_feedreg_public_reason(
        json_integer_value(json_object_get(st, "http_status")),
        json_string_value(json_object_get(st, "last_error")));
    json_t *name = json_object_get(doc, "name");

    json_object_set_new(v, "id", json_integer(json_integer_value(json_object_get(doc, "id"))));
    json_object_set_new(v, "name", json_is_string(name) ? json_copy(name) : json_null());
    json_object_set(v, "format", json_object_get(doc, "format"));
    json_object_set_new(v, "enabled", json_boolean(json_is_true(json_object_get(doc,
                                                                              "enabled"))));
    json_object_set(v, "last_success_at", json_object_get(st, "last_success_at") ?: json_null());
    json_object_set(v, "last_error_at", json_object_get(st, "last_error_at") ?: json_null());
    json_object_set_new(v, "last_error", reason != NULL ? json_string(reason) : json_null());
    json_object_set_new(v, "consecutive_failures",
                        json_integer(json_integer_value(json_object_get(st,
                                                                        "consecutive_failures"))));
    json_object_set_new(v, "items_seen",
                        json_integer(json_integer_value(json_object_get(st, "items_seen"))));
    json_object_set(v, "source", json_object_get(doc, "source") ?: json_null());
    json_object_set_new(v, "dates", dates != NULL ? dates : json_null());
    return v;
}

/* Source coverage, public: every registered feed in the public view, by id. */
void sw_h_coverage(struct sw_ctx *c)
{
    long long after, next;
    json_t *items = NULL, *out, *doc, *st;
    size_t i;
    int limit, rc;

    if (sw_page_args(c, &after, &limit) != SW_OK)
        return;
    rc = sw_doc_list(c->store, &sw_kind_feed, 0, after, limit, &items, &next);
    out = json_array();
    json_array_foreach(items, i, doc) {
        json_t *dates = NULL;

        if (rc != SW_OK)
            break;
        rc = sw_feedreg_status(c->store, json_integer_value(json_object_get(doc, "id")), &st);
        if (rc == SW_OK && (rc = sw_feedreg_dated_coverage(c->store, c->cfg, doc, &dates)) !=
                               SW_OK)
            json_decref(st);
        if (rc == SW_OK) {
            json_array_append_new(out, coverage_view(doc, st, dates));
            json_decref(st);
        }
    }
    json_decref(items);
    if (rc != SW_OK) {
        json_decref(out);
        sw_reply_store(c, rc, "listing the sources");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(out, next));
}
