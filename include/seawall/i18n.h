/* i18n.h — the message catalogue: English message ids, translations loaded from po/. */
#ifndef SEAWALL_I18N_H
#define SEAWALL_I18N_H

#include <stddef.h>

/* Loads dir/\*.po. Returns SW_OK, or another code with err set. */
int sw_i18n_load(const char *dir, char *err, size_t errlen);

/* The translation of msgid in lang; msgid itself for en, unknown languages or missing
 * entries. Valid forever. */
const char *sw_tr(const char *lang, const char *msgid) __attribute__((format_arg(2)));

const char *sw_trn(const char *lang, const char *msgid, const char *plural, unsigned long n)
    __attribute__((format_arg(2))) __attribute__((format_arg(3)));

/* Marks a string for extraction without translating it where it is. */
#define SW_N(s) (s)

/* "en" or "zh-CN" for an Accept-Language value. */
const char *sw_lang_negotiate(const char *accept_language);

/* The language of the request this thread is answering. */
void sw_i18n_set_thread_lang(const char *lang);
const char *sw_i18n_thread_lang(void);

#endif
