/* ratelimit.h — how often one caller may ask: GCRA (the generic cell rate algorithm) kept
 * in Redis, one Lua script per request, so every API process and thread shares one count.
 *
 * A caller is a token it presents that exists — named by the token's public id whether or not
 * the secret is right, so guessing one token's secret is slowed like any other use of it — or
 * else the address it comes from: no token, a malformed one, or an id no token has (the script
 * asks whether the token record exists, so an invented id neither earns a fresh count nor
 * writes a key). A caller may make `burst` requests at once and `per_s` a second after that;
 * past it the answer is 429 with Retry-After. Key: sw:rl:<token id> or sw:rl:ip:<address>,
 * expiring once the caller is back to a full burst. */
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

/* The keys one request may be counted under. */
struct sw_rate_caller {
    char addr[80];     /* sw:rl:ip:<address>: always */
    char record[48];   /* the token's record (sw:tok:<id>) or the person's profile; "" without */
    char count[32];    /* sw:rl:<id> or sw:rl:p:<person>, used when the record exists */
};

/* The caller's keys from the Authorization header (a bearer token's id) and remote_addr
 * (may be NULL). */
void sw_rate_caller(struct sw_rate_caller *rc, const char *authorization,
                    const char *remote_addr);

/* The keys of a signed-in person (every session of one person shares one count). */
void sw_rate_caller_person(struct sw_rate_caller *rc, long long person,
                           const char *remote_addr);

/* Counts one request of the caller. SW_OK with *retry_ms 0 when it may go on, or with the
 * milliseconds (at least 1) until it may; SW_EAGAIN / SW_ERR when Redis did not answer. */
int sw_rate_take(struct sw_store *s, const struct sw_rate_caller *rc, const struct sw_rate *r,
                 long long *retry_ms);

/* The count as a command to send in another round trip (sw_auth_extra): fills argv
 * (SW_RATE_ARGV entries, pointing into bufs and rc) with EVALSHA once the script is known to
 * the server, and returns argc; 0 when it is not known yet (use sw_rate_take) or there is no
 * limit. */
#define SW_RATE_ARGV 8
int sw_rate_argv(const struct sw_store *s, const struct sw_rate_caller *rc,
                 const struct sw_rate *r, const char **argv, char bufs[2][24]);

/* The reply to such a command: SW_OK with *retry_ms as sw_rate_take gives it, or SW_ERR
 * (NOSCRIPT after a Redis restart, or another error: count again with sw_rate_take). */
int sw_rate_reply(const struct redisReply *reply, long long *retry_ms);

#endif
