/* feed.c — the entry points: format names and detection, the choice of character encoding,
 * reading the input, and the safe streaming XML reader every XML parser goes through. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <sodium.h>
#include <unicode/ucsdet.h>

#include "seawall/buf.h"
#include "internal.h"

#define HEAD_MAX (64 * 1024)

static const char *const format_names[] = {
    [SW_FEED_AUTO] = "auto",       [SW_FEED_RSS] = "rss",         [SW_FEED_CMECF] = "cmecf",
    [SW_FEED_USPTO_TM] = "uspto-tm", [SW_FEED_USPTO_PATENT] = "uspto-patent",
    [SW_FEED_ST66] = "st66",       [SW_FEED_ST96] = "st96",       [SW_FEED_EUIPO] = "euipo",
    [SW_FEED_ICAL] = "ical",       [SW_FEED_JSON] = "json",       [SW_FEED_HTML] = "html",
};

const char *sw_feed_format_name(enum sw_feed_format f)
{
    return (size_t)f < SW_ARRAY_LEN(format_names) ? format_names[f] : "unknown";
}

int sw_feed_format_parse(const char *name, enum sw_feed_format *out)
{
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(format_names); i++) {
        if (strcmp(format_names[i], name) == 0) {
            *out = (enum sw_feed_format)i;
            return SW_OK;
        }
    }
    return SW_INVALID;
}

/* Refuses every external entity, DTD and XInclude: nothing is ever read from outside. */
static xmlParserInputPtr refuse_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_loader);
    if (sodium_init() < 0)
        abort();
}

void sw_feed_xml_init(void)
{
    pthread_once(&xml_once, xml_init);
}

/* Skips a BOM, white space, the XML declaration, comments, processing instructions and the
 * DOCTYPE, and returns the first start tag's name (with prefix) in name. */
