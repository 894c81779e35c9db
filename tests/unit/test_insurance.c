/* test_insurance.c — amounts as decimal strings in the currency's minor units (never floats),
 * ISO 4217 currencies, totals per currency, the dossier's deadline statuses, experts' time and
 * notices read from a history, and ZIP archives written byte for byte as APPNOTE says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/buf.h"
#include "seawall/insurance.h"
#include "seawall/zip.h"

static void amounts(void **state)
{
    int64_t m = -1;
    char out[32];

    assert_int_equal(sw_money_parse("1234.5", 2, &m), SW_MONEY_OK);
    assert_int_equal(m, 123450);
    assert_int_equal(sw_money_parse("0.07", 2, &m), SW_MONEY_OK);
    assert_int_equal(m, 7);
    assert_int_equal(sw_money_parse("5000", 0, &m), SW_MONEY_OK);
    assert_int_equal(m, 5000);
    assert_int_equal(sw_money_parse("1.234", 3, &m), SW_MONEY_OK);
    assert_int_equal(m, 1234);
    assert_int_equal(sw_money_parse("999999999999.99", 2, &m), SW_MONEY_OK);
    assert_int_equal(m, 99999999999999LL);
    assert_int_equal(sw_money_parse("12.345", 2, &m), SW_MONEY_DECIMALS);
    assert_int_equal(sw_money_parse("100.5", 0, &m), SW_MONEY_DECIMALS);
    assert_int_equal(sw_money_parse("-5.00", 2, &m), SW_MONEY_NEGATIVE);
    assert_int_equal(sw_money_parse("1000000000000", 2, &m), SW_MONEY_RANGE);
    for (const char *const *bad = (const char *const[]){ "1e3", "", ".5", "5.", "+5", " 5",
                                                          "5 ", "1,000.00", "0x10", "1.2.3",
                                                          "--1", "NaN", "١٢", NULL };
         *bad != NULL; bad++)
        assert_int_equal(sw_money_parse(*bad, 2, &m), SW_MONEY_SYNTAX);
    sw_money_format(123450, 2, out, sizeof(out));
    assert_string_equal(out, "1234.50");
    sw_money_format(7, 2, out, sizeof(out));
    assert_string_equal(out, "0.07");
    sw_money_format(5000, 0, out, sizeof(out));
    assert_string_equal(out, "5000");
    sw_money_format(-5, 3, out, sizeof(out));
    assert_string_equal(out, "-0.005");
}

static void currencies(void **state)
{
    assert_int_equal(sw_currency_digits("USD"), 2);
    assert_int_equal(sw_currency_digits("CNY"), 2);
    assert_int_equal(sw_currency_digits("JPY"), 0);
    assert_int_equal(sw_currency_digits("KWD"), 3);
    assert_int_equal(sw_currency_digits("ABC"), -1);
    assert_int_equal(sw_currency_digits("usd"), -1);
    assert_int_equal(sw_currency_digits("USDX"), -1);
    assert_int_equal(sw_currency_digits("DEM"), -1);   /* the mark: no longer in use */
    assert_int_equal(sw_currency_digits(NULL), -1);
}

static void totals_per_currency(void **state)
{
    json_t *costs = json_loads("[{\"amount\":\"1234.50\",\"currency\":\"USD\"},"
                               "{\"amount\":\"100.00\",\"currency\":\"USD\"},"
                               "{\"amount\":\"5000\",\"currency\":\"JPY\"},"
                               "{\"amount\":\"0.10\",\"currency\":\"EUR\"},"
                               "{\"amount\":\"0.20\",\"currency\":\"EUR\"}]", 0, NULL);
    json_t *acc = NULL, *t, *huge;
    char *s;

    assert_int_equal(sw_costs_add(&acc, costs), SW_OK);
    assert_int_equal(sw_costs_add(&acc, costs), SW_OK);   /* a second case */
    t = sw_costs_totals(acc);
    s = json_dumps(t, JSON_COMPACT);
    /* 0.1 + 0.2 is 0.30 here, not 0.30000000000000004. */
    assert_string_equal(s, "[{\"currency\":\"EUR\",\"amount\":\"0.60\",\"count\":4},"
                           "{\"currency\":\"JPY\",\"amount\":\"10000\",\"count\":2},"
                           "{\"currency\":\"USD\",\"amount\":\"2669.00\",\"count\":4}]");
    free(s);
    json_decref(t);
    huge = json_loads("[{\"amount\":\"999999999999.99\",\"currency\":\"USD\"}]", 0, NULL);
    for (int i = 0; i < 100000; i++)
        if (sw_costs_add(&acc, huge) != SW_OK)
            break;
    assert_int_equal(sw_costs_add(&acc, huge), SW_TOOBIG);   /* never wraps */
    json_decref(huge);
    json_decref(acc);
    json_decref(costs);
}

