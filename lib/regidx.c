/* regidx.c — the register's screening index (include/seawall/regidx.h).
 *
 * Memory, per mark: one 64-bit info word (classes, office, present) and one 32-bit arena
 * offset, indexed by rid; the mark's keys in the arena (a flags byte, then exact, visual when
 * it differs, phonetic, bare when it differs, each NUL-terminated); and its postings. The
 * built postings are a CSR layout: bucket b of the mixed key hash holds brid[boff[b] ..
 * boff[b + 1]) with the hash's top byte beside each rid in bfp, so a probe reads one short
 * run and skips the other keys of its bucket by fingerprint. A mark's keys are hashed and
 * deduplicated before filing; the matcher's two-letter deletion neighbourhood is most of
 * them. Postings added since the build sit in a delta table (open addressing, chained
 * postings in one array). Removing a mark clears its info word: its postings stay until the
 * next build and are skipped. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "seawall/markkeys.h"
#include "seawall/regidx.h"

#define I_PRESENT (1ULL << 63)
#define I_CLASSES 0x3FFFFFFFFFFEULL   /* bits 1..45 */
#define I_OFFICE_SHIFT 48
#define A_VIS 1                       /* the arena entry holds a visual key of its own */
#define A_BARE 2                      /* ... and a bare key */
#define BUCKET_LOAD 8                 /* postings per bucket aimed at by a build */
#define DELTA_MIN 65536               /* marks the delta takes before a rebuild is due */
#define STALE_MIN 4096                /* removed or replaced marks before a rebuild is due */
#define DEDUP_SLOTS 512               /* the set one mark's keys are made unique in */

struct dslot {
    uint64_t h;                /* 0: free */
    uint32_t head;             /* first posting + 1 in dp; 0: none */
};

struct dpost {
    uint32_t rid, next;        /* next: index + 1 in dp, 0 at the end */
};

