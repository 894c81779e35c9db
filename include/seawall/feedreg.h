/* feedreg.h — the registry of feeds the pollers keep fresh: each feed's settings (a document,
 * sw:feed:<id>), its status (a hash, sw:feed:<id>:status), the schedule (sorted set
 * sw:feeds:due, score = when the next poll is due, ms), the per-feed lease that lets only one
 * poller poll a feed at a time (keys: keys.h); and the one write path of the events stream,
 * sw_event_publish, which every producer of events (the poller, bulletins, incidents) uses. */
#ifndef SEAWALL_FEEDREG_H
#define SEAWALL_FEEDREG_H

#include <jansson.h>

#include "seawall/accounts.h"
#include "seawall/common.h"

struct sw_store;
struct sw_config;
struct sw_archive_limits;

extern const struct sw_kind sw_kind_feed;

/* The events stream's name for stream.h: shards sw:{events:0} … (keys.h). Readers use
 * sw_stream_group/read/ack/claim with it; writers sw_event_publish. */
#define SW_EVENTS_STREAM "events"

/* Checks a new (partial 0) or changed (partial 1) feed beyond its field table: the URL
 * (sw_url_check against the allow-list text net.allow_private; unreadable counts as empty),
 * interval_s against min_interval_s, a dated source's settings (dated.h; the template's URL
 * for a date passes sw_url_check too), the shape of the html member (its expressions'
 * meaning is feeds/' sw_feed_html_check), and that format html and the html member come
 * together. Adds problems to errs. */
void sw_feedreg_check(const json_t *doc, int partial, long long min_interval_s,
                      const char *allow_private, struct sw_verrs *errs);

/* 1 when name is a format feeds may be registered with (one the parsers read), not "auto". */
int sw_feedreg_format_known(const char *name);

/* What a new feed must have beyond that: url, or url_template (a dated source). */
void sw_feedreg_check_create(const json_t *doc, struct sw_verrs *errs);

/* The archive caps from the configuration (archive.max_entries, …). */
void sw_feedreg_archive_limits(const struct sw_config *cfg, struct sw_archive_limits *out);

/* Fills the defaults of a new feed (format auto, type news, interval 900 s, enabled). */
void sw_feedreg_defaults(json_t *doc);

/* The feed's status as JSON (numbers as numbers, absent fields left out; "warnings", the
 * poller's JSON text of the last document read, as an array). */
int sw_feedreg_status(struct sw_store *s, long long id, json_t **out);

/* A short reason for a feed's last failed poll that anyone may read: one phrase from a fixed
 * set (README "The portal" lists them), chosen from the HTTP status and the kind of failure in
 * the stored text — never that text itself, which may name hosts, addresses or a URL with a
 * secret in it. NULL when last_error is NULL or empty. The string is static. */
const char *sw_feedreg_public_reason(long long http_status, const char *last_error);

/* Sets the due time of feed id (ms since the epoch); 0 means now. */
int sw_feedreg_schedule(struct sw_store *s, long long id, int64_t when_ms);
int sw_feedreg_unschedule(struct sw_store *s, long long id);

/* Removes a feed, its status, lease and schedule. */
int sw_feedreg_delete(struct sw_store *s, long long id);

/* Lease on feed id for owner, ttl_ms long. Returns 1 taken, 0 held by another, <0 error. */
int sw_feedreg_lease_take(struct sw_store *s, long long id, const char *owner, long ttl_ms);
/* Extends (renew) or drops (release) the lease if owner still holds it. */
int sw_feedreg_lease_renew(struct sw_store *s, long long id, const char *owner, long ttl_ms);
int sw_feedreg_lease_release(struct sw_store *s, long long id, const char *owner);

/* A dated source's dates (dated.h), in the hash sw:feed:<id>:days: one field per date, its
 * outcome as JSON. day_set records one (and, past 800 dates, drops the oldest beyond 400);
 * days reads them all into an object (*out, caller decrefs; values that are not JSON are left
 * out). SW_OK, SW_EAGAIN when Redis is unreachable. */
