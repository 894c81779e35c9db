/* me.c — GET /api/v1/me: who the token says the caller is, with their account. */
#include "seawall/accounts.h"
#include "seawall/store.h"
#include "api.h"

void sw_h_me(struct sw_ctx *c)
{
    const struct sw_kind *k = NULL;
    json_t *me, *doc = NULL;
    int rc;

    switch (c->who.role) {
    case SW_ROLE_EXPORTER: k = &sw_kind_subscriber; break;
    case SW_ROLE_TRIAGER:
    case SW_ROLE_EXPERT: k = &sw_kind_staff; break;
    case SW_ROLE_STATION: k = &sw_kind_station; break;
    default: break;
    }
    if (k != NULL) {
        rc = sw_doc_get(c->store, k, c->who.subject, &doc);
        if (rc != SW_OK && rc != SW_NOTFOUND) {
            sw_reply_store(c, rc, "loading the caller's account");
            return;
        }
    }
    me = json_pack("{s:s, s:{s:s, s:s}}", "role", sw_role_name(c->who.role), "token", "id",
                   c->who.token_id, "label", c->who.label);
    if (c->who.role != SW_ROLE_ADMIN)
        json_object_set_new(me, k ? k->name : "subject", json_integer(c->who.subject));
    if (c->who.centre != 0)
        json_object_set_new(me, "centre", json_integer(c->who.centre));
    json_object_set_new(me, "account", doc != NULL ? doc : json_null());
    sw_reply_json(c, 200, me);
}
