/* worker.h — what every worker program does first: read --config, load the configuration,
 * set up logging, find its own name (the configured one, else host:pid) and stop cleanly on
 * SIGTERM or SIGINT. */
#ifndef SEAWALL_WORKER_H
#define SEAWALL_WORKER_H

#include <signal.h>

#include "seawall/common.h"

struct sw_config;

/* Returns 0 with *cfg loaded (free it with sw_config_free), id filled from the configuration
 * key id_key (or host:pid), and SIGTERM/SIGINT setting *stopping; otherwise the exit status
 * the program should end with, after saying why on stderr. SIGPIPE is ignored. */
int sw_worker_start(const char *prog, int argc, char **argv, const char *id_key,
                    struct sw_config **cfg, char *id, size_t idlen,
                    volatile sig_atomic_t *stopping);

#endif
