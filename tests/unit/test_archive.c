/* test_archive.c — feed documents in ZIP and gzip archives: entries parsed in order, other
 * files passed over, and every cap (entries, entry size declared and read, total size,
 * expansion, nesting) refusing a bomb with a message that names the cap; a broken archive named
 * by entry and byte; names that are only ever names. Archives are made here with libarchive's
 * writer, in memory; "through a pipe" runs the streaming path (no directory to read first). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>

#include "seawall/archive.h"

#define RSS_HEAD "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>" \
                 "<link>http://feeds.test/a</link>"

struct ent {
    const char *name;
    const char *data;
    size_t len;
    int declare;      /* write the size in the local header */
};

/* A ZIP of the entries, in out; returns its length. */
static size_t make_zip(const struct ent *e, size_t n, char *out, size_t outlen)
{
    struct archive *a = archive_write_new();
    size_t used = 0, i;

    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    archive_write_set_bytes_in_last_block(a, 1);
    assert_int_equal(archive_write_open_memory(a, out, outlen, &used), ARCHIVE_OK);
    for (i = 0; i < n; i++) {
        struct archive_entry *ae = archive_entry_new();

        archive_entry_set_pathname(ae, e[i].name);
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        if (e[i].declare)
            archive_entry_set_size(ae, (la_int64_t)e[i].len);
        assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, e[i].data, e[i].len), (la_ssize_t)e[i].len);
        archive_entry_free(ae);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return used;
}

static size_t make_gzip(const char *data, size_t len, char *out, size_t outlen)
{
    struct archive *a = archive_write_new();
    struct archive_entry *ae = archive_entry_new();
    size_t used = 0;

    assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK);
    archive_write_set_bytes_in_last_block(a, 1);
    assert_int_equal(archive_write_open_memory(a, out, outlen, &used), ARCHIVE_OK);
    archive_entry_set_pathname(ae, "feed.xml");
    archive_entry_set_filetype(ae, AE_IFREG);
    assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
    archive_entry_free(ae);
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return used;
}

/* An RSS document with n items, ids prefix-0 … prefix-(n-1), and pad spaces before its end. */
static char *rss(const char *prefix, int n, size_t pad, size_t *len)
{
    size_t cap = 4096 + (size_t)n * 200 + pad, off = 0;
    char *s = malloc(cap);
    int i;

    assert_non_null(s);
    off += (size_t)snprintf(s + off, cap - off, "%s", RSS_HEAD);
    for (i = 0; i < n; i++)
        off += (size_t)snprintf(s + off, cap - off, "<item><title>%s %d</title><guid>%s-%d</guid>"
                                "</item>", prefix, i, prefix, i);
    memset(s + off, ' ', pad);
    off += pad;
    off += (size_t)snprintf(s + off, cap - off, "</channel></rss>");
    *len = off;
    return s;
}

struct collected {
    json_t *events;
};

static int collect(void *ud, json_t *ev)
{
    json_array_append_new(((struct collected *)ud)->events, ev);
    return 0;
}

/* Parses an archive from memory (pipe 0) or through a pipe (1); events into *events. */
static int parse(const char *buf, size_t len, enum sw_compression comp,
                 const struct sw_archive_limits *lim, int pipe_it, struct sw_feed_result *res,
                 struct sw_archive_stats *st, json_t **events)
{
    struct sw_feed_opts o = { .format = SW_FEED_AUTO };
    struct collected c = { json_array() };
    int rc, p[2];

    if (!pipe_it) {
        rc = sw_archive_parse_buffer(buf, len, comp, lim, &o, collect, &c, res, st);
    } else {
        assert_true(len < 60000);   /* fits the pipe's buffer: written whole before reading */
        assert_int_equal(pipe(p), 0);
        assert_int_equal(write(p[1], buf, len), (ssize_t)len);
        close(p[1]);
        rc = sw_archive_parse_fd(p[0], comp, lim, &o, collect, &c, res, st);
        close(p[0]);
    }
    *events = c.events;
    return rc;
}

static const char *guid(json_t *events, size_t i)
{
    return json_string_value(json_object_get(json_object_get(json_array_get(events, i),
                                                              "numbers"), "guid"));
}

static char zbuf[1 << 20];

