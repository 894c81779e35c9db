/* config.c — the table of configuration keys, their defaults and meaning; file and
 * environment loading with validation. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/config.h"

enum cfg_type { CFG_STR, CFG_INT };

struct cfg_key {
    const char *key;
    enum cfg_type type;
    const char *dflt;
    long long min, max;
    const char *doc;
};

static const struct cfg_key cfg_keys[] = {
    { "redis.host", CFG_STR, "127.0.0.1", 0, 255, "Redis host (ignored when redis.socket is set)" },
    { "redis.port", CFG_INT, "6379", 1, 65535, "Redis TCP port" },
    { "redis.socket", CFG_STR, "", 0, 255, "Redis unix socket path; empty means TCP" },
    { "redis.password", CFG_STR, "", 0, 255, "Redis AUTH password; empty means none" },
    { "redis.db", CFG_INT, "0", 0, 15, "Redis database number" },
    { "redis.connect_timeout_ms", CFG_INT, "500", 10, 60000, "Redis connect timeout" },
    { "redis.command_timeout_ms", CFG_INT, "2000", 10, 60000, "Redis command timeout" },
    { "redis.url", CFG_STR, "", 0, 1023,
      "redis://host:port[,host:port…]: one server, or seed nodes of a Redis Cluster (the slot "
      "map is learnt from them); empty means redis.host, redis.port and redis.socket" },
    { "redis.cluster_retry_ms", CFG_INT, "5000", 100, 120000,
      "how long one command keeps retrying through cluster redirections, TRYAGAIN, "
      "CLUSTERDOWN and a failover before it fails" },
    { "redis.check_slots", CFG_STR, "off", 2, 6,
      "off, log or refuse: check that every command, script and MULTI touches keys of one "
      "cluster slot even on one server (log names the command; refuse fails it as a cluster "
      "would); the tests run with refuse" },
    { "redis.stream_shards", CFG_INT, "4", 1, 64,
      "shards of each stream (events, deliveries, portfolio changes ...): one Redis stream "
      "per shard, so a cluster spreads them; every process of a deployment must agree" },
    { "redis.wait_replicas", CFG_INT, "0", 0, 16,
      "replicas that must hold a write people rely on (a case, an incident, evidence, a "
      "portfolio change, an alert) before it is acknowledged (WAIT); 0 does not wait" },
    { "redis.wait_timeout_ms", CFG_INT, "1000", 1, 60000,
      "how long such a write waits for its replicas; past it the write is reported as not "
      "safely stored (503 to a person, a retry to a worker), though it may still be there" },
    { "redis.reply_max", CFG_INT, "16777216", 1024, 1073741824,
      "largest single Redis string reply accepted, bytes" },
    { "api.listen", CFG_STR, "/run/seawall/api.sock", 1, 255,
      "FastCGI socket: a unix socket path, or host:port" },
    { "api.socket_mode", CFG_STR, "0660", 3, 4,
      "permissions of the unix socket (octal); nginx's workers must be able to connect" },
    { "api.processes", CFG_INT, "1", 1, 64, "seawall-api processes sharing the socket" },
    { "api.threads", CFG_INT, "8", 1, 256,
      "accepting threads per process (each with its own Redis connection)" },
    { "api.backlog", CFG_INT, "256", 1, 65535, "listen backlog of the FastCGI socket" },
    { "api.body_max", CFG_INT, "1048576", 1024, 268435456,
      "largest JSON request body, bytes; larger answers 413" },
    { "api.import_max", CFG_INT, "8388608", 1024, 268435456,
      "largest body of a bulk import (portfolio), bytes; larger answers 413" },
    { "api.json_depth_max", CFG_INT, "32", 2, 2048, "deepest JSON nesting accepted in a body" },
    { "api.idempotency_ttl_s", CFG_INT, "86400", 60, 2592000,
      "how long the first result of a POST with Idempotency-Key is kept" },
    { "api.page_max", CFG_INT, "200", 1, 10000, "largest page a list returns (?limit=)" },
    { "api.rate_per_s", CFG_INT, "50", 0, 10000000,
      "requests a second one caller (token, or address without one) may make; 0: no limit" },
    { "api.rate_burst", CFG_INT, "100", 1, 10000000,
      "requests one caller may make at once before api.rate_per_s applies" },
    { "log.level", CFG_STR, "info", 4, 5, "lowest level logged: debug, info, warn, error" },
    { "data.dir", CFG_STR, "/var/lib/seawall", 1, 255, "folder for evidence files and state" },
    { "i18n.dir", CFG_STR, "/usr/local/share/seawall/po", 1, 255,
      "the message catalogue: a folder with one <language>.po per language besides English "
      "(zh-CN.po); every program reads it at start" },
    { "net.allow_private", CFG_STR, "", 0, 1024,
      "CIDR blocks outbound fetches may reach although private or loopback (comma-separated; "
      "empty: none)" },
    { "poller.id", CFG_STR, "", 0, 120, "this poller's name in leases; empty: host:pid" },
    { "poller.concurrency", CFG_INT, "32", 1, 1024, "feeds fetched at once" },
    { "poller.max_per_host", CFG_INT, "2", 1, 16, "connections at once to one host" },
    { "poller.lease_ms", CFG_INT, "60000", 500, 3600000,
      "how long a feed stays with a poller that stops renewing it (a crashed one)" },
    { "poller.idle_ms", CFG_INT, "1000", 10, 60000, "longest wait between looks at the schedule" },
    { "poller.body_max", CFG_INT, "16777216", 1024, 1073741824,
      "largest feed body, bytes after decompression" },
    { "poller.connect_timeout_ms", CFG_INT, "10000", 100, 120000, "connect timeout" },
    { "poller.timeout_ms", CFG_INT, "60000", 100, 3600000, "whole-transfer timeout" },
    { "poller.low_speed_bytes", CFG_INT, "64", 1, 1048576,
      "a transfer slower than this (bytes/s) for poller.low_speed_s is abandoned" },
    { "poller.low_speed_s", CFG_INT, "20", 1, 3600, "see poller.low_speed_bytes" },
    { "poller.max_redirects", CFG_INT, "5", 0, 20, "redirects followed per poll" },
    { "poller.backoff_base_s", CFG_INT, "60", 1, 86400,
      "first retry delay after a failure; doubles with each further failure" },
    { "poller.backoff_max_s", CFG_INT, "86400", 1, 604800, "longest retry delay" },
    { "poller.min_interval_s", CFG_INT, "60", 1, 86400, "shortest polling interval a feed may set" },
    { "poller.unconditional_every", CFG_INT, "24", 1, 100000,
      "every Nth poll of a feed is unconditional, for servers whose ETag lies" },
    { "poller.user_agent", CFG_STR, "Seawall-poller/0.1", 1, 200, "User-Agent of feed requests" },
    { "poller.archive_body_max", CFG_INT, "1073741824", 1024, 68719476736LL,
      "largest archive a feed with compression zip or gzip may download, bytes; it is written "
      "to an unlinked file in data.dir, never held in memory" },
    { "poller.archive_timeout_ms", CFG_INT, "1800000", 100, 86400000,
      "whole-transfer timeout of an archive (USPTO's weekly files are over 100 MB)" },
    { "poller.backfill_max", CFG_INT, "14", 0, 366,
      "days back a dated source is fetched: a new one's recent files, or the days a poller "
      "that was down missed (older days are reported as not back-filled)" },
    { "poller.api_keys", CFG_STR, "", 0, 2048,
      "request headers with API keys, sent only to the named host, over https, on the first "
      "request of a poll (never to a redirect's target): host=Header:value, comma-separated "
      "(api.uspto.gov=X-API-KEY:...)" },
    { "poller.test_clock", CFG_INT, "0", 0, 1,
      "1: dated sources judge which days exist by the instant "
      "in the Redis key sw:testclock:poller_at_ms, when it is set (tests only)" },
    { "archive.max_entries", CFG_INT, "10000", 1, 100000000,
      "entries one archive may have (ZIP bombs of many entries)" },
    { "archive.max_entry_bytes", CFG_INT, "4294967296", 1024, 1099511627776LL,
      "uncompressed bytes of one archive entry (declared or read)" },
    { "archive.max_total_bytes", CFG_INT, "8589934592", 1024, 1099511627776LL,
      "uncompressed bytes of all of one archive's entries (declared or read)" },
    { "archive.max_ratio", CFG_INT, "200", 2, 100000,
      "how many times an archive entry may expand (judged after its first MiB)" },
    { "sources.dir", CFG_STR, "/etc/seawall/sources", 1, 255,
      "the source catalogue: a folder of JSON files (etc/sources in the source tree; "
      "seawall source list)" },
    { "matcher.id", CFG_STR, "", 0, 120, "this matcher's consumer name; empty: host:pid" },
    { "matcher.batch", CFG_INT, "200", 1, 10000, "events read at once" },
    { "matcher.block_ms", CFG_INT, "1000", 10, 60000, "longest wait for new events" },
    { "matcher.claim_idle_ms", CFG_INT, "60000", 100, 86400000,
      "events another matcher read but did not acknowledge for this long are taken over" },
    { "matcher.partitions", CFG_INT, "1", 1, 1024,
      "partitions of the portfolios: a matcher holds only its partition's subscribers and "
      "reads every event through its partition's group (\"matchers\" for one, "
      "\"matchers.p<P>of<N>\" otherwise); run at least one matcher per partition" },
    { "matcher.partition", CFG_INT, "0", 0, 1023,
      "this matcher's partition, 0 .. matcher.partitions - 1" },
    { "screener.id", CFG_STR, "", 0, 120, "this screener's consumer name; empty: host:pid" },
    { "screener.block_ms", CFG_INT, "500", 10, 60000,
      "longest wait for a screening job (the register's and portfolios' changes are read "
      "between waits)" },
    { "register.id", CFG_STR, "", 0, 120, "this register writer's consumer name; empty: host:pid" },
    { "register.batch", CFG_INT, "200", 1, 10000, "events the register reads at once" },
    { "register.block_ms", CFG_INT, "1000", 10, 60000, "longest wait for new events" },
    { "register.claim_idle_ms", CFG_INT, "60000", 100, 86400000,
      "events another register writer read but did not acknowledge for this long are taken "
      "over" },
    { "follows.max", CFG_INT, "500", 1, 100000, "records one company may follow" },
    { "deliveries.maxlen", CFG_INT, "1000000", 1000, 1000000000,
      "approximate length each shard of the deliveries stream is trimmed to" },
    { "alerts.live_maxlen", CFG_INT, "1000", 10, 1000000,
      "ids of alerts published to live streams remembered per subscriber, to tell a resumable "
      "Last-Event-ID from a gap (keep it above nginx's nchan_message_buffer_length)" },
    { "alerts.scan_max", CFG_INT, "5000", 100, 1000000,
      "alerts examined at most by one filtered list request or one bulk status change (the "
      "page then ends early, with a cursor)" },
    { "alerts.search_scan_max", CFG_INT, "1000", 10, 100000,
      "alerts examined at most by one list request or bulk status change with ?q= (each "
      "costs a substring search in up to 8 KB of its text)" },
    { "api.sse_max", CFG_INT, "4096", 1, 100000,
      "live alert streams open at once, as nginx holds them (each is one nginx connection)" },
    { "api.sse_per_subscriber", CFG_INT, "4", 1, 1000, "live alert streams per subscriber" },
    { "api.sse_heartbeat_s", CFG_INT, "15", 1, 300,
      "seconds between heartbeat comments on a live stream (nginx's "
      "nchan_eventsource_ping_interval; a revoked token's streams end within it)" },
    { "live.socket", CFG_STR, "/run/seawall/live.sock", 1, 200,
      "nginx's unix socket for the live streams' Nchan channels (publish, count, close)" },
    { "live.timeout_ms", CFG_INT, "2000", 50, 60000,
      "longest wait for nginx on the live socket" },
    { "cases.deadline_rules", CFG_STR, "/etc/seawall/deadlines.json", 1, 255,
      "the legal deadline rules and working-day calendars (JSON; see etc/deadlines.json)" },
    { "cases.sla_first_response_h", CFG_INT, "24", 1, 8760,
      "first-response target for centres that set none, in working hours of the clock" },
    { "cases.sla_resolution_h", CFG_INT, "720", 1, 87600,
      "resolution target for centres that set none, hours" },
    { "cases.near_breach_pct", CFG_INT, "80", 1, 99,
      "a service-level clock this far (percent) towards its target is a near breach" },
    { "cases.evidence_max", CFG_INT, "10485760", 1024, 1073741824,
      "largest evidence file, bytes; larger answers 413" },
    { "cases.evidence_per_case", CFG_INT, "200", 1, 100000, "evidence files one case may hold" },
    { "evidence.quota_bytes", CFG_INT, "1073741824", 1024, 1125899906842624LL,
      "bytes of evidence one tenant may hold: a subscriber, for its cases' files; a show, for "
      "its incidents' files (its station uploads them); an upload past it answers 507" },
    { "cases.history_max", CFG_INT, "10000", 100, 1000000,
      "entries one case's history may hold (changes, notes, replies, evidence)" },
    { "cases.queue_max", CFG_INT, "5000", 10, 1000000,
      "open cases of a centre the triage queue ranks at most" },
    { "cases.search_scan_max", CFG_INT, "1000", 10, 100000,
      "open cases one queue request with ?q= examines at most (each costs a fold of up to 8 KB "
      "of its text); the answer says truncated when the centre has more" },
    { "cases.stats_max", CFG_INT, "50000", 10, 10000000, "cases the statistics read at most" },
    { "cases.test_clock", CFG_INT, "0", 0, 1,
      "1: add the offset in Redis key sw:testclock:offset_ms to case clocks, to the clocks "
      "of sessions and mail tokens, and to action windows and their reminders, or stand them "
      "at sw:testclock:at_ms (tests only)" },
    { "shows.batch_max", CFG_INT, "500", 1, 10000,
      "incidents one offline batch may carry" },
    { "shows.clock_skew_s", CFG_INT, "300", 0, 86400,
      "how far a station device's clock may run ahead of the server's: a received_at or "
      "answered_at later than now plus this is refused (400)" },
    { "shows.device_before_h", CFG_INT, "168", 0, 8760,
      "how long before a show's first day (in its zone) a device's received_at or "
      "answered_at may lie; earlier ones are refused as a wrong clock (400)" },
    { "shows.attendees_max", CFG_INT, "2000", 10, 100000,
      "attending subscribers one look-up (GET /api/v1/shows/{id}/attendees, an incident's "
      "exhibitor suggestion) reads at most" },
    { "shows.parties_scan_max", CFG_INT, "2000", 10, 100000,
      "incidents one party look-up (GET /api/v1/parties) reads at most" },
    { "shows.incident_history_max", CFG_INT, "2000", 100, 1000000,
      "entries one incident's history may hold (changes, evidence, escalation)" },
    { "shows.evidence_per_incident", CFG_INT, "100", 1, 100000,
      "evidence files one incident may hold (each at most cases.evidence_max bytes)" },
    { "shows.export_max", CFG_INT, "10000", 10, 1000000,
      "incidents one show's export or list reads at most" },
    { "shows.export_bytes_max", CFG_INT, "5242880", 1024, 268435456,
      "largest incidents export (CSV or report), bytes; a larger one answers 507 and asks to "
      "narrow it with from/until" },
    { "notifier.id", CFG_STR, "", 0, 120, "this notifier's consumer name; empty: host:pid" },
    { "notifier.concurrency", CFG_INT, "64", 1, 4096, "deliveries in flight at once" },
    { "notifier.batch", CFG_INT, "200", 1, 10000, "new alerts read at once" },
    { "notifier.idle_ms", CFG_INT, "250", 10, 60000, "longest wait between looks at the schedule" },
    { "notifier.claim_idle_ms", CFG_INT, "60000", 100, 86400000,
      "new alerts another notifier read but did not acknowledge for this long are taken over" },
    { "notifier.lease_ms", CFG_INT, "60000", 500, 3600000,
      "a delivery attempt not finished for this long (its notifier died) is made again" },
    { "notifier.connect_timeout_ms", CFG_INT, "5000", 100, 60000, "webhook connect timeout" },
    { "notifier.timeout_ms", CFG_INT, "15000", 100, 120000,
      "a webhook must answer 2xx within this long to count as delivered" },
    { "notifier.retry_schedule", CFG_STR, "5s,5m,30m,2h,5h,10h,10h", 2, 1000,
      "waits before each retry of a failed delivery (units ms, s, m, h); after the last, the "
      "delivery is exhausted" },
    { "notifier.disable_after_s", CFG_INT, "432000", 1, 31536000,
      "a webhook failing without a success for this long is disabled and its owner told" },
    { "notifier.smtp_url", CFG_STR, "smtp://127.0.0.1:25", 7, 255, "SMTP server for email" },
    { "notifier.smtp_timeout_ms", CFG_INT, "30000", 100, 600000, "whole SMTP session timeout" },
    { "notifier.mail_from", CFG_STR, "alerts@seawall.invalid", 3, 254, "sender address" },
    { "notifier.public_url", CFG_STR, "http://127.0.0.1", 8, 255,
      "the portal's address as people reach it, for links in mail, digests and messenger cards "
      "(alert pages, bulletins, unsubscribe)" },
    { "notifier.wecom_per_min", CFG_INT, "20", 1, 10000,
      "messages a minute the notifier sends one WeCom robot (WeCom allows 20)" },
    { "notifier.dingtalk_per_min", CFG_INT, "20", 1, 10000,
      "messages a minute the notifier sends one DingTalk robot (DingTalk allows 20)" },
    { "notifier.feishu_per_min", CFG_INT, "100", 1, 10000,
      "messages a minute the notifier sends one Feishu/Lark robot (Feishu allows 100)" },
    { "notifier.feishu_per_s", CFG_INT, "5", 1, 1000,
      "messages a second the notifier sends one Feishu/Lark robot (Feishu allows 5)" },
    { "notifier.user_agent", CFG_STR, "Seawall-notifier/0.1", 1, 200, "User-Agent of webhooks" },
    { "webhooks.rotate_overlap_s", CFG_INT, "86400", 0, 2592000,
      "default time the old secret keeps signing after a rotation" },
    { "webhooks.max_per_subscriber", CFG_INT, "10", 1, 1000, "webhook endpoints per subscriber" },
    { "portal.origin", CFG_STR, "", 0, 255,
      "the portal's origin (scheme://host[:port]) a cookie-authenticated change must come from "
      "(Origin header); empty: the request's own scheme and Host" },
    { "people.argon2_opslimit", CFG_INT, "2", 1, 64,
      "Argon2id passes over memory for a password hash (libsodium's INTERACTIVE: 2)" },
    { "people.argon2_memlimit", CFG_INT, "67108864", 8192, 4294967296LL,
      "Argon2id memory for a password hash, bytes (libsodium's INTERACTIVE: 64 MiB)" },
    { "people.session_idle_s", CFG_INT, "1800", 10, 2592000,
      "a session not used for this long ends" },
    { "people.session_absolute_s", CFG_INT, "43200", 60, 31536000,
      "a session ends this long after sign-in, used or not" },
    { "people.signin_window_s", CFG_INT, "900", 1, 86400,
      "the window in which failed sign-ins are counted" },
    { "people.signin_fail_account", CFG_INT, "5", 1, 1000,
      "failed sign-ins for one email address in the window before 429" },
    { "people.signin_fail_address", CFG_INT, "20", 1, 100000,
      "failed sign-ins from one client address in the window before 429" },
    { "people.reset_ttl_s", CFG_INT, "3600", 60, 86400, "a password reset link is valid this long" },
    { "people.signup_ttl_s", CFG_INT, "86400", 60, 604800,
      "a sign-up's verification link is valid this long" },
    { "people.invitation_ttl_s", CFG_INT, "604800", 60, 2592000,
      "an invitation is valid this long" },
    { "people.audit_max", CFG_INT, "1000", 10, 100000, "audit entries kept per person" },
    { "events.maxlen", CFG_INT, "1000000", 1000, 1000000000,
      "approximate length the events stream is trimmed to" },
    { "events.ttl_s", CFG_INT, "15552000", 60, 315360000, "how long an event is kept (dedupe)" },
};

#define CFG_NKEYS SW_ARRAY_LEN(cfg_keys)

struct sw_config {
    char *val[CFG_NKEYS];
};

static int cfg_index(const char *key)
{
    size_t i;

    for (i = 0; i < CFG_NKEYS; i++)
        if (strcmp(cfg_keys[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* Validates value for key i and stores a copy. Returns SW_OK or SW_INVALID with err set. */
