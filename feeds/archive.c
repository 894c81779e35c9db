/* archive.c — ZIP and gzip archives streamed through libarchive into the feed parsers, entry
 * by entry, with caps on entries, sizes and expansion (include/seawall/archive.h). Nothing is
 * written anywhere: an entry's bytes go from libarchive's buffer to the XML reader's. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "seawall/archive.h"

#define BLOCK (64 * 1024)
#define NAME_SHOWN 160          /* bytes of an entry's name shown in messages */

/* Where the archive's bytes come from: memory, or a descriptor (with the bytes already read
 * from it, when it is a pipe, served first). */
struct src {
    const char *buf;
    size_t len;
    int fd;                     /* -1 for memory */
    int seekable;               /* memory, or a regular file */
    off_t start;                /* the descriptor's offset when reading began */
    off_t size;                 /* the archive's length when known, else -1 */
    char head[16];              /* the first bytes of a pipe */
    size_t head_len, head_pos;
    char *block;                /* BLOCK bytes for reads from fd */
};

/* One pass over the archive. */
struct walk {
    struct archive *a;
    struct sw_archive_limits lim;
    enum sw_compression comp;
    struct sw_archive_stats st;
    uint64_t entry_out;         /* bytes out of the current entry */
    int64_t entry_in0;          /* archive bytes consumed when the entry began */
    char name[200];             /* the entry's name, escaped and cut, for messages */
    int failed;                 /* SW_TOOBIG or SW_INVALID: the pass stops */
    char err[512];
    sw_feed_emit_fn emit;       /* the caller's */
    void *ud;
    int stopped;                /* the caller's callback asked to stop */
};

static const char *const comp_names[] = {
    [SW_COMP_NONE] = "none", [SW_COMP_ZIP] = "zip", [SW_COMP_GZIP] = "gzip",
    [SW_COMP_AUTO] = "auto",
};

const char *sw_compression_name(enum sw_compression c)
{
    return (size_t)c < SW_ARRAY_LEN(comp_names) ? comp_names[c] : "unknown";
}

int sw_compression_parse(const char *name, enum sw_compression *out)
{
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(comp_names); i++) {
        if (strcmp(comp_names[i], name) == 0) {
            *out = (enum sw_compression)i;
            return SW_OK;
        }
    }
    return SW_INVALID;
}

enum sw_compression sw_compression_detect(const char *head, size_t len)
{
    const unsigned char *u = (const unsigned char *)head;

    if (len >= 4 && u[0] == 'P' && u[1] == 'K' &&
        ((u[2] == 3 && u[3] == 4) || (u[2] == 5 && u[3] == 6) || (u[2] == 7 && u[3] == 8)))
        return SW_COMP_ZIP;
    if (len >= 2 && u[0] == 0x1f && u[1] == 0x8b)
        return SW_COMP_GZIP;
    return SW_COMP_NONE;
}

/* 1 when the first bytes of an entry are those of an archive or compressed file. */
static int archive_magic(const char *p, size_t n)
{
    static const struct { const char *m; size_t len; } magics[] = {
        { "PK\3\4", 4 }, { "PK\5\6", 4 }, { "PK\7\10", 4 }, { "\x1f\x8b", 2 }, { "BZh", 3 },
        { "\xfd" "7zXZ", 5 }, { "7z\xbc\xaf", 4 }, { "Rar!", 4 }, { "\x28\xb5\x2f\xfd", 4 },
        { "\x1f\x9d", 2 }, { "\x04\x22\x4d\x18", 4 },
    };
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(magics); i++)
        if (n >= magics[i].len && memcmp(p, magics[i].m, magics[i].len) == 0)
            return 1;
    return 0;
}

static int ends_with(const char *name, const char *const *suffixes)
{
    size_t n = strlen(name), k;

    for (; *suffixes != NULL; suffixes++) {
        k = strlen(*suffixes);
        if (n > k && strcasecmp(name + n - k, *suffixes) == 0)
            return 1;
    }
    return 0;
}

static int archive_name(const char *name)
{
    static const char *const s[] = { ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar",
                                     ".tar", ".jar", ".zst", ".lz", ".lz4", ".z", NULL };

    return ends_with(name, s);
}

static int feed_name(const char *name)
{
    static const char *const s[] = { ".xml", ".rss", ".atom", ".rdf", ".json", ".ics", NULL };

    return ends_with(name, s);
}

