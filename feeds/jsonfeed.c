/* jsonfeed.c — Seawall's own JSON feed format (docs/feeds.md) for sources with no standard:
 * customs notices, exhibitor lists, partner feeds. Each item is checked on its own; a bad item
 * is skipped with a warning naming it, the rest still count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/json.h"
#include "internal.h"

static const char *const types[] = { "trademark_filing", "trademark_status", "patent_publication",
                                     "patent_grant", "litigation", "trade_investigation",
                                     "customs_seizure", "show_event", "show_incident",
                                     "bulletin", "news", NULL };

static const struct sw_jfield feed_fields[] = {
    { "seawall_feed", SW_J_INT, SW_JF_REQUIRED, 1, 1, NULL },
    { "type", SW_J_STRING, 0, 1, 32, types },
    { "jurisdiction", SW_J_STRING, 0, 2, 2, NULL },
    { "title", SW_J_STRING, 0, 0, 1024, NULL },
    { "items", SW_J_STRING, SW_JF_REQUIRED, 0, 0, NULL },   /* checked by hand below */
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static const struct sw_jfield item_fields[] = {
    { "id", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 512, NULL },
    { "type", SW_J_STRING, 0, 1, 32, types },
    { "title", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 1024, NULL },
    { "url", SW_J_STRING, 0, 1, 1024, NULL },
    { "date", SW_J_STRING, 0, 1, 64, NULL },
    /* The dates deadlines count from (docs/deadlines.md): publication for opposition, the
     * notification of a detention or a Madrid designation, service of a complaint. */
    { "published", SW_J_STRING, 0, 1, 64, NULL },
    { "notified", SW_J_STRING, 0, 1, 64, NULL },
    { "served", SW_J_STRING, 0, 1, 64, NULL },
    { "designations", SW_J_STRINGS, SW_JF_COUNTRY | SW_JF_EM, 0, 250, NULL },
    { "jurisdiction", SW_J_STRING, 0, 2, 2, NULL },
    { "marks", SW_J_STRINGS, 0, 0, 50, NULL },
    { "goods", SW_J_STRING, 0, 0, 65536, NULL },
    { "text", SW_J_STRING, 0, 0, 65536, NULL },
    { "show", SW_J_STRING, 0, 1, 256, NULL },
    { "patents", SW_J_STRINGS, 0, 0, 100, NULL },
    { "nice", SW_J_STRINGS, 0, 0, 45, NULL },
    { "parties", SW_J_STRINGS, 0, 0, 0, NULL },             /* checked by hand below */
    { "numbers", SW_J_STRINGS, 0, 0, 0, NULL },             /* checked by hand below */
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static const char *const roles[] = { "applicant", "owner", "assignee", "plaintiff", "defendant",
                                     "petitioner", "respondent", "complainant", "exhibitor",
                                     NULL };

static int role_ok(const char *r)
{
    const char *const *p;

    for (p = roles; *p != NULL; p++)
        if (strcmp(*p, r) == 0)
            return 1;
    return 0;
}

static int item(struct sw_fctx *c, json_t *it, size_t i, const char *dtype, const char *djur)
{
    json_t *copy, *ev, *v;
    struct sw_verrs errs;
    const char *key;
    size_t k;
    char where[32];

    snprintf(where, sizeof(where), "/items/%zu", i);
    if (!json_is_object(it)) {
        sw_feed_warn(c, "%s: an item must be an object; skipped", where);
        return 0;
    }
    /* parties and numbers have shapes the field table cannot say: take them out to check. */
    copy = json_deep_copy(it);
    json_object_del(copy, "parties");
    json_object_del(copy, "numbers");
    sw_verrs_init(&errs);
    if (sw_json_check(copy, item_fields, 0, where, &errs) > 0) {
        json_t *e = json_array_get(errs.list, 0);

        sw_feed_warn(c, "%s %s; item skipped", json_string_value(json_object_get(e, "pointer")),
                     json_string_value(json_object_get(e, "message")));
        sw_verrs_free(&errs);
        json_decref(copy);
        return 0;
    }
    sw_verrs_free(&errs);
    json_decref(copy);
    ev = sw_ev_new(c, json_string_value(json_object_get(it, "type")) ?: dtype);
    if (json_object_get(it, "jurisdiction") || djur)
        sw_ev_str(ev, "jurisdiction",
                  json_string_value(json_object_get(it, "jurisdiction")) ?: djur, 2);
    sw_ev_str(ev, "title", json_string_value(json_object_get(it, "title")), SW_FEED_FIELD_MAX);
    sw_ev_str(ev, "url", json_string_value(json_object_get(it, "url")), SW_FEED_FIELD_MAX);
    sw_ev_date(c, ev, json_string_value(json_object_get(it, "date")));
    sw_ev_date_as(c, ev, "published", json_string_value(json_object_get(it, "published")));
    sw_ev_date_as(c, ev, "notified", json_string_value(json_object_get(it, "notified")));
    sw_ev_date_as(c, ev, "served", json_string_value(json_object_get(it, "served")));
    if (json_array_size(json_object_get(it, "designations")) > 0)
        json_object_set(ev, "designations", json_object_get(it, "designations"));
    sw_ev_str(ev, "goods", json_string_value(json_object_get(it, "goods")), SW_FEED_TEXT_MAX);
    sw_ev_str(ev, "text", json_string_value(json_object_get(it, "text")), SW_FEED_TEXT_MAX);
    sw_ev_str(ev, "show", json_string_value(json_object_get(it, "show")), 256);
    json_array_foreach(json_object_get(it, "marks"), k, v)
        sw_ev_mark(ev, json_string_value(v));
    json_array_foreach(json_object_get(it, "patents"), k, v)
        sw_ev_number_add(ev, "patents", json_string_value(v));
    json_array_foreach(json_object_get(it, "nice"), k, v) {
        long n = strtol(json_string_value(v), NULL, 10);

        if (n >= 1 && n <= 45)
            sw_ev_class_int(ev, "nice", n);
    }
    json_array_foreach(json_object_get(it, "parties"), k, v) {
        const char *name = json_string_value(json_object_get(v, "name"));
        const char *role = json_string_value(json_object_get(v, "role"));

        if (!json_is_object(v) || name == NULL || role == NULL || !role_ok(role)) {
            sw_feed_warn(c, "%s/parties/%zu needs a name and a role (%s, …); party skipped",
                         where, k, roles[0]);
            continue;
        }
        sw_ev_party(ev, name, role, json_string_value(json_object_get(v, "country")), NULL);
        if (json_is_string(json_object_get(v, "counsel"))) {   /* who represents it, if said */
            json_t *parties = json_object_get(ev, "parties");

            sw_ev_str(json_array_get(parties, json_array_size(parties) - 1), "counsel",
                      json_string_value(json_object_get(v, "counsel")), 256);
        }
    }
    {
        const char *nk;

        json_object_foreach(json_object_get(it, "numbers"), nk, v)
            if (json_is_string(v))
                sw_ev_number(ev, nk, json_string_value(v));
    }
    key = json_string_value(json_object_get(it, "id"));
    sw_ev_number(ev, "guid", key);
    return sw_ev_emit(c, ev, "json", key);
}

int sw_feed_jsonfeed(struct sw_fctx *c, const char *buf, size_t len)
{
    char err[256];
    json_t *doc, *items, *copy, *it;
    struct sw_verrs errs;
    size_t i;

    if (sw_json_parse_object(buf, len, c->o->max_depth, &doc, err, sizeof(err)) != SW_OK) {
        snprintf(c->res->err, sizeof(c->res->err), "%s", err);
        return SW_INVALID;
    }
    items = json_object_get(doc, "items");
    copy = json_deep_copy(doc);
    json_object_del(copy, "items");
    sw_verrs_init(&errs);
    if (sw_json_check(copy, feed_fields, 1, "", &errs) > 0 || !json_is_array(items) ||
        json_object_get(doc, "seawall_feed") == NULL) {
        json_t *e = json_array_get(errs.list, 0);

        snprintf(c->res->err, sizeof(c->res->err), "not a Seawall JSON feed: %s %s",
                 e ? json_string_value(json_object_get(e, "pointer")) : "/items",
                 e ? json_string_value(json_object_get(e, "message"))
                   : "must be an array (and seawall_feed must be 1)");
        sw_verrs_free(&errs);
        json_decref(copy);
        json_decref(doc);
        return SW_INVALID;
    }
    sw_verrs_free(&errs);
    json_decref(copy);
    json_array_foreach(items, i, it) {
        c->res->records++;
        if (item(c, it, i, json_string_value(json_object_get(doc, "type")) ?: "news",
                 json_string_value(json_object_get(doc, "jurisdiction"))))
            break;
    }
    json_decref(doc);
    return c->stop == 2 ? SW_TOOBIG : SW_OK;
}
