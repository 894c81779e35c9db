/* html.c — web pages without feeds: a listing page read with libxml2's HTML parser and the
 * source's own XPath expressions (item, title, link, date with its format, summary; the
 * "html" member of its registration, docs/feeds.md "HTML sources"). One event per item, its
 * id from the item's link resolved against the page's URL. A page its expressions no longer
 * match (no item, no item with a title and a link, no date that can be read) is an error,
 * never a page without news. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "seawall/date.h"
#include "internal.h"

/* XPath steps one document may take, all expressions and items together (libxml2 counts
 * them; over it an evaluation fails): a listing page needs thousands. */
#define HTML_XPATH_OPS 20000000ul
/* Bytes scanned for <meta charset>: WHATWG says 1024; real pages put it later. */
#define META_SCAN 4096

enum member { M_ITEM, M_TITLE, M_LINK, M_DATE, M_SUMMARY, M_COUNT };

static const char *const member_names[M_COUNT] = { "item", "title", "link", "date", "summary" };

struct spec {
    const char *text[M_COUNT];          /* as written (borrowed from the json) */
    xmlXPathCompExprPtr expr[M_COUNT];  /* NULL where not given */
    const char *date_format;            /* NULL: auto */
};

/* The first XPath error of a context, kept as text. */
struct xpath_err {
    char msg[160];
    int at;                              /* character offset in the expression, or -1 */
};

/* libxml2 gives an XPath error to the context's handler as a code without its message. */
static const char *xpath_message(int code)
{
    static const char *const messages[] = {
        [XPATH_NUMBER_ERROR] = "number encoding",
        [XPATH_UNFINISHED_LITERAL_ERROR] = "unfinished literal",
        [XPATH_START_LITERAL_ERROR] = "start of literal",
        [XPATH_VARIABLE_REF_ERROR] = "expected $ for variable reference",
        [XPATH_UNDEF_VARIABLE_ERROR] = "undefined variable",
        [XPATH_INVALID_PREDICATE_ERROR] = "invalid predicate",
        [XPATH_EXPR_ERROR] = "invalid expression",
        [XPATH_UNCLOSED_ERROR] = "missing closing bracket or parenthesis",
        [XPATH_UNKNOWN_FUNC_ERROR] = "unknown function",
        [XPATH_INVALID_OPERAND] = "invalid operand",
        [XPATH_INVALID_TYPE] = "invalid type",
        [XPATH_INVALID_ARITY] = "wrong number of arguments to a function",
        [XPATH_INVALID_CTXT_SIZE] = "invalid context size",
        [XPATH_INVALID_CTXT_POSITION] = "invalid context position",
        [XPATH_MEMORY_ERROR] = "out of memory",
        [XPATH_UNDEF_PREFIX_ERROR] = "undefined namespace prefix",
        [XPATH_ENCODING_ERROR] = "encoding error",
        [XPATH_INVALID_CHAR_ERROR] = "character not allowed",
        [XPATH_STACK_ERROR] = "stack usage error",
        [XPATH_FORBID_VARIABLE_ERROR] = "variables are not allowed",
        [XPATH_OP_LIMIT_EXCEEDED] = "the step limit for one page was reached",
        [XPATH_RECURSION_LIMIT_EXCEEDED] = "nested too deeply",
    };
    int i = code - XML_XPATH_EXPRESSION_OK;

    if (i > 0 && (size_t)i < SW_ARRAY_LEN(messages) && messages[i] != NULL)
        return messages[i];
    return "XPath error";
}

static void xpath_error(void *ud, xmlErrorPtr e)
{
    struct xpath_err *x = ud;

    if (x->msg[0] != '\0' || e == NULL)
        return;
    sw_strlcpy(x->msg, e->domain == XML_FROM_XPATH ? xpath_message(e->code)
                       : e->message ? e->message : "error", sizeof(x->msg));
    x->msg[strcspn(x->msg, "\n")] = '\0';
    x->at = e->domain == XML_FROM_XPATH && e->str1 != NULL ? e->int1 : -1;
}

