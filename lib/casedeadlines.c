/* casedeadlines.c — the legal deadlines of one case: the list kept in its document
 * ("deadlines"), each counted by a rule of etc/deadlines.json from the event it names (service,
 * entry of an order, publication, a notice, a hearing) or set by hand, and "deadline", the
 * next open one, which priority, the queue and older clients read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/cases.h"
#include "seawall/date.h"
#include "seawall/i18n.h"
#include "seawall/deadlines.h"
#include "seawall/zone.h"

const char *sw_case_side(const json_t *doc)
{
    static const char *const opposers[] = { "opponent", "rights_holder", "complainant",
                                            "plaintiff", NULL };
    static const char *const opposed[] = { "applicant", "respondent", NULL };
    const char *role = json_string_value(json_object_get(doc, "own_role"));
    size_t i;

    for (i = 0; role != NULL && opposers[i] != NULL; i++)
        if (strcmp(role, opposers[i]) == 0)
            return "opposer";
    for (i = 0; role != NULL && opposed[i] != NULL; i++)
        if (strcmp(role, opposed[i]) == 0)
            return "opposed";
    return NULL;
}

/* The part of a rule a deadline carries: what it says and where it comes from. */
static json_t *rule_summary(const json_t *rule)
{
    json_t *r = json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(rule, "id"), "text",
                          json_object_get(rule, "text"), "source",
                          json_object_get(rule, "source"), "from",
                          json_object_get(rule, "from"));

    if (r != NULL && json_object_get(rule, "url") != NULL)
        json_object_set(r, "url", json_object_get(rule, "url"));
    if (r != NULL && json_object_get(rule, "extend") != NULL)
        json_object_set(r, "extension", json_object_get(json_object_get(rule, "extend"), "text"));
    return r;
}

/* Writes at/at_ms into e for instant ms. */
static void set_at(json_t *e, int64_t ms)
{
    char when[32];

    json_object_set_new(e, "at", json_string(sw_iso8601(ms, when, sizeof(when))));
    json_object_set_new(e, "at_ms", json_integer(ms));
}

json_t *sw_case_deadline_from_rule(const struct sw_deadlines *d, const json_t *rule,
                                   const char *country, const char *zone, const char *from_at,
                                   long long id)
{
    struct sw_due_info info;
    const char *z = zone != NULL ? zone : sw_deadline_rule_zone(d, rule, country);
    json_t *e;
    int64_t from, due;

    e = json_pack("{s:I, s:O, s:o, s:O, s:s?, s:O, s:b, s:n, s:b, s:n, s:i}", "id",
                  (json_int_t)id, "kind", json_object_get(rule, "kind"), "rule",
                  rule_summary(rule), "from", json_object_get(rule, "from"), "from_at",
                  from_at, "source", json_object_get(rule, "source"), "manual", 0, "reason",
                  "done", 0, "done_at", "extensions", 0);
    if (e == NULL)
        return NULL;
    if (json_object_get(rule, "remind_days") != NULL)
        json_object_set(e, "remind_days", json_object_get(rule, "remind_days"));
    if (from_at == NULL || sw_deadline_when_in(z, from_at, 0, &from) != SW_OK) {
        const char *ev = json_string_value(json_object_get(rule, "from"));

        json_object_set_new(e, "from_at", json_null());
        json_object_set_new(e, "at", json_null());
        json_object_set_new(e, "zone", json_string(z));
        json_object_set_new(e, "note", json_string(
            strcmp(ev, "entered") == 0 ? SW_N("record the date the order was entered to "
                                              "compute when it expires")
            : strcmp(ev, "hearing") == 0 ? SW_N("record the hearing date")
            : SW_N("give served_at to compute the deadline")));
        return e;
    }
    due = sw_deadline_due_info(d, rule, NULL, country, z, from, &info);
    set_at(e, due);
    json_object_set_new(e, "zone", json_string(info.zone));
    json_object_set_new(e, "calendar", json_pack("{s:s, s:b, s:b}", "name", info.calendar,
                                                 "covered", info.covered, "counted",
                                                 info.counted));
    if (!info.covered)
        json_object_set_new(e, "note", json_string(SW_N("the calendar lists no holidays for "
                                                        "that year: only weekends were "
                                                        "skipped")));
    return e;
}

json_t *sw_case_deadline_manual(const char *kind, const char *zone, int64_t at_ms,
                                const char *reason, long long id)
{
    json_t *e = json_pack("{s:I, s:s, s:n, s:n, s:n, s:s?, s:n, s:b, s:s, s:b, s:n, s:i}",
                          "id", (json_int_t)id, "kind", kind, "rule", "from", "from_at",
                          "zone", zone, "source", "manual", 1, "reason", reason, "done", 0,
                          "done_at", "extensions", 0);

    if (e != NULL)
        set_at(e, at_ms);
    return e;
}

