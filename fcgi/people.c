/* people.c — a person's own account (profile, password, second factor, API tokens are in
 * tokens.c), signing up, password reset and invitations, and the account mail they send. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
#include "seawall/config.h"
#include "seawall/delivery.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/people.h"
#include "seawall/session.h"
#include "seawall/store.h"
#include "api.h"

/* --- account mail ------------------------------------------------------------------------ */

void sw_people_mail(struct sw_ctx *c, const char *to, const char *lang, enum sw_mail_kind kind,
                    const char *link, const char *detail)
{
    char subject[300], para[1600], closing[600], reset[400];
    struct sw_buf text, html;
    const char *d = detail != NULL ? detail : "";
    int rc;

    if (to == NULL)
        return;
    if (lang == NULL)
        lang = "en";
    snprintf(reset, sizeof(reset), "%s/reset", sw_config_str(c->cfg, "notifier.public_url"));
    snprintf(closing, sizeof(closing), "%s",
             sw_tr(lang, "If you did not ask for this, you can ignore this mail: nothing "
                         "changes without the link."));
    switch (kind) {
    case SW_MAIL_VERIFY:
        snprintf(subject, sizeof(subject), "%s",
                 sw_tr(lang, "[Seawall] Confirm your email address"));
        snprintf(para, sizeof(para),
                 sw_tr(lang, "Welcome to Seawall. Open the link below to confirm this address "
                             "and finish signing up for %s. The link works once, for 24 hours."), d);
        break;
    case SW_MAIL_SIGNUP_EXISTS:
        snprintf(subject, sizeof(subject), "%s",
                 sw_tr(lang, "[Seawall] Someone tried to sign up with your address"));
        snprintf(para, sizeof(para), "%s",
                 sw_tr(lang, "Someone tried to sign up for Seawall with this address, which "
                             "already has an account. Sign in instead, or reset your password "
                             "if you have forgotten it:"));
        link = reset;
        break;
    case SW_MAIL_RESET:
        snprintf(subject, sizeof(subject), "%s",
                 sw_tr(lang, "[Seawall] Reset your password"));
        snprintf(para, sizeof(para), "%s",
                 sw_tr(lang, "Open the link below to choose a new password. It works once, "
                             "for one hour; signing in with the new password ends every other "
                             "session."));
        break;
    case SW_MAIL_INVITE:
        snprintf(subject, sizeof(subject), "%s",
                 sw_tr(lang, "[Seawall] You are invited to Seawall"));
        snprintf(para, sizeof(para),
                 sw_tr(lang, "%s. Open the link below to accept the invitation and choose your "
                             "password."), d);
        break;
    case SW_MAIL_SIGNIN:
        snprintf(subject, sizeof(subject), "%s",
                 sw_tr(lang, "[Seawall] A new sign-in to your account"));
        snprintf(para, sizeof(para),
                 sw_tr(lang, "Your account was just signed in to from a new place (%s). If this "
                             "was not you, reset your password now:"), d);
        snprintf(closing, sizeof(closing), "%s",
                 sw_tr(lang, "You can see and end your sessions under Account in the portal."));
        link = reset;
        break;
    case SW_MAIL_PASSWORD:
        snprintf(subject, sizeof(subject), "%s",
                 sw_tr(lang, "[Seawall] Your password was changed"));
        snprintf(para, sizeof(para), "%s",
                 sw_tr(lang, "The password of your Seawall account was changed and your other "
                             "sessions were ended. If this was not you, reset it now:"));
        snprintf(closing, sizeof(closing), "%s",
                 sw_tr(lang, "You can see and end your sessions under Account in the portal."));
        link = reset;
        break;
    case SW_MAIL_TOTP:
    default:
        snprintf(subject, sizeof(subject), "%s",
                 sw_tr(lang, "[Seawall] Your second factor was changed"));
        snprintf(para, sizeof(para),
                 sw_tr(lang, "The second factor (authenticator app) of your Seawall account "
                             "was %s. If this was not you, reset your password now:"), d);
        snprintf(closing, sizeof(closing), "%s",
                 sw_tr(lang, "You can see and end your sessions under Account in the portal."));
        link = reset;
        break;
    }
    sw_buf_init(&text, 64 * 1024);
    sw_buf_init(&html, 128 * 1024);
    sw_buf_adds(&text, para);
    sw_buf_adds(&html, "<!doctype html><html><body><p>");
    sw_buf_add_html(&html, para);
    sw_buf_adds(&html, "</p>");
    if (link != NULL) {
        sw_buf_adds(&text, "\n\n");
        sw_buf_adds(&text, link);
        sw_buf_adds(&html, "<p><a href=\"");
        sw_buf_add_html(&html, link);
        sw_buf_adds(&html, "\">");
        sw_buf_add_html(&html, link);
        sw_buf_adds(&html, "</a></p>");
    }
    sw_buf_adds(&text, "\n\n");
    sw_buf_adds(&text, closing);
    sw_buf_adds(&text, "\n");
    sw_buf_adds(&html, "<p>");
    sw_buf_add_html(&html, closing);
    sw_buf_adds(&html, "</p></body></html>");
    rc = sw_account_mail(c->store, to, subject, text.p ? text.p : "", html.p ? html.p : "");
    if (rc != SW_OK)
        sw_warn("account mail to %s not queued (%s)", to, c->store->errstr);
    sw_buf_free(&text);
    sw_buf_free(&html);
}

