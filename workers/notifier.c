/* notifier.c — seawall-notifier: takes each new alert from the deliveries stream (consumer
 * group "notifiers"), turns it into one delivery per webhook endpoint and mail address the
 * subscriber set (or a place in the daily digest), and makes the deliveries: signed webhooks
 * (Standard Webhooks), group-messenger robots (WeCom, DingTalk, Feishu: the alert as the
 * platform's markdown card, signed as it documents, each robot held to its rate limit) and
 * mail over SMTP, many at once through one curl multi handle. Everything a person reads is
 * rendered at send time in the subscriber's language and time zone (message.h).
 *
 * Nothing is lost to a crash: a stream entry is acknowledged only after its deliveries are
 * stored (storing is idempotent, delivery ids are derived from alert and target), and a
 * delivery being attempted carries a lease in the due set, so one whose notifier died is
 * attempted again, with the same webhook-id, once the lease runs out.
 *
 * Reminders before an alert's action window closes (seawall/reminders.h) are claimed from
 * their schedule the same way and become ordinary deliveries of kind "reminder", one per
 * channel the alert itself would go to ("channel": webhook or email), sent by the same code. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "seawall/alerts.h"
#include "seawall/buf.h"
#include "seawall/cases.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/i18n.h"
#include "seawall/delivery.h"
#include "seawall/fetch.h"
#include "seawall/log.h"
#include "seawall/message.h"
#include "seawall/messenger.h"
#include "seawall/reminders.h"
#include "seawall/store.h"
#include "seawall/stream.h"
#include "seawall/worker.h"

#define GROUP "notifiers"
#define MAX_SCHEDULE 32

static const struct sw_config *cfg;
static struct sw_store store;
static CURLM *multi;
static struct sw_allowlist allow;
static int64_t schedule[MAX_SCHEDULE];
static int nschedule;
static int inflight;
static char me[160];
static volatile sig_atomic_t stopping;

/* One attempt in flight. f comes first: for webhooks it is the whole transfer. */
struct run {
    struct sw_fetch f;
    curl_mime *mime;
    struct curl_slist *rcpt;
    struct curl_slist *mail_headers;
    char errbuf[CURL_ERROR_SIZE];
    int is_mail;
    int msgr;                  /* the endpoint's kind (messenger.h): how its answer reads */
    long long sub;
    json_t *job;
    int64_t started_us;
    int done;                  /* finish() ran: the outcome is stored */
    struct run *prev, *next;   /* every run in flight, to free them at exit */
};

static struct run *runs;

/* --- the retry schedule ------------------------------------------------------------------ */

static int parse_schedule(const char *text)
{
    const char *p = text;

    nschedule = 0;
    while (*p != '\0') {
        char *end;
        long long v = strtoll(p, &end, 10), mult;

        if (end == p || v < 0 || nschedule == MAX_SCHEDULE)
            return SW_INVALID;
        if (strncmp(end, "ms", 2) == 0) {
            mult = 1;
            end += 2;
        } else if (*end == 's') {
            mult = 1000;
            end++;
        } else if (*end == 'm') {
            mult = 60000;
            end++;
        } else if (*end == 'h') {
            mult = 3600000;
            end++;
        } else {
            return SW_INVALID;
        }
        schedule[nschedule++] = v * mult;
        while (*end == ' ')
            end++;
        if (*end == ',')
            end++;
        else if (*end != '\0')
            return SW_INVALID;
        while (*end == ' ')
            end++;
        p = end;
    }
    return nschedule > 0 ? SW_OK : SW_INVALID;
}

/* --- intake: new alerts become deliveries ------------------------------------------------ */

/* 1 when a job goes out to a webhook endpoint (a generic one or a group robot): a webhook
 * delivery, or a reminder with no mail address; every other job goes by mail. */
static int by_webhook(const json_t *job)
{
    const char *kind = json_string_value(json_object_get(job, "kind")) ?: "";

    return strcmp(kind, "webhook") == 0 ||
           (strcmp(kind, "reminder") == 0 && json_object_get(job, "to") == NULL);
}

/* Stores a job; SW_OK when stored now or before. */
static int enqueue(long long sub, json_t *job)
{
    int created, rc = sw_dlv_enqueue(&store, sub, job, sw_now_ms(), &created);

    json_decref(job);
    return rc;
}

/* The deliveries for one new alert, or (rem not NULL) for one of its reminders: kind
 * "reminder" on the same channels, the mail immediate even where alerts wait for the digest (a
 * reminder a day before the end cannot wait a day). Returns SW_OK when all are stored. */
