/* shows.h — trade shows and the incidents their service stations log.
 *
 * A show is a JSON document under a readable id ("canton-fair-2026") — the id exporters put in
 * their portfolio's show items and stations carry as their show:
 *   sw:show:<id>             the show
 *   sw:idx:shows             sorted set of show ids, score = the day the show ends
 *   sw:series:<series>       the editions of a recurring show, score = the day each starts
 *   sw:show-uid:<hash>       the show made from an iCalendar event (UID, occurrence date)
 *   sw:show:<id>:stats       hash: incidents, escalated, kind:<kind> — the show's record
 *   sw:show:<id>:attendees   set of subscriber ids whose portfolio has had a show item naming
 *                            it (written with the item; readers check the item is still there)
 *   sw:idx:attendees:built   set once every subscriber's show items were filed (first reader)
 *
 * An incident is a record (record.h) with tag "inc": sw:{inc:N}:doc and :history, and
 *   sw:idx:incidents, sw:show:<id>:incidents   sorted sets of ids
 *   sw:show:<id>:inckey:<hash>                 the incident a submission key made
 *   sw:party:<role>:<key>                      incidents naming a party, score = received ms
 *   sw:idx:party-keys                          every party key, score 0 (a prefix look-up)
 *   sw:idx:party-keys:built                    set once the keys of before were filed
 *   sw:{inc:N}:recognised                      hash subscriber id -> JSON: the matcher's
 *                                              recognition of subscribers as the exhibitor
 * It is created together with its show_incident event in one transaction. */
#ifndef SEAWALL_SHOWS_H
#define SEAWALL_SHOWS_H

#include <jansson.h>

#include "seawall/common.h"
#include "seawall/json.h"
#include "seawall/zone.h"

struct sw_store;
struct sw_deadlines;

#define SW_SHOW_ID_MAX 64

extern const struct sw_jfield sw_show_fields[];
extern const char *const sw_incident_kinds[];
extern const char *const sw_incident_statuses[];
extern const struct sw_jfield sw_incident_fields[];
extern const struct sw_jfield sw_party_fields[];

/* 1 when id is a show id: 1 to 64 of a-z, 0-9 and '-', starting with a letter or digit. */
int sw_show_id_valid(const char *id);

/* Checks a show beyond its field table: id, dates (ends not before starts), website. */
void sw_show_check(const json_t *in, struct sw_verrs *errs);

/* A readable id from a name and the start date: "Canton Fair", "2026-04-15" ->
 * "canton-fair-2026" (the year is not repeated when the name has it). */
void sw_show_slug(const char *name, const char *starts, char *out, size_t n);

/* The series a show belongs to: its name without years and edition numbers, as a slug. */
void sw_show_series(const char *name, char *out, size_t n);

int sw_show_get(struct sw_store *s, const char *id, json_t **doc);

/* The zone a show's local times are in, into out (n bytes, SW_ZONE_MAX + 1 is enough): its
 * own "tz", else the zone of its country's capital (sw_zone_for_country), else UTC. *source
 * (may be NULL) says which: "show", "country" or "default". */
void sw_show_zone(const json_t *show, char *out, size_t n, const char **source);

/* The set of subscribers attending show (see the top): key into out. Portfolio writes add a
 * subscriber when they store a show item; nothing removes one (readers check the item). */
void sw_show_attendance_key(const char *show, char *out, size_t n);

/* The subscribers whose portfolio holds a show item naming show, ascending ids, as an array
 * of {"subscriber_id", "name", "country", "names": [{"text", "of"}]} — "names" the
 * subscriber's own name and its portfolio's company names and aliases ("of": the name an
 * alias belongs to, else absent). At most max subscribers (*more 1 when there were more).
 * Builds the attendance sets from every portfolio the first time any is read. SW_OK,
 * SW_EAGAIN. */
int sw_show_attendees(struct sw_store *s, const char *show, size_t max, json_t **out,
                      int *more);

/* For each of the n ids, exists[i] 1 when that show is stored, 0 when not (or ids[i] is no
 * show id), in one round trip. SW_OK, SW_EAGAIN, or SW_ERR (no memory). */
int sw_shows_exist(struct sw_store *s, const char *const *ids, size_t n, int *exists);

/* Stores show doc (which has "id"); old is the stored version or NULL for a new show, which
 * must not exist yet (SW_CONFLICT). Indexes follow the dates and series. */
int sw_show_put(struct sw_store *s, json_t *doc, const json_t *old);

/* Makes or updates the show an iCalendar show_event event describes (title, date, end,
 * location, url, show = the event's UID), and points the event's "show" at the show id.
 * country (may be NULL) is given to a new show. *created: 1 new, 0 updated, -1 unchanged.
 * SW_INVALID for an event without a start. */
int sw_show_from_event(struct sw_store *s, json_t *ev, const char *source, const char *country,
                       char *id, size_t idlen, int *created);

