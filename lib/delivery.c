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
#include "seawall/keys.h"
#include "seawall/messenger.h"
#include "seawall/net.h"
#include "seawall/people.h"
#include "seawall/store.h"
#include "seawall/stream.h"
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
    snprintf(out, outlen, "%s", swk_delivery_settings(sub).s);
}

/* The settings as stored: only what the exporter set (an empty object when nothing). */
static int settings_stored(struct sw_store *s, long long sub, json_t **out)
{
    char key[SW_KEY_BYTES];
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
    char key[SW_KEY_BYTES];
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
    snprintf(out, outlen, "%s", swk_webhooks(sub).s);
}

int sw_webhook_put(struct sw_store *s, long long sub, const json_t *wh)
{
    char key[SW_KEY_BYTES], field[24];
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
    char key[SW_KEY_BYTES], seq[SW_KEY_BYTES], secret[64], when[32];
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
    snprintf(seq, sizeof(seq), "%s", swk_webhook_seq(sub).s);
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
    char key[SW_KEY_BYTES], field[24];
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
    char key[SW_KEY_BYTES];
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
    char key[SW_KEY_BYTES], field[24], state[SW_KEY_BYTES];
    redisReply *r;
    long long gone;

    hooks_key(sub, key, sizeof(key));
    snprintf(field, sizeof(field), "%lld", id);
    snprintf(state, sizeof(state), "%s", swk_webhook_state(sub, id).s);
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
    char key[SW_KEY_BYTES], when[32];
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
    snprintf(key, sizeof(key), "%s",
             swk_webhook_state(sub, (long long)json_integer_value(json_object_get(wh, "id"))).s);
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

int sw_dlv_shard(const struct sw_store *s, long long sub)
{
    char route[24];

    snprintf(route, sizeof(route), "%lld", sub);
    return sw_stream_shard_of(s, route, strlen(route));
}

/* "N|<id>": a delivery's member of its shard's due set and leases. */
static void due_member(long long sub, const char *id, char *out, size_t outlen)
{
    snprintf(out, outlen, "%lld|%s", sub, id);
}

/* One command whose reply only says whether it ran: SW_OK, or SW_EAGAIN with errstr. */
static int run_cmd(struct sw_store *s, int argc, const char **argv)
{
    redisReply *r = sw_store_cmdv(s, argc, argv, NULL);

    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ERROR) {
        snprintf(s->errstr, sizeof(s->errstr), "%s %.64s: %.160s", argv[0], argc > 1 ? argv[1] : "",
                 r->str);
        freeReplyObject(r);
        return SW_EAGAIN;
    }
    freeReplyObject(r);
    return SW_OK;
}

/* A MULTI whose replies are not needed: SW_OK, or SW_EAGAIN (also when it was refused). */
static int run_multi(struct sw_store *s, int n, const int *argcs, const char ***argvs)
{
    redisReply *r = sw_store_multi(s, n, argcs, argvs, NULL);
    int ok = r != NULL && r->type == REDIS_REPLY_ARRAY;

    if (r != NULL && r->type == REDIS_REPLY_ERROR)
        snprintf(s->errstr, sizeof(s->errstr), "MULTI: %s", r->str);
    if (r != NULL)
        freeReplyObject(r);
    return ok ? SW_OK : SW_EAGAIN;
}

/* Makes sub's delivery id due at due_ms in its shard's due set; nx: only when it is not there
 * (a due time or a lease it has stays). */
static int due_add(struct sw_store *s, long long sub, const char *id, int64_t due_ms, int nx)
{
    sw_key_t key = swk_dlv_due(sw_dlv_shard(s, sub));
    char member[80], due[24];
    const char *nxv[] = { "ZADD", key.s, "NX", due, member };
    const char *plain[] = { "ZADD", key.s, due, member };

    due_member(sub, id, member, sizeof(member));
    snprintf(due, sizeof(due), "%lld", (long long)due_ms);
    return nx ? run_cmd(s, 5, nxv) : run_cmd(s, 4, plain);
}

