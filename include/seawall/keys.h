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

#define SW_KEY_BYTES 192   /* (normalise.h's SW_KEY_MAX is the matching keys' size) */

typedef struct {
    char s[SW_KEY_BYTES];
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
/* The events stream (SW_EVENTS_STREAM, feedreg.h) is sharded: swk_stream("events", N) above,
 * with each event's seen mark swk_event_seen(N, id) in its shard's slot (sw_event_publish). */
/* A feed: its settings (a document of kind sw_kind_feed, whose formats these are: the kind
 * table needs them as constants), its status hash, its poller lease, a dated source's dates;
 * each a key of its own, never joined in one script or MULTI. */
#define SWK_FEED_FMT     "sw:feed:%lld"
#define SWK_FEEDS_INDEX  "sw:idx:feeds"
#define SWK_FEEDS_SEQ    "sw:seq:feed"
SWK1(swk_feed, SWK_FEED_FMT, long long)
SWK1(swk_feed_status, "sw:feed:%lld:status", long long)
SWK1(swk_feed_lease, "sw:feed:%lld:lease", long long)
SWK1(swk_feed_days, "sw:feed:%lld:days", long long)
/* The schedule: sorted set of feed ids, score = when the next poll is due (ms). */
SWK0(swk_feeds_due, "sw:feeds:due")
/* The dated sources' test clock (poller.test_clock): an instant in ms. */
SWK0(swk_feeds_test_clock, "sw:testclock:poller_at_ms")
/* The source catalogue's feeds: hash name -> feed id. */
SWK0(swk_sources, "sw:sources")
/* A bulletin's keys share the tag {bulletin:N}: its document, the version out, its published
 * versions, who had an alert of it; so one script changes them together. The indexes and the
 * id counter are keys of their own. */
SWK1(swk_bulletin, "sw:{bulletin:%lld}", long long)
SWK1(swk_bulletin_live, "sw:{bulletin:%lld}:live", long long)
SWK1(swk_bulletin_versions, "sw:{bulletin:%lld}:versions", long long)
SWK1(swk_bulletin_alerted, "sw:{bulletin:%lld}:alerted", long long)
SWK0(swk_bulletins_index, "sw:idx:bulletins")
SWK0(swk_bulletin_drafts, "sw:idx:bulletin-drafts")
SWK0(swk_bulletin_seq, "sw:seq:bulletin")
/* A calendar feed token (by its SHA-256, hex) and a person's pointer to their live one. */
SWK1(swk_caltok, "sw:caltok:%s", const char *)
SWK1(swk_person_caltok, "sw:{person:%lld}:caltok", long long)

/* ---- Alerts and deliveries of a subscriber, tag {sub:N} (lib/alerts.c, lib/delivery.c) -- */

/* ---- Portfolios and the matcher (lib/portfolio.c, lib/matchidx.c) ------------------------ */
/* A subscriber's portfolio items, under its subscriber's tag: hash item id -> item JSON. */
SWK1(swk_pf, "sw:{sub:%lld}:pf", long long)
/* The portfolio's item ids in order (sorted set, scored by id). */
SWK1(swk_pf_ids, "sw:{sub:%lld}:pf:ids", long long)
/* The number of the portfolio's last change (each change is numbered, 1, 2, ...). */
SWK1(swk_pf_seq, "sw:{sub:%lld}:pf:seq", long long)
/* The portfolio's changes recorded but not yet appended to the portfolio-changes stream
 * (sorted set: number -> "N upsert JSON" or "N delete ID"): what a writer that died between
 * the two steps leaves for the next write to append. */
SWK1(swk_pf_outbox, "sw:{sub:%lld}:pf:outbox", long long)
/* Subscribers whose portfolio was written lately, scored by when the last write began (ms):
 * the sweep (sw_portfolio_sweep) appends what a writer that died left in their outbox. */
SWK0(swk_pf_unsent, "sw:pf:unsent")
/* The counter of portfolio item ids, one for every subscriber. */
SWK0(swk_pf_item_seq, "sw:seq:pfitem")

/* ---- Records: cases, centres, staff, evidence, insurance, associations ------------------- */

/* ---- Shows, stations, incidents, attendees (lib/shows.c) --------------------------------- */

/* ---- People, accounts, sessions, tokens, rate limits, idempotency ------------------------ */

/* ---- Register, parties, follows, screenings (lib/register.c, lib/screening.c) ------------ */

/* ---- Test clock and configuration -------------------------------------------------------- */

#endif
