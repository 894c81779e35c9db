/* test_message.c — alerts as people read them (lib/message.c) and the messenger robots
 * (lib/messenger.c): ICU percentages and dates, reason sentences and summaries from the real
 * catalogue in both languages, mails with absolute links, markdown that outside text cannot
 * turn into links, cards cut to the platform's size, each platform's URL form, signing (known
 * vectors), request shape and error answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/buf.h"
#include "seawall/i18n.h"
#include "seawall/message.h"
#include "seawall/messenger.h"
#include "seawall/net.h"

#define ALERT_ID "al_0123456789abcdef0123456789abcdef"

static int load_catalogue(void **state)
{
    const char *root = getenv("SEAWALL_SOURCE_ROOT");
    char dir[1024], err[512];

    (void)state;
    snprintf(dir, sizeof(dir), "%s/po", root ? root : ".");
    if (sw_i18n_load(dir, err, sizeof(err)) != SW_OK) {
        fprintf(stderr, "catalogue: %s\n", err);
        return -1;
    }
    return 0;
}

static int free_catalogue(void **state)
{
    (void)state;
    sw_i18n_free();
    return 0;
}

/* A keyword alert (score 0.923, as the matcher writes it) about a bulletin, or a case notice. */
static json_t *keyword_alert(void)
{
    json_t *a = json_loads(
        "{\"id\":\"" ALERT_ID "\",\"severity\":\"high\",\"rule\":\"keyword-in-market\","
        "\"created_at\":\"2026-12-01T01:00:00Z\",\"items\":[{\"item\":{\"id\":4,\"kind\":"
        "\"keyword\",\"text\":\"led lamps\"},\"severity\":\"high\",\"rule\":"
        "\"keyword-in-market\",\"score\":0.923,\"reasons\":[{\"rule\":\"keyword-in-market\","
        "\"field\":\"text\",\"matched\":[\"LED lamps\",\"led lamps\"],\"score\":0.923,"
        "\"why\":\"keyword in the text\"}]}],\"event\":{\"type\":\"bulletin\",\"title\":"
        "\"Frankfurt airport: [LED](javascript:x) lamps held\",\"bulletin_id\":4,\"url\":"
        "\"/api/v1/bulletins/4\"}}", 0, NULL);

    assert_non_null(a);
    return a;
}

static const struct sw_msg_ctx zh = { "zh-CN", "Asia/Shanghai", "https://portal.example/" };
static const struct sw_msg_ctx en = { "en", "Europe/Berlin", "https://portal.example" };

static void percentages_and_dates_through_icu(void **state)
{
    char out[128];

    (void)state;
    assert_int_equal(sw_msg_percent("en", 0.92300000000000004, out, sizeof(out)), SW_OK);
    assert_string_equal(out, "92.3%");
    sw_msg_percent("zh-CN", 1.0, out, sizeof(out));
    assert_string_equal(out, "100%");
    sw_msg_percent("en", 0.5, out, sizeof(out));
    assert_string_equal(out, "50%");
    /* 01:00 UTC is 09:00 in Shanghai and 02:00 in Berlin, each in its own words. */
    assert_int_equal(sw_msg_date("zh-CN", "Asia/Shanghai", 1796086800000LL, out, sizeof(out)),
                     SW_OK);
    assert_non_null(strstr(out, "2026年12月1日"));
    assert_non_null(strstr(out, "09:00"));
    sw_msg_date("en", "Europe/Berlin", 1796086800000LL, out, sizeof(out));
    assert_non_null(strstr(out, "Dec 1, 2026"));
    assert_non_null(strstr(out, "2:00"));
    /* An unknown zone reads UTC. */
    sw_msg_date("en", "Mars/Olympus", 1796086800000LL, out, sizeof(out));
    assert_non_null(strstr(out, "1:00"));
}

