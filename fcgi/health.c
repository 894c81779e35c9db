/* health.c — GET /healthz (liveness and Redis reachability) and GET /metrics. */
#include <string.h>

#include "seawall/health.h"
#include "seawall/store.h"
#include "api.h"

#define HEALTH_FRESH_US 1000000   /* a Redis check younger than this is reused */

/* Each thread keeps its own last answer, so a busy /healthz costs at most one PING per thread
 * per second and otherwise no Redis work at all. */
static __thread int64_t checked_us;
static __thread int redis_up;

void sw_h_healthz(struct sw_ctx *c)
{
    int64_t now = sw_mono_us();
    json_t *v;

    if (checked_us == 0 || now - checked_us >= HEALTH_FRESH_US) {
        redis_up = sw_health_redis(c->store) == SW_OK;
        checked_us = sw_mono_us();
    }
    v = json_pack("{s:s, s:s, s:I}", "status", redis_up ? "ok" : "degraded", "redis",
                  redis_up ? "up" : "down", "checked_ms_ago",
                  (json_int_t)((sw_mono_us() - checked_us) / 1000));
    if (!redis_up)
        json_object_set_new(v, "detail", json_string(c->store->errstr));
    sw_reply_json(c, redis_up ? 200 : 503, v);
}

void sw_h_metrics(struct sw_ctx *c)
{
    c->resp->status = 200;
    c->resp->ctype = "text/plain; version=0.0.4";
    sw_buf_reset(&c->resp->body);
    sw_metrics_render(&c->resp->body);
}
