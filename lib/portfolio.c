/* portfolio.c — portfolio items: checking, patent numbers, storage and the change stream. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/normalise.h"
#include "seawall/portfolio.h"
#include "seawall/store.h"

static const struct sw_jfield mark_fields[] = {
    { "kind", SW_J_STRING, SW_JF_REQUIRED, 1, 10, NULL },
    { "text", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "classes", SW_J_INTS, 0, 0, 45, NULL },
    { "countries", SW_J_STRINGS, SW_JF_COUNTRY, 0, 250, NULL },
    { "label", SW_J_STRING, 0, 0, 200, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};
static const struct sw_jfield name_fields[] = {
    { "kind", SW_J_STRING, SW_JF_REQUIRED, 1, 10, NULL },
    { "text", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 300, NULL },
    { "aliases", SW_J_STRINGS, 0, 0, 20, NULL },
    { "label", SW_J_STRING, 0, 0, 200, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};
static const struct sw_jfield patent_fields[] = {
    { "kind", SW_J_STRING, SW_JF_REQUIRED, 1, 10, NULL },
    { "number", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 40, NULL },
    { "country", SW_J_STRING, 0, 2, 2, NULL },
    { "label", SW_J_STRING, 0, 0, 200, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};
static const struct sw_jfield keyword_fields[] = {
    { "kind", SW_J_STRING, SW_JF_REQUIRED, 1, 10, NULL },
    { "text", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 100, NULL },
    { "countries", SW_J_STRINGS, SW_JF_COUNTRY, 0, 250, NULL },
    { "label", SW_J_STRING, 0, 0, 200, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};
static const struct sw_jfield show_fields[] = {
    { "kind", SW_J_STRING, SW_JF_REQUIRED, 1, 10, NULL },
    { "show", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 64, NULL },
    { "label", SW_J_STRING, 0, 0, 200, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static const struct {
    const char *kind;
    const struct sw_jfield *fields;
} kinds[] = {
    { "mark", mark_fields }, { "name", name_fields }, { "patent", patent_fields },
    { "keyword", keyword_fields }, { "show", show_fields },
};

int sw_patent_normalise(const char *in, const char *country, char *out, size_t outlen)
{
    char buf[64], cc[3] = "US", body[48];
    size_t n = 0, i = 0, b = 0;

    for (; *in != '\0' && n + 1 < sizeof(buf); in++)
        if (isalnum((unsigned char)*in))
            buf[n++] = (char)toupper((unsigned char)*in);
    buf[n] = '\0';
    if (country != NULL && strlen(country) == 2) {
        cc[0] = (char)toupper((unsigned char)country[0]);
        cc[1] = (char)toupper((unsigned char)country[1]);
    }
    if (n >= 2 && isalpha((unsigned char)buf[0]) && isalpha((unsigned char)buf[1]) &&
        !(buf[0] == 'R' && buf[1] == 'E') && !(buf[0] == 'P' && buf[1] == 'P')) {
        cc[0] = buf[0];
        cc[1] = buf[1];
        i = 2;
    }
    /* A series letter (D design, RE reissue, PP plant) stays; leading zeros go. */
    while (i < n && isalpha((unsigned char)buf[i]) && b < 2)
        body[b++] = buf[i++];
    while (i < n && buf[i] == '0')
        i++;
    while (i < n && isdigit((unsigned char)buf[i]) && b + 1 < sizeof(body))
        body[b++] = buf[i++];
    body[b] = '\0';
    /* What may follow is a kind code (B1, B2, A1, S1, E): nothing else. */
    if (i < n && !(isalpha((unsigned char)buf[i]) && n - i <= 2 &&
                   (i + 1 == n || isdigit((unsigned char)buf[i + 1]))))
        return SW_INVALID;
    if (b == 0 || !isdigit((unsigned char)body[b - 1]) || strlen(body) < 4)
        return SW_INVALID;
    snprintf(out, outlen, "%s%s", cc, body);
    return SW_OK;
}

