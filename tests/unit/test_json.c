/* test_json.c — strict JSON decoding and the field-table checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/json.h"

static const char *const colours[] = { "red", "green", NULL };
static const struct sw_jfield spec[] = {
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 10, NULL },
    { "country", SW_J_STRING, SW_JF_COUNTRY, 2, 2, NULL },
    { "email", SW_J_STRING, SW_JF_EMAIL, 3, 254, NULL },
    { "count", SW_J_INT, 0, 1, 5, NULL },
    { "ratio", SW_J_NUMBER, 0, 500, 1000, NULL },
    { "on", SW_J_BOOL, 0, 0, 0, NULL },
    { "colour", SW_J_STRING, 0, 1, 10, colours },
    { "markets", SW_J_STRINGS, SW_JF_COUNTRY, 0, 5, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static json_t *parse(const char *text)
{
    char err[256];
    json_t *v = NULL;

    assert_int_equal(sw_json_parse_object(text, strlen(text), 8, &v, err, sizeof(err)), SW_OK);
    return v;
}

static int parse_fails(const char *text, int depth, const char *needle)
{
    char err[256] = "";
    json_t *v = NULL;
    int rc = sw_json_parse_object(text, strlen(text), depth, &v, err, sizeof(err));

    json_decref(v);
    return rc == SW_INVALID && strstr(err, needle) != NULL;
}

static void parse_refusals(void **state)
{
    assert_true(parse_fails("", 8, "empty"));
    assert_true(parse_fails("{\"a\":", 8, "malformed JSON at line 1"));
    assert_true(parse_fails("[1]", 8, "must be a JSON object"));
    assert_true(parse_fails("{\"a\":1,\"a\":2}", 8, "duplicate"));
    assert_true(parse_fails("{\"a\":\"\\u0000\"}", 8, "malformed"));
    assert_true(parse_fails("{\"a\":\"\xff\"}", 8, "malformed"));
    assert_true(parse_fails("{\"a\":[[[[[[[[[]]]]]]]]]}", 8, "deeper than 8"));
    /* Brackets inside strings do not count as depth. */
    json_decref(parse("{\"a\":\"[[[[[[[[[[[[[[[[[[[[\"}"));
}

/* Runs the check and returns the problems as "pointer message" lines. */
static size_t check(const char *text, int partial, char *out, size_t outlen)
{
    struct sw_verrs e;
    json_t *v = parse(text);
    size_t n, i, used = 0;

    sw_verrs_init(&e);
    n = sw_json_check(v, spec, partial, "", &e);
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        json_t *x = json_array_get(e.list, i);
        int k = snprintf(out + used, outlen - used, "%s %s\n",
                         json_string_value(json_object_get(x, "pointer")),
                         json_string_value(json_object_get(x, "message")));

        used += (size_t)k;
    }
    sw_verrs_free(&e);
    json_decref(v);
    return n;
}

static void check_accepts_good(void **state)
{
    char out[2048];

    assert_int_equal(check("{\"name\":\"Acme\",\"country\":\"CN\",\"email\":\"a@b.cn\","
                           "\"count\":3,\"ratio\":0.85,\"on\":true,\"colour\":\"red\","
                           "\"markets\":[\"US\",\"DE\"]}", 0, out, sizeof(out)), 0);
    assert_int_equal(check("{\"count\":5}", 1, out, sizeof(out)), 0);
}

static void check_names_each_problem(void **state)
{
    char out[4096];

    assert_int_equal(check("{\"name\":7,\"country\":\"XX\",\"email\":\"a@b\",\"count\":9,"
                           "\"ratio\":\"x\",\"on\":1,\"colour\":\"blue\","
                           "\"markets\":[\"US\",1,\"US\",\"de\"],\"extra\":null}",
                           0, out, sizeof(out)), 11);
    assert_non_null(strstr(out, "/extra unknown field"));
    assert_non_null(strstr(out, "/name must be a string"));
    assert_non_null(strstr(out, "/country \"XX\" is not an ISO 3166-1 alpha-2"));
    assert_non_null(strstr(out, "/email is not a valid e-mail address"));
    assert_non_null(strstr(out, "/count must be from 1 to 5"));
    assert_non_null(strstr(out, "/ratio must be a number"));
    assert_non_null(strstr(out, "/on must be true or false"));
    assert_non_null(strstr(out, "/colour must be one of: red, green"));
    assert_non_null(strstr(out, "/markets/1 must be a string"));
    assert_non_null(strstr(out, "/markets/2 repeats item 0"));
    assert_non_null(strstr(out, "/markets/3 \"de\" is not"));
}

