/* test_alerts.c — the inbox's pure parts: the text ?q= searches (folding, what goes in, the
 * ceiling), which searches are valid, the source link an alert may show, alert ids and the
 * summary the dashboard lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "seawall/alerts.h"
#include "seawall/buf.h"
#include "seawall/normalise.h"

static void folds(const char *in, const char *want)
{
    struct sw_buf b;

    sw_buf_init(&b, 1 << 16);
    assert_int_equal(sw_fold_search(in, strlen(in), &b), SW_OK);
    assert_string_equal(b.p ? b.p : "", want);
    sw_buf_free(&b);
}

static void folding(void **state)
{
    (void)state;
    folds("Acme, Inc. — ＡＣＭＥ Straße", "acme inc acme strasse");
    folds("  «BRIGHTSOUND»\n\tGmbH  ", "brightsound gmbh");
    folds("深圳一家公司的蓝牙音箱被控侵权", "深圳一家公司的蓝牙音箱被控侵权");
    folds("華為 手機", "華為 手機");
    folds("ΣΙΣΥΦΟΣ Ltd", "σισυφοσ ltd");   /* Greek case folded too */
    folds("ab\xff\xfe" "cd", "ab cd");   /* bytes that are not UTF-8: a break, nothing else */
    folds("", "");
    folds("--- ***", "");
}

static void folding_stops_between_characters(void **state)
{
    struct sw_buf b;

    (void)state;
    sw_buf_init(&b, 5);
    assert_int_equal(sw_fold_search("ab蓝牙", strlen("ab蓝牙"), &b), SW_TOOBIG);
    assert_string_equal(b.p, "ab蓝");   /* 2 + 3 bytes: the next character would not fit */
    sw_buf_free(&b);
}

static void queries(void **state)
{
    char big[SW_ALERT_Q_MAX + 2];

    (void)state;
    assert_true(sw_alert_q_valid("蓝牙"));
    assert_true(sw_alert_q_valid("Acme audio"));
    assert_false(sw_alert_q_valid(""));
    assert_false(sw_alert_q_valid(" -- !"));
    assert_false(sw_alert_q_valid("ab\xff"));
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_false(sw_alert_q_valid(big));
    big[SW_ALERT_Q_MAX] = '\0';
    assert_true(sw_alert_q_valid(big));
}

static void search_text_holds_event_and_items(void **state)
{
    json_t *ev = json_loads("{\"title\": \"Hamburg customs detain speakers\", \"marks\": "
                            "[\"BRIGHTSOUND\"], \"parties\": [{\"name\": \"深圳明亮音频科技\", "
                            "\"role\": \"respondent\"}], \"text\": \"Regulation 608/2013\", "
                            "\"numbers\": {\"notice\": \"HZA-2026-0417\"}, \"url\": "
                            "\"https://zoll.example/n\"}", 0, NULL);
    const char *items[] = { "Shenzhen Bright Audio Technology Co., Ltd.", "portable speakers" };
    struct sw_buf b;

    (void)state;
    assert_non_null(ev);
    sw_buf_init(&b, SW_ALERT_SEARCH_MAX);
    assert_int_equal(sw_alert_search_text(ev, items, 2, &b), SW_OK);
    assert_non_null(strstr(b.p, "hamburg customs detain speakers"));
    assert_non_null(strstr(b.p, "brightsound"));
    assert_non_null(strstr(b.p, "深圳明亮音频科技"));
    assert_non_null(strstr(b.p, "608 2013"));
    assert_non_null(strstr(b.p, "hza 2026 0417"));
    assert_non_null(strstr(b.p, "shenzhen bright audio technology co ltd"));
    assert_null(strstr(b.p, "zoll"));   /* the link is not searched */
    /* A second call starts afresh. */
    assert_int_equal(sw_alert_search_text(ev, NULL, 0, &b), SW_OK);
    assert_null(strstr(b.p, "portable"));
    sw_buf_free(&b);
    json_decref(ev);
}

static void search_text_has_a_ceiling(void **state)
{
    size_t n = 3 * SW_ALERT_SEARCH_MAX;
    char *text = malloc(n + 1);
    json_t *ev;
    struct sw_buf b;

    (void)state;
    memset(text, 'x', n);
    text[n] = '\0';
    ev = json_pack("{s:s, s:s}", "title", "first words", "text", text);
    sw_buf_init(&b, SW_ALERT_SEARCH_MAX);
    assert_int_equal(sw_alert_search_text(ev, NULL, 0, &b), SW_OK);
    assert_int_equal(b.len, SW_ALERT_SEARCH_MAX);
    assert_memory_equal(b.p, "first words x", 13);
    sw_buf_free(&b);
    json_decref(ev);
    free(text);
}

