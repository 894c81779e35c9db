/* keys.h — every Redis key Seawall uses, built in one place.
 *
 * This header is the table of key kinds. Each line names one kind, its format and, through
 * the part in braces, its hash tag: keys with the same tag live in the same Redis Cluster slot,
 * so one script or MULTI may join them; keys with different tags may not (see docs/keys.md).
 * Only lib/ builds keys with it (a few headers include it for sw_key_t); fcgi/, workers/ and
 * tools/ call lib's data operations instead (tests/source/test_ownership.py fails otherwise).
 *
 * A kind is a function returning the key by value:
 *     sw_store_cmd(s, "HGET", swk_sub_profile(42).s, "name", NULL);
 * the temporary lives until the end of the full expression, which is long enough for a call;
 * keep a copy (sw_key_t k = swk_...(...)) when the key is needed past it. The format is a
 * literal in the function, so -Wformat checks every argument's type. */
#ifndef SEAWALL_KEYS_H
#define SEAWALL_KEYS_H

#include <stdio.h>

/* The longest key, with its NUL (SW_KEY_BYTES, not SW_KEY_MAX: that is normalise.h's longest
 * normalised text, and a file may include both). Longest today: a follow's target key
 * (SW_FOLLOW_TARGET_MAX 300 + "sw:{flw}:t:"). */
#define SW_KEY_BYTES 320

typedef struct sw_key {
    char s[SW_KEY_BYTES];
} sw_key_t;

/* SWK0(name, fmt) .. SWK4(name, fmt, T1, T2, T3, T4): the key kind name with arguments of those
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

#define SWK4(name, fmt, T1, T2, T3, T4)                                                       \
    static inline sw_key_t name(T1 a1, T2 a2, T3 a3, T4 a4)                                   \
    {                                                                                         \
        sw_key_t k;                                                                           \
        snprintf(k.s, sizeof(k.s), fmt, a1, a2, a3, a4);                                      \
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
/* The feed documents' kind (sw_kind_feed, lib/feedreg.c) needs its key format, index and id
 * counter as constants: the same texts as swk_feed, swk_feeds_index and swk_feeds_seq. */
#define SWK_FEED_FMT     "sw:feed:%lld"
#define SWK_FEEDS_INDEX  "sw:idx:feeds"
#define SWK_FEEDS_SEQ    "sw:seq:feed"
/* A feed's settings (a document), its status hash, its poller lease, a dated source's dates:
 * each a key of its own, never joined in one script or MULTI. */
SWK1(swk_feed, "sw:feed:%lld", long long)
SWK1(swk_feed_status, "sw:feed:%lld:status", long long)
SWK1(swk_feed_lease, "sw:feed:%lld:lease", long long)
SWK1(swk_feed_days, "sw:feed:%lld:days", long long)
/* Every feed id (score = id), and the last id given. */
SWK0(swk_feeds_index, "sw:idx:feeds")
SWK0(swk_feeds_seq, "sw:seq:feed")
/* The schedule: sorted set of feed ids, score = when the next poll is due (ms). */
SWK0(swk_feeds_due, "sw:feeds:due")
/* The source catalogue's feeds: hash name -> feed id. */
SWK0(swk_sources, "sw:sources")
/* A bulletin's keys share the tag {bulletin:N}: its document, the version out, its published
 * versions, who had an alert of it; so one script changes them together. The indexes and the
 * id counter are keys of their own. */
SWK1(swk_bulletin, "sw:{bulletin:%lld}", long long)
SWK1(swk_bulletin_live, "sw:{bulletin:%lld}:live", long long)
SWK1(swk_bulletin_versions, "sw:{bulletin:%lld}:versions", long long)
SWK1(swk_bulletin_alerted, "sw:{bulletin:%lld}:alerted", long long)
/* Published and withdrawn bulletins (score = id; listings skip a draft found there). */
SWK0(swk_bulletins_index, "sw:idx:bulletins")
/* Drafts (score = id; listings skip what is no longer a draft). */
SWK0(swk_bulletin_drafts, "sw:idx:bulletin-drafts")
/* The last bulletin id given. */
SWK0(swk_bulletin_seq, "sw:seq:bulletin")
/* A calendar feed token (by its SHA-256, hex) and a person's pointer to their live one. */
SWK1(swk_caltok, "sw:caltok:%s", const char *)
SWK1(swk_person_caltok, "sw:{person:%lld}:caltok", long long)

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
/* Bytes of evidence a subscriber keeps (lib/evidence.c). */
SWK1(swk_sub_evidence_bytes, "sw:{sub:%lld}:evidence:bytes", long long)
/* Associations (lib/associations.c): an association's members (hash subscriber -> record, the
 * authority), a subscriber's associations (hash association -> status, an index re-checked
 * against the members hash), an association's joint matters (score = id). */
/* An association's document (its subscriber's tag: an association's id is its subscriber's),
 * and the index of every association. */
