/* rss.c — RSS 0.9x, 1.0 (RDF) and 2.0, Atom 0.3 and 1.0: one event per item or entry, typed
 * as the feed is configured (news, bulletin, litigation, customs_seizure …). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

static const char *const records[] = { "item", "entry", NULL };

#define NS_DC      "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

/* The namespaces an item's own elements may be in: none (RSS 0.9x/2.0), RSS 1.0, RSS 0.9,
 * Atom 1.0 and 0.3, and the modules named for some elements. An element of the same local
 * name in any other namespace belongs to some extension and is not the item's. */
static int ns_ok(const char *local, const char *ns)
{
    static const char *const core[] = { "", "http://purl.org/rss/1.0/",
                                        "http://my.netscape.com/rdf/simple/0.9/",
                                        "http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#",
                                        "http://backend.userland.com/rss2",
                                        "http://backend.userland.com/rss", NULL };
    const char *const *c;

    if (strcmp(local, "date") == 0 || strcmp(local, "creator") == 0 ||
        strcmp(local, "contributor") == 0)
        return strcmp(ns, NS_DC) == 0;
    if (strcmp(local, "encoded") == 0)
        return strcmp(ns, NS_CONTENT) == 0;
    if ((strcmp(local, "title") == 0 || strcmp(local, "description") == 0 ||
         strcmp(local, "author") == 0) && strcmp(ns, NS_DC) == 0)
        return 1;
    if ((strcmp(local, "created") == 0 || strcmp(local, "issued") == 0 ||
         strcmp(local, "modified") == 0) && strcmp(ns, NS_DCTERMS) == 0)
        return 1;
    for (c = core; *c != NULL; c++)
        if (strcmp(ns, *c) == 0)
            return 1;
    return 0;
}

/* The item's first child element of this local name in an acceptable namespace. */
static xmlNodePtr child(xmlNodePtr item, const char *local)
{
    xmlNodePtr k;

    for (k = sw_x_child(item, local); k != NULL; k = sw_x_next(k, local))
        if (ns_ok(local, sw_x_nsuri(k)))
            return k;
    return NULL;
}

/* Remembers the feed's own link or id: item keys are unique within it. */
static void on_element(struct sw_fctx *c, xmlTextReaderPtr r, const char *local, int depth)
{
    xmlNodePtr n;
    char *v;

    if (c->scope[0] != '\0' || depth > 2)
        return;
    if (strcmp(local, "link") != 0 && strcmp(local, "id") != 0)
        return;
    n = xmlTextReaderExpand(r);
    if (n == NULL || (n->parent != NULL && n->parent->type == XML_ELEMENT_NODE &&
                      !sw_x_is(n->parent, "channel") && !sw_x_is(n->parent, "feed")))
        return;
    v = sw_x_attr(n, "href");
    if (v == NULL || v[0] == '\0') {
        free(v);
        v = sw_x_text(n, 480);
    }
    if (v != NULL)
        sw_strlcpy(c->scope, v, sizeof(c->scope));
    free(v);
}

/* Plain text of an Atom text construct or an RSS title or description. Atom says what it
 * holds: type text (or text/plain) is literal, html (escaped markup) and xhtml (inline markup)
 * are reduced to their text, mode="base64" is decoded first. RSS does not say: text with tags
 * or entities in it is taken as HTML, as RSS readers do. */