json_t *sw_case_deadline_intake(const struct sw_deadlines *d, const json_t *doc)
{
    const char *type = json_string_value(json_object_get(doc, "type"));
    const char *country = json_string_value(json_object_get(doc, "country"));
    const char *proc = json_string_value(json_object_get(doc, "proceeding")) ?: "";
    const char *side = sw_case_side(doc), *ev;
    const json_t *r, *p;
    size_t i, j;

    if (d == NULL || type == NULL || country == NULL)
        return NULL;
    json_array_foreach(json_object_get(sw_deadlines_doc(d), "rules"), i, r) {
        const char *rt = json_string_value(json_object_get(r, "type"));

        if ((strcmp(rt, type) != 0 && strcmp(rt, "*") != 0) ||
            !sw_deadline_country_fits(d, json_object_get(r, "countries"), country) ||
            !sw_deadline_side_fits(r, side))
            continue;
        json_array_foreach(json_object_get(r, "proceedings"), j, p) {
            if (strcmp(json_string_value(p), proc) != 0)
                continue;
            /* served_at is the date of service, publication or notice the exporter gives;
             * an order's entry and a hearing are dates staff record. */
            ev = json_string_value(json_object_get(r, "from"));
            return sw_case_deadline_from_rule(d, r, country, NULL,
                                              strcmp(ev, "entered") == 0 ||
                                              strcmp(ev, "hearing") == 0 ? NULL :
                                              json_string_value(json_object_get(doc,
                                                                                "served_at")),
                                              1);
        }
    }
    return NULL;
}

json_t *sw_case_deadlines(json_t *doc)
{
    json_t *list = json_object_get(doc, "deadlines"), *old;

    if (json_is_array(list))
        return list;
    /* A case stored before it had a list: its one deadline becomes the first entry. */
    list = json_array();
    old = json_object_get(doc, "deadline");
    if (json_is_object(old)) {
        json_t *e = json_deep_copy(old);
        const json_t *rule = json_object_get(old, "rule");

        json_object_del(e, "time_left_s");
        json_object_del(e, "overdue");
        json_object_set_new(e, "id", json_integer(1));
        if (json_object_get(e, "kind") == NULL)
            json_object_set_new(e, "kind", json_string("other"));
        json_object_set(e, "from", json_is_object(rule) ? json_object_get(rule, "from")
                                                        : json_null());
        json_object_set(e, "source", json_is_object(rule) ? json_object_get(rule, "source")
                                                          : json_null());
        json_object_set_new(e, "done", json_false());
        json_object_set_new(e, "extensions", json_integer(0));
        json_array_append_new(list, e);
        json_object_set_new(doc, "deadline_seq", json_integer(1));
    }
    json_object_set_new(doc, "deadlines", list);
    return list;
}

long long sw_case_deadline_next_id(json_t *doc)
{
    long long n = json_integer_value(json_object_get(doc, "deadline_seq")) + 1;

    json_object_set_new(doc, "deadline_seq", json_integer(n));
    return n;
}

json_t *sw_case_deadline_find(json_t *doc, long long id, size_t *index)
{
    json_t *list = sw_case_deadlines(doc), *e;
    size_t i;

    json_array_foreach(list, i, e) {
        if (json_integer_value(json_object_get(e, "id")) == id) {
            if (index != NULL)
                *index = i;
            return e;
        }
    }
    return NULL;
}

const json_t *sw_case_deadline_next(const json_t *doc)
{
    const json_t *list = json_object_get(doc, "deadlines"), *e, *best = NULL, *undated = NULL;
    size_t i;

    json_array_foreach(list, i, e) {
        const json_t *at = json_object_get(e, "at_ms");

        if (json_is_true(json_object_get(e, "done")))
            continue;
        if (!json_is_integer(at)) {
            if (undated == NULL)
                undated = e;
            continue;
        }
        if (best == NULL || json_integer_value(at) <
                                json_integer_value(json_object_get(best, "at_ms")))
            best = e;
    }
    return best != NULL ? best : undated;
}

void sw_case_deadline_sync(json_t *doc)
{
    const json_t *next;

    sw_case_deadlines(doc);
    next = sw_case_deadline_next(doc);
    json_object_set_new(doc, "deadline", next != NULL ? json_deep_copy(next) : json_null());
}