static void reasons_titles_and_summaries_in_both_languages(void **state)
{
    json_t *a = keyword_alert(), *l;
    const json_t *re;
    struct sw_buf b;

    (void)state;
    sw_buf_init(&b, 65536);
    sw_msg_summary("zh-CN", a, &b);
    assert_string_equal(b.p, "高预警：您的关键词“led lamps”出现在您监测的市场中：“LED lamps”。"
                             " 匹配度：92.3%。");
    sw_buf_reset(&b);
    sw_msg_summary("en", a, &b);
    assert_string_equal(b.p, "High alert: Your keyword “led lamps” appears in a market you "
                             "watch: “LED lamps”. Score: 92.3%.");
    /* The API's copy: rendered members added, the stored ones as they were. */
    l = sw_msg_localise("zh-CN", a);
    re = json_array_get(json_object_get(json_array_get(json_object_get(l, "items"), 0),
                                        "reasons"), 0);
    assert_string_equal(json_string_value(json_object_get(re, "why")), "keyword in the text");
    assert_non_null(strstr(json_string_value(json_object_get(re, "text")), "您的关键词"));
    assert_non_null(strstr(json_string_value(json_object_get(l, "summary")), "92.3%"));
    assert_string_equal(json_string_value(json_object_get(l, "title")),
                        "Frankfurt airport: [LED](javascript:x) lamps held");
    assert_null(json_object_get(a, "summary"));
    json_decref(l);
    json_decref(a);
    /* A case notice, stored with its code, reads in the reader's language. */
    a = json_loads("{\"severity\":\"medium\",\"rule\":\"case-notice\",\"items\":[],"
                   "\"event\":{\"type\":\"case_notice\",\"notice\":\"accepted\",\"case_id\":12,"
                   "\"title\":\"Your case #12: accepted\",\"text\":\"accepted\","
                   "\"text_from_catalogue\":true},\"reasons\":[{\"rule\":\"case-notice\","
                   "\"text\":\"accepted\"}]}", 0, NULL);
    l = sw_msg_localise("zh-CN", a);
    assert_string_equal(json_string_value(json_object_get(l, "title")), "您的案件 #12：已受理");
    assert_string_equal(json_string_value(json_object_get(l, "summary")),
                        "中预警：您的案件 #12：已受理");
    assert_string_equal(json_string_value(json_object_get(json_array_get(
                            json_object_get(l, "reasons"), 0), "text")), "已受理");
    json_decref(l);
    json_decref(a);
    sw_buf_free(&b);
}

static void mails_name_the_keyword_with_absolute_links(void **state)
{
    json_t *a = keyword_alert(), *all;
    struct sw_buf text, html;
    char subject[400];

    (void)state;
    sw_buf_init(&text, 1 << 20);
    sw_buf_init(&html, 1 << 20);
    sw_msg_mail_alert(&zh, a, subject, sizeof(subject), &text, &html);
    assert_string_equal(subject, "【Seawall】高预警：您的关键词“led lamps” — Frankfurt airport: "
                                 "[LED](javascript:x) lamps held");
    assert_non_null(strstr(text.p, "匹配度：92.3%。"));
    assert_non_null(strstr(text.p, "在 Seawall 中查看：https://portal.example/app/alerts/"
                                   ALERT_ID "\n"));
    assert_non_null(strstr(text.p, "原文链接：https://portal.example/bulletins/4\n"));
    assert_non_null(strstr(text.p, "发现时间：2026年12月1日"));
    assert_null(strstr(text.p, "0.923"));
    assert_null(strstr(text.p, "/api/v1/bulletins"));
    assert_non_null(strstr(html.p, "<a href=\"https://portal.example/app/alerts/" ALERT_ID
                                   "\">"));
    sw_buf_reset(&text);
    sw_buf_reset(&html);
    all = json_pack("[O, O]", a, a);
    sw_msg_mail_digest(&en, all, subject, sizeof(subject), &text, &html);
    assert_string_equal(subject, "[Seawall] Daily digest: 2 alerts (0 critical, 2 high, "
                                 "0 medium, 0 low)");
    assert_non_null(strstr(text.p, "== High =="));
    assert_non_null(strstr(text.p, "Open it in Seawall: https://portal.example/app/alerts/"));
    sw_buf_reset(&text);
    sw_buf_reset(&html);
    sw_msg_mail_digest(&zh, all, subject, sizeof(subject), &text, &html);
    assert_string_equal(subject, "【Seawall】每日汇总：2 条预警（紧急 0，高 2，中 0，低 0）");
    sw_msg_mail_close(&zh, "https://portal.example/api/v1/unsubscribe?s=1", &text, &html);
    assert_non_null(strstr(text.p, "退订这些邮件：https://portal.example/api/v1/unsubscribe"));
    json_decref(all);
    json_decref(a);
    sw_buf_free(&text);
    sw_buf_free(&html);
}

