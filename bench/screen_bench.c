/* screen_bench.c — risk screening over a register of millions of marks: Seawall's index
 * (lib/regidx.c) against PostgreSQL's pg_trgm over the same marks and queries.
 *
 * Generates N marks (argv[1], default 5,000,000) from a fixed seed: invented Latin words of
 * two to four syllables, one to three words, now and then a generic word (PRO, MAX, TECH …);
 * one mark in seven Chinese (two to four characters); one to three Nice classes each, skewed
 * toward the busy ones (9, 35, 25, 42 …); offices US, CN, EM, WO, JP, KR, GB. A portfolio of
 * 100 query marks (80 Latin, 10 Chinese, 10 pinyin) has conflicts planted among the marks:
 * for each query a change of case and spacing, one edit, two edits (one, under eight
 * letters), look-alike characters (Cyrillic letters, 0 for O), a sound-alike spelling, the
 * mark with a generic word, and for Chinese and pinyin queries the other script and a
 * homophone. Every planted mark shares a class with its query and lies in one of the
 * portfolio's markets (US, EM, CN, WO).
 *
 * Seawall: the marks are added (normalised) and the index built (build_s counts both); each
 * query item is one sw_regidx_query at the matcher's threshold (0.85) in its classes and
 * markets. The peer: when PGCONN is set (bench/screen.sh starts PostgreSQL 15), the same
 * marks are COPYed into a table with their classes and office, a GIN trigram index built, and
 * each item asked `mark % $1 AND classes && $2 AND office = ANY($3)` at
 * pg_trgm.similarity_threshold = PG_THRESHOLD (default 0.3). Both answer every item after one
 * warm-up round, three rounds timed; p50 and p99 are of the per-item times (300 each).
 * Recall: planted marks found over planted marks. Prints
 * RESULT screen marks=… build_s=… bytes_per_mark=… p50_ms=… p99_ms=… recall=… pg_p50_ms=…
 * pg_recall=… speedup=… */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "seawall/buf.h"
#include "seawall/normalise.h"
#include "seawall/regidx.h"

#define NQUERY 100
#define PER_QUERY 8            /* planted conflicts per query, at most */
#define ROUNDS 3
#define MAXHITS 1000
#define THRESHOLD SW_MATCH_THRESHOLD

static unsigned long long seed = 0x5c7ee9;

static unsigned rnd(void)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(seed >> 33);
}

static double urand(void)
{
    return (rnd() & 0xffffff) / (double)0x1000000;
}

static const char *const offices[] = { "US", "CN", "EM", "WO", "JP", "KR", "GB" };
static const int office_weight[] = { 30, 30, 20, 10, 4, 3, 3 };
static const char *const markets[] = { "US", "CN", "EM", "WO" };

/* Nice classes, busiest first. */
static const int class_rank[45] = { 9, 35, 25, 42, 41, 3, 5, 30, 16, 18, 28, 21, 20, 11, 7, 43,
                                     29, 32, 44, 12, 14, 10, 33, 37, 38, 40, 45, 1, 2, 4, 6, 8,
                                     13, 15, 17, 19, 22, 23, 24, 26, 27, 31, 34, 36, 39 };

/* Chinese characters common in marks, with their readings (no character with two). Those
 * sharing a reading are homophones. */
