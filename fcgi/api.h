/* api.h — what seawall-api's parts share: the request, the response, the per-request context,
 * the route table and the helpers handlers answer with. Private to fcgi/. */
#ifndef SEAWALL_API_H
#define SEAWALL_API_H

#include <stdint.h>
#include <jansson.h>

#include "seawall/auth.h"
#include "seawall/buf.h"
#include "seawall/common.h"
#include "seawall/json.h"

struct sw_config;
struct sw_store;

#define SW_MAX_PARAMS 8
#define SW_MAX_QUERY  16

struct sw_kv {
    const char *name;   /* path parameters: the pattern's name; query: decoded copy */
    char *value;        /* decoded copy, owned by the request */
};

/* A request as the handlers see it. Strings from FastCGI live until the request ends. */
struct sw_req {
    const char *method;
    const char *path;            /* DOCUMENT_URI: decoded and normalised by nginx */
    const char *query;           /* raw QUERY_STRING, may be empty */
    const char *content_type;    /* may be NULL */
    const char *authorization;   /* may be NULL */
    const char *idempotency_key; /* may be NULL */
    const char *last_event_id;   /* may be NULL */
    const char *accept;          /* the Accept header, may be NULL */
    const char *remote_addr;     /* the client's address as nginx saw it, may be NULL */
    const char *cookie;          /* Cookie, may be NULL */
    const char *origin;          /* Origin, may be NULL */
    const char *host;            /* Host, may be NULL */
    const char *user_agent;      /* User-Agent, may be NULL */
    const char *csrf_token;      /* X-CSRF-Token, may be NULL */
    int https;                   /* the request came over TLS (nginx's HTTPS parameter) */
    const char *accept_language; /* may be NULL */
    long long content_length;
    char *body;                  /* content_length bytes plus NUL, or NULL; owned */
    size_t body_len;
    struct sw_kv params[SW_MAX_PARAMS];
    int nparams;
    struct sw_kv qs[SW_MAX_QUERY];
    int nqs;
};

struct sw_resp {
    int status;
    const char *ctype;
    struct sw_buf headers;   /* extra header lines, each ending in \r\n */
    struct sw_buf body;
    int streamed;            /* the handler wrote the response itself (a file in pieces) */
    int state_dependent;     /* the answer depends on stored state a later request may find
                              * changed (sw_reply_state_dependent): not kept for replays */
};

struct sw_route;

/* Everything a handler may touch. */
struct sw_ctx {
    struct sw_req *req;
    struct sw_resp *resp;
    struct sw_store *store;
    const struct sw_config *cfg;
    const struct sw_route *route;
    struct sw_principal who;     /* valid when the route needs a token */
    json_t *account;             /* the caller's account, for SW_RT_ACCOUNT routes, or NULL */
    char csrf[48];               /* the session's CSRF token, when who.via_session */
    int64_t session_expires_ms;  /* the session's absolute end, when who.via_session */
    const char *lang;            /* the language answers are worded in ("en", "zh-CN"); the
                                  * thread's language too (sw_set_lang) */
    /* Reads up to n body bytes from the client; returns the count, 0 at the end, -1 on error. */
    int (*read_body)(void *io, char *buf, int n);
    /* Writes n bytes to the client at once (flushed); -1 when the client has gone. For
     * handlers that stream: they set resp->streamed and write the CGI head themselves. */
    int (*write_out)(void *io, const char *buf, size_t n);
    void *io;
};

/* The legal deadline rules, loaded at start (NULL when not loaded). */
struct sw_deadlines;
extern const struct sw_deadlines *sw_api_deadlines;

typedef void (*sw_handler)(struct sw_ctx *c);

#define SW_RT_BODY     0x01   /* the route takes a JSON body */
#define SW_RT_NO_IDEM  0x02   /* never cache the result for Idempotency-Key (it holds a secret) */
#define SW_RT_LARGE    0x04   /* the body may be up to api.import_max, not api.body_max */
#define SW_RT_CSV      0x08   /* text/csv is accepted besides JSON */
#define SW_RT_ACCOUNT  0x10   /* load the caller's account with the token (c->account) */
#define SW_RT_ICAL     0x20   /* text/calendar is accepted besides JSON */
#define SW_RT_UNLIMITED 0x40  /* not counted by the request limit (health and metrics probes) */
#define SW_RT_SETUP    0x80   /* open to a session limited to setting up TOTP */
#define SW_RT_ORIGIN   0x100  /* an Origin header, when sent, must be the portal's (sign-in and
                                 the mail-link routes that start a session) */

