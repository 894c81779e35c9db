/* test_actions.c — every action rule of etc/deadlines.json on real dates: opposition windows at
 * the USPTO (30 days, rolled past weekends and federal holidays, ended in Eastern Time), the
 * EUIPO (3 months, month ends, a leap year, rolled past a weekend, ended in Madrid), CNIPA, the
 * UK IPO, the JPO and KIPO; a Madrid designation's refusal period per designated office; the
 * answer to a US complaint; an EU customs detention in working days per country; a fair's 24
 * hours and a fair's own period; what is unknown said so; rules that do not fit giving nothing;
 * broken action rules refused at load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/actions.h"
#include "seawall/deadlines.h"

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

/* The action for an event (JSON text) made by one match rule; the caller decrefs. */
static json_t *action(const char *event, const char *reason, int64_t *closes)
{
    json_t *ev = json_loads(event, 0, NULL);
    const char *reasons[1];
    json_t *a;

    assert_non_null(ev);
    reasons[0] = reason;
    a = sw_action_for(table, ev, reasons, 1, closes);
    json_decref(ev);
    return a;
}

static const char *str(const json_t *a, const char *key)
{
    return json_string_value(json_object_get(a, key));
}

/* Asserts the action's kind, rule, closing instant and last day (as the forum counts it). */
static json_t *window(const char *event, const char *reason, const char *kind, const char *rule,
                      const char *closes, const char *last_day)
{
    int64_t ms = 0;
    json_t *a = action(event, reason, &ms);
    char out[32];

    assert_non_null(a);
    assert_string_equal(str(a, "kind"), kind);
    assert_string_equal(str(json_object_get(a, "rule"), "id"), rule);
    assert_non_null(str(json_object_get(a, "rule"), "text"));
    assert_non_null(str(json_object_get(a, "rule"), "source"));
    assert_null(json_object_get(a, "unknown"));
    assert_string_equal(str(a, "closes"), closes);
    assert_string_equal(sw_iso8601(ms, out, sizeof(out)), closes);
    assert_string_equal(str(a, "last_day"), last_day);
    return a;
}

static void check(const char *event, const char *reason, const char *kind, const char *rule,
                  const char *closes, const char *last_day)
{
    json_decref(window(event, reason, kind, rule, closes, last_day));
}

/* Asserts the action says its date is unknown, naming why, with its rule and no window. */
static void unknown(const char *event, const char *reason, const char *kind, const char *rule,
                    const char *why)
{
    int64_t ms = 1;
    json_t *a = action(event, reason, &ms);

    assert_non_null(a);
    assert_int_equal(ms, 0);
    assert_string_equal(str(a, "kind"), kind);
    assert_string_equal(str(a, "unknown"), why);
    assert_string_equal(str(json_object_get(a, "rule"), "id"), rule);
    assert_null(json_object_get(a, "closes"));
    assert_null(json_object_get(a, "opens"));
    json_decref(a);
}

static void none(const char *event, const char *reason)
{
    int64_t ms = 1;

    assert_null(action(event, reason, &ms));
    assert_int_equal(ms, 0);
}

#define US_TM "{\"type\": \"trademark_status\", \"jurisdiction\": \"US\", \"published\": "
#define EM_TM "{\"type\": \"trademark_status\", \"jurisdiction\": \"EM\", \"published\": "

