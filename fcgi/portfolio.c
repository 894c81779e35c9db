/* portfolio.c — an exporter's portfolio: items one by one, bulk import (JSON or CSV, validated
 * as a whole: all stored or a 400 listing every bad row), export (JSON or CSV). The exporter
 * owns it; admins may change it; centre staff may read it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seawall/accounts.h"
#include "seawall/buf.h"
#include "seawall/i18n.h"
#include "seawall/portfolio.h"
#include "seawall/store.h"
#include "api.h"

#define IMPORT_MAX 10000

static const char *const csv_columns[] = { "kind", "text", "classes", "countries", "aliases",
                                           "number", "country", "show", "label", NULL };

/* The subscriber of the path, when the caller may see it (and, for write, change it). */
static int subscriber(struct sw_ctx *c, int write, long long *sub)
{
    json_t *doc;
    int rc;

    if (sw_param_id(c, "id", sub) != SW_OK)
        return SW_NOTFOUND;
    if ((c->who.role == SW_ROLE_EXPORTER && c->who.subject != *sub) ||
        (write && c->who.role != SW_ROLE_EXPORTER && c->who.role != SW_ROLE_ADMIN) ||
        (c->who.role == SW_ROLE_STATION)) {
        sw_reply_not_found(c);
        return SW_NOTFOUND;
    }
    rc = sw_doc_get(c->store, &sw_kind_subscriber, *sub, &doc);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading a subscriber");
        return rc;
    }
    json_decref(doc);
    return SW_OK;
}

static void put_items(struct sw_ctx *c, long long sub, json_t *items, int single)
{
    int rc = sw_portfolio_put(c->store, sub, items);
    char loc[96];

    if (rc == SW_TOOBIG) {
        json_decref(items);
        sw_reply_problem(c, 409, "portfolio-full", "Portfolio full", NULL,
                         "a portfolio holds at most %d items", SW_PORTFOLIO_MAX);
        return;
    }
    if (rc != SW_OK) {
        json_decref(items);
        sw_reply_store(c, rc, "storing portfolio items");
        return;
    }
    if (single) {
        json_t *it = json_incref(json_array_get(items, 0));

        snprintf(loc, sizeof(loc), "%s/%lld", c->req->path,
                 (long long)json_integer_value(json_object_get(it, "id")));
        sw_reply_header(c, "Location", loc);
        json_decref(items);
        sw_reply_json(c, 201, it);
        return;
    }
    sw_reply_json(c, 201, json_pack("{s:I, s:o}", "stored", (json_int_t)json_array_size(items),
                                    "items", items));
}

void sw_h_portfolio_create(struct sw_ctx *c)
{
    char err[512];
    struct sw_verrs errs;
    long long sub;
    json_t *item;

    if (subscriber(c, 1, &sub) != SW_OK)
        return;
    if (sw_json_parse_object(c->req->body ? c->req->body : "", c->req->body_len, 16, &item, err,
                             sizeof(err)) != SW_OK) {
        sw_reply_problem(c, 400, "malformed-json", "Malformed JSON", NULL, "%s", err);
        return;
    }
    sw_verrs_init(&errs);
    if (sw_portfolio_check(item, "", 0, &errs) > 0) {
        json_decref(item);
        sw_reply_invalid(c, &errs);
        return;
    }
    sw_verrs_free(&errs);
    put_items(c, sub, json_pack("[o]", item), 1);
}

/* Splits one CSV record (RFC 4180 quoting) at *p into fields; advances *p past it. */
static int csv_record(const char **p, const char *end, char fields[][1024], int max)
{
    int n = 0;
    size_t o = 0;
    int quoted = 0, any = 0;

    fields[0][0] = '\0';
    while (*p < end) {
        char ch = **p;

        (*p)++;
        any = 1;
        if (quoted) {
            if (ch == '"' && *p < end && **p == '"') {
                (*p)++;
                if (o + 1 < 1024)
                    fields[n][o++] = '"';
            } else if (ch == '"') {
                quoted = 0;
            } else if (o + 1 < 1024) {
                fields[n][o++] = ch;
            }
            continue;
        }
        if (ch == '"' && o == 0) {
            quoted = 1;
        } else if (ch == ',') {
            fields[n][o] = '\0';
            if (++n >= max)
                return -1;
            o = 0;
            fields[n][0] = '\0';
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && *p < end && **p == '\n')
                (*p)++;
            break;
        } else if (o + 1 < 1024) {
            fields[n][o++] = ch;
        }
    }
    fields[n][o] = '\0';
    return any ? n + 1 : 0;
}

