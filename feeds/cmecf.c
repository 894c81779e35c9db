/* cmecf.c — US federal courts' CM/ECF "Recent Entries" RSS into litigation events: docket
 * number and case name from the title, entry type and document number from the escaped HTML
 * description. Every item becomes an event. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const records[] = { "item", NULL };

/* The court from the channel link: https://ecf.cafc.uscourts.gov → "cafc". */
static void on_element(struct sw_fctx *c, xmlTextReaderPtr r, const char *local, int depth)
{
    xmlNodePtr n;
    char *v, *host, *dot;

    if (c->court[0] != '\0' || depth != 2 || strcmp(local, "link") != 0)
        return;
    n = xmlTextReaderExpand(r);
    v = sw_x_text(n, 256);
    if (v == NULL)
        return;
    sw_strlcpy(c->scope, v, sizeof(c->scope));
    host = strstr(v, "://");
    host = host ? host + 3 : v;
    if (strncmp(host, "ecf.", 4) == 0)
        host += 4;
    dot = strchr(host, '.');
    if (dot != NULL) {
        *dot = '\0';
        sw_strlcpy(c->court, host, sizeof(c->court));
    }
    free(v);
}

/* Splits "Plaintiff v. Defendant" into parties; "In re X" and a bare name (a bankruptcy
 * debtor) name one respondent. */
static void case_parties(json_t *ev, const char *name)
{
    static const char *const seps[] = { " v. ", " vs. ", " v ", " vs ", " V. ", NULL };
    const char *const *sep;
    char *copy;

    if (name == NULL || name[0] == '\0')
        return;
    for (sep = seps; *sep != NULL; sep++) {
        const char *at = strstr(name, *sep);

        if (at != NULL) {
            copy = strndup(name, (size_t)(at - name));
            sw_ev_party(ev, copy, "plaintiff", NULL, NULL);
            free(copy);
            sw_ev_party(ev, at + strlen(*sep), "defendant", NULL, NULL);
            return;
        }
    }
    if (strncasecmp(name, "In re ", 6) == 0 || strncasecmp(name, "In re: ", 7) == 0)
        name += name[5] == ':' ? 7 : 6;
    sw_ev_party(ev, name, "respondent", NULL, NULL);
}

/* From "[Entry type] (<a href='…/docs1/01302074965'>102</a>)": the entry type, the document
 * number and the PACER document id. Each output may stay empty. */
static void description_parts(const char *d, char *type, size_t tlen, char *num, size_t nlen,
                              char *docid, size_t dlen)
{
    const char *open = strchr(d, '['), *close, *a, *gt, *end, *docs;

    type[0] = num[0] = docid[0] = '\0';
    if (open != NULL && (close = strchr(open, ']')) != NULL) {
        size_t n = (size_t)(close - open - 1);

        if (n >= tlen)
            n = tlen - 1;
        memcpy(type, open + 1, n);
        type[n] = '\0';
    }
    a = strstr(d, "<a ");
    if (a == NULL)
        return;
    docs = strstr(a, "/doc");
    gt = strchr(a, '>');
    if (docs != NULL && gt != NULL && docs < gt) {
        const char *id = strchr(docs + 1, '/');
        size_t n = 0;

        if (id != NULL) {
            id++;
            while (isalnum((unsigned char)id[n]) && n + 1 < dlen)
                n++;
            memcpy(docid, id, n);
            docid[n] = '\0';
        }
    }
    /* The link's text is the entry's number; some entries link a document as "doc". */
    if (gt != NULL && (end = strstr(gt, "</a>")) != NULL) {
        size_t n = (size_t)(end - gt - 1);

        if (n > 0 && n < nlen && strspn(gt + 1, "0123456789") == n) {
            memcpy(num, gt + 1, n);
            num[n] = '\0';
        }
    }
}

/* Drops the judge's initials courts append ("16-35015-cgm", "1:22-cv-01234-ABC-DEF"), so
 * the number is the case's and matches across feeds and documents. */
