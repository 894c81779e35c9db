/* fuzz_messenger.c — libFuzzer target: what reaches the messenger code from outside. The first
 * byte picks: a platform's answer body (sw_msgr_answer, each kind), a robot URL and secret as
 * an exporter gives them (sw_msgr_url_check, sw_msgr_secret_check, each kind, with and without
 * an allow-list), or an alert as JSON rendered as every card, both mails and the API's copy in
 * both languages (lib/message.c) — each card must stay within its size. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/buf.h"
#include "seawall/message.h"
#include "seawall/messenger.h"
#include "seawall/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct sw_msg_ctx ctx[2] = {
        { "en", "Europe/Berlin", "https://portal.example" },
        { "zh-CN", "Asia/Shanghai", "https://portal.example/" },
    };
    char why[400], sub[400], title[400], url[2400];
    struct sw_allowlist allow;
    struct sw_buf a, b;
    unsigned pick;
    int limited, k, l;
    char *text;
    json_t *alert;

    if (size < 1)
        return 0;
    pick = data[0] % 3;
    data++;
    size--;
    if (pick == 0) {
        for (k = SW_MSGR_WECOM; k <= SW_MSGR_FEISHU; k++)
            sw_msgr_answer(k, (const char *)data, size, why, sizeof(why), &limited);
        return 0;
    }
    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (pick == 1) {
        sw_allowlist_parse("127.0.0.1/32, ::1", &allow, why, sizeof(why));
        for (k = SW_MSGR_GENERIC; k <= SW_MSGR_FEISHU; k++) {
            sw_msgr_url_check(k, text, NULL, why, sizeof(why));
            sw_msgr_url_check(k, text, &allow, why, sizeof(why));
            sw_msgr_secret_check(k, text, why, sizeof(why));
        }
        free(text);
        return 0;
    }
    alert = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    free(text);
    if (!json_is_object(alert)) {
        json_decref(alert);
        return 0;
    }
    for (l = 0; l < 2; l++) {
        json_t *copy = sw_msg_localise(ctx[l].lang, alert);

        json_decref(copy);
        sw_buf_init(&a, 1 << 20);
        sw_buf_init(&b, 1 << 20);
        sw_msg_mail_alert(&ctx[l], alert, sub, sizeof(sub), &a, &b);
        sw_buf_free(&a);
        sw_buf_free(&b);
        for (k = SW_MD_WECOM; k <= SW_MD_FEISHU; k++) {
            sw_buf_init(&a, SW_WECOM_MAX);
            sw_msg_card(&ctx[l], (enum sw_md_dialect)k, alert, SW_WECOM_MAX, title,
                        sizeof(title), &a);
            if (a.len > SW_WECOM_MAX)
                abort();
            sw_buf_free(&a);
        }
        text = sw_msgr_request(SW_MSGR_FEISHU, &ctx[l], alert, 0, "secret", "https://open.feishu.cn"
                               "/open-apis/bot/v2/hook/x", 1796086800000LL, url, sizeof(url));
        free(text);
    }
    json_decref(alert);
    return 0;
}
