/* worker.h — what every worker program does first: read --config, load the configuration,
 * set up logging, find its own name (the configured one, else host:pid) and stop cleanly on
 * SIGTERM or SIGINT. */
#ifndef SEAWALL_WORKER_H
#define SEAWALL_WORKER_H

#include <signal.h>

#include "seawall/common.h"

struct sw_config;

/* Returns 0 with *cfg loaded (free it with sw_config_free), the message catalogue loaded
 * from i18n.dir (sw_i18n_free), id filled from the configuration key id_key (or host:pid),
 * and SIGTERM/SIGINT setting *stopping; otherwise the exit status the program should end
 * with, after saying why on stderr. SIGPIPE is ignored. */
int sw_worker_start(const char *prog, int argc, char **argv, const char *id_key,
                    struct sw_config **cfg, char *id, size_t idlen,
                    volatile sig_atomic_t *stopping);

struct sw_store;
struct redisReply;

/* The value of field name in one stream entry as XREADGROUP returns it ([id, [k, v, ...]]),
 * or NULL. */
const char *sw_stream_field(const struct redisReply *entry, const char *name);

/* Takes over the entries of stream/group that other consumers read but left unacknowledged
 * for idle_ms (a crashed worker's), count at a time, handing each batch to take(ud, entries);
 * what counts to log says what the entries are ("events"). Stops after 100 batches or when
 * *stopping is set. */
void sw_worker_claim(struct sw_store *s, const char *stream, const char *group, const char *me,
                     long long idle_ms, long long count, const char *what,
                     void (*take)(void *ud, const struct redisReply *entries), void *ud,
                     volatile sig_atomic_t *stopping);

#endif