static void cost_and_policy_checks(void **state)
{
    struct sw_verrs e;
    json_t *c = json_loads("{\"kind\":\"bond\",\"amount\":\"12.5\",\"currency\":\"EUR\","
                           "\"date\":\"2026-02-28\"}", 0, NULL);
    json_t *p, *ins;

    sw_verrs_init(&e);
    assert_true(sw_cost_check(c, &e));
    assert_string_equal(json_string_value(json_object_get(c, "amount")), "12.50");
    json_object_set_new(c, "date", json_string("2026-02-29"));
    json_object_set_new(c, "amount", json_real(12.5));
    assert_false(sw_cost_check(c, &e));
    assert_int_equal(sw_verrs_count(&e), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(e.list, 0), "pointer")),
                        "/date");
    assert_string_equal(json_string_value(json_object_get(json_array_get(e.list, 1), "pointer")),
                        "/amount");
    sw_verrs_free(&e);
    json_decref(c);

    sw_verrs_init(&e);
    p = json_loads("{\"insurer\":\"PICC\",\"policy\":\"P-1\",\"limit\":{\"amount\":\"7\","
                   "\"currency\":\"JPY\",\"x\":1}}", 0, NULL);
    assert_null(sw_insurance_from(p, &e));
    assert_int_equal(sw_verrs_count(&e), 2);   /* three members, and an unknown one */
    sw_verrs_free(&e);
    json_object_set_new(p, "limit", json_pack("{s:s, s:s}", "amount", "7", "currency", "JPY"));
    sw_verrs_init(&e);
    ins = sw_insurance_from(p, &e);
    assert_non_null(ins);
    assert_string_equal(json_string_value(json_object_get(json_object_get(ins, "limit"),
                                                          "amount")), "7");
    assert_true(json_is_null(json_object_get(ins, "period")));
    sw_verrs_free(&e);
    json_decref(ins);
    json_decref(p);
    assert_true(sw_policy_valid("PICC-IP_2026.42"));
    assert_false(sw_policy_valid("a/b"));
    assert_false(sw_policy_valid(""));
    assert_false(sw_policy_valid("保单1"));
}

