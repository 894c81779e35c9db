/* net.c — the URLs outbound fetches may be given, the addresses they may connect to, and the
 * admin's allow-list (see net.h for the rules and why each check runs where it does). */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>

#include "seawall/i18n.h"
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

static const char *in_ranges(const unsigned char *a, const struct range *r, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (in_prefix(a, r[i].addr, r[i].bits))
            return r[i].why;
    return NULL;
}

/* The first range that holds the address wins, so the narrow ones come first. */
static const char *v4_refused(const unsigned char *a)
{
    static const struct range r[] = {
        { { 0, 0, 0, 0 }, 32, SW_N("unspecified") },
        { { 0 }, 8, SW_N("this-network") },
        { { 10 }, 8, SW_N("private") },
        { { 100, 64 }, 10, SW_N("shared (CGNAT)") },
        { { 127 }, 8, SW_N("loopback") },
        { { 168, 63, 129, 16 }, 32, SW_N("cloud metadata (Azure)") },
        { { 169, 254, 169, 254 }, 32, SW_N("link-local (cloud metadata)") },
        { { 169, 254 }, 16, SW_N("link-local") },
        { { 172, 16 }, 12, SW_N("private") },
        { { 192, 0, 0 }, 24, SW_N("IETF protocol") },
        { { 192, 0, 2 }, 24, SW_N("documentation") },
        { { 192, 88, 99 }, 24, SW_N("6to4 relay") },
        { { 192, 168 }, 16, SW_N("private") },
        { { 198, 18 }, 15, SW_N("benchmarking") },
        { { 198, 51, 100 }, 24, SW_N("documentation") },
        { { 203, 0, 113 }, 24, SW_N("documentation") },
        { { 224 }, 4, SW_N("multicast") },
        { { 255, 255, 255, 255 }, 32, SW_N("broadcast") },
        { { 240 }, 4, SW_N("reserved") },
    };

    return in_ranges(a, r, SW_ARRAY_LEN(r));
}

/* IPv6: only global unicast (2000::/3) may be reached, and within it not the ranges below.
 * The forms that carry an IPv4 address in their last 32 bits where every host reads it the
 * same way (mapped, compatible, the NAT64 well-known prefix) are judged by that address. The
 * transition ranges whose traffic leaves through a tunnel or translator to an address we
 * cannot judge here are refused whole: 6to4 (deprecated by RFC 7526; a host with a 6to4
 * route sends 2002:V4::/48 straight to V4, and a public embedded V4 serves no webhook or
 * feed that its own IPv4 address would not), Teredo (the client address is obfuscated, the
 * server one is a relay's) and the NAT64 local-use prefix (RFC 8215: the embedded address
 * sits wherever the local prefix length puts it, and the translator is the operator's). */
static const char *v6_refused(const unsigned char *a)
{
    static const unsigned char zero[16] = { 0 };
    static const unsigned char one[16] = { [15] = 1 };
    static const unsigned char mapped[12] = { [10] = 0xFF, [11] = 0xFF };
    static const unsigned char nat64[12] = { 0, 0x64, 0xFF, 0x9B };
    static const struct range r[] = {
        { { 0, 0x64, 0xFF, 0x9B, 0, 1 }, 48, SW_N("NAT64 local-use") },
        { { 0xFD, 0x00, 0x0E, 0xC2, [14] = 0x02, [15] = 0x54 }, 128,
          SW_N("unique local (cloud metadata)") },
        { { 0xFC }, 7, SW_N("unique local (private)") },
        { { 0xFE, 0x80 }, 10, SW_N("link-local") },
        { { 0xFE, 0xC0 }, 10, SW_N("site-local") },
        { { 0xFF }, 8, SW_N("multicast") },
        { { 0x01 }, 64, SW_N("discard") },
        { { 0x20, 0x01, 0x00, 0x00 }, 32, SW_N("Teredo") },
        { { 0x20, 0x01, 0x0D, 0xB8 }, 32, SW_N("documentation") },
        { { 0x3F, 0xFF, 0x00 }, 20, SW_N("documentation") },
        { { 0x20, 0x01, 0x00 }, 23, SW_N("IETF protocol") },
        { { 0x20, 0x02 }, 16, SW_N("6to4") },
    };
    const char *why;

    if (memcmp(a, zero, 16) == 0)
        return "unspecified";
    if (memcmp(a, one, 16) == 0)
        return "loopback";
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
        return v4_refused(a + 12);
    if (memcmp(a, zero, 12) == 0)
        return (why = v4_refused(a + 12)) != NULL ? why : SW_N("IPv4-compatible (deprecated)");
    if ((why = in_ranges(a, r, SW_ARRAY_LEN(r))) != NULL)
        return why;
    return (a[0] & 0xE0) == 0x20 ? NULL : "reserved (not global unicast)";
}