/* KEYS: job, index, seq. ARGV: json, id, now ms. Returns 1 when stored now, 0 when it was
 * there and is pending, -1 when it was there and is finished. */
static const char enqueue_lua[] =
    "if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then "
    "  local ok, d = pcall(cjson.decode, redis.call('GET', KEYS[1])) "
    "  if ok and type(d) == 'table' and d['status'] == 'pending' then return 0 end "
    "  return -1 end "
    "local seq = redis.call('INCR', KEYS[3]) % 1000 "
    "redis.call('ZADD', KEYS[2], ARGV[3] .. string.format('%03d', seq), ARGV[2]) "
    "return 1";

/* Two steps: the record with its index entry (the subscriber's slot), then its place in the
 * due set (the shard's). A crash between them leaves a pending delivery that no notifier
 * takes; the caller's retry (the notifier's intake re-reads an unacknowledged entry, a
 * reminder or digest comes back after its lease) finds it pending and does the second step
 * (ZADD NX: a delivery already due or being attempted keeps its time). Account mail and
 * webhook tests have no such retry: "retry now" (sw_dlv_retry) puts such a delivery in the
 * due set again. */
int sw_dlv_enqueue(struct sw_store *s, long long sub, json_t *job, int64_t due_ms, int *created)
{
    const char *id = json_string_value(json_object_get(job, "id"));
    sw_key_t key = swk_dlv(sub, id ? id : ""), idx = swk_dlvs(sub), seq = swk_dlv_seq(sub);
    char now[24], when[32];
    const char *keys[3], *args[3];
    long long res = 0;
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
    snprintf(now, sizeof(now), "%lld", (long long)sw_now_ms());
    keys[0] = key.s;
    keys[1] = idx.s;
    keys[2] = seq.s;
    args[0] = text;
    args[1] = id;
    args[2] = now;
    rc = sw_store_eval_int(s, enqueue_lua, 3, keys, 3, args, &res);
    free(text);
    if (rc != SW_OK)
        return rc;
    if (res >= 0 && (rc = due_add(s, sub, id, due_ms, 1)) != SW_OK)
        return rc;
    *created = res == 1;
    return SW_OK;
}

