/* messenger.c — WeCom, DingTalk and Feishu group robots: URL forms, signing, the request for
 * one attempt (the alert as the platform's markdown card), reading the platform's answer, and
 * the per-robot rate limiter shared by every notifier through Redis. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <sodium.h>

#include "seawall/buf.h"
#include "seawall/keys.h"
#include "seawall/delivery.h"
#include "seawall/i18n.h"
#include "seawall/message.h"
#include "seawall/messenger.h"
#include "seawall/net.h"
#include "seawall/store.h"

const char *const sw_webhook_kinds[] = { "generic", "wecom", "dingtalk", "feishu", NULL };

static const char *const platform_names[] = { "webhook", "WeCom", "DingTalk", "Feishu" };

int sw_msgr_kind(const char *name)
{
    int i;

    if (name == NULL)
        return SW_MSGR_GENERIC;
    for (i = 0; sw_webhook_kinds[i] != NULL; i++)
        if (strcmp(name, sw_webhook_kinds[i]) == 0)
            return i;
    return -1;
}

int sw_msgr_of(const json_t *wh)
{
    int k = sw_msgr_kind(json_string_value(json_object_get(wh, "kind")));

    return k < 0 ? SW_MSGR_GENERIC : k;
}

/* --- URL forms ----------------------------------------------------------------------------- */

/* 1 when host is an IP literal that the network rules refuse but the allow-list lets through:
 * an address the admin named, standing in for a platform's host. */
static int allowed_stand_in(const char *host, const struct sw_allowlist *allow)
{
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    char h6[64];
    size_t n = strlen(host);

    memset(&v4, 0, sizeof(v4));
    memset(&v6, 0, sizeof(v6));
    if (inet_pton(AF_INET, host, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        return sw_net_refused((struct sockaddr *)&v4, NULL) != NULL &&
               sw_net_refused((struct sockaddr *)&v4, allow) == NULL;
    }
    if (n > 2 && n < sizeof(h6) && host[0] == '[' && host[n - 1] == ']') {
        memcpy(h6, host + 1, n - 2);
        h6[n - 2] = '\0';
        if (inet_pton(AF_INET6, h6, &v6.sin6_addr) == 1) {
            v6.sin6_family = AF_INET6;
            return sw_net_refused((struct sockaddr *)&v6, NULL) != NULL &&
                   sw_net_refused((struct sockaddr *)&v6, allow) == NULL;
        }
    }
    return 0;
}

/* 1 when s is 1..200 characters of letters, digits, '-' and '_'. */
static int token_ok(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > 200)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
            return 0;
    return 1;
}

/* 1 when query (a=b&c=d) has name with a token value. */
static int query_has(const char *query, const char *name)
{
    size_t nl = strlen(name);
    const char *p = query;

    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=')
            return token_ok(p + nl + 1, len - nl - 1);
        p = end ? end + 1 : NULL;
    }
    return 0;
}

int sw_msgr_url_check(int kind, const char *url, const struct sw_allowlist *allow, char *err,
                      size_t errlen)
{
    CURLU *u;
    char *scheme = NULL, *host = NULL, *path = NULL, *query = NULL, *port = NULL;
    const char *want_host = NULL, *want_host2 = NULL, *form = "";
    int ok = 0, stand_in;

    if (kind == SW_MSGR_GENERIC || kind < 0)
        return sw_url_check(url, allow, err, errlen);
    if (kind == SW_MSGR_WECOM) {
        want_host = "qyapi.weixin.qq.com";
        form = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…";
    } else if (kind == SW_MSGR_DINGTALK) {
        want_host = "oapi.dingtalk.com";
        form = "https://oapi.dingtalk.com/robot/send?access_token=…";
    } else {
        want_host = "open.feishu.cn";
        want_host2 = "open.larksuite.com";
        form = "https://open.feishu.cn/open-apis/bot/v2/hook/… (Lark: "
               "https://open.larksuite.com/open-apis/bot/v2/hook/…)";
    }
    u = curl_url();
    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
            query = NULL;
        if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
            port = NULL;
        stand_in = allowed_stand_in(host, allow);
        ok = (stand_in && (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0))
             || (strcasecmp(scheme, "https") == 0 && port == NULL &&
                 (strcasecmp(host, want_host) == 0 ||
                  (want_host2 != NULL && strcasecmp(host, want_host2) == 0)));
        if (ok && kind == SW_MSGR_WECOM)
            ok = strcmp(path, "/cgi-bin/webhook/send") == 0 && query_has(query, "key");
        else if (ok && kind == SW_MSGR_DINGTALK)
            ok = strcmp(path, "/robot/send") == 0 && query_has(query, "access_token");
        else if (ok)
            ok = strncmp(path, "/open-apis/bot/v2/hook/", 23) == 0 &&
                 token_ok(path + 23, strlen(path + 23)) && query == NULL;
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(path);
    curl_free(query);
    curl_free(port);
    curl_url_cleanup(u);
    if (!ok) {
        if (kind == SW_MSGR_WECOM)
            snprintf(err, errlen, sw_t("is not a WeCom robot webhook URL: it must be %s"), form);
        else if (kind == SW_MSGR_DINGTALK)
            snprintf(err, errlen, sw_t("is not a DingTalk robot webhook URL: it must be %s"),
                     form);
        else
            snprintf(err, errlen, sw_t("is not a Feishu or Lark robot webhook URL: it must be "
                                       "%s"), form);
        return SW_INVALID;
    }
    return sw_url_check(url, allow, err, errlen);
}