static const struct {
    const char *han, *pinyin;
} hanzi[] = {
    { "华", "hua" }, { "为", "wei" }, { "伟", "wei" }, { "维", "wei" }, { "威", "wei" },
    { "星", "xing" }, { "兴", "xing" }, { "龙", "long" }, { "隆", "long" }, { "美", "mei" },
    { "金", "jin" }, { "天", "tian" }, { "田", "tian" }, { "海", "hai" }, { "光", "guang" },
    { "明", "ming" }, { "东", "dong" }, { "方", "fang" }, { "大", "da" }, { "达", "da" },
    { "中", "zhong" }, { "新", "xin" }, { "信", "xin" }, { "鑫", "xin" }, { "心", "xin" },
    { "力", "li" }, { "立", "li" }, { "丽", "li" }, { "宝", "bao" }, { "安", "an" },
    { "康", "kang" }, { "福", "fu" }, { "盛", "sheng" }, { "泰", "tai" }, { "恒", "heng" },
    { "顺", "shun" }, { "通", "tong" }, { "佳", "jia" }, { "嘉", "jia" }, { "家", "jia" },
    { "丰", "feng" }, { "峰", "feng" }, { "风", "feng" }, { "源", "yuan" }, { "远", "yuan" },
    { "元", "yuan" }, { "瑞", "rui" }, { "祥", "xiang" }, { "和", "he" }, { "河", "he" },
    { "昌", "chang" }, { "辉", "hui" }, { "腾", "teng" }, { "飞", "fei" }, { "凯", "kai" },
    { "宏", "hong" }, { "红", "hong" }, { "鸿", "hong" }, { "博", "bo" }, { "创", "chuang" },
    { "智", "zhi" }, { "云", "yun" }, { "山", "shan" }, { "江", "jiang" }, { "雅", "ya" },
    { "诺", "nuo" }, { "派", "pai" }, { "奇", "qi" }, { "迪", "di" }, { "思", "si" },
    { "尚", "shang" }, { "品", "pin" }, { "优", "you" }, { "特", "te" }, { "科", "ke" },
    { "莱", "lai" }, { "森", "sen" }, { "林", "lin" }, { "德", "de" }, { "仁", "ren" },
    { "青", "qing" }, { "蓝", "lan" },
};
#define NHANZI (sizeof(hanzi) / sizeof(hanzi[0]))

static const char *const generic[] = { "PRO", "MAX", "TECH", "HOME", "PLUS", "SMART", "GO",
                                       "ONE" };
static const char cons[] = "bcdfghjklmnprstvwxz";
static const char vow[] = "aeiou";
static const char *const onsets[] = { "br", "cr", "dr", "fl", "gr", "pl", "pr", "st", "tr",
                                      "sh", "ch", "th", "sk", "kl", "sp" };

struct mark {
    char *text;
    uint64_t classes;
    int office;
};

struct query {
    char text[96];
    uint64_t classes;
    int han;                   /* 1: Chinese characters, 2: pinyin in Latin letters */
    int hz[4], nhz;            /* its characters (han and pinyin queries) */
    uint32_t planted[PER_QUERY];
    int nplanted;
};

static char *xstrdup(const char *s)
{
    char *d = strdup(s);

    if (d == NULL) {
        fputs("screen-bench: out of memory\n", stderr);
        exit(1);
    }
    return d;
}

static int pick_office(void)
{
    int r = (int)(rnd() % 100), i;

    for (i = 0; r >= office_weight[i]; i++)
        r -= office_weight[i];
    return i;
}

static int pick_class(void)
{
    double u = urand();

    return class_rank[(int)(45 * u * u)];
}

static uint64_t pick_classes(void)
{
    uint64_t c = 1ULL << pick_class();
    int n = (int)(rnd() % 10), i;

    for (i = 0; i < (n < 6 ? 0 : n < 9 ? 1 : 2); i++)
        c |= 1ULL << pick_class();
    return c;
}

/* An invented word of syllables, upper case. */
static void latin_word(char *out, size_t outlen, int syll)
{
    size_t o = 0;
    int i;

    for (i = 0; i < syll && o + 6 < outlen; i++) {
        if (rnd() % 6 == 0) {
            const char *on = onsets[rnd() % (sizeof(onsets) / sizeof(onsets[0]))];

            out[o++] = on[0];
            out[o++] = on[1];
        } else {
            out[o++] = cons[rnd() % (sizeof(cons) - 1)];
        }
        out[o++] = vow[rnd() % (sizeof(vow) - 1)];
        if (rnd() % 4 == 0)
            out[o++] = cons[rnd() % (sizeof(cons) - 1)];
    }
    out[o] = '\0';
}

static void upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 32);
}

static void latin_mark(char *out, size_t outlen)
{
    int words = rnd() % 100 < 55 ? 1 : rnd() % 100 < 78 ? 2 : 3, w;
    int title = rnd() % 10 < 4;
    size_t o = 0;

    for (w = 0; w < words; w++) {
        char word[40];

        latin_word(word, sizeof(word), 2 + (int)(rnd() % (words == 1 ? 3 : 2)));
        if (!title)
            upper(word);
        else
            word[0] = (char)(word[0] - 32);
        o += (size_t)snprintf(out + o, outlen - o, "%s%s", w ? " " : "", word);
    }
    if (rnd() % 100 < 8)
        snprintf(out + o, outlen - o, " %s", generic[rnd() % 8]);
}