static void uspto_30_days_eastern_time_rolled(void **state)
{
    json_t *a;

    (void)state;
    /* PYTHON (serial 76044902), published for opposition on 30 December 2003: a Thursday 30
     * days on, ended at midnight in Alexandria (EST). */
    a = window(US_TM "\"2003-12-30\"}", "similar-mark", "opposition", "us-tm-opposition",
               "2004-01-30T04:59:59Z", "2004-01-29");
    assert_string_equal(str(a, "opens"), "2003-12-30T05:00:00Z");
    assert_string_equal(str(a, "zone"), "America/New_York");
    assert_string_equal(str(json_object_get(a, "from"), "what"), "published");
    assert_string_equal(str(json_object_get(a, "from"), "date"), "2003-12-30");
    assert_true(json_is_true(json_object_get(a, "extendable")));
    assert_non_null(strstr(str(a, "extension"), "180 days"));
    assert_non_null(strstr(str(json_object_get(a, "rule"), "url"), "https://"));
    json_decref(a);
    /* Day 30 is Thanksgiving: the Friday. */
    check(US_TM "\"2026-10-27\"}", "identical-mark", "opposition", "us-tm-opposition",
          "2026-11-28T04:59:59Z", "2026-11-27");
    /* Day 30 is Christmas, a Friday: the Monday after. */
    check(US_TM "\"2026-11-25\"}", "name-filed-as-mark", "opposition", "us-tm-opposition",
          "2026-12-29T04:59:59Z", "2026-12-28");
    /* Day 30 a Saturday, in summer time: the Monday, at midnight EDT. */
    check(US_TM "\"2026-09-03\"}", "similar-mark", "opposition", "us-tm-opposition",
          "2026-10-06T03:59:59Z", "2026-10-05");
}

static void euipo_3_months_month_ends_leap_year_weekend(void **state)
{
    json_t *a;

    (void)state;
    /* SOPHIA SAFFRON (018222211), published 3 September 2020: 3 December, midnight in
     * Alicante (CET). */
    a = window(EM_TM "\"2020-09-03\"}", "similar-mark", "opposition", "euipo-opposition",
               "2020-12-03T22:59:59Z", "2020-12-03");
    assert_string_equal(str(a, "opens"), "2020-09-02T22:00:00Z");
    assert_string_equal(str(a, "zone"), "Europe/Madrid");
    assert_true(json_is_false(json_object_get(a, "extendable")));
    assert_null(json_object_get(a, "extension"));
    json_decref(a);
    /* HYGPEN (018226756), published 16 October 2020: 16 January 2021 is a Saturday, the
     * Office is closed, so the Monday. */
    check(EM_TM "\"2020-10-16\"}", "similar-mark", "opposition", "euipo-opposition",
          "2021-01-18T22:59:59Z", "2021-01-18");
    /* 30 November + 3 months: February's last day, a Sunday here, so Monday 1 March. */
    check(EM_TM "\"2026-11-30\"}", "identical-mark", "opposition", "euipo-opposition",
          "2027-03-01T22:59:59Z", "2027-03-01");
    /* In a leap year February has its 29th (a Tuesday). "EU" is the EU trade mark too. */
    check("{\"type\": \"trademark_filing\", \"jurisdiction\": \"EU\", \"published\": "
          "\"2027-11-30\"}", "similar-mark", "opposition", "euipo-opposition",
          "2028-02-29T22:59:59Z", "2028-02-29");
    /* Summer: midnight CEST. */
    check(EM_TM "\"2026-03-10\"}", "similar-mark", "opposition", "euipo-opposition",
          "2026-06-10T21:59:59Z", "2026-06-10");
}

static void other_offices(void **state)
{
    json_t *a;

    (void)state;
    /* CNIPA 3 months, Beijing time; no holiday list for China, so no roll: a Sunday stays. */
    check("{\"type\": \"trademark_filing\", \"jurisdiction\": \"CN\", \"published\": "
          "\"2026-11-30\"}", "similar-mark", "opposition", "cnipa-opposition",
          "2027-02-28T15:59:59Z", "2027-02-28");
    check("{\"type\": \"trademark_filing\", \"jurisdiction\": \"CN\", \"published\": "
          "\"2027-11-30\"}", "similar-mark", "opposition", "cnipa-opposition",
          "2028-02-29T15:59:59Z", "2028-02-29");
    /* UK IPO 2 months (31 December: the end of February), extendable by one with a TM7A. */
    a = window("{\"type\": \"trademark_filing\", \"jurisdiction\": \"GB\", \"published\": "
               "\"2026-12-31\"}", "similar-mark", "opposition", "ukipo-opposition",
               "2027-02-28T23:59:59Z", "2027-02-28");
    assert_true(json_is_true(json_object_get(a, "extendable")));
    assert_non_null(strstr(str(a, "extension"), "TM7A"));
    json_decref(a);
    check("{\"type\": \"trademark_filing\", \"jurisdiction\": \"GB\", \"published\": "
          "\"2026-05-15\"}", "similar-mark", "opposition", "ukipo-opposition",
          "2026-07-15T22:59:59Z", "2026-07-15");
    /* JPO and KIPO 2 months, Tokyo and Seoul time. */
    check("{\"type\": \"trademark_status\", \"jurisdiction\": \"JP\", \"published\": "
          "\"2026-12-31\"}", "similar-mark", "opposition", "jpo-opposition",
          "2027-02-28T14:59:59Z", "2027-02-28");
    check("{\"type\": \"trademark_filing\", \"jurisdiction\": \"KR\", \"published\": "
          "\"2027-12-29\"}", "similar-mark", "opposition", "kipo-opposition",
          "2028-02-29T14:59:59Z", "2028-02-29");
    check("{\"type\": \"trademark_filing\", \"jurisdiction\": \"KR\", \"published\": "
          "\"2027-12-31\"}", "similar-mark", "opposition", "kipo-opposition",
          "2028-02-29T14:59:59Z", "2028-02-29");
}

