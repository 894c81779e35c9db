/* people.c — persons, passwords, TOTP, the audit log, sign-in throttling, single-use mail
 * tokens and account mail (see people.h). */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <sodium.h>

#include "seawall/config.h"
#include "seawall/delivery.h"
#include "seawall/keys.h"
#include "seawall/log.h"
#include "seawall/people.h"
#include "seawall/store.h"

const char *const sw_langs[] = { "en", "zh-CN", NULL };

static const struct sw_jfield person_fields[] = {
    { "name", SW_J_STRING, SW_JF_NONEMPTY, 1, 200, NULL },
    { "lang", SW_J_STRING, 0, 2, 5, sw_langs },
    { "tz", SW_J_STRING, 0, 1, 64, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

const struct sw_kind sw_kind_person = {
    .name = "person", .doc_key = swk_person_profile, .index = swk_persons,
    .seq = swk_person_seq, .fields = person_fields,
};

/* The same documents for an exporter, indexed also under its subscriber: the team. */
static const struct sw_kind team_person = {
    .name = "person", .doc_key = swk_person_profile, .index = swk_persons,
    .seq = swk_person_seq, .parent_index = swk_sub_people, .fields = person_fields,
};

/* Members of the stored document nobody is shown. */
static const char *const secret_members[] = { "pwhash", "totp_secret", "totp_pending" };

/* --- passwords --------------------------------------------------------------------------- */

void sw_pwparams_from(const struct sw_config *cfg, struct sw_pwparams *p)
{
    p->opslimit = (unsigned long long)sw_config_int(cfg, "people.argon2_opslimit");
    p->memlimit = (size_t)sw_config_int(cfg, "people.argon2_memlimit");
}

int sw_password_hash(const struct sw_pwparams *p, const char *pw, char *out)
{
    char h[crypto_pwhash_STRBYTES];

    if (sodium_init() < 0 ||
        crypto_pwhash_str_alg(h, pw, strlen(pw), p->opslimit, p->memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return SW_ERR;
    return sw_strlcpy(out, h, SW_PWHASH_MAX) == SW_OK ? SW_OK : SW_ERR;
}

/* A hash of a random password with the current parameters, made once per process: what an
 * unknown account's sign-in is checked against. */
static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[SW_PWHASH_MAX];
static struct sw_pwparams dummy_params;

static void dummy_of(const struct sw_pwparams *p, char *out)
{
    pthread_mutex_lock(&dummy_lock);
    if (dummy_hash[0] == '\0' || dummy_params.opslimit != p->opslimit ||
        dummy_params.memlimit != p->memlimit) {
        unsigned char r[24];
        char pw[64];

        randombytes_buf(r, sizeof(r));
        sodium_bin2base64(pw, sizeof(pw), r, sizeof(r), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        if (sw_password_hash(p, pw, dummy_hash) != SW_OK)
            dummy_hash[0] = '\0';
        dummy_params = *p;
    }
    sw_strlcpy(out, dummy_hash, SW_PWHASH_MAX);
    pthread_mutex_unlock(&dummy_lock);
}

int sw_password_verify(const struct sw_pwparams *p, const char *stored, const char *pw)
{
    char dummy[SW_PWHASH_MAX];

    if (sodium_init() < 0)
        return 0;
    if (stored == NULL || stored[0] == '\0') {
        dummy_of(p, dummy);
        if (dummy[0] != '\0' && crypto_pwhash_str_verify(dummy, pw, strlen(pw)) == 0)
            sw_warn("a password matched the dummy hash");
        return 0;
    }
    return crypto_pwhash_str_verify(stored, pw, strlen(pw)) == 0;
}

int sw_password_needs_rehash(const struct sw_pwparams *p, const char *stored)
{
    return crypto_pwhash_str_needs_rehash(stored, p->opslimit, p->memlimit) != 0;
}

void sw_password_check(const json_t *pw, const char *pointer, struct sw_verrs *errs)
{
    const char *s = json_string_value(pw);
    size_t n, chars = 0, i;

    if (s == NULL) {
        sw_verrs_add(errs, pointer, "is required (a string)");
        return;
    }
    n = json_string_length(pw);
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            chars++;
    if (chars < SW_PW_MIN)
        sw_verrs_add(errs, pointer, "must have at least %d characters", SW_PW_MIN);
    else if (n > SW_PW_MAX)
        sw_verrs_add(errs, pointer, "must have at most %d bytes", SW_PW_MAX);
    else if (strlen(s) != n)
        sw_verrs_add(errs, pointer, "must not contain NUL");
}

/* --- persons ----------------------------------------------------------------------------- */

void sw_email_hash(const char *email, char *hex)
{
    char low[256];
    size_t i;

    for (i = 0; email[i] != '\0' && i + 1 < sizeof(low); i++)
        low[i] = (char)tolower((unsigned char)email[i]);
    low[i] = '\0';
    sw_token_hash(low, i, hex);
}

static void email_key(const char *email, char *key, size_t keylen)
{
    char hex[65];

    sw_email_hash(email, hex);
    sw_strlcpy(key, swk_person_email(hex).s, keylen);
}

/* How long a claim of an address whose person was never written (a creation that died
 * between its steps) keeps the address from anybody else. */
#define EMAIL_CLAIM_STALE_MS 60000

/* KEYS[1] an address's claim; ARGV[1] the value it must hold ("" none), ARGV[2] the value to
 * give it ("" none). 1 when it held ARGV[1] and was changed. */
static const char email_cas_lua[] =
    "local v = redis.call('GET', KEYS[1]) or ''\n"
    "if v ~= ARGV[1] then return 0 end\n"
    "if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end\n"
    "return 1\n";

static int email_cas(struct sw_store *s, const char *key, const char *was, const char *now)
{
    const char *keys[1] = { key }, *args[2] = { was, now };
    long long done = 0;
    int rc = sw_store_eval_int(s, email_cas_lua, 1, keys, 2, args, &done);

    return rc != SW_OK ? rc : done == 1 ? SW_OK : SW_CONFLICT;
}

/* 1 when person id's profile exists, 0 when not, -1 when Redis did not answer. */
static int person_exists(struct sw_store *s, long long id)
{
    redisReply *r = sw_store_cmd(s, "EXISTS", swk_person_profile(id).s, NULL);
    int n;

    if (r == NULL)
        return -1;
    n = sw_reply_int(r, 0) == 1;
    freeReplyObject(r);
    return n;
}

/* The claim of key: its text into val (valsz), the person's id and when it was claimed (ms;
 * 0 for a claim written before claims had a time). SW_OK, SW_NOTFOUND or SW_EAGAIN. */
static int email_claim(struct sw_store *s, const char *key, char *val, size_t valsz,
                       long long *id, long long *at)
{
    redisReply *r = sw_store_cmd(s, "GET", key, NULL);
    char *end;

    val[0] = '\0';
    *id = *at = 0;
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_STRING) {
        sw_strlcpy(val, r->str, valsz);
        *id = strtoll(val, &end, 10);
        if (*end == ':')
            *at = strtoll(end + 1, NULL, 10);
    }
    freeReplyObject(r);
    return *id > 0 ? SW_OK : SW_NOTFOUND;
}

int sw_person_by_email(struct sw_store *s, const char *email, long long *id)
{
    char key[96], val[64];
    long long at;
    int rc, n;

    email_key(email, key, sizeof(key));
    rc = email_claim(s, key, val, sizeof(val), id, &at);
    if (rc != SW_OK)
        return rc;
    /* A claim whose person was never written (its creation died) names nobody. */
    n = person_exists(s, *id);
    if (n < 0)
        return SW_EAGAIN;
    if (n == 0)
        *id = 0;
    return n ? SW_OK : SW_NOTFOUND;
}

/* A person is written in steps, each in one slot, in this order:
 *   1. a new id (sw:seq:person);
 *   2. the address claimed for it: sw:person:email:<hash> = "<id>:<ms>", SET NX (or, over a
 *      claim whose person was never written and that is older than EMAIL_CLAIM_STALE_MS,
 *      compare-and-set);
 *   3. the id into sw:idx:persons and, for an exporter, its team sw:{sub:N}:people;
 *   4. the profile sw:{person:N}:profile (sw_doc_create_id).
 * The claim comes first so two people cannot end up with one address. A crash after 2 or 3
 * leaves a claim and index entries naming no profile: sw_person_by_email and sw_doc_list skip
 * them, and the address is free again once the claim is stale. A failure at 3 or 4 gives the
 * claim back. */
int sw_person_create(struct sw_store *s, const json_t *in, const char *pwhash, json_t **out,
                     char *err, size_t errlen)
{
    const char *email = json_string_value(json_object_get(in, "email"));
    const char *rolename = json_string_value(json_object_get(in, "role"));
    long long subject = json_integer_value(json_object_get(in, "subject")), centre = 0, id;
    long long old_id, old_at;
    char key[96], old[64], mine[64];
    enum sw_role role;
    json_t *doc, *made = NULL;
    int rc;

    if (email == NULL || !sw_email_valid(email)) {
        snprintf(err, errlen, "a valid email is required");
        return SW_INVALID;
    }
    if (rolename == NULL || sw_role_parse(rolename, &role) != SW_OK) {
        snprintf(err, errlen, "role must be exporter, triager, expert, station, association or admin");
        return SW_INVALID;
    }
    rc = sw_auth_subject_check(s, role, subject, &centre, err, errlen);
    if (rc != SW_OK)
        return rc;
    email_key(email, key, sizeof(key));
    rc = email_claim(s, key, old, sizeof(old), &old_id, &old_at);
    if (rc == SW_EAGAIN)
        return rc;
    if (rc == SW_OK) {
        int n = person_exists(s, old_id);

        if (n < 0)
            return SW_EAGAIN;
        if (n == 1 || sw_now_ms() - old_at < EMAIL_CLAIM_STALE_MS) {
            snprintf(err, errlen, "a person with this email exists");
            return SW_CONFLICT;
        }
    }
    doc = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:b, s:b}", "email", email, "name",
                    json_string_value(json_object_get(in, "name")) ?: email, "role", rolename,
                    "subject", (json_int_t)subject, "centre", (json_int_t)centre, "lang",
                    json_string_value(json_object_get(in, "lang")) ?: "en", "tz",
                    json_string_value(json_object_get(in, "tz")) ?: "UTC", "totp_enabled", 0,
                    "verified", json_is_true(json_object_get(in, "verified")));
    if (doc == NULL)
        return SW_ERR;
    if (role == SW_ROLE_EXPORTER)
        json_object_set_new(doc, "team_role",
                            json_string(json_string_value(json_object_get(in, "team_role"))
                                            ?: "owner"));
    if (pwhash != NULL)
        json_object_set_new(doc, "pwhash", json_string(pwhash));
    rc = sw_doc_new_id(s, &sw_kind_person, &id);
    if (rc == SW_OK) {
        snprintf(mine, sizeof(mine), "%lld:%lld", id, (long long)sw_now_ms());
        rc = email_cas(s, key, old, mine);
        if (rc == SW_CONFLICT)
            snprintf(err, errlen, "a person with this email exists");
    }
    if (rc == SW_OK) {
        rc = sw_doc_create_id(s, role == SW_ROLE_EXPORTER ? &team_person : &sw_kind_person, doc,
                              role == SW_ROLE_EXPORTER ? subject : 0, id, &made);
        if (rc != SW_OK && email_cas(s, key, mine, "") != SW_OK)
            sw_warn("person %lld: the claim of its address stays until it is stale (%s)", id,
                    s->errstr);
    }
    json_decref(doc);
    if (rc != SW_OK)
        return rc;
    *out = made;
    return SW_OK;
}

int sw_person_get(struct sw_store *s, long long id, json_t **out)
{
    return sw_doc_get(s, &sw_kind_person, id, out);
}

int sw_person_update(struct sw_store *s, long long id, const json_t *patch, json_t **out)
{
    json_t *doc = NULL;
    int rc = sw_doc_patch(s, &sw_kind_person, id, patch, &doc);

    if (out != NULL)
        *out = doc;
    else
        json_decref(doc);
    return rc;
}

json_t *sw_person_public(const json_t *doc)
{
    json_t *o = json_deep_copy(doc);
    size_t i;

    if (o == NULL)
        return NULL;
    for (i = 0; i < SW_ARRAY_LEN(secret_members); i++)
        json_object_del(o, secret_members[i]);
    json_object_del(o, "updated_at");
    if (json_object_get(o, "team_role") == NULL)
        json_object_set_new(o, "team_role", json_null());
    return o;
}

int sw_person_list(struct sw_store *s, long long after, int limit, json_t **items,
                   long long *next)
{
    json_t *list, *v;
    size_t i;
    int rc = sw_doc_list(s, &sw_kind_person, 0, after, limit, &list, next);

    if (rc != SW_OK)
        return rc;
    *items = json_array();
    json_array_foreach(list, i, v)
        json_array_append_new(*items, sw_person_public(v));
    json_decref(list);
    return SW_OK;
}

int sw_person_team(struct sw_store *s, long long subscriber, long long after, int limit,
                   json_t **items, long long *next)
{
    static const char *const shown[] = { "id", "name", "email", "team_role", "totp_enabled",
                                         "verified", "created_at" };
    json_t *list, *v;
    size_t i, k;
    int rc = sw_doc_list(s, &team_person, subscriber, after, limit, &list, next);

    if (rc != SW_OK)
        return rc;
    *items = json_array();
    json_array_foreach(list, i, v) {
        json_t *o = json_object();

        for (k = 0; k < SW_ARRAY_LEN(shown); k++) {
            json_t *m = json_object_get(v, shown[k]);

            json_object_set(o, shown[k], m != NULL ? m : json_null());
        }
        json_array_append_new(*items, o);
    }
    json_decref(list);
    return SW_OK;
}

int sw_person_seen(struct sw_store *s, long long person, const char *addr, const char *ua)
{
    char key[64], hex[65];
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    redisReply *rep[2];
    int fresh;

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)(addr ?: ""), strlen(addr ?: "") + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)(ua ?: ""), strlen(ua ?: ""));
    crypto_hash_sha256_final(&st, h);
    sw_hex(h, sizeof(h), hex);
    sw_strlcpy(key, swk_person_seen(person).s, sizeof(key));
    {
        const char *a1[] = { "SCARD", key }, *a2[] = { "SADD", key, hex };
        const char **argvs[] = { a1, a2 };
        int argcs[] = { 2, 3 };

        if (sw_store_pipeline(s, 2, argcs, argvs, rep) != SW_OK)
            return 0;
    }
    fresh = sw_reply_int(rep[0], 0) > 0 && sw_reply_int(rep[1], 0) == 1;
    freeReplyObject(rep[0]);
    freeReplyObject(rep[1]);
    return fresh;
}

