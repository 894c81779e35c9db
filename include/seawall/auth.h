/* auth.h — bearer tokens: random, shown once, stored only as a SHA-256 hash, revocable.
 *
 * A token reads "swt_<id>_<secret>": <id> is 16 hex digits naming the record
 * (sw:tok:<id>), drawn so that the record lies in its account's cluster slot (one node serves
 * a request's record, count and account); <secret> is 32 random bytes in unpadded base64url. Lookup goes by id, so the
 * secret is never used as a key; the hash of the presented secret is compared with the stored
 * one in constant time. Tokens are high-entropy, so a fast hash is right here (Argon2id is for
 * passwords a person chooses). */
#ifndef SEAWALL_AUTH_H
#define SEAWALL_AUTH_H

#include <jansson.h>
#include "seawall/common.h"

struct sw_store;
struct sw_kind;
struct sw_rate;

enum sw_role {
    SW_ROLE_NONE     = 0,
    SW_ROLE_EXPORTER = 1 << 0,  /* one subscriber; subject = subscriber id */
    SW_ROLE_TRIAGER  = 1 << 1,  /* centre staff; subject = staff id, centre = their centre */
    SW_ROLE_EXPERT   = 1 << 2,  /* centre staff; as triager */
    SW_ROLE_STATION  = 1 << 3,  /* one show's service station; subject = station id */
    SW_ROLE_ADMIN    = 1 << 4,  /* everything; subject 0 */
    SW_ROLE_ASSOCIATION = 1 << 5,  /* an association's people; subject = association id */
};
#define SW_ROLE_STAFF (SW_ROLE_TRIAGER | SW_ROLE_EXPERT)
#define SW_ROLE_ANY   (SW_ROLE_EXPORTER | SW_ROLE_STAFF | SW_ROLE_STATION | SW_ROLE_ADMIN | \
                       SW_ROLE_ASSOCIATION)

#define SW_TOKEN_ID_LEN   16
#define SW_TOKEN_MAX      80     /* "swt_" + 16 + "_" + 43 + NUL fits */

/* Who is calling, as the token says. */
struct sw_principal {
    enum sw_role role;
    long long subject;                 /* subscriber, staff or station id; 0 for admin */
    long long centre;                  /* the staff member's centre, else 0 */
    char token_id[SW_TOKEN_ID_LEN + 1];   /* empty for a session */
    char label[128];
    char expires_at[32];               /* when the token stops working (ISO 8601), "" never */
    int64_t expires_ms;                /* the same in ms since the epoch, 0 never */
    long long person;                  /* the person acting (people.h), 0 for a bare token */
    int via_session;                   /* 1: the session cookie, not a bearer token */
    int limited;                       /* a session that may only set up TOTP */
    char session[65];                  /* the session's key hash when via_session */
};

const char *sw_role_name(enum sw_role r);

/* The kind of account a role's subject is (subscriber, staff, station), or NULL (admin). */
const struct sw_kind *sw_auth_account_kind(enum sw_role role);
int sw_role_parse(const char *s, enum sw_role *out);

/* Checks that subject names an account fit for role (an exporter a subscriber, a triager or
 * expert a staff member of that role, a station a station; admin subject 0); sets *centre
 * for staff. SW_OK, SW_INVALID (err says why) or SW_EAGAIN. */
int sw_auth_subject_check(struct sw_store *s, enum sw_role role, long long subject,
                          long long *centre, char *err, size_t errlen);

/* Makes a new random token. id gets SW_TOKEN_ID_LEN+1 bytes, token SW_TOKEN_MAX bytes. */
int sw_token_generate(char *id, char *token);

/* As sw_token_generate, with an id whose record (sw:tok:<id>) lies in cluster slot slot
 * (0..16383; -1: any), so the record shares a node with another key of that slot. */
int sw_token_generate_in_slot(char *id, char *token, int slot);

/* Splits "swt_<id>_<secret>". Returns SW_OK with id copied and *secret pointing into token,
 * or SW_INVALID when the text is not of that form. */
int sw_token_split(const char *token, char *id, const char **secret);

