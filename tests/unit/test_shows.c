/* test_shows.c — the fair desk's pure parts: the content hash that tells a re-sent record
 * from an edited one, the device times' sanity bounds, how sure a name is another (exact,
 * same trade name in either script, similar), attendees ranked by it, and what an incident's
 * event tells someone who is not a party to it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/date.h"
#include "seawall/json.h"
#include "seawall/shows.h"

static json_t *parse(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);

    assert_non_null(v);
    return v;
}

static int64_t at(const char *iso)
{
    int64_t ms = 0;

    assert_int_equal(sw_date_ms(iso, &ms), SW_OK);
    return ms;
}

static void content_hash_tells_edits_from_resends(void **state)
{
    json_t *a = parse("{\"key\":\"k1\",\"kind\":\"other\",\"notes\":\"two lamps\","
                      "\"received_at\":\"2026-10-15T17:30:00+08:00\","
                      "\"exhibitor\":{\"name\":\"X\",\"country\":\"CN\"}}");
    /* The same record: another member order, another key, the same instant in UTC. */
    json_t *b = parse("{\"exhibitor\":{\"country\":\"CN\",\"name\":\"X\"},\"notes\":\"two lamps\","
                      "\"received_at\":\"2026-10-15T09:30:00Z\",\"kind\":\"other\","
                      "\"key\":\"k2\"}");
    json_t *c = parse("{\"key\":\"k1\",\"kind\":\"other\",\"notes\":\"three lamps\","
                      "\"received_at\":\"2026-10-15T17:30:00+08:00\","
                      "\"exhibitor\":{\"name\":\"X\",\"country\":\"CN\"}}");
    char ha[65], hb[65], hc[65];

    (void)state;
    sw_incident_content_hash(a, ha);
    sw_incident_content_hash(b, hb);
    sw_incident_content_hash(c, hc);
    assert_int_equal(strlen(ha), 64);
    assert_string_equal(ha, hb);
    assert_string_not_equal(ha, hc);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

static int has_pointer(const struct sw_verrs *e, const char *ptr)
{
    size_t i;
    json_t *v;

    json_array_foreach(e->list, i, v)
        if (strcmp(json_string_value(json_object_get(v, "pointer")) ?: "", ptr) == 0)
            return 1;
    return 0;
}

static void device_times_within_sanity(void **state)
{
    json_t *show = parse("{\"id\":\"f\",\"country\":\"CN\",\"starts\":\"2026-10-15\","
                         "\"ends\":\"2026-10-19\"}");
    int64_t now = at("2026-10-20T00:00:00Z"), skew = 300000, before = 48 * 3600000LL;
    struct sw_verrs e;
    json_t *in;

    (void)state;
    /* Hours before the server saw them, inside the show: fine. */
    sw_verrs_init(&e);
    in = parse("{\"received_at\":\"2026-10-18T09:00:00+08:00\","
               "\"answered_at\":\"2026-10-18T11:00:00+08:00\"}");
    sw_incident_times_check(in, show, -1, now, skew, before, "", &e);
    assert_int_equal(sw_verrs_count(&e), 0);
    json_decref(in);
    sw_verrs_free(&e);
    /* A clock running ahead by more than the skew; one set to a year before the show; an
     * answer before the complaint. */
    sw_verrs_init(&e);
    in = parse("{\"received_at\":\"2026-10-20T00:06:00Z\","
               "\"answered_at\":\"2025-10-18T11:00:00+08:00\"}");
    sw_incident_times_check(in, show, -1, now, skew, before, "/incidents/2", &e);
    assert_true(has_pointer(&e, "/incidents/2/received_at"));
    assert_true(has_pointer(&e, "/incidents/2/answered_at"));
    json_decref(in);
    sw_verrs_free(&e);
    /* Within the skew is fine; the show's first day in Shanghai starts 2026-10-14T16:00Z, so
     * 47 hours before that passes and 49 do not. */
    sw_verrs_init(&e);
    in = parse("{\"received_at\":\"2026-10-20T00:04:00Z\"}");
    sw_incident_times_check(in, show, -1, now, skew, before, "", &e);
    assert_int_equal(sw_verrs_count(&e), 0);
    json_decref(in);
    in = parse("{\"received_at\":\"2026-10-12T17:00:00Z\"}");
    sw_incident_times_check(in, show, -1, now, skew, before, "", &e);
    assert_int_equal(sw_verrs_count(&e), 0);
    json_decref(in);
    in = parse("{\"received_at\":\"2026-10-12T15:00:00Z\"}");
    sw_incident_times_check(in, show, -1, now, skew, before, "", &e);
    assert_int_equal(sw_verrs_count(&e), 1);
    json_decref(in);
    sw_verrs_free(&e);
    /* A change: the answer against the stored receipt. */
    sw_verrs_init(&e);
    in = parse("{\"answered_at\":\"2026-10-18T08:00:00Z\"}");
    sw_incident_times_check(in, show, at("2026-10-18T09:00:00Z"), now, skew, before, "", &e);
    assert_true(has_pointer(&e, "/answered_at"));
    json_decref(in);
    sw_verrs_free(&e);
    /* No offset: whose local time? Refused by the incident's own check. */
    sw_verrs_init(&e);
    in = parse("{\"received_at\":\"2026-10-18T09:00:00\",\"answered_at\":\"2026-10-18\"}");
    sw_incident_check(in, 1, "", &e);
    assert_true(has_pointer(&e, "/received_at"));
    assert_true(has_pointer(&e, "/answered_at"));
    json_decref(in);
    sw_verrs_free(&e);
    json_decref(show);
}

