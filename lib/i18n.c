/* i18n.c — the message catalogue: a .po reader of our own, one hash table per language,
 * Plural-Forms expressions, Accept-Language negotiation and the thread's language. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seawall/buf.h"
#include "seawall/i18n.h"

#define PO_FILE_MAX    (16u * 1024 * 1024)
#define PO_STRING_MAX  65536u
#define PO_ENTRIES_MAX 100000
#define LANGS_MAX      8
#define PLURAL_NODES   64

/* Languages Seawall speaks besides English: each needs dir/<name>.po. */
static const char *const required_langs[] = { SW_LANG_ZH_CN, NULL };

/* ---- Plural-Forms: a C expression over n, compiled to a small tree ---------------------- */

struct pnode {
    char op;                  /* 'n', '#' (number), '!', '?', or a binary operator code */
    unsigned char a, b, c;    /* operand nodes */
    unsigned long v;          /* the number for '#' */
};

struct plural {
    struct pnode node[PLURAL_NODES];
    int nnodes, root;
};

struct pparse {
    const char *s;
    struct plural *pl;
    int depth, bad;
};

static int pnew(struct pparse *p, char op, int a, int b, int c, unsigned long v)
{
    struct pnode *nd;

    if (p->bad || p->pl->nnodes >= PLURAL_NODES) {
        p->bad = 1;
        return 0;
    }
    nd = &p->pl->node[p->pl->nnodes];
    nd->op = op;
    nd->a = (unsigned char)a;
    nd->b = (unsigned char)b;
    nd->c = (unsigned char)c;
    nd->v = v;
    return p->pl->nnodes++;
}

static void pskip(struct pparse *p)
{
    while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n')
        p->s++;
}

static int peat(struct pparse *p, const char *tok)
{
    size_t n = strlen(tok);

    pskip(p);
    if (strncmp(p->s, tok, n) != 0)
        return 0;
    /* "<" must not take the first half of "<=", "!" not of "!=", "|" needs "||". */
    if (n == 1 && (tok[0] == '<' || tok[0] == '>' || tok[0] == '!') && p->s[1] == '=')
        return 0;
    p->s += n;
    return 1;
}

static int pexpr(struct pparse *p);

static int pprimary(struct pparse *p)
{
    int r;

    if (++p->depth > 32) {
        p->bad = 1;
        return 0;
    }
    pskip(p);
    if (peat(p, "!")) {
        r = pprimary(p);
        r = pnew(p, '!', r, 0, 0, 0);
    } else if (peat(p, "(")) {
        r = pexpr(p);
        if (!peat(p, ")"))
            p->bad = 1;
    } else if (*p->s == 'n') {
        p->s++;
        r = pnew(p, 'n', 0, 0, 0, 0);
    } else if (isdigit((unsigned char)*p->s)) {
        unsigned long v = 0;

        while (isdigit((unsigned char)*p->s) && v < 1000000)
            v = v * 10 + (unsigned long)(*p->s++ - '0');
        if (isdigit((unsigned char)*p->s))
            p->bad = 1;
        r = pnew(p, '#', 0, 0, 0, v);
    } else {
        p->bad = 1;
        r = 0;
    }
    p->depth--;
    return r;
}

/* Binary levels, loosest first; each entry: the tokens and the codes they compile to. */
static const struct {
    const char *tok[4];
    char code[4];
} levels[] = {
    { { "||" }, { '|' } },
    { { "&&" }, { '&' } },
    { { "==", "!=" }, { '=', 'x' } },
    { { "<=", ">=", "<", ">" }, { 'l', 'g', '<', '>' } },
    { { "+", "-" }, { '+', '-' } },
    { { "*", "/", "%" }, { '*', '/', '%' } },
};

static int pbinary(struct pparse *p, size_t level)
{
    int l, r, k, found;

    if (level == SW_ARRAY_LEN(levels))
        return pprimary(p);
    l = pbinary(p, level + 1);
    do {
        found = 0;
        for (k = 0; k < 4 && levels[level].tok[k] != NULL && !p->bad; k++) {
            if (peat(p, levels[level].tok[k])) {
                r = pbinary(p, level + 1);
                l = pnew(p, levels[level].code[k], l, r, 0, 0);
                found = 1;
                break;
            }
        }
    } while (found && !p->bad);
    return l;
}

static int pexpr(struct pparse *p)
{
    int c, a, b;

    if (++p->depth > 32) {
        p->bad = 1;
        return 0;
    }
    c = pbinary(p, 0);
    if (peat(p, "?")) {
        a = pexpr(p);
        if (!peat(p, ":"))
            p->bad = 1;
        b = pexpr(p);
        c = pnew(p, '?', c, a, b, 0);
    }
    p->depth--;
    return c;
}

/* Compiles text (up to ';' or the end) into pl. Returns SW_OK or SW_INVALID. */
static int plural_compile(const char *text, struct plural *pl)
{
    struct pparse p = { text, pl, 0, 0 };

    pl->nnodes = 0;
    pl->root = pexpr(&p);
    pskip(&p);
    if (*p.s != '\0' && *p.s != ';')
        p.bad = 1;
    return p.bad ? SW_INVALID : SW_OK;
}

static unsigned long plural_eval(const struct plural *pl, int i, unsigned long n)
{
    const struct pnode *nd = &pl->node[i];
    unsigned long a, b;

    switch (nd->op) {
    case 'n': return n;
    case '#': return nd->v;
    case '!': return !plural_eval(pl, nd->a, n);
    case '?': return plural_eval(pl, nd->a, n) ? plural_eval(pl, nd->b, n)
                                              : plural_eval(pl, nd->c, n);
    default: break;
    }
    a = plural_eval(pl, nd->a, n);
    if (nd->op == '|' && a)
        return 1;
    if (nd->op == '&' && !a)
        return 0;
    b = plural_eval(pl, nd->b, n);
    switch (nd->op) {
    case '|': return b != 0;
    case '&': return b != 0;
    case '=': return a == b;
    case 'x': return a != b;
    case '<': return a < b;
    case '>': return a > b;
    case 'l': return a <= b;
    case 'g': return a >= b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b ? a / b : 0;
    case '%': return b ? a % b : 0;
    }
    return 0;
}

