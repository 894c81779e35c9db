/* normalise.c — matching keys through ICU (NFKC case fold, UTS #39 skeletons, Any-Latin
 * transliteration) with an ICU-free fast path for plain ASCII, and the similarity score. */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "seawall/buf.h"
#include "seawall/normalise.h"
#include "company.h"
#include "company_words.h"
#include "legal_forms.h"

#define WORK_MAX 1024   /* UTF-16 units of one text we work on; longer input is cut */

static const char *const generic_words[] = {
    "pro", "max", "plus", "mini", "lite", "ultra", "tech", "technology", "technologies", "smart",
    "go", "one", "air", "home", "global", "international", "group", "digital", "online", "shop",
    "store", "official", "new", "best", "the", "and", "x", "s", "hd", "life", "world", "star",
    NULL,
};

static const UNormalizer2 *nfkc, *nfkc_cf;
static USpoofChecker *spoof;
static pthread_once_t icu_once = PTHREAD_ONCE_INIT;
/* Each thread's transliterator (they are not thread-safe), closed when the thread ends. */
static pthread_key_t translit_key;
static pthread_once_t translit_once = PTHREAD_ONCE_INIT;

static void translit_close(void *t)
{
    utrans_close(t);
}

static void translit_key_make(void)
{
    pthread_key_create(&translit_key, translit_close);
}

/* The readings of lib/company_words.c in UTF-16, made once. */
#define READINGS_MAX 16
static struct {
    UChar han[8], latin[24];
    int32_t nhan, nlatin;
} readings[READINGS_MAX];
static int nreadings;

static void icu_init(void)
{
    UErrorCode st = U_ZERO_ERROR;
    const struct sw_co_reading *r;

    for (r = sw_co_readings; r->han != NULL && nreadings < READINGS_MAX; r++) {
        UErrorCode e = U_ZERO_ERROR;

        u_strFromUTF8(readings[nreadings].han, 8, &readings[nreadings].nhan, r->han, -1, &e);
        u_strFromUTF8(readings[nreadings].latin, 24, &readings[nreadings].nlatin, r->latin, -1,
                      &e);
        if (U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING)
            nreadings++;
    }
    nfkc = unorm2_getNFKCInstance(&st);
    nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    st = U_ZERO_ERROR;
    spoof = uspoof_open(&st);
    if (U_FAILURE(st))
        spoof = NULL;
}

/* Each thread's Traditional-to-Simplified transliterator, as thread_translit's. */
static pthread_key_t simplify_key;
static pthread_once_t simplify_once = PTHREAD_ONCE_INIT;

static void simplify_key_make(void)
{
    pthread_key_create(&simplify_key, translit_close);
}

static UTransliterator *thread_simplify(void)
{
    static const UChar id[] = { 'H', 'a', 'n', 't', '-', 'H', 'a', 'n', 's', 0 };
    UErrorCode st = U_ZERO_ERROR;
    UTransliterator *t;

    pthread_once(&simplify_once, simplify_key_make);
    t = pthread_getspecific(simplify_key);
    if (t == NULL) {
        t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
        if (U_FAILURE(st)) {
            utrans_close(t);
            return NULL;
        }
        pthread_setspecific(simplify_key, t);
    }
    return t;
}

static UTransliterator *thread_translit(void)
{
    static const UChar id[] = { 'A', 'n', 'y', '-', 'L', 'a', 't', 'i', 'n', ';', ' ', 'L', 'a',
                                't', 'i', 'n', '-', 'A', 'S', 'C', 'I', 'I', 0 };
    UErrorCode st = U_ZERO_ERROR;
    UTransliterator *t;

    pthread_once(&translit_once, translit_key_make);
    t = pthread_getspecific(translit_key);
    if (t == NULL) {
        t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
        if (U_FAILURE(st)) {
            utrans_close(t);
            return NULL;
        }
        pthread_setspecific(translit_key, t);
    }
    return t;
}

