/* charset.c — spreadsheet text (UTF-8, UTF-16, GB18030) into UTF-8, through ICU converters. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/utf16.h>
#include <unicode/ustring.h>

#include "seawall/charset.h"
#include "seawall/common.h"

static const struct {
    const char *name;
    enum sw_charset cs;
} names[] = {
    { "utf-8", SW_CS_UTF8 }, { "utf8", SW_CS_UTF8 },
    { "utf-16", SW_CS_UTF16 }, { "utf16", SW_CS_UTF16 }, { "unicode", SW_CS_UTF16 },
    { "utf-16le", SW_CS_UTF16LE }, { "utf-16be", SW_CS_UTF16BE },
    { "gb18030", SW_CS_GB18030 }, { "gbk", SW_CS_GB18030 }, { "gb2312", SW_CS_GB18030 },
    { "cp936", SW_CS_GB18030 }, { "windows-936", SW_CS_GB18030 },
};

int sw_charset_parse(const char *name, enum sw_charset *out)
{
    size_t i;

    for (i = 0; name != NULL && i < SW_ARRAY_LEN(names); i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].cs;
            return SW_OK;
        }
    return SW_INVALID;
}

const char *sw_charset_name(enum sw_charset cs)
{
    switch (cs) {
    case SW_CS_UTF16LE: return "UTF-16LE";
    case SW_CS_UTF16BE: return "UTF-16BE";
    case SW_CS_GB18030: return "GB18030";
    default: return "UTF-8";
    }
}

void sw_text_free(struct sw_text *t)
{
    if (t != NULL) {
        free(t->text);
        t->text = NULL;
        t->len = 0;
    }
}

static void mark_bad(struct sw_text *out, const char *in, size_t len, size_t at)
{
    out->bad_at = at;
    out->nbad = len - at < sizeof(out->bad) ? len - at : sizeof(out->bad);
    memcpy(out->bad, in + at, out->nbad);
}

/* Valid multi-byte characters and bytes that start none, in len bytes of would-be UTF-8. */
static void utf8_tally(const char *in, size_t len, size_t *multi, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t i = 0, n;

    *multi = *bad = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        n = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2;
        if (i + n <= len && sw_utf8_valid(in + i, n, NULL)) {
            (*multi)++;
            i += n;
        } else {
            (*bad)++;
            i++;
        }
    }
}

#define CHUNK 4096

/* Converts through ICU converter conv (stopping at the first illegal sequence, and with
 * check_pua at the first private-use character) into out->text, which holds cap bytes. */
static int icu_decode(const char *in, size_t len, const char *conv, int check_pua, size_t cap,
                      struct sw_text *out)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(conv, &st);
    const char *src = in, *end = in + len;
    UChar u[CHUNK];
    int32_t offs[CHUNK];
    size_t carry = 0;           /* a lead surrogate kept from the last round, in u[0] */
    int rc = SW_OK;

    if (U_FAILURE(st))
        return SW_ERR;
    ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    for (;;) {
        UChar *t = u + carry;
        const char *before = src;
        size_t n, i, upto;
        int32_t w = 0;
        UErrorCode st2 = U_ZERO_ERROR;

        st = U_ZERO_ERROR;
        ucnv_toUnicode(cv, &t, u + CHUNK, &src, end, offs + carry, 1, &st);
        n = (size_t)(t - u);
        upto = n;
        for (i = carry; check_pua && i < n; i++)
            if (u[i] >= 0xE000 && u[i] <= 0xF8FF) {
                size_t at = (size_t)(before - in) + (offs[i] > 0 ? (size_t)offs[i] : 0);

                mark_bad(out, in, len, at);
                out->pua = 1;
                upto = i;
                rc = SW_INVALID;
                break;
            }
        carry = rc == SW_OK && st == U_BUFFER_OVERFLOW_ERROR && upto > 0 &&
                U16_IS_LEAD(u[upto - 1]);
        if (carry)
            upto--;
        u_strToUTF8(out->text + out->len, (int32_t)(cap - out->len), &w, u, (int32_t)upto,
                    &st2);
        if (U_FAILURE(st2) || st2 == U_STRING_NOT_TERMINATED_WARNING ||
            out->len + (size_t)w >= cap) {
            rc = rc == SW_INVALID ? rc : SW_ERR;
            break;
        }
        out->len += (size_t)w;
        if (rc != SW_OK)
            break;
        if (carry)
            u[0] = u[upto];
        if (st == U_BUFFER_OVERFLOW_ERROR)
            continue;
        if (U_FAILURE(st)) {
            char bad[32];
            int8_t nb = (int8_t)sizeof(bad);
            UErrorCode st3 = U_ZERO_ERROR;

            ucnv_getInvalidChars(cv, bad, &nb, &st3);
            if (U_FAILURE(st3) || nb < 0 || (size_t)nb > (size_t)(src - in))
                nb = 0;
            mark_bad(out, in, len, (size_t)(src - in) - (size_t)nb);
            rc = SW_INVALID;
        }
        break;
    }
    ucnv_close(cv);
    out->text[out->len] = '\0';
    return rc;
}

