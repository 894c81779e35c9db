/* fuzz_match.c — libFuzzer target: an event (JSON) through the matching index, which holds a
 * few subscribers with items of every kind; each alert is written as JSON text and must parse
 * back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "seawall/buf.h"
#include "seawall/matchidx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sw_mindex *ix;

static const char *const items[] = {
    "{\"id\":1,\"kind\":\"mark\",\"text\":\"SILVERSTONE\",\"classes\":[9]}",
    "{\"id\":2,\"kind\":\"mark\",\"text\":\"NIKE\"}",
    ("{\"id\":3,\"kind\":\"name\",\"text\":\"Shenzhen Bright Audio Co., Ltd.\","
     "\"aliases\":[\"深圳明亮音响有限公司\"]}"),
    "{\"id\":4,\"kind\":\"patent\",\"number\":\"US 9,123,456\",\"normalised\":\"US9123456\"}",
    "{\"id\":5,\"kind\":\"keyword\",\"text\":\"bluetooth speaker\"}",
    "{\"id\":6,\"kind\":\"keyword\",\"text\":\"手机\"}",
    "{\"id\":7,\"kind\":\"show\",\"show\":\"ifa-berlin-2026\"}",
    "{\"id\":8,\"kind\":\"mark\",\"text\":\"华为\",\"countries\":[\"CN\",\"DE\"]}",
};

static void check(void *ud, const struct sw_match *m)
{
    struct sw_buf b;
    json_t *back;

    (void)ud;
    sw_buf_init(&b, 1 << 24);
    if (sw_buf_add(&b, "{", 1) == SW_OK && sw_match_json_members(m, &b) == SW_OK &&
        sw_buf_add(&b, "}", 1) == SW_OK) {
        back = json_loads(b.p, 0, NULL);
        if (back == NULL)
            abort();   /* the text the matcher stores must be JSON */
        json_decref(back);
    }
    sw_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *ev;
    size_t i;

    if (ix == NULL) {
        json_t *p = json_loads("{\"markets\":[\"US\",\"CN\",\"EM\"]}", 0, NULL);

        ix = sw_mindex_new();
        for (i = 1; i <= 3; i++) {
            size_t k;

            sw_mindex_subscriber(ix, (long long)i, p);
            for (k = 0; k < sizeof(items) / sizeof(items[0]); k++) {
                json_t *it = json_loads(items[k], 0, NULL);

                sw_mindex_put(ix, (long long)i, it);
                json_decref(it);
            }
        }
        json_decref(p);
    }
    ev = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (json_is_object(ev))
        sw_mindex_match(ix, ev, check, NULL);
    json_decref(ev);
    return 0;
}
