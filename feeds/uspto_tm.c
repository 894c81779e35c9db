/* uspto_tm.c — USPTO trademark daily and annual XML (trademark-applications-daily, DTD v2.0):
 * each <case-file> becomes a trademark_filing (action key NA, or a new application) or a
 * trademark_status event. Streamed record by record: a 600 MB daily file runs in bounded
 * memory. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const records[] = { "case-file", NULL };

/* <action-key>NA</action-key> precedes the case files it applies to. */
static void on_element(struct sw_fctx *c, xmlTextReaderPtr r, const char *local, int depth)
{
    char *v;

    (void)depth;
    if (strcmp(local, "action-key") != 0)
        return;
    v = sw_x_text(xmlTextReaderExpand(r), 16);
    sw_strlcpy(c->scope, v ? v : "", sizeof(c->scope));
    free(v);
}

/* A case file is a new application when its action key says so or, for a lone record, when
 * its event history holds the new-application entry (NWAP) and nothing after the filing. */
static int is_filing(struct sw_fctx *c, xmlNodePtr cf)
{
    xmlNodePtr ev;
    int n = 0, nwap = 0;

    if (c->scope[0] != '\0')
        return strcmp(c->scope, "NA") == 0;
    for (ev = sw_x_child(sw_x_child(cf, "case-file-event-statements"),
                         "case-file-event-statement");
         ev != NULL; ev = sw_x_next(ev, "case-file-event-statement")) {
        char *code = sw_x_path_text(ev, "code", 16);

        n++;
        nwap |= code != NULL && strcmp(code, "NWAP") == 0;
        free(code);
    }
    return nwap && n == 1;
}

static void owners(json_t *ev, xmlNodePtr cf)
{
    xmlNodePtr o;

    for (o = sw_x_child(sw_x_child(cf, "case-file-owners"), "case-file-owner"); o != NULL;
         o = sw_x_next(o, "case-file-owner")) {
        char *name = sw_x_path_text(o, "party-name", SW_FEED_FIELD_MAX);
        char *type = sw_x_path_text(o, "party-type", 8);
        char *country = sw_x_path_text(o, "nationality/country", 8);
        char *state = NULL;

        if (country == NULL || country[0] == '\0') {
            free(country);
            state = sw_x_path_text(o, "nationality/state", 8);
            country = sw_x_path_text(o, "country", 8);
            if ((country == NULL || country[0] == '\0') && state != NULL && state[0] != '\0') {
                free(country);
                country = strdup("US");
            }
        }
        /* Party types 10–19 are applicants; the rest are later owners and registrants. */
        sw_ev_party(ev, name, type != NULL && type[0] == '1' ? "applicant" : "owner", country,
                    NULL);
        free(name);
        free(type);
        free(country);
        free(state);
    }
}

static void classes_and_goods(json_t *ev, xmlNodePtr cf)
{
    xmlNodePtr cl, k, st;
    char goods[SW_FEED_TEXT_MAX];
    size_t used = 0;

    for (cl = sw_x_child(sw_x_child(cf, "classifications"), "classification"); cl != NULL;
         cl = sw_x_next(cl, "classification")) {
        for (k = cl->children; k != NULL; k = k->next) {
            char *v;
            long n;

            if (!sw_x_is(k, "international-code") && !sw_x_is(k, "us-code"))
                continue;
            v = sw_x_text(k, 16);
            if (v == NULL)
                continue;
            if (sw_x_is(k, "international-code")) {
                n = strtol(v, NULL, 10);
                if (n >= 1 && n <= 45)
                    sw_ev_class_int(ev, "nice", n);
            } else {
                sw_ev_class_str(ev, "us", v);
            }
            free(v);
        }
    }
    goods[0] = '\0';
    for (st = sw_x_child(sw_x_child(cf, "case-file-statements"), "case-file-statement");
         st != NULL; st = sw_x_next(st, "case-file-statement")) {
        char *code = sw_x_path_text(st, "type-code", 16), *text;

        if (code != NULL && strncmp(code, "GS", 2) == 0 &&
            (text = sw_x_path_text(st, "text", SW_FEED_TEXT_MAX)) != NULL) {
            int n = snprintf(goods + used, sizeof(goods) - used, "%s%s", used ? "; " : "", text);

            if (n > 0)
                used = used + (size_t)n < sizeof(goods) ? used + (size_t)n : sizeof(goods) - 1;
            free(text);
        }
        free(code);
    }
    sw_ev_str(ev, "goods", goods, SW_FEED_TEXT_MAX);
}

