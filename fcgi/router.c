/* router.c — one request from start to finish: route, method, query, token, body limits,
 * Idempotency-Key, the handler, metrics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "seawall/accounts.h"
#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/idempotency.h"
#include "seawall/log.h"
#include "seawall/ratelimit.h"
#include "seawall/session.h"
#include "seawall/store.h"
#include "api.h"

const struct sw_deadlines *sw_api_deadlines;

/* Finds the route for method and path. Returns it, or NULL with *path_known set when some
 * route has this path under another method (then allow lists those methods). */
static const struct sw_route *route_find(struct sw_req *req, int *path_known, char *allow,
                                         size_t allowlen)
{
    size_t i, used = 0;

    *path_known = 0;
    allow[0] = '\0';
    for (i = 0; i < sw_nroutes; i++) {
        const struct sw_route *r = &sw_routes[i];

        if (!sw_route_match(r->pattern, req->path, req))
            continue;
        if (strcmp(r->method, req->method) == 0)
            return r;
        while (req->nparams > 0)
            free(req->params[--req->nparams].value);
        *path_known = 1;
        if (used < allowlen) {
            int n = snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "", r->method);

            if (n > 0)
                used += (size_t)n;
        }
    }
    return NULL;
}

int sw_in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p = list;

    while (p != NULL && *p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);

        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int check_query(struct sw_ctx *c)
{
    int i;

    for (i = 0; i < c->req->nqs; i++) {
        if (c->route->query == NULL || !sw_in_list(c->route->query, c->req->qs[i].name)) {
            json_t *errors = json_pack("[{s:s, s:s}]", "parameter", c->req->qs[i].name,
                                       "message", sw_tr(c->lang, "unknown query parameter"));

            if (c->route->query != NULL)
                sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                                 "unknown query parameter \"%.64s\"; this route takes: %s",
                                 c->req->qs[i].name, c->route->query);
            else
                sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                                 "unknown query parameter \"%.64s\"", c->req->qs[i].name);
            return SW_INVALID;
        }
    }
    return SW_OK;
}

/* Answers 429 for a caller over the request limit. */
static void reply_limited(struct sw_ctx *c, long long retry_ms)
{
    char after[24];

    snprintf(after, sizeof(after), "%lld", (retry_ms + 999) / 1000);
    sw_reply_header(c, "Retry-After", after);
    sw_reply_problem(c, 429, "rate-limited", "Too many requests", NULL,
                     "more than %lld requests a second (bursts of %lld); try again in %lld ms",
                     sw_config_int(c->cfg, "api.rate_per_s"),
                     sw_config_int(c->cfg, "api.rate_burst"), retry_ms);
}

/* 403 for a caller whose role may not use the route (404 for a route about one resource, so
 * that it does not reveal whether the resource exists). */
static int check_role(struct sw_ctx *c)
{
    if (c->route->roles & (unsigned)c->who.role)
        return SW_OK;
    if (strchr(c->route->pattern, '{') != NULL)
        sw_reply_not_found(c);
    else if (c->who.via_session)
        sw_reply_problem(c, 403, "forbidden", "Forbidden", NULL,
                         "the role %s may not use %s %s (signed in)",
                         sw_role_name(c->who.role), c->route->method, c->route->pattern);
    else
        sw_reply_problem(c, 403, "forbidden", "Forbidden", NULL,
                         "the role %s may not use %s %s with a token",
                         sw_role_name(c->who.role), c->route->method, c->route->pattern);
    return SW_INVALID;
}

static int unsafe_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* An Origin header, when sent, must be the portal's: answers 403 csrf otherwise. */
static int check_origin(struct sw_ctx *c, int required)
{
    char origin[300];

    sw_portal_origin(c, origin, sizeof(origin));
    if (c->req->origin == NULL || c->req->origin[0] == '\0') {
        if (!required)
            return SW_OK;
        sw_reply_problem(c, 403, "csrf", "Cross-site request refused", NULL,
                         "a change made with the session cookie needs the Origin header of "
                         "the portal (%s)", origin);
        return SW_INVALID;
    }
    if (strcmp(c->req->origin, origin) != 0) {
        sw_reply_problem(c, 403, "csrf", "Cross-site request refused", NULL,
                         "the request came from %.120s, not from the portal (%s)",
                         c->req->origin, origin);
        return SW_INVALID;
    }
    return SW_OK;
}

