/* evidence.c — evidence files of a case or a show incident: uploaded as the raw body, hashed
 * (SHA-256) while they stream to disk, stored once by hash under <data.dir>/evidence/,
 * recorded in the record's history (name, size, hash, who, when) and served back only to
 * those who may see the record, after checking that the file still has the hash recorded at
 * upload. A case escalated from an incident also lists and serves the incident's evidence:
 * whoever reads the case (its exporter, its centre's staff) reads those files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "seawall/cases.h"
#include "seawall/config.h"
#include "seawall/evidence.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/record.h"
#include "seawall/store.h"
#include "seawall/zip.h"
#include "api.h"

/* What holds evidence: cases and show incidents. */
struct owner {
    const char *base;        /* URL of the records: "/api/v1/cases" */
    const char *tag;         /* record tag (record.h) */
    const char *per_key;     /* configuration: files one record may hold */
    const char *hist_key;    /* configuration: history entries one record may hold */
    int (*load)(struct sw_ctx *c, long long *id, json_t **doc);
    int by_show;             /* the quota is the show's (incidents), else the subscriber's */
};

static const struct owner case_owner = { "/api/v1/cases", "case", "cases.evidence_per_case",
                                         "cases.history_max", sw_case_load_visible, 0 };
static const struct owner incident_owner = { "/api/v1/incidents", "inc",
                                             "shows.evidence_per_incident",
                                             "shows.incident_history_max",
                                             sw_incident_load_visible, 1 };

/* 400 naming query parameter param; msg is an English msgid (marked with SW_N). */
static int param_problem(struct sw_ctx *c, int status, const char *slug, const char *param,
                         const char *msg)
{
    msg = sw_tr(c->lang, msg);
    sw_reply_problem(c, status, slug, "Invalid request",
                     json_pack("[{s:s, s:s}]", "parameter", param, "message", msg),
                     /* TRANSLATORS: a query parameter's name, then what is wrong with it. */
                     "%s: %s", param, msg);
    return SW_INVALID;
}

/* 1 when s holds a bidirectional control — embeddings and overrides U+202A–U+202E, isolates
 * U+2066–U+2069, marks U+200E, U+200F and U+061C — with which "invoice\u202Efdp.exe" shows
 * as "invoiceexe.pdf". */
static int has_bidi_control(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    for (; *u != '\0'; u++) {
        if (u[0] == 0xE2 && u[1] == 0x80 &&
            ((u[2] >= 0xAA && u[2] <= 0xAE) || u[2] == 0x8E || u[2] == 0x8F))
            return 1;
        if (u[0] == 0xE2 && u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9)
            return 1;
        if (u[0] == 0xD8 && u[1] == 0x9C)
            return 1;
    }
    return 0;
}

/* A file name as the uploader's system wrote it: no path, no controls, valid UTF-8. */
static int name_valid(const char *s)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > 200 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\')
            return 0;
    }
    return sw_utf8_valid(s, n, NULL);
}

static int mkdirs(const char *path)
{
    char tmp[512];
    char *p;

    if (sw_strlcpy(tmp, path, sizeof(tmp)) != SW_OK)
        return -1;
    for (p = tmp + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

/* The evidence entries of a case's history, and whether (name, hash) is among them. */
static int evidence_of(struct sw_ctx *c, const struct owner *o, long long id, const char *name,
                       const char *hash, json_t **items, json_t **found)
{
    json_t *hist, *e;
    size_t i;
    struct sw_rec_keys k;
    int rc;

    sw_rec_keys(&k, o->tag, id);
    rc = sw_rec_history(c->store, &k, &hist);

    if (rc != SW_OK)
        return rc;
    *items = json_array();
    if (found != NULL)
        *found = NULL;
    json_array_foreach(hist, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "action")) ?: "", "evidence") != 0)
            continue;
        json_array_append(*items, e);
        if (found != NULL && *found == NULL && hash != NULL &&
            strcmp(json_string_value(json_object_get(e, "sha256")) ?: "", hash) == 0 &&
            (name == NULL || strcmp(json_string_value(json_object_get(e, "name")) ?: "", name)
                                 == 0))
            *found = e;
    }
    if (found != NULL && *found != NULL)
        json_incref(*found);
    json_decref(hist);
    return SW_OK;
}

struct add {
    const struct sw_principal *who;
    json_t *entry;
    long long max;
    int64_t now;
};

