/* caseviews.c — a person's saved queue views (GET/POST/DELETE /me/views): a name, one of the
 * queue's views, its filters and sort, checked as the queue checks its query, and the query
 * string to ask GET /cases/queue with. Stored by lib/cases.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/alerts.h"
#include "seawall/buf.h"
#include "seawall/cases.h"
#include "seawall/date.h"
#include "seawall/i18n.h"
#include "api.h"

static const char *const sorts[] = { "priority", "deadline", "created", "updated", "id",
                                     "-priority", "-deadline", "-created", "-updated", "-id",
                                     NULL };
static const char *const filter_names[] = { "state", "type", "country", "assignee",
                                            "due_within_h", "sla", "tag", "q", NULL };

static const struct sw_jfield view_fields[] = {
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 60, NULL },
    { "view", SW_J_STRING, 0, 1, 32, sw_case_views },
    { "sort", SW_J_STRING, 0, 1, 16, sorts },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* Checks one filter as the queue checks its parameter; adds to errs under /filters/<name>. */
static void check_filter(const char *name, const json_t *value, struct sw_verrs *errs)
{
    static const char *const slas[] = { "breached", "near_breach", "at_risk", NULL };
    const char *v = json_string_value(value);
    char ptr[64];
    long long n;
    int ok;

    snprintf(ptr, sizeof(ptr), "/filters/%.40s", name);
    if (v == NULL || strlen(v) > 512) {
        sw_verrs_add(errs, ptr, "must be text, as the queue's query parameter of that name");
        return;
    }
    if (strcmp(name, "state") == 0)
        ok = sw_list_valid(v, sw_case_states);
    else if (strcmp(name, "type") == 0)
        ok = sw_list_valid(v, sw_case_types);
    else if (strcmp(name, "country") == 0)
        ok = sw_list_valid(v, NULL);
    else if (strcmp(name, "assignee") == 0)
        ok = strcmp(v, "none") == 0 || sw_parse_ll(v, 1, INT64_MAX, &n) == SW_OK;
    else if (strcmp(name, "due_within_h") == 0)
        ok = sw_parse_ll(v, 0, 87600, &n) == SW_OK;
    else if (strcmp(name, "sla") == 0)
        ok = sw_list_valid(v, slas) && strchr(v, ',') == NULL;
    else if (strcmp(name, "tag") == 0)
        ok = sw_case_tag_valid(v);
    else
        ok = sw_alert_q_valid(v);
    if (!ok)
        sw_verrs_add(errs, ptr, "is not a value the queue takes for this filter");
}

/* Appends "&name=value" (value %-encoded) to b. */
static void add_param(struct sw_buf *b, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;

    sw_buf_printf(b, "%s%s=", b->len > 0 ? "&" : "", name);
    for (p = (const unsigned char *)value; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == ',') {
            sw_buf_add(b, p, 1);
        } else {
            char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };

            sw_buf_add(b, e, 3);
        }
    }
}

void sw_h_me_views_list(struct sw_ctx *c)
{
    json_t *items;

    if (sw_need_person(c) != SW_OK)
        return;
    if (sw_case_view_list(c->store, c->who.person, &items) != SW_OK) {
        sw_reply_store(c, SW_EAGAIN, "reading saved views");
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:o}", "items", items));
}

void sw_h_me_views_put(struct sw_ctx *c)
{
    struct sw_verrs errs;
    struct sw_buf q;
    json_t *in, *filters, *v, *doc;
    const char *k;
    char when[32];
    size_t i;
    int created = 0, rc;

    if (sw_need_person(c) != SW_OK)
        return;
    if (sw_body_parse(c, &in) != SW_OK)
        return;
    sw_verrs_init(&errs);
    filters = json_object_get(in, "filters");
    if (filters != NULL) {
        json_t *shape = json_copy(in);

        json_object_del(shape, "filters");
        sw_json_check(shape, view_fields, 0, "", &errs);
        json_decref(shape);
        if (!json_is_object(filters))
            sw_verrs_add(&errs, "/filters", "must be an object of the queue's filters");
        json_object_foreach(filters, k, v) {
            for (i = 0; filter_names[i] != NULL && strcmp(filter_names[i], k) != 0; i++)
                ;
            if (filter_names[i] == NULL) {
                char ptr[80];

                snprintf(ptr, sizeof(ptr), "/filters/%.60s", k);
                sw_verrs_add(&errs, ptr, "unknown filter: the queue takes state, type, country, "
                             "assignee, due_within_h, sla, tag and q");
            } else {
                check_filter(k, v, &errs);
            }
        }
    } else {
        sw_json_check(in, view_fields, 0, "", &errs);
    }
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        return;
    }
    sw_buf_init(&q, 8192);
    if (json_object_get(in, "view") != NULL)
        add_param(&q, "view", json_string_value(json_object_get(in, "view")));
    for (i = 0; filter_names[i] != NULL; i++)
        if (json_is_string(json_object_get(filters, filter_names[i])))
            add_param(&q, filter_names[i], json_string_value(json_object_get(filters,
                                                                             filter_names[i])));
    if (json_object_get(in, "sort") != NULL)
        add_param(&q, "sort", json_string_value(json_object_get(in, "sort")));
    doc = json_pack("{s:O, s:s, s:o, s:s, s:s, s:s}", "name", json_object_get(in, "name"),
                    "view", json_string_value(json_object_get(in, "view")) ?: "open",
                    "filters", filters ? json_deep_copy(filters) : json_object(), "sort",
                    json_string_value(json_object_get(in, "sort")) ?: "priority", "query",
                    q.p ? q.p : "", "updated_at",
                    sw_iso8601(sw_cases_now(c), when, sizeof(when)));
    sw_buf_free(&q);
    rc = doc != NULL ? sw_case_view_put(c->store, c->who.person,
                                        json_string_value(json_object_get(in, "name")), doc,
                                        &created)
                     : SW_ERR;
    json_decref(in);
    if (rc == SW_TOOBIG)
        sw_reply_problem(c, 409, "too-many-views", "Too many saved views", NULL,
                         "a person keeps at most %d saved views; delete one first",
                         SW_CASE_SAVED_VIEWS_MAX);
    else if (rc != SW_OK)
        sw_reply_store(c, rc, "saving the view");
    else {
        sw_reply_json(c, created ? 201 : 200, doc);
        doc = NULL;
    }
    json_decref(doc);
}

void sw_h_me_views_delete(struct sw_ctx *c)
{
    int rc;

    if (sw_need_person(c) != SW_OK)
        return;
    rc = sw_case_view_delete(c->store, c->who.person, sw_param(c, "name"));
    if (rc != SW_OK)
        sw_reply_store(c, rc, "deleting the view");
    else
        sw_reply_json(c, 200, json_pack("{s:s}", "deleted", sw_param(c, "name")));
}
