/* calfeed.h — a person's case deadlines as an iCalendar feed at a secret URL
 * (/api/v1/calendar/<token>.ics): the token is random (32 bytes, base64url), shown once, kept
 * only as its SHA-256; making a new one ends the old; the feed needs no session. */
#ifndef SEAWALL_CALFEED_H
#define SEAWALL_CALFEED_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;

#define SW_CALFEED_TOKEN_MAX 48   /* 43 base64url characters and NUL */

/* A new token for person into token (SW_CALFEED_TOKEN_MAX bytes); the person's earlier one
 * stops working. SW_OK, SW_EAGAIN or SW_ERR. */
int sw_calfeed_token_new(struct sw_store *s, long long person, int64_t now_ms, char *token);

/* {active, created_at} of person's feed (*out, caller decrefs). SW_OK or SW_EAGAIN. */
int sw_calfeed_token_status(struct sw_store *s, long long person, json_t **out);

/* Ends person's feed: SW_OK, SW_NOTFOUND (none), SW_EAGAIN. */
int sw_calfeed_token_revoke(struct sw_store *s, long long person);

/* The person whose feed token is: SW_OK with *person, SW_NOTFOUND (not a live token, or not
 * shaped like one), SW_EAGAIN. */
int sw_calfeed_token_person(struct sw_store *s, const char *token, long long *person);

/* The calendar (RFC 5545, CRLF lines folded at 75 octets, as libical writes it) named name
 * (X-WR-CALNAME; may be NULL) with a VEVENT per member of events: {uid, at_ms (DTSTART, a UTC
 * date-time: the deadline's instant), summary, description, url?, remind_days? (a VALARM that
 * many days before)}; DTSTAMP now_ms. Each event is TRANSPARENT with no DTEND: an instant, not
 * busy time. Returns a string the caller frees, or NULL. */
char *sw_calfeed_render(const json_t *events, const char *name, int64_t now_ms);

#endif
