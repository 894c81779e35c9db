/* ratelimit.h — how often one caller may ask: GCRA (the generic cell rate algorithm) kept
 * in Redis, one Lua script per request, so every API process and thread shares one count.
 *
 * A caller is a token it presents that exists — named by the token's public id whether or not
 * the secret is right, so guessing one token's secret is slowed like any other use of it — or
 * a signed-in person (every session of one person shares one count), or else the address it
 * comes from: no token, a malformed one, or an id no token has (the script asks whether the
 * token record exists, so an invented id neither earns a fresh count nor writes a key). A
 * caller may make `burst` requests at once and `per_s` a second after that; past it the answer
 * is 429 with Retry-After.
 *
 * Keys, each script touching one cluster slot: sw:rl:ip:<address>, and the count of a record
 * in the record's slot — sw:rl:{sw:tok:<id>} for a token (hashed as the token's record
 * sw:tok:<id> is), sw:rl:{person:N} for a person (as sw:{person:N}:profile). Each is kept a
 * minute at least, and until its caller is back to a full burst (ratelimit.c says why). */
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
    char count[64];    /* the record's count, in its slot; used when the record exists */
};

/* The caller's keys from the Authorization header (a bearer token's id) and remote_addr
 * (may be NULL). */
void sw_rate_caller(struct sw_rate_caller *rc, const char *authorization,
                    const char *remote_addr);

/* The keys of a signed-in person (every session of one person shares one count). */
void sw_rate_caller_person(struct sw_rate_caller *rc, long long person,
                           const char *remote_addr);

/* Counts one request of the caller: its record's count when it has a record that exists,
 * else its address's (a round trip more for a record that does not exist). SW_OK with
 * *retry_ms 0 when it may go on, or with the milliseconds (at least 1) until it may; SW_EAGAIN
 * / SW_ERR when Redis did not answer. */
int sw_rate_take(struct sw_store *s, const struct sw_rate_caller *rc, const struct sw_rate *r,
                 long long *retry_ms);

/* As sw_rate_take, counting the address whatever the record. */
int sw_rate_take_addr(struct sw_store *s, const struct sw_rate_caller *rc,
                      const struct sw_rate *r, long long *retry_ms);

/* The record's count as one command that also reads fields of the record (a hash), to send
 * with other commands in one round trip (lib/auth.c sends it with the token's account).
 * Fills cmd, whose argv points into cmd, rc and fields (keep them while it is used), with
 * EVALSHA once the script is known to the server, and returns argc; 0 when the script is not
 * known yet (use sw_rate_record_eval) or rc has no record. A period of 0 counts nothing. */
#define SW_RATE_FIELDS_MAX 12
struct sw_rate_cmd {
    int argc;
    const char *argv[7 + SW_RATE_FIELDS_MAX];
    char period[24], tolerance[24];
};
int sw_rate_record_argv(struct sw_rate_cmd *cmd, const struct sw_store *s,
                        const struct sw_rate_caller *rc, const struct sw_rate *r, int nfields,
                        const char *const *fields);

/* The same command in a round trip of its own, loading the script where the server lacks it.
 * Returns the reply (caller frees) or NULL when Redis did not answer. */
struct redisReply *sw_rate_record_eval(struct sw_store *s, const struct sw_rate_caller *rc,
                                       const struct sw_rate *r, int nfields,
                                       const char *const *fields);

/* The reply to such a command, asked for nfields fields: SW_OK with *retry_ms as
 * sw_rate_take gives it and the fields' values in reply->element[1..nfields]; SW_NOTFOUND when
 * the record does not exist (nothing was counted: count the address); SW_ERR for an error
 * reply (NOSCRIPT after a Redis restart: send it again with sw_rate_record_eval). */
int sw_rate_record_reply(const struct redisReply *reply, int nfields, long long *retry_ms);

#endif
