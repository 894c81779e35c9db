/* cmecf.c — US federal courts' CM/ECF "Recent Entries" RSS into litigation events: docket
 * number and case name from the title, entry type and document number from the escaped HTML
 * description. Every item becomes an event. */
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
    if (gt != NULL && (end = strstr(gt, "</a>")) != NULL) {
        size_t n = (size_t)(end - gt - 1);

        if (n >= nlen)
            n = nlen - 1;
        memcpy(num, gt + 1, n);
        num[n] = '\0';
    }
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
    const char *name = "";
    size_t klen;

    if (title != NULL) {
        size_t n = strcspn(title, " ");

        if (n < sizeof(docket)) {
            memcpy(docket, title, n);
            docket[n] = '\0';
        }
        name = title + n;
        while (*name == ' ')
            name++;
    }
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
    klen = strlen(type) + strlen(name) + 4;
    text = malloc(klen);
    if (text != NULL) {
        snprintf(text, klen, "%s: %s", type[0] ? type : (plain ? plain : ""), name);
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