/* libxml2 also prints some XPath evaluation errors ("function foo not found") through its
 * generic handler, to stderr; the context's handler has them already. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

struct generic_saved {
    xmlGenericErrorFunc fn;
    void *ctx;
};

static struct generic_saved silence(void)
{
    struct generic_saved g = { xmlGenericError, xmlGenericErrorContext };

    xmlSetGenericErrorFunc(NULL, quiet);
    return g;
}

static void unsilence(struct generic_saved g)
{
    xmlSetGenericErrorFunc(g.ctx, g.fn);
}

static xmlXPathContextPtr new_context(xmlDocPtr doc, struct xpath_err *x)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);

    if (ctx != NULL) {
        ctx->error = xpath_error;
        ctx->userData = x;
        ctx->opLimit = HTML_XPATH_OPS;
    }
    return ctx;
}

static void spec_free(struct spec *sp)
{
    int i;

    for (i = 0; i < M_COUNT; i++)
        xmlXPathFreeCompExpr(sp->expr[i]);
}

/* Compiles the expressions of html into sp. Returns SW_OK, or SW_INVALID with *bad naming the
 * member and why saying what is wrong. */
static int spec_compile(const json_t *html, struct spec *sp, xmlXPathContextPtr ctx,
                        struct xpath_err *x, const char **bad, char *why, size_t whylen)
{
    int i;

    memset(sp, 0, sizeof(*sp));
    for (i = 0; i < M_COUNT; i++) {
        const char *t = json_string_value(json_object_get(html, member_names[i]));

        if (t == NULL) {
            if (i <= M_LINK) {
                *bad = member_names[i];
                snprintf(why, whylen, "is required");
                return SW_INVALID;
            }
            continue;
        }
        sp->text[i] = t;
        x->msg[0] = '\0';
        sp->expr[i] = xmlXPathCtxtCompile(ctx, (const xmlChar *)t);
        if (sp->expr[i] == NULL) {
            *bad = member_names[i];
            if (x->at >= 0)
                snprintf(why, whylen, "is not an XPath expression: %s (at character %d)",
                         x->msg[0] ? x->msg : "invalid", x->at + 1);
            else
                snprintf(why, whylen, "is not an XPath expression: %s",
                         x->msg[0] ? x->msg : "invalid");
            return SW_INVALID;
        }
    }
    sp->date_format = json_string_value(json_object_get(html, "date_format"));
    return SW_OK;
}

/* --- dates --- */

static const char *const named_formats[][4] = {
    { "auto", "%Y 年 %m 月 %d 日", "%Y-%m-%d", "%Y/%m/%d" },
    { "dmy", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y" },
    { "mdy", "%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y" },
};

/* 1 when fmt is a named format or a pattern of literal text, white space and the directives
 * %Y, %m or %b, %d (each once) and %%. */
static int format_ok(const char *fmt)
{
    int y = 0, m = 0, d = 0;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(named_formats); i++)
        if (strcmp(fmt, named_formats[i][0]) == 0)
            return 1;
    for (; *fmt != '\0'; fmt++) {
        if (*fmt != '%')
            continue;
        switch (*++fmt) {
        case 'Y': y++; break;
        case 'm': case 'b': m++; break;
        case 'd': d++; break;
        case '%': break;
        default: return 0;
        }
    }
    return y == 1 && m == 1 && d == 1;
}

