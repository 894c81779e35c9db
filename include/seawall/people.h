/* people.h — people who sign in: accounts attached to the tenant records (an exporter person
 * to a subscriber, a triager or expert to a staff member, a station person to a station, an
 * admin to nothing), their passwords (Argon2id), second factor (TOTP, RFC 6238), audit log,
 * sign-in throttling, single-use mail tokens (sign-up, reset, invitation) and account mail.
 *
 * Keys:
 *   sw:{person:N}:profile       the person (JSON; secrets pwhash, totp_secret, totp_pending are
 *                               never shown: sw_person_public strips them)
 *   sw:idx:persons, sw:seq:person
 *   sw:person:email:<sha256>    "<id>:<ms claimed>" of the person with that address
 *                               (lower-cased), unique; a claim naming no profile is skipped
 *   sw:{person:N}:audit         list of audit entries (JSON), newest first, capped
 *   sw:{person:N}:totp_last     the last TOTP time step accepted (no code is used twice)
 *   sw:{person:N}:seen          hashes of (address, user agent) pairs seen signing in
 *   sw:{person:N}:tokens        sorted set seq -> id of the API tokens the person made
 *   sw:{person:N}:invites       hash invitation id -> "<token hash>:<ms>" of invitations sent
 *   sw:ot:<kind>:<sha256>       a single-use mail token (signup, reset, invite), JSON, with TTL
 *   sw:thr:acct:<sha256>        sign-in failures of one address (email) in the window
 *   sw:thr:ip:<address>         sign-in failures from one client address in the window */
#ifndef SEAWALL_PEOPLE_H
#define SEAWALL_PEOPLE_H

#include <stdint.h>
#include <jansson.h>

#include "seawall/accounts.h"
#include "seawall/auth.h"
#include "seawall/common.h"

struct sw_store;
struct sw_config;

#define SW_PW_MIN 10          /* characters a password has at least */
#define SW_PW_MAX 1024        /* bytes a password has at most */
#define SW_PWHASH_MAX 128     /* a stored hash string (crypto_pwhash_STRBYTES) */
#define SW_OT_TOKEN_MAX 48    /* a mail token: 43 base64url characters and NUL */
#define SW_TOTP_SECRET_MAX 40 /* base32 of 20 bytes (32) and NUL */

extern const struct sw_kind sw_kind_person;
extern const char *const sw_langs[];   /* "en", "zh-CN", NULL */

/* --- passwords --------------------------------------------------------------------------- */

struct sw_pwparams {
    unsigned long long opslimit;   /* people.argon2_opslimit */
    size_t memlimit;               /* people.argon2_memlimit, bytes */
};

void sw_pwparams_from(const struct sw_config *cfg, struct sw_pwparams *p);

/* An Argon2id hash string of pw (it names its own parameters) into out (SW_PWHASH_MAX).
 * SW_OK, or SW_ERR when the memory could not be had. */
int sw_password_hash(const struct sw_pwparams *p, const char *pw, char *out);

/* 1 when pw matches stored. With stored NULL (no such account) pw is checked against a
 * dummy hash of the same parameters, so the answer takes as long, and 0 is returned. */
int sw_password_verify(const struct sw_pwparams *p, const char *stored, const char *pw);

/* 1 when stored was made with other parameters than p (sign-in hashes it again). */
int sw_password_needs_rehash(const struct sw_pwparams *p, const char *stored);

/* Checks a new password's length; adds to errs under pointer. */
void sw_password_check(const json_t *pw, const char *pointer, struct sw_verrs *errs);

/* --- persons ----------------------------------------------------------------------------- */

/* Creates a person from in (email, name, role, subject, centre, team_role, lang, tz,
 * verified), with pwhash (may be NULL: no password yet). Checks the tenant record as tokens
 * do (sets centre for staff). SW_OK with *out (the stored document; caller decrefs),
 * SW_CONFLICT (the address has a person), SW_INVALID (err says why), SW_EAGAIN. */
int sw_person_create(struct sw_store *s, const json_t *in, const char *pwhash, json_t **out,
                     char *err, size_t errlen);

/* The stored document with secrets, or SW_NOTFOUND. */
int sw_person_get(struct sw_store *s, long long id, json_t **out);

/* The id of the person with email (any case), or SW_NOTFOUND. */
int sw_person_by_email(struct sw_store *s, const char *email, long long *id);

/* Merges patch (null deletes a member) into person id. SW_OK with *out (may be NULL). */
int sw_person_update(struct sw_store *s, long long id, const json_t *patch, json_t **out);

/* What the person and others may see: no secrets. New reference. */
json_t *sw_person_public(const json_t *doc);

/* Persons with id > after, public views. */
int sw_person_list(struct sw_store *s, long long after, int limit, json_t **items,
                   long long *next);

/* The persons of subscriber's team (exporters attached to it) with id > after, ascending, at
 * most limit: {id, name, email, team_role, totp_enabled, verified, created_at} each (new
 * references in *items, caller decrefs). *next is the cursor of the next page, 0 at the end. */
int sw_person_team(struct sw_store *s, long long subscriber, long long after, int limit,
                   json_t **items, long long *next);

/* Records that person signed in from (addr, ua). 1 when that pair is new and the person has
 * signed in before (worth a notice), else 0. */
