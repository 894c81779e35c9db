/* reminders.h — reminders before an alert's action window closes (seawall/actions.h): 7 days
 * and 1 day before, each going out once through the subscriber's channels as an ordinary
 * delivery of kind "reminder" (seawall/delivery.h), however many notifiers run and however
 * often they restart.
 *
 * They are scheduled as the alert is announced (sw_alert_store_text, seawall/alerts.h), after
 * the alert is stored and before its deliveries entry; the notifier's loop claims those that
 * are due, makes their deliveries (ids derived from the alert, the reminder and the target,
 * so a second try makes none) and then marks them done.
 *
 * Keys, one per deliveries shard K (the subscriber's, sw_dlv_shard), beside the delivery
 * queue of that shard (keys.h swk_rem_due):
 *   sw:{deliveries:K}:rem:due   sorted set "N|<alert id>|<days before>" -> when it is due
 *                (ms); claiming pushes a member to the end of its lease, so one whose notifier
 *                died comes back then and no other notifier takes it meanwhile.
 * Times are the caller's: the notifier passes the cases' clock (sw_case_now), which tests
 * move with sw:testclock:offset_ms. */
#ifndef SEAWALL_REMINDERS_H
#define SEAWALL_REMINDERS_H

#include <stdint.h>

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;
struct sw_buf;

/* Days before an action closes that a reminder goes out: 7 and 1, ended by 0. */
extern const int sw_reminder_days[];

/* One reminder: whose, which alert, how many days before the window closes. */
struct sw_reminder {
    long long sub;
    char alert[40];
    int days;
    char member[80];   /* its member of the due set */
};

/* The reminders of alert (an alert id) of subscriber sub whose action closes at closes_ms:
 * each sw_reminder_days before that which is still after now_ms (an alert made three days
 * before the end gets the 1-day reminder only: it is its own 7-day notice), as members of
 * the due set (members[i], at most max) and when each is due (due[i]). Returns how many.
 * sw_alert_store_text schedules them when the alert is new (or stored but not yet announced):
 * a redelivered event schedules nothing again, not even a reminder already sent. */
size_t sw_reminder_plan(long long sub, const char *alert, int64_t closes_ms, int64_t now_ms,
                        char (*members)[80], int64_t *due, size_t max);

/* Adds n planned reminders of subscriber sub to the schedule (ZADD NX: one already there keeps
 * its time, and its lease). SW_OK or SW_EAGAIN. */
int sw_reminder_schedule(struct sw_store *s, long long sub, char (*members)[80],
                         const int64_t *due, size_t n);

/* Claims up to max reminders due at now_ms, each held until now_ms + lease_ms, into out; *n
 * gets how many. SW_OK or SW_EAGAIN. */
int sw_reminder_claim(struct sw_store *s, int64_t now_ms, int64_t lease_ms,
                      struct sw_reminder *out, size_t max, size_t *n);

/* Marks a claimed reminder done (its deliveries are stored): it never comes back. SW_OK or
 * SW_EAGAIN. */
int sw_reminder_done(struct sw_store *s, const struct sw_reminder *r);

/* The mail for a reminder of alert (as stored, with its "action"), days before it closes: a
 * one-line subject and both bodies (appended), in lang ("en", "zh-CN"), the closing time
 * also shown in zone tz; link is the alert's page in the portal (may be NULL). */
void sw_reminder_mail(const char *lang, const char *tz, const json_t *alert, int days,
                      const char *link, char *subject, size_t sublen, struct sw_buf *text,
                      struct sw_buf *html);

#endif
