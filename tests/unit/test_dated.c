/* test_dated.c — dated sources: URL templates, which dates a source publishes and when each
 * file is due (in the publisher's zone, across a change of offset), the next date a poll
 * fetches (oldest first, a waiting one retried, none before its time), and the coverage
 * people see (missing, waiting, pending, what a long outage left behind). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/dated.h"

static int64_t day_of(const char *s)
{
    int64_t d = 0;

    assert_int_equal(sw_dated_day_parse(s, &d), SW_OK);
    return d;
}

static int64_t instant(const char *zone, int y, int m, int d, int hh, int mm)
{
    struct sw_local l = { .year = y, .month = m, .day = d, .hour = hh, .minute = mm };
    int64_t ms = 0;

    assert_int_equal(sw_zone_instant(zone, &l, &ms), SW_OK);
    return ms;
}

/* The USPTO trademark daily applications as the catalogue has them: files dated Monday to
 * Friday, out the next day at 01:00 New York time, 48 h of grace. */
static void uspto_daily(struct sw_dated *d)
{
    json_t *doc = json_pack("{s:s, s:[s,s,s,s,s], s:i, s:s, s:s, s:i}", "url_template",
                            "https://data.test/apc{yymmdd}.zip", "days", "mon", "tue", "wed",
                            "thu", "fri", "lag_days", 1, "publish_at", "01:00", "zone",
                            "America/New_York", "grace_h", 48);
    char why[200];

    assert_int_equal(sw_dated_from_doc(doc, d, why, sizeof(why)), SW_OK);
    json_decref(doc);
}

static void templates(void **state)
{
    char out[200], why[200];
    int64_t day = day_of("2026-12-01");

    assert_int_equal(sw_dated_url("https://x.test/apc{yymmdd}.zip", day, out, sizeof(out), why,
                                  sizeof(why)), SW_OK);
    assert_string_equal(out, "https://x.test/apc261201.zip");
    assert_int_equal(sw_dated_url("https://x.test/{yyyy}/ipg{yy}{mm}{dd}.zip?d={yyyymmdd}", day,
                                  out, sizeof(out), why, sizeof(why)), SW_OK);
    assert_string_equal(out, "https://x.test/2026/ipg261201.zip?d=20261201");
    assert_int_equal(sw_dated_url("https://x.test/{date}.zip", day, out, sizeof(out), why,
                                  sizeof(why)), SW_INVALID);
    assert_non_null(strstr(why, "unknown placeholder at \"{date}.zip\""));
    assert_int_equal(sw_dated_url("https://x.test/fixed.zip", day, out, sizeof(out), why,
                                  sizeof(why)), SW_INVALID);
    assert_non_null(strstr(why, "no date placeholder"));
    assert_int_equal(sw_dated_url("https://x.test/a}{yy}", day, out, sizeof(out), why,
                                  sizeof(why)), SW_INVALID);
    assert_int_equal(sw_dated_url("https://x.test/{yyyymmdd}", day, out, 20, why, sizeof(why)),
                     SW_TOOBIG);
}

static void settings_read_and_refused(void **state)
{
    struct sw_dated d;
    char why[200];
    json_t *doc = json_pack("{s:s}", "url", "https://x.test/feed.xml");

    assert_int_equal(sw_dated_from_doc(doc, &d, why, sizeof(why)), SW_NOTFOUND);
    json_object_set_new(doc, "url_template", json_string("https://x.test/{yyyy}{mm}{dd}.xml"));
    assert_int_equal(sw_dated_from_doc(doc, &d, why, sizeof(why)), SW_OK);
    assert_int_equal(d.days, 0x3e);   /* Monday to Friday */
    assert_string_equal(d.zone, "UTC");
    assert_int_equal(d.grace_ms, 48 * 3600000LL);
    assert_true(d.start_day == SW_DATED_NO_START);
    json_object_set_new(doc, "zone", json_string("Mars/Olympus"));
    assert_int_equal(sw_dated_from_doc(doc, &d, why, sizeof(why)), SW_INVALID);
    assert_non_null(strstr(why, "zone: "));
    json_object_set_new(doc, "zone", json_string("Asia/Shanghai"));
    json_object_set_new(doc, "publish_at", json_string("25:00"));
    assert_int_equal(sw_dated_from_doc(doc, &d, why, sizeof(why)), SW_INVALID);
    assert_non_null(strstr(why, "publish_at: "));
    json_object_set_new(doc, "publish_at", json_string("06:30"));
    json_object_set_new(doc, "days", json_pack("[s,s]", "tue", "funday"));
    assert_int_equal(sw_dated_from_doc(doc, &d, why, sizeof(why)), SW_INVALID);
    assert_non_null(strstr(why, "days/1: "));
    json_object_set_new(doc, "days", json_pack("[s]", "tue"));
    json_object_set_new(doc, "start_date", json_string("2026-02-30"));
    assert_int_equal(sw_dated_from_doc(doc, &d, why, sizeof(why)), SW_INVALID);
    assert_non_null(strstr(why, "start_date: "));
    json_object_set_new(doc, "start_date", json_string("2026-02-28"));
    assert_int_equal(sw_dated_from_doc(doc, &d, why, sizeof(why)), SW_OK);
    assert_int_equal(d.days, 1u << 2);
    assert_int_equal(d.at_min, 6 * 60 + 30);
    assert_true(d.start_day == day_of("2026-02-28"));
    json_decref(doc);
}

