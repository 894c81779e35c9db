/* company.c — a company name parsed into its parts, in Chinese and in Latin letters alike:
 * listing marker (ST, *ST), places (province, city, district: 江西, "Shenzhen", "（北京）",
 * "of Zhuhai"), trade name (字号), industry words (科技 technology, 电器 electric appliances)
 * and legal form (有限公司, "Co., Ltd."). The trade name decides whether two names are one
 * company: the same trade name — the same letters, or Chinese characters whose pinyin is the
 * Latin name — with industries and places that do not contradict each other.
 *
 * A name is cut into units — each Chinese character, each Latin word — and the tables of
 * lib/company_words.c are matched against runs of units: legal forms, industry words and
 * places are taken from the end, places (each within the province of the one before) from
 * the start; what is left is the trade name. A name that is all place and industry (上海电气,
 * "Bank of China") takes its most specific place as trade name, and then needs the same
 * industries as the name it is compared with. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "seawall/common.h"
#include "seawall/normalise.h"
#include "company.h"
#include "company_words.h"
#include "legal_forms.h"

#define UNITS_MAX 96
#define PLACES_MAX 8
#define CODES_MAX 8
#define PART_MAX 64
#define SEP '\x1f'    /* between the fields of a packed key */

enum { T_WORD_ZH, T_WORD_EN, T_PLACE_ZH, T_PLACE_EN, T_LEGAL_ZH, T_LEGAL_EN };

/* --- the tables, hashed once ------------------------------------------------------------ */

struct hent {
    const char *key;
    uint32_t h;         /* hash_key(key) */
    int32_t next;       /* next entry in the bucket, -1: none */
    uint16_t idx;       /* into the table the type names */
    uint8_t type;
};

#define HSLOTS 4096     /* a power of two, about four times the entries */

