/* test_store.c — the cluster slot of a key, as Redis computes it (the values below are what
 * CLUSTER KEYSLOT answered for these keys on Redis 7.0). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/store.h"

static int slot(const char *k)
{
    return sw_store_slot(k, strlen(k));
}

static void test_slots_match_redis(void **state)
{
    (void)state;
    assert_int_equal(slot("foo"), 12182);
    assert_int_equal(slot("123456789"), 12739);
    assert_int_equal(slot("{user1000}.following"), 3443);
    assert_int_equal(slot("sw:{sub:42}:alerts"), 7219);
    /* An empty tag hashes the whole key; only the first { and the first } after it count. */
    assert_int_equal(slot("{}x"), 10595);
    assert_int_equal(slot("a{}{b}"), 15033);
    assert_int_equal(slot("{{a}}"), 10276);
}

static void test_one_tag_one_slot(void **state)
{
    (void)state;
    assert_int_equal(slot("sw:{sub:42}:alerts"), slot("sw:{sub:42}:alseq"));
    assert_int_equal(slot("sw:{sub:42}:alerts"), slot("sub:42"));
    assert_int_not_equal(slot("sw:{sub:42}:alerts"), slot("sw:{sub:43}:alerts"));
    /* Binary-safe: a NUL inside the key counts. */
    assert_int_not_equal(sw_store_slot("a\0b", 3), sw_store_slot("a", 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slots_match_redis),
        cmocka_unit_test(test_one_tag_one_slot),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
