/* shows.c — trade shows over HTTP: admins create and edit them or import an iCalendar file;
 * anyone may list the upcoming ones, each with its record of incidents at earlier editions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/feed.h"
#include "seawall/i18n.h"
#include "seawall/shows.h"
#include "seawall/store.h"
#include "seawall/zone.h"
#include "api.h"

#define DAY_MS 86400000LL
#define EDITIONS_MAX 10

/* One show's counts: {incidents, escalated, by_kind{}}. */
static json_t *stats_of(struct sw_ctx *c, const char *id)
{
    return sw_show_counts(c->store, id);
}

/* The incident record of the show's earlier editions (same series, starting before it),
 * newest first. */
static json_t *record_of(struct sw_ctx *c, const json_t *doc)
{
    const char *series = json_string_value(json_object_get(doc, "series"));
    const char *starts = json_string_value(json_object_get(doc, "starts"));
    json_t *eds = json_array(), *docs = NULL, *ed;
    json_int_t total = 0;
    int64_t ms = 0;
    size_t i;

    if (series == NULL || sw_date_ms(starts ?: "", &ms) != SW_OK)
        return json_pack("{s:o, s:i}", "editions", eds, "incidents", 0);
    if (sw_series_shows_before(c->store, series, (long long)(ms / DAY_MS), EDITIONS_MAX,
                               &docs) != SW_OK)
        docs = json_array();
    json_array_foreach(docs, i, ed) {
        const char *sid = json_string_value(json_object_get(ed, "id"));
        json_t *st;

        if (sid == NULL)
            continue;
        st = stats_of(c, sid);
        total += json_integer_value(json_object_get(st, "incidents"));
        json_object_set(st, "show", json_object_get(ed, "id"));
        json_object_set(st, "name", json_object_get(ed, "name"));
        json_object_set(st, "starts", json_object_get(ed, "starts"));
        json_array_append_new(eds, st);
    }
    json_decref(docs);
    return json_pack("{s:o, s:I}", "editions", eds, "incidents", total);
}

/* The show's on-site station as the public may see it ({id, name}), or NULL when the show
 * names none or it cannot be read. */
static json_t *station_of(struct sw_ctx *c, const json_t *doc)
{
    json_t *id = json_object_get(doc, "station_id"), *st = NULL, *v;

    if (!json_is_integer(id) ||
        sw_doc_get(c->store, &sw_kind_station, json_integer_value(id), &st) != SW_OK)
        return NULL;
    v = json_pack("{s:I, s:O}", "id", (json_int_t)json_integer_value(id), "name",
                  json_object_get(st, "name"));
    json_decref(st);
    return v;
}

static json_t *view(struct sw_ctx *c, const json_t *doc)
{
    json_t *v = json_deep_copy(doc), *st = station_of(c, doc);
    char zone[SW_ZONE_MAX + 1];
    const char *from;

    /* The zone its local times are in: its own, else its country's capital's (shows.h). */
    sw_show_zone(doc, zone, sizeof(zone), &from);
    json_object_set_new(v, "tz", json_string(zone));
    json_object_set_new(v, "tz_from", json_string(from));

    if (st != NULL)
        json_object_set_new(v, "station", st);
    json_object_set_new(v, "incidents", stats_of(c, json_string_value(json_object_get(doc,
                                                                                     "id"))));
    json_object_set_new(v, "record", record_of(c, doc));
    return v;
}

/* The station a show names must exist. */
static int station_ok(struct sw_ctx *c, const json_t *in, struct sw_verrs *errs)
{
    json_t *st = NULL;
    int rc;

    if (!json_is_integer(json_object_get(in, "station_id")))
        return SW_OK;
    rc = sw_doc_get(c->store, &sw_kind_station,
                    json_integer_value(json_object_get(in, "station_id")), &st);
    json_decref(st);
    if (rc == SW_NOTFOUND) {
        sw_verrs_add(errs, "/station_id", "no such station");
        sw_reply_state_dependent(c);   /* the station may be made next */
    }
    return rc == SW_NOTFOUND ? SW_OK : rc;
}

/* The body as an object checked against the field table, every problem in errs. */
static int show_body(struct sw_ctx *c, int partial, json_t **in, struct sw_verrs *errs)
{
    if (sw_body_parse(c, in) != SW_OK)
        return SW_INVALID;
    sw_verrs_init(errs);
    sw_json_check(*in, sw_show_fields, partial, "", errs);
    return SW_OK;
}

