/* poller.c — seawall-poller: keeps every enabled feed fresh. Takes due feeds from the schedule
 * (sw:feeds:due) under a per-feed lease, fetches them with libcurl multi (conditional GET,
 * redirects followed here so hops are counted and permanent moves recorded), parses them with
 * feeds/, stores each new event once and appends it to the events stream, and schedules the
 * next poll: the feed's interval after a success, Retry-After after 429/503, exponential
 * backoff with jitter after a failure, never for a feed that answered 410 (disabled, with the
 * reason). Several pollers share the work; a killed one's feeds return when its leases lapse.
 *
 * A dated source (a url_template: one file per date, include/seawall/dated.h) fetches one
 * date per turn, the oldest that should be out and is not known yet, and records its outcome
 * (sw:feed:<id>:days): fetched, waiting (404 before its grace ran out), missing (404 after),
 * unreadable; while dates are due it is due again at once. An archive (compression zip or
 * gzip) is downloaded into an unlinked file in data.dir and read with feeds/archive.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "seawall/archive.h"
#include "seawall/config.h"
#include "seawall/dated.h"
#include "seawall/i18n.h"
#include "seawall/feed.h"
#include "seawall/feedreg.h"
#include "seawall/fetch.h"
#include "seawall/log.h"
#include "seawall/shows.h"
#include "seawall/store.h"
#include "seawall/worker.h"

#define NO_DAY INT64_MIN

struct transfer {
    struct sw_fetch f;
    long long feed;
    json_t *doc;                 /* the feed's settings when the poll began */
    char url[2100];
    int hops;                    /* redirects followed so far */
    int permanent;               /* every hop so far was 301 or 308 */
    char *warnings;              /* what reading the document warned of (JSON), or NULL */
    int64_t day;                 /* the date a dated source's file is of, or NO_DAY */
    enum sw_compression comp;    /* the feed's compression */
    int fd;                      /* an archive's unlinked file, or -1 */
    struct transfer *next;
};

static const struct sw_config *cfg;
static struct sw_store store;
static struct sw_fetch_opts fopts;
static struct sw_allowlist allow;
static CURLM *multi;
static struct transfer *running;
static int nrunning;
static char me[160];
static volatile sig_atomic_t stopping;
static struct sw_archive_limits alimits;
static struct sw_api_keys api_keys;   /* poller.api_keys */

static long long cfgi(const char *key)
{
    return sw_config_int(cfg, key);
}

/* One poll's effect on a feed's status and schedule (seawall/feedreg.h). */

static const char *num(struct sw_feed_update *u, long long v)
{
    return sw_feed_update_num(u, v);
}

static void put(struct sw_feed_update *u, const char *field, const char *value)
{
    sw_feed_update_set(u, field, value);
}

static void add(struct sw_feed_update *u, const char *field, long long by)
{
    sw_feed_update_add(u, field, by);
}

static void commit(long long feed, struct sw_feed_update *u)
{
    if (sw_feedreg_update(&store, feed, u) != SW_OK)
        sw_warn("feed %lld: status and schedule not saved (%s); its old due time stands", feed,
                store.errstr);
}

static void release(struct transfer *t)
{
    sw_feedreg_lease_release(&store, t->feed, me);
}

/* --- dated sources --------------------------------------------------------------------- */

static int64_t dated_now(void)
{
    return sw_feedreg_now(&store, (int)cfgi("poller.test_clock"));
}

static long long interval_of(const json_t *doc)
{
    long long iv = json_integer_value(json_object_get(doc, "interval_s"));

    return iv > 0 ? iv : 900;
}

/* When a dated feed is next due, on the real clock: at once while a date is due; else when
 * the next file should be out, or a waiting date's retry comes (their distance from the dated
 * clock's now). */
