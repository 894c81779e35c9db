/* shows.c — trade shows (admin API, iCalendar) and their incidents: checks, ids, the store. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "seawall/accounts.h"
#include "seawall/buf.h"
#include "seawall/cases.h"
#include "seawall/date.h"
#include "seawall/deadlines.h"
#include "seawall/feedreg.h"
#include "seawall/keys.h"
#include "seawall/normalise.h"
#include "seawall/portfolio.h"
#include "seawall/record.h"
#include "seawall/shows.h"
#include "seawall/store.h"
#include "seawall/zone.h"

#define DAY_MS 86400000LL
#define PARTY_KEYS swk_party_keys().s
#define PARTY_KEYS_BUILT swk_party_keys_built().s
#define ATTENDEES_BUILT swk_attendees_built().s

const struct sw_jfield sw_show_fields[] = {
    { "id", SW_J_STRING, 0, 1, SW_SHOW_ID_MAX, NULL },
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "city", SW_J_STRING, 0, 0, 100, NULL },
    { "country", SW_J_STRING, SW_JF_REQUIRED | SW_JF_COUNTRY, 2, 2, NULL },
    { "venue", SW_J_STRING, 0, 0, 200, NULL },
    { "starts", SW_J_STRING, SW_JF_REQUIRED, 10, 10, NULL },
    { "ends", SW_J_STRING, SW_JF_REQUIRED, 10, 10, NULL },
    { "organiser", SW_J_STRING, 0, 0, 200, NULL },
    { "station_id", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "website", SW_J_STRING, 0, 1, 2000, NULL },
    { "answer_deadline_h", SW_J_INT, 0, 1, 720, NULL },
    { "series", SW_J_STRING, 0, 1, SW_SHOW_ID_MAX, NULL },
    { "tz", SW_J_STRING, 0, 1, SW_ZONE_MAX, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

const char *const sw_incident_kinds[] = { "complaint_received", "booth_inspection",
                                          "evidence_preserved", "mediation", "goods_removed",
                                          "injunction_served", "customs_sweep", "other", NULL };
const char *const sw_incident_statuses[] = { "open", "answered", "mediated", "escalated",
                                             "closed", NULL };

const struct sw_jfield sw_incident_fields[] = {
    { "key", SW_J_STRING, 0, 1, 255, NULL },
    { "booth", SW_J_STRING, 0, 0, 32, NULL },
    { "kind", SW_J_STRING, SW_JF_REQUIRED, 1, 32, sw_incident_kinds },
    { "measures", SW_J_STRINGS, 0, 0, 20, NULL },
    { "notes", SW_J_STRING, 0, 0, 8000, NULL },
    { "status", SW_J_STRING, 0, 1, 16, sw_incident_statuses },
    { "received_at", SW_J_STRING, 0, 1, 40, NULL },
    { "answered_at", SW_J_STRING, 0, 1, 40, NULL },
    { "hall", SW_J_STRING, 0, 0, 32, NULL },
    { "product_category", SW_J_STRING, 0, 0, 100, NULL },
    { "answer", SW_J_STRING, 0, 0, 8000, NULL },
    { "evidence_declared", SW_J_STRINGS, 0, 0, 50, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

const struct sw_jfield sw_party_fields[] = {
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "country", SW_J_STRING, SW_JF_COUNTRY, 2, 2, NULL },
    { "subscriber_id", SW_J_INT, 0, 1, INT64_MAX, NULL },
    { "representative", SW_J_STRING, 0, 0, 200, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

int sw_show_id_valid(const char *id)
{
    size_t i;

    if (id == NULL || !(islower((unsigned char)id[0]) || isdigit((unsigned char)id[0])))
        return 0;
    for (i = 0; id[i] != '\0'; i++)
        if (!(islower((unsigned char)id[i]) || isdigit((unsigned char)id[i]) || id[i] == '-') ||
            i >= SW_SHOW_ID_MAX)
            return 0;
    return 1;
}

/* "YYYY-MM-DD" naming a real day, as ms at its midnight UTC. */
static int day_valid(const char *s, int64_t *ms)
{
    char norm[32];

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sw_date_normalise(s, norm, sizeof(norm)) != SW_OK || strcmp(norm, s) != 0)
        return 0;
    return sw_date_ms(s, ms) == SW_OK;
}

void sw_show_check(const json_t *in, struct sw_verrs *errs)
{
    const char *id = json_string_value(json_object_get(in, "id"));
    const char *series = json_string_value(json_object_get(in, "series"));
    const char *web = json_string_value(json_object_get(in, "website"));
    const char *starts = json_string_value(json_object_get(in, "starts"));
    const char *ends = json_string_value(json_object_get(in, "ends"));
    const char *tz = json_string_value(json_object_get(in, "tz"));
    int64_t s = 0, e = 0;
    int sok = 1, eok = 1;

    if (id != NULL && !sw_show_id_valid(id))
        sw_verrs_add(errs, "/id", "must be 1 to 64 of a-z, 0-9 and '-', starting with a letter "
                     "or digit, such as canton-fair-2026");
    if (series != NULL && !sw_show_id_valid(series))
        sw_verrs_add(errs, "/series", "must be 1 to 64 of a-z, 0-9 and '-', such as "
                     "canton-fair");
    if (web != NULL && strncmp(web, "https://", 8) != 0 && strncmp(web, "http://", 7) != 0)
        sw_verrs_add(errs, "/website", "must be an http or https address");
    if (starts != NULL && !(sok = day_valid(starts, &s)))
        sw_verrs_add(errs, "/starts", "must be a date YYYY-MM-DD");
    if (ends != NULL && !(eok = day_valid(ends, &e)))
        sw_verrs_add(errs, "/ends", "must be a date YYYY-MM-DD");
    if (starts != NULL && ends != NULL && sok && eok && e < s)
        sw_verrs_add(errs, "/ends", "must not be before starts");
    if (tz != NULL && !sw_zone_valid(tz))
        sw_verrs_add(errs, "/tz", "must be a time zone id such as Europe/Berlin or "
                     "Asia/Shanghai (the zone the fair's local times are in)");
}

/* Appends the slug of text to out (at len), words joined by '-'; skip says which words to
 * leave out. Returns the new length. */
static size_t slug_words(const char *text, char *out, size_t n, size_t len,
                         int (*skip)(const char *w, size_t wl))
{
    const char *p = text;

    while (*p != '\0') {
        const char *w;
        size_t wl, i;

        while (*p != '\0' && !isalnum((unsigned char)*p))
            p++;
        w = p;
        while (isalnum((unsigned char)*p))
            p++;
        wl = (size_t)(p - w);
        if (wl == 0 || (skip != NULL && skip(w, wl)))
            continue;
        if (len > 0 && len + 1 < n)
            out[len++] = '-';
        for (i = 0; i < wl && len + 1 < n; i++)
            out[len++] = (char)tolower((unsigned char)w[i]);
    }
    out[len < n ? len : n - 1] = '\0';
    return len;
}

/* Years and edition numbers: "2026", "139", "139th", "1st". */
static int edition_word(const char *w, size_t wl)
{
    size_t d = 0;

    while (d < wl && isdigit((unsigned char)w[d]))
        d++;
    if (d == wl)
        return 1;
    return d > 0 && wl - d == 2 &&
           (strncasecmp(w + d, "st", 2) == 0 || strncasecmp(w + d, "nd", 2) == 0 ||
            strncasecmp(w + d, "rd", 2) == 0 || strncasecmp(w + d, "th", 2) == 0);
}

void sw_show_series(const char *name, char *out, size_t n)
{
    size_t len = slug_words(name ? name : "", out, n > 49 ? 49 : n, 0, edition_word);

    if (len == 0)
        snprintf(out, n, "show");
}

