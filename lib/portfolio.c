/* portfolio.c — portfolio items: checking, patent numbers, storage and the change stream. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/normalise.h"
#include "seawall/portfolio.h"
#include "seawall/shows.h"
#include "seawall/store.h"

static const struct sw_jfield mark_fields[] = {
    { "kind", SW_J_STRING, SW_JF_REQUIRED, 1, 10, NULL },
    { "text", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "classes", SW_J_INTS, 0, 0, 45, NULL },
    { "countries", SW_J_STRINGS, SW_JF_COUNTRY | SW_JF_EM, 0, 250, NULL },
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
    { "countries", SW_J_STRINGS, SW_JF_COUNTRY | SW_JF_EU, 0, 250, NULL },
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

int sw_portfolio_check_shows(struct sw_store *s, const json_t *items, const json_t *prefixes,
                             struct sw_verrs *errs)
{
    size_t n = json_array_size(items), i, k = 0;
    const char **ids = n > 0 ? calloc(n, sizeof(*ids)) : NULL;
    size_t *at = n > 0 ? calloc(n, sizeof(*at)) : NULL;
    int *exists = n > 0 ? calloc(n, sizeof(*exists)) : NULL;
    char ptr[300];
    int rc = SW_OK;

    if (n > 0 && (ids == NULL || at == NULL || exists == NULL)) {
        rc = SW_ERR;
        goto out;
    }
    for (i = 0; i < n; i++) {
        const json_t *it = json_array_get(items, i);
        const char *show = json_string_value(json_object_get(it, "show"));

        if (strcmp(json_string_value(json_object_get(it, "kind")) ?: "", "show") != 0 ||
            show == NULL || show[0] == '\0')
            continue;   /* not a show item, or one sw_portfolio_check already refused */
        ids[k] = show;
        at[k++] = i;
    }
    if (k == 0 || (rc = sw_shows_exist(s, ids, k, exists)) != SW_OK)
        goto out;
    for (i = 0; i < k; i++) {
        const char *pre = json_string_value(json_array_get(prefixes, at[i]));

        if (exists[i])
            continue;
        if (pre != NULL)
            snprintf(ptr, sizeof(ptr), "%s/show", pre);
        else
            snprintf(ptr, sizeof(ptr), "/items/%zu/show", at[i]);
        sw_verrs_add(errs, ptr, "no fair has the id \"%s\" (GET /api/v1/shows lists them)",
                     ids[i]);
    }
out:
    free(ids);
    free(at);
    free(exists);
    return rc;
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
    v = json_object_get(item, "country");
    if (strcmp(kind, "patent") == 0 && json_is_string(v) && json_string_length(v) == 2 &&
        !sw_country_valid(json_string_value(v)) && strcmp(json_string_value(v), "EP") != 0 &&
        strcmp(json_string_value(v), "WO") != 0) {
        snprintf(ptr, sizeof(ptr), "%s/country", prefix);
        sw_verrs_add(errs, ptr, sw_country_eu_wide(json_string_value(v))
                                    ? "a patent's office is a country, EP (a European patent) "
                                      "or WO (an international application), not EM or EU"
                                    : "must be an ISO 3166-1 alpha-2 country code, EP or WO");
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

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return x < y ? -1 : x > y;
}

/* --- applying an import ---------------------------------------------------------------------
 * The portfolio is read under WATCH, the import is planned against it (which rows add, which
 * update, which change nothing, which items go), and every write with its change record is
 * sent in one MULTI/EXEC: all of it is stored or none. A WATCH that fired (someone changed the
 * portfolio meanwhile) plans again against what is there now. */

/* A growing list of commands for one transaction; each argument is a copy it owns. */
struct pf_cmds {
    int n, cap, failed;
    int *argcs;
    const char ***argvs;
};