static void dossier_parts(void **state)
{
    /* 2026-01-10T00:00:00Z is 1768003200000 ms. */
    json_t *doc = json_loads(
        "{\"state\":\"in_progress\",\"clock\":{\"active_ms\":1000,\"running_since\":null,"
        "\"first_response_ms\":500,\"resolution_ms\":null},\"deadlines\":["
        "{\"id\":1,\"kind\":\"answer\",\"at_ms\":1768003200000,\"done\":true,"
        "\"done_at\":\"2026-01-09T10:00:00Z\"},"
        "{\"id\":2,\"kind\":\"answer\",\"at_ms\":1768003200000,\"done\":true,"
        "\"done_at\":\"2026-01-11T10:00:00Z\"},"
        "{\"id\":3,\"kind\":\"pi_hearing\",\"at_ms\":1768003200000,\"done\":false},"
        "{\"id\":4,\"kind\":\"other\",\"at_ms\":1999999999000,\"done\":false},"
        "{\"id\":5,\"kind\":\"other\",\"at_ms\":null,\"done\":false}]}", 0, NULL);
    json_t *hist = json_loads(
        "[{\"at\":\"2026-01-01T00:00:00Z\",\"action\":\"transition\",\"seq\":2,"
        "\"by\":{\"role\":\"triager\",\"id\":1},\"before\":{\"state\":\"submitted\"},"
        "\"after\":{\"state\":\"accepted\"}},"
        "{\"at\":\"2026-01-01T01:00:00Z\",\"action\":\"transition\",\"seq\":3,\"reason\":\"x\","
        "\"by\":{\"role\":\"triager\",\"id\":1},\"before\":{\"state\":\"accepted\"},"
        "\"after\":{\"state\":\"assigned\",\"assignee\":{\"id\":7,\"name\":\"Li\"}}},"
        "{\"at\":\"2026-01-01T02:00:00Z\",\"action\":\"reply\",\"seq\":4,\"text\":\"hi\","
        "\"by\":{\"role\":\"expert\",\"id\":7}},"
        "{\"at\":\"2026-01-01T03:00:00Z\",\"action\":\"transition\",\"seq\":5,"
        "\"by\":{\"role\":\"triager\",\"id\":1},\"before\":{\"state\":\"assigned\"},"
        "\"after\":{\"state\":\"assigned\",\"assignee\":{\"id\":8,\"name\":\"Wang\"}}},"
        "{\"at\":\"2026-01-01T04:00:00Z\",\"action\":\"note\",\"seq\":6,\"text\":\"n\","
        "\"by\":{\"role\":\"expert\",\"id\":8}}]", 0, NULL);
    json_t *dl = sw_dossier_deadlines(doc, 1768003200000LL + 1);
    json_t *xp = sw_dossier_experts(hist, doc, 1767225600000LL + 3600000LL * 6);
    json_t *no = sw_dossier_notices(hist), *li, *wang;
    const char *want[] = { "met", "late", "missed", "open", "undated" };

    for (size_t i = 0; i < 5; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(dl, i), "status")),
                            want[i]);
    li = json_array_get(json_object_get(xp, "experts"), 0);
    wang = json_array_get(json_object_get(xp, "experts"), 1);
    assert_int_equal(json_integer_value(json_object_get(li, "id")), 7);
    assert_int_equal(json_integer_value(json_object_get(li, "held_ms")), 2 * 3600000);
    assert_int_equal(json_integer_value(json_object_get(li, "replies")), 1);
    assert_int_equal(json_integer_value(json_object_get(wang, "notes")), 1);
    /* Wang holds it still: from 03:00 to "now" (2026-01-01T06:00Z), the period left open. */
    assert_int_equal(json_integer_value(json_object_get(wang, "held_ms")), 3 * 3600000);
    assert_true(json_is_null(json_object_get(json_array_get(json_object_get(wang, "periods"),
                                                            0), "until")));
    assert_int_equal(json_integer_value(json_object_get(xp, "active_ms")), 1000);
    assert_int_equal(json_array_size(no), 4);   /* accepted, assigned, the expert's reply,
                                                 * reassigned; the note is internal */
    assert_string_equal(json_string_value(json_object_get(json_array_get(no, 0), "kind")),
                        "accepted");
    assert_true(json_is_true(json_object_get(json_array_get(no, 0), "text_from_catalogue")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(no, 1), "text")), "x");
    assert_string_equal(json_string_value(json_object_get(json_array_get(no, 2), "kind")),
                        "reply");
    assert_string_equal(json_string_value(json_object_get(json_array_get(no, 3), "kind")),
                        "reassigned");
    json_decref(dl);
    json_decref(xp);
    json_decref(no);
    json_decref(hist);
    json_decref(doc);
}

static int to_buf(void *ud, const void *p, size_t n)
{
    return sw_buf_add(ud, p, n) == SW_OK ? 0 : -1;
}

static unsigned u16(const char *p)
{
    return (unsigned)(unsigned char)p[0] | (unsigned)(unsigned char)p[1] << 8;
}

static uint32_t u32(const char *p)
{
    return (uint32_t)u16(p) | (uint32_t)u16(p + 2) << 16;
}