static void sureness_in_either_script(void **state)
{
    char why[64];

    (void)state;
    assert_int_equal(sw_party_sureness("Shenzhen Shanzhai Electronics Co., Ltd.",
                                       "SHENZHEN SHANZHAI ELECTRONICS CO LTD", NULL, why,
                                       sizeof(why)), SW_SURE_EXACT);
    assert_int_equal(sw_party_sureness("深圳市山寨电子有限公司",
                                       "Shenzhen Shanzhai Electronics Co., Ltd.", NULL, why,
                                       sizeof(why)), SW_SURE_TRADE_NAME);
    assert_int_equal(sw_party_sureness("Shanzhai", "深圳市山寨电子有限公司", NULL, why,
                                       sizeof(why)), SW_SURE_TRADE_NAME);
    /* Begun, or a letter apart: similar, never the same company. */
    assert_int_equal(sw_party_sureness("Shanz", "深圳市山寨电子有限公司", NULL, why,
                                       sizeof(why)), SW_SURE_SIMILAR);
    assert_int_equal(sw_party_sureness("Ningbo Lamb Works", "Ningbo Lamp Works Co., Ltd.",
                                       NULL, why, sizeof(why)), SW_SURE_SIMILAR);
    assert_int_equal(sw_party_sureness("Ningbo Lamp Works", "Qingdao Widget Co., Ltd.", NULL,
                                       why, sizeof(why)), SW_SURE_NONE);
    assert_string_equal(sw_sureness_name(SW_SURE_TRADE_NAME), "same_trade_name");
}

static void attendees_surest_first(void **state)
{
    json_t *att = parse(
        "[{\"subscriber_id\":3,\"name\":\"Lamb Desk\",\"names\":[{\"text\":\"Ningbo Lamb Works\"}]},"
        "{\"subscriber_id\":5,\"name\":\"Other\",\"names\":[{\"text\":\"Qingdao Widget Ltd\"}]},"
        "{\"subscriber_id\":7,\"name\":\"Lamp Desk\",\"names\":[{\"text\":\"Lamp Desk\"},"
        "{\"text\":\"宁波灯具有限公司\",\"of\":null},"
        "{\"text\":\"Ningbo Lamp Works Co., Ltd.\"}]}]");
    json_t *r = sw_attendees_rank(att, "NINGBO LAMP WORKS CO LTD", SW_SURE_SIMILAR);

    (void)state;
    assert_int_equal(json_array_size(r), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 0), "subscriber_id")),
                     7);
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 0), "match")),
                        "exact");
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 0),
                                                          "matched_name")),
                        "Ningbo Lamp Works Co., Ltd.");
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 1), "match")),
                        "similar");
    json_decref(r);
    r = sw_attendees_rank(att, "NINGBO LAMP WORKS CO LTD", SW_SURE_TRADE_NAME);
    assert_int_equal(json_array_size(r), 1);
    json_decref(r);
    json_decref(att);
}

