/* test_net.c — the addresses outbound fetches may not reach, the allow-list, and API keys by
 * host (sent to their host only, over https only). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/fetch.h"
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
                          "::127.0.0.1", "2001:db8::1", "0.1.2.3", "198.19.0.1", "240.0.0.1",
                          "192.88.99.1", "168.63.129.16", "fec0::1", "100::1", "3fff::1",
                          "2001:2::1", "2001:10::1", "::ffff:0:7f00:1", "4000::1", "5f00::1" };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *why = verdict(bad[i], NULL);

        if (why == NULL)
            fail_msg("%s was allowed", bad[i]);
    }
    assert_string_equal(verdict("169.254.169.254", NULL), "link-local (cloud metadata)");
    assert_string_equal(verdict("169.254.1.1", NULL), "link-local");
    assert_string_equal(verdict("fd00:ec2::254", NULL), "unique local (cloud metadata)");
    assert_string_equal(verdict("::ffff:10.1.1.1", NULL), "private");
    assert_string_equal(verdict("255.255.255.255", NULL), "broadcast");
    assert_string_equal(verdict("0.0.0.0", NULL), "unspecified");
    assert_string_equal(verdict("::8.8.8.8", NULL), "IPv4-compatible (deprecated)");
    assert_string_equal(verdict("4000::1", NULL), "reserved (not global unicast)");
}

/* The IPv6 ranges that reach IPv4 through a tunnel or translator. */
static void transition_ranges(void **state)
{
    /* NAT64's well-known prefix: judged by the IPv4 address in its last 32 bits. */
    assert_string_equal(verdict("64:ff9b::7f00:1", NULL), "loopback");
    assert_string_equal(verdict("64:ff9b::10.0.0.1", NULL), "private");
    assert_string_equal(verdict("64:ff9b::169.254.169.254", NULL), "link-local (cloud metadata)");
    assert_null(verdict("64:ff9b::8.8.8.8", NULL));
    /* NAT64 local-use, 6to4 and Teredo: refused whatever they carry. */
    assert_string_equal(verdict("64:ff9b:1::a00:1", NULL), "NAT64 local-use");
    assert_string_equal(verdict("64:ff9b:1:fffe::808:808", NULL), "NAT64 local-use");
    assert_string_equal(verdict("2002:7f00:1::", NULL), "6to4");
    assert_string_equal(verdict("2002:a9fe:a9fe::1", NULL), "6to4");
    assert_string_equal(verdict("2002:808:808::1", NULL), "6to4");
    assert_string_equal(verdict("2001:0:4136:e378:8000:63bf:3fff:fdd2", NULL), "Teredo");
    assert_string_equal(verdict("2001::1", NULL), "Teredo");
    assert_string_equal(verdict("2001:1::1", NULL), "IETF protocol");
}

static void public_addresses_pass(void **state)
{
    const char *good[] = { "8.8.8.8", "151.101.1.69", "172.15.255.255", "172.32.0.1",
                           "100.63.255.255", "2606:4700::6810:85e5", "::ffff:8.8.8.8",
                           "2001:4860:4860::8888", "2a00:1450:4001::1", "2001:200::1",
                           "168.63.129.17", "3ffe::1", "2003::1" };
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
    /* Only the address itself: 127.0.0.1/32 does not admit ::ffff:127.0.0.1 or 6to4/NAT64 forms
     * of it. */
    assert_non_null(verdict("::ffff:127.0.0.1", &al));
    assert_non_null(verdict("64:ff9b::127.0.0.1", &al));
    assert_non_null(verdict("2002:7f00:1::", &al));
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

static struct sw_allowlist demo;   /* the test stack's and the demo's: 127.0.0.1/32 */

static int setup_demo(void **state)
{
    char err[128];

    (void)state;
    return sw_allowlist_parse("127.0.0.1/32", &demo, err, sizeof(err));
}

/* The URL's verdict under the demo allow-list: NULL when accepted, else the reason. */
static const char *url_verdict(const char *url)
{
    static char err[400];

    return sw_url_check(url, &demo, err, sizeof(err)) == SW_OK ? NULL : err;
}

static void expect_refused(const char *url, const char *needle)
{
    const char *why = url_verdict(url);

    if (why == NULL)
        fail_msg("%s was accepted", url);
    if (strstr(why, needle) == NULL)
        fail_msg("%s: \"%s\" does not say \"%s\"", url, why, needle);
}

static void urls_accepted(void **state)
{
    const char *good[] = {
        "https://hooks.example.com/x", "http://example.com", "HTTPS://Hooks.Example.COM:8443/a?b=c#d",
        "http://127.0.0.1:8080/ok/x", "http://8.8.8.8/", "http://[2606:4700::6810:85e5]:443/",
        "https://xn--bcher-kva.example/feed.xml", "http://my_host.example.com/",
        "http://a.b-c.d/%41%42?q=%2F", "http://vm:9000/", "http://123.example.com/",
        "http://0x7f.example.com/", "http://example.com:65535/",
    };
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(good); i++) {
        const char *why = url_verdict(good[i]);

        if (why != NULL)
            fail_msg("%s was refused: %s", good[i], why);
    }
}

