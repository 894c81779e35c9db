/* http.c — path matching, query decoding and the reply helpers handlers use. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/store.h"
#include "api.h"

#define PARAM_MAX 256

int sw_route_match(const char *pattern, const char *path, struct sw_req *req)
{
    const char *p = pattern, *s = path;

    req->nparams = 0;
    while (*p != '\0') {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *end = strchr(s, '/');
            size_t n = end ? (size_t)(end - s) : strlen(s);
            struct sw_kv *kv;

            if (close == NULL || n == 0 || n > PARAM_MAX || req->nparams >= SW_MAX_PARAMS)
                goto fail;
            kv = &req->params[req->nparams];
            kv->name = p + 1;   /* ends at '}' — compared with sw_param's length rule */
            kv->value = strndup(s, n);
            if (kv->value == NULL)
                goto fail;
            req->nparams++;
            if (!sw_utf8_valid(kv->value, n, NULL))
                goto fail;   /* no resource has such a name: not found */
            p = close + 1;
            s += n;
            continue;
        }
        if (*p != *s)
            goto fail;
        p++;
        s++;
    }
    if (*s == '\0')
        return 1;
fail:
    while (req->nparams > 0)
        free(req->params[--req->nparams].value);
    return 0;
}

const char *sw_param(const struct sw_ctx *c, const char *name)
{
    size_t n = strlen(name);
    int i;

    for (i = 0; i < c->req->nparams; i++)
        if (strncmp(c->req->params[i].name, name, n) == 0 && c->req->params[i].name[n] == '}')
            return c->req->params[i].value;
    return NULL;
}

/* Decodes n bytes of %-escaped, '+'-for-space text into a new string; NULL when malformed
 * (bad escape, or an escaped NUL). */
