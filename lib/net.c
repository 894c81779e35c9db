/* net.c — address classes that outbound fetches may not reach, and the admin's allow-list. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/net.h"

struct range {
    unsigned char addr[16];
    int bits;
    const char *why;
};

static int in_prefix(const unsigned char *a, const unsigned char *p, int bits)
{
    int full = bits / 8, rest = bits % 8;

    if (memcmp(a, p, (size_t)full) != 0)
        return 0;
    if (rest == 0)
        return 1;
    return (a[full] & (0xFF << (8 - rest))) == (p[full] & (0xFF << (8 - rest)));
}

static const char *v4_refused(const unsigned char *a)
{
    static const struct range r[] = {
        { { 0 }, 8, "unspecified" },          { { 10 }, 8, "private" },
        { { 100, 64 }, 10, "shared (CGNAT)" }, { { 127 }, 8, "loopback" },
        { { 169, 254 }, 16, "link-local (cloud metadata)" },
        { { 172, 16 }, 12, "private" },        { { 192, 0, 0 }, 24, "IETF protocol" },
        { { 192, 0, 2 }, 24, "documentation" }, { { 192, 88, 99 }, 24, "6to4 relay" },
        { { 192, 168 }, 16, "private" },       { { 198, 18 }, 15, "benchmarking" },
        { { 198, 51, 100 }, 24, "documentation" }, { { 203, 0, 113 }, 24, "documentation" },
        { { 224 }, 4, "multicast" },           { { 240 }, 4, "reserved" },
    };
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(r); i++)
        if (in_prefix(a, r[i].addr, r[i].bits))
            return r[i].why;
    return NULL;
}

static const char *v6_refused(const unsigned char *a)
{
    static const unsigned char zero[16] = { 0 };
    static const unsigned char one[16] = { [15] = 1 };
    static const unsigned char mapped[12] = { [10] = 0xFF, [11] = 0xFF };
    static const unsigned char nat64[12] = { 0, 0x64, 0xFF, 0x9B };
    static const struct range r[] = {
        { { 0xFC }, 7, "unique local (private)" }, { { 0xFE, 0x80 }, 10, "link-local" },
        { { 0xFE, 0xC0 }, 10, "site-local" },       { { 0xFF }, 8, "multicast" },
        { { 0x20, 0x01, 0x0D, 0xB8 }, 32, "documentation" },
        { { 0x01 }, 64, "discard" },
    };
    size_t i;

    if (memcmp(a, zero, 16) == 0)
        return "unspecified";
    if (memcmp(a, one, 16) == 0)
        return "loopback";
    /* IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and IPv4-compatible (::a.b.c.d):
     * judged by the IPv4 address inside. */
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0 || memcmp(a, zero, 12) == 0) {
        const char *why = v4_refused(a + 12);

        return why ? why : (memcmp(a, zero, 12) == 0 ? "IPv4-compatible" : NULL);
    }
    for (i = 0; i < SW_ARRAY_LEN(r); i++)
        if (in_prefix(a, r[i].addr, r[i].bits))
            return r[i].why;
    return NULL;
}

static int allowed(const struct sw_allowlist *allow, int family, const unsigned char *a)
{
    int i;

    for (i = 0; allow != NULL && i < allow->n; i++)
        if (allow->net[i].family == family && in_prefix(a, allow->net[i].addr, allow->net[i].bits))
            return 1;
    return 0;
}

const char *sw_net_refused(const struct sockaddr *sa, const struct sw_allowlist *allow)
{
    const unsigned char *a;
    const char *why;

    if (sa == NULL)
        return "no address";
    if (sa->sa_family == AF_INET) {
        a = (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
        why = v4_refused(a);
        return why != NULL && !allowed(allow, AF_INET, a) ? why : NULL;
    }
    if (sa->sa_family == AF_INET6) {
        a = (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        why = v6_refused(a);
        if (why == NULL || allowed(allow, AF_INET6, a))
            return NULL;
        /* An allowed IPv4 address reached through its mapped form is allowed too. */
        if (a[10] == 0xFF && a[11] == 0xFF && allowed(allow, AF_INET, a + 12))
            return NULL;
        return why;
    }
    return "not an internet address";
}

int sw_allowlist_parse(const char *text, struct sw_allowlist *out, char *err, size_t errlen)
{
    const char *p = text;

    memset(out, 0, sizeof(*out));
    while (p != NULL && *p != '\0') {
        char item[80], *slash;
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        struct sw_cidr *c;
        long long bits;

        while (n > 0 && (*p == ' ' || *p == '\t')) {
            p++;
            n--;
        }
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == 0) {
            p = end ? end + 1 : NULL;
            continue;
        }
        if (n >= sizeof(item) || out->n >= SW_NET_ALLOW_MAX) {
            snprintf(err, errlen, "allow-list entry \"%.*s\" is too long, or too many entries",
                     (int)(n > 40 ? 40 : n), p);
            return SW_INVALID;
        }
        memcpy(item, p, n);
        item[n] = '\0';
        c = &out->net[out->n];
        slash = strchr(item, '/');
        if (slash != NULL)
            *slash = '\0';
        if (inet_pton(AF_INET, item, c->addr) == 1) {
            c->family = AF_INET;
            bits = 32;
        } else if (inet_pton(AF_INET6, item, c->addr) == 1) {
            c->family = AF_INET6;
            bits = 128;
        } else {
            snprintf(err, errlen, "\"%s\" is not an IP address or CIDR block", item);
            return SW_INVALID;
        }
        if (slash != NULL &&
            sw_parse_ll(slash + 1, 0, c->family == AF_INET ? 32 : 128, &bits) != SW_OK) {
            snprintf(err, errlen, "\"%s/%s\" has a bad prefix length", item, slash + 1);
            return SW_INVALID;
        }
        c->bits = (int)bits;
        out->n++;
        p = end ? end + 1 : NULL;
    }
    return SW_OK;
}
