/* fuzz_route.c — libFuzzer target: a request line as the API takes it apart. The bytes
 * before the first '?' are a path matched against every route pattern (path parameters
 * captured), the rest a query string parsed into parameters. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../fcgi/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *q, err[256];
    struct sw_req req;
    size_t i;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    q = strchr(text, '?');
    if (q != NULL)
        *q++ = '\0';
    /* What a match or the query parse captured is the request's until sw_req_free, as in the
     * API's request loop. */
    for (i = 0; i < sw_nroutes; i++) {
        memset(&req, 0, sizeof(req));
        if (sw_route_match(sw_routes[i].pattern, text, &req))
            sw_req_free(&req);
    }
    memset(&req, 0, sizeof(req));
    sw_query_parse(q != NULL ? q : "", &req, err, sizeof(err));
    sw_req_free(&req);
    free(text);
    return 0;
}