static int64_t dated_next_ms(long long feed, const json_t *doc)
{
    struct sw_dated d;
    json_t *days = NULL;
    int64_t now_t = dated_now(), real = sw_now_ms(), day, wake, delta;
    char why[300];
    int rc;

    if (sw_dated_from_doc(doc, &d, why, sizeof(why)) != SW_OK ||
        sw_feedreg_days(&store, feed, &days) != SW_OK)
        return real + interval_of(doc) * 1000;
    rc = sw_dated_next(&d, days, now_t, (int)cfgi("poller.backfill_max"),
                       interval_of(doc) * 1000, &day, &wake);
    json_decref(days);
    if (rc == 1)
        return real;
    if (rc < 0)
        return real + interval_of(doc) * 1000;
    delta = wake - now_t;
    return real + (delta < 1000 ? 1000 : delta);
}

/* Which date a dated feed fetches now. Returns 1 with *day and its URL; 0 when none is due
 * (the feed is scheduled for when one will be); -1 when the settings or the dates known
 * cannot be read (why). */
static int dated_pick(long long feed, const json_t *doc, int64_t *day, char *url, size_t urllen,
                      char *why, size_t whylen)
{
    struct sw_dated d;
    json_t *days = NULL;
    int64_t wake, now_t = dated_now();
    int rc;

    if (sw_dated_from_doc(doc, &d, why, whylen) != SW_OK)
        return -1;
    if (sw_feedreg_days(&store, feed, &days) != SW_OK) {
        snprintf(why, whylen, "the dates already fetched could not be read (%s)", store.errstr);
        return -1;
    }
    rc = sw_dated_next(&d, days, now_t, (int)cfgi("poller.backfill_max"),
                       interval_of(doc) * 1000, day, &wake);
    json_decref(days);
    if (rc < 0) {
        snprintf(why, whylen, "the dates of zone %s could not be worked out", d.zone);
        return -1;
    }
    if (rc == 0) {
        struct sw_feed_update u = { .nset = 0 };
        int64_t delta = wake - now_t;

        u.next_ms = sw_now_ms() + (delta < 1000 ? 1000 : delta);
        commit(feed, &u);
        return 0;
    }
    why[0] = '\0';
    if (sw_dated_url(d.tmpl, *day, url, urllen, why, whylen) != SW_OK) {
        if (why[0] == '\0')
            snprintf(why, whylen, "url_template is too long once its date is filled in");
        return -1;
    }
    return 1;
}

/* Records the outcome of the date t fetched (takes outcome over). */
static void day_record(struct transfer *t, json_t *outcome)
{
    char name[16];

    sw_dated_day_name(t->day, name, sizeof(name));
    if (outcome == NULL || sw_feedreg_day_set(&store, t->feed, name, outcome) != SW_OK)
        sw_warn("feed %lld: the outcome for %s was not saved (%s); it will be fetched again",
                t->feed, name, store.errstr);
    json_decref(outcome);
}

/* A dated file answered 404 (or 410): not published yet while its grace lasts, then missing.
 * Neither is a failure of the source: its other dates go on. */
static void day_absent(struct transfer *t, long http)
{
    struct sw_feed_update u = { .nset = 0 };
    struct sw_dated d;
    json_t *days = NULL, *prev;
    int64_t now_t = dated_now(), due = 0;
    char when[32], when_t[32], name[16], why[300];
    long long tries = 1;
    int missing;

    sw_dated_day_name(t->day, name, sizeof(name));
    if (sw_feedreg_days(&store, t->feed, &days) == SW_OK &&
        (prev = json_object_get(days, name)) != NULL)
        tries = json_integer_value(json_object_get(prev, "tries")) + 1;
    json_decref(days);
    missing = sw_dated_from_doc(t->doc, &d, why, sizeof(why)) != SW_OK ||
              sw_dated_due_ms(&d, t->day, &due) != SW_OK || now_t >= due + d.grace_ms;
    sw_iso8601(now_t, when_t, sizeof(when_t));
    day_record(t, json_pack("{s:s, s:s, s:I, s:I}", "state", missing ? "missing" : "waiting",
                            "at", when_t, "http", (json_int_t)http, "tries", (json_int_t)tries));
    if (missing) {
        sw_warn("feed %lld: the file for %s never appeared (HTTP %ld, %lld h after it was due)",
                t->feed, name, http, (long long)((now_t - due) / 3600000));
        add(&u, "dates_missing", 1);
    }
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    put(&u, "last_poll_at", when);
    put(&u, "http_status", num(&u, http));
    add(&u, "polls", 1);
    u.next_ms = dated_next_ms(t->feed, t->doc);
    commit(t->feed, &u);
}

