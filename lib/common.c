/* common.c — time, string and number helpers used everywhere. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "seawall/common.h"

/* SEAWALL_FAKE_NOW_MS, read once before main (so before any thread starts): getenv while
 * another thread changes the environment is undefined behaviour, and the clock runs in every
 * thread. -1 when unset or not a number. */
static long long fake_now_ms = -1;

__attribute__((constructor)) static void read_fake_now(void)
{
    const char *fake = getenv("SEAWALL_FAKE_NOW_MS");
    long long v;

    if (fake != NULL && sw_parse_ll(fake, 0, INT64_MAX, &v) == SW_OK)
        fake_now_ms = v;
}

int64_t sw_now_ms(void)
{
    struct timespec ts;

    if (fake_now_ms >= 0)
        return (int64_t)fake_now_ms;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t sw_mono_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

char *sw_iso8601(int64_t ms, char *out, size_t outlen)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    gmtime_r(&t, &tm);
    if (strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 && outlen > 0)
        out[0] = '\0';
    return out;
}

int sw_strlcpy(char *dst, const char *src, size_t dstlen)
{
    size_t n = strlen(src);

    if (dstlen == 0)
        return SW_TOOBIG;
    if (n >= dstlen) {
        memcpy(dst, src, dstlen - 1);
        dst[dstlen - 1] = '\0';
        return SW_TOOBIG;
    }
    memcpy(dst, src, n + 1);
    return SW_OK;
}

int sw_parse_ll(const char *s, long long min, long long max, long long *out)
{
    char *end;
    long long v;

    if (s == NULL || *s == '\0' || *s == ' ' || *s == '+')
        return SW_INVALID;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return SW_INVALID;
    *out = v;
    return SW_OK;
}

void sw_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int sw_sha256_hex_valid(const char *s)
{
    size_t i;

    for (i = 0; s != NULL && s[i] != '\0'; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return i == 64;
}

/* The length (1 to 4) of the UTF-8 character that starts the len (> 0) bytes at p, or 0 when
 * they do not start with one (no overlong forms, surrogates or code points past U+10FFFF). */
static size_t utf8_char_len(const unsigned char *p, size_t len)
{
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    size_t n, k;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 1;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 2;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 3;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0;      /* overlong */
    else if (c == 0xED)
        hi = 0x9F;      /* surrogates */
    else if (c == 0xF0)
        lo = 0x90;      /* overlong */
    else if (c == 0xF4)
        hi = 0x8F;      /* past U+10FFFF */
    for (k = 1; k <= n; k++) {
        if (k >= len)
            return 0;   /* cut off */
        if (p[k] < (k == 1 ? lo : 0x80) || p[k] > (k == 1 ? hi : 0xBF))
            return 0;
    }
    return n + 1;
}

int sw_utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n = utf8_char_len(p + i, len - i);

        if (n == 0) {
            if (bad != NULL)
                *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

size_t sw_utf8_escape(const char *s, size_t len, int controls, char *out, size_t outlen)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;

    if (outlen == 0)
        return 0;
    while (i < len) {
        size_t n = utf8_char_len(p + i, len - i);

        if (n == 0 || (controls && n == 1 && (p[i] < 0x20 || p[i] == 0x7f))) {
            if (o + 4 >= outlen)
                break;
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[p[i] >> 4];
            out[o++] = hex[p[i] & 15];
            i++;
            continue;
        }
        if (o + n >= outlen)
            break;
        memcpy(out + o, p + i, n);
        o += n;
        i += n;
    }
    out[o] = '\0';
    return o;
}

int sw_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
