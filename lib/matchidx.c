/* matchidx.c — the portfolio index and the matching rules.
 *
 * An event costs the index its cache misses more than its instructions, and a matcher holds
 * every portfolio of its partition, so the layout is chosen for memory (docs: "bytes per term"):
 * - Mark and name keys (exact, look-alike, phonetic, bare, deletion neighbourhoods: nine in
 *   ten of them name a single entry) are 64-bit hashes in the key table: 4,096 regions of
 *   8-byte slots, each a 32-bit fingerprint and either the one entry filed there or where its
 *   posting list starts. The top 12 bits of a key's hash choose its region, the next 32 are
 *   its fingerprint, and the fingerprint alone gives its home in the region, in order
 *   (ordered linear probing): a region is sorted by fingerprint, a lookup stops at the first
 *   larger one, and the table grows by a quarter at a time, refilled in one pass from the
 *   fingerprints. Two keys are told apart by 44 bits of hash instead of 64 (see
 *   key_table_bits below for what that costs).
 * - Keywords, patents, shows and characters have a small table of their own (16-byte slots,
 *   the whole 64-bit hash), which stays in cache while a 1 KB text probes it with every word,
 *   pair and triple.
 * - A key's postings lie side by side (a vector per key, doubled when full), so walking a
 *   popular key reads consecutive memory. Each posting carries, beside the entry it names,
 *   the entry's Nice classes folded into 32 bits: a filing in class 9 skips the marks of
 *   other classes without touching them. A key of one entry has no posting: its slot names
 *   the entry, and the entry's classes are checked when it is read.
 * - An event's keys are hashed first and their slots prefetched together, then read.
 * - Entries are 32 bytes, in chunks of 65,536 (no copy, no half-empty array when they grow);
 *   their texts and keys lie in one arena, a key equal to another stored once; subscribers
 *   are 24 bytes and name their markets, as items their countries, by an interned set of
 *   country bits.
 * Removing an item takes its keys out; the entry stays, marked dead, and its strings become
 *   garbage in the arena, which is compacted when half of it is. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "seawall/buf.h"
#include "seawall/country.h"
#include "seawall/markkeys.h"
#include "seawall/matchidx.h"
#include "seawall/normalise.h"
#include "seawall/portfolio.h"

enum { K_MARK = 1, K_NAME, K_PATENT, K_KEYWORD, K_SHOW };

#define CLS_ANY 0xffffffffu             /* posting filter of an entry without classes */
#define NCODES (26 * 26)                /* two-letter country codes */
#define CSET_WORDS ((NCODES + 63) / 64)
#define GRAM_MAX SW_KEYWORD_WORDS_MAX   /* words in the longest keyword matched by words */

struct cset {
    uint64_t w[CSET_WORDS];
};

/* An entry: an item, or one alias of a name. Its strings lie in the arena from str on, each
 * NUL-terminated: the text, the exact key (unless I_EXACT_TEXT), the look-alike key (unless
 * I_VIS_EXACT), the phonetic key, the bare key (unless I_BARE_EXACT), the characters (a
 * keyword's folded characters, a name's packed parts, or ""). */
struct item {
    long long id;
    uint64_t classes;          /* Nice classes as bits 1..45; 0: any */
    uint32_t str;              /* where its strings start in the arena */
    uint32_t sref;             /* index into subs */
    uint16_t cset;             /* countries watched; 0: the subscriber's markets */
    uint8_t kind;
    uint8_t flags;
};

enum { I_DEAD = 1, I_EXACT_TEXT = 2, I_VIS_EXACT = 4, I_BARE_EXACT = 8 };
enum { S_TEXT, S_EXACT, S_VISUAL, S_PHON, S_BARE, S_CHARS, S_N };

#define ICHUNK_BITS 16
#define ICHUNK (1u << ICHUNK_BITS)     /* entries per chunk: 2 MB */

struct sub {
    long long id;
    double threshold;
    uint16_t cset;             /* markets; 0: none given */
};

/* The key table (marks and names). */
#define KREGION_BITS 12
#define KREGIONS (1u << KREGION_BITS)
#define KLIST 0x80000000u      /* in a slot's ref: the rest is where its list starts */
#define KLOAD_MAX 85           /* percent of the home positions used before it grows */

struct kslot {
    uint32_t fp;               /* 0: free */
    uint32_t ref;              /* the entry filed here, or KLIST | its list in lists */
};

struct ktab {
    struct kslot *s;           /* KREGIONS regions of span slots: homes home positions, room
                                  for the runs past the last one, and one slot never used */
    uint32_t homes, span;
    size_t used;
};

/* The small table (keywords, patents, shows, characters). */
struct slot {
    uint64_t h;                /* 0: free */
    uint32_t off;              /* first posting in the pool */
    uint32_t len : 26;         /* postings held */
    uint32_t lcap : 6;         /* room for 1 << (lcap - 1) postings; 0: none */
};

struct post {
    uint32_t item;             /* entry index */
    uint32_t cls;              /* the entry's classes folded mod 32; CLS_ANY without */
};

struct htab {
    struct slot *s;
    size_t size, used;         /* size a power of two */
};

struct imap {                  /* (sub, id) → its first entry */
    uint32_t fp;               /* high half of the pair's hash */
    uint32_t idx;              /* entry index + 1; 0: free */
};

struct sw_mindex {
    struct item **chunk;       /* entry i is chunk[i >> ICHUNK_BITS][i & (ICHUNK - 1)] */
    size_t nitems, capitems, nchunks, nlive;
    char *arena;               /* the entries' strings */
    size_t alen, acap, agarbage;
    struct ktab big;
    struct post *lists;        /* the key table's posting lists: a header {len, cap}, then
                                  cap postings */
    size_t nlists, caplists, lgarbage;   /* in postings */
    struct htab small;
    struct post *pool;         /* the small table's postings */
    size_t npool, cappool, garbage;
    size_t npost;              /* postings filed (a key of one entry counts one) */
    struct imap *imap;
    size_t imsize, imused;
    struct sub *subs;          /* in order of arrival */
    size_t nsubs, capsubs;
    uint32_t *smap;            /* subscriber id → subs index + 1, open addressing */
    size_t smsize;
    struct cset *csets;        /* [0] is the empty set */
    size_t ncsets, capcsets;
    uint16_t *cmap;            /* set contents → csets index, open addressing */
    size_t cmsize;
    struct cset eu;            /* the whole EU: member states, EM and EU (eu_wide) */
    unsigned gram_sizes;       /* bit n: some keyword has n words */
    int chars_one;             /* some character keyword is a single character */
};

static uint64_t fnv_n(char tag, const char *s, size_t n)
{
    return sw_key_hash(tag, s, n);
}

static uint64_t fnv(char tag, const char *s)
{
    return fnv_n(tag, s, strlen(s));
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x ? x : 1;
}

/* Asks for transparent huge pages over the 2 MB-aligned part of a large array: the tables
 * and the lists are read at random, and 4 KB pages made most probes a TLB miss as well. */
static void huge_pages(void *p, size_t bytes)
{
    uintptr_t a = ((uintptr_t)p + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);
    uintptr_t b = ((uintptr_t)p + bytes) & ~(uintptr_t)((2u << 20) - 1);

#ifdef MADV_HUGEPAGE
    if (b > a)
        madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)a;
    (void)b;
#endif
}

static int htab_init(struct htab *t, size_t size)
{
    t->s = calloc(size, sizeof(*t->s));
    t->size = size;
    t->used = 0;
    if (t->s != NULL)
        huge_pages(t->s, size * sizeof(*t->s));
    return t->s != NULL ? SW_OK : SW_ERR;
}

/* Room past a region's last home position for the run that reaches beyond it. */
static uint32_t kpad(uint32_t homes)
{
    return 8 + homes / 32;
}

static int ktab_init(struct ktab *t, uint32_t homes)
{
    t->homes = homes;
    t->span = homes + kpad(homes) + 1;
    t->used = 0;
    t->s = calloc((size_t)KREGIONS * t->span, sizeof(*t->s));
    if (t->s != NULL)
        huge_pages(t->s, (size_t)KREGIONS * t->span * sizeof(*t->s));
    return t->s != NULL ? SW_OK : SW_ERR;
}

static void eu_wide(struct cset *s);

struct sw_mindex *sw_mindex_new(void)
{
    struct sw_mindex *ix = calloc(1, sizeof(*ix));

