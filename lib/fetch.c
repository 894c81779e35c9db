/* fetch.c — a safely configured libcurl easy handle and what its response said. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "seawall/fetch.h"

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    struct sw_fetch *f = ud;
    size_t len = size * n, done = 0;

    if (f->sink_fd >= 0) {
        if (f->sink_len + len > f->body.max) {
            f->over_cap = 1;
            return 0;
        }
        while (done < len) {
            ssize_t w = write(f->sink_fd, data + done, len - done);

            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                f->sink_err = w < 0 ? errno : EIO;
                return 0;
            }
            done += (size_t)w;
        }
        f->sink_len += len;
        return len;
    }
    if (sw_buf_add(&f->body, data, len) != SW_OK) {
        f->over_cap = 1;
        return 0;   /* CURLE_WRITE_ERROR: the transfer stops here */
    }
    return len;
}

static void copy_value(char *dst, size_t dstlen, const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    if (n >= dstlen)
        n = dstlen - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

/* Keeps the headers of the response being read; a new status line starts afresh. */
static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
    static const struct { const char *name; size_t off, len; } wanted[] = {
        { "etag:", offsetof(struct sw_fetch, etag), sizeof(((struct sw_fetch *)0)->etag) },
        { "last-modified:", offsetof(struct sw_fetch, last_modified),
          sizeof(((struct sw_fetch *)0)->last_modified) },
        { "content-type:", offsetof(struct sw_fetch, content_type),
          sizeof(((struct sw_fetch *)0)->content_type) },
        { "retry-after:", offsetof(struct sw_fetch, retry_after),
          sizeof(((struct sw_fetch *)0)->retry_after) },
        { "location:", offsetof(struct sw_fetch, location),
          sizeof(((struct sw_fetch *)0)->location) },
    };
    struct sw_fetch *f = ud;
    size_t len = size * n, i;

    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        f->etag[0] = f->last_modified[0] = f->content_type[0] = f->retry_after[0] = '\0';
        f->location[0] = '\0';
        return len;
    }
    for (i = 0; i < SW_ARRAY_LEN(wanted); i++) {
        size_t nl = strlen(wanted[i].name);

        if (len > nl && strncasecmp(data, wanted[i].name, nl) == 0)
            copy_value((char *)f + wanted[i].off, wanted[i].len, data + nl, len - nl);
    }
    return len;
}

/* Every connection libcurl opens comes here first, with the resolved address. */
static curl_socket_t on_open(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct sw_fetch *f = ud;
    const char *why = sw_net_refused(&a->addr, f->allow);

    (void)purpose;
    if (why != NULL) {
        char host[INET6_ADDRSTRLEN] = "?";

        if (a->family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)&a->addr)->sin_addr, host,
                      sizeof(host));
        else if (a->family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr, host,
                      sizeof(host));
        snprintf(f->refused, sizeof(f->refused),
                 "refused to connect to %s (%s address): not allowed for fetches", host, why);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

int sw_fetch_init(struct sw_fetch *f, const char *url, const struct sw_fetch_opts *o,
                  struct curl_slist *headers)
{
    CURL *e;
    char why[400];
    int bad = 0;

    memset(f, 0, sizeof(*f));
    f->sink_fd = -1;
    sw_buf_init(&f->body, o->body_max);
    f->headers = headers;
    f->allow = o->allow;
    if (sw_url_check(url, o->allow, why, sizeof(why)) != SW_OK) {
        snprintf(f->refused, sizeof(f->refused), "refused the URL: %s", why);
        return SW_INVALID;
    }
    e = f->easy = curl_easy_init();
    if (e == NULL)
        return SW_ERR;
    bad |= curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->total_timeout_ms) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_s) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->body_max) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, f) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_HEADERDATA, f) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, f) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, f->errbuf) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, f) != CURLE_OK;
    if (headers != NULL)
        bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers) != CURLE_OK;
    return bad ? SW_ERR : SW_OK;
}

void sw_fetch_cleanup(struct sw_fetch *f)
{
    if (f->easy != NULL)
        curl_easy_cleanup(f->easy);
    f->easy = NULL;
    curl_slist_free_all(f->headers);
    f->headers = NULL;
    sw_buf_free(&f->body);
}

int sw_fetch_body_to(struct sw_fetch *f, int fd, size_t max)
{
    f->sink_fd = fd;
    f->sink_len = 0;
    f->body.max = max;
    return curl_easy_setopt(f->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max) == CURLE_OK
               ? SW_OK : SW_ERR;
}

