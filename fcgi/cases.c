/* cases.c — assistance cases over HTTP: intake, the triage queue, transitions with notices,
 * priority overrides, deadlines, expert offers, notes and replies, history, statistics.
 * Evidence files are in evidence.c. Who sees a case: its exporter, the triagers of its
 * centre, the expert it is assigned to, admins; anyone else gets 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
#include "seawall/associations.h"
#include "seawall/alerts.h"
#include "seawall/cases.h"
#include "seawall/casestats.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/deadlines.h"
#include "seawall/i18n.h"
#include "seawall/insurance.h"
#include "seawall/log.h"
#include "seawall/message.h"
#include "seawall/normalise.h"
#include "seawall/store.h"
#include "seawall/templates.h"
#include "seawall/zone.h"
#include "api.h"

#define STAFFISH(role) ((role) & (SW_ROLE_STAFF | SW_ROLE_ADMIN))

int64_t sw_cases_now(struct sw_ctx *c)
{
    return sw_case_now(c->store, (int)sw_config_int(c->cfg, "cases.test_clock"));
}

int sw_case_visible(const struct sw_ctx *c, const json_t *doc)
{
    long long sub = json_integer_value(json_object_get(doc, "subscriber_id"));
    long long centre = json_integer_value(json_object_get(doc, "centre_id"));
    long long expert = json_integer_value(json_object_get(json_object_get(doc, "assignee"), "id"));

    switch (c->who.role) {
    case SW_ROLE_ADMIN:
        return 1;
    case SW_ROLE_EXPORTER:
        return sub == c->who.subject;
    case SW_ROLE_TRIAGER:
        return centre == c->who.centre;
    case SW_ROLE_EXPERT:
        return centre == c->who.centre && expert == c->who.subject;
    default:
        return 0;
    }
}

int sw_case_load_visible(struct sw_ctx *c, long long *id, json_t **doc)
{
    int rc;

    if (sw_param_id(c, "id", id) != SW_OK)
        return SW_NOTFOUND;
    rc = sw_case_get(c->store, *id, doc);
    if (rc == SW_OK && !sw_case_visible(c, *doc)) {
        json_decref(*doc);
        *doc = NULL;
        rc = SW_NOTFOUND;
    }
    if (rc != SW_OK)
        sw_reply_store(c, rc, "loading the case");
    return rc;
}

/* The centre's service-level targets, or the configured defaults. */
static void targets(struct sw_ctx *c, long long centre, long long *first_h, long long *resolve_h)
{
    json_t *doc = NULL;

    *first_h = sw_config_int(c->cfg, "cases.sla_first_response_h");
    *resolve_h = sw_config_int(c->cfg, "cases.sla_resolution_h");
    if (sw_doc_get(c->store, &sw_kind_centre, centre, &doc) != SW_OK)
        return;
    if (json_is_integer(json_object_get(doc, "sla_first_response_h")))
        *first_h = json_integer_value(json_object_get(doc, "sla_first_response_h"));
    if (json_is_integer(json_object_get(doc, "sla_resolution_h")))
        *resolve_h = json_integer_value(json_object_get(doc, "sla_resolution_h"));
    json_decref(doc);
}

/* The notes of the case's deadlines (catalogue messages) in the reader's language. */
static void localise_deadlines(struct sw_ctx *c, json_t *v)
{
    json_t *e, *dl = json_object_get(v, "deadline");
    size_t i;

    if (json_is_string(json_object_get(dl, "note")))
        json_object_set_new(dl, "note", json_string(sw_tr(c->lang, json_string_value(
                                                              json_object_get(dl, "note")))));
    json_array_foreach(json_object_get(v, "deadlines"), i, e)
        if (json_is_string(json_object_get(e, "note")))
            json_object_set_new(e, "note", json_string(sw_tr(c->lang, json_string_value(
                                                                 json_object_get(e, "note")))));
}

/* Where the case came from: its alerts and show incidents, each with the API path to read it
 * (an alert is its exporter's) and the portal page. */
static json_t *case_links(const json_t *doc)
{
    json_t *out = json_array(), *v;
    char api[128], app[128];
    size_t i;

    json_array_foreach(json_object_get(doc, "alerts"), i, v) {
        snprintf(api, sizeof(api), "/api/v1/alerts/%.80s", json_string_value(v) ?: "");
        snprintf(app, sizeof(app), "/app/alerts/%.80s", json_string_value(v) ?: "");
        json_array_append_new(out, json_pack("{s:s, s:O, s:s, s:s}", "kind", "alert", "id", v,
                                             "api", api, "page", app));
    }
    json_array_foreach(json_object_get(doc, "incidents"), i, v) {
        snprintf(api, sizeof(api), "/api/v1/incidents/%.80s", json_string_value(v) ?: "");
        snprintf(app, sizeof(app), "/app/incidents/%.80s", json_string_value(v) ?: "");
        json_array_append_new(out, json_pack("{s:s, s:O, s:s, s:s}", "kind", "incident", "id",
                                             v, "api", api, "page", app));
    }
    return out;
}

static json_t *view_with(struct sw_ctx *c, const json_t *doc, int64_t now, long long first_h,
                         long long resolve_h)
{
    json_t *v = sw_case_view(doc, now, first_h, resolve_h,
                             (int)sw_config_int(c->cfg, "cases.near_breach_pct"));

    if (v == NULL)
        return NULL;
    json_object_set_new(v, "next_states",
                        sw_case_next_states(json_string_value(json_object_get(doc, "state")),
                                            c->who.role));
    if (c->who.role == SW_ROLE_EXPORTER)
        json_object_del(v, "priority");
    json_object_del(v, "history_len");
    json_object_del(v, "deadline_seq");
    json_object_del(v, "costs");      /* sw_case_view_for and GET /cases/{id}/costs show them */
    json_object_del(v, "cost_seq");
    localise_deadlines(c, v);
    json_object_set_new(v, "links", case_links(doc));
    return v;
}

static json_t *view(struct sw_ctx *c, const json_t *doc)
{
    long long first_h, resolve_h;

    targets(c, json_integer_value(json_object_get(doc, "centre_id")), &first_h, &resolve_h);
    return view_with(c, doc, sw_cases_now(c), first_h, resolve_h);
}

/* 409 for a case whose history holds cases.history_max entries. */
static void reply_history_full(struct sw_ctx *c)
{
    sw_reply_problem(c, 409, "history-full", "Case history full", NULL,
                     "this case's history holds cases.history_max entries");
}

/* --- notices ----------------------------------------------------------------------------- */

/* Tells the exporter through their alert inbox (and so their webhooks and mail). A notice is
 * keyed by the history entry it reports, so a retried call makes no second one. */
void sw_case_notice(struct sw_ctx *c, const json_t *doc, const char *code, const char *text,
                    int text_from_catalogue, const char *severity)
{
    long long sub = json_integer_value(json_object_get(doc, "subscriber_id"));
    long long id = json_integer_value(json_object_get(doc, "id"));
    const char *what = sw_msg_notice_text(code);
    char evid[64], title[160];
    json_t *a;
    int stored;

    if (what == NULL) {
        sw_warn("case %lld: no notice \"%s\"", id, code);
        return;
    }
    snprintf(evid, sizeof(evid), "case:%lld:%lld", id,
             (long long)json_integer_value(json_object_get(doc, "history_len")));
    /* Stored with its code: each reader gets it in their language (sw_msg_localise, the
     * notifier); the English title and text stay for search and for older readers. */
    snprintf(title, sizeof(title), "Your case #%lld: %s", id, what);
    a = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s?, s:b, s:O, s:I, s:s}, "
                  "s:[{s:s, s:s, s:s}]}",
                  "severity", severity, "rule", "case-notice",
                  "event", "id", evid,
                  "type", "case_notice", "notice", code, "title", title, "text", text,
                  "text_from_catalogue", text_from_catalogue, "jurisdiction",
                  json_object_get(doc, "country"), "case_id", (json_int_t)id, "state",
                  json_string_value(json_object_get(doc, "state")) ?: "",
                  "reasons", "rule", "case-notice", "field", "state", "text", what);
    if (a != NULL)
        sw_alert_stamp(a, sub, evid);
    if (a == NULL || sw_alert_store(c->store, c->cfg, sub, a, &stored) != SW_OK)
        sw_warn("case %lld: notice \"%s\" to subscriber %lld not stored (%s)", id, code, sub,
                c->store->errstr);
    json_decref(a);
}

/* --- intake ------------------------------------------------------------------------------ */

int sw_case_choose_centre(struct sw_ctx *c, const json_t *in, long long *centre,
                          struct sw_verrs *errs)
{
    json_t *doc = NULL;
    int rc;

    if (json_is_integer(json_object_get(in, "centre_id"))) {
        *centre = json_integer_value(json_object_get(in, "centre_id"));
        rc = sw_doc_get(c->store, &sw_kind_centre, *centre, &doc);
        json_decref(doc);
        if (rc == SW_NOTFOUND)
            sw_verrs_add(errs, "/centre_id", "no such assistance centre");
        return rc == SW_NOTFOUND ? SW_OK : rc;
    }
    return sw_case_default_centre(c->store, centre);
}

/* Linked alerts must be the exporter's own. */
static int check_alert_links(struct sw_ctx *c, const json_t *in, struct sw_verrs *errs)
{
    const json_t *v;
    size_t i;

    json_array_foreach(json_object_get(in, "alerts"), i, v) {
        json_t *one, *found = NULL;
        char ptr[32];
        int rc;

        if (!sw_alert_id_valid(json_string_value(v)))
            continue;
        one = json_pack("[O]", v);
        rc = sw_alert_load(c->store, c->who.subject, one, &found);
        json_decref(one);
        if (rc != SW_OK) {
            json_decref(found);
            return SW_EAGAIN;
        }
        if (json_array_size(found) == 0) {
            snprintf(ptr, sizeof(ptr), "/alerts/%zu", i);
            sw_verrs_add(errs, ptr, "no such alert in your inbox");
        }
        json_decref(found);
    }
    return SW_OK;
}