/* --- incidents --------------------------------------------------------------------------- */

/* Checks an incident (or, partial, a change to one) beyond its field table: parties, rights,
 * received_at, evidence hashes. prefix goes before each pointer ("/incidents/3"). */
void sw_incident_check(const json_t *in, int partial, const char *prefix,
                       struct sw_verrs *errs);

/* The key incidents naming a party are filed under: the name's trade name, as matching keys
 * company names (sw_name_key: 深圳市山寨电子有限公司 and "Shenzhen Shanzhai Electronics Co.,
 * Ltd." are both "shanzhai"). Parties under one key are told apart by sw_party_same. SW_OK,
 * SW_INVALID for a name with nothing to match on, SW_TOOBIG. */
int sw_party_key(const char *name, char *out, size_t n);

/* The key incidents were filed under before names were keyed by their trade names (the
 * look-alike key of the whole name); read beside sw_party_key's, so incidents filed then are
 * still found. SW_OK or SW_INVALID. */
int sw_party_key_v1(const char *name, char *out, size_t n);

/* 1 when two party names are one company — the same trade name in either script, or the
 * same look-alike key, with no place or industry that contradicts it (sw_similarity at the
 * default threshold) — else 0. b_of: when b is an alias of a portfolio name, that name (an
 * alias naming no industry or place takes the name's: sw_name_inherit), else NULL. */
int sw_party_same(const char *a, const char *b, const char *b_of);

/* How sure it is that name (a company name; an alias of name_of when that is not NULL) is
 * the company q names. */
enum sw_sureness {
    SW_SURE_NONE = 0,
    SW_SURE_SIMILAR = 1,      /* a trade name one letter or two apart, or q a beginning of it
                               * or a part of the name as written */
    SW_SURE_TRADE_NAME = 2,   /* the same trade name in either script, nothing contradicting
                               * it (sw_party_same) */
    SW_SURE_EXACT = 3,        /* the same name once case, spacing, legal forms and script are
                               * folded */
};

/* See enum sw_sureness; why (at least 64 bytes) says on what grounds. */
enum sw_sureness sw_party_sureness(const char *q, const char *name, const char *name_of,
                                   char *why, size_t whylen);

/* "exact", "same_trade_name", "similar" or "none". */
const char *sw_sureness_name(enum sw_sureness s);

/* The attendees (as sw_show_attendees gives them) whose names name the company q at least
 * as surely as min: copies with "match" (sw_sureness_name), "why" and "matched_name" (the
 * name that did), surest first, then by subscriber id. A new array (NULL: no memory). */
json_t *sw_attendees_rank(const json_t *attendees, const char *q, enum sw_sureness min);

/* The party keys filed so far that begin with prefix (prefix itself first when filed), at
 * most max, into *out (an array of strings). The first call files the keys of incidents
 * logged before the prefix index existed. SW_OK or SW_EAGAIN. */
int sw_party_keys_like(struct sw_store *s, const char *prefix, size_t max, json_t **out);

/* The ids of incidents filed under key in either role, newest first, at most max each,
 * appended to ids (an array of integers) when not there yet. SW_OK or SW_EAGAIN. */
int sw_party_incident_ids(struct sw_store *s, const char *key, size_t max, json_t *ids);

/* Queues the party index changes from old to doc (names edited): additions before the
 * incident's transaction, removals after (record.h). */
struct sw_cmds;
void sw_incident_party_moves(struct sw_cmds *c, const json_t *old, const json_t *doc);

/* Checks the times a device recorded (received_at, answered_at in in: ISO 8601 date-times
 * with an offset — "2026-10-15T09:30:00+02:00" or "…Z") against sanity: neither later than
 * now + skew_ms (the device's clock may be a little fast), neither earlier than the start of
 * the show's first day in its zone less before_ms, and answered_at not before received_at
 * (in's, or received_ms of the stored incident when in has none: pass -1 for none). Problems
 * go to errs under prefix. */
void sw_incident_times_check(const json_t *in, const json_t *show, int64_t received_ms,
                             int64_t now, int64_t skew_ms, int64_t before_ms,
                             const char *prefix, struct sw_verrs *errs);

/* The SHA-256 (hex, 65 bytes) of a submission's content: every member but "key", the times
 * as the instants they name, members in a fixed order — so the same record sent twice has
 * one hash, and an edited one another. */
void sw_incident_content_hash(const json_t *in, char *hex);

/* Sets a show_incident event's "title" and "text" from its show_name (else show), kind,
 * hall, product_category and rights_kinds alone — words that name no party. */
void sw_incident_event_words(json_t *ev);

/* What a show_incident event may tell someone who is not a party to it: the fair, hall,
 * product category, the kind of incident and the kinds of rights invoked — no party names,
 * booth, numbers, notes or deadline; title and text worded afresh from those
 * (sw_incident_event_words). A new event (same id and type); NULL when out of memory. */
