/* health.c — reachability of the data for GET /healthz (see health.h). */
#include "seawall/health.h"
#include "seawall/store.h"

int sw_health_redis(struct sw_store *s)
{
    return sw_store_ping(s);
}
