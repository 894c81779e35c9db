/* register.c — the register through the API: a mark record by office and number
 * (GET /api/v1/register/marks/{office}/{number}), a party with its cases
 * (GET /api/v1/parties/{id}), and an exporter's followed records (/api/v1/follows). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/config.h"
#include "seawall/country.h"
#include "seawall/follows.h"
#include "seawall/register.h"
#include "seawall/store.h"
#include "api.h"

#define PARTY_CASES_MAX 200   /* cases one party's answer lists (cases_total says how many) */
#define PARTY_MARKS_MAX 100

/* 1 when office names a trademark office: a country, EM (EUIPO), WO (WIPO) or BX (Benelux). */
static int office_known(const char *office)
{
    return sw_register_office_valid(office) &&
           (sw_country_valid(office) || strcmp(office, "EM") == 0 || strcmp(office, "WO") == 0 ||
            strcmp(office, "BX") == 0);
}

/* Checks office and number (where is "parameter" or "pointer" naming them); adds problems. */
static void check_mark_ref(const char *office, const char *number, struct sw_verrs *errs,
                           const char *office_at, const char *number_at)
{
    if (office == NULL || !office_known(office))
        sw_verrs_add(errs, office_at, "must be a trademark office: a country code such as US or "
                     "CN, EM (EUIPO) or WO (WIPO), in upper case");
    if (number == NULL || !sw_register_number_valid(number))
        sw_verrs_add(errs, number_at, "must be the application or registration number as the "
                     "office writes it: 1 to %d letters and digits, no spaces or punctuation",
                     SW_REG_NUMBER_MAX);
}

void sw_h_register_mark(struct sw_ctx *c)
{
    const char *office = sw_param(c, "office"), *number = sw_param(c, "number");
    struct sw_verrs errs;
    json_t *doc;
    int rc;

    sw_verrs_init(&errs);
    check_mark_ref(office, number, &errs, "office", "number");
    if (sw_reply_params_invalid(c, &errs) != SW_OK)
        return;
    rc = sw_register_mark_get(c->store, office, number, &doc);
    if (rc == SW_NOTFOUND) {
        sw_reply_state_dependent(c);
        sw_reply_problem(c, 404, "not-found", "Not found", NULL,
                         "The register holds no mark %s %s (yet): it learns of marks from the "
                         "offices' feeds and imported back-files", office, number);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "register mark");
        return;
    }
    json_object_del(doc, "status_date");
    json_object_del(doc, "seen");
    sw_reply_state_dependent(c);
    sw_reply_json(c, 200, doc);
}

void sw_h_party_get(struct sw_ctx *c)
{
    long long id;
    json_t *doc;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_register_party_get(c->store, id, PARTY_CASES_MAX, PARTY_MARKS_MAX, &doc);
    if (rc == SW_NOTFOUND) {
        sw_reply_not_found(c);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "party");
        return;
    }
    json_object_set_new(doc, "bulletins", json_array());
    sw_reply_state_dependent(c);
    sw_reply_json(c, 200, doc);
}

/* --- follows --------------------------------------------------------------------------------- */

static const char *const follow_kinds[] = { "mark", "docket", NULL };