static int intake_alert(long long sub, const char *alert, const char *severity,
                        const struct sw_reminder *rem)
{
    json_t *settings, *hooks, *wh, *v;
    char id[40], target[300], what[80];
    const char *mode;
    int rank = sw_severity_rank(severity), rc;
    size_t i;

    /* What a delivery id is derived from: the alert, or the alert and which reminder. */
    if (rem != NULL)
        snprintf(what, sizeof(what), "%s|reminder:%d", alert, rem->days);
    else
        snprintf(what, sizeof(what), "%s", alert);
    if ((rc = sw_delivery_get(&store, sub, &settings)) != SW_OK)
        return rc;
    if ((rc = sw_webhook_all(&store, sub, &hooks)) != SW_OK) {
        json_decref(settings);
        return rc;
    }
    json_array_foreach(hooks, i, wh) {
        long long wid = json_integer_value(json_object_get(wh, "id"));

        if (!json_is_true(json_object_get(wh, "enabled")) ||
            rank < sw_severity_rank(json_string_value(json_object_get(wh, "severity_floor"))) ||
            sw_webhook_disabled(&store, sub, wid))
            continue;
        snprintf(target, sizeof(target), "webhook:%lld", wid);
        sw_dlv_id(sub, what, target, id, sizeof(id));
        if ((rc = enqueue(sub, rem != NULL
                                   ? json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:I, s:O}",
                                               "id", id, "kind", "reminder", "channel",
                                               sw_webhook_kinds[sw_msgr_of(wh)], "topic",
                                               "alert.reminder", "alert", alert, "days_before",
                                               rem->days, "severity", severity, "webhook",
                                               (json_int_t)wid, "url",
                                               json_object_get(wh, "url"))
                                   : json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:O}",
                                               "id", id, "kind", "webhook", "channel",
                                               sw_webhook_kinds[sw_msgr_of(wh)], "topic",
                                               "alert.created", "alert", alert, "severity",
                                               severity, "webhook", (json_int_t)wid, "url",
                                               json_object_get(wh, "url")))) != SW_OK)
            goto out;
    }
    mode = json_string_value(json_object_get(settings, "email_mode"));
    if (rank < sw_severity_rank(json_string_value(json_object_get(settings,
                                                                  "email_severity_floor"))) ||
        json_array_size(json_object_get(settings, "emails")) == 0 || mode == NULL ||
        strcmp(mode, "off") == 0) {
        rc = SW_OK;
    } else if (strcmp(mode, "digest") == 0 && rem == NULL) {
        int64_t next = sw_digest_next((int)json_integer_value(json_object_get(settings,
                                                                              "digest_hour")),
                                      json_string_value(json_object_get(settings, "digest_tz")),
                                      sw_now_ms());

        rc = sw_digest_add(&store, sub, alert, next > 0 ? next : sw_now_ms() + 86400000);
    } else {
        json_array_foreach(json_object_get(settings, "emails"), i, v) {
            snprintf(target, sizeof(target), "email:%s", json_string_value(v));
            sw_dlv_id(sub, what, target, id, sizeof(id));
            if ((rc = enqueue(sub, rem != NULL
                                       ? json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:O}",
                                                   "id", id, "kind", "reminder", "channel",
                                                   "email", "topic", "alert.reminder", "alert",
                                                   alert, "days_before", rem->days, "severity",
                                                   severity, "to", v)
                                       : json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "id", id,
                                                   "kind", "email", "topic", "alert.created",
                                                   "alert", alert, "severity", severity, "to",
                                                   v))) != SW_OK)
                goto out;
        }
        rc = SW_OK;
    }
out:
    json_decref(settings);
    json_decref(hooks);
    return rc;
}

/* Makes the deliveries of each entry read from the deliveries stream's shard and acknowledges
 * it. An entry may come twice (a matcher's retry announces an alert again; a notifier that
 * died before acknowledging): delivery ids are derived from alert and target and a digest
 * takes an alert once, so a second reading makes nothing again. On a failure the entry and
 * those after it stay pending: claim_stale() takes them up again. */
static void intake(int shard, const redisReply *entries)
{
    size_t i;

    for (i = 0; entries != NULL && entries->type == REDIS_REPLY_ARRAY && i < entries->elements;
         i++) {
        const redisReply *e = entries->element[i];
        const char *alert, *sub, *sev, *id;
        long long subid;

        if (e->type != REDIS_REPLY_ARRAY || e->elements < 1 ||
            e->element[0]->type != REDIS_REPLY_STRING)
            continue;
        id = e->element[0]->str;
        if (e->elements >= 2 && e->element[1]->type == REDIS_REPLY_ARRAY) {   /* else trimmed */
            alert = sw_stream_field(e, "alert");
            sub = sw_stream_field(e, "sub");
            sev = sw_stream_field(e, "severity");
            if (alert != NULL && sub != NULL && sev != NULL &&
                sw_parse_ll(sub, 1, INT64_MAX, &subid) == SW_OK &&
                intake_alert(subid, alert, sev, NULL) != SW_OK) {
                sw_warn("deliveries for alert %s not stored yet (%s); it stays pending", alert,
                        store.errstr);
                return;
            }
        }
        if (sw_stream_ack(&store, SW_DELIVERIES, shard, GROUP, 1, &id) != SW_OK)
            sw_warn("new alert %s not acknowledged (%s); it will be read again", id,
                    store.errstr);
    }
}

static void take_claimed(void *ud, int shard, const redisReply *entries)
{
    (void)ud;
    intake(shard, entries);
}

static void claim_stale(void)
{
    sw_stream_claim(&store, SW_DELIVERIES, GROUP, me, sw_config_int(cfg, "notifier.claim_idle_ms"),
                    sw_config_int(cfg, "notifier.batch"), "new alerts", take_claimed, NULL,
                    &stopping);
}

/* --- reminders --------------------------------------------------------------------------- */

static json_t *load_alert(long long sub, const char *id);

/* Claims the reminders due by the cases' clock (which tests move) and makes each one's
 * deliveries; a reminder is done once they are stored. One for an alert that is gone or
 * dismissed (the exporter said it does not concern them), or whose window has closed by now
 * (the notifiers were down past it), is done with none. A failure leaves it claimed: it comes
 * back when its lease runs out, and its deliveries, already stored or not, are made once. */
static void reminders(void)
{
    struct sw_reminder due[32];
    int64_t now = sw_case_now(&store, (int)sw_config_int(cfg, "cases.test_clock"));
    size_t n, i;

    if (sw_reminder_claim(&store, now, sw_config_int(cfg, "notifier.lease_ms"), due,
                          SW_ARRAY_LEN(due), &n) != SW_OK)
        return;
    for (i = 0; i < n && !stopping; i++) {
        json_t *a = load_alert(due[i].sub, due[i].alert);
        const char *st = json_string_value(json_object_get(a, "status"));
        int64_t closes = 0;
        int rc = SW_OK;

        if (a != NULL && strcmp(st ?: "", "dismissed") != 0 &&
            sw_date_ms(json_string_value(json_object_get(json_object_get(a, "action"),
                                                         "closes")) ?: "", &closes) == SW_OK &&
            closes > now)
            rc = intake_alert(due[i].sub, due[i].alert,
                              json_string_value(json_object_get(a, "severity")) ?: "low",
                              &due[i]);
        json_decref(a);
        if (rc == SW_OK)
            rc = sw_reminder_done(&store, &due[i]);
        if (rc != SW_OK)
            sw_warn("reminder %s not made yet (%s); it comes back after its lease",
                    due[i].member, store.errstr);
        else
            sw_debug("reminder %s made", due[i].member);
    }
}