/* ---- the .po reader ---------------------------------------------------------------------- */

enum po_field { F_NONE, F_CTXT, F_ID, F_PLURAL, F_STR };

struct po {
    const char *name;
    int line, id_line, nentries;
    char *err;
    size_t errlen;
    struct sw_buf ctxt, id, plural, str[SW_PO_FORMS_MAX], comments;
    int has_ctxt, has_id, has_plural, nforms, has_str;
    unsigned flags;
    enum po_field last;
    int last_form;
    int (*each)(void *ud, const struct sw_po_entry *e);
    void *ud;
};

static int po_fail(struct po *p, int line, const char *fmt, ...) SW_PRINTF(3, 4);

static int po_fail(struct po *p, int line, const char *fmt, ...)
{
    char why[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "%s:%d: %s", p->name, line, why);
    return SW_INVALID;
}

static void po_reset(struct po *p)
{
    int i;

    sw_buf_reset(&p->ctxt);
    sw_buf_reset(&p->id);
    sw_buf_reset(&p->plural);
    for (i = 0; i < SW_PO_FORMS_MAX; i++)
        sw_buf_reset(&p->str[i]);
    sw_buf_reset(&p->comments);
    p->has_ctxt = p->has_id = p->has_plural = p->has_str = 0;
    p->nforms = 0;
    p->flags = 0;
    p->last = F_NONE;
}

static const char *bstr(const struct sw_buf *b)
{
    return b->p != NULL ? b->p : "";
}

/* Hands the entry built so far to the caller. */
static int po_finish(struct po *p)
{
    struct sw_po_entry e;
    int i, rc;

    if (!p->has_id && !p->has_ctxt && !p->has_str) {
        po_reset(p);   /* comments before nothing (the end of the file) */
        return SW_OK;
    }
    if (!p->has_id)
        return po_fail(p, p->line, "msgctxt or msgstr without msgid");
    if (!p->has_str)
        return po_fail(p, p->id_line, "msgid without msgstr");
    if (++p->nentries > PO_ENTRIES_MAX)
        return po_fail(p, p->id_line, "more than %d entries", PO_ENTRIES_MAX);
    memset(&e, 0, sizeof(e));
    e.ctxt = p->has_ctxt ? bstr(&p->ctxt) : NULL;
    e.msgid = bstr(&p->id);
    e.plural = p->has_plural ? bstr(&p->plural) : NULL;
    e.nforms = p->nforms;
    for (i = 0; i < p->nforms; i++)
        e.msgstr[i] = bstr(&p->str[i]);
    e.flags = p->flags;
    e.line = p->id_line;
    e.comments = bstr(&p->comments);
    rc = p->each != NULL ? p->each(p->ud, &e) : 0;
    po_reset(p);
    return rc;
}

/* Appends the C-quoted string at s (to end) to out, decoding escapes. After the closing
 * quote only blanks may follow. */
static int po_string(struct po *p, const char *s, const char *end, struct sw_buf *out)
{
    char ch;
    int rc;

    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s >= end || *s != '"')
        return po_fail(p, p->line, "a quoted string was expected");
    s++;
    for (;;) {
        if (s >= end)
            return po_fail(p, p->line, "the string has no closing quote");
        if (*s == '"')
            break;
        if (*s != '\\') {
            ch = *s++;
        } else {
            s++;
            if (s >= end)
                return po_fail(p, p->line, "the string has no closing quote");
            switch (*s) {
            case 'n': ch = '\n'; s++; break;
            case 't': ch = '\t'; s++; break;
            case 'r': ch = '\r'; s++; break;
            case 'a': ch = '\a'; s++; break;
            case 'b': ch = '\b'; s++; break;
            case 'f': ch = '\f'; s++; break;
            case 'v': ch = '\v'; s++; break;
            case '\\': case '"': case '\'': case '?': ch = *s++; break;
            case 'x': {
                int v = 0, k = 0;

                s++;
                while (s < end && sw_hex_digit(*s) >= 0 && k < 2) {
                    v = v * 16 + sw_hex_digit(*s++);
                    k++;
                }
                if (k == 0)
                    return po_fail(p, p->line, "\\x without hex digits");
                ch = (char)v;
                break;
            }
            default:
                if (*s >= '0' && *s <= '7') {
                    int v = 0, k = 0;

                    while (s < end && *s >= '0' && *s <= '7' && k < 3) {
                        v = v * 8 + (*s++ - '0');
                        k++;
                    }
                    if (v > 255)
                        return po_fail(p, p->line, "octal escape past \\377");
                    ch = (char)v;
                } else {
                    return po_fail(p, p->line, "unknown escape \\%c", *s);
                }
            }
            if (ch == '\0')
                return po_fail(p, p->line, "a NUL character in a string");
        }
        rc = sw_buf_add(out, &ch, 1);
        if (rc == SW_TOOBIG)
            return po_fail(p, p->line, "a string longer than %u bytes", PO_STRING_MAX);
        if (rc != SW_OK)
            return po_fail(p, p->line, "out of memory");
    }
    for (s++; s < end; s++)
        if (*s != ' ' && *s != '\t')
            return po_fail(p, p->line, "text after the closing quote");
    return SW_OK;
}

