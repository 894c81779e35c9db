/* matchidx.c — the portfolio index and the matching rules. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/matchidx.h"
#include "seawall/normalise.h"
#include "seawall/portfolio.h"

enum { K_MARK = 1, K_NAME, K_PATENT, K_KEYWORD, K_SHOW };

struct item {
    long long sub, id;
    uint8_t kind, dead;
    uint64_t classes;          /* Nice classes as bits 1..45; 0: any */
    char countries[64];        /* "US,DE" or "" for the subscriber's markets */
    char *text;                /* as the exporter wrote it */
    char *exact, *visual, *phonetic, *bare;   /* one allocation, owned via exact */
};

struct sub {
    long long id;
    double threshold;
    char markets[1024];        /* "US,DE,FR" */
    int used;
};

struct bucket {
    uint64_t h;
    uint32_t head;             /* index into postings + 1; 0: empty */
};

struct sw_mindex {
    struct item *items;
    size_t nitems, capitems;
    struct bucket *table;      /* open addressing, size a power of two */
    size_t tsize, tused;
    uint32_t *pitem, *pnext;   /* postings: item index and next posting (+1) */
    size_t npost, cappost;
    struct { uint64_t key; uint32_t idx; } *imap;   /* (sub, id) → item index + 1 */
    size_t imsize, imused;
    struct sub *subs;          /* open addressing by subscriber id */
    size_t ssize, sused;
    uint32_t *stamp;           /* per item: the probe set that last took it as a candidate */
    uint32_t round;
};

static uint64_t fnv(char tag, const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    h = (h ^ (unsigned char)tag) * 1099511628211ULL;
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ? h : 1;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x ? x : 1;
}

struct sw_mindex *sw_mindex_new(void)
{
    struct sw_mindex *ix = calloc(1, sizeof(*ix));

    if (ix == NULL)
        return NULL;
    ix->tsize = 1 << 16;
    ix->table = calloc(ix->tsize, sizeof(*ix->table));
    ix->imsize = 1 << 12;
    ix->imap = calloc(ix->imsize, sizeof(*ix->imap));
    ix->ssize = 1 << 10;
    ix->subs = calloc(ix->ssize, sizeof(*ix->subs));
    if (ix->table == NULL || ix->imap == NULL || ix->subs == NULL) {
        sw_mindex_free(ix);
        return NULL;
    }
    return ix;
}

void sw_mindex_free(struct sw_mindex *ix)
{
    size_t i;

    if (ix == NULL)
        return;
    for (i = 0; i < ix->nitems; i++) {
        free(ix->items[i].text);
        free(ix->items[i].exact);
    }
    free(ix->items);
    free(ix->table);
    free(ix->pitem);
    free(ix->pnext);
    free(ix->imap);
    free(ix->subs);
    free(ix->stamp);
    free(ix);
}

/* --- subscribers --- */

static struct sub *sub_slot(struct sw_mindex *ix, long long id, int create)
{
    size_t mask, i;

    if (create && (ix->sused + 1) * 2 > ix->ssize) {
        struct sub *old = ix->subs;
        size_t oldn = ix->ssize, k;

        ix->subs = calloc(oldn * 2, sizeof(*ix->subs));
        if (ix->subs == NULL) {
            ix->subs = old;
            return NULL;
        }
        ix->ssize = oldn * 2;
        ix->sused = 0;
        for (k = 0; k < oldn; k++) {
            if (old[k].used) {
                struct sub *n = sub_slot(ix, old[k].id, 1);

                *n = old[k];
            }
        }
        free(old);
    }
    mask = ix->ssize - 1;
    for (i = (size_t)mix((uint64_t)id) & mask;; i = (i + 1) & mask) {
        if (ix->subs[i].used && ix->subs[i].id == id)
            return &ix->subs[i];
        if (!ix->subs[i].used) {
            if (!create)
                return NULL;
            ix->subs[i].used = 1;
            ix->subs[i].id = id;
            ix->subs[i].threshold = SW_MATCH_THRESHOLD;
            ix->sused++;
            return &ix->subs[i];
        }
    }
}

static void join_codes(const json_t *arr, char *out, size_t outlen)
{
    size_t i, used = 0;
    json_t *v;

    out[0] = '\0';
    json_array_foreach(arr, i, v) {
        const char *c = json_string_value(v);

        if (c != NULL && strlen(c) == 2 && used + 4 < outlen) {
            used += (size_t)snprintf(out + used, outlen - used, "%s%s", used ? "," : "", c);
        }
    }
}

