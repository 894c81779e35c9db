/* insurance.h — a case's overseas-IP infringement insurance (知识产权海外侵权保险): the policy
 * the exporter holds, the insurer's claim reference and the centre's decision whether the
 * dispute falls under the cover; the costs recorded on the case (amounts as decimal strings,
 * never floats, counted in the currency's minor units); and the pure parts of the claim
 * dossier (deadlines met, the experts' time, the notices) read from a case and its history.
 *
 * Both live in the case document (cases.h): doc["insurance"] = {insurer, policy, cover,
 * period: {from, until} | null, limit: {amount, currency} | null, claim, decision: {covered,
 * note, by, at} | null, updated_at, updated_by}; doc["costs"] = [{id, kind, amount, currency,
 * date, note, recorded_by, recorded_at, changed_at?}], the next id in doc["cost_seq"]. */
#ifndef SEAWALL_INSURANCE_H
#define SEAWALL_INSURANCE_H

#include <stdint.h>
#include <jansson.h>

#include "seawall/json.h"

#define SW_MONEY_INT_DIGITS 12   /* digits before the decimal point: up to 999,999,999,999 */
#define SW_COSTS_PER_CASE 500    /* costs one case may hold */
#define SW_POLICY_MAX 64         /* bytes of a policy number */

extern const char *const sw_cost_kinds[];

/* --- money ------------------------------------------------------------------------------ */

/* The minor-unit digits of an ISO 4217 currency in use (USD 2, JPY 0, KWD 3; ICU's data), or
 * -1 when code is not one (three upper-case letters of a current currency). */
int sw_currency_digits(const char *code);

enum sw_money_err {
    SW_MONEY_OK = 0,
    SW_MONEY_SYNTAX,     /* not digits with an optional point and decimals */
    SW_MONEY_NEGATIVE,   /* a valid amount after a minus sign */
    SW_MONEY_DECIMALS,   /* more decimals than the currency has */
    SW_MONEY_RANGE,      /* more than SW_MONEY_INT_DIGITS digits before the point */
};

/* Reads text ("1234.5", "1234.50", "0.07", "12") as an amount with at most digits decimals
 * into *minor (1234.50 USD → 123450). No sign, exponent, spaces, separators, leading or
 * trailing point. Returns SW_MONEY_OK or what is wrong. */
enum sw_money_err sw_money_parse(const char *text, int digits, int64_t *minor);

/* minor as a decimal string with exactly digits decimals ("1234.50"; "-0.05" for negatives),
 * into out (at least 32 bytes). */
void sw_money_format(int64_t minor, int digits, char *out, size_t outlen);

/* Checks an amount (a JSON string) in currency (a JSON string) and adds each problem to errs
 * under amount_ptr / currency_ptr. Zero is refused unless allow_zero. On success (returns 1)
 * *minor holds the amount and *norm (at least 32 bytes) its text with the currency's decimals;
 * otherwise returns 0. */
int sw_money_check(const json_t *amount, const json_t *currency, const char *amount_ptr,
                   const char *currency_ptr, int allow_zero, int64_t *minor, char *norm,
                   size_t normlen, struct sw_verrs *errs);

/* --- the policy and the costs ---------------------------------------------------------- */

/* 1 when s is a policy number: 1 to SW_POLICY_MAX letters, digits, '.', '-', '_' (it names
 * the policy in URLs). */
int sw_policy_valid(const char *s);

/* Checks a PUT /insurance body and adds each problem to errs (pointers from the body's root).
 * On success returns a new object to store (amounts normalised), else NULL. */
json_t *sw_insurance_from(const json_t *in, struct sw_verrs *errs);

/* Checks a cost (a new one, or with partial an existing one after a correction was merged
 * into it: the same checks, as the merged cost must be whole). Adds problems to errs; returns
 * 1 when fine, with the amount in doc normalised to the currency's decimals. */
int sw_cost_check(json_t *cost, struct sw_verrs *errs);

/* The costs' totals per currency, ordered by currency: [{currency, amount, count}] (amount a
 * decimal string). Adds to acc (an object currency → minor units as integer and count, made
 * when *acc is NULL) so totals can span several cases. SW_OK, or SW_TOOBIG when a total would
 * not fit 63 bits. */
int sw_costs_add(json_t **acc, const json_t *costs);
json_t *sw_costs_totals(const json_t *acc);

/* doc's costs and their totals as the API shows them: {items, totals}. New object, or NULL
 * when a total would not fit (sw_costs_add's SW_TOOBIG). */
json_t *sw_costs_of(const json_t *doc);

/* --- the claim dossier's parts ------------------------------------------------------------- */

/* The case's legal deadlines, each with "status": "met" (done by its end), "late" (done
 * after it), "missed" (not done and past), "open" (not done, still ahead) or "undated".
 * New array. */
json_t *sw_dossier_deadlines(const json_t *doc, int64_t now_ms);

/* The experts' time on the case read from its history (oldest first): each expert assigned,
 * with the periods they held it (until a reassignment or the case's end; the last one open
 * while they still hold it), the milliseconds held so far, and the replies and notes they
 * wrote; plus the case's service clock. New object {experts: [...], active_ms,
 * first_response_ms, resolution_ms}. */
json_t *sw_dossier_experts(const json_t *hist, const json_t *doc, int64_t now_ms);

/* The notices the exporter was sent (the transitions that notify, the centre's replies, and
 * notices to a matter's members), from the history: [{at, seq, kind, text,
 * text_from_catalogue (text is a catalogue msgid), by}]. New array. */
json_t *sw_dossier_notices(const json_t *hist);

#endif