void sw_show_slug(const char *name, const char *starts, char *out, size_t n)
{
    char year[5] = "";
    size_t len;

    if (starts != NULL && strlen(starts) >= 4)
        memcpy(year, starts, 4);
    len = slug_words(name ? name : "", out, n > 49 ? 49 : n, 0, NULL);
    if (len == 0)
        len = (size_t)snprintf(out, n, "show");
    if (year[0] != '\0' && strstr(out, year) == NULL)
        snprintf(out + len, n - len, "-%s", year);
}

static void show_key(const char *id, char *out, size_t n)
{
    snprintf(out, n, "%s", swk_show(id).s);
}

int sw_show_get(struct sw_store *s, const char *id, json_t **doc)
{
    char key[SW_KEY_BYTES];
    redisReply *r;

    *doc = NULL;
    if (!sw_show_id_valid(id))
        return SW_NOTFOUND;
    show_key(id, key, sizeof(key));
    r = sw_store_cmd(s, "GET", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *doc = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    return *doc != NULL ? SW_OK : SW_NOTFOUND;
}

int sw_shows_exist(struct sw_store *s, const char *const *ids, size_t n, int *exists)
{
    char (*keys)[96] = n > 0 ? calloc(n, sizeof(*keys)) : NULL;
    const char **argv = n > 0 ? calloc(2 * n, sizeof(*argv)) : NULL;
    const char ***argvs = n > 0 ? calloc(n, sizeof(*argvs)) : NULL;
    int *argcs = n > 0 ? calloc(n, sizeof(*argcs)) : NULL;
    redisReply **rep = n > 0 ? calloc(n, sizeof(*rep)) : NULL;
    size_t i, m = 0, *at = n > 0 ? calloc(n, sizeof(*at)) : NULL;
    int rc = SW_OK;

    if (n > 0 && (keys == NULL || argv == NULL || argvs == NULL || argcs == NULL ||
                  rep == NULL || at == NULL)) {
        rc = SW_ERR;
        goto out;
    }
    for (i = 0; i < n; i++) {
        exists[i] = 0;
        if (!sw_show_id_valid(ids[i]))
            continue;
        show_key(ids[i], keys[m], sizeof(keys[m]));
        argv[2 * m] = "EXISTS";
        argv[2 * m + 1] = keys[m];
        argvs[m] = &argv[2 * m];
        argcs[m] = 2;
        at[m++] = i;
    }
    if (m > 0 && (rc = sw_store_pipeline(s, (int)m, argcs, argvs, rep)) == SW_OK) {
        for (i = 0; i < m; i++) {
            exists[at[i]] = sw_reply_int(rep[i], 0) == 1;
            freeReplyObject(rep[i]);
        }
    }
out:
    free(keys);
    free(argv);
    free(argvs);
    free(argcs);
    free(rep);
    free(at);
    return rc;
}

static long long day_of(const json_t *doc, const char *field)
{
    int64_t ms = 0;

    if (sw_date_ms(json_string_value(json_object_get(doc, field)) ?: "", &ms) != SW_OK)
        return 0;
    return ms / DAY_MS;
}

/* A new show first claims its id (SET NX: the document, so a second POST of the id is told
 * it exists); then, for new and changed shows alike, the indexes are added (every show, the
 * series), the document written, and the show taken out of its old series' index
 * (record.h's steps, each one slot). A crash before the indexes leaves a show that lists do not
 * show until it is saved again; one before the removal leaves it in its old series too, where
 * readers re-check each show's series (sw_series_shows_before). */
int sw_show_put(struct sw_store *s, json_t *doc, const json_t *old)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    const char *series = json_string_value(json_object_get(doc, "series"));
    const char *old_series = old ? json_string_value(json_object_get(old, "series")) : NULL;
    char key[SW_KEY_BYTES], score[24], skey[SW_KEY_BYTES], oskey[SW_KEY_BYTES];
    struct sw_cmds c = { .n = 0 };
    char *text = sw_json_dumps(doc);
    int rc;

    if (text == NULL || id == NULL || series == NULL)
        return SW_ERR;
    show_key(id, key, sizeof(key));
    if (old == NULL) {
        redisReply *r = sw_store_cmd(s, "SET", key, text, "NX", NULL);

        rc = r == NULL ? SW_EAGAIN : r->type == REDIS_REPLY_STATUS ? SW_OK : SW_CONFLICT;
        if (r != NULL)
            freeReplyObject(r);
        if (rc != SW_OK) {
            free(text);
            return rc;
        }
    }
    sw_cmds_add(&c, "SET", key, text, NULL);
    free(text);
    snprintf(score, sizeof(score), "%lld", day_of(doc, "ends"));
    sw_cmds_before(&c, "ZADD", swk_shows_all().s, score, id, NULL);
    snprintf(skey, sizeof(skey), "%s", swk_series(series).s);
    if (old_series != NULL && strcmp(old_series, series) != 0) {
        snprintf(oskey, sizeof(oskey), "%s", swk_series(old_series).s);
        sw_cmds_after(&c, "ZREM", oskey, id, NULL);
    }
    snprintf(score, sizeof(score), "%lld", day_of(doc, "starts"));
    sw_cmds_before(&c, "ZADD", skey, score, id, NULL);
    rc = sw_cmds_exec(s, &c);
    sw_cmds_free(&c);
    return rc;
}

/* --- iCalendar ----------------------------------------------------------------------------- */

static void uid_key(const char *uid, const char *occurrence, char *out, size_t n)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    char hex[65];

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)uid, strlen(uid) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)occurrence, strlen(occurrence));
    crypto_hash_sha256_final(&st, h);
    sw_hex(h, 16, hex);
    snprintf(out, n, "%s", swk_show_uid(hex).s);
}

/* The calendar day of an event's start or end: its local_date / local_end (the day where the
 * fair is, as the calendar wrote it), else the date of its UTC instant. */
static void event_day(const json_t *ev, const char *local, const char *utc, char *out,
                      size_t outlen)
{
    const char *day = json_string_value(json_object_get(ev, local));
    int64_t ms;

    if (day == NULL || strlen(day) != 10 || sw_date_ms(day, &ms) != SW_OK)
        day = json_string_value(json_object_get(ev, utc));
    snprintf(out, outlen, "%.10s", day ? day : "");
}

/* A show's fields from an iCalendar event: name, starts, ends (all-day DTEND is exclusive),
 * venue, website. The days are the fair's own (event_day). SW_INVALID when the event has no
 * start. */
static int event_fields(const json_t *ev, json_t *doc)
{
    const char *title = json_string_value(json_object_get(ev, "title"));
    const char *date = json_string_value(json_object_get(ev, "date"));
    const char *end = json_string_value(json_object_get(ev, "end"));
    const char *loc = json_string_value(json_object_get(ev, "location"));
    const char *url = json_string_value(json_object_get(ev, "url"));
    char starts[11], ends[11], name[201];
    int64_t s, e;

    if (date == NULL || strlen(date) < 10 || sw_date_ms(date, &s) != SW_OK)
        return SW_INVALID;
    event_day(ev, "local_date", "date", starts, sizeof(starts));
    snprintf(ends, sizeof(ends), "%s", starts);
    if (end != NULL && strlen(end) >= 10 && sw_date_ms(end, &e) == SW_OK && e > s) {
        if (strlen(end) == 10) {   /* an all-day event ends the day before DTEND */
            sw_iso8601(e - DAY_MS, name, sizeof(name));
            snprintf(ends, sizeof(ends), "%.10s", name);
        } else {
            event_day(ev, "local_end", "end", ends, sizeof(ends));
        }
        if (strcmp(ends, starts) < 0)
            snprintf(ends, sizeof(ends), "%s", starts);
    }
    snprintf(name, sizeof(name), "%s", title && title[0] ? title : "Untitled show");
    json_object_set_new(doc, "name", json_string(name));
    json_object_set_new(doc, "starts", json_string(starts));
    json_object_set_new(doc, "ends", json_string(ends));
    if (loc != NULL && loc[0] != '\0' && strlen(loc) <= 200)
        json_object_set_new(doc, "venue", json_string(loc));
    if (url != NULL && strlen(url) <= 2000 &&
        (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0))
        json_object_set_new(doc, "website", json_string(url));
    return SW_OK;
}

