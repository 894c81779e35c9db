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
    /* Day 14 is New Year's Day: a TRO still expires then (counted from its entry). */
    due("lawsuit", "US", "tro", "2026-12-18", "us-tro-expiry", "2027-01-01T23:59:59Z");
    due("schedule_a", "US", "tro", "2026-12-18", "us-schedule-a-tro-expiry",
        "2027-01-01T23:59:59Z");
    /* Entered on Friday 20 November 2026: expires Friday 4 December, whatever day service
     * was. */
    due("schedule_a", "US", "tro", "2026-11-20", "us-schedule-a-tro-expiry",
        "2026-12-04T23:59:59Z");
    assert_string_equal(json_string_value(json_object_get(
                            sw_deadline_rule(table, "schedule_a", "US", "tro"), "from")),
                        "entered");
}

static void us_schedule_a_answer_21_days_from_service(void **state)
{
    (void)state;
    /* Served by e-mail on Thursday 5 November 2026: day 21 is Thanksgiving, so Friday. */
    due("schedule_a", "US", NULL, "2026-11-05", "us-schedule-a-answer", "2026-11-27T23:59:59Z");
    /* Day 21 Christmas Day (Friday 25 December 2026): Monday 28 December. */
    due("schedule_a", "US", "complaint", "2026-12-04", "us-schedule-a-answer",
        "2026-12-28T23:59:59Z");
}

/* The deadline of rule id from `from` (a date in the rule's forum), counted as the API does. */
static void due_id(const char *id, const char *country, const char *from, const char *want,
                   int covered)
{
    const json_t *rule = sw_deadline_rule_by_id(table, id);
    struct sw_due_info info;
    int64_t ms;
    char out[32];

    assert_non_null(rule);
    assert_int_equal(sw_deadline_when_in(sw_deadline_rule_zone(table, rule, country), from, 0,
                                         &ms), SW_OK);
    assert_string_equal(sw_iso8601(sw_deadline_due_info(table, rule, NULL, country, NULL, ms,
                                                        &info), out, sizeof(out)), want);
    assert_int_equal(info.covered, covered);
}

static void tro_extension_once_for_a_like_period(void **state)
{
    const json_t *rule = sw_deadline_rule_by_id(table, "us-tro-expiry");
    const json_t *ext = json_object_get(rule, "extend");
    int64_t ms;
    char out[32];

    (void)state;
    assert_int_equal(json_integer_value(json_object_get(ext, "times")), 1);
    assert_int_equal(sw_date_ms("2026-12-04T23:59:59Z", &ms), SW_OK);
    /* 14 more days from the first expiry. */
    assert_string_equal(sw_iso8601(sw_deadline_due_info(table, rule,
                                                        json_object_get(ext, "period"), "US",
                                                        NULL, ms, NULL), out, sizeof(out)),
                        "2026-12-18T23:59:59Z");
}

static void pi_hearing_is_the_day_itself(void **state)
{
    (void)state;
    due_id("us-pi-hearing", "US", "2026-12-10", "2026-12-10T23:59:59Z", 1);
    assert_int_equal(json_integer_value(json_object_get(sw_deadline_rule_by_id(table,
                                        "us-pi-hearing"), "remind_days")), 3);
}

static void oppositions_by_the_exporters_side(void **state)
{
    (void)state;
    /* The opposer: the office's opposition period from publication. */
    assert_string_equal(json_string_value(json_object_get(sw_deadline_rule_of_kind(table,
                        "opposition", "opposition", "US", "opposer"), "id")), "us-tm-opposition");
    /* The opposed: the answer or counter-statement period, never the opposition period. */
    assert_string_equal(json_string_value(json_object_get(sw_deadline_rule_of_kind(table,
                        "counter_statement", "opposition", "US", "opposed"), "id")),
                        "us-tm-opposition-answer");
    assert_null(sw_deadline_rule_of_kind(table, "opposition", "opposition", "US", "opposed"));
    assert_null(sw_deadline_rule_of_kind(table, "counter_statement", "opposition", "EM",
                                         "opposed"));   /* EUIPO: the Office sets it */
    /* TTAB: published Tuesday 3 November 2026, day 30 Thursday 3 December, 23:59:59 in New
     * York. */
    due_id("us-tm-opposition", "US", "2026-11-03", "2026-12-04T04:59:59Z", 1);
    /* Answer: notice of 13 October 2026, day 40 Sunday 22 November: Monday 23 November. */
    due_id("us-tm-opposition-answer", "US", "2026-10-13", "2026-11-24T04:59:59Z", 1);
    /* CNIPA: published 1 July 2026, 3 months: 1 October, National Day: Thursday 8 October
     * (the holiday runs to 7 October), midnight in Beijing. */
    due_id("cnipa-opposition", "CN", "2026-07-01", "2026-10-08T15:59:59Z", 1);
    /* 30 days from receipt on 3 September 2026: 3 October, in the holiday: 8 October. */
    due_id("cnipa-opposition-answer", "CN", "2026-09-03", "2026-10-08T15:59:59Z", 1);
    /* The UK: TM7 two months from publication; TM8 two months from notification, London
     * time (BST in May). */
    due_id("ukipo-opposition", "GB", "2026-03-31", "2026-05-31T22:59:59Z", 1);
    due_id("ukipo-counter-statement", "GB", "2026-11-10", "2027-01-10T23:59:59Z", 1);
}