json_t *sw_portfolio_csv_items(const char *buf, size_t len, struct sw_verrs *errs)
{
    const char *p = buf, *end = buf + len;
    char (*f)[1024] = malloc(16 * 1024), header[16][64];
    json_t *items = json_array();
    int ncol, row = 1, i;

    if (f == NULL)
        return items;
    ncol = csv_record(&p, end, f, 16);
    for (i = 0; i < ncol; i++) {
        const char *const *k;

        for (k = csv_columns; *k != NULL && strcmp(*k, f[i]) != 0; k++)
            ;
        if (*k == NULL)
            sw_verrs_add(errs, "/header", "unknown column \"%.40s\"; columns are kind, text, "
                         "classes, countries, aliases, number, country, show, label", f[i]);
        sw_strlcpy(header[i], f[i], sizeof(header[i]));
    }
    while (p < end && json_array_size(items) <= IMPORT_MAX) {
        int n = csv_record(&p, end, f, 16);
        json_t *it;

        row++;
        if (n <= 0 || (n == 1 && f[0][0] == '\0'))
            continue;
        it = json_object();
        for (i = 0; i < n && i < ncol; i++) {
            if (f[i][0] == '\0')
                continue;
            if (strcmp(header[i], "classes") == 0 || strcmp(header[i], "countries") == 0 ||
                strcmp(header[i], "aliases") == 0) {
                json_t *arr = json_array();
                char *save = NULL, *tok;

                for (tok = strtok_r(f[i], ";", &save); tok != NULL;
                     tok = strtok_r(NULL, ";", &save)) {
                    while (*tok == ' ')
                        tok++;
                    if (strcmp(header[i], "classes") == 0) {
                        long long v;

                        json_array_append_new(arr, sw_parse_ll(tok, -1000, 1000, &v) == SW_OK
                                                       ? json_integer(v) : json_string(tok));
                    } else {
                        json_array_append_new(arr, json_string(tok));
                    }
                }
                json_object_set_new(it, header[i], arr);
            } else {
                json_t *v = json_string(f[i]);

                json_object_set_new(it, header[i], v ? v : json_string(""));
            }
        }
        json_object_set_new(it, "_row", json_integer(row));
        json_array_append_new(items, it);
    }
    free(f);
    return items;
}

void sw_h_portfolio_import(struct sw_ctx *c)
{
    struct sw_verrs errs;
    json_t *doc = NULL, *items, *it;
    long long sub;
    char err[512], prefix[48];
    size_t i;
    int csv = c->req->content_type != NULL && strncasecmp(c->req->content_type, "text/csv", 8) == 0;

    if (subscriber(c, 1, &sub) != SW_OK)
        return;
    sw_verrs_init(&errs);
    if (csv) {
        items = sw_portfolio_csv_items(c->req->body ? c->req->body : "", c->req->body_len, &errs);
    } else {
        if (sw_json_parse_object(c->req->body ? c->req->body : "", c->req->body_len, 16, &doc,
                                 err, sizeof(err)) != SW_OK) {
            sw_verrs_free(&errs);
            sw_reply_problem(c, 400, "malformed-json", "Malformed JSON", NULL, "%s", err);
            return;
        }
        items = json_incref(json_object_get(doc, "items"));
        if (!json_is_array(items) || json_object_size(doc) != 1)
            sw_verrs_add(&errs, "/items", "send {\"items\": [ … ]} and nothing else");
        json_decref(doc);
    }
    if (json_array_size(items) > IMPORT_MAX)
        sw_verrs_add(&errs, "/items", "at most %d items in one import", IMPORT_MAX);
    json_array_foreach(items, i, it) {
        if (sw_verrs_count(&errs) >= 1000)
            break;
        if (csv)
            snprintf(prefix, sizeof(prefix), "/rows/%lld",
                     (long long)json_integer_value(json_object_get(it, "_row")));
        else
            snprintf(prefix, sizeof(prefix), "/items/%zu", i);
        json_object_del(it, "_row");
        sw_portfolio_check(it, prefix, 0, &errs);
    }
    if (sw_verrs_count(&errs) > 0 || items == NULL) {
        json_decref(items);
        sw_reply_invalid(c, &errs);
        return;
    }
    sw_verrs_free(&errs);
    put_items(c, sub, items, 0);
}

