/* auth.c — token generation, hashing, verification and the token records in Redis. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "seawall/accounts.h"
#include "seawall/associations.h"
#include "seawall/auth.h"
#include "seawall/date.h"
#include "seawall/live.h"
#include "seawall/i18n.h"
#include "seawall/keys.h"
#include "seawall/ratelimit.h"
#include "seawall/store.h"

#define TOKEN_PREFIX "swt_"
#define SECRET_BYTES 32
#define SECRET_LEN   43     /* unpadded base64url of 32 bytes */
#define USED_KEY     used_key()   /* token id -> the minute it was last used (ms) */
#define USED_EVERY_MS 60000

static const struct { enum sw_role role; const char *name; } role_names[] = {
    { SW_ROLE_EXPORTER, "exporter" }, { SW_ROLE_TRIAGER, "triager" },
    { SW_ROLE_EXPERT, "expert" },     { SW_ROLE_STATION, "station" },
    { SW_ROLE_ADMIN, "admin" },       { SW_ROLE_ASSOCIATION, "association" },
};

/* The key of the tokens' last uses; its text lives as long as the thread. */
static const char *used_key(void)
{
    static __thread sw_key_t k;

    if (k.s[0] == '\0')
        k = swk_tokens_used();
    return k.s;
}

const char *sw_role_name(enum sw_role r)
{
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(role_names); i++)
        if (role_names[i].role == r)
            return role_names[i].name;
    return "none";
}

int sw_role_parse(const char *s, enum sw_role *out)
{
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(role_names); i++) {
        if (strcmp(role_names[i].name, s) == 0) {
            *out = role_names[i].role;
            return SW_OK;
        }
    }
    return SW_INVALID;
}

int sw_token_generate(char *id, char *token)
{
    unsigned char idbin[SW_TOKEN_ID_LEN / 2], secret[SECRET_BYTES];
    char b64[SECRET_LEN + 8];

    if (sodium_init() < 0)
        return SW_ERR;
    randombytes_buf(idbin, sizeof(idbin));
    randombytes_buf(secret, sizeof(secret));
    sw_hex(idbin, sizeof(idbin), id);
    sodium_bin2base64(b64, sizeof(b64), secret, sizeof(secret),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(token, SW_TOKEN_MAX, TOKEN_PREFIX "%s_%s", id, b64);
    sodium_memzero(secret, sizeof(secret));
    return SW_OK;
}

int sw_token_generate_in_slot(char *id, char *token, int slot)
{
    unsigned char idbin[SW_TOKEN_ID_LEN / 2], secret[SECRET_BYTES];
    char b64[SECRET_LEN + 8];
    uint64_t base, i;

    if (slot < 0)
        return sw_token_generate(id, token);
    if (sodium_init() < 0)
        return SW_ERR;
    randombytes_buf(&base, sizeof(base));
    /* About 16384 ids are tried on average (a slot is 1 of 16384); 2^24 fail to find one with
     * odds of e^-1024. The id is public: drawing it so costs the secret nothing. */
    for (i = 0; i < (1u << 24); i++) {
        uint64_t v = base + i;
        sw_key_t key;
        size_t k;

        for (k = 0; k < sizeof(idbin); k++)
            idbin[k] = (unsigned char)(v >> (8 * k));
        sw_hex(idbin, sizeof(idbin), id);
        key = swk_token(id);
        if (sw_store_slot(key.s, strlen(key.s)) == slot)
            break;
    }
    if (i == (1u << 24))
        return sw_token_generate(id, token);
    randombytes_buf(secret, sizeof(secret));
    sodium_bin2base64(b64, sizeof(b64), secret, sizeof(secret),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(token, SW_TOKEN_MAX, TOKEN_PREFIX "%s_%s", id, b64);
    sodium_memzero(secret, sizeof(secret));
    return SW_OK;
}

int sw_token_split(const char *token, char *id, const char **secret)
{
    size_t plen = strlen(TOKEN_PREFIX), i;
    const char *p;

    if (strncmp(token, TOKEN_PREFIX, plen) != 0)
        return SW_INVALID;
    p = token + plen;
    for (i = 0; i < SW_TOKEN_ID_LEN; i++)
        if (!isxdigit((unsigned char)p[i]) || isupper((unsigned char)p[i]))
            return SW_INVALID;
    if (p[SW_TOKEN_ID_LEN] != '_')
        return SW_INVALID;
    *secret = p + SW_TOKEN_ID_LEN + 1;
    if (strlen(*secret) != SECRET_LEN)
        return SW_INVALID;
    for (i = 0; i < SECRET_LEN; i++) {
        unsigned char c = (unsigned char)(*secret)[i];

        if (!isalnum(c) && c != '-' && c != '_')
            return SW_INVALID;
    }
    memcpy(id, p, SW_TOKEN_ID_LEN);
    id[SW_TOKEN_ID_LEN] = '\0';
    return SW_OK;
}

void sw_token_hash(const char *secret, size_t len, char *hex)
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)secret, len);
    sw_hex(h, sizeof(h), hex);
}

