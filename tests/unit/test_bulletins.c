/* test_bulletins.c — the bulletin document without a store (lib/bulletins.c): bodies checked
 * field by field in both text forms, merges by language, the language of plain strings,
 * documents of an older release upgraded, versions, the event each change makes, the
 * follow-up alert of a correction or withdrawal and how it reads in both languages
 * (lib/message.c), and an Atom entry updated by a change (lib/atom.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/alerts.h"
#include "seawall/atom.h"
#include "seawall/buf.h"
#include "seawall/bulletins.h"
#include "seawall/i18n.h"
#include "seawall/message.h"

static int load_catalogue(void **state)
{
    const char *root = getenv("SEAWALL_SOURCE_ROOT");
    char dir[1024], err[512];

    (void)state;
    snprintf(dir, sizeof(dir), "%s/po", root ? root : ".");
    if (sw_i18n_load(dir, err, sizeof(err)) != SW_OK) {
        fprintf(stderr, "catalogue: %s\n", err);
        return -1;
    }
    return 0;
}

static int free_catalogue(void **state)
{
    (void)state;
    sw_i18n_free();
    return 0;
}

static json_t *parse(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);

    assert_non_null(v);
    return v;
}

/* The pointers errs holds, joined with spaces, sorted as the checks add them. */
static void pointers(struct sw_verrs *errs, char *out, size_t outlen)
{
    const json_t *e;
    size_t i, n = 0;

    out[0] = '\0';
    json_array_foreach(errs->list, i, e)
        n += (size_t)snprintf(out + n, outlen - n, "%s%s", i ? " " : "",
                              json_string_value(json_object_get(e, "pointer")));
}

static void check(const char *body, enum sw_bulletin_body what, const char *want)
{
    struct sw_verrs errs;
    json_t *in = parse(body);
    char got[512];

    sw_verrs_init(&errs);
    sw_bulletin_check(in, what, &errs);
    pointers(&errs, got, sizeof(got));
    assert_string_equal(got, want);
    sw_verrs_free(&errs);
    json_decref(in);
}

static void bodies_are_checked_field_by_field(void **state)
{
    (void)state;
    check("{\"title\": {\"zh-CN\": \"标题\", \"en\": \"Title\"}, \"text\": \"x\", "
          "\"country\": \"DE\", \"severity\": \"high\"}", SW_BB_CREATE, "");
    check("{\"title\": \"t\", \"text\": \"x\", \"country\": \"EU\", \"severity\": \"low\"}",
          SW_BB_CREATE, "");
    /* Missing, empty, unknown languages, wrong types. */
    check("{}", SW_BB_CREATE, "/country /severity /title /text");
    check("{\"title\": {}, \"text\": {\"fr\": \"x\"}, \"country\": \"XX\", \"severity\": \"low\"}",
          SW_BB_CREATE, "/country /title /text/fr /text");
    check("{\"title\": {\"en\": null}, \"text\": [1], \"country\": \"US\", \"severity\": \"low\"}",
          SW_BB_CREATE, "/title/en /title /text");
    check("{\"title\": \" \", \"text\": \"x\", \"country\": \"US\", \"severity\": \"low\"}",
          SW_BB_CREATE, "/title");
    /* A draft may leave out what publishing needs. */
    check("{\"status\": \"draft\", \"title\": {\"en\": \"t\"}}", SW_BB_CREATE, "");
    check("{\"status\": \"later\"}", SW_BB_CREATE,
          "/country /severity /status /title /text");
    /* A draft's edit: null removes a language; status is not edited here. */
    check("{\"title\": {\"en\": null}, \"url\": null}", SW_BB_DRAFT, "");
    check("{\"status\": \"published\", \"note\": \"n\"}", SW_BB_DRAFT, "/status /note");
    /* A correction needs its note; a withdrawal its reason and nothing else. */
    check("{\"severity\": \"high\"}", SW_BB_CORRECTION, "/note");
    check("{\"note\": {\"zh-CN\": \"更正\"}, \"version\": 0}", SW_BB_CORRECTION, "/version");
    check("{}", SW_BB_WITHDRAWAL, "/reason");
    check("{\"reason\": \"r\", \"title\": \"t\"}", SW_BB_WITHDRAWAL, "/title");
}