/* A failed poll: count it, say why, and try again after base·2^(n-1) seconds (at most
 * backoff_max), half of it fixed and half random, so many failing feeds do not retry in step.
 * A Retry-After the server sent wins (within 1 s .. backoff_max). */
static void failed(long long feed, long http, const char *why, long retry_after_s,
                   size_t records, long long fresh)
{
    struct sw_feed_update u = { .nset = 0 };
    int64_t now = sw_now_ms(), delay_ms, max_ms = cfgi("poller.backoff_max_s") * 1000;
    long long n = sw_feedreg_status_int(&store, feed, "consecutive_failures") + 1;
    char when[32];

    if (retry_after_s >= 0) {
        delay_ms = (int64_t)(retry_after_s < 1 ? 1 : retry_after_s) * 1000;
    } else {
        int shift = n > 40 ? 40 : (int)(n - 1);
        int64_t d = cfgi("poller.backoff_base_s") * 1000 * ((int64_t)1 << shift);

        if (d > max_ms || d <= 0)
            d = max_ms;
        delay_ms = d / 2 + (int64_t)randombytes_uniform((uint32_t)(d / 2 + 1));
    }
    if (delay_ms > max_ms)
        delay_ms = max_ms;
    sw_iso8601(now, when, sizeof(when));
    put(&u, "last_poll_at", when);
    put(&u, "last_error", why);
    put(&u, "last_error_at", when);
    put(&u, "http_status", num(&u, http));
    put(&u, "consecutive_failures", num(&u, n));
    add(&u, "polls", 1);
    add(&u, "items_seen", (long long)records);
    add(&u, "events_emitted", fresh);
    u.next_ms = now + delay_ms;
    commit(feed, &u);
    sw_warn("feed %lld: %s; failure %lld, next try in %lld s", feed, why, n,
            (long long)(delay_ms / 1000));
}

/* The document fetched fully (or not modified): remember the validators, reset failures,
 * poll again after the feed's interval. */
static void succeeded(struct transfer *t, long http, size_t records, long long fresh)
{
    struct sw_feed_update u = { .nset = 0 };
    int64_t now = sw_now_ms();
    char when[32], when_t[32], day[16];
    long long interval = json_integer_value(json_object_get(t->doc, "interval_s"));
    const char *old = json_string_value(json_object_get(t->doc, "url"));

    if (t->day != NO_DAY) {
        sw_iso8601(dated_now(), when_t, sizeof(when_t));
        day_record(t, json_pack("{s:s, s:s, s:I, s:I}", "state", "fetched", "at", when_t,
                                "items", (json_int_t)records, "events", (json_int_t)fresh));
        sw_dated_day_name(t->day, day, sizeof(day));
        put(&u, "last_date", day);
        add(&u, "dates_fetched", 1);
    }
    if (t->hops > 0 && t->permanent && t->day == NO_DAY) {
        /* Moved permanently: poll the new address from now on, and say where it came from. */
        json_t *patch = json_pack("{s:s}", "url", t->url), *out = NULL;

        if (sw_doc_patch(&store, &sw_kind_feed, t->feed, patch, &out) == SW_OK) {
            put(&u, "moved_from", old ? old : "");
            sw_info("feed %lld: moved permanently to %s", t->feed, t->url);
        }
        json_decref(patch);
        json_decref(out);
    }
    sw_iso8601(now, when, sizeof(when));
    put(&u, "last_poll_at", when);
    put(&u, "last_success_at", when);
    put(&u, "http_status", num(&u, http));
    put(&u, "consecutive_failures", "0");
    add(&u, "polls", 1);
    if (http == 304) {
        add(&u, "not_modified", 1);
    } else {
        add(&u, "items_seen", (long long)records);
        add(&u, "events_emitted", fresh);
        if (t->f.etag[0] != '\0')
            put(&u, "etag", t->f.etag);
        else
            sw_feed_update_del(&u, "etag");
        if (t->f.last_modified[0] != '\0')
            put(&u, "last_modified", t->f.last_modified);
        else
            sw_feed_update_del(&u, "last_modified");
        if (t->warnings != NULL)
            put(&u, "warnings", t->warnings);
        else
            sw_feed_update_del(&u, "warnings");
    }
    u.next_ms = t->day != NO_DAY ? dated_next_ms(t->feed, t->doc)
                                 : now + (interval > 0 ? interval : 900) * 1000;
    commit(t->feed, &u);
}