static int skip_space(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    if (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r')
        return 1;
    if (u[0] == 0xC2 && u[1] == 0xA0)
        return 2;                                    /* no-break space */
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;                                    /* ideographic space */
    return 0;
}

static int digits(const char **s, int min, int max, int *out)
{
    int n = 0, v = 0;

    while (n < max && isdigit((unsigned char)(*s)[n])) {
        v = v * 10 + ((*s)[n] - '0');
        n++;
    }
    if (n < min)
        return 0;
    *s += n;
    *out = v;
    return 1;
}

static int month_name(const char **s, int *out)
{
    static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec" };
    int i;

    for (i = 0; i < 12; i++) {
        if (strncasecmp(*s, months[i], 3) == 0) {
            *s += 3;
            while (isalpha((unsigned char)**s))
                (*s)++;
            if (**s == '.')
                (*s)++;
            *out = i + 1;
            return 1;
        }
    }
    return 0;
}

/* Matches pattern f at s: white space in f matches any run of it (or none) in s. */
static int match_at(const char *s, const char *f, int *y, int *m, int *d)
{
    int numeric_end = 0;

    while (*f != '\0') {
        int k;

        numeric_end = 0;
        if (*f == '%') {
            f++;
            if (*f == 'Y' ? !digits(&s, 4, 4, y) : *f == 'm' ? !digits(&s, 1, 2, m)
                : *f == 'd' ? !digits(&s, 1, 2, d) : *f == 'b' ? !month_name(&s, m)
                : *s++ != '%')
                return 0;
            numeric_end = *f == 'Y' || *f == 'm' || *f == 'd';
            f++;
        } else if (skip_space(f) > 0) {
            while ((k = skip_space(f)) > 0)
                f += k;
            while ((k = skip_space(s)) > 0)
                s += k;
        } else if (*s++ != *f++) {
            return 0;
        }
    }
    return !(numeric_end && isdigit((unsigned char)*s));
}

static int valid_day(int y, int m, int d)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= (m == 2 && !leap ? 28 : mdays[m - 1]);
}

/* Searches text for the pattern, at the start or after anything but a digit. */
static int search(const char *text, const char *f, char *iso, size_t isolen)
{
    const char *p;

    for (p = text; *p != '\0'; p++) {
        int y = 0, m = 0, d = 0;

        if (p > text && isdigit((unsigned char)p[-1]))
            continue;
        if (match_at(p, f, &y, &m, &d) && valid_day(y, m, d)) {
            snprintf(iso, isolen, "%04d-%02d-%02d", y, m, d);
            return 1;
        }
    }
    return 0;
}

/* Full-width digits (０–９, common on Chinese pages) as ASCII; allocated. */
static char *ascii_digits(const char *s)
{
    char *out = strdup(s), *w = out;
    const unsigned char *u = (const unsigned char *)s;

    if (out == NULL)
        return NULL;
    while (*u != '\0') {
        if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
            *w++ = (char)('0' + (u[2] - 0x90));
            u += 3;
        } else {
            *w++ = (char)*u++;
        }
    }
    *w = '\0';
    return out;
}

/* The date in text by format (NULL: auto) as YYYY-MM-DD, else SW_INVALID. */
static int page_date(const char *text, const char *fmt, char *iso, size_t isolen)
{
    char *t = ascii_digits(text);
    size_t i, j;
    int ok = 0;

    if (t == NULL)
        return SW_ERR;
    if (fmt == NULL)
        fmt = "auto";
    for (i = 0; i < SW_ARRAY_LEN(named_formats) && !ok; i++) {
        if (strcmp(fmt, named_formats[i][0]) != 0)
            continue;
        for (j = 1; j < SW_ARRAY_LEN(named_formats[i]) && !ok; j++)
            ok = search(t, named_formats[i][j], iso, isolen);
        if (!ok && i == 0)   /* auto: RFC 822, ISO 8601 … as feeds write them */
            ok = sw_date_normalise(t, iso, isolen) == SW_OK;
        break;
    }
    if (i == SW_ARRAY_LEN(named_formats))
        ok = search(t, fmt, iso, isolen);
    free(t);
    return ok ? SW_OK : SW_INVALID;
}

/* --- the page --- */

/* The page's encoding (docs/feeds.md "Character encodings" for HTML): a BOM, the charset from
 * HTTP, <meta charset> or http-equiv, the bytes' shape (UTF-8), ICU's guess. GB2312 and GBK
 * labels read as GB18030 (their superset, as browsers do); Latin-1 and ASCII as
 * windows-1252. */