struct sw_route {
    const char *method;
    const char *pattern;      /* "/api/v1/subscribers/{id}" */
    sw_handler handler;
    unsigned roles;           /* enum sw_role bits; 0 means no token needed */
    unsigned flags;
    const char *query;        /* allowed query parameters, comma-separated, or NULL */
};

/* A portfolio import in CSV: a header naming the columns (id, kind, text, classes,
 * countries, aliases, …), lists inside a cell separated by ";", the body in charset cs
 * (SW_CS_AUTO: found out, see sw_text_decode). Returns the items as JSON (caller decrefs; each
 * with "_row", its row number) with every bad row added to errs, or NULL on no memory. info
 * says what was read, and bad_encoding when a byte is not in the encoding: then errs holds one
 * problem naming its row, column and offset, and no items are returned. */
#include "seawall/charset.h"
struct sw_csv_info {
    enum sw_charset charset;   /* what the body was read as */
    char delim;                /* ',' or '\t' */
    int bad_encoding;
};
json_t *sw_portfolio_csv_read(const char *buf, size_t len, enum sw_charset cs,
                              struct sw_csv_info *info, struct sw_verrs *errs);

/* The same, the charset found out. */
json_t *sw_portfolio_csv_items(const char *buf, size_t len, struct sw_verrs *errs);

extern const struct sw_route sw_routes[];
extern const size_t sw_nroutes;

/* Matches path against pattern; on success fills req->params and returns 1. A parameter
 * that is not UTF-8 matches nothing (no resource has such a name: the answer is 404). */
int sw_route_match(const char *pattern, const char *path, struct sw_req *req);

/* Decodes a query string into req->qs. Returns SW_OK, or SW_INVALID with a reason in err
 * (too many parameters, a repeated one, a bad %-escape, a name that is not UTF-8). Values
 * may hold any bytes but NUL: the handler judges them. */
int sw_query_parse(const char *qs, struct sw_req *req, char *err, size_t errlen);

/* The value of query parameter name, or NULL. */
const char *sw_query(const struct sw_ctx *c, const char *name);

/* The value of path parameter name; the route pattern guarantees it exists. */
const char *sw_param(const struct sw_ctx *c, const char *name);

/* Runs the whole request: routing, auth, limits, idempotency, the handler, metrics.
 * The response is left in c->resp. */
void sw_dispatch(struct sw_ctx *c);

/* Words this request's answers in lang (unknown: English): sets c->lang and the thread's
 * language, which sw_reply_problem and sw_verrs_add translate through. sw_dispatch calls it
 * first with the Accept-Language choice; a signed-in person's own language may replace it. */
void sw_set_lang(struct sw_ctx *c, const char *lang);

/* Frees what the request owns (body, decoded parameters). */
void sw_req_free(struct sw_req *req);

/* --- answering --- */

/* Sets a JSON response; takes ownership of v. */
void sw_reply_json(struct sw_ctx *c, int status, json_t *v);

/* Sets an application/problem+json response (RFC 9457) of type urn:seawall:problem:<slug>.
 * errors (stolen, may be NULL) becomes the "errors" member; an object instead adds its members
 * to the problem (RFC 9457 extension members such as "allowed"). title and fmt are English
 * msgids, translated into the thread's language (make po extracts them); type never changes.
 * The answer says Content-Language and Vary: Accept-Language. The detail and the instance
 * (the path) are escaped to UTF-8 (sw_utf8_escape), so request bytes in them never fail the
 * answer. */
void sw_reply_problem(struct sw_ctx *c, int status, const char *slug, const char *title,
                      json_t *errors, const char *fmt, ...) SW_PRINTF(6, 7);

/* As sw_reply_if_invalid for query parameters: each problem's "pointer" (the parameter's
 * name) is given as "parameter". */
int sw_reply_params_invalid(struct sw_ctx *c, struct sw_verrs *errs);

/* Says that this answer depends on stored state that may change (a subscriber that does not
 * exist yet, a conflict the caller may resolve, a store that failed an item of a batch):
 * an Idempotency-Key does not keep it, so the same request sent again is answered afresh. */
void sw_reply_state_dependent(struct sw_ctx *c);