/* --- digests ----------------------------------------------------------------------------- */

/* Makes sub's digest of the alerts waiting (at most 500), one delivery per address, and
 * takes them off the list; the next digest is scheduled when some are left. A digest made
 * before a crash (its id is derived from its first alert and the address) is found again and
 * only what it holds is taken off. */
static void make_digest(long long sub)
{
    char first[24] = "0", upto[24] = "0", id[40], what[64], target[300];
    json_t *settings = NULL, *ids = NULL, *v;
    int64_t nxt;
    size_t i;

    if (sw_delivery_get(&store, sub, &settings) != SW_OK ||
        sw_digest_pending(&store, sub, 500, &ids, first, sizeof(first), upto,
                          sizeof(upto)) != SW_OK)
        goto out;
    snprintf(what, sizeof(what), "digest:%s", first);
    if (json_array_size(ids) > 0 &&
        strcmp(json_string_value(json_object_get(settings, "email_mode")) ?: "", "digest") == 0) {
        json_array_foreach(json_object_get(settings, "emails"), i, v) {
            json_t *job, *old = NULL;
            int created;

            snprintf(target, sizeof(target), "email:%s", json_string_value(v));
            sw_dlv_id(sub, what, target, id, sizeof(id));
            job = json_pack("{s:s, s:s, s:s, s:O, s:O, s:s}", "id", id, "kind", "digest",
                            "topic", "alert.digest", "to", v, "alerts", ids, "upto", upto);
            if (sw_dlv_enqueue(&store, sub, job, sw_now_ms(), &created) != SW_OK) {
                json_decref(job);
                goto out;
            }
            json_decref(job);
            /* Made before a crash: take only what that digest holds off the list. */
            if (!created && sw_dlv_get(&store, sub, id, &old) == SW_OK) {
                sw_strlcpy(upto, json_string_value(json_object_get(old, "upto")) ?: upto,
                           sizeof(upto));
                json_decref(old);
            }
        }
    }
    nxt = sw_digest_next((int)json_integer_value(json_object_get(settings, "digest_hour")),
                         json_string_value(json_object_get(settings, "digest_tz")) ?: "UTC",
                         sw_now_ms());
    if (sw_digest_done(&store, sub, upto, nxt > 0 ? nxt : sw_now_ms() + 86400000) != SW_OK)
        sw_warn("digest of subscriber %lld: the list not updated (%s)", sub, store.errstr);
out:
    json_decref(settings);
    json_decref(ids);
}

static void digests(void)
{
    long long subs[20];
    size_t n, i;

    if (sw_digest_due(&store, sw_now_ms(), SW_ARRAY_LEN(subs), subs, &n) != SW_OK)
        return;
    for (i = 0; i < n && !stopping; i++)
        make_digest(subs[i]);
}

/* --- building messages ------------------------------------------------------------------- */

static json_t *load_alert(long long sub, const char *id)
{
    json_t *ids = json_pack("[s]", id), *items = NULL, *a = NULL;

    if (sw_alert_load(&store, sub, ids, &items) == SW_OK && json_array_size(items) == 1) {
        a = json_array_get(items, 0);
        json_incref(a);
    }
    json_decref(ids);
    json_decref(items);
    return a;
}

/* Text for one line of a header or body: controls (CR and LF above all) become spaces. */
static void one_line(char *out, size_t outlen, const char *in)
{
    size_t i;

    sw_strlcpy(out, in ? in : "", outlen);
    for (i = 0; out[i] != '\0'; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
            out[i] = ' ';
}

/* "Subject: …" with non-ASCII text as RFC 2047 encoded words, each cut on a UTF-8 boundary. */
static void subject_header(char *out, size_t outlen, const char *text)
{
    size_t i, n = strlen(text), used;
    int ascii = 1;

    for (i = 0; i < n; i++)
        if ((unsigned char)text[i] >= 0x80 || (text[i] == '=' && text[i + 1] == '?'))
            ascii = 0;
    if (ascii) {
        snprintf(out, outlen, "Subject: %s", text);
        return;
    }
    used = (size_t)snprintf(out, outlen, "Subject:");
    for (i = 0; i < n && used + 80 < outlen;) {
        char b64[80];
        size_t take = n - i > 45 ? 45 : n - i;

        while (i + take < n && ((unsigned char)text[i + take] & 0xc0) == 0x80)
            take--;
        sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)text + i, take,
                          sodium_base64_VARIANT_ORIGINAL);
        used += (size_t)snprintf(out + used, outlen - used, " =?UTF-8?B?%s?=", b64);
        i += take;
    }
}

static void url_encode(struct sw_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;

        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_') {
            sw_buf_add(b, s, 1);
        } else {
            char e[3] = { '%', hex[ch >> 4], hex[ch & 15] };

            sw_buf_add(b, e, 3);
        }
    }
}

/* Who reads the subscriber's mail and cards: its language and zone (sw_delivery_get fills in
 * the defaults), links to the portal. settings stays the caller's; m points into it. */
static void reader(const json_t *settings, struct sw_msg_ctx *m)
{
    m->lang = sw_lang_canonical(json_string_value(json_object_get(settings, "lang")))
                  ?: SW_LANG_EN;
    m->tz = json_string_value(json_object_get(settings, "tz")) ?: "UTC";
    m->public_url = sw_config_str(cfg, "notifier.public_url");
}

/* The mail for a job in the reader's language: subject and the two bodies (html as a
 * fragment). SW_NOTFOUND when its alerts are gone. */
