/* zone.c — local dates and times in a named zone through ICU's ucal, never through the process's
 * TZ (setenv + tzset + localtime/mktime change one setting every thread shares). Each call opens
 * its own UCalendar, which no other thread sees, and closes it before returning. */
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "seawall/zone.h"

#define DAY_MS 86400000LL
/* Instants this module converts: comfortably inside years 1..9999 either side of any offset. */
#define MS_MIN (-62135596800000LL + 2 * DAY_MS)     /* 0001-01-03 */
#define MS_MAX (253402214400000LL - 2 * DAY_MS)     /* 9999-12-29 */

int64_t sw_days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe, yy = (int64_t)y - (m <= 2);

    era = (yy >= 0 ? yy : yy - 399) / 400;
    yoe = yy - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void sw_civil_from_days(int64_t day, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp, z = day + 719468;

    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int sw_month_days(int y, int m)
{
    static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return n[m - 1];
}

/* The zone id as UChars into id (SW_ZONE_MAX + 1 units), after checking it is short and
 * spelled from the characters zone ids use. Returns its length, or -1. */
static int32_t zone_uchars(const char *zone, UChar *id)
{
    size_t n, i;

    if (zone == NULL || (n = strlen(zone)) == 0 || n > SW_ZONE_MAX)
        return -1;
    for (i = 0; i < n; i++)
        if (!((zone[i] >= 'A' && zone[i] <= 'Z') || (zone[i] >= 'a' && zone[i] <= 'z') ||
              (zone[i] >= '0' && zone[i] <= '9') || strchr("_+-/", zone[i]) != NULL))
            return -1;
    u_charsToUChars(zone, id, (int32_t)n);
    id[n] = 0;
    return (int32_t)n;
}

int sw_zone_valid(const char *zone)
{
    UChar id[SW_ZONE_MAX + 1], canon[SW_ZONE_MAX * 2];
    UBool system = 0;
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = zone_uchars(zone, id);

    if (n < 0 || strcmp(zone, "Etc/Unknown") == 0)
        return 0;
    ucal_getCanonicalTimeZoneID(id, n, canon, (int32_t)SW_ARRAY_LEN(canon), &system, &st);
    return U_SUCCESS(st) && system;
}

/* A Gregorian calendar (proleptic, as sw_days_from_civil counts) in zone, lenient, with skipped
 * wall times read with the earlier offset and repeated ones meaning the first. NULL with *rc
 * SW_INVALID for an unknown zone or SW_ERR when ICU fails. The caller closes it. */
static UCalendar *zone_open(const char *zone, int *rc)
{
    UChar id[SW_ZONE_MAX + 1];
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal;
    int32_t n;

    if (!sw_zone_valid(zone)) {
        *rc = SW_INVALID;
        return NULL;
    }
    n = zone_uchars(zone, id);
    cal = ucal_open(id, n, "root", UCAL_GREGORIAN, &st);
    if (U_SUCCESS(st))
        ucal_setGregorianChange(cal, -8.64e15, &st);
    if (U_FAILURE(st)) {
        if (cal != NULL)
            ucal_close(cal);
        *rc = SW_ERR;
        return NULL;
    }
    ucal_setAttribute(cal, UCAL_LENIENT, 1);
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_LAST);
    *rc = SW_OK;
    return cal;
}

static int cal_local(UCalendar *cal, int64_t ms, struct sw_local *out)
{
    UErrorCode st = U_ZERO_ERROR;

    if (ms < MS_MIN || ms > MS_MAX)
        return SW_INVALID;
    ucal_setMillis(cal, (UDate)ms, &st);
    out->year = ucal_get(cal, UCAL_EXTENDED_YEAR, &st);
    out->month = ucal_get(cal, UCAL_MONTH, &st) + 1;
    out->day = ucal_get(cal, UCAL_DATE, &st);
    out->hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &st);
    out->minute = ucal_get(cal, UCAL_MINUTE, &st);
    out->second = ucal_get(cal, UCAL_SECOND, &st);
    out->weekday = ucal_get(cal, UCAL_DAY_OF_WEEK, &st) - UCAL_SUNDAY;
    out->offset_s = (ucal_get(cal, UCAL_ZONE_OFFSET, &st) + ucal_get(cal, UCAL_DST_OFFSET, &st)) /
                    1000;
    return U_SUCCESS(st) ? SW_OK : SW_ERR;
}

static int cal_instant(UCalendar *cal, const struct sw_local *in, int64_t *ms)
{
    UErrorCode st = U_ZERO_ERROR;
    UDate t;

    if (in->year < 1 || in->year > 9999 || in->day < 1 ||
        in->day > sw_month_days(in->year, in->month) || in->hour < 0 || in->hour > 23 ||
        in->minute < 0 || in->minute > 59 || in->second < 0 || in->second > 59)
        return SW_INVALID;
    ucal_clear(cal);
    ucal_setDateTime(cal, in->year, in->month - 1, in->day, in->hour, in->minute, in->second,
                     &st);
    t = ucal_getMillis(cal, &st);
    if (U_FAILURE(st))
        return SW_ERR;
    *ms = (int64_t)t;
    return SW_OK;
}