/* 400 listing every problem in errs (which is emptied). */
void sw_reply_invalid(struct sw_ctx *c, struct sw_verrs *errs);

/* As sw_reply_invalid, with extra's members (stolen, may be NULL) beside the errors. */
void sw_reply_invalid_with(struct sw_ctx *c, struct sw_verrs *errs, json_t *extra);

/* When errs holds problems, answers 400 naming each and returns SW_INVALID; else SW_OK.
 * Frees errs either way. */
int sw_reply_if_invalid(struct sw_ctx *c, struct sw_verrs *errs);

/* The answer for a failed store call: 503 with Retry-After when Redis is unreachable, or
 * when a write people rely on reached too few replicas in time (store->unconfirmed), saying
 * which; 404 for SW_NOTFOUND, 409 for SW_CONFLICT, else 500 without internals (the reason
 * goes to the log). */
void sw_reply_store(struct sw_ctx *c, int rc, const char *what);

/* 404 that says nothing about whether the thing exists for someone else. */
void sw_reply_not_found(struct sw_ctx *c);

/* Adds a header line to the response. */
void sw_reply_header(struct sw_ctx *c, const char *name, const char *value);

/* Marks the answer as worded in c->lang (Content-Language, Vary: Accept-Language), once: for
 * answers whose text depends on the reader's language. */
void sw_reply_lang(struct sw_ctx *c);

/* --- reading --- */

/* Decodes the body as a JSON object (no field checks). Returns SW_OK with *out (caller decrefs),
 * or SW_INVALID after answering 400 malformed-json. */
int sw_body_parse(struct sw_ctx *c, json_t **out);

/* Decodes the body as a JSON object and checks it against spec. Returns SW_OK with *out
 * (caller decrefs), or SW_INVALID after answering 400 naming each bad field. */
int sw_body_object(struct sw_ctx *c, const struct sw_jfield *spec, int partial, json_t **out);

/* Path parameter name as a positive id. Returns SW_OK, or SW_NOTFOUND after answering 404. */
int sw_param_id(struct sw_ctx *c, const char *name, long long *id);

/* Reads ?cursor= and ?limit= (default 50, at most api.page_max). Returns SW_OK, or
 * SW_INVALID after answering 400 naming the parameter. */
int sw_page_args(struct sw_ctx *c, long long *after, int *limit);

/* Wraps a page of items as {"items": [...], "next": "<cursor>"|null}; steals items. */
json_t *sw_page_json(json_t *items, long long next);

/* 1 when text is a Redis stream id "<ms>-<seq>" (how the live stream and the delivery log
 * name their entries). */
int sw_stream_id_valid(const char *text);

/* Reads ?limit= alone (for lists whose cursor is not a number), as sw_page_args does. */
int sw_page_limit(struct sw_ctx *c, int *limit);

/* --- cases (fcgi/cases.c), shared with evidence.c --- */

/* The time case clocks use (cases.test_clock may shift it). */
int64_t sw_cases_now(struct sw_ctx *c);

/* 1 when the caller may see the case. */
int sw_case_visible(const struct sw_ctx *c, const json_t *doc);

/* Loads the case named by path parameter {id} if the caller may see it; otherwise answers
 * (404, 503) and returns that code. *doc is the caller's to decref. */
int sw_case_load_visible(struct sw_ctx *c, long long *id, json_t **doc);

/* Tells the case's exporter through their alert inbox (keyed by the history entry). code
 * names the notice (sw_msg_notice_text: "accepted", "reply", …); text is what the exporter
 * reads with it: a catalogue message when text_from_catalogue (rendered in each reader's
 * language), else words a person wrote (a reason, a reply), shown as written. */
void sw_case_notice(struct sw_ctx *c, const json_t *doc, const char *code, const char *text,
                    int text_from_catalogue, const char *severity);

/* The centre a new case goes to: in's centre_id (a missing one is added to errs) or the first
 * centre. SW_OK, SW_NOTFOUND (no centre at all) or SW_EAGAIN. */
int sw_case_choose_centre(struct sw_ctx *c, const json_t *in, long long *centre,
                          struct sw_verrs *errs);

/* A case as GET /cases/{id} shows it to the caller (the read-time views, the exporter's
 * name). New reference, or NULL on no memory. */
json_t *sw_case_view_for(struct sw_ctx *c, const json_t *doc);