static int first_tag(const char *s, size_t n, char *name, size_t namelen, const char **tag)
{
    size_t i = 0, j;

    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        i = 3;
    while (i < n) {
        if (s[i] != '<') {
            i++;
            continue;
        }
        if (i + 1 < n && (s[i + 1] == '?' || s[i + 1] == '!')) {
            const char *end = NULL;

            if (i + 3 < n && strncmp(s + i, "<!--", 4) == 0)
                end = memmem(s + i, n - i, "-->", 3);
            else if (i + 9 < n && strncmp(s + i, "<!DOCTYPE", 9) == 0) {
                /* An internal subset ends at "]>", a plain DOCTYPE at ">". */
                const char *open = memchr(s + i, '[', n - i), *gt = memchr(s + i, '>', n - i);

                end = open != NULL && (gt == NULL || open < gt) ? memmem(s + i, n - i, "]>", 2)
                                                                 : gt;
            } else
                end = memchr(s + i, '>', n - i);
            if (end == NULL)
                return SW_INVALID;
            i = (size_t)(end - s) + 1;
            continue;
        }
        for (j = 0, i++; i < n && j + 1 < namelen; i++) {
            char c = s[i];

            if (c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r')
                break;
            name[j++] = c;
        }
        name[j] = '\0';
        *tag = s + i;
        return j > 0 ? SW_OK : SW_INVALID;
    }
    return SW_INVALID;
}

static const char *local_of(const char *qname)
{
    const char *colon = strchr(qname, ':');

    return colon ? colon + 1 : qname;
}

enum sw_feed_format sw_feed_detect(const char *head, size_t len)
{
    char name[128];
    const char *tag, *local;
    size_t i = 0;

    if (len >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB &&
        (unsigned char)head[2] == 0xBF)
        i = 3;
    while (i < len && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
        i++;
    if (i < len && head[i] == '{')
        return SW_FEED_JSON;
    if (len - i >= 15 && strncasecmp(head + i, "BEGIN:VCALENDAR", 15) == 0)
        return SW_FEED_ICAL;
    if (first_tag(head, len, name, sizeof(name), &tag) != SW_OK) {
        /* No root element in sight: a DOCTYPE may still say what the document is. */
        const char *dt = memmem(head, len, "<!DOCTYPE trademark-applications-daily", 38);

        return dt != NULL ? SW_FEED_USPTO_TM : SW_FEED_AUTO;
    }
    local = local_of(name);
    if (strcmp(local, "rss") == 0) {
        /* CM/ECF feeds name a court and their channel is "… - Recent Entries". */
        if (memmem(head, len, "uscourts.gov", 12) != NULL &&
            memmem(head, len, "Recent Entries", 14) != NULL)
            return SW_FEED_CMECF;
        return SW_FEED_RSS;
    }
    if (strcmp(local, "RDF") == 0 || strcmp(local, "feed") == 0 || strcmp(local, "channel") == 0)
        return SW_FEED_RSS;
    /* A lone Atom entry (RFC 4287 5.1 allows it as a document): a feed of one, with a
     * warning (rss.c). */
    if (strcmp(local, "entry") == 0 && memmem(head, len, "http://www.w3.org/2005/Atom", 27))
        return SW_FEED_RSS;
    if (strcmp(local, "trademark-applications-daily") == 0 || strcmp(local, "case-file") == 0)
        return SW_FEED_USPTO_TM;
    if (strcmp(local, "us-patent-grant") == 0 || strcmp(local, "us-patent-application") == 0)
        return SW_FEED_USPTO_PATENT;
    if (strcmp(local, "TrademarkTransaction") == 0 || strcmp(local, "Trademark") == 0)
        return SW_FEED_ST96;
    if (strcmp(local, "Transaction") == 0 || strcmp(local, "TradeMark") == 0) {
        if (memmem(head, len, "euipo.europa.eu", 15) != NULL)
            return SW_FEED_EUIPO;
        if (memmem(head, len, "XMLSchema/ST96", 14) != NULL)
            return SW_FEED_ST96;
        return SW_FEED_ST66;
    }
    return SW_FEED_AUTO;
}

/* 1 when s is shaped like UTF-8: lead bytes followed by as many continuation bytes; a
 * sequence cut by the end of the head counts when allow_cut is set (the head is only the start
 * of the document). Only the shape, on purpose, not sw_utf8_valid: a document that is UTF-8
 * but for an overlong form or a surrogate is read as UTF-8, so that libxml2 reports the bad
 * bytes ("not proper UTF-8"), instead of a guessed encoding turning them into other letters. */
static int valid_utf8(const unsigned char *s, size_t n, int allow_cut)
{
    size_t i = 0, k, need;

    while (i < n) {
        unsigned char c = s[i];

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3;
        else
            return 0;
        for (k = 1; k <= need; k++) {
            if (i + k >= n)
                return allow_cut;
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        }
        i += need + 1;
    }
    return 1;
}

/* The encoding to impose on the parser, or NULL to let libxml2 read the BOM or declaration
 * (or assume UTF-8). Order: BOM, XML declaration, the caller's charset, sniffing. */
static const char *choose_encoding(struct sw_fctx *c, const char *head, size_t n, char *buf,
                                   size_t buflen)
{
    const unsigned char *u = (const unsigned char *)head;

    if (n >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE)))
        return NULL;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return NULL;
    if (n >= 2 && ((u[0] == 0 && u[1] == '<') || (u[0] == '<' && u[1] == 0)))
        return NULL;   /* UTF-16 without BOM: libxml2 recognises it */
    if (n >= 5 && strncmp(head, "<?xml", 5) == 0) {
        const char *end = memmem(head, n, "?>", 2);
        const char *enc = end ? memmem(head, (size_t)(end - head), "encoding", 8) : NULL;

        if (enc != NULL) {
            /* Documents that say ISO-8859-1 or ASCII are, in practice, windows-1252: its
             * curly quotes and dashes sit where Latin-1 has invisible C1 controls (as the
             * WHATWG Encoding Standard reads them too). */
            static const char *const latin1[] = { "iso-8859-1", "iso8859-1", "latin1",
                                                  "us-ascii", "ascii", NULL };
            const char *const *l;
            const char *q = enc + 8;

            while (q < end && (*q == ' ' || *q == '=' || *q == '"' || *q == '\''))
                q++;
            for (l = latin1; *l != NULL; l++) {
                size_t ln = strlen(*l);

                if ((size_t)(end - q) > ln && strncasecmp(q, *l, ln) == 0 &&
                    (q[ln] == '"' || q[ln] == '\'')) {
                    sw_strlcpy(buf, "windows-1252", buflen);
                    return buf;
                }
            }
            return NULL;
        }
    }
    if (c->o->charset != NULL && c->o->charset[0] != '\0') {
        xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(c->o->charset);

        if (h != NULL) {
            xmlCharEncCloseFunc(h);
            sw_strlcpy(buf, c->o->charset, buflen);
            return buf;
        }
        sw_feed_warn(c, "unknown charset \"%.40s\" from the caller; guessing instead",
                     c->o->charset);
    }
    return sw_feed_sniff_charset(head, n, buf, buflen);
}