int sw_token_verify(const char *secret, const char *stored_hex)
{
    unsigned char got[crypto_hash_sha256_BYTES], want[crypto_hash_sha256_BYTES];
    size_t wlen = 0;

    crypto_hash_sha256(got, (const unsigned char *)secret, strlen(secret));
    if (sodium_hex2bin(want, sizeof(want), stored_hex, strlen(stored_hex), NULL, &wlen, NULL) != 0
        || wlen != sizeof(want))
        return 0;
    return sodium_memcmp(got, want, sizeof(want)) == 0;
}

const struct sw_kind *sw_auth_account_kind(enum sw_role role)
{
    switch (role) {
    case SW_ROLE_EXPORTER: return &sw_kind_subscriber;
    case SW_ROLE_TRIAGER:
    case SW_ROLE_EXPERT: return &sw_kind_staff;
    case SW_ROLE_STATION: return &sw_kind_station;
    case SW_ROLE_ASSOCIATION: return &sw_kind_association;
    default: return NULL;
    }
}

int sw_auth_subject_check(struct sw_store *s, enum sw_role role, long long subject,
                               long long *centre, char *err, size_t errlen)
{
    const struct sw_kind *k = NULL;
    json_t *doc = NULL;
    int rc;

    *centre = 0;
    if (role == SW_ROLE_ADMIN) {
        if (subject != 0) {
            snprintf(err, errlen, "%s", sw_t("an admin token has no subject (use 0)"));
            return SW_INVALID;
        }
        return SW_OK;
    }
    k = sw_auth_account_kind(role);
    if (k == NULL) {
        snprintf(err, errlen, "%s", sw_t("unknown role"));
        return SW_INVALID;
    }
    rc = sw_doc_get(s, k, subject, &doc);
    if (rc == SW_NOTFOUND) {
        if (k == &sw_kind_staff)
            snprintf(err, errlen, sw_t("no staff with id %lld"), subject);
        else if (k == &sw_kind_station)
            snprintf(err, errlen, sw_t("no station with id %lld"), subject);
        else if (k == &sw_kind_association)
            snprintf(err, errlen, sw_t("no association with id %lld"), subject);
        else
            snprintf(err, errlen, sw_t("no subscriber with id %lld"), subject);
        return SW_INVALID;
    }
    if (rc != SW_OK)
        return rc;
    if (k == &sw_kind_staff) {
        const char *r = json_string_value(json_object_get(doc, "role"));

        if (r == NULL || strcmp(r, sw_role_name(role)) != 0) {
            snprintf(err, errlen, sw_t("staff %lld is a %s, not a %s"), subject, r ? r : "?",
                     sw_role_name(role));
            json_decref(doc);
            return SW_INVALID;
        }
        *centre = json_integer_value(json_object_get(doc, "centre_id"));
    }
    json_decref(doc);
    return SW_OK;
}

/* A token is written in two steps, each in one cluster slot: (1) its id into sw:idx:tokens
 * and, for a person's own token, sw:{person:N}:tokens (ZADD, harmless again); (2) its record
 * sw:tok:<id>. A crash between leaves index entries naming no record: the lists skip them
 * (sw_auth_token_get answers SW_NOTFOUND) and no secret was shown, so nothing can use them. */