int sw_mindex_subscriber(struct sw_mindex *ix, long long sub, const json_t *profile)
{
    struct sub *s = sub_slot(ix, sub, 1);
    json_t *t;

    if (s == NULL)
        return SW_ERR;
    join_codes(json_object_get(profile, "markets"), s->markets, sizeof(s->markets));
    t = json_object_get(profile, "alert_threshold");
    s->threshold = json_is_number(t) ? json_number_value(t) : SW_MATCH_THRESHOLD;
    return SW_OK;
}

/* --- postings --- */

static int file_under(struct sw_mindex *ix, char tag, const char *key, uint32_t item)
{
    uint64_t h = fnv(tag, key);
    size_t mask, i;

    if (key[0] == '\0')
        return SW_OK;
    if ((ix->tused + 1) * 10 > ix->tsize * 7) {
        struct bucket *old = ix->table;
        size_t oldn = ix->tsize, k;

        ix->table = calloc(oldn * 2, sizeof(*ix->table));
        if (ix->table == NULL) {
            ix->table = old;
            return SW_ERR;
        }
        ix->tsize = oldn * 2;
        for (k = 0; k < oldn; k++) {
            if (old[k].head == 0)
                continue;
            for (i = (size_t)mix(old[k].h) & (ix->tsize - 1); ix->table[i].head != 0;
                 i = (i + 1) & (ix->tsize - 1))
                ;
            ix->table[i] = old[k];
        }
        free(old);
    }
    if (ix->npost == ix->cappost) {
        size_t cap = ix->cappost ? ix->cappost * 2 : 4096;
        uint32_t *a = realloc(ix->pitem, cap * sizeof(*a)), *b;

        if (a == NULL)
            return SW_ERR;
        ix->pitem = a;
        b = realloc(ix->pnext, cap * sizeof(*b));
        if (b == NULL)
            return SW_ERR;
        ix->pnext = b;
        ix->cappost = cap;
    }
    mask = ix->tsize - 1;
    for (i = (size_t)mix(h) & mask; ix->table[i].head != 0 && ix->table[i].h != h;
         i = (i + 1) & mask)
        ;
    if (ix->table[i].head == 0) {
        ix->table[i].h = h;
        ix->tused++;
    }
    ix->pitem[ix->npost] = item;
    ix->pnext[ix->npost] = ix->table[i].head;
    ix->table[i].head = (uint32_t)(++ix->npost);
    return SW_OK;
}

/* Calls fn for every live item filed under (tag, key). */
static void probe(struct sw_mindex *ix, char tag, const char *key,
                  void (*fn)(struct sw_mindex *, uint32_t, void *), void *ud)
{
    uint64_t h;
    size_t mask = ix->tsize - 1, i;
    uint32_t p;

    if (key[0] == '\0')
        return;
    h = fnv(tag, key);
    for (i = (size_t)mix(h) & mask; ix->table[i].head != 0; i = (i + 1) & mask) {
        if (ix->table[i].h != h)
            continue;
        for (p = ix->table[i].head; p != 0; p = ix->pnext[p - 1])
            if (!ix->items[ix->pitem[p - 1]].dead)
                fn(ix, ix->pitem[p - 1], ud);
        return;
    }
}

/* Files the one-deletion neighbourhood of key (for keys of 5 to 24 characters). */
static void file_deletions(struct sw_mindex *ix, const char *key, uint32_t item)
{
    size_t n = strlen(key), i;
    char v[32];

    if (n < 5 || n > 24)
        return;
    file_under(ix, 'D', key, item);
    for (i = 0; i < n; i++) {
        memcpy(v, key, i);
        memcpy(v + i, key + i + 1, n - i);
        file_under(ix, 'D', v, item);
    }
}

/* --- items --- */

static uint32_t *imap_slot(struct sw_mindex *ix, long long sub, long long id, int create)
{
    uint64_t key = mix(((uint64_t)sub << 32) ^ (uint64_t)id ^ ((uint64_t)sub >> 32));
    size_t mask, i;

    if (create && (ix->imused + 1) * 2 > ix->imsize) {
        __typeof__(ix->imap) old = ix->imap;
        size_t oldn = ix->imsize, k;

        ix->imap = calloc(oldn * 2, sizeof(*ix->imap));
        if (ix->imap == NULL) {
            ix->imap = old;
            return NULL;
        }
        ix->imsize = oldn * 2;
        for (k = 0; k < oldn; k++) {
            if (old[k].idx == 0)
                continue;
            for (i = (size_t)old[k].key & (ix->imsize - 1); ix->imap[i].idx != 0;
                 i = (i + 1) & (ix->imsize - 1))
                ;
            ix->imap[i] = old[k];
        }
        free(old);
    }
    mask = ix->imsize - 1;
    for (i = (size_t)key & mask;; i = (i + 1) & mask) {
        if (ix->imap[i].idx != 0 && ix->imap[i].key == key) {
            struct item *it = &ix->items[ix->imap[i].idx - 1];

            if (it->sub == sub && it->id == id)
                return &ix->imap[i].idx;
            continue;
        }
        if (ix->imap[i].idx == 0) {
            if (!create)
                return NULL;
            ix->imap[i].key = key;
            ix->imused++;
            return &ix->imap[i].idx;
        }
    }
}

