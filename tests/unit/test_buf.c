/* test_buf.c — the bounded buffer never grows past its ceiling; XML escaping keeps documents
 * well-formed whatever the text holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/buf.h"

static void ceiling_enforced(void **state)
{
    struct sw_buf b;

    sw_buf_init(&b, 10);
    assert_int_equal(sw_buf_adds(&b, "12345"), SW_OK);
    assert_int_equal(sw_buf_printf(&b, "%d", 67890), SW_OK);
    assert_int_equal(b.len, 10);
    assert_int_equal(sw_buf_adds(&b, "x"), SW_TOOBIG);
    assert_int_equal(sw_buf_printf(&b, "%s", "y"), SW_TOOBIG);
    assert_string_equal(b.p, "1234567890");
    sw_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(sw_buf_add(&b, "abcdefghijk", 11), SW_TOOBIG);
    assert_int_equal(b.len, 0);
    sw_buf_free(&b);
}

static void take_hands_over(void **state)
{
    struct sw_buf b;
    char *s;

    sw_buf_init(&b, 1 << 20);
    s = sw_buf_take(&b);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(sw_buf_add(&b, "a\0b", 3), SW_OK);
    assert_int_equal(b.len, 3);
    s = sw_buf_take(&b);
    assert_memory_equal(s, "a\0b", 3);
    assert_null(b.p);
    free(s);
    sw_buf_free(&b);
}

static void grows_past_initial_block(void **state)
{
    struct sw_buf b;
    int i;

    sw_buf_init(&b, 100000);
    for (i = 0; i < 10000; i++)
        assert_int_equal(sw_buf_add(&b, "0123456789", 10), SW_OK);
    assert_int_equal(b.len, 100000);
    assert_int_equal(sw_buf_add(&b, "x", 1), SW_TOOBIG);
    sw_buf_free(&b);
}

static void xml_escape(void **state)
{
    struct sw_buf b;

    sw_buf_init(&b, 1000);
    assert_int_equal(sw_buf_add_xml(&b, "<a href=\"x\">Tom & Jerry's</a>"), SW_OK);
    assert_string_equal(b.p, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    sw_buf_reset(&b);
    /* Tab, newline and carriage return stay; other control characters cannot be in XML 1.0,
     * not even as references. */
    assert_int_equal(sw_buf_add_xml(&b, "a\tb\nc\rd\x01" "e\x1f\x0b"), SW_OK);
    assert_string_equal(b.p, "a\tb\nc\rd\xEF\xBF\xBD" "e\xEF\xBF\xBD\xEF\xBF\xBD");
    sw_buf_reset(&b);
    /* Chinese passes as it is; U+FFFE, U+FFFF, a lone continuation byte, an overlong form, a
     * surrogate and a cut-off sequence become U+FFFD, one per byte refused. */
    assert_int_equal(sw_buf_add_xml(&b, "预警\xEF\xBF\xBE\xEF\xBF\xBF"), SW_OK);
    assert_string_equal(b.p, "预警\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    sw_buf_reset(&b);
    assert_int_equal(sw_buf_add_xml(&b, "x\x80y\xC0\xAFz\xED\xA0\x80!\xE4\xB8"), SW_OK);
    assert_string_equal(b.p, "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBDz"
                             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!\xEF\xBF\xBD\xEF\xBF\xBD");
    sw_buf_reset(&b);
    /* U+FFFD itself, U+10000 and U+10FFFF are fine. */
    assert_int_equal(sw_buf_add_xml(&b, "\xEF\xBF\xBD\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"),
                     SW_OK);
    assert_string_equal(b.p, "\xEF\xBF\xBD\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
    sw_buf_free(&b);
    /* The ceiling holds for escapes too. */
    sw_buf_init(&b, 6);
    assert_int_equal(sw_buf_add_xml(&b, "&&"), SW_TOOBIG);
    assert_true(b.len <= 6);
    sw_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ceiling_enforced),
        cmocka_unit_test(take_hands_over),
        cmocka_unit_test(grows_past_initial_block),
        cmocka_unit_test(xml_escape),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