int sw_person_seen(struct sw_store *s, long long person, const char *addr, const char *ua);

/* --- the audit log ----------------------------------------------------------------------- */

/* Adds an entry {at, event, address, user_agent, detail?} to person's log (capped at max).
 * Best effort: a failure is logged, not returned. */
void sw_audit(struct sw_store *s, long long person, long long max, const char *event,
              const char *addr, const char *ua, const char *detail);

/* Entries from offset (newest first), at most limit; *next is the next offset or 0. */
int sw_audit_list(struct sw_store *s, long long person, long long offset, int limit,
                  json_t **items, long long *next);

/* --- sign-in throttling ------------------------------------------------------------------ */

struct sw_throttle {
    long long window_s;          /* people.signin_window_s */
    long long per_account;       /* people.signin_fail_account */
    long long per_address;       /* people.signin_fail_address */
};

void sw_throttle_from(const struct sw_config *cfg, struct sw_throttle *t);

/* Whether sign-in for email from addr may be tried: SW_OK with *retry_s 0, or with the
 * seconds until it may (at least 1). SW_EAGAIN when Redis did not answer. */
int sw_throttle_check(struct sw_store *s, const struct sw_throttle *t, const char *email,
                      const char *addr, long long *retry_s);

/* Counts one failure for email and addr. */
void sw_throttle_fail(struct sw_store *s, const struct sw_throttle *t, const char *email,
                      const char *addr);

/* Forgets email's failures (after a right sign-in). */
void sw_throttle_clear(struct sw_store *s, const char *email);

/* --- single-use mail tokens -------------------------------------------------------------- */

/* Stores payload (borrowed; "expires_ms" is added) under a new random token of kind, valid
 * until now_ms + ttl_s (checked against the caller's clock; Redis forgets it a minute after).
 * token gets SW_OT_TOKEN_MAX bytes; hash (65 bytes, may be NULL) the stored name. */
int sw_onetime_put(struct sw_store *s, const char *kind, const json_t *payload, int64_t now_ms,
                   long long ttl_s, char *token, char *hash);

/* Takes the token (it can be used once): SW_OK with *payload, SW_NOTFOUND when unknown,
 * used or expired at now_ms. peek reads it without taking it. */
int sw_onetime_take(struct sw_store *s, const char *kind, const char *token, int64_t now_ms,
                    json_t **payload);
int sw_onetime_peek(struct sw_store *s, const char *kind, const char *token, int64_t now_ms,
                    json_t **payload);

/* Reads the token stored under hash (its SHA-256 hex), as peek does. */
int sw_onetime_by_hash(struct sw_store *s, const char *kind, const char *hash, int64_t now_ms,
                       json_t **payload);

/* Deletes the token stored under hash (a revoked invitation). */
int sw_onetime_drop(struct sw_store *s, const char *kind, const char *hash);

/* --- invitations ------------------------------------------------------------------------ */

#define SW_INVITE_ID_LEN 16   /* an invitation's public id: the first hex digits of its hash */

/* A new invitation from person: payload kept ttl_s as the single-use token of kind "invite"
 * (token gets it, SW_OT_TOKEN_MAX) and listed in person's invitations under pub
 * (SW_INVITE_ID_LEN + 1). SW_OK or SW_EAGAIN. */
int sw_invite_put(struct sw_store *s, long long person, const json_t *payload, int64_t now_ms,
                  long long ttl_s, char *token, char *pub);

/* person's invitations still open: their payloads with "id" (the public id) added, into
 * *items (caller decrefs). Entries whose invitation is gone are dropped. */
int sw_invite_list(struct sw_store *s, long long person, int64_t now_ms, json_t **items);

/* Revokes person's invitation pub: SW_OK, SW_NOTFOUND or SW_EAGAIN. */
int sw_invite_revoke(struct sw_store *s, long long person, const char *pub);

/* Takes the invitation of token (accepted) out of person's list; best effort. */
void sw_invite_forget(struct sw_store *s, long long person, const char *token);

/* --- TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps) ---------------------------------------- */

/* A new random 20-byte secret as unpadded base32 into b32 (SW_TOTP_SECRET_MAX). */
int sw_totp_secret(char *b32);

/* The otpauth:// URI for an authenticator app (issuer Seawall). */
void sw_totp_uri(const char *email, const char *b32, char *out, size_t outlen);

/* Checks code against the secret at now_ms with one step either side. SW_OK with *step the
 * time step it matched, or SW_INVALID. */
int sw_totp_check(const char *b32, const char *code, int64_t now_ms, long long *step);

/* Records step as used by person: SW_OK, or SW_CONFLICT when a code of this step or a later
 * one was accepted before (a replayed code). */
int sw_totp_use(struct sw_store *s, long long person, long long step);

/* --- account mail ------------------------------------------------------------------------ */

/* Queues a mail for seawall-notifier (a delivery of kind "account" in the platform's own
 * queue, subscriber 0): to, subject and the text and HTML bodies. SW_OK or SW_EAGAIN. */
int sw_account_mail(struct sw_store *s, const char *to, const char *subject, const char *text,
                    const char *html);

/* Helpers that need no store: the lower-cased SHA-256 hex of an address (65 bytes). */
void sw_email_hash(const char *email, char *hex);

#endif
