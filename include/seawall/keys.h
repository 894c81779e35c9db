/* keys.h — every Redis key Seawall uses, built in one place.
 *
 * This header is the table of key kinds. Each line names one kind, its format and, through
 * the part in braces, its hash tag: keys with the same tag live in the same Redis Cluster slot,
 * so one script or MULTI may join them; keys with different tags may not (see docs/keys.md).
 * Only lib/ includes this header; fcgi/ and workers/ call lib's data operations instead
 * (tests/source/test_ownership.py fails the build otherwise).
 *
 * A kind is a function returning the key by value:
 *     sw_store_cmd(s, "HGET", swk_sub_profile(42).s, "name", NULL);
 * the temporary lives until the end of the full expression, which is long enough for a call;
 * keep a copy (sw_key_t k = swk_...(...)) when the key is needed past it. The format is a
 * literal in the function, so -Wformat checks every argument's type. */
#ifndef SEAWALL_KEYS_H
#define SEAWALL_KEYS_H

#include <stdio.h>

#define SW_REDIS_KEY_MAX 192

typedef struct {
    char s[SW_REDIS_KEY_MAX];
} sw_key_t;

/* SWK0(name, fmt) .. SWK3(name, fmt, T1, T2, T3): the key kind name with arguments of those
 * types, in the order fmt takes them. */
#define SWK0(name, fmt)                                                                       \
    static inline sw_key_t name(void)                                                         \
    {                                                                                         \
        sw_key_t k;                                                                           \
        snprintf(k.s, sizeof(k.s), "%s", fmt);                                                \
        return k;                                                                             \
    }
#define SWK1(name, fmt, T1)                                                                   \
    static inline sw_key_t name(T1 a1)                                                        \
    {                                                                                         \
        sw_key_t k;                                                                           \
        snprintf(k.s, sizeof(k.s), fmt, a1);                                                  \
        return k;                                                                             \
    }
#define SWK2(name, fmt, T1, T2)                                                               \
    static inline sw_key_t name(T1 a1, T2 a2)                                                 \
    {                                                                                         \
        sw_key_t k;                                                                           \
        snprintf(k.s, sizeof(k.s), fmt, a1, a2);                                              \
        return k;                                                                             \
    }
#define SWK3(name, fmt, T1, T2, T3)                                                           \
    static inline sw_key_t name(T1 a1, T2 a2, T3 a3)                                          \
    {                                                                                         \
        sw_key_t k;                                                                           \
        snprintf(k.s, sizeof(k.s), fmt, a1, a2, a3);                                          \
        return k;                                                                             \
    }

/* ---- Sharded streams (lib/stream.c): one stream per shard, tag {<kind>:<shard>} ---------- */
/* The shard's stream; base is the stream's name ("events", "deliveries", ...). */
SWK2(swk_stream, "sw:{%s:%d}", const char *, int)
/* An event's "seen" mark lives in the slot of the events shard it is appended to, so marking
 * and appending are one single-slot script. */
SWK2(swk_event_seen, "sw:{events:%d}:seen:%s", int, const char *)

/* ---- Events, feeds, bulletins, sources (lib/feedreg.c, lib/bulletins.c) ------------------ */

/* ---- Alerts and deliveries of a subscriber, tag {sub:N} (lib/alerts.c, lib/delivery.c) -- */
/* The inbox (seawall/alerts.h). */
SWK2(swk_alert, "sw:{sub:%lld}:alert:%s", long long, const char *)
SWK1(swk_alerts, "sw:{sub:%lld}:alerts", long long)
SWK1(swk_alert_meta, "sw:{sub:%lld}:almeta", long long)
SWK1(swk_alert_actions, "sw:{sub:%lld}:alactions", long long)
SWK1(swk_alert_search, "sw:{sub:%lld}:alsearch", long long)
SWK1(swk_alert_status, "sw:{sub:%lld}:alstatus", long long)
SWK1(swk_alert_counts, "sw:{sub:%lld}:alcounts", long long)
SWK1(swk_alert_seq, "sw:{sub:%lld}:alseq", long long)
/* Alerts stored whose deliveries entry and reminders are not written yet (id -> "1"). */
SWK1(swk_alert_unannounced, "sw:{sub:%lld}:alnew", long long)
/* Where alerts go and the deliveries made (seawall/delivery.h, messenger.h). */
SWK1(swk_delivery_settings, "sw:{sub:%lld}:delivery", long long)
SWK1(swk_webhooks, "sw:{sub:%lld}:webhooks", long long)
SWK1(swk_webhook_seq, "sw:{sub:%lld}:seq:webhook", long long)
SWK2(swk_webhook_state, "sw:{sub:%lld}:whstate:%lld", long long, long long)
SWK2(swk_msgr_rate, "sw:{sub:%lld}:mrate:%s", long long, const char *)
SWK2(swk_dlv, "sw:{sub:%lld}:dlv:%s", long long, const char *)
SWK2(swk_dlv_attempts, "sw:{sub:%lld}:dlv:%s:attempts", long long, const char *)
SWK1(swk_dlvs, "sw:{sub:%lld}:dlvs", long long)
SWK1(swk_dlv_seq, "sw:{sub:%lld}:dlvseq", long long)
SWK1(swk_dlog, "sw:{sub:%lld}:dlog", long long)
SWK1(swk_digest, "sw:{sub:%lld}:digest", long long)
SWK1(swk_digest_seen, "sw:{sub:%lld}:digested", long long)
SWK1(swk_live_ids, "sw:{sub:%lld}:live:ids", long long)
/* The notifier's schedules, one of each per deliveries shard K (the shard of the subscriber
 * id, sw_dlv_shard), under the tag of that shard's stream: a claim script joins a due set
 * and its leases, never a subscriber's keys. */
SWK1(swk_dlv_due, "sw:{deliveries:%d}:due", int)
SWK1(swk_dlv_leases, "sw:{deliveries:%d}:leases", int)
SWK1(swk_digest_due, "sw:{deliveries:%d}:digest:due", int)
SWK1(swk_rem_due, "sw:{deliveries:%d}:rem:due", int)
/* Revoked tokens and ended sessions for the live publisher (seawall/live.h): one stream. */
SWK0(swk_live_revoked, "sw:live:revoked")
SWK0(swk_unsub_secret, "sw:secret:unsubscribe")
/* Reply templates of a centre (lib/templates.c). */
SWK1(swk_templates, "sw:{centre:%lld}:templates", long long)
SWK0(swk_template_seq, "sw:seq:template")

/* ---- Portfolios and the matcher (lib/portfolio.c, lib/matchidx.c) ------------------------ */

/* ---- Records: cases, centres, staff, evidence, insurance, associations ------------------- */

/* ---- Shows, stations, incidents, attendees (lib/shows.c) --------------------------------- */

/* ---- People, accounts, sessions, tokens, rate limits, idempotency ------------------------ */

/* ---- Register, parties, follows, screenings (lib/register.c, lib/screening.c) ------------ */

/* ---- Test clock and configuration -------------------------------------------------------- */

#endif
