/* common.h — return codes, small helpers and limits shared by every Seawall module. */
#ifndef SEAWALL_COMMON_H
#define SEAWALL_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* One small set of return codes, as nginx's NGX_OK/NGX_ERROR. */
#define SW_OK        0
#define SW_ERR      -1   /* failure; the handle's errstr says why */
#define SW_EAGAIN   -2   /* try again later (e.g. Redis unreachable) */
#define SW_NOTFOUND -3   /* the thing asked for does not exist */
#define SW_TOOBIG   -4   /* a ceiling was reached */
#define SW_CONFLICT -5   /* state does not allow the operation */
#define SW_INVALID  -6   /* input failed validation */

#define SW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#ifdef __GNUC__
#define SW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SW_UNUSED __attribute__((unused))
#else
#define SW_PRINTF(f, a)
#define SW_UNUSED
#endif

/* Milliseconds since the epoch (CLOCK_REALTIME), or a value fixed by
 * SEAWALL_FAKE_NOW_MS for tests that need to control the clock (read once, before main). */
int64_t sw_now_ms(void);

/* Milliseconds from an arbitrary start (CLOCK_MONOTONIC), for durations. */
int64_t sw_mono_us(void);

/* Writes the UTC time `ms` as ISO 8601 ("2026-11-22T06:09:23Z") into out
 * (at least 25 bytes). Returns out. */
char *sw_iso8601(int64_t ms, char *out, size_t outlen);

/* Copies src into dst of size dstlen, always NUL-terminated.
 * Returns SW_OK, or SW_TOOBIG when src was truncated. */
int sw_strlcpy(char *dst, const char *src, size_t dstlen);

/* Parses a whole decimal integer in [min, max]. Returns SW_OK or SW_INVALID. */
int sw_parse_ll(const char *s, long long min, long long max, long long *out);

/* Hex-encodes n bytes of in into out (2n+1 bytes). */
void sw_hex(const unsigned char *in, size_t n, char *out);

/* 1 when s is a SHA-256 written as 64 lower-case hex digits. */
int sw_sha256_hex_valid(const char *s);

/* 1 when the len bytes at s are UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF); else 0 with *bad (may be NULL) the offset of the first byte that is not. */
int sw_utf8_valid(const char *s, size_t len, size_t *bad);

/* Copies the len bytes at s into out (outlen bytes, NUL-terminated when outlen > 0) as valid
 * UTF-8 text: each byte that is not part of a UTF-8 character is written as the four
 * characters \xHH (upper-case hex), and with controls also each byte below 0x20 and 0x7f.
 * Stops before a character or escape that would not fit whole. Returns the bytes written. */
size_t sw_utf8_escape(const char *s, size_t len, int controls, char *out, size_t outlen);

/* The value of hex digit c (0-9, a-f, A-F), or -1. */
int sw_hex_digit(int c);

#endif
