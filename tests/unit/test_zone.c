/* test_zone.c — local times in named zones through ICU: offsets far east and west, DST gaps and
 * overlaps, days that lose or repeat an hour or skip midnight, unknown zones refused, and the
 * same conversions from eight threads at once each giving every answer right. Expected instants
 * were computed with Python's zoneinfo (the system's IANA data). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/date.h"
#include "seawall/zone.h"

static int64_t at(const char *iso)
{
    int64_t ms = 0;

    assert_int_equal(sw_date_ms(iso, &ms), SW_OK);
    return ms;
}

static void want_instant(const char *zone, int y, int mo, int d, int h, int mi, int s,
                         const char *utc)
{
    struct sw_local l = { y, mo, d, h, mi, s, 0, 0 };
    int64_t ms = 0;

    assert_int_equal(sw_zone_instant(zone, &l, &ms), SW_OK);
    assert_int_equal(ms, at(utc));
}

static void valid_zones_and_invalid_ones(void **state)
{
    static const char *const good[] = { "UTC", "Europe/Berlin", "America/New_York",
                                        "Pacific/Kiritimati", "Pacific/Pago_Pago",
                                        "Asia/Shanghai", "Etc/GMT+12", "US/Eastern" };
    static const char *const bad[] = { "", "Mars/Olympus", "../../etc/passwd", "/etc/localtime",
                                       "utc", "america/new_york", "GMT+05:00", "Etc/Unknown",
                                       "China Standard Time", "Europe/Berlin\n", "Z",
                                       "Europe/Berlin/../Berlin" };
    struct sw_local l = { 2026, 12, 1, 8, 0, 0, 0, 0 };
    char too_long[SW_ZONE_MAX + 2];   /* spelled right, one byte over the limit */
    int64_t ms = 7;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(good); i++)
        assert_true(sw_zone_valid(good[i]));
    assert_false(sw_zone_valid(NULL));
    memset(too_long, 'A', sizeof(too_long) - 1);
    too_long[SW_ZONE_MAX + 1] = '\0';
    assert_false(sw_zone_valid(too_long));
    for (i = 0; i < SW_ARRAY_LEN(bad); i++) {
        assert_false(sw_zone_valid(bad[i]));
        assert_int_equal(sw_zone_instant(bad[i], &l, &ms), SW_INVALID);
        assert_int_equal(sw_zone_local(bad[i], 0, &l), SW_INVALID);
        assert_int_equal(sw_zone_next_hour(bad[i], 8, 0, &ms), SW_INVALID);
        assert_int_equal(sw_zone_day_end(bad[i], 0, &ms), SW_INVALID);
    }
    assert_int_equal(ms, 7);   /* nothing written on refusal */
}

static void far_east_far_west_and_china(void **state)
{
    struct sw_local l;

    want_instant("Pacific/Kiritimati", 2026, 12, 1, 8, 0, 0, "2026-11-30T18:00:00Z");
    want_instant("Pacific/Pago_Pago", 2026, 12, 1, 8, 0, 0, "2026-12-01T19:00:00Z");
    want_instant("Asia/Shanghai", 2026, 12, 1, 8, 0, 0, "2026-12-01T00:00:00Z");
    want_instant("UTC", 2026, 12, 1, 8, 0, 0, "2026-12-01T08:00:00Z");

    assert_int_equal(sw_zone_local("Pacific/Kiritimati", at("2026-11-30T18:00:00Z"), &l), SW_OK);
    assert_int_equal(l.year, 2026);
    assert_int_equal(l.month, 12);
    assert_int_equal(l.day, 1);
    assert_int_equal(l.hour, 8);
    assert_int_equal(l.weekday, 2);   /* Tuesday */
    assert_int_equal(l.offset_s, 14 * 3600);
    assert_int_equal(sw_zone_local("Pacific/Pago_Pago", at("2026-12-01T00:00:00Z"), &l), SW_OK);
    assert_int_equal(l.month, 11);
    assert_int_equal(l.day, 30);
    assert_int_equal(l.hour, 13);
    assert_int_equal(l.weekday, 1);   /* Monday */
    assert_int_equal(l.offset_s, -11 * 3600);
}