static void due_times_in_the_publishers_zone(void **state)
{
    struct sw_dated d;
    int64_t due = 0, last = 0;

    uspto_daily(&d);
    /* Friday 2026-11-27's file is out Saturday 01:00 New York (EST, UTC-5). */
    assert_int_equal(sw_dated_due_ms(&d, day_of("2026-11-27"), &due), SW_OK);
    assert_true(due == instant("UTC", 2026, 11, 28, 6, 0));
    /* In summer time (EDT, UTC-4). */
    assert_int_equal(sw_dated_due_ms(&d, day_of("2026-07-01"), &due), SW_OK);
    assert_true(due == instant("UTC", 2026, 7, 2, 5, 0));
    assert_true(sw_dated_publishes(&d, day_of("2026-11-27")));    /* a Friday */
    assert_false(sw_dated_publishes(&d, day_of("2026-11-28")));   /* a Saturday */
    /* At 00:59 New York on Tuesday 1 December, Monday's file is not due yet; at 01:00 it is. */
    assert_int_equal(sw_dated_last_due(&d, instant("America/New_York", 2026, 12, 1, 0, 59),
                                       &last), SW_OK);
    assert_true(last == day_of("2026-11-29"));
    assert_int_equal(sw_dated_last_due(&d, instant("America/New_York", 2026, 12, 1, 1, 0),
                                       &last), SW_OK);
    assert_true(last == day_of("2026-11-30"));
    /* The night the clocks go back (1 November 2026): Saturday 31 October's date is due at
     * 01:00 EDT, the first of the two 01:00s. */
    assert_int_equal(sw_dated_due_ms(&d, day_of("2026-10-31"), &due), SW_OK);
    assert_true(due == instant("UTC", 2026, 11, 1, 5, 0));
}

static json_t *outcome(const char *state, const char *at)
{
    return json_pack("{s:s, s:s}", "state", state, "at", at);
}

static void next_date_oldest_first(void **state)
{
    struct sw_dated d;
    json_t *days = json_object();
    int64_t now = instant("America/New_York", 2026, 12, 5, 12, 0);   /* Saturday noon */
    int64_t day = 0, wake = 0;

    uspto_daily(&d);
    d.start_day = day_of("2026-11-30");   /* Monday to Friday: 30 November to 4 December */
    assert_int_equal(sw_dated_next(&d, days, now, 14, 3600000, &day, &wake), 1);
    assert_true(day == day_of("2026-11-30"));
    json_object_set_new(days, "2026-11-30", outcome("fetched", "2026-12-05T17:00:00Z"));
    json_object_set_new(days, "2026-12-01", outcome("fetched", "2026-12-05T17:00:00Z"));
    json_object_set_new(days, "2026-12-02", outcome("missing", "2026-12-05T17:00:00Z"));
    assert_int_equal(sw_dated_next(&d, days, now, 14, 3600000, &day, &wake), 1);
    assert_true(day == day_of("2026-12-03"));
    json_object_set_new(days, "2026-12-03", outcome("fetched", "2026-12-05T17:00:00Z"));
    /* A date waiting (404 within its grace) is tried again after retry_ms, not before. */
    json_object_set_new(days, "2026-12-04", outcome("waiting", "2026-12-05T16:30:00Z"));
    assert_int_equal(sw_dated_next(&d, days, now, 14, 3600000, &day, &wake), 0);
    assert_true(wake == instant("UTC", 2026, 12, 5, 17, 30));
    assert_int_equal(sw_dated_next(&d, days, instant("UTC", 2026, 12, 5, 17, 30), 14, 3600000,
                                   &day, &wake), 1);
    assert_true(day == day_of("2026-12-04"));
    /* All known: the next poll is when Monday 7 December's file is due (Tuesday 01:00). */
    json_object_set_new(days, "2026-12-04", outcome("fetched", "2026-12-05T17:00:00Z"));
    assert_int_equal(sw_dated_next(&d, days, now, 14, 3600000, &day, &wake), 0);
    assert_true(wake == instant("America/New_York", 2026, 12, 8, 1, 0));
    json_decref(days);
}

