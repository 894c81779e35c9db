/* i18n.h — the message catalogue: gettext .po files read at start (one per language, the
 * English text is the msgid), translation by language, plural forms, Accept-Language
 * negotiation and the language of the request a thread is answering.
 *
 * Loading happens once, before any thread starts; afterwards every function here only reads
 * and may be called from any thread. Every string these functions return stays valid until
 * sw_i18n_free (which only tests and exiting programs call). */
#ifndef SEAWALL_I18N_H
#define SEAWALL_I18N_H

#include <stddef.h>

#include "seawall/common.h"

#ifdef __GNUC__
#define SW_FORMAT_ARG(i) __attribute__((format_arg(i)))
#else
#define SW_FORMAT_ARG(i)
#endif

#define SW_LANG_EN    "en"
#define SW_LANG_ZH_CN "zh-CN"

/* Marks a string for extraction (make po) without translating it where it stands: tables of
 * texts that are translated later, where the reader's language is known. */
#define SW_N(s) (s)

/* Loads every dir/<lang>.po (and requires one for each language sw_lang_negotiate can
 * choose). Replaces what an earlier call loaded. Returns SW_OK, or SW_ERR with err saying
 * which file and line and why ("/srv/po/zh-CN.po:120: unknown escape \q"). Not thread-safe:
 * call it before threads start. */
int sw_i18n_load(const char *dir, char *err, size_t errlen);

/* Forgets the catalogue; every string sw_tr and friends returned becomes invalid. */
void sw_i18n_free(void);

/* msgid in language lang ("en", "zh-CN"): its translation, or msgid itself for English, a
 * NULL or unknown language, or a message the catalogue does not translate. format_arg lets
 * the compiler check a translated printf format against its arguments. */
const char *sw_tr(const char *lang, const char *msgid) SW_FORMAT_ARG(2);

/* As sw_tr, the form for the count n: English uses msgid for 1 and plural otherwise; other
 * languages follow their catalogue's Plural-Forms (zh-CN has one form). */
const char *sw_trn(const char *lang, const char *msgid, const char *plural, unsigned long n)
    SW_FORMAT_ARG(2) SW_FORMAT_ARG(3);

/* As sw_tr, for a msgid that has a context (msgctxt) telling apart two uses of one text. */
const char *sw_trc(const char *lang, const char *ctxt, const char *msgid) SW_FORMAT_ARG(3);

/* As sw_tr into this thread's language (sw_i18n_thread_lang): for library code that words a
 * message for whoever the thread is answering (validation, URL checks). */
const char *sw_t(const char *msgid) SW_FORMAT_ARG(1);

/* 1 when lang's catalogue translates msgid (English: always); for checks that a text a person
 * reads did not bypass the catalogue. */
int sw_tr_known(const char *lang, const char *ctxt, const char *msgid);

/* The language to answer in for an Accept-Language header (RFC 9110 §12.5.4; may be NULL):
 * "en" or "zh-CN", whichever has the higher q-value. zh, zh-Hans, zh-CN, zh-SG (and longer
 * tags under them) choose zh-CN; zh-Hant, zh-TW, zh-HK and zh-MO do not. Malformed elements
 * are skipped; with nothing usable the answer is "en". */
const char *sw_lang_negotiate(const char *accept_language);

/* The canonical spelling of a language Seawall speaks ("en", "zh-CN") for tag compared
 * without regard to case, or NULL: for validating a stored preference. */
const char *sw_lang_canonical(const char *tag);

/* The language of the request this thread is answering (sw_dispatch sets it first, from
 * Accept-Language; a signed-in person's own language replaces it). An unknown lang sets
 * "en". sw_i18n_thread_lang never returns NULL (a fresh thread says "en"). */
void sw_i18n_set_thread_lang(const char *lang);
const char *sw_i18n_thread_lang(void);

/* --- the .po reader, for the admin program's checks and the tests ------------------------ */

#define SW_PO_FORMS_MAX 6          /* msgstr[0] .. msgstr[5] */

#define SW_PO_FUZZY          0x01
#define SW_PO_C_FORMAT       0x02  /* c-format or possible-c-format */
#define SW_PO_NO_C_FORMAT    0x04
#define SW_PO_JS_FORMAT      0x08  /* javascript-format */

struct sw_po_entry {
    const char *ctxt;              /* NULL when the entry has no msgctxt */
    const char *msgid;             /* "" for the header */
    const char *plural;            /* msgid_plural, or NULL */
    const char *msgstr[SW_PO_FORMS_MAX];   /* msgstr, or msgstr[0..nforms-1] */
    int nforms;
    unsigned flags;
    int line;                      /* the line of msgid (1-based) */
    const char *comments;          /* "#." and "#:" lines joined by '\n' ("" when none) */
};

/* Parses len bytes of .po text (no NUL inside). Calls each(ud, e) for every entry in file
 * order, the header included, obsolete (#~) entries skipped; e and its strings are valid only
 * during the call. each returning non-zero stops the parse with that value. Returns SW_OK,
 * each's value, or SW_INVALID with err "<name>:<line>: <why>". Strings are limited to 64 KiB,
 * files to 16 MiB and 100,000 entries. */
int sw_po_parse(const char *buf, size_t len, const char *name,
                int (*each)(void *ud, const struct sw_po_entry *e), void *ud,
                char *err, size_t errlen);

/* Reads the whole file at path (at most 16 MiB) and parses it as sw_po_parse does. */
int sw_po_parse_file(const char *path, int (*each)(void *ud, const struct sw_po_entry *e),
                     void *ud, char *err, size_t errlen);

/* The printf conversions of fmt as a signature, one type per argument in argument order
 * (positional %2$s counted where it points): "lld,s,zu". Returns SW_OK, or SW_INVALID with
 * why in sig when fmt is no valid format for a translation (%n, mixed positional and plain
 * conversions, an argument skipped or given two types, a broken directive). */
int sw_format_signature(const char *fmt, char *sig, size_t siglen);

/* The {name} placeholders of a portal string, sorted and joined by ',' ("count,name"). */
void sw_placeholders(const char *text, char *out, size_t outlen);

#endif
