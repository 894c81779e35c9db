/* cases.h — assistance cases: the intake fields, the state machine with the roles allowed for
 * each transition, service-level clocks that pause while a case waits on the exporter, the
 * triage priority, and the store (a JSON document plus an append-only history per case).
 *
 * Keys, one case under one hash tag:
 *   sw:{case:N}:doc       the case as JSON (state, deadline, clocks, assignee, …)
 *   sw:{case:N}:history   list of JSON entries, appended only: every change, note, reply and
 *                         evidence file, each with who, when, before and after
 * Indexes (sorted sets, score = case id):
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

/* --- the store -------------------------------------------------------------------------- */

/* The time cases live by: now, or when test_clock is set the instant in Redis key
 * sw:testclock:at_ms (a clock standing still, for exact numbers) if there is one, else now
 * plus sw:testclock:offset_ms. */
int64_t sw_case_now(struct sw_store *s, int test_clock);

/* Stores a new case (doc complete but for "id", which is added) with its first history entry
 * and indexes, in one transaction. SW_OK with *id, or SW_EAGAIN. */
int sw_case_create(struct sw_store *s, json_t *doc, json_t *entry, long long *id);

/* The parts of sw_case_create, for a case made in the same transaction as another change
 * (an escalated incident): a new case id, then the case's commands queued onto c. */
struct sw_cmds;
int sw_case_new_id(struct sw_store *s, long long *id);
void sw_case_create_cmds(struct sw_cmds *c, json_t *doc, json_t *entry, long long id);

int sw_case_get(struct sw_store *s, long long id, json_t **doc);

/* Changes case id: fn edits doc (borrowed) and appends history entries to hist (an array);
 * returns SW_OK to commit or another code (returned unchanged, nothing written). The document,
 * the entries (given seq numbers) and the indexes that follow from the state and assignee are
 * written in one transaction, retried when the case changed meanwhile. SW_OK with *out (the
 * stored document, caller decrefs; NULL allowed), SW_NOTFOUND, SW_EAGAIN, SW_TOOBIG (history
 * full), or fn's code. */
typedef int (*sw_case_edit_fn)(json_t *doc, json_t *hist, void *ud);   /* sw_rec_edit_fn */
int sw_case_update(struct sw_store *s, long long id, long long history_max, sw_case_edit_fn fn,
                   void *ud, json_t **out);

/* The whole history, oldest first. SW_OK with *out (an array) or SW_EAGAIN. */
int sw_case_history(struct sw_store *s, long long id, json_t **out);

/* Loads the documents of ids (an array of integers); missing ones are left out. */
int sw_case_load(struct sw_store *s, const json_t *ids, json_t **out);

/* Ids from sorted set key, ascending, above after, at most limit; *next as sw_doc_list. Pass
 * limit 0 for every id (up to max). */
int sw_case_ids(struct sw_store *s, const char *key, long long after, int limit, long long max,
                json_t **ids, long long *next);

/* Every case of centre (0: of every centre), oldest first, at most max. SW_OK with *docs (an
 * array, caller decrefs) and *truncated (1 when there were more), or SW_EAGAIN. */
int sw_case_docs_of_centre(struct sw_store *s, long long centre, long long max, json_t **docs,
                           int *truncated);

/* Subscriber sub's open cases (not resolved, closed or rejected) among its newest max, newest
 * first. SW_OK with *out (an array of documents, caller decrefs) or SW_EAGAIN. */
int sw_case_open_of(struct sw_store *s, long long sub, long long max, json_t **out);

/* A history entry: at, by {role, id}, action, and the members of extra (stolen; may be NULL).
 * visible says whether the exporter sees it. */
json_t *sw_case_entry(const struct sw_principal *who, int64_t now_ms, const char *action,
                      int visible, json_t *extra);

#endif