static void zip_entries_parsed_in_order(void **state)
{
    size_t la, lb, n;
    char *a = rss("a", 3, 0, &la), *b = rss("b", 2, 0, &lb);
    struct ent e[] = { { "first.xml", a, la, 1 }, { "dir/second.rss", b, lb, 0 } };
    struct sw_feed_result res;
    struct sw_archive_stats st;
    json_t *ev;
    int pipe_it;

    n = make_zip(e, 2, zbuf, sizeof(zbuf));
    for (pipe_it = 0; pipe_it < 2; pipe_it++) {
        assert_int_equal(parse(zbuf, n, SW_COMP_AUTO, NULL, pipe_it, &res, &st, &ev), SW_OK);
        assert_int_equal(res.events, 5);
        assert_int_equal(res.format, SW_FEED_RSS);
        assert_int_equal(st.entries, 2);
        assert_int_equal(st.parsed, 2);
        assert_int_equal(st.bytes_out, la + lb);
        assert_string_equal(guid(ev, 0), "a-0");
        assert_string_equal(guid(ev, 4), "b-1");
        json_decref(ev);
    }
    /* Told it is a ZIP, and told wrongly it is gzip. */
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, NULL, 0, &res, &st, &ev), SW_OK);
    json_decref(ev);
    assert_int_equal(parse(zbuf, n, SW_COMP_GZIP, NULL, 0, &res, &st, &ev), SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    json_decref(ev);
    free(a);
    free(b);
}

static void gzip_member_and_plain_documents(void **state)
{
    size_t la, n;
    char *a = rss("g", 4, 0, &la);
    struct sw_feed_result res;
    struct sw_archive_stats st;
    json_t *ev;
    int pipe_it;

    n = make_gzip(a, la, zbuf, sizeof(zbuf));
    for (pipe_it = 0; pipe_it < 2; pipe_it++) {
        assert_int_equal(parse(zbuf, n, SW_COMP_AUTO, NULL, pipe_it, &res, &st, &ev), SW_OK);
        assert_int_equal(res.events, 4);
        assert_int_equal(st.parsed, 1);
        assert_string_equal(guid(ev, 3), "g-3");
        json_decref(ev);
    }
    /* A plain document is read as it is, from memory and through a pipe. */
    for (pipe_it = 0; pipe_it < 2; pipe_it++) {
        assert_int_equal(parse(a, la, SW_COMP_AUTO, NULL, pipe_it, &res, &st, &ev), SW_OK);
        assert_int_equal(res.events, 4);
        json_decref(ev);
    }
    /* Told gzip, given a plain document. */
    assert_int_equal(parse(a, la, SW_COMP_GZIP, NULL, 0, &res, &st, &ev), SW_INVALID);
    assert_non_null(strstr(res.err, "not a gzip file"));
    json_decref(ev);
    free(a);
}

static void other_files_passed_over(void **state)
{
    size_t la, n;
    char *a = rss("x", 1, 0, &la);
    struct ent e[] = { { "README.txt", "read me", 7, 1 }, { "x.xml", a, la, 1 } };
    struct ent only[] = { { "README.txt", "read me", 7, 1 } };
    struct sw_feed_result res;
    struct sw_archive_stats st;
    json_t *ev;

    n = make_zip(e, 2, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, NULL, 0, &res, &st, &ev), SW_OK);
    assert_int_equal(res.events, 1);
    assert_int_equal(res.warnings, 1);
    assert_int_equal(st.skipped, 1);
    assert_non_null(strstr(res.err, "archive entry \"README.txt\" passed over"));
    json_decref(ev);
    n = make_zip(only, 1, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, NULL, 0, &res, &st, &ev), SW_INVALID);
    assert_non_null(strstr(res.err, "the archive holds no feed document (1 entries passed over)"));
    json_decref(ev);
    free(a);
}

static void too_many_entries(void **state)
{
    struct ent e[12];
    char names[12][16];
    size_t la, n, i;
    char *a = rss("m", 1, 0, &la);
    struct sw_archive_limits lim = { .max_entries = 10 };
    struct sw_feed_result res;
    json_t *ev;
    int pipe_it;

    for (i = 0; i < 12; i++) {
        snprintf(names[i], sizeof(names[i]), "e%zu.xml", i);
        e[i] = (struct ent){ names[i], a, la, 1 };
    }
    n = make_zip(e, 12, zbuf, sizeof(zbuf));
    /* From memory the directory is read first: nothing parsed. Through a pipe the eleventh
     * header stops it. */
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, &lim, 0, &res, NULL, &ev), SW_TOOBIG);
    assert_string_equal(res.err, "the archive has more than 10 entries (archive.max_entries)");
    assert_int_equal(json_array_size(ev), 0);
    json_decref(ev);
    pipe_it = 1;
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, &lim, pipe_it, &res, NULL, &ev), SW_TOOBIG);
    assert_string_equal(res.err, "the archive has more than 10 entries (archive.max_entries)");
    assert_true(json_array_size(ev) <= 10);
    json_decref(ev);
    free(a);
}