static const struct sw_jfield follow_fields[] = {
    { "kind", SW_J_STRING, SW_JF_REQUIRED, 1, 16, follow_kinds },
    { "office", SW_J_STRING, 0, 2, 2, NULL },
    { "number", SW_J_STRING, 0, 1, SW_REG_NUMBER_MAX, NULL },
    { "court", SW_J_STRING, 0, 1, 64, NULL },
    { "docket", SW_J_STRING, 0, 1, 64, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* The follow with its record (a mark's record, or null when the register has none yet; a
 * docket's is always null). Steals f. */
static json_t *with_record(struct sw_ctx *c, json_t *f)
{
    json_t *rec = NULL;
    const char *kind = json_string_value(json_object_get(f, "kind")) ?: "";

    if (strcmp(kind, "mark") == 0 &&
        sw_register_mark_get(c->store, json_string_value(json_object_get(f, "office")),
                             json_string_value(json_object_get(f, "number")), &rec) == SW_OK) {
        json_object_del(rec, "status_date");
        json_object_del(rec, "seen");
        json_object_del(rec, "history");
    }
    json_object_set_new(f, "record", rec ? rec : json_null());
    return f;
}

void sw_h_follows_create(struct sw_ctx *c)
{
    struct sw_verrs errs;
    json_t *in, *out = NULL;
    const char *kind;
    long long max = sw_config_int(c->cfg, "follows.max");
    int created = 0, rc;

    if (sw_body_parse(c, &in) != SW_OK)
        return;
    sw_verrs_init(&errs);
    sw_json_check(in, follow_fields, 0, "", &errs);
    kind = json_string_value(json_object_get(in, "kind"));
    if (sw_verrs_count(&errs) == 0 && strcmp(kind, "mark") == 0) {
        check_mark_ref(json_string_value(json_object_get(in, "office")),
                       json_string_value(json_object_get(in, "number")), &errs, "/office",
                       "/number");
        if (json_object_get(in, "court") || json_object_get(in, "docket"))
            sw_verrs_add(&errs, json_object_get(in, "court") ? "/court" : "/docket",
                         "belongs to a docket: a mark is followed by office and number");
    } else if (sw_verrs_count(&errs) == 0) {
        char d[128];

        sw_register_docket_norm(json_string_value(json_object_get(in, "docket")), d, sizeof(d));
        if (d[0] == '\0')
            sw_verrs_add(&errs, "/docket", "is required: the docket number as the court writes "
                         "it, such as 1:24-cv-01234");
        if (json_object_get(in, "office") || json_object_get(in, "number"))
            sw_verrs_add(&errs, json_object_get(in, "office") ? "/office" : "/number",
                         "belongs to a mark: a docket is followed by docket and court");
    }
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(in);
        return;
    }
    rc = sw_follow_add(c->store, c->who.subject, in, max, &out, &created);
    json_decref(in);
    sw_reply_state_dependent(c);
    if (rc == SW_TOOBIG) {
        sw_reply_problem(c, 409, "follows-full", "Too many followed records", NULL,
                         "Your company follows %lld records, the most it may; stop following "
                         "one (DELETE /api/v1/follows/{id}) before following another", max);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "follow");
        return;
    }
    if (created) {
        char loc[64];

        snprintf(loc, sizeof(loc), "/api/v1/follows/%lld",
                 (long long)json_integer_value(json_object_get(out, "id")));
        sw_reply_header(c, "Location", loc);
    }
    sw_reply_json(c, created ? 201 : 200, with_record(c, out));
}

void sw_h_follows_list(struct sw_ctx *c)
{
    json_t *list, *f;
    size_t i;
    int rc = sw_follow_list(c->store, c->who.subject, &list);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "follows");
        return;
    }
    json_array_foreach(list, i, f)
        with_record(c, f);
    sw_reply_state_dependent(c);
    sw_reply_json(c, 200, json_pack("{s:o, s:n}", "items", list, "next"));
}

void sw_h_follows_get(struct sw_ctx *c)
{
    long long id;
    json_t *f;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_follow_get(c->store, c->who.subject, id, &f);
    if (rc == SW_NOTFOUND) {
        sw_reply_not_found(c);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "follow");
        return;
    }
    sw_reply_state_dependent(c);
    sw_reply_json(c, 200, with_record(c, f));
}

void sw_h_follows_delete(struct sw_ctx *c)
{
    long long id;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_follow_delete(c->store, c->who.subject, id);
    if (rc == SW_NOTFOUND) {
        sw_reply_not_found(c);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "follow");
        return;
    }
    sw_reply_state_dependent(c);
    c->resp->status = 204;
}
