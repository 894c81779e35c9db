/* register.c — the register of marks and parties (seawall/register.h): events merged into one
 * record per (office, number) and one per party, in batches of a few pipelined round trips so
 * a back-file of millions of records loads at Redis's pace. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/keys.h"
#include "seawall/log.h"
#include "seawall/normalise.h"
#include "seawall/register.h"
#include "seawall/shows.h"
#include "seawall/store.h"
#include "seawall/stream.h"

#define CHANGES_MAXLEN 1000000LL   /* entries kept on the changes stream, over all shards */
#define PARTY_CACHE_MAX 20000      /* names remembered by a writer before it forgets them all */
#define NAMES_MAX 20               /* spellings kept per party */

/* --- what the offices say ------------------------------------------------------------------ */

int sw_register_office_valid(const char *office)
{
    return office != NULL && strlen(office) == 2 && isupper((unsigned char)office[0]) &&
           isupper((unsigned char)office[1]);
}

int sw_register_number_valid(const char *number)
{
    size_t i, n = number ? strlen(number) : 0;

    if (n == 0 || n > SW_REG_NUMBER_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)number[i]))
            return 0;
    return 1;
}

/* USPTO status codes (the TSDR code list): 600–618 abandoned but 616 (revived), 620–629
 * old registrations cancelled or expired, 710–714 cancelled (sections 7, 8, 18, 24, 37), 900
 * and above expired or cancelled registrations: dead; 700–899 otherwise registered: live;
 * the rest of 600–699 (new, under examination, published, allowed): pending. */
static const char *uspto_status(long code)
{
    if (code < 600 || code > 999)
        return NULL;
    if ((code <= 618 && code != 616) || (code >= 620 && code <= 629) ||
        (code >= 710 && code <= 714) || code >= 900)
        return "dead";
    if (code >= 700)
        return "live";
    return "pending";
}

static int has_word(const char *lower, const char *const *words)
{
    for (; *words != NULL; words++)
        if (strstr(lower, *words) != NULL)
            return 1;
    return 0;
}

const char *sw_register_status_of(const char *office, const char *status_text)
{
    static const char *const dead[] = { "refus", "withdraw", "cancel", "expir", "surrender",
                                        "abandon", "lapse", "invalid", "revoked", "ceased",
                                        "rejected", "dead", "removed", NULL };
    static const char *const live[] = { "registered", "registration", "renewed", "protected",
                                        "live", "granted", NULL };
    static const char *const pending[] = { "application", "filed", "examination", "pending",
                                           "appeal", "received", "accepted", "published",
                                           "opposition period", "allowed", NULL };
    char lower[128];
    size_t i;
    char *end;
    long code;

    (void)office;
    if (status_text == NULL || status_text[0] == '\0')
        return NULL;
    code = strtol(status_text, &end, 10);
    if (*end == '\0' && end != status_text)
        return uspto_status(code);   /* USPTO's codes, in its own files and in ST.66/ST.96 */
    for (i = 0; status_text[i] != '\0' && i + 1 < sizeof(lower); i++)
        lower[i] = (char)tolower((unsigned char)status_text[i]);
    lower[i] = '\0';
    if (has_word(lower, dead))
        return "dead";
    if (strstr(lower, "published") != NULL && strstr(lower, "opposition pending") == NULL)
        return "pending";   /* "published for opposition": open to one, not opposed yet */
    if (strstr(lower, "opposition") != NULL || strstr(lower, "opposed") != NULL)
        return "opposed";
    if (has_word(lower, live))
        return "live";
    if (has_word(lower, pending))
        return "pending";
    return NULL;
}

/* --- pipelines ----------------------------------------------------------------------------- */

/* Commands sent in one round trip; every argument copied. */
struct pipe {
    int n, cap;
    int *argcs;
    const char ***argvs;
    int failed;
};

static void pipe_add(struct pipe *p, int argc, const char **argv)
{
    char **copy;
    int i;

    if (p->failed)
        return;
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 64;
        int *a = realloc(p->argcs, (size_t)cap * sizeof(*a));
        const char ***v;

        if (a == NULL) {
            p->failed = 1;
            return;
        }
        p->argcs = a;
        v = realloc(p->argvs, (size_t)cap * sizeof(*v));
        if (v == NULL) {
            p->failed = 1;
            return;
        }
        p->argvs = v;
        p->cap = cap;
    }
    copy = calloc((size_t)argc, sizeof(*copy));
    if (copy == NULL) {
        p->failed = 1;
        return;
    }
    for (i = 0; i < argc; i++)
        if ((copy[i] = strdup(argv[i])) == NULL)
            p->failed = 1;
    p->argcs[p->n] = argc;
    p->argvs[p->n] = (const char **)copy;
    p->n++;
}

#define PIPE(p, ...) do { const char *a_[] = { __VA_ARGS__ }; \
        pipe_add((p), (int)(sizeof(a_) / sizeof(a_[0])), a_); } while (0)

static void pipe_free(struct pipe *p)
{
    int i, j;

    for (i = 0; i < p->n; i++) {
        for (j = 0; j < p->argcs[i]; j++)
            free((char *)p->argvs[i][j]);
        free((void *)p->argvs[i]);
    }
    free(p->argcs);
    free(p->argvs);
    memset(p, 0, sizeof(*p));
}

/* Runs p; *rep gets p->n replies (caller frees each and the array). SW_OK, SW_EAGAIN, SW_ERR
 * (no memory, errstr says). */
static int pipe_run(struct sw_store *s, struct pipe *p, redisReply ***rep)
{
    *rep = NULL;
    if (p->failed) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
        return SW_ERR;
    }
    if (p->n == 0)
        return SW_OK;
    if ((*rep = calloc((size_t)p->n, sizeof(**rep))) == NULL) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
        return SW_ERR;
    }
    if (sw_store_pipeline(s, p->n, p->argcs, p->argvs, *rep) != SW_OK) {
        free(*rep);
        *rep = NULL;
        return SW_EAGAIN;
    }
    return SW_OK;
}

/* SW_ERR with the first error reply's text in errstr, else rc. */
static int replies_check(struct sw_store *s, redisReply **rep, int n, int rc)
{
    int i;

    for (i = 0; rc == SW_OK && rep != NULL && i < n; i++)
        if (rep[i] != NULL && rep[i]->type == REDIS_REPLY_ERROR) {
            sw_strlcpy(s->errstr, rep[i]->str, sizeof(s->errstr));
            return SW_ERR;
        }
    return rc;
}

static void replies_free(redisReply **rep, int n)
{
    int i;

    for (i = 0; rep != NULL && i < n; i++)
        if (rep[i] != NULL)
            freeReplyObject(rep[i]);
    free(rep);
}

/* A pipeline's EVALSHA of script that a node did not know (NOSCRIPT: SCRIPT LOAD went to
 * another node of a cluster, or the node restarted) is run again through sw_store_eval,
 * which loads it there; its reply replaces the refusal. SW_OK or SW_EAGAIN. */
static int evals_fix(struct sw_store *s, const struct pipe *p, redisReply **rep,
                     const char *script)
{
    int i, nkeys;

    for (i = 0; i < p->n; i++) {
        const char **a = p->argvs[i];
        redisReply *r;

        if (rep[i] == NULL || rep[i]->type != REDIS_REPLY_ERROR ||
            strncmp(rep[i]->str, "NOSCRIPT", 8) != 0 || p->argcs[i] < 3 ||
            strcmp(a[0], "EVALSHA") != 0)
            continue;
        nkeys = atoi(a[2]);
        if (nkeys < 0 || 3 + nkeys > p->argcs[i])
            continue;
        if ((r = sw_store_eval(s, script, nkeys, a + 3, p->argcs[i] - 3 - nkeys,
                               a + 3 + nkeys)) == NULL)
            return SW_EAGAIN;
        freeReplyObject(rep[i]);
        rep[i] = r;
    }
    return SW_OK;
}

/* --- keys ---------------------------------------------------------------------------------- */

