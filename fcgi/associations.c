/* associations.c — industry associations over HTTP: the admin makes them, they invite member
 * exporters, members consent to what they share (or leave), matters join the members one
 * event concerns, one notice reaches every member of a matter, and counts across the cases
 * members share. What an association reads of a member passes sw_assoc_share_of first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/associations.h"
#include "seawall/cases.h"
#include "seawall/delivery.h"
#include "seawall/alerts.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/people.h"
#include "seawall/portfolio.h"
#include "seawall/store.h"
#include "api.h"

#define CASES_MAX 10000     /* cases read per member for a matter or the statistics */
#define MATTERS_MAX 500     /* matters a list shows */

/* The association of path parameter {id} when the caller may act for it (admins, its own
 * people); answers 404 otherwise. */
static int assoc_param(struct sw_ctx *c, long long *a, json_t **doc)
{
    int rc;

    if (sw_param_id(c, "id", a) != SW_OK)
        return SW_NOTFOUND;
    if (c->who.role != SW_ROLE_ADMIN &&
        !(c->who.role == SW_ROLE_ASSOCIATION && c->who.subject == *a)) {
        sw_reply_not_found(c);
        return SW_NOTFOUND;
    }
    rc = sw_doc_get(c->store, &sw_kind_association, *a, doc);
    if (rc != SW_OK)
        sw_reply_store(c, rc, "loading an association");
    return rc;
}

static void invalid(struct sw_ctx *c, const char *pointer, const char *msg)
{
    struct sw_verrs errs;

    sw_verrs_init(&errs);
    sw_verrs_add(&errs, pointer, "%s", sw_t(msg));
    sw_reply_invalid(c, &errs);
}

/* What list entry v is sorted by: itself (an integer), its member (an integer), or that
 * member's "id" (an object). */
static json_int_t sort_key(const json_t *v, const char *member)
{
    const json_t *m;

    if (json_is_integer(v))
        return json_integer_value(v);
    m = json_object_get(v, member);
    return json_is_object(m) ? json_integer_value(json_object_get(m, "id"))
                             : json_integer_value(m);
}

/* Sorts list ascending by sort_key (insertion sort: lists of one association's members): a
 * hash gives its members in no order a reader could follow. */
static void sort_by(json_t *list, const char *member)
{
    size_t i, j;

    for (i = 1; i < json_array_size(list); i++)
        for (j = i; j > 0; j--) {
            json_t *a = json_array_get(list, j - 1), *b = json_array_get(list, j);

            if (sort_key(a, member) <= sort_key(b, member))
                break;
            json_incref(a);
            json_array_set(list, j - 1, b);
            json_array_set_new(list, j, a);
        }
}

/* The subscriber's public name and country, for lists: {name, country} (new reference). */
static json_t *company(struct sw_ctx *c, long long sub)
{
    json_t *doc = NULL, *o;

    if (sw_doc_get(c->store, &sw_kind_subscriber, sub, &doc) != SW_OK)
        return json_pack("{s:s, s:n}", "name", "", "country");
    o = json_pack("{s:O, s:O}", "name", json_object_get(doc, "name"), "country",
                  json_object_get(doc, "country"));
    json_decref(doc);
    return o;
}

void sw_h_associations_create(struct sw_ctx *c)
{
    json_t *in, *out;
    char loc[96];
    long long id;
    int rc;

    if (sw_body_object(c, sw_kind_association.fields, 0, &in) != SW_OK)
        return;
    rc = sw_assoc_create(c->store, in, &out);
    json_decref(in);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "creating an association");
        return;
    }
    id = json_integer_value(json_object_get(out, "id"));
    sw_portfolio_profile_changed(c->store, id);   /* the matchers learn its subscriber */
    snprintf(loc, sizeof(loc), "/api/v1/associations/%lld", id);
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 201, out);
}

