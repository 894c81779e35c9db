/* bulletins.c — early-warning bulletins: their documents in two languages (checks, merges,
 * versions, events), their keys in the store (drafts, one script per publication, correction
 * or withdrawal), listings newest first, and who among the exporters hears of each version
 * (seawall/bulletins.h says how). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/alerts.h"
#include "seawall/buf.h"
#include "seawall/bulletins.h"
#include "seawall/feedreg.h"
#include "seawall/i18n.h"
#include "seawall/keys.h"
#include "seawall/store.h"

#define BATCH 100
#define EVENT_TEXT_MAX (256 * 1024)   /* both texts (20,000 characters each) and keywords */

static const char *const langs[] = { SW_LANG_ZH_CN, SW_LANG_EN };
static const char *const texts[] = { "title", "text" };
static const char *const content[] = { "title", "text", "country", "severity", "keywords",
                                       "url" };
static const char *const severities[] = { "low", "medium", "high", "critical", NULL };
static const char *const statuses[] = { "draft", "published", NULL };

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* --- checking a body ------------------------------------------------------------------------ */

/* Checks text member name of in: a string, or {"zh-CN": …, "en": …} with at least one of
 * them (removable: a null member removes a language, and none need remain — a draft's edit). */
static void check_text(const json_t *in, const char *name, long long max, int required,
                       int removable, struct sw_verrs *errs)
{
    const struct sw_jfield one[] = {
        { name, SW_J_STRING, SW_JF_NONEMPTY, 1, max, NULL },
        { NULL, SW_J_STRING, 0, 0, 0, NULL },
    };
    const struct sw_jfield by_lang[] = {
        { SW_LANG_ZH_CN, SW_J_STRING, SW_JF_NONEMPTY, 1, max, NULL },
        { SW_LANG_EN, SW_J_STRING, SW_JF_NONEMPTY, 1, max, NULL },
        { NULL, SW_J_STRING, 0, 0, 0, NULL },
    };
    const json_t *v = json_object_get(in, name);
    const char *k;
    json_t *x, *w;
    char ptr[64], lp[96];
    size_t n = 0;

    snprintf(ptr, sizeof(ptr), "/%s", name);
    if (v == NULL) {
        if (required)
            sw_verrs_add(errs, ptr, "is required");
        return;
    }
    if (json_is_null(v)) {
        sw_verrs_add(errs, ptr, "may not be null");
        return;
    }
    if (json_is_string(v)) {
        w = json_pack("{s:O}", name, v);
        sw_json_check(w, one, 1, "", errs);
        json_decref(w);
        return;
    }
    if (!json_is_object(v)) {
        sw_verrs_add(errs, ptr, "must be a string, or an object with the text in zh-CN and en");
        return;
    }
    sw_json_check(v, by_lang, 1, ptr, errs);
    json_object_foreach((json_t *)v, k, x) {
        int known = strcmp(k, SW_LANG_ZH_CN) == 0 || strcmp(k, SW_LANG_EN) == 0;

        if (json_is_string(x) && known)
            n++;
        else if (json_is_null(x) && !removable && known) {
            snprintf(lp, sizeof(lp), "%s/%.10s", ptr, k);
            sw_verrs_add(errs, lp, "may not be null");
        }
    }
    if (n == 0 && !removable)
        sw_verrs_add(errs, ptr, "needs the text in zh-CN or en (both are best)");
}