static const char *label(const char *name, char *buf, size_t buflen)
{
    static const char *const gb[] = { "gb2312", "gbk", "x-gbk", "gb_2312", "gb_2312-80",
                                      "chinese", "csgb2312", "csiso58gb231280", "iso-ir-58",
                                      "gb18030", NULL };
    static const char *const latin1[] = { "iso-8859-1", "iso8859-1", "latin1", "l1", "cp819",
                                          "ibm819", "us-ascii", "ascii", "windows-1252",
                                          NULL };
    const char *const *l;

    for (l = gb; *l != NULL; l++)
        if (strcasecmp(name, *l) == 0)
            return "GB18030";
    for (l = latin1; *l != NULL; l++)
        if (strcasecmp(name, *l) == 0)
            return "windows-1252";
    if (strncasecmp(name, "utf-16", 6) == 0 || strcasecmp(name, "utf8") == 0)
        return "UTF-8";   /* a page that says UTF-16 in ASCII bytes is not UTF-16 */
    sw_strlcpy(buf, name, buflen);
    return buf;
}

static int known_encoding(const char *name)
{
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(name);

    if (h == NULL)
        return 0;
    xmlCharEncCloseFunc(h);
    return 1;
}

/* The charset a <meta> in the first META_SCAN bytes names, into out; 0 if none. */
static int meta_charset(const char *buf, size_t len, char *out, size_t outlen)
{
    size_t n = len < META_SCAN ? len : META_SCAN, i;
    const char *p = buf, *end = buf + n;

    while ((p = memmem(p, (size_t)(end - p), "<", 1)) != NULL) {
        const char *gt, *cs;

        p++;
        if ((size_t)(end - p) < 5 || strncasecmp(p, "meta", 4) != 0 ||
            !(isspace((unsigned char)p[4]) || p[4] == '/'))
            continue;
        gt = memchr(p, '>', (size_t)(end - p));
        if (gt == NULL)
            return 0;
        for (cs = p; cs + 7 < gt; cs++) {
            if (strncasecmp(cs, "charset", 7) != 0)
                continue;
            cs += 7;
            while (cs < gt && isspace((unsigned char)*cs))
                cs++;
            if (cs >= gt || *cs != '=')
                continue;
            cs++;
            while (cs < gt && (isspace((unsigned char)*cs) || *cs == '"' || *cs == '\''))
                cs++;
            for (i = 0; cs + i < gt && i + 1 < outlen &&
                        (isalnum((unsigned char)cs[i]) || strchr("-_.:", cs[i]) != NULL); i++)
                out[i] = cs[i];
            out[i] = '\0';
            return i > 0;
        }
        p = gt;
    }
    return 0;
}

static const char *page_encoding(struct sw_fctx *c, const char *buf, size_t len, char *out,
                                 size_t outlen)
{
    const unsigned char *u = (const unsigned char *)buf;
    char meta[48];
    const char *enc;

    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return "UTF-8";
    if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        return "UTF-16BE";
    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        return "UTF-16LE";
    if (c->o->charset != NULL && c->o->charset[0] != '\0') {
        enc = label(c->o->charset, out, outlen);
        if (known_encoding(enc))
            return enc;
        sw_feed_warn(c, "unknown charset \"%.40s\" from the caller; looking further",
                     c->o->charset);
    }
    if (meta_charset(buf, len, meta, sizeof(meta))) {
        enc = label(meta, out, outlen);
        if (known_encoding(enc))
            return enc;
        sw_feed_warn(c, "unknown charset \"%.40s\" in the page's <meta>; guessing instead",
                     meta);
    }
    enc = sw_feed_sniff_charset(buf, len, out, outlen);
    return enc != NULL ? enc : "UTF-8";
}

