/* delivery.c — delivery settings, webhook endpoints and their secrets, the delivery queue and
 * unsubscribe tokens. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "seawall/accounts.h"
#include "seawall/delivery.h"
#include "seawall/i18n.h"
#include "seawall/messenger.h"
#include "seawall/net.h"
#include "seawall/people.h"
#include "seawall/store.h"
#include "seawall/zone.h"

const char *const sw_severities[] = { "low", "medium", "high", "critical", NULL };
static const char *const email_modes[] = { "immediate", "digest", "off", NULL };

int sw_severity_rank(const char *s)
{
    int i;

    for (i = 0; s != NULL && sw_severities[i] != NULL; i++)
        if (strcmp(s, sw_severities[i]) == 0)
            return i + 1;
    return 0;
}

/* --- settings ---------------------------------------------------------------------------- */

const struct sw_jfield sw_delivery_fields[] = {
    { "emails", SW_J_STRINGS, SW_JF_EMAIL, 0, 10, NULL },
    { "email_mode", SW_J_STRING, 0, 1, 16, email_modes },
    { "email_severity_floor", SW_J_STRING, 0, 1, 16, sw_severities },
    { "digest_hour", SW_J_INT, 0, 0, 23, NULL },
    { "digest_tz", SW_J_STRING, 0, 1, 64, NULL },
    { "lang", SW_J_STRING, 0, 2, 5, sw_langs },
    { "tz", SW_J_STRING, 0, 1, 64, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_delivery_check(const json_t *in, struct sw_verrs *errs)
{
    static const char *const zones[] = { "digest_tz", "tz" };
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(zones); i++) {
        const char *tz = json_string_value(json_object_get(in, zones[i]));
        char ptr[16];

        snprintf(ptr, sizeof(ptr), "/%s", zones[i]);
        if (tz != NULL && !sw_zone_valid(tz))
            sw_verrs_add(errs, ptr, "\"%.64s\" is not a time zone this server knows "
                         "(an IANA name such as Europe/Berlin or Asia/Shanghai)", tz);
    }
}

static void settings_key(long long sub, char *out, size_t outlen)
{
    snprintf(out, outlen, "sw:{sub:%lld}:delivery", sub);
}

/* The settings as stored: only what the exporter set (an empty object when nothing). */
static int settings_stored(struct sw_store *s, long long sub, json_t **out)
{
    char key[64];
    redisReply *r;
    json_t *doc = NULL;

    settings_key(sub, key, sizeof(key));
    r = sw_store_cmd(s, "GET", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_STRING)
        doc = json_loadb(r->str, r->len, 0, NULL);
    freeReplyObject(r);
    *out = doc != NULL ? doc : json_object();
    return SW_OK;
}

/* The language and zone of a subscriber that never set them: those of the person who holds
 * the account's address (who signed the company up), else the country's (China: zh-CN and
 * Asia/Shanghai), else English and UTC. A person's zone counts when it is not the UTC every
 * person starts with. from (NULL: not wanted) gets, for each member filled in here, where its
 * value came from: "person", "country" or "seawall". */
static void lang_defaults(struct sw_store *s, long long sub, json_t *doc, json_t *from)
{
    const char *lang = NULL, *tz = NULL, *country = NULL;
    const char *lang_from = "seawall", *tz_from = "seawall";
    json_t *profile = NULL, *person = NULL;
    long long pid;

    if (json_object_get(doc, "lang") != NULL && json_object_get(doc, "tz") != NULL)
        return;
    if (sw_doc_get(s, &sw_kind_subscriber, sub, &profile) == SW_OK) {
        const char *email = json_string_value(json_object_get(profile, "email"));

        country = json_string_value(json_object_get(profile, "country"));
        if (email != NULL && sw_person_by_email(s, email, &pid) == SW_OK &&
            sw_person_get(s, pid, &person) == SW_OK &&
            json_integer_value(json_object_get(person, "subject")) == sub &&
            strcmp(json_string_value(json_object_get(person, "role")) ?: "", "exporter") == 0) {
            lang = sw_lang_canonical(json_string_value(json_object_get(person, "lang")));
            tz = json_string_value(json_object_get(person, "tz"));
            if (tz != NULL && (strcmp(tz, "UTC") == 0 || !sw_zone_valid(tz)))
                tz = NULL;
            lang_from = lang != NULL ? "person" : lang_from;
            tz_from = tz != NULL ? "person" : tz_from;
        }
    }
    if (country != NULL && strcmp(country, "CN") == 0) {
        if (lang == NULL) {
            lang = SW_LANG_ZH_CN;
            lang_from = "country";
        }
        if (tz == NULL) {
            tz = "Asia/Shanghai";
            tz_from = "country";
        }
    }
    if (json_object_get(doc, "lang") == NULL) {
        json_object_set_new(doc, "lang", json_string(lang ?: SW_LANG_EN));
        if (from != NULL)
            json_object_set_new(from, "lang", json_string(lang_from));
    }
    if (json_object_get(doc, "tz") == NULL) {
        json_object_set_new(doc, "tz", json_string(tz ?: "UTC"));
        if (from != NULL)
            json_object_set_new(from, "tz", json_string(tz_from));
    }
    json_decref(person);
    json_decref(profile);
}

/* Fills in what was never set (lang and tz first: the digest's zone defaults to tz); from as
 * for lang_defaults ("tz" for a digest zone that follows tz). */
static void with_defaults(json_t *doc, json_t *from)
{
    if (json_object_get(doc, "emails") == NULL)
        json_object_set_new(doc, "emails", json_array());
    if (json_object_get(doc, "email_mode") == NULL)
        json_object_set_new(doc, "email_mode", json_string("immediate"));
    if (json_object_get(doc, "email_severity_floor") == NULL)
        json_object_set_new(doc, "email_severity_floor", json_string("high"));
    if (json_object_get(doc, "digest_hour") == NULL)
        json_object_set_new(doc, "digest_hour", json_integer(8));
    if (json_object_get(doc, "digest_tz") == NULL) {
        json_object_set_new(doc, "digest_tz",
                            json_string(json_string_value(json_object_get(doc, "tz")) ?: "UTC"));
        if (from != NULL)
            json_object_set_new(from, "digest_tz", json_string("tz"));
    }
}

int sw_delivery_get(struct sw_store *s, long long sub, json_t **out)
{
    int rc = settings_stored(s, sub, out);

    if (rc == SW_OK) {
        lang_defaults(s, sub, *out, NULL);
        with_defaults(*out, NULL);
    }
    return rc;
}

/* doc (stored settings) as the exporter sees them: defaults filled in, and named in
 * "defaults" with where each comes from; while no address list was ever saved, the account's
 * address offered (emails_default true). */
static int settings_view(struct sw_store *s, long long sub, json_t *doc)
{
    json_t *profile = NULL, *from = json_object();
    const char *email;
    int rc;

    lang_defaults(s, sub, doc, from);
    if (json_object_get(doc, "emails") != NULL) {
        with_defaults(doc, from);
        json_object_set_new(doc, "emails_default", json_false());
        json_object_set_new(doc, "defaults", from);
        return SW_OK;
    }
    rc = sw_doc_get(s, &sw_kind_subscriber, sub, &profile);
    if (rc != SW_OK && rc != SW_NOTFOUND) {
        json_decref(from);
        return rc;
    }
    email = json_string_value(json_object_get(profile, "email"));
    json_object_set_new(doc, "emails", email != NULL && sw_email_valid(email)
                                           ? json_pack("[s]", email) : json_array());
    json_object_set_new(doc, "emails_default", json_true());
    json_decref(profile);
    with_defaults(doc, from);
    json_object_set_new(doc, "defaults", from);
    return SW_OK;
}

int sw_delivery_view(struct sw_store *s, long long sub, json_t **out)
{
    int rc = settings_stored(s, sub, out);

    if (rc == SW_OK && (rc = settings_view(s, sub, *out)) != SW_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int sw_delivery_patch(struct sw_store *s, long long sub, const json_t *patch, json_t **out)
{
    char key[64];
    const char *name;
    json_t *doc, *v;
    void *tmp;
    redisReply *r;
    char *text;
    int rc = settings_stored(s, sub, &doc);

    if (rc != SW_OK)
        return rc;
    json_object_update(doc, (json_t *)patch);
    /* A member given as null is no longer set: its default applies again. */
    json_object_foreach_safe(doc, tmp, name, v) {
        if (json_is_null(v))
            json_object_del(doc, name);
    }
    text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        json_decref(doc);
        return SW_ERR;
    }
    settings_key(sub, key, sizeof(key));
    r = sw_store_cmd(s, "SET", key, text, NULL);
    free(text);
    if (r == NULL) {
        json_decref(doc);
        return SW_EAGAIN;
    }
    freeReplyObject(r);
    if ((rc = settings_view(s, sub, doc)) != SW_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return SW_OK;
}

int64_t sw_digest_next(int hour, const char *tz, int64_t now_ms)
{
    int64_t next;

    return sw_zone_next_hour(tz, hour, now_ms, &next) == SW_OK ? next : -1;
}

/* --- webhooks ---------------------------------------------------------------------------- */

const struct sw_jfield sw_webhook_fields[] = {
    { "url", SW_J_STRING, SW_JF_REQUIRED, 8, 2048, NULL },
    { "description", SW_J_STRING, 0, 0, 200, NULL },
    { "severity_floor", SW_J_STRING, 0, 1, 16, sw_severities },
    { "enabled", SW_J_BOOL, 0, 0, 0, NULL },
    { "kind", SW_J_STRING, 0, 1, 16, sw_webhook_kinds },
    { "secret", SW_J_STRING, 0, 1, SW_MSGR_SECRET_MAX, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_webhook_check_url(const json_t *in, const json_t *stored, const char *allow_private,
                          struct sw_verrs *errs)
{
    const char *url = json_string_value(json_object_get(in, "url"));
    const char *kind = json_string_value(json_object_get(in, "kind"));
    const char *secret = json_string_value(json_object_get(in, "secret"));
    struct sw_allowlist allow;
    char err[400];
    int k;

    if (stored != NULL) {
        k = sw_msgr_of(stored);
        if (kind != NULL && sw_msgr_kind(kind) != k) {
            sw_verrs_add(errs, "/kind", "cannot change once the endpoint exists (it is %s): "
                         "delete it and make a new one", sw_webhook_kinds[k]);
            return;
        }
    } else {
        k = sw_msgr_kind(kind);
    }
    if (k < 0)
        return;   /* sw_json_check named the kind */
    if (sw_allowlist_parse(allow_private, &allow, err, sizeof(err)) != SW_OK)
        allow.n = 0;
    if (url != NULL && sw_msgr_url_check(k, url, &allow, err, sizeof(err)) != SW_OK)
        sw_verrs_add(errs, "/url", "%s", err);
    if (sw_msgr_secret_check(k, secret, err, sizeof(err)) != SW_OK)
        sw_verrs_add(errs, "/secret", "%s", err);
}

void sw_webhook_secret(char *out, size_t outlen)
{
    unsigned char key[24];
    char b64[sodium_base64_ENCODED_LEN(24, sodium_base64_VARIANT_ORIGINAL)];

    randombytes_buf(key, sizeof(key));
    sodium_bin2base64(b64, sizeof(b64), key, sizeof(key), sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, outlen, "whsec_%s", b64);
    sodium_memzero(key, sizeof(key));
}

static void hooks_key(long long sub, char *out, size_t outlen)
{
    snprintf(out, outlen, "sw:{sub:%lld}:webhooks", sub);
}

int sw_webhook_put(struct sw_store *s, long long sub, const json_t *wh)
{
    char key[64], field[24];
    char *text = json_dumps(wh, JSON_COMPACT | JSON_PRESERVE_ORDER);
    redisReply *r;

    if (text == NULL)
        return SW_ERR;
    hooks_key(sub, key, sizeof(key));
    snprintf(field, sizeof(field), "%lld", (long long)json_integer_value(json_object_get(wh,
                                                                                       "id")));
    r = sw_store_cmd(s, "HSET", key, field, text, NULL);
    free(text);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

int sw_webhook_create(struct sw_store *s, long long sub, const json_t *in, long long max,
                      json_t **out)
{
    char key[64], seq[64], secret[64], when[32];
    redisReply *r;
    json_t *wh;
    long long id;
    int rc;

    hooks_key(sub, key, sizeof(key));
    r = sw_store_cmd(s, "HLEN", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    id = sw_reply_int(r, 0);
    freeReplyObject(r);
    if (id >= max)
        return SW_TOOBIG;
    snprintf(seq, sizeof(seq), "sw:{sub:%lld}:seq:webhook", sub);
    r = sw_store_cmd(s, "INCR", seq, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    id = sw_reply_int(r, 0);
    freeReplyObject(r);
    wh = json_deep_copy(in);
    json_object_set_new(wh, "id", json_integer(id));
    if (json_object_get(wh, "kind") == NULL)
        json_object_set_new(wh, "kind", json_string("generic"));
    /* A messenger robot's signing secret is the platform's, kept as given; a generic
     * endpoint's is made here and shown once. */
    if (json_object_get(wh, "secret") != NULL) {
        json_object_set(wh, "sign_secret", json_object_get(wh, "secret"));
        json_object_del(wh, "secret");
    }
    if (json_object_get(wh, "severity_floor") == NULL)
        json_object_set_new(wh, "severity_floor", json_string("low"));
    if (json_object_get(wh, "enabled") == NULL)
        json_object_set_new(wh, "enabled", json_true());
    if (json_object_get(wh, "description") == NULL)
        json_object_set_new(wh, "description", json_string(""));
    json_object_set_new(wh, "created_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                 sizeof(when))));
    if (sw_msgr_of(wh) == SW_MSGR_GENERIC) {
        sw_webhook_secret(secret, sizeof(secret));
        json_object_set_new(wh, "secrets", json_pack("[{s:s, s:n}]", "secret", secret,
                                                     "expires_at"));
        sodium_memzero(secret, sizeof(secret));
    }
    rc = sw_webhook_put(s, sub, wh);
    if (rc != SW_OK) {
        json_decref(wh);
        return rc;
    }
    *out = wh;
    return SW_OK;
}

int sw_webhook_get(struct sw_store *s, long long sub, long long id, json_t **out)
{
    char key[64], field[24];
    redisReply *r;

    hooks_key(sub, key, sizeof(key));
    snprintf(field, sizeof(field), "%lld", id);
    r = sw_store_cmd(s, "HGET", key, field, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *out = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return *out != NULL ? SW_OK : SW_NOTFOUND;
}

static int id_order(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "id"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "id"));

    return x < y ? -1 : x > y;
}

int sw_webhook_all(struct sw_store *s, long long sub, json_t **out)
{
    char key[64];
    redisReply *r;
    json_t **v;
    size_t i, n = 0;

    hooks_key(sub, key, sizeof(key));
    r = sw_store_cmd(s, "HVALS", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *out = json_array();
    v = calloc(r->elements + 1, sizeof(*v));
    for (i = 0; v != NULL && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
        if ((v[n] = json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL)) != NULL)
            n++;
    if (v != NULL)
        qsort(v, n, sizeof(*v), id_order);
    for (i = 0; i < n; i++)
        json_array_append_new(*out, v[i]);
    free(v);
    freeReplyObject(r);
    return SW_OK;
}

int sw_webhook_delete(struct sw_store *s, long long sub, long long id)
{
    char key[64], field[24], state[80];
    redisReply *r;
    long long gone;

    hooks_key(sub, key, sizeof(key));
    snprintf(field, sizeof(field), "%lld", id);
    snprintf(state, sizeof(state), "sw:{sub:%lld}:whstate:%lld", sub, id);
    r = sw_store_cmd(s, "HDEL", key, field, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    gone = sw_reply_int(r, 0);
    freeReplyObject(r);
    if ((r = sw_store_cmd(s, "DEL", state, NULL)) != NULL)
        freeReplyObject(r);
    return gone > 0 ? SW_OK : SW_NOTFOUND;
}

json_t *sw_webhook_live_secrets(const json_t *wh, int64_t now_ms)
{
    json_t *out = json_array(), *v;
    size_t i;

    json_array_foreach(json_object_get(wh, "secrets"), i, v) {
        json_t *exp = json_object_get(v, "expires_at");

        if (json_is_integer(exp) && json_integer_value(exp) <= now_ms)
            continue;
        json_array_append(out, json_object_get(v, "secret"));
    }
    return out;
}

json_t *sw_webhook_public(struct sw_store *s, long long sub, const json_t *wh)
{
    json_t *out = json_deep_copy(wh), *v, *state = json_object();
    char key[80], when[32];
    redisReply *r;
    size_t i;
    int64_t rotating_until = 0;

    json_array_foreach(json_object_get(wh, "secrets"), i, v) {
        json_t *exp = json_object_get(v, "expires_at");

        if (json_is_integer(exp) && json_integer_value(exp) > rotating_until &&
            json_integer_value(exp) > sw_now_ms())
            rotating_until = json_integer_value(exp);
    }
    json_object_del(out, "secrets");
    json_object_del(out, "sign_secret");
    if (json_object_get(out, "kind") == NULL)
        json_object_set_new(out, "kind", json_string("generic"));
    if (sw_msgr_of(wh) == SW_MSGR_DINGTALK || sw_msgr_of(wh) == SW_MSGR_FEISHU)
        json_object_set_new(out, "signed", json_boolean(json_is_string(json_object_get(
                                                                 wh, "sign_secret"))));
    if (rotating_until > 0)
        json_object_set_new(out, "previous_secret_expires_at",
                            json_string(sw_iso8601(rotating_until, when, sizeof(when))));
    snprintf(key, sizeof(key), "sw:{sub:%lld}:whstate:%lld", sub,
             (long long)json_integer_value(json_object_get(wh, "id")));
    r = sw_store_cmd(s, "HGETALL", key, NULL);
    for (i = 0; r != NULL && r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        const char *f = r->element[i]->str, *val = r->element[i + 1]->str;

        if (strcmp(f, "last_error") == 0)
            json_object_set_new(state, f, json_string(val));
        else
            json_object_set_new(state, f, json_string(sw_iso8601(atoll(val), when,
                                                                 sizeof(when))));
    }
    if (r != NULL)
        freeReplyObject(r);
    if (json_object_get(state, "disabled_at") != NULL)
        json_object_set_new(out, "enabled", json_false());
    json_object_set_new(out, "state", state);
    return out;
}

int sw_webhook_sign(const json_t *secrets, const char *msg_id, long long ts, const char *body,
                    size_t bodylen, char *out, size_t outlen)
{
    unsigned char key[96], mac[crypto_auth_hmacsha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
                                       sodium_base64_VARIANT_ORIGINAL)];
    char tsbuf[24];
    crypto_auth_hmacsha256_state st;
    const json_t *v;
    size_t i, used = 0, keylen;

    out[0] = '\0';
    snprintf(tsbuf, sizeof(tsbuf), "%lld", ts);
    json_array_foreach(secrets, i, v) {
        const char *sec = json_string_value(v);
        int n;

        if (sec == NULL || strncmp(sec, "whsec_", 6) != 0 ||
            sodium_base642bin(key, sizeof(key), sec + 6, strlen(sec + 6), NULL, &keylen, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            continue;
        crypto_auth_hmacsha256_init(&st, key, keylen);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg_id, strlen(msg_id));
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)tsbuf, strlen(tsbuf));
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, bodylen);
        crypto_auth_hmacsha256_final(&st, mac);
        sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
        n = snprintf(out + used, outlen - used, "%sv1,%s", used ? " " : "", b64);
        if (n < 0 || (size_t)n >= outlen - used)
            break;
        used += (size_t)n;
    }
    sodium_memzero(key, sizeof(key));
    return used > 0 ? SW_OK : SW_ERR;
}

/* --- deliveries -------------------------------------------------------------------------- */

void sw_dlv_id(long long sub, const char *what, const char *target, char *out, size_t outlen)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    char subtxt[24], hex[33];

    snprintf(subtxt, sizeof(subtxt), "%lld|", sub);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)subtxt, strlen(subtxt));
    crypto_hash_sha256_update(&st, (const unsigned char *)what, strlen(what) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)target, strlen(target));
    crypto_hash_sha256_final(&st, h);
    sw_hex(h, 16, hex);
    snprintf(out, outlen, "dl_%s", hex);
}

int sw_dlv_id_valid(const char *text)
{
    size_t i;

    if (text == NULL || strncmp(text, "dl_", 3) != 0 || strlen(text) != 35)
        return 0;
    for (i = 3; i < 35; i++)
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
            return 0;
    return 1;
}

/* KEYS: job, index, seq, due. ARGV: json, id, now ms, due member, due ms. */
static const char enqueue_lua[] =
    "if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end "
    "local seq = redis.call('INCR', KEYS[3]) % 1000 "
    "redis.call('ZADD', KEYS[2], ARGV[3] .. string.format('%03d', seq), ARGV[2]) "
    "redis.call('ZADD', KEYS[4], ARGV[5], ARGV[4]) "
    "return 1";

int sw_dlv_enqueue(struct sw_store *s, long long sub, json_t *job, int64_t due_ms, int *created)
{
    const char *id = json_string_value(json_object_get(job, "id"));
    char key[96], idx[64], seq[64], member[80], now[24], due[24], when[32];
    const char *keys[4], *args[5];
    long long added = 0;
    char *text;
    int rc;

    *created = 0;
    if (json_object_get(job, "created_at") == NULL)
        json_object_set_new(job, "created_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                      sizeof(when))));
    if (json_object_get(job, "status") == NULL)
        json_object_set_new(job, "status", json_string("pending"));
    if (json_object_get(job, "attempts") == NULL)
        json_object_set_new(job, "attempts", json_integer(0));
    json_object_set_new(job, "next_attempt_at", json_string(sw_iso8601(due_ms, when,
                                                                       sizeof(when))));
    text = json_dumps(job, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (id == NULL || text == NULL) {
        free(text);
        return SW_ERR;
    }
    snprintf(key, sizeof(key), "sw:{sub:%lld}:dlv:%s", sub, id);
    snprintf(idx, sizeof(idx), "sw:{sub:%lld}:dlvs", sub);
    snprintf(seq, sizeof(seq), "sw:{sub:%lld}:dlvseq", sub);
    snprintf(member, sizeof(member), "%lld|%s", sub, id);
    snprintf(now, sizeof(now), "%lld", (long long)sw_now_ms());
    snprintf(due, sizeof(due), "%lld", (long long)due_ms);
    keys[0] = key;
    keys[1] = idx;
    keys[2] = seq;
    keys[3] = SW_DLV_DUE;
    args[0] = text;
    args[1] = id;
    args[2] = now;
    args[3] = member;
    args[4] = due;
    rc = sw_store_eval_int(s, enqueue_lua, 4, keys, 5, args, &added);
    free(text);
    *created = rc == SW_OK && added == 1;
    return rc;
}

int sw_dlv_get(struct sw_store *s, long long sub, const char *id, json_t **out)
{
    char key[96];
    redisReply *r;

    snprintf(key, sizeof(key), "sw:{sub:%lld}:dlv:%s", sub, id);
    r = sw_store_cmd(s, "GET", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *out = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return *out != NULL ? SW_OK : SW_NOTFOUND;
}

int sw_dlv_replay(struct sw_store *s, long long sub, const char *id, json_t **out)
{
    char key[96], member[80], due[24], when[32];
    const char *status;
    redisReply *r;
    json_t *job, *wh;
    long long wid;
    char *text;
    int rc, tries;

    snprintf(key, sizeof(key), "sw:{sub:%lld}:dlv:%s", sub, id);
    snprintf(member, sizeof(member), "%lld|%s", sub, id);
    for (tries = 0; tries < 5; tries++) {
        if ((r = sw_store_cmd(s, "WATCH", key, NULL)) == NULL)
            return SW_EAGAIN;
        freeReplyObject(r);
        if ((rc = sw_dlv_get(s, sub, id, &job)) != SW_OK) {
            if ((r = sw_store_cmd(s, "UNWATCH", NULL)) != NULL)
                freeReplyObject(r);
            return rc;
        }
        status = json_string_value(json_object_get(job, "status"));
        if (status == NULL || strcmp(status, "pending") == 0) {
            if ((r = sw_store_cmd(s, "UNWATCH", NULL)) != NULL)
                freeReplyObject(r);
            *out = job;
            return SW_CONFLICT;
        }
        wid = json_integer_value(json_object_get(job, "webhook"));
        if (wid > 0 && sw_webhook_get(s, sub, wid, &wh) == SW_OK) {
            if (json_is_string(json_object_get(wh, "url")))
                json_object_set(job, "url", json_object_get(wh, "url"));
            json_decref(wh);
        }
        json_object_set_new(job, "status", json_string("pending"));
        json_object_set_new(job, "attempts", json_integer(0));
        json_object_set_new(job, "replays",
                            json_integer(json_integer_value(json_object_get(job, "replays")) + 1));
        json_object_set_new(job, "next_attempt_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                           sizeof(when))));
        text = json_dumps(job, JSON_COMPACT | JSON_PRESERVE_ORDER);
        snprintf(due, sizeof(due), "%lld", (long long)sw_now_ms());
        {
            const char *a1[] = { "SET", key, text ? text : "{}" };
            const char *a2[] = { "ZADD", SW_DLV_DUE, due, member };
            const char **argvs[] = { a1, a2 };
            int argcs[] = { 3, 4 };

            r = text ? sw_store_multi(s, 2, argcs, argvs, NULL) : NULL;
        }
        free(text);
        if (r == NULL) {
            json_decref(job);
            return SW_EAGAIN;
        }
        if (r->type == REDIS_REPLY_ARRAY) {
            freeReplyObject(r);
            *out = job;
            return SW_OK;
        }
        freeReplyObject(r);
        json_decref(job);
    }
    return SW_CONFLICT;
}

/* KEYS: delivery, due, leases. ARGV: the delivery as read, as it will be, due member, now.
 * Returns -1 when the delivery changed since it was read, 0 when a notifier holds its lease
 * (an attempt is being made), 1 when it is due now. */
static const char retry_lua[] =
    "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end "
    "local l = tonumber(redis.call('HGET', KEYS[3], ARGV[3]) or '0') "
    "if l > tonumber(ARGV[4]) then return 0 end "
    "redis.call('SET', KEYS[1], ARGV[2]) "
    "redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3]) "
    "return 1";

int sw_dlv_retry(struct sw_store *s, long long sub, const char *id, json_t **out)
{
    char key[96], member[80], now[24], when[32];
    const char *keys[3], *args[4];
    redisReply *r;
    json_t *job;
    char *text;
    long long res = -1;
    int rc, tries;

    *out = NULL;
    snprintf(key, sizeof(key), "sw:{sub:%lld}:dlv:%s", sub, id);
    snprintf(member, sizeof(member), "%lld|%s", sub, id);
    keys[0] = key;
    keys[1] = SW_DLV_DUE;
    keys[2] = SW_DLV_LEASES;
    for (tries = 0; tries < 5 && res < 0; tries++) {
        if ((r = sw_store_cmd(s, "GET", key, NULL)) == NULL)
            return SW_EAGAIN;
        job = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
        if (job == NULL) {
            freeReplyObject(r);
            return SW_NOTFOUND;
        }
        if (strcmp(json_string_value(json_object_get(job, "status")) ?: "", "pending") != 0) {
            freeReplyObject(r);
            *out = job;
            return SW_CONFLICT;
        }
        snprintf(now, sizeof(now), "%lld", (long long)sw_now_ms());
        json_object_set_new(job, "next_attempt_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                           sizeof(when))));
        text = json_dumps(job, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (text == NULL) {
            freeReplyObject(r);
            json_decref(job);
            return SW_ERR;
        }
        args[0] = r->str;
        args[1] = text;
        args[2] = member;
        args[3] = now;
        rc = sw_store_eval_int(s, retry_lua, 3, keys, 4, args, &res);
        free(text);
        freeReplyObject(r);
        if (rc != SW_OK) {
            json_decref(job);
            return rc;
        }
        if (res >= 0)
            *out = job;
        else
            json_decref(job);
    }
    return res > 0 ? SW_OK : res == 0 ? SW_CONFLICT : SW_EAGAIN;
}

int sw_webhook_test(struct sw_store *s, long long sub, long long wid, json_t **out)
{
    unsigned char nonce[8];
    char what[96], target[48], id[40], hex[17];
    json_t *wh, *job;
    int rc = sw_webhook_get(s, sub, wid, &wh), created;

    *out = NULL;
    if (rc != SW_OK)
        return rc;
    /* Every press of the button is a test of its own: its own delivery and webhook-id. */
    randombytes_buf(nonce, sizeof(nonce));
    sw_hex(nonce, sizeof(nonce), hex);
    snprintf(what, sizeof(what), "webhook.test:%lld:%lld:%s", wid, (long long)sw_now_ms(), hex);
    snprintf(target, sizeof(target), "webhook:%lld", wid);
    sw_dlv_id(sub, what, target, id, sizeof(id));
    job = json_pack("{s:s, s:s, s:s, s:s, s:I, s:O}", "id", id, "kind", "webhook", "channel",
                    sw_webhook_kinds[sw_msgr_of(wh)], "topic", "webhook.test", "webhook",
                    (json_int_t)wid, "url", json_object_get(wh, "url"));
    json_decref(wh);
    if (job == NULL)
        return SW_ERR;
    rc = sw_dlv_enqueue(s, sub, job, sw_now_ms(), &created);
    if (rc != SW_OK) {
        json_decref(job);
        return rc;
    }
    *out = job;
    return SW_OK;
}

/* --- unsubscribe ------------------------------------------------------------------------- */

int sw_unsub_token(struct sw_store *s, long long sub, const char *email, char *out,
                   size_t outlen)
{
    unsigned char key[32], mac[crypto_auth_hmacsha256_BYTES];
    char hex[65], msg[300];
    redisReply *r;
    size_t i, keylen;

    randombytes_buf(key, sizeof(key));
    sw_hex(key, sizeof(key), hex);
    r = sw_store_cmd(s, "SET", "sw:secret:unsubscribe", hex, "NX", "GET", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_STRING && r->len == 64)
        memcpy(hex, r->str, 64);
    freeReplyObject(r);
    if (sodium_hex2bin(key, sizeof(key), hex, 64, NULL, &keylen, NULL) != 0)
        return SW_ERR;
    snprintf(msg, sizeof(msg), "unsubscribe|%lld|", sub);
    for (i = strlen(msg); *email != '\0' && i + 1 < sizeof(msg); email++)
        msg[i++] = (char)((*email >= 'A' && *email <= 'Z') ? *email + 32 : *email);
    msg[i] = '\0';
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), key);
    sodium_memzero(key, sizeof(key));
    if (outlen < sodium_base64_ENCODED_LEN(sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return SW_ERR;
    sodium_bin2base64(out, outlen, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return SW_OK;
}
