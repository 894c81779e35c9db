/* screenings.c — risk screening (风险排查) through the API: POST /api/v1/screenings queues a
 * job for seawall-screener (seawall/screening.h), GET /api/v1/screenings lists the company's,
 * GET /api/v1/screenings/{id} shows one with its progress and, when done, its conflicts as
 * JSON or (?format=csv) CSV. The request is resolved here — the portfolio's marks and names
 * read, the markets defaulted, a fair's country added — so the job holds what it screens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
#include "seawall/country.h"
#include "seawall/normalise.h"
#include "seawall/portfolio.h"
#include "seawall/screening.h"
#include "seawall/shows.h"
#include "seawall/store.h"
#include "api.h"

#define MARK_TEXT_MAX 200
#define CSV_MAX (8u << 20)

/* Every member but "marks", an array of objects checked with mark_fields. */
static const struct sw_jfield request_fields[] = {
    { "names", SW_J_STRINGS, 0, 0, SW_SCREEN_ITEMS_MAX, NULL },
    { "portfolio", SW_J_BOOL, 0, 0, 0, NULL },
    { "markets", SW_J_STRINGS, SW_JF_COUNTRY | SW_JF_EU | SW_JF_EM, 0, 60, NULL },
    { "classes", SW_J_INTS, 0, 0, 45, NULL },
    { "show", SW_J_STRING, 0, 1, 64, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static const struct sw_jfield mark_fields[] = {
    { "text", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, MARK_TEXT_MAX, NULL },
    { "classes", SW_J_INTS, 0, 0, 45, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* Checks that every class in arr is a Nice class (1 to 45). */
static void check_classes(const json_t *arr, const char *at, struct sw_verrs *errs)
{
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v)
        if (json_integer_value(v) < 1 || json_integer_value(v) > 45) {
            char p[96];

            snprintf(p, sizeof(p), "%s/%zu", at, i);
            sw_verrs_add(errs, p, "must be a Nice class, 1 to 45");
        }
}

/* 1 when text has a letter or digit the index can compare. */
static int comparable(const char *text, enum sw_norm_kind kind)
{
    struct sw_keys k;

    return text != NULL && sw_normalise(text, kind, &k) == SW_OK;
}

static void add_item(json_t *items, const char *kind, const char *text, const json_t *classes)
{
    json_t *it = json_pack("{s:s, s:s}", "kind", kind, "text", text);

    if (it != NULL && json_array_size(classes) > 0)
        json_object_set(it, "classes", (json_t *)classes);
    json_array_append_new(items, it);
}

/* Adds each country of arr to markets once. */
static void add_markets(json_t *markets, const json_t *arr)
{
    size_t i, j;
    json_t *v, *m;

    json_array_foreach(arr, i, v) {
        int seen = 0;

        if (!json_is_string(v))
            continue;
        json_array_foreach(markets, j, m)
            seen |= json_equal(m, v);
        if (!seen)
            json_array_append(markets, v);
    }
}

void sw_h_screenings_create(struct sw_ctx *c)
{
    struct sw_verrs errs;
    json_t *in = NULL, *job = NULL, *items, *markets, *v, *pf = NULL, *profile = NULL,
           *show = NULL, *out = NULL;
    const char *show_id;
    long long id, next;
    size_t i;
    int rc;

    if (sw_body_parse(c, &in) != SW_OK)
        return;
    sw_verrs_init(&errs);
    {
        json_t *rest = json_copy(in);

        if (rest != NULL) {
            json_object_del(rest, "marks");
            sw_json_check(rest, request_fields, 0, "", &errs);
            json_decref(rest);
        }
    }
    v = json_object_get(in, "marks");
    if (v != NULL && !json_is_array(v))
        sw_verrs_add(&errs, "/marks", "must be an array of marks: [{\"text\": \"…\", "
                     "\"classes\": [9]}]");
    else if (json_array_size(v) > SW_SCREEN_ITEMS_MAX)
        sw_verrs_add(&errs, "/marks", "holds %zu marks; one screening takes at most %d",
                     json_array_size(v), SW_SCREEN_ITEMS_MAX);
    json_array_foreach(json_object_get(in, "marks"), i, v) {
        char at[32];

        snprintf(at, sizeof(at), "/marks/%zu", i);
        if (!json_is_object(v)) {
            sw_verrs_add(&errs, at, "must be an object: {\"text\": \"…\", \"classes\": [9]}");
            continue;
        }
        if (sw_json_check(v, mark_fields, 0, at, &errs) == 0) {
            char p[48];

            snprintf(p, sizeof(p), "%s/classes", at);
            check_classes(json_object_get(v, "classes"), p, &errs);
            snprintf(p, sizeof(p), "%s/text", at);
            if (!comparable(json_string_value(json_object_get(v, "text")), SW_NORM_MARK))
                sw_verrs_add(&errs, p, "must hold a letter or digit to compare");
        }
    }
    json_array_foreach(json_object_get(in, "names"), i, v) {
        char at[32];

        snprintf(at, sizeof(at), "/names/%zu", i);
        if (!comparable(json_string_value(v), SW_NORM_NAME))
            sw_verrs_add(&errs, at, "must be a company name with a letter or digit");
    }
    check_classes(json_object_get(in, "classes"), "/classes", &errs);
    if (sw_verrs_count(&errs) == 0 && json_array_size(json_object_get(in, "marks")) == 0 &&
        json_array_size(json_object_get(in, "names")) == 0 &&
        !json_is_true(json_object_get(in, "portfolio")))
        sw_verrs_add(&errs, "", "nothing to screen: give marks, names or \"portfolio\": true");
    if (sw_reply_if_invalid(c, &errs) != SW_OK)
        goto out;

    /* The fair, its country a market. */
    show_id = json_string_value(json_object_get(in, "show"));
    if (show_id != NULL) {
        rc = sw_show_id_valid(show_id) ? sw_show_get(c->store, show_id, &show) : SW_NOTFOUND;
        if (rc == SW_NOTFOUND) {
            sw_verrs_init(&errs);
            sw_verrs_add(&errs, "/show", "is no trade fair Seawall knows (GET /api/v1/shows "
                         "lists them)");
            sw_reply_if_invalid(c, &errs);
            goto out;
        }
        if (rc != SW_OK) {
            sw_reply_store(c, rc, "show");
            goto out;
        }
    }
    job = json_object();
    items = json_array();
    markets = json_array();
    if (job == NULL || items == NULL || markets == NULL) {
        json_decref(items);
        json_decref(markets);
        sw_reply_store(c, SW_ERR, "screening");
        goto out;
    }
    json_object_set_new(job, "items", items);
    json_object_set_new(job, "markets", markets);
    json_array_foreach(json_object_get(in, "marks"), i, v)
        add_item(items, "mark", json_string_value(json_object_get(v, "text")),
                 json_object_get(v, "classes"));
    json_array_foreach(json_object_get(in, "names"), i, v)
        add_item(items, "name", json_string_value(v), NULL);
    if (json_is_true(json_object_get(in, "portfolio"))) {
        rc = sw_portfolio_list(c->store, c->who.subject, 0, 0, NULL, &pf, &next);
        if (rc != SW_OK) {
            sw_reply_store(c, rc, "portfolio");
            goto out;
        }
        json_array_foreach(pf, i, v) {
            const char *kind = json_string_value(json_object_get(v, "kind")) ?: "";
            const char *text = json_string_value(json_object_get(v, "text"));

            if ((strcmp(kind, "mark") == 0 || strcmp(kind, "name") == 0) &&
                comparable(text, strcmp(kind, "name") == 0 ? SW_NORM_NAME : SW_NORM_MARK))
                add_item(items, kind, text,
                         strcmp(kind, "mark") == 0 ? json_object_get(v, "classes") : NULL);
        }
    }
    if (json_array_size(items) > SW_SCREEN_ITEMS_MAX) {
        sw_verrs_init(&errs);
        sw_verrs_add(&errs, json_is_true(json_object_get(in, "portfolio")) ? "/portfolio"
                                                                            : "/marks",
                     "would screen %zu marks and names; one screening takes at most %d: split "
                     "it in several", json_array_size(items), SW_SCREEN_ITEMS_MAX);
        sw_reply_if_invalid(c, &errs);
        goto out;
    }
    if (json_array_size(items) == 0) {
        sw_verrs_init(&errs);
        sw_verrs_add(&errs, "/portfolio", "your portfolio holds no marks or names to screen; "
                     "give marks or names");
        sw_reply_if_invalid(c, &errs);
        goto out;
    }
    /* Markets: as asked, else the portfolio's countries, else the company's markets; a fair's
     * country is added. */
    add_markets(markets, json_object_get(in, "markets"));
    if (json_array_size(markets) == 0 && pf != NULL)
        json_array_foreach(pf, i, v)
            add_markets(markets, json_object_get(v, "countries"));
    if (json_array_size(markets) == 0 &&
        sw_doc_get(c->store, &sw_kind_subscriber, c->who.subject, &profile) == SW_OK)
        add_markets(markets, json_object_get(profile, "markets"));
    if (show != NULL && json_is_string(json_object_get(show, "country"))) {
        json_t *one = json_pack("[O]", json_object_get(show, "country"));

        add_markets(markets, one);
        json_decref(one);
        json_object_set(job, "show", json_object_get(in, "show"));
    }
    json_object_set_new(job, "classes", json_object_get(in, "classes")
                                            ? json_incref(json_object_get(in, "classes"))
                                            : json_array());
    rc = sw_screening_create(c->store, c->who.subject, job, &id);
    if (rc == SW_OK)
        rc = sw_screening_get(c->store, c->who.subject, id, 0, &out);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "screening");
        goto out;
    }
    /* The answer says what was queued, even when the screener has already begun. */
    json_object_set_new(out, "status", json_string("queued"));
    json_object_set_new(out, "progress", json_pack("{s:i, s:I}", "done", 0, "total",
                                                   (json_int_t)json_array_size(items)));
    json_object_del(out, "conflicts_count");
    {
        char loc[64];

        snprintf(loc, sizeof(loc), "/api/v1/screenings/%lld", id);
        sw_reply_header(c, "Location", loc);
    }
    sw_reply_state_dependent(c);
    sw_reply_json(c, 202, out);
out:
    json_decref(in);
    json_decref(job);
    json_decref(pf);
    json_decref(profile);
    json_decref(show);
}

void sw_h_screenings_list(struct sw_ctx *c)
{
    long long before, next;
    int limit, rc;
    json_t *items;

    if (sw_page_args(c, &before, &limit) != SW_OK)
        return;
    rc = sw_screening_list(c->store, c->who.subject, before, limit, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "screenings");
        return;
    }
    sw_reply_state_dependent(c);
    sw_reply_json(c, 200, sw_page_json(items, next));
}