/* Every key comes from seawall/keys.h. A party's name key (up to 255 bytes) and a docket (two
 * normalised parts up to 127 bytes each) fit a key (SW_KEY_BYTES, 320); should that shrink,
 * the index key is made from their first bytes, cut here the same way for every writer and
 * reader (never by snprintf's silent cut of the whole key). Parties under one cut key are
 * told apart by sw_party_same, as under any key; a docket that long cannot be followed (the
 * API takes 64 bytes), so sharing its set would harm nothing. */
static sw_key_t party_index(const char *key)
{
    char cut[SW_KEY_BYTES - 11];   /* the key's text before the name key takes 11 bytes */

    sw_strlcpy(cut, key, sizeof(cut));
    return swk_party_namekey(cut);
}

static sw_key_t docket_index(const char *court, const char *docket)
{
    char c[(SW_KEY_BYTES - 17) / 2], d[(SW_KEY_BYTES - 17) / 2];   /* 17: the key's own text */

    sw_strlcpy(c, court, sizeof(c));
    sw_strlcpy(d, docket, sizeof(d));
    return swk_docket_events(c, d);
}

/* The rid's bucket and its field. */
static void rid_bucket(long long rid, char *key, size_t n, char *field, size_t fn)
{
    sw_strlcpy(key, swk_reg_rid_bucket(rid / 1000).s, n);
    snprintf(field, fn, "%lld", rid % 1000);
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The event's number as the register files it: the serial (application) number, else the
 * registration number, with what is not a letter or digit left out. 0 when none fits. */
static int number_of(const json_t *ev, char *out, size_t n)
{
    const json_t *nums = json_object_get(ev, "numbers");
    const char *v = str(nums, "serial") ?: str(nums, "application") ?: str(nums, "registration");
    size_t i, j = 0;

    if (v == NULL)
        return 0;
    for (i = 0; v[i] != '\0' && j + 1 < n; i++)
        if (isalnum((unsigned char)v[i]))
            out[j++] = v[i];
    out[j] = '\0';
    return sw_register_number_valid(out) && v[i] == '\0';
}

static int is_mark_event(const char *type)
{
    return type != NULL &&
           (strcmp(type, "trademark_filing") == 0 || strcmp(type, "trademark_status") == 0);
}

static int is_case_event(const char *type)
{
    return type != NULL &&
           (strcmp(type, "litigation") == 0 || strcmp(type, "trade_investigation") == 0 ||
            strcmp(type, "customs_seizure") == 0 || strcmp(type, "show_incident") == 0);
}

/* The first ten characters of a date ("2024-09-24"), or "". */
static void day_of(const char *date, char *out)
{
    size_t n = date ? strlen(date) : 0;

    n = n > 10 ? 10 : n;
    memcpy(out, date ? date : "", n);
    out[n] = '\0';
}

/* --- a mark record from events -------------------------------------------------------------- */

static int history_has(const json_t *hist, const char *evid)
{
    const json_t *h;
    size_t i;

    json_array_foreach(hist, i, h)
        if (strcmp(str(h, "event") ?: "", evid) == 0)
            return 1;
    return 0;
}

/* Puts entry in hist by date (oldest first; an undated one last), dropping the oldest past
 * SW_REG_HISTORY_MAX. Steals entry. */
static void history_insert(json_t *hist, json_t *entry)
{
    const char *d = str(entry, "date") ?: "";
    size_t i = json_array_size(hist);

    while (i > 0 && d[0] != '\0') {
        const char *p = str(json_array_get(hist, i - 1), "date") ?: "";

        if (p[0] != '\0' && strcmp(p, d) <= 0)
            break;
        i--;
    }
    json_array_insert_new(hist, i, entry);
    while (json_array_size(hist) > SW_REG_HISTORY_MAX)
        json_array_remove(hist, 0);
}

static void set_if(json_t *o, const char *k, json_t *v, int overwrite)
{
    if (v == NULL)
        return;
    if (overwrite || json_object_get(o, k) == NULL)
        json_object_set(o, k, v);
}

/* The owners of a trademark event: its named applicants, owners and assignees. New array. */
static json_t *owners_of(const json_t *ev)
{
    json_t *out = json_array(), *p;
    size_t i;

    json_array_foreach(json_object_get(ev, "parties"), i, p) {
        const char *name = str(p, "name"), *role = str(p, "role") ?: "";

        if (name == NULL || name[0] == '\0' || strcmp(role, "complainant") == 0)
            continue;
        json_array_append_new(out, json_pack("{s:s, s:O?}", "name", name, "country",
                                             json_object_get(p, "country")));
    }
    return out;
}

/* Merges trademark event ev into doc (a new record is {}). Returns 1 when doc changed,
 * 0 when the event was there already. The latest event by date sets the status, the mark,
 * owners, classes and goods; an older one fills only what is missing. */
static int mark_merge(json_t *doc, const json_t *ev, const char *office, const char *number)
{
    const char *evid = str(ev, "id") ?: "", *text = str(json_object_get(ev, "numbers"), "status");
    const char *st = sw_register_status_of(office, text);
    json_t *hist = json_object_get(doc, "history"), *dates, *v, *owners;
    char day[16], sday[16], now[32];
    int latest;

    if (hist == NULL) {
        json_int_t seen = json_integer_value(json_object_get(ev, SW_REG_STREAM_MS));

        hist = json_array();
        json_object_set_new(doc, "history", hist);
        if (seen > 0)   /* a new record: when its first event entered the stream */
            json_object_set_new(doc, "seen", json_integer(seen));
    }
    if (evid[0] != '\0' && history_has(hist, evid))
        return 0;
    if (st == NULL && strcmp(str(ev, "type") ?: "", "trademark_filing") == 0)
        st = "pending";
    if (st == NULL && json_object_get(json_object_get(ev, "numbers"), "oppositions") != NULL)
        st = "opposed";
    if (json_array_size(json_object_get(json_object_get(ev, "numbers"), "oppositions")) > 0 &&
        st != NULL && strcmp(st, "pending") == 0)
        st = "opposed";
    day_of(str(ev, "date"), day);
    day_of(str(doc, "status_date"), sday);
    latest = str(doc, "status") == NULL || strcmp(day, sday) >= 0;
    json_object_set_new(doc, "office", json_string(office));
    json_object_set_new(doc, "number", json_string(number));
    history_insert(hist, json_pack("{s:s, s:s?, s:s?, s:s, s:s}", "date", day, "status", st,
                                   "status_text", text, "event", evid,
                                   "source", str(ev, "source") ?: ""));
    if (latest && st != NULL) {
        json_object_set_new(doc, "status", json_string(st));
        json_object_set_new(doc, "status_text", json_string(text ? text : st));
        json_object_set_new(doc, "status_date", json_string(day));
    }
    if ((v = json_array_get(json_object_get(ev, "marks"), 0)) != NULL)
        set_if(doc, "mark", v, latest);
    owners = owners_of(ev);
    if (json_array_size(owners) > 0)
        set_if(doc, "owners", owners, latest);
    else if (json_object_get(doc, "owners") == NULL)
        json_object_set_new(doc, "owners", json_array());
    json_decref(owners);
    if ((v = json_object_get(json_object_get(ev, "classes"), "nice")) != NULL &&
        json_array_size(v) > 0)
        set_if(doc, "classes", v, latest);
    else if (json_object_get(doc, "classes") == NULL)
        json_object_set_new(doc, "classes", json_array());
    set_if(doc, "goods", json_object_get(ev, "goods"), latest);
    set_if(doc, "url", json_object_get(ev, "url"), latest);
    if ((dates = json_object_get(doc, "dates")) == NULL) {
        dates = json_object();
        json_object_set_new(doc, "dates", dates);
    }
    {
        static const char *const which[][2] = { { "filed", "filed" },
                                                { "published", "published" },
                                                { "registered", "registered" },
                                                { "expires", "expires" } };
        size_t i;

        for (i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
            const char *d = str(ev, which[i][0]);
            char dd[16];

            if (d == NULL || d[0] == '\0')
                continue;
            day_of(d, dd);
            if (latest || json_object_get(dates, which[i][1]) == NULL)
                json_object_set_new(dates, which[i][1], json_string(dd));
        }
    }
    json_object_set_new(doc, "updated", json_string(sw_iso8601(sw_now_ms(), now, sizeof(now))));
    return 1;
}

/* --- the writer ---------------------------------------------------------------------------- */

struct sw_reg_writer {
    struct sw_store *s;
    sw_reg_change_fn on_change;
    sw_reg_docket_fn on_docket;
    void *ud;
    json_t *queue;          /* events waiting */
    json_t *parties;        /* name -> party id, this writer's cache */
    long long events, marks;
};

struct sw_reg_writer *sw_register_writer_new(struct sw_store *s, sw_reg_change_fn on_change,
                                             sw_reg_docket_fn on_docket, void *ud)
{
    struct sw_reg_writer *w = calloc(1, sizeof(*w));

    if (w == NULL)
        return NULL;
    w->s = s;
    w->on_change = on_change;
    w->on_docket = on_docket;
    w->ud = ud;
    w->queue = json_array();
    w->parties = json_object();
    if (w->queue == NULL || w->parties == NULL) {
        sw_register_writer_free(w);
        return NULL;
    }
    return w;
}

void sw_register_writer_free(struct sw_reg_writer *w)
{
    if (w == NULL)
        return;
    json_decref(w->queue);
    json_decref(w->parties);
    free(w);
}

void sw_register_counts(const struct sw_reg_writer *w, long long *events, long long *marks)
{
    *events = w->events;
    *marks = w->marks;
}

int sw_register_add(struct sw_reg_writer *w, json_t *ev)
{
    const char *type = str(ev, "type");

    if (!is_mark_event(type) && !is_case_event(type))
        return SW_OK;
    json_array_append(w->queue, ev);
    w->events++;
    return json_array_size(w->queue) >= SW_REG_BATCH ? sw_register_flush(w) : SW_OK;
}

/* One record being written in a batch. */
struct mrec {
    char office[8];
    char number[SW_REG_NUMBER_MAX + 1];
    char key[96];
    char *old;              /* the stored text, NULL when new */
    json_t *doc;
    json_t *evs;            /* events merged into it, in order (borrowed from the queue) */
    char old_status[16], old_text[128];
    int created;            /* new before this batch's write (or the unannounced one's) */
    int pending;            /* the store holds a marker: a write of it not yet announced */
    int changed;
    int written;            /* stored, or nothing to store */
    int announce;           /* step c to do: written, or found written but unannounced */
};

/* Compare-and-set of one record, leaving the marker of a change not yet announced. KEYS: the
 * record, the office's numbers, the office's unannounced hash (one slot: {reg:OFFICE}). ARGV:
 * "0" (must be new) or "1" (must still be ARGV[2]), the stored text, the new text, the
 * number, the marker (what the record was; an older marker is kept). 1 written, 0 changed
 * meanwhile. */
static const char cas_lua[] =
    "local cur = redis.call('GET', KEYS[1])\n"
    "if ARGV[1] == '0' then if cur then return 0 end\n"
    "elseif cur ~= ARGV[2] then return 0 end\n"
    "redis.call('SET', KEYS[1], ARGV[3])\n"
    "redis.call('SADD', KEYS[2], ARGV[4])\n"
    "redis.call('HSETNX', KEYS[3], ARGV[4], ARGV[5])\n"
    "return 1\n";

static void mrecs_free(struct mrec *m, size_t n)
{
    size_t i;

    for (i = 0; m != NULL && i < n; i++) {
        free(m[i].old);
        json_decref(m[i].doc);
        json_decref(m[i].evs);
    }
    free(m);
}

static int no_memory(struct sw_store *s)
{
    sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
    return SW_ERR;
}

/* Step 1: reads each record not yet written and its marker, and merges its events. A record
 * the events leave as it was is done, unless a marker says its last write was never
 * announced: then it is announced now (step c). */
static int marks_read(struct sw_reg_writer *w, struct mrec *m, size_t n)
{
    struct sw_store *s = w->s;
    struct pipe p = { 0 };
    redisReply **rep = NULL;
    size_t i, j, k;
    json_t *ev;
    int rc;

    for (i = 0; i < n; i++)
        if (!m[i].written) {
            sw_key_t un = swk_reg_unannounced(m[i].office);

            PIPE(&p, "GET", m[i].key);
            PIPE(&p, "HGET", un.s, m[i].number);
        }
    rc = pipe_run(s, &p, &rep);
    for (i = 0, j = 0; rc == SW_OK && i < n; i++) {
        redisReply *r, *mk;
        json_t *marker;

        if (m[i].written)
            continue;
        r = rep[j++];
        mk = rep[j++];
        free(m[i].old);
        m[i].old = NULL;
        json_decref(m[i].doc);
        m[i].doc = NULL;
        m[i].old_status[0] = m[i].old_text[0] = '\0';
        m[i].pending = 0;
        if (r->type == REDIS_REPLY_STRING) {
            m[i].old = strdup(r->str);
            m[i].doc = json_loadb(r->str, r->len, 0, NULL);
            if (m[i].doc == NULL) {
                sw_warn("register: %s is not JSON; it is made again", m[i].key);
                m[i].doc = json_object();
            }
            sw_strlcpy(m[i].old_status, str(m[i].doc, "status") ?: "", sizeof(m[i].old_status));
            sw_strlcpy(m[i].old_text, str(m[i].doc, "status_text") ?: "", sizeof(m[i].old_text));
            m[i].created = 0;
        } else if (r->type == REDIS_REPLY_NIL) {
            m[i].doc = json_object();
            m[i].created = 1;
        } else {
            r = r->type == REDIS_REPLY_ERROR ? r : mk;
            sw_strlcpy(s->errstr, r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply",
                       sizeof(s->errstr));
            rc = SW_ERR;
            break;
        }
        if (m[i].doc == NULL || (r->type == REDIS_REPLY_STRING && m[i].old == NULL)) {
            rc = no_memory(s);
            break;
        }
        if (mk->type == REDIS_REPLY_STRING &&
            (marker = json_loadb(mk->str, mk->len, 0, NULL)) != NULL) {
            /* what the record was before the write that was not announced */
            m[i].pending = 1;
            m[i].created = json_is_true(json_object_get(marker, "created"));
            sw_strlcpy(m[i].old_status, str(marker, "status") ?: "", sizeof(m[i].old_status));
            sw_strlcpy(m[i].old_text, str(marker, "text") ?: "", sizeof(m[i].old_text));
            json_decref(marker);
        }
        m[i].changed = 0;
        json_array_foreach(m[i].evs, k, ev)
            m[i].changed |= mark_merge(m[i].doc, ev, m[i].office, m[i].number);
        if (!m[i].changed) {
            m[i].written = 1;   /* nothing new: nothing to write */
            m[i].announce = m[i].pending;
        }
    }
    replies_free(rep, p.n);
    pipe_free(&p);
    return rc;
}

/* Step a: new rids from the counter, then the index entries readers look records up by (the
 * office in the offices set, each new rid's bucket entry), before the records exist. */
static int marks_index(struct sw_reg_writer *w, struct mrec *m, size_t n)
{
    struct sw_store *s = w->s;
    sw_key_t offices = swk_reg_offices();
    struct pipe p = { 0 };
    redisReply **rep = NULL;
    long long newids = 0, first = 0;
    size_t i, j;
    int rc;

    for (i = 0; i < n; i++)
        if (!m[i].written && (m[i].old == NULL ||
                              json_integer_value(json_object_get(m[i].doc, "rid")) <= 0))
            newids++;
    if (newids > 0) {
        sw_key_t counter = swk_reg_rid_counter();
        char by[24];
        redisReply *r;

        snprintf(by, sizeof(by), "%lld", newids);
        if ((r = sw_store_cmd(s, "INCRBY", counter.s, by, NULL)) == NULL)
            return SW_EAGAIN;
        first = sw_reply_int(r, 0) - newids + 1;
        freeReplyObject(r);
        if (first <= 0) {
            sw_strlcpy(s->errstr, "INCRBY of the record ids failed", sizeof(s->errstr));
            return SW_ERR;
        }
    }
    for (i = 0; i < n; i++) {
        if (m[i].written)
            continue;
        for (j = 0; j < i; j++)
            if (!m[j].written && strcmp(m[j].office, m[i].office) == 0)
                break;
        if (j == i)
            PIPE(&p, "SADD", offices.s, m[i].office);
        if (m[i].old == NULL || json_integer_value(json_object_get(m[i].doc, "rid")) <= 0) {
            char bkey[48], field[16], where[64];

            json_object_set_new(m[i].doc, "rid", json_integer(first));
            rid_bucket(first++, bkey, sizeof(bkey), field, sizeof(field));
            snprintf(where, sizeof(where), "%s:%s", m[i].office, m[i].number);
            PIPE(&p, "HSET", bkey, field, where);
        }
    }
    rc = pipe_run(s, &p, &rep);
    rc = replies_check(s, rep, p.n, rc);
    replies_free(rep, p.n);
    pipe_free(&p);
    return rc;
}

/* Step b: each changed record by compare-and-set (with its marker); one that another writer
 * changed meanwhile stays unwritten, for the next round. */
static int marks_store(struct sw_reg_writer *w, struct mrec *m, size_t n)
{
    struct sw_store *s = w->s;
    struct pipe c = { 0 };
    redisReply **cr = NULL, *r;
    char sha[48] = "";
    size_t i, k, nw = 0, *which = calloc(n ? n : 1, sizeof(*which));
    int rc = SW_OK;

    if (which == NULL)
        return no_memory(s);
    if ((r = sw_store_cmd(s, "SCRIPT", "LOAD", cas_lua, NULL)) == NULL) {
        free(which);
        return SW_EAGAIN;
    }
    sw_strlcpy(sha, sw_reply_str(r) ?: "", sizeof(sha));
    freeReplyObject(r);
    for (i = 0; i < n && rc == SW_OK; i++) {
        sw_key_t tms, un;
        json_t *mk;
        char *text, *mtext;

        if (m[i].written)
            continue;
        tms = swk_reg_numbers(m[i].office);
        un = swk_reg_unannounced(m[i].office);
        mk = json_pack("{s:b, s:s, s:s}", "created", m[i].created, "status", m[i].old_status,
                       "text", m[i].old_text);
        mtext = mk ? json_dumps(mk, JSON_COMPACT) : NULL;
        text = json_dumps(m[i].doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(mk);
        if (text == NULL || mtext == NULL)
            rc = no_memory(s);
        else
            PIPE(&c, "EVALSHA", sha, "3", m[i].key, tms.s, un.s, m[i].old ? "1" : "0",
                 m[i].old ? m[i].old : "", text, m[i].number, mtext);
        free(text);
        free(mtext);
        which[nw++] = i;
    }
    if (rc == SW_OK)
        rc = pipe_run(s, &c, &cr);
    if (rc == SW_OK)
        rc = evals_fix(s, &c, cr, cas_lua);
    rc = replies_check(s, cr, c.n, rc);
    for (k = 0; rc == SW_OK && k < nw; k++)
        if (cr[k]->type == REDIS_REPLY_INTEGER && cr[k]->integer == 1) {
            m[which[k]].written = 1;
            m[which[k]].announce = 1;
            w->marks++;
        }   /* else changed meanwhile: read again in the next round */
    replies_free(cr, c.n);
    pipe_free(&c);
    free(which);
    return rc;
}

/* Step c: each written record's change on the changes stream (its shard by office and
 * number), its followers told, and only then its marker removed. A record whose followers
 * could not be told (on_change's SW_EAGAIN) keeps its marker, and the flush fails with
 * SW_EAGAIN: written again, its events find the marker and do step c again. */
static int marks_announce(struct sw_reg_writer *w, struct mrec *m, size_t n)
{
    struct sw_store *s = w->s;
    struct pipe p = { 0 }, d = { 0 };
    redisReply **rep = NULL;
    size_t i, untold = 0;
    char max[24];
    int rc;

    snprintf(max, sizeof(max), "%lld", CHANGES_MAXLEN / sw_stream_shards(s));
    for (i = 0; i < n; i++) {
        char rid[24], route[64];
        sw_key_t key;

        if (!m[i].announce)
            continue;
        snprintf(rid, sizeof(rid), "%lld", json_integer_value(json_object_get(m[i].doc, "rid")));
        snprintf(route, sizeof(route), "%s:%s", m[i].office, m[i].number);
        key = sw_stream_key(SW_REG_CHANGES, sw_stream_shard_of(s, route, strlen(route)));
        PIPE(&p, "XADD", key.s, "MAXLEN", "~", max, "*", "office", m[i].office,
             "number", m[i].number, "rid", rid);
    }
    if (p.n == 0)
        return SW_OK;
    rc = pipe_run(s, &p, &rep);
    rc = replies_check(s, rep, p.n, rc);
    replies_free(rep, p.n);
    pipe_free(&p);
    if (rc != SW_OK)
        return rc;
    for (i = 0; i < n; i++) {
        struct sw_reg_change ch;
        sw_key_t un;

        if (!m[i].announce)
            continue;
        un = swk_reg_unannounced(m[i].office);
        if (w->on_change == NULL) {
            PIPE(&d, "HDEL", un.s, m[i].number);
            continue;
        }
        memset(&ch, 0, sizeof(ch));
        sw_strlcpy(ch.office, m[i].office, sizeof(ch.office));
        sw_strlcpy(ch.number, m[i].number, sizeof(ch.number));
        ch.rid = json_integer_value(json_object_get(m[i].doc, "rid"));
        ch.created = m[i].created;
        sw_strlcpy(ch.old_status, m[i].old_status, sizeof(ch.old_status));
        sw_strlcpy(ch.new_status, str(m[i].doc, "status") ?: "", sizeof(ch.new_status));
        sw_strlcpy(ch.status_text, str(m[i].doc, "status_text") ?: "", sizeof(ch.status_text));
        ch.event = json_array_get(m[i].evs, json_array_size(m[i].evs) - 1);
        if (strcmp(m[i].old_status, ch.new_status) != 0 ||
            strcmp(m[i].old_text, ch.status_text) != 0) {
            int told = w->on_change(w->ud, &ch);

            if (told == SW_EAGAIN) {   /* the marker stays: told again when written again */
                sw_warn("register: the followers of %s %s not told (%s); the events are "
                        "read again", m[i].office, m[i].number, s->errstr);
                untold++;
                continue;
            }
            if (told != SW_OK)
                sw_warn("register: telling the followers of %s %s failed (%s)", m[i].office,
                        m[i].number, s->errstr);
        }
        PIPE(&d, "HDEL", un.s, m[i].number);
    }
    rc = pipe_run(s, &d, &rep);
    rc = replies_check(s, rep, d.n, rc);
    replies_free(rep, d.n);
    pipe_free(&d);
    for (i = 0; rc == SW_OK && i < n; i++)
        m[i].announce = 0;
    if (rc == SW_OK && untold > 0) {
        snprintf(s->errstr, sizeof(s->errstr), "the followers of %zu record%s not told",
                 untold, untold == 1 ? "" : "s");
        rc = SW_EAGAIN;
    }
    return rc;
}

/* Writes the mark events of the queue in single-slot steps (no script touches more than one
 * record's slot, {reg:OFFICE}):
 *   1. read each record and its marker, merge the events (marks_read);
 *   a. new rids, and the index entries readers look records up by: the office set, the rid
 *      buckets (marks_index; readers skip a bucket entry whose record is missing or has
 *      another rid);
 *   b. each changed record by compare-and-set, leaving a marker of what it was in
 *      sw:{reg:OFFICE}:unannounced (marks_store); a record another writer changed meanwhile
 *      is read and merged again, up to five rounds;
 *   c. the change appended to the changes stream, the followers told, the marker removed
 *      (marks_announce).
 * A crash between b and c leaves the marker: the same events read again (the register
 * worker's unacknowledged entry, an import run again) change nothing in the record but find
 * the marker and do step c then. A crash inside c announces a change twice at worst (the
 * screener re-reads the record; followed alerts are idempotent). A crash after a leaves an
 * unused rid bucket entry or office, which readers skip. */
static int flush_marks(struct sw_reg_writer *w)
{
    struct sw_store *s = w->s;
    size_t i, j, n = 0, nq = json_array_size(w->queue);
    struct mrec *m = calloc(nq ? nq : 1, sizeof(*m));
    json_t *ev;
    int rc = SW_OK, round;

    if (m == NULL)
        return no_memory(s);
    json_array_foreach(w->queue, i, ev) {
        const char *office = str(ev, "jurisdiction");
        char number[SW_REG_NUMBER_MAX + 1];

        if (!is_mark_event(str(ev, "type")))
            continue;
        if (!sw_register_office_valid(office) || !number_of(ev, number, sizeof(number))) {
            sw_debug("event %s: no office or number the register can file it under",
                     str(ev, "id") ?: "?");
            continue;
        }
        for (j = 0; j < n; j++)
            if (strcmp(m[j].office, office) == 0 && strcmp(m[j].number, number) == 0)
                break;
        if (j == n) {
            sw_strlcpy(m[n].office, office, sizeof(m[n].office));
            sw_strlcpy(m[n].number, number, sizeof(m[n].number));
            sw_strlcpy(m[n].key, swk_reg_mark(office, number).s, sizeof(m[n].key));
            m[n].evs = json_array();
            n++;
        }
        json_array_append(m[j].evs, ev);
    }
    for (round = 0; round < 5 && rc == SW_OK; round++) {
        size_t unwritten = 0;

        for (i = 0; i < n; i++)
            unwritten += !m[i].written;
        if (unwritten == 0)
            break;
        rc = marks_read(w, m, n);
        rc = rc ?: marks_index(w, m, n);
        rc = rc ?: marks_store(w, m, n);
        rc = rc ?: marks_announce(w, m, n);
    }
    for (i = 0; rc == SW_OK && i < n; i++)
        if (!m[i].written) {
            snprintf(s->errstr, sizeof(s->errstr), "%s kept changing; not written", m[i].key);
            rc = SW_EAGAIN;
        }
    mrecs_free(m, n);
    return rc;
}

/* --- parties ------------------------------------------------------------------------------- */

/* One party named in the batch and what to file under it. */
struct pname {
    const char *name;          /* borrowed from the queue's events */
    char key[SW_KEY_MAX];
    long long id;
};

/* Appends to q the party's record, written only when it is missing (SET NX). SW_OK or SW_ERR
 * (no memory). */
static int party_doc(struct sw_store *s, struct pipe *q, long long id, const char *key,
                     const char *name)
{
    sw_key_t doc = swk_party_doc(id);
    json_t *d = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "key", key, "name", name);
    char *text = d ? json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

    json_decref(d);
    if (text == NULL)
        return no_memory(s);
    PIPE(q, "SET", doc.s, text, "NX");
    free(text);
    return SW_OK;
}

/* Finds the id of each name (cache, then the key's parties, else a new party), in
 * single-slot steps: a. a new party's entry in its name key's index sw:{pty}:k:KEY, b. then
 * its record sw:{pty:ID}:doc (SET NX). A crash between a and b leaves an index entry without
 * a record: readers skip it (no summary, 404), and the next writer that meets the name finds
 * the id in the index and writes the missing record (every party found in an index gets its
 * record written with NX, which changes nothing when it is there). */
static int resolve_parties(struct sw_reg_writer *w, struct pname *pn, size_t n)
{
    struct sw_store *s = w->s;
    struct pipe p = { 0 }, idx = { 0 }, docs = { 0 };
    redisReply **rep = NULL;
    size_t i, j, k, fresh = 0;
    int rc;

    if (json_object_size(w->parties) > PARTY_CACHE_MAX)
        json_object_clear(w->parties);
    for (i = 0; i < n; i++) {
        pn[i].id = json_integer_value(json_object_get(w->parties, pn[i].name));
        if (pn[i].id == 0) {
            sw_key_t nk = party_index(pn[i].key);

            PIPE(&p, "HGETALL", nk.s);
        }
    }
    rc = pipe_run(s, &p, &rep);
    for (i = 0, j = 0; rc == SW_OK && i < n; i++) {
        const redisReply *r;

        if (pn[i].id != 0)
            continue;
        r = rep[j++];
        for (k = 0; r->type == REDIS_REPLY_ARRAY && k + 1 < r->elements; k += 2) {
            const char *nm = r->element[k + 1]->str;

            if (nm != NULL && (strcmp(nm, pn[i].name) == 0 || sw_party_same(nm, pn[i].name, NULL))) {
                pn[i].id = strtoll(r->element[k]->str, NULL, 10);
                if (pn[i].id > 0)
                    rc = party_doc(s, &docs, pn[i].id, pn[i].key, nm);
                break;
            }
        }
        /* a name met twice in this batch and new to the register is one party */
        for (k = 0; pn[i].id == 0 && k < i; k++)
            if (pn[k].id < 0 && strcmp(pn[k].key, pn[i].key) == 0 &&
                (strcmp(pn[k].name, pn[i].name) == 0 || sw_party_same(pn[k].name, pn[i].name,
                                                                       NULL)))
                pn[i].id = pn[k].id;
        if (pn[i].id == 0)
            pn[i].id = -(long long)(++fresh);   /* numbered below */
    }
    replies_free(rep, p.n);
    pipe_free(&p);
    if (rc == SW_OK && fresh > 0) {
        sw_key_t counter = swk_party_counter();
        char by[24];
        redisReply *r;
        long long first;

        snprintf(by, sizeof(by), "%zu", fresh);
        if ((r = sw_store_cmd(s, "INCRBY", counter.s, by, NULL)) == NULL) {
            pipe_free(&docs);
            return SW_EAGAIN;
        }
        first = sw_reply_int(r, 0) - (long long)fresh + 1;
        freeReplyObject(r);
        for (i = 0; i < n && rc == SW_OK; i++) {
            sw_key_t nk;
            char ids[24];
            long long id;

            if (pn[i].id >= 0)
                continue;
            id = first + (-pn[i].id) - 1;
            for (k = i + 1; k < n; k++)
                if (pn[k].id == pn[i].id)
                    pn[k].id = id;
            pn[i].id = id;
            nk = party_index(pn[i].key);
            snprintf(ids, sizeof(ids), "%lld", id);
            PIPE(&idx, "HSET", nk.s, ids, pn[i].name);
            rc = party_doc(s, &docs, id, pn[i].key, pn[i].name);
        }
        if (rc == SW_OK) {   /* a. the index entries */
            rc = pipe_run(s, &idx, &rep);
            rc = replies_check(s, rep, idx.n, rc);
            replies_free(rep, idx.n);
        }
    }
    if (rc == SW_OK) {       /* b. the records */
        rc = pipe_run(s, &docs, &rep);
        rc = replies_check(s, rep, docs.n, rc);
        replies_free(rep, docs.n);
    }
    pipe_free(&idx);
    pipe_free(&docs);
    for (i = 0; rc == SW_OK && i < n; i++)
        if (pn[i].id > 0)
            json_object_set_new(w->parties, pn[i].name, json_integer(pn[i].id));
    return rc;
}

static int brings(const char *role)
{
    return strcmp(role, "plaintiff") == 0 || strcmp(role, "complainant") == 0 ||
           strcmp(role, "petitioner") == 0;
}

/* The case an event is about, as a party's case key: court and docket, else the event's own
 * case or investigation number, else the event. */
static void case_key(const json_t *ev, char *out, size_t n)
{
    const json_t *nums = json_object_get(ev, "numbers");
    const char *court = str(nums, "court") ?: "", *docket = str(nums, "docket");
    const char *other = str(nums, "investigation") ?: str(nums, "case");

    if (docket != NULL)
        snprintf(out, n, "%s:%s:%s", str(ev, "type") ?: "", court, docket);
    else if (other != NULL)
        snprintf(out, n, "%s:%s", str(ev, "type") ?: "", other);
    else
        snprintf(out, n, "%s:%s", str(ev, "type") ?: "", str(ev, "id") ?: "");
}

void sw_register_docket_norm(const char *in, char *out, size_t n)
{
    size_t i, j = 0;

    for (i = 0; in != NULL && in[i] != '\0' && j + 1 < n; i++)
        if (!isspace((unsigned char)in[i]))
            out[j++] = (char)tolower((unsigned char)in[i]);
    out[j] = '\0';
}

/* A party's case, once, while it has fewer than ARGV[3]; one it brought (ARGV[4] "1") is
 * counted in its plaintiff set too. KEYS: cases, plaintiff. ARGV: case key, case JSON, max,
 * brought. */
static const char case_lua[] =
    "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end\n"
    "if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end\n"
    "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
    "if ARGV[4] == '1' then redis.call('SADD', KEYS[2], ARGV[1]) end\n"
    "return 1\n";

static int flush_parties(struct sw_reg_writer *w)
{
    struct sw_store *s = w->s;
    char sha[48], max[16];
    size_t i, j, n = 0, cap = 0;
    struct pname *pn = NULL;
    json_t *ev, *p;
    struct pipe q = { 0 };
    redisReply **qr = NULL;
    int rc;

    /* every named party of the batch */
    json_array_foreach(w->queue, i, ev) {
        const char *type = str(ev, "type");

        if (!is_case_event(type) && !is_mark_event(type))
            continue;
        json_array_foreach(json_object_get(ev, "parties"), j, p) {
            const char *name = str(p, "name");

            if (name == NULL || name[0] == '\0')
                continue;
            if (n == cap) {
                struct pname *x = realloc(pn, (cap = cap ? cap * 2 : 64) * sizeof(*pn));

                if (x == NULL) {
                    free(pn);
                    sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
                    return SW_ERR;
                }
                pn = x;
            }
            pn[n].name = name;
            pn[n].id = 0;
            if (sw_party_key(name, pn[n].key, sizeof(pn[n].key)) != SW_OK)
                continue;
            n++;
        }
    }
    if (n == 0) {
        free(pn);
        return SW_OK;
    }
    if ((rc = resolve_parties(w, pn, n)) != SW_OK) {
        free(pn);
        return rc;
    }
    {
        redisReply *r = sw_store_cmd(s, "SCRIPT", "LOAD", case_lua, NULL);

        if (r == NULL) {
            free(pn);
            return SW_EAGAIN;
        }
        sw_strlcpy(sha, sw_reply_str(r) ?: "", sizeof(sha));
        freeReplyObject(r);
    }
    snprintf(max, sizeof(max), "%d", SW_REG_CASES_MAX);
    /* then what each is filed with, in the same order */
    n = 0;
    json_array_foreach(w->queue, i, ev) {
        const char *type = str(ev, "type");
        int mark = is_mark_event(type);
        char ckey[512], number[SW_REG_NUMBER_MAX + 1];

        if (!is_case_event(type) && !mark)
            continue;
        if (mark && (!sw_register_office_valid(str(ev, "jurisdiction")) ||
                     !number_of(ev, number, sizeof(number))))
            number[0] = '\0';
        case_key(ev, ckey, sizeof(ckey));
        json_array_foreach(json_object_get(ev, "parties"), j, p) {
            const char *name = str(p, "name"), *role = str(p, "role") ?: "";
            char k[SW_KEY_MAX], key[64], pkey[64], ids[24];
            long long id;

            if (name == NULL || name[0] == '\0' || sw_party_key(name, k, sizeof(k)) != SW_OK)
                continue;
            id = pn[n++].id;
            if (id <= 0)
                continue;
            snprintf(ids, sizeof(ids), "%lld", id);
            sw_strlcpy(key, swk_party_names(id).s, sizeof(key));
            PIPE(&q, "SADD", key, name);
            if (mark) {
                char where[64];

                if (number[0] == '\0' || strcmp(role, "complainant") == 0)
                    continue;
                snprintf(where, sizeof(where), "%s:%s", str(ev, "jurisdiction"), number);
                sw_strlcpy(key, swk_party_marks(id).s, sizeof(key));
                PIPE(&q, "SADD", key, where);
            } else {
                const json_t *nums = json_object_get(ev, "numbers");
                json_t *c = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:s?}",
                                      "type", type, "title",
                                      str(ev, "case_name") ?: str(ev, "title") ?: "",
                                      "date", str(ev, "date"), "court", str(nums, "court"),
                                      "docket", str(nums, "docket"), "role", role,
                                      "counsel", str(p, "counsel"), "url", str(ev, "url"),
                                      "jurisdiction", str(ev, "jurisdiction"));
                char *text = c ? json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

                json_decref(c);
                if (text == NULL)
                    continue;
                sw_strlcpy(key, swk_party_cases(id).s, sizeof(key));
                sw_strlcpy(pkey, swk_party_plaintiff(id).s, sizeof(pkey));
                PIPE(&q, "EVALSHA", sha, "2", key, pkey, ckey, text, max,
                     brings(role) ? "1" : "0");
                free(text);
            }
        }
    }
    free(pn);
    rc = pipe_run(s, &q, &qr);
    if (rc == SW_OK)
        rc = evals_fix(s, &q, qr, case_lua);
    rc = replies_check(s, qr, q.n, rc);
    replies_free(qr, q.n);
    pipe_free(&q);
    return rc;
}

