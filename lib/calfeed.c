/* calfeed.c — a person's deadlines as an iCalendar feed (RFC 5545, written with libical) at a
 * secret URL: the feed's token is shown once and kept only as its SHA-256.
 *
 * Keys (keys.h), each in its own slot, so every change is single-key steps in a safe order:
 *   sw:caltok:<sha256 hex>      JSON {person, created_at} of a live feed token
 *   sw:{person:N}:caltok        the hash of person N's live token (to replace or revoke it) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>
#include <sodium.h>

#include "seawall/calfeed.h"
#include "seawall/date.h"
#include "seawall/json.h"
#include "seawall/keys.h"
#include "seawall/store.h"

static void tok_key(char *out, size_t len, const char *hash)
{
    snprintf(out, len, "%s", swk_caltok(hash).s);
}

static void person_key(char *out, size_t len, long long person)
{
    snprintf(out, len, "%s", swk_person_caltok(person).s);
}

/* One command on one key; SW_OK or SW_EAGAIN. */
static int one(struct sw_store *s, const char *cmd, const char *key, const char *value)
{
    redisReply *r = value != NULL ? sw_store_cmd(s, cmd, key, value, NULL)
                                  : sw_store_cmd(s, cmd, key, NULL);

    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return SW_OK;
}

static void hash_of(const char *token, char *hex)
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sw_hex(h, sizeof(h), hex);
}

/* Three steps, one key each: (1) the old token deleted (the person asked for a new one: the
 * old stops working first); (2) the new token's record; (3) the person's pointer to it. A
 * crash after (1) leaves no live token (the status says so; asking again makes one); after
 * (2), a token nobody was shown, which the pointer does not name. */
