/* test_csv.c — the CSV both ways: cells written safe from formula injection, and a portfolio
 * import read by RFC 4180 (libcsv, strict) with every bad row and column named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../fcgi/api.h"

/* The cell as written, as a string the caller frees. */
static char *cell(const char *v)
{
    struct sw_buf b;

    sw_buf_init(&b, 4096);
    assert_int_equal(sw_csv_cell(&b, v, 1), SW_OK);
    return sw_buf_take(&b);
}

static void formula_starts_get_a_quote(void **state)
{
    static const char *const guarded[] = { "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx",
                                           "\xEF\xBC\x9D" "1+1", "\xEF\xBC\x8B" "1",
                                           "\xEF\xBC\x8D" "1", "\xEF\xBC\xA0" "x" };
    static const char *const plain[] = { "", "a=1", " =1", "\xEF\xBC\xA1", "\xEF\xBC", "x\n" };
    char want[64], *got;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(guarded); i++) {
        snprintf(want, sizeof(want), "\"'%s\"", guarded[i]);
        got = cell(guarded[i]);
        assert_string_equal(got, want);
        free(got);
    }
    for (i = 0; i < SW_ARRAY_LEN(plain); i++) {
        snprintf(want, sizeof(want), "\"%s\"", plain[i]);
        got = cell(plain[i]);
        assert_string_equal(got, want);
        free(got);
    }
    got = cell("say \"hi\"");
    assert_string_equal(got, "\"say \"\"hi\"\"\"");
    free(got);
}

static void cell_past_the_ceiling_is_reported(void **state)
{
    struct sw_buf b;

    sw_buf_init(&b, 8);
    assert_int_equal(sw_csv_cell(&b, "abc", 1), SW_OK);
    assert_int_equal(sw_csv_cell(&b, "defgh", 0), SW_TOOBIG);
    sw_buf_free(&b);
}

/* The import's items and errors for text, as one JSON text to compare. */
static void import(const char *text, size_t len, json_t **items, char **errs)
{
    struct sw_verrs e;

    sw_verrs_init(&e);
    *items = sw_portfolio_csv_items(text, len, &e);
    assert_non_null(*items);
    *errs = json_dumps(e.list, JSON_COMPACT);
    sw_verrs_free(&e);
}

