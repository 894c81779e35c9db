/* match_bench.c — the matching index on one core, against a brute-force scan of the same
 * items measured in the same run.
 *
 * Builds 100,000 subscribers with 10 items each (1,000,000 watched terms: marks, names,
 * patents, keywords) from a fixed seed, then runs two event mixes through sw_mindex_match:
 * short trademark filings (about 200 bytes of JSON) and 1 KB text events (docket entries with
 * parties, patent numbers and prose). The baseline compares each event with every item by
 * sw_similarity, timed on a sample of items and scaled to all. Prints
 * RESULT match mark_eps=… text_eps=… p99_us=… build_s=… bytes_per_term=… speedup_vs_scan=… */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "seawall/buf.h"
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

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    long subs = argc > 1 ? atol(argv[1]) : 100000, per = 10, s, i;
    long nevents = 20000;
    struct sw_mindex *ix = sw_mindex_new();
    json_t **marks = malloc(sizeof(json_t *) * (size_t)nevents);
    json_t **texts = malloc(sizeof(json_t *) * (size_t)nevents);
    int64_t *lat = malloc(sizeof(int64_t) * (size_t)nevents * 2), t0, t1;
    struct sw_keys *sample = malloc(sizeof(struct sw_keys) * 20000);
    size_t items, postings, bytes, nsample = 0;
    struct sink out = { 0, 0, { NULL, 0, 0, 0 } };
    double build_s, mark_eps, text_eps, scan_us, index_us;
    char w[64], buf[1200];

    sw_buf_init(&out.text, 1 << 20);
    if (ix == NULL || marks == NULL || texts == NULL || lat == NULL || sample == NULL)
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
            if (k < 5)
                it = json_pack("{s:s, s:s, s:[i], s:I}", "kind", "mark", "text", w, "classes",
                               1 + rnd() % 45, "id", (json_int_t)(s * 100 + i));
            else if (k < 7) {
                char w2[64];

                word(w2, sizeof(w2), 2);
                snprintf(buf, sizeof(buf), "%s %s %s", w, w2, legal[rnd() % 6]);
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
    t0 = now_us();
    for (i = 0; i < nevents; i++) {
        int64_t a = now_us();

        sw_mindex_match(ix, marks[i], sink, &out);
        lat[i] = now_us() - a;
    }
    t1 = now_us();
    mark_eps = nevents / ((double)(t1 - t0) / 1e6);
    index_us = (double)(t1 - t0) / nevents;
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
    printf("mark events: %.0f/s (%.1f us each); scan of every mark: %.0f us per event\n",
           mark_eps, index_us, scan_us);
    printf("RESULT match mark_eps=%.0f text_eps=%.0f p99_us=%lld build_s=%.2f "
           "bytes_per_term=%.0f speedup_vs_scan=%.0f\n", mark_eps, text_eps,
           (long long)lat[(size_t)((double)nevents * 2 * 0.99)], build_s,
           (double)bytes / (double)(subs * per), scan_us / index_us);
    for (i = 0; i < nevents; i++) {
        json_decref(marks[i]);
        json_decref(texts[i]);
    }
    free(marks);
    free(texts);
    free(lat);
    free(sample);
    sw_buf_free(&out.text);
    sw_mindex_free(ix);
    return 0;
}
