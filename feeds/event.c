/* event.c — building events: bounded, cleaned strings; dates; parties; stable ids. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "seawall/buf.h"
#include "seawall/date.h"
#include "internal.h"

json_t *sw_ev_new(struct sw_fctx *c, const char *type)
{
    return json_pack("{s:s, s:s, s:s}", "id", "", "source", c->source, "type", type);
}

/* Length of the longest prefix of s (at most max bytes) that ends on a UTF-8 boundary. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* windows-1252's characters at 0x80–0x9F (0: unassigned, dropped). */
static const unsigned short c1_to_cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* Copies text with runs of white space folded to one space, controls dropped and C1 controls
 * read as windows-1252. The output is at most 3/2 the input (2 bytes become 3). */
static char *fold(const char *text, size_t max)
{
    size_t n = strlen(text), i, o = 0;
    char *out = malloc(n + n / 2 + 1);
    int space = 1;

    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)text[i];

        if (ch == 0xC2 && i + 1 < n && (unsigned char)text[i + 1] >= 0x80 &&
            (unsigned char)text[i + 1] <= 0x9F) {
            /* U+0080–U+009F are never text: they are windows-1252 punctuation that went
             * through a Latin-1 decoder ("don't" with a curly quote). Put it back. */
            unsigned cp = c1_to_cp1252[(unsigned char)text[i + 1] - 0x80];

            i++;
            if (cp == 0)
                continue;
            out[o++] = (char)(0xE0 | (cp >> 12));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
            space = 0;
        } else if (isspace(ch)) {
            if (!space)
                out[o++] = ' ';
            space = 1;
        } else if (ch < 0x20 || ch == 0x7f) {
            continue;
        } else {
            out[o++] = (char)ch;
            space = 0;
        }
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    o = utf8_cut(out, o, max);
    out[o] = '\0';
    return out;
}

void sw_ev_str(json_t *ev, const char *field, const char *text, size_t max)
{
    char *s;

    if (text == NULL)
        return;
    s = fold(text, max);
    if (s != NULL && s[0] != '\0') {
        json_t *v = json_string(s);

        if (v != NULL)   /* NULL only for invalid UTF-8, which the XML reader never hands us */
            json_object_set_new(ev, field, v);
    }
    free(s);
}

void sw_feed_warn(struct sw_fctx *c, const char *fmt, ...)
{
    va_list ap;

    c->res->warnings++;
    if (c->res->err[0] != '\0')
        return;
    va_start(ap, fmt);
    vsnprintf(c->res->err, sizeof(c->res->err), fmt, ap);
    va_end(ap);
}

static const struct { const char *name, *text; } repairs[SW_REPAIR_COUNT] = {
    [SW_REPAIR_PROLOG] = { "prolog", "white space or comments before the XML declaration: "
                           "the declaration was read first" },
    [SW_REPAIR_HTML_ENTITY] = { "html-entity", "HTML named entities the document never "
                                "declares (&nbsp; …) read as their characters" },
    [SW_REPAIR_BARE_AMP] = { "bare-amp", "an '&' that starts no entity read as a literal '&'" },
    [SW_REPAIR_CHAR_REF] = { "char-ref", "character references XML refuses read as HTML reads "
                             "them (&#X41; as A; &#0;, a surrogate or a control as U+FFFD)" },
    [SW_REPAIR_ENTRY_ROOT] = { "entry-root", "the document is a single Atom entry, read as a "
                               "feed of one" },
};

const char *sw_feed_repair_name(enum sw_feed_repair r)
{
    return (size_t)r < SW_REPAIR_COUNT ? repairs[r].name : "unknown";
}

const char *sw_feed_repair_text(enum sw_feed_repair r)
{
    return (size_t)r < SW_REPAIR_COUNT ? repairs[r].text : "unknown";
}

json_t *sw_feed_warnings_json(const struct sw_feed_result *res)
{
    json_t *out = json_array();
    size_t i, repaired = 0;

    for (i = 0; i < SW_REPAIR_COUNT; i++) {
        if (res->repairs[i] == 0)
            continue;
        repaired += res->repairs[i];
        json_array_append_new(out, json_pack("{s:s, s:I, s:s}", "code", repairs[i].name,
                                             "count", (json_int_t)res->repairs[i],
                                             "message", repairs[i].text));
    }
    if (res->warnings > repaired) {
        json_t *msg = json_string(res->err);   /* NULL for bytes that are not UTF-8 */

        json_array_append_new(out, json_pack("{s:s, s:I, s:o}", "code", "other", "count",
                                             (json_int_t)(res->warnings - repaired),
                                             "message", msg ? msg : json_string("")));
    }
    return out;
}

