/* portfolio.c — an exporter's portfolio: items one by one, bulk import (JSON or CSV in
 * UTF-8, UTF-16 or GB18030; adding, updating by id or replacing the whole; validated as a
 * whole: all stored or a 400 naming every bad row), export (JSON, CSV as Excel reads it, or
 * .xlsx), and checks without storing for the portal's inline validation. The exporter owns
 * it (an association its sector watch, the same API); admins may change it; centre staff may
 * read it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "seawall/accounts.h"
#include "seawall/buf.h"
#include "seawall/charset.h"
#include "seawall/config.h"
#include "seawall/log.h"
#include "seawall/i18n.h"
#include "seawall/portfolio.h"
#include "seawall/store.h"
#include "seawall/xlsx.h"
#include "api.h"

#define IMPORT_MAX 10000
#define ERRORS_MAX 1000

/* The columns of a CSV import and export, in the export's order. */
static const char *const csv_columns[] = { "id", "kind", "text", "classes", "countries",
                                           "aliases", "number", "country", "show", "label",
                                           NULL };
#define COLUMN_NAMES "id, kind, text, classes, countries, aliases, number, country, show, label"

/* The subscriber of the path, when the caller may see it (and, for write, change it). */
static int subscriber(struct sw_ctx *c, int write, long long *sub)
{
    json_t *doc;
    int rc;

    if (sw_param_id(c, "id", sub) != SW_OK)
        return SW_NOTFOUND;
    /* An association's sector watch is its own subscriber's portfolio (associations.h). */
    if (((c->who.role & (SW_ROLE_EXPORTER | SW_ROLE_ASSOCIATION)) && c->who.subject != *sub) ||
        (write && !(c->who.role & (SW_ROLE_EXPORTER | SW_ROLE_ASSOCIATION | SW_ROLE_ADMIN))) ||
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

/* ?dry_run=true|false (default false). Returns 0, 1, or -1 after adding a problem to errs. */
static int dry_run_param(struct sw_ctx *c, struct sw_verrs *errs)
{
    const char *v = sw_query(c, "dry_run");

    if (v == NULL || strcmp(v, "false") == 0)
        return 0;
    if (strcmp(v, "true") == 0)
        return 1;
    sw_verrs_add(errs, "dry_run", "must be true or false");
    return -1;
}

static const char *const mode_names[] = { "add", "upsert", "replace", NULL };

static int mode_parse(const char *v, enum sw_pf_mode *mode)
{
    int i;

    for (i = 0; v != NULL && mode_names[i] != NULL; i++)
        if (strcmp(v, mode_names[i]) == 0) {
            *mode = (enum sw_pf_mode)i;
            return SW_OK;
        }
    return SW_INVALID;
}

/* 400 listing every problem in errs (emptied), with extra's members (stolen, may be NULL)
 * beside them: for a CSV import, the charset it was read in. */
static void reply_rows_invalid(struct sw_ctx *c, const char *slug, struct sw_verrs *errs,
                               json_t *extra)
{
    json_t *first, *p;
    char ptr[160], msg[400];

    if (strcmp(slug, "bad-encoding") != 0) {
        sw_reply_invalid_with(c, errs, extra);
        return;
    }
    first = json_array_get(errs->list, 0);
    p = extra ? extra : json_object();
    sw_strlcpy(ptr, json_string_value(json_object_get(first, "pointer")) ?: "", sizeof(ptr));
    sw_strlcpy(msg, json_string_value(json_object_get(first, "message")) ?: "", sizeof(msg));
    json_object_set_new(p, "errors", errs->list);
    errs->list = NULL;
    sw_reply_problem(c, 400, slug, "Text in an unknown encoding", p, "%s %s", ptr, msg);
}

static void reply_full(struct sw_ctx *c)
{
    sw_reply_problem(c, 409, "portfolio-full", "Portfolio full", NULL,
                     "a portfolio holds at most %d items", SW_PORTFOLIO_MAX);
}

/* Checks that a show item names a fair that exists (the problem goes to errs at /show).
 * SW_OK when it does or the item is of another kind; SW_INVALID with errs grown; or the
 * store's code. */
static int shows_known(struct sw_ctx *c, const json_t *item, struct sw_verrs *errs)
{
    json_t *items = json_pack("[O]", item), *prefixes = json_pack("[s]", "");
    size_t before = sw_verrs_count(errs);
    int rc = items != NULL && prefixes != NULL
                 ? sw_portfolio_check_shows(c->store, items, prefixes, errs) : SW_ERR;

    json_decref(items);
    json_decref(prefixes);
    return rc == SW_OK && sw_verrs_count(errs) > before ? SW_INVALID : rc;
}

/* POST …/portfolio: one item. ?dry_run=true checks it (and that there is room) and answers
 * 200 with the item as it would be stored, storing nothing. */
void sw_h_portfolio_create(struct sw_ctx *c)
{
    char err[512], loc[96];
    struct sw_verrs errs;
    struct sw_pf_outcome o;
    long long sub;
    json_t *item, *items;
    int dry, rc = SW_OK;

    sw_verrs_init(&errs);
    dry = dry_run_param(c, &errs);
    if (sw_reply_params_invalid(c, &errs) != SW_OK || subscriber(c, 1, &sub) != SW_OK)
        return;
    if (sw_json_parse_object(c->req->body ? c->req->body : "", c->req->body_len, 16, &item, err,
                             sizeof(err)) != SW_OK) {
        sw_reply_problem(c, 400, "malformed-json", "Malformed JSON", NULL, "%s", err);
        return;
    }
    sw_verrs_init(&errs);
    if (sw_portfolio_check(item, "", 0, &errs) > 0 ||
        (rc = shows_known(c, item, &errs)) != SW_OK) {
        json_decref(item);
        if (sw_verrs_count(&errs) > 0)
            sw_reply_invalid(c, &errs);
        else
            sw_reply_store(c, rc, "checking the item's fair");
        sw_verrs_free(&errs);
        return;
    }
    items = json_pack("[O]", item);
    rc = items ? sw_portfolio_apply(c->store, sub, SW_PF_ADD, items, NULL, dry, &o, &errs)
               : SW_ERR;
    sw_verrs_free(&errs);
    json_decref(items);
    if (rc == SW_OK)
        json_decref(o.removed);
    if (rc == SW_TOOBIG) {
        reply_full(c);
    } else if (rc != SW_OK) {
        sw_reply_store(c, rc, "storing a portfolio item");
    } else if (dry) {
        sw_reply_json(c, 200, json_incref(item));
    } else {
        snprintf(loc, sizeof(loc), "%s/%" JSON_INTEGER_FORMAT, c->req->path,
                 json_integer_value(json_object_get(item, "id")));
        sw_reply_header(c, "Location", loc);
        sw_reply_json(c, 201, json_incref(item));
    }
    json_decref(item);
}

/* POST …/portfolio/check: one item as the portal has it while a person types, checked as
 * create (or, with its "id", as the whole new state of that item) would check it. Answers 200
 * with the item as it would be stored, or the same 400; stores nothing. */
void sw_h_portfolio_check(struct sw_ctx *c)
{
    char err[512];
    struct sw_verrs errs;
    long long sub, id = 0;
    json_t *item, *idv, *cur = NULL;
    int rc;

    if (subscriber(c, 1, &sub) != SW_OK)
        return;
    if (sw_json_parse_object(c->req->body ? c->req->body : "", c->req->body_len, 16, &item, err,
                             sizeof(err)) != SW_OK) {
        sw_reply_problem(c, 400, "malformed-json", "Malformed JSON", NULL, "%s", err);
        return;
    }
    sw_verrs_init(&errs);
    idv = json_incref(json_object_get(item, "id"));
    json_object_del(item, "id");
    json_object_del(item, "normalised");
    if (idv != NULL) {
        if (!json_is_integer(idv) || json_integer_value(idv) < 1) {
            sw_verrs_add(&errs, "/id", "must be an item's id (a whole number from 1)");
        } else {
            id = json_integer_value(idv);
            rc = sw_portfolio_get(c->store, sub, id, &cur);
            if (rc == SW_NOTFOUND) {
                sw_verrs_add(&errs, "/id", "no item %lld in this portfolio", id);
            } else if (rc != SW_OK) {
                json_decref(idv);
                json_decref(item);
                sw_verrs_free(&errs);
                sw_reply_store(c, rc, "loading a portfolio item");
                return;
            }
            json_decref(cur);
        }
    }
    json_decref(idv);
    rc = sw_portfolio_check(item, "", 0, &errs) > 0 ? SW_INVALID : shows_known(c, item, &errs);
    if (sw_verrs_count(&errs) > 0 || rc != SW_OK) {
        json_decref(item);
        if (sw_verrs_count(&errs) > 0)
            sw_reply_invalid(c, &errs);
        else
            sw_reply_store(c, rc, "checking the item's fair");
        sw_verrs_free(&errs);
        return;
    }
    sw_verrs_free(&errs);
    if (id > 0)
        json_object_set_new(item, "id", json_integer(id));
    sw_reply_json(c, 200, item);
}

/* --- CSV import ------------------------------------------------------------------------------
 * The body is first read into UTF-8 (sw_text_decode: a BOM, ?charset= or the Content-Type's
 * charset, else UTF-8 or GB18030 as the bytes show); a byte that is not in the encoding is a
 * 400 bad-encoding naming its row, column and offset in the file. The header's first line
 * says the delimiter: a tab when it has one (Excel's "Unicode text" and "Text (Tab
 * delimited)"), else a comma.
 * libcsv in strict mode reads RFC 4180: cells quoted with ", a quote inside written "", commas
 * and line breaks inside quotes kept; a quote inside an unquoted cell, text after a closing
 * quote, or an unterminated quote is refused, never guessed at. Spaces are part of a cell.
 * The first record is the header: each column named once, from csv_columns (so at most
 * CSV_COLS columns). Nothing is cut: a cell reaches the item whole and meets the same checks
 * as a JSON import's field; a cell holding a NUL, or a row with more cells than the header has
 * columns, is an error naming the row (a spreadsheet's row number: the header is row 1, blank
 * rows count) and column. Rows of empty cells are skipped. A cell that begins with ' and then
 * a character the export's formula guard protects (sw_csv_formula_start) loses the ': the
 * guard's mark, so an exported file imports back unchanged. */

#define CSV_COLS (SW_ARRAY_LEN(csv_columns) - 1)

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
    int locate;             /* only count rows and cells (finding a bad byte's place) */
};

static void csv_err(struct csv_read *r, const char *pointer, const char *msg)
{
    if (!r->locate && sw_verrs_count(r->errs) < ERRORS_MAX)
        sw_verrs_add(r->errs, pointer, "%s", msg);
}

static void csv_header_cell(struct csv_read *r, const char *s, size_t n)
{
    char ptr[48], msg[200];
    size_t k;

    snprintf(ptr, sizeof(ptr), "/header/%zu", r->col);
    for (k = 0; k < CSV_COLS; k++)
        if (strlen(csv_columns[k]) == n && memcmp(csv_columns[k], s, n) == 0)
            break;
    if (k == CSV_COLS) {
        if (n <= 40 && memchr(s, '\0', n) == NULL && sw_utf8_valid(s, n, NULL))
            snprintf(msg, sizeof(msg), "unknown column \"%.*s\"; columns are " COLUMN_NAMES,
                     (int)n, s);
        else
            snprintf(msg, sizeof(msg), "unknown column; columns are " COLUMN_NAMES);
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

/* One data cell, already checked to hold no NUL: a string, or for the list columns the
 * ";"-separated parts (leading spaces dropped), classes as integers where they are; the id as
 * an integer. */
static void csv_data_cell(struct csv_read *r, const char *name, const char *s, size_t n,
                          const char *ptr)
{
    int classes = strcmp(name, "classes") == 0;
    json_t *arr;
    const char *p = s, *end = s + n;
    char num[24];
    long long v;

    if (strcmp(name, "id") == 0) {
        if (n < sizeof(num)) {
            memcpy(num, s, n);
            num[n] = '\0';
        }
        if (n < sizeof(num) && sw_parse_ll(num, 1, INT64_MAX, &v) == SW_OK)
            json_object_set_new(r->cur, name, json_integer(v));
        else
            csv_err(r, ptr, "must be an item's id (a whole number from 1, as the export "
                            "writes it), or empty for a new item");
        return;
    }
    if (strcmp(name, "aliases") != 0 && strcmp(name, "countries") != 0 && !classes) {
        json_object_set_new(r->cur, name, json_stringn(s, n));
        return;
    }
    arr = json_array();
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p)), *stop = semi ? semi : end;

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

/* 1 when s is one or more ' and then what the formula guard protects: the export writes one
 * ' more before such a text (sw_csv_cell adds it where there was none), an import takes one
 * off, so every text survives the round trip. */
static int guard_marked(const char *s, size_t n)
{
    size_t k = 0;

    while (k < n && s[k] == '\'')
        k++;
    return k > 0 && k < n && memchr(s, '\0', n) == NULL && sw_csv_formula_start(s + k);
}

static void csv_cell(void *data, size_t n, void *ud)
{
    struct csv_read *r = ud;
    const char *s = data ? data : "";
    const char *name;
    char ptr[96];

    if (r->row == 1) {
        csv_header_cell(r, s, n);
    } else if (!r->locate && !r->header_bad && r->col < r->ncol &&
               json_array_size(r->items) <= IMPORT_MAX) {
        name = csv_columns[r->map[r->col]];
        snprintf(ptr, sizeof(ptr), "/rows/%lld/%s", r->row, name);
        if (n > 0)
            r->any = 1;
        if (r->cur == NULL)
            r->cur = json_object();
        if (guard_marked(s, n)) {
            s++;          /* the formula guard's mark */
            n--;
        }
        if (memchr(s, '\0', n) != NULL)
            csv_err(r, ptr, "must not contain NUL characters");
        else if (n > 0)
            csv_data_cell(r, name, s, n, ptr);
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

/* The delimiter the header's line uses: a tab when it has one, else a comma. */
static char csv_delimiter(const char *text, size_t len)
{
    size_t i = 0;

    while (i < len && (text[i] == '\r' || text[i] == '\n'))
        i++;                      /* blank lines before the header */
    for (; i < len && text[i] != '\r' && text[i] != '\n'; i++)
        if (text[i] == '\t')
            return '\t';
    return ',';
}

static int csv_start(struct csv_parser *p, struct csv_read *r, char delim,
                     struct sw_verrs *errs)
{
    memset(r, 0, sizeof(*r));
    r->items = json_array();
    r->errs = errs;
    r->row = 1;
    if (r->items == NULL || csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        json_decref(r->items);
        return SW_ERR;
    }
    csv_set_space_func(p, csv_no_space);
    csv_set_delim(p, (unsigned char)delim);
    return SW_OK;
}

/* Where the text before a bad byte ends: the pointer of the cell the byte is in. */
static void csv_locate(const char *text, size_t len, char delim, char *ptr, size_t ptrlen)
{
    struct csv_parser p;
    struct csv_read r;
    struct sw_verrs none;

    sw_verrs_init(&none);
    sw_strlcpy(ptr, "/header", ptrlen);
    if (csv_start(&p, &r, delim, &none) != SW_OK) {
        sw_verrs_free(&none);
        return;
    }
    r.locate = 1;
    csv_parse(&p, text, len, csv_cell, csv_end, &r);
    if (r.row <= 1)
        snprintf(ptr, ptrlen, "/header/%zu", r.col);
    else if (r.header_bad || r.col >= r.ncol)
        snprintf(ptr, ptrlen, "/rows/%lld", r.row);
    else
        snprintf(ptr, ptrlen, "/rows/%lld/%s", r.row, csv_columns[r.map[r.col]]);
    csv_free(&p);
    json_decref(r.cur);
    json_decref(r.items);
    sw_verrs_free(&none);
}

/* The problem of a byte that is not in the encoding the body was read in. */
static void csv_bad_encoding(const struct sw_text *t, int declared, struct sw_verrs *errs)
{
    char ptr[96], bytes[32];
    size_t i, used = 0;

    csv_locate(t->text, t->len, csv_delimiter(t->text, t->len), ptr, sizeof(ptr));
    for (i = 0; i < t->nbad && i < 2; i++)
        used += (size_t)snprintf(bytes + used, sizeof(bytes) - used, "%s0x%02X", i ? " " : "",
                                 t->bad[i]);
    if (t->pua)
        sw_verrs_add(errs, ptr, "byte %zu of the file (%s) reads in %s as a private-use "
                     "character, not text: if the file is in another encoding, name it with "
                     "?charset=", t->bad_at + 1, bytes, sw_charset_name(t->charset));
    else if (!declared && t->charset == SW_CS_GB18030)
        sw_verrs_add(errs, ptr, "byte %zu of the file (%s) is neither UTF-8 nor GB18030 (GBK): "
                     "save the file as \"CSV UTF-8\", or name its encoding with ?charset=",
                     t->bad_at + 1, bytes);
    else
        sw_verrs_add(errs, ptr, "byte %zu of the file (%s) is not %s%s", t->bad_at + 1, bytes,
                     sw_charset_name(t->charset),
                     declared ? "" : ": save the file as \"CSV UTF-8\", or name its encoding "
                                     "with ?charset=");
}

json_t *sw_portfolio_csv_read(const char *buf, size_t len, enum sw_charset cs,
                              struct sw_csv_info *info, struct sw_verrs *errs)
{
    struct csv_parser p;
    struct csv_read r;
    struct sw_text t;
    size_t done;
    char ptr[48], msg[200];
    int rc = sw_text_decode(buf, len, cs, &t);

    memset(info, 0, sizeof(*info));
    info->delim = ',';
    if (rc == SW_ERR)
        return NULL;
    info->charset = t.charset;
    if (rc == SW_INVALID) {
        csv_bad_encoding(&t, cs != SW_CS_AUTO || t.bom, errs);
        info->bad_encoding = 1;
        sw_text_free(&t);
        return json_array();
    }
    info->delim = csv_delimiter(t.text, t.len);
    if (csv_start(&p, &r, info->delim, errs) != SW_OK) {
        sw_text_free(&t);
        return NULL;
    }
    done = csv_parse(&p, t.text, t.len, csv_cell, csv_end, &r);
    if (done == t.len && csv_fini(&p, csv_cell, csv_end, &r) == 0) {
        csv_free(&p);
        json_decref(r.cur);
        if (r.row == 1 && r.ncol == 0 && t.len > 0)
            csv_err(&r, "/header", "the first row must name the columns");
        sw_text_free(&t);
        return r.items;
    }
    if (csv_error(&p) == CSV_ENOMEM) {
        csv_free(&p);
        json_decref(r.cur);
        json_decref(r.items);
        sw_text_free(&t);
        return NULL;
    }
    /* Strict mode refused a quote: name the row it is in, whose cells are not kept. */
    if (r.row == 1)
        sw_strlcpy(ptr, "/header", sizeof(ptr));
    else
        snprintf(ptr, sizeof(ptr), "/rows/%lld", r.row);
    if (done < t.len)
        snprintf(msg, sizeof(msg), "malformed CSV at byte %zu: a quote inside a cell that is "
                 "not quoted, or text after a closing quote (write a quote as \"\" inside a "
                 "quoted cell)", done + 1);
    else
        snprintf(msg, sizeof(msg), "malformed CSV: a quoted cell is not closed before the end");
    csv_err(&r, ptr, msg);
    csv_free(&p);
    json_decref(r.cur);
    sw_text_free(&t);
    return r.items;
}

json_t *sw_portfolio_csv_items(const char *buf, size_t len, struct sw_verrs *errs)
{
    struct sw_csv_info info;

    return sw_portfolio_csv_read(buf, len, SW_CS_AUTO, &info, errs);
}

/* --- import ------------------------------------------------------------------------------- */

/* The charset a CSV body is in, if the client said: ?charset=, else the Content-Type's
 * charset parameter. SW_CS_AUTO when neither; -1 after adding a problem to errs. */
static int csv_charset(struct sw_ctx *c, enum sw_charset *cs, struct sw_verrs *errs)
{
    const char *q = sw_query(c, "charset"), *ct = c->req->content_type, *p;
    char name[40];
    size_t n;

    *cs = SW_CS_AUTO;
    if (q != NULL) {
        if (sw_charset_parse(q, cs) != SW_OK) {
            sw_verrs_add(errs, "charset", "must be utf-8, utf-16, utf-16le, utf-16be, gb18030 "
                         "or gbk");
            return -1;
        }
        return 0;
    }
    for (p = ct; p != NULL && *p != '\0' && strncasecmp(p, "charset=", 8) != 0; p++)
        ;
    if (p == NULL || *p == '\0')
        return 0;
    p += 8;
    if (*p == '"')
        p++;
    n = strcspn(p, "\"; ");
    if (n >= sizeof(name) || (memcpy(name, p, n), name[n] = '\0',
                              sw_charset_parse(name, cs) != SW_OK)) {
        sw_verrs_add(errs, "Content-Type", "charset must be utf-8, utf-16, utf-16le, utf-16be, "
                     "gb18030 or gbk");
        return -1;
    }
    return 0;
}

/* Checks one row of an import (item, at prefix) for mode: its "id" (a whole number, and only
 * where the mode updates), the derived "normalised" an export carries (dropped), the rest as
 * a new item. Problems go to errs. */
static void import_row(json_t *it, const char *prefix, enum sw_pf_mode mode, int csv,
                       struct sw_verrs *errs)
{
    json_t *id;
    char ptr[96];

    if (!json_is_object(it)) {
        sw_portfolio_check(it, prefix, 0, errs);
        return;
    }
    json_object_del(it, "_row");
    id = json_incref(json_object_get(it, "id"));
    json_object_del(it, "id");
    json_object_del(it, "normalised");
    snprintf(ptr, sizeof(ptr), "%s/id", prefix);
    if (id != NULL && (!json_is_integer(id) || json_integer_value(id) < 1)) {
        sw_verrs_add(errs, ptr, "must be an item's id (a whole number from 1)");
    } else if (id != NULL && mode == SW_PF_ADD) {
        if (csv)
            sw_verrs_add(errs, ptr, "an import with mode=add adds new items: to update item "
                         "%lld import with mode=upsert (or replace), or leave the id column out "
                         "to add a copy", (long long)json_integer_value(id));
        else
            sw_verrs_add(errs, ptr, "an import with mode=add adds new items: to update item "
                         "%lld import with mode=upsert (or replace), or leave the id out to add "
                         "a copy", (long long)json_integer_value(id));
    }
    sw_portfolio_check(it, prefix, 0, errs);
    if (id != NULL && json_is_integer(id))
        json_object_set(it, "id", id);
    json_decref(id);
}

/* POST …/portfolio/import: JSON {"items": […], "mode": …} or CSV; ?mode=add|upsert|replace
 * (the JSON member says the same), ?dry_run=true, ?charset= for CSV. All or nothing. */
void sw_h_portfolio_import(struct sw_ctx *c)
{
    struct sw_verrs errs;
    struct sw_csv_info info;
    struct sw_pf_outcome o;
    json_t *doc = NULL, *items = NULL, *it, *prefixes, *res, *extra = NULL;
    enum sw_pf_mode mode = SW_PF_ADD;
    enum sw_charset cs = SW_CS_AUTO;
    const char *qmode = sw_query(c, "mode");
    long long sub;
    char err[512], prefix[48];
    size_t i;
    int csv = c->req->content_type != NULL && strncasecmp(c->req->content_type, "text/csv", 8) == 0;
    int dry, rc;

    sw_verrs_init(&errs);
    dry = dry_run_param(c, &errs);
    if (qmode != NULL && mode_parse(qmode, &mode) != SW_OK)
        sw_verrs_add(&errs, "mode", "must be add, upsert or replace");
    if (csv)
        csv_charset(c, &cs, &errs);
    else if (sw_query(c, "charset") != NULL)
        sw_verrs_add(&errs, "charset", "applies to a CSV body (text/csv); JSON is UTF-8");
    if (sw_reply_params_invalid(c, &errs) != SW_OK || subscriber(c, 1, &sub) != SW_OK)
        return;
    sw_verrs_init(&errs);
    if (csv) {
        items = sw_portfolio_csv_read(c->req->body ? c->req->body : "", c->req->body_len, cs,
                                      &info, &errs);
        if (items == NULL) {
            sw_verrs_free(&errs);
            sw_reply_store(c, SW_ERR, "reading a CSV import");
            return;
        }
        extra = json_pack("{s:s, s:s}", "charset", sw_charset_name(info.charset), "delimiter",
                          info.delim == '\t' ? "tab" : "comma");
        if (info.bad_encoding) {
            json_decref(items);
            reply_rows_invalid(c, "bad-encoding", &errs, extra);
            return;
        }
    } else {
        json_t *m;
        const char *k;
        json_t *v;

        if (sw_json_parse_object(c->req->body ? c->req->body : "", c->req->body_len, 16, &doc,
                                 err, sizeof(err)) != SW_OK) {
            sw_verrs_free(&errs);
            sw_reply_problem(c, 400, "malformed-json", "Malformed JSON", NULL, "%s", err);
            return;
        }
        items = json_incref(json_object_get(doc, "items"));
        if (!json_is_array(items))
            sw_verrs_add(&errs, "/items", "send {\"items\": [ … ]} (and \"mode\" if you like)");
        json_object_foreach(doc, k, v)
            if (strcmp(k, "items") != 0 && strcmp(k, "mode") != 0)
                sw_verrs_add(&errs, "/items", "send {\"items\": [ … ]} and nothing else but "
                             "\"mode\"");
        m = json_object_get(doc, "mode");
        if (m != NULL) {
            enum sw_pf_mode bm;

            if (mode_parse(json_string_value(m), &bm) != SW_OK)
                sw_verrs_add(&errs, "/mode", "must be add, upsert or replace");
            else if (qmode != NULL && bm != mode)
                sw_verrs_add(&errs, "/mode", "differs from ?mode=%s", qmode);
            else
                mode = bm;
        }
        json_decref(doc);
    }
    if (json_array_size(items) > IMPORT_MAX)
        sw_verrs_add(&errs, csv ? "/rows" : "/items", "at most %d items in one import",
                     IMPORT_MAX);
    prefixes = json_array();
    json_array_foreach(items, i, it) {
        if (sw_verrs_count(&errs) >= ERRORS_MAX || json_array_size(items) > IMPORT_MAX)
            break;
        if (csv)
            snprintf(prefix, sizeof(prefix), "/rows/%" JSON_INTEGER_FORMAT,
                     json_integer_value(json_object_get(it, "_row")));
        else
            snprintf(prefix, sizeof(prefix), "/items/%zu", i);
        json_array_append_new(prefixes, json_string(prefix));
        import_row(it, prefix, mode, csv, &errs);
    }
    rc = prefixes == NULL                ? SW_ERR
         : sw_verrs_count(&errs) > 0 || items == NULL ? SW_INVALID
         : sw_portfolio_check_shows(c->store, items, prefixes, &errs);
    if (rc == SW_OK && sw_verrs_count(&errs) > 0)
        rc = SW_INVALID;   /* a show item naming no fair */
    if (rc == SW_OK)
        rc = sw_portfolio_apply(c->store, sub, mode, items, prefixes, dry, &o, &errs);
    json_decref(prefixes);
    if (rc == SW_INVALID) {
        json_decref(items);
        reply_rows_invalid(c, "validation", &errs, extra);
        return;
    }
    sw_verrs_free(&errs);
    if (rc != SW_OK) {
        json_decref(items);
        json_decref(extra);
        if (rc == SW_TOOBIG)
            reply_full(c);
        else
            sw_reply_store(c, rc, "storing portfolio items");
        return;
    }
    res = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "mode", mode_names[mode],
                    "dry_run", dry, "stored", (json_int_t)(o.added + o.updated),
                    "added", (json_int_t)o.added, "updated", (json_int_t)o.updated,
                    "unchanged", (json_int_t)o.unchanged,
                    "removed", (json_int_t)json_array_size(o.removed), "removed_ids", o.removed,
                    "items", items);
    if (res != NULL && extra != NULL)
        json_object_update(res, extra);
    json_decref(extra);
    sw_reply_json(c, dry || mode != SW_PF_ADD ? 200 : 201, res);
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

/* --- export ------------------------------------------------------------------------------- */

/* Cell col of item it as text: lists joined with sep, numbers in decimal. Returns SW_OK or
 * SW_TOOBIG (cell's ceiling). */
static int cell_text(const json_t *it, const char *col, const char *sep, struct sw_buf *cell)
{
    json_t *v = json_object_get(it, col), *x;
    size_t k;
    int rc = SW_OK;

    sw_buf_reset(cell);
    sw_buf_adds(cell, "");
    if (json_is_array(v)) {
        json_array_foreach(v, k, x) {
            if (k > 0)
                rc |= sw_buf_adds(cell, sep);
            if (json_is_integer(x))
                rc |= sw_buf_printf(cell, "%" JSON_INTEGER_FORMAT, json_integer_value(x));
            else
                rc |= sw_buf_adds(cell, json_string_value(x) ?: "");
        }
    } else if (json_is_integer(v)) {
        rc |= sw_buf_printf(cell, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_string(v)) {
        rc |= sw_buf_add(cell, json_string_value(v), json_string_length(v));
    }
    return rc == SW_OK ? SW_OK : SW_TOOBIG;
}

/* The CSV: a UTF-8 BOM (so Excel reads it as UTF-8, Chinese intact), the header, a row per
 * item with CRLF line ends, every cell quoted and formula-guarded. */
static int export_csv(const json_t *items, struct sw_buf *out)
{
    struct sw_buf cell, marked;
    const char *const *col;
    size_t i;
    json_t *it;
    int rc = sw_buf_add(out, "\xEF\xBB\xBF", 3);

    for (col = csv_columns; rc == SW_OK && *col != NULL; col++) {
        if (col != csv_columns)
            rc = sw_buf_adds(out, ",");
        if (rc == SW_OK)
            rc = sw_buf_adds(out, *col);
    }
    if (rc == SW_OK)
        rc = sw_buf_adds(out, "\r\n");
    sw_buf_init(&cell, 1024 * 1024);
    sw_buf_init(&marked, 1024 * 1024 + 1);
    json_array_foreach(items, i, it) {
        if (rc != SW_OK)
            break;
        for (col = csv_columns; rc == SW_OK && *col != NULL; col++) {
            rc = cell_text(it, *col, ";", &cell);
            if (rc == SW_OK && guard_marked(cell.p, cell.len)) {
                sw_buf_reset(&marked);
                rc = sw_buf_adds(&marked, "'") | sw_buf_add(&marked, cell.p, cell.len);
                rc = rc == SW_OK ? SW_OK : SW_TOOBIG;
                if (rc == SW_OK)
                    rc = sw_csv_cell(out, marked.p, col == csv_columns);
            } else if (rc == SW_OK) {
                rc = sw_csv_cell(out, cell.p ? cell.p : "", col == csv_columns);
            }
        }
        if (rc == SW_OK)
            rc = sw_buf_adds(out, "\r\n");
    }
    sw_buf_free(&cell);
    sw_buf_free(&marked);
    return rc;
}

/* The workbook: one sheet, the header row bold and frozen, ids as numbers, every other cell
 * as text (classes too: "9; 42", never a date or a sum), lists joined with "; ". */
static int export_xlsx(struct sw_ctx *c, const json_t *items, struct sw_buf *out)
{
    static const struct sw_xlsx_col cols[] = {
        { "id", 10, 1 }, { "kind", 9, 0 }, { "text", 36, 0 }, { "classes", 12, 0 },
        { "countries", 14, 0 }, { "aliases", 40, 0 }, { "number", 20, 0 },
        { "country", 9, 0 }, { "show", 20, 0 }, { "label", 30, 0 },
    };
    json_t *rows = json_array(), *it;
    struct sw_buf cell;
    size_t i, k;
    char err[256];
    int rc = SW_OK;

    sw_buf_init(&cell, 1024 * 1024);
    json_array_foreach(items, i, it) {
        json_t *row = json_array();

        for (k = 0; k < SW_ARRAY_LEN(cols); k++) {
            json_t *v = json_object_get(it, cols[k].name);

            if (cols[k].number && json_is_integer(v))
                json_array_append(row, v);
            else if (v == NULL)
                json_array_append_new(row, json_null());
            else if (cell_text(it, cols[k].name, "; ", &cell) == SW_OK)
                json_array_append_new(row, json_string(cell.p ? cell.p : ""));
            else
                rc = SW_TOOBIG;
        }
        json_array_append_new(rows, row);
    }
    sw_buf_free(&cell);
    if (rc == SW_OK)
        rc = sw_xlsx_table(sw_config_str(c->cfg, "data.dir"), "Portfolio", cols,
                           SW_ARRAY_LEN(cols), rows, out, err, sizeof(err));
    if (rc == SW_ERR)
        sw_error("portfolio export to .xlsx failed: %s", err);
    json_decref(rows);
    return rc;
}

/* GET …/portfolio/export?format=json|csv|xlsx. The file is named after the subscriber and the
 * day; an export larger than an import may be (api.import_max) answers 507 export-too-large:
 * what is exported can always be imported back. */
void sw_h_portfolio_export(struct sw_ctx *c)
{
    const char *fmt = sw_query(c, "format") ?: "json";
    long long sub, next, cap = sw_config_int(c->cfg, "api.import_max");
    json_t *items, *doc = NULL;
    struct sw_buf out;
    char name[200], day[32];
    int rc;

    if (strcmp(fmt, "csv") != 0 && strcmp(fmt, "json") != 0 && strcmp(fmt, "xlsx") != 0) {
        json_t *errors = json_pack("[{s:s, s:s}]", "parameter", "format", "message",
                                   sw_tr(c->lang, "must be csv, xlsx or json"));

        sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                         "format must be csv, xlsx or json");
        return;
    }
    if (subscriber(c, 0, &sub) != SW_OK)
        return;
    rc = sw_portfolio_list(c->store, sub, 0, 0, NULL, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "exporting a portfolio");
        return;
    }
    if (strcmp(fmt, "json") == 0) {
        sw_reply_json(c, 200, json_pack("{s:o}", "items", items));
        return;
    }
    sw_buf_init(&out, (size_t)cap);
    rc = strcmp(fmt, "csv") == 0 ? export_csv(items, &out) : export_xlsx(c, items, &out);
    if (rc != SW_OK) {
        if (rc == SW_TOOBIG)
            sw_reply_problem(c, 507, "export-too-large", "Export too large", NULL,
                             "the export of %zu items would pass api.import_max (%lld bytes), "
                             "the most an import may hold; export as JSON, or ask an admin to "
                             "raise the limit", json_array_size(items), cap);
        else
            sw_reply_store(c, SW_ERR, "exporting a portfolio");
        json_decref(items);
        sw_buf_free(&out);
        return;
    }
    json_decref(items);
    sw_doc_get(c->store, &sw_kind_subscriber, sub, &doc);
    sw_iso8601(sw_now_ms(), day, sizeof(day));
    day[10] = '\0';
    snprintf(name, sizeof(name), "%.120s portfolio %s.%s",
             json_string_value(json_object_get(doc, "name")) ?: "subscriber", day, fmt);
    json_decref(doc);
    c->resp->status = 200;
    c->resp->ctype = strcmp(fmt, "csv") == 0
                         ? "text/csv; charset=utf-8"
                         : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    sw_reply_attachment(c, name);
    /* The export's buffer becomes the body (its ceiling is the export's); main.c frees it. */
    sw_buf_free(&c->resp->body);
    c->resp->body = out;
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
    if (sw_portfolio_check(merged, "", 0, &errs) > 0 ||
        (rc = shows_known(c, merged, &errs)) != SW_OK) {
        json_decref(patch);
        json_decref(cur);
        json_decref(merged);
        if (sw_verrs_count(&errs) > 0)
            sw_reply_invalid(c, &errs);
        else
            sw_reply_store(c, rc, "checking the item's fair");
        sw_verrs_free(&errs);
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