static void pf_cmd(struct pf_cmds *c, int argc, const char *const *argv)
{
    const char **a;
    int i;

    if (c->failed)
        return;
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 64;
        int *ac = realloc(c->argcs, (size_t)cap * sizeof(*ac));
        const char ***av;

        if (ac == NULL) {
            c->failed = 1;
            return;
        }
        c->argcs = ac;
        av = realloc(c->argvs, (size_t)cap * sizeof(*av));
        if (av == NULL) {
            c->failed = 1;
            return;
        }
        c->argvs = av;
        c->cap = cap;
    }
    a = calloc((size_t)argc, sizeof(*a));
    for (i = 0; a != NULL && i < argc; i++)
        if ((a[i] = strdup(argv[i])) == NULL)
            break;
    if (a == NULL || i < argc) {
        while (a != NULL && i > 0)
            free((void *)a[--i]);
        free(a);
        c->failed = 1;
        return;
    }
    c->argcs[c->n] = argc;
    c->argvs[c->n++] = a;
}

static void pf_cmds_free(struct pf_cmds *c)
{
    int i, j;

    for (i = 0; i < c->n; i++) {
        for (j = 0; j < c->argcs[i]; j++)
            free((void *)c->argvs[i][j]);
        free(c->argvs[i]);
    }
    free(c->argcs);
    free(c->argvs);
    memset(c, 0, sizeof(*c));
}

/* The item as a comparison sees it: without its id, and without members that say nothing (an
 * empty string or list: a spreadsheet's empty cell). Caller decrefs. */
static json_t *pf_content(const json_t *item)
{
    json_t *c = json_deep_copy(item), *v;
    const char *k;
    void *tmp;

    if (c == NULL)
        return NULL;
    json_object_del(c, "id");
    json_object_foreach_safe(c, tmp, k, v) {
        if ((json_is_string(v) && json_string_length(v) == 0) ||
            (json_is_array(v) && json_array_size(v) == 0))
            json_object_del(c, k);
    }
    return c;
}

/* The content as a lookup key (sorted members); caller frees. */
static char *pf_content_key(const json_t *item)
{
    json_t *c = pf_content(item);
    char *t = c ? json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

    json_decref(c);
    return t;
}

/* The pointer of row i's member (prefixes[i] + "/" + member, or "/items/<i>/<member>"). */
static const char *row_ptr(const json_t *prefixes, size_t i, const char *member, char *buf,
                           size_t len)
{
    const char *p = json_string_value(json_array_get(prefixes, i));

    if (p != NULL)
        snprintf(buf, len, "%s%s%s", p, member[0] ? "/" : "", member);
    else
        snprintf(buf, len, "/items/%zu%s%s", i, member[0] ? "/" : "", member);
    return buf;
}

static void sort_ids(json_t *arr)
{
    size_t n = json_array_size(arr), i;
    long long *v = malloc(n * sizeof(*v) + 1);

    if (v == NULL)
        return;
    for (i = 0; i < n; i++)
        v[i] = json_integer_value(json_array_get(arr, i));
    qsort(v, n, sizeof(*v), cmp_ll);
    for (i = 0; i < n; i++)
        json_array_set_new(arr, i, json_integer(v[i]));
    free(v);
}

/* Plans the import against the stored portfolio (an object id text → item): sets each row's
 * "id" where it is known, marks what it does in act[] ('a' add, 'u' update, '=' unchanged),
 * and collects the ids to remove. Row problems (an unknown id, an id given twice) go to errs.
 * Returns SW_OK, SW_INVALID or SW_ERR (no memory). */
