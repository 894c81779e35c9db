/* lenient.c — the repairs that let the XML reader accept what real feed readers accept and XML
 * does not, each counted as a warning (docs/feeds.md "Leniency"). Two parts:
 *
 * - the prolog: white space or comments before the XML declaration (the declaration is moved
 *   to the front of the head buffer, where XML wants it);
 * - a reading filter between the input and libxml2 that rewrites, in text and attribute
 *   values only, an HTML named entity the document never declares into its numeric reference
 *   (&nbsp; → &#160;), an '&' that starts no reference into &amp;, and a character reference
 *   XML refuses (&#X41;, &#0;, &#xD800;) into the one HTML reads (&#x41;, &#xFFFD;).
 *
 * Nothing else changes: comments, CDATA sections, processing instructions and the DOCTYPE
 * pass through as they are, and a reference to an entity the document declares itself is left
 * to libxml2 (so external entities stay unexpanded and entity loops are still refused). On a
 * well-formed document the filter changes no byte. It needs an encoding in which '&', '<' and
 * ASCII letters are single bytes (UTF-8, the ISO-8859 and windows families, GBK, Big5,
 * Shift_JIS, EUC); for UTF-16 and UTF-32 it is not used. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "internal.h"

#define RAW_MAX   16384
#define LOOKAHEAD 64          /* the longest construct judged at once ("&name;", "<![CDATA[") */
#define OUT_MAX   (RAW_MAX * 2)
#define NAME_MAX_ 32          /* longest entity name looked at; HTML's are at most 8 */
#define DECLARED_MAX 256      /* entity names remembered from the internal subset */

enum lstate { L_TEXT, L_TAG, L_COMMENT, L_CDATA, L_PI, L_DOCTYPE };

struct sw_lenient {
    struct sw_fctx *c;
    struct sw_feed_input *in;
    char raw[RAW_MAX];
    size_t rpos, rlen;
    int eof, failed;
    char out[OUT_MAX];
    size_t opos, olen;
    enum lstate st;
    char quote;               /* in a tag or the DOCTYPE: the open quote, or 0 */
    int dt_depth;             /* DOCTYPE: inside its internal subset ([ … ]) */
    int dt_comment;           /* DOCTYPE: inside a comment of the subset */
    char declared[DECLARED_MAX][NAME_MAX_ + 1];
    int ndeclared;
    int many_declared;        /* more than DECLARED_MAX: no named reference is repaired */
};

static void repaired(struct sw_fctx *c, enum sw_feed_repair r)
{
    c->res->repairs[r]++;
    c->res->warnings++;
}

void sw_feed_repaired(struct sw_fctx *c, enum sw_feed_repair r)
{
    repaired(c, r);
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int starts(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);

    return n >= l && memcmp(s, lit, l) == 0;
}

int sw_lenient_prolog(struct sw_fctx *c, struct sw_feed_input *in, char **owned)
{
    const char *s = in->buf;
    size_t n = in->len, bom = 0, j, k;
    const char *end;
    char *copy;

    *owned = NULL;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        bom = 3;
    for (j = bom; j < n;) {
        if (is_space(s[j])) {
            j++;
        } else if (starts(s + j, n - j, "<!--")) {
            end = memmem(s + j + 4, n - j - 4, "-->", 3);
            if (end == NULL)
                return SW_OK;
            j = (size_t)(end - s) + 3;
        } else {
            break;
        }
    }
    if (j == bom || !starts(s + j, n - j, "<?xml") || n - j < 6 ||
        !(is_space(s[j + 5]) || s[j + 5] == '?'))
        return SW_OK;
    end = memmem(s + j, n - j, "?>", 2);
    if (end == NULL)
        return SW_OK;
    k = (size_t)(end - s) + 2;
    copy = malloc(n);
    if (copy == NULL)
        return SW_ERR;
    /* BOM, declaration, what stood before it, the rest. */
    memcpy(copy, s, bom);
    memcpy(copy + bom, s + j, k - j);
    memcpy(copy + bom + (k - j), s + bom, j - bom);
    memcpy(copy + k, s + k, n - k);
    in->buf = copy;
    *owned = copy;
    repaired(c, SW_REPAIR_PROLOG);
    return SW_OK;
}

struct sw_lenient *sw_lenient_new(struct sw_fctx *c, struct sw_feed_input *in)
{
    struct sw_lenient *lz = calloc(1, sizeof(*lz));

    if (lz != NULL) {
        lz->c = c;
        lz->in = in;
        lz->st = L_TEXT;
    }
    return lz;
}