int sw_msgr_secret_check(int kind, const char *secret, char *err, size_t errlen)
{
    size_t i, n;

    if (secret == NULL)
        return SW_OK;
    if (kind != SW_MSGR_DINGTALK && kind != SW_MSGR_FEISHU) {
        snprintf(err, errlen, "%s", sw_t("only DingTalk and Feishu robots take a signing "
                                         "secret (a WeCom robot's key is in its URL; a generic "
                                         "webhook's secret is made by Seawall)"));
        return SW_INVALID;
    }
    n = strlen(secret);
    for (i = 0; i < n; i++)
        if (!((secret[i] >= 'a' && secret[i] <= 'z') || (secret[i] >= 'A' && secret[i] <= 'Z') ||
              (secret[i] >= '0' && secret[i] <= '9')))
            break;
    if (n == 0 || n > SW_MSGR_SECRET_MAX || i < n ||
        (kind == SW_MSGR_DINGTALK && strncmp(secret, "SEC", 3) != 0)) {
        if (kind == SW_MSGR_DINGTALK)
            snprintf(err, errlen, "%s", sw_t("must be the robot's signing secret as DingTalk "
                                             "shows it: SEC followed by letters and digits"));
        else
            snprintf(err, errlen, "%s", sw_t("must be the robot's signing secret as Feishu "
                                             "shows it: letters and digits"));
        return SW_INVALID;
    }
    return SW_OK;
}

/* --- signing ------------------------------------------------------------------------------- */

static void b64(const unsigned char *mac, char *out, size_t outlen)
{
    char tmp[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
                                       sodium_base64_VARIANT_ORIGINAL)];

    sodium_bin2base64(tmp, sizeof(tmp), mac, crypto_auth_hmacsha256_BYTES,
                      sodium_base64_VARIANT_ORIGINAL);
    sw_strlcpy(out, tmp, outlen);
}

void sw_dingtalk_sign(const char *secret, long long ts_ms, char *out, size_t outlen)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    char ts[24];

    snprintf(ts, sizeof(ts), "%lld\n", ts_ms);
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_final(&st, mac);
    b64(mac, out, outlen);
}

void sw_feishu_sign(const char *secret, long long ts_s, char *out, size_t outlen)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    char key[SW_MSGR_SECRET_MAX + 32];
    int n = snprintf(key, sizeof(key), "%lld\n%s", ts_s, secret);

    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key,
                                n > 0 && (size_t)n < sizeof(key) ? (size_t)n : strlen(key));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(key, sizeof(key));
    b64(mac, out, outlen);
}

/* --- one attempt's request ----------------------------------------------------------------- */

static const char *feishu_colour(const char *severity)
{
    switch (sw_severity_rank(severity)) {
    case 4: return "red";
    case 3: return "orange";
    case 2: return "yellow";
    default: return "blue";
    }
}

/* The fixed message a test sends ("Send a test"), as markdown. */
static void test_card(const struct sw_msg_ctx *m, char *title, size_t titlelen,
                      struct sw_buf *md)
{
    snprintf(title, titlelen, "%s", sw_tr(m->lang, "Seawall test message"));
    sw_msg_md_text(md, sw_tr(m->lang, "A test message from Seawall at your request. It is not "
                                      "an alert: alerts for your watch list will reach this "
                                      "group like this."));
    sw_buf_adds(md, "\n");
}

