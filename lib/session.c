/* session.c — sign-in sessions in Redis (see session.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seawall/accounts.h"
#include "seawall/keys.h"
#include "seawall/live.h"
#include "seawall/log.h"
#include "seawall/ratelimit.h"
#include "seawall/session.h"
#include "seawall/store.h"

static const char *const sess_fields[] = { "person", "role", "subject", "centre", "csrf",
                                           "created", "last", "expires", "limited", "addr",
                                           "ua", "lang" };
enum { SF_PERSON, SF_ROLE, SF_SUBJECT, SF_CENTRE, SF_CSRF, SF_CREATED, SF_LAST, SF_EXPIRES,
       SF_LIMITED, SF_ADDR, SF_UA, SF_LANG, SF_N };

static void sess_key(const char *hash, char *key, size_t keylen)
{
    sw_strlcpy(key, swk_session(hash).s, keylen);
}

static void person_key(long long person, char *key, size_t keylen)
{
    sw_strlcpy(key, swk_person_sessions(person).s, keylen);
}

static int id_valid(const char *id, size_t n)
{
    size_t i;

    if (n != SW_SESSION_ID_LEN)
        return 0;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)id[i]) && id[i] != '-' && id[i] != '_')
            return 0;
    return 1;
}

int sw_session_cookie(const char *cookie_header, char *id)
{
    const char *p = cookie_header;
    size_t nlen = strlen(SW_SESSION_COOKIE);

    while (p != NULL && *p != '\0') {
        const char *end;
        size_t n;

        while (*p == ' ' || *p == ';')
            p++;
        end = strchr(p, ';');
        n = end ? (size_t)(end - p) : strlen(p);
        if (n > nlen + 1 && strncmp(p, SW_SESSION_COOKIE, nlen) == 0 && p[nlen] == '=') {
            const char *v = p + nlen + 1;
            size_t vlen = n - nlen - 1;

            while (vlen > 0 && v[vlen - 1] == ' ')
                vlen--;
            if (id_valid(v, vlen)) {
                memcpy(id, v, vlen);
                id[vlen] = '\0';
                return SW_OK;
            }
        }
        p = end;
    }
    return SW_NOTFOUND;
}

static void random_b64(char *out, size_t outlen)
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, outlen, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

/* A session is written in two steps, each in one slot: (1) its hash into the person's index
 * sw:{person:N}:sessions, (2) the session sw:sess:<hash> with its TTL (MULTI). A crash between
 * leaves an index entry naming no session (its cookie was never sent): sw_session_list skips
 * it and drops it once it is a minute old. The index first, so "sign out everywhere" always
 * finds every session that can be used. */
