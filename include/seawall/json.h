/* json.h — strict JSON request decoding through jansson: a declarative field table checks
 * types, ranges, enums and unknown fields, and every problem is collected as
 * {pointer, message} so a 400 can name each bad field at once. */
#ifndef SEAWALL_JSON_H
#define SEAWALL_JSON_H

#include <jansson.h>
#include "seawall/common.h"
#include "seawall/country.h"

enum sw_jtype {
    SW_J_STRING,      /* min/max: length in characters (code points) */
    SW_J_INT,         /* min/max: value */
    SW_J_NUMBER,      /* min/max: value (as double, scaled by 1/1000: 850 means 0.85) */
    SW_J_BOOL,
    SW_J_STRINGS,     /* array of strings; min/max: item count; each item 1..256 bytes */
    SW_J_INTS,        /* array of distinct integers; min/max: item count */
    SW_J_OBJECT,      /* object; min/max: member count; its members are the owner's to check
                         (with sw_json_check and a table of their own) */
};

#define SW_JF_REQUIRED 0x01   /* must be present on create */
#define SW_JF_COUNTRY  0x02   /* string (or each item) is an ISO 3166 alpha-2 code */
#define SW_JF_EMAIL    0x04   /* string is an e-mail address */
#define SW_JF_NONEMPTY 0x08   /* string must have non-space content */
#define SW_JF_EM       0x10   /* with SW_JF_COUNTRY: EM (the EU trade mark) too */
#define SW_JF_EU       0x20   /* with SW_JF_COUNTRY: EU (the EU as a market) too */

struct sw_jfield {
    const char *name;
    enum sw_jtype type;
    unsigned flags;
    long long min, max;
    const char *const *choices;   /* NULL-terminated allowed values for strings, or NULL */
};

/* Collected validation problems: an array of {"pointer": …, "message": …}. */
struct sw_verrs {
    json_t *list;
};

void sw_verrs_init(struct sw_verrs *e);
/* Adds one error naming pointer with a formatted message; bytes in either that are not UTF-8
 * are escaped (sw_utf8_escape), so request bytes or a message cut inside a character cannot
 * lose it. */
void sw_verrs_add(struct sw_verrs *e, const char *pointer, const char *fmt, ...) SW_PRINTF(3, 4);
size_t sw_verrs_count(const struct sw_verrs *e);
void sw_verrs_free(struct sw_verrs *e);

/* Parses len bytes as one JSON object (duplicate keys refused, NUL in strings refused,
 * nesting bounded by max_depth). Returns SW_OK with *out (caller decrefs), or SW_INVALID with
 * a reason such as "malformed JSON at line 1, column 9: unexpected token" in err. */
int sw_json_parse_object(const char *buf, size_t len, int max_depth, json_t **out,
                         char *err, size_t errlen);

/* Checks obj against spec. partial != 0 (an update) skips the required check.
 * Unknown members are errors. Problems are added to errs with pointer prefix + "/name".
 * Returns the number of problems added. */
size_t sw_json_check(const json_t *obj, const struct sw_jfield *spec, int partial,
                     const char *prefix, struct sw_verrs *errs);

/* 1 when s looks like a deliverable address: one '@', no spaces or controls, <= 254 bytes. */
int sw_email_valid(const char *s);

/* Compact serialisation, caller frees; NULL on no memory. Reals with 15 significant digits
 * (0.923, never 0.92300000000000004). */
char *sw_json_dumps(const json_t *v);

#endif