/* --- reading from a descriptor --------------------------------------------------------- */

static la_ssize_t src_read(struct archive *a, void *ud, const void **out)
{
    struct src *s = ud;
    ssize_t n;

    if (s->head_pos < s->head_len) {
        *out = s->head + s->head_pos;
        n = (ssize_t)(s->head_len - s->head_pos);
        s->head_pos = s->head_len;
        return n;
    }
    do
        n = read(s->fd, s->block, BLOCK);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        archive_set_error(a, errno, "read() failed (%s)", strerror(errno));
        return -1;
    }
    *out = s->block;
    return n;
}

static la_int64_t src_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
    struct src *s = ud;
    off_t r;

    (void)a;
    if (whence == SEEK_SET)
        off += s->start;
    r = lseek(s->fd, (off_t)off, whence);
    return r < 0 ? ARCHIVE_FATAL : (la_int64_t)(r - s->start);
}

static la_int64_t src_skip(struct archive *a, void *ud, la_int64_t request)
{
    struct src *s = ud;

    (void)a;
    if (!s->seekable || lseek(s->fd, (off_t)request, SEEK_CUR) < 0)
        return 0;   /* libarchive reads past it instead */
    return request;
}

/* Opens a reader over s: the seekable ZIP reader (central directory) for the header scan,
 * the streaming one for the data; gzip as the raw format under the gzip filter. */