struct sw_regidx {
    uint64_t *info;            /* per rid: I_PRESENT | classes | office << I_OFFICE_SHIFT */
    uint32_t *aoff;            /* per rid: its entry in arena */
    size_t caprid, count;
    char *arena;
    size_t alen, acap, agarbage;
    char offices[SW_REGIDX_OFFICES][8];
    int noffices;
    uint32_t *boff, *brid;     /* built postings (nb buckets; nb == 0: none built) */
    uint8_t *bfp;
    size_t nb, nbpost, base_marks;
    struct dslot *ds;          /* delta postings */
    size_t dsize, dused;
    struct dpost *dp;
    size_t ndp, capdp, delta_marks;
    uint32_t *pending;         /* rids added since they were last filed */
    size_t npending, cappending;
    size_t stale;              /* marks removed or replaced since the build */
    uint64_t *hs;              /* scratch: one mark's key hashes */
    size_t nhs, caphs;
    uint64_t dedup_key[DEDUP_SLOTS];    /* scratch: those seen of this mark's */
    uint32_t dedup_stamp[DEDUP_SLOTS];
    uint32_t dedup_gen;
    uint32_t *seen;            /* scratch: a query's candidates as a set (rid + 1) */
    size_t seensize, nseen;
    uint32_t *cand;
    size_t ncand, capcand;
    struct sw_regidx_hit *found;
    size_t nfound, capfound;
    int oom;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

/* Makes room for n more elements of size sz in *arr (capacity *cap, doubled). */
static int reserve(void *arr, size_t *cap, size_t used, size_t n, size_t sz)
{
    void **a = arr;
    size_t c = *cap ? *cap : 16;
    void *p;

    if (used + n <= *cap)
        return SW_OK;
    while (c < used + n)
        c *= 2;
    p = realloc(*a, c * sz);
    if (p == NULL)
        return SW_ERR;
    *a = p;
    *cap = c;
    return SW_OK;
}

struct sw_regidx *sw_regidx_new(void)
{
    return calloc(1, sizeof(struct sw_regidx));
}

void sw_regidx_free(struct sw_regidx *ix)
{
    if (ix == NULL)
        return;
    free(ix->info);
    free(ix->aoff);
    free(ix->arena);
    free(ix->boff);
    free(ix->brid);
    free(ix->bfp);
    free(ix->ds);
    free(ix->dp);
    free(ix->pending);
    free(ix->hs);
    free(ix->seen);
    free(ix->cand);
    free(ix->found);
    free(ix);
}

/* --- marks --- */

static int present(const struct sw_regidx *ix, uint32_t rid)
{
    return rid < ix->caprid && (ix->info[rid] & I_PRESENT) != 0;
}

/* The keys of the arena entry at off. */
static void keys_at(const struct sw_regidx *ix, uint32_t off, struct sw_keyref *k)
{
    const char *p = ix->arena + off;
    unsigned fl = (unsigned char)*p++;

    k->exact = p;
    p += strlen(p) + 1;
    k->visual = k->exact;
    if (fl & A_VIS) {
        k->visual = p;
        p += strlen(p) + 1;
    }
    k->phonetic = p;
    p += strlen(p) + 1;
    k->bare = (fl & A_BARE) ? p : k->exact;
    k->name = NULL;
}

static size_t entry_len(const struct sw_regidx *ix, uint32_t off)
{
    struct sw_keyref k;
    const char *end;

    keys_at(ix, off, &k);
    end = k.bare != k.exact ? k.bare : k.phonetic;
    return (size_t)(end + strlen(end) + 1 - (ix->arena + off));
}

static int office_of(struct sw_regidx *ix, const char *code, int create)
{
    int i;

    for (i = 0; i < ix->noffices; i++)
        if (strcmp(ix->offices[i], code) == 0)
            return i;
    if (!create || ix->noffices == SW_REGIDX_OFFICES || code[0] == '\0' ||
        strlen(code) >= sizeof(ix->offices[0]))
        return -1;
    memcpy(ix->offices[ix->noffices], code, strlen(code) + 1);
    return ix->noffices++;
}

uint64_t sw_regidx_offices(const struct sw_regidx *ix, const char *const *codes, size_t n)
{
    uint64_t m = 0;
    size_t i;
    int o;

    for (i = 0; i < n; i++)
        if (codes[i] != NULL && (o = office_of((struct sw_regidx *)ix, codes[i], 0)) >= 0)
            m |= 1ULL << o;
    return m;
}

/* Appends a mark's keys to the arena; its offset in *off. */
static int arena_put(struct sw_regidx *ix, const struct sw_keys *k, uint32_t *off)
{
    int vis = strcmp(k->visual, k->exact) != 0, bare = strcmp(k->bare, k->exact) != 0;
    size_t n = 1 + strlen(k->exact) + 1 + strlen(k->phonetic) + 1 +
               (vis ? strlen(k->visual) + 1 : 0) + (bare ? strlen(k->bare) + 1 : 0);
    char *p;

    if (ix->alen + n > UINT32_MAX || reserve(&ix->arena, &ix->acap, ix->alen, n, 1) != SW_OK)
        return SW_ERR;
    *off = (uint32_t)ix->alen;
    p = ix->arena + ix->alen;
    *p++ = (char)((vis ? A_VIS : 0) | (bare ? A_BARE : 0));
    memcpy(p, k->exact, strlen(k->exact) + 1);
    p += strlen(k->exact) + 1;
    if (vis) {
        memcpy(p, k->visual, strlen(k->visual) + 1);
        p += strlen(k->visual) + 1;
    }
    memcpy(p, k->phonetic, strlen(k->phonetic) + 1);
    p += strlen(k->phonetic) + 1;
    if (bare)
        memcpy(p, k->bare, strlen(k->bare) + 1);
    ix->alen += n;
    return SW_OK;
}

int sw_regidx_add(struct sw_regidx *ix, uint32_t rid, const char *mark, uint64_t classes,
                  const char *office)
{
    struct sw_keys k;
    uint32_t off;
    int o;

    if (rid == UINT32_MAX || mark == NULL || office == NULL ||
        sw_normalise(mark, SW_NORM_MARK, &k) != SW_OK || (o = office_of(ix, office, 1)) < 0)
        return SW_INVALID;
    if (rid >= ix->caprid) {
        size_t cap = ix->caprid ? ix->caprid : 1024;
        uint64_t *info;
        uint32_t *aoff;

        while (cap <= rid)
            cap *= 2;
        if ((info = realloc(ix->info, cap * sizeof(*info))) == NULL)
            return SW_ERR;
        ix->info = info;
        if ((aoff = realloc(ix->aoff, cap * sizeof(*aoff))) == NULL)
            return SW_ERR;
        ix->aoff = aoff;
        memset(info + ix->caprid, 0, (cap - ix->caprid) * sizeof(*info));
        memset(aoff + ix->caprid, 0, (cap - ix->caprid) * sizeof(*aoff));
        ix->caprid = cap;
    }
    if (present(ix, rid)) {
        struct sw_keyref old;

        keys_at(ix, ix->aoff[rid], &old);
        if (strcmp(old.exact, k.exact) == 0 && strcmp(old.visual, k.visual) == 0 &&
            strcmp(old.phonetic, k.phonetic) == 0 && strcmp(old.bare, k.bare) == 0) {
            /* the same keys (a status or classes changed): its postings stand as they are */
            ix->info[rid] = I_PRESENT | (classes & I_CLASSES) | (uint64_t)o << I_OFFICE_SHIFT;
            return SW_OK;
        }
    }
    if (reserve(&ix->pending, &ix->cappending, ix->npending, 1, sizeof(uint32_t)) != SW_OK ||
        arena_put(ix, &k, &off) != SW_OK)
        return SW_ERR;
    if (present(ix, rid)) {
        ix->agarbage += entry_len(ix, ix->aoff[rid]);
        ix->stale++;
    } else {
        ix->count++;
    }
    ix->info[rid] = I_PRESENT | (classes & I_CLASSES) | (uint64_t)o << I_OFFICE_SHIFT;
    ix->aoff[rid] = off;
    ix->pending[ix->npending++] = rid;
    return SW_OK;
}

void sw_regidx_remove(struct sw_regidx *ix, uint32_t rid)
{
    if (!present(ix, rid))
        return;
    ix->agarbage += entry_len(ix, ix->aoff[rid]);
    ix->info[rid] = 0;
    ix->count--;
    ix->stale++;
}

size_t sw_regidx_count(const struct sw_regidx *ix)
{
    return ix->count;
}

size_t sw_regidx_postings(const struct sw_regidx *ix)
{
    return ix->nbpost + ix->ndp;
}

size_t sw_regidx_bytes(const struct sw_regidx *ix)
{
    return sizeof(*ix) + ix->caprid * (sizeof(*ix->info) + sizeof(*ix->aoff)) + ix->acap +
           (ix->nb ? (ix->nb + 1) * sizeof(*ix->boff) : 0) + ix->nbpost * 5 +
           ix->dsize * sizeof(*ix->ds) + ix->capdp * sizeof(*ix->dp) +
           ix->cappending * sizeof(*ix->pending) + ix->caphs * sizeof(*ix->hs) +
           ix->seensize * sizeof(*ix->seen) + ix->capcand * sizeof(*ix->cand) +
           ix->capfound * sizeof(*ix->found);
}

/* --- a mark's postings --- */

static int hash_key(void *ud, char tag, const char *key)
{
    struct sw_regidx *ix = ud;

    if (reserve(&ix->hs, &ix->caphs, ix->nhs, 1, sizeof(*ix->hs)) != SW_OK)
        return 1;
    ix->hs[ix->nhs++] = mix(sw_key_hash(tag, key, strlen(key)));
    return 0;
}

static int u64_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* The mixed hashes of every key rid is filed under, once each, into ix->hs. */
static int mark_hashes(struct sw_regidx *ix, uint32_t rid)
{
    struct sw_keyref k;
    size_t i, o = 0, j;

    ix->nhs = 0;
    keys_at(ix, ix->aoff[rid], &k);
    if (sw_mark_file_keys(&k, hash_key, ix) != 0)
        return SW_ERR;
    if (ix->nhs > DEDUP_SLOTS / 4) {   /* more keys than the set takes: sort them */
        qsort(ix->hs, ix->nhs, sizeof(*ix->hs), u64_order);
        for (i = 0; i < ix->nhs; i++)
            if (o == 0 || ix->hs[o - 1] != ix->hs[i])
                ix->hs[o++] = ix->hs[i];
        ix->nhs = o;
        return SW_OK;
    }
    /* A set stamped per mark, so it is never cleared: one probe per key instead of a sort
     * (the sort was a fifth of a build). */
    if (++ix->dedup_gen == 0) {
        memset(ix->dedup_stamp, 0, sizeof(ix->dedup_stamp));
        ix->dedup_gen = 1;
    }
    for (i = 0; i < ix->nhs; i++) {
        uint64_t h = ix->hs[i];

        for (j = (size_t)(h >> 40) & (DEDUP_SLOTS - 1); ix->dedup_stamp[j] == ix->dedup_gen;
             j = (j + 1) & (DEDUP_SLOTS - 1))
            if (ix->dedup_key[j] == h)
                break;
        if (ix->dedup_stamp[j] == ix->dedup_gen)
            continue;   /* seen: two deletions gave one string */
        ix->dedup_stamp[j] = ix->dedup_gen;
        ix->dedup_key[j] = h;
        ix->hs[o++] = h;
    }
    ix->nhs = o;
    return SW_OK;
}

static struct dslot *dslot_find(const struct sw_regidx *ix, uint64_t h)
{
    size_t mask = ix->dsize - 1, i;