static void han_mark(char *out, size_t outlen, int *hz, int *nhz)
{
    int n = rnd() % 100 < 45 ? 2 : rnd() % 100 < 73 ? 3 : 4, i;
    size_t o = 0;

    for (i = 0; i < n; i++) {
        int c = (int)(rnd() % NHANZI);

        if (hz != NULL)
            hz[i] = c;
        o += (size_t)snprintf(out + o, outlen - o, "%s", hanzi[c].han);
    }
    if (nhz != NULL)
        *nhz = n;
}

/* --- variants of a query --- */

static size_t letters(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z');
    return n;
}

/* Position of the k-th letter of s. */
static size_t letter_at(const char *s, size_t k)
{
    size_t i;

    for (i = 0; s[i]; i++)
        if (((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')) && k-- == 0)
            return i;
    return 0;
}

/* One edit: a letter changed, added or dropped (not the first). */
static void one_edit(char *s, size_t cap)
{
    size_t n = letters(s), at = letter_at(s, 1 + rnd() % (n - 1)), len = strlen(s);
    char c = (char)(cons[rnd() % (sizeof(cons) - 1)] - (s[at] >= 'a' ? 0 : 32));

    switch (rnd() % 3) {
    case 0:
        s[at] = s[at] == c ? (char)(c == 'z' || c == 'Z' ? c - 1 : c + 1) : c;
        break;
    case 1:
        if (len + 2 < cap) {
            memmove(s + at + 1, s + at, len - at + 1);
            s[at] = c;
        }
        break;
    default:
        memmove(s + at, s + at + 1, len - at);
        break;
    }
}

static void case_spacing(char *s, size_t cap)
{
    size_t len = strlen(s), i, at;

    for (i = 0; i < len; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            s[i] = (char)(s[i] - 32);
        else if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] + 32);
    if (strchr(s, ' ') != NULL) {
        char *p;

        while ((p = strchr(s, ' ')) != NULL)
            memmove(p, p + 1, strlen(p));
    } else if (len + 2 < cap && letters(s) > 3) {
        at = letter_at(s, 2 + rnd() % (letters(s) - 3));
        memmove(s + at + 1, s + at, len - at + 1);
        s[at] = rnd() % 2 ? ' ' : '-';
    }
}

/* Look-alikes: one or two letters as their Cyrillic twins, or O as zero. */
static void look_alike(char *s, size_t cap)
{
    static const struct {
        char c;
        const char *u;
    } twins[] = { { 'A', "\xd0\x90" }, { 'E', "\xd0\x95" }, { 'O', "\xd0\x9e" },
                  { 'P', "\xd0\xa0" }, { 'C', "\xd0\xa1" }, { 'X', "\xd0\xa5" },
                  { 'H', "\xd0\x9d" }, { 'K', "\xd0\x9a" }, { 'M', "\xd0\x9c" },
                  { 'T', "\xd0\xa2" }, { 'B', "\xd0\x92" }, { 'a', "\xd0\xb0" },
                  { 'e', "\xd0\xb5" }, { 'o', "\xd0\xbe" }, { 'p', "\xd1\x80" },
                  { 'c', "\xd1\x81" }, { 'x', "\xd1\x85" } };
    int done = 0, want = 1 + (int)(rnd() % 2);
    size_t i, t, len;

    for (i = 0; s[i] != '\0' && done < want; i++) {
        for (t = 0; t < sizeof(twins) / sizeof(twins[0]); t++)
            if (twins[t].c == s[i] && rnd() % 2 == 0)
                break;
        if (t == sizeof(twins) / sizeof(twins[0]))
            continue;
        len = strlen(s);
        if (len + 2 >= cap)
            break;
        memmove(s + i + 2, s + i + 1, len - i);
        memcpy(s + i, twins[t].u, 2);
        i++;
        done++;
    }
    if (done == 0)
        for (i = 0; s[i] != '\0'; i++)
            if (s[i] == 'O' || s[i] == 'o') {
                s[i] = '0';
                break;
            }
}

/* Sound-alike respellings: c as k, k as c, f as ph, s as z, i as y, a doubled consonant, a
 * vowel changed. */
static void sound_alike(char *s, size_t cap)
{
    size_t len = strlen(s), i;
    int tries;

    for (tries = 0; tries < 20; tries++) {
        size_t at = letter_at(s, 1 + rnd() % (letters(s) - 1));
        char c = (char)(s[at] | 32), up = s[at] >= 'a' ? 0 : 32;

        switch (rnd() % 6) {
        case 0:
            if (c == 'c' && strchr("aou", s[at + 1] | 32)) { s[at] = (char)('k' - up); return; }
            if (c == 'k' && strchr("aou", s[at + 1] | 32)) { s[at] = (char)('c' - up); return; }
            break;
        case 1:
            if (c == 'f' && len + 2 < cap) {
                memmove(s + at + 1, s + at, len - at + 1);
                s[at] = (char)('p' - up);
                s[at + 1] = (char)('h' - up);
                return;
            }
            break;
        case 2:
            if (c == 's' && at + 1 < len && strchr("aeiou", s[at + 1] | 32)) {
                s[at] = (char)('z' - up);
                return;
            }
            break;
        case 3:
            if (c == 'i') { s[at] = (char)('y' - up); return; }
            break;
        case 4:
            if (strchr(cons, c) && len + 2 < cap && at + 1 < len && s[at + 1] != s[at]) {
                memmove(s + at + 1, s + at, len - at + 1);
                return;
            }
            break;
        default:
            if (strchr(vow, c)) {
                for (i = 0; i < 5 && vow[i] == c; i++)
                    ;
                s[at] = (char)(vow[(i + rnd() % 4) % 5] == c ? vow[(i + 1) % 5] - up
                                                              : vow[(i + rnd() % 4) % 5] - up);
                return;
            }
            break;
        }
    }
}

static void pinyin_of(const int *hz, int n, int spaced, char *out, size_t outlen)
{
    size_t o = 0;
    int i;

    for (i = 0; i < n; i++)
        o += (size_t)snprintf(out + o, outlen - o, "%s%s", spaced && i ? " " : "",
                              hanzi[hz[i]].pinyin);
    upper(out);
}

static void han_of(const int *hz, int n, char *out, size_t outlen)
{
    size_t o = 0;
    int i;

    for (i = 0; i < n; i++)
        o += (size_t)snprintf(out + o, outlen - o, "%s", hanzi[hz[i]].han);
}

/* The same characters with one swapped for a homophone (or a change of reading when it has
 * none: then the pinyin with one edit). */
static int homophone(const int *hz, int n, char *out, size_t outlen)
{
    int alt[4], i, k, c;

    memcpy(alt, hz, sizeof(alt));
    for (k = 0; k < n; k++) {
        i = (k + (int)(rnd() % (unsigned)n)) % n;
        for (c = 0; c < (int)NHANZI; c++)
            if (c != hz[i] && strcmp(hanzi[c].pinyin, hanzi[hz[i]].pinyin) == 0) {
                alt[i] = c;
                han_of(alt, n, out, outlen);
                return 1;
            }
    }
    return 0;
}

/* The planted conflicts of q, into out (each up to 96 bytes). */
static int variants(struct query *q, char out[][96])
{
    int n = 0;
    char *s;

    if (q->han) {
        if (q->han == 1) {
            pinyin_of(q->hz, q->nhz, 0, out[n++], 96);
            pinyin_of(q->hz, q->nhz, 1, out[n++], 96);
        } else {
            han_of(q->hz, q->nhz, out[n++], 96);
            sw_strlcpy(out[n], q->text, 96);
            case_spacing(out[n++], 96);
        }
        if (homophone(q->hz, q->nhz, out[n], 96))
            n++;
        pinyin_of(q->hz, q->nhz, 0, out[n], 96);
        one_edit(out[n++], 96);
        pinyin_of(q->hz, q->nhz, 0, out[n], 96);
        sound_alike(out[n++], 96);
        return n;
    }
    s = out[n++];
    sw_strlcpy(s, q->text, 96);
    case_spacing(s, 96);
    s = out[n++];
    sw_strlcpy(s, q->text, 96);
    one_edit(s, 96);
    s = out[n++];
    sw_strlcpy(s, q->text, 96);
    one_edit(s, 96);
    if (letters(q->text) >= 8)
        one_edit(s, 96);
    s = out[n++];
    sw_strlcpy(s, q->text, 96);
    look_alike(s, 96);
    s = out[n++];
    sw_strlcpy(s, q->text, 96);
    sound_alike(s, 96);
    s = out[n++];
    if (rnd() % 3 == 0)
        snprintf(s, 96, "THE %.80s", q->text);
    else
        snprintf(s, 96, "%.80s %s", q->text, generic[rnd() % 8]);
    return n;
}

static int64_t now_us(void)
{
    return sw_mono_us();
}

static int dbl_order(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof(*v), dbl_order);
    return v[(size_t)(p * (double)(n - 1) + 0.5)];
}

static int has(const uint32_t *set, size_t n, uint32_t rid)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (set[i] == rid)
            return 1;
    return 0;
}

