/* insurance.c — a case's insurance policy and costs: currencies (ICU's ISO 4217 data), amounts
 * as decimal strings counted in minor units, the checks of a policy and of a cost, totals per
 * currency; and the claim dossier's parts read from a case and its history. No I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucurr.h>
#include <unicode/uenum.h>

#include "seawall/cases.h"
#include "seawall/common.h"
#include "seawall/date.h"
#include "seawall/dated.h"
#include "seawall/i18n.h"
#include "seawall/insurance.h"

const char *const sw_cost_kinds[] = { "counsel", "filing", "bond", "expert", "travel", "other",
                                      NULL };

/* --- money ------------------------------------------------------------------------------ */

int sw_currency_digits(const char *code)
{
    UErrorCode st = U_ZERO_ERROR;
    UEnumeration *en;
    const char *s;
    UChar u[4];
    int found = 0, i, d;

    for (i = 0; i < 3; i++)
        if (code == NULL || code[i] < 'A' || code[i] > 'Z')
            return -1;
    if (code[3] != '\0')
        return -1;
    en = ucurr_openISOCurrencies(UCURR_COMMON | UCURR_NON_DEPRECATED, &st);
    while (U_SUCCESS(st) && !found && (s = uenum_next(en, NULL, &st)) != NULL)
        found = strcmp(s, code) == 0;
    uenum_close(en);
    if (!found || U_FAILURE(st))
        return -1;
    for (i = 0; i < 4; i++)
        u[i] = (UChar)(unsigned char)code[i];
    d = ucurr_getDefaultFractionDigits(u, &st);
    return U_FAILURE(st) || d < 0 || d > 4 ? -1 : d;
}

enum sw_money_err sw_money_parse(const char *text, int digits, int64_t *minor)
{
    const char *p = text;
    int64_t whole = 0, frac = 0;
    int nint = 0, nfrac = 0, neg = 0, i;

    if (p == NULL)
        return SW_MONEY_SYNTAX;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    for (; *p >= '0' && *p <= '9'; p++, nint++)
        if (nint < SW_MONEY_INT_DIGITS + 1)
            whole = whole * 10 + (*p - '0');
    if (nint == 0)
        return SW_MONEY_SYNTAX;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, nfrac++)
            if (nfrac < 9)
                frac = frac * 10 + (*p - '0');
        if (nfrac == 0)
            return SW_MONEY_SYNTAX;
    }
    if (*p != '\0')
        return SW_MONEY_SYNTAX;
    if (neg)
        return SW_MONEY_NEGATIVE;
    if (nint > SW_MONEY_INT_DIGITS)
        return SW_MONEY_RANGE;
    if (nfrac > digits)
        return SW_MONEY_DECIMALS;
    for (i = nfrac; i < digits; i++)
        frac *= 10;
    for (i = 0; i < digits; i++)
        whole *= 10;
    *minor = whole + frac;
    return SW_MONEY_OK;
}

void sw_money_format(int64_t minor, int digits, char *out, size_t outlen)
{
    uint64_t v = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor, scale = 1;
    int i;

    for (i = 0; i < digits; i++)
        scale *= 10;
    if (digits == 0)
        snprintf(out, outlen, "%s%llu", minor < 0 ? "-" : "", (unsigned long long)v);
    else
        snprintf(out, outlen, "%s%llu.%0*llu", minor < 0 ? "-" : "",
                 (unsigned long long)(v / scale), digits, (unsigned long long)(v % scale));
}