void sw_h_cases_create(struct sw_ctx *c)
{
    struct sw_verrs errs;
    char when[32], loc[64];
    json_t *in = NULL, *shape, *doc, *entry, *dl;
    long long centre = 0, id;
    int64_t now;
    int rc;

    if (sw_body_parse(c, &in) != SW_OK)
        return;
    sw_verrs_init(&errs);
    shape = json_copy(in);
    json_object_del(shape, "rights");
    sw_json_check(shape, sw_case_fields, 0, "", &errs);
    json_decref(shape);
    sw_case_check(in, &errs);
    rc = sw_case_choose_centre(c, in, &centre, &errs);
    if (rc == SW_OK)
        rc = check_alert_links(c, in, &errs);
    if (rc == SW_NOTFOUND) {
        sw_verrs_free(&errs);
        json_decref(in);
        sw_reply_problem(c, 409, "no-centre", "No assistance centre", NULL,
                         "no assistance centre is set up to take cases yet");
        return;
    }
    if (rc != SW_OK) {
        sw_verrs_free(&errs);
        json_decref(in);
        sw_reply_store(c, rc, "checking the case");
        return;
    }
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        return;
    }
    now = sw_cases_now(c);
    doc = in;
    json_object_del(doc, "centre_id");
    json_object_set_new(doc, "subscriber_id", json_integer(c->who.subject));
    json_object_set_new(doc, "centre_id", json_integer(centre));
    json_object_set_new(doc, "created_at", json_string(sw_iso8601(now, when, sizeof(when))));
    json_object_set_new(doc, "updated_at", json_string(when));
    json_object_set_new(doc, "assignee", json_null());
    json_object_set_new(doc, "priority_override", json_null());
    dl = sw_case_deadline_intake(sw_api_deadlines, doc);
    json_object_set_new(doc, "deadlines", json_array());
    json_object_set_new(doc, "deadline_seq", json_integer(dl != NULL));
    if (dl != NULL) {
        json_object_set_new(dl, "created_at", json_string(when));
        json_array_append_new(json_object_get(doc, "deadlines"), dl);
    }
    sw_case_deadline_sync(doc);
    sw_case_set_state(doc, "submitted", 0, now);
    entry = sw_case_entry(&c->who, now, "created", 1,
                          json_pack("{s:{s:s}}", "after", "state", "submitted"));
    rc = sw_case_create(c->store, doc, entry, &id);
    json_decref(entry);
    if (rc != SW_OK) {
        json_decref(doc);
        sw_reply_store(c, rc, "storing the case");
        return;
    }
    snprintf(loc, sizeof(loc), "/api/v1/cases/%lld", id);
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 201, view(c, doc));
    json_decref(doc);
}

/* Adds {"exporter": {id, name}} to view v of doc from names (sw_case_exporters). */
static void add_exporter(json_t *v, const json_t *doc, const json_t *names)
{
    char key[24];
    long long sub = json_integer_value(json_object_get(doc, "subscriber_id"));

    snprintf(key, sizeof(key), "%lld", sub);
    json_object_set_new(v, "exporter", json_pack("{s:I, s:O?}", "id", (json_int_t)sub, "name",
                                                 json_object_get(names, key)));
}

json_t *sw_case_view_for(struct sw_ctx *c, const json_t *doc)
{
    json_t *v = view(c, doc), *one = json_pack("[O]", doc), *names = NULL, *costs;

    if (v != NULL && sw_case_exporters(c->store, one, &names) == SW_OK)
        add_exporter(v, doc, names);
    /* One case shows its costs and their totals (lists and the queue leave them out). */
    if (v != NULL && (costs = sw_costs_of(doc)) != NULL)
        json_object_set_new(v, "costs", costs);
    if (v != NULL)   /* the joint matter of an association it is part of (associations.h) */
        json_object_set_new(v, "matter", sw_matter_of_case(c->store, doc) ?: json_null());
    json_decref(names);
    json_decref(one);
    return v;
}

void sw_h_cases_get(struct sw_ctx *c)
{
    long long id;
    json_t *doc;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    sw_reply_json(c, 200, sw_case_view_for(c, doc));
    json_decref(doc);
}

/* 1 when there is no filter list, or v is in it. */
static int listed(const char *list, const char *v)
{
    return list == NULL || (v != NULL && sw_in_list(list, v));
}

/* The queue's orders: by priority (the default), next deadline, creation, last change, id. */
enum { SORT_PRIORITY, SORT_DEADLINE, SORT_CREATED, SORT_UPDATED, SORT_ID };

/* The order sort names (with a leading '-' reversed into *rev when rev is given), or -1. */
static int sort_of(const char *sort)
{
    static const char *const names[] = { "priority", "deadline", "created", "updated", "id" };
    size_t i;

    if (sort[0] == '-')
        sort++;
    for (i = 0; i < SW_ARRAY_LEN(names); i++)
        if (strcmp(sort, names[i]) == 0)
            return (int)i;
    return -1;
}

/* 1 when doc carries tag. */
static int has_tag(const json_t *doc, const char *tag)
{
    const json_t *v;
    size_t i;

    json_array_foreach(json_object_get(doc, "tags"), i, v)
        if (strcmp(json_string_value(v), tag) == 0)
            return 1;
    return 0;
}

/* As sw_reply_if_invalid, for query parameters: each problem names its "parameter". */
static int filters_ok(struct sw_ctx *c)
{
    struct sw_verrs errs;
    const char *v;
    long long n;

    sw_verrs_init(&errs);
    if ((v = sw_query(c, "state")) != NULL && !sw_list_valid(v, sw_case_states))
        sw_verrs_add(&errs, "state", "must be case states such as submitted or in_progress "
                     "(several separated by commas)");
    if ((v = sw_query(c, "type")) != NULL && !sw_list_valid(v, sw_case_types))
        sw_verrs_add(&errs, "type", "must be case types such as lawsuit or customs_seizure "
                     "(several separated by commas)");
    if ((v = sw_query(c, "country")) != NULL && (strlen(v) < 2 || strlen(v) > 200))
        sw_verrs_add(&errs, "country", "must be a comma-separated list of country codes");
    if ((v = sw_query(c, "assignee")) != NULL && strcmp(v, "none") != 0 &&
        sw_parse_ll(v, 1, INT64_MAX, &n) != SW_OK)
        sw_verrs_add(&errs, "assignee", "must be a staff id or none");
    if ((v = sw_query(c, "due_within_h")) != NULL && sw_parse_ll(v, 0, 87600, &n) != SW_OK)
        sw_verrs_add(&errs, "due_within_h", "must be a number of hours, 0 to 87600");
    if ((v = sw_query(c, "sla")) != NULL && strcmp(v, "breached") != 0 &&
        strcmp(v, "near_breach") != 0 && strcmp(v, "at_risk") != 0)
        sw_verrs_add(&errs, "sla", "must be breached, near_breach or at_risk");
    if ((v = sw_query(c, "centre")) != NULL && sw_parse_ll(v, 1, INT64_MAX, &n) != SW_OK)
        sw_verrs_add(&errs, "centre", "must be a centre id");
    if ((v = sw_query(c, "view")) != NULL && !sw_list_valid(v, sw_case_views))
        sw_verrs_add(&errs, "view", "must be one of new_unassigned, mine, near_breach, "
                     "breached, waiting, due_week, open");
    else if (v != NULL && strchr(v, ',') != NULL)
        sw_verrs_add(&errs, "view", "names one view");
    if ((v = sw_query(c, "sort")) != NULL && sort_of(v) < 0)
        sw_verrs_add(&errs, "sort", "must be priority, deadline, created, updated or id, with "
                     "- before it for the reverse order");
    if ((v = sw_query(c, "q")) != NULL && !sw_alert_q_valid(v))
        sw_verrs_add(&errs, "q", "must be 1 to %d bytes of UTF-8 text with a letter or a "
                     "digit", SW_ALERT_Q_MAX);
    if ((v = sw_query(c, "tag")) != NULL && !sw_case_tag_valid(v))
        sw_verrs_add(&errs, "tag", "must be a tag: 1 to %d bytes without spaces, commas or "
                     "quotes", SW_CASE_TAG_MAX);
    return sw_reply_params_invalid(c, &errs);
}

static int matches(struct sw_ctx *c, const json_t *doc, const json_t *v, int64_t now)
{
    const char *a = sw_query(c, "assignee"), *due = sw_query(c, "due_within_h");
    const char *sla = sw_query(c, "sla");
    long long who = json_integer_value(json_object_get(json_object_get(doc, "assignee"), "id"));

    if (!listed(sw_query(c, "state"), json_string_value(json_object_get(doc, "state"))) ||
        !listed(sw_query(c, "type"), json_string_value(json_object_get(doc, "type"))) ||
        !listed(sw_query(c, "country"), json_string_value(json_object_get(doc, "country"))))
        return 0;
    if (a != NULL && (strcmp(a, "none") == 0 ? who != 0 : who != strtoll(a, NULL, 10)))
        return 0;
    if (sw_query(c, "tag") != NULL && !has_tag(doc, sw_query(c, "tag")))
        return 0;
    if (due != NULL) {
        const json_t *at = json_object_get(json_object_get(doc, "deadline"), "at_ms");

        if (!json_is_integer(at) ||
            json_integer_value(at) > now + strtoll(due, NULL, 10) * 3600000LL)
            return 0;
    }
    if (sla != NULL && v != NULL) {
        const json_t *s = json_object_get(v, "sla");
        const char *f = json_string_value(json_object_get(json_object_get(s, "first_response"),
                                                          "status"));
        const char *r = json_string_value(json_object_get(json_object_get(s, "resolution"),
                                                          "status"));
        int breached = strcmp(f, "breached") == 0 || strcmp(r, "breached") == 0;
        int near = strcmp(f, "near_breach") == 0 || strcmp(r, "near_breach") == 0;

        if (strcmp(sla, "breached") == 0 ? !breached
            : strcmp(sla, "near_breach") == 0 ? !near : !(breached || near))
            return 0;
    }
    return 1;
}

