/* incidents.c — what a fair's service station logs: incidents at its show, sent one by one or
 * as an offline batch (each with a submission key, so a retry never makes a second), kept as
 * records with an append-only history, the accused exhibitor's answer deadline counted down,
 * escalation into an assistance case, the parties' earlier incidents at any show, and the
 * show's export as CSV or a printable report. Who sees an incident: the station of its show,
 * centre staff, admins; anyone else gets 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seawall/accounts.h"
#include "seawall/cases.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/normalise.h"
#include "seawall/portfolio.h"
#include "seawall/record.h"
#include "seawall/shows.h"
#include "seawall/store.h"
#include "api.h"

#define EARLIER_MAX 20

/* The show a station token works at ("" for other roles). */
static const char *station_show(const struct sw_ctx *c)
{
    if (c->who.role != SW_ROLE_STATION)
        return "";
    return json_string_value(json_object_get(c->account, "show")) ?: "";
}

static int visible(const struct sw_ctx *c, const json_t *doc)
{
    switch (c->who.role) {
    case SW_ROLE_ADMIN:
    case SW_ROLE_TRIAGER:
    case SW_ROLE_EXPERT:
        return 1;
    case SW_ROLE_STATION:
        return strcmp(json_string_value(json_object_get(doc, "show")) ?: "",
                      station_show(c)) == 0;
    default:
        return 0;
    }
}

int sw_incident_load_visible(struct sw_ctx *c, long long *id, json_t **doc)
{
    struct sw_rec_keys k;
    int rc;

    if (sw_param_id(c, "id", id) != SW_OK)
        return SW_NOTFOUND;
    sw_rec_keys(&k, "inc", *id);
    rc = sw_rec_get(c->store, &k, doc);
    if (rc == SW_OK && !visible(c, *doc)) {
        json_decref(*doc);
        *doc = NULL;
        rc = SW_NOTFOUND;
    }
    if (rc != SW_OK)
        sw_reply_store(c, rc, "loading the incident");
    return rc;
}

int sw_incident_caller_show(struct sw_ctx *c, json_t **show)
{
    const char *id = sw_param(c, "show");
    int rc;

    *show = NULL;
    if (c->who.role == SW_ROLE_STATION && strcmp(id, station_show(c)) != 0) {
        sw_reply_not_found(c);
        return SW_NOTFOUND;
    }
    rc = sw_show_get(c->store, id, show);
    if (rc != SW_OK)
        sw_reply_store(c, rc, "loading the show");
    return rc;
}

/* v[path1][path2] (path2 may be NULL) when it is a string, else "". */
static const char *str_of(const json_t *v, const char *path1, const char *path2)
{
    const json_t *x = json_object_get(v, path1);

    if (path2 != NULL)
        x = json_object_get(x, path2);
    return json_string_value(x) ?: "";
}

/* --- views --------------------------------------------------------------------------------- */

/* deadline.left_s and the answer's standing: running, overdue, answered (in time or late),
 * or stopped (mediated, escalated or closed without an answer). */
static void deadline_view(json_t *v, int64_t now)
{
    json_t *d = json_object_get(v, "deadline");
    const char *status = json_string_value(json_object_get(v, "status")) ?: "";
    int64_t due = json_integer_value(json_object_get(d, "at_ms")), answered;
    const char *state;

    if (!json_is_object(d))
        return;
    if (json_is_string(json_object_get(v, "answered_at")) &&
        sw_date_ms(json_string_value(json_object_get(v, "answered_at")), &answered) == SW_OK)
        state = answered <= due ? "answered_in_time" : "answered_late";
    else if (strcmp(status, "open") == 0)
        state = now > due ? "overdue" : "running";
    else
        state = "stopped";
    json_object_set_new(d, "status", json_string(state));
    json_object_set_new(d, "overdue", json_boolean(strcmp(state, "overdue") == 0));
    json_object_set_new(d, "left_s", strcmp(state, "running") == 0 || strcmp(state, "overdue") == 0
                                         ? json_integer((due - now) / 1000) : json_null());
}

json_t *sw_incident_view(const json_t *doc, int64_t now)
{
    json_t *v = json_deep_copy(doc);
    char url[64];

    deadline_view(v, now);
    json_object_del(v, "history_len");
    json_object_del(v, "received_ms");
    json_object_del(v, "sent_sha256");
    /* Logged before the server kept its own receipt time beside the device's: it was the
     * time it was logged. */
    if (json_object_get(v, "server_received_at") == NULL &&
        json_is_string(json_object_get(v, "created_at")))
        json_object_set(v, "server_received_at", json_object_get(v, "created_at"));
    if (json_is_integer(json_object_get(v, "case_id"))) {
        snprintf(url, sizeof(url), "/api/v1/cases/%lld",
                 (long long)json_integer_value(json_object_get(v, "case_id")));
        json_object_set_new(v, "case_url", json_string(url));
    }
    return v;
}

/* Earlier incidents naming the same party in either role, at any show: those filed under the
 * party's key (its trade name) or the key of before, that name one company with it
 * (sw_party_same: the same trade name in either script, nothing contradicting it). */
static json_t *earlier(struct sw_ctx *c, const json_t *doc, const char *role)
{
    static const char *const roles[] = { "exhibitor", "complainant" };
    const char *name = json_string_value(json_object_get(json_object_get(doc, role), "name"));
    long long self = json_integer_value(json_object_get(doc, "id"));
    char keys[2][SW_KEY_MAX];
    json_t *out = json_array(), *ids = json_array(), *docs = NULL, *d;
    size_t i, r, k, nkeys = 1;

    if (sw_party_key(name, keys[0], sizeof(keys[0])) != SW_OK)
        goto done;
    if (sw_party_key_v1(name, keys[1], sizeof(keys[1])) == SW_OK &&
        strcmp(keys[1], keys[0]) != 0)
        nkeys = 2;
    for (k = 0; k < nkeys; k++)
        for (r = 0; r < SW_ARRAY_LEN(roles); r++)
            sw_party_incidents_before(c->store, roles[r], keys[k],
                                      json_integer_value(json_object_get(doc, "received_ms")),
                                      21, self, ids);
    if (sw_rec_load(c->store, "inc", ids, &docs) == SW_OK) {
        json_array_foreach(docs, i, d) {
            const char *as = NULL;

            for (k = 0; k < SW_ARRAY_LEN(roles) && as == NULL; k++)
                if (sw_party_same(name, json_string_value(json_object_get(
                                            json_object_get(d, roles[k]), "name")), NULL))
                    as = roles[k];
            if (as == NULL)
                continue;   /* another company of the same trade name, or filed apart */
            if (json_array_size(out) < EARLIER_MAX)
                json_array_append_new(out, json_pack(
                    "{s:O, s:O, s:O, s:O, s:O, s:s, s:O, s:O}", "id", json_object_get(d, "id"),
                    "show", json_object_get(d, "show"), "received_at",
                    json_object_get(d, "received_at"), "kind", json_object_get(d, "kind"),
                    "status", json_object_get(d, "status"), "as", as, "exhibitor",
                    json_object_get(json_object_get(d, "exhibitor"), "name"), "complainant",
                    json_object_get(json_object_get(d, "complainant"), "name")));
        }
        json_decref(docs);
    }
done:
    json_decref(ids);
    return out;
}

/* The matcher's recognitions of doc's exhibitor as a subscriber, best first, as suggestions:
 * {subscriber_id, name, match, why, matched_name, by: "matcher"}. An array (maybe empty). */
static json_t *recognitions(struct sw_ctx *c, const json_t *doc)
{
    json_t *rec = NULL, *out = json_array(), *r;
    size_t i;

    if (sw_incident_recognised_get(c->store, json_integer_value(json_object_get(doc, "id")),
                                   &rec) != SW_OK) {
        json_decref(rec);
        return out;
    }
    json_array_foreach(rec, i, r) {
        json_t *sub = NULL;
        double score = json_number_value(json_object_get(r, "score"));

        if (sw_doc_get(c->store, &sw_kind_subscriber,
                       json_integer_value(json_object_get(r, "subscriber_id")), &sub) != SW_OK)
            continue;
        json_array_append_new(out, json_pack(
            "{s:O, s:O?, s:s, s:O?, s:O?, s:s}", "subscriber_id",
            json_object_get(r, "subscriber_id"), "name", json_object_get(sub, "name"), "match",
            score >= 0.999 ? "exact" : "same_trade_name", "why", json_object_get(r, "why"),
            "matched_name", json_object_get(r, "matched_name"), "by", "matcher"));
        json_decref(sub);
    }
    json_decref(rec);
    return out;
}

json_t *sw_incident_suggestion(struct sw_ctx *c, const json_t *doc)
{
    json_t *exh = json_object_get(doc, "exhibitor"), *rec, *out = NULL;

    if (!json_is_object(exh) || json_is_integer(json_object_get(exh, "subscriber_id")))
        return NULL;
    rec = recognitions(c, doc);
    if (json_array_size(rec) > 0)
        out = json_incref(json_array_get(rec, 0));
    else if (json_is_object(json_object_get(exh, "suggested")))
        out = json_deep_copy(json_object_get(exh, "suggested"));
    json_decref(rec);
    return out;
}