static int do_add(json_t *doc, json_t *hist, void *ud)
{
    struct add *a = ud;
    json_int_t n = json_integer_value(json_object_get(doc, "evidence_count"));

    if (n >= a->max)
        return SW_TOOBIG;
    json_object_set_new(doc, "evidence_count", json_integer(n + 1));
    json_array_append_new(hist, sw_case_entry(a->who, a->now, "evidence", 1,
                                              json_incref(a->entry)));
    return SW_OK;
}

/* Streams the body into tmp while hashing it. Returns SW_OK with hex, or answers. */
static int receive(struct sw_ctx *c, const char *tmp, char *hex)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    char buf[65536];
    size_t got = 0, want = (size_t)c->req->content_length;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0640), ok = fd >= 0;

    if (!ok) {
        sw_error("open(\"%s\") failed (%s)", tmp, strerror(errno));
        sw_reply_store(c, SW_ERR, "storing evidence");
        return SW_ERR;
    }
    crypto_hash_sha256_init(&st);
    while (got < want) {
        int n = c->read_body(c->io, buf, (int)(want - got > sizeof(buf) ? sizeof(buf)
                                                                       : want - got));

        if (n <= 0)
            break;
        crypto_hash_sha256_update(&st, (unsigned char *)buf, (unsigned long long)n);
        if (ok && write(fd, buf, (size_t)n) != n)
            ok = 0;
        got += (size_t)n;
    }
    if (ok && fsync(fd) != 0)
        ok = 0;
    close(fd);
    if (got != want) {
        unlink(tmp);
        sw_reply_problem(c, 400, "truncated-body", "Truncated body", NULL,
                         "Content-Length said %zu bytes but %zu arrived", want, got);
        return SW_INVALID;
    }
    if (!ok) {
        sw_error("writing \"%s\" failed (%s)", tmp, strerror(errno));
        unlink(tmp);
        sw_reply_store(c, SW_ERR, "storing evidence");
        return SW_ERR;
    }
    crypto_hash_sha256_final(&st, h);
    sw_hex(h, sizeof(h), hex);
    return SW_OK;
}

static void evidence_path(struct sw_ctx *c, const char *hex, char *dir, size_t dlen, char *file,
                          size_t flen)
{
    snprintf(dir, dlen, "%s/evidence/%.2s", sw_config_str(c->cfg, "data.dir"), hex);
    snprintf(file, flen, "%s/%s", dir, hex);
}

static json_t *entry_view(const struct owner *o, long long id, const json_t *e)
{
    char url[160];

    snprintf(url, sizeof(url), "%s/%lld/evidence/%s", o->base, id,
             json_string_value(json_object_get(e, "sha256")) ?: "");
    return json_pack("{s:O, s:O, s:O, s:O?, s:O, s:O, s:s}", "name", json_object_get(e, "name"),
                     "size", json_object_get(e, "size"), "sha256", json_object_get(e, "sha256"),
                     "content_type", json_object_get(e, "content_type"), "uploaded_at",
                     json_object_get(e, "at"), "uploaded_by", json_object_get(e, "by"), "url",
                     url);
}

/* Answers 507 quota-exceeded for an upload of n bytes that would pass the tenant's quota. */
static void reply_quota(struct sw_ctx *c, const struct owner *o, const json_t *doc, long long n,
                        long long held, long long quota)
{
    char who[96];

    if (o->by_show)
        snprintf(who, sizeof(who), "show %.64s",
                 json_string_value(json_object_get(doc, "show")) ?: "");
    else
        snprintf(who, sizeof(who), "subscriber %lld",
                 (long long)json_integer_value(json_object_get(doc, "subscriber_id")));
    sw_reply_problem(c, 507, "quota-exceeded", "Evidence quota exceeded", NULL,
                     "%s holds %lld bytes of evidence; this file of %lld bytes would pass its "
                     "quota of %lld bytes (evidence.quota_bytes); nothing was stored", who, held,
                     n, quota);
}

/* Receives the file, stores it by hash and records it in the record's history. A file new to
 * the record reserves its bytes from the tenant's evidence quota before it is moved into the
 * store; they are given back unless it is recorded (201). */
