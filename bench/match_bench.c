/* match_bench.c — the matching index on one core, against a brute-force scan of the same
 * items measured in the same run.
 *
 * `match-bench [TERMS]` (`make bench-match N=TERMS`): builds TERMS / 10 subscribers with 10
 * items each (1,000,000 watched terms by default: marks, names, patents, keywords) from a
 * fixed seed, then runs two event mixes through sw_mindex_match:
 * short trademark filings (about 200 bytes of JSON) and 1 KB text events (docket entries with
 * parties, patent numbers and prose). The baseline compares each event with every item by
 * sw_similarity, timed on a sample of items and scaled to all.
 *
 * The floor, measured in the same run: the keys the index probes for each mark event (its
 * mark's exact, visual, phonetic and bare keys, its one- and two-letter deletions, the
 * applicant's name), hashed beforehand, looked up in a plain open-addressing table holding the
 * keys the index files for the same items, sized by the same rule — every slot of an event
 * prefetched, then read, no postings, no candidates, no scores, no alerts: the memory bound
 * of any index that probes those keys. floor_ratio is mark_eps / floor_eps. The keys come
 * from lib/markkeys.c, the same recipes lib/matchidx.c files and probes with; which of them an
 * event probes follows lib/matchidx.c (mark_candidates, find_owners). Prints
 * RESULT match mark_eps=… text_eps=… p99_us=… build_s=… bytes_per_term=… speedup_vs_scan=…
 *   floor_eps=… floor_ratio=… */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "seawall/buf.h"
#include "seawall/markkeys.h"
#include "seawall/matchidx.h"
#include "seawall/normalise.h"

static unsigned long long seed = 0x5eaa11;

static unsigned rnd(void)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(seed >> 33);
}

/* Invented words of consonant-vowel syllables (about 100 of them), 2 to 4 syllables long:
 * a million of them are as varied as real trademark registers. */
static const char cons[] = "bcdfghjklmnprstvwxz";
static const char vow[] = "aeiou";

static void word(char *out, size_t outlen, int parts)
{
    size_t o = 0;
    int i;

    for (i = 0; i < parts && o + 4 < outlen; i++) {
        out[o++] = cons[rnd() % (sizeof(cons) - 1)];
        out[o++] = vow[rnd() % (sizeof(vow) - 1)];
        if (rnd() % 4 == 0)
            out[o++] = cons[rnd() % (sizeof(cons) - 1)];
    }
    out[o] = '\0';
}

static const char *const legal[] = { "Co., Ltd.", "GmbH", "LLC", "S.A.", "Inc.", "Limited" };

static int64_t now_us(void)
{
    return sw_mono_us();
}

/* Each alert is written as JSON text, as seawall-matcher writes it before storing it. */
struct sink {
    size_t alerts, bytes;
    struct sw_buf text;
};

static void sink(void *ud, const struct sw_match *m)
{
    struct sink *k = ud;

    sw_buf_reset(&k->text);
    if (sw_match_json_members(m, &k->text) == SW_OK) {
        k->alerts++;
        k->bytes += k->text.len;
    }
}

/* --- the floor: a plain open-addressing table of the index's keys --- */

#define FLOOR_CHUNK 1000   /* mark events between two floor passes */

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x ? x : 1;
}

struct fslot {
    uint64_t h;         /* 0: free */
    uint32_t n;         /* keys filed here (what a posting list's length would be) */
    uint32_t pad;       /* as the index's slot: 16 bytes */
};

struct ftab {
    struct fslot *s;
    size_t size, used;
};

static int ftab_init(struct ftab *t, size_t size)
{
    t->s = calloc(size, sizeof(*t->s));
    t->size = size;
    t->used = 0;
#ifdef MADV_HUGEPAGE
    if (t->s != NULL && size * sizeof(*t->s) >= (4u << 20)) {   /* as the index asks */
        uintptr_t a = ((uintptr_t)t->s + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);
        uintptr_t b = ((uintptr_t)t->s + size * sizeof(*t->s)) & ~(uintptr_t)((2u << 20) - 1);

        if (b > a)
            madvise((void *)a, b - a, MADV_HUGEPAGE);
    }
#endif
    return t->s != NULL ? 0 : -1;
}