/* CSRF for a cookie-authenticated unsafe request: the portal's Origin and the session's
 * token in X-CSRF-Token. */
static int check_csrf(struct sw_ctx *c, const struct sw_session *ss)
{
    const char *t = c->req->csrf_token;

    if (!unsafe_method(c->req->method))
        return SW_OK;
    if (check_origin(c, 1) != SW_OK)
        return SW_INVALID;
    if (t == NULL || strlen(t) != strlen(ss->csrf) || ss->csrf[0] == '\0' ||
        sodium_memcmp(t, ss->csrf, strlen(ss->csrf)) != 0) {
        sw_reply_problem(c, 403, "csrf", "Cross-site request refused", NULL,
                         "the X-CSRF-Token header must carry this session's token (csrf_token "
                         "from POST or GET /api/v1/session)");
        return SW_INVALID;
    }
    return SW_OK;
}

/* Tells the browser to forget the session cookie. */
static void clear_cookie(struct sw_ctx *c)
{
    sw_reply_header(c, "Set-Cookie", c->req->https
                    ? SW_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure"
                    : SW_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
}

/* A request that came with the session cookie (and no Authorization): the session, the
 * request limit keyed by its person (every session of one person shares one count), CSRF,
 * the TOTP-setup limit, the role, and the account. One round trip for a session this API
 * thread has seen (sw_session_lookup). */
static int check_session(struct sw_ctx *c, const char *sid, const struct sw_rate *rate)
{
    struct sw_session ss;
    struct sw_session_limits lim;
    struct sw_auth_limit limit = { rate, c->req->remote_addr, 0 };
    json_t *account = NULL;
    int rc;

    sw_session_limits_of(c, &lim);
    rc = sw_session_lookup(c->store, sid, sw_people_now(c), &lim, &ss, &limit,
                           (c->route->flags & SW_RT_ACCOUNT) ? &account : NULL);
    if (rc == SW_EAGAIN || rc == SW_ERR) {
        sw_reply_store(c, rc, "session lookup");
        return rc;
    }
    if (limit.retry_ms > 0) {
        json_decref(account);
        reply_limited(c, limit.retry_ms);
        return SW_INVALID;
    }
    if (rc != SW_OK) {
        clear_cookie(c);
        sw_reply_problem(c, 401, "unauthorized", "Unauthorized", NULL,
                         "the session has ended (signed out, unused for too long or past its "
                         "limit); sign in again");
        return SW_INVALID;
    }
    c->account = account;   /* freed with the request, whatever happens below */
    sw_session_principal(&ss, &c->who);
    sw_strlcpy(c->csrf, ss.csrf, sizeof(c->csrf));
    c->session_expires_ms = ss.expires_ms;
    sw_i18n_set_thread_lang(ss.lang);
    if (check_csrf(c, &ss) != SW_OK)
        return SW_INVALID;
    if (ss.limited && !(c->route->flags & SW_RT_SETUP)) {
        sw_reply_problem(c, 403, "totp-setup-required", "Second factor required", NULL,
                         "an admin must set up a second factor before anything else: POST "
                         "/api/v1/me/totp, then POST /api/v1/me/totp/confirm with a code");
        return SW_INVALID;
    }
    return check_role(c);
}

/* The request limit (ratelimit.h) and the token. The limit's count rides in the token
 * lookup's round trip (sw_auth_lookup); a caller over it gets 429 whatever its token says, so
 * a right guess of a secret looks like a wrong one. Without an Authorization header, a route
 * that needs a caller takes the session cookie. */
static int check_auth(struct sw_ctx *c)
{
    struct sw_rate rate;
    struct sw_auth_limit limit = { &rate, c->req->remote_addr, 0 };
    char sid[SW_SESSION_ID_LEN + 1];
    int rc = SW_OK;

    sw_rate_init(&rate, (c->route->flags & SW_RT_UNLIMITED) ? 0
                                                              : sw_config_int(c->cfg, "api.rate_per_s"),
                 sw_config_int(c->cfg, "api.rate_burst"));
    if (c->route->roles != 0 && c->req->authorization == NULL && c->req->cookie != NULL &&
        sw_session_cookie(c->req->cookie, sid) == SW_OK)
        return check_session(c, sid, &rate);
    if (c->route->roles != 0) {
        if (c->route->flags & SW_RT_ACCOUNT)
            rc = sw_auth_lookup_account(c->store, c->req->authorization, &c->who, &c->account,
                                        &limit);
        else
            rc = sw_auth_lookup(c->store, c->req->authorization, &c->who, &limit);
        if (rc == SW_EAGAIN || rc == SW_ERR) {
            sw_reply_store(c, rc, "token lookup");
            return rc;
        }
    } else if (rate.period_us > 0) {
        struct sw_rate_caller caller;
        int lrc;

        sw_rate_caller(&caller, c->req->authorization, c->req->remote_addr);
        lrc = sw_rate_take(c->store, &caller, &rate, &limit.retry_ms);
        if (lrc != SW_OK) {
            sw_reply_store(c, lrc, "request limit");
            return lrc;
        }
    }
    if (limit.retry_ms > 0) {
        reply_limited(c, limit.retry_ms);
        return SW_INVALID;
    }
    if (c->route->roles == 0)
        return (c->route->flags & SW_RT_ORIGIN) ? check_origin(c, 0) : SW_OK;
    if (rc == SW_CONFLICT) {
        sw_reply_header(c, "WWW-Authenticate", "Bearer realm=\"seawall\", "
                        "error=\"invalid_token\", error_description=\"The token expired\"");
        sw_reply_problem(c, 401, "token-expired", "Token expired", NULL,
                         "the token expired at %s; ask an admin for a new one",
                         c->who.expires_at);
        return SW_INVALID;
    }
    if (rc != SW_OK) {
        sw_reply_header(c, "WWW-Authenticate", "Bearer realm=\"seawall\"");
        if (c->req->authorization == NULL)
            sw_reply_problem(c, 401, "unauthorized", "Unauthorized", NULL,
                             "this route needs a session (sign in) or an Authorization: "
                             "Bearer token");
        else
            sw_reply_problem(c, 401, "unauthorized", "Unauthorized", NULL,
                             "the bearer token is not valid (unknown, malformed or revoked)");
        return SW_INVALID;
    }
    return check_role(c);
}

static int is_json_type(const char *ct)
{
    size_t n = strlen("application/json");

    if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
        return 0;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static int read_body(struct sw_ctx *c)
{
    long long max = sw_config_int(c->cfg, (c->route->flags & SW_RT_LARGE) ? "api.import_max"
                                                                            : "api.body_max");
    size_t got = 0, want;

    if (c->req->content_length > max) {
        sw_reply_problem(c, 413, "too-large", "Request body too large", NULL,
                         "the body is %lld bytes; the limit is %lld", c->req->content_length,
                         max);
        return SW_TOOBIG;
    }
    if (c->req->content_length > 0 && !is_json_type(c->req->content_type) &&
        !((c->route->flags & SW_RT_CSV) && c->req->content_type != NULL &&
          strncasecmp(c->req->content_type, "text/csv", 8) == 0) &&
        !((c->route->flags & SW_RT_ICAL) && c->req->content_type != NULL &&
          strncasecmp(c->req->content_type, "text/calendar", 13) == 0)) {
        const char *sent = c->req->content_type ? c->req->content_type
                                                 : sw_tr(c->lang, "no Content-Type");

        if (c->route->flags & SW_RT_CSV)
            sw_reply_problem(c, 415, "unsupported-media-type", "Unsupported media type", NULL,
                             "send the body as application/json or text/csv (got %.100s)", sent);
        else if (c->route->flags & SW_RT_ICAL)
            sw_reply_problem(c, 415, "unsupported-media-type", "Unsupported media type", NULL,
                             "send the body as application/json or text/calendar (got %.100s)",
                             sent);
        else
            sw_reply_problem(c, 415, "unsupported-media-type", "Unsupported media type", NULL,
                             "send the body as application/json (got %.100s)", sent);
        return SW_INVALID;
    }
    want = (size_t)c->req->content_length;
    c->req->body = malloc(want + 1);
    if (c->req->body == NULL) {
        sw_reply_store(c, SW_ERR, "body allocation");
        return SW_ERR;
    }
    while (got < want) {
        int n = c->read_body(c->io, c->req->body + got,
                             (int)(want - got > 65536 ? 65536 : want - got));

        if (n <= 0)
            break;
        got += (size_t)n;
    }
    c->req->body[got] = '\0';
    c->req->body_len = got;
    if (got != want) {
        sw_reply_problem(c, 400, "truncated-body", "Truncated body", NULL,
                         "Content-Length said %zu bytes but %zu arrived", want, got);
        return SW_INVALID;
    }
    return SW_OK;
}

/* --- Idempotency-Key --------------------------------------------------------------------- */

#define IDEM_REPLAYED 1   /* idem_begin: the first result was replayed */

struct idem {
    char key[SW_IDEM_KEY_MAX];
    char fp[65];
    int active;      /* this request holds the key and must store or release it */
};

static int idem_key_valid(const char *k)
{
    size_t n = strlen(k), i;

    if (n == 0 || n > 255)
        return 0;
    for (i = 0; i < n; i++)
        if ((unsigned char)k[i] < 0x21 || (unsigned char)k[i] > 0x7e)
            return 0;
    return 1;
}

/* Claims the key, or answers with the first result. Returns SW_OK to go on with the handler,
 * anything else when the response is already set. */
static int idem_begin(struct sw_ctx *c, struct idem *im)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    char kh[65];
    const char *k = c->req->idempotency_key;
    json_t *prev;
    int rc = SW_ERR;

    im->active = 0;
    if (k == NULL || strcmp(c->req->method, "POST") != 0 || (c->route->flags & SW_RT_NO_IDEM))
        return SW_OK;
    if (!idem_key_valid(k)) {
        json_t *errors = json_pack("[{s:s, s:s}]", "header", "Idempotency-Key", "message",
                                   sw_tr(c->lang, "must be 1 to 255 visible ASCII characters"));

        sw_reply_problem(c, 400, "validation", "Invalid request", errors,
                         "the Idempotency-Key header must be 1 to 255 visible ASCII characters");
        return SW_INVALID;
    }
    crypto_hash_sha256((unsigned char *)h, (const unsigned char *)k, strlen(k));
    sw_hex(h, sizeof(h), kh);
    /* Per caller: two people of one company do not share their keys. */
    sw_idem_key(sw_role_name(c->who.role), c->who.subject, c->who.person, kh, im->key);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)c->req->path, strlen(c->req->path) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)(c->req->body ? c->req->body : ""),
                              c->req->body_len);
    crypto_hash_sha256_final(&st, h);
    sw_hex(h, sizeof(h), im->fp);

    rc = sw_idem_claim(c->store, im->key, im->fp, &prev);
    if (rc == SW_OK) {
        im->active = 1;
        return SW_OK;
    }
    if (rc != SW_CONFLICT) {
        sw_reply_store(c, SW_EAGAIN, "idempotency claim");
        return SW_EAGAIN;
    }
    if (prev == NULL) {
        /* Expired between SET and GET: rare; ask the client to send it again. */
        sw_reply_problem(c, 409, "idempotency-retry", "Conflict", NULL,
                         "the Idempotency-Key changed state; retry the request");
        return SW_CONFLICT;
    }
    if (strcmp(json_string_value(json_object_get(prev, "fp")) ?: "", im->fp) != 0) {
        sw_reply_problem(c, 422, "idempotency-mismatch", "Idempotency-Key reused", NULL,
                         "this Idempotency-Key was first used with a different request");
        rc = SW_INVALID;
    } else if (strcmp(json_string_value(json_object_get(prev, "state")) ?: "", "done") != 0) {
        sw_reply_header(c, "Retry-After", "1");
        sw_reply_problem(c, 409, "idempotency-in-progress", "Conflict", NULL,
                         "a request with this Idempotency-Key is still being processed");
        rc = SW_CONFLICT;
    } else {
        c->resp->status = (int)json_integer_value(json_object_get(prev, "status"));
        c->resp->ctype = strcmp(json_string_value(json_object_get(prev, "ctype")) ?: "",
                                "application/problem+json") == 0
                             ? "application/problem+json"
                             : "application/json";
        sw_buf_reset(&c->resp->body);
        sw_buf_adds(&c->resp->body, json_string_value(json_object_get(prev, "body")) ?: "");
        sw_buf_adds(&c->resp->headers,
                    json_string_value(json_object_get(prev, "headers")) ?: "");
        sw_reply_header(c, "Idempotent-Replayed", "true");
        rc = IDEM_REPLAYED;
    }
    json_decref(prev);
    return rc;
}

