/* portfolio.c — an exporter's portfolio: items one by one, bulk import (JSON or CSV, validated
 * as a whole: all stored or a 400 listing every bad row), export (JSON or CSV). The exporter
 * owns it; admins may change it; centre staff may read it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

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

/* --- CSV import ------------------------------------------------------------------------------
 * libcsv in strict mode reads RFC 4180: cells quoted with ", a quote inside written "", commas
 * and line breaks inside quotes kept; a quote inside an unquoted cell, text after a closing
 * quote, or an unterminated quote is refused, never guessed at. Spaces are part of a cell.
 * The first record is the header: each column named once, from csv_columns (so at most
 * CSV_COLS columns). Nothing is cut: a cell reaches the item whole and meets the same checks
 * as a JSON import's field; a cell that is not UTF-8 or holds a NUL, or a row with more cells
 * than the header has columns, is an error naming the row (a spreadsheet's row number: the
 * header is row 1, blank rows count) and column. Rows of empty cells are skipped. */

#define CSV_COLS (SW_ARRAY_LEN(csv_columns) - 1)
#define CSV_ERRORS_MAX 1000

struct csv_read {
    json_t *items;
    struct sw_verrs *errs;
    int map[CSV_COLS];      /* header position -> index in csv_columns */
    unsigned seen;          /* csv_columns already named in the header (bits) */
    size_t ncol;            /* columns in the header */
    size_t col;             /* cell of the current record */
    long long row;          /* the current record's row number (header: 1) */
    json_t *cur;            /* the current row's item */
    int header_bad, last_cr, any;
};

static void csv_err(struct csv_read *r, const char *pointer, const char *msg)
{
    if (sw_verrs_count(r->errs) < CSV_ERRORS_MAX)
        sw_verrs_add(r->errs, pointer, "%s", msg);
}

static void csv_header_cell(struct csv_read *r, const char *s, size_t n)
{
    char ptr[48], msg[160];
    size_t k;

    snprintf(ptr, sizeof(ptr), "/header/%zu", r->col);
    for (k = 0; k < CSV_COLS; k++)
        if (strlen(csv_columns[k]) == n && memcmp(csv_columns[k], s, n) == 0)
            break;
    if (k == CSV_COLS) {
        if (n <= 40 && memchr(s, '\0', n) == NULL && sw_utf8_valid(s, n, NULL))
            snprintf(msg, sizeof(msg), "unknown column \"%.*s\"; columns are kind, text, "
                     "classes, countries, aliases, number, country, show, label", (int)n, s);
        else
            snprintf(msg, sizeof(msg), "unknown column; columns are kind, text, classes, "
                     "countries, aliases, number, country, show, label");
        csv_err(r, ptr, msg);
        r->header_bad = 1;
    } else if (r->seen & (1u << k)) {
        snprintf(msg, sizeof(msg), "repeats column \"%s\"", csv_columns[k]);
        csv_err(r, ptr, msg);
        r->header_bad = 1;
    } else {
        r->seen |= 1u << k;
        if (r->col < CSV_COLS)
            r->map[r->col] = (int)k;
    }
}

/* One data cell, already checked to be UTF-8 without NUL: a string, or for the list columns
 * the ";"-separated parts (leading spaces dropped), classes as integers where they are. */
static void csv_data_cell(struct csv_read *r, const char *name, const char *s, size_t n)
{
    int classes = strcmp(name, "classes") == 0;
    json_t *arr;
    const char *p = s, *end = s + n;

    if (strcmp(name, "aliases") != 0 && strcmp(name, "countries") != 0 && !classes) {
        json_object_set_new(r->cur, name, json_stringn(s, n));
        return;
    }
    arr = json_array();
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p)), *stop = semi ? semi : end;
        char num[24];
        long long v;

        while (p < stop && *p == ' ')
            p++;
        if (p < stop) {
            size_t len = (size_t)(stop - p);

            if (classes && len < sizeof(num)) {
                memcpy(num, p, len);
                num[len] = '\0';
            }
            if (classes && len < sizeof(num) && sw_parse_ll(num, -1000, 1000, &v) == SW_OK)
                json_array_append_new(arr, json_integer(v));
            else
                json_array_append_new(arr, json_stringn(p, len));
        }
        p = semi ? semi + 1 : end;
    }
    json_object_set_new(r->cur, name, arr);
}