static void texts_merge_by_language(void **state)
{
    json_t *doc = parse("{\"title\": {\"zh-CN\": \"旧\"}, \"country\": \"US\", \"url\": "
                        "\"https://x.example\"}");
    json_t *in = parse("{\"title\": {\"en\": \"New\"}, \"url\": null}");
    const char *got;

    (void)state;
    assert_int_equal(sw_bulletin_merge(doc, in, SW_LANG_EN), 1);
    assert_string_equal(sw_bulletin_text_in(json_object_get(doc, "title"), "en", &got), "New");
    assert_string_equal(got, "en");
    assert_string_equal(sw_bulletin_text_in(json_object_get(doc, "title"), "zh-CN", &got), "旧");
    assert_null(json_object_get(doc, "url"));
    /* The same again changes nothing. */
    json_decref(in);
    in = parse("{\"title\": {\"en\": \"New\"}, \"country\": \"US\"}");
    assert_int_equal(sw_bulletin_merge(doc, in, SW_LANG_EN), 0);
    /* A plain string goes under the language given; removing both languages removes it. */
    json_decref(in);
    in = parse("{\"text\": \"正文\"}");
    assert_int_equal(sw_bulletin_merge(doc, in, SW_LANG_ZH_CN), 1);
    assert_string_equal(sw_bulletin_text_in(json_object_get(doc, "text"), "en", &got), "正文");
    assert_string_equal(got, "zh-CN");
    json_decref(in);
    in = parse("{\"title\": {\"en\": null, \"zh-CN\": null}}");
    assert_int_equal(sw_bulletin_merge(doc, in, SW_LANG_EN), 1);
    assert_null(json_object_get(doc, "title"));
    assert_null(sw_bulletin_text_in(json_object_get(doc, "title"), "en", NULL));
    json_decref(in);
    json_decref(doc);
}

static void plain_strings_are_filed_by_their_script(void **state)
{
    json_t *in;

    (void)state;
    in = parse("{\"title\": \"美国海关\", \"text\": \"English text\"}");
    assert_string_equal(sw_bulletin_plain_lang(in), "zh-CN");
    json_decref(in);
    in = parse("{\"title\": {\"en\": \"t\"}, \"text\": \"Only Latin, é and ü\"}");
    assert_string_equal(sw_bulletin_plain_lang(in), "en");
    json_decref(in);
    in = parse("{\"note\": \"Extension B: \\ud840\\udc00\"}");   /* U+20000 */
    assert_string_equal(sw_bulletin_plain_lang(in), "zh-CN");
    json_decref(in);
    in = parse("{\"reason\": \"ソ ニ ー\"}");                   /* katakana is not Han */
    assert_string_equal(sw_bulletin_plain_lang(in), "en");
    json_decref(in);
}

static void older_documents_are_upgraded(void **state)
{
    json_t *doc = parse("{\"id\": 7, \"title\": \"海关扣押 LED\", \"text\": \"请核查。\", "
                        "\"country\": \"DE\", \"severity\": \"high\", \"published_at\": "
                        "\"2026-01-02T03:04:05Z\", \"published_by\": {\"role\": \"triager\", "
                        "\"id\": 3, \"centre\": 9}}");
    json_t *v;

    (void)state;
    sw_bulletin_upgrade(doc);
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "title"),
                                                          "zh-CN")), "海关扣押 LED");
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "text"),
                                                          "zh-CN")), "请核查。");
    assert_string_equal(json_string_value(json_object_get(doc, "status")), "published");
    assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
    assert_int_equal(json_integer_value(json_object_get(doc, "centre")), 9);
    v = sw_bulletin_version_of(doc);
    assert_int_equal(json_integer_value(json_object_get(v, "version")), 1);
    assert_string_equal(json_string_value(json_object_get(v, "at")), "2026-01-02T03:04:05Z");
    assert_null(json_object_get(v, "note"));
    assert_true(sw_bulletin_same_content(v, doc));
    json_decref(v);
    json_decref(doc);
}