int sw_money_check(const json_t *amount, const json_t *currency, const char *amount_ptr,
                   const char *currency_ptr, int allow_zero, int64_t *minor, char *norm,
                   size_t normlen, struct sw_verrs *errs)
{
    const char *code = json_string_value(currency);
    int digits = code != NULL ? sw_currency_digits(code) : -1, ok = 1;

    if (!json_is_string(currency)) {
        sw_verrs_add(errs, currency_ptr, "must be an ISO 4217 currency code such as USD, EUR "
                                         "or CNY");
        ok = 0;
    } else if (digits < 0) {
        sw_verrs_add(errs, currency_ptr, "is not an ISO 4217 currency in use (three upper-case "
                                         "letters such as USD, EUR or CNY)");
        ok = 0;
    }
    if (amount == NULL) {
        sw_verrs_add(errs, amount_ptr, "is required");
        return 0;
    }
    if (!json_is_string(amount)) {
        sw_verrs_add(errs, amount_ptr, "must be a decimal number written as a string, such as "
                                       "\"1234.50\" (never a JSON number)");
        return 0;
    }
    switch (sw_money_parse(json_string_value(amount), digits < 0 ? 4 : digits, minor)) {
    case SW_MONEY_OK:
        break;
    case SW_MONEY_SYNTAX:
        sw_verrs_add(errs, amount_ptr, "must be digits with an optional decimal point, such as "
                                       "1234.50 (no sign, exponent, spaces or separators)");
        return 0;
    case SW_MONEY_NEGATIVE:
        sw_verrs_add(errs, amount_ptr, "must not be negative");
        return 0;
    case SW_MONEY_RANGE:
        sw_verrs_add(errs, amount_ptr, "is too large (at most %d digits before the decimal "
                                       "point)", SW_MONEY_INT_DIGITS);
        return 0;
    case SW_MONEY_DECIMALS:
        if (digits == 0)
            sw_verrs_add(errs, amount_ptr, "%s has no decimals: give a whole number", code);
        else
            sw_verrs_add(errs, amount_ptr, "%s has at most %d decimals", code, digits);
        return 0;
    }
    if (!ok)
        return 0;
    if (*minor == 0 && !allow_zero) {
        sw_verrs_add(errs, amount_ptr, "must be more than zero");
        return 0;
    }
    sw_money_format(*minor, digits, norm, normlen);
    return 1;
}

/* --- the policy and the costs ---------------------------------------------------------- */

