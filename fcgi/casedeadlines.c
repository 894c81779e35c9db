/* casedeadlines.c — a case's legal deadlines over HTTP (add one counted by a rule or set by
 * hand, complete, extend, move, remove), the deadline calendar of a centre or an exporter by
 * day and week, and each person's iCalendar feed at a secret URL. The list itself and how an
 * entry is counted live in lib/casedeadlines.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/calfeed.h"
#include "seawall/cases.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/deadlines.h"
#include "seawall/i18n.h"
#include "seawall/people.h"
#include "seawall/store.h"
#include "seawall/zone.h"
#include "api.h"

#define DAY_MS 86400000LL
#define DEADLINES_PER_CASE 50

/* The kinds of deadline as people read them (summaries, the calendar). */
static const char *kind_label(const char *kind)
{
    static const struct { const char *kind, *label; } labels[] = {
        { "answer", SW_N("Answer due") },
        { "tro_expiry", SW_N("TRO expires") },
        { "pi_hearing", SW_N("Preliminary injunction hearing") },
        { "opposition", SW_N("Opposition deadline") },
        { "counter_statement", SW_N("Answer to the opposition due") },
        { "enforcement", SW_N("Enforcement deadline") },
        { "customs_detention", SW_N("Customs detention deadline") },
        { "fair_answer", SW_N("Trade-fair complaint answer due") },
    };
    size_t i;

    for (i = 0; kind != NULL && i < SW_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].kind, kind) == 0)
            return labels[i].label;
    return SW_N("Deadline");
}

/* A 400 naming pointer, message an English msgid. */
static void bad_field(struct sw_ctx *c, const char *pointer, const char *msg)
{
    sw_reply_problem(c, 400, "validation", "Invalid request",
                     json_pack("[{s:s, s:s}]", "pointer", pointer, "message",
                               sw_tr(c->lang, msg)), "%s: %s", pointer, sw_tr(c->lang, msg));
}

/* --- one case's deadlines ------------------------------------------------------------------ */

