/* portfolio.c — portfolio items: checking, patent numbers, storage, the change stream and
 * following it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
#include "seawall/keys.h"
#include "seawall/log.h"
#include "seawall/normalise.h"
#include "seawall/portfolio.h"
#include "seawall/shows.h"
#include "seawall/store.h"
#include "seawall/stream.h"
#include "seawall/worker.h"

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

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return x < y ? -1 : x > y;
}

/* --- applying an import ---------------------------------------------------------------------
 * The portfolio is read under WATCH, the import is planned against it (which rows add, which
 * update, which change nothing, which items go), and every write with its change record is
 * sent in one MULTI/EXEC on the subscriber's slot: all of it is stored or none. A WATCH that
 * fired (someone changed the portfolio meanwhile) plans again against what is there now. The
 * change records go to the stream after it ("Storing a change", below). */

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

/* --- Storing a change ----------------------------------------------------------------------
 * A change touches three slots: the shows' attendance sets, the subscriber's portfolio
 * ({sub:N}) and the subscriber's shard of the portfolio-changes stream. It is stored in three
 * steps, each on one slot, in this order:
 *   a. each show item's subscriber is added to its show's attendance set, and the subscriber
 *      to the portfolios written lately (swk_pf_unsent, scored by the time; pf_attend);
 *   b. the record, in one MULTI/EXEC under WATCH: the items written or deleted, the
 *      portfolio's change counter (pf:seq) raised by one per change, and each change, under
 *      its number, put in the portfolio's outbox (pf:outbox); then sw_store_durable;
 *   c. the outbox appended to the stream, oldest first, and taken out of the outbox up to the
 *      last number appended (pf_flush); then sw_store_durable on the stream.
 * A crash after a leaves a member in an attendance set without its item: readers check the
 * item. A crash after b leaves changes in the outbox that no matcher has heard of: every
 * write of this portfolio ends with step c, even one that finds nothing to change (the same
 * request retried, with or without its Idempotency-Key) or a delete of an item already gone,
 * so the next one appends them; and the matchers sweep the portfolios written lately
 * (sw_portfolio_sweep): one whose last write began a while ago has its outbox appended and
 * leaves the set. So a write whose record is stored (and durable) is answered as done even
 * when step c failed: it is appended by the sweep, not by a client retrying (which would add
 * a POSTed item twice). A crash in c between the append and the trim appends them
 * again, and two writers' step c may interleave: so every entry carries its number, and a
 * follower applies an entry only when its number is above the last it applied for that
 * subscriber (sw_pf_follow_read); upserts and deletes are idempotent anyway. */

#define PF_CHANGES_MAXLEN 1000000     /* entries kept per shard of the stream */
#define PF_TEXT(x) PF_TEXT_(x)
#define PF_TEXT_(x) #x
#define PF_FLUSH_CHUNK 500            /* outbox entries appended in one round trip */

/* Step a: sub joins the portfolios written lately and the attendance set of every show item
 * among items (an array; may be NULL). SW_OK or SW_EAGAIN. */
