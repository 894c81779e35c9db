/* main.c — seawall-api: opens the FastCGI socket, runs api.processes processes of api.threads
 * accepting threads each (one Redis connection per thread), and shuts down cleanly on SIGTERM
 * or SIGINT. The only file that touches libfcgi. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "seawall/config.h"
#include "seawall/deadlines.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/store.h"
#include "api.h"

#define SW_VERSION "0.1.0"

static const struct sw_config *cfg;
static int listen_fd = -1;
static pthread_mutex_t accept_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
    default: return "Internal Server Error";
    }
}

static int fcgi_read(void *io, char *buf, int n)
{
    return FCGX_GetStr(buf, n, ((FCGX_Request *)io)->in);
}

static int fcgi_write(void *io, const char *buf, size_t n)
{
    FCGX_Stream *out = ((FCGX_Request *)io)->out;

    if (n > 0 && FCGX_PutStr(buf, (int)n, out) != (int)n)
        return -1;
    return FCGX_FFlush(out) == 0 ? 0 : -1;
}

static void handle(FCGX_Request *r, struct sw_store *store)
{
    struct sw_req req;
    struct sw_resp resp;
    struct sw_ctx c;
    const char *cl;
    char head[256];
    int n;
    long long body_max = sw_config_int(cfg, "api.body_max");

    memset(&req, 0, sizeof(req));
    memset(&c, 0, sizeof(c));
    sw_buf_init(&resp.headers, 16 * 1024);
    sw_buf_init(&resp.body, (size_t)body_max * 4 + 1024 * 1024);
    resp.status = 0;
    resp.streamed = 0;
    resp.state_dependent = 0;
    resp.ctype = "application/json";
    req.method = FCGX_GetParam("REQUEST_METHOD", r->envp);
    req.path = FCGX_GetParam("DOCUMENT_URI", r->envp);
    if (req.path == NULL)
        req.path = FCGX_GetParam("SCRIPT_NAME", r->envp);
    req.query = FCGX_GetParam("QUERY_STRING", r->envp);
    req.content_type = FCGX_GetParam("CONTENT_TYPE", r->envp);
    req.authorization = FCGX_GetParam("HTTP_AUTHORIZATION", r->envp);
    req.idempotency_key = FCGX_GetParam("HTTP_IDEMPOTENCY_KEY", r->envp);
    req.last_event_id = FCGX_GetParam("HTTP_LAST_EVENT_ID", r->envp);
    req.accept = FCGX_GetParam("HTTP_ACCEPT", r->envp);
    req.remote_addr = FCGX_GetParam("REMOTE_ADDR", r->envp);
    req.cookie = FCGX_GetParam("HTTP_COOKIE", r->envp);
    req.origin = FCGX_GetParam("HTTP_ORIGIN", r->envp);
    req.host = FCGX_GetParam("HTTP_HOST", r->envp);
    req.user_agent = FCGX_GetParam("HTTP_USER_AGENT", r->envp);
    req.csrf_token = FCGX_GetParam("HTTP_X_CSRF_TOKEN", r->envp);
    {
        const char *https = FCGX_GetParam("HTTPS", r->envp);

        req.https = https != NULL && (strcasecmp(https, "on") == 0 || strcmp(https, "1") == 0);
    }
    req.accept_language = FCGX_GetParam("HTTP_ACCEPT_LANGUAGE", r->envp);
    if (req.method == NULL)
        req.method = "GET";
    if (req.path == NULL || req.path[0] == '\0')
        req.path = "/";
    if (req.query == NULL)
        req.query = "";
    if (req.content_type != NULL && req.content_type[0] == '\0')
        req.content_type = NULL;
    cl = FCGX_GetParam("CONTENT_LENGTH", r->envp);
    c.req = &req;
    c.resp = &resp;
    c.store = store;
    c.cfg = cfg;
    c.read_body = fcgi_read;
    c.write_out = fcgi_write;
    c.io = r;
    sw_metrics_inflight(1);
    if (cl != NULL && cl[0] != '\0' &&
        sw_parse_ll(cl, 0, INT64_MAX, &req.content_length) != SW_OK) {
        sw_set_lang(&c, sw_lang_negotiate(req.accept_language));
        sw_reply_problem(&c, 400, "bad-request", "Bad request", NULL,
                         "Content-Length is not a number");
        sw_metrics_observe((int)sw_nroutes, 400, 0);
    } else {
        store->unconfirmed = 0;   /* a 503 below tells "not confirmed" from "unreachable" */
        sw_dispatch(&c);
    }
    sw_metrics_inflight(-1);

    if (resp.streamed)
        goto done;
    /* libfcgi's own FCGX_FPrintF knows no %zu: format here. */
    n = snprintf(head, sizeof(head), "Status: %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n",
                 resp.status, reason(resp.status), resp.ctype, resp.body.len);
    FCGX_PutStr(head, n, r->out);
    if (resp.headers.len > 0)
        FCGX_PutStr(resp.headers.p, (int)resp.headers.len, r->out);
    FCGX_PutStr("\r\n", 2, r->out);
    if (resp.body.len > 0 && strcmp(req.method, "HEAD") != 0)
        FCGX_PutStr(resp.body.p, (int)resp.body.len, r->out);