int sw_auth_token_create(struct sw_store *s, enum sw_role role, long long subject,
                         long long person, const char *label, int64_t expires_ms, json_t **out,
                         char *err, size_t errlen)
{
    char id[SW_TOKEN_ID_LEN + 1], token[SW_TOKEN_MAX], hash[65], key[64], pkey[64];
    char subj[32], cen[32], seqtxt[32], created[32], expires[32] = "", ptxt[32], akey[128];
    const struct sw_kind *k;
    long long centre, seq;
    int64_t now = sw_now_ms();
    redisReply *r;
    int rc;

    if (expires_ms != 0 && expires_ms <= now) {
        snprintf(err, errlen, "the expiry must be in the future");
        return SW_INVALID;
    }
    rc = sw_auth_subject_check(s, role, subject, &centre, err, errlen);
    if (rc != SW_OK)
        return rc;
    if (expires_ms != 0)
        sw_iso8601(expires_ms, expires, sizeof(expires));
    /* The record in its account's cluster slot: every request with the token reads both
     * (with its request count, which follows the record) in one round trip to one node. */
    k = sw_auth_account_kind(role);
    if (k != NULL)
        sw_doc_key(k, subject, akey, sizeof(akey));
    if (sw_token_generate_in_slot(id, token, k != NULL ? sw_store_slot(akey, strlen(akey))
                                                       : -1) != SW_OK) {
        snprintf(err, errlen, "random source unavailable");
        return SW_ERR;
    }
    sw_token_hash(token + strlen(TOKEN_PREFIX) + SW_TOKEN_ID_LEN + 1, SECRET_LEN, hash);
    r = sw_store_cmd(s, "INCR", swk_token_seq().s, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    seq = sw_reply_int(r, 0);
    freeReplyObject(r);

    sw_auth_token_key(id, key, sizeof(key));
    snprintf(subj, sizeof(subj), "%lld", subject);
    snprintf(cen, sizeof(cen), "%lld", centre);
    snprintf(seqtxt, sizeof(seqtxt), "%lld", seq);
    snprintf(ptxt, sizeof(ptxt), "%lld", person);
    sw_strlcpy(pkey, swk_person_tokens(person).s, sizeof(pkey));
    sw_iso8601(now, created, sizeof(created));
    {
        /* Step 1, the indexes (other slots than the record; one pipeline): every token's and
         * the person's own. */
        sw_key_t idx = swk_tokens();
        const char *zadd[] = { "ZADD", idx.s, seqtxt, id };
        const char *pzadd[] = { "ZADD", pkey, seqtxt, id };
        const char **argvs[] = { zadd, pzadd };
        int argcs[] = { 4, 4 }, i, n = person > 0 ? 2 : 1;
        redisReply *rep[2] = { NULL, NULL };

        if (sw_store_pipeline(s, n, argcs, argvs, rep) != SW_OK)
            return SW_EAGAIN;
        rc = SW_OK;
        for (i = 0; i < n; i++) {
            if (rep[i]->type == REDIS_REPLY_ERROR)
                rc = SW_ERR;
            freeReplyObject(rep[i]);
        }
        if (rc != SW_OK) {
            snprintf(err, errlen, "storing the token failed");
            return rc;
        }
    }
    {
        /* Step 2, the record, in its own slot. A token that never expires has no expires_at
         * field (it comes last). */
        const char *hset[] = { "HSET", key, "hash", hash, "role", sw_role_name(role),
                               "subject", subj, "centre", cen, "label", label,
                               "created_at", created, "seq", seqtxt, "person", ptxt,
                               "expires_at", expires };

        r = sw_store_cmdv(s, (int)SW_ARRAY_LEN(hset) - (expires[0] ? 0 : 2), hset, NULL);
    }
    if (r == NULL)
        return SW_EAGAIN;
    rc = r->type == REDIS_REPLY_INTEGER ? SW_OK : SW_ERR;
    freeReplyObject(r);
    if (rc != SW_OK) {
        snprintf(err, errlen, "storing the token failed");
        return rc;
    }
    *out = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:I, s:I, s:o, s:n}", "id", id,
                     "token", token, "role", sw_role_name(role), "subject", (json_int_t)subject,
                     "centre", (json_int_t)centre, "label", label, "created_at", created, "seq",
                     (json_int_t)seq, "person", (json_int_t)person, "expires_at",
                     expires[0] ? json_string(expires) : json_null(), "last_used_at");
    sodium_memzero(token, sizeof(token));
    return *out != NULL ? SW_OK : SW_ERR;
}

