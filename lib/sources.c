/* sources.c — the source catalogue: reading and checking the JSON files of etc/sources, the
 * feed an entry becomes, and which feed each enabled entry is (sw:sources). */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
#include "seawall/config.h"
#include "seawall/dated.h"
#include "seawall/feedreg.h"
#include "seawall/keys.h"
#include "seawall/sources.h"
#include "seawall/store.h"

#define CATALOGUE_FILE_MAX (1 << 20)

/* Formats an entry may name: what the feed parsers read, and what a source publishes that
 * this build may not read yet (listed, never enabled until a parser exists). */
static const char *const cat_formats[] = { "rss", "cmecf", "uspto-tm", "uspto-patent", "st66",
                                           "st96", "euipo", "ical", "json", "html",
                                           "uspto-tm-assignments", NULL };
static const char *const event_types[] = { "news", "bulletin", "litigation",
                                           "trade_investigation", "customs_seizure",
                                           "show_event", "trademark_filing",
                                           "trademark_status", "patent_publication",
                                           "patent_grant", NULL };
static const char *const url_states[] = { "confirmed", "to_confirm", "deployment", NULL };
static const char *const compressions[] = { "none", "zip", "gzip", NULL };
static const char *const everies[] = { "day", "week", "interval", NULL };

static int fail(char *err, size_t errlen, const char *prefix, const char *field,
                const char *fmt, ...) SW_PRINTF(5, 6);

static int fail(char *err, size_t errlen, const char *prefix, const char *field,
                const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(err, errlen, "%s%s%s: ", prefix, field[0] ? "/" : "", field);

    if (n > 0 && (size_t)n < errlen) {
        va_start(ap, fmt);
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return SW_INVALID;
}

static int one_of(const char *v, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp(v, *list) == 0)
            return 1;
    return 0;
}

/* Unknown members of o: the first one's name, or NULL. */
static const char *unknown_member(const json_t *o, const char *const *known)
{
    const char *k;
    json_t *v;

    json_object_foreach((json_t *)o, k, v)
        if (!one_of(k, known))
            return k;
    return NULL;
}

/* A string member: present (when required), a string, min..max bytes. */
static int want_str(const json_t *o, const char *field, int required, size_t min, size_t max,
                    const char *prefix, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, field);
    size_t n;

    if (v == NULL)
        return required ? fail(err, errlen, prefix, field, "required") : SW_OK;
    if (!json_is_string(v))
        return fail(err, errlen, prefix, field, "must be a string");
    n = json_string_length(v);
    if (n < min || n > max)
        return fail(err, errlen, prefix, field, "must be %zu to %zu bytes", min, max);
    return SW_OK;
}

static int want_url(const json_t *o, const char *field, int required, const char *prefix,
                    char *err, size_t errlen)
{
    const char *u;

    if (want_str(o, field, required, 10, 2048, prefix, err, errlen) != SW_OK)
        return SW_INVALID;
    u = json_string_value(json_object_get(o, field));
    if (u != NULL && strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
        return fail(err, errlen, prefix, field, "must be an http or https URL");
    return SW_OK;
}

static int want_object(const json_t *o, const char *field, const char *const *members,
                       const char *prefix, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, field);
    const char *bad;

    if (!json_is_object(v))
        return fail(err, errlen, prefix, field, v ? "must be an object" : "required");
    if ((bad = unknown_member(v, members)) != NULL)
        return fail(err, errlen, prefix, field, "unknown member \"%.40s\"", bad);
    return SW_OK;
}