/* --- the audit log ----------------------------------------------------------------------- */

void sw_audit(struct sw_store *s, long long person, long long max, const char *event,
              const char *addr, const char *ua, const char *detail)
{
    char key[64], when[32], last[24];
    json_t *e;
    char *text;
    redisReply *r;

    if (person <= 0)
        return;
    e = json_pack("{s:s, s:s, s:s?, s:s?}", "at", sw_iso8601(sw_now_ms(), when, sizeof(when)),
                  "event", event, "address", addr, "user_agent", ua);
    if (e == NULL)
        return;
    if (detail != NULL)
        json_object_set_new(e, "detail", json_string(detail));
    text = sw_json_dumps(e);
    json_decref(e);
    if (text == NULL)
        return;
    sw_strlcpy(key, swk_person_audit(person).s, sizeof(key));
    snprintf(last, sizeof(last), "%lld", max > 0 ? max - 1 : 0);
    {
        const char *push[] = { "LPUSH", key, text }, *trim[] = { "LTRIM", key, "0", last };
        const char **argvs[] = { push, trim };
        int argcs[] = { 3, 4 };

        r = sw_store_multi(s, 2, argcs, argvs, NULL);
    }
    if (r == NULL)
        sw_warn("person %lld: audit entry \"%s\" not stored (%s)", person, event, s->errstr);
    else
        freeReplyObject(r);
    free(text);
}