void sw_h_cases_list(struct sw_ctx *c)
{
    enum sw_case_list list = SW_CASES_ALL;
    long long after, next, last_centre = 0, first_h = 0, resolve_h = 0, owner = 0;
    json_t *ids, *docs, *items, *d;
    int limit, rc;
    size_t i;
    int64_t now;

    if (sw_page_args(c, &after, &limit) != SW_OK || filters_ok(c) != SW_OK)
        return;
    switch (c->who.role) {
    case SW_ROLE_EXPORTER:
        list = SW_CASES_OF_SUB;
        owner = c->who.subject;
        break;
    case SW_ROLE_TRIAGER:
        list = SW_CASES_OF_CENTRE;
        owner = c->who.centre;
        break;
    case SW_ROLE_EXPERT:
        list = SW_CASES_OF_STAFF;
        owner = c->who.subject;
        break;
    default:
        break;
    }
    rc = sw_case_ids(c->store, list, owner, after, limit, 0, &ids, &next);
    if (rc == SW_OK) {
        rc = sw_case_load_in(c->store, list, owner, ids, &docs);
        json_decref(ids);
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing cases");
        return;
    }
    now = sw_cases_now(c);
    items = json_array();
    json_array_foreach(docs, i, d) {
        long long centre = json_integer_value(json_object_get(d, "centre_id"));
        json_t *v;

        if (!sw_case_visible(c, d))
            continue;
        if (centre != last_centre) {   /* a page is mostly one centre's: read its targets once */
            targets(c, centre, &first_h, &resolve_h);
            last_centre = centre;
        }
        v = view_with(c, d, now, first_h, resolve_h);
        if (v != NULL && matches(c, d, v, now))
            json_array_append_new(items, v);
        else
            json_decref(v);
    }
    json_decref(docs);
    sw_reply_json(c, 200, sw_page_json(items, next));
}

/* Every open case of centre (up to max) with the time and the centre's targets to view them
 * by. Answers and returns the code on failure. */
static int load_open(struct sw_ctx *c, long long max, json_t **docs, long long *next,
                     int64_t *now, long long centre, long long *first_h, long long *resolve_h)
{
    json_t *ids;
    int rc = sw_case_ids(c->store, SW_CASES_OPEN_OF_CENTRE, centre, 0, 0, max, &ids, next);

    if (rc == SW_OK) {
        rc = sw_case_load_in(c->store, SW_CASES_OPEN_OF_CENTRE, centre, ids, docs);
        json_decref(ids);
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading cases");
        return rc;
    }
    *now = sw_cases_now(c);
    targets(c, centre, first_h, resolve_h);
    return SW_OK;
}

/* --- the triage queue ---------------------------------------------------------------------- */

/* The order of the queue this thread is sorting (qsort takes no user data). */
static __thread int sort_key;
static __thread int sort_rev;

static int by_priority(const json_t *x, const json_t *y)
{
    json_int_t px = json_integer_value(json_object_get(json_object_get(x, "priority"), "score"));
    json_int_t py = json_integer_value(json_object_get(json_object_get(y, "priority"), "score"));

    return px == py ? 0 : px > py ? -1 : 1;
}

static int by_deadline(const json_t *x, const json_t *y)
{
    const json_t *dx = json_object_get(json_object_get(x, "deadline"), "at_ms");
    const json_t *dy = json_object_get(json_object_get(y, "deadline"), "at_ms");

    if (json_is_integer(dx) != json_is_integer(dy))
        return json_is_integer(dx) ? -1 : 1;
    if (json_is_integer(dx) && json_integer_value(dx) != json_integer_value(dy))
        return json_integer_value(dx) < json_integer_value(dy) ? -1 : 1;
    return 0;
}

static int by_text(const json_t *x, const json_t *y, const char *member)
{
    return strcmp(json_string_value(json_object_get(x, member)) ?: "",
                  json_string_value(json_object_get(y, member)) ?: "");
}

/* The queue's order: the chosen key (reversed with sort_rev), then priority, deadline
 * (earliest first, none last) and id. */
static int queue_order(const void *a, const void *b)
{
    const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
    int r = 0;

    switch (sort_key) {
    case SORT_DEADLINE: r = by_deadline(x, y); break;
    case SORT_CREATED: r = by_text(x, y, "created_at"); break;
    case SORT_UPDATED: r = by_text(x, y, "updated_at"); break;
    case SORT_ID: r = 0; break;
    default: r = by_priority(x, y); break;
    }
    if (r == 0 && sort_key != SORT_ID && ((r = by_priority(x, y)) != 0 ||
                                          (r = by_deadline(x, y)) != 0))
        return r;
    if (r == 0)   /* ids are unique: the last word; with created and id sorts, reversed too */
        r = json_integer_value(json_object_get(x, "id")) <
            json_integer_value(json_object_get(y, "id")) ? -1 : 1;
    return sort_rev ? -r : r;
}

/* The open cases of the caller's centre (an admin names one with ?centre=), each the caller
 * may see viewed with its exporter's name. With ?q= at most cases.search_scan_max are read
 * (each search costs a fold of up to SW_ALERT_SEARCH_MAX bytes), else cases.queue_max.
 * Answers and returns non-OK on failure; else *views (array), *total (cases read) and
 * *truncated. */
static int queue_collect(struct sw_ctx *c, json_t **views, size_t *total, int *truncated,
                         int64_t *now)
{
    long long centre = c->who.centre, next, first_h, resolve_h;
    long long max = sw_config_int(c->cfg, sw_query(c, "q") != NULL ? "cases.search_scan_max"
                                                                      : "cases.queue_max");
    json_t *docs, *d, *names = NULL;
    size_t i;

    if (c->who.role == SW_ROLE_ADMIN) {
        if (sw_query(c, "centre") == NULL) {
            sw_reply_problem(c, 400, "validation", "Invalid request",
                             json_pack("[{s:s, s:s}]", "parameter", "centre", "message",
                                       sw_tr(c->lang, "an admin names the centre whose queue "
                                                      "to show")),
                             "query parameter centre is required for an admin");
            return SW_INVALID;
        }
        centre = strtoll(sw_query(c, "centre"), NULL, 10);
    }
    if (load_open(c, max, &docs, &next, now, centre, &first_h, &resolve_h) != SW_OK)
        return SW_EAGAIN;
    if (sw_case_exporters(c->store, docs, &names) != SW_OK) {
        json_decref(docs);
        json_decref(names);
        sw_reply_store(c, SW_EAGAIN, "naming exporters");
        return SW_EAGAIN;
    }
    *views = json_array();
    *total = json_array_size(docs);
    *truncated = next != 0 || (long long)*total >= max;
    json_array_foreach(docs, i, d) {
        json_t *v;

        if (!sw_case_visible(c, d))
            continue;
        v = view_with(c, d, *now, first_h, resolve_h);
        if (v == NULL)
            continue;
        add_exporter(v, d, names);
        json_array_append_new(*views, v);
    }
    json_decref(names);
    json_decref(docs);
    return SW_OK;
}

/* 1 when the case view v matches the ?q= search (folded into q; NULL: no search). */
static int search_hit(const json_t *v, const char *q, struct sw_buf *text)
{
    if (q == NULL)
        return 1;
    if (sw_case_search_text(v, json_string_value(json_object_get(json_object_get(v, "exporter"),
                                                                 "name")), text) != SW_OK)
        return 0;
    return text->p != NULL && sw_case_search_match(text->p, q);
}

void sw_h_cases_queue(struct sw_ctx *c)
{
    const char *view = sw_query(c, "view"), *sort = sw_query(c, "sort"), *q = sw_query(c, "q");
    json_t *all, *v, **views, *items;
    struct sw_buf qf, text;
    size_t i, n = 0, total;
    int limit, truncated;
    int64_t now;

    if (sw_page_limit(c, &limit) != SW_OK || filters_ok(c) != SW_OK)
        return;
    if (queue_collect(c, &all, &total, &truncated, &now) != SW_OK)
        return;
    sw_buf_init(&qf, 4 * SW_ALERT_Q_MAX);
    sw_buf_init(&text, SW_ALERT_SEARCH_MAX);
    if (q != NULL && sw_fold_search(q, strlen(q), &qf) != SW_OK) {
        json_decref(all);
        sw_buf_free(&qf);
        sw_reply_store(c, SW_ERR, "reading the search");
        return;
    }
    views = calloc(json_array_size(all) + 1, sizeof(*views));
    json_array_foreach(all, i, v) {
        if (views != NULL && matches(c, v, v, now) &&
            sw_case_in_view(view, v, v, c->who.subject, now) &&
            search_hit(v, q != NULL ? qf.p : NULL, &text))
            views[n++] = json_incref(v);
    }
    json_decref(all);
    sw_buf_free(&qf);
    sw_buf_free(&text);
    if (views == NULL) {
        sw_reply_store(c, SW_ERR, "ranking the queue");
        return;
    }
    sort_key = sort != NULL ? sort_of(sort) : SORT_PRIORITY;
    sort_rev = sort != NULL && sort[0] == '-';
    qsort(views, n, sizeof(*views), queue_order);
    items = json_array();
    for (i = 0; i < n; i++) {
        if (i < (size_t)limit)
            json_array_append_new(items, views[i]);
        else
            json_decref(views[i]);
    }
    free(views);
    sw_reply_json(c, 200, json_pack("{s:o, s:I, s:I, s:b, s:s}", "items", items, "matched",
                                    (json_int_t)n, "ranked", (json_int_t)total, "truncated",
                                    truncated, "view", view ? view : "open"));
}