static int check_schedule(const json_t *e, int dated, const char *prefix, char *err,
                          size_t errlen)
{
    static const char *const members[] = { "every", "days", "lag_days", "publish_at", "zone",
                                           "grace_h", "retry_s", "interval_s", "note", NULL };
    json_t *sc = json_object_get(e, "schedule"), *probe, *iv;
    char p[160], why[300];
    const char *every;
    struct sw_dated d;
    const char *const *f;
    size_t n;

    snprintf(p, sizeof(p), "%s/schedule", prefix);
    if (want_object(e, "schedule", members, prefix, err, errlen) != SW_OK)
        return SW_INVALID;
    if (want_str(sc, "every", 1, 3, 8, p, err, errlen) != SW_OK ||
        want_str(sc, "note", 0, 1, 1000, p, err, errlen) != SW_OK)
        return SW_INVALID;
    every = json_string_value(json_object_get(sc, "every"));
    if (!one_of(every, everies))
        return fail(err, errlen, p, "every", "one of day, week, interval");
    if (strcmp(every, "interval") == 0) {
        if (dated)
            return fail(err, errlen, p, "every", "a source with a url_template is dated: day "
                        "or week");
        iv = json_object_get(sc, "interval_s");
        if (!json_is_integer(iv) || json_integer_value(iv) < 60 ||
            json_integer_value(iv) > 86400)
            return fail(err, errlen, p, "interval_s", "an integer, 60 to 86400");
        for (f = members + 1; *f != NULL; f++)
            if (strcmp(*f, "interval_s") != 0 && strcmp(*f, "note") != 0 &&
                json_object_get(sc, *f) != NULL)
                return fail(err, errlen, p, *f, "only for a dated source (every day or week)");
        return SW_OK;
    }
    if (!dated)
        return fail(err, errlen, p, "every", "day and week are for a url_template (one file "
                    "per date); a URL polled as it is has every interval");
    if (json_object_get(sc, "interval_s") != NULL)
        return fail(err, errlen, p, "interval_s", "a dated source has retry_s instead");
    iv = json_object_get(sc, "retry_s");
    if (iv != NULL && (!json_is_integer(iv) || json_integer_value(iv) < 60 ||
                       json_integer_value(iv) > 86400))
        return fail(err, errlen, p, "retry_s", "an integer, 60 to 86400");
    for (f = members + 1; f[0] != NULL && strcmp(*f, "retry_s") != 0; f++)
        if (json_object_get(sc, *f) == NULL)
            return fail(err, errlen, p, *f, "required for a dated source");
    probe = json_pack("{s:s}", "url_template", "https://example.org/{yyyy}");
    for (f = members + 1; f[0] != NULL && strcmp(*f, "retry_s") != 0; f++)
        json_object_set(probe, *f, json_object_get(sc, *f));
    n = sw_dated_from_doc(probe, &d, why, sizeof(why)) == SW_OK ? 0 : strcspn(why, ":");
    json_decref(probe);
    if (n > 0) {
        char field[48];

        snprintf(field, sizeof(field), "%.*s", (int)(n < 40 ? n : 40), why);
        return fail(err, errlen, p, field, "%s", why[n] == ':' ? why + n + 2 : why);
    }
    return SW_OK;
}

