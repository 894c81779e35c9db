/* dossier.c — a case's claim dossier for its insurer: GET /cases/{id}/dossier answers the JSON
 * the printable page shows (the case, the parties, the insurance, the timeline from the
 * history as the exporter sees it, the legal deadlines and whether each was met, the experts'
 * time, the costs with their totals, the notices sent, the evidence); GET /cases/{id}/dossier.zip streams the
 * evidence files with manifest.json, manifest.csv (name, sha256, size, uploaded_at,
 * uploaded_by) and dossier.json. Every file is checked against its recorded SHA-256 before
 * the first byte goes out, so a damaged file is a clean 500, never a ZIP that lies; memory
 * stays bounded whatever the files' sizes (one buffer, one record per entry). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seawall/cases.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/i18n.h"
#include "seawall/insurance.h"
#include "seawall/log.h"
#include "seawall/zip.h"
#include "api.h"

#define OUT_BUF (64 * 1024)
#define MANIFEST_CSV_MAX (4 * 1024 * 1024)

/* The entries of hist the exporter sees (all_of_it: every entry, for staff). */
static json_t *entries(json_t *hist, int all_of_it)
{
    json_t *out = json_array(), *e;
    size_t i;

    json_array_foreach(hist, i, e)
        if (all_of_it || json_is_true(json_object_get(e, "visible")))
            json_array_append(out, e);
    return out;
}

/* Builds the dossier of case id (doc) as the caller may see it. SW_OK with *out, or the
 * store's code (nothing answered); SW_TOOBIG when a cost total overflows. */
static int build(struct sw_ctx *c, long long id, const json_t *doc, json_t **out)
{
    json_t *all = NULL, *hist, *timeline, *evidence = NULL, *view, *costs, *notices, *n, *parties;
    int64_t now = sw_cases_now(c);
    char when[32];
    size_t i;
    int rc;

    *out = NULL;
    rc = sw_case_history(c->store, id, &all);
    if (rc != SW_OK)
        return rc;
    rc = sw_case_evidence_list(c, id, doc, &evidence);
    if (rc != SW_OK) {
        json_decref(all);
        return rc;
    }
    costs = sw_costs_of(doc);
    if (costs == NULL) {
        json_decref(all);
        json_decref(evidence);
        return SW_TOOBIG;
    }
    /* The timeline is what the exporter sees, whoever asks: the dossier goes to the insurer,
     * and the centre's internal notes stay with the centre. The experts' time counts them for
     * staff. */
    timeline = entries(all, 0);
    hist = entries(all, c->who.role != SW_ROLE_EXPORTER);
    json_decref(all);
    view = sw_case_view_for(c, doc);
    notices = sw_dossier_notices(timeline);
    json_array_foreach(notices, i, n)
        if (json_is_true(json_object_get(n, "text_from_catalogue")))
            json_object_set_new(n, "text", json_string(sw_tr(c->lang, json_string_value(
                                                                  json_object_get(n, "text")))));
    parties = json_pack("{s:{s:O?, s:O?}, s:{s:O?}, s:O?, s:O?, s:O?, s:O?, s:O?}", "exporter",
                        "company", json_object_get(view, "exporter"), "role",
                        json_object_get(doc, "own_role"), "opposing", "name",
                        json_object_get(doc, "opposing_party"), "forum",
                        json_object_get(doc, "forum"), "proceeding",
                        json_object_get(doc, "proceeding"), "country",
                        json_object_get(doc, "country"), "centre_id",
                        json_object_get(doc, "centre_id"), "expert",
                        json_object_get(doc, "assignee"));
    *out = json_pack("{s:I, s:s, s:o, s:o, s:O?, s:O, s:o, s:o, s:o, s:o, s:o}",
                     "case_id", (json_int_t)id, "generated_at",
                     sw_iso8601(now, when, sizeof(when)), "case", view, "parties", parties,
                     "insurance", json_object_get(doc, "insurance"), "timeline", timeline,
                     "deadlines", sw_dossier_deadlines(doc, now), "experts_time",
                     sw_dossier_experts(hist, doc, now), "costs", costs, "notices", notices,
                     "evidence", evidence);
    if (*out != NULL && json_object_get(*out, "insurance") == NULL)
        json_object_set_new(*out, "insurance", json_null());
    json_decref(hist);
    json_decref(timeline);
    return *out != NULL ? SW_OK : SW_ERR;
}

