/* alerts.c — an exporter's alerts, newest first (the full inbox — filters, status changes,
 * counts, the live stream — grows here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/store.h"
#include "api.h"

void sw_h_alerts_list(struct sw_ctx *c)
{
    char zkey[64], max[32], lim[24];
    const char *cur = sw_query(c, "cursor"), *lm = sw_query(c, "limit");
    long long before = INT64_MAX, limit = 50;
    redisReply *ids, *docs = NULL;
    const char **argv = NULL;
    char (*keys)[96] = NULL;
    json_t *items = json_array();
    size_t i, n;

    if ((cur != NULL && sw_parse_ll(cur, 0, INT64_MAX, &before) != SW_OK) ||
        (lm != NULL && sw_parse_ll(lm, 1, 200, &limit) != SW_OK)) {
        json_decref(items);
        sw_reply_problem(c, 400, "validation", "Invalid request", NULL,
                         "cursor must come from this list and limit be 1 to 200");
        return;
    }
    snprintf(zkey, sizeof(zkey), "sw:{sub:%lld}:alerts", c->who.subject);
    snprintf(max, sizeof(max), "(%lld", before);
    snprintf(lim, sizeof(lim), "%lld", limit + 1);
    ids = sw_store_cmd(c->store, "ZREVRANGEBYSCORE", zkey, max, "-inf", "WITHSCORES", "LIMIT",
                       "0", lim, NULL);
    if (ids == NULL) {
        json_decref(items);
        sw_reply_store(c, SW_EAGAIN, "listing alerts");
        return;
    }
    n = ids->type == REDIS_REPLY_ARRAY ? ids->elements / 2 : 0;
    if (n > (size_t)limit)
        n = (size_t)limit;
    if (n > 0) {
        argv = calloc(n + 1, sizeof(*argv));
        keys = calloc(n, sizeof(*keys));
        if (argv != NULL && keys != NULL) {
            argv[0] = "MGET";
            for (i = 0; i < n; i++) {
                snprintf(keys[i], sizeof(keys[i]), "sw:{sub:%lld}:alert:%s", c->who.subject,
                         ids->element[2 * i]->str);
                argv[i + 1] = keys[i];
            }
            docs = sw_store_cmdv(c->store, (int)n + 1, argv, NULL);
        }
    }
    for (i = 0; docs != NULL && i < docs->elements; i++)
        if (docs->element[i]->type == REDIS_REPLY_STRING)
            json_array_append_new(items, json_loadb(docs->element[i]->str,
                                                    docs->element[i]->len, 0, NULL));
    {
        long long next = ids->elements / 2 > (size_t)limit
                             ? sw_reply_int(ids->element[2 * (limit - 1) + 1], 0) : 0;

        sw_reply_json(c, 200, sw_page_json(items, next));
    }
    if (docs != NULL)
        freeReplyObject(docs);
    freeReplyObject(ids);
    free(argv);
    free(keys);
}

void sw_h_alerts_get(struct sw_ctx *c)
{
    const char *id = sw_param(c, "id");
    char key[128];
    redisReply *r;
    size_t i;

    for (i = 0; id[i] != '\0'; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f') || id[i] == '_' ||
              id[i] == 'l'))
            break;
    if (id[i] != '\0' || strncmp(id, "al_", 3) != 0 || strlen(id) != 35) {
        sw_reply_not_found(c);
        return;
    }
    snprintf(key, sizeof(key), "sw:{sub:%lld}:alert:%s", c->who.subject, id);
    r = sw_store_cmd(c->store, "GET", key, NULL);
    if (r == NULL) {
        sw_reply_store(c, SW_EAGAIN, "loading an alert");
        return;
    }
    if (r->type != REDIS_REPLY_STRING) {
        freeReplyObject(r);
        sw_reply_not_found(c);
        return;
    }
    sw_reply_json(c, 200, json_loadb(r->str, r->len, 0, NULL));
    freeReplyObject(r);
}