const char *sw_feed_sniff_charset(const char *head, size_t n, char *buf, size_t buflen)
{
    UCharsetDetector *det;
    const UCharsetMatch *m;
    UErrorCode st = U_ZERO_ERROR;
    const char *name = NULL;

    if (valid_utf8((const unsigned char *)head, n, 1))
        return NULL;
    det = ucsdet_open(&st);
    if (U_SUCCESS(st)) {
        ucsdet_setText(det, head, (int32_t)(n > HEAD_MAX ? HEAD_MAX : n), &st);
        m = ucsdet_detect(det, &st);
        if (U_SUCCESS(st) && m != NULL) {
            name = ucsdet_getName(m, &st);
            if (U_SUCCESS(st) && name != NULL && strncasecmp(name, "UTF", 3) != 0)
                sw_strlcpy(buf, name, buflen);
            else
                name = NULL;
        }
        ucsdet_close(det);
    }
    if (name == NULL)
        sw_strlcpy(buf, "windows-1252", buflen);
    return buf;
}

static void reader_error(void *arg, xmlErrorPtr e)
{
    struct sw_fctx *c = arg;

    if (e == NULL || e->level < XML_ERR_ERROR || c->res->err[0] != '\0')
        return;
    snprintf(c->res->err, sizeof(c->res->err), "XML error at line %d: %s", e->line,
             e->message ? e->message : "?");
    /* libxml2's messages end in a newline. */
    c->res->err[strcspn(c->res->err, "\n")] = '\0';
}

/* Takes up to len bytes from the input's reader; after its end (read becomes NULL) or a
 * failure (failed) the reader is not called again. */
static long pull(struct sw_feed_input *in, char *buf, size_t len)
{
    long n;

    if (in->read == NULL)
        return in->failed ? -1 : 0;
    n = in->read(in->rctx, buf, len);
    if (n <= 0) {
        in->read = NULL;
        in->failed = n < 0;
    }
    return n < 0 ? -1 : n;
}

long sw_feed_input_read(struct sw_feed_input *in, char *buf, size_t len)
{
    if (in->pos < in->len) {
        size_t take = in->len - in->pos < len ? in->len - in->pos : len;

        memcpy(buf, in->buf + in->pos, take);
        in->pos += take;
        return (long)take;
    }
    return pull(in, buf, len);
}

static int io_read(void *ctx, char *buf, int len)
{
    return (int)sw_feed_input_read(ctx, buf, (size_t)len);
}


/* 1 when '<', '&' and ASCII letters are single bytes in the document's encoding, as the
 * lenient filter needs: not UTF-16 or UTF-32 (by BOM, shape or the encoding imposed). */
static int ascii_compatible(const char *head, size_t n, const char *enc)
{
    const unsigned char *u = (const unsigned char *)head;

    if (n >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE)))
        return 0;
    if (n >= 2 && (u[0] == 0 || u[1] == 0))
        return 0;
    return enc == NULL || (strncasecmp(enc, "UTF-16", 6) != 0 &&
                           strncasecmp(enc, "UTF-32", 6) != 0 &&
                           strncasecmp(enc, "UCS", 3) != 0);
}