/* The absolute link for a mail: notifier.public_url + path + token. */
static void mail_link(struct sw_ctx *c, const char *path, const char *token, char *out,
                      size_t outlen)
{
    snprintf(out, outlen, "%s%s?token=%s", sw_config_str(c->cfg, "notifier.public_url"), path,
             token);
}

static void reply_token_invalid(struct sw_ctx *c, const char *what)
{
    json_t *errors = json_pack("[{s:s, s:s}]", "pointer", "/token", "message",
                               "is unknown, used or expired");

    sw_reply_problem(c, 400, "token-invalid", "Invalid or expired link", errors,
                     "the %s link is unknown, was used already or has expired", what);
}

/* Answers 400 when the body member name is not an acceptable new password. */
static int check_new_password(struct sw_ctx *c, const json_t *in, const char *name)
{
    struct sw_verrs errs;
    char ptr[64];

    snprintf(ptr, sizeof(ptr), "/%s", name);
    sw_verrs_init(&errs);
    sw_password_check(json_object_get(in, name), ptr, &errs);
    return sw_reply_if_invalid(c, &errs);
}

/* Checks the body member name as a new password and hashes it into h (SW_PWHASH_MAX bytes).
 * SW_OK, or SW_INVALID after answering (400 for an unacceptable password, 500 when hashing
 * failed). */
static int hash_new_password(struct sw_ctx *c, const json_t *in, const char *name, char *h)
{
    struct sw_pwparams pw;

    if (check_new_password(c, in, name) != SW_OK)
        return SW_INVALID;
    sw_pwparams_from(c->cfg, &pw);
    if (sw_password_hash(&pw, json_string_value(json_object_get(in, name)), h) != SW_OK) {
        sw_reply_store(c, SW_ERR, "hashing a password");
        return SW_INVALID;
    }
    return SW_OK;
}

/* 1 when tz names a time zone this machine knows. */
static int tz_known(const char *tz)
{
    return sw_digest_next(0, tz, sw_now_ms()) >= 0;
}

static int load_person(struct sw_ctx *c, json_t **doc)
{
    int rc = sw_person_get(c->store, c->who.person, doc);

    if (rc != SW_OK)
        sw_reply_store(c, rc == SW_NOTFOUND ? SW_ERR : rc, "loading the person");
    return rc;
}

/* --- the person's own account ------------------------------------------------------------ */

void sw_h_me_patch(struct sw_ctx *c)
{
    json_t *in, *out;
    const char *tz;
    int rc;

    if (sw_need_person(c) != SW_OK ||
        sw_body_object(c, sw_kind_person.fields, 1, &in) != SW_OK)
        return;
    tz = json_string_value(json_object_get(in, "tz"));
    if (tz != NULL && !tz_known(tz)) {
        json_t *errors = json_pack("[{s:s, s:s}]", "pointer", "/tz", "message",
                                   "is not a time zone this server knows (IANA name)");

        sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                         "tz \"%.64s\" is not a known time zone", tz);
        json_decref(in);
        return;
    }
    rc = sw_person_update(c->store, c->who.person, in, &out);
    if (rc == SW_OK && json_object_get(in, "lang") != NULL)
        rc = sw_session_set_lang(c->store, c->who.person,
                                 json_string_value(json_object_get(in, "lang")));
    json_decref(in);
    if (rc != SW_OK) {
        json_decref(out);
        sw_reply_store(c, rc, "changing the person");
        return;
    }
    sw_people_audit(c, c->who.person, "profile-changed", NULL);
    sw_reply_json(c, 200, sw_person_public(out));
    json_decref(out);
}

