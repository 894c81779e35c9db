/* company.h — company names parsed into place, trade name, industry and legal form
 * (lib/company.c), and the ICU steps of lib/normalise.c it shares; private to lib/. */
#ifndef SEAWALL_COMPANY_H
#define SEAWALL_COMPANY_H

#include <stddef.h>

/* Parses a company name (UTF-8) into its packed key (see sw_name_parts in normalise.h for
 * what it holds), written to packed (at most n bytes, NUL-terminated). Returns SW_OK, or
 * SW_INVALID when nothing is left to call a trade name (packed is then ""). */
int sw_company_parse(const char *text, char *packed, size_t n);

/* How alike two parsed names are, from their packed keys: 0.95 for the same trade name with
 * nothing in their industries or places contradicting it, less when something does, 0 for
 * another trade name. why (at least 32 bytes) says which. Returns -1 when either key is
 * empty (the caller compares the names otherwise). */
double sw_company_similarity(const char *a, const char *b, char *why, size_t whylen);

/* 1 when both names write their trade names in Chinese, in different characters (恒力 and
 * 恒立: one sound, two companies), else 0. */
int sw_company_other_characters(const char *a, const char *b);

/* From lib/normalise.c. */

/* text (UTF-8) NFKC case-folded, symbols dropped, everything but letters and digits a
 * space, as UTF-8 in out. SW_OK, SW_INVALID (not UTF-8) or SW_ERR (no ICU). */
int sw_norm_fold(const char *text, char *out, size_t outlen);

/* Drops Chinese, Japanese and Korean legal forms (the table's) at either end of s, in
 * place. */
void sw_norm_drop_cjk_forms(char *s);

/* A run of non-Latin text (UTF-8) transliterated to lower-case ASCII words one space apart,
 * Chinese with the readings names give (长 is "chang"). SW_OK or SW_ERR. */
int sw_norm_latin(const char *utf8, size_t len, char *out, size_t outlen);

/* Chinese text (UTF-8, under 1,024 bytes) in simplified characters (華為 → 华为) into out.
 * SW_OK or SW_ERR. */
int sw_norm_simplified(const char *utf8, size_t len, char *out, size_t outlen);

#endif
