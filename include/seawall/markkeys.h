/* markkeys.h — the keys a mark is filed under and the keys a mark text probes, shared by the
 * matcher's portfolio index (lib/matchidx.c) and the register's screening index
 * (lib/regidx.c), so both find the same candidates for sw_similarity to verify.
 *
 * A mark is filed under its exact key ('E'), its look-alike key ('V'), its phonetic key ('P',
 * when it has two consonants or more and the exact key four letters or more), its key without
 * generic words ('B', when that differs), and its deletion neighbourhood ('D': the key itself
 * and its one-letter deletions from DEL1_MIN to DEL1_MAX letters, its two-letter deletions
 * from DEL2_MIN to DEL2_MAX: two strings within two edits share a string made from each by at
 * most two deletions). A text probes the same tags, its deletions for keys one or two letters
 * longer than those filed. */
#ifndef SEAWALL_MARKKEYS_H
#define SEAWALL_MARKKEYS_H

#include <stddef.h>
#include <stdint.h>

#include "seawall/normalise.h"

#define SW_DEL1_MIN 4       /* keys this long or longer file their deletions */
#define SW_DEL1_MAX 24
#define SW_DEL2_MIN 8       /* ... and their two-letter deletions: two edits */
#define SW_DEL2_MAX 14      /* only score as similar from eight letters up */

/* Called once per key (NUL-terminated, valid only during the call); a key may come twice
 * (two deletions giving one string). A non-zero return is or-ed into the caller's result. */
typedef int (*sw_key_fn)(void *ud, char tag, const char *key);

/* The 64-bit hash both indexes file a (tag, key) under; never 0. */
uint64_t sw_key_hash(char tag, const char *key, size_t n);

/* Calls fn for every key a mark with these keys is filed under. Returns the or of fn's
 * returns. */
int sw_mark_file_keys(const struct sw_keyref *k, sw_key_fn fn, void *ud);

/* Calls fn for every key a mark text with keys k probes to find the marks filed by
 * sw_mark_file_keys that could be similar to it. Returns the or of fn's returns. */
int sw_mark_probe_keys(const struct sw_keyref *k, sw_key_fn fn, void *ud);

#endif