static const struct sw_jfield password_fields[] = {
    { "current", SW_J_STRING, SW_JF_REQUIRED, 1, SW_PW_MAX, NULL },
    { "new", SW_J_STRING, SW_JF_REQUIRED, 1, SW_PW_MAX, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_me_password(struct sw_ctx *c)
{
    struct sw_pwparams pw;
    struct sw_throttle th;
    char h[SW_PWHASH_MAX];
    json_t *in = NULL, *doc = NULL, *patch;
    const char *email;
    long long retry_s = 0;
    int rc;

    if (sw_need_person(c) != SW_OK || sw_body_object(c, password_fields, 0, &in) != SW_OK)
        return;
    if (check_new_password(c, in, "new") != SW_OK || load_person(c, &doc) != SW_OK)
        goto out;
    email = json_string_value(json_object_get(doc, "email"));
    sw_pwparams_from(c->cfg, &pw);
    sw_throttle_from(c->cfg, &th);
    rc = sw_throttle_check(c->store, &th, email, c->req->remote_addr, &retry_s);
    if (rc != SW_OK || retry_s > 0) {
        char after[24];

        if (rc != SW_OK) {
            sw_reply_store(c, rc, "password throttle");
            goto out;
        }
        snprintf(after, sizeof(after), "%lld", retry_s);
        sw_reply_header(c, "Retry-After", after);
        sw_reply_problem(c, 429, "sign-in-throttled", "Too many failed sign-ins", NULL,
                         "too many wrong passwords for this account; try again in %lld seconds",
                         retry_s);
        goto out;
    }
    if (!sw_password_verify(&pw, json_string_value(json_object_get(doc, "pwhash")),
                            json_string_value(json_object_get(in, "current")))) {
        json_t *errors = json_pack("[{s:s, s:s}]", "pointer", "/current", "message",
                                   "is not the current password");

        sw_throttle_fail(c->store, &th, email, c->req->remote_addr);
        sw_people_audit(c, c->who.person, "password-change-failed", "wrong current password");
        sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                         "current is not the account's password");
        goto out;
    }
    if (sw_password_hash(&pw, json_string_value(json_object_get(in, "new")), h) != SW_OK) {
        sw_reply_store(c, SW_ERR, "hashing a password");
        goto out;
    }
    patch = json_pack("{s:s}", "pwhash", h);
    rc = sw_person_update(c->store, c->who.person, patch, NULL);
    json_decref(patch);
    if (rc == SW_OK)
        rc = sw_session_end_all(c->store, c->who.person,
                                c->who.via_session ? c->who.session : NULL);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "changing a password");
        goto out;
    }
    sw_people_audit(c, c->who.person, "password-changed", "other sessions ended");
    sw_people_mail(c, email, json_string_value(json_object_get(doc, "lang")), SW_MAIL_PASSWORD,
                   NULL, NULL);
    c->resp->status = 204;
out:
    json_decref(doc);
    json_decref(in);
}

void sw_h_me_totp(struct sw_ctx *c)
{
    char secret[SW_TOTP_SECRET_MAX], uri[1200];
    json_t *doc, *patch;
    int rc;

    if (sw_need_person(c) != SW_OK || load_person(c, &doc) != SW_OK)
        return;
    if (json_is_true(json_object_get(doc, "totp_enabled"))) {
        sw_reply_problem(c, 409, "totp-enabled", "Second factor already set up", NULL,
                         "a second factor is set up already; remove it first (DELETE "
                         "/api/v1/me/totp with a code) to set up another");
        json_decref(doc);
        return;
    }
    if (sw_totp_secret(secret) != SW_OK) {
        json_decref(doc);
        sw_reply_store(c, SW_ERR, "making a TOTP secret");
        return;
    }
    sw_totp_uri(json_string_value(json_object_get(doc, "email")), secret, uri, sizeof(uri));
    json_decref(doc);
    patch = json_pack("{s:s}", "totp_pending", secret);
    rc = sw_person_update(c->store, c->who.person, patch, NULL);
    json_decref(patch);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "starting TOTP");
        return;
    }
    sw_reply_header(c, "Cache-Control", "no-store");
    sw_reply_json(c, 200, json_pack("{s:s, s:s}", "secret", secret, "otpauth_uri", uri));
}

static const struct sw_jfield code_fields[] = {
    { "code", SW_J_STRING, SW_JF_REQUIRED, 1, 16, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

/* Checks body member code against secret for the caller: SW_OK, or answers 400 (wrong or
 * used) or 503 and returns that code. */
static int check_code(struct sw_ctx *c, const char *secret, const json_t *in)
{
    long long step;
    int rc = sw_totp_check(secret, json_string_value(json_object_get(in, "code")), sw_now_ms(),
                           &step);

    if (rc == SW_OK)
        rc = sw_totp_use(c->store, c->who.person, step);
    if (rc == SW_EAGAIN) {
        sw_reply_store(c, rc, "checking a code");
    } else if (rc != SW_OK) {
        json_t *errors = json_pack("[{s:s, s:s}]", "pointer", "/code", "message",
                                   rc == SW_CONFLICT ? "was used already; wait for the next one"
                                                     : "is not the current code");

        sw_reply_problem(c, 400, "totp-invalid", "Wrong code", errors, "%s",
                         rc == SW_CONFLICT ? "this code was used already; wait for the next one"
                                           : "the code is not the current one of the "
                                             "authenticator app");
    }
    return rc;
}

void sw_h_me_totp_confirm(struct sw_ctx *c)
{
    json_t *in = NULL, *doc = NULL, *patch;
    const char *pending;
    int rc;

    if (sw_need_person(c) != SW_OK || sw_body_object(c, code_fields, 0, &in) != SW_OK)
        return;
    if (load_person(c, &doc) != SW_OK)
        goto out;
    pending = json_string_value(json_object_get(doc, "totp_pending"));
    if (pending == NULL) {
        sw_reply_problem(c, 409, "totp-not-started", "No second factor being set up", NULL,
                         "start with POST /api/v1/me/totp, add the secret to an authenticator "
                         "app, then confirm with its code");
        goto out;
    }
    if (check_code(c, pending, in) != SW_OK)
        goto out;
    patch = json_pack("{s:s, s:n, s:b}", "totp_secret", pending, "totp_pending",
                      "totp_enabled", 1);
    rc = sw_person_update(c->store, c->who.person, patch, NULL);
    json_decref(patch);
    if (rc == SW_OK && c->who.via_session && c->who.limited)
        rc = sw_session_unlimit(c->store, c->who.session);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "turning TOTP on");
        goto out;
    }
    sw_people_audit(c, c->who.person, "totp-enabled", NULL);
    sw_people_mail(c, json_string_value(json_object_get(doc, "email")),
                   json_string_value(json_object_get(doc, "lang")), SW_MAIL_TOTP, NULL,
                   sw_tr(json_string_value(json_object_get(doc, "lang")), "turned on"));
    sw_reply_json(c, 200, json_pack("{s:b}", "totp_enabled", 1));
out:
    json_decref(doc);
    json_decref(in);
}

