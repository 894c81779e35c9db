/* session.h — sign-in sessions in Redis, named by a cookie.
 *
 * A session id is 32 random bytes in unpadded base64url (43 characters), sent to the browser
 * in the cookie sw_session and never stored: Redis keeps the session under the SHA-256 of the
 * id, so a copy of the database opens no session. A session ends when it has not been used for
 * the idle limit, at its absolute limit, or when it is ended (sign-out, password change or
 * reset, the person ending it from their list).
 *
 * Keys:
 *   sw:sess:<sha256 hex>          hash: person, role, subject, centre, csrf, created, last,
 *                                 expires (ms), limited, addr, ua, lang; its TTL follows the
 *                                 idle limit (the times in it are what is checked)
 *   sw:{person:N}:sessions        sorted set of the person's session hashes by creation */
#ifndef SEAWALL_SESSION_H
#define SEAWALL_SESSION_H

#include <stdint.h>
#include <jansson.h>

#include "seawall/auth.h"
#include "seawall/common.h"

struct sw_store;

#define SW_SESSION_ID_LEN 43
#define SW_SESSION_PUBID_LEN 16   /* a session's public id: the first hex digits of its key */
#define SW_SESSION_COOKIE "sw_session"

struct sw_session {
    char key[65];                 /* SHA-256 hex of the id */
    long long person;
    enum sw_role role;
    long long subject, centre;
    char csrf[48];                /* the per-session CSRF token (X-CSRF-Token) */
    int64_t created_ms, last_ms, expires_ms;
    int limited;                  /* may only set up TOTP */
    char lang[8];
};

struct sw_session_limits {
    int64_t idle_ms;              /* people.session_idle_s */
    int64_t absolute_ms;          /* people.session_absolute_s */
};

/* The sw_session cookie's value in a Cookie header, into id (SW_SESSION_ID_LEN + 1): SW_OK,
 * or SW_NOTFOUND when there is none of the right form. */
int sw_session_cookie(const char *cookie_header, char *id);

/* Starts a session for person (the stored document: id, role, subject, centre, lang) at
 * now_ms. id gets the new id (SW_SESSION_ID_LEN + 1), *out the session. SW_OK or SW_EAGAIN. */
int sw_session_create(struct sw_store *s, const json_t *person, const char *addr,
                      const char *ua, int limited, int64_t now_ms,
                      const struct sw_session_limits *lim, char *id, struct sw_session *out);

/* The session of id if it is live at now_ms (and marks it used, at most once a second):
 * SW_OK, SW_NOTFOUND (unknown, ended or past a limit), SW_EAGAIN, SW_ERR.
 *
 * With limit, one request is counted against the session's person (every session of one
 * person shares one count), or against limit->remote_addr when there is no live session;
 * limit->retry_ms says whether the caller is over its limit. With account (caller decrefs;
 * NULL when the role has none), the account of the session's role and subject is read too.
 * A session this thread has seen before costs one round trip for all of it (its person and
 * account are known before it is read); a new one two. */
int sw_session_lookup(struct sw_store *s, const char *id, int64_t now_ms,
                      const struct sw_session_limits *lim, struct sw_session *out,
                      struct sw_auth_limit *limit, json_t **account);

/* Ends the session stored under key (of person), and notes its public id on the live
 * streams' stream (seawall/live.h), so that its open live streams end too. SW_OK,
 * SW_NOTFOUND, or SW_EAGAIN. */
int sw_session_end(struct sw_store *s, long long person, const char *key);

/* Ends every session of person but except (a key, or NULL for all). */
int sw_session_end_all(struct sw_store *s, long long person, const char *except);

/* The session of person whose public id (the first 16 hex digits of its key) is pubid, into
 * key (65 bytes). SW_OK or SW_NOTFOUND. */
int sw_session_find(struct sw_store *s, long long person, const char *pubid, char *key);

/* The person's live sessions, oldest first: {id, created_at, last_seen_at, expires_at,
 * address, user_agent, current}. Forgets ended ones as it goes. */
int sw_session_list(struct sw_store *s, long long person, const char *current, int64_t now_ms,
                    const struct sw_session_limits *lim, json_t **items);

/* Sets the language of every session of person (the person changed theirs). */
int sw_session_set_lang(struct sw_store *s, long long person, const char *lang);

/* Lifts a session's TOTP-setup limit. */
int sw_session_unlimit(struct sw_store *s, const char *key);

/* Fills a principal from a session. */
void sw_session_principal(const struct sw_session *ss, struct sw_principal *p);

#endif