static void opposition_needs_a_publication_date(void **state)
{
    (void)state;
    /* SUVENEER (98763166), a new application: not published yet. */
    unknown("{\"type\": \"trademark_filing\", \"jurisdiction\": \"US\", \"filed\": "
            "\"2024-09-24\", \"date\": \"2024-09-24\"}", "similar-mark", "opposition",
            "us-tm-opposition", "the publication date is not in the record");
    /* A date that cannot be read is no date. */
    unknown(EM_TM "\"someday\"}", "similar-mark", "opposition", "euipo-opposition",
            "the publication date is not in the record");
}

static void madrid_refusal_per_designated_office(void **state)
{
    json_t *a, *d;

    (void)state;
    /* Notified 31 March 2026: the US declared 18 months (30 September 2027, the month has no
     * 31st); Germany has 12 (31 March 2027). The action's own window is the one closing
     * first, every designation listed; days end in Geneva. */
    a = window("{\"type\": \"trademark_filing\", \"jurisdiction\": \"WO\", \"notified\": "
               "\"2026-03-31\", \"designations\": [\"US\", \"DE\"]}", "similar-mark",
               "madrid_refusal", "madrid-refusal", "2027-03-31T21:59:59Z", "2027-03-31");
    d = json_object_get(a, "designations");
    assert_int_equal(json_array_size(d), 2);
    assert_string_equal(str(json_array_get(d, 0), "country"), "US");
    assert_string_equal(str(json_array_get(d, 0), "rule"), "madrid-refusal-18-months");
    assert_string_equal(str(json_array_get(d, 0), "closes"), "2027-09-30T21:59:59Z");
    assert_string_equal(str(json_array_get(d, 0), "last_day"), "2027-09-30");
    assert_string_equal(str(json_array_get(d, 1), "country"), "DE");
    assert_string_equal(str(json_array_get(d, 1), "closes"), "2027-03-31T21:59:59Z");
    json_decref(a);
    /* No designation named: the shortest period, said so. */
    a = window("{\"type\": \"trademark_filing\", \"jurisdiction\": \"WO\", \"notified\": "
               "\"2026-03-31\"}", "identical-mark", "madrid_refusal", "madrid-refusal",
               "2027-03-31T21:59:59Z", "2027-03-31");
    assert_non_null(str(a, "note"));
    json_decref(a);
    unknown("{\"type\": \"trademark_filing\", \"jurisdiction\": \"WO\", \"designations\": "
            "[\"CN\"]}", "similar-mark", "madrid_refusal", "madrid-refusal-18-months",
            "the date of notification is not in the record");
}