    if (ix->dsize == 0)
        return NULL;
    for (i = (size_t)(h >> 7) & mask; ix->ds[i].h != 0; i = (i + 1) & mask)
        if (ix->ds[i].h == h)
            return &ix->ds[i];
    return NULL;
}

static int delta_grow(struct sw_regidx *ix)
{
    size_t size = ix->dsize ? ix->dsize * 2 : 4096, i, j;
    struct dslot *s = calloc(size, sizeof(*s));

    if (s == NULL)
        return SW_ERR;
    for (i = 0; i < ix->dsize; i++) {
        if (ix->ds[i].h == 0)
            continue;
        for (j = (size_t)(ix->ds[i].h >> 7) & (size - 1); s[j].h != 0; j = (j + 1) & (size - 1))
            ;
        s[j] = ix->ds[i];
    }
    free(ix->ds);
    ix->ds = s;
    ix->dsize = size;
    return SW_OK;
}

/* Files rid's keys in the delta table. */
static int delta_file(struct sw_regidx *ix, uint32_t rid)
{
    size_t i, j, mask;

    if (mark_hashes(ix, rid) != SW_OK ||
        reserve(&ix->dp, &ix->capdp, ix->ndp, ix->nhs, sizeof(*ix->dp)) != SW_OK)
        return SW_ERR;
    for (i = 0; i < ix->nhs; i++) {
        uint64_t h = ix->hs[i] ? ix->hs[i] : 1;

        if ((ix->dused + 1) * 10 > ix->dsize * 7 && delta_grow(ix) != SW_OK)
            return SW_ERR;
        mask = ix->dsize - 1;
        for (j = (size_t)(h >> 7) & mask; ix->ds[j].h != 0 && ix->ds[j].h != h; j = (j + 1) & mask)
            ;
        if (ix->ds[j].h == 0) {
            ix->ds[j].h = h;
            ix->dused++;
        }
        ix->dp[ix->ndp].rid = rid;
        ix->dp[ix->ndp].next = ix->ds[j].head;
        ix->ds[j].head = (uint32_t)++ix->ndp;
    }
    ix->delta_marks++;
    return SW_OK;
}

/* --- building --- */

/* Moves the present marks' entries into a new arena without the garbage. */
static int arena_compact(struct sw_regidx *ix)
{
    size_t cap = ix->alen - ix->agarbage + 1, o = 0, rid;
    char *a = malloc(cap);

    if (a == NULL)
        return SW_ERR;
    for (rid = 0; rid < ix->caprid; rid++) {
        size_t n;

        if (!present(ix, (uint32_t)rid))
            continue;
        n = entry_len(ix, ix->aoff[rid]);
        memcpy(a + o, ix->arena + ix->aoff[rid], n);
        ix->aoff[rid] = (uint32_t)o;
        o += n;
    }
    free(ix->arena);
    ix->arena = a;
    ix->alen = o;
    ix->acap = cap;
    ix->agarbage = 0;
    return SW_OK;
}

int sw_regidx_build(struct sw_regidx *ix)
{
    size_t sample = 0, keys = 0, nb = 1024, total = 0, rid, i;
    uint32_t *boff = NULL, *brid = NULL;
    uint8_t *bfp = NULL;

    /* Buckets for BUCKET_LOAD postings each, from the keys of a sample of the marks. */
    for (rid = 0; rid < ix->caprid && sample < 4096; rid++)
        if (present(ix, (uint32_t)rid)) {
            if (mark_hashes(ix, (uint32_t)rid) != SW_OK)
                return SW_ERR;
            keys += ix->nhs;
            sample++;
        }
    if (sample > 0)
        while (nb * BUCKET_LOAD < keys / sample * ix->count)
            nb *= 2;
    if ((boff = calloc(nb + 1, sizeof(*boff))) == NULL)
        return SW_ERR;
    for (rid = 0; rid < ix->caprid; rid++) {
        if (!present(ix, (uint32_t)rid))
            continue;
        if (mark_hashes(ix, (uint32_t)rid) != SW_OK)
            goto fail;
        for (i = 0; i < ix->nhs; i++)
            boff[ix->hs[i] & (nb - 1)]++;
        total += ix->nhs;
        if (total >= UINT32_MAX)
            goto fail;
    }
    for (i = 0, total = 0; i < nb; i++) {
        total += boff[i];
        boff[i] = (uint32_t)total;   /* the bucket's end; filling counts it down */
    }
    boff[nb] = (uint32_t)total;
    brid = malloc(total ? total * sizeof(*brid) : 1);
    bfp = malloc(total ? total : 1);
    if (brid == NULL || bfp == NULL)
        goto fail;
    for (rid = ix->caprid; rid-- > 0;) {   /* highest first: each bucket ends up ascending */
        if (!present(ix, (uint32_t)rid))
            continue;
        if (mark_hashes(ix, (uint32_t)rid) != SW_OK)
            goto fail;
        for (i = 0; i < ix->nhs; i++) {
            uint32_t p = --boff[ix->hs[i] & (nb - 1)];

            brid[p] = (uint32_t)rid;
            bfp[p] = (uint8_t)(ix->hs[i] >> 56);
        }
    }
    if (ix->agarbage > ix->alen / 4 && arena_compact(ix) != SW_OK)
        goto fail;
    free(ix->boff);
    free(ix->brid);
    free(ix->bfp);
    ix->boff = boff;
    ix->brid = brid;
    ix->bfp = bfp;
    ix->nb = nb;
    ix->nbpost = total;
    ix->base_marks = ix->count;
    free(ix->ds);
    free(ix->dp);
    ix->ds = NULL;
    ix->dp = NULL;
    ix->dsize = ix->dused = ix->ndp = ix->capdp = ix->delta_marks = 0;
    ix->npending = 0;
    ix->stale = 0;
    return SW_OK;
fail:
    free(boff);
    free(brid);
    free(bfp);
    return SW_ERR;
}

/* Files what was added since the last query: in the delta, or by a rebuild when the delta
 * or the stale postings have grown past their share. */
static int catch_up(struct sw_regidx *ix)
{
    size_t i, most = ix->base_marks / 8 > DELTA_MIN ? ix->base_marks / 8 : DELTA_MIN;

    if (ix->npending + ix->delta_marks > most || (ix->stale > STALE_MIN && ix->stale > ix->count / 4))
        return sw_regidx_build(ix);
    for (i = 0; i < ix->npending; i++)
        if (present(ix, ix->pending[i]) && delta_file(ix, ix->pending[i]) != SW_OK)
            return SW_ERR;
    ix->npending = 0;
    return SW_OK;
}

/* --- queries --- */

static void cand_add(struct sw_regidx *ix, uint32_t rid)
{
    size_t mask, i;

    if ((ix->nseen + 1) * 2 > ix->seensize) {
        size_t size = ix->seensize ? ix->seensize * 2 : 1024, j;
        uint32_t *s = calloc(size, sizeof(*s));

        if (s == NULL) {
            ix->oom = 1;
            return;
        }
        for (j = 0; j < ix->ncand; j++) {
            for (i = mix(ix->cand[j]) & (size - 1); s[i] != 0; i = (i + 1) & (size - 1))
                ;
            s[i] = ix->cand[j] + 1;
        }
        free(ix->seen);
        ix->seen = s;
        ix->seensize = size;
    }
    mask = ix->seensize - 1;
    for (i = mix(rid) & mask; ix->seen[i] != 0; i = (i + 1) & mask)
        if (ix->seen[i] == rid + 1)
            return;
    if (reserve(&ix->cand, &ix->capcand, ix->ncand, 1, sizeof(*ix->cand)) != SW_OK) {
        ix->oom = 1;
        return;
    }
    ix->seen[i] = rid + 1;
    ix->nseen++;
    ix->cand[ix->ncand++] = rid;
}

static int probe_key(void *ud, char tag, const char *key)
{
    struct sw_regidx *ix = ud;
    uint64_t h = mix(sw_key_hash(tag, key, strlen(key)));
    const struct dslot *sl;
    uint32_t p;

    if (ix->nb > 0) {
        size_t b = h & (ix->nb - 1);
        uint8_t fp = (uint8_t)(h >> 56);

        for (p = ix->boff[b]; p < ix->boff[b + 1]; p++)
            if (ix->bfp[p] == fp)
                cand_add(ix, ix->brid[p]);
    }
    if ((sl = dslot_find(ix, h ? h : 1)) != NULL)
        for (p = sl->head; p != 0; p = ix->dp[p - 1].next)
            cand_add(ix, ix->dp[p - 1].rid);
    return 0;
}

static const char *key_of(const char *why)
{
    if (strcmp(why, "identical") == 0)
        return "exact";
    if (strncmp(why, "look-alike", 10) == 0)
        return "visual";
    if (strcmp(why, "sound-alike") == 0)
        return "phonetic";
    if (strcmp(why, "same but for generic words") == 0)
        return "bare";
    return "deletion";
}

static int hit_order(const void *a, const void *b)
{
    const struct sw_regidx_hit *x = a, *y = b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->rid < y->rid ? -1 : x->rid > y->rid;
}

/* The trade name of a packed name key (its first field) as a mark's keys; 0 when the name
 * has none or it is the name's exact key. */
static int trade_keys(const struct sw_keys *name, struct sw_keys *out)
{
    char trade[SW_KEY_MAX];
    size_t l = strcspn(name->name, "\x1f");

    if (l == 0 || l >= sizeof(trade))
        return 0;
    memcpy(trade, name->name, l);
    trade[l] = '\0';
    return strcmp(trade, name->exact) != 0 && sw_normalise(trade, SW_NORM_MARK, out) == SW_OK;
}

static void keyref(const struct sw_keys *k, struct sw_keyref *r)
{
    r->exact = k->exact;
    r->visual = k->visual;
    r->phonetic = k->phonetic;
    r->bare = k->bare;
    r->name = NULL;
}

int sw_regidx_query(struct sw_regidx *ix, const char *text, enum sw_norm_kind kind,
                    uint64_t classes, uint64_t offices, double threshold,
                    struct sw_regidx_hit *hits, size_t max, size_t *nhits, size_t *total)
{
    struct sw_keys k[2];
    struct sw_keyref q[2];
    size_t nq = 1, i, j;

