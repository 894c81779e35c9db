/* net.h — which addresses outbound fetches (feeds, webhooks) may connect to.
 *
 * Loopback, private, shared (CGNAT), link-local (with cloud metadata at 169.254.169.254),
 * multicast, reserved and documentation ranges are refused, in IPv4 and IPv6, including
 * IPv4-mapped and NAT64 forms of them, unless the address is in the allow-list an admin set
 * (net.allow_private, CIDR blocks). Checked on the resolved address of every connection, so
 * redirects and names that resolve inside the network are caught too. */
#ifndef SEAWALL_NET_H
#define SEAWALL_NET_H

#include <sys/socket.h>
#include "seawall/common.h"

#define SW_NET_ALLOW_MAX 32

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

/* NULL when the address may be reached; otherwise why not ("loopback", "private", …). */
const char *sw_net_refused(const struct sockaddr *sa, const struct sw_allowlist *allow);

#endif