/* The string value of expr at node (a node-set's first node, or a string, number or
 * boolean), white space trimmed, at most max bytes; NULL when it fails or is empty. An
 * evaluation error is kept in x. */
static char *eval_string(xmlXPathContextPtr ctx, xmlXPathCompExprPtr expr, xmlNodePtr node,
                         size_t max)
{
    xmlXPathObjectPtr r;
    xmlChar *v;
    char *out = NULL;
    size_t n;

    ctx->node = node;
    r = xmlXPathCompiledEval(expr, ctx);
    if (r == NULL)
        return NULL;
    v = xmlXPathCastToString(r);
    xmlXPathFreeObject(r);
    if (v == NULL)
        return NULL;
    n = strlen((const char *)v);
    if (n > 0) {
        const char *s = (const char *)v, *e = s + n;

        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        if (e > s) {
            size_t k = (size_t)(e - s) < max ? (size_t)(e - s) : max;

            out = strndup(s, k);
        }
    }
    xmlFree(v);
    return out;
}

/* The URL relative links resolve against: the page's <base href> (itself resolved against
 * the page's URL), else the page's URL; NULL when there is neither. Allocated (xmlFree). */
static xmlChar *page_base(xmlXPathContextPtr ctx, xmlDocPtr doc, const char *url)
{
    xmlXPathObjectPtr r;
    xmlChar *href, *base = NULL;

    ctx->node = (xmlNodePtr)doc;
    r = xmlXPathEvalExpression((const xmlChar *)"string((//base[@href])[1]/@href)", ctx);
    href = r != NULL ? xmlXPathCastToString(r) : NULL;
    xmlXPathFreeObject(r);
    if (href != NULL && href[0] != '\0')
        base = xmlBuildURI(href, (const xmlChar *)url);
    xmlFree(href);
    if (base == NULL && url != NULL)
        base = xmlStrdup((const xmlChar *)url);
    return base;
}

