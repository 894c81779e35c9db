/* test_html_source.c — web pages without feeds (format html): listing pages in the shapes real
 * sites use, read with their XPath expressions; links resolved, Chinese and numeric dates,
 * encodings (GBK pages), a page that no longer matches its expressions as an error, and the
 * check of the expressions at registration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/buf.h"
#include "seawall/feed.h"

#define PAGE_URL "http://www.example.gov.cn/col/col1234/index.html"

static int collect(void *ud, json_t *ev)
{
    json_array_append_new(ud, ev);
    return 0;
}

/* Parses page with the expressions in spec (JSON text); charset as from HTTP, may be NULL. */
static int read_page(const char *page, size_t len, const char *spec, const char *charset,
                     struct sw_feed_result *res, json_t **events)
{
    json_t *html = json_loads(spec, 0, NULL);
    struct sw_feed_opts o = { .format = SW_FEED_HTML, .html = html, .base_url = PAGE_URL,
                              .charset = charset, .item_type = "bulletin", .source = "feed:7" };
    int rc;

    assert_non_null(html);
    *events = json_array();
    rc = sw_feed_parse_buffer(page, len, &o, collect, *events, res);
    json_decref(html);
    return rc;
}

static int reads(const char *page, const char *spec, struct sw_feed_result *res,
                 json_t **events)
{
    return read_page(page, strlen(page), spec, NULL, res, events);
}

static const char *field(json_t *events, size_t i, const char *name)
{
    return json_string_value(json_object_get(json_array_get(events, i), name));
}