static int pf_attend(struct sw_store *s, long long sub, const json_t *items)
{
    char akey[96], subtxt[24], now[24];
    const json_t *it;
    redisReply *r;
    size_t i;

    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    snprintf(now, sizeof(now), "%lld", (long long)sw_now_ms());
    if ((r = sw_store_cmd(s, "ZADD", swk_pf_unsent().s, "GT", now, subtxt, NULL)) == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    json_array_foreach(items, i, it) {
        if (!attends(it, akey, sizeof(akey)))
            continue;
        if ((r = sw_store_cmd(s, "SADD", akey, subtxt, NULL)) == NULL)
            return SW_EAGAIN;
        freeReplyObject(r);
    }
    return SW_OK;
}

/* Adds to c the outbox entry of change number seq: "<seq> upsert <item JSON>" or
 * "<seq> delete <id>", scored by its number. */
static void pf_outbox_add(struct pf_cmds *c, const char *box, long long seq, const char *op,
                          const char *value)
{
    size_t len = strlen(value) + 48;
    char *member = malloc(len), score[24];

    if (member == NULL) {
        c->failed = 1;
        return;
    }
    snprintf(score, sizeof(score), "%lld", seq);
    snprintf(member, len, "%lld %s %s", seq, op, value);
    {
        const char *zadd[] = { "ZADD", box, score, member };

        pf_cmd(c, 4, zadd);
    }
    free(member);
}

/* The portfolio's change counter, read under the caller's WATCH: SW_OK with *seq (0 when the
 * portfolio never changed), or SW_EAGAIN. */
static int pf_seq(struct sw_store *s, long long sub, long long *seq)
{
    redisReply *r = sw_store_cmd(s, "GET", swk_pf_seq(sub).s, NULL);

    if (r == NULL)
        return SW_EAGAIN;
    *seq = r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : 0;
    freeReplyObject(r);
    return SW_OK;
}

/* Ends c with the change counter set to seq. */
static void pf_seq_set(struct pf_cmds *c, long long sub, long long seq)
{
    sw_key_t k = swk_pf_seq(sub);
    char v[24];
    const char *set[] = { "SET", k.s, v };

    snprintf(v, sizeof(v), "%lld", seq);
    pf_cmd(c, 3, set);
}

/* Step c: appends subscriber sub's outbox to its shard of the stream, oldest first, in chunks
 * of PF_FLUSH_CHUNK, each taken out of the outbox once appended. Each entry is
 * {sub, seq, upsert: item JSON | delete: id}. SW_OK, or SW_EAGAIN (s->errstr says why; what
 * was not appended stays in the outbox). */
static int pf_flush(struct sw_store *s, long long sub)
{
    sw_key_t box = swk_pf_outbox(sub), stream;
    char subtxt[24], last[24] = "0";
    int argcs[PF_FLUSH_CHUNK], rc = SW_OK;
    const char *args[PF_FLUSH_CHUNK][12], **argvs[PF_FLUSH_CHUNK];
    char *copies[PF_FLUSH_CHUNK];
    redisReply *reps[PF_FLUSH_CHUNK];

    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    stream = sw_stream_key(SW_PORTFOLIO_CHANGES,
                           sw_stream_shard_of(s, subtxt, strlen(subtxt)));
    while (rc == SW_OK) {
        char count[16];
        redisReply *r;
        size_t n, i, k = 0;

        snprintf(count, sizeof(count), "%d", PF_FLUSH_CHUNK - 1);
        r = sw_store_cmd(s, "ZRANGE", box.s, "0", count, NULL);
        if (r == NULL)
            return SW_EAGAIN;
        n = r->type == REDIS_REPLY_ARRAY ? r->elements : 0;
        for (i = 0; i < n; i++) {
            char *m = strndup(r->element[i]->str ?: "", r->element[i]->len);
            char *op = m ? strchr(m, ' ') : NULL, *value = op ? strchr(op + 1, ' ') : NULL;

            if (value == NULL) {   /* not an entry of ours: dropped with the chunk */
                free(m);
                continue;
            }
            *op++ = '\0';
            *value++ = '\0';
            args[k][0] = "XADD";
            args[k][1] = stream.s;
            args[k][2] = "MAXLEN";
            args[k][3] = "~";
            args[k][4] = PF_TEXT(PF_CHANGES_MAXLEN);
            args[k][5] = "*";
            args[k][6] = "sub";
            args[k][7] = subtxt;
            args[k][8] = "seq";
            args[k][9] = m;
            args[k][10] = op;
            args[k][11] = value;
            argcs[k] = 12;
            argvs[k] = args[k];
            copies[k++] = m;
        }
        if (n > 0)
            sw_strlcpy(last, sw_reply_str(r->element[n - 1]) ?: "0", sizeof(last));
        freeReplyObject(r);
        if (n == 0)
            break;
        if (k > 0 && sw_store_pipeline(s, (int)k, argcs, argvs, reps) != SW_OK) {
            rc = SW_EAGAIN;
        } else {
            for (i = 0; i < k; i++) {
                if (reps[i]->type != REDIS_REPLY_STRING && rc == SW_OK) {
                    snprintf(s->errstr, sizeof(s->errstr), "XADD %.100s: %.120s", stream.s,
                             reps[i]->type == REDIS_REPLY_ERROR ? reps[i]->str
                                                                : "unexpected reply");
                    rc = SW_EAGAIN;
                }
                freeReplyObject(reps[i]);
            }
        }
        for (i = 0; i < k; i++)
            free(copies[i]);
        if (rc == SW_OK)
            rc = sw_store_durable(s, stream.s) == SW_OK ? SW_OK : SW_EAGAIN;
        if (rc == SW_OK) {
            /* The members' numbers lead them: "<seq> ..." read as a number is the score. */
            char upto[24];

            snprintf(upto, sizeof(upto), "%lld", strtoll(last, NULL, 10));
            r = sw_store_cmd(s, "ZREMRANGEBYSCORE", box.s, "-inf", upto, NULL);
            if (r == NULL)
                return SW_EAGAIN;
            freeReplyObject(r);
        }
        if (n < PF_FLUSH_CHUNK)
            break;
    }
    return rc;
}

/* Step c after a write: when it fails the changes wait in the outbox for the sweep (or the
 * next write), and the write stands. */
static void pf_flush_or_leave(struct sw_store *s, long long sub)
{
    if (pf_flush(s, sub) != SW_OK)
        sw_warn("subscriber %lld: portfolio changes not appended to the stream (%s); the "
                "matchers' sweep appends any that were stored", sub, s->errstr);
}

/* Takes sub out of the portfolios written lately when its last write began no later than
 * score: one begun since stays for a later sweep. */
static const char unsent_forget_lua[] =
    "local s = redis.call('ZSCORE', KEYS[1], ARGV[1])\n"
    "if s and tonumber(s) <= tonumber(ARGV[2]) then\n"
    "  return redis.call('ZREM', KEYS[1], ARGV[1])\n"
    "end\n"
    "return 0\n";

int sw_portfolio_sweep(struct sw_store *s, int partitions, int partition, long long idle_ms)
{
    sw_key_t unsent = swk_pf_unsent();
    char upto[32];
    redisReply *r;
    size_t i;
    int swept = 0;

    snprintf(upto, sizeof(upto), "(%lld", (long long)sw_now_ms() - idle_ms);
    r = sw_store_cmd(s, "ZRANGEBYSCORE", unsent.s, "-inf", upto, "WITHSCORES", "LIMIT", "0",
                     "100", NULL);
    if (r == NULL)
        return -1;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        const char *subtxt = sw_reply_str(r->element[i]), *score = sw_reply_str(r->element[i + 1]);
        const char *keys[] = { unsent.s }, *args[] = { subtxt, score };
        long long sub, gone;

        if (subtxt == NULL || score == NULL || sw_parse_ll(subtxt, 1, INT64_MAX, &sub) != SW_OK ||
            sw_portfolio_partition(sub, partitions) != partition)
            continue;   /* another partition's matchers sweep it */
        if (pf_flush(s, sub) != SW_OK) {
            freeReplyObject(r);
            return -1;
        }
        if (sw_store_eval_int(s, unsent_forget_lua, 1, keys, 2, args, &gone) != SW_OK) {
            freeReplyObject(r);
            return -1;
        }
        swept++;
    }
    freeReplyObject(r);
    return swept;
}

