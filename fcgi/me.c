/* me.c — GET /api/v1/me: who the token or session says the caller is, with their account
 * and, for a person, the person. */
#include "seawall/accounts.h"
#include "seawall/people.h"
#include "api.h"

void sw_h_me(struct sw_ctx *c)
{
    const struct sw_kind *k = sw_auth_account_kind(c->who.role);
    const char *kind = k != NULL ? k->name : NULL;
    json_t *me;

    /* The account came with the token (SW_RT_ACCOUNT): one round trip for the whole answer. */
    me = json_pack("{s:s, s:{s:s, s:s, s:o}}", "role", sw_role_name(c->who.role), "token", "id",
                   c->who.token_id, "label", c->who.label, "expires_at",
                   c->who.expires_at[0] ? json_string(c->who.expires_at) : json_null());
    if (c->who.role != SW_ROLE_ADMIN)
        json_object_set_new(me, kind ? kind : "subject", json_integer(c->who.subject));
    if (c->who.centre != 0)
        json_object_set_new(me, "centre", json_integer(c->who.centre));
    json_object_set(me, "account", c->account != NULL ? c->account : json_null());
    if (c->who.via_session)
        json_object_set_new(me, "token", json_null());
    if (c->who.person > 0) {
        json_t *doc;
        int rc = sw_person_get(c->store, c->who.person, &doc);

        if (rc == SW_EAGAIN) {
            json_decref(me);
            sw_reply_store(c, rc, "loading the person");
            return;
        }
        json_object_set_new(me, "person", rc == SW_OK ? sw_person_public(doc) : json_null());
        json_decref(doc);
    } else {
        json_object_set_new(me, "person", json_null());
    }
    sw_reply_json(c, 200, me);
}