static void suggestion_view(struct sw_ctx *c, const json_t *doc, json_t *v)
{
    json_t *sg = sw_incident_suggestion(c, doc);

    if (sg != NULL && json_is_object(json_object_get(v, "exhibitor")))
        json_object_set_new(json_object_get(v, "exhibitor"), "suggested", sg);
    else
        json_decref(sg);
}

/* The single-incident view: with the parties' earlier incidents, which declared evidence
 * hashes have arrived and whom the exhibitor is suggested to be. */
static json_t *full_view(struct sw_ctx *c, const json_t *doc)
{
    json_t *v = sw_incident_view(doc, sw_cases_now(c)), *hist = NULL, *e, *decl;
    struct sw_rec_keys k;
    size_t i, j;

    json_object_set_new(v, "earlier", json_pack("{s:o, s:o}", "exhibitor",
                                                earlier(c, doc, "exhibitor"), "complainant",
                                                earlier(c, doc, "complainant")));
    decl = json_array();
    sw_rec_keys(&k, "inc", json_integer_value(json_object_get(doc, "id")));
    if (json_array_size(json_object_get(doc, "evidence_declared")) > 0 &&
        sw_rec_history(c->store, &k, &hist) == SW_OK) {
        json_array_foreach(json_object_get(doc, "evidence_declared"), i, e) {
            int got = 0;
            json_t *h;

            json_array_foreach(hist, j, h)
                if (json_equal(json_object_get(h, "sha256"), e))
                    got = 1;
            json_array_append_new(decl, json_pack("{s:O, s:b}", "sha256", e, "uploaded", got));
        }
    }
    json_decref(hist);
    json_object_set_new(v, "evidence_declared", decl);
    suggestion_view(c, doc, v);
    return v;
}

/* --- logging ------------------------------------------------------------------------------- */

/* Checks one submitted incident; problems go to errs under prefix. */
static void check_item(const json_t *in, int partial, const char *prefix, struct sw_verrs *errs)
{
    json_t *shape;
    const char *status = json_string_value(json_object_get(in, "status"));
    char ptr[160];

    if (!json_is_object(in)) {
        sw_verrs_add(errs, prefix[0] ? prefix : "/", "must be an incident object");
        return;
    }
    shape = json_copy((json_t *)in);
    json_object_del(shape, "exhibitor");
    json_object_del(shape, "complainant");
    json_object_del(shape, "rights");
    sw_json_check(shape, sw_incident_fields, partial, prefix, errs);
    json_decref(shape);
    sw_incident_check(in, partial, prefix, errs);
    if (!partial && json_object_get(in, "answered_at") != NULL &&
        (status == NULL || strcmp(status, "open") == 0)) {
        snprintf(ptr, sizeof(ptr), "%s/answered_at", prefix);
        sw_verrs_add(errs, ptr, "goes with a status that has an answer (answered, mediated or "
                     "closed): an open incident has not been answered yet");
    }
    if (status != NULL && strcmp(status, "escalated") == 0) {
        snprintf(ptr, sizeof(ptr), "%s/status", prefix);
        sw_verrs_add(errs, ptr, "an incident becomes escalated through POST "
                     "/api/v1/incidents/{id}/escalate, which opens its case");
    }
}

/* A party's subscriber_id must name a subscriber (escalation opens the case for it). */
static int parties_exist(struct sw_ctx *c, const json_t *in, const char *prefix,
                         struct sw_verrs *errs)
{
    static const char *const roles[] = { "exhibitor", "complainant" };
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(roles); i++) {
        const json_t *id = json_object_get(json_object_get(in, roles[i]), "subscriber_id");
        json_t *doc = NULL;
        char ptr[160];
        int rc;

        if (!json_is_integer(id))
            continue;
        rc = sw_doc_get(c->store, &sw_kind_subscriber, json_integer_value(id), &doc);
        json_decref(doc);
        if (rc == SW_NOTFOUND) {
            snprintf(ptr, sizeof(ptr), "%s/%s/subscriber_id", prefix, roles[i]);
            sw_verrs_add(errs, ptr, "no such subscriber");
        } else if (rc != SW_OK) {
            return rc;
        }
    }
    return SW_OK;
}

/* The kinds of rights invoked, each once: ["design", "patent"]. */
static json_t *right_kinds(const json_t *doc)
{
    json_t *out = json_array(), *m, *k;
    size_t i, j;

    json_array_foreach(json_object_get(doc, "rights"), i, m) {
        const char *t = json_string_value(json_object_get(m, "type"));
        int seen = 0;

        json_array_foreach(out, j, k)
            seen |= strcmp(json_string_value(k), t ? t : "") == 0;
        if (t != NULL && !seen)
            json_array_append_new(out, json_string(t));
    }
    return out;
}

/* The show_incident event: the matcher alerts exporters attending the show and those named
 * as a party; patents invoked are probed as cited numbers. Its title and text name no party:
 * what an attendee who is not one is shown (sw_incident_event_public) is the fair, hall,
 * product category, kind and kinds of rights. The parties, the booth, patent numbers, when
 * the complaint came ("served") and the exhibitor's answer deadline (which the accused
 * exhibitor's alert takes as its action) are for the parties' own alerts. */
static json_t *event_of(const json_t *doc, const json_t *show)
{
    const char *exh = str_of(doc, "exhibitor", "name"), *comp = str_of(doc, "complainant", "name");
    const char *hall = str_of(doc, "hall", NULL), *cat = str_of(doc, "product_category", NULL);
    json_t *ev, *patents = json_array(), *m;
    size_t i;

    json_array_foreach(json_object_get(doc, "rights"), i, m)
        if (strcmp(json_string_value(json_object_get(m, "type")) ?: "", "patent") == 0 &&
            json_is_string(json_object_get(m, "number")))
            json_array_append(patents, json_object_get(m, "number"));
    ev = json_pack("{s:s, s:s, s:O, s:O?, s:O, s:[{s:s, s:s}, {s:s, s:s}], s:{s:o}, s:O, s:o}",
                   "source", "stations", "type", "show_incident", "show",
                   json_object_get(doc, "show"), "show_name", json_object_get(show, "name"),
                   "date", json_object_get(doc, "received_at"), "parties", "role", "exhibitor",
                   "name", exh, "role", "complainant", "name", comp, "numbers", "patents",
                   patents, "kind", json_object_get(doc, "kind"), "rights_kinds",
                   right_kinds(doc));
    if (ev == NULL)
        return NULL;
    if (hall[0] != '\0')
        json_object_set(ev, "hall", json_object_get(doc, "hall"));
    if (cat[0] != '\0')
        json_object_set(ev, "product_category", json_object_get(doc, "product_category"));
    sw_incident_event_words(ev);   /* title and text: the kind, hall, products, rights */
    if (json_is_string(json_object_get(doc, "booth")))
        json_object_set(ev, "booth", json_object_get(doc, "booth"));
    if (json_is_string(json_object_get(show, "country")))
        json_object_set(ev, "jurisdiction", json_object_get(show, "country"));
    if (json_is_string(json_object_get(doc, "received_at")))
        json_object_set(ev, "served", json_object_get(doc, "received_at"));
    if (json_is_object(json_object_get(doc, "deadline")))
        json_object_set_new(ev, "deadline",
                            json_pack("{s:O?, s:O?}", "at", json_object_get(json_object_get(
                                                                doc, "deadline"), "at"),
                                      "rule", json_object_get(json_object_get(doc, "deadline"),
                                                              "rule")));
    return ev;
}

static json_t *load_one(struct sw_ctx *c, long long id)
{
    struct sw_rec_keys k;
    json_t *doc = NULL;

    sw_rec_keys(&k, "inc", id);
    if (sw_rec_get(c->store, &k, &doc) != SW_OK)
        return NULL;
    return doc;
}

/* The show's attendees, read once per request when an incident needs a suggestion. */
struct attendees {
    int loaded;
    json_t *list;   /* as sw_show_attendees gives them; NULL when they could not be read */
};

static void attendees_free(struct attendees *a)
{
    json_decref(a->list);
}

/* The attendee the exhibitor name most surely is (at least the same trade name), as
 * exhibitor.suggested: {subscriber_id, name, match, why, matched_name, by: "attendees"}; NULL
 * when none is. */
static json_t *attendee_suggestion(struct sw_ctx *c, const json_t *show, struct attendees *a,
                                   const char *exhibitor)
{
    json_t *ranked, *best, *out = NULL;
    int more;

    if (!a->loaded) {
        a->loaded = 1;
        if (sw_show_attendees(c->store, str_of(show, "id", NULL),
                              (size_t)sw_config_int(c->cfg, "shows.attendees_max"), &a->list,
                              &more) != SW_OK)
            sw_warn("show %s: attendees not read for the exhibitor's suggestion",
                    str_of(show, "id", NULL));
    }
    if (a->list == NULL || exhibitor == NULL)
        return NULL;
    ranked = sw_attendees_rank(a->list, exhibitor, SW_SURE_TRADE_NAME);
    best = json_array_get(ranked, 0);
    if (best != NULL)
        out = json_pack("{s:O, s:O?, s:O, s:O, s:O, s:s}", "subscriber_id",
                        json_object_get(best, "subscriber_id"), "name",
                        json_object_get(best, "name"), "match", json_object_get(best, "match"),
                        "why", json_object_get(best, "why"), "matched_name",
                        json_object_get(best, "matched_name"), "by", "attendees");
    json_decref(ranked);
    return out;
}