static const char *const token_fields[] = { "hash", "role", "subject", "centre", "label",
                                            "created_at", "revoked_at", "seq", "expires_at",
                                            "person" };
#define TF_HASH 0
#define TF_ROLE 1
#define TF_SUBJECT 2
#define TF_CENTRE 3
#define TF_LABEL 4
#define TF_CREATED 5
#define TF_REVOKED 6
#define TF_SEQ 7
#define TF_EXPIRES 8
#define TF_PERSON 9

/* A command that rides in the token read's round trip (token_fetch); reply is its reply (the
 * caller frees it) once sent. */
struct fetch_extra {
    int argc;
    const char **argv;
    redisReply *reply;
};

/* The token record's fields; with extra, the extra command goes in the same round trip. */
static redisReply *token_fetch(struct sw_store *s, const char *id, struct fetch_extra *extra)
{
    char key[64];
    const char *argv[2 + SW_ARRAY_LEN(token_fields)];
    const char **argvs[2];
    int argcs[2];
    redisReply *rep[2];
    size_t i;

    sw_auth_token_key(id, key, sizeof(key));
    argv[0] = "HMGET";
    argv[1] = key;
    for (i = 0; i < SW_ARRAY_LEN(token_fields); i++)
        argv[2 + i] = token_fields[i];
    if (extra == NULL)
        return sw_store_cmdv(s, (int)SW_ARRAY_LEN(argv), argv, NULL);
    argvs[0] = argv;
    argcs[0] = (int)SW_ARRAY_LEN(argv);
    argvs[1] = extra->argv;
    argcs[1] = extra->argc;
    if (sw_store_pipeline(s, 2, argcs, argvs, rep) != SW_OK)
        return NULL;
    extra->reply = rep[1];
    return rep[0];
}

/* The public view of a token record (never the hash); used is the minute of its last use
 * (ms), or 0 when it was never used. */
static json_t *token_json(const char *id, const redisReply *r, long long used)
{
    const char *revoked = sw_reply_str(r->element[TF_REVOKED]);
    const char *expires = sw_reply_str(r->element[TF_EXPIRES]);
    char when[32];
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:I, s:I}", "id", id,
                          "role", sw_reply_str(r->element[TF_ROLE]),
                          "subject", (json_int_t)sw_reply_int(r->element[TF_SUBJECT], 0),
                          "centre", (json_int_t)sw_reply_int(r->element[TF_CENTRE], 0),
                          "label", sw_reply_str(r->element[TF_LABEL]) ?: "",
                          "created_at", sw_reply_str(r->element[TF_CREATED]) ?: "",
                          "seq", (json_int_t)sw_reply_int(r->element[TF_SEQ], 0),
                          "person", (json_int_t)sw_reply_int(r->element[TF_PERSON], 0));

    if (o != NULL) {
        json_object_set_new(o, "revoked_at", revoked ? json_string(revoked) : json_null());
        json_object_set_new(o, "expires_at", expires ? json_string(expires) : json_null());
        json_object_set_new(o, "last_used_at", used > 0 ? json_string(sw_iso8601(
                                                               used, when, sizeof(when)))
                                                         : json_null());
    }
    return o;
}

static int token_reply_found(const redisReply *r)
{
    return r->type == REDIS_REPLY_ARRAY && r->elements == SW_ARRAY_LEN(token_fields) &&
           sw_reply_str(r->element[TF_HASH]) != NULL && sw_reply_str(r->element[TF_ROLE]) != NULL;
}