static void zip_layout(void **state)
{
    struct sw_buf b;
    struct sw_zip z;
    const char *name = "证据/a.txt";
    size_t nlen = strlen(name), cd;
    /* 2026-03-04T05:06:08Z */
    int64_t t = 1772600768000LL;

    assert_int_equal(sw_crc32(0, "123456789", 9), 0xCBF43926u);
    sw_buf_init(&b, 1 << 20);
    sw_zip_init(&z, to_buf, &b);
    assert_int_equal(sw_zip_add(&z, name, "hello", 5, t), SW_OK);
    assert_int_equal(sw_zip_begin(&z, "b.bin", sw_crc32(0, "abc", 3), 3, t), SW_OK);
    assert_int_equal(sw_zip_begin(&z, "c", 0, 0, t), SW_INVALID);   /* b still expects 3 */
    assert_int_equal(sw_zip_data(&z, "ab", 2), SW_OK);
    assert_int_equal(sw_zip_data(&z, "c", 1), SW_OK);
    assert_int_equal(sw_zip_finish(&z), SW_OK);
    /* The first local header: signature, UTF-8 flag, stored, time, CRC, sizes, name. */
    assert_int_equal(u32(b.p), 0x04034b50u);
    assert_int_equal(u16(b.p + 6), 0x0800);
    assert_int_equal(u16(b.p + 8), 0);
    assert_int_equal(u16(b.p + 10), (5 << 11) | (6 << 5) | 4);
    assert_int_equal(u16(b.p + 12), ((2026 - 1980) << 9) | (3 << 5) | 4);
    assert_int_equal(u32(b.p + 14), sw_crc32(0, "hello", 5));
    assert_int_equal(u32(b.p + 18), 5);
    assert_int_equal(u32(b.p + 22), 5);
    assert_int_equal(u16(b.p + 26), nlen);
    assert_memory_equal(b.p + 30, name, nlen);
    assert_memory_equal(b.p + 30 + nlen, "hello", 5);
    /* The end record points at the central directory, which points back at each entry. */
    assert_int_equal(u32(b.p + b.len - 22), 0x06054b50u);
    assert_int_equal(u16(b.p + b.len - 22 + 10), 2);
    cd = u32(b.p + b.len - 22 + 16);
    assert_int_equal(cd, 30 + nlen + 5 + 30 + 5 + 3);
    assert_int_equal(u32(b.p + b.len - 22 + 12), 2 * 46 + nlen + 5);
    assert_int_equal(u32(b.p + cd), 0x02014b50u);
    assert_int_equal(u16(b.p + cd + 8), 0x0800);
    assert_int_equal(u32(b.p + cd + 42), 0);
    assert_int_equal(u32(b.p + cd + 46 + nlen + 42), 30 + nlen + 5);
    assert_int_equal(u32(b.p + cd + 46 + nlen + 16), sw_crc32(0, "abc", 3));
    sw_zip_free(&z);
    sw_buf_free(&b);

    /* More bytes than declared, or fewer, is an error, never a wrong archive. */
    sw_buf_init(&b, 1 << 20);
    sw_zip_init(&z, to_buf, &b);
    assert_int_equal(sw_zip_begin(&z, "x", 0, 2, t), SW_OK);
    assert_int_equal(sw_zip_data(&z, "abc", 3), SW_INVALID);
    assert_int_equal(sw_zip_finish(&z), SW_ERR);
    sw_zip_free(&z);
    sw_zip_init(&z, to_buf, &b);
    assert_int_equal(sw_zip_begin(&z, "x", 0, 2, t), SW_OK);
    assert_int_equal(sw_zip_finish(&z), SW_INVALID);
    sw_zip_free(&z);
    sw_zip_init(&z, to_buf, &b);
    assert_int_equal(sw_zip_begin(&z, "", 0, 0, t), SW_INVALID);
    assert_int_equal(sw_zip_begin(&z, "/etc/x", 0, 0, t), SW_INVALID);
    assert_int_equal(sw_zip_begin(&z, "big", 0, 0xFFFFFFFFULL, t), SW_TOOBIG);
    sw_zip_free(&z);
    sw_buf_free(&b);
    /* A sink that fails fails every later call. */
    sw_buf_init(&b, 10);
    sw_zip_init(&z, to_buf, &b);
    assert_int_equal(sw_zip_add(&z, "a-long-name.txt", "x", 1, t), SW_ERR);
    assert_int_equal(sw_zip_finish(&z), SW_ERR);
    sw_zip_free(&z);
    sw_buf_free(&b);
    assert_true(sw_zip_fits(3, 30, 1000));
    assert_false(sw_zip_fits(65536, 10, 10));
    assert_false(sw_zip_fits(2, 10, 0xFFFFFFF0ULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amounts),
        cmocka_unit_test(currencies),
        cmocka_unit_test(totals_per_currency),
        cmocka_unit_test(cost_and_policy_checks),
        cmocka_unit_test(dossier_parts),
        cmocka_unit_test(zip_layout),
    };
    return cmocka_run_group_tests_name("insurance", tests, NULL, NULL);
}