/* 1 when url begins with a scheme (RFC 3986: a letter, then letters, digits, + - ., then :). */
static int has_scheme(const char *url)
{
    const char *p = url;

    if (!isalpha((unsigned char)*p))
        return 0;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

/* The item's link resolved to an absolute http(s) URL (kept relative when there is no base), allocated; NULL when it is not one. */
static char *resolve(const char *link, const xmlChar *base)
{
    xmlChar *abs = xmlBuildURI((const xmlChar *)link, base);
    char *out = NULL;

    if (abs == NULL) {
        /* Spaces or other bytes a URI may not hold: escaped, as browsers do. */
        xmlChar *esc = xmlURIEscapeStr((const xmlChar *)link,
                                       (const xmlChar *)":/?#[]@!$&'()*+,;=%~");

        if (esc != NULL)
            abs = xmlBuildURI(esc, base);
        xmlFree(esc);
    }
    if (abs == NULL)
        return NULL;
    if (strncasecmp((const char *)abs, "http://", 7) == 0 ||
        strncasecmp((const char *)abs, "https://", 8) == 0 ||
        (base == NULL && !has_scheme((const char *)abs)))
        out = strdup((const char *)abs);
    xmlFree(abs);
    return out;
}

/* What a page's items gave, judged before any is emitted. */
struct tally {
    size_t items, usable, no_title, no_link, dated, undated;
    size_t relative;              /* links kept as written: no URL to resolve them against */
    char first_date[48];          /* the first date text that could not be read */
};

static int page_error(struct sw_fctx *c, const struct spec *sp, const struct tally *t)
{
    char *err = c->res->err;
    size_t errlen = sizeof(c->res->err);

    if (t->items == 0) {
        snprintf(err, errlen, "the page no longer matches its item expression \"%.200s\": "
                 "no element found", sp->text[M_ITEM]);
        return SW_INVALID;
    }
    if (t->usable == 0) {
        snprintf(err, errlen, "the page no longer matches its expressions: none of its %zu "
                 "items has both a title (\"%.100s\") and a link (\"%.100s\")", t->items,
                 sp->text[M_TITLE], sp->text[M_LINK]);
        return SW_INVALID;
    }
    if (sp->expr[M_DATE] != NULL && t->dated == 0) {
        snprintf(err, errlen, "the page no longer matches its date expression \"%.100s\" "
                 "(format %.64s): none of its %zu items has a date it can read%s%.40s%s",
                 sp->text[M_DATE], sp->date_format ? sp->date_format : "auto", t->usable,
                 t->first_date[0] ? "; the first: \"" : "", t->first_date,
                 t->first_date[0] ? "\"" : "");
        return SW_INVALID;
    }
    return SW_OK;
}

/* One item into an event, or NULL (counted in t) when it has no title or no usable link. */
static json_t *item_event(struct sw_fctx *c, const struct spec *sp, xmlXPathContextPtr ctx,
                          xmlNodePtr item, const xmlChar *base, struct tally *t, char **key)
{
    char *title = eval_string(ctx, sp->expr[M_TITLE], item, SW_FEED_FIELD_MAX * 2);
    char *link = eval_string(ctx, sp->expr[M_LINK], item, 4096);
    char *url = link != NULL ? resolve(link, base) : NULL;
    json_t *ev = NULL;

    *key = NULL;
    if (title == NULL || url == NULL) {
        if (title == NULL)
            t->no_title++;
        else
            t->no_link++;
        sw_feed_warn(c, "item %zu has no %s (\"%.100s\"%s%.100s%s); skipped", t->items,
                     title == NULL ? "title" : "link",
                     title == NULL ? sp->text[M_TITLE] : sp->text[M_LINK],
                     link != NULL && url == NULL ? " gave \"" : "",
                     link != NULL && url == NULL ? link : "",
                     link != NULL && url == NULL ? "\", not an http(s) URL" : "");
        goto out;
    }
    t->usable++;
    if (base == NULL && strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8))
        t->relative++;
    ev = sw_ev_new(c, c->o->item_type);
    sw_ev_str(ev, "title", title, SW_FEED_FIELD_MAX);
    sw_ev_str(ev, "url", url, SW_FEED_FIELD_MAX);
    if (sp->expr[M_DATE] != NULL) {
        char *raw = eval_string(ctx, sp->expr[M_DATE], item, 256), iso[32];

        if (raw != NULL && page_date(raw, sp->date_format, iso, sizeof(iso)) == SW_OK) {
            json_object_set_new(ev, "date", json_string(iso));
            t->dated++;
        } else {
            t->undated++;
            if (raw != NULL) {
                sw_ev_str(ev, "date_raw", raw, 128);
                if (t->first_date[0] == '\0')
                    sw_strlcpy(t->first_date, raw, sizeof(t->first_date));
            }
            sw_feed_warn(c, "item %zu: no date in \"%.64s\" (format %s)", t->items,
                         raw ? raw : "", sp->date_format ? sp->date_format : "auto");
        }
        free(raw);
    }
    if (sp->expr[M_SUMMARY] != NULL) {
        char *sum = eval_string(ctx, sp->expr[M_SUMMARY], item, SW_FEED_TEXT_MAX * 2);

        sw_ev_str(ev, "text", sum, SW_FEED_TEXT_MAX);
        free(sum);
    }
    *key = url;
    url = NULL;
out:
    free(title);
    free(link);
    free(url);
    return ev;
}