int sw_text_decode(const char *in, size_t len, enum sw_charset cs, struct sw_text *out)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t cap = len / 2 * 3 + 8, skip = 0, bad;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((cs == SW_CS_AUTO || cs == SW_CS_UTF8) && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        cs = SW_CS_UTF8;
        skip = 3;
    } else if ((cs == SW_CS_AUTO || cs == SW_CS_UTF16 || cs == SW_CS_UTF16LE) && len >= 2 &&
               p[0] == 0xFF && p[1] == 0xFE) {
        cs = SW_CS_UTF16LE;
        skip = 2;
    } else if ((cs == SW_CS_AUTO || cs == SW_CS_UTF16 || cs == SW_CS_UTF16BE) && len >= 2 &&
               p[0] == 0xFE && p[1] == 0xFF) {
        cs = SW_CS_UTF16BE;
        skip = 2;
    } else if (cs == SW_CS_UTF16) {
        cs = SW_CS_UTF16LE;
    } else if (cs == SW_CS_AUTO && len >= 4 && p[0] != 0 && p[1] == 0 && p[2] != 0 &&
               p[3] == 0) {
        cs = SW_CS_UTF16LE;
    } else if (cs == SW_CS_AUTO && len >= 4 && p[0] == 0 && p[1] != 0 && p[2] == 0 &&
               p[3] != 0) {
        cs = SW_CS_UTF16BE;
    }
    out->bom = skip > 0;
    if (cs == SW_CS_AUTO) {
        size_t multi, nbad;

        if (sw_utf8_valid(in, len, NULL)) {
            cs = SW_CS_UTF8;
        } else {
            utf8_tally(in, len, &multi, &nbad);
            cs = multi > 3 * nbad ? SW_CS_UTF8 : SW_CS_GB18030;
        }
    }
    out->charset = cs;
    out->text = malloc(cap);
    if (out->text == NULL)
        return SW_ERR;
    if (cs == SW_CS_UTF8) {
        rc = sw_utf8_valid(in + skip, len - skip, &bad) ? SW_OK : SW_INVALID;
        if (rc == SW_INVALID)
            mark_bad(out, in, len, skip + bad);
        out->len = rc == SW_OK ? len - skip : bad;
        memcpy(out->text, in + skip, out->len);
        out->text[out->len] = '\0';
    } else {
        rc = icu_decode(in + skip, len - skip, sw_charset_name(cs), cs == SW_CS_GB18030, cap,
                        out);
        if (rc == SW_INVALID)
            out->bad_at += skip;
        /* A BOM given after a declared UTF-16LE/BE is text to ICU: drop it here too. */
        if (rc != SW_ERR && out->len >= 3 && memcmp(out->text, "\xEF\xBB\xBF", 3) == 0) {
            memmove(out->text, out->text + 3, out->len - 2);
            out->len -= 3;
        }
    }
    if (rc == SW_ERR)
        sw_text_free(out);
    return rc;
}