static void upload(struct sw_ctx *c, const struct owner *o)
{
    struct sw_rec_keys k;
    const char *name = sw_query(c, "name"), *declared = sw_query(c, "sha256");
    const char *ct = c->req->content_type;
    long long id, max = sw_config_int(c->cfg, "cases.evidence_max");
    long long quota = sw_config_int(c->cfg, "evidence.quota_bytes"), held = 0;
    char tmpdir[512], tmp[600], dir[512], file[600], hex[65], rnd[17], ctype[101], qkey[160];
    unsigned char rb[8];
    struct add a = { .who = &c->who };
    json_t *doc, *items = NULL, *found = NULL;
    int rc, reserved = 0, kept = 0;
    size_t i;

    if (o->load(c, &id, &doc) != SW_OK)
        return;
    if (name == NULL) {
        param_problem(c, 400, "validation", "name", SW_N("give the file's name as ?name="));
        goto out_doc;
    }
    if (!name_valid(name)) {
        param_problem(c, 400, "validation", "name", SW_N("must be a file name (1 to 200 bytes "
                      "of UTF-8), without a path, slashes or control characters"));
        goto out_doc;
    }
    if (has_bidi_control(name)) {
        param_problem(c, 400, "validation", "name", SW_N("must not contain bidirectional "
                      "controls (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C), "
                      "which can make a name show another file type"));
        goto out_doc;
    }
    if (declared != NULL && !sw_sha256_hex_valid(declared)) {
        param_problem(c, 400, "validation", "sha256", SW_N("must be 64 lower-case hex digits"));
        goto out_doc;
    }
    if (c->req->content_length > max) {
        sw_reply_problem(c, 413, "too-large", "Request body too large", NULL,
                         "the file is %lld bytes; evidence files may have at most %lld",
                         c->req->content_length, max);
        goto out_doc;
    }
    if (c->req->content_length <= 0) {
        sw_reply_problem(c, 400, "empty-body", "Empty file", NULL,
                         "send the file's bytes as the request body");
        goto out_doc;
    }
    snprintf(tmpdir, sizeof(tmpdir), "%s/evidence/tmp", sw_config_str(c->cfg, "data.dir"));
    if (mkdirs(tmpdir) != 0) {
        sw_error("mkdir(\"%s\") failed (%s)", tmpdir, strerror(errno));
        sw_reply_store(c, SW_ERR, "storing evidence");
        goto out_doc;
    }
    randombytes_buf(rb, sizeof(rb));
    sw_hex(rb, sizeof(rb), rnd);
    snprintf(tmp, sizeof(tmp), "%s/up-%s", tmpdir, rnd);
    if (receive(c, tmp, hex) != SW_OK)
        goto out_doc;
    if (declared != NULL && strcmp(declared, hex) != 0) {
        sw_reply_problem(c, 400, "hash-mismatch", "Evidence hash mismatch",
                         json_pack("[{s:s, s:s}]", "parameter", "sha256", "message",
                                   sw_tr(c->lang, "the file received does not have this SHA-256")),
                         "declared sha256 %.64s, received %s: the file was changed or cut on "
                         "the way; nothing was stored", declared, hex);
        goto out_tmp;
    }
    rc = evidence_of(c, o, id, name, hex, &items, &found);
    json_decref(items);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading evidence");
        goto out_tmp;
    }
    if (found != NULL) {   /* the same file under the same name: the first record stands */
        sw_reply_json(c, 200, entry_view(o, id, found));
        json_decref(found);
        goto out_tmp;
    }
    /* Counted once the file is known to be new here: a retried upload is never refused. */
    sw_evidence_quota_key(o->by_show ? 0 : json_integer_value(json_object_get(doc,
                                                                              "subscriber_id")),
                          json_string_value(json_object_get(doc, "show")), qkey, sizeof(qkey));
    rc = sw_evidence_reserve(c->store, qkey, c->req->content_length, quota, &held);
    if (rc == SW_TOOBIG) {
        reply_quota(c, o, doc, c->req->content_length, held, quota);
        goto out_tmp;
    }
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reserving evidence quota");
        goto out_tmp;
    }
    reserved = 1;
    evidence_path(c, hex, dir, sizeof(dir), file, sizeof(file));
    if (mkdirs(dir) != 0 || (access(file, F_OK) != 0 && rename(tmp, file) != 0)) {
        sw_error("storing \"%s\" failed (%s)", file, strerror(errno));
        sw_reply_store(c, SW_ERR, "storing evidence");
        goto out_tmp;
    }
    for (i = 0; ct != NULL && ct[i] != '\0' && i < sizeof(ctype) - 1; i++)
        ctype[i] = ct[i] >= 0x20 && ct[i] < 0x7f ? ct[i] : '_';
    ctype[i] = '\0';
    a.entry = json_pack("{s:s, s:I, s:s, s:s}", "name", name, "size",
                        (json_int_t)c->req->content_length, "sha256", hex, "content_type",
                        i > 0 ? ctype : "application/octet-stream");
    a.max = sw_config_int(c->cfg, o->per_key);
    a.now = sw_cases_now(c);
    sw_rec_keys(&k, o->tag, id);
    rc = sw_rec_update(c->store, &k, sw_config_int(c->cfg, o->hist_key), do_add, NULL, &a, NULL);
    if (rc == SW_OK && sw_rec_durable(c->store, &k) != SW_OK) {
        kept = 1;   /* recorded, but not confirmed by the replicas: the bytes stay counted */
        rc = SW_EAGAIN;
    }
    if (rc == SW_TOOBIG) {
        if (strcmp(o->tag, "case") == 0)
            sw_reply_problem(c, 409, "evidence-full", "Too much evidence", NULL,
                             "this case holds as many evidence files (or history entries) as "
                             "it may");
        else
            sw_reply_problem(c, 409, "evidence-full", "Too much evidence", NULL,
                             "this incident holds as many evidence files (or history entries) "
                             "as it may");
    } else if (rc != SW_OK) {
        sw_reply_store(c, rc, "recording evidence");
    } else {
        json_t *e = sw_case_entry(&c->who, a.now, "evidence", 1, json_incref(a.entry));

        kept = 1;
        sw_reply_json(c, 201, entry_view(o, id, e));
        json_decref(e);
    }
    json_decref(a.entry);