/* --- the peer --- */

static PGconn *pg;

static void pg_ok(PGresult *r, const char *what)
{
    ExecStatusType st = PQresultStatus(r);

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN) {
        fprintf(stderr, "screen-bench: %s failed (%s)\n", what, PQerrorMessage(pg));
        exit(1);
    }
    PQclear(r);
}

static void classes_array(uint64_t c, char *out, size_t outlen)
{
    size_t o = 0;
    int i;

    o += (size_t)snprintf(out, outlen, "{");
    for (i = 1; i <= 45; i++)
        if (c >> i & 1)
            o += (size_t)snprintf(out + o, outlen - o, "%s%d", o > 1 ? "," : "", i);
    snprintf(out + o, outlen - o, "}");
}

static void pg_load(const struct mark *m, size_t n)
{
    struct sw_buf b;
    char cls[160], line[256];
    size_t i;
    int64_t t0 = now_us();

    pg_ok(PQexec(pg, "SET client_min_messages = warning"), "SET");
    pg_ok(PQexec(pg, "CREATE EXTENSION IF NOT EXISTS pg_trgm"), "CREATE EXTENSION");
    pg_ok(PQexec(pg, "DROP TABLE IF EXISTS marks"), "DROP TABLE");
    pg_ok(PQexec(pg, "CREATE UNLOGGED TABLE marks (id integer PRIMARY KEY, mark text NOT NULL, "
                     "classes integer[] NOT NULL, office text NOT NULL)"),
          "CREATE TABLE");
    pg_ok(PQexec(pg, "COPY marks (id, mark, classes, office) FROM STDIN"), "COPY");
    sw_buf_init(&b, 1 << 22);
    for (i = 1; i <= n; i++) {
        classes_array(m[i].classes, cls, sizeof(cls));
        /* the marks hold no tab, newline or backslash: COPY's text format takes them as is */
        snprintf(line, sizeof(line), "%zu\t%s\t%s\t%s\n", i, m[i].text, cls,
                 offices[m[i].office]);
        if (b.len + strlen(line) >= (1 << 22) - 1) {
            if (PQputCopyData(pg, b.p, (int)b.len) != 1) {
                fprintf(stderr, "screen-bench: COPY failed (%s)\n", PQerrorMessage(pg));
                exit(1);
            }
            b.len = 0;
        }
        sw_buf_add(&b, line, strlen(line));
    }
    if (PQputCopyData(pg, b.p, (int)b.len) != 1 || PQputCopyEnd(pg, NULL) != 1) {
        fprintf(stderr, "screen-bench: COPY failed (%s)\n", PQerrorMessage(pg));
        exit(1);
    }
    sw_buf_free(&b);
    pg_ok(PQgetResult(pg), "COPY end");
    fprintf(stderr, "screen-bench: peer loaded %zu marks in %.1f s\n", n,
            (double)(now_us() - t0) / 1e6);
    t0 = now_us();
    pg_ok(PQexec(pg, "CREATE INDEX marks_trgm ON marks USING gin (mark gin_trgm_ops)"),
          "CREATE INDEX");
    pg_ok(PQexec(pg, "ANALYZE marks"), "ANALYZE");
    fprintf(stderr, "screen-bench: peer's trigram index built in %.1f s\n",
            (double)(now_us() - t0) / 1e6);
}

