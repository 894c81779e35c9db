/* test_sources.c — the source catalogue: the real one (etc/sources) reads clean and has what
 * every entry must say; a broken file is refused naming the file, the JSON pointer and the
 * reason; an entry becomes the feed document it should, and is refused when it cannot be
 * enabled as it stands (a URL to confirm, a format this build cannot read, no URL at all). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "seawall/sources.h"

static const char *root(void)
{
    const char *r = getenv("SEAWALL_SOURCE_ROOT");

    return r ? r : ".";
}

static json_t *real_catalogue(void)
{
    char dir[1024], err[600];
    json_t *cat = NULL;

    snprintf(dir, sizeof(dir), "%s/etc/sources", root());
    if (sw_sources_load(dir, &cat, err, sizeof(err)) != SW_OK)
        fail_msg("etc/sources: %s", err);
    return cat;
}

static void real_catalogue_reads_clean(void **state)
{
    json_t *cat = real_catalogue(), *e, *tm;
    size_t i;
    const char *prev = "";

    assert_true(json_array_size(cat) >= 25);
    json_array_foreach(cat, i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));

        assert_true(strcmp(prev, name) < 0);   /* sorted, so unique */
        prev = name;
        assert_non_null(json_object_get(json_object_get(e, "licence"), "terms"));
        assert_non_null(json_object_get(json_object_get(e, "coverage"), "since"));
        assert_true(json_array_size(json_object_get(e, "events")) >= 1);
        assert_true(json_is_false(json_object_get(e, "enabled_by_default")));
        assert_non_null(json_object_get(e, "file"));
    }
    tm = sw_sources_find(cat, "uspto-tm-daily-applications");
    assert_non_null(tm);
    assert_string_equal(json_string_value(json_object_get(tm, "url_template")),
                        "https://api.uspto.gov/api/v1/datasets/products/files/TRTDXFAP/"
                        "apc{yymmdd}.zip");
    assert_string_equal(json_string_value(json_object_get(tm, "compression")), "zip");
    assert_non_null(sw_sources_find(cat, "cmecf-cafc"));
    assert_non_null(sw_sources_find(cat, "usitc-337-federal-register"));
    assert_null(sw_sources_find(cat, "no-such-source"));
    json_decref(cat);
}

/* Writes files (name, text pairs ending in NULL) into a new folder, loads it, removes it;
 * returns the load's code and its error. */