static char *url_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    size_t i;

    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi, lo;

            if (i + 2 >= n)
                goto bad;
            hi = sw_hex_digit(s[i + 1]);
            lo = sw_hex_digit(s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                goto bad;
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else if (s[i] == '+') {
            *o++ = ' ';
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

int sw_query_parse(const char *qs, struct sw_req *req, char *err, size_t errlen)
{
    const char *p = qs;

    req->nqs = 0;
    while (p != NULL && *p != '\0') {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        size_t klen = eq ? (size_t)(eq - p) : n;
        char *name, *value;
        int i;

        if (n == 0) {
            p = amp ? amp + 1 : NULL;
            continue;
        }
        if (req->nqs >= SW_MAX_QUERY) {
            snprintf(err, errlen, sw_t("more than %d query parameters"), SW_MAX_QUERY);
            return SW_INVALID;
        }
        name = url_decode(p, klen);
        value = eq ? url_decode(eq + 1, n - klen - 1) : strdup("");
        if (name == NULL || value == NULL) {
            /* xgettext:no-c-format */
            snprintf(err, errlen, "%s", sw_t("malformed %-escape in the query string"));
            free(name);
            free(value);
            return SW_INVALID;
        }
        if (!sw_utf8_valid(name, strlen(name), NULL)) {   /* no route takes such a name */
            char shown[4 * 64 + 1];

            sw_utf8_escape(name, strnlen(name, 64), 1, shown, sizeof(shown));
            snprintf(err, errlen, "unknown query parameter \"%s\": not UTF-8", shown);
            free(name);
            free(value);
            return SW_INVALID;
        }
        for (i = 0; i < req->nqs; i++) {
            if (strcmp(req->qs[i].name, name) == 0) {
                snprintf(err, errlen, sw_t("query parameter \"%.64s\" given twice"), name);
                free(name);
                free(value);
                return SW_INVALID;
            }
        }
        req->qs[req->nqs].name = name;
        req->qs[req->nqs].value = value;
        req->nqs++;
        p = amp ? amp + 1 : NULL;
    }
    return SW_OK;
}

const char *sw_query(const struct sw_ctx *c, const char *name)
{
    int i;

    for (i = 0; i < c->req->nqs; i++)
        if (strcmp(c->req->qs[i].name, name) == 0)
            return c->req->qs[i].value;
    return NULL;
}

void sw_req_free(struct sw_req *req)
{
    int i;

    for (i = 0; i < req->nparams; i++)
        free(req->params[i].value);
    for (i = 0; i < req->nqs; i++) {
        free((char *)req->qs[i].name);
        free(req->qs[i].value);
    }
    req->nparams = 0;
    req->nqs = 0;
    free(req->body);
    req->body = NULL;
}

static void reply_text(struct sw_ctx *c, int status, const char *ctype, const char *text)
{
    c->resp->status = status;
    c->resp->ctype = ctype;
    sw_buf_reset(&c->resp->body);
    if (text == NULL || sw_buf_adds(&c->resp->body, text) != SW_OK) {
        sw_error("response body of %zu bytes could not be kept", text ? strlen(text) : 0);
        c->resp->status = 500;
        c->resp->ctype = "application/problem+json";
        sw_buf_reset(&c->resp->body);
        sw_buf_adds(&c->resp->body, "{\"type\":\"urn:seawall:problem:internal\","
                                    "\"title\":\"Internal error\",\"status\":500}");
    }
}

void sw_reply_json(struct sw_ctx *c, int status, json_t *v)
{
    char *text = v ? sw_json_dumps(v) : NULL;

    reply_text(c, status, "application/json", text);
    free(text);
    json_decref(v);
}

/* The problem answer with detail made from fmt, which is already in the thread's language.
 * The detail and the instance carry request bytes (a path, a query parameter's name or value)
 * and may have been cut inside a character: each is escaped to valid UTF-8 (sw_utf8_escape)
 * so that JSON can hold it and the answer is never lost to a 500. */
static void problem_va(struct sw_ctx *c, int status, const char *slug, const char *title,
                       json_t *errors, const char *fmt, va_list ap) SW_PRINTF(6, 0);

static void problem_va(struct sw_ctx *c, int status, const char *slug, const char *title,
                       json_t *errors, const char *fmt, va_list ap)
{
    char raw[1024], detail[1024], type[128];
    const char *path = c->req->path ? c->req->path : "";
    size_t plen = strlen(path);
    char *instance = malloc(4 * plen + 1);
    json_t *p = NULL;
    char *text;

    vsnprintf(raw, sizeof(raw), fmt, ap);
    sw_utf8_escape(raw, strlen(raw), 0, detail, sizeof(detail));
    snprintf(type, sizeof(type), "urn:seawall:problem:%s", slug);
    if (instance != NULL) {
        sw_utf8_escape(path, plen, 0, instance, 4 * plen + 1);
        p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", type, "title",
                      sw_tr(sw_i18n_thread_lang(), title), "status", status, "detail", detail,
                      "instance", instance);
        free(instance);
    }
    if (p != NULL && json_is_object(errors)) {
        json_object_update(p, errors);
        json_decref(errors);
    } else if (p != NULL && errors != NULL)
        json_object_set_new(p, "errors", errors);
    else
        json_decref(errors);
    text = p ? sw_json_dumps(p) : NULL;
    reply_text(c, status, "application/problem+json", text);
    free(text);
    json_decref(p);
    sw_reply_lang(c);
}

/* Says in the log when a text reaches a reader in a language the catalogue lacks it for. */
static void check_known(const char *lang, const char *msgid)
{
    if (!sw_tr_known(lang, NULL, msgid))
        sw_warn("no %s translation of \"%.200s\" (run make po and translate it)", lang, msgid);
}

void sw_reply_problem(struct sw_ctx *c, int status, const char *slug, const char *title,
                      json_t *errors, const char *fmt, ...)
{
    const char *lang = sw_i18n_thread_lang();
    va_list ap;

    check_known(lang, title);
    check_known(lang, fmt);
    va_start(ap, fmt);
    problem_va(c, status, slug, title, errors, sw_tr(lang, fmt), ap);
    va_end(ap);
}

/* As sw_reply_problem for a detail already chosen in the thread's language (plural forms). */
static void reply_problem_worded(struct sw_ctx *c, int status, const char *slug,
                                 const char *title, json_t *errors, const char *fmt, ...)
    SW_PRINTF(6, 7);

static void reply_problem_worded(struct sw_ctx *c, int status, const char *slug,
                                 const char *title, json_t *errors, const char *fmt, ...)
{
    va_list ap;

    check_known(sw_i18n_thread_lang(), title);
    va_start(ap, fmt);
    problem_va(c, status, slug, title, errors, fmt, ap);
    va_end(ap);
}

void sw_reply_lang(struct sw_ctx *c)
{
    if (c->resp->headers.p != NULL && strstr(c->resp->headers.p, "Content-Language:") != NULL)
        return;
    sw_reply_header(c, "Content-Language", sw_i18n_thread_lang());
    sw_reply_header(c, "Vary", "Accept-Language");
}

/* What one error names: its body pointer, query parameter or header ("" if none). */
static const char *error_subject(const json_t *e)
{
    static const char *const names[] = { "pointer", "parameter", "header" };
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(names); i++) {
        const char *v = json_string_value(json_object_get(e, names[i]));

        if (v != NULL)
            return v;
    }
    return "";
}

