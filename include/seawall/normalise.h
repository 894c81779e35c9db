/* normalise.h — texts into the keys matching compares: Unicode NFKC case fold, punctuation,
 * symbols and spacing folded, legal forms dropped from company names, non-Latin text
 * transliterated to Latin (ICU "Any-Latin; Latin-ASCII": 华为 → huawei), visual look-alikes
 * folded through ICU's UTS #39 confusable skeletons (taken before transliteration and before
 * symbols could turn into letters), and a phonetic key for sound-alikes. Company names are
 * also parsed into place, trade name (字号), industry and legal form, in either script, and
 * compared by their trade names (lib/company.c). Plain ASCII takes a fast path that gives
 * the same keys without ICU. Thread-safe (ICU transliterators are kept per thread). */
#ifndef SEAWALL_NORMALISE_H
#define SEAWALL_NORMALISE_H

#include "seawall/common.h"

#define SW_KEY_MAX 256
#define SW_MATCH_THRESHOLD 0.85   /* default alert threshold for similar marks and names */

enum sw_norm_kind { SW_NORM_MARK, SW_NORM_NAME, SW_NORM_TEXT };

struct sw_keys {
    char exact[SW_KEY_MAX];    /* letters and digits, Latin, lower case: "huaweitechnologies" */
    char visual[SW_KEY_MAX];   /* the exact key of the confusable skeleton, look-alikes merged */
    char phonetic[SW_KEY_MAX]; /* consonant skeleton of exact: "kwik" and "quick" agree */
    char words[SW_KEY_MAX];    /* exact's words, one space between: "huawei technologies" */
    char bare[SW_KEY_MAX];     /* exact without generic words (PRO, MAX, TECH …) */
    char name[SW_KEY_MAX];     /* SW_NORM_NAME: the name's parts, packed (sw_name_parts reads
                                * them); "" for marks, texts and names with no trade name */
    int translit;              /* 1 when the text was not Latin and was transliterated */
};

/* Computes the keys of text (UTF-8). For SW_NORM_NAME, legal forms (Co., Ltd., GmbH, S.A.,
 * 有限公司, 株式会社, 주식회사 …, from the table in lib/legal_forms.c) are dropped first,
 * and the name is parsed into its parts (name). Returns SW_OK, or SW_INVALID for invalid
 * UTF-8 or an empty result. */
int sw_normalise(const char *text, enum sw_norm_kind kind, struct sw_keys *out);

/* The keys sw_similarity reads, by pointer: the index keeps them packed in one block per
 * item and compares without copying. The strings must outlive the call; name is NULL (or "")
 * for a mark. */
struct sw_keyref {
    const char *exact, *visual, *phonetic, *bare, *name;
};

/* How alike two marks or names are, from 0 to 1: 1 for the same exact key; otherwise, for
 * marks, the best of edit similarity on the exact, visual and bare keys, and agreement of
 * phonetic keys (a phonetic key of two or three consonants counts only with the vowels
 * agreeing too: too short to tell marks apart on its own). Two company names (both with a
 * name key) are the same company by the same look-alike key (0.97) or the same trade name
 * whose industries and places do not contradict (0.95); another trade name is another
 * company, however alike the rest. why (at least 32 bytes) names the comparison that gave
 * the score. */
double sw_similarity(const struct sw_keys *a, const struct sw_keys *b, char *why, size_t whylen);
double sw_similarity_ref(const struct sw_keyref *a, const struct sw_keyref *b, char *why,
                         size_t whylen);

/* The letters and digits of text after NFKC case folding, as UTF-8 with nothing between them:
 * "華為 手機" → "華為手機". Keywords in scripts written without spaces (Chinese, Japanese,
 * Korean with particles attached) are found in a text by these characters, not by words.
 * Returns SW_OK when the result holds a character outside ASCII, SW_INVALID otherwise (plain
 * Latin text, invalid UTF-8, nothing left). */
int sw_fold_chars(const char *text, char *out, size_t outlen);

/* Text as inbox search compares it (alerts' ?q=): NFKC case fold (so "ＡＣＭＥ", "Acme" and
 * "ACME" agree, and so do "Straße" and "STRASSE"), letters, digits and combining marks kept,
 * every run of anything else one space, no space at either end; scripts written without
 * spaces (Chinese, Japanese) stay as they are, so a substring search finds their words. Bytes
 * that are not UTF-8 read as U+FFFD. Appends to out; when out's ceiling is reached, appends
 * what fits, cut between characters, and returns SW_TOOBIG. SW_OK, or SW_ERR (no memory, no
 * ICU). */
struct sw_buf;
int sw_fold_search(const char *text, size_t len, struct sw_buf *out);

/* A company name's parts, read from its packed name key (struct sw_keys.name). */
#define SW_NAME_INDUSTRIES_MAX 8
struct sw_name_parts {
    char trade[64];            /* the trade name (字号) in Latin letters run together:
                                * "wannianqing"; a place when the name has none of its own */
    char han[64];              /* the trade name as written in Chinese, or "" */
    char provinces[128];       /* province-level places named or implied, space-separated */
    char cities[128];          /* cities and districts named, space-separated */
    const char *industries[SW_NAME_INDUSTRIES_MAX];   /* "cement", "electric" (static) */
    size_t nindustries;
    int trade_is_place;        /* 上海电气, "Bank of China": the place stands for it */
    int listing_marker;        /* ST, *ST before the name */
};

/* Reads the parts of a packed name key. SW_OK, or SW_INVALID for "" or a damaged key. */
int sw_name_parts(const char *packed, struct sw_name_parts *out);

/* An alias of a portfolio name that names no industry (or no place) of its own takes the
 * name's: the alias "GREE" of 珠海格力电器股份有限公司 stands for the Gree of electric
 * appliances in Zhuhai, not for Gree Real Estate. alias and name are packed name keys;
 * alias (n bytes) is rewritten. SW_OK, SW_INVALID for an empty key, SW_TOOBIG. */
int sw_name_inherit(char *alias, size_t n, const char *name);

/* The key a company name is filed under wherever names must meet by one string (the fairs'
 * party index, the matching index): its trade name in Latin letters ("wannianqing" for
 * 江西万年青水泥股份有限公司 and "Jiangxi Wannianqing Cement Co., Ltd." alike). Names with
 * one key are compared with sw_similarity to tell companies apart. SW_OK, SW_INVALID when
 * the name has no letters or digits, SW_TOOBIG when out is too small. */
int sw_name_key(const char *name, char *out, size_t outlen);

/* Levenshtein distance of two ASCII keys, stopping early past max (returns max + 1). */
int sw_edit_distance(const char *a, const char *b, int max);

#endif