/* A 政府网站-style list: <ul><li><a href>title</a><span>date</span></li>. */
static const char gov_list[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>通知公告</title></head><body>"
    "<div class=\"nav\"><ul><li><a href=\"/\">首页</a></li></ul></div>"
    "<ul class=\"list\">\n"
    "<li><a href=\"/art/2024/3/5/art_1234_1.html\" title=\"关于开展2024年知识产权保护专项行动的通知\">"
    "关于开展2024年知识产权保护专项…</a><span class=\"date\">2024-03-05</span></li>\n"
    "<li><a href=\"art_1234_2.html\"> 关于展会知识产权纠纷处理的公告 </a>"
    "<span class=\"date\">[2024/3/1]</span></li>\n"
    "<li><a href=\"../../zcfg/3.html\">海关查扣侵权货物情况通报</a>"
    "<span class=\"date\">2024年2月28日</span></li>\n"
    "<li><a href=\"https://www.other.gov.cn/n/4.html\">外部链接</a>"
    "<span class=\"date\">2024年02月08日</span></li>\n"
    "</ul></body></html>";

static const char gov_spec[] =
    "{\"item\": \"//ul[@class='list']/li\", \"title\": \"a/@title | a[not(@title)]\","
    " \"link\": \"a/@href\", \"date\": \"span[@class='date']\"}";

static void government_list_page(void **state)
{
    struct sw_feed_result res;
    json_t *ev;

    assert_int_equal(reads(gov_list, gov_spec, &res, &ev), SW_OK);
    assert_int_equal(json_array_size(ev), 4);
    assert_int_equal(res.format, SW_FEED_HTML);
    assert_int_equal(res.records, 4);
    assert_int_equal(res.warnings, 0);
    assert_string_equal(field(ev, 0, "title"), "关于开展2024年知识产权保护专项行动的通知");
    assert_string_equal(field(ev, 0, "url"),
                        "http://www.example.gov.cn/art/2024/3/5/art_1234_1.html");
    assert_string_equal(field(ev, 0, "date"), "2024-03-05");
    assert_string_equal(field(ev, 0, "type"), "bulletin");
    assert_string_equal(field(ev, 0, "source"), "feed:7");
    assert_string_equal(field(ev, 1, "title"), "关于展会知识产权纠纷处理的公告");
    assert_string_equal(field(ev, 1, "url"),
                        "http://www.example.gov.cn/col/col1234/art_1234_2.html");
    assert_string_equal(field(ev, 1, "date"), "2024-03-01");
    assert_string_equal(field(ev, 2, "url"), "http://www.example.gov.cn/zcfg/3.html");
    assert_string_equal(field(ev, 2, "date"), "2024-02-28");
    assert_string_equal(field(ev, 3, "url"), "https://www.other.gov.cn/n/4.html");
    assert_string_equal(field(ev, 3, "date"), "2024-02-08");
    json_decref(ev);
}

/* The id comes from the link alone: a notice whose title was corrected keeps its id. */
static void id_from_the_link(void **state)
{
    const char *a = "<ul class=\"list\"><li><a href=\"n/1.html\">Old title</a><span "
                    "class=\"date\">2024-03-05</span></li></ul>";
    const char *b = "<ul class=\"list\"><li><a href=\"n/1.html\">New title</a><span "
                    "class=\"date\">2024-03-06</span></li><li><a href=\"n/1.html\">Again</a>"
                    "<span class=\"date\">2024-03-06</span></li></ul>";
    struct sw_feed_result res;
    json_t *e1, *e2;

    assert_int_equal(reads(a, gov_spec, &res, &e1), SW_OK);
    assert_int_equal(reads(b, gov_spec, &res, &e2), SW_OK);
    assert_string_equal(field(e1, 0, "id"), field(e2, 0, "id"));
    assert_int_equal(json_array_size(e2), 1);   /* the same notice listed twice: once */
    assert_int_equal(res.records, 2);
    json_decref(e1);
    json_decref(e2);
}

/* A table of notices, with a pattern date format and a summary column; the header row has no
 * cells and is not an item. A <base href> is what relative links resolve against. */
static void table_of_notices(void **state)
{
    const char *page =
        "<html><head><base href=\"/notices/\"></head><body><table class=\"notices\">"
        "<tr><th>编号</th><th>标题</th><th>日期</th><th>摘要</th></tr>"
        "<tr><td>1</td><td><a href=\"2024/17.html\">关于“BRIGHTSOUND”商标侵权的公告</a></td>"
        "<td>2024年03月05日</td><td>涉嫌侵犯注册商标专用权的蓝牙音箱 400 台</td></tr>"
        "<tr><td>2</td><td><a href=\"2024/18.html\">关于展品撤展的通知</a></td>"
        "<td>发布时间：２０２４年３月６日</td><td></td></tr>"
        "</table></body></html>";
    const char *spec =
        "{\"item\": \"//table[@class='notices']//tr[td]\", \"title\": \"td[2]/a\","
        " \"link\": \"td[2]/a/@href\", \"date\": \"td[3]\", \"date_format\": \"%Y年%m月%d日\","
        " \"summary\": \"td[4]\"}";
    struct sw_feed_result res;
    json_t *ev;

    assert_int_equal(reads(page, spec, &res, &ev), SW_OK);
    assert_int_equal(json_array_size(ev), 2);
    assert_string_equal(field(ev, 0, "url"), "http://www.example.gov.cn/notices/2024/17.html");
    assert_string_equal(field(ev, 0, "date"), "2024-03-05");
    assert_string_equal(field(ev, 0, "text"), "涉嫌侵犯注册商标专用权的蓝牙音箱 400 台");
    assert_string_equal(field(ev, 1, "date"), "2024-03-06");   /* full-width digits */
    assert_null(field(ev, 1, "text"));
    json_decref(ev);
}

/* Dates as pages write them, by the default (auto), named formats and patterns; a date that
 * is no calendar day is kept as written, with a warning. */
static void dates_as_pages_write_them(void **state)
{
    static const struct { const char *text, *format, *want; } cases[] = {
        { "2024年3月5日", NULL, "2024-03-05" },
        { "2024年03月05日", NULL, "2024-03-05" },
        { "2024 年 3 月 5 日", NULL, "2024-03-05" },
        { "2024-03-05", NULL, "2024-03-05" },
        { "2024/3/5", NULL, "2024-03-05" },
        { "[2024-03-05]", NULL, "2024-03-05" },
        { "发布日期：2024-03-05 10:30", NULL, "2024-03-05" },
        { "Tue, 05 Mar 2024 08:00:00 GMT", NULL, "2024-03-05T08:00:00Z" },
        { "05.03.2024", "dmy", "2024-03-05" },
        { "03/05/2024", "mdy", "2024-03-05" },
        { "5 March 2024", "%d %b %Y", "2024-03-05" },
        { "(2024.3.5)", "(%Y.%m.%d)", "2024-03-05" },
        { "2024年3月5日", "%Y年%m月%d日", "2024-03-05" },
    };
    char page[512], spec[256];
    struct sw_feed_result res;
    json_t *ev;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(page, sizeof(page), "<ul><li><a href=\"/a\">t</a><i>%s</i></li></ul>",
                 cases[i].text);
        snprintf(spec, sizeof(spec), "{\"item\": \"//li\", \"title\": \"a\", \"link\": "
                 "\"a/@href\", \"date\": \"i\"%s%s%s}", cases[i].format ? ", \"date_format\": \""
                 : "", cases[i].format ? cases[i].format : "", cases[i].format ? "\"" : "");
        assert_int_equal(reads(page, spec, &res, &ev), SW_OK);
        if (field(ev, 0, "date") == NULL || strcmp(field(ev, 0, "date"), cases[i].want) != 0)
            fail_msg("\"%s\" (%s): got %s", cases[i].text, cases[i].format ? cases[i].format
                     : "auto", field(ev, 0, "date") ? field(ev, 0, "date") : "nothing");
        json_decref(ev);
    }
    /* One item with a day that does not exist, one with a good date: the page is read. */
    assert_int_equal(reads("<ul><li><a href=\"/a\">a</a><i>2024-02-30</i></li>"
                           "<li><a href=\"/b\">b</a><i>2024-02-29</i></li></ul>",
                           "{\"item\": \"//li\", \"title\": \"a\", \"link\": \"a/@href\","
                           " \"date\": \"i\"}", &res, &ev), SW_OK);
    assert_null(field(ev, 0, "date"));
    assert_string_equal(field(ev, 0, "date_raw"), "2024-02-30");
    assert_string_equal(field(ev, 1, "date"), "2024-02-29");
    assert_int_equal(res.warnings, 1);
    assert_non_null(strstr(res.err, "no date in \"2024-02-30\""));
    json_decref(ev);
}