    if (ix == NULL)
        return NULL;
    ix->imsize = 1 << 12;
    ix->imap = calloc(ix->imsize, sizeof(*ix->imap));
    ix->smsize = 1 << 10;
    ix->smap = calloc(ix->smsize, sizeof(*ix->smap));
    ix->cmsize = 1 << 6;
    ix->cmap = calloc(ix->cmsize, sizeof(*ix->cmap));
    ix->capcsets = 16;
    ix->csets = calloc(ix->capcsets, sizeof(*ix->csets));
    ix->ncsets = 1;
    eu_wide(&ix->eu);
    if (ktab_init(&ix->big, 8) != SW_OK || htab_init(&ix->small, 1 << 12) != SW_OK ||
        ix->imap == NULL || ix->smap == NULL || ix->cmap == NULL || ix->csets == NULL) {
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
    for (i = 0; i < ix->nchunks; i++)
        free(ix->chunk[i]);
    free(ix->chunk);
    free(ix->arena);
    free(ix->big.s);
    free(ix->lists);
    free(ix->small.s);
    free(ix->pool);
    free(ix->imap);
    free(ix->subs);
    free(ix->smap);
    free(ix->csets);
    free(ix->cmap);
    free(ix);
}

/* --- country sets --- */

static int code_bit(const char *c)
{
    if (c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || c[2] != '\0')
        return -1;
    return (c[0] - 'A') * 26 + (c[1] - 'A');
}

static int cset_has(const struct cset *s, int bit)
{
    return bit >= 0 && (s->w[bit / 64] >> (bit % 64) & 1) != 0;
}

static uint64_t cset_hash(const struct cset *s)
{
    uint64_t h = 0;
    int i;

    for (i = 0; i < CSET_WORDS; i++)
        h = mix(h ^ s->w[i]);
    return h;
}

/* The index of set s among the interned sets (0 for the empty set), adding it when new;
 * -1 when out of memory or after 65,535 different sets. */
static int cset_intern(struct sw_mindex *ix, const struct cset *s)
{
    static const struct cset none;
    size_t mask, i;

    if (memcmp(s, &none, sizeof(none)) == 0)
        return 0;
    if ((ix->ncsets + 1) * 2 > ix->cmsize) {
        uint16_t *m = calloc(ix->cmsize * 2, sizeof(*m));
        size_t k;

        if (m == NULL)
            return -1;
        free(ix->cmap);
        ix->cmap = m;
        ix->cmsize *= 2;
        for (k = 1; k < ix->ncsets; k++) {
            for (i = cset_hash(&ix->csets[k]) & (ix->cmsize - 1); ix->cmap[i] != 0;
                 i = (i + 1) & (ix->cmsize - 1))
                ;
            ix->cmap[i] = (uint16_t)k;
        }
    }
    mask = ix->cmsize - 1;
    for (i = cset_hash(s) & mask; ix->cmap[i] != 0; i = (i + 1) & mask)
        if (memcmp(&ix->csets[ix->cmap[i]], s, sizeof(*s)) == 0)
            return ix->cmap[i];
    if (ix->ncsets == 65535)
        return -1;
    if (ix->ncsets == ix->capcsets) {
        struct cset *a = realloc(ix->csets, ix->capcsets * 2 * sizeof(*a));

        if (a == NULL)
            return -1;
        ix->csets = a;
        ix->capcsets *= 2;
    }
    ix->csets[ix->ncsets] = *s;
    ix->cmap[i] = (uint16_t)ix->ncsets;
    return (int)ix->ncsets++;
}

static void cset_add(struct cset *s, int bit)
{
    if (bit >= 0)
        s->w[bit / 64] |= 1ULL << (bit % 64);
}

/* The whole EU: every member state, EM (the EU trade mark) and EU (the market). */
static void eu_wide(struct cset *s)
{
    const char *const *m;

    memset(s, 0, sizeof(*s));
    for (m = sw_eu_members; *m != NULL; m++)
        cset_add(s, code_bit(*m));
    cset_add(s, code_bit("EM"));
    cset_add(s, code_bit("EU"));
}

static int cset_meets(const struct cset *a, const struct cset *b)
{
    int i;

    for (i = 0; i < CSET_WORDS; i++)
        if ((a->w[i] & b->w[i]) != 0)
            return 1;
    return 0;
}

/* The set of the two-letter codes in arr (others are ignored), interned. EM or EU in it
 * stands for the whole Union, so the set holds every member state then as well: a DE event
 * meets an item watched in EM and a subscriber whose market is EU. */
static int cset_of(struct sw_mindex *ix, const json_t *arr)
{
    struct cset s;
    size_t i;
    json_t *v;

    memset(&s, 0, sizeof(s));
    json_array_foreach(arr, i, v) {
        const char *c = json_string_value(v);

        if (c == NULL)
            continue;
        if (sw_country_eu_wide(c)) {
            int k;

            for (k = 0; k < CSET_WORDS; k++)
                s.w[k] |= ix->eu.w[k];
        } else {
            cset_add(&s, code_bit(c));
        }
    }
    return cset_intern(ix, &s);
}

/* --- subscribers --- */

/* The index of subscriber id in subs, adding it (with the default threshold, no markets)
 * when create is set; -1 when absent or out of memory. */
static long sub_ref(struct sw_mindex *ix, long long id, int create)
{
    size_t mask = ix->smsize - 1, i;

    for (i = (size_t)mix((uint64_t)id) & mask; ix->smap[i] != 0; i = (i + 1) & mask)
        if (ix->subs[ix->smap[i] - 1].id == id)
            return (long)ix->smap[i] - 1;
    if (!create)
        return -1;
    if (ix->nsubs == ix->capsubs) {
        size_t cap = ix->capsubs ? ix->capsubs * 2 : 1024;
        struct sub *a = realloc(ix->subs, cap * sizeof(*a));

        if (a == NULL)
            return -1;
        ix->subs = a;
        ix->capsubs = cap;
    }
    if ((ix->nsubs + 1) * 2 > ix->smsize) {
        uint32_t *m = calloc(ix->smsize * 2, sizeof(*m));
        size_t k;

        if (m == NULL)
            return -1;
        free(ix->smap);
        ix->smap = m;
        ix->smsize *= 2;
        mask = ix->smsize - 1;
        for (k = 0; k < ix->nsubs; k++) {
            for (i = (size_t)mix((uint64_t)ix->subs[k].id) & mask; ix->smap[i] != 0;
                 i = (i + 1) & mask)
                ;
            ix->smap[i] = (uint32_t)k + 1;
        }
        for (i = (size_t)mix((uint64_t)id) & mask; ix->smap[i] != 0; i = (i + 1) & mask)
            ;
    }
    ix->subs[ix->nsubs].id = id;
    ix->subs[ix->nsubs].threshold = SW_MATCH_THRESHOLD;
    ix->subs[ix->nsubs].cset = 0;
    ix->smap[i] = (uint32_t)++ix->nsubs;
    return (long)ix->nsubs - 1;
}

int sw_mindex_subscriber(struct sw_mindex *ix, long long sub, const json_t *profile)
{
    long s = sub_ref(ix, sub, 1);
    int cs = cset_of(ix, json_object_get(profile, "markets"));
    json_t *t;

    if (s < 0 || cs < 0)
        return SW_ERR;
    ix->subs[s].cset = (uint16_t)cs;
    t = json_object_get(profile, "alert_threshold");
    ix->subs[s].threshold = json_is_number(t) ? json_number_value(t) : SW_MATCH_THRESHOLD;
    return SW_OK;
}


/* --- entries and their strings --- */

static struct item *item_at(const struct sw_mindex *ix, size_t idx)
{
    return &ix->chunk[idx >> ICHUNK_BITS][idx & (ICHUNK - 1)];
}

/* Room for one more entry: the first chunk grows by doubling up to ICHUNK entries, then
 * whole chunks are added. */
static int item_room(struct sw_mindex *ix)
{
    if (ix->nitems < ix->capitems)
        return SW_OK;
    if (ix->nitems >= UINT32_MAX / 2)
        return SW_ERR;   /* entry indexes are 31 bits in the key table */
    if (ix->nchunks == 1 && ix->capitems < ICHUNK) {
        size_t cap = ix->capitems * 2;
        struct item *c = realloc(ix->chunk[0], cap * sizeof(*c));

        if (c == NULL)
            return SW_ERR;
        ix->chunk[0] = c;
        ix->capitems = cap;
        return SW_OK;
    } else {
        struct item **a = realloc(ix->chunk, (ix->nchunks + 1) * sizeof(*a));
        size_t cap = ix->nchunks == 0 ? 1024 : ICHUNK;

        if (a == NULL)
            return SW_ERR;
        ix->chunk = a;
        if ((a[ix->nchunks] = malloc(cap * sizeof(struct item))) == NULL)
            return SW_ERR;
        if (cap == ICHUNK)
            huge_pages(a[ix->nchunks], cap * sizeof(struct item));
        ix->nchunks++;
        ix->capitems += cap;
        return SW_OK;
    }
}

/* The entry's strings (S_TEXT … S_CHARS), pointing into the arena: valid until the next
 * change to the index. Returns the bytes they take there. */
static size_t item_strs(const struct sw_mindex *ix, const struct item *it, const char *s[S_N])
{
    const char *p = ix->arena + it->str;

    s[S_TEXT] = p;
    p += strlen(p) + 1;
    if (it->flags & I_EXACT_TEXT) {
        s[S_EXACT] = s[S_TEXT];
    } else {
        s[S_EXACT] = p;
        p += strlen(p) + 1;
    }
    if (it->flags & I_VIS_EXACT) {
        s[S_VISUAL] = s[S_EXACT];
    } else {
        s[S_VISUAL] = p;
        p += strlen(p) + 1;
    }
    s[S_PHON] = p;
    p += strlen(p) + 1;
    if (it->flags & I_BARE_EXACT) {
        s[S_BARE] = s[S_EXACT];
    } else {
        s[S_BARE] = p;
        p += strlen(p) + 1;
    }
    s[S_CHARS] = p;
    p += strlen(p) + 1;
    return (size_t)(p - (ix->arena + it->str));
}

static const char *item_text(const struct sw_mindex *ix, const struct item *it)
{
    return ix->arena + it->str;
}

/* Moves the live entries' strings together (in place: they lie in the order of the entries,
 * so each moves only towards the start). */
static void arena_compact(struct sw_mindex *ix)
{
    size_t i, to = 0;

    for (i = 0; i < ix->nitems; i++) {
        struct item *it = item_at(ix, i);
        const char *s[S_N];
        size_t n;

        if (it->flags & I_DEAD)
            continue;
        n = item_strs(ix, it, s);
        memmove(ix->arena + to, ix->arena + it->str, n);
        it->str = (uint32_t)to;
        to += n;
    }
    ix->alen = to;
    ix->agarbage = 0;
}

/* Room for n more bytes in the arena (compacting it first when half of it is garbage);
 * returns where they start, or -1. */
static long arena_take(struct sw_mindex *ix, size_t n)
{
    if (ix->agarbage > (1u << 20) && ix->agarbage > ix->alen / 2)
        arena_compact(ix);
    if (ix->alen + n > ix->acap) {
        size_t cap = ix->acap ? ix->acap + ix->acap / 2 : 1 << 16;
        char *a;

        while (ix->alen + n > cap)
            cap += cap / 2;
        if (cap > UINT32_MAX)
            cap = UINT32_MAX;
        if (ix->alen + n > cap || (a = realloc(ix->arena, cap)) == NULL)
            return -1;
        ix->arena = a;
        ix->acap = cap;
    }
    ix->alen += n;
    return (long)(ix->alen - n);
}

/* --- the key table --- */

/* Where hash h's region starts and its fingerprint. */
static size_t kregion(const struct ktab *t, uint64_t h, uint32_t *fp)
{
    uint64_t m = mix(h);

    *fp = (uint32_t)(m >> (32 - KREGION_BITS));
    if (*fp == 0)
        *fp = 1;
    return (size_t)(m >> (64 - KREGION_BITS)) * t->span;
}

/* The home of fingerprint fp in a region of homes positions: in the order of fp. */
static size_t khome(uint32_t fp, uint32_t homes)
{
    return (size_t)(((uint64_t)fp * homes) >> 32);
}

/* The slot of fingerprint fp in the region at base, or the free or larger one where it
 * would go. */
static size_t kseek(const struct ktab *t, size_t base, uint32_t fp)
{
    size_t i = base + khome(fp, t->homes);

    while (t->s[i].fp != 0 && t->s[i].fp < fp)
        i++;
    return i;
}

static struct kslot *kfind(const struct ktab *t, uint64_t h)
{
    uint32_t fp;
    size_t base = kregion(t, h, &fp), i = kseek(t, base, fp);