/* New entries on dockets: each litigation event's id added to its docket's set; those that
 * were not there go to on_docket. */
static int flush_dockets(struct sw_reg_writer *w)
{
    struct pipe q = { 0 };
    redisReply **qr = NULL;
    json_t *ev;
    size_t i, j;
    int rc;

    json_array_foreach(w->queue, i, ev) {
        const json_t *nums = json_object_get(ev, "numbers");
        char court[128], docket[128], key[300];

        if (!is_case_event(str(ev, "type")) || str(nums, "docket") == NULL || !str(ev, "id"))
            continue;
        sw_register_docket_norm(str(nums, "court"), court, sizeof(court));
        sw_register_docket_norm(str(nums, "docket"), docket, sizeof(docket));
        sw_strlcpy(key, docket_index(court, docket).s, sizeof(key));
        PIPE(&q, "SADD", key, str(ev, "id"));
    }
    rc = pipe_run(w->s, &q, &qr);
    rc = replies_check(w->s, qr, q.n, rc);
    for (i = 0, j = 0; rc == SW_OK && w->on_docket != NULL && i < json_array_size(w->queue);
         i++) {
        const json_t *nums;
        struct sw_reg_docket d;

        ev = json_array_get(w->queue, i);
        nums = json_object_get(ev, "numbers");
        if (!is_case_event(str(ev, "type")) || str(nums, "docket") == NULL || !str(ev, "id"))
            continue;
        if (sw_reply_int(qr[j++], 0) != 1)
            continue;
        d.court = str(nums, "court") ?: "";
        d.docket = str(nums, "docket");
        d.event = ev;
        w->on_docket(w->ud, &d);
    }
    replies_free(qr, q.n);
    pipe_free(&q);
    return rc;
}

