/* uspto_patent.c — USPTO patent grant and application full text (DTD v4.x) into patent_grant
 * and patent_publication events. Weekly files are many XML documents, each with its own
 * declaration and DOCTYPE, one after another: they are split and read one by one. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const records[] = { "us-patent-grant", "us-patent-application", NULL };

/* A person or organisation from an <addressbook>: orgname, else "first last". */
static char *addressbook_name(xmlNodePtr ab)
{
    char *org = sw_x_path_text(ab, "orgname", SW_FEED_FIELD_MAX), *first, *last, *out;
    size_t n;

    if (org != NULL && org[0] != '\0')
        return org;
    free(org);
    first = sw_x_path_text(ab, "first-name", 256);
    last = sw_x_path_text(ab, "last-name", 256);
    n = (first ? strlen(first) : 0) + (last ? strlen(last) : 0) + 2;
    out = malloc(n);
    if (out != NULL)
        snprintf(out, n, "%s%s%s", first ? first : "", first && last ? " " : "",
                 last ? last : "");
    free(first);
    free(last);
    return out;
}

static void parties_of(json_t *ev, xmlNodePtr list, const char *item, const char *role)
{
    xmlNodePtr p;

    for (p = sw_x_child(list, item); p != NULL; p = sw_x_next(p, item)) {
        xmlNodePtr ab = sw_x_child(p, "addressbook");
        char *name = addressbook_name(ab);
        char *country = sw_x_path_text(ab, "address/country", 8);

        if (country == NULL || country[0] == '\0') {
            free(country);
            country = sw_x_path_text(p, "residence/country", 8);
        }
        sw_ev_party(ev, name, role, country, NULL);
        free(name);
        free(country);
    }
}

/* "G06F 15/16" from an IPCR or CPC entry's parts. */
static void classification(json_t *ev, xmlNodePtr c, const char *scheme)
{
    char *sec = sw_x_path_text(c, "section", 4), *cls = sw_x_path_text(c, "class", 4);
    char *sub = sw_x_path_text(c, "subclass", 4), *grp = sw_x_path_text(c, "main-group", 8);
    char *sg = sw_x_path_text(c, "subgroup", 8), out[64];

    if (sec && cls && sub && grp && sg) {
        snprintf(out, sizeof(out), "%s%s%s %s/%s", sec, cls, sub, grp, sg);
        sw_ev_class_str(ev, scheme, out);
    }
    free(sec);
    free(cls);
    free(sub);
    free(grp);
    free(sg);
}

/* Written IPC symbols of DTD v4.0 ("7G06F 15/16", "G06F015/00") in the form the structured
 * entries give: "G06F 15/16". */
static int ipc_text(const char *in, char *out, size_t outlen)
{
    char sym[64];
    size_t n = 0;
    const char *p = in, *slash;
    long group;

    while (isdigit((unsigned char)*p))   /* the edition digit */
        p++;
    for (; *p != '\0' && n + 1 < sizeof(sym); p++)
        if (*p != ' ')
            sym[n++] = *p;
    sym[n] = '\0';
    if (n < 7 || !isalpha((unsigned char)sym[0]) || !isdigit((unsigned char)sym[1]) ||
        !isdigit((unsigned char)sym[2]) || !isalpha((unsigned char)sym[3]) ||
        (slash = strchr(sym, '/')) == NULL)
        return SW_INVALID;
    group = strtol(sym + 4, NULL, 10);
    snprintf(out, outlen, "%.4s %ld%s", sym, group, slash);
    return SW_OK;
}

static void classes(json_t *ev, xmlNodePtr bib)
{
    xmlNodePtr c, cpc;
    char *v, out[64];

    for (c = sw_x_child(sw_x_child(bib, "classifications-ipcr"), "classification-ipcr");
         c != NULL; c = sw_x_next(c, "classification-ipcr"))
        classification(ev, c, "ipc");
    /* DTD v4.0–v4.1: <classification-ipc><main-classification>7G06F 15/16</…> */
    c = sw_x_child(bib, "classification-ipc");
    if (c != NULL) {
        xmlNodePtr k;

        for (k = c->children; k != NULL; k = k->next) {
            if (!sw_x_is(k, "main-classification") && !sw_x_is(k, "further-classification"))
                continue;
            v = sw_x_text(k, 64);
            if (v != NULL && ipc_text(v, out, sizeof(out)) == SW_OK)
                sw_ev_class_str(ev, "ipc", out);
            free(v);
        }
    }
    cpc = sw_x_child(bib, "classifications-cpc");
    if (cpc != NULL) {
        for (c = sw_x_find(cpc, "classification-cpc"); c != NULL;
             c = sw_x_next(c, "classification-cpc"))
            classification(ev, c, "cpc");
        c = sw_x_child(cpc, "further-cpc");
        for (c = sw_x_child(c, "classification-cpc"); c != NULL;
             c = sw_x_next(c, "classification-cpc"))
            classification(ev, c, "cpc");
    }
    v = sw_x_path_text(bib, "classification-locarno/main-classification", 16);
    sw_ev_class_str(ev, "locarno", v);
    free(v);
}