static const struct sw_jfield add_fields[] = {
    { "rule", SW_J_STRING, 0, 1, 64, NULL },
    { "kind", SW_J_STRING, 0, 1, 32, sw_case_deadline_kinds },
    { "from_at", SW_J_STRING, 0, 1, 40, NULL },
    { "at", SW_J_STRING, 0, 1, 40, NULL },
    { "zone", SW_J_STRING, 0, 1, SW_ZONE_MAX, NULL },
    { "reason", SW_J_STRING, SW_JF_NONEMPTY, 1, 2000, NULL },
    { "note", SW_J_STRING, SW_JF_NONEMPTY, 1, 2000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static const struct sw_jfield patch_fields[] = {
    { "done", SW_J_BOOL, 0, 0, 0, NULL },
    { "extend", SW_J_BOOL, 0, 0, 0, NULL },
    { "at", SW_J_STRING, 0, 1, 40, NULL },
    { "from_at", SW_J_STRING, 0, 1, 40, NULL },
    { "reason", SW_J_STRING, SW_JF_NONEMPTY, 1, 2000, NULL },
    { "note", SW_J_STRING, SW_JF_NONEMPTY, 1, 2000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

enum { DL_ADD, DL_PATCH, DL_DELETE };

struct dl_edit {
    const struct sw_principal *who;
    int op;
    json_t *entry;           /* DL_ADD: the new entry (stolen by the edit) */
    const json_t *in;        /* DL_PATCH: the body */
    long long did;           /* DL_PATCH, DL_DELETE: the entry */
    int64_t now;
    const char *fail;        /* why it was refused: "missing", "full", "no-extension", … */
};

/* The instant a date (or date-time) given for entry e ends: a date alone is the end of that
 * day in the entry's zone. */
static int entry_when(const json_t *e, const char *text, int64_t *ms)
{
    return sw_deadline_when_in(json_string_value(json_object_get(e, "zone")) ?: "UTC", text, 1,
                               ms);
}

static void set_at(json_t *e, int64_t ms)
{
    char when[32];

    json_object_set_new(e, "at", json_string(sw_iso8601(ms, when, sizeof(when))));
    json_object_set_new(e, "at_ms", json_integer(ms));
    json_object_del(e, "note");
}

/* Applies a PATCH body to entry e of a case in country. 0 when done, else why not. */
static const char *patch_entry(json_t *e, const json_t *in, const char *country, int64_t now)
{
    const json_t *rule = sw_deadline_rule_by_id(sw_api_deadlines, json_string_value(
                             json_object_get(json_object_get(e, "rule"), "id")));
    const char *at = json_string_value(json_object_get(in, "at"));
    const char *from_at = json_string_value(json_object_get(in, "from_at"));
    const char *reason = json_string_value(json_object_get(in, "reason"));
    char when[32];
    int64_t ms;

    if (json_is_true(json_object_get(in, "extend"))) {
        const json_t *ext = json_object_get(rule, "extend");

        if (ext == NULL || !json_is_integer(json_object_get(e, "at_ms")) ||
            json_integer_value(json_object_get(e, "extensions")) >=
                json_integer_value(json_object_get(ext, "times")))
            return "no-extension";
        set_at(e, sw_deadline_due_info(sw_api_deadlines, rule, json_object_get(ext, "period"),
                                       country, json_string_value(json_object_get(e, "zone")),
                                       json_integer_value(json_object_get(e, "at_ms")), NULL));
        json_object_set_new(e, "extensions",
                            json_integer(json_integer_value(json_object_get(e, "extensions")) +
                                         1));
    }
    if (from_at != NULL) {
        json_t *fresh;

        if (rule == NULL)
            return "no-rule";
        fresh = sw_case_deadline_from_rule(sw_api_deadlines, rule, country,
                                           json_string_value(json_object_get(e, "zone")),
                                           from_at, 0);
        if (fresh == NULL || !json_is_integer(json_object_get(fresh, "at_ms"))) {
            json_decref(fresh);
            return "bad-date";
        }
        json_object_set(e, "from_at", json_object_get(fresh, "from_at"));
        json_object_set(e, "calendar", json_object_get(fresh, "calendar"));
        set_at(e, json_integer_value(json_object_get(fresh, "at_ms")));
        if (json_object_get(fresh, "note") != NULL)
            json_object_set(e, "note", json_object_get(fresh, "note"));
        json_object_set_new(e, "manual", json_false());
        json_decref(fresh);
    }
    if (at != NULL) {
        if (entry_when(e, at, &ms) != SW_OK)
            return "bad-date";
        set_at(e, ms);
        json_object_set_new(e, "manual", json_true());
    }
    if (reason != NULL)
        json_object_set_new(e, "reason", json_string(reason));
    if (json_object_get(in, "note") != NULL)
        json_object_set(e, "note", json_object_get(in, "note"));
    if (json_is_boolean(json_object_get(in, "done"))) {
        json_object_set(e, "done", json_object_get(in, "done"));
        json_object_set_new(e, "done_at", json_is_true(json_object_get(in, "done"))
                                              ? json_string(sw_iso8601(now, when, sizeof(when)))
                                              : json_null());
    }
    return NULL;
}

static int do_deadline(json_t *doc, json_t *hist, void *ud)
{
    struct dl_edit *m = ud;
    json_t *list = sw_case_deadlines(doc), *e, *before = NULL, *after = NULL;
    const char *action;
    char when[32];
    size_t index;

    m->fail = NULL;
    if (m->op == DL_ADD) {
        if (json_array_size(list) >= DEADLINES_PER_CASE) {
            m->fail = "full";
            return SW_INVALID;
        }
        after = json_deep_copy(m->entry);
        json_object_set_new(after, "id", json_integer(sw_case_deadline_next_id(doc)));
        json_object_set_new(after, "created_at", json_string(sw_iso8601(m->now, when,
                                                                        sizeof(when))));
        json_object_set_new(after, "set_by", json_pack("{s:s, s:I}", "role",
                                                       sw_role_name(m->who->role), "id",
                                                       (json_int_t)m->who->subject));
        json_array_append(list, after);
        action = "deadline_added";
    } else {
        e = sw_case_deadline_find(doc, m->did, &index);
        if (e == NULL) {
            m->fail = "missing";
            return SW_INVALID;
        }
        before = json_deep_copy(e);
        if (m->op == DL_DELETE) {
            json_array_remove(list, index);
            action = "deadline_removed";
        } else {
            m->fail = patch_entry(e, m->in, json_string_value(json_object_get(doc, "country")),
                                  m->now);
            if (m->fail != NULL) {
                json_decref(before);
                return SW_INVALID;
            }
            after = json_incref(e);
            action = "deadline_changed";
        }
    }
    sw_case_deadline_sync(doc);
    json_object_set_new(doc, "updated_at", json_string(sw_iso8601(m->now, when, sizeof(when))));
    json_array_append_new(hist, sw_case_entry(m->who, m->now, action, 1,
                                              json_pack("{s:o, s:o}", "before",
                                                        before ? before : json_null(), "after",
                                                        after ? after : json_null())));
    return SW_OK;
}

/* Runs the edit on the case of the path and answers with the case. */
static void deadline_change(struct sw_ctx *c, long long id, struct dl_edit *m, int status)
{
    json_t *out = NULL;
    int rc;

    m->who = &c->who;
    m->now = sw_cases_now(c);
    rc = sw_case_update(c->store, id, sw_config_int(c->cfg, "cases.history_max"), do_deadline,
                        m, &out);
    if (rc == SW_INVALID && m->fail != NULL && strcmp(m->fail, "missing") == 0)
        sw_reply_not_found(c);
    else if (rc == SW_INVALID && m->fail != NULL && strcmp(m->fail, "full") == 0)
        sw_reply_problem(c, 409, "too-many-deadlines", "Too many deadlines", NULL,
                         "a case holds at most %d deadlines; remove one first",
                         DEADLINES_PER_CASE);
    else if (rc == SW_INVALID && m->fail != NULL && strcmp(m->fail, "no-extension") == 0)
        sw_reply_problem(c, 409, "no-extension", "No extension left", NULL,
                         "this deadline's rule allows no (further) extension");
    else if (rc == SW_INVALID && m->fail != NULL && strcmp(m->fail, "no-rule") == 0)
        bad_field(c, "/from_at", SW_N("this deadline was set by hand: give at, not from_at"));
    else if (rc == SW_INVALID)
        bad_field(c, "/at", SW_N("must be a date or date-time (ISO 8601)"));
    else if (rc == SW_TOOBIG)
        sw_reply_problem(c, 409, "history-full", "Case history full", NULL,
                         "this case's history holds cases.history_max entries");
    else if (rc != SW_OK)
        sw_reply_store(c, rc, "changing the case's deadlines");
    else {
        sw_h_cases_get(c);   /* the case as GET /cases/{id} shows it */
        if (c->resp->status == 200)
            c->resp->status = status;
    }
    json_decref(out);
}

void sw_h_cases_deadlines_create(struct sw_ctx *c)
{
    struct dl_edit m = { .op = DL_ADD };
    const char *rule_id, *kind, *from_at, *at, *zone, *reason, *country, *side;
    const json_t *rule = NULL;
    json_t *in, *doc, *e = NULL;
    long long id;
    int64_t ms;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    if (sw_body_object(c, add_fields, 0, &in) != SW_OK) {
        json_decref(doc);
        return;
    }
    rule_id = json_string_value(json_object_get(in, "rule"));
    kind = json_string_value(json_object_get(in, "kind"));
    from_at = json_string_value(json_object_get(in, "from_at"));
    at = json_string_value(json_object_get(in, "at"));
    zone = json_string_value(json_object_get(in, "zone"));
    reason = json_string_value(json_object_get(in, "reason"));
    country = json_string_value(json_object_get(doc, "country"));
    side = sw_case_side(doc);
    if (rule_id != NULL) {
        rule = sw_deadline_rule_by_id(sw_api_deadlines, rule_id);
        if (rule == NULL) {
            bad_field(c, "/rule", SW_N("no such rule (GET /api/v1/deadline-rules lists them)"));
            goto out;
        }
        if (!sw_deadline_country_fits(sw_api_deadlines, json_object_get(rule, "countries"),
                                      country ?: "") || !sw_deadline_side_fits(rule, side)) {
            bad_field(c, "/rule", SW_N("this rule does not apply to this case's country or "
                                       "the exporter's side"));
            goto out;
        }
    } else if (kind != NULL && strcmp(kind, "other") != 0 && at == NULL) {
        rule = sw_deadline_rule_of_kind(sw_api_deadlines, kind,
                                        json_string_value(json_object_get(doc, "type")),
                                        country ?: "", side);
        if (rule == NULL) {
            bad_field(c, "/kind", SW_N("no rule of this kind applies to this case: give at "
                                       "and reason to set it by hand"));
            goto out;
        }
    }
    if (zone != NULL && !sw_zone_valid(zone)) {
        bad_field(c, "/zone", SW_N("is not a time zone this server knows (IANA name)"));
        goto out;
    }
    if (rule == NULL && at == NULL) {
        bad_field(c, "/rule", SW_N("give a rule (or kind) and from_at, or at and reason"));
        goto out;
    }
    if (at != NULL && reason == NULL) {
        bad_field(c, "/reason", SW_N("a deadline set by hand needs a reason"));
        goto out;
    }
    if (rule != NULL && at == NULL && from_at == NULL) {
        bad_field(c, "/from_at", SW_N("give the date of the event the rule counts from (the "
                                      "order's entry, service, publication, the notice or the "
                                      "hearing)"));
        goto out;
    }
    if (from_at != NULL && sw_date_ms(from_at, &ms) != SW_OK) {
        bad_field(c, "/from_at", SW_N("must be a date or date-time (ISO 8601)"));
        goto out;
    }
    if (rule != NULL) {
        e = sw_case_deadline_from_rule(sw_api_deadlines, rule, country ?: "", zone, from_at, 0);
    } else {
        e = sw_case_deadline_manual(kind ?: "other", zone ? zone
                                    : sw_deadline_zone(sw_api_deadlines, country), 0, reason,
                                    0);
    }
    if (e != NULL && at != NULL) {
        if (entry_when(e, at, &ms) != SW_OK) {
            bad_field(c, "/at", SW_N("must be a date or date-time (ISO 8601)"));
            goto out;
        }
        set_at(e, ms);
        json_object_set_new(e, "manual", json_true());
        json_object_set_new(e, "reason", json_string(reason));
    }
    if (e != NULL && json_object_get(in, "note") != NULL)
        json_object_set(e, "note", json_object_get(in, "note"));
    m.entry = e;
    deadline_change(c, id, &m, 201);
out:
    json_decref(e);
    json_decref(in);
    json_decref(doc);
}

/* The entry id of the path ({did}), or 0 after answering 404. */
static long long path_did(struct sw_ctx *c)
{
    long long did;

    if (sw_parse_ll(sw_param(c, "did"), 1, INT64_MAX, &did) != SW_OK) {
        sw_reply_not_found(c);
        return 0;
    }
    return did;
}

void sw_h_cases_deadlines_patch(struct sw_ctx *c)
{
    struct dl_edit m = { .op = DL_PATCH };
    json_t *in, *doc;
    long long id;
    int64_t ms;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    json_decref(doc);
    if ((m.did = path_did(c)) == 0 || sw_body_object(c, patch_fields, 1, &in) != SW_OK)
        return;
    if (json_object_size(in) == 0) {
        bad_field(c, "", SW_N("give done, extend, at, from_at, reason or note"));
    } else if ((json_object_get(in, "at") != NULL || json_is_true(json_object_get(in, "extend")))
               && json_object_get(in, "reason") == NULL) {
        bad_field(c, "/reason", SW_N("moving or extending a deadline needs a reason"));
    } else if (json_object_get(in, "at") != NULL &&
               sw_date_ms(json_string_value(json_object_get(in, "at")), &ms) != SW_OK) {
        bad_field(c, "/at", SW_N("must be a date or date-time (ISO 8601)"));
    } else if (json_object_get(in, "from_at") != NULL &&
               sw_date_ms(json_string_value(json_object_get(in, "from_at")), &ms) != SW_OK) {
        bad_field(c, "/from_at", SW_N("must be a date or date-time (ISO 8601)"));
    } else {
        m.in = in;
        deadline_change(c, id, &m, 200);
    }
    json_decref(in);
}

void sw_h_cases_deadlines_delete(struct sw_ctx *c)
{
    struct dl_edit m = { .op = DL_DELETE };
    json_t *doc;
    long long id;

    if (sw_case_load_visible(c, &id, &doc) != SW_OK)
        return;
    json_decref(doc);
    if ((m.did = path_did(c)) == 0)
        return;
    deadline_change(c, id, &m, 200);
}

/* --- the calendar ------------------------------------------------------------------------ */

/* The ISO 8601 week of a civil day ("2026-W41"). */
static void iso_week(int64_t day, char *out, size_t len)
{
    int64_t wd = ((day % 7) + 10) % 7;        /* 0 Monday .. 6 Sunday (1970-01-01: Thursday) */
    int64_t thursday = day - wd + 3;
    int y, m, d;

    sw_civil_from_days(thursday, &y, &m, &d);
    snprintf(out, len, "%04d-W%02d", y % 10000,
             (int)((thursday - sw_days_from_civil(y, 1, 1)) / 7 + 1) % 100);
}

/* The open cases whose deadlines who may see (an exporter its own, staff their centre's as
 * sw_case_visible allows; an admin those of centre, or every centre's with 0), at most max.
 * SW_OK with *docs, or SW_EAGAIN. */
static int calendar_cases(struct sw_ctx *c, long long centre, json_t **docs)
{
    long long max = sw_config_int(c->cfg, "cases.queue_max"), next, owner = 0;
    enum sw_case_list list = SW_CASES_ALL;
    json_t *all, *ids, *d;
    size_t i;
    int rc;

    *docs = NULL;
    if (c->who.role == SW_ROLE_EXPORTER)
        return sw_case_open_of(c->store, c->who.subject, max, docs);
    if (c->who.role != SW_ROLE_ADMIN || centre != 0) {
        list = SW_CASES_OPEN_OF_CENTRE;
        owner = c->who.role == SW_ROLE_ADMIN ? centre : c->who.centre;
    }
    rc = sw_case_ids(c->store, list, owner, 0, 0, max, &ids, &next);
    if (rc != SW_OK)
        return rc;
    rc = sw_case_load_in(c->store, list, owner, ids, &all);
    json_decref(ids);
    if (rc != SW_OK)
        return rc;
    *docs = json_array();
    json_array_foreach(all, i, d)
        if (sw_case_visible(c, d) &&
            sw_case_clock_mode(json_string_value(json_object_get(d, "state")) ?: "closed") != 2)
            json_array_append(*docs, d);
    json_decref(all);
    return SW_OK;
}

/* Every open deadline of docs ending within [from, until), as calendar items, earliest
 * first. */
static json_t *calendar_items(const json_t *docs, int64_t from, int64_t until)
{
    json_t *items = json_array(), *d, *e;
    size_t i, j;

    json_array_foreach(docs, i, d) {
        json_t *doc = (json_t *)d;

        json_array_foreach(sw_case_deadlines(doc), j, e) {
            const json_t *at = json_object_get(e, "at_ms");
            const char *zone = json_string_value(json_object_get(e, "zone")) ?: "UTC";
            int64_t day;
            char date[16];
            int y, m, dd;

            if (json_is_true(json_object_get(e, "done")) || !json_is_integer(at) ||
                json_integer_value(at) < from || json_integer_value(at) >= until)
                continue;
            if (sw_zone_day(zone, json_integer_value(at), &day) != SW_OK)
                day = json_integer_value(at) / DAY_MS;
            sw_civil_from_days(day, &y, &m, &dd);
            snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, dd);
            json_array_append_new(items, json_pack(
                "{s:O, s:O, s:O, s:O?, s:O, s:I, s:s, s:s, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}",
                "case_id", json_object_get(d, "id"), "deadline_id", json_object_get(e, "id"),
                "kind", json_object_get(e, "kind"), "rule", json_object_get(e, "rule"),
                "at", json_object_get(e, "at"), "at_ms", (json_int_t)json_integer_value(at),
                "zone", zone, "date", date, "source", json_object_get(e, "source"),
                "forum", json_object_get(d, "forum"), "country", json_object_get(d, "country"),
                "opposing_party", json_object_get(d, "opposing_party"), "state",
                json_object_get(d, "state"), "manual", json_object_get(e, "manual")));
            if (json_is_integer(json_object_get(e, "remind_days")))
                json_object_set(json_array_get(items, json_array_size(items) - 1),
                                "remind_days", json_object_get(e, "remind_days"));
        }
    }
    return items;
}

static int by_at(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(const json_t *const *)a, "at_ms"));
    json_int_t y = json_integer_value(json_object_get(*(const json_t *const *)b, "at_ms"));

    return x < y ? -1 : x > y;
}

/* items sorted by instant, in place. */
static void sort_items(json_t *items)
{
    size_t n = json_array_size(items), i;
    json_t **v = calloc(n + 1, sizeof(*v));

    if (v == NULL)
        return;
    for (i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(items, i));
    qsort(v, n, sizeof(*v), by_at);
    json_array_clear(items);
    for (i = 0; i < n; i++)
        json_array_append_new(items, v[i]);
    free(v);
}

/* GET /deadlines?from=&until=: the deadlines by day (the forum's local date) and ISO week. */
void sw_h_deadlines_list(struct sw_ctx *c)
{
    const char *from = sw_query(c, "from"), *until = sw_query(c, "until");
    struct sw_verrs errs;
    int64_t now = sw_cases_now(c), f = now - 7 * DAY_MS, u = now + 60 * DAY_MS;
    long long centre = 0;
    json_t *docs, *items, *days, *weeks, *it, *day = NULL;
    size_t i;
    int rc;

    sw_verrs_init(&errs);
    if (from != NULL && sw_date_ms(from, &f) != SW_OK)
        sw_verrs_add(&errs, "from", "must be a date or date-time (ISO 8601)");
    if (until != NULL && sw_date_ms(until, &u) != SW_OK)
        sw_verrs_add(&errs, "until", "must be a date or date-time (ISO 8601)");
    else if (u <= f)
        sw_verrs_add(&errs, "until", "must be later than from");
    else if (u - f > 400 * DAY_MS)
        sw_verrs_add(&errs, "until", "a calendar spans at most 400 days");
    if (sw_query(c, "centre") != NULL &&
        sw_parse_ll(sw_query(c, "centre"), 1, INT64_MAX, &centre) != SW_OK)
        sw_verrs_add(&errs, "centre", "must be a centre id");
    if (sw_reply_params_invalid(c, &errs) != SW_OK)
        return;
    rc = calendar_cases(c, centre, &docs);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading cases");
        return;
    }
    items = calendar_items(docs, f, u);
    json_decref(docs);
    sort_items(items);
    days = json_array();
    weeks = json_object();
    json_array_foreach(items, i, it) {
        const char *date = json_string_value(json_object_get(it, "date"));
        int y, m, d;
        char week[16];

        if (day == NULL || strcmp(json_string_value(json_object_get(day, "date")), date) != 0) {
            int64_t n;

            sscanf(date, "%4d-%2d-%2d", &y, &m, &d);
            n = sw_days_from_civil(y, m, d);
            iso_week(n, week, sizeof(week));
            day = json_pack("{s:s, s:s, s:[]}", "date", date, "week", week, "items");
            json_array_append_new(days, day);
        }
        sw_strlcpy(week, json_string_value(json_object_get(day, "week")), sizeof(week));
        json_object_set_new(weeks, week, json_integer(json_integer_value(json_object_get(weeks,
                                                                                  week)) + 1));
        json_array_append(json_object_get(day, "items"), it);
    }
    json_decref(items);
    {
        char fa[32], ua[32];

        sw_reply_json(c, 200, json_pack("{s:s, s:s, s:o, s:o}", "from",
                                        sw_iso8601(f, fa, sizeof(fa)), "until",
                                        sw_iso8601(u, ua, sizeof(ua)), "days", days, "weeks",
                                        weeks));
    }
}