/* --- evidence (fcgi/evidence.c), shared with the dossier --- */

/* The evidence case id (its document doc) shows, as GET /cases/{id}/evidence lists it (its
 * own files, then those of the incident it came from). SW_OK with *out (caller decrefs), or
 * the store's code (nothing answered). */
int sw_case_evidence_list(struct sw_ctx *c, long long id, const json_t *doc, json_t **out);

/* The stored file of evidence hash into file (flen bytes) and whether it still has that
 * SHA-256: SW_OK with *size and, when crc is not NULL, its CRC-32; SW_ERR (logged) when it is
 * missing or changed. */
int sw_evidence_verify(struct sw_ctx *c, const char *hash, char *file, size_t flen,
                       long long *size, uint32_t *crc);

/* --- show incidents (fcgi/incidents.c), shared with evidence.c --- */

/* Loads the incident named by path parameter {id} if the caller may see it (admins, centre
 * staff, the station of its show); otherwise answers and returns that code. */
int sw_incident_load_visible(struct sw_ctx *c, long long *id, json_t **doc);

/* Loads the show named by path parameter {show} when the caller works there (a station) or
 * may see every show (staff, admins); otherwise answers (404) and returns that code. */
int sw_incident_caller_show(struct sw_ctx *c, json_t **show);

/* The printable report of a show's incidents (fcgi/report.c): docs (the incidents, oldest
 * first) as an HTML page for the organiser in the fair's local time, labels in lang ("en",
 * "zh-CN", "de") or all three side by side (lang "all"), with a summary. more: the list
 * stopped at shows.export_max. Into out (whose ceiling is the export's); SW_OK, or SW_TOOBIG
 * with *fitted the incidents that fitted. */
struct sw_buf;
int sw_incidents_report(struct sw_ctx *c, const json_t *show, const json_t *docs, int more,
                        const char *lang, struct sw_buf *out, size_t *fitted);

/* Whom doc's exhibitor is suggested to be: the matcher's own recognition first (it knows
 * every subscriber's company names), else the attendee of the show found when it was logged;
 * NULL when neither, or when the exhibitor is linked to its subscriber. A new object:
 * {subscriber_id, name, match, why, matched_name, by: "matcher" | "attendees"}. */
json_t *sw_incident_suggestion(struct sw_ctx *c, const json_t *doc);

/* An incident as every reader sees it (deadline standing computed at now), a new object. */
json_t *sw_incident_view(const json_t *doc, int64_t now);

/* 1 when name is one of the comma-separated list's parts. */
int sw_in_list(const char *list, const char *name);

/* 1 when every comma-separated part of list (at most 512 bytes) is one of allowed (or, with
 * allowed NULL, a country code, EM, EU, WO or EP); an empty part is an error. */
int sw_list_valid(const char *list, const char *const *allowed);

/* Appends a CSV cell (after a comma unless first), quoted, with a leading ' where a
 * spreadsheet would read a formula (= + - @, tab, CR, LF, full-width ＝ ＋ － ＠). Returns SW_OK,
 * or SW_TOOBIG when b's ceiling cut the cell short (b then holds part of it). */
int sw_csv_cell(struct sw_buf *b, const char *v, int first);

/* --- people and sessions (fcgi/people.c, fcgi/session.c) --- */

/* The time sessions and mail tokens are checked against (cases.test_clock may shift it). */
int64_t sw_people_now(struct sw_ctx *c);

/* The session limits from the configuration. */
struct sw_session_limits;
void sw_session_limits_of(const struct sw_ctx *c, struct sw_session_limits *lim);

/* The portal's origin (portal.origin, else the request's scheme and Host) into out. */
void sw_portal_origin(const struct sw_ctx *c, char *out, size_t outlen);

/* Starts a session for person (stored document), sets the cookie and answers 200 with
 * {person, csrf_token, expires_at, totp_setup_required}. */
void sw_session_start_reply(struct sw_ctx *c, const json_t *person, int limited,
                            const char *how);

/* Account mail to one address in lang: what it is about, an absolute link (or NULL) and a
 * detail some kinds name (the inviter, the address a sign-in came from). Best effort. */
