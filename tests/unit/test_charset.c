/* test_charset.c — text as spreadsheets save it, read into UTF-8: BOMs, UTF-16 both ways,
 * GB18030 found out or declared, and the first byte that is not text named exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/charset.h"
#include "seawall/common.h"

/* "kind,name\n深圳华为" in each encoding. */
static const char utf8[] = "kind\n\xE6\xB7\xB1\xE5\x9C\xB3\xE5\x8D\x8E\xE4\xB8\xBA";
static const char gb[] = "kind\n\xC9\xEE\xDB\xDA\xBB\xAA\xCE\xAA";
static const char u16le[] = "\xFF\xFEk\0i\0n\0d\0\n\0\xF1\x6D\x33\x57\x4E\x53\x3A\x4E";
static const char u16be[] = "\xFE\xFF\0k\0i\0n\0d\0\n\x6D\xF1\x57\x33\x53\x4E\x4E\x3A";

static void decodes(const char *in, size_t len, enum sw_charset cs, enum sw_charset want,
                    int bom)
{
    struct sw_text t;

    assert_int_equal(sw_text_decode(in, len, cs, &t), SW_OK);
    assert_int_equal(t.charset, want);
    assert_int_equal(t.bom, bom);
    assert_int_equal(t.len, sizeof(utf8) - 1);
    assert_memory_equal(t.text, utf8, t.len);
    assert_int_equal(t.text[t.len], '\0');
    sw_text_free(&t);
}

static void each_encoding_read(void **state)
{
    char bom8[64];

    decodes(utf8, sizeof(utf8) - 1, SW_CS_AUTO, SW_CS_UTF8, 0);
    memcpy(bom8, "\xEF\xBB\xBF", 3);
    memcpy(bom8 + 3, utf8, sizeof(utf8));
    decodes(bom8, sizeof(utf8) + 2, SW_CS_AUTO, SW_CS_UTF8, 1);
    decodes(gb, sizeof(gb) - 1, SW_CS_AUTO, SW_CS_GB18030, 0);
    decodes(gb, sizeof(gb) - 1, SW_CS_GB18030, SW_CS_GB18030, 0);
    decodes(u16le, sizeof(u16le) - 1, SW_CS_AUTO, SW_CS_UTF16LE, 1);
    decodes(u16le, sizeof(u16le) - 1, SW_CS_UTF16, SW_CS_UTF16LE, 1);
    decodes(u16le, sizeof(u16le) - 1, SW_CS_UTF16LE, SW_CS_UTF16LE, 1);
    decodes(u16be, sizeof(u16be) - 1, SW_CS_AUTO, SW_CS_UTF16BE, 1);
    decodes(u16le + 2, sizeof(u16le) - 3, SW_CS_AUTO, SW_CS_UTF16LE, 0);   /* no BOM */
    decodes(u16be + 2, sizeof(u16be) - 3, SW_CS_AUTO, SW_CS_UTF16BE, 0);
    decodes(u16le + 2, sizeof(u16le) - 3, SW_CS_UTF16, SW_CS_UTF16LE, 0);
}

/* Past one chunk of the converter, with a character outside the BMP across its edge. */
static void long_text_and_surrogates(void **state)
{
    size_t n = 5000, i;
    char *in = malloc(2 + n * 4), *want = malloc(n * 4 + 1);
    struct sw_text t;

    assert_non_null(in);
    assert_non_null(want);
    in[0] = (char)0xFF;
    in[1] = (char)0xFE;
    for (i = 0; i < n; i++)     /* U+20BB7 𠮷: D842 DFB7 */
        memcpy(in + 2 + 4 * i, "\x42\xD8\xB7\xDF", 4);
    for (i = 0; i < n; i++)
        memcpy(want + 4 * i, "\xF0\xA0\xAE\xB7", 4);
    assert_int_equal(sw_text_decode(in, 2 + n * 4, SW_CS_AUTO, &t), SW_OK);
    assert_int_equal(t.len, n * 4);
    assert_memory_equal(t.text, want, n * 4);
    sw_text_free(&t);
    free(in);
    free(want);
}

static void bad(const char *in, size_t len, enum sw_charset cs, enum sw_charset read_as,
                size_t at, unsigned char b0, const char *before, int pua)
{
    struct sw_text t;

    assert_int_equal(sw_text_decode(in, len, cs, &t), SW_INVALID);
    assert_int_equal(t.charset, read_as);
    assert_int_equal(t.bad_at, at);
    assert_true(t.nbad >= 1);
    assert_int_equal(t.bad[0], b0);
    assert_int_equal(t.pua, pua);
    assert_string_equal(t.text, before);
    sw_text_free(&t);
}

static void first_bad_byte_named(void **state)
{
    /* Neither UTF-8 nor GB18030: 0xFF is no GB18030 lead byte. */
    bad("kind\nab\xFF", 8, SW_CS_AUTO, SW_CS_GB18030, 7, 0xFF, "kind\nab", 0);
    /* A lead byte followed by a line break. */
    bad("kind\n\xC9\xEE\xC9\n", 9, SW_CS_AUTO, SW_CS_GB18030, 7, 0xC9, "kind\n\xE6\xB7\xB1", 0);
    /* Mostly UTF-8 with one broken byte: a broken UTF-8 file, not GB18030. */
    bad("\xE6\xB7\xB1\xE5\x9C\xB3\xE5\x8D\x8E\xE4\xB8\xBA,\xC3(", 15, SW_CS_AUTO, SW_CS_UTF8, 13,
        0xC3, "\xE6\xB7\xB1\xE5\x9C\xB3\xE5\x8D\x8E\xE4\xB8\xBA,", 0);
    /* Declared UTF-8, after its BOM: the offset counts the BOM. */
    bad("\xEF\xBB\xBFok\xC9\xEE", 7, SW_CS_UTF8, SW_CS_UTF8, 5, 0xC9, "ok", 0);
    /* A GB18030 user-defined character (0xAAA1 → U+E000) is no one's text. */
    bad("ab\xAA\xA1", 4, SW_CS_AUTO, SW_CS_GB18030, 2, 0xAA, "ab", 1);
    /* UTF-16: an odd byte at the end, an unpaired surrogate. */
    bad("\xFF\xFEk\0i\0n", 7, SW_CS_AUTO, SW_CS_UTF16LE, 6, 'n', "ki", 0);
    bad("\xFF\xFEk\0\x42\xD8i\0", 8, SW_CS_AUTO, SW_CS_UTF16LE, 4, 0x42, "k", 0);
}

static void names(void **state)
{
    enum sw_charset cs;

    assert_int_equal(sw_charset_parse("GBK", &cs), SW_OK);
    assert_int_equal(cs, SW_CS_GB18030);
    assert_int_equal(sw_charset_parse("utf-16le", &cs), SW_OK);
    assert_int_equal(cs, SW_CS_UTF16LE);
    assert_int_equal(sw_charset_parse("UTF8", &cs), SW_OK);
    assert_int_equal(cs, SW_CS_UTF8);
    assert_int_equal(sw_charset_parse("latin1", &cs), SW_INVALID);
    assert_int_equal(sw_charset_parse(NULL, &cs), SW_INVALID);
    assert_string_equal(sw_charset_name(SW_CS_GB18030), "GB18030");
    assert_string_equal(sw_charset_name(SW_CS_UTF16BE), "UTF-16BE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_encoding_read),
        cmocka_unit_test(long_text_and_surrogates),
        cmocka_unit_test(first_bad_byte_named),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests_name("charset", tests, NULL, NULL);
}