/* Joins the strings of arr's objects' member (or of arr itself with member NULL). */
static void join(struct sw_buf *b, const json_t *arr, const char *member)
{
    size_t i;
    json_t *v;

    sw_buf_reset(b);
    json_array_foreach(arr, i, v) {
        const json_t *s = member ? json_object_get(v, member) : v;

        if (i > 0)
            sw_buf_adds(b, "; ");
        if (json_is_string(s))
            sw_buf_adds(b, json_string_value(s));
        else if (json_is_integer(s))
            sw_buf_printf(b, "%lld", (long long)json_integer_value(s));
    }
}

static const char *const csv_cols[] = { "query_kind", "query", "office", "number", "mark",
                                        "status", "classes", "owners", "score", "key", "why",
                                        "owner_cases", "frequent_plaintiff", "filed",
                                        "registered", "url" };

/* The conflicts as CSV: a header row and a row per conflict, CRLF, cells quoted and guarded
 * against formulas. */
static int conflicts_csv(const json_t *conflicts, struct sw_buf *out)
{
    struct sw_buf cls, own;
    size_t i, j;
    json_t *cf;
    int rc = SW_OK;

    sw_buf_init(&cls, 4096);
    sw_buf_init(&own, 16384);
    for (j = 0; j < sizeof(csv_cols) / sizeof(csv_cols[0]); j++)
        rc = rc ?: sw_csv_cell(out, csv_cols[j], j == 0);
    rc = rc ?: sw_buf_adds(out, "\r\n");
    json_array_foreach(conflicts, i, cf) {
        const json_t *q = json_object_get(cf, "query"), *rec = json_object_get(cf, "record");
        const json_t *why = json_object_get(cf, "reasons"), *owner = json_object_get(cf, "owner");
        const json_t *dates = json_object_get(rec, "dates");
        char score[16], cases[24];
        const char *vals[sizeof(csv_cols) / sizeof(csv_cols[0])];

        if (rc != SW_OK)
            break;
        join(&cls, json_object_get(rec, "classes"), NULL);
        join(&own, json_object_get(rec, "owners"), "name");
        snprintf(score, sizeof(score), "%.3f", json_number_value(json_object_get(cf, "score")));
        if (json_is_object(owner))
            snprintf(cases, sizeof(cases), "%lld",
                     (long long)json_integer_value(json_object_get(owner, "cases")));
        else
            cases[0] = '\0';
        vals[0] = json_string_value(json_object_get(q, "kind"));
        vals[1] = json_string_value(json_object_get(q, "text"));
        vals[2] = json_string_value(json_object_get(rec, "office"));
        vals[3] = json_string_value(json_object_get(rec, "number"));
        vals[4] = json_string_value(json_object_get(rec, "mark"));
        vals[5] = json_string_value(json_object_get(rec, "status"));
        vals[6] = cls.p;
        vals[7] = own.p;
        vals[8] = score;
        vals[9] = json_string_value(json_object_get(why, "key"));
        vals[10] = json_string_value(json_object_get(why, "why"));
        vals[11] = cases;
        vals[12] = json_is_object(owner)
            ? (json_is_true(json_object_get(owner, "frequent")) ? "yes" : "no")
            : "";
        vals[13] = json_string_value(json_object_get(dates, "filed"));
        vals[14] = json_string_value(json_object_get(dates, "registered"));
        vals[15] = json_string_value(json_object_get(rec, "url"));
        for (j = 0; j < sizeof(csv_cols) / sizeof(csv_cols[0]) && rc == SW_OK; j++)
            rc = sw_csv_cell(out, vals[j] ? vals[j] : "", j == 0);
        rc = rc ?: sw_buf_adds(out, "\r\n");
    }
    sw_buf_free(&cls);
    sw_buf_free(&own);
    return rc;
}

