/* log.c — one line per message on stderr: time, program, level, text (controls escaped). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seawall/log.h"

static const char *log_prog = "seawall";
static enum sw_log_level log_min = SW_LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

void sw_log_init(const char *prog, enum sw_log_level min)
{
    log_prog = prog;
    log_min = min;
}

int sw_log_level_parse(const char *s, enum sw_log_level *out)
{
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(level_names); i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum sw_log_level)i;
            return SW_OK;
        }
    }
    return SW_INVALID;
}

/* Writes one line: the prefix, then the formatted message with every control character and
 * every byte that is not UTF-8 written as \xHH (as nginx writes request lines), so text from
 * outside — a feed's date, a request's path — can neither end the line nor forge another. The
 * newline that ends the line is the only one written. */
void sw_log(enum sw_log_level lvl, const char *fmt, ...)
{
    char msg[2048], line[2048], when[32];
    va_list ap;
    int n, m;

    if (lvl < log_min)
        return;
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    n = snprintf(line, sizeof(line), "%s %s[%d] %s: ", when, log_prog, (int)getpid(),
                 level_names[lvl]);
    if (n < 0 || (size_t)n >= sizeof(line) - 1)
        return;
    va_start(ap, fmt);
    m = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    n += (int)sw_utf8_escape(msg, strnlen(msg, sizeof(msg)), 1, line + n,
                             sizeof(line) - (size_t)n - 1);
    line[n++] = '\n';
    /* One write so lines from several threads or processes do not interleave. */
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}