static struct hent *hents;
static size_t nhents;
static int32_t hslot[HSLOTS];   /* first entry of each bucket, -1: none */
static int16_t *prov_of;        /* per place: its province's index, -1 for the country */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static uint32_t hash_key(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void add_key(const char *key, int type, size_t idx)
{
    uint32_t h = hash_key(key), b = h & (HSLOTS - 1);

    hents[nhents].key = key;
    hents[nhents].h = h;
    hents[nhents].type = (uint8_t)type;
    hents[nhents].idx = (uint16_t)idx;
    hents[nhents].next = hslot[b];
    hslot[b] = (int32_t)nhents++;
}

/* Builds the hash of every table. The Latin spellings of a place ("xiamen|amoy") are split
 * into a copy that lives as long as the process. On a failed allocation the tables stay
 * empty: names are then compared by their letters alone. */
static void tables_init(void)
{
    size_t n = 0, bytes = 0, i, level1 = 0;
    const struct sw_co_place *pl;
    char *arena, *a;

    for (i = 0; i < HSLOTS; i++)
        hslot[i] = -1;
    for (i = 0; sw_co_words_zh[i].text != NULL; i++)
        n++;
    for (i = 0; sw_co_words_en[i].text != NULL; i++)
        n++;
    for (i = 0; sw_legal_forms[i].form != NULL; i++)
        n++;
    for (pl = sw_co_places; pl->han != NULL; pl++) {
        n += 2;
        bytes += strlen(pl->latin) + 1;
        for (a = (char *)pl->latin; *a != '\0'; a++)
            n += *a == '|';
    }
    hents = malloc(n * sizeof(*hents));
    arena = malloc(bytes);
    prov_of = malloc((size_t)(pl - sw_co_places) * sizeof(*prov_of));
    if (hents == NULL || arena == NULL || prov_of == NULL) {
        free(hents);
        free(arena);
        free(prov_of);
        hents = NULL;
        prov_of = NULL;
        return;
    }
    for (i = 0; sw_co_words_zh[i].text != NULL; i++)
        add_key(sw_co_words_zh[i].text, T_WORD_ZH, i);
    for (i = 0; sw_co_words_en[i].text != NULL; i++)
        add_key(sw_co_words_en[i].text, T_WORD_EN, i);
    for (i = 0; sw_legal_forms[i].form != NULL; i++)
        add_key(sw_legal_forms[i].form,
                (unsigned char)sw_legal_forms[i].form[0] >= 0x80 ? T_LEGAL_ZH : T_LEGAL_EN, i);
    a = arena;
    for (i = 0, pl = sw_co_places; pl->han != NULL; pl++, i++) {
        char *start = a;

        if (pl->level == 1)
            level1 = i;
        prov_of[i] = pl->level == 0 ? -1 : (int16_t)level1;
        add_key(pl->han, T_PLACE_ZH, i);
        memcpy(a, pl->latin, strlen(pl->latin) + 1);
        for (; *a != '\0'; a++) {
            if (*a == '|') {
                *a = '\0';
                add_key(start, T_PLACE_EN, i);
                start = a + 1;
            }
        }
        add_key(start, T_PLACE_EN, i);
        a++;
    }
}

/* The next entry of type for key after entry after (-1: the first), or -1. */
static int find(const char *key, int type, int after)
{
    uint32_t h;
    int32_t e;

    if (hents == NULL)
        return -1;
    h = hash_key(key);
    e = after < 0 ? hslot[h & (HSLOTS - 1)] : hents[after].next;
    for (; e >= 0; e = hents[e].next)
        if (hents[e].h == h && hents[e].type == type && strcmp(hents[e].key, key) == 0)
            return e;
    return -1;
}

/* --- one name's parse ------------------------------------------------------------------- */

struct unit {
    uint16_t off;       /* into buf */
    uint8_t len, han;   /* bytes; 1 for a Chinese character, 0 for a Latin word */
};

struct place {
    int ent;            /* into sw_co_places */
    int ambiguous;      /* a Latin spelling two places share: which one is not known */
};

struct parse {
    char buf[2048];
    size_t used;
    struct unit u[UNITS_MAX];
    int n, lo, hi;                      /* units; what is left is [lo, hi) */
    struct place pl[PLACES_MAX];
    int npl;
    uint8_t codes[CODES_MAX];
    int ncodes;
    int last_word_lo, last_word_hi;     /* the last industry word taken from the end */
    uint8_t last_codes[2];
    uint8_t lead;                       /* the industry word nearest the trade name that
                                         * names an industry (not a modifier), or 0 */
    int marker;
};

static int add_unit(struct parse *p, const char *s, size_t len, int han)
{
    if (p->n >= UNITS_MAX || len == 0 || len > 255 || p->used + len + 1 > sizeof(p->buf))
        return SW_TOOBIG;
    memcpy(p->buf + p->used, s, len);
    p->buf[p->used + len] = '\0';
    p->u[p->n].off = (uint16_t)p->used;
    p->u[p->n].len = (uint8_t)len;
    p->u[p->n].han = (uint8_t)han;
    p->used += len + 1;
    p->n++;
    return SW_OK;
}

static const char *utext(const struct parse *p, int i)
{
    return p->buf + p->u[i].off;
}

static int is_han(UChar32 c)
{
    return c >= 0x2e80 && u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC);
}

/* A run of letters and digits that are not Chinese characters: Latin words as they are,
 * other scripts transliterated into Latin words first. */
