/* bulletins.c — early-warning bulletins: centre staff publish them; anyone may read them
 * (no token); each becomes a "bulletin" event, so the matcher alerts exporters whose markets
 * or keywords it concerns. The bulletin, its index entry and its event are written by one
 * script: all or nothing (lib/bulletins.c). The newest are also an Atom feed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/atom.h"
#include "seawall/bulletins.h"
#include "seawall/config.h"
#include "seawall/feedreg.h"
#include "seawall/i18n.h"
#include "seawall/store.h"
#include "api.h"

#define ATOM_ENTRIES 50              /* the newest bulletins a feed carries */
#define ATOM_MAX     (8 * 1024 * 1024)   /* 50 bulletins of 20,000 characters, each escaped
                                          * to at most 6 bytes (&quot;) */

static const char *const severities[] = { "low", "medium", "high", "critical", NULL };

static const struct sw_jfield bulletin_fields[] = {
    { "title", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "country", SW_J_STRING, SW_JF_REQUIRED, 2, 2, NULL },
    { "keywords", SW_J_STRINGS, 0, 0, 50, NULL },
    { "severity", SW_J_STRING, SW_JF_REQUIRED, 1, 16, severities },
    { "text", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 20000, NULL },
    { "url", SW_J_STRING, 0, 1, 2000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

void sw_h_bulletins_create(struct sw_ctx *c)
{
    const char *country;
    char evid[48], when[32], loc[64];
    json_t *in, *ev, *kw;
    char *text = NULL, *evtext = NULL;
    struct sw_buf body;
    long long id;
    size_t i;
    int rc;

    if (sw_body_object(c, bulletin_fields, 0, &in) != SW_OK)
        return;
    country = json_string_value(json_object_get(in, "country"));
    if (!sw_country_valid(country) && strcmp(country, "EM") != 0 && strcmp(country, "EU") != 0) {
        sw_reply_problem(c, 400, "validation", "Invalid request",
                         json_pack("[{s:s, s:s}]", "pointer", "/country", "message",
                                   sw_tr(c->lang, "must be an ISO 3166 alpha-2 code (or EM/EU)")),
                         "country is not a country code");
        json_decref(in);
        return;
    }
    rc = sw_bulletin_next_id(c->store, &id);
    if (rc != SW_OK) {
        json_decref(in);
        sw_reply_store(c, rc, "numbering the bulletin");
        return;
    }
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    json_object_set_new(in, "id", json_integer(id));
    json_object_set_new(in, "published_at", json_string(when));
    json_object_set_new(in, "published_by", json_pack("{s:s, s:I, s:I}", "role",
                                                      sw_role_name(c->who.role), "id",
                                                      (json_int_t)c->who.subject, "centre",
                                                      (json_int_t)c->who.centre));
    /* The event carries the keywords in its text, where the keyword rule looks. */
    sw_buf_init(&body, 64 * 1024);
    sw_buf_adds(&body, json_string_value(json_object_get(in, "text")));
    kw = json_object_get(in, "keywords");
    for (i = 0; i < json_array_size(kw); i++) {
        sw_buf_adds(&body, i == 0 ? "\nKeywords: " : ", ");
        sw_buf_adds(&body, json_string_value(json_array_get(kw, i)));
    }
    snprintf(evid, sizeof(evid), "bulletin:%lld", id);
    snprintf(loc, sizeof(loc), "/api/v1/bulletins/%lld", id);
    ev = json_pack("{s:s, s:s, s:s, s:O, s:s, s:O, s:s, s:O, s:I}", "id", evid, "source",
                   "bulletins", "type", "bulletin", "jurisdiction", json_object_get(in, "country"),
                   "date", when, "title", json_object_get(in, "title"), "text",
                   body.p ? body.p : "", "severity", json_object_get(in, "severity"),
                   "bulletin_id", (json_int_t)id);
    sw_buf_free(&body);
    if (ev != NULL)
        json_object_set_new(ev, "url", json_string(loc));
    text = sw_json_dumps(in);
    evtext = ev ? sw_json_dumps(ev) : NULL;
    json_decref(ev);
    if (text == NULL || evtext == NULL) {
        rc = SW_ERR;
        goto out;
    }
    rc = sw_bulletin_publish(c->store, id, text, evid, evtext,
                             sw_config_int(c->cfg, "events.ttl_s"),
                             sw_config_int(c->cfg, "events.maxlen"));
out:
    free(text);
    free(evtext);
    if (rc != SW_OK) {
        json_decref(in);
        sw_reply_store(c, rc, "publishing the bulletin");
        return;
    }
    sw_reply_header(c, "Location", loc);
    sw_reply_json(c, 201, in);
}

/* The listing's filters: ?country= and ?severity=, comma lists of whole values. */
struct filter {
    const char *country, *severity;
};

static int keep(const json_t *b, void *ud)
{
    const struct filter *f = ud;

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
    if (f->severity != NULL && !sw_list_valid(f->severity, severities))
        sw_verrs_add(&errs, "severity", "must be low, medium, high or critical (several "
                     "separated by commas)");
    return sw_reply_params_invalid(c, &errs);
}

/* Newest first; ?cursor= is the last id seen. */
void sw_h_bulletins_list(struct sw_ctx *c)
{
    struct filter f;
    long long after, next;
    json_t *items;
    int limit, rc;

    if (sw_page_args(c, &after, &limit) != SW_OK || read_filter(c, &f) != SW_OK)
        return;
    rc = sw_bulletins_page(c->store, after, limit, keep, &f, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing bulletins");
        return;
    }
    sw_reply_json(c, 200, sw_page_json(items, next));
}

/* The newest bulletins (the same filters) as an Atom feed whose links point at the portal
 * (notifier.public_url, as links in mail do). The feed's id is its own address. */
void sw_h_bulletins_atom(struct sw_ctx *c)
{
    struct filter f;
    char portal[256], self[2048], alternate[2048], now[32];
    struct sw_atom_feed feed;
    struct sw_buf out;
    const char *qs = c->req->query != NULL ? c->req->query : "";
    long long next;
    json_t *items;
    size_t n;
    int rc;

    if (read_filter(c, &f) != SW_OK)
        return;
    sw_strlcpy(portal, sw_config_str(c->cfg, "notifier.public_url"), sizeof(portal));
    n = strlen(portal);
    while (n > 0 && portal[n - 1] == '/')
        portal[--n] = '\0';
    rc = sw_bulletins_page(c->store, 0, ATOM_ENTRIES, keep, &f, &items, &next);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "listing bulletins");
        return;
    }
    snprintf(self, sizeof(self), "%s/api/v1/bulletins.atom%s%.1500s", portal, *qs ? "?" : "", qs);
    snprintf(alternate, sizeof(alternate), "%s/bulletins%s%.1500s", portal, *qs ? "?" : "", qs);
    sw_iso8601(sw_now_ms(), now, sizeof(now));
    feed.id = self;
    feed.title = "Seawall early-warning bulletins";
    feed.self = self;
    feed.alternate = alternate;
    feed.fallback_updated = now;
    sw_buf_init(&out, ATOM_MAX);
    rc = sw_atom_bulletins(&out, &feed, items, portal);
    json_decref(items);
    if (rc != SW_OK) {
        sw_buf_free(&out);
        sw_reply_store(c, SW_ERR, "writing the bulletins feed");
        return;
    }
    c->resp->status = 200;
    c->resp->ctype = "application/atom+xml; charset=utf-8";
    sw_buf_reset(&c->resp->body);
    sw_buf_add(&c->resp->body, out.p, out.len);
    sw_buf_free(&out);
}

void sw_h_bulletins_get(struct sw_ctx *c)
{
    long long id;
    json_t *b;
    int rc;

    if (sw_param_id(c, "id", &id) != SW_OK)
        return;
    rc = sw_bulletin_get(c->store, id, &b);
    if (rc == SW_NOTFOUND) {
        sw_reply_not_found(c);
        return;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "loading the bulletin");
        return;
    }
    sw_reply_json(c, 200, b);
}