static const struct sw_jfield insurance_fields[] = {
    { "insurer", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "policy", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, SW_POLICY_MAX, NULL },
    { "cover", SW_J_STRING, 0, 0, 4000, NULL },
    { "period", SW_J_OBJECT, 0, 2, 2, NULL },
    { "limit", SW_J_OBJECT, 0, 2, 2, NULL },
    { "claim", SW_J_STRING, 0, 0, 100, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static const struct sw_jfield period_fields[] = {
    { "from", SW_J_STRING, SW_JF_REQUIRED, 1, 10, NULL },
    { "until", SW_J_STRING, SW_JF_REQUIRED, 1, 10, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

int sw_policy_valid(const char *s)
{
    size_t n = 0;

    for (; s != NULL && *s != '\0'; s++, n++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '-' || *s == '_'))
            return 0;
    return n > 0 && n <= SW_POLICY_MAX;
}

/* Checks obj's member name as a YYYY-MM-DD date under pointer prefix/name. */
static int day_of(const json_t *obj, const char *name, const char *prefix, int64_t *day,
                  struct sw_verrs *errs)
{
    const char *s = json_string_value(json_object_get(obj, name));
    char ptr[64];

    if (s == NULL)
        return 0;
    if (sw_dated_day_parse(s, day) != SW_OK) {
        snprintf(ptr, sizeof(ptr), "%s/%s", prefix, name);
        sw_verrs_add(errs, ptr, "must be a date, YYYY-MM-DD");
        return 0;
    }
    return 1;
}

json_t *sw_insurance_from(const json_t *in, struct sw_verrs *errs)
{
    const json_t *period = json_object_get(in, "period"), *limit = json_object_get(in, "limit");
    size_t before = sw_verrs_count(errs);
    json_t *out;
    int64_t from, until, minor;
    char norm[32];

    sw_json_check(in, insurance_fields, 0, "", errs);
    if (json_is_string(json_object_get(in, "policy")) &&
        json_string_length(json_object_get(in, "policy")) <= SW_POLICY_MAX &&
        !sw_policy_valid(json_string_value(json_object_get(in, "policy"))))
        sw_verrs_add(errs, "/policy", "must be letters, digits, '.', '-' or '_' (it names the "
                                      "policy in addresses)");
    if (json_is_object(period) && sw_json_check(period, period_fields, 0, "/period", errs) == 0 &&
        day_of(period, "from", "/period", &from, errs) &&
        day_of(period, "until", "/period", &until, errs) && until < from)
        sw_verrs_add(errs, "/period/until", "must not be before from");
    if (json_is_object(limit)) {
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)limit, k, v)
            if (strcmp(k, "amount") != 0 && strcmp(k, "currency") != 0) {
                char ptr[80];

                snprintf(ptr, sizeof(ptr), "/limit/%.60s", k);
                sw_verrs_add(errs, ptr, "is not a known field");
            }
        sw_money_check(json_object_get(limit, "amount"), json_object_get(limit, "currency"),
                       "/limit/amount", "/limit/currency", 0, &minor, norm, sizeof(norm), errs);
    }
    if (sw_verrs_count(errs) > before)
        return NULL;
    out = json_pack("{s:O, s:O, s:s, s:O?, s:n, s:s}", "insurer", json_object_get(in, "insurer"),
                    "policy", json_object_get(in, "policy"), "cover",
                    json_string_value(json_object_get(in, "cover")) ?: "", "period", period,
                    "limit", "claim", json_string_value(json_object_get(in, "claim")) ?: "");
    if (out != NULL && period == NULL)
        json_object_set_new(out, "period", json_null());
    if (out != NULL && json_is_object(limit))
        json_object_set_new(out, "limit", json_pack("{s:s, s:O}", "amount", norm, "currency",
                                                    json_object_get(limit, "currency")));
    return out;
}

static const struct sw_jfield cost_fields[] = {
    { "kind", SW_J_STRING, SW_JF_REQUIRED, 1, 16, sw_cost_kinds },
    { "currency", SW_J_STRING, SW_JF_REQUIRED, 1, 8, NULL },
    { "date", SW_J_STRING, SW_JF_REQUIRED, 1, 10, NULL },
    { "note", SW_J_STRING, 0, 0, 2000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

int sw_cost_check(json_t *cost, struct sw_verrs *errs)
{
    size_t before = sw_verrs_count(errs);
    json_t *rest = json_copy(cost);
    int64_t minor, day;
    char norm[32];

    if (rest == NULL)
        return 0;
    json_object_del(rest, "amount");   /* checked below, with words of its own */
    sw_json_check(rest, cost_fields, 0, "", errs);
    json_decref(rest);
    day_of(cost, "date", "", &day, errs);
    if (sw_money_check(json_object_get(cost, "amount"), json_object_get(cost, "currency"),
                       "/amount", "/currency", 0, &minor, norm, sizeof(norm), errs))
        json_object_set_new(cost, "amount", json_string(norm));
    return sw_verrs_count(errs) == before;
}

int sw_costs_add(json_t **acc, const json_t *costs)
{
    const json_t *c;
    size_t i;

    if (*acc == NULL)
        *acc = json_object();
    json_array_foreach(costs, i, c) {
        const char *cur = json_string_value(json_object_get(c, "currency"));
        int digits = cur ? sw_currency_digits(cur) : -1;
        json_t *slot;
        int64_t minor, sum;

        if (digits < 0 || sw_money_parse(json_string_value(json_object_get(c, "amount")),
                                         digits, &minor) != SW_MONEY_OK)
            continue;   /* stored costs were checked; one that no longer reads is left out */
        slot = json_object_get(*acc, cur);
        if (slot == NULL) {
            slot = json_pack("{s:I, s:I, s:i}", "minor", (json_int_t)0, "count", (json_int_t)0,
                             "digits", digits);
            json_object_set_new(*acc, cur, slot);
        }
        if (__builtin_add_overflow((int64_t)json_integer_value(json_object_get(slot, "minor")),
                                   minor, &sum))
            return SW_TOOBIG;
        json_object_set_new(slot, "minor", json_integer(sum));
        json_object_set_new(slot, "count",
                            json_integer(json_integer_value(json_object_get(slot, "count")) + 1));
    }
    return SW_OK;
}

static int by_currency(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

json_t *sw_costs_totals(const json_t *acc)
{
    const char *keys[256], *k;
    json_t *out = json_array(), *slot;
    size_t n = 0, i;
    char amount[32];

    json_object_foreach((json_t *)acc, k, slot)
        if (n < SW_ARRAY_LEN(keys))
            keys[n++] = k;
    qsort(keys, n, sizeof(keys[0]), by_currency);
    for (i = 0; i < n; i++) {
        slot = json_object_get(acc, keys[i]);
        sw_money_format(json_integer_value(json_object_get(slot, "minor")),
                        (int)json_integer_value(json_object_get(slot, "digits")), amount,
                        sizeof(amount));
        json_array_append_new(out, json_pack("{s:s, s:s, s:O}", "currency", keys[i], "amount",
                                             amount, "count", json_object_get(slot, "count")));
    }
    return out;
}

json_t *sw_costs_of(const json_t *doc)
{
    json_t *items = json_object_get(doc, "costs"), *acc = NULL, *out;

    if (sw_costs_add(&acc, items) != SW_OK) {
        json_decref(acc);
        return NULL;
    }
    out = json_pack("{s:o, s:o}", "items", json_is_array(items) ? json_incref(items)
                                                                 : json_array(),
                    "totals", sw_costs_totals(acc));
    json_decref(acc);
    return out;
}

/* --- the claim dossier's parts ------------------------------------------------------------- */

/* An ISO 8601 member of v as ms, or -1. */
static int64_t ms_of(const json_t *v, const char *name)
{
    int64_t ms;
    const json_t *x = json_object_get(v, name);

    if (json_is_integer(x))
        return json_integer_value(x);
    if (!json_is_string(x) || sw_date_ms(json_string_value(x), &ms) != SW_OK)
        return -1;
    return ms;
}

json_t *sw_dossier_deadlines(const json_t *doc, int64_t now_ms)
{
    json_t *out = json_array();
    const json_t *e;
    size_t i;

    json_array_foreach(json_object_get(doc, "deadlines"), i, e) {
        int64_t at = ms_of(e, "at_ms"), done_at = ms_of(e, "done_at");
        int done = json_is_true(json_object_get(e, "done"));
        const char *status;

        if (done)
            status = at < 0 || done_at < 0 || done_at <= at ? "met" : "late";
        else if (at < 0)
            status = "undated";
        else
            status = at < now_ms ? "missed" : "open";
        json_array_append_new(out, json_pack("{s:O, s:O, s:O?, s:O?, s:b, s:O?, s:s, s:O?}",
                                             "id", json_object_get(e, "id"), "kind",
                                             json_object_get(e, "kind"), "at",
                                             json_object_get(e, "at"), "zone",
                                             json_object_get(e, "zone"), "done", done, "done_at",
                                             json_object_get(e, "done_at"), "status", status,
                                             "rule", json_object_get(json_object_get(e, "rule"),
                                                                     "text")));
    }
    return out;
}

/* The expert entry of id in experts (made with name when new). */
static json_t *expert_slot(json_t *experts, json_int_t id, const json_t *name)
{
    json_t *x;
    size_t i;

    json_array_foreach(experts, i, x)
        if (json_integer_value(json_object_get(x, "id")) == id)
            return x;
    x = json_pack("{s:I, s:O?, s:[], s:I, s:i, s:i}", "id", id, "name", name, "periods",
                  "held_ms", (json_int_t)0, "replies", 0, "notes", 0);
    json_array_append_new(experts, x);
    return x;
}

/* Closes the open period of expert x at when (ISO) / when_ms. */
static void close_period(json_t *x, const char *when, int64_t when_ms)
{
    json_t *periods = json_object_get(x, "periods");
    json_t *last = json_array_get(periods, json_array_size(periods) - 1);
    int64_t from;

    if (last == NULL || !json_is_null(json_object_get(last, "until")))
        return;
    from = ms_of(last, "from");
    json_object_set_new(last, "until", json_string(when));
    if (from >= 0 && when_ms > from)
        json_object_set_new(x, "held_ms", json_integer(json_integer_value(
                                              json_object_get(x, "held_ms")) + (when_ms - from)));
}

json_t *sw_dossier_experts(const json_t *hist, const json_t *doc, int64_t now_ms)
{
    json_t *experts = json_array(), *holder = NULL, *out;
    const json_t *e, *ck = json_object_get(doc, "clock");
    size_t i;

    json_array_foreach(hist, i, e) {
        const char *action = json_string_value(json_object_get(e, "action")) ?: "";
        const char *at = json_string_value(json_object_get(e, "at")) ?: "";
        const json_t *after = json_object_get(e, "after"), *by = json_object_get(e, "by");
        const json_t *assignee = json_object_get(after, "assignee");
        int64_t at_ms = ms_of(e, "at");

        if (strcmp(action, "transition") == 0 && json_is_object(assignee)) {
            if (holder != NULL)
                close_period(holder, at, at_ms);
            holder = expert_slot(experts, json_integer_value(json_object_get(assignee, "id")),
                                 json_object_get(assignee, "name"));
            json_array_append_new(json_object_get(holder, "periods"),
                                  json_pack("{s:s, s:n}", "from", at, "until"));
        } else if (strcmp(action, "transition") == 0 && holder != NULL &&
                   sw_case_clock_mode(json_string_value(json_object_get(after, "state")) ?: "")
                       == 2) {
            close_period(holder, at, at_ms);
            holder = NULL;
        }
        if ((strcmp(action, "reply") == 0 || strcmp(action, "note") == 0) &&
            strcmp(json_string_value(json_object_get(by, "role")) ?: "", "expert") == 0) {
            json_t *x = expert_slot(experts, json_integer_value(json_object_get(by, "id")), NULL);
            const char *count = strcmp(action, "reply") == 0 ? "replies" : "notes";

            json_object_set_new(x, count,
                                json_integer(json_integer_value(json_object_get(x, count)) + 1));
        }
    }
    /* The holder's period runs on: counted up to now, left open. */
    if (holder != NULL) {
        json_t *periods = json_object_get(holder, "periods");
        int64_t from = ms_of(json_array_get(periods, json_array_size(periods) - 1), "from");

        if (from >= 0 && now_ms > from)
            json_object_set_new(holder, "held_ms",
                                json_integer(json_integer_value(json_object_get(holder,
                                                                                "held_ms")) +
                                             (now_ms - from)));
    }
    out = json_pack("{s:o, s:I, s:O?, s:O?}", "experts", experts, "active_ms",
                    (json_int_t)sw_case_active_ms(doc, now_ms), "first_response_ms",
                    json_object_get(ck, "first_response_ms"), "resolution_ms",
                    json_object_get(ck, "resolution_ms"));
    return out;
}

json_t *sw_dossier_notices(const json_t *hist)
{
    json_t *out = json_array();
    const json_t *e;
    size_t i;

    json_array_foreach(hist, i, e) {
        const char *action = json_string_value(json_object_get(e, "action")) ?: "";
        const char *role = json_string_value(json_object_get(json_object_get(e, "by"), "role"));
        const char *kind = NULL, *text = NULL;
        int catalogue = 0;

        if (strcmp(action, "transition") == 0) {
            const char *from = json_string_value(json_object_get(json_object_get(e, "before"),
                                                                 "state"));
            const char *to = json_string_value(json_object_get(json_object_get(e, "after"),
                                                               "state"));
            const struct sw_case_transition *t = sw_case_transition_find(from ?: "", to ?: "");

            if (t == NULL || t->notice == NULL)
                continue;
            kind = strcmp(from, "assigned") == 0 && strcmp(to, "assigned") == 0 ? "reassigned"
                                                                                 : to;
            text = json_string_value(json_object_get(e, "reason"));
            catalogue = text == NULL;
            if (catalogue)
                text = t->notice;
        } else if (strcmp(action, "reply") == 0 && role != NULL &&
                   strcmp(role, "exporter") != 0) {
            kind = "reply";
            text = json_string_value(json_object_get(e, "text"));
        } else if (strcmp(action, "insurance_decision") == 0) {
            kind = json_is_true(json_object_get(json_object_get(e, "after"), "covered"))
                       ? "insurance_covered" : "insurance_not_covered";
            text = json_string_value(json_object_get(json_object_get(e, "after"), "note"));
        } else if (strcmp(action, "notice") == 0) {
            kind = "notice";
            text = json_string_value(json_object_get(e, "text"));
        } else {
            continue;
        }
        json_array_append_new(out, json_pack("{s:O, s:O?, s:s, s:s, s:b, s:O}", "at",
                                             json_object_get(e, "at"), "seq",
                                             json_object_get(e, "seq"), "kind", kind, "text",
                                             text ?: "", "text_from_catalogue", catalogue,
                                             "by", json_object_get(e, "by")));
    }
    return out;
}