static int cfg_put(struct sw_config *cfg, int i, const char *value, const char *where,
                   char *err, size_t errlen)
{
    const struct cfg_key *k = &cfg_keys[i];
    long long v;
    char *copy;
    size_t n = strlen(value);

    if (k->type == CFG_INT) {
        if (sw_parse_ll(value, k->min, k->max, &v) != SW_OK) {
            snprintf(err, errlen, "%s: %s = \"%s\": expected a whole number from %lld to %lld",
                     where, k->key, value, k->min, k->max);
            return SW_INVALID;
        }
    } else if ((long long)n < k->min || (long long)n > k->max) {
        snprintf(err, errlen, "%s: %s: length %zu is outside %lld..%lld", where, k->key, n,
                 k->min, k->max);
        return SW_INVALID;
    }
    copy = strdup(value);
    if (copy == NULL) {
        snprintf(err, errlen, "out of memory");
        return SW_ERR;
    }
    free(cfg->val[i]);
    cfg->val[i] = copy;
    return SW_OK;
}

int sw_config_set(struct sw_config *cfg, const char *key, const char *value, char *err,
                  size_t errlen)
{
    int i = cfg_index(key);

    if (i < 0) {
        snprintf(err, errlen, "unknown configuration key \"%s\"", key);
        return SW_INVALID;
    }
    return cfg_put(cfg, i, value, "setting", err, errlen);
}

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int cfg_read_file(struct sw_config *cfg, const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    char line[1024], where[512];
    int lineno = 0, rc = SW_OK;

    if (fp == NULL) {
        snprintf(err, errlen, "open(\"%s\") failed (%s)", path, strerror(errno));
        return SW_INVALID;
    }
    while (fgets(line, sizeof(line), fp) != NULL) {
        char *s, *eq, *key, *value;
        int i;

        lineno++;
        snprintf(where, sizeof(where), "%s:%d", path, lineno);
        if (strchr(line, '\n') == NULL && !feof(fp)) {
            snprintf(err, errlen, "%s: line longer than %zu bytes", where, sizeof(line) - 2);
            rc = SW_INVALID;
            break;
        }
        s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        eq = strchr(s, '=');
        if (eq == NULL) {
            snprintf(err, errlen, "%s: expected \"key = value\"", where);
            rc = SW_INVALID;
            break;
        }
        *eq = '\0';
        key = trim(s);
        value = trim(eq + 1);
        i = cfg_index(key);
        if (i < 0) {
            snprintf(err, errlen, "%s: unknown key \"%s\"", where, key);
            rc = SW_INVALID;
            break;
        }
        rc = cfg_put(cfg, i, value, where, err, errlen);
        if (rc != SW_OK)
            break;
    }
    fclose(fp);
    return rc;
}