void sw_reply_invalid_with(struct sw_ctx *c, struct sw_verrs *errs, json_t *extra)
{
    size_t n = sw_verrs_count(errs);
    json_t *first = json_array_get(errs->list, 0), *members = errs->list;

    if (extra != NULL) {
        json_object_set_new(extra, "errors", errs->list);
        members = extra;
    }
    reply_problem_worded(c, 400, "validation", "Invalid request", members,
                         sw_trn(sw_i18n_thread_lang(),
                                "%zu field failed validation; first: %s %s",
                                "%zu fields failed validation; first: %s %s", n),
                         n, error_subject(first),
                         json_string_value(json_object_get(first, "message")) ?: "");
    errs->list = NULL;
}

void sw_reply_state_dependent(struct sw_ctx *c)
{
    c->resp->state_dependent = 1;
}

void sw_reply_invalid(struct sw_ctx *c, struct sw_verrs *errs)
{
    sw_reply_invalid_with(c, errs, NULL);
}

int sw_stream_id_valid(const char *a)
{
    size_t i, dash = 0, n = strlen(a);

    if (n == 0 || n > 41)
        return 0;
    for (i = 0; i < n; i++) {
        if (a[i] == '-' && dash == 0 && i > 0 && i + 1 < n)
            dash = i;
        else if (a[i] < '0' || a[i] > '9')
            return 0;
    }
    return dash > 0;
}

int sw_reply_if_invalid(struct sw_ctx *c, struct sw_verrs *errs)
{
    int rc = SW_OK;

    if (sw_verrs_count(errs) > 0) {
        sw_reply_invalid(c, errs);
        rc = SW_INVALID;
    }
    sw_verrs_free(errs);
    return rc;
}

void sw_reply_not_found(struct sw_ctx *c)
{
    sw_reply_problem(c, 404, "not-found", "Not found", NULL, "no such resource: %s",
                     c->req->path);
}

void sw_reply_store(struct sw_ctx *c, int rc, const char *what)
{
    switch (rc) {
    case SW_NOTFOUND:
        sw_reply_not_found(c);
        return;
    case SW_EAGAIN:
        sw_reply_header(c, "Retry-After", "1");
        if (c->store->unconfirmed) {   /* sw_store_durable: written, but on too few replicas */
            sw_warn("%s: not confirmed by a replica (%s)", what, c->store->errstr);
            sw_reply_problem(c, 503, "unavailable", "Service unavailable", NULL,
                             "no replica of the data store confirmed the change in time (it "
                             "may still have been saved); retry shortly");
            return;
        }
        sw_warn("%s: storage unavailable (%s)", what, c->store->errstr);
        sw_reply_problem(c, 503, "unavailable", "Service unavailable", NULL,
                         "the data store is unreachable; retry shortly");
        return;
    case SW_CONFLICT:
        sw_reply_problem(c, 409, "conflict", "Conflict", NULL,
                         "the resource changed concurrently; retry the request");
        return;
    default:
        sw_error("%s failed (rc %d, %s)", what, rc, c->store->errstr);
        sw_reply_problem(c, 500, "internal", "Internal error", NULL,
                         "the request could not be completed; it has been logged");
        return;
    }
}