void sw_lenient_free(struct sw_lenient *lz)
{
    free(lz);
}

/* Keeps at least LOOKAHEAD bytes ahead of rpos unless the input has ended. */
static void refill(struct sw_lenient *lz)
{
    int n;

    if (lz->eof || lz->rlen - lz->rpos >= LOOKAHEAD)
        return;
    memmove(lz->raw, lz->raw + lz->rpos, lz->rlen - lz->rpos);
    lz->rlen -= lz->rpos;
    lz->rpos = 0;
    while (!lz->eof && lz->rlen < RAW_MAX) {
        n = sw_feed_input_read(lz->in, lz->raw + lz->rlen, RAW_MAX - lz->rlen);
        if (n < 0) {
            lz->failed = 1;
            lz->eof = 1;
        } else if (n == 0) {
            lz->eof = 1;
        } else {
            lz->rlen += (size_t)n;
            if (lz->rlen - lz->rpos >= LOOKAHEAD)
                break;
        }
    }
}

static void emit(struct sw_lenient *lz, const char *p, size_t n)
{
    memcpy(lz->out + lz->olen, p, n);
    lz->olen += n;
}

/* Copies n raw bytes through unchanged. */
static void pass(struct sw_lenient *lz, size_t n)
{
    emit(lz, lz->raw + lz->rpos, n);
    lz->rpos += n;
}

static int name_start(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == ':' ||
           ch >= 0x80;
}

static int name_char(unsigned char ch)
{
    return name_start(ch) || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
}

static int is_declared(const struct sw_lenient *lz, const char *name)
{
    int i;

    for (i = 0; i < lz->ndeclared; i++)
        if (strcmp(lz->declared[i], name) == 0)
            return 1;
    return 0;
}

