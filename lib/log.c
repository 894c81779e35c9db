/* log.c — one line per message on stderr: time, program, level, text. */
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

void sw_log(enum sw_log_level lvl, const char *fmt, ...)
{
    char line[2048], when[32];
    va_list ap;
    int n, m;

    if (lvl < log_min)
        return;
    sw_iso8601(sw_now_ms(), when, sizeof(when));
    n = snprintf(line, sizeof(line), "%s %s[%d] %s: ", when, log_prog, (int)getpid(),
                 level_names[lvl]);
    if (n < 0 || (size_t)n >= sizeof(line))
        return;
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    n += m;
    if ((size_t)n > sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    /* One write so lines from several threads or processes do not interleave. */
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}
