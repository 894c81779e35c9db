/* message.h — what a person reads about an alert, in their language: the human text of each
 * reason, an alert's title and one-line summary, mails and digests (subject, text and HTML),
 * and the markdown a group messenger shows (WeCom, DingTalk, Feishu). Numbers, scores and
 * dates go through ICU in the reader's locale and time zone.
 *
 * Alerts are stored structured (rule and reason codes, the matched texts, scores); everything
 * here renders them at read or send time through the catalogue (sw_tr), so one stored alert
 * reads in English for one person and in Chinese for another. Texts that come from outside
 * (an event's title, a party's name) are shown as they are; in markdown they are defused so
 * they cannot make links, images or formatting.
 *
 * Pure functions over their arguments (no store, no I/O); safe from any thread. Buffers are
 * the caller's: each function appends, and a buffer's ceiling bounds what is written. */
#ifndef SEAWALL_MESSAGE_H
#define SEAWALL_MESSAGE_H

#include <stdint.h>
#include <jansson.h>

#include "seawall/buf.h"
#include "seawall/common.h"

/* Who reads and where links lead. */
struct sw_msg_ctx {
    const char *lang;          /* "en" or "zh-CN" (anything else reads English) */
    const char *tz;            /* IANA zone for dates ("UTC" when NULL or unknown) */
    const char *public_url;    /* the portal as people reach it (notifier.public_url) */
};

/* --- numbers, dates, labels -------------------------------------------------------------- */

/* v (0..1) as a percentage in lang's locale with at most one decimal ("92.3%"), through ICU
 * unum. SW_OK, or SW_ERR with "?" in out. */
int sw_msg_percent(const char *lang, double v, char *out, size_t outlen);

/* The instant ms as a date and time in zone tz, in lang's locale, with the zone named
 * ("Dec 1, 2026, 9:00 AM GMT+8", "2026年12月1日 GMT+8 09:00"), through ICU udat. SW_OK, or
 * SW_ERR with the ISO 8601 UTC form in out. */
int sw_msg_date(const char *lang, const char *tz, int64_t ms, char *out, size_t outlen);

/* Labels through the catalogue; unknown codes come back as they are. */
const char *sw_msg_severity(const char *lang, const char *severity);   /* "High" */
const char *sw_msg_kind(const char *lang, const char *kind);           /* "keyword" */
const char *sw_msg_why(const char *lang, const char *why);             /* "similar spelling" */

/* --- case notices ------------------------------------------------------------------------ */

/* The catalogue text (English msgid) of a case notice code ("accepted", "rejected",
 * "needs_info", "assigned", "reassigned", "waiting_on_exporter", "resolved", "reply",
 * "incident"), or NULL for an unknown code. */
const char *sw_msg_notice_text(const char *code);

/* --- one alert ----------------------------------------------------------------------------- */

/* The human sentence for one reason of one item (it names the item, what the event says, and
 * why they match), appended to out. item is an element of the alert's "items", reason one of
 * its "reasons". */
void sw_msg_reason(const char *lang, const json_t *item, const json_t *reason,
                   struct sw_buf *out);

/* The alert's title: a case notice's in lang ("您的案件 #12：已受理"), a bulletin's
 * correction or withdrawal as "Bulletin corrected: <its title>", else the event's own (a
 * bulletin's in lang, from its "titles"). */
void sw_msg_title(const char *lang, const json_t *alert, struct sw_buf *out);

/* One line that says what happened: severity, the strongest item's reason sentence and its
 * score, how many items it touches; for a case notice its title and text; for a bulletin's
 * follow-up its title and the correction's note or the reason for the withdrawal. */
void sw_msg_summary(const char *lang, const json_t *alert, struct sw_buf *out);

/* A copy of alert for an API answer in lang: "title" and "summary" rendered, and every reason
 * (the items' and the alert's own) with "text", its human sentence. The stored members are
 * kept as they are. New reference, or NULL on no memory. */
json_t *sw_msg_localise(const char *lang, const json_t *alert);

/* The portal's page for the alert (public_url + "/app/alerts/<id>"), and the link to what the
 * alert is about: a case's page, a bulletin's page (public_url + "/bulletins/<id>"), or the
 * event's own http(s) source; "" when there is none. */
void sw_msg_alert_url(const struct sw_msg_ctx *m, const json_t *alert, struct sw_buf *out);
void sw_msg_source_url(const struct sw_msg_ctx *m, const json_t *alert, struct sw_buf *out);

/* --- mail ---------------------------------------------------------------------------------- */

/* The mail for one alert: its subject (one line, naming the severity, the matched item and
 * the event) and both bodies. text and html are appended to; html is a fragment for
 * sw_msg_mail_close. */
void sw_msg_mail_alert(const struct sw_msg_ctx *m, const json_t *alert, char *subject,
                       size_t sublen, struct sw_buf *text, struct sw_buf *html);

/* The daily digest of alerts (an array), grouped by severity, most severe first. */
void sw_msg_mail_digest(const struct sw_msg_ctx *m, const json_t *alerts, char *subject,
                        size_t sublen, struct sw_buf *text, struct sw_buf *html);

/* The notice that webhook endpoint wid (url) was disabled after failing with error. */
void sw_msg_mail_disabled(const struct sw_msg_ctx *m, long long wid, const char *url,
                          const char *error, char *subject, size_t sublen,
                          struct sw_buf *text, struct sw_buf *html);

/* Opens (<!doctype html>…<body>) and closes an HTML body; the close adds the unsubscribe
 * sentence and link (unsub may be NULL: none) to both bodies. */
void sw_msg_mail_open(const struct sw_msg_ctx *m, struct sw_buf *html);
void sw_msg_mail_close(const struct sw_msg_ctx *m, const char *unsub, struct sw_buf *text,
                       struct sw_buf *html);

/* --- messengers ---------------------------------------------------------------------------- */

enum sw_md_dialect {
    SW_MD_WECOM,      /* WeCom robot markdown: headings, bold, links, quotes, <font color> */
    SW_MD_DINGTALK,   /* DingTalk robot markdown */
    SW_MD_FEISHU      /* a Feishu/Lark card's markdown element */
};

/* The card for one alert: a short title (severity and event; for DingTalk's conversation list
 * and Feishu's card header) and the markdown body, at most max bytes (cut between items, with
 * a line saying how many were left out, and never inside a UTF-8 sequence). */
void sw_msg_card(const struct sw_msg_ctx *m, enum sw_md_dialect d, const json_t *alert,
                 size_t max, char *title, size_t titlelen, struct sw_buf *md);

/* Appends s to md with what markdown would read as markup (links, images, emphasis, code,
 * headings, HTML such as <font>) replaced by look-alike fullwidth characters, and line
 * breaks as spaces: text from outside shows as text. */
void sw_msg_md_text(struct sw_buf *md, const char *s);

#endif
