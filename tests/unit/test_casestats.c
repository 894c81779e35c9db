/* test_casestats.c — a centre's statistics from case documents (lib/casestats.c), without a
 * store: the median and the nearest-rank 90th percentile, every month of a period listed,
 * breaches against each case's own centre's targets, workload with idle experts, outcomes
 * (those of an older release as not_recorded), and the tables the CSV files are made of. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/casestats.h"
#include "seawall/date.h"

#define H 3600000LL

/* Centre 1 answers within 4 h and resolves within 48 h; centre 2 within 1 h and 10 h. */
static void targets(void *ud, long long centre, long long *first_h, long long *resolve_h)
{
    (*(int *)ud)++;
    *first_h = centre == 2 ? 1 : 4;
    *resolve_h = centre == 2 ? 10 : 48;
}

static int64_t ms(const char *iso)
{
    int64_t v = 0;

    assert_int_equal(sw_date_ms(iso, &v), SW_OK);
    return v;
}

/* A case that came in at created, answered after fr hours and resolved after rs hours of
 * active time (negative: not yet), in state, with expert (0: none). */
static json_t *doc(long long id, const char *created, const char *type, const char *country,
                   const char *state, double fr, double rs, long long centre, long long expert)
{
    json_t *d = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:{s:I, s:n, s:n, s:n}}", "id",
                          (json_int_t)id, "created_at", created, "type", type, "country",
                          country, "state", state, "centre_id", (json_int_t)centre, "clock",
                          "active_ms", (json_int_t)0, "running_since", "first_response_ms",
                          "resolution_ms");
    json_t *ck = json_object_get(d, "clock");

    if (fr >= 0)
        json_object_set_new(ck, "first_response_ms", json_integer((json_int_t)(fr * H)));
    if (rs >= 0) {
        json_object_set_new(ck, "resolution_ms", json_integer((json_int_t)(rs * H)));
        json_object_set_new(ck, "active_ms", json_integer((json_int_t)(rs * H)));
    } else {   /* its clock has run since it came in */
        json_object_set_new(ck, "running_since", json_integer(ms(created)));
    }
    if (expert > 0)
        json_object_set_new(d, "assignee", json_pack("{s:I, s:s}", "id", (json_int_t)expert,
                                                     "name", expert == 7 ? "Zed" : "Amy"));
    return d;
}

static json_t *stats(json_t *docs, const json_t *experts, int64_t from, int64_t until,
                     int64_t now, int *calls)
{
    struct sw_case_stats_in in = { docs, experts, from, until, now, 80, targets, calls };
    json_t *st = sw_case_stats(&in);

    assert_non_null(st);
    return st;
}

static void median_and_nearest_rank_p90(void **state)
{
    json_t *docs = json_array(), *st;
    int calls = 0, i;

    (void)state;
    for (i = 1; i <= 10; i++)
        json_array_append_new(docs, doc(i, "2026-05-01T00:00:00Z", "lawsuit", "US", "resolved",
                                        i, 10 * i, 1, 0));
    st = stats(docs, NULL, 0, INT64_MAX, ms("2026-06-01T00:00:00Z"), &calls);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(st, "first_response"),
                                                        "median_s")), 5 * 3600 + 1800);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(st, "first_response"),
                                                        "p90_s")), 9 * 3600);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(st, "resolution"),
                                                        "p90_s")), 90 * 3600);
    /* Answers over 4 h breach (5..10: 6 of them); resolutions over 48 h (50..100: 6). */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(st, "sla_breaches"),
                                                        "first_response")), 6);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(st, "sla_breaches"),
                                                        "resolution")), 6);
    assert_int_equal(calls, 10);
    json_decref(st);
    json_array_clear(docs);
    json_array_append_new(docs, doc(1, "2026-05-01T00:00:00Z", "lawsuit", "US", "resolved", 3,
                                    7, 1, 0));
    st = stats(docs, NULL, 0, INT64_MAX, ms("2026-06-01T00:00:00Z"), &calls);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(st, "first_response"),
                                                        "median_s")), 3 * 3600);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(st, "first_response"),
                                                        "p90_s")), 3 * 3600);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(st, "resolution"),
                                                        "p90_s")), 7 * 3600);
    json_decref(st);
    json_decref(docs);
}

