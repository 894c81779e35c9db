/* fetch.h — one outbound HTTP transfer (feeds now, webhooks later) with every rule applied:
 * http and https only, no proxies from the environment, redirects never followed by libcurl
 * (the caller follows them, so it can count hops and see permanent moves), connect and total
 * timeouts, a low-speed limit, a body cap enforced in the write callback after decompression,
 * the net.h URL check before the transfer and its address check on every connection libcurl
 * opens. */
#ifndef SEAWALL_FETCH_H
#define SEAWALL_FETCH_H

#include <curl/curl.h>

#include "seawall/buf.h"
#include "seawall/common.h"
#include "seawall/net.h"

struct sw_fetch_opts {
    long connect_timeout_ms;
    long total_timeout_ms;
    long low_speed_bytes;          /* abort when slower than this many bytes/s … */
    long low_speed_s;              /* … for this many seconds */
    size_t body_max;               /* bytes of (decompressed) body kept; more is an error */
    const struct sw_allowlist *allow;
    const char *user_agent;
};

struct sw_fetch {
    CURL *easy;
    struct curl_slist *headers;
    struct sw_buf body;
    const struct sw_allowlist *allow;
    int over_cap;                  /* the body passed body_max */
    char refused[480];             /* why the URL or address check refused, if it did */
    char etag[256];
    char last_modified[64];
    char content_type[256];
    char retry_after[64];
    char location[SW_URL_MAX + 64];   /* the Location header as the server wrote it */
    char errbuf[CURL_ERROR_SIZE];
    void *owner;                   /* the caller's, untouched */
    int sink_fd;                   /* >= 0: the body goes to this file, not to body */
    size_t sink_len;               /* bytes written there */
    int sink_err;                  /* errno of a failed write() */
};

/* Prepares f to GET url with the extra request headers (may be NULL; f takes them over).
 * Returns SW_OK; SW_INVALID when sw_url_check refuses the URL (f->refused says why, for
 * sw_fetch_describe); SW_ERR when libcurl refused the setup. Clean up with sw_fetch_cleanup
 * in every case. */
int sw_fetch_init(struct sw_fetch *f, const char *url, const struct sw_fetch_opts *o,
                  struct curl_slist *headers);
void sw_fetch_cleanup(struct sw_fetch *f);

/* Sends the body to fd (a file the caller owns and closes) instead of memory, at most max
 * bytes: for archives of hundreds of MB. Call after sw_fetch_init. SW_OK or SW_ERR. */
int sw_fetch_body_to(struct sw_fetch *f, int fd, size_t max);

/* One line saying why the transfer failed (rc from libcurl), naming the cap, the refused
 * address or libcurl's own message. */
void sw_fetch_describe(const struct sw_fetch *f, CURLcode rc, char *out, size_t outlen);

/* The charset parameter of the response's Content-Type, or NULL. */
const char *sw_fetch_charset(const struct sw_fetch *f, char *buf, size_t buflen);

/* Checks a redirect's Location as the server wrote it, when it names a host (absolute, or
 * "//host/…" completed with scheme), with sw_url_check: libcurl's resolved redirect URL has the
 * host already decoded ("%31%32%37.0.0.1" reads 127.0.0.1), so a disguise would pass there.
 * A Location without a host stays on the host already checked: SW_OK. */
int sw_fetch_location_check(const struct sw_fetch *f, const char *scheme, char *err,
                            size_t errlen);

/* API keys by host (poller.api_keys: "host=Header:value, …"): a header sent only to its exact
 * host, only over https, and only by a caller that adds it to a request it makes itself (the
 * poller: a poll's first request, never a redirect's target). */
struct sw_api_keys {
    struct {
        char host[256];
        char header[768];   /* "Header:value" */
    } k[8];
    int n;
};

/* Reads text into keys. SW_OK; SW_INVALID with err naming the entry (never its value). */
int sw_api_keys_parse(const char *text, struct sw_api_keys *keys, char *err, size_t errlen);

/* Appends to list (may be NULL) the headers of keys for url's host when url is https, and
 * returns the list. */
struct curl_slist *sw_api_keys_headers(const struct sw_api_keys *keys, const char *url,
                                       struct curl_slist *list);

/* Retry-After in seconds (delta or HTTP-date against now_ms), or -1 when absent or unusable. */
long sw_fetch_retry_after(const struct sw_fetch *f, int64_t now_ms);

#endif