char *sw_msgr_request(int kind, const struct sw_msg_ctx *m, const json_t *alert,
                      int reminder_days, const char *secret, const char *stored_url,
                      int64_t now_ms, char *url, size_t urllen)
{
    struct sw_buf md, link;
    char title[400], sign[64];
    json_t *body = NULL;
    char *out = NULL;
    size_t max = kind == SW_MSGR_WECOM ? SW_WECOM_MAX : kind == SW_MSGR_DINGTALK ? 16000 : 14000;
    int n;

    sw_buf_init(&md, max);
    sw_buf_init(&link, 4096);
    if (alert != NULL)
        sw_msg_card(m, kind == SW_MSGR_WECOM ? SW_MD_WECOM : kind == SW_MSGR_DINGTALK
                                                                ? SW_MD_DINGTALK : SW_MD_FEISHU,
                    alert, max, title, sizeof(title), &md);
    else
        test_card(m, title, sizeof(title), &md);
    if (alert != NULL && reminder_days > 0) {
        struct sw_buf lead;
        char head[160];

        /* A reminder leads with the time left; the alert's card follows as it is. */
        sw_buf_init(&lead, max);
        snprintf(head, sizeof(head), sw_trn(m->lang, "%d day left to act",
                                            "%d days left to act",
                                            (unsigned long)reminder_days), reminder_days);
        sw_buf_printf(&lead, "**%s**\n\n", head);
        sw_buf_add(&lead, md.p ? md.p : "", md.len);
        sw_buf_free(&md);
        md = lead;
        snprintf(title, sizeof(title), "%s", head);
    }
    n = snprintf(url, urllen, "%s", stored_url);
    if (n < 0 || (size_t)n >= urllen)
        goto out;
    if (kind == SW_MSGR_WECOM) {
        body = json_pack("{s:s, s:{s:s}}", "msgtype", "markdown", "markdown", "content",
                         md.p ? md.p : "");
    } else if (kind == SW_MSGR_DINGTALK) {
        if (secret != NULL && secret[0] != '\0') {
            char *enc;

            sw_dingtalk_sign(secret, (long long)now_ms, sign, sizeof(sign));
            enc = curl_easy_escape(NULL, sign, 0);
            n = enc ? snprintf(url, urllen, "%s&timestamp=%lld&sign=%s", stored_url,
                               (long long)now_ms, enc) : -1;
            curl_free(enc);
            if (n < 0 || (size_t)n >= urllen)
                goto out;
        }
        body = json_pack("{s:s, s:{s:s, s:s}}", "msgtype", "markdown", "markdown", "title",
                         title, "text", md.p ? md.p : "");
    } else {
        json_t *elements = json_pack("[{s:s, s:s}]", "tag", "markdown", "content",
                                     md.p ? md.p : "");

        if (alert != NULL)
            sw_msg_alert_url(m, alert, &link);
        if (elements != NULL && link.len > 0)
            json_array_append_new(elements, json_pack(
                "{s:s, s:[{s:s, s:{s:s, s:s}, s:s, s:s}]}", "tag", "action", "actions", "tag",
                "button", "text", "tag", "plain_text", "content",
                sw_tr(m->lang, "Open it in Seawall"), "type", "primary", "url", link.p));
        body = json_pack("{s:s, s:{s:{s:b}, s:{s:s, s:{s:s, s:s}}, s:o}}", "msg_type",
                         "interactive", "card", "config", "wide_screen_mode", 1, "header",
                         "template", feishu_colour(json_string_value(json_object_get(alert,
                                                                                      "severity"))),
                         "title", "tag", "plain_text", "content", title, "elements", elements);
        if (body != NULL && secret != NULL && secret[0] != '\0') {
            char ts[24];

            snprintf(ts, sizeof(ts), "%lld", (long long)(now_ms / 1000));
            sw_feishu_sign(secret, (long long)(now_ms / 1000), sign, sizeof(sign));
            json_object_set_new(body, "timestamp", json_string(ts));
            json_object_set_new(body, "sign", json_string(sign));
        }
    }
    if (body != NULL)
        out = sw_json_dumps(body);
out:
    json_decref(body);
    sw_buf_free(&md);
    sw_buf_free(&link);
    return out;
}

/* --- answers ------------------------------------------------------------------------------- */