int sw_audit_list(struct sw_store *s, long long person, long long offset, int limit,
                  json_t **items, long long *next)
{
    char key[64], from[24], to[24];
    redisReply *r;
    size_t i;

    sw_strlcpy(key, swk_person_audit(person).s, sizeof(key));
    snprintf(from, sizeof(from), "%lld", offset);
    snprintf(to, sizeof(to), "%lld", offset + limit);   /* one more: is there a next page */
    r = sw_store_cmd(s, "LRANGE", key, from, to, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *items = json_array();
    *next = 0;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements && i < (size_t)limit; i++) {
        json_t *e = json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL);

        if (e != NULL)
            json_array_append_new(*items, e);
    }
    if (r->type == REDIS_REPLY_ARRAY && r->elements > (size_t)limit)
        *next = offset + limit;
    freeReplyObject(r);
    return SW_OK;
}

/* --- sign-in throttling ------------------------------------------------------------------ */

void sw_throttle_from(const struct sw_config *cfg, struct sw_throttle *t)
{
    t->window_s = sw_config_int(cfg, "people.signin_window_s");
    t->per_account = sw_config_int(cfg, "people.signin_fail_account");
    t->per_address = sw_config_int(cfg, "people.signin_fail_address");
}

static void throttle_keys(const char *email, const char *addr, char *acct, char *ip,
                          size_t len)
{
    char hex[65];
    size_t i;

    sw_email_hash(email, hex);
    sw_strlcpy(acct, swk_throttle_acct(hex).s, len);
    sw_strlcpy(ip, swk_throttle_ip(addr != NULL ? addr : "-").s, len);
    for (i = strlen(swk_throttle_ip("").s); ip[i] != '\0'; i++)
        if ((unsigned char)ip[i] <= ' ' || (unsigned char)ip[i] >= 0x7f)
            ip[i] = '_';
}