void sw_reply_header(struct sw_ctx *c, const char *name, const char *value)
{
    sw_buf_printf(&c->resp->headers, "%s: %s\r\n", name, value);
}

int sw_body_parse(struct sw_ctx *c, json_t **out)
{
    char err[512];

    if (sw_json_parse_object(c->req->body ? c->req->body : "", c->req->body_len,
                             (int)sw_config_int(c->cfg, "api.json_depth_max"), out, err,
                             sizeof(err)) != SW_OK) {
        sw_reply_problem(c, 400, "malformed-json", "Malformed JSON", NULL, "%s", err);
        return SW_INVALID;
    }
    return SW_OK;
}

int sw_body_object(struct sw_ctx *c, const struct sw_jfield *spec, int partial, json_t **out)
{
    struct sw_verrs errs;
    json_t *obj;

    if (sw_body_parse(c, &obj) != SW_OK)
        return SW_INVALID;
    sw_verrs_init(&errs);
    if (sw_json_check(obj, spec, partial, "", &errs) > 0) {
        sw_reply_invalid(c, &errs);
        json_decref(obj);
        return SW_INVALID;
    }
    sw_verrs_free(&errs);
    if (partial && json_object_size(obj) == 0) {
        sw_reply_problem(c, 400, "validation", "Invalid request", NULL,
                         "the update names no fields");
        json_decref(obj);
        return SW_INVALID;
    }
    *out = obj;
    return SW_OK;
}

int sw_param_id(struct sw_ctx *c, const char *name, long long *id)
{
    if (sw_parse_ll(sw_param(c, name), 1, INT64_MAX, id) != SW_OK) {
        sw_reply_not_found(c);
        return SW_NOTFOUND;
    }
    return SW_OK;
}

int sw_page_args(struct sw_ctx *c, long long *after, int *limit)
{
    const char *cur = sw_query(c, "cursor");
    json_t *errors;

    *after = 0;
    if (cur != NULL && sw_parse_ll(cur, 0, INT64_MAX, after) != SW_OK) {
        errors = json_pack("[{s:s, s:s}]", "parameter", "cursor", "message",
                           sw_tr(c->lang, "must be a cursor returned as \"next\" by this list"));
        sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                         "query parameter cursor is not a cursor from this list");
        return SW_INVALID;
    }
    return sw_page_limit(c, limit);
}

int sw_page_limit(struct sw_ctx *c, int *limit)
{
    const char *lim = sw_query(c, "limit");
    long long max = sw_config_int(c->cfg, "api.page_max"), v;
    json_t *errors;

    *limit = 50 < max ? 50 : (int)max;
    if (lim != NULL) {
        if (sw_parse_ll(lim, 1, max, &v) != SW_OK) {
            errors = json_pack("[{s:s, s:s}]", "parameter", "limit", "message",
                               sw_tr(c->lang, "must be a whole number from 1 to the page "
                                              "maximum"));
            sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                             "query parameter limit must be from 1 to %lld", max);
            return SW_INVALID;
        }
        *limit = (int)v;
    }
    return SW_OK;
}

json_t *sw_page_json(json_t *items, long long next)
{
    char cur[32];

    snprintf(cur, sizeof(cur), "%lld", next);
    return json_pack("{s:o, s:o}", "items", items, "next", next ? json_string(cur) : json_null());
}

