/* parties.c — a company's history at fairs, looked up by name before an incident is logged:
 * the companies seen in incidents (as complainant or accused exhibitor) whose names name q in
 * either script (深圳市山寨电子有限公司 and "Shenzhen Shanzhai Electronics Co., Ltd." find
 * each other through their trade name), each with the fairs, roles, kinds and outcomes of
 * its incidents. Stations, centre staff and admins (as an incident's earlier incidents). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/normalise.h"
#include "seawall/record.h"
#include "seawall/register.h"
#include "seawall/shows.h"
#include "api.h"

#define Q_MAX 200
#define KEYS_MAX 50        /* party keys one look-up reads (the name's, then by prefix) */
#define HISTORY_MAX 50     /* incidents one company's answer lists */

static const char *str_at(const json_t *v, const char *a, const char *b)
{
    const json_t *x = json_object_get(v, a);

    if (b != NULL)
        x = json_object_get(x, b);
    return json_string_value(x) ?: "";
}

/* The company of groups that name is (sw_party_same with its first name or any other), or a
 * new one. Returns the group (borrowed). */
static json_t *group_of(json_t *groups, const char *name)
{
    json_t *g, *n;
    size_t i, j;

    json_array_foreach(groups, i, g) {
        json_array_foreach(json_object_get(g, "names"), j, n)
            if (strcmp(json_string_value(n), name) == 0 ||
                sw_party_same(json_string_value(n), name, NULL))
                return g;
    }
    g = json_pack("{s:s, s:[s], s:i, s:s, s:s, s:[], s:{}, s:{s:i, s:i}, s:{}, s:{}}", "name",
                  name, "names", name, "sure", 0, "match", "none", "why", "", "history",
                  "fairs", "roles", "complainant", 0, "exhibitor", 0, "kinds", "outcomes");
    json_array_append_new(groups, g);
    return g;
}

static void bump(json_t *obj, const char *key)
{
    if (key == NULL || key[0] == '\0')
        return;
    json_object_set_new(obj, key, json_integer(json_integer_value(json_object_get(obj, key)) +
                                               1));
}

/* Files incident v (a view) under the company in role: its history entry and counts. */
static void file_under(json_t *g, const json_t *v, const char *role, const char *name,
                       enum sw_sureness sure, const char *why)
{
    json_t *names = json_object_get(g, "names"), *n;
    const char *dl = str_at(v, "deadline", "status");
    char url[64];
    size_t i;
    int known = 0;

    json_array_foreach(names, i, n)
        known |= strcmp(json_string_value(n), name) == 0;
    if (!known)
        json_array_append_new(names, json_string(name));
    if ((int)sure > json_integer_value(json_object_get(g, "sure"))) {
        json_object_set_new(g, "sure", json_integer(sure));
        json_object_set_new(g, "match", json_string(sw_sureness_name(sure)));
        json_object_set_new(g, "why", json_string(why));
    }
    bump(json_object_get(g, "roles"), role);
    bump(json_object_get(g, "kinds"), str_at(v, "kind", NULL));
    bump(json_object_get(g, "outcomes"), str_at(v, "status", NULL));
    if (strcmp(dl, "answered_in_time") == 0 || strcmp(dl, "answered_late") == 0 ||
        strcmp(dl, "overdue") == 0)
        bump(json_object_get(g, "outcomes"), dl);
    bump(json_object_get(g, "fairs"), str_at(v, "show", NULL));
    if (json_array_size(json_object_get(g, "history")) >= HISTORY_MAX)
        return;
    snprintf(url, sizeof(url), "/api/v1/incidents/%lld",
             (long long)json_integer_value(json_object_get(v, "id")));
    json_array_append_new(json_object_get(g, "history"), json_pack(
        "{s:O, s:s, s:O, s:O, s:s, s:s, s:O, s:O, s:O?, s:O?, s:s}", "incident_id",
        json_object_get(v, "id"), "url", url, "show", json_object_get(v, "show"), "received_at",
        json_object_get(v, "received_at"), "as", role, "name", name, "kind",
        json_object_get(v, "kind"), "status", json_object_get(v, "status"), "deadline",
        json_object_get(json_object_get(v, "deadline"), "status"), "case_id",
        json_object_get(v, "case_id"), "other_party",
        str_at(v, strcmp(role, "exhibitor") == 0 ? "complainant" : "exhibitor", "name")));
}

static int by_sureness(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t sx = json_integer_value(json_object_get(x, "sure"));
    json_int_t sy = json_integer_value(json_object_get(y, "sure"));
    size_t nx = json_array_size(json_object_get(x, "history"));
    size_t ny = json_array_size(json_object_get(y, "history"));

    if (sx != sy)
        return sx > sy ? -1 : 1;
    if (nx != ny)
        return nx > ny ? -1 : 1;
    return strcmp(str_at(x, "name", NULL), str_at(y, "name", NULL));
}

static int newest_first(const void *a, const void *b)
{
    return strcmp(str_at(*(json_t *const *)b, "received_at", NULL),
                  str_at(*(json_t *const *)a, "received_at", NULL));
}

/* hist (an array) newest first, in place. */
static void sort_history(json_t *hist)
{
    size_t i, n = json_array_size(hist);
    json_t **v = calloc(n + 1, sizeof(*v)), *e;

    if (v == NULL)
        return;
    json_array_foreach(hist, i, e)
        v[i] = json_incref(e);
    qsort(v, n, sizeof(*v), newest_first);
    json_array_clear(hist);
    for (i = 0; i < n; i++)
        json_array_append_new(hist, v[i]);
    free(v);
}

/* The fairs of a company as [{show, name, incidents}], each show read once (names, a cache
 * of show id -> name). */
