/* test_feed_safety.c — hostile and broken documents: each gives a clean error or a clean
 * partial result; nothing is read from outside, nothing hangs, nothing crashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/buf.h"
#include "seawall/feed.h"

struct collected {
    json_t *events;
};

static int collect(void *ud, json_t *ev)
{
    struct collected *c = ud;

    json_array_append_new(c->events, ev);
    return 0;
}

/* Parses text with format f; returns the rc, fills res and the events (caller decrefs). */
static int run(const char *text, size_t len, enum sw_feed_format f, struct sw_feed_result *res,
               json_t **events)
{
    struct sw_feed_opts o = { .format = f };
    struct collected c = { json_array() };
    int rc = sw_feed_parse_buffer(text, len, &o, collect, &c, res);

    *events = c.events;
    return rc;
}

static int runs(const char *text, enum sw_feed_format f, struct sw_feed_result *res,
                json_t **events)
{
    return run(text, strlen(text), f, res, events);
}

static const char *event_text(json_t *events, size_t i, const char *field)
{
    return json_string_value(json_object_get(json_array_get(events, i), field));
}

static void xxe_reads_no_file(void **state)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        "<rss version=\"2.0\"><channel><item><title>a&xxe;b</title>"
        "<guid>1</guid></item></channel></rss>";
    struct sw_feed_result res;
    json_t *ev;
    int rc = runs(doc, SW_FEED_AUTO, &res, &ev);
    const char *title;
    size_t i;

    /* Either the item is read without the entity, or the document is refused; never the file. */
    for (i = 0; i < json_array_size(ev); i++) {
        char *dump = json_dumps(json_array_get(ev, i), 0);

        assert_null(strstr(dump, "root:"));
        free(dump);
    }
    /* libxml2 keeps the reference unexpanded; the item is read without it. */
    assert_int_equal(rc, SW_OK);
    title = event_text(ev, 0, "title");
    assert_string_equal(title, "ab");
    json_decref(ev);
}

static void xxe_parameter_entity_and_external_dtd_refused(void **state)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE rss SYSTEM \"http://127.0.0.1:1/evil.dtd\" [<!ENTITY % p SYSTEM "
        "\"file:///etc/passwd\"> %p;]>\n"
        "<rss version=\"2.0\"><channel><item><title>t</title></item></channel></rss>";
    struct sw_feed_result res;
    json_t *ev;

    runs(doc, SW_FEED_AUTO, &res, &ev);
    assert_true(json_array_size(ev) <= 1);
    if (json_array_size(ev) == 1)
        assert_string_equal(event_text(ev, 0, "title"), "t");
    json_decref(ev);
}