static int io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static int in_list(const char *name, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

int sw_xml_records(struct sw_fctx *c, struct sw_feed_input *in, const char *const *records,
                   sw_record_fn fn, sw_element_fn on_element)
{
    int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_NOWARNING |
               XML_PARSE_NOERROR;
    char encbuf[64], *owned = NULL;
    const char *enc;
    struct sw_lenient *lz = NULL;
    xmlTextReaderPtr r;
    int ret, rc = SW_OK;

    if (sw_lenient_prolog(c, in, &owned) != SW_OK) {
        snprintf(c->res->err, sizeof(c->res->err), "out of memory");
        return SW_ERR;
    }
    enc = choose_encoding(c, in->buf, in->len, encbuf, sizeof(encbuf));
    if (ascii_compatible(in->buf, in->len, enc) && (lz = sw_lenient_new(c, in)) == NULL) {
        free(owned);
        snprintf(c->res->err, sizeof(c->res->err), "out of memory");
        return SW_ERR;
    }
    r = lz != NULL ? xmlReaderForIO(sw_lenient_read, io_close, lz, NULL, enc, opts)
                   : xmlReaderForIO(io_read, io_close, in, NULL, enc, opts);
    if (r == NULL) {
        snprintf(c->res->err, sizeof(c->res->err), "the XML reader could not start%s%s",
                 enc ? " with encoding " : "", enc ? enc : "");
        sw_lenient_free(lz);
        free(owned);
        return SW_INVALID;
    }
    xmlTextReaderSetStructuredErrorHandler(r, reader_error, c);
    ret = xmlTextReaderRead(r);
    while (ret == 1 && !c->stop) {
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT) {
            const char *local = (const char *)xmlTextReaderConstLocalName(r);
            int depth = xmlTextReaderDepth(r);

            if (depth > c->o->max_depth) {
                snprintf(c->res->err, sizeof(c->res->err),
                         "elements nested deeper than %d levels", c->o->max_depth);
                ret = -1;
                break;
            }
            if (local != NULL && in_list(local, records)) {
                xmlNodePtr node = xmlTextReaderExpand(r);

                if (node == NULL) {
                    ret = -1;
                    break;
                }
                c->res->records++;
                fn(c, node);
                ret = xmlTextReaderNext(r);
                continue;
            }
            if (local != NULL && on_element != NULL)
                on_element(c, r, local, depth);
        }
        ret = xmlTextReaderRead(r);
    }
    if (ret < 0) {
        if (c->res->err[0] == '\0')
            snprintf(c->res->err, sizeof(c->res->err), "the document is not well-formed XML");
        c->res->partial = c->res->events > 0;
        rc = SW_INVALID;
    }
    if (c->stop == 2)
        rc = SW_TOOBIG;
    xmlFreeTextReader(r);
    sw_lenient_free(lz);
    free(owned);
    return rc;
}

/* Reads the rest of the input after the head into one buffer of at most max bytes. */
static int read_all(struct sw_feed_input *in, struct sw_buf *b, size_t max, char *err,
                    size_t errlen)
{
    char chunk[65536];
    long n;

    for (;;) {
        n = pull(in, chunk, sizeof(chunk));
        if (n == 0)
            return SW_OK;
        if (n < 0) {
            snprintf(err, errlen, "the document could not be read to its end");
            return SW_ERR;
        }
        if (sw_buf_add(b, chunk, (size_t)n) != SW_OK) {
            snprintf(err, errlen, "the document is larger than %zu bytes", max);
            return SW_TOOBIG;
        }
    }
}

static int dispatch(struct sw_fctx *c, enum sw_feed_format f, struct sw_feed_input *in)
{
    struct sw_buf whole;
    int rc;

    switch (f) {
    case SW_FEED_RSS: return sw_feed_rss(c, in);
    case SW_FEED_CMECF: return sw_feed_cmecf(c, in);
    case SW_FEED_USPTO_TM: return sw_feed_uspto_tm(c, in);
    case SW_FEED_USPTO_PATENT: return sw_feed_uspto_patent(c, in);
    case SW_FEED_ST66:
    case SW_FEED_ST96:
    case SW_FEED_EUIPO: return sw_feed_tmxml(c, in);
    default: break;
    }
    /* The rest need the whole document. */
    if (in->read == NULL) {
        if (in->len > c->o->max_bytes) {
            snprintf(c->res->err, sizeof(c->res->err), "the document is larger than %zu bytes",
                     c->o->max_bytes);
            return SW_TOOBIG;
        }
        whole.p = (char *)in->buf;
        whole.len = in->len;
    } else {
        sw_buf_init(&whole, c->o->max_bytes);
        if (sw_buf_add(&whole, in->buf, in->len) != SW_OK) {
            snprintf(c->res->err, sizeof(c->res->err), "the document is larger than %zu bytes",
                     c->o->max_bytes);
            return SW_TOOBIG;
        }
        rc = read_all(in, &whole, c->o->max_bytes, c->res->err, sizeof(c->res->err));
        if (rc != SW_OK) {
            sw_buf_free(&whole);
            return rc;
        }
    }
    switch (f) {
    case SW_FEED_ICAL: rc = sw_feed_ical(c, whole.p ? whole.p : "", whole.len); break;
    case SW_FEED_JSON: rc = sw_feed_jsonfeed(c, whole.p ? whole.p : "", whole.len); break;
    case SW_FEED_HTML: rc = sw_feed_html(c, whole.p ? whole.p : "", whole.len); break;
    default:
        snprintf(c->res->err, sizeof(c->res->err), "no parser for format %d", (int)f);
        rc = SW_INVALID;
    }
    if (whole.p != in->buf)
        sw_buf_free(&whole);
    return rc;
}

