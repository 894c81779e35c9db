/* atom.h — Atom 1.0 (RFC 4287) documents of Seawall's open information: the early-warning
 * bulletins as a feed any reader can follow. Pure: JSON in, XML text out, no I/O. */
#ifndef SEAWALL_ATOM_H
#define SEAWALL_ATOM_H

#include <jansson.h>

#include "seawall/buf.h"

/* What the feed says about itself. Every URL is absolute. */
struct sw_atom_feed {
    const char *id;          /* the feed's permanent IRI */
    const char *title;
    const char *self;        /* where this document is fetched (rel="self") */
    const char *alternate;   /* the portal page showing the same list (rel="alternate") */
    const char *fallback_updated;   /* RFC 3339 time for a feed without entries */
};

/* Appends to out the feed of bulletins (an array, newest first, of bulletin documents with
 * title and text as plain strings in the feed's language: sw_bulletin_localise). portal is the
 * portal's absolute URL without a trailing slash: each entry links to portal/bulletins/<id>
 * and has the id urn:seawall:bulletin:<id>. An entry is updated at its "updated" (a
 * correction's or withdrawal's time) when it has one, else at its published_at; the feed's
 * updated time is the latest of its entries'. A bulletin's own url becomes a rel="related" link only
 * when it is http or https. Text is escaped for XML (sw_buf_add_xml). Returns SW_OK, or
 * SW_TOOBIG / SW_ERR from the buffer (out then holds a partial document). */
int sw_atom_bulletins(struct sw_buf *out, const struct sw_atom_feed *feed, const json_t *items,
                      const char *portal);

#endif