/* Whether the address, in its own family, is inside a block of the allow-list. */
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
    } else if (sa->sa_family == AF_INET6) {
        a = (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        why = v6_refused(a);
    } else {
        return "not an internet address";
    }
    return why != NULL && !allowed(allow, sa->sa_family, a) ? why : NULL;
}

/* --- URLs ------------------------------------------------------------------------------- */

struct url_host {
    char host[256];                 /* lower-case; an IPv6 literal without its brackets */
    long port;                      /* -1 when the URL names none */
    struct sockaddr_storage addr;   /* an IP literal's address; ss_family 0 for a name */
};

/* A label the WHATWG URL standard and inet_aton read as a number: decimal digits, or 0x and
 * hex digits (octal is digits too). */
static int numeric_label(const char *s, size_t n)
{
    size_t i = 0;
    int hex = 0;

    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        hex = 1;
        i = 2;
    }
    for (; i < n; i++)
        if (!(hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])))
            return 0;
    return n > 0;
}

/* Four decimal numbers 0..255 without leading zeros, nothing else. Returns 1 with out set. */
static int ipv4_plain(const char *h, unsigned char out[4])
{
    int part = 0;

    while (part < 4) {
        size_t n = 0;
        unsigned v = 0;

        while (isdigit((unsigned char)h[n]) && n < 4)
            v = v * 10 + (unsigned)(h[n++] - '0');
        if (n == 0 || n > 3 || v > 255 || (n > 1 && h[0] == '0'))
            return 0;
        out[part++] = (unsigned char)v;
        h += n;
        if (part < 4 && *h++ != '.')
            return 0;
    }
    return *h == '\0';
}

static int is_localhost(const char *h)
{
    size_t n = strlen(h);

    if (n > 0 && h[n - 1] == '.')
        n--;
    return (n == 9 && strncmp(h, "localhost", 9) == 0) ||
           (n > 10 && strncmp(h + n - 10, ".localhost", 10) == 0);
}

/* Judges a host written without brackets (already lower-case): a DNS name or a dotted-quad
 * IPv4 address. Fills h->addr for the latter. */
static int host_plain(struct url_host *h, char *err, size_t errlen)
{
    const char *s = h->host, *label = s, *last;
    size_t n = strlen(s), i;
    struct in_addr read_as;
    char shown[INET_ADDRSTRLEN];

    if (strchr(s, '%') != NULL) {
        snprintf(err, errlen, sw_t("the host \"%.100s\" is percent-encoded; write it plainly"), s);
        return SW_INVALID;
    }
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.' && s[i] != '_') {
            snprintf(err, errlen, sw_t("the host \"%.100s\" has a character a host name may not "
                                       "have ('%c')"), s, s[i]);
            return SW_INVALID;
        }
    if (is_localhost(s)) {
        snprintf(err, errlen, sw_t("the host \"%.100s\" names this machine (localhost); only "
                                   "public addresses may be reached"), s);
        return SW_INVALID;
    }
    if (n > 253) {
        snprintf(err, errlen, sw_t("the host is longer than 253 characters"));
        return SW_INVALID;
    }
    if (s[n - 1] == '.') {
        snprintf(err, errlen, sw_t("the host \"%.100s\" ends in a dot; write it without"), s);
        return SW_INVALID;
    }
    for (i = 0, last = s; i <= n; i++) {
        if (s[i] != '.' && s[i] != '\0')
            continue;
        if (s + i == label || s + i - label > 63 || *label == '-' || s[i - 1] == '-') {
            snprintf(err, errlen, sw_t("the host \"%.100s\" is not a valid name (each "
                                       "dot-separated part is 1 to 63 letters, digits or hyphens, "
                                       "not starting or ending with a hyphen)"), s);
            return SW_INVALID;
        }
        last = label;
        label = s + i + 1;
    }
    if (!numeric_label(last, strlen(last)))
        return SW_OK;
    /* Ends in a number: an IPv4 address to every resolver, so it must be written plainly. */
    h->addr.ss_family = AF_INET;
    if (ipv4_plain(s, (unsigned char *)&((struct sockaddr_in *)&h->addr)->sin_addr))
        return SW_OK;
    if (inet_aton(s, &read_as) != 0 && inet_ntop(AF_INET, &read_as, shown, sizeof(shown)))
        snprintf(err, errlen, sw_t("the host \"%.100s\" is an IPv4 address in an unusual form "
                                   "(it reads as %s); write it as four decimal numbers, like "
                                   "192.0.2.1"), s, shown);
    else
        snprintf(err, errlen, sw_t("the host \"%.100s\" ends in a number but is not an IPv4 "
                                   "address written as four decimal numbers, like 192.0.2.1"), s);
    return SW_INVALID;
}