void sw_mindex_del(struct sw_mindex *ix, long long sub, long long id)
{
    uint32_t *slot = imap_slot(ix, sub, id, 0);
    size_t i;

    if (slot == NULL || *slot == 0)
        return;
    /* The item and its aliases, filed one after the other: postings stay, the entries are
     * skipped from now on. */
    for (i = *slot - 1; i < ix->nitems && ix->items[i].sub == sub && ix->items[i].id == id; i++)
        ix->items[i].dead = 1;
}

static int set_keys(struct item *it, const struct sw_keys *k)
{
    size_t a = strlen(k->exact) + 1, b = strlen(k->visual) + 1, c = strlen(k->phonetic) + 1;
    size_t d = strlen(k->bare) + 1;
    char *block = malloc(a + b + c + d);

    if (block == NULL)
        return SW_ERR;
    memcpy(block, k->exact, a);
    memcpy(block + a, k->visual, b);
    memcpy(block + a + b, k->phonetic, c);
    memcpy(block + a + b + c, k->bare, d);
    it->exact = block;
    it->visual = block + a;
    it->phonetic = block + a + b;
    it->bare = block + a + b + c;
    return SW_OK;
}

/* The keys sw_similarity reads (exact, visual, phonetic, bare) of an item. */
static void keys_of(const struct item *it, struct sw_keys *k)
{
    sw_strlcpy(k->exact, it->exact, sizeof(k->exact));
    sw_strlcpy(k->visual, it->visual, sizeof(k->visual));
    sw_strlcpy(k->phonetic, it->phonetic, sizeof(k->phonetic));
    sw_strlcpy(k->bare, it->bare, sizeof(k->bare));
}

/* Adds one entry (an item, or one alias of a name) and files it. */
static int add_entry(struct sw_mindex *ix, long long sub, long long id, int kind,
                     const char *text, const struct sw_keys *k, uint64_t classes,
                     const char *countries)
{
    struct item *it;
    uint32_t idx;

    if (ix->nitems == ix->capitems) {
        size_t cap = ix->capitems ? ix->capitems * 2 : 1024;
        struct item *a = realloc(ix->items, cap * sizeof(*a));
        uint32_t *st;

        if (a == NULL)
            return SW_ERR;
        ix->items = a;
        st = realloc(ix->stamp, cap * sizeof(*st));
        if (st == NULL)
            return SW_ERR;
        memset(st + ix->capitems, 0, (cap - ix->capitems) * sizeof(*st));
        ix->stamp = st;
        ix->capitems = cap;
    }
    idx = (uint32_t)ix->nitems;
    it = &ix->items[ix->nitems];
    memset(it, 0, sizeof(*it));
    it->sub = sub;
    it->id = id;
    it->kind = (uint8_t)kind;
    it->classes = classes;
    sw_strlcpy(it->countries, countries, sizeof(it->countries));
    it->text = strdup(text);
    if (it->text == NULL || set_keys(it, k) != SW_OK) {
        free(it->text);
        return SW_ERR;
    }
    ix->nitems++;
    switch (kind) {
    case K_MARK:
        file_under(ix, 'E', k->exact, idx);
        file_under(ix, 'V', k->visual, idx);
        if (strlen(k->phonetic) >= 2 && strlen(k->exact) >= 4)
            file_under(ix, 'P', k->phonetic, idx);
        if (strcmp(k->bare, k->exact) != 0)
            file_under(ix, 'B', k->bare, idx);
        file_deletions(ix, k->exact, idx);
        break;
    case K_NAME:
        file_under(ix, 'N', k->exact, idx);
        file_under(ix, 'W', k->visual, idx);
        break;
    case K_PATENT:
        file_under(ix, 'T', k->exact, idx);
        break;
    case K_KEYWORD:
        file_under(ix, 'K', k->words, idx);
        break;
    case K_SHOW:
        file_under(ix, 'S', k->exact, idx);
        break;
    }
    return SW_OK;
}