static void dst_gaps_and_overlaps(void **state)
{
    struct sw_local l;

    /* Skipped: read with the offset before the change, so just after it. */
    want_instant("America/New_York", 2026, 3, 8, 2, 30, 0, "2026-03-08T07:30:00Z");
    want_instant("America/New_York", 2026, 3, 8, 1, 59, 59, "2026-03-08T06:59:59Z");
    want_instant("Europe/Berlin", 2026, 3, 29, 2, 30, 0, "2026-03-29T01:30:00Z");
    /* Repeated: the first of the two. */
    want_instant("America/New_York", 2026, 11, 1, 1, 30, 0, "2026-11-01T05:30:00Z");
    want_instant("Europe/Berlin", 2026, 10, 25, 2, 30, 0, "2026-10-25T00:30:00Z");
    /* Both instants of Berlin's repeated 02:30 read back as 02:30, with their own offsets. */
    assert_int_equal(sw_zone_local("Europe/Berlin", at("2026-10-25T00:30:00Z"), &l), SW_OK);
    assert_true(l.hour == 2 && l.minute == 30 && l.offset_s == 7200);
    assert_int_equal(sw_zone_local("Europe/Berlin", at("2026-10-25T01:30:00Z"), &l), SW_OK);
    assert_true(l.hour == 2 && l.minute == 30 && l.offset_s == 3600);
}

static void fields_out_of_range_refused(void **state)
{
    struct sw_local bad[] = { { 2026, 4, 31, 0, 0, 0, 0, 0 }, { 2027, 2, 29, 0, 0, 0, 0, 0 },
                              { 2026, 13, 1, 0, 0, 0, 0, 0 }, { 2026, 1, 1, 24, 0, 0, 0, 0 },
                              { 2026, 1, 1, 0, 60, 0, 0, 0 }, { 0, 1, 1, 0, 0, 0, 0, 0 },
                              { 2026, 1, 0, 0, 0, 0, 0, 0 } };
    struct sw_local leap = { 2028, 2, 29, 12, 0, 0, 0, 0 };
    int64_t ms;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(bad); i++)
        assert_int_equal(sw_zone_instant("Asia/Shanghai", &bad[i], &ms), SW_INVALID);
    assert_int_equal(sw_zone_instant("Asia/Shanghai", &leap, &ms), SW_OK);
    assert_int_equal(ms, at("2028-02-29T04:00:00Z"));
    assert_int_equal(sw_zone_next_hour("Asia/Shanghai", 24, 0, &ms), SW_INVALID);
    assert_int_equal(sw_zone_next_hour("Asia/Shanghai", -1, 0, &ms), SW_INVALID);
}

struct next_case {
    const char *zone;
    int hour;
    const char *after, *want;
};

static const struct next_case nexts[] = {
    { "America/New_York", 2, "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z" },   /* 02:00 skipped */
    { "America/New_York", 1, "2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z" },   /* first 01:00 */
    /* 01:00 came twice; the first is past, and the second is not another day's digest. */
    { "America/New_York", 1, "2026-11-01T05:30:00Z", "2026-11-02T06:00:00Z" },
    { "Europe/Berlin", 2, "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z" },
    { "Pacific/Kiritimati", 8, "2026-12-01T12:00:00Z", "2026-12-01T18:00:00Z" },
    { "Pacific/Pago_Pago", 8, "2026-12-01T12:00:00Z", "2026-12-01T19:00:00Z" },
    { "Asia/Shanghai", 8, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z" },   /* at it: next */
    { "Asia/Shanghai", 0, "2026-12-01T12:00:00Z", "2026-12-01T16:00:00Z" },
    { "UTC", 23, "2026-12-31T23:30:00Z", "2027-01-01T23:00:00Z" },
};

static void next_hour_across_dst(void **state)
{
    int64_t ms;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(nexts); i++) {
        assert_int_equal(sw_zone_next_hour(nexts[i].zone, nexts[i].hour, at(nexts[i].after), &ms),
                         SW_OK);
        assert_int_equal(ms, at(nexts[i].want));
    }
}

struct day_case {
    const char *zone, *date, *start, *end;
};