/* GET /cases/queue/counts: how many cases each view holds, from one read of the queue. */
void sw_h_cases_queue_counts(struct sw_ctx *c)
{
    json_t *all, *v, *counts;
    size_t i, k, total;
    int truncated;
    int64_t now;

    if (filters_ok(c) != SW_OK || queue_collect(c, &all, &total, &truncated, &now) != SW_OK)
        return;
    counts = json_object();
    for (k = 0; sw_case_views[k] != NULL; k++) {
        json_int_t n = 0;

        json_array_foreach(all, i, v)
            n += sw_case_in_view(sw_case_views[k], v, v, c->who.subject, now);
        json_object_set_new(counts, sw_case_views[k], json_integer(n));
    }
    json_decref(all);
    sw_reply_json(c, 200, json_pack("{s:o, s:I, s:b}", "views", counts, "ranked",
                                    (json_int_t)total, "truncated", truncated));
}

/* --- transitions ----------------------------------------------------------------------------- */

enum { FAIL_NONE, FAIL_ILLEGAL, FAIL_ROLE, FAIL_REASON, FAIL_EXPERT };

struct move {
    const struct sw_principal *who;
    const char *to, *reason, *outcome;
    json_t *expert;          /* {id, name} for assignments */
    int64_t now;
    int fail;
    const struct sw_case_transition *t;
    json_t *allowed;         /* for FAIL_ILLEGAL / FAIL_ROLE */
};

static json_t *role_names(unsigned roles)
{
    static const enum sw_role all[] = { SW_ROLE_EXPORTER, SW_ROLE_TRIAGER, SW_ROLE_EXPERT };
    json_t *out = json_array();
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(all); i++)
        if (roles & (unsigned)all[i])
            json_array_append_new(out, json_string(sw_role_name(all[i])));
    json_array_append_new(out, json_string("admin"));
    return out;
}

static int do_move(json_t *doc, json_t *hist, void *ud)
{
    struct move *m = ud;
    json_t *extra, *before_assignee;
    char when[32], from[32];

    /* A copy: setting the state frees the string the document held. */
    sw_strlcpy(from, json_string_value(json_object_get(doc, "state")) ?: "", sizeof(from));

    m->t = sw_case_transition_find(from, m->to);
    if (m->t == NULL) {
        m->fail = FAIL_ILLEGAL;
        m->allowed = sw_case_next_states(from, m->who->role);
        return SW_INVALID;
    }
    if (m->who->role != SW_ROLE_ADMIN && !(m->t->roles & (unsigned)m->who->role)) {
        m->fail = FAIL_ROLE;
        m->allowed = role_names(m->t->roles);
        return SW_INVALID;
    }
    if ((m->t->needs & SW_CT_REASON) && m->reason == NULL) {
        m->fail = FAIL_REASON;
        return SW_INVALID;
    }
    if ((m->t->needs & SW_CT_EXPERT) && m->expert == NULL) {
        m->fail = FAIL_EXPERT;
        return SW_INVALID;
    }
    before_assignee = json_incref(json_object_get(doc, "assignee"));
    sw_case_set_state(doc, m->to, STAFFISH(m->who->role) != 0, m->now);
    json_object_set_new(doc, "updated_at", json_string(sw_iso8601(m->now, when, sizeof(when))));
    extra = json_pack("{s:{s:s}, s:{s:s}}", "before", "state", from, "after", "state", m->to);
    if (m->reason != NULL)
        json_object_set_new(extra, "reason", json_string(m->reason));
    if (m->t->needs & SW_CT_EXPERT) {
        json_object_set(doc, "assignee", m->expert);
        json_object_set(json_object_get(extra, "before"), "assignee",
                        before_assignee ? before_assignee : json_null());
        json_object_set(json_object_get(extra, "after"), "assignee", m->expert);
    }
    json_decref(before_assignee);
    if (strcmp(m->to, "resolved") == 0) {
        json_object_set_new(doc, "resolution", json_string(m->reason));
        if (m->outcome != NULL) {
            json_object_set_new(doc, "outcome", json_string(m->outcome));
            json_object_set_new(json_object_get(extra, "after"), "outcome",
                                json_string(m->outcome));
        }
    }
    if (strcmp(m->to, "rejected") == 0)
        json_object_set_new(doc, "rejection", json_string(m->reason));
    json_array_append_new(hist, sw_case_entry(m->who, m->now, "transition", 1, extra));
    return SW_OK;
}

static const struct sw_jfield move_fields[] = {
    { "to", SW_J_STRING, SW_JF_REQUIRED, 1, 32, sw_case_states },
    { "reason", SW_J_STRING, SW_JF_NONEMPTY, 1, 4000, NULL },
    { "expert_id", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "outcome", SW_J_STRING, 0, 1, 32, sw_case_outcomes },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* The expert {id, name} for an assignment, or NULL after answering 400. */
static json_t *expert_for(struct sw_ctx *c, const json_t *doc, long long expert_id)
{
    json_t *st = NULL, *out = NULL;
    int rc = sw_doc_get(c->store, &sw_kind_staff, expert_id, &st);

    if (rc == SW_OK && strcmp(json_string_value(json_object_get(st, "role")) ?: "", "expert") == 0
        && json_integer_value(json_object_get(st, "centre_id")) ==
               json_integer_value(json_object_get(doc, "centre_id")))
        out = json_pack("{s:I, s:O}", "id", (json_int_t)expert_id, "name",
                        json_object_get(st, "name"));
    json_decref(st);
    if (rc != SW_OK && rc != SW_NOTFOUND) {
        sw_reply_store(c, rc, "loading the expert");
        return NULL;
    }
    if (out == NULL)
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/expert_id", "message",
                                   sw_tr(c->lang, "not an expert of this case's centre")),
                         "expert_id %lld is not an expert of this case's centre", expert_id);
    return out;
}

void sw_h_cases_transition(struct sw_ctx *c)
{
    struct move m = { .who = &c->who };
    json_t *in, *doc, *out = NULL;
    long long id;
    int rc;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    if (sw_body_object(c, move_fields, 0, &in) != SW_OK) {
        json_decref(doc);
        return;
    }
    m.to = json_string_value(json_object_get(in, "to"));
    m.reason = json_string_value(json_object_get(in, "reason"));
    m.outcome = json_string_value(json_object_get(in, "outcome"));
    if (m.outcome != NULL && strcmp(m.to, "resolved") != 0) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/outcome", "message",
                                   sw_tr(c->lang, "only a resolution records an outcome")),
                         "outcome is given only with \"to\": \"resolved\"");
        goto out;
    }
    if (json_object_get(in, "expert_id") != NULL) {
        m.expert = expert_for(c, doc, json_integer_value(json_object_get(in, "expert_id")));
        if (m.expert == NULL)
            goto out;
    }
    m.now = sw_cases_now(c);
    rc = sw_case_update(c->store, id, sw_config_int(c->cfg, "cases.history_max"), do_move, &m,
                        &out);
    if (rc == SW_INVALID && m.fail == FAIL_ILLEGAL) {
        char *list = sw_json_dumps(m.allowed);

        sw_reply_problem(c, 409, "illegal-transition", "Illegal transition",
                         json_pack("{s:O}", "allowed", m.allowed),
                         "a case in state %s cannot go to %s; allowed for you: %s",
                         json_string_value(json_object_get(doc, "state")) ?: "unknown",
                         m.to ?: "", list ?: "[]");
        free(list);
    } else if (rc == SW_INVALID && m.fail == FAIL_ROLE) {
        char *list = sw_json_dumps(m.allowed);

        sw_reply_problem(c, 403, "transition-forbidden", "Forbidden",
                         json_pack("{s:O}", "roles", m.allowed),
                         "the role %s may not move a case from %s to %s; roles that may: %s",
                         sw_role_name(c->who.role), m.t->from, m.to, list ?: "[]");
        free(list);
    } else if (rc == SW_INVALID) {
        if (m.fail == FAIL_REASON)
            sw_reply_problem(c, 400, "validation", "Invalid request",
                             json_pack("[{s:s, s:s}]", "pointer", "/reason", "message",
                                       sw_tr(c->lang, "this transition needs a reason")),
                             "moving to %s needs a reason", m.to);
        else
            sw_reply_problem(c, 400, "validation", "Invalid request",
                             json_pack("[{s:s, s:s}]", "pointer", "/expert_id", "message",
                                       sw_tr(c->lang, "this transition needs expert_id")),
                             "moving to %s needs expert_id", m.to);
    } else if (rc == SW_TOOBIG) {
        reply_history_full(c);
    } else if (rc != SW_OK) {
        sw_reply_store(c, rc, "changing the case");
    } else {
        const char *code = strcmp(m.t->from, "assigned") == 0 && strcmp(m.to, "assigned") == 0
                               ? "reassigned" : m.to;

        if (m.t->notice != NULL)
            sw_case_notice(c, out, code, m.reason ? m.reason : sw_msg_notice_text(code),
                           m.reason == NULL,
                   strcmp(m.to, "rejected") == 0 || strcmp(m.to, "needs_info") == 0 ||
                   strcmp(m.to, "waiting_on_exporter") == 0 ? "high" : "medium");
        sw_reply_json(c, 200, view(c, out));
    }
out:
    json_decref(m.allowed);
    json_decref(m.expert);
    json_decref(out);
    json_decref(in);
    json_decref(doc);
}

/* --- bulk actions ---------------------------------------------------------------------- */

static const char *const bulk_actions[] = { "assign", "transition", "move", "tag", "untag",
                                            NULL };