int sw_mindex_put(struct sw_mindex *ix, long long sub, const json_t *item)
{
    const char *kind = json_string_value(json_object_get(item, "kind"));
    long long id = json_integer_value(json_object_get(item, "id"));
    uint64_t classes = 0;
    char countries[64];
    struct sw_keys k;
    uint32_t *slot;
    size_t i;
    json_t *v;
    int kd, rc;

    if (kind == NULL || id <= 0)
        return SW_INVALID;
    sw_mindex_del(ix, sub, id);
    json_array_foreach(json_object_get(item, "classes"), i, v)
        if (json_integer_value(v) >= 1 && json_integer_value(v) <= 45)
            classes |= 1ULL << json_integer_value(v);
    join_codes(json_object_get(item, "countries"), countries, sizeof(countries));
    if (strcmp(kind, "mark") == 0)
        kd = K_MARK;
    else if (strcmp(kind, "name") == 0)
        kd = K_NAME;
    else if (strcmp(kind, "patent") == 0)
        kd = K_PATENT;
    else if (strcmp(kind, "keyword") == 0)
        kd = K_KEYWORD;
    else if (strcmp(kind, "show") == 0)
        kd = K_SHOW;
    else
        return SW_INVALID;
    if (kd == K_PATENT) {
        const char *n = json_string_value(json_object_get(item, "normalised"));

        memset(&k, 0, sizeof(k));
        if (n == NULL)
            return SW_INVALID;
        sw_strlcpy(k.exact, n, sizeof(k.exact));
        rc = add_entry(ix, sub, id, kd, n, &k, 0, countries);
    } else if (kd == K_SHOW) {
        const char *sh = json_string_value(json_object_get(item, "show"));

        memset(&k, 0, sizeof(k));
        if (sh == NULL)
            return SW_INVALID;
        for (i = 0; sh[i] != '\0' && i + 1 < sizeof(k.exact); i++)
            k.exact[i] = (char)tolower((unsigned char)sh[i]);
        rc = add_entry(ix, sub, id, kd, sh, &k, 0, countries);
    } else {
        const char *text = json_string_value(json_object_get(item, "text"));

        if (text == NULL || sw_normalise(text, kd == K_NAME ? SW_NORM_NAME : SW_NORM_MARK, &k) !=
                                SW_OK)
            return SW_INVALID;
        rc = add_entry(ix, sub, id, kd, text, &k, classes, countries);
        json_array_foreach(json_object_get(item, "aliases"), i, v) {
            if (rc == SW_OK && sw_normalise(json_string_value(v), SW_NORM_NAME, &k) == SW_OK)
                rc = add_entry(ix, sub, id, kd, json_string_value(v), &k, 0, countries);
        }
    }
    if (rc != SW_OK)
        return rc;
    /* The map points at the item's first entry (aliases follow it in the array). */
    slot = imap_slot(ix, sub, id, 1);
    if (slot == NULL)
        return SW_ERR;
    *slot = (uint32_t)(ix->nitems - (size_t)(kd == K_NAME ? 1 + json_array_size(
                                                                    json_object_get(item, "aliases"))
                                                          : 1)) + 1;
    return SW_OK;
}

void sw_mindex_stats(const struct sw_mindex *ix, size_t *items, size_t *postings, size_t *bytes)
{
    size_t i, b = sizeof(*ix);

    for (i = 0; i < ix->nitems; i++)
        b += strlen(ix->items[i].text) + 1 + strlen(ix->items[i].exact) * 4 + 4;
    b += ix->capitems * sizeof(*ix->items) + ix->tsize * sizeof(*ix->table) +
         ix->cappost * 2 * sizeof(uint32_t) + ix->imsize * sizeof(*ix->imap) +
         ix->ssize * sizeof(*ix->subs);
    *items = ix->nitems;
    *postings = ix->npost;
    *bytes = b;
}

/* --- matching --- */