size_t sw_portfolio_check(json_t *item, const char *prefix, int partial, struct sw_verrs *errs)
{
    const char *kind = json_string_value(json_object_get(item, "kind"));
    size_t before = sw_verrs_count(errs), i;
    char ptr[256];
    json_t *v;

    if (!json_is_object(item)) {
        sw_verrs_add(errs, prefix[0] ? prefix : "/", "must be an object");
        return 1;
    }
    for (i = 0; i < SW_ARRAY_LEN(kinds); i++)
        if (kind != NULL && strcmp(kind, kinds[i].kind) == 0)
            break;
    if (i == SW_ARRAY_LEN(kinds)) {
        snprintf(ptr, sizeof(ptr), "%s/kind", prefix);
        sw_verrs_add(errs, ptr, "must be one of: mark, name, patent, keyword, show");
        return 1;
    }
    sw_json_check(item, kinds[i].fields, partial, prefix, errs);
    json_array_foreach(json_object_get(item, "classes"), i, v) {
        if (json_is_integer(v) && (json_integer_value(v) < 1 || json_integer_value(v) > 45)) {
            snprintf(ptr, sizeof(ptr), "%s/classes/%zu", prefix, i);
            sw_verrs_add(errs, ptr, "Nice classes are 1 to 45");
        }
    }
    if (json_is_string(json_object_get(item, "text")) && json_string_length(
            json_object_get(item, "text")) > 0 && strcmp(kind, "show") != 0) {
        /* What the matcher could not index is refused here, not dropped there. */
        const char *text = json_string_value(json_object_get(item, "text"));
        char chars[SW_KEY_MAX];
        struct sw_keys k;

        snprintf(ptr, sizeof(ptr), "%s/text", prefix);
        if (sw_normalise(text, strcmp(kind, "name") == 0 ? SW_NORM_NAME : SW_NORM_MARK, &k) !=
            SW_OK) {
            if (strcmp(kind, "name") == 0)
                sw_verrs_add(errs, ptr, "has nothing to match but a legal form or symbols");
            else
                sw_verrs_add(errs, ptr, "has no letters or digits to match");
        } else if (strcmp(kind, "keyword") == 0 &&
                   sw_fold_chars(text, chars, sizeof(chars)) != SW_OK) {
            size_t words = 1;
            const char *p;

            for (p = k.words; *p != '\0'; p++)
                words += *p == ' ';
            if (words > SW_KEYWORD_WORDS_MAX)
                sw_verrs_add(errs, ptr, "a keyword has at most %d words", SW_KEYWORD_WORDS_MAX);
        }
    }
    if (strcmp(kind, "patent") == 0 && json_is_string(json_object_get(item, "number"))) {
        char norm[64];
        const char *cc = json_string_value(json_object_get(item, "country"));

        if (sw_patent_normalise(json_string_value(json_object_get(item, "number")), cc, norm,
                                sizeof(norm)) != SW_OK) {
            snprintf(ptr, sizeof(ptr), "%s/number", prefix);
            sw_verrs_add(errs, ptr, "is not a patent number (e.g. US 8,930,553 B2)");
        } else {
            json_object_set_new(item, "normalised", json_string(norm));
        }
    }
    return sw_verrs_count(errs) - before;
}

static void pf_keys(long long sub, char *hash, char *ids, size_t len)
{
    snprintf(hash, len, "sw:{sub:%lld}:pf", sub);
    snprintf(ids, len, "sw:{sub:%lld}:pf:ids", sub);
}