static int read_page(struct sw_fctx *c, const char *buf, size_t len)
{
    const json_t *html = c->o->html;
    struct spec sp;
    struct xpath_err x = { "", -1 };
    struct tally t;
    char encbuf[64], why[300];
    const char *enc, *bad = NULL;
    htmlDocPtr doc = NULL;
    xmlXPathContextPtr ctx = NULL;
    xmlXPathObjectPtr items = NULL;
    xmlChar *base = NULL;
    json_t *events = NULL, *keys = NULL, *seen = NULL;
    size_t i, n;
    int rc = SW_INVALID;

    memset(&sp, 0, sizeof(sp));
    memset(&t, 0, sizeof(t));
    if (!json_is_object(html)) {
        snprintf(c->res->err, sizeof(c->res->err), "format html needs the feed's html member: "
                 "its item, title and link expressions (docs/feeds.md)");
        return SW_INVALID;
    }
    if (len > INT32_MAX) {
        snprintf(c->res->err, sizeof(c->res->err), "the page is larger than %d bytes",
                 INT32_MAX);
        return SW_TOOBIG;
    }
    enc = page_encoding(c, buf, len, encbuf, sizeof(encbuf));
    doc = htmlReadMemory(buf, (int)len, c->o->base_url, enc,
                         HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                         HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC);
    if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
        snprintf(c->res->err, sizeof(c->res->err), len == 0 ? "the page is empty"
                 : "the page could not be read as HTML (encoding %s)", enc);
        goto out;
    }
    ctx = new_context(doc, &x);
    if (ctx == NULL) {
        rc = SW_ERR;
        goto out;
    }
    if (spec_compile(html, &sp, ctx, &x, &bad, why, sizeof(why)) != SW_OK) {
        snprintf(c->res->err, sizeof(c->res->err), "html/%s %s", bad, why);
        goto out;
    }
    base = page_base(ctx, doc, c->o->base_url);
    x.msg[0] = '\0';
    ctx->node = (xmlNodePtr)doc;
    items = xmlXPathCompiledEval(sp.expr[M_ITEM], ctx);
    if (items == NULL || items->type != XPATH_NODESET) {
        snprintf(c->res->err, sizeof(c->res->err), "the item expression \"%.200s\" %s%s",
                 sp.text[M_ITEM], items == NULL ? "failed: " : "does not select elements",
                 items == NULL ? (x.msg[0] ? x.msg : "error") : "");
        goto out;
    }
    n = items->nodesetval != NULL ? (size_t)items->nodesetval->nodeNr : 0;
    events = json_array();
    keys = json_array();
    seen = json_object();
    for (i = 0; i < n && json_array_size(events) < c->o->max_events; i++) {
        xmlNodePtr node = items->nodesetval->nodeTab[i];
        char *key;
        json_t *ev;

        c->res->records++;
        t.items++;
        ev = item_event(c, &sp, ctx, node, base, &t, &key);
        if (x.msg[0] != '\0') {   /* an expression failed (the step limit, most likely) */
            json_decref(ev);
            free(key);
            snprintf(c->res->err, sizeof(c->res->err), "the page's expressions failed at item "
                     "%zu: %s", t.items, x.msg);
            goto out;
        }
        if (ev == NULL)
            continue;
        if (json_object_get(seen, key) != NULL) {   /* the same notice listed twice */
            json_decref(ev);
            free(key);
            continue;
        }
        json_object_set_new(seen, key, json_true());
        json_array_append_new(events, ev);
        json_array_append_new(keys, json_string(key));
        free(key);
    }
    if (t.relative > 0)
        sw_feed_warn(c, "%zu relative links kept as written: no page URL to resolve them "
                     "against", t.relative);
    rc = page_error(c, &sp, &t);
    if (rc != SW_OK)
        goto out;
    if (i < n) {
        snprintf(c->res->err, sizeof(c->res->err), "more than %zu events in one document",
                 c->o->max_events);
        c->res->partial = 1;
        rc = SW_TOOBIG;
    }
    for (i = 0; i < json_array_size(events) && !c->stop; i++)
        sw_ev_emit(c, json_incref(json_array_get(events, i)), "html",
                   json_string_value(json_array_get(keys, i)));
out:
    json_decref(events);
    json_decref(keys);
    json_decref(seen);
    xmlXPathFreeObject(items);
    xmlFree(base);
    spec_free(&sp);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return rc;
}