enum { SEV_LOW = 1, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
static const char *const sev_names[] = { "", "low", "medium", "high", "critical" };

static const char *const eu[] = { "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
                                  "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
                                  "PL", "PT", "RO", "SK", "SI", "ES", "SE", NULL };

struct hit {
    long long sub, item;
    int sev;
    json_t *reasons;
};

struct run {
    struct sw_mindex *ix;
    const json_t *ev;
    const char *jur;
    uint64_t nice;
    struct hit *hits;
    size_t nhits, caphits;
    uint32_t *cand;            /* candidates of the current probe set */
    size_t ncand, capcand;
    long long owners[16];      /* subscribers that own the event's trademark */
    int nowners;
};

/* Starts a new candidate set: earlier stamps no longer count. */
static void new_set(struct run *r)
{
    r->ncand = 0;
    if (++r->ix->round == 0) {
        memset(r->ix->stamp, 0, r->ix->capitems * sizeof(*r->ix->stamp));
        r->ix->round = 1;
    }
}

static void add_cand(struct sw_mindex *ix, uint32_t idx, void *ud)
{
    struct run *r = ud;

    if (ix->stamp[idx] == ix->round)
        return;
    ix->stamp[idx] = ix->round;
    if (r->ncand == r->capcand) {
        size_t cap = r->capcand ? r->capcand * 2 : 64;
        uint32_t *c = realloc(r->cand, cap * sizeof(*c));

        if (c == NULL)
            return;
        r->cand = c;
        r->capcand = cap;
    }
    r->cand[r->ncand++] = idx;
}

static int in_list(const char *list, const char *code)
{
    size_t n = strlen(code);
    const char *p = list;

    while ((p = strstr(p, code)) != NULL) {
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return 1;
        p += n;
    }
    return 0;
}

/* The item watches the event's country: its own countries, else its subscriber's markets,
 * else everywhere. EM (EU trademarks) counts for any EU member state; WO for all. */
static int country_ok(struct run *r, const struct item *it)
{
    const char *list = it->countries;
    const char *const *c;

    if (list[0] == '\0') {
        struct sub *s = sub_slot(r->ix, it->sub, 0);

        list = s != NULL ? s->markets : "";
    }
    if (list[0] == '\0' || r->jur == NULL || r->jur[0] == '\0' || strcmp(r->jur, "WO") == 0)
        return 1;
    if (in_list(list, r->jur))
        return 1;
    if (strcmp(r->jur, "EM") == 0)
        for (c = eu; *c != NULL; c++)
            if (in_list(list, *c))
                return 1;
    return 0;
}

static double threshold_of(struct run *r, long long sub)
{
    struct sub *s = sub_slot(r->ix, sub, 0);

    return s != NULL ? s->threshold : SW_MATCH_THRESHOLD;
}

static int owner(struct run *r, long long sub)
{
    int i;

    for (i = 0; i < r->nowners; i++)
        if (r->owners[i] == sub)
            return 1;
    return 0;
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case K_MARK: return "mark";
    case K_NAME: return "name";
    case K_PATENT: return "patent";
    case K_KEYWORD: return "keyword";
    default: return "show";
    }
}

static void hit(struct run *r, const struct item *it, int sev, const char *rule, const char *field,
                const char *event_text, double score, const char *why)
{
    /* Built member by member (json_pack's format parsing was most of a hit's cost). */
    json_t *reason = json_object(), *item = json_object(), *matched = json_array();

    json_object_set_new_nocheck(item, "id", json_integer(it->id));
    json_object_set_new_nocheck(item, "kind", json_string_nocheck(kind_name(it->kind)));
    json_object_set_new(item, "text", json_string(it->text));
    json_array_append_new(matched, json_string(event_text));
    json_array_append_new(matched, json_string(it->text));
    json_object_set_new_nocheck(reason, "rule", json_string_nocheck(rule));
    json_object_set_new_nocheck(reason, "item", item);
    json_object_set_new_nocheck(reason, "field", json_string(field));
    json_object_set_new_nocheck(reason, "matched", matched);
    json_object_set_new_nocheck(reason, "score",
                                json_real((double)((int)(score * 1000 + 0.5)) / 1000));
    json_object_set_new_nocheck(reason, "why", json_string_nocheck(why));
    size_t i;

    for (i = 0; i < r->nhits; i++) {
        if (r->hits[i].sub == it->sub && r->hits[i].item == it->id) {
            if (sev > r->hits[i].sev) {
                r->hits[i].sev = sev;
                json_array_insert_new(r->hits[i].reasons, 0, reason);
            } else {
                json_array_append_new(r->hits[i].reasons, reason);
            }
            return;
        }
    }
    if (r->nhits == r->caphits) {
        size_t cap = r->caphits ? r->caphits * 2 : 16;
        struct hit *h = realloc(r->hits, cap * sizeof(*h));

        if (h == NULL) {
            json_decref(reason);
            return;
        }
        r->hits = h;
        r->caphits = cap;
    }
    r->hits[r->nhits].sub = it->sub;
    r->hits[r->nhits].item = it->id;
    r->hits[r->nhits].sev = sev;
    r->hits[r->nhits].reasons = json_pack("[o]", reason);
    r->nhits++;
}

/* Candidates for a mark text: every key a similar mark or a name could be filed under. */
static void mark_candidates(struct run *r, const struct sw_keys *k)
{
    size_t n = strlen(k->exact), i;
    char v[32];

    new_set(r);
    probe(r->ix, 'E', k->exact, add_cand, r);
    probe(r->ix, 'V', k->visual, add_cand, r);
    if (strlen(k->phonetic) >= 2 && n >= 4)
        probe(r->ix, 'P', k->phonetic, add_cand, r);
    probe(r->ix, 'E', k->bare, add_cand, r);
    probe(r->ix, 'B', k->bare, add_cand, r);
    probe(r->ix, 'B', k->exact, add_cand, r);
    probe(r->ix, 'N', k->exact, add_cand, r);
    probe(r->ix, 'W', k->visual, add_cand, r);
    if (n >= 4 && n <= 25) {
        probe(r->ix, 'D', k->exact, add_cand, r);
        for (i = 0; i < n; i++) {
            memcpy(v, k->exact, i);
            memcpy(v + i, k->exact + i + 1, n - i);
            probe(r->ix, 'D', v, add_cand, r);
        }
    }
}

