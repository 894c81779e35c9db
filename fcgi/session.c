/* session.c — signing in and out, the session itself, a person's sessions and audit log. */
#include <stdio.h>
#include <string.h>

#include "seawall/cases.h"
#include "seawall/config.h"
#include "seawall/people.h"
#include "seawall/session.h"
#include "seawall/store.h"
#include "api.h"

int64_t sw_people_now(struct sw_ctx *c)
{
    return sw_case_now(c->store, (int)sw_config_int(c->cfg, "cases.test_clock"));
}

void sw_session_limits_of(const struct sw_ctx *c, struct sw_session_limits *lim)
{
    lim->idle_ms = sw_config_int(c->cfg, "people.session_idle_s") * 1000;
    lim->absolute_ms = sw_config_int(c->cfg, "people.session_absolute_s") * 1000;
}

void sw_portal_origin(const struct sw_ctx *c, char *out, size_t outlen)
{
    const char *o = sw_config_str(c->cfg, "portal.origin");

    if (o[0] != '\0')
        snprintf(out, outlen, "%s", o);
    else
        snprintf(out, outlen, "%s://%.200s", c->req->https ? "https" : "http",
                 c->req->host != NULL ? c->req->host : "");
}

void sw_people_audit(struct sw_ctx *c, long long person, const char *event, const char *detail)
{
    sw_audit(c->store, person, sw_config_int(c->cfg, "people.audit_max"), event,
             c->req->remote_addr, c->req->user_agent, detail);
}

int sw_need_person(struct sw_ctx *c)
{
    if (c->who.person > 0)
        return SW_OK;
    sw_reply_problem(c, 403, "person-required", "Forbidden", NULL,
                     "%s %s is about a person's own account: use a session (sign in) or a "
                     "token a person made, not a bare %s token", c->route->method,
                     c->route->pattern, sw_role_name(c->who.role));
    return SW_INVALID;
}

/* The answer about a session: the person, the CSRF token, when it ends. Steals person. */
static json_t *session_json(json_t *person, const char *csrf, int64_t expires_ms, int limited)
{
    char when[32];

    return json_pack("{s:o, s:s, s:s, s:b}", "person", person, "csrf_token", csrf,
                     "expires_at", sw_iso8601(expires_ms, when, sizeof(when)),
                     "totp_setup_required", limited);
}

void sw_session_start_reply(struct sw_ctx *c, const json_t *person, int limited,
                            const char *how)
{
    struct sw_session_limits lim;
    struct sw_session ss;
    char id[SW_SESSION_ID_LEN + 1], cookie[160];
    int rc;

    sw_session_limits_of(c, &lim);
    rc = sw_session_create(c->store, person, c->req->remote_addr, c->req->user_agent, limited,
                           sw_people_now(c), &lim, id, &ss);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "starting a session");
        return;
    }
    snprintf(cookie, sizeof(cookie), SW_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
             id, c->req->https ? "; Secure" : "");
    sw_reply_header(c, "Set-Cookie", cookie);
    sw_reply_header(c, "Cache-Control", "no-store");
    sw_people_audit(c, ss.person, "sign-in", how);
    sw_reply_json(c, 200, session_json(sw_person_public(person), ss.csrf, ss.expires_ms,
                                       limited));
}