void sw_h_me_totp_delete(struct sw_ctx *c)
{
    json_t *in = NULL, *doc = NULL, *patch;
    int rc;

    if (sw_need_person(c) != SW_OK || sw_body_object(c, code_fields, 0, &in) != SW_OK)
        return;
    if (load_person(c, &doc) != SW_OK)
        goto out;
    if (c->who.role == SW_ROLE_ADMIN) {
        sw_reply_problem(c, 403, "totp-required-for-admins", "Forbidden", NULL,
                         "an admin cannot sign in without a second factor, so it cannot be "
                         "removed");
        goto out;
    }
    if (!json_is_true(json_object_get(doc, "totp_enabled"))) {
        sw_reply_problem(c, 409, "totp-not-enabled", "No second factor", NULL,
                         "this account has no second factor to remove");
        goto out;
    }
    if (check_code(c, json_string_value(json_object_get(doc, "totp_secret")), in) != SW_OK)
        goto out;
    patch = json_pack("{s:n, s:n, s:b}", "totp_secret", "totp_pending", "totp_enabled", 0);
    rc = sw_person_update(c->store, c->who.person, patch, NULL);
    json_decref(patch);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "turning TOTP off");
        goto out;
    }
    sw_people_audit(c, c->who.person, "totp-disabled", NULL);
    sw_people_mail(c, json_string_value(json_object_get(doc, "email")),
                   json_string_value(json_object_get(doc, "lang")), SW_MAIL_TOTP, NULL,
                   sw_tr(json_string_value(json_object_get(doc, "lang")), "turned off"));
    c->resp->status = 204;
out:
    json_decref(doc);
    json_decref(in);
}

/* --- signing up -------------------------------------------------------------------------- */

