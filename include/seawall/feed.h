/* feed.h — feed documents into events (DESIGN.md "Events"). Parsers are pure: they read a
 * buffer or a file descriptor and hand each event to a callback; no network, no Redis.
 *
 * XML is read with libxml2's streaming reader, one record subtree at a time, so memory stays
 * bounded however large the file (USPTO daily files are hundreds of MB). Safety: never
 * XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE; XML_PARSE_NONET; an external-entity
 * loader that refuses everything; caps on events, string lengths and nesting depth. */
#ifndef SEAWALL_FEED_H
#define SEAWALL_FEED_H

#include <jansson.h>
#include "seawall/common.h"
#include "seawall/json.h"

enum sw_feed_format {
    SW_FEED_AUTO = 0,
    SW_FEED_RSS,          /* RSS 0.9x, 1.0 (RDF), 2.0; Atom 0.3 and 1.0 */
    SW_FEED_CMECF,        /* US federal courts' CM/ECF "Recent Entries" RSS */
    SW_FEED_USPTO_TM,     /* USPTO trademark daily/annual XML (case-file records) */
    SW_FEED_USPTO_PATENT, /* USPTO patent grant/application full text, DTD v4.x */
    SW_FEED_ST66,         /* WIPO ST.66 trademark XML */
    SW_FEED_ST96,         /* WIPO ST.96 trademark XML (both namespace generations) */
    SW_FEED_EUIPO,        /* EUIPO trademark XML */
    SW_FEED_ICAL,         /* iCalendar (trade-show calendars) */
    SW_FEED_JSON,         /* Seawall's own JSON feed format (docs/feeds.md) */
    SW_FEED_HTML,         /* a web page listing notices, read with the source's XPath
                             expressions (opts.html); never recognised by itself */
};

/* What the lenient XML reader repaired in a document real feed readers accept but XML does
 * not (docs/feeds.md "Leniency"). Each repair is counted and reported as a warning. */
enum sw_feed_repair {
    SW_REPAIR_PROLOG = 0,   /* white space or comments before the XML declaration */
    SW_REPAIR_HTML_ENTITY,  /* an HTML named entity the document never declares (&nbsp;) */
    SW_REPAIR_BARE_AMP,     /* an '&' that starts no reference, read as a literal '&' */
    SW_REPAIR_CHAR_REF,     /* &#X41; (upper-case X) or a reference to a character XML
                               forbids (&#0;, &#xD800;, &#8;), read as in HTML */
    SW_REPAIR_ENTRY_ROOT,   /* the document is a single Atom <entry>: a feed of one */
    SW_REPAIR_COUNT
};

struct sw_feed_opts {
    enum sw_feed_format format;  /* SW_FEED_AUTO: recognised from the document */
    const char *charset;         /* charset from HTTP Content-Type, or NULL */
    const char *source;          /* feed id for the events' "source"; NULL: the format name */
    const char *item_type;       /* what generic RSS items are: "news" (default), "bulletin",
                                    "litigation", "customs_seizure", … */
    size_t max_events;           /* 0: 1,000,000 */
    size_t max_bytes;            /* largest document read whole (non-streamed formats);
                                    0: 256 MiB */
    size_t max_record;           /* largest record subtree (bytes of text); 0: 16 MiB */
    int max_depth;               /* deepest element nesting; 0: 256 */
    int max_expand_ms;           /* time one document may spend judging and expanding repeat
                                    rules (iCalendar RRULE), one rule at most a quarter of it;
                                    over it the document fails; 0: 2000 */
    const json_t *html;          /* SW_FEED_HTML: the source's expressions, the "html" member
                                    of its registration (docs/feeds.md "HTML sources");
                                    borrowed for the call */
    const char *base_url;        /* the document's own URL (after redirects): relative links
                                    of HTML sources resolve against it; NULL: kept as written */
};

struct sw_feed_result {
    enum sw_feed_format format;  /* the format used (as detected) */
    size_t events;               /* events handed to the callback */
    size_t records;              /* records seen, including ones that gave no event */
    size_t warnings;             /* recoverable problems (unreadable dates, skipped records),
                                    repairs included */
    size_t repairs[SW_REPAIR_COUNT];   /* what the lenient reader repaired, by kind */
    int partial;                 /* 1 when the document broke off after some events */
    char err[512];               /* one-line reason when the call failed or was partial;
                                    else the first warning that is not a repair, or "" */
};

/* Receives one event; takes ownership of ev. Return 0 to go on, non-zero to stop. */
typedef int (*sw_feed_emit_fn)(void *ud, json_t *ev);

/* Parses len bytes. Returns SW_OK (all read; res->partial 0), SW_INVALID (nothing usable,
 * or a partial result: res->partial says which, res->err why), SW_TOOBIG (a cap was hit). */
int sw_feed_parse_buffer(const char *buf, size_t len, const struct sw_feed_opts *o,
                         sw_feed_emit_fn emit, void *ud, struct sw_feed_result *res);

/* Same, reading from fd until end of file; streamed formats never hold the whole document. */
int sw_feed_parse_fd(int fd, const struct sw_feed_opts *o, sw_feed_emit_fn emit, void *ud,
                     struct sw_feed_result *res);

/* Pulls at most len bytes of a document into buf. Returns how many, 0 at its end, or -1 when
 * the document cannot be read further (the reader keeps why; res->err then says only that
 * reading failed, and the caller puts the reader's reason there). */
typedef long (*sw_feed_read_fn)(void *ctx, char *buf, size_t len);

/* Same, pulling the document through rd until it returns 0 or -1 (an archive entry, a pipe).
 * rd is never called again after it returned 0 or -1. */
int sw_feed_parse_reader(sw_feed_read_fn rd, void *ctx, const struct sw_feed_opts *o,
                         sw_feed_emit_fn emit, void *ud, struct sw_feed_result *res);

/* Names as used by --format and in "source": rss, cmecf, uspto-tm, uspto-patent, st66, st96,
 * euipo, ical, json, html, auto. */
const char *sw_feed_format_name(enum sw_feed_format f);
int sw_feed_format_parse(const char *name, enum sw_feed_format *out);

/* Recognises the format from the first bytes of a document; SW_FEED_AUTO if unknown. */
enum sw_feed_format sw_feed_detect(const char *head, size_t len);

/* The short name of a repair ("prolog", "html-entity", "bare-amp", "char-ref", "entry-root")
 * and a sentence saying what was repaired. Static strings. */
const char *sw_feed_repair_name(enum sw_feed_repair r);
const char *sw_feed_repair_text(enum sw_feed_repair r);

/* The warnings of a parse as a JSON array for a feed's status: one object per repair kind
 * that happened, {"code": name, "count": n, "message": text}, then the other warnings as
 * {"code": "other", "count": n, "message": the first}. Empty array when there were none.
 * Caller decrefs. */
json_t *sw_feed_warnings_json(const struct sw_feed_result *res);

/* Checks an HTML source's expressions (the "html" member of a feed's registration, whose
 * member types the registry has checked): each XPath compiles and evaluates to what it must
 * (the item expression to elements), and date_format is a named format or a pattern with
 * %Y, %m (or %b) and %d. Adds problems to errs under pointer ("/html/item" …). */
void sw_feed_html_check(const json_t *html, const char *pointer, struct sw_verrs *errs);

#endif