void sw_h_screenings_get(struct sw_ctx *c)
{
    const char *format = sw_query(c, "format") ?: "json";
    long long id;
    json_t *doc;
    int rc;

    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        struct sw_verrs errs;

        sw_verrs_init(&errs);
        sw_verrs_add(&errs, "format", "must be json or csv");
        sw_reply_params_invalid(c, &errs);
        return;
    }
    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_screening_get(c->store, c->who.subject, id, 1, &doc);
    if (rc == SW_NOTFOUND) {
        sw_reply_not_found(c);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "screening");
        return;
    }
    sw_reply_state_dependent(c);
    if (strcmp(format, "csv") == 0) {
        struct sw_buf out;
        char name[64];

        if (!json_is_array(json_object_get(doc, "conflicts"))) {
            sw_reply_problem(c, 409, "screening-not-done", "Screening not done", NULL,
                             "Screening %lld is %s (%lld of %lld items): its CSV is there once "
                             "its status is done",
                             id, json_string_value(json_object_get(doc, "status")),
                             (long long)json_integer_value(json_object_get(
                                 json_object_get(doc, "progress"), "done")),
                             (long long)json_integer_value(json_object_get(
                                 json_object_get(doc, "progress"), "total")));
            json_decref(doc);
            return;
        }
        sw_buf_init(&out, CSV_MAX);
        rc = conflicts_csv(json_object_get(doc, "conflicts"), &out);
        json_decref(doc);
        if (rc != SW_OK) {
            sw_buf_free(&out);
            sw_reply_store(c, SW_ERR, "screening CSV");
            return;
        }
        c->resp->status = 200;
        c->resp->ctype = "text/csv; charset=utf-8";
        snprintf(name, sizeof(name), "screening-%lld.csv", id);
        sw_reply_attachment(c, name);
        sw_buf_free(&c->resp->body);
        c->resp->body = out;
        return;
    }
    sw_reply_json(c, 200, doc);
}
