/* screening.h — risk screening (风险排查) jobs and what they find (DESIGN.md "Register and
 * screening"; docs/openapi.yaml /api/v1/screenings).
 *
 * A company asks to screen marks, names or its portfolio in some markets; the API resolves
 * the request into a job (its items, markets and classes) and queues it on the stream
 * SW_SCREENINGS (seawall/stream.h: shards sw:{screenings:N}, routed by the company's id,
 * fields sub and id); seawall-screener answers it from its index of the register
 * (seawall/regidx.h) and writes progress and the result back. Keys (seawall/keys.h), under
 * the company's hash tag:
 *   sw:{sub:N}:scr:ID     hash: doc (the job as JSON), status (queued|running|done|failed),
 *                         done, total, result (JSON array of conflicts), error, updated_at
 *   sw:{sub:N}:scrs       sorted set of the company's screening ids (score: the id)
 *   sw:{sub:N}:scr:next   counter of its ids
 * A conflict: {"query":{"kind","text"},"record":{office,number,mark,status,owners,classes,
 * dates,url},"score","reasons":{"key","why"},"owner":{party summary}|null}, ranked by score,
 * live before dead, a frequent plaintiff first among equals. */
#ifndef SEAWALL_SCREENING_H
#define SEAWALL_SCREENING_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;
struct sw_regidx;

#define SW_SCREENINGS "screenings"          /* the jobs stream's name (fields sub, id) */
#define SW_SCREENINGS_GROUP "screeners"
#define SW_SCREEN_ITEMS_MAX 200             /* marks, names and portfolio items in one job */
#define SW_SCREEN_HITS_MAX 50               /* conflicts kept per item */

/* The trademark offices whose records concern markets (an array of country codes, EU):
 * each market's own office, EM for the EU and its member states, and WO (international
 * registrations), each once, into codes (at most max; they point into markets or are
 * static, valid while markets is). Returns how many; 0 for no markets (then every office
 * concerns them). */
size_t sw_screening_offices(const json_t *markets, const char **codes, size_t max);

/* Queues job ({"items":[{kind,text,classes}],"markets","classes","show"}; borrowed) as a new
 * screening of sub: SW_OK with *id, SW_EAGAIN / SW_ERR (s->errstr). */
int sw_screening_create(struct sw_store *s, long long sub, const json_t *job, long long *id);

/* The screening as the API shows it: {"id","status","progress":{"done","total"},
 * "created_at","updated_at","markets","classes","show","items", and when done "conflicts"}
 * (with_result 0 leaves the conflicts out and gives "conflicts_count"). SW_OK with *out
 * (caller decrefs), SW_NOTFOUND, SW_EAGAIN. */
int sw_screening_get(struct sw_store *s, long long sub, long long id, int with_result,
                     json_t **out);

/* The company's screenings, newest first, ids below before (0: from the newest), at most
 * limit, without their conflicts; *next the cursor of the next page (0: none). */
int sw_screening_list(struct sw_store *s, long long sub, long long before, int limit,
                      json_t **items, long long *next);

/* Records progress (status "running") or the end: status "done" with result (borrowed), or
 * "failed" with error. */
int sw_screening_progress(struct sw_store *s, long long sub, long long id, size_t done,
                          size_t total);
int sw_screening_finish(struct sw_store *s, long long sub, long long id, const json_t *result,
                        const char *error);

/* What one query finds: the register's records similar to text (kind "mark" or "name") in
 * classes (bits 1..45; 0: any) and offices (a sw_regidx_offices mask; 0: any), at most max,
 * appended to conflicts as the conflicts above. live_only leaves dead records out; seen_until_ms
 * (0: no limit) leaves out records the register first took from an event written to the
 * events stream after that time (the matcher answers for those). owners caches party
 * summaries by name across calls (an object; borrowed). SW_OK, SW_INVALID (no letters or
 * digits), SW_EAGAIN (Redis), SW_ERR. */
int sw_screening_find(struct sw_store *s, struct sw_regidx *ix, const char *kind,
                      const char *text, uint64_t classes, uint64_t offices, size_t max,
                      int live_only, int64_t seen_until_ms, json_t *owners, json_t *conflicts);

/* Sorts conflicts in their ranking. */
void sw_screening_rank(json_t *conflicts);

/* The screener's heartbeat sw:{scr}:alive:ME ("TIME marks=N", expires after 60 s). SW_OK or
 * SW_EAGAIN. */
int sw_screening_alive(struct sw_store *s, const char *me, size_t marks);

#endif