/* Files hash h; grows at the index's load (70 %) to twice the size. */
static int ftab_put(struct ftab *t, uint64_t h)
{
    size_t mask, i, k;

    if ((t->used + 1) * 10 > t->size * 7) {
        struct ftab n;

        if (ftab_init(&n, t->size * 2) != 0)
            return -1;
        for (k = 0; k < t->size; k++) {
            if (t->s[k].h == 0)
                continue;
            for (i = (size_t)mix(t->s[k].h) & (n.size - 1); n.s[i].h != 0;
                 i = (i + 1) & (n.size - 1))
                ;
            n.s[i] = t->s[k];
        }
        n.used = t->used;
        free(t->s);
        *t = n;
    }
    mask = t->size - 1;
    for (i = (size_t)mix(h) & mask; t->s[i].h != 0 && t->s[i].h != h; i = (i + 1) & mask)
        ;
    if (t->s[i].h == 0) {
        t->s[i].h = h;
        t->used++;
    }
    t->s[i].n++;
    return 0;
}

/* A growing list of key hashes. */
struct hashes {
    uint64_t *h;
    size_t n, cap;
    int oom;
};

static void hash_key(struct hashes *hs, char tag, const char *key)
{
    if (key[0] == '\0')
        return;
    if (hs->n == hs->cap) {
        size_t cap = hs->cap ? hs->cap * 2 : 1024;
        uint64_t *a = realloc(hs->h, cap * sizeof(*a));

        if (a == NULL) {
            hs->oom = 1;
            return;
        }
        hs->h = a;
        hs->cap = cap;
    }
    hs->h[hs->n++] = sw_key_hash(tag, key, strlen(key));
}

static int hash_cb(void *ud, char tag, const char *key)
{
    hash_key(ud, tag, key);
    return 0;
}

static struct sw_keyref ref_of(const struct sw_keys *k)
{
    struct sw_keyref r = { k->exact, k->visual, k->phonetic, k->bare, k->name };

    return r;
}

/* The keys a watched mark is filed under (lib/markkeys.c, as lib/matchidx.c files it). */
static void mark_item_keys(struct hashes *hs, const struct sw_keys *k)
{
    struct sw_keyref r = ref_of(k);

    sw_mark_file_keys(&r, hash_cb, hs);
}

/* The trade name of a name's packed parts (its first field), or "" . */
static void trade_of(const char *name, char *out, size_t n)
{
    size_t l = strcspn(name, "\x1f");

    out[0] = '\0';
    if (l > 0 && l < n) {
        memcpy(out, name, l);
        out[l] = '\0';
    }
}

/* The keys a watched company name is filed under (each_key, K_NAME). */
static void name_item_keys(struct hashes *hs, const struct sw_keys *k)
{
    char trade[SW_KEY_MAX];

    hash_key(hs, 'N', k->exact);
    hash_key(hs, 'W', k->visual);
    trade_of(k->name, trade, sizeof(trade));
    if (trade[0] != '\0' && strcmp(trade, k->exact) != 0)
        hash_key(hs, 'R', trade);
}

/* The keys a trademark filing probes (find_owners for its applicant, mark_candidates for its
 * mark). */
static void filing_probe_keys(struct hashes *hs, const struct sw_keys *mark,
                              const struct sw_keys *applicant)
{
    struct sw_keyref r = ref_of(mark);

    hash_key(hs, 'N', applicant->exact);
    sw_mark_probe_keys(&r, hash_cb, hs);
    hash_key(hs, 'N', mark->exact);
    hash_key(hs, 'W', mark->visual);
}

/* Looks the probes of events from..to-1 up: every slot of an event prefetched, then read.
 * Returns the postings the keys found hold (so that the work cannot be left out). */
