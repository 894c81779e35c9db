/* auth.c — token generation, hashing, verification and the token records in Redis. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "seawall/accounts.h"
#include "seawall/auth.h"
#include "seawall/i18n.h"
#include "seawall/store.h"

#define TOKEN_PREFIX "swt_"
#define SECRET_BYTES 32
#define SECRET_LEN   43     /* unpadded base64url of 32 bytes */

static const struct { enum sw_role role; const char *name; } role_names[] = {
    { SW_ROLE_EXPORTER, "exporter" }, { SW_ROLE_TRIAGER, "triager" },
    { SW_ROLE_EXPERT, "expert" },     { SW_ROLE_STATION, "station" },
    { SW_ROLE_ADMIN, "admin" },
};

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
    default: return NULL;
    }
}

/* Checks that subject names an account fit for role; sets *centre for staff. */
static int token_subject_check(struct sw_store *s, enum sw_role role, long long subject,
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

int sw_auth_token_create(struct sw_store *s, enum sw_role role, long long subject,
                         const char *label, json_t **out, char *err, size_t errlen)
{
    char id[SW_TOKEN_ID_LEN + 1], token[SW_TOKEN_MAX], hash[65], key[64];
    char subj[32], cen[32], seqtxt[32], created[32];
    long long centre, seq;
    redisReply *r;
    int rc;

    rc = token_subject_check(s, role, subject, &centre, err, errlen);
    if (rc != SW_OK)
        return rc;
    if (sw_token_generate(id, token) != SW_OK) {
        snprintf(err, errlen, "random source unavailable");
        return SW_ERR;
    }
    sw_token_hash(token + strlen(TOKEN_PREFIX) + SW_TOKEN_ID_LEN + 1, SECRET_LEN, hash);
    r = sw_store_cmd(s, "INCR", "sw:seq:token", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    seq = sw_reply_int(r, 0);
    freeReplyObject(r);

    snprintf(key, sizeof(key), "sw:tok:%s", id);
    snprintf(subj, sizeof(subj), "%lld", subject);
    snprintf(cen, sizeof(cen), "%lld", centre);
    snprintf(seqtxt, sizeof(seqtxt), "%lld", seq);
    sw_iso8601(sw_now_ms(), created, sizeof(created));
    {
        const char *hset[] = { "HSET", key, "hash", hash, "role", sw_role_name(role),
                               "subject", subj, "centre", cen, "label", label,
                               "created_at", created, "seq", seqtxt };
        const char *zadd[] = { "ZADD", "sw:idx:tokens", seqtxt, id };
        const char **argvs[] = { hset, zadd };
        int argcs[] = { (int)SW_ARRAY_LEN(hset), (int)SW_ARRAY_LEN(zadd) };

        r = sw_store_multi(s, 2, argcs, argvs, NULL);
    }
    if (r == NULL)
        return SW_EAGAIN;
    rc = r->type == REDIS_REPLY_ARRAY ? SW_OK : SW_ERR;
    freeReplyObject(r);
    if (rc != SW_OK) {
        snprintf(err, errlen, "storing the token failed");
        return rc;
    }
    *out = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:I}", "id", id, "token", token,
                     "role", sw_role_name(role), "subject", (json_int_t)subject, "centre",
                     (json_int_t)centre, "label", label, "created_at", created, "seq",
                     (json_int_t)seq);
    sodium_memzero(token, sizeof(token));
    return *out != NULL ? SW_OK : SW_ERR;
}

static const char *const token_fields[] = { "hash", "role", "subject", "centre", "label",
                                            "created_at", "revoked_at", "seq" };
#define TF_HASH 0
#define TF_ROLE 1
#define TF_SUBJECT 2
#define TF_CENTRE 3
#define TF_LABEL 4
#define TF_CREATED 5
#define TF_REVOKED 6
#define TF_SEQ 7

/* The token record's fields; with extra, the extra command goes in the same round trip. */
static redisReply *token_fetch(struct sw_store *s, const char *id, struct sw_auth_extra *extra)
{
    char key[64];
    const char *argv[2 + SW_ARRAY_LEN(token_fields)];
    const char **argvs[2];
    int argcs[2];
    redisReply *rep[2];
    size_t i;

    snprintf(key, sizeof(key), "sw:tok:%s", id);
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

/* The public view of a token record (never the hash). */
static json_t *token_json(const char *id, const redisReply *r)
{
    const char *revoked = sw_reply_str(r->element[TF_REVOKED]);
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:I}", "id", id,
                          "role", sw_reply_str(r->element[TF_ROLE]),
                          "subject", (json_int_t)sw_reply_int(r->element[TF_SUBJECT], 0),
                          "centre", (json_int_t)sw_reply_int(r->element[TF_CENTRE], 0),
                          "label", sw_reply_str(r->element[TF_LABEL]) ?: "",
                          "created_at", sw_reply_str(r->element[TF_CREATED]) ?: "",
                          "seq", (json_int_t)sw_reply_int(r->element[TF_SEQ], 0));

    if (o != NULL)
        json_object_set_new(o, "revoked_at", revoked ? json_string(revoked) : json_null());
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

/* Looks token id up and checks secret against it. On SW_OK fills *p and, when hash is not
 * NULL, copies the stored hash (65 bytes). */
static int lookup_record(struct sw_store *s, const char *id, const char *secret,
                         struct sw_principal *p, char *hash, struct sw_auth_extra *extra)
{
    redisReply *r;
    enum sw_role role;
    int rc = SW_NOTFOUND;

