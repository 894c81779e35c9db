/* tmxml.c — trademark records in WIPO ST.66 (and EUIPO's ST.66-based bulk XML) and WIPO ST.96
 * (both namespace generations): the element names are shared or close enough that one reader
 * serves all three, going by local names. Applicants given only by an identifier (EUIPO) keep
 * it; oppositions become parties and the earlier marks they cite. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seawall/date.h"
#include "internal.h"

/* ST.66 and EUIPO: <TransactionData><TradeMarkDetails> holds one or more <TradeMark>, and
 * USPTO's ST.66 puts the applicants beside <TradeMarkDetails> rather than in the mark; ST.96:
 * <TransactionData><TrademarkBag><Trademark>, each with its applicants. */
static const char *const records[] = { "TransactionData", NULL };

/* Calls fn for every descendant element of n named local (depth-first, document order). */
static void each(xmlNodePtr n, const char *local, void (*fn)(xmlNodePtr, void *), void *ud)
{
    xmlNodePtr k;

    for (k = n ? n->children : NULL; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (sw_x_is(k, local))
            fn(k, ud);
        else
            each(k, local, fn, ud);
    }
}

/* Text of the first descendant among names. */
static char *first_of(xmlNodePtr n, const char *const *names, size_t max)
{
    for (; *names != NULL; names++) {
        char *v = sw_x_text(sw_x_find(n, *names), max);

        if (v != NULL && v[0] != '\0')
            return v;
        free(v);
    }
    return NULL;
}

static void on_class(xmlNodePtr n, void *ev)
{
    char *v = sw_x_text(n, 8);
    long k = v ? strtol(v, NULL, 10) : 0;

    if (k >= 1 && k <= 45)
        sw_ev_class_int(ev, "nice", k);
    free(v);
}

static void on_national_class(xmlNodePtr n, void *ev)
{
    char *v = sw_x_text(n, 16);

    sw_ev_class_str(ev, "us", v);
    free(v);
}

struct goods {
    char text[SW_FEED_TEXT_MAX];
    size_t used;
    int english;
};

/* Goods descriptions: the English one of each class when there is one, else the first. */
static void on_class_description(xmlNodePtr cd, void *arg)
{
    struct goods *g = arg;
    xmlNodePtr d, pick = NULL;
    char *v;

    for (d = cd->children; d != NULL; d = d->next) {
        char *lang;

        if (!sw_x_is(d, "GoodsServicesDescription") && !sw_x_is(d, "GoodsServicesDescriptionText"))
            continue;
        lang = sw_x_attr(d, "languageCode");
        if (pick == NULL || (lang != NULL && strcmp(lang, "en") == 0))
            pick = d;
        free(lang);
    }
    v = sw_x_text(pick, SW_FEED_TEXT_MAX);
    if (v != NULL && v[0] != '\0' && g->used + 3 < sizeof(g->text)) {
        int n = snprintf(g->text + g->used, sizeof(g->text) - g->used, "%s%s",
                         g->used ? "; " : "", v);

        if (n > 0)
            g->used = g->used + (size_t)n < sizeof(g->text) ? g->used + (size_t)n
                                                            : sizeof(g->text) - 1;
    }
    free(v);
}

struct party_ctx {
    json_t *ev;
    const char *role;
};

static void on_party(xmlNodePtr p, void *arg)
{
    static const char *const names[] = { "FreeFormatNameLine", "EntityName",
                                         "OrganizationStandardName", "OrganizationName",
                                         "PersonFullName", "LastName", NULL };
    static const char *const countries[] = { "ApplicantIncorporationCountryCode",
                                             "IncorporationCountryCode",
                                             "ApplicantNationalityCode", "NationalityCode",
                                             "FormattedAddressCountryCode", "CountryCode", NULL };
    struct party_ctx *pc = arg;
    char *name = first_of(p, names, SW_FEED_FIELD_MAX), *country = first_of(p, countries, 8);
    char *id = sw_x_text(sw_x_find(p, "Identifier"), 64);
    json_t *parties = json_object_get(pc->ev, "parties");
    size_t i;

    /* ST.66 repeats one applicant for each party type (registrant, owner at publication …). */
    for (i = 0; i < json_array_size(parties); i++) {
        json_t *q = json_array_get(parties, i);
        const char *qn = json_string_value(json_object_get(q, "name"));
        const char *qi = json_string_value(json_object_get(q, "identifier"));

        if ((name && qn && strcmp(name, qn) == 0) || (!name && id && qi && strcmp(id, qi) == 0))
            goto out;
    }
    sw_ev_party(pc->ev, name, pc->role, country, id);
out:
    free(name);
    free(country);
    free(id);
}