int sw_session_create(struct sw_store *s, const json_t *person, const char *addr,
                      const char *ua, int limited, int64_t now_ms,
                      const struct sw_session_limits *lim, char *id, struct sw_session *out)
{
    char key[96], pkey[64], ptxt[24], subj[24], cen[24], created[24], expires[24], ttl[24];
    char uabuf[256];
    const char *role = json_string_value(json_object_get(person, "role")) ?: "none";
    const char *lang = json_string_value(json_object_get(person, "lang")) ?: "en";
    redisReply *r;
    int rc;

    memset(out, 0, sizeof(*out));
    random_b64(id, SW_SESSION_ID_LEN + 1);
    sw_token_hash(id, SW_SESSION_ID_LEN, out->key);
    random_b64(out->csrf, sizeof(out->csrf));
    out->person = json_integer_value(json_object_get(person, "id"));
    if (sw_role_parse(role, &out->role) != SW_OK)
        return SW_ERR;
    out->subject = json_integer_value(json_object_get(person, "subject"));
    out->centre = json_integer_value(json_object_get(person, "centre"));
    out->created_ms = out->last_ms = now_ms;
    out->expires_ms = now_ms + lim->absolute_ms;
    out->limited = limited;
    sw_strlcpy(out->lang, lang, sizeof(out->lang));
    sw_strlcpy(uabuf, ua != NULL ? ua : "", sizeof(uabuf));

    sess_key(out->key, key, sizeof(key));
    person_key(out->person, pkey, sizeof(pkey));
    snprintf(ptxt, sizeof(ptxt), "%lld", out->person);
    snprintf(subj, sizeof(subj), "%lld", out->subject);
    snprintf(cen, sizeof(cen), "%lld", out->centre);
    snprintf(created, sizeof(created), "%lld", (long long)now_ms);
    snprintf(expires, sizeof(expires), "%lld", (long long)out->expires_ms);
    /* Redis forgets an idle session a minute after the idle limit; the times decide. */
    snprintf(ttl, sizeof(ttl), "%lld", (long long)(lim->idle_ms + 60000));
    /* Step 1: the session's hash into its person's index (another slot). */
    r = sw_store_cmd(s, "ZADD", pkey, created, out->key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    rc = r->type == REDIS_REPLY_INTEGER ? SW_OK : SW_ERR;
    freeReplyObject(r);
    if (rc != SW_OK)
        return rc;
    {
        /* Step 2: the session, with its TTL, in its own slot. */
        const char *hset[] = { "HSET", key, "person", ptxt, "role", role, "subject", subj,
                               "centre", cen, "csrf", out->csrf, "created", created, "last",
                               created, "expires", expires, "limited", limited ? "1" : "0",
                               "addr", addr != NULL ? addr : "", "ua", uabuf, "lang", lang };
        const char *pexp[] = { "PEXPIRE", key, ttl };
        const char **argvs[] = { hset, pexp };
        int argcs[] = { (int)SW_ARRAY_LEN(hset), 3 };

        r = sw_store_multi(s, 2, argcs, argvs, NULL);
    }
    if (r == NULL)
        return SW_EAGAIN;
    rc = r->type == REDIS_REPLY_ARRAY ? SW_OK : SW_ERR;
    freeReplyObject(r);
    return rc;
}

/* The session of hash from r, an HMGET of sess_fields: SW_OK with *out filled, or SW_NOTFOUND
 * when r holds no session. */
static int sess_parse(const redisReply *r, const char *hash, struct sw_session *out)
{
    if (r->type != REDIS_REPLY_ARRAY || r->elements != SF_N ||
        sw_reply_str(r->element[SF_PERSON]) == NULL ||
        sw_role_parse(sw_reply_str(r->element[SF_ROLE]) ?: "", &out->role) != SW_OK)
        return SW_NOTFOUND;
    sw_strlcpy(out->key, hash, sizeof(out->key));
    out->person = sw_reply_int(r->element[SF_PERSON], 0);
    out->subject = sw_reply_int(r->element[SF_SUBJECT], 0);
    out->centre = sw_reply_int(r->element[SF_CENTRE], 0);
    sw_strlcpy(out->csrf, sw_reply_str(r->element[SF_CSRF]) ?: "", sizeof(out->csrf));
    out->created_ms = sw_reply_int(r->element[SF_CREATED], 0);
    out->last_ms = sw_reply_int(r->element[SF_LAST], 0);
    out->expires_ms = sw_reply_int(r->element[SF_EXPIRES], 0);
    out->limited = sw_reply_int(r->element[SF_LIMITED], 0) != 0;
    sw_strlcpy(out->lang, sw_reply_str(r->element[SF_LANG]) ?: "en", sizeof(out->lang));
    return SW_OK;
}

/* Reads the session stored under key. SW_OK with the reply's fields in *out. */
static int sess_read(struct sw_store *s, const char *hash, struct sw_session *out,
                     redisReply **raw)
{
    char key[96];
    const char *argv[2 + SF_N];
    redisReply *r;
    size_t i;

    sess_key(hash, key, sizeof(key));
    argv[0] = "HMGET";
    argv[1] = key;
    for (i = 0; i < SF_N; i++)
        argv[2 + i] = sess_fields[i];
    r = sw_store_cmdv(s, (int)SW_ARRAY_LEN(argv), argv, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (sess_parse(r, hash, out) != SW_OK) {
        freeReplyObject(r);
        return SW_NOTFOUND;
    }
    if (raw != NULL)
        *raw = r;
    else
        freeReplyObject(r);
    return SW_OK;
}

static int live(const struct sw_session *ss, int64_t now_ms, const struct sw_session_limits *l)
{
    return now_ms < ss->expires_ms && now_ms - ss->last_ms < l->idle_ms;
}

/* KEYS[1] a session; ARGV[1] now (ms), ARGV[2] the idle limit (ms), ARGV[3] the key's TTL
 * (ms), ARGV[4..] sess_fields. Answers the fields (HMGET) and, when the session is live and
 * was last marked used a second or more ago, marks it used now (so a burst of requests costs
 * one write) and answers that. Ended sessions are left to the caller (sw_session_end). */
static const char lookup_lua[] =
    "local v = redis.call('HMGET', KEYS[1], unpack(ARGV, 4))\n"
    "local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])\n"
    "local last, expires = tonumber(v[7]), tonumber(v[8])\n"
    "if v[1] and last and expires and now < expires and now - last < idle\n"
    "   and now - last >= 1000 then\n"
    "  redis.call('HSET', KEYS[1], 'last', ARGV[1])\n"
    "  redis.call('PEXPIRE', KEYS[1], ARGV[3])\n"
    "  v[7] = ARGV[1]\n"
    "end\n"
    "return v\n";
_Static_assert(SF_PERSON == 0 && SF_LAST == 6 && SF_EXPIRES == 7,
               "lookup_lua reads person, last and expires by position");

/* What this thread has learnt of a session: who it is for, which never changes. It lets the
 * person's request count and the account be asked in the session's own round trip. */
struct sess_cache {
    char key[65];
    long long person;
    enum sw_role role;
    long long subject;
};

static __thread struct sess_cache scache[64];

static struct sess_cache *scache_slot(const char *hash)
{
    unsigned h = 2166136261u;
    int i;

    for (i = 0; i < 8 && hash[i] != '\0'; i++)
        h = (h ^ (unsigned char)hash[i]) * 16777619u;
    return &scache[h & 63];
}

static json_t *doc_of(const redisReply *r)
{
    return r != NULL && r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL)
                                                      : NULL;
}

/* The lookup script's arguments, into argv (4 + SF_N) with its numbers in nums. */
static void lookup_args(const char *key, int64_t now_ms, const struct sw_session_limits *lim,
                        char nums[3][24], const char **argv)
{
    size_t i;

    snprintf(nums[0], 24, "%lld", (long long)now_ms);
    snprintf(nums[1], 24, "%lld", (long long)lim->idle_ms);
    snprintf(nums[2], 24, "%lld", (long long)(lim->idle_ms + 60000));
    argv[0] = key;
    argv[1] = nums[0];
    argv[2] = nums[1];
    argv[3] = nums[2];
    for (i = 0; i < SF_N; i++)
        argv[4 + i] = sess_fields[i];
}

int sw_session_lookup(struct sw_store *s, const char *id, int64_t now_ms,
                      const struct sw_session_limits *lim, struct sw_session *out,
                      struct sw_auth_limit *limit, json_t **account)
{
    static const struct sw_rate unlimited = { 0, 0 };
    const struct sw_rate *rate = limit != NULL && limit->rate != NULL ? limit->rate : &unlimited;
    const char *addr = limit != NULL ? limit->remote_addr : NULL;
    char hash[65], key[96], nums[3][24], akey[128];
    const char *largv[3 + 4 + SF_N], *get[] = { "GET", akey }, *sha;
    const char **argvs[3];
    const struct sw_kind *k;
    struct sw_rate_caller caller;
    struct sw_rate_cmd cmd;
    struct sess_cache *c;
    redisReply *rep[3] = { NULL, NULL, NULL }, *sess = NULL;
    long long retry_ms = 0;
    int argcs[3], n = 0, i_rate = -1, i_acc = -1, i, rc, lrc, known;

    memset(out, 0, sizeof(*out));
    if (account != NULL)
        *account = NULL;
    if (limit != NULL)
        limit->retry_ms = 0;
    sw_rate_caller(&caller, NULL, addr);
    if (id == NULL || !id_valid(id, strlen(id))) {
        rc = sw_rate_take_addr(s, &caller, rate, limit != NULL ? &limit->retry_ms : &retry_ms);
        return rc == SW_OK ? SW_NOTFOUND : rc;
    }
    sw_token_hash(id, strlen(id), hash);
    sess_key(hash, key, sizeof(key));
    lookup_args(key, now_ms, lim, nums, largv + 3);
    c = scache_slot(hash);
    known = strcmp(c->key, hash) == 0;
    /* The session, and for a session this thread knows its person's count and the account. */
    if ((sha = sw_store_script_sha(s, lookup_lua)) != NULL) {
        largv[0] = "EVALSHA";
        largv[1] = sha;
        largv[2] = "1";
        argvs[n] = largv;
        argcs[n++] = (int)SW_ARRAY_LEN(largv);
    }
    if (known) {
        sw_rate_caller_person(&caller, c->person, addr);
        if (rate->period_us > 0 && sw_rate_record_argv(&cmd, s, &caller, rate, 0, NULL) > 0) {
            i_rate = n;
            argvs[n] = cmd.argv;
            argcs[n++] = cmd.argc;
        }
        if (account != NULL && (k = sw_auth_account_kind(c->role)) != NULL) {
            sw_doc_key(k, c->subject, akey, sizeof(akey));
            i_acc = n;
            argvs[n] = get;
            argcs[n++] = 2;
        }
    }
    if (n > 0 && sw_store_pipeline(s, n, argcs, argvs, rep) != SW_OK)
        return SW_EAGAIN;
    if (sha != NULL) {
        sess = rep[0];
        rep[0] = NULL;
    }
    if (sess == NULL || sess->type == REDIS_REPLY_ERROR) {
        /* Not loaded through this handle yet, or forgotten by a restarted Redis. */
        freeReplyObject(sess);
        sess = sw_store_eval(s, lookup_lua, 1, largv + 3, 3 + SF_N, largv + 4);
    }
    if (sess == NULL || sess->type == REDIS_REPLY_ERROR) {
        if (sess != NULL)
            sw_error("session lookup script: %s", sess->str);
        rc = sess == NULL ? SW_EAGAIN : SW_ERR;
        goto out;
    }
    rc = sess_parse(sess, hash, out);
    if (rc == SW_OK && !live(out, now_ms, lim)) {
        sw_session_end(s, out->person, out->key);
        rc = SW_NOTFOUND;
    }
    if (rc != SW_OK) {
        /* No session: the caller is its address (whatever was counted for a person above). */
        c->key[0] = '\0';
        memset(out, 0, sizeof(*out));
        sw_rate_caller(&caller, NULL, addr);
        lrc = sw_rate_take_addr(s, &caller, rate, &retry_ms);
        rc = lrc == SW_OK ? SW_NOTFOUND : lrc;
        goto out;
    }
    if (!known || c->person != out->person || c->role != out->role ||
        c->subject != out->subject) {
        /* New to this thread: its person's count and its account in a second round trip. */
        c->person = out->person;
        c->role = out->role;
        c->subject = out->subject;
        sw_strlcpy(c->key, hash, sizeof(c->key));
        for (i = 0; i < n; i++) {
            freeReplyObject(rep[i]);
            rep[i] = NULL;
        }
        n = 0;
        i_rate = i_acc = -1;
        sw_rate_caller_person(&caller, out->person, addr);
        if (rate->period_us > 0 && sw_rate_record_argv(&cmd, s, &caller, rate, 0, NULL) > 0) {
            i_rate = n;
            argvs[n] = cmd.argv;
            argcs[n++] = cmd.argc;
        }
        if (account != NULL && (k = sw_auth_account_kind(out->role)) != NULL) {
            sw_doc_key(k, out->subject, akey, sizeof(akey));
            i_acc = n;
            argvs[n] = get;
            argcs[n++] = 2;
        }
        if (n > 0 && sw_store_pipeline(s, n, argcs, argvs, rep) != SW_OK) {
            rc = SW_EAGAIN;
            goto out;
        }
    }
    /* The person's count as answered, or on its own when it could not ride along (its script
     * not loaded yet or forgotten; a person without a profile counts as the address). */
    if (i_rate < 0 || sw_rate_record_reply(rep[i_rate], 0, &retry_ms) != SW_OK) {
        lrc = sw_rate_take(s, &caller, rate, &retry_ms);
        if (lrc != SW_OK) {
            rc = lrc;
            goto out;
        }
    }
    if (i_acc >= 0)
        *account = doc_of(rep[i_acc]);
out:
    if (limit != NULL)
        limit->retry_ms = retry_ms;
    freeReplyObject(sess);
    for (i = 0; i < n; i++)
        freeReplyObject(rep[i]);
    return rc;
}

/* Ends a session in three steps, each in one slot: (1) the session itself, (2) its entry in
 * the person's index, (3) the note that ends its live streams on sw:live:revoked. A crash
 * after (1) leaves an index entry naming no session (skipped, and dropped by the list) and
 * live streams open until they next check; ending it again redoes (2) and (3) (the note's
 * reader takes it twice as once). */
int sw_session_end(struct sw_store *s, long long person, const char *key)
{
    char skey[96], pkey[64], pub[SW_SESSION_PUBID_LEN + 1];
    redisReply *r;
    long long n;

    sess_key(key, skey, sizeof(skey));
    person_key(person, pkey, sizeof(pkey));
    sw_strlcpy(pub, key, sizeof(pub));
    r = sw_store_cmd(s, "DEL", skey, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    n = sw_reply_int(r, 0);
    freeReplyObject(r);
    r = sw_store_cmd(s, "ZREM", pkey, key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    r = sw_store_cmd(s, "XADD", swk_live_revoked().s, "MAXLEN", "~", "10000", "*", "session", pub,
                     NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return n == 1 ? SW_OK : SW_NOTFOUND;
}

int sw_session_end_all(struct sw_store *s, long long person, const char *except)
{
    char pkey[64];
    redisReply *r;
    size_t i;

    person_key(person, pkey, sizeof(pkey));
    r = sw_store_cmd(s, "ZRANGE", pkey, "0", "-1", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        const char *k = r->element[i]->str;

        if (except != NULL && strcmp(k, except) == 0)
            continue;
        if (sw_session_end(s, person, k) == SW_EAGAIN) {
            freeReplyObject(r);
            return SW_EAGAIN;
        }
    }
    freeReplyObject(r);
    return SW_OK;
}

int sw_session_find(struct sw_store *s, long long person, const char *pubid, char *key)
{
    char pkey[64];
    redisReply *r;
    size_t i;
    int rc = SW_NOTFOUND;

    if (pubid == NULL || strlen(pubid) != SW_SESSION_PUBID_LEN)
        return SW_NOTFOUND;
    person_key(person, pkey, sizeof(pkey));
    r = sw_store_cmd(s, "ZRANGE", pkey, "0", "-1", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        if (r->element[i]->len == 64 && strncmp(r->element[i]->str, pubid, SW_SESSION_PUBID_LEN) == 0) {
            sw_strlcpy(key, r->element[i]->str, 65);
            rc = SW_OK;
            break;
        }
    }
    freeReplyObject(r);
    return rc;
}

int sw_session_list(struct sw_store *s, long long person, const char *current, int64_t now_ms,
                    const struct sw_session_limits *lim, json_t **items)
{
    char pkey[64], pub[17], when[3][32];
    redisReply *r;
    json_t *list;
    size_t i;

    person_key(person, pkey, sizeof(pkey));
    r = sw_store_cmd(s, "ZRANGE", pkey, "0", "-1", "WITHSCORES", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    list = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        struct sw_session ss;
        redisReply *raw = NULL;
        int rc = sess_read(s, r->element[i]->str, &ss, &raw);

        if (rc == SW_EAGAIN) {
            freeReplyObject(r);
            json_decref(list);
            return rc;
        }
        if (rc == SW_NOTFOUND &&
            now_ms - strtoll(sw_reply_str(r->element[i + 1]) ?: "0", NULL, 10) < 60000)
            continue;   /* a session being written (sw_session_create's step 2 to come) */
        if (rc != SW_OK || !live(&ss, now_ms, lim)) {
            sw_session_end(s, person, r->element[i]->str);
            if (raw != NULL)
                freeReplyObject(raw);
            continue;
        }
        memcpy(pub, ss.key, SW_SESSION_PUBID_LEN);
        pub[SW_SESSION_PUBID_LEN] = '\0';
        json_array_append_new(list, json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", pub, "created_at",
            sw_iso8601(ss.created_ms, when[0], sizeof(when[0])), "last_seen_at",
            sw_iso8601(ss.last_ms, when[1], sizeof(when[1])), "expires_at",
            sw_iso8601(ss.expires_ms, when[2], sizeof(when[2])), "address",
            sw_reply_str(raw->element[SF_ADDR]) ?: "", "user_agent",
            sw_reply_str(raw->element[SF_UA]) ?: "", "current",
            current != NULL && strcmp(current, ss.key) == 0));
        freeReplyObject(raw);
    }
    freeReplyObject(r);
    *items = list;
    return SW_OK;
}

/* KEYS[1] a session; ARGV field, value. Sets the field only while the session exists, so an
 * ended session is not brought back as a stray hash without a TTL. */
static const char sess_set_lua[] =
    "if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end\n"
    "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
    "return 1\n";

static int sess_set(struct sw_store *s, const char *hash, const char *field, const char *value)
{
    char skey[96];
    const char *keys[1] = { skey }, *args[2] = { field, value };
    long long done = 0;
    int rc;

    sess_key(hash, skey, sizeof(skey));
    rc = sw_store_eval_int(s, sess_set_lua, 1, keys, 2, args, &done);
    return rc == SW_ERR ? SW_EAGAIN : rc;
}

int sw_session_set_lang(struct sw_store *s, long long person, const char *lang)
{
    char pkey[64];
    redisReply *r;
    size_t i;
    int rc = SW_OK;

    person_key(person, pkey, sizeof(pkey));
    r = sw_store_cmd(s, "ZRANGE", pkey, "0", "-1", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements && rc == SW_OK; i++)
        rc = sess_set(s, r->element[i]->str, "lang", lang);
    freeReplyObject(r);
    return rc;
}

int sw_session_unlimit(struct sw_store *s, const char *key)
{
    return sess_set(s, key, "limited", "0");
}

void sw_session_principal(const struct sw_session *ss, struct sw_principal *p)
{
    memset(p, 0, sizeof(*p));
    p->role = ss->role;
    p->subject = ss->subject;
    p->centre = ss->centre;
    p->person = ss->person;
    p->via_session = 1;
    p->limited = ss->limited;
    sw_strlcpy(p->session, ss->key, sizeof(p->session));
    sw_strlcpy(p->label, "session", sizeof(p->label));
}
