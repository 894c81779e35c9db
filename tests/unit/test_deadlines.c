/* test_deadlines.c — every rule of etc/deadlines.json, across weekends, holidays, month ends
 * and leap years; rule choice by type, country, group and proceeding; days counted and ended in
 * the forum's zone (Berlin, Paris, and far east and west in a table of our own); broken tables
 * refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/date.h"
#include "seawall/deadlines.h"
#include "seawall/zone.h"

static struct sw_deadlines *table;

static int load(void **state)
{
    const char *root = getenv("SEAWALL_SOURCE_ROOT");
    char path[512], err[512];

    (void)state;
    snprintf(path, sizeof(path), "%s/etc/deadlines.json", root ? root : ".");
    if (sw_deadlines_load(path, &table, err, sizeof(err)) != SW_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int unload(void **state)
{
    (void)state;
    sw_deadlines_free(table);
    return 0;
}

/* The rule chosen for (type, country, proceeding) and its deadline from `from`. */
static void due(const char *type, const char *country, const char *proc, const char *from,
                const char *rule_id, const char *want)
{
    const json_t *rule = sw_deadline_rule(table, type, country, proc);
    int64_t ms;
    char out[32];

    assert_non_null(rule);
    assert_string_equal(json_string_value(json_object_get(rule, "id")), rule_id);
    assert_int_equal(sw_deadline_when(table, country, from, 0, &ms), SW_OK);
    assert_string_equal(sw_iso8601(sw_deadline_due(table, rule, country, ms), out,
                                   sizeof(out)), want);
}

static void us_answer_21_days_rolls_past_weekends_and_holidays(void **state)
{
    (void)state;
    due("lawsuit", "US", NULL, "2026-03-02", "us-answer-complaint", "2026-03-23T23:59:59Z");
    due("lawsuit", "US", "complaint", "2026-03-02T15:00:00Z", "us-answer-complaint",
        "2026-03-23T23:59:59Z");
    /* Day 21 a Saturday: the next Monday. */
    due("lawsuit", "US", NULL, "2026-10-03", "us-answer-complaint", "2026-10-26T23:59:59Z");
    /* Day 21 Thanksgiving: the Friday after. */
    due("lawsuit", "US", NULL, "2026-11-05", "us-answer-complaint", "2026-11-27T23:59:59Z");
    /* Day 21 the observed Independence Day (Friday), then a weekend: Monday. */
    due("lawsuit", "US", NULL, "2026-06-12", "us-answer-complaint", "2026-07-06T23:59:59Z");
    /* Across a year end. */
    due("lawsuit", "US", NULL, "2026-12-15", "us-answer-complaint", "2027-01-05T23:59:59Z");
}

static void us_tro_14_days_never_rolls(void **state)
{
    (void)state;
    /* Day 14 is New Year's Day: a TRO still expires then. */
    due("lawsuit", "US", "tro", "2026-12-18", "us-tro-expiry", "2027-01-01T23:59:59Z");
    due("schedule_a", "US", NULL, "2026-12-18", "us-schedule-a-tro-expiry",
        "2027-01-01T23:59:59Z");
}

static void us_337_20_days_rolls_over_weekend_and_presidents_day(void **state)
{
    (void)state;
    /* Day 20 a Sunday, Monday Presidents' Day: Tuesday. */
    due("trade_investigation", "US", NULL, "2026-01-26", "us-337-response",
        "2026-02-17T23:59:59Z");
    due("trade_investigation", "US", NULL, "2026-04-01", "us-337-response",
        "2026-04-21T23:59:59Z");
}

static void eutm_opposition_3_months_clamps_month_ends(void **state)
{
    (void)state;
    due("opposition", "EM", NULL, "2026-03-10", "eutm-opposition", "2026-06-10T23:59:59Z");
    due("opposition", "EM", NULL, "2026-11-30", "eutm-opposition", "2027-02-28T23:59:59Z");
    due("opposition", "EU", NULL, "2027-11-30", "eutm-opposition", "2028-02-29T23:59:59Z");
    due("opposition", "EM", NULL, "2026-01-31", "eutm-opposition", "2026-04-30T23:59:59Z");
}

static void eu_customs_10_working_days_per_country_calendar(void **state)
{
    (void)state;
    /* Germany: Christmas, the weekend and New Year skipped; the day ends at midnight in
     * Berlin (CET). */
    due("customs_seizure", "DE", NULL, "2026-12-18", "eu-customs-detention",
        "2027-01-05T22:59:59Z");
    /* Italy has no holiday list here: weekends only. */
    due("customs_seizure", "IT", NULL, "2026-12-18", "eu-customs-detention",
        "2027-01-01T23:59:59Z");
    /* France: 1 and 8 May skipped; midnight in Paris (CEST). */
    due("customs_seizure", "FR", "detention", "2026-04-24", "eu-customs-detention",
        "2026-05-12T21:59:59Z");
}