static void urls_with_hostile_hosts_refused(void **state)
{
    /* The ones item 10 named: a trailing dot on localhost, percent-encoding in the host, and
     * the IPv6 transition ranges. Refused although 127.0.0.1 itself is allowed. */
    expect_refused("http://LOCALHOST.:8080/", "names this machine (localhost)");
    expect_refused("http://localhost./", "localhost");
    expect_refused("http://localhost/", "localhost");
    expect_refused("http://api.localhost:9/", "localhost");
    expect_refused("http://a.b.LocalHost./", "localhost");
    expect_refused("http://%31%32%37.0.0.1:8080/", "percent-encoded");
    expect_refused("http://ex%61mple.com/", "percent-encoded");
    expect_refused("http://%6c%6f%63%61%6c%68%6f%73%74/", "percent-encoded");
    expect_refused("http://[2002:7f00:1::]/", "6to4 address");
    expect_refused("http://[2002:808:808::1]/", "6to4 address");
    expect_refused("http://[64:ff9b:1::a00:1]/", "NAT64 local-use address");
    expect_refused("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo address");
    expect_refused("http://[64:ff9b::7f00:1]/", "loopback address");
    expect_refused("http://[::ffff:127.0.0.1]:8080/", "loopback address");
    expect_refused("http://[::ffff:7f00:1]/", "loopback address");
    expect_refused("http://[::127.0.0.1]/", "loopback address");
    expect_refused("http://[fd00:ec2::254]/", "cloud metadata");
    expect_refused("http://169.254.169.254/latest/meta-data/", "cloud metadata");
    expect_refused("http://127.0.0.2/", "loopback address");
    expect_refused("http://[::1]/", "loopback address");
    expect_refused("http://0.0.0.0/", "unspecified address");
    expect_refused("http://100.64.0.1/", "shared (CGNAT) address");
    expect_refused("http://[fe80::1%25eth0]/", "zone identifier");
    expect_refused("http://[fe80::1]/", "link-local address");
    expect_refused("http://[2001:db8::1]/", "documentation address");
    /* IPv4 in the forms inet_aton and browsers read, which a person does not write. */
    expect_refused("http://0x7f.1/", "unusual form (it reads as 127.0.0.1)");
    expect_refused("http://2130706433/", "reads as 127.0.0.1");
    expect_refused("http://127.1/", "reads as 127.0.0.1");
    expect_refused("http://0177.0.0.1/", "reads as 127.0.0.1");
    expect_refused("http://0x7f000001:8080/", "reads as 127.0.0.1");
    expect_refused("http://010.0.0.1/", "reads as 8.0.0.1");
    expect_refused("http://0/", "reads as 0.0.0.0");
    expect_refused("http://8.8.8.010/", "unusual form (it reads as 8.8.8.8)");
    expect_refused("http://8.8.8.08/", "ends in a number");
    expect_refused("http://1.2.3.4.5/", "ends in a number");
    expect_refused("http://256.1.1.1/", "ends in a number");
    expect_refused("http://example.0x1/", "ends in a number");
    expect_refused("http://127.0.0.1./", "ends in a dot");
    expect_refused("http://example.com./", "ends in a dot");
}