int sw_register_flush(struct sw_reg_writer *w)
{
    int rc;

    if (json_array_size(w->queue) == 0)
        return SW_OK;
    rc = flush_marks(w);
    rc = rc ?: flush_parties(w);
    rc = rc ?: flush_dockets(w);
    if (rc == SW_OK)
        json_array_clear(w->queue);
    return rc;
}

int sw_register_apply(struct sw_store *s, const json_t *ev, sw_reg_change_fn on_change,
                      sw_reg_docket_fn on_docket, void *ud)
{
    struct sw_reg_writer *w = sw_register_writer_new(s, on_change, on_docket, ud);
    int rc;

    if (w == NULL) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
        return SW_ERR;
    }
    rc = sw_register_add(w, (json_t *)ev);
    rc = rc ?: sw_register_flush(w);
    sw_register_writer_free(w);
    return rc;
}

/* Appends v (a string, or nothing when NULL) to list unless it is there already or list holds
 * max strings. */
static void add_once(json_t *list, const char *v, size_t max)
{
    size_t k;
    json_t *x;

    if (v == NULL || json_array_size(list) >= max)
        return;
    json_array_foreach(list, k, x)
        if (strcmp(json_string_value(x), v) == 0)
            return;
    json_array_append_new(list, json_string(v));
}

