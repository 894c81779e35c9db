/* casestats.c — an assistance centre's statistics from its case documents: counts by month,
 * type and country, response and resolution times, SLA breaches, expert workload, outcomes;
 * and the same as tables for CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/cases.h"
#include "seawall/casestats.h"
#include "seawall/date.h"
#include "seawall/i18n.h"

#define MONTHS_MAX 600   /* months a period lists every one of (fifty years) */

const char *const sw_case_outcomes[] = { "won", "settled", "withdrawn_by_other_side", "lost",
                                         "no_action_needed", "other", NULL };

const char sw_case_stats_tables[] =
    "cases, month_type, month_country, times, sla, workload, outcomes";

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void bump(json_t *obj, const char *key)
{
    const char *k = key != NULL && *key != '\0' ? key : "?";

    json_object_set_new(obj, k, json_integer(json_integer_value(json_object_get(obj, k)) + 1));
}

/* obj[k1][k2] += 1. */
static void bump2(json_t *obj, const char *k1, const char *k2)
{
    const char *k = k1 != NULL && *k1 != '\0' ? k1 : "?";
    json_t *in = json_object_get(obj, k);

    if (in == NULL) {
        in = json_object();
        json_object_set_new(obj, k, in);
    }
    bump(in, k2);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return x < y ? -1 : x > y;
}

/* The keys of obj, sorted (an array the caller frees; the strings are obj's). */
static const char **sorted_keys(const json_t *obj, size_t *n)
{
    const char **keys = calloc(json_object_size(obj) + 1, sizeof(*keys));
    const char *k;
    json_t *v;

    *n = 0;
    if (keys == NULL)
        return NULL;
    json_object_foreach((json_t *)obj, k, v)
        keys[(*n)++] = k;
    qsort(keys, *n, sizeof(*keys), cmp_str);
    return keys;
}

/* {count, median_s, p90_s} of n durations in ms (sorted here). Median: the middle one, or
 * the mean of the middle two; 90th percentile: the nearest rank (the ceil(0.9 n)-th). */
static json_t *times_of(long long *v, size_t n)
{
    if (n == 0)
        return json_pack("{s:i, s:n, s:n}", "count", 0, "median_s", "p90_s");
    qsort(v, n, sizeof(*v), cmp_ll);
    return json_pack("{s:I, s:I, s:I}", "count", (json_int_t)n, "median_s",
                     (json_int_t)((n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) / 1000),
                     "p90_s", (json_int_t)(v[(9 * n + 9) / 10 - 1] / 1000));
}

static const char *sla_status(const json_t *view, const char *which)
{
    return str(json_object_get(json_object_get(view, "sla"), which), "status") ?: "";
}

/* "YYYY-MM" of an instant, UTC. */
static void month_of(int64_t ms, char *out, size_t outlen)
{
    char iso[32];

    snprintf(out, outlen, "%.7s", sw_iso8601(ms, iso, sizeof(iso)));
}

/* Every month from first to last ("YYYY-MM", first <= last), or NULL when more than
 * MONTHS_MAX. */