void sw_h_associations_list(struct sw_ctx *c)
{
    long long after, next;
    json_t *items;
    int limit, rc;

    if (sw_page_args(c, &after, &limit) != SW_OK)
        return;
    rc = sw_doc_list(c->store, &sw_kind_association, 0, after, limit, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing associations");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

/* Counts of a's members by status and share into doc["members"]. */
static int add_counts(struct sw_ctx *c, long long a, json_t *doc)
{
    json_t *members, *rec;
    const char *k;
    long long invited = 0, joined = 0, alerts = 0, cases = 0, none = 0;
    int rc = sw_assoc_members(c->store, a, &members);

    if (rc != SW_OK)
        return rc;
    json_object_foreach(members, k, rec) {
        enum sw_assoc_share sh = sw_assoc_share_of(rec);

        if (strcmp(json_string_value(json_object_get(rec, "status")) ?: "", "member") != 0) {
            invited++;
            continue;
        }
        joined++;
        if (sh == SW_SHARE_CASES)
            cases++;
        else if (sh == SW_SHARE_ALERTS)
            alerts++;
        else
            none++;
    }
    json_decref(members);
    json_object_set_new(doc, "members", json_pack("{s:I, s:I, s:{s:I, s:I, s:I}}", "members",
                                                  (json_int_t)joined, "invited",
                                                  (json_int_t)invited, "sharing", "alerts",
                                                  (json_int_t)alerts, "cases",
                                                  (json_int_t)cases, "none", (json_int_t)none));
    return SW_OK;
}

void sw_h_associations_get(struct sw_ctx *c)
{
    json_t *doc;
    long long a;
    int rc;

    if (assoc_param(c, &a, &doc) != SW_OK)
        return;
    rc = add_counts(c, a, doc);
    if (rc != SW_OK) {
        json_decref(doc);
        sw_reply_store(c, rc, "counting members");
        return;
    }
    sw_reply_json(c, 200, doc);
}

void sw_h_associations_patch(struct sw_ctx *c)
{
    json_t *doc, *patch, *out;
    long long a;
    int rc;

    if (assoc_param(c, &a, &doc) != SW_OK)
        return;
    json_decref(doc);
    if (sw_body_object(c, sw_kind_association.fields, 1, &patch) != SW_OK)
        return;
    rc = sw_doc_patch(c->store, &sw_kind_association, a, patch, &out);
    json_decref(patch);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "updating an association");
        return;
    }
    sw_reply_json(c, 200, out);
}

/* --- members ----------------------------------------------------------------------------- */

static const struct sw_jfield invite_fields[] = {
    { "subscriber", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "email", SW_J_STRING, SW_JF_EMAIL, 3, 254, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* The exporter company in's subscriber or email names: SW_OK with *sub, or answers 400. */
static int invitee(struct sw_ctx *c, const json_t *in, long long a, long long *sub)
{
    const json_t *js = json_object_get(in, "subscriber");
    const char *email = json_string_value(json_object_get(in, "email"));
    const char *pointer = js != NULL ? "/subscriber" : "/email";
    json_t *doc = NULL, *person = NULL;
    long long pid;
    int rc;

    if ((js == NULL) == (email == NULL)) {
        invalid(c, "/subscriber", SW_N("give the exporter's subscriber id or an e-mail address "
                                       "of one of its people, not both"));
        return SW_INVALID;
    }
    *sub = 0;
    if (js != NULL) {
        *sub = json_integer_value(js);
    } else {
        rc = sw_person_by_email(c->store, email, &pid);
        if (rc == SW_OK)
            rc = sw_person_get(c->store, pid, &person);
        if (rc == SW_OK && strcmp(json_string_value(json_object_get(person, "role")) ?: "",
                                  "exporter") == 0)
            *sub = json_integer_value(json_object_get(person, "subject"));
        json_decref(person);
        if (rc != SW_OK && rc != SW_NOTFOUND) {
            sw_reply_store(c, rc, "finding the exporter");
            return rc;
        }
    }
    rc = *sub > 0 ? sw_doc_get(c->store, &sw_kind_subscriber, *sub, &doc) : SW_NOTFOUND;
    if (rc == SW_OK && (json_object_get(doc, "association_id") != NULL || *sub == a))
        rc = SW_NOTFOUND;   /* an association's own watch is no exporter */
    json_decref(doc);
    if (rc == SW_NOTFOUND) {
        invalid(c, pointer, js != NULL ? SW_N("names no exporter company")
                                       : SW_N("is no address of an exporter's person"));
        return SW_INVALID;
    }
    if (rc != SW_OK)
        sw_reply_store(c, rc, "finding the exporter");
    return rc;
}

/* Tells the exporter of the invitation through its inbox (its mail and webhooks follow). */
static void invite_notice(struct sw_ctx *c, const json_t *assoc, long long sub)
{
    char evid[64];
    json_t *a;
    int stored;

    snprintf(evid, sizeof(evid), "association:%lld:invite:%lld",
             (long long)json_integer_value(json_object_get(assoc, "id")), sub);
    a = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:O, s:O}}", "severity", "low", "rule",
                  "association-invitation", "event", "id", evid, "type",
                  "association_invitation", "title", "An invitation to join an association",
                  "association", json_object_get(assoc, "id"), "name",
                  json_object_get(assoc, "name"));
    if (a != NULL)
        sw_alert_stamp(a, sub, evid);
    if (a == NULL || sw_alert_store(c->store, c->cfg, sub, a, &stored) != SW_OK)
        sw_warn("association invitation to subscriber %lld not stored (%s)", sub,
                c->store->errstr);
    json_decref(a);
}