size_t sw_bulletin_check(const json_t *in, enum sw_bulletin_body what, struct sw_verrs *errs)
{
    static const struct sw_jfield create[] = {
        { "country", SW_J_STRING, SW_JF_REQUIRED | SW_JF_COUNTRY | SW_JF_EM | SW_JF_EU, 2, 2,
          NULL },
        { "keywords", SW_J_STRINGS, 0, 0, 50, NULL },
        { "severity", SW_J_STRING, SW_JF_REQUIRED, 1, 16, severities },
        { "url", SW_J_STRING, 0, 1, 2000, NULL },
        { "status", SW_J_STRING, 0, 1, 16, statuses },
        { NULL, SW_J_STRING, 0, 0, 0, NULL },
    };
    static const struct sw_jfield correction[] = {
        { "country", SW_J_STRING, SW_JF_REQUIRED | SW_JF_COUNTRY | SW_JF_EM | SW_JF_EU, 2, 2,
          NULL },
        { "keywords", SW_J_STRINGS, 0, 0, 50, NULL },
        { "severity", SW_J_STRING, SW_JF_REQUIRED, 1, 16, severities },
        { "url", SW_J_STRING, 0, 1, 2000, NULL },
        { "version", SW_J_INT, 0, 1, SW_BULLETIN_VERSIONS_MAX, NULL },
        { NULL, SW_J_STRING, 0, 0, 0, NULL },
    };
    static const struct sw_jfield none[] = { { NULL, SW_J_STRING, 0, 0, 0, NULL } };
    size_t before = sw_verrs_count(errs);
    int draft = strcmp(str(in, "status") ?: "", "draft") == 0;
    const struct sw_jfield *spec;
    json_t *plain = json_copy((json_t *)in);
    size_t i;

    if (plain == NULL) {
        sw_verrs_add(errs, "", "could not be read (out of memory)");
        return 1;
    }
    for (i = 0; i < SW_ARRAY_LEN(texts); i++)
        json_object_del(plain, texts[i]);
    json_object_del(plain, "note");
    json_object_del(plain, "reason");
    spec = what == SW_BB_CREATE ? create : what == SW_BB_WITHDRAWAL ? none
           : what == SW_BB_CORRECTION ? correction : create;
    /* A draft's edit takes every field but status (publishing is its own request). */
    if (what == SW_BB_DRAFT && json_object_get(plain, "status") != NULL)
        sw_verrs_add(errs, "/status", "is changed by publishing (POST …/publish), not here");
    if (what == SW_BB_DRAFT)
        json_object_del(plain, "status");
    sw_json_check(plain, spec, what != SW_BB_CREATE || draft, "", errs);
    json_decref(plain);
    switch (what) {
    case SW_BB_CREATE:
        check_text(in, "title", SW_BULLETIN_TITLE_MAX, !draft, 0, errs);
        check_text(in, "text", SW_BULLETIN_TEXT_MAX, !draft, 0, errs);
        break;
    case SW_BB_DRAFT:
    case SW_BB_CORRECTION:
        check_text(in, "title", SW_BULLETIN_TITLE_MAX, 0, 1, errs);
        check_text(in, "text", SW_BULLETIN_TEXT_MAX, 0, 1, errs);
        if (what == SW_BB_CORRECTION)
            check_text(in, "note", SW_BULLETIN_NOTE_MAX, 1, 0, errs);
        else if (json_object_get(in, "note") != NULL)
            sw_verrs_add(errs, "/note", "unknown field");
        if (json_object_get(in, "reason") != NULL)
            sw_verrs_add(errs, "/reason", "unknown field");
        break;
    case SW_BB_WITHDRAWAL:
        for (i = 0; i < SW_ARRAY_LEN(texts); i++)
            if (json_object_get(in, texts[i]) != NULL)
                sw_verrs_add(errs, texts[i][1] == 'i' ? "/title" : "/text", "unknown field");
        if (json_object_get(in, "note") != NULL)
            sw_verrs_add(errs, "/note", "unknown field");
        check_text(in, "reason", SW_BULLETIN_NOTE_MAX, 1, 0, errs);
        break;
    }
    if (what == SW_BB_CREATE &&
        (json_object_get(in, "note") != NULL || json_object_get(in, "reason") != NULL))
        sw_verrs_add(errs, json_object_get(in, "note") ? "/note" : "/reason", "unknown field");
    return sw_verrs_count(errs) - before;
}

/* 1 when v holds a text in some language. */
static int has_text(const json_t *v)
{
    return sw_bulletin_text_in(v, SW_LANG_EN, NULL) != NULL;
}

size_t sw_bulletin_check_complete(const json_t *doc, struct sw_verrs *errs)
{
    size_t before = sw_verrs_count(errs);

    if (!has_text(json_object_get(doc, "title")))
        sw_verrs_add(errs, "/title", "is required to publish (in zh-CN or en)");
    if (!has_text(json_object_get(doc, "text")))
        sw_verrs_add(errs, "/text", "is required to publish (in zh-CN or en)");
    if (str(doc, "country") == NULL)
        sw_verrs_add(errs, "/country", "is required to publish");
    if (str(doc, "severity") == NULL)
        sw_verrs_add(errs, "/severity", "is required to publish");
    return sw_verrs_count(errs) - before;
}

/* --- texts in two languages ---------------------------------------------------------------- */

json_t *sw_bulletin_texts(const json_t *v, const char *lang)
{
    const char *k;
    json_t *out, *x;

    if (json_is_string(v))
        return json_pack("{s:O}", lang != NULL && strcmp(lang, SW_LANG_ZH_CN) == 0
                                      ? SW_LANG_ZH_CN : SW_LANG_EN, v);
    if (!json_is_object(v))
        return NULL;
    out = json_object();
    json_object_foreach((json_t *)v, k, x)
        if (json_is_string(x))
            json_object_set(out, k, x);
    return out;
}

const char *sw_bulletin_text_in(const json_t *v, const char *lang, const char **got)
{
    const char *want = lang != NULL && strcmp(lang, SW_LANG_ZH_CN) == 0 ? SW_LANG_ZH_CN
                                                                          : SW_LANG_EN;
    const char *other = want == langs[0] ? langs[1] : langs[0];
    const char *s;

    if (got != NULL)
        *got = NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if ((s = str(v, want)) != NULL) {
        if (got != NULL)
            *got = want;
        return s;
    }
    if ((s = str(v, other)) != NULL && got != NULL)
        *got = other;
    return s;
}

