/* date.c — feed dates into ISO 8601: a strict ISO 8601 / W3C-DTF / YYYYMMDD reader of our own,
 * and libcurl's curl_getdate for RFC 822 and its many real-world variants. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "seawall/date.h"

/* Reads exactly n digits at *p; advances *p. Returns the value or -1. */
static int digits(const char **p, int n)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return v;
}

static int days_in_month(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 ? 28 + leap : d[m - 1];
}

/* Zone "Z", "+HH", "+HHMM", "+HH:MM" at *p into seconds east of UTC. Returns 1 when a zone
 * was read, 0 when none is there, -1 when malformed. */
static int read_zone(const char **p, long *off)
{
    int sign, hh, mm = 0;

    if (**p == 'Z' || **p == 'z') {
        (*p)++;
        *off = 0;
        return 1;
    }
    if (**p != '+' && **p != '-')
        return 0;
    sign = **p == '-' ? -1 : 1;
    (*p)++;
    if ((hh = digits(p, 2)) < 0 || hh > 14)
        return -1;
    if (**p == ':')
        (*p)++;
    if (isdigit((unsigned char)**p) && (mm = digits(p, 2)) < 0)
        return -1;
    if (mm > 59)
        return -1;
    *off = sign * (hh * 3600L + mm * 60L);
    return 1;
}

/* ISO 8601 and its relatives. Returns SW_OK and fills out, SW_INVALID when not of this form. */
static int iso_date(const char *s, char *out, size_t outlen)
{
    const char *p = s;
    int y, mo = 1, d = 1, h = 0, mi = 0, sec = 0, has_time = 0, zone;
    long off = 0;
    struct tm tm;
    time_t t;

    if ((y = digits(&p, 4)) < 0)
        return SW_INVALID;
    if (*p == '-') {
        p++;
        if ((mo = digits(&p, 2)) < 0)
            return SW_INVALID;
        if (*p == '-' && isdigit((unsigned char)p[1])) {
            p++;
            if ((d = digits(&p, 2)) < 0)
                return SW_INVALID;
        }
    } else if (isdigit((unsigned char)*p)) {   /* YYYYMMDD */
        if ((mo = digits(&p, 2)) < 0 || (d = digits(&p, 2)) < 0)
            return SW_INVALID;
    }
    if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return SW_INVALID;
    if ((*p == 'T' || *p == 't' || *p == ' ') && isdigit((unsigned char)p[1])) {
        p++;
        if ((h = digits(&p, 2)) < 0)
            return SW_INVALID;
        if (*p == ':')
            p++;
        if ((mi = digits(&p, 2)) < 0)
            return SW_INVALID;
        if (*p == ':' || isdigit((unsigned char)*p)) {
            if (*p == ':')
                p++;
            if ((sec = digits(&p, 2)) < 0)
                return SW_INVALID;
            if (*p == '.' || *p == ',') {
                p++;
                if (!isdigit((unsigned char)*p))
                    return SW_INVALID;
                while (isdigit((unsigned char)*p))
                    p++;
            }
        }
        if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi || sec)))
            return SW_INVALID;
        has_time = 1;
        while (*p == ' ')
            p++;
    }
    zone = read_zone(&p, &off);
    if (zone < 0)
        return SW_INVALID;
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '\0')
        return SW_INVALID;
    if (!has_time) {
        snprintf(out, outlen, "%04d-%02d-%02d", y, mo, d);
        return SW_OK;
    }
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec > 59 ? 59 : sec;
    t = timegm(&tm) - off;
    gmtime_r(&t, &tm);
    strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return SW_OK;
}

int sw_date_normalise(const char *in, char *out, size_t outlen)
{
    char buf[128];
    const char *s = in;
    size_t n;
    time_t t;
    struct tm tm;
    int has_digit = 0, i;

    while (isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || n >= sizeof(buf))
        return SW_INVALID;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (iso_date(buf, out, outlen) == SW_OK)
        return SW_OK;
    for (i = 0; buf[i] != '\0'; i++)
        has_digit |= isdigit((unsigned char)buf[i]) != 0;
    /* RFC 822 and friends need a day and a year at least. */
    if (!has_digit || strpbrk(buf, "0123456789") == NULL)
        return SW_INVALID;
    t = curl_getdate(buf, NULL);
    if (t == (time_t)-1)
        return SW_INVALID;
    gmtime_r(&t, &tm);
    if (tm.tm_year + 1900 < 1000 || tm.tm_year + 1900 > 9999)
        return SW_INVALID;
    strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return SW_OK;
}

int sw_date_ms(const char *in, int64_t *ms)
{
    char norm[32];
    struct tm tm;
    const char *end;

    if (sw_date_normalise(in, norm, sizeof(norm)) != SW_OK)
        return SW_INVALID;
    memset(&tm, 0, sizeof(tm));
    end = strptime(norm, strlen(norm) > 10 ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d", &tm);
    if (end == NULL || *end != '\0')
        return SW_INVALID;
    *ms = (int64_t)timegm(&tm) * 1000;
    return SW_OK;
}
