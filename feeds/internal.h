/* internal.h — what the feed parsers share: the parse context, event building, XML helpers
 * and the record-streaming loop. Private to feeds/. */
#ifndef SEAWALL_FEEDS_INTERNAL_H
#define SEAWALL_FEEDS_INTERNAL_H

#include <jansson.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "seawall/feed.h"

#define SW_FEED_TEXT_MAX  4096    /* "text" and "goods" of one event, bytes */
#define SW_FEED_FIELD_MAX 1024    /* any other string field, bytes */

struct sw_fctx {
    const struct sw_feed_opts *o;
    sw_feed_emit_fn emit;
    void *ud;
    struct sw_feed_result *res;
    const char *source;
    int stop;                    /* the callback asked to stop, or a cap was hit */
    char scope[512];             /* what makes item keys unique: channel link, action key … */
    char court[64];              /* CM/ECF: the court from the channel link */
};

/* Initialises libxml2 once per process (and its external-entity loader that refuses
 * everything); every entry point that uses libxml2 calls it first. */
void sw_feed_xml_init(void);

/* --- events --- */
json_t *sw_ev_new(struct sw_fctx *c, const char *type);
/* Sets field to text with white space folded and control characters dropped, cut at max
 * bytes on a UTF-8 boundary. Empty text sets nothing. */
void sw_ev_str(json_t *ev, const char *field, const char *text, size_t max);
/* Normalises raw into "date"; an unreadable date is kept as "date_raw" with a warning. */
void sw_ev_date(struct sw_fctx *c, json_t *ev, const char *raw);
/* Normalises raw into field ("filed", "published" …); an unreadable date is left out with a
 * warning naming the field. NULL or empty raw sets nothing. */
void sw_ev_date_as(struct sw_fctx *c, json_t *ev, const char *field, const char *raw);
void sw_ev_party(json_t *ev, const char *name, const char *role, const char *country,
                 const char *identifier);
void sw_ev_number(json_t *ev, const char *kind, const char *value);
void sw_ev_number_add(json_t *ev, const char *kind, const char *value);  /* array member */
void sw_ev_class_int(json_t *ev, const char *scheme, long v);
void sw_ev_class_str(json_t *ev, const char *scheme, const char *v);
void sw_ev_mark(json_t *ev, const char *text);
/* Gives the event its stable id (hash of kind and key) and hands it on. Returns 1 to stop. */
int sw_ev_emit(struct sw_fctx *c, json_t *ev, const char *kind, const char *key);
void sw_feed_warn(struct sw_fctx *c, const char *fmt, ...) SW_PRINTF(2, 3);
/* Counts one repair of the lenient reader (a warning too; res->err is left alone). */
void sw_feed_repaired(struct sw_fctx *c, enum sw_feed_repair r);

/* Strips HTML tags and decodes entities into plain text (allocated; caller frees). */
char *sw_html_to_text(const char *html, size_t max);

/* --- XML helpers (element children by local name, namespace ignored) --- */
xmlNodePtr sw_x_child(xmlNodePtr n, const char *local);
xmlNodePtr sw_x_next(xmlNodePtr n, const char *local);
xmlNodePtr sw_x_path(xmlNodePtr n, const char *path);       /* "a/b/c" */
xmlNodePtr sw_x_find(xmlNodePtr n, const char *local);      /* first descendant */
int sw_x_is(xmlNodePtr n, const char *local);
const char *sw_x_nsuri(xmlNodePtr n);
/* Text of n's subtree (text and CDATA; an internal entity's replacement text once, never
 * expanded recursively), trimmed, at most max bytes. Allocated; NULL when n is NULL. */
char *sw_x_text(xmlNodePtr n, size_t max);
char *sw_x_path_text(xmlNodePtr n, const char *path, size_t max);
char *sw_x_attr(xmlNodePtr n, const char *name);

/* --- streaming --- */
typedef int (*sw_record_fn)(struct sw_fctx *c, xmlNodePtr rec);
typedef void (*sw_element_fn)(struct sw_fctx *c, xmlTextReaderPtr r, const char *local,
                              int depth);

/* The input: a buffer, or a head already read plus a reader for the rest. */
struct sw_feed_input {
    const char *buf;
    size_t len;
    sw_feed_read_fn read;   /* NULL for a buffer */
    void *rctx;             /* read's context */
    size_t pos;             /* how much of buf the reader has consumed */
    int failed;             /* read returned -1: it is not called again */
};

/* The encoding of a document that does not say: NULL when its bytes have the shape of UTF-8
 * (a sequence cut at the end of head counts), else ICU's guess, else windows-1252, in buf. */
const char *sw_feed_sniff_charset(const char *head, size_t n, char *buf, size_t buflen);

/* Reads up to len bytes of the input: the rest of its head, then its reader. Returns bytes,
 * 0 at the end, -1 when reading failed. */
long sw_feed_input_read(struct sw_feed_input *in, char *buf, size_t len);

/* The lenient reader (lenient.c). sw_lenient_prolog moves an XML declaration that white
 * space or comments precede to the front of in's head: in->buf then points to an allocated
 * copy, *owned, which the caller frees after the parse (NULL when nothing moved). Returns
 * SW_OK or SW_ERR (no memory). sw_lenient_new makes the reading filter over in (NULL: no
 * memory); sw_lenient_read is its xmlInputReadCallback; sw_lenient_free accepts NULL. */
struct sw_lenient;
int sw_lenient_prolog(struct sw_fctx *c, struct sw_feed_input *in, char **owned);
struct sw_lenient *sw_lenient_new(struct sw_fctx *c, struct sw_feed_input *in);
int sw_lenient_read(void *ctx, char *buf, int len);
void sw_lenient_free(struct sw_lenient *lz);

/* Reads the XML input record by record: each element whose local name is in records is
 * expanded alone and given to fn, then freed; other elements go to on_element (may be NULL).
 * Applies the safety options and caps. Returns SW_OK, SW_INVALID (res->err set, res->partial
 * when records were read before the failure) or SW_TOOBIG. */
int sw_xml_records(struct sw_fctx *c, struct sw_feed_input *in, const char *const *records,
                   sw_record_fn fn, sw_element_fn on_element);

/* Parsers. */
int sw_feed_rss(struct sw_fctx *c, struct sw_feed_input *in);
int sw_feed_cmecf(struct sw_fctx *c, struct sw_feed_input *in);
int sw_feed_uspto_tm(struct sw_fctx *c, struct sw_feed_input *in);
int sw_feed_uspto_patent(struct sw_fctx *c, struct sw_feed_input *in);
int sw_feed_tmxml(struct sw_fctx *c, struct sw_feed_input *in);   /* ST.66, ST.96, EUIPO */
int sw_feed_ical(struct sw_fctx *c, const char *buf, size_t len);
int sw_feed_jsonfeed(struct sw_fctx *c, const char *buf, size_t len);
int sw_feed_html(struct sw_fctx *c, const char *buf, size_t len);

#endif
