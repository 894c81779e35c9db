/* test_regidx.c — the register's screening index: what a query finds through the index's own
 * candidates (built postings and the delta), its filters and reasons, changes after queries,
 * and agreement with sw_similarity over every mark. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/normalise.h"
#include "seawall/regidx.h"

#define C(n) (1ULL << (n))

static struct sw_regidx_hit hits[64];
static size_t nhits, total;

static int q(struct sw_regidx *ix, const char *text, uint64_t classes, uint64_t offices)
{
    return sw_regidx_query(ix, text, SW_NORM_MARK, classes, offices, SW_MATCH_THRESHOLD, hits,
                           64, &nhits, &total);
}

static const struct sw_regidx_hit *hit_of(uint32_t rid)
{
    size_t i;

    for (i = 0; i < nhits; i++)
        if (hits[i].rid == rid)
            return &hits[i];
    return NULL;
}

static void fill(struct sw_regidx *ix)
{
    assert_int_equal(sw_regidx_add(ix, 1, "SUVENEER", C(9), "US"), SW_OK);
    assert_int_equal(sw_regidx_add(ix, 2, "Quicksilver", C(25), "EM"), SW_OK);
    assert_int_equal(sw_regidx_add(ix, 3, "HUAWEI", C(9), "CN"), SW_OK);
    assert_int_equal(sw_regidx_add(ix, 4, "Northwind Pro", C(35), "US"), SW_OK);
    assert_int_equal(sw_regidx_add(ix, 5, "Blue Harbour", C(9) | C(35), "WO"), SW_OK);
    assert_int_equal(sw_regidx_add(ix, 6, "Zanderbolt", 0, "US"), SW_OK);
}

/* Each kind of likeness is found, with the key that found it. */
static void kinds_of_likeness(void **state)
{
    struct sw_regidx *ix = sw_regidx_new();
    struct {
        const char *text;
        uint32_t rid;
        const char *key;
    } cases[] = {
        { "suveneer", 1, "exact" },             /* case */
        { "SUVE NEER", 1, "exact" },            /* spacing */
        { "SUVENER", 1, "deletion" },           /* one edit */
        { "SUVXNEXR", 1, "deletion" },          /* two edits */
        { "\xd0\x85UVENEER", 1, "visual" },     /* Cyrillic DZE for S */
        { "Kwiksilver", 2, "phonetic" },        /* sound-alike */
        { "\xe5\x8d\x8e\xe4\xb8\xba", 3, "exact" },   /* 华为: Chinese to pinyin */
        { "Northwind", 4, "bare" },             /* without a generic word */
        { "BLUEHARBOUR", 5, "exact" },
    };
    size_t i;

    (void)state;
    fill(ix);
    assert_int_equal(sw_regidx_count(ix), 6);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct sw_regidx_hit *h;

        assert_int_equal(q(ix, cases[i].text, 0, 0), SW_OK);
        h = hit_of(cases[i].rid);
        if (h == NULL)
            fail_msg("%s: rid %u not found", cases[i].text, cases[i].rid);
        assert_true(h->score >= SW_MATCH_THRESHOLD);
        assert_string_equal(h->key, cases[i].key);
        assert_true(h->why[0] != '\0');
    }
    /* three edits in eight letters are another mark */
    assert_int_equal(q(ix, "SUKXNEKR", 0, 0), SW_OK);
    assert_null(hit_of(1));
    assert_int_equal(q(ix, "!!!", 0, 0), SW_INVALID);
    sw_regidx_free(ix);
}