void sw_ev_date(struct sw_fctx *c, json_t *ev, const char *raw)
{
    char iso[32];

    if (raw == NULL || raw[0] == '\0')
        return;
    if (sw_date_normalise(raw, iso, sizeof(iso)) == SW_OK) {
        json_object_set_new(ev, "date", json_string(iso));
        return;
    }
    sw_ev_str(ev, "date_raw", raw, 128);
    sw_feed_warn(c, "unreadable date \"%.64s\"", raw);
}

void sw_ev_date_as(struct sw_fctx *c, json_t *ev, const char *field, const char *raw)
{
    char iso[32];

    if (raw == NULL || raw[0] == '\0')
        return;
    if (sw_date_normalise(raw, iso, sizeof(iso)) == SW_OK)
        json_object_set_new(ev, field, json_string(iso));
    else
        sw_feed_warn(c, "unreadable %s date \"%.64s\"", field, raw);
}

void sw_ev_party(json_t *ev, const char *name, const char *role, const char *country,
                 const char *identifier)
{
    json_t *parties = json_object_get(ev, "parties"), *p;

    if ((name == NULL || name[0] == '\0') && (identifier == NULL || identifier[0] == '\0'))
        return;
    if (parties == NULL) {
        parties = json_array();
        json_object_set_new(ev, "parties", parties);
    }
    p = json_object();
    sw_ev_str(p, "name", name, SW_FEED_FIELD_MAX);
    json_object_set_new(p, "role", json_string(role));
    if (country != NULL && strlen(country) == 2 && isalpha((unsigned char)country[0]) &&
        isalpha((unsigned char)country[1])) {
        char cc[3] = { (char)toupper((unsigned char)country[0]),
                       (char)toupper((unsigned char)country[1]), '\0' };

        json_object_set_new(p, "country", json_string(cc));
    }
    sw_ev_str(p, "identifier", identifier, 128);
    json_array_append_new(parties, p);
}

static json_t *numbers(json_t *ev)
{
    json_t *n = json_object_get(ev, "numbers");

    if (n == NULL) {
        n = json_object();
        json_object_set_new(ev, "numbers", n);
    }
    return n;
}

void sw_ev_number(json_t *ev, const char *kind, const char *value)
{
    if (value != NULL && value[0] != '\0')
        sw_ev_str(numbers(ev), kind, value, 256);
}

void sw_ev_number_add(json_t *ev, const char *kind, const char *value)
{
    json_t *n, *arr;
    size_t i;

    if (value == NULL || value[0] == '\0')
        return;
    n = numbers(ev);
    arr = json_object_get(n, kind);
    if (arr == NULL) {
        arr = json_array();
        json_object_set_new(n, kind, arr);
    }
    for (i = 0; i < json_array_size(arr); i++)
        if (strcmp(json_string_value(json_array_get(arr, i)), value) == 0)
            return;
    json_array_append_new(arr, json_string(value));
}

static json_t *class_list(json_t *ev, const char *scheme)
{
    json_t *cl = json_object_get(ev, "classes"), *arr;

    if (cl == NULL) {
        cl = json_object();
        json_object_set_new(ev, "classes", cl);
    }
    arr = json_object_get(cl, scheme);
    if (arr == NULL) {
        arr = json_array();
        json_object_set_new(cl, scheme, arr);
    }
    return arr;
}

void sw_ev_class_int(json_t *ev, const char *scheme, long v)
{
    json_t *arr = class_list(ev, scheme);
    size_t i;

    for (i = 0; i < json_array_size(arr); i++)
        if (json_integer_value(json_array_get(arr, i)) == v)
            return;
    json_array_append_new(arr, json_integer(v));
}

void sw_ev_class_str(json_t *ev, const char *scheme, const char *v)
{
    json_t *arr;
    size_t i;

    if (v == NULL || v[0] == '\0')
        return;
    arr = class_list(ev, scheme);
    for (i = 0; i < json_array_size(arr); i++)
        if (strcmp(json_string_value(json_array_get(arr, i)), v) == 0)
            return;
    json_array_append_new(arr, json_string(v));
}