/* Lower-case ASCII words from s: letters and digits kept, anything else a word break. */
static void ascii_words(const char *s, char *out, size_t outlen)
{
    size_t o = 0;
    int gap = 0;

    for (; *s != '\0' && o + 2 < outlen; s++) {
        unsigned char c = (unsigned char)*s;

        if (isalnum(c)) {
            if (gap && o > 0)
                out[o++] = ' ';
            out[o++] = (char)tolower(c);
            gap = 0;
        } else {
            gap = 1;
        }
    }
    out[o] = '\0';
}

static int count_words(const char *w)
{
    int n = *w != '\0';

    for (; *w != '\0'; w++)
        n += *w == ' ';
    return n;
}

static void squeeze(const char *words, char *out, size_t outlen)
{
    size_t o = 0;

    for (; *words != '\0' && o + 1 < outlen; words++)
        if (*words != ' ')
            out[o++] = *words;
    out[o] = '\0';
}

/* Drops legal forms (as whole words) from the end of words, repeatedly: "acme co ltd" → "acme". */
static void drop_latin_forms(char *words)
{
    int changed = 1;

    while (changed) {
        const struct sw_legal_form *f;
        size_t n = strlen(words);

        changed = 0;
        for (f = sw_legal_forms; f->form != NULL; f++) {
            size_t l = strlen(f->form);

            if ((unsigned char)f->form[0] >= 0x80 || l >= n)
                continue;
            if (strcmp(words + n - l, f->form) == 0 && words[n - l - 1] == ' ') {
                words[n - l - 1] = '\0';
                changed = 1;
                break;
            }
        }
    }
}

/* Drops CJK legal forms at either end of a UTF-8 text (before transliteration). */
static void drop_cjk_forms(char *s)
{
    int changed = 1;

    while (changed) {
        const struct sw_legal_form *f;
        size_t n;

        changed = 0;
        while (*s == ' ')
            memmove(s, s + 1, strlen(s));
        n = strlen(s);
        while (n > 0 && s[n - 1] == ' ')
            s[--n] = '\0';
        for (f = sw_legal_forms; f->form != NULL; f++) {
            size_t l = strlen(f->form);

            if ((unsigned char)f->form[0] < 0x80 && f->form[0] != '(')
                continue;
            if (l < n && strcmp(s + n - l, f->form) == 0) {
                s[n - l] = '\0';
                changed = 1;
                break;
            }
            if (l < n && strncmp(s, f->form, l) == 0) {
                memmove(s, s + l, n - l + 1);
                changed = 1;
                break;
            }
        }
    }
}

void sw_norm_drop_cjk_forms(char *s)
{
    drop_cjk_forms(s);
}

/* The ASCII part of a UTS #39 skeleton plus the look-alikes it leaves distinct: i, l, 1 and |
 * are one stroke; 0 is o; rn is m; vv is w. Works on lower-case words in place. */
static void visual_fold(const char *in, char *out, size_t outlen)
{
    size_t o = 0;

    for (; *in != '\0' && o + 1 < outlen; in++) {
        char c = *in;

        if (c == ' ')
            continue;
        if (c == 'i' || c == '1' || c == '|')
            c = 'l';
        else if (c == '0')
            c = 'o';
        else if (c == 'r' && in[1] == 'n') {
            c = 'm';
            in++;
        } else if (c == 'v' && in[1] == 'v') {
            c = 'w';
            in++;
        }
        out[o++] = c;
    }
    out[o] = '\0';
}

/* A consonant skeleton in the spirit of Metaphone, enough for brand sound-alikes: doubled
 * letters once, ph/f, ch/ck/k/c/q, x/ks, z/s, gh silent, y/i, vowels dropped but the first. */