void sw_h_shows_create(struct sw_ctx *c)
{
    struct sw_verrs errs;
    char id[SW_SHOW_ID_MAX + 1], series[SW_SHOW_ID_MAX + 1], when[32], loc[128];
    const char *given;
    json_t *in;
    int rc, n;

    if (show_body(c, 0, &in, &errs) != SW_OK)
        return;
    sw_show_check(in, &errs);
    rc = station_ok(c, in, &errs);
    if (rc != SW_OK) {
        sw_verrs_free(&errs);
        json_decref(in);
        sw_reply_store(c, rc, "checking the station");
        return;
    }
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        return;
    }
    given = json_string_value(json_object_get(in, "id"));
    if (json_object_get(in, "series") == NULL) {
        sw_show_series(json_string_value(json_object_get(in, "name")), series, sizeof(series));
        json_object_set_new(in, "series", json_string(series));
    }
    json_object_set_new(in, "source", json_string("admin"));
    json_object_set_new(in, "created_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                 sizeof(when))));
    rc = SW_CONFLICT;
    if (given != NULL) {
        snprintf(id, sizeof(id), "%s", given);
        rc = sw_show_put(c->store, in, NULL);
    } else {
        char base[SW_SHOW_ID_MAX + 1];

        sw_show_slug(json_string_value(json_object_get(in, "name")),
                     json_string_value(json_object_get(in, "starts")), base, sizeof(base));
        for (n = 1; n <= 50 && rc == SW_CONFLICT; n++) {
            if (n == 1)
                snprintf(id, sizeof(id), "%s", base);
            else
                snprintf(id, sizeof(id), "%.58s-%d", base, n);
            json_object_set_new(in, "id", json_string(id));
            rc = sw_show_put(c->store, in, NULL);
        }
    }
    if (rc == SW_CONFLICT) {
        sw_reply_problem(c, 409, "show-exists", "Show exists",
                         json_pack("[{s:s, s:s}]", "pointer", "/id", "message",
                                   sw_tr(c->lang, "a show with this id exists; choose another")),
                         "show %s exists already", id);
    } else if (rc != SW_OK) {
        sw_reply_store(c, rc, "storing the show");
    } else {
        snprintf(loc, sizeof(loc), "/api/v1/shows/%s", id);
        sw_reply_header(c, "Location", loc);
        sw_reply_json(c, 201, view(c, in));
    }
    json_decref(in);
}

static int load_show(struct sw_ctx *c, json_t **doc)
{
    int rc = sw_show_get(c->store, sw_param(c, "show"), doc);

    if (rc != SW_OK)
        sw_reply_store(c, rc, "loading the show");
    return rc;
}

void sw_h_shows_get(struct sw_ctx *c)
{
    json_t *doc;

    if (load_show(c, &doc) != SW_OK)
        return;
    sw_reply_json(c, 200, view(c, doc));
    json_decref(doc);
}

