/* reminders.c — reminders before an alert's action window closes: which are due when, claiming
 * them like deliveries (a lease in the due set), and the mail a reminder makes
 * (seawall/reminders.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/buf.h"
#include "seawall/keys.h"
#include "seawall/date.h"
#include "seawall/delivery.h"
#include "seawall/i18n.h"
#include "seawall/reminders.h"
#include "seawall/store.h"
#include "seawall/stream.h"
#include "seawall/zone.h"

#define DAY_MS 86400000LL

const int sw_reminder_days[] = { 7, 1, 0 };

size_t sw_reminder_plan(long long sub, const char *alert, int64_t closes_ms, int64_t now_ms,
                        char (*members)[80], int64_t *due, size_t max)
{
    size_t n = 0, i;

    for (i = 0; sw_reminder_days[i] > 0 && n < max; i++) {
        int64_t at = closes_ms - sw_reminder_days[i] * DAY_MS;

        if (at <= now_ms)
            continue;
        snprintf(members[n], sizeof(members[n]), "%lld|%s|%d", sub, alert, sw_reminder_days[i]);
        due[n++] = at;
    }
    return n;
}

/* KEYS: one shard's due set. ARGV: now, lease until, count. Takes the due reminders, pushing
 * each to the end of its lease so that no other notifier takes it meanwhile. */
static const char claim_lua[] =
    "local m = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3]) "
    "for i = 1, #m do redis.call('ZADD', KEYS[1], ARGV[2], m[i]) end "
    "return m";

/* Reads "N|<alert id>|<days>" into r. SW_OK or SW_INVALID. */
static int parse_member(const char *m, struct sw_reminder *r)
{
    const char *a = strchr(m, '|'), *b = a != NULL ? strchr(a + 1, '|') : NULL;
    char sub[24], days[8];

    if (a == NULL || b == NULL || (size_t)(a - m) >= sizeof(sub) ||
        (size_t)(b - a - 1) >= sizeof(r->alert) || strlen(b + 1) >= sizeof(days) ||
        strlen(m) >= sizeof(r->member))
        return SW_INVALID;
    memcpy(sub, m, (size_t)(a - m));
    sub[a - m] = '\0';
    memcpy(r->alert, a + 1, (size_t)(b - a - 1));
    r->alert[b - a - 1] = '\0';
    snprintf(days, sizeof(days), "%s", b + 1);
    if (sw_parse_ll(sub, 1, INT64_MAX, &r->sub) != SW_OK || atoi(days) < 1)
        return SW_INVALID;
    r->days = atoi(days);
    snprintf(r->member, sizeof(r->member), "%s", m);
    return SW_OK;
}

int sw_reminder_schedule(struct sw_store *s, long long sub, char (*members)[80],
                         const int64_t *due, size_t n)
{
    sw_key_t key = swk_rem_due(sw_dlv_shard(s, sub));
    const char *argv[3 + 2 * 4];
    char dues[4][24];
    redisReply *r;
    int argc = 0;
    size_t i;

    if (n == 0)
        return SW_OK;
    argv[argc++] = "ZADD";
    argv[argc++] = key.s;
    argv[argc++] = "NX";
    for (i = 0; i < n && i < 4; i++) {
        snprintf(dues[i], sizeof(dues[i]), "%lld", (long long)due[i]);
        argv[argc++] = dues[i];
        argv[argc++] = members[i];
    }
    if ((r = sw_store_cmdv(s, argc, argv, NULL)) == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ERROR) {
        snprintf(s->errstr, sizeof(s->errstr), "ZADD %.64s: %.160s", key.s, r->str);
        freeReplyObject(r);
        return SW_EAGAIN;
    }
    freeReplyObject(r);
    return SW_OK;
}

int sw_reminder_claim(struct sw_store *s, int64_t now_ms, int64_t lease_ms,
                      struct sw_reminder *out, size_t max, size_t *n)
{
    char now[24], until[24], count[24];
    const char *args[3] = { now, until, count };
    int shards = sw_stream_shards(s), k;
    size_t i;

    *n = 0;
    snprintf(now, sizeof(now), "%lld", (long long)now_ms);
    snprintf(until, sizeof(until), "%lld", (long long)(now_ms + lease_ms));
    for (k = 0; k < shards && *n < max; k++) {
        sw_key_t key = swk_rem_due(k);
        const char *keys[1] = { key.s };
        redisReply *r;

        snprintf(count, sizeof(count), "%zu", max - *n);
        r = sw_store_eval(s, claim_lua, 1, keys, 3, args);
        if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
            if (r != NULL)
                freeReplyObject(r);
            return *n > 0 ? SW_OK : SW_EAGAIN;
        }
        for (i = 0; i < r->elements && *n < max; i++) {
            if (r->element[i]->type != REDIS_REPLY_STRING)
                continue;
            if (parse_member(r->element[i]->str, &out[*n]) == SW_OK) {
                (*n)++;
            } else {   /* not ours to read: dropped, so it is not claimed for ever */
                redisReply *z = sw_store_cmd(s, "ZREM", key.s, r->element[i]->str, NULL);

                if (z != NULL)
                    freeReplyObject(z);
            }
        }
        freeReplyObject(r);
    }
    return SW_OK;
}