/* XML's Char production: what a character reference may name. */
static int xml_char(unsigned long cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* At an '&' in text or an attribute value: passes a reference XML accepts, rewrites one it
 * does not (counted), or escapes the '&'. */
static void reference(struct sw_lenient *lz)
{
    const char *s = lz->raw + lz->rpos;
    size_t n = lz->rlen - lz->rpos, i;
    char name[NAME_MAX_ + 1], num[24];

    if (n >= 2 && s[1] == '#') {
        int hex = n >= 3 && (s[2] == 'x' || s[2] == 'X');
        size_t start = hex ? 3 : 2;
        unsigned long cp = 0;

        for (i = start; i < n; i++) {
            unsigned char ch = (unsigned char)s[i];
            int d = ch >= '0' && ch <= '9' ? ch - '0'
                    : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                    : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;

            if (d < 0)
                break;
            if (cp <= 0x10FFFF)   /* past it the value no longer matters: beyond Unicode */
                cp = cp * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (i > start && i < n && s[i] == ';') {
            if (xml_char(cp) && s[2] != 'X') {
                pass(lz, i + 1);
                return;
            }
            snprintf(num, sizeof(num), "&#x%lX;", xml_char(cp) ? cp : 0xFFFDul);
            emit(lz, num, strlen(num));
            lz->rpos += i + 1;
            repaired(lz->c, SW_REPAIR_CHAR_REF);
            return;
        }
    } else if (n >= 2 && name_start((unsigned char)s[1])) {
        for (i = 1; i < n && i - 1 < NAME_MAX_ && name_char((unsigned char)s[i]); i++)
            ;
        if (i < n && s[i] == ';' && i - 1 <= NAME_MAX_) {
            const htmlEntityDesc *e;

            memcpy(name, s + 1, i - 1);
            name[i - 1] = '\0';
            if (strcmp(name, "amp") == 0 || strcmp(name, "lt") == 0 ||
                strcmp(name, "gt") == 0 || strcmp(name, "quot") == 0 ||
                strcmp(name, "apos") == 0 || lz->many_declared || is_declared(lz, name) ||
                (e = htmlEntityLookup((const xmlChar *)name)) == NULL) {
                /* XML's own, the document's, or unknown: libxml2 judges it. */
                pass(lz, i + 1);
                return;
            }
            snprintf(num, sizeof(num), "&#%u;", e->value);
            emit(lz, num, strlen(num));
            lz->rpos += i + 1;
            repaired(lz->c, SW_REPAIR_HTML_ENTITY);
            return;
        }
    }
    emit(lz, "&amp;", 5);
    lz->rpos++;
    repaired(lz->c, SW_REPAIR_BARE_AMP);
}

/* At "<!ENTITY" in the internal subset: remembers the general entity's name. */
static void declaration(struct sw_lenient *lz)
{
    const char *s = lz->raw + lz->rpos;
    size_t n = lz->rlen - lz->rpos, i = 8, b;

    while (i < n && is_space(s[i]))
        i++;
    if (i >= n || s[i] == '%')
        return;   /* a parameter entity: never referenced from the document's text */
    for (b = i; i < n && i - b <= NAME_MAX_ && name_char((unsigned char)s[i]); i++)
        ;
    if (i - b == 0 || i - b > NAME_MAX_)
        return;
    if (lz->ndeclared == DECLARED_MAX) {
        lz->many_declared = 1;
        return;
    }
    memcpy(lz->declared[lz->ndeclared], s + b, i - b);
    lz->declared[lz->ndeclared][i - b] = '\0';
    lz->ndeclared++;
}

/* Reads raw input and writes filtered output until out holds at least half its room or the
 * input ends. Each step consumes at least one byte and writes at most 16 per byte. */
static void run(struct sw_lenient *lz)
{
    while (lz->olen < OUT_MAX / 2) {
        const char *s;
        size_t n, k;

        refill(lz);
        s = lz->raw + lz->rpos;
        n = lz->rlen - lz->rpos;
        if (n == 0)
            return;
        switch (lz->st) {
        case L_TEXT:
            for (k = 0; k < n && s[k] != '<' && s[k] != '&' && lz->olen + k < OUT_MAX / 2; k++)
                ;
            if (k > 0) {
                pass(lz, k);
            } else if (s[0] == '&') {
                reference(lz);
            } else if (starts(s, n, "<!--")) {
                lz->st = L_COMMENT;
                pass(lz, 4);
            } else if (starts(s, n, "<![CDATA[")) {
                lz->st = L_CDATA;
                pass(lz, 9);
            } else if (starts(s, n, "<!DOCTYPE")) {
                lz->st = L_DOCTYPE;
                lz->quote = 0;
                lz->dt_depth = 0;
                lz->dt_comment = 0;
                pass(lz, 9);
            } else if (starts(s, n, "<?")) {
                lz->st = L_PI;
                pass(lz, 2);
            } else {
                lz->st = L_TAG;
                lz->quote = 0;
                pass(lz, 1);
            }
            break;
        case L_TAG:
            if (lz->quote != 0 && s[0] == '&') {
                reference(lz);
                break;
            }
            if (lz->quote != 0 && s[0] == lz->quote)
                lz->quote = 0;
            else if (lz->quote == 0 && (s[0] == '"' || s[0] == '\''))
                lz->quote = s[0];
            else if (lz->quote == 0 && s[0] == '>')
                lz->st = L_TEXT;
            pass(lz, 1);
            break;
        case L_COMMENT:
        case L_CDATA:
        case L_PI: {
            const char *close = lz->st == L_COMMENT ? "-->" : lz->st == L_CDATA ? "]]>" : "?>";

            if (starts(s, n, close)) {
                lz->st = L_TEXT;
                pass(lz, strlen(close));
            } else {
                pass(lz, 1);
            }
            break;
        }
        case L_DOCTYPE:
            if (lz->dt_comment) {
                if (starts(s, n, "-->")) {
                    lz->dt_comment = 0;
                    pass(lz, 3);
                } else {
                    pass(lz, 1);
                }
            } else if (lz->quote != 0) {
                if (s[0] == lz->quote)
                    lz->quote = 0;
                pass(lz, 1);
            } else if (starts(s, n, "<!--")) {
                lz->dt_comment = 1;
                pass(lz, 4);
            } else if (lz->dt_depth > 0 && starts(s, n, "<!ENTITY")) {
                declaration(lz);
                pass(lz, 8);
            } else {
                if (s[0] == '"' || s[0] == '\'')
                    lz->quote = s[0];
                else if (s[0] == '[')
                    lz->dt_depth++;
                else if (s[0] == ']' && lz->dt_depth > 0)
                    lz->dt_depth--;
                else if (s[0] == '>' && lz->dt_depth == 0)
                    lz->st = L_TEXT;
                pass(lz, 1);
            }
            break;
        }
    }
}

int sw_lenient_read(void *ctx, char *buf, int len)
{
    struct sw_lenient *lz = ctx;
    size_t take;

    if (lz->opos == lz->olen) {
        lz->opos = lz->olen = 0;
        run(lz);
        if (lz->olen == 0)
            return lz->failed ? -1 : 0;
    }
    take = lz->olen - lz->opos < (size_t)len ? lz->olen - lz->opos : (size_t)len;
    memcpy(buf, lz->out + lz->opos, take);
    lz->opos += take;
    return (int)take;
}