/* Oppositions: the opponents become parties, the earlier marks they rely on are listed. */
static void on_opposition(xmlNodePtr o, void *ev)
{
    struct party_ctx pc = { ev, "complainant" };
    xmlNodePtr em;

    each(o, "Opponent", on_party, &pc);
    for (em = sw_x_find(o, "EarlierMark"); em != NULL; em = sw_x_next(em, "EarlierMark")) {
        static const char *const nums[] = { "ApplicationNumber", "RegistrationNumber", NULL };
        char *num = first_of(em, nums, 64);
        char *text = sw_x_text(sw_x_find(em, "MarkVerbalElementText"), SW_FEED_FIELD_MAX);
        json_t *list = json_object_get(ev, "earlier_marks"), *one = json_object();

        if (list == NULL) {
            list = json_array();
            json_object_set_new(ev, "earlier_marks", list);
        }
        sw_ev_str(one, "number", num, 64);
        sw_ev_str(one, "mark", text, SW_FEED_FIELD_MAX);
        if (json_object_size(one) > 0)
            json_array_append(list, one);
        json_decref(one);
        free(num);
        free(text);
    }
    {
        char *id = sw_x_text(sw_x_find(o, "OppositionIdentifier"), 64);

        sw_ev_number_add(ev, "oppositions", id);
        free(id);
    }
}

/* The earliest publication of the application: ST.66/ST.96 <Publication> with its date; a
 * publication in a section other than A (EUIPO's Part A: applications; Part B and on:
 * registrations, renewals …) is not one. */
static void on_publication(xmlNodePtr p, void *arg)
{
    char *earliest = arg, iso[32];
    char *section = sw_x_text(sw_x_find(p, "PublicationSection"), 16);
    char *date = sw_x_text(sw_x_find(p, "PublicationDate"), 32);

    if ((section == NULL || section[0] == '\0' || section[0] == 'A') && date != NULL &&
        sw_date_normalise(date, iso, sizeof(iso)) == SW_OK && strlen(iso) >= 10) {
        iso[10] = '\0';
        if (earliest[0] == '\0' || strcmp(iso, earliest) < 0)
            memcpy(earliest, iso, 11);
    }
    free(section);
    free(date);
}