static void china_2026_holidays_and_make_up_working_days(void **state)
{
    (void)state;
    /* National Day 1-7 October are holidays; Saturday 10 October is worked (调休). */
    assert_false(sw_deadline_working_day(table, "CN", sw_days_from_civil(2026, 10, 1)));
    assert_false(sw_deadline_working_day(table, "CN", sw_days_from_civil(2026, 10, 7)));
    assert_true(sw_deadline_working_day(table, "CN", sw_days_from_civil(2026, 10, 8)));
    assert_true(sw_deadline_working_day(table, "CN", sw_days_from_civil(2026, 10, 10)));
    assert_true(sw_deadline_working_day(table, "CN", sw_days_from_civil(2026, 9, 20)));
    assert_true(sw_deadline_working_day(table, "CN", sw_days_from_civil(2026, 2, 14)));
    assert_false(sw_deadline_working_day(table, "CN", sw_days_from_civil(2026, 2, 17)));
    assert_false(sw_deadline_working_day(table, "CN", sw_days_from_civil(2026, 5, 5)));
    assert_true(sw_deadline_working_day(table, "CN", sw_days_from_civil(2026, 5, 9)));
    /* 2027 is not listed: weekends only, and the count says so. */
    due_id("cnipa-opposition", "CN", "2026-10-02", "2027-01-04T15:59:59Z", 0);
    due_id("cnipa-opposition", "CN", "2026-06-30", "2026-09-30T15:59:59Z", 1);
}

