/* ratelimit.c — GCRA request limits in Redis (see ratelimit.h). */
#include <stdio.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "seawall/auth.h"
#include "seawall/accounts.h"
#include "seawall/keys.h"
#include "seawall/people.h"
#include "seawall/ratelimit.h"
#include "seawall/store.h"

/* How long a count is kept at least (ms). A count past its caller's burst is worth nothing
 * (a TAT before now counts as now), but each key that expires costs a DEL in the AOF — with
 * appendfsync always, an fsync on Redis's one thread — so a caller that pauses longer than its
 * count would last (2 ms at the benchmark's limit) made one each time. */
#define RL_KEEP_MS "60000"

/* The count itself, the body of both scripts (inlined rather than a Lua function, which
 * would be made anew on every call): the key named by `key` holds the theoretical arrival
 * time (TAT) of the caller's next request, in µs of the server's clock. A request at now is
 * allowed when TAT - tolerance <= now; TAT then moves on by one period. Leaves in `wait` 0, or
 * the ms to wait; a period of 0 counts nothing. The count is not written to the AOF (nor to
 * replicas): it is worth nothing after a restart, and with appendfsync always each request
 * would have cost an fsync (the authenticated read benchmark fell from 11,846 to 5,755
 * requests/s). */
#define GCRA_LUA                                                                           \
    "local wait = 0\n"                                                                     \
    "local period, tol = tonumber(ARGV[1]), tonumber(ARGV[2])\n"                           \
    "if period > 0 then\n"                                                                 \
    "  redis.set_repl(redis.REPL_NONE)\n"                                                  \
    "  local t = redis.call('TIME')\n"                                                     \
    "  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"                            \
    "  local tat = tonumber(redis.call('GET', key) or '0')\n"                              \
    "  if tat < now then tat = now end\n"                                                  \
    "  if tat - tol > now then\n"                                                          \
    "    wait = math.ceil((tat - tol - now) / 1000)\n"                                     \
    "  else\n"                                                                             \
    "    tat = tat + period\n"                                                             \
    "    redis.call('SET', key, string.format('%.0f', tat), 'PX',\n"                       \
    "               math.max(math.ceil((tat - now) / 1000) + 1, " RL_KEEP_MS "))\n"       \
    "  end\n"                                                                              \
    "end\n"

/* KEYS[1] the address's count; ARGV[1] period, ARGV[2] tolerance (µs). One key, one slot. */
static const char addr_lua[] =
    "local key = KEYS[1]\n"
    GCRA_LUA
    "return wait\n";

/* KEYS[1] the caller's record, KEYS[2] its count (one slot: the count's hash tag is the
 * record's); ARGV[1] period, ARGV[2] tolerance (µs), ARGV[3..] fields of the record (a hash)
 * to read. Answers { -1 } and writes nothing when the record does not exist (an invented id
 * earns no count of its own), else { 0 or the ms to wait, the fields' values… }. */
static const char record_lua[] =
    "if redis.call('EXISTS', KEYS[1]) == 0 then return { -1 } end\n"
    "local key = KEYS[2]\n"
    GCRA_LUA
    "if #ARGV == 2 then return { wait } end\n"
    "return { wait, unpack(redis.call('HMGET', KEYS[1], unpack(ARGV, 3))) }\n";

void sw_rate_init(struct sw_rate *r, long long per_s, long long burst)
{
    r->period_us = per_s > 0 ? 1000000 / per_s : 0;
    if (per_s > 0 && r->period_us == 0)
        r->period_us = 1;
    r->tolerance_us = r->period_us * (burst > 1 ? burst - 1 : 0);
}

/* The count of record, in record's cluster slot: "sw:rl:{<tag>}" where tag is the record's
 * hash tag, or the whole record key when it has none (a key without a tag is hashed whole, so
 * "sw:rl:{sw:tok:<id>}" lives in the slot of "sw:tok:<id>"). */
static void count_key(const char *record, char *out, size_t outlen)
{
    const char *open = strchr(record, '{'), *close = open ? strchr(open + 1, '}') : NULL;
    char tag[48];

    if (open != NULL && close != NULL && close > open + 1)
        snprintf(tag, sizeof(tag), "%.*s", (int)(close - open - 1), open + 1);
    else
        sw_strlcpy(tag, record, sizeof(tag));
    sw_strlcpy(out, swk_rate_count(tag).s, outlen);
}

static void set_addr(struct sw_rate_caller *rc, const char *remote_addr)
{
    size_t i;

    sw_strlcpy(rc->addr, swk_rate_addr(remote_addr != NULL ? remote_addr : "-").s,
               sizeof(rc->addr));
    /* an address is no key syntax: keep it printable */
    for (i = strlen(swk_rate_addr("").s); rc->addr[i] != '\0'; i++)
        if ((unsigned char)rc->addr[i] <= ' ' || (unsigned char)rc->addr[i] >= 0x7f ||
            rc->addr[i] == '{' || rc->addr[i] == '}')
            rc->addr[i] = '_';
}