/* 1 when the same request would always get this answer, so a replay may give it: a 2xx,
 * or a 400, 413, 415 or 422 about the request itself — unless the handler said the answer
 * depends on stored state (sw_reply_state_dependent). Never a 401, 403, 404, 409, 410, 423,
 * 429 or 5xx: a later state (the show created, the conflict resolved, the store back) may
 * answer otherwise. */
static int idem_keepable(const struct sw_resp *resp)
{
    int st = resp->status;

    if (resp->state_dependent)
        return 0;
    return (st >= 200 && st < 300) || st == 400 || st == 413 || st == 415 || st == 422;
}

/* Keeps the handler's result for replays when it is one the same request would always get
 * (idem_keepable); otherwise gives the key back, so the request is answered afresh. */
static void idem_end(struct sw_ctx *c, struct idem *im)
{
    json_t *rec;
    char *text;

    if (!im->active)
        return;
    if (!idem_keepable(c->resp)) {
        sw_idem_release(c->store, im->key);
        return;
    }
    rec = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "state", "done", "fp", im->fp, "status",
                    c->resp->status, "ctype", c->resp->ctype, "body",
                    c->resp->body.p ? c->resp->body.p : "", "headers",
                    c->resp->headers.p ? c->resp->headers.p : "");
    text = rec ? sw_json_dumps(rec) : NULL;
    json_decref(rec);
    if (text == NULL)
        return;
    if (sw_idem_keep(c->store, im->key, text, sw_config_int(c->cfg, "api.idempotency_ttl_s")) !=
        SW_OK)
        sw_warn("keeping the result for Idempotency-Key failed (%s)", c->store->errstr);
    free(text);
}

