/* test_people.c — password hashing and checks, TOTP against RFC 6238's vectors, the session
 * cookie parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "seawall/people.h"
#include "seawall/session.h"

/* "12345678901234567890", RFC 6238 appendix B's SHA-1 seed, in base32. */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static const struct sw_pwparams cheap = { 1, 8192 * 8 };
static const struct sw_pwparams other = { 2, 8192 * 8 };

static void password_hash_and_verify(void **state)
{
    char h[SW_PWHASH_MAX], h2[SW_PWHASH_MAX];

    assert_int_equal(sw_password_hash(&cheap, "correct horse battery", h), SW_OK);
    assert_int_equal(sw_password_hash(&cheap, "correct horse battery", h2), SW_OK);
    assert_string_not_equal(h, h2);   /* salted */
    assert_int_equal(strncmp(h, "$argon2id$v=19$m=64,t=1,p=1$", 28), 0);
    assert_true(sw_password_verify(&cheap, h, "correct horse battery"));
    assert_false(sw_password_verify(&cheap, h, "correct horse batterY"));
    assert_false(sw_password_verify(&cheap, h, ""));
    /* No stored hash: checked against a dummy, never a match. */
    assert_false(sw_password_verify(&cheap, NULL, "correct horse battery"));
    assert_false(sw_password_verify(&cheap, "", "anything at all"));
    /* The hash names its parameters: verification works under others, which ask a rehash. */
    assert_true(sw_password_verify(&other, h, "correct horse battery"));
    assert_false(sw_password_needs_rehash(&cheap, h));
    assert_true(sw_password_needs_rehash(&other, h));
}

static void password_rules(void **state)
{
    static const struct { const char *pw; int ok; } cases[] = {
        { "123456789", 0 }, { "1234567890", 1 }, { "密码密码密码密码密码", 1 },
        { "密码密码密码", 0 },
    };
    struct sw_verrs errs;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *v = json_string(cases[i].pw);

        sw_verrs_init(&errs);
        sw_password_check(v, "/password", &errs);
        assert_int_equal(sw_verrs_count(&errs) == 0, cases[i].ok);
        sw_verrs_free(&errs);
        json_decref(v);
    }
    sw_verrs_init(&errs);
    sw_password_check(NULL, "/password", &errs);
    assert_int_equal(sw_verrs_count(&errs), 1);
    sw_verrs_free(&errs);
}

static void totp_rfc6238_vectors(void **state)
{
    static const struct { long long t; const char *code; } v[] = {
        { 59, "287082" }, { 1111111109, "081804" }, { 1111111111, "050471" },
        { 1234567890, "005924" }, { 2000000000, "279037" },
    };
    long long step;
    size_t i;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        assert_int_equal(sw_totp_check(RFC_SECRET, v[i].code, v[i].t * 1000, &step), SW_OK);
        assert_int_equal(step, v[i].t / 30);
    }
    /* One step either side is accepted and says which step it was; two are not. */
    assert_int_equal(sw_totp_check(RFC_SECRET, "005924", (1234567890LL + 30) * 1000, &step),
                     SW_OK);
    assert_int_equal(step, 1234567890LL / 30);
    assert_int_equal(sw_totp_check(RFC_SECRET, "005924", (1234567890LL + 61) * 1000, &step),
                     SW_INVALID);
    assert_int_equal(sw_totp_check(RFC_SECRET, "00592", 1234567890LL * 1000, &step),
                     SW_INVALID);
    assert_int_equal(sw_totp_check(RFC_SECRET, "00592a", 1234567890LL * 1000, &step),
                     SW_INVALID);
    assert_int_equal(sw_totp_check(NULL, "005924", 1234567890LL * 1000, &step), SW_INVALID);
}

static void totp_secret_and_uri(void **state)
{
    char a[SW_TOTP_SECRET_MAX], b[SW_TOTP_SECRET_MAX], uri[512];

    assert_int_equal(sw_totp_secret(a), SW_OK);
    assert_int_equal(sw_totp_secret(b), SW_OK);
    assert_int_equal(strlen(a), 32);
    assert_string_not_equal(a, b);
    sw_totp_uri("li.na+x@centre.example", a, uri, sizeof(uri));
    assert_int_equal(strncmp(uri, "otpauth://totp/Seawall:li.na%2Bx%40centre.example?secret=",
                             57), 0);
    assert_non_null(strstr(uri, "&issuer=Seawall"));
}

static void session_cookie_parsing(void **state)
{
    const char *good = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-";
    char id[SW_SESSION_ID_LEN + 1], hdr[256];

    snprintf(hdr, sizeof(hdr), "theme=dark; sw_session=%s; lang=zh-CN", good);
    assert_int_equal(sw_session_cookie(hdr, id), SW_OK);
    assert_string_equal(id, good);
    snprintf(hdr, sizeof(hdr), "sw_session=%s", good);
    assert_int_equal(sw_session_cookie(hdr, id), SW_OK);
    assert_int_equal(sw_session_cookie("sw_session=short", id), SW_NOTFOUND);
    assert_int_equal(sw_session_cookie("xsw_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                       id), SW_NOTFOUND);
    assert_int_equal(sw_session_cookie("sw_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
                                       id), SW_NOTFOUND);
    assert_int_equal(sw_session_cookie("", id), SW_NOTFOUND);
    assert_int_equal(sw_session_cookie(";;; ;", id), SW_NOTFOUND);
}

static void email_hash_ignores_case(void **state)
{
    char a[65], b[65], c[65];

    sw_email_hash("Li.Na@Centre.Example", a);
    sw_email_hash("li.na@centre.example", b);
    sw_email_hash("li.na@centre.example.", c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(password_hash_and_verify),
        cmocka_unit_test(password_rules),
        cmocka_unit_test(totp_rfc6238_vectors),
        cmocka_unit_test(totp_secret_and_uri),
        cmocka_unit_test(session_cookie_parsing),
        cmocka_unit_test(email_hash_ignores_case),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