static json_t *month_range(const char *first, const char *last)
{
    int y = atoi(first), m = atoi(first + 5), ly = atoi(last), lm = atoi(last + 5), n = 0;
    json_t *out = json_array();
    char t[16];

    while ((y < ly || (y == ly && m <= lm)) && n++ <= MONTHS_MAX) {
        snprintf(t, sizeof(t), "%04d-%02d", y, m);
        json_array_append_new(out, json_string(t));
        if (++m == 13) {
            m = 1;
            y++;
        }
    }
    if (n > MONTHS_MAX) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The resolution time of doc in ms: resolved_at, or for a case resolved by an older release
 * that is still resolved, when it entered that state; -1 when unknown or not resolved. */
static int64_t resolved_ms(const json_t *doc)
{
    const char *at = str(doc, "resolved_at");
    int64_t ms;

    if (at == NULL && strcmp(str(doc, "state") ?: "", "resolved") == 0)
        at = str(doc, "state_since");
    return at != NULL && sw_date_ms(at, &ms) == SW_OK ? ms : -1;
}

static int open_for_expert(const char *state)
{
    return strcmp(state, "assigned") == 0 || strcmp(state, "in_progress") == 0 ||
           strcmp(state, "waiting_on_exporter") == 0;
}

/* The workload row of expert id (made when first seen). */
static json_t *expert_row(json_t *work, long long id, const char *name)
{
    char key[24];
    json_t *row;

    snprintf(key, sizeof(key), "%lld", id);
    row = json_object_get(work, key);
    if (row == NULL) {
        row = json_pack("{s:I, s:s, s:i, s:i}", "expert_id", (json_int_t)id, "name",
                        name ? name : "", "open", 0, "resolved", 0);
        json_object_set_new(work, key, row);
    }
    return row;
}

static void add1(json_t *row, const char *k)
{
    json_object_set_new(row, k, json_integer(json_integer_value(json_object_get(row, k)) + 1));
}

static int by_name(const void *a, const void *b)
{
    const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
    int c = strcmp(str(x, "name") ?: "", str(y, "name") ?: "");

    if (c != 0)
        return c;
    return cmp_ll(&(long long){ json_integer_value(json_object_get(x, "expert_id")) },
                  &(long long){ json_integer_value(json_object_get(y, "expert_id")) });
}

static json_t *workload_list(json_t *work)
{
    json_t **rows = calloc(json_object_size(work) + 1, sizeof(*rows)), *out = json_array(), *v;
    const char *k;
    size_t n = 0, i;

    if (rows == NULL)
        return out;
    json_object_foreach(work, k, v)
        rows[n++] = v;
    qsort(rows, n, sizeof(*rows), by_name);
    for (i = 0; i < n; i++)
        json_array_append(out, rows[i]);
    free(rows);
    return out;
}

/* Appends outcome o's row {outcome, resolved, closed, cases} from the counts in outc. */
static void add_outcome(json_t *list, const json_t *outc, const char *o)
{
    const json_t *c = json_object_get(outc, o);
    json_int_t r = json_integer_value(json_object_get(c, "resolved"));
    json_int_t cl = json_integer_value(json_object_get(c, "closed"));

    json_array_append_new(list, json_pack("{s:s, s:I, s:I, s:I}", "outcome", o, "resolved", r,
                                          "closed", cl, "cases", r + cl));
}

/* A duration in ms as whole seconds, "" when absent. */
static json_t *secs(const json_t *ms)
{
    char t[32];

    if (!json_is_integer(ms))
        return json_string("");
    snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(ms) / 1000);
    return json_string(t);
}

static json_t *case_row(const json_t *d, const json_t *view)
{
    const json_t *ck = json_object_get(d, "clock");
    char id[24];

    snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(d, "id")));
    return json_pack("[s, s, s, s, s, s, s, s, o, o, s, s, s, s]", id,
                     str(d, "created_at") ?: "", str(d, "type") ?: "", str(d, "country") ?: "",
                     str(d, "state") ?: "", str(d, "opposing_party") ?: "",
                     str(d, "forum") ?: "", str(json_object_get(d, "assignee"), "name") ?: "",
                     secs(json_object_get(ck, "first_response_ms")),
                     secs(json_object_get(ck, "resolution_ms")),
                     sla_status(view, "first_response"), sla_status(view, "resolution"),
                     str(d, "outcome") ?: "", str(d, "resolved_at") ?: "");
}