static int load_files(char *err, size_t errlen, ...)
{
    char dir[512], path[700];
    const char *tmp = getenv("TMPDIR"), *name, *text;
    json_t *cat = NULL;
    va_list ap;
    int rc;

    snprintf(dir, sizeof(dir), "%s/seawall-sources-XXXXXX", tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    va_start(ap, errlen);
    while ((name = va_arg(ap, const char *)) != NULL) {
        FILE *f;

        text = va_arg(ap, const char *);
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
    }
    va_end(ap);
    err[0] = '\0';
    rc = sw_sources_load(dir, &cat, err, errlen);
    json_decref(cat);
    va_start(ap, errlen);
    while ((name = va_arg(ap, const char *)) != NULL) {
        (void)va_arg(ap, const char *);
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        unlink(path);
    }
    va_end(ap);
    rmdir(dir);
    return rc;
}

#define ENTRY(name, extra)                                                                    \
    "{\"name\": \"" name "\", \"title\": {\"en\": \"T\", \"zh-CN\": \"标题\"},"               \
    " \"publisher\": \"P\", \"jurisdiction\": \"US\","                                        \
    " \"landing_page\": \"https://example.org/\", \"url_status\": \"confirmed\","             \
    " \"url_note\": \"n\", \"format\": \"rss\", \"compression\": \"none\","                   \
    " \"licence\": {\"terms\": \"t\", \"url\": \"https://example.org/terms\"},"              \
    " \"coverage\": {\"covers\": \"c\", \"since\": \"2020\"},"                                \
    " \"events\": [{\"type\": \"news\", \"meaning\": \"m\"}], \"enabled_by_default\": false" \
    extra "}"
#define PLAIN                                                                                \
    ", \"url\": \"https://example.org/feed.xml\","                                             \
    " \"schedule\": {\"every\": \"interval\", \"interval_s\": 900}"
#define DATED(zone)                                                                          \
    ", \"url_template\": \"https://example.org/{yyyymmdd}.zip\", \"schedule\": {\"every\":"    \
    " \"day\", \"days\": [\"mon\"], \"lag_days\": 0, \"publish_at\": \"06:00\", \"zone\": \""  \
    zone "\", \"grace_h\": 24}"

static void broken_files_named_by_file_and_pointer(void **state)
{
    char err[600];

    assert_int_equal(load_files(err, sizeof(err), "a.json",
                                "{\"sources\": [" ENTRY("ok-one", PLAIN) "]}", NULL), SW_OK);
    assert_int_equal(load_files(err, sizeof(err), "a.json",
                                "{\"sources\": [" ENTRY("ok-one", PLAIN) ","
                                ENTRY("dated", DATED("Mars/Base")) "]}", NULL), SW_INVALID);
    assert_string_equal(err, "a.json: /sources/1/schedule/zone: not a time zone (an IANA name "
                             "such as America/New_York)");
    assert_int_equal(load_files(err, sizeof(err), "b.json",
                                "{\"sources\": [" ENTRY("x", PLAIN ", \"colour\": 1") "]}", NULL),
                     SW_INVALID);
    assert_string_equal(err, "b.json: /sources/0: unknown member \"colour\"");
    assert_int_equal(load_files(err, sizeof(err), "a.json",
                                "{\"sources\": [" ENTRY("twice", PLAIN) "]}", "b.json",
                                "{\"sources\": [" ENTRY("twice", PLAIN) "]}", NULL), SW_INVALID);
    assert_string_equal(err, "b.json: /sources/0/name: \"twice\" is also the name of an entry "
                             "in a.json");
    assert_int_equal(load_files(err, sizeof(err), "c.json", "{\"sources\": [", NULL),
                     SW_INVALID);
    assert_non_null(strstr(err, "c.json: line 1, column"));
    assert_int_equal(load_files(err, sizeof(err), "d.json",
                                "{\"sources\": [" ENTRY("both", PLAIN ", \"url_template\": "
                                "\"https://example.org/{yy}\"") "]}", NULL), SW_INVALID);
    assert_string_equal(err, "d.json: /sources/0/url_template: give url or url_template, not "
                             "both");
    assert_int_equal(load_files(err, sizeof(err), "e.json",
                                "{\"sources\": [" ENTRY("Bad Name", PLAIN) "]}", NULL),
                     SW_INVALID);
    assert_string_equal(err, "e.json: /sources/0/name: lower-case letters, digits and hyphens");
    assert_int_equal(load_files(err, sizeof(err), "f.json", "{\"feeds\": []}", NULL),
                     SW_INVALID);
    assert_non_null(strstr(err, "f.json: /sources: the file must be"));
    /* A dated schedule for a plain URL is refused, and the reverse. */
    assert_int_equal(load_files(err, sizeof(err), "g.json",
                                "{\"sources\": [" ENTRY("mix", ", \"url\": \"https://example.org/"
                                "f\", \"schedule\": {\"every\": \"day\"}") "]}", NULL),
                     SW_INVALID);
    assert_non_null(strstr(err, "g.json: /sources/0/schedule/every: day and week are for a "
                                "url_template"));
}

static void entries_become_feeds(void **state)
{
    json_t *cat = real_catalogue(), *doc = NULL;
    json_t *tm = sw_sources_find(cat, "uspto-tm-daily-applications");
    json_t *unconfirmed = sw_sources_find(cat, "uspto-patent-applications-weekly");
    json_t *html = sw_sources_find(cat, "cnipa-notices");
    json_t *partner = sw_sources_find(cat, "partner-customs-notices");
    char why[600];

    assert_int_equal(sw_sources_feed_doc(tm, NULL, NULL, 0, &doc, why, sizeof(why)), SW_OK);
    assert_string_equal(json_string_value(json_object_get(doc, "url_template")),
                        json_string_value(json_object_get(tm, "url_template")));
    assert_string_equal(json_string_value(json_object_get(doc, "format")), "uspto-tm");
    assert_string_equal(json_string_value(json_object_get(doc, "zone")), "America/New_York");
    assert_int_equal(json_integer_value(json_object_get(doc, "lag_days")), 1);
    assert_string_equal(json_string_value(json_object_get(doc, "source")),
                        "uspto-tm-daily-applications");
    json_decref(doc);
    /* A local copy instead of the publisher's URL (make run, a mirror). */
    assert_int_equal(sw_sources_feed_doc(tm, NULL, "http://127.0.0.1:8080/apc{yymmdd}.zip", 0,
                                         &doc, why, sizeof(why)), SW_OK);
    assert_string_equal(json_string_value(json_object_get(doc, "url_template")),
                        "http://127.0.0.1:8080/apc{yymmdd}.zip");
    json_decref(doc);
    assert_int_equal(sw_sources_feed_doc(tm, "http://127.0.0.1/x.zip", NULL, 0, &doc, why,
                                         sizeof(why)), SW_CONFLICT);
    assert_non_null(strstr(why, "is one file per date: give url_template"));
    assert_int_equal(sw_sources_feed_doc(unconfirmed, NULL, NULL, 0, &doc, why, sizeof(why)),
                     SW_CONFLICT);
    assert_non_null(strstr(why, "is to be confirmed"));
    assert_null(doc);
    assert_int_equal(sw_sources_feed_doc(unconfirmed, NULL, NULL, 1, &doc, why, sizeof(why)),
                     SW_OK);
    json_decref(doc);
    if (!sw_sources_readable(html)) {   /* until a parser for HTML listings lands */
        assert_int_equal(sw_sources_feed_doc(html, NULL, NULL, 1, &doc, why, sizeof(why)),
                         SW_CONFLICT);
        assert_non_null(strstr(why, "is published as html, which this build cannot read"));
    }
    assert_int_equal(sw_sources_feed_doc(partner, NULL, NULL, 1, &doc, why, sizeof(why)),
                     SW_CONFLICT);
    assert_non_null(strstr(why, "has no URL of its own"));
    assert_int_equal(sw_sources_feed_doc(partner, "https://partner.example/notices.json", NULL,
                                         0, &doc, why, sizeof(why)), SW_OK);
    assert_string_equal(json_string_value(json_object_get(doc, "type")), "customs_seizure");
    assert_int_equal(json_integer_value(json_object_get(doc, "interval_s")), 900);
    json_decref(doc);
    json_decref(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_catalogue_reads_clean),
        cmocka_unit_test(broken_files_named_by_file_and_pointer),
        cmocka_unit_test(entries_become_feeds),
    };
    return cmocka_run_group_tests_name("sources", tests, NULL, NULL);
}