void sw_h_portfolio_list(struct sw_ctx *c)
{
    long long sub, after, next;
    json_t *items;
    int limit, rc;

    if (subscriber(c, 0, &sub) != SW_OK || sw_page_args(c, &after, &limit) != SW_OK)
        return;
    rc = sw_portfolio_list(c->store, sub, after, limit, sw_query(c, "kind"), &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing a portfolio");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

void sw_h_portfolio_export(struct sw_ctx *c)
{
    const char *fmt = sw_query(c, "format");
    long long sub, next;
    json_t *items, *it;
    struct sw_buf *b = &c->resp->body;
    size_t i;
    int rc;

    if (subscriber(c, 0, &sub) != SW_OK)
        return;
    if (fmt != NULL && strcmp(fmt, "csv") != 0 && strcmp(fmt, "json") != 0) {
        json_t *errors = json_pack("[{s:s, s:s}]", "parameter", "format", "message",
                                   sw_tr(c->lang, "must be csv or json"));

        sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                         "format must be csv or json");
        return;
    }
    rc = sw_portfolio_list(c->store, sub, 0, 0, NULL, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "exporting a portfolio");
        return;
    }
    if (fmt == NULL || strcmp(fmt, "json") == 0) {
        sw_reply_json(c, 200, json_pack("{s:o}", "items", items));
        return;
    }
    c->resp->status = 200;
    c->resp->ctype = "text/csv; charset=utf-8";
    sw_buf_reset(b);
    sw_buf_adds(b, "kind,text,classes,countries,aliases,number,country,show,label\r\n");
    json_array_foreach(items, i, it) {
        const char *const *col;

        for (col = csv_columns; *col != NULL; col++) {
            json_t *v = json_object_get(it, *col);
            char cell[4096] = "";

            if (json_is_array(v)) {
                size_t k, used = 0;
                json_t *x;

                json_array_foreach(v, k, x) {
                    int n = json_is_integer(x)
                                ? snprintf(cell + used, sizeof(cell) - used, "%s%lld",
                                           k ? ";" : "", (long long)json_integer_value(x))
                                : snprintf(cell + used, sizeof(cell) - used, "%s%s",
                                           k ? ";" : "", json_string_value(x));

                    if (n > 0 && used + (size_t)n < sizeof(cell))
                        used += (size_t)n;
                }
            } else if (json_is_string(v)) {
                sw_strlcpy(cell, json_string_value(v), sizeof(cell));
            }
            sw_csv_cell(b, cell, col == csv_columns);
        }
        sw_buf_adds(b, "\r\n");
    }
    json_decref(items);
    sw_reply_header(c, "Content-Disposition", "attachment; filename=\"portfolio.csv\"");
}

static int item_param(struct sw_ctx *c, long long *item)
{
    return sw_param_id(c, "item", item);
}

void sw_h_portfolio_get(struct sw_ctx *c)
{
    long long sub, item;
    json_t *it;
    int rc;

    if (subscriber(c, 0, &sub) != SW_OK || item_param(c, &item) != SW_OK)
        return;
    rc = sw_portfolio_get(c->store, sub, item, &it);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading a portfolio item");
        return;
    }
    sw_reply_json(c, 200, it);
}

void sw_h_portfolio_patch(struct sw_ctx *c)
{
    struct sw_verrs errs;
    long long sub, item;
    json_t *patch, *cur, *merged, *out, *v;
    const char *k;
    char err[512];
    int rc;

    if (subscriber(c, 1, &sub) != SW_OK || item_param(c, &item) != SW_OK)
        return;
    if (sw_json_parse_object(c->req->body ? c->req->body : "", c->req->body_len, 16, &patch, err,
                             sizeof(err)) != SW_OK) {
        sw_reply_problem(c, 400, "malformed-json", "Malformed JSON", NULL, "%s", err);
        return;
    }
    rc = sw_portfolio_get(c->store, sub, item, &cur);
    if (rc != SW_OK) {
        json_decref(patch);
        sw_reply_store(c, rc, "loading a portfolio item");
        return;
    }
    /* The item as it would be, checked whole: a kind cannot change into another's fields. */
    merged = json_deep_copy(cur);
    json_object_del(merged, "id");
    json_object_del(merged, "normalised");
    json_object_foreach(patch, k, v) {
        if (json_is_null(v))
            json_object_del(merged, k);
        else
            json_object_set(merged, k, v);
    }
    sw_verrs_init(&errs);
    if (sw_portfolio_check(merged, "", 0, &errs) > 0) {
        json_decref(patch);
        json_decref(cur);
        json_decref(merged);
        sw_reply_invalid(c, &errs);
        return;
    }
    sw_verrs_free(&errs);
    json_object_set_new(merged, "id", json_integer(item));
    json_object_clear(patch);
    json_object_update(patch, merged);
    json_object_foreach(cur, k, v)
        if (json_object_get(merged, k) == NULL)
            json_object_set_new(patch, k, json_null());
    rc = sw_portfolio_update(c->store, sub, item, patch, &out);
    json_decref(patch);
    json_decref(cur);
    json_decref(merged);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "updating a portfolio item");
        return;
    }
    sw_reply_json(c, 200, out);
}

void sw_h_portfolio_delete(struct sw_ctx *c)
{
    long long sub, item;
    int rc;

    if (subscriber(c, 1, &sub) != SW_OK || item_param(c, &item) != SW_OK)
        return;
    rc = sw_portfolio_delete(c->store, sub, item);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "deleting a portfolio item");
        return;
    }
    c->resp->status = 204;
}