int sw_sources_check(const json_t *e, const char *prefix, char *err, size_t errlen)
{
    static const char *const members[] = { "name", "title", "publisher", "jurisdiction",
                                           "landing_page", "url", "url_template", "url_status",
                                           "url_note", "access", "format", "compression",
                                           "item_type", "schedule", "licence", "coverage",
                                           "events", "enabled_by_default", NULL };
    static const char *const title_m[] = { "en", "zh-CN", NULL };
    static const char *const access_m[] = { "api_key_header", "register", "note", NULL };
    static const char *const licence_m[] = { "terms", "url", NULL };
    static const char *const coverage_m[] = { "covers", "since", NULL };
    char p[160], why[300], url[SW_DATED_TEMPLATE_MAX + 64];
    const char *bad, *name, *status, *tmpl;
    json_t *v, *ev;
    size_t i;

    if (!json_is_object(e))
        return fail(err, errlen, prefix, "", "an entry must be an object");
    if ((bad = unknown_member(e, members)) != NULL)
        return fail(err, errlen, prefix, "", "unknown member \"%.40s\"", bad);
    if (want_str(e, "name", 1, 2, 80, prefix, err, errlen) != SW_OK)
        return SW_INVALID;
    name = json_string_value(json_object_get(e, "name"));
    if (name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-")] != '\0' || name[0] == '-')
        return fail(err, errlen, prefix, "name", "lower-case letters, digits and hyphens");
    if (want_object(e, "title", title_m, prefix, err, errlen) != SW_OK)
        return SW_INVALID;
    snprintf(p, sizeof(p), "%s/title", prefix);
    if (want_str(json_object_get(e, "title"), "en", 1, 1, 200, p, err, errlen) != SW_OK ||
        want_str(json_object_get(e, "title"), "zh-CN", 1, 1, 200, p, err, errlen) != SW_OK ||
        want_str(e, "publisher", 1, 1, 300, prefix, err, errlen) != SW_OK ||
        want_str(e, "jurisdiction", 1, 2, 2, prefix, err, errlen) != SW_OK ||
        want_url(e, "landing_page", 1, prefix, err, errlen) != SW_OK ||
        want_url(e, "url", 0, prefix, err, errlen) != SW_OK ||
        want_str(e, "url_template", 0, 10, SW_DATED_TEMPLATE_MAX, prefix, err, errlen) !=
            SW_OK ||
        want_str(e, "url_status", 1, 1, 20, prefix, err, errlen) != SW_OK ||
        want_str(e, "url_note", 1, 1, 1000, prefix, err, errlen) != SW_OK ||
        want_str(e, "format", 1, 1, 40, prefix, err, errlen) != SW_OK ||
        want_str(e, "compression", 1, 1, 10, prefix, err, errlen) != SW_OK ||
        want_str(e, "item_type", 0, 1, 40, prefix, err, errlen) != SW_OK)
        return SW_INVALID;
    status = json_string_value(json_object_get(e, "url_status"));
    if (!one_of(status, url_states))
        return fail(err, errlen, prefix, "url_status", "one of confirmed, to_confirm, "
                    "deployment");
    tmpl = json_string_value(json_object_get(e, "url_template"));
    if (json_object_get(e, "url") != NULL && tmpl != NULL)
        return fail(err, errlen, prefix, "url_template", "give url or url_template, not both");
    if (json_object_get(e, "url") == NULL && tmpl == NULL && strcmp(status, "deployment") != 0)
        return fail(err, errlen, prefix, "url", "required (or url_template), unless url_status "
                    "is deployment");
    if (tmpl != NULL) {
        if (sw_dated_url(tmpl, 0, url, sizeof(url), why, sizeof(why)) != SW_OK)
            return fail(err, errlen, prefix, "url_template", "%s", why);
        if (strncmp(tmpl, "https://", 8) != 0 && strncmp(tmpl, "http://", 7) != 0)
            return fail(err, errlen, prefix, "url_template", "must be an http or https URL");
    }
    if (!one_of(json_string_value(json_object_get(e, "format")), cat_formats))
        return fail(err, errlen, prefix, "format", "not a format the catalogue knows");
    if (!one_of(json_string_value(json_object_get(e, "compression")), compressions))
        return fail(err, errlen, prefix, "compression", "one of none, zip, gzip");
    v = json_object_get(e, "item_type");
    if (v != NULL && !one_of(json_string_value(v), event_types))
        return fail(err, errlen, prefix, "item_type", "not an event type");
    if (json_object_get(e, "access") != NULL) {
        if (want_object(e, "access", access_m, prefix, err, errlen) != SW_OK)
            return SW_INVALID;
        snprintf(p, sizeof(p), "%s/access", prefix);
        if (want_str(json_object_get(e, "access"), "api_key_header", 0, 1, 80, p, err, errlen) !=
                SW_OK ||
            want_url(json_object_get(e, "access"), "register", 0, p, err, errlen) != SW_OK ||
            want_str(json_object_get(e, "access"), "note", 1, 1, 1000, p, err, errlen) != SW_OK)
            return SW_INVALID;
    }
    if (check_schedule(e, tmpl != NULL, prefix, err, errlen) != SW_OK)
        return SW_INVALID;
    if (want_object(e, "licence", licence_m, prefix, err, errlen) != SW_OK)
        return SW_INVALID;
    snprintf(p, sizeof(p), "%s/licence", prefix);
    /* The terms page; a partner's own feed (url_status deployment) may have none public. */
    if (want_str(json_object_get(e, "licence"), "terms", 1, 1, 1000, p, err, errlen) != SW_OK ||
        want_url(json_object_get(e, "licence"), "url", strcmp(status, "deployment") != 0, p,
                 err, errlen) != SW_OK)
        return SW_INVALID;
    if (want_object(e, "coverage", coverage_m, prefix, err, errlen) != SW_OK)
        return SW_INVALID;
    snprintf(p, sizeof(p), "%s/coverage", prefix);
    if (want_str(json_object_get(e, "coverage"), "covers", 1, 1, 1000, p, err, errlen) !=
            SW_OK ||
        want_str(json_object_get(e, "coverage"), "since", 1, 1, 200, p, err, errlen) != SW_OK)
        return SW_INVALID;
    v = json_object_get(e, "events");
    if (!json_is_array(v) || json_array_size(v) == 0)
        return fail(err, errlen, prefix, "events", "a list of at least one {type, meaning}");
    json_array_foreach(v, i, ev) {
        static const char *const ev_m[] = { "type", "meaning", NULL };

        snprintf(p, sizeof(p), "%s/events/%zu", prefix, i);
        if (!json_is_object(ev))
            return fail(err, errlen, p, "", "must be an object");
        if ((bad = unknown_member(ev, ev_m)) != NULL)
            return fail(err, errlen, p, "", "unknown member \"%.40s\"", bad);
        if (want_str(ev, "type", 1, 1, 40, p, err, errlen) != SW_OK ||
            want_str(ev, "meaning", 1, 1, 1000, p, err, errlen) != SW_OK)
            return SW_INVALID;
        if (!one_of(json_string_value(json_object_get(ev, "type")), event_types))
            return fail(err, errlen, p, "type", "not an event type");
    }
    if (!json_is_boolean(json_object_get(e, "enabled_by_default")))
        return fail(err, errlen, prefix, "enabled_by_default", "required, true or false");
    return SW_OK;
}

static int by_file_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_entry_name(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "name")),
                  json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