static const struct day_case days[] = {
    { "Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T21:59:59Z" },   /* 23 h */
    { "Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T22:59:59Z" },   /* 25 h */
    { "America/New_York", "2026-03-08", "2026-03-08T05:00:00Z", "2026-03-09T03:59:59Z" },
    { "America/New_York", "2026-11-01", "2026-11-01T04:00:00Z", "2026-11-02T04:59:59Z" },
    /* Chile moves to summer time at midnight: 6 September begins at 01:00. */
    { "America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z", "2026-09-07T02:59:59Z" },
    { "America/Santiago", "2026-09-05", "2026-09-05T04:00:00Z", "2026-09-06T03:59:59Z" },
    { "Pacific/Kiritimati", "2026-12-01", "2026-11-30T10:00:00Z", "2026-12-01T09:59:59Z" },
    { "Pacific/Pago_Pago", "2026-12-01", "2026-12-01T11:00:00Z", "2026-12-02T10:59:59Z" },
    { "Asia/Shanghai", "2026-12-01", "2026-11-30T16:00:00Z", "2026-12-01T15:59:59Z" },
    { "UTC", "2026-12-01", "2026-12-01T00:00:00Z", "2026-12-01T23:59:59Z" },
};

static int64_t day_of(const char *date)
{
    return at(date) / 86400000;
}

static void local_days_start_and_end(void **state)
{
    int64_t ms, d;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(days); i++) {
        assert_int_equal(sw_zone_day_start(days[i].zone, day_of(days[i].date), &ms), SW_OK);
        assert_int_equal(ms, at(days[i].start));
        assert_int_equal(sw_zone_day_end(days[i].zone, day_of(days[i].date), &ms), SW_OK);
        assert_int_equal(ms, at(days[i].end));
        assert_int_equal(sw_zone_day(days[i].zone, at(days[i].start), &d), SW_OK);
        assert_int_equal(d, day_of(days[i].date));
        assert_int_equal(sw_zone_day(days[i].zone, at(days[i].end), &d), SW_OK);
        assert_int_equal(d, day_of(days[i].date));
    }
}

static void civil_days(void **state)
{
    int y, m, d;

    assert_int_equal(sw_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(sw_days_from_civil(2026, 12, 1), day_of("2026-12-01"));
    sw_civil_from_days(day_of("2028-02-29"), &y, &m, &d);
    assert_true(y == 2028 && m == 2 && d == 29);
    sw_civil_from_days(-1, &y, &m, &d);
    assert_true(y == 1969 && m == 12 && d == 31);
    assert_int_equal(sw_month_days(2100, 2), 28);
    assert_int_equal(sw_month_days(2000, 2), 29);
}

/* --- eight threads at once ------------------------------------------------------------------ */

struct instant_case {
    const char *zone;
    struct sw_local l;
    const char *utc;
    int back_hour;           /* the hour the instant reads back as (a skipped one moves on) */
};

static const struct instant_case instants[] = {
    { "Pacific/Kiritimati", { 2026, 12, 1, 8, 0, 0, 0, 0 }, "2026-11-30T18:00:00Z", 8 },
    { "Pacific/Pago_Pago", { 2026, 12, 1, 8, 0, 0, 0, 0 }, "2026-12-01T19:00:00Z", 8 },
    { "Asia/Shanghai", { 2026, 12, 1, 8, 0, 0, 0, 0 }, "2026-12-01T00:00:00Z", 8 },
    { "America/New_York", { 2026, 3, 8, 2, 30, 0, 0, 0 }, "2026-03-08T07:30:00Z", 3 },
    { "America/New_York", { 2026, 11, 1, 1, 30, 0, 0, 0 }, "2026-11-01T05:30:00Z", 1 },
    { "Europe/Berlin", { 2026, 10, 25, 2, 30, 0, 0, 0 }, "2026-10-25T00:30:00Z", 2 },
    { "UTC", { 2026, 12, 1, 8, 0, 0, 0, 0 }, "2026-12-01T08:00:00Z", 8 },
};

#define THREADS 8
#define ROUNDS 300

struct expect {
    int64_t next[SW_ARRAY_LEN(nexts)], after[SW_ARRAY_LEN(nexts)];
    int64_t inst[SW_ARRAY_LEN(instants)];
    int64_t start[SW_ARRAY_LEN(days)], end[SW_ARRAY_LEN(days)], day[SW_ARRAY_LEN(days)];
};

struct worker {
    const struct expect *e;
    int offset;              /* each thread starts at a different case */
    long checks, wrong;
};

static void *convert_many(void *arg)
{
    struct worker *w = arg;
    const struct expect *e = w->e;
    struct sw_local l;
    int64_t ms;
    size_t i, k;
    int r;

    for (r = 0; r < ROUNDS; r++) {
        for (k = 0; k < SW_ARRAY_LEN(nexts); k++) {
            i = (k + (size_t)w->offset + (size_t)r) % SW_ARRAY_LEN(nexts);
            w->checks++;
            if (sw_zone_next_hour(nexts[i].zone, nexts[i].hour, e->after[i], &ms) != SW_OK ||
                ms != e->next[i])
                w->wrong++;
        }
        for (k = 0; k < SW_ARRAY_LEN(instants); k++) {
            i = (k + (size_t)w->offset + (size_t)r) % SW_ARRAY_LEN(instants);
            w->checks += 2;
            if (sw_zone_instant(instants[i].zone, &instants[i].l, &ms) != SW_OK ||
                ms != e->inst[i])
                w->wrong++;
            if (sw_zone_local(instants[i].zone, e->inst[i], &l) != SW_OK ||
                l.day != instants[i].l.day || l.hour != instants[i].back_hour ||
                l.minute != instants[i].l.minute)
                w->wrong++;
        }
        for (k = 0; k < SW_ARRAY_LEN(days); k++) {
            i = (k + (size_t)w->offset + (size_t)r) % SW_ARRAY_LEN(days);
            w->checks++;
            if (sw_zone_day_end(days[i].zone, e->day[i], &ms) != SW_OK || ms != e->end[i])
                w->wrong++;
        }
    }
    return NULL;
}

static void eight_threads_each_in_its_zone(void **state)
{
    struct expect e;
    struct worker w[THREADS];
    pthread_t t[THREADS];
    long checks = 0, wrong = 0;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(nexts); i++) {
        e.after[i] = at(nexts[i].after);
        e.next[i] = at(nexts[i].want);
    }
    for (i = 0; i < SW_ARRAY_LEN(instants); i++)
        e.inst[i] = at(instants[i].utc);
    for (i = 0; i < SW_ARRAY_LEN(days); i++) {
        e.day[i] = day_of(days[i].date);
        e.end[i] = at(days[i].end);
    }
    for (i = 0; i < THREADS; i++) {
        w[i] = (struct worker){ .e = &e, .offset = (int)i * 3 };
        assert_int_equal(pthread_create(&t[i], NULL, convert_many, &w[i]), 0);
    }
    for (i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        checks += w[i].checks;
        wrong += w[i].wrong;
    }
    assert_int_equal(checks, (long)THREADS * ROUNDS *
                                 (long)(SW_ARRAY_LEN(nexts) + 2 * SW_ARRAY_LEN(instants) +
                                        SW_ARRAY_LEN(days)));
    assert_int_equal(wrong, 0);
}