/* Loads the case of the path and builds its dossier; answers and returns the code when not
 * SW_OK. */
static int load(struct sw_ctx *c, long long *id, json_t **dossier)
{
    json_t *doc;
    int rc;

    if (sw_case_load_visible(c, id, &doc) != SW_OK)
        return SW_NOTFOUND;
    rc = build(c, *id, doc, dossier);
    json_decref(doc);
    if (rc == SW_TOOBIG)
        sw_reply_problem(c, 409, "totals-overflow", "Totals too large", NULL,
                         "a total of this case's costs does not fit in 63 bits of minor units");
    else if (rc != SW_OK)
        sw_reply_store(c, rc, "building the dossier");
    return rc;
}

void sw_h_cases_dossier(struct sw_ctx *c)
{
    json_t *d;
    long long id;

    if (load(c, &id, &d) == SW_OK)
        sw_reply_json(c, 200, d);
}

/* --- the ZIP ------------------------------------------------------------------------------ */

/* The answer's bytes, gathered into OUT_BUF pieces before they go to the client. */
struct sink {
    struct sw_ctx *c;
    char *buf;
    size_t len;
};

static int flush(struct sink *s)
{
    int rc = s->len > 0 ? s->c->write_out(s->c->io, s->buf, s->len) : 0;

    s->len = 0;
    return rc;
}

static int put(void *ud, const void *p, size_t n)
{
    struct sink *s = ud;
    const char *b = p;

    while (n > 0) {
        size_t k = OUT_BUF - s->len < n ? OUT_BUF - s->len : n;

        memcpy(s->buf + s->len, b, k);
        s->len += k;
        b += k;
        n -= k;
        if (s->len == OUT_BUF && flush(s) != 0)
            return -1;
    }
    return 0;
}

/* One evidence file as it goes into the ZIP. */
struct file {
    char path[SW_ZIP_NAME_MAX];   /* its name in the ZIP */
    char disk[600];               /* where it is stored */
    long long size;
    uint32_t crc;
    int64_t at_ms;
};

/* The ZIP name of item: evidence/<name>, or evidence/<first 12 hex>-<name> when another file
 * took that name first. */
static void zip_name(json_t *taken, const json_t *item, char *out, size_t len)
{
    const char *name = json_string_value(json_object_get(item, "name")) ?: "evidence";

    snprintf(out, len, "evidence/%s", name);
    if (json_object_get(taken, out) != NULL)
        snprintf(out, len, "evidence/%.12s-%s",
                 json_string_value(json_object_get(item, "sha256")) ?: "", name);
    json_object_set_new(taken, out, json_true());
}

/* "role:id" of an uploader (the manifest's uploaded_by). */
static void who_text(const json_t *by, char *out, size_t len)
{
    snprintf(out, len, "%s:%lld", json_string_value(json_object_get(by, "role")) ?: "",
             (long long)json_integer_value(json_object_get(by, "id")));
}

/* manifest.json's files and manifest.csv from the evidence items and their files. */
static int manifests(const json_t *items, const struct file *files, json_t *list,
                     struct sw_buf *csv)
{
    static const char *const head[] = { "name", "path", "sha256", "size", "uploaded_at",
                                        "uploaded_by", "content_type" };
    const json_t *it;
    size_t i, k;
    int rc = SW_OK;