static size_t floor_pass(const struct ftab *t, const struct hashes *probes, const size_t *first,
                         long from, long to)
{
    size_t mask = t->size - 1, found = 0, i, j;
    long e;

    for (e = from; e < to; e++) {
        for (i = first[e]; i < first[e + 1]; i++)
            __builtin_prefetch(&t->s[mix(probes->h[i]) & mask]);
        for (i = first[e]; i < first[e + 1]; i++)
            for (j = (size_t)mix(probes->h[i]) & mask; t->s[j].h != 0; j = (j + 1) & mask)
                if (t->s[j].h == probes->h[i]) {
                    found += t->s[j].n;
                    break;
                }
    }
    return found;
}

/* The process's resident memory in bytes (0 when /proc cannot say). */
static size_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;

    if (f == NULL)
        return 0;
    if (fscanf(f, "%lu %lu", &size, &resident) != 2)
        resident = 0;
    fclose(f);
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    long subs = (argc > 1 ? atol(argv[1]) : 1000000) / 10, per = 10, s, i;
    long nevents = 20000;
    struct sw_mindex *ix = sw_mindex_new();
    json_t **marks = malloc(sizeof(json_t *) * (size_t)nevents);
    json_t **texts = malloc(sizeof(json_t *) * (size_t)nevents);
    int64_t *lat = malloc(sizeof(int64_t) * (size_t)nevents * 2), t0, t1;
    struct sw_keys *sample = malloc(sizeof(struct sw_keys) * 20000);
    size_t items, postings, bytes, nsample = 0, rss0, rss1;
    struct sink out = { 0, 0, { NULL, 0, 0, 0 } };
    double build_s, mark_eps, text_eps, scan_us, index_us, floor_eps;
    char w[64], buf[1200];
    /* The watched marks' and names' texts, kept for the floor's table (48 bytes each). */
    char (*itext)[48] = malloc(sizeof(*itext) * (size_t)(subs * per));
    unsigned char *ikind = calloc((size_t)(subs * per), 1);   /* 1 mark, 2 name, 0 other */
    size_t *first = malloc(sizeof(size_t) * (size_t)(nevents + 1)), floor_found = 0;
    int64_t index_time = 0, floor_time = 0;
    long c;
    struct hashes keys = { NULL, 0, 0, 0 }, probes = { NULL, 0, 0, 0 };
    struct ftab ft;

    sw_buf_init(&out.text, 1 << 20);
    if (subs < 1) {
        fprintf(stderr, "usage: match-bench [TERMS] (10 or more; 1,000,000 when not given)\n");
        return 2;
    }
    rss0 = rss_bytes();
    if (ix == NULL || marks == NULL || texts == NULL || lat == NULL || sample == NULL ||
        itext == NULL || ikind == NULL || first == NULL || ftab_init(&ft, 1 << 16) != 0)
        return 1;
    t0 = now_us();
    for (s = 1; s <= subs; s++) {
        json_t *profile = json_pack("{s:[s,s], s:f}", "markets", "US", "DE", "alert_threshold",
                                    0.85);

        sw_mindex_subscriber(ix, s, profile);
        json_decref(profile);
        for (i = 0; i < per; i++) {
            json_t *it;
            int k = (int)(i % 10);

            word(w, sizeof(w), 2 + (int)(rnd() % 3));
            if (k < 5) {
                it = json_pack("{s:s, s:s, s:[i], s:I}", "kind", "mark", "text", w, "classes",
                               1 + rnd() % 45, "id", (json_int_t)(s * 100 + i));
                snprintf(itext[(s - 1) * per + i], sizeof(itext[0]), "%.47s", w);
                ikind[(s - 1) * per + i] = 1;
            } else if (k < 7) {
                char w2[64];

                word(w2, sizeof(w2), 2);
                snprintf(buf, sizeof(buf), "%s %s %s", w, w2, legal[rnd() % 6]);
                snprintf(itext[(s - 1) * per + i], sizeof(itext[0]), "%.47s", buf);
                ikind[(s - 1) * per + i] = 2;
                it = json_pack("{s:s, s:s, s:I}", "kind", "name", "text", buf, "id",
                               (json_int_t)(s * 100 + i));
            } else if (k < 8) {
                snprintf(buf, sizeof(buf), "US%u", 7000000 + rnd() % 3000000);
                it = json_pack("{s:s, s:s, s:s, s:I}", "kind", "patent", "number", buf,
                               "normalised", buf, "id", (json_int_t)(s * 100 + i));
            } else {
                char w2[64];

                word(w2, sizeof(w2), 2);
                snprintf(buf, sizeof(buf), "%s %s", w, w2);
                it = json_pack("{s:s, s:s, s:I}", "kind", "keyword", "text", buf, "id",
                               (json_int_t)(s * 100 + i));
            }
            sw_mindex_put(ix, s, it);
            if (k < 5 && nsample < 20000 && rnd() % 25 == 0)
                sw_normalise(w, SW_NORM_MARK, &sample[nsample++]);
            json_decref(it);
        }
    }
    t1 = now_us();
    build_s = (double)(t1 - t0) / 1e6;
    rss1 = rss_bytes();
    sw_mindex_stats(ix, &items, &postings, &bytes);
    /* Events: marks drawn from the same syllables (so some hit), and 1 KB texts. */
    for (i = 0; i < nevents; i++) {
        word(w, sizeof(w), 2 + (int)(rnd() % 3));
        marks[i] = json_pack("{s:s, s:s, s:s, s:[s], s:{s:[i]}, s:[{s:s, s:s, s:s}]}", "id",
                             "ev", "type", "trademark_filing", "jurisdiction", "US", "marks", w,
                             "classes", "nice", 1 + rnd() % 45, "parties", "name",
                             "Some Applicant LLC", "role", "applicant", "country", "US");
        {
            size_t used = 0;
            int k;

            for (k = 0; used < 900; k++) {
                word(w, sizeof(w), 1 + (int)(rnd() % 3));
                used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s ", w);
            }
            used += (size_t)snprintf(buf + used, sizeof(buf) - used,
                                     "infringing U.S. Patent No. %u,%03u,%03u", 7 + rnd() % 3,
                                     rnd() % 1000, rnd() % 1000);
        }
        word(w, sizeof(w), 3);
        texts[i] = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}", "id", "ev",
                             "type", "litigation", "jurisdiction", "US", "text", buf, "parties",
                             "name", "Plaintiff Corp", "role", "plaintiff", "name", w, "role",
                             "defendant");
    }
    /* The floor's table of the same items' keys, and the mark events' probes, hashed
     * beforehand. */
    for (i = 0; i < subs * per; i++) {
        struct sw_keys k;
        size_t h;

        if (ikind[i] == 0 ||
            sw_normalise(itext[i], ikind[i] == 1 ? SW_NORM_MARK : SW_NORM_NAME, &k) != SW_OK)
            continue;
        keys.n = 0;
        if (ikind[i] == 1)
            mark_item_keys(&keys, &k);
        else
            name_item_keys(&keys, &k);
        for (h = 0; h < keys.n; h++)
            if (ftab_put(&ft, keys.h[h]) != 0)
                return 1;
    }
    for (i = 0; i < nevents; i++) {
        struct sw_keys mk, ak;
        const char *mark = json_string_value(json_array_get(json_object_get(marks[i], "marks"),
                                                             0));
        const char *applicant = json_string_value(json_object_get(
            json_array_get(json_object_get(marks[i], "parties"), 0), "name"));

        first[i] = probes.n;
        if (sw_normalise(mark, SW_NORM_MARK, &mk) == SW_OK &&
            sw_normalise(applicant, SW_NORM_NAME, &ak) == SW_OK)
            filing_probe_keys(&probes, &mk, &ak);
    }
    first[nevents] = probes.n;
    if (keys.oom || probes.oom)
        return 1;
    /* The mark events through the index, each chunk followed by the floor's pass over the
     * same events, so that both see the same load of a shared machine. */
    for (c = 0; c < nevents; c += FLOOR_CHUNK) {
        long end = c + FLOOR_CHUNK < nevents ? c + FLOOR_CHUNK : nevents;

        t0 = now_us();
        for (i = c; i < end; i++) {
            int64_t a = now_us();

            sw_mindex_match(ix, marks[i], sink, &out);
            lat[i] = now_us() - a;
        }
        t1 = now_us();
        index_time += t1 - t0;
        floor_found += floor_pass(&ft, &probes, first, c, end);
        floor_time += now_us() - t1;
    }
    mark_eps = nevents / ((double)index_time / 1e6);
    index_us = (double)index_time / nevents;
    floor_eps = nevents / ((double)floor_time / 1e6);
    t0 = now_us();
    for (i = 0; i < nevents; i++) {
        int64_t a = now_us();

        sw_mindex_match(ix, texts[i], sink, &out);
        lat[nevents + i] = now_us() - a;
    }
    t1 = now_us();
    text_eps = nevents / ((double)(t1 - t0) / 1e6);
    qsort(lat, (size_t)nevents * 2, sizeof(*lat), cmp64);
    /* Baseline: the same similarity check against every mark, on a sample, scaled. */
    {
        long ev, n = 200;
        size_t k;
        char why[64];
        volatile double acc = 0;

        t0 = now_us();
        for (ev = 0; ev < n; ev++) {
            struct sw_keys ek;

            sw_normalise(json_string_value(json_array_get(json_object_get(marks[ev], "marks"), 0)),
                         SW_NORM_MARK, &ek);
            for (k = 0; k < nsample; k++)
                acc += sw_similarity(&ek, &sample[k], why, sizeof(why));
        }
        t1 = now_us();
        /* Per event: the sample's time scaled to every mark item (half of all items). */
        scan_us = (double)(t1 - t0) / n / (double)nsample * (double)(subs * per / 2);
    }
    printf("items %zu, postings %zu, index %.0f MB, %zu alerts over %ld events (%.2f each, "
           "%.0f bytes of JSON each; the synthetic register is dense, real events mostly match "
           "nothing)\n", items, postings, (double)bytes / 1048576, out.alerts, nevents * 2,
           (double)out.alerts / (double)(nevents * 2),
           out.alerts ? (double)out.bytes / (double)out.alerts : 0.0);
    printf("memory: the index counts %.0f MB; the process grew by %.0f MB while building it, "
           "%.0f MB of which are the bench's own (the texts for the floor, %zu bytes a term, and "
           "the scan's sample)\n", (double)bytes / 1048576, (double)(rss1 - rss0) / 1048576,
           ((double)(sizeof(*itext) + 1) * (double)(subs * per) +
            (double)nsample * (double)sizeof(*sample)) / 1048576, sizeof(*itext) + 1);
    printf("mark events: %.0f/s (%.1f us each); scan of every mark: %.0f us per event\n",
           mark_eps, index_us, scan_us);
    printf("floor: %zu keys in a table of %zu slots (%.0f MB); %.1f probes per mark event, "
           "%zu postings under the keys found; %.2f us per event\n", ft.used, ft.size,
           (double)(ft.size * sizeof(*ft.s)) / 1048576, (double)probes.n / (double)nevents,
           floor_found, 1e6 / floor_eps);
    printf("RESULT match mark_eps=%.0f text_eps=%.0f p99_us=%lld build_s=%.2f "
           "bytes_per_term=%.0f speedup_vs_scan=%.0f floor_eps=%.0f floor_ratio=%.2f\n",
           mark_eps, text_eps, (long long)lat[(size_t)((double)nevents * 2 * 0.99)], build_s,
           (double)bytes / (double)(subs * per), scan_us / index_us, floor_eps,
           mark_eps / floor_eps);
    for (i = 0; i < nevents; i++) {
        json_decref(marks[i]);
        json_decref(texts[i]);
    }
    free(marks);
    free(texts);
    free(lat);
    free(sample);
    free(itext);
    free(ikind);
    free(first);
    free(keys.h);
    free(probes.h);
    free(ft.s);
    sw_buf_free(&out.text);
    sw_mindex_free(ix);
    return 0;
}