int sw_bulletin_merge(json_t *doc, const json_t *in, const char *lang)
{
    json_t *before = json_object(), *v, *cur, *x;
    const char *k;
    size_t i;
    int changed;

    for (i = 0; i < SW_ARRAY_LEN(content); i++)
        if ((v = json_object_get(doc, content[i])) != NULL)
            json_object_set_new(before, content[i], json_deep_copy(v));
    for (i = 0; i < SW_ARRAY_LEN(content); i++) {
        v = json_object_get(in, content[i]);
        if (v == NULL)
            continue;
        if (i >= SW_ARRAY_LEN(texts)) {   /* a plain field: replaced, or removed by null */
            if (json_is_null(v))
                json_object_del(doc, content[i]);
            else
                json_object_set(doc, content[i], v);
            continue;
        }
        cur = json_object_get(doc, content[i]);
        if (!json_is_object(cur)) {
            cur = json_object();
            json_object_set_new(doc, content[i], cur);
        }
        if (json_is_string(v)) {
            json_object_set(cur, lang != NULL && strcmp(lang, SW_LANG_ZH_CN) == 0
                                     ? SW_LANG_ZH_CN : SW_LANG_EN, v);
        } else {
            json_object_foreach((json_t *)v, k, x) {
                if (json_is_null(x))
                    json_object_del(cur, k);
                else
                    json_object_set(cur, k, x);
            }
        }
        if (json_object_size(cur) == 0)
            json_object_del(doc, content[i]);
    }
    changed = !sw_bulletin_same_content(before, doc);
    json_decref(before);
    return changed;
}

int sw_bulletin_same_content(const json_t *a, const json_t *b)
{
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(content); i++) {
        const json_t *x = json_object_get(a, content[i]), *y = json_object_get(b, content[i]);

        if ((x == NULL) != (y == NULL) || (x != NULL && !json_equal((json_t *)x, (json_t *)y)))
            return 0;
    }
    return 1;
}

/* 1 when s holds a Han character (CJK ideographs and their extensions). */
static int has_han(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    while (*u != '\0') {
        unsigned cp;
        int n;

        if (*u < 0x80 || (*u & 0xC0) == 0x80) {
            u++;
            continue;
        }
        n = (*u & 0xE0) == 0xC0 ? 1 : (*u & 0xF0) == 0xE0 ? 2 : 3;
        cp = *u & (n == 1 ? 0x1F : n == 2 ? 0x0F : 0x07);
        for (u++; n > 0 && (*u & 0xC0) == 0x80; n--)
            cp = (cp << 6) | (*u++ & 0x3F);
        if ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
            (cp >= 0x20000 && cp <= 0x3FFFF))
            return 1;
    }
    return 0;
}

const char *sw_bulletin_plain_lang(const json_t *in)
{
    static const char *const order[] = { "title", "text", "note", "reason" };
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(order); i++) {
        const json_t *v = json_object_get(in, order[i]);

        if (json_is_string(v))
            return has_han(json_string_value(v)) ? SW_LANG_ZH_CN : SW_LANG_EN;
    }
    return SW_LANG_EN;
}

void sw_bulletin_upgrade(json_t *doc)
{
    const char *lang = sw_bulletin_plain_lang(doc);
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(texts); i++) {
        json_t *v = json_object_get(doc, texts[i]);

        if (json_is_string(v))
            json_object_set_new(doc, texts[i], sw_bulletin_texts(v, lang));
    }
    if (json_object_get(doc, "status") == NULL)
        json_object_set_new(doc, "status", json_string("published"));
    if (json_object_get(doc, "version") == NULL)
        json_object_set_new(doc, "version", json_integer(1));
    if (json_object_get(doc, "centre") == NULL)
        json_object_set_new(doc, "centre", json_integer(json_integer_value(json_object_get(
                                               json_object_get(doc, "published_by"), "centre"))));
    if (json_object_get(doc, "created_at") == NULL && json_object_get(doc, "published_at"))
        json_object_set(doc, "created_at", json_object_get(doc, "published_at"));
}

json_t *sw_bulletin_version_of(const json_t *doc)
{
    json_int_t v = json_integer_value(json_object_get(doc, "version"));
    const json_t *corr = json_object_get(doc, "correction");
    json_t *out = json_pack("{s:I}", "version", v);
    size_t i;

    for (i = 0; out != NULL && i < SW_ARRAY_LEN(content); i++)
        if (json_object_get(doc, content[i]) != NULL)
            json_object_set(out, content[i], json_object_get(doc, content[i]));
    if (out == NULL)
        return NULL;
    if (v > 1 && corr != NULL) {
        json_object_set(out, "at", json_object_get(corr, "at"));
        json_object_set(out, "by", json_object_get(corr, "by"));
        json_object_set(out, "note", json_object_get(corr, "note"));
    } else {
        json_object_set(out, "at", json_object_get(doc, "published_at"));
        json_object_set(out, "by", json_object_get(doc, "published_by"));
    }
    return out;
}