static void answer_to_a_us_complaint(void **state)
{
    json_t *a;

    (void)state;
    /* Served 5 November 2026: day 21 is Thanksgiving, so the Friday. */
    a = window("{\"type\": \"litigation\", \"jurisdiction\": \"US\", \"served\": "
               "\"2026-11-05\"}", "named-as-defendant", "answer", "us-answer-complaint",
               "2026-11-27T23:59:59Z", "2026-11-27");
    assert_true(json_is_true(json_object_get(a, "extendable")));
    json_decref(a);
    /* A docket entry does not say when the complaint was served. */
    unknown("{\"type\": \"litigation\", \"jurisdiction\": \"US\", \"date\": \"2026-11-05\"}",
            "named-as-defendant", "answer", "us-answer-complaint",
            "the date of service is not in the record");
    /* A mark mentioned in someone else's suit is no answer for the exporter to give. */
    none("{\"type\": \"litigation\", \"jurisdiction\": \"US\", \"served\": \"2026-11-05\"}",
         "mark-mentioned");
}

static void eu_customs_detention_working_days(void **state)
{
    (void)state;
    /* Hamburg, notified Friday 18 December 2026: Christmas, two weekends and New Year's Day
     * skipped; the 10th working day ends at midnight in Berlin. */
    check("{\"type\": \"customs_seizure\", \"jurisdiction\": \"DE\", \"notified\": "
          "\"2026-12-18\"}", "named-as-respondent", "customs_detention", "eu-customs-declarant",
          "2027-01-05T22:59:59Z", "2027-01-05");
    /* France: 1 and 8 May skipped, midnight in Paris (CEST). */
    check("{\"type\": \"customs_seizure\", \"jurisdiction\": \"FR\", \"notified\": "
          "\"2026-04-24\"}", "named-as-respondent", "customs_detention", "eu-customs-declarant",
          "2026-05-12T21:59:59Z", "2026-05-12");
    /* Italy: Christmas and New Year's Day skipped, midnight in Rome. */
    check("{\"type\": \"customs_seizure\", \"jurisdiction\": \"IT\", \"notified\": "
          "\"2026-12-18\"}", "named-as-defendant", "customs_detention", "eu-customs-declarant",
          "2027-01-05T22:59:59Z", "2027-01-05");
    unknown("{\"type\": \"customs_seizure\", \"jurisdiction\": \"DE\", \"date\": "
            "\"2026-12-18\"}", "named-as-respondent", "customs_detention",
            "eu-customs-declarant", "the date of notification is not in the record");
    /* Not an EU detention: no rule. */
    none("{\"type\": \"customs_seizure\", \"jurisdiction\": \"US\", \"notified\": "
         "\"2026-12-18\"}", "named-as-respondent");
}

static void fair_24_hours_or_the_fairs_own(void **state)
{
    json_t *a;

    (void)state;
    a = window("{\"type\": \"show_incident\", \"jurisdiction\": \"CN\", \"served\": "
               "\"2026-04-15T09:30:00Z\"}", "named-as-exhibitor", "fair_answer",
               "fair-incident-answer", "2026-04-16T09:30:00Z", "2026-04-16");
    assert_string_equal(str(a, "opens"), "2026-04-15T09:30:00Z");
    json_decref(a);
    /* The incident carries the fair's own period (48 hours): that is the window. */
    a = window("{\"type\": \"show_incident\", \"jurisdiction\": \"DE\", \"served\": "
               "\"2026-04-15T09:30:00Z\", \"deadline\": {\"at\": \"2026-04-17T09:30:00Z\", "
               "\"rule\": {\"id\": \"show\", \"text\": \"the answer period set for this "
               "show\", \"hours\": 48}}}", "named-as-exhibitor", "fair_answer", "show",
               "2026-04-17T09:30:00Z", "2026-04-17");
    assert_string_equal(str(a, "opens"), "2026-04-15T09:30:00Z");
    assert_null(json_object_get(json_object_get(a, "rule"), "hours"));
    json_decref(a);
    /* An exporter attending the fair has nothing to answer. */
    none("{\"type\": \"show_incident\", \"jurisdiction\": \"CN\", \"served\": "
         "\"2026-04-15T09:30:00Z\"}", "show-attended");
}

