/* delivery.h — where a subscriber's alerts go besides the inbox, and the deliveries that take
 * them there. Shared by the API (settings, webhooks, the delivery list, replay, unsubscribe)
 * and seawall-notifier (which makes the deliveries).
 *
 * Keys (built in keys.h), under the subscriber's hash tag unless noted:
 *   sw:{sub:N}:delivery          settings JSON (emails, email_mode, digest hour and zone, floor,
 *                                lang and tz: the subscriber's language and time zone)
 *   sw:{sub:N}:webhooks          hash id -> webhook JSON (kind, url, floor, enabled, secrets;
 *                                a messenger robot's "sign_secret")
 *   sw:{sub:N}:mrate:<hash>      a messenger robot's recent sends (messenger.h)
 *   sw:{sub:N}:whstate:<id>      hash the notifier keeps: failing_since, last_success_at,
 *                                last_error, disabled_at (ms)
 *   sw:{sub:N}:dlv:<id>          one delivery (JSON): kind webhook | email | digest | reminder
 *   sw:{sub:N}:dlv:<id>:attempts list of its attempts, newest first, capped
 *   sw:{sub:N}:dlvs              sorted set of delivery ids, newest first by score
 *   sw:{sub:N}:dlog              stream: every attempt (the delivery log), capped
 *   sw:{sub:N}:digest            sorted set of alert ids waiting for the daily digest
 *   sw:{sub:N}:digested          sorted set of alert ids put in the digest in the last 7 days
 *                                (so an alert announced twice is not digested twice)
 * and, per deliveries shard K = sw_dlv_shard(N) (the shard of the deliveries stream that
 * carries N's alerts; tag {deliveries:K}, the slot of that shard's stream):
 *   sw:{deliveries:K}:due        sorted set "N|<id>" -> when the next attempt is due
 *                                (N 0 is the platform itself: account mail to people, kind
 *                                "account", queued by the API; see people.h)
 *   sw:{deliveries:K}:leases     hash "N|<id>" -> until when a notifier holds it (ms):
 *                                set as an attempt starts, removed with its outcome
 *   sw:{deliveries:K}:digest:due sorted set N -> when the subscriber's digest is due
 *   sw:secret:unsubscribe        (shared) key for unsubscribe links
 * No script or MULTI joins a subscriber's keys with a shard's: each change is made in steps,
 * the record first and its place in a schedule after, and each function below says what a
 * crash between its steps leaves. */
#ifndef SEAWALL_DELIVERY_H
#define SEAWALL_DELIVERY_H

#include <jansson.h>

#include "seawall/common.h"
#include "seawall/json.h"

struct sw_store;
struct sw_config;

extern const char *const sw_severities[];   /* "low" … "critical", NULL-terminated */

/* 1..4 for low..critical, 0 for anything else. */
int sw_severity_rank(const char *s);

/* --- settings --- */

extern const struct sw_jfield sw_delivery_fields[];

/* Checks what sw_json_check cannot: the time zone names a zone ICU knows (sw_zone_valid). */
void sw_delivery_check(const json_t *in, struct sw_verrs *errs);

/* The settings, with defaults for what was never set (no addresses: mail goes nowhere; lang
 * and tz those of the person holding the account's address, else the country's — China:
 * zh-CN, Asia/Shanghai — else en, UTC; digest_tz the tz). SW_OK with *out, or SW_EAGAIN.
 * What the notifier acts on. */
int sw_delivery_get(struct sw_store *s, long long sub, json_t **out);

/* The settings as the exporter sees them: sw_delivery_get's, and "emails_default": while no
 * address list was ever saved, "emails" offers the account's address (the subscriber's
 * "email") and emails_default is true — nothing is mailed to it until a list is saved; once
 * one is (even an empty one), emails_default is false; "defaults" names each of lang, tz
 * and digest_tz still at its default with where the value comes from ("person", "country",
 * "seawall"; "tz" for digest_tz). SW_OK with *out, or SW_EAGAIN. */
int sw_delivery_view(struct sw_store *s, long long sub, json_t **out);

/* Merges patch (checked) into the stored settings; a member null in patch is removed (its
 * default applies again). SW_OK with *out (as sw_delivery_view
 * gives them), or SW_EAGAIN. */
int sw_delivery_patch(struct sw_store *s, long long sub, const json_t *patch, json_t **out);

/* The next time (ms) after now_ms at which a local day in zone tz reaches hour:00
 * (sw_zone_next_hour: safe from any thread), or -1 for a bad zone or hour. */
int64_t sw_digest_next(int hour, const char *tz, int64_t now_ms);

/* --- webhooks --- */

extern const struct sw_jfield sw_webhook_fields[];

