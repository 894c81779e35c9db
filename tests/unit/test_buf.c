/* test_buf.c — the bounded buffer never grows past its ceiling. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ceiling_enforced),
        cmocka_unit_test(take_hands_over),
        cmocka_unit_test(grows_past_initial_block),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