    return t->s[i].fp == fp ? &t->s[i] : NULL;
}

static void kprefetch(const struct ktab *t, uint64_t h)
{
    uint32_t fp;
    size_t base = kregion(t, h, &fp);

    __builtin_prefetch(&t->s[base + khome(fp, t->homes)]);
}

/* Refills the table with homes positions per region, region by region in one pass: each
 * region is in fingerprint order, so each slot goes to its home or just past the one before.
 * Grows further when a region's run would reach its last slot. */
static int ktab_resize(struct ktab *t, uint32_t homes)
{
    for (;;) {
        struct ktab n;
        size_t r, k;
        int ok = 1;

        if (ktab_init(&n, homes) != SW_OK)
            return SW_ERR;
        for (r = 0; r < KREGIONS && ok; r++) {
            size_t base = r * n.span, next = base, end = base + n.span - 1;

            for (k = r * t->span; k < (r + 1) * t->span; k++) {
                size_t pos;

                if (t->s[k].fp == 0)
                    continue;
                pos = base + khome(t->s[k].fp, homes);
                if (pos < next)
                    pos = next;
                if (pos >= end) {
                    ok = 0;
                    break;
                }
                n.s[pos] = t->s[k];
                next = pos + 1;
            }
        }
        if (ok) {
            n.used = t->used;
            free(t->s);
            *t = n;
            return SW_OK;
        }
        free(n.s);
        homes += homes / 4 + 8;
    }
}

static uint32_t kgrown(uint32_t homes)
{
    return homes + homes / 4 + 8;
}

/* The slot of hash h, made (naming entry item) when absent; *made says which. NULL when
 * out of memory. */
static struct kslot *kput(struct ktab *t, uint64_t h, uint32_t item, int *made)
{
    *made = 0;
    if ((t->used + 1) * 100 > (size_t)KREGIONS * t->homes * KLOAD_MAX &&
        ktab_resize(t, kgrown(t->homes)) != SW_OK)
        return NULL;
    for (;;) {
        uint32_t fp;
        size_t base = kregion(t, h, &fp), i = kseek(t, base, fp), j;

        if (t->s[i].fp == fp)
            return &t->s[i];
        for (j = i; t->s[j].fp != 0; j++)
            ;
        if (j == base + t->span - 1) {   /* the region's last slot stays free */
            if (ktab_resize(t, kgrown(t->homes)) != SW_OK)
                return NULL;
            continue;
        }
        memmove(&t->s[i + 1], &t->s[i], (j - i) * sizeof(*t->s));
        t->s[i].fp = fp;
        t->s[i].ref = item;
        t->used++;
        *made = 1;
        return &t->s[i];
    }
}

/* Takes slot sl out: the slots after it that are past their home move back one. */
static void kdel(struct ktab *t, struct kslot *sl)
{
    size_t i = (size_t)(sl - t->s), base = i / t->span * t->span;

    for (; t->s[i + 1].fp != 0 && base + khome(t->s[i + 1].fp, t->homes) <= i; i++)
        t->s[i] = t->s[i + 1];
    t->s[i].fp = 0;
    t->s[i].ref = 0;
    t->used--;
}

/* --- posting lists of the key table --- */

/* Moves every list into a new array without the holes that growing left. */
static int lists_compact(struct sw_mindex *ix, size_t room)
{
    size_t cap = ix->nlists - ix->lgarbage + room, used = 0, i;
    struct post *np;

    cap += cap / 2;
    if ((np = malloc(cap * sizeof(*np))) == NULL)
        return SW_ERR;
    huge_pages(np, cap * sizeof(*np));
    for (i = 0; i < (size_t)KREGIONS * ix->big.span; i++) {
        struct kslot *sl = &ix->big.s[i];
        size_t off, n;

        if (sl->fp == 0 || !(sl->ref & KLIST))
            continue;
        off = sl->ref & ~KLIST;
        n = (size_t)ix->lists[off].cls + 1;
        memcpy(np + used, ix->lists + off, n * sizeof(*np));
        sl->ref = KLIST | (uint32_t)used;
        used += n;
    }
    free(ix->lists);
    ix->lists = np;
    ix->nlists = used;
    ix->caplists = cap;
    ix->lgarbage = 0;
    return SW_OK;
}

/* Room for a list of cap postings; returns where it starts, or -1. May move every list. */
static long list_take(struct sw_mindex *ix, size_t cap)
{
    size_t n = cap + 1;

    if (ix->nlists + n > ix->caplists) {
        if (ix->lgarbage > 4096 && ix->lgarbage > ix->nlists / 3) {
            if (lists_compact(ix, n) != SW_OK)
                return -1;
        } else {
            size_t c = ix->caplists ? ix->caplists + ix->caplists / 2 : 1 << 12;
            struct post *np;

            while (ix->nlists + n > c)
                c += c / 2;
            if (c > KLIST || (np = realloc(ix->lists, c * sizeof(*np))) == NULL)
                return -1;
            huge_pages(np, c * sizeof(*np));
            ix->lists = np;
            ix->caplists = c;
        }
    }
    ix->nlists += n;
    return (long)(ix->nlists - n);
}

static uint32_t fold_classes(uint64_t classes)
{
    uint32_t f = 0;
    int c;

    if (classes == 0)
        return CLS_ANY;
    for (c = 1; c <= 45; c++)
        if (classes >> c & 1)
            f |= 1u << (c % 32);
    return f;
}

/* The posting filter of an entry: its classes folded (marks), CLS_ANY (everything else). */
static uint32_t item_cls(const struct item *it)
{
    return it->kind == K_MARK ? fold_classes(it->classes) : CLS_ANY;
}

/* Files entry item under hash h in the key table; a key the entry already has (two
 * deletions giving one string) is not filed twice. */
static int kfile(struct sw_mindex *ix, uint64_t h, uint32_t item, uint32_t cls)
{
    struct kslot *sl;
    uint32_t off, len, cap;
    int made;
    long o;

    if ((sl = kput(&ix->big, h, item, &made)) == NULL)
        return SW_ERR;
    if (made) {
        ix->npost++;
        return SW_OK;
    }
    if (!(sl->ref & KLIST)) {
        uint32_t other = sl->ref;

        if (other == item)
            return SW_OK;
        if ((o = list_take(ix, 2)) < 0)
            return SW_ERR;
        ix->lists[o].item = 2;
        ix->lists[o].cls = 2;
        ix->lists[o + 1].item = other;
        ix->lists[o + 1].cls = item_cls(item_at(ix, other));
        ix->lists[o + 2].item = item;
        ix->lists[o + 2].cls = cls;
        sl->ref = KLIST | (uint32_t)o;
        ix->npost++;
        return SW_OK;
    }
    off = sl->ref & ~KLIST;
    len = ix->lists[off].item;
    cap = ix->lists[off].cls;
    if (ix->lists[off + len].item == item)
        return SW_OK;
    if (len == cap) {
        if ((o = list_take(ix, (size_t)cap * 2)) < 0)   /* may move the lists */
            return SW_ERR;
        off = sl->ref & ~KLIST;
        memcpy(ix->lists + o, ix->lists + off, ((size_t)len + 1) * sizeof(*ix->lists));
        ix->lgarbage += (size_t)cap + 1;
        off = (uint32_t)o;
        ix->lists[off].cls = cap * 2;
        sl->ref = KLIST | off;
    }
    ix->lists[off + len + 1].item = item;
    ix->lists[off + len + 1].cls = cls;
    ix->lists[off].item = len + 1;
    ix->npost++;
    return SW_OK;
}

/* Takes entry item out of hash h's key. A list left with one entry becomes a slot naming
 * it; a key left with none is taken out. */
static void kunfile(struct sw_mindex *ix, uint64_t h, uint32_t item)
{
    struct kslot *sl = kfind(&ix->big, h);
    uint32_t off, len, i, o = 0;
    struct post *p;

    if (sl == NULL)
        return;
    if (!(sl->ref & KLIST)) {
        if (sl->ref == item) {
            kdel(&ix->big, sl);
            ix->npost--;
        }
        return;
    }
    off = sl->ref & ~KLIST;
    p = ix->lists + off + 1;
    len = ix->lists[off].item;
    for (i = 0; i < len; i++)
        if (p[i].item != item)
            p[o++] = p[i];
    ix->npost -= len - o;
    if (o == 1) {
        sl->ref = p[0].item;
        ix->lgarbage += (size_t)ix->lists[off].cls + 1;
    } else {
        ix->lists[off].item = o;
    }
}

/* --- the small table --- */

static uint32_t slot_cap(const struct slot *sl)
{
    return sl->lcap ? 1u << (sl->lcap - 1) : 0;
}

/* Moves every slot's postings into a new pool without the holes that growing left. */
static int pool_compact(struct sw_mindex *ix)
{
    struct post *np = malloc(ix->cappool * sizeof(*np));
    size_t used = 0, i;

    if (np == NULL)
        return SW_ERR;
    for (i = 0; i < ix->small.size; i++) {
        struct slot *sl = &ix->small.s[i];

        if (sl->h == 0 || sl->lcap == 0)
            continue;
        memcpy(np + used, ix->pool + sl->off, sl->len * sizeof(*np));
        sl->off = (uint32_t)used;
        used += slot_cap(sl);
    }
    free(ix->pool);
    ix->pool = np;
    ix->npool = used;
    ix->garbage = 0;
    return SW_OK;
}

/* Room for n postings at the end of the pool; returns its offset, or -1. */
static long pool_take(struct sw_mindex *ix, size_t n)
{
    if (ix->garbage > (1u << 16) && ix->garbage > ix->npool / 2 && pool_compact(ix) != SW_OK)
        return -1;
    if (ix->npool + n > ix->cappool) {
        size_t cap = ix->cappool ? ix->cappool : 1 << 12;
        struct post *np;

        while (ix->npool + n > cap)
            cap *= 2;
        if (cap > UINT32_MAX)
            return -1;
        np = realloc(ix->pool, cap * sizeof(*np));
        if (np == NULL)
            return -1;
        ix->pool = np;
        ix->cappool = cap;
    }
    ix->npool += n;
    return (long)(ix->npool - n);
}

static int htab_grow(struct htab *t)
{
    struct htab n;
    size_t k, i;

    if (htab_init(&n, t->size * 2) != SW_OK)
        return SW_ERR;
    for (k = 0; k < t->size; k++) {
        if (t->s[k].h == 0)
            continue;
        for (i = (size_t)mix(t->s[k].h) & (n.size - 1); n.s[i].h != 0; i = (i + 1) & (n.size - 1))
            ;
        n.s[i] = t->s[k];
    }
    n.used = t->used;
    free(t->s);
    *t = n;
    return SW_OK;
}

static struct slot *slot_find(const struct htab *t, uint64_t h)
{
    size_t mask = t->size - 1, i;