static void outside_text_cannot_make_markdown(void **state)
{
    struct sw_buf md;

    (void)state;
    sw_buf_init(&md, 4096);
    sw_msg_md_text(&md, "[click](javascript:alert(1)) <font color=\"info\">x</font> **b**\n# h");
    assert_null(strpbrk(md.p, "[]()<>*#\n"));
    assert_non_null(strstr(md.p, "［click］（javascript:alert（1））"));
    sw_buf_free(&md);
}

static void cards_fit_the_platform(void **state)
{
    json_t *a = keyword_alert(), *items = json_object_get(a, "items"), *one;
    struct sw_buf md;
    char title[400];
    int i;

    (void)state;
    one = json_array_get(items, 0);
    for (i = 0; i < 200; i++)
        json_array_append(items, one);
    sw_buf_init(&md, SW_WECOM_MAX);
    sw_msg_card(&zh, SW_MD_WECOM, a, SW_WECOM_MAX, title, sizeof(title), &md);
    assert_true(md.len <= SW_WECOM_MAX);
    assert_non_null(strstr(md.p, "### <font color=\"warning\">高</font>"));
    assert_non_null(strstr(md.p, "条匹配理由，请在 Seawall 中查看。"));
    assert_non_null(strstr(md.p, "[在 Seawall 中查看](https://portal.example/app/alerts/"));
    /* The event's own link text shows as text: no second link from it. */
    assert_null(strstr(md.p, "](javascript"));
    assert_string_equal(title, "高预警：Frankfurt airport: [LED](javascript:x) lamps held");
    json_decref(a);
    sw_buf_free(&md);
}

/* --- messengers ---------------------------------------------------------------------------- */

static void signatures_match_the_documented_algorithms(void **state)
{
    char out[64];

    (void)state;
    /* Python: base64(hmac(secret, f"{ts}\n{secret}", sha256)) */
    sw_dingtalk_sign("SECabc123", 1764550800000LL, out, sizeof(out));
    assert_string_equal(out, "l+iAyRp8kx27q0p1cvpsZ7oVuWxP+j+SrNU2taca+fw=");
    /* Python: base64(hmac(f"{ts}\n{secret}", b"", sha256)) */
    sw_feishu_sign("fsSecret42", 1764550800LL, out, sizeof(out));
    assert_string_equal(out, "cjVU2mX3w7uoNjLFQTFIEGidX4ZmMT/TktbnqbzaJgg=");
}