static const struct sw_jfield bulk_fields[] = {
    { "ids", SW_J_INTS, SW_JF_REQUIRED, 1, 200, NULL },
    { "action", SW_J_STRING, SW_JF_REQUIRED, 1, 16, bulk_actions },
    { "expert_id", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "to", SW_J_STRING, 0, 1, 32, sw_case_states },
    { "reason", SW_J_STRING, SW_JF_NONEMPTY, 1, 4000, NULL },
    { "outcome", SW_J_STRING, 0, 1, 32, sw_case_outcomes },
    { "tags", SW_J_STRINGS, 0, 1, SW_CASE_TAGS_MAX, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

struct bulk_edit {
    struct move m;
    const char *action;
    const json_t *tags;
    int too_many;            /* tagging would pass SW_CASE_TAGS_MAX */
};

/* One case's change: a move (an assignment of a submitted case accepts it first, in the same
 * commit), or its tags added or taken off (an internal history entry). */
static int do_bulk(json_t *doc, json_t *hist, void *ud)
{
    struct bulk_edit *b = ud;
    json_t *before, *after, *v;
    const char *to = b->m.to;
    size_t i, j;
    char when[32];
    int rc;

    if (strcmp(b->action, "tag") != 0 && strcmp(b->action, "untag") != 0) {
        json_decref(b->m.allowed);
        b->m.allowed = NULL;
        b->m.fail = FAIL_NONE;
        if (strcmp(b->action, "assign") == 0 &&
            strcmp(json_string_value(json_object_get(doc, "state")) ?: "", "submitted") == 0) {
            b->m.to = "accepted";
            rc = do_move(doc, hist, &b->m);
            b->m.to = to;
            if (rc != SW_OK)
                return rc;
        }
        return do_move(doc, hist, &b->m);
    }
    before = json_deep_copy(json_object_get(doc, "tags"));
    after = json_is_array(before) ? json_deep_copy(before) : json_array();
    json_array_foreach(b->tags, i, v) {
        const char *tag = json_string_value(v);

        for (j = json_array_size(after); j-- > 0;)
            if (strcmp(json_string_value(json_array_get(after, j)), tag) == 0)
                break;
        if (strcmp(b->action, "tag") == 0 && j == (size_t)-1)
            json_array_append(after, v);
        else if (strcmp(b->action, "untag") == 0 && j != (size_t)-1)
            json_array_remove(after, j);
    }
    if (json_array_size(after) > SW_CASE_TAGS_MAX) {
        b->too_many = 1;
        json_decref(before);
        json_decref(after);
        return SW_INVALID;
    }
    json_object_set(doc, "tags", after);
    json_object_set_new(doc, "updated_at", json_string(sw_iso8601(b->m.now, when,
                                                                  sizeof(when))));
    json_array_append_new(hist, sw_case_entry(b->m.who, b->m.now, "tags", 0,
                                              json_pack("{s:{s:o}, s:{s:o}}", "before", "tags",
                                                        before ? before : json_array(),
                                                        "after", "tags", after)));
    return SW_OK;
}

/* A result's problem: {type, title, status, detail} in the request's language. */
static json_t *bulk_problem(struct sw_ctx *c, int status, const char *slug, const char *title,
                            const char *detail)
{
    char type[96];

    snprintf(type, sizeof(type), "urn:seawall:problem:%s", slug);
    return json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", sw_tr(c->lang, title),
                     "status", status, "detail", detail);
}

/* Does action to one case and says how it went: {id, status, problem?, state?}. */
static json_t *bulk_one(struct sw_ctx *c, long long id, const json_t *in)
{
    struct bulk_edit b = { .m = { .who = &c->who } };
    json_t *doc = NULL, *out = NULL, *res = json_pack("{s:I}", "id", (json_int_t)id);
    char detail[256];
    int rc = sw_case_get(c->store, id, &doc);
    int status = 200;

    b.action = json_string_value(json_object_get(in, "action"));
    b.tags = json_object_get(in, "tags");
    b.m.reason = json_string_value(json_object_get(in, "reason"));
    b.m.outcome = json_string_value(json_object_get(in, "outcome"));
    b.m.to = strcmp(b.action, "assign") == 0 ? "assigned" : json_string_value(json_object_get(in,
                                                                                     "to"));
    if (rc == SW_OK && !sw_case_visible(c, doc))
        rc = SW_NOTFOUND;
    if (rc == SW_NOTFOUND) {
        json_object_set_new(res, "status", json_integer(404));
        json_object_set_new(res, "problem", bulk_problem(c, 404, "not-found", "Not found",
                                                         sw_tr(c->lang, "no such case")));
        goto out;
    }
    if (rc != SW_OK) {
        json_object_set_new(res, "status", json_integer(503));
        json_object_set_new(res, "problem", bulk_problem(c, 503, "unavailable",
                                                         "Service unavailable",
                                                         sw_tr(c->lang, "the store did not "
                                                                        "answer; try again")));
        goto out;
    }
    if (strcmp(b.action, "tag") == 0 || strcmp(b.action, "untag") == 0) {
        if (!STAFFISH(c->who.role))
            rc = SW_NOTFOUND;
    } else if (json_object_get(in, "expert_id") != NULL) {
        json_t *st = NULL;
        long long xid = json_integer_value(json_object_get(in, "expert_id"));

        if (sw_doc_get(c->store, &sw_kind_staff, xid, &st) == SW_OK &&
            strcmp(json_string_value(json_object_get(st, "role")) ?: "", "expert") == 0 &&
            json_integer_value(json_object_get(st, "centre_id")) ==
                json_integer_value(json_object_get(doc, "centre_id")))
            b.m.expert = json_pack("{s:I, s:O}", "id", (json_int_t)xid, "name",
                                   json_object_get(st, "name"));
        json_decref(st);
        if (b.m.expert == NULL) {
            json_object_set_new(res, "status", json_integer(400));
            json_object_set_new(res, "problem", bulk_problem(c, 400, "validation",
                                "Invalid request", sw_tr(c->lang, "not an expert of this "
                                                                  "case's centre")));
            goto out;
        }
    }
    b.m.now = sw_cases_now(c);
    if (rc == SW_OK)
        rc = sw_case_update(c->store, id, sw_config_int(c->cfg, "cases.history_max"), do_bulk,
                            &b, &out);
    if (rc == SW_OK) {
        if (b.m.t != NULL && b.m.t->notice != NULL) {
            const char *code = strcmp(b.m.t->from, "assigned") == 0 &&
                               strcmp(b.m.to, "assigned") == 0 ? "reassigned" : b.m.to;

            sw_case_notice(c, out, code, b.m.reason ? b.m.reason : sw_msg_notice_text(code),
                           b.m.reason == NULL,
                           strcmp(b.m.to, "rejected") == 0 || strcmp(b.m.to, "needs_info") == 0 ||
                           strcmp(b.m.to, "waiting_on_exporter") == 0 ? "high" : "medium");
        }
        json_object_set_new(res, "state", json_string(json_string_value(json_object_get(out,
                                                                          "state")) ?: ""));
        json_object_set(res, "assignee", json_object_get(out, "assignee"));
        json_object_set_new(res, "tags", json_is_array(json_object_get(out, "tags"))
                                             ? json_incref(json_object_get(out, "tags"))
                                             : json_array());
    } else if (rc == SW_INVALID && b.too_many) {
        status = 409;
        snprintf(detail, sizeof(detail), sw_tr(c->lang, "a case holds at most %d tags"),
                 SW_CASE_TAGS_MAX);
        json_object_set_new(res, "problem", bulk_problem(c, 409, "too-many-tags",
                                                         "Too many tags", detail));
    } else if (rc == SW_INVALID && b.m.fail == FAIL_ILLEGAL) {
        status = 409;
        snprintf(detail, sizeof(detail), sw_tr(c->lang, "a case in state %s cannot go to %s"),
                 json_string_value(json_object_get(doc, "state")) ?: "", b.m.to ?: "");
        json_object_set_new(res, "problem", bulk_problem(c, 409, "illegal-transition",
                                                         "Illegal transition", detail));
        json_object_set(json_object_get(res, "problem"), "allowed", b.m.allowed);
    } else if (rc == SW_INVALID && b.m.fail == FAIL_ROLE) {
        status = 403;
        snprintf(detail, sizeof(detail), sw_tr(c->lang, "the role %s may not move a case from "
                                                        "%s to %s"),
                 sw_role_name(c->who.role), b.m.t->from, b.m.to);
        json_object_set_new(res, "problem", bulk_problem(c, 403, "transition-forbidden",
                                                         "Forbidden", detail));
    } else if (rc == SW_INVALID) {
        status = 400;
        json_object_set_new(res, "problem", bulk_problem(c, 400, "validation",
                            "Invalid request", sw_tr(c->lang, b.m.fail == FAIL_REASON
                                                     ? "this transition needs a reason"
                                                     : "this transition needs expert_id")));
    } else if (rc == SW_NOTFOUND) {
        status = 404;
        json_object_set_new(res, "problem", bulk_problem(c, 404, "not-found", "Not found",
                                                         sw_tr(c->lang, "no such case")));
    } else if (rc == SW_TOOBIG) {
        status = 409;
        json_object_set_new(res, "problem", bulk_problem(c, 409, "history-full",
                            "Case history full", sw_tr(c->lang, "this case's history holds "
                                                                "cases.history_max entries")));
    } else {
        status = 503;
        json_object_set_new(res, "problem", bulk_problem(c, 503, "unavailable",
                                                         "Service unavailable",
                                                         sw_tr(c->lang, "the store did not "
                                                                        "answer; try again")));
    }
    json_object_set_new(res, "status", json_integer(status));
out:
    json_decref(b.m.allowed);
    json_decref(b.m.expert);
    json_decref(out);
    json_decref(doc);
    return res;
}

/* POST /cases/bulk: one action on up to 200 cases, each changed on its own (its own
 * transaction; roles checked per case) with a result per case. Idempotency-Key replays the
 * whole answer (the router keeps it). */
void sw_h_cases_bulk(struct sw_ctx *c)
{
    const char *action, *missing = NULL, *why = NULL;
    json_t *in, *results, *v, *r;
    char tagptr[32];
    size_t i, done = 0;

    if (sw_body_object(c, bulk_fields, 0, &in) != SW_OK)
        return;
    action = json_string_value(json_object_get(in, "action"));
    if (strcmp(action, "assign") == 0 && json_object_get(in, "expert_id") == NULL) {
        missing = "/expert_id";
        why = SW_N("assigning needs expert_id");
    } else if ((strcmp(action, "transition") == 0 || strcmp(action, "move") == 0) &&
               json_object_get(in, "to") == NULL) {
        missing = "/to";
        why = SW_N("a move needs the state to go to (to)");
    } else if ((strcmp(action, "tag") == 0 || strcmp(action, "untag") == 0) &&
               json_object_get(in, "tags") == NULL) {
        missing = "/tags";
        why = SW_N("tagging needs tags");
    } else if (json_object_get(in, "outcome") != NULL &&
               strcmp(json_string_value(json_object_get(in, "to")) ?: "", "resolved") != 0) {
        missing = "/outcome";
        why = SW_N("only a resolution records an outcome");
    }
    json_array_foreach(json_object_get(in, "tags"), i, v) {
        if (missing == NULL && !sw_case_tag_valid(json_string_value(v))) {
            snprintf(tagptr, sizeof(tagptr), "/tags/%zu", i);
            missing = tagptr;
            why = SW_N("must be a tag: 1 to 32 bytes without spaces, commas or quotes");
        }
    }
    if (missing != NULL) {
        char ptr[32];

        sw_strlcpy(ptr, missing, sizeof(ptr));
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", ptr, "message",
                                   sw_tr(c->lang, why)), "%s", sw_tr(c->lang, why));
        json_decref(in);
        return;
    }
    results = json_array();
    json_array_foreach(json_object_get(in, "ids"), i, v) {
        r = bulk_one(c, json_integer_value(v), in);
        done += json_integer_value(json_object_get(r, "status")) == 200;
        json_array_append_new(results, r);
    }
    json_decref(in);
    sw_reply_json(c, 200, json_pack("{s:o, s:I, s:I}", "results", results, "done",
                                    (json_int_t)done, "failed",
                                    (json_int_t)(json_array_size(results) - done)));
}