/* Reads one catalogue file into entries (each checked and given "file"). */
static int load_file(const char *dir, const char *fname, json_t *entries, json_t *seen,
                     char *err, size_t errlen)
{
    char path[1024], prefix[64], why[400];
    json_t *doc, *list, *e;
    json_error_t jerr;
    size_t i;

    snprintf(path, sizeof(path), "%s/%s", dir, fname);
    doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        snprintf(err, errlen, "%s: line %d, column %d: %s", fname, jerr.line, jerr.column,
                 jerr.text);
        return SW_INVALID;
    }
    list = json_object_get(doc, "sources");
    if (!json_is_object(doc) || json_object_size(doc) != 1 || !json_is_array(list)) {
        snprintf(err, errlen, "%s: /sources: the file must be {\"sources\": [entry, ...]}",
                 fname);
        json_decref(doc);
        return SW_INVALID;
    }
    json_array_foreach(list, i, e) {
        const char *name, *other;

        snprintf(prefix, sizeof(prefix), "/sources/%zu", i);
        if (sw_sources_check(e, prefix, why, sizeof(why)) != SW_OK) {
            snprintf(err, errlen, "%s: %s", fname, why);
            json_decref(doc);
            return SW_INVALID;
        }
        name = json_string_value(json_object_get(e, "name"));
        if ((other = json_string_value(json_object_get(seen, name))) != NULL) {
            snprintf(err, errlen, "%s: %s/name: \"%s\" is also the name of an entry in %s",
                     fname, prefix, name, other);
            json_decref(doc);
            return SW_INVALID;
        }
        json_object_set_new(seen, name, json_string(fname));
        json_object_set_new(e, "file", json_string(fname));
        json_array_append(entries, e);
    }
    json_decref(doc);
    return SW_OK;
}

int sw_sources_load(const char *dir, json_t **out, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    json_t *entries, *seen;
    int rc = SW_OK;

    if (d == NULL) {
        snprintf(err, errlen, "the source catalogue \"%s\" cannot be read (sources.dir)", dir);
        return SW_ERR;
    }
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);

        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0 || de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **more = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*names));

            if (more == NULL)
                break;
            names = more;
        }
        names[n] = strdup(de->d_name);
        if (names[n] != NULL)
            n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof(*names), by_file_name);
    entries = json_array();
    seen = json_object();
    for (i = 0; i < n && rc == SW_OK; i++)
        rc = load_file(dir, names[i], entries, seen, err, errlen);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    json_decref(seen);
    if (rc != SW_OK) {
        json_decref(entries);
        return rc;
    }
    {
        size_t k = json_array_size(entries);
        json_t **items = calloc(k ? k : 1, sizeof(*items)), *sorted = json_array();

        for (i = 0; i < k && items != NULL; i++)
            items[i] = json_array_get(entries, i);
        if (items != NULL && k > 1)
            qsort(items, k, sizeof(*items), by_entry_name);
        for (i = 0; i < k && items != NULL; i++)
            json_array_append(sorted, items[i]);
        free(items);
        json_decref(entries);
        *out = sorted;
    }
    return SW_OK;
}