static void add_run(struct parse *p, const char *s, size_t len, int ascii)
{
    char words[512], *w, *save = NULL;

    if (ascii) {
        add_unit(p, s, len, 0);
        return;
    }
    if (sw_norm_latin(s, len, words, sizeof(words)) != SW_OK)
        return;
    for (w = strtok_r(words, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
        add_unit(p, w, strlen(w), 0);
}

/* Cuts the folded text into units: each Chinese character one, each word of other letters
 * and digits one (spaces and punctuation are already spaces). */
static void split(struct parse *p, const char *s)
{
    int32_t i = 0, len = (int32_t)strlen(s), run = -1;
    int ascii = 1;

    for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
        ;
    if (i == len) {   /* plain ASCII: words between spaces */
        for (i = 0; i < len; i++) {
            int32_t j = i;

            while (j < len && s[j] != ' ')
                j++;
            if (j > i)
                add_unit(p, s + i, (size_t)(j - i), 0);
            i = j;
        }
        return;
    }
    i = 0;
    while (i <= len) {
        int32_t start = i;
        UChar32 c = 0;

        if (i < len)
            U8_NEXT(s, i, len, c);
        else
            i++;
        if (i > len || c == ' ' || c < 0 || is_han(c)) {
            if (run >= 0)
                add_run(p, s + run, (size_t)(start - run), ascii);
            run = -1;
            ascii = 1;
            if (i <= len && c > 0 && is_han(c))
                add_unit(p, s + start, (size_t)(i - start), 1);
            continue;
        }
        if (run < 0)
            run = start;
        ascii &= c < 0x80;
    }
}

/* Units [i, j) into out: Chinese characters run together, Latin words joined with sep (or
 * run together when sep is 0). 0 when they are not all of one script (han 1: Chinese) or do
 * not fit. */
static int join(const struct parse *p, int i, int j, int han, char sep, char *out, size_t n)
{
    size_t o = 0;
    int k;

    if (i < 0 || j > p->n || i >= j)
        return 0;
    for (k = i; k < j; k++) {
        if (p->u[k].han != han)
            return 0;
        if (k > i && sep != '\0' && !han) {
            if (o + 1 >= n)
                return 0;
            out[o++] = sep;
        }
        if (o + p->u[k].len >= n)
            return 0;
        memcpy(out + o, utext(p, k), p->u[k].len);
        o += p->u[k].len;
    }
    out[o] = '\0';
    return 1;
}

static int is_word(const struct parse *p, int i, const char *w)
{
    return i >= 0 && i < p->n && !p->u[i].han && strcmp(utext(p, i), w) == 0;
}

static void add_code(struct parse *p, uint8_t code)
{
    int i;

    if (code == 0)
        return;
    for (i = 0; i < p->ncodes; i++)
        if (p->codes[i] == code)
            return;
    if (p->ncodes < CODES_MAX)
        p->codes[p->ncodes++] = code;
}

static void add_place(struct parse *p, int ent, int ambiguous)
{
    if (p->npl < PLACES_MAX) {
        p->pl[p->npl].ent = ent;
        p->pl[p->npl].ambiguous = ambiguous;
        p->npl++;
    }
}

/* Units a legal form takes at the end of what is left, or 0. */
static int legal_end(const struct parse *p)
{
    char key[128];
    int k;

    for (k = p->hi - p->lo < 5 ? p->hi - p->lo : 5; k >= 1; k--) {
        if (join(p, p->hi - k, p->hi, 0, ' ', key, sizeof(key)) && find(key, T_LEGAL_EN, -1) >= 0)
            return k;
        if (join(p, p->hi - k, p->hi, 1, 0, key, sizeof(key)) && find(key, T_LEGAL_ZH, -1) >= 0)
            return k;
    }
    return 0;
}

/* Units an industry word takes at the end of what is left, or 0; *w its entry. The longest
 * word wins. */
static int word_end(const struct parse *p, const struct sw_co_word **w)
{
    char key[128];
    int k, e;

    for (k = p->hi - p->lo < 6 ? p->hi - p->lo : 6; k >= 1; k--) {
        if (k <= 4 && join(p, p->hi - k, p->hi, 0, ' ', key, sizeof(key)) &&
            (e = find(key, T_WORD_EN, -1)) >= 0) {
            *w = &sw_co_words_en[hents[e].idx];
            return k;
        }
        if (join(p, p->hi - k, p->hi, 1, 0, key, sizeof(key)) &&
            (e = find(key, T_WORD_ZH, -1)) >= 0) {
            *w = &sw_co_words_zh[hents[e].idx];
            return k;
        }
    }
    return 0;
}

/* Units a suffix a place of level takes (市, 省, 自治区 …) spans at units [i, end), or 0;
 * whole: only a suffix that reaches end. */
static int suffix_at(const struct parse *p, int i, int end, int level, int whole)
{
    const struct sw_co_suffix *s;
    char key[64];
    int k;

    for (k = end - i < 6 ? end - i : 6; k >= 1; k--) {
        if (!join(p, i, i + k, 1, 0, key, sizeof(key)) || (whole && i + k != end))
            continue;
        for (s = sw_co_place_suffixes; s->text != NULL; s++)
            if ((s->levels >> level & 1) && strcmp(s->text, key) == 0)
                return k;
    }
    return 0;
}

/* The place whose Latin spelling is the words [i, i + k), or Chinese name is them:
 * its entry, consistent with province prov (-1: any) when one is; -1 when none. *ambiguous
 * is set when the spelling names places in different provinces and none is known. */
static int place_at(const struct parse *p, int i, int k, int prov, int *ambiguous)
{
    char key[64];
    int e, first = -1, han = p->u[i].han;

    *ambiguous = 0;
    if (!join(p, i, i + k, han, ' ', key, sizeof(key)))
        return -1;
    for (e = find(key, han ? T_PLACE_ZH : T_PLACE_EN, -1); e >= 0;
         e = find(key, han ? T_PLACE_ZH : T_PLACE_EN, e)) {
        int ent = hents[e].idx;

        if (prov >= 0 && sw_co_places[ent].level > 0 && prov_of[ent] != prov)
            continue;
        if (first >= 0 && prov_of[first] != prov_of[ent])
            *ambiguous = 1;
        if (first < 0)
            first = ent;
    }
    return first;
}

/* Units a place takes at the end of what is left (with its suffix, and "of" before it), or
 * 0; *ent and *ambiguous say which. */
static int place_end(const struct parse *p, int *ent, int *ambiguous)
{
    int k, suf, n = p->hi - p->lo;

    for (suf = 0; suf <= 6 && suf < n; suf++) {   /* a Chinese place may end in 市, 省 … */
        if (suf > 0 && !p->u[p->hi - 1].han)
            break;
        for (k = n - suf < 4 ? n - suf : 4; k >= 1; k--) {
            int at = p->hi - suf - k;

            if ((p->u[at].han && k < 2) || (suf > 0 && !p->u[at].han))
                continue;
            if ((*ent = place_at(p, at, k, -1, ambiguous)) < 0)
                continue;
            if (suf > 0 && suffix_at(p, p->hi - suf, p->hi, sw_co_places[*ent].level, 1) != suf)
                continue;
            return k + suf + (is_word(p, at - 1, "of") && at - 1 >= p->lo ? 1 : 0);
        }
    }
    return 0;
}

/* Places at the start of what is left, each within the province of the one before
 * ("Inner Mongolia Yili": Yili is not a place there), and a Chinese district (宝安区) after
 * them. */
static void places_start(struct parse *p)
{
    int prov = -1, any = 0;

    while (p->lo < p->hi) {
        int k, ent = -1, amb = 0, took = 0;

        if (is_word(p, p->lo, "the")) {
            p->lo++;
            continue;
        }
        for (k = p->hi - p->lo < 4 ? p->hi - p->lo : 4; k >= 1 && ent < 0; k--) {
            if (p->u[p->lo].han && k < 2)
                break;
            if ((ent = place_at(p, p->lo, k, prov, &amb)) >= 0)
                took = k;
        }
        if (ent >= 0) {
            add_place(p, ent, amb);
            if (sw_co_places[ent].level > 0 && !amb)
                prov = prov_of[ent];
            p->lo += took;
            if (p->u[p->lo - 1].han)
                p->lo += suffix_at(p, p->lo, p->hi, sw_co_places[ent].level, 0);
            any = 1;
            continue;
        }
        /* A district or county after a place: two to four characters and 区, 县 or 镇. */
        if (any && p->u[p->lo].han) {
            for (k = 2; k <= 4 && p->lo + k + 1 < p->hi; k++) {
                const char *t = utext(p, p->lo + k);

                if (!p->u[p->lo + k].han)
                    break;
                if (strcmp(t, "区") == 0 || strcmp(t, "县") == 0 || strcmp(t, "镇") == 0) {
                    p->lo += k + 1;
                    took = 1;
                    break;
                }
            }
            if (took)
                continue;
        }
        break;
    }
}

/* Takes legal forms, industry words, places and "and" from the end, as long as one is
 * there. */
static void strip_end(struct parse *p)
{
    int changed = 1;

    while (changed && p->hi > p->lo) {
        const struct sw_co_word *w;
        int k, ent, amb;

        changed = 0;
        if ((k = legal_end(p)) > 0) {
            p->hi -= k;
            changed = 1;
        } else if ((k = place_end(p, &ent, &amb)) > 0) {
            add_place(p, ent, amb);
            p->hi -= k;
            changed = 1;
        } else if ((k = word_end(p, &w)) > 0) {
            add_code(p, w->code);
            add_code(p, w->code2);
            if (w->code != 0) {
                p->last_word_lo = p->hi - k;
                p->last_word_hi = p->hi;
                p->last_codes[0] = w->code;
                p->last_codes[1] = w->code2;
                if (!sw_co_codes[w->code].modifier)
                    p->lead = w->code;
            }
            p->hi -= k;
            changed = 1;
        } else if (p->hi - p->lo > 1 && is_word(p, p->hi - 1, "and")) {
            p->hi--;
            changed = 1;
        }
    }
}

/* A listing marker at the start of the folded text (ST, *ST, S*ST, SST: the exchange's
 * warnings, not part of the name) is skipped. raw is the text as written: the star is gone
 * from the folded text, and a bare "ST" counts only before a Chinese character. Returns
 * where the name begins. */
static const char *skip_marker(const char *raw, const char *s, int *marker)
{
    int star = 0;
    const char *q = s, *r;

    while (*raw == ' ')
        raw++;
    if (*raw == 's' || *raw == 'S')
        raw++;
    star = *raw == '*' || strncmp(raw, "\xef\xbc\x8a", 3) == 0;   /* * or ＊ */
    while (*q == ' ')
        q++;
    if (star && q[0] == 's' && q[1] == ' ')
        q += 2;   /* "S*ST": the S and the ST were split by the star */
    while (*q == ' ')
        q++;
    if (strncmp(q, "sst", 3) == 0)
        r = q + 3;
    else if (strncmp(q, "st", 2) == 0)
        r = q + 2;
    else
        return s;
    if (*r != ' ' && (unsigned char)*r < 0x80 && *r != '\0')
        return s;   /* "stanley": a word that begins with st */
    while (*r == ' ')
        r++;
    if (*r == '\0')
        return s;
    if (!star) {
        UChar32 c;
        int32_t i = 0, len = (int32_t)strlen(r);

        U8_NEXT(r, i, len, c);
        if (c < 0 || !is_han(c))
            return s;
    }
    *marker = 1;
    return r;
}

static int cmp_u8(const void *a, const void *b)
{
    return (int)*(const uint8_t *)a - (int)*(const uint8_t *)b;
}

/* Text appended to a bounded buffer; over is set when something did not fit. */
struct out {
    char *p;
    size_t n, o;
    int over;
};

static void put(struct out *o, const char *s, size_t len)
{
    if (o->o + len + 1 > o->n) {
        o->over = 1;
        return;
    }
    memcpy(o->p + o->o, s, len);
    o->o += len;
    o->p[o->o] = '\0';
}

static void put_hex(struct out *o, unsigned v)
{
    static const char hex[] = "0123456789abcdef";
    char b[2] = { hex[v >> 4 & 15], hex[v & 15] };

    put(o, b, 2);
}

/* Appends the province and city names of p's places (but the one that is its trade name),
 * as "provinces<SEP>cities", each list space-separated and each name once. */
static void put_places(struct out *o, const struct parse *p, int trade_place)
{
    int i, j, pass, done[PLACES_MAX], ndone;

    for (pass = 0; pass < 2; pass++) {
        if (pass == 1)
            put(o, "\x1f", 1);
        ndone = 0;
        for (i = 0; i < p->npl; i++) {
            int ent = p->pl[i].ent, dup = 0;
            const struct sw_co_place *pl;

            if (i == trade_place || sw_co_places[ent].level == 0)
                continue;
            if (pass == 0 && p->pl[i].ambiguous)
                continue;   /* which province is not known */
            if (pass == 1 && sw_co_places[ent].level < 2)
                continue;
            if (pass == 0)
                ent = prov_of[ent];
            for (j = 0; j < ndone; j++)
                dup |= done[j] == ent;
            if (dup)
                continue;
            pl = &sw_co_places[ent];
            if (ndone > 0)
                put(o, " ", 1);
            put(o, pl->latin, strcspn(pl->latin, "|"));
            done[ndone++] = ent;
        }
    }
}

int sw_company_parse(const char *text, char *packed, size_t n)
{
    struct parse parse, *p = &parse;
    char fold[1024], trade[PART_MAX], han[PART_MAX];
    struct out o = { packed, n, 0, 0 };
    const char *s;
    size_t t = 0, h = 0;
    int i, trade_place = -1, rc = SW_INVALID, allhan = 1;

    packed[0] = '\0';
    pthread_once(&tables_once, tables_init);
    if (text == NULL || sw_norm_fold(text, fold, sizeof(fold)) != SW_OK)
        return SW_INVALID;
    for (s = fold; *s != '\0' && (unsigned char)*s < 0x80; s++)
        ;
    if (*s != '\0') {
        char simple[sizeof(fold)];

        /* in simplified characters, as the tables are written: 華為技術 is 华为技术 */
        if (sw_norm_simplified(fold, strlen(fold), simple, sizeof(simple)) == SW_OK)
            memcpy(fold, simple, strlen(simple) + 1);
        sw_norm_drop_cjk_forms(fold);   /* 有限公司, 株式会社, 주식회사 … at either end */
    }
    p->used = 0;
    p->n = p->lo = p->hi = p->npl = p->ncodes = p->marker = 0;
    p->lead = 0;
    s = skip_marker(text, fold, &p->marker);
    split(p, s);
    if (p->n == 0)
        goto out;
    p->hi = p->n;
    p->last_word_lo = -1;
    strip_end(p);
    places_start(p);
    if (p->lo >= p->hi) {
        /* No trade name of its own: its most specific place is one (上海电气, "Bank of
         * China"); without a place, the industry word nearest the front is (交通银行). */
        for (i = 0; i < p->npl; i++)
            if (trade_place < 0 ||
                sw_co_places[p->pl[i].ent].level >= sw_co_places[p->pl[trade_place].ent].level)
                trade_place = i;
        if (trade_place < 0 && p->last_word_lo >= 0) {
            int k, m = 0;

            p->lo = p->last_word_lo;
            p->hi = p->last_word_hi;
            for (k = 0; k < p->ncodes; k++)
                if (p->codes[k] != p->last_codes[0] && p->codes[k] != p->last_codes[1])
                    p->codes[m++] = p->codes[k];
            p->ncodes = m;
            p->lead = 0;
        } else if (trade_place < 0) {
            p->lo = 0;
            p->hi = p->n;
        }
    }
    if (trade_place >= 0) {
        const char *l = sw_co_places[p->pl[trade_place].ent].latin;

        t = strcspn(l, "|");
        if (t >= sizeof(trade))
            t = sizeof(trade) - 1;
        memcpy(trade, l, t);
        allhan = 0;
    } else {
        for (i = p->lo; i < p->hi; i++) {
            if (!p->u[i].han) {
                allhan = 0;
                if (t + p->u[i].len < sizeof(trade)) {
                    memcpy(trade + t, utext(p, i), p->u[i].len);
                    t += p->u[i].len;
                }
                continue;
            }
            {   /* a run of Chinese characters, in pinyin run together */
                char run[PART_MAX * 3], words[PART_MAX * 4];
                size_t r = 0, k;
                int j;

                for (j = i; j < p->hi && p->u[j].han; j++) {
                    if (r + p->u[j].len < sizeof(run)) {
                        memcpy(run + r, utext(p, j), p->u[j].len);
                        r += p->u[j].len;
                    }
                    if (h + p->u[j].len < sizeof(han)) {
                        memcpy(han + h, utext(p, j), p->u[j].len);
                        h += p->u[j].len;
                    }
                }
                i = j - 1;
                if (sw_norm_latin(run, r, words, sizeof(words)) != SW_OK)
                    continue;
                for (k = 0; words[k] != '\0' && t + 1 < sizeof(trade); k++)
                    if (words[k] != ' ')
                        trade[t++] = words[k];
            }
        }
    }
    trade[t] = '\0';
    han[allhan ? h : 0] = '\0';
    if (t == 0)
        goto out;
    qsort(p->codes, (size_t)p->ncodes, 1, cmp_u8);
    put(&o, trade, t);
    put(&o, "\x1f", 1);
    put(&o, han, strlen(han));
    put(&o, "\x1f", 1);
    for (i = 0; i < p->ncodes; i++)
        put_hex(&o, p->codes[i]);
    put(&o, "\x1f", 1);
    if (p->lead != 0)
        put_hex(&o, p->lead);
    put(&o, "\x1f", 1);
    put_places(&o, p, trade_place);
    put(&o, "\x1f", 1);
    if (trade_place >= 0)
        put(&o, "p", 1);
    if (p->marker)
        put(&o, "m", 1);
    if (o.over)
        packed[0] = '\0';
    else
        rc = SW_OK;
out:
    return rc;
}

/* --- comparing two parsed names ---------------------------------------------------------- */

enum { F_TRADE, F_HAN, F_CODES, F_LEAD, F_PROVINCES, F_CITIES, F_FLAGS, F_COUNT };

struct view {
    const char *f[F_COUNT];
    size_t len[F_COUNT];
};

static int view_of(const char *packed, struct view *v)
{
    int i;

    for (i = 0; i < F_COUNT; i++) {
        v->f[i] = packed;
        v->len[i] = strcspn(packed, "\x1f");
        packed += v->len[i];
        if (*packed == SEP)
            packed++;
        else if (i < F_COUNT - 1)
            return -1;
    }
    return v->len[F_TRADE] > 0 && v->len[F_CODES] % 2 == 0 && v->len[F_CODES] <= 2 * CODES_MAX
               ? 0 : -1;
}

static int field_eq(const struct view *a, const struct view *b, int i)
{
    return a->len[i] == b->len[i] && memcmp(a->f[i], b->f[i], a->len[i]) == 0;
}

static int hex_digit(char c)
{
    return c >= 'a' ? c - 'a' + 10 : c - '0';
}

/* The i-th industry code of v (two hex digits each). */
static int code_at(const struct view *v, size_t i)
{
    unsigned c = (unsigned)(hex_digit(v->f[F_CODES][2 * i]) * 16 +
                            hex_digit(v->f[F_CODES][2 * i + 1]));

    return c < sw_co_ncodes ? (int)c : 0;
}

/* The families v's industries cover: those of the words that name an industry, or, when it
 * has none, of its modifiers (technology, industrial); 0 when it has no industry word. */
static uint32_t cover_of(const struct view *v)
{
    uint32_t specific = 0, modifiers = 0;
    size_t i;

    for (i = 0; i < v->len[F_CODES] / 2; i++) {
        const struct sw_co_code *c = &sw_co_codes[code_at(v, i)];

        if (c->modifier)
            modifiers |= c->cover;
        else
            specific |= c->cover;
    }
    return specific ? specific : modifiers;
}

/* Whether two space-separated lists share no word (both non-empty). */
static int disjoint(const char *a, size_t la, const char *b, size_t lb)
{
    size_t i = 0;

    if (la == 0 || lb == 0)
        return 0;
    while (i < la) {
        size_t w = 0, j = 0;

        while (i + w < la && a[i + w] != ' ')
            w++;
        while (j < lb) {
            size_t x = 0;

            while (j + x < lb && b[j + x] != ' ')
                x++;
            if (x == w && memcmp(a + i, b + j, w) == 0)
                return 0;
            j += x + 1;
        }
        i += w + 1;
    }
    return 1;
}

double sw_company_similarity(const char *pa, const char *pb, char *why, size_t whylen)
{
    struct view a, b;
    uint32_t ca, cb;
    int from_place;

    if (pa == NULL || pb == NULL || view_of(pa, &a) != 0 || view_of(pb, &b) != 0)
        return -1;
    if (!field_eq(&a, &b, F_TRADE)) {
        sw_strlcpy(why, "other trade name", whylen);
        return 0.0;
    }
    if (a.len[F_HAN] > 0 && b.len[F_HAN] > 0 && !field_eq(&a, &b, F_HAN)) {
        sw_strlcpy(why, "same sound, other characters", whylen);
        return 0.8;
    }
    from_place = memchr(a.f[F_FLAGS], 'p', a.len[F_FLAGS]) != NULL ||
                 memchr(b.f[F_FLAGS], 'p', b.len[F_FLAGS]) != NULL;
    ca = cover_of(&a);
    cb = cover_of(&b);
    if (from_place && !field_eq(&a, &b, F_LEAD)) {
        /* 上海电气 and 上海电力: the place is all the trade name there is, and the industry
         * word after it says which company */
        sw_strlcpy(why, "same place, other industry", whylen);
        return 0.6;
    }
    if (ca != 0 && cb != 0 && (ca & cb) == 0) {
        sw_strlcpy(why, "same trade name, other industry", whylen);
        return 0.6;
    }
    if (disjoint(a.f[F_PROVINCES], a.len[F_PROVINCES], b.f[F_PROVINCES], b.len[F_PROVINCES]) ||
        disjoint(a.f[F_CITIES], a.len[F_CITIES], b.f[F_CITIES], b.len[F_CITIES])) {
        sw_strlcpy(why, "same trade name, other place", whylen);
        return 0.8;
    }
    sw_strlcpy(why, from_place ? "same place and industry"
                    : (a.len[F_HAN] > 0) != (b.len[F_HAN] > 0) ? "same trade name in pinyin"
                                                       : "same trade name", whylen);
    return 0.95;
}

/* --- reading a packed key ------------------------------------------------------------- */

static void copy_field(const struct view *v, int i, char *out, size_t n)
{
    size_t l = v->len[i] < n - 1 ? v->len[i] : n - 1;

    memcpy(out, v->f[i], l);
    out[l] = '\0';
}

int sw_name_parts(const char *packed, struct sw_name_parts *out)
{
    struct view v;
    size_t i;

    memset(out, 0, sizeof(*out));
    if (packed == NULL || view_of(packed, &v) != 0)
        return SW_INVALID;
    copy_field(&v, F_TRADE, out->trade, sizeof(out->trade));
    copy_field(&v, F_HAN, out->han, sizeof(out->han));
    copy_field(&v, F_PROVINCES, out->provinces, sizeof(out->provinces));
    copy_field(&v, F_CITIES, out->cities, sizeof(out->cities));
    for (i = 0; i < v.len[F_CODES] / 2 && out->nindustries < SW_NAME_INDUSTRIES_MAX; i++)
        out->industries[out->nindustries++] = sw_co_codes[code_at(&v, i)].name;
    out->trade_is_place = memchr(v.f[F_FLAGS], 'p', v.len[F_FLAGS]) != NULL;
    out->listing_marker = memchr(v.f[F_FLAGS], 'm', v.len[F_FLAGS]) != NULL;
    return SW_OK;
}

int sw_name_key(const char *name, char *out, size_t outlen)
{
    struct sw_keys k;
    size_t n;

    if (name == NULL || sw_normalise(name, SW_NORM_NAME, &k) != SW_OK)
        return SW_INVALID;
    if (k.name[0] == '\0')   /* nothing a trade name could be: the name as a whole */
        return sw_strlcpy(out, k.visual[0] != '\0' ? k.visual : k.exact, outlen);
    n = strcspn(k.name, "\x1f");
    if (n + 1 > outlen)
        return SW_TOOBIG;
    memcpy(out, k.name, n);
    out[n] = '\0';
    return SW_OK;
}

int sw_name_inherit(char *alias, size_t n, const char *name)
{
    struct view a, b;
    char buf[SW_KEY_MAX];
    struct out o = { buf, sizeof(buf), 0, 0 };
    int i;

    if (view_of(alias, &a) != 0 || view_of(name, &b) != 0)
        return SW_INVALID;
    buf[0] = '\0';
    for (i = 0; i < F_COUNT; i++) {
        const struct view *from = &a;

        if ((i == F_CODES || i == F_LEAD) && a.len[F_CODES] == 0)
            from = &b;
        if ((i == F_PROVINCES || i == F_CITIES) && a.len[F_PROVINCES] == 0 &&
            a.len[F_CITIES] == 0)
            from = &b;
        if (i > 0)
            put(&o, "\x1f", 1);
        put(&o, from->f[i], from->len[i]);
    }
    if (o.over || o.o >= n)
        return SW_TOOBIG;
    memcpy(alias, buf, o.o + 1);
    return SW_OK;
}

int sw_company_other_characters(const char *pa, const char *pb)
{
    struct view a, b;

    return view_of(pa, &a) == 0 && view_of(pb, &b) == 0 && a.len[F_HAN] > 0 &&
           b.len[F_HAN] > 0 && !field_eq(&a, &b, F_HAN);
}
