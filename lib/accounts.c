/* accounts.c — the account kinds and a small JSON-document store over Redis shared by them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
#include "seawall/keys.h"
#include "seawall/store.h"

static const char *const staff_roles[] = { "triager", "expert", NULL };

static const struct sw_jfield subscriber_fields[] = {
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "country", SW_J_STRING, SW_JF_REQUIRED | SW_JF_COUNTRY, 2, 2, NULL },
    { "email", SW_J_STRING, SW_JF_REQUIRED | SW_JF_EMAIL, 3, 254, NULL },
    { "markets", SW_J_STRINGS, SW_JF_COUNTRY | SW_JF_EU, 0, 250, NULL },
    { "alert_threshold", SW_J_NUMBER, 0, 500, 1000, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static const struct sw_jfield centre_fields[] = {
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "country", SW_J_STRING, SW_JF_REQUIRED | SW_JF_COUNTRY, 2, 2, NULL },
    { "email", SW_J_STRING, SW_JF_EMAIL, 3, 254, NULL },
    { "sla_first_response_h", SW_J_INT, 0, 1, 8760, NULL },
    { "sla_resolution_h", SW_J_INT, 0, 1, 87600, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static const struct sw_jfield staff_fields[] = {
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "email", SW_J_STRING, SW_JF_REQUIRED | SW_JF_EMAIL, 3, 254, NULL },
    { "role", SW_J_STRING, SW_JF_REQUIRED, 1, 16, staff_roles },
    { "expertise", SW_J_STRINGS, 0, 0, 64, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

static const struct sw_jfield station_fields[] = {
    { "name", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 200, NULL },
    { "show", SW_J_STRING, SW_JF_REQUIRED | SW_JF_NONEMPTY, 1, 64, NULL },
    { "country", SW_J_STRING, SW_JF_REQUIRED | SW_JF_COUNTRY, 2, 2, NULL },
    { "email", SW_J_STRING, SW_JF_EMAIL, 3, 254, NULL },
    { NULL, SW_J_STRING, 0, 0, 0, NULL },
};

const struct sw_kind sw_kind_subscriber = {
    .name = "subscriber", .doc_key = swk_sub_profile, .index = swk_subscribers,
    .seq = swk_subscriber_seq, .fields = subscriber_fields,
};
const struct sw_kind sw_kind_centre = {
    .name = "centre", .doc_key = swk_centre_profile, .index = swk_centres,
    .seq = swk_centre_seq, .fields = centre_fields,
};
const struct sw_kind sw_kind_staff = {
    .name = "staff", .doc_key = swk_staff_doc, .index = swk_staff_index, .seq = swk_staff_seq,
    .parent_field = "centre_id", .parent_doc = swk_centre_profile,
    .parent_index = swk_centre_staff, .fields = staff_fields,
};
const struct sw_kind sw_kind_station = {
    .name = "station", .doc_key = swk_station_doc, .index = swk_stations,
    .seq = swk_station_seq, .fields = station_fields,
};

/* Writes tmpl with its one "%lld" replaced by id (no printf on a format from data). */
static void kind_key(const char *tmpl, long long id, char *out, size_t outlen)
{
    const char *at = strstr(tmpl, "%lld");
    int n = at ? (int)(at - tmpl) : (int)strlen(tmpl);

    snprintf(out, outlen, "%.*s%lld%s", n, tmpl, id, at ? at + 4 : "");
}

/* The kind's keys, from its key functions or else its formats. */
static void doc_key(const struct sw_kind *k, long long id, char *out, size_t outlen)
{
    if (k->doc_key != NULL)
        sw_strlcpy(out, k->doc_key(id).s, outlen);
    else
        kind_key(k->key_fmt, id, out, outlen);
}

static void index_key(const struct sw_kind *k, char *out, size_t outlen)
{
    sw_strlcpy(out, k->index != NULL ? k->index().s : k->index_key, outlen);
}

static void seq_key(const struct sw_kind *k, char *out, size_t outlen)
{
    sw_strlcpy(out, k->seq != NULL ? k->seq().s : k->seq_key, outlen);
}

static int has_parent_index(const struct sw_kind *k)
{
    return k->parent_index != NULL || k->parent_index_fmt != NULL;
}

static void parent_index_key(const struct sw_kind *k, long long parent, char *out,
                             size_t outlen)
{
    if (k->parent_index != NULL)
        sw_strlcpy(out, k->parent_index(parent).s, outlen);
    else
        kind_key(k->parent_index_fmt, parent, out, outlen);
}

static void parent_doc_key(const struct sw_kind *k, long long parent, char *out, size_t outlen)
{
    if (k->parent_doc != NULL)
        sw_strlcpy(out, k->parent_doc(parent).s, outlen);
    else
        kind_key(k->parent_key_fmt, parent, out, outlen);
}

void sw_doc_key(const struct sw_kind *k, long long id, char *out, size_t outlen)
{
    doc_key(k, id, out, outlen);
}

