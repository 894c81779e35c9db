/* cases.c — assistance cases: intake checks, the state machine, service-level clocks, triage
 * priority, and the store with its append-only history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
#include "seawall/alerts.h"
#include "seawall/buf.h"
#include "seawall/cases.h"
#include "seawall/date.h"
#include "seawall/i18n.h"
#include "seawall/keys.h"
#include "seawall/normalise.h"
#include "seawall/record.h"
#include "seawall/store.h"

const char *const sw_case_types[] = { "lawsuit", "trade_investigation", "schedule_a",
                                      "cease_and_desist", "customs_seizure", "show_complaint",
                                      "opposition", "bad_faith_filing", "other", NULL };
const char *const sw_case_states[] = { "submitted", "needs_info", "accepted", "rejected",
                                       "assigned", "in_progress", "waiting_on_exporter",
                                       "resolved", "closed", NULL };
static const char *const own_roles[] = { "defendant", "respondent", "exhibitor", "plaintiff",
                                         "complainant", "rights_holder", "applicant",
                                         "opponent", "other", NULL };
static const char *const right_types[] = { "trademark", "patent", "design", "copyright",
                                           "trade_secret", "domain", "other", NULL };

const struct sw_jfield sw_case_fields[] = {
    { "type", SW_J_STRING, SW_JF_REQUIRED, 1, 32, sw_case_types },
    { "country", SW_J_STRING, SW_JF_REQUIRED, 2, 2, NULL },
    { "forum", SW_J_STRING, 0, 0, 200, NULL },
    { "proceeding", SW_J_STRING, 0, 0, 40, NULL },
    { "opposing_party", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "own_role", SW_J_STRING, SW_JF_REQUIRED, 1, 32, own_roles },
    { "products", SW_J_STRINGS, 0, 0, 50, NULL },
    { "amount_usd", SW_J_INT, 0, 0, 10000000000000LL, NULL },
    { "served_at", SW_J_STRING, 0, 1, 40, NULL },
    { "description", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 20000, NULL },
    { "alerts", SW_J_STRINGS, 0, 0, 50, NULL },
    { "incidents", SW_J_STRINGS, 0, 0, 50, NULL },
    { "centre_id", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static int in_list(const char *const *list, const char *v)
{
    for (; v != NULL && *list != NULL; list++)
        if (strcmp(*list, v) == 0)
            return 1;
    return 0;
}

/* A problem at pointer "<prefix>/<list>/<i>[/<member>]"; msg is an English msgid (SW_N),
 * worded in the thread's language. */
static void item_err(struct sw_verrs *errs, const char *prefix, const char *list, size_t i,
                     const char *member, const char *msg)
{
    char ptr[200];

    snprintf(ptr, sizeof(ptr), "%.100s/%s/%zu%s%.40s", prefix, list, i, member ? "/" : "",
             member ? member : "");
    /* TRANSLATORS: a message worded in the reader's language already; keep it as it is. */
    sw_verrs_add(errs, ptr, "%s", sw_t(msg));
}

void sw_rights_check(const json_t *rights, const char *prefix, struct sw_verrs *errs)
{
    char ptr[128];

    const json_t *r;
    const char *k;
    json_t *v;
    size_t i;

    if (rights == NULL)
        return;
    if (!json_is_array(rights) || json_array_size(rights) > 50) {
        snprintf(ptr, sizeof(ptr), "%.100s/rights", prefix);
        sw_verrs_add(errs, ptr, "must be a list of at most 50 {type, number, country}");
        return;
    }
    json_array_foreach(rights, i, r) {
        if (!json_is_object(r)) {
            item_err(errs, prefix, "rights", i, NULL,
                     SW_N("must be an object {type, number, country}"));
            continue;
        }
        if (!in_list(right_types, json_string_value(json_object_get(r, "type"))))
            item_err(errs, prefix, "rights", i, "type",
                     SW_N("must be one of trademark, patent, design, copyright, trade_secret, "
                          "domain, other"));
        json_object_foreach((json_t *)r, k, v) {
            if (strcmp(k, "type") == 0)
                continue;
            if (strcmp(k, "number") == 0) {
                if (!json_is_string(v) || json_string_length(v) < 1 || json_string_length(v) > 100)
                    item_err(errs, prefix, "rights", i, "number",
                             SW_N("must be text of 1 to 100 bytes"));
            } else if (strcmp(k, "country") == 0) {
                if (!json_is_string(v) || !(sw_country_valid(json_string_value(v)) ||
                                            strcmp(json_string_value(v), "EM") == 0 ||
                                            strcmp(json_string_value(v), "WO") == 0 ||
                                            strcmp(json_string_value(v), "EP") == 0))
                    item_err(errs, prefix, "rights", i, "country",
                             SW_N("must be an ISO 3166 code, EM, WO or EP"));
            } else {
                item_err(errs, prefix, "rights", i, k, SW_N("unknown member"));
            }
        }
    }
}