static json_t *fairs_of(struct sw_ctx *c, const json_t *counts, json_t *names)
{
    json_t *out = json_array(), *n;
    const char *id;

    json_object_foreach((json_t *)counts, id, n) {
        json_t *show = NULL;

        if (json_object_get(names, id) == NULL) {
            if (sw_show_get(c->store, id, &show) == SW_OK)
                json_object_set(names, id, json_object_get(show, "name"));
            else
                json_object_set_new(names, id, json_null());
            json_decref(show);
        }
        json_array_append_new(out, json_pack("{s:s, s:O, s:O}", "show", id, "name",
                                             json_object_get(names, id), "incidents", n));
    }
    return out;
}

/* GET /api/v1/parties?q=: companies seen in incidents whose names name q (exact, the same
 * trade name, similar: a trade name beginning so or a letter apart), surest first, then by
 * how many incidents; paged by position. */
void sw_h_parties_search(struct sw_ctx *c)
{
    static const char *const roles[] = { "exhibitor", "complainant" };
    const char *q = sw_query(c, "q");
    size_t scan = (size_t)sw_config_int(c->cfg, "shows.parties_scan_max"), i, j, r, n = 0;
    char key[SW_KEY_MAX], v1[SW_KEY_MAX];
    json_t *keys = NULL, *ids = json_array(), *docs = NULL, *groups = json_array(), *d, *k;
    json_t *page, *shows = json_object(), **sorted = NULL;
    long long after, next = 0;
    int64_t now;
    int limit, rc = SW_OK, truncated = 0;

    if (sw_page_args(c, &after, &limit) != SW_OK)
        goto out;
    if (q == NULL || strlen(q) > Q_MAX || sw_party_key(q, key, sizeof(key)) != SW_OK) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "parameter", "q", "message",
                                   sw_tr(c->lang, "must be a company name (1 to 200 bytes "
                                                  "with letters or digits)")),
                         "q: must be a company name (1 to 200 bytes with letters or digits)");
        goto out;
    }
    rc = sw_party_keys_like(c->store, key, KEYS_MAX, &keys);
    if (rc == SW_OK && sw_party_key_v1(q, v1, sizeof(v1)) == SW_OK && strcmp(v1, key) != 0)
        json_array_append_new(keys, json_string(v1));   /* incidents filed before trade names */
    json_array_foreach(keys, i, k) {
        if (rc != SW_OK)
            break;
        if (json_array_size(ids) >= scan) {
            truncated = 1;
            break;
        }
        rc = sw_party_incident_ids(c->store, json_string_value(k), scan, ids);
    }
    if (rc == SW_OK)
        rc = sw_rec_load(c->store, "inc", ids, &docs);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "looking up the party");
        goto out;
    }
    now = sw_cases_now(c);
    json_array_foreach(docs, i, d) {
        json_t *v = sw_incident_view(d, now);

        for (r = 0; r < SW_ARRAY_LEN(roles); r++) {
            const char *name = str_at(v, roles[r], "name");
            char why[64];
            enum sw_sureness sure = sw_party_sureness(q, name, NULL, why, sizeof(why));

            if (sure >= SW_SURE_SIMILAR)
                file_under(group_of(groups, name), v, roles[r], name, sure, why);
        }
        json_decref(v);
    }
    sorted = calloc(json_array_size(groups) + 1, sizeof(*sorted));
    if (sorted == NULL) {
        sw_reply_store(c, SW_ERR, "sorting the parties");
        goto out;
    }
    json_array_foreach(groups, i, d)
        sorted[i] = d;
    qsort(sorted, json_array_size(groups), sizeof(*sorted), by_sureness);
    page = json_array();
    for (j = 0; j < json_array_size(groups); j++) {
        json_t *g = sorted[j], *item;

        if ((long long)j < after)
            continue;
        if (n == (size_t)limit) {
            next = after + limit;
            break;
        }
        sort_history(json_object_get(g, "history"));
        item = json_pack("{s:O, s:O, s:O, s:O, s:I, s:o, s:O, s:O, s:O, s:O}", "name",
                         json_object_get(g, "name"), "names", json_object_get(g, "names"),
                         "match", json_object_get(g, "match"), "why", json_object_get(g, "why"),
                         "incidents", (json_int_t)(json_integer_value(json_object_get(
                                                       json_object_get(g, "roles"),
                                                       "exhibitor")) +
                                                   json_integer_value(json_object_get(
                                                       json_object_get(g, "roles"),
                                                       "complainant"))),
                         "fairs", fairs_of(c, json_object_get(g, "fairs"), shows), "roles",
                         json_object_get(g, "roles"), "kinds", json_object_get(g, "kinds"),
                         "outcomes", json_object_get(g, "outcomes"), "history",
                         json_object_get(g, "history"));
        {
            /* the register's party of that name (GET /api/v1/parties/{id}), when there is one */
            long long pid = 0;

            if (sw_register_party_find(c->store, json_string_value(json_object_get(g, "name")),
                                       &pid) == SW_OK)
                json_object_set_new(item, "id", json_integer(pid));
            else
                json_object_set_new(item, "id", json_null());
        }
        json_array_append_new(page, item);
        n++;
    }
    page = sw_page_json(page, next);
    json_object_set_new(page, "q", json_string(q));
    json_object_set_new(page, "key", json_string(key));
    json_object_set_new(page, "truncated", json_boolean(truncated));
    sw_reply_json(c, 200, page);
out:
    free(sorted);
    json_decref(shows);
    json_decref(groups);
    json_decref(docs);
    json_decref(ids);
    json_decref(keys);
}