static void csv_cell(void *data, size_t n, void *ud)
{
    struct csv_read *r = ud;
    const char *s = data ? data : "";
    const char *name;
    char ptr[96], msg[96];
    size_t bad;

    if (r->row == 1) {
        csv_header_cell(r, s, n);
    } else if (!r->header_bad && r->col < r->ncol && json_array_size(r->items) <= IMPORT_MAX) {
        name = csv_columns[r->map[r->col]];
        snprintf(ptr, sizeof(ptr), "/rows/%lld/%s", r->row, name);
        if (n > 0)
            r->any = 1;
        if (r->cur == NULL)
            r->cur = json_object();
        if (memchr(s, '\0', n) != NULL) {
            csv_err(r, ptr, "must not contain NUL characters");
        } else if (!sw_utf8_valid(s, n, &bad)) {
            snprintf(msg, sizeof(msg), "is not UTF-8 (byte %zu of the cell)", bad + 1);
            csv_err(r, ptr, msg);
        } else if (n > 0) {
            csv_data_cell(r, name, s, n);
        }
    }
    r->col++;
}

/* The end of a record (c: the CR or LF that ended it, -1 at the end of the data). With
 * CSV_REPALL_NL every line break outside a record is reported too: the LF of a CRLF is folded
 * into its CR, other reports are blank rows. */
static void csv_end(int c, void *ud)
{
    struct csv_read *r = ud;
    char ptr[48], msg[96];

    if (r->col == 0 && c == '\n' && r->last_cr) {
        r->last_cr = 0;
        return;
    }
    r->last_cr = c == '\r';
    if (r->row == 1) {
        r->ncol = r->col;
        if (r->col == 0)
            r->row--;             /* blank lines before the header */
    } else if (!r->header_bad && r->col > r->ncol) {
        snprintf(ptr, sizeof(ptr), "/rows/%lld", r->row);
        snprintf(msg, sizeof(msg), "has %zu cells; the header has %zu columns", r->col, r->ncol);
        csv_err(r, ptr, msg);
    }
    if (r->cur != NULL && r->any) {
        json_object_set_new(r->cur, "_row", json_integer(r->row));
        json_array_append_new(r->items, r->cur);
    } else {
        json_decref(r->cur);
    }
    r->cur = NULL;
    r->any = 0;
    r->col = 0;
    r->row++;
}

static int csv_no_space(unsigned char ch)
{
    (void)ch;
    return 0;
}

json_t *sw_portfolio_csv_items(const char *buf, size_t len, struct sw_verrs *errs)
{
    struct csv_parser p;
    struct csv_read r;
    size_t done;
    char ptr[48], msg[200];

    memset(&r, 0, sizeof(r));
    r.items = json_array();
    r.errs = errs;
    r.row = 1;
    if (r.items == NULL || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        json_decref(r.items);
        return NULL;
    }
    csv_set_space_func(&p, csv_no_space);
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {     /* a spreadsheet's BOM */
        buf += 3;
        len -= 3;
    }
    done = csv_parse(&p, buf, len, csv_cell, csv_end, &r);
    if (done == len && csv_fini(&p, csv_cell, csv_end, &r) == 0) {
        csv_free(&p);
        json_decref(r.cur);
        if (r.row == 1 && r.ncol == 0 && len > 0)
            csv_err(&r, "/header", "the first row must name the columns");
        return r.items;
    }
    if (csv_error(&p) == CSV_ENOMEM) {
        csv_free(&p);
        json_decref(r.cur);
        json_decref(r.items);
        return NULL;
    }
    /* Strict mode refused a quote: name the row it is in, whose cells are not kept. */
    if (r.row == 1)
        sw_strlcpy(ptr, "/header", sizeof(ptr));
    else
        snprintf(ptr, sizeof(ptr), "/rows/%lld", r.row);
    if (done < len)
        snprintf(msg, sizeof(msg), "malformed CSV at byte %zu: a quote inside a cell that is "
                 "not quoted, or text after a closing quote (write a quote as \"\" inside a "
                 "quoted cell)", done + 1);
    else
        snprintf(msg, sizeof(msg), "malformed CSV: a quoted cell is not closed before the end");
    csv_err(&r, ptr, msg);
    csv_free(&p);
    json_decref(r.cur);
    return r.items;
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
                                           k ? ";" : "", json_string_value(x) ?: "");

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