/* "08930553" → "8930553", "D0651376" → "D651376"; publication numbers stay as they are. */
static void strip_zeros(const char *in, char *out, size_t outlen)
{
    size_t i = 0, o = 0;

    while (isalpha((unsigned char)in[i]) && o + 1 < outlen)
        out[o++] = in[i++];
    while (in[i] == '0' && in[i + 1] != '\0')
        i++;
    while (in[i] != '\0' && o + 1 < outlen)
        out[o++] = in[i++];
    out[o] = '\0';
}

static int record(struct sw_fctx *c, xmlNodePtr doc)
{
    int grant = sw_x_is(doc, "us-patent-grant");
    xmlNodePtr bib = sw_x_child(doc, grant ? "us-bibliographic-data-grant"
                                           : "us-bibliographic-data-application");
    xmlNodePtr pub = sw_x_path(bib, "publication-reference/document-id");
    char *country = sw_x_path_text(pub, "country", 8), *num = sw_x_path_text(pub, "doc-number", 32);
    char *kind = sw_x_path_text(pub, "kind", 8), *date = sw_x_path_text(pub, "date", 16);
    char *appl = sw_x_path_text(bib, "application-reference/document-id/doc-number", 32);
    char *title = sw_x_path_text(bib, "invention-title", SW_FEED_FIELD_MAX);
    char *abstract = sw_x_text(sw_x_child(doc, "abstract"), SW_FEED_TEXT_MAX);
    char number[64], label[96], text[SW_FEED_FIELD_MAX + 160], url[160], key[128];
    xmlNodePtr parties;
    json_t *ev;

    if (num == NULL || num[0] == '\0') {
        sw_feed_warn(c, "a patent document without a publication number was skipped");
        goto out;
    }
    if (country == NULL || country[0] == '\0') {
        free(country);
        country = strdup("US");
    }
    ev = sw_ev_new(c, grant ? "patent_grant" : "patent_publication");
    json_object_set_new(ev, "jurisdiction", json_string(country));
    strip_zeros(num, number, sizeof(number));
    snprintf(label, sizeof(label), "%s%s%s", country, number, kind ? kind : "");
    snprintf(text, sizeof(text), "%s %s %s: %s", grant ? "Patent" : "Application", label,
             grant ? "granted" : "published", title ? title : "(no title)");
    sw_ev_str(ev, "title", text, SW_FEED_FIELD_MAX);
    snprintf(url, sizeof(url), "https://patents.google.com/patent/%s", label);
    sw_ev_str(ev, "url", url, sizeof(url));
    sw_ev_date(c, ev, date);
    snprintf(text, sizeof(text), "%s%s", country, number);
    sw_ev_number(ev, "publication", text);
    sw_ev_number(ev, "kind", kind);
    sw_ev_number(ev, "application", appl);
    sw_ev_number_add(ev, "patents", text);
    parties = sw_x_child(bib, "us-parties");
    if (parties == NULL)
        parties = sw_x_child(bib, "parties");
    parties_of(ev, sw_x_child(parties, "us-applicants"), "us-applicant", "applicant");
    parties_of(ev, sw_x_child(parties, "applicants"), "applicant", "applicant");
    parties_of(ev, sw_x_child(bib, "assignees"), "assignee", "assignee");
    classes(ev, bib);
    sw_ev_str(ev, "invention_title", title, SW_FEED_FIELD_MAX);
    sw_ev_str(ev, "text", abstract, SW_FEED_TEXT_MAX);
    snprintf(key, sizeof(key), "%s|%s|%s", country, number, kind ? kind : "");
    sw_ev_emit(c, ev, "uspto-patent", key);
out:
    free(country);
    free(num);
    free(kind);
    free(date);
    free(appl);
    free(title);
    free(abstract);
    return 0;
}