static void months_breaches_workload_and_outcomes(void **state)
{
    json_t *docs = json_array(), *experts, *st, *m, *w, *o, *legacy;
    int calls = 0;

    (void)state;
    /* January in centre 1: answered in 2 h (met). April in centre 2: answered in 2 h, which
     * breaches its 1 h target. */
    json_array_append_new(docs, doc(1, "2026-01-10T00:00:00Z", "lawsuit", "US", "closed", 2, 5,
                                    1, 7));
    json_object_set_new(json_array_get(docs, 0), "outcome", json_string("won"));
    json_object_set_new(json_array_get(docs, 0), "resolved_at",
                        json_string("2026-01-11T00:00:00Z"));
    json_array_append_new(docs, doc(2, "2026-04-02T00:00:00Z", "opposition", "EM",
                                    "in_progress", 2, -1, 2, 7));
    /* Resolved by an older release: no outcome, no resolved_at, still resolved. */
    legacy = doc(3, "2026-04-03T00:00:00Z", "lawsuit", "US", "resolved", 1, 2, 1, 0);
    json_object_set_new(legacy, "state_since", json_string("2026-04-03T03:00:00Z"));
    json_array_append_new(docs, legacy);
    experts = json_pack("[{s:i, s:s}, {s:i, s:s}]", "id", 7, "name", "Zed", "id", 8, "name",
                        "Bob");
    st = stats(docs, experts, 0, INT64_MAX, ms("2026-04-05T00:00:00Z"), &calls);
    m = json_object_get(st, "months");
    assert_int_equal(json_array_size(m), 4);
    assert_string_equal(json_string_value(json_array_get(m, 0)), "2026-01");
    assert_string_equal(json_string_value(json_array_get(m, 3)), "2026-04");
    m = json_object_get(st, "sla_by_month");
    assert_int_equal(json_array_size(m), 4);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 1), "cases")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 3),
                                                        "first_response_breached")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 0),
                                                        "first_response_breached")), 0);
    /* Bob has no work and is listed first (by name); Zed has the open case and the closed
     * one resolved. */
    w = json_object_get(st, "workload");
    assert_int_equal(json_array_size(w), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(w, 0), "name")), "Bob");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(w, 1), "open")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(w, 1), "resolved")), 1);
    o = json_object_get(st, "outcomes");
    assert_int_equal(json_array_size(o), 7);
    assert_string_equal(json_string_value(json_object_get(json_array_get(o, 6), "outcome")),
                        "not_recorded");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 6), "resolved")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 0), "closed")), 1);
    json_decref(st);
    /* A period names its months, empty ones too; outside it nothing counts. */
    st = stats(docs, experts, ms("2026-02-01"), ms("2026-04-01"), ms("2026-04-05T00:00:00Z"),
               &calls);
    assert_int_equal(json_integer_value(json_object_get(st, "cases")), 0);
    m = json_object_get(st, "months");
    assert_int_equal(json_array_size(m), 2);
    assert_string_equal(json_string_value(json_array_get(m, 1)), "2026-03");
    assert_int_equal(json_array_size(json_object_get(st, "outcomes")), 6);
    json_decref(st);
    json_decref(experts);
    json_decref(docs);
}

static void tables_for_csv(void **state)
{
    json_t *docs = json_array(), *st, *rows;
    const struct sw_stats_col *cols;
    int calls = 0;

    (void)state;
    json_array_append_new(docs, doc(5, "2026-03-01T00:00:00Z", "lawsuit", "US", "submitted", -1,
                                    -1, 1, 0));
    json_array_append_new(docs, doc(6, "2026-03-02T00:00:00Z", "lawsuit", "DE", "submitted", 1,
                                    -1, 1, 0));
    st = stats(docs, NULL, 0, INT64_MAX, ms("2026-03-02T02:00:00Z"), &calls);
    rows = sw_case_stats_table(st, "month_type", &cols);
    assert_string_equal(cols[0].name, "month");
    assert_string_equal(cols[2].label, "Number of cases");
    assert_null(cols[3].name);
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 2)), "2");
    json_decref(rows);
    rows = sw_case_stats_table(st, "times", &cols);
    assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 1), 0)),
                        "resolution");
    assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 1), 2)), "");
    json_decref(rows);
    rows = sw_case_stats_table(st, "cases", &cols);
    assert_int_equal(json_array_size(rows), 2);
    assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 0)), "5");
    assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 8)), "");
    assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 1), 8)), "3600");
    /* Case 5 has waited 26 h for its first answer: past 4 h. */
    assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 10)),
                        "breached");
    json_decref(rows);
    assert_null(sw_case_stats_table(st, "pies", &cols));
    assert_null(cols);
    json_decref(st);
    json_decref(docs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(median_and_nearest_rank_p90),
        cmocka_unit_test(months_breaches_workload_and_outcomes),
        cmocka_unit_test(tables_for_csv),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