void sw_h_shows_patch(struct sw_ctx *c)
{
    struct sw_verrs errs;
    json_t *old, *in, *doc;
    char when[32];
    int rc;

    if (load_show(c, &old) != SW_OK)
        return;
    if (show_body(c, 1, &in, &errs) != SW_OK) {
        json_decref(old);
        return;
    }
    if (json_object_get(in, "id") != NULL &&
        !json_equal(json_object_get(in, "id"), json_object_get(old, "id")))
        sw_verrs_add(&errs, "/id", "cannot be changed: exporters' portfolios and stations "
                     "name the show by it");
    doc = json_deep_copy(old);
    json_object_update(doc, in);
    json_decref(in);
    sw_show_check(doc, &errs);
    rc = station_ok(c, doc, &errs);
    if (rc != SW_OK) {
        sw_verrs_free(&errs);
        sw_reply_store(c, rc, "checking the station");
    } else if (sw_reply_if_invalid(c, &errs) == SW_OK) {
        json_object_set_new(doc, "updated_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                      sizeof(when))));
        rc = sw_show_put(c->store, doc, old);
        if (rc != SW_OK)
            sw_reply_store(c, rc, "storing the show");
        else
            sw_reply_json(c, 200, view(c, doc));
    }
    json_decref(doc);
    json_decref(old);
}

/* The zone whose today the public list starts from: UTC-12, the last place where a day is
 * still going (a fair's days are its own; on its last day, wherever it is, it is still on). */
#define LAST_ZONE "Etc/GMT+12"

/* Upcoming shows (not yet over), by the day they end: ?from= and ?until= (dates) bound the
 * end day (from: today in LAST_ZONE unless given), ?country= filters (comma list); ?cursor= is
 * how many index entries were passed. */
void sw_h_shows_list(struct sw_ctx *c)
{
    const char *from = sw_query(c, "from"), *until = sw_query(c, "until");
    const char *country = sw_query(c, "country");
    struct sw_verrs errs;
    char min[32], max[32];
    long long after, next = 0;
    int64_t ms, day;
    json_t *items, *ids = NULL, *sid;
    int limit;
    size_t i;

    if (sw_page_args(c, &after, &limit) != SW_OK)
        return;
    sw_verrs_init(&errs);
    if (sw_zone_day(LAST_ZONE, sw_now_ms(), &day) != SW_OK)
        day = sw_now_ms() / DAY_MS;
    if (from != NULL) {
        if (sw_date_ms(from, &ms) != SW_OK)
            sw_verrs_add(&errs, "from", "must be a date YYYY-MM-DD");
        else
            day = ms / DAY_MS;
    }
    snprintf(min, sizeof(min), "%lld", (long long)day);
    snprintf(max, sizeof(max), "+inf");
    if (until != NULL) {
        if (sw_date_ms(until, &ms) != SW_OK)
            sw_verrs_add(&errs, "until", "must be a date YYYY-MM-DD");
        else
            snprintf(max, sizeof(max), "%lld", (long long)(ms / DAY_MS));
    }
    if (country != NULL && !sw_list_valid(country, NULL))
        sw_verrs_add(&errs, "country", "must be country codes separated by commas");
    if (sw_reply_params_invalid(c, &errs) != SW_OK)
        return;
    if (sw_shows_ending(c->store, min, max, after, limit + 1, &ids) != SW_OK) {
        sw_reply_store(c, SW_EAGAIN, "listing shows");
        return;
    }
    items = json_array();
    json_array_foreach(ids, i, sid) {
        json_t *doc = NULL;
        const char *cc;

        if (i == (size_t)limit) {
            next = after + limit;
            break;
        }
        if (sw_show_get(c->store, json_string_value(sid), &doc) != SW_OK)
            continue;   /* an index entry of a show being created or gone (sw_show_put) */
        cc = json_string_value(json_object_get(doc, "country"));
        if (country == NULL || (cc != NULL && sw_in_list(country, cc)))
            json_array_append_new(items, view(c, doc));
        json_decref(doc);
    }
    json_decref(ids);
    sw_reply_json(c, 200, sw_page_json(items, next));
}

struct import {
    struct sw_ctx *c;
    const char *country;
    json_t *created, *updated, *unchanged, *skipped;
    int failed;
};

static int import_one(void *ud, json_t *ev)
{
    struct import *im = ud;
    char id[SW_SHOW_ID_MAX + 1];
    const char *uid = json_string_value(json_object_get(ev, "show"));
    int created = -1, rc;

    rc = sw_show_from_event(im->c->store, ev, "ical:upload", im->country, id, sizeof(id),
                            &created);
    if (rc == SW_INVALID) {
        json_array_append_new(im->skipped, json_pack("{s:s?, s:s?, s:s}", "uid", uid, "title",
                                                     json_string_value(json_object_get(ev,
                                                                                       "title")),
                                                     "reason", "the event has no start date"));
    } else if (rc != SW_OK) {
        im->failed = rc;
    } else {
        json_array_append_new(created == 1 ? im->created : created == 0 ? im->updated
                                                                        : im->unchanged,
                              json_string(id));
    }
    json_decref(ev);
    return im->failed != 0;
}

/* An iCalendar file as the body: each event (each occurrence of a recurring one) becomes a
 * show, or updates the show an earlier import made of it. */
void sw_h_shows_import(struct sw_ctx *c)
{
    struct sw_feed_opts o = { .format = SW_FEED_ICAL, .source = "ical-upload",
                              .max_events = 5000 };
    struct import im = { .c = c, .country = sw_query(c, "country") };
    struct sw_feed_result res;
    int rc;

    if (im.country != NULL && !sw_country_valid(im.country)) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "parameter", "country", "message",
                                   sw_tr(c->lang, "must be an ISO 3166 alpha-2 code")),
                         "country: not a country code");
        return;
    }
    if (c->req->body_len == 0) {
        sw_reply_problem(c, 400, "empty-body", "Empty calendar", NULL,
                         "send an iCalendar file (text/calendar) as the body");
        return;
    }
    {
        size_t bad, line = 1, i;

        if (!sw_utf8_valid(c->req->body, c->req->body_len, &bad)) {
            /* iCalendar is UTF-8 (RFC 5545 §3.1.4); a name dropped here would be a show
             * stored wrong without a word. */
            for (i = 0; i < bad; i++)
                line += c->req->body[i] == '\n';
            sw_reply_problem(c, 400, "bad-encoding", "Not UTF-8", NULL,
                             "the calendar is not UTF-8: line %zu, byte %zu; nothing was "
                             "imported", line, bad);
            return;
        }
    }
    im.created = json_array();
    im.updated = json_array();
    im.unchanged = json_array();
    im.skipped = json_array();
    rc = sw_feed_parse_buffer(c->req->body, c->req->body_len, &o, import_one, &im, &res);
    if (im.failed != 0) {
        sw_reply_store(c, im.failed, "storing shows");
    } else if (rc != SW_OK && res.events == 0) {
        sw_reply_problem(c, 400, "invalid-calendar", "Invalid calendar", NULL,
                         /* TRANSLATORS: %s is the calendar reader's own English explanation. */
                         "the calendar was refused and nothing imported: %s", res.err);
    } else {
        sw_reply_json(c, 200, json_pack("{s:I, s:o, s:o, s:o, s:o, s:b, s:s?}", "events",
                                        (json_int_t)res.events, "created", im.created,
                                        "updated", im.updated, "unchanged", im.unchanged,
                                        "skipped", im.skipped, "partial", rc != SW_OK,
                                        "warning", rc != SW_OK ? res.err : NULL));
        return;
    }
    json_decref(im.created);
    json_decref(im.updated);
    json_decref(im.unchanged);
    json_decref(im.skipped);
}
