/* test_record.c — a record's change in single-slot steps (record.h): which command runs
 * before the record's transaction, in it, and after it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/cases.h"
#include "seawall/keys.h"
#include "seawall/record.h"
#include "seawall/shows.h"
#include "seawall/store.h"

static int slot(const char *k)
{
    return sw_store_slot(k, strlen(k));
}

/* The index of the first command verb on key, or -1. */
static int find(const struct sw_cmds *c, const char *verb, const char *key)
{
    int i;

    for (i = 0; i < c->n; i++)
        if (strcmp(c->argvs[i][0], verb) == 0 && c->argcs[i] > 1 &&
            strcmp(c->argvs[i][1], key) == 0)
            return i;
    return -1;
}

/* Every command left in the transaction is in one slot. */
static void assert_one_slot(const struct sw_cmds *c)
{
    int i, sl = -1;

    for (i = 0; i < c->n; i++) {
        if (c->step[i] != SW_STEP_TXN)
            continue;
        if (sl < 0)
            sl = slot(c->argvs[i][1]);
        assert_int_equal(slot(c->argvs[i][1]), sl);
    }
}

static void test_a_new_case_is_indexed_first(void **state)
{
    struct sw_cmds c = { .n = 0 };
    json_t *doc = json_pack("{s:I, s:I}", "subscriber_id", (json_int_t)5, "centre_id",
                            (json_int_t)2);
    json_t *entry = json_pack("{s:s}", "action", "created");
    int i;

    (void)state;
    sw_case_create_cmds(&c, doc, entry, 7);
    assert_int_equal(sw_cmds_plan(&c), 3);   /* SET doc, DEL and RPUSH history */
    assert_one_slot(&c);
    i = find(&c, "SET", swk_rec_doc("case", 7).s);
    assert_true(i >= 0);
    assert_int_equal(c.step[i], SW_STEP_TXN);
    i = find(&c, "RPUSH", swk_rec_history("case", 7).s);
    assert_true(i >= 0);
    assert_int_equal(c.step[i], SW_STEP_TXN);
    assert_int_equal(c.step[find(&c, "ZADD", swk_cases_all().s)], SW_STEP_BEFORE);
    assert_int_equal(c.step[find(&c, "ZADD", swk_sub_cases(5).s)], SW_STEP_BEFORE);
    assert_int_equal(c.step[find(&c, "ZADD", swk_centre_cases(2).s)], SW_STEP_BEFORE);
    assert_int_equal(c.step[find(&c, "ZADD", swk_centre_open(2).s)], SW_STEP_BEFORE);
    sw_cmds_free(&c);
    json_decref(doc);
    json_decref(entry);
}

static void test_a_linked_record_goes_after_the_transaction(void **state)
{
    struct sw_cmds c = { .n = 0 };
    json_t *doc = json_pack("{s:I, s:I}", "subscriber_id", (json_int_t)5, "centre_id",
                            (json_int_t)2);
    json_t *entry = json_pack("{s:s}", "action", "created");
    int set, del, rpush;

    (void)state;
    /* An escalation: the incident's document first, then the case it makes. */
    sw_cmds_add(&c, "SET", swk_rec_doc("inc", 3).s, "{}", NULL);
    sw_cmds_add(&c, "RPUSH", swk_rec_history("inc", 3).s, "{}", NULL);
    sw_case_create_cmds(&c, doc, entry, 7);
    sw_cmds_after(&c, "HINCRBY", swk_show_stats("fair-2026").s, "escalated", "1", NULL);
    assert_int_equal(sw_cmds_plan(&c), 2);
    assert_one_slot(&c);
    set = find(&c, "SET", swk_rec_doc("case", 7).s);
    del = find(&c, "DEL", swk_rec_history("case", 7).s);
    rpush = find(&c, "RPUSH", swk_rec_history("case", 7).s);
    assert_int_equal(c.step[set], SW_STEP_AFTER);
    assert_int_equal(c.step[del], SW_STEP_AFTER);
    assert_int_equal(c.step[rpush], SW_STEP_AFTER);
    /* In the order queued: the case whole before the count. */
    assert_true(set < del && del < rpush);
    assert_true(rpush < find(&c, "HINCRBY", swk_show_stats("fair-2026").s));
    assert_int_equal(c.step[find(&c, "ZADD", swk_cases_all().s)], SW_STEP_BEFORE);
    sw_cmds_free(&c);
    json_decref(doc);
    json_decref(entry);
}

static void test_a_party_unchanged_keeps_its_entry(void **state)
{
    struct sw_cmds c = { .n = 0 };
    json_t *old = json_pack("{s:I, s:I, s:{s:s}, s:{s:s}}", "id", (json_int_t)4, "received_ms",
                            (json_int_t)1000, "exhibitor", "name", "Ningbo Lamp Works",
                            "complainant", "name", "Brightlight GmbH");
    json_t *doc = json_deep_copy(old);
    char key[256];
    int i, adds = 0, rems = 0;

    (void)state;
    json_object_set_new(json_object_get(doc, "complainant"), "name",
                        json_string("Lumen Design AG"));
    sw_incident_party_moves(&c, old, doc);
    sw_cmds_plan(&c);
    for (i = 0; i < c.n; i++) {
        if (strcmp(c.argvs[i][0], "ZADD") == 0)
            adds++, assert_int_equal(c.step[i], SW_STEP_BEFORE);
        if (strcmp(c.argvs[i][0], "ZREM") == 0)
            rems++, assert_int_equal(c.step[i], SW_STEP_AFTER);
    }
    assert_true(adds > 0 && rems > 0);
    /* The exhibitor is filed as before: added again, never taken out after. */
    assert_int_equal(sw_party_key("Ningbo Lamp Works", key, sizeof(key)), SW_OK);
    assert_true(find(&c, "ZADD", swk_party("exhibitor", key).s) >= 0);
    assert_int_equal(find(&c, "ZREM", swk_party("exhibitor", key).s), -1);
    assert_int_equal(sw_party_key("Brightlight GmbH", key, sizeof(key)), SW_OK);
    assert_true(find(&c, "ZREM", swk_party("complainant", key).s) >= 0);
    sw_cmds_free(&c);
    json_decref(old);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_new_case_is_indexed_first),
        cmocka_unit_test(test_a_linked_record_goes_after_the_transaction),
        cmocka_unit_test(test_a_party_unchanged_keeps_its_entry),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