static void classes_and_offices(void **state)
{
    struct sw_regidx *ix = sw_regidx_new();
    const char *us[] = { "US" }, *cn_wo[] = { "CN", "WO" }, *xx[] = { "XX" };

    (void)state;
    fill(ix);
    assert_int_equal(q(ix, "SUVENEER", C(9), 0), SW_OK);
    assert_non_null(hit_of(1));
    assert_int_equal(q(ix, "SUVENEER", C(25) | C(30), 0), SW_OK);
    assert_null(hit_of(1));
    /* a mark without classes is in every class */
    assert_int_equal(q(ix, "Zanderbolt", C(3), 0), SW_OK);
    assert_non_null(hit_of(6));
    assert_int_equal(q(ix, "SUVENEER", 0, sw_regidx_offices(ix, us, 1)), SW_OK);
    assert_non_null(hit_of(1));
    assert_int_equal(q(ix, "SUVENEER", 0, sw_regidx_offices(ix, cn_wo, 2)), SW_OK);
    assert_null(hit_of(1));
    assert_int_equal(q(ix, "Blue Harbor", C(35), sw_regidx_offices(ix, cn_wo, 2)), SW_OK);
    assert_non_null(hit_of(5));
    assert_int_equal(sw_regidx_offices(ix, xx, 1), 0);
    sw_regidx_free(ix);
}

/* Adds, replacements and removals between queries, before and after a build. */
static void changes_after_queries(void **state)
{
    struct sw_regidx *ix = sw_regidx_new();
    int round;

    (void)state;
    for (round = 0; round < 2; round++) {
        fill(ix);
        if (round == 1)
            assert_int_equal(sw_regidx_build(ix), SW_OK);
        assert_int_equal(q(ix, "SUVENER", 0, 0), SW_OK);
        assert_non_null(hit_of(1));
        /* a new mark after the query: found by the next one (the delta) */
        assert_int_equal(sw_regidx_add(ix, 70, "Suvenir", C(9), "EM"), SW_OK);
        assert_int_equal(q(ix, "SUVENIR", 0, 0), SW_OK);
        assert_non_null(hit_of(70));
        assert_int_equal(sw_regidx_count(ix), 7);
        /* the same mark again, in other classes: no new postings, the new classes count */
        {
            size_t before = sw_regidx_postings(ix);

            assert_int_equal(sw_regidx_add(ix, 70, "SUVENIR", C(30), "EM"), SW_OK);
            assert_int_equal(q(ix, "SUVENIR", C(9), 0), SW_OK);
            assert_null(hit_of(70));
            assert_int_equal(q(ix, "SUVENIR", C(30), 0), SW_OK);
            assert_non_null(hit_of(70));
            assert_int_equal(sw_regidx_postings(ix), before);
        }
        /* replaced: the old text no longer finds it, the new one does */
        assert_int_equal(sw_regidx_add(ix, 1, "Ostrander", C(9), "US"), SW_OK);
        assert_int_equal(q(ix, "SUVENEER", 0, 0), SW_OK);
        assert_null(hit_of(1));
        assert_non_null(hit_of(70));
        assert_int_equal(q(ix, "OSTRANDER", 0, 0), SW_OK);
        assert_non_null(hit_of(1));
        /* removed */
        sw_regidx_remove(ix, 70);
        sw_regidx_remove(ix, 70);
        assert_int_equal(q(ix, "SUVENIR", 0, 0), SW_OK);
        assert_null(hit_of(70));
        assert_int_equal(sw_regidx_count(ix), 6);
        assert_int_equal(sw_regidx_build(ix), SW_OK);
        assert_int_equal(q(ix, "OSTRANDER", 0, 0), SW_OK);
        assert_non_null(hit_of(1));
        assert_int_equal(q(ix, "SUVENIR", 0, 0), SW_OK);
        assert_null(hit_of(70));
        sw_regidx_remove(ix, 1);
    }
    sw_regidx_free(ix);
}

/* Ranked by score, then rid; max keeps the best and total counts them all. */
static void ranked_and_bounded(void **state)
{
    struct sw_regidx *ix = sw_regidx_new();
    struct sw_regidx_hit two[2];
    size_t n, all;

    (void)state;
    assert_int_equal(sw_regidx_add(ix, 9, "Marvelon", 0, "US"), SW_OK);
    assert_int_equal(sw_regidx_add(ix, 3, "MARVELLON", 0, "US"), SW_OK);
    assert_int_equal(sw_regidx_add(ix, 5, "marvelon", 0, "EM"), SW_OK);
    assert_int_equal(sw_regidx_add(ix, 7, "Marvilon", 0, "WO"), SW_OK);
    assert_int_equal(sw_regidx_query(ix, "MARVELON", SW_NORM_MARK, 0, 0, 0.85, two, 2, &n, &all),
                     SW_OK);
    assert_int_equal(n, 2);
    assert_int_equal(all, 4);
    assert_int_equal(two[0].rid, 5);
    assert_int_equal(two[1].rid, 9);
    assert_true(two[0].score == 1.0);
    assert_int_equal(sw_regidx_query(ix, "MARVELON", SW_NORM_MARK, 0, 0, 1.0, two, 2, &n, &all),
                     SW_OK);
    assert_int_equal(all, 2);
    sw_regidx_free(ix);
}

