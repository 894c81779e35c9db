/* worker.c — the start-up the worker programs share. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "seawall/config.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/store.h"
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
    if (sw_i18n_load(sw_config_str(*cfg, "i18n.dir"), err, sizeof(err)) != SW_OK) {
        sw_error("message catalogue not loaded: %s", err);
        sw_config_free(*cfg);
        *cfg = NULL;
        return 2;
    }
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

const char *sw_stream_field(const redisReply *entry, const char *name)
{
    const redisReply *f = entry->element[1];
    size_t i;

    for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements; i += 2)
        if (strcmp(f->element[i]->str, name) == 0)
            return f->element[i + 1]->str;
    return NULL;
}

void sw_worker_claim(struct sw_store *s, const char *stream, const char *group, const char *me,
                     long long idle_ms, long long count, const char *what,
                     void (*take)(void *ud, const redisReply *entries), void *ud,
                     volatile sig_atomic_t *stopping)
{
    char idle[32], cnt[32], cursor[64] = "0-0";
    int rounds = 0;

    snprintf(idle, sizeof(idle), "%lld", idle_ms);
    snprintf(cnt, sizeof(cnt), "%lld", count);
    do {
        redisReply *r = sw_store_cmd(s, "XAUTOCLAIM", stream, group, me, idle, cursor, "COUNT",
                                     cnt, NULL);

        if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 2) {
            if (r != NULL)
                freeReplyObject(r);
            return;
        }
        sw_strlcpy(cursor, r->element[0]->str, sizeof(cursor));
        if (r->element[1]->elements > 0)
            sw_info("claimed %zu %s left pending by another consumer", r->element[1]->elements,
                    what);
        take(ud, r->element[1]);
        freeReplyObject(r);
    } while (strcmp(cursor, "0-0") != 0 && ++rounds < 100 && !*stopping);
}