static void po_flags(struct po *p, const char *s, const char *end)
{
    while (s < end) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *e = comma ? comma : end;
        size_t n;

        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        n = (size_t)(e - s);
        if (n == 5 && memcmp(s, "fuzzy", 5) == 0)
            p->flags |= SW_PO_FUZZY;
        else if ((n == 8 && memcmp(s, "c-format", 8) == 0) ||
                 (n == 17 && memcmp(s, "possible-c-format", 17) == 0))
            p->flags |= SW_PO_C_FORMAT;
        else if (n == 11 && memcmp(s, "no-c-format", 11) == 0)
            p->flags |= SW_PO_NO_C_FORMAT;
        else if (n == 17 && memcmp(s, "javascript-format", 17) == 0)
            p->flags |= SW_PO_JS_FORMAT;
        s = comma ? comma + 1 : end;
    }
}

static int po_line(struct po *p, const char *s, const char *end)
{
    const char *kw;
    size_t kwlen;
    struct sw_buf *target;
    int rc;

    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s == end)
        return p->has_str ? po_finish(p) : SW_OK;
    if (*s == '#') {
        if (end - s >= 2 && s[1] == '~')
            return p->has_str ? po_finish(p) : SW_OK;   /* obsolete entry: skipped */
        if (p->has_str && (rc = po_finish(p)) != SW_OK)
            return rc;
        if (p->has_id || p->has_ctxt)
            return po_fail(p, p->line, "a comment inside an entry");
        if (end - s >= 2 && s[1] == ',') {
            po_flags(p, s + 2, end);
        } else if (end - s >= 2 && (s[1] == '.' || s[1] == ':')) {
            if (p->comments.len > 0)
                sw_buf_adds(&p->comments, "\n");
            if (sw_buf_add(&p->comments, s, (size_t)(end - s)) == SW_ERR)
                return po_fail(p, p->line, "out of memory");
        }
        return SW_OK;
    }
    if (*s == '"') {
        switch (p->last) {
        case F_CTXT: target = &p->ctxt; break;
        case F_ID: target = &p->id; break;
        case F_PLURAL: target = &p->plural; break;
        case F_STR: target = &p->str[p->last_form]; break;
        default: return po_fail(p, p->line, "a string continues no keyword");
        }
        return po_string(p, s, end, target);
    }
    kw = s;
    while (s < end && *s != ' ' && *s != '\t' && *s != '"' && *s != '[')
        s++;
    kwlen = (size_t)(s - kw);
    if (kwlen == 7 && memcmp(kw, "msgctxt", 7) == 0) {
        if (p->has_str && (rc = po_finish(p)) != SW_OK)
            return rc;
        if (p->has_ctxt || p->has_id)
            return po_fail(p, p->line, "msgctxt must come before msgid, once");
        p->has_ctxt = 1;
        p->last = F_CTXT;
        if (sw_buf_add(&p->ctxt, "", 0) != SW_OK)
            return po_fail(p, p->line, "out of memory");
        return po_string(p, s, end, &p->ctxt);
    }
    if (kwlen == 5 && memcmp(kw, "msgid", 5) == 0) {
        if (p->has_str && (rc = po_finish(p)) != SW_OK)
            return rc;
        if (p->has_id)
            return po_fail(p, p->line, "msgid without msgstr before it");
        p->has_id = 1;
        p->id_line = p->line;
        p->last = F_ID;
        return po_string(p, s, end, &p->id);
    }
    if (kwlen == 12 && memcmp(kw, "msgid_plural", 12) == 0) {
        if (!p->has_id || p->has_plural || p->has_str)
            return po_fail(p, p->line, "msgid_plural must follow msgid, once");
        p->has_plural = 1;
        p->last = F_PLURAL;
        return po_string(p, s, end, &p->plural);
    }
    if (kwlen == 6 && memcmp(kw, "msgstr", 6) == 0) {
        int form = 0;

        if (!p->has_id)
            return po_fail(p, p->line, "msgstr without msgid");
        if (s < end && *s == '[') {
            const char *close = memchr(s, ']', (size_t)(end - s));

            if (!p->has_plural)
                return po_fail(p, p->line, "msgstr[N] without msgid_plural");
            if (close == NULL || close - s != 2 || s[1] < '0' || s[1] > '9')
                return po_fail(p, p->line, "msgstr[N] needs one digit N");
            form = s[1] - '0';
            if (form != p->nforms)
                return po_fail(p, p->line, "msgstr[%d] where msgstr[%d] was expected", form,
                               p->nforms);
            if (form >= SW_PO_FORMS_MAX)
                return po_fail(p, p->line, "more than %d plural forms", SW_PO_FORMS_MAX);
            s = close + 1;
        } else if (p->has_plural) {
            return po_fail(p, p->line, "msgid_plural needs msgstr[0], msgstr[1] ...");
        } else if (p->has_str) {
            return po_fail(p, p->line, "a second msgstr");
        }
        p->has_str = 1;
        p->nforms = form + 1;
        p->last = F_STR;
        p->last_form = form;
        if (sw_buf_add(&p->str[form], "", 0) != SW_OK)
            return po_fail(p, p->line, "out of memory");
        return po_string(p, s, end, &p->str[form]);
    }
    return po_fail(p, p->line, "unknown keyword \"%.*s\"", (int)(kwlen > 40 ? 40 : kwlen), kw);
}