enum sw_mail_kind {
    SW_MAIL_VERIFY,          /* confirm the address of a sign-up (link) */
    SW_MAIL_SIGNUP_EXISTS,   /* someone signed up with an address that has an account */
    SW_MAIL_RESET,           /* reset the password (link) */
    SW_MAIL_INVITE,          /* an invitation (link; detail: who invites, to what) */
    SW_MAIL_SIGNIN,          /* a sign-in from a new place (detail: address, browser) */
    SW_MAIL_PASSWORD,        /* the password was changed or reset */
    SW_MAIL_TOTP,            /* the second factor was turned on or off (detail: which) */
};
void sw_people_mail(struct sw_ctx *c, const char *to, const char *lang, enum sw_mail_kind kind,
                    const char *link, const char *detail);

/* Adds an audit entry for the caller's person (address and user agent of this request). */
void sw_people_audit(struct sw_ctx *c, long long person, const char *event, const char *detail);

/* 403 unless the caller is a person (a session, or a token a person made); SW_OK when so. */
int sw_need_person(struct sw_ctx *c);

/* 1 when a spreadsheet could read a cell starting so as a formula: what sw_csv_cell guards
 * with a leading ' (and a CSV import takes the ' off again). */
int sw_csv_formula_start(const char *v);

/* Adds Content-Disposition: attachment with name as a plain ASCII filename (others as _) and
 * as RFC 8187 filename*=UTF-8''… (characters a file name cannot hold — / \ : * ? " < > | and
 * controls — as _; at most 150 bytes, never cut inside a character). */
void sw_reply_attachment(struct sw_ctx *c, const char *name);

/* The same header's value into out (at least 700 bytes), for handlers that write their own
 * head (a streamed answer). */
void sw_attachment_value(const char *name, char *out, size_t outlen);

/* --- metrics (fcgi/metrics.c) --- */

/* Maps counters into memory shared by every process forked after this call. */
int sw_metrics_init(void);
void sw_metrics_observe(int route_index, int status, int64_t micros);
void sw_metrics_redis_error(void);
void sw_metrics_inflight(int delta);
void sw_metrics_render(struct sw_buf *out);