/* 410 Gone: the feed is disabled with a reason a person can read; an admin may enable it. */
static void gone(struct transfer *t)
{
    struct sw_feed_update u = { .nset = 0 };
    json_t *patch = json_pack("{s:b}", "enabled", 0), *out = NULL;
    char when[32], why[256];

    sw_iso8601(sw_now_ms(), when, sizeof(when));
    snprintf(why, sizeof(why), "HTTP 410 Gone on %s: the server says this feed no longer "
             "exists; set enabled to true to poll it again", when);
    if (sw_doc_patch(&store, &sw_kind_feed, t->feed, patch, &out) != SW_OK)
        sw_warn("feed %lld: could not disable (%s)", t->feed, store.errstr);
    put(&u, "last_poll_at", when);
    put(&u, "http_status", "410");
    put(&u, "last_error", why);
    put(&u, "last_error_at", when);
    put(&u, "disabled_reason", why);
    add(&u, "polls", 1);
    sw_feed_update_del(&u, "next_poll_at");
    u.next_ms = -1;
    commit(t->feed, &u);
    sw_warn("feed %lld: %s", t->feed, why);
    json_decref(patch);
    json_decref(out);
}

struct emit_ctx {
    long long fresh;
    int store_failed;
    const char *source;
};

static int store_event(void *ud, json_t *ev)
{
    struct emit_ctx *e = ud;
    int rc;

    /* A calendar's fair becomes a show (or updates the one an earlier poll made), and the
     * event names the show by its id, as portfolios and stations do. */
    if (strcmp(json_string_value(json_object_get(ev, "type")) ?: "", "show_event") == 0 &&
        json_is_string(json_object_get(ev, "show"))) {
        char id[SW_SHOW_ID_MAX + 1];
        int created;

        if (sw_show_from_event(&store, ev, e->source, NULL, id, sizeof(id), &created) ==
            SW_EAGAIN) {
            json_decref(ev);
            e->store_failed = 1;
            return 1;
        }
    }
    rc = sw_event_publish(&store, ev, (long)cfgi("events.ttl_s"), (long)cfgi("events.maxlen"));

    json_decref(ev);
    if (rc == 1)
        e->fresh++;
    if (rc < 0) {
        e->store_failed = 1;
        return 1;   /* stop: the rest waits for the next poll */
    }
    return 0;
}