void sw_h_associations_invite(struct sw_ctx *c)
{
    json_t *doc = NULL, *in = NULL, *out;
    long long a, sub;
    int rc;

    if (assoc_param(c, &a, &doc) != SW_OK)
        return;
    if (sw_body_object(c, invite_fields, 0, &in) != SW_OK)
        goto out;
    if (invitee(c, in, a, &sub) != SW_OK)
        goto out;
    rc = sw_assoc_invite(c->store, a, sub, &out);
    if (rc == SW_CONFLICT) {
        sw_reply_problem(c, 409, "conflict", "Conflict",
                         json_pack("[{s:s, s:s}]", "pointer", json_object_get(in, "email")
                                                                  ? "/email" : "/subscriber",
                                   "message", sw_t("is invited already, or a member")),
                         "this exporter is invited already, or a member");
        goto out;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "inviting a member");
        goto out;
    }
    invite_notice(c, doc, sub);
    json_object_update_missing_new(out, company(c, sub));
    sw_reply_json(c, 201, out);
out:
    json_decref(in);
    json_decref(doc);
}

void sw_h_associations_members(struct sw_ctx *c)
{
    json_t *doc, *members, *rec, *items;
    const char *k;
    long long a;
    int rc;

    if (assoc_param(c, &a, &doc) != SW_OK)
        return;
    json_decref(doc);
    rc = sw_assoc_members(c->store, a, &members);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing members");
        return;
    }
    items = json_array();
    json_object_foreach(members, k, rec) {
        json_t *one = json_deep_copy(rec);

        json_object_update_missing_new(one, company(c, strtoll(k, NULL, 10)));
        json_array_append_new(items, one);
    }
    json_decref(members);
    sort_by(items, "subscriber");
    sw_reply_json(c, 200, json_pack("{s:o}", "items", items));
}

void sw_h_associations_member_delete(struct sw_ctx *c)
{
    json_t *doc;
    long long a, sub;
    int rc;

    if (assoc_param(c, &a, &doc) != SW_OK)
        return;
    json_decref(doc);
    if (sw_param_id(c, "sub", &sub) != SW_OK)
        return;
    rc = sw_assoc_leave(c->store, a, sub);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "removing a member");
        return;
    }
    c->resp->status = 204;
}

/* --- the member's side ------------------------------------------------------------------- */

void sw_h_me_associations(struct sw_ctx *c)
{
    json_t *mine, *rec, *items;
    const char *k;
    int rc = sw_assoc_of(c->store, c->who.subject, &mine);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing associations");
        return;
    }
    items = json_array();
    json_object_foreach(mine, k, rec) {
        json_t *doc = NULL, *one = json_deep_copy(rec);

        if (sw_doc_get(c->store, &sw_kind_association, strtoll(k, NULL, 10), &doc) == SW_OK) {
            json_object_set_new(one, "association",
                                json_pack("{s:O, s:O, s:O, s:O?}", "id",
                                          json_object_get(doc, "id"), "name",
                                          json_object_get(doc, "name"), "country",
                                          json_object_get(doc, "country"), "sector",
                                          json_object_get(doc, "sector")));
            json_decref(doc);
            json_array_append_new(items, one);
        } else {
            json_decref(one);
        }
    }
    json_decref(mine);
    sort_by(items, "association");
    sw_reply_json(c, 200, json_pack("{s:o}", "items", items));
}

