/* dashboard.c — an exporter's start page in one request: alert counts by severity and status,
 * the newest critical and high alerts still new, the action windows still open (soonest to
 * close first), the open cases and their coming deadlines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/alerts.h"
#include "seawall/cases.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/message.h"
#include "seawall/store.h"
#include "api.h"

#define LATEST 5          /* critical and high alerts shown */
#define CASES_MAX 200     /* a subscriber's newest cases looked at for open ones */
#define DEADLINES 10      /* deadlines shown */
#define ACTIONS 10        /* open action windows shown */

/* The newest new alerts of severity high or critical, as summaries (sw_alert_summary): the
 * inbox's filter, so at most alerts.scan_max alerts are examined. */
static int latest(struct sw_ctx *c, json_t **out)
{
    struct sw_alert_filter f;
    json_t *ids, *alerts, *a;
    long long next;
    size_t i;
    int rc;

    memset(&f, 0, sizeof(f));
    f.severity = "critical,high";
    f.status = "new";
    rc = sw_alert_page(c->store, c->who.subject, &f, 0, LATEST,
                       (int)sw_config_int(c->cfg, "alerts.scan_max"), &ids, &next);
    if (rc != SW_OK)
        return rc;
    rc = sw_alert_load(c->store, c->who.subject, ids, &alerts);
    json_decref(ids);
    if (rc != SW_OK) {
        json_decref(alerts);
        return rc;
    }
    *out = json_array();
    json_array_foreach(alerts, i, a) {
        json_t *l = sw_msg_localise(c->lang, a), *one = sw_alert_summary(a);

        /* The title and one-line summary in the reader's language. */
        if (l != NULL && one != NULL) {
            json_object_set(one, "title", json_object_get(l, "title"));
            json_object_set(one, "summary", json_object_get(l, "summary"));
        }
        json_decref(l);
        json_array_append_new(*out, one);
    }
    json_decref(alerts);
    return SW_OK;
}

/* The alerts whose action window is still open, soonest to close first, dismissed ones left
 * out: summaries (with their action) and time_left_s, the seconds until it closes. */
static int actions(struct sw_ctx *c, json_t **out)
{
    int64_t now = sw_cases_now(c), closes;
    json_t *ids, *alerts, *a;
    size_t i;
    int rc = sw_alert_actions_open(c->store, c->who.subject, now, ACTIONS, &ids);

    if (rc != SW_OK)
        return rc;
    rc = sw_alert_load(c->store, c->who.subject, ids, &alerts);
    json_decref(ids);
    if (rc != SW_OK) {
        json_decref(alerts);
        return rc;
    }
    *out = json_array();
    json_array_foreach(alerts, i, a) {
        json_t *one = sw_alert_summary(a);
        const char *at = json_string_value(json_object_get(json_object_get(a, "action"),
                                                           "closes"));

        if (one == NULL)
            continue;
        if (at != NULL && sw_date_ms(at, &closes) == SW_OK)
            json_object_set_new(one, "time_left_s", json_integer((closes - now) / 1000));
        json_array_append_new(*out, one);
    }
    json_decref(alerts);
    return SW_OK;
}

/* A case's deadline as the dashboard shows it, or NULL when it has none with a time. */
static json_t *deadline_of(const json_t *doc, int64_t now)
{
    const json_t *dl = json_object_get(doc, "deadline"), *at = json_object_get(dl, "at_ms");
    const json_t *rule = json_object_get(dl, "rule");
    int64_t left;

    if (!json_is_integer(at))
        return NULL;
    left = json_integer_value(at) - now;
    return json_pack("{s:O, s:I, s:b, s:{s:O?, s:O?}, s:b}", "at",
                     json_object_get(dl, "at"), "time_left_s",
                     (json_int_t)(left / 1000), "overdue", left < 0, "rule", "id",
                     json_object_get(rule, "id"), "text", json_object_get(rule, "text"),
                     "manual", json_is_true(json_object_get(dl, "manual")));
}

/* Soonest first: time_left_s orders them as "at" does. */
static int by_due(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "time_left_s"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "time_left_s"));

    return x < y ? -1 : x > y;
}

/* The open cases (id, type, state, country, opposing party, whether the exporter must act,
 * deadline) and their deadlines soonest first (overdue ones too, marked). */
static int cases(struct sw_ctx *c, json_t **open, json_t **deadlines)
{
    json_t *docs, *d, *dl, **due;
    int64_t now = sw_cases_now(c);
    size_t i, n = 0;
    int rc = sw_case_open_of(c->store, c->who.subject, CASES_MAX, &docs);

    if (rc != SW_OK)
        return rc;
    *open = json_array();
    *deadlines = json_array();
    due = calloc(json_array_size(docs) + 1, sizeof(*due));
    json_array_foreach(docs, i, d) {
        const char *state = json_string_value(json_object_get(d, "state")) ?: "";
        json_t *one;

        dl = deadline_of(d, now);
        one = json_pack("{s:O, s:O?, s:O?, s:O?, s:O?, s:b, s:o}", "id",
                        json_object_get(d, "id"), "type", json_object_get(d, "type"), "state",
                        json_object_get(d, "state"), "country", json_object_get(d, "country"),
                        "opposing_party", json_object_get(d, "opposing_party"),
                        "waiting_on_you", sw_case_clock_mode(state) == 1,
                        "deadline", dl != NULL ? json_deep_copy(dl) : json_null());
        json_array_append_new(*open, one);
        if (dl != NULL && due != NULL) {
            json_object_set(dl, "case_id", json_object_get(d, "id"));
            json_object_set(dl, "case_type", json_object_get(d, "type"));
            json_object_set(dl, "case_state", json_object_get(d, "state"));
            due[n++] = dl;
        } else {
            json_decref(dl);
        }
    }
    qsort(due, n, sizeof(*due), by_due);
    for (i = 0; i < n; i++) {
        if (i < DEADLINES)
            json_array_append(*deadlines, due[i]);
        json_decref(due[i]);
    }
    free(due);
    json_decref(docs);
    return SW_OK;
}

void sw_h_dashboard(struct sw_ctx *c)
{
    json_t *counts = NULL, *news = NULL, *acts = NULL, *open = NULL, *deadlines = NULL;
    int rc = sw_alert_counts(c->store, c->who.subject, &counts);

    if (rc == SW_OK)
        rc = latest(c, &news);
    if (rc == SW_OK)
        rc = actions(c, &acts);
    if (rc == SW_OK)
        rc = cases(c, &open, &deadlines);
    if (rc != SW_OK) {
        json_decref(counts);
        json_decref(news);
        json_decref(acts);
        sw_reply_store(c, rc, "making the dashboard");
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:o, s:o, s:o, s:o, s:o}", "alerts", counts, "latest",
                                    news, "actions", acts, "open_cases", open, "deadlines",
                                    deadlines));
    sw_reply_lang(c);
}