/* Checks what the field table cannot: the url against the endpoint's kind (a messenger's URL
 * form, see messenger.h) and the network rules (sw_url_check against the allow-list text
 * net.allow_private; unreadable counts as empty), the signing secret against the kind, and
 * that a stored endpoint's kind does not change (stored NULL: a new endpoint). The notifier
 * checks the URL again before every attempt and the address of every connection. */
void sw_webhook_check_url(const json_t *in, const json_t *stored, const char *allow_private,
                          struct sw_verrs *errs);

/* A new secret "whsec_" + base64 of 24 random bytes, into out (>= 40 bytes). */
void sw_webhook_secret(char *out, size_t outlen);

/* Stores a new webhook; *out includes the secret (shown once) of a generic endpoint; a
 * messenger robot keeps the signing secret it was given as "sign_secret". SW_TOOBIG past
 * max. */
int sw_webhook_create(struct sw_store *s, long long sub, const json_t *in, long long max,
                      json_t **out);

/* One webhook with its secrets (for signing) or SW_NOTFOUND. */
int sw_webhook_get(struct sw_store *s, long long sub, long long id, json_t **out);

/* Every webhook of sub, an array, with secrets. SW_OK or SW_EAGAIN. */
int sw_webhook_all(struct sw_store *s, long long sub, json_t **out);

/* Replaces the stored webhook (its "id" says which). SW_OK or SW_EAGAIN. */
int sw_webhook_put(struct sw_store *s, long long sub, const json_t *wh);

/* Deletes one. SW_OK or SW_NOTFOUND. */
int sw_webhook_delete(struct sw_store *s, long long sub, long long id);

/* What a client may see: no secrets (a DingTalk or Feishu robot says "signed"), "kind", the
 * notifier's state merged in. Steals nothing. */
json_t *sw_webhook_public(struct sw_store *s, long long sub, const json_t *wh);

/* Secrets still signing at now_ms. */
json_t *sw_webhook_live_secrets(const json_t *wh, int64_t now_ms);

/* The webhook-signature value for (id, ts, body): "v1,<b64>" for each live secret,
 * separated by spaces. Returns SW_OK or SW_ERR (no usable secret). */
int sw_webhook_sign(const json_t *secrets, const char *msg_id, long long ts, const char *body,
                    size_t bodylen, char *out, size_t outlen);

/* --- deliveries --- */

/* The deliveries shard (0 .. redis.stream_shards - 1) of subscriber sub (0: the platform):
 * where its alerts' stream entries, due deliveries, leases and schedules live. */
int sw_dlv_shard(const struct sw_store *s, long long sub);

/* A delivery taken from a due set: whose and which. */
struct sw_dlv_ref {
    long long sub;
    char id[40];
};

/* The delivery id for (what, target): "dl_" + 32 hex digits. out >= 36 bytes. */
void sw_dlv_id(long long sub, const char *what, const char *target, char *out, size_t outlen);

/* Stores job (must carry "id") once, indexed and due at due_ms. *created 1 or 0. Called
 * again for a job stored before, it puts a pending one back in the due set if a crash left it
 * out (a due time or lease it has stays); a finished one is left alone: a delivery done is
 * never made again this way. SW_OK, SW_EAGAIN or SW_ERR. */
int sw_dlv_enqueue(struct sw_store *s, long long sub, json_t *job, int64_t due_ms,
                   int *created);

int sw_dlv_get(struct sw_store *s, long long sub, const char *id, json_t **out);

/* Puts a finished delivery back in the queue from its first attempt, its url now the
 * webhook's current one (the notifier refreshes it again at every attempt, and each attempt
 * records the URL it went to). SW_CONFLICT when it is still pending (being delivered or
 * waiting for a retry). */
int sw_dlv_replay(struct sw_store *s, long long sub, const char *id, json_t **out);

/* "Retry now": makes a pending delivery due at once instead of at its next scheduled
 * attempt (its attempts so far and its schedule after this one unchanged). SW_OK with *out
 * the delivery; SW_CONFLICT with *out when it is not pending (delivered, exhausted,
 * cancelled: replay those) or an attempt is being made right now (a notifier holds its
 * lease: "status" pending); SW_NOTFOUND; SW_EAGAIN. */
int sw_dlv_retry(struct sw_store *s, long long sub, const char *id, json_t **out);

/* Claims up to max deliveries due at now_ms, over every shard, each held by a lease until
 * now_ms + lease_ms (a notifier that dies leaves it to come back then). *n gets how many.
 * SW_OK (also with some) or SW_EAGAIN. */
int sw_dlv_claim(struct sw_store *s, int64_t now_ms, int64_t lease_ms, struct sw_dlv_ref *out,
                 size_t max, size_t *n);

/* Takes a claimed delivery out of the due set for good (gone, or not pending). */
int sw_dlv_unqueue(struct sw_store *s, const struct sw_dlv_ref *ref);

