/* bulletins.c — early-warning bulletins over HTTP. Triagers and admins write them in Chinese
 * and English, keep drafts, preview them as the public page and the alert would show them,
 * publish, correct (a new version; the exporters alerted before are told) and withdraw them
 * (with a reason); experts of the centre read the drafts; anyone reads what is published
 * (no token), its earlier versions and the Atom feed. Every write is one lib/bulletins.c
 * operation; seawall/bulletins.h says how a version's event reaches the exporters. Staff see
 * their own centre's bulletins to change or preview; another centre's answer 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/atom.h"
#include "seawall/bulletins.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/delivery.h"
#include "seawall/i18n.h"
#include "seawall/message.h"
#include "seawall/store.h"
#include "api.h"

#define ATOM_ENTRIES 50              /* the newest bulletins a feed carries */
#define ATOM_MAX     (8 * 1024 * 1024)   /* 50 bulletins of 20,000 characters and a notice,
                                          * each escaped to at most 6 bytes (&quot;) */
#define COMMIT_TRIES 3               /* a withdrawal that met a correction tries again */

/* --- shared ---------------------------------------------------------------------------------- */

static json_t *who_json(const struct sw_ctx *c)
{
    return json_pack("{s:s, s:I, s:I}", "role", sw_role_name(c->who.role), "id",
                     (json_int_t)c->who.subject, "centre", (json_int_t)c->who.centre);
}

static const char *status_of(const json_t *doc)
{
    return json_string_value(json_object_get(doc, "status")) ?: "";
}

/* Loads bulletin {id} for its centre's staff (admins: any). Answers 404 (or the store's
 * failure) and returns that code otherwise. */
static int load_mine(struct sw_ctx *c, long long *id, json_t **doc)
{
    int rc;

    *doc = NULL;
    if (sw_param_id(c, "id", id) != SW_OK)
        return SW_NOTFOUND;
    rc = sw_bulletin_get(c->store, *id, doc);
    if (rc == SW_OK && c->who.role != SW_ROLE_ADMIN &&
        json_integer_value(json_object_get(*doc, "centre")) != c->who.centre) {
        json_decref(*doc);
        *doc = NULL;
        rc = SW_NOTFOUND;
    }
    if (rc == SW_NOTFOUND)
        sw_reply_not_found(c);
    else if (rc != SW_OK)
        sw_reply_store(c, rc, "loading the bulletin");
    return rc;
}

/* The request body checked for what; SW_OK with *in, or SW_INVALID after answering 400. */
static int body_for(struct sw_ctx *c, enum sw_bulletin_body what, json_t **in)
{
    struct sw_verrs errs;

    if (sw_body_parse(c, in) != SW_OK)
        return SW_INVALID;
    sw_verrs_init(&errs);
    sw_bulletin_check(*in, what, &errs);
    if (sw_reply_if_invalid(c, &errs) != SW_OK) {
        json_decref(*in);
        *in = NULL;
        return SW_INVALID;
    }
    return SW_OK;
}

static void reply_withdrawn(struct sw_ctx *c, long long id)
{
    sw_reply_problem(c, 409, "bulletin-withdrawn", "Bulletin withdrawn", NULL,
                     "bulletin %lld was withdrawn; it can no longer change", id);
}

static void reply_not_published(struct sw_ctx *c, long long id)
{
    sw_reply_problem(c, 409, "bulletin-not-published", "Bulletin not published", NULL,
                     "bulletin %lld is a draft: edit it with PATCH, or publish it first", id);
}

static void reply_version_conflict(struct sw_ctx *c, const json_t *doc)
{
    sw_reply_problem(c, 409, "bulletin-version-conflict", "Bulletin changed meanwhile",
                     json_pack("{s:O}", "version", json_object_get(doc, "version")),
                     "bulletin %lld is at version %lld now: read it and correct that version",
                     (long long)json_integer_value(json_object_get(doc, "id")),
                     (long long)json_integer_value(json_object_get(doc, "version")));
}

