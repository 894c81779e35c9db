/* normalise.h — texts into the keys matching compares: Unicode NFKC case fold, punctuation,
 * symbols and spacing folded, legal forms dropped from company names, non-Latin text
 * transliterated to Latin (ICU "Any-Latin; Latin-ASCII": 华为 → huawei), visual look-alikes
 * folded through ICU's UTS #39 confusable skeletons (taken before transliteration and before
 * symbols could turn into letters), and a phonetic key for sound-alikes. Plain ASCII takes a
 * fast path that gives the same keys without ICU. Thread-safe (ICU transliterators are kept
 * per thread). */
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
    int translit;              /* 1 when the text was not Latin and was transliterated */
};

/* Computes the keys of text (UTF-8). For SW_NORM_NAME, legal forms (Co., Ltd., GmbH, S.A.,
 * 有限公司, 株式会社, 주식회사 …, from the table in lib/legal_forms.c) are dropped first.
 * Returns SW_OK, or SW_INVALID for invalid UTF-8 or an empty result. */
int sw_normalise(const char *text, enum sw_norm_kind kind, struct sw_keys *out);

/* The four keys sw_similarity reads, by pointer: the index keeps them packed in one block per
 * item and compares without copying. The strings must outlive the call. */
struct sw_keyref {
    const char *exact, *visual, *phonetic, *bare;
};

/* How alike two marks or names are, from 0 to 1: 1 for the same exact key; otherwise the best
 * of edit similarity on the exact, visual and bare keys, and agreement of phonetic keys.
 * why (at least 32 bytes) names the comparison that gave the score. */
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

/* Levenshtein distance of two ASCII keys, stopping early past max (returns max + 1). */
int sw_edit_distance(const char *a, const char *b, int max);

#endif
