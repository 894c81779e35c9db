/* fuzz_csv.c — libFuzzer target: a portfolio import uploaded as CSV, read into items, each
 * item then checked as the import checks it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../fcgi/api.h"
#include "seawall/portfolio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sw_verrs errs;
    json_t *items, *it;
    size_t i;
    char prefix[32];

    sw_verrs_init(&errs);
    items = sw_portfolio_csv_items((const char *)data, size, &errs);
    json_array_foreach(items, i, it) {
        snprintf(prefix, sizeof(prefix), "/rows/%zu", i + 2);
        sw_portfolio_check(it, prefix, 0, &errs);
    }
    json_decref(items);
    sw_verrs_free(&errs);
    return 0;
}