/* The first instant of local date day on an open calendar. */
static int cal_day_start(UCalendar *cal, int64_t day, int64_t *ms)
{
    struct sw_local l = { 0 };

    sw_civil_from_days(day, &l.year, &l.month, &l.day);
    return cal_instant(cal, &l, ms);
}

int sw_zone_local(const char *zone, int64_t ms, struct sw_local *out)
{
    int rc;
    UCalendar *cal = zone_open(zone, &rc);

    if (cal == NULL)
        return rc;
    rc = cal_local(cal, ms, out);
    ucal_close(cal);
    return rc;
}

int sw_zone_instant(const char *zone, const struct sw_local *in, int64_t *ms)
{
    int rc;
    UCalendar *cal = zone_open(zone, &rc);

    if (cal == NULL)
        return rc;
    rc = cal_instant(cal, in, ms);
    ucal_close(cal);
    return rc;
}

int sw_zone_next_hour(const char *zone, int hour, int64_t after_ms, int64_t *out)
{
    struct sw_local l;
    int64_t day, t = 0;
    int rc, i;
    UCalendar *cal;

    if (hour < 0 || hour > 23)
        return SW_INVALID;
    if ((cal = zone_open(zone, &rc)) == NULL)
        return rc;
    rc = cal_local(cal, after_ms, &l);
    day = sw_days_from_civil(l.year, l.month, l.day);
    /* Today's hour may be past; tomorrow's is not, unless the zone skips a whole day. */
    for (i = 0; rc == SW_OK && i < 3; i++) {
        sw_civil_from_days(day + i, &l.year, &l.month, &l.day);
        l.hour = hour;
        l.minute = l.second = 0;
        rc = cal_instant(cal, &l, &t);
        if (rc == SW_OK && t > after_ms)
            break;
    }
    ucal_close(cal);
    if (rc == SW_OK && t <= after_ms)
        rc = SW_ERR;
    if (rc == SW_OK)
        *out = t;
    return rc;
}

int sw_zone_day(const char *zone, int64_t ms, int64_t *day)
{
    struct sw_local l;
    int rc = sw_zone_local(zone, ms, &l);

    if (rc == SW_OK)
        *day = sw_days_from_civil(l.year, l.month, l.day);
    return rc;
}

int sw_zone_day_start(const char *zone, int64_t day, int64_t *ms)
{
    int rc;
    UCalendar *cal = zone_open(zone, &rc);

    if (cal == NULL)
        return rc;
    rc = cal_day_start(cal, day, ms);
    ucal_close(cal);
    return rc;
}

int sw_zone_day_end(const char *zone, int64_t day, int64_t *ms)
{
    int64_t next;
    int rc = sw_zone_day_start(zone, day + 1, &next);

    if (rc == SW_OK)
        *ms = next - 1000;
    return rc;
}

/* Countries whose capitals are not in the first zone ICU lists for them (or that span
 * several zones), with the capital's zone. */
static const char *const capital_zones[][2] = {
    { "AR", "America/Argentina/Buenos_Aires" }, { "AU", "Australia/Sydney" },
    { "BR", "America/Sao_Paulo" }, { "CA", "America/Toronto" }, { "CD", "Africa/Kinshasa" },
    { "CL", "America/Santiago" }, { "CN", "Asia/Shanghai" }, { "CY", "Asia/Nicosia" },
    { "DE", "Europe/Berlin" }, { "EC", "America/Guayaquil" }, { "ES", "Europe/Madrid" },
    { "FM", "Pacific/Pohnpei" }, { "GL", "America/Nuuk" }, { "ID", "Asia/Jakarta" },
    { "KI", "Pacific/Tarawa" }, { "KZ", "Asia/Almaty" }, { "MH", "Pacific/Majuro" },
    { "MN", "Asia/Ulaanbaatar" }, { "MX", "America/Mexico_City" },
    { "MY", "Asia/Kuala_Lumpur" }, { "NZ", "Pacific/Auckland" }, { "PF", "Pacific/Tahiti" },
    { "PG", "Pacific/Port_Moresby" }, { "PS", "Asia/Hebron" }, { "PT", "Europe/Lisbon" },
    { "RU", "Europe/Moscow" }, { "UA", "Europe/Kyiv" }, { "US", "America/New_York" },
    { "UZ", "Asia/Tashkent" },
};

int sw_zone_for_country(const char *country, char *out, size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    UEnumeration *en;
    const char *z;
    int32_t len = 0;
    size_t i;
    int rc = SW_INVALID;

    if (country == NULL || strlen(country) != 2 || n == 0)
        return SW_INVALID;
    for (i = 0; i < SW_ARRAY_LEN(capital_zones); i++)
        if (strcmp(capital_zones[i][0], country) == 0 && sw_zone_valid(capital_zones[i][1]) &&
            strlen(capital_zones[i][1]) < n) {
            memcpy(out, capital_zones[i][1], strlen(capital_zones[i][1]) + 1);
            return SW_OK;
        }
    en = ucal_openTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, country, NULL, &st);
    if (U_FAILURE(st))
        return SW_ERR;
    while ((z = uenum_next(en, &len, &st)) != NULL && U_SUCCESS(st)) {
        if ((size_t)len < n && sw_zone_valid(z)) {
            memcpy(out, z, (size_t)len + 1);
            rc = SW_OK;
            break;
        }
    }
    uenum_close(en);
    return rc;
}
