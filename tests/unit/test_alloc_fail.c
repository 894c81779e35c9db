/* test_alloc_fail.c — a feed parse with its allocations failing one at a time: each ends in a
 * clean result (an error, or fewer events), never a crash; under AddressSanitizer a leak fails
 * the program at exit.
 *
 * Seawall's own allocations are wrapped at link time (-Wl,--wrap=malloc,… in the Makefile);
 * libxml2's and jansson's go through counting allocators given to xmlMemSetup and
 * json_set_alloc_funcs. (ICU and libical allocate on their own and are not failed here.) A
 * real file of each format from ../shared/feeds is parsed once to count its allocations, then
 * again with allocation k failing, for every k (one in n past 600 allocations).
 *
 * The CM/ECF documents all declare ISO-8859-1, which Seawall reads as windows-1252 through
 * libxml2's iconv encoding handler; when one of libxml2's own allocations fails while it
 * switches to that handler, libxml2 2.9 loses the handler and its iconv descriptors (seen
 * with LeakSanitizer: the leaked objects come from iconv_open inside libxml2, with no Seawall
 * frame). For that format only Seawall's allocations fail, not libxml2's.
 *
 * The same for HTML pages: when one of libxml2's own allocations fails inside htmlReadMemory,
 * libxml2 2.9.14's HTML parser never returns (htmlParseDocument spins in xmlNextChar; found by
 * this test). For HTML pages too only Seawall's allocations fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>

#include "seawall/feed.h"

#define TRIES_MAX 600

static long countdown = -1;    /* allocations left before one fails; -1: none fails */
static long made;              /* allocations asked for since the last reset */
static int lib_may_fail = 1;   /* 0: libxml2's and jansson's allocations are counted, not failed */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static int fails(void)
{
    made++;
    return countdown >= 0 && countdown-- == 0;
}

void *__wrap_malloc(size_t n)
{
    return fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fails() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return fails() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return fails() ? NULL : __real_strndup(s, n);
}

static int lib_fails(void)
{
    if (lib_may_fail)
        return fails();
    made++;
    if (countdown == 0)
        countdown = 1;   /* the next one of Seawall's own fails instead */
    else if (countdown > 0)
        countdown--;
    return 0;
}

static void *lib_malloc(size_t n)
{
    return lib_fails() ? NULL : __real_malloc(n);
}

static void *lib_realloc(void *p, size_t n)
{
    return lib_fails() ? NULL : __real_realloc(p, n);
}

static char *lib_strdup(const char *s)
{
    return lib_fails() ? NULL : __real_strdup(s);
}

static int drop(void *ud, json_t *ev)
{
    (*(size_t *)ud)++;
    json_decref(ev);
    return 0;
}

static char *slurp(const char *rel, size_t *len)
{
    const char *root = getenv("SEAWALL_SOURCE_ROOT");
    char path[1024];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "%s/%s", root ? root : ".", rel);
    f = fopen(path, "rb");
    if (f == NULL) {
        print_error("cannot open %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = __real_malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Parses rel once to count, then with each allocation failing in turn; html is the HTML
 * source's expressions (format html), else NULL. */
static void fail_each_html(const char *rel, enum sw_feed_format format, const json_t *html)
{
    struct sw_feed_opts o = { .html = html, .base_url = "http://www.example.gov.cn/col/i.html" };
    struct sw_feed_result res;
    size_t len = 0, events = 0;
    char *buf = slurp(rel, &len);
    long total, k, step;
    int rc;

    assert_non_null(buf);
    o.format = format;
    made = 0;
    countdown = -1;
    rc = sw_feed_parse_buffer(buf, len, &o, drop, &events, &res);
    total = made;
    assert_int_equal(rc, SW_OK);
    assert_true(events > 0);
    assert_true(total > 0);
    step = total > TRIES_MAX ? total / TRIES_MAX : 1;
    print_message("%s: %ld allocations, one in %ld failed in turn\n", rel, total, step);
    for (k = 0; k < total; k += step) {
        events = 0;
        made = 0;
        countdown = k;
        rc = sw_feed_parse_buffer(buf, len, &o, drop, &events, &res);
        countdown = -1;
        if (rc != SW_OK && rc != SW_ERR && rc != SW_INVALID && rc != SW_TOOBIG)
            fail_msg("%s: allocation %ld failing gave %d", rel, k, rc);
    }
    free(buf);
}

static void fail_each(const char *rel, enum sw_feed_format format)
{
    fail_each_html(rel, format, NULL);
}

static void rss(void **state) { fail_each("../shared/feeds/generic-rss-atom/miniflux-small_atom.xml", SW_FEED_RSS); }
static void cmecf(void **state)
{
    lib_may_fail = 0;   /* see the top of the file */
    fail_each("../shared/feeds/pacer-rss/mdb_1.xml", SW_FEED_CMECF);
    lib_may_fail = 1;
}
static void uspto_tm(void **state) { fail_each("../shared/feeds/uspto-trademark-daily/annual-2025-full-tx-60146682.xml", SW_FEED_USPTO_TM); }
static void uspto_patent(void **state) { fail_each("../shared/feeds/uspto-patent-fulltext/patentprocessor-2012_1.xml", SW_FEED_USPTO_PATENT); }
static void st66(void **state) { fail_each("../shared/feeds/uspto-tsdr-st66-st96/sn76044902-ST66.xml", SW_FEED_ST66); }
static void st96(void **state) { fail_each("../shared/feeds/uspto-tsdr-st66-st96/sn76044902-ST96.xml", SW_FEED_ST96); }
static void euipo(void **state) { fail_each("../shared/feeds/euipo-tm-xml/018222714.xml", SW_FEED_EUIPO); }
static void ical(void **state) { fail_each("../shared/feeds/icalendar/issue_350.ics", SW_FEED_ICAL); }
static void json_feed(void **state) { fail_each("demo/feeds/customs-notices.json", SW_FEED_JSON); }
static void rss_lenient(void **state) { fail_each("tests/fuzz/corpus/feed-rss/lenient-entities.xml", SW_FEED_RSS); }
static void html_page(void **state)
{
    json_t *html;

    countdown = -1;
    html = json_pack("{s:s, s:s, s:s, s:s}", "item", "//table[@class='notices']//tr[td]",
                     "title", "td[2]/a", "link", "td[2]/a/@href", "date", "td[3]");
    assert_non_null(html);
    lib_may_fail = 0;   /* see the top of the file */
    fail_each_html("tests/fuzz/corpus/feed-html/notices-table.html", SW_FEED_HTML, html);
    lib_may_fail = 1;
    json_decref(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rss),       cmocka_unit_test(cmecf), cmocka_unit_test(uspto_tm),
        cmocka_unit_test(uspto_patent), cmocka_unit_test(st66), cmocka_unit_test(st96),
        cmocka_unit_test(euipo),     cmocka_unit_test(ical),  cmocka_unit_test(json_feed),
        cmocka_unit_test(rss_lenient), cmocka_unit_test(html_page),
    };

    if (getenv("ALLOC_FAIL_ONLY") != NULL)   /* one format, to find what a leak belongs to */
        cmocka_set_test_filter(getenv("ALLOC_FAIL_ONLY"));
    xmlMemSetup(free, lib_malloc, lib_realloc, lib_strdup);
    json_set_alloc_funcs(lib_malloc, free);
    return cmocka_run_group_tests_name("alloc_fail", tests, NULL, NULL);
}