/* SEAWALL_ + upper-cased key with '.' as '_'. */
static void env_name(const char *key, char *out, size_t outlen)
{
    size_t i, j = 0;
    const char *prefix = "SEAWALL_";

    for (i = 0; prefix[i] != '\0' && j + 1 < outlen; i++)
        out[j++] = prefix[i];
    for (i = 0; key[i] != '\0' && j + 1 < outlen; i++)
        out[j++] = key[i] == '.' ? '_' : (char)toupper((unsigned char)key[i]);
    out[j] = '\0';
}

int sw_config_load(struct sw_config **out, const char *path, char *err, size_t errlen)
{
    struct sw_config *cfg = calloc(1, sizeof(*cfg));
    char name[128];
    size_t i;
    int rc = SW_OK;

    if (cfg == NULL) {
        snprintf(err, errlen, "out of memory");
        return SW_ERR;
    }
    for (i = 0; i < CFG_NKEYS && rc == SW_OK; i++)
        rc = cfg_put(cfg, (int)i, cfg_keys[i].dflt, "default", err, errlen);
    if (rc == SW_OK && path == NULL)
        path = getenv("SEAWALL_CONFIG");
    if (rc == SW_OK && path != NULL && *path != '\0')
        rc = cfg_read_file(cfg, path, err, errlen);
    for (i = 0; i < CFG_NKEYS && rc == SW_OK; i++) {
        const char *v;

        env_name(cfg_keys[i].key, name, sizeof(name));
        v = getenv(name);
        if (v != NULL)
            rc = cfg_put(cfg, (int)i, v, name, err, errlen);
    }
    if (rc != SW_OK) {
        sw_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return SW_OK;
}

const char *sw_config_str(const struct sw_config *cfg, const char *key)
{
    int i = cfg_index(key);

    if (i < 0) {
        fprintf(stderr, "BUG: configuration key \"%s\" is not in the table\n", key);
        abort();
    }
    return cfg->val[i];
}

long long sw_config_int(const struct sw_config *cfg, const char *key)
{
    return strtoll(sw_config_str(cfg, key), NULL, 10);
}

void sw_config_dump(const struct sw_config *cfg, FILE *fp)
{
    size_t i;
    char name[128];

    for (i = 0; i < CFG_NKEYS; i++) {
        env_name(cfg_keys[i].key, name, sizeof(name));
        fprintf(fp, "# %s (default \"%s\"; environment %s)\n%s = %s\n\n", cfg_keys[i].doc,
                cfg_keys[i].dflt, name, cfg_keys[i].key,
                (strcmp(cfg_keys[i].key, "redis.password") == 0 ||
                 strcmp(cfg_keys[i].key, "poller.api_keys") == 0) && cfg->val[i][0]
                    ? "********" : cfg->val[i]);
    }
}

void sw_config_free(struct sw_config *cfg)
{
    size_t i;

    if (cfg == NULL)
        return;
    for (i = 0; i < CFG_NKEYS; i++)
        free(cfg->val[i]);
    free(cfg);
}