int sw_throttle_check(struct sw_store *s, const struct sw_throttle *t, const char *email,
                      const char *addr, long long *retry_s)
{
    char acct[96], ip[96];
    const char *a1[] = { "GET", acct }, *a2[] = { "PTTL", acct };
    const char *a3[] = { "GET", ip }, *a4[] = { "PTTL", ip };
    const char **argvs[] = { a1, a2, a3, a4 };
    int argcs[] = { 2, 2, 2, 2 }, i;
    redisReply *rep[4];
    long long wait_ms = 0;

    throttle_keys(email, addr, acct, ip, sizeof(acct));
    if (sw_store_pipeline(s, 4, argcs, argvs, rep) != SW_OK)
        return SW_EAGAIN;
    if (atoll(sw_reply_str(rep[0]) ?: "0") >= t->per_account)
        wait_ms = sw_reply_int(rep[1], t->window_s * 1000);
    if (atoll(sw_reply_str(rep[2]) ?: "0") >= t->per_address &&
        sw_reply_int(rep[3], t->window_s * 1000) > wait_ms)
        wait_ms = sw_reply_int(rep[3], t->window_s * 1000);
    for (i = 0; i < 4; i++)
        freeReplyObject(rep[i]);
    *retry_s = wait_ms > 0 ? (wait_ms + 999) / 1000 : 0;
    return SW_OK;
}