int sw_po_parse(const char *buf, size_t len, const char *name,
                int (*each)(void *ud, const struct sw_po_entry *e), void *ud,
                char *err, size_t errlen)
{
    struct po p;
    const char *s = buf, *end = buf + len;
    size_t bad;
    int i, rc = SW_OK;

    memset(&p, 0, sizeof(p));
    p.name = name;
    p.err = err;
    p.errlen = errlen;
    p.each = each;
    p.ud = ud;
    sw_buf_init(&p.ctxt, PO_STRING_MAX);
    sw_buf_init(&p.id, PO_STRING_MAX);
    sw_buf_init(&p.plural, PO_STRING_MAX);
    for (i = 0; i < SW_PO_FORMS_MAX; i++)
        sw_buf_init(&p.str[i], PO_STRING_MAX);
    sw_buf_init(&p.comments, PO_STRING_MAX);
    if (len > PO_FILE_MAX) {
        rc = po_fail(&p, 0, "larger than %u bytes", PO_FILE_MAX);
        goto out;
    }
    if (memchr(buf, '\0', len) != NULL || !sw_utf8_valid(buf, len, &bad)) {
        const char *at = memchr(buf, '\0', len);
        size_t off = at != NULL ? (size_t)(at - buf) : bad;
        int line = 1;

        for (i = 0; (size_t)i < off; i++)
            line += buf[i] == '\n';
        rc = po_fail(&p, line, at != NULL ? "a NUL byte" : "not UTF-8");
        goto out;
    }
    while (s < end && rc == SW_OK) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;

        p.line++;
        if (e > s && e[-1] == '\r')
            e--;
        rc = po_line(&p, s, e);
        s = nl ? nl + 1 : end;
    }
    if (rc == SW_OK) {
        p.line++;
        rc = po_finish(&p);
    }
out:
    sw_buf_free(&p.ctxt);
    sw_buf_free(&p.id);
    sw_buf_free(&p.plural);
    for (i = 0; i < SW_PO_FORMS_MAX; i++)
        sw_buf_free(&p.str[i]);
    sw_buf_free(&p.comments);
    return rc;
}

int sw_po_parse_file(const char *path, int (*each)(void *ud, const struct sw_po_entry *e),
                     void *ud, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    struct sw_buf b;
    char chunk[65536];
    size_t n;
    int rc = SW_OK;

    if (fp == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return SW_ERR;
    }
    sw_buf_init(&b, PO_FILE_MAX);
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && rc == SW_OK)
        rc = sw_buf_add(&b, chunk, n);
    if (ferror(fp)) {
        snprintf(err, errlen, "%s: read failed (%s)", path, strerror(errno));
        rc = SW_ERR;
    } else if (rc == SW_TOOBIG) {
        snprintf(err, errlen, "%s: larger than %u bytes", path, PO_FILE_MAX);
        rc = SW_INVALID;
    } else if (rc != SW_OK) {
        snprintf(err, errlen, "%s: out of memory", path);
    } else {
        rc = sw_po_parse(b.p != NULL ? b.p : "", b.len, path, each, ud, err, errlen);
    }
    fclose(fp);
    sw_buf_free(&b);
    return rc;
}

/* ---- printf signatures and {name} placeholders ------------------------------------------ */

#define SIG_ARGS 32

static int sig_set(char types[][8], int *max, int pos, const char *type)
{
    if (pos < 1 || pos > SIG_ARGS)
        return SW_INVALID;
    if (types[pos - 1][0] != '\0' && strcmp(types[pos - 1], type) != 0)
        return SW_INVALID;
    snprintf(types[pos - 1], 8, "%s", type);
    if (pos > *max)
        *max = pos;
    return SW_OK;
}

/* Reads "N$" at *s; returns N (> 0) and moves *s past it, or 0 and leaves *s. */
static int dollar(const char **s)
{
    const char *q = *s;
    int v = 0;

    while (isdigit((unsigned char)*q) && v < 1000)
        v = v * 10 + (*q++ - '0');
    if (q == *s || *q != '$' || v == 0)
        return 0;
    *s = q + 1;
    return v;
}