static void phonetic(const char *in, char *out, size_t outlen)
{
    char tmp[SW_KEY_MAX * 2];
    size_t t = 0, o = 0, i;
    const char *p = in;

    char once[SW_KEY_MAX];
    size_t n = 0;

    if (strncmp(p, "ex", 2) == 0 && p[2] != '\0' && !strchr("aeiou", p[2]))
        p++;   /* "extreme" sounds like "xtreme" */
    for (i = 0; p[i] != '\0' && n + 1 < sizeof(once); i++)   /* doubled letters sound once */
        if (n == 0 || once[n - 1] != p[i])
            once[n++] = p[i];
    once[n] = '\0';
    p = once;
    for (i = 0; p[i] != '\0' && t + 3 < sizeof(tmp); i++) {
        const char *s = p + i;

        if (strncmp(s, "ph", 2) == 0) { tmp[t++] = 'f'; i++; }
        else if (strncmp(s, "ch", 2) == 0) { tmp[t++] = 'k'; i++; }
        else if (strncmp(s, "ck", 2) == 0) { tmp[t++] = 'k'; i++; }
        else if (strncmp(s, "qu", 2) == 0) { tmp[t++] = 'k'; tmp[t++] = 'w'; i++; }
        else if (strncmp(s, "gh", 2) == 0) { i++; }
        else if (strncmp(s, "wh", 2) == 0) { tmp[t++] = 'w'; i++; }
        else if (*s == 'q') tmp[t++] = 'k';
        else if (*s == 'c') tmp[t++] = (s[1] == 'e' || s[1] == 'i' || s[1] == 'y') ? 's' : 'k';
        else if (*s == 'x') { tmp[t++] = 'k'; tmp[t++] = 's'; }
        else if (*s == 'z') tmp[t++] = 's';
        else if (*s == 'y') tmp[t++] = 'i';
        else tmp[t++] = *s;
    }
    tmp[t] = '\0';
    for (i = 0; i < t && o + 1 < outlen; i++) {
        char c = tmp[i];

        if (i > 0 && strchr("aeiou", c) != NULL)
            continue;
        if (o > 0 && out[o - 1] == c)
            continue;
        out[o++] = c;
    }
    out[o] = '\0';
}

