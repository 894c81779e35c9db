/* ratelimit.c — GCRA request limits in Redis (see ratelimit.h). */
#include <stdio.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "seawall/auth.h"
#include "seawall/accounts.h"
#include "seawall/people.h"
#include "seawall/ratelimit.h"
#include "seawall/store.h"

/* KEYS[1] the caller's address; with a token id also KEYS[2] the token's record and KEYS[3]
 * the token's count, the one used when the record exists: an invented id counts against the
 * address and writes no key of its own, and the check costs no round trip of its own.
 * ARGV[1] period, ARGV[2] tolerance (µs). The key holds the theoretical arrival time (TAT) of
 * the caller's next request, in µs of the server's clock. A request at now is allowed when
 * TAT - tolerance <= now; TAT then moves on by one period. Answers 0, or the ms to wait. The
 * count is not written to the AOF (nor to replicas): it is worth nothing after a restart, and
 * with appendfsync always each request would have cost an fsync (the authenticated read
 * benchmark fell from 11,846 to 5,755 requests/s). */
static const char gcra_lua[] =
    "redis.set_repl(redis.REPL_NONE)\n"
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
    "local period, tol = tonumber(ARGV[1]), tonumber(ARGV[2])\n"
    "local key = KEYS[1]\n"
    "if #KEYS == 3 and redis.call('EXISTS', KEYS[2]) == 1 then key = KEYS[3] end\n"
    "local tat = tonumber(redis.call('GET', key) or '0')\n"
    "if tat < now then tat = now end\n"
    "if tat - tol > now then return math.ceil((tat - tol - now) / 1000) end\n"
    "tat = tat + period\n"
    "redis.call('SET', key, string.format('%.0f', tat), 'PX',\n"
    "           math.ceil((tat - now) / 1000) + 1)\n"
    "return 0\n";

void sw_rate_init(struct sw_rate *r, long long per_s, long long burst)
{
    r->period_us = per_s > 0 ? 1000000 / per_s : 0;
    if (per_s > 0 && r->period_us == 0)
        r->period_us = 1;
    r->tolerance_us = r->period_us * (burst > 1 ? burst - 1 : 0);
}

void sw_rate_caller(struct sw_rate_caller *rc, const char *authorization,
                    const char *remote_addr)
{
    char id[SW_TOKEN_ID_LEN + 1];
    size_t i;

    snprintf(rc->addr, sizeof(rc->addr), "sw:rl:ip:%.64s", remote_addr != NULL ? remote_addr : "-");
    for (i = 6; rc->addr[i] != '\0'; i++)   /* an address is no key syntax: keep it printable */
        if ((unsigned char)rc->addr[i] <= ' ' || (unsigned char)rc->addr[i] >= 0x7f)
            rc->addr[i] = '_';
    rc->record[0] = rc->count[0] = '\0';
    if (sw_auth_bearer_id(authorization, id) == SW_OK) {
        sw_auth_token_key(id, rc->record, sizeof(rc->record));
        snprintf(rc->count, sizeof(rc->count), "sw:rl:%s", id);
    }
}

void sw_rate_caller_person(struct sw_rate_caller *rc, long long person,
                           const char *remote_addr)
{
    sw_rate_caller(rc, NULL, remote_addr);
    sw_doc_key(&sw_kind_person, person, rc->record, sizeof(rc->record));
    snprintf(rc->count, sizeof(rc->count), "sw:rl:p:%lld", person);
}

/* The keys of rc as the script takes them, into keys (3 entries); returns how many. */
static int caller_keys(const struct sw_rate_caller *rc, const char **keys)
{
    keys[0] = rc->addr;
    if (rc->record[0] == '\0')
        return 1;
    keys[1] = rc->record;
    keys[2] = rc->count;
    return 3;
}

int sw_rate_argv(const struct sw_store *s, const struct sw_rate_caller *rc,
                 const struct sw_rate *r, const char **argv, char bufs[2][24])
{
    const char *sha = sw_store_script_sha(s, gcra_lua);
    int nkeys;

    if (r->period_us == 0 || sha == NULL)
        return 0;
    snprintf(bufs[0], 24, "%lld", r->period_us);
    snprintf(bufs[1], 24, "%lld", r->tolerance_us);
    argv[0] = "EVALSHA";
    argv[1] = sha;
    nkeys = caller_keys(rc, argv + 3);
    argv[2] = nkeys == 1 ? "1" : "3";
    argv[3 + nkeys] = bufs[0];
    argv[4 + nkeys] = bufs[1];
    return 5 + nkeys;
}

int sw_rate_reply(const struct redisReply *reply, long long *retry_ms)
{
    if (reply == NULL || reply->type != REDIS_REPLY_INTEGER)
        return SW_ERR;
    *retry_ms = reply->integer;
    return SW_OK;
}

int sw_rate_take(struct sw_store *s, const struct sw_rate_caller *rc, const struct sw_rate *r,
                 long long *retry_ms)
{
    char period[24], tol[24];
    const char *keys[3], *args[2] = { period, tol };

    *retry_ms = 0;
    if (r->period_us == 0)
        return SW_OK;
    snprintf(period, sizeof(period), "%lld", r->period_us);
    snprintf(tol, sizeof(tol), "%lld", r->tolerance_us);
    return sw_store_eval_int(s, gcra_lua, caller_keys(rc, keys), keys, 2, args, retry_ms);
}