int sw_show_from_event(struct sw_store *s, json_t *ev, const char *source, const char *country,
                       char *id, size_t idlen, int *created)
{
    const char *uid = json_string_value(json_object_get(ev, "show"));
    const char *date = json_string_value(json_object_get(ev, "date"));
    int occurrence = json_is_true(json_object_get(ev, "recurrence"));
    char ukey[SW_KEY_BYTES], base[SW_SHOW_ID_MAX + 1], series[SW_SHOW_ID_MAX + 1];
    json_t *doc = json_object(), *old = NULL;
    redisReply *r;
    int rc, n;

    *created = -1;
    if (uid == NULL || event_fields(ev, doc) != SW_OK) {
        json_decref(doc);
        return SW_INVALID;
    }
    uid_key(uid, occurrence ? date : "", ukey, sizeof(ukey));
    r = sw_store_cmd(s, "GET", ukey, NULL);
    if (r == NULL) {
        json_decref(doc);
        return SW_EAGAIN;
    }
    if (r->type == REDIS_REPLY_STRING && sw_show_get(s, r->str, &old) == SW_OK) {
        json_t *merged = json_deep_copy(old);

        json_object_update(merged, doc);
        snprintf(id, idlen, "%s", json_string_value(json_object_get(old, "id")) ?: "");
        rc = SW_OK;
        if (!json_equal(merged, old)) {
            char when[32];

            json_object_set_new(merged, "updated_at",
                                json_string(sw_iso8601(sw_now_ms(), when, sizeof(when))));
            rc = sw_show_put(s, merged, old);
            *created = 0;
        }
        freeReplyObject(r);
        json_decref(merged);
        json_decref(old);
        json_decref(doc);
        if (rc == SW_OK)
            json_object_set_new(ev, "show", json_string(id));
        return rc;
    }
    freeReplyObject(r);
    /* An occurrence of a recurring event is named by its day, the first by its year. */
    sw_show_slug(json_string_value(json_object_get(doc, "name")),
                 occurrence ? NULL : json_string_value(json_object_get(doc, "starts")), base,
                 sizeof(base));
    if (occurrence)
        snprintf(base + strlen(base), sizeof(base) - strlen(base), "-%s",
                 json_string_value(json_object_get(doc, "starts")));
    sw_show_series(json_string_value(json_object_get(doc, "name")), series, sizeof(series));
    json_object_set_new(doc, "series", json_string(series));
    json_object_set_new(doc, "source", json_string(source));
    if (country != NULL)
        json_object_set_new(doc, "country", json_string(country));
    json_object_set_new(doc, "ical_uid", json_stringn(uid, strlen(uid) > 256 ? 256 : strlen(uid)));
    {
        char when[32];

        json_object_set_new(doc, "created_at",
                            json_string(sw_iso8601(sw_now_ms(), when, sizeof(when))));
    }
    rc = SW_CONFLICT;
    for (n = 1; n <= 50 && rc == SW_CONFLICT; n++) {
        if (n == 1)
            snprintf(id, idlen, "%s", base);
        else
            snprintf(id, idlen, "%.58s-%d", base, n);
        json_object_set_new(doc, "id", json_string(id));
        rc = sw_show_put(s, doc, NULL);
    }
    if (rc == SW_OK) {
        r = sw_store_cmd(s, "SET", ukey, id, NULL);
        rc = r == NULL ? SW_EAGAIN : SW_OK;
        if (r != NULL)
            freeReplyObject(r);
        *created = 1;
        json_object_set_new(ev, "show", json_string(id));
    }
    json_decref(doc);
    return rc == SW_CONFLICT ? SW_ERR : rc;
}

/* --- incidents --------------------------------------------------------------------------- */

/* A time a device recorded: an ISO 8601 date and time with its offset ("Z", "+08:00",
 * "-0500"), as the instant it names. A time without an offset is refused: whose clock's
 * local time it would be is not known. SW_OK or SW_INVALID. */
static int device_time(const char *s, int64_t *ms)
{
    size_t n = s != NULL ? strlen(s) : 0, i;
    int zoned = 0;

    if (n < 16 || (s[10] != 'T' && s[10] != 't'))
        return SW_INVALID;
    if (s[n - 1] == 'Z' || s[n - 1] == 'z')
        zoned = 1;
    for (i = 11; i < n && !zoned; i++)
        zoned = s[i] == '+' || s[i] == '-';
    if (!zoned)
        return SW_INVALID;
    return sw_date_ms(s, ms);
}

void sw_incident_check(const json_t *in, int partial, const char *prefix,
                       struct sw_verrs *errs)
{
    static const char *const parties[] = { "exhibitor", "complainant" };
    const char *received = json_string_value(json_object_get(in, "received_at"));
    const char *answered = json_string_value(json_object_get(in, "answered_at"));
    char ptr[160];
    const json_t *v;
    size_t i;
    int64_t ms;

    for (i = 0; i < SW_ARRAY_LEN(parties); i++) {
        const json_t *p = json_object_get(in, parties[i]);

        snprintf(ptr, sizeof(ptr), "%s/%s", prefix, parties[i]);
        if (p == NULL) {
            if (!partial)
                sw_verrs_add(errs, ptr, "is required: an object {name, country, "
                             "subscriber_id}");
        } else if (!json_is_object(p)) {
            sw_verrs_add(errs, ptr, "must be an object {name, country, subscriber_id}");
        } else {
            char key[8];

            sw_json_check(p, sw_party_fields, 0, ptr, errs);
            if (json_is_string(json_object_get(p, "name")) &&
                sw_party_key(json_string_value(json_object_get(p, "name")), key,
                             sizeof(key)) == SW_INVALID) {
                snprintf(ptr, sizeof(ptr), "%s/%s/name", prefix, parties[i]);
                sw_verrs_add(errs, ptr, "must hold letters or digits in valid UTF-8");
            }
        }
    }
    sw_rights_check(json_object_get(in, "rights"), prefix, errs);
    if (received != NULL && device_time(received, &ms) != SW_OK) {
        snprintf(ptr, sizeof(ptr), "%s/received_at", prefix);
        sw_verrs_add(errs, ptr, "must be a date-time with its offset (ISO 8601, such as "
                     "2026-10-15T09:30:00+08:00)");
    }
    if (answered != NULL && device_time(answered, &ms) != SW_OK) {
        snprintf(ptr, sizeof(ptr), "%s/answered_at", prefix);
        sw_verrs_add(errs, ptr, "must be a date-time with its offset (ISO 8601, such as "
                     "2026-10-15T09:30:00+08:00)");
    }
    json_array_foreach(json_object_get(in, "evidence_declared"), i, v)
        if (json_is_string(v) && !sw_sha256_hex_valid(json_string_value(v))) {
            snprintf(ptr, sizeof(ptr), "%s/evidence_declared/%zu", prefix, i);
            sw_verrs_add(errs, ptr, "must be a SHA-256 as 64 lower-case hex digits");
        }
}

int sw_party_key(const char *name, char *out, size_t n)
{
    return sw_name_key(name, out, n);
}

int sw_party_key_v1(const char *name, char *out, size_t n)
{
    struct sw_keys k;

    if (name == NULL || sw_normalise(name, SW_NORM_NAME, &k) != SW_OK || k.visual[0] == '\0')
        return SW_INVALID;
    return sw_strlcpy(out, k.visual, n) == SW_OK ? SW_OK : SW_TOOBIG;
}