json_t *sw_bulletin_event(const json_t *doc, const char *change, const char *when)
{
    json_int_t id = json_integer_value(json_object_get(doc, "id"));
    json_int_t v = json_integer_value(json_object_get(doc, "version"));
    const json_t *title = json_object_get(doc, "title"), *text = json_object_get(doc, "text");
    const json_t *kw = json_object_get(doc, "keywords");
    const char *zt = str(title, SW_LANG_ZH_CN), *et = str(title, SW_LANG_EN);
    const char *zx = str(text, SW_LANG_ZH_CN), *ex = str(text, SW_LANG_EN);
    char evid[64], url[64];
    struct sw_buf body;
    json_t *ev;
    size_t i;

    if (strcmp(change, "correction") == 0)
        snprintf(evid, sizeof(evid), "bulletin:%lld:v%lld", (long long)id, (long long)v);
    else if (strcmp(change, "withdrawal") == 0)
        snprintf(evid, sizeof(evid), "bulletin:%lld:withdrawn", (long long)id);
    else
        snprintf(evid, sizeof(evid), "bulletin:%lld", (long long)id);
    snprintf(url, sizeof(url), "/api/v1/bulletins/%lld", (long long)id);
    /* Both languages where the keyword rule looks: the Chinese text, the English title (when
     * the event's title is the Chinese one) and text, then the keywords. */
    sw_buf_init(&body, EVENT_TEXT_MAX);
    if (zx != NULL)
        sw_buf_adds(&body, zx);
    if (zt != NULL && et != NULL)
        sw_buf_printf(&body, "%s%s", body.len ? "\n\n" : "", et);
    if (ex != NULL)
        sw_buf_printf(&body, "%s%s", body.len ? "\n\n" : "", ex);
    for (i = 0; i < json_array_size(kw); i++) {
        sw_buf_adds(&body, i == 0 ? "\nKeywords: " : ", ");
        sw_buf_adds(&body, json_string_value(json_array_get(kw, i)));
    }
    ev = json_pack("{s:s, s:s, s:s, s:O?, s:s, s:s, s:O, s:s, s:O?, s:I, s:I, s:s, s:s}",
                   "id", evid, "source", "bulletins", "type", "bulletin", "jurisdiction",
                   json_object_get(doc, "country"), "date", when, "title",
                   sw_bulletin_text_in(title, SW_LANG_ZH_CN, NULL) ?: "", "titles",
                   title ? title : json_null(), "text", body.p ? body.p : "", "severity",
                   json_object_get(doc, "severity"), "bulletin_id", id, "bulletin_version", v,
                   "change", change, "url", url);
    sw_buf_free(&body);
    if (ev == NULL)
        return NULL;
    if (strcmp(change, "correction") == 0)
        json_object_set(ev, "note", json_object_get(json_object_get(doc, "correction"), "note"));
    if (strcmp(change, "withdrawal") == 0)
        json_object_set(ev, "reason",
                        json_object_get(json_object_get(doc, "withdrawal"), "reason"));
    return ev;
}

json_t *sw_bulletin_localise(const json_t *doc, const char *lang)
{
    json_t *out = json_deep_copy(doc), *langs_have, *o;
    const char *got = NULL, *s;
    size_t i;

    if (out == NULL)
        return NULL;
    s = sw_bulletin_text_in(json_object_get(doc, "title"), lang, &got);
    json_object_set_new(out, "title", s ? json_string(s) : json_null());
    json_object_set_new(out, "lang", got ? json_string(got) : json_null());
    s = sw_bulletin_text_in(json_object_get(doc, "text"), got ? got : lang, NULL);
    json_object_set_new(out, "text", s ? json_string(s) : json_null());
    if ((o = json_object_get(out, "correction")) != NULL)
        json_object_set_new(o, "note", json_string(sw_bulletin_text_in(
                                json_object_get(o, "note"), lang, NULL) ?: ""));
    if ((o = json_object_get(out, "withdrawal")) != NULL)
        json_object_set_new(o, "reason", json_string(sw_bulletin_text_in(
                                json_object_get(o, "reason"), lang, NULL) ?: ""));
    langs_have = json_array();
    for (i = 0; i < SW_ARRAY_LEN(langs); i++)
        if (str(json_object_get(doc, "title"), langs[i]) != NULL &&
            str(json_object_get(doc, "text"), langs[i]) != NULL)
            json_array_append_new(langs_have, json_string(langs[i]));
    json_object_set_new(out, "languages", langs_have);
    return out;
}

/* --- the store ------------------------------------------------------------------------------- */

int sw_bulletin_next_id(struct sw_store *s, long long *id)
{
    return sw_store_incr(s, swk_bulletin_seq().s, id);
}