static int parse(struct sw_feed_input *in, const struct sw_feed_opts *o, sw_feed_emit_fn emit,
                 void *ud, struct sw_feed_result *res)
{
    struct sw_feed_opts opts = *o;
    struct sw_fctx c;
    enum sw_feed_format f = o->format;
    int rc;

    sw_feed_xml_init();
    memset(res, 0, sizeof(*res));
    if (opts.max_events == 0)
        opts.max_events = 1000000;
    if (opts.max_bytes == 0)
        opts.max_bytes = 256u << 20;
    if (opts.max_record == 0)
        opts.max_record = 16u << 20;
    if (opts.max_depth <= 0)
        opts.max_depth = 256;
    if (opts.max_expand_ms <= 0)
        opts.max_expand_ms = 2000;
    if (opts.item_type == NULL)
        opts.item_type = "news";
    if (f == SW_FEED_AUTO)
        f = sw_feed_detect(in->buf, in->len);
    res->format = f;
    if (f == SW_FEED_AUTO) {
        snprintf(res->err, sizeof(res->err), in->len == 0 ? "the document is empty"
                 : "unrecognised document: not RSS, Atom, CM/ECF, USPTO, WIPO, EUIPO, "
                   "iCalendar or Seawall JSON (a web page is read only as format html, with "
                   "its expressions)");
        return SW_INVALID;
    }
    memset(&c, 0, sizeof(c));
    c.o = &opts;
    c.emit = emit;
    c.ud = ud;
    c.res = res;
    c.source = opts.source ? opts.source : sw_feed_format_name(f);
    rc = dispatch(&c, f, in);
    if (rc == SW_OK && res->events == 0 && res->records == 0 && res->err[0] != '\0')
        rc = SW_INVALID;
    /* The reason quotes the document (a date, an expression): cut inside a character or in
     * another encoding, it is escaped, so that it stays text wherever it is stored. */
    if (!sw_utf8_valid(res->err, strlen(res->err), NULL)) {
        char text[sizeof(res->err)];

        sw_utf8_escape(res->err, strlen(res->err), 0, text, sizeof(text));
        memcpy(res->err, text, sizeof(text));
    }
    return rc;
}

int sw_feed_parse_buffer(const char *buf, size_t len, const struct sw_feed_opts *o,
                         sw_feed_emit_fn emit, void *ud, struct sw_feed_result *res)
{
    struct sw_feed_input in = { .buf = buf, .len = len, .read = NULL, .rctx = NULL, .pos = 0 };

    return parse(&in, o, emit, ud, res);
}

int sw_feed_parse_reader(sw_feed_read_fn rd, void *ctx, const struct sw_feed_opts *o,
                         sw_feed_emit_fn emit, void *ud, struct sw_feed_result *res)
{
    char *head = malloc(HEAD_MAX);
    struct sw_feed_input in = { .buf = head, .len = 0, .read = rd, .rctx = ctx, .pos = 0 };
    long n;
    int rc;

    if (head == NULL)
        return SW_ERR;
    /* The head decides the format and the encoding; the rest streams. */
    while (in.len < HEAD_MAX && in.read != NULL) {
        n = pull(&in, head + in.len, HEAD_MAX - in.len);
        if (n < 0) {
            memset(res, 0, sizeof(*res));
            snprintf(res->err, sizeof(res->err), "the document could not be read");
            free(head);
            return SW_ERR;
        }
        in.len += (size_t)n;
    }
    rc = parse(&in, o, emit, ud, res);
    free(head);
    return rc;
}

struct fd_src {
    int fd;
    int err;   /* errno of a failed read() */
};

static long fd_read(void *ctx, char *buf, size_t len)
{
    struct fd_src *src = ctx;
    ssize_t n;

    do
        n = read(src->fd, buf, len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        src->err = errno;
    return n < 0 ? -1 : (long)n;
}

int sw_feed_parse_fd(int fd, const struct sw_feed_opts *o, sw_feed_emit_fn emit, void *ud,
                     struct sw_feed_result *res)
{
    struct fd_src src = { fd, 0 };
    int rc = sw_feed_parse_reader(fd_read, &src, o, emit, ud, res);

    if (src.err != 0)
        snprintf(res->err, sizeof(res->err), "read() failed (%s)", strerror(src.err));
    return rc;
}
