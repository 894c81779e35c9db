/* i18n.c — the message catalogue: English only (every msgid is its own English text). */
#include <string.h>

#include "seawall/common.h"
#include "seawall/i18n.h"

static __thread const char *thread_lang = "en";

int sw_i18n_load(const char *dir, char *err, size_t errlen)
{
    (void)dir;
    if (errlen > 0)
        err[0] = '\0';
    return SW_OK;
}

const char *sw_tr(const char *lang, const char *msgid)
{
    (void)lang;
    return msgid;
}

const char *sw_trn(const char *lang, const char *msgid, const char *plural, unsigned long n)
{
    (void)lang;
    return n == 1 ? msgid : plural;
}

const char *sw_lang_negotiate(const char *accept_language)
{
    (void)accept_language;
    return "en";
}

void sw_i18n_set_thread_lang(const char *lang)
{
    thread_lang = lang != NULL && strcmp(lang, "zh-CN") == 0 ? "zh-CN" : "en";
}

const char *sw_i18n_thread_lang(void)
{
    return thread_lang;
}
