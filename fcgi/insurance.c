/* insurance.c — a case's insurance and costs over HTTP: the policy (PUT, by the case's exporter
 * or its staff), the centre's decision whether the dispute falls under the cover (staff), the
 * costs recorded on the case (add, list with totals per currency, correct, remove — every
 * change in the case's history with what it was before), and the totals of a policy across
 * the company's cases. The checks and the arithmetic are lib/insurance.c's; the claim dossier
 * is dossier.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/cases.h"
#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/insurance.h"
#include "api.h"

#define STAFFISH(role) ((role) & (SW_ROLE_STAFF | SW_ROLE_ADMIN))

enum ins_op { INS_POLICY, INS_DECISION, INS_COST_ADD, INS_COST_PATCH, INS_COST_DELETE };

/* One change to a case's insurance or costs, run by sw_case_update (perhaps more than once:
 * it must start afresh each time). */
struct ins_edit {
    enum ins_op op;
    const struct sw_principal *who;
    int64_t now;
    const json_t *in;        /* the new policy, the decision, the cost or its correction */
    long long cid;           /* the cost changed or removed */
    const char *fail;        /* why fn refused: "no-insurance", "missing", "full", "invalid" */
    struct sw_verrs *errs;   /* a correction's problems (INS_COST_PATCH) */
    json_t *result;          /* what the answer shows: the insurance, or the cost */
};

static json_t *who_json(const struct sw_principal *who)
{
    json_t *v = json_pack("{s:s, s:I}", "role", sw_role_name(who->role), "id",
                          (json_int_t)who->subject);

    if (v != NULL && who->person > 0)
        json_object_set_new(v, "person", json_integer(who->person));
    return v;
}

/* The cost id of doc's costs (borrowed) and its index, or NULL. */
static json_t *cost_find(json_t *doc, long long cid, size_t *index)
{
    json_t *e;
    size_t i;

    json_array_foreach(json_object_get(doc, "costs"), i, e)
        if (json_integer_value(json_object_get(e, "id")) == cid) {
            if (index != NULL)
                *index = i;
            return e;
        }
    return NULL;
}

static int edit_policy(json_t *doc, json_t *hist, struct ins_edit *m, const char *when)
{
    json_t *before = json_object_get(doc, "insurance"), *after = json_deep_copy(m->in);
    int cleared = 0;

    if (after == NULL)
        return SW_ERR;
    /* Another insurer or policy is another contract: the decision on the old one goes. */
    if (json_is_object(before) &&
        json_equal(json_object_get(before, "insurer"), json_object_get(after, "insurer")) &&
        json_equal(json_object_get(before, "policy"), json_object_get(after, "policy")))
        json_object_set(after, "decision", json_object_get(before, "decision") ?: json_null());
    else {
        cleared = json_is_object(json_object_get(before, "decision"));
        json_object_set_new(after, "decision", json_null());
    }
    json_object_set_new(after, "updated_at", json_string(when));
    json_object_set_new(after, "updated_by", who_json(m->who));
    json_array_append_new(hist, sw_case_entry(m->who, m->now, "insurance", 1,
                                              json_pack("{s:O, s:O, s:b}", "before",
                                                        before ? before : json_null(), "after",
                                                        after, "decision_cleared", cleared)));
    json_object_set(doc, "insurance", after);
    m->result = after;
    return SW_OK;
}

static int edit_decision(json_t *doc, json_t *hist, struct ins_edit *m, const char *when)
{
    json_t *ins = json_object_get(doc, "insurance"), *before, *after;

    if (!json_is_object(ins)) {
        m->fail = "no-insurance";
        return SW_INVALID;
    }
    before = json_incref(json_object_get(ins, "decision"));
    after = json_pack("{s:O, s:O, s:o, s:s}", "covered", json_object_get(m->in, "covered"),
                      "note", json_object_get(m->in, "note"), "by", who_json(m->who), "at",
                      when);
    json_object_set(ins, "decision", after);
    json_object_set_new(ins, "updated_at", json_string(when));
    json_array_append_new(hist, sw_case_entry(m->who, m->now, "insurance_decision", 1,
                                              json_pack("{s:o, s:o}", "before",
                                                        before ? before : json_null(), "after",
                                                        after)));
    m->result = json_incref(ins);
    return SW_OK;
}