done:
    sw_req_free(&req);
    sw_buf_free(&resp.headers);
    sw_buf_free(&resp.body);
}

static void *worker(void *arg)
{
    struct sw_store store;
    FCGX_Request r;

    (void)arg;
    sw_store_init(&store, cfg);
    store.on_error = sw_metrics_redis_error;
    if (FCGX_InitRequest(&r, listen_fd, 0) != 0) {
        sw_error("FCGX_InitRequest() failed");
        return NULL;
    }
    for (;;) {
        int rc;

        pthread_mutex_lock(&accept_lock);
        rc = FCGX_Accept_r(&r);
        pthread_mutex_unlock(&accept_lock);
        if (rc < 0)
            break;
        handle(&r, &store);
        FCGX_Finish_r(&r);
    }
    FCGX_Free(&r, 1);
    sw_store_close(&store);
    return NULL;
}

/* Runs the accepting threads until SIGTERM/SIGINT; returns when all have finished. */
static int run_threads(void)
{
    int nthreads = (int)sw_config_int(cfg, "api.threads"), i, sig, started = 0;
    pthread_t *tids = calloc((size_t)nthreads, sizeof(*tids));
    sigset_t set;

    if (tids == NULL)
        return 1;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    for (i = 0; i < nthreads; i++) {
        if (pthread_create(&tids[i], NULL, worker, NULL) != 0) {
            sw_error("pthread_create() failed (%s)", strerror(errno));
            break;
        }
        started++;
    }
    if (started > 0) {
        sigwait(&set, &sig);
        sw_info("signal %d: finishing requests in progress and stopping", sig);
    }
    /* Wake every thread blocked in accept(): libfcgi then returns -1 from FCGX_Accept_r. */
    FCGX_ShutdownPending();
    shutdown(listen_fd, SHUT_RDWR);
    for (i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
    return started == nthreads ? 0 : 1;
}

/* With api.processes > 1: forks the processes, restarts one that dies, stops all on a signal. */
static int run_processes(int n)
{
    pid_t *pids = calloc((size_t)n, sizeof(*pids));
    sigset_t set;
    int i, sig, stopping = 0, live = 0;

    if (pids == NULL)
        return 1;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    for (;;) {
        for (i = 0; i < n && !stopping; i++) {
            if (pids[i] != 0)
                continue;
            pids[i] = fork();
            if (pids[i] == 0) {
                free(pids);
                exit(run_threads());
            }
            if (pids[i] < 0) {
                sw_error("fork() failed (%s)", strerror(errno));
                pids[i] = 0;
            } else {
                live++;
            }
        }
        if (stopping && live == 0)
            break;
        sigwait(&set, &sig);
        if (sig == SIGCHLD) {
            pid_t p;
            int status;

            while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
                for (i = 0; i < n; i++) {
                    if (pids[i] == p) {
                        pids[i] = 0;
                        live--;
                        if (!stopping)
                            sw_warn("process %d ended (status %d); starting another", (int)p,
                                    status);
                    }
                }
            }
        } else if (!stopping) {
            stopping = 1;
            sw_info("signal %d: stopping %d processes", sig, live);
            for (i = 0; i < n; i++)
                if (pids[i] != 0)
                    kill(pids[i], SIGTERM);
        }
    }
    free(pids);
    return 0;
}