static void parsed(struct transfer *t, long http)
{
    struct sw_feed_opts o = { .format = SW_FEED_AUTO };
    struct sw_feed_result res;
    struct emit_ctx e = { 0, 0, NULL };
    char source[48], cs[64], why[700];
    const char *fmt = json_string_value(json_object_get(t->doc, "format"));
    int rc;

    if (fmt != NULL)
        sw_feed_format_parse(fmt, &o.format);
    o.charset = json_string_value(json_object_get(t->doc, "charset"));
    if (o.charset == NULL)
        o.charset = sw_fetch_charset(&t->f, cs, sizeof(cs));
    o.item_type = json_string_value(json_object_get(t->doc, "type"));
    o.html = json_object_get(t->doc, "html");
    o.base_url = t->url;
    snprintf(source, sizeof(source), "feed:%lld", t->feed);
    o.source = source;
    e.source = source;
    if (t->fd >= 0) {
        if (lseek(t->fd, 0, SEEK_SET) != 0) {
            snprintf(why, sizeof(why), "the downloaded archive could not be read back (%s)",
                     strerror(errno));
            failed(t->feed, http, why, -1, 0, 0);
            return;
        }
        rc = sw_archive_parse_fd(t->fd, t->comp, &alimits, &o, store_event, &e, &res, NULL);
    } else {
        rc = sw_feed_parse_buffer(t->f.body.p ? t->f.body.p : "", t->f.body.len, &o,
                                  store_event, &e, &res);
    }
    if (res.warnings > 0) {   /* kept in the status by succeeded() */
        json_t *w = sw_feed_warnings_json(&res);

        t->warnings = sw_json_dumps(w);
        json_decref(w);
    }
    if (e.store_failed) {
        snprintf(why, sizeof(why), "storing events failed after %lld new ones (%s)", e.fresh,
                 store.errstr);
        failed(t->feed, http, why, -1, res.records, e.fresh);
        return;
    }
    if (rc != SW_OK) {
        if (rc == SW_TOOBIG && t->fd >= 0)
            snprintf(why, sizeof(why), "the archive was refused: %s", res.err);
        else if (res.partial)
            snprintf(why, sizeof(why), "the document broke off after %zu events (%lld new): %s",
                     res.events, e.fresh, res.err);
        else
            snprintf(why, sizeof(why), "the document could not be read: %s", res.err);
        if (t->day != NO_DAY) {
            char when_t[32];

            /* The publisher's file itself is bad: the date is not fetched again, and the
             * source's other dates go on after the backoff. */
            sw_iso8601(dated_now(), when_t, sizeof(when_t));
            day_record(t, json_pack("{s:s, s:s, s:I, s:I}", "state", "unreadable", "at", when_t,
                                    "items", (json_int_t)res.records,
                                    "events", (json_int_t)e.fresh));
        }
        failed(t->feed, http, why, -1, res.records, e.fresh);
        return;
    }
    succeeded(t, http, res.records, e.fresh);
}

static int start(long long feed, json_t *doc, const char *url, int hops, int permanent,
                 int64_t day, char *why, size_t whylen);

static void finish(struct transfer *t, CURLcode rc)
{
    long http = 0;
    char why[900], refusal[sizeof(t->f.refused)];
    char *loc = NULL;
    const char *scheme = strncasecmp(t->url, "https:", 6) == 0 ? "https" : "http";
    int rc2;

    curl_easy_getinfo(t->f.easy, CURLINFO_RESPONSE_CODE, &http);
    if (rc != CURLE_OK) {
        sw_fetch_describe(&t->f, rc, why, sizeof(why));
        failed(t->feed, http, why, -1, 0, 0);
    } else if (http == 301 || http == 302 || http == 303 || http == 307 || http == 308) {
        curl_easy_getinfo(t->f.easy, CURLINFO_REDIRECT_URL, &loc);
        if (loc == NULL) {
            snprintf(why, sizeof(why), "HTTP %ld without a usable Location", http);
            failed(t->feed, http, why, -1, 0, 0);
        } else if (t->hops >= (int)cfgi("poller.max_redirects")) {
            snprintf(why, sizeof(why), "more than %lld redirects (a loop?); the last to %.300s",
                     cfgi("poller.max_redirects"), loc);
            failed(t->feed, http, why, -1, 0, 0);
        } else if (sw_fetch_location_check(&t->f, scheme, refusal, sizeof(refusal)) != SW_OK) {
            snprintf(why, sizeof(why), "cannot follow the redirect to %.300s: refused the URL: %s",
                     t->f.location, refusal);
            failed(t->feed, http, why, -1, 0, 0);
        } else if ((rc2 = start(t->feed, json_incref(t->doc), loc, t->hops + 1,
                                t->permanent && (http == 301 || http == 308), t->day, refusal,
                                sizeof(refusal))) == SW_OK) {
            return;   /* the lease stays: the next hop carries on */
        } else {
            snprintf(why, sizeof(why), "cannot follow the redirect to %.300s%s%s", loc,
                     rc2 == SW_INVALID ? ": " : "", rc2 == SW_INVALID ? refusal : "");
            failed(t->feed, http, why, -1, 0, 0);
        }
    } else if (http == 304) {
        succeeded(t, http, 0, 0);
    } else if (http >= 200 && http < 300) {
        parsed(t, http);
    } else if (t->day != NO_DAY && (http == 404 || http == 410)) {
        day_absent(t, http);
    } else if (http == 410) {
        gone(t);
    } else if (http == 429 || http == 503) {
        long ra = sw_fetch_retry_after(&t->f, sw_now_ms());

        if (ra >= 0)
            snprintf(why, sizeof(why), "HTTP %ld; the server asks for a retry after %ld s", http,
                     ra);
        else
            snprintf(why, sizeof(why), "HTTP %ld without Retry-After", http);
        failed(t->feed, http, why, ra, 0, 0);
    } else {
        snprintf(why, sizeof(why), "HTTP %ld", http);
        failed(t->feed, http, why, -1, 0, 0);
    }
    release(t);
}

