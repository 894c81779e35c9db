/* alerts.h — a subscriber's alert inbox in Redis, shared by the matcher (which stores alerts),
 * the API (which lists, filters, searches, counts and changes them) and later writers such as
 * case notices.
 *
 * One alert per (subscriber, event): it names every portfolio item the event touched
 * ("items", "item_ids"), its severity is the highest of theirs, and its id is derived from
 * subscriber and event alone, so a redelivered event never makes a second one.
 *
 * Keys (keys.h), all under the subscriber's hash tag:
 *   sw:{sub:N}:alert:<id>   the alert as JSON, written once
 *   sw:{sub:N}:alerts       sorted set of ids; score = created ms * 1000 + a 3-digit sequence,
 *                           so scores are unique and double as the list cursor
 *   sw:{sub:N}:almeta       hash id -> "severity|rule|type|country|items|action" for
 *                           filtering: items the item ids separated by commas; action "" (none),
 *                           "u" (its window unknown) or when it closes (ms); metas written
 *                           before actions existed end at items
 *   sw:{sub:N}:alactions    sorted set id -> when its action closes (ms), for what is coming
 *   sw:{sub:N}:alsearch     hash id -> the alert's text as ?q= searches it (sw_fold_search)
 *   sw:{sub:N}:alstatus     hash id -> "read" | "dismissed" (absent: "new")
 *   sw:{sub:N}:alcounts     hash "<status>:<severity>" -> count, kept in step by the scripts
 *   sw:{sub:N}:alnew        hash id -> "1": stored, not yet announced (see sw_alert_store)
 * Once stored, an alert is announced on the sharded stream "deliveries" (seawall/stream.h;
 * route: the subscriber id, so sw:{deliveries:K} with K = sw_dlv_shard(N)), where the
 * notifier (group "notifiers") and the live publisher (group "live", seawall/live.h) learn of
 * it: one entry per alert, two after a retry of an announcement cut short (both consumers are
 * idempotent); its reminders go into the shard's schedule (seawall/reminders.h). */
#ifndef SEAWALL_ALERTS_H
#define SEAWALL_ALERTS_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;
struct sw_config;

#define SW_DELIVERIES "deliveries"   /* the stream's base name (seawall/stream.h) */

#define SW_ALERT_SEARCH_MAX 8192   /* bytes of folded text ?q= searches in one alert */
#define SW_ALERT_Q_MAX 200         /* bytes of a ?q= */

struct sw_buf;

/* Stores alert (which must carry "id" and "severity") for subscriber sub, with its inbox
 * entry, search text and counters, all or nothing, once (one script in the subscriber's
 * slot; sw_store_durable on it), then announces it: its reminders scheduled and its entry
 * appended to the deliveries stream. A second call with the same id changes nothing in the
 * inbox, but announces the alert again when the first was cut short before its announcement
 * was done (a crash, a failure: the call returned SW_EAGAIN), so a writer that retries until
 * SW_OK loses no delivery. An "action" member (seawall/actions.h) is filed for the filters
 * and, when it has a window, its reminders are scheduled. Returns SW_OK with *stored 1 (new)
 * or 0 (already there), or SW_EAGAIN / SW_ERR with the reason in s->errstr. */
int sw_alert_store(struct sw_store *s, const struct sw_config *cfg, long long sub,
                   const json_t *alert, int *stored);

/* What the inbox files an alert under, beside its text. */
struct sw_alert_meta {
    const char *id, *severity, *rule;
    const char *type, *country;   /* the event's type and jurisdiction (NULL: none) */
    const char *items;            /* the portfolio item ids, "12,40" ("" or NULL: none) */
    const char *search;           /* its folded search text (sw_alert_search_text), or NULL */
    int action;                   /* SW_ALERT_ACTION_NONE, _UNKNOWN or _DATED */
    int64_t closes_ms;            /* a dated action: when its window closes */
    int64_t clock_ms;             /* the time its reminders are planned from (0: now) */
};

#define SW_ALERT_ACTION_NONE 0      /* no action rule applies */
#define SW_ALERT_ACTION_UNKNOWN 1   /* one applies, but the date it counts from is not known */
#define SW_ALERT_ACTION_DATED 2     /* one applies, with its window */

/* sw_alert_store for an alert already written as JSON text (the matcher writes it without
 * building a tree); m says what the text holds. */
int sw_alert_store_text(struct sw_store *s, const struct sw_config *cfg, long long sub,
                        const struct sw_alert_meta *m, const char *text, int *stored);

/* The text ?q= searches in an alert, folded (sw_fold_search) into out (reset first; give it a
 * ceiling of SW_ALERT_SEARCH_MAX): the event's title, marks, party names, goods, text and
 * numbers, then the texts of the items it touched (texts, ntexts). Past the ceiling the rest
 * is left out. SW_OK or SW_ERR (no memory). */