static const struct sw_jfield signin_fields[] = {
    { "email", SW_J_STRING, SW_JF_REQUIRED, 1, 254, NULL },
    { "password", SW_J_STRING, SW_JF_REQUIRED, 1, SW_PW_MAX, NULL },
    { "totp", SW_J_STRING, 0, 1, 16, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static void signin_failed(struct sw_ctx *c)
{
    sw_reply_problem(c, 401, "sign-in-failed", "Sign-in failed", NULL,
                     "the email address or the password is wrong");
}

void sw_h_session_create(struct sw_ctx *c)
{
    struct sw_pwparams pw;
    struct sw_throttle th;
    const char *email, *password, *code, *stored = NULL;
    json_t *in, *person = NULL;
    long long id = 0, retry_s = 0, step;
    int rc, ok;

    if (sw_body_object(c, signin_fields, 0, &in) != SW_OK)
        return;
    email = json_string_value(json_object_get(in, "email"));
    password = json_string_value(json_object_get(in, "password"));
    code = json_string_value(json_object_get(in, "totp"));
    sw_pwparams_from(c->cfg, &pw);
    sw_throttle_from(c->cfg, &th);
    rc = sw_throttle_check(c->store, &th, email, c->req->remote_addr, &retry_s);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "sign-in throttle");
        goto out;
    }
    if (retry_s > 0) {
        char after[24];

        snprintf(after, sizeof(after), "%lld", retry_s);
        sw_reply_header(c, "Retry-After", after);
        sw_reply_problem(c, 429, "sign-in-throttled", "Too many failed sign-ins", NULL,
                         "too many failed sign-ins for this account or from this address; try "
                         "again in %lld seconds", retry_s);
        goto out;
    }
    rc = sw_person_by_email(c->store, email, &id);
    if (rc == SW_OK)
        rc = sw_person_get(c->store, id, &person);
    if (rc == SW_EAGAIN) {
        sw_reply_store(c, rc, "sign-in");
        goto out;
    }
    if (person != NULL)
        stored = json_string_value(json_object_get(person, "pwhash"));
    /* An unknown account, or one without a password yet, is checked against a dummy hash:
     * the answer and its time are those of a wrong password. */
    ok = sw_password_verify(&pw, stored, password);
    if (!ok) {
        sw_throttle_fail(c->store, &th, email, c->req->remote_addr);
        if (person != NULL)
            sw_people_audit(c, id, "sign-in-failed", "wrong password");
        signin_failed(c);
        goto out;
    }
    if (json_is_true(json_object_get(person, "totp_enabled"))) {
        if (code == NULL) {
            sw_reply_problem(c, 401, "totp-required", "Second factor required", NULL,
                             "this account needs the 6-digit code from its authenticator app "
                             "(member totp)");
            goto out;
        }
        rc = sw_totp_check(json_string_value(json_object_get(person, "totp_secret")), code,
                           sw_now_ms(), &step);
        if (rc == SW_OK)
            rc = sw_totp_use(c->store, id, step);
        if (rc == SW_EAGAIN) {
            sw_reply_store(c, rc, "sign-in");
            goto out;
        }
        if (rc != SW_OK) {
            sw_throttle_fail(c->store, &th, email, c->req->remote_addr);
            sw_people_audit(c, id, "sign-in-failed",
                            rc == SW_CONFLICT ? "second-factor code used before"
                                              : "wrong second-factor code");
            sw_reply_problem(c, 401, "totp-required", "Second factor required", NULL,
                             "the code is wrong or was used already; send the current one");
            goto out;
        }
    }
    if (sw_password_needs_rehash(&pw, stored)) {
        char h[SW_PWHASH_MAX];

        if (sw_password_hash(&pw, password, h) == SW_OK) {
            json_t *patch = json_pack("{s:s}", "pwhash", h);

            sw_person_update(c->store, id, patch, NULL);
            json_decref(patch);
        }
    }
    sw_throttle_clear(c->store, email);
    if (sw_person_seen(c->store, id, c->req->remote_addr, c->req->user_agent)) {
        char detail[400];

        snprintf(detail, sizeof(detail), "%.60s, %.300s", c->req->remote_addr ?: "?",
                 c->req->user_agent ?: "?");
        sw_people_mail(c, json_string_value(json_object_get(person, "email")),
                       json_string_value(json_object_get(person, "lang")), SW_MAIL_SIGNIN, NULL,
                       detail);
    }
    sw_session_start_reply(c, person,
                           strcmp(json_string_value(json_object_get(person, "role")) ?: "",
                                  "admin") == 0 &&
                               !json_is_true(json_object_get(person, "totp_enabled")),
                           json_is_true(json_object_get(person, "totp_enabled"))
                               ? "password and second factor" : "password");
out:
    json_decref(person);
    json_decref(in);
}

static int need_session(struct sw_ctx *c)
{
    if (c->who.via_session)
        return SW_OK;
    sw_reply_problem(c, 400, "no-session", "No session", NULL,
                     "this request carried a bearer token, not the session cookie");
    return SW_INVALID;
}

void sw_h_session_get(struct sw_ctx *c)
{
    json_t *person;
    int rc;

    if (need_session(c) != SW_OK)
        return;
    rc = sw_person_get(c->store, c->who.person, &person);
    if (rc != SW_OK) {
        sw_reply_store(c, rc == SW_NOTFOUND ? SW_ERR : rc, "loading the person");
        return;
    }
    sw_reply_header(c, "Cache-Control", "no-store");
    sw_reply_json(c, 200, session_json(sw_person_public(person), c->csrf,
                                       c->session_expires_ms, c->who.limited));
    json_decref(person);
}

void sw_h_session_delete(struct sw_ctx *c)
{
    int rc;

    if (need_session(c) != SW_OK)
        return;
    rc = sw_session_end(c->store, c->who.person, c->who.session);
    if (rc == SW_EAGAIN) {
        sw_reply_store(c, rc, "ending the session");
        return;
    }
    sw_people_audit(c, c->who.person, "sign-out", NULL);
    sw_reply_header(c, "Set-Cookie", c->req->https
                    ? SW_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure"
                    : SW_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    c->resp->status = 204;
}

void sw_h_me_sessions(struct sw_ctx *c)
{
    struct sw_session_limits lim;
    json_t *items;
    int rc;

    if (sw_need_person(c) != SW_OK)
        return;
    sw_session_limits_of(c, &lim);
    rc = sw_session_list(c->store, c->who.person, c->who.via_session ? c->who.session : NULL,
                         sw_people_now(c), &lim, &items);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing sessions");
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:o}", "items", items));
}

void sw_h_me_sessions_delete(struct sw_ctx *c)
{
    char key[65];
    int rc;

    if (sw_need_person(c) != SW_OK)
        return;
    rc = sw_session_find(c->store, c->who.person, sw_param(c, "id"), key);
    if (rc == SW_OK)
        rc = sw_session_end(c->store, c->who.person, key);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "ending a session");
        return;
    }
    sw_people_audit(c, c->who.person, "session-ended", sw_param(c, "id"));
    if (c->who.via_session && strcmp(key, c->who.session) == 0)
        sw_reply_header(c, "Set-Cookie", c->req->https
                        ? SW_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; "
                          "Secure"
                        : SW_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    c->resp->status = 204;
}

void sw_h_me_audit(struct sw_ctx *c)
{
    long long after, next;
    json_t *items;
    int limit, rc;

    if (sw_need_person(c) != SW_OK || sw_page_args(c, &after, &limit) != SW_OK)
        return;
    rc = sw_audit_list(c->store, c->who.person, after, limit, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading the audit log");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}