static int edit_cost(json_t *doc, json_t *hist, struct ins_edit *m, const char *when)
{
    json_t *costs = json_object_get(doc, "costs"), *cost, *before = NULL, *after = NULL;
    const char *action;
    size_t index = 0;

    if (!json_is_array(costs)) {
        costs = json_array();
        json_object_set_new(doc, "costs", costs);
    }
    if (m->op == INS_COST_ADD) {
        json_int_t id = json_integer_value(json_object_get(doc, "cost_seq")) + 1;

        if (json_array_size(costs) >= SW_COSTS_PER_CASE) {
            m->fail = "full";
            return SW_INVALID;
        }
        after = json_deep_copy(m->in);
        json_object_set_new(after, "id", json_integer(id));
        json_object_set_new(after, "recorded_by", who_json(m->who));
        json_object_set_new(after, "recorded_at", json_string(when));
        json_object_set_new(doc, "cost_seq", json_integer(id));
        json_array_append(costs, after);
        action = "cost_added";
    } else {
        cost = cost_find(doc, m->cid, &index);
        if (cost == NULL) {
            m->fail = "missing";
            return SW_INVALID;
        }
        before = json_deep_copy(cost);
        if (m->op == INS_COST_DELETE) {
            json_array_remove(costs, index);
            action = "cost_removed";
        } else {
            const char *k;
            json_t *v, *check;

            after = json_deep_copy(cost);
            json_object_foreach((json_t *)m->in, k, v)
                if (strcmp(k, "reason") != 0)
                    json_object_set(after, k, v);
            /* The merged cost must be whole: a new currency rechecks the amount. */
            check = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?}", "kind",
                              json_object_get(after, "kind"), "amount",
                              json_object_get(after, "amount"), "currency",
                              json_object_get(after, "currency"), "date",
                              json_object_get(after, "date"), "note",
                              json_object_get(after, "note"));
            if (check == NULL || !sw_cost_check(check, m->errs)) {
                json_decref(check);
                json_decref(before);
                json_decref(after);
                m->fail = "invalid";
                return SW_INVALID;
            }
            json_object_set(after, "amount", json_object_get(check, "amount"));
            json_decref(check);
            json_object_set_new(after, "changed_at", json_string(when));
            json_object_set_new(after, "changed_by", who_json(m->who));
            json_array_set(costs, index, after);
            action = "cost_changed";
        }
    }
    json_array_append_new(hist, sw_case_entry(m->who, m->now, action, 1,
                                              json_pack("{s:o, s:O}", "before",
                                                        before ? before : json_null(), "after",
                                                        after ? after : json_null())));
    if (m->op == INS_COST_PATCH && json_is_string(json_object_get(m->in, "reason")))
        json_object_set(json_array_get(hist, json_array_size(hist) - 1), "reason",
                        json_object_get(m->in, "reason"));
    m->result = after ? after : json_incref(before);   /* before: the history entry's */
    return SW_OK;
}

static int do_edit(json_t *doc, json_t *hist, void *ud)
{
    struct ins_edit *m = ud;
    char when[32];

    json_decref(m->result);
    m->result = NULL;
    m->fail = NULL;
    sw_iso8601(m->now, when, sizeof(when));
    json_object_set_new(doc, "updated_at", json_string(when));
    switch (m->op) {
    case INS_POLICY:
        return edit_policy(doc, hist, m, when);
    case INS_DECISION:
        return edit_decision(doc, hist, m, when);
    default:
        return edit_cost(doc, hist, m, when);
    }
}

/* Runs m on the case of the path (the caller may see it) and answers status with m->result,
 * or the problem. */
static void run_edit(struct sw_ctx *c, struct ins_edit *m, int status)
{
    struct sw_verrs errs;
    json_t *doc, *out = NULL;
    long long id;
    int rc;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    sw_verrs_init(&errs);
    m->who = &c->who;
    m->now = sw_cases_now(c);
    m->errs = &errs;
    rc = sw_case_update(c->store, id, sw_config_int(c->cfg, "cases.history_max"), do_edit, m,
                        &out);
    if (rc == SW_INVALID && m->fail != NULL && strcmp(m->fail, "invalid") == 0)
        sw_reply_invalid(c, &errs);
    else if (rc == SW_INVALID && m->fail != NULL && strcmp(m->fail, "missing") == 0)
        sw_reply_not_found(c);
    else if (rc == SW_INVALID && m->fail != NULL && strcmp(m->fail, "no-insurance") == 0)
        sw_reply_problem(c, 409, "no-insurance", "No insurance recorded", NULL,
                         "record the case's insurance policy (PUT /api/v1/cases/%lld/insurance) "
                         "before deciding whether the dispute falls under it", id);
    else if (rc == SW_INVALID && m->fail != NULL && strcmp(m->fail, "full") == 0)
        sw_reply_problem(c, 409, "too-many-costs", "Too many costs", NULL,
                         "a case holds at most %d costs", SW_COSTS_PER_CASE);
    else if (rc == SW_TOOBIG)
        sw_reply_problem(c, 409, "history-full", "Case history full", NULL,
                         "this case's history holds cases.history_max entries");
    else if (rc != SW_OK)
        sw_reply_store(c, rc, "changing the case's insurance or costs");
    else {
        if (m->op == INS_DECISION)
            sw_case_notice(c, out, json_is_true(json_object_get(m->in, "covered"))
                                       ? "insurance_covered" : "insurance_not_covered",
                           json_string_value(json_object_get(m->in, "note")), 0, "medium");
        sw_reply_json(c, status, json_incref(m->result));
    }
    sw_verrs_free(&errs);
    json_decref(m->result);
    json_decref(out);
    json_decref(doc);
}