static json_t *load_doc(const char *p, size_t len)
{
    json_t *d = json_loadb(p, len, 0, NULL);

    if (json_is_object(d))
        sw_bulletin_upgrade(d);
    return d;
}

int sw_bulletin_get(struct sw_store *s, long long id, json_t **doc)
{
    redisReply *r;

    *doc = NULL;
    r = sw_store_cmd(s, "GET", swk_bulletin(id).s, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *doc = r->type == REDIS_REPLY_STRING ? load_doc(r->str, r->len) : NULL;
    freeReplyObject(r);
    return *doc != NULL ? SW_OK : SW_NOTFOUND;
}

/* The live version as the scripts read it: the live key, or "1" for a bulletin of an older
 * release, which has a document that is not a draft and no live key (every publication since
 * writes the live key with the document). doc and live share the slot {bulletin:N}. */
#define LUA_LIVE(live, doc)                                                                    \
    "local live = redis.call('GET', " live ") "                                                \
    "if not live then "                                                                        \
    "  local d = redis.call('GET', " doc ") "                                                  \
    "  if d then local ok, o = pcall(cjson.decode, d) "                                        \
    "    if ok and type(o) == 'table' and o.status ~= 'draft' then live = '1' end end "        \
    "end "

/* KEYS: doc, live. ARGV: doc json. */
static const char draft_lua[] =
    LUA_LIVE("KEYS[2]", "KEYS[1]")
    "if live then return 0 end "
    "redis.call('SET', KEYS[1], ARGV[1]) "
    "return 1";

/* A one-key command on key with one argument; SW_OK or SW_EAGAIN. */
static int cmd1(struct sw_store *s, const char *cmd, const char *key, const char *a1,
                const char *a2)
{
    redisReply *r = a2 != NULL ? sw_store_cmd(s, cmd, key, a1, a2, NULL)
                               : sw_store_cmd(s, cmd, key, a1, NULL);

    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_ERROR) {
        snprintf(s->errstr, sizeof(s->errstr), "%s %s: %s", cmd, key, r->str);
        freeReplyObject(r);
        return SW_EAGAIN;
    }
    freeReplyObject(r);
    return SW_OK;
}

/* Two steps: (1) the id into the drafts' index (the drafts' listing skips a document that is
 * missing or no longer a draft); (2) the document, unless the bulletin was published
 * meanwhile — then (3) the id comes out of the drafts' index again. A crash after (1) leaves
 * an index entry the listing skips, and saving again completes it. */
int sw_bulletin_save_draft(struct sw_store *s, const json_t *doc)
{
    long long id = json_integer_value(json_object_get(doc, "id")), v = 0;
    sw_key_t key = swk_bulletin(id), live = swk_bulletin_live(id);
    char idtxt[24];
    const char *keys[2], *args[1];
    char *text = sw_json_dumps(doc);
    int rc;

    if (text == NULL) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
        return SW_ERR;
    }
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    rc = cmd1(s, "ZADD", swk_bulletin_drafts().s, idtxt, idtxt);
    if (rc == SW_OK) {
        keys[0] = key.s; keys[1] = live.s;
        args[0] = text;
        rc = sw_store_eval_int(s, draft_lua, 2, keys, 1, args, &v);
    }
    free(text);
    if (rc != SW_OK)
        return rc;
    if (v == 1)
        return SW_OK;
    rc = cmd1(s, "ZREM", swk_bulletin_drafts().s, idtxt, NULL);
    return rc != SW_OK ? rc : SW_CONFLICT;
}

/* KEYS: doc, live, versions (one slot, {bulletin:N}).
 * ARGV: live expected ("" for a draft), new live, doc json, version json ("": none), versions
 * max, the version before ("": none; recorded first when the list is empty: a bulletin of an
 * older release). Returns 1 done, 0 another change came first, -1 too many versions. */
static const char commit_lua[] =
    LUA_LIVE("KEYS[2]", "KEYS[1]")
    "if (live or '') ~= ARGV[1] then return 0 end "
    "if ARGV[4] ~= '' then "
    "  local n = redis.call('LLEN', KEYS[3]) "
    "  if n == 0 and ARGV[6] ~= '' then redis.call('RPUSH', KEYS[3], ARGV[6]) n = 1 end "
    "  if n >= tonumber(ARGV[5]) then return -1 end "
    "  redis.call('RPUSH', KEYS[3], ARGV[4]) "
    "end "
    "redis.call('SET', KEYS[1], ARGV[3]) "
    "redis.call('SET', KEYS[2], ARGV[2]) "
    "return 1";

/* Step (3) of a change (see sw_bulletin_commit): out of the drafts, and its event out. */
static int announce(struct sw_store *s, long long id, const json_t *ev, long long ttl_s,
                    long long maxlen)
{
    char idtxt[24];
    int rc;

    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    rc = cmd1(s, "ZREM", swk_bulletin_drafts().s, idtxt, NULL);
    if (rc == SW_OK && sw_event_publish(s, ev, (long)ttl_s, (long)maxlen) < 0)
        rc = SW_EAGAIN;
    return rc;
}