json_t *sw_sources_find(const json_t *cat, const char *name)
{
    json_t *e;
    size_t i;

    json_array_foreach(cat, i, e)
        if (strcmp(json_string_value(json_object_get(e, "name")) ?: "", name) == 0)
            return e;
    return NULL;
}

int sw_sources_readable(const json_t *e)
{
    return sw_feedreg_format_known(json_string_value(json_object_get(e, "format")) ?: "");
}

int sw_sources_feed_doc(const json_t *e, const char *url, const char *url_template, int confirm,
                        json_t **doc, char *why, size_t whylen)
{
    const char *name = json_string_value(json_object_get(e, "name"));
    const char *status = json_string_value(json_object_get(e, "url_status"));
    json_t *sc = json_object_get(e, "schedule"), *d, *v;
    const char *tmpl = json_string_value(json_object_get(e, "url_template"));
    const char *fixed = json_string_value(json_object_get(e, "url"));
    char title[201];

    *doc = NULL;
    if (!sw_sources_readable(e)) {
        snprintf(why, whylen, "source %s is published as %s, which this build cannot read",
                 name, json_string_value(json_object_get(e, "format")));
        return SW_CONFLICT;
    }
    if (url == NULL && url_template == NULL && strcmp(status, "confirmed") != 0 &&
        !(confirm && strcmp(status, "to_confirm") == 0)) {
        if (strcmp(status, "deployment") == 0)
            snprintf(why, whylen, "source %s has no URL of its own: give the one this "
                     "deployment uses (url)", name);
        else
            snprintf(why, whylen, "the URL of source %s is to be confirmed: check it (%s) and "
                     "enable it with confirm, or give the URL that works", name,
                     json_string_value(json_object_get(e, "landing_page")));
        return SW_CONFLICT;
    }
    if (url != NULL) {
        tmpl = NULL;
        fixed = url;
    } else if (url_template != NULL) {
        tmpl = url_template;
        fixed = NULL;
    }
    /* A dated entry given a plain URL, or the reverse, is polled as the override says; its
     * schedule fits only one of the two. */
    if ((tmpl != NULL) != (json_object_get(e, "url_template") != NULL)) {
        snprintf(why, whylen, "source %s is %s: give %s", name,
                 json_object_get(e, "url_template") ? "one file per date" : "polled at one URL",
                 json_object_get(e, "url_template") ? "url_template" : "url");
        return SW_CONFLICT;
    }
    snprintf(title, sizeof(title), "%s",
             json_string_value(json_object_get(json_object_get(e, "title"), "en")));
    d = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", title, "format",
                  json_string_value(json_object_get(e, "format")), "compression",
                  json_string_value(json_object_get(e, "compression")), "source", name,
                  "enabled", 1);
    if ((v = json_object_get(e, "item_type")) != NULL)
        json_object_set(d, "type", v);
    if (tmpl != NULL) {
        static const char *const copy[] = { "days", "lag_days", "publish_at", "zone",
                                            "grace_h", NULL };
        const char *const *f;

        json_object_set_new(d, "url_template", json_string(tmpl));
        for (f = copy; *f != NULL; f++)
            json_object_set(d, *f, json_object_get(sc, *f));
        v = json_object_get(sc, "retry_s");
        json_object_set_new(d, "interval_s", json_integer(v ? json_integer_value(v) : 3600));
    } else {
        json_object_set_new(d, "url", json_string(fixed));
        json_object_set(d, "interval_s", json_object_get(sc, "interval_s"));
    }
    *doc = d;
    return SW_OK;
}

int sw_sources_feed_id(struct sw_store *s, const char *name, long long *id)
{
    redisReply *r = sw_store_cmd(s, "HGET", swk_sources().s, name, NULL);
    int rc;

    if (r == NULL)
        return SW_EAGAIN;
    rc = r->type == REDIS_REPLY_STRING ? SW_OK : SW_NOTFOUND;
    if (rc == SW_OK)
        *id = sw_reply_int(r, 0);
    freeReplyObject(r);
    return rc;
}

/* Clears why a feed was off and polls it now (as enabling one through the API does). */
static int poll_now(struct sw_store *s, long long id)
{
    int rc = sw_feedreg_forget(s, id, 0);

    return rc != SW_OK ? rc : sw_feedreg_schedule(s, id, 0);
}

