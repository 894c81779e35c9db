/* xml.c — small DOM helpers over one expanded record: children by local name, bounded text
 * that never expands entity references. */
#include <string.h>

#include <libxml/entities.h>

#include "seawall/buf.h"
#include "internal.h"

int sw_x_is(xmlNodePtr n, const char *local)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

const char *sw_x_nsuri(xmlNodePtr n)
{
    return n != NULL && n->ns != NULL && n->ns->href != NULL ? (const char *)n->ns->href : "";
}

xmlNodePtr sw_x_child(xmlNodePtr n, const char *local)
{
    xmlNodePtr k;

    if (n == NULL)
        return NULL;
    for (k = n->children; k != NULL; k = k->next)
        if (sw_x_is(k, local))
            return k;
    return NULL;
}

xmlNodePtr sw_x_next(xmlNodePtr n, const char *local)
{
    for (n = n ? n->next : NULL; n != NULL; n = n->next)
        if (sw_x_is(n, local))
            return n;
    return NULL;
}

xmlNodePtr sw_x_path(xmlNodePtr n, const char *path)
{
    char part[128];
    const char *p = path;

    while (n != NULL && *p != '\0') {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);

        if (len >= sizeof(part))
            return NULL;
        memcpy(part, p, len);
        part[len] = '\0';
        n = sw_x_child(n, part);
        p = slash ? slash + 1 : p + len;
    }
    return n;
}

xmlNodePtr sw_x_find(xmlNodePtr n, const char *local)
{
    xmlNodePtr k, hit;

    if (n == NULL)
        return NULL;
    for (k = n->children; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (sw_x_is(k, local))
            return k;
        if ((hit = sw_x_find(k, local)) != NULL)
            return hit;
    }
    return NULL;
}

/* Appends the text and CDATA under n to b; stops quietly at b's ceiling. An entity reference
 * adds its declared replacement text once, as written; nothing is expanded recursively. */
static void collect(xmlNodePtr n, struct sw_buf *b, int depth)
{
    xmlNodePtr k;

    if (depth > 64)
        return;
    for (k = n->children; k != NULL; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            if (k->content != NULL &&
                sw_buf_adds(b, (const char *)k->content) == SW_TOOBIG) {
                size_t room = b->max - b->len;

                sw_buf_add(b, k->content, room);
                return;
            }
        } else if (k->type == XML_ELEMENT_NODE) {
            collect(k, b, depth + 1);
        } else if (k->type == XML_ENTITY_REF_NODE && k->children != NULL &&
                   k->children->type == XML_ENTITY_DECL) {
            /* An entity declared in the document's own DTD: its replacement text, once, as
             * written (references inside it are not followed: no billion laughs). */
            xmlEntityPtr e = (xmlEntityPtr)k->children;

            if (e->etype == XML_INTERNAL_GENERAL_ENTITY && e->content != NULL &&
                sw_buf_adds(b, (const char *)e->content) == SW_TOOBIG)
                return;
        }
    }
}

char *sw_x_text(xmlNodePtr n, size_t max)
{
    struct sw_buf b;
    char *s, *start, *end;

    if (n == NULL)
        return NULL;
    sw_buf_init(&b, max);
    collect(n, &b, 0);
    s = sw_buf_take(&b);
    if (s == NULL)
        return NULL;
    for (start = s; *start == ' ' || *start == '\n' || *start == '\t' || *start == '\r';)
        start++;
    end = start + strlen(start);
    while (end > start && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t' ||
                           end[-1] == '\r'))
        end--;
    memmove(s, start, (size_t)(end - start));
    s[end - start] = '\0';
    return s;
}

char *sw_x_path_text(xmlNodePtr n, const char *path, size_t max)
{
    return sw_x_text(sw_x_path(n, path), max);
}

char *sw_x_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v;
    char *s;

    if (n == NULL)
        return NULL;
    v = xmlGetProp(n, (const xmlChar *)name);
    if (v == NULL)
        return NULL;
    s = strdup((const char *)v);
    xmlFree(v);
    return s;
}
