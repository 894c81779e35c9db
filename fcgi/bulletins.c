/* bulletins.c — early-warning bulletins: centre staff publish them; anyone may read them
 * (no token); each becomes a "bulletin" event, so the matcher alerts exporters whose markets
 * or keywords it concerns. The bulletin, its index entry and its event are written by one
 * script: all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/config.h"
#include "seawall/feedreg.h"
#include "seawall/i18n.h"
#include "seawall/store.h"
#include "api.h"

static const char *const severities[] = { "low", "medium", "high", "critical", NULL };

static const struct sw_jfield bulletin_fields[] = {
    { "title", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "country", SW_J_STRING, SW_JF_REQUIRED, 2, 2, NULL },
    { "keywords", SW_J_STRINGS, 0, 0, 50, NULL },
    { "severity", SW_J_STRING, SW_JF_REQUIRED, 1, 16, severities },
    { "text", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 20000, NULL },
    { "url", SW_J_STRING, 0, 1, 2000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* KEYS: bulletin, index, event key, events stream. ARGV: bulletin json, id, event json,
 * event id, event ttl, stream maxlen. */
static const char publish_lua[] =
    "redis.call('SET', KEYS[1], ARGV[1]) "
    "redis.call('ZADD', KEYS[2], ARGV[2], ARGV[2]) "
    "if redis.call('SET', KEYS[3], ARGV[3], 'NX', 'EX', ARGV[5]) then "
    "  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[6], '*', 'id', ARGV[4], 'event', ARGV[3]) "
    "end return 1";

void sw_h_bulletins_create(struct sw_ctx *c)
{
    const char *country;
    char key[64], evkey[96], evid[48], idtxt[24], ttl[24], maxlen[24], when[32], loc[64];
    const char *keys[4], *args[6];
    json_t *in, *ev, *kw;
    char *text = NULL, *evtext = NULL;
    struct sw_buf body;
    long long id, v;
    redisReply *r;
    size_t i;
    int rc;

    if (sw_body_object(c, bulletin_fields, 0, &in) != SW_OK)
        return;
    country = json_string_value(json_object_get(in, "country"));
    if (!sw_country_valid(country) && strcmp(country, "EM") != 0 && strcmp(country, "EU") != 0) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/country", "message",
                                   sw_tr(c->lang, "must be an ISO 3166 alpha-2 code (or EM/EU)")),
                         "country is not a country code");
        json_decref(in);
        return;
    }
    r = sw_store_cmd(c->store, "INCR", "sw:seq:bulletin", NULL);
    if (r == NULL) {
        json_decref(in);
        sw_reply_store(c, SW_EAGAIN, "numbering the bulletin");
        return;
    }
    id = sw_reply_int(r, 0);
    freeReplyObject(r);
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    json_object_set_new(in, "id", json_integer(id));
    json_object_set_new(in, "published_at", json_string(when));
    json_object_set_new(in, "published_by", json_pack("{s:s, s:I, s:I}", "role",
                                                      sw_role_name(c->who.role), "id",
                                                      (json_int_t)c->who.subject, "centre",
                                                      (json_int_t)c->who.centre));
    /* The event carries the keywords in its text, where the keyword rule looks. */
    sw_buf_init(&body, 64 * 1024);
    sw_buf_adds(&body, json_string_value(json_object_get(in, "text")));
    kw = json_object_get(in, "keywords");
    for (i = 0; i < json_array_size(kw); i++) {
        sw_buf_adds(&body, i == 0 ? "\nKeywords: " : ", ");
        sw_buf_adds(&body, json_string_value(json_array_get(kw, i)));
    }
    snprintf(evid, sizeof(evid), "bulletin:%lld", id);
    snprintf(loc, sizeof(loc), "/api/v1/bulletins/%lld", id);
    ev = json_pack("{s:s, s:s, s:s, s:O, s:s, s:O, s:s, s:O, s:I}", "id", evid, "source",
                   "bulletins", "type", "bulletin", "jurisdiction", json_object_get(in, "country"),
                   "date", when, "title", json_object_get(in, "title"), "text",
                   body.p ? body.p : "", "severity", json_object_get(in, "severity"),
                   "bulletin_id", (json_int_t)id);
    sw_buf_free(&body);
    if (ev != NULL)
        json_object_set_new(ev, "url", json_string(loc));
    text = sw_json_dumps(in);
    evtext = ev ? sw_json_dumps(ev) : NULL;
    json_decref(ev);
    if (text == NULL || evtext == NULL) {
        rc = SW_ERR;
        goto out;
    }
    snprintf(key, sizeof(key), "sw:bulletin:%lld", id);
    snprintf(evkey, sizeof(evkey), "sw:ev:%s", evid);
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    snprintf(ttl, sizeof(ttl), "%lld", sw_config_int(c->cfg, "events.ttl_s"));
    snprintf(maxlen, sizeof(maxlen), "%lld", sw_config_int(c->cfg, "events.maxlen"));
    keys[0] = key; keys[1] = "sw:idx:bulletins"; keys[2] = evkey; keys[3] = SW_EVENTS_STREAM;
    args[0] = text; args[1] = idtxt; args[2] = evtext; args[3] = evid; args[4] = ttl;
    args[5] = maxlen;
    rc = sw_store_eval_int(c->store, publish_lua, 4, keys, 6, args, &v);