/* GBK pages: by <meta charset="gb2312"> (read as GB18030, so GBK-only characters survive),
 * by the charset HTTP gives (which wins over a wrong <meta>), and with no hint at all. */
static void gbk_pages(void **state)
{
    /* "丂通知" in GBK (0x8140 is outside GB2312) and a date. */
    const char body[] = "<ul><li><a href=\"/t.html\">\x81\x40\xcd\xa8\xd6\xaa</a>"
                        "<i>2024\xc4\xea" "3\xd4\xc2" "5\xc8\xd5</i></li></ul>";
    const char *spec = "{\"item\": \"//li\", \"title\": \"a\", \"link\": \"a/@href\","
                       " \"date\": \"i\"}";
    char page[512];
    struct sw_feed_result res;
    json_t *ev;
    int n;

    n = snprintf(page, sizeof(page), "<html><head><meta http-equiv=\"Content-Type\" "
                 "content=\"text/html; charset=gb2312\"></head><body>%s</body></html>", body);
    assert_int_equal(read_page(page, (size_t)n, spec, NULL, &res, &ev), SW_OK);
    assert_string_equal(field(ev, 0, "title"), "丂通知");
    assert_string_equal(field(ev, 0, "date"), "2024-03-05");
    json_decref(ev);

    n = snprintf(page, sizeof(page), "<html><head><meta charset=\"utf-8\"></head><body>%s"
                 "</body></html>", body);
    assert_int_equal(read_page(page, (size_t)n, spec, "GBK", &res, &ev), SW_OK);
    assert_string_equal(field(ev, 0, "title"), "丂通知");
    json_decref(ev);

    /* No hint: the bytes are not UTF-8; ICU's detector names GB18030 for this much text. */
    n = snprintf(page, sizeof(page), "<html><body>%s%s%s</body></html>", body, body, body);
    assert_int_equal(read_page(page, (size_t)n, spec, NULL, &res, &ev), SW_OK);
    assert_string_equal(field(ev, 0, "title"), "丂通知");
    json_decref(ev);
}