void sw_case_check(const json_t *in, struct sw_verrs *errs)
{
    const char *country = json_string_value(json_object_get(in, "country"));
    const char *served = json_string_value(json_object_get(in, "served_at"));
    const char *proc = json_string_value(json_object_get(in, "proceeding"));
    const json_t *v;
    int64_t ms;
    size_t i;

    if (country != NULL && !sw_country_valid(country) && strcmp(country, "EM") != 0 &&
        strcmp(country, "EU") != 0)
        sw_verrs_add(errs, "/country", "must be an ISO 3166 alpha-2 code (or EM/EU for the "
                     "European Union)");
    if (served != NULL && sw_date_ms(served, &ms) != SW_OK)
        sw_verrs_add(errs, "/served_at", "must be a date or date-time (ISO 8601)");
    if (proc != NULL) {
        for (i = 0; proc[i] != '\0'; i++)
            if (!((proc[i] >= 'a' && proc[i] <= 'z') || proc[i] == '_'))
                break;
        if (proc[i] != '\0')
            sw_verrs_add(errs, "/proceeding", "must be a word of a-z and _ such as complaint, "
                         "tro, preliminary_injunction");
    }
    json_array_foreach(json_object_get(in, "alerts"), i, v)
        if (json_is_string(v) && !sw_alert_id_valid(json_string_value(v)))
            item_err(errs, "", "alerts", i, NULL, SW_N("is not an alert id"));
    sw_rights_check(json_object_get(in, "rights"), "", errs);
}

/* --- the state machine ------------------------------------------------------------------ */

#define EXP SW_ROLE_EXPORTER
#define TRI SW_ROLE_TRIAGER
#define XPT SW_ROLE_EXPERT

/* TRANSLATORS: the notices are what an exporter is told about their case, after "Your case
   #12: " (accepted, rejected, more material is needed ...). */
const struct sw_case_transition sw_case_transitions[] = {
    { "submitted", "needs_info", TRI, SW_CT_REASON, SW_N("more material is needed") },
    { "needs_info", "submitted", EXP | TRI, 0, NULL },
    { "submitted", "accepted", TRI, 0, SW_N("accepted") },
    { "submitted", "rejected", TRI, SW_CT_REASON, SW_N("rejected") },
    { "accepted", "assigned", TRI, SW_CT_EXPERT, SW_N("assigned to an expert") },
    { "assigned", "assigned", TRI, SW_CT_EXPERT, SW_N("assigned to another expert") },
    { "assigned", "in_progress", XPT | TRI, 0, NULL },
    { "in_progress", "waiting_on_exporter", XPT | TRI, SW_CT_REASON,
      SW_N("more material is needed") },
    { "waiting_on_exporter", "in_progress", EXP | XPT | TRI, 0, NULL },
    { "in_progress", "resolved", XPT | TRI, SW_CT_REASON, SW_N("resolved") },
    { "resolved", "closed", EXP | TRI, 0, NULL },
};
const size_t sw_case_ntransitions = SW_ARRAY_LEN(sw_case_transitions);

const struct sw_case_transition *sw_case_transition_find(const char *from, const char *to)
{
    size_t i;

    for (i = 0; i < sw_case_ntransitions; i++)
        if (strcmp(sw_case_transitions[i].from, from) == 0 &&
            strcmp(sw_case_transitions[i].to, to) == 0)
            return &sw_case_transitions[i];
    return NULL;
}

json_t *sw_case_next_states(const char *from, enum sw_role role)
{
    json_t *out = json_array();
    size_t i;

    for (i = 0; i < sw_case_ntransitions; i++)
        if (strcmp(sw_case_transitions[i].from, from) == 0 &&
            (role == SW_ROLE_ADMIN || (sw_case_transitions[i].roles & (unsigned)role)))
            json_array_append_new(out, json_string(sw_case_transitions[i].to));
    return out;
}

/* --- clocks ------------------------------------------------------------------------------ */

int sw_case_clock_mode(const char *state)
{
    if (strcmp(state, "needs_info") == 0 || strcmp(state, "waiting_on_exporter") == 0)
        return 1;
    if (strcmp(state, "resolved") == 0 || strcmp(state, "closed") == 0 ||
        strcmp(state, "rejected") == 0)
        return 2;
    return 0;
}

