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

#endif
