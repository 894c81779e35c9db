/* idempotency.c — Idempotency-Key records in Redis (see idempotency.h). */
#include <stdio.h>
#include <string.h>

#include "seawall/idempotency.h"
#include "seawall/keys.h"
#include "seawall/store.h"

void sw_idem_key(const char *role, long long subject, long long person, const char *header_hash,
                 char *key)
{
    sw_strlcpy(key, swk_idem(role, subject, person, header_hash).s, SW_IDEM_KEY_MAX);
}

int sw_idem_claim(struct sw_store *s, const char *key, const char *fp, json_t **prev)
{
    char pending[128];
    redisReply *r;

    *prev = NULL;
    snprintf(pending, sizeof(pending), "{\"state\":\"pending\",\"fp\":\"%.64s\"}", fp);
    r = sw_store_cmd(s, "SET", key, pending, "NX", "EX", "60", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_STATUS) {
        freeReplyObject(r);
        return SW_OK;
    }
    freeReplyObject(r);
    r = sw_store_cmd(s, "GET", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *prev = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return SW_CONFLICT;
}

int sw_idem_keep(struct sw_store *s, const char *key, const char *rec, long long ttl_s)
{
    char ttl[32];
    redisReply *r;

    snprintf(ttl, sizeof(ttl), "%lld", ttl_s);
    r = sw_store_cmd(s, "SET", key, rec, "EX", ttl, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

void sw_idem_release(struct sw_store *s, const char *key)
{
    redisReply *r = sw_store_cmd(s, "DEL", key, NULL);

    if (r != NULL)
        freeReplyObject(r);
}