SWK1(swk_association, "sw:{sub:%lld}:association", long long)
SWK0(swk_associations, "sw:idx:associations")
SWK1(swk_assoc_members, "sw:{sub:%lld}:members", long long)
SWK1(swk_sub_assocs, "sw:{sub:%lld}:assocs", long long)
SWK1(swk_assoc_matters, "sw:{sub:%lld}:matters", long long)
/* Joint matters: the counter, every matter, an alert's matter (hash alert -> id), a matter's
 * document, its members' alerts (hash subscriber -> alert), its notice counter, and the
 * matter an association's event key names. */
SWK0(swk_matter_seq, "sw:seq:matter")
SWK0(swk_matters_all, "sw:idx:matters")
SWK0(swk_alert_matter, "sw:idx:alert-matter")
SWK1(swk_matter, "sw:matter:%lld", long long)
SWK1(swk_matter_subs, "sw:matter:%lld:subs", long long)
SWK1(swk_matter_notices, "sw:matter:%lld:notices", long long)
typedef struct {
    char s[SW_KEY_BYTES + 512];   /* the event key (sw_matter_key) is up to 480 bytes */
} sw_matter_key_t;
static inline sw_matter_key_t swk_matter_by_key(long long assoc, const char *key)
{
    sw_matter_key_t k;

    snprintf(k.s, sizeof(k.s), "sw:matter:key:%lld:%s", assoc, key);
    return k;
}
/* What the matcher's partitions learnt of one event for the associations (hash: "p:<P>" the
 * partition P is done with it, "m:<sub>" a member alerted by its own portfolio, "a:<A>" the
 * association A alerted, with its severity; see sw_assoc_event): its own slot, tagged by the
 * event id, so every partition's script on it is single-slot. */
static inline sw_matter_key_t swk_assoc_event(const char *event_id)
{
    sw_matter_key_t k;

    snprintf(k.s, sizeof(k.s), "sw:{aev:%.480s}", event_id);
    return k;
}
/* A person's saved queue views (hash name -> JSON), beside the person's other keys. */
SWK1(swk_case_views, "sw:{person:%lld}:views", long long)

/* ---- Shows, stations, incidents, attendees (lib/shows.c) --------------------------------- */
/* A show's document, and its indexes: every show (score = the day it ends), a series' shows
 * (score = the day it starts), an iCalendar event's show. */
SWK1(swk_show, "sw:show:%s", const char *)
SWK0(swk_shows_all, "sw:idx:shows")
SWK1(swk_series, "sw:series:%s", const char *)
SWK1(swk_show_uid, "sw:show-uid:%s", const char *)
/* A show's attendees (set of subscriber ids), its incidents (score = id), its counts (hash),
 * an incident's Idempotency-Key (SHA-256 hex) -> incident id, the bytes of its evidence. */
SWK1(swk_show_attendees, "sw:show:%s:attendees", const char *)
SWK1(swk_show_incidents, "sw:show:%s:incidents", const char *)
SWK1(swk_show_stats, "sw:show:%s:stats", const char *)
SWK2(swk_show_inckey, "sw:show:%s:inckey:%s", const char *, const char *)
SWK1(swk_show_evidence_bytes, "sw:show:%s:evidence:bytes", const char *)
SWK0(swk_attendees_built, "sw:idx:attendees:built")
/* Incidents (records tagged {inc:N}, swk_rec_doc): the counter, every incident, the
 * subscribers who recognised one as theirs (hash). */
SWK0(swk_incident_seq, "sw:seq:incident")
SWK0(swk_incidents_all, "sw:idx:incidents")
SWK1(swk_incident_recognised, "sw:{inc:%lld}:recognised", long long)
/* Incidents by party: role ("exhibitor", "complainant") and party key (score = received_ms);
 * every party key (lexical), whether it was built from the party indexes, and the pattern
 * that finds them. */
typedef struct {
    char s[SW_KEY_BYTES + 128];   /* the party key is a normalised name of up to 255 bytes */
} sw_party_key_t;
static inline sw_party_key_t swk_party(const char *role, const char *party)
{
    sw_party_key_t k;

    snprintf(k.s, sizeof(k.s), "sw:party:%s:%s", role, party);
    return k;
}
SWK0(swk_party_keys, "sw:idx:party-keys")
SWK0(swk_party_keys_built, "sw:idx:party-keys:built")
SWK0(swk_party_pattern, "sw:party:*")

/* ---- People, accounts, sessions, tokens, rate limits, idempotency ------------------------ */
/* Accounts (lib/accounts.c) are JSON documents, each kind with an index of every id (sorted
 * set, score = id) and a counter for new ids; an index is written before its document. */