/* The token id and secret of an "Authorization: Bearer swt_…" value. */
static int bearer(const char *authorization, char *id, const char **secret)
{
    const char *tok;

    if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7) != 0)
        return SW_NOTFOUND;
    tok = authorization + 7;
    while (*tok == ' ')
        tok++;
    return sw_token_split(tok, id, secret) == SW_OK ? SW_OK : SW_NOTFOUND;
}

static int expired(const struct sw_principal *p)
{
    return p->expires_ms > 0 && sw_now_ms() >= p->expires_ms;
}

/* Counts one request of caller by its address (the token was no caller: none, malformed, or
 * no record). SW_OK, or what Redis answered. */
static int count_addr(struct sw_store *s, const struct sw_rate_caller *caller,
                      const struct sw_rate *rate, struct sw_auth_limit *limit)
{
    long long retry_ms = 0;
    int rc;

    if (limit == NULL)
        return SW_OK;
    rc = sw_rate_take_addr(s, caller, rate, &retry_ms);
    limit->retry_ms = retry_ms;
    return rc;
}

/* Reads token id's record, counting one request against it, in one script (the record and
 * its count share a slot), and checks secret against it. On SW_OK fills *p and copies the
 * stored hash into hash (65 bytes). A right secret for an expired token answers SW_CONFLICT
 * with p->expires_at set; a wrong one never learns of the expiry. An id without a record is
 * counted against the address (a second round trip) and answers SW_NOTFOUND. */
static int lookup_record(struct sw_store *s, const char *id, const char *secret,
                         struct sw_principal *p, char *hash, const struct sw_rate_caller *caller,
                         const struct sw_rate *rate, struct sw_auth_limit *limit)
{
    redisReply *tok, view;
    enum sw_role role;
    const char *expires;
    long long retry_ms = 0;
    int rc = SW_NOTFOUND, got;

    tok = sw_rate_record_eval(s, caller, rate, (int)SW_ARRAY_LEN(token_fields), token_fields);
    if (tok == NULL)
        return SW_EAGAIN;
    got = sw_rate_record_reply(tok, (int)SW_ARRAY_LEN(token_fields), &retry_ms);
    if (got != SW_OK) {
        freeReplyObject(tok);
        if (got == SW_NOTFOUND)
            return (rc = count_addr(s, caller, rate, limit)) == SW_OK ? SW_NOTFOUND : rc;
        return SW_ERR;
    }
    if (limit != NULL)
        limit->retry_ms = retry_ms;
    view = *tok;              /* the fields, as HMGET would have answered them */
    view.elements = tok->elements - 1;
    view.element = tok->element + 1;
    if (!token_reply_found(&view) || sw_reply_str(view.element[TF_REVOKED]) != NULL)
        goto out;
    /* Compare even when the record is unusable below, so timing says nothing. */
    if (!sw_token_verify(secret, sw_reply_str(view.element[TF_HASH])))
        goto out;
    if (sw_role_parse(sw_reply_str(view.element[TF_ROLE]), &role) != SW_OK)
        goto out;
    memset(p, 0, sizeof(*p));
    p->role = role;
    p->subject = sw_reply_int(view.element[TF_SUBJECT], 0);
    p->centre = sw_reply_int(view.element[TF_CENTRE], 0);
    p->person = sw_reply_int(view.element[TF_PERSON], 0);
    sw_strlcpy(p->token_id, id, sizeof(p->token_id));
    sw_strlcpy(p->label, sw_reply_str(view.element[TF_LABEL]) ?: "", sizeof(p->label));
    expires = sw_reply_str(view.element[TF_EXPIRES]);
    if (expires != NULL && (sw_strlcpy(p->expires_at, expires, sizeof(p->expires_at)) != SW_OK ||
                            sw_date_ms(expires, &p->expires_ms) != SW_OK))
        goto out;   /* an expiry that cannot be read is not "never" */
    sw_strlcpy(hash, sw_reply_str(view.element[TF_HASH]), 65);
    rc = expired(p) ? SW_CONFLICT : SW_OK;
out:
    freeReplyObject(tok);
    return rc;
}

void sw_auth_token_key(const char *id, char *out, size_t outlen)
{
    sw_strlcpy(out, swk_token(id).s, outlen);
}