int sw_party_same(const char *a, const char *b, const char *b_of)
{
    struct sw_keys ka, kb, ko;
    char why[64];

    if (a == NULL || b == NULL || sw_normalise(a, SW_NORM_NAME, &ka) != SW_OK ||
        sw_normalise(b, SW_NORM_NAME, &kb) != SW_OK)
        return 0;
    if (b_of != NULL && kb.name[0] != '\0' && sw_normalise(b_of, SW_NORM_NAME, &ko) == SW_OK &&
        ko.name[0] != '\0')
        sw_name_inherit(kb.name, sizeof(kb.name), ko.name);
    return sw_similarity(&ka, &kb, why, sizeof(why)) >= SW_MATCH_THRESHOLD;
}

json_t *sw_incident_deadline(const struct sw_deadlines *d, const json_t *show,
                             int64_t received_ms)
{
    const char *country = json_string_value(json_object_get(show, "country"));
    json_int_t hours = json_integer_value(json_object_get(show, "answer_deadline_h"));
    const json_t *rule;
    json_t *out;
    int64_t due;
    char when[32];

    if (hours > 0) {
        due = received_ms + hours * 3600000LL;
        out = json_pack("{s:{s:s, s:s}}", "rule", "id", "show", "text",
                        "the answer period set for this show");
        json_object_set_new(json_object_get(out, "rule"), "hours", json_integer(hours));
    } else {
        rule = d ? sw_deadline_rule(d, "show_complaint", country ?: "", "") : NULL;
        if (rule == NULL) {   /* no table loaded: the customary fair day */
            due = received_ms + 24 * 3600000LL;
            out = json_pack("{s:{s:s, s:s}}", "rule", "id", "default", "text",
                            "24 hours, the customary answer period at fairs");
        } else {
            due = sw_deadline_due(d, rule, country ?: "", received_ms);
            out = json_pack("{s:{s:O, s:O, s:O}}", "rule", "id", json_object_get(rule, "id"),
                            "text", json_object_get(rule, "text"), "source",
                            json_object_get(rule, "source"));
        }
    }
    json_object_set_new(out, "at", json_string(sw_iso8601(due, when, sizeof(when))));
    json_object_set_new(out, "at_ms", json_integer(due));
    return out;
}

static void key_hash(const char *key, char *hex)
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
    sw_hex(h, sizeof(h), hex);
}

/* The party index keys of doc: per role, the key it is filed under (*filed) and, when
 * with_v1, the key of before trade names too, where it may have been filed (*old_v1). */
struct party_keys {
    sw_party_key_t filed[2], v1[2];
    int has_filed[2], has_v1[2];
};
static const char *const party_roles[] = { "exhibitor", "complainant" };

static void party_keys_of(const json_t *doc, struct party_keys *pk)
{
    char k[SW_KEY_MAX], v1[SW_KEY_MAX];
    size_t i;

    memset(pk, 0, sizeof(*pk));
    for (i = 0; i < SW_ARRAY_LEN(party_roles); i++) {
        const char *name = json_string_value(json_object_get(json_object_get(doc,
                                                                             party_roles[i]),
                                                             "name"));

        if (sw_party_key(name, k, sizeof(k)) != SW_OK)
            continue;
        pk->filed[i] = swk_party(party_roles[i], k);
        pk->has_filed[i] = 1;
        if (sw_party_key_v1(name, v1, sizeof(v1)) == SW_OK && strcmp(v1, k) != 0) {
            pk->v1[i] = swk_party(party_roles[i], v1);
            pk->has_v1[i] = 1;
        }
    }
}

/* The party indexes an incident is filed under: added before its transaction (with the party
 * key in PARTY_KEYS); those of old it is no longer filed under (the key of before trade names
 * as well) are taken out after it (record.h). A stale entry names an incident whose party is
 * another now: the party look-up re-checks each incident's names (fcgi/parties.c,
 * sw_party_sureness). old or doc may be NULL. */
static void party_cmds(struct sw_cmds *c, const json_t *old, const json_t *doc)
{
    struct party_keys now, was;
    char score[24], idtxt[24], k[SW_KEY_MAX];
    const json_t *d = doc != NULL ? doc : old;
    size_t i;

    snprintf(idtxt, sizeof(idtxt), "%lld", (long long)json_integer_value(json_object_get(d,
                                                                                       "id")));
    party_keys_of(doc, &now);
    party_keys_of(old, &was);
    if (doc != NULL)
        snprintf(score, sizeof(score), "%lld",
                 (long long)json_integer_value(json_object_get(doc, "received_ms")));
    for (i = 0; doc != NULL && i < SW_ARRAY_LEN(party_roles); i++) {
        const char *name = json_string_value(json_object_get(json_object_get(doc,
                                                                             party_roles[i]),
                                                             "name"));

        if (!now.has_filed[i] || sw_party_key(name, k, sizeof(k)) != SW_OK)
            continue;
        sw_cmds_before(c, "ZADD", now.filed[i].s, score, idtxt, NULL);
        sw_cmds_before(c, "ZADD", PARTY_KEYS, "0", k, NULL);
    }
    for (i = 0; old != NULL && i < SW_ARRAY_LEN(party_roles); i++) {
        int same = now.has_filed[i] && strcmp(now.filed[i].s, was.filed[i].s) == 0;
        int same_v1 = now.has_filed[i] && strcmp(now.filed[i].s, was.v1[i].s) == 0;

        if (was.has_filed[i] && !same)
            sw_cmds_after(c, "ZREM", was.filed[i].s, idtxt, NULL);
        if (was.has_v1[i] && !same_v1)
            sw_cmds_after(c, "ZREM", was.v1[i].s, idtxt, NULL);
    }
}

void sw_incident_party_moves(struct sw_cmds *c, const json_t *old, const json_t *doc)
{
    party_cmds(c, old, doc);
}