/* Three steps, each on one slot, in an order that a crash between any two leaves safe:
 * (1) the id into the public index (ZADD; its listings show only published and withdrawn
 * documents, so a draft there is skipped); (2) the script on {bulletin:N}: the document, the
 * live key and the version list, only while before's version is still the one out; (3) the id
 * out of the drafts' index and the event published (sw_event_publish: once, however often it
 * runs). A crash after (1) leaves the draft a draft (publishing again completes it); after
 * (2), the change is made but not yet announced: a retry finds it done and the handler calls
 * sw_bulletin_announce, which does (3). */
int sw_bulletin_commit(struct sw_store *s, const json_t *before, const json_t *doc,
                       const json_t *ev, long long ttl_s, long long maxlen)
{
    long long id = json_integer_value(json_object_get(doc, "id")), v = 0;
    long long from = strcmp(str(before, "status") ?: "", "draft") == 0
                         ? 0 : json_integer_value(json_object_get(before, "version"));
    int withdrawn = strcmp(str(doc, "status") ?: "", "withdrawn") == 0;
    sw_key_t key = swk_bulletin(id), live = swk_bulletin_live(id);
    sw_key_t vkey = swk_bulletin_versions(id);
    char idtxt[24], expect[24], now_live[24], vmax[24];
    const char *keys[3], *args[6];
    json_t *ver = NULL, *prev = NULL;
    char *text = sw_json_dumps(doc), *vtext = NULL, *ptext = NULL;
    int rc = SW_ERR;

    if (!withdrawn) {
        ver = sw_bulletin_version_of(doc);
        vtext = ver != NULL ? sw_json_dumps(ver) : NULL;
        if (from >= 1) {   /* the version replaced, for a list that does not have it yet */
            prev = sw_bulletin_version_of(before);
            ptext = prev != NULL ? sw_json_dumps(prev) : NULL;
        }
    }
    if (text == NULL || str(ev, "id") == NULL || (!withdrawn && vtext == NULL) ||
        (prev != NULL && ptext == NULL)) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
        goto out;
    }
    snprintf(idtxt, sizeof(idtxt), "%lld", id);
    if (from > 0)
        snprintf(expect, sizeof(expect), "%lld", from);
    else
        expect[0] = '\0';
    if (withdrawn)
        sw_strlcpy(now_live, "withdrawn", sizeof(now_live));
    else
        snprintf(now_live, sizeof(now_live), "%lld",
                 (long long)json_integer_value(json_object_get(doc, "version")));
    snprintf(vmax, sizeof(vmax), "%d", SW_BULLETIN_VERSIONS_MAX);
    rc = cmd1(s, "ZADD", swk_bulletins_index().s, idtxt, idtxt);
    if (rc != SW_OK)
        goto out;
    keys[0] = key.s; keys[1] = live.s; keys[2] = vkey.s;
    args[0] = expect; args[1] = now_live; args[2] = text; args[3] = vtext ? vtext : "";
    args[4] = vmax; args[5] = ptext ? ptext : "";
    rc = sw_store_eval_int(s, commit_lua, 3, keys, 6, args, &v);
    if (rc == SW_OK)
        rc = v == 1 ? SW_OK : v == -1 ? SW_TOOBIG : SW_CONFLICT;
    if (rc == SW_OK)
        rc = announce(s, id, ev, ttl_s, maxlen);
out:
    free(text);
    free(vtext);
    free(ptext);
    json_decref(ver);
    json_decref(prev);
    return rc;
}

int sw_bulletin_announce(struct sw_store *s, const json_t *doc, long long ttl_s,
                         long long maxlen)
{
    const char *st = str(doc, "status") ?: "";
    long long id = json_integer_value(json_object_get(doc, "id"));
    const char *change, *when;
    json_t *ev;
    int rc;

    if (strcmp(st, "withdrawn") == 0) {
        change = "withdrawal";
        when = str(json_object_get(doc, "withdrawal"), "at") ?: str(doc, "withdrawn_at");
    } else if (strcmp(st, "published") == 0 &&
               json_integer_value(json_object_get(doc, "version")) > 1) {
        change = "correction";
        when = str(json_object_get(doc, "correction"), "at") ?: str(doc, "corrected_at");
    } else if (strcmp(st, "published") == 0) {
        change = "publish";
        when = str(doc, "published_at");
    } else {
        return SW_OK;   /* a draft: nothing is out */
    }
    ev = sw_bulletin_event(doc, change, when ?: "");
    if (ev == NULL) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
        return SW_ERR;
    }
    rc = announce(s, id, ev, ttl_s, maxlen);
    json_decref(ev);
    return rc;
}