static void usage(FILE *fp)
{
    fprintf(fp, "usage: seawall-api [--config FILE] [--routes] [--print-config] [--version]\n"
                "  --config FILE    configuration file (default: $SEAWALL_CONFIG, else built-in "
                "defaults)\n"
                "  --routes         print the route table (METHOD PATH ROLES) and exit\n"
                "  --print-config   print the effective configuration and exit\n");
}

int main(int argc, char **argv)
{
    const char *config_path = NULL, *listen_on;
    struct sw_config *loaded;
    enum sw_log_level lvl;
    char err[512];
    int i, rc, print_routes = 0, print_config = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config_path = argv[++i];
        } else if (strcmp(argv[i], "--routes") == 0) {
            print_routes = 1;
        } else if (strcmp(argv[i], "--print-config") == 0) {
            print_config = 1;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("seawall-api %s\n", SW_VERSION);
            return 0;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "seawall-api: unknown argument \"%s\"\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (print_routes) {
        size_t r;

        for (r = 0; r < sw_nroutes; r++)
            printf("%s %s\n", sw_routes[r].method, sw_routes[r].pattern);
        return 0;
    }
    if (sw_config_load(&loaded, config_path, err, sizeof(err)) != SW_OK) {
        fprintf(stderr, "seawall-api: %s\n", err);
        return 2;
    }
    cfg = loaded;
    if (print_config) {
        sw_config_dump(cfg, stdout);
        sw_config_free(loaded);
        return 0;
    }
    if (sw_log_level_parse(sw_config_str(cfg, "log.level"), &lvl) != SW_OK) {
        fprintf(stderr, "seawall-api: log.level must be debug, info, warn or error\n");
        sw_config_free(loaded);
        return 2;
    }
    sw_log_init("seawall-api", lvl);
    {
        struct sw_deadlines *dl;

        if (sw_deadlines_load(sw_config_str(cfg, "cases.deadline_rules"), &dl, err,
                              sizeof(err)) != SW_OK) {
            sw_error("deadline rules not loaded: %s", err);
            sw_config_free(loaded);
            return 2;
        }
        sw_api_deadlines = dl;
    }
    if (sw_i18n_load(sw_config_str(cfg, "i18n.dir"), err, sizeof(err)) != SW_OK) {
        sw_error("message catalogue not loaded: %s", err);
        sw_deadlines_free((struct sw_deadlines *)sw_api_deadlines);
        sw_config_free(loaded);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (sodium_init() < 0 || sw_metrics_init() != SW_OK || FCGX_Init() != 0 ||
        curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        sw_error("initialisation failed (sodium, metrics memory, libfcgi or libcurl)");
        sw_config_free(loaded);
        return 1;
    }
    listen_on = sw_config_str(cfg, "api.listen");
    if (strchr(listen_on, '/') != NULL) {
        struct stat st;

        if (lstat(listen_on, &st) == 0 && S_ISSOCK(st.st_mode))
            unlink(listen_on);
    }
    listen_fd = FCGX_OpenSocket(listen_on, (int)sw_config_int(cfg, "api.backlog"));
    if (listen_fd < 0) {
        sw_error("listening on \"%s\" failed (%s)", listen_on, strerror(errno));
        sw_config_free(loaded);
        return 1;
    }
    if (strchr(listen_on, '/') != NULL) {
        mode_t mode = (mode_t)strtol(sw_config_str(cfg, "api.socket_mode"), NULL, 8);

        if (chmod(listen_on, mode) != 0)
            sw_warn("chmod(\"%s\", %o) failed (%s)", listen_on, (unsigned)mode, strerror(errno));
    }
    sw_info("listening on %s with %lld process(es) x %lld thread(s)", listen_on,
            sw_config_int(cfg, "api.processes"), sw_config_int(cfg, "api.threads"));
    if (sw_config_int(cfg, "api.processes") > 1)
        rc = run_processes((int)sw_config_int(cfg, "api.processes"));
    else
        rc = run_threads();
    close(listen_fd);
    if (strchr(listen_on, '/') != NULL)
        unlink(listen_on);
    sw_info("stopped");
    sw_deadlines_free((struct sw_deadlines *)sw_api_deadlines);
    sw_i18n_free();
    sw_config_free(loaded);
    return rc;
}