static void url_forms_are_checked(void **state)
{
    struct sw_allowlist none, local;
    char err[512];

    (void)state;
    assert_int_equal(sw_allowlist_parse("", &none, err, sizeof(err)), SW_OK);
    assert_int_equal(sw_allowlist_parse("127.0.0.1/32", &local, err, sizeof(err)), SW_OK);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_WECOM, "https://qyapi.weixin.qq.com/cgi-bin/"
                                       "webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa",
                                       &none, err, sizeof(err)), SW_OK);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_DINGTALK, "https://oapi.dingtalk.com/robot/send"
                                       "?access_token=abc123", &none, err, sizeof(err)), SW_OK);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_FEISHU, "https://open.feishu.cn/open-apis/bot/v2/"
                                       "hook/2b47-7573", &none, err, sizeof(err)), SW_OK);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_FEISHU, "https://open.larksuite.com/open-apis/bot"
                                       "/v2/hook/2b47", &none, err, sizeof(err)), SW_OK);
    /* Wrong scheme, host, port, path or credential; a look-alike host. */
    assert_int_equal(sw_msgr_url_check(SW_MSGR_WECOM, "http://qyapi.weixin.qq.com/cgi-bin/"
                                       "webhook/send?key=k", &none, err, sizeof(err)),
                     SW_INVALID);
    assert_non_null(strstr(err, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="));
    assert_int_equal(sw_msgr_url_check(SW_MSGR_WECOM, "https://qyapi.weixin.qq.com.evil.example"
                                       "/cgi-bin/webhook/send?key=k", &none, err, sizeof(err)),
                     SW_INVALID);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_WECOM, "https://qyapi.weixin.qq.com:8443/cgi-bin/"
                                       "webhook/send?key=k", &none, err, sizeof(err)),
                     SW_INVALID);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_WECOM, "https://qyapi.weixin.qq.com/cgi-bin/"
                                       "webhook/send?token=k", &none, err, sizeof(err)),
                     SW_INVALID);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_DINGTALK, "https://oapi.dingtalk.com/robot/send",
                                       &none, err, sizeof(err)), SW_INVALID);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_FEISHU, "https://open.feishu.cn/open-apis/bot/v2/"
                                       "hook/", &none, err, sizeof(err)), SW_INVALID);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_DINGTALK, "https://qyapi.weixin.qq.com/robot/send"
                                       "?access_token=a", &none, err, sizeof(err)), SW_INVALID);
    /* A local receiver stands in only for an address the allow-list names. */
    assert_int_equal(sw_msgr_url_check(SW_MSGR_WECOM, "http://127.0.0.1:8080/cgi-bin/webhook/"
                                       "send?key=k", &none, err, sizeof(err)), SW_INVALID);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_WECOM, "http://127.0.0.1:8080/cgi-bin/webhook/"
                                       "send?key=k", &local, err, sizeof(err)), SW_OK);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_WECOM, "http://127.0.0.1:8080/elsewhere?key=k",
                                       &local, err, sizeof(err)), SW_INVALID);
    assert_int_equal(sw_msgr_url_check(SW_MSGR_WECOM, "https://93.184.216.34/cgi-bin/webhook/"
                                       "send?key=k", &local, err, sizeof(err)), SW_INVALID);
    /* Secrets. */
    assert_int_equal(sw_msgr_secret_check(SW_MSGR_DINGTALK, "SECabc", err, sizeof(err)), SW_OK);
    assert_int_equal(sw_msgr_secret_check(SW_MSGR_DINGTALK, "abc", err, sizeof(err)),
                     SW_INVALID);
    assert_int_equal(sw_msgr_secret_check(SW_MSGR_FEISHU, "a b", err, sizeof(err)), SW_INVALID);
    assert_int_equal(sw_msgr_secret_check(SW_MSGR_WECOM, "SECabc", err, sizeof(err)),
                     SW_INVALID);
    assert_int_equal(sw_msgr_secret_check(SW_MSGR_WECOM, NULL, err, sizeof(err)), SW_OK);
}