static void entry_size_declared_and_read(void **state)
{
    size_t la, n;
    char *a = rss("s", 2, 5000, &la);
    struct ent declared[] = { { "big.xml", a, la, 1 } };
    struct ent silent[] = { { "big.xml", a, la, 0 } };
    struct sw_archive_limits lim = { .max_entry_bytes = 4096 };
    struct sw_feed_result res;
    json_t *ev;

    n = make_zip(declared, 1, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, &lim, 0, &res, NULL, &ev), SW_TOOBIG);
    assert_non_null(strstr(res.err, "archive entry \"big.xml\" declares"));
    assert_non_null(strstr(res.err, "more than 4096 (archive.max_entry_bytes)"));
    assert_int_equal(json_array_size(ev), 0);
    json_decref(ev);
    /* No size in the local header, and no directory to read: stopped as the bytes come. */
    n = make_zip(silent, 1, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, &lim, 1, &res, NULL, &ev), SW_TOOBIG);
    assert_string_equal(res.err, "archive entry \"big.xml\" holds more than 4096 bytes "
                                 "uncompressed (archive.max_entry_bytes)");
    json_decref(ev);
    /* gzip has no directory: its bytes are counted as they come, before anything is parsed. */
    n = make_gzip(a, la, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_GZIP, &lim, 0, &res, NULL, &ev), SW_TOOBIG);
    assert_string_equal(res.err, "archive entry \"data\" holds more than 4096 bytes "
                                 "uncompressed (archive.max_entry_bytes)");
    assert_int_equal(json_array_size(ev), 0);
    json_decref(ev);
    free(a);
}

static void total_size(void **state)
{
    size_t la, n;
    char *a = rss("t", 2, 3000, &la);
    struct ent e[] = { { "1.xml", a, la, 0 }, { "2.xml", a, la, 0 } };
    struct sw_archive_limits lim = { .max_total_bytes = (uint64_t)la + 100 };
    struct sw_feed_result res;
    json_t *ev;
    int pipe_it;

    n = make_zip(e, 2, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, &lim, 0, &res, NULL, &ev), SW_TOOBIG);
    assert_non_null(strstr(res.err, "the archive declares more than"));
    assert_non_null(strstr(res.err, "(archive.max_total_bytes)"));
    assert_int_equal(json_array_size(ev), 0);
    json_decref(ev);
    pipe_it = 1;
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, &lim, pipe_it, &res, NULL, &ev), SW_TOOBIG);
    assert_non_null(strstr(res.err, "the archive holds more than"));
    assert_non_null(strstr(res.err, "(archive.max_total_bytes)"));
    json_decref(ev);
    free(a);
}

static void expansion_ratio(void **state)
{
    size_t la, n;
    char *a = rss("r", 1, 3u << 20, &la);   /* 3 MiB of spaces: deflate makes it ~3 KiB */
    struct ent e[] = { { "bomb.xml", a, la, 0 } };
    struct sw_feed_result res;
    json_t *ev;

    n = make_zip(e, 1, zbuf, sizeof(zbuf));
    assert_true(n < 60000);
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, NULL, 0, &res, NULL, &ev), SW_TOOBIG);
    assert_non_null(strstr(res.err, "the archive declares"));
    assert_non_null(strstr(res.err, "more than 200 times (archive.max_ratio)"));
    assert_int_equal(json_array_size(ev), 0);
    json_decref(ev);
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, NULL, 1, &res, NULL, &ev), SW_TOOBIG);
    assert_non_null(strstr(res.err, "archive entry \"bomb.xml\" expands more than 200 times "
                                    "(archive.max_ratio)"));
    json_decref(ev);
    n = make_gzip(a, la, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_GZIP, NULL, 0, &res, NULL, &ev), SW_TOOBIG);
    assert_non_null(strstr(res.err, "archive entry \"data\" expands more than 200 times"));
    assert_int_equal(json_array_size(ev), 0);
    json_decref(ev);
    free(a);
}

static void nested_archives_refused(void **state)
{
    static char inner[65536];
    size_t la, ni, n;
    char *a = rss("n", 1, 0, &la);
    struct ent in1[] = { { "x.xml", a, la, 1 } };
    struct ent by_name[2] = { { "ok.xml", a, la, 1 }, { "inner.zip", NULL, 0, 1 } };
    struct ent by_bytes[1] = { { "looks-like.xml", NULL, 0, 1 } };
    struct sw_feed_result res;
    json_t *ev;

    ni = make_zip(in1, 1, inner, sizeof(inner));
    by_name[1].data = inner;
    by_name[1].len = ni;
    n = make_zip(by_name, 2, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, NULL, 0, &res, NULL, &ev), SW_TOOBIG);
    assert_string_equal(res.err, "archive entry \"inner.zip\" is itself an archive: archives "
                                 "inside archives are refused");
    assert_int_equal(json_array_size(ev), 0);
    json_decref(ev);
    by_bytes[0].data = inner;
    by_bytes[0].len = ni;
    n = make_zip(by_bytes, 1, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, NULL, 0, &res, NULL, &ev), SW_TOOBIG);
    assert_string_equal(res.err, "archive entry \"looks-like.xml\" is itself an archive or "
                                 "compressed file: archives inside archives are refused");
    json_decref(ev);
    free(a);
}