void sw_throttle_fail(struct sw_store *s, const struct sw_throttle *t, const char *email,
                      const char *addr)
{
    char acct[96], ip[96], win[24];
    const char *a1[] = { "SET", acct, "0", "EX", win, "NX" }, *a2[] = { "INCR", acct };
    const char *a3[] = { "SET", ip, "0", "EX", win, "NX" }, *a4[] = { "INCR", ip };
    const char **argvs[] = { a1, a2, a3, a4 };
    int argcs[] = { 6, 2, 6, 2 };

    redisReply *rep[4];
    int i;

    /* The two counts lie in two slots: a pipeline (each key's SET NX before its INCR, on its
     * node's one connection), not a transaction; a crash between leaves a count of 0 that
     * expires. */
    throttle_keys(email, addr, acct, ip, sizeof(acct));
    snprintf(win, sizeof(win), "%lld", t->window_s);
    if (sw_store_pipeline(s, 4, argcs, argvs, rep) != SW_OK)
        return;
    for (i = 0; i < 4; i++)
        freeReplyObject(rep[i]);
}

void sw_throttle_clear(struct sw_store *s, const char *email)
{
    char acct[96], ip[96];
    redisReply *r;

    throttle_keys(email, NULL, acct, ip, sizeof(acct));
    r = sw_store_cmd(s, "DEL", acct, NULL);
    if (r != NULL)
        freeReplyObject(r);
}

/* --- single-use mail tokens -------------------------------------------------------------- */