/* A page its expressions no longer match is an error that names the expression: no item, no
 * item with a title and a link, no date that can be read. Never zero items quietly. */
static void page_that_no_longer_matches(void **state)
{
    const char *redesigned = "<div class=\"news-list\"><div class=\"row\"><a href=\"/x\">"
                             "通知</a><em>2024-03-05</em></div></div>";
    const char *no_links = "<ul class=\"list\"><li><b>通知</b><span class=\"date\">2024-03-05"
                           "</span></li></ul>";
    const char *no_dates = "<ul class=\"list\"><li><a href=\"/a\">通知</a><span class=\"date\">"
                           "三月五日</span></li></ul>";
    const char *some_bad = "<ul class=\"list\"><li><a href=\"/a\">好</a><span class=\"date\">"
                           "2024-03-05</span></li><li><a>无链接</a><span class=\"date\">"
                           "2024-03-05</span></li><li><a href=\"javascript:void(0)\">脚本</a>"
                           "<span class=\"date\">2024-03-05</span></li></ul>";
    struct sw_feed_result res;
    json_t *ev;

    assert_int_equal(reads(redesigned, gov_spec, &res, &ev), SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    assert_string_equal(res.err, "the page no longer matches its item expression "
                                 "\"//ul[@class='list']/li\": no element found");
    json_decref(ev);

    assert_int_equal(reads(no_links, gov_spec, &res, &ev), SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    assert_non_null(strstr(res.err, "the page no longer matches its expressions: none of its 1 "
                                    "items has both a title"));
    json_decref(ev);

    assert_int_equal(reads(no_dates, gov_spec, &res, &ev), SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    assert_non_null(strstr(res.err, "the page no longer matches its date expression "
                                    "\"span[@class='date']\" (format auto): none of its 1 items "
                                    "has a date it can read; the first: \"三月五日\""));
    json_decref(ev);

    /* Some items unusable: the rest are read, each skipped one is a warning. */
    assert_int_equal(reads(some_bad, gov_spec, &res, &ev), SW_OK);
    assert_int_equal(json_array_size(ev), 1);
    assert_int_equal(res.records, 3);
    assert_int_equal(res.warnings, 2);
    assert_non_null(strstr(res.err, "item 2 has no link"));
    json_decref(ev);
}

static void missing_or_broken_expressions(void **state)
{
    struct sw_feed_opts o = { .format = SW_FEED_HTML };
    struct sw_feed_result res;
    json_t *ev = json_array();

    assert_int_equal(sw_feed_parse_buffer(gov_list, strlen(gov_list), &o, collect, ev, &res),
                     SW_INVALID);
    assert_non_null(strstr(res.err, "format html needs the feed's html member"));
    json_decref(ev);

    /* A catalogue entry that was never checked: the parse says which member is wrong. */
    assert_int_equal(reads(gov_list, "{\"item\": \"//ul[\", \"title\": \"a\", \"link\": \"a\"}",
                           &res, &ev), SW_INVALID);
    assert_non_null(strstr(res.err, "html/item is not an XPath expression"));
    json_decref(ev);

    /* Auto never takes a page for a feed. */
    o.format = SW_FEED_AUTO;
    ev = json_array();
    assert_int_equal(sw_feed_parse_buffer(gov_list, strlen(gov_list), &o, collect, ev, &res),
                     SW_INVALID);
    assert_non_null(strstr(res.err, "unrecognised document"));
    json_decref(ev);
}

/* Limits: the event cap stops a long list cleanly; an expression that would take too many
 * XPath steps fails the page with a reason instead of running on. */
static void limits(void **state)
{
    struct sw_buf b;
    json_t *html = json_loads("{\"item\": \"//li\", \"title\": \"a\", \"link\": \"a/@href\"}",
                              0, NULL);
    struct sw_feed_opts o = { .format = SW_FEED_HTML, .html = html, .base_url = PAGE_URL,
                              .max_events = 10 };
    struct sw_feed_result res;
    json_t *ev = json_array();
    int i;

    sw_buf_init(&b, 1 << 20);
    sw_buf_adds(&b, "<ul>");
    for (i = 0; i < 3000; i++)
        sw_buf_printf(&b, "<li><a href=\"/n/%d\">n%d</a></li>", i, i);
    sw_buf_adds(&b, "</ul>");
    assert_int_equal(sw_feed_parse_buffer(b.p, b.len, &o, collect, ev, &res), SW_TOOBIG);
    assert_int_equal(json_array_size(ev), 10);
    assert_int_equal(res.partial, 1);
    json_decref(ev);
    json_decref(html);

    html = json_loads("{\"item\": \"//li[count(//a[count(//li) > 1]) > 1]\", \"title\": \"a\","
                      " \"link\": \"a/@href\"}", 0, NULL);
    o.html = html;
    o.max_events = 0;
    ev = json_array();
    assert_int_equal(sw_feed_parse_buffer(b.p, b.len, &o, collect, ev, &res), SW_INVALID);
    assert_int_equal(json_array_size(ev), 0);
    assert_non_null(strstr(res.err, "the step limit for one page was reached"));
    json_decref(ev);
    json_decref(html);
    sw_buf_free(&b);
}

/* The check at registration: each problem named by its member. */
static void expressions_checked_at_registration(void **state)
{
    static const struct { const char *spec, *pointer, *message; } cases[] = {
        { "{\"item\": \"//ul[\", \"title\": \"a\", \"link\": \"a/@href\"}", "/html/item",
          "is not an XPath expression" },
        { "{\"item\": \"count(//li)\", \"title\": \"a\", \"link\": \"a/@href\"}", "/html/item",
          "must select elements" },
        { "{\"item\": \"//li\", \"title\": \"nosuch(a)\", \"link\": \"a/@href\"}", "/html/title",
          "cannot be evaluated: unknown function" },
        { "{\"item\": \"//li\", \"title\": \"a\", \"link\": \"$v\"}", "/html/link",
          "cannot be evaluated: undefined variable" },
        { "{\"item\": \"//li\", \"title\": \"a\", \"link\": \"a/@href\", \"date\": \"span\","
          " \"date_format\": \"%Y年\"}", "/html/date_format", "must be auto, dmy, mdy or" },
        { "{\"item\": \"//li\", \"title\": \"a\", \"link\": \"a/@href\", \"date_format\": "
          "\"dmy\"}", "/html/date_format", "needs a date expression" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *html = json_loads(cases[i].spec, 0, NULL);
        struct sw_verrs errs;
        json_t *e;

        sw_verrs_init(&errs);
        sw_feed_html_check(html, "/html", &errs);
        assert_int_equal(sw_verrs_count(&errs), 1);
        e = json_array_get(errs.list, 0);
        assert_string_equal(json_string_value(json_object_get(e, "pointer")), cases[i].pointer);
        if (strstr(json_string_value(json_object_get(e, "message")), cases[i].message) == NULL)
            fail_msg("%s: %s", cases[i].spec, json_string_value(json_object_get(e, "message")));
        sw_verrs_free(&errs);
        json_decref(html);
    }
    {
        json_t *html = json_loads(gov_spec, 0, NULL);
        struct sw_verrs errs;

        sw_verrs_init(&errs);
        sw_feed_html_check(html, "/html", &errs);
        assert_int_equal(sw_verrs_count(&errs), 0);
        sw_verrs_free(&errs);
        json_decref(html);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(government_list_page),
        cmocka_unit_test(id_from_the_link),
        cmocka_unit_test(table_of_notices),
        cmocka_unit_test(dates_as_pages_write_them),
        cmocka_unit_test(gbk_pages),
        cmocka_unit_test(page_that_no_longer_matches),
        cmocka_unit_test(missing_or_broken_expressions),
        cmocka_unit_test(limits),
        cmocka_unit_test(expressions_checked_at_registration),
    };
    return cmocka_run_group_tests_name("html_source", tests, NULL, NULL);
}
