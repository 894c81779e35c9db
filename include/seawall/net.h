/* net.h — which URLs outbound fetches (feeds, webhooks) may be given, and which addresses they
 * may connect to.
 *
 * Two checks, one of each for every caller:
 *  - sw_url_check reads a URL strictly: http or https, no user name or password, a host that is
 *    a plain DNS name, a dotted-quad IPv4 address or a bracketed IPv6 address (no percent-
 *    encoding, no trailing dot, no IPv4 in hex, octal or fewer than four parts, no "localhost"
 *    or "*.localhost"), and libcurl must read the same host from it. An IP literal is judged
 *    by sw_net_refused. The API runs it when a webhook or feed is created or changed; the
 *    poller and notifier run it again before every transfer (sw_fetch_init), so a URL stored
 *    before a rule existed is refused too.
 *  - sw_net_refused judges the address a connection is about to be made to: loopback, private,
 *    shared (CGNAT), link-local and cloud metadata, multicast, broadcast, reserved and
 *    documentation ranges in IPv4 and IPv6, the IPv6 forms that carry an IPv4 address inside
 *    (mapped, compatible, NAT64) judged by that address, and the transition ranges a host can
 *    be reached through (6to4, Teredo, NAT64 local-use) refused whole. It runs on the resolved
 *    address of every connection libcurl opens, so names that resolve inside the network and
 *    redirects are caught too.
 * The admin's allow-list (net.allow_private, CIDR blocks) lets a refused address through only
 * when the address itself, in its own family, is inside a listed block: it never widens what a
 * URL may look like, and an IPv4 block does not admit the IPv6 forms of its addresses. */
#ifndef SEAWALL_NET_H
#define SEAWALL_NET_H

#include <sys/socket.h>
#include "seawall/common.h"

#define SW_NET_ALLOW_MAX 32
#define SW_URL_MAX 2048

struct sw_cidr {
    int family;                 /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int bits;
};

struct sw_allowlist {
    struct sw_cidr net[SW_NET_ALLOW_MAX];
    int n;
};

/* Parses "127.0.0.1/32, ::1, 10.1.0.0/16" (empty: nothing allowed). Returns SW_OK, or
 * SW_INVALID with the offending entry in err. */
int sw_allowlist_parse(const char *text, struct sw_allowlist *out, char *err, size_t errlen);

/* NULL when the address may be reached; otherwise why not ("loopback", "private", …). allow
 * may be NULL (nothing allowed). */
const char *sw_net_refused(const struct sockaddr *sa, const struct sw_allowlist *allow);

/* Checks a URL a fetch is given (see above); allow may be NULL. Returns SW_OK, or SW_INVALID
 * with a sentence for a person in err ("the host is percent-encoded; …"). */
int sw_url_check(const char *url, const struct sw_allowlist *allow, char *err, size_t errlen);

#endif