/* What became of one submission. */
enum outcome { STORED, DUPLICATE, CONFLICT };

struct submission {
    long long id;
    enum outcome what;
    json_t *stored;    /* DUPLICATE, CONFLICT: the incident the key made (caller decrefs) */
    char sent[65];     /* the content hash of what was sent (sw_incident_content_hash) */
};

/* 1 when doc was made from (or a resolved conflict accepted) content with hash sent, or
 * was logged before contents were hashed (then a re-send is taken as the same). */
static int same_content(const json_t *doc, const char *sent)
{
    const json_t *list = json_object_get(doc, "sent_sha256"), *h;
    size_t i;

    if (!json_is_array(list))
        return 1;
    json_array_foreach(list, i, h)
        if (strcmp(json_string_value(h) ?: "", sent) == 0)
            return 1;
    return 0;
}

/* Completes a checked submission into the incident document (in place) and stores it, or
 * finds what its key made before: the same content (duplicate) or other content (conflict;
 * nothing is changed). The device's times (received_at, answered_at) are what the deadline
 * is judged on; the server's own are kept beside them. SW_OK with sub filled. */
static int store_item(struct sw_ctx *c, json_t *in, const json_t *show, const char *key,
                      struct attendees *att, struct submission *sub)
{
    const char *received = json_string_value(json_object_get(in, "received_at"));
    const char *answered = json_string_value(json_object_get(in, "answered_at"));
    const char *status;
    int64_t now = sw_cases_now(c), rms = now, ams = now;
    char when[32], rwhen[32], awhen[32];
    json_t *entry, *ev, *device = json_object(), *exh = json_object_get(in, "exhibitor");
    int rc, dup = 0;

    sub->stored = NULL;
    sub->what = STORED;
    sw_incident_content_hash(in, sub->sent);
    if (received != NULL && sw_date_ms(received, &rms) == SW_OK)
        json_object_set_new(device, "received_at", json_string(received));
    if (answered != NULL && sw_date_ms(answered, &ams) == SW_OK)
        json_object_set_new(device, "answered_at", json_string(answered));
    json_object_del(in, "key");
    json_object_set(in, "show", json_object_get(show, "id"));
    json_object_set_new(in, "station_id", c->who.role == SW_ROLE_STATION
                                              ? json_integer(c->who.subject) : json_null());
    sw_iso8601(now, when, sizeof(when));
    json_object_set_new(in, "received_at", json_string(sw_iso8601(rms, rwhen, sizeof(rwhen))));
    json_object_set_new(in, "server_received_at", json_string(when));
    json_object_set_new(in, "received_ms", json_integer(rms));
    if (json_object_get(in, "status") == NULL)
        json_object_set_new(in, "status", json_string("open"));
    status = json_string_value(json_object_get(in, "status"));
    if (answered != NULL || strcmp(status, "answered") == 0) {
        json_object_set_new(in, "answered_at", json_string(sw_iso8601(ams, awhen,
                                                                      sizeof(awhen))));
        json_object_set_new(in, "server_answered_at", json_string(when));
    }
    if (json_object_size(device) > 0)
        json_object_set(in, "device", device);
    json_decref(device);
    if (json_is_object(exh) && !json_is_integer(json_object_get(exh, "subscriber_id"))) {
        json_t *sg = attendee_suggestion(c, show, att, str_of(exh, "name", NULL));

        if (sg != NULL)
            json_object_set_new(exh, "suggested", sg);
    }
    json_object_set_new(in, "deadline", sw_incident_deadline(sw_api_deadlines, show, rms));
    json_object_set_new(in, "created_at", json_string(when));
    json_object_set_new(in, "updated_at", json_string(when));
    json_object_set_new(in, "created_by", json_pack("{s:s, s:I}", "role",
                                                    sw_role_name(c->who.role), "id",
                                                    (json_int_t)c->who.subject));
    json_object_set_new(in, "case_id", json_null());
    json_object_set_new(in, "evidence_count", json_integer(0));
    json_object_set_new(in, "sent_sha256", json_pack("[s]", sub->sent));
    if (key != NULL)
        json_object_set_new(in, "key", json_string(key));
    entry = sw_case_entry(&c->who, now, "logged", 1,
                          json_pack("{s:{s:O}}", "after", "status",
                                    json_object_get(in, "status")));
    ev = event_of(in, show);
    rc = ev && entry ? sw_incident_create(c->store, in, entry, ev, key,
                                          (long)sw_config_int(c->cfg, "events.ttl_s"),
                                          (long)sw_config_int(c->cfg, "events.maxlen"),
                                          &sub->id, &dup)
                     : SW_ERR;
    json_decref(entry);
    json_decref(ev);
    if (rc != SW_OK || !dup)
        return rc;
    sub->stored = load_one(c, sub->id);
    if (sub->stored == NULL)
        return SW_EAGAIN;
    sub->what = same_content(sub->stored, sub->sent) ? DUPLICATE : CONFLICT;
    return SW_OK;
}

/* The top-level members in which sent and the stored incident differ (the server's own
 * members aside), as an array of names. */
static json_t *differences(const json_t *stored, const json_t *sent)
{
    json_t *out = json_array(), *v;
    const char *k;
    int64_t a, b;

    json_object_foreach((json_t *)sent, k, v) {
        const json_t *was = json_object_get(stored, k);

        if (strcmp(k, "key") == 0)
            continue;
        if ((strcmp(k, "received_at") == 0 || strcmp(k, "answered_at") == 0) &&
            json_is_string(v) && json_is_string(was) &&
            sw_date_ms(json_string_value(v), &a) == SW_OK &&
            sw_date_ms(json_string_value(was), &b) == SW_OK && a == b)
            continue;
        if (json_is_object(v) && json_is_object(was)) {   /* a party: its own members */
            const char *pk;
            json_t *pv;
            int same = 1;

            json_object_foreach(v, pk, pv)
                same &= json_equal(pv, json_object_get(was, pk));
            if (same)
                continue;
        }
        if (was == NULL || !json_equal(was, v))
            json_array_append_new(out, json_string(k));
    }
    return out;
}

/* The conflict's members: both versions, how to resolve it. */
static json_t *conflict_members(const struct submission *sub, const json_t *sent, int64_t now)
{
    char url[64];
    json_t *stored = sw_incident_view(sub->stored, now), *copy = json_deep_copy(sent);

    snprintf(url, sizeof(url), "/api/v1/incidents/%lld", sub->id);
    return json_pack("{s:I, s:s, s:o, s:o, s:s, s:o, s:s}", "id", (json_int_t)sub->id, "url",
                     url, "stored", stored, "sent", copy, "sent_sha256", sub->sent, "differs",
                     differences(sub->stored, sent), "resolve",
                     "PATCH the incident with the members to change and \"resolves\": "
                     "sent_sha256 to keep the sent version's content, or with \"resolves\" "
                     "alone to keep the stored one; either way a re-send of the sent version "
                     "then answers duplicate");
}

/* Checks what only the show and the clock can tell: the device's times. */
static void times_check(struct sw_ctx *c, const json_t *in, const json_t *show,
                        int64_t received_ms, const char *prefix, struct sw_verrs *errs)
{
    sw_incident_times_check(in, show, received_ms, sw_cases_now(c),
                            sw_config_int(c->cfg, "shows.clock_skew_s") * 1000,
                            sw_config_int(c->cfg, "shows.device_before_h") * 3600000,
                            prefix, errs);
}

/* Problems of a new incident: its fields, its times, its parties' subscribers (a missing one
 * makes the answer depend on the store: *state 1). SW_OK, or SW_EAGAIN when the store
 * failed. */
static int check_new(struct sw_ctx *c, const json_t *in, const json_t *show, const char *prefix,
                     struct sw_verrs *errs, int *state)
{
    size_t before;

    check_item(in, 0, prefix, errs);
    if (!json_is_object(in))
        return SW_OK;
    times_check(c, in, show, -1, prefix, errs);
    before = sw_verrs_count(errs);
    if (parties_exist(c, in, prefix, errs) != SW_OK)
        return SW_EAGAIN;
    if (sw_verrs_count(errs) > before)
        *state = 1;
    return SW_OK;
}

