/* buf.h — a growable byte buffer with a mandatory ceiling (after curl's dynbuf). */
#ifndef SEAWALL_BUF_H
#define SEAWALL_BUF_H

#include <stdarg.h>
#include "seawall/common.h"

struct sw_buf {
    char  *p;     /* NUL-terminated contents, or NULL while empty */
    size_t len;   /* bytes used, not counting the NUL */
    size_t cap;   /* bytes allocated */
    size_t max;   /* ceiling on len; appends past it fail with SW_TOOBIG */
};

/* Prepares an empty buffer that may hold at most max bytes. Allocates nothing. */
void sw_buf_init(struct sw_buf *b, size_t max);

/* Appends n bytes. Returns SW_OK, SW_TOOBIG (buffer unchanged) or SW_ERR (no memory). */
int sw_buf_add(struct sw_buf *b, const void *data, size_t n);
int sw_buf_adds(struct sw_buf *b, const char *s);
int sw_buf_printf(struct sw_buf *b, const char *fmt, ...) SW_PRINTF(2, 3);
int sw_buf_vprintf(struct sw_buf *b, const char *fmt, va_list ap) SW_PRINTF(2, 0);

/* Appends s with <, >, &, " and ' written as HTML character references. */
int sw_buf_add_html(struct sw_buf *b, const char *s);

/* Appends s as XML 1.0 character data or attribute value: <, >, &, " and ' as references,
 * and what XML cannot carry at all (control characters other than tab, newline and carriage
 * return, U+FFFE, U+FFFF, bytes that are not UTF-8) as U+FFFD. */
int sw_buf_add_xml(struct sw_buf *b, const char *s);

/* Appends s (UTF-8) as a JSON string, quoted, with ", \\ and control characters escaped. */
int sw_buf_add_json(struct sw_buf *b, const char *s);

/* Empties the buffer but keeps its memory. */
void sw_buf_reset(struct sw_buf *b);

/* Releases the memory; the buffer may be used again after sw_buf_init. */
void sw_buf_free(struct sw_buf *b);

/* Hands the contents to the caller (who frees them) and leaves the buffer empty.
 * Returns an empty allocated string when nothing was added, NULL on no memory. */
char *sw_buf_take(struct sw_buf *b);

#endif