/* The transaction of step b that carries out the plan: new and changed items stored, removed
 * ones deleted, each with its numbered outbox entry from seq + 1 on, and the counter set to
 * the last. The rows to add take ids first, first+1, … */
static void pf_writes(struct pf_cmds *c, long long sub, json_t *items, const char *act,
                      const json_t *removed, long long first, long long seq)
{
    sw_key_t hash = swk_pf(sub), ids = swk_pf_ids(sub), box = swk_pf_outbox(sub);
    char idtxt[24];
    size_t i;
    json_t *it, *v;

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
            const char *hset[] = { "HSET", hash.s, idtxt, text };
            const char *zadd[] = { "ZADD", ids.s, idtxt, idtxt };

            pf_cmd(c, 4, hset);
            if (act[i] == 'a')
                pf_cmd(c, 4, zadd);
            pf_outbox_add(c, box.s, ++seq, "upsert", text);
        }
        free(text);
    }
    json_array_foreach(removed, i, v) {
        snprintf(idtxt, sizeof(idtxt), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        {
            const char *hdel[] = { "HDEL", hash.s, idtxt }, *zrem[] = { "ZREM", ids.s, idtxt };

            pf_cmd(c, 3, hdel);
            pf_cmd(c, 3, zrem);
            pf_outbox_add(c, box.s, ++seq, "delete", idtxt);
        }
    }
    pf_seq_set(c, sub, seq);
}

/* Runs the transaction c (under the caller's WATCH) and, when it ran, waits for it to be
 * durable. SW_OK, SW_CONFLICT (the WATCH fired: nothing written), SW_EAGAIN or SW_ERR. */