int sw_bulletin_versions(struct sw_store *s, long long id, json_t **out)
{
    redisReply *r;
    size_t i;

    *out = NULL;
    r = sw_store_cmd(s, "LRANGE", swk_bulletin_versions(id).s, "0", "-1", NULL);
    if (r == NULL)
        return SW_EAGAIN;
    *out = json_array();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        json_t *v = json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL);

        if (v != NULL)
            json_array_append_new(*out, v);
    }
    freeReplyObject(r);
    return SW_OK;
}

/* The bulletins whose ids r (a ZREVRANGEBYSCORE reply) names, at most BATCH, one GET each in
 * one pipeline (each document has its own slot) into docs (nil for a missing one; the caller
 * frees them). Returns how many, or -1 when the connection failed. */
static int load_batch(struct sw_store *s, const redisReply *ids, redisReply **docs)
{
    sw_key_t keys[BATCH];
    const char *argv[BATCH][2], **argvs[BATCH];
    int argcs[BATCH];
    size_t i, n = ids->elements < BATCH ? ids->elements : BATCH;

    for (i = 0; i < n; i++) {
        keys[i] = swk_bulletin(strtoll(ids->element[i]->str, NULL, 10));
        argv[i][0] = "GET";
        argv[i][1] = keys[i].s;
        argvs[i] = argv[i];
        argcs[i] = 2;
    }
    if (n > 0 && sw_store_pipeline(s, (int)n, argcs, argvs, docs) != SW_OK)
        return -1;
    return (int)n;
}

int sw_bulletins_page(struct sw_store *s, int drafts, long long before, int limit,
                      sw_bulletin_keep keep, void *ud, json_t **items, long long *next)
{
    sw_key_t ikey = drafts ? swk_bulletin_drafts() : swk_bulletins_index();
    const char *index = ikey.s;
    char max[32], batch[16];
    const char *argv[7];
    json_t *out = json_array();
    long long last = 0;
    int scanned = 0, more = 0;
    redisReply *r, *docs[BATCH];
    size_t i;
    int nd, k;

    *items = NULL;
    *next = 0;
    snprintf(max, sizeof(max), before > 0 ? "(%lld" : "+inf", before);
    snprintf(batch, sizeof(batch), "%d", BATCH);
    while (json_array_size(out) < (size_t)limit && scanned < SW_BULLETINS_SCAN_MAX) {
        argv[0] = "ZREVRANGEBYSCORE"; argv[1] = index; argv[2] = max; argv[3] = "-inf";
        argv[4] = "LIMIT"; argv[5] = "0"; argv[6] = batch;
        r = sw_store_cmdv(s, 7, argv, NULL);
        if (r == NULL)
            goto gone;
        if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
            freeReplyObject(r);
            last = 0;
            break;
        }
        nd = load_batch(s, r, docs);
        if (nd < 0) {
            freeReplyObject(r);
            goto gone;
        }
        for (i = 0; i < r->elements && i < (size_t)nd && json_array_size(out) < (size_t)limit;
             i++) {
            const redisReply *d = docs[i];
            json_t *b;

            last = strtoll(r->element[i]->str, NULL, 10);
            scanned++;
            b = d->type == REDIS_REPLY_STRING ? load_doc(d->str, d->len) : NULL;
            if (b != NULL && (keep == NULL || keep(b, ud)))
                json_array_append_new(out, b);
            else
                json_decref(b);
        }
        for (k = 0; k < nd; k++)
            freeReplyObject(docs[k]);
        freeReplyObject(r);
        snprintf(max, sizeof(max), "(%lld", last);
    }
    if (last > 0) {   /* is there anything older than the last one looked at? */
        r = sw_store_cmd(s, "ZREVRANGEBYSCORE", index, max, "-inf", "LIMIT", "0", "1", NULL);
        if (r == NULL)
            goto gone;
        more = r->type == REDIS_REPLY_ARRAY && r->elements > 0;
        freeReplyObject(r);
    }
    *next = more ? last : 0;
    *items = out;
    return SW_OK;
gone:
    json_decref(out);
    return SW_EAGAIN;
}

/* --- who hears of it -------------------------------------------------------------------------- */

/* KEYS: live, doc. Answers the live version ("" for none). */
static const char live_lua[] =
    LUA_LIVE("KEYS[1]", "KEYS[2]")
    "return live or ''";

/* KEYS: live, alerted, doc (one slot). ARGV: version, subscriber, alert id. */
static const char claim_lua[] =
    LUA_LIVE("KEYS[1]", "KEYS[3]")
    "if live ~= ARGV[1] then return false end "
    "redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3]) "
    "return redis.call('HGET', KEYS[2], ARGV[2])";

int sw_bulletin_fanout_begin(struct sw_store *s, const json_t *ev,
                             struct sw_bulletin_fanout *f)
{
    sw_key_t live, doc;
    char want[24], own[40];
    const char *keys[2], *change = str(ev, "change") ?: "publish";
    redisReply *r;
    size_t i;
    int same;

