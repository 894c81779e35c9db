/* test_log.c — a log line is one line: controls and bytes that are not UTF-8 are escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "seawall/common.h"
#include "seawall/log.h"

/* The escaped form of the C string s. */
static const char *esc(const char *s, int controls)
{
    static char out[256];

    sw_utf8_escape(s, strlen(s), controls, out, sizeof(out));
    return out;
}

static void escapes_what_is_not_text(void **state)
{
    (void)state;
    assert_string_equal(esc("plain ascii", 1), "plain ascii");
    assert_string_equal(esc("a\nb\rc\td", 1), "a\\x0Ab\\x0Dc\\x09d");
    assert_string_equal(esc("del\x7f", 1), "del\\x7F");
    assert_string_equal(esc("\x1b[31mred", 1), "\\x1B[31mred");
    assert_string_equal(esc("caf\xc3\xa9 \xe6\x89\x8b\xe6\x9c\xba \xf0\x9f\x98\x80", 1),
                        "caf\xc3\xa9 \xe6\x89\x8b\xe6\x9c\xba \xf0\x9f\x98\x80");
    assert_string_equal(esc("bad \xff byte", 1), "bad \\xFF byte");
    assert_string_equal(esc("overlong \xc0\x80", 1), "overlong \\xC0\\x80");
    assert_string_equal(esc("surrogate \xed\xa0\x80", 1), "surrogate \\xED\\xA0\\x80");
    assert_string_equal(esc("cut \xe2\x82", 1), "cut \\xE2\\x82");
    assert_string_equal(esc("past \xf4\x90\x80\x80", 1), "past \\xF4\\x90\\x80\\x80");
    /* Without controls only the bytes that are not UTF-8 change. */
    assert_string_equal(esc("a\nb\xff", 0), "a\nb\\xFF");
}

static void escape_stops_before_what_does_not_fit(void **state)
{
    char out[8];

    (void)state;
    assert_int_equal(sw_utf8_escape("abcdefghij", 10, 1, out, sizeof(out)), 7);
    assert_string_equal(out, "abcdefg");
    /* "ab" + \xFF is 6 bytes; the next escape would need 4 more. */
    assert_int_equal(sw_utf8_escape("ab\xff\xff", 4, 1, out, sizeof(out)), 6);
    assert_string_equal(out, "ab\\xFF");
    /* A character is never cut: 3 + 3 bytes fit in 7, the third does not. */
    assert_int_equal(sw_utf8_escape("\xe6\x89\x8b\xe6\x89\x8b\xe6\x89\x8b", 9, 1, out,
                                    sizeof(out)), 6);
    assert_string_equal(out, "\xe6\x89\x8b\xe6\x89\x8b");
    assert_int_equal(sw_utf8_escape("x", 1, 1, out, 1), 0);
    assert_string_equal(out, "");
}

/* What sw_info(fmt, arg) writes to stderr, into out (NUL-terminated); its length. */
static size_t logged(const char *arg, char *out, size_t outlen)
{
    int fds[2], saved;
    ssize_t n;

    assert_int_equal(pipe(fds), 0);
    saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fds[1], STDERR_FILENO) >= 0);
    sw_info("feed item date \"%s\" not understood", arg);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    close(fds[1]);
    n = read(fds[0], out, outlen - 1);
    close(fds[0]);
    assert_true(n > 0);
    out[n] = '\0';
    return (size_t)n;
}

static void a_message_cannot_forge_a_line(void **state)
{
    char line[4096];
    size_t n;

    (void)state;
    sw_log_init("seawall-test", SW_LOG_INFO);
    n = logged("Mon\n2026-12-01T00:00:00.000Z seawall-poller[1] error: forged\r\xff", line,
               sizeof(line));
    assert_int_equal(line[n - 1], '\n');
    assert_ptr_equal(strchr(line, '\n'), line + n - 1);   /* the only newline */
    assert_null(strchr(line, '\r'));
    assert_non_null(strstr(line, " seawall-test["));
    assert_non_null(strstr(line, "] info: feed item date \"Mon\\x0A2026-12-01T00:00:00.000Z "
                                 "seawall-poller[1] error: forged\\x0D\\xFF\" not understood\n"));
}

static void a_long_message_stays_one_line_of_text(void **state)
{
    char arg[3001], line[4096];
    size_t i, n;

    (void)state;
    sw_log_init("seawall-test", SW_LOG_INFO);
    for (i = 0; i + 2 <= 3000; i += 2)
        memcpy(arg + i, "\xc3\xa9", 2);
    arg[3000] = '\0';
    n = logged(arg, line, sizeof(line));
    assert_true(n <= 2048);
    assert_int_equal(line[n - 1], '\n');
    assert_ptr_equal(strchr(line, '\n'), line + n - 1);
    assert_true(sw_utf8_valid(line, n, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_what_is_not_text),
        cmocka_unit_test(escape_stops_before_what_does_not_fit),
        cmocka_unit_test(a_message_cannot_forge_a_line),
        cmocka_unit_test(a_long_message_stays_one_line_of_text),
    };
    return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