/* A company name finds marks of its name and of its trade name. */
static void names_as_marks(void **state)
{
    struct sw_regidx *ix = sw_regidx_new();

    (void)state;
    assert_int_equal(sw_regidx_add(ix, 1, "WANNIANQING", C(19), "US"), SW_OK);
    assert_int_equal(sw_regidx_query(ix, "Jiangxi Wannianqing Cement Co., Ltd.", SW_NORM_NAME, 0, 0,
                                     SW_MATCH_THRESHOLD, hits, 64, &nhits, &total),
                     SW_OK);
    assert_non_null(hit_of(1));
    sw_regidx_free(ix);
}

static unsigned long long seed = 42;

static unsigned rnd(void)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(seed >> 33);
}

/* Over a few thousand invented marks, built and in the delta: every hit is a mark
 * sw_similarity scores at the threshold, every edit of one or two letters is found, and the
 * index's postings stay compact. */
static void agrees_with_similarity(void **state)
{
    enum { N = 3000 };
    static char marks[N][16];
    struct sw_regidx *ix = sw_regidx_new();
    size_t i, j, found = 0;

    (void)state;
    for (i = 0; i < N; i++) {
        size_t len = 6 + rnd() % 7;

        for (j = 0; j < len; j++)
            marks[i][j] = (char)("bcdfghklmnprstvz"[rnd() % 16]);
        for (j = 1; j < len; j += 2)
            marks[i][j] = (char)("aeiou"[rnd() % 5]);
        marks[i][len] = '\0';
        assert_int_equal(sw_regidx_add(ix, (uint32_t)i + 1, marks[i], C(1 + i % 45), "US"), SW_OK);
        if (i == N / 2)
            assert_int_equal(sw_regidx_build(ix), SW_OK);
    }
    for (i = 0; i < 200; i++) {
        size_t t = rnd() % N, n = strlen(marks[t]), k;
        char v[16];
        struct sw_keys a, b;
        char why[40];

        memcpy(v, marks[t], n + 1);
        v[rnd() % n] = 'x';
        if (n >= 8)
            v[rnd() % n] = 'q';
        assert_int_equal(q(ix, v, 0, 0), SW_OK);
        assert_int_equal(sw_normalise(v, SW_NORM_MARK, &a), SW_OK);
        assert_int_equal(sw_normalise(marks[t], SW_NORM_MARK, &b), SW_OK);
        if (sw_similarity(&a, &b, why, sizeof(why)) >= SW_MATCH_THRESHOLD) {
            assert_non_null(hit_of((uint32_t)t + 1));
            found++;
        }
        for (k = 0; k < nhits; k++) {
            assert_int_equal(sw_normalise(marks[hits[k].rid - 1], SW_NORM_MARK, &b), SW_OK);
            assert_true(sw_similarity(&a, &b, why, sizeof(why)) == hits[k].score);
            assert_true(hits[k].score >= SW_MATCH_THRESHOLD);
        }
    }
    assert_true(found > 100);
    assert_int_equal(sw_regidx_build(ix), SW_OK);
    assert_true(sw_regidx_postings(ix) > N);
    assert_true(sw_regidx_bytes(ix) / N < 1000);
    sw_regidx_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds_of_likeness),
        cmocka_unit_test(classes_and_offices),
        cmocka_unit_test(changes_after_queries),
        cmocka_unit_test(ranked_and_bounded),
        cmocka_unit_test(names_as_marks),
        cmocka_unit_test(agrees_with_similarity),
    };

    return cmocka_run_group_tests_name("regidx", tests, NULL, NULL);
}