static const struct sw_jfield consent_fields[] = {
    { "share", SW_J_STRING, SW_JF_REQUIRED, 1, 16, sw_assoc_shares },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_me_associations_consent(struct sw_ctx *c)
{
    json_t *in, *out;
    long long a;
    int rc;

    if (sw_param_id(c, "id", &a) != SW_OK)
        return;
    if (sw_body_object(c, consent_fields, 0, &in) != SW_OK)
        return;
    rc = sw_assoc_consent(c->store, a, c->who.subject,
                          json_string_value(json_object_get(in, "share")), &out);
    json_decref(in);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "recording consent");
        return;
    }
    if (c->who.person > 0)   /* a person's choice is in their security log */
        sw_people_audit(c, c->who.person, "association-consent",
                        json_string_value(json_object_get(out, "share")));
    sw_reply_json(c, 200, out);
}

void sw_h_me_associations_leave(struct sw_ctx *c)
{
    long long a;
    int rc;

    if (sw_param_id(c, "id", &a) != SW_OK)
        return;
    rc = sw_assoc_leave(c->store, a, c->who.subject);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "leaving an association");
        return;
    }
    if (c->who.person > 0)
        sw_people_audit(c, c->who.person, "association-left", NULL);
    c->resp->status = 204;
}

/* --- statistics -------------------------------------------------------------------------- */

/* Every case of subscriber sub (at most CASES_MAX). */
static int cases_of(struct sw_ctx *c, long long sub, json_t **docs)
{
    int truncated;

    return sw_case_docs_of_subscriber(c->store, sub, CASES_MAX, docs, &truncated);
}

static void bump(json_t *counts, const char *k)
{
    json_object_set_new(counts, k, json_integer(json_integer_value(json_object_get(counts, k))
                                                + 1));
}

/* {name: n, …} as [{field: name, "cases": n}, …]. */
static json_t *rows(json_t *counts, const char *field)
{
    json_t *out = json_array(), *v;
    const char *k;

    json_object_foreach(counts, k, v)
        json_array_append_new(out, json_pack("{s:s, s:O}", field, k, "cases", v));
    json_decref(counts);
    return out;
}

/* What a case's outcome counts as: its recorded outcome, else open / rejected / unrecorded. */
static const char *outcome_of(const json_t *d)
{
    const char *o = json_string_value(json_object_get(d, "outcome"));
    const char *st = json_string_value(json_object_get(d, "state")) ?: "";

    if (o != NULL && *o)
        return o;
    if (strcmp(st, "rejected") == 0)
        return "rejected";
    if (strcmp(st, "resolved") == 0 || strcmp(st, "closed") == 0)
        return "not_recorded";
    return "open";
}

void sw_h_associations_stats(struct sw_ctx *c)
{
    json_t *doc = NULL, *subs = NULL, *v, *out;
    json_t *market = json_object(), *type = json_object(), *outc = json_object();
    long long a, total = 0;
    size_t i, j;
    int rc;

    if (assoc_param(c, &a, &doc) != SW_OK)
        goto out;
    rc = add_counts(c, a, doc);
    rc = rc ?: sw_assoc_sharing(c->store, a, SW_SHARE_CASES, &subs);
    json_array_foreach(subs, i, v) {
        json_t *docs = NULL, *d;

        if (rc != SW_OK)
            break;
        rc = cases_of(c, json_integer_value(v), &docs);
        json_array_foreach(docs, j, d) {
            bump(market, json_string_value(json_object_get(d, "country")) ?: "");
            bump(type, json_string_value(json_object_get(d, "type")) ?: "");
            bump(outc, outcome_of(d));
            total++;
        }
        json_decref(docs);
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "counting cases");
        goto out;
    }
    out = json_pack("{s:I, s:O, s:O, s:I, s:o, s:o, s:o}", "association", (json_int_t)a,
                    "name", json_object_get(doc, "name"), "members",
                    json_object_get(doc, "members"), "cases", (json_int_t)total,
                    "by_market", rows(market, "country"), "by_type", rows(type, "type"),
                    "by_outcome", rows(outc, "outcome"));
    market = type = outc = NULL;
    sw_reply_json(c, 200, out);