static int classes_ok(struct run *r, const struct item *it)
{
    return it->classes == 0 || r->nice == 0 || (it->classes & r->nice) != 0;
}

/* Marks in a trademark filing or status: look-alikes of watched marks, and watched company
 * names filed as marks (squatting). */
static void marks_rule(struct run *r, int litigation)
{
    json_t *marks = json_object_get(r->ev, "marks"), *m;
    size_t i, c;
    char field[32], why[64];

    json_array_foreach(marks, i, m) {
        struct sw_keys k, ik;

        if (sw_normalise(json_string_value(m), SW_NORM_MARK, &k) != SW_OK)
            continue;
        mark_candidates(r, &k);
        snprintf(field, sizeof(field), "marks[%zu]", i);
        for (c = 0; c < r->ncand; c++) {
            const struct item *it = &r->ix->items[r->cand[c]];
            double score;

            if ((it->kind != K_MARK && it->kind != K_NAME) || owner(r, it->sub))
                continue;
            /* The cheap filters first (class bits, the country list), the score last. */
            if ((!litigation && it->kind == K_MARK && !classes_ok(r, it)) || !country_ok(r, it))
                continue;
            keys_of(it, &ik);
            score = sw_similarity(&k, &ik, why, sizeof(why));
            if (score < threshold_of(r, it->sub))
                continue;
            if (litigation)
                hit(r, it, SEV_HIGH, "mark-mentioned", field, json_string_value(m), score, why);
            else if (it->kind == K_NAME)
                hit(r, it, SEV_HIGH, "name-filed-as-mark", field, json_string_value(m), score,
                    why);
            else
                hit(r, it, score >= 1.0 ? SEV_HIGH : SEV_MEDIUM,
                    score >= 1.0 ? "identical-mark" : "similar-mark", field,
                    json_string_value(m), score, why);
        }
    }
}

/* Subscribers whose own names are the trademark's applicants or owners: not alerted. */
static void find_owners(struct run *r)
{
    json_t *p;
    size_t i, c;

    r->nowners = 0;
    json_array_foreach(json_object_get(r->ev, "parties"), i, p) {
        const char *role = json_string_value(json_object_get(p, "role"));
        struct sw_keys k;

        if (role == NULL || (strcmp(role, "applicant") != 0 && strcmp(role, "owner") != 0))
            continue;
        if (sw_normalise(json_string_value(json_object_get(p, "name")), SW_NORM_NAME, &k) !=
            SW_OK)
            continue;
        new_set(r);
        probe(r->ix, 'N', k.exact, add_cand, r);
        for (c = 0; c < r->ncand && r->nowners < 16; c++)
            if (r->ix->items[r->cand[c]].kind == K_NAME)
                r->owners[r->nowners++] = r->ix->items[r->cand[c]].sub;
    }
}

/* Accused parties: a watched name as defendant, respondent or exhibitor is critical. */
static void parties_rule(struct run *r)
{
    json_t *p;
    size_t i, c;
    char field[32], why[64], rule[48];

    json_array_foreach(json_object_get(r->ev, "parties"), i, p) {
        const char *role = json_string_value(json_object_get(p, "role"));
        const char *name = json_string_value(json_object_get(p, "name"));
        struct sw_keys k, ik;

        if (role == NULL || name == NULL ||
            (strcmp(role, "defendant") != 0 && strcmp(role, "respondent") != 0 &&
             strcmp(role, "exhibitor") != 0))
            continue;
        if (sw_normalise(name, SW_NORM_NAME, &k) != SW_OK)
            continue;
        new_set(r);
        probe(r->ix, 'N', k.exact, add_cand, r);
        probe(r->ix, 'W', k.visual, add_cand, r);
        snprintf(field, sizeof(field), "parties[%zu]", i);
        snprintf(rule, sizeof(rule), "named-as-%s", role);
        for (c = 0; c < r->ncand; c++) {
            const struct item *it = &r->ix->items[r->cand[c]];
            double score;

            if (it->kind != K_NAME)
                continue;
            keys_of(it, &ik);
            score = sw_similarity(&k, &ik, why, sizeof(why));
            if (score >= threshold_of(r, it->sub))
                hit(r, it, SEV_CRITICAL, rule, field, name, score, why);
        }
    }
}