static void requests_have_each_platforms_shape(void **state)
{
    json_t *a = keyword_alert(), *body;
    char url[2300];
    char *text;

    (void)state;
    text = sw_msgr_request(SW_MSGR_DINGTALK, &zh, a, 0, "SECabc123",
                           "https://oapi.dingtalk.com/robot/send?access_token=t", 1764550800000LL,
                           url, sizeof(url));
    assert_string_equal(url, "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp="
                             "1764550800000&sign=l%2BiAyRp8kx27q0p1cvpsZ7oVuWxP%2Bj%2BSrNU2taca%2Bfw%3D");
    body = json_loads(text, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(body, "msgtype")), "markdown");
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(body, "markdown"),
                                                             "text")), "您的关键词"));
    assert_non_null(json_object_get(json_object_get(body, "markdown"), "title"));
    json_decref(body);
    free(text);
    text = sw_msgr_request(SW_MSGR_FEISHU, &en, a, 0, "fsSecret42",
                           "https://open.feishu.cn/open-apis/bot/v2/hook/x", 1764550800999LL,
                           url, sizeof(url));
    assert_string_equal(url, "https://open.feishu.cn/open-apis/bot/v2/hook/x");
    body = json_loads(text, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(body, "timestamp")), "1764550800");
    assert_string_equal(json_string_value(json_object_get(body, "sign")),
                        "cjVU2mX3w7uoNjLFQTFIEGidX4ZmMT/TktbnqbzaJgg=");
    assert_string_equal(json_string_value(json_object_get(body, "msg_type")), "interactive");
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(
        json_object_get(body, "card"), "header"), "title"), "tag")), "plain_text");
    json_decref(body);
    free(text);
    text = sw_msgr_request(SW_MSGR_WECOM, &zh, NULL, 0, NULL,
                           "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", 0, url,
                           sizeof(url));
    body = json_loads(text, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(body, "msgtype")), "markdown");
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(body, "markdown"),
                                                             "content")), "测试消息"));
    json_decref(body);
    free(text);
    json_decref(a);
}

#define A(s) s, strlen(s)

static void platform_answers_are_read(void **state)
{
    char why[256];
    int limited;

    (void)state;
    assert_int_equal(sw_msgr_answer(SW_MSGR_WECOM, A("{\"errcode\":0,\"errmsg\":\"ok\"}"), why,
                                    sizeof(why), &limited), SW_OK);
    assert_int_equal(sw_msgr_answer(SW_MSGR_DINGTALK,
                                    A("{\"errcode\":310000,\"errmsg\":\"sign not match\"}"), why,
                                    sizeof(why), &limited), SW_ERR);
    assert_string_equal(why, "DingTalk error 310000: sign not match");
    assert_int_equal(limited, 0);
    sw_msgr_answer(SW_MSGR_WECOM, A("{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}"),
                   why, sizeof(why), &limited);
    assert_int_equal(limited, 1);
    assert_int_equal(sw_msgr_answer(SW_MSGR_FEISHU, A("{\"code\":19021,\"msg\":\"sign match fail\","
                                    "\"data\":{}}"), why, sizeof(why), &limited), SW_ERR);
    assert_string_equal(why, "Feishu error 19021: sign match fail");
    assert_int_equal(sw_msgr_answer(SW_MSGR_FEISHU, A("{\"StatusCode\":0,\"StatusMessage\":"
                                    "\"success\"}"), why, sizeof(why), &limited), SW_OK);
    assert_int_equal(sw_msgr_answer(SW_MSGR_DINGTALK, A("<html>"), why, sizeof(why), &limited),
                     SW_ERR);
    assert_int_equal(sw_msgr_kind("feishu"), SW_MSGR_FEISHU);
    assert_int_equal(sw_msgr_kind("slack"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percentages_and_dates_through_icu),
        cmocka_unit_test(reasons_titles_and_summaries_in_both_languages),
        cmocka_unit_test(mails_name_the_keyword_with_absolute_links),
        cmocka_unit_test(outside_text_cannot_make_markdown),
        cmocka_unit_test(cards_fit_the_platform),
        cmocka_unit_test(signatures_match_the_documented_algorithms),
        cmocka_unit_test(url_forms_are_checked),
        cmocka_unit_test(requests_have_each_platforms_shape),
        cmocka_unit_test(platform_answers_are_read),
    };

    return cmocka_run_group_tests(tests, load_catalogue, free_catalogue);
}