/* Headers for a conditional GET, unless this poll is one of the unconditional ones. */
static struct curl_slist *conditional(long long feed)
{
    char etag[256], lm[64], h[400];
    struct curl_slist *list = NULL;
    long long polls;

    if (sw_feedreg_validators(&store, feed, etag, sizeof(etag), lm, sizeof(lm), &polls) !=
        SW_OK)
        return NULL;
    if ((polls + 1) % cfgi("poller.unconditional_every") != 0) {
        if (etag[0] != '\0') {
            snprintf(h, sizeof(h), "If-None-Match: %s", etag);
            list = curl_slist_append(list, h);
        }
        if (lm[0] != '\0') {
            snprintf(h, sizeof(h), "If-Modified-Since: %s", lm);
            list = curl_slist_append(list, h);
        }
    }
    return list;
}

/* An unlinked file in data.dir for an archive's body, or -1 (logged). */
static int archive_file(void)
{
    const char *dir = sw_config_str(cfg, "data.dir");
    char path[600];
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

    if (fd < 0) {
        snprintf(path, sizeof(path), "%s/.poller-XXXXXX", dir);
        fd = mkstemp(path);
        if (fd >= 0)
            unlink(path);
    }
    if (fd < 0)
        sw_warn("no temporary file in \"%s\" for an archive (%s)", dir, strerror(errno));
    return fd;
}

/* Starts fetching url for feed (doc is taken over); day is the date of a dated source's file,
 * or NO_DAY. Returns SW_OK; SW_INVALID when the URL is refused (why says so: a URL stored
 * before a rule existed, or a redirect's target); SW_ERR (why says so when it can). Nothing is
 * recorded or released on failure: the caller decides what it means. */