    memset(f, 0, sizeof(*f));
    f->id = json_integer_value(json_object_get(ev, "bulletin_id"));
    f->version = json_integer_value(json_object_get(ev, "bulletin_version"));
    if (f->version < 1)
        f->version = 1;   /* an event of an older release: its bulletin's first version */
    f->withdrawal = strcmp(change, "withdrawal") == 0;
    f->correction = strcmp(change, "correction") == 0;
    f->event_id = str(ev, "id");
    if (f->id <= 0 || f->event_id == NULL) {
        sw_strlcpy(s->errstr, "not a bulletin's event", sizeof(s->errstr));
        return SW_ERR;
    }
    live = swk_bulletin_live(f->id);
    doc = swk_bulletin(f->id);
    keys[0] = live.s; keys[1] = doc.s;
    r = sw_store_eval(s, live_lua, 2, keys, 0, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type != REDIS_REPLY_STRING) {
        sw_strlcpy(s->errstr, r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply",
                   sizeof(s->errstr));
        freeReplyObject(r);
        return SW_ERR;
    }
    if (f->withdrawal)
        sw_strlcpy(want, "withdrawn", sizeof(want));
    else
        snprintf(want, sizeof(want), "%lld", f->version);
    same = strcmp(r->str, want) == 0;
    freeReplyObject(r);
    if (!same)
        return SW_CONFLICT;
    r = sw_store_cmd(s, "HGETALL", swk_bulletin_alerted(f->id).s, NULL);
    if (r == NULL)
        return SW_EAGAIN;
    f->followers = json_object();
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        long long sub = strtoll(r->element[i]->str, NULL, 10);

        /* Its own claims (this event, tried before) are not an earlier version's. */
        sw_alert_id(sub, f->event_id, own, sizeof(own));
        if (sub > 0 && strcmp(r->element[i + 1]->str, own) != 0)
            json_object_set_new(f->followers, r->element[i]->str,
                                json_string(r->element[i + 1]->str));
    }
    freeReplyObject(r);
    return SW_OK;
}

void sw_bulletin_fanout_free(struct sw_bulletin_fanout *f)
{
    if (f == NULL)
        return;
    json_decref(f->followers);
    f->followers = NULL;
}

int sw_bulletin_claim(struct sw_store *s, const struct sw_bulletin_fanout *f, long long sub,
                      const char *alert_id, char *first, size_t firstlen)
{
    sw_key_t live = swk_bulletin_live(f->id), alerted = swk_bulletin_alerted(f->id);
    sw_key_t doc = swk_bulletin(f->id);
    char ver[24], subtxt[24];
    const char *keys[3], *args[3];
    redisReply *r;
    int rc;

    snprintf(ver, sizeof(ver), "%lld", f->version);
    snprintf(subtxt, sizeof(subtxt), "%lld", sub);
    keys[0] = live.s; keys[1] = alerted.s; keys[2] = doc.s;
    args[0] = ver; args[1] = subtxt; args[2] = alert_id;
    r = sw_store_eval(s, claim_lua, 3, keys, 3, args);
    if (r == NULL)
        return SW_EAGAIN;
    if (r->type == REDIS_REPLY_STRING) {
        sw_strlcpy(first, r->str, firstlen);
        rc = SW_OK;
    } else if (r->type == REDIS_REPLY_NIL) {
        rc = SW_CONFLICT;
    } else {
        sw_strlcpy(s->errstr, r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply",
                   sizeof(s->errstr));
        rc = SW_ERR;
    }
    freeReplyObject(r);
    return rc;
}

json_t *sw_bulletin_followup(const json_t *ev, long long sub, const char *first)
{
    int withdrawal = strcmp(str(ev, "change") ?: "", "withdrawal") == 0;
    const char *rule = withdrawal ? "bulletin-withdrawn" : "bulletin-corrected";
    json_t *a = json_pack("{s:s, s:s, s:s, s:O, s:[{s:s, s:s, s:s}]}",
                          "severity", str(ev, "severity") ?: "low", "rule", rule, "follows",
                          first, "event", ev, "reasons", "rule", rule, "field", "bulletin",
                          "text", withdrawal
                              ? "The early-warning bulletin you were alerted to was withdrawn."
                              : "The early-warning bulletin you were alerted to was corrected.");

    if (a != NULL)
        sw_alert_stamp(a, sub, str(ev, "id"));
    return a;
}

int sw_bulletin_followup_store(struct sw_store *s, const struct sw_config *cfg, long long sub,
                               const char *first, const json_t *ev, int *stored)
{
    json_t *a = sw_bulletin_followup(ev, sub, first);
    int rc;

    *stored = 0;
    if (a == NULL) {
        sw_strlcpy(s->errstr, "out of memory", sizeof(s->errstr));
        return SW_ERR;
    }
    rc = sw_alert_store(s, cfg, sub, a, stored);
    json_decref(a);
    return rc;
}