/* --- the iCalendar feed ------------------------------------------------------------------ */

void sw_h_calendar_url_get(struct sw_ctx *c)
{
    json_t *out;

    if (sw_need_person(c) != SW_OK)
        return;
    if (sw_calfeed_token_status(c->store, c->who.person, &out) != SW_OK) {
        sw_reply_store(c, SW_EAGAIN, "reading the calendar feed");
        return;
    }
    sw_reply_json(c, 200, out);
}

void sw_h_calendar_url_create(struct sw_ctx *c)
{
    char token[SW_CALFEED_TOKEN_MAX], origin[256], url[400], path[128];
    int rc;

    if (sw_need_person(c) != SW_OK)
        return;
    rc = sw_calfeed_token_new(c->store, c->who.person, sw_cases_now(c), token);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "making the calendar feed");
        return;
    }
    sw_portal_origin(c, origin, sizeof(origin));
    snprintf(path, sizeof(path), "/api/v1/calendar/%s.ics", token);
    snprintf(url, sizeof(url), "%s%s", origin, path);
    sw_reply_header(c, "Cache-Control", "no-store");
    sw_reply_json(c, 201, json_pack("{s:s, s:s, s:b}", "url", url, "path", path, "active", 1));
}

void sw_h_calendar_url_delete(struct sw_ctx *c)
{
    int rc;

    if (sw_need_person(c) != SW_OK)
        return;
    rc = sw_calfeed_token_revoke(c->store, c->who.person);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "ending the calendar feed");
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:b}", "active", 0));
}