int sw_doc_get(struct sw_store *s, const struct sw_kind *k, long long id, json_t **out)
{
    char key[128];
    redisReply *r;
    json_t *doc;

    doc_key(k, id, key, sizeof(key));
    r = sw_store_cmd(s, "GET", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type != REDIS_REPLY_STRING) {
        freeReplyObject(r);
        return SW_NOTFOUND;
    }
    doc = json_loadb(r->str, r->len, 0, NULL);
    freeReplyObject(r);
    if (doc == NULL)
        return SW_ERR;
    *out = doc;
    return SW_OK;
}

int sw_doc_new_id(struct sw_store *s, const struct sw_kind *k, long long *id)
{
    char seq[128];
    redisReply *r;

    seq_key(k, seq, sizeof(seq));
    r = sw_store_cmd(s, "INCR", seq, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *id = sw_reply_int(r, -1);
    freeReplyObject(r);
    return *id > 0 ? SW_OK : SW_ERR;
}

/* The document of a new id: (1) its parent is asked to exist; (2) the id goes into the kind's
 * index and the parent's (other slots than the document's; one pipeline); (3) the document is
 * written, SET NX under its own key. A crash after (2) leaves index entries without a
 * document: sw_doc_list and every other reader skip them. Nothing names the id before (2), so
 * no reader can find a document whose index entries are missing. */
int sw_doc_create_id(struct sw_store *s, const struct sw_kind *k, const json_t *in,
                     long long parent, long long id, json_t **out)
{
    char key[128], idx[128], pidx[128], idtxt[32], when[32];
    const char *zadd[4], *pzadd[4], *set[4];
    const char **argvs[2];
    int argcs[2], n = 1, rc = SW_OK;
    redisReply *r, *rep[2] = { NULL, NULL };
    json_t *doc;
    char *text;

    if (k->parent_field != NULL) {
        parent_doc_key(k, parent, key, sizeof(key));
        r = sw_store_cmd(s, "EXISTS", key, NULL);
        if (r == NULL)
            return SW_EAGAIN;
        rc = sw_reply_int(r, 0) == 1 ? SW_OK : SW_NOTFOUND;
        freeReplyObject(r);
        if (rc != SW_OK)
            return rc;
    }
    if (id <= 0 && (rc = sw_doc_new_id(s, k, &id)) != SW_OK)
        return rc;

    doc = json_deep_copy(in);
    if (doc == NULL)
        return SW_ERR;
    json_object_set_new(doc, "id", json_integer(id));
    if (k->parent_field != NULL)
        json_object_set_new(doc, k->parent_field, json_integer(parent));
    json_object_set_new(doc, "created_at", json_string(sw_iso8601(sw_now_ms(), when,
                                                                   sizeof(when))));
    text = sw_json_dumps(doc);
    if (text == NULL) {
        json_decref(doc);
        return SW_ERR;
    }
    doc_key(k, id, key, sizeof(key));
    index_key(k, idx, sizeof(idx));
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    zadd[0] = "ZADD"; zadd[1] = idx; zadd[2] = idtxt; zadd[3] = idtxt;
    argvs[0] = zadd; argcs[0] = 4;
    if (has_parent_index(k) && parent != 0) {
        parent_index_key(k, parent, pidx, sizeof(pidx));
        pzadd[0] = "ZADD"; pzadd[1] = pidx; pzadd[2] = idtxt; pzadd[3] = idtxt;
        argvs[1] = pzadd; argcs[1] = 4;
        n = 2;
    }
    if (sw_store_pipeline(s, n, argcs, argvs, rep) != SW_OK) {
        rc = SW_EAGAIN;
        goto out;
    }
    if (rep[0]->type == REDIS_REPLY_ERROR || (n == 2 && rep[1]->type == REDIS_REPLY_ERROR))
        rc = SW_ERR;
    freeReplyObject(rep[0]);
    freeReplyObject(rep[1]);
    if (rc != SW_OK)
        goto out;
    set[0] = "SET"; set[1] = key; set[2] = text; set[3] = "NX";
    r = sw_store_cmdv(s, 4, set, NULL);
    if (r == NULL)
        rc = SW_EAGAIN;
    else if (r->type != REDIS_REPLY_STATUS)
        rc = SW_ERR;       /* an error, or NIL: a document under a fresh id is no retry */
    if (r != NULL)
        freeReplyObject(r);
out:
    free(text);
    if (rc != SW_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return SW_OK;
}

int sw_doc_create(struct sw_store *s, const struct sw_kind *k, const json_t *in,
                  long long parent, json_t **out)
{
    return sw_doc_create_id(s, k, in, parent, 0, out);
}

int sw_doc_patch(struct sw_store *s, const struct sw_kind *k, long long id,
                 const json_t *patch, json_t **out)
{
    char key[128], when[32];
    const char *set[3];
    const char **argvs[1];
    int argcs[1], attempt, rc;
    redisReply *r;

    doc_key(k, id, key, sizeof(key));
    for (attempt = 0; attempt < 8; attempt++) {
        json_t *doc, *v;
        const char *name;
        char *text;

        r = sw_store_cmd(s, "WATCH", key, NULL);
        if (r == NULL)
            return SW_EAGAIN;
        freeReplyObject(r);
        rc = sw_doc_get(s, k, id, &doc);
        if (rc != SW_OK) {
            r = sw_store_cmd(s, "UNWATCH", NULL);
            if (r != NULL)
                freeReplyObject(r);
            return rc;
        }
        json_object_foreach((json_t *)patch, name, v) {
            if (json_is_null(v))
                json_object_del(doc, name);
            else
                json_object_set(doc, name, v);
        }
        json_object_set_new(doc, "updated_at",
                            json_string(sw_iso8601(sw_now_ms(), when, sizeof(when))));
        text = sw_json_dumps(doc);
        if (text == NULL) {
            json_decref(doc);
            return SW_ERR;
        }
        set[0] = "SET"; set[1] = key; set[2] = text;
        argvs[0] = set; argcs[0] = 3;
        r = sw_store_multi(s, 1, argcs, argvs, NULL);
        free(text);
        if (r == NULL) {
            json_decref(doc);
            return SW_EAGAIN;
        }
        if (r->type == REDIS_REPLY_ARRAY) {
            freeReplyObject(r);
            *out = doc;
            return SW_OK;
        }
        /* NIL: someone changed the document between WATCH and EXEC; read it again. */
        freeReplyObject(r);
        json_decref(doc);
    }
    return SW_CONFLICT;
}

int sw_doc_list(struct sw_store *s, const struct sw_kind *k, long long parent,
                long long after, int limit, json_t **items, long long *next)
{
    char idx[128], min[32], lim[16];
    const char **argv = NULL;
    char (*keys)[128] = NULL;
    redisReply *ids, *docs = NULL;
    json_t *list;
    size_t i, n;
    int rc = SW_OK;

    if (parent != 0 && has_parent_index(k))
        parent_index_key(k, parent, idx, sizeof(idx));
    else
        index_key(k, idx, sizeof(idx));
    snprintf(min, sizeof(min), "(%lld", after);
    snprintf(lim, sizeof(lim), "%d", limit + 1);
    ids = sw_store_cmd(s, "ZRANGEBYSCORE", idx, min, "+inf", "LIMIT", "0", lim, NULL);
    if (ids == NULL)
        return SW_EAGAIN;
    list = json_array();
    *next = 0;
    if (ids->type != REDIS_REPLY_ARRAY || ids->elements == 0)
        goto out;
    n = ids->elements > (size_t)limit ? (size_t)limit : ids->elements;
    argv = calloc(n + 1, sizeof(*argv));
    keys = calloc(n, sizeof(*keys));
    if (argv == NULL || keys == NULL) {
        rc = SW_ERR;
        goto out;
    }
    argv[0] = "MGET";
    for (i = 0; i < n; i++) {
        long long id = sw_reply_int(ids->element[i], 0);

        doc_key(k, id, keys[i], sizeof(keys[i]));
        argv[i + 1] = keys[i];
    }
    docs = sw_store_cmdv(s, (int)n + 1, argv, NULL);
    if (docs == NULL) {
        rc = SW_EAGAIN;
        goto out;
    }
    for (i = 0; i < docs->elements && i < n; i++) {
        redisReply *d = docs->element[i];
        json_t *doc;

        if (d->type != REDIS_REPLY_STRING)
            continue;
        doc = json_loadb(d->str, d->len, 0, NULL);
        if (doc != NULL)
            json_array_append_new(list, doc);
    }
    if (ids->elements > (size_t)limit)
        *next = sw_reply_int(ids->element[limit - 1], 0);
out:
    free(argv);
    free(keys);
    if (docs != NULL)
        freeReplyObject(docs);
    freeReplyObject(ids);
    if (rc != SW_OK) {
        json_decref(list);
        return rc;
    }
    *items = list;
    return SW_OK;
}

/* (1) the document, (2) its id out of the kind's index (another slot). A crash between
 * leaves an index entry without a document, which readers skip; deleting again removes it
 * (SW_NOTFOUND then, as the document was gone). */
int sw_doc_delete(struct sw_store *s, const struct sw_kind *k, long long id)
{
    char key[128], idx[128], idtxt[32];
    redisReply *r;
    long long n;

    doc_key(k, id, key, sizeof(key));
    index_key(k, idx, sizeof(idx));
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    r = sw_store_cmd(s, "DEL", key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    n = r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    freeReplyObject(r);
    if (n < 0)
        return SW_ERR;
    r = sw_store_cmd(s, "ZREM", idx, idtxt, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return n == 1 ? SW_OK : SW_NOTFOUND;
}
