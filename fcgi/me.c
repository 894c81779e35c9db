/* me.c — GET /api/v1/me: who the token says the caller is, with their account. */
#include "seawall/accounts.h"
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
    sw_reply_json(c, 200, me);
}