json_t *sw_case_stats(const struct sw_case_stats_in *in)
{
    size_t ndocs = json_array_size(in->docs), i, j, nm = 0, nk = 0;
    long long *fr = calloc(ndocs + 1, sizeof(*fr)), *rs = calloc(ndocs + 1, sizeof(*rs));
    size_t nfr = 0, nrs = 0, total = 0, fr_breach = 0, rs_breach = 0;
    json_t *by_type = json_object(), *by_country = json_object(), *by_state = json_object();
    json_t *by_month = json_object(), *mt = json_object(), *mc = json_object();
    json_t *breach = json_object(), *work = json_object(), *outc = json_object();
    json_t *rows = json_array(), *out = NULL, *months = NULL, *list, *d, *e;
    char first[16] = "", last[16] = "";
    const char **mkeys = NULL, **keys = NULL;

    if (fr == NULL || rs == NULL)
        goto done;
    json_array_foreach(in->experts, i, e)
        expert_row(work, json_integer_value(json_object_get(e, "id")), str(e, "name"));
    json_array_foreach(in->docs, i, d) {
        const char *state = str(d, "state") ?: "", *created = str(d, "created_at") ?: "";
        const json_t *ck = json_object_get(d, "clock"), *as = json_object_get(d, "assignee");
        long long first_h, resolve_h, expert = json_integer_value(json_object_get(as, "id"));
        int64_t ms, rms = resolved_ms(d);
        char month[16];
        json_t *view, *b;

        if (expert > 0 && open_for_expert(state))
            add1(expert_row(work, expert, str(as, "name")), "open");
        if (rms >= in->from_ms && rms < in->until_ms) {
            if (expert > 0)
                add1(expert_row(work, expert, str(as, "name")), "resolved");
            bump2(outc, str(d, "outcome") ?: "not_recorded",
                  strcmp(state, "closed") == 0 ? "closed" : "resolved");
        }
        if (sw_date_ms(created, &ms) != SW_OK || ms < in->from_ms || ms >= in->until_ms)
            continue;
        in->targets(in->ud, json_integer_value(json_object_get(d, "centre_id")), &first_h,
                    &resolve_h);
        view = sw_case_view(d, in->now_ms, first_h, resolve_h, in->near_pct);
        if (view == NULL)
            goto done;
        total++;
        month_of(ms, month, sizeof(month));
        if (first[0] == '\0' || strcmp(month, first) < 0)
            sw_strlcpy(first, month, sizeof(first));
        if (strcmp(month, last) > 0)
            sw_strlcpy(last, month, sizeof(last));
        bump(by_type, str(d, "type"));
        bump(by_country, str(d, "country"));
        bump(by_state, state);
        bump(by_month, month);
        bump2(mt, month, str(d, "type"));
        bump2(mc, month, str(d, "country"));
        b = json_object_get(breach, month);
        if (b == NULL) {
            b = json_pack("{s:s, s:i, s:i, s:i}", "month", month, "cases", 0,
                          "first_response_breached", 0, "resolution_breached", 0);
            json_object_set_new(breach, month, b);
        }
        add1(b, "cases");
        if (strcmp(sla_status(view, "first_response"), "breached") == 0) {
            fr_breach++;
            add1(b, "first_response_breached");
        }
        if (strcmp(sla_status(view, "resolution"), "breached") == 0) {
            rs_breach++;
            add1(b, "resolution_breached");
        }
        if (json_is_integer(json_object_get(ck, "first_response_ms")))
            fr[nfr++] = json_integer_value(json_object_get(ck, "first_response_ms"));
        if (json_is_integer(json_object_get(ck, "resolution_ms")))
            rs[nrs++] = json_integer_value(json_object_get(ck, "resolution_ms"));
        json_array_append_new(rows, case_row(d, view));
        json_decref(view);
    }
    /* The months: the whole period when it names both ends, else from the first case's to
     * the last's; only the months with cases when that would be too many. */
    if (in->from_ms > 0 && in->until_ms < INT64_MAX && in->until_ms > in->from_ms) {
        month_of(in->from_ms, first, sizeof(first));
        month_of(in->until_ms - 1, last, sizeof(last));
    }
    months = first[0] != '\0' ? month_range(first, last) : json_array();
    if (months == NULL) {
        months = json_array();
        mkeys = sorted_keys(by_month, &nm);
        for (i = 0; mkeys != NULL && i < nm; i++)
            json_array_append_new(months, json_string(mkeys[i]));
        free(mkeys);
        mkeys = NULL;
    }
    out = json_pack("{s:I, s:O, s:O, s:O, s:O, s:O, s:o, s:o, s:{s:I, s:I}}", "cases",
                    (json_int_t)total, "by_type", by_type, "by_country", by_country,
                    "by_state", by_state, "by_month", by_month, "months", months,
                    "first_response", times_of(fr, nfr), "resolution", times_of(rs, nrs),
                    "sla_breaches", "first_response", (json_int_t)fr_breach, "resolution",
                    (json_int_t)rs_breach);
    if (out == NULL)
        goto done;
    /* month × type and month × country, months ascending, then the type or country. */
    for (j = 0; j < 2; j++) {
        json_t *src = j == 0 ? mt : mc;

        list = json_array();
        mkeys = sorted_keys(src, &nm);
        for (i = 0; mkeys != NULL && i < nm; i++) {
            size_t k;

            keys = sorted_keys(json_object_get(src, mkeys[i]), &nk);
            for (k = 0; keys != NULL && k < nk; k++)
                json_array_append_new(list, json_pack("{s:s, s:s, s:O}", "month", mkeys[i],
                                                      j == 0 ? "type" : "country", keys[k],
                                                      "cases", json_object_get(json_object_get(
                                                          src, mkeys[i]), keys[k])));
            free(keys);
            keys = NULL;
        }
        free(mkeys);
        mkeys = NULL;
        json_object_set_new(out, j == 0 ? "by_month_type" : "by_month_country", list);
    }
    /* SLA breaches for every month listed, none where no case came in. */
    list = json_array();
    json_array_foreach(months, i, e) {
        json_t *b = json_object_get(breach, json_string_value(e));

        json_array_append_new(list, b != NULL ? json_incref(b)
                              : json_pack("{s:O, s:i, s:i, s:i}", "month", e, "cases", 0,
                                          "first_response_breached", 0, "resolution_breached",
                                          0));
    }
    json_object_set_new(out, "sla_by_month", list);
    json_object_set_new(out, "workload", workload_list(work));
    /* Every outcome, then those resolved without one (by an older release). */
    list = json_array();
    for (i = 0; sw_case_outcomes[i] != NULL; i++)
        add_outcome(list, outc, sw_case_outcomes[i]);
    if (json_object_get(outc, "not_recorded") != NULL)
        add_outcome(list, outc, "not_recorded");
    json_object_set_new(out, "outcomes", list);
    json_object_set(out, "case_rows", rows);
done:
    free(fr);
    free(rs);
    json_decref(by_type);
    json_decref(by_country);
    json_decref(by_state);
    json_decref(by_month);
    json_decref(mt);
    json_decref(mc);
    json_decref(breach);
    json_decref(work);
    json_decref(outc);
    json_decref(rows);
    json_decref(months);
    return out;
}

