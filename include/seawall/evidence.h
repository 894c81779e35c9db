/* evidence.h — the evidence quota: bytes of evidence one tenant may hold. A case's files count
 * against its subscriber, an incident's against its show (whose station uploads them). */
#ifndef SEAWALL_EVIDENCE_H
#define SEAWALL_EVIDENCE_H

#include <stddef.h>

struct sw_store;

/* The key counting a tenant's evidence bytes: subscriber sub's when sub > 0, else show's. */
void sw_evidence_quota_key(long long sub, const char *show, char *out, size_t n);

/* Reserves n bytes under key when the tenant's bytes plus n stay within quota (one script, so
 * concurrent uploads cannot pass it together). SW_OK with *held the bytes now counted;
 * SW_TOOBIG, nothing reserved, with *held the bytes already counted; SW_EAGAIN or SW_ERR when
 * the store failed. */
int sw_evidence_reserve(struct sw_store *s, const char *key, long long n, long long quota,
                        long long *held);

/* Gives back n reserved bytes (an upload that was not recorded). SW_OK or SW_EAGAIN. */
int sw_evidence_release(struct sw_store *s, const char *key, long long n);

#endif