/* The language a forum works in, as an expertise tag names it ("de", "ja"), or NULL. */
static const char *forum_language(const char *country)
{
    static const struct { const char *country, *lang; } langs[] = {
        { "US", "en" }, { "GB", "en" }, { "IE", "en" }, { "AU", "en" }, { "CA", "en" },
        { "DE", "de" }, { "AT", "de" }, { "CH", "de" }, { "FR", "fr" }, { "BE", "fr" },
        { "NL", "nl" }, { "IT", "it" }, { "ES", "es" }, { "MX", "es" }, { "JP", "ja" },
        { "KR", "ko" }, { "CN", "zh" }, { "TW", "zh" }, { "BR", "pt" }, { "PT", "pt" },
        { "EM", "en" }, { "EU", "en" },
    };
    size_t i;

    for (i = 0; country != NULL && i < SW_ARRAY_LEN(langs); i++)
        if (strcmp(langs[i].country, country) == 0)
            return langs[i].lang;
    return NULL;
}

/* The desk's offer: the centre's experts whose tags fit the case (country, IP types), the
 * best fitting and least loaded first. */
void sw_h_cases_experts(struct sw_ctx *c)
{
    long long id, next;
    json_t *doc, *staff, *st, *out, **list = NULL;
    size_t i, n = 0;
    int rc;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    rc = sw_doc_list(c->store, &sw_kind_staff, json_integer_value(json_object_get(doc,
                     "centre_id")), 0, 1000, &staff, &next);
    if (rc != SW_OK) {
        json_decref(doc);
        sw_reply_store(c, rc, "listing experts");
        return;
    }
    list = calloc(json_array_size(staff) + 1, sizeof(*list));
    json_array_foreach(staff, i, st) {
        const json_t *tags = json_object_get(st, "expertise"), *t, *r;
        int country = 0, types = 0, want_types = 0, speaks = 0;
        const char *lang;
        json_t *reasons;
        size_t j, k;
        char path[80];
        long long load;

        if (list == NULL || strcmp(json_string_value(json_object_get(st, "role")) ?: "",
                                   "expert") != 0)
            continue;
        json_array_foreach(tags, j, t)
            if (strcasecmp(json_string_value(t), json_string_value(json_object_get(doc,
                           "country")) ?: "") == 0)
                country = 1;
        json_array_foreach(json_object_get(doc, "rights"), k, r) {
            want_types++;
            json_array_foreach(tags, j, t)
                if (strcasecmp(json_string_value(t), json_string_value(json_object_get(r,
                               "type")) ?: "") == 0) {
                    types++;
                    break;
                }
        }
        lang = forum_language(json_string_value(json_object_get(doc, "country")));
        json_array_foreach(tags, j, t)
            if (lang != NULL && strcasecmp(json_string_value(t), lang) == 0)
                speaks = 1;
        if (sw_case_staff_load(c->store, json_integer_value(json_object_get(st, "id")),
                               &load) != SW_OK)
            load = 0;
        reasons = json_array();
        if (country)
            json_array_append_new(reasons, json_pack("{s:s, s:O, s:i}", "fit", "country",
                                                     "value", json_object_get(doc, "country"),
                                                     "points", 3));
        if (types > 0)
            json_array_append_new(reasons, json_pack("{s:s, s:i, s:i, s:i}", "fit", "ip_types",
                                                     "matched", types, "wanted", want_types,
                                                     "points", 2));
        if (speaks)
            json_array_append_new(reasons, json_pack("{s:s, s:s, s:i}", "fit", "language",
                                                     "value", lang, "points", 1));
        json_array_append_new(reasons, json_pack("{s:s, s:I}", "fit", "load", "open_cases",
                                                 (json_int_t)load));
        snprintf(path, sizeof(path), "/api/v1/cases/%lld/transition", id);
        list[n++] = json_pack("{s:O, s:O, s:O?, s:I, s:{s:b, s:i, s:i, s:b}, s:i, s:o, "
                              "s:{s:s, s:s, s:{s:s, s:O}}}", "id",
                              json_object_get(st, "id"), "name", json_object_get(st, "name"),
                              "expertise", tags, "open_cases", (json_int_t)load,
                              "fit", "country", country, "ip_types", types, "ip_types_wanted",
                              want_types, "language", speaks, "score",
                              country * 3 + (types > 0) * 2 + speaks, "reasons", reasons,
                              "assign", "method", "POST", "path", path, "body", "to",
                              "assigned", "expert_id", json_object_get(st, "id"));
    }
    json_decref(staff);
    json_decref(doc);
    out = json_array();
    /* A few experts per centre: a simple selection sort keeps the order rule plain. */
    for (i = 0; list != NULL && i < n; i++) {
        size_t best = i, j;

        for (j = i + 1; j < n; j++) {
            json_int_t sb = json_integer_value(json_object_get(list[best], "score"));
            json_int_t sj = json_integer_value(json_object_get(list[j], "score"));
            json_int_t lb = json_integer_value(json_object_get(list[best], "open_cases"));
            json_int_t lj = json_integer_value(json_object_get(list[j], "open_cases"));

            if (sj > sb || (sj == sb && lj < lb))
                best = j;
        }
        st = list[best];
        list[best] = list[i];
        list[i] = st;
        json_array_append_new(out, st);
    }
    free(list);
    sw_reply_json(c, 200, json_pack("{s:o, s:O}", "items", out, "offered",
                                    json_array_size(out) > 0 ? json_array_get(out, 0)
                                                             : json_null()));
}

/* --- priority and deadline by hand ------------------------------------------------------- */

struct manual {
    const struct sw_principal *who;
    json_t *in;
    int64_t now, at_ms;
    const char *what;    /* "priority" or "deadline" */
};

static int do_manual(json_t *doc, json_t *hist, void *ud)
{
    struct manual *m = ud;
    const char *reason = json_string_value(json_object_get(m->in, "reason"));
    json_t *before, *after;
    char when[32], at[32];

    if (strcmp(m->what, "priority") == 0) {
        before = json_incref(json_object_get(doc, "priority_override"));
        after = json_is_true(json_object_get(m->in, "clear"))
                    ? json_null()
                    : json_pack("{s:O, s:s, s:{s:s, s:I}, s:s}", "score",
                                json_object_get(m->in, "score"), "reason", reason, "by", "role",
                                sw_role_name(m->who->role), "id", (json_int_t)m->who->subject,
                                "at", sw_iso8601(m->now, when, sizeof(when)));
        json_object_set(doc, "priority_override", after);
    } else {
        const char *country = json_string_value(json_object_get(doc, "country"));
        const json_t *next;
        json_t *e = NULL;

        /* A date alone means the end of that day where the case is heard. */
        if (sw_deadline_when(sw_api_deadlines, country,
                             json_string_value(json_object_get(m->in, "at")), 1,
                             &m->at_ms) != SW_OK)
            return SW_INVALID;
        before = json_incref(json_object_get(doc, "deadline"));
        sw_case_deadlines(doc);
        /* The next open deadline is the one set by hand (its rule stays on record); a case
         * with none gets one. */
        if ((next = sw_case_deadline_next(doc)) != NULL)
            e = sw_case_deadline_find(doc, json_integer_value(json_object_get(next, "id")),
                                      NULL);
        if (e == NULL) {
            e = sw_case_deadline_manual("other", sw_deadline_zone(sw_api_deadlines, country),
                                        m->at_ms, reason, sw_case_deadline_next_id(doc));
            json_array_append_new(json_object_get(doc, "deadlines"), e);
        }
        json_object_set_new(e, "at", json_string(sw_iso8601(m->at_ms, at, sizeof(at))));
        json_object_set_new(e, "at_ms", json_integer(m->at_ms));
        json_object_set_new(e, "manual", json_true());
        json_object_set_new(e, "reason", json_string(reason));
        json_object_del(e, "note");
        json_object_set_new(e, "set_by", json_pack("{s:s, s:I}", "role",
                                                   sw_role_name(m->who->role), "id",
                                                   (json_int_t)m->who->subject));
        sw_case_deadline_sync(doc);
        after = json_incref(json_object_get(doc, "deadline"));
    }
    json_object_set_new(doc, "updated_at", json_string(sw_iso8601(m->now, when, sizeof(when))));
    json_array_append_new(hist, sw_case_entry(m->who, m->now, m->what,
                                              strcmp(m->what, "deadline") == 0,
                                              json_pack("{s:o, s:O, s:s}", "before",
                                                        before ? before : json_null(), "after",
                                                        after, "reason", reason)));
    json_decref(after);
    return SW_OK;
}