static json_t *clock_of(json_t *doc)
{
    json_t *ck = json_object_get(doc, "clock");

    if (!json_is_object(ck)) {
        ck = json_pack("{s:I, s:n, s:n, s:n}", "active_ms", (json_int_t)0, "running_since",
                       "first_response_ms", "resolution_ms");
        json_object_set_new(doc, "clock", ck);
    }
    return ck;
}

void sw_case_clock_move(json_t *doc, int64_t now_ms)
{
    json_t *ck = clock_of(doc);
    json_t *since = json_object_get(ck, "running_since");
    json_int_t active = json_integer_value(json_object_get(ck, "active_ms"));

    if (json_is_integer(since) && now_ms > json_integer_value(since))
        active += now_ms - json_integer_value(since);
    json_object_set_new(ck, "active_ms", json_integer(active));
    if (sw_case_clock_mode(json_string_value(json_object_get(doc, "state")) ?: "closed") == 0)
        json_object_set_new(ck, "running_since", json_integer(now_ms));
    else
        json_object_set_new(ck, "running_since", json_null());
}

void sw_case_set_state(json_t *doc, const char *state, int staff, int64_t now_ms)
{
    char when[32];
    json_t *ck;

    sw_case_clock_move(doc, now_ms);
    json_object_set_new(doc, "state", json_string(state));
    sw_case_clock_move(doc, now_ms);
    ck = clock_of(doc);
    if (staff && json_is_null(json_object_get(ck, "first_response_ms")))
        json_object_set(ck, "first_response_ms", json_object_get(ck, "active_ms"));
    sw_iso8601(now_ms, when, sizeof(when));
    if (strcmp(state, "resolved") == 0) {
        json_object_set(ck, "resolution_ms", json_object_get(ck, "active_ms"));
        json_object_set_new(doc, "resolved_at", json_string(when));
    }
    json_object_set_new(doc, "state_since", json_string(when));
}

int64_t sw_case_active_ms(const json_t *doc, int64_t now_ms)
{
    const json_t *ck = json_object_get(doc, "clock");
    const json_t *since = json_object_get(ck, "running_since");
    int64_t active = json_integer_value(json_object_get(ck, "active_ms"));

    if (json_is_integer(since) && now_ms > json_integer_value(since))
        active += now_ms - json_integer_value(since);
    return active;
}

/* --- priority --------------------------------------------------------------------------- */

static int type_weight(const char *type)
{
    static const struct { const char *type; int w; } weights[] = {
        { "trade_investigation", 20 }, { "schedule_a", 20 }, { "show_complaint", 20 },
        { "customs_seizure", 15 },     { "lawsuit", 15 },    { "cease_and_desist", 8 },
        { "opposition", 8 },           { "bad_faith_filing", 5 },
    };
    size_t i;

    for (i = 0; type != NULL && i < SW_ARRAY_LEN(weights); i++)
        if (strcmp(weights[i].type, type) == 0)
            return weights[i].w;
    return 3;
}

/* The score's parts, each {factor, points, value}, into reasons (may be NULL). */
static int priority_parts(const json_t *doc, int64_t now_ms, json_t *reasons)
{
    const json_t *due = json_object_get(json_object_get(doc, "deadline"), "at_ms");
    const char *type = json_string_value(json_object_get(doc, "type"));
    json_int_t amount = json_integer_value(json_object_get(doc, "amount_usd"));
    int p = 5, t, a;
    const char *when = "none";

    if (json_is_integer(due)) {
        int64_t h = (json_integer_value(due) - now_ms) / 3600000;

        p = json_integer_value(due) < now_ms ? 60 : h < 24 ? 55 : h < 72 ? 45 : h < 168 ? 35
            : h < 720 ? 20 : 10;
        when = json_integer_value(due) < now_ms ? "overdue" : h < 24 ? "under_24h"
               : h < 72 ? "under_72h" : h < 168 ? "under_a_week" : h < 720 ? "under_30_days"
               : "later";
    }
    t = type_weight(type);
    a = amount >= 10000000 ? 20 : amount >= 1000000 ? 14 : amount >= 100000 ? 8
        : amount >= 10000 ? 4 : 0;
    if (reasons != NULL) {
        json_array_append_new(reasons, json_pack("{s:s, s:i, s:s}", "factor", "deadline",
                                                 "points", p, "value", when));
        json_array_append_new(reasons, json_pack("{s:s, s:i, s:s}", "factor", "type",
                                                 "points", t, "value", type ? type : ""));
        json_array_append_new(reasons, json_pack("{s:s, s:i, s:I}", "factor", "stakes",
                                                 "points", a, "value", amount));
    }
    return p + t + a > 100 ? 100 : p + t + a;
}