static int pf_commit(struct sw_store *s, long long sub, struct pf_cmds *c)
{
    redisReply *r;
    int rc;

    if (c->failed) {
        pf_unwatch(s);
        return SW_ERR;
    }
    r = sw_store_multi(s, c->n, c->argcs, c->argvs, NULL);
    rc = r == NULL ? SW_EAGAIN : r->type == REDIS_REPLY_ARRAY ? SW_OK
         : r->type == REDIS_REPLY_NIL ? SW_CONFLICT : SW_ERR;
    if (rc == SW_ERR)
        snprintf(s->errstr, sizeof(s->errstr), "portfolio of subscriber %lld not written (%s)",
                 sub, r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
    if (r != NULL)
        freeReplyObject(r);
    if (rc == SW_OK && sw_store_durable(s, swk_pf(sub).s) != SW_OK)
        rc = SW_EAGAIN;
    return rc;
}

int sw_portfolio_apply(struct sw_store *s, long long sub, enum sw_pf_mode mode, json_t *items,
                       const json_t *prefixes, int dry_run, struct sw_pf_outcome *out,
                       struct sw_verrs *errs)
{
    sw_key_t hash = swk_pf(sub), ids = swk_pf_ids(sub), seqk = swk_pf_seq(sub);
    size_t n = json_array_size(items), i, nadd;
    long long first = 0, taken = 0;   /* new ids taken so far: first … first+taken-1 */
    char *act = malloc(n + 1), *given = malloc(n + 1);
    int attempt, rc = SW_ERR;
    json_t *it;

    memset(out, 0, sizeof(*out));
    if (act == NULL || given == NULL)
        goto out;
    json_array_foreach(items, i, it) {
        if (mode == SW_PF_ADD)
            json_object_del(it, "id");
        given[i] = json_object_get(it, "id") != NULL;
    }
    if (!dry_run && (rc = pf_attend(s, sub, items)) != SW_OK)
        goto out;
    for (attempt = 0; attempt < 16; attempt++) {
        json_t *stored = NULL, *removed = json_array();
        struct pf_cmds c = { 0, 0, 0, NULL, NULL };
        redisReply *r = removed ? sw_store_cmd(s, "WATCH", hash.s, ids.s, seqk.s, NULL) : NULL;
        long long have, seq = 0;

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
            r = sw_store_cmd(s, "HLEN", hash.s, NULL);
            rc = r == NULL ? SW_EAGAIN : r->type == REDIS_REPLY_INTEGER ? SW_OK : SW_ERR;
            have = rc == SW_OK ? r->integer : 0;
            if (r != NULL)
                freeReplyObject(r);
            memset(act, 'a', n);
        } else {
            rc = pf_load(s, hash.s, &stored);
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
            r = sw_store_cmd(s, "INCRBY", swk_pf_item_seq().s, by, NULL);
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
        if ((rc = pf_seq(s, sub, &seq)) == SW_OK) {
            pf_writes(&c, sub, items, act, removed, first, seq);
            rc = pf_commit(s, sub, &c);
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
    /* Step c, even when nothing was written: a change an earlier attempt recorded is
     * appended now. */
    if (!dry_run && (rc == SW_OK || rc == SW_CONFLICT || rc == SW_EAGAIN))
        pf_flush_or_leave(s, sub);
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
    char idtxt[24];
    redisReply *r;

    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    r = sw_store_cmd(s, "HGET", swk_pf(sub).s, idtxt, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *out = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return *out != NULL ? SW_OK : SW_NOTFOUND;
}

/* Steps a and b for one item: patch merged into item id, or (patch NULL) the item deleted,
 * read and written under WATCH (tried again when the portfolio changed meanwhile). SW_OK with
 * *out the item as stored (caller decrefs; not set for a delete), SW_NOTFOUND, SW_EAGAIN or
 * SW_ERR. */
static int pf_edit(struct sw_store *s, long long sub, long long id, const json_t *patch,
                   json_t **out)
{
    sw_key_t hash = swk_pf(sub), ids = swk_pf_ids(sub), seqk = swk_pf_seq(sub);
    sw_key_t box = swk_pf_outbox(sub);
    char idtxt[24];
    int attempt, rc = SW_EAGAIN;

    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    if (patch == NULL && (rc = pf_attend(s, sub, NULL)) != SW_OK)
        return rc;
    for (attempt = 0; attempt < 16; attempt++) {
        struct pf_cmds c = { 0, 0, 0, NULL, NULL };
        redisReply *r = sw_store_cmd(s, "WATCH", hash.s, ids.s, seqk.s, NULL);
        json_t *doc = NULL, *v, *one;
        const char *k;
        long long seq = 0;
        char *text;

        if (r == NULL)
            return SW_EAGAIN;
        freeReplyObject(r);
        rc = sw_portfolio_get(s, sub, id, &doc);
        rc = rc ?: pf_seq(s, sub, &seq);
        if (rc != SW_OK) {
            json_decref(doc);
            pf_unwatch(s);
            return rc;
        }
        if (patch == NULL) {
            const char *hdel[] = { "HDEL", hash.s, idtxt }, *zrem[] = { "ZREM", ids.s, idtxt };

            json_decref(doc);
            doc = NULL;
            pf_cmd(&c, 3, hdel);
            pf_cmd(&c, 3, zrem);
            pf_outbox_add(&c, box.s, ++seq, "delete", idtxt);
        } else {
            json_object_foreach((json_t *)patch, k, v) {
                if (json_is_null(v))
                    json_object_del(doc, k);
                else
                    json_object_set(doc, k, v);
            }
            one = json_pack("[O]", doc);
            rc = one != NULL ? pf_attend(s, sub, one) : SW_ERR;
            json_decref(one);
            text = rc == SW_OK ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            if (text == NULL) {
                json_decref(doc);
                pf_unwatch(s);
                return rc == SW_OK ? SW_ERR : rc;
            }
            {
                const char *hset[] = { "HSET", hash.s, idtxt, text };

                pf_cmd(&c, 4, hset);
                pf_outbox_add(&c, box.s, ++seq, "upsert", text);
            }
            free(text);
        }
        pf_seq_set(&c, sub, seq);
        rc = pf_commit(s, sub, &c);
        pf_cmds_free(&c);
        if (rc == SW_OK && out != NULL)
            *out = doc;
        else
            json_decref(doc);
        if (rc != SW_CONFLICT)
            return rc;
    }
    return SW_EAGAIN;
}

int sw_portfolio_update(struct sw_store *s, long long sub, long long id, const json_t *patch,
                        json_t **out)
{
    int rc = pf_edit(s, sub, id, patch, out);

    /* Step c, also for an item not found: a retry finds nothing to do but appends what the
     * first attempt recorded. */
    if (rc != SW_ERR)
        pf_flush_or_leave(s, sub);
    return rc;
}

int sw_portfolio_delete(struct sw_store *s, long long sub, long long id)
{
    int rc = pf_edit(s, sub, id, NULL, NULL);

    if (rc != SW_ERR)
        pf_flush_or_leave(s, sub);
    return rc;
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
    redisReply *r;
    json_t *list = json_array();
    size_t i;

    *next = 0;
    r = sw_store_cmd(s, "HGETALL", swk_pf(sub).s, NULL);
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
    const char *fields[] = { "sub", id, "profile", "1" };

    snprintf(id, sizeof(id), "%lld", sub);
    return sw_stream_add(s, SW_PORTFOLIO_CHANGES, id, strlen(id), PF_CHANGES_MAXLEN, 2, fields,
                         NULL, NULL, 0);
}

/* --- Following the changes ------------------------------------------------------------------ */

int sw_portfolio_partition(long long sub, int partitions)
{
    char id[24];
    int n = snprintf(id, sizeof(id), "%lld", sub);

    return partitions > 1 ? sw_store_slot(id, (size_t)n) % partitions : 0;
}

int sw_pf_change_parse(const redisReply *e, struct sw_pf_change *c)
{
    const char *v;

    memset(c, 0, sizeof(*c));
    if (e == NULL || e->type != REDIS_REPLY_ARRAY || e->elements < 2 ||
        (v = sw_stream_field(e, "sub")) == NULL || sw_parse_ll(v, 1, INT64_MAX, &c->sub) != SW_OK)
        return SW_INVALID;
    if ((v = sw_stream_field(e, "seq")) != NULL && sw_parse_ll(v, 1, INT64_MAX, &c->seq) != SW_OK)
        return SW_INVALID;
    if ((v = sw_stream_field(e, "upsert")) != NULL) {
        c->kind = SW_PF_CHANGE_UPSERT;
        c->item = v;
    } else if ((v = sw_stream_field(e, "delete")) != NULL) {
        c->kind = SW_PF_CHANGE_DELETE;
        if (sw_parse_ll(v, 1, INT64_MAX, &c->id) != SW_OK)
            return SW_INVALID;
    } else if (sw_stream_field(e, "profile") != NULL) {
        c->kind = SW_PF_CHANGE_PROFILE;
    } else {
        return SW_INVALID;
    }
    return SW_OK;
}

struct pf_seen {
    long long sub;   /* 0: a free slot */
    long long seq;
};

struct sw_pf_follow {
    int partitions, partition, shards;
    char last[SW_STREAM_SHARDS_MAX][48];   /* the last entry id read, per shard */
    struct pf_seen *seen;                  /* open addressing, a power of two */
    size_t cap, n;
};

struct sw_pf_follow *sw_pf_follow_new(int partitions, int partition)
{
    struct sw_pf_follow *f = calloc(1, sizeof(*f));
    int i;

    if (f == NULL)
        return NULL;
    f->partitions = partitions < 1 ? 1 : partitions;
    f->partition = partition;
    for (i = 0; i < SW_STREAM_SHARDS_MAX; i++)
        sw_strlcpy(f->last[i], "0-0", sizeof(f->last[i]));
    return f;
}

void sw_pf_follow_free(struct sw_pf_follow *f)
{
    if (f == NULL)
        return;
    free(f->seen);
    free(f);
}

size_t sw_pf_follow_subscribers(const struct sw_pf_follow *f)
{
    return f->n;
}

static size_t seen_hash(long long sub, size_t cap)
{
    uint64_t h = (uint64_t)sub * 0x9E3779B97F4A7C15ull;

    return (size_t)(h >> 17) & (cap - 1);
}

/* The entry of sub (inserted with seq 0 when absent); NULL when out of memory. *fresh says
 * whether it was absent. */
static struct pf_seen *seen_get(struct sw_pf_follow *f, long long sub, int *fresh)
{
    size_t i;

    if (2 * (f->n + 1) > f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024, j;
        struct pf_seen *t = calloc(cap, sizeof(*t));

        if (t == NULL)
            return NULL;
        for (j = 0; j < f->cap; j++) {
            if (f->seen[j].sub == 0)
                continue;
            for (i = seen_hash(f->seen[j].sub, cap); t[i].sub != 0; i = (i + 1) & (cap - 1))
                continue;
            t[i] = f->seen[j];
        }
        free(f->seen);
        f->seen = t;
        f->cap = cap;
    }
    for (i = seen_hash(sub, f->cap); f->seen[i].sub != 0; i = (i + 1) & (f->cap - 1))
        if (f->seen[i].sub == sub) {
            *fresh = 0;
            return &f->seen[i];
        }
    f->seen[i].sub = sub;
    f->seen[i].seq = 0;
    f->n++;
    *fresh = 1;
    return &f->seen[i];
}

int sw_pf_follow_start(struct sw_store *s, struct sw_pf_follow *f)
{
    int n = sw_stream_shards(s), i, argcs[SW_STREAM_SHARDS_MAX];
    const char *args[SW_STREAM_SHARDS_MAX][6], **argvs[SW_STREAM_SHARDS_MAX];
    sw_key_t keys[SW_STREAM_SHARDS_MAX];
    redisReply *reps[SW_STREAM_SHARDS_MAX];

    for (i = 0; i < n; i++) {
        keys[i] = sw_stream_key(SW_PORTFOLIO_CHANGES, i);
        args[i][0] = "XREVRANGE";
        args[i][1] = keys[i].s;
        args[i][2] = "+";
        args[i][3] = "-";
        args[i][4] = "COUNT";
        args[i][5] = "1";
        argcs[i] = 6;
        argvs[i] = args[i];
    }
    if (sw_store_pipeline(s, n, argcs, argvs, reps) != SW_OK)
        return SW_EAGAIN;
    f->shards = n;
    for (i = 0; i < n; i++) {
        const redisReply *r = reps[i];

        sw_strlcpy(f->last[i], "0-0", sizeof(f->last[i]));
        if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
            r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements > 0 &&
            r->element[0]->element[0]->type == REDIS_REPLY_STRING)
            sw_strlcpy(f->last[i], r->element[0]->element[0]->str, sizeof(f->last[i]));
        freeReplyObject(reps[i]);
    }
    return SW_OK;
}

int sw_pf_follow_seen(struct sw_pf_follow *f, long long sub, long long seq)
{
    int fresh;
    struct pf_seen *e = seen_get(f, sub, &fresh);

    if (e == NULL)
        return SW_ERR;
    if (seq > e->seq)
        e->seq = seq;
    return SW_OK;
}

long long sw_pf_follow_read(struct sw_store *s, struct sw_pf_follow *f, int count,
                            void (*fn)(void *ud, const struct sw_pf_change *c), void *ud)
{
    int n = f->shards > 0 ? f->shards : sw_stream_shards(s), i, argcs[SW_STREAM_SHARDS_MAX];
    const char *args[SW_STREAM_SHARDS_MAX][6], **argvs[SW_STREAM_SHARDS_MAX];
    sw_key_t keys[SW_STREAM_SHARDS_MAX];
    redisReply *reps[SW_STREAM_SHARDS_MAX];
    char cnt[16];
    long long most = 0;

    f->shards = n;
    snprintf(cnt, sizeof(cnt), "%d", count > 0 ? count : 1);
    for (i = 0; i < n; i++) {
        keys[i] = sw_stream_key(SW_PORTFOLIO_CHANGES, i);
        args[i][0] = "XREAD";
        args[i][1] = "COUNT";
        args[i][2] = cnt;
        args[i][3] = "STREAMS";
        args[i][4] = keys[i].s;
        args[i][5] = f->last[i];
        argcs[i] = 6;
        argvs[i] = args[i];
    }
    if (sw_store_pipeline(s, n, argcs, argvs, reps) != SW_OK)
        return -1;
    for (i = 0; i < n; i++) {
        const redisReply *r = reps[i], *entries;
        size_t j;

        if (r->type != REDIS_REPLY_ARRAY || r->elements == 0 ||
            r->element[0]->type != REDIS_REPLY_ARRAY || r->element[0]->elements != 2 ||
            r->element[0]->element[1]->type != REDIS_REPLY_ARRAY) {
            freeReplyObject(reps[i]);
            continue;
        }
        entries = r->element[0]->element[1];
        for (j = 0; j < entries->elements; j++) {
            const redisReply *e = entries->element[j];
            struct sw_pf_change c;
            struct pf_seen *seen;
            int fresh;

            if (e->type != REDIS_REPLY_ARRAY || e->elements < 1 ||
                e->element[0]->type != REDIS_REPLY_STRING)
                continue;
            sw_strlcpy(f->last[i], e->element[0]->str, sizeof(f->last[i]));
            if (sw_pf_change_parse(e, &c) != SW_OK ||
                sw_portfolio_partition(c.sub, f->partitions) != f->partition)
                continue;   /* not ours (or not a change): another partition holds it */
            if ((seen = seen_get(f, c.sub, &fresh)) == NULL)
                continue;   /* out of memory: applied without its number */
            if (c.seq > 0 && c.seq <= seen->seq)
                continue;   /* applied already, or older than what is applied */
            if (c.seq > 0)
                seen->seq = c.seq;
            c.first = fresh;
            fn(ud, &c);
        }
        if ((long long)entries->elements > most)
            most = (long long)entries->elements;
        freeReplyObject(reps[i]);
    }
    return most;
}

/* Subscriber sub's items (an array, in no order) and the number of its portfolio's last
 * change, read together. SW_OK, SW_EAGAIN or SW_ERR. */
static int pf_snapshot(struct sw_store *s, long long sub, json_t **items, long long *seq)
{
    sw_key_t hash = swk_pf(sub), seqk = swk_pf_seq(sub);
    const char *hgetall[] = { "HGETALL", hash.s }, *get[] = { "GET", seqk.s };
    const char **argvs[] = { hgetall, get };
    int argcs[] = { 2, 2 };
    redisReply *r = sw_store_multi(s, 2, argcs, argvs, NULL), *all;
    json_t *list;
    size_t i;

    if (r == NULL)
        return SW_EAGAIN;
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
        snprintf(s->errstr, sizeof(s->errstr), "portfolio of subscriber %lld not read (%s)",
                 sub, r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
        freeReplyObject(r);
        return SW_ERR;
    }
    all = r->element[0];
    list = json_array();
    for (i = 0; list != NULL && all->type == REDIS_REPLY_ARRAY && i + 1 < all->elements; i += 2) {
        json_t *it = json_loadb(all->element[i + 1]->str, all->element[i + 1]->len, 0, NULL);

        if (it != NULL)
            json_array_append_new(list, it);
    }
    *seq = r->element[1]->type == REDIS_REPLY_STRING ? strtoll(r->element[1]->str, NULL, 10) : 0;
    freeReplyObject(r);
    if (list == NULL)
        return SW_ERR;
    *items = list;
    return SW_OK;
}

int sw_portfolio_load_all(struct sw_store *s, struct sw_pf_follow *f,
                          int (*fn)(void *ud, long long sub, const json_t *profile,
                                    const json_t *items),
                          void *ud)
{
    char after[32] = "-inf";
    int rc = SW_OK;

    for (;;) {
        redisReply *ids = sw_store_cmd(s, "ZRANGEBYSCORE", swk_subscribers().s, after,
                                       "+inf", "LIMIT", "0", "1000", NULL);
        size_t i, n;

        if (ids == NULL)
            return SW_EAGAIN;
        if (ids->type != REDIS_REPLY_ARRAY) {   /* not "nobody": a refused read */
            snprintf(s->errstr, sizeof(s->errstr), "the subscribers not listed (%s)",
                     ids->type == REDIS_REPLY_ERROR ? ids->str : "unexpected reply");
            freeReplyObject(ids);
            return SW_ERR;
        }
        n = ids->elements;
        for (i = 0; i < n && rc == SW_OK; i++) {
            long long sub = sw_reply_int(ids->element[i], 0), seq = 0;
            json_t *profile = NULL, *items = NULL;

            snprintf(after, sizeof(after), "(%lld", sub);
            if (sub <= 0 || sw_portfolio_partition(sub, f->partitions) != f->partition)
                continue;
            rc = sw_doc_get(s, &sw_kind_subscriber, sub, &profile);
            if (rc == SW_NOTFOUND) {   /* deleted since: nothing to hold */
                rc = SW_OK;
                continue;
            }
            rc = rc ?: pf_snapshot(s, sub, &items, &seq);
            rc = rc ?: sw_pf_follow_seen(f, sub, seq);
            rc = rc ?: fn(ud, sub, profile, items);
            json_decref(profile);
            json_decref(items);
        }
        freeReplyObject(ids);
        if (rc != SW_OK || n < 1000)
            return rc;
    }
}

/* --- The matchers' consumer groups ---------------------------------------------------------- */

void sw_matcher_group_name(int partitions, int partition, char *out, size_t len)
{
    if (partitions <= 1)
        snprintf(out, len, "matchers");
    else
        snprintf(out, len, "matchers.p%dof%d", partition, partitions);
}

/* The partitions of a matchers' group by its name (1 for "matchers"), or 0 when name is no
 * matchers' group. */
static int group_partitions(const char *name)
{
    int p, n;
    char end;

    if (strcmp(name, "matchers") == 0)
        return 1;
    if (sscanf(name, "matchers.p%dof%d%c", &p, &n, &end) == 2 && n > 1 && p >= 0 && p < n)
        return n;
    return 0;
}

struct entry_id {
    unsigned long long ms, seq;
};

static int id_parse(const char *s, struct entry_id *id)
{
    return s != NULL && sscanf(s, "%llu-%llu", &id->ms, &id->seq) == 2 ? SW_OK : SW_INVALID;
}

static int id_less(struct entry_id a, struct entry_id b)
{
    return a.ms < b.ms || (a.ms == b.ms && a.seq < b.seq);
}

/* Where a group stands on key: past the last entry it was handed, or just before its first
 * entry not acknowledged. SW_OK with *at, SW_NOTFOUND (nothing to go by) or SW_EAGAIN. */
static int group_at(struct sw_store *s, const char *key, const char *group,
                    const char *last_delivered, struct entry_id *at)
{
    redisReply *r = sw_store_cmd(s, "XPENDING", key, group, NULL);
    struct entry_id first;

    if (r == NULL)
        return SW_EAGAIN;
    if (id_parse(last_delivered, at) != SW_OK) {
        freeReplyObject(r);
        return SW_NOTFOUND;
    }
    if (r->type == REDIS_REPLY_ARRAY && r->elements >= 2 && sw_reply_int(r->element[0], 0) > 0 &&
        id_parse(sw_reply_str(r->element[1]), &first) == SW_OK && id_less(first, *at)) {
        /* The id before first: the group made there is handed first again. */
        if (first.seq > 0) {
            first.seq--;
        } else if (first.ms > 0) {
            first.ms--;
            first.seq = UINT64_MAX;
        }
        *at = first;
    }
    freeReplyObject(r);
    return SW_OK;
}

int sw_matcher_group_create(struct sw_store *s, const char *base, int partitions, int partition)
{
    int n = sw_stream_shards(s), i, rc = SW_OK;
    char group[48];

    sw_matcher_group_name(partitions, partition, group, sizeof(group));
    for (i = 0; i < n && rc == SW_OK; i++) {
        sw_key_t key = sw_stream_key(base, i);
        redisReply *r = sw_store_cmd(s, "XINFO", "GROUPS", key.s, NULL), *made;
        struct entry_id least = { 0, 0 };
        int have = 0, exists = 0;
        char start[48] = "0";
        size_t g;

        if (r == NULL)
            return SW_EAGAIN;
        for (g = 0; r->type == REDIS_REPLY_ARRAY && g < r->elements && !exists; g++) {
            const redisReply *info = r->element[g];
            const char *name = NULL, *last = NULL;
            struct entry_id at;
            size_t f;

            for (f = 0; info->type == REDIS_REPLY_ARRAY && f + 1 < info->elements; f += 2) {
                const char *k = sw_reply_str(info->element[f]) ?: "";

                if (strcmp(k, "name") == 0)
                    name = sw_reply_str(info->element[f + 1]);
                else if (strcmp(k, "last-delivered-id") == 0)
                    last = sw_reply_str(info->element[f + 1]);
            }
            if (name == NULL)
                continue;
            if (strcmp(name, group) == 0)
                exists = 1;
            else if (group_partitions(name) > 0 && group_partitions(name) != partitions) {
                int got = group_at(s, key.s, name, last, &at);

                if (got == SW_EAGAIN)
                    rc = SW_EAGAIN;
                else if (got == SW_OK && (!have || id_less(at, least)))
                    least = at, have = 1;
            }
        }
        freeReplyObject(r);
        if (exists || rc != SW_OK)
            continue;
        if (have)
            snprintf(start, sizeof(start), "%llu-%llu", least.ms, least.seq);
        made = sw_store_cmd(s, "XGROUP", "CREATE", key.s, group, start, "MKSTREAM", NULL);
        if (made == NULL)
            return SW_EAGAIN;
        if (made->type == REDIS_REPLY_ERROR && strncmp(made->str, "BUSYGROUP", 9) != 0) {
            snprintf(s->errstr, sizeof(s->errstr), "XGROUP CREATE %.90s %.40s: %.90s", key.s, group,
                     made->str);
            rc = SW_EAGAIN;
        } else if (have) {
            sw_info("%s: group %s made at %s, where the matchers of another partitioning stood",
                    key.s, group, start);
        }
        freeReplyObject(made);
    }
    return rc;
}
