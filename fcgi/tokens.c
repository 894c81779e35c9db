/* tokens.c — bearer tokens: an admin makes them for any account; a person makes and revokes
 * their own, for scripts (create shows the secret once, with an optional expiry; list and get
 * show when each was last used; revoke). */
#include <string.h>

#include "seawall/auth.h"
#include "seawall/date.h"
#include "seawall/store.h"
#include "api.h"

static const char *const roles[] = { "exporter", "triager", "expert", "station", "association",
                                     "admin", NULL };

static const struct sw_jfield token_fields[] = {
    { "role", SW_J_STRING, 0, 1, 16, roles },
    { "subject", SW_J_INT, 0, 0, INT64_MAX, NULL },
    { "label", SW_J_STRING, 0, 0, 120, NULL },
    { "expires_at", SW_J_STRING, 0, 1, 40, NULL },
    { "expires_in_s", SW_J_INT, 0, 1, 315360000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* The expiry the body asks for (expires_at, or expires_in_s from now) in ms, 0 for none;
 * answers 400 naming the member and returns SW_INVALID when it cannot be used. */
static int expiry(struct sw_ctx *c, const json_t *in, int64_t *ms)
{
    const char *at = json_string_value(json_object_get(in, "expires_at"));
    const json_t *in_s = json_object_get(in, "expires_in_s");
    const char *ptr = NULL, *msg = NULL;

    *ms = 0;
    if (at != NULL && in_s != NULL) {
        ptr = "/expires_in_s";
        msg = "give expires_at or expires_in_s, not both";
    } else if (at != NULL && sw_date_ms(at, ms) != SW_OK) {
        ptr = "/expires_at";
        msg = "must be a date-time (ISO 8601, e.g. 2027-06-30T00:00:00Z)";
    } else if (at != NULL && *ms <= sw_now_ms()) {
        ptr = "/expires_at";
        msg = "must be in the future";
    } else if (in_s != NULL) {
        *ms = sw_now_ms() + json_integer_value(in_s) * 1000;
    }
    if (ptr == NULL)
        return SW_OK;
    sw_reply_problem(c, 400, "validation", "Invalid request",
                     json_pack("[{s:s, s:s}]", "pointer", ptr, "message", msg), "%s: %s", ptr + 1,
                     msg);
    return SW_INVALID;
}

void sw_h_tokens_create(struct sw_ctx *c)
{
    char err[256], loc[128];
    enum sw_role role;
    json_t *in, *out;
    int64_t expires;
    int rc;

    const json_t *jrole, *jsubject;
    long long subject, person = 0;

    if (sw_body_object(c, token_fields, 0, &in) != SW_OK)
        return;
    if (expiry(c, in, &expires) != SW_OK) {
        json_decref(in);
        return;
    }
    jrole = json_object_get(in, "role");
    jsubject = json_object_get(in, "subject");
    if (c->who.role == SW_ROLE_ADMIN && jrole != NULL) {
        /* An admin's token for any account. */
        sw_role_parse(json_string_value(jrole), &role);
        if (jsubject == NULL) {
            json_t *errors = json_pack("[{s:s, s:s}]", "pointer", "/subject", "message",
                                       "is required with role");

            json_decref(in);
            sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                             "subject is required with role");
            return;
        }
        subject = json_integer_value(jsubject);
    } else {
        /* A person's token for themselves. */
        if (sw_need_person(c) != SW_OK) {
            json_decref(in);
            return;
        }
        if ((jrole != NULL && strcmp(json_string_value(jrole), sw_role_name(c->who.role))) ||
            (jsubject != NULL && json_integer_value(jsubject) != c->who.subject)) {
            json_decref(in);
            sw_reply_problem(c, 403, "forbidden", "Forbidden", NULL,
                             "a person makes tokens for their own account only (send a label "
                             "alone)");
            return;
        }
        role = c->who.role;
        subject = c->who.subject;
        person = c->who.person;
    }
    rc = sw_auth_token_create(c->store, role, subject, person,
                              json_string_value(json_object_get(in, "label")) ?: "", expires, &out,
                              err, sizeof(err));
    json_decref(in);
    if (rc == SW_OK && person > 0)
        sw_people_audit(c, person, "token-created", json_string_value(json_object_get(out, "id")));
    if (rc == SW_INVALID) {
        json_t *errors = json_pack("[{s:s, s:s}]", "pointer", "/subject", "message", err);

        sw_reply_problem(c, 400, "validation", "Invalid request", errors, "%s", err);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "creating a token");
        return;
    }
    snprintf(loc, sizeof(loc), "/api/v1/tokens/%s", json_string_value(json_object_get(out, "id")));
    sw_reply_header(c, "Location", loc);
    sw_reply_header(c, "Cache-Control", "no-store");
    sw_reply_json(c, 201, out);
}

void sw_h_tokens_list(struct sw_ctx *c)
{
    long long after, next;
    json_t *items;
    int limit, rc;

    if (sw_page_args(c, &after, &limit) != SW_OK)
        return;
    if (c->who.role != SW_ROLE_ADMIN) {
        if (sw_need_person(c) != SW_OK)
            return;
        rc = sw_auth_token_list_person(c->store, c->who.person, limit, &items);
        if (rc != SW_OK) {
            sw_reply_store(c, rc, "listing tokens");
            return;
        }
        sw_reply_json(c, 200, sw_page_json(items, 0));
        return;
    }
    rc = sw_auth_token_list(c->store, after, limit, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing tokens");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

/* Token ids are 16 lower-case hex digits; anything else cannot exist. */
static int token_id_ok(const char *id)
{
    size_t i;

    if (id == NULL || strlen(id) != SW_TOKEN_ID_LEN)
        return 0;
    for (i = 0; i < SW_TOKEN_ID_LEN; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
            return 0;
    return 1;
}

/* Loads token id if the caller may see it: an admin any, a person their own. */
static int token_visible(struct sw_ctx *c, const char *id, json_t **out)
{
    int rc;

    if (!token_id_ok(id))
        return SW_NOTFOUND;
    rc = sw_auth_token_get(c->store, id, out);
    if (rc == SW_OK && c->who.role != SW_ROLE_ADMIN &&
        (c->who.person == 0 ||
         json_integer_value(json_object_get(*out, "person")) != c->who.person)) {
        json_decref(*out);
        rc = SW_NOTFOUND;
    }
    return rc;
}

void sw_h_tokens_get(struct sw_ctx *c)
{
    json_t *out;
    int rc = token_visible(c, sw_param(c, "id"), &out);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading a token");
        return;
    }
    sw_reply_json(c, 200, out);
}

void sw_h_tokens_revoke(struct sw_ctx *c)
{
    const char *id = sw_param(c, "id");
    json_t *out;
    int rc = token_visible(c, id, &out);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "revoking a token");
        return;
    }
    json_decref(out);
    rc = sw_auth_token_revoke(c->store, id, &out);
    if (rc == SW_OK && c->who.person > 0)
        sw_people_audit(c, c->who.person, "token-revoked", id);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "revoking a token");
        return;
    }
    sw_reply_json(c, 200, out);
}
