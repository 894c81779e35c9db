/* cases.c — assistance cases over HTTP: intake, the triage queue, transitions with notices,
 * priority overrides, deadlines, expert offers, notes and replies, history, statistics.
 * Evidence files are in evidence.c. Who sees a case: its exporter, the triagers of its
 * centre, the expert it is assigned to, admins; anyone else gets 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
#include "seawall/alerts.h"
#include "seawall/cases.h"
#include "seawall/casestats.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/deadlines.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/message.h"
#include "seawall/store.h"
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
    return v;
}

static json_t *view(struct sw_ctx *c, const json_t *doc)
{
    long long first_h, resolve_h;

    targets(c, json_integer_value(json_object_get(doc, "centre_id")), &first_h, &resolve_h);
    return view_with(c, doc, sw_cases_now(c), first_h, resolve_h);
}

/* The deadline its rule gives doc (which has type, country, proceeding, served_at). */
static json_t *rule_deadline(const json_t *doc)
{
    const char *country = json_string_value(json_object_get(doc, "country"));
    const char *served = json_string_value(json_object_get(doc, "served_at"));
    const json_t *rule = sw_deadline_rule(sw_api_deadlines,
                                          json_string_value(json_object_get(doc, "type")),
                                          country,
                                          json_string_value(json_object_get(doc, "proceeding")));
    json_t *d;
    int64_t from, due;
    char when[32];

    if (rule == NULL)
        return json_null();
    d = json_pack("{s:{s:O, s:O, s:O, s:O}, s:b}", "rule", "id", json_object_get(rule, "id"),
                  "text", json_object_get(rule, "text"), "source",
                  json_object_get(rule, "source"), "from", json_object_get(rule, "from"),
                  "manual", 0);
    if (served == NULL || sw_deadline_when(sw_api_deadlines, country, served, 0, &from) != SW_OK) {
        json_object_set_new(d, "at", json_null());
        json_object_set_new(d, "note", json_string(SW_N("give served_at to compute the deadline")));
        return d;
    }
    due = sw_deadline_due(sw_api_deadlines, rule, country, from);
    json_object_set_new(d, "at", json_string(sw_iso8601(due, when, sizeof(when))));
    json_object_set_new(d, "at_ms", json_integer(due));
    return d;
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
    redisReply *r;
    int rc;

    if (json_is_integer(json_object_get(in, "centre_id"))) {
        *centre = json_integer_value(json_object_get(in, "centre_id"));
        rc = sw_doc_get(c->store, &sw_kind_centre, *centre, &doc);
        json_decref(doc);
        if (rc == SW_NOTFOUND)
            sw_verrs_add(errs, "/centre_id", "no such assistance centre");
        return rc == SW_NOTFOUND ? SW_OK : rc;
    }
    r = sw_store_cmd(c->store, "ZRANGE", sw_kind_centre.index_key, "0", "0", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *centre = r->type == REDIS_REPLY_ARRAY && r->elements == 1
                  ? strtoll(r->element[0]->str, NULL, 10) : 0;
    freeReplyObject(r);
    return *centre > 0 ? SW_OK : SW_NOTFOUND;
}

/* Linked alerts must be the exporter's own. */
static int check_alert_links(struct sw_ctx *c, const json_t *in, struct sw_verrs *errs)
{
    const json_t *v;
    size_t i;

    json_array_foreach(json_object_get(in, "alerts"), i, v) {
        char key[96], ptr[32];
        redisReply *r;

        if (!sw_alert_id_valid(json_string_value(v)))
            continue;
        snprintf(key, sizeof(key), "sw:{sub:%lld}:alert:%s", c->who.subject,
                 json_string_value(v));
        r = sw_store_cmd(c->store, "EXISTS", key, NULL);
        if (r == NULL)
            return SW_EAGAIN;
        if (sw_reply_int(r, 0) == 0) {
            snprintf(ptr, sizeof(ptr), "/alerts/%zu", i);
            sw_verrs_add(errs, ptr, "no such alert in your inbox");
        }
        freeReplyObject(r);
    }
    return SW_OK;
}

void sw_h_cases_create(struct sw_ctx *c)
{
    struct sw_verrs errs;
    char when[32], loc[64];
    json_t *in = NULL, *shape, *doc, *entry;
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
    json_object_set_new(doc, "deadline", rule_deadline(doc));
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

void sw_h_cases_get(struct sw_ctx *c)
{
    long long id;
    json_t *doc;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    sw_reply_json(c, 200, view(c, doc));
    json_decref(doc);
}

/* 1 when there is no filter list, or v is in it. */
static int listed(const char *list, const char *v)
{
    return list == NULL || (v != NULL && sw_in_list(list, v));
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
    char key[64];
    long long after, next, last_centre = 0, first_h = 0, resolve_h = 0;
    json_t *ids, *docs, *items, *d;
    int limit, rc;
    size_t i;
    int64_t now;

    if (sw_page_args(c, &after, &limit) != SW_OK || filters_ok(c) != SW_OK)
        return;
    switch (c->who.role) {
    case SW_ROLE_EXPORTER:
        snprintf(key, sizeof(key), "sw:{sub:%lld}:cases", c->who.subject);
        break;
    case SW_ROLE_TRIAGER:
        snprintf(key, sizeof(key), "sw:{centre:%lld}:cases", c->who.centre);
        break;
    case SW_ROLE_EXPERT:
        snprintf(key, sizeof(key), "sw:staff:%lld:cases", c->who.subject);
        break;
    default:
        snprintf(key, sizeof(key), "sw:idx:cases");
    }
    rc = sw_case_ids(c->store, key, after, limit, 0, &ids, &next);
    if (rc == SW_OK) {
        rc = sw_case_load(c->store, ids, &docs);
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

/* Every case in sorted set key (up to max) with the time and the centre's targets to view
 * them by. Answers and returns the code on failure. */
static int load_set(struct sw_ctx *c, const char *key, long long max, json_t **docs,
                    long long *next, int64_t *now, long long centre, long long *first_h,
                    long long *resolve_h)
{
    json_t *ids;
    int rc = sw_case_ids(c->store, key, 0, 0, max, &ids, next);

    if (rc == SW_OK) {
        rc = sw_case_load(c->store, ids, docs);
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

static int by_priority(const void *a, const void *b)
{
    const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
    json_int_t px = json_integer_value(json_object_get(json_object_get(x, "priority"), "score"));
    json_int_t py = json_integer_value(json_object_get(json_object_get(y, "priority"), "score"));
    const json_t *dx = json_object_get(json_object_get(x, "deadline"), "at_ms");
    const json_t *dy = json_object_get(json_object_get(y, "deadline"), "at_ms");

    if (px != py)
        return px > py ? -1 : 1;
    if (json_is_integer(dx) != json_is_integer(dy))
        return json_is_integer(dx) ? -1 : 1;
    if (json_is_integer(dx) && json_integer_value(dx) != json_integer_value(dy))
        return json_integer_value(dx) < json_integer_value(dy) ? -1 : 1;
    return json_integer_value(json_object_get(x, "id")) <
           json_integer_value(json_object_get(y, "id")) ? -1 : 1;
}

void sw_h_cases_queue(struct sw_ctx *c)
{
    long long centre = c->who.centre, next, first_h, resolve_h;
    long long max = sw_config_int(c->cfg, "cases.queue_max");
    char key[64];
    json_t *docs, *d, **views, *items;
    size_t i, n = 0, total;
    int limit;
    int64_t now;

    if (sw_page_limit(c, &limit) != SW_OK || filters_ok(c) != SW_OK)
        return;
    if (c->who.role == SW_ROLE_ADMIN) {
        if (sw_query(c, "centre") == NULL) {
            sw_reply_problem(c, 400, "validation", "Invalid request",
                             json_pack("[{s:s, s:s}]", "parameter", "centre", "message",
                                       sw_tr(c->lang, "an admin names the centre whose queue "
                                                      "to show")),
                             "query parameter centre is required for an admin");
            return;
        }
        centre = strtoll(sw_query(c, "centre"), NULL, 10);
    }
    snprintf(key, sizeof(key), "sw:{centre:%lld}:open", centre);
    if (load_set(c, key, max, &docs, &next, &now, centre, &first_h, &resolve_h) != SW_OK)
        return;
    total = json_array_size(docs);
    views = calloc(json_array_size(docs) + 1, sizeof(*views));
    json_array_foreach(docs, i, d) {
        json_t *v;

        if (views == NULL || !sw_case_visible(c, d))
            continue;
        v = view_with(c, d, now, first_h, resolve_h);
        if (v != NULL && matches(c, d, v, now))
            views[n++] = v;
        else
            json_decref(v);
    }
    json_decref(docs);
    if (views == NULL) {
        sw_reply_store(c, SW_ERR, "ranking the queue");
        return;
    }
    qsort(views, n, sizeof(*views), by_priority);
    items = json_array();
    for (i = 0; i < n; i++) {
        if (i < (size_t)limit)
            json_array_append_new(items, views[i]);
        else
            json_decref(views[i]);
    }
    free(views);
    sw_reply_json(c, 200, json_pack("{s:o, s:I, s:I, s:b}", "items", items, "matched",
                                    (json_int_t)n, "ranked", (json_int_t)total, "truncated",
                                    next != 0 || (long long)total >= max));
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
        int country = 0, types = 0, want_types = 0;
        size_t j, k;
        char key[64];
        redisReply *rr;

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
        snprintf(key, sizeof(key), "sw:staff:%lld:open",
                 (long long)json_integer_value(json_object_get(st, "id")));
        rr = sw_store_cmd(c->store, "ZCARD", key, NULL);
        list[n++] = json_pack("{s:O, s:O, s:O?, s:I, s:{s:b, s:i, s:i}, s:i}", "id",
                              json_object_get(st, "id"), "name", json_object_get(st, "name"),
                              "expertise", tags, "open_cases", (json_int_t)sw_reply_int(rr, 0),
                              "fit", "country", country, "ip_types", types, "ip_types_wanted",
                              want_types, "score", country * 2 + (types > 0));
        if (rr != NULL)
            freeReplyObject(rr);
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
        json_t *old = json_object_get(doc, "deadline");

        /* A date alone means the end of that day where the case is heard. */
        if (sw_deadline_when(sw_api_deadlines,
                             json_string_value(json_object_get(doc, "country")),
                             json_string_value(json_object_get(m->in, "at")), 1,
                             &m->at_ms) != SW_OK)
            return SW_INVALID;
        before = json_incref(old);
        after = json_pack("{s:s, s:I, s:O?, s:b, s:s, s:{s:s, s:I}}", "at",
                          sw_iso8601(m->at_ms, at, sizeof(at)), "at_ms", (json_int_t)m->at_ms,
                          "rule", json_object_get(old, "rule"), "manual", 1, "reason", reason,
                          "set_by", "role", sw_role_name(m->who->role), "id",
                          (json_int_t)m->who->subject);
        json_object_set(doc, "deadline", after);
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

static const struct sw_jfield message_fields[] = {
    { "text", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 20000, NULL },
    { "internal", SW_J_BOOL, 0, 0, 0, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

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
    long long id;
    int rc;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    json_decref(doc);
    if (sw_body_object(c, message_fields, 0, &in) != SW_OK)
        return;
    m.text = json_string_value(json_object_get(in, "text"));
    m.internal = json_is_true(json_object_get(in, "internal"));
    if (m.internal && !STAFFISH(c->who.role)) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/internal", "message",
                                   sw_tr(c->lang, "internal notes are for centre staff")),
                         "internal notes are for centre staff");
        json_decref(in);
        return;
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
        sw_reply_json(c, 201, h);
    }
    json_decref(out);
    json_decref(in);
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
