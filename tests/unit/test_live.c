/* test_live.c — Nchan's message ids and the stream event ids built from them: what is read,
 * what is refused, how they order, and that an id written is read back the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/live.h"

static void nchan_ids(void **state)
{
    struct sw_live_id id;

    assert_int_equal(sw_live_id_parse("1796165009:0", &id), SW_OK);
    assert_true(id.time == 1796165009 && id.tag == 0);
    assert_int_equal(sw_live_id_parse("0:0", &id), SW_OK);
    assert_int_equal(sw_live_id_parse("1796165009:32767", &id), SW_OK);
    assert_int_equal(id.tag, 32767);
    static const char *const bad[] = { "", ":", "1796165009", "1796165009:", ":3",
                                       "1796165009:32768", "1796165009:-1", "1796165009:1x",
                                       "x:1", "1796165009:[1],-", "1234567890123:1",
                                       "1796165009 :1", NULL };
    for (int i = 0; bad[i] != NULL; i++)
        assert_int_equal(sw_live_id_parse(bad[i], &id), SW_INVALID);
    assert_int_equal(sw_live_id_parse(NULL, &id), SW_INVALID);
}

static void event_ids(void **state)
{
    struct sw_live_id a = { 7, 7 };

    assert_int_equal(sw_live_event_id_parse("1796165009:[3],-", &a), SW_OK);
    assert_true(a.time == 1796165009 && a.tag == 3);
    /* The end event's id: the alerts position rides along, or is empty (-). */
    assert_int_equal(sw_live_event_id_parse("1796165009:4,[0]", &a), SW_OK);
    assert_true(a.time == 1796165009 && a.tag == 4);
    assert_int_equal(sw_live_event_id_parse("1796165009:-,[0]", &a), SW_OK);
    assert_int_equal(a.tag, -1);
    /* An id of the streams before Nchan (a Redis stream id) is known, not resumable. */
    assert_int_equal(sw_live_event_id_parse("1764590000000-0", &a), SW_NOTFOUND);
    assert_int_equal(sw_live_event_id_parse("1764590000000-12", &a), SW_NOTFOUND);
    static const char *const bad[] = { "", "x; DROP", "1796165009:3", "1796165009:[3]",
                                       "1796165009:[3],[0]", "1796165009:3,0",
                                       "1796165009:[3],-,-", "1796165009:[3,-",
                                       "1796165009:[-],0", "1796165009:[3],- ",
                                       "1796165009:[32768],-", "1234567890123:[1],-",
                                       "1764590000000-", "1764590000000-x", "-1:[0],-",
                                       "1796165009:[3],-\n", NULL };
    for (int i = 0; bad[i] != NULL; i++)
        assert_int_equal(sw_live_event_id_parse(bad[i], &a), SW_INVALID);
}

static void written_ids_read_back(void **state)
{
    struct sw_live_id in = { 1796165009, 12 }, out;
    char text[48];

    sw_live_event_id(&in, text, sizeof(text));
    assert_string_equal(text, "1796165009:[12],-");
    assert_int_equal(sw_live_event_id_parse(text, &out), SW_OK);
    assert_int_equal(sw_live_id_cmp(&in, &out), 0);
}

static void ids_order_by_time_then_tag(void **state)
{
    struct sw_live_id a = { 100, 5 }, b = { 100, 6 }, c = { 101, 0 }, none = { 101, -1 };

    assert_true(sw_live_id_cmp(&a, &b) < 0);
    assert_true(sw_live_id_cmp(&b, &a) > 0);
    assert_true(sw_live_id_cmp(&b, &c) < 0);
    assert_true(sw_live_id_cmp(&none, &c) < 0);
    assert_int_equal(sw_live_id_cmp(&c, &c), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nchan_ids),
        cmocka_unit_test(event_ids),
        cmocka_unit_test(written_ids_read_back),
        cmocka_unit_test(ids_order_by_time_then_tag),
    };
    return cmocka_run_group_tests_name("live", tests, NULL, NULL);
}