static void source_links(void **state)
{
    json_t *ev = json_object();

    (void)state;
    assert_null(sw_alert_source_url(ev));
    json_object_set_new(ev, "url", json_string("https://tsdr.uspto.gov/#caseNumber=98763166"));
    assert_string_equal(sw_alert_source_url(ev), "https://tsdr.uspto.gov/#caseNumber=98763166");
    json_object_set_new(ev, "url", json_string("HTTP://EXAMPLE.COM/x"));
    assert_non_null(sw_alert_source_url(ev));
    json_object_set_new(ev, "url", json_string("javascript:alert(1)"));
    assert_null(sw_alert_source_url(ev));
    json_object_set_new(ev, "url", json_string("data:text/html,<script>"));
    assert_null(sw_alert_source_url(ev));
    json_object_set_new(ev, "url", json_string("https://a.example/x y"));
    assert_null(sw_alert_source_url(ev));
    json_object_set_new(ev, "url", json_string("https://"));
    assert_null(sw_alert_source_url(ev));
    json_decref(ev);
}

static void ids_by_subscriber_and_event(void **state)
{
    char a[40], b[40], c[40], d[40];
    char long1[600], long2[600];

    (void)state;
    sw_alert_id(7, "ev_1", a, sizeof(a));
    sw_alert_id(7, "ev_1", b, sizeof(b));
    assert_string_equal(a, b);
    assert_true(sw_alert_id_valid(a));
    sw_alert_id(8, "ev_1", c, sizeof(c));
    assert_string_not_equal(a, c);
    /* Two long event ids that differ only at the end are two events. */
    memset(long1, 'e', sizeof(long1) - 1);
    long1[sizeof(long1) - 1] = '\0';
    memcpy(long2, long1, sizeof(long2));
    long2[sizeof(long2) - 2] = 'f';
    sw_alert_id(7, long1, c, sizeof(c));
    sw_alert_id(7, long2, d, sizeof(d));
    assert_string_not_equal(c, d);
}

static void summary(void **state)
{
    json_t *a = json_loads("{\"id\": \"al_1\", \"severity\": \"critical\", \"status\": \"new\", "
                           "\"rule\": \"named-as-respondent\", \"created_at\": \"2026-12-01T08:00:00Z\", "
                           "\"source_url\": \"https://x.example/\", \"item_ids\": [3, 4], "
                           "\"items\": [{\"item\": {\"id\": 3, \"kind\": \"name\", \"text\": \"Acme\", "
                           "\"classes\": []}, \"reasons\": [{}]}, {\"item\": {\"id\": 4, \"kind\": "
                           "\"mark\", \"text\": \"ACME\"}}], \"event\": {\"id\": \"ev\", \"type\": "
                           "\"customs_seizure\", \"title\": \"Held\", \"text\": \"long\", "
                           "\"jurisdiction\": \"DE\"}}", 0, NULL);
    json_t *s, *want;

    (void)state;
    assert_non_null(a);
    s = sw_alert_summary(a);
    want = json_loads("{\"id\": \"al_1\", \"severity\": \"critical\", \"status\": \"new\", "
                      "\"rule\": \"named-as-respondent\", \"created_at\": \"2026-12-01T08:00:00Z\", "
                      "\"source_url\": \"https://x.example/\", \"event\": {\"id\": \"ev\", "
                      "\"type\": \"customs_seizure\", \"title\": \"Held\", \"jurisdiction\": "
                      "\"DE\"}, \"items\": [{\"id\": 3, \"kind\": \"name\", \"text\": \"Acme\"}, "
                      "{\"id\": 4, \"kind\": \"mark\", \"text\": \"ACME\"}]}", 0, NULL);
    assert_true(json_equal(s, want));
    json_decref(s);
    json_decref(want);
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folding),
        cmocka_unit_test(folding_stops_between_characters),
        cmocka_unit_test(queries),
        cmocka_unit_test(search_text_holds_event_and_items),
        cmocka_unit_test(search_text_has_a_ceiling),
        cmocka_unit_test(source_links),
        cmocka_unit_test(ids_by_subscriber_and_event),
        cmocka_unit_test(summary),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