int sw_dlv_get(struct sw_store *s, long long sub, const char *id, json_t **out)
{
    sw_key_t key = swk_dlv(sub, id);
    redisReply *r;

    r = sw_store_cmd(s, "GET", key.s, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *out = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return *out != NULL ? SW_OK : SW_NOTFOUND;
}

/* The record pending again (WATCHed, so a notifier's outcome stored meanwhile is not
 * overwritten), then due now in its shard's due set. A crash between the two leaves it
 * pending and not due: "retry now" (sw_dlv_retry) makes it due. */
int sw_dlv_replay(struct sw_store *s, long long sub, const char *id, json_t **out)
{
    sw_key_t key = swk_dlv(sub, id);
    char when[32];
    const char *status;
    redisReply *r;
    json_t *job, *wh;
    long long wid;
    char *text;
    int rc, tries;

    for (tries = 0; tries < 5; tries++) {
        if ((r = sw_store_cmd(s, "WATCH", key.s, NULL)) == NULL)
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
        {
            const char *a1[] = { "SET", key.s, text ? text : "{}" };
            const char **argvs[] = { a1 };
            int argcs[] = { 3 };

            r = text ? sw_store_multi(s, 1, argcs, argvs, NULL) : NULL;
        }
        free(text);
        if (r == NULL) {
            json_decref(job);
            return SW_EAGAIN;
        }
        if (r->type == REDIS_REPLY_ARRAY) {
            freeReplyObject(r);
            if ((rc = due_add(s, sub, id, sw_now_ms(), 0)) != SW_OK) {
                json_decref(job);
                return rc;
            }
            *out = job;
            return SW_OK;
        }
        freeReplyObject(r);
        json_decref(job);
    }
    return SW_CONFLICT;
}

/* KEYS: due, leases (one shard's). ARGV: due member, now. Returns 0 when a notifier holds
 * its lease (an attempt is being made), 1 when it is due now. */
static const char retry_lua[] =
    "local l = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') "
    "if l > tonumber(ARGV[2]) then return 0 end "
    "redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) "
    "return 1";

/* KEYS: delivery. ARGV: as read, as it will be. Sets it unless it changed since it was read. */
static const char swap_lua[] =
    "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end "
    "redis.call('SET', KEYS[1], ARGV[2]) return 1";

/* Steps: the record read (pending?), then due now unless leased (one script in the shard's
 * slot), then the record's next_attempt_at set to now unless it changed meanwhile (its slot).
 * A crash after the second step leaves it due now with the old next_attempt_at shown until
 * its attempt writes the record. */
int sw_dlv_retry(struct sw_store *s, long long sub, const char *id, json_t **out)
{
    int shard = sw_dlv_shard(s, sub);
    sw_key_t key = swk_dlv(sub, id), due = swk_dlv_due(shard), leases = swk_dlv_leases(shard);
    char member[80], now[24], when[32];
    const char *keys[2] = { due.s, leases.s }, *args[2] = { member, now };
    const char *skeys[1] = { key.s }, *sargs[2];
    redisReply *r;
    json_t *job;
    char *text;
    long long res = 0, swapped = 0;
    int rc, tries;

    *out = NULL;
    due_member(sub, id, member, sizeof(member));
    for (tries = 0; tries < 5; tries++) {
        if ((r = sw_store_cmd(s, "GET", key.s, NULL)) == NULL)
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
        if (tries == 0) {
            snprintf(now, sizeof(now), "%lld", (long long)sw_now_ms());
            rc = sw_store_eval_int(s, retry_lua, 2, keys, 2, args, &res);
            if (rc != SW_OK || res == 0) {
                freeReplyObject(r);
                if (rc != SW_OK) {
                    json_decref(job);
                    return rc;
                }
                *out = job;
                return SW_CONFLICT;
            }
        }
        json_object_set_new(job, "next_attempt_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                           sizeof(when))));
        text = json_dumps(job, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (text == NULL) {
            freeReplyObject(r);
            json_decref(job);
            return SW_ERR;
        }
        sargs[0] = r->str;
        sargs[1] = text;
        rc = sw_store_eval_int(s, swap_lua, 1, skeys, 2, sargs, &swapped);
        free(text);
        freeReplyObject(r);
        if (rc != SW_OK || swapped == 1) {
            if (rc != SW_OK)
                json_decref(job);
            else
                *out = job;
            return rc;
        }
        json_decref(job);   /* changed meanwhile (an attempt ended): read it again */
    }
    return SW_EAGAIN;
}

/* KEYS: one shard's due set and leases. ARGV: now, lease until, count. Takes due deliveries,
 * pushing each past its lease so no other notifier takes it meanwhile, and noting the lease
 * (so "retry now" can tell an attempt being made from one waiting for its time). */
static const char claim_lua[] =
    "local m = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3]) "
    "for i = 1, #m do redis.call('ZADD', KEYS[1], ARGV[2], m[i]) "
    "  redis.call('HSET', KEYS[2], m[i], ARGV[2]) end "
    "return m";

int sw_dlv_claim(struct sw_store *s, int64_t now_ms, int64_t lease_ms, struct sw_dlv_ref *out,
                 size_t max, size_t *n)
{
    static __thread unsigned turn;
    int shards = sw_stream_shards(s), i;
    char now[24], until[24], count[24];
    const char *args[3] = { now, until, count };
    size_t j;

    *n = 0;
    snprintf(now, sizeof(now), "%lld", (long long)now_ms);
    snprintf(until, sizeof(until), "%lld", (long long)(now_ms + lease_ms));
    turn++;
    for (i = 0; i < shards && *n < max; i++) {
        int k = (int)((turn + (unsigned)i) % (unsigned)shards);
        sw_key_t due = swk_dlv_due(k), leases = swk_dlv_leases(k);
        const char *keys[2] = { due.s, leases.s };
        redisReply *r;

        snprintf(count, sizeof(count), "%zu", max - *n);
        r = sw_store_eval(s, claim_lua, 2, keys, 3, args);
        if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
            if (r != NULL) {
                snprintf(s->errstr, sizeof(s->errstr), "claiming from %.64s: %.160s", due.s,
                         r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
                freeReplyObject(r);
            }
            return *n > 0 ? SW_OK : SW_EAGAIN;
        }
        for (j = 0; j < r->elements && *n < max; j++) {
            const char *m = r->element[j]->str, *bar;
            char subtxt[24];
            struct sw_dlv_ref *ref = &out[*n];

            if (r->element[j]->type != REDIS_REPLY_STRING || (bar = strchr(m, '|')) == NULL ||
                (size_t)(bar - m) >= sizeof(subtxt) || strlen(bar + 1) >= sizeof(ref->id))
                continue;
            memcpy(subtxt, m, (size_t)(bar - m));
            subtxt[bar - m] = '\0';
            if (sw_parse_ll(subtxt, 0, INT64_MAX, &ref->sub) != SW_OK)   /* 0: account mail */
                continue;
            sw_strlcpy(ref->id, bar + 1, sizeof(ref->id));
            (*n)++;
        }
        freeReplyObject(r);
    }
    return SW_OK;
}

/* The shard's side of an outcome: due again at next_ms (0: out of the due set), the lease
 * given up. One MULTI in the shard's slot. */
static int due_settle(struct sw_store *s, long long sub, const char *id, int64_t next_ms)
{
    int shard = sw_dlv_shard(s, sub);
    sw_key_t due = swk_dlv_due(shard), leases = swk_dlv_leases(shard);
    char member[80], at[24];
    const char *az[] = { "ZADD", due.s, at, member };
    const char *ar[] = { "ZREM", due.s, member };
    const char *ah[] = { "HDEL", leases.s, member };
    const char **argvs[] = { next_ms > 0 ? az : ar, ah };
    int argcs[] = { next_ms > 0 ? 4 : 3, 3 };

    due_member(sub, id, member, sizeof(member));
    snprintf(at, sizeof(at), "%lld", (long long)next_ms);
    return run_multi(s, 2, argcs, argvs);
}

int sw_dlv_unqueue(struct sw_store *s, const struct sw_dlv_ref *ref)
{
    return due_settle(s, ref->sub, ref->id, 0);
}

/* Two steps: the record (its slot), then its due time and lease (the shard's). A crash
 * between them leaves the lease's time as its due time: it is attempted when the lease runs
 * out instead of at_ms. */
int sw_dlv_postpone(struct sw_store *s, long long sub, json_t *job, int64_t at_ms)
{
    const char *id = json_string_value(json_object_get(job, "id")) ?: "";
    sw_key_t key = swk_dlv(sub, id);
    char when[32], *text;
    int rc;

    json_object_set_new(job, "next_attempt_at", json_string(sw_iso8601(at_ms, when,
                                                                        sizeof(when))));
    json_object_set_new(job, "waiting_for", json_string("rate_limit"));
    if ((text = json_dumps(job, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
        return SW_ERR;
    {
        const char *a1[] = { "SET", key.s, text };

        rc = run_cmd(s, 3, a1);
    }
    free(text);
    return rc != SW_OK ? rc : due_settle(s, sub, id, at_ms);
}

/* Two steps: the record, its attempt and the delivery log in one MULTI (the subscriber's
 * slot), then its due time and lease (the shard's). A crash between them leaves the
 * delivery in the due set at its lease's end: a notifier then takes it, finds it finished
 * (and drops it from the due set) or pending (and attempts it, late rather than lost). */
int sw_dlv_record_attempt(struct sw_store *s, long long sub, const json_t *job,
                          const json_t *attempt, int64_t next_ms)
{
    const char *id = json_string_value(json_object_get(job, "id")) ?: "";
    const char *error = json_string_value(json_object_get(attempt, "error"));
    sw_key_t key = swk_dlv(sub, id), akey = swk_dlv_attempts(sub, id), lkey = swk_dlog(sub);
    char ntxt[24], ctxt[24], ltxt[24];
    char *atext = json_dumps(attempt, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *jtext = json_dumps(job, JSON_COMPACT | JSON_PRESERVE_ORDER);
    int rc = SW_ERR;

    snprintf(ntxt, sizeof(ntxt), "%lld",
             (long long)json_integer_value(json_object_get(attempt, "attempt")));
    snprintf(ctxt, sizeof(ctxt), "%lld",
             (long long)json_integer_value(json_object_get(attempt, "status_code")));
    snprintf(ltxt, sizeof(ltxt), "%lld",
             (long long)json_integer_value(json_object_get(attempt, "latency_ms")));
    if (atext != NULL && jtext != NULL) {
        const char *a1[] = { "SET", key.s, jtext };
        const char *a2[] = { "LPUSH", akey.s, atext };
        const char *a3[] = { "LTRIM", akey.s, "0", "49" };
        const char *a4[] = { "XADD", lkey.s, "MAXLEN", "~", "10000", "*", "delivery", id, "kind",
                             json_string_value(json_object_get(job, "kind")) ?: "", "target",
                             json_string_value(json_object_get(job, "to")) ?:
                             json_string_value(json_object_get(job, "url")) ?: "", "attempt",
                             ntxt, "outcome",
                             json_string_value(json_object_get(attempt, "outcome")) ?: "",
                             "status_code", ctxt, "latency_ms", ltxt, "error", error ? error : "" };
        const char **argvs[] = { a1, a2, a3, a4 };
        int argcs[] = { 3, 3, 4, 22 };

        rc = run_multi(s, 4, argcs, argvs);
    }
    free(atext);
    free(jtext);
    return rc != SW_OK ? rc : due_settle(s, sub, id, next_ms);
}

/* --- what the API shows of deliveries --- */

int sw_dlv_page(struct sw_store *s, long long sub, const char *status, const char *kind,
                long long cursor, int limit, long long scan_max, json_t **items,
                long long *next)
{
    sw_key_t idx = swk_dlvs(sub);
    long long scanned = 0;
    char max[40];

    *next = 0;
    *items = json_array();
    for (;;) {
        redisReply *ids, *docs;
        const char *argv[130];
        sw_key_t keys[128];
        size_t i, n;

        if (cursor > 0)
            snprintf(max, sizeof(max), "(%lld", cursor);
        else
            snprintf(max, sizeof(max), "+inf");
        ids = sw_store_cmd(s, "ZREVRANGEBYSCORE", idx.s, max, "-inf", "WITHSCORES", "LIMIT",
                           "0", "128", NULL);
        if (ids == NULL) {
            json_decref(*items);
            *items = NULL;
            return SW_EAGAIN;
        }
        n = ids->type == REDIS_REPLY_ARRAY ? ids->elements / 2 : 0;
        if (n == 0) {
            freeReplyObject(ids);
            *next = 0;
            return SW_OK;
        }
        argv[0] = "MGET";
        for (i = 0; i < n; i++) {
            keys[i] = swk_dlv(sub, ids->element[2 * i]->str);
            argv[i + 1] = keys[i].s;
        }
        docs = sw_store_cmdv(s, (int)n + 1, argv, NULL);
        for (i = 0; docs != NULL && docs->type == REDIS_REPLY_ARRAY && i < docs->elements;
             i++) {
            json_t *d;

            cursor = (long long)strtod(ids->element[2 * i + 1]->str, NULL);
            scanned++;
            if (docs->element[i]->type == REDIS_REPLY_STRING &&
                (d = json_loadb(docs->element[i]->str, docs->element[i]->len, 0, NULL)) !=
                    NULL) {
                if ((status == NULL ||
                     strcmp(json_string_value(json_object_get(d, "status")) ?: "", status) ==
                         0) &&
                    (kind == NULL ||
                     strcmp(json_string_value(json_object_get(d, "kind")) ?: "", kind) == 0))
                    json_array_append_new(*items, d);
                else
                    json_decref(d);
            }
            if ((long long)json_array_size(*items) == limit || scanned >= scan_max)
                break;
        }
        if (docs != NULL)
            freeReplyObject(docs);
        freeReplyObject(ids);
        if (docs == NULL) {
            json_decref(*items);
            *items = NULL;
            return SW_EAGAIN;
        }
        if ((long long)json_array_size(*items) == limit || scanned >= scan_max) {
            *next = cursor;
            return SW_OK;
        }
        if (n < 128) {
            *next = 0;
            return SW_OK;
        }
    }
}

int sw_dlv_attempts(struct sw_store *s, long long sub, const char *id, json_t **out)
{
    sw_key_t key = swk_dlv_attempts(sub, id);
    redisReply *r = sw_store_cmd(s, "LRANGE", key.s, "0", "-1", NULL);
    size_t i;

    *out = json_array();
    if (r == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        json_t *a = json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL);

        if (a != NULL)
            json_array_append_new(*out, a);
    }
    freeReplyObject(r);
    return SW_OK;
}

int sw_dlv_log(struct sw_store *s, long long sub, const char *cursor, int limit, json_t **out)
{
    sw_key_t key = swk_dlog(sub);
    char max[48], count[24];
    json_t *items;
    redisReply *r;
    size_t i, j, n;

    *out = NULL;
    snprintf(max, sizeof(max), "%s%s", cursor ? "(" : "", cursor ? cursor : "+");
    snprintf(count, sizeof(count), "%d", limit + 1);
    r = sw_store_cmd(s, "XREVRANGE", key.s, max, "-", "COUNT", count, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    items = json_array();
    n = r->type == REDIS_REPLY_ARRAY ? r->elements : 0;
    for (i = 0; i < n && i < (size_t)limit; i++) {
        const redisReply *e = r->element[i], *f = e->element[1];
        json_t *item = json_pack("{s:s}", "log_id", e->element[0]->str);

        for (j = 0; j + 1 < f->elements; j += 2) {
            const char *name = f->element[j]->str, *val = f->element[j + 1]->str;
            long long num;

            if ((strcmp(name, "status_code") == 0 || strcmp(name, "latency_ms") == 0 ||
                 strcmp(name, "attempt") == 0) &&
                sw_parse_ll(val, 0, INT64_MAX, &num) == SW_OK)
                json_object_set_new(item, name, json_integer(num));
            else
                json_object_set_new(item, name, json_string(val));
        }
        json_array_append_new(items, item);
    }
    *out = json_pack("{s:o, s:o}", "items", items, "next",
                     n > (size_t)limit && limit > 0
                         ? json_string(r->element[limit - 1]->element[0]->str) : json_null());
    freeReplyObject(r);
    return *out != NULL ? SW_OK : SW_ERR;
}

/* --- an endpoint's failure record --- */

int sw_webhook_disabled(struct sw_store *s, long long sub, long long wid)
{
    sw_key_t key = swk_webhook_state(sub, wid);
    redisReply *r = sw_store_cmd(s, "HEXISTS", key.s, "disabled_at", NULL);
    int off = r != NULL && sw_reply_int(r, 0) == 1;

    if (r != NULL)
        freeReplyObject(r);
    return off;
}

int sw_webhook_state_reset(struct sw_store *s, long long sub, long long wid)
{
    sw_key_t key = swk_webhook_state(sub, wid);
    const char *argv[] = { "HDEL", key.s, "disabled_at", "failing_since" };

    return run_cmd(s, 4, argv);
}

int sw_webhook_succeeded(struct sw_store *s, long long sub, long long wid, int64_t now_ms)
{
    sw_key_t key = swk_webhook_state(sub, wid);
    char now[24];
    const char *a1[] = { "HDEL", key.s, "failing_since", "last_error" };
    const char *a2[] = { "HSET", key.s, "last_success_at", now };
    const char **argvs[] = { a1, a2 };
    int argcs[] = { 4, 4 };

    snprintf(now, sizeof(now), "%lld", (long long)now_ms);
    return run_multi(s, 2, argcs, argvs);
}

int sw_webhook_failed(struct sw_store *s, long long sub, long long wid, const char *error,
                      int64_t now_ms, long long *since)
{
    sw_key_t key = swk_webhook_state(sub, wid);
    char now[24];
    const char *a1[] = { "HSETNX", key.s, "failing_since", now };
    const char *a2[] = { "HSET", key.s, "last_error", error };
    const char *a3[] = { "HGET", key.s, "failing_since" };
    const char **argvs[] = { a1, a2, a3 };
    int argcs[] = { 4, 4, 3 };
    redisReply *r;

    *since = 0;
    snprintf(now, sizeof(now), "%lld", (long long)now_ms);
    r = sw_store_multi(s, 3, argcs, argvs, NULL);
    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 3) {
        if (r != NULL)
            freeReplyObject(r);
        return SW_EAGAIN;
    }
    *since = atoll(sw_reply_str(r->element[2]) ?: "0");
    freeReplyObject(r);
    return SW_OK;
}

int sw_webhook_disable(struct sw_store *s, long long sub, long long wid, int64_t now_ms,
                       int *now_disabled)
{
    sw_key_t key = swk_webhook_state(sub, wid);
    char now[24];
    redisReply *r;

    *now_disabled = 0;
    snprintf(now, sizeof(now), "%lld", (long long)now_ms);
    if ((r = sw_store_cmd(s, "HSETNX", key.s, "disabled_at", now, NULL)) == NULL)
        return SW_EAGAIN;
    *now_disabled = sw_reply_int(r, 0) == 1;
    freeReplyObject(r);
    return SW_OK;
}

/* --- digests --- */

#define DIGEST_SEEN_MS (7 * 86400000LL)

/* KEYS: digest, digested. ARGV: alert, now, forget before. Adds alert to the digest unless it
 * was added within the window already (a deliveries entry seen twice; one sent in an earlier
 * digest must not come again). Returns 1 when added. */
static const char digest_add_lua[] =
    "redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3]) "
    "if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end "
    "redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1]) "
    "redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1]) "
    "return 1";

/* Steps: the alert into the digest (the subscriber's slot), then the subscriber into its
 * shard's digest schedule (ZADD NX). A crash between them leaves the alert waiting without a
 * schedule; the caller's retry (an unacknowledged deliveries entry) does the second step. */
int sw_digest_add(struct sw_store *s, long long sub, const char *alert, int64_t due_ms)
{
    sw_key_t dkey = swk_digest(sub), seen = swk_digest_seen(sub);
    sw_key_t due = swk_digest_due(sw_dlv_shard(s, sub));
    char now[24], before[24], at[24], subtxt[24];
    const char *keys[2] = { dkey.s, seen.s }, *args[3] = { alert, now, before };
    const char *zadd[] = { "ZADD", due.s, "NX", at, subtxt };
    long long added;
    int64_t t = sw_now_ms();
    int rc;

    snprintf(now, sizeof(now), "%lld", (long long)t);
    snprintf(before, sizeof(before), "%lld", (long long)(t - DIGEST_SEEN_MS));
    snprintf(at, sizeof(at), "%lld", (long long)due_ms);
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    if ((rc = sw_store_eval_int(s, digest_add_lua, 2, keys, 3, args, &added)) != SW_OK)
        return rc;
    return run_cmd(s, 5, zadd);
}

int sw_digest_due(struct sw_store *s, int64_t now_ms, size_t max, long long *subs, size_t *n)
{
    int shards = sw_stream_shards(s), k;
    char now[24], lim[24];
    size_t i;

    *n = 0;
    snprintf(now, sizeof(now), "%lld", (long long)now_ms);
    for (k = 0; k < shards && *n < max; k++) {
        sw_key_t due = swk_digest_due(k);
        redisReply *r;

        snprintf(lim, sizeof(lim), "%zu", max - *n);
        r = sw_store_cmd(s, "ZRANGEBYSCORE", due.s, "-inf", now, "LIMIT", "0", lim, NULL);
        if (r == NULL)
            return *n > 0 ? SW_OK : SW_EAGAIN;
        for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements && *n < max; i++)
            if (sw_parse_ll(r->element[i]->str, 1, INT64_MAX, &subs[*n]) == SW_OK)
                (*n)++;
        freeReplyObject(r);
    }
    return SW_OK;
}

int sw_digest_pending(struct sw_store *s, long long sub, int max, json_t **ids, char *first,
                      size_t firstlen, char *upto, size_t uptolen)
{
    sw_key_t dkey = swk_digest(sub);
    char stop[24];
    redisReply *r;
    size_t i;

    *ids = json_array();
    snprintf(stop, sizeof(stop), "%d", max - 1);
    if ((r = sw_store_cmd(s, "ZRANGE", dkey.s, "0", stop, "WITHSCORES", NULL)) == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        json_array_append_new(*ids, json_string(r->element[i]->str));
        if (i == 0)
            sw_strlcpy(first, r->element[1]->str, firstlen);
        sw_strlcpy(upto, r->element[i + 1]->str, uptolen);
    }
    freeReplyObject(r);
    return SW_OK;
}

/* KEYS: digest. ARGV: up to score. What is left after the alerts sent are taken off. */
static const char digest_trim_lua[] =
    "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]) "
    "return redis.call('ZCARD', KEYS[1])";

/* Steps: the alerts sent off the digest (the subscriber's slot); then, when some are left, the
 * next digest scheduled; when none, the subscriber off its shard's schedule and the digest
 * counted once more, scheduling it again if an alert came between the two (its own
 * sw_digest_add found the subscriber still scheduled). A crash after the first step leaves
 * the subscriber due: the next look finds an empty digest and takes it off; a crash between
 * the removal and the second count leaves an alert added in that instant waiting for the
 * subscriber's next alert to schedule the digest again. */
int sw_digest_done(struct sw_store *s, long long sub, const char *upto, int64_t next_ms)
{
    sw_key_t dkey = swk_digest(sub), due = swk_digest_due(sw_dlv_shard(s, sub));
    char at[24], subtxt[24];
    const char *keys[1] = { dkey.s }, *args[1] = { upto };
    const char *zadd[] = { "ZADD", due.s, at, subtxt };
    const char *zaddnx[] = { "ZADD", due.s, "NX", at, subtxt };
    const char *zrem[] = { "ZREM", due.s, subtxt };
    long long left = 0;
    redisReply *r;
    int rc;

    snprintf(at, sizeof(at), "%lld", (long long)next_ms);
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    if ((rc = sw_store_eval_int(s, digest_trim_lua, 1, keys, 1, args, &left)) != SW_OK)
        return rc;
    if (left > 0)
        return run_cmd(s, 4, zadd);
    if ((rc = run_cmd(s, 3, zrem)) != SW_OK)
        return rc;
    if ((r = sw_store_cmd(s, "ZCARD", dkey.s, NULL)) == NULL)
        return SW_EAGAIN;
    left = sw_reply_int(r, 0);
    freeReplyObject(r);
    return left > 0 ? run_cmd(s, 5, zaddnx) : SW_OK;
}

int sw_digest_send_now(struct sw_store *s, long long sub, long long *waiting)
{
    sw_key_t dkey = swk_digest(sub), due = swk_digest_due(sw_dlv_shard(s, sub));
    char now[24], subtxt[24];
    const char *zadd[] = { "ZADD", due.s, now, subtxt };
    redisReply *r;

    *waiting = 0;
    if ((r = sw_store_cmd(s, "ZCARD", dkey.s, NULL)) == NULL)
        return SW_EAGAIN;
    *waiting = sw_reply_int(r, 0);
    freeReplyObject(r);
    snprintf(now, sizeof(now), "%lld", (long long)sw_now_ms());
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    return *waiting > 0 ? run_cmd(s, 4, zadd) : SW_OK;
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
    r = sw_store_cmd(s, "SET", swk_unsub_secret().s, hex, "NX", "GET", NULL);
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