static void quoting_line_ends_and_row_numbers(void **state)
{
    static const char text[] =
        "\xEF\xBB\xBFkind,text,label\r\n"
        "mark,\"A, \"\"B\"\"\nC\",\r\n"
        "\r\n"
        ",,\n"
        "name, Spaced ,x\r"
        "keyword,last,\"\"";
    json_t *items;
    char *errs, *js;

    import(text, sizeof(text) - 1, &items, &errs);
    assert_string_equal(errs, "[]");
    js = json_dumps(items, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(js, "[{\"kind\":\"mark\",\"text\":\"A, \\\"B\\\"\\nC\",\"_row\":2},"
                            "{\"kind\":\"name\",\"text\":\" Spaced \",\"label\":\"x\",\"_row\":5},"
                            "{\"kind\":\"keyword\",\"text\":\"last\",\"_row\":6}]");
    free(js);
    free(errs);
    json_decref(items);
}

static void bad_cells_named_by_row_and_column(void **state)
{
    static const char text[] = "kind,text,aliases,label\n"
                               "name,Good Co,,\n"
                               "name,Nul Co,,a\0b\n"
                               "name,Wide Co,,,extra\n";
    static const char ided[] = "id,kind,text\n"
                               "x7,name,Bad Id\n";
    json_t *items;
    char *errs;

    import(text, sizeof(text) - 1, &items, &errs);
    assert_string_equal(errs,
                        "[{\"pointer\":\"/rows/3/label\",\"message\":\"must not "
                        "contain NUL characters\"},{\"pointer\":\"/rows/4\",\"message\":\"has 5 "
                        "cells; the header has 4 columns\"}]");
    free(errs);
    json_decref(items);
    import(ided, sizeof(ided) - 1, &items, &errs);
    assert_non_null(strstr(errs, "\"/rows/2/id\",\"message\":\"must be an item's id"));
    free(errs);
    json_decref(items);
}

/* A byte that is neither UTF-8 nor GB18030 is named by its cell and its place in the file;
 * no row is returned. */
static void bad_encoding_named_by_cell(void **state)
{
    static const char text[] = "kind,text,aliases,label\n"
                               "name,Good Co,\"A;\xC3\x28\",\n"
                               "name,Other Co,,\n";
    static const char header[] = "kind,te\xFFxt\n";
    struct sw_verrs e;
    struct sw_csv_info info;
    json_t *items;
    char *errs;

    sw_verrs_init(&e);
    items = sw_portfolio_csv_read(text, sizeof(text) - 1, SW_CS_AUTO, &info, &e);
    errs = json_dumps(e.list, JSON_COMPACT);
    assert_string_equal(errs, "[{\"pointer\":\"/rows/2/aliases\",\"message\":\"byte 41 of the "
                              "file (0xC3 0x28) is neither UTF-8 nor GB18030 (GBK): save the "
                              "file as \\\"CSV UTF-8\\\", or name its encoding with "
                              "?charset=\"}]");
    assert_int_equal(info.bad_encoding, 1);
    assert_int_equal(info.charset, SW_CS_GB18030);
    assert_int_equal(json_array_size(items), 0);
    free(errs);
    json_decref(items);
    sw_verrs_free(&e);
    /* Declared: the message says the encoding it is not in. */
    sw_verrs_init(&e);
    items = sw_portfolio_csv_read(header, sizeof(header) - 1, SW_CS_UTF8, &info, &e);
    errs = json_dumps(e.list, JSON_COMPACT);
    assert_string_equal(errs, "[{\"pointer\":\"/header/1\",\"message\":\"byte 8 of the file "
                              "(0xFF 0x78) is not UTF-8\"}]");
    free(errs);
    json_decref(items);
    sw_verrs_free(&e);
}

/* Excel's "Unicode text": UTF-16LE, tab-separated; GBK as Excel on Chinese Windows saves
 * "CSV"; the formula guard's ' taken off again; ids read as numbers. */
static void spreadsheet_files(void **state)
{
    static const char tabbed[] =
        "\xFF\xFE" "i\0d\0\t\0k\0i\0n\0d\0\t\0t\0e\0x\0t\0\r\0\n\0"
        "7\0\t\0n\0a\0m\0e\0\t\0\x4E\x53\x3A\x4E\r\0\n\0";
    static const char gbk[] = "kind,text,aliases\r\nname,\xBB\xAA\xCE\xAA,\"'=A;B\"\r\n"
                              "mark,'-5,'x\r\n";
    struct sw_verrs e;
    struct sw_csv_info info;
    json_t *items;
    char *js;

    sw_verrs_init(&e);
    items = sw_portfolio_csv_read(tabbed, sizeof(tabbed) - 1, SW_CS_AUTO, &info, &e);
    assert_int_equal(sw_verrs_count(&e), 0);
    assert_int_equal(info.charset, SW_CS_UTF16LE);
    assert_int_equal(info.delim, '\t');
    js = json_dumps(items, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(js, "[{\"id\":7,\"kind\":\"name\",\"text\":\"\xE5\x8D\x8E\xE4\xB8\xBA\","
                            "\"_row\":2}]");
    free(js);
    json_decref(items);
    items = sw_portfolio_csv_read(gbk, sizeof(gbk) - 1, SW_CS_AUTO, &info, &e);
    assert_int_equal(sw_verrs_count(&e), 0);
    assert_int_equal(info.charset, SW_CS_GB18030);
    assert_int_equal(info.delim, ',');
    js = json_dumps(items, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(js, "[{\"kind\":\"name\",\"text\":\"\xE5\x8D\x8E\xE4\xB8\xBA\","
                            "\"aliases\":[\"=A\",\"B\"],\"_row\":2},"
                            "{\"kind\":\"mark\",\"text\":\"-5\",\"aliases\":[\"'x\"],\"_row\":3}]");
    free(js);
    json_decref(items);
    sw_verrs_free(&e);
}

static void header_names_each_bad_column(void **state)
{
    static const char text[] = "kind,text,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,text\nmark,X\n";
    json_t *items;
    char *errs;
    json_t *e;

    import(text, sizeof(text) - 1, &items, &errs);
    e = json_loads(errs, 0, NULL);
    assert_int_equal(json_array_size(e), 16);
    assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "pointer")),
                        "/header/2");
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(e, 0), "message")),
                           "unknown column \"a\""));
    assert_string_equal(json_string_value(json_object_get(json_array_get(e, 15), "pointer")),
                        "/header/17");
    assert_string_equal(json_string_value(json_object_get(json_array_get(e, 15), "message")),
                        "repeats column \"text\"");
    assert_int_equal(json_array_size(items), 0);
    json_decref(e);
    free(errs);
    json_decref(items);
}

static void malformed_quoting_refused(void **state)
{
    static const struct {
        const char *text, *errs;
    } cases[] = {
        { "kind,text\nmark,=HYPERLINK(\"x\")\n",
          "[{\"pointer\":\"/rows/2\",\"message\":\"malformed CSV at byte 27: a quote inside a "
          "cell that is not quoted, or text after a closing quote (write a quote as \\\"\\\" "
          "inside a quoted cell)\"}]" },
        { "kind,text\nmark,\"open\n",
          "[{\"pointer\":\"/rows/2\",\"message\":\"malformed CSV: a quoted cell is not closed "
          "before the end\"}]" },
        { "kind,\"te\"xt\n", NULL },
    };
    json_t *items;
    char *errs;
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(cases); i++) {
        import(cases[i].text, strlen(cases[i].text), &items, &errs);
        if (cases[i].errs != NULL)
            assert_string_equal(errs, cases[i].errs);
        else
            assert_non_null(strstr(errs, "\"/header\""));
        free(errs);
        json_decref(items);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formula_starts_get_a_quote),
        cmocka_unit_test(cell_past_the_ceiling_is_reported),
        cmocka_unit_test(quoting_line_ends_and_row_numbers),
        cmocka_unit_test(bad_cells_named_by_row_and_column),
        cmocka_unit_test(bad_encoding_named_by_cell),
        cmocka_unit_test(spreadsheet_files),
        cmocka_unit_test(header_names_each_bad_column),
        cmocka_unit_test(malformed_quoting_refused),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
