/* bulletins.h — early-warning bulletins: centre staff publish them, anyone may read them.
 *
 *   sw:bulletin:<id>     the bulletin (JSON document)
 *   sw:seq:bulletin      the last id given
 *   sw:idx:bulletins     sorted set of ids, score = id (the newest has the highest)
 *
 * A bulletin, its index entry and the "bulletin" event that alerts exporters are written by
 * one script: all or nothing. */
#ifndef SEAWALL_BULLETINS_H
#define SEAWALL_BULLETINS_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;

/* Most bulletins one listing looks at before it answers with what it found (a narrow filter
 * over a long history stays quick; the cursor continues from where it stopped). */
#define SW_BULLETINS_SCAN_MAX 5000

/* Gives the next bulletin id in *id. Returns SW_OK or SW_EAGAIN (errstr on the handle). */
int sw_bulletin_next_id(struct sw_store *s, long long *id);

/* Stores bulletin id (doc, JSON text) and adds it to the index; stores the event (ev, JSON
 * text, id evid) for ttl_s seconds and appends it to the events stream (about maxlen long)
 * unless an event with that id exists. Returns SW_OK, SW_EAGAIN or SW_ERR. */
int sw_bulletin_publish(struct sw_store *s, long long id, const char *doc, const char *evid,
                        const char *ev, long long ttl_s, long long maxlen);

/* Loads bulletin id into *doc (caller decrefs). Returns SW_OK, SW_NOTFOUND or SW_EAGAIN. */
int sw_bulletin_get(struct sw_store *s, long long id, json_t **doc);

/* Decides whether a bulletin belongs in a listing: nonzero keeps it. */
typedef int (*sw_bulletin_keep)(const json_t *bulletin, void *ud);

/* One page of bulletins, newest first: those with an id below `before` (0: from the newest)
 * that keep accepts (NULL accepts all), at most limit of them, looking at no more than
 * SW_BULLETINS_SCAN_MAX. *items (caller decrefs) is an array; *next is the cursor for the
 * following page (the last id looked at) or 0 when nothing older exists. Returns SW_OK or
 * SW_EAGAIN (*items is then NULL). */
int sw_bulletins_page(struct sw_store *s, long long before, int limit, sw_bulletin_keep keep,
                      void *ud, json_t **items, long long *next);

#endif
