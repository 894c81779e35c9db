/* regidx.h — the in-memory index of the register's marks that risk screening and back-fill
 * query (DESIGN.md "Register and screening").
 *
 * Marks are normalised (sw_normalise) and filed under the keys the matcher files portfolio
 * marks under (include/seawall/markkeys.h); a query probes the same keys and verifies every
 * candidate with sw_similarity, so a screening finds what the matcher would have alerted on.
 * The index never scans the marks.
 *
 * Compact for millions of marks: each mark's keys sit packed in one arena, its classes and
 * office in one word beside an arena offset (both arrays indexed by rid); postings are rids
 * in hash buckets laid out as one sorted array (with a one-byte key fingerprint each), built
 * in bulk. Marks added after a build go into a small delta table, searched beside it; when
 * the delta or the removed marks grow past a share of the whole, the next query (or
 * sw_regidx_build) rebuilds. Adds and removes are allowed between queries at any time.
 * Not thread-safe: one index per screener process. */
#ifndef SEAWALL_REGIDX_H
#define SEAWALL_REGIDX_H

#include <stddef.h>
#include <stdint.h>

#include "seawall/common.h"
#include "seawall/normalise.h"

#define SW_REGIDX_OFFICES 64   /* distinct office codes an index tells apart */

struct sw_regidx;

struct sw_regidx *sw_regidx_new(void);
void sw_regidx_free(struct sw_regidx *ix);   /* NULL is fine */

/* Adds mark (UTF-8) as register record rid, in Nice classes (bits 1..45; 0: none known) of
 * office (a code such as "US", "EM", "CN"; at most SW_REGIDX_OFFICES distinct ones). A rid
 * already present is replaced. SW_OK; SW_INVALID when the mark has no letters or digits, the
 * office is empty or one too many, or rid is UINT32_MAX; SW_ERR when memory ran out (the
 * index is as it was). */
int sw_regidx_add(struct sw_regidx *ix, uint32_t rid, const char *mark, uint64_t classes,
                  const char *office);

/* Takes rid out (no-op when absent). */
void sw_regidx_remove(struct sw_regidx *ix, uint32_t rid);

/* The mask of the given office codes for sw_regidx_query's offices (codes the index has never
 * seen are left out: no mark is filed under them). */
uint64_t sw_regidx_offices(const struct sw_regidx *ix, const char *const *codes, size_t n);

/* One mark a query found. */
struct sw_regidx_hit {
    uint32_t rid;
    double score;              /* sw_similarity, 0 to 1 */
    const char *key;           /* the key that matched: "exact", "visual", "phonetic",
                                * "bare" or "deletion" (static) */
    char why[40];              /* sw_similarity's reason: "identical", "sound-alike", … */
};

/* Finds the marks similar to text (normalised as kind: SW_NORM_MARK, or SW_NORM_NAME for a
 * company name, which is compared as a mark and also by its trade name) at or above
 * threshold, in classes (0: any) and offices (a mask from sw_regidx_offices; 0: any). The
 * best max are written to hits, highest score first (then lowest rid), their number to
 * *nhits, and the number found in all to *total (NULL to skip). May first rebuild the index
 * (see above). SW_OK; SW_INVALID when text has no letters or digits; SW_ERR when memory ran
 * out (nothing written). */
int sw_regidx_query(struct sw_regidx *ix, const char *text, enum sw_norm_kind kind,
                    uint64_t classes, uint64_t offices, double threshold,
                    struct sw_regidx_hit *hits, size_t max, size_t *nhits, size_t *total);

/* Rebuilds the postings from the marks present now (the delta folds in, removed marks'
 * postings go, the arena is compacted). SW_OK or SW_ERR (no memory; the index is as it
 * was). Bulk loads call it once after their adds. */
int sw_regidx_build(struct sw_regidx *ix);

/* Marks present, and the bytes the index holds (its arrays' capacities). */
size_t sw_regidx_count(const struct sw_regidx *ix);
size_t sw_regidx_bytes(const struct sw_regidx *ix);

/* Postings held (built and delta), for tests and the benchmark. */
size_t sw_regidx_postings(const struct sw_regidx *ix);

#endif