/* Splits scheme://host[:port] off the front of url and judges the host's form. */
static int url_host_read(const char *url, struct url_host *h, char *err, size_t errlen)
{
    size_t n, i, alen, hlen;
    const char *auth, *colon, *end;

    memset(h, 0, sizeof(*h));
    h->port = -1;
    if (url == NULL) {
        snprintf(err, errlen, sw_t("there is no URL"));
        return SW_INVALID;
    }
    n = strlen(url);
    if (n > SW_URL_MAX) {
        snprintf(err, errlen, sw_t("the URL is longer than %d bytes"), SW_URL_MAX);
        return SW_INVALID;
    }
    for (i = 0; i < n; i++)
        if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7F) {
            snprintf(err, errlen, sw_t("the URL has a space, a control character or a character "
                                       "outside ASCII at byte %zu (percent-encode it; write a host "
                                       "name in its xn-- form)"), i + 1);
            return SW_INVALID;
        }
    for (i = 0; isalnum((unsigned char)url[i]) || url[i] == '+' || url[i] == '-' ||
                url[i] == '.'; i++)
        ;
    if (i == 0 || url[i] != ':' || !isalpha((unsigned char)url[0])) {
        snprintf(err, errlen, sw_t("not an absolute URL (it starts with http:// or https://)"));
        return SW_INVALID;
    }
    if (!((i == 4 && strncasecmp(url, "http", 4) == 0) ||
          (i == 5 && strncasecmp(url, "https", 5) == 0))) {
        snprintf(err, errlen, sw_t("only http and https URLs are allowed"));
        return SW_INVALID;
    }
    if (strncmp(url + i, "://", 3) != 0) {
        snprintf(err, errlen, sw_t("not an absolute URL (it starts with http:// or https://)"));
        return SW_INVALID;
    }
    auth = url + i + 3;
    alen = strcspn(auth, "/?#");
    if (memchr(auth, '@', alen) != NULL) {
        snprintf(err, errlen, sw_t("credentials (a user name or password) in the URL are not "
                                   "allowed"));
        return SW_INVALID;
    }
    if (auth[0] == '[') {
        end = memchr(auth, ']', alen);
        if (end == NULL) {
            snprintf(err, errlen, sw_t("the IPv6 address in the host has no closing ']'"));
            return SW_INVALID;
        }
        hlen = (size_t)(end - auth - 1);
        colon = end + 1 < auth + alen ? end + 1 : NULL;
        if (colon != NULL && *colon != ':') {
            snprintf(err, errlen, sw_t("the host has characters after its ']'"));
            return SW_INVALID;
        }
        if (memchr(auth + 1, '%', hlen) != NULL) {
            snprintf(err, errlen, sw_t("an IPv6 zone identifier (%%) in the host is not allowed"));
            return SW_INVALID;
        }
        if (hlen >= INET6_ADDRSTRLEN) {
            snprintf(err, errlen, sw_t("the host is not an IPv6 address"));
            return SW_INVALID;
        }
        memcpy(h->host, auth + 1, hlen);
        h->host[hlen] = '\0';
        if (inet_pton(AF_INET6, h->host,
                      &((struct sockaddr_in6 *)&h->addr)->sin6_addr) != 1) {
            snprintf(err, errlen, sw_t("the host [%s] is not an IPv6 address"), h->host);
            return SW_INVALID;
        }
        h->addr.ss_family = AF_INET6;
    } else {
        colon = memchr(auth, ':', alen);
        hlen = colon != NULL ? (size_t)(colon - auth) : alen;
        if (colon != NULL && memchr(colon + 1, ':', alen - hlen - 1) != NULL) {
            snprintf(err, errlen, sw_t("an IPv6 address in a URL is written in brackets, like "
                                       "http://[2001:db8::1]/"));
            return SW_INVALID;
        }
        if (hlen == 0) {
            snprintf(err, errlen, sw_t("the URL has no host"));
            return SW_INVALID;
        }
        if (hlen >= sizeof(h->host)) {
            snprintf(err, errlen, sw_t("the host is longer than 253 characters"));
            return SW_INVALID;
        }
        for (i = 0; i < hlen; i++)
            h->host[i] = (char)tolower((unsigned char)auth[i]);
        h->host[hlen] = '\0';
        if (host_plain(h, err, errlen) != SW_OK)
            return SW_INVALID;
    }
    if (colon != NULL) {
        size_t plen = (size_t)(auth + alen - colon - 1);
        long port = 0;

        for (i = 0; i < plen && isdigit((unsigned char)colon[1 + i]) && i < 5; i++)
            port = port * 10 + (colon[1 + i] - '0');
        if (plen == 0 || i != plen || port < 1 || port > 65535) {
            snprintf(err, errlen, sw_t("the port must be a number from 1 to 65535"));
            return SW_INVALID;
        }
        h->port = port;
    }
    return SW_OK;
}