int sw_auth_bearer_id(const char *authorization, char *id)
{
    const char *secret;

    return bearer(authorization, id, &secret);
}

int sw_auth_token_get(struct sw_store *s, const char *id, json_t **out)
{
    const char *zscore[] = { "ZSCORE", USED_KEY, id };
    struct fetch_extra used = { 3, zscore, NULL };
    redisReply *r;
    int rc = SW_NOTFOUND;

    r = token_fetch(s, id, &used);   /* the last use rides in the same round trip */
    if (r == NULL)
        return SW_EAGAIN;
    if (token_reply_found(r)) {
        *out = token_json(id, r, used.reply != NULL && used.reply->type == REDIS_REPLY_STRING
                                     ? strtoll(used.reply->str, NULL, 10) : 0);
        rc = *out != NULL ? SW_OK : SW_ERR;
    }
    if (used.reply != NULL)
        freeReplyObject(used.reply);
    freeReplyObject(r);
    return rc;
}

/* Revokes in two steps: (1) revoked_at on the record (HSETNX: the first time stays), (2) the
 * note that ends the token's live streams, appended to sw:live:revoked (another slot;
 * seawall/live.h). A crash between leaves the token refused but its live streams open until
 * they next check: revoking again redoes step 2 (the reader takes a note twice as once). */
int sw_auth_token_revoke(struct sw_store *s, const char *id, json_t **out)
{
    char key[64], when[32];
    redisReply *r;

    *out = NULL;
    sw_auth_token_key(id, key, sizeof(key));
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    {
        /* Only a record that exists is marked: HSETNX would make one. */
        static const char revoke_lua[] =
            "if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end\n"
            "return redis.call('HSETNX', KEYS[1], 'revoked_at', ARGV[1])\n";
        const char *keys[1] = { key }, *args[1] = { when };
        long long done = 0;
        int rc = sw_store_eval_int(s, revoke_lua, 1, keys, 1, args, &done);

        if (rc != SW_OK)
            return rc;
        if (done < 0)
            return SW_NOTFOUND;
    }
    r = sw_store_cmd(s, "XADD", swk_live_revoked().s, "MAXLEN", "~", "10000", "*", "token", id, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return sw_auth_token_get(s, id, out);
}

int sw_auth_token_list(struct sw_store *s, long long after, int limit, json_t **items,
                       long long *next)
{
    char min[32], lim[16];
    redisReply *ids;
    json_t *list;
    size_t i, n;

    snprintf(min, sizeof(min), "(%lld", after);
    snprintf(lim, sizeof(lim), "%d", limit + 1);
    ids = sw_store_cmd(s, "ZRANGEBYSCORE", swk_tokens().s, min, "+inf", "WITHSCORES", "LIMIT",
                       "0", lim, NULL);
    if (ids == NULL)
        return SW_EAGAIN;
    list = json_array();
    *next = 0;
    n = ids->type == REDIS_REPLY_ARRAY ? ids->elements / 2 : 0;
    for (i = 0; i < n && i < (size_t)limit; i++) {
        json_t *t;
        int rc = sw_auth_token_get(s, ids->element[2 * i]->str, &t);

        if (rc == SW_EAGAIN) {
            freeReplyObject(ids);
            json_decref(list);
            return rc;
        }
        if (rc == SW_OK)
            json_array_append_new(list, t);
    }
    if (n > (size_t)limit)
        *next = sw_reply_int(ids->element[2 * (limit - 1) + 1], 0);
    freeReplyObject(ids);
    *items = list;
    return SW_OK;
}

/* Token records this thread has verified: everything but revoked_at is immutable. */
struct tok_cache {
    char id[SW_TOKEN_ID_LEN + 1];
    char hash[65];
    struct sw_principal p;
    int64_t used;          /* the minute this thread last recorded a use of it (ms) */
};

static __thread struct tok_cache tcache[64];

static struct tok_cache *cache_slot(const char *id)
{
    unsigned h = 2166136261u;

    for (; *id != '\0'; id++)
        h = (h ^ (unsigned char)*id) * 16777619u;
    return &tcache[h & 63];
}

static json_t *doc_of(const redisReply *r)
{
    return r != NULL && r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL)
                                                      : NULL;
}