int sw_format_signature(const char *fmt, char *sig, size_t siglen)
{
    char types[SIG_ARGS][8];
    int max = 0, next = 0, mode = 0;   /* mode 1: plain conversions, 2: positional */
    const char *s = fmt, *why = NULL;
    size_t used = 0;
    int i;

    memset(types, 0, sizeof(types));
    while ((s = strchr(s, '%')) != NULL) {
        char len[3] = "", type[8];
        int pos, star;

        s++;
        if (*s == '%') {
            s++;
            continue;
        }
        pos = dollar(&s);
        if ((pos > 0 && mode == 1) || (pos == 0 && mode == 2)) {
            why = "mixes %N$ and plain conversions";
            break;
        }
        mode = pos > 0 ? 2 : 1;
        while (*s != '\0' && strchr("-+ #0'I", *s) != NULL)
            s++;
        for (star = 0; star < 2; star++) {      /* width, then precision */
            if (star == 1) {
                if (*s != '.')
                    break;
                s++;
            }
            if (*s == '*') {
                int wpos;

                s++;
                wpos = dollar(&s);
                if ((mode == 2) != (wpos > 0)) {
                    why = "a * that does not match the other conversions";
                    break;
                }
                if (sig_set(types, &max, mode == 2 ? wpos : ++next, "d") != SW_OK) {
                    why = "an argument used with two types";
                    break;
                }
            } else {
                while (isdigit((unsigned char)*s))
                    s++;
            }
        }
        if (why != NULL)
            break;
        if (*s == 'h' || *s == 'l') {
            len[0] = *s++;
            if (*s == len[0])
                len[1] = *s++;
        } else if (*s != '\0' && strchr("qLjzZt", *s) != NULL) {
            len[0] = *s == 'q' ? 'L' : *s == 'Z' ? 'z' : *s;
            s++;
        }
        switch (*s) {
        case 'd': case 'i':
            snprintf(type, sizeof(type), "%sd", len);
            break;
        case 'o': case 'u': case 'x': case 'X':
            snprintf(type, sizeof(type), "%su", len);
            break;
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
            snprintf(type, sizeof(type), "%sf", len[0] == 'L' ? "L" : "");
            break;
        case 'c':
            snprintf(type, sizeof(type), "%sc", len[0] == 'l' ? "l" : "");
            break;
        case 's':
            snprintf(type, sizeof(type), "%ss", len[0] == 'l' ? "l" : "");
            break;
        case 'p':
            snprintf(type, sizeof(type), "p");
            break;
        case 'n':
            why = "%n";
            break;
        default:
            why = "a broken % directive";
            break;
        }
        if (why != NULL)
            break;
        s++;
        if (sig_set(types, &max, mode == 2 ? pos : ++next, type) != SW_OK) {
            why = mode == 2 ? "an argument used with two types" : "more than 32 arguments";
            break;
        }
    }
    for (i = 0; why == NULL && i < max; i++)
        if (types[i][0] == '\0')
            why = "an argument is never used";
    if (why != NULL) {
        snprintf(sig, siglen, "%s", why);
        return SW_INVALID;
    }
    if (siglen > 0)
        sig[0] = '\0';
    for (i = 0; i < max; i++) {
        int n = snprintf(sig + used, used < siglen ? siglen - used : 0, "%s%s", i ? "," : "",
                         types[i]);

        if (n > 0)
            used += (size_t)n;
    }
    return SW_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sw_placeholders(const char *text, char *out, size_t outlen)
{
    char names[32][64];
    const char *ptr[32];
    int n = 0, i;
    size_t used = 0;
    const char *s = text;

    while ((s = strchr(s, '{')) != NULL && n < 32) {
        const char *q = ++s;

        if (!(isalpha((unsigned char)*q) || *q == '_'))
            continue;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        if (*q != '}' || q - s >= 64)
            continue;
        memcpy(names[n], s, (size_t)(q - s));
        names[n][q - s] = '\0';
        ptr[n] = names[n];
        n++;
        s = q + 1;
    }
    qsort(ptr, (size_t)n, sizeof(ptr[0]), cmp_str);
    if (outlen > 0)
        out[0] = '\0';
    for (i = 0; i < n; i++) {
        int k;

        if (i > 0 && strcmp(ptr[i], ptr[i - 1]) == 0)
            continue;
        k = snprintf(out + used, used < outlen ? outlen - used : 0, "%s%s", used ? "," : "",
                     ptr[i]);
        if (k > 0)
            used += (size_t)k;
    }
}

/* ---- the catalogue ----------------------------------------------------------------------- */

struct msg {
    char *ctxt;                     /* NULL, or owned */
    char *id;                       /* owned */
    char *form[SW_PO_FORMS_MAX];    /* owned */
    int nforms, line, is_plural;
};

struct lang {
    char name[16];
    char path[512];
    int nplurals, plural_line;
    struct plural plural;
    struct msg *msgs;
    size_t nmsgs, cap;
    unsigned *slots;                /* index + 1 into msgs; 0: empty */
    size_t nslots;                  /* a power of two */
};

static struct lang *langs[LANGS_MAX];
static int nlangs;
static __thread const char *thread_lang;

static unsigned hash_key(const char *ctxt, const char *id)
{
    unsigned h = 2166136261u;
    const unsigned char *s;

    if (ctxt != NULL) {
        for (s = (const unsigned char *)ctxt; *s != '\0'; s++)
            h = (h ^ *s) * 16777619u;
        h = (h ^ 4u) * 16777619u;
    }
    for (s = (const unsigned char *)id; *s != '\0'; s++)
        h = (h ^ *s) * 16777619u;
    return h;
}

static int same_key(const struct msg *m, const char *ctxt, const char *id)
{
    if ((m->ctxt == NULL) != (ctxt == NULL))
        return 0;
    if (ctxt != NULL && strcmp(m->ctxt, ctxt) != 0)
        return 0;
    return strcmp(m->id, id) == 0;
}

static const struct msg *lang_find(const struct lang *l, const char *ctxt, const char *id)
{
    size_t i;

    if (l->nslots == 0)
        return NULL;
    for (i = hash_key(ctxt, id) & (l->nslots - 1); l->slots[i] != 0; i = (i + 1) & (l->nslots - 1))
        if (same_key(&l->msgs[l->slots[i] - 1], ctxt, id))
            return &l->msgs[l->slots[i] - 1];
    return NULL;
}

static void lang_free(struct lang *l)
{
    size_t i;
    int k;

    if (l == NULL)
        return;
    for (i = 0; i < l->nmsgs; i++) {
        free(l->msgs[i].ctxt);
        free(l->msgs[i].id);
        for (k = 0; k < l->msgs[i].nforms; k++)
            free(l->msgs[i].form[k]);
    }
    free(l->msgs);
    free(l->slots);
    free(l);
}

static const struct lang *lang_named(const char *name)
{
    int i;

    if (name == NULL)
        return NULL;
    for (i = 0; i < nlangs; i++)
        if (strcmp(langs[i]->name, name) == 0)
            return langs[i];
    return NULL;
}

struct load {
    struct lang *l;
    char *err;
    size_t errlen;
    int header_seen;
};

static int load_fail(struct load *ld, int line, const char *fmt, ...) SW_PRINTF(3, 4);

static int load_fail(struct load *ld, int line, const char *fmt, ...)
{
    char why[320];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    snprintf(ld->err, ld->errlen, "%s:%d: %s", ld->l->path, line, why);
    return SW_INVALID;
}

/* The value of header field name ("Plural-Forms") in the header text, up to its line's end,
 * copied into out; 0 when absent. */
static int header_field(const char *hdr, const char *name, char *out, size_t outlen)
{
    size_t n = strlen(name);
    const char *s = hdr;

    while (*s != '\0') {
        const char *nl = strchr(s, '\n');
        size_t linelen = nl ? (size_t)(nl - s) : strlen(s);

        if (linelen > n && strncasecmp(s, name, n) == 0 && s[n] == ':') {
            const char *v = s + n + 1;

            while (*v == ' ')
                v++;
            snprintf(out, outlen, "%.*s", (int)(linelen - (size_t)(v - s)), v);
            return 1;
        }
        s = nl ? nl + 1 : s + linelen;
    }
    return 0;
}

static int load_header(struct load *ld, const struct sw_po_entry *e)
{
    char v[512], tag[32];
    const char *p;
    size_t i;

    ld->header_seen = 1;
    if (!header_field(e->msgstr[0], "Content-Type", v, sizeof(v)) ||
        (p = strcasestr(v, "charset=")) == NULL || strncasecmp(p + 8, "UTF-8", 5) != 0)
        return load_fail(ld, e->line, "the header must say Content-Type: text/plain; "
                                       "charset=UTF-8");
    if (header_field(e->msgstr[0], "Language", v, sizeof(v)) && v[0] != '\0') {
        snprintf(tag, sizeof(tag), "%.31s", v);
        for (i = 0; tag[i] != '\0'; i++)
            if (tag[i] == '_')
                tag[i] = '-';
        if (strcasecmp(tag, ld->l->name) != 0)
            return load_fail(ld, e->line, "the header's Language is \"%.30s\" but the file is "
                                           "named %s.po", v, ld->l->name);
    }
    ld->l->nplurals = 2;
    ld->l->plural_line = e->line;
    if (plural_compile("n != 1", &ld->l->plural) != SW_OK)
        return load_fail(ld, e->line, "internal: default plural");
    if (header_field(e->msgstr[0], "Plural-Forms", v, sizeof(v))) {
        const char *np = strstr(v, "nplurals="), *pl = strstr(v, "plural=");
        long long n;
        char num[8];
        size_t k = 0;

        if (pl == np + 2)   /* "plural=" found inside "nplurals=" */
            pl = strstr(np + 9, "plural=");
        if (np == NULL || pl == NULL)
            return load_fail(ld, e->line, "Plural-Forms needs nplurals=N; plural=EXPRESSION;");
        for (np += 9; isdigit((unsigned char)*np) && k < sizeof(num) - 1; np++)
            num[k++] = *np;
        num[k] = '\0';
        if (sw_parse_ll(num, 1, SW_PO_FORMS_MAX, &n) != SW_OK)
            return load_fail(ld, e->line, "Plural-Forms: nplurals must be 1 to %d",
                             SW_PO_FORMS_MAX);
        ld->l->nplurals = (int)n;
        if (plural_compile(pl + 7, &ld->l->plural) != SW_OK)
            return load_fail(ld, e->line, "Plural-Forms: the plural expression is not one "
                                           "this reader understands");
    }
    return SW_OK;
}

/* Checks that a translation uses the same printf conversions as its msgid, for messages used
 * as formats: flagged c-format (xgettext sees them in a format's place) or with a '%'. */
static int load_formats(struct load *ld, const struct sw_po_entry *e)
{
    char want[256], got[256];
    const char *src = e->plural != NULL ? e->plural : e->msgid;
    int i;

    if ((e->flags & SW_PO_NO_C_FORMAT) ||
        (!(e->flags & SW_PO_C_FORMAT) && strchr(src, '%') == NULL) ||
        sw_format_signature(src, want, sizeof(want)) != SW_OK)
        return SW_OK;
    for (i = 0; i < e->nforms; i++) {
        if (sw_format_signature(e->msgstr[i], got, sizeof(got)) != SW_OK)
            return load_fail(ld, e->line, "the translation of \"%.60s\" is no valid format (%s)",
                             e->msgid, got);
        if (strcmp(want, got) != 0)
            return load_fail(ld, e->line, "the translation of \"%.60s\" has conversions "
                                           "[%s] where the msgid has [%s]", e->msgid, got, want);
    }
    return SW_OK;
}

static int load_entry(void *ud, const struct sw_po_entry *e)
{
    struct load *ld = ud;
    struct lang *l = ld->l;
    struct msg *m;
    int i, rc;

    if (e->ctxt == NULL && e->msgid[0] == '\0')
        return load_header(ld, e);
    if (e->flags & SW_PO_FUZZY)
        return SW_OK;
    for (i = 0; i < e->nforms; i++)
        if (e->msgstr[i][0] == '\0')
            return SW_OK;   /* untranslated: the English text serves */
    if ((rc = load_formats(ld, e)) != SW_OK)
        return rc;
    if (l->nmsgs == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        struct msg *a = realloc(l->msgs, cap * sizeof(*a));

        if (a == NULL)
            return load_fail(ld, e->line, "out of memory");
        l->msgs = a;
        l->cap = cap;
    }
    m = &l->msgs[l->nmsgs];
    memset(m, 0, sizeof(*m));
    m->ctxt = e->ctxt ? strdup(e->ctxt) : NULL;
    m->id = strdup(e->msgid);
    m->nforms = e->nforms;
    m->line = e->line;
    m->is_plural = e->plural != NULL;
    l->nmsgs++;
    for (i = 0; i < e->nforms; i++)
        if ((m->form[i] = strdup(e->msgstr[i])) == NULL)
            return load_fail(ld, e->line, "out of memory");
    if (m->id == NULL || (e->ctxt != NULL && m->ctxt == NULL))
        return load_fail(ld, e->line, "out of memory");
    return SW_OK;
}

/* Builds l's hash table, refusing duplicates and plural entries with the wrong form count. */
static int lang_index(struct load *ld)
{
    struct lang *l = ld->l;
    size_t n = 16, i, j;

    while (n < l->nmsgs * 2)
        n *= 2;
    l->slots = calloc(n, sizeof(*l->slots));
    if (l->slots == NULL)
        return load_fail(ld, 0, "out of memory");
    l->nslots = n;
    for (i = 0; i < l->nmsgs; i++) {
        const struct msg *m = &l->msgs[i];

        if (m->is_plural && m->nforms != l->nplurals)
            return load_fail(ld, m->line, "%d plural forms where the header's Plural-Forms "
                                          "(line %d) says %d", m->nforms, l->plural_line,
                             l->nplurals);
        for (j = hash_key(m->ctxt, m->id) & (n - 1); l->slots[j] != 0; j = (j + 1) & (n - 1))
            if (same_key(&l->msgs[l->slots[j] - 1], m->ctxt, m->id))
                return load_fail(ld, m->line, "\"%.60s\" again (first at line %d)", m->id,
                                 l->msgs[l->slots[j] - 1].line);
        l->slots[j] = (unsigned)i + 1;
    }
    return SW_OK;
}

static int lang_name_valid(const char *s, size_t n)
{
    size_t i, run = 0;

    if (n < 2 || n > 15)
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '-') {
            if (run == 0)
                return 0;
            run = 0;
        } else if (isalnum((unsigned char)s[i])) {
            run++;
        } else {
            return 0;
        }
    }
    return run > 0 && isalpha((unsigned char)s[0]);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void langs_free(struct lang **set, int n)
{
    int i;

    for (i = 0; i < n; i++)
        lang_free(set[i]);
}