    r = token_fetch(s, id, extra);
    if (r == NULL)
        return SW_EAGAIN;
    if (!token_reply_found(r) || sw_reply_str(r->element[TF_REVOKED]) != NULL)
        goto out;
    /* Compare even when the record is unusable below, so timing says nothing. */
    if (!sw_token_verify(secret, sw_reply_str(r->element[TF_HASH])))
        goto out;
    if (sw_role_parse(sw_reply_str(r->element[TF_ROLE]), &role) != SW_OK)
        goto out;
    memset(p, 0, sizeof(*p));
    p->role = role;
    p->subject = sw_reply_int(r->element[TF_SUBJECT], 0);
    p->centre = sw_reply_int(r->element[TF_CENTRE], 0);
    sw_strlcpy(p->token_id, id, sizeof(p->token_id));
    sw_strlcpy(p->label, sw_reply_str(r->element[TF_LABEL]) ?: "", sizeof(p->label));
    if (hash != NULL)
        sw_strlcpy(hash, sw_reply_str(r->element[TF_HASH]), 65);
    rc = SW_OK;
out:
    freeReplyObject(r);
    return rc;
}

int sw_auth_bearer_id(const char *authorization, char *id)
{
    const char *secret;

    return bearer(authorization, id, &secret);
}

int sw_auth_lookup(struct sw_store *s, const char *authorization, struct sw_principal *p,
                   struct sw_auth_extra *extra)
{
    char id[SW_TOKEN_ID_LEN + 1];
    const char *secret;

    if (bearer(authorization, id, &secret) != SW_OK)
        return SW_NOTFOUND;
    return lookup_record(s, id, secret, p, NULL, extra);
}

int sw_auth_token_get(struct sw_store *s, const char *id, json_t **out)
{
    redisReply *r;
    int rc = SW_NOTFOUND;

    r = token_fetch(s, id, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (token_reply_found(r)) {
        *out = token_json(id, r);
        rc = *out != NULL ? SW_OK : SW_ERR;
    }
    freeReplyObject(r);
    return rc;
}

int sw_auth_token_revoke(struct sw_store *s, const char *id, json_t **out)
{
    char key[64], when[32];
    redisReply *r;
    int rc;

    rc = sw_auth_token_get(s, id, out);
    if (rc != SW_OK)
        return rc;
    if (!json_is_null(json_object_get(*out, "revoked_at")))
        return SW_OK;   /* revoking twice is harmless and keeps the first time */
    json_decref(*out);
    *out = NULL;
    snprintf(key, sizeof(key), "sw:tok:%s", id);
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    r = sw_store_cmd(s, "HSETNX", key, "revoked_at", when, NULL);
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
    ids = sw_store_cmd(s, "ZRANGEBYSCORE", "sw:idx:tokens", min, "+inf", "WITHSCORES", "LIMIT",
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

int sw_auth_lookup_account(struct sw_store *s, const char *authorization,
                           struct sw_principal *p, json_t **account,
                           struct sw_auth_extra *extra)
{
    char id[SW_TOKEN_ID_LEN + 1], tkey[64], akey[128];
    const char *secret;
    const struct sw_kind *k;
    struct tok_cache *c;
    int rc;

    *account = NULL;
    if (bearer(authorization, id, &secret) != SW_OK)
        return SW_NOTFOUND;
    c = cache_slot(id);
    if (strcmp(c->id, id) == 0 && sw_token_verify(secret, c->hash)) {
        redisReply *rep[3] = { NULL, NULL, NULL };
        const char *hget[] = { "HGET", tkey, "revoked_at" }, *get[] = { "GET", akey };
        const char **argvs[3] = { hget, get, NULL };
        int argcs[3] = { 3, 2, 0 }, n = 1;

        snprintf(tkey, sizeof(tkey), "sw:tok:%s", id);
        k = sw_auth_account_kind(c->p.role);
        if (k != NULL) {
            sw_doc_key(k, c->p.subject, akey, sizeof(akey));
            n = 2;
        }
        if (extra != NULL) {   /* last, so rep[1] stays the account's */
            argvs[n] = extra->argv;
            argcs[n] = extra->argc;
        }
        if (sw_store_pipeline(s, n + (extra != NULL), argcs, argvs, rep) != SW_OK)
            return SW_EAGAIN;
        if (extra != NULL) {
            extra->reply = rep[n];
            rep[n] = NULL;
        }
        if (rep[0]->type != REDIS_REPLY_NIL) {   /* revoked (or the record is gone) */
            c->id[0] = '\0';
            rc = SW_NOTFOUND;
        } else {
            *p = c->p;
            *account = doc_of(rep[1]);
            rc = SW_OK;
        }
        freeReplyObject(rep[0]);
        if (rep[1] != NULL)
            freeReplyObject(rep[1]);
        return rc;
    }
    /* Verified the long way: remember it (the record already had the hash), then read the
     * account. */
    rc = lookup_record(s, id, secret, p, c->hash, extra);
    if (rc != SW_OK)
        return rc;
    c->p = *p;
    memcpy(c->id, id, sizeof(id));
    k = sw_auth_account_kind(p->role);
    if (k != NULL) {
        rc = sw_doc_get(s, k, p->subject, account);
        if (rc == SW_NOTFOUND)
            rc = SW_OK;
    }
    return rc;
}