static int pf_plan(enum sw_pf_mode mode, json_t *items, const json_t *prefixes,
                   const json_t *stored, char *act, json_t *removed, struct sw_verrs *errs)
{
    json_t *claimed = json_object(), *bycontent = json_object(), *it, *v;
    char idtxt[24], pbuf[64], pbuf2[64];
    const char *k;
    size_t i;
    int rc = SW_OK;

    if (claimed == NULL || bycontent == NULL) {
        json_decref(claimed);
        json_decref(bycontent);
        return SW_ERR;
    }
    /* Rows with an id first: they claim their items. */
    json_array_foreach(items, i, it) {
        json_t *id = json_object_get(it, "id"), *cur, *a, *b;

        act[i] = 'a';
        if (id == NULL)
            continue;
        snprintf(idtxt, sizeof(idtxt), "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        cur = json_object_get(stored, idtxt);
        if (cur == NULL) {
            sw_verrs_add(errs, row_ptr(prefixes, i, "id", pbuf, sizeof(pbuf)),
                         "no item %s in this portfolio (ids come from its export; leave the id "
                         "out to add the row as a new item)", idtxt);
            rc = SW_INVALID;
            continue;
        }
        if ((v = json_object_get(claimed, idtxt)) != NULL) {
            sw_verrs_add(errs, row_ptr(prefixes, i, "id", pbuf, sizeof(pbuf)),
                         "item %s is already given at %s", idtxt, json_string_value(v));
            rc = SW_INVALID;
            continue;
        }
        json_object_set_new(claimed, idtxt,
                            json_string(row_ptr(prefixes, i, "", pbuf2, sizeof(pbuf2))));
        a = pf_content(it);
        b = pf_content(cur);
        act[i] = a != NULL && b != NULL && json_equal(a, b) ? '=' : 'u';
        json_decref(a);
        json_decref(b);
    }
    /* In a replace, a row without an id that equals an item nobody claimed is that item:
     * kept as it is, with its id, rather than removed and added again. */
    if (mode == SW_PF_REPLACE && rc == SW_OK) {
        json_object_foreach((json_t *)stored, k, v) {
            char *key;
            json_t *ids;

            if (json_object_get(claimed, k) != NULL || (key = pf_content_key(v)) == NULL)
                continue;
            ids = json_object_get(bycontent, key);
            if (ids == NULL)
                json_object_set_new(bycontent, key, ids = json_array());
            json_array_append_new(ids, json_string(k));
            free(key);
        }
        json_array_foreach(items, i, it) {
            char *key;
            json_t *ids;

            if (json_object_get(it, "id") != NULL || (key = pf_content_key(it)) == NULL)
                continue;
            ids = json_object_get(bycontent, key);
            if (json_array_size(ids) > 0) {
                const char *idt = json_string_value(json_array_get(ids, 0));
                long long id;

                if (sw_parse_ll(idt, 1, INT64_MAX, &id) == SW_OK) {
                    json_object_set_new(it, "id", json_integer(id));
                    json_object_set_new(claimed, idt, json_string(""));
                    act[i] = '=';
                }
                json_array_remove(ids, 0);
            }
            free(key);
        }
    }
    if (mode == SW_PF_REPLACE && rc == SW_OK) {
        json_object_foreach((json_t *)stored, k, v) {
            long long id;

            if (json_object_get(claimed, k) == NULL && sw_parse_ll(k, 1, INT64_MAX, &id) == SW_OK)
                json_array_append_new(removed, json_integer(id));
        }
    }
    sort_ids(removed);
    json_decref(claimed);
    json_decref(bycontent);
    return rc;
}

/* The stored portfolio as an object id text → item; caller decrefs. */
static int pf_load(struct sw_store *s, const char *hash, json_t **out)
{
    redisReply *r = sw_store_cmd(s, "HGETALL", hash, NULL);
    json_t *all;
    size_t i;

    if (r == NULL)
        return SW_EAGAIN;
    all = json_object();
    for (i = 0; all != NULL && r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        json_t *it = json_loadb(r->element[i + 1]->str, r->element[i + 1]->len, 0, NULL);

        if (it != NULL && r->element[i]->type == REDIS_REPLY_STRING)
            json_object_setn_new(all, r->element[i]->str, r->element[i]->len, it);
        else
            json_decref(it);
    }
    freeReplyObject(r);
    if (all == NULL)
        return SW_ERR;
    *out = all;
    return SW_OK;
}

static void pf_unwatch(struct sw_store *s)
{
    redisReply *r = sw_store_cmd(s, "UNWATCH", NULL);

    if (r != NULL)
        freeReplyObject(r);
}

static void pf_count(const char *act, size_t n, json_t *removed, struct sw_pf_outcome *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        out->added += act[i] == 'a';
        out->updated += act[i] == 'u';
        out->unchanged += act[i] == '=';
    }
    out->removed = removed;
}