int sw_incident_create(struct sw_store *s, json_t *doc, json_t *entry, json_t *ev,
                       const char *key, long ttl_s, long maxlen, long long *id, int *dup)
{
    const char *show = json_string_value(json_object_get(doc, "show"));
    char ikey[SW_KEY_BYTES], hex[65], idtxt[24], evid[48], skey[SW_KEY_BYTES];
    char kindf[48];
    int attempt, rc = SW_EAGAIN;

    *dup = 0;
    ikey[0] = '\0';
    if (key != NULL) {
        key_hash(key, hex);
        snprintf(ikey, sizeof(ikey), "%s", swk_show_inckey(show, hex).s);
    }
    for (attempt = 0; attempt < 16; attempt++) {
        struct sw_cmds c = { .n = 0 };
        struct sw_rec_keys k;
        redisReply *r;
        long long found = 0;

        if (ikey[0] != '\0') {
            if ((r = sw_store_cmd(s, "WATCH", ikey, NULL)) == NULL)
                return SW_EAGAIN;
            freeReplyObject(r);
            if ((r = sw_store_cmd(s, "GET", ikey, NULL)) == NULL)
                return SW_EAGAIN;
            if (r->type == REDIS_REPLY_STRING)
                found = strtoll(r->str, NULL, 10);
            freeReplyObject(r);
        }
        if (found > 0) {
            json_t *had = NULL;

            r = sw_store_cmd(s, "UNWATCH", NULL);
            if (r != NULL)
                freeReplyObject(r);
            *id = found;
            *dup = 1;
            sw_rec_keys(&k, "inc", found);
            rc = sw_rec_get(s, &k, &had);
            json_decref(had);
            if (rc == SW_OK) {   /* a retry: the event goes out again (once only), in case
                                  * it did not */
                snprintf(evid, sizeof(evid), "incident:%lld", *id);
                json_object_set_new(ev, "id", json_string(evid));
                json_object_set_new(ev, "incident_id", json_integer(*id));
                return sw_event_publish(s, ev, ttl_s, maxlen) < 0 ? SW_EAGAIN : SW_OK;
            }
            if (rc != SW_NOTFOUND)
                return rc;
            /* Claimed by a request that ended before writing it: written now. */
        } else {
            r = sw_store_cmd(s, "INCR", swk_incident_seq().s, NULL);
            if (r == NULL || r->type != REDIS_REPLY_INTEGER) {
                if (r != NULL)
                    freeReplyObject(r);
                return SW_EAGAIN;
            }
            *id = r->integer;
            freeReplyObject(r);
            if (ikey[0] != '\0') {   /* the key's claim: its own slot, under the WATCH */
                snprintf(idtxt, sizeof(idtxt), "%lld", *id);
                sw_cmds_add(&c, "SET", ikey, idtxt, NULL);
                rc = sw_cmds_exec(s, &c);
                sw_cmds_free(&c);
                if (rc == SW_CONFLICT)
                    continue;
                if (rc != SW_OK)
                    return rc;
            }
        }
        json_object_set_new(doc, "id", json_integer(*id));
        snprintf(idtxt, sizeof(idtxt), "%lld", *id);
        snprintf(evid, sizeof(evid), "incident:%lld", *id);
        json_object_set_new(ev, "id", json_string(evid));
        json_object_set_new(ev, "incident_id", json_integer(*id));
        sw_rec_keys(&k, "inc", *id);
        sw_rec_create_cmds(&c, &k, doc, entry);
        sw_cmds_before(&c, "ZADD", swk_incidents_all().s, idtxt, idtxt, NULL);
        snprintf(skey, sizeof(skey), "%s", swk_show_incidents(show).s);
        sw_cmds_before(&c, "ZADD", skey, idtxt, idtxt, NULL);
        party_cmds(&c, NULL, doc);
        snprintf(skey, sizeof(skey), "%s", swk_show_stats(show).s);
        snprintf(kindf, sizeof(kindf), "kind:%s",
                 json_string_value(json_object_get(doc, "kind")) ?: "other");
        sw_cmds_after(&c, "HINCRBY", skey, "incidents", "1", NULL);
        sw_cmds_after(&c, "HINCRBY", skey, kindf, "1", NULL);
        rc = sw_cmds_exec(s, &c);
        sw_cmds_free(&c);
        if (rc == SW_OK && sw_store_durable(s, k.doc) != SW_OK)
            rc = SW_EAGAIN;
        /* The incident written, its event goes out (sw_event_publish, once only); a retry
         * with the same key publishes it again above when this did not. */
        if (rc == SW_OK && sw_event_publish(s, ev, ttl_s, maxlen) < 0)
            rc = SW_EAGAIN;
        if (rc != SW_CONFLICT)
            return rc;
    }
    return SW_EAGAIN;
}

/* --- the fair's zone, attendees ---------------------------------------------------------- */

void sw_show_zone(const json_t *show, char *out, size_t n, const char **source)
{
    const char *tz = json_string_value(json_object_get(show, "tz"));
    const char *src = "show";

    if (tz == NULL || !sw_zone_valid(tz) || sw_strlcpy(out, tz, n) != SW_OK) {
        src = "country";
        if (sw_zone_for_country(json_string_value(json_object_get(show, "country")), out,
                                n) != SW_OK) {
            src = "default";
            snprintf(out, n, "UTC");
        }
    }
    if (source != NULL)
        *source = src;
}

void sw_show_attendance_key(const char *show, char *out, size_t n)
{
    snprintf(out, n, "%s", swk_show_attendees(show).s);
}

/* Files every subscriber's show items in the attendance sets, once (ATTENDEES_BUILT says it
 * was done): the sets began after portfolios did. Two readers doing it at once add the same
 * members. SW_OK or SW_EAGAIN. */
static int attendees_build(struct sw_store *s)
{
    redisReply *r = sw_store_cmd(s, "EXISTS", ATTENDEES_BUILT, NULL), *subs;
    size_t i, j;
    int rc = SW_OK;

    if (r == NULL)
        return SW_EAGAIN;
    i = (size_t)sw_reply_int(r, 0);
    freeReplyObject(r);
    if (i == 1)
        return SW_OK;
    subs = sw_store_cmd(s, "ZRANGE", swk_subscribers().s, "0", "-1", NULL);
    if (subs == NULL)
        return SW_EAGAIN;
    for (i = 0; subs->type == REDIS_REPLY_ARRAY && i < subs->elements && rc == SW_OK; i++) {
        long long sub = sw_reply_int(subs->element[i], 0), next = 0;
        json_t *items = NULL, *it;
        char key[SW_KEY_BYTES], subtxt[24];

        if (sw_portfolio_list(s, sub, 0, 0, "show", &items, &next) != SW_OK) {
            rc = SW_EAGAIN;
            break;
        }
        snprintf(subtxt, sizeof(subtxt), "%lld", sub);
        json_array_foreach(items, j, it) {
            const char *show = json_string_value(json_object_get(it, "show"));

            if (show == NULL || !sw_show_id_valid(show))
                continue;
            sw_show_attendance_key(show, key, sizeof(key));
            r = sw_store_cmd(s, "SADD", key, subtxt, NULL);
            if (r == NULL)
                rc = SW_EAGAIN;
            else
                freeReplyObject(r);
        }
        json_decref(items);
    }
    freeReplyObject(subs);
    if (rc == SW_OK) {
        r = sw_store_cmd(s, "SET", ATTENDEES_BUILT, "1", NULL);
        if (r == NULL)
            return SW_EAGAIN;
        freeReplyObject(r);
    }
    return rc;
}