void sw_fetch_describe(const struct sw_fetch *f, CURLcode rc, char *out, size_t outlen)
{
    if (f->sink_err != 0)
        snprintf(out, outlen, "the body could not be written to a temporary file (%s)",
                 strerror(f->sink_err));
    else if (f->over_cap || rc == CURLE_FILESIZE_EXCEEDED)
        snprintf(out, outlen, "the body is larger than %zu bytes (after decompression)",
                 f->body.max);
    else if (f->refused[0] != '\0')
        snprintf(out, outlen, "%s", f->refused);
    else if (f->errbuf[0] != '\0')
        snprintf(out, outlen, "%s (%s)", curl_easy_strerror(rc), f->errbuf);
    else
        snprintf(out, outlen, "%s", curl_easy_strerror(rc));
}

const char *sw_fetch_charset(const struct sw_fetch *f, char *buf, size_t buflen)
{
    const char *p = strcasestr(f->content_type, "charset=");
    size_t n = 0;

    if (p == NULL)
        return NULL;
    p += 8;
    if (*p == '"' || *p == '\'')
        p++;
    while (p[n] != '\0' && p[n] != '"' && p[n] != '\'' && p[n] != ';' && p[n] != ' ' &&
           n + 1 < buflen)
        n++;
    if (n == 0)
        return NULL;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

long sw_fetch_retry_after(const struct sw_fetch *f, int64_t now_ms)
{
    long long secs;
    time_t t;

    if (f->retry_after[0] == '\0')
        return -1;
    if (sw_parse_ll(f->retry_after, 0, 365LL * 86400, &secs) == SW_OK)
        return (long)secs;
    t = curl_getdate(f->retry_after, NULL);
    if (t == (time_t)-1)
        return -1;
    secs = (long long)t - now_ms / 1000;
    return secs < 0 ? 0 : (long)secs;
}

int sw_fetch_location_check(const struct sw_fetch *f, const char *scheme, char *err,
                            size_t errlen)
{
    const char *p = f->location;
    char full[sizeof(f->location) + 8];

    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (p > f->location && *p == ':')
        return sw_url_check(f->location, f->allow, err, errlen);
    if (f->location[0] == '/' && f->location[1] == '/') {
        snprintf(full, sizeof(full), "%s:%s", scheme, f->location);
        return sw_url_check(full, f->allow, err, errlen);
    }
    return SW_OK;
}

int sw_api_keys_parse(const char *text, struct sw_api_keys *keys, char *err, size_t errlen)
{
    const char *p = text ? text : "";
    int n = 0;

    while (*p != '\0') {
        const char *end = strchr(p, ','), *eq, *colon;
        size_t len;

        end = end ? end : p + strlen(p);
        while (p < end && *p == ' ')
            p++;
        len = (size_t)(end - p);
        eq = memchr(p, '=', len);
        colon = eq ? memchr(eq, ':', (size_t)(end - eq)) : NULL;
        if (len > 0) {
            if (eq == NULL || colon == NULL || eq == p || colon == eq + 1 || colon + 1 >= end) {
                snprintf(err, errlen, "entry %d: not host=Header:value", n + 1);
                return SW_INVALID;
            }
            if (n >= (int)SW_ARRAY_LEN(keys->k) ||
                (size_t)(eq - p) >= sizeof(keys->k[0].host) ||
                (size_t)(end - eq - 1) >= sizeof(keys->k[0].header)) {
                snprintf(err, errlen, "entry %d: more than %d entries, or too long", n + 1,
                         (int)SW_ARRAY_LEN(keys->k));
                return SW_INVALID;
            }
            memcpy(keys->k[n].host, p, (size_t)(eq - p));
            keys->k[n].host[eq - p] = '\0';
            memcpy(keys->k[n].header, eq + 1, (size_t)(end - eq - 1));
            keys->k[n].header[end - eq - 1] = '\0';
            n++;
        }
        p = *end ? end + 1 : end;
    }
    keys->n = n;
    return SW_OK;
}

struct curl_slist *sw_api_keys_headers(const struct sw_api_keys *keys, const char *url,
                                       struct curl_slist *list)
{
    CURLU *u;
    char *scheme = NULL, *host = NULL;
    int i;

    if (keys->n == 0 || (u = curl_url()) == NULL)
        return list;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        strcasecmp(scheme, "https") == 0) {
        for (i = 0; i < keys->n; i++)
            if (strcasecmp(keys->k[i].host, host) == 0)
                list = curl_slist_append(list, keys->k[i].header);
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return list;
}