/* --- readers ------------------------------------------------------------------------------- */

static int get_json(struct sw_store *s, const char *key, json_t **out)
{
    redisReply *r = sw_store_cmd(s, "GET", key, NULL);
    int rc = SW_NOTFOUND;

    *out = NULL;
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_STRING && (*out = json_loadb(r->str, r->len, 0, NULL)) != NULL)
        rc = SW_OK;
    freeReplyObject(r);
    return rc;
}

int sw_register_mark_get(struct sw_store *s, const char *office, const char *number,
                         json_t **out)
{
    char key[96];

    *out = NULL;
    if (!sw_register_office_valid(office) || !sw_register_number_valid(number))
        return SW_NOTFOUND;
    sw_strlcpy(key, swk_reg_mark(office, number).s, sizeof(key));
    return get_json(s, key, out);
}

int sw_register_mark_by_rid(struct sw_store *s, long long rid, json_t **out)
{
    char key[48], field[16], office[8], number[SW_REG_NUMBER_MAX + 1];
    const char *v, *colon;
    redisReply *r;
    int rc;

    *out = NULL;
    if (rid <= 0)
        return SW_NOTFOUND;
    rid_bucket(rid, key, sizeof(key), field, sizeof(field));
    if ((r = sw_store_cmd(s, "HGET", key, field, NULL)) == NULL)
        return SW_EAGAIN;
    v = sw_reply_str(r);
    if (v == NULL || (colon = strchr(v, ':')) == NULL || colon - v >= (long)sizeof(office)) {
        freeReplyObject(r);
        return SW_NOTFOUND;
    }
    memcpy(office, v, (size_t)(colon - v));
    office[colon - v] = '\0';
    sw_strlcpy(number, colon + 1, sizeof(number));
    freeReplyObject(r);
    rc = sw_register_mark_get(s, office, number, out);
    if (rc == SW_OK && json_integer_value(json_object_get(*out, "rid")) != rid) {
        /* a bucket entry written before its record, which then got another rid (or was
         * never written): not this rid's record */
        json_decref(*out);
        *out = NULL;
        rc = SW_NOTFOUND;
    }
    return rc;
}