void sw_rate_caller(struct sw_rate_caller *rc, const char *authorization,
                    const char *remote_addr)
{
    char id[SW_TOKEN_ID_LEN + 1];

    set_addr(rc, remote_addr);
    rc->record[0] = rc->count[0] = '\0';
    if (sw_auth_bearer_id(authorization, id) == SW_OK) {
        sw_auth_token_key(id, rc->record, sizeof(rc->record));
        count_key(rc->record, rc->count, sizeof(rc->count));
    }
}

void sw_rate_caller_person(struct sw_rate_caller *rc, long long person,
                           const char *remote_addr)
{
    set_addr(rc, remote_addr);
    sw_doc_key(&sw_kind_person, person, rc->record, sizeof(rc->record));
    count_key(rc->record, rc->count, sizeof(rc->count));
}

static void rate_args(const struct sw_rate *r, char period[24], char tol[24])
{
    snprintf(period, 24, "%lld", r->period_us);
    snprintf(tol, 24, "%lld", r->tolerance_us);
}

int sw_rate_take_addr(struct sw_store *s, const struct sw_rate_caller *rc,
                      const struct sw_rate *r, long long *retry_ms)
{
    char period[24], tol[24];
    const char *keys[1] = { rc->addr }, *args[2] = { period, tol };

    *retry_ms = 0;
    if (r->period_us == 0)
        return SW_OK;
    rate_args(r, period, tol);
    return sw_store_eval_int(s, addr_lua, 1, keys, 2, args, retry_ms);
}

int sw_rate_record_argv(struct sw_rate_cmd *cmd, const struct sw_store *s,
                        const struct sw_rate_caller *rc, const struct sw_rate *r, int nfields,
                        const char *const *fields)
{
    const char *sha = sw_store_script_sha(s, record_lua);
    int i;

    cmd->argc = 0;
    if (sha == NULL || rc->record[0] == '\0' || nfields < 0 || nfields > SW_RATE_FIELDS_MAX)
        return 0;
    rate_args(r, cmd->period, cmd->tolerance);
    cmd->argv[0] = "EVALSHA";
    cmd->argv[1] = sha;
    cmd->argv[2] = "2";
    cmd->argv[3] = rc->record;
    cmd->argv[4] = rc->count;
    cmd->argv[5] = cmd->period;
    cmd->argv[6] = cmd->tolerance;
    for (i = 0; i < nfields; i++)
        cmd->argv[7 + i] = fields[i];
    cmd->argc = 7 + nfields;
    return cmd->argc;
}

redisReply *sw_rate_record_eval(struct sw_store *s, const struct sw_rate_caller *rc,
                                const struct sw_rate *r, int nfields, const char *const *fields)
{
    char period[24], tol[24];
    const char *keys[2] = { rc->record, rc->count }, *args[2 + SW_RATE_FIELDS_MAX];
    int i;

    if (rc->record[0] == '\0' || nfields < 0 || nfields > SW_RATE_FIELDS_MAX)
        return NULL;
    rate_args(r, period, tol);
    args[0] = period;
    args[1] = tol;
    for (i = 0; i < nfields; i++)
        args[2 + i] = fields[i];
    return sw_store_eval(s, record_lua, 2, keys, 2 + nfields, args);
}

int sw_rate_record_reply(const redisReply *reply, int nfields, long long *retry_ms)
{
    *retry_ms = 0;
    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY || reply->elements < 1 ||
        reply->element[0]->type != REDIS_REPLY_INTEGER)
        return SW_ERR;
    if (reply->element[0]->integer < 0)
        return SW_NOTFOUND;
    if (reply->elements != (size_t)nfields + 1)
        return SW_ERR;
    *retry_ms = reply->element[0]->integer;
    return SW_OK;
}

int sw_rate_take(struct sw_store *s, const struct sw_rate_caller *rc, const struct sw_rate *r,
                 long long *retry_ms)
{
    redisReply *rep;
    int res;

    *retry_ms = 0;
    if (r->period_us == 0)
        return SW_OK;
    if (rc->record[0] == '\0')
        return sw_rate_take_addr(s, rc, r, retry_ms);
    rep = sw_rate_record_eval(s, rc, r, 0, NULL);
    if (rep == NULL)
        return SW_EAGAIN;
    res = sw_rate_record_reply(rep, 0, retry_ms);
    freeReplyObject(rep);
    if (res == SW_NOTFOUND)   /* no such record: the caller is its address */
        return sw_rate_take_addr(s, rc, r, retry_ms);
    return res;
}