static int start(long long feed, json_t *doc, const char *url, int hops, int permanent,
                 int64_t day, char *why, size_t whylen)
{
    struct transfer *t = calloc(1, sizeof(*t));
    const char *comp = json_string_value(json_object_get(doc, "compression"));
    struct curl_slist *headers = NULL;
    int rc;

    if (t == NULL) {
        json_decref(doc);
        return SW_ERR;
    }
    t->feed = feed;
    t->doc = doc;
    t->hops = hops;
    t->permanent = permanent;
    t->day = day;
    t->fd = -1;
    if (comp == NULL || sw_compression_parse(comp, &t->comp) != SW_OK)
        t->comp = SW_COMP_NONE;
    sw_strlcpy(t->url, url, sizeof(t->url));
    if (hops == 0)   /* validators and keys go with the first request only */
        headers = sw_api_keys_headers(&api_keys, url, day == NO_DAY ? conditional(feed) : NULL);
    rc = sw_fetch_init(&t->f, url, &fopts, headers);
    if (rc == SW_INVALID)
        snprintf(why, whylen, "%s", t->f.refused);
    if (rc == SW_OK && t->comp != SW_COMP_NONE) {
        t->fd = archive_file();
        if (t->fd < 0) {
            snprintf(why, whylen, "no temporary file for the archive in data.dir");
            rc = SW_ERR;
        } else if (sw_fetch_body_to(&t->f, t->fd, (size_t)cfgi("poller.archive_body_max")) !=
                       SW_OK ||
                   curl_easy_setopt(t->f.easy, CURLOPT_TIMEOUT_MS,
                                    (long)cfgi("poller.archive_timeout_ms")) != CURLE_OK) {
            rc = SW_ERR;
        }
    }
    if (rc != SW_OK || curl_multi_add_handle(multi, t->f.easy) != CURLM_OK) {
        sw_fetch_cleanup(&t->f);
        if (t->fd >= 0)
            close(t->fd);
        json_decref(doc);
        free(t);
        return rc == SW_INVALID ? SW_INVALID : SW_ERR;
    }
    t->f.owner = t;
    t->next = running;
    running = t;
    nrunning++;
    sw_debug("feed %lld: GET %s (hop %d)", feed, url, hops);
    return SW_OK;
}

static int is_running(long long feed)
{
    struct transfer *t;

    for (t = running; t != NULL; t = t->next)
        if (t->feed == feed)
            return 1;
    return 0;
}

/* Takes due feeds while there is room, each under its lease. Returns how many it started;
 * *more is set when the schedule may hold further due feeds for this poller. */
static int claim(int *more)
{
    long long *ids;
    int room = (int)cfgi("poller.concurrency") - nrunning, started = 0, n, i;

    *more = 0;
    if (room <= 0 || (ids = calloc((size_t)room * 4, sizeof(*ids))) == NULL)
        return 0;
    n = sw_feedreg_due(&store, sw_now_ms(), room * 4, ids);
    if (n < 0) {
        sw_warn("schedule unreadable (%s)", store.errstr);
        free(ids);
        return 0;
    }
    for (i = 0; i < n && room > 0 && !stopping; i++) {
        long long feed = ids[i];
        json_t *doc = NULL;
        char why[sizeof(((struct sw_fetch *)0)->refused)];
        int rc;

        why[0] = '\0';
        if (feed <= 0 || is_running(feed))
            continue;
        if (sw_feedreg_lease_take(&store, feed, me, (long)cfgi("poller.lease_ms")) != 1)
            continue;
        rc = sw_doc_get(&store, &sw_kind_feed, feed, &doc);
        if (rc == SW_NOTFOUND || (rc == SW_OK && !json_is_true(json_object_get(doc, "enabled")))) {
            sw_feedreg_unschedule(&store, feed);   /* deleted or disabled: nothing is due */
            sw_feedreg_lease_release(&store, feed, me);
            json_decref(doc);
            continue;
        }
        if (rc == SW_OK) {
            const char *url = json_string_value(json_object_get(doc, "url"));
            char dated_url[SW_DATED_TEMPLATE_MAX + 64];
            int64_t day = NO_DAY;

            if (json_object_get(doc, "url_template") != NULL) {
                int pick = dated_pick(feed, doc, &day, dated_url, sizeof(dated_url), why,
                                      sizeof(why));

                if (pick == 0) {   /* nothing due: scheduled for when there will be */
                    sw_feedreg_lease_release(&store, feed, me);
                    json_decref(doc);
                    continue;
                }
                rc = pick < 0 ? SW_INVALID : SW_OK;
                url = dated_url;
            }
            if (rc == SW_OK)
                rc = start(feed, json_incref(doc), url, 0, 1, day, why, sizeof(why));
        }
        if (rc != SW_OK) {
            if (rc == SW_INVALID || why[0] != '\0')
                failed(feed, 0, why, -1, 0, 0);   /* backs off like any failed poll */
            sw_feedreg_lease_release(&store, feed, me);
        } else {
            room--;
            started++;
        }
        json_decref(doc);
    }
    *more = started > 0 && room == 0;
    free(ids);
    return started;
}

