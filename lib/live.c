/* live.c — talking to nginx's Nchan module over the live socket, reading its message ids,
 * and deciding whether a stream can resume from a Last-Event-ID (see live.h). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "seawall/alerts.h"
#include "seawall/buf.h"
#include "seawall/config.h"
#include "seawall/json.h"
#include "seawall/keys.h"
#include "seawall/live.h"
#include "seawall/store.h"
#include "seawall/stream.h"
#include "seawall/worker.h"

#define ANSWER_MAX 4096   /* Nchan's channel and status answers are a few hundred bytes */
#define TAG_MAX 32767     /* Nchan's tags are 16-bit */

void sw_live_init(struct sw_live *lv, const struct sw_config *cfg)
{
    memset(lv, 0, sizeof(*lv));
    sw_strlcpy(lv->socket, sw_config_str(cfg, "live.socket"), sizeof(lv->socket));
    lv->timeout_ms = (long)sw_config_int(cfg, "live.timeout_ms");
}

void sw_live_close(struct sw_live *lv)
{
    if (lv != NULL && lv->curl != NULL) {
        curl_easy_cleanup(lv->curl);
        lv->curl = NULL;
    }
}

static size_t on_answer(char *data, size_t size, size_t n, void *ud)
{
    return sw_buf_add(ud, data, size * n) == SW_OK ? size * n : 0;
}

/* One request to Nchan: method on path with an optional body and EventSource event name.
 * Returns the HTTP status (the answer in *answer, which the caller frees), or 0 with errstr
 * set when nginx did not answer. */