/* Version 2 of bulletin 12, corrected with a note, in both languages. */
static json_t *corrected(void)
{
    return parse("{\"id\": 12, \"status\": \"published\", \"version\": 2, \"title\": "
                 "{\"zh-CN\": \"冰岛海关查验\", \"en\": \"Iceland customs checks\"}, \"text\": "
                 "{\"zh-CN\": \"中文正文\", \"en\": \"English text\"}, \"country\": \"IS\", "
                 "\"severity\": \"medium\", \"keywords\": [\"heat pumps\", \"valves\"], "
                 "\"published_at\": \"2026-12-01T00:00:00Z\", \"corrected_at\": "
                 "\"2026-12-02T00:00:00Z\", \"correction\": {\"version\": 2, \"note\": "
                 "{\"zh-CN\": \"更正范围\", \"en\": \"Scope corrected\"}, \"at\": "
                 "\"2026-12-02T00:00:00Z\", \"by\": {\"role\": \"triager\", \"id\": 1}}}");
}

static void each_change_makes_its_event(void **state)
{
    json_t *doc = corrected(), *ev;
    const char *text;

    (void)state;
    ev = sw_bulletin_event(doc, "publish", "2026-12-01T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(ev, "id")), "bulletin:12");
    json_decref(ev);
    ev = sw_bulletin_event(doc, "correction", "2026-12-02T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(ev, "id")), "bulletin:12:v2");
    assert_string_equal(json_string_value(json_object_get(ev, "type")), "bulletin");
    assert_string_equal(json_string_value(json_object_get(ev, "title")), "冰岛海关查验");
    assert_string_equal(json_string_value(json_object_get(ev, "jurisdiction")), "IS");
    assert_int_equal(json_integer_value(json_object_get(ev, "bulletin_version")), 2);
    /* Both texts, the other title and the keywords, where the keyword rule looks. */
    text = json_string_value(json_object_get(ev, "text"));
    assert_string_equal(text, "中文正文\n\nIceland customs checks\n\nEnglish text\n"
                              "Keywords: heat pumps, valves");
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "note"), "en")),
                        "Scope corrected");
    json_decref(ev);
    json_object_set_new(doc, "withdrawal", parse("{\"reason\": {\"en\": \"Revoked\"}}"));
    ev = sw_bulletin_event(doc, "withdrawal", "2026-12-03T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(ev, "id")), "bulletin:12:withdrawn");
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "reason"), "en")),
                        "Revoked");
    assert_null(json_object_get(ev, "note"));
    json_decref(ev);
    json_decref(doc);
}

static void a_followup_reads_in_each_language(void **state)
{
    json_t *doc = corrected(), *ev = sw_bulletin_event(doc, "correction", "2026-12-02T00:00:00Z");
    json_t *a = sw_bulletin_followup(ev, 42, "al_00000000000000000000000000000001"), *loc;
    struct sw_buf b;
    char id[40];

    (void)state;
    sw_alert_id(42, "bulletin:12:v2", id, sizeof(id));
    assert_string_equal(json_string_value(json_object_get(a, "id")), id);
    assert_string_equal(json_string_value(json_object_get(a, "rule")), "bulletin-corrected");
    assert_string_equal(json_string_value(json_object_get(a, "follows")),
                        "al_00000000000000000000000000000001");
    assert_string_equal(json_string_value(json_object_get(a, "severity")), "medium");
    assert_int_equal(json_array_size(json_object_get(a, "items")), 0);
    sw_buf_init(&b, 4096);
    sw_msg_title("zh-CN", a, &b);
    assert_string_equal(b.p, "预警公告已更正：冰岛海关查验");
    sw_buf_reset(&b);
    sw_msg_title("en", a, &b);
    assert_string_equal(b.p, "Bulletin corrected: Iceland customs checks");
    sw_buf_reset(&b);
    sw_msg_summary("zh-CN", a, &b);
    assert_non_null(strstr(b.p, "更正范围"));
    loc = sw_msg_localise("en", a);
    assert_string_equal(json_string_value(json_object_get(json_array_get(
                            json_object_get(loc, "reasons"), 0), "text")),
                        "The early-warning bulletin you were alerted to was corrected.");
    assert_non_null(strstr(json_string_value(json_object_get(loc, "summary")),
                           "Scope corrected"));
    json_decref(loc);
    json_decref(a);
    json_decref(ev);
    /* A withdrawal says so, with the reason in the reader's language. */
    json_object_set_new(doc, "withdrawal", parse("{\"reason\": {\"zh-CN\": \"已撤销\", "
                                                 "\"en\": \"Revoked\"}}"));
    ev = sw_bulletin_event(doc, "withdrawal", "2026-12-03T00:00:00Z");
    a = sw_bulletin_followup(ev, 42, "al_00000000000000000000000000000001");
    assert_string_equal(json_string_value(json_object_get(a, "rule")), "bulletin-withdrawn");
    sw_buf_reset(&b);
    sw_msg_title("zh-CN", a, &b);
    assert_string_equal(b.p, "预警公告已撤回：冰岛海关查验");
    sw_buf_reset(&b);
    sw_msg_summary("en", a, &b);
    assert_non_null(strstr(b.p, "Revoked"));
    assert_null(strstr(b.p, "已撤销"));
    sw_buf_free(&b);
    json_decref(a);
    json_decref(ev);
    json_decref(doc);
}