int sw_msgr_answer(int kind, const char *body, size_t len, char *why, size_t whylen,
                   int *limited)
{
    json_t *doc = body != NULL ? json_loadb(body, len, 0, NULL) : NULL;
    const json_t *code;
    const char *msg;
    long long c;
    char text[320];
    size_t i;

    *limited = 0;
    if (kind == SW_MSGR_GENERIC)
        return SW_OK;
    if (kind == SW_MSGR_FEISHU) {
        code = json_object_get(doc, "code");
        if (code == NULL)
            code = json_object_get(doc, "StatusCode");
        msg = json_string_value(json_object_get(doc, "msg"))
                  ?: json_string_value(json_object_get(doc, "StatusMessage"));
    } else {
        code = json_object_get(doc, "errcode");
        msg = json_string_value(json_object_get(doc, "errmsg"));
    }
    if (!json_is_integer(code)) {
        json_decref(doc);
        snprintf(why, whylen, "%s answered without its status (no %s in the body)",
                 platform_names[kind], kind == SW_MSGR_FEISHU ? "\"code\"" : "\"errcode\"");
        return SW_ERR;
    }
    c = json_integer_value(code);
    if (c == 0) {
        json_decref(doc);
        return SW_OK;
    }
    sw_strlcpy(text, msg != NULL ? msg : "", sizeof(text));
    for (i = 0; text[i] != '\0'; i++)
        if ((unsigned char)text[i] < 0x20)
            text[i] = ' ';
    snprintf(why, whylen, "%s error %lld: %s", platform_names[kind], c, text);
    *limited = (kind == SW_MSGR_WECOM && c == 45009) || (kind == SW_MSGR_DINGTALK && c == 130101)
               || (kind == SW_MSGR_FEISHU && (c == 11232 || c == 99991400));
    json_decref(doc);
    return SW_ERR;
}

/* --- rate limits --------------------------------------------------------------------------- */

void sw_msgr_limits(int kind, long long wecom_per_min, long long dingtalk_per_min,
                    long long feishu_per_min, long long feishu_per_s, long long *per_min,
                    long long *per_s)
{
    *per_min = 0;
    *per_s = 0;
    if (kind == SW_MSGR_WECOM) {
        *per_min = wecom_per_min;
    } else if (kind == SW_MSGR_DINGTALK) {
        *per_min = dingtalk_per_min;
    } else if (kind == SW_MSGR_FEISHU) {
        *per_min = feishu_per_min;
        *per_s = feishu_per_s;
    }
}

/* KEYS: the robot's window. ARGV: now ms, per minute, per second, member. Returns 0 (counted)
 * or the ms until a place frees in the minute's or the second's window. */
static const char window_lua[] =
    "local now = tonumber(ARGV[1]) "
    "local per_min, per_s = tonumber(ARGV[2]), tonumber(ARGV[3]) "
    "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000) "
    "if per_min > 0 and redis.call('ZCARD', KEYS[1]) >= per_min then "
    "  local o = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES') "
    "  return math.max(1, tonumber(o[2]) + 60000 - now) end "
    "if per_s > 0 and redis.call('ZCOUNT', KEYS[1], now - 999, '+inf') >= per_s then "
    "  local o = redis.call('ZRANGEBYSCORE', KEYS[1], now - 999, '+inf', 'WITHSCORES', "
    "                       'LIMIT', 0, 1) "
    "  return math.max(1, tonumber(o[2]) + 1000 - now) end "
    "redis.call('ZADD', KEYS[1], now, ARGV[4]) "
    "redis.call('PEXPIRE', KEYS[1], 61000) "
    "return 0";

int sw_msgr_rate_take(struct sw_store *s, long long sub, const char *url, long long per_min,
                      long long per_s, int64_t now_ms, const char *member, int64_t *wait_ms)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char key[SW_KEY_BYTES], hex[33], now[24], pm[24], ps[24];
    const char *keys[1], *args[4];
    long long res = 0;
    int rc;

    *wait_ms = 0;
    if (per_min <= 0 && per_s <= 0)
        return SW_OK;
    crypto_hash_sha256(h, (const unsigned char *)url, strlen(url));
    sw_hex(h, 16, hex);
    snprintf(key, sizeof(key), "%s", swk_msgr_rate(sub, hex).s);
    snprintf(now, sizeof(now), "%lld", (long long)now_ms);
    snprintf(pm, sizeof(pm), "%lld", per_min);
    snprintf(ps, sizeof(ps), "%lld", per_s);
    keys[0] = key;
    args[0] = now;
    args[1] = pm;
    args[2] = ps;
    args[3] = member;
    rc = sw_store_eval_int(s, window_lua, 1, keys, 4, args, &res);
    if (rc != SW_OK)
        return rc;
    *wait_ms = res;
    return SW_OK;
}