/* The command recording a use of token id in the minute of now, into argv (5) with minute's
 * text in buf: ZADD GT, so Redis changes (and appends to its AOF) only when the minute is
 * later than the one it holds — at most once a minute per token, whichever API process or
 * thread sends it. Returns the minute. */
static int64_t used_argv(const char *id, int64_t now, char *buf, size_t n, const char **argv)
{
    int64_t minute = now - now % USED_EVERY_MS;

    snprintf(buf, n, "%lld", (long long)minute);
    argv[0] = "ZADD";
    argv[1] = USED_KEY;
    argv[2] = "GT";
    argv[3] = buf;
    argv[4] = id;
    return minute;
}

/* sw_auth_lookup and, with account not NULL, sw_auth_lookup_account. A token this thread has
 * verified is checked for revocation and counted against the request limit by one script
 * (the record and its count share a cluster slot), sent in one round trip with the account,
 * and the token's use when this thread has not recorded it this minute. A token new to the
 * thread is read whole and counted by the same script, then its account and use go in a
 * second round trip: once per thread and token, not per request. */
static int lookup(struct sw_store *s, const char *authorization, struct sw_principal *p,
                  json_t **account, struct sw_auth_limit *limit)
{
    static const struct sw_rate unlimited = { 0, 0 };
    static const char *const revoked_field[] = { "revoked_at" };
    const struct sw_rate *rate = limit != NULL && limit->rate != NULL ? limit->rate : &unlimited;
    char id[SW_TOKEN_ID_LEN + 1], akey[128], mbuf[24];
    const char *secret, *used[5];
    const struct sw_kind *k;
    struct sw_rate_caller caller;
    struct sw_rate_cmd cmd;
    struct tok_cache *c;
    int64_t now = sw_now_ms(), minute;
    redisReply *rep[3] = { NULL, NULL, NULL }, *tok = NULL;
    const char **argvs[3];
    long long retry_ms = 0;
    int argcs[3], n = 0, i_tok = -1, i_acc = -1, i_used = -1, i, rc;

    if (account != NULL)
        *account = NULL;
    if (limit != NULL)
        limit->retry_ms = 0;
    sw_rate_caller(&caller, authorization, limit != NULL ? limit->remote_addr : NULL);
    if (bearer(authorization, id, &secret) != SW_OK)
        return (rc = count_addr(s, &caller, rate, limit)) == SW_OK ? SW_NOTFOUND : rc;
    c = cache_slot(id);
    if (strcmp(c->id, id) == 0 && sw_token_verify(secret, c->hash)) {
        const char *get[] = { "GET", akey };

        *p = c->p;
        if (expired(p)) {
            if (limit != NULL && (rc = sw_rate_take(s, &caller, rate, &limit->retry_ms)) != SW_OK)
                return rc;
            return SW_CONFLICT;
        }
        if (sw_rate_record_argv(&cmd, s, &caller, rate, 1, revoked_field) > 0) {
            i_tok = n;
            argvs[n] = cmd.argv;
            argcs[n++] = cmd.argc;
        }
        k = sw_auth_account_kind(c->p.role);
        if (account != NULL && k != NULL) {
            sw_doc_key(k, c->p.subject, akey, sizeof(akey));
            i_acc = n;
            argvs[n] = get;
            argcs[n++] = 2;
        }
        minute = used_argv(id, now, mbuf, sizeof(mbuf), used);
        if (c->used < minute) {
            i_used = n;
            argvs[n] = used;
            argcs[n++] = 5;
        }
        if (n > 0 && sw_store_pipeline(s, n, argcs, argvs, rep) != SW_OK)
            return SW_EAGAIN;
        if (i_tok >= 0) {
            tok = rep[i_tok];
            rep[i_tok] = NULL;
        }
        if (tok == NULL || sw_rate_record_reply(tok, 1, &retry_ms) == SW_ERR) {
            /* The script was not known to this handle yet, or Redis restarted and forgot it:
             * once more, loading it (a round trip of its own, once per connection). */
            freeReplyObject(tok);
            tok = sw_rate_record_eval(s, &caller, rate, 1, revoked_field);
        }
        rc = tok == NULL ? SW_EAGAIN : sw_rate_record_reply(tok, 1, &retry_ms);
        if (rc == SW_OK) {
            if (limit != NULL)
                limit->retry_ms = retry_ms;
            if (tok->element[1]->type != REDIS_REPLY_NIL)
                rc = SW_NOTFOUND;              /* revoked */
        } else if (rc == SW_NOTFOUND) {        /* the record is gone: the caller is its address */
            int lrc = count_addr(s, &caller, rate, limit);

            if (lrc != SW_OK)
                rc = lrc;
        }
        if (rc == SW_OK) {
            if (i_acc >= 0)
                *account = doc_of(rep[i_acc]);
            if (i_used >= 0)
                c->used = minute;
        } else if (rc == SW_NOTFOUND) {
            c->id[0] = '\0';
            memset(p, 0, sizeof(*p));
        }
        freeReplyObject(tok);
        for (i = 0; i < n; i++)
            freeReplyObject(rep[i]);
        return rc;
    }
    /* Verified the long way: remember it (the record had the hash), then read the account and
     * record the use. */
    rc = lookup_record(s, id, secret, p, c->hash, &caller, rate, limit);
    if (rc != SW_OK && rc != SW_CONFLICT)
        return rc;
    c->p = *p;
    c->used = 0;
    memcpy(c->id, id, sizeof(id));
    if (rc == SW_CONFLICT)
        return rc;
    k = sw_auth_account_kind(p->role);
    if (account != NULL && k != NULL) {
        const char *g[] = { "GET", akey };

        sw_doc_key(k, p->subject, akey, sizeof(akey));
        i_acc = n;
        argvs[n] = g;
        argcs[n++] = 2;
        minute = used_argv(id, now, mbuf, sizeof(mbuf), used);
        argvs[n] = used;
        argcs[n++] = 5;
        if (sw_store_pipeline(s, n, argcs, argvs, rep) != SW_OK)
            return SW_EAGAIN;
        *account = doc_of(rep[i_acc]);
    } else {
        /* Only the use to record: the caller is known; a failure here refuses nothing (the
         * next request on this thread records it). */
        minute = used_argv(id, now, mbuf, sizeof(mbuf), used);
        argvs[n] = used;
        argcs[n++] = 5;
        if (sw_store_pipeline(s, n, argcs, argvs, rep) != SW_OK)
            return SW_OK;
    }
    c->used = minute;
    for (i = 0; i < n; i++)
        freeReplyObject(rep[i]);
    return SW_OK;
}

