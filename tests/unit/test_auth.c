/* test_auth.c — token format, hashing and constant-time verification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/auth.h"
#include "seawall/store.h"

static void generate_and_split(void **state)
{
    char id[SW_TOKEN_ID_LEN + 1], id2[SW_TOKEN_ID_LEN + 1], tok[SW_TOKEN_MAX],
        tok2[SW_TOKEN_MAX], back[SW_TOKEN_ID_LEN + 1];
    const char *secret;

    assert_int_equal(sw_token_generate(id, tok), SW_OK);
    assert_int_equal(sw_token_generate(id2, tok2), SW_OK);
    assert_string_not_equal(tok, tok2);
    assert_int_equal(strlen(tok), 4 + 16 + 1 + 43);
    assert_int_equal(strncmp(tok, "swt_", 4), 0);
    assert_int_equal(sw_token_split(tok, back, &secret), SW_OK);
    assert_string_equal(back, id);
    assert_int_equal(strlen(secret), 43);
}

/* A token drawn for a slot has its record (sw:tok:<id>) in that slot, and is a token like
 * any other. */
static void generate_in_slot(void **state)
{
    static const char *const accounts[] = { "sw:{sub:1}:profile", "sw:{sub:42}:profile",
                                            "sw:staff:7" };
    char id[SW_TOKEN_ID_LEN + 1], tok[SW_TOKEN_MAX], back[SW_TOKEN_ID_LEN + 1],
        key[64];
    const char *secret;
    size_t i;

    for (i = 0; i < sizeof(accounts) / sizeof(accounts[0]); i++) {
        int slot = sw_store_slot(accounts[i], strlen(accounts[i]));

        assert_int_equal(sw_token_generate_in_slot(id, tok, slot), SW_OK);
        sw_auth_token_key(id, key, sizeof(key));
        assert_int_equal(sw_store_slot(key, strlen(key)), slot);
        assert_int_equal(sw_token_split(tok, back, &secret), SW_OK);
        assert_string_equal(back, id);
        assert_int_equal(strlen(secret), 43);
    }
}

static void split_refuses_malformed(void **state)
{
    char id[SW_TOKEN_ID_LEN + 1];
    const char *secret;
    const char *bad[] = {
        "", "swt_", "swt_0123456789abcdef", "swt_0123456789abcdef_",
        "swt_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "tok_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "swt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "swt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "swt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "swt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/A",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(sw_token_split(bad[i], id, &secret), SW_INVALID);
}

static void hash_is_sha256_hex(void **state)
{
    char hex[65];

    sw_token_hash("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void verify_matches_only_the_secret(void **state)
{
    char hex[65];

    sw_token_hash("secret-one", 10, hex);
    assert_true(sw_token_verify("secret-one", hex));
    assert_false(sw_token_verify("secret-onf", hex));
    assert_false(sw_token_verify("", hex));
    assert_false(sw_token_verify("secret-one", "not-hex"));
    assert_false(sw_token_verify("secret-one", ""));
    hex[63] = hex[63] == '0' ? '1' : '0';
    assert_false(sw_token_verify("secret-one", hex));
}

static void roles_round_trip(void **state)
{
    const char *names[] = { "exporter", "triager", "expert", "station", "admin",
                            "association" };
    enum sw_role r;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(names); i++) {
        assert_int_equal(sw_role_parse(names[i], &r), SW_OK);
        assert_string_equal(sw_role_name(r), names[i]);
    }
    assert_int_equal(sw_role_parse("root", &r), SW_INVALID);
    assert_int_equal(sw_role_parse("Admin", &r), SW_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generate_and_split),
        cmocka_unit_test(generate_in_slot),
        cmocka_unit_test(split_refuses_malformed),
        cmocka_unit_test(hash_is_sha256_hex),
        cmocka_unit_test(verify_matches_only_the_secret),
        cmocka_unit_test(roles_round_trip),
    };
    return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