int sw_case_priority(const json_t *doc, int64_t now_ms, int *computed)
{
    const json_t *ov = json_object_get(json_object_get(doc, "priority_override"), "score");
    int p = priority_parts(doc, now_ms, NULL);

    if (computed != NULL)
        *computed = p;
    return json_is_integer(ov) ? (int)json_integer_value(ov) : p;
}

/* One service-level clock against its target. */
static json_t *sla_clock(const json_t *recorded, int64_t running, int stopped, long long target_h,
                         int near_pct, int64_t now_ms, int paused)
{
    int64_t target = target_h * 3600000LL;
    int64_t elapsed = json_is_integer(recorded) ? json_integer_value(recorded) : running;
    const char *status;
    char when[32];
    json_t *o;

    if (json_is_integer(recorded))
        status = elapsed <= target ? "met" : "breached";
    else if (stopped)
        status = "stopped";
    else if (elapsed > target)
        status = "breached";
    else if (elapsed * 100 >= target * near_pct)
        status = "near_breach";
    else
        status = "ok";
    o = json_pack("{s:I, s:I, s:s, s:b}", "target_s", (json_int_t)(target / 1000), "elapsed_s",
                  (json_int_t)(elapsed / 1000), "status", status, "paused",
                  paused && !json_is_integer(recorded) && !stopped);
    if (!json_is_integer(recorded) && !stopped && !paused && elapsed <= target)
        json_object_set_new(o, "due_at", json_string(sw_iso8601(now_ms + (target - elapsed),
                                                                when, sizeof(when))));
    return o;
}

json_t *sw_case_view(const json_t *doc, int64_t now_ms, long long first_h, long long resolve_h,
                     int near_pct)
{
    json_t *v = json_deep_copy(doc), *dl = json_object_get(v, "deadline"), *ck, *e;
    size_t i;
    const char *state = json_string_value(json_object_get(doc, "state")) ?: "closed";
    int64_t active = sw_case_active_ms(doc, now_ms);
    int mode = sw_case_clock_mode(state), computed, score;

    if (v == NULL)
        return NULL;
    if (json_is_integer(json_object_get(dl, "at_ms"))) {
        int64_t left = json_integer_value(json_object_get(dl, "at_ms")) - now_ms;

        json_object_set_new(dl, "time_left_s", json_integer(left / 1000));
        json_object_set_new(dl, "overdue", json_boolean(left < 0 && mode != 2));
    }
    json_array_foreach(json_object_get(v, "deadlines"), i, e) {
        if (json_is_integer(json_object_get(e, "at_ms"))) {
            int64_t left = json_integer_value(json_object_get(e, "at_ms")) - now_ms;

            json_object_set_new(e, "time_left_s", json_integer(left / 1000));
            json_object_set_new(e, "overdue", json_boolean(left < 0 && mode != 2 &&
                                                           !json_is_true(json_object_get(e,
                                                                                 "done"))));
        }
    }
    score = sw_case_priority(doc, now_ms, &computed);
    json_object_set_new(v, "priority", json_pack("{s:i, s:i, s:O?, s:o}", "score", score,
                                                 "computed", computed, "override",
                                                 json_object_get(doc, "priority_override"),
                                                 "reasons", json_array()));
    priority_parts(doc, now_ms, json_object_get(json_object_get(v, "priority"), "reasons"));
    json_object_del(v, "priority_override");
    ck = json_object_get(doc, "clock");
    json_object_set_new(v, "sla", json_pack("{s:o, s:o}",
        "first_response", sla_clock(json_object_get(ck, "first_response_ms"), active,
                                    mode == 2, first_h, near_pct, now_ms, mode == 1),
        "resolution", sla_clock(json_object_get(ck, "resolution_ms"), active, mode == 2,
                                resolve_h, near_pct, now_ms, mode == 1)));
    json_object_del(v, "clock");
    return v;
}

/* --- the store -------------------------------------------------------------------------- */

int64_t sw_case_now(struct sw_store *s, int test_clock)
{
    int64_t now = sw_now_ms();
    redisReply *r;

    if (!test_clock)
        return now;
    r = sw_store_cmd(s, "MGET", swk_testclock_offset().s, swk_testclock_at().s, NULL);
    if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
        if (r->element[1]->type == REDIS_REPLY_STRING)   /* a clock that stands still */
            now = strtoll(r->element[1]->str, NULL, 10);
        else if (r->element[0]->type == REDIS_REPLY_STRING)
            now += strtoll(r->element[0]->str, NULL, 10);
    }
    if (r != NULL)
        freeReplyObject(r);
    return now;
}

