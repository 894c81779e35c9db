/* accounts.c — the account kinds and a small JSON-document store over Redis shared by them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/accounts.h"
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
    .name = "subscriber", .key_fmt = "sw:{sub:%lld}:profile",
    .index_key = "sw:idx:subscribers", .seq_key = "sw:seq:subscriber",
    .fields = subscriber_fields,
};
const struct sw_kind sw_kind_centre = {
    .name = "centre", .key_fmt = "sw:{centre:%lld}:profile",
    .index_key = "sw:idx:centres", .seq_key = "sw:seq:centre",
    .fields = centre_fields,
};
const struct sw_kind sw_kind_staff = {
    .name = "staff", .key_fmt = "sw:staff:%lld",
    .index_key = "sw:idx:staff", .seq_key = "sw:seq:staff",
    .parent_field = "centre_id", .parent_key_fmt = "sw:{centre:%lld}:profile",
    .parent_index_fmt = "sw:{centre:%lld}:staff",
    .fields = staff_fields,
};
const struct sw_kind sw_kind_station = {
    .name = "station", .key_fmt = "sw:station:%lld",
    .index_key = "sw:idx:stations", .seq_key = "sw:seq:station",
    .fields = station_fields,
};

/* Writes tmpl with its one "%lld" replaced by id (no printf on a format from data). */
static void kind_key(const char *tmpl, long long id, char *out, size_t outlen)
{
    const char *at = strstr(tmpl, "%lld");
    int n = at ? (int)(at - tmpl) : (int)strlen(tmpl);

    snprintf(out, outlen, "%.*s%lld%s", n, tmpl, id, at ? at + 4 : "");
}

void sw_doc_key(const struct sw_kind *k, long long id, char *out, size_t outlen)
{
    kind_key(k->key_fmt, id, out, outlen);
}

int sw_doc_get(struct sw_store *s, const struct sw_kind *k, long long id, json_t **out)
{
    char key[128];
    redisReply *r;
    json_t *doc;

    kind_key(k->key_fmt, id, key, sizeof(key));
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

int sw_doc_create(struct sw_store *s, const struct sw_kind *k, const json_t *in,
                  long long parent, json_t **out)
{
    char key[128], pkey[128], idtxt[32], when[32];
    const char *set[3], *zadd[4], *pzadd[4];
    const char **argvs[3];
    int argcs[3], n = 2, i;
    redisReply *r;
    json_t *doc;
    char *text;
    long long id;

    if (k->parent_field != NULL) {
        kind_key(k->parent_key_fmt, parent, pkey, sizeof(pkey));
        r = sw_store_cmd(s, "EXISTS", pkey, NULL);
        if (r == NULL)
            return SW_EAGAIN;
        id = sw_reply_int(r, 0);
        freeReplyObject(r);
        if (id != 1)
            return SW_NOTFOUND;
    }
    r = sw_store_cmd(s, "INCR", k->seq_key, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    id = sw_reply_int(r, -1);
    freeReplyObject(r);
    if (id <= 0)
        return SW_ERR;

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
    kind_key(k->key_fmt, id, key, sizeof(key));
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    set[0] = "SET"; set[1] = key; set[2] = text;
    zadd[0] = "ZADD"; zadd[1] = k->index_key; zadd[2] = idtxt; zadd[3] = idtxt;
    argvs[0] = set; argcs[0] = 3;
    argvs[1] = zadd; argcs[1] = 4;
    if (k->parent_index_fmt != NULL) {
        kind_key(k->parent_index_fmt, parent, pkey, sizeof(pkey));
        pzadd[0] = "ZADD"; pzadd[1] = pkey; pzadd[2] = idtxt; pzadd[3] = idtxt;
        argvs[2] = pzadd; argcs[2] = 4;
        n = 3;
    }
    /* One slot per step: the indexes first, then the document (a crash between them leaves
     * index entries naming a missing document, which sw_doc_list skips). */
    r = NULL;
    for (i = 1; i <= n; i++) {   /* argvs[1..n-1], then argvs[0] */
        r = sw_store_cmdv(s, argcs[i % n], argvs[i % n], NULL);
        if (r == NULL || r->type == REDIS_REPLY_ERROR)
            break;
        freeReplyObject(r);
        r = NULL;
    }
    free(text);
    if (i <= n) {
        int rc = r == NULL ? SW_EAGAIN : SW_ERR;

        if (r != NULL)
            freeReplyObject(r);
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return SW_OK;
}

int sw_doc_patch(struct sw_store *s, const struct sw_kind *k, long long id,
                 const json_t *patch, json_t **out)
{
    char key[128], when[32];
    const char *set[3];
    const char **argvs[1];
    int argcs[1], attempt, rc;
    redisReply *r;

    kind_key(k->key_fmt, id, key, sizeof(key));
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

    if (parent != 0 && k->parent_index_fmt != NULL)
        kind_key(k->parent_index_fmt, parent, idx, sizeof(idx));
    else
        sw_strlcpy(idx, k->index_key, sizeof(idx));
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

        kind_key(k->key_fmt, id, keys[i], sizeof(keys[i]));
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

int sw_doc_delete(struct sw_store *s, const struct sw_kind *k, long long id)
{
    char key[128], idtxt[32];
    const char *del[2], *zrem[3];
    redisReply *r;
    long long n;

    kind_key(k->key_fmt, id, key, sizeof(key));
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    del[0] = "DEL"; del[1] = key;
    zrem[0] = "ZREM"; zrem[1] = k->index_key; zrem[2] = idtxt;
    /* The document first, then its index entry (each its own slot): a crash between them
     * leaves an entry naming a missing document, which sw_doc_list skips. */
    r = sw_store_cmdv(s, 2, del, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    n = r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    freeReplyObject(r);
    if (n < 0)
        return SW_ERR;
    r = sw_store_cmdv(s, 3, zrem, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    freeReplyObject(r);
    return n == 1 ? SW_OK : SW_NOTFOUND;
}
