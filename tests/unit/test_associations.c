/* test_associations.c — what consent lets an association see of a member record, and the key
 * that ties events into one matter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/associations.h"

static enum sw_assoc_share share(const char *json)
{
    json_t *rec = json_loads(json, 0, NULL);
    enum sw_assoc_share s = sw_assoc_share_of(rec);

    json_decref(rec);
    return s;
}

static void consent_decides_what_is_seen(void **state)
{
    assert_int_equal(share("{\"status\":\"member\",\"share\":\"cases\"}"), SW_SHARE_CASES);
    assert_int_equal(share("{\"status\":\"member\",\"share\":\"alerts\"}"), SW_SHARE_ALERTS);
    assert_int_equal(share("{\"status\":\"member\",\"share\":\"none\"}"), SW_SHARE_NOTHING);
    /* An invitation not yet answered shares nothing, whatever its record says. */
    assert_int_equal(share("{\"status\":\"invited\",\"share\":\"cases\"}"), SW_SHARE_NOTHING);
    assert_int_equal(share("{\"status\":\"member\"}"), SW_SHARE_NOTHING);
    assert_int_equal(share("{\"status\":\"member\",\"share\":\"everything\"}"),
                     SW_SHARE_NOTHING);
    assert_int_equal(share("{\"status\":\"member\",\"share\":1}"), SW_SHARE_NOTHING);
    assert_int_equal(sw_assoc_share_of(NULL), SW_SHARE_NOTHING);
}

static void matter_key(const char *json, const char *want)
{
    json_t *ev = json_loads(json, 0, NULL);
    char key[600];

    assert_non_null(ev);
    sw_matter_key(ev, key, sizeof(key));
    assert_string_equal(key, want);
    json_decref(ev);
}

static void one_investigation_or_docket_is_one_matter(void **state)
{
    matter_key("{\"id\":\"ev1\",\"numbers\":{\"investigation\":\"337-TA-1412\","
               "\"docket\":\"1:26-cv-1\"}}", "inv:337-TA-1412");
    matter_key("{\"id\":\"ev2\",\"numbers\":{\"docket\":\"1:26-cv-01234\",\"court\":\"ilnd\"}}",
               "docket:ilnd:1:26-cv-01234");
    matter_key("{\"id\":\"ev3\",\"numbers\":{\"docket\":\"1:26-cv-01234\"}}",
               "docket::1:26-cv-01234");
    matter_key("{\"id\":\"ev4\",\"numbers\":{\"investigation\":\"\"}}", "event:ev4");
    matter_key("{\"id\":\"ev5\"}", "event:ev5");
    matter_key("{}", "event:");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(consent_decides_what_is_seen),
        cmocka_unit_test(one_investigation_or_docket_is_one_matter),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