/* --- tables ------------------------------------------------------------------------------- */

/* TRANSLATORS: column headings of the statistics' CSV files (Chinese headings for Excel). */
static const struct sw_stats_col cases_cols[] = {
    { "id", SW_N("Case number") }, { "created_at", SW_N("Came in") }, { "type", SW_N("Case type") },
    { "country", SW_N("Country or region") }, { "state", SW_N("State") },
    { "opposing_party", SW_N("Opposing party") }, { "forum", SW_N("Forum") },
    { "assignee", SW_N("Expert") }, { "first_response_s", SW_N("First response (seconds)") },
    { "resolution_s", SW_N("Resolution (seconds)") },
    { "first_response_sla", SW_N("First response SLA") },
    { "resolution_sla", SW_N("Resolution SLA") }, { "outcome", SW_N("Outcome") },
    { "resolved_at", SW_N("Resolved at") }, { NULL, NULL },
};
static const struct sw_stats_col month_type_cols[] = {
    { "month", SW_N("Month") }, { "type", SW_N("Case type") }, { "cases", SW_N("Number of cases") },
    { NULL, NULL },
};
static const struct sw_stats_col month_country_cols[] = {
    { "month", SW_N("Month") }, { "country", SW_N("Country or region") },
    { "cases", SW_N("Number of cases") }, { NULL, NULL },
};
static const struct sw_stats_col times_cols[] = {
    { "measure", SW_N("Measure") }, { "count", SW_N("Number of cases") },
    { "median_s", SW_N("Median (seconds)") }, { "p90_s", SW_N("90th percentile (seconds)") },
    { NULL, NULL },
};
static const struct sw_stats_col sla_cols[] = {
    { "month", SW_N("Month") }, { "cases", SW_N("Number of cases") },
    { "first_response_breached", SW_N("First response SLA breached") },
    { "resolution_breached", SW_N("Resolution SLA breached") }, { NULL, NULL },
};
static const struct sw_stats_col workload_cols[] = {
    { "expert_id", SW_N("Expert ID") }, { "name", SW_N("Expert") },
    { "open", SW_N("Open cases") }, { "resolved", SW_N("Resolved in the period") },
    { NULL, NULL },
};
static const struct sw_stats_col outcomes_cols[] = {
    { "outcome", SW_N("Outcome") }, { "resolved", SW_N("Resolved, not yet closed") },
    { "closed", SW_N("Closed") }, { "cases", SW_N("Number of cases") }, { NULL, NULL },
};

