/* cases.h — assistance cases: the intake fields, the state machine with the roles allowed for
 * each transition, service-level clocks that pause while a case waits on the exporter, the
 * triage priority, and the store (a JSON document plus an append-only history per case).
 *
 * Keys, one case under one hash tag:
 *   sw:{case:N}:doc       the case as JSON (state, deadline, clocks, assignee, …)
 *   sw:{case:N}:history   list of JSON entries, appended only: every change, note, reply and
 *                         evidence file, each with who, when, before and after
 * Indexes (sorted sets, score = case id; readers re-check each entry, enum sw_case_list):
 *   sw:idx:cases, sw:{sub:S}:cases, sw:{centre:C}:cases   every case, by owner, by centre
 *   sw:{centre:C}:open                                    cases not closed or rejected
 *   sw:staff:E:open                                       open cases assigned to expert E
 *   sw:staff:E:cases                                      every case ever assigned to E */
#ifndef SEAWALL_CASES_H
#define SEAWALL_CASES_H

#include <jansson.h>

#include "seawall/auth.h"
#include "seawall/common.h"
#include "seawall/json.h"

struct sw_store;
struct sw_deadlines;

extern const char *const sw_case_types[];
extern const char *const sw_case_states[];
extern const struct sw_jfield sw_case_fields[];

/* Checks what the field table cannot: country codes, served_at, rights, links. */
void sw_case_check(const json_t *in, struct sw_verrs *errs);

/* Checks a list of rights invoked, [{type, number, country}], naming problems under
 * prefix + "/rights" (shared with show incidents). NULL is fine. */
void sw_rights_check(const json_t *rights, const char *prefix, struct sw_verrs *errs);

/* --- the state machine ---------------------------------------------------------------- */

#define SW_CT_REASON   0x01   /* the transition needs a reason (shown to the exporter) */
#define SW_CT_EXPERT   0x02   /* needs expert_id: an expert of the case's centre */

struct sw_case_transition {
    const char *from, *to;
    unsigned roles;           /* enum sw_role bits that may take it (admins always may) */
    unsigned needs;           /* SW_CT_* */
    const char *notice;       /* what the exporter is told, or NULL for no notice */
};

extern const struct sw_case_transition sw_case_transitions[];
extern const size_t sw_case_ntransitions;

/* The transition from -> to, or NULL when the state machine has none. */
const struct sw_case_transition *sw_case_transition_find(const char *from, const char *to);

/* The states role may move a case in state from to, as a JSON array (new reference). */
json_t *sw_case_next_states(const char *from, enum sw_role role);

/* 1 when the case's clocks stand still in state (it waits on the exporter), 2 when they have
 * stopped for good (resolved, closed, rejected), else 0. */
int sw_case_clock_mode(const char *state);

/* Folds the time since the clock last ran into doc's clock and restarts or stops it for the
 * state doc now has. Call with the old state still in doc, then again after setting the new
 * one — or use sw_case_set_state, which does both. */
void sw_case_clock_move(json_t *doc, int64_t now_ms);

/* Sets doc's state at now_ms, moving its clocks; records the first response (when staff)
 * and the resolution (its active time in the clock, the instant in "resolved_at"). */
void sw_case_set_state(json_t *doc, const char *state, int staff, int64_t now_ms);

/* Active (unpaused) milliseconds so far. */
int64_t sw_case_active_ms(const json_t *doc, int64_t now_ms);

/* Priority 0..100 from deadline proximity, case type and stakes (an override wins). */
int sw_case_priority(const json_t *doc, int64_t now_ms, int *computed);

/* A copy of doc with the read-time views: deadline time left, priority, SLA clocks against
 * the targets (hours) and the near-breach percentage. New reference. */
json_t *sw_case_view(const json_t *doc, int64_t now_ms, long long first_h, long long resolve_h,
                     int near_pct);

/* --- queue views, tags, search ---------------------------------------------------------- */

#define SW_CASE_TAG_MAX 32            /* bytes of one tag */
#define SW_CASE_TAGS_MAX 20           /* tags on one case */
#define SW_CASE_EXPORTERS_MAX 512     /* exporters named in one answer (more go unnamed) */
#define SW_CASE_SAVED_VIEWS_MAX 50    /* saved views of one person */

/* The queue's views: new_unassigned, mine, near_breach, breached, waiting, due_week, open. */
extern const char *const sw_case_views[];

/* 1 when the case (its document, and v, its sw_case_view) is in view: new_unassigned
 * (submitted or accepted, nobody assigned), mine (open, assigned to staff id me), near_breach
 * (an SLA clock near breach, none breached), breached (an SLA clock breached), waiting
 * (needs_info or waiting_on_exporter), due_week (open, its next deadline within 7 days of
 * now_ms or past), open (not closed or rejected). */
int sw_case_in_view(const char *view, const json_t *doc, const json_t *v, long long me,
                    int64_t now_ms);