int sw_alert_search_text(const json_t *event, const char *const *texts, size_t ntexts,
                         struct sw_buf *out);

/* The event's source link as an alert shows it ("source_url"): its "url" when that is an
 * http or https URL without spaces or controls, else NULL (a feed may carry javascript: or
 * data: links; a portal must never be handed one as a link). Points into event. */
const char *sw_alert_source_url(const json_t *event);

/* 1 when q is a search an inbox can run: at most SW_ALERT_Q_MAX bytes of UTF-8 with at least
 * one letter or digit. */
int sw_alert_q_valid(const char *q);

/* 1 when text is an alert id as sw_alert_id makes them ("al_" + 32 hex digits). */
int sw_alert_id_valid(const char *text);

/* The alert id for (subscriber, event): "al_" + 32 hex digits of a SHA-256. out >= 36. */
void sw_alert_id(long long sub, const char *event_id, char *out, size_t outlen);

/* Gives alert what every stored alert carries: its id for (sub, event_id), "subscriber",
 * "event_id", "item_ids" and "items" (empty unless set), status "new" and "created_at"
 * (now). */
void sw_alert_stamp(json_t *alert, long long sub, const char *event_id);

/* A filter for sw_alert_page and sw_alert_set_status_where; empty strings match everything.
 * Lists are comma-separated. */
struct sw_alert_filter {
    const char *severity;   /* "high,critical" */
    const char *status;     /* "new,read" */
    const char *type;       /* event type */
    const char *rule;
    const char *country;    /* event jurisdiction */
    long long item;         /* portfolio item id among the alert's items, 0 for any */
    long long since_ms;     /* created at or after, 0 for any */
    long long until_ms;     /* created before, 0 for any */
    const char *q;          /* words that must all be in the search text (sw_alert_q_valid) */
    const char *action;     /* "any": with an action; "none": without; NULL or "": either */
    long long due_until_ms; /* >0: an action whose window closes in [now_ms, due_until_ms] */
    long long now_ms;       /* "now" for due_until_ms */
};

/* One page of ids, newest first, starting below cursor (0: from the newest). Examines at most
 * scan_max entries, so a narrow filter over a long inbox answers in bounded time with a
 * cursor to go on from. *ids gets a JSON array of id strings; *next the cursor or 0 at the
 * end. Returns SW_OK or SW_EAGAIN. */
int sw_alert_page(struct sw_store *s, long long sub, const struct sw_alert_filter *f,
                  long long cursor, int limit, int scan_max, json_t **ids, long long *next);

/* Sets status on every alert f matches, newest first from below cursor (0: the newest),
 * examining at most scan_max alerts in one script: *changed gets how many changed, *matched
 * how many matched (changed or already so), *next the cursor to go on from or 0 when every
 * alert was examined. SW_OK or SW_EAGAIN. */
int sw_alert_set_status_where(struct sw_store *s, long long sub, const struct sw_alert_filter *f,
                              const char *status, long long cursor, int scan_max,
                              long long *changed, long long *matched, long long *next);

/* Loads the alerts named in ids (a JSON array of strings) with their current status.
 * Missing ones are left out. Returns SW_OK with *out, an array, or SW_EAGAIN. */
int sw_alert_load(struct sw_store *s, long long sub, const json_t *ids, json_t **out);

/* Sets the status ("new", "read", "dismissed") of each id in ids. *changed gets, per id, 1
 * (changed), 0 (already so) or -1 (no such alert), as a JSON array. SW_OK or SW_EAGAIN. */
int sw_alert_set_status(struct sw_store *s, long long sub, const char *status,
                        const json_t *ids, json_t **changed);

/* Counts by status and severity: {"total": n, "status": {...}, "severity": {...},
 * "new": {"<severity>": n, ...}}. SW_OK with *out or SW_EAGAIN. */
int sw_alert_counts(struct sw_store *s, long long sub, json_t **out);

/* The alerts whose action window is still open at now_ms, soonest to close first: at most
 * limit ids into *ids (an array), dismissed ones left out. SW_OK or SW_EAGAIN. */
int sw_alert_actions_open(struct sw_store *s, long long sub, int64_t now_ms, int limit,
                          json_t **ids);

/* What a list of alerts at a glance needs of one (the dashboard's latest): id, severity,
 * status, rule, created_at, event {id, type, title, jurisdiction, date}, source_url, action
 * (when it has one), and its items as {id, kind, text}. New reference, or NULL on no
 * memory. */
json_t *sw_alert_summary(const json_t *alert);

#endif
