/* templates.c — a centre's reply templates over HTTP (GET/POST/PATCH/DELETE /templates): each
 * a name and its text in zh-CN and en, placeholders checked (an unknown one is refused). A
 * reply made from one is rendered by POST /cases/{id}/messages (cases.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/date.h"
#include "seawall/i18n.h"
#include "seawall/templates.h"
#include "api.h"

static const struct sw_jfield template_fields[] = {
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 100, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* Checks texts: {"zh-CN": …, "en": …}, each 1 to 20000 bytes with known placeholders (both
 * required unless partial). Adds to errs. */
static void check_texts(const json_t *texts, int partial, struct sw_verrs *errs)
{
    static const char *const langs[] = { "zh-CN", "en" };
    const char *k;
    json_t *v;
    char bad[64], ptr[40];
    size_t i;

    if (texts == NULL && partial)
        return;
    if (!json_is_object(texts)) {
        sw_verrs_add(errs, "/texts", "must be an object with the text in zh-CN and en");
        return;
    }
    json_object_foreach((json_t *)texts, k, v) {
        snprintf(ptr, sizeof(ptr), "/texts/%.30s", k);
        if (strcmp(k, "zh-CN") != 0 && strcmp(k, "en") != 0) {
            sw_verrs_add(errs, ptr, "a template is written in zh-CN and en");
            continue;
        }
        if (!json_is_string(v) || json_string_length(v) < 1 || json_string_length(v) > 20000) {
            sw_verrs_add(errs, ptr, "must be text of 1 to 20000 bytes");
            continue;
        }
        if (sw_template_check(json_string_value(v), bad, sizeof(bad)) != SW_OK) {
            if (bad[0] == '\0')
                sw_verrs_add(errs, ptr, "a brace is left open or alone (write {{ or }} for a "
                             "brace)");
            else
                sw_verrs_add(errs, ptr, "unknown placeholder {%s}; known: {exporter}, {case}, "
                             "{deadline}, {rule}, {opposing_party}, {country}, {forum}, "
                             "{expert}", bad);
        }
    }
    for (i = 0; !partial && i < SW_ARRAY_LEN(langs); i++)
        if (json_object_get(texts, langs[i]) == NULL) {
            snprintf(ptr, sizeof(ptr), "/texts/%s", langs[i]);
            sw_verrs_add(errs, ptr, "is required");
        }
}

/* Reads and checks a template body; answers 400 and returns NULL when it is wrong. */
static json_t *read_template(struct sw_ctx *c, int partial)
{
    struct sw_verrs errs;
    json_t *in, *shape;

    if (sw_body_parse(c, &in) != SW_OK)
        return NULL;
    sw_verrs_init(&errs);
    shape = json_copy(in);
    json_object_del(shape, "texts");
    sw_json_check(shape, template_fields, partial, "", &errs);
    json_decref(shape);
    check_texts(json_object_get(in, "texts"), partial, &errs);
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        return NULL;
    }
    return in;
}

static long long template_id(struct sw_ctx *c)
{
    long long id;

    return sw_parse_ll(sw_param(c, "id"), 1, INT64_MAX, &id) == SW_OK ? id : 0;
}

void sw_h_templates_list(struct sw_ctx *c)
{
    json_t *items;
    int rc = sw_template_list(c->store, c->who.centre, &items);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing templates");
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:o, s:[s, s, s, s, s, s, s, s]}", "items", items,
                                    "placeholders", "exporter", "case", "deadline", "rule",
                                    "opposing_party", "country", "forum", "expert"));
}

void sw_h_templates_create(struct sw_ctx *c)
{
    json_t *in = read_template(c, 0), *doc;
    char when[32], loc[64];
    long long id;
    int rc;

    if (in == NULL)
        return;
    rc = sw_template_new_id(c->store, &id);
    doc = json_pack("{s:I, s:O, s:{s:O, s:O}, s:s, s:s, s:{s:s, s:I}}", "id", (json_int_t)id,
                    "name", json_object_get(in, "name"), "texts", "zh-CN",
                    json_object_get(json_object_get(in, "texts"), "zh-CN"), "en",
                    json_object_get(json_object_get(in, "texts"), "en"), "created_at",
                    sw_iso8601(sw_cases_now(c), when, sizeof(when)), "updated_at", when, "by",
                    "role", sw_role_name(c->who.role), "id", (json_int_t)c->who.subject);
    json_decref(in);
    if (rc == SW_OK)
        rc = doc != NULL ? sw_template_put(c->store, c->who.centre, id, doc) : SW_ERR;
    if (rc == SW_TOOBIG)
        sw_reply_problem(c, 409, "too-many-templates", "Too many templates", NULL,
                         "a centre keeps at most %d templates", SW_TEMPLATES_MAX);
    else if (rc != SW_OK)
        sw_reply_store(c, rc, "storing the template");
    else {
        snprintf(loc, sizeof(loc), "/api/v1/templates/%lld", id);
        sw_reply_header(c, "Location", loc);
        sw_reply_json(c, 201, doc);
        doc = NULL;
    }
    json_decref(doc);
}

void sw_h_templates_patch(struct sw_ctx *c)
{
    long long id = template_id(c);
    json_t *in, *doc = NULL;
    const char *k;
    json_t *v;
    char when[32];
    int rc;

    if (id == 0) {
        sw_reply_not_found(c);
        return;
    }
    if ((in = read_template(c, 1)) == NULL)
        return;
    rc = sw_template_get(c->store, c->who.centre, id, &doc);
    if (rc == SW_OK) {
        if (json_object_get(in, "name") != NULL)
            json_object_set(doc, "name", json_object_get(in, "name"));
        json_object_foreach(json_object_get(in, "texts"), k, v)
            json_object_set(json_object_get(doc, "texts"), k, v);
        json_object_set_new(doc, "updated_at", json_string(sw_iso8601(sw_cases_now(c), when,
                                                                      sizeof(when))));
        rc = sw_template_put(c->store, c->who.centre, id, doc);
    }
    json_decref(in);
    if (rc != SW_OK)
        sw_reply_store(c, rc, "changing the template");
    else {
        sw_reply_json(c, 200, doc);
        doc = NULL;
    }
    json_decref(doc);
}

void sw_h_templates_delete(struct sw_ctx *c)
{
    long long id = template_id(c);
    int rc = id > 0 ? sw_template_delete(c->store, c->who.centre, id) : SW_NOTFOUND;

    if (rc != SW_OK)
        sw_reply_store(c, rc, "deleting the template");
    else
        sw_reply_json(c, 200, json_pack("{s:I}", "deleted", (json_int_t)id));
}
