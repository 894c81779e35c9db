/* tool.h — what the admin program's files share (tools/seawall.c, tools/i18n.c). */
#ifndef SEAWALL_TOOL_H
#define SEAWALL_TOOL_H

#include <jansson.h>

#include "seawall/common.h"

/* Says "seawall: <message>" on stderr; returns 1 (the exit status). */
int sw_tool_fail(const char *fmt, ...) SW_PRINTF(1, 2);

/* Prints v as one line of JSON on stdout and decrefs it; returns 0, or 1 on no memory. */
int sw_tool_print_json(json_t *v);

/* `seawall i18n json LANG | check` over the catalogue folder dir (i18n.dir); argv[0] is the
 * subcommand. Returns the exit status. */
int sw_tool_i18n(const char *dir, int argc, char **argv);

struct sw_store;
struct sw_config;

/* `seawall register import FILE [--format F] [--compression C] [--resume]`; argv[0] is the
 * subcommand. Returns the exit status. */
int sw_tool_register(struct sw_store *s, const struct sw_config *cfg, int argc, char **argv);

#endif
