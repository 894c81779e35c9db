/* health.h — whether the programs' data can be reached, for GET /healthz. */
#ifndef SEAWALL_HEALTH_H
#define SEAWALL_HEALTH_H

#include "seawall/common.h"

struct sw_store;

/* SW_OK when Redis answers a PING through s (in a cluster, the node the handle sends keyless
 * commands to), SW_EAGAIN otherwise (s->errstr says why). */
int sw_health_redis(struct sw_store *s);

#endif