static void de_injunction_one_month(void **state)
{
    (void)state;
    due("lawsuit", "DE", "preliminary_injunction", "2026-01-31", "de-injunction-enforcement",
        "2026-02-28T22:59:59Z");
    due("lawsuit", "DE", "preliminary_injunction", "2026-05-15", "de-injunction-enforcement",
        "2026-06-15T21:59:59Z");
    /* Across the change to summer time: March in CET, April in CEST. */
    due("lawsuit", "DE", "preliminary_injunction", "2026-03-29", "de-injunction-enforcement",
        "2026-04-29T21:59:59Z");
    /* Served at 00:30 in Berlin, still 1 December in UTC: the German day counts. */
    due("lawsuit", "DE", "preliminary_injunction", "2026-12-01T23:30:00Z",
        "de-injunction-enforcement", "2027-01-02T22:59:59Z");
    due("lawsuit", "DE", "preliminary_injunction", "2026-12-02T00:30:00+01:00",
        "de-injunction-enforcement", "2027-01-02T22:59:59Z");
}

static void fair_complaint_24_hours(void **state)
{
    (void)state;
    due("show_complaint", "CN", NULL, "2026-04-15T09:30:00Z", "cn-fair-complaint",
        "2026-04-16T09:30:00Z");
    due("show_complaint", "DE", NULL, "2026-02-28T22:00:00Z", "fair-complaint-default",
        "2026-03-01T22:00:00Z");
}

static void no_rule_for_what_the_table_does_not_cover(void **state)
{
    (void)state;
    assert_null(sw_deadline_rule(table, "opposition", "US", NULL));
    assert_null(sw_deadline_rule(table, "lawsuit", "US", "preliminary_injunction"));
    assert_null(sw_deadline_rule(table, "lawsuit", "DE", NULL));
    assert_null(sw_deadline_rule(table, "customs_seizure", "US", NULL));
}

static void working_days(void **state)
{
    int64_t ms;

    (void)state;
    assert_int_equal(sw_date_ms("2026-11-26", &ms), SW_OK);   /* Thanksgiving */
    assert_int_equal(sw_deadline_working_day(table, "US", ms / 86400000), 0);
    assert_int_equal(sw_deadline_working_day(table, "DE", ms / 86400000), 1);
    assert_int_equal(sw_date_ms("2026-11-28", &ms), SW_OK);   /* a Saturday */
    assert_int_equal(sw_deadline_working_day(table, "ZZ", ms / 86400000), 0);
}

static void zones_of_the_shipped_calendars(void **state)
{
    int64_t ms;
    char out[32];

    (void)state;
    assert_string_equal(sw_deadline_zone(table, "DE"), "Europe/Berlin");
    assert_string_equal(sw_deadline_zone(table, "FR"), "Europe/Paris");
    assert_string_equal(sw_deadline_zone(table, "US"), "UTC");
    assert_string_equal(sw_deadline_zone(table, "ZZ"), "UTC");
    assert_string_equal(sw_deadline_zone(NULL, "DE"), "UTC");
    /* A date alone: that day where the case is heard; a date-time: itself. */
    assert_int_equal(sw_deadline_when(table, "DE", "2026-12-01", 0, &ms), SW_OK);
    assert_string_equal(sw_iso8601(ms, out, sizeof(out)), "2026-11-30T23:00:00Z");
    assert_int_equal(sw_deadline_when(table, "DE", "2026-07-01", 1, &ms), SW_OK);
    assert_string_equal(sw_iso8601(ms, out, sizeof(out)), "2026-07-01T21:59:59Z");
    assert_int_equal(sw_deadline_when(table, "US", "2026-12-01", 1, &ms), SW_OK);
    assert_string_equal(sw_iso8601(ms, out, sizeof(out)), "2026-12-01T23:59:59Z");
    assert_int_equal(sw_deadline_when(table, "DE", "2026-12-01T10:00:00+08:00", 1, &ms), SW_OK);
    assert_string_equal(sw_iso8601(ms, out, sizeof(out)), "2026-12-01T02:00:00Z");
    assert_int_equal(sw_deadline_when(table, "DE", "someday", 1, &ms), SW_INVALID);
    assert_int_equal(sw_deadline_when(table, "DE", NULL, 1, &ms), SW_INVALID);
}