static struct archive *open_src(struct src *s, enum sw_compression comp, int scan, char *err,
                                size_t errlen)
{
    struct archive *a = archive_read_new();
    int r;

    if (a == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (comp == SW_COMP_ZIP) {
        r = scan ? archive_read_support_format_zip_seekable(a)
                 : archive_read_support_format_zip_streamable(a);
    } else {
        r = archive_read_support_filter_gzip(a);
        if (r == ARCHIVE_OK)
            r = archive_read_support_format_raw(a);
    }
    if (r == ARCHIVE_OK) {
        if (s->fd < 0) {
            r = archive_read_open_memory(a, s->buf, s->len);
        } else {
            if (s->seekable && lseek(s->fd, s->start, SEEK_SET) < 0) {
                snprintf(err, errlen, "lseek() failed (%s)", strerror(errno));
                archive_read_free(a);
                return NULL;
            }
            s->head_pos = 0;
            archive_read_set_read_callback(a, src_read);
            archive_read_set_skip_callback(a, src_skip);
            if (s->seekable)
                archive_read_set_seek_callback(a, src_seek);
            archive_read_set_callback_data(a, s);
            r = archive_read_open1(a);
        }
    }
    if (r != ARCHIVE_OK) {
        la_int64_t at = archive_filter_bytes(a, -1);

        snprintf(err, errlen, "the archive is broken at byte %lld, before its first entry: %s",
                 (long long)(at > 0 ? at : 0),
                 archive_error_string(a) ? archive_error_string(a) : "unknown format");
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/* --- one pass -------------------------------------------------------------------------- */

static int64_t consumed(struct walk *w)
{
    la_int64_t n = archive_filter_bytes(w->a, -1);

    return n < 0 ? 0 : (int64_t)n;
}

static void show_name(struct walk *w, struct archive_entry *e)
{
    const char *p = archive_entry_pathname(e);
    size_t n = p ? strlen(p) : 0, cut = n > NAME_SHOWN ? NAME_SHOWN : n;
    size_t len;

    if (p == NULL || n == 0) {
        sw_strlcpy(w->name, "(no name)", sizeof(w->name));
        return;
    }
    len = sw_utf8_escape(p, cut, 1, w->name, sizeof(w->name) - 4);
    if (cut < n)
        memcpy(w->name + len, "...", 4);
}

static int refuse(struct walk *w, int rc, const char *fmt, ...) SW_PRINTF(3, 4);

static int refuse(struct walk *w, int rc, const char *fmt, ...)
{
    va_list ap;

    if (w->failed)
        return w->failed;
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof(w->err), fmt, ap);
    va_end(ap);
    w->failed = rc;
    return rc;
}

static void broken(struct walk *w, const char *why)
{
    refuse(w, SW_INVALID, "archive entry \"%s\" broken at byte %lld of the archive (%llu bytes "
           "into the entry): %s", w->name, (long long)consumed(w),
           (unsigned long long)w->entry_out, why ? why : "unreadable data");
}

/* The caps on what has come out so far. */
static int check_out(struct walk *w)
{
    if (w->entry_out > w->lim.max_entry_bytes)
        return refuse(w, SW_TOOBIG, "archive entry \"%s\" holds more than %llu bytes "
                      "uncompressed (archive.max_entry_bytes)", w->name,
                      (unsigned long long)w->lim.max_entry_bytes);
    if (w->st.bytes_out > w->lim.max_total_bytes)
        return refuse(w, SW_TOOBIG, "the archive holds more than %llu bytes uncompressed "
                      "(archive.max_total_bytes)", (unsigned long long)w->lim.max_total_bytes);
    if (w->entry_out >= SW_ARCHIVE_RATIO_AFTER) {
        int64_t in = consumed(w) - w->entry_in0;
        uint64_t used = in > 0 ? (uint64_t)in : 1;

        if (w->entry_out / used > w->lim.max_ratio)
            return refuse(w, SW_TOOBIG, "archive entry \"%s\" expands more than %llu times "
                          "(archive.max_ratio): %llu bytes from %llu", w->name,
                          (unsigned long long)w->lim.max_ratio,
                          (unsigned long long)w->entry_out, (unsigned long long)used);
    }
    return SW_OK;
}

/* The feed parsers' reader over the current entry: every byte counted against the caps. */
static long entry_read(void *ctx, char *buf, size_t len)
{
    struct walk *w = ctx;
    la_ssize_t n;

    if (w->failed)
        return -1;
    n = archive_read_data(w->a, buf, len);
    if (n < 0) {
        broken(w, archive_error_string(w->a));
        return -1;
    }
    if (n == 0)
        return 0;
    if (w->entry_out == 0 && archive_magic(buf, (size_t)n)) {
        refuse(w, SW_TOOBIG, "archive entry \"%s\" is itself an archive or compressed file: "
               "archives inside archives are refused", w->name);
        return -1;
    }
    w->entry_out += (uint64_t)n;
    w->st.bytes_out += (uint64_t)n;
    return check_out(w) == SW_OK ? (long)n : -1;
}

/* Reads the rest of the current entry and drops it, through the caps. */
static int drain(struct walk *w)
{
    char *buf = malloc(BLOCK);
    long n;

    if (buf == NULL)
        return refuse(w, SW_ERR, "out of memory");
    while ((n = entry_read(w, buf, BLOCK)) > 0)
        ;
    free(buf);
    return n < 0 ? w->failed : SW_OK;
}

static int emit_wrap(void *ud, json_t *ev)
{
    struct walk *w = ud;

    if (w->emit(w->ud, ev) != 0) {
        w->stopped = 1;
        return 1;
    }
    return 0;
}

/* Parses the current entry as one feed document and adds its result to res. Returns the
 * entry's code; the walk's own failure (a cap, a broken archive) wins. */
static int parse_entry(struct walk *w, const struct sw_feed_opts *o, struct sw_feed_result *res,
                       int *have_error)
{
    struct sw_feed_opts eo = *o;
    struct sw_feed_result er;
    size_t max = o->max_events ? o->max_events : 1000000;
    int rc;

    if (res->events >= max) {
        snprintf(res->err, sizeof(res->err), "more than %zu events in one archive", max);
        *have_error = 1;
        return SW_TOOBIG;
    }
    eo.max_events = max - res->events;
    rc = sw_feed_parse_reader(entry_read, w, &eo, emit_wrap, w, &er);
    w->st.parsed++;
    if (w->st.parsed == 1)
        res->format = er.format;
    res->events += er.events;
    res->records += er.records;
    res->warnings += er.warnings;
    if (w->failed)
        return w->failed;
    if (rc != SW_OK && !*have_error) {
        snprintf(res->err, sizeof(res->err), "archive entry \"%s\": %.280s", w->name,
                 er.err[0] ? er.err : "could not be read");
        *have_error = 1;
    } else if (res->err[0] == '\0' && er.err[0] != '\0') {
        snprintf(res->err, sizeof(res->err), "archive entry \"%s\": %.280s", w->name, er.err);
    }
    return rc;
}

/* Walks every entry: counts them, refuses what the caps forbid, and parses the feed documents
 * (parse 0: only reads them through the caps, to find where a broken archive breaks). */
static int walk_entries(struct walk *w, int parse, const struct sw_feed_opts *o,
                        struct sw_feed_result *res)
{
    struct archive_entry *e;
    int r, rc = SW_OK, have_error = 0, erc;

    for (;;) {
        r = archive_read_next_header(w->a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN || r == ARCHIVE_RETRY) {
            const char *why = archive_error_string(w->a);

            if (w->st.entries == 0)
                return refuse(w, SW_INVALID, "the archive is broken at byte %lld, before its "
                              "first entry: %s", (long long)consumed(w), why ? why : "?");
            return refuse(w, SW_INVALID, "the archive is broken at byte %lld, after entry "
                          "\"%s\": %s", (long long)consumed(w), w->name, why ? why : "?");
        }
        w->st.entries++;
        if (w->st.entries > w->lim.max_entries)
            return refuse(w, SW_TOOBIG, "the archive has more than %llu entries "
                          "(archive.max_entries)", (unsigned long long)w->lim.max_entries);
        show_name(w, e);
        w->entry_out = 0;
        w->entry_in0 = consumed(w);
        if (w->comp == SW_COMP_GZIP && w->st.entries == 1 &&
            archive_filter_code(w->a, 0) != ARCHIVE_FILTER_GZIP)
            return refuse(w, SW_INVALID, "not a gzip file");
        if (archive_entry_filetype(e) != AE_IFREG) {
            w->st.skipped++;
            if (drain(w) != SW_OK)
                return w->failed;
            continue;
        }
        if (archive_entry_is_encrypted(e))
            return refuse(w, SW_INVALID, "archive entry \"%s\" is encrypted; encrypted entries "
                          "are not read", w->name);
        if (w->comp == SW_COMP_ZIP && archive_name(w->name))
            return refuse(w, SW_TOOBIG, "archive entry \"%s\" is itself an archive: archives "
                          "inside archives are refused", w->name);
        if (archive_entry_size_is_set(e) &&
            (uint64_t)archive_entry_size(e) > w->lim.max_entry_bytes)
            return refuse(w, SW_TOOBIG, "archive entry \"%s\" declares %lld bytes "
                          "uncompressed, more than %llu (archive.max_entry_bytes)", w->name,
                          (long long)archive_entry_size(e),
                          (unsigned long long)w->lim.max_entry_bytes);
        if (!parse || (w->comp == SW_COMP_ZIP && !feed_name(w->name))) {
            if (parse) {
                w->st.skipped++;
                res->warnings++;
                if (res->err[0] == '\0')
                    snprintf(res->err, sizeof(res->err), "archive entry \"%s\" passed over: "
                             "not a feed document by its name", w->name);
            }
            if (drain(w) != SW_OK)
                return w->failed;
            continue;
        }
        erc = parse_entry(w, o, res, &have_error);
        if (w->failed)
            return w->failed;
        if (w->stopped || erc == SW_TOOBIG)
            return erc == SW_OK ? SW_OK : erc;
        if (erc != SW_OK)
            rc = SW_INVALID;
        /* A parser that stopped early leaves data: it still passes the caps. */
        if (drain(w) != SW_OK)
            return w->failed;
    }
    return rc;
}

/* --- the passes ------------------------------------------------------------------------ */

static void fill_limits(const struct sw_archive_limits *in, struct sw_archive_limits *out)
{
    *out = in != NULL ? *in : (struct sw_archive_limits){ 0, 0, 0, 0 };
    if (out->max_entries == 0)
        out->max_entries = SW_ARCHIVE_MAX_ENTRIES;
    if (out->max_entry_bytes == 0)
        out->max_entry_bytes = SW_ARCHIVE_MAX_ENTRY_BYTES;
    if (out->max_total_bytes == 0)
        out->max_total_bytes = SW_ARCHIVE_MAX_TOTAL_BYTES;
    if (out->max_ratio == 0)
        out->max_ratio = SW_ARCHIVE_MAX_RATIO;
}

/* The ZIP headers through the central directory: entries, declared sizes, names, and the
 * declared expansion of the whole, judged before any data is read. Returns SW_OK, the cap's
 * code with err set, or SCAN_UNREADABLE when the directory could not be read (a data pass then
 * says where the archive breaks). */
#define SCAN_UNREADABLE 1

static int scan_zip(struct src *s, const struct sw_archive_limits *lim, char *err,
                    size_t errlen)
{
    struct walk w;
    struct archive_entry *e;
    uint64_t declared = 0;
    int r;

    memset(&w, 0, sizeof(w));
    w.lim = *lim;
    w.comp = SW_COMP_ZIP;
    w.a = open_src(s, SW_COMP_ZIP, 1, w.err, sizeof(w.err));
    if (w.a == NULL)
        return SCAN_UNREADABLE;
    while ((r = archive_read_next_header(w.a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        w.st.entries++;
        show_name(&w, e);
        if (w.st.entries > lim->max_entries)
            refuse(&w, SW_TOOBIG, "the archive has more than %llu entries (archive.max_entries)",
                   (unsigned long long)lim->max_entries);
        else if (archive_entry_filetype(e) == AE_IFREG && archive_name(w.name))
            refuse(&w, SW_TOOBIG, "archive entry \"%s\" is itself an archive: archives inside "
                   "archives are refused", w.name);
        else if (archive_entry_size_is_set(e) &&
                 (uint64_t)archive_entry_size(e) > lim->max_entry_bytes)
            refuse(&w, SW_TOOBIG, "archive entry \"%s\" declares %lld bytes uncompressed, more "
                   "than %llu (archive.max_entry_bytes)", w.name,
                   (long long)archive_entry_size(e), (unsigned long long)lim->max_entry_bytes);
        if (w.failed)
            break;
        if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0)
            declared += (uint64_t)archive_entry_size(e);
        if (declared > lim->max_total_bytes) {
            refuse(&w, SW_TOOBIG, "the archive declares more than %llu bytes uncompressed "
                   "(archive.max_total_bytes)", (unsigned long long)lim->max_total_bytes);
            break;
        }
    }
    if (!w.failed && r != ARCHIVE_EOF)
        w.failed = SCAN_UNREADABLE;
    if (!w.failed && s->size > 0 && declared >= SW_ARCHIVE_RATIO_AFTER &&
        declared / (uint64_t)s->size > lim->max_ratio)
        refuse(&w, SW_TOOBIG, "the archive declares %llu bytes uncompressed from %lld, more "
               "than %llu times (archive.max_ratio)", (unsigned long long)declared,
               (long long)s->size, (unsigned long long)lim->max_ratio);
    archive_read_free(w.a);
    if (w.failed != SCAN_UNREADABLE)
        snprintf(err, errlen, "%s", w.err);
    return w.failed;
}

/* One pass over the data (parse 0: through the caps only). */
static int data_pass(struct src *s, enum sw_compression comp, const struct sw_archive_limits *lim,
                     int parse, const struct sw_feed_opts *o, sw_feed_emit_fn emit, void *ud,
                     struct sw_feed_result *res, struct sw_archive_stats *st)
{
    struct walk w;
    int rc;

    memset(&w, 0, sizeof(w));
    w.lim = *lim;
    w.comp = comp;
    w.emit = emit;
    w.ud = ud;
    w.a = open_src(s, comp, 0, res->err, sizeof(res->err));
    if (w.a == NULL)
        return SW_INVALID;
    rc = walk_entries(&w, parse, o, res);
    if (w.failed) {
        snprintf(res->err, sizeof(res->err), "%s", w.err);
        rc = w.failed;
    }
    w.st.bytes_in = (uint64_t)consumed(&w);
    archive_read_free(w.a);
    if (rc == SW_OK && parse && w.st.parsed == 0) {
        snprintf(res->err, sizeof(res->err), "the archive holds no feed document (%llu "
                 "entries passed over)", (unsigned long long)w.st.entries);
        rc = SW_INVALID;
    }
    if (rc != SW_OK && res->events > 0)
        res->partial = 1;
    if (st != NULL)
        *st = w.st;
    return rc;
}

/* The plain-document path for a pipe whose first bytes were already read for detection. */
static long plain_read(void *ctx, char *buf, size_t len)
{
    struct src *s = ctx;
    ssize_t n;

    if (s->head_pos < s->head_len) {
        size_t take = s->head_len - s->head_pos < len ? s->head_len - s->head_pos : len;

        memcpy(buf, s->head + s->head_pos, take);
        s->head_pos += take;
        return (long)take;
    }
    do
        n = read(s->fd, buf, len);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -1 : (long)n;
}

static int run(struct src *s, enum sw_compression comp, const struct sw_archive_limits *lim_in,
               const struct sw_feed_opts *o, sw_feed_emit_fn emit, void *ud,
               struct sw_feed_result *res, struct sw_archive_stats *st)
{
    struct sw_archive_limits lim;
    struct sw_feed_result probe;
    int rc = SW_OK;

    fill_limits(lim_in, &lim);
    if (st != NULL)
        memset(st, 0, sizeof(*st));
    if (comp == SW_COMP_AUTO)
        comp = s->fd < 0 ? sw_compression_detect(s->buf, s->len)
                         : sw_compression_detect(s->head, s->head_len);
    if (comp == SW_COMP_NONE) {
        if (s->fd < 0)
            return sw_feed_parse_buffer(s->buf, s->len, o, emit, ud, res);
        s->head_pos = 0;
        return sw_feed_parse_reader(plain_read, s, o, emit, ud, res);
    }
    memset(res, 0, sizeof(*res));
    if (s->seekable) {
        /* A gzip file has no directory: it is inflated once through the caps (its trailer's
         * size is of the last member only, and garbage when the file is cut short). */
        rc = comp == SW_COMP_ZIP ? scan_zip(s, &lim, res->err, sizeof(res->err))
                                 : SCAN_UNREADABLE;
        if (rc == SCAN_UNREADABLE) {
            /* Find where it breaks, and store nothing. */
            memset(&probe, 0, sizeof(probe));
            rc = data_pass(s, comp, &lim, 0, o, emit, ud, &probe, st);
            if (rc != SW_OK) {
                *res = probe;
                return rc;
            }
            rc = SW_OK;
        }
        if (rc != SW_OK)
            return rc;
    }
    return data_pass(s, comp, &lim, 1, o, emit, ud, res, st);
}

int sw_archive_parse_buffer(const char *buf, size_t len, enum sw_compression comp,
                            const struct sw_archive_limits *lim, const struct sw_feed_opts *o,
                            sw_feed_emit_fn emit, void *ud, struct sw_feed_result *res,
                            struct sw_archive_stats *st)
{
    struct src s;

    memset(&s, 0, sizeof(s));
    s.buf = buf ? buf : "";
    s.len = len;
    s.fd = -1;
    s.seekable = 1;
    s.size = (off_t)len;
    return run(&s, comp, lim, o, emit, ud, res, st);
}

int sw_archive_parse_fd(int fd, enum sw_compression comp, const struct sw_archive_limits *lim,
                        const struct sw_feed_opts *o, sw_feed_emit_fn emit, void *ud,
                        struct sw_feed_result *res, struct sw_archive_stats *st)
{
    struct src s;
    struct stat sb;
    ssize_t n;
    int rc;

    memset(&s, 0, sizeof(s));
    memset(res, 0, sizeof(*res));
    s.fd = fd;
    s.size = -1;
    s.block = malloc(BLOCK);
    if (s.block == NULL)
        return SW_ERR;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (s.start = lseek(fd, 0, SEEK_CUR)) >= 0) {
        s.seekable = 1;
        s.size = sb.st_size - s.start;
        n = pread(fd, s.head, sizeof(s.head), s.start);
        s.head_len = n > 0 ? (size_t)n : 0;
        /* A seekable file is read from its start offset each pass; the head only detects. */
        if (comp == SW_COMP_AUTO)
            comp = sw_compression_detect(s.head, s.head_len);
        if (comp == SW_COMP_NONE) {
            s.head_len = 0;
            rc = sw_feed_parse_fd(fd, o, emit, ud, res);
            free(s.block);
            return rc;
        }
        s.head_len = 0;
    } else {
        s.start = 0;
        while (s.head_len < sizeof(s.head)) {
            do
                n = read(fd, s.head + s.head_len, sizeof(s.head) - s.head_len);
            while (n < 0 && errno == EINTR);
            if (n < 0) {
                snprintf(res->err, sizeof(res->err), "read() failed (%s)", strerror(errno));
                free(s.block);
                return SW_ERR;
            }
            if (n == 0)
                break;
            s.head_len += (size_t)n;
        }
    }
    rc = run(&s, comp, lim, o, emit, ud, res, st);
    free(s.block);
    return rc;
}