/* The documents of a weekly file one after another, each ended where the next "<?xml"
 * begins: a window of SPLIT_BUF bytes slides over the input, so a file of any size is read in
 * bounded memory. */
#define SPLIT_BUF (256 * 1024)
#define MARK "<?xml"
#define MARK_LEN 5

struct splitter {
    struct sw_feed_input *in;
    char *buf;
    size_t len, pos;        /* buf[pos, len) is read but not handed out */
    int eof;                /* the input has no more */
    int failed;             /* reading the input failed */
    size_t doc_bytes;       /* handed out for the current document */
    int doc_end;            /* the current document ended at a mark */
};

/* Moves what is left to the front and reads more. Returns bytes added (0 at the end). */
static size_t refill(struct splitter *sp)
{
    long n;

    if (sp->eof)
        return 0;
    if (sp->pos > 0) {
        memmove(sp->buf, sp->buf + sp->pos, sp->len - sp->pos);
        sp->len -= sp->pos;
        sp->pos = 0;
    }
    n = sw_feed_input_read(sp->in, sp->buf + sp->len, SPLIT_BUF - sp->len);
    if (n <= 0) {
        sp->eof = 1;
        sp->failed = n < 0;
        return 0;
    }
    sp->len += (size_t)n;
    return (size_t)n;
}

/* The reader of one document: what comes before the next mark. */
static long doc_read(void *ctx, char *out, size_t want)
{
    struct splitter *sp = ctx;

    while (!sp->doc_end) {
        size_t from = sp->pos + (sp->doc_bytes == 0 ? 1 : 0), safe, give;
        const char *m = from < sp->len ? memmem(sp->buf + from, sp->len - from, MARK, MARK_LEN)
                                       : NULL;

        if (m != NULL) {
            safe = (size_t)(m - sp->buf);
            if (safe == sp->pos) {
                sp->doc_end = 1;
                break;
            }
        } else {
            /* The last bytes may be the start of a mark the next read completes. */
            safe = sp->eof ? sp->len : (sp->len >= MARK_LEN - 1 ? sp->len - (MARK_LEN - 1) : 0);
        }
        if (safe > sp->pos) {
            give = safe - sp->pos < want ? safe - sp->pos : want;
            memcpy(out, sp->buf + sp->pos, give);
            sp->pos += give;
            sp->doc_bytes += give;
            return (long)give;
        }
        if (sp->eof) {
            sp->doc_end = 1;
            break;
        }
        if (refill(sp) == 0 && sp->failed)
            return -1;
    }
    return 0;
}

int sw_feed_uspto_patent(struct sw_fctx *c, struct sw_feed_input *in)
{
    struct splitter sp = { .in = in };
    char *head = malloc(4096), *drop = malloc(4096);
    int rc = SW_OK, docs = 0;

    sp.buf = malloc(SPLIT_BUF);
    if (sp.buf == NULL || head == NULL || drop == NULL) {
        free(sp.buf);
        free(head);
        free(drop);
        return SW_ERR;
    }
    refill(&sp);
    while (!c->stop && (sp.pos < sp.len || refill(&sp) > 0)) {
        struct sw_feed_input doc = { .read = doc_read, .rctx = &sp };
        long n;

        sp.doc_bytes = 0;
        sp.doc_end = 0;
        /* The document's first bytes decide its encoding, as for any other input. */
        while (doc.len < 4096 && (n = doc_read(&sp, head + doc.len, 4096 - doc.len)) > 0)
            doc.len += (size_t)n;
        doc.buf = head;
        if (docs > 0 || memchr(head, '<', doc.len) != NULL) {
            char before[sizeof(c->res->err)];
            int r;

            sw_strlcpy(before, c->res->err, sizeof(before));
            r = sw_xml_records(c, &doc, records, record, NULL);
            if (r != SW_OK) {
                /* One broken document does not hide the others; the first reason stays. */
                if (before[0] != '\0')
                    sw_strlcpy(c->res->err, before, sizeof(c->res->err));
                rc = r;
            }
        }
        while (doc_read(&sp, drop, 4096) > 0)   /* what the reader left of this document */
            ;
        docs++;
    }
    if (sp.failed && rc == SW_OK) {
        snprintf(c->res->err, sizeof(c->res->err), "the document could not be read to its end");
        rc = SW_INVALID;
    }
    free(sp.buf);
    free(head);
    free(drop);
    if (rc != SW_OK && c->res->events > 0)
        c->res->partial = 1;
    return rc;
}