    *nhits = 0;
    if (total != NULL)
        *total = 0;
    if (text == NULL || sw_normalise(text, kind, &k[0]) != SW_OK)
        return SW_INVALID;
    if ((ix->npending > 0 || ix->stale > 0) && catch_up(ix) != SW_OK)
        return SW_ERR;
    keyref(&k[0], &q[0]);
    if (kind == SW_NORM_NAME && trade_keys(&k[0], &k[1]))
        keyref(&k[1], &q[nq++]);
    if (ix->seensize > 0)
        memset(ix->seen, 0, ix->seensize * sizeof(*ix->seen));
    ix->nseen = ix->ncand = ix->nfound = 0;
    ix->oom = 0;
    for (i = 0; i < nq; i++)
        sw_mark_probe_keys(&q[i], probe_key, ix);
    if (ix->oom)
        return SW_ERR;
    classes &= I_CLASSES;
    for (i = 0; i < ix->ncand; i++) {
        uint32_t rid = ix->cand[i];
        uint64_t info = ix->info[rid];
        struct sw_regidx_hit h;
        struct sw_keyref m;
        char why[sizeof(h.why)];

        /* The cheap filters first (present, classes, office), the score last. */
        if (!(info & I_PRESENT) ||
            (classes != 0 && (info & I_CLASSES) != 0 && (info & classes) == 0) ||
            (offices != 0 && !(offices >> (info >> I_OFFICE_SHIFT & 63) & 1)))
            continue;
        keys_at(ix, ix->aoff[rid], &m);
        h.score = -1;
        for (j = 0; j < nq; j++) {
            double s = sw_similarity_ref(&q[j], &m, why, sizeof(why));

            if (s > h.score) {
                h.score = s;
                memcpy(h.why, why, sizeof(why));
            }
        }
        if (h.score < threshold || h.score <= 0)
            continue;
        h.rid = rid;
        h.key = key_of(h.why);
        if (reserve(&ix->found, &ix->capfound, ix->nfound, 1, sizeof(*ix->found)) != SW_OK)
            return SW_ERR;
        ix->found[ix->nfound++] = h;
    }
    if (ix->nfound > 1)
        qsort(ix->found, ix->nfound, sizeof(*ix->found), hit_order);
    for (i = 0; i < ix->nfound && i < max; i++)
        hits[i] = ix->found[i];
    *nhits = i;
    if (total != NULL)
        *total = ix->nfound;
    return SW_OK;
}
