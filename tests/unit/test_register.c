/* test_register.c — what the register makes of the offices' statuses, offices, numbers and
 * dockets (the records themselves are tested through the stack: test_register.py). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/register.h"

static void status_is(const char *office, const char *text, const char *want)
{
    const char *got = sw_register_status_of(office, text);

    if (want == NULL) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
}

static void uspto_codes(void **state)
{
    (void)state;
    status_is("US", "630", "pending");   /* new application */
    status_is("US", "686", "pending");   /* published for opposition */
    status_is("US", "602", "dead");      /* abandoned, no response */
    status_is("US", "616", "pending");   /* revived */
    status_is("US", "626", "dead");
    status_is("US", "700", "live");
    status_is("US", "800", "live");      /* registered and renewed */
    status_is("US", "710", "dead");      /* cancelled, section 8 */
    status_is("US", "900", "dead");      /* expired */
    status_is("US", "6", NULL);          /* a class's status code, not the mark's */
    status_is("US", "1000", NULL);
}

static void office_words(void **state)
{
    (void)state;
    status_is("EM", "Application published", "pending");
    status_is("EM", "Application under examination", "pending");
    status_is("EM", "Application refused", "dead");
    status_is("EM", "Appeal pending", "pending");
    status_is("EM", "Opposition pending", "opposed");
    status_is("EM", "Registered", "live");
    status_is("EM", "Registration cancelled", "dead");
    status_is("EM", "Registration expired", "dead");
    status_is("WO", "Published for opposition", "pending");
    status_is("EM", "Lorem ipsum", NULL);
    status_is("EM", "", NULL);
    status_is("EM", NULL, NULL);
}

static void offices_numbers_dockets(void **state)
{
    char out[64];

    (void)state;
    assert_true(sw_register_office_valid("US"));
    assert_false(sw_register_office_valid("us"));
    assert_false(sw_register_office_valid("USA"));
    assert_false(sw_register_office_valid(NULL));
    assert_true(sw_register_number_valid("018222211"));
    assert_true(sw_register_number_valid("TM2024A1"));
    assert_false(sw_register_number_valid("9876-3166"));
    assert_false(sw_register_number_valid(""));
    assert_false(sw_register_number_valid("123456789012345678901234567890123"));
    sw_register_docket_norm(" 1:26-CV-0 9999 ", out, sizeof(out));
    assert_string_equal(out, "1:26-cv-09999");
    sw_register_docket_norm("NYSD", out, 3);
    assert_string_equal(out, "ny");
    sw_register_docket_norm(NULL, out, sizeof(out));
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uspto_codes),
        cmocka_unit_test(office_words),
        cmocka_unit_test(offices_numbers_dockets),
    };
    return cmocka_run_group_tests_name("register", tests, NULL, NULL);
}