    for (k = 0; k < SW_ARRAY_LEN(head); k++)
        rc |= sw_csv_cell(csv, head[k], k == 0);
    rc |= sw_buf_adds(csv, "\r\n");
    json_array_foreach(items, i, it) {
        char by[96], size[24];
        const char *row[7];

        who_text(json_object_get(it, "uploaded_by"), by, sizeof(by));
        snprintf(size, sizeof(size), "%lld", files[i].size);
        row[0] = json_string_value(json_object_get(it, "name")) ?: "";
        row[1] = files[i].path;
        row[2] = json_string_value(json_object_get(it, "sha256")) ?: "";
        row[3] = size;
        row[4] = json_string_value(json_object_get(it, "uploaded_at")) ?: "";
        row[5] = by;
        row[6] = json_string_value(json_object_get(it, "content_type")) ?: "";
        for (k = 0; k < SW_ARRAY_LEN(row); k++)
            rc |= sw_csv_cell(csv, row[k], k == 0);
        rc |= sw_buf_adds(csv, "\r\n");
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:I, s:s, s:O, s:O?}", "name",
                                              row[0], "path", row[1], "sha256", row[2], "size",
                                              (json_int_t)files[i].size, "uploaded_at", row[4],
                                              "uploaded_by", json_object_get(it, "uploaded_by"),
                                              "content_type",
                                              json_object_get(it, "content_type")));
    }
    return rc == SW_OK ? SW_OK : SW_TOOBIG;
}

/* Streams one stored file into the ZIP as entry f, checking its CRC again on the way. */
static int stream_file(struct sw_zip *z, const struct file *f)
{
    char buf[65536];
    uint32_t crc = 0;
    ssize_t n;
    int fd = open(f->disk, O_RDONLY), rc;

    if (fd < 0) {
        sw_error("open(\"%s\") failed (%s)", f->disk, strerror(errno));
        return SW_ERR;
    }
    rc = sw_zip_begin(z, f->path, f->crc, (uint64_t)f->size, f->at_ms);
    while (rc == SW_OK && (n = read(fd, buf, sizeof(buf))) > 0) {
        crc = sw_crc32(crc, buf, (size_t)n);
        rc = sw_zip_data(z, buf, (size_t)n);
    }
    close(fd);
    if (rc == SW_OK && crc != f->crc) {
        sw_error("evidence file %s changed while it was sent (CRC-32 %08x, was %08x)", f->disk,
                 crc, f->crc);
        rc = SW_ERR;
    }
    return rc;
}

