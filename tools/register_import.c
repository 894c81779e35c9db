/* register_import.c — `seawall register import FILE`: a bulk back-file (USPTO's annual
 * trademark XML, EUIPO's exports, ST.66/ST.96; plain, gzip or zip) streamed through the feed
 * parsers into the register in pipelined batches (seawall/register.h), with a progress bar on
 * a terminal (plain lines every few seconds otherwise) and a checkpoint in Redis so that an
 * import stopped half-way goes on where it stopped (--resume). Memory stays bounded: the
 * parser holds one record, the writer one batch.
 *
 * The checkpoint, sw:{reg}:import:ID (ID: a hash of the file's size, first MiB and last
 * 64 KiB, so a renamed copy is the same file and a changed file is another), is a hash:
 * path, size, done (events written, in the parser's order), finished (1 at the end), updated.
 * It is written after each batch is stored, so done never counts an event that is not. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "seawall/archive.h"
#include "seawall/config.h"
#include "seawall/feedreg.h"
#include "seawall/register.h"
#include "seawall/store.h"
#include "tool.h"

#define PLAIN_EVERY_MS 5000   /* a progress line this often when stderr is no terminal */
#define BAR_EVERY_MS 200      /* the bar is redrawn at most this often */

struct imp {
    struct sw_store *s;
    struct sw_reg_writer *w;
    int fd;
    long long size;
    char id[96];              /* the file's identity: its checkpoint's name */
    long long skip;           /* events done by an earlier run (--resume) */
    long long seen;           /* events the parser gave */
    long long queued;         /* events handed to the writer */
    long long done;           /* events stored (the checkpoint) */
    int tty;
    int64_t start_ms, last_ms;
    int failed;
    char err[320];
};

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The file's identity: 32 hex digits of BLAKE2b over its size, first MiB and last 64 KiB. */
static int file_id(int fd, long long size, char *out, size_t n)
{
    crypto_generichash_state st;
    unsigned char h[16];
    char *buf = malloc(1 << 20);
    ssize_t got;
    size_t i;

    if (buf == NULL || crypto_generichash_init(&st, NULL, 0, sizeof(h)) != 0) {
        free(buf);
        return SW_ERR;
    }
    crypto_generichash_update(&st, (const unsigned char *)&size, sizeof(size));
    got = pread(fd, buf, 1 << 20, 0);
    if (got > 0)
        crypto_generichash_update(&st, (unsigned char *)buf, (size_t)got);
    if (size > (1 << 20)) {
        got = pread(fd, buf, 65536, size - 65536);
        if (got > 0)
            crypto_generichash_update(&st, (unsigned char *)buf, (size_t)got);
    }
    free(buf);
    crypto_generichash_final(&st, h, sizeof(h));
    for (i = 0; i < sizeof(h) && 2 * i + 2 < n; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
    return SW_OK;
}

static void progress(struct imp *m, int last)
{
    int64_t now = mono_ms();
    off_t pos = lseek(m->fd, 0, SEEK_CUR);
    double secs = (double)(now - m->start_ms) / 1000.0;
    double rate = secs > 0 ? (double)m->seen / secs : 0;
    double frac = m->size > 0 && pos >= 0 ? (double)pos / (double)m->size : 0;

    if (frac > 1)
        frac = 1;
    if (!last && now - m->last_ms < (m->tty ? BAR_EVERY_MS : PLAIN_EVERY_MS))
        return;
    m->last_ms = now;
    if (last && pos >= 0)
        frac = 1;
    if (m->tty) {
        char bar[31];
        int i, fill = (int)(frac * 30);

        for (i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %3d%%  %lld records  %.1f/%.1f MB  %.0f records/s%s", bar,
                (int)(frac * 100), m->seen, (double)(pos > 0 ? pos : 0) / 1e6,
                (double)m->size / 1e6, rate, last ? "\n" : "  ");
    } else {
        fprintf(stderr, "seawall: register import: %lld records (%lld stored), %.1f of %.1f MB "
                "(%d%%), %.0f records/s\n", m->seen, m->done, (double)(pos > 0 ? pos : 0) / 1e6,
                (double)m->size / 1e6, (int)(frac * 100), rate);
    }
    fflush(stderr);
}

/* Stores the checkpoint: done events, and finished when the file has been read whole. */
static int checkpoint(struct imp *m, const char *path, int finished)
{
    return sw_register_import_put(m->s, m->id, path, m->size, m->done, finished);
}

/* Writes what the writer holds and moves the checkpoint on. */
static int flush(struct imp *m, const char *path)
{
    int rc, tries;

    for (tries = 0; tries < 5; tries++) {
        rc = sw_register_flush(m->w);
        if (rc == SW_OK)
            break;
        if (rc != SW_EAGAIN)
            return rc;
        sleep(1);   /* Redis went away: the store reconnects at the next call */
    }
    if (rc != SW_OK)
        return rc;
    m->done = m->skip + m->queued;
    return checkpoint(m, path, 0);
}

static const char *import_path;

static int take(void *ud, json_t *ev)
{
    struct imp *m = ud;
    int rc;

    m->seen++;
    if (m->seen <= m->skip) {   /* stored by the run that stopped */
        json_decref(ev);
        progress(m, 0);
        return 0;
    }
    rc = sw_register_add(m->w, ev);
    json_decref(ev);
    m->queued++;
    if (rc == SW_OK && m->queued % SW_REG_BATCH == 0)
        rc = flush(m, import_path);
    if (rc != SW_OK) {
        snprintf(m->err, sizeof(m->err), "writing to Redis failed (%s)", m->s->errstr);
        m->failed = 1;
        return 1;
    }
    progress(m, 0);
    return 0;
}

int sw_tool_register(struct sw_store *s, const struct sw_config *cfg, int argc, char **argv)
{
    struct sw_feed_opts o = { .format = SW_FEED_AUTO };
    struct sw_feed_result res;
    struct sw_archive_limits lim;
    enum sw_compression comp = SW_COMP_AUTO;
    struct imp m;
    struct stat sb;
    const char *path = NULL;
    char id[40];
    int i, resume = 0, rc, finished;
    long long events, marks, before;

    if (argc < 1 || strcmp(argv[0], "import") != 0)
        return sw_tool_fail("%s", "register takes: import FILE [--format F] [--resume]");
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            i++;
            if (sw_feed_format_parse(argv[i], &o.format) != SW_OK ||
                (o.format != SW_FEED_AUTO && o.format != SW_FEED_USPTO_TM &&
                 o.format != SW_FEED_EUIPO && o.format != SW_FEED_ST66 &&
                 o.format != SW_FEED_ST96))
                return sw_tool_fail("--format %s: a register back-file is uspto-tm, euipo, st66, "
                                    "st96 or auto", argv[i]);
        } else if (strcmp(argv[i], "--compression") == 0 && i + 1 < argc) {
            if (sw_compression_parse(argv[++i], &comp) != SW_OK)
                return sw_tool_fail("unknown compression \"%s\" (none, zip, gzip or auto)",
                                    argv[i]);
        } else if (strcmp(argv[i], "--resume") == 0) {
            resume = 1;
        } else if (path == NULL && argv[i][0] != '-') {
            path = argv[i];
        } else {
            return sw_tool_fail("unknown argument \"%s\"", argv[i]);
        }
    }
    if (path == NULL)
        return sw_tool_fail("%s", "register import needs a FILE");
    memset(&m, 0, sizeof(m));
    m.fd = open(path, O_RDONLY);
    if (m.fd < 0)
        return sw_tool_fail("open(\"%s\") failed (%s)", path, strerror(errno));
    if (fstat(m.fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(m.fd);
        return sw_tool_fail("%s: not a regular file (an import is resumed by the file's "
                            "identity, so it reads files, not pipes)", path);
    }
    m.size = (long long)sb.st_size;
    if (file_id(m.fd, m.size, id, sizeof(id)) != SW_OK) {
        close(m.fd);
        return sw_tool_fail("%s", "out of memory");
    }
    sw_strlcpy(m.id, id, sizeof(m.id));
    m.s = s;
    if (sw_register_import_get(s, m.id, &before, &finished) != SW_OK) {
        close(m.fd);
        return sw_tool_fail("Redis: %s", s->errstr);
    }
    if (resume)
        m.skip = before;
    else if (before > 0)
        fprintf(stderr, "seawall: %s: an earlier import of this file %s after %lld "
                "records; importing it whole again (--resume skips them; either way "
                "the records come out the same)\n", path, finished ? "ended" : "stopped",
                before);
    m.w = sw_register_writer_new(s, NULL, NULL, NULL);
    if (m.w == NULL) {
        close(m.fd);
        return sw_tool_fail("%s", "out of memory");
    }
    m.tty = isatty(2);
    m.start_ms = m.last_ms = mono_ms();
    m.done = m.skip;
    import_path = path;
    sw_feedreg_archive_limits(cfg, &lim);
    o.max_events = (size_t)-1 / 2;   /* a back-file holds millions of records */
    rc = sw_archive_parse_fd(m.fd, comp, &lim, &o, take, &m, &res, NULL);
    if (!m.failed && flush(&m, path) != SW_OK) {
        snprintf(m.err, sizeof(m.err), "writing to Redis failed (%s)", s->errstr);
        m.failed = 1;
    }
    progress(&m, 1);
    sw_register_counts(m.w, &events, &marks);
    sw_register_writer_free(m.w);
    close(m.fd);
    if (m.failed)
        return sw_tool_fail("%s: stopped after %lld records: %s (run it again with --resume)",
                            path, m.done, m.err);
    if (rc != SW_OK && !res.partial)
        return sw_tool_fail("%s: %s", path, res.err[0] ? res.err : "cannot be read");
    {
        /* the checkpoint counts from the file's start, skipped records included */
        long long total = m.seen;

        m.done = total;
        if (checkpoint(&m, path, rc == SW_OK) != SW_OK)
            return sw_tool_fail("Redis: %s", s->errstr);
        rc = sw_tool_print_json(json_pack(
            "{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:I, s:b}", "file", path, "id", id, "records",
            (json_int_t)total, "skipped", (json_int_t)(m.skip < total ? m.skip : total),
            "written", (json_int_t)events, "marks_changed", (json_int_t)marks,
            "format", sw_feed_format_name(res.format), "warnings", (json_int_t)res.warnings,
            "complete", !res.partial));
        if (res.partial)
            return sw_tool_fail("%s: read in part (%lld records): %s", path, total, res.err);
        return rc;
    }
}