static void manual_change(struct sw_ctx *c, struct manual *m)
{
    json_t *doc, *out = NULL;
    long long id;
    int rc;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    json_decref(doc);
    m->who = &c->who;
    m->now = sw_cases_now(c);
    rc = sw_case_update(c->store, id, sw_config_int(c->cfg, "cases.history_max"), do_manual, m,
                        &out);
    if (rc == SW_TOOBIG)
        reply_history_full(c);
    else if (rc != SW_OK)
        sw_reply_store(c, rc, "changing the case");
    else
        sw_reply_json(c, 200, view(c, out));
    json_decref(out);
}

static const struct sw_jfield priority_fields[] = {
    { "score", SW_J_INT, 0, 0, 100, NULL },
    { "clear", SW_J_BOOL, 0, 0, 0, NULL },
    { "reason", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 2000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_cases_priority(struct sw_ctx *c)
{
    struct manual m = { .what = "priority" };

    if (sw_body_object(c, priority_fields, 0, &m.in) != SW_OK)
        return;
    if ((json_object_get(m.in, "score") == NULL) == !json_is_true(json_object_get(m.in,
                                                                                   "clear"))) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/score", "message",
                                   sw_tr(c->lang, "give score (0-100) to override, or clear: "
                                                  "true, not both")),
                         "give score to override the computed priority, or clear: true");
    } else {
        manual_change(c, &m);
    }
    json_decref(m.in);
}

static const struct sw_jfield deadline_fields[] = {
    { "at", SW_J_STRING, SW_JF_REQUIRED, 1, 40, NULL },
    { "reason", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 2000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_cases_deadline(struct sw_ctx *c)
{
    struct manual m = { .what = "deadline" };
    const char *at;

    if (sw_body_object(c, deadline_fields, 0, &m.in) != SW_OK)
        return;
    at = json_string_value(json_object_get(m.in, "at"));
    if (sw_date_ms(at, &m.at_ms) != SW_OK) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/at", "message",
                                   sw_tr(c->lang, "must be a date or date-time (ISO 8601)")),
                         "at is not a date");
    } else {
        manual_change(c, &m);
    }
    json_decref(m.in);
}

/* --- notes and replies -------------------------------------------------------------------- */

static const char *const message_langs[] = { "zh-CN", "en", NULL };

static const struct sw_jfield message_fields[] = {
    { "text", SW_J_STRING, SW_JF_NONEMPTY, 1, 20000, NULL },
    { "internal", SW_J_BOOL, 0, 0, 0, NULL },
    { "template", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "lang", SW_J_STRING, 0, 2, 5, message_langs },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* The values a template's placeholders take for case doc, worded in lang: the exporter's
 * name, "#<id>", the next open deadline as the forum's local date and time with its zone, the
 * rule's text in lang with its source, the other side, the country, the forum, the expert. */
static json_t *template_values(struct sw_ctx *c, const json_t *doc, const char *lang)
{
    const json_t *dl = json_object_get(doc, "deadline"), *rule = json_object_get(dl, "rule");
    json_t *vals = json_object(), *one = json_pack("[O]", doc), *names = NULL;
    char text[600], key[24];

    snprintf(text, sizeof(text), "#%lld", (long long)json_integer_value(json_object_get(doc,
                                                                                      "id")));
    json_object_set_new(vals, "case", json_string(text));
    if (sw_case_exporters(c->store, one, &names) == SW_OK) {
        snprintf(key, sizeof(key), "%lld",
                 (long long)json_integer_value(json_object_get(doc, "subscriber_id")));
        if (json_object_get(names, key) != NULL)
            json_object_set(vals, "exporter", json_object_get(names, key));
    }
    json_decref(names);
    json_decref(one);
    if (json_is_integer(json_object_get(dl, "at_ms"))) {
        const char *zone = json_string_value(json_object_get(dl, "zone")) ?: "UTC";
        struct sw_local l;

        if (sw_zone_local(zone, json_integer_value(json_object_get(dl, "at_ms")), &l) == SW_OK) {
            snprintf(text, sizeof(text), "%04d-%02d-%02d %02d:%02d (%s)", l.year, l.month, l.day,
                     l.hour, l.minute, zone);
            json_object_set_new(vals, "deadline", json_string(text));
        }
    }
    if (json_is_string(json_object_get(rule, "text"))) {
        snprintf(text, sizeof(text), "%s (%s)",
                 sw_tr(lang, json_string_value(json_object_get(rule, "text"))),
                 json_string_value(json_object_get(rule, "source")) ?: "");
        json_object_set_new(vals, "rule", json_string(text));
    }
    json_object_set(vals, "opposing_party", json_object_get(doc, "opposing_party"));
    json_object_set(vals, "country", json_object_get(doc, "country"));
    if (json_is_string(json_object_get(doc, "forum")))
        json_object_set(vals, "forum", json_object_get(doc, "forum"));
    if (json_is_string(json_object_get(json_object_get(doc, "assignee"), "name")))
        json_object_set(vals, "expert", json_object_get(json_object_get(doc, "assignee"),
                                                        "name"));
    return vals;
}

/* The text of template id of doc's centre in lang with doc's values, into out. SW_OK, or
 * answers (404 for no such template of the centre) and returns the code. */
static int render_template(struct sw_ctx *c, const json_t *doc, long long id, const char *lang,
                           struct sw_buf *out)
{
    json_t *tpl = NULL, *vals;
    int rc = sw_template_get(c->store, json_integer_value(json_object_get(doc, "centre_id")), id,
                             &tpl);

    if (rc == SW_NOTFOUND) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/template", "message",
                                   sw_tr(c->lang, "no such template in this case's centre")),
                         "template %lld is not one of this case's centre", id);
        return rc;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading the template");
        return rc;
    }
    vals = template_values(c, doc, lang);
    rc = sw_template_render(json_string_value(json_object_get(json_object_get(tpl, "texts"),
                                                              lang)) ?: "",
                            vals, sw_tr(lang, "(not known yet)"), out);
    json_decref(vals);
    json_decref(tpl);
    if (rc != SW_OK || out->len == 0) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/template", "message",
                                   sw_tr(c->lang, "the rendered text must be 1 to 20000 "
                                                  "bytes")),
                         "the template rendered to more than this server keeps");
        return SW_INVALID;
    }
    return SW_OK;
}

struct message {
    const struct sw_principal *who;
    const char *text;
    int internal;
    int64_t now;
};

static int do_message(json_t *doc, json_t *hist, void *ud)
{
    struct message *m = ud;
    json_t *ck;
    char when[32];

    if (!m->internal && STAFFISH(m->who->role)) {
        /* A reply to the exporter is a response: the first one stops that clock. */
        sw_case_clock_move(doc, m->now);
        ck = json_object_get(doc, "clock");
        if (json_is_null(json_object_get(ck, "first_response_ms")))
            json_object_set(ck, "first_response_ms", json_object_get(ck, "active_ms"));
    }
    json_object_set_new(doc, "updated_at", json_string(sw_iso8601(m->now, when, sizeof(when))));
    json_array_append_new(hist, sw_case_entry(m->who, m->now, m->internal ? "note" : "reply",
                                              !m->internal,
                                              json_pack("{s:s}", "text", m->text)));
    return SW_OK;
}

void sw_h_cases_messages_create(struct sw_ctx *c)
{
    struct message m = { .who = &c->who };
    json_t *doc, *in, *out = NULL, *h;
    struct sw_buf rendered;
    const char *lang;
    long long id;
    int rc;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    sw_buf_init(&rendered, 20000);
    if (sw_body_object(c, message_fields, 0, &in) != SW_OK) {
        json_decref(doc);
        return;
    }
    m.text = json_string_value(json_object_get(in, "text"));
    m.internal = json_is_true(json_object_get(in, "internal"));
    lang = json_string_value(json_object_get(in, "lang")) ?: c->lang;
    if ((m.text == NULL) == (json_object_get(in, "template") == NULL)) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/text", "message",
                                   sw_tr(c->lang, "give text, or a template to render, not "
                                                  "both")),
                         "give text, or a template to render, not both");
        goto out;
    }
    if ((m.internal || json_object_get(in, "template") != NULL) && !STAFFISH(c->who.role)) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", m.internal ? "/internal"
                                                                         : "/template",
                                   "message", sw_tr(c->lang, "internal notes are for centre "
                                                             "staff")),
                         "internal notes and templates are for centre staff");
        goto out;
    }
    if (json_object_get(in, "template") != NULL) {
        if (render_template(c, doc, json_integer_value(json_object_get(in, "template")), lang,
                            &rendered) != SW_OK)
            goto out;
        m.text = rendered.p;
    }
    m.now = sw_cases_now(c);
    rc = sw_case_update(c->store, id, sw_config_int(c->cfg, "cases.history_max"), do_message,
                        &m, &out);
    if (rc == SW_TOOBIG) {
        reply_history_full(c);
    } else if (rc != SW_OK) {
        sw_reply_store(c, rc, "adding the message");
    } else {
        if (!m.internal && STAFFISH(c->who.role))
            sw_case_notice(c, out, "reply", m.text, 0, "medium");
        h = sw_case_entry(&c->who, m.now, m.internal ? "note" : "reply", !m.internal,
                          json_pack("{s:s, s:O}", "text", m.text, "seq",
                                    json_object_get(out, "history_len")));
        if (json_object_get(in, "template") != NULL)
            json_object_set_new(h, "template", json_pack("{s:O, s:s}", "id",
                                                         json_object_get(in, "template"),
                                                         "lang", lang));
        sw_reply_json(c, 201, h);
    }