/* Whether libcurl, which will make the request, reads the same host and port from url. */
static int curl_agrees(const char *url, const struct url_host *h)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, bare[INET6_ADDRSTRLEN];
    unsigned char a[16];
    CURLUcode prc;
    size_t n;
    int ok = 0;

    if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        goto out;
    n = strlen(host);
    if (h->addr.ss_family == AF_INET6) {
        if (n < 3 || n - 2 >= sizeof(bare) || host[0] != '[' || host[n - 1] != ']')
            goto out;
        memcpy(bare, host + 1, n - 2);
        bare[n - 2] = '\0';
        ok = inet_pton(AF_INET6, bare, a) == 1 &&
             memcmp(a, &((const struct sockaddr_in6 *)&h->addr)->sin6_addr, 16) == 0;
    } else {
        ok = strcasecmp(host, h->host) == 0;
    }
    prc = curl_url_get(u, CURLUPART_PORT, &port, 0);
    if (h->port < 0)
        ok = ok && prc == CURLUE_NO_PORT;
    else
        ok = ok && prc == CURLUE_OK && strtol(port, NULL, 10) == h->port;
out:
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return ok;
}

int sw_url_check(const char *url, const struct sw_allowlist *allow, char *err, size_t errlen)
{
    struct url_host h;
    const char *why;

    if (url_host_read(url, &h, err, errlen) != SW_OK)
        return SW_INVALID;
    if (h.addr.ss_family != 0 && (why = sw_net_refused((struct sockaddr *)&h.addr, allow))) {
        /* TRANSLATORS: the host (IPv6 in brackets), then the kind of address, such as
           loopback or private. */
        snprintf(err, errlen, sw_t("the host %s%s%s points inside the network (%s address); only "
                                   "public addresses may be reached"),
                 h.addr.ss_family == AF_INET6 ? "[" : "", h.host,
                 h.addr.ss_family == AF_INET6 ? "]" : "", sw_t(why));
        return SW_INVALID;
    }
    if (!curl_agrees(url, &h)) {
        snprintf(err, errlen, sw_t("libcurl reads this URL's host or port differently; write the "
                                   "host plainly"));
        return SW_INVALID;
    }
    return SW_OK;
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