static int is_ascii(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static int valid_utf8(const char *s)
{
    return sw_utf8_valid(s, strlen(s), NULL);
}

/* text (UTF-8) as UTF-16 in u (WORK_MAX units; longer text is cut), its length in *n. */
static int to_utf16(const char *text, UChar *u, int32_t *n)
{
    UErrorCode st = U_ZERO_ERROR;

    *n = 0;
    u_strFromUTF8(u, WORK_MAX, n, text, -1, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) {
        *n = WORK_MAX;
        st = U_ZERO_ERROR;
    }
    return U_FAILURE(st) ? SW_INVALID : SW_OK;
}

/* Letters and digits of u (UTF-16) kept, everything else a space: symbols are dropped here,
 * before transliteration could spell them out ("®" would become "(R)"). */
static void keep_alnum(UChar *u, int32_t *n)
{
    int32_t i = 0, o = 0;

    while (i < *n) {
        UChar32 c;
        int32_t start = i, k;

        U16_NEXT(u, i, *n, c);
        if (u_isalnum(c)) {
            for (k = start; k < i; k++)
                u[o++] = u[k];
        } else {
            u[o++] = ' ';
        }
    }
    *n = o;
}

/* Symbols (™ ® © ℠, currency, arrows …) go first: NFKC would spell some of them as letters
 * ("™" is "TM") and transliteration others ("®" is "(R)"). */
static void drop_symbols(UChar *u, int32_t *n)
{
    int32_t i = 0, o = 0;

    while (i < *n) {
        UChar32 c;
        int32_t start = i, k;
        int8_t t;

        U16_NEXT(u, i, *n, c);
        t = u_charType(c);
        if (t == U_MATH_SYMBOL || t == U_CURRENCY_SYMBOL || t == U_MODIFIER_SYMBOL ||
            t == U_OTHER_SYMBOL) {
            u[o++] = ' ';
            continue;
        }
        for (k = start; k < i; k++)
            u[o++] = u[k];
    }
    *n = o;
}

/* in (n units) into out (at most cap units) with the characters names read otherwise than
 * ICU's default pinyin spelled out in Latin letters between spaces (长 → " chang "), so that
 * the transliterator leaves them as they are. Returns the length written. */
static int32_t apply_readings(const UChar *in, int32_t n, UChar *out, int32_t cap)
{
    int32_t i = 0, o = 0, r;

    while (i < n && o < cap) {
        for (r = 0; r < nreadings; r++)
            if (readings[r].nhan <= n - i &&
                memcmp(in + i, readings[r].han, (size_t)readings[r].nhan * sizeof(UChar)) == 0)
                break;
        if (r == nreadings) {
            out[o++] = in[i++];
            continue;
        }
        if (o + readings[r].nlatin + 2 > cap)
            break;
        out[o++] = ' ';
        memcpy(out + o, readings[r].latin, (size_t)readings[r].nlatin * sizeof(UChar));
        o += readings[r].nlatin;
        out[o++] = ' ';
        i += readings[r].nhan;
    }
    return o;
}

/* NFKC case fold, symbols out, legal CJK forms out (names), transliterated to ASCII words. */
static int to_words(const UChar *src, int32_t n, enum sw_norm_kind kind, char *words,
                    size_t wlen, int *translitd)
{
    UChar a[WORK_MAX * 2], b[WORK_MAX * 4];
    char u8[WORK_MAX * 4];
    UErrorCode st = U_ZERO_ERROR;
    int32_t len, limit, i, ascii = 1;
    UTransliterator *t;

    len = unorm2_normalize(nfkc_cf, src, n, a, WORK_MAX * 2, &st);
    if (U_FAILURE(st))
        return SW_INVALID;
    keep_alnum(a, &len);
    if (kind == SW_NORM_NAME) {
        st = U_ZERO_ERROR;
        u_strToUTF8(u8, sizeof(u8), NULL, a, len, &st);
        if (U_FAILURE(st))
            return SW_INVALID;
        drop_cjk_forms(u8);
        st = U_ZERO_ERROR;
        u_strFromUTF8(a, WORK_MAX * 2, &len, u8, -1, &st);
        if (U_FAILURE(st))
            return SW_INVALID;
    }
    for (i = 0; i < len; i++)
        ascii &= a[i] < 0x80;
    if (!ascii && (t = thread_translit()) != NULL) {
        len = apply_readings(a, len, b, WORK_MAX * 2);
        limit = len;
        st = U_ZERO_ERROR;
        utrans_transUChars(t, b, &len, WORK_MAX * 4, 0, &limit, &st);
        if (U_FAILURE(st))
            return SW_INVALID;
        memcpy(a, b, (size_t)(len < WORK_MAX * 2 ? len : WORK_MAX * 2) * sizeof(UChar));
        len = len < WORK_MAX * 2 ? len : WORK_MAX * 2;
        *translitd = 1;
    }
    st = U_ZERO_ERROR;
    u_strToUTF8(u8, sizeof(u8), NULL, a, len, &st);
    if (U_FAILURE(st))
        return SW_INVALID;
    ascii_words(u8, words, wlen);   /* anything still not ASCII is a word break */
    return SW_OK;
}

int sw_norm_fold(const char *text, char *out, size_t outlen)
{
    UChar u[WORK_MAX], f[WORK_MAX * 2];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0, len;

    out[0] = '\0';
    if (is_ascii(text)) {   /* the same as below, without ICU */
        size_t o = 0;

        for (; *text != '\0' && o + 1 < outlen; text++)
            out[o++] = isalnum((unsigned char)*text) ? (char)tolower((unsigned char)*text) : ' ';
        out[o] = '\0';
        return SW_OK;
    }
    if (!valid_utf8(text))
        return SW_INVALID;
    pthread_once(&icu_once, icu_init);
    if (nfkc_cf == NULL)
        return SW_ERR;
    if (to_utf16(text, u, &n) != SW_OK)
        return SW_INVALID;
    drop_symbols(u, &n);
    len = unorm2_normalize(nfkc_cf, u, n, f, WORK_MAX * 2, &st);
    if (U_FAILURE(st))
        return SW_INVALID;
    keep_alnum(f, &len);
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)outlen, NULL, f, len, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING) {
        out[0] = '\0';
        return SW_INVALID;
    }
    return SW_OK;
}