/* 1 when tag is one: 1 to SW_CASE_TAG_MAX bytes of UTF-8 without spaces, controls, commas,
 * quotes or angle brackets (a centre's own words: "urgent", "展会", "pi-hearing"). */
int sw_case_tag_valid(const char *tag);

/* What ?q= searches in a case, folded as sw_fold_search does, into out (reset first; its
 * ceiling bounds the work): "#<id> case <id>", the exporter's name, the opposing party, the
 * forum and the description. SW_OK or SW_ERR. */
struct sw_buf;
int sw_case_search_text(const json_t *doc, const char *exporter, struct sw_buf *out);

/* 1 when every word of q (folded, words split by one space) is in text (folded). */
int sw_case_search_match(const char *text, const char *q);

/* The names of the exporters of docs (an array of case documents) in one round trip, as
 * {"<subscriber id>": name} (*names, caller decrefs; at most SW_CASE_EXPORTERS_MAX). SW_OK or
 * SW_EAGAIN. */
int sw_case_exporters(struct sw_store *s, const json_t *docs, json_t **names);

/* A person's saved queue views (sw:{person:N}:views, a hash name -> JSON). put: SW_OK with
 * *created (0: replaced), SW_TOOBIG (SW_CASE_SAVED_VIEWS_MAX already), SW_EAGAIN. list: SW_OK
 * with *out (array, caller decrefs). delete: SW_OK, SW_NOTFOUND, SW_EAGAIN. */
int sw_case_view_put(struct sw_store *s, long long person, const char *name, const json_t *v,
                     int *created);
int sw_case_view_list(struct sw_store *s, long long person, json_t **out);
int sw_case_view_delete(struct sw_store *s, long long person, const char *name);

/* --- the deadlines of a case (lib/casedeadlines.c) ---------------------------------------
 *
 * doc["deadlines"] is a list of entries {id, kind, rule: {id, text, source, from, url?,
 * extension?} | null, from (the event counted from: served, entered, published, notified,
 * hearing), from_at (its date as given), at, at_ms (the instant it ends: the last second of
 * the forum's local day), zone, calendar {name, covered, counted}, source, manual, reason,
 * done, done_at, extensions, remind_days?, note?, set_by?, created_at?}; doc["deadline"] is a
 * copy of the next open one (the earliest not done; an undated one only when none is dated),
 * or null. */

/* The exporter's side in an opposition from its own_role: "opposer" (opponent, rights holder,
 * complainant, plaintiff), "opposed" (applicant, respondent) or NULL (either). */
const char *sw_case_side(const json_t *doc);

/* A new entry id counted by rule for a case in country from the event date from_at (NULL:
 * not known yet — at is null and a note says what to record), in zone (NULL: the rule's).
 * New reference, or NULL on no memory. */
json_t *sw_case_deadline_from_rule(const struct sw_deadlines *d, const json_t *rule,
                                   const char *country, const char *zone, const char *from_at,
                                   long long id);

/* A new entry set by hand: kind, zone (may be NULL), the instant, why. New reference. */
json_t *sw_case_deadline_manual(const char *kind, const char *zone, int64_t at_ms,
                                const char *reason, long long id);

/* The first entry of a new case (id 1): the first rule for its type, country, proceeding and
 * side, counted from served_at when the rule counts from service, publication or a notice.
 * NULL when no rule applies. New reference. */
json_t *sw_case_deadline_intake(const struct sw_deadlines *d, const json_t *doc);

/* doc's list (borrowed), made first when the case was stored before lists existed (its one
 * deadline becomes entry 1). */
json_t *sw_case_deadlines(json_t *doc);

/* The next entry id of doc (counted in doc["deadline_seq"]). */
long long sw_case_deadline_next_id(json_t *doc);

/* Entry id of doc (borrowed) and its index, or NULL. */
json_t *sw_case_deadline_find(json_t *doc, long long id, size_t *index);

/* The next open entry (borrowed), or NULL. */
const json_t *sw_case_deadline_next(const json_t *doc);

/* Sets doc["deadline"] to a copy of the next open entry, or null. */
void sw_case_deadline_sync(json_t *doc);

/* --- the store -------------------------------------------------------------------------- */

/* The time cases live by: now, or when test_clock is set the instant in Redis key
 * sw:testclock:at_ms (a clock standing still, for exact numbers) if there is one, else now
 * plus sw:testclock:offset_ms. */
int64_t sw_case_now(struct sw_store *s, int test_clock);

/* Stores a new case (doc complete but for "id", which is added) with its first history entry
 * and indexes: the indexes first, then the case in one transaction (record.h), then waits
 * for the write to reach redis.wait_replicas replicas (sw_store_durable). SW_OK with *id, or
 * SW_EAGAIN (also when the replicas did not confirm: the case may exist). */
int sw_case_create(struct sw_store *s, json_t *doc, json_t *entry, long long *id);

