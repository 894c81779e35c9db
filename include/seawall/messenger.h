/* messenger.h — group-robot webhooks of the messengers Chinese teams work in, as delivery
 * channels beside generic webhooks and mail: WeCom (企业微信), DingTalk (钉钉) and Feishu/Lark
 * (飞书). A webhook endpoint has a "kind": generic (Standard Webhooks, the alert as JSON) or
 * one of these, which get the alert as the platform's markdown card in the subscriber's
 * language, signed as the platform documents:
 *
 *   wecom     https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY — no signature (the key
 *             in the URL is the credential); {"msgtype":"markdown","markdown":{"content"}},
 *             content at most 4096 bytes; 20 messages a minute per robot.
 *   dingtalk  https://oapi.dingtalk.com/robot/send?access_token=TOKEN — with a signing secret
 *             (SEC…), "&timestamp=<ms>&sign=<url-encoded base64 HMAC-SHA256, key the secret, of
 *             "<timestamp>\n<secret>">" added to the URL; {"msgtype":"markdown","markdown":
 *             {"title","text"}}, at most 20000 bytes; 20 messages a minute per robot.
 *   feishu    https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN (Lark:
 *             https://open.larksuite.com/open-apis/bot/v2/hook/TOKEN) — with a signing secret,
 *             "timestamp" (seconds, a string) and "sign" (base64 of HMAC-SHA256 whose key is
 *             "<timestamp>\n<secret>", over an empty message) in the JSON body;
 *             {"msg_type":"interactive","card":{…}}, the body at most 20 KB; 100 messages a
 *             minute and 5 a second per robot.
 *
 * A platform answers HTTP 200 also when it refuses: WeCom and DingTalk with "errcode" ≠ 0,
 * Feishu with "code" ≠ 0 (older answers: "StatusCode"); such an answer is a failed attempt
 * with the platform's own message, retried like any failed webhook.
 *
 * The URL forms are checked strictly (https, the platform's host, its path and credential
 * parameter). For tests, and for a proxy an operator runs inside the network, a host that is
 * an IP address inside the admin's allow-list (net.allow_private) stands in for the
 * platform's host, with http allowed there; the path form is required all the same, and
 * nothing else widens what a URL may look like. */
#ifndef SEAWALL_MESSENGER_H
#define SEAWALL_MESSENGER_H

#include <stdint.h>
#include <jansson.h>

#include "seawall/common.h"

struct sw_allowlist;
struct sw_store;
struct sw_msg_ctx;

enum sw_msgr {
    SW_MSGR_GENERIC = 0,
    SW_MSGR_WECOM,
    SW_MSGR_DINGTALK,
    SW_MSGR_FEISHU
};

extern const char *const sw_webhook_kinds[];   /* "generic", "wecom", "dingtalk", "feishu" */

/* The kind named name (NULL: generic), or -1. */
int sw_msgr_kind(const char *name);

/* The kind of a stored webhook endpoint (its "kind"; none: generic). */
int sw_msgr_of(const json_t *wh);

#define SW_WECOM_MAX 4096       /* bytes of a WeCom markdown content */
#define SW_DINGTALK_MAX 20000   /* bytes of a DingTalk request body */
#define SW_FEISHU_MAX 20000     /* bytes of a Feishu request body (20 KB) */
#define SW_MSGR_SECRET_MAX 128

/* Checks url's form for kind (see above) and then the network rules (sw_url_check). SW_OK, or
 * SW_INVALID with a sentence for a person in err (in this thread's language). */
int sw_msgr_url_check(int kind, const char *url, const struct sw_allowlist *allow, char *err,
                      size_t errlen);

/* Checks a signing secret for kind: DingTalk's starts with "SEC"; both are letters and digits,
 * at most SW_MSGR_SECRET_MAX. WeCom and generic endpoints take none. SW_OK or SW_INVALID with
 * err. */
int sw_msgr_secret_check(int kind, const char *secret, char *err, size_t errlen);

/* DingTalk's sign for (secret, timestamp in ms): base64 of HMAC-SHA256 with the secret as key
 * over "<timestamp>\n<secret>" (not yet URL-encoded). out >= 64 bytes. */
void sw_dingtalk_sign(const char *secret, long long ts_ms, char *out, size_t outlen);

/* Feishu's sign for (secret, timestamp in s): base64 of HMAC-SHA256 with "<timestamp>\n<secret>"
 * as key over nothing. out >= 64 bytes. */
void sw_feishu_sign(const char *secret, long long ts_s, char *out, size_t outlen);

/* One attempt's request: the URL to POST to (DingTalk's signed one carries timestamp and
 * sign) and the JSON body, for alert (or, alert NULL, the fixed test message) rendered for m;
 * with reminder_days > 0 the card leads with how many days are left to act on the alert.
 * secret may be NULL (unsigned). Returns the body (caller frees) with url filled, or NULL on no
 * memory or a URL too long for url. */
char *sw_msgr_request(int kind, const struct sw_msg_ctx *m, const json_t *alert,
                      int reminder_days, const char *secret, const char *stored_url,
                      int64_t now_ms, char *url, size_t urllen);

/* Reads a platform's answer to a request it took with HTTP 2xx: SW_OK when it accepted the
 * message; SW_ERR when it refused, with "<platform> error <code>: <its message>" in why and
 * *limited 1 when the refusal is its rate limit. */
int sw_msgr_answer(int kind, const char *body, size_t len, char *why, size_t whylen,
                   int *limited);

/* The limits a channel keeps to: messages a minute and a second (0: none). */
void sw_msgr_limits(int kind, long long wecom_per_min, long long dingtalk_per_min,
                    long long feishu_per_min, long long feishu_per_s, long long *per_min,
                    long long *per_s);

/* Counts one message to the robot at url (subscriber sub) against per_min and per_s in a
 * sliding window kept in Redis (sw:{sub:N}:mrate:<hash of url>), shared by every notifier.
 * SW_OK with *wait_ms 0 when it may go now (and is counted), or with the milliseconds until a
 * place frees (nothing counted); SW_EAGAIN when Redis did not answer. */
int sw_msgr_rate_take(struct sw_store *s, long long sub, const char *url, long long per_min,
                      long long per_s, int64_t now_ms, const char *member, int64_t *wait_ms);

#endif