int sw_i18n_load(const char *dir, char *err, size_t errlen)
{
    struct lang *set[LANGS_MAX];
    char *names[LANGS_MAX];
    int nset = 0, nnames = 0, i, rc = SW_OK;
    struct dirent *de;
    DIR *d = opendir(dir);

    if (d == NULL) {
        snprintf(err, errlen, "%s: the catalogue folder cannot be opened (%s)", dir,
                 strerror(errno));
        return SW_ERR;
    }
    while ((de = readdir(d)) != NULL && rc == SW_OK) {
        size_t n = strlen(de->d_name);

        if (n < 4 || strcmp(de->d_name + n - 3, ".po") != 0)
            continue;
        if (!lang_name_valid(de->d_name, n - 3)) {
            snprintf(err, errlen, "%s/%s: not a language's catalogue (name it like zh-CN.po)",
                     dir, de->d_name);
            rc = SW_ERR;
        } else if (n - 3 == 2 && strncasecmp(de->d_name, "en", 2) == 0) {
            snprintf(err, errlen, "%s/%s: English is the msgid itself and needs no catalogue",
                     dir, de->d_name);
            rc = SW_ERR;
        } else if (nnames == LANGS_MAX) {
            snprintf(err, errlen, "%s: more than %d catalogues", dir, LANGS_MAX);
            rc = SW_ERR;
        } else if ((names[nnames] = strndup(de->d_name, n - 3)) == NULL) {
            snprintf(err, errlen, "out of memory");
            rc = SW_ERR;
        } else {
            nnames++;
        }
    }
    closedir(d);
    qsort(names, (size_t)nnames, sizeof(names[0]), cmp_name);
    for (i = 0; required_langs[i] != NULL && rc == SW_OK; i++) {
        int k, found = 0;

        for (k = 0; k < nnames; k++)
            found |= strcmp(names[k], required_langs[i]) == 0;
        if (!found) {
            snprintf(err, errlen, "%s/%s.po: missing; every language Seawall speaks needs its "
                     "catalogue", dir, required_langs[i]);
            rc = SW_ERR;
        }
    }
    for (i = 0; i < nnames && rc == SW_OK; i++) {
        struct load ld = { NULL, err, errlen, 0 };

        ld.l = calloc(1, sizeof(*ld.l));
        if (ld.l == NULL) {
            snprintf(err, errlen, "out of memory");
            rc = SW_ERR;
            break;
        }
        set[nset++] = ld.l;
        snprintf(ld.l->name, sizeof(ld.l->name), "%s", names[i]);
        snprintf(ld.l->path, sizeof(ld.l->path), "%s/%s.po", dir, names[i]);
        ld.l->nplurals = 2;
        plural_compile("n != 1", &ld.l->plural);
        rc = sw_po_parse_file(ld.l->path, load_entry, &ld, err, errlen);
        if (rc == SW_OK && !ld.header_seen)
            rc = load_fail(&ld, 1, "no header (msgid \"\") with Content-Type and Plural-Forms");
        if (rc == SW_OK)
            rc = lang_index(&ld);
    }
    for (i = 0; i < nnames; i++)
        free(names[i]);
    if (rc != SW_OK) {
        langs_free(set, nset);
        return SW_ERR;
    }
    langs_free(langs, nlangs);
    memcpy(langs, set, (size_t)nset * sizeof(set[0]));
    nlangs = nset;
    return SW_OK;
}

