/* register.h — the register of foreign marks and parties (DESIGN.md "Register and screening";
 * README "The register"). Trademark events and bulk back-files make one record per (office,
 * number); litigation, Section 337, customs seizures, fair incidents and marks' owners make
 * one record per party with its cases. Written by seawall-register and `seawall register
 * import`; read by the API, the screener and the following alerts.
 *
 * Keys (seawall/keys.h; hash-tagged by office, so the register shards with the rest):
 *   sw:{reg:OFFICE}:tm:NUMBER   the mark record, JSON (below), written whole
 *   sw:{reg:OFFICE}:tms         set of the office's numbers (SSCAN to iterate)
 *   sw:{reg:OFFICE}:unannounced hash NUMBER -> {"created","status","text"}: what a record
 *                               was before a write whose change is not yet on the changes
 *                               stream (empty but for a writer that stopped in between)
 *   sw:{reg}:offices            set of offices present
 *   sw:{reg}:rid                counter of record ids (INCR)
 *   sw:{reg}:rid:B              hash (rid % 1000) -> "OFFICE:NUMBER" for rids in bucket
 *                               B = rid / 1000 (small hashes stay compact); an entry whose
 *                               record is missing or has another rid is skipped
 *   sw:{reg:changes:S}          the changes stream, shard S (seawall/stream.h, route
 *                               "OFFICE:NUMBER"): records made or changed: office, number,
 *                               rid (MAXLEN ~ 1,000,000 over all shards); the screener's
 *                               group is "screeners"
 *   sw:{reg}:import:ID          an import's checkpoint (path, size, done, finished, updated)
 *   sw:{reg}:alive:NAME         a register writer's heartbeat (expires after 60 s)
 *   sw:{dkt:COURT:DOCKET}:events  ids of the litigation events seen on a docket
 *   sw:{pty}:id                 counter of party ids
 *   sw:{pty}:k:KEY              hash party id -> name, for the parties under name key KEY
 *                               (sw_party_key); parties under one key are told apart by
 *                               sw_party_same; written before the party's doc, so an entry
 *                               without a doc is skipped (and its doc written by the next
 *                               writer that meets the name)
 *   sw:{pty:ID}:doc             the party: {"id","key","name","names":[…]}
 *   sw:{pty:ID}:cases           hash case key -> case JSON {type,title,date,first,court,docket,
 *                               role,counsel,url,entries,events:[ids]}
 *   sw:{pty:ID}:plaintiff       set of case keys the party brought (plaintiff, complainant,
 *                               petitioner)
 *   sw:{pty:ID}:marks           set of "OFFICE:NUMBER" the party owns or applied for
 *
 * A mark record:
 *   {"office","number","rid","mark","owners":[{"name","country"}],"classes":[9,35],"goods",
 *    "status":"live|pending|opposed|dead","status_text","history":[{"date","status","event",
 *    "source"}],"dates":{"filed","published","registered","expires"},"url","updated",
 *    "seen" (SW_REG_STREAM_MS below; not shown by the API)}
 * Unknown dates are absent, never guessed. history has one entry per event applied (its id in
 * "event"), at most SW_REG_HISTORY_MAX, oldest first; an event already there changes nothing,
 * so a redelivered event or a re-import is harmless. The latest event by date decides the
 * status; an older one arriving late adds its history entry only. */
#ifndef SEAWALL_REGISTER_H
#define SEAWALL_REGISTER_H

#include <jansson.h>
#include <signal.h>

#include "seawall/common.h"

struct sw_store;

/* The changes stream's name (seawall/stream.h): shards sw:{reg:changes:0..N-1}. */
#define SW_REG_CHANGES "reg:changes"
/* The member the register worker adds to an event it read: when the event entered the events
 * stream (ms, the entry id's time). A record made from it keeps that as "seen" (absent for
 * records made by an import), which the back-fill compares with when an item was saved. */
#define SW_REG_STREAM_MS "stream_ms"
#define SW_REG_NUMBER_MAX 32        /* letters and digits of a number */
#define SW_REG_HISTORY_MAX 100      /* history entries kept per mark (the oldest go first) */
#define SW_REG_CASES_MAX 5000       /* cases kept per party */
#define SW_REG_FREQUENT 3           /* cases brought that make a frequent plaintiff */

/* 1 when office is two upper-case letters (US, EM, WO, CN …). */
int sw_register_office_valid(const char *office);

/* 1 when number is 1..SW_REG_NUMBER_MAX ASCII letters and digits. */
int sw_register_number_valid(const char *number);

/* The register status of an office's status (a USPTO status code, an EUIPO or WIPO status
 * text): "live", "pending", "opposed" or "dead"; NULL when it says nothing known. */
const char *sw_register_status_of(const char *office, const char *status_text);

/* What applying events changed, for the following alerts. */
struct sw_reg_change {
    char office[8];
    char number[SW_REG_NUMBER_MAX + 1];
    long long rid;
    int created;                /* the record was made by this event */
    char old_status[16];        /* "" when it had none */
    char new_status[16];
    char status_text[128];
    const json_t *event;        /* the event applied (borrowed for the callback) */
};

/* Called for each mark record an event made or changed, once its change is on the changes
 * stream. Returns SW_OK, or SW_EAGAIN when what it does (the followed alerts) could not be
 * stored: the record's marker is then kept and the flush fails with SW_EAGAIN, so the same
 * events written again call it again (it must be idempotent). Any other value is logged. */
