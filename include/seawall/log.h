/* log.h — leveled logging to stderr, one line per message, with time and program name. */
#ifndef SEAWALL_LOG_H
#define SEAWALL_LOG_H

#include "seawall/common.h"

enum sw_log_level { SW_LOG_DEBUG, SW_LOG_INFO, SW_LOG_WARN, SW_LOG_ERROR };

/* Sets the program name printed on each line and the lowest level printed. */
void sw_log_init(const char *prog, enum sw_log_level min);

/* Parses "debug", "info", "warn" or "error"; returns SW_OK or SW_INVALID. */
int sw_log_level_parse(const char *s, enum sw_log_level *out);

/* Writes one line to stderr in one write. In the formatted text every byte below 0x20, 0x7f
 * and every byte that is not UTF-8 is written as \xHH, so what came from outside cannot end
 * the line or forge another; a long message is cut to the line's 2 KiB. */
void sw_log(enum sw_log_level lvl, const char *fmt, ...) SW_PRINTF(2, 3);

#define sw_debug(...) sw_log(SW_LOG_DEBUG, __VA_ARGS__)
#define sw_info(...)  sw_log(SW_LOG_INFO, __VA_ARGS__)
#define sw_warn(...)  sw_log(SW_LOG_WARN, __VA_ARGS__)
#define sw_error(...) sw_log(SW_LOG_ERROR, __VA_ARGS__)

#endif