int sw_auth_lookup(struct sw_store *s, const char *authorization, struct sw_principal *p,
                   struct sw_auth_limit *limit)
{
    return lookup(s, authorization, p, NULL, limit);
}

int sw_auth_lookup_account(struct sw_store *s, const char *authorization,
                           struct sw_principal *p, json_t **account,
                           struct sw_auth_limit *limit)
{
    return lookup(s, authorization, p, account, limit);
}

int sw_auth_token_list_person(struct sw_store *s, long long person, int limit, json_t **items)
{
    char key[64], lim[16];
    redisReply *ids;
    json_t *list;
    size_t i;

    sw_strlcpy(key, swk_person_tokens(person).s, sizeof(key));
    snprintf(lim, sizeof(lim), "%d", limit - 1);
    ids = sw_store_cmd(s, "ZREVRANGE", key, "0", lim, NULL);
    if (ids == NULL)
        return SW_EAGAIN;
    list = json_array();
    for (i = 0; ids->type == REDIS_REPLY_ARRAY && i < ids->elements; i++) {
        json_t *t;
        int rc = sw_auth_token_get(s, ids->element[i]->str, &t);

        if (rc == SW_EAGAIN) {
            freeReplyObject(ids);
            json_decref(list);
            return rc;
        }
        if (rc == SW_OK)
            json_array_append_new(list, t);
    }
    freeReplyObject(ids);
    *items = list;
    return SW_OK;
}
