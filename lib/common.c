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

int sw_utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned c = p[i];
        size_t n, k;
        unsigned lo = 0x80, hi = 0xBF;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3;
        else
            goto invalid;
        if (c == 0xE0)
            lo = 0xA0;      /* overlong */
        else if (c == 0xED)
            hi = 0x9F;      /* surrogates */
        else if (c == 0xF0)
            lo = 0x90;      /* overlong */
        else if (c == 0xF4)
            hi = 0x8F;      /* past U+10FFFF */
        for (k = 1; k <= n; k++) {
            unsigned b;

            if (i + k >= len)
                goto invalid;   /* cut off */
            b = p[i + k];
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
                goto invalid;
        }
        i += n + 1;
    }
    return 1;
invalid:
    if (bad != NULL)
        *bad = i;
    return 0;
}