/* --- the policy and the decision ------------------------------------------------------ */

void sw_h_cases_insurance_put(struct sw_ctx *c)
{
    struct ins_edit m = { .op = INS_POLICY };
    struct sw_verrs errs;
    json_t *in, *ins;

    if (sw_body_parse(c, &in) != SW_OK)
        return;
    sw_verrs_init(&errs);
    ins = sw_insurance_from(in, &errs);
    if (sw_reply_if_invalid(c, &errs) == SW_OK) {
        m.in = ins;
        run_edit(c, &m, 200);
    }
    json_decref(ins);
    json_decref(in);
}

static const struct sw_jfield decision_fields[] = {
    { "covered", SW_J_BOOL, SW_JF_REQUIRED, 0, 0, NULL },
    { "note", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 4000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_cases_insurance_decision(struct sw_ctx *c)
{
    struct ins_edit m = { .op = INS_DECISION };
    json_t *in;

    if (sw_body_object(c, decision_fields, 0, &in) != SW_OK)
        return;
    m.in = in;
    run_edit(c, &m, 200);
    json_decref(in);
}

/* --- costs ---------------------------------------------------------------------------- */

static void reply_overflow(struct sw_ctx *c)
{
    sw_reply_problem(c, 409, "totals-overflow", "Totals too large", NULL,
                     "a total of these costs does not fit in 63 bits of minor units");
}

void sw_h_cases_costs_list(struct sw_ctx *c)
{
    json_t *doc, *v;
    long long id;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    v = sw_costs_of(doc);
    if (v == NULL)
        reply_overflow(c);
    else
        sw_reply_json(c, 200, v);
    json_decref(doc);
}

void sw_h_cases_costs_create(struct sw_ctx *c)
{
    struct ins_edit m = { .op = INS_COST_ADD };
    struct sw_verrs errs;
    json_t *in;

    if (sw_body_parse(c, &in) != SW_OK)
        return;
    sw_verrs_init(&errs);
    sw_cost_check(in, &errs);
    if (sw_reply_if_invalid(c, &errs) == SW_OK) {
        if (json_object_get(in, "note") == NULL)
            json_object_set_new(in, "note", json_string(""));
        m.in = in;
        run_edit(c, &m, 201);
    }
    json_decref(in);
}

static const struct sw_jfield correction_fields[] = {
    { "kind", SW_J_STRING, 0, 1, 16, sw_cost_kinds },
    { "amount", SW_J_STRING, 0, 0, 64, NULL },
    { "currency", SW_J_STRING, 0, 0, 8, NULL },
    { "date", SW_J_STRING, 0, 0, 10, NULL },
    { "note", SW_J_STRING, 0, 0, 2000, NULL },
    { "reason", SW_J_STRING, SW_JF_NONEMPTY, 1, 2000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* The cost id of the path ({cid}), or 0 after answering 404. */
static long long path_cid(struct sw_ctx *c)
{
    long long cid;

    if (sw_parse_ll(sw_param(c, "cid"), 1, INT64_MAX, &cid) != SW_OK) {
        sw_reply_not_found(c);
        return 0;
    }
    return cid;
}

void sw_h_cases_costs_patch(struct sw_ctx *c)
{
    struct ins_edit m = { .op = INS_COST_PATCH };
    struct sw_verrs errs;
    json_t *in, *amount;

    if ((m.cid = path_cid(c)) == 0 || sw_body_parse(c, &in) != SW_OK)
        return;
    sw_verrs_init(&errs);
    /* An amount sent as a JSON number is named as such, not as a wrong type. */
    amount = json_incref(json_object_get(in, "amount"));
    if (amount != NULL && !json_is_string(amount))
        json_object_del(in, "amount");
    sw_json_check(in, correction_fields, 1, "", &errs);
    if (amount != NULL && !json_is_string(amount))
        sw_verrs_add(&errs, "/amount", "must be a decimal number written as a string, such as "
                                       "\"1234.50\" (never a JSON number)");
    json_decref(amount);
    if (sw_verrs_count(&errs) == 0 && json_object_size(in) == 0)
        sw_verrs_add(&errs, "", "give what to correct: kind, amount, currency, date or note");
    if (sw_reply_if_invalid(c, &errs) == SW_OK) {
        m.in = in;
        run_edit(c, &m, 200);
    }
    json_decref(in);
}

void sw_h_cases_costs_delete(struct sw_ctx *c)
{
    struct ins_edit m = { .op = INS_COST_DELETE };

    if ((m.cid = path_cid(c)) == 0)
        return;
    run_edit(c, &m, 200);
}

/* --- a policy's costs across the company's cases ------------------------------------------ */

/* Appends v to list unless it is there already. */
static void add_once(json_t *list, json_t *v)
{
    json_t *x;
    size_t i;

    json_array_foreach(list, i, x)
        if (json_equal(x, v))
            return;
    json_array_append(list, v);
}

void sw_h_policy_costs(struct sw_ctx *c)
{
    const char *policy = sw_param(c, "policy"), *subq = sw_query(c, "subscriber");
    long long sub = c->who.subject;
    json_t *docs = NULL, *acc = NULL, *cases, *insurers, *d;
    int truncated = 0, rc, bad = 0;
    size_t i;

    if (!sw_policy_valid(policy)) {
        sw_reply_not_found(c);
        return;
    }
    if (c->who.role != SW_ROLE_EXPORTER) {
        if (subq == NULL || sw_parse_ll(subq, 1, INT64_MAX, &sub) != SW_OK) {
            struct sw_verrs errs;

            sw_verrs_init(&errs);
            sw_verrs_add(&errs, "subscriber", "give the exporter's subscriber id: the company "
                                              "whose cases to total");
            sw_reply_params_invalid(c, &errs);
            return;
        }
    } else if (subq != NULL) {
        struct sw_verrs errs;

        sw_verrs_init(&errs);
        sw_verrs_add(&errs, "subscriber", "is for centre staff; an exporter reads its own "
                                          "company's cases");
        sw_reply_params_invalid(c, &errs);
        return;
    }
    rc = sw_case_docs_of_subscriber(c->store, sub, sw_config_int(c->cfg, "cases.stats_max"),
                                    &docs, &truncated);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading the company's cases");
        return;
    }
    cases = json_array();
    insurers = json_array();
    json_array_foreach(docs, i, d) {
        const json_t *ins = json_object_get(d, "insurance");
        json_t *one = NULL;

        if (!sw_case_visible(c, d) ||
            strcmp(json_string_value(json_object_get(ins, "policy")) ?: "", policy) != 0)
            continue;
        if (sw_costs_add(&acc, json_object_get(d, "costs")) != SW_OK ||
            sw_costs_add(&one, json_object_get(d, "costs")) != SW_OK) {
            bad = 1;
            json_decref(one);
            break;
        }
        add_once(insurers, json_object_get(ins, "insurer"));
        json_array_append_new(cases, json_pack("{s:O, s:O, s:O, s:O, s:O?, s:O?, s:o}", "id",
                                               json_object_get(d, "id"), "state",
                                               json_object_get(d, "state"), "type",
                                               json_object_get(d, "type"), "opposing_party",
                                               json_object_get(d, "opposing_party"), "claim",
                                               json_object_get(ins, "claim"), "decision",
                                               json_object_get(ins, "decision"), "totals",
                                               sw_costs_totals(one)));
        json_decref(one);
    }
    json_decref(docs);
    if (bad) {
        json_decref(cases);
        json_decref(insurers);
        json_decref(acc);
        reply_overflow(c);
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:s, s:I, s:o, s:o, s:o, s:b}", "policy", policy,
                                    "subscriber_id", (json_int_t)sub, "insurers", insurers,
                                    "cases", cases, "totals",
                                    acc ? sw_costs_totals(acc) : json_array(), "truncated",
                                    truncated));
    json_decref(acc);
}