static int compose(long long sub, const json_t *job, const struct sw_msg_ctx *m, char *subject,
                   size_t sublen, struct sw_buf *text, struct sw_buf *html)
{
    const char *kind = json_string_value(json_object_get(job, "kind"));
    const char *topic = json_string_value(json_object_get(job, "topic")) ?: "";

    if (strcmp(topic, "webhook.disabled") == 0) {
        sw_msg_mail_disabled(m, json_integer_value(json_object_get(job, "webhook")),
                             json_string_value(json_object_get(job, "url")),
                             json_string_value(json_object_get(job, "error")) ?:
                             json_string_value(json_object_get(job, "detail")),
                             subject, sublen, text, html);
    } else if (strcmp(kind, "reminder") == 0) {
        json_t *a = load_alert(sub, json_string_value(json_object_get(job, "alert")));
        struct sw_buf link;

        if (a == NULL)
            return SW_NOTFOUND;
        sw_buf_init(&link, 2048);
        sw_buf_printf(&link, "%s/app/alerts/%s", sw_config_str(cfg, "notifier.public_url"),
                      json_string_value(json_object_get(a, "id")) ?: "");
        sw_reminder_mail(m->lang, m->tz, a,
                         (int)json_integer_value(json_object_get(job, "days_before")), link.p,
                         subject, sublen, text, html);
        sw_buf_free(&link);
        json_decref(a);
    } else if (strcmp(kind, "digest") == 0) {
        json_t *alerts = json_array(), *v;
        size_t i;

        json_array_foreach(json_object_get(job, "alerts"), i, v) {
            json_t *a = load_alert(sub, json_string_value(v));

            if (a != NULL)
                json_array_append_new(alerts, a);
        }
        if (json_array_size(alerts) == 0) {
            json_decref(alerts);
            return SW_NOTFOUND;
        }
        sw_msg_mail_digest(m, alerts, subject, sublen, text, html);
        json_decref(alerts);
    } else {
        json_t *a = load_alert(sub, json_string_value(json_object_get(job, "alert")));

        if (a == NULL)
            return SW_NOTFOUND;
        sw_msg_mail_alert(m, a, subject, sublen, text, html);
        json_decref(a);
    }
    return SW_OK;
}

/* --- starting attempts ------------------------------------------------------------------- */

/* What a test event says (POST /api/v1/webhooks/{id}/test): fixed, and plainly not an alert. */
#define TEST_DETAIL "A test event sent from Seawall at your request. It is not an alert; " \
                    "reply 2xx to show that your endpoint receives and verifies our webhooks."

/* 1 for a test event's delivery. */
static int is_test(const json_t *job)
{
    return strcmp(json_string_value(json_object_get(job, "topic")) ?: "", "webhook.test") == 0;
}

static void finish(struct run *run, int delivered, long code, const char *error);
static void release(struct run *run);

/* Puts a delivery back in the due set without making an attempt: its robot's rate limit has
 * no place for it until wait_ms from now (nothing is logged, nothing counted). */
static void postpone(struct run *run, int64_t wait_ms)
{
    run->done = 1;
    if (sw_dlv_postpone(&store, run->sub, run->job, sw_now_ms() + wait_ms) != SW_OK)
        sw_warn("delivery %s: its wait for the rate limit not stored (%s); it is attempted "
                "after its lease", json_string_value(json_object_get(run->job, "id")),
                store.errstr);
    sw_debug("delivery %s waits %lld ms for its robot's rate limit",
             json_string_value(json_object_get(run->job, "id")), (long long)wait_ms);
}

/* The body of a generic (Standard Webhooks) delivery: the alert, or the fixed test event, with
 * a one-line "summary" in the subscriber's language. Caller frees; NULL with why set. */
/* How many days before its window closes a reminder job is sent; 0 for any other job. */
static int reminder_days(const json_t *job)
{
    if (strcmp(json_string_value(json_object_get(job, "topic")) ?: "", "alert.reminder") != 0)
        return 0;
    return (int)json_integer_value(json_object_get(job, "days_before"));
}

static char *generic_body(struct run *run, long long wid, const struct sw_msg_ctx *m,
                          const char **why)
{
    json_t *payload, *alert;
    struct sw_buf sum;
    char when[32];
    char *body;

    if (is_test(run->job)) {
        payload = json_pack("{s:s, s:s, s:s, s:s, s:{s:b, s:I, s:s}}", "type", "webhook.test",
                            "timestamp", sw_iso8601(sw_now_ms(), when, sizeof(when)), "lang",
                            m->lang, "summary", sw_tr(m->lang, "Seawall test message"), "data",
                            "test", 1, "webhook", (json_int_t)wid, "detail", TEST_DETAIL);
    } else {
        alert = load_alert(run->sub, json_string_value(json_object_get(run->job, "alert")));
        if (alert == NULL) {
            *why = "the alert no longer exists";
            return NULL;
        }
        sw_buf_init(&sum, 16384);
        sw_msg_summary(m->lang, alert, &sum);
        if (reminder_days(run->job) > 0)
            /* A reminder: the alert (its action says what and until when) and how near. */
            payload = json_pack("{s:s, s:s, s:s, s:s, s:{s:O?, s:O?, s:o}}", "type",
                                "alert.reminder", "timestamp",
                                sw_iso8601(sw_now_ms(), when, sizeof(when)), "lang", m->lang,
                                "summary", sum.p ? sum.p : "", "data", "days_before",
                                json_object_get(run->job, "days_before"), "closes",
                                json_object_get(json_object_get(alert, "action"), "closes"),
                                "alert", alert);
        else
            payload = json_pack("{s:s, s:s, s:s, s:s, s:o}", "type", "alert.created",
                                "timestamp", sw_iso8601(sw_now_ms(), when, sizeof(when)), "lang",
                                m->lang, "summary", sum.p ? sum.p : "", "data", alert);
        sw_buf_free(&sum);
    }
    body = payload != NULL ? sw_json_dumps(payload) : NULL;
    json_decref(payload);
    if (body == NULL)
        *why = "no memory for the payload";
    return body;
}

