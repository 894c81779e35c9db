/* test_atom.c — the bulletins' Atom feed is well-formed Atom whatever the bulletins hold, and
 * the public coverage reason never repeats the poller's stored text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "seawall/atom.h"
#include "seawall/feedreg.h"

static const struct sw_atom_feed feed = {
    .id = "http://portal.example/api/v1/bulletins.atom",
    .title = "Seawall early-warning bulletins",
    .self = "http://portal.example/api/v1/bulletins.atom",
    .alternate = "http://portal.example/bulletins",
    .fallback_updated = "2026-12-01T00:00:00Z",
};

/* Parses doc strictly (no recovery, no network, no entities); NULL when not well-formed. */
static xmlDocPtr parse(const char *doc, size_t len)
{
    return xmlReadMemory(doc, (int)len, "feed.atom", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                       XML_PARSE_NOWARNING);
}

/* The text of the first element named name under node (depth first), or NULL. */
static xmlNodePtr find(xmlNodePtr node, const char *name)
{
    for (; node != NULL; node = node->next) {
        xmlNodePtr in;

        if (node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0)
            return node;
        if ((in = find(node->children, name)) != NULL)
            return in;
    }
    return NULL;
}

static int count(xmlNodePtr node, const char *name)
{
    int n = 0;

    for (; node != NULL; node = node->next) {
        if (node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0)
            n++;
        n += count(node->children, name);
    }
    return n;
}

static void hostile_text_stays_well_formed(void **state)
{
    json_t *items = json_pack(
        "[{s:i, s:s, s:s, s:s, s:s, s:s, s:s}, {s:i, s:s, s:s, s:s, s:s, s:s, s:s}]",
        "id", 7, "title", "Tom & Jerry <script>alert(1)</script> \"quoted\" 'single'",
        "country", "US", "severity", "high", "published_at", "2026-11-30T08:00:00Z",
        "text", "bad\x01" "control]]> and CDATA end, 预警 \xef\xbf\xbf",
        "url", "javascript:alert(1)",
        "id", 6, "title", "Older", "country", "DE", "severity", "low",
        "published_at", "2026-11-29T08:00:00Z", "text", "plain",
        "url", "https://example.org/notice?a=1&b=2");
    struct sw_buf out;
    xmlDocPtr doc;
    xmlNodePtr root, n;
    xmlChar *v;

    sw_buf_init(&out, 1 << 20);
    assert_int_equal(sw_atom_bulletins(&out, &feed, items, "http://portal.example"), SW_OK);
    doc = parse(out.p, out.len);
    assert_non_null(doc);
    root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "feed");
    assert_string_equal((const char *)root->ns->href, "http://www.w3.org/2005/Atom");
    assert_int_equal(count(root->children, "entry"), 2);
    /* The feed is as new as its newest bulletin. */
    v = xmlNodeGetContent(find(root->children, "updated"));
    assert_string_equal((const char *)v, "2026-11-30T08:00:00Z");
    xmlFree(v);
    /* The title comes back exactly, markup as text. */
    n = find(find(root->children, "entry")->children, "title");
    v = xmlNodeGetContent(n);
    assert_string_equal((const char *)v,
                        "Tom & Jerry <script>alert(1)</script> \"quoted\" 'single'");
    xmlFree(v);
    assert_null(find(root->children, "script"));
    /* Only http(s) links are offered as related; the second entry's keeps its query. */
    assert_null(strstr(out.p, "javascript:"));
    assert_non_null(strstr(out.p, "href=\"https://example.org/notice?a=1&amp;b=2\""));
    assert_non_null(strstr(out.p, "<id>urn:seawall:bulletin:7</id>"));
    assert_non_null(strstr(out.p, "href=\"http://portal.example/bulletins/7\""));
    assert_non_null(strstr(out.p, "<category scheme=\"urn:seawall:severity\" term=\"high\"/>"));
    xmlFreeDoc(doc);
    sw_buf_free(&out);
    json_decref(items);
}

static void empty_feed_is_valid(void **state)
{
    json_t *items = json_array();
    struct sw_buf out;
    xmlDocPtr doc;
    xmlChar *v;

    sw_buf_init(&out, 1 << 16);
    assert_int_equal(sw_atom_bulletins(&out, &feed, items, "http://portal.example"), SW_OK);
    doc = parse(out.p, out.len);
    assert_non_null(doc);
    assert_int_equal(count(xmlDocGetRootElement(doc)->children, "entry"), 0);
    v = xmlNodeGetContent(find(xmlDocGetRootElement(doc)->children, "updated"));
    assert_string_equal((const char *)v, feed.fallback_updated);
    xmlFree(v);
    /* Atom needs an author for entries without one: the feed names one. */
    assert_non_null(find(xmlDocGetRootElement(doc)->children, "author"));
    xmlFreeDoc(doc);
    sw_buf_free(&out);
    json_decref(items);
}

static void ceiling_reported(void **state)
{
    json_t *items = json_pack("[{s:i, s:s, s:s, s:s, s:s, s:s}]", "id", 1, "title", "t",
                              "country", "US", "severity", "low", "published_at",
                              "2026-11-30T08:00:00Z", "text", "a long enough text");
    struct sw_buf out;

    sw_buf_init(&out, 300);
    assert_int_equal(sw_atom_bulletins(&out, &feed, items, "http://portal.example"), SW_TOOBIG);
    assert_true(out.len <= 300);
    sw_buf_free(&out);
    json_decref(items);
}

static void public_reason_is_a_fixed_phrase(void **state)
{
    static const struct { long long http; const char *stored, *expect; } cases[] = {
        { 0, NULL, NULL },
        { 200, "", NULL },
        { 503, "HTTP 503; the server asks for a retry after 30 s",
          "the source asked to be polled later" },
        { 500, "HTTP 500", "the source answered with an error" },
        { 410, "HTTP 410 Gone on 2026-11-30T08:00:00Z: the server says this feed no longer exists",
          "the source says the feed no longer exists" },
        { 0, "Couldn't connect to server (Failed to connect to feeds.example port 443 after 3 ms: "
             "Connection refused)", "the source could not be reached" },
        { 0, "Couldn't resolve host name (Could not resolve host: secret-host.internal)",
          "the source's host name could not be resolved" },
        { 0, "Timeout was reached (Operation timed out after 8000 milliseconds)",
          "the source did not answer in time" },
        { 0, "refused to connect to 10.0.0.5 (private address): not allowed for fetches",
          "the source's address is not allowed" },
        { 301, "cannot follow the redirect to https://x.example/feed?token=s3cret",
          "a redirect could not be followed" },
        { 200, "the document could not be read: line 3: unexpected end",
          "the document could not be read" },
        { 200, "the body is larger than 262144 bytes (after decompression)",
          "the document was too large" },
        { 0, "something nobody foresaw at https://user:pw@host/", "the poll failed" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = sw_feedreg_public_reason(cases[i].http, cases[i].stored);

        if (cases[i].expect == NULL) {
            assert_null(got);
            continue;
        }
        assert_non_null(got);
        assert_string_equal(got, cases[i].expect);
        assert_null(strstr(got, "http"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_text_stays_well_formed),
        cmocka_unit_test(empty_feed_is_valid),
        cmocka_unit_test(ceiling_reported),
        cmocka_unit_test(public_reason_is_a_fixed_phrase),
    };
    return cmocka_run_group_tests_name("atom", tests, NULL, NULL);
}