void sw_h_incidents_create(struct sw_ctx *c)
{
    struct sw_verrs errs;
    struct attendees att = { 0, NULL };
    struct submission sub;
    const char *key;
    json_t *show, *in, *sent = NULL, *doc;
    char loc[64], *keycopy = NULL;
    int rc, state = 0;

    if (sw_incident_caller_show(c, &show) != SW_OK)
        return;
    if (sw_body_parse(c, &in) != SW_OK) {
        json_decref(show);
        return;
    }
    sw_verrs_init(&errs);
    if (check_new(c, in, show, "", &errs, &state) != SW_OK) {
        sw_verrs_free(&errs);
        json_decref(in);
        json_decref(show);
        sw_reply_store(c, SW_EAGAIN, "checking the parties");
        return;
    }
    key = c->req->idempotency_key ? c->req->idempotency_key
                                  : json_string_value(json_object_get(in, "key"));
    if (key == NULL)
        sw_verrs_add(&errs, "/key", "give each submission a key (or an Idempotency-Key "
                     "header) so a retry over a bad network cannot log it twice");
    if (state)
        sw_reply_state_dependent(c);
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        json_decref(show);
        return;
    }
    keycopy = strdup(key);
    sent = json_deep_copy(in);
    /* store_item takes "key" out of in: the copy is what is used from here on. */
    rc = keycopy && sent ? store_item(c, in, show, keycopy, &att, &sub) : SW_ERR;
    json_decref(show);
    attendees_free(&att);
    if (rc != SW_OK) {
        free(keycopy);
        json_decref(in);
        json_decref(sent);
        sw_reply_store(c, rc, "storing the incident");
        return;
    }
    snprintf(loc, sizeof(loc), "/api/v1/incidents/%lld", sub.id);
    if (sub.what == CONFLICT) {
        sw_reply_problem(c, 409, "submission-conflict", "Conflicting re-send",
                         conflict_members(&sub, sent, sw_cases_now(c)),
                         "key %.255s already logged incident %lld with other content; nothing "
                         "was changed: compare stored and sent, then resolve it", keycopy,
                         sub.id);
        sw_reply_header(c, "Location", loc);
        free(keycopy);
        json_decref(sub.stored);
        json_decref(sent);
        json_decref(in);
        return;
    }
    free(keycopy);
    json_decref(sent);
    /* A new incident is the document just stored; a duplicate is the one its key made. */
    doc = sub.what == DUPLICATE ? sub.stored : in;
    if (sub.what == DUPLICATE)
        json_decref(in);
    sw_reply_header(c, "Location", loc);
    if (sub.what == DUPLICATE)
        sw_reply_header(c, "Idempotent-Replayed", "true");
    sw_reply_json(c, sub.what == DUPLICATE ? 200 : 201, full_view(c, doc));
    json_decref(doc);
}

/* {"incidents": [...]}: each item stored, found a duplicate of an earlier submission with the
 * same key, found in conflict with it (other content: both versions in the answer, nothing
 * changed), or rejected with its problems — each on its own. An answer with a conflict or
 * with an item rejected for the store's sake is not kept for an Idempotency-Key. */
void sw_h_incidents_batch(struct sw_ctx *c)
{
    static const char *const names[] = { "stored", "duplicate", "conflict", "rejected" };
    long long max = sw_config_int(c->cfg, "shows.batch_max");
    struct attendees att = { 0, NULL };
    json_t *show, *in, *items, *item, *results, *out;
    size_t i, counts[4] = { 0, 0, 0, 0 };
    const char *k;
    json_t *v;

    if (sw_incident_caller_show(c, &show) != SW_OK)
        return;
    if (sw_body_parse(c, &in) != SW_OK) {
        json_decref(show);
        return;
    }
    items = json_object_get(in, "incidents");
    json_object_foreach(in, k, v)
        if (strcmp(k, "incidents") != 0)
            items = NULL;
    if (!json_is_array(items) || json_array_size(items) == 0 ||
        (long long)json_array_size(items) > max) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/incidents", "message",
                                   sw_tr(c->lang, "must be the only member: a list of 1 or more "
                                                  "incidents")),
                         "send {\"incidents\": [...]} with 1 to %lld incidents, each with its "
                         "key", max);
        json_decref(in);
        json_decref(show);
        return;
    }
    results = json_array();
    json_array_foreach(items, i, item) {
        struct sw_verrs errs;
        struct submission sub;
        char prefix[48];
        const char *key = json_string_value(json_object_get(item, "key"));
        json_t *res = json_pack("{s:I, s:s?}", "index", (json_int_t)i, "key", key);
        int rc, state = 0;

        snprintf(prefix, sizeof(prefix), "/incidents/%zu", i);
        sw_verrs_init(&errs);
        if (check_new(c, item, show, prefix, &errs, &state) != SW_OK) {
            sw_verrs_add(&errs, prefix, "not checked: the store is unavailable; send this "
                         "incident again");
            state = 1;
        }
        if (json_is_object(item) && key == NULL) {
            char ptr[64];

            snprintf(ptr, sizeof(ptr), "%s/key", prefix);
            sw_verrs_add(&errs, ptr, "every incident in a batch needs its key");
        }
        if (state)
            sw_reply_state_dependent(c);
        if (sw_verrs_count(&errs) > 0) {
            json_object_set_new(res, "status", json_string("rejected"));
            json_object_set(res, "errors", errs.list);
            counts[3]++;
        } else {
            json_t *copy = json_deep_copy(item);
            char *kc = strdup(key);

            rc = kc && copy ? store_item(c, copy, show, kc, &att, &sub) : SW_ERR;
            free(kc);
            json_decref(copy);
            if (rc != SW_OK) {
                json_object_set_new(res, "status", json_string("rejected"));
                json_object_set_new(res, "errors", json_pack(
                    "[{s:s, s:s}]", "pointer", prefix, "message",
                    sw_tr(c->lang, "not stored: the store is unavailable; send this incident "
                                   "again")));
                sw_reply_state_dependent(c);
                counts[3]++;
            } else if (sub.what == CONFLICT) {
                json_t *both = conflict_members(&sub, item, sw_cases_now(c));

                json_object_update(res, both);
                json_decref(both);
                json_object_set_new(res, "status", json_string("conflict"));
                json_decref(sub.stored);
                sw_reply_state_dependent(c);
                counts[2]++;
            } else {
                char url[64];

                json_decref(sub.stored);
                snprintf(url, sizeof(url), "/api/v1/incidents/%lld", sub.id);
                json_object_set_new(res, "status", json_string(names[sub.what]));
                json_object_set_new(res, "id", json_integer(sub.id));
                json_object_set_new(res, "url", json_string(url));
                counts[sub.what]++;
            }
        }
        sw_verrs_free(&errs);
        json_array_append_new(results, res);
    }
    out = json_pack("{s:o}", "results", results);
    for (i = 0; i < SW_ARRAY_LEN(names); i++)
        json_object_set_new(out, names[i], json_integer((json_int_t)counts[i]));
    sw_reply_json(c, 200, out);
    attendees_free(&att);
    json_decref(in);
    json_decref(show);
}

/* --- reading ------------------------------------------------------------------------------- */

static int filters_ok(struct sw_ctx *c)
{
    struct sw_verrs errs;
    const char *status = sw_query(c, "status"), *kind = sw_query(c, "kind");
    const char *overdue = sw_query(c, "overdue");

    sw_verrs_init(&errs);
    if (status != NULL && !sw_list_valid(status, sw_incident_statuses))
        sw_verrs_add(&errs, "status", "must be open, answered, mediated, escalated or closed "
                     "(several separated by commas)");
    if (kind != NULL && !sw_list_valid(kind, sw_incident_kinds))
        sw_verrs_add(&errs, "kind", "must be incident kinds separated by commas");
    if (overdue != NULL && strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0)
        sw_verrs_add(&errs, "overdue", "must be true or false");
    return sw_reply_params_invalid(c, &errs);
}

static int wanted(struct sw_ctx *c, const json_t *v)
{
    const char *status = sw_query(c, "status"), *kind = sw_query(c, "kind");
    const char *overdue = sw_query(c, "overdue");
    int od = json_is_true(json_object_get(json_object_get(v, "deadline"), "overdue"));

    return (status == NULL || sw_in_list(status, json_string_value(json_object_get(v,
                                                                                   "status")))) &&
           (kind == NULL || sw_in_list(kind, json_string_value(json_object_get(v, "kind")))) &&
           (overdue == NULL || od == (strcmp(overdue, "true") == 0));
}

/* The show's incidents, oldest first; filters ?status=, ?kind=, ?overdue=. */
void sw_h_incidents_list(struct sw_ctx *c)
{
    json_t *show, *ids = NULL, *docs = NULL, *items, *d;
    long long after, next = 0;
    int64_t now;
    size_t i;
    int limit, rc;

    if (sw_incident_caller_show(c, &show) != SW_OK)
        return;
    json_decref(show);
    if (sw_page_args(c, &after, &limit) != SW_OK || filters_ok(c) != SW_OK)
        return;
    rc = sw_show_incident_ids(c->store, sw_param(c, "show"), after, limit, 0, &ids, &next);
    if (rc == SW_OK)
        rc = sw_rec_load(c->store, "inc", ids, &docs);
    json_decref(ids);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing incidents");
        return;
    }
    now = sw_cases_now(c);
    items = json_array();
    json_array_foreach(docs, i, d) {
        json_t *v = sw_incident_view(d, now);

        if (wanted(c, v))
            json_array_append_new(items, v);
        else
            json_decref(v);
    }
    json_decref(docs);
    sw_reply_json(c, 200, sw_page_json(items, next));
}

void sw_h_incidents_get(struct sw_ctx *c)
{
    long long id;
    json_t *doc;

    if (sw_incident_load_visible(c, &id, &doc) != SW_OK)
        return;
    sw_reply_json(c, 200, full_view(c, doc));
    json_decref(doc);
}

void sw_h_incidents_history(struct sw_ctx *c)
{
    struct sw_rec_keys k;
    long long id;
    json_t *doc, *hist;
    int rc;

    if (sw_incident_load_visible(c, &id, &doc) != SW_OK)
        return;
    json_decref(doc);
    sw_rec_keys(&k, "inc", id);
    rc = sw_rec_history(c->store, &k, &hist);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading the history");
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:o}", "items", hist));
}

/* --- changes ------------------------------------------------------------------------------- */