static void urls_with_bad_shapes_refused(void **state)
{
    char long_url[SW_URL_MAX + 20];

    expect_refused("ftp://example.com/", "only http and https");
    expect_refused("file:///etc/passwd", "only http and https");
    expect_refused("gopher://example.com/", "only http and https");
    expect_refused("//example.com/", "not an absolute URL");
    expect_refused("http:example.com", "not an absolute URL");
    expect_refused("http:\\\\example.com\\", "not an absolute URL");
    expect_refused("example.com/hook", "not an absolute URL");
    expect_refused("http:///x", "no host");
    expect_refused("http://:80/", "no host");
    expect_refused("http://user:pw@example.com/", "credentials");
    expect_refused("http://user@example.com/", "credentials");
    expect_refused("http://example.com@127.0.0.1/", "credentials");
    expect_refused("http://@example.com/", "credentials");
    expect_refused("http://ex ample.com/", "a space");
    expect_refused("http://example.com/a b", "a space");
    expect_refused("http://example.com/\x01", "control character");
    expect_refused("http://b\xc3\xbc" "cher.example/", "outside ASCII");
    expect_refused("http://ex\\ample.com/", "a character a host name may not have");
    expect_refused("http://a..b/", "not a valid name");
    expect_refused("http://.example.com/", "not a valid name");
    expect_refused("http://-a.example.com/", "not a valid name");
    expect_refused("http://a-.example.com/", "not a valid name");
    expect_refused("http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com/",
                   "not a valid name");
    expect_refused("http://example.com:0/", "port");
    expect_refused("http://example.com:65536/", "port");
    expect_refused("http://example.com:/", "port");
    expect_refused("http://example.com:8o/", "port");
    expect_refused("http://example.com:000080/", "port");
    expect_refused("http://2001:db8::1/", "in brackets");
    expect_refused("http://[2001:db8::1/", "no closing");
    expect_refused("http://[::1]x/", "after its ']'");
    expect_refused("http://[example.com]/", "not an IPv6 address");
    expect_refused("http://[v1.x]/", "not an IPv6 address");
    expect_refused("", "not an absolute URL");
    memset(long_url, 'a', sizeof(long_url) - 1);
    memcpy(long_url, "http://example.com/", 19);
    long_url[sizeof(long_url) - 1] = '\0';
    expect_refused(long_url, "longer than 2048");
    assert_int_equal(sw_url_check(NULL, NULL, long_url, sizeof(long_url)), SW_INVALID);
}

/* The headers keys adds for url, joined with "|". */
static void headers_for(const struct sw_api_keys *keys, const char *url, char *out, size_t n)
{
    struct curl_slist *list = sw_api_keys_headers(keys, url, NULL), *l;
    size_t o = 0;

    out[0] = '\0';
    for (l = list; l != NULL && o < n; l = l->next)
        o += (size_t)snprintf(out + o, n - o, "%s%s", o ? "|" : "", l->data);
    curl_slist_free_all(list);
}

static void api_keys_by_host(void **state)
{
    struct sw_api_keys keys;
    char err[200], got[400];

    assert_int_equal(sw_api_keys_parse("api.uspto.gov=X-API-KEY:k1, data.test=Authorization:"
                                       "Bearer k2", &keys, err, sizeof(err)), SW_OK);
    assert_int_equal(keys.n, 2);
    headers_for(&keys, "https://api.uspto.gov/api/v1/datasets/products/files/TRTDXFAP/"
                "apc261130.zip", got, sizeof(got));
    assert_string_equal(got, "X-API-KEY:k1");
    headers_for(&keys, "https://API.USPTO.GOV/x", got, sizeof(got));
    assert_string_equal(got, "X-API-KEY:k1");
    /* Never over plain http, never to another host (a redirect's signed URL elsewhere, a host
     * that merely ends like the named one). */
    headers_for(&keys, "http://api.uspto.gov/x", got, sizeof(got));
    assert_string_equal(got, "");
    headers_for(&keys, "https://data.uspto.gov/files/PTGRXML/2026/ipg261201.zip?Expires=1", got,
                sizeof(got));
    assert_string_equal(got, "");
    headers_for(&keys, "https://evil-api.uspto.gov.example/x", got, sizeof(got));
    assert_string_equal(got, "");
    headers_for(&keys, "https://data.test/y", got, sizeof(got));
    assert_string_equal(got, "Authorization:Bearer k2");
    assert_int_equal(sw_api_keys_parse("", &keys, err, sizeof(err)), SW_OK);
    assert_int_equal(keys.n, 0);
    headers_for(&keys, "https://api.uspto.gov/x", got, sizeof(got));
    assert_string_equal(got, "");
    /* A malformed entry is named by its number, never by its value. */
    assert_int_equal(sw_api_keys_parse("a.test=H:v, secret-value-without-equals", &keys, err,
                                       sizeof(err)), SW_INVALID);
    assert_string_equal(err, "entry 2: not host=Header:value");
    assert_int_equal(sw_api_keys_parse("a.test=nocolon", &keys, err, sizeof(err)), SW_INVALID);
    assert_int_equal(sw_api_keys_parse("=H:v", &keys, err, sizeof(err)), SW_INVALID);
    assert_int_equal(sw_api_keys_parse("a.test=H:", &keys, err, sizeof(err)), SW_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refused_ranges),
        cmocka_unit_test(public_addresses_pass),
        cmocka_unit_test(transition_ranges),
        cmocka_unit_test(allow_list),
        cmocka_unit_test(urls_accepted),
        cmocka_unit_test(urls_with_hostile_hosts_refused),
        cmocka_unit_test(urls_with_bad_shapes_refused),
        cmocka_unit_test(api_keys_by_host),
    };
    return cmocka_run_group_tests_name("net", tests, setup_demo, NULL);
}
