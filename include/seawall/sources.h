/* sources.h — the source catalogue: the real sources a centre would follow (USPTO's bulk files,
 * the courts' CM/ECF feeds, the USITC's notices, customs, fairs, official IP notice pages), one
 * JSON entry each in the files of sources.dir (etc/sources/NAME.json), checked when read. Data,
 * not code: an entry says where the source is, in what format and on what schedule, under which
 * terms, what it covers and what its events mean; enabling it registers it as a feed
 * (feedreg.h) and remembers which (Redis hash sw:sources, name → feed id). docs/feeds.md
 * describes every field. */
#ifndef SEAWALL_SOURCES_H
#define SEAWALL_SOURCES_H

#include <jansson.h>

#include "seawall/common.h"
#include "seawall/json.h"

struct sw_store;
struct sw_config;

/* Reads every *.json file of dir, in name order: each {"sources": [entry, …]}. Every entry is
 * checked (sw_sources_check); names must be unique across the files. Returns SW_OK with *out
 * (an array of the entries sorted by name, each given "file": the file's name; caller
 * decrefs), or SW_INVALID with err naming the file, the JSON pointer and the reason
 * ("uspto.json: /sources/2/schedule/zone: not a time zone …"), SW_ERR when dir cannot be read. */
int sw_sources_load(const char *dir, json_t **out, char *err, size_t errlen);

/* Checks one entry; on a problem returns SW_INVALID with err "POINTER: reason" (pointer below
 * prefix, e.g. "/sources/2"). */
int sw_sources_check(const json_t *e, const char *prefix, char *err, size_t errlen);

/* The entry named name in catalogue cat (borrowed), or NULL. */
json_t *sw_sources_find(const json_t *cat, const char *name);

/* 1 when this build has a parser for the entry's format (the feed registry accepts it). */
int sw_sources_readable(const json_t *e);

/* The feed document that enabling e registers (new, caller decrefs): its name, URL or URL
 * template (url or url_template, when not NULL, replace the catalogue's: the deployment's own
 * copy, or the URL an admin confirmed), format, compression, item type, schedule and source.
 * Returns SW_OK; SW_CONFLICT with why when it cannot be enabled as it stands: a format this
 * build cannot read, or a URL the catalogue marks to_confirm and no override or confirm given
 * (confirm: the admin checked the catalogue's own URL). */
int sw_sources_feed_doc(const json_t *e, const char *url, const char *url_template, int confirm,
                        json_t **doc, char *why, size_t whylen);

/* Enables e: registers doc as a new feed (checked as any feed: sw_feedreg_check with cfg's
 * limits), or enables and updates the feed registered before; either way it is polled at once.
 * Returns SW_OK with *feed (the feed document; caller decrefs) and *created; SW_INVALID with
 * errs filled (the document failed the feed checks); SW_EAGAIN. */
int sw_sources_enable(struct sw_store *s, const struct sw_config *cfg, const json_t *e,
                      json_t *doc, json_t **feed, int *created, struct sw_verrs *errs);

/* Disables the feed registered for e (it stays registered, with its history). SW_OK;
 * SW_NOTFOUND when it was never enabled; SW_EAGAIN. */
int sw_sources_disable(struct sw_store *s, const json_t *e, json_t **feed);

/* The feed id registered for name: SW_OK, SW_NOTFOUND, SW_EAGAIN. */
int sw_sources_feed_id(struct sw_store *s, const char *name, long long *id);

/* e with what this deployment has made of it (new, caller decrefs): "readable" (this build
 * parses its format), "ready" (enable needs nothing more: readable and its URL confirmed), and
 * "feed": null, or {id, enabled, status: last_success_at, last_error_at, last_error (the public
 * phrase), consecutive_failures, items_seen, dates (a dated source's coverage)}. */
int sw_sources_view(struct sw_store *s, const struct sw_config *cfg, const json_t *e,
                    json_t **out);

#endif