out:
    json_decref(market);
    json_decref(type);
    json_decref(outc);
    json_decref(subs);
    json_decref(doc);
}

/* --- matters ----------------------------------------------------------------------------- */

/* Loads matter {id} when the caller may see it: an association its own, centre staff and
 * admins every one. Answers 404 otherwise. */
static int matter_param(struct sw_ctx *c, long long *id, json_t **doc, json_t **subs)
{
    int rc;

    if (sw_param_id(c, "id", id) != SW_OK)
        return SW_NOTFOUND;
    rc = sw_matter_get(c->store, *id, doc, subs);
    if (rc == SW_OK && c->who.role == SW_ROLE_ASSOCIATION &&
        json_integer_value(json_object_get(*doc, "association")) != c->who.subject) {
        json_decref(*doc);
        json_decref(*subs);
        rc = SW_NOTFOUND;
    }
    if (rc != SW_OK)
        sw_reply_store(c, rc, "loading a matter");
    return rc;
}

/* What the caller may see of subscriber sub in a matter of association a: its share for an
 * association (SW_SHARE_NOTHING: leave it out), SW_SHARE_CASES for staff and admins. */
static enum sw_assoc_share member_share(struct sw_ctx *c, const json_t *members, long long sub)
{
    char k[32];

    if (c->who.role != SW_ROLE_ASSOCIATION)
        return SW_SHARE_CASES;
    snprintf(k, sizeof(k), "%lld", sub);
    return sw_assoc_share_of(json_object_get(members, k));
}

/* The case as a matter shows it: state, type, country, the next deadline and the list. */
static json_t *case_brief(const json_t *d)
{
    json_t *dl = json_array(), *e;
    size_t i;

    json_array_foreach(json_object_get(d, "deadlines"), i, e)
        json_array_append_new(dl, json_pack("{s:O?, s:O?, s:O?, s:O?}", "id",
                                            json_object_get(e, "id"), "kind",
                                            json_object_get(e, "kind"), "at",
                                            json_object_get(e, "at"), "done",
                                            json_object_get(e, "done")));
    return json_pack("{s:O, s:O?, s:O?, s:O?, s:O?, s:o}", "id", json_object_get(d, "id"),
                     "state", json_object_get(d, "state"), "type", json_object_get(d, "type"),
                     "country", json_object_get(d, "country"), "deadline",
                     json_object_get(d, "deadline"), "deadlines", dl);
}

/* 1 when case d belongs to the matter: it was opened from the member's alert of it. */
static int case_in_matter(const json_t *d, const char *alert)
{
    const json_t *v;
    size_t i;

    json_array_foreach(json_object_get(d, "alerts"), i, v)
        if (alert != NULL && strcmp(json_string_value(v) ?: "", alert) == 0)
            return 1;
    return 0;
}

/* The matter's members as the caller may see them: [{subscriber, name, country, share,
 * cases?}] ascending by subscriber. *recipients (may be NULL) gets their ids. */