int sw_feedreg_day_set(struct sw_store *s, long long id, const char *date, const json_t *outcome);
int sw_feedreg_days(struct sw_store *s, long long id, json_t **out);

/* The instant dated sources judge by: now, or with test_clock (poller.test_clock) the instant
 * in Redis key sw:testclock:poller_at_ms when it is set. */
int64_t sw_feedreg_now(struct sw_store *s, int test_clock);

/* The coverage of a dated feed doc (sw_dated_coverage over its recorded dates, at the dated
 * clock's now), into *out (caller decrefs); *out NULL when the feed is not dated or its
 * settings are unusable. SW_OK, SW_EAGAIN. */
int sw_feedreg_dated_coverage(struct sw_store *s, const struct sw_config *cfg, const json_t *doc,
                              json_t **out);

/* Publishes event ev (its "id" a string): marks it seen (swk_event_seen(shard, id), holding
 * the event's JSON for ttl_s seconds) and appends it to its shard of the events stream
 * (shard = sw_stream_shard_of(id); entries "id" and "event"; each shard about maxlen/shards
 * long), only if it was not seen before — both in one script on the shard's slot. So an event
 * published twice (a retry) is in the stream once. Returns 1 new, 0 already published,
 * SW_EAGAIN when Redis is unreachable, SW_ERR otherwise (s->errstr says why). */
int sw_event_publish(struct sw_store *s, const json_t *ev, long ttl_s, long maxlen);

/* --- what a poll changes (the poller) ------------------------------------------------------- */

/* One poll's effect on a feed's status and schedule. Fill with the helpers below (strings
 * are borrowed: they must outlive sw_feedreg_update; numbers are kept in bufs). */
struct sw_feed_update {
    const char *set[48];     /* HSET field, value, … */
    int nset;
    const char *incr[16];    /* HINCRBY field, amount, … */
    int nincr;
    const char *del[8];      /* HDEL fields */
    int ndel;
    int64_t next_ms;         /* > 0: schedule the next poll then; 0: leave; < 0: unschedule */
    char bufs[12][32];       /* room for numbers */
    int nbufs;
};

/* A number as text kept in u (valid as long as u). */
const char *sw_feed_update_num(struct sw_feed_update *u, long long v);
void sw_feed_update_set(struct sw_feed_update *u, const char *field, const char *value);
void sw_feed_update_add(struct sw_feed_update *u, const char *field, long long by);
void sw_feed_update_del(struct sw_feed_update *u, const char *field);

/* Writes u for feed id (and "next_poll_at" when it schedules): the schedule, the status, the
 * schedule's removal, in that order, each on one slot (the function's comment says what a
 * crash between leaves). Only the lease holder writes a feed's status. SW_OK or SW_EAGAIN. */
int sw_feedreg_update(struct sw_store *s, long long id, struct sw_feed_update *u);

/* The integer status field of feed id (0 when absent or unreadable). */
long long sw_feedreg_status_int(struct sw_store *s, long long id, const char *field);

/* The validators of feed id's last full fetch (empty when none) and its poll count. SW_OK,
 * SW_EAGAIN, SW_ERR. */
int sw_feedreg_validators(struct sw_store *s, long long id, char *etag, size_t etaglen,
                          char *last_modified, size_t lmlen, long long *polls);

/* Forgets why feed id was off (disabled_reason), and with validators its validators too (the
 * next poll is unconditional): done when a feed is enabled again or its URL changes. SW_OK or
 * SW_EAGAIN. */
int sw_feedreg_forget(struct sw_store *s, long long id, int validators);

/* Up to limit ids of feeds due at now_ms, earliest first, into ids. Returns how many, or
 * SW_EAGAIN. */
int sw_feedreg_due(struct sw_store *s, int64_t now_ms, int limit, long long *ids);

#endif
