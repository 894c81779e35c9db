/* test_net.c — the addresses outbound fetches may not reach, and the allow-list. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/net.h"

static const char *verdict(const char *ip, const struct sw_allowlist *allow)
{
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;

    memset(&v4, 0, sizeof(v4));
    memset(&v6, 0, sizeof(v6));
    if (inet_pton(AF_INET, ip, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        return sw_net_refused((struct sockaddr *)&v4, allow);
    }
    assert_int_equal(inet_pton(AF_INET6, ip, &v6.sin6_addr), 1);
    v6.sin6_family = AF_INET6;
    return sw_net_refused((struct sockaddr *)&v6, allow);
}

static void refused_ranges(void **state)
{
    const char *bad[] = { "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                          "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                          "224.0.0.1", "255.255.255.255", "192.0.2.1", "::1", "::",
                          "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
                          "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe",
                          "::127.0.0.1", "2001:db8::1" };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *why = verdict(bad[i], NULL);

        if (why == NULL)
            fail_msg("%s was allowed", bad[i]);
    }
    assert_string_equal(verdict("169.254.169.254", NULL), "link-local (cloud metadata)");
    assert_string_equal(verdict("::ffff:10.1.1.1", NULL), "private");
}

static void public_addresses_pass(void **state)
{
    const char *good[] = { "8.8.8.8", "151.101.1.69", "172.15.255.255", "172.32.0.1",
                           "100.63.255.255", "2606:4700::6810:85e5", "::ffff:8.8.8.8" };
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_null(verdict(good[i], NULL));
}

static void allow_list(void **state)
{
    struct sw_allowlist al;
    char err[128];

    assert_int_equal(sw_allowlist_parse(" 127.0.0.1/32 , ::1,10.1.0.0/16", &al, err,
                                        sizeof(err)), SW_OK);
    assert_int_equal(al.n, 3);
    assert_null(verdict("127.0.0.1", &al));
    assert_null(verdict("::ffff:127.0.0.1", &al));
    assert_null(verdict("::1", &al));
    assert_null(verdict("10.1.200.3", &al));
    assert_non_null(verdict("127.0.0.2", &al));
    assert_non_null(verdict("10.2.0.1", &al));
    assert_non_null(verdict("169.254.169.254", &al));
    assert_int_equal(sw_allowlist_parse("", &al, err, sizeof(err)), SW_OK);
    assert_int_equal(al.n, 0);
    assert_int_equal(sw_allowlist_parse("localhost", &al, err, sizeof(err)), SW_INVALID);
    assert_non_null(strstr(err, "not an IP address"));
    assert_int_equal(sw_allowlist_parse("10.0.0.0/33", &al, err, sizeof(err)), SW_INVALID);
    assert_non_null(strstr(err, "prefix length"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refused_ranges),
        cmocka_unit_test(public_addresses_pass),
        cmocka_unit_test(allow_list),
    };
    return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