static char *plain(xmlNodePtr n, size_t max)
{
    char *type, *mode, *raw, *out;
    int html;

    if (n == NULL)
        return NULL;
    raw = sw_x_text(n, max * 4);
    if (raw == NULL)
        return NULL;
    type = sw_x_attr(n, "type");
    mode = sw_x_attr(n, "mode");
    /* Atom 0.3 says mode="base64"; Atom 1.0 says so with a type that is neither text nor
     * XML (RFC 4287 3.1.1.3). */
    if ((mode != NULL && strcmp(mode, "base64") == 0) ||
        (type != NULL && strchr(type, '/') != NULL && strncmp(type, "text/", 5) != 0 &&
         strstr(type, "xml") == NULL)) {
        size_t cap = strlen(raw), len = 0;
        unsigned char *bin = malloc(cap + 1);

        if (bin != NULL && sodium_base642bin(bin, cap, raw, strlen(raw), " \t\r\n", &len,
                                             NULL, sodium_base64_VARIANT_ORIGINAL) == 0) {
            bin[len] = '\0';
            free(raw);
            raw = (char *)bin;
        } else {
            free(bin);
        }
    }
    if (type != NULL && (strcmp(type, "text") == 0 || strcmp(type, "text/plain") == 0))
        html = 0;
    else if (type != NULL && strchr(type, '/') != NULL && strncmp(type, "text/", 5) != 0 &&
             strstr(type, "xml") == NULL)
        html = strchr(raw, '<') != NULL || strchr(raw, '&') != NULL;   /* decoded bytes */
    else if (type != NULL && (strcmp(type, "xhtml") == 0 ||
                              strcmp(type, "application/xhtml+xml") == 0))
        html = 0;   /* the markup was elements, already gone; what is left is text */
    else if (type != NULL && (strcmp(type, "html") == 0 || strcmp(type, "text/html") == 0 ||
                              (mode != NULL && strcmp(mode, "escaped") == 0)))
        html = 1;
    else
        html = strchr(raw, '<') != NULL || strchr(raw, '&') != NULL;
    free(type);
    free(mode);
    if (!html || (out = sw_html_to_text(raw, max)) == NULL)
        return raw;
    free(raw);
    return out;
}

/* The item's link: RSS <link>, else Atom <link rel="alternate" href>, else the first Atom link
 * with an href, else a permalink guid. */
static char *item_link(xmlNodePtr item)
{
    xmlNodePtr l, first = NULL;
    char *v;

    for (l = sw_x_child(item, "link"); l != NULL; l = sw_x_next(l, "link")) {
        char *href, *rel;

        if (!ns_ok("link", sw_x_nsuri(l)))
            continue;
        href = sw_x_attr(l, "href");

        if (href == NULL) {
            v = sw_x_text(l, SW_FEED_FIELD_MAX);
            if (v != NULL && v[0] != '\0')
                return v;
            free(v);
            continue;
        }
        rel = sw_x_attr(l, "rel");
        if (rel == NULL || strcmp(rel, "alternate") == 0) {
            free(rel);
            return href;
        }
        free(rel);
        if (first == NULL)
            first = l;
        free(href);
    }
    if (first != NULL)
        return sw_x_attr(first, "href");
    l = child(item, "guid");
    if (l != NULL) {
        char *perma = sw_x_attr(l, "isPermaLink");
        int yes = perma == NULL || strcmp(perma, "false") != 0;

        free(perma);
        if (yes) {
            v = sw_x_text(l, SW_FEED_FIELD_MAX);
            if (v != NULL && (strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0))
                return v;
            free(v);
        }
    }
    return NULL;
}

/* First child among names with non-empty text. */
static char *first_text(xmlNodePtr item, const char *const *names, size_t max)
{
    for (; *names != NULL; names++) {
        xmlNodePtr n = child(item, *names);
        char *v = sw_x_text(n, max);

        if (v != NULL && v[0] != '\0')
            return v;
        free(v);
    }
    return NULL;
}

static void sprintf_both(char *out, const char *name, const char *email)
{
    size_t n = strlen(name), e = strlen(email);

    memcpy(out, name, n);
    memcpy(out + n, " (", 2);
    memcpy(out + n + 2, email, e);
    memcpy(out + n + 2 + e, ")", 2);
}