/* "published": when the mark was published for opposition in the Official Gazette — the
 * header's published-for-opposition-date, else the date of a PUBO ("published for
 * opposition") entry among the case file's events. Nothing when neither is there: a new
 * application has not been published yet. */
static void published(struct sw_fctx *c, json_t *ev, xmlNodePtr cf, xmlNodePtr hdr)
{
    char *date = sw_x_path_text(hdr, "published-for-opposition-date", 32);
    xmlNodePtr st;

    for (st = sw_x_find(sw_x_child(cf, "case-file-event-statements"),
                        "case-file-event-statement");
         (date == NULL || date[0] == '\0') && st != NULL;
         st = sw_x_next(st, "case-file-event-statement")) {
        char *code = sw_x_path_text(st, "code", 16);

        if (code != NULL && strcmp(code, "PUBO") == 0) {
            free(date);
            date = sw_x_path_text(st, "date", 32);
        }
        free(code);
    }
    sw_ev_date_as(c, ev, "published", date);
    free(date);
}

static int record(struct sw_fctx *c, xmlNodePtr cf)
{
    xmlNodePtr hdr = sw_x_child(cf, "case-file-header");
    char *serial = sw_x_path_text(cf, "serial-number", 32);
    char *reg = sw_x_path_text(cf, "registration-number", 32);
    char *mark = sw_x_path_text(hdr, "mark-identification", SW_FEED_FIELD_MAX);
    char *filed = sw_x_path_text(hdr, "filing-date", 32);
    char *regdate = sw_x_path_text(hdr, "registration-date", 32);
    char *status = sw_x_path_text(hdr, "status-code", 16);
    char *status_date = sw_x_path_text(hdr, "status-date", 32);
    int filing = is_filing(c, cf);
    json_t *ev;
    char title[SW_FEED_FIELD_MAX + 128], url[160], key[160];

    if (serial == NULL || serial[0] == '\0') {
        sw_feed_warn(c, "a case-file without a serial number was skipped");
        goto out;
    }
    ev = sw_ev_new(c, filing ? "trademark_filing" : "trademark_status");
    json_object_set_new(ev, "jurisdiction", json_string("US"));
    if (filing)
        snprintf(title, sizeof(title), "US trademark application %s: %s", serial,
                 mark ? mark : "(no word mark)");
    else
        snprintf(title, sizeof(title), "US trademark %s: %s (status %s)", serial,
                 mark ? mark : "(no word mark)", status ? status : "?");
    sw_ev_str(ev, "title", title, SW_FEED_FIELD_MAX);
    snprintf(url, sizeof(url),
             "https://tsdr.uspto.gov/#caseNumber=%s&caseType=SERIAL_NO&searchType=statusSearch",
             serial);
    sw_ev_str(ev, "url", url, sizeof(url));
    sw_ev_date(c, ev, filing ? filed : (status_date ? status_date : filed));
    sw_ev_number(ev, "serial", serial);
    if (reg != NULL && strspn(reg, "0") != strlen(reg))
        sw_ev_number(ev, "registration", reg);
    sw_ev_number(ev, "status", status);
    sw_ev_date_as(c, ev, "filed", filed);
    if (regdate != NULL && strspn(regdate, "0") != strlen(regdate))
        sw_ev_date_as(c, ev, "registered", regdate);
    published(c, ev, cf, hdr);
    sw_ev_mark(ev, mark);
    owners(ev, cf);
    classes_and_goods(ev, cf);
    snprintf(key, sizeof(key), "%s|%s|%s|%s", serial, filing ? "filing" : "status",
             status ? status : "", status_date ? status_date : "");
    sw_ev_emit(c, ev, "uspto-tm", key);
out:
    free(serial);
    free(reg);
    free(mark);
    free(filed);
    free(regdate);
    free(status);
    free(status_date);
    return 0;
}

int sw_feed_uspto_tm(struct sw_fctx *c, struct sw_feed_input *in)
{
    return sw_xml_records(c, in, records, record, on_element);
}