int sw_register_party_find(struct sw_store *s, const char *name, long long *id)
{
    char k[SW_KEY_MAX], key[SW_KEY_MAX + 16];
    redisReply *r;
    size_t i;
    int rc = SW_NOTFOUND;

    *id = 0;
    if (name == NULL || sw_party_key(name, k, sizeof(k)) != SW_OK)
        return SW_NOTFOUND;
    sw_strlcpy(key, party_index(k).s, sizeof(key));
    if ((r = sw_store_cmd(s, "HGETALL", key, NULL)) == NULL)
        return SW_EAGAIN;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        const char *nm = r->element[i + 1]->str;

        if (nm != NULL && (strcmp(nm, name) == 0 || sw_party_same(nm, name, NULL))) {
            *id = strtoll(r->element[i]->str, NULL, 10);
            rc = SW_OK;
            break;
        }
    }
    freeReplyObject(r);
    return rc;
}

int sw_register_party_summary_id(struct sw_store *s, long long id, json_t **out)
{
    char doc[48], cases[48], pl[48];
    const char *a1[] = { "GET", doc }, *a2[] = { "HLEN", cases }, *a3[] = { "SCARD", pl };
    const char **argvs[] = { a1, a2, a3 };
    int argcs[] = { 2, 2, 2 };
    redisReply *rep[3];
    json_t *d;
    long long n, np;

    *out = NULL;
    sw_strlcpy(doc, swk_party_doc(id).s, sizeof(doc));
    sw_strlcpy(cases, swk_party_cases(id).s, sizeof(cases));
    sw_strlcpy(pl, swk_party_plaintiff(id).s, sizeof(pl));
    if (sw_store_pipeline(s, 3, argcs, argvs, rep) != SW_OK)
        return SW_EAGAIN;
    d = rep[0]->type == REDIS_REPLY_STRING ? json_loadb(rep[0]->str, rep[0]->len, 0, NULL)
                                           : NULL;
    n = sw_reply_int(rep[1], 0);
    np = sw_reply_int(rep[2], 0);
    freeReplyObject(rep[0]);
    freeReplyObject(rep[1]);
    freeReplyObject(rep[2]);
    if (d == NULL)
        return SW_NOTFOUND;
    *out = json_pack("{s:I, s:O, s:I, s:I, s:b}", "id", (json_int_t)id, "name",
                     json_object_get(d, "name"), "cases", (json_int_t)n, "as_plaintiff",
                     (json_int_t)np, "frequent", np >= SW_REG_FREQUENT);
    json_decref(d);
    return *out ? SW_OK : SW_ERR;
}