static void localised_for_a_reader(void **state)
{
    json_t *doc = corrected(), *loc;

    (void)state;
    json_object_del(json_object_get(doc, "text"), "en");
    loc = sw_bulletin_localise(doc, "en");
    assert_string_equal(json_string_value(json_object_get(loc, "title")),
                        "Iceland customs checks");
    assert_string_equal(json_string_value(json_object_get(loc, "lang")), "en");
    assert_string_equal(json_string_value(json_object_get(loc, "text")), "中文正文");
    assert_string_equal(json_string_value(json_object_get(json_object_get(loc, "correction"),
                                                          "note")), "Scope corrected");
    assert_int_equal(json_array_size(json_object_get(loc, "languages")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(loc, "languages"), 0)),
                        "zh-CN");
    json_decref(loc);
    json_decref(doc);
}

static void an_atom_entry_is_updated_by_a_change(void **state)
{
    static const struct sw_atom_feed feed = {
        .id = "http://portal.example/api/v1/bulletins.atom", .title = "Bulletins",
        .self = "http://portal.example/api/v1/bulletins.atom",
        .alternate = "http://portal.example/bulletins",
        .fallback_updated = "2026-12-01T00:00:00Z",
    };
    json_t *items = parse("[{\"id\": 2, \"title\": \"t2\", \"text\": \"x\", \"published_at\": "
                          "\"2026-11-01T00:00:00Z\", \"updated\": \"2026-12-05T00:00:00Z\"}, "
                          "{\"id\": 1, \"title\": \"t1\", \"text\": \"y\", \"published_at\": "
                          "\"2026-11-02T00:00:00Z\"}]");
    struct sw_buf out;

    (void)state;
    sw_buf_init(&out, 1 << 20);
    assert_int_equal(sw_atom_bulletins(&out, &feed, items, "http://portal.example"), SW_OK);
    /* The feed is as new as its latest change; each entry keeps when it was published. */
    assert_non_null(strstr(out.p, "<title>Bulletins</title>\n<updated>2026-12-05T00:00:00Z"));
    assert_non_null(strstr(out.p, "<published>2026-11-01T00:00:00Z</published>\n"
                                  "<updated>2026-12-05T00:00:00Z</updated>"));
    assert_non_null(strstr(out.p, "<published>2026-11-02T00:00:00Z</published>\n"
                                  "<updated>2026-11-02T00:00:00Z</updated>"));
    sw_buf_free(&out);
    json_decref(items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bodies_are_checked_field_by_field),
        cmocka_unit_test(texts_merge_by_language),
        cmocka_unit_test(plain_strings_are_filed_by_their_script),
        cmocka_unit_test(older_documents_are_upgraded),
        cmocka_unit_test(each_change_makes_its_event),
        cmocka_unit_test(a_followup_reads_in_each_language),
        cmocka_unit_test(localised_for_a_reader),
        cmocka_unit_test(an_atom_entry_is_updated_by_a_change),
    };

    return cmocka_run_group_tests(tests, load_catalogue, free_catalogue);
}