static void patent_probe(struct run *r, const char *number, const char *field)
{
    char norm[64];
    size_t c;

    if (sw_patent_normalise(number, NULL, norm, sizeof(norm)) != SW_OK)
        return;
    new_set(r);
    probe(r->ix, 'T', norm, add_cand, r);
    for (c = 0; c < r->ncand; c++) {
        const struct item *it = &r->ix->items[r->cand[c]];

        if (it->kind == K_PATENT)
            hit(r, it, SEV_HIGH, "patent-cited", field, number, 1.0, "same patent number");
    }
}

/* Patent numbers as dockets write them: "8,930,553" (US style), or "US 8930553". */
static void patents_in_text(struct run *r, const char *t, const char *field)
{
    const char *p;

    for (p = t; p != NULL && *p != '\0'; p++) {
        char num[32];
        size_t n = 0;

        if (!isdigit((unsigned char)*p) || (p > t && (isalnum((unsigned char)p[-1]) ||
                                                      p[-1] == ',')))
            continue;
        while ((isdigit((unsigned char)p[n]) || p[n] == ',') && n + 1 < sizeof(num)) {
            num[n] = p[n];
            n++;
        }
        num[n] = '\0';
        while (n > 0 && num[n - 1] == ',')
            num[--n] = '\0';
        if ((n == 9 || n == 10) && num[n - 4] == ',' && num[n - 8] == ',')
            patent_probe(r, num, field);
        p += n ? n - 1 : 0;
    }
}

static void patents_rule(struct run *r)
{
    json_t *nums = json_object_get(r->ev, "numbers"), *v;
    size_t i;

    json_array_foreach(json_object_get(nums, "patents"), i, v)
        patent_probe(r, json_string_value(v), "numbers.patents");
    if (json_is_string(json_object_get(nums, "publication")))
        patent_probe(r, json_string_value(json_object_get(nums, "publication")),
                     "numbers.publication");
    if (json_is_string(json_object_get(r->ev, "text")))
        patents_in_text(r, json_string_value(json_object_get(r->ev, "text")), "text");
    if (json_is_string(json_object_get(r->ev, "title")))
        patents_in_text(r, json_string_value(json_object_get(r->ev, "title")), "title");
}

/* A plain ASCII token in lower case, as sw_normalise would give it; SW_INVALID otherwise. */
static int ascii_word(const char *tok, char *out, size_t outlen)
{
    size_t i;

    for (i = 0; tok[i] != '\0' && i + 1 < outlen; i++) {
        if ((unsigned char)tok[i] >= 0x80)
            return SW_INVALID;
        out[i] = (char)tolower((unsigned char)tok[i]);
    }
    out[i] = '\0';
    return SW_OK;
}

/* Watched keywords (one to three words) among the words of the event's texts. */
static void keywords_rule(struct run *r, int sev, const char *rule, int any_market)
{
    static const char *const fields[] = { "title", "text", "goods", NULL };
    const char *const *f;
    size_t c;

    for (f = fields; *f != NULL; f++) {
        const char *t = json_string_value(json_object_get(r->ev, *f));
        char words[3][64], gram[200];
        int have = 0;

        if (t == NULL)
            continue;
        while (*t != '\0') {
            char tok[64];
            size_t n = 0;
            struct sw_keys k;
            int g;

            while (*t != '\0' && !isalnum((unsigned char)*t) && (unsigned char)*t < 0x80)
                t++;
            while (*t != '\0' && (isalnum((unsigned char)*t) || (unsigned char)*t >= 0x80) &&
                   n + 1 < sizeof(tok))
                tok[n++] = *t++;
            tok[n] = '\0';
            if (n == 0)
                continue;
            memmove(words[0], words[1], sizeof(words[0]) * 2);
            if (ascii_word(tok, words[2], sizeof(words[2])) != SW_OK) {
                /* Not plain ASCII: the full normalisation (case fold, transliteration). */
                if (sw_normalise(tok, SW_NORM_TEXT, &k) != SW_OK)
                    continue;
                sw_strlcpy(words[2], k.words, sizeof(words[2]));
            }
            if (have < 3)
                have++;
            for (g = 1; g <= have; g++) {
                size_t used = 0, l;
                int w;

                /* "w1", "w0 w1", … built by hand: this runs for every word of every text. */
                for (w = 3 - g; w < 3; w++) {
                    if (w > 3 - g)
                        gram[used++] = ' ';
                    l = strlen(words[w]);
                    memcpy(gram + used, words[w], l);
                    used += l;
                }
                gram[used] = '\0';
                new_set(r);
                probe(r->ix, 'K', gram, add_cand, r);
                for (c = 0; c < r->ncand; c++) {
                    const struct item *it = &r->ix->items[r->cand[c]];

                    if (it->kind == K_KEYWORD && (any_market || country_ok(r, it)))
                        hit(r, it, sev, rule, *f, gram, 1.0, "keyword in the text");
                }
            }
        }
    }
}