int sw_calfeed_token_new(struct sw_store *s, long long person, int64_t now_ms, char *token)
{
    unsigned char raw[32];
    char hash[65], key[SW_KEY_BYTES], pkey[SW_KEY_BYTES], when[32], *text;
    json_t *rec;
    redisReply *old;
    int rc = SW_OK;

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(token, SW_CALFEED_TOKEN_MAX, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    hash_of(token, hash);
    tok_key(key, sizeof(key), hash);
    person_key(pkey, sizeof(pkey), person);
    rec = json_pack("{s:I, s:s}", "person", (json_int_t)person, "created_at",
                    sw_iso8601(now_ms, when, sizeof(when)));
    text = rec != NULL ? sw_json_dumps(rec) : NULL;
    json_decref(rec);
    if (text == NULL)
        return SW_ERR;
    old = sw_store_cmd(s, "GET", pkey, NULL);
    if (old == NULL) {
        free(text);
        return SW_EAGAIN;
    }
    if (old->type == REDIS_REPLY_STRING && old->len == 64) {
        char okey[SW_KEY_BYTES];

        tok_key(okey, sizeof(okey), old->str);
        rc = one(s, "DEL", okey, NULL);
    }
    freeReplyObject(old);
    if (rc == SW_OK)
        rc = one(s, "SET", key, text);
    if (rc == SW_OK)
        rc = one(s, "SET", pkey, hash);
    free(text);
    return rc;
}

int sw_calfeed_token_status(struct sw_store *s, long long person, json_t **out)
{
    char pkey[SW_KEY_BYTES], key[SW_KEY_BYTES];
    redisReply *r;
    json_t *rec = NULL;

    person_key(pkey, sizeof(pkey), person);
    r = sw_store_cmd(s, "GET", pkey, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_STRING && r->len == 64) {
        redisReply *t;

        tok_key(key, sizeof(key), r->str);
        t = sw_store_cmd(s, "GET", key, NULL);
        if (t == NULL) {
            freeReplyObject(r);
            return SW_EAGAIN;
        }
        if (t->type == REDIS_REPLY_STRING)
            rec = json_loadb(t->str, t->len, 0, NULL);
        freeReplyObject(t);
    }
    freeReplyObject(r);
    *out = json_pack("{s:b, s:O?}", "active", rec != NULL, "created_at",
                     json_object_get(rec, "created_at"));
    json_decref(rec);
    return SW_OK;
}

int sw_calfeed_token_revoke(struct sw_store *s, long long person)
{
    char pkey[SW_KEY_BYTES], key[SW_KEY_BYTES];
    redisReply *r;
    int had, rc = SW_OK;

    person_key(pkey, sizeof(pkey), person);
    r = sw_store_cmd(s, "GET", pkey, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    had = r->type == REDIS_REPLY_STRING && r->len == 64;
    if (had) {   /* the token first (it stops working), then the pointer to it */
        tok_key(key, sizeof(key), r->str);
        rc = one(s, "DEL", key, NULL);
        if (rc == SW_OK)
            rc = one(s, "DEL", pkey, NULL);
    }
    freeReplyObject(r);
    return rc != SW_OK ? rc : had ? SW_OK : SW_NOTFOUND;
}

int sw_calfeed_token_person(struct sw_store *s, const char *token, long long *person)
{
    char hash[65], key[SW_KEY_BYTES];
    redisReply *r;
    json_t *rec;
    size_t n = strlen(token), i;

    if (n != 43)
        return SW_NOTFOUND;
    for (i = 0; i < n; i++)
        if (!((token[i] >= 'a' && token[i] <= 'z') || (token[i] >= 'A' && token[i] <= 'Z') ||
              (token[i] >= '0' && token[i] <= '9') || token[i] == '-' || token[i] == '_'))
            return SW_NOTFOUND;
    hash_of(token, hash);
    tok_key(key, sizeof(key), hash);
    r = sw_store_cmd(s, "GET", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    rec = r->type == REDIS_REPLY_STRING ? json_loadb(r->str, r->len, 0, NULL) : NULL;
    freeReplyObject(r);
    if (rec == NULL)
        return SW_NOTFOUND;
    *person = json_integer_value(json_object_get(rec, "person"));
    json_decref(rec);
    return *person > 0 ? SW_OK : SW_NOTFOUND;
}

/* A UTC date-time of instant ms, as libical holds it. */
static struct icaltimetype utc_time(int64_t ms)
{
    return icaltime_from_timet_with_zone((time_t)(ms / 1000), 0,
                                         icaltimezone_get_utc_timezone());
}

char *sw_calfeed_render(const json_t *events, const char *name, int64_t now_ms)
{
    icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
    const json_t *e;
    char *text, *out;
    size_t i;

    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_prodid("-//Seawall//Case deadlines//EN"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    if (name != NULL) {
        icalproperty *p = icalproperty_new_x(name);

        icalproperty_set_x_name(p, "X-WR-CALNAME");
        icalcomponent_add_property(cal, p);
    }
    json_array_foreach(events, i, e) {
        icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        const char *url = json_string_value(json_object_get(e, "url"));
        long long remind = json_integer_value(json_object_get(e, "remind_days"));

        icalcomponent_add_property(ev, icalproperty_new_uid(json_string_value(
                                                                json_object_get(e, "uid"))));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(now_ms)));
        icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(json_integer_value(
                                                                    json_object_get(e, "at_ms")))));
        icalcomponent_add_property(ev, icalproperty_new_summary(json_string_value(
                                                                    json_object_get(e, "summary"))));
        icalcomponent_add_property(ev, icalproperty_new_description(json_string_value(
                                                                        json_object_get(e,
                                                                        "description"))));
        if (url != NULL)
            icalcomponent_add_property(ev, icalproperty_new_url(url));
        icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        if (remind > 0) {
            icalcomponent *al = icalcomponent_new(ICAL_VALARM_COMPONENT);
            struct icaltriggertype tr = icaltriggertype_from_int(0);

            tr.duration = icaldurationtype_null_duration();
            tr.duration.is_neg = 1;
            tr.duration.days = (unsigned)remind;
            icalcomponent_add_property(al, icalproperty_new_action(ICAL_ACTION_DISPLAY));
            icalcomponent_add_property(al, icalproperty_new_trigger(tr));
            icalcomponent_add_property(al, icalproperty_new_description(json_string_value(
                                                                            json_object_get(e,
                                                                            "summary"))));
            icalcomponent_add_component(ev, al);
        }
        icalcomponent_add_component(cal, ev);
    }
    text = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    out = text != NULL ? strdup(text) : NULL;
    free(text);
    return out;
}