    for (i = (size_t)mix(h) & mask; t->s[i].h != 0; i = (i + 1) & mask)
        if (t->s[i].h == h)
            return &t->s[i];
    return NULL;
}

/* Files entry item under hash h in the small table, once. */
static int sfile(struct sw_mindex *ix, uint64_t h, uint32_t item, uint32_t cls)
{
    struct htab *t = &ix->small;
    size_t mask, i;
    struct slot *sl;

    if ((t->used + 1) * 10 > t->size * 7 && htab_grow(t) != SW_OK)
        return SW_ERR;
    mask = t->size - 1;
    for (i = (size_t)mix(h) & mask; t->s[i].h != 0 && t->s[i].h != h; i = (i + 1) & mask)
        ;
    sl = &t->s[i];
    if (sl->h == 0) {
        sl->h = h;
        t->used++;
    }
    if (sl->len > 0 && ix->pool[sl->off + sl->len - 1].item == item)
        return SW_OK;
    if (sl->len == slot_cap(sl)) {
        uint32_t cap = sl->len ? sl->len * 2 : 1;
        long off;

        if (sl->lcap >= 26)
            return SW_ERR;
        off = pool_take(ix, cap);   /* may compact the pool: read sl->off after it */
        if (off < 0)
            return SW_ERR;
        if (sl->len > 0)
            memcpy(ix->pool + off, ix->pool + sl->off, sl->len * sizeof(*ix->pool));
        ix->garbage += slot_cap(sl);
        sl->off = (uint32_t)off;
        sl->lcap++;
    }
    ix->pool[sl->off + sl->len].item = item;
    ix->pool[sl->off + sl->len].cls = cls;
    sl->len++;
    ix->npost++;
    return SW_OK;
}

static void sunfile(struct sw_mindex *ix, uint64_t h, uint32_t item)
{
    struct slot *sl = slot_find(&ix->small, h);
    uint32_t i, o = 0;

    if (sl == NULL)
        return;
    for (i = 0; i < sl->len; i++)
        if (ix->pool[sl->off + i].item != item)
            ix->pool[sl->off + o++] = ix->pool[sl->off + i];
    ix->npost -= sl->len - o;
    sl->len = o;
}

/* --- filing --- */

enum { T_BIG, T_SMALL };

typedef int (*key_fn)(struct sw_mindex *, int, char, const char *, uint32_t, uint32_t);

/* Files entry item (whose classes fold to cls) under (tag, key) in table tab; an empty key
 * files nothing. */
static int file_under(struct sw_mindex *ix, int tab, char tag, const char *key, uint32_t item,
                      uint32_t cls)
{
    if (key[0] == '\0')
        return SW_OK;
    return tab == T_BIG ? kfile(ix, fnv(tag, key), item, cls)
                        : sfile(ix, fnv(tag, key), item, cls);
}

/* Takes entry item's postings out of (tag, key). */
static int unfile(struct sw_mindex *ix, int tab, char tag, const char *key, uint32_t item,
                  uint32_t cls)
{
    (void)cls;
    if (key[0] == '\0')
        return SW_OK;
    if (tab == T_BIG)
        kunfile(ix, fnv(tag, key), item);
    else
        sunfile(ix, fnv(tag, key), item);
    return SW_OK;
}

/* What sw_mark_file_keys calls back with: the entry and what to do with each key. */
struct filing {
    struct sw_mindex *ix;
    uint32_t idx, cls;
    key_fn fn;
};

static int file_key(void *ud, char tag, const char *key)
{
    struct filing *f = ud;

    return f->fn(f->ix, T_BIG, tag, key, f->idx, f->cls);
}

/* Bytes of the UTF-8 character at p (not at the end). */
static size_t char_len(const char *p)
{
    size_t n = 1;

    while (((unsigned char)p[n] & 0xC0) == 0x80)
        n++;
    return n;
}

/* Bytes of what a character keyword is filed under and a text probed with: the first two
 * characters at p, or the one there is. */
static size_t key_chars_len(const char *p)
{
    size_t n = char_len(p);

    return p[n] != '\0' ? n + char_len(p + n) : n;
}

/* The trade name of a name's packed key (its first field) into out; 0 when it has none. */
static int trade_of(const char *name, char *out, size_t n)
{
    size_t l = strcspn(name, "\x1f");

    if (l == 0 || l >= n)
        return 0;
    memcpy(out, name, l);
    out[l] = '\0';
    return 1;
}

/* Calls fn for every key entry idx is filed under: the one place that says which keys each
 * kind of entry has, for filing and for taking out alike. */
static int each_key(struct sw_mindex *ix, uint32_t idx, key_fn fn)
{
    const struct item *it = item_at(ix, idx);
    const char *s[S_N];
    uint32_t cls = item_cls(it);
    int rc = SW_OK;

    item_strs(ix, it, s);
    switch (it->kind) {
    case K_MARK: {
        struct sw_keyref ref = { s[S_EXACT], s[S_VISUAL], s[S_PHON], s[S_BARE], NULL };
        struct filing f = { ix, idx, cls, fn };

        rc |= sw_mark_file_keys(&ref, file_key, &f);
        break;
    }
    case K_NAME: {
        char trade[SW_KEY_MAX];

        rc |= fn(ix, T_BIG, 'N', s[S_EXACT], idx, CLS_ANY);
        rc |= fn(ix, T_BIG, 'W', s[S_VISUAL], idx, CLS_ANY);
        /* and its trade name, where 万年青水泥 and "Wannianqing Cement" meet (a name that is
         * all trade name is found under 'N' already) */
        if (trade_of(s[S_CHARS], trade, sizeof(trade)) && strcmp(trade, s[S_EXACT]) != 0)
            rc |= fn(ix, T_BIG, 'R', trade, idx, CLS_ANY);
        break;
    }
    case K_PATENT:
        rc |= fn(ix, T_SMALL, 'T', s[S_EXACT], idx, CLS_ANY);
        break;
    case K_KEYWORD:
        if (s[S_CHARS][0] != '\0') {
            /* Filed under its first two characters (one, when it has one); the match checks
             * the rest. */
            size_t n = key_chars_len(s[S_CHARS]);
            char key[16];

            if (n >= sizeof(key))
                n = sizeof(key) - 1;
            memcpy(key, s[S_CHARS], n);
            key[n] = '\0';
            rc |= fn(ix, T_SMALL, 'C', key, idx, CLS_ANY);
        } else {
            rc |= fn(ix, T_SMALL, 'K', s[S_EXACT], idx, CLS_ANY);
        }
        break;
    case K_SHOW:
        rc |= fn(ix, T_SMALL, 'S', s[S_EXACT], idx, CLS_ANY);
        break;
    }
    return rc ? SW_ERR : SW_OK;
}

/* --- items --- */

static uint64_t pair_hash(long long sub, long long id)
{
    return mix(((uint64_t)sub << 32) ^ (uint64_t)id ^ ((uint64_t)sub >> 32));
}

/* Whether entry idx is the first of (sub, id). */
static int imap_is(const struct sw_mindex *ix, uint32_t idx, long long sub, long long id)
{
    const struct item *it = item_at(ix, idx);

    return it->id == id && ix->subs[it->sref].id == sub;
}

/* The map's slot of (sub, id) (its idx is the first entry + 1), made when create is set;
 * NULL when absent or out of memory. The home is the fingerprint's place in the table, so
 * the table grows without the pairs' hashes. */
static uint32_t *imap_slot(struct sw_mindex *ix, long long sub, long long id, int create)
{
    uint32_t fp = (uint32_t)(pair_hash(sub, id) >> 32);
    size_t mask, i;

    if (create && (ix->imused + 1) * 4 > ix->imsize * 3) {
        struct imap *old = ix->imap;
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
            for (i = khome(old[k].fp, (uint32_t)ix->imsize); ix->imap[i].idx != 0;
                 i = (i + 1) & (ix->imsize - 1))
                ;
            ix->imap[i] = old[k];
        }
        free(old);
    }
    mask = ix->imsize - 1;
    for (i = khome(fp, (uint32_t)ix->imsize);; i = (i + 1) & mask) {
        if (ix->imap[i].idx == 0) {
            if (!create)
                return NULL;
            ix->imap[i].fp = fp;
            ix->imused++;
            return &ix->imap[i].idx;
        }
        if (ix->imap[i].fp == fp && imap_is(ix, ix->imap[i].idx - 1, sub, id))
            return &ix->imap[i].idx;
    }
}

void sw_mindex_del(struct sw_mindex *ix, long long sub, long long id)
{
    uint32_t *slot = imap_slot(ix, sub, id, 0);
    size_t i;

    if (slot == NULL || *slot == 0)
        return;
    /* The item and its aliases, filed one after the other. */
    for (i = *slot - 1; i < ix->nitems && imap_is(ix, (uint32_t)i, sub, id); i++) {
        struct item *it = item_at(ix, i);
        const char *s[S_N];

        if (it->flags & I_DEAD)
            continue;
        each_key(ix, (uint32_t)i, unfile);
        ix->agarbage += item_strs(ix, it, s);
        it->flags |= I_DEAD;
        ix->nlive--;
    }
}

/* Adds one entry (an item, or one alias of a name) and files it. chars is the keyword's
 * folded characters, the name's packed parts (sw_keys.name), or "". */
static int add_entry(struct sw_mindex *ix, long sub, long long id, int kind, const char *text,
                     const struct sw_keys *k, const char *chars, uint64_t classes, int cset)
{
    const char *exact = kind == K_KEYWORD ? k->words : k->exact;
    const char *keys[S_N] = { text, exact, k->visual, k->phonetic, k->bare, chars };
    size_t len[S_N], total = 0, i;
    uint8_t flags = 0;
    struct item *it;
    long at;
    char *p;

    if (strcmp(exact, text) == 0)
        flags |= I_EXACT_TEXT;
    if (strcmp(k->visual, exact) == 0)
        flags |= I_VIS_EXACT;
    if (strcmp(k->bare, exact) == 0)
        flags |= I_BARE_EXACT;
    for (i = 0; i < S_N; i++) {
        len[i] = strlen(keys[i]) + 1;
        if ((i == S_EXACT && (flags & I_EXACT_TEXT)) || (i == S_VISUAL && (flags & I_VIS_EXACT)) ||
            (i == S_BARE && (flags & I_BARE_EXACT)))
            len[i] = 0;
        total += len[i];
    }
    if (total > UINT16_MAX)
        return SW_INVALID;
    if (item_room(ix) != SW_OK || (at = arena_take(ix, total)) < 0)
        return SW_ERR;
    for (i = 0, p = ix->arena + at; i < S_N; p += len[i], i++)
        memcpy(p, keys[i], len[i]);
    it = item_at(ix, ix->nitems);
    memset(it, 0, sizeof(*it));
    it->str = (uint32_t)at;
    it->flags = flags;
    it->sref = (uint32_t)sub;
    it->id = id;
    it->kind = (uint8_t)kind;
    it->classes = classes;
    it->cset = (uint16_t)cset;
    ix->nitems++;
    ix->nlive++;
    if (kind == K_KEYWORD && chars[0] == '\0') {
        size_t words = 1;
        const char *w;

        for (w = k->words; *w != '\0'; w++)
            words += *w == ' ';
        if (words <= GRAM_MAX)
            ix->gram_sizes |= 1u << words;
    } else if (kind == K_KEYWORD && chars[char_len(chars)] == '\0') {
        ix->chars_one = 1;
    }
    return each_key(ix, (uint32_t)(ix->nitems - 1), file_under);
}