json_t *sw_case_entry(const struct sw_principal *who, int64_t now_ms, const char *action,
                      int visible, json_t *extra)
{
    char when[32];
    json_t *e = json_pack("{s:s, s:{s:s, s:I}, s:s, s:b}", "at",
                          sw_iso8601(now_ms, when, sizeof(when)), "by", "role",
                          sw_role_name(who->role), "id", (json_int_t)who->subject, "action",
                          action, "visible", visible);

    if (e != NULL && extra != NULL)
        json_object_update(e, extra);
    json_decref(extra);
    return e;
}

static void case_keys(struct sw_rec_keys *k, long long id)
{
    sw_rec_keys(k, "case", id);
}

int sw_case_get(struct sw_store *s, long long id, json_t **doc)
{
    struct sw_rec_keys k;

    case_keys(&k, id);
    return sw_rec_get(s, &k, doc);
}

/* The new case's indexes are additions (step 1 of record.h), its document and first entry the
 * transaction. A crash between them leaves index entries naming a case that is missing:
 * readers skip them (sw_rec_load), and the id is never given again. */
void sw_case_create_cmds(struct sw_cmds *c, json_t *doc, json_t *entry, long long id)
{
    struct sw_rec_keys k;
    char idtxt[24];
    long long centre = json_integer_value(json_object_get(doc, "centre_id"));
    long long sub = json_integer_value(json_object_get(doc, "subscriber_id"));

    case_keys(&k, id);
    json_object_set_new(doc, "id", json_integer(id));
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    sw_cmds_before(c, "ZADD", swk_cases_all().s, idtxt, idtxt, NULL);
    sw_cmds_before(c, "ZADD", swk_sub_cases(sub).s, idtxt, idtxt, NULL);
    sw_cmds_before(c, "ZADD", swk_centre_cases(centre).s, idtxt, idtxt, NULL);
    sw_cmds_before(c, "ZADD", swk_centre_open(centre).s, idtxt, idtxt, NULL);
    sw_rec_create_cmds(c, &k, doc, entry);
}

int sw_case_durable(struct sw_store *s, long long id)
{
    struct sw_rec_keys k;

    case_keys(&k, id);
    return sw_store_durable(s, k.doc) == SW_OK ? SW_OK : SW_EAGAIN;
}

int sw_case_new_id(struct sw_store *s, long long *id)
{
    return sw_store_incr(s, swk_case_seq().s, id);
}

int sw_case_create_as(struct sw_store *s, json_t *doc, json_t *entry, long long id)
{
    struct sw_cmds c = { .n = 0 };
    int rc;

    sw_case_create_cmds(&c, doc, entry, id);
    rc = sw_cmds_exec(s, &c);
    sw_cmds_free(&c);
    if (rc == SW_OK)
        rc = sw_case_durable(s, id);
    return rc == SW_CONFLICT ? SW_ERR : rc;
}

int sw_case_create(struct sw_store *s, json_t *doc, json_t *entry, long long *id)
{
    int rc = sw_case_new_id(s, id);

    return rc != SW_OK ? rc : sw_case_create_as(s, doc, entry, *id);
}

/* In a state where the assigned expert is working on the case (counts towards their load). */
static int holds_expert(const json_t *doc)
{
    const char *st = json_string_value(json_object_get(doc, "state")) ?: "";

    return strcmp(st, "assigned") == 0 || strcmp(st, "in_progress") == 0 ||
           strcmp(st, "waiting_on_exporter") == 0;
}

static int is_open(const json_t *doc)
{
    const char *st = json_string_value(json_object_get(doc, "state")) ?: "";

    return strcmp(st, "closed") != 0 && strcmp(st, "rejected") != 0;
}

static long long assignee(const json_t *doc)
{
    return json_integer_value(json_object_get(json_object_get(doc, "assignee"), "id"));
}

/* The index changes that follow from old -> doc: additions before the case's transaction,
 * removals after it (record.h). A crash before the removals leaves the case in
 * sw:{centre:C}:open or sw:staff:E:open though it is closed or no longer E's; the readers of
 * those lists re-check each case's state and assignee from its document (sw_case_load_in). */
static void index_moves(struct sw_cmds *c, const json_t *old, const json_t *doc, void *ud)
{
    long long a = assignee(old), b = assignee(doc);
    long long centre = json_integer_value(json_object_get(doc, "centre_id"));
    char idtxt[24];

    (void)ud;
    snprintf(idtxt, sizeof(idtxt), "%lld", (long long)json_integer_value(json_object_get(doc, "id")));
    if (is_open(old) != is_open(doc)) {
        if (is_open(doc))
            sw_cmds_before(c, "ZADD", swk_centre_open(centre).s, idtxt, idtxt, NULL);
        else
            sw_cmds_after(c, "ZREM", swk_centre_open(centre).s, idtxt, NULL);
    }
    if (b != 0 && holds_expert(doc)) {
        sw_cmds_before(c, "ZADD", swk_staff_open(b).s, idtxt, idtxt, NULL);
        sw_cmds_before(c, "ZADD", swk_staff_cases(b).s, idtxt, idtxt, NULL);
    }
    if (a != 0 && holds_expert(old) && (a != b || !holds_expert(doc)))
        sw_cmds_after(c, "ZREM", swk_staff_open(a).s, idtxt, NULL);
}