out:
    free(text);
    free(evtext);
    if (rc != SW_OK) {
        json_decref(in);
        sw_reply_store(c, rc, "publishing the bulletin");
        return;
    }
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 201, in);
}

/* Newest first; ?country= and ?severity= filter (comma lists), ?cursor= is the last id seen. */
void sw_h_bulletins_list(struct sw_ctx *c)
{
    const char *country = sw_query(c, "country"), *sev = sw_query(c, "severity");
    long long after, next = 0, last = 0;
    char max[32];
    const char *argv[8];
    json_t *items = json_array();
    redisReply *r;
    size_t i;
    int limit, scanned = 0;

    if (sw_page_args(c, &after, &limit) != SW_OK) {
        json_decref(items);
        return;
    }
    snprintf(max, sizeof(max), after > 0 ? "(%lld" : "+inf", after);
    /* Filters are applied to batches; a scan bound keeps a narrow filter answering quickly. */
    while (json_array_size(items) < (size_t)limit && scanned < 5000) {
        argv[0] = "ZREVRANGEBYSCORE"; argv[1] = "sw:idx:bulletins"; argv[2] = max;
        argv[3] = "-inf"; argv[4] = "LIMIT"; argv[5] = "0"; argv[6] = "100";
        r = sw_store_cmdv(c->store, 7, argv, NULL);
        if (r == NULL) {
            json_decref(items);
            sw_reply_store(c, SW_EAGAIN, "listing bulletins");
            return;
        }
        if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
            freeReplyObject(r);
            last = 0;
            break;
        }
        for (i = 0; i < r->elements && json_array_size(items) < (size_t)limit; i++) {
            char key[64];
            redisReply *d;
            json_t *b;

            last = strtoll(r->element[i]->str, NULL, 10);
            scanned++;
            snprintf(key, sizeof(key), "sw:bulletin:%lld", last);
            d = sw_store_cmd(c->store, "GET", key, NULL);
            b = d != NULL && d->type == REDIS_REPLY_STRING ? json_loadb(d->str, d->len, 0, NULL)
                                                            : NULL;
            if (d != NULL)
                freeReplyObject(d);
            if (b == NULL)
                continue;
            if ((country == NULL || sw_in_list(country, json_string_value(json_object_get(b,
                                              "country")) ?: "")) &&
                (sev == NULL || sw_in_list(sev, json_string_value(json_object_get(b,
                                          "severity")) ?: "")))
                json_array_append_new(items, b);
            else
                json_decref(b);
        }
        freeReplyObject(r);
        snprintf(max, sizeof(max), "(%lld", last);
    }
    if (last > 0)
        next = last;
    if (next > 0) {   /* is there anything below? */
        r = sw_store_cmd(c->store, "ZREVRANGEBYSCORE", "sw:idx:bulletins", max, "-inf", "LIMIT",
                         "0", "1", NULL);
        if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements == 0)
            next = 0;
        if (r != NULL)
            freeReplyObject(r);
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

void sw_h_bulletins_get(struct sw_ctx *c)
{
    char key[64];
    long long id;
    redisReply *r;
    json_t *b;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    snprintf(key, sizeof(key), "sw:bulletin:%lld", id);
    r = sw_store_cmd(c->store, "GET", key, NULL);
    if (r == NULL) {
        sw_reply_store(c, SW_EAGAIN, "loading the bulletin");
        return;
    }
    b = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    if (b == NULL) {
        sw_reply_not_found(c);
        return;
    }
    sw_reply_json(c, 200, b);
}
