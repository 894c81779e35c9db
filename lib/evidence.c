/* evidence.c — the evidence quota's counters: one per tenant, reserved before an upload's
 * bytes are read and given back when the upload is not recorded. */
#include <stdio.h>

#include "seawall/evidence.h"
#include "seawall/keys.h"
#include "seawall/store.h"

/* KEYS[1] the counter; ARGV[1] bytes wanted, ARGV[2] the quota. Answers the new count, or
 * -1 - the count when the bytes would pass the quota (nothing changed). */
static const char reserve_lua[] =
    "local held = tonumber(redis.call('GET', KEYS[1]) or '0') "
    "local n = tonumber(ARGV[1]) "
    "if held + n > tonumber(ARGV[2]) then return -1 - held end "
    "return redis.call('INCRBY', KEYS[1], n)";

void sw_evidence_quota_key(long long sub, const char *show, char *out, size_t n)
{
    if (sub > 0)
        snprintf(out, n, "%s", swk_sub_evidence_bytes(sub).s);
    else
        snprintf(out, n, "%s", swk_show_evidence_bytes(show ? show : "").s);
}

int sw_evidence_reserve(struct sw_store *s, const char *key, long long n, long long quota,
                        long long *held)
{
    char want[24], max[24];
    const char *keys[] = { key }, *args[] = { want, max };
    long long v = 0;
    int rc;

    snprintf(want, sizeof(want), "%lld", n);
    snprintf(max, sizeof(max), "%lld", quota);
    rc = sw_store_eval_int(s, reserve_lua, 1, keys, 2, args, &v);
    if (rc != SW_OK)
        return rc;
    *held = v < 0 ? -1 - v : v;
    return v < 0 ? SW_TOOBIG : SW_OK;
}

int sw_evidence_release(struct sw_store *s, const char *key, long long n)
{
    char by[24];
    redisReply *r;

    snprintf(by, sizeof(by), "%lld", n);
    r = sw_store_cmd(s, "DECRBY", key, by, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}