static const char *const patchable[] = { "booth", "kind", "measures", "notes", "status",
                                         "answer", "rights", "exhibitor", "complainant",
                                         "evidence_declared", "answered_at", "hall",
                                         "product_category", "resolves", NULL };

struct patch {
    const struct sw_principal *who;
    const json_t *in;
    const char *answered_raw;   /* answered_at as the device wrote it, or NULL */
    const char *resolves;       /* the content hash of a conflicting re-send, or NULL */
    int64_t now;
    const char *refused;   /* why the change cannot be made (an English msgid) */
};

static int do_patch(json_t *doc, json_t *hist, void *ud)
{
    struct patch *p = ud;
    const char *from = json_string_value(json_object_get(doc, "status")) ?: "";
    const char *to = json_string_value(json_object_get(p->in, "status"));
    json_t *before = json_object(), *after = json_object(), *v, *sent;
    const char *k;
    char when[32];

    if (strcmp(from, "closed") == 0) {
        p->refused = SW_N("the incident is closed; its record stays as it is");
        json_decref(before);
        json_decref(after);
        return SW_INVALID;
    }
    if (strcmp(from, "escalated") == 0 && to != NULL && strcmp(to, "closed") != 0 &&
        strcmp(to, "escalated") != 0) {
        p->refused = SW_N("an escalated incident may only be closed: its case carries it on");
        json_decref(before);
        json_decref(after);
        return SW_INVALID;
    }
    sw_iso8601(p->now, when, sizeof(when));
    json_object_foreach((json_t *)p->in, k, v) {
        json_t *old = json_object_get(doc, k);

        if (strcmp(k, "resolves") == 0 || (old != NULL && json_equal(old, v)))
            continue;
        json_object_set(before, k, old ? old : json_null());
        json_object_set(after, k, v);
        json_object_set(doc, k, v);
    }
    if (p->answered_raw != NULL) {   /* the device's time of the answer */
        json_t *device = json_object_get(doc, "device");

        if (!json_is_object(device)) {
            device = json_object();
            json_object_set_new(doc, "device", device);
        }
        json_object_set_new(device, "answered_at", json_string(p->answered_raw));
        json_object_set_new(doc, "server_answered_at", json_string(when));
        json_object_set(after, "server_answered_at", json_object_get(doc, "server_answered_at"));
    } else if (to != NULL && strcmp(to, "answered") == 0 && strcmp(from, "answered") != 0 &&
               !json_is_string(json_object_get(doc, "answered_at"))) {
        json_object_set_new(doc, "answered_at", json_string(when));
        json_object_set_new(doc, "server_answered_at", json_string(when));
        json_object_set(after, "answered_at", json_object_get(doc, "answered_at"));
    }
    if (p->resolves != NULL) {   /* a conflicting re-send, now known: it answers duplicate */
        sent = json_object_get(doc, "sent_sha256");
        if (!json_is_array(sent)) {
            sent = json_array();
            json_object_set_new(doc, "sent_sha256", sent);
        }
        if (!same_content(doc, p->resolves))
            json_array_append_new(sent, json_string(p->resolves));
        json_object_set_new(after, "resolves", json_string(p->resolves));
    }
    json_object_set_new(doc, "updated_at", json_string(when));
    json_array_append_new(hist, sw_case_entry(p->who, p->now, "updated", 1,
                                              json_pack("{s:o, s:o}", "before", before, "after",
                                                        after)));
    return SW_OK;
}

/* A changed kind moves the show's counts; changed names move the party indexes. */
static void patch_moves(struct sw_cmds *c, const json_t *old, const json_t *doc, void *ud)
{
    const char *ok = json_string_value(json_object_get(old, "kind"));
    const char *nk = json_string_value(json_object_get(doc, "kind"));
    const char *show = json_string_value(json_object_get(doc, "show")) ?: "";
    char f[48];

    (void)ud;
    if (ok != NULL && nk != NULL && strcmp(ok, nk) != 0) {
        snprintf(f, sizeof(f), "kind:%s", ok);
        sw_show_count_cmds(c, show, f, "-1");
        snprintf(f, sizeof(f), "kind:%s", nk);
        sw_show_count_cmds(c, show, f, "1");
    }
    if (!json_equal(json_object_get(old, "exhibitor"), json_object_get(doc, "exhibitor")) ||
        !json_equal(json_object_get(old, "complainant"), json_object_get(doc, "complainant")))
        sw_incident_party_moves(c, old, doc);
}

/* A changed exhibitor keeps its suggestion when the name stays; a new name is matched
 * against the show's attendees again. */
static void patch_suggestion(struct sw_ctx *c, json_t *in, const json_t *doc,
                             const json_t *show)
{
    json_t *exh = json_object_get(in, "exhibitor"), *was = json_object_get(doc, "exhibitor");
    struct attendees att = { 0, NULL };
    json_t *sg;

    if (!json_is_object(exh) || json_is_integer(json_object_get(exh, "subscriber_id")))
        return;
    if (strcmp(str_of(exh, "name", NULL), str_of(was, "name", NULL)) == 0) {
        if (json_is_object(json_object_get(was, "suggested")))
            json_object_set(exh, "suggested", json_object_get(was, "suggested"));
        return;
    }
    sg = attendee_suggestion(c, show, &att, str_of(exh, "name", NULL));
    if (sg != NULL)
        json_object_set_new(exh, "suggested", sg);
    attendees_free(&att);
}

void sw_h_incidents_patch(struct sw_ctx *c)
{
    struct sw_verrs errs;
    struct patch p = { .who = &c->who };
    long long id;
    json_t *doc, *in, *out = NULL, *v, *shape, *show = NULL;
    const char *key, *status, *resolves;
    char ptr[64], when[32], *raw = NULL;
    int64_t ams;
    int rc, state = 0;

    if (sw_incident_load_visible(c, &id, &doc) != SW_OK)
        return;
    if (sw_body_parse(c, &in) != SW_OK) {
        json_decref(doc);
        return;
    }
    sw_verrs_init(&errs);
    json_object_foreach(in, key, v) {
        size_t i;

        for (i = 0; patchable[i] != NULL && strcmp(patchable[i], key) != 0; i++)
            continue;
        if (patchable[i] != NULL)
            continue;
        snprintf(ptr, sizeof(ptr), "/%.40s", key);
        if (strcmp(key, "key") == 0 || strcmp(key, "received_at") == 0)
            sw_verrs_add(&errs, ptr, "cannot be changed once logged");
        else
            sw_verrs_add(&errs, ptr, "unknown field or one that cannot be changed");
    }
    resolves = json_string_value(json_object_get(in, "resolves"));
    if (json_object_get(in, "resolves") != NULL &&
        (resolves == NULL || !sw_sha256_hex_valid(resolves)))
        sw_verrs_add(&errs, "/resolves", "must be the sent_sha256 a conflict answered with "
                     "(64 lower-case hex digits)");
    if (sw_verrs_count(&errs) == 0) {
        shape = json_copy(in);
        json_object_del(shape, "resolves");
        check_item(shape, 1, "", &errs);
        json_decref(shape);
    }
    status = json_string_value(json_object_get(in, "status"));
    if (status == NULL)
        status = str_of(doc, "status", NULL);
    if (json_object_get(in, "answered_at") != NULL && strcmp(status, "open") == 0)
        sw_verrs_add(&errs, "/answered_at", "goes with a status that has an answer "
                     "(answered, mediated or closed): an open incident has not been answered "
                     "yet");
    rc = sw_show_get(c->store, str_of(doc, "show", NULL), &show);
    if (rc == SW_OK && sw_verrs_count(&errs) == 0) {
        times_check(c, in, show, json_integer_value(json_object_get(doc, "received_ms")), "",
                    &errs);
        rc = parties_exist(c, in, "", &errs);
        state = sw_verrs_count(&errs) > 0;
    }
    if (rc != SW_OK) {
        sw_verrs_free(&errs);
        json_decref(in);
        json_decref(doc);
        json_decref(show);
        sw_reply_store(c, SW_EAGAIN, "checking the change");
        return;
    }
    if (json_object_size(in) == 0 && sw_verrs_count(&errs) == 0)
        sw_verrs_add(&errs, "/", "send at least one field to change");
    if (state)
        sw_reply_state_dependent(c);
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        json_decref(doc);
        json_decref(show);
        return;
    }
    /* The device's answer time is kept as it wrote it; the incident holds the instant. */
    if (json_is_string(json_object_get(in, "answered_at")) &&
        sw_date_ms(json_string_value(json_object_get(in, "answered_at")), &ams) == SW_OK) {
        raw = strdup(json_string_value(json_object_get(in, "answered_at")));
        json_object_set_new(in, "answered_at", json_string(sw_iso8601(ams, when,
                                                                      sizeof(when))));
    }
    patch_suggestion(c, in, doc, show);
    json_decref(show);
    json_decref(doc);
    p.in = in;
    p.answered_raw = raw;
    p.resolves = resolves;
    p.now = sw_cases_now(c);
    rc = sw_incident_update(c->store, id, sw_config_int(c->cfg, "shows.incident_history_max"),
                            do_patch, patch_moves, &p, &out);
    if (rc == SW_INVALID && p.refused != NULL)
        sw_reply_problem(c, 409, "incident-locked", "Incident cannot change", NULL, "%s",
                         sw_tr(c->lang, p.refused));
    else if (rc != SW_OK)
        sw_reply_store(c, rc, "changing the incident");
    else
        sw_reply_json(c, 200, full_view(c, out));
    free(raw);
    json_decref(in);
    json_decref(out);
}

