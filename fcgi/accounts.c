/* accounts.c — subscribers, centres, centre staff and stations: admin management, and each
 * account's own read (and, for subscribers, update) within its scope. */
#include "seawall/accounts.h"
#include "seawall/portfolio.h"
#include "seawall/shows.h"
#include "seawall/store.h"
#include "api.h"

/* Creates a document of kind k from the body; parent is 0 or the parent's id. */
static void create_doc(struct sw_ctx *c, const struct sw_kind *k, long long parent)
{
    json_t *in, *out;
    char loc[128];
    int rc;

    if (sw_body_object(c, k->fields, 0, &in) != SW_OK)
        return;
    if (k == &sw_kind_station) {   /* a station serves a fair that exists */
        const char *show = json_string_value(json_object_get(in, "show"));
        struct sw_verrs errs;
        int known = 0;

        rc = sw_shows_exist(c->store, &show, 1, &known);
        if (rc != SW_OK) {
            json_decref(in);
            sw_reply_store(c, rc, "checking the station's fair");
            return;
        }
        if (!known) {
            sw_verrs_init(&errs);
            sw_verrs_add(&errs, "/show", "no fair has the id \"%s\" (GET /api/v1/shows lists "
                         "them)", show);
            json_decref(in);   /* show points into it */
            sw_reply_invalid(c, &errs);
            return;
        }
    }
    rc = sw_doc_create(c->store, k, in, parent, &out);
    json_decref(in);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "creating an account");
        return;
    }
    if (k == &sw_kind_subscriber)   /* matchers learn its markets before it has items */
        sw_portfolio_profile_changed(c->store, json_integer_value(json_object_get(out, "id")));
    snprintf(loc, sizeof(loc), "%s/%lld", c->req->path, (long long)json_integer_value(
                                                            json_object_get(out, "id")));
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 201, out);
}

static void list_docs(struct sw_ctx *c, const struct sw_kind *k, long long parent)
{
    long long after, next;
    json_t *items;
    int limit, rc;

    if (sw_page_args(c, &after, &limit) != SW_OK)
        return;
    rc = sw_doc_list(c->store, k, parent, after, limit, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing accounts");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

static void get_doc(struct sw_ctx *c, const struct sw_kind *k, long long id)
{
    json_t *doc;
    int rc = sw_doc_get(c->store, k, id, &doc);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading an account");
        return;
    }
    sw_reply_json(c, 200, doc);
}

/* Staff see their own centre only; everyone else outside admin sees nothing. */
static int centre_visible(const struct sw_ctx *c, long long centre)
{
    return c->who.role == SW_ROLE_ADMIN ||
           ((c->who.role & SW_ROLE_STAFF) && c->who.centre == centre);
}

void sw_h_subscribers_create(struct sw_ctx *c) { create_doc(c, &sw_kind_subscriber, 0); }
void sw_h_subscribers_list(struct sw_ctx *c) { list_docs(c, &sw_kind_subscriber, 0); }

void sw_h_subscribers_get(struct sw_ctx *c)
{
    long long id;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    if ((c->who.role & (SW_ROLE_EXPORTER | SW_ROLE_ASSOCIATION)) && c->who.subject != id) {
        sw_reply_not_found(c);
        return;
    }
    get_doc(c, &sw_kind_subscriber, id);
}

void sw_h_subscribers_patch(struct sw_ctx *c)
{
    json_t *patch, *out;
    long long id;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    if ((c->who.role & (SW_ROLE_EXPORTER | SW_ROLE_ASSOCIATION)) && c->who.subject != id) {
        sw_reply_not_found(c);
        return;
    }
    if (sw_body_object(c, sw_kind_subscriber.fields, 1, &patch) != SW_OK)
        return;
    rc = sw_doc_patch(c->store, &sw_kind_subscriber, id, patch, &out);
    json_decref(patch);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "updating a subscriber");
        return;
    }
    /* Markets and threshold matter to the matchers: they follow this stream. */
    sw_portfolio_profile_changed(c->store, id);
    sw_reply_json(c, 200, out);
}

void sw_h_centres_create(struct sw_ctx *c) { create_doc(c, &sw_kind_centre, 0); }
void sw_h_centres_list(struct sw_ctx *c) { list_docs(c, &sw_kind_centre, 0); }

void sw_h_centres_get(struct sw_ctx *c)
{
    long long id;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    if (!centre_visible(c, id)) {
        sw_reply_not_found(c);
        return;
    }
    get_doc(c, &sw_kind_centre, id);
}

void sw_h_staff_create(struct sw_ctx *c)
{
    long long centre;

    if (sw_param_id(c, "id", &centre) != SW_OK)
        return;
    create_doc(c, &sw_kind_staff, centre);
}

void sw_h_staff_list(struct sw_ctx *c)
{
    long long centre;
    json_t *doc;
    int rc;

    if (sw_param_id(c, "id", &centre) != SW_OK)
        return;
    if (!centre_visible(c, centre)) {
        sw_reply_not_found(c);
        return;
    }
    /* An empty list for a centre that does not exist would hide a typo: answer 404. */
    rc = sw_doc_get(c->store, &sw_kind_centre, centre, &doc);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading a centre");
        return;
    }
    json_decref(doc);
    list_docs(c, &sw_kind_staff, centre);
}

void sw_h_staff_get(struct sw_ctx *c)
{
    long long centre, id;
    json_t *doc;
    int rc;

    if (sw_param_id(c, "id", &centre) != SW_OK || sw_param_id(c, "staff_id", &id) != SW_OK)
        return;
    if (!centre_visible(c, centre)) {
        sw_reply_not_found(c);
        return;
    }
    rc = sw_doc_get(c->store, &sw_kind_staff, id, &doc);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading a staff member");
        return;
    }
    if (json_integer_value(json_object_get(doc, "centre_id")) != centre) {
        json_decref(doc);
        sw_reply_not_found(c);
        return;
    }
    sw_reply_json(c, 200, doc);
}

void sw_h_stations_create(struct sw_ctx *c) { create_doc(c, &sw_kind_station, 0); }
void sw_h_stations_list(struct sw_ctx *c) { list_docs(c, &sw_kind_station, 0); }

void sw_h_stations_get(struct sw_ctx *c)
{
    long long id;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    if (c->who.role == SW_ROLE_STATION && c->who.subject != id) {
        sw_reply_not_found(c);
        return;
    }
    get_doc(c, &sw_kind_station, id);
}
