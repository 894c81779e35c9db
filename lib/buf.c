/* buf.c — bounded growable buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/buf.h"

void sw_buf_init(struct sw_buf *b, size_t max)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

static int buf_reserve(struct sw_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > b->max - b->len)
        return SW_TOOBIG;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return SW_OK;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    p = realloc(b->p, cap);
    if (p == NULL)
        return SW_ERR;
    b->p = p;
    b->cap = cap;
    return SW_OK;
}

int sw_buf_add(struct sw_buf *b, const void *data, size_t n)
{
    int rc = buf_reserve(b, n);

    if (rc != SW_OK)
        return rc;
    if (n > 0)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return SW_OK;
}

int sw_buf_adds(struct sw_buf *b, const char *s)
{
    return sw_buf_add(b, s, strlen(s));
}

int sw_buf_vprintf(struct sw_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n, rc;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return SW_ERR;
    rc = buf_reserve(b, (size_t)n);
    if (rc != SW_OK)
        return rc;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return SW_OK;
}

int sw_buf_printf(struct sw_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = sw_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void sw_buf_reset(struct sw_buf *b)
{
    b->len = 0;
    if (b->p != NULL)
        b->p[0] = '\0';
}

void sw_buf_free(struct sw_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
}

char *sw_buf_take(struct sw_buf *b)
{
    char *p = b->p;

    if (p == NULL)
        p = calloc(1, 1);
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

int sw_buf_add_html(struct sw_buf *b, const char *s)
{
    int rc = SW_OK;

    for (; s != NULL && *s != '\0' && rc == SW_OK; s++) {
        switch (*s) {
        case '<': rc = sw_buf_adds(b, "&lt;"); break;
        case '>': rc = sw_buf_adds(b, "&gt;"); break;
        case '&': rc = sw_buf_adds(b, "&amp;"); break;
        case '"': rc = sw_buf_adds(b, "&quot;"); break;
        case '\'': rc = sw_buf_adds(b, "&#39;"); break;
        default: rc = sw_buf_add(b, s, 1);
        }
    }
    return rc;
}

int sw_buf_add_xml(struct sw_buf *b, const char *s)
{
    static const char replacement[] = "\xEF\xBF\xBD";   /* U+FFFD */
    const unsigned char *p = (const unsigned char *)s;
    size_t len = s != NULL ? strlen(s) : 0, i = 0, n;
    int rc = SW_OK;

    while (i < len && rc == SW_OK) {
        unsigned c = p[i];

        if (c < 0x80) {
            switch (c) {
            case '<': rc = sw_buf_adds(b, "&lt;"); break;
            case '>': rc = sw_buf_adds(b, "&gt;"); break;
            case '&': rc = sw_buf_adds(b, "&amp;"); break;
            case '"': rc = sw_buf_adds(b, "&quot;"); break;
            case '\'': rc = sw_buf_adds(b, "&#39;"); break;
            default:
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                    rc = sw_buf_adds(b, replacement);
                else
                    rc = sw_buf_add(b, s + i, 1);
            }
            i++;
            continue;
        }
        n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (i + n > len || !sw_utf8_valid(s + i, n, NULL) ||
            (c == 0xEF && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF))) {
            rc = sw_buf_adds(b, replacement);   /* one byte at a time until it is UTF-8 */
            i++;
            continue;
        }
        rc = sw_buf_add(b, s + i, n);
        i += n;
    }
    return rc;
}

int sw_buf_add_json(struct sw_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run;
    int rc = sw_buf_add(b, "\"", 1);

    /* Runs of characters that need no escape go in one append. */
    for (run = s; s != NULL && rc == SW_OK; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (s > run)
            rc = sw_buf_add(b, run, (size_t)(s - run));
        if (c == '\0' || rc != SW_OK)
            break;
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            rc = sw_buf_add(b, esc, 2);
        } else {
            rc = sw_buf_add(b, esc, 6);
        }
        run = s + 1;
    }
    return rc == SW_OK ? sw_buf_add(b, "\"", 1) : rc;
}