/* 1 when a spreadsheet could read a cell starting so as a formula (or strip what hides one):
 * = + - @, a tab, carriage return or line feed, or the full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B,
 * U+FF0D, U+FF20) that some spreadsheets fold to their ASCII forms. */
int sw_csv_formula_start(const char *v)
{
    const unsigned char *u = (const unsigned char *)v;

    if (u[0] != '\0' && strchr("=+-@\t\r\n", u[0]) != NULL)
        return 1;
    return u[0] == 0xEF && u[1] == 0xBC &&
           (u[2] == 0x9D || u[2] == 0x8B || u[2] == 0x8D || u[2] == 0xA0);
}

int sw_csv_cell(struct sw_buf *b, const char *v, int first)
{
    int bad = 0;

    if (!first)
        bad |= sw_buf_adds(b, ",") != SW_OK;
    bad |= sw_buf_adds(b, "\"") != SW_OK;
    if (sw_csv_formula_start(v))
        bad |= sw_buf_adds(b, "'") != SW_OK;
    for (; *v != '\0'; v++)
        bad |= sw_buf_add(b, *v == '"' ? "\"\"" : v, *v == '"' ? 2 : 1) != SW_OK;
    bad |= sw_buf_adds(b, "\"") != SW_OK;
    return bad ? SW_TOOBIG : SW_OK;
}

void sw_reply_attachment(struct sw_ctx *c, const char *name)
{
    char head[700];

    sw_attachment_value(name, head, sizeof(head));
    sw_reply_header(c, "Content-Disposition", head);
}

void sw_attachment_value(const char *name, char *head, size_t headlen)
{
    char plain[160], enc[480];
    size_t i = 0, p = 0, e = 0, len = strlen(name);

    while (i < len && i < 150) {
        size_t n = 1, k;
        unsigned char ch = (unsigned char)name[i];

        while (i + n < len && n < 4 && ((unsigned char)name[i + n] & 0xC0) == 0x80)
            n++;
        if (i + n > 150 || !sw_utf8_valid(name + i, n, NULL))
            break;
        if (n == 1 && (ch < 0x20 || ch == 0x7f || strchr("/\\:*?\"<>|", ch) != NULL))
            ch = '_';
        if (n == 1 && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || strchr(".-_", ch) != NULL)) {
            enc[e++] = (char)ch;
        } else {
            for (k = 0; k < n; k++)
                e += (size_t)snprintf(enc + e, sizeof(enc) - e, "%%%02X",
                                      n == 1 ? ch : (unsigned char)name[i + k]);
        }
        plain[p++] = n == 1 && ch != '%' ? (char)ch : '_';
        i += n;
    }
    plain[p] = '\0';
    enc[e] = '\0';
    snprintf(head, headlen, "attachment; filename=\"%s\"; filename*=UTF-8''%s", plain, enc);
}

int sw_list_valid(const char *list, const char *const *allowed)
{
    char part[64];
    const char *p = list;

    if (list == NULL || strlen(list) > 512)
        return 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        int ok = 0;

        if (len == 0 || len >= sizeof(part))
            return 0;
        memcpy(part, p, len);
        part[len] = '\0';
        if (allowed == NULL) {
            ok = sw_country_valid(part) || strcmp(part, "EM") == 0 || strcmp(part, "EU") == 0 ||
                 strcmp(part, "WO") == 0 || strcmp(part, "EP") == 0;
        } else {
            size_t i;

            for (i = 0; allowed[i] != NULL && !ok; i++)
                ok = strcmp(part, allowed[i]) == 0;
        }
        if (!ok)
            return 0;
        if (comma == NULL)
            return 1;
        p = comma + 1;
    }
}

int sw_reply_params_invalid(struct sw_ctx *c, struct sw_verrs *errs)
{
    json_t *e;
    size_t i;

    json_array_foreach(errs->list, i, e) {
        json_object_set(e, "parameter", json_object_get(e, "pointer"));
        json_object_del(e, "pointer");
    }
    return sw_reply_if_invalid(c, errs);
}