/* Asks the peer for q; the rids found into found (up to MAXHITS). */
static size_t pg_query(const struct query *q, uint32_t *found)
{
    char cls[160];
    const char *params[3];
    PGresult *r;
    size_t n, i;

    classes_array(q->classes, cls, sizeof(cls));
    params[0] = q->text;
    params[1] = cls;
    params[2] = "{US,CN,EM,WO}";
    r = PQexecPrepared(pg, "screen", 3, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "screen-bench: query failed (%s)\n", PQerrorMessage(pg));
        exit(1);
    }
    n = (size_t)PQntuples(r);
    for (i = 0; i < n && i < MAXHITS; i++)
        found[i] = (uint32_t)strtoul(PQgetvalue(r, (int)i, 0), NULL, 10);
    PQclear(r);
    return i;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 5000000, i, k, planted = 0;
    const char *conn = getenv("PGCONN"), *pth = getenv("PG_THRESHOLD");
    double threshold_pg = pth != NULL ? atof(pth) : 0.3;
    struct mark *m;
    static struct query qs[NQUERY];
    struct sw_regidx *ix = sw_regidx_new();
    static struct sw_regidx_hit hits[MAXHITS];
    static uint32_t found[MAXHITS];
    static double t_sw[NQUERY * ROUNDS], t_pg[NQUERY * ROUNDS];
    size_t got_sw = 0, got_pg = 0, nh, tot;
    uint64_t mask;
    int64_t t0, t_add;
    double build_s, p50 = 0, p99 = 0, pg50 = 0, pg99 = 0;
    int round;

    if (n < 10000 || n >= UINT32_MAX || ix == NULL || (m = calloc(n + 1, sizeof(*m))) == NULL) {
        fputs("usage: screen-bench [MARKS ≥ 10000]\n", stderr);
        return 2;
    }
    /* The marks (rid 1 .. n), then the portfolio and its planted conflicts over them. */
    for (i = 1; i <= n; i++) {
        char t[128];

        if (rnd() % 7 == 0)
            han_mark(t, sizeof(t), NULL, NULL);
        else
            latin_mark(t, sizeof(t));
        m[i].text = xstrdup(t);
        m[i].classes = pick_classes();
        m[i].office = pick_office();
    }
    for (k = 0; k < NQUERY; k++) {
        struct query *q = &qs[k];
        char v[PER_QUERY][96];
        int nv, j;

        q->classes = 1ULL << pick_class();
        if (rnd() % 2)
            q->classes |= 1ULL << pick_class();
        if (k < 80) {
            do
                latin_mark(q->text, sizeof(q->text));
            while (letters(q->text) < 6);
        } else {
            han_mark(q->text, sizeof(q->text), q->hz, &q->nhz);
            if (k >= 90) {
                q->han = 2;
                pinyin_of(q->hz, q->nhz, 0, q->text, sizeof(q->text));
            } else {
                q->han = 1;
            }
        }
        nv = variants(q, v);
        for (j = 0; j < nv && j < PER_QUERY; j++) {
            uint32_t rid = (uint32_t)(1 + (k * PER_QUERY + (size_t)j) * (n / (NQUERY * PER_QUERY)));
            int c;

            free(m[rid].text);
            m[rid].text = xstrdup(v[j]);
            for (c = 1; c <= 45 && !(q->classes >> c & 1); c++)
                ;
            m[rid].classes = (1ULL << c) | (rnd() % 2 ? 1ULL << pick_class() : 0);
            m[rid].office = (int)(rnd() % 4);   /* US, CN, EM, WO */
            q->planted[q->nplanted++] = rid;
            planted++;
        }
    }
    fprintf(stderr, "screen-bench: %zu marks generated, %zu conflicts planted\n", n, planted);

    t0 = now_us();
    for (i = 1; i <= n; i++)
        if (sw_regidx_add(ix, (uint32_t)i, m[i].text, m[i].classes, offices[m[i].office]) !=
            SW_OK) {
            fprintf(stderr, "screen-bench: add \"%s\" failed\n", m[i].text);
            return 1;
        }
    t_add = now_us();
    if (sw_regidx_build(ix) != SW_OK) {
        fputs("screen-bench: build failed\n", stderr);
        return 1;
    }
    build_s = (double)(now_us() - t0) / 1e6;
    fprintf(stderr, "screen-bench: index of %zu marks built in %.1f s (adding, normalised: "
                    "%.1f s; postings: %.1f s), %zu bytes, %zu postings\n",
            sw_regidx_count(ix), build_s, (double)(t_add - t0) / 1e6,
            (double)(now_us() - t_add) / 1e6, sw_regidx_bytes(ix), sw_regidx_postings(ix));
    mask = sw_regidx_offices(ix, markets, 4);
    for (round = -1; round < ROUNDS; round++)
        for (k = 0; k < NQUERY; k++) {
            int64_t t = now_us();

            if (sw_regidx_query(ix, qs[k].text, SW_NORM_MARK, qs[k].classes, mask, THRESHOLD, hits,
                                MAXHITS, &nh, &tot) != SW_OK) {
                fprintf(stderr, "screen-bench: query \"%s\" failed\n", qs[k].text);
                return 1;
            }
            if (round < 0)
                continue;
            t_sw[round * NQUERY + (int)k] = (double)(now_us() - t) / 1e3;
            if (round == 0) {
                int j;

                for (i = 0; i < nh; i++)
                    found[i] = hits[i].rid;
                for (j = 0; j < qs[k].nplanted; j++)
                    got_sw += has(found, nh, qs[k].planted[j]);
            }
        }
    p50 = pct(t_sw, NQUERY * ROUNDS, 0.5);
    p99 = pct(t_sw, NQUERY * ROUNDS, 0.99);
    fprintf(stderr, "screen-bench: seawall p50 %.3f ms p99 %.3f ms recall %zu/%zu\n", p50, p99,
            got_sw, planted);
    if (getenv("SCREEN_MISSES") != NULL)
        for (k = 0; k < NQUERY; k++) {
            int j;

            sw_regidx_query(ix, qs[k].text, SW_NORM_MARK, qs[k].classes, mask, THRESHOLD, hits,
                            MAXHITS, &nh, &tot);
            for (i = 0; i < nh; i++)
                found[i] = hits[i].rid;
            for (j = 0; j < qs[k].nplanted; j++)
                if (!has(found, nh, qs[k].planted[j]))
                    fprintf(stderr, "  missed: %s -> %s\n", qs[k].text, m[qs[k].planted[j]].text);
        }

    if (conn != NULL) {
        char set[64];

        pg = PQconnectdb(conn);
        if (PQstatus(pg) != CONNECTION_OK) {
            fprintf(stderr, "screen-bench: connect to PostgreSQL failed (%s)\n",
                    PQerrorMessage(pg));
            return 1;
        }
        pg_load(m, n);
        snprintf(set, sizeof(set), "SET pg_trgm.similarity_threshold = %.2f", threshold_pg);
        pg_ok(PQexec(pg, set), "SET");
        pg_ok(PQprepare(pg, "screen",
                        "SELECT id FROM marks WHERE mark % $1 AND classes && $2::integer[] "
                        "AND office = ANY($3::text[]) LIMIT 1000",
                        3, NULL),
              "PREPARE");
        for (round = -1; round < ROUNDS; round++)
            for (k = 0; k < NQUERY; k++) {
                int64_t t = now_us();

                nh = pg_query(&qs[k], found);
                if (round < 0)
                    continue;
                t_pg[round * NQUERY + (int)k] = (double)(now_us() - t) / 1e3;
                if (round == 0) {
                    int j;

                    for (j = 0; j < qs[k].nplanted; j++)
                        got_pg += has(found, nh, qs[k].planted[j]);
                }
            }
        pg50 = pct(t_pg, NQUERY * ROUNDS, 0.5);
        pg99 = pct(t_pg, NQUERY * ROUNDS, 0.99);
        fprintf(stderr, "screen-bench: peer (threshold %.2f) p50 %.3f ms p99 %.3f ms recall "
                        "%zu/%zu\n", threshold_pg, pg50, pg99, got_pg, planted);
        PQfinish(pg);
    }
    printf("RESULT screen marks=%zu build_s=%.1f bytes_per_mark=%.0f p50_ms=%.3f p99_ms=%.3f "
           "recall=%.3f pg_p50_ms=%.3f pg_recall=%.3f speedup=%.1f\n",
           n, build_s, (double)sw_regidx_bytes(ix) / (double)n, p50, p99,
           (double)got_sw / (double)planted, pg50, (double)got_pg / (double)planted,
           p50 > 0 && pg50 > 0 ? pg50 / p50 : 0.0);
    sw_regidx_free(ix);
    for (i = 1; i <= n; i++)
        free(m[i].text);
    free(m);
    return 0;
}