int sw_case_update(struct sw_store *s, long long id, long long history_max, sw_case_edit_fn fn,
                   void *ud, json_t **out)
{
    struct sw_rec_keys k;
    int rc;

    case_keys(&k, id);
    rc = sw_rec_update(s, &k, history_max, fn, index_moves, ud, out);
    if (rc == SW_OK && (rc = sw_case_durable(s, id)) != SW_OK && out != NULL) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int sw_case_history(struct sw_store *s, long long id, json_t **out)
{
    struct sw_rec_keys k;

    case_keys(&k, id);
    return sw_rec_history(s, &k, out);
}

int sw_case_load(struct sw_store *s, const json_t *ids, json_t **out)
{
    return sw_rec_load(s, "case", ids, out);
}

/* The sorted set of list. */
static sw_key_t list_key(enum sw_case_list list, long long owner)
{
    switch (list) {
    case SW_CASES_OF_SUB:
        return swk_sub_cases(owner);
    case SW_CASES_OF_CENTRE:
        return swk_centre_cases(owner);
    case SW_CASES_OF_STAFF:
        return swk_staff_cases(owner);
    case SW_CASES_OPEN_OF_CENTRE:
        return swk_centre_open(owner);
    case SW_CASES_OPEN_OF_STAFF:
        return swk_staff_open(owner);
    case SW_CASES_ALL:
        break;
    }
    return swk_cases_all();
}

/* 1 when doc belongs in list: what the index claims, checked against the document. */
static int belongs(const json_t *doc, enum sw_case_list list, long long owner)
{
    switch (list) {
    case SW_CASES_OF_SUB:
        return json_integer_value(json_object_get(doc, "subscriber_id")) == owner;
    case SW_CASES_OPEN_OF_CENTRE:
        return is_open(doc) && json_integer_value(json_object_get(doc, "centre_id")) == owner;
    case SW_CASES_OPEN_OF_STAFF:
        return holds_expert(doc) && assignee(doc) == owner;
    case SW_CASES_OF_CENTRE:   /* a case keeps its centre; "ever assigned" stays true */
    case SW_CASES_OF_STAFF:
    case SW_CASES_ALL:
        break;
    }
    return 1;
}

int sw_case_ids(struct sw_store *s, enum sw_case_list list, long long owner, long long after,
                int limit, long long max, json_t **ids, long long *next)
{
    return sw_rec_ids(s, list_key(list, owner).s, after, limit, max, ids, next);
}

int sw_case_load_in(struct sw_store *s, enum sw_case_list list, long long owner,
                    const json_t *ids, json_t **out)
{
    json_t *docs, *d;
    size_t i;
    int rc = sw_case_load(s, ids, &docs);

    *out = NULL;
    if (rc != SW_OK)
        return rc;
    *out = json_array();
    json_array_foreach(docs, i, d)
        if (belongs(d, list, owner))
            json_array_append(*out, d);
    json_decref(docs);
    return SW_OK;
}

int sw_case_staff_load(struct sw_store *s, long long staff, long long *open)
{
    json_t *ids, *docs;
    long long next;
    int rc = sw_case_ids(s, SW_CASES_OPEN_OF_STAFF, staff, 0, 0, 10000, &ids, &next);

    *open = 0;
    if (rc != SW_OK)
        return rc;
    rc = sw_case_load_in(s, SW_CASES_OPEN_OF_STAFF, staff, ids, &docs);
    json_decref(ids);
    if (rc == SW_OK)
        *open = (long long)json_array_size(docs);
    json_decref(docs);
    return rc;
}

int sw_case_default_centre(struct sw_store *s, long long *centre)
{
    redisReply *r = sw_store_cmd(s, "ZRANGE", swk_centres().s, "0", "0", NULL);

    *centre = 0;
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 && r->element[0]->str != NULL)
        *centre = strtoll(r->element[0]->str, NULL, 10);
    freeReplyObject(r);
    return *centre > 0 ? SW_OK : SW_NOTFOUND;
}

/* The documents of list's cases, oldest first, at most max, re-checked. */
static int docs_of(struct sw_store *s, enum sw_case_list list, long long owner, long long max,
                   json_t **docs, int *truncated)
{
    long long next = 0;
    json_t *ids;
    int rc;

    *docs = NULL;
    rc = sw_case_ids(s, list, owner, 0, 0, max, &ids, &next);
    if (rc != SW_OK)
        return rc;
    rc = sw_case_load_in(s, list, owner, ids, docs);
    json_decref(ids);
    *truncated = next != 0;
    return rc;
}