int sw_norm_latin(const char *utf8, size_t len, char *out, size_t outlen)
{
    UChar u[256], b[1024];
    char u8[2048];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0, m, limit;
    UTransliterator *t;

    out[0] = '\0';
    pthread_once(&icu_once, icu_init);
    if (len > 255 * 3 || (t = thread_translit()) == NULL)
        return SW_ERR;
    u_strFromUTF8(u, 256, &n, utf8, (int32_t)len, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
        return SW_ERR;
    m = apply_readings(u, n, b, 256);
    limit = m;
    utrans_transUChars(t, b, &m, 1024, 0, &limit, &st);
    if (U_FAILURE(st))
        return SW_ERR;
    u_strToUTF8(u8, sizeof(u8), NULL, b, m, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
        return SW_ERR;
    ascii_words(u8, out, outlen);
    return SW_OK;
}

int sw_norm_simplified(const char *utf8, size_t len, char *out, size_t outlen)
{
    UChar u[WORK_MAX];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0, limit;
    UTransliterator *t;

    if (len >= WORK_MAX || (t = thread_simplify()) == NULL)
        return SW_ERR;
    u_strFromUTF8(u, WORK_MAX, &n, utf8, (int32_t)len, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
        return SW_ERR;
    limit = n;
    utrans_transUChars(t, u, &n, WORK_MAX, 0, &limit, &st);
    if (U_FAILURE(st))
        return SW_ERR;
    u_strToUTF8(out, (int32_t)outlen, NULL, u, n, &st);
    return U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING ? SW_ERR : SW_OK;
}

int sw_normalise(const char *text, enum sw_norm_kind kind, struct sw_keys *out)
{
    char vis_words[SW_KEY_MAX];
    const char *const *g;
    size_t o = 0;
    char *w, *save = NULL, copy[SW_KEY_MAX];

    /* Every key is written below; clearing the whole struct (1.3 KB) cost more than the rest of
     * an ASCII mark's keys. */
    out->exact[0] = out->visual[0] = out->phonetic[0] = out->words[0] = out->bare[0] = '\0';
    out->name[0] = '\0';
    out->translit = 0;
    if (text == NULL)
        return SW_INVALID;
    if (is_ascii(text)) {   /* ASCII is valid UTF-8: no ICU check needed */
        char skel[WORK_MAX];
        size_t i;

        /* The UTS #39 skeleton's ASCII mappings, without ICU: | is l (the rest, I/1/l and
         * 0/O, visual_fold does on the lower-case words). */
        for (i = 0; text[i] != '\0' && i + 1 < sizeof(skel); i++)
            skel[i] = text[i] == '|' ? 'l' : text[i];
        skel[i] = '\0';
        ascii_words(text, out->words, sizeof(out->words));
        ascii_words(skel, vis_words, sizeof(vis_words));
    } else {
        UChar u[WORK_MAX], nf[WORK_MAX * 2], sk[WORK_MAX * 2];
        UErrorCode st = U_ZERO_ERROR;
        int32_t n = 0, nn, sn;
        int dummy = 0;

        if (!valid_utf8(text))
            return SW_INVALID;
        pthread_once(&icu_once, icu_init);
        if (nfkc == NULL || nfkc_cf == NULL)
            return SW_ERR;
        if (to_utf16(text, u, &n) != SW_OK)
            return SW_INVALID;
        drop_symbols(u, &n);
        if (to_words(u, n, kind, out->words, sizeof(out->words), &out->translit) != SW_OK)
            return SW_INVALID;
        /* Skeleton of the NFKC form, before case folding (Greek Η and Cyrillic А are H and A)
         * and before transliteration (which would make Η an "e"). */
        st = U_ZERO_ERROR;
        nn = unorm2_normalize(nfkc, u, n, nf, WORK_MAX * 2, &st);
        sn = 0;
        if (U_SUCCESS(st) && spoof != NULL) {
            sn = uspoof_getSkeleton(spoof, 0, nf, nn, sk, WORK_MAX * 2, &st);
            if (U_FAILURE(st))
                sn = 0;
        }
        if (sn > 0)
            to_words(sk, sn, kind, vis_words, sizeof(vis_words), &dummy);
        else
            sw_strlcpy(vis_words, out->words, sizeof(vis_words));
    }
    if (kind == SW_NORM_NAME) {
        /* The legal-form words dropped from the name go from its skeleton too (the skeleton
         * may spell them differently: "LIMITED" is "llmlted" there). */
        int before = count_words(out->words), drop;

        drop_latin_forms(out->words);
        drop = before - count_words(out->words);
        while (drop-- > 0) {
            char *sp = strrchr(vis_words, ' ');

            if (sp == NULL)
                break;
            *sp = '\0';
        }
    }
    squeeze(out->words, out->exact, sizeof(out->exact));
    if (out->exact[0] == '\0')
        return SW_INVALID;
    visual_fold(vis_words, out->visual, sizeof(out->visual));
    phonetic(out->exact, out->phonetic, sizeof(out->phonetic));
    /* bare: the words that are not generic, run together. */
    sw_strlcpy(copy, out->words, sizeof(copy));
    for (w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
        for (g = generic_words; *g != NULL && strcmp(*g, w) != 0; g++)
            ;
        if (*g == NULL && o + strlen(w) + 1 < sizeof(out->bare)) {
            memcpy(out->bare + o, w, strlen(w));
            o += strlen(w);
        }
    }
    out->bare[o] = '\0';
    if (kind == SW_NORM_NAME && sw_company_parse(text, out->name, sizeof(out->name)) != SW_OK)
        out->name[0] = '\0';
    return SW_OK;
}

int sw_edit_distance(const char *a, const char *b, int max)
{
    int la = (int)strlen(a), lb = (int)strlen(b), i, j;
    int row[SW_KEY_MAX + 1];

    if (la - lb > max || lb - la > max)
        return max + 1;
    if (lb > SW_KEY_MAX)
        return max + 1;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        int prev = row[0], best;

        row[0] = i;
        best = row[0];
        for (j = 1; j <= lb; j++) {
            int cur = row[j];
            int sub = prev + (a[i - 1] != b[j - 1]);
            int v = row[j - 1] + 1 < cur + 1 ? row[j - 1] + 1 : cur + 1;

            row[j] = v < sub ? v : sub;
            prev = cur;
            if (row[j] < best)
                best = row[j];
        }
        if (best > max)
            return max + 1;
    }
    return row[lb] > max ? max + 1 : row[lb];
}

/* Edit similarity: 1 − d / (L + 6), L the longer key. The six make an edit weigh less in a
 * longer mark, as a reader sees it: one edit in five letters (0.91) and two in eight (0.86)
 * stay above the default threshold, two in seven (0.85 −) and three in eleven fall below.
 * Keys under 4 characters must be equal. */
static double ratio(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b), longer = la > lb ? la : lb, d;

    if (la < 4 || lb < 4)
        return strcmp(a, b) == 0 && la > 0 ? 1.0 : 0.0;
    d = sw_edit_distance(a, b, longer / 3 + 1);
    return d > longer / 3 ? 0.0 : 1.0 - (double)d / (longer + 6);
}

/* The vowels of key as a sound-alike hears them: y as i, the u of qu and a final e after a
 * consonant silent, a doubled vowel once. "kwik" and "quick" both give "i", "highlite" and
 * "highlight" too; "kinda" gives "ia", "candy" "ai". */
static void vowels(const char *key, char *out, size_t outlen)
{
    size_t o = 0, i;

    for (i = 0; key[i] != '\0' && o + 1 < outlen; i++) {
        char c = key[i] == 'y' ? 'i' : key[i];

        if (strchr("aeiou", c) == NULL || (c == 'u' && i > 0 && key[i - 1] == 'q') ||
            (c == 'e' && key[i + 1] == '\0' && i > 1 && strchr("aeiouy", key[i - 1]) == NULL))
            continue;
        if (o > 0 && out[o - 1] == c)
            continue;
        out[o++] = c;
    }
    out[o] = '\0';
}

/* Whether two marks sound alike: the same consonant skeleton, of four consonants or more,
 * or of two or three with the same vowels as well — a short skeleton alone ("mk") is shared
 * by marks nobody confuses (MIKE, MAKO). */
static int sound_alike(const struct sw_keyref *a, const struct sw_keyref *b)
{
    char va[SW_KEY_MAX], vb[SW_KEY_MAX];
    size_t n = strlen(a->phonetic);

    if (n < 2 || strlen(a->exact) < 4 || strlen(b->exact) < 4 ||
        strcmp(a->phonetic, b->phonetic) != 0)
        return 0;
    if (n >= 4)
        return 1;
    vowels(a->exact, va, sizeof(va));
    vowels(b->exact, vb, sizeof(vb));
    return strcmp(va, vb) == 0;
}

double sw_similarity_ref(const struct sw_keyref *a, const struct sw_keyref *b, char *why,
                         size_t whylen)
{
    double best = 0.0, s;
    const char *how = "different";

    if (a->name != NULL && b->name != NULL && a->name[0] != '\0' && b->name[0] != '\0' &&
        sw_company_other_characters(a->name, b->name)) {
        /* 恒力 and 恒立 read alike in pinyin, and are two trade names */
        sw_strlcpy(why, "same sound, other characters", whylen);
        return 0.8;
    }
    if (a->exact[0] != '\0' && strcmp(a->exact, b->exact) == 0) {
        sw_strlcpy(why, "identical", whylen);
        return 1.0;
    }
    if (a->name != NULL && b->name != NULL && a->name[0] != '\0' && b->name[0] != '\0') {
        /* Two company names: the same look-alike key, else their trade names decide. */
        if (a->visual[0] != '\0' && strcmp(a->visual, b->visual) == 0) {
            sw_strlcpy(why, "look-alike characters", whylen);
            return 0.97;
        }
        if ((s = sw_company_similarity(a->name, b->name, why, whylen)) >= 0)
            return s;
    }
    if ((s = ratio(a->exact, b->exact)) > best) {
        best = s;
        how = "spelling";
    }
    if (a->visual[0] != '\0' && strcmp(a->visual, b->visual) == 0) {
        if (0.97 > best) {
            best = 0.97;
            how = "look-alike characters";
        }
    } else if ((strcmp(a->visual, a->exact) != 0 || strcmp(b->visual, b->exact) != 0) &&
               (s = 0.97 * ratio(a->visual, b->visual)) > best) {
        /* (When both visual keys are their exact keys, this is the spelling score again.) */
        best = s;
        how = "look-alike spelling";
    }
    if (0.9 > best && sound_alike(a, b)) {
        best = 0.9;
        how = "sound-alike";
    }
    if (a->bare[0] != '\0' && b->bare[0] != '\0' &&
        (strcmp(a->bare, a->exact) != 0 || strcmp(b->bare, b->exact) != 0)) {
        s = strcmp(a->bare, b->bare) == 0 ? 0.95 : 0.95 * ratio(a->bare, b->bare);
        if (s > best) {
            best = s;
            how = "same but for generic words";
        }
    }
    sw_strlcpy(why, how, whylen);
    return best;
}

double sw_similarity(const struct sw_keys *a, const struct sw_keys *b, char *why, size_t whylen)
{
    struct sw_keyref ra = { a->exact, a->visual, a->phonetic, a->bare, a->name };
    struct sw_keyref rb = { b->exact, b->visual, b->phonetic, b->bare, b->name };

    return sw_similarity_ref(&ra, &rb, why, whylen);
}

int sw_fold_chars(const char *text, char *out, size_t outlen)
{
    UChar u[WORK_MAX], f[WORK_MAX * 2];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0, len, i, o = 0;

    out[0] = '\0';
    if (text == NULL || is_ascii(text) || !valid_utf8(text))
        return SW_INVALID;
    pthread_once(&icu_once, icu_init);
    if (nfkc_cf == NULL)
        return SW_ERR;
    if (to_utf16(text, u, &n) != SW_OK)
        return SW_INVALID;
    len = unorm2_normalize(nfkc_cf, u, n, f, WORK_MAX * 2, &st);
    if (U_FAILURE(st))
        return SW_INVALID;
    keep_alnum(f, &len);
    for (i = 0; i < len; i++)   /* keep_alnum leaves a space for each dropped character */
        if (f[i] != ' ')
            f[o++] = f[i];
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)outlen, NULL, f, o, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING) {
        out[0] = '\0';
        return SW_INVALID;
    }
    return is_ascii(out) ? SW_INVALID : SW_OK;
}