static void check_required_and_lengths(void **state)
{
    char out[2048];

    assert_int_equal(check("{}", 0, out, sizeof(out)), 1);
    assert_string_equal(out, "/name is required\n");
    assert_int_equal(check("{\"name\":null}", 0, out, sizeof(out)), 1);
    assert_int_equal(check("{\"name\":null}", 1, out, sizeof(out)), 1);
    assert_string_equal(out, "/name may not be null\n");
    assert_int_equal(check("{\"name\":\"01234567890\"}", 0, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "1 to 10 characters long (got 11)"));
    /* Limits count characters: ten Han characters (30 bytes) fit a 10-character name. */
    assert_int_equal(check("{\"name\":\"宁波港湾照明有限公司\"}", 0, out, sizeof(out)), 0);
    assert_int_equal(check("{\"name\":\"宁波港湾照明有限公司司\"}", 0, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "1 to 10 characters long (got 11)"));
    assert_int_equal(check("{\"name\":\" \\t \"}", 0, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "blank"));
    assert_int_equal(check("{\"name\":\"a\\u0001\"}", 0, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "control"));
    assert_int_equal(check("{\"name\":\"a\",\"markets\":[\"US\",\"DE\",\"FR\",\"JP\",\"KR\","
                           "\"IT\"]}", 0, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "/markets must have 0 to 5 items (got 6)"));
}

static void countries_and_emails(void **state)
{
    assert_true(sw_country_valid("CN"));
    assert_true(sw_country_valid("ZW"));
    assert_true(sw_country_valid("AD"));
    assert_false(sw_country_valid("UK"));
    assert_false(sw_country_valid("cn"));
    assert_false(sw_country_valid("C"));
    assert_false(sw_country_valid("CHN"));
    assert_true(sw_email_valid("ip@example.com"));
    assert_false(sw_email_valid("ip@example"));
    assert_false(sw_email_valid("ip@@example.com"));
    assert_false(sw_email_valid("@example.com"));
    assert_false(sw_email_valid("ip@example.com."));
    assert_false(sw_email_valid("a b@example.com"));
    assert_false(sw_email_valid("a@example.com\r\nBcc: x@y.z"));
    assert_false(sw_email_valid("<a@example.com>"));
}

static void utf8_checked(void **state)
{
    static const struct { const char *s; size_t len, bad; } cases[] = {
        { "plain", 5, 0 }, { "caf\xc3\xa9 \xe5\x8d\x8e \xf0\x9f\x98\x80", 14, 0 },
        { "a\xc0\x80", 3, 1 },             /* overlong NUL */
        { "ab\xe0\x80\x80", 5, 2 },       /* overlong, three bytes */
        { "\xf0\x80\x80\x80", 4, 0 },     /* overlong, four bytes */
        { "x\xed\xa0\x80", 4, 1 },        /* a surrogate */
        { "\xf4\x90\x80\x80", 4, 0 },     /* past U+10FFFF */
        { "ok\xe2\x82", 4, 2 },            /* cut off */
        { "\x80", 1, 0 },                 /* a lone continuation byte */
        { "\xff", 1, 0 }, { "abc\xc3(", 5, 3 },
    };
    size_t i, bad;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bad = 999;
        if (i < 2) {
            assert_true(sw_utf8_valid(cases[i].s, cases[i].len, &bad));
        } else {
            assert_false(sw_utf8_valid(cases[i].s, cases[i].len, &bad));
            assert_int_equal(bad, cases[i].bad);
        }
    }
    assert_true(sw_utf8_valid("", 0, NULL));
    assert_true(sw_utf8_valid("\xf4\x8f\xbf\xbf", 4, NULL));   /* U+10FFFF itself */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_refusals),
        cmocka_unit_test(check_accepts_good),
        cmocka_unit_test(check_names_each_problem),
        cmocka_unit_test(check_required_and_lengths),
        cmocka_unit_test(countries_and_emails),
        cmocka_unit_test(utf8_checked),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
