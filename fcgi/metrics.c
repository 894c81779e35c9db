/* metrics.c — request counters and latency histograms in memory shared by all seawall-api
 * processes, rendered as Prometheus text by GET /metrics. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "api.h"

#define MAX_ROUTES 192

static const int statuses[] = { 200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 409, 413, 415,
                                422, 429, 500, 503 };
#define NSTATUS (SW_ARRAY_LEN(statuses) + 1)   /* last: any other code */

/* Bucket upper bounds in microseconds. */
static const int64_t bounds_us[] = { 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000,
                                     250000, 1000000 };
#define NBUCKETS SW_ARRAY_LEN(bounds_us)

struct shm {
    uint64_t req[MAX_ROUTES + 1][NSTATUS];
    uint64_t bucket[MAX_ROUTES + 1][NBUCKETS + 1];   /* not cumulative; last is +Inf */
    uint64_t sum_us[MAX_ROUTES + 1];
    uint64_t redis_errors;
    int64_t inflight;
};

static struct shm *m;

int sw_metrics_init(void)
{
    void *p;

    if (sw_nroutes > MAX_ROUTES)
        return SW_ERR;
    p = mmap(NULL, sizeof(struct shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return SW_ERR;
    m = p;
    return SW_OK;
}

static size_t status_index(int status)
{
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(statuses); i++)
        if (statuses[i] == status)
            return i;
    return NSTATUS - 1;
}

void sw_metrics_observe(int route_index, int status, int64_t micros)
{
    size_t b;

    if (m == NULL || route_index < 0 || route_index > (int)sw_nroutes)
        return;
    for (b = 0; b < NBUCKETS && micros > bounds_us[b]; b++)
        ;
    __atomic_fetch_add(&m->req[route_index][status_index(status)], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&m->bucket[route_index][b], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&m->sum_us[route_index], (uint64_t)(micros > 0 ? micros : 0),
                       __ATOMIC_RELAXED);
}

void sw_metrics_redis_error(void)
{
    if (m != NULL)
        __atomic_fetch_add(&m->redis_errors, 1, __ATOMIC_RELAXED);
}

void sw_metrics_inflight(int delta)
{
    if (m != NULL)
        __atomic_fetch_add(&m->inflight, delta, __ATOMIC_RELAXED);
}

static void route_label(size_t i, char *out, size_t outlen)
{
    if (i < sw_nroutes)
        snprintf(out, outlen, "%s %s", sw_routes[i].method, sw_routes[i].pattern);
    else
        snprintf(out, outlen, "unmatched");
}

void sw_metrics_render(struct sw_buf *out)
{
    char label[192];
    size_t i, s, b;

    if (m == NULL)
        return;
    sw_buf_adds(out, "# HELP seawall_http_requests_total Requests answered, by route and status.\n"
                     "# TYPE seawall_http_requests_total counter\n");
    for (i = 0; i <= sw_nroutes; i++) {
        route_label(i, label, sizeof(label));
        for (s = 0; s < NSTATUS; s++) {
            uint64_t v = __atomic_load_n(&m->req[i][s], __ATOMIC_RELAXED);

            if (v == 0)
                continue;
            if (s < NSTATUS - 1)
                sw_buf_printf(out, "seawall_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                              label, statuses[s], (unsigned long long)v);
            else
                sw_buf_printf(out, "seawall_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                              label, (unsigned long long)v);
        }
    }
    sw_buf_adds(out, "# HELP seawall_http_request_duration_seconds Time from routing to the "
                     "response, by route.\n"
                     "# TYPE seawall_http_request_duration_seconds histogram\n");
    for (i = 0; i <= sw_nroutes; i++) {
        uint64_t cum = 0;

        for (b = 0; b <= NBUCKETS; b++)
            cum += __atomic_load_n(&m->bucket[i][b], __ATOMIC_RELAXED);
        if (cum == 0)
            continue;
        route_label(i, label, sizeof(label));
        cum = 0;
        for (b = 0; b <= NBUCKETS; b++) {
            cum += __atomic_load_n(&m->bucket[i][b], __ATOMIC_RELAXED);
            if (b < NBUCKETS)
                sw_buf_printf(out, "seawall_http_request_duration_seconds_bucket{route=\"%s\","
                                   "le=\"%g\"} %llu\n",
                              label, (double)bounds_us[b] / 1e6, (unsigned long long)cum);
            else
                sw_buf_printf(out, "seawall_http_request_duration_seconds_bucket{route=\"%s\","
                                   "le=\"+Inf\"} %llu\n",
                              label, (unsigned long long)cum);
        }
        sw_buf_printf(out, "seawall_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", label,
                      (double)__atomic_load_n(&m->sum_us[i], __ATOMIC_RELAXED) / 1e6);
        sw_buf_printf(out, "seawall_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                      label, (unsigned long long)cum);
    }
    sw_buf_printf(out, "# HELP seawall_redis_errors_total Redis connection and protocol failures.\n"
                       "# TYPE seawall_redis_errors_total counter\n"
                       "seawall_redis_errors_total %llu\n",
                  (unsigned long long)__atomic_load_n(&m->redis_errors, __ATOMIC_RELAXED));
    sw_buf_printf(out, "# HELP seawall_http_requests_in_flight Requests being handled now.\n"
                       "# TYPE seawall_http_requests_in_flight gauge\n"
                       "seawall_http_requests_in_flight %lld\n",
                  (long long)__atomic_load_n(&m->inflight, __ATOMIC_RELAXED));
}