/* Stores job (a claimed delivery of sub) as waiting for its robot's rate limit, due again at
 * at_ms; its lease given up. Sets job's next_attempt_at and waiting_for. */
int sw_dlv_postpone(struct sw_store *s, long long sub, json_t *job, int64_t at_ms);

/* Stores the outcome of an attempt at job (as it now is: status, attempts, ...) of sub: the
 * record, attempt (the JSON of the attempt log: attempt, at, url, outcome, status_code,
 * latency_ms, error) in its attempts and in the delivery log, then due again at next_ms
 * (0: finished) and its lease given up. SW_OK or SW_EAGAIN (it comes back after its lease). */
int sw_dlv_record_attempt(struct sw_store *s, long long sub, const json_t *job,
                          const json_t *attempt, int64_t next_ms);

/* One page of sub's deliveries, newest first from below cursor (0: the newest), status and
 * kind (NULL: any) filtering, examining at most scan_max: *items (an array), *next the cursor
 * to go on from or 0. SW_OK or SW_EAGAIN. */
int sw_dlv_page(struct sw_store *s, long long sub, const char *status, const char *kind,
                long long cursor, int limit, long long scan_max, json_t **items,
                long long *next);

/* The attempts of delivery id, newest first: *out an array (empty for none). */
int sw_dlv_attempts(struct sw_store *s, long long sub, const char *id, json_t **out);

/* The delivery log of sub, newest first from below cursor (a stream id, NULL: the newest),
 * limit (>= 1) entries: *out {"items": [...], "next": log id or null}. */
int sw_dlv_log(struct sw_store *s, long long sub, const char *cursor, int limit, json_t **out);

/* --- an endpoint's failure record (sw:{sub:N}:whstate:<id>) --- */

/* 1 when the notifier disabled webhook wid (it failed too long), else 0. */
int sw_webhook_disabled(struct sw_store *s, long long sub, long long wid);

/* Enabled again by its owner: the record of its failures starts afresh. */
int sw_webhook_state_reset(struct sw_store *s, long long sub, long long wid);

/* A delivery to wid succeeded at now_ms: its failure streak ends. */
int sw_webhook_succeeded(struct sw_store *s, long long sub, long long wid, int64_t now_ms);

/* A delivery to wid failed with error: *since gets when its failure streak began (ms). */
int sw_webhook_failed(struct sw_store *s, long long sub, long long wid, const char *error,
                      int64_t now_ms, long long *since);

/* Disables wid (failing too long); *now_disabled 1 when this call did it, 0 when it already
 * was. */
int sw_webhook_disable(struct sw_store *s, long long sub, long long wid, int64_t now_ms,
                       int *now_disabled);

/* --- digests --- */

/* Puts alert in sub's digest, due at due_ms unless scheduled already; an alert put there in the
 * last 7 days is not put there again. */
int sw_digest_add(struct sw_store *s, long long sub, const char *alert, int64_t due_ms);

/* Up to max subscribers whose digest is due at now_ms, over every shard, into subs. */
int sw_digest_due(struct sw_store *s, int64_t now_ms, size_t max, long long *subs, size_t *n);

/* The oldest max alerts waiting in sub's digest: *ids (an array), first the score of the
 * first (names the digest) and upto that of the last ("0" and unchanged when none). */
int sw_digest_pending(struct sw_store *s, long long sub, int max, json_t **ids, char *first,
                      size_t firstlen, char *upto, size_t uptolen);

/* The digest up to score upto was made: those alerts leave it, and the next digest is due at
 * next_ms if any are left (else none is scheduled until an alert comes). */
int sw_digest_done(struct sw_store *s, long long sub, const char *upto, int64_t next_ms);

/* "Send the digest now": *waiting gets how many alerts wait; when any, the digest is due now. */
int sw_digest_send_now(struct sw_store *s, long long sub, long long *waiting);

/* Queues a signed test event for webhook wid (a fixed payload, "type": "webhook.test"),
 * delivered, logged and retried like an alert's, but never counted in the endpoint's
 * failure record and sent even while the endpoint is disabled. SW_OK with *out the delivery
 * (its id is the webhook-id the receiver sees), SW_NOTFOUND, SW_EAGAIN. */
int sw_webhook_test(struct sw_store *s, long long sub, long long wid, json_t **out);

/* 1 when text is "dl_" + 32 hex digits. */
int sw_dlv_id_valid(const char *text);

/* --- unsubscribe links --- */

/* The token for (sub, email), base64url of an HMAC under a key kept in Redis (made on first
 * use). out >= 48 bytes. SW_OK or SW_EAGAIN. */
int sw_unsub_token(struct sw_store *s, long long sub, const char *email, char *out,
                   size_t outlen);

#endif