/* --- handlers --- */
void sw_h_healthz(struct sw_ctx *c);
void sw_h_metrics(struct sw_ctx *c);
void sw_h_me(struct sw_ctx *c);
void sw_h_subscribers_create(struct sw_ctx *c);
void sw_h_subscribers_list(struct sw_ctx *c);
void sw_h_subscribers_get(struct sw_ctx *c);
void sw_h_subscribers_patch(struct sw_ctx *c);
void sw_h_centres_create(struct sw_ctx *c);
void sw_h_centres_list(struct sw_ctx *c);
void sw_h_centres_get(struct sw_ctx *c);
void sw_h_staff_create(struct sw_ctx *c);
void sw_h_staff_list(struct sw_ctx *c);
void sw_h_staff_get(struct sw_ctx *c);
void sw_h_stations_create(struct sw_ctx *c);
void sw_h_stations_list(struct sw_ctx *c);
void sw_h_stations_get(struct sw_ctx *c);
/* associations.c */
void sw_h_associations_create(struct sw_ctx *c);
void sw_h_associations_list(struct sw_ctx *c);
void sw_h_associations_get(struct sw_ctx *c);
void sw_h_associations_patch(struct sw_ctx *c);
void sw_h_associations_invite(struct sw_ctx *c);
void sw_h_associations_members(struct sw_ctx *c);
void sw_h_associations_member_delete(struct sw_ctx *c);
void sw_h_associations_stats(struct sw_ctx *c);
void sw_h_me_associations(struct sw_ctx *c);
void sw_h_me_associations_consent(struct sw_ctx *c);
void sw_h_me_associations_leave(struct sw_ctx *c);
void sw_h_matters_list(struct sw_ctx *c);
void sw_h_matters_get(struct sw_ctx *c);
void sw_h_matters_notices(struct sw_ctx *c);
void sw_h_feeds_create(struct sw_ctx *c);
void sw_h_feeds_list(struct sw_ctx *c);
void sw_h_feeds_get(struct sw_ctx *c);
void sw_h_feeds_patch(struct sw_ctx *c);
void sw_h_feeds_delete(struct sw_ctx *c);
void sw_h_feeds_poll(struct sw_ctx *c);
void sw_h_coverage(struct sw_ctx *c);
void sw_h_sources_list(struct sw_ctx *c);
void sw_h_sources_get(struct sw_ctx *c);
void sw_h_sources_enable(struct sw_ctx *c);
void sw_h_sources_disable(struct sw_ctx *c);
void sw_h_portfolio_create(struct sw_ctx *c);
void sw_h_portfolio_import(struct sw_ctx *c);
void sw_h_portfolio_check(struct sw_ctx *c);
void sw_h_portfolio_list(struct sw_ctx *c);
void sw_h_portfolio_export(struct sw_ctx *c);
void sw_h_portfolio_get(struct sw_ctx *c);
void sw_h_portfolio_patch(struct sw_ctx *c);
void sw_h_portfolio_delete(struct sw_ctx *c);
void sw_h_alerts_list(struct sw_ctx *c);
void sw_h_alerts_get(struct sw_ctx *c);
void sw_h_alerts_patch(struct sw_ctx *c);
void sw_h_alerts_bulk_status(struct sw_ctx *c);
void sw_h_alerts_counts(struct sw_ctx *c);
void sw_h_dashboard(struct sw_ctx *c);
void sw_h_alerts_stream(struct sw_ctx *c);
void sw_h_delivery_get(struct sw_ctx *c);
void sw_h_delivery_patch(struct sw_ctx *c);
void sw_h_delivery_digest(struct sw_ctx *c);
void sw_h_webhooks_create(struct sw_ctx *c);
void sw_h_webhooks_list(struct sw_ctx *c);
void sw_h_webhooks_get(struct sw_ctx *c);
void sw_h_webhooks_patch(struct sw_ctx *c);
void sw_h_webhooks_delete(struct sw_ctx *c);
void sw_h_webhooks_rotate(struct sw_ctx *c);
void sw_h_webhooks_test(struct sw_ctx *c);
void sw_h_deliveries_list(struct sw_ctx *c);
void sw_h_deliveries_get(struct sw_ctx *c);
void sw_h_deliveries_replay(struct sw_ctx *c);
void sw_h_deliveries_retry(struct sw_ctx *c);
void sw_h_delivery_log(struct sw_ctx *c);
void sw_h_unsubscribe_page(struct sw_ctx *c);
void sw_h_unsubscribe(struct sw_ctx *c);
void sw_h_cases_create(struct sw_ctx *c);
void sw_h_cases_list(struct sw_ctx *c);
void sw_h_cases_queue(struct sw_ctx *c);
void sw_h_cases_queue_counts(struct sw_ctx *c);
void sw_h_cases_bulk(struct sw_ctx *c);
void sw_h_cases_deadlines_create(struct sw_ctx *c);
void sw_h_cases_deadlines_patch(struct sw_ctx *c);
void sw_h_cases_deadlines_delete(struct sw_ctx *c);
void sw_h_deadlines_list(struct sw_ctx *c);
void sw_h_calendar_url_get(struct sw_ctx *c);
void sw_h_calendar_url_create(struct sw_ctx *c);
void sw_h_calendar_url_delete(struct sw_ctx *c);
void sw_h_calendar_feed(struct sw_ctx *c);
void sw_h_me_views_list(struct sw_ctx *c);
void sw_h_me_views_put(struct sw_ctx *c);
void sw_h_me_views_delete(struct sw_ctx *c);
void sw_h_templates_list(struct sw_ctx *c);
void sw_h_templates_create(struct sw_ctx *c);
void sw_h_templates_patch(struct sw_ctx *c);
void sw_h_templates_delete(struct sw_ctx *c);
void sw_h_cases_stats(struct sw_ctx *c);
void sw_h_cases_get(struct sw_ctx *c);
void sw_h_cases_transition(struct sw_ctx *c);
void sw_h_cases_experts(struct sw_ctx *c);
void sw_h_cases_priority(struct sw_ctx *c);
void sw_h_cases_deadline(struct sw_ctx *c);
void sw_h_cases_messages_create(struct sw_ctx *c);
void sw_h_cases_messages_list(struct sw_ctx *c);
void sw_h_cases_history(struct sw_ctx *c);
void sw_h_cases_evidence_upload(struct sw_ctx *c);
void sw_h_cases_insurance_put(struct sw_ctx *c);
void sw_h_cases_insurance_decision(struct sw_ctx *c);
void sw_h_cases_costs_list(struct sw_ctx *c);
void sw_h_cases_costs_create(struct sw_ctx *c);
void sw_h_cases_costs_patch(struct sw_ctx *c);
void sw_h_cases_costs_delete(struct sw_ctx *c);
void sw_h_policy_costs(struct sw_ctx *c);
void sw_h_cases_dossier(struct sw_ctx *c);
void sw_h_cases_dossier_zip(struct sw_ctx *c);
void sw_h_cases_evidence_list(struct sw_ctx *c);
void sw_h_cases_evidence_get(struct sw_ctx *c);
void sw_h_deadline_rules(struct sw_ctx *c);
void sw_h_bulletins_create(struct sw_ctx *c);
void sw_h_bulletins_list(struct sw_ctx *c);
void sw_h_bulletins_get(struct sw_ctx *c);
void sw_h_bulletins_atom(struct sw_ctx *c);
void sw_h_bulletins_drafts(struct sw_ctx *c);
void sw_h_bulletins_patch(struct sw_ctx *c);
void sw_h_bulletins_preview(struct sw_ctx *c);
void sw_h_bulletins_publish(struct sw_ctx *c);
void sw_h_bulletins_correct(struct sw_ctx *c);
void sw_h_bulletins_withdraw(struct sw_ctx *c);
void sw_h_bulletins_versions(struct sw_ctx *c);
void sw_h_shows_create(struct sw_ctx *c);
void sw_h_shows_list(struct sw_ctx *c);
void sw_h_shows_get(struct sw_ctx *c);
void sw_h_shows_patch(struct sw_ctx *c);
void sw_h_shows_import(struct sw_ctx *c);
void sw_h_incidents_create(struct sw_ctx *c);
void sw_h_incidents_batch(struct sw_ctx *c);
void sw_h_incidents_list(struct sw_ctx *c);
void sw_h_incidents_export(struct sw_ctx *c);
void sw_h_incidents_get(struct sw_ctx *c);
void sw_h_incidents_patch(struct sw_ctx *c);
void sw_h_incidents_history(struct sw_ctx *c);
void sw_h_incidents_escalate(struct sw_ctx *c);
void sw_h_incidents_evidence_upload(struct sw_ctx *c);
void sw_h_incidents_evidence_list(struct sw_ctx *c);
void sw_h_incidents_evidence_get(struct sw_ctx *c);
void sw_h_shows_attendees(struct sw_ctx *c);
void sw_h_parties_search(struct sw_ctx *c);
void sw_h_party_get(struct sw_ctx *c);
void sw_h_register_mark(struct sw_ctx *c);
void sw_h_follows_create(struct sw_ctx *c);
void sw_h_follows_list(struct sw_ctx *c);
void sw_h_follows_get(struct sw_ctx *c);
void sw_h_follows_delete(struct sw_ctx *c);

