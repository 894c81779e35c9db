/* accounts.h — subscribers (exporters), assistance centres and their staff, trade-show
 * stations: JSON documents in Redis, validated by one field table per kind, shared by the
 * API and the admin program.
 *
 * Keys: a subscriber's profile lives under its hash tag (sw:{sub:42}:profile) with the rest
 * of its data; each kind has a sorted-set index by id for cursor pagination. */
#ifndef SEAWALL_ACCOUNTS_H
#define SEAWALL_ACCOUNTS_H

#include <jansson.h>
#include "seawall/common.h"
#include "seawall/json.h"

struct sw_store;
struct sw_key;     /* seawall/keys.h */

struct sw_kind {
    const char *name;                 /* "subscriber" */
    /* The keys, from keys.h: the document's, the index of every id, the counter for new ids,
     * and for a kind with a parent the parent document's and the per-parent index. */
    struct sw_key (*doc_key)(long long id);
    struct sw_key (*index)(void);
    struct sw_key (*seq)(void);
    const char *parent_field;         /* member naming the parent (staff: "centre_id") or NULL */
    struct sw_key (*parent_doc)(long long parent);
    struct sw_key (*parent_index)(long long parent);
    const struct sw_jfield *fields;   /* what a client may send */
    /* Kinds not yet moved to keys.h spell their keys as formats with one %lld; each is used
     * only where its function above is NULL. */
    const char *key_fmt;
    const char *index_key;
    const char *seq_key;
    const char *parent_key_fmt;
    const char *parent_index_fmt;
};

extern const struct sw_kind sw_kind_subscriber;
extern const struct sw_kind sw_kind_centre;
extern const struct sw_kind sw_kind_staff;
extern const struct sw_kind sw_kind_station;

/* Stores a new document built from in (already checked with sw_json_check; borrowed).
 * parent is the parent id for kinds that have one (it must exist), else 0. Adds "id" and
 * "created_at". Returns SW_OK with *out (caller decrefs), SW_NOTFOUND (no such parent),
 * SW_EAGAIN (Redis down). The indexes (other slots) are written first, then the document:
 * a crash between leaves index entries without a document, which every reader skips. */
int sw_doc_create(struct sw_store *s, const struct sw_kind *k, const json_t *in,
                  long long parent, json_t **out);

/* A new id of kind k (its counter). SW_OK, SW_EAGAIN or SW_ERR. */
int sw_doc_new_id(struct sw_store *s, const struct sw_kind *k, long long *id);

/* As sw_doc_create, under id when it is > 0 (from sw_doc_new_id), else under a new one. */
int sw_doc_create_id(struct sw_store *s, const struct sw_kind *k, const json_t *in,
                     long long parent, long long id, json_t **out);

/* The Redis key of document id of kind k. */
void sw_doc_key(const struct sw_kind *k, long long id, char *out, size_t outlen);

/* Loads document id. SW_OK with *out, SW_NOTFOUND, or SW_EAGAIN. */
int sw_doc_get(struct sw_store *s, const struct sw_kind *k, long long id, json_t **out);

/* Merges patch (checked with partial=1; borrowed) into document id atomically (WATCH, retried
 * on a concurrent change). Adds "updated_at". SW_OK with *out, SW_NOTFOUND, SW_EAGAIN. */
int sw_doc_patch(struct sw_store *s, const struct sw_kind *k, long long id,
                 const json_t *patch, json_t **out);

/* Deletes document id, then its index entries (a crash between leaves an entry readers skip;
 * deleting again removes it). SW_OK, SW_NOTFOUND or SW_EAGAIN. */
int sw_doc_delete(struct sw_store *s, const struct sw_kind *k, long long id);

/* Lists documents with id > after, ascending, at most limit, from the kind's index or, when
 * parent != 0, from the parent's index. *next is the cursor for the next page, 0 at the end. */
int sw_doc_list(struct sw_store *s, const struct sw_kind *k, long long parent,
                long long after, int limit, json_t **items, long long *next);

#endif