int sw_case_docs_of_centre(struct sw_store *s, long long centre, long long max, json_t **docs,
                           int *truncated)
{
    return docs_of(s, centre > 0 ? SW_CASES_OF_CENTRE : SW_CASES_ALL, centre, max, docs,
                   truncated);
}

int sw_case_docs_of_subscriber(struct sw_store *s, long long sub, long long max, json_t **docs,
                               int *truncated)
{
    return docs_of(s, SW_CASES_OF_SUB, sub, max, docs, truncated);
}

int sw_case_open_of(struct sw_store *s, long long sub, long long max, json_t **out)
{
    char stop[24];
    json_t *ids, *docs, *d;
    redisReply *r;
    size_t i;
    int rc;

    *out = NULL;
    snprintf(stop, sizeof(stop), "%lld", max - 1);
    r = sw_store_cmd(s, "ZREVRANGE", swk_sub_cases(sub).s, "0", stop, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    ids = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
        json_array_append_new(ids, json_integer(strtoll(r->element[i]->str ?: "0", NULL, 10)));
    freeReplyObject(r);
    rc = sw_case_load_in(s, SW_CASES_OF_SUB, sub, ids, &docs);
    json_decref(ids);
    if (rc != SW_OK)
        return rc;
    *out = json_array();
    json_array_foreach(docs, i, d)
        if (sw_case_clock_mode(json_string_value(json_object_get(d, "state")) ?: "closed") != 2)
            json_array_append(*out, d);
    json_decref(docs);
    return SW_OK;
}

/* --- queue views, tags, search --------------------------------------------------------- */

const char *const sw_case_views[] = { "new_unassigned", "mine", "near_breach", "breached",
                                      "waiting", "due_week", "open", NULL };

/* The SLA status of clock name in view v ("" when none). */
static const char *sla_status(const json_t *v, const char *name)
{
    return json_string_value(json_object_get(json_object_get(json_object_get(v, "sla"), name),
                                             "status")) ?: "";
}

int sw_case_in_view(const char *view, const json_t *doc, const json_t *v, long long me,
                    int64_t now_ms)
{
    const char *st = json_string_value(json_object_get(doc, "state")) ?: "";
    const json_t *at = json_object_get(json_object_get(doc, "deadline"), "at_ms");
    long long who = assignee(doc);

    if (view == NULL || strcmp(view, "open") == 0)
        return is_open(doc);
    if (strcmp(view, "new_unassigned") == 0)
        return (strcmp(st, "submitted") == 0 || strcmp(st, "accepted") == 0) && who == 0;
    if (strcmp(view, "mine") == 0)
        return is_open(doc) && me != 0 && who == me;
    if (strcmp(view, "breached") == 0)
        return strcmp(sla_status(v, "first_response"), "breached") == 0 ||
               strcmp(sla_status(v, "resolution"), "breached") == 0;
    if (strcmp(view, "near_breach") == 0)
        return strcmp(sla_status(v, "first_response"), "breached") != 0 &&
               strcmp(sla_status(v, "resolution"), "breached") != 0 &&
               (strcmp(sla_status(v, "first_response"), "near_breach") == 0 ||
                strcmp(sla_status(v, "resolution"), "near_breach") == 0);
    if (strcmp(view, "waiting") == 0)
        return strcmp(st, "waiting_on_exporter") == 0 || strcmp(st, "needs_info") == 0;
    if (strcmp(view, "due_week") == 0)
        return is_open(doc) && json_is_integer(at) &&
               json_integer_value(at) <= now_ms + 7 * 86400000LL;
    return 0;
}

int sw_case_tag_valid(const char *tag)
{
    size_t n = tag != NULL ? strlen(tag) : 0, i;

    if (n == 0 || n > SW_CASE_TAG_MAX || !sw_utf8_valid(tag, n, NULL))
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)tag[i];

        if (ch <= 0x20 || ch == 0x7f || ch == ',' || ch == '"' || ch == '<' || ch == '>')
            return 0;
    }
    return 1;
}

