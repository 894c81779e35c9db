/* json.c — strict request decoding and field-table validation over jansson. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/i18n.h"
#include "seawall/json.h"
#include "seawall/log.h"

void sw_verrs_init(struct sw_verrs *e)
{
    e->list = json_array();
}

void sw_verrs_add(struct sw_verrs *e, const char *pointer, const char *fmt, ...)
{
    const char *lang = sw_i18n_thread_lang();
    char raw[512], msg[512], ptr[512];
    va_list ap;

    if (!sw_tr_known(lang, NULL, fmt))
        sw_warn("no %s translation of \"%.200s\" (run make po and translate it)", lang, fmt);
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), sw_tr(lang, fmt), ap);
    va_end(ap);
    /* Either may hold request bytes, or be cut inside a character: JSON holds only UTF-8. */
    sw_utf8_escape(raw, strlen(raw), 0, msg, sizeof(msg));
    if (!sw_utf8_valid(pointer, strlen(pointer), NULL)) {
        sw_utf8_escape(pointer, strlen(pointer), 0, ptr, sizeof(ptr));
        pointer = ptr;
    }
    if (e->list != NULL)
        json_array_append_new(e->list, json_pack("{s:s, s:s}", "pointer", pointer, "message", msg));
}

size_t sw_verrs_count(const struct sw_verrs *e)
{
    return e->list != NULL ? json_array_size(e->list) : 0;
}

void sw_verrs_free(struct sw_verrs *e)
{
    json_decref(e->list);
    e->list = NULL;
}

/* Depth of the deepest container in buf, scanning outside strings. Stops counting past
 * limit so hostile input costs one pass. jansson's own ceiling is 2048. */
static int json_depth_exceeds(const char *buf, size_t len, int limit)
{
    int depth = 0, in_str = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        char c = buf[i];

        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > limit)
                return 1;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return 0;
}

int sw_json_parse_object(const char *buf, size_t len, int max_depth, json_t **out, char *err,
                         size_t errlen)
{
    json_error_t je;
    json_t *v;

    if (len == 0) {
        snprintf(err, errlen, "%s", sw_t("the request body is empty; a JSON object is expected"));
        return SW_INVALID;
    }
    if (json_depth_exceeds(buf, len, max_depth)) {
        snprintf(err, errlen, sw_t("JSON nested deeper than %d levels"), max_depth);
        return SW_INVALID;
    }
    v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (v == NULL) {
        /* TRANSLATORS: the last %s is the JSON parser's own English explanation. */
        snprintf(err, errlen, sw_t("malformed JSON at line %d, column %d: %s"), je.line,
                 je.column, je.text);
        return SW_INVALID;
    }
    if (!json_is_object(v)) {
        snprintf(err, errlen, "%s", sw_t("the request body must be a JSON object"));
        json_decref(v);
        return SW_INVALID;
    }
    *out = v;
    return SW_OK;
}

int sw_email_valid(const char *s)
{
    const char *at = NULL, *p;
    size_t n = strlen(s);

    if (n < 3 || n > 254)
        return 0;
    for (p = s; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;

        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"')
            return 0;
        if (c == '@') {
            if (at != NULL)
                return 0;
            at = p;
        }
    }
    return at != NULL && at != s && at[1] != '\0' && strchr(at, '.') != NULL &&
           at[strlen(at) - 1] != '.';
}

static int has_content(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 1;
    return 0;
}

static int has_control(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
            return 1;
    return 0;
}

static int in_choices(const char *s, const char *const *choices)
{
    for (; *choices != NULL; choices++)
        if (strcmp(*choices, s) == 0)
            return 1;
    return 0;
}