static int one_mark(struct sw_fctx *c, xmlNodePtr tm, xmlNodePtr details)
{
    static const char *const appnums[] = { "ApplicationNumberText", "ApplicationNumber", NULL };
    static const char *const statuses[] = { "MarkCurrentStatusCode", "MarkCurrentStatusText",
                                            NULL };
    char *office = sw_x_text(sw_x_find(tm, "RegistrationOfficeCode"), 8);
    char *appno = first_of(tm, appnums, 64);
    char *appdate = sw_x_text(sw_x_find(tm, "ApplicationDate"), 32);
    char *regno = sw_x_text(sw_x_find(tm, "RegistrationNumber"), 64);
    char *status = first_of(tm, statuses, 256);
    char *status_date = sw_x_text(sw_x_find(tm, "MarkCurrentStatusDate"), 32);
    char *regdate = sw_x_text(sw_x_find(tm, "RegistrationDate"), 32);
    char *expires = sw_x_text(sw_x_find(tm, "ExpiryDate"), 32);
    char *mark = sw_x_text(sw_x_find(tm, "MarkVerbalElementText"), SW_FEED_FIELD_MAX);
    const char *fmt = sw_feed_format_name(c->res->format);
    struct party_ctx pc;
    struct goods g = { .used = 0 };
    xmlNodePtr applicants;
    char title[SW_FEED_FIELD_MAX + 256], key[256], url[192], pub[32] = "";
    int filing;
    json_t *ev;

    if (appno == NULL || appno[0] == '\0') {
        sw_feed_warn(c, "a trademark record without an application number was skipped");
        goto out;
    }
    if (office == NULL || office[0] == '\0') {
        free(office);
        office = strdup(c->res->format == SW_FEED_EUIPO ? "EM" : "WO");
    }
    /* A record is a filing while it has no registration and its status is the application's
     * first (received, filed, under examination), else a status change. */
    filing = (regno == NULL || regno[0] == '\0') && status != NULL &&
             (strcasestr(status, "examination") != NULL || strcasestr(status, "filed") != NULL ||
              strcasestr(status, "received") != NULL);
    ev = sw_ev_new(c, filing ? "trademark_filing" : "trademark_status");
    json_object_set_new(ev, "jurisdiction", json_string(office));
    snprintf(title, sizeof(title), "%s trademark %s %s: %s%s%s%s", office,
             filing ? "application" : "", appno, mark ? mark : "(no word mark)",
             status ? " (" : "", status ? status : "", status ? ")" : "");
    sw_ev_str(ev, "title", title, SW_FEED_FIELD_MAX);
    if (strcmp(office, "EM") == 0)
        snprintf(url, sizeof(url), "https://euipo.europa.eu/eSearch/#details/trademarks/%s", appno);
    else if (strcmp(office, "US") == 0)
        snprintf(url, sizeof(url),
                 "https://tsdr.uspto.gov/#caseNumber=%s&caseType=SERIAL_NO&searchType=statusSearch",
                 appno);
    else
        url[0] = '\0';
    sw_ev_str(ev, "url", url, sizeof(url));
    sw_ev_date(c, ev, filing || status_date == NULL ? appdate : status_date);
    each(tm, "Publication", on_publication, pub);
    sw_ev_date_as(c, ev, "published", pub);
    /* the key dates the register keeps (seawall/register.h), when the record says them */
    sw_ev_date_as(c, ev, "filed", appdate);
    sw_ev_date_as(c, ev, "registered", regdate);
    sw_ev_date_as(c, ev, "expires", expires);
    sw_ev_number(ev, "serial", appno);
    sw_ev_number(ev, "registration", regno);
    sw_ev_number(ev, "status", status);
    sw_ev_mark(ev, mark);
    pc.ev = ev;
    pc.role = "applicant";
    applicants = sw_x_find(tm, "ApplicantDetails");
    if (applicants == NULL)
        applicants = sw_x_find(tm, "ApplicantBag");
    if (applicants == NULL && details != NULL)
        applicants = sw_x_child(details, "ApplicantDetails");
    each(applicants, "Applicant", on_party, &pc);
    each(applicants, "ApplicantKey", on_party, &pc);
    each(tm, "ClassNumber", on_class, ev);
    each(tm, "NationalClassNumber", on_national_class, ev);
    each(tm, "ClassDescription", on_class_description, &g);
    if (g.used == 0)
        each(tm, "GoodsServices", on_class_description, &g);
    sw_ev_str(ev, "goods", g.text, SW_FEED_TEXT_MAX);
    each(tm, "Opposition", on_opposition, ev);
    snprintf(key, sizeof(key), "%s|%s|%s|%s", office, appno, status ? status : "",
             status_date ? status_date : "");
    sw_ev_emit(c, ev, fmt, key);
out:
    free(office);
    free(appno);
    free(appdate);
    free(regno);
    free(status);
    free(status_date);
    free(regdate);
    free(expires);
    free(mark);
    return 0;
}

static int record(struct sw_fctx *c, xmlNodePtr rec)
{
    xmlNodePtr list = sw_x_child(rec, "TradeMarkDetails"), tm;
    const char *name = "TradeMark";
    int marks = 0;

    if (list == NULL) {
        list = sw_x_child(rec, "TrademarkBag");
        name = "Trademark";
    }
    for (tm = sw_x_child(list, name); tm != NULL; tm = sw_x_next(tm, name))
        marks++;
    if (marks == 0)
        sw_feed_warn(c, "a transaction without a trademark record was skipped");
    for (tm = sw_x_child(list, name); tm != NULL && !c->stop; tm = sw_x_next(tm, name))
        one_mark(c, tm, marks == 1 ? rec : NULL);
    return 0;
}

int sw_feed_tmxml(struct sw_fctx *c, struct sw_feed_input *in)
{
    return sw_xml_records(c, in, records, record, NULL);
}