static int cmp_sub(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

/* One attendee as sw_show_attendees gives it, when sub's portfolio still names show: else
 * *out is NULL. SW_OK or SW_EAGAIN. */
static int attendee_of(struct sw_store *s, long long sub, const char *show, json_t **out)
{
    json_t *doc = NULL, *items = NULL, *it, *names, *a;
    long long next = 0;
    size_t i, j;
    int rc = sw_doc_get(s, &sw_kind_subscriber, sub, &doc), attends = 0;

    *out = NULL;
    if (rc == SW_NOTFOUND)
        return SW_OK;
    if (rc != SW_OK)
        return SW_EAGAIN;
    if (sw_portfolio_list(s, sub, 0, 0, NULL, &items, &next) != SW_OK) {
        json_decref(doc);
        return SW_EAGAIN;
    }
    names = json_array();
    if (json_is_string(json_object_get(doc, "name")))
        json_array_append_new(names, json_pack("{s:O}", "text", json_object_get(doc, "name")));
    json_array_foreach(items, i, it) {
        const char *kind = json_string_value(json_object_get(it, "kind")) ?: "";

        if (strcmp(kind, "show") == 0 &&
            strcmp(json_string_value(json_object_get(it, "show")) ?: "", show) == 0)
            attends = 1;
        if (strcmp(kind, "name") != 0 || !json_is_string(json_object_get(it, "text")))
            continue;
        json_array_append_new(names, json_pack("{s:O}", "text", json_object_get(it, "text")));
        json_array_foreach(json_object_get(it, "aliases"), j, a)
            if (json_is_string(a))
                json_array_append_new(names, json_pack("{s:O, s:O}", "text", a, "of",
                                                       json_object_get(it, "text")));
    }
    if (attends)
        *out = json_pack("{s:I, s:O?, s:O?, s:o}", "subscriber_id", (json_int_t)sub, "name",
                         json_object_get(doc, "name"), "country",
                         json_object_get(doc, "country"), "names", names);
    else
        json_decref(names);
    json_decref(items);
    json_decref(doc);
    return SW_OK;
}

int sw_show_attendees(struct sw_store *s, const char *show, size_t max, json_t **out,
                      int *more)
{
    char key[SW_KEY_BYTES];
    redisReply *r;
    long long *subs = NULL;
    size_t i, n = 0;
    int rc;

    *out = NULL;
    *more = 0;
    if ((rc = attendees_build(s)) != SW_OK)
        return rc;
    sw_show_attendance_key(show, key, sizeof(key));
    r = sw_store_cmd(s, "SMEMBERS", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ARRAY && r->elements > 0) {
        subs = calloc(r->elements, sizeof(*subs));
        if (subs == NULL) {
            freeReplyObject(r);
            return SW_ERR;
        }
        for (i = 0; i < r->elements; i++)
            subs[n++] = sw_reply_int(r->element[i], 0);
        qsort(subs, n, sizeof(*subs), cmp_sub);
    }
    freeReplyObject(r);
    *out = json_array();
    for (i = 0; i < n && rc == SW_OK; i++) {
        json_t *a = NULL;

        if (json_array_size(*out) >= max) {
            *more = 1;
            break;
        }
        rc = attendee_of(s, subs[i], show, &a);
        if (a != NULL)
            json_array_append_new(*out, a);
    }
    free(subs);
    if (rc != SW_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* --- how sure a name is another ------------------------------------------------------------ */

const char *sw_sureness_name(enum sw_sureness s)
{
    switch (s) {
    case SW_SURE_EXACT: return "exact";
    case SW_SURE_TRADE_NAME: return "same_trade_name";
    case SW_SURE_SIMILAR: return "similar";
    default: return "none";
    }
}

/* 1 when the folded text of q (at least two characters) is part of name's as written. */
static int folded_part(const char *q, const char *name)
{
    struct sw_buf a, b;
    int in = 0;

    sw_buf_init(&a, 1024);
    sw_buf_init(&b, 4096);
    if (sw_fold_search(q, strlen(q), &a) == SW_OK && sw_fold_search(name, strlen(name), &b) ==
        SW_OK && a.p != NULL && b.p != NULL && a.len >= 2)
        in = strstr(b.p, a.p) != NULL;
    sw_buf_free(&a);
    sw_buf_free(&b);
    return in;
}

enum sw_sureness sw_party_sureness(const char *q, const char *name, const char *name_of,
                                   char *why, size_t whylen)
{
    struct sw_keys kq, kn;
    char tq[SW_KEY_MAX], tn[SW_KEY_MAX];
    size_t lq, ln;
    int d;

    snprintf(why, whylen, "another name");
    if (q == NULL || name == NULL || sw_normalise(q, SW_NORM_NAME, &kq) != SW_OK ||
        sw_normalise(name, SW_NORM_NAME, &kn) != SW_OK)
        return SW_SURE_NONE;
    if (name_of == NULL && kq.exact[0] != '\0' && strcmp(kq.exact, kn.exact) == 0) {
        snprintf(why, whylen, "the same name");
        return SW_SURE_EXACT;
    }
    if (sw_party_same(q, name, name_of)) {
        snprintf(why, whylen, "the same trade name");
        return SW_SURE_TRADE_NAME;
    }
    if (sw_name_key(q, tq, sizeof(tq)) == SW_OK && sw_name_key(name, tn, sizeof(tn)) == SW_OK) {
        lq = strlen(tq);
        ln = strlen(tn);
        if (lq >= 3 && lq < ln && strncmp(tq, tn, lq) == 0) {
            snprintf(why, whylen, "the trade name begins so");
            return SW_SURE_SIMILAR;
        }
        if (lq >= 4 && ln >= 4) {
            int max = (int)((lq > ln ? lq : ln) / 5);

            d = sw_edit_distance(tq, tn, max < 1 ? 1 : max);
            if (d <= (max < 1 ? 1 : max)) {
                snprintf(why, whylen, "the trade name spelt %d letter%s apart", d,
                         d == 1 ? "" : "s");
                return SW_SURE_SIMILAR;
            }
        }
    }
    if (folded_part(q, name)) {
        snprintf(why, whylen, "part of the name");
        return SW_SURE_SIMILAR;
    }
    return SW_SURE_NONE;
}

static int by_match(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t sx = json_integer_value(json_object_get(x, "sure"));
    json_int_t sy = json_integer_value(json_object_get(y, "sure"));
    json_int_t ix = json_integer_value(json_object_get(x, "subscriber_id"));
    json_int_t iy = json_integer_value(json_object_get(y, "subscriber_id"));

    if (sx != sy)
        return sx > sy ? -1 : 1;
    return (ix > iy) - (ix < iy);
}

json_t *sw_attendees_rank(const json_t *attendees, const char *q, enum sw_sureness min)
{
    json_t **v = calloc(json_array_size(attendees) + 1, sizeof(*v)), *a, *nm, *out;
    size_t i, j, n = 0;

    if (v == NULL)
        return NULL;
    json_array_foreach(attendees, i, a) {
        enum sw_sureness best = SW_SURE_NONE;
        const char *matched = NULL;
        char why[64], bwhy[64] = "";

        json_array_foreach(json_object_get(a, "names"), j, nm) {
            const char *text = json_string_value(json_object_get(nm, "text"));
            enum sw_sureness sure = sw_party_sureness(
                q, text, json_string_value(json_object_get(nm, "of")), why, sizeof(why));

            if (sure > best) {
                best = sure;
                matched = text;
                snprintf(bwhy, sizeof(bwhy), "%s", why);
            }
        }
        if (best < min || best == SW_SURE_NONE)
            continue;
        v[n] = json_deep_copy(a);
        json_object_set_new(v[n], "match", json_string(sw_sureness_name(best)));
        json_object_set_new(v[n], "why", json_string(bwhy));
        json_object_set_new(v[n], "matched_name", json_string(matched ? matched : ""));
        json_object_set_new(v[n], "sure", json_integer(best));
        n++;
    }
    qsort(v, n, sizeof(*v), by_match);
    out = json_array();
    for (i = 0; i < n; i++) {
        json_object_del(v[i], "sure");
        json_array_append_new(out, v[i]);
    }
    free(v);
    return out;
}

/* --- party look-up ------------------------------------------------------------------------- */

/* Files the keys of every party index in PARTY_KEYS, once (incidents logged before it). */
static int party_keys_build(struct sw_store *s)
{
    redisReply *r = sw_store_cmd(s, "EXISTS", PARTY_KEYS_BUILT, NULL);
    sw_key_t pkeys = swk_party_keys();
    char cursor[32] = "0";
    int rc = SW_OK, done;

    if (r == NULL)
        return SW_EAGAIN;
    done = sw_reply_int(r, 0) == 1;
    freeReplyObject(r);
    if (done)
        return SW_OK;
    do {
        const char **argv;
        size_t i, n = 0;

        r = sw_store_cmd(s, "SCAN", cursor, "MATCH", swk_party_pattern().s, "COUNT", "1000", NULL);
        if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
            if (r != NULL)
                freeReplyObject(r);
            return SW_EAGAIN;
        }
        snprintf(cursor, sizeof(cursor), "%s", sw_reply_str(r->element[0]) ?: "0");
        argv = calloc(2 + 2 * r->element[1]->elements + 1, sizeof(*argv));
        if (argv == NULL) {
            freeReplyObject(r);
            return SW_ERR;
        }
        argv[n++] = "ZADD";
        argv[n++] = pkeys.s;
        for (i = 0; i < r->element[1]->elements; i++) {
            const char *k = sw_reply_str(r->element[1]->element[i]), *p;

            if (k == NULL || (p = strchr(k + 9, ':')) == NULL || p[1] == '\0')
                continue;   /* "sw:party:" then the role, ':' and the party key */
            argv[n++] = "0";
            argv[n++] = p + 1;
        }
        if (n > 2) {
            redisReply *z = sw_store_cmdv(s, (int)n, argv, NULL);

            if (z == NULL)
                rc = SW_EAGAIN;
            else
                freeReplyObject(z);
        }
        free(argv);
        freeReplyObject(r);
    } while (rc == SW_OK && strcmp(cursor, "0") != 0);
    if (rc == SW_OK) {
        r = sw_store_cmd(s, "SET", PARTY_KEYS_BUILT, "1", NULL);
        if (r == NULL)
            return SW_EAGAIN;
        freeReplyObject(r);
    }
    return rc;
}

int sw_party_keys_like(struct sw_store *s, const char *prefix, size_t max, json_t **out)
{
    char lo[SW_KEY_MAX + 2], hi[SW_KEY_MAX + 3], lim[24];
    redisReply *r;
    size_t i;
    int rc;

    *out = NULL;
    if ((rc = party_keys_build(s)) != SW_OK)
        return rc;
    snprintf(lo, sizeof(lo), "[%s", prefix);
    snprintf(hi, sizeof(hi), "[%s\xff", prefix);
    snprintf(lim, sizeof(lim), "%zu", max);
    r = sw_store_cmd(s, "ZRANGEBYLEX", PARTY_KEYS, lo, hi, "LIMIT", "0", lim, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *out = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
        if (sw_reply_str(r->element[i]) != NULL)
            json_array_append_new(*out, json_string(sw_reply_str(r->element[i])));
    freeReplyObject(r);
    return SW_OK;
}

int sw_party_incident_ids(struct sw_store *s, const char *key, size_t max, json_t *ids)
{
    static const char *const roles[] = { "exhibitor", "complainant" };
    char k[sizeof(sw_party_key_t)], last[24];
    size_t r, i, j;

    snprintf(last, sizeof(last), "%zu", max > 0 ? max - 1 : 0);
    for (r = 0; r < SW_ARRAY_LEN(roles); r++) {
        redisReply *rep;

        snprintf(k, sizeof(k), "%s", swk_party(roles[r], key).s);
        rep = sw_store_cmd(s, "ZREVRANGE", k, "0", last, NULL);
        if (rep == NULL)
            return SW_EAGAIN;
        for (i = 0; rep->type == REDIS_REPLY_ARRAY && i < rep->elements; i++) {
            json_int_t id = sw_reply_int(rep->element[i], 0);
            json_t *v;
            int seen = 0;

            json_array_foreach(ids, j, v)
                seen |= json_integer_value(v) == id;
            if (!seen && id > 0)
                json_array_append_new(ids, json_integer(id));
        }
        freeReplyObject(rep);
    }
    return SW_OK;
}

/* --- device times, content, what others may know ------------------------------------------ */

void sw_incident_times_check(const json_t *in, const json_t *show, int64_t received_ms,
                             int64_t now, int64_t skew_ms, int64_t before_ms,
                             const char *prefix, struct sw_verrs *errs)
{
    static const char *const names[] = { "received_at", "answered_at" };
    char zone[SW_ZONE_MAX + 1], ptr[160], when[32];
    int64_t at[2] = { 0, 0 }, start = 0, day;
    int have[2] = { 0, 0 }, bounded = 0;
    size_t i;

    sw_show_zone(show, zone, sizeof(zone), NULL);
    if (day_valid(json_string_value(json_object_get(show, "starts")), &day) &&
        sw_zone_day_start(zone, day / DAY_MS, &start) == SW_OK)
        bounded = 1;
    for (i = 0; i < SW_ARRAY_LEN(names); i++) {
        const char *v = json_string_value(json_object_get(in, names[i]));

        if (v == NULL || device_time(v, &at[i]) != SW_OK)
            continue;   /* absent, or refused by sw_incident_check */
        have[i] = 1;
        snprintf(ptr, sizeof(ptr), "%s/%s", prefix, names[i]);
        if (at[i] > now + skew_ms)
            sw_verrs_add(errs, ptr, "is later than the server's clock allows (%s, with %lld "
                         "seconds for a device's clock running fast): the device's clock is "
                         "wrong or the time was mistyped", sw_iso8601(now, when, sizeof(when)),
                         (long long)(skew_ms / 1000));
        else if (bounded && at[i] < start - before_ms)
            sw_verrs_add(errs, ptr, "is before the show: it starts %s (%s), and times more "
                         "than %lld hours before that are refused as a wrong clock",
                         json_string_value(json_object_get(show, "starts")), zone,
                         (long long)(before_ms / 3600000));
    }
    if (have[0])
        received_ms = at[0];
    if (have[1] && received_ms >= 0 && at[1] < received_ms) {
        snprintf(ptr, sizeof(ptr), "%s/answered_at", prefix);
        sw_verrs_add(errs, ptr, "is before the complaint was received (%s): an answer cannot "
                     "come before it", sw_iso8601(received_ms, when, sizeof(when)));
    }
}

void sw_incident_content_hash(const json_t *in, char *hex)
{
    static const char *const times[] = { "received_at", "answered_at" };
    unsigned char h[crypto_hash_sha256_BYTES];
    json_t *c = json_deep_copy(in);
    char *text = NULL, when[32];
    size_t i;
    int64_t ms;

    if (c != NULL) {
        json_object_del(c, "key");
        for (i = 0; i < SW_ARRAY_LEN(times); i++)
            if (json_is_string(json_object_get(c, times[i])) &&
                sw_date_ms(json_string_value(json_object_get(c, times[i])), &ms) == SW_OK)
                json_object_set_new(c, times[i], json_string(sw_iso8601(ms, when,
                                                                         sizeof(when))));
        text = json_dumps(c, JSON_SORT_KEYS | JSON_COMPACT);
    }
    crypto_hash_sha256(h, (const unsigned char *)(text ? text : ""), text ? strlen(text) : 0);
    sw_hex(h, sizeof(h), hex);
    free(text);
    json_decref(c);
}

void sw_incident_event_words(json_t *ev)
{
    const char *show = json_string_value(json_object_get(ev, "show_name"));
    const char *kind = json_string_value(json_object_get(ev, "kind")) ?: "other";
    const char *hall = json_string_value(json_object_get(ev, "hall"));
    const char *cat = json_string_value(json_object_get(ev, "product_category"));
    const json_t *kinds = json_object_get(ev, "rights_kinds"), *k;
    struct sw_buf title, text;
    size_t i;

    sw_buf_init(&title, 1024);
    sw_buf_init(&text, 4096);
    sw_buf_printf(&title, "IP incident at %.200s: %.32s",
                  show ? show : json_string_value(json_object_get(ev, "show")) ?: "a show", kind);
    sw_buf_printf(&text, "Kind: %.32s", kind);
    json_array_foreach(kinds, i, k) {
        sw_buf_adds(&title, i == 0 ? " (" : ", ");
        sw_buf_printf(&title, "%.32s", json_string_value(k) ?: "");
    }
    if (json_array_size(kinds) > 0)
        sw_buf_adds(&title, ")");
    if (hall != NULL && hall[0] != '\0') {
        sw_buf_printf(&title, ", hall %.32s", hall);
        sw_buf_printf(&text, "\nHall: %.32s", hall);
    }
    if (cat != NULL && cat[0] != '\0') {
        sw_buf_printf(&title, ", %.100s", cat);
        sw_buf_printf(&text, "\nProducts: %.100s", cat);
    }
    json_array_foreach(kinds, i, k) {
        sw_buf_adds(&text, i == 0 ? "\nRights invoked: " : ", ");
        sw_buf_printf(&text, "%.32s", json_string_value(k) ?: "");
    }
    json_object_set_new(ev, "title", json_string(title.p ? title.p : ""));
    json_object_set_new(ev, "text", json_string(text.p ? text.p : ""));
    sw_buf_free(&title);
    sw_buf_free(&text);
}

json_t *sw_incident_event_public(const json_t *ev)
{
    static const char *const keep[] = { "id", "source", "type", "show", "show_name", "date",
                                        "jurisdiction", "incident_id", "kind", "hall",
                                        "product_category", "rights_kinds" };
    json_t *out = json_object();
    size_t i;

    if (out == NULL)
        return NULL;
    for (i = 0; i < SW_ARRAY_LEN(keep); i++)
        if (json_object_get(ev, keep[i]) != NULL)
            json_object_set(out, keep[i], json_object_get(ev, keep[i]));
    /* Worded afresh from those alone: an event a feed made may name parties in its own. */
    sw_incident_event_words(out);
    json_object_set_new(out, "names_withheld", json_true());
    return out;
}

static void recognised_key(long long id, char *out, size_t n)
{
    snprintf(out, n, "%s", swk_incident_recognised(id).s);
}

int sw_incident_recognised_put(struct sw_store *s, long long id, long long sub,
                               const json_t *what)
{
    char key[SW_KEY_BYTES], subtxt[24], *text = sw_json_dumps(what);
    redisReply *r;

    if (text == NULL)
        return SW_ERR;
    recognised_key(id, key, sizeof(key));
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    r = sw_store_cmd(s, "HSET", key, subtxt, text, NULL);
    free(text);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

static int by_score(const void *a, const void *b)
{
    double x = json_number_value(json_object_get(*(json_t *const *)a, "score"));
    double y = json_number_value(json_object_get(*(json_t *const *)b, "score"));

    return (x < y) - (x > y);
}

int sw_incident_recognised_get(struct sw_store *s, long long id, json_t **out)
{
    char key[SW_KEY_BYTES];
    redisReply *r;
    json_t **v = NULL;
    size_t i, n = 0;

    *out = json_array();
    recognised_key(id, key, sizeof(key));
    r = sw_store_cmd(s, "HGETALL", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ARRAY && r->elements >= 2)
        v = calloc(r->elements / 2, sizeof(*v));
    for (i = 0; v != NULL && i + 1 < r->elements; i += 2) {
        json_t *w = json_loadb(r->element[i + 1]->str, r->element[i + 1]->len, 0, NULL);

        if (!json_is_object(w)) {
            json_decref(w);
            continue;
        }
        json_object_set_new(w, "subscriber_id", json_integer(sw_reply_int(r->element[i], 0)));
        v[n++] = w;
    }
    freeReplyObject(r);
    if (n > 0)
        qsort(v, n, sizeof(*v), by_score);
    for (i = 0; i < n; i++)
        json_array_append_new(*out, v[i]);
    free(v);
    return SW_OK;
}

/* --- reading and changing incidents, shows' lists and counts ---------------------------- */

int sw_incident_durable(struct sw_store *s, long long id)
{
    struct sw_rec_keys k;

    sw_rec_keys(&k, "inc", id);
    return sw_store_durable(s, k.doc) == SW_OK ? SW_OK : SW_EAGAIN;
}

int sw_incident_update(struct sw_store *s, long long id, long long history_max,
                       sw_incident_edit_fn fn, sw_incident_more_fn more, void *ud,
                       json_t **out)
{
    struct sw_rec_keys k;
    int rc;

    sw_rec_keys(&k, "inc", id);
    rc = sw_rec_update(s, &k, history_max, fn, more, ud, out);
    if (rc == SW_OK && (rc = sw_incident_durable(s, id)) != SW_OK && out != NULL) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int sw_show_incident_ids(struct sw_store *s, const char *show, long long after, int limit,
                         long long max, json_t **ids, long long *next)
{
    return sw_rec_ids(s, swk_show_incidents(show).s, after, limit, max, ids, next);
}

int sw_party_incidents_before(struct sw_store *s, const char *role, const char *key,
                              long long max_ms, int count, long long skip, json_t *ids)
{
    char max[32], cnt[16];
    redisReply *rep;
    size_t i, j;

    snprintf(max, sizeof(max), "%lld", max_ms);
    snprintf(cnt, sizeof(cnt), "%d", count);
    rep = sw_store_cmd(s, "ZREVRANGEBYSCORE", swk_party(role, key).s, max, "-inf", "LIMIT",
                       "0", cnt, NULL);
    if (rep == NULL)
        return SW_EAGAIN;
    for (i = 0; rep->type == REDIS_REPLY_ARRAY && i < rep->elements; i++) {
        json_int_t id = sw_reply_int(rep->element[i], 0);
        json_t *v;
        int seen = id == skip || id <= 0;

        json_array_foreach(ids, j, v)
            seen |= json_integer_value(v) == id;
        if (!seen)
            json_array_append_new(ids, json_integer(id));
    }
    freeReplyObject(rep);
    return SW_OK;
}

void sw_show_count_cmds(struct sw_cmds *c, const char *show, const char *field,
                        const char *by)
{
    sw_cmds_after(c, "HINCRBY", swk_show_stats(show).s, field, by, NULL);
}

json_t *sw_show_counts(struct sw_store *s, const char *show)
{
    json_t *out = json_pack("{s:i, s:i, s:{}}", "incidents", 0, "escalated", 0, "by_kind");
    redisReply *r = sw_store_cmd(s, "HGETALL", swk_show_stats(show).s, NULL);
    size_t i;

    for (i = 0; r != NULL && r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        const char *f = sw_reply_str(r->element[i]) ?: "";
        json_int_t v = strtoll(sw_reply_str(r->element[i + 1]) ?: "0", NULL, 10);

        if (strncmp(f, "kind:", 5) == 0)
            json_object_set_new(json_object_get(out, "by_kind"), f + 5, json_integer(v));
        else
            json_object_set_new(out, f, json_integer(v));
    }
    if (r != NULL)
        freeReplyObject(r);
    return out;
}

int sw_series_shows_before(struct sw_store *s, const char *series, long long day, int max,
                           json_t **docs)
{
    char before[32], cnt[16];
    redisReply *r;
    size_t i;

    *docs = NULL;
    snprintf(before, sizeof(before), "(%lld", day);
    snprintf(cnt, sizeof(cnt), "%d", max);
    r = sw_store_cmd(s, "ZREVRANGEBYSCORE", swk_series(series).s, before, "-inf", "LIMIT", "0",
                     cnt, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *docs = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        json_t *ed = NULL;

        if (sw_reply_str(r->element[i]) == NULL ||
            sw_show_get(s, sw_reply_str(r->element[i]), &ed) != SW_OK)
            continue;
        /* An entry left by a show that moved to another series (sw_show_put's last step). */
        if (strcmp(json_string_value(json_object_get(ed, "series")) ?: "", series) != 0) {
            json_decref(ed);
            continue;
        }
        json_array_append_new(*docs, ed);
    }
    freeReplyObject(r);
    return SW_OK;
}

int sw_shows_ending(struct sw_store *s, const char *min, const char *max, long long offset,
                    int count, json_t **ids)
{
    char off[24], cnt[16];
    redisReply *r;
    size_t i;

    *ids = NULL;
    snprintf(off, sizeof(off), "%lld", offset);
    snprintf(cnt, sizeof(cnt), "%d", count);
    r = sw_store_cmd(s, "ZRANGEBYSCORE", swk_shows_all().s, min, max, "LIMIT", off, cnt, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *ids = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
        if (sw_reply_str(r->element[i]) != NULL)
            json_array_append_new(*ids, json_string(sw_reply_str(r->element[i])));
    freeReplyObject(r);
    return SW_OK;
}