/* Publishes draft (as loaded) into *out (caller decrefs): version 1, its event. Returns the
 * store's code (SW_CONFLICT: it was published meanwhile). */
static int publish(struct sw_ctx *c, const json_t *draft, json_t **out)
{
    char when[32];
    json_t *doc = json_deep_copy(draft), *ev;
    int rc;

    *out = NULL;
    if (doc == NULL)
        return SW_ERR;
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    json_object_set_new(doc, "status", json_string("published"));
    json_object_set_new(doc, "version", json_integer(1));
    json_object_set_new(doc, "published_at", json_string(when));
    json_object_set_new(doc, "published_by", who_json(c));
    json_object_set_new(doc, "updated_at", json_string(when));
    ev = sw_bulletin_event(doc, "publish", when);
    rc = ev == NULL ? SW_ERR
                    : sw_bulletin_commit(c->store, draft, doc, ev,
                                         sw_config_int(c->cfg, "events.ttl_s"),
                                         sw_config_int(c->cfg, "events.maxlen"));
    json_decref(ev);
    if (rc == SW_OK)
        *out = doc;
    else
        json_decref(doc);
    return rc;
}

/* A request that finds its change already made (a retry): the change's event goes out again
 * (a no-op when it went out before), so an event a crash kept back is not lost. SW_OK to answer
 * doc; otherwise it has answered 503. */
static int announced(struct sw_ctx *c, const json_t *doc)
{
    int rc = sw_bulletin_announce(c->store, doc, sw_config_int(c->cfg, "events.ttl_s"),
                                  sw_config_int(c->cfg, "events.maxlen"));

    if (rc != SW_OK)
        sw_reply_store(c, rc, "announcing the bulletin");
    return rc;
}

/* 400 naming what draft lacks to be published; SW_OK when it lacks nothing. */
static int complete(struct sw_ctx *c, const json_t *doc)
{
    struct sw_verrs errs;

    sw_verrs_init(&errs);
    sw_bulletin_check_complete(doc, &errs);
    return sw_reply_if_invalid(c, &errs);
}

static void reply_created(struct sw_ctx *c, json_t *doc)
{
    char loc[64];

    snprintf(loc, sizeof(loc), "/api/v1/bulletins/%lld",
             (long long)json_integer_value(json_object_get(doc, "id")));
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 201, doc);
}

/* --- writing --------------------------------------------------------------------------------- */

/* POST /bulletins: published at once (the default), or kept as a draft ("status": "draft"). */
void sw_h_bulletins_create(struct sw_ctx *c)
{
    char when[32];
    json_t *in, *doc, *out;
    long long id;
    int rc, draft;

    if (body_for(c, SW_BB_CREATE, &in) != SW_OK)
        return;
    draft = strcmp(json_string_value(json_object_get(in, "status")) ?: "", "draft") == 0;
    rc = sw_bulletin_next_id(c->store, &id);
    if (rc != SW_OK) {
        json_decref(in);
        sw_reply_store(c, rc, "numbering the bulletin");
        return;
    }
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    doc = json_pack("{s:I, s:s, s:i, s:I, s:s, s:o, s:s}", "id", (json_int_t)id, "status",
                    "draft", "version", 0, "centre",
                    (json_int_t)(c->who.role == SW_ROLE_ADMIN ? 0 : c->who.centre),
                    "created_at", when, "created_by", who_json(c), "updated_at", when);
    if (doc == NULL) {
        json_decref(in);
        sw_reply_store(c, SW_ERR, "writing the bulletin");
        return;
    }
    sw_bulletin_merge(doc, in, sw_bulletin_plain_lang(in));
    json_decref(in);
    if (draft) {
        rc = sw_bulletin_save_draft(c->store, doc);
        if (rc != SW_OK) {
            json_decref(doc);
            sw_reply_store(c, rc, "saving the draft");
            return;
        }
        reply_created(c, doc);
        return;
    }
    rc = publish(c, doc, &out);
    json_decref(doc);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "publishing the bulletin");
        return;
    }
    reply_created(c, out);
}