int sw_register_party_summary(struct sw_store *s, const char *name, json_t **out)
{
    long long id;
    int rc = sw_register_party_find(s, name, &id);

    *out = NULL;
    if (rc == SW_NOTFOUND)
        return SW_OK;
    if (rc != SW_OK)
        return rc;
    rc = sw_register_party_summary_id(s, id, out);
    return rc == SW_NOTFOUND ? SW_OK : rc;
}

static int newest_case_first(const void *a, const void *b)
{
    const char *x = str(*(json_t *const *)a, "date") ?: "";
    const char *y = str(*(json_t *const *)b, "date") ?: "";

    return strcmp(y, x);
}

static void bump(json_t *o, const char *k)
{
    if (k == NULL || k[0] == '\0')
        return;
    json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + 1));
}

int sw_register_party_get(struct sw_store *s, long long id, size_t max_cases, size_t max_marks,
                          json_t **out)
{
    char doc[48], cases[48], names[48], marks[48], pl[48];
    const char *a1[] = { "GET", doc }, *a2[] = { "HVALS", cases }, *a3[] = { "SMEMBERS", names };
    const char *a4[] = { "SMEMBERS", marks }, *a5[] = { "SCARD", pl };
    const char **argvs[] = { a1, a2, a3, a4, a5 };
    int argcs[] = { 2, 2, 2, 2, 2 };
    redisReply *rep[5];
    json_t *d, *list, *byyear, *courts, *counsel, *ml, *nl, *c;
    json_t **arr = NULL;
    size_t i, n;
    long long np;
    int rc = SW_OK;

    *out = NULL;
    sw_strlcpy(doc, swk_party_doc(id).s, sizeof(doc));
    sw_strlcpy(cases, swk_party_cases(id).s, sizeof(cases));
    sw_strlcpy(names, swk_party_names(id).s, sizeof(names));
    sw_strlcpy(marks, swk_party_marks(id).s, sizeof(marks));
    sw_strlcpy(pl, swk_party_plaintiff(id).s, sizeof(pl));
    if (sw_store_pipeline(s, 5, argcs, argvs, rep) != SW_OK)
        return SW_EAGAIN;
    d = rep[0]->type == REDIS_REPLY_STRING ? json_loadb(rep[0]->str, rep[0]->len, 0, NULL)
                                           : NULL;
    np = sw_reply_int(rep[4], 0);
    if (d == NULL) {
        rc = SW_NOTFOUND;
        goto out;
    }
    list = json_array();
    byyear = json_object();
    courts = json_array();
    counsel = json_array();
    nl = json_array();
    n = rep[1]->type == REDIS_REPLY_ARRAY ? rep[1]->elements : 0;
    arr = calloc(n ? n : 1, sizeof(*arr));
    for (i = 0; arr != NULL && i < n; i++) {
        char year[8] = "";
        const char *date, *court, *cs;

        c = json_loadb(rep[1]->element[i]->str, rep[1]->element[i]->len, 0, NULL);
        arr[i] = c ? c : json_object();
        date = str(arr[i], "date") ?: "";
        if (strlen(date) >= 4) {
            memcpy(year, date, 4);
            year[4] = '\0';
            bump(byyear, year);
        }
        court = str(arr[i], "court");
        add_once(courts, court, 100);
        cs = str(arr[i], "counsel");
        add_once(counsel, cs, 100);
    }
    if (arr != NULL)
        qsort(arr, n, sizeof(*arr), newest_case_first);
    for (i = 0; arr != NULL && i < n; i++) {
        if (i < max_cases)
            json_array_append(list, arr[i]);
        json_decref(arr[i]);
    }
    free(arr);
    for (i = 0; rep[2]->type == REDIS_REPLY_ARRAY && i < rep[2]->elements; i++)
        if (json_array_size(nl) < NAMES_MAX)
            json_array_append_new(nl, json_string(rep[2]->element[i]->str));
    ml = json_array();
    for (i = 0; rep[3]->type == REDIS_REPLY_ARRAY && i < rep[3]->elements &&
                json_array_size(ml) < max_marks; i++) {
        const char *v = rep[3]->element[i]->str, *colon = strchr(v, ':');
        char office[8];
        json_t *m = NULL;

        if (colon == NULL || colon - v >= (long)sizeof(office))
            continue;
        memcpy(office, v, (size_t)(colon - v));
        office[colon - v] = '\0';
        if (sw_register_mark_get(s, office, colon + 1, &m) == SW_EAGAIN) {
            rc = SW_EAGAIN;
            break;
        }
        json_array_append_new(ml, json_pack("{s:s, s:s, s:O?, s:O?}", "office", office,
                                            "number", colon + 1, "mark",
                                            m ? json_object_get(m, "mark") : NULL, "status",
                                            m ? json_object_get(m, "status") : NULL));
        json_decref(m);
    }
    *out = json_pack("{s:I, s:O, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:I, s:b}",
                     "id", (json_int_t)id, "name", json_object_get(d, "name"),
                     "names", nl, "cases_by_year", byyear, "courts", courts,
                     "counsel", counsel, "marks", ml,
                     "marks_total", (json_int_t)(rep[3]->type == REDIS_REPLY_ARRAY
                                                     ? rep[3]->elements : 0),
                     "cases_total", (json_int_t)n, "cases", list,
                     "as_plaintiff", (json_int_t)np, "frequent", np >= SW_REG_FREQUENT);
    if (rc != SW_OK) {
        json_decref(*out);
        *out = NULL;
    }
out:
    json_decref(d);
    for (i = 0; i < 5; i++)
        freeReplyObject(rep[i]);
    return rc;
}