out_tmp:
    unlink(tmp);   /* left when refused, or when the same bytes were stored before */
    if (reserved && !kept && sw_evidence_release(c->store, qkey, c->req->content_length) != SW_OK)
        sw_error("giving back %lld bytes of evidence quota under %s failed (the tenant's count "
                 "stays that much high)", c->req->content_length, qkey);
out_doc:
    json_decref(doc);
}

/* The incident a case was escalated from (its evidence follows the case), or 0. */
static long long followed(const struct owner *o, const json_t *doc)
{
    if (o != &case_owner)
        return 0;
    return json_integer_value(json_object_get(doc, "from_incident"));
}

/* What record id of o shows as its evidence (with inc, the incident it came from, whose files
 * follow it): entry views, its own files first. SW_OK with *out, or the store's code. */
static int listing(struct sw_ctx *c, const struct owner *o, long long id, long long inc,
                   json_t **out)
{
    json_t *items, *e, *v;
    size_t i, j;
    int rc = evidence_of(c, o, id, NULL, NULL, &items, NULL);

    if (rc != SW_OK)
        return rc;
    *out = json_array();
    json_array_foreach(items, i, e)
        json_array_append_new(*out, entry_view(o, id, e));
    json_decref(items);
    /* A case escalated from an incident shows the incident's evidence as its own: the files
     * stay with the incident (referenced, not copied) and are served under the case. */
    if (inc > 0) {
        rc = evidence_of(c, &incident_owner, inc, NULL, NULL, &items, NULL);
        if (rc != SW_OK) {
            json_decref(*out);
            *out = NULL;
            return rc;
        }
        json_array_foreach(items, i, e) {
            int dup = 0;

            json_array_foreach(*out, j, v)
                dup |= json_equal(json_object_get(v, "sha256"), json_object_get(e, "sha256"));
            if (dup)
                continue;
            v = entry_view(o, id, e);
            json_object_set_new(v, "from_incident", json_integer(inc));
            json_array_append_new(*out, v);
        }
        json_decref(items);
    }
    return SW_OK;
}

int sw_case_evidence_list(struct sw_ctx *c, long long id, const json_t *doc, json_t **out)
{
    return listing(c, &case_owner, id, followed(&case_owner, doc), out);
}

static void list(struct sw_ctx *c, const struct owner *o)
{
    long long id, inc;
    json_t *doc, *out;
    int rc;

    if (o->load(c, &id, &doc) != SW_OK)
        return;
    inc = followed(o, doc);
    json_decref(doc);
    rc = listing(c, o, id, inc, &out);
    if (rc != SW_OK) {
        sw_reply_store(c, rc, "reading evidence");
        return;
    }
    sw_reply_json(c, 200, json_pack("{s:o}", "items", out));
}

/* SHA-256 of the file at path as hex, its size, and its CRC-32 when crc is not NULL; SW_OK or
 * SW_ERR. */
static int file_hash(const char *path, char *hex, long long *size, uint32_t *crc)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    char buf[65536];
    ssize_t n;
    int fd = open(path, O_RDONLY);

    if (fd < 0)
        return SW_ERR;
    *size = 0;
    if (crc != NULL)
        *crc = 0;
    crypto_hash_sha256_init(&st);
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        crypto_hash_sha256_update(&st, (unsigned char *)buf, (unsigned long long)n);
        if (crc != NULL)
            *crc = sw_crc32(*crc, buf, (size_t)n);
        *size += n;
    }
    close(fd);
    if (n < 0)
        return SW_ERR;
    crypto_hash_sha256_final(&st, h);
    sw_hex(h, sizeof(h), hex);
    return SW_OK;
}