static void docket_base(char *d)
{
    for (;;) {
        char *dash = strrchr(d, '-'), *p;

        if (dash == NULL || dash == d || !isdigit((unsigned char)dash[-1]) || dash[1] == '\0')
            return;
        for (p = dash + 1; *p != '\0'; p++)
            if (!isalpha((unsigned char)*p))
                return;
        if (p - dash - 1 > 4)
            return;
        *dash = '\0';
        /* Keep going only while what is left still ends in a digit then letters. */
        if (!isdigit((unsigned char)dash[-1]))
            return;
    }
}

/* "Breitburn Energy Partners LP, et al.," → "Breitburn Energy Partners LP": the "et al." a
 * court adds says nothing about who is named, and would spoil matching on the names. */
static void clean_case_name(char *s)
{
    static const char *const etal[] = { ", et al.", " et al.", ", et al", " et al", NULL };
    const char *const *e;
    size_t n;

    for (e = etal; *e != NULL; e++) {
        char *at;

        while ((at = strcasestr(s, *e)) != NULL) {
            size_t l = strlen(*e);

            memmove(at, at + l, strlen(at + l) + 1);
        }
    }
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ',' || s[n - 1] == ' ' || s[n - 1] == ';'))
        s[--n] = '\0';
}

static int record(struct sw_fctx *c, xmlNodePtr item)
{
    json_t *ev = sw_ev_new(c, "litigation");
    char *title = sw_x_path_text(item, "title", SW_FEED_FIELD_MAX);
    char *link = sw_x_path_text(item, "link", SW_FEED_FIELD_MAX);
    char *desc = sw_x_path_text(item, "description", SW_FEED_TEXT_MAX);
    char *date = sw_x_path_text(item, "pubDate", 128);
    char *guid = sw_x_path_text(item, "guid", SW_FEED_FIELD_MAX);
    char docket[128] = "", type[256], num[32], docid[64], *text, *key, *plain;
    char name[SW_FEED_FIELD_MAX] = "";
    size_t klen;

    if (title != NULL) {
        size_t n = strcspn(title, " ");

        if (n < sizeof(docket)) {
            memcpy(docket, title, n);
            docket[n] = '\0';
        }
        sw_strlcpy(name, title + n + strspn(title + n, " "), sizeof(name));
        clean_case_name(name);
    }
    docket_base(docket);
    description_parts(desc ? desc : "", type, sizeof(type), num, sizeof(num), docid,
                      sizeof(docid));
    json_object_set_new(ev, "jurisdiction", json_string("US"));
    sw_ev_str(ev, "title", title, SW_FEED_FIELD_MAX);
    sw_ev_str(ev, "url", link, SW_FEED_FIELD_MAX);
    sw_ev_date(c, ev, date);
    sw_ev_number(ev, "docket", docket);
    sw_ev_number(ev, "document", num);
    sw_ev_number(ev, "pacer_doc_id", docid);
    sw_ev_number(ev, "court", c->court);
    sw_ev_str(ev, "case_name", name, SW_FEED_FIELD_MAX);
    sw_ev_str(ev, "entry_type", type, 256);
    case_parties(ev, name);
    plain = sw_html_to_text(desc ? desc : "", SW_FEED_TEXT_MAX);
    klen = strlen(type) + strlen(name) + (plain ? strlen(plain) : 0) + 4;
    text = malloc(klen);
    if (text != NULL) {
        snprintf(text, klen, "%s%s%s", type[0] ? type : (plain ? plain : ""),
                 name[0] ? ": " : "", name);
        sw_ev_str(ev, "text", text, SW_FEED_TEXT_MAX);
    }
    klen = strlen(c->court) + strlen(docket) + strlen(num) + strlen(docid) + strlen(type) +
           (date ? strlen(date) : 0) + (guid ? strlen(guid) : 0) + 8;
    key = malloc(klen);
    if (key != NULL) {
        snprintf(key, klen, "%s|%s|%s|%s|%s|%s|%s", c->court, docket, num, docid, type,
                 date ? date : "", docid[0] ? "" : (guid ? guid : ""));
        sw_ev_emit(c, ev, "cmecf", key);
    } else {
        json_decref(ev);
    }
    free(key);
    free(text);
    free(plain);
    free(title);
    free(link);
    free(desc);
    free(date);
    free(guid);
    return 0;
}

int sw_feed_cmecf(struct sw_fctx *c, struct sw_feed_input *in)
{
    return sw_xml_records(c, in, records, record, on_element);
}