static int start_webhook(struct run *run)
{
    long long sub = run->sub, wid = json_integer_value(json_object_get(run->job, "webhook"));
    const char *msg_id = json_string_value(json_object_get(run->job, "id"));
    json_t *wh = NULL, *secrets, *settings = NULL;
    struct sw_fetch_opts o;
    struct sw_msg_ctx m;
    struct curl_slist *h = NULL;
    char sig[512] = "", hdr[600], url[SW_URL_MAX + 200], err[480];
    long long ts = (long long)(sw_now_ms() / 1000);
    const char *why = NULL;
    char *body = NULL;
    int rc;

    rc = sw_webhook_get(&store, sub, wid, &wh);
    /* Each attempt is for the webhook's URL as it is now (changed since the delivery was made,
     * or since its last attempt, perhaps); the delivery and the attempt's record show that. */
    if (rc == SW_OK && json_is_string(json_object_get(wh, "url")))
        json_object_set(run->job, "url", json_object_get(wh, "url"));
    /* A test goes out to a disabled endpoint too: that is how its owner checks it works. */
    if (rc == SW_NOTFOUND || (rc == SW_OK && !is_test(run->job) &&
                              (!json_is_true(json_object_get(wh, "enabled")) ||
                               sw_webhook_disabled(&store, sub, wid)))) {
        json_decref(wh);
        finish(run, -1, 0, rc == SW_NOTFOUND ? "the webhook was deleted"
                                             : "the webhook is disabled");
        return SW_OK;
    }
    if (rc != SW_OK)
        return rc;
    if ((rc = sw_delivery_get(&store, sub, &settings)) != SW_OK) {
        json_decref(wh);
        return rc;
    }
    reader(settings, &m);
    run->msgr = sw_msgr_of(wh);
    sw_strlcpy(url, json_string_value(json_object_get(wh, "url")) ?: "", sizeof(url));
    if (run->msgr == SW_MSGR_GENERIC) {
        body = generic_body(run, wid, &m, &why);
        secrets = sw_webhook_live_secrets(wh, sw_now_ms());
        if (body != NULL &&
            sw_webhook_sign(secrets, msg_id, ts, body, strlen(body), sig, sizeof(sig)) != SW_OK)
            why = "the webhook has no usable secret";
        json_decref(secrets);
        h = curl_slist_append(h, "Content-Type: application/json");
        snprintf(hdr, sizeof(hdr), "webhook-id: %s", msg_id);
        h = curl_slist_append(h, hdr);
        snprintf(hdr, sizeof(hdr), "webhook-timestamp: %lld", ts);
        h = curl_slist_append(h, hdr);
        snprintf(hdr, sizeof(hdr), "webhook-signature: %s", sig);
        h = curl_slist_append(h, hdr);
    } else {
        long long per_min, per_s;
        int64_t wait_ms = 0;
        json_t *alert = NULL;

        /* The platform's URL form, checked again: the rules may be newer than the URL. */
        if (sw_msgr_url_check(run->msgr, url, &allow, err, sizeof(err)) != SW_OK) {
            json_decref(wh);
            json_decref(settings);
            finish(run, 0, 0, err);
            return SW_OK;
        }
        sw_msgr_limits(run->msgr, sw_config_int(cfg, "notifier.wecom_per_min"),
                       sw_config_int(cfg, "notifier.dingtalk_per_min"),
                       sw_config_int(cfg, "notifier.feishu_per_min"),
                       sw_config_int(cfg, "notifier.feishu_per_s"), &per_min, &per_s);
        if (!is_test(run->job) &&
            (alert = load_alert(sub, json_string_value(json_object_get(run->job,
                                                                        "alert")))) == NULL) {
            why = "the alert no longer exists";
        } else {
            char member[96];

            snprintf(member, sizeof(member), "%s:%lld:%lld", msg_id,
                     (long long)json_integer_value(json_object_get(run->job, "attempts")),
                     (long long)sw_mono_us());
            rc = sw_msgr_rate_take(&store, sub, url, per_min, per_s, sw_now_ms(), member,
                                   &wait_ms);
            if (rc != SW_OK) {
                json_decref(alert);
                json_decref(wh);
                json_decref(settings);
                return rc;
            }
            if (wait_ms > 0) {
                json_decref(alert);
                json_decref(wh);
                json_decref(settings);
                postpone(run, wait_ms);
                return SW_OK;
            }
            body = sw_msgr_request(run->msgr, &m, alert, reminder_days(run->job),
                                   json_string_value(json_object_get(wh, "sign_secret")),
                                   json_string_value(json_object_get(wh, "url")), sw_now_ms(),
                                   url, sizeof(url));
            if (body == NULL)
                why = "the message could not be made (no memory, or the URL is too long)";
        }
        json_decref(alert);
        h = curl_slist_append(h, "Content-Type: application/json; charset=utf-8");
    }
    json_decref(settings);
    json_decref(wh);
    json_object_del(run->job, "waiting_for");
    if (body == NULL || why != NULL) {
        curl_slist_free_all(h);
        free(body);
        finish(run, -1, 0, why ? why : "no memory for the payload");
        return SW_OK;
    }
    h = curl_slist_append(h, "Expect:");
    memset(&o, 0, sizeof(o));
    o.connect_timeout_ms = sw_config_int(cfg, "notifier.connect_timeout_ms");
    o.total_timeout_ms = sw_config_int(cfg, "notifier.timeout_ms");
    o.low_speed_bytes = 1;
    o.low_speed_s = (o.total_timeout_ms + 999) / 1000;
    o.body_max = 65536;
    o.allow = &allow;
    o.user_agent = sw_config_str(cfg, "notifier.user_agent");
    rc = sw_fetch_init(&run->f, url, &o, h);
    if (rc != SW_OK) {
        free(body);
        finish(run, 0, 0,
               rc == SW_INVALID ? run->f.refused : "libcurl refused the request setup");
        return SW_OK;
    }
    curl_easy_setopt(run->f.easy, CURLOPT_ACCEPT_ENCODING, NULL);
    curl_easy_setopt(run->f.easy, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(run->f.easy, CURLOPT_COPYPOSTFIELDS, body);
    curl_easy_setopt(run->f.easy, CURLOPT_PRIVATE, run);
    free(body);
    curl_multi_add_handle(multi, run->f.easy);
    return SW_OK;
}

static int start_mail(struct run *run)
{
    const char *to = json_string_value(json_object_get(run->job, "to"));
    const char *from = sw_config_str(cfg, "notifier.mail_from");
    const char *domain = strchr(from, '@') ? strchr(from, '@') + 1 : "seawall.invalid";
    /* Account mail (verification, reset, invitation, security notices) is written by the API
     * in the person's language and has no unsubscribe link: a person cannot opt out of it. */
    int account = strcmp(json_string_value(json_object_get(run->job, "kind")) ?: "",
                         "account") == 0;
    struct sw_buf text, html, link;
    struct sw_msg_ctx m;
    json_t *settings = NULL;
    char subject[400], hdr[1200], tok[64], date[64];
    curl_mime *alt;
    curl_mimepart *part;
    time_t now = time(NULL);
    struct tm tm;
    CURL *e;
    int rc;

    if (to == NULL) {
        finish(run, -1, 0, "no address");
        return SW_OK;
    }
    if (!account && (rc = sw_unsub_token(&store, run->sub, to, tok, sizeof(tok))) != SW_OK)
        return rc;
    if (!account && (rc = sw_delivery_get(&store, run->sub, &settings)) != SW_OK)
        return rc;
    reader(settings, &m);
    sw_buf_init(&text, 4 * 1024 * 1024);
    sw_buf_init(&html, 8 * 1024 * 1024);
    sw_buf_init(&link, 4096);
    if (account) {
        one_line(subject, sizeof(subject), json_string_value(json_object_get(run->job,
                                                                              "subject")));
        sw_buf_adds(&text, json_string_value(json_object_get(run->job, "text")) ?: "");
        sw_buf_adds(&html, json_string_value(json_object_get(run->job, "html")) ?: "");
        rc = text.len > 0 ? SW_OK : SW_NOTFOUND;
    } else {
        sw_msg_mail_open(&m, &html);
        rc = compose(run->sub, run->job, &m, subject, sizeof(subject), &text, &html);
    }
    if (rc != SW_OK) {
        sw_buf_free(&text);
        sw_buf_free(&html);
        sw_buf_free(&link);
        json_decref(settings);
        finish(run, -1, 0, "the alerts no longer exist");
        return SW_OK;
    }
    if (!account) {
        const char *base = sw_config_str(cfg, "notifier.public_url");
        size_t n = strlen(base);

        while (n > 0 && base[n - 1] == '/')
            n--;
        sw_buf_add(&link, base, n);
        snprintf(hdr, sizeof(hdr), "/api/v1/unsubscribe?s=%lld&e=", run->sub);
        sw_buf_adds(&link, hdr);
        url_encode(&link, to);
        sw_buf_adds(&link, "&t=");
        sw_buf_adds(&link, tok);
        sw_msg_mail_close(&m, link.p, &text, &html);
    }
    json_decref(settings);

    e = curl_easy_init();
    if (e == NULL) {
        sw_buf_free(&text);
        sw_buf_free(&html);
        sw_buf_free(&link);
        return SW_ERR;
    }
    run->is_mail = 1;
    run->f.easy = e;
    run->mime = curl_mime_init(e);
    alt = curl_mime_init(e);
    part = curl_mime_addpart(alt);
    curl_mime_data(part, text.p, text.len);
    curl_mime_type(part, "text/plain; charset=utf-8");
    curl_mime_encoder(part, "quoted-printable");
    part = curl_mime_addpart(alt);
    curl_mime_data(part, html.p, html.len);
    curl_mime_type(part, "text/html; charset=utf-8");
    curl_mime_encoder(part, "quoted-printable");
    part = curl_mime_addpart(run->mime);
    curl_mime_subparts(part, alt);
    curl_mime_type(part, "multipart/alternative");

    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "Date: %a, %d %b %Y %H:%M:%S +0000", &tm);
    run->mail_headers = curl_slist_append(NULL, date);
    snprintf(hdr, sizeof(hdr), "From: Seawall <%s>", from);
    run->mail_headers = curl_slist_append(run->mail_headers, hdr);
    snprintf(hdr, sizeof(hdr), "To: <%s>", to);
    run->mail_headers = curl_slist_append(run->mail_headers, hdr);
    subject_header(hdr, sizeof(hdr), subject);
    run->mail_headers = curl_slist_append(run->mail_headers, hdr);
    snprintf(hdr, sizeof(hdr), "Message-ID: <%s@%s>",
             json_string_value(json_object_get(run->job, "id")), domain);
    run->mail_headers = curl_slist_append(run->mail_headers, hdr);
    if (!account) {
        snprintf(hdr, sizeof(hdr), "List-Unsubscribe: <%s>", link.p);
        run->mail_headers = curl_slist_append(run->mail_headers, hdr);
        run->mail_headers = curl_slist_append(run->mail_headers,
                                              "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    }
    snprintf(hdr, sizeof(hdr), "<%s>", to);
    run->rcpt = curl_slist_append(NULL, hdr);
    snprintf(hdr, sizeof(hdr), "<%s>", from);
    curl_easy_setopt(e, CURLOPT_URL, sw_config_str(cfg, "notifier.smtp_url"));
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_MAIL_FROM, hdr);
    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, run->rcpt);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, run->mail_headers);
    curl_easy_setopt(e, CURLOPT_MIMEPOST, run->mime);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)sw_config_int(cfg, "notifier.connect_timeout_ms"));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)sw_config_int(cfg, "notifier.smtp_timeout_ms"));
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, run->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, run);
    sw_buf_free(&text);
    sw_buf_free(&html);
    sw_buf_free(&link);
    curl_multi_add_handle(multi, e);
    return SW_OK;
}