void sw_set_lang(struct sw_ctx *c, const char *lang)
{
    sw_i18n_set_thread_lang(lang);
    c->lang = sw_i18n_thread_lang();
}

void sw_dispatch(struct sw_ctx *c)
{
    int64_t t0 = sw_mono_us();
    int path_known, route_index = (int)sw_nroutes;
    char allow[128], err[256];
    struct idem im = { .active = 0 };

    sw_set_lang(c, sw_lang_negotiate(c->req->accept_language));
    c->resp->status = 0;
    c->resp->state_dependent = 0;
    c->route = NULL;
    if (sw_query_parse(c->req->query, c->req, err, sizeof(err)) != SW_OK) {
        sw_reply_problem(c, 400, "bad-query", "Invalid query string", NULL, "%s", err);
        goto done;
    }
    c->route = route_find(c->req, &path_known, allow, sizeof(allow));
    if (c->route == NULL) {
        if (path_known) {
            sw_reply_header(c, "Allow", allow);
            sw_reply_problem(c, 405, "method-not-allowed", "Method not allowed", NULL,
                             "%s is not allowed here; allowed: %s", c->req->method, allow);
        } else {
            sw_reply_not_found(c);
        }
        goto done;
    }
    route_index = (int)(c->route - sw_routes);
    if (check_query(c) != SW_OK || check_auth(c) != SW_OK)
        goto done;
    if ((c->route->flags & SW_RT_BODY) && read_body(c) != SW_OK)
        goto done;
    if (idem_begin(c, &im) != SW_OK)
        goto done;
    c->route->handler(c);
    if (c->resp->status == 0) {
        sw_error("handler for %s %s set no response", c->route->method, c->route->pattern);
        sw_reply_store(c, SW_ERR, "handler");
    }
    idem_end(c, &im);
done:
    json_decref(c->account);
    c->account = NULL;
    sw_metrics_observe(route_index, c->resp->status, sw_mono_us() - t0);
}