static void unlink_transfer(struct transfer *t)
{
    struct transfer **pp;

    for (pp = &running; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            nrunning--;
            break;
        }
    }
    curl_multi_remove_handle(multi, t->f.easy);
    sw_fetch_cleanup(&t->f);
    if (t->fd >= 0)
        close(t->fd);
    json_decref(t->doc);
    free(t->warnings);
    free(t);
}

static void renew_leases(void)
{
    struct transfer *t;

    for (t = running; t != NULL; t = t->next)
        sw_feedreg_lease_renew(&store, t->feed, me, (long)cfgi("poller.lease_ms"));
}

static int setup(int argc, char **argv)
{
    struct sw_config *loaded;
    char err[512];
    int rc = sw_worker_start("seawall-poller", argc, argv, "poller.id", &loaded, me, sizeof(me),
                             &stopping);

    if (rc != 0)
        return rc;
    cfg = loaded;
    if (sw_allowlist_parse(sw_config_str(cfg, "net.allow_private"), &allow, err, sizeof(err)) !=
        SW_OK) {
        fprintf(stderr, "seawall-poller: net.allow_private: %s\n", err);
        return 2;
    }
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    if (sw_api_keys_parse(sw_config_str(cfg, "poller.api_keys"), &api_keys, err, sizeof(err)) !=
        SW_OK) {
        fprintf(stderr, "seawall-poller: poller.api_keys: %s\n", err);
        return 2;
    }
    sw_feedreg_archive_limits(cfg, &alimits);
    sw_store_init(&store, cfg);
    fopts.connect_timeout_ms = (long)cfgi("poller.connect_timeout_ms");
    fopts.total_timeout_ms = (long)cfgi("poller.timeout_ms");
    fopts.low_speed_bytes = (long)cfgi("poller.low_speed_bytes");
    fopts.low_speed_s = (long)cfgi("poller.low_speed_s");
    fopts.body_max = (size_t)cfgi("poller.body_max");
    fopts.allow = &allow;
    fopts.user_agent = sw_config_str(cfg, "poller.user_agent");
    multi = curl_multi_init();
    if (multi == NULL)
        return 1;
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)cfgi("poller.max_per_host"));
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)cfgi("poller.concurrency"));
    return 0;
}

int main(int argc, char **argv)
{
    int64_t last_renew = 0;
    int rc = setup(argc, argv);

    if (rc != 0)
        return rc;
    sw_info("polling as %s, up to %lld feeds at once", me, cfgi("poller.concurrency"));
    while (!stopping) {
        struct CURLMsg *msg;
        int still, queued, more, finished = 0;
        int64_t now;

        claim(&more);
        curl_multi_perform(multi, &still);
        /* One finished transfer is parsed at a time, each parse bounded (feeds/ical.c bounds
         * repeat rules too); SIGTERM is honoured between documents: those not parsed yet stay
         * due and their leases are released below. */
        while (!stopping && (msg = curl_multi_info_read(multi, &queued)) != NULL) {
            struct transfer *t = NULL;

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
            if (t == NULL)
                continue;
            finish(t, msg->data.result);
            unlink_transfer(t);
            finished++;
        }
        now = sw_now_ms();
        if (now - last_renew >= cfgi("poller.lease_ms") / 3) {
            renew_leases();
            last_renew = now;
        }
        /* Work just finished or more is due: look again at once; else wait for sockets, the
         * schedule or a signal, at most idle_ms. */
        curl_multi_poll(multi, NULL, 0,
                        finished > 0 || more ? 0 : (int)cfgi("poller.idle_ms"), NULL);
    }
    sw_info("stopping: %d transfers abandoned, their feeds stay due", nrunning);
    while (running != NULL) {
        release(running);
        unlink_transfer(running);
    }
    curl_multi_cleanup(multi);
    sw_store_close(&store);
    curl_global_cleanup();
    sw_i18n_free();
    sw_config_free((struct sw_config *)cfg);
    return 0;
}
