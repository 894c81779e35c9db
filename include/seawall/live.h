/* live.h — live alert streams held by nginx's Nchan module, not by seawall-api.
 *
 * A stream is an EventSource subscription, in nginx, to two Nchan channels: "a<sub>" (the
 * subscriber's alerts) and the end of what admitted it: "t<token id>" for a bearer token,
 * "s<session id>" (the session's public id, the first 16 hex digits of its key) for the
 * portal's session cookie. seawall-api only admits it (token or session, caps, resume point)
 * and hands the connection to nginx with X-Accel-Redirect; the matcher's live publisher posts
 * every stored alert to "a<sub>" and, when a token is revoked or a session ends, an "end"
 * event to its channel before deleting that channel, which closes its streams.
 *
 * Nchan talks over its own unix socket (live.socket): POST/GET/DELETE /pub/<channel> and
 * GET /status. Its message ids are "<unix seconds>:<tag>"; a stream's event ids join its two
 * channels' positions as "<seconds>:[<tag>],-" (alerts) or "<seconds>:-,[<tag>]" (the end).
 *
 * Keys (Redis, keys.h):
 *   sw:{sub:N}:live:ids   sorted set of the Nchan ids published to "a<N>", score = seconds *
 *                         100000 + tag, the newest alerts.live_maxlen kept: which ids nginx
 *                         still holds, and so whether a Last-Event-ID can be resumed
 *   sw:live:revoked       stream of revoked token ids (field "token", written with the
 *                         revocation, lib/auth.c) and ended sessions' public ids (field
 *                         "session", written as the session ends, lib/session.c), read by the
 *                         live publisher's group "live"
 * and the deliveries stream's shards (seawall/alerts.h), read by the same group. The two are
 * read one after the other, never in one command (they lie in different slots). */
#ifndef SEAWALL_LIVE_H
#define SEAWALL_LIVE_H

#include <signal.h>
#include <stddef.h>

#include "seawall/common.h"

struct sw_store;
struct sw_config;
struct sw_stream_batch;
struct redisReply;

/* Still spelt here for lib/auth.c and lib/session.c, which write it (keys.h: swk_live_revoked
 * is the same key). */
#define SW_LIVE_REVOKED "sw:live:revoked"
#define SW_LIVE_GROUP "live"

/* The "shard" that sw_live_read gives the revoked stream's entries. */
#define SW_LIVE_REVOKED_SHARD (-1)

/* One Nchan message id: seconds and tag; tag -1 means "no message" (an empty position). */
struct sw_live_id {
    long long time;
    int tag;
};

/* What Nchan says of a channel: messages it holds, streams subscribed, its newest id. */
struct sw_live_info {
    long long messages, subscribers;
    struct sw_live_id last;   /* time 0 when it holds none */
};

/* A connection to nginx's live socket (a libcurl handle kept for reuse); one per thread. */
struct sw_live {
    void *curl;
    char socket[256];
    long timeout_ms;
    char errstr[256];
};

/* Fills lv from cfg (live.socket, live.timeout_ms). Connects lazily. */
void sw_live_init(struct sw_live *lv, const struct sw_config *cfg);

/* Releases the handle; it may be used again (it reconnects). Accepts an unused handle. */
void sw_live_close(struct sw_live *lv);

/* Publishes data (n bytes, one line) to channel as an EventSource event of type event.
 * SW_OK with *id the message's Nchan id; SW_EAGAIN when nginx did not take it (errstr), SW_ERR
 * when it refused it for good (a 4xx: too large, say). */
int sw_live_publish(struct sw_live *lv, const char *channel, const char *event,
                    const char *data, size_t n, struct sw_live_id *id);

/* Deletes channel: Nchan ends every stream subscribed to it. SW_OK also when there was none;
 * SW_EAGAIN when nginx did not answer. */
int sw_live_delete(struct sw_live *lv, const char *channel);

/* Nchan's view of channel (all zero when it does not exist). SW_OK or SW_EAGAIN. */
int sw_live_channel(struct sw_live *lv, const char *channel, struct sw_live_info *out);

/* Streams nginx holds in all, every channel together. SW_OK or SW_EAGAIN. */
int sw_live_streams(struct sw_live *lv, long long *out);