/* --- escalation ---------------------------------------------------------------------------- */

static const struct sw_jfield escalate_fields[] = {
    { "subscriber_id", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "centre_id", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "note", SW_J_STRING, 0, 0, 4000, NULL },
    { "use_suggestion", SW_J_BOOL, 0, 0, 0, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

struct escalation {
    const struct sw_principal *who;
    int64_t now;
    long long case_id;
    json_t *casedoc, *caseentry;
    long long existing;    /* the case an earlier escalation made */
};

static int do_escalate(json_t *doc, json_t *hist, void *ud)
{
    struct escalation *e = ud;
    char when[32];

    if (json_is_integer(json_object_get(doc, "case_id"))) {
        e->existing = json_integer_value(json_object_get(doc, "case_id"));
        return SW_INVALID;
    }
    if (strcmp(json_string_value(json_object_get(doc, "status")) ?: "", "closed") == 0)
        return SW_INVALID;
    json_array_append_new(hist, sw_case_entry(e->who, e->now, "escalated", 1,
                                              json_pack("{s:{s:O}, s:{s:s, s:I}}", "before",
                                                        "status", json_object_get(doc, "status"),
                                                        "after", "status", "escalated",
                                                        "case_id", (json_int_t)e->case_id)));
    json_object_set_new(doc, "status", json_string("escalated"));
    json_object_set_new(doc, "case_id", json_integer(e->case_id));
    json_object_set_new(doc, "escalated_at", json_string(sw_iso8601(e->now, when,
                                                                    sizeof(when))));
    json_object_set_new(doc, "updated_at", json_string(when));
    return SW_OK;
}

/* The case follows from the incident's change, in steps (record.h): the case's indexes before
 * the incident's transaction, the case itself (its own slot) and the show's count after it.
 * A crash before the case is written leaves an escalated incident naming a missing case; the
 * retried escalation finds the incident escalated and writes the case then (sw_h_incident_
 * escalate, "already"). Index entries left by a transaction that lost to another escalation
 * name a case that never exists; readers skip them. */
static void escalate_moves(struct sw_cmds *c, const json_t *old, const json_t *doc, void *ud)
{
    struct escalation *e = ud;
    json_t *cd = json_deep_copy(e->casedoc), *ce = json_deep_copy(e->caseentry);

    (void)old;
    sw_case_create_cmds(c, cd, ce, e->case_id);
    sw_show_count_cmds(c, json_string_value(json_object_get(doc, "show")) ?: "", "escalated",
                       "1");
    json_decref(cd);
    json_decref(ce);
}

/* Appends label, text and a full stop, unless text already ends a sentence ("Co., Ltd.",
 * "?", "。"): a name's own stop is not doubled. */
static void sentence(struct sw_buf *b, const char *label, const char *text)
{
    size_t n = strlen(text);

    sw_buf_adds(b, label);
    sw_buf_adds(b, text);
    if (n > 0 && (strchr(".!?", text[n - 1]) != NULL ||
                  (n >= 3 && memcmp(text + n - 3, "\xE3\x80\x82", 3) == 0)))  /* 。 */
        return;
    sw_buf_adds(b, ".");
}

/* The case's description: the incident's facts as the station logged them, at most 20,000
 * bytes (cut at a character boundary). Returns a new JSON string. */
static json_t *facts(const json_t *doc, const json_t *show, const char *note)
{
    struct sw_buf b;
    const json_t *m, *measures = json_object_get(doc, "measures");
    size_t i, len;
    json_t *out;

    sw_buf_init(&b, 64 * 1024);
    sw_buf_printf(&b, "Escalated from incident #%lld at ",
                  (long long)json_integer_value(json_object_get(doc, "id")));
    sw_buf_adds(&b, str_of(show, "name", NULL));
    sw_buf_adds(&b, " (");
    sw_buf_adds(&b, str_of(show, "city", NULL));
    sw_buf_adds(&b, ", ");
    sw_buf_adds(&b, str_of(show, "starts", NULL));
    sw_buf_adds(&b, " to ");
    sw_buf_adds(&b, str_of(show, "ends", NULL));
    sentence(&b, "), booth ", json_string_value(json_object_get(doc, "booth")) ?: "-");
    sentence(&b, "\nExhibitor: ", str_of(doc, "exhibitor", "name"));
    sentence(&b, " Complainant: ", str_of(doc, "complainant", "name"));
    sentence(&b, "\nKind: ", str_of(doc, "kind", NULL));
    sentence(&b, " Received: ", str_of(doc, "received_at", NULL));
    sentence(&b, " Answer due: ", str_of(doc, "deadline", "at"));
    sw_buf_adds(&b, "\n");
    json_array_foreach(measures, i, m) {
        if (i + 1 < json_array_size(measures)) {
            sw_buf_adds(&b, i == 0 ? "Measures taken: " : "");
            sw_buf_adds(&b, json_string_value(m) ?: "");
            sw_buf_adds(&b, "; ");
        } else {
            sentence(&b, i == 0 ? "Measures taken: " : "", json_string_value(m) ?: "");
            sw_buf_adds(&b, "\n");
        }
    }
    if (json_is_string(json_object_get(doc, "notes"))) {
        sw_buf_adds(&b, "Station notes: ");
        sw_buf_adds(&b, json_string_value(json_object_get(doc, "notes")));
        sw_buf_adds(&b, "\n");
    }
    if (note != NULL) {
        sw_buf_adds(&b, "Escalation note: ");
        sw_buf_adds(&b, note);
        sw_buf_adds(&b, "\n");
    }
    len = b.len > 20000 ? 20000 : b.len;
    while (len > 0 && len < b.len && ((unsigned char)b.p[len] & 0xC0) == 0x80)
        len--;
    out = json_stringn(b.p ? b.p : "", len);
    sw_buf_free(&b);
    return out;
}

/* The incident's evidence as references the case carries: the files stay where they are,
 * and the case's evidence routes serve them to whoever reads the case (fcgi/evidence.c). */
static json_t *evidence_refs(struct sw_ctx *c, long long id, long long case_id)
{
    struct sw_rec_keys k;
    json_t *hist = NULL, *out = json_array(), *e;
    char url[160];
    size_t i;

    sw_rec_keys(&k, "inc", id);
    if (sw_rec_history(c->store, &k, &hist) != SW_OK)
        return out;
    json_array_foreach(hist, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "action")) ?: "", "evidence") != 0)
            continue;
        snprintf(url, sizeof(url), "/api/v1/cases/%lld/evidence/%s", case_id,
                 json_string_value(json_object_get(e, "sha256")) ?: "");
        json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:s}", "name",
                                             json_object_get(e, "name"), "sha256",
                                             json_object_get(e, "sha256"), "size",
                                             json_object_get(e, "size"), "url", url));
    }
    json_decref(hist);
    return out;
}

/* SW_OK when subscriber sub (its document subdoc) is the accused exhibitor named exhibitor:
 * its own name, or the text or an alias of a company name in its portfolio, names one company
 * with it (sw_party_same, as repeat offenders are found). SW_NOTFOUND when none does;
 * SW_EAGAIN when the store fails. */
static int is_exhibitor(struct sw_ctx *c, long long sub, const json_t *subdoc,
                        const char *exhibitor)
{
    char want[SW_KEY_MAX];
    json_t *items = NULL, *it, *a;
    long long next;
    size_t i, j;
    int rc;

    if (sw_party_key(exhibitor, want, sizeof(want)) != SW_OK)
        return SW_NOTFOUND;
    if (sw_party_same(exhibitor, str_of(subdoc, "name", NULL), NULL))
        return SW_OK;
    rc = sw_portfolio_list(c->store, sub, 0, 0, "name", &items, &next);
    if (rc != SW_OK)
        return rc;
    rc = SW_NOTFOUND;
    json_array_foreach(items, i, it) {
        if (sw_party_same(exhibitor, str_of(it, "text", NULL), NULL))
            rc = SW_OK;
        json_array_foreach(json_object_get(it, "aliases"), j, a) {
            if (sw_party_same(exhibitor, json_string_value(a), str_of(it, "text", NULL)))
                rc = SW_OK;
        }
    }
    json_decref(items);
    return rc;
}