static char *item_author(xmlNodePtr item)
{
    static const char *const names[] = { "author", "creator", "contributor", NULL };
    const char *const *nm;

    for (nm = names; *nm != NULL; nm++) {
        xmlNodePtr a = child(item, *nm);
        char *v, *email;

        if (a == NULL)
            continue;
        /* An Atom person: "name (email)" when it has both, as feed readers show it. */
        v = sw_x_path_text(a, "name", 256);
        email = sw_x_path_text(a, "email", 256);
        if (v != NULL && v[0] != '\0' && email != NULL && email[0] != '\0') {
            char *both = malloc(strlen(v) + strlen(email) + 4);

            if (both != NULL)
                sprintf_both(both, v, email);
            free(v);
            v = both;
        } else if ((v == NULL || v[0] == '\0') && email != NULL) {
            free(v);
            v = email;
            email = NULL;
        }
        free(email);
        if (v == NULL || v[0] == '\0') {
            free(v);
            v = sw_x_text(a, 256);
        }
        if (v != NULL && v[0] != '\0')
            return v;
        free(v);
    }
    return NULL;
}

static int record(struct sw_fctx *c, xmlNodePtr item)
{
    static const char *const published[] = { "pubDate", "published", "issued", "date",
                                             "created", NULL };
    static const char *const updated[] = { "updated", "modified", NULL };
    static const char *const summaries[] = { "description", "summary", "encoded", "content",
                                             NULL };
    json_t *ev = sw_ev_new(c, c->o->item_type);
    char *title = plain(child(item, "title"), SW_FEED_FIELD_MAX);
    char *link = item_link(item);
    char *guid = sw_x_text(child(item, "guid"), SW_FEED_FIELD_MAX);
    char *pub = first_text(item, published, 128), *upd = first_text(item, updated, 128);
    char *author = item_author(item), *summary = NULL, *key;
    const char *const *s;
    size_t klen;

    if (item->parent == NULL || item->parent->type == XML_DOCUMENT_NODE)
        sw_feed_repaired(c, SW_REPAIR_ENTRY_ROOT);   /* a lone entry, not a feed */
    if (guid == NULL || guid[0] == '\0') {
        free(guid);
        guid = sw_x_text(child(item, "id"), SW_FEED_FIELD_MAX);
    }
    if ((guid == NULL || guid[0] == '\0')) {
        free(guid);
        guid = sw_x_attr(item, "about");   /* RSS 1.0 rdf:about */
    }
    for (s = summaries; *s != NULL && summary == NULL; s++) {
        summary = plain(child(item, *s), SW_FEED_TEXT_MAX);
        if (summary != NULL && summary[0] == '\0') {
            free(summary);
            summary = NULL;
        }
    }
    sw_ev_str(ev, "title", title, SW_FEED_FIELD_MAX);
    sw_ev_str(ev, "url", link, SW_FEED_FIELD_MAX);
    sw_ev_date(c, ev, pub ? pub : upd);
    if (upd != NULL && pub != NULL) {
        json_t *tmp = json_object();

        sw_ev_date(c, tmp, upd);
        if (json_object_get(tmp, "date") != NULL)
            json_object_set(ev, "updated", json_object_get(tmp, "date"));
        json_decref(tmp);
    }
    sw_ev_number(ev, "guid", guid);
    sw_ev_str(ev, "text", summary, SW_FEED_TEXT_MAX);
    sw_ev_str(ev, "author", author, 256);

    klen = strlen(c->scope) + 2 + (guid ? strlen(guid) : 0) + (link ? strlen(link) : 0) +
           (title ? strlen(title) : 0) + (pub ? strlen(pub) : 0) + 4;
    key = malloc(klen);
    if (key != NULL) {
        if (guid != NULL && guid[0] != '\0')
            snprintf(key, klen, "%s\n%s", c->scope, guid);
        else if (link != NULL && link[0] != '\0')
            snprintf(key, klen, "%s\n%s", c->scope, link);
        else
            snprintf(key, klen, "%s\n%s\n%s", c->scope, title ? title : "", pub ? pub : "");
        sw_ev_emit(c, ev, "rss", key);
    } else {
        json_decref(ev);
    }
    free(key);
    free(title);
    free(link);
    free(guid);
    free(pub);
    free(upd);
    free(author);
    free(summary);
    return 0;
}

int sw_feed_rss(struct sw_fctx *c, struct sw_feed_input *in)
{
    return sw_xml_records(c, in, records, record, on_element);
}
