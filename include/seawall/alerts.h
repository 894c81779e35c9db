/* alerts.h — a subscriber's alert inbox in Redis, shared by the matcher (which stores alerts),
 * the API (which lists, filters, counts and changes them) and later writers such as case
 * notices.
 *
 * Keys, all under the subscriber's hash tag:
 *   sw:{sub:N}:alert:<id>   the alert as JSON, written once
 *   sw:{sub:N}:alerts       sorted set of ids; score = created ms * 1000 + a 3-digit sequence,
 *                           so scores are unique and double as the list cursor
 *   sw:{sub:N}:almeta       hash id -> "severity|rule|type|country|item" for filtering
 *   sw:{sub:N}:alstatus     hash id -> "read" | "dismissed" (absent: "new")
 *   sw:{sub:N}:alcounts     hash "<status>:<severity>" -> count, kept in step by the scripts
 * and the shared stream "deliveries", where the notifier (group "notifiers") and the live
 * publisher (group "live", seawall/live.h) learn of each new alert. */
#ifndef SEAWALL_ALERTS_H
#define SEAWALL_ALERTS_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;
struct sw_config;

#define SW_DELIVERIES "deliveries"

/* Stores alert (which must carry "id" and "severity") for subscriber sub, with its inbox
 * entry, counters and delivery, all or nothing, once: a second call with
 * the same id changes nothing. Returns SW_OK with *stored 1 (new) or 0 (already there), or
 * SW_EAGAIN / SW_ERR with the reason in s->errstr. */
int sw_alert_store(struct sw_store *s, const struct sw_config *cfg, long long sub,
                   const json_t *alert, int *stored);

/* What the inbox files an alert under, beside its text. */
struct sw_alert_meta {
    const char *id, *severity, *rule;
    const char *type, *country;   /* the event's type and jurisdiction (NULL: none) */
    long long item;               /* portfolio item id, 0 for none */
};

/* sw_alert_store for an alert already written as JSON text (the matcher writes it without
 * building a tree); m says what the text holds. */
int sw_alert_store_text(struct sw_store *s, const struct sw_config *cfg, long long sub,
                        const struct sw_alert_meta *m, const char *text, int *stored);

/* 1 when text is an alert id as sw_alert_id makes them ("al_" + 32 hex digits). */
int sw_alert_id_valid(const char *text);

/* The alert id for (subscriber, event, item): "al_" + 32 hex digits of a SHA-256. out >= 36. */
void sw_alert_id(long long sub, const char *event_id, long long item, char *out, size_t outlen);

/* Gives alert what every stored alert carries: its id for (sub, event_id, item), "subscriber",
 * "item_id", "event_id", status "new" and "created_at" (now). */
void sw_alert_stamp(json_t *alert, long long sub, const char *event_id, long long item);

/* A filter for sw_alert_page; empty strings match everything. Lists are comma-separated. */
struct sw_alert_filter {
    const char *severity;   /* "high,critical" */
    const char *status;     /* "new,read" */
    const char *type;       /* event type */
    const char *rule;
    const char *country;    /* event jurisdiction */
    long long item;         /* portfolio item id, 0 for any */
    long long since_ms;     /* created at or after, 0 for any */
    long long until_ms;     /* created before, 0 for any */
};

/* One page of ids, newest first, starting below cursor (0: from the newest). Examines at most
 * scan_max entries, so a narrow filter over a long inbox answers in bounded time with a
 * cursor to go on from. *ids gets a JSON array of id strings; *next the cursor or 0 at the
 * end. Returns SW_OK or SW_EAGAIN. */
int sw_alert_page(struct sw_store *s, long long sub, const struct sw_alert_filter *f,
                  long long cursor, int limit, int scan_max, json_t **ids, long long *next);

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

#endif