int sw_mindex_put(struct sw_mindex *ix, long long sub, const json_t *item)
{
    const char *kind = json_string_value(json_object_get(item, "kind"));
    long long id = json_integer_value(json_object_get(item, "id"));
    uint64_t classes = 0;
    struct sw_keys k;
    char chars[SW_KEY_MAX];
    uint32_t *slot, first;
    size_t i;
    json_t *v;
    int kd, rc, cs;
    long sref;

    if (kind == NULL || id <= 0)
        return SW_INVALID;
    sw_mindex_del(ix, sub, id);
    if ((sref = sub_ref(ix, sub, 1)) < 0 ||
        (cs = cset_of(ix, json_object_get(item, "countries"))) < 0)
        return SW_ERR;
    json_array_foreach(json_object_get(item, "classes"), i, v)
        if (json_integer_value(v) >= 1 && json_integer_value(v) <= 45)
            classes |= 1ULL << json_integer_value(v);
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
    first = (uint32_t)ix->nitems;
    chars[0] = '\0';
    if (kd == K_PATENT || kd == K_SHOW) {
        const char *n = json_string_value(json_object_get(item, kd == K_PATENT ? "normalised"
                                                                                : "show"));

        if (n == NULL)
            return SW_INVALID;
        memset(&k, 0, sizeof(k));
        for (i = 0; n[i] != '\0' && i + 1 < sizeof(k.exact); i++)
            k.exact[i] = kd == K_SHOW ? (char)tolower((unsigned char)n[i]) : n[i];
        rc = add_entry(ix, sref, id, kd, n, &k, chars, 0, cs);
    } else {
        const char *text = json_string_value(json_object_get(item, "text"));

        if (text == NULL || sw_normalise(text, kd == K_NAME ? SW_NORM_NAME : SW_NORM_MARK, &k) !=
                                SW_OK)
            return SW_INVALID;
        if (kd == K_KEYWORD && sw_fold_chars(text, chars, sizeof(chars)) != SW_OK)
            chars[0] = '\0';
        rc = add_entry(ix, sref, id, kd, text, &k, kd == K_NAME ? k.name : chars, classes, cs);
        if (kd == K_NAME) {
            char name[SW_KEY_MAX];

            sw_strlcpy(name, k.name, sizeof(name));
            json_array_foreach(json_object_get(item, "aliases"), i, v) {
                if (rc != SW_OK || sw_normalise(json_string_value(v), SW_NORM_NAME, &k) != SW_OK)
                    continue;
                /* an alias without industry or place is the name's ("GREE") */
                if (k.name[0] != '\0' && name[0] != '\0')
                    sw_name_inherit(k.name, sizeof(k.name), name);
                rc = add_entry(ix, sref, id, kd, json_string_value(v), &k, k.name, 0, cs);
            }
        }
    }
    if (ix->nitems > first) {
        /* The map points at the item's first entry (its aliases follow it); on a failure
         * the entries made so far are taken out again through it. */
        slot = imap_slot(ix, sub, id, 1);
        if (slot == NULL)
            return SW_ERR;
        *slot = first + 1;
        if (rc != SW_OK)
            sw_mindex_del(ix, sub, id);
    }
    return rc;
}

void sw_mindex_stats(const struct sw_mindex *ix, size_t *items, size_t *postings, size_t *bytes)
{
    *items = ix->nlive;
    *postings = ix->npost;
    *bytes = sizeof(*ix) + ix->capitems * sizeof(struct item) +
             ix->nchunks * sizeof(*ix->chunk) + ix->acap +
             (size_t)KREGIONS * ix->big.span * sizeof(*ix->big.s) +
             ix->caplists * sizeof(*ix->lists) + ix->small.size * sizeof(*ix->small.s) +
             ix->cappool * sizeof(*ix->pool) + ix->imsize * sizeof(*ix->imap) +
             ix->capsubs * sizeof(*ix->subs) + ix->smsize * sizeof(*ix->smap) +
             ix->capcsets * sizeof(*ix->csets) + ix->cmsize * sizeof(*ix->cmap);
}

/* --- matching --- */