/* A show's zone defaults to its country's capital's: a table for countries of several zones,
 * ICU's one zone for the rest. */
static void capital_zones(void **state)
{
    static const char *const want[][2] = {
        { "DE", "Europe/Berlin" }, { "CN", "Asia/Shanghai" }, { "US", "America/New_York" },
        { "RU", "Europe/Moscow" }, { "AU", "Australia/Sydney" }, { "BR", "America/Sao_Paulo" },
        { "FR", "Europe/Paris" }, { "JP", "Asia/Tokyo" }, { "IT", "Europe/Rome" },
        { "AE", "Asia/Dubai" },
    };
    char out[SW_ZONE_MAX + 1], tiny[4];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        assert_int_equal(sw_zone_for_country(want[i][0], out, sizeof(out)), SW_OK);
        assert_string_equal(out, want[i][1]);
        assert_true(sw_zone_valid(out));
    }
    assert_int_equal(sw_zone_for_country("XX", out, sizeof(out)), SW_INVALID);
    assert_int_equal(sw_zone_for_country(NULL, out, sizeof(out)), SW_INVALID);
    assert_int_equal(sw_zone_for_country("DEU", out, sizeof(out)), SW_INVALID);
    assert_int_equal(sw_zone_for_country("DE", tiny, sizeof(tiny)), SW_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_zones_and_invalid_ones),
        cmocka_unit_test(far_east_far_west_and_china),
        cmocka_unit_test(dst_gaps_and_overlaps),
        cmocka_unit_test(fields_out_of_range_refused),
        cmocka_unit_test(next_hour_across_dst),
        cmocka_unit_test(local_days_start_and_end),
        cmocka_unit_test(civil_days),
        cmocka_unit_test(capital_zones),
        cmocka_unit_test(eight_threads_each_in_its_zone),
    };
    return cmocka_run_group_tests_name("zone", tests, NULL, NULL);
}
