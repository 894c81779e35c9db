/* fuzz_feed.c — libFuzzer target: a feed document through one parser (FUZZ_FORMAT, or
 * recognition from the bytes when it is SW_FEED_AUTO), with caps small enough that a run
 * explores their edges. Built once per format by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>

#include "seawall/feed.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT SW_FEED_AUTO
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int drop(void *ud, json_t *ev)
{
    (void)ud;
    json_decref(ev);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sw_feed_opts o = { 0 };
    struct sw_feed_result res;

    o.format = FUZZ_FORMAT;
    o.max_events = 1000;
    o.max_bytes = 1 << 20;
    o.max_record = 1 << 18;
    o.max_depth = 64;
    o.max_expand_ms = 100;    /* well inside run.py's -timeout: only a real hang fails it */
    sw_feed_parse_buffer((const char *)data, size, &o, drop, NULL, &res);
    return 0;
}