void sw_h_incidents_escalate(struct sw_ctx *c)
{
    struct escalation e = { .who = &c->who };
    struct sw_verrs errs;
    long long id, sub, linked, named, centre = 0;
    json_t *doc, *in, *show = NULL, *subdoc = NULL, *out = NULL, *d;
    const char *country;
    char idtxt[24], when[32], loc[64];
    int rc;

    if (sw_incident_load_visible(c, &id, &doc) != SW_OK)
        return;
    if (c->req->body_len == 0)   /* no body: the exhibitor's subscriber, the first centre */
        in = json_object();
    else if (sw_body_object(c, escalate_fields, 0, &in) != SW_OK) {
        json_decref(doc);
        return;
    }
    linked = json_integer_value(json_object_get(json_object_get(doc, "exhibitor"),
                                                "subscriber_id"));
    named = json_integer_value(json_object_get(in, "subscriber_id"));
    if (named <= 0 && linked <= 0 && json_is_true(json_object_get(in, "use_suggestion")) &&
        !json_is_integer(json_object_get(doc, "case_id"))) {
        /* The exhibitor as suggested: the matcher's recognition, else the attendee found
         * when it was logged (the single-incident view's exhibitor.suggested). */
        json_t *sg = sw_incident_suggestion(c, doc);

        named = json_integer_value(json_object_get(sg, "subscriber_id"));
        json_decref(sg);
        if (named <= 0) {
            sw_reply_problem(c, 409, "no-suggestion", "No suggestion",
                             json_pack("[{s:s, s:s}]", "pointer", "/use_suggestion", "message",
                                       sw_tr(c->lang, "the exhibitor has no suggested "
                                                      "subscriber")),
                             "no attendee or subscriber was recognised as the exhibitor; pick "
                             "one from GET /api/v1/shows/%s/attendees and give its "
                             "subscriber_id", str_of(doc, "show", NULL));
            json_decref(in);
            json_decref(doc);
            return;
        }
    }
    sub = linked > 0 ? linked : named;
    if (json_is_integer(json_object_get(doc, "case_id"))) {
        json_t *had = NULL;

        e.existing = json_integer_value(json_object_get(doc, "case_id"));
        rc = sw_case_get(c->store, e.existing, &had);
        json_decref(had);
        if (rc != SW_NOTFOUND)
            goto already;
        /* Escalated, but its case was not written (escalate_moves): the case is made below
         * as before, and written under that id at "already". */
    }
    sw_verrs_init(&errs);
    if (linked > 0 && named > 0 && named != linked)
        sw_verrs_add(&errs, "/subscriber_id", "the accused exhibitor is linked to subscriber "
                     "%lld, whose case it is (the link is the incident's "
                     "exhibitor.subscriber_id)", linked);
    rc = sw_show_get(c->store, json_string_value(json_object_get(doc, "show")), &show);
    if (rc == SW_OK && sub > 0) {
        rc = sw_doc_get(c->store, &sw_kind_subscriber, sub, &subdoc);
        if (rc == SW_NOTFOUND) {
            sw_verrs_add(&errs, "/subscriber_id", "no such subscriber");
            sw_reply_state_dependent(c);
            rc = SW_OK;
        }
    }
    if (rc == SW_OK && c->who.role == SW_ROLE_TRIAGER) {
        /* A triager's escalation goes to the triager's own centre. */
        centre = c->who.centre;
        if (json_is_integer(json_object_get(in, "centre_id")) &&
            json_integer_value(json_object_get(in, "centre_id")) != centre)
            sw_verrs_add(&errs, "/centre_id", "a triager escalates to their own centre (%lld)",
                         centre);
    } else if (rc == SW_OK) {
        rc = sw_case_choose_centre(c, in, &centre, &errs);
    }
    if (rc == SW_NOTFOUND) {
        sw_verrs_free(&errs);
        sw_reply_problem(c, 409, "no-centre", "No assistance centre", NULL,
                         "no assistance centre is set up to take cases yet");
        goto done;
    }
    if (rc != SW_OK) {
        sw_verrs_free(&errs);
        sw_reply_store(c, rc, "preparing the case");
        goto done;
    }
    if (sw_reply_if_invalid(c, &errs) != SW_OK)
        goto done;
    if (sub <= 0) {
        sw_reply_problem(c, 409, "exhibitor-not-subscriber", "Whose case?",
                         json_pack("[{s:s, s:s}]", "pointer", "/subscriber_id", "message",
                                   sw_tr(c->lang, "give the subscriber the case is for")),
                         "the accused exhibitor is not linked to a Seawall subscriber; give "
                         "subscriber_id of the exporter the case is opened for");
        goto done;
    }
    /* The case tells its exporter the incident's facts: only the accused exhibitor's own
     * subscriber may receive it, unless an admin links it. */
    if (c->who.role != SW_ROLE_ADMIN) {
        rc = is_exhibitor(c, sub, subdoc, str_of(doc, "exhibitor", "name"));
        if (rc == SW_NOTFOUND) {
            sw_reply_problem(c, 409, "subscriber-not-exhibitor", "Not the accused exhibitor",
                             linked > 0 ? json_pack("[{s:s, s:s}]", "pointer",
                                                    "/exhibitor/subscriber_id", "message",
                                                    "is not the accused exhibitor")
                                        : json_pack("[{s:s, s:s}]", "pointer",
                                                    "/subscriber_id", "message",
                                                    "is not the accused exhibitor"),
                             "subscriber %lld (\"%.200s\") is not the accused exhibitor "
                             "\"%.200s\": neither its name nor a company name in its portfolio "
                             "is the exhibitor's; an admin may link it", sub,
                             str_of(subdoc, "name", NULL), str_of(doc, "exhibitor", "name"));
            goto done;
        }
        if (rc != SW_OK) {
            sw_reply_store(c, rc, "reading the subscriber's company names");
            goto done;
        }
    }
    country = json_string_value(json_object_get(show, "country"));
    if (country == NULL)
        country = json_string_value(json_object_get(json_object_get(doc, "exhibitor"),
                                                    "country"));
    if (country == NULL) {
        sw_reply_problem(c, 409, "country-unknown", "Country unknown", NULL,
                         "the show has no country (set it with PATCH /api/v1/shows/%s) and the "
                         "exhibitor none either; a case needs the country of the dispute",
                         json_string_value(json_object_get(doc, "show")) ?: "");
        goto done;
    }
    e.now = sw_cases_now(c);
    if (sw_case_new_id(c->store, &e.case_id) != SW_OK) {
        sw_reply_store(c, SW_EAGAIN, "numbering the case");
        goto done;
    }
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    d = json_deep_copy(json_object_get(doc, "deadline"));
    json_object_del(d, "status");
    json_object_set_new(d, "manual", json_false());
    e.casedoc = json_pack("{s:s, s:s, s:O, s:s, s:O, s:s, s:O, s:o, s:[s], s:I, s:I, s:I, s:n, "
                          "s:n, s:o, s:o}",
                          "type", "show_complaint", "country", country, "forum",
                          json_object_get(show, "name"), "proceeding", "", "opposing_party",
                          json_object_get(json_object_get(doc, "complainant"), "name"),
                          "own_role", "exhibitor", "served_at",
                          json_object_get(doc, "received_at"), "description",
                          facts(doc, show, json_string_value(json_object_get(in, "note"))),
                          "incidents", idtxt, "subscriber_id", (json_int_t)sub, "centre_id",
                          (json_int_t)centre, "from_incident", (json_int_t)id, "assignee",
                          "priority_override", "deadline", d, "evidence_refs",
                          evidence_refs(c, id, e.case_id));
    if (e.casedoc == NULL) {
        sw_reply_store(c, SW_ERR, "preparing the case");
        goto done;
    }
    if (json_array_size(json_object_get(doc, "rights")) > 0)
        json_object_set(e.casedoc, "rights", json_object_get(doc, "rights"));
    json_object_set_new(e.casedoc, "created_at", json_string(sw_iso8601(e.now, when,
                                                                        sizeof(when))));
    json_object_set_new(e.casedoc, "updated_at", json_string(when));
    sw_case_set_state(e.casedoc, "submitted", 0, e.now);
    e.caseentry = sw_case_entry(&c->who, e.now, "created", 1,
                                json_pack("{s:{s:s}, s:I}", "after", "state", "submitted",
                                          "from_incident", (json_int_t)id));
    rc = sw_incident_update(c->store, id, sw_config_int(c->cfg, "shows.incident_history_max"),
                            do_escalate, escalate_moves, &e, &out);
    if (rc == SW_OK && sw_case_durable(c->store, e.case_id) != SW_OK)
        rc = SW_EAGAIN;
    if (rc == SW_INVALID && e.existing > 0)
        goto already;
    if (rc == SW_INVALID) {
        sw_reply_problem(c, 409, "incident-locked", "Incident cannot change", NULL,
                         "the incident is closed; it cannot be escalated");
    } else if (rc != SW_OK) {
        sw_reply_store(c, rc, "escalating the incident");
    } else {
        json_object_set_new(e.casedoc, "id", json_integer(e.case_id));
        json_object_set_new(e.casedoc, "history_len", json_integer(1));
        sw_case_notice(c, e.casedoc, "incident",
                       SW_N("A service station opened this case from an incident at a trade "
                            "show where your company was accused; the assistance centre will "
                            "contact you."),
                       1, "high");
        snprintf(loc, sizeof(loc), "/api/v1/cases/%lld", e.case_id);
        sw_reply_header(c, "Location", loc);
        sw_reply_json(c, 201, json_pack("{s:o, s:{s:I, s:s, s:s}, s:b}", "incident",
                                        full_view(c, out), "case", "id",
                                        (json_int_t)e.case_id, "url", loc, "state",
                                        "submitted", "created", 1));
    }
    goto done;
already:
    /* A retried escalation answers with the case the first one made, writing it first when
     * the first one ended between the incident's change and the case (escalate_moves). */
    json_decref(out);
    out = NULL;
    rc = sw_case_get(c->store, e.existing, &out);
    json_decref(out);
    out = NULL;
    if (rc == SW_NOTFOUND && e.casedoc != NULL && e.caseentry != NULL) {
        json_object_set_new(e.casedoc, "evidence_refs", evidence_refs(c, id, e.existing));
        rc = sw_case_create_as(c->store, e.casedoc, e.caseentry, e.existing);
    } else if (rc == SW_NOTFOUND) {
        rc = SW_EAGAIN;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "writing the escalated case");
        goto done;
    }
    out = load_one(c, id);
    snprintf(loc, sizeof(loc), "/api/v1/cases/%lld", e.existing);
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 200, json_pack("{s:o, s:{s:I, s:s}, s:b}", "incident",
                                    out ? full_view(c, out) : json_null(), "case", "id",
                                    (json_int_t)e.existing, "url", loc, "created", 0));