static void billion_laughs_does_not_explode(void **state)
{
    struct sw_buf b;
    struct sw_feed_result res;
    json_t *ev;
    int i, rc;

    sw_buf_init(&b, 1 << 20);
    sw_buf_adds(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY l0 \"ha\">\n");
    for (i = 1; i <= 30; i++)
        sw_buf_printf(&b, "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;\">\n",
                      i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    sw_buf_adds(&b, "]>\n<rss version=\"2.0\"><channel><item><title>&l30;</title>"
                    "<description attr=\"&l30;\">&l30;</description><guid>x</guid></item>"
                    "</channel></rss>");
    rc = run(b.p, b.len, SW_FEED_AUTO, &res, &ev);
    /* Refused at once by libxml2's entity-amplification check, with the reason. */
    assert_int_equal(rc, SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    assert_non_null(strstr(res.err, "entity reference loop"));
    json_decref(ev);
    sw_buf_free(&b);
}

static void truncated_document_gives_partial_result(void **state)
{
    const char *doc = "<rss version=\"2.0\"><channel>"
                      "<item><title>one</title><guid>1</guid></item>"
                      "<item><title>two</title><guid>2</guid></item>"
                      "<item><title>thr";
    struct sw_feed_result res;
    json_t *ev;
    int rc = runs(doc, SW_FEED_AUTO, &res, &ev);

    assert_int_equal(rc, SW_INVALID);
    assert_int_equal(res.partial, 1);
    assert_int_equal(json_array_size(ev), 2);
    assert_string_equal(event_text(ev, 1, "title"), "two");
    assert_non_null(strstr(res.err, "XML error"));
    json_decref(ev);
}

static void invalid_utf8_with_utf8_declaration_is_an_error(void **state)
{
    const char *doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
                      "<item><title>ok</title><guid>1</guid></item>"
                      "<item><title>bad \xff\xfe bytes</title><guid>2</guid></item>"
                      "</channel></rss>";
    struct sw_feed_result res;
    json_t *ev;
    int rc = runs(doc, SW_FEED_AUTO, &res, &ev);

    assert_int_equal(rc, SW_INVALID);
    assert_true(json_array_size(ev) <= 1);
    assert_true(res.err[0] != '\0');
    json_decref(ev);
}

static void overlong_utf8_without_declaration_is_an_error(void **state)
{
    /* No declaration, and UTF-8 in shape but for an overlong "/": read as UTF-8, so the bad
     * bytes are reported, not guessed into another encoding's letters. */
    const char *doc = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                      "<item><title>bad \xe0\x80\xaf here</title><guid>a</guid></item>"
                      "</channel></rss>";
    struct sw_feed_result res;
    json_t *ev;
    int rc = runs(doc, SW_FEED_AUTO, &res, &ev);

    assert_int_equal(rc, SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    assert_non_null(strstr(res.err, "not proper UTF-8"));
    json_decref(ev);
}

static void lying_declaration_reads_as_declared(void **state)
{
    /* Declared ISO-8859-1, bytes are UTF-8 "é": read as declared, mojibake but no crash and
     * valid UTF-8 out. */
    const char *doc = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item>"
                      "<title>caf\xc3\xa9</title><guid>1</guid></item></channel></rss>";
    struct sw_feed_result res;
    json_t *ev;
    int rc = runs(doc, SW_FEED_AUTO, &res, &ev);

    assert_int_equal(rc, SW_OK);
    assert_string_equal(event_text(ev, 0, "title"), "caf\xc3\x83\xc2\xa9");
    json_decref(ev);
}

static void unknown_declared_encoding_is_an_error(void **state)
{
    const char *doc = "<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?><rss><channel>"
                      "<item><title>t</title></item></channel></rss>";
    struct sw_feed_result res;
    json_t *ev;

    assert_int_equal(runs(doc, SW_FEED_AUTO, &res, &ev), SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    assert_true(res.err[0] != '\0');
    json_decref(ev);
}

static void deep_nesting_refused(void **state)
{
    struct sw_buf b;
    struct sw_feed_result res;
    json_t *ev;
    int i;

    sw_buf_init(&b, 1 << 20);
    sw_buf_adds(&b, "<rss><channel><item><title>");
    for (i = 0; i < 5000; i++)
        sw_buf_adds(&b, "<b>");
    sw_buf_adds(&b, "deep");
    for (i = 0; i < 5000; i++)
        sw_buf_adds(&b, "</b>");
    sw_buf_adds(&b, "</title></item></channel></rss>");
    assert_int_not_equal(run(b.p, b.len, SW_FEED_RSS, &res, &ev), SW_OK);
    assert_true(res.err[0] != '\0');
    json_decref(ev);
    sw_buf_free(&b);
}

static void long_strings_are_bounded(void **state)
{
    struct sw_buf b;
    struct sw_feed_result res;
    json_t *ev;

    sw_buf_init(&b, 4 << 20);
    sw_buf_adds(&b, "<rss><channel><item><guid>1</guid><title>");
    while (b.len < (2u << 20))
        sw_buf_adds(&b, "Ж0123456789");
    sw_buf_adds(&b, "</title><description>");
    while (b.len < (3u << 20))
        sw_buf_adds(&b, "text ");
    sw_buf_adds(&b, "</description></item></channel></rss>");
    assert_int_equal(run(b.p, b.len, SW_FEED_AUTO, &res, &ev), SW_OK);
    assert_true(strlen(event_text(ev, 0, "title")) <= 1024);
    assert_true(strlen(event_text(ev, 0, "text")) <= 4096);
    json_decref(ev);
    sw_buf_free(&b);
}

static void event_cap_stops_cleanly(void **state)
{
    struct sw_buf b;
    struct sw_feed_opts o = { .format = SW_FEED_AUTO, .max_events = 10 };
    struct sw_feed_result res;
    struct collected c = { json_array() };
    int i, rc;

    sw_buf_init(&b, 1 << 20);
    sw_buf_adds(&b, "<rss><channel>");
    for (i = 0; i < 100; i++)
        sw_buf_printf(&b, "<item><title>n%d</title><guid>%d</guid></item>", i, i);
    sw_buf_adds(&b, "</channel></rss>");
    rc = sw_feed_parse_buffer(b.p, b.len, &o, collect, &c, &res);
    assert_int_equal(rc, SW_TOOBIG);
    assert_int_equal(json_array_size(c.events), 10);
    assert_int_equal(res.partial, 1);
    assert_non_null(strstr(res.err, "more than 10 events"));
    json_decref(c.events);
    sw_buf_free(&b);
}

static void whole_document_cap(void **state)
{
    struct sw_buf b;
    struct sw_feed_opts o = { .format = SW_FEED_JSON, .max_bytes = 1000 };
    struct sw_feed_result res;
    struct collected c = { json_array() };

    sw_buf_init(&b, 1 << 20);
    sw_buf_adds(&b, "{\"seawall_feed\":1,\"items\":[");
    while (b.len < 5000)
        sw_buf_adds(&b, "{\"id\":\"x\",\"title\":\"y\"},");
    sw_buf_adds(&b, "{\"id\":\"z\",\"title\":\"w\"}]}");
    assert_int_equal(sw_feed_parse_buffer(b.p, b.len, &o, collect, &c, &res), SW_TOOBIG);
    assert_int_equal(json_array_size(c.events), 0);
    assert_non_null(strstr(res.err, "larger than 1000 bytes"));
    json_decref(c.events);
    sw_buf_free(&b);
}

static void unrecognised_and_empty_documents(void **state)
{
    struct sw_feed_result res;
    json_t *ev;

    assert_int_equal(runs("", SW_FEED_AUTO, &res, &ev), SW_INVALID);
    assert_string_equal(res.err, "the document is empty");
    json_decref(ev);
    assert_int_equal(runs("<html><body>hi</body></html>", SW_FEED_AUTO, &res, &ev), SW_INVALID);
    assert_non_null(strstr(res.err, "unrecognised document"));
    json_decref(ev);
    assert_int_equal(runs("\x00\x01\x02garbage", SW_FEED_AUTO, &res, &ev), SW_INVALID);
    json_decref(ev);
}

static void json_feed_items_checked_one_by_one(void **state)
{
    const char *doc =
        "{\"seawall_feed\":1,\"type\":\"customs_seizure\",\"jurisdiction\":\"DE\",\"items\":["
        "{\"id\":\"n-1\",\"title\":\"Detention of 400 speakers\",\"date\":\"2026-11-20\","
        "\"marks\":[\"BRIGHTSOUND\"],\"parties\":[{\"name\":\"Bright Audio\",\"role\":"
        "\"respondent\",\"country\":\"CN\"}],\"nice\":[\"9\"],\"numbers\":{\"notice\":\"K-77\"}},"
        "{\"id\":\"n-2\",\"title\":\"bad\",\"colour\":\"red\"},"
        "{\"title\":\"no id\"},"
        "{\"id\":\"n-4\",\"title\":\"undated\",\"date\":\"sometime soon\"}]}";
    struct sw_feed_result res;
    json_t *ev, *e;
    int rc = runs(doc, SW_FEED_AUTO, &res, &ev);

    assert_int_equal(rc, SW_OK);
    assert_int_equal(res.format, SW_FEED_JSON);
    assert_int_equal(json_array_size(ev), 2);
    e = json_array_get(ev, 0);
    assert_string_equal(json_string_value(json_object_get(e, "type")), "customs_seizure");
    assert_string_equal(json_string_value(json_object_get(e, "jurisdiction")), "DE");
    assert_string_equal(json_string_value(json_object_get(e, "date")), "2026-11-20");
    assert_int_equal(json_integer_value(json_array_get(
                         json_object_get(json_object_get(e, "classes"), "nice"), 0)), 9);
    assert_string_equal(json_string_value(json_object_get(json_object_get(e, "numbers"),
                                                          "notice")), "K-77");
    e = json_array_get(ev, 1);
    /* An unreadable date is reported and kept raw, never replaced by "now". */
    assert_null(json_object_get(e, "date"));
    assert_string_equal(json_string_value(json_object_get(e, "date_raw")), "sometime soon");
    assert_int_equal(res.warnings, 3);
    assert_non_null(strstr(res.err, "/items/1/colour unknown field"));
    json_decref(ev);
    assert_int_equal(runs("{\"items\":[]}", SW_FEED_JSON, &res, &ev), SW_INVALID);
    assert_non_null(strstr(res.err, "not a Seawall JSON feed"));
    json_decref(ev);
}

static void ical_hostile_inputs(void **state)
{
    const char nul[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\0b\r\nEND:VEVENT\r\n"
                       "END:VCALENDAR\r\n";
    struct sw_feed_result res;
    json_t *ev;

    assert_int_equal(run(nul, sizeof(nul) - 1, SW_FEED_ICAL, &res, &ev), SW_INVALID);
    assert_non_null(strstr(res.err, "NUL"));
    json_decref(ev);
    assert_int_equal(runs("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", SW_FEED_AUTO, &res, &ev),
                     SW_INVALID);
    assert_non_null(strstr(res.err, "no VEVENT"));
    json_decref(ev);
    /* A truncated calendar is refused as a whole, with the reason. */
    assert_int_equal(runs("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:fair-1\r\nSUMMARY:Canton Fair"
                          "\r\nDTSTART;VALUE=DATE:20261015\r\n", SW_FEED_AUTO, &res, &ev),
                     SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    assert_string_equal(res.err, "not an iCalendar document");
    json_decref(ev);
    /* A whole one: all-day dates stay dates. */
    assert_int_equal(runs("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:fair-1\r\nSUMMARY:Canton Fair"
                          "\r\nDTSTART;VALUE=DATE:20261015\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                          SW_FEED_AUTO, &res, &ev), SW_OK);
    assert_string_equal(event_text(ev, 0, "title"), "Canton Fair");
    assert_string_equal(event_text(ev, 0, "date"), "2026-10-15");
    json_decref(ev);
}

/* A calendar with one event, UID uid, starting at dtstart and repeating by rule. */
static char *one_rule(char *buf, size_t len, const char *uid, const char *dtstart,
                      const char *rule)
{
    snprintf(buf, len, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
             "UID:%s\r\nDTSTART%s\r\nSUMMARY:Fair\r\nRRULE:%s\r\nEND:VEVENT\r\nEND:VCALENDAR"
             "\r\n", uid, dtstart, rule);
    return buf;
}

/* Repeat rules no date can satisfy: libical's iterator would walk them second by second to
 * the year 2582. Each is refused at once, by its event and rule, and nothing is emitted. */
static void ical_rule_that_can_never_occur_is_refused(void **state)
{
    static const struct {
        const char *rule, *why;
    } never[] = {
        { "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", "no date satisfies BYMONTH and BYMONTHDAY" },
        { "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30", "no date satisfies BYMONTH and BYMONTHDAY" },
        { "FREQ=SECONDLY;COUNT=3;BYMONTH=2;BYMONTHDAY=30", "BYMONTH and BYMONTHDAY together" },
        { "FREQ=HOURLY;BYMONTH=4,6,9,11;BYMONTHDAY=31", "BYMONTH and BYMONTHDAY together" },
        { "FREQ=SECONDLY;BYMONTH=1;BYYEARDAY=-1", "BYMONTH and BYYEARDAY together" },
        { "FREQ=MINUTELY;BYMONTHDAY=1;BYDAY=5MO", "BYMONTHDAY and BYDAY" },
        { "FREQ=DAILY;BYDAY=1MO", "a numbered BYDAY needs FREQ=MONTHLY or YEARLY" },
        { "FREQ=MONTHLY;BYMONTHDAY=1;BYDAY=5MO", "BYMONTHDAY and BYDAY together" },
        { "FREQ=MONTHLY;BYSETPOS=3;BYMONTHDAY=1", "no month has as many days" },
        { "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "BYMONTH and BYMONTHDAY together" },
        { "FREQ=SECONDLY;BYSECOND=60", "never reaches BYSECOND=60" },
    };
    struct sw_feed_result res;
    char doc[1024];
    json_t *ev;
    size_t i;

    for (i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
        assert_int_equal(runs(one_rule(doc, sizeof(doc), "hostile-1@example.org",
                                       ":20270101T000000Z", never[i].rule),
                              SW_FEED_AUTO, &res, &ev), SW_INVALID);
        assert_int_equal(json_array_size(ev), 0);
        assert_int_equal(res.partial, 0);
        assert_non_null(strstr(res.err, "event \"hostile-1@example.org\": RRULE FREQ="));
        assert_non_null(strstr(res.err, "can never occur"));
        if (strstr(res.err, never[i].why) == NULL)
            fail_msg("%s: %s", never[i].rule, res.err);
        json_decref(ev);
    }
    /* The check comes before any event: a good event ahead of the bad one is not emitted. */
    assert_int_equal(runs("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:good\r\nDTSTART:20270301\r\n"
                          "RRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:bad\r\n"
                          "DTSTART:20270101T000000Z\r\nRRULE:FREQ=SECONDLY;BYMONTH=2;"
                          "BYMONTHDAY=31\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                          SW_FEED_ICAL, &res, &ev), SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    assert_non_null(strstr(res.err, "event \"bad\": RRULE"));
    json_decref(ev);
}

/* Rules that can occur, but not where or how they would be expanded: the event is kept, its
 * occurrences are not, and a warning says why. Ordinary rules expand as before. */
static void ical_rules_expanded_within_bounds(void **state)
{
    static const struct {
        const char *dtstart, *rule, *warning;
        size_t events;
    } cases[] = {
        /* June is months away; a SECONDLY rule is expanded over some 14 hours. */
        { ":20270101T000000Z", "FREQ=SECONDLY;BYMONTH=6", "has no occurrence before 2027-01-01",
          1 },
        /* A Monday 29 February is 17 years away, the expansion three. */
        { ":20270101T000000Z", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
          "has no occurrence before 2030-01-01", 1 },
        { ":20270101T000000Z", "RSCALE=CHINESE;FREQ=MONTHLY;BYMONTHDAY=1;BYDAY=5MO",
          "RSCALE rules are not", 1 },
        { ";VALUE=DATE:20270101", "FREQ=HOURLY", "an all-day event does not repeat by the hour",
          1 },
        { ":20270101T000000Z", "FREQ=MONTHLY;BYSETPOS=3;BYMONTHDAY=1;BYHOUR=1,2,3",
          "libical applies BYSETPOS to days", 1 },
        /* libical keeps a month 50 (found by fuzz-feed-auto). */
        { ":10135050T000000Z", "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30",
          "not expanded: DTSTART is not a calendar date", 1 },
        { ":20270101T000000Z", "FREQ=WEEKLY;BYDAY=MO,WE", NULL, 51 },
        { ":20270101T000000Z", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=5", NULL, 6 },
        { ":20270101T000000Z", "FREQ=DAILY;UNTIL=20270104T000000Z", NULL, 4 },
        { ":20270101T000000Z", "FREQ=SECONDLY;BYMONTHDAY=1", NULL, 51 },
    };
    struct sw_feed_result res;
    char doc[1024];
    json_t *ev;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(runs(one_rule(doc, sizeof(doc), "fair-7", cases[i].dtstart,
                                       cases[i].rule), SW_FEED_ICAL, &res, &ev), SW_OK);
        if (json_array_size(ev) != cases[i].events)
            fail_msg("%s: %zu events", cases[i].rule, json_array_size(ev));
        if (cases[i].warning == NULL)
            assert_int_equal(res.warnings, 0);
        else if (res.warnings != 1 || strstr(res.err, "event \"fair-7\": RRULE") == NULL ||
                 strstr(res.err, cases[i].warning) == NULL)
            fail_msg("%s: %zu warnings: %s", cases[i].rule, res.warnings, res.err);
        json_decref(ev);
    }
}

/* Over its time budget a rule fails the document, named; what was emitted before is the
 * partial result. The budget is 4 ms, a rule's share 1 ms; the rule needs half a day of
 * candidate seconds (43,200 libical steps, some 50 ms) before its first occurrence. */
static void ical_time_budget_fails_the_document(void **state)
{
    struct sw_feed_opts o = { .format = SW_FEED_ICAL, .max_expand_ms = 4 };
    struct collected c = { json_array() };
    struct sw_feed_result res;
    char doc[1024];

    one_rule(doc, sizeof(doc), "slow-1", ":20270101T120000Z", "FREQ=SECONDLY;BYMONTHDAY=2");
    assert_int_equal(sw_feed_parse_buffer(doc, strlen(doc), &o, collect, &c, &res), SW_INVALID);
    assert_int_equal(json_array_size(c.events), 1);   /* the event itself */
    assert_int_equal(res.partial, 1);
    assert_non_null(strstr(res.err, "event \"slow-1\": RRULE FREQ=SECONDLY;BYMONTHDAY=2 took "
                                    "more than 1 ms to judge and expand, the limit for one rule"));
    json_decref(c.events);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xxe_reads_no_file),
        cmocka_unit_test(xxe_parameter_entity_and_external_dtd_refused),
        cmocka_unit_test(billion_laughs_does_not_explode),
        cmocka_unit_test(truncated_document_gives_partial_result),
        cmocka_unit_test(invalid_utf8_with_utf8_declaration_is_an_error),
        cmocka_unit_test(overlong_utf8_without_declaration_is_an_error),
        cmocka_unit_test(lying_declaration_reads_as_declared),
        cmocka_unit_test(unknown_declared_encoding_is_an_error),
        cmocka_unit_test(deep_nesting_refused),
        cmocka_unit_test(long_strings_are_bounded),
        cmocka_unit_test(event_cap_stops_cleanly),
        cmocka_unit_test(whole_document_cap),
        cmocka_unit_test(unrecognised_and_empty_documents),
        cmocka_unit_test(json_feed_items_checked_one_by_one),
        cmocka_unit_test(ical_hostile_inputs),
        cmocka_unit_test(ical_rule_that_can_never_occur_is_refused),
        cmocka_unit_test(ical_rules_expanded_within_bounds),
        cmocka_unit_test(ical_time_budget_fails_the_document),
    };
    return cmocka_run_group_tests_name("feed_safety", tests, NULL, NULL);
}