static int matter_members(struct sw_ctx *c, const json_t *doc, const json_t *subs,
                          json_t **out, json_t *recipients)
{
    long long a = json_integer_value(json_object_get(doc, "association"));
    json_t *members = NULL, *list = json_array(), *sorted;
    const char *k;
    json_t *v;
    size_t i;
    int rc = sw_assoc_members(c->store, a, &members);

    if (rc != SW_OK) {
        json_decref(list);
        return rc;
    }
    sorted = json_array();
    json_object_foreach((json_t *)subs, k, v)
        json_array_append_new(sorted, json_integer(strtoll(k, NULL, 10)));
    sort_by(sorted, NULL);
    json_array_foreach(sorted, i, v) {
        long long sub = json_integer_value(v);
        enum sw_assoc_share sh = member_share(c, members, sub);
        char key[32];
        json_t *one, *docs = NULL, *d, *cases;
        size_t j;

        if (sh == SW_SHARE_NOTHING)
            continue;
        snprintf(key, sizeof(key), "%lld", sub);
        one = json_pack("{s:I, s:s, s:b}", "subscriber", (json_int_t)sub, "share",
                        sh == SW_SHARE_CASES ? "cases" : "alerts", "concerned", 1);
        json_object_update_missing_new(one, company(c, sub));
        if (c->who.role == SW_ROLE_ASSOCIATION) {
            char mk[32];

            snprintf(mk, sizeof(mk), "%lld", sub);
            json_object_set(one, "share", json_object_get(json_object_get(members, mk),
                                                          "share"));
        } else {
            json_object_set_new(one, "share", json_string("centre"));
        }
        if (sh == SW_SHARE_CASES) {
            rc = cases_of(c, sub, &docs);
            if (rc != SW_OK) {
                json_decref(one);
                break;
            }
            cases = json_array();
            json_array_foreach(docs, j, d)
                if (case_in_matter(d, json_string_value(json_object_get(subs, key))) &&
                    (c->who.role == SW_ROLE_ASSOCIATION || sw_case_visible(c, d)))
                    json_array_append_new(cases, case_brief(d));
            json_decref(docs);
            json_object_set_new(one, "cases", cases);
        }
        if (recipients != NULL)
            json_array_append_new(recipients, json_integer(sub));
        json_array_append_new(list, one);
    }
    json_decref(sorted);
    json_decref(members);
    if (rc != SW_OK) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return SW_OK;
}

void sw_h_matters_list(struct sw_ctx *c)
{
    json_t *ids, *items, *v;
    size_t i;
    int rc;

    rc = sw_matter_ids(c->store, c->who.role == SW_ROLE_ASSOCIATION ? c->who.subject : 0,
                       MATTERS_MAX, &ids);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing matters");
        return;
    }
    items = json_array();
    json_array_foreach(ids, i, v) {
        json_t *doc = NULL, *subs = NULL, *members = NULL;

        rc = sw_matter_get(c->store, json_integer_value(v), &doc, &subs);
        if (rc == SW_NOTFOUND) {
            rc = SW_OK;
            continue;
        }
        rc = rc ?: matter_members(c, doc, subs, &members, NULL);
        if (rc == SW_OK && json_array_size(members) > 0) {
            json_object_set_new(doc, "members", json_integer((json_int_t)json_array_size(
                                                    members)));
            json_array_append(items, doc);
        }
        json_decref(members);
        json_decref(subs);
        json_decref(doc);
        if (rc != SW_OK)
            break;
    }
    json_decref(ids);
    if (rc != SW_OK) {
        json_decref(items);
        sw_reply_store(c, rc, "listing matters");
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:o}", "items", items));
}

void sw_h_matters_get(struct sw_ctx *c)
{
    json_t *doc, *subs = NULL, *members = NULL;
    long long id;
    int rc;

    if (matter_param(c, &id, &doc, &subs) != SW_OK)
        return;
    rc = matter_members(c, doc, subs, &members, NULL);
    json_decref(subs);
    if (rc == SW_OK && json_array_size(members) == 0)
        rc = SW_NOTFOUND;   /* nobody in it the caller may see */
    if (rc != SW_OK) {
        json_decref(members);
        json_decref(doc);
        sw_reply_store(c, rc, "loading a matter");
        return;
    }
    json_object_set_new(doc, "members", members);
    sw_reply_json(c, 200, doc);
}