static void dispatch(void)
{
    long long room = sw_config_int(cfg, "notifier.concurrency") - inflight;
    struct sw_dlv_ref got[256];
    size_t n = 0, i;

    if (room <= 0)
        return;
    if (room > (long long)SW_ARRAY_LEN(got))
        room = SW_ARRAY_LEN(got);
    if (sw_dlv_claim(&store, sw_now_ms(), sw_config_int(cfg, "notifier.lease_ms"), got,
                     (size_t)room, &n) != SW_OK)
        return;
    for (i = 0; i < n; i++) {
        long long sub = got[i].sub;
        struct run *run;
        json_t *job = NULL;
        int rc = sw_dlv_get(&store, sub, got[i].id, &job);

        if (rc == SW_NOTFOUND ||
            (rc == SW_OK &&
             strcmp(json_string_value(json_object_get(job, "status")) ?: "", "pending") != 0)) {
            sw_dlv_unqueue(&store, &got[i]);
            json_decref(job);
            continue;
        }
        if (rc != SW_OK)
            continue;   /* comes back when its lease runs out */
        run = calloc(1, sizeof(*run));
        if (run == NULL) {
            json_decref(job);
            continue;
        }
        run->sub = sub;
        run->job = job;
        run->started_us = sw_mono_us();
        run->next = runs;
        if (runs != NULL)
            runs->prev = run;
        runs = run;
        inflight++;
        if (by_webhook(job))
            rc = start_webhook(run);
        else
            rc = start_mail(run);
        /* Finished without a transfer (nothing left to deliver), or Redis went away mid-way
         * (the lease brings it back). */
        if (rc != SW_OK || run->done)
            release(run);
    }
}