done:
    json_decref(e.casedoc);
    json_decref(e.caseentry);
    json_decref(out);
    json_decref(subdoc);
    json_decref(show);
    json_decref(in);
    json_decref(doc);
}

/* --- export -------------------------------------------------------------------------------- */

/* "trademark 123; patent US1" */
static void join_list(struct sw_buf *b, const json_t *list, int rights)
{
    const json_t *m;
    size_t i;

    json_array_foreach(list, i, m) {
        if (i > 0)
            sw_buf_adds(b, "; ");
        if (rights) {
            sw_buf_adds(b, str_of(m, "type", NULL));
            sw_buf_adds(b, " ");
            sw_buf_adds(b, str_of(m, "number", NULL));
        } else {
            sw_buf_adds(b, json_string_value(m) ?: "");
        }
    }
}

static const char *const csv_cols[] = { "id", "received_at", "booth", "kind", "status",
                                        "exhibitor", "exhibitor_country", "complainant",
                                        "complainant_country", "rights", "measures",
                                        "answer_due", "deadline_status", "answered_at",
                                        "case_id", "evidence_files", "notes", "hall",
                                        "product_category", "server_received_at", NULL };

#define CSV_COLS (SW_ARRAY_LEN(csv_cols) - 1)

/* One row's cells, in csv_cols order. */
static void row_cells(const json_t *v, char cells[][64], const char **vals, struct sw_buf *rights,
                      struct sw_buf *measures)
{
    snprintf(cells[0], 64, "%lld", (long long)json_integer_value(json_object_get(v, "id")));
    snprintf(cells[1], 64, "%lld",
             (long long)json_integer_value(json_object_get(v, "evidence_count")));
    if (json_is_integer(json_object_get(v, "case_id")))
        snprintf(cells[2], 64, "%lld",
                 (long long)json_integer_value(json_object_get(v, "case_id")));
    else
        cells[2][0] = '\0';
    sw_buf_reset(rights);
    sw_buf_reset(measures);
    join_list(rights, json_object_get(v, "rights"), 1);
    join_list(measures, json_object_get(v, "measures"), 0);
    vals[0] = cells[0];
    vals[1] = str_of(v, "received_at", NULL);
    vals[2] = str_of(v, "booth", NULL);
    vals[3] = str_of(v, "kind", NULL);
    vals[4] = str_of(v, "status", NULL);
    vals[5] = str_of(v, "exhibitor", "name");
    vals[6] = str_of(v, "exhibitor", "country");
    vals[7] = str_of(v, "complainant", "name");
    vals[8] = str_of(v, "complainant", "country");
    vals[9] = rights->p ? rights->p : "";
    vals[10] = measures->p ? measures->p : "";
    vals[11] = str_of(v, "deadline", "at");
    vals[12] = str_of(v, "deadline", "status");
    vals[13] = str_of(v, "answered_at", NULL);
    vals[14] = cells[2];
    vals[15] = cells[1];
    vals[16] = str_of(v, "notes", NULL);
    vals[17] = str_of(v, "hall", NULL);
    vals[18] = str_of(v, "product_category", NULL);
    vals[19] = str_of(v, "server_received_at", NULL);
}

/* The report's language: ?lang= en, zh-CN, de or all (the three side by side, the default:
 * an organiser's report is read by the organiser, the station and exhibitors from abroad). */
static const char *report_lang(struct sw_ctx *c, struct sw_verrs *errs)
{
    static const char *const ok[] = { "all", SW_LANG_EN, SW_LANG_ZH_CN, "de" };
    const char *lang = sw_query(c, "lang");
    size_t i;

    if (lang == NULL)
        return "all";
    for (i = 0; i < SW_ARRAY_LEN(ok); i++)
        if (strcasecmp(lang, ok[i]) == 0)
            return ok[i];
    sw_verrs_add(errs, "lang", "must be en, zh-CN, de or all (the three side by side)");
    return "all";
}

/* ?format=csv (one row per incident, times in UTC, cells safe from formula injection) or
 * ?format=html (the organiser's printable report: fcgi/report.c), of the incidents received
 * in [from, until). The export is built in a buffer whose ceiling is shows.export_bytes_max;
 * one that would pass it answers 507 export-too-large instead — never a cut or empty 200. */
void sw_h_incidents_export(struct sw_ctx *c)
{
    const char *fmt = sw_query(c, "format") ?: "csv", *from = sw_query(c, "from"),
               *until = sw_query(c, "until"), *lang;
    long long cap = sw_config_int(c->cfg, "shows.export_bytes_max");
    json_t *show, *ids = NULL, *docs = NULL, *d, *kept;
    struct sw_buf out, part, rights, measures;
    struct sw_verrs errs;
    long long next = 0;
    char cells[3][64], disp[160];
    const char *vals[CSV_COLS];
    int64_t now, from_ms = INT64_MIN, until_ms = INT64_MAX, at;
    size_t i, j, rows = 0;
    int rc, html = strcmp(fmt, "html") == 0, full = 0;

    if (sw_incident_caller_show(c, &show) != SW_OK)
        return;
    sw_verrs_init(&errs);
    if (!html && strcmp(fmt, "csv") != 0)
        sw_verrs_add(&errs, "format", "must be csv or html");
    if (from != NULL && sw_date_ms(from, &from_ms) != SW_OK)
        sw_verrs_add(&errs, "from", "must be a date or date-time (ISO 8601)");
    if (until != NULL && sw_date_ms(until, &until_ms) != SW_OK)
        sw_verrs_add(&errs, "until", "must be a date or date-time (ISO 8601)");
    lang = report_lang(c, &errs);
    if (sw_reply_params_invalid(c, &errs) != SW_OK) {
        json_decref(show);
        return;
    }
    rc = sw_show_incident_ids(c->store, sw_param(c, "show"), 0, 0,
                              sw_config_int(c->cfg, "shows.export_max"), &ids, &next);
    if (rc == SW_OK)
        rc = sw_rec_load(c->store, "inc", ids, &docs);
    json_decref(ids);
    if (rc != SW_OK) {
        json_decref(show);
        sw_reply_store(c, rc, "reading incidents");
        return;
    }
    kept = json_array();
    json_array_foreach(docs, i, d) {
        if (sw_date_ms(str_of(d, "received_at", NULL), &at) != SW_OK ||
            (at >= from_ms && at < until_ms))
            json_array_append(kept, d);
    }
    json_decref(docs);
    now = sw_cases_now(c);
    sw_buf_init(&out, (size_t)cap);
    if (html) {
        full = sw_incidents_report(c, show, kept, next != 0, lang, &out, &rows) != SW_OK;
    } else {
        sw_buf_init(&part, 4 * 1024 * 1024);
        sw_buf_init(&rights, 64 * 1024);
        sw_buf_init(&measures, 64 * 1024);
        for (j = 0; csv_cols[j] != NULL; j++)
            sw_csv_cell(&part, csv_cols[j], j == 0);
        sw_buf_adds(&part, "\r\n");
        full = sw_buf_add(&out, part.p, part.len) != SW_OK;
        json_array_foreach(kept, i, d) {
            json_t *v;

            if (full)
                break;
            v = sw_incident_view(d, now);
            row_cells(v, cells, vals, &rights, &measures);
            sw_buf_reset(&part);
            for (j = 0; csv_cols[j] != NULL; j++)
                sw_csv_cell(&part, vals[j], j == 0);
            sw_buf_adds(&part, "\r\n");
            json_decref(v);
            full = sw_buf_add(&out, part.p, part.len) != SW_OK;
            rows += !full;
        }
        sw_buf_free(&part);
        sw_buf_free(&rights);
        sw_buf_free(&measures);
    }
    if (full) {
        sw_reply_problem(c, 507, "export-too-large", "Export too large", NULL,
                         "the export of %zu incidents would pass shows.export_bytes_max (%lld "
                         "bytes) after %zu of them; narrow it with from and until (when the "
                         "incidents were received) or ask an admin to raise the limit",
                         json_array_size(kept), cap, rows);
        sw_buf_free(&out);
    } else {
        c->resp->status = 200;
        c->resp->ctype = html ? "text/html; charset=utf-8" : "text/csv; charset=utf-8";
        if (html)
            sw_reply_header(c, "Content-Language",
                            strcmp(lang, "all") == 0 ? "zh-CN, en, de" : lang);
        snprintf(disp, sizeof(disp), "%s; filename=\"incidents-%.64s.%s\"",
                 html ? "inline" : "attachment", sw_param(c, "show"), html ? "html" : "csv");
        sw_reply_header(c, "Content-Disposition", disp);
        /* The export's buffer becomes the body (its ceiling is the export's, not the one
         * every response gets); main.c frees it. */
        sw_buf_free(&c->resp->body);
        c->resp->body = out;
    }
    json_decref(kept);
    json_decref(show);
}