int sw_reminder_done(struct sw_store *s, const struct sw_reminder *rem)
{
    sw_key_t key = swk_rem_due(sw_dlv_shard(s, rem->sub));
    redisReply *r = sw_store_cmd(s, "ZREM", key.s, rem->member, NULL);

    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

/* --- the mail ---------------------------------------------------------------------------- */

/* Makes s one line: controls (CR and LF above all) become spaces. */
static void flatten(char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
}

/* in as one line into out, cut at outlen. */
static void one_line(char *out, size_t outlen, const char *in)
{
    snprintf(out, outlen, "%s", in != NULL ? in : "");
    flatten(out);
}

/* One "label: value" line in both bodies (value already one line). */
static void line(struct sw_buf *text, struct sw_buf *html, const char *label, const char *value)
{
    sw_buf_printf(text, "%s: %s\n", label, value);
    sw_buf_adds(html, "<p><b>");
    sw_buf_add_html(html, label);
    sw_buf_adds(html, ":</b> ");
    sw_buf_add_html(html, value);
    sw_buf_adds(html, "</p>");
}

void sw_reminder_mail(const char *lang, const char *tz, const json_t *alert, int days,
                      const char *link, char *subject, size_t sublen, struct sw_buf *text,
                      struct sw_buf *html)
{
    const json_t *act = json_object_get(alert, "action"), *rule = json_object_get(act, "rule");
    const char *rtext = json_string_value(json_object_get(rule, "text"));
    const char *ext = json_string_value(json_object_get(act, "extension"));
    char title[300], buf[1200], when[64];
    struct sw_local l;
    int64_t closes = 0;

    one_line(title, sizeof(title),
             json_string_value(json_object_get(json_object_get(alert, "event"), "title")));
    snprintf(subject, sublen, sw_trn(lang, "[Seawall] %d day left to act: %s",
                                     "[Seawall] %d days left to act: %s", (unsigned long)days),
             days, title);
    flatten(subject);
    snprintf(buf, sizeof(buf), sw_trn(lang, "The window to act on this alert closes in %d day.",
                                      "The window to act on this alert closes in %d days.",
                                      (unsigned long)days), days);
    sw_buf_printf(text, "%s\n\n", buf);
    sw_buf_adds(html, "<p>");
    sw_buf_add_html(html, buf);
    sw_buf_adds(html, "</p>");
    line(text, html, sw_tr(lang, "Alert"), title);
    /* The rule's text is a catalogue message of its own (etc/deadlines.json is extracted). */
    one_line(buf, sizeof(buf), rtext != NULL ? sw_tr(lang, rtext) : "");
    line(text, html, sw_tr(lang, "What you can do"), buf);
    if (sw_date_ms(json_string_value(json_object_get(act, "closes")) ?: "", &closes) == SW_OK &&
        sw_zone_local(tz != NULL && sw_zone_valid(tz) ? tz : "UTC", closes, &l) == SW_OK) {
        snprintf(when, sizeof(when), "%04d-%02d-%02d %02d:%02d", l.year, l.month, l.day, l.hour,
                 l.minute);
        snprintf(buf, sizeof(buf), sw_tr(lang, "%s (%s); that is until %s in %s"),
                 json_string_value(json_object_get(act, "last_day")) ?: "?",
                 json_string_value(json_object_get(act, "zone")) ?: "UTC", when,
                 tz != NULL && sw_zone_valid(tz) ? tz : "UTC");
        flatten(buf);
        line(text, html, sw_tr(lang, "Last day"), buf);
    }
    one_line(buf, sizeof(buf), json_string_value(json_object_get(rule, "source")));
    line(text, html, sw_tr(lang, "Legal basis"), buf);
    if (ext != NULL) {
        one_line(buf, sizeof(buf), sw_tr(lang, ext));
        line(text, html, sw_tr(lang, "Extension"), buf);
    }
    if (link != NULL && link[0] != '\0') {
        one_line(buf, sizeof(buf), link);
        sw_buf_printf(text, "\n%s\n", buf);
        sw_buf_adds(html, "<p><a href=\"");
        sw_buf_add_html(html, buf);
        sw_buf_adds(html, "\">");
        sw_buf_add_html(html, sw_tr(lang, "Open the alert"));
        sw_buf_adds(html, "</a></p>");
    }
}
