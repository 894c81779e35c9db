/* sources.c — the source catalogue through the admin API: list the catalogue with what this
 * deployment made of each entry, read one, enable one (it becomes a feed, polled at once) or
 * disable it. The catalogue is read from sources.dir on each request: it is a few small files,
 * and an edited file counts at once. */
#include <string.h>

#include "seawall/config.h"
#include "seawall/log.h"
#include "seawall/sources.h"
#include "seawall/store.h"
#include "api.h"

static const struct sw_jfield enable_fields[] = {
    { "url", SW_J_STRING, 0, 10, 2048, NULL },
    { "url_template", SW_J_STRING, 0, 10, 2048, NULL },
    { "confirm", SW_J_BOOL, 0, 0, 0, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* The catalogue, or NULL after answering 500 with why (a broken catalogue is the deployment's
 * error, named by file and field, never the caller's). */
static json_t *catalogue(struct sw_ctx *c)
{
    json_t *cat = NULL;
    char err[600];

    if (sw_sources_load(sw_config_str(c->cfg, "sources.dir"), &cat, err, sizeof(err)) !=
        SW_OK) {
        sw_error("source catalogue: %s", err);
        sw_reply_problem(c, 500, "catalogue-unreadable", "Source catalogue unreadable", NULL,
                         "%s", err);
        return NULL;
    }
    return cat;
}

/* The entry the path names (borrowed from cat), or NULL after answering 404. */
static json_t *entry(struct sw_ctx *c, json_t *cat)
{
    json_t *e = sw_sources_find(cat, sw_param(c, "name") ? sw_param(c, "name") : "");

    if (e == NULL)
        sw_reply_problem(c, 404, "not-found", "Not found", NULL,
                         "no source named \"%.80s\" in the catalogue", sw_param(c, "name"));
    return e;
}

void sw_h_sources_list(struct sw_ctx *c)
{
    json_t *cat = catalogue(c), *items, *e, *v;
    size_t i;
    int rc = SW_OK;

    if (cat == NULL)
        return;
    items = json_array();
    json_array_foreach(cat, i, e) {
        if ((rc = sw_sources_view(c->store, c->cfg, e, &v)) != SW_OK)
            break;
        json_array_append_new(items, v);
    }
    json_decref(cat);
    if (rc != SW_OK) {
        json_decref(items);
        sw_reply_store(c, rc, "listing the sources");
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:o}", "items", items));
}

void sw_h_sources_get(struct sw_ctx *c)
{
    json_t *cat = catalogue(c), *e, *v = NULL;
    int rc;

    if (cat == NULL)
        return;
    if ((e = entry(c, cat)) != NULL) {
        rc = sw_sources_view(c->store, c->cfg, e, &v);
        if (rc == SW_OK)
            sw_reply_json(c, 200, v);
        else
            sw_reply_store(c, rc, "loading a source");
    }
    json_decref(cat);
}

void sw_h_sources_enable(struct sw_ctx *c)
{
    json_t *cat, *e, *in = NULL, *doc = NULL, *feed = NULL, *v = NULL;
    struct sw_verrs errs;
    char why[600];
    int rc, created = 0;

    if (c->req->body_len > 0 && sw_body_object(c, enable_fields, 0, &in) != SW_OK)
        return;
    if ((cat = catalogue(c)) == NULL) {
        json_decref(in);
        return;
    }
    if ((e = entry(c, cat)) == NULL)
        goto out;
    rc = sw_sources_feed_doc(e, json_string_value(json_object_get(in, "url")),
                             json_string_value(json_object_get(in, "url_template")),
                             json_is_true(json_object_get(in, "confirm")), &doc, why,
                             sizeof(why));
    if (rc != SW_OK) {
        sw_reply_problem(c, 409, sw_sources_readable(e) ? "source-url-unconfirmed"
                                                        : "source-format-unreadable",
                         "Source cannot be enabled as it stands", NULL, "%s", why);
        goto out;
    }
    sw_verrs_init(&errs);
    rc = sw_sources_enable(c->store, c->cfg, e, doc, &feed, &created, &errs);
    if (rc == SW_INVALID) {
        sw_reply_invalid(c, &errs);
        goto out;
    }
    sw_verrs_free(&errs);
    if (rc == SW_OK)
        rc = sw_sources_view(c->store, c->cfg, e, &v);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "enabling a source");
        goto out;
    }
    sw_reply_json(c, created ? 201 : 200, v);
out:
    json_decref(feed);
    json_decref(doc);
    json_decref(in);
    json_decref(cat);
}

void sw_h_sources_disable(struct sw_ctx *c)
{
    json_t *cat = catalogue(c), *e, *feed = NULL, *v = NULL;
    int rc;

    if (cat == NULL)
        return;
    if ((e = entry(c, cat)) != NULL) {
        rc = sw_sources_disable(c->store, e, &feed);
        if (rc == SW_NOTFOUND)
            sw_reply_problem(c, 409, "source-not-enabled", "Source not enabled", NULL,
                             "source %s was never enabled here",
                             json_string_value(json_object_get(e, "name")));
        else if (rc == SW_OK && (rc = sw_sources_view(c->store, c->cfg, e, &v)) == SW_OK)
            sw_reply_json(c, 200, v);
        else
            sw_reply_store(c, rc, "disabling a source");
    }
    json_decref(feed);
    json_decref(cat);
}