void sw_i18n_free(void)
{
    langs_free(langs, nlangs);
    nlangs = 0;
    thread_lang = NULL;
}

static int is_en(const char *lang)
{
    return lang == NULL || (lang[0] == 'e' && lang[1] == 'n' && lang[2] == '\0');
}

/* The entry for (ctxt, msgid) in lang, or NULL. */
static const struct msg *find(const char *lang, const char *ctxt, const char *msgid)
{
    const struct lang *l;

    if (is_en(lang) || msgid == NULL)
        return NULL;
    l = lang_named(lang);
    return l != NULL ? lang_find(l, ctxt, msgid) : NULL;
}

const char *sw_tr(const char *lang, const char *msgid)
{
    const struct msg *m = find(lang, NULL, msgid);

    return m != NULL && !m->is_plural ? m->form[0] : msgid;
}

const char *sw_trc(const char *lang, const char *ctxt, const char *msgid)
{
    const struct msg *m = find(lang, ctxt, msgid);

    return m != NULL && !m->is_plural ? m->form[0] : msgid;
}

const char *sw_trn(const char *lang, const char *msgid, const char *plural, unsigned long n)
{
    const struct msg *m = find(lang, NULL, msgid);
    const struct lang *l;
    unsigned long form;

    if (m == NULL || !m->is_plural)
        return n == 1 ? msgid : plural;
    l = lang_named(lang);
    form = plural_eval(&l->plural, l->plural.root, n);
    return form < (unsigned long)m->nforms ? m->form[form] : m->form[0];
}