/* A notice's text: {"en": …, "zh-CN": …}, at least one of them. */
static const struct sw_jfield notice_fields[] = {
    { "title", SW_J_OBJECT, SW_JF_REQUIRED, 1, 2, NULL },
    { "text", SW_J_OBJECT, SW_JF_REQUIRED, 1, 2, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* Checks one {lang: text} member of a notice; adds to errs. */
static void check_texts(const json_t *o, const char *name, size_t max, struct sw_verrs *errs)
{
    const char *lang;
    json_t *v;

    json_object_foreach((json_t *)o, lang, v) {
        char ptr[64];

        snprintf(ptr, sizeof(ptr), "/%s/%.20s", name, lang);
        if (strcmp(lang, "en") != 0 && strcmp(lang, "zh-CN") != 0)
            sw_verrs_add(errs, ptr, "%s", sw_t("is no language of the portal (en, zh-CN)"));
        else if (!json_is_string(v) || json_string_length(v) == 0 ||
                 json_string_length(v) > max)
            sw_verrs_add(errs, ptr, sw_t("must be text of 1 to %zu bytes"), max);
    }
}

/* The text of o in lang, else in the other language. */
static const char *text_in(const json_t *o, const char *lang)
{
    return json_string_value(json_object_get(o, lang))
               ?: json_string_value(json_object_get(o, "en"))
               ?: json_string_value(json_object_get(o, "zh-CN"));
}

void sw_h_matters_notices(struct sw_ctx *c)
{
    json_t *doc, *subs = NULL, *members = NULL, *in = NULL, *recipients = json_array(), *v;
    struct sw_verrs errs;
    long long id, seq;
    size_t i;
    int rc, sent = 0;

    if (matter_param(c, &id, &doc, &subs) != SW_OK) {
        json_decref(recipients);
        return;
    }
    if (sw_body_object(c, notice_fields, 0, &in) != SW_OK)
        goto out;
    sw_verrs_init(&errs);
    check_texts(json_object_get(in, "title"), "title", 200, &errs);
    check_texts(json_object_get(in, "text"), "text", 20000, &errs);
    if (sw_reply_if_invalid(c, &errs) != SW_OK)
        goto out;
    rc = matter_members(c, doc, subs, &members, recipients);
    if (rc == SW_OK && json_array_size(recipients) == 0)
        rc = SW_NOTFOUND;
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading a matter");
        goto out;
    }
    if (sw_matter_notice_seq(c->store, id, &seq) != SW_OK) {
        sw_reply_store(c, SW_EAGAIN, "sending a notice");
        goto out;
    }
    json_array_foreach(members, i, v) {
        long long sub = json_integer_value(json_object_get(v, "subscriber"));
        const json_t *cases = json_object_get(v, "cases");
        json_t *settings = NULL, *a;
        const char *lang = "en";
        char evid[96];
        int stored = 0;

        if (sw_delivery_get(c->store, sub, &settings) == SW_OK)
            lang = sw_lang_canonical(json_string_value(json_object_get(settings, "lang")))
                       ?: "en";
        snprintf(evid, sizeof(evid), "matter:%lld:notice:%lld", id, seq);
        a = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:O?, s:I, s:O?, s:s?}}",
                      "severity", "medium", "rule", "matter-notice", "event", "id", evid,
                      "type", "matter_notice", "title", text_in(json_object_get(in, "title"),
                                                                lang),
                      "text", text_in(json_object_get(in, "text"), lang), "lang", lang,
                      "jurisdiction", json_object_get(doc, "jurisdiction"), "matter_id",
                      (json_int_t)id, "case_id",
                      json_object_get(json_array_get(cases, 0), "id"), "from",
                      c->who.role == SW_ROLE_ASSOCIATION ? "association" : "centre");
        json_decref(settings);
        if (a != NULL)
            sw_alert_stamp(a, sub, evid);
        if (a == NULL || sw_alert_store(c->store, c->cfg, sub, a, &stored) != SW_OK) {
            json_decref(a);
            sw_reply_store(c, SW_EAGAIN, "sending a notice");
            goto out;
        }
        json_decref(a);
        sent += stored;
    }
    sw_reply_json(c, 201, json_pack("{s:I, s:I, s:O, s:i}", "matter", (json_int_t)id, "notice",
                                    (json_int_t)seq, "recipients", recipients, "sent", sent));
out:
    json_decref(recipients);
    json_decref(members);
    json_decref(in);
    json_decref(subs);
    json_decref(doc);
}