static long request(struct sw_live *lv, const char *method, const char *path, const char *event,
                    const char *body, size_t n, struct sw_buf *answer)
{
    struct curl_slist *hdrs = NULL;
    char url[300], evhdr[96];
    long status = 0;
    CURLcode rc;

    sw_buf_init(answer, ANSWER_MAX);
    if (lv->curl == NULL && (lv->curl = curl_easy_init()) == NULL) {
        sw_strlcpy(lv->errstr, "curl_easy_init() failed", sizeof(lv->errstr));
        return 0;
    }
    curl_easy_reset(lv->curl);
    snprintf(url, sizeof(url), "http://localhost%s", path);
    curl_easy_setopt(lv->curl, CURLOPT_UNIX_SOCKET_PATH, lv->socket);
    curl_easy_setopt(lv->curl, CURLOPT_URL, url);
    curl_easy_setopt(lv->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(lv->curl, CURLOPT_TIMEOUT_MS, lv->timeout_ms);
    curl_easy_setopt(lv->curl, CURLOPT_CONNECTTIMEOUT_MS, lv->timeout_ms);
    curl_easy_setopt(lv->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(lv->curl, CURLOPT_WRITEFUNCTION, on_answer);
    curl_easy_setopt(lv->curl, CURLOPT_WRITEDATA, answer);
    hdrs = curl_slist_append(hdrs, "Accept: text/json");
    if (event != NULL) {
        snprintf(evhdr, sizeof(evhdr), "X-EventSource-Event: %s", event);
        hdrs = curl_slist_append(hdrs, evhdr);
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    }
    if (body != NULL) {
        curl_easy_setopt(lv->curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(lv->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
    }
    curl_easy_setopt(lv->curl, CURLOPT_HTTPHEADER, hdrs);
    rc = curl_easy_perform(lv->curl);
    if (rc == CURLE_OK)
        curl_easy_getinfo(lv->curl, CURLINFO_RESPONSE_CODE, &status);
    else
        snprintf(lv->errstr, sizeof(lv->errstr), "%s %s on \"%.100s\" failed (%s)", method, path,
                 lv->socket, curl_easy_strerror(rc));
    curl_slist_free_all(hdrs);
    return status;
}

/* Reads Nchan's channel answer ({"messages": …, "subscribers": …, "last_message_id": …}). */
static int channel_answer(struct sw_live *lv, const struct sw_buf *a, struct sw_live_info *out)
{
    json_t *j = a->p != NULL ? json_loadb(a->p, a->len, 0, NULL) : NULL;
    const char *last = json_string_value(json_object_get(j, "last_message_id"));

    memset(out, 0, sizeof(*out));
    if (!json_is_object(j) || last == NULL || sw_live_id_parse(last, &out->last) != SW_OK) {
        snprintf(lv->errstr, sizeof(lv->errstr), "unexpected answer from Nchan: %.120s",
                 a->p != NULL ? a->p : "(empty)");
        json_decref(j);
        return SW_EAGAIN;
    }
    out->messages = json_integer_value(json_object_get(j, "messages"));
    out->subscribers = json_integer_value(json_object_get(j, "subscribers"));
    json_decref(j);
    return SW_OK;
}

int sw_live_publish(struct sw_live *lv, const char *channel, const char *event,
                    const char *data, size_t n, struct sw_live_id *id)
{
    char path[160];
    struct sw_buf a;
    struct sw_live_info info;
    long status;
    int rc = SW_EAGAIN;

    snprintf(path, sizeof(path), "/pub/%s", channel);
    status = request(lv, "POST", path, event, data, n, &a);
    if (status == 201 || status == 202) {
        rc = channel_answer(lv, &a, &info);
        *id = info.last;
    } else if (status != 0) {
        snprintf(lv->errstr, sizeof(lv->errstr), "POST %s answered %ld", path, status);
        if (status >= 400 && status < 500)
            rc = SW_ERR;   /* refused (too large, say): it would be refused again */
    }
    sw_buf_free(&a);
    return rc;
}

int sw_live_delete(struct sw_live *lv, const char *channel)
{
    char path[160];
    struct sw_buf a;
    long status;

    snprintf(path, sizeof(path), "/pub/%s", channel);
    status = request(lv, "DELETE", path, NULL, NULL, 0, &a);
    sw_buf_free(&a);
    if (status == 200 || status == 404)
        return SW_OK;
    if (status != 0)
        snprintf(lv->errstr, sizeof(lv->errstr), "DELETE %s answered %ld", path, status);
    return SW_EAGAIN;
}

int sw_live_channel(struct sw_live *lv, const char *channel, struct sw_live_info *out)
{
    char path[160];
    struct sw_buf a;
    long status;
    int rc = SW_EAGAIN;

    memset(out, 0, sizeof(*out));
    snprintf(path, sizeof(path), "/pub/%s", channel);
    status = request(lv, "GET", path, NULL, NULL, 0, &a);
    if (status == 200)
        rc = channel_answer(lv, &a, out);
    else if (status == 404)
        rc = SW_OK;
    else if (status != 0)
        snprintf(lv->errstr, sizeof(lv->errstr), "GET %s answered %ld", path, status);
    sw_buf_free(&a);
    return rc;
}

int sw_live_streams(struct sw_live *lv, long long *out)
{
    struct sw_buf a;
    const char *line;
    long status = request(lv, "GET", "/status", NULL, NULL, 0, &a);
    int rc = SW_EAGAIN;

    if (status == 200 && a.p != NULL) {
        /* Nchan's status page (its nchan_stub_status directive): "name: value" lines, one of
         * them "subscribers: N". */
        for (line = a.p; line != NULL && rc != SW_OK; line = strchr(line, '\n')) {
            line += *line == '\n';
            if (strncmp(line, "subscribers: ", 13) == 0) {
                *out = strtoll(line + 13, NULL, 10);
                rc = SW_OK;
            }
        }
        if (rc != SW_OK)
            sw_strlcpy(lv->errstr, "Nchan's status has no subscriber count", sizeof(lv->errstr));
    } else if (status != 0) {
        snprintf(lv->errstr, sizeof(lv->errstr), "GET /status answered %ld", status);
    }
    sw_buf_free(&a);
    return rc;
}

int sw_live_id_cmp(const struct sw_live_id *a, const struct sw_live_id *b)
{
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->tag < b->tag ? -1 : a->tag > b->tag;
}

/* Reads 1..digits decimal digits at *s into *v (at most max); advances *s. */
static int digits(const char **s, int ndigits, long long max, long long *v)
{
    int n = 0;

    *v = 0;
    while (isdigit((unsigned char)**s) && n < ndigits) {
        *v = *v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n > 0 && *v <= max && !isdigit((unsigned char)**s) ? SW_OK : SW_INVALID;
}

int sw_live_id_parse(const char *s, struct sw_live_id *out)
{
    long long t, tag;

    if (s == NULL || digits(&s, 12, 999999999999LL, &t) != SW_OK || *s++ != ':' ||
        digits(&s, 5, TAG_MAX, &tag) != SW_OK || *s != '\0')
        return SW_INVALID;
    out->time = t;
    out->tag = (int)tag;
    return SW_OK;
}

/* One tag of a stream event id: "-", "<n>", "[<n>]"; *active set when bracketed. */
static int event_tag(const char **s, int *tag, int *active)
{
    long long v;
    int open = **s == '[';

    *active = open;
    if (open)
        (*s)++;
    if (**s == '-' && !open) {
        (*s)++;
        *tag = -1;
        return SW_OK;
    }
    if (digits(s, 5, TAG_MAX, &v) != SW_OK || (open && *(*s)++ != ']'))
        return SW_INVALID;
    *tag = (int)v;
    return SW_OK;
}

int sw_live_event_id_parse(const char *s, struct sw_live_id *alerts)
{
    const char *p = s;
    long long t, v;
    int a, end, a_active, end_active;

    if (s == NULL)
        return SW_INVALID;
    if (digits(&p, 18, INT64_MAX, &t) != SW_OK)
        return SW_INVALID;
    if (*p == '-') {   /* a Redis stream id "<ms>-<n>" from the streams before Nchan */
        p++;
        return digits(&p, 18, INT64_MAX, &v) == SW_OK && *p == '\0' ? SW_NOTFOUND : SW_INVALID;
    }
    if (t > 999999999999LL || *p++ != ':' || event_tag(&p, &a, &a_active) != SW_OK || *p++ != ',' ||
        event_tag(&p, &end, &end_active) != SW_OK || *p != '\0' ||
        a_active + end_active != 1)
        return SW_INVALID;
    alerts->time = t;
    alerts->tag = a;
    return SW_OK;
}

void sw_live_event_id(const struct sw_live_id *id, char *out, size_t outlen)
{
    snprintf(out, outlen, "%lld:[%d],-", id->time, id->tag);
}

static void ids_key(long long sub, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s", swk_live_ids(sub).s);
}

int sw_live_remember(struct sw_store *s, const struct sw_config *cfg, long long sub,
                     const struct sw_live_id *id)
{
    char key[SW_KEY_BYTES], score[32], member[40], keep[24];
    const char *zadd[] = { "ZADD", key, score, member };
    const char *trim[] = { "ZREMRANGEBYRANK", key, "0", keep };
    const char **argvs[2] = { zadd, trim };
    int argcs[2] = { 4, 4 };
    redisReply *r;

    ids_key(sub, key, sizeof(key));
    snprintf(score, sizeof(score), "%lld", id->time * 100000 + id->tag);
    snprintf(member, sizeof(member), "%lld:%d", id->time, id->tag);
    snprintf(keep, sizeof(keep), "%lld", -sw_config_int(cfg, "alerts.live_maxlen") - 1);
    r = sw_store_multi(s, 2, argcs, argvs, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

int sw_live_publish_alert(struct sw_live *lv, struct sw_store *s, const struct sw_config *cfg,
                          long long sub, const char *alert_id)
{
    json_t *ids = json_pack("[s]", alert_id), *items = NULL;
    char channel[32], *text = NULL;
    struct sw_live_id id;
    int rc = ids != NULL ? sw_alert_load(s, sub, ids, &items) : SW_EAGAIN;

    if (rc != SW_OK) {
        sw_strlcpy(lv->errstr, ids != NULL ? s->errstr : "out of memory", sizeof(lv->errstr));
        goto out;
    }
    if (json_array_size(items) != 1)
        goto out;   /* gone since: nothing to tell */
    if ((text = sw_json_dumps(json_array_get(items, 0))) == NULL) {
        rc = SW_EAGAIN;
        sw_strlcpy(lv->errstr, "out of memory", sizeof(lv->errstr));
        goto out;
    }
    snprintf(channel, sizeof(channel), "a%lld", sub);
    rc = sw_live_publish(lv, channel, "alert", text, strlen(text), &id);
    /* Published but not remembered: a resume from before it reads as a gap, which is safe. */
    if (rc == SW_OK && sw_live_remember(s, cfg, sub, &id) != SW_OK)
        sw_strlcpy(lv->errstr, s->errstr, sizeof(lv->errstr));
out:
    free(text);
    json_decref(items);
    json_decref(ids);
    return rc;
}

/* An "end" event with detail to channel, then the channel deleted. */
static int end_channel(struct sw_live *lv, const char *channel, const char *end, size_t n)
{
    struct sw_live_id id;
    int rc = sw_live_publish(lv, channel, "end", end, n, &id);

    return rc == SW_OK ? sw_live_delete(lv, channel) : rc;
}

int sw_live_end_token(struct sw_live *lv, const char *token_id)
{
    static const char end[] = "{\"detail\":\"the token is no longer valid\"}";
    char channel[32];

    snprintf(channel, sizeof(channel), "t%s", token_id);
    return end_channel(lv, channel, end, sizeof(end) - 1);
}

int sw_live_end_session(struct sw_live *lv, const char *session_id)
{
    static const char end[] = "{\"detail\":\"the session has ended\"}";
    char channel[32];

    snprintf(channel, sizeof(channel), "s%s", session_id);
    return end_channel(lv, channel, end, sizeof(end) - 1);
}

/* How long a resume waits, at most, for the publisher to remember nginx's newest id. */
#define RESUME_TRIES 10
#define RESUME_WAIT_NS 20000000L   /* 20 ms: 200 ms in all */

int sw_live_resume(struct sw_store *s, long long sub, const struct sw_live_info *info,
                   const struct sw_live_id *resume, long long now_s, int *gap,
                   struct sw_live_id *from)
{
    const struct timespec wait = { 0, RESUME_WAIT_NS };
    char key[SW_KEY_BYTES], stop[24];
    struct sw_live_id rec[2], floor;
    int have_floor = 0, nrec = 0, tries;
    redisReply *r;

    /* The newest published id, and the one M places older (M = the messages nginx holds):
     * the newest that nginx no longer has, if nginx holds exactly what was published last.
     * The publisher remembers an id just after nginx took it: when nginx's newest is not
     * remembered yet, the record is read again a few times (RESUME_TRIES × RESUME_WAIT_NS)
     * before the answer takes the safe side and says gap. */
    ids_key(sub, key, sizeof(key));
    snprintf(stop, sizeof(stop), "%lld", info->messages);
    for (tries = 0;; tries++) {
        nrec = 0;
        r = sw_store_cmd(s, "ZREVRANGE", key, "0", stop, NULL);
        if (r == NULL)
            return SW_EAGAIN;
        if (r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
            sw_live_id_parse(sw_reply_str(r->element[0]), &rec[0]) == SW_OK) {
            nrec = 1;
            if (info->messages > 0 && r->elements > (size_t)info->messages &&
                sw_live_id_parse(sw_reply_str(r->element[info->messages]), &rec[1]) == SW_OK)
                nrec = 2;
        }
        freeReplyObject(r);
        if (info->messages == 0 || (nrec > 0 && sw_live_id_cmp(&rec[0], &info->last) >= 0) ||
            tries + 1 >= RESUME_TRIES)
            break;
        nanosleep(&wait, NULL);
    }
    if (nrec > 0) {
        if (info->messages > 0 && sw_live_id_cmp(&rec[0], &info->last) == 0) {
            /* nginx holds the newest M published: the one before them is the floor. */
            if (nrec == 2) {
                floor = rec[1];
                have_floor = 1;
            }
        } else {
            /* nginx lost what was published (a restart) or holds one not yet remembered
             * here: anything before the newest remembered may be gone. */
            floor = rec[0];
            have_floor = 1;
        }
    }
    *gap = resume->tag < 0 || resume->time > now_s + 1 ||
           (have_floor && sw_live_id_cmp(resume, &floor) < 0);
    if (info->messages > 0) {
        *from = info->last;
    } else {
        from->time = now_s - 1;   /* before anything published from now on */
        from->tag = TAG_MAX;
    }
    return SW_OK;
}

/* --- what the live publisher reads ------------------------------------------------------- */

int sw_live_groups(struct sw_store *s)
{
    sw_key_t rkey = swk_live_revoked();
    redisReply *r;
    int rc = sw_stream_group(s, SW_DELIVERIES, SW_LIVE_GROUP, "$");

    r = sw_store_cmd(s, "XGROUP", "CREATE", rkey.s, SW_LIVE_GROUP, "$", "MKSTREAM", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "BUSYGROUP", 9) != 0) {
        snprintf(s->errstr, sizeof(s->errstr), "XGROUP CREATE %.64s %s: %.160s", rkey.s,
                 SW_LIVE_GROUP, r->str);
        rc = SW_EAGAIN;
    }
    freeReplyObject(r);
    return rc;
}

/* Keeps the entries of one XREADGROUP reply (of one stream) in b as shard's; frees r
 * otherwise. SW_OK, or SW_EAGAIN for an error reply (a lost group: FLUSHALL). */
static int keep(struct sw_stream_batch *b, int shard, redisReply *r, char *errstr, size_t errlen)
{
    if (r != NULL && r->type == REDIS_REPLY_ERROR) {
        snprintf(errstr, errlen, "%s", r->str);
        freeReplyObject(r);
        return SW_EAGAIN;
    }
    if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
        r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements == 2 &&
        r->element[0]->element[1]->type == REDIS_REPLY_ARRAY &&
        r->element[0]->element[1]->elements > 0 && b->n < SW_STREAM_SHARDS_MAX) {
        b->shard[b->n] = shard;
        b->entries[b->n] = r->element[0]->element[1];
        b->replies[b->n++] = r;
        b->total += r->element[0]->element[1]->elements;
        return SW_OK;
    }
    if (r != NULL)
        freeReplyObject(r);
    return SW_OK;
}

/* Our own unacknowledged entries ("0") of every deliveries shard and of the revoked stream,
 * in one pipeline. */
static int read_own(struct sw_store *s, const char *me, const char *cnt,
                    struct sw_stream_batch *b)
{
    int n = sw_stream_shards(s), i, argcs[SW_STREAM_SHARDS_MAX + 1], rc = SW_OK;
    const char *args[SW_STREAM_SHARDS_MAX + 1][9], **argvs[SW_STREAM_SHARDS_MAX + 1];
    sw_key_t keys[SW_STREAM_SHARDS_MAX + 1];
    redisReply *reps[SW_STREAM_SHARDS_MAX + 1];

    for (i = 0; i <= n; i++) {
        keys[i] = i < n ? sw_stream_key(SW_DELIVERIES, i) : swk_live_revoked();
        args[i][0] = "XREADGROUP";
        args[i][1] = "GROUP";
        args[i][2] = SW_LIVE_GROUP;
        args[i][3] = me;
        args[i][4] = "COUNT";
        args[i][5] = cnt;
        args[i][6] = "STREAMS";
        args[i][7] = keys[i].s;
        args[i][8] = "0";
        argvs[i] = args[i];
        argcs[i] = 9;
    }
    if (sw_store_pipeline(s, n + 1, argcs, argvs, reps) != SW_OK)
        return SW_EAGAIN;
    for (i = 0; i <= n; i++)
        if (keep(b, i < n ? i : SW_LIVE_REVOKED_SHARD, reps[i], s->errstr,
                 sizeof(s->errstr)) != SW_OK)
            rc = SW_EAGAIN;
    if (rc != SW_OK)
        sw_stream_batch_free(b);
    return rc;
}

int sw_live_read(struct sw_store *s, const char *me, int own, long long count,
                 long long block_ms, struct sw_stream_batch *b)
{
    sw_key_t rkey = swk_live_revoked();
    char cnt[24];
    redisReply *r;

    memset(b, 0, sizeof(*b));
    snprintf(cnt, sizeof(cnt), "%lld", count > 0 ? count : 1);
    if (own)
        return read_own(s, me, cnt, b);
    /* Revocations first and without waiting: ending a stream is not kept waiting by alerts. */
    r = sw_store_cmd(s, "XREADGROUP", "GROUP", SW_LIVE_GROUP, me, "COUNT", cnt, "STREAMS",
                     rkey.s, ">", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (keep(b, SW_LIVE_REVOKED_SHARD, r, s->errstr, sizeof(s->errstr)) != SW_OK)
        return SW_EAGAIN;
    if (b->n > 0)
        return SW_OK;
    return sw_stream_read(s, SW_DELIVERIES, SW_LIVE_GROUP, me, count, block_ms, b);
}

int sw_live_ack(struct sw_store *s, int shard, const char *id)
{
    sw_key_t rkey = swk_live_revoked();
    redisReply *r;

    if (shard != SW_LIVE_REVOKED_SHARD)
        return sw_stream_ack(s, SW_DELIVERIES, shard, SW_LIVE_GROUP, 1, &id);
    if ((r = sw_store_cmd(s, "XACK", rkey.s, SW_LIVE_GROUP, id, NULL)) == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

struct claim_ctx {
    void (*take)(void *ud, int shard, const redisReply *entries);
    void *ud;
};

static void take_revoked(void *ud, const redisReply *entries)
{
    struct claim_ctx *c = ud;

    c->take(c->ud, SW_LIVE_REVOKED_SHARD, entries);
}

void sw_live_claim(struct sw_store *s, const char *me, long long idle_ms,
                   void (*take)(void *ud, int shard, const redisReply *entries), void *ud,
                   volatile sig_atomic_t *stopping)
{
    sw_key_t rkey = swk_live_revoked();
    struct claim_ctx c = { take, ud };

    sw_stream_claim(s, SW_DELIVERIES, SW_LIVE_GROUP, me, idle_ms, 100,
                    "alerts for live streams", take, ud, stopping);
    if (!*stopping)
        sw_worker_claim(s, rkey.s, SW_LIVE_GROUP, me, idle_ms, 100, "revoked tokens",
                        take_revoked, &c, stopping);
}