int sw_evidence_verify(struct sw_ctx *c, const char *hash, char *file, size_t flen,
                       long long *size, uint32_t *crc)
{
    char dir[512], hex[65] = "";

    if (!sw_sha256_hex_valid(hash))
        return SW_ERR;
    evidence_path(c, hash, dir, sizeof(dir), file, flen);
    if (file_hash(file, hex, size, crc) != SW_OK || strcmp(hex, hash) != 0) {
        sw_error("evidence %s is missing or no longer has its hash (now %s)", hash,
                 hex[0] ? hex : "unreadable");
        return SW_ERR;
    }
    return SW_OK;
}

static void get(struct sw_ctx *c, const struct owner *o)
{
    const char *hash = sw_param(c, "sha256");
    char file[600], head[1400], enc[700], plain[201];
    json_t *doc, *items, *found = NULL;
    const char *name, *p;
    long long id, size, inc;
    size_t k = 0, q = 0;
    int rc, fd, n;

    if (o->load(c, &id, &doc) != SW_OK)
        return;
    inc = followed(o, doc);
    json_decref(doc);
    if (!sw_sha256_hex_valid(hash)) {
        sw_reply_not_found(c);
        return;
    }
    rc = evidence_of(c, o, id, NULL, hash, &items, &found);
    json_decref(items);
    if (rc == SW_OK && found == NULL && inc > 0) {   /* the incident's, which follows the case */
        rc = evidence_of(c, &incident_owner, inc, NULL, hash, &items, &found);
        json_decref(items);
    }
    if (rc != SW_OK || found == NULL) {
        sw_reply_store(c, rc != SW_OK ? rc : SW_NOTFOUND, "reading evidence");
        return;
    }
    if (sw_evidence_verify(c, hash, file, sizeof(file), &size, NULL) != SW_OK) {
        sw_error("evidence %s of %s %lld is not served", hash, o->tag, id);
        sw_reply_problem(c, 500, "evidence-damaged", "Evidence damaged", NULL,
                         "the stored file no longer matches the SHA-256 recorded at upload; "
                         "it is not served");
        json_decref(found);
        return;
    }
    name = json_string_value(json_object_get(found, "name")) ?: "evidence";
    for (p = name; *p != '\0' && k < sizeof(enc) - 4; p++) {
        unsigned char ch = (unsigned char)*p;

        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '.' || ch == '-' || ch == '_')
            enc[k++] = (char)ch;
        else
            k += (size_t)snprintf(enc + k, sizeof(enc) - k, "%%%02X", ch);
        if (q < sizeof(plain) - 1)
            plain[q++] = ch < 0x80 && ch >= 0x20 && ch != '"' && ch != '\\' ? (char)ch : '_';
    }
    enc[k] = '\0';
    plain[q] = '\0';
    json_decref(found);
    fd = open(file, O_RDONLY);
    if (fd < 0) {
        sw_reply_store(c, SW_ERR, "opening evidence");
        return;
    }
    n = snprintf(head, sizeof(head),
                 "Status: 200 OK\r\nContent-Type: application/octet-stream\r\n"
                 "Content-Length: %lld\r\nX-Content-Type-Options: nosniff\r\n"
                 "Content-Disposition: attachment; filename=\"%s\"; filename*=UTF-8''%s\r\n"
                 "X-Content-SHA256: %s\r\nCache-Control: private, no-store\r\n\r\n",
                 size, plain, enc, hash);
    c->resp->status = 200;
    c->resp->streamed = 1;
    if (c->write_out(c->io, head, (size_t)n) == 0 && strcmp(c->req->method, "HEAD") != 0) {
        char buf[65536];
        ssize_t got;

        while ((got = read(fd, buf, sizeof(buf))) > 0)
            if (c->write_out(c->io, buf, (size_t)got) != 0)
                break;
    }
    close(fd);
}

void sw_h_cases_evidence_upload(struct sw_ctx *c) { upload(c, &case_owner); }
void sw_h_cases_evidence_list(struct sw_ctx *c) { list(c, &case_owner); }
void sw_h_cases_evidence_get(struct sw_ctx *c) { get(c, &case_owner); }
void sw_h_incidents_evidence_upload(struct sw_ctx *c) { upload(c, &incident_owner); }
void sw_h_incidents_evidence_list(struct sw_ctx *c) { list(c, &incident_owner); }
void sw_h_incidents_evidence_get(struct sw_ctx *c) { get(c, &incident_owner); }