/* The parts of sw_case_create, for a case made with another change (an escalated incident):
 * a new case id, then the case's commands queued onto c — its indexes before c's transaction,
 * its document and history as the transaction when c has none yet, else after it (record.h).
 * Queuing them again for the same id writes the same case. */
struct sw_cmds;
int sw_case_new_id(struct sw_store *s, long long *id);

/* sw_case_create under a given id (sw_case_new_id's): writing it again writes the same. */
int sw_case_create_as(struct sw_store *s, json_t *doc, json_t *entry, long long id);
void sw_case_create_cmds(struct sw_cmds *c, json_t *doc, json_t *entry, long long id);

/* Waits until case id's last write is on redis.wait_replicas replicas (sw_store_durable):
 * SW_OK, or SW_EAGAIN when they did not confirm in time. */
int sw_case_durable(struct sw_store *s, long long id);

int sw_case_get(struct sw_store *s, long long id, json_t **doc);

/* Changes case id: fn edits doc (borrowed) and appends history entries to hist (an array);
 * returns SW_OK to commit or another code (returned unchanged, nothing written). The document
 * and the entries (given seq numbers) are written in one transaction, retried when the case
 * changed meanwhile; the indexes that follow from the state and assignee move in steps around
 * it (record.h); then the write waits for replicas (sw_store_durable: SW_EAGAIN when they do
 * not confirm). SW_OK with *out (the
 * stored document, caller decrefs; NULL allowed), SW_NOTFOUND, SW_EAGAIN, SW_TOOBIG (history
 * full), or fn's code. */
typedef int (*sw_case_edit_fn)(json_t *doc, json_t *hist, void *ud);   /* sw_rec_edit_fn */
int sw_case_update(struct sw_store *s, long long id, long long history_max, sw_case_edit_fn fn,
                   void *ud, json_t **out);

/* The whole history, oldest first. SW_OK with *out (an array) or SW_EAGAIN. */
int sw_case_history(struct sw_store *s, long long id, json_t **out);

/* Loads the documents of ids (an array of integers); missing ones are left out. */
int sw_case_load(struct sw_store *s, const json_t *ids, json_t **out);

/* The lists cases are found by (sorted sets, score = case id): every case, a subscriber's
 * (owner: its id), a centre's, those ever assigned to an expert, a centre's open ones (not
 * closed or rejected), an expert's open ones (assigned, in progress, waiting on the exporter).
 * An entry may name a case that is missing or no longer belongs (a crash between the steps of
 * a change, record.h): sw_case_load_in leaves those out. */
enum sw_case_list {
    SW_CASES_ALL, SW_CASES_OF_SUB, SW_CASES_OF_CENTRE, SW_CASES_OF_STAFF,
    SW_CASES_OPEN_OF_CENTRE, SW_CASES_OPEN_OF_STAFF
};

/* Ids from list, ascending, above after, at most limit; *next as sw_doc_list. Pass limit 0
 * for every id (up to max). SW_OK with *ids (caller decrefs) or SW_EAGAIN. */
int sw_case_ids(struct sw_store *s, enum sw_case_list list, long long owner, long long after,
                int limit, long long max, json_t **ids, long long *next);

/* As sw_case_load, leaving out the cases that do not belong in list (re-checked from each
 * document: owner, centre, state, assignee). */
int sw_case_load_in(struct sw_store *s, enum sw_case_list list, long long owner,
                    const json_t *ids, json_t **out);

/* The number of open cases expert staff holds (re-checked, at most 10000). SW_OK or
 * SW_EAGAIN. */
int sw_case_staff_load(struct sw_store *s, long long staff, long long *open);

/* The first assistance centre (the default for a new case): SW_OK with *centre, SW_NOTFOUND
 * when there is none, SW_EAGAIN. */
int sw_case_default_centre(struct sw_store *s, long long *centre);

/* Every case of centre (0: of every centre), oldest first, at most max. SW_OK with *docs (an
 * array, caller decrefs) and *truncated (1 when there were more), or SW_EAGAIN. */
int sw_case_docs_of_centre(struct sw_store *s, long long centre, long long max, json_t **docs,
                           int *truncated);

/* Every case of subscriber sub, oldest first, at most max; as sw_case_docs_of_centre. */
int sw_case_docs_of_subscriber(struct sw_store *s, long long sub, long long max, json_t **docs,
                               int *truncated);

/* Subscriber sub's open cases (not resolved, closed or rejected) among its newest max, newest
 * first. SW_OK with *out (an array of documents, caller decrefs) or SW_EAGAIN. */
int sw_case_open_of(struct sw_store *s, long long sub, long long max, json_t **out);

/* A history entry: at, by {role, id}, action, and the members of extra (stolen; may be NULL).
 * visible says whether the exporter sees it. */
json_t *sw_case_entry(const struct sw_principal *who, int64_t now_ms, const char *action,
                      int visible, json_t *extra);

#endif
