/* test_date.c — the date forms feeds use, into ISO 8601; non-dates refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/date.h"

static void check(const char *in, const char *want)
{
    char out[32];

    if (want == NULL) {
        assert_int_equal(sw_date_normalise(in, out, sizeof(out)), SW_INVALID);
        return;
    }
    assert_int_equal(sw_date_normalise(in, out, sizeof(out)), SW_OK);
    assert_string_equal(out, want);
}

static void rfc822_and_variants(void **state)
{
    check("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z");
    check("Wed, 21 Mar 2018 10:27:32 +0300", "2018-03-21T07:27:32Z");
    check("Fri, 03 Feb 2023 12:43:10 EST", "2023-02-03T17:43:10Z");
    check("Sun, 28 Oct 2018 13:49:01 +0100", "2018-10-28T12:49:01Z");
    check("01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z");
    check("  Thu, 01 Jan 2004 19:48 GMT ", "2004-01-01T19:48:00Z");
}

static void iso8601_forms(void **state)
{
    check("2024-03-12T05:30:27Z", "2024-03-12T05:30:27Z");
    check("2003-12-13T18:30:02.25+01:00", "2003-12-13T17:30:02Z");
    check("2003-12-13T18:30:02-0500", "2003-12-13T23:30:02Z");
    check("2003-12-13 18:30", "2003-12-13T18:30:00Z");
    check("2003-12-13", "2003-12-13");
    check("2003-12", "2003-12-01");
    check("20240925", "2024-09-25");
    check("20240925T101500Z", "2024-09-25T10:15:00Z");
    /* WIPO ST.66 dates carry a zone without a time. */
    check("2000-05-09-04:00", "2000-05-09");
    check("2004-02-29", "2004-02-29");
    check("2004-12-31T23:30:00-01:00", "2005-01-01T00:30:00Z");
}

static void not_dates(void **state)
{
    check("", NULL);
    check("   ", NULL);
    check("yesterday", NULL);
    check("sometime soon", NULL);
    check("2003-02-29", NULL);
    check("2003-13-01", NULL);
    check("2003-12-13T25:00", NULL);
    check("2003-12-13Tfoo", NULL);
    check("2003-12-13 junk", NULL);
    check("99999999999999999999", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc822_and_variants),
        cmocka_unit_test(iso8601_forms),
        cmocka_unit_test(not_dates),
    };
    return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