/* --- the workers' and the import's own keys ------------------------------------------------- */

int sw_register_alive(struct sw_store *s, const char *me)
{
    sw_key_t key = swk_reg_alive(me);
    char when[32];
    redisReply *r = sw_store_cmd(s, "SET", key.s, sw_iso8601(sw_now_ms(), when, sizeof(when)),
                                 "EX", "60", NULL);

    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

int sw_register_changes_from_now(struct sw_store *s, const char *group)
{
    int i, n = sw_stream_shards(s);

    for (i = 0; i < n; i++) {
        sw_key_t key = sw_stream_key(SW_REG_CHANGES, i);
        redisReply *r = sw_store_cmd(s, "XGROUP", "CREATE", key.s, group, "$", "MKSTREAM",
                                     NULL);

        if (r == NULL)
            return SW_EAGAIN;
        if (r->type == REDIS_REPLY_ERROR) {   /* BUSYGROUP: it exists; moved to the end */
            freeReplyObject(r);
            if ((r = sw_store_cmd(s, "XGROUP", "SETID", key.s, group, "$", NULL)) == NULL)
                return SW_EAGAIN;
        }
        freeReplyObject(r);
    }
    return SW_OK;
}

/* Reads the records of office's numbers (an SSCAN page) with one MGET (one slot: the
 * office's), handing each to fn. */
static int each_of_page(struct sw_store *s, const char *office, const redisReply *nums,
                        sw_reg_mark_fn fn, void *ud)
{
    size_t i, n = nums->elements;
    const char **argv = calloc(n + 1, sizeof(*argv));
    sw_key_t *keys = calloc(n ? n : 1, sizeof(*keys));
    redisReply *r;
    int rc = SW_OK;

    if (argv == NULL || keys == NULL) {
        rc = no_memory(s);
        goto out;
    }
    if (n == 0)
        goto out;
    argv[0] = "MGET";
    for (i = 0; i < n; i++) {
        keys[i] = swk_reg_mark(office, nums->element[i]->str ?: "");
        argv[i + 1] = keys[i].s;
    }
    if ((r = sw_store_cmdv(s, (int)n + 1, argv, NULL)) == NULL) {
        rc = SW_EAGAIN;
        goto out;
    }
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
        if (r->element[i]->type == REDIS_REPLY_STRING)
            fn(ud, r->element[i]->str, r->element[i]->len);
    freeReplyObject(r);
out:
    free(keys);
    free(argv);
    return rc;
}

int sw_register_each_mark(struct sw_store *s, sw_reg_mark_fn fn, void *ud,
                          volatile sig_atomic_t *stopping)
{
    sw_key_t okey = swk_reg_offices();
    redisReply *r, *offices;
    size_t i;
    int rc = SW_OK;

    if ((offices = sw_store_cmd(s, "SMEMBERS", okey.s, NULL)) == NULL)
        return SW_EAGAIN;
    for (i = 0; offices->type == REDIS_REPLY_ARRAY && i < offices->elements && rc == SW_OK &&
                !*stopping; i++) {
        const char *office = offices->element[i]->str;
        char cursor[32] = "0";
        sw_key_t set;

        if (office == NULL || !sw_register_office_valid(office))
            continue;
        set = swk_reg_numbers(office);
        do {
            if ((r = sw_store_cmd(s, "SSCAN", set.s, cursor, "COUNT", "1000", NULL)) == NULL) {
                rc = SW_EAGAIN;
                break;
            }
            if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
                freeReplyObject(r);
                break;
            }
            sw_strlcpy(cursor, r->element[0]->str ?: "0", sizeof(cursor));
            rc = each_of_page(s, office, r->element[1], fn, ud);
            freeReplyObject(r);
        } while (rc == SW_OK && strcmp(cursor, "0") != 0 && !*stopping);
    }
    freeReplyObject(offices);
    return rc;
}

int sw_register_import_get(struct sw_store *s, const char *id, long long *done, int *finished)
{
    sw_key_t key = swk_reg_import(id);
    redisReply *r = sw_store_cmd(s, "HMGET", key.s, "done", "finished", NULL);

    *done = 0;
    *finished = 0;
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
        *done = strtoll(sw_reply_str(r->element[0]) ?: "0", NULL, 10);
        *finished = strcmp(sw_reply_str(r->element[1]) ?: "0", "1") == 0;
    }
    freeReplyObject(r);
    return SW_OK;
}

int sw_register_import_put(struct sw_store *s, const char *id, const char *path,
                           long long size, long long done, int finished)
{
    sw_key_t key = swk_reg_import(id);
    char d[24], sz[24], when[32];
    redisReply *r;

    snprintf(d, sizeof(d), "%lld", done);
    snprintf(sz, sizeof(sz), "%lld", size);
    r = sw_store_cmd(s, "HSET", key.s, "path", path, "size", sz, "done", d, "finished",
                     finished ? "1" : "0", "updated",
                     sw_iso8601(sw_now_ms(), when, sizeof(when)), NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}
