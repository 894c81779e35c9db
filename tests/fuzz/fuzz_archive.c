/* fuzz_archive.c — libFuzzer target: bytes read as a ZIP (or, when they start like one, a gzip
 * file) through libarchive into the feed parsers, with caps small enough that a run explores
 * their edges: entries, sizes, expansion, nesting, broken headers and data. Seeds: small
 * archives tests/fuzz/run.py makes from the real feed samples. */
#include <stddef.h>
#include <stdint.h>

#include "seawall/archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int drop(void *ud, json_t *ev)
{
    (void)ud;
    json_decref(ev);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sw_archive_limits lim = { .max_entries = 64, .max_entry_bytes = 1 << 20,
                                     .max_total_bytes = 4 << 20, .max_ratio = 200 };
    struct sw_feed_opts o = { 0 };
    struct sw_feed_result res;
    enum sw_compression comp = sw_compression_detect((const char *)data, size);

    o.format = SW_FEED_AUTO;
    o.max_events = 1000;
    o.max_bytes = 1 << 20;
    o.max_record = 1 << 18;
    o.max_depth = 64;
    o.max_expand_ms = 100;
    sw_archive_parse_buffer((const char *)data, size, comp == SW_COMP_GZIP ? comp : SW_COMP_ZIP,
                            &lim, &o, drop, NULL, &res, NULL);
    return 0;
}