static int ot_key(const char *kind, const char *token, char *key, size_t keylen, char *hash)
{
    char h[65];
    size_t n = strlen(token), i;

    if (n != 43)
        return SW_NOTFOUND;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)token[i]) && token[i] != '-' && token[i] != '_')
            return SW_NOTFOUND;
    sw_token_hash(token, n, h);
    sw_strlcpy(key, swk_onetime(kind, h).s, keylen);
    if (hash != NULL)
        memcpy(hash, h, sizeof(h));
    return SW_OK;
}

/* A new random token into token (SW_OT_TOKEN_MAX), its record's key into key and its hash
 * into hash (65, may be NULL). */
static void ot_new(const char *kind, char *token, char *key, size_t keylen, char *hash)
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(token, SW_OT_TOKEN_MAX, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    ot_key(kind, token, key, keylen, hash);
}

/* Writes payload with its expiry under key, kept ttl_s (and a minute) by Redis. */
static int ot_write(struct sw_store *s, const char *key, const json_t *payload, int64_t now_ms,
                    long long ttl_s)
{
    char ex[24];
    json_t *p;
    char *text;
    redisReply *r;

    p = json_deep_copy(payload);
    if (p == NULL)
        return SW_ERR;
    json_object_set_new(p, "expires_ms", json_integer(now_ms + ttl_s * 1000));
    text = sw_json_dumps(p);
    json_decref(p);
    if (text == NULL)
        return SW_ERR;
    snprintf(ex, sizeof(ex), "%lld", ttl_s + 60);
    r = sw_store_cmd(s, "SET", key, text, "EX", ex, NULL);
    free(text);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

int sw_onetime_put(struct sw_store *s, const char *kind, const json_t *payload, int64_t now_ms,
                   long long ttl_s, char *token, char *hash)
{
    char key[128];

    ot_new(kind, token, key, sizeof(key), hash);
    return ot_write(s, key, payload, now_ms, ttl_s);
}

static int ot_get(struct sw_store *s, const char *cmd, const char *key, int64_t now_ms,
                  json_t **payload)
{
    redisReply *r;
    json_t *p;

    *payload = NULL;
    r = sw_store_cmd(s, cmd, key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    p = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    if (p == NULL)
        return SW_NOTFOUND;
    if (json_integer_value(json_object_get(p, "expires_ms")) < now_ms) {
        json_decref(p);
        return SW_NOTFOUND;
    }
    *payload = p;
    return SW_OK;
}

static int ot_read(struct sw_store *s, const char *cmd, const char *kind, const char *token,
                   int64_t now_ms, json_t **payload)
{
    char key[128];

    *payload = NULL;
    if (token == NULL || ot_key(kind, token, key, sizeof(key), NULL) != SW_OK)
        return SW_NOTFOUND;
    return ot_get(s, cmd, key, now_ms, payload);
}

int sw_onetime_by_hash(struct sw_store *s, const char *kind, const char *hash, int64_t now_ms,
                       json_t **payload)
{
    char key[128];

    sw_strlcpy(key, swk_onetime(kind, hash).s, sizeof(key));
    return ot_get(s, "GET", key, now_ms, payload);
}

int sw_onetime_take(struct sw_store *s, const char *kind, const char *token, int64_t now_ms,
                    json_t **payload)
{
    return ot_read(s, "GETDEL", kind, token, now_ms, payload);
}

int sw_onetime_peek(struct sw_store *s, const char *kind, const char *token, int64_t now_ms,
                    json_t **payload)
{
    return ot_read(s, "GET", kind, token, now_ms, payload);
}

int sw_onetime_drop(struct sw_store *s, const char *kind, const char *hash)
{
    char key[128];
    redisReply *r;
    long long n;

    sw_strlcpy(key, swk_onetime(kind, hash).s, sizeof(key));
    r = sw_store_cmd(s, "DEL", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    n = sw_reply_int(r, 0);
    freeReplyObject(r);
    return n == 1 ? SW_OK : SW_NOTFOUND;
}

/* --- invitations ------------------------------------------------------------------------ */

/* An index entry of sw:{person:N}:invites is "<token hash>:<ms written>". An entry younger
 * than this whose invitation is not there (yet) is left alone by the list. */
#define INVITE_YOUNG_MS 60000

/* Two steps, each in one slot: (1) the entry "<pub> -> <hash>:<ms>" into the inviter's index
 * sw:{person:N}:invites, (2) the invitation's single-use token sw:ot:invite:<hash>. A crash
 * between leaves an entry naming no invitation: the list skips it, and drops it once it is
 * older than INVITE_YOUNG_MS (not before: step 2 of another request may be on its way). */
int sw_invite_put(struct sw_store *s, long long person, const json_t *payload, int64_t now_ms,
                  long long ttl_s, char *token, char *pub)
{
    char key[128], hash[65], val[96];
    redisReply *r;
    int rc;

    ot_new("invite", token, key, sizeof(key), hash);
    memcpy(pub, hash, SW_INVITE_ID_LEN);
    pub[SW_INVITE_ID_LEN] = '\0';
    snprintf(val, sizeof(val), "%s:%lld", hash, (long long)sw_now_ms());
    r = sw_store_cmd(s, "HSET", swk_person_invites(person).s, pub, val, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    rc = ot_write(s, key, payload, now_ms, ttl_s);
    if (rc != SW_OK) {
        r = sw_store_cmd(s, "HDEL", swk_person_invites(person).s, pub, NULL);
        if (r != NULL)
            freeReplyObject(r);
    }
    return rc;
}

/* The hash and the time of an index entry's value (a value without a time is old). */
static int invite_entry(const redisReply *v, char *hash, long long *at)
{
    if (v == NULL || v->type != REDIS_REPLY_STRING || v->len < 64)
        return SW_NOTFOUND;
    memcpy(hash, v->str, 64);
    hash[64] = '\0';
    *at = v->len > 65 && v->str[64] == ':' ? strtoll(v->str + 65, NULL, 10) : 0;
    return SW_OK;
}

int sw_invite_list(struct sw_store *s, long long person, int64_t now_ms, json_t **items)
{
    sw_key_t key = swk_person_invites(person);
    redisReply *r;
    size_t i;

    r = sw_store_cmd(s, "HGETALL", key.s, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *items = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        char hash[65];
        long long at = 0;
        json_t *p;
        int rc = invite_entry(r->element[i + 1], hash, &at);

        if (rc == SW_OK)
            rc = sw_onetime_by_hash(s, "invite", hash, now_ms, &p);
        if (rc == SW_EAGAIN) {
            freeReplyObject(r);
            json_decref(*items);
            *items = NULL;
            return rc;
        }
        if (rc != SW_OK) {
            if (sw_now_ms() - at >= INVITE_YOUNG_MS) {
                redisReply *d = sw_store_cmd(s, "HDEL", key.s, r->element[i]->str, NULL);

                if (d != NULL)
                    freeReplyObject(d);
            }
            continue;
        }
        json_object_set_new(p, "id", json_string(r->element[i]->str));
        json_array_append_new(*items, p);
    }
    freeReplyObject(r);
    return SW_OK;
}

/* (1) the invitation's token, (2) its index entry: a crash between leaves an entry the list
 * drops. */
int sw_invite_revoke(struct sw_store *s, long long person, const char *pub)
{
    sw_key_t key = swk_person_invites(person);
    char hash[65];
    long long at;
    redisReply *r;
    int rc;

    if (pub == NULL || strlen(pub) != SW_INVITE_ID_LEN)
        return SW_NOTFOUND;
    r = sw_store_cmd(s, "HGET", key.s, pub, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    rc = invite_entry(r, hash, &at);
    freeReplyObject(r);
    if (rc != SW_OK)
        return rc;
    rc = sw_onetime_drop(s, "invite", hash);
    if (rc == SW_EAGAIN)
        return rc;
    r = sw_store_cmd(s, "HDEL", key.s, pub, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return rc;
}

void sw_invite_forget(struct sw_store *s, long long person, const char *token)
{
    char hash[65];
    redisReply *r;

    sw_token_hash(token, strlen(token), hash);
    hash[SW_INVITE_ID_LEN] = '\0';
    r = sw_store_cmd(s, "HDEL", swk_person_invites(person).s, hash, NULL);
    if (r != NULL)
        freeReplyObject(r);
}

/* --- TOTP -------------------------------------------------------------------------------- */

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ready;

static void oath_start(void)
{
    oath_ready = oath_init() == OATH_OK;
}

int sw_totp_secret(char *b32)
{
    char raw[20], *out = NULL;
    size_t outlen = 0, i, n = 0;

    pthread_once(&oath_once, oath_start);
    if (!oath_ready)
        return SW_ERR;
    randombytes_buf(raw, sizeof(raw));
    if (oath_base32_encode(raw, sizeof(raw), &out, &outlen) != OATH_OK) {
        sodium_memzero(raw, sizeof(raw));
        return SW_ERR;
    }
    for (i = 0; i < outlen && n + 1 < SW_TOTP_SECRET_MAX; i++)
        if (out[i] != '=')
            b32[n++] = out[i];
    b32[n] = '\0';
    sodium_memzero(raw, sizeof(raw));
    sodium_memzero(out, outlen);
    free(out);
    return SW_OK;
}

/* Percent-encodes s for a URI component. */
static void uri_part(char *out, size_t outlen, const char *s)
{
    size_t n = 0;

    for (; *s != '\0' && n + 4 < outlen; s++) {
        unsigned char c = (unsigned char)*s;

        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out[n++] = (char)c;
        } else {
            snprintf(out + n, 4, "%%%02X", c);
            n += 3;
        }
    }
    out[n] = '\0';
}

void sw_totp_uri(const char *email, const char *b32, char *out, size_t outlen)
{
    char who[800];

    uri_part(who, sizeof(who), email);
    snprintf(out, outlen, "otpauth://totp/Seawall:%s?secret=%s&issuer=Seawall&algorithm=SHA1"
             "&digits=6&period=30", who, b32);
}

int sw_totp_check(const char *b32, const char *code, int64_t now_ms, long long *step)
{
    char *secret = NULL;
    size_t slen = 0, i;
    time_t now = (time_t)(now_ms / 1000);
    int pos = 0, rc;

    pthread_once(&oath_once, oath_start);
    if (!oath_ready || b32 == NULL || code == NULL || strlen(code) != 6)
        return SW_INVALID;
    for (i = 0; i < 6; i++)
        if (!isdigit((unsigned char)code[i]))
            return SW_INVALID;
    if (oath_base32_decode(b32, strlen(b32), &secret, &slen) != OATH_OK)
        return SW_INVALID;
    rc = oath_totp_validate2(secret, slen, now, OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                             OATH_TOTP_DEFAULT_START_TIME, 1, &pos, code);
    sodium_memzero(secret, slen);
    free(secret);
    if (rc < 0)
        return SW_INVALID;
    *step = (long long)(now / OATH_TOTP_DEFAULT_TIME_STEP_SIZE) + pos;
    return SW_OK;
}

/* KEYS[1] the person's last accepted step; ARGV[1] this step. 1 when it is newer. */
static const char totp_use_lua[] =
    "local last = tonumber(redis.call('GET', KEYS[1]) or '-1')\n"
    "if tonumber(ARGV[1]) <= last then return 0 end\n"
    "redis.call('SET', KEYS[1], ARGV[1], 'EX', 300)\n"
    "return 1\n";

int sw_totp_use(struct sw_store *s, long long person, long long step)
{
    char key[64], st[24];
    const char *keys[1] = { key }, *args[1] = { st };
    long long ok = 0;
    int rc;

    sw_strlcpy(key, swk_person_totp_last(person).s, sizeof(key));
    snprintf(st, sizeof(st), "%lld", step);
    rc = sw_store_eval_int(s, totp_use_lua, 1, keys, 1, args, &ok);
    if (rc != SW_OK)
        return rc == SW_ERR ? SW_EAGAIN : rc;
    return ok == 1 ? SW_OK : SW_CONFLICT;
}

/* --- account mail ------------------------------------------------------------------------ */

int sw_account_mail(struct sw_store *s, const char *to, const char *subject, const char *text,
                    const char *html)
{
    unsigned char r[16];
    char what[64], target[300], id[40];
    json_t *job;
    int created, rc;

    randombytes_buf(r, sizeof(r));
    memcpy(what, "account:", 8);
    sw_hex(r, sizeof(r), what + 8);
    snprintf(target, sizeof(target), "email:%s", to);
    sw_dlv_id(0, what, target, id, sizeof(id));
    job = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "kind", "account", "topic",
                    "account", "to", to, "subject", subject, "text", text, "html", html);
    if (job == NULL)
        return SW_ERR;
    rc = sw_dlv_enqueue(s, 0, job, sw_now_ms(), &created);
    json_decref(job);
    return rc;
}