/* fcgi/screenings.c */
void sw_h_screenings_create(struct sw_ctx *c);
void sw_h_screenings_list(struct sw_ctx *c);
void sw_h_screenings_get(struct sw_ctx *c);
void sw_h_tokens_create(struct sw_ctx *c);
void sw_h_tokens_list(struct sw_ctx *c);
void sw_h_tokens_get(struct sw_ctx *c);
void sw_h_tokens_revoke(struct sw_ctx *c);
void sw_h_session_create(struct sw_ctx *c);
void sw_h_session_get(struct sw_ctx *c);
void sw_h_session_delete(struct sw_ctx *c);
void sw_h_me_sessions(struct sw_ctx *c);
void sw_h_me_sessions_delete(struct sw_ctx *c);
void sw_h_me_audit(struct sw_ctx *c);
void sw_h_me_patch(struct sw_ctx *c);
void sw_h_me_password(struct sw_ctx *c);
void sw_h_me_totp(struct sw_ctx *c);
void sw_h_me_totp_confirm(struct sw_ctx *c);
void sw_h_me_totp_delete(struct sw_ctx *c);
void sw_h_signup(struct sw_ctx *c);
void sw_h_signup_verify(struct sw_ctx *c);
void sw_h_password_forgot(struct sw_ctx *c);
void sw_h_password_reset(struct sw_ctx *c);
void sw_h_invitations_create(struct sw_ctx *c);
void sw_h_invitations_list(struct sw_ctx *c);
void sw_h_team_list(struct sw_ctx *c);
void sw_h_invitations_get(struct sw_ctx *c);
void sw_h_invitations_delete(struct sw_ctx *c);
void sw_h_invitations_accept(struct sw_ctx *c);

#endif