const char *sw_t(const char *msgid)
{
    return sw_tr(thread_lang, msgid);
}

int sw_tr_known(const char *lang, const char *ctxt, const char *msgid)
{
    return is_en(lang) || find(lang, ctxt, msgid) != NULL;
}

/* ---- the thread's language --------------------------------------------------------------- */

const char *sw_lang_canonical(const char *tag)
{
    int i;

    if (tag == NULL)
        return NULL;
    if (strcasecmp(tag, SW_LANG_EN) == 0)
        return SW_LANG_EN;
    if (strcasecmp(tag, SW_LANG_ZH_CN) == 0)
        return SW_LANG_ZH_CN;
    for (i = 0; i < nlangs; i++)
        if (strcasecmp(tag, langs[i]->name) == 0)
            return langs[i]->name;
    return NULL;
}

void sw_i18n_set_thread_lang(const char *lang)
{
    thread_lang = sw_lang_canonical(lang);
}

const char *sw_i18n_thread_lang(void)
{
    return thread_lang != NULL ? thread_lang : SW_LANG_EN;
}

/* ---- Accept-Language (RFC 9110 12.5.4, basic ranges as RFC 4647 3.3.1) ------------------ */

#define AL_MAX_BYTES    4096
#define AL_MAX_ELEMENTS 64

enum { AL_OTHER, AL_EN, AL_ZH, AL_STAR };

/* Which of Seawall's languages the range of n bytes at s names, and how many subtags it has;
 * -1 when it is not a language range. */
static int al_range(const char *s, size_t n, int *subtags)
{
    size_t i = 0, start;
    int zh = 0, traditional = 0, first = 1, kind = AL_OTHER;

    *subtags = 0;
    if (n == 1 && s[0] == '*')
        return AL_STAR;
    while (i < n) {
        start = i;
        while (i < n && (first ? isalpha((unsigned char)s[i]) : isalnum((unsigned char)s[i])))
            i++;
        if (i == start || i - start > 8 || (i < n && s[i] != '-') || (i + 1 == n))
            return -1;
        if (first) {
            if (i - start == 2 && strncasecmp(s, "en", 2) == 0)
                kind = AL_EN;
            else if ((i - start == 2 && strncasecmp(s, "zh", 2) == 0) ||
                     (i - start == 3 && strncasecmp(s, "cmn", 3) == 0))
                zh = 1;
        } else if ((i - start == 4 && strncasecmp(s + start, "hant", 4) == 0) ||
                   (i - start == 2 && (strncasecmp(s + start, "tw", 2) == 0 ||
                                       strncasecmp(s + start, "hk", 2) == 0 ||
                                       strncasecmp(s + start, "mo", 2) == 0))) {
            traditional = 1;
        }
        (*subtags)++;
        first = 0;
        if (i < n)
            i++;   /* the '-' */
    }
    if (zh)
        kind = traditional ? AL_OTHER : AL_ZH;
    return kind;
}

/* The weight of ";q=..." parameters in the n bytes at s (after the range): 0 to 1000, or -1
 * when malformed. Only q is defined for Accept-Language. */
static int al_weight(const char *s, size_t n)
{
    size_t i = 0, k;
    int w;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == n)
        return 1000;
    if (s[i++] != ';')
        return -1;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (n - i < 3 || (s[i] != 'q' && s[i] != 'Q') || s[i + 1] != '=')
        return -1;
    i += 2;
    if (s[i] != '0' && s[i] != '1')
        return -1;
    w = (s[i++] - '0') * 1000;
    if (i < n && s[i] == '.') {
        int scale = 100;

        i++;
        for (k = 0; k < 3 && i < n && isdigit((unsigned char)s[i]); k++, i++, scale /= 10)
            w += (s[i] - '0') * scale;
    }
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i == n && w <= 1000 ? w : -1;
}

const char *sw_lang_negotiate(const char *al)
{
    int q[4] = { -1, -1, -1, -1 }, spec[4] = { -1, -1, -1, -1 }, order[4] = { 0, 0, 0, 0 };
    size_t len, pos = 0;
    int elements = 0;

    if (al == NULL)
        return SW_LANG_EN;
    len = strnlen(al, AL_MAX_BYTES);
    while (pos < len && elements < AL_MAX_ELEMENTS) {
        const char *el = al + pos, *comma = memchr(el, ',', len - pos);
        size_t n = comma ? (size_t)(comma - el) : len - pos, r;
        int kind, subtags, w;

        pos += n + 1;
        while (n > 0 && (*el == ' ' || *el == '\t')) {
            el++;
            n--;
        }
        if (n == 0)
            continue;   /* "a,,b" has empty elements, allowed by the list syntax */
        elements++;
        for (r = 0; r < n && el[r] != ';' && el[r] != ' ' && el[r] != '\t'; r++)
            ;
        kind = al_range(el, r, &subtags);
        w = al_weight(el + r, n - r);
        if (kind < 0 || w < 0)
            continue;
        /* The most specific range that names a language decides its weight. */
        if (subtags > spec[kind] || (subtags == spec[kind] && w > q[kind])) {
            q[kind] = w;
            spec[kind] = subtags;
        }
        if (order[kind] == 0)
            order[kind] = elements;
    }
    if (q[AL_EN] < 0)
        q[AL_EN] = q[AL_STAR] > 0 ? q[AL_STAR] : 0;
    if (q[AL_ZH] < 0)
        q[AL_ZH] = q[AL_STAR] > 0 ? q[AL_STAR] : 0;
    if (q[AL_ZH] > q[AL_EN])
        return SW_LANG_ZH_CN;
    if (q[AL_ZH] == q[AL_EN] && q[AL_ZH] > 0 && order[AL_ZH] != 0 &&
        (order[AL_EN] == 0 || order[AL_ZH] < order[AL_EN]))
        return SW_LANG_ZH_CN;
    return SW_LANG_EN;
}