static void no_action_where_no_rule_fits(void **state)
{
    json_t *empty = json_object();
    int64_t ms = 1;

    (void)state;
    /* A keyword in a filing gives the exporter no standing the table knows. */
    none(US_TM "\"2026-10-27\"}", "keyword-in-market");
    /* France's national office has no rule here. */
    none("{\"type\": \"trademark_filing\", \"jurisdiction\": \"FR\", \"published\": "
         "\"2026-10-27\"}", "similar-mark");
    none("{\"type\": \"news\", \"jurisdiction\": \"US\"}", "keyword-in-news");
    assert_null(sw_action_for(NULL, empty, NULL, 0, &ms));
    assert_int_equal(ms, 0);
    json_decref(empty);
}

static void broken_action_rules_are_refused(void **state)
{
    static const char head[] = "{\"rules\": [], \"calendars\": {\"default\": {}}, "
                               "\"actions\": [{\"id\": \"a\", \"kind\": \"opposition\", "
                               "\"events\": [\"trademark_filing\"], \"countries\": [\"US\"], "
                               "\"reasons\": [\"similar-mark\"], \"period\": {\"days\": 30}, "
                               "\"roll\": \"none\", \"text\": \"t\", \"source\": \"s\", ";
    static const struct {
        const char *tail, *why;
    } bad[] = {
        { "\"from\": \"filed\", \"extendable\": false}]}", "from must be" },
        { "\"from\": \"published\"}]}", "extendable must be" },
        { "\"from\": \"published\", \"extendable\": true}]}", "extension" },
        { "\"from\": \"published\", \"extendable\": false, \"extension\": \"x\"}]}",
          "extension" },
        { "\"from\": \"published\", \"extendable\": false, \"calendar\": \"MARS\"}]}",
          "calendar names no calendar" },
        { "\"from\": \"published\", \"extendable\": false, \"zone\": \"Mars/Olympus\"}]}",
          "zone is not" },
        { "\"from\": \"published\", \"extendable\": false, \"url\": \"http://x\"}]}",
          "https" },
        { "\"from\": \"published\", \"extendable\": false, \"designated\": []}]}",
          "designated" },
    };
    char path[] = "/tmp/sw-actions-XXXXXX", err[512], text[1024];
    struct sw_deadlines *d = NULL;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int fd = mkstemp(path);
        FILE *f = fdopen(fd, "w");

        snprintf(text, sizeof(text), "%s%s", head, bad[i].tail);
        fputs(text, f);
        fclose(f);
        assert_int_equal(sw_deadlines_load(path, &d, err, sizeof(err)), SW_INVALID);
        assert_non_null(strstr(err, "action 0"));
        if (strstr(err, bad[i].why) == NULL)
            fail_msg("%s: \"%s\" does not say \"%s\"", text, err, bad[i].why);
        remove(path);
        snprintf(path, sizeof(path), "%s", "/tmp/sw-actions-XXXXXX");
    }
    /* A kind the table does not know. */
    {
        int fd = mkstemp(path);
        FILE *f = fdopen(fd, "w");

        fputs("{\"rules\": [], \"calendars\": {\"default\": {}}, \"actions\": [{\"id\": \"a\", "
              "\"kind\": \"pray\", \"events\": [\"news\"], \"countries\": [\"*\"], \"reasons\": "
              "[\"x\"], \"from\": \"served\", \"period\": {\"days\": 1}, \"roll\": \"none\", "
              "\"extendable\": false, \"text\": \"t\", \"source\": \"s\"}]}", f);
        fclose(f);
        assert_int_equal(sw_deadlines_load(path, &d, err, sizeof(err)), SW_INVALID);
        assert_non_null(strstr(err, "kind must be"));
        remove(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uspto_30_days_eastern_time_rolled),
        cmocka_unit_test(euipo_3_months_month_ends_leap_year_weekend),
        cmocka_unit_test(other_offices),
        cmocka_unit_test(opposition_needs_a_publication_date),
        cmocka_unit_test(madrid_refusal_per_designated_office),
        cmocka_unit_test(answer_to_a_us_complaint),
        cmocka_unit_test(eu_customs_detention_working_days),
        cmocka_unit_test(fair_24_hours_or_the_fairs_own),
        cmocka_unit_test(no_action_where_no_rule_fits),
        cmocka_unit_test(broken_action_rules_are_refused),
    };

    return cmocka_run_group_tests(tests, load, unload);
}