json_t *sw_incident_event_public(const json_t *ev);

/* Records that the matcher recognised subscriber sub as incident id's exhibitor (what: a
 * JSON object saying by which name and why; not stolen). SW_OK or SW_EAGAIN. */
int sw_incident_recognised_put(struct sw_store *s, long long id, long long sub,
                               const json_t *what);

/* The matcher's recognitions of incident id, as an array of objects, each with its
 * "subscriber_id", best score first. SW_OK or SW_EAGAIN. */
int sw_incident_recognised_get(struct sw_store *s, long long id, json_t **out);

/* The answer deadline for an incident received at received_ms at show: the show's own
 * answer_deadline_h, else the deadline rules for a show_complaint in the show's country. */
json_t *sw_incident_deadline(const struct sw_deadlines *d, const json_t *show,
                             int64_t received_ms);

/* Stores a new incident (doc complete but for "id") with its first history entry, indexes,
 * the show's counts and ev (its show_incident event, given the id), unless the submission key
 * (may be NULL) already made one: then *dup is 1 and *id that incident. Steps, each one slot
 * (record.h): the key's claim (SET under WATCH, so two submissions make one incident), the
 * indexes (every incident, the show's, the parties'), the incident (document and history),
 * then the show's counts and the event. A crash after the claim leaves a key naming a missing
 * incident: the client's retry with the key writes it under that id. A crash after the
 * incident leaves the counts and the event not written; the retry finds the incident, answers
 * it (*dup) and publishes the event again (sw_event_publish sends it once only); the counts
 * stay one short. The incident waits for replicas (sw_store_durable) before its event goes
 * out. SW_OK or SW_EAGAIN (also when the replicas did not confirm). */
int sw_incident_create(struct sw_store *s, json_t *doc, json_t *entry, json_t *ev,
                       const char *key, long ttl_s, long maxlen, long long *id, int *dup);

/* --- reading and changing incidents, shows' lists and counts ---------------------------- */

/* Changes incident id as sw_rec_update does (fn, more, ud), then waits for replicas
 * (sw_store_durable): SW_OK with *out (may be NULL), SW_NOTFOUND, SW_EAGAIN (also when the
 * replicas did not confirm), SW_TOOBIG or fn's code. */
typedef int (*sw_incident_edit_fn)(json_t *doc, json_t *hist, void *ud);
typedef void (*sw_incident_more_fn)(struct sw_cmds *c, const json_t *old, const json_t *doc,
                                    void *ud);
int sw_incident_update(struct sw_store *s, long long id, long long history_max,
                       sw_incident_edit_fn fn, sw_incident_more_fn more, void *ud,
                       json_t **out);

/* Waits until incident id's last write is on redis.wait_replicas replicas: SW_OK or
 * SW_EAGAIN. */
int sw_incident_durable(struct sw_store *s, long long id);

/* Ids of show's incidents, ascending, above after, at most limit (0: every one up to max);
 * *next as sw_rec_ids. SW_OK with *ids (caller decrefs) or SW_EAGAIN. Ids of missing incidents
 * may be among them (sw_rec_load leaves those out). */
int sw_show_incident_ids(struct sw_store *s, const char *show, long long after, int limit,
                         long long max, json_t **ids, long long *next);

/* Ids of the incidents filed under party key in role ("exhibitor", "complainant") received at
 * or before max_ms, newest first, at most count, appended to ids (integers; those already in
 * ids or equal to skip are left out). The caller re-checks each incident's names. SW_OK or
 * SW_EAGAIN. */
int sw_party_incidents_before(struct sw_store *s, const char *role, const char *key,
                              long long max_ms, int count, long long skip, json_t *ids);

/* Queues, after the transaction, adding by to field of show's counts (HINCRBY). */
void sw_show_count_cmds(struct sw_cmds *c, const char *show, const char *field,
                        const char *by);

/* Show's counts as {incidents, escalated, by_kind{kind: n}} (new reference; zeros when the
 * store fails). */
json_t *sw_show_counts(struct sw_store *s, const char *show);

/* The documents of series' shows starting before day (days since 1970), newest first, at
 * most max; shows since moved to another series or removed are left out. SW_OK with *docs
 * (caller decrefs) or SW_EAGAIN. */
int sw_series_shows_before(struct sw_store *s, const char *series, long long day, int max,
                           json_t **docs);

/* Ids (strings) of the shows ending between min and max (ZRANGEBYSCORE bounds on the day they
 * end: "-inf", "(123", "456"), from offset, at most count. SW_OK with *ids (caller decrefs) or
 * SW_EAGAIN. */
int sw_shows_ending(struct sw_store *s, const char *min, const char *max, long long offset,
                    int count, json_t **ids);

#endif
