/* atom.c — the early-warning bulletins as an Atom 1.0 feed (RFC 4287). */
#include <string.h>
#include <strings.h>

#include "seawall/atom.h"

/* Appends <name attrs>text</name>, the text escaped. */
static int element(struct sw_buf *b, const char *name, const char *text)
{
    int rc = sw_buf_printf(b, "<%s>", name);

    if (rc == SW_OK)
        rc = sw_buf_add_xml(b, text != NULL ? text : "");
    if (rc == SW_OK)
        rc = sw_buf_printf(b, "</%s>\n", name);
    return rc;
}

/* Appends <link rel="rel" href="href"/> (type may be NULL). */
static int add_link(struct sw_buf *b, const char *rel, const char *type, const char *href)
{
    int rc = sw_buf_printf(b, "<link rel=\"%s\"", rel);

    if (rc == SW_OK && type != NULL)
        rc = sw_buf_printf(b, " type=\"%s\"", type);
    if (rc == SW_OK)
        rc = sw_buf_adds(b, " href=\"");
    if (rc == SW_OK)
        rc = sw_buf_add_xml(b, href);
    if (rc == SW_OK)
        rc = sw_buf_adds(b, "\"/>\n");
    return rc;
}

static int category(struct sw_buf *b, const char *scheme, const char *term)
{
    int rc;

    if (term == NULL || *term == '\0')
        return SW_OK;
    rc = sw_buf_adds(b, "<category scheme=\"");
    if (rc == SW_OK)
        rc = sw_buf_adds(b, scheme);
    if (rc == SW_OK)
        rc = sw_buf_adds(b, "\" term=\"");
    if (rc == SW_OK)
        rc = sw_buf_add_xml(b, term);
    if (rc == SW_OK)
        rc = sw_buf_adds(b, "\"/>\n");
    return rc;
}

static int web_url(const char *u)
{
    return u != NULL && (strncasecmp(u, "https://", 8) == 0 || strncasecmp(u, "http://", 7) == 0);
}

/* When an entry last changed: its "updated", else when it was published. */
static const char *updated_of(const json_t *doc)
{
    const char *u = json_string_value(json_object_get(doc, "updated"));

    return u != NULL && *u != '\0' ? u : json_string_value(json_object_get(doc, "published_at"));
}

static int entry(struct sw_buf *b, const json_t *doc, const char *portal)
{
    json_int_t id = json_integer_value(json_object_get(doc, "id"));
    const char *when = json_string_value(json_object_get(doc, "published_at"));
    const char *url = json_string_value(json_object_get(doc, "url"));
    int rc = sw_buf_adds(b, "<entry>\n");

    if (rc == SW_OK)
        rc = sw_buf_printf(b, "<id>urn:seawall:bulletin:%lld</id>\n", (long long)id);
    if (rc == SW_OK)
        rc = element(b, "title", json_string_value(json_object_get(doc, "title")));
    if (rc == SW_OK)
        rc = element(b, "published", when);
    if (rc == SW_OK)
        rc = element(b, "updated", updated_of(doc));
    if (rc == SW_OK)
        rc = sw_buf_adds(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
    if (rc == SW_OK)
        rc = sw_buf_add_xml(b, portal);
    if (rc == SW_OK)
        rc = sw_buf_printf(b, "/bulletins/%lld\"/>\n", (long long)id);
    if (rc == SW_OK && web_url(url))
        rc = add_link(b, "related", NULL, url);
    if (rc == SW_OK)
        rc = category(b, "urn:seawall:severity",
                      json_string_value(json_object_get(doc, "severity")));
    if (rc == SW_OK)
        rc = category(b, "urn:iso:std:iso:3166", json_string_value(json_object_get(doc, "country")));
    if (rc == SW_OK)
        rc = sw_buf_adds(b, "<content type=\"text\">");
    if (rc == SW_OK)
        rc = sw_buf_add_xml(b, json_string_value(json_object_get(doc, "text")));
    if (rc == SW_OK)
        rc = sw_buf_adds(b, "</content>\n</entry>\n");
    return rc;
}

int sw_atom_bulletins(struct sw_buf *out, const struct sw_atom_feed *feed, const json_t *items,
                      const char *portal)
{
    const char *updated = NULL, *when;
    const json_t *doc;
    size_t i;
    int rc;

    /* Newest first, but take the latest time rather than trust the order (RFC 3339 times in
     * UTC, as the store writes them, compare as text). */
    json_array_foreach(items, i, doc) {
        when = updated_of(doc);
        if (when != NULL && (updated == NULL || strcmp(when, updated) > 0))
            updated = when;
    }
    if (updated == NULL)
        updated = feed->fallback_updated;
    rc = sw_buf_adds(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                          "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    if (rc == SW_OK)
        rc = element(out, "id", feed->id);
    if (rc == SW_OK)
        rc = element(out, "title", feed->title);
    if (rc == SW_OK)
        rc = element(out, "updated", updated);
    if (rc == SW_OK)
        rc = add_link(out, "self", "application/atom+xml", feed->self);
    if (rc == SW_OK && feed->alternate != NULL)
        rc = add_link(out, "alternate", "text/html", feed->alternate);
    if (rc == SW_OK)
        rc = sw_buf_adds(out, "<author><name>Seawall</name></author>\n"
                              "<generator>Seawall</generator>\n");
    json_array_foreach(items, i, doc)
        if (rc == SW_OK)
            rc = entry(out, doc, portal);
    if (rc == SW_OK)
        rc = sw_buf_adds(out, "</feed>\n");
    return rc;
}
