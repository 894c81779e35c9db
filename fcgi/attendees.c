/* attendees.c — the exporters attending a show (their portfolio has its show item), looked
 * up by name in either script so that a station escalates an incident to the accused
 * exhibitor without knowing ids: each with how sure the name is theirs, and the incident's
 * own suggestion (the matcher's recognition, else the attendee found when it was logged)
 * first. Stations of the show, centre staff and admins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/record.h"
#include "seawall/shows.h"
#include "api.h"

#define Q_MAX 200

/* The incident named by ?incident= when it is one of show's; otherwise answers 400 (naming
 * the parameter) and returns SW_INVALID, or the store's code. */
static int incident_param(struct sw_ctx *c, const char *show, json_t **doc)
{
    const char *v = sw_query(c, "incident");
    struct sw_rec_keys k;
    char *end;
    long long id;
    int rc;

    *doc = NULL;
    if (v == NULL)
        return SW_OK;
    id = strtoll(v, &end, 10);
    if (*v == '\0' || *end != '\0' || id <= 0) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "parameter", "incident", "message",
                                   sw_tr(c->lang, "must be an incident id")),
                         "incident: must be an incident id");
        return SW_INVALID;
    }
    sw_rec_keys(&k, "inc", id);
    rc = sw_rec_get(c->store, &k, doc);
    if (rc == SW_OK && strcmp(json_string_value(json_object_get(*doc, "show")) ?: "", show) != 0)
        rc = SW_NOTFOUND;
    if (rc == SW_NOTFOUND) {
        json_decref(*doc);
        *doc = NULL;
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "parameter", "incident", "message",
                                   sw_tr(c->lang, "no such incident at this show")),
                         "incident: no such incident at this show");
        sw_reply_state_dependent(c);
        return SW_INVALID;
    }
    if (rc != SW_OK)
        sw_reply_store(c, rc, "loading the incident");
    return rc;
}

/* One answer item from an attendee (as sw_attendees_rank or sw_show_attendees give it). */
static json_t *item_of(const json_t *a, int suggested)
{
    json_t *it = json_pack("{s:O, s:O?, s:O?, s:b, s:b}", "subscriber_id",
                           json_object_get(a, "subscriber_id"), "name",
                           json_object_get(a, "name"), "country", json_object_get(a, "country"),
                           "attendee", 1, "suggested", suggested);
    static const char *const more[] = { "match", "why", "matched_name" };
    size_t i;

    for (i = 0; it != NULL && i < SW_ARRAY_LEN(more); i++)
        if (json_object_get(a, more[i]) != NULL)
            json_object_set(it, more[i], json_object_get(a, more[i]));
    return it;
}

/* GET /api/v1/shows/{show}/attendees?q=&incident=: the attendees whose names name q (at
 * least similarly: exact, same trade name, similar — surest first), or all of them without
 * q; with ?incident= its suggestion first (q defaults to its exhibitor's name). Paged by
 * position (?cursor= is how many were passed). */
void sw_h_shows_attendees(struct sw_ctx *c)
{
    const char *q = sw_query(c, "q");
    long long after, next = 0;
    json_t *show = NULL, *inc = NULL, *list = NULL, *ranked = NULL, *sg = NULL, *items, *a;
    json_t *out;
    size_t i, n = 0, max = (size_t)sw_config_int(c->cfg, "shows.attendees_max");
    char key[8];
    int limit, more = 0, rc, sure;

    if (sw_incident_caller_show(c, &show) != SW_OK)
        return;
    if (sw_page_args(c, &after, &limit) != SW_OK)
        goto out;
    if (q != NULL && (strlen(q) > Q_MAX || sw_party_key(q, key, sizeof(key)) == SW_INVALID)) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "parameter", "q", "message",
                                   sw_tr(c->lang, "must be a company name (1 to 200 bytes "
                                                  "with letters or digits)")),
                         "q: must be a company name (1 to 200 bytes with letters or digits)");
        goto out;
    }
    if (incident_param(c, json_string_value(json_object_get(show, "id")), &inc) != SW_OK)
        goto out;
    if (inc != NULL) {
        sg = sw_incident_suggestion(c, inc);
        if (q == NULL)
            q = json_string_value(json_object_get(json_object_get(inc, "exhibitor"), "name"));
    }
    rc = sw_show_attendees(c->store, json_string_value(json_object_get(show, "id")), max, &list,
                           &more);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading the attendees");
        goto out;
    }
    ranked = q != NULL ? sw_attendees_rank(list, q, SW_SURE_SIMILAR) : json_incref(list);
    if (ranked == NULL) {
        sw_reply_store(c, SW_ERR, "ranking the attendees");
        goto out;
    }
    items = json_array();
    if (sg != NULL) {   /* the suggestion first, attending or not */
        json_t *first = NULL;

        json_array_foreach(ranked, i, a)
            if (json_equal(json_object_get(a, "subscriber_id"),
                           json_object_get(sg, "subscriber_id")))
                first = item_of(a, 1);
        if (first == NULL) {
            first = item_of(sg, 1);
            json_object_set_new(first, "attendee", json_false());
        }
        json_object_set(first, "suggested_by", json_object_get(sg, "by"));
        if (json_object_get(first, "match") == NULL)
            json_object_set(first, "match", json_object_get(sg, "match"));
        json_array_append_new(items, first);
    }
    json_array_foreach(ranked, i, a) {
        if (sg != NULL && json_equal(json_object_get(a, "subscriber_id"),
                                     json_object_get(sg, "subscriber_id")))
            continue;
        json_array_append_new(items, item_of(a, 0));
    }
    /* The page: [after, after + limit) of the whole answer. */
    out = json_array();
    json_array_foreach(items, i, a) {
        if ((long long)i < after)
            continue;
        if (n == (size_t)limit) {
            next = after + limit;
            break;
        }
        json_array_append(out, a);
        n++;
    }
    json_decref(items);
    sure = q != NULL;
    out = sw_page_json(out, next);
    json_object_set_new(out, "q", q != NULL ? json_string(q) : json_null());
    json_object_set_new(out, "matched", json_boolean(sure));
    json_object_set_new(out, "truncated", json_boolean(more));
    json_object_set_new(out, "suggested", sg != NULL ? json_incref(sg) : json_null());
    sw_reply_json(c, 200, out);
out:
    json_decref(sg);
    json_decref(ranked);
    json_decref(list);
    json_decref(inc);
    json_decref(show);
}