int sw_portfolio_put(struct sw_store *s, long long sub, json_t *items)
{
    char hash[64], ids[64], subtxt[32];
    size_t n = json_array_size(items), i;
    redisReply *r;
    long long first, have;
    const char ***argvs;
    int *argcs, rc = SW_OK;
    char (*idtxt)[24];
    char **texts;

    pf_keys(sub, hash, ids, sizeof(hash));
    r = sw_store_cmd(s, "ZCARD", ids, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    have = sw_reply_int(r, 0);
    freeReplyObject(r);
    if (have + (long long)n > SW_PORTFOLIO_MAX)
        return SW_TOOBIG;
    if (n == 0)
        return SW_OK;
    {
        char by[32];

        snprintf(by, sizeof(by), "%zu", n);
        r = sw_store_cmd(s, "INCRBY", "sw:seq:pfitem", by, NULL);
    }
    if (r == NULL)
        return SW_EAGAIN;
    first = sw_reply_int(r, 0) - (long long)n + 1;
    freeReplyObject(r);
    argvs = calloc(n * 3, sizeof(*argvs));
    argcs = calloc(n * 3, sizeof(*argcs));
    idtxt = calloc(n, sizeof(*idtxt));
    texts = calloc(n, sizeof(*texts));
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    for (i = 0; argvs && argcs && idtxt && texts && i < n; i++) {
        json_t *it = json_array_get(items, i);
        const char **hset = calloc(4, sizeof(char *)), **zadd = calloc(4, sizeof(char *));
        const char **xadd = calloc(11, sizeof(char *));

        json_object_set_new(it, "id", json_integer(first + (long long)i));
        snprintf(idtxt[i], sizeof(idtxt[i]), "%lld", first + (long long)i);
        texts[i] = json_dumps(it, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (hset == NULL || zadd == NULL || xadd == NULL || texts[i] == NULL) {
            free(hset);
            free(zadd);
            free(xadd);
            rc = SW_ERR;
            break;
        }
        hset[0] = "HSET"; hset[1] = hash; hset[2] = idtxt[i]; hset[3] = texts[i];
        zadd[0] = "ZADD"; zadd[1] = ids; zadd[2] = idtxt[i]; zadd[3] = idtxt[i];
        xadd[0] = "XADD"; xadd[1] = SW_PORTFOLIO_CHANGES; xadd[2] = "MAXLEN"; xadd[3] = "~";
        xadd[4] = "1000000"; xadd[5] = "*"; xadd[6] = "sub"; xadd[7] = subtxt;
        xadd[8] = "upsert"; xadd[9] = texts[i]; xadd[10] = NULL;
        argvs[3 * i] = hset; argcs[3 * i] = 4;
        argvs[3 * i + 1] = zadd; argcs[3 * i + 1] = 4;
        argvs[3 * i + 2] = xadd; argcs[3 * i + 2] = 10;
    }
    if (rc == SW_OK && argvs && argcs && idtxt && texts) {
        r = sw_store_multi(s, (int)(n * 3), argcs, argvs, NULL);
        rc = r == NULL ? SW_EAGAIN : r->type == REDIS_REPLY_ARRAY ? SW_OK : SW_ERR;
        if (r != NULL)
            freeReplyObject(r);
    } else if (rc == SW_OK) {
        rc = SW_ERR;
    }
    for (i = 0; argvs && i < n * 3; i++)
        free((void *)argvs[i]);
    for (i = 0; texts && i < n; i++)
        free(texts[i]);
    free(argvs);
    free(argcs);
    free(idtxt);
    free(texts);
    return rc;
}

int sw_portfolio_get(struct sw_store *s, long long sub, long long id, json_t **out)
{
    char hash[64], ids[64], idtxt[24];
    redisReply *r;

    pf_keys(sub, hash, ids, sizeof(hash));
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    r = sw_store_cmd(s, "HGET", hash, idtxt, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *out = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return *out != NULL ? SW_OK : SW_NOTFOUND;
}

int sw_portfolio_update(struct sw_store *s, long long sub, long long id, const json_t *patch,
                        json_t **out)
{
    json_t *doc;
    const char *k;
    json_t *v;
    int rc = sw_portfolio_get(s, sub, id, &doc);
    char hash[64], ids[64], idtxt[24], subtxt[24];
    char *text;
    redisReply *r;

    if (rc != SW_OK)
        return rc;
    json_object_foreach((json_t *)patch, k, v) {
        if (json_is_null(v))
            json_object_del(doc, k);
        else
            json_object_set(doc, k, v);
    }
    pf_keys(sub, hash, ids, sizeof(hash));
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        json_decref(doc);
        return SW_ERR;
    }
    {
        const char *hset[] = { "HSET", hash, idtxt, text };
        const char *xadd[] = { "XADD", SW_PORTFOLIO_CHANGES, "MAXLEN", "~", "1000000", "*",
                               "sub", subtxt, "upsert", text };
        const char **argvs[] = { hset, xadd };
        int argcs[] = { 4, 10 };

        r = sw_store_multi(s, 2, argcs, argvs, NULL);
    }
    free(text);
    rc = r == NULL ? SW_EAGAIN : r->type == REDIS_REPLY_ARRAY ? SW_OK : SW_ERR;
    if (r != NULL)
        freeReplyObject(r);
    if (rc != SW_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return SW_OK;
}

int sw_portfolio_delete(struct sw_store *s, long long sub, long long id)
{
    char hash[64], ids[64], idtxt[24], subtxt[24];
    const char *hdel[] = { "HDEL", hash, idtxt }, *zrem[] = { "ZREM", ids, idtxt };
    const char *xadd[] = { "XADD", SW_PORTFOLIO_CHANGES, "MAXLEN", "~", "1000000", "*", "sub",
                           subtxt, "delete", idtxt };
    const char **argvs[] = { hdel, zrem, xadd };
    int argcs[] = { 3, 3, 10 };
    redisReply *r;
    long long n;

    pf_keys(sub, hash, ids, sizeof(hash));
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    r = sw_store_cmd(s, "HEXISTS", hash, idtxt, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    n = sw_reply_int(r, 0);
    freeReplyObject(r);
    if (n != 1)
        return SW_NOTFOUND;
    r = sw_store_multi(s, 3, argcs, argvs, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

struct byid {
    long long id;
    json_t *it;
};

static int by_id(const void *a, const void *b)
{
    long long x = ((const struct byid *)a)->id, y = ((const struct byid *)b)->id;

    return x < y ? -1 : x > y;
}

int sw_portfolio_list(struct sw_store *s, long long sub, long long after, int limit,
                      const char *kind, json_t **items, long long *next)
{
    char hash[64], ids[64];
    redisReply *r;
    json_t *list = json_array();
    size_t i;

    pf_keys(sub, hash, ids, sizeof(hash));
    *next = 0;
    r = sw_store_cmd(s, "HGETALL", hash, NULL);
    if (r == NULL) {
        json_decref(list);
        return SW_EAGAIN;
    }
    /* A portfolio is at most SW_PORTFOLIO_MAX items: read whole, ordered here. */
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        json_t *it = json_loadb(r->element[i + 1]->str, r->element[i + 1]->len, 0, NULL);
        long long id = sw_reply_int(r->element[i], 0);

        if (it == NULL || id <= after ||
            (kind != NULL && strcmp(json_string_value(json_object_get(it, "kind")) ?: "",
                                    kind) != 0)) {
            json_decref(it);
            continue;
        }
        json_array_append_new(list, it);
    }
    freeReplyObject(r);
    {
        size_t n = json_array_size(list), a;
        struct byid *arr = malloc(n * sizeof(*arr) + 1);

        if (arr == NULL) {
            json_decref(list);
            return SW_ERR;
        }
        for (a = 0; a < n; a++) {
            arr[a].it = json_incref(json_array_get(list, a));
            arr[a].id = json_integer_value(json_object_get(arr[a].it, "id"));
        }
        qsort(arr, n, sizeof(*arr), by_id);
        json_array_clear(list);
        for (a = 0; a < n; a++) {
            if (limit > 0 && (int)a >= limit) {
                if ((int)a == limit)
                    *next = arr[a - 1].id;
                json_decref(arr[a].it);
                continue;
            }
            json_array_append_new(list, arr[a].it);
        }
        free(arr);
    }
    *items = list;
    return SW_OK;
}

int sw_portfolio_profile_changed(struct sw_store *s, long long sub)
{
    char id[32];
    redisReply *r;

    snprintf(id, sizeof(id), "%lld", sub);
    r = sw_store_cmd(s, "XADD", SW_PORTFOLIO_CHANGES, "MAXLEN", "~", "1000000", "*", "sub", id,
                     "profile", "1", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}