out:
    sw_buf_free(&rendered);
    json_decref(out);
    json_decref(in);
    json_decref(doc);
}

/* The history as the caller may see it; only_messages keeps notes and replies. */
static void history_reply(struct sw_ctx *c, int only_messages)
{
    long long id, after;
    json_t *doc, *hist, *items, *e;
    int limit, rc;
    size_t i;
    long long next = 0;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    json_decref(doc);
    if (sw_page_args(c, &after, &limit) != SW_OK)
        return;
    rc = sw_case_history(c->store, id, &hist);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading the history");
        return;
    }
    items = json_array();
    json_array_foreach(hist, i, e) {
        const char *action = json_string_value(json_object_get(e, "action")) ?: "";

        if (json_integer_value(json_object_get(e, "seq")) <= after)
            continue;
        if (c->who.role == SW_ROLE_EXPORTER && !json_is_true(json_object_get(e, "visible")))
            continue;
        if (only_messages && strcmp(action, "note") != 0 && strcmp(action, "reply") != 0)
            continue;
        if (json_array_size(items) == (size_t)limit) {
            next = json_integer_value(json_object_get(json_array_get(items, (size_t)limit - 1),
                                                      "seq"));
            break;
        }
        json_array_append(items, e);
    }
    json_decref(hist);
    sw_reply_json(c, 200, sw_page_json(items, next));
}

void sw_h_cases_history(struct sw_ctx *c)
{
    history_reply(c, 0);
}

void sw_h_cases_messages_list(struct sw_ctx *c)
{
    history_reply(c, 1);
}

/* --- statistics ------------------------------------------------------------------------- */

/* The targets of one centre for sw_case_stats, read once per centre. */
struct targets_cache {
    struct sw_ctx *c;
    json_t *seen;   /* {"<centre>": [first_h, resolve_h]} */
};

static void stats_targets(void *ud, long long centre, long long *first_h, long long *resolve_h)
{
    struct targets_cache *t = ud;
    char key[24];
    json_t *v;

    snprintf(key, sizeof(key), "%lld", centre);
    v = json_object_get(t->seen, key);
    if (v == NULL) {
        targets(t->c, centre, first_h, resolve_h);
        json_object_set_new(t->seen, key, json_pack("[I, I]", (json_int_t)*first_h,
                                                    (json_int_t)*resolve_h));
        return;
    }
    *first_h = json_integer_value(json_array_get(v, 0));
    *resolve_h = json_integer_value(json_array_get(v, 1));
}

/* One table of the statistics as CSV: a UTF-8 BOM (so Excel reads Chinese as it is), the
 * header — the columns' names, or their labels in the request's language when that is not
 * English — and a row per line, CRLF, every cell quoted and formula-guarded. */
static void stats_csv(struct sw_ctx *c, const json_t *stats, const char *table)
{
    const struct sw_stats_col *cols;
    json_t *rows = sw_case_stats_table(stats, table, &cols), *row;
    struct sw_buf *b = &c->resp->body;
    int en = strcmp(c->lang, SW_LANG_ZH_CN) != 0, rc;
    char name[64];
    size_t i, k;

    sw_buf_reset(b);
    rc = sw_buf_add(b, "\xEF\xBB\xBF", 3);
    for (k = 0; rc == SW_OK && cols[k].name != NULL; k++)
        rc = sw_csv_cell(b, en ? cols[k].name : sw_tr(c->lang, cols[k].label), k == 0);
    if (rc == SW_OK)
        rc = sw_buf_adds(b, "\r\n");
    json_array_foreach(rows, i, row) {
        for (k = 0; rc == SW_OK && k < json_array_size(row); k++)
            rc = sw_csv_cell(b, json_string_value(json_array_get(row, k)) ?: "", k == 0);
        if (rc == SW_OK)
            rc = sw_buf_adds(b, "\r\n");
    }
    json_decref(rows);
    if (rc != SW_OK) {
        sw_buf_reset(b);
        sw_reply_problem(c, 413, "export-too-large", "Export too large", NULL,
                         "the %s table is larger than this server answers; choose a shorter "
                         "period with from and until", table);
        return;
    }
    c->resp->status = 200;
    c->resp->ctype = "text/csv; charset=utf-8";
    sw_reply_lang(c);
    snprintf(name, sizeof(name), "cases-%s.csv", table);
    sw_reply_attachment(c, name);
}

/* GET /cases/stats: the centre's statistics (seawall/casestats.h says which cases count
 * where) as JSON, or one table as CSV (?format=csv&table=…, the cases by default). Staff see
 * their own centre; an admin names one (?centre=) or sees every centre's. */
void sw_h_cases_stats(struct sw_ctx *c)
{
    const char *fmt = sw_query(c, "format"), *from = sw_query(c, "from"),
               *until = sw_query(c, "until"), *table = sw_query(c, "table");
    long long centre = c->who.centre, next, max = sw_config_int(c->cfg, "cases.stats_max");
    struct sw_case_stats_in in;
    struct targets_cache tc = { c, NULL };
    struct sw_verrs errs;
    const struct sw_stats_col *cols;
    int64_t from_ms = 0, until_ms = INT64_MAX;
    int all = 0, csv = fmt != NULL && strcmp(fmt, "csv") == 0, rc, truncated = 0;
    json_t *docs = NULL, *experts = NULL, *stats, *probe;
    size_t i;

    sw_verrs_init(&errs);
    if (from != NULL && sw_date_ms(from, &from_ms) != SW_OK)
        sw_verrs_add(&errs, "from", "must be a date or date-time (ISO 8601)");
    if (until != NULL && sw_date_ms(until, &until_ms) != SW_OK)
        sw_verrs_add(&errs, "until", "must be a date or date-time (ISO 8601)");
    else if (from != NULL && until != NULL && until_ms <= from_ms)
        sw_verrs_add(&errs, "until", "must be later than from");
    if (fmt != NULL && strcmp(fmt, "json") != 0 && !csv)
        sw_verrs_add(&errs, "format", "must be json or csv");
    if (table != NULL) {
        json_t *none = json_object();

        probe = sw_case_stats_table(none, table, &cols);
        if (probe == NULL)
            sw_verrs_add(&errs, "table", "must be one of: %s", sw_case_stats_tables);
        else if (!csv)
            sw_verrs_add(&errs, "table", "names a CSV table: give format=csv too");
        json_decref(probe);
        json_decref(none);
    }
    if (sw_query(c, "centre") != NULL &&
        sw_parse_ll(sw_query(c, "centre"), 1, INT64_MAX, &centre) != SW_OK)
        sw_verrs_add(&errs, "centre", "must be a centre id");
    if (sw_reply_params_invalid(c, &errs) != SW_OK)
        return;
    if (c->who.role == SW_ROLE_ADMIN) {
        all = sw_query(c, "centre") == NULL;
    } else if (centre != c->who.centre) {
        sw_reply_not_found(c);   /* another centre's figures are not staff's to see */
        return;
    }
    rc = sw_case_docs_of_centre(c->store, all ? 0 : centre, max, &docs, &truncated);
    if (rc == SW_OK && !all)
        rc = sw_doc_list(c->store, &sw_kind_staff, centre, 0, 1000, &experts, &next) == SW_OK
                 ? SW_OK : SW_EAGAIN;
    if (rc != SW_OK) {
        json_decref(docs);
        sw_reply_store(c, rc, "reading cases");
        return;
    }
    /* Only the experts among the centre's staff. */
    for (i = json_array_size(experts); i-- > 0;)
        if (strcmp(json_string_value(json_object_get(json_array_get(experts, i), "role")) ?: "",
                   "expert") != 0)
            json_array_remove(experts, i);
    tc.seen = json_object();
    memset(&in, 0, sizeof(in));
    in.docs = docs;
    in.experts = experts;
    in.from_ms = from_ms;
    in.until_ms = until_ms;
    in.now_ms = sw_cases_now(c);
    in.near_pct = (int)sw_config_int(c->cfg, "cases.near_breach_pct");
    in.targets = stats_targets;
    in.ud = &tc;
    stats = sw_case_stats(&in);
    json_decref(tc.seen);
    json_decref(docs);
    json_decref(experts);
    if (stats == NULL) {
        sw_reply_store(c, SW_ERR, "counting cases");
        return;
    }
    if (csv) {
        stats_csv(c, stats, table != NULL ? table : "cases");
        json_decref(stats);
        return;
    }
    json_object_del(stats, "case_rows");
    json_object_set_new(stats, "centre", all ? json_null() : json_integer(centre));
    json_object_set_new(stats, "from", from ? json_string(from) : json_null());
    json_object_set_new(stats, "until", until ? json_string(until) : json_null());
    json_object_set_new(stats, "truncated", json_boolean(truncated));
    sw_reply_json(c, 200, stats);
}

void sw_h_deadline_rules(struct sw_ctx *c)
{
    if (sw_api_deadlines == NULL) {
        sw_reply_problem(c, 503, "no-deadline-rules", "Deadline rules not loaded", NULL,
                         "seawall-api started without its deadline rules");
        return;
    }
    sw_reply_json(c, 200, json_deep_copy(sw_deadlines_doc(sw_api_deadlines)));
}