/* 1 for the characters search keeps: letters, digits and combining marks (a Devanagari vowel
 * sign or a Thai tone mark belongs to its word). */
static int search_keeps(UChar32 c)
{
    int8_t t;

    if (u_isalnum(c))
        return 1;
    t = u_charType(c);
    return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}

int sw_fold_search(const char *text, size_t len, struct sw_buf *out)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar *u = NULL, *f = NULL;
    char *u8 = NULL;
    int32_t n = 0, m, i = 0, o = 0, n8 = 0;
    size_t room, take;
    int rc = SW_ERR, gap = 0;

    pthread_once(&icu_once, icu_init);
    if (nfkc_cf == NULL || len > INT32_MAX / 8)
        return SW_ERR;
    if (len == 0)
        return SW_OK;
    if ((u = malloc((len + 1) * sizeof(*u))) == NULL)
        goto out;
    u_strFromUTF8WithSub(u, (int32_t)len + 1, &n, text, (int32_t)len, 0xfffd, NULL, &st);
    if (U_FAILURE(st))
        goto out;
    m = unorm2_normalize(nfkc_cf, u, n, NULL, 0, &st);   /* how long the folded text is */
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        goto out;
    st = U_ZERO_ERROR;
    if ((f = malloc(((size_t)m + 1) * sizeof(*f))) == NULL)
        goto out;
    m = unorm2_normalize(nfkc_cf, u, n, f, m + 1, &st);
    if (U_FAILURE(st))
        goto out;
    while (i < m) {   /* in place: the output never outgrows what was read */
        int32_t start = i, k;
        UChar32 c;

        U16_NEXT(f, i, m, c);
        if (!search_keeps(c)) {
            gap = o > 0;
            continue;
        }
        if (gap)
            f[o++] = ' ';
        gap = 0;
        for (k = start; k < i; k++)
            f[o++] = f[k];
    }
    if ((u8 = malloc((size_t)o * 3 + 1)) == NULL)
        goto out;
    u_strToUTF8(u8, o * 3 + 1, &n8, f, o, &st);
    if (U_FAILURE(st))
        goto out;
    room = out->max > out->len ? out->max - out->len : 0;
    take = (size_t)n8 <= room ? (size_t)n8 : room;
    while (take > 0 && take < (size_t)n8 && ((unsigned char)u8[take] & 0xc0) == 0x80)
        take--;   /* not inside a character */
    rc = take > 0 ? sw_buf_add(out, u8, take) : SW_OK;
    if (rc == SW_OK && take < (size_t)n8)
        rc = SW_TOOBIG;
out:
    free(u);
    free(f);
    free(u8);
    return rc;
}