int sw_feed_html(struct sw_fctx *c, const char *buf, size_t len)
{
    struct generic_saved g = silence();
    int rc = read_page(c, buf, len);

    unsilence(g);
    return rc;
}

/* --- registration --- */

/* A page in the shape the expressions are written for, to evaluate them once at
 * registration: errors only evaluation finds (an unknown function) and the item expression's
 * type. */
static const char sample_page[] =
    "<html><head><title>t</title></head><body><ul class=\"list\"><li><a href=\"/n/1.html\">"
    "t</a><span>2024-03-05</span></li></ul><table><tr><td>t</td></tr></table></body></html>";

static void check(const json_t *html, const char *pointer, struct sw_verrs *errs)
{
    htmlDocPtr doc;
    xmlXPathContextPtr ctx;
    struct xpath_err x = { "", -1 };
    struct spec sp;
    const char *fmt = json_string_value(json_object_get(html, "date_format"));
    const char *bad = NULL;
    char why[300], fp[96];
    int i;

    snprintf(fp, sizeof(fp), "%s/date_format", pointer);
    if (fmt != NULL && !format_ok(fmt))
        sw_verrs_add(errs, fp, "must be auto, dmy, mdy or a pattern with %%Y, %%m (or %%b) and "
                     "%%d, such as %%Y年%%m月%%d日");
    if (fmt != NULL && json_object_get(html, "date") == NULL)
        sw_verrs_add(errs, fp, "needs a date expression");
    for (i = 0; i < M_COUNT; i++)   /* the registry reports a missing or mistyped member */
        if (i <= M_LINK && !json_is_string(json_object_get(html, member_names[i])))
            return;
    doc = htmlReadMemory(sample_page, (int)sizeof(sample_page) - 1, NULL, "UTF-8",
                         HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    ctx = doc != NULL ? new_context(doc, &x) : NULL;
    if (ctx == NULL) {
        sw_verrs_add(errs, pointer, "could not be checked (out of memory)");
        xmlFreeDoc(doc);
        return;
    }
    if (spec_compile(html, &sp, ctx, &x, &bad, why, sizeof(why)) != SW_OK) {
        char p[96];

        snprintf(p, sizeof(p), "%s/%s", pointer, bad);
        sw_verrs_add(errs, p, "%s", why);
    } else {
        xmlNodePtr li = xmlDocGetRootElement(doc);

        for (i = 0; i < M_COUNT; i++) {
            xmlXPathObjectPtr r;
            char p[96];

            if (sp.expr[i] == NULL)
                continue;
            /* The item expression runs on the page, the others on an item (a <li>). */
            li = i == M_ITEM ? (xmlNodePtr)doc : li;
            ctx->node = li;
            x.msg[0] = '\0';
            r = xmlXPathCompiledEval(sp.expr[i], ctx);
            snprintf(p, sizeof(p), "%s/%s", pointer, member_names[i]);
            if (r == NULL)
                sw_verrs_add(errs, p, "cannot be evaluated: %s", x.msg[0] ? x.msg : "error");
            else if (i == M_ITEM && r->type != XPATH_NODESET)
                sw_verrs_add(errs, p, "must select elements (a node-set), such as "
                             "//ul[@class='list']/li");
            if (i == M_ITEM) {
                /* The other expressions are tried on the sample's first <li>. */
                xmlXPathObjectPtr lis = xmlXPathEvalExpression((const xmlChar *)"//li", ctx);

                if (lis != NULL && lis->nodesetval != NULL && lis->nodesetval->nodeNr > 0)
                    li = lis->nodesetval->nodeTab[0];
                xmlXPathFreeObject(lis);
            }
            xmlXPathFreeObject(r);
        }
    }
    spec_free(&sp);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
}

void sw_feed_html_check(const json_t *html, const char *pointer, struct sw_verrs *errs)
{
    struct generic_saved g;

    sw_feed_xml_init();
    g = silence();

    check(html, pointer, errs);
    unsilence(g);
}