/* SHA-256 of the secret as 64 hex digits plus NUL. */
void sw_token_hash(const char *secret, size_t len, char *hex);

/* Constant-time comparison of the presented secret's hash with the stored hex hash.
 * Returns 1 when they match. */
int sw_token_verify(const char *secret, const char *stored_hex);

/* Creates a token record for role and subject (checked against the accounts: an exporter
 * token needs an existing subscriber, a triager or expert token a staff member of that role,
 * a station token a station), refused from expires_ms on (ms since the epoch, in the future;
 * 0: never). person is the person who made it for their own principal (shown as "person" and
 * listed in their token index), 0 for an admin's token. On success *out is the record
 * including "token", the only time the secret is shown. Returns SW_OK, SW_INVALID (err says
 * why), SW_EAGAIN (Redis down). */
int sw_auth_token_create(struct sw_store *s, enum sw_role role, long long subject,
                         long long person, const char *label, int64_t expires_ms, json_t **out,
                         char *err, size_t errlen);

/* The person's tokens, newest first (at most limit). */
int sw_auth_token_list_person(struct sw_store *s, long long person, int limit, json_t **items);

/* The request limit (ratelimit.h) as a token lookup counts it: the rate and the caller's
 * address in, and out how long the caller must wait (0: it may go on). */
struct sw_auth_limit {
    const struct sw_rate *rate;    /* NULL: count nothing */
    const char *remote_addr;       /* may be NULL */
    long long retry_ms;
};

/* The public id of the token in an Authorization header value ("Bearer swt_<id>_…"), into id
 * (SW_TOKEN_ID_LEN + 1 bytes), without looking it up. SW_OK, or SW_NOTFOUND when the header
 * is absent or holds no token. */
int sw_auth_bearer_id(const char *authorization, char *id);

/* The Redis key of token id's record ("sw:tok:<id>") into out (at least 24 bytes). */
void sw_auth_token_key(const char *id, char *out, size_t outlen);

/* Resolves an Authorization header value ("Bearer swt_…"). Returns SW_OK with *p filled,
 * SW_NOTFOUND when the header is absent, malformed, unknown, revoked or wrong, SW_CONFLICT
 * when the secret is right but the token has expired (p->expires_at says when; nothing else
 * in *p may be used), SW_EAGAIN when Redis cannot be asked, SW_ERR when it refused.
 *
 * With limit, one request is counted against the token's count when its record exists
 * (whatever the secret), else against the address, and limit->retry_ms says whether the
 * caller is over its limit (a caller over it is refused whatever the answer). A token this
 * thread has verified costs one round trip with its revocation check and the count; an id no
 * token has costs a second (the address's count).
 *
 * Each use is recorded as the minute it happened in (the token's last_used_at), at most once a
 * minute per token, in the round trip that checks revocation; only a token's first request on
 * an API thread costs a second round trip. */
int sw_auth_lookup(struct sw_store *s, const char *authorization, struct sw_principal *p,
                   struct sw_auth_limit *limit);

/* As sw_auth_lookup, and also loads the caller's account (subscriber, staff member or
 * station; admins have none) into *account (caller decrefs; NULL when there is none). A token
 * this thread has verified before is checked for revocation, counted, and its account read in
 * one round trip: only revocation can change a token record, and it is asked every time. */
int sw_auth_lookup_account(struct sw_store *s, const char *authorization,
                           struct sw_principal *p, json_t **account,
                           struct sw_auth_limit *limit);

/* Marks the token revoked; it is refused from the next request on. SW_NOTFOUND if no such. */
int sw_auth_token_revoke(struct sw_store *s, const char *id, json_t **out);

/* One token record without its hash (with expires_at and last_used_at, null when none), or
 * SW_NOTFOUND. */
int sw_auth_token_get(struct sw_store *s, const char *id, json_t **out);

/* Lists token records oldest first after cursor (a record's "seq"; 0 for the start), at most
 * limit. *next is the cursor of the next page, 0 when this was the last. */
int sw_auth_token_list(struct sw_store *s, long long after, int limit, json_t **items,
                       long long *next);

#endif
