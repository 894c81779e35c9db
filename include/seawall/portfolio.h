/* portfolio.h — what an exporter watches: marks, names, patents, keywords and shows, kept
 * per subscriber (sw:{sub:N}:pf hash of item id → JSON, sw:{sub:N}:pf:ids for order), every
 * change also appended to the portfolio-changes stream so running matchers follow it. */
#ifndef SEAWALL_PORTFOLIO_H
#define SEAWALL_PORTFOLIO_H

#include <jansson.h>

#include "seawall/common.h"
#include "seawall/json.h"

struct sw_store;

#define SW_PORTFOLIO_CHANGES "portfolio-changes"
#define SW_PORTFOLIO_MAX 20000   /* items one subscriber may keep */
#define SW_KEYWORD_WORDS_MAX 8   /* words in a keyword written in Latin script */

/* Checks one item as a client sent it (kind-specific fields, unknown ones refused) and
 * completes it: a patent number is stored in its normal form ("US 8,930,553 B2" → US8930553).
 * Problems go to errs under prefix ("/items/3"). Returns the number of problems. */
size_t sw_portfolio_check(json_t *item, const char *prefix, int partial, struct sw_verrs *errs);

/* Checks that every show item among items (an array) names a fair that exists: a show no
 * calendar has would never match. Each one that does not is added to errs at its prefix (from
 * prefixes, an array beside items; NULL: "/items/<i>") + "/show". Items of other kinds, and
 * show items without a show, are left to sw_portfolio_check. One round trip. SW_OK (errs may
 * have grown), SW_EAGAIN or SW_ERR. */
int sw_portfolio_check_shows(struct sw_store *s, const json_t *items, const json_t *prefixes,
                             struct sw_verrs *errs);

/* "US 8,930,553 B2", "US8930553", "8930553" (country given or US), "USD0651376S1" →
 * "US8930553" / "USD651376". Returns SW_OK or SW_INVALID. */
int sw_patent_normalise(const char *in, const char *country, char *out, size_t outlen);

/* Stores items (an array of checked items; ids are given here) for subscriber sub in one
 * MULTI/EXEC with their change records: sw_portfolio_apply in SW_PF_ADD. Fails with
 * SW_TOOBIG past SW_PORTFOLIO_MAX. On success each item in the array has its "id". */
int sw_portfolio_put(struct sw_store *s, long long sub, json_t *items);

/* What an import does with the portfolio it meets. */
enum sw_pf_mode {
    SW_PF_ADD,       /* every row is a new item (an "id" in a row is ignored here: refuse it
                        before, as the API does) */
    SW_PF_UPSERT,    /* a row with an "id" replaces that item whole; one without is added */
    SW_PF_REPLACE,   /* as upsert, and the portfolio becomes exactly the rows: items no row
                        names are removed; a row without an id that equals such an item (all
                        members but the id, empty ones left out) is that item, kept */
};

struct sw_pf_outcome {
    size_t added, updated, unchanged;
    json_t *removed;   /* ids removed (or, in a dry run, to be), ascending; caller decrefs */
};

/* Applies an import of items (an array of checked items, changed in place: each gets its
 * "id", except the rows a dry run would add) to subscriber sub's portfolio. All or nothing:
 * the portfolio is read under WATCH and every write, with one change record per item added,
 * updated or removed on the portfolio-changes stream (so running matchers follow), goes in one
 * MULTI/EXEC, planned again when the portfolio changed meanwhile. A row equal to its item
 * (empty members aside) is left alone: no write, no change record, nothing re-indexed.
 * prefixes (may be NULL: "/items/<i>") is an array of pointers naming each row, for the row
 * problems added to errs: an id that is not in the portfolio, an id given twice. dry_run
 * plans and counts without writing. Returns SW_OK (out filled), SW_INVALID, SW_TOOBIG (the
 * result would pass SW_PORTFOLIO_MAX), SW_EAGAIN or SW_ERR. */
int sw_portfolio_apply(struct sw_store *s, long long sub, enum sw_pf_mode mode, json_t *items,
                       const json_t *prefixes, int dry_run, struct sw_pf_outcome *out,
                       struct sw_verrs *errs);

/* Replaces item id (merged with patch, re-checked by the caller). SW_NOTFOUND if absent. */
int sw_portfolio_update(struct sw_store *s, long long sub, long long id, const json_t *patch,
                        json_t **out);

int sw_portfolio_get(struct sw_store *s, long long sub, long long id, json_t **out);
int sw_portfolio_delete(struct sw_store *s, long long sub, long long id);

/* Tells running matchers that subscriber sub's profile (markets, threshold) is new or
 * changed, so they know it even before it has any item. Returns SW_OK or SW_EAGAIN. */
int sw_portfolio_profile_changed(struct sw_store *s, long long sub);

/* Items with id > after, ascending, at most limit (0: all), of kind (NULL: any). */
int sw_portfolio_list(struct sw_store *s, long long sub, long long after, int limit,
                      const char *kind, json_t **items, long long *next);

#endif