enum { SEV_LOW = 1, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
static const char *const sev_names[] = { "", "low", "medium", "high", "critical" };

/* A reason while the event is matched: rule, field and why are copied (the rules build some
 * of them on the stack: "named-as-defendant"), and so is an event text shorter than 32 bytes
 * (a patent number read out of a docket's prose); longer event texts and the item's point
 * into the event or the index. Reasons of one hit are chained through next, strongest
 * first. */
struct reason {
    const char *event_text, *item_text;   /* event_text NULL: it is in short_text */
    long long item_id;
    double score;
    int kind;
    int next;                  /* index of the hit's next reason; -1: the last */
    char rule[32], field[24], why[48], short_text[32];
};

struct hit {
    long long sub, item;
    int sev;
    int head, tail;            /* first and last reason */
    size_t n;
    double best;               /* the best score of its reasons */
    uint64_t classes;          /* the item's, as it was when hit */
    const char *text;          /* the item's text (in the index, or the run's market text) */
    uint16_t cset, watch;      /* the item's countries; those it watches (0: everywhere) */
    uint8_t kind;
};

#define PROBE_BATCH 64
#define SMALL_SET 16

struct run {
    struct sw_mindex *ix;
    const json_t *ev;
    const char *jur;
    int jur_bit;               /* the jurisdiction's country bit; -1 for none or other */
    int jur_any;               /* no jurisdiction, or WO: every country list agrees */
    int jur_eu;                /* EM or EU: a set that meets the whole EU agrees */
    uint64_t nice;
    uint32_t want;             /* posting filter: the event's classes folded, CLS_ANY */
    struct hit *hits;
    size_t nhits, caphits;
    uint32_t *hmap;            /* (sub, item) → hits index + 1, once hits are many */
    size_t hmsize;
    struct reason *reasons;
    size_t nreasons, capreasons;
    char market[16];           /* the text of a bulletin's market "item" */
    int oom;                   /* memory ran out: something may be missing, alert nothing */
    uint32_t *cand;            /* candidates of the current probe set */
    size_t ncand, capcand;
    uint32_t *seen;            /* past SMALL_SET: the set's entries + 1, open addressing */
    size_t seensize;
    int stamped;               /* the set is past SMALL_SET: seen says who is in it */
    long long owners[16];      /* subscribers that own the event's trademark */
    int nowners;
    uint64_t ph[PROBE_BATCH];  /* keys waiting to be probed */
    size_t nph;
    int ptab;                  /* the table they are probed in: T_BIG, T_SMALL */
    char *wbuf;                /* a text's normalised words, one space between */
    size_t wlen, wcap;
    uint32_t *wstart;          /* where each word starts in wbuf */
    size_t nwords, capwords;
};

/* Starts a new candidate set. */
static void new_set(struct run *r)
{
    r->ncand = 0;
    r->nph = 0;
    if (r->stamped)
        memset(r->seen, 0, r->seensize * sizeof(*r->seen));
    r->stamped = 0;
}

static uint32_t seen_home(uint32_t idx)
{
    return idx * 0x9e3779b1u;
}

/* Puts entry idx in the set's map; 0 when it was there already. */
static int seen_add(struct run *r, uint32_t idx)
{
    size_t mask = r->seensize - 1, i;

    for (i = seen_home(idx) & mask; r->seen[i] != 0; i = (i + 1) & mask)
        if (r->seen[i] == idx + 1)
            return 0;
    r->seen[i] = idx + 1;
    return 1;
}

/* Makes the set's map hold twice its entries (and one more) or more. */
static int seen_room(struct run *r)
{
    size_t size = r->seensize ? r->seensize : 256, i;

    if (r->stamped && (r->ncand + 1) * 2 <= r->seensize)
        return SW_OK;
    while ((r->ncand + 1) * 2 > size)
        size *= 2;
    if (size != r->seensize) {
        uint32_t *m = calloc(size, sizeof(*m));

        if (m == NULL) {
            r->oom = 1;
            return SW_ERR;
        }
        free(r->seen);
        r->seen = m;
        r->seensize = size;
    } else {
        memset(r->seen, 0, size * sizeof(*r->seen));
    }
    for (i = 0; i < r->ncand; i++)
        seen_add(r, r->cand[i]);
    r->stamped = 1;
    return SW_OK;
}

/* Adds entry idx to the candidate set once. A small set (a filing has a handful) is searched
 * as it is; past SMALL_SET a map of the run's own, which stays in cache, takes over. */
static void add_cand(struct run *r, uint32_t idx)
{
    size_t i;

    if (r->ncand < SMALL_SET) {
        for (i = 0; i < r->ncand; i++)
            if (r->cand[i] == idx)
                return;
    } else if (seen_room(r) != SW_OK || !seen_add(r, idx)) {
        return;
    }
    if (r->ncand == r->capcand) {
        size_t cap = r->capcand ? r->capcand * 2 : 64;
        uint32_t *c = realloc(r->cand, cap * sizeof(*c));

        if (c == NULL) {
            r->oom = 1;
            return;
        }
        r->cand = c;
        r->capcand = cap;
    }
    r->cand[r->ncand++] = idx;
}

/* Adds the postings of list (its header first) whose class filter meets r->want. */
static void add_list(struct run *r, const struct post *list)
{
    uint32_t p;

    for (p = 1; p <= list[0].item; p++)
        if ((list[p].cls & r->want) != 0)
            add_cand(r, list[p].item);
}

/* Probes the keys queued in r->ph: every slot is prefetched before any is read, then every
 * found key's postings in the order of the keys, so the cache misses of one event overlap
 * instead of queueing. Postings whose class filter misses r->want are skipped unread; a key
 * of one entry adds it (its classes are checked when it is read). */
static void probe_flush(struct run *r)
{
    struct sw_mindex *ix = r->ix;
    size_t i, nf = 0;
    uint32_t found[PROBE_BATCH];

    if (r->nph == 0)
        return;   /* nothing queued (and maybe no table chosen yet) */
    if (r->ptab == T_BIG) {
        for (i = 0; i < r->nph; i++)
            kprefetch(&ix->big, r->ph[i]);
        for (i = 0; i < r->nph; i++) {
            const struct kslot *sl = kfind(&ix->big, r->ph[i]);

            if (sl == NULL)
                continue;
            if (sl->ref & KLIST)
                __builtin_prefetch(&ix->lists[sl->ref & ~KLIST]);
            found[nf++] = sl->ref;
        }
        for (i = 0; i < nf; i++) {
            if (found[i] & KLIST)
                add_list(r, &ix->lists[found[i] & ~KLIST]);
            else
                add_cand(r, found[i]);
        }
    } else {
        const struct htab *t = &ix->small;
        const struct slot *fs[PROBE_BATCH];
        uint32_t p;

        for (i = 0; i < r->nph; i++)
            __builtin_prefetch(&t->s[mix(r->ph[i]) & (t->size - 1)]);
        for (i = 0; i < r->nph; i++) {
            const struct slot *sl = slot_find(t, r->ph[i]);

            if (sl != NULL && sl->len > 0) {
                __builtin_prefetch(&ix->pool[sl->off]);
                fs[nf++] = sl;
            }
        }
        for (i = 0; i < nf; i++) {
            const struct post *ps = &ix->pool[fs[i]->off];

            for (p = 0; p < fs[i]->len; p++)
                if ((ps[p].cls & r->want) != 0)
                    add_cand(r, ps[p].item);
        }
    }
    r->nph = 0;
}

/* Queues (tag, key) for probing in table t (T_BIG, T_SMALL); an empty key probes nothing. */
static void probe_n(struct run *r, int t, char tag, const char *key, size_t n)
{
    if (n == 0)
        return;
    if (r->nph > 0 && r->ptab != t)
        probe_flush(r);
    r->ptab = t;
    r->ph[r->nph++] = fnv_n(tag, key, n);
    if (r->nph == PROBE_BATCH)
        probe_flush(r);
}

static void probe(struct run *r, int t, char tag, const char *key)
{
    probe_n(r, t, tag, key, strlen(key));
}

/* Country set cs (0: none given) concerns the event's jurisdiction: it holds it, or the event
 * is the EU's (EM, EU) and the set holds a member state, or EM or EU (which cset_of widened
 * to all of them). */
static int jur_in(const struct run *r, int cs)
{
    const struct cset *s = &r->ix->csets[cs];

    return cset_has(s, r->jur_bit) || (r->jur_eu && cset_meets(s, &r->ix->eu));
}

/* The item watches the event's country: its own countries, else its subscriber's markets,
 * else everywhere; WO (and no jurisdiction) counts for all. */
static int country_ok(struct run *r, const struct item *it)
{
    int cs = it->cset ? it->cset : r->ix->subs[it->sref].cset;

    return cs == 0 || r->jur_any || jur_in(r, cs);
}

static double threshold_of(struct run *r, const struct item *it)
{
    return r->ix->subs[it->sref].threshold;
}

static void keys_of(const struct sw_mindex *ix, const struct item *it, struct sw_keyref *k)
{
    const char *s[S_N];

    item_strs(ix, it, s);
    k->exact = s[S_EXACT];
    k->visual = s[S_VISUAL];
    k->phonetic = s[S_PHON];
    k->bare = s[S_BARE];
    k->name = it->kind == K_NAME ? s[S_CHARS] : NULL;
}

static long long sub_of(const struct run *r, const struct item *it)
{
    return r->ix->subs[it->sref].id;
}

static void keyref(const struct sw_keys *k, struct sw_keyref *r)
{
    r->exact = k->exact;
    r->visual = k->visual;
    r->phonetic = k->phonetic;
    r->bare = k->bare;
    r->name = k->name;
}

/* The item's subscriber owns the event's trademark. */
static int owner(struct run *r, const struct item *it)
{
    int i;

    for (i = 0; i < r->nowners; i++)
        if (r->owners[i] == sub_of(r, it))
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

static uint64_t hit_key(long long sub, long long item)
{
    return mix((uint64_t)sub * 0x9e3779b97f4a7c15ULL ^ (uint64_t)item);
}

/* The hit of (sub, item), made when new; NULL when out of memory. Looked up by a scan while
 * there are few, through a map once a bulletin reaches many subscribers. text is the item's
 * text. */
static struct hit *hit_slot(struct run *r, const struct item *it, const char *text)
{
    long long sub = sub_of(r, it), item = it->id;
    struct hit *h;
    size_t i, mask;

    if (r->hmap == NULL) {
        for (i = 0; i < r->nhits; i++)
            if (r->hits[i].sub == sub && r->hits[i].item == item)
                return &r->hits[i];
    } else {
        mask = r->hmsize - 1;
        for (i = hit_key(sub, item) & mask; r->hmap[i] != 0; i = (i + 1) & mask)
            if (r->hits[r->hmap[i] - 1].sub == sub && r->hits[r->hmap[i] - 1].item == item)
                return &r->hits[r->hmap[i] - 1];
    }
    if (r->nhits == r->caphits) {
        size_t cap = r->caphits ? r->caphits * 2 : 16;
        struct hit *a = realloc(r->hits, cap * sizeof(*a));

        if (a == NULL) {
            r->oom = 1;
            return NULL;
        }
        r->hits = a;
        r->caphits = cap;
    }
    if (r->nhits >= 32 && (r->nhits + 1) * 2 > r->hmsize) {
        size_t size = r->hmsize ? r->hmsize * 2 : 128, k;
        uint32_t *m = calloc(size, sizeof(*m));

        if (m == NULL) {
            r->oom = 1;
            return NULL;
        }
        free(r->hmap);
        r->hmap = m;
        r->hmsize = size;
        for (k = 0; k < r->nhits; k++) {
            for (i = hit_key(r->hits[k].sub, r->hits[k].item) & (size - 1); m[i] != 0;
                 i = (i + 1) & (size - 1))
                ;
            m[i] = (uint32_t)k + 1;
        }
    }
    if (r->hmap != NULL) {
        mask = r->hmsize - 1;
        for (i = hit_key(sub, item) & mask; r->hmap[i] != 0; i = (i + 1) & mask)
            ;
        r->hmap[i] = (uint32_t)r->nhits + 1;
    }
    h = &r->hits[r->nhits++];
    h->sub = sub;
    h->item = item;
    h->sev = 0;
    h->head = h->tail = -1;
    h->n = 0;
    h->best = 0;
    h->classes = it->classes;
    h->text = text;
    if (it->kind == K_NAME && it->id != 0) {
        /* An alias may be what met the event: the item is shown by its own text, which its
         * first entry holds (the reason names the alias). */
        uint32_t *slot = imap_slot(r->ix, sub, it->id, 0);

        if (slot != NULL && *slot != 0 && !(item_at(r->ix, *slot - 1)->flags & I_DEAD))
            h->text = item_text(r->ix, item_at(r->ix, *slot - 1));
    }
    h->cset = it->cset;
    h->watch = it->cset ? it->cset : r->ix->subs[it->sref].cset;
    h->kind = it->kind;
    return h;
}

/* Records that item it (whose text is text) alerts for this event, for this reason: the hit
 * of (subscriber, item) gains the reason, first when it is the strongest so far. */
static void hit_text(struct run *r, const struct item *it, const char *text, int sev,
                     const char *rule, const char *field, const char *event_text, double score,
                     const char *why)
{
    struct hit *h;
    struct reason *re;
    int idx;

    if (r->nreasons == r->capreasons) {
        size_t cap = r->capreasons ? r->capreasons * 2 : 16;
        struct reason *a = realloc(r->reasons, cap * sizeof(*a));

        if (a == NULL) {
            r->oom = 1;
            return;
        }
        r->reasons = a;
        r->capreasons = cap;
    }
    if ((h = hit_slot(r, it, text)) == NULL)
        return;
    idx = (int)r->nreasons++;
    re = &r->reasons[idx];
    sw_strlcpy(re->rule, rule, sizeof(re->rule));
    if (event_text == NULL)
        event_text = "";
    if (strlen(event_text) < sizeof(re->short_text)) {
        memcpy(re->short_text, event_text, strlen(event_text) + 1);
        re->event_text = NULL;
    } else {
        re->event_text = event_text;
    }
    re->item_text = text;
    re->item_id = it->id;
    re->score = score;
    re->kind = it->kind;
    sw_strlcpy(re->field, field, sizeof(re->field));
    sw_strlcpy(re->why, why, sizeof(re->why));
    if (h->head < 0) {
        re->next = -1;
        h->head = h->tail = idx;
    } else if (sev > h->sev) {
        re->next = h->head;
        h->head = idx;
    } else {
        re->next = -1;
        r->reasons[h->tail].next = idx;
        h->tail = idx;
    }
    if (sev > h->sev)
        h->sev = sev;
    if (score > h->best)
        h->best = score;
    h->n++;
}

/* hit_text for an entry of the index. */
static void hit(struct run *r, const struct item *it, int sev, const char *rule, const char *field,
                const char *event_text, double score, const char *why)
{
    hit_text(r, it, item_text(r->ix, it), sev, rule, field, event_text, score, why);
}

/* Appends v in decimal (printf's number formatting was a third of writing an alert). */
static int add_int(struct sw_buf *b, long long v)
{
    char d[24], *p = d + sizeof(d);
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    return sw_buf_add(b, p, (size_t)(d + sizeof(d) - p));
}

/* Appends a score from 0 to 1 with three decimals: "0.857", "1.000". */
static int add_score(struct sw_buf *b, double score)
{
    int t = (int)(score * 1000 + 0.5);
    char d[5];

    if (t < 0)
        t = 0;
    if (t > 1000)
        t = 1000;
    d[0] = (char)('0' + t / 1000);
    d[1] = '.';
    d[2] = (char)('0' + t / 100 % 10);
    d[3] = (char)('0' + t / 10 % 10);
    d[4] = (char)('0' + t % 10);
    return sw_buf_add(b, d, sizeof(d));
}

/* Appends the Nice classes of bits as a JSON array: [9,42]. */
static int add_classes(struct sw_buf *b, uint64_t bits)
{
    int rc = sw_buf_add(b, "[", 1), first = 1;

    for (bits &= ((1ULL << 46) - 1) & ~1ULL; bits != 0 && rc == SW_OK; bits &= bits - 1) {
        rc = first ? SW_OK : sw_buf_add(b, ",", 1);
        rc = rc ?: add_int(b, __builtin_ctzll(bits));
        first = 0;
    }
    return rc ?: sw_buf_add(b, "]", 1);
}

/* Appends one country code as a JSON string, after a comma unless first. */
static int add_code(struct sw_buf *b, int bit, int *first)
{
    char q[6] = { ',', '"', (char)('A' + bit / 26), (char)('A' + bit % 26), '"', '\0' };
    int rc = sw_buf_add(b, *first ? q + 1 : q, *first ? 4 : 5);

    *first = 0;
    return rc;
}

/* Appends the codes of interned set cs as a JSON array ([] for the empty set 0). */
static int add_countries(struct sw_buf *b, const struct sw_mindex *ix, unsigned cs)
{
    int rc = sw_buf_add(b, "[", 1), w, first = 1;

    for (w = 0; cs != 0 && cs < ix->ncsets && w < CSET_WORDS && rc == SW_OK; w++) {
        uint64_t x = ix->csets[cs].w[w];

        for (; x != 0 && rc == SW_OK; x &= x - 1)   /* each set bit, lowest first */
            rc = add_code(b, w * 64 + __builtin_ctzll(x), &first);
    }
    return rc ?: sw_buf_add(b, "]", 1);
}

static int int_order(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Appends where the event's jurisdiction meets the countries the item watches (set watch):
 * the jurisdiction itself when watched (or when the item watches everywhere, or for WO; a set
 * holding EM or EU holds every member state too), else for an EU-wide jurisdiction (EM, EU)
 * the member states watched; [] when they do not meet or the event names no jurisdiction. */
static int add_common(struct sw_buf *b, const struct sw_mindex *ix, unsigned watch,
                      const char *jur)
{
    const struct cset *w = watch != 0 && watch < ix->ncsets ? &ix->csets[watch] : NULL;
    int rc = sw_buf_add(b, "[", 1), jb = jur != NULL ? code_bit(jur) : -1, first = 1;
    const char *const *c;

    if (jb < 0 || rc != SW_OK)
        return rc ?: sw_buf_add(b, "]", 1);
    if (w == NULL || cset_has(w, jb) || strcmp(jur, "WO") == 0) {
        rc = add_code(b, jb, &first);
    } else if (sw_country_eu_wide(jur)) {
        int bits[SW_EU_MEMBERS_N], n = 0, i;

        for (c = sw_eu_members; *c != NULL; c++)
            if (cset_has(w, code_bit(*c)))
                bits[n++] = code_bit(*c);
        qsort(bits, (size_t)n, sizeof(*bits), int_order);   /* in code order, as elsewhere */
        for (i = 0; i < n && rc == SW_OK; i++)
            rc = add_code(b, bits[i], &first);
    }
    return rc ?: sw_buf_add(b, "]", 1);
}

int sw_match_json_members(const struct sw_match *m, struct sw_buf *b)
{
    size_t i, j, k;
    int rc = sw_buf_adds(b, "\"severity\":");

    rc = rc ?: sw_buf_add_json(b, m->severity);
    rc = rc ?: sw_buf_adds(b, ",\"rule\":");
    rc = rc ?: sw_buf_add_json(b, m->rule);
    rc = rc ?: sw_buf_adds(b, ",\"item_ids\":[");
    for (i = 0; i < m->nitems && rc == SW_OK; i++) {
        rc = i ? sw_buf_add(b, ",", 1) : SW_OK;
        rc = rc ?: add_int(b, m->items[i].id);
    }
    rc = rc ?: sw_buf_adds(b, "],\"items\":[");
    for (i = 0; i < m->nitems && rc == SW_OK; i++) {
        const struct sw_match_item *it = &m->items[i];

        rc = sw_buf_adds(b, i ? ",{\"item\":{\"id\":" : "{\"item\":{\"id\":");
        rc = rc ?: add_int(b, it->id);
        rc = rc ?: sw_buf_adds(b, ",\"kind\":");
        rc = rc ?: sw_buf_add_json(b, it->kind);
        rc = rc ?: sw_buf_adds(b, ",\"text\":");
        rc = rc ?: sw_buf_add_json(b, it->text);
        rc = rc ?: sw_buf_adds(b, ",\"classes\":");
        rc = rc ?: add_classes(b, it->classes);
        rc = rc ?: sw_buf_adds(b, ",\"countries\":");
        rc = rc ?: add_countries(b, m->index, it->countries);
        rc = rc ?: sw_buf_adds(b, "},\"severity\":");
        rc = rc ?: sw_buf_add_json(b, it->severity);
        rc = rc ?: sw_buf_adds(b, ",\"rule\":");
        rc = rc ?: sw_buf_add_json(b, it->rule);
        rc = rc ?: sw_buf_adds(b, ",\"score\":");
        rc = rc ?: add_score(b, it->score);
        rc = rc ?: sw_buf_adds(b, ",\"event_texts\":[");
        for (j = 0, k = 0; j < it->nreasons && rc == SW_OK; j++) {
            size_t d;

            for (d = 0; d < j; d++)   /* each text once: reasons are a handful */
                if (strcmp(it->reasons[d].event_text, it->reasons[j].event_text) == 0)
                    break;
            if (d < j)
                continue;
            rc = k++ ? sw_buf_add(b, ",", 1) : SW_OK;
            rc = rc ?: sw_buf_add_json(b, it->reasons[j].event_text);
        }
        rc = rc ?: sw_buf_adds(b, "],\"classes_common\":");
        rc = rc ?: add_classes(b, it->classes_common);
        rc = rc ?: sw_buf_adds(b, ",\"countries_common\":");
        rc = rc ?: add_common(b, m->index, it->watched, m->jurisdiction);
        rc = rc ?: sw_buf_adds(b, ",\"countries_source\":");
        rc = rc ?: sw_buf_add_json(b, it->countries ? "item" : it->watched ? "markets"
                                                                             : "anywhere");
        rc = rc ?: sw_buf_adds(b, ",\"reasons\":[");
        for (j = 0; j < it->nreasons && rc == SW_OK; j++) {
            const struct sw_match_reason *re = &it->reasons[j];

            rc = sw_buf_adds(b, j ? ",{\"rule\":" : "{\"rule\":");
            rc = rc ?: sw_buf_add_json(b, re->rule);
            rc = rc ?: sw_buf_adds(b, ",\"field\":");
            rc = rc ?: sw_buf_add_json(b, re->field);
            rc = rc ?: sw_buf_adds(b, ",\"matched\":[");
            rc = rc ?: sw_buf_add_json(b, re->event_text);
            rc = rc ?: sw_buf_add(b, ",", 1);
            rc = rc ?: sw_buf_add_json(b, re->item_text);
            rc = rc ?: sw_buf_adds(b, "],\"score\":");
            rc = rc ?: add_score(b, re->score);
            rc = rc ?: sw_buf_adds(b, ",\"why\":");
            rc = rc ?: sw_buf_add_json(b, re->why);
            rc = rc ?: sw_buf_add(b, "}", 1);
        }
        rc = rc ?: sw_buf_adds(b, "]}");
    }
    return rc ?: sw_buf_add(b, "]", 1);
}

static int classes_ok(struct run *r, const struct item *it)
{
    return it->classes == 0 || r->nice == 0 || (it->classes & r->nice) != 0;
}

/* The cheap filters of marks_rule, on the entry alone: a mark or a name, and a mark of the
 * event's classes unless litigation. */
static int mark_worth(struct run *r, const struct item *it, int litigation)
{
    return (it->kind == K_MARK || it->kind == K_NAME) &&
           (litigation || it->kind != K_MARK || classes_ok(r, it));
}

/* Brings the candidates' entries into cache together, then, for those worth it, what each
 * points to (its strings and its subscriber), before they are verified one by one. */
static void prefetch_candidates(struct run *r, int litigation)
{
    size_t c;

    for (c = 0; c < r->ncand; c++)
        __builtin_prefetch(item_at(r->ix, r->cand[c]));
    for (c = 0; c < r->ncand; c++) {
        const struct item *it = item_at(r->ix, r->cand[c]);

        if (!mark_worth(r, it, litigation))
            continue;
        __builtin_prefetch(item_text(r->ix, it));
        __builtin_prefetch(&r->ix->subs[it->sref]);
    }
}

static int probe_key(void *ud, char tag, const char *key)
{
    struct run *r = ud;

    probe(r, T_BIG, tag, key);
    return 0;
}

/* Candidates for a mark text: every key a similar mark could be filed under
 * (sw_mark_probe_keys), and those of a name filed as a mark. */
static void mark_candidates(struct run *r, const struct sw_keys *k)
{
    struct sw_keyref ref;

    new_set(r);
    keyref(k, &ref);
    sw_mark_probe_keys(&ref, probe_key, r);
    probe(r, T_BIG, 'N', k->exact);
    probe(r, T_BIG, 'W', k->visual);
    probe_flush(r);
}

/* Marks in a trademark filing or status: look-alikes of watched marks, and watched company
 * names filed as marks (squatting). */
static void marks_rule(struct run *r, int litigation)
{
    json_t *marks = json_object_get(r->ev, "marks"), *m;
    size_t i, c;
    char field[32], why[64];

    json_array_foreach(marks, i, m) {
        struct sw_keys k;
        struct sw_keyref ek, ik;

        if (sw_normalise(json_string_value(m), SW_NORM_MARK, &k) != SW_OK)
            continue;
        r->want = litigation || r->nice == 0 ? CLS_ANY : fold_classes(r->nice);
        mark_candidates(r, &k);
        r->want = CLS_ANY;
        keyref(&k, &ek);
        prefetch_candidates(r, litigation);
        snprintf(field, sizeof(field), "marks[%zu]", i);
        for (c = 0; c < r->ncand; c++) {
            const struct item *it = item_at(r->ix, r->cand[c]);
            double score;

            /* The cheap filters first (kind, class bits, owner, the country list), the score
             * last. */
            if (!mark_worth(r, it, litigation) || owner(r, it) || !country_ok(r, it))
                continue;
            keys_of(r->ix, it, &ik);
            score = sw_similarity_ref(&ek, &ik, why, sizeof(why));
            if (score < threshold_of(r, it))
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
        probe(r, T_BIG, 'N', k.exact);
        probe_flush(r);
        for (c = 0; c < r->ncand && r->nowners < 16; c++) {
            const struct item *it = item_at(r->ix, r->cand[c]);
            const char *s[S_N];

            if (it->kind != K_NAME)
                continue;
            item_strs(r->ix, it, s);
            if (strcmp(s[S_EXACT], k.exact) == 0)   /* not just 44 bits of its hash */
                r->owners[r->nowners++] = sub_of(r, it);
        }
    }
}

/* Accused parties: a watched name as defendant, respondent or exhibitor is critical. A name
 * as the complainant of a fair's incident (show_incident only) is medium: that exporter is a party too (and so
 * sees the incident's names, which others attending the fair are not shown). */
static void parties_rule(struct run *r)
{
    json_t *p;
    size_t i, c;
    char field[32], why[64], rule[48], trade[SW_KEY_MAX];
    int incident = strcmp(json_string_value(json_object_get(r->ev, "type")) ?: "",
                          "show_incident") == 0;

    json_array_foreach(json_object_get(r->ev, "parties"), i, p) {
        const char *role = json_string_value(json_object_get(p, "role"));
        const char *name = json_string_value(json_object_get(p, "name"));
        struct sw_keys k;
        struct sw_keyref ek, ik;

        if (role == NULL || name == NULL ||
            (strcmp(role, "defendant") != 0 && strcmp(role, "respondent") != 0 &&
             strcmp(role, "exhibitor") != 0 &&
             (strcmp(role, "complainant") != 0 || !incident)))
            continue;
        if (sw_normalise(name, SW_NORM_NAME, &k) != SW_OK)
            continue;
        new_set(r);
        probe(r, T_BIG, 'N', k.exact);
        probe(r, T_BIG, 'W', k.visual);
        if (trade_of(k.name, trade, sizeof(trade))) {
            probe(r, T_BIG, 'R', trade);   /* names with this trade name */
            if (strcmp(trade, k.exact) != 0)
                probe(r, T_BIG, 'N', trade);   /* and names that are only it */
        }
        probe_flush(r);
        keyref(&k, &ek);
        snprintf(field, sizeof(field), "parties[%zu]", i);
        snprintf(rule, sizeof(rule), "named-as-%s", role);
        for (c = 0; c < r->ncand; c++) {
            const struct item *it = item_at(r->ix, r->cand[c]);
            double score;

            if (it->kind != K_NAME)
                continue;
            keys_of(r->ix, it, &ik);
            score = sw_similarity_ref(&ek, &ik, why, sizeof(why));
            if (score >= threshold_of(r, it))
                hit(r, it, strcmp(role, "complainant") == 0 ? SEV_MEDIUM : SEV_CRITICAL, rule,
                    field, name, score, why);
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
    probe(r, T_SMALL, 'T', norm);
    probe_flush(r);
    for (c = 0; c < r->ncand; c++) {
        const struct item *it = item_at(r->ix, r->cand[c]);

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

/* Appends a word to the run's word buffer; SW_ERR when out of memory. */
static int push_word(struct run *r, const char *w, size_t n)
{
    if (r->wlen + n + 2 > r->wcap) {
        size_t cap = r->wcap ? r->wcap * 2 : 4096;
        char *b;

        while (r->wlen + n + 2 > cap)
            cap *= 2;
        if ((b = realloc(r->wbuf, cap)) == NULL) {
            r->oom = 1;
            return SW_ERR;
        }
        r->wbuf = b;
        r->wcap = cap;
    }
    if (r->nwords == r->capwords) {
        size_t cap = r->capwords ? r->capwords * 2 : 512;
        uint32_t *a = realloc(r->wstart, (cap + 1) * sizeof(*a));

        if (a == NULL) {
            r->oom = 1;
            return SW_ERR;
        }
        r->wstart = a;
        r->capwords = cap;
    }
    if (r->nwords > 0)
        r->wbuf[r->wlen++] = ' ';
    r->wstart[r->nwords++] = (uint32_t)r->wlen;
    memcpy(r->wbuf + r->wlen, w, n);
    r->wlen += n;
    r->wbuf[r->wlen] = '\0';
    return SW_OK;
}

/* The words of text as sw_normalise gives them (lower case, transliterated), in r->wbuf:
 * plain ASCII words directly, anything else through the full normalisation, whose words
 * (a Chinese run transliterates to one word per character) are taken one by one. */
static void text_words(struct run *r, const char *t)
{
    r->wlen = 0;
    r->nwords = 0;
    while (*t != '\0') {
        char tok[64];
        size_t n = 0, i;
        int ascii = 1;
        struct sw_keys k;
        const char *w;

        while (*t != '\0' && !isalnum((unsigned char)*t) && (unsigned char)*t < 0x80)
            t++;
        while (*t != '\0' && (isalnum((unsigned char)*t) || (unsigned char)*t >= 0x80) &&
               n + 1 < sizeof(tok)) {
            ascii &= (unsigned char)*t < 0x80;
            tok[n++] = *t++;
        }
        tok[n] = '\0';
        if (n == 0)
            continue;
        if (ascii) {
            for (i = 0; i < n; i++)
                tok[i] = (char)tolower((unsigned char)tok[i]);
            if (push_word(r, tok, n) != SW_OK)
                return;
            continue;
        }
        if (sw_normalise(tok, SW_NORM_TEXT, &k) != SW_OK)
            continue;
        for (w = k.words; *w != '\0';) {
            size_t l = strcspn(w, " ");

            if (push_word(r, w, l) != SW_OK)
                return;
            w += l;
            w += *w == ' ';
        }
    }
}

/* Keywords written in characters (Chinese, Japanese, Korean) inside field f's text: the
 * text's folded characters are probed at every position under two characters (and one,
 * when a one-character keyword exists), and each candidate's characters must follow there. */
static void chars_rule(struct run *r, const char *t, const char *f, int sev, const char *rule,
                       int any_market)
{
    char folded[4 * SW_KEY_MAX], piece[768];
    size_t c;

    while (*t != '\0') {
        /* Pieces of at most 767 bytes, cut after a space where there is one. */
        size_t n = strlen(t), cut = n < sizeof(piece) - 1 ? n : sizeof(piece) - 1;
        const char *p;

        if (cut < n) {
            size_t k = cut;

            while (k > 0 && t[k] != ' ')
                k--;
            if (k > 0)
                cut = k;
            while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
                cut--;   /* never inside a character */
            if (cut == 0)
                cut = 1;
        }
        memcpy(piece, t, cut);
        piece[cut] = '\0';
        t += cut;
        if (sw_fold_chars(piece, folded, sizeof(folded)) != SW_OK)
            continue;
        new_set(r);
        for (p = folded; *p != '\0'; p += char_len(p)) {
            if (p[char_len(p)] != '\0')
                probe_n(r, T_SMALL, 'C', p, key_chars_len(p));
            if (r->ix->chars_one)
                probe_n(r, T_SMALL, 'C', p, char_len(p));
        }
        probe_flush(r);
        for (c = 0; c < r->ncand; c++) {
            const struct item *it = item_at(r->ix, r->cand[c]);
            const char *s[S_N], *kw;

            if (it->kind != K_KEYWORD || (!any_market && !country_ok(r, it)))
                continue;
            item_strs(r->ix, it, s);
            kw = s[S_CHARS];
            if (strstr(folded, kw) == NULL)
                continue;
            hit(r, it, sev, rule, f, kw, 1.0, "keyword in the text");
        }
    }
}

/* Watched keywords among the words of the event's texts: every run of one to eight words
 * that some keyword has as many words as, probed in the keyword table. */
static void keywords_rule(struct run *r, int sev, const char *rule, int any_market)
{
    static const char *const fields[] = { "title", "text", "goods", NULL };
    const char *const *f;
    size_t c, j;

    for (f = fields; *f != NULL; f++) {
        const char *t = json_string_value(json_object_get(r->ev, *f));
        const char *p;
        int ascii = 1;
        unsigned g;

        if (t == NULL)
            continue;
        for (p = t; *p != '\0' && ascii; p++)
            ascii = (unsigned char)*p < 0x80;
        if (!ascii)
            chars_rule(r, t, *f, sev, rule, any_market);
        if (r->ix->gram_sizes == 0)
            continue;
        text_words(r, t);
        if (r->nwords == 0)
            continue;   /* no words (and maybe no word array yet) */
        r->wstart[r->nwords] = (uint32_t)r->wlen + 1;   /* one past the last word's end */
        new_set(r);
        for (j = 0; j < r->nwords; j++) {
            for (g = 1; g <= GRAM_MAX && g <= j + 1; g++) {
                size_t s = j + 1 - g;

                if (r->ix->gram_sizes >> g & 1)
                    probe_n(r, T_SMALL, 'K', r->wbuf + r->wstart[s],
                            r->wstart[j + 1] - 1 - r->wstart[s]);
            }
        }
        probe_flush(r);
        for (c = 0; c < r->ncand; c++) {
            const struct item *it = item_at(r->ix, r->cand[c]);
            const char *s[S_N];

            if (it->kind != K_KEYWORD || (!any_market && !country_ok(r, it)))
                continue;
            item_strs(r->ix, it, s);
            hit(r, it, sev, rule, *f, s[S_EXACT], 1.0, "keyword in the text");
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
    probe(r, T_SMALL, 'S', key);
    probe_flush(r);
    for (c = 0; c < r->ncand; c++) {
        const struct item *it = item_at(r->ix, r->cand[c]);

        if (it->kind == K_SHOW)
            hit(r, it, SEV_MEDIUM, "show-attended", "show", show, 1.0, "a show you attend");
    }
}

/* A bulletin about a country alerts every subscriber trading there (item 0: the market). */
static void bulletin_markets(struct run *r, int sev)
{
    struct item market;
    size_t i;

    if (r->jur_bit < 0)
        return;
    snprintf(r->market, sizeof(r->market), "market %s", r->jur);
    memset(&market, 0, sizeof(market));
    market.kind = K_KEYWORD;
    for (i = 0; i < r->ix->nsubs; i++) {
        const struct sub *s = &r->ix->subs[i];

        if (s->cset == 0 || !jur_in(r, s->cset))
            continue;
        market.sref = (uint32_t)i;
        hit_text(r, &market, r->market, sev, "bulletin-market", "jurisdiction", r->jur, 1.0,
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

/* Orders hits (indexes into the array hits) by subscriber, then strongest first: severity,
 * best score, item id. */
static int hit_order(const void *a, const void *b, void *hits)
{
    const struct hit *x = (const struct hit *)hits + *(const uint32_t *)a;
    const struct hit *y = (const struct hit *)hits + *(const uint32_t *)b;

    if (x->sub != y->sub)
        return x->sub < y->sub ? -1 : 1;
    if (x->sev != y->sev)
        return x->sev > y->sev ? -1 : 1;
    if (x->best != y->best)
        return x->best > y->best ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

/* Hands out the run's hits, one sw_match per subscriber with all its items. Everything is
 * allocated before the first call, so either every alert is handed out or none (then
 * SW_MATCH_FAILED). Returns the number of alerts. */
static size_t emit(struct run *r, sw_match_fn fn, void *ud)
{
    struct sw_match_reason *out;
    struct sw_match_item *items;
    uint32_t *order;
    size_t i, k = 0, alerts = 0, g;

    if (r->nhits == 0)
        return 0;
    /* One block: the reasons, the items, the order (each part aligned for its type). */
    out = malloc(r->nreasons * sizeof(*out) + r->nhits * (sizeof(*items) + sizeof(*order)));
    if (out == NULL)
        return SW_MATCH_FAILED;
    items = (struct sw_match_item *)(out + r->nreasons);
    order = (uint32_t *)(items + r->nhits);
    for (i = 0; i < r->nhits; i++)
        order[i] = (uint32_t)i;
    qsort_r(order, r->nhits, sizeof(*order), hit_order, r->hits);
    for (i = 0; i < r->nhits; i++) {
        const struct hit *h = &r->hits[order[i]];
        struct sw_match_item *it = &items[i];
        size_t first = k;
        int j;

        for (j = h->head; j >= 0; j = r->reasons[j].next, k++) {
            const struct reason *re = &r->reasons[j];

            out[k].rule = re->rule;
            out[k].field = re->field;
            out[k].event_text = re->event_text != NULL ? re->event_text : re->short_text;
            out[k].item_kind = kind_name(re->kind);
            out[k].item_text = re->item_text;
            out[k].why = re->why;
            out[k].item_id = re->item_id;
            out[k].score = (double)(int)(re->score * 1000 + 0.5) / 1000;
        }
        it->id = h->item;
        it->kind = h->item == 0 ? "market" : kind_name(h->kind);
        it->text = h->item == 0 && r->jur != NULL ? r->jur : h->text;
        it->severity = sev_names[h->sev];
        it->rule = out[first].rule;
        it->score = (double)(int)(h->best * 1000 + 0.5) / 1000;
        it->classes = h->classes;
        it->classes_common = h->classes & r->nice;
        it->countries = h->cset;
        it->watched = h->watch;
        it->reasons = &out[first];
        it->nreasons = k - first;
    }
    for (g = 0; g < r->nhits; g = i) {
        struct sw_match m;

        for (i = g + 1; i < r->nhits && r->hits[order[i]].sub == r->hits[order[g]].sub; i++)
            continue;
        m.sub = r->hits[order[g]].sub;
        m.severity = items[g].severity;
        m.rule = items[g].rule;
        m.items = &items[g];
        m.nitems = i - g;
        m.index = r->ix;
        m.jurisdiction = r->jur;
        fn(ud, &m);
        alerts++;
    }
    free(out);
    return alerts;
}

size_t sw_mindex_match(struct sw_mindex *ix, const json_t *event, sw_match_fn fn, void *ud)
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
    r.jur_bit = r.jur != NULL ? code_bit(r.jur) : -1;
    r.jur_any = r.jur == NULL || r.jur[0] == '\0' || strcmp(r.jur, "WO") == 0;
    r.jur_eu = sw_country_eu_wide(r.jur);
    r.want = CLS_ANY;
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
    n = r.oom ? SW_MATCH_FAILED : emit(&r, fn, ud);
    free(r.hits);
    free(r.hmap);
    free(r.reasons);
    free(r.cand);
    free(r.seen);
    free(r.wbuf);
    free(r.wstart);
    return n;
}
