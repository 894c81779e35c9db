/* config.h — one configuration file with documented defaults; every key overridable by
 * environment (SEAWALL_ + the key upper-cased with dots as underscores: redis.port is
 * SEAWALL_REDIS_PORT). The table of keys lives in lib/config.c; `seawall config` prints it. */
#ifndef SEAWALL_CONFIG_H
#define SEAWALL_CONFIG_H

#include <stdio.h>
#include "seawall/common.h"

struct sw_config;

/* Loads defaults, then the file at path (NULL: $SEAWALL_CONFIG if set, else defaults only),
 * then environment overrides. On failure returns SW_INVALID and writes a one-line reason
 * naming the file, line and key into err. The caller frees *out with sw_config_free. */
int sw_config_load(struct sw_config **out, const char *path, char *err, size_t errlen);

/* Value of key; the key must be in the table (asking for an unknown key aborts, a bug). */
const char *sw_config_str(const struct sw_config *cfg, const char *key);
long long sw_config_int(const struct sw_config *cfg, const char *key);

/* Sets key to value, validated as a file line would be. For tests and command-line flags. */
int sw_config_set(struct sw_config *cfg, const char *key, const char *value, char *err, size_t errlen);

/* Writes every key with its value, default and meaning, in file syntax. */
void sw_config_dump(const struct sw_config *cfg, FILE *fp);

void sw_config_free(struct sw_config *cfg);

#endif
