/* routes.c — the route table: every URL seawall-api answers, who may call it, what it takes.
 * docs/openapi.yaml lists the same routes; tests/integration/test_openapi.py checks that. */
#include "api.h"

#define ADMIN    SW_ROLE_ADMIN
#define STAFF    SW_ROLE_STAFF
#define EXPORTER SW_ROLE_EXPORTER
#define STATION  SW_ROLE_STATION
#define TRIAGER  SW_ROLE_TRIAGER
#define CASE_READERS (EXPORTER | STAFF | ADMIN)
#define PAGE     "cursor,limit"

const struct sw_route sw_routes[] = {
    { "GET", "/healthz", sw_h_healthz, 0, 0, NULL },
    { "GET", "/metrics", sw_h_metrics, 0, 0, NULL },
    { "GET", "/api/v1/me", sw_h_me, SW_ROLE_ANY, SW_RT_ACCOUNT, NULL },

    { "POST", "/api/v1/subscribers", sw_h_subscribers_create, ADMIN, SW_RT_BODY, NULL },
    { "GET", "/api/v1/subscribers", sw_h_subscribers_list, ADMIN | STAFF, 0, PAGE },
    { "GET", "/api/v1/subscribers/{id}", sw_h_subscribers_get, ADMIN | STAFF | EXPORTER, 0, NULL },
    { "PATCH", "/api/v1/subscribers/{id}", sw_h_subscribers_patch, ADMIN | EXPORTER, SW_RT_BODY,
      NULL },

    { "GET", "/api/v1/subscribers/{id}/portfolio", sw_h_portfolio_list, ADMIN | STAFF | EXPORTER,
      0, PAGE ",kind" },
    { "POST", "/api/v1/subscribers/{id}/portfolio", sw_h_portfolio_create, ADMIN | EXPORTER,
      SW_RT_BODY, NULL },
    { "POST", "/api/v1/subscribers/{id}/portfolio/import", sw_h_portfolio_import,
      ADMIN | EXPORTER, SW_RT_BODY | SW_RT_LARGE | SW_RT_CSV, NULL },
    { "GET", "/api/v1/subscribers/{id}/portfolio/export", sw_h_portfolio_export,
      ADMIN | STAFF | EXPORTER, 0, "format" },
    { "GET", "/api/v1/subscribers/{id}/portfolio/{item}", sw_h_portfolio_get,
      ADMIN | STAFF | EXPORTER, 0, NULL },
    { "PATCH", "/api/v1/subscribers/{id}/portfolio/{item}", sw_h_portfolio_patch,
      ADMIN | EXPORTER, SW_RT_BODY, NULL },
    { "DELETE", "/api/v1/subscribers/{id}/portfolio/{item}", sw_h_portfolio_delete,
      ADMIN | EXPORTER, 0, NULL },

    { "POST", "/api/v1/centres", sw_h_centres_create, ADMIN, SW_RT_BODY, NULL },
    { "GET", "/api/v1/centres", sw_h_centres_list, ADMIN, 0, PAGE },
    { "GET", "/api/v1/centres/{id}", sw_h_centres_get, ADMIN | STAFF, 0, NULL },
    { "POST", "/api/v1/centres/{id}/staff", sw_h_staff_create, ADMIN, SW_RT_BODY, NULL },
    { "GET", "/api/v1/centres/{id}/staff", sw_h_staff_list, ADMIN | STAFF, 0, PAGE },
    { "GET", "/api/v1/centres/{id}/staff/{staff_id}", sw_h_staff_get, ADMIN | STAFF, 0, NULL },

    { "POST", "/api/v1/stations", sw_h_stations_create, ADMIN, SW_RT_BODY, NULL },
    { "GET", "/api/v1/stations", sw_h_stations_list, ADMIN, 0, PAGE },
    { "GET", "/api/v1/stations/{id}", sw_h_stations_get, ADMIN | STATION, 0, NULL },

    { "GET", "/api/v1/alerts", sw_h_alerts_list, EXPORTER, 0,
      PAGE ",severity,status,type,rule,country,item,since,until" },
    { "GET", "/api/v1/alerts/counts", sw_h_alerts_counts, EXPORTER, 0, NULL },
    { "GET", "/api/v1/alerts/stream", sw_h_alerts_stream, EXPORTER, 0, NULL },
    { "POST", "/api/v1/alerts/status", sw_h_alerts_bulk_status, EXPORTER, SW_RT_BODY, NULL },
    { "GET", "/api/v1/alerts/{id}", sw_h_alerts_get, EXPORTER, 0, NULL },
    { "PATCH", "/api/v1/alerts/{id}", sw_h_alerts_patch, EXPORTER, SW_RT_BODY, NULL },

    { "GET", "/api/v1/delivery", sw_h_delivery_get, EXPORTER, 0, NULL },
    { "PATCH", "/api/v1/delivery", sw_h_delivery_patch, EXPORTER, SW_RT_BODY, NULL },
    { "POST", "/api/v1/delivery/digest", sw_h_delivery_digest, EXPORTER, 0, NULL },
    { "GET", "/api/v1/delivery-log", sw_h_delivery_log, EXPORTER, 0, PAGE },
    { "POST", "/api/v1/webhooks", sw_h_webhooks_create, EXPORTER, SW_RT_BODY | SW_RT_NO_IDEM,
      NULL },
    { "GET", "/api/v1/webhooks", sw_h_webhooks_list, EXPORTER, 0, NULL },
    { "GET", "/api/v1/webhooks/{id}", sw_h_webhooks_get, EXPORTER, 0, NULL },
    { "PATCH", "/api/v1/webhooks/{id}", sw_h_webhooks_patch, EXPORTER, SW_RT_BODY, NULL },
    { "DELETE", "/api/v1/webhooks/{id}", sw_h_webhooks_delete, EXPORTER, 0, NULL },
    { "POST", "/api/v1/webhooks/{id}/rotate", sw_h_webhooks_rotate, EXPORTER,
      SW_RT_BODY | SW_RT_NO_IDEM, NULL },
    { "GET", "/api/v1/deliveries", sw_h_deliveries_list, EXPORTER, 0, PAGE ",status,kind" },
    { "GET", "/api/v1/deliveries/{id}", sw_h_deliveries_get, EXPORTER, 0, NULL },
    { "POST", "/api/v1/deliveries/{id}/replay", sw_h_deliveries_replay, EXPORTER, 0, NULL },
    { "GET", "/api/v1/unsubscribe", sw_h_unsubscribe_page, 0, 0, "s,e,t" },
    { "POST", "/api/v1/unsubscribe", sw_h_unsubscribe, 0, 0, "s,e,t" },

    { "POST", "/api/v1/cases", sw_h_cases_create, EXPORTER, SW_RT_BODY, NULL },
    { "GET", "/api/v1/cases", sw_h_cases_list, CASE_READERS, 0,
      PAGE ",state,type,country,assignee,due_within_h,sla" },
    { "GET", "/api/v1/cases/queue", sw_h_cases_queue, STAFF | ADMIN, 0,
      "limit,state,type,country,assignee,due_within_h,sla,centre" },
    { "GET", "/api/v1/cases/stats", sw_h_cases_stats, TRIAGER | ADMIN, 0,
      "from,until,format,centre" },
    { "GET", "/api/v1/cases/{id}", sw_h_cases_get, CASE_READERS, 0, NULL },
    { "POST", "/api/v1/cases/{id}/transition", sw_h_cases_transition, CASE_READERS, SW_RT_BODY,
      NULL },
    { "GET", "/api/v1/cases/{id}/experts", sw_h_cases_experts, TRIAGER | ADMIN, 0, NULL },
    { "POST", "/api/v1/cases/{id}/priority", sw_h_cases_priority, TRIAGER | ADMIN, SW_RT_BODY,
      NULL },
    { "POST", "/api/v1/cases/{id}/deadline", sw_h_cases_deadline, STAFF | ADMIN, SW_RT_BODY,
      NULL },
    { "POST", "/api/v1/cases/{id}/messages", sw_h_cases_messages_create, CASE_READERS,
      SW_RT_BODY, NULL },
    { "GET", "/api/v1/cases/{id}/messages", sw_h_cases_messages_list, CASE_READERS, 0, PAGE },
    { "GET", "/api/v1/cases/{id}/history", sw_h_cases_history, CASE_READERS, 0, PAGE },
    { "POST", "/api/v1/cases/{id}/evidence", sw_h_cases_evidence_upload, CASE_READERS,
      SW_RT_NO_IDEM, "name,sha256" },
    { "GET", "/api/v1/cases/{id}/evidence", sw_h_cases_evidence_list, CASE_READERS, 0, NULL },
    { "GET", "/api/v1/cases/{id}/evidence/{sha256}", sw_h_cases_evidence_get, CASE_READERS, 0,
      NULL },
    { "GET", "/api/v1/deadline-rules", sw_h_deadline_rules, SW_ROLE_ANY, 0, NULL },

    { "POST", "/api/v1/bulletins", sw_h_bulletins_create, STAFF | ADMIN, SW_RT_BODY, NULL },
    { "GET", "/api/v1/bulletins", sw_h_bulletins_list, 0, 0, PAGE ",country,severity" },
    { "GET", "/api/v1/bulletins/{id}", sw_h_bulletins_get, 0, 0, NULL },

    { "POST", "/api/v1/feeds", sw_h_feeds_create, ADMIN, SW_RT_BODY, NULL },
    { "GET", "/api/v1/feeds", sw_h_feeds_list, ADMIN, 0, PAGE },
    { "GET", "/api/v1/feeds/{id}", sw_h_feeds_get, ADMIN, 0, NULL },
    { "PATCH", "/api/v1/feeds/{id}", sw_h_feeds_patch, ADMIN, SW_RT_BODY, NULL },
    { "DELETE", "/api/v1/feeds/{id}", sw_h_feeds_delete, ADMIN, 0, NULL },
    { "POST", "/api/v1/feeds/{id}/poll", sw_h_feeds_poll, ADMIN, 0, NULL },

    { "POST", "/api/v1/tokens", sw_h_tokens_create, ADMIN, SW_RT_BODY | SW_RT_NO_IDEM, NULL },
    { "GET", "/api/v1/tokens", sw_h_tokens_list, ADMIN, 0, PAGE },
    { "GET", "/api/v1/tokens/{id}", sw_h_tokens_get, ADMIN, 0, NULL },
    { "DELETE", "/api/v1/tokens/{id}", sw_h_tokens_revoke, ADMIN, 0, NULL },
};

const size_t sw_nroutes = SW_ARRAY_LEN(sw_routes);