static const struct sw_jfield signup_fields[] = {
    { "company", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "country", SW_J_STRING, SW_JF_REQUIRED | SW_JF_COUNTRY, 2, 2, NULL },
    { "email", SW_J_STRING, SW_JF_REQUIRED | SW_JF_EMAIL, 3, 254, NULL },
    { "password", SW_J_STRING, SW_JF_REQUIRED, 1, SW_PW_MAX, NULL },
    { "lang", SW_J_STRING, 0, 2, 5, sw_langs },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_signup(struct sw_ctx *c)
{
    char h[SW_PWHASH_MAX], token[SW_OT_TOKEN_MAX], link[600];
    const char *email, *lang;
    json_t *in, *pending;
    long long id;
    int rc;

    if (sw_body_object(c, signup_fields, 0, &in) != SW_OK)
        return;
    /* Hashed whether or not the address has an account: the answer takes as long. */
    if (hash_new_password(c, in, "password", h) != SW_OK) {
        json_decref(in);
        return;
    }
    email = json_string_value(json_object_get(in, "email"));
    lang = json_string_value(json_object_get(in, "lang")) ?: "en";
    rc = sw_person_by_email(c->store, email, &id);
    if (rc == SW_EAGAIN) {
        json_decref(in);
        sw_reply_store(c, rc, "signing up");
        return;
    }
    if (rc == SW_OK) {
        sw_people_mail(c, email, lang, SW_MAIL_SIGNUP_EXISTS, NULL, NULL);
    } else {
        pending = json_pack("{s:O, s:O, s:s, s:s, s:s}", "company", json_object_get(in, "company"),
                            "country", json_object_get(in, "country"), "email", email, "lang",
                            lang, "pwhash", h);
        rc = sw_onetime_put(c->store, "signup", pending, sw_people_now(c),
                            sw_config_int(c->cfg, "people.signup_ttl_s"), token, NULL);
        json_decref(pending);
        if (rc != SW_OK) {
            json_decref(in);
            sw_reply_store(c, rc, "signing up");
            return;
        }
        mail_link(c, "/verify", token, link, sizeof(link));
        sw_people_mail(c, email, lang, SW_MAIL_VERIFY, link,
                       json_string_value(json_object_get(in, "company")));
    }
    sw_reply_json(c, 202, json_pack("{s:s, s:s}", "email", email, "detail",
                                    "a mail with a link to confirm the address is on its way"));
    json_decref(in);
}

static const struct sw_jfield token_fields[] = {
    { "token", SW_J_STRING, SW_JF_REQUIRED, 1, 64, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_signup_verify(struct sw_ctx *c)
{
    char err[256];
    json_t *in, *p = NULL, *sub = NULL, *subin, *pin, *person = NULL;
    int rc;

    if (sw_body_object(c, token_fields, 0, &in) != SW_OK)
        return;
    rc = sw_onetime_take(c->store, "signup", json_string_value(json_object_get(in, "token")),
                         sw_people_now(c), &p);
    json_decref(in);
    if (rc != SW_OK) {
        if (rc == SW_NOTFOUND)
            reply_token_invalid(c, "confirmation");
        else
            sw_reply_store(c, rc, "confirming a sign-up");
        return;
    }
    subin = json_pack("{s:O, s:O, s:O}", "name", json_object_get(p, "company"), "country",
                      json_object_get(p, "country"), "email", json_object_get(p, "email"));
    rc = sw_doc_create(c->store, &sw_kind_subscriber, subin, 0, &sub);
    json_decref(subin);
    if (rc != SW_OK) {
        json_decref(p);
        sw_reply_store(c, rc, "creating the subscriber");
        return;
    }
    pin = json_pack("{s:O, s:O, s:s, s:O, s:s, s:O, s:b}", "email", json_object_get(p, "email"),
                    "name", json_object_get(p, "company"), "role", "exporter", "subject",
                    json_object_get(sub, "id"), "team_role", "owner", "lang",
                    json_object_get(p, "lang"), "verified", 1);
    rc = sw_person_create(c->store, pin, json_string_value(json_object_get(p, "pwhash")), &person,
                          err, sizeof(err));
    json_decref(pin);
    if (rc != SW_OK) {
        sw_doc_delete(c->store, &sw_kind_subscriber, json_integer_value(json_object_get(sub, "id")));
        if (rc == SW_CONFLICT)
            sw_reply_problem(c, 409, "conflict", "Conflict", NULL,
                             "this address has an account already; sign in");
        else
            sw_reply_store(c, rc, "creating the person");
    } else {
        sw_people_audit(c, json_integer_value(json_object_get(person, "id")), "signed-up",
                        json_string_value(json_object_get(sub, "name")));
        sw_person_seen(c->store, json_integer_value(json_object_get(person, "id")),
                       c->req->remote_addr, c->req->user_agent);
        sw_session_start_reply(c, person, 0, "sign-up confirmed");
    }
    json_decref(person);
    json_decref(sub);
    json_decref(p);
}

/* --- password reset ---------------------------------------------------------------------- */

static const struct sw_jfield forgot_fields[] = {
    { "email", SW_J_STRING, SW_JF_REQUIRED | SW_JF_EMAIL, 3, 254, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_password_forgot(struct sw_ctx *c)
{
    char token[SW_OT_TOKEN_MAX], link[600];
    json_t *in, *doc = NULL, *payload;
    long long id;
    int rc;

    if (sw_body_object(c, forgot_fields, 0, &in) != SW_OK)
        return;
    rc = sw_person_by_email(c->store, json_string_value(json_object_get(in, "email")), &id);
    if (rc == SW_OK)
        rc = sw_person_get(c->store, id, &doc);
    if (rc == SW_OK) {
        payload = json_pack("{s:I}", "person", (json_int_t)id);
        rc = sw_onetime_put(c->store, "reset", payload, sw_people_now(c),
                            sw_config_int(c->cfg, "people.reset_ttl_s"), token, NULL);
        json_decref(payload);
        if (rc == SW_OK) {
            mail_link(c, "/reset", token, link, sizeof(link));
            sw_people_mail(c, json_string_value(json_object_get(doc, "email")),
                           json_string_value(json_object_get(doc, "lang")), SW_MAIL_RESET, link,
                           NULL);
            sw_people_audit(c, id, "password-reset-requested", NULL);
        }
    }
    json_decref(doc);
    if (rc == SW_EAGAIN) {
        json_decref(in);
        sw_reply_store(c, rc, "password reset");
        return;
    }
    /* The same answer whether or not the address has an account. */
    sw_reply_json(c, 202, json_pack("{s:O, s:s}", "email", json_object_get(in, "email"),
                                    "detail", "if this address has an account, a mail with a "
                                              "link to reset its password is on its way"));
    json_decref(in);
}

static const struct sw_jfield reset_fields[] = {
    { "token", SW_J_STRING, SW_JF_REQUIRED, 1, 64, NULL },
    { "password", SW_J_STRING, SW_JF_REQUIRED, 1, SW_PW_MAX, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_password_reset(struct sw_ctx *c)
{
    char h[SW_PWHASH_MAX];
    json_t *in, *p = NULL, *doc = NULL, *patch;
    long long id;
    int rc;

    if (sw_body_object(c, reset_fields, 0, &in) != SW_OK)
        return;
    if (hash_new_password(c, in, "password", h) != SW_OK)
        goto out;
    rc = sw_onetime_take(c->store, "reset", json_string_value(json_object_get(in, "token")),
                         sw_people_now(c), &p);
    if (rc == SW_NOTFOUND) {
        reply_token_invalid(c, "password reset");
        goto out;
    }
    id = json_integer_value(json_object_get(p, "person"));
    if (rc == SW_OK)
        rc = sw_person_get(c->store, id, &doc);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "resetting a password");
        goto out;
    }
    patch = json_pack("{s:s}", "pwhash", h);
    rc = sw_person_update(c->store, id, patch, NULL);
    json_decref(patch);
    if (rc == SW_OK)
        rc = sw_session_end_all(c->store, id, NULL);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "resetting a password");
        goto out;
    }
    sw_throttle_clear(c->store, json_string_value(json_object_get(doc, "email")));
    sw_people_audit(c, id, "password-reset", "every session ended");
    sw_people_mail(c, json_string_value(json_object_get(doc, "email")),
                   json_string_value(json_object_get(doc, "lang")), SW_MAIL_PASSWORD, NULL, NULL);
    c->resp->status = 204;
out:
    json_decref(doc);
    json_decref(p);
    json_decref(in);
}

/* --- invitations ------------------------------------------------------------------------- */

static const char *const invite_roles[] = { "exporter", "triager", "expert", "station", "association",
                                             NULL };
static const char *const team_roles[] = { "owner", "member", NULL };

static const struct sw_jfield invite_fields[] = {
    { "email", SW_J_STRING, SW_JF_REQUIRED | SW_JF_EMAIL, 3, 254, NULL },
    { "role", SW_J_STRING, SW_JF_REQUIRED, 1, 16, invite_roles },
    { "subject", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "centre", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "team_role", SW_J_STRING, 0, 1, 16, team_roles },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static void invite_forbidden(struct sw_ctx *c, const char *why)
{
    sw_reply_problem(c, 403, "forbidden", "Forbidden", NULL, "%s", why);
}

static void invite_invalid(struct sw_ctx *c, const char *pointer, const char *why)
{
    json_t *errors = json_pack("[{s:s, s:s}]", "pointer", pointer, "message", why);

    sw_reply_problem(c, 400, "validation", "Invalid request", errors, "%s %s", pointer + 1, why);
}

/* Decides what the caller may invite to: fills *role, *subject (an existing record, or 0),
 * *centre (staff), team_role and account (the record's name, for the mail). Answers and
 * returns non-SW_OK when the caller may not. */
static int invite_scope(struct sw_ctx *c, const json_t *in, enum sw_role *role,
                        long long *subject, long long *centre, const char **team_role,
                        char *account, size_t acclen)
{
    const json_t *js = json_object_get(in, "subject"), *jc = json_object_get(in, "centre");
    const struct sw_kind *k;
    json_t *doc = NULL;
    char err[256];
    int rc;

    sw_role_parse(json_string_value(json_object_get(in, "role")), role);
    *subject = js != NULL ? json_integer_value(js) : 0;
    *centre = jc != NULL ? json_integer_value(jc) : 0;
    *team_role = NULL;
    switch (c->who.role) {
    case SW_ROLE_ADMIN:
        if (*role == SW_ROLE_EXPORTER) {
            invite_forbidden(c, "exporters sign up themselves, or are invited by an owner of "
                                "their team; an admin invites centre staff and stations");
            return SW_INVALID;
        }
        if (*role == SW_ROLE_STATION && *subject == 0) {
            invite_invalid(c, "/subject", "is required: the station the person will work for");
            return SW_INVALID;
        }
        if (*role == SW_ROLE_ASSOCIATION && *subject == 0) {
            invite_invalid(c, "/subject", "is required: the association the person will work "
                                          "for");
            return SW_INVALID;
        }
        if ((*role & SW_ROLE_STAFF) && *subject == 0 && *centre == 0) {
            invite_invalid(c, "/centre", "is required (or subject, an existing staff member)");
            return SW_INVALID;
        }
        break;
    case SW_ROLE_TRIAGER:
        if (*role != SW_ROLE_EXPERT) {
            invite_forbidden(c, "a triager may invite experts of their own centre only");
            return SW_INVALID;
        }
        if (js != NULL || (jc != NULL && *centre != c->who.centre)) {
            invite_forbidden(c, "a triager invites new experts to their own centre only");
            return SW_INVALID;
        }
        *centre = c->who.centre;
        break;
    case SW_ROLE_EXPORTER: {
        json_t *me;

        if (sw_need_person(c) != SW_OK)
            return SW_INVALID;
        if ((rc = load_person(c, &me)) != SW_OK)
            return rc;
        rc = strcmp(json_string_value(json_object_get(me, "team_role")) ?: "", "owner") == 0;
        json_decref(me);
        if (!rc) {
            invite_forbidden(c, "only an owner of the exporter's team may invite colleagues");
            return SW_INVALID;
        }
        if (*role != SW_ROLE_EXPORTER || (js != NULL && *subject != c->who.subject)) {
            invite_forbidden(c, "an exporter invites colleagues to their own company only");
            return SW_INVALID;
        }
        *subject = c->who.subject;
        *team_role = json_string_value(json_object_get(in, "team_role")) ?: "member";
        break;
    }
    case SW_ROLE_ASSOCIATION:
        if (sw_need_person(c) != SW_OK)
            return SW_INVALID;
        if (*role != SW_ROLE_ASSOCIATION || (js != NULL && *subject != c->who.subject)) {
            invite_forbidden(c, "an association invites colleagues to its own account only "
                                "(member companies: POST /api/v1/associations/{id}/invitations)");
            return SW_INVALID;
        }
        *subject = c->who.subject;
        break;
    default:
        invite_forbidden(c, "only admins, triagers, exporter owners and associations invite");
        return SW_INVALID;
    }
    if (*role != SW_ROLE_EXPORTER && json_object_get(in, "team_role") != NULL) {
        invite_invalid(c, "/team_role", "is for exporters only");
        return SW_INVALID;
    }
    /* The record the person will be attached to, or the centre a new staff member joins. */
    if (*subject != 0) {
        rc = sw_auth_subject_check(c->store, *role, *subject, centre, err, sizeof(err));
        if (rc == SW_INVALID) {
            invite_invalid(c, "/subject", err);
            return rc;
        }
        if (rc != SW_OK) {
            sw_reply_store(c, rc, "checking the invitation");
            return rc;
        }
        if (c->who.role == SW_ROLE_TRIAGER && *centre != c->who.centre) {
            invite_forbidden(c, "a triager invites experts of their own centre only");
            return SW_INVALID;
        }
        k = sw_auth_account_kind(*role);
        rc = sw_doc_get(c->store, k, *subject, &doc);
    } else {
        rc = sw_doc_get(c->store, &sw_kind_centre, *centre, &doc);
        if (rc == SW_NOTFOUND) {
            invite_invalid(c, "/centre", "names no centre");
            return SW_INVALID;
        }
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "checking the invitation");
        return rc;
    }
    snprintf(account, acclen, "%s", json_string_value(json_object_get(doc, "name")) ?: "");
    json_decref(doc);
    return SW_OK;
}

/* What an invitation shows (no token). */
static json_t *invite_json(const json_t *p)
{
    char when[32];
    json_t *o = json_deep_copy(p);

    json_object_set_new(o, "expires_at",
                        json_string(sw_iso8601(json_integer_value(json_object_get(o,
                                                                                  "expires_ms")),
                                               when, sizeof(when))));
    json_object_del(o, "expires_ms");
    return o;
}

void sw_h_invitations_create(struct sw_ctx *c)
{
    char account[256], token[SW_OT_TOKEN_MAX], link[600], pub[SW_INVITE_ID_LEN + 1];
    char by[300], detail[700], when[32];
    const char *email, *team_role, *lang;
    enum sw_role role;
    long long subject, centre, id;
    json_t *in, *payload, *me = NULL, *out;
    int rc;

    if (sw_body_object(c, invite_fields, 0, &in) != SW_OK)
        return;
    if (invite_scope(c, in, &role, &subject, &centre, &team_role, account, sizeof(account)) !=
        SW_OK)
        goto out;
    email = json_string_value(json_object_get(in, "email"));
    rc = sw_person_by_email(c->store, email, &id);
    if (rc == SW_OK) {
        sw_reply_problem(c, 409, "conflict", "Conflict", NULL,
                         "a person with this address exists already");
        goto out;
    }
    if (rc == SW_EAGAIN) {
        sw_reply_store(c, rc, "inviting");
        goto out;
    }
    if (c->who.person > 0 && sw_person_get(c->store, c->who.person, &me) == SW_OK)
        snprintf(by, sizeof(by), "%s", json_string_value(json_object_get(me, "name")) ?: "");
    else
        snprintf(by, sizeof(by), "%s", sw_role_name(c->who.role));
    lang = json_string_value(json_object_get(me, "lang")) ?: "en";
    payload = json_pack("{s:s, s:s, s:I, s:I, s:s?, s:s, s:{s:I, s:s}, s:s}", "email", email,
                        "role", sw_role_name(role), "subject", (json_int_t)subject, "centre",
                        (json_int_t)centre, "team_role", team_role, "account", account,
                        "invited_by", "person", (json_int_t)c->who.person, "name", by,
                        "created_at", sw_iso8601(sw_now_ms(), when, sizeof(when)));
    rc = sw_invite_put(c->store, c->who.person, payload, sw_people_now(c),
                       sw_config_int(c->cfg, "people.invitation_ttl_s"), token, pub);
    if (rc != SW_OK) {
        json_decref(payload);
        sw_reply_store(c, rc, "inviting");
        goto out;
    }
    mail_link(c, "/invite", token, link, sizeof(link));
    snprintf(detail, sizeof(detail), sw_tr(lang, "%s invites you to Seawall as %s of %s"), by,
             sw_role_name(role), account);
    sw_people_mail(c, email, lang, SW_MAIL_INVITE, link, detail);
    sw_people_audit(c, c->who.person, "invitation-sent", email);
    json_object_set_new(payload, "id", json_string(pub));
    json_object_set_new(payload, "expires_ms",
                        json_integer(sw_people_now(c) +
                                     sw_config_int(c->cfg, "people.invitation_ttl_s") * 1000));
    out = invite_json(payload);
    json_decref(payload);
    sw_reply_json(c, 201, out);
out:
    json_decref(me);
    json_decref(in);
}

void sw_h_invitations_list(struct sw_ctx *c)
{
    json_t *list, *items, *p;
    size_t i;
    int rc = sw_invite_list(c->store, c->who.person, sw_people_now(c), &list);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing invitations");
        return;
    }
    items = json_array();
    json_array_foreach(list, i, p)
        json_array_append_new(items, invite_json(p));
    json_decref(list);
    sw_reply_json(c, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/team: the persons of the caller's subscriber (an exporter's colleagues). */
void sw_h_team_list(struct sw_ctx *c)
{
    long long after, next;
    json_t *items;
    int limit, rc;

    if (sw_page_args(c, &after, &limit) != SW_OK)
        return;
    rc = sw_person_team(c->store, c->who.subject, after, limit, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing the team");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

void sw_h_invitations_delete(struct sw_ctx *c)
{
    const char *id = sw_param(c, "token");
    int rc = sw_invite_revoke(c->store, c->who.person, id);

    if (rc == SW_NOTFOUND) {
        sw_reply_not_found(c);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "revoking an invitation");
        return;
    }
    sw_people_audit(c, c->who.person, "invitation-revoked", id);
    c->resp->status = 204;
}

void sw_h_invitations_get(struct sw_ctx *c)
{
    json_t *p, *out;
    int rc = sw_onetime_peek(c->store, "invite", sw_param(c, "token"), sw_people_now(c), &p);

    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading an invitation");
        return;
    }
    out = json_pack("{s:O, s:O, s:O, s:O?, s:O}", "email", json_object_get(p, "email"), "role",
                    json_object_get(p, "role"), "account", json_object_get(p, "account"),
                    "team_role", json_object_get(p, "team_role"), "invited_by",
                    json_object_get(json_object_get(p, "invited_by"), "name"));
    {
        json_t *v = invite_json(p);

        json_object_set(out, "expires_at", json_object_get(v, "expires_at"));
        json_decref(v);
    }
    json_decref(p);
    sw_reply_json(c, 200, out);
}

static const struct sw_jfield accept_fields[] = {
    { "token", SW_J_STRING, SW_JF_REQUIRED, 1, 64, NULL },
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "password", SW_J_STRING, SW_JF_REQUIRED, 1, SW_PW_MAX, NULL },
    { "lang", SW_J_STRING, 0, 2, 5, sw_langs },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_invitations_accept(struct sw_ctx *c)
{
    char h[SW_PWHASH_MAX], err[256];
    json_t *in, *p = NULL, *person = NULL, *staff = NULL, *pin;
    const char *role;
    long long subject, inviter;
    int rc;

    if (sw_body_object(c, accept_fields, 0, &in) != SW_OK)
        return;
    if (hash_new_password(c, in, "password", h) != SW_OK)
        goto out;
    rc = sw_onetime_take(c->store, "invite", json_string_value(json_object_get(in, "token")),
                         sw_people_now(c), &p);
    if (rc != SW_OK) {
        if (rc == SW_NOTFOUND)
            reply_token_invalid(c, "invitation");
        else
            sw_reply_store(c, rc, "accepting an invitation");
        goto out;
    }
    role = json_string_value(json_object_get(p, "role")) ?: "";
    subject = json_integer_value(json_object_get(p, "subject"));
    if (subject == 0 && (strcmp(role, "triager") == 0 || strcmp(role, "expert") == 0)) {
        json_t *sin = json_pack("{s:O, s:O, s:s}", "name", json_object_get(in, "name"), "email",
                                json_object_get(p, "email"), "role", role);

        rc = sw_doc_create(c->store, &sw_kind_staff, sin,
                           json_integer_value(json_object_get(p, "centre")), &staff);
        json_decref(sin);
        if (rc != SW_OK) {
            sw_reply_store(c, rc, "creating the staff member");
            goto out;
        }
        subject = json_integer_value(json_object_get(staff, "id"));
    }
    pin = json_pack("{s:O, s:O, s:s, s:I, s:O?, s:s, s:b}", "email", json_object_get(p, "email"),
                    "name", json_object_get(in, "name"), "role", role, "subject",
                    (json_int_t)subject, "team_role", json_object_get(p, "team_role"), "lang",
                    json_string_value(json_object_get(in, "lang")) ?: "en", "verified", 1);
    rc = sw_person_create(c->store, pin, h, &person, err, sizeof(err));
    json_decref(pin);
    if (rc != SW_OK) {
        if (staff != NULL)
            sw_doc_delete(c->store, &sw_kind_staff, subject);
        if (rc == SW_CONFLICT)
            sw_reply_problem(c, 409, "conflict", "Conflict", NULL,
                             "this address has an account already; sign in");
        else if (rc == SW_INVALID)
            sw_reply_problem(c, 409, "conflict", "Conflict", NULL,
                             "the invitation's account is gone: %s", err);
        else
            sw_reply_store(c, rc, "creating the person");
        goto out;
    }
    inviter = json_integer_value(json_object_get(json_object_get(p, "invited_by"), "person"));
    sw_invite_forget(c->store, inviter, json_string_value(json_object_get(in, "token")));
    sw_people_audit(c, inviter, "invitation-accepted", json_string_value(json_object_get(p,
                                                                                   "email")));
    sw_person_seen(c->store, json_integer_value(json_object_get(person, "id")),
                   c->req->remote_addr, c->req->user_agent);
    sw_session_start_reply(c, person, strcmp(role, "admin") == 0, "invitation accepted");
out:
    json_decref(person);
    json_decref(staff);
    json_decref(p);
    json_decref(in);
}
