/* idempotency.h — what a POST with an Idempotency-Key answered, kept so the same request sent
 * again gets the same answer (fcgi/router.c decides what is kept and replays it).
 *
 * Key: sw:idem:<role>:<subject>:<person>:<sha256 of the header> — one string, per caller, so
 * two people of one company do not share their keys; one key, one slot. It holds JSON:
 * {"state":"pending","fp":…} while the first request runs (60 s at most), then
 * {"state":"done","fp":…,"status":…,"ctype":…,"body":…,"headers":…} for api.idempotency_ttl_s. */
#ifndef SEAWALL_IDEMPOTENCY_H
#define SEAWALL_IDEMPOTENCY_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;

#define SW_IDEM_KEY_MAX 192

/* The caller's key for the header's SHA-256 (hex) into key (SW_IDEM_KEY_MAX). */
void sw_idem_key(const char *role, long long subject, long long person, const char *header_hash,
                 char *key);

/* Claims key for a request whose fingerprint is fp (hex): SW_OK when it was free (this
 * request must then sw_idem_keep or sw_idem_release it); SW_CONFLICT when another request
 * holds or held it, with *prev its JSON (caller decrefs; NULL when it vanished meanwhile);
 * SW_EAGAIN when Redis did not answer. */
int sw_idem_claim(struct sw_store *s, const char *key, const char *fp, json_t **prev);

/* Keeps rec (JSON text) under key for ttl_s seconds. SW_OK or SW_EAGAIN. */
int sw_idem_keep(struct sw_store *s, const char *key, const char *rec, long long ttl_s);

/* Gives key back (the request is answered afresh next time); best effort. */
void sw_idem_release(struct sw_store *s, const char *key);

#endif