static void choices_text(const char *const *choices, char *out, size_t outlen)
{
    size_t used = 0;

    out[0] = '\0';
    for (; *choices != NULL && used < outlen; choices++) {
        int n = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", *choices);

        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* Checks one string value (a field or an array item) at pointer. */
/* Characters (Unicode code points) in UTF-8 text of len bytes: the bytes that do not
 * continue a sequence. The text was checked to be UTF-8 when the body was decoded. */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* Lengths are counted in characters, not bytes, so a limit means the same in Chinese as in
 * English: 200 characters is 200 letters or 200 Han characters (600 bytes of UTF-8). */
static void check_string(const struct sw_jfield *f, const char *s, size_t len, long long min,
                         long long max, const char *pointer, struct sw_verrs *errs)
{
    char opts[512];
    size_t chars = utf8_chars(s, len);

    if (strlen(s) != len) {
        sw_verrs_add(errs, pointer, "must not contain NUL characters");
    } else if ((long long)chars < min || (long long)chars > max) {
        sw_verrs_add(errs, pointer, "must be %lld to %lld characters long (got %zu)", min, max,
                     chars);
    } else if (has_control(s)) {
        sw_verrs_add(errs, pointer, "must not contain control characters");
    } else if ((f->flags & SW_JF_NONEMPTY) && !has_content(s)) {
        sw_verrs_add(errs, pointer, "must not be blank");
    } else if ((f->flags & SW_JF_COUNTRY) &&
               sw_country_check(s, ((f->flags & SW_JF_EM) ? SW_CC_EM : 0) |
                                       ((f->flags & SW_JF_EU) ? SW_CC_EU : 0),
                                opts, sizeof(opts)) != NULL) {
        sw_verrs_add(errs, pointer, "%s", opts);
    } else if ((f->flags & SW_JF_EMAIL) && !sw_email_valid(s)) {
        sw_verrs_add(errs, pointer, "is not a valid e-mail address");
    } else if (f->choices != NULL && !in_choices(s, f->choices)) {
        choices_text(f->choices, opts, sizeof(opts));
        sw_verrs_add(errs, pointer, "must be one of: %s", opts);
    }
}

static void wrong_type(enum sw_jtype t, const char *pointer, struct sw_verrs *errs)
{
    switch (t) {
    case SW_J_STRING: sw_verrs_add(errs, pointer, "must be a string"); return;
    case SW_J_INT: sw_verrs_add(errs, pointer, "must be an integer"); return;
    case SW_J_NUMBER: sw_verrs_add(errs, pointer, "must be a number"); return;
    case SW_J_BOOL: sw_verrs_add(errs, pointer, "must be true or false"); return;
    case SW_J_STRINGS: sw_verrs_add(errs, pointer, "must be an array of strings"); return;
    case SW_J_INTS: sw_verrs_add(errs, pointer, "must be an array of integers"); return;
    case SW_J_OBJECT: sw_verrs_add(errs, pointer, "must be an object"); return;
    }
}

static void check_field(const struct sw_jfield *f, const json_t *v, const char *pointer,
                        struct sw_verrs *errs)
{
    char ip[600];
    size_t i, n;

    switch (f->type) {
    case SW_J_STRING:
        if (!json_is_string(v))
            goto wrong_type;
        check_string(f, json_string_value(v), json_string_length(v), f->min, f->max, pointer,
                     errs);
        return;
    case SW_J_INT:
        if (!json_is_integer(v))
            goto wrong_type;
        if (json_integer_value(v) < f->min || json_integer_value(v) > f->max)
            sw_verrs_add(errs, pointer, "must be from %lld to %lld", f->min, f->max);
        return;
    case SW_J_NUMBER:
        if (!json_is_number(v))
            goto wrong_type;
        if (json_number_value(v) * 1000.0 < (double)f->min ||
            json_number_value(v) * 1000.0 > (double)f->max)
            sw_verrs_add(errs, pointer, "must be from %g to %g", (double)f->min / 1000.0,
                         (double)f->max / 1000.0);
        return;
    case SW_J_BOOL:
        if (!json_is_boolean(v))
            goto wrong_type;
        return;
    case SW_J_OBJECT:
        if (!json_is_object(v))
            goto wrong_type;
        n = json_object_size(v);
        if ((long long)n < f->min || (long long)n > f->max)
            sw_verrs_add(errs, pointer, "must have %lld to %lld members (got %zu)", f->min,
                         f->max, n);
        return;
    case SW_J_INTS:
    case SW_J_STRINGS:
        if (!json_is_array(v))
            goto wrong_type;
        n = json_array_size(v);
        if ((long long)n < f->min || (long long)n > f->max) {
            sw_verrs_add(errs, pointer, "must have %lld to %lld items (got %zu)", f->min, f->max,
                         n);
            return;
        }
        for (i = 0; i < n; i++) {
            const json_t *item = json_array_get(v, i);
            size_t j;

            snprintf(ip, sizeof(ip), "%s/%zu", pointer, i);
            if (f->type == SW_J_INTS ? !json_is_integer(item) : !json_is_string(item)) {
                if (f->type == SW_J_INTS)
                    sw_verrs_add(errs, ip, "must be an integer");
                else
                    sw_verrs_add(errs, ip, "must be a string");
                continue;
            }
            if (f->type == SW_J_STRINGS)
                check_string(f, json_string_value(item), json_string_length(item), 1, 256, ip,
                             errs);
            for (j = 0; j < i; j++) {
                if (json_equal(json_array_get(v, j), item)) {
                    sw_verrs_add(errs, ip, "repeats item %zu", j);
                    break;
                }
            }
        }
        return;
    }
wrong_type:
    wrong_type(f->type, pointer, errs);
}

size_t sw_json_check(const json_t *obj, const struct sw_jfield *spec, int partial,
                     const char *prefix, struct sw_verrs *errs)
{
    size_t before = sw_verrs_count(errs);
    const struct sw_jfield *f;
    const char *key;
    json_t *v;
    char pointer[512];

    /* Unknown members first, in the order the client sent them (jansson keeps it). */
    json_object_foreach((json_t *)obj, key, v) {
        int known = 0;

        for (f = spec; f->name != NULL; f++)
            if (strcmp(f->name, key) == 0)
                known = 1;
        if (!known) {
            snprintf(pointer, sizeof(pointer), "%s/%.200s", prefix, key);
            sw_verrs_add(errs, pointer, "unknown field");
        }
    }
    for (f = spec; f->name != NULL; f++) {
        snprintf(pointer, sizeof(pointer), "%s/%s", prefix, f->name);
        v = json_object_get(obj, f->name);
        if (v == NULL) {
            if (!partial && (f->flags & SW_JF_REQUIRED))
                sw_verrs_add(errs, pointer, "is required");
            continue;
        }
        if (json_is_null(v)) {
            if (!partial && (f->flags & SW_JF_REQUIRED))
                sw_verrs_add(errs, pointer, "is required and may not be null");
            else if (f->flags & SW_JF_REQUIRED)
                sw_verrs_add(errs, pointer, "may not be null");
            continue;
        }
        check_field(f, v, pointer, errs);
    }
    return sw_verrs_count(errs) - before;
}

char *sw_json_dumps(const json_t *v)
{
    /* 15 significant digits: a score stored as 0.923 reads 0.923, not jansson's default
     * round-trip form 0.92300000000000004. */
    return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
}