void sw_ev_mark(json_t *ev, const char *text)
{
    json_t *marks, *tmp;
    size_t i;

    if (text == NULL || text[0] == '\0')
        return;
    marks = json_object_get(ev, "marks");
    if (marks == NULL) {
        marks = json_array();
        json_object_set_new(ev, "marks", marks);
    }
    tmp = json_object();
    sw_ev_str(tmp, "m", text, SW_FEED_FIELD_MAX);
    if (json_object_get(tmp, "m") != NULL) {
        for (i = 0; i < json_array_size(marks); i++)
            if (json_equal(json_array_get(marks, i), json_object_get(tmp, "m")))
                break;
        if (i == json_array_size(marks))
            json_array_append(marks, json_object_get(tmp, "m"));
    }
    json_decref(tmp);
}

int sw_ev_emit(struct sw_fctx *c, json_t *ev, const char *kind, const char *key)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    char hex[65], id[72];

    if (c->stop) {
        json_decref(ev);
        return 1;
    }
    if (c->res->events >= c->o->max_events) {
        json_decref(ev);
        snprintf(c->res->err, sizeof(c->res->err), "more than %zu events in one document",
                 c->o->max_events);
        c->res->partial = 1;
        c->stop = 2;
        return 1;
    }
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)key, strlen(key));
    crypto_hash_sha256_final(&st, h);
    sw_hex(h, 16, hex);
    snprintf(id, sizeof(id), "ev_%s", hex);
    json_object_set_new(ev, "id", json_string(id));
    c->res->events++;
    if (c->emit(c->ud, ev) != 0)
        c->stop = 1;
    return c->stop != 0;
}

/* Decodes one HTML entity at s (after '&'); writes UTF-8 into out and returns the bytes of
 * input used, or 0 when it is not an entity we know. */
static size_t html_entity(const char *s, char *out, size_t *outn)
{
    static const struct { const char *name; unsigned cp; } ents[] = {
        { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
        { "nbsp", 0xA0 }, { "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 },
        { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "hellip", 0x2026 }, { "laquo", 0xAB },
        { "raquo", 0xBB }, { "rsquo", 0x2019 }, { "lsquo", 0x2018 }, { "rdquo", 0x201D },
        { "ldquo", 0x201C }, { "euro", 0x20AC }, { "auml", 0xE4 }, { "ouml", 0xF6 },
        { "uuml", 0xFC }, { "Auml", 0xC4 }, { "Ouml", 0xD6 }, { "Uuml", 0xDC },
        { "szlig", 0xDF }, { "eacute", 0xE9 }, { "egrave", 0xE8 }, { "aacute", 0xE1 },
    };
    unsigned long cp = 0;
    size_t i, n = 0;

    if (s[0] == '#') {
        char *end;

        if (s[1] == 'x' || s[1] == 'X')
            cp = strtoul(s + 2, &end, 16);
        else
            cp = strtoul(s + 1, &end, 10);
        if (end == s + 1 || end == s + 2 || *end != ';' || cp == 0 || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        n = (size_t)(end - s) + 1;
    } else {
        for (i = 0; i < SW_ARRAY_LEN(ents); i++) {
            size_t l = strlen(ents[i].name);

            if (strncmp(s, ents[i].name, l) == 0 && s[l] == ';') {
                cp = ents[i].cp;
                n = l + 1;
                break;
            }
        }
        if (n == 0)
            return 0;
    }
    if (cp < 0x80) {
        out[0] = (char)cp;
        *outn = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        *outn = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        *outn = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        *outn = 4;
    }
    return n;
}

char *sw_html_to_text(const char *html, size_t max)
{
    struct sw_buf b;
    const char *p = html;

    sw_buf_init(&b, max);
    while (*p != '\0' && b.len < max) {
        if (*p == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/' ||
                          (p[1] == '!' && (p[2] == '-' || isalpha((unsigned char)p[2]))))) {
            const char *end = strchr(p, '>');
            int block;

            if (end == NULL) {   /* not a tag after all: the rest is text */
                sw_buf_adds(&b, p);
                break;
            }
            /* Tags that separate words become a space. */
            block = strncasecmp(p, "<br", 3) == 0 || strncasecmp(p, "<p", 2) == 0 ||
                    strncasecmp(p, "</p", 3) == 0 || strncasecmp(p, "<div", 4) == 0 ||
                    strncasecmp(p, "<li", 3) == 0 || strncasecmp(p, "</li", 4) == 0;
            if (block)
                sw_buf_adds(&b, " ");
            p = end + 1;
        } else if (*p == '&') {
            char u[4];
            size_t un = 0, used = html_entity(p + 1, u, &un);

            if (used > 0) {
                sw_buf_add(&b, u, un);
                p += used + 1;
            } else {
                sw_buf_add(&b, p++, 1);
            }
        } else {
            sw_buf_add(&b, p++, 1);
        }
    }
    return sw_buf_take(&b);
}