static void calendars_of_each_country(void **state)
{
    static const struct {
        const char *country;
        int y, m, d, working;
    } days[] = {
        { "US", 2026, 11, 26, 0 }, { "US", 2027, 12, 24, 0 }, { "US", 2026, 11, 27, 1 },
        { "DE", 2026, 10, 3, 0 },  { "DE", 2027, 3, 26, 0 },  { "FR", 2026, 7, 14, 0 },
        { "NL", 2026, 4, 27, 0 },  { "GB", 2026, 8, 31, 0 },  { "GB", 2026, 12, 28, 0 },
        { "GB", 2027, 12, 28, 0 }, { "GB", 2026, 12, 29, 1 }, { "IT", 2026, 6, 2, 0 },
        { "IT", 2027, 12, 8, 0 },  { "IT", 2026, 12, 7, 1 },  { "ES", 2026, 10, 12, 0 },
        { "ES", 2027, 12, 6, 0 },  { "ES", 2026, 4, 3, 0 },   { "JP", 2026, 9, 22, 0 },
        { "JP", 2026, 5, 6, 0 },   { "JP", 2027, 3, 22, 0 },  { "JP", 2026, 12, 29, 0 },
        { "JP", 2027, 1, 4, 1 },   { "KR", 2026, 2, 16, 0 },  { "KR", 2026, 6, 3, 0 },
        { "KR", 2026, 10, 5, 0 },  { "KR", 2026, 9, 28, 1 },  { "EU", 2026, 6, 23, 0 },
        { "EU", 2027, 5, 6, 0 },   { "EU", 2026, 5, 8, 1 },   { "CN", 2026, 1, 4, 1 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < SW_ARRAY_LEN(days); i++) {
        int got = sw_deadline_working_day(table, days[i].country,
                                          sw_days_from_civil(days[i].y, days[i].m, days[i].d));

        if (got != days[i].working)
            fail_msg("%s %04d-%02d-%02d: working %d, want %d", days[i].country, days[i].y,
                     days[i].m, days[i].d, got, days[i].working);
    }
    /* Every country calendar says where it comes from and which years it lists. */
    for (i = 0; i < 11; i++) {
        static const char *const names[] = { "CN", "US", "DE", "FR", "NL", "GB", "IT", "ES",
                                             "JP", "KR", "EU" };
        const json_t *cal = sw_deadline_calendar(table, names[i]);

        assert_non_null(cal);
        assert_true(json_string_length(json_object_get(cal, "source")) > 20);
        assert_true(json_array_size(json_object_get(cal, "years")) >= 1);
        assert_non_null(json_object_get(cal, "zone"));
    }
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
    /* The EU's calendar is the Court of Justice's, in Luxembourg. */
    due("opposition", "EU", NULL, "2027-11-30", "eutm-opposition", "2028-02-29T22:59:59Z");
    due("opposition", "EM", NULL, "2026-01-31", "eutm-opposition", "2026-04-30T23:59:59Z");
}

static void eu_customs_10_working_days_per_country_calendar(void **state)
{
    (void)state;
    /* Germany: Christmas, the weekend and New Year skipped; the day ends at midnight in
     * Berlin (CET). */
    due("customs_seizure", "DE", NULL, "2026-12-18", "eu-customs-detention",
        "2027-01-05T22:59:59Z");
    /* Italy: Christmas, New Year's Day skipped (Saint Stephen on a Saturday); midnight in
     * Rome. */
    due("customs_seizure", "IT", NULL, "2026-12-18", "eu-customs-detention",
        "2027-01-05T22:59:59Z");
    /* A country with no calendar here (Poland) counts weekends only, in UTC. */
    due("customs_seizure", "PL", NULL, "2026-12-18", "eu-customs-detention",
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
    assert_null(sw_deadline_rule(table, "opposition", "JP", NULL));
    assert_null(sw_deadline_rule(table, "lawsuit", "US", "appeal"));
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
        "{\"rules\": [{\"id\": \"ten\", \"kind\": \"answer\", \"type\": \"lawsuit\", \"countries\": [\"*\"], "
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
        /* A case rule of no known kind, side or event; a make-up working day that is no
         * date; a covered year that is no year. */
        "{\"rules\": [{\"id\": \"x\", \"kind\": \"pray\", \"type\": \"lawsuit\", "
        "\"countries\": [\"US\"], \"proceedings\": [\"\"], \"from\": \"served\", "
        "\"period\": {\"days\": 3}, \"roll\": \"none\", \"text\": \"t\", \"source\": \"s\"}], "
        "\"calendars\": {\"default\": {}}}",
        "{\"rules\": [{\"id\": \"x\", \"kind\": \"opposition\", \"exporter_role\": \"judge\", "
        "\"type\": \"opposition\", \"countries\": [\"US\"], \"proceedings\": [\"\"], "
        "\"from\": \"published\", \"period\": {\"days\": 3}, \"roll\": \"none\", "
        "\"text\": \"t\", \"source\": \"s\"}], \"calendars\": {\"default\": {}}}",
        "{\"rules\": [{\"id\": \"x\", \"kind\": \"answer\", \"type\": \"lawsuit\", "
        "\"countries\": [\"US\"], \"proceedings\": [\"\"], \"from\": \"yesterday\", "
        "\"period\": {\"days\": 3}, \"roll\": \"none\", \"text\": \"t\", \"source\": \"s\"}], "
        "\"calendars\": {\"default\": {}}}",
        "{\"rules\": [], \"calendars\": {\"default\": {}, \"CN\": {\"workdays\": "
        "[\"2026-02-30\"]}}}",
        "{\"rules\": [], \"calendars\": {\"default\": {}, \"CN\": {\"years\": [\"2026\"]}}}",
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
        cmocka_unit_test(us_schedule_a_answer_21_days_from_service),
        cmocka_unit_test(tro_extension_once_for_a_like_period),
        cmocka_unit_test(pi_hearing_is_the_day_itself),
        cmocka_unit_test(oppositions_by_the_exporters_side),
        cmocka_unit_test(china_2026_holidays_and_make_up_working_days),
        cmocka_unit_test(calendars_of_each_country),
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
