/* worker.c — the start-up the worker programs share. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "seawall/config.h"
#include "seawall/log.h"
#include "seawall/worker.h"

static volatile sig_atomic_t *stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    if (stop_flag != NULL)
        *stop_flag = 1;
}

int sw_worker_start(const char *prog, int argc, char **argv, const char *id_key,
                    struct sw_config **cfg, char *id, size_t idlen,
                    volatile sig_atomic_t *stopping)
{
    const char *path = NULL;
    enum sw_log_level lvl;
    char err[512], host[100];
    struct sigaction sa;

    if (argc == 3 && strcmp(argv[1], "--config") == 0) {
        path = argv[2];
    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [--config FILE]\n", prog);
        return 2;
    }
    if (sw_config_load(cfg, path, err, sizeof(err)) != SW_OK) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return 2;
    }
    if (sw_log_level_parse(sw_config_str(*cfg, "log.level"), &lvl) != SW_OK)
        lvl = SW_LOG_INFO;
    sw_log_init(prog, lvl);
    if (sw_config_str(*cfg, id_key)[0] != '\0') {
        sw_strlcpy(id, sw_config_str(*cfg, id_key), idlen);
    } else {
        if (gethostname(host, sizeof(host)) != 0)
            sw_strlcpy(host, "localhost", sizeof(host));
        host[sizeof(host) - 1] = '\0';
        snprintf(id, idlen, "%s:%d", host, (int)getpid());
    }
    stop_flag = stopping;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}