/* --- finishing attempts ------------------------------------------------------------------ */

static void enqueue_disabled_notice(long long sub, long long wid, const char *url,
                                    const char *error)
{
    json_t *settings, *v;
    char id[40], what[64], target[300];
    size_t i;

    if (sw_delivery_get(&store, sub, &settings) != SW_OK)
        return;
    snprintf(what, sizeof(what), "webhook.disabled:%lld:%lld", wid, (long long)sw_now_ms());
    /* Worded when sent, in the subscriber's language then (sw_msg_mail_disabled). */
    json_array_foreach(json_object_get(settings, "emails"), i, v) {
        snprintf(target, sizeof(target), "email:%s", json_string_value(v));
        sw_dlv_id(sub, what, target, id, sizeof(id));
        enqueue(sub, json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:I}", "id", id, "kind",
                               "email", "topic", "webhook.disabled", "to", v, "url", url,
                               "error", error, "webhook", (json_int_t)wid));
    }
    json_decref(settings);
}

/* Keeps the endpoint's record: a success clears its failure streak; a failure starts one or,
 * when it has lasted notifier.disable_after_s, disables the endpoint and tells its owner. */
static void webhook_state(long long sub, const json_t *job, int ok, const char *error)
{
    long long wid = json_integer_value(json_object_get(job, "webhook"));
    long long since = 0;
    int64_t now = sw_now_ms();
    int disabled = 0;

    if (ok) {
        sw_webhook_succeeded(&store, sub, wid, now);
        return;
    }
    if (sw_webhook_failed(&store, sub, wid, error, now, &since) != SW_OK)
        return;
    if (since > 0 && now - since >= sw_config_int(cfg, "notifier.disable_after_s") * 1000 &&
        sw_webhook_disable(&store, sub, wid, now, &disabled) == SW_OK && disabled) {
        sw_warn("subscriber %lld: webhook %lld disabled after failing since %lld", sub, wid,
                since);
        enqueue_disabled_notice(sub, wid, json_string_value(json_object_get(job, "url")) ?: "",
                                error);
    }
}

/* delivered: 1 yes, 0 failed (retry or exhaust), -1 cancelled (nothing left to deliver). */
static void finish(struct run *run, int delivered, long code, const char *error)
{
    json_t *job = run->job, *attempt;
    const char *id = json_string_value(json_object_get(job, "id"));
    const char *kind = json_string_value(json_object_get(job, "kind")) ?: "";
    long long n = json_integer_value(json_object_get(job, "attempts")) + 1;
    long long latency = (sw_mono_us() - run->started_us) / 1000;
    int64_t now = sw_now_ms(), next = 0;
    char when[32];
    const char *outcome;

    run->done = 1;
    if (delivered > 0) {
        outcome = "delivered";
    } else if (delivered < 0) {
        outcome = "cancelled";
    } else if (n > nschedule) {
        outcome = "exhausted";
    } else {
        outcome = "retry";
        next = now + schedule[n - 1];
    }
    json_object_del(job, "waiting_for");
    json_object_set_new(job, "attempts", json_integer(n));
    json_object_set_new(job, "status", json_string(strcmp(outcome, "retry") == 0 ? "pending"
                                                                                : outcome));
    json_object_set_new(job, "last_attempt_at", json_string(sw_iso8601(now, when, sizeof(when))));
    json_object_set_new(job, "last_status_code", json_integer(code));
    json_object_set_new(job, "last_error", error ? json_string(error) : json_null());
    if (next > 0)
        json_object_set_new(job, "next_attempt_at", json_string(sw_iso8601(next, when,
                                                                           sizeof(when))));
    else
        json_object_del(job, "next_attempt_at");
    if (delivered > 0)
        json_object_set_new(job, "delivered_at", json_string(sw_iso8601(now, when,
                                                                        sizeof(when))));
    if (strcmp(kind, "account") == 0 && next == 0) {
        /* Account mail may carry a sign-in link: the record keeps no body once it is done. */
        json_object_del(job, "text");
        json_object_del(job, "html");
    }
    attempt = json_pack("{s:I, s:s, s:s?, s:s, s:I, s:I, s:s?}", "attempt", (json_int_t)n, "at",
                        sw_iso8601(now, when, sizeof(when)), "url",
                        json_string_value(json_object_get(job, "url")), "outcome", outcome,
                        "status_code", (json_int_t)code, "latency_ms", (json_int_t)latency,
                        "error", error);
    if (attempt == NULL || sw_dlv_record_attempt(&store, run->sub, job, attempt, next) != SW_OK)
        sw_warn("delivery %s: the outcome (%s) was not stored (%s); it will be attempted again",
                id, outcome, store.errstr);
    json_decref(attempt);
    if (by_webhook(job) && delivered >= 0 && !is_test(job))
        webhook_state(run->sub, job, delivered > 0, error ? error : "");
    sw_debug("delivery %s attempt %lld: %s (%ld, %lld ms%s%s)", id, n, outcome, code, latency,
             error ? ", " : "", error ? error : "");
}