static void public_event_names_nobody(void **state)
{
    json_t *ev = parse(
        "{\"id\":\"incident:9\",\"type\":\"show_incident\",\"source\":\"stations\","
        "\"show\":\"fair-x\",\"show_name\":\"Fair X\",\"date\":\"2026-10-15T09:30:00Z\","
        "\"title\":\"Ningbo Lamp Works accused by Brightlight GmbH at Fair X\","
        "\"text\":\"Brightlight GmbH says Ningbo Lamp Works copied its lamp\","
        "\"kind\":\"complaint_received\","
        "\"hall\":\"5.1\",\"product_category\":\"LED lamps\",\"rights_kinds\":[\"design\"],"
        "\"incident_id\":9,\"jurisdiction\":\"CN\",\"booth\":\"5.1 C12\","
        "\"served\":\"2026-10-15T09:30:00Z\",\"deadline\":{\"at\":\"2026-10-16T09:30:00Z\"},"
        "\"parties\":[{\"role\":\"exhibitor\",\"name\":\"Ningbo Lamp Works\"},"
        "{\"role\":\"complainant\",\"name\":\"Brightlight GmbH\"}],"
        "\"numbers\":{\"patents\":[\"US1234567\"]}}");
    json_t *p = sw_incident_event_public(ev);
    char *text = json_dumps(p, JSON_COMPACT);

    (void)state;
    assert_non_null(text);
    assert_null(strstr(text, "Ningbo"));
    assert_null(strstr(text, "Brightlight"));
    assert_null(strstr(text, "C12"));
    assert_null(strstr(text, "US1234567"));
    assert_null(json_object_get(p, "deadline"));
    assert_string_equal(json_string_value(json_object_get(p, "hall")), "5.1");
    assert_string_equal(json_string_value(json_object_get(p, "product_category")), "LED lamps");
    assert_string_equal(json_string_value(json_array_get(json_object_get(p, "rights_kinds"), 0)),
                        "design");
    assert_string_equal(json_string_value(json_object_get(p, "show")), "fair-x");
    assert_true(json_is_true(json_object_get(p, "names_withheld")));
    /* Worded afresh, whatever the event's own title said (a feed's may name the parties). */
    assert_string_equal(json_string_value(json_object_get(p, "title")),
                        "IP incident at Fair X: complaint_received (design), hall 5.1, "
                        "LED lamps");
    assert_string_equal(json_string_value(json_object_get(p, "text")),
                        "Kind: complaint_received\nHall: 5.1\nProducts: LED lamps\n"
                        "Rights invoked: design");
    free(text);
    json_decref(p);
    json_decref(ev);
}

static void show_zone_from_its_own_or_its_country(void **state)
{
    json_t *own = parse("{\"tz\":\"Asia/Shanghai\",\"country\":\"DE\"}");
    json_t *de = parse("{\"country\":\"DE\"}"), *none = parse("{}");
    char zone[SW_ZONE_MAX + 1];
    const char *from;

    (void)state;
    sw_show_zone(own, zone, sizeof(zone), &from);
    assert_string_equal(zone, "Asia/Shanghai");
    assert_string_equal(from, "show");
    sw_show_zone(de, zone, sizeof(zone), &from);
    assert_string_equal(zone, "Europe/Berlin");
    assert_string_equal(from, "country");
    sw_show_zone(none, zone, sizeof(zone), &from);
    assert_string_equal(zone, "UTC");
    assert_string_equal(from, "default");
    json_decref(own);
    json_decref(de);
    json_decref(none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(content_hash_tells_edits_from_resends),
        cmocka_unit_test(device_times_within_sanity),
        cmocka_unit_test(sureness_in_either_script),
        cmocka_unit_test(attendees_surest_first),
        cmocka_unit_test(public_event_names_nobody),
        cmocka_unit_test(show_zone_from_its_own_or_its_country),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