static void window_bounded_by_backfill(void **state)
{
    struct sw_dated d;
    json_t *days = json_object(), *cov;
    int64_t now = instant("America/New_York", 2026, 12, 5, 12, 0), day = 0, wake = 0;

    uspto_daily(&d);
    /* Last known: 2 November. Three days back from 5 December: 2 to 4 December. */
    json_object_set_new(days, "2026-11-02", outcome("fetched", "2026-11-03T07:00:00Z"));
    assert_int_equal(sw_dated_next(&d, days, now, 3, 3600000, &day, &wake), 1);
    assert_true(day == day_of("2026-12-02"));
    cov = sw_dated_coverage(&d, days, now, 3);
    assert_string_equal(json_string_value(json_object_get(cov, "window_start")), "2026-12-02");
    assert_string_equal(json_string_value(json_object_get(cov, "last_due")), "2026-12-04");
    assert_int_equal(json_integer_value(json_object_get(cov, "expected")), 3);
    assert_int_equal(json_integer_value(json_object_get(cov, "fetched")), 0);
    assert_int_equal(json_array_size(json_object_get(cov, "pending")), 3);
    assert_string_equal(json_string_value(json_object_get(json_object_get(cov, "not_backfilled"),
                                                          "from")), "2026-11-03");
    assert_string_equal(json_string_value(json_object_get(json_object_get(cov, "not_backfilled"),
                                                          "to")), "2026-12-01");
    /* 3 November to 1 December: 21 weekdays. */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(cov, "not_backfilled"),
                                                        "days")), 21);
    json_decref(cov);
    json_decref(days);
}

static void coverage_lists_what_people_need(void **state)
{
    struct sw_dated d;
    json_t *days = json_object(), *cov;
    int64_t now = instant("America/New_York", 2026, 12, 5, 12, 0);

    uspto_daily(&d);
    d.start_day = day_of("2026-11-30");
    json_object_set_new(days, "2026-12-03", outcome("fetched", "2026-12-05T17:00:00Z"));
    json_object_set_new(days, "2026-11-30", outcome("fetched", "2026-12-05T17:00:00Z"));
    json_object_set_new(days, "2026-12-02", outcome("missing", "2026-12-05T17:00:00Z"));
    json_object_set_new(days, "2026-12-01", outcome("unreadable", "2026-12-05T17:00:00Z"));
    json_object_set_new(days, "2026-12-04", outcome("waiting", "2026-12-05T17:00:00Z"));
    cov = sw_dated_coverage(&d, days, now, 14);
    assert_int_equal(json_integer_value(json_object_get(cov, "expected")), 5);
    assert_int_equal(json_integer_value(json_object_get(cov, "fetched")), 2);
    assert_string_equal(json_string_value(json_object_get(cov, "last_fetched")), "2026-12-03");
    assert_string_equal(json_string_value(json_array_get(json_object_get(cov, "missing"), 0)),
                        "2026-12-02");
    assert_string_equal(json_string_value(json_array_get(json_object_get(cov, "unreadable"), 0)),
                        "2026-12-01");
    assert_string_equal(json_string_value(json_array_get(json_object_get(cov, "waiting"), 0)),
                        "2026-12-04");
    assert_int_equal(json_array_size(json_object_get(cov, "pending")), 0);
    assert_true(json_is_null(json_object_get(cov, "not_backfilled")));
    json_decref(cov);
    json_decref(days);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(templates),
        cmocka_unit_test(settings_read_and_refused),
        cmocka_unit_test(due_times_in_the_publishers_zone),
        cmocka_unit_test(next_date_oldest_first),
        cmocka_unit_test(window_bounded_by_backfill),
        cmocka_unit_test(coverage_lists_what_people_need),
    };
    return cmocka_run_group_tests_name("dated", tests, NULL, NULL);
}