/* v as a cell: strings as they are, numbers in decimal, null and absent as "". */
static json_t *cell(const json_t *v)
{
    char t[32];

    if (json_is_string(v))
        return json_incref((json_t *)v);
    if (json_is_integer(v)) {
        snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(v));
        return json_string(t);
    }
    return json_string("");
}

/* Rows of objects (list) as arrays of cells in cols' order. */
static json_t *rows_of(const json_t *list, const struct sw_stats_col *cols)
{
    json_t *out = json_array(), *o;
    size_t i, k;

    json_array_foreach(list, i, o) {
        json_t *row = json_array();

        for (k = 0; cols[k].name != NULL; k++)
            json_array_append_new(row, cell(json_object_get(o, cols[k].name)));
        json_array_append_new(out, row);
    }
    return out;
}

json_t *sw_case_stats_table(const json_t *stats, const char *name,
                            const struct sw_stats_col **cols)
{
    static const struct {
        const char *name, *member;
        const struct sw_stats_col *cols;
    } tables[] = {
        { "month_type", "by_month_type", month_type_cols },
        { "month_country", "by_month_country", month_country_cols },
        { "sla", "sla_by_month", sla_cols },
        { "workload", "workload", workload_cols },
        { "outcomes", "outcomes", outcomes_cols },
    };
    size_t i;

    if (strcmp(name, "cases") == 0) {
        const json_t *rows = json_object_get(stats, "case_rows");

        *cols = cases_cols;
        return rows != NULL ? json_deep_copy(rows) : json_array();
    }
    if (strcmp(name, "times") == 0) {
        json_t *list = json_array(), *out;
        static const char *const measures[] = { "first_response", "resolution" };

        for (i = 0; i < SW_ARRAY_LEN(measures); i++) {
            json_t *t = json_deep_copy(json_object_get(stats, measures[i]));

            json_object_set_new(t, "measure", json_string(measures[i]));
            json_array_append_new(list, t);
        }
        *cols = times_cols;
        out = rows_of(list, times_cols);
        json_decref(list);
        return out;
    }
    for (i = 0; i < SW_ARRAY_LEN(tables); i++) {
        if (strcmp(name, tables[i].name) == 0) {
            *cols = tables[i].cols;
            return rows_of(json_object_get(stats, tables[i].member), tables[i].cols);
        }
    }
    *cols = NULL;
    return NULL;
}
