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

/* The longest key, with its NUL (SWK_MAX, not SW_KEY_MAX: that is normalise.h's longest
 * normalised text, and a file may include both). Longest today: a follow's target key
 * (SW_FOLLOW_TARGET_MAX 300 + "sw:{flw}:t:"). */
#define SWK_MAX 320

typedef struct {
    char s[SWK_MAX];
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

/* ---- Shows, stations, incidents, attendees (lib/shows.c) --------------------------------- */

/* ---- People, accounts, sessions, tokens, rate limits, idempotency ------------------------ */

/* ---- Register, parties, follows, screenings (lib/register.c, lib/screening.c) ------------ */
/* A mark record (JSON), written whole by compare-and-set (seawall/register.h). */
SWK2(swk_reg_mark, "sw:{reg:%s}:tm:%s", const char *, const char *)
/* Set of an office's numbers, written in the record's script. */
SWK1(swk_reg_numbers, "sw:{reg:%s}:tms", const char *)
/* Hash number -> what the record was, for a write whose change is not yet announced. */
SWK1(swk_reg_unannounced, "sw:{reg:%s}:unannounced", const char *)
/* Set of the offices present (written before their records). */
SWK0(swk_reg_offices, "sw:{reg}:offices")
/* Counter of mark record ids (INCRBY per batch). */
SWK0(swk_reg_rid_counter, "sw:{reg}:rid")
/* Hash rid % 1000 -> "OFFICE:NUMBER" for rids in bucket rid / 1000 (written before records). */
SWK1(swk_reg_rid_bucket, "sw:{reg}:rid:%lld", long long)
/* An import's checkpoint, by the file's identity (path, size, done, finished, updated). */
SWK1(swk_reg_import, "sw:{reg}:import:%s", const char *)
/* A register writer's heartbeat (expires after 60 s). */
SWK1(swk_reg_alive, "sw:{reg}:alive:%s", const char *)
/* Ids of the litigation events seen on a docket (court, docket normalised). */
SWK2(swk_docket_events, "sw:{dkt:%s:%s}:events", const char *, const char *)
/* Counter of party ids. */
SWK0(swk_party_counter, "sw:{pty}:id")
/* Hash party id -> name for the parties under a name key (written before their docs). */
SWK1(swk_party_namekey, "sw:{pty}:k:%s", const char *)
/* A party: {"id","key","name"} (SET NX). */
SWK1(swk_party_doc, "sw:{pty:%lld}:doc", long long)
/* Hash case key -> case JSON of a party. */
SWK1(swk_party_cases, "sw:{pty:%lld}:cases", long long)
/* Set of the case keys a party brought. */
SWK1(swk_party_plaintiff, "sw:{pty:%lld}:plaintiff", long long)
/* Set of a party's spellings. */
SWK1(swk_party_names, "sw:{pty:%lld}:names", long long)
/* Set of "OFFICE:NUMBER" a party owns or applied for. */
SWK1(swk_party_marks, "sw:{pty:%lld}:marks", long long)
/* Hash follow id -> follow JSON of a subscriber. */
SWK1(swk_follows, "sw:{sub:%lld}:follows", long long)
/* Hash target -> follow id of a subscriber (one follow per target). */
SWK1(swk_followkeys, "sw:{sub:%lld}:followkeys", long long)
/* Counter of follow ids. */
SWK0(swk_follow_counter, "sw:{flw}:id")
/* Set of "SUB:ID" following a target ("mark:OFFICE:NUMBER", "docket:COURT:DOCKET"); written
 * before the follow, so an entry without one is skipped. */
SWK1(swk_follow_target, "sw:{flw}:t:%s", const char *)
/* A screening job: hash doc, status, done, total, result, error, updated_at. */
SWK2(swk_screening, "sw:{sub:%lld}:scr:%lld", long long, long long)
/* Sorted set of a subscriber's screening ids (score: the id). */
SWK1(swk_screenings, "sw:{sub:%lld}:scrs", long long)
/* Counter of a subscriber's screening ids. */
SWK1(swk_screening_next, "sw:{sub:%lld}:scr:next", long long)
/* A screener's heartbeat ("TIME marks=N", expires after 60 s). */
SWK1(swk_scr_alive, "sw:{scr}:alive:%s", const char *)

/* ---- Test clock and configuration -------------------------------------------------------- */

#endif