void sw_h_cases_dossier_zip(struct sw_ctx *c)
{
    json_t *d = NULL, *items, *it, *taken = json_object(), *list = json_array(), *mj = NULL;
    struct file *files = NULL;
    struct sw_buf csv;
    struct sw_zip z;
    struct sink s = { .c = c };
    char *dossier_txt = NULL, *manifest_txt = NULL, head[1200], disp[700], name[64];
    uint64_t names = 0, data = 0, total;
    size_t i, n, count;
    long long id;
    int64_t now;
    int rc, len;

    sw_buf_init(&csv, MANIFEST_CSV_MAX);
    sw_zip_init(&z, put, &s);
    if (load(c, &id, &d) != SW_OK)
        goto out;
    now = sw_cases_now(c);
    items = json_object_get(d, "evidence");
    n = json_array_size(items);
    files = calloc(n ? n : 1, sizeof(*files));
    if (files == NULL || taken == NULL || list == NULL) {
        sw_reply_store(c, SW_ERR, "preparing the dossier");
        goto out;
    }
    /* Every file checked before the first byte goes out. */
    json_array_foreach(items, i, it) {
        const char *hash = json_string_value(json_object_get(it, "sha256")) ?: "";

        if (sw_evidence_verify(c, hash, files[i].disk, sizeof(files[i].disk), &files[i].size,
                               &files[i].crc) != SW_OK) {
            sw_reply_problem(c, 500, "evidence-damaged", "Evidence damaged",
                             json_pack("{s:s}", "sha256", hash),
                             "the stored file of \"%s\" no longer matches the SHA-256 recorded "
                             "at upload; the dossier is not served",
                             json_string_value(json_object_get(it, "name")) ?: "");
            goto out;
        }
        zip_name(taken, it, files[i].path, sizeof(files[i].path));
        if (sw_date_ms(json_string_value(json_object_get(it, "uploaded_at")) ?: "",
                       &files[i].at_ms) != SW_OK)
            files[i].at_ms = now;
        names += strlen(files[i].path);
        data += (uint64_t)files[i].size;
    }
    if (manifests(items, files, list, &csv) != SW_OK) {
        sw_reply_problem(c, 413, "dossier-too-large", "Dossier too large", NULL,
                         "the manifest of this case's evidence passes %d bytes",
                         MANIFEST_CSV_MAX);
        goto out;
    }
    mj = json_pack("{s:I, s:s, s:O, s:o}", "case_id", (json_int_t)id, "generated_at",
                   json_string_value(json_object_get(d, "generated_at")) ?: "", "insurance",
                   json_object_get(d, "insurance"), "files", list);
    list = NULL;
    manifest_txt = mj ? json_dumps(mj, JSON_INDENT(2)) : NULL;
    dossier_txt = json_dumps(d, JSON_INDENT(2));
    s.buf = malloc(OUT_BUF);
    if (manifest_txt == NULL || dossier_txt == NULL || s.buf == NULL) {
        sw_reply_store(c, SW_ERR, "preparing the dossier");
        goto out;
    }
    count = n + 3;
    names += strlen("manifest.json") + strlen("manifest.csv") + strlen("dossier.json");
    data += strlen(manifest_txt) + csv.len + strlen(dossier_txt);
    if (!sw_zip_fits(count, names, data)) {
        sw_reply_problem(c, 413, "dossier-too-large", "Dossier too large", NULL,
                         "%zu files of %llu bytes in all pass what a ZIP without ZIP64 holds "
                         "(65,535 files, 4 GiB); download the evidence files one by one",
                         count, (unsigned long long)data);
        goto out;
    }
    total = data + 2 * names + (uint64_t)count * (30 + 46) + 22;
    snprintf(name, sizeof(name), "seawall-case-%lld-dossier.zip", id);
    sw_attachment_value(name, disp, sizeof(disp));
    len = snprintf(head, sizeof(head),
                   "Status: 200 OK\r\nContent-Type: application/zip\r\n"
                   "Content-Length: %llu\r\nX-Content-Type-Options: nosniff\r\n"
                   "Content-Disposition: %s\r\nCache-Control: private, no-store\r\n\r\n",
                   (unsigned long long)total, disp);
    c->resp->status = 200;
    c->resp->streamed = 1;
    if (c->write_out(c->io, head, (size_t)len) != 0 || strcmp(c->req->method, "HEAD") == 0)
        goto out;
    rc = sw_zip_add(&z, "dossier.json", dossier_txt, strlen(dossier_txt), now);
    if (rc == SW_OK)
        rc = sw_zip_add(&z, "manifest.json", manifest_txt, strlen(manifest_txt), now);
    if (rc == SW_OK)
        rc = sw_zip_add(&z, "manifest.csv", csv.p, csv.len, now);
    for (i = 0; i < n && rc == SW_OK; i++)
        rc = stream_file(&z, &files[i]);
    if (rc == SW_OK)
        rc = sw_zip_finish(&z);
    if (rc == SW_OK)
        rc = flush(&s) == 0 ? SW_OK : SW_ERR;
    if (rc != SW_OK)
        sw_warn("case %lld: the dossier ZIP stopped after %llu bytes (%s)", id,
                (unsigned long long)z.offset, z.failed ? "the client went away or a file "
                                                         "failed" : "archive error");
out:
    sw_zip_free(&z);
    sw_buf_free(&csv);
    free(s.buf);
    free(files);
    free(dossier_txt);
    free(manifest_txt);
    json_decref(mj);
    json_decref(list);
    json_decref(taken);
    json_decref(d);
}