static void release(struct run *run)
{
    if (run->prev != NULL)
        run->prev->next = run->next;
    else
        runs = run->next;
    if (run->next != NULL)
        run->next->prev = run->prev;
    if (run->f.easy != NULL)
        curl_multi_remove_handle(multi, run->f.easy);
    if (run->is_mail) {
        curl_easy_cleanup(run->f.easy);
        curl_mime_free(run->mime);
        curl_slist_free_all(run->rcpt);
        curl_slist_free_all(run->mail_headers);
    } else {
        sw_fetch_cleanup(&run->f);
    }
    json_decref(run->job);
    free(run);
    inflight--;
}

static void completed(CURL *easy, CURLcode res)
{
    struct run *run = NULL;
    long code = 0;
    char why[512];

    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&run);
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    if (run->is_mail) {
        if (res == CURLE_OK) {
            finish(run, 1, code, NULL);
        } else {
            snprintf(why, sizeof(why), "SMTP: %s", run->errbuf[0] ? run->errbuf
                                                                  : curl_easy_strerror(res));
            finish(run, 0, code, why);
        }
    } else if (code >= 200 && code < 300 && (res == CURLE_OK || run->f.over_cap)) {
        int limited;

        /* A messenger platform says in its body whether it took the message. */
        if (run->msgr != SW_MSGR_GENERIC &&
            sw_msgr_answer(run->msgr, run->f.body.p, run->f.body.len, why, sizeof(why),
                           &limited) != SW_OK)
            finish(run, 0, code, why);
        else
            finish(run, 1, code, NULL);
    } else if (res == CURLE_OK && code >= 300 && code < 400) {
        char *loc = NULL;

        curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &loc);
        snprintf(why, sizeof(why), "HTTP %ld: redirect to %.300s not followed (a webhook must "
                 "answer 2xx at its own URL)", code, loc ? loc : "(no Location)");
        finish(run, 0, code, why);
    } else if (res == CURLE_OK) {
        char said[400];
        int limited;

        /* A platform's refusal says why in its body (Feishu's rate limit comes as 429). */
        if (run->msgr != SW_MSGR_GENERIC &&
            sw_msgr_answer(run->msgr, run->f.body.p, run->f.body.len, said, sizeof(said),
                           &limited) != SW_OK && strstr(said, " error ") != NULL)
            snprintf(why, sizeof(why), "HTTP %ld: %s", code, said);
        else
            snprintf(why, sizeof(why), "HTTP %ld", code);
        finish(run, 0, code, why);
    } else {
        sw_fetch_describe(&run->f, res, why, sizeof(why));
        finish(run, 0, code, why);
    }
    release(run);
}

static void pump(int wait_ms)
{
    CURLMsg *msg;
    int running, left;

    curl_multi_perform(multi, &running);
    while ((msg = curl_multi_info_read(multi, &left)) != NULL)
        if (msg->msg == CURLMSG_DONE)
            completed(msg->easy_handle, msg->data.result);
    if (wait_ms > 0)
        curl_multi_poll(multi, NULL, 0, wait_ms, NULL);
}

int main(int argc, char **argv)
{
    struct sw_config *loaded;
    char err[256];
    int64_t last_claim = 0, last_digest = 0;
    struct sw_stream_batch batch;
    int i;
    int rc = sw_worker_start("seawall-notifier", argc, argv, "notifier.id", &loaded, me,
                             sizeof(me), &stopping);

    if (rc != 0)
        return rc;
    cfg = loaded;
    if (parse_schedule(sw_config_str(cfg, "notifier.retry_schedule")) != SW_OK) {
        fprintf(stderr, "seawall-notifier: notifier.retry_schedule must be waits such as "
                        "\"5s,5m,30m,2h\" (at most %d)\n", MAX_SCHEDULE);
        return 2;
    }
    if (sw_allowlist_parse(sw_config_str(cfg, "net.allow_private"), &allow, err,
                           sizeof(err)) != SW_OK) {
        fprintf(stderr, "seawall-notifier: net.allow_private: %s\n", err);
        return 2;
    }
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        (multi = curl_multi_init()) == NULL)
        return 1;
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 16L);
    sw_store_init(&store, cfg);
    if (sw_stream_group(&store, SW_DELIVERIES, GROUP, "0") != SW_OK)
        sw_warn("the group %s of the deliveries stream not made yet (%s)", GROUP, store.errstr);
    sw_info("delivering as %s, up to %lld at once, %d retries", me,
            sw_config_int(cfg, "notifier.concurrency"), nschedule);
    while (!stopping) {
        int64_t now = sw_mono_us() / 1000;

        if (now - last_claim >= sw_config_int(cfg, "notifier.claim_idle_ms") / 4 + 1) {
            claim_stale();
            last_claim = now;
        }
        if (now - last_digest >= 1000) {
            digests();
            reminders();
            last_digest = now;
        }
        /* Idle: wait on the stream itself, so a new alert wakes us at once. */
        if (sw_stream_read(&store, SW_DELIVERIES, GROUP, me, sw_config_int(cfg, "notifier.batch"),
                           inflight > 0 ? 0 : sw_config_int(cfg, "notifier.idle_ms"),
                           &batch) != SW_OK) {
            sw_warn("reading new alerts failed (%s)", store.errstr);
            pump(1000);
            continue;
        }
        for (i = 0; i < batch.n; i++)
            intake(batch.shard[i], batch.entries[i]);
        sw_stream_batch_free(&batch);
        dispatch();
        pump(inflight > 0 ? 20 : 0);
    }
    sw_info("stopping with %d deliveries in flight (they are attempted again after their "
            "lease)", inflight);
    while (runs != NULL)
        release(runs);
    curl_multi_cleanup(multi);
    sw_store_close(&store);
    sw_i18n_free();
    sw_config_free(loaded);
    curl_global_cleanup();
    return 0;
}