/* Writes text to a fresh temporary file; its name into path (a mkstemp template). */
static void write_table(char *path, const char *text)
{
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void ten_days_in_far_zones(void **state)
{
    static const char text[] =
        "{\"rules\": [{\"id\": \"ten\", \"type\": \"lawsuit\", \"countries\": [\"*\"], "
        "\"proceedings\": [\"\"], \"from\": \"served\", \"period\": {\"days\": 10}, "
        "\"roll\": \"none\", \"text\": \"t\", \"source\": \"s\"}], "
        "\"calendars\": {\"default\": {}, \"KI\": {\"zone\": \"Pacific/Kiritimati\"}, "
        "\"AS\": {\"zone\": \"Pacific/Pago_Pago\"}, \"CN\": {\"zone\": \"Asia/Shanghai\"}, "
        "\"US\": {\"zone\": \"America/New_York\"}}}";
    static const struct {
        const char *country, *from, *want;
    } cases[] = {
        /* 12:00 UTC on 1 December is 2 December in Kiritimati, still 1 December in Pago Pago. */
        { "KI", "2026-12-01T12:00:00Z", "2026-12-12T09:59:59Z" },
        { "AS", "2026-12-01T12:00:00Z", "2026-12-12T10:59:59Z" },
        { "CN", "2026-12-01T12:00:00Z", "2026-12-11T15:59:59Z" },
        { "ZZ", "2026-12-01T12:00:00Z", "2026-12-11T23:59:59Z" },
        /* A date alone is that local day wherever it is: here west of UTC. */
        { "AS", "2026-12-01", "2026-12-12T10:59:59Z" },
        { "US", "2026-12-01", "2026-12-12T04:59:59Z" },
        /* Ten days from the Saturday before New York moves to summer time. */
        { "US", "2026-03-07", "2026-03-18T03:59:59Z" },
    };
    char path[] = "/tmp/sw-deadlines-XXXXXX", err[512], out[32];
    struct sw_deadlines *d = NULL;
    int64_t ms;
    size_t i;

    (void)state;
    write_table(path, text);
    assert_int_equal(sw_deadlines_load(path, &d, err, sizeof(err)), SW_OK);
    remove(path);
    for (i = 0; i < SW_ARRAY_LEN(cases); i++) {
        const json_t *rule = sw_deadline_rule(d, "lawsuit", cases[i].country, NULL);

        assert_non_null(rule);
        assert_int_equal(sw_deadline_when(d, cases[i].country, cases[i].from, 0, &ms), SW_OK);
        assert_string_equal(sw_iso8601(sw_deadline_due(d, rule, cases[i].country, ms), out,
                                       sizeof(out)), cases[i].want);
    }
    sw_deadlines_free(d);
}

static void broken_tables_are_refused(void **state)
{
    static const char *const bad[] = {
        "{\"rules\": [], \"calendars\": {}}",
        "{\"rules\": [{\"id\": \"x\"}], \"calendars\": {\"default\": {}}}",
        "{\"rules\": [], \"calendars\": {\"default\": {\"holidays\": [\"2026-02-30\"]}}}",
        "{\"rules\": [{\"id\": \"x\", \"type\": \"lawsuit\", \"countries\": [\"US\"], "
        "\"proceedings\": [\"\"], \"from\": \"served\", \"period\": {\"days\": 3, \"hours\": 2}, "
        "\"roll\": \"none\", \"text\": \"t\", \"source\": \"s\"}], "
        "\"calendars\": {\"default\": {}}}",
        "{\"rules\": [", 
        "{\"rules\": [], \"calendars\": {\"default\": {\"zone\": \"Mars/Olympus\"}}}",
        "{\"rules\": [], \"calendars\": {\"default\": {}, \"DE\": {\"zone\": 1}}}",
        /* A week without a working day would never end a rolled period. */
        "{\"rules\": [], \"calendars\": {\"default\": {\"weekend\": [\"sun\", \"mon\", "
        "\"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]}}}",
        "{\"rules\": [], \"calendars\": {\"default\": {\"weekend\": [\"caturday\"]}}}",
        /* A case rule naming a calendar the table lacks. */
        "{\"rules\": [{\"id\": \"x\", \"type\": \"lawsuit\", \"countries\": [\"US\"], "
        "\"proceedings\": [\"\"], \"from\": \"served\", \"period\": {\"days\": 3}, "
        "\"roll\": \"none\", \"calendar\": \"MARS\", \"text\": \"t\", \"source\": \"s\"}], "
        "\"calendars\": {\"default\": {}}}",
        "{\"rules\": [], \"calendars\": {\"default\": {}}, \"actions\": {}}",
    };
    char path[] = "/tmp/sw-deadlines-XXXXXX", err[512];
    struct sw_deadlines *d = NULL;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int fd = mkstemp(path);
        FILE *f = fdopen(fd, "w");

        fputs(bad[i], f);
        fclose(f);
        assert_int_equal(sw_deadlines_load(path, &d, err, sizeof(err)), SW_INVALID);
        assert_non_null(strstr(err, path));
        remove(path);
        snprintf(path, sizeof(path), "%s", "/tmp/sw-deadlines-XXXXXX");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(us_answer_21_days_rolls_past_weekends_and_holidays),
        cmocka_unit_test(us_tro_14_days_never_rolls),
        cmocka_unit_test(us_337_20_days_rolls_over_weekend_and_presidents_day),
        cmocka_unit_test(eutm_opposition_3_months_clamps_month_ends),
        cmocka_unit_test(eu_customs_10_working_days_per_country_calendar),
        cmocka_unit_test(de_injunction_one_month),
        cmocka_unit_test(fair_complaint_24_hours),
        cmocka_unit_test(no_rule_for_what_the_table_does_not_cover),
        cmocka_unit_test(working_days),
        cmocka_unit_test(zones_of_the_shipped_calendars),
        cmocka_unit_test(ten_days_in_far_zones),
        cmocka_unit_test(broken_tables_are_refused),
    };

    return cmocka_run_group_tests(tests, load, unload);
}