int sw_sources_enable(struct sw_store *s, const struct sw_config *cfg, const json_t *e,
                      json_t *doc, json_t **feed, int *created, struct sw_verrs *errs)
{
    const char *name = json_string_value(json_object_get(e, "name"));
    long long id = 0;
    char idtext[32];
    redisReply *r;
    json_t *out = NULL;
    int rc;

    *feed = NULL;
    *created = 0;
    sw_json_check(doc, sw_kind_feed.fields, 0, "", errs);
    sw_feedreg_check_create(doc, errs);
    sw_feedreg_check(doc, 0, sw_config_int(cfg, "poller.min_interval_s"),
                     sw_config_str(cfg, "net.allow_private"), errs);
    if (sw_verrs_count(errs) > 0)
        return SW_INVALID;
    rc = sw_sources_feed_id(s, name, &id);
    if (rc == SW_OK) {
        rc = sw_doc_patch(s, &sw_kind_feed, id, doc, &out);
        if (rc == SW_NOTFOUND)   /* the feed was deleted: register it again */
            id = 0;
    }
    if (rc == SW_EAGAIN)
        return rc;
    if (id == 0 || rc == SW_NOTFOUND) {
        rc = sw_doc_create(s, &sw_kind_feed, doc, 0, &out);
        if (rc != SW_OK)
            return rc;
        id = json_integer_value(json_object_get(out, "id"));
        snprintf(idtext, sizeof(idtext), "%lld", id);
        r = sw_store_cmd(s, "HSET", swk_sources().s, name, idtext, NULL);
        if (r == NULL) {
            json_decref(out);
            return SW_EAGAIN;
        }
        freeReplyObject(r);
        *created = 1;
    } else if (rc != SW_OK) {
        return rc;
    }
    rc = poll_now(s, id);
    if (rc != SW_OK) {
        json_decref(out);
        return rc;
    }
    *feed = out;
    return SW_OK;
}

int sw_sources_disable(struct sw_store *s, const json_t *e, json_t **feed)
{
    long long id;
    json_t *patch, *out = NULL;
    int rc = sw_sources_feed_id(s, json_string_value(json_object_get(e, "name")), &id);

    *feed = NULL;
    if (rc != SW_OK)
        return rc;
    patch = json_pack("{s:b}", "enabled", 0);
    rc = sw_doc_patch(s, &sw_kind_feed, id, patch, &out);
    json_decref(patch);
    if (rc == SW_OK)
        rc = sw_feedreg_unschedule(s, id);
    if (rc != SW_OK) {
        json_decref(out);
        return rc;
    }
    *feed = out;
    return SW_OK;
}

int sw_sources_view(struct sw_store *s, const struct sw_config *cfg, const json_t *e,
                    json_t **out)
{
    json_t *v = json_deep_copy(e), *doc = NULL, *st = NULL, *dates = NULL, *f;
    const char *status = json_string_value(json_object_get(e, "url_status"));
    long long id;
    int readable = sw_sources_readable(e);
    int rc = sw_sources_feed_id(s, json_string_value(json_object_get(e, "name")), &id);

    json_object_set_new(v, "readable", json_boolean(readable));
    json_object_set_new(v, "ready", json_boolean(readable && strcmp(status, "confirmed") == 0));
    if (rc == SW_OK)
        rc = sw_doc_get(s, &sw_kind_feed, id, &doc);
    if (rc == SW_NOTFOUND) {
        json_object_set_new(v, "feed", json_null());
        *out = v;
        return SW_OK;
    }
    if (rc == SW_OK)
        rc = sw_feedreg_status(s, id, &st);
    if (rc == SW_OK)
        rc = sw_feedreg_dated_coverage(s, cfg, doc, &dates);
    if (rc != SW_OK) {
        json_decref(v);
        json_decref(doc);
        json_decref(st);
        return rc;
    }
    if (dates != NULL)
        json_object_set_new(st, "dates", dates);
    f = json_pack("{s:I, s:O, s:O?, s:O?, s:o}", "id", (json_int_t)id, "enabled",
                  json_object_get(doc, "enabled") ?: json_false(), "url",
                  json_object_get(doc, "url"), "url_template",
                  json_object_get(doc, "url_template"), "status", st);
    json_object_set_new(v, "feed", f);
    json_decref(doc);
    *out = v;
    return SW_OK;
}