/* GET /calendar/{file}: the deadlines of the person whose secret the file names, as
 * iCalendar. No session: the URL is the secret. Deadlines from 30 days ago to 400 days
 * ahead, each VEVENT at its instant (the last second of the forum's day), in the person's
 * language. */
void sw_h_calendar_feed(struct sw_ctx *c)
{
    const char *file = sw_param(c, "file");
    char token[SW_CALFEED_TOKEN_MAX], origin[256], uid[96], url[400], summary[512];
    size_t n = strlen(file), i;
    long long person;
    json_t *pdoc = NULL, *docs = NULL, *items, *events, *it;
    const char *lang;
    struct sw_buf desc;
    char *text;
    int64_t now;
    int rc;

    if (n < 5 || n - 4 >= sizeof(token) || strcmp(file + n - 4, ".ics") != 0) {
        sw_reply_not_found(c);
        return;
    }
    memcpy(token, file, n - 4);
    token[n - 4] = '\0';
    rc = sw_calfeed_token_person(c->store, token, &person);
    if (rc == SW_OK)
        rc = sw_person_get(c->store, person, &pdoc);
    if (rc == SW_OK && (sw_role_parse(json_string_value(json_object_get(pdoc, "role")) ?: "",
                                      &c->who.role) != SW_OK ||
                        json_is_true(json_object_get(pdoc, "disabled"))))
        rc = SW_NOTFOUND;
    if (rc != SW_OK) {
        json_decref(pdoc);
        sw_reply_store(c, rc, "reading the calendar feed");
        return;
    }
    c->who.subject = json_integer_value(json_object_get(pdoc, "subject"));
    c->who.centre = json_integer_value(json_object_get(pdoc, "centre"));
    c->who.person = person;
    lang = sw_lang_canonical(json_string_value(json_object_get(pdoc, "lang")) ?: "en") ?: "en";
    sw_set_lang(c, lang);
    json_decref(pdoc);
    now = sw_cases_now(c);
    rc = c->who.role == SW_ROLE_STATION ? SW_OK : calendar_cases(c, 0, &docs);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading cases");
        return;
    }
    items = calendar_items(docs, now - 30 * DAY_MS, now + 400 * DAY_MS);
    json_decref(docs);
    sort_items(items);
    sw_portal_origin(c, origin, sizeof(origin));
    events = json_array();
    sw_buf_init(&desc, 16384);
    json_array_foreach(items, i, it) {
        const json_t *rule = json_object_get(it, "rule");
        const char *rtext = json_string_value(json_object_get(rule, "text"));
        const char *src = json_string_value(json_object_get(it, "source"));
        long long cid = json_integer_value(json_object_get(it, "case_id"));

        snprintf(uid, sizeof(uid), "case-%lld-deadline-%lld@seawall", cid,
                 (long long)json_integer_value(json_object_get(it, "deadline_id")));
        snprintf(url, sizeof(url), "%s/app/cases/%lld", origin, cid);
        /* TRANSLATORS: a calendar entry's title: what is due, the case number, the other
           side. */
        snprintf(summary, sizeof(summary), sw_tr(lang, "%s: case #%lld, %s"),
                 sw_tr(lang, kind_label(json_string_value(json_object_get(it, "kind")))), cid,
                 json_string_value(json_object_get(it, "opposing_party")) ?: "");
        sw_buf_reset(&desc);
        if (rtext != NULL)
            sw_buf_printf(&desc, "%s\n", sw_tr(lang, rtext));
        if (src != NULL)
            sw_buf_printf(&desc, sw_tr(lang, "Source: %s\n"), src);
        sw_buf_printf(&desc, sw_tr(lang, "Ends %s (the end of the day in %s)\n"),
                      json_string_value(json_object_get(it, "at")),
                      json_string_value(json_object_get(it, "zone")));
        if (json_string_value(json_object_get(it, "forum")) != NULL)
            sw_buf_printf(&desc, sw_tr(lang, "Forum: %s\n"),
                          json_string_value(json_object_get(it, "forum")));
        json_array_append_new(events, json_pack("{s:s, s:O, s:s, s:s, s:s, s:I}", "uid", uid,
                                                "at_ms", json_object_get(it, "at_ms"),
                                                "summary", summary, "description",
                                                desc.p ? desc.p : "", "url", url,
                                                "remind_days", (json_int_t)(
                                                    json_is_integer(json_object_get(it,
                                                                    "remind_days"))
                                                    ? json_integer_value(json_object_get(it,
                                                                         "remind_days"))
                                                    : 1)));
    }
    sw_buf_free(&desc);
    json_decref(items);
    text = sw_calfeed_render(events, sw_tr(lang, "Seawall case deadlines"), now);
    json_decref(events);
    if (text == NULL) {
        sw_reply_store(c, SW_ERR, "writing the calendar");
        return;
    }
    sw_buf_reset(&c->resp->body);
    if (sw_buf_adds(&c->resp->body, text) != SW_OK) {
        free(text);
        sw_reply_problem(c, 413, "export-too-large", "Export too large", NULL,
                         "the calendar is larger than this server answers");
        return;
    }
    free(text);
    c->resp->status = 200;
    c->resp->ctype = "text/calendar; charset=utf-8";
    sw_reply_header(c, "Cache-Control", "private, no-cache");
    sw_reply_lang(c);
}
