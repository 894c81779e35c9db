/* follows.h — an exporter follows single register records: a mark (office, number) or a
 * docket (court optional), and hears of each status change or new docket entry through an
 * alert of type "followed" in the normal inbox (seawall/alerts.h).
 *
 * Keys:
 *   sw:{sub:N}:follows       hash follow id -> {"id","kind","office","number"} or
 *                            {"id","kind","court","docket"} with "created_at"
 *   sw:{sub:N}:followkeys    hash target -> follow id (one follow per target)
 *   sw:{flw}:id              counter of follow ids
 *   sw:{flw}:t:TARGET        set of "SUB:ID" following TARGET, where TARGET is
 *                            "mark:OFFICE:NUMBER" or "docket:COURT:DOCKET" (court and docket
 *                            as sw_register_docket_norm gives them; COURT empty: any court) */
#ifndef SEAWALL_FOLLOWS_H
#define SEAWALL_FOLLOWS_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;
struct sw_config;
struct sw_reg_change;
struct sw_reg_docket;

#define SW_FOLLOW_TARGET_MAX 300

/* The target key of a follow document (kind mark: office, number; kind docket: court,
 * docket). SW_OK or SW_INVALID. */
int sw_follow_target(const json_t *f, char *out, size_t n);

/* Adds a follow for subscriber sub; f holds kind and its members (already checked). SW_OK
 * with *out the follow (new or, *created 0, the one there was for the same target);
 * SW_TOOBIG when the subscriber has max follows already; SW_EAGAIN. Caller decrefs. */
int sw_follow_add(struct sw_store *s, long long sub, const json_t *f, long long max,
                  json_t **out, int *created);

/* The subscriber's follows, newest first. SW_OK with *out (an array) or SW_EAGAIN. */
int sw_follow_list(struct sw_store *s, long long sub, json_t **out);

/* One follow: SW_OK with *out, SW_NOTFOUND, SW_EAGAIN. */
int sw_follow_get(struct sw_store *s, long long sub, long long id, json_t **out);

/* Ends a follow: SW_OK, SW_NOTFOUND, SW_EAGAIN. */
int sw_follow_delete(struct sw_store *s, long long sub, long long id);

/* Stores a "followed" alert for every follower of the changed mark. SW_OK, SW_EAGAIN or
 * SW_ERR (an alert not stored; storing again is harmless: ids are per follow and event). */
int sw_follow_mark_changed(struct sw_store *s, const struct sw_config *cfg,
                           const struct sw_reg_change *ch);

/* Same for a docket that gained an entry (its followers in that court and in any court). */
int sw_follow_docket_entry(struct sw_store *s, const struct sw_config *cfg,
                           const struct sw_reg_docket *d);

#endif