static void shows_rule(struct run *r)
{
    const char *show = json_string_value(json_object_get(r->ev, "show"));
    char key[SW_KEY_MAX];
    size_t i, c;

    if (show == NULL)
        return;
    for (i = 0; show[i] != '\0' && i + 1 < sizeof(key); i++)
        key[i] = (char)tolower((unsigned char)show[i]);
    key[i] = '\0';
    new_set(r);
    probe(r->ix, 'S', key, add_cand, r);
    for (c = 0; c < r->ncand; c++) {
        const struct item *it = &r->ix->items[r->cand[c]];

        if (it->kind == K_SHOW)
            hit(r, it, SEV_MEDIUM, "show-attended", "show", show, 1.0, "a show you attend");
    }
}

/* A bulletin about a country alerts every subscriber trading there (item 0: the market). */
static void bulletin_markets(struct run *r, int sev)
{
    struct item market;
    char label[64];
    size_t i;

    if (r->jur == NULL || strlen(r->jur) != 2)
        return;
    snprintf(label, sizeof(label), "market %s", r->jur);
    memset(&market, 0, sizeof(market));
    market.id = 0;
    market.kind = K_KEYWORD;
    market.text = label;
    for (i = 0; i < r->ix->ssize; i++) {
        const struct sub *s = &r->ix->subs[i];

        if (!s->used || !in_list(s->markets, r->jur))
            continue;
        market.sub = s->id;
        hit(r, &market, sev, "bulletin-market", "jurisdiction", r->jur, 1.0,
            "a market you trade in");
    }
}

static int sev_of(const json_t *ev, int dflt)
{
    const char *s = json_string_value(json_object_get(ev, "severity"));
    int i;

    for (i = SEV_LOW; s != NULL && i <= SEV_CRITICAL; i++)
        if (strcmp(s, sev_names[i]) == 0)
            return i;
    return dflt;
}

size_t sw_mindex_match(struct sw_mindex *ix, const json_t *event, sw_alert_fn fn, void *ud)
{
    const char *type = json_string_value(json_object_get(event, "type"));
    struct run r;
    size_t i, n;
    json_t *v;

    if (type == NULL)
        return 0;
    memset(&r, 0, sizeof(r));
    r.ix = ix;
    r.ev = event;
    r.jur = json_string_value(json_object_get(event, "jurisdiction"));
    json_array_foreach(json_object_get(json_object_get(event, "classes"), "nice"), i, v)
        if (json_integer_value(v) >= 1 && json_integer_value(v) <= 45)
            r.nice |= 1ULL << json_integer_value(v);
    if (strcmp(type, "trademark_filing") == 0 || strcmp(type, "trademark_status") == 0) {
        find_owners(&r);
        marks_rule(&r, 0);
    } else if (strcmp(type, "litigation") == 0 || strcmp(type, "trade_investigation") == 0 ||
               strcmp(type, "customs_seizure") == 0 || strcmp(type, "show_incident") == 0) {
        parties_rule(&r);
        patents_rule(&r);
        marks_rule(&r, 1);
        keywords_rule(&r, SEV_MEDIUM, "keyword-in-market", 0);
        if (strcmp(type, "show_incident") == 0)
            shows_rule(&r);
    } else if (strcmp(type, "patent_grant") == 0 || strcmp(type, "patent_publication") == 0) {
        keywords_rule(&r, SEV_LOW, "keyword-in-patent", 0);
    } else if (strcmp(type, "show_event") == 0) {
        shows_rule(&r);
    } else if (strcmp(type, "bulletin") == 0) {
        keywords_rule(&r, sev_of(event, SEV_LOW), "bulletin-keyword", 1);   /* or: any market */
        bulletin_markets(&r, sev_of(event, SEV_LOW));
    } else if (strcmp(type, "news") == 0) {
        keywords_rule(&r, SEV_LOW, "keyword-in-news", 0);
    }
    n = r.nhits;
    for (i = 0; i < r.nhits; i++) {
        json_t *a = json_pack("{s:s, s:s, s:o}", "severity", sev_names[r.hits[i].sev], "rule",
                              json_string_value(json_object_get(json_array_get(
                                  r.hits[i].reasons, 0), "rule")), "reasons", r.hits[i].reasons);

        fn(ud, r.hits[i].sub, r.hits[i].item, a);
    }
    free(r.hits);
    free(r.cand);
    return n;
}