static void broken_archive_names_entry_and_byte(void **state)
{
    size_t la, lb, n;
    char *a = rss("a", 3, 0, &la), *b = rss("b", 400, 0, &lb);
    struct ent e[] = { { "first.xml", a, la, 1 }, { "second.xml", b, lb, 1 } };
    struct sw_feed_result res;
    json_t *ev;
    int pipe_it;

    n = make_zip(e, 2, zbuf, sizeof(zbuf));
    for (pipe_it = 0; pipe_it < 2; pipe_it++) {
        /* Cut inside the second entry's data. */
        assert_int_equal(parse(zbuf, n - 900, SW_COMP_ZIP, NULL, pipe_it, &res, NULL, &ev),
                         SW_INVALID);
        assert_non_null(strstr(res.err, "archive entry \"second.xml\" broken at byte "));
        assert_non_null(strstr(res.err, " of the archive ("));
        /* From memory the break is found before anything is parsed; through a pipe, the
         * first entry's events came before it. */
        assert_int_equal(json_array_size(ev), pipe_it ? 3 : 0);
        json_decref(ev);
    }
    n = make_gzip(b, lb, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n / 2, SW_COMP_GZIP, NULL, 0, &res, NULL, &ev), SW_INVALID);
    assert_non_null(strstr(res.err, "broken at byte"));
    assert_int_equal(json_array_size(ev), 0);
    json_decref(ev);
    /* Not an archive at all, though told so. */
    assert_int_equal(parse("PK\3\4 garbage", 12, SW_COMP_ZIP, NULL, 0, &res, NULL, &ev),
                     SW_INVALID);
    assert_non_null(strstr(res.err, "broken at byte"));
    json_decref(ev);
    free(a);
    free(b);
}

static void names_are_only_names(void **state)
{
    size_t la, n;
    char *a = rss("p", 1, 0, &la);
    struct ent e[] = { { "../../seawall-escape.xml", a, la, 1 },
                       { "/tmp/seawall-absolute.xml", a, la, 1 },
                       { "ctl\033[31m.txt", "x", 1, 1 } };
    struct sw_feed_result res;
    json_t *ev;

    n = make_zip(e, 3, zbuf, sizeof(zbuf));
    assert_int_equal(parse(zbuf, n, SW_COMP_ZIP, NULL, 0, &res, NULL, &ev), SW_OK);
    assert_int_equal(res.events, 2);   /* the same item twice: the same event id */
    assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 0), "id")),
                        json_string_value(json_object_get(json_array_get(ev, 1), "id")));
    /* The escape character is shown, never passed on. */
    assert_non_null(strstr(res.err, "archive entry \"ctl\\x1B[31m.txt\" passed over"));
    assert_int_equal(access("../../seawall-escape.xml", F_OK), -1);
    assert_int_equal(access("/tmp/seawall-absolute.xml", F_OK), -1);
    json_decref(ev);
    free(a);
}

static void detection(void **state)
{
    assert_int_equal(sw_compression_detect("PK\3\4", 4), SW_COMP_ZIP);
    assert_int_equal(sw_compression_detect("PK\5\6", 4), SW_COMP_ZIP);
    assert_int_equal(sw_compression_detect("\x1f\x8b\x08", 3), SW_COMP_GZIP);
    assert_int_equal(sw_compression_detect("<?xml", 5), SW_COMP_NONE);
    assert_int_equal(sw_compression_detect("P", 1), SW_COMP_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zip_entries_parsed_in_order),
        cmocka_unit_test(gzip_member_and_plain_documents),
        cmocka_unit_test(other_files_passed_over),
        cmocka_unit_test(too_many_entries),
        cmocka_unit_test(entry_size_declared_and_read),
        cmocka_unit_test(total_size),
        cmocka_unit_test(expansion_ratio),
        cmocka_unit_test(nested_archives_refused),
        cmocka_unit_test(broken_archive_names_entry_and_byte),
        cmocka_unit_test(names_are_only_names),
        cmocka_unit_test(detection),
    };
    return cmocka_run_group_tests_name("archive", tests, NULL, NULL);
}
