/* templates.c — reply templates: placeholders checked and filled, and their store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/buf.h"
#include "seawall/keys.h"
#include "seawall/json.h"
#include "seawall/store.h"
#include "seawall/templates.h"

const char *const sw_template_placeholders[] = { "exporter", "case", "deadline", "rule",
                                                 "opposing_party", "country", "forum",
                                                 "expert", NULL };

/* The placeholder named by the n bytes at p, or NULL. */
static const char *known(const char *p, size_t n)
{
    size_t i;

    for (i = 0; sw_template_placeholders[i] != NULL; i++)
        if (strlen(sw_template_placeholders[i]) == n &&
            strncmp(sw_template_placeholders[i], p, n) == 0)
            return sw_template_placeholders[i];
    return NULL;
}

int sw_template_check(const char *text, char *bad, size_t badlen)
{
    const char *p = text;

    while (*p != '\0') {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p += 2;
        } else if (*p == '{') {
            const char *close = strchr(p + 1, '}');
            const char *open = strchr(p + 1, '{');

            if (close == NULL || (open != NULL && open < close)) {
                snprintf(bad, badlen, "%s", "");
                return SW_INVALID;
            }
            if (known(p + 1, (size_t)(close - p - 1)) == NULL) {
                snprintf(bad, badlen, "%.*s", (int)(close - p - 1 > 60 ? 60 : close - p - 1),
                         p + 1);
                return SW_INVALID;
            }
            p = close + 1;
        } else if (*p == '}') {
            snprintf(bad, badlen, "%s", "");
            return SW_INVALID;
        } else {
            p++;
        }
    }
    return SW_OK;
}

int sw_template_render(const char *text, const json_t *vals, const char *none,
                       struct sw_buf *out)
{
    const char *p = text;
    int rc = SW_OK;

    sw_buf_reset(out);
    while (*p != '\0' && rc == SW_OK) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            rc = sw_buf_add(out, p, 1);
            p += 2;
        } else if (*p == '{' && strchr(p, '}') != NULL) {
            const char *close = strchr(p, '}');
            const char *name = known(p + 1, (size_t)(close - p - 1));
            const char *v = name ? json_string_value(json_object_get(vals, name)) : NULL;

            rc = sw_buf_adds(out, v != NULL ? v : none != NULL ? none : "");
            p = close + 1;
        } else {
            const char *next = p + 1;

            while (*next != '\0' && *next != '{' && *next != '}')
                next++;
            rc = sw_buf_add(out, p, (size_t)(next - p));
            p = next;
        }
    }
    return rc == SW_OK ? SW_OK : SW_TOOBIG;
}

static void tkey(char *out, size_t len, long long centre)
{
    snprintf(out, len, "%s", swk_templates(centre).s);
}

int sw_template_new_id(struct sw_store *s, long long *id)
{
    return sw_store_incr(s, swk_template_seq().s, id);
}

/* Sets the template unless the centre has SW_TEMPLATES_MAX others: 1 set, -1 full. */
static const char put_lua[] =
    "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and "
    "   redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end "
    "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1";

int sw_template_put(struct sw_store *s, long long centre, long long id, const json_t *doc)
{
    char key[SW_KEY_BYTES], idt[24], cap[16], *text = sw_json_dumps(doc);
    const char *keys[1] = { key }, *args[3] = { idt, text, cap };
    long long n;
    int rc;

    if (text == NULL)
        return SW_ERR;
    tkey(key, sizeof(key), centre);
    snprintf(idt, sizeof(idt), "%lld", id);
    snprintf(cap, sizeof(cap), "%d", SW_TEMPLATES_MAX);
    args[1] = text;
    rc = sw_store_eval_int(s, put_lua, 1, keys, 3, args, &n);
    free(text);
    if (rc != SW_OK)
        return SW_EAGAIN;
    return n < 0 ? SW_TOOBIG : SW_OK;
}

int sw_template_get(struct sw_store *s, long long centre, long long id, json_t **out)
{
    char key[SW_KEY_BYTES], idt[24];
    redisReply *r;

    tkey(key, sizeof(key), centre);
    snprintf(idt, sizeof(idt), "%lld", id);
    r = sw_store_cmd(s, "HGET", key, idt, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *out = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return *out != NULL ? SW_OK : SW_NOTFOUND;
}

static int by_id(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(const json_t *const *)a, "id"));
    json_int_t y = json_integer_value(json_object_get(*(const json_t *const *)b, "id"));

    return x < y ? -1 : x > y;
}

int sw_template_list(struct sw_store *s, long long centre, json_t **out)
{
    char key[SW_KEY_BYTES];
    redisReply *r;
    json_t **v;
    size_t i, n = 0;

    tkey(key, sizeof(key), centre);
    r = sw_store_cmd(s, "HVALS", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    v = calloc(r->elements + 1, sizeof(*v));
    for (i = 0; v != NULL && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
        if ((v[n] = json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL)) != NULL)
            n++;
    freeReplyObject(r);
    if (v == NULL)
        return SW_ERR;
    qsort(v, n, sizeof(*v), by_id);
    *out = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(*out, v[i]);
    free(v);
    return SW_OK;
}

int sw_template_delete(struct sw_store *s, long long centre, long long id)
{
    char key[SW_KEY_BYTES], idt[24];
    redisReply *r;
    long long n;

    tkey(key, sizeof(key), centre);
    snprintf(idt, sizeof(idt), "%lld", id);
    r = sw_store_cmd(s, "HDEL", key, idt, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    n = sw_reply_int(r, 0);
    freeReplyObject(r);
    return n > 0 ? SW_OK : SW_NOTFOUND;
}