/* PATCH /bulletins/{id}: a draft's fields (a text in one language at a time, null removes). */
void sw_h_bulletins_patch(struct sw_ctx *c)
{
    char when[32];
    json_t *doc, *in;
    long long id;
    int rc;

    if (load_mine(c, &id, &doc) != SW_OK)
        return;
    if (body_for(c, SW_BB_DRAFT, &in) != SW_OK) {
        json_decref(doc);
        return;
    }
    if (strcmp(status_of(doc), "draft") != 0) {
        sw_reply_problem(c, 409, "bulletin-not-draft", "Bulletin not a draft", NULL,
                         "bulletin %lld is %s: a published bulletin changes by a correction "
                         "(POST /api/v1/bulletins/%lld/corrections)", id, status_of(doc), id);
        goto out;
    }
    sw_bulletin_merge(doc, in, sw_bulletin_plain_lang(in));
    json_object_set_new(doc, "updated_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                  sizeof(when))));
    rc = sw_bulletin_save_draft(c->store, doc);
    if (rc == SW_CONFLICT) {
        sw_reply_problem(c, 409, "bulletin-not-draft", "Bulletin not a draft", NULL,
                         "bulletin %lld was published meanwhile: a published bulletin changes "
                         "by a correction (POST /api/v1/bulletins/%lld/corrections)", id, id);
    } else if (rc != SW_OK) {
        sw_reply_store(c, rc, "saving the draft");
    } else {
        sw_reply_json(c, 200, doc);
        doc = NULL;
    }
out:
    json_decref(in);
    json_decref(doc);
}

/* POST /bulletins/{id}/publish: a draft goes out as version 1; publishing again answers the
 * bulletin as it is (a retry). */
void sw_h_bulletins_publish(struct sw_ctx *c)
{
    json_t *doc, *out = NULL;
    long long id;
    int rc;

    if (load_mine(c, &id, &doc) != SW_OK)
        return;
    if (strcmp(status_of(doc), "withdrawn") == 0) {
        reply_withdrawn(c, id);
    } else if (strcmp(status_of(doc), "published") == 0) {
        if (announced(c, doc) == SW_OK) {
            sw_reply_json(c, 200, doc);
            return;
        }
    } else if (complete(c, doc) == SW_OK) {
        rc = publish(c, doc, &out);
        if (rc == SW_CONFLICT) {   /* published by another request meanwhile: answer it */
            json_decref(doc);
            if (sw_bulletin_get(c->store, id, &doc) == SW_OK &&
                strcmp(status_of(doc), "published") == 0) {
                if (announced(c, doc) == SW_OK) {
                    sw_reply_json(c, 200, doc);
                    return;
                }
            } else {
                sw_reply_store(c, SW_CONFLICT, "publishing the bulletin");
            }
        } else if (rc != SW_OK) {
            sw_reply_store(c, rc, "publishing the bulletin");
        } else {
            sw_reply_json(c, 200, out);
        }
    }
    json_decref(doc);
}

/* POST /bulletins/{id}/corrections: the fields that change and a note make the next version;
 * "version" (optional) is the version the writer read, refused when another came since. The
 * same correction sent again answers the bulletin as it is. */
void sw_h_bulletins_correct(struct sw_ctx *c)
{
    char when[32], loc[80];
    json_t *doc, *in, *after = NULL, *note = NULL, *ev = NULL, *now = NULL;
    const json_t *ver;
    long long id, v;
    int rc;

    if (load_mine(c, &id, &doc) != SW_OK)
        return;
    if (body_for(c, SW_BB_CORRECTION, &in) != SW_OK) {
        json_decref(doc);
        return;
    }
    v = json_integer_value(json_object_get(doc, "version"));
    ver = json_object_get(in, "version");
    note = sw_bulletin_texts(json_object_get(in, "note"), sw_bulletin_plain_lang(in));
    after = json_deep_copy(doc);
    if (strcmp(status_of(doc), "draft") == 0) {
        reply_not_published(c, id);
        goto out;
    }
    if (strcmp(status_of(doc), "withdrawn") == 0) {
        reply_withdrawn(c, id);
        goto out;
    }
    if (note == NULL || after == NULL) {
        sw_reply_store(c, SW_ERR, "correcting the bulletin");
        goto out;
    }
    if (!sw_bulletin_merge(after, in, sw_bulletin_plain_lang(in))) {
        /* Nothing changes: the same correction again (a retry) answers what it made. */
        if (json_equal(note, json_object_get(json_object_get(doc, "correction"), "note")) &&
            (ver == NULL || json_integer_value(ver) == v - 1)) {
            if (announced(c, doc) == SW_OK) {
                sw_reply_json(c, 200, doc);
                doc = NULL;
            }
        } else {
            sw_reply_problem(c, 400, "validation", "Invalid request",
                             json_pack("[{s:s, s:s}]", "pointer", "", "message",
                                       sw_tr(c->lang, "the correction changes nothing: give "
                                                      "the fields that change")),
                             "the correction changes nothing");
        }
        goto out;
    }
    if (ver != NULL && json_integer_value(ver) != v) {
        reply_version_conflict(c, doc);
        goto out;
    }
    if (complete(c, after) != SW_OK)
        goto out;
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    json_object_set_new(after, "version", json_integer(v + 1));
    json_object_set_new(after, "corrected_at", json_string(when));
    json_object_set_new(after, "correction", json_pack("{s:I, s:O, s:s, s:o}", "version",
                                                       (json_int_t)(v + 1), "note", note,
                                                       "at", when, "by", who_json(c)));
    json_object_set_new(after, "updated_at", json_string(when));
    ev = sw_bulletin_event(after, "correction", when);
    rc = ev == NULL ? SW_ERR
                    : sw_bulletin_commit(c->store, doc, after, ev,
                                         sw_config_int(c->cfg, "events.ttl_s"),
                                         sw_config_int(c->cfg, "events.maxlen"));
    if (rc == SW_CONFLICT) {
        /* Another request changed it first: the same correction (a retry) is answered with
         * what it made; anything else is told the version it now has. */
        if (sw_bulletin_get(c->store, id, &now) != SW_OK) {
            sw_reply_store(c, SW_EAGAIN, "correcting the bulletin");
        } else if (sw_bulletin_same_content(now, after) &&
                   json_equal(note, json_object_get(json_object_get(now, "correction"),
                                                    "note"))) {
            if (announced(c, now) == SW_OK) {
                sw_reply_json(c, 200, now);
                now = NULL;
            }
        } else if (strcmp(status_of(now), "withdrawn") == 0) {
            reply_withdrawn(c, id);
        } else {
            reply_version_conflict(c, now);
        }
        json_decref(now);
    } else if (rc == SW_TOOBIG) {
        sw_reply_problem(c, 409, "bulletin-versions-full", "Too many versions", NULL,
                         "bulletin %lld has %d versions, the most one may have: withdraw it and "
                         "publish a new one", id, SW_BULLETIN_VERSIONS_MAX);
    } else if (rc != SW_OK) {
        sw_reply_store(c, rc, "correcting the bulletin");
    } else {
        snprintf(loc, sizeof(loc), "/api/v1/bulletins/%lld/versions", id);
        sw_reply_header(c, "Location", loc);
        sw_reply_json(c, 201, after);
        after = NULL;
    }
out:
    json_decref(ev);
    json_decref(note);
    json_decref(after);
    json_decref(in);
    json_decref(doc);
}

/* POST /bulletins/{id}/withdraw: with a reason; withdrawing again answers it as it is. */
void sw_h_bulletins_withdraw(struct sw_ctx *c)
{
    char when[32];
    json_t *doc, *in, *after = NULL, *reason, *ev = NULL;
    long long id;
    int rc = SW_CONFLICT, tries;

    if (load_mine(c, &id, &doc) != SW_OK)
        return;
    if (body_for(c, SW_BB_WITHDRAWAL, &in) != SW_OK) {
        json_decref(doc);
        return;
    }
    reason = sw_bulletin_texts(json_object_get(in, "reason"), sw_bulletin_plain_lang(in));
    for (tries = 0; tries < COMMIT_TRIES && rc == SW_CONFLICT; tries++) {
        if (tries > 0) {   /* a correction came first: withdraw what is out now */
            json_decref(doc);
            if ((rc = sw_bulletin_get(c->store, id, &doc)) != SW_OK)
                break;
            rc = SW_CONFLICT;
        }
        if (strcmp(status_of(doc), "withdrawn") == 0) {   /* a retry, or another's */
            rc = sw_bulletin_announce(c->store, doc, sw_config_int(c->cfg, "events.ttl_s"),
                                      sw_config_int(c->cfg, "events.maxlen"));
            after = json_incref(doc);
            break;
        }
        if (strcmp(status_of(doc), "draft") == 0)
            break;
        json_decref(after);
        json_decref(ev);
        after = json_deep_copy(doc);
        if (after == NULL || reason == NULL) {
            rc = SW_ERR;
            break;
        }
        sw_iso8601(sw_now_ms(), when, sizeof(when));
        json_object_set_new(after, "status", json_string("withdrawn"));
        json_object_set_new(after, "withdrawn_at", json_string(when));
        json_object_set_new(after, "withdrawal", json_pack("{s:O, s:s, s:o}", "reason", reason,
                                                           "at", when, "by", who_json(c)));
        json_object_set_new(after, "updated_at", json_string(when));
        ev = sw_bulletin_event(after, "withdrawal", when);
        rc = ev == NULL ? SW_ERR
                        : sw_bulletin_commit(c->store, doc, after, ev,
                                             sw_config_int(c->cfg, "events.ttl_s"),
                                             sw_config_int(c->cfg, "events.maxlen"));
    }
    if (rc == SW_OK) {
        sw_reply_json(c, 200, after);
        after = NULL;
    } else if (doc != NULL && strcmp(status_of(doc), "draft") == 0) {
        reply_not_published(c, id);
    } else {
        sw_reply_store(c, rc, "withdrawing the bulletin");
    }
    json_decref(ev);
    json_decref(reason);
    json_decref(after);
    json_decref(in);
    json_decref(doc);
}

/* --- reading --------------------------------------------------------------------------------- */

/* ?lang= as given (en or zh-CN), else the request's language; NULL after answering 400. */
static const char *lang_arg(struct sw_ctx *c)
{
    const char *l = sw_query(c, "lang");

    if (l == NULL)
        return c->lang;
    if (strcmp(l, SW_LANG_EN) == 0 || strcmp(l, SW_LANG_ZH_CN) == 0)
        return l;
    sw_reply_problem(c, 400, "validation", "Invalid request",
                     json_pack("[{s:s, s:s}]", "parameter", "lang", "message",
                               sw_tr(c->lang, "must be en or zh-CN")),
                     "query parameter lang must be en or zh-CN");
    return NULL;
}

/* GET /bulletins/{id}/preview?lang=: the page as the public would read it in lang, and the
 * alert an exporter trading in its country would get (its title, summary and mail). */
void sw_h_bulletins_preview(struct sw_ctx *c)
{
    struct sw_msg_ctx m;
    char when[32], subject[512];
    const char *lang, *country;
    json_t *doc, *ev, *alert, *shown, *page;
    struct sw_buf text, html;
    long long id;

    if (load_mine(c, &id, &doc) != SW_OK)
        return;
    if ((lang = lang_arg(c)) == NULL) {
        json_decref(doc);
        return;
    }
    country = json_string_value(json_object_get(doc, "country")) ?: "";
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    ev = sw_bulletin_event(doc, "publish", when);
    alert = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[i], s:[{s:{s:i, s:s, s:s}, s:s, s:s, "
                      "s:f, s:[{s:s, s:s, s:[s], s:f, s:s}]}], s:o}",
                      "id", "al_00000000000000000000000000000000", "status", "new",
                      "created_at", when, "severity",
                      json_string_value(json_object_get(doc, "severity")) ?: "low",
                      "rule", "bulletin-market", "item_ids", 0, "items", "item", "id", 0,
                      "kind", "market", "text", country, "severity",
                      json_string_value(json_object_get(doc, "severity")) ?: "low", "rule",
                      "bulletin-market", "score", 1.0, "reasons", "rule", "bulletin-market",
                      "field", "jurisdiction", "matched", country, "score", 1.0, "why",
                      "a market you trade in", "event", ev ? ev : json_object());
    shown = alert ? sw_msg_localise(lang, alert) : NULL;
    page = sw_bulletin_localise(doc, lang);
    m.lang = lang;
    m.tz = "Asia/Shanghai";
    m.public_url = sw_config_str(c->cfg, "notifier.public_url");
    sw_buf_init(&text, 256 * 1024);
    sw_buf_init(&html, 512 * 1024);
    subject[0] = '\0';
    if (alert != NULL)
        sw_msg_mail_alert(&m, alert, subject, sizeof(subject), &text, &html);
    if (shown == NULL || page == NULL) {
        sw_reply_store(c, SW_ERR, "previewing the bulletin");
    } else {
        sw_reply_lang(c);
        sw_reply_json(c, 200, json_pack("{s:s, s:O, s:{s:O, s:O, s:O, s:s, s:s}}",
                                        "lang", lang, "page", page, "alert", "title",
                                        json_object_get(shown, "title"), "summary",
                                        json_object_get(shown, "summary"), "severity",
                                        json_object_get(shown, "severity"), "mail_subject",
                                        subject, "mail_text", text.p ? text.p : ""));
    }
    sw_buf_free(&text);
    sw_buf_free(&html);
    json_decref(shown);
    json_decref(alert);
    json_decref(page);
    json_decref(doc);
}

/* The listing's filters: ?country= and ?severity=, comma lists of whole values, and which
 * bulletins a listing shows. */
struct filter {
    const char *country, *severity;
    int withdrawn;            /* show withdrawn ones too (the feed: a withdrawal is news) */
    int drafts;               /* the drafts' listing: only centre's (every one with all) */
    int all;
    long long centre;
};

static int keep(const json_t *b, void *ud)
{
    const struct filter *f = ud;
    const char *st = status_of(b);

    if (f->drafts)
        return strcmp(st, "draft") == 0 &&
               (f->all || json_integer_value(json_object_get(b, "centre")) == f->centre);
    if (strcmp(st, "published") != 0 && !(f->withdrawn && strcmp(st, "withdrawn") == 0))
        return 0;
    return (f->country == NULL ||
            sw_in_list(f->country, json_string_value(json_object_get(b, "country")) ?: "")) &&
           (f->severity == NULL ||
            sw_in_list(f->severity, json_string_value(json_object_get(b, "severity")) ?: ""));
}

/* Reads ?country= and ?severity= into f; a value no bulletin can have (an unknown severity,
 * a code that is no country) answers 400 naming the parameter instead of an empty list. */
static int read_filter(struct sw_ctx *c, struct filter *f)
{
    struct sw_verrs errs;

    f->country = sw_query(c, "country");
    f->severity = sw_query(c, "severity");
    sw_verrs_init(&errs);
    if (f->country != NULL && !sw_list_valid(f->country, NULL))
        sw_verrs_add(&errs, "country", "must be ISO 3166 alpha-2 codes (or EM/EU), separated "
                     "by commas");
    if (f->severity != NULL && !sw_list_valid(f->severity, sw_severities))
        sw_verrs_add(&errs, "severity", "must be low, medium, high or critical (several "
                     "separated by commas)");
    return sw_reply_params_invalid(c, &errs);
}

/* GET /bulletins: the published ones, newest first (withdrawn ones are left out); ?cursor= is
 * the last id seen. */
void sw_h_bulletins_list(struct sw_ctx *c)
{
    struct filter f = { NULL, NULL, 0, 0, 0, 0 };
    long long after, next;
    json_t *items;
    int limit, rc;

    if (sw_page_args(c, &after, &limit) != SW_OK || read_filter(c, &f) != SW_OK)
        return;
    rc = sw_bulletins_page(c->store, 0, after, limit, keep, &f, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing bulletins");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

/* GET /bulletins/drafts: the caller's centre's drafts (an admin's: every draft). */
void sw_h_bulletins_drafts(struct sw_ctx *c)
{
    struct filter f = { NULL, NULL, 0, 1, c->who.role == SW_ROLE_ADMIN, c->who.centre };
    long long after, next;
    json_t *items;
    int limit, rc;

    if (sw_page_args(c, &after, &limit) != SW_OK)
        return;
    rc = sw_bulletins_page(c->store, 1, after, limit, keep, &f, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing drafts");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

/* A date for a notice in a feed: "Dec 1, 2026" / "2026年12月1日" style through ICU, UTC. */
static void notice_date(const char *lang, const char *iso, char *out, size_t outlen)
{
    int64_t ms;

    if (iso == NULL || sw_date_ms(iso, &ms) != SW_OK) {
        sw_strlcpy(out, iso ? iso : "", outlen);
        return;
    }
    sw_msg_date(lang, "UTC", ms, out, outlen);
}

/* The feed's entry for b in lang: its title and text in lang, a withdrawal or the latest
 * correction said first, and "updated" the time of that change. New reference or NULL. */
static json_t *feed_entry(const json_t *b, const char *lang)
{
    json_t *e = sw_bulletin_localise(b, lang);
    const json_t *w = json_object_get(b, "withdrawal"), *corr = json_object_get(b, "correction");
    const char *title, *text, *what = NULL, *at = NULL;
    struct sw_buf t, x;
    char date[96];

    if (e == NULL)
        return NULL;
    title = json_string_value(json_object_get(e, "title")) ?: "";
    text = json_string_value(json_object_get(e, "text")) ?: "";
    sw_buf_init(&t, 4096);
    sw_buf_init(&x, 512 * 1024);
    if (strcmp(status_of(b), "withdrawn") == 0) {
        at = json_string_value(json_object_get(w, "at"));
        what = json_string_value(json_object_get(json_object_get(e, "withdrawal"), "reason"));
        notice_date(lang, at, date, sizeof(date));
        sw_buf_printf(&t, sw_tr(lang, "Withdrawn: %s"), title);
        sw_buf_printf(&x, sw_tr(lang, "Withdrawn on %s: %s"), date, what ?: "");
    } else if (corr != NULL) {
        at = json_string_value(json_object_get(corr, "at"));
        what = json_string_value(json_object_get(json_object_get(e, "correction"), "note"));
        notice_date(lang, at, date, sizeof(date));
        sw_buf_printf(&x, sw_tr(lang, "Corrected on %s: %s"), date, what ?: "");
    }
    if (x.len > 0)
        sw_buf_printf(&x, "\n\n%s", text);
    if (t.len > 0)
        json_object_set_new(e, "title", json_string(t.p));
    if (x.len > 0)
        json_object_set_new(e, "text", json_string(x.p));
    json_object_set_new(e, "updated", json_string(at ? at
                        : json_string_value(json_object_get(b, "published_at")) ?: ""));
    sw_buf_free(&t);
    sw_buf_free(&x);
    return e;
}

/* The newest bulletins (the same filters), withdrawn ones as an update that says so, as an
 * Atom feed in ?lang= (else the request's language) whose links point at the portal
 * (notifier.public_url, as links in mail do). The feed's id is its own address. */
void sw_h_bulletins_atom(struct sw_ctx *c)
{
    struct filter f = { NULL, NULL, 1, 0, 0, 0 };
    char portal[256], self[2048], alternate[2048], now[32];
    struct sw_atom_feed feed;
    struct sw_buf out;
    const char *qs = c->req->query != NULL ? c->req->query : "", *lang;
    long long next;
    json_t *items, *entries, *b;
    size_t n, i;
    int rc;

    if (read_filter(c, &f) != SW_OK || (lang = lang_arg(c)) == NULL)
        return;
    sw_strlcpy(portal, sw_config_str(c->cfg, "notifier.public_url"), sizeof(portal));
    n = strlen(portal);
    while (n > 0 && portal[n - 1] == '/')
        portal[--n] = '\0';
    rc = sw_bulletins_page(c->store, 0, 0, ATOM_ENTRIES, keep, &f, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing bulletins");
        return;
    }
    entries = json_array();
    json_array_foreach(items, i, b)
        json_array_append_new(entries, feed_entry(b, lang));
    json_decref(items);
    snprintf(self, sizeof(self), "%s/api/v1/bulletins.atom%s%.1500s", portal, *qs ? "?" : "", qs);
    snprintf(alternate, sizeof(alternate), "%s/bulletins%s%.1500s", portal, *qs ? "?" : "", qs);
    sw_iso8601(sw_now_ms(), now, sizeof(now));
    feed.id = self;
    feed.title = sw_tr(lang, "Seawall early-warning bulletins");
    feed.self = self;
    feed.alternate = alternate;
    feed.fallback_updated = now;
    sw_buf_init(&out, ATOM_MAX);
    rc = sw_atom_bulletins(&out, &feed, entries, portal);
    json_decref(entries);
    if (rc != SW_OK) {
        sw_buf_free(&out);
        sw_reply_store(c, SW_ERR, "writing the bulletins feed");
        return;
    }
    c->resp->status = 200;
    c->resp->ctype = "application/atom+xml; charset=utf-8";
    sw_reply_lang(c);
    sw_buf_reset(&c->resp->body);
    sw_buf_add(&c->resp->body, out.p, out.len);
    sw_buf_free(&out);
}

/* A published or withdrawn bulletin for anyone; drafts are nobody's business but staff's. */
static int load_public(struct sw_ctx *c, long long *id, json_t **b)
{
    int rc;

    if (sw_param_id(c, "id", id) != SW_OK)
        return SW_NOTFOUND;
    rc = sw_bulletin_get(c->store, *id, b);
    if (rc == SW_OK && strcmp(status_of(*b), "draft") == 0) {
        json_decref(*b);
        *b = NULL;
        rc = SW_NOTFOUND;
    }
    if (rc == SW_NOTFOUND)
        sw_reply_not_found(c);
    else if (rc != SW_OK)
        sw_reply_store(c, rc, "loading the bulletin");
    return rc;
}

void sw_h_bulletins_get(struct sw_ctx *c)
{
    long long id;
    json_t *b;

    if (load_public(c, &id, &b) == SW_OK)
        sw_reply_json(c, 200, b);
}

/* GET /bulletins/{id}/versions: every published version, oldest first. */
void sw_h_bulletins_versions(struct sw_ctx *c)
{
    long long id;
    json_t *b, *items;
    int rc;

    if (load_public(c, &id, &b) != SW_OK)
        return;
    rc = sw_bulletin_versions(c->store, id, &items);
    if (rc != SW_OK) {
        json_decref(b);
        sw_reply_store(c, rc, "loading the versions");
        return;
    }
    if (json_array_size(items) == 0)   /* published by an older release: its only version */
        json_array_append_new(items, sw_bulletin_version_of(b));
    sw_reply_json(c, 200, json_pack("{s:O, s:O, s:o}", "id", json_object_get(b, "id"),
                                    "status", json_object_get(b, "status"), "items", items));
    json_decref(b);
}