/* <0, 0, >0 as a is older than, the same as, newer than b. */
int sw_live_id_cmp(const struct sw_live_id *a, const struct sw_live_id *b);

/* Parses Nchan's "<seconds>:<tag>". SW_OK or SW_INVALID. */
int sw_live_id_parse(const char *s, struct sw_live_id *out);

/* Parses a stream event id as sent to clients ("<s>:[<t>],-", "<s>:<t>,[<t>]" …) into the
 * alerts channel's position (tag -1 when the id carries none). SW_OK; SW_NOTFOUND for an id
 * of the streams before Nchan ("<ms>-<n>"), which no longer says where to resume; SW_INVALID
 * for anything else. */
int sw_live_event_id_parse(const char *s, struct sw_live_id *alerts);

/* Writes the event id that resumes after alerts position id: "<s>:[<t>],-". out >= 40. */
void sw_live_event_id(const struct sw_live_id *id, char *out, size_t outlen);

/* Publishes subscriber sub's alert alert_id (as stored, with its status) to the subscriber's
 * channel and remembers its id. SW_OK, also when the alert is gone; SW_EAGAIN when nginx or
 * Redis did not answer (lv->errstr says which): try again later; SW_ERR when it can never be
 * published (lv->errstr). */
int sw_live_publish_alert(struct sw_live *lv, struct sw_store *s, const struct sw_config *cfg,
                          long long sub, const char *alert_id);

/* Ends the live streams of token token_id: an "end" event, then the channel deleted (Nchan
 * closes its streams). SW_OK or SW_EAGAIN. */
int sw_live_end_token(struct sw_live *lv, const char *token_id);

/* The same for the streams of the session whose public id is session_id. */
int sw_live_end_session(struct sw_live *lv, const char *session_id);

/* Remembers that id was published to subscriber sub's channel (keeping the newest
 * alerts.live_maxlen). SW_OK or SW_EAGAIN. */
int sw_live_remember(struct sw_store *s, const struct sw_config *cfg, long long sub,
                     const struct sw_live_id *id);

/* Whether a stream of subscriber sub can resume after resume (its alerts position), given
 * what nginx holds (info, read before now_s): *gap 0 when every alert published after resume
 * is still held; 1 when some may be gone (then *from is where the stream picks up: the newest
 * alert held, or a position just before now_s when nginx holds none). When unsure it says
 * gap. SW_OK or SW_EAGAIN. */
int sw_live_resume(struct sw_store *s, long long sub, const struct sw_live_info *info,
                   const struct sw_live_id *resume, long long now_s, int *gap,
                   struct sw_live_id *from);

/* --- the live publisher's reading (seawall-matcher's live thread) --- */

/* Makes the group "live" on every deliveries shard and on the revoked stream, starting at
 * their ends ("$"): the streams start with what is stored from now on. SW_OK or SW_EAGAIN. */
int sw_live_groups(struct sw_store *s);

/* Reads, as consumer me of the group "live": with own, the entries read before and not yet
 * acknowledged (of every deliveries shard and the revoked stream: after a restart, or after a
 * failure to publish); else new revocations, or when there are none new alerts, waiting up to
 * block_ms for one. Entries of the revoked stream come as shard SW_LIVE_REVOKED_SHARD, the
 * others with their deliveries shard. Free the batch with sw_stream_batch_free. SW_OK, or
 * SW_EAGAIN (errstr; a lost group too) with an empty batch. */
int sw_live_read(struct sw_store *s, const char *me, int own, long long count,
                 long long block_ms, struct sw_stream_batch *b);

/* Acknowledges entry id that sw_live_read gave as shard's. SW_OK or SW_EAGAIN. */
int sw_live_ack(struct sw_store *s, int shard, const char *id);

/* Takes over the entries of the group "live" that another publisher read and left for idle_ms
 * (a crashed matcher's), handing each batch to take(ud, shard, entries) as sw_live_read's. */
void sw_live_claim(struct sw_store *s, const char *me, long long idle_ms,
                   void (*take)(void *ud, int shard, const struct redisReply *entries), void *ud,
                   volatile sig_atomic_t *stopping);

#endif
