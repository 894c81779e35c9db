/* test_screening.c — what a screening's markets mean in offices, and how its conflicts rank. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "seawall/screening.h"

static json_t *held;   /* the markets the codes point into */

static size_t offices(const char *markets, const char **codes)
{
    json_decref(held);
    held = json_loads(markets, 0, NULL);
    assert_non_null(held);
    return sw_screening_offices(held, codes, 8);
}

static void markets_to_offices(void **state)
{
    const char *c[8];

    (void)state;
    assert_int_equal(offices("[]", c), 0);   /* no markets: every office */
    assert_int_equal(offices("[\"US\"]", c), 2);
    assert_string_equal(c[0], "US");
    assert_string_equal(c[1], "WO");
    /* a member state: its own office and the EU's; the EU as a market: EUIPO only */
    assert_int_equal(offices("[\"DE\", \"EU\", \"FR\", \"US\", \"DE\"]", c), 5);
    assert_string_equal(c[0], "EM");
    assert_string_equal(c[1], "DE");
    assert_string_equal(c[2], "FR");
    assert_string_equal(c[3], "US");
    assert_string_equal(c[4], "WO");
    /* capped at max */
    assert_int_equal(offices("[\"US\", \"CN\", \"JP\", \"KR\", \"GB\", \"AU\", \"CA\", \"BR\", "
                             "\"IN\"]", c), 8);
}

static json_t *conflict(const char *number, double score, const char *status, int frequent)
{
    return json_pack("{s:{s:s, s:s}, s:f, s:o}", "record", "number", number, "status", status,
                     "score", score, "owner",
                     frequent < 0 ? json_null() : json_pack("{s:b}", "frequent", frequent));
}

static void ranking(void **state)
{
    json_t *c = json_array();
    const char *want[] = { "1", "2", "3", "4", "5", "6" };
    size_t i;

    (void)state;
    json_array_append_new(c, conflict("6", 0.9, "dead", 1));
    json_array_append_new(c, conflict("4", 0.95, "dead", -1));
    json_array_append_new(c, conflict("3", 0.95, "pending", 0));
    json_array_append_new(c, conflict("2", 0.95, "live", 0));
    json_array_append_new(c, conflict("5", 0.9, "live", -1));
    json_array_append_new(c, conflict("1", 0.95, "live", 1));
    sw_screening_rank(c);
    for (i = 0; i < 6; i++)
        assert_string_equal(json_string_value(json_object_get(json_object_get(
                                json_array_get(c, i), "record"), "number")), want[i]);
    json_decref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markets_to_offices),
        cmocka_unit_test(ranking),
    };

    int rc = cmocka_run_group_tests_name("screening", tests, NULL, NULL);

    json_decref(held);
    return rc;
}
