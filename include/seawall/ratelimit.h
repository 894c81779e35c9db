/* ratelimit.h — how often one caller may ask: GCRA (the generic cell rate algorithm) kept
 * in Redis, one Lua script per request, so every API process and thread shares one count.
 *
 * A caller is the token it presents — named by the token's public id whether or not the
 * secret is right, so guessing one token's secret is slowed like any other use of it — or,
 * with no token, the address it comes from. A caller may make `burst` requests at once and
 * `per_s` a second after that; past it the answer is 429 with Retry-After. Key:
 * sw:rl:<token id> or sw:rl:ip:<address>, expiring once the caller is back to a full burst. */
#ifndef SEAWALL_RATELIMIT_H
#define SEAWALL_RATELIMIT_H

#include "seawall/common.h"

struct sw_store;
struct redisReply;

struct sw_rate {
    long long period_us;       /* time one request uses up at the steady rate; 0: no limit */
    long long tolerance_us;    /* how far ahead of now a caller may be: the burst */
};

/* The rate for per_s requests a second after a burst of burst (per_s 0: no limit). */
void sw_rate_init(struct sw_rate *r, long long per_s, long long burst);

/* The caller's key from the Authorization header (a bearer token's id) or, without one,
 * remote_addr (may be NULL). out gets at least 80 bytes. */
void sw_rate_key(const char *authorization, const char *remote_addr, char *out, size_t outlen);

/* Counts one request of key. SW_OK with *retry_ms 0 when it may go on, or with the
 * milliseconds (at least 1) until it may; SW_EAGAIN / SW_ERR when Redis did not answer. */
int sw_rate_take(struct sw_store *s, const char *key, const struct sw_rate *r,
                 long long *retry_ms);

/* The count of key as a command to send in another round trip (sw_auth_extra): fills argv
 * (at least 6 entries, pointing into bufs and key) with EVALSHA once the script is known to
 * the server, and returns argc; 0 when it is not known yet (use sw_rate_take) or there is no
 * limit. */
int sw_rate_argv(const struct sw_store *s, const char *key, const struct sw_rate *r,
                 const char **argv, char bufs[2][24]);

/* The reply to such a command: SW_OK with *retry_ms as sw_rate_take gives it, or SW_ERR
 * (NOSCRIPT after a Redis restart, or another error: count again with sw_rate_take). */
int sw_rate_reply(const struct redisReply *reply, long long *retry_ms);

#endif