/* 1 when item is a show item: the show's attendance set (shows.h) into key. The set only
 * grows; those who read it check the item is still there. */
static int attends(const json_t *item, char *key, size_t n)
{
    const char *show = json_string_value(json_object_get(item, "show"));

    if (strcmp(json_string_value(json_object_get(item, "kind")) ?: "", "show") != 0 ||
        !sw_show_id_valid(show))
        return 0;
    sw_show_attendance_key(show, key, n);
    return 1;
}

/* The transaction that carries out the plan: new and changed items stored with a change
 * record each, removed ones deleted with theirs. The rows to add take ids first, first+1, … */
static void pf_writes(struct pf_cmds *c, long long sub, json_t *items, const char *act,
                      const json_t *removed, long long first)
{
    char hash[64], ids[64], subtxt[32], idtxt[24], akey[96];
    size_t i;
    json_t *it, *v;

    pf_keys(sub, hash, ids, sizeof(hash));
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    json_array_foreach(items, i, it) {
        char *text;

        if (act[i] == '=')
            continue;
        if (act[i] == 'a')
            json_object_set_new(it, "id", json_integer(first++));
        snprintf(idtxt, sizeof(idtxt), "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(it, "id")));
        text = json_dumps(it, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (text == NULL) {
            c->failed = 1;
            return;
        }
        {
            const char *hset[] = { "HSET", hash, idtxt, text };
            const char *zadd[] = { "ZADD", ids, idtxt, idtxt };
            const char *xadd[] = { "XADD", SW_PORTFOLIO_CHANGES, "MAXLEN", "~", "1000000",
                                   "*", "sub", subtxt, "upsert", text };

            pf_cmd(c, 4, hset);
            if (act[i] == 'a')
                pf_cmd(c, 4, zadd);
            pf_cmd(c, 10, xadd);
            if (attends(it, akey, sizeof(akey))) {
                const char *sadd[] = { "SADD", akey, subtxt };

                pf_cmd(c, 3, sadd);
            }
        }
        free(text);
    }
    json_array_foreach(removed, i, v) {
        snprintf(idtxt, sizeof(idtxt), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        {
            const char *hdel[] = { "HDEL", hash, idtxt }, *zrem[] = { "ZREM", ids, idtxt };
            const char *xadd[] = { "XADD", SW_PORTFOLIO_CHANGES, "MAXLEN", "~", "1000000", "*",
                                   "sub", subtxt, "delete", idtxt };

            pf_cmd(c, 3, hdel);
            pf_cmd(c, 3, zrem);
            pf_cmd(c, 10, xadd);
        }
    }
}

int sw_portfolio_apply(struct sw_store *s, long long sub, enum sw_pf_mode mode, json_t *items,
                       const json_t *prefixes, int dry_run, struct sw_pf_outcome *out,
                       struct sw_verrs *errs)
{
    char hash[64], ids[64];
    size_t n = json_array_size(items), i, nadd;
    long long first = 0, taken = 0;   /* new ids taken so far: first … first+taken-1 */
    char *act = malloc(n + 1), *given = malloc(n + 1);
    int attempt, rc = SW_ERR;
    json_t *it;

    memset(out, 0, sizeof(*out));
    if (act == NULL || given == NULL)
        goto out;
    pf_keys(sub, hash, ids, sizeof(hash));
    json_array_foreach(items, i, it) {
        if (mode == SW_PF_ADD)
            json_object_del(it, "id");
        given[i] = json_object_get(it, "id") != NULL;
    }
    for (attempt = 0; attempt < 16; attempt++) {
        json_t *stored = NULL, *removed = json_array();
        struct pf_cmds c = { 0, 0, 0, NULL, NULL };
        redisReply *r = removed ? sw_store_cmd(s, "WATCH", hash, ids, NULL) : NULL;
        long long have;

        if (r == NULL) {
            rc = removed == NULL ? SW_ERR : SW_EAGAIN;
            json_decref(removed);
            break;
        }
        freeReplyObject(r);
        have = 0;
        if (mode == SW_PF_ADD) {
            /* Adding needs only the count: a single item added to a full portfolio does not
             * read the portfolio. */
            r = sw_store_cmd(s, "HLEN", hash, NULL);
            rc = r == NULL ? SW_EAGAIN : r->type == REDIS_REPLY_INTEGER ? SW_OK : SW_ERR;
            have = rc == SW_OK ? r->integer : 0;
            if (r != NULL)
                freeReplyObject(r);
            memset(act, 'a', n);
        } else {
            rc = pf_load(s, hash, &stored);
            if (rc == SW_OK)
                rc = pf_plan(mode, items, prefixes, stored, act, removed, errs);
            have = stored != NULL ? (long long)json_object_size(stored) : 0;
            json_decref(stored);
        }
        for (i = 0, nadd = 0; i < n; i++)
            nadd += act[i] == 'a';
        if (rc == SW_OK &&
            have - (long long)json_array_size(removed) + (long long)nadd > SW_PORTFOLIO_MAX)
            rc = SW_TOOBIG;
        if (rc != SW_OK || dry_run ||
            (nadd == 0 && json_array_size(removed) == 0 && memchr(act, 'u', n) == NULL)) {
            /* Nothing to write, or nothing allowed: the plan is the answer. */
            pf_unwatch(s);
            if (rc == SW_OK)
                pf_count(act, n, removed, out);
            else
                json_decref(removed);
            break;
        }
        if ((long long)nadd > taken) {
            char by[32];

            snprintf(by, sizeof(by), "%zu", nadd);
            r = sw_store_cmd(s, "INCRBY", "sw:seq:pfitem", by, NULL);
            if (r == NULL || r->type != REDIS_REPLY_INTEGER) {
                rc = r == NULL ? SW_EAGAIN : SW_ERR;
                if (r != NULL)
                    freeReplyObject(r);
                pf_unwatch(s);
                json_decref(removed);
                break;
            }
            first = r->integer - (long long)nadd + 1;
            taken = (long long)nadd;
            freeReplyObject(r);
        }
        pf_writes(&c, sub, items, act, removed, first);
        if (c.failed) {
            rc = SW_ERR;
            pf_unwatch(s);
        } else {
            r = sw_store_multi(s, c.n, c.argcs, c.argvs, NULL);
            rc = r == NULL ? SW_EAGAIN : r->type == REDIS_REPLY_ARRAY ? SW_OK
                 : r->type == REDIS_REPLY_NIL ? SW_CONFLICT : SW_ERR;
            if (r != NULL)
                freeReplyObject(r);
        }
        pf_cmds_free(&c);
        if (rc == SW_OK) {
            pf_count(act, n, removed, out);
            break;
        }
        json_decref(removed);
        if (rc != SW_CONFLICT)
            break;
        /* The portfolio changed meanwhile: plan again against it. Ids the rows did not
         * bring are looked for afresh; the new ids taken stay this import's. */
        json_array_foreach(items, i, it)
            if (!given[i])
                json_object_del(it, "id");
        rc = SW_EAGAIN;
    }
out:
    free(act);
    free(given);
    return rc;
}

int sw_portfolio_put(struct sw_store *s, long long sub, json_t *items)
{
    struct sw_pf_outcome o;
    struct sw_verrs errs;
    int rc;

    sw_verrs_init(&errs);
    rc = sw_portfolio_apply(s, sub, SW_PF_ADD, items, NULL, 0, &o, &errs);
    sw_verrs_free(&errs);
    json_decref(o.removed);
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
    char hash[64], ids[64], idtxt[24], subtxt[24], akey[96];
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
        const char *sadd[] = { "SADD", akey, subtxt };
        const char **argvs[] = { hset, xadd, sadd };
        int argcs[] = { 4, 10, 3 };

        r = sw_store_multi(s, attends(doc, akey, sizeof(akey)) ? 3 : 2, argcs, argvs, NULL);
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