int sw_case_search_text(const json_t *doc, const char *exporter, struct sw_buf *out)
{
    const char *parts[5];
    char num[40];
    size_t i;
    int rc = SW_OK;

    snprintf(num, sizeof(num), "#%lld case %lld",
             (long long)json_integer_value(json_object_get(doc, "id")),
             (long long)json_integer_value(json_object_get(doc, "id")));
    parts[0] = num;
    parts[1] = exporter;
    parts[2] = json_string_value(json_object_get(doc, "opposing_party"));
    parts[3] = json_string_value(json_object_get(doc, "forum"));
    parts[4] = json_string_value(json_object_get(doc, "description"));
    sw_buf_reset(out);
    for (i = 0; i < SW_ARRAY_LEN(parts) && rc == SW_OK; i++) {
        if (parts[i] == NULL)
            continue;
        if (out->len > 0)
            rc = sw_buf_adds(out, " ");
        if (rc == SW_OK)
            rc = sw_fold_search(parts[i], strlen(parts[i]), out);
    }
    return rc == SW_ERR ? SW_ERR : SW_OK;   /* past the ceiling the rest is left out */
}

int sw_case_search_match(const char *text, const char *q)
{
    char word[4 * SW_ALERT_Q_MAX + 1];
    const char *p = q;

    while (p != NULL && *p != '\0') {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);

        if (n > 0 && n < sizeof(word)) {
            memcpy(word, p, n);
            word[n] = '\0';
            if (strstr(text, word) == NULL)
                return 0;
        }
        p = sp ? sp + 1 : NULL;
    }
    return 1;
}

int sw_case_exporters(struct sw_store *s, const json_t *docs, json_t **names)
{
    const char *argv[SW_CASE_EXPORTERS_MAX + 1];
    char keys[SW_CASE_EXPORTERS_MAX][64];
    long long subs[SW_CASE_EXPORTERS_MAX];
    const json_t *d;
    redisReply *r;
    size_t i, n = 0, k;

    *names = json_object();
    json_array_foreach(docs, i, d) {
        long long sub = json_integer_value(json_object_get(d, "subscriber_id"));

        for (k = 0; k < n && subs[k] != sub; k++)
            ;
        if (k < n || n == SW_CASE_EXPORTERS_MAX)
            continue;
        subs[n] = sub;
        sw_doc_key(&sw_kind_subscriber, sub, keys[n], sizeof(keys[n]));
        argv[n + 1] = keys[n];
        n++;
    }
    if (n == 0)
        return SW_OK;
    argv[0] = "MGET";
    r = sw_store_cmdv(s, (int)n + 1, argv, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements && i < n; i++) {
        json_t *doc = r->element[i]->type == REDIS_REPLY_STRING
                          ? json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL) : NULL;
        char id[24];

        snprintf(id, sizeof(id), "%lld", subs[i]);
        if (json_is_string(json_object_get(doc, "name")))
            json_object_set(*names, id, json_object_get(doc, "name"));
        json_decref(doc);
    }
    freeReplyObject(r);
    return SW_OK;
}

/* --- saved views ------------------------------------------------------------------------ */

/* Sets a view unless the person already has SW_CASE_SAVED_VIEWS_MAX others: KEYS[1] the
 * hash, ARGV name, JSON, cap. 1 new, 0 replaced, -1 full. */
static const char put_view_lua[] =
    "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then "
    "  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 0 end "
    "if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end "
    "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1";

int sw_case_view_put(struct sw_store *s, long long person, const char *name, const json_t *v,
                     int *created)
{
    sw_key_t key = swk_case_views(person);
    char cap[16], *text = sw_json_dumps(v);
    const char *keys[1] = { key.s }, *args[3];
    long long n;
    int rc;

    if (text == NULL)
        return SW_ERR;
    snprintf(cap, sizeof(cap), "%d", SW_CASE_SAVED_VIEWS_MAX);
    args[0] = name;
    args[1] = text;
    args[2] = cap;
    rc = sw_store_eval_int(s, put_view_lua, 1, keys, 3, args, &n);
    free(text);
    if (rc != SW_OK)
        return SW_EAGAIN;
    if (n < 0)
        return SW_TOOBIG;
    *created = n == 1;
    return SW_OK;
}

int sw_case_view_list(struct sw_store *s, long long person, json_t **out)
{
    redisReply *r = sw_store_cmd(s, "HGETALL", swk_case_views(person).s, NULL);
    size_t i;

    if (r == NULL)
        return SW_EAGAIN;
    *out = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        json_t *v = json_loadb(r->element[i + 1]->str, r->element[i + 1]->len, 0, NULL);

        if (v != NULL)
            json_array_append_new(*out, v);
    }
    freeReplyObject(r);
    return SW_OK;
}

int sw_case_view_delete(struct sw_store *s, long long person, const char *name)
{
    redisReply *r = sw_store_cmd(s, "HDEL", swk_case_views(person).s, name, NULL);
    long long n;

    if (r == NULL)
        return SW_EAGAIN;
    n = sw_reply_int(r, 0);
    freeReplyObject(r);
    return n > 0 ? SW_OK : SW_NOTFOUND;
}
