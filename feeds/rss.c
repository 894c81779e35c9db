/* rss.c — RSS 0.9x, 1.0 (RDF) and 2.0, Atom 0.3 and 1.0: one event per item or entry, typed
 * as the feed is configured (news, bulletin, litigation, customs_seizure …). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const records[] = { "item", "entry", NULL };

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

/* Plain text of a title or summary: markup removed when the element says it is HTML, or when
 * the text carries tags or entities (as RSS titles and descriptions often do). */
static char *plain(xmlNodePtr n, size_t max)
{
    char *type, *raw, *out;

    if (n == NULL)
        return NULL;
    raw = sw_x_text(n, max * 4);
    if (raw == NULL)
        return NULL;
    type = sw_x_attr(n, "type");
    if ((type != NULL && strcmp(type, "text") == 0 && strcmp((const char *)n->name, "title") == 0)
        || (strchr(raw, '<') == NULL && strchr(raw, '&') == NULL)) {
        free(type);
        return raw;
    }
    free(type);
    out = sw_html_to_text(raw, max);
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
        char *href = sw_x_attr(l, "href"), *rel;

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
    l = sw_x_child(item, "guid");
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
        xmlNodePtr n = sw_x_child(item, *names);
        char *v = sw_x_text(n, max);

        if (v != NULL && v[0] != '\0')
            return v;
        free(v);
    }
    return NULL;
}

static char *item_author(xmlNodePtr item)
{
    static const char *const names[] = { "author", "creator", "contributor", NULL };
    const char *const *nm;

    for (nm = names; *nm != NULL; nm++) {
        xmlNodePtr a = sw_x_child(item, *nm);
        char *v;

        if (a == NULL)
            continue;
        v = sw_x_path_text(a, "name", 256);   /* Atom person construct */
        if (v == NULL || v[0] == '\0') {
            free(v);
            v = sw_x_path_text(a, "email", 256);
        }
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
    char *title = plain(sw_x_child(item, "title"), SW_FEED_FIELD_MAX);
    char *link = item_link(item);
    char *guid = sw_x_path_text(item, "guid", SW_FEED_FIELD_MAX);
    char *pub = first_text(item, published, 128), *upd = first_text(item, updated, 128);
    char *author = item_author(item), *summary = NULL, *key;
    const char *const *s;
    size_t klen;

    if (guid == NULL || guid[0] == '\0') {
        free(guid);
        guid = sw_x_path_text(item, "id", SW_FEED_FIELD_MAX);
    }
    if ((guid == NULL || guid[0] == '\0')) {
        free(guid);
        guid = sw_x_attr(item, "about");   /* RSS 1.0 rdf:about */
    }
    for (s = summaries; *s != NULL && summary == NULL; s++) {
        summary = plain(sw_x_child(item, *s), SW_FEED_TEXT_MAX);
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