/* A subscriber's profile (JSON), under the subscriber's tag. */
SWK1(swk_sub_profile, "sw:{sub:%lld}:profile", long long)
/* Every subscriber id. */
SWK0(swk_subscribers, "sw:idx:subscribers")
/* The counter of subscriber ids. */
SWK0(swk_subscriber_seq, "sw:seq:subscriber")
/* An assistance centre's profile (JSON). */
SWK1(swk_centre_profile, "sw:{centre:%lld}:profile", long long)
/* Every centre id. */
SWK0(swk_centres, "sw:idx:centres")
/* The counter of centre ids. */
SWK0(swk_centre_seq, "sw:seq:centre")
/* A staff member (JSON, with centre_id). */
SWK1(swk_staff_doc, "sw:staff:%lld", long long)
/* Every staff id. */
SWK0(swk_staff_index, "sw:idx:staff")
/* The counter of staff ids. */
SWK0(swk_staff_seq, "sw:seq:staff")
/* A centre's staff ids, under the centre's tag. */
SWK1(swk_centre_staff, "sw:{centre:%lld}:staff", long long)
/* A trade-show station (JSON). */
SWK1(swk_station_doc, "sw:station:%lld", long long)
/* Every station id. */
SWK0(swk_stations, "sw:idx:stations")
/* The counter of station ids. */
SWK0(swk_station_seq, "sw:seq:station")
/* A person's profile (JSON; secrets never shown), under the person's tag with the rest of
 * the person's data (lib/people.c). */
SWK1(swk_person_profile, "sw:{person:%lld}:profile", long long)
/* Every person id. */
SWK0(swk_persons, "sw:idx:persons")
/* The counter of person ids. */
SWK0(swk_person_seq, "sw:seq:person")
/* A subscriber's team: its persons' ids. */
SWK1(swk_sub_people, "sw:{sub:%lld}:people", long long)
/* The claim of an address (SHA-256 of it lower-cased): "<person id>:<ms>", written first. */
SWK1(swk_person_email, "sw:person:email:%s", const char *)
/* A person's audit log (list of JSON entries, newest first, capped). */
SWK1(swk_person_audit, "sw:{person:%lld}:audit", long long)
/* Hashes of the (address, user agent) pairs a person signed in from. */
SWK1(swk_person_seen, "sw:{person:%lld}:seen", long long)
/* The last TOTP time step a person used. */
SWK1(swk_person_totp_last, "sw:{person:%lld}:totp_last", long long)
/* Invitations a person sent: public id -> "<token hash>:<ms>", written before the token. */
SWK1(swk_person_invites, "sw:{person:%lld}:invites", long long)
/* A single-use mail token (JSON, with TTL) by kind (invite, reset, ...) and SHA-256. */
SWK2(swk_onetime, "sw:ot:%s:%.64s", const char *, const char *)
/* Failed sign-ins for one address (SHA-256) in the window. */
SWK1(swk_throttle_acct, "sw:thr:acct:%s", const char *)
/* Failed sign-ins from one client address in the window. */
SWK1(swk_throttle_ip, "sw:thr:ip:%.64s", const char *)
/* A sign-in session (hash) by the SHA-256 of its cookie (lib/session.c). */
SWK1(swk_session, "sw:sess:%.64s", const char *)
/* A person's sessions' hashes (score: created, ms), written before the session. */
SWK1(swk_person_sessions, "sw:{person:%lld}:sessions", long long)
/* A bearer token's record (hash) by its public id (lib/auth.c). */
SWK1(swk_token, "sw:tok:%s", const char *)
/* Every token id by seq, written before the record. */
SWK0(swk_tokens, "sw:idx:tokens")
/* Every token id by the minute it was last used (ms). */
SWK0(swk_tokens_used, "sw:idx:tokens:used")
/* The counter of token seqs. */
SWK0(swk_token_seq, "sw:seq:token")
/* The tokens a person made for themselves, by seq, written before the record. */
SWK1(swk_person_tokens, "sw:{person:%lld}:tokens", long long)
/* A client address's request count (lib/ratelimit.c). */
SWK1(swk_rate_addr, "sw:rl:ip:%.64s", const char *)
/* A record's request count, in the record's slot: the argument is the record's tag, or the
 * whole record key when it has none (sw:rl:{sw:tok:<id>}, sw:rl:{person:N}). */
SWK1(swk_rate_count, "sw:rl:{%s}", const char *)
/* A POST's answer kept for its Idempotency-Key: role, subject, person, SHA-256 of the key. */
SWK4(swk_idem, "sw:idem:%s:%lld:%lld:%s", const char *, long long, long long, const char *)

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
/* Clocks tests may set (tests only, with poller.test_clock / cases.test_clock on); the
 * poller's is an instant in ms the dated sources take for now. */
SWK0(swk_testclock_poller_at, "sw:testclock:poller_at_ms")
SWK0(swk_testclock_offset, "sw:testclock:offset_ms")
SWK0(swk_testclock_at, "sw:testclock:at_ms")

#endif