typedef int (*sw_reg_change_fn)(void *ud, const struct sw_reg_change *ch);

/* A docket that gained an entry (a litigation event not seen before on it). */
struct sw_reg_docket {
    const char *court;          /* "" when the event names none */
    const char *docket;
    const json_t *event;
};
typedef void (*sw_reg_docket_fn)(void *ud, const struct sw_reg_docket *d);

/* A writer of events into the register, in batches: sw_register_add queues an event, and
 * every SW_REG_BATCH events (and at sw_register_flush) the batch is written in a few pipelined
 * round trips. Marks' changes go to on_change, new docket entries to on_docket (either may be
 * NULL). Events of other types are ignored. Not thread-safe; one per connection. */
#define SW_REG_BATCH 256
struct sw_reg_writer;

struct sw_reg_writer *sw_register_writer_new(struct sw_store *s, sw_reg_change_fn on_change,
                                             sw_reg_docket_fn on_docket, void *ud);

/* Queues ev (borrowed: the writer takes its own reference). Writes the batch when full.
 * SW_OK, or SW_EAGAIN / SW_ERR when writing the batch failed (s->errstr says why; the batch
 * is kept and written again at the next call). */
int sw_register_add(struct sw_reg_writer *w, json_t *ev);

/* Writes what is queued. SW_OK, SW_EAGAIN or SW_ERR; on failure the batch is kept. */
int sw_register_flush(struct sw_reg_writer *w);

/* Counts since the writer was made: events taken, mark records written (made or changed). */
void sw_register_counts(const struct sw_reg_writer *w, long long *events, long long *marks);

void sw_register_writer_free(struct sw_reg_writer *w);

/* Applies one event now (a writer of one). SW_OK, SW_EAGAIN or SW_ERR. */
int sw_register_apply(struct sw_store *s, const json_t *ev, sw_reg_change_fn on_change,
                      sw_reg_docket_fn on_docket, void *ud);

/* A court or docket as dockets are compared and followed: lower case, white space left out
 * (at most n - 1 bytes). */
void sw_register_docket_norm(const char *in, char *out, size_t n);

/* The mark record of (office, number): SW_OK with *out (caller decrefs), SW_NOTFOUND,
 * SW_EAGAIN. */
int sw_register_mark_get(struct sw_store *s, const char *office, const char *number,
                         json_t **out);

/* The mark record given its rid: SW_OK with *out, SW_NOTFOUND, SW_EAGAIN. */
int sw_register_mark_by_rid(struct sw_store *s, long long rid, json_t **out);

/* The party a name names (its name key, then sw_party_same among the parties under it):
 * SW_OK with *id, SW_NOTFOUND, SW_EAGAIN. */
int sw_register_party_find(struct sw_store *s, const char *name, long long *id);

/* An owner's litigation record for a screening conflict: SW_OK with *out
 * {"id","name","cases":N,"as_plaintiff":N,"frequent":bool} (frequent: as_plaintiff >=
 * SW_REG_FREQUENT), or *out NULL when the register knows no such party; SW_EAGAIN. Caller
 * decrefs. */
int sw_register_party_summary(struct sw_store *s, const char *name, json_t **out);

/* Same, for a party id. SW_OK with *out, SW_NOTFOUND, SW_EAGAIN. */
int sw_register_party_summary_id(struct sw_store *s, long long id, json_t **out);

/* The whole party for GET /api/v1/parties/{id}: {"id","name","names","cases_by_year",
 * "courts","counsel","marks":[{office,number,mark,status}],"cases":[…] newest first,
 * "frequent","as_plaintiff"}; at most max_cases cases and max_marks marks listed (the counts
 * say how many there are). SW_OK with *out, SW_NOTFOUND, SW_EAGAIN. */
int sw_register_party_get(struct sw_store *s, long long id, size_t max_cases, size_t max_marks,
                          json_t **out);

/* A register writer's heartbeat: says it is alive (me, its name) for the next 60 s. SW_OK or
 * SW_EAGAIN. */
int sw_register_alive(struct sw_store *s, const char *me);

/* Sets group on every shard of the changes stream to the stream's end (made when missing),
 * so its reader sees only changes after this call. SW_OK or SW_EAGAIN. */
int sw_register_changes_from_now(struct sw_store *s, const char *group);

/* Calls fn(ud, text, len) with every mark record's JSON, office by office, read in batches
 * of a thousand; the text is valid only during the call. Stops early when *stopping is set.
 * SW_OK, SW_EAGAIN or SW_ERR. */
typedef void (*sw_reg_mark_fn)(void *ud, const char *text, size_t len);
int sw_register_each_mark(struct sw_store *s, sw_reg_mark_fn fn, void *ud,
                          volatile sig_atomic_t *stopping);

/* An import's checkpoint, by the file's identity id: *done events stored, *finished 1 when
 * the file was read whole (0 and 0 when there is none). SW_OK or SW_EAGAIN. */
int sw_register_import_get(struct sw_store *s, const char *id, long long *done, int *finished);

/* Stores an import's checkpoint. SW_OK or SW_EAGAIN. */
int sw_register_import_put(struct sw_store *s, const char *id, const char *path,
                           long long size, long long done, int finished);

#endif
