/* associations.h — industry associations and IP alliances (行业组织、产业知识产权联盟): their
 * accounts, member exporters who join by invitation and consent to what they share, the
 * association's own sector watch, and matters (one event that concerns several members).
 *
 * An association is also a subscriber: its id is the id of a subscriber record made with it,
 * whose portfolio is the association's sector watch, so the matcher alerts it as it alerts an
 * exporter and its inbox is an ordinary alert inbox.
 *
 * Consent. A member shares "alerts" (the association learns which of its events concern the
 * member), "cases" (that, and its cases' state, deadlines and counts) or "none" (membership
 * only). Whatever the association reads about a member goes through sw_assoc_share_of.
 *
 * Keys:
 *   sw:{sub:A}:association   the association (JSON)
 *   sw:idx:associations      sorted set of association ids
 *   sw:{sub:A}:members       hash subscriber -> {status: invited|member, share, invited_at,
 *                            joined_at} (JSON)
 *   sw:{sub:S}:assocs        hash association -> status, the member's side
 *   sw:matter:K              a matter (JSON): id, association, title, key, event_id, docket,
 *                            jurisdiction, type, created_at
 *   sw:matter:K:subs         hash subscriber -> the alert that concerns it
 *   sw:idx:matters, sw:{sub:A}:matters   every matter; an association's
 *   sw:matter:key:<A>:<key>  the matter of association A for an event key (docket, 337
 *                            investigation or event id)
 *   sw:idx:alert-matter      hash alert id -> matter id
 *   sw:seq:matter
 *   sw:{aev:EVENT}           with partitioned matchers: what each partition's hits of the event
 *                            told the associations (sw_assoc_event), kept 7 days, 2 once every
 *                            partition is done with it */
#ifndef SEAWALL_ASSOCIATIONS_H
#define SEAWALL_ASSOCIATIONS_H

#include <jansson.h>

#include "seawall/accounts.h"
#include "seawall/common.h"

struct sw_store;
struct sw_config;

extern const struct sw_kind sw_kind_association;
extern const char *const sw_assoc_shares[];     /* "alerts", "cases", "none", NULL */
extern const char *const sw_assoc_forwards[];   /* "none", "affected", NULL */

enum sw_assoc_share {
    SW_SHARE_NOTHING = 0,   /* not a member, only invited, or a member sharing "none" */
    SW_SHARE_ALERTS = 1,
    SW_SHARE_CASES = 2,     /* alerts too */
};

/* Creates an association from in (name, country, email, forward_to_members; checked against
 * sw_kind_association's fields; borrowed) with its subscriber record. SW_OK with *out (caller
 * decrefs), SW_EAGAIN. */
int sw_assoc_create(struct sw_store *s, const json_t *in, json_t **out);

/* --- membership ------------------------------------------------------------------------ */

/* Invites subscriber sub to association a. SW_OK with *out (the member record), SW_CONFLICT
 * when sub is invited or a member already, SW_EAGAIN. */
int sw_assoc_invite(struct sw_store *s, long long a, long long sub, json_t **out);

/* The member sets what it shares (share: one of sw_assoc_shares); an invitation becomes a
 * membership. SW_OK with *out, SW_NOTFOUND (not invited), SW_EAGAIN. */
int sw_assoc_consent(struct sw_store *s, long long a, long long sub, const char *share,
                     json_t **out);

/* sub leaves a (or declines its invitation, or the association withdraws it). SW_OK,
 * SW_NOTFOUND, SW_EAGAIN. */
int sw_assoc_leave(struct sw_store *s, long long a, long long sub);

/* Every member record of a as an object subscriber id -> record (caller decrefs). */
int sw_assoc_members(struct sw_store *s, long long a, json_t **out);

/* The associations sub is invited to or a member of: object association id -> record. */
int sw_assoc_of(struct sw_store *s, long long sub, json_t **out);

/* What a member record (borrowed, may be NULL) lets the association see. */
enum sw_assoc_share sw_assoc_share_of(const json_t *record);

/* The subscriber ids of a's members that share at least `least`, ascending (a JSON array of
 * integers, caller decrefs). */
int sw_assoc_sharing(struct sw_store *s, long long a, enum sw_assoc_share least, json_t **out);

/* --- matters --------------------------------------------------------------------------- */

/* The key that ties events into one matter: "inv:<337 investigation>", "docket:<court>:<no>"
 * or "event:<id>", into out. */
void sw_matter_key(const json_t *event, char *out, size_t outlen);

/* A matter (SW_OK with *doc, SW_NOTFOUND, SW_EAGAIN) and its subscribers: object subscriber
 * id -> alert id (caller decrefs both). subs may be NULL. */
int sw_matter_get(struct sw_store *s, long long id, json_t **doc, json_t **subs);

/* Matter ids, newest first: of association a, or every one with a 0. */
int sw_matter_ids(struct sw_store *s, long long a, int limit, json_t **ids);

/* The next number of a notice sent about matter id (1, 2, ...): SW_OK with *seq or
 * SW_EAGAIN. */
int sw_matter_notice_seq(struct sw_store *s, long long id, long long *seq);

/* The first matter any of the case's alerts (doc["alerts"]) is linked to, as {id, title}, or
 * NULL when none (new reference). */
json_t *sw_matter_of_case(struct sw_store *s, const json_t *case_doc);

/* --- the matcher's part ------------------------------------------------------------------ */

/* What the matcher knows of associations while it works through one batch of events: loaded
 * on first use (sw_assoc_batch_load), dropped with sw_assoc_batch_free. */
struct sw_assoc_batch {
    int loaded;
    json_t *assocs;    /* object association id -> {doc, members} */
};

/* After an event's alerts are stored: hits are the subscribers it alerted (n of them, 0 too)
 * with their alerts' severities. Forwards a copy to each member of an association that chose
 * forward_to_members "affected" whose markets or portfolio countries include the event's
 * jurisdiction and that the event did not alert itself, and links the alerts of two or more
 * sharing members of one association into a matter (or into the matter already made for the
 * same docket or investigation). With partitioned matchers (matcher.partitions > 1; cfg's
 * matcher.partition is ours) hits are our partition's only: every partition's matcher calls
 * this for every event it processes, hits or not, and the result is the same as with one
 * partition (the partitions meet in the event's hash; forwarding waits until every partition
 * is done with the event). *stored counts the alerts stored. SW_OK, or SW_EAGAIN / SW_ERR
 * (s->errstr): the event should be tried again (everything done is idempotent). */
int sw_assoc_event(struct sw_store *s, const struct sw_config *cfg, struct sw_assoc_batch *b,
                   const json_t *event, const long long *hits, const char *const *severities,
                   size_t n, int *stored);

void sw_assoc_batch_free(struct sw_assoc_batch *b);

#endif
