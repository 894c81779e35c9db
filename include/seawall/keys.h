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

/* ---- Portfolios and the matcher (lib/portfolio.c, lib/matchidx.c) ------------------------ */

/* ---- Records: cases, centres, staff, evidence, insurance, associations ------------------- */
/* A record (lib/record.c) is a document and its history under one tag, {<kind>:<id>}, so
 * the record's own transaction is single-slot; its indexes live elsewhere and are changed in
 * steps before and after it (record.h says in which order). */
SWK2(swk_rec_doc, "sw:{%s:%lld}:doc", const char *, long long)
SWK2(swk_rec_history, "sw:{%s:%lld}:history", const char *, long long)
/* Case indexes (sorted sets, score = case id) and the case counter. */
SWK0(swk_case_seq, "sw:seq:case")
SWK0(swk_cases_all, "sw:idx:cases")
SWK1(swk_sub_cases, "sw:{sub:%lld}:cases", long long)
SWK1(swk_centre_cases, "sw:{centre:%lld}:cases", long long)
SWK1(swk_centre_open, "sw:{centre:%lld}:open", long long)
SWK1(swk_staff_open, "sw:staff:%lld:open", long long)
SWK1(swk_staff_cases, "sw:staff:%lld:cases", long long)
/* A person's saved queue views (hash name -> JSON), beside the person's other keys. */
SWK1(swk_case_views, "sw:{person:%lld}:views", long long)

/* ---- Shows, stations, incidents, attendees (lib/shows.c) --------------------------------- */

/* ---- People, accounts, sessions, tokens, rate limits, idempotency ------------------------ */

/* ---- Register, parties, follows, screenings (lib/register.c, lib/screening.c) ------------ */

/* ---- Test clock and configuration -------------------------------------------------------- */
/* The case clock's offset, and an instant it stands still at (sw_case_now, tests only). */
SWK0(swk_testclock_offset, "sw:testclock:offset_ms")
SWK0(swk_testclock_at, "sw:testclock:at_ms")

#endif
