/* test_portfolio.c — what a follower of the portfolio changes reads from a stream entry, and
 * which partition holds a subscriber (seawall/portfolio.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <hiredis/hiredis.h>

#include "seawall/portfolio.h"
#include "seawall/store.h"

/* A stream entry as XREAD gives it: [id, [name, value, ...]], built on the stack. */
struct entry {
    redisReply top, id, fields, str[16];
    redisReply *top_el[2], *field_el[16];
};

static void str(redisReply *r, const char *s)
{
    memset(r, 0, sizeof(*r));
    r->type = REDIS_REPLY_STRING;
    r->str = (char *)s;
    r->len = strlen(s);
}

/* nf name/value pairs from the NULL-terminated list. */
static const redisReply *make(struct entry *e, ...)
{
    va_list ap;
    const char *s;
    size_t n = 0;

    memset(e, 0, sizeof(*e));
    va_start(ap, e);
    while ((s = va_arg(ap, const char *)) != NULL && n < 16) {
        str(&e->str[n], s);
        e->field_el[n] = &e->str[n];
        n++;
    }
    va_end(ap);
    str(&e->id, "1700000000000-0");
    e->fields.type = REDIS_REPLY_ARRAY;
    e->fields.elements = n;
    e->fields.element = e->field_el;
    e->top_el[0] = &e->id;
    e->top_el[1] = &e->fields;
    e->top.type = REDIS_REPLY_ARRAY;
    e->top.elements = 2;
    e->top.element = e->top_el;
    return &e->top;
}

static void test_changes_read_from_entries(void **state)
{
    struct sw_pf_change c;
    struct entry e;

    (void)state;
    assert_int_equal(sw_pf_change_parse(make(&e, "sub", "42", "seq", "7", "upsert",
                                             "{\"id\":9,\"kind\":\"mark\"}", NULL), &c), SW_OK);
    assert_int_equal(c.sub, 42);
    assert_int_equal(c.seq, 7);
    assert_int_equal(c.kind, SW_PF_CHANGE_UPSERT);
    assert_string_equal(c.item, "{\"id\":9,\"kind\":\"mark\"}");
    assert_int_equal(sw_pf_change_parse(make(&e, "sub", "42", "seq", "8", "delete", "9", NULL),
                                        &c), SW_OK);
    assert_int_equal(c.kind, SW_PF_CHANGE_DELETE);
    assert_int_equal(c.id, 9);
    assert_int_equal(c.seq, 8);
    /* A profile change has no number: the follower reads the profile again whenever. */
    assert_int_equal(sw_pf_change_parse(make(&e, "sub", "42", "profile", "1", NULL), &c), SW_OK);
    assert_int_equal(c.kind, SW_PF_CHANGE_PROFILE);
    assert_int_equal(c.seq, 0);
    /* An entry written before changes were numbered is read without a number. */
    assert_int_equal(sw_pf_change_parse(make(&e, "sub", "5", "upsert", "{}", NULL), &c), SW_OK);
    assert_int_equal(c.seq, 0);
}

static void test_broken_entries_refused(void **state)
{
    struct sw_pf_change c;
    struct entry e;

    (void)state;
    assert_int_equal(sw_pf_change_parse(make(&e, "upsert", "{}", NULL), &c), SW_INVALID);
    assert_int_equal(sw_pf_change_parse(make(&e, "sub", "x", "upsert", "{}", NULL), &c),
                     SW_INVALID);
    assert_int_equal(sw_pf_change_parse(make(&e, "sub", "1", "seq", "-3", "upsert", "{}", NULL),
                                        &c), SW_INVALID);
    assert_int_equal(sw_pf_change_parse(make(&e, "sub", "1", "delete", "nine", NULL), &c),
                     SW_INVALID);
    assert_int_equal(sw_pf_change_parse(make(&e, "sub", "1", "seq", "2", NULL), &c), SW_INVALID);
    assert_int_equal(sw_pf_change_parse(NULL, &c), SW_INVALID);
}

static void test_partitions_are_the_slot_of_the_id(void **state)
{
    int seen[3] = { 0, 0, 0 };
    long long sub;

    (void)state;
    for (sub = 1; sub <= 300; sub++) {
        char id[24];
        int p = sw_portfolio_partition(sub, 3);

        snprintf(id, sizeof(id), "%lld", sub);
        assert_int_equal(p, sw_store_slot(id, strlen(id)) % 3);
        assert_int_equal(sw_portfolio_partition(sub, 1), 0);
        assert_int_equal(sw_portfolio_partition(sub, 0), 0);
        seen[p]++;
    }
    /* Spread over every partition, none with most of them. */
    assert_true(seen[0] > 60 && seen[1] > 60 && seen[2] > 60);
    /* What the integration tests compute in Python (harness.key_slot). */
    assert_int_equal(sw_portfolio_partition(42, 2), sw_store_slot("42", 2) % 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changes_read_from_entries),
        cmocka_unit_test(test_broken_entries_refused),
        cmocka_unit_test(test_partitions_are_the_slot_of_the_id),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
