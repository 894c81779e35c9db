/* fuzz_feed.c — libFuzzer target: a feed document through one parser (FUZZ_FORMAT, or
 * recognition from the bytes when it is SW_FEED_AUTO; an HTML page with fixed expressions),
 * with caps small enough that a run explores their edges. Built once per format by
 * `make fuzz`. */
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

/* For format html: expressions in the shapes of tests/fuzz/corpus/feed-html/ (a list of
 * links with dates, a table of notices), so that mutations reach the item code. */
static const char html_spec[] =
    "{\"item\": \"//ul[@class='list']/li | //table//tr[td]\","
    " \"title\": \"a/@title | a[not(@title)] | td[2]/a\", \"link\": \"(a | td[2]/a)/@href\","
    " \"date\": \"span | td[3]\", \"summary\": \"td[4]\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *html;
    struct sw_feed_opts o = { 0 };
    struct sw_feed_result res;

    if (html == NULL)
        html = json_loads(html_spec, 0, NULL);
    o.html = html;
    o.base_url = "http://fuzz.example/col/index.html";
    o.format = FUZZ_FORMAT;
    o.max_events = 1000;
    o.max_bytes = 1 << 20;
    o.max_record = 1 << 18;
    o.max_depth = 64;
    o.max_expand_ms = 100;    /* well inside run.py's -timeout: only a real hang fails it */
    sw_feed_parse_buffer((const char *)data, size, &o, drop, NULL, &res);
    return 0;
}
