/* fuzz_json.c — libFuzzer target: a request body as the API decodes it (one JSON object,
 * duplicate keys and NUL refused, depth bounded), then the checks of every resource that
 * takes one: accounts, feeds, portfolio items (new and changed), cases, deliveries and
 * webhooks, shows and incidents (a feed's html expressions too), a case's insurance policy and
 * a cost on it (amounts as decimal strings). The first byte picks the resource. */
#include <stddef.h>
#include <stdint.h>

#include "seawall/accounts.h"
#include "seawall/cases.h"
#include "seawall/delivery.h"
#include "seawall/feed.h"
#include "seawall/feedreg.h"
#include "seawall/insurance.h"
#include "seawall/json.h"
#include "seawall/portfolio.h"
#include "seawall/shows.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct sw_kind *const kinds[] = { &sw_kind_subscriber, &sw_kind_centre,
                                                    &sw_kind_staff, &sw_kind_station,
                                                    &sw_kind_feed };
    struct sw_verrs errs;
    json_t *obj = NULL;
    char err[256];
    unsigned pick;

    if (size < 1)
        return 0;
    pick = data[0] % 16;
    if (sw_json_parse_object((const char *)data + 1, size - 1, 32, &obj, err, sizeof(err)) !=
        SW_OK)
        return 0;
    sw_verrs_init(&errs);
    switch (pick) {
    case 0: case 1: case 2: case 3: case 4:
        sw_json_check(obj, kinds[pick]->fields, 0, "", &errs);
        sw_json_check(obj, kinds[pick]->fields, 1, "", &errs);
        if (pick == 4) {
            sw_feedreg_check(obj, 0, 60, NULL, &errs);
            sw_feedreg_check(obj, 1, 60, NULL, &errs);
            if (json_is_object(json_object_get(obj, "html")))   /* as the API does */
                sw_feed_html_check(json_object_get(obj, "html"), "/html", &errs);
        }
        break;
    case 5: sw_portfolio_check(obj, "", 0, &errs); break;
    case 6: sw_portfolio_check(obj, "/items/0", 1, &errs); break;
    case 7: sw_case_check(obj, &errs); break;
    case 8: sw_rights_check(json_object_get(obj, "rights"), "/rights", &errs); break;
    case 9: sw_delivery_check(obj, &errs); break;
    case 10:
        sw_webhook_check_url(obj, NULL, NULL, &errs);
        sw_webhook_check_url(obj, obj, "127.0.0.1/32", &errs);
        break;
    case 11: sw_show_check(obj, &errs); break;
    case 12: sw_incident_check(obj, 0, "", &errs); break;
    case 13: sw_incident_check(obj, 1, "/incidents/0", &errs); break;
    case 14: json_decref(sw_insurance_from(obj, &errs)); break;
    default: sw_cost_check(obj, &errs); break;
    }
    sw_verrs_free(&errs);
    json_decref(obj);
    return 0;
}
