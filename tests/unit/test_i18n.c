/* test_i18n.c — the .po reader (escapes, multi-line strings, contexts, plurals, flags, broken
 * files named by line), loading a catalogue folder, sw_tr/sw_trn/sw_trc and format_arg,
 * Accept-Language negotiation, printf signatures and {name} placeholders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "seawall/i18n.h"

/* --- the reader ---------------------------------------------------------------------------- */

#define SEEN_MAX 16

struct seen {
    int n;
    struct {
        char ctxt[64], msgid[256], plural[64], str[3][256];
        int has_ctxt, has_plural, nforms, line;
        unsigned flags;
        char comments[256];
    } e[SEEN_MAX];
};

static int collect(void *ud, const struct sw_po_entry *e)
{
    struct seen *s = ud;
    int i;

    assert_true(s->n < SEEN_MAX);
    s->e[s->n].has_ctxt = e->ctxt != NULL;
    snprintf(s->e[s->n].ctxt, sizeof(s->e[s->n].ctxt), "%s", e->ctxt ? e->ctxt : "");
    snprintf(s->e[s->n].msgid, sizeof(s->e[s->n].msgid), "%s", e->msgid);
    s->e[s->n].has_plural = e->plural != NULL;
    snprintf(s->e[s->n].plural, sizeof(s->e[s->n].plural), "%s", e->plural ? e->plural : "");
    s->e[s->n].nforms = e->nforms;
    for (i = 0; i < e->nforms && i < 3; i++)
        snprintf(s->e[s->n].str[i], sizeof(s->e[s->n].str[i]), "%s", e->msgstr[i]);
    s->e[s->n].flags = e->flags;
    s->e[s->n].line = e->line;
    snprintf(s->e[s->n].comments, sizeof(s->e[s->n].comments), "%s", e->comments);
    s->n++;
    return 0;
}

static int parse(const char *text, struct seen *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    err[0] = '\0';
    return sw_po_parse(text, strlen(text), "t.po", collect, s, err, errlen);
}

static void reads_escapes_and_multiline_strings(void **state)
{
    struct seen s;
    char err[256];
    const char *po =
        "msgid \"\"\n"
        "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
        "\n"
        "#. TRANSLATORS: a note\n"
        "#: fcgi/x.c\n"
        "#, c-format\n"
        "msgid \"tab\\there \\\"q\\\" back\\\\slash\\n\"\n"
        "msgstr \"\"\n"
        "\"oct\\101 hex\\x42 \"\n"
        "  \"joined\"\r\n"
        "\n"
        "msgid \"\"\n"
        "\"one \"\n"
        "\"two\"\n"
        "msgstr \"\xe4\xb8\x80\xe4\xba\x8c\"\n";

    (void)state;
    assert_int_equal(parse(po, &s, err, sizeof(err)), SW_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.e[0].msgid, "");          /* the header */
    assert_string_equal(s.e[1].msgid, "tab\there \"q\" back\\slash\n");
    assert_string_equal(s.e[1].str[0], "octA hexB joined");
    assert_true(s.e[1].flags & SW_PO_C_FORMAT);
    assert_int_equal(s.e[1].line, 7);
    assert_non_null(strstr(s.e[1].comments, "TRANSLATORS: a note"));
    assert_non_null(strstr(s.e[1].comments, "#: fcgi/x.c"));
    assert_string_equal(s.e[2].msgid, "one two");
    assert_string_equal(s.e[2].str[0], "一二");
    assert_int_equal(s.e[2].line, 12);
}

static void reads_contexts_plurals_flags_and_skips_obsolete(void **state)
{
    struct seen s;
    char err[256];
    const char *po =
        "msgctxt \"severity\"\n"
        "msgid \"high\"\n"
        "msgstr \"高\"\n"
        "\n"
        "msgid \"high\"\n"
        "msgstr \"高处\"\n"
        "\n"
        "#, fuzzy, no-c-format\n"
        "msgid \"%zu file\"\n"
        "msgid_plural \"%zu files\"\n"
        "msgstr[0] \"%zu 个文件\"\n"
        "msgstr[1] \"%zu 个文件们\"\n"
        "\n"
        "#~ msgid \"gone\"\n"
        "#~ msgstr \"已删\"\n"
        "#, javascript-format\n"
        "msgid \"Hello {name}\"\n"
        "msgstr \"你好 {name}\"\n";

    (void)state;
    assert_int_equal(parse(po, &s, err, sizeof(err)), SW_OK);
    assert_int_equal(s.n, 4);
    assert_true(s.e[0].has_ctxt);
    assert_string_equal(s.e[0].ctxt, "severity");
    assert_false(s.e[1].has_ctxt);
    assert_true(s.e[2].has_plural);
    assert_string_equal(s.e[2].plural, "%zu files");
    assert_int_equal(s.e[2].nforms, 2);
    assert_string_equal(s.e[2].str[1], "%zu 个文件们");
    assert_true(s.e[2].flags & SW_PO_FUZZY);
    assert_true(s.e[2].flags & SW_PO_NO_C_FORMAT);
    assert_false(s.e[2].flags & SW_PO_C_FORMAT);
    assert_string_equal(s.e[3].msgid, "Hello {name}");     /* the obsolete one was skipped */
    assert_true(s.e[3].flags & SW_PO_JS_FORMAT);
    assert_int_equal(s.e[3].flags & SW_PO_FUZZY, 0);       /* flags belong to one entry */
}

/* Each broken file is refused with the line that is wrong. */
static void names_the_broken_line(void **state)
{
    static const struct {
        const char *po;
        const char *want;
    } cases[] = {
        { "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\nmsgstr \"bad \\q escape\"\n",
          "t.po:5: unknown escape \\q" },
        { "msgid \"a\"\nmsgstr \"no end\n", "t.po:2: the string has no closing quote" },
        { "msgid \"a\"\nmsgstr \"b\" trailing\n", "t.po:2: text after the closing quote" },
        { "\n\nmsgstr \"orphan\"\n", "t.po:3: msgstr without msgid" },
        { "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"dangling\"\n\n", "t.po:4: msgid without msgstr" },
        { "msgid \"a\"\nmsgstr \"\\0\"\n", "t.po:2: a NUL character in a string" },
        { "msgid \"a\"\nmsgfoo \"b\"\n", "t.po:2: unknown keyword \"msgfoo\"" },
        { "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr \"b\"\n",
          "t.po:3: msgid_plural needs msgstr[0], msgstr[1] ..." },
        { "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"b\"\n",
          "t.po:3: msgstr[1] where msgstr[0] was expected" },
        { "msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", "t.po:3: a second msgstr" },
        { "msgid \"a\"\nmsgstr \"b\"\n\"\\xZZ\"\n", "t.po:3: \\x without hex digits" },
        { "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\nmsgstr \"\xff\xfe\"\n", "t.po:5: not UTF-8" },
        { "\"lonely\"\n", "t.po:1: a string continues no keyword" },
        { "msgid \"a\"\n# note\nmsgstr \"b\"\n", "t.po:2: a comment inside an entry" },
    };
    struct seen s;
    char err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(parse(cases[i].po, &s, err, sizeof(err)), SW_INVALID);
        if (strcmp(err, cases[i].want) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, err, cases[i].want);
    }
}

/* --- a catalogue folder ------------------------------------------------------------------- */

static char dir[64];

static void put(const char *name, const char *text)
{
    char path[128];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void rm(const char *name)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
}

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/seawall-i18n-test-XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    sw_i18n_free();
    rm("zh-CN.po");
    rm("pl.po");
    rm("en.po");
    rm("x_y.po");
    rmdir(dir);
    return 0;
}

#define HEADER(lang, plural) \
    "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n" \
    "\"Language: " lang "\\n\"\n\"Plural-Forms: " plural "\\n\"\n\n"

static const char zh[] =
    HEADER("zh_CN", "nplurals=1; plural=0;")
    "#, c-format\nmsgid \"%d of %s\"\nmsgstr \"%2$s 的第 %1$d 个\"\n\n"
    "msgid \"Not found\"\nmsgstr \"未找到\"\n\n"
    "msgid \"Percent\"\nmsgstr \"百分之百 100%\"\n\n"
    "msgctxt \"severity\"\nmsgid \"high\"\nmsgstr \"高\"\n\n"
    "msgid \"high\"\nmsgstr \"高处\"\n\n"
    "#, fuzzy\nmsgid \"Conflict\"\nmsgstr \"冲突？\"\n\n"
    "msgid \"Untranslated\"\nmsgstr \"\"\n\n"
    "#, c-format\nmsgid \"%zu file\"\nmsgid_plural \"%zu files\"\nmsgstr[0] \"%zu 个文件\"\n";

/* Polish: three forms, to exercise the Plural-Forms expression. */
static const char pl[] =
    HEADER("pl", "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
                 "n%100>=20) ? 1 : 2);")
    "#, c-format\nmsgid \"%lu file\"\nmsgid_plural \"%lu files\"\n"
    "msgstr[0] \"%lu plik\"\nmsgstr[1] \"%lu pliki\"\nmsgstr[2] \"%lu plik\xc3\xb3w\"\n";

static void load_ok(void)
{
    char err[512];

    put("zh-CN.po", zh);
    put("pl.po", pl);
    if (sw_i18n_load(dir, err, sizeof(err)) != SW_OK)
        fail_msg("load: %s", err);
}

static void translates_by_language(void **state)
{
    const char *msgid = "Not found";
    char buf[128];

    (void)state;
    load_ok();
    assert_string_equal(sw_tr("zh-CN", "Not found"), "未找到");
    /* A text that is no format may say 100% in translation. */
    assert_string_equal(sw_tr("zh-CN", "Percent"), "百分之百 100%");
    /* English, no language, an unknown one and a missing entry answer the msgid itself. */
    assert_ptr_equal(sw_tr("en", msgid), msgid);
    assert_ptr_equal(sw_tr(NULL, msgid), msgid);
    assert_ptr_equal(sw_tr("fr", msgid), msgid);
    assert_string_equal(sw_tr("zh-CN", "Not there"), "Not there");
    /* Fuzzy and empty translations are not used. */
    assert_string_equal(sw_tr("zh-CN", "Conflict"), "Conflict");
    assert_string_equal(sw_tr("zh-CN", "Untranslated"), "Untranslated");
    assert_false(sw_tr_known("zh-CN", NULL, "Conflict"));
    assert_true(sw_tr_known("zh-CN", NULL, "Not found"));
    assert_true(sw_tr_known("en", NULL, "anything"));
    /* Contexts tell apart two uses of one text. */
    assert_string_equal(sw_trc("zh-CN", "severity", "high"), "高");
    assert_string_equal(sw_tr("zh-CN", "high"), "高处");
    assert_string_equal(sw_trc("zh-CN", "other", "high"), "high");
    /* A translated format with positional conversions, checked by format_arg at compile
     * time against the English msgid's arguments. */
    snprintf(buf, sizeof(buf), sw_tr("zh-CN", "%d of %s"), 3, "files");
    assert_string_equal(buf, "files 的第 3 个");
    snprintf(buf, sizeof(buf), sw_tr("en", "%d of %s"), 3, "files");
    assert_string_equal(buf, "3 of files");
}

static void chooses_plural_forms(void **state)
{
    static const struct {
        unsigned long n;
        const char *want;
    } polish[] = { { 1, "1 plik" }, { 2, "2 pliki" }, { 4, "4 pliki" }, { 5, "5 plik\xc3\xb3w" },
                   { 12, "12 plik\xc3\xb3w" }, { 22, "22 pliki" }, { 0, "0 plik\xc3\xb3w" },
                   { 111, "111 plik\xc3\xb3w" } };
    char buf[64];
    size_t i;

    (void)state;
    load_ok();
    assert_string_equal(sw_trn("en", "%zu file", "%zu files", 1), "%zu file");
    assert_string_equal(sw_trn("en", "%zu file", "%zu files", 2), "%zu files");
    assert_string_equal(sw_trn("zh-CN", "%zu file", "%zu files", 1), "%zu 个文件");
    assert_string_equal(sw_trn("zh-CN", "%zu file", "%zu files", 7), "%zu 个文件");
    assert_string_equal(sw_trn("zh-CN", "%zu thing", "%zu things", 7), "%zu things");
    for (i = 0; i < sizeof(polish) / sizeof(polish[0]); i++) {
        snprintf(buf, sizeof(buf), sw_trn("pl", "%lu file", "%lu files", polish[i].n),
                 polish[i].n);
        assert_string_equal(buf, polish[i].want);
    }
}

static void refuses_broken_catalogues_by_file_and_line(void **state)
{
    char err[512], want[256];
    const char *msgid = "Not found";

    (void)state;
    load_ok();
    /* A translation whose conversions differ from the msgid's would read the wrong
     * arguments: refused, and the catalogue already loaded stays. */
    put("zh-CN.po", HEADER("zh_CN", "nplurals=1; plural=0;")
                    "msgid \"ok\"\nmsgstr \"好\"\n\n"
                    "#, c-format\nmsgid \"%s has %d\"\nmsgstr \"%d 有 %s\"\n");
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    snprintf(want, sizeof(want), "%s/zh-CN.po:11: the translation of \"%%s has %%d\" has "
             "conversions [d,s] where the msgid has [s,d]", dir);
    assert_string_equal(err, want);
    assert_string_equal(sw_tr("zh-CN", msgid), "未找到");
    /* A message used as a format (xgettext flags it) may not gain a conversion either. */
    put("zh-CN.po", HEADER("zh_CN", "nplurals=1; plural=0;")
                    "#, c-format\nmsgid \"is required\"\nmsgstr \"%s 为必填项\"\n");
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    assert_non_null(strstr(err, "zh-CN.po:8: the translation of \"is required\" has "
                                "conversions [s] where the msgid has []"));
    /* A syntax error names its line. */
    put("zh-CN.po", HEADER("zh_CN", "nplurals=1; plural=0;") "msgid \"a\"\nmsgstr \"\\q\"\n");
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    snprintf(want, sizeof(want), "%s/zh-CN.po:8: unknown escape \\q", dir);
    assert_string_equal(err, want);
    /* Twice the same message. */
    put("zh-CN.po", HEADER("zh_CN", "nplurals=1; plural=0;")
                    "msgid \"a\"\nmsgstr \"甲\"\n\nmsgid \"a\"\nmsgstr \"乙\"\n");
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    snprintf(want, sizeof(want), "%s/zh-CN.po:10: \"a\" again (first at line 7)", dir);
    assert_string_equal(err, want);
    /* Plural forms that disagree with the header. */
    put("zh-CN.po", HEADER("zh_CN", "nplurals=1; plural=0;")
                    "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"甲\"\nmsgstr[1] \"乙\"\n");
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    assert_non_null(strstr(err, "zh-CN.po:7: 2 plural forms where the header's Plural-Forms"));
    /* A header that names another language, or no UTF-8. */
    put("zh-CN.po", HEADER("ja", "nplurals=1; plural=0;"));
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    assert_non_null(strstr(err, "the header's Language is \"ja\" but the file is named zh-CN.po"));
    put("zh-CN.po", "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=GBK\\n\"\n");
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    assert_non_null(strstr(err, "zh-CN.po:1: the header must say Content-Type"));
    /* Missing catalogue, folder, or a file that is no language. */
    rm("zh-CN.po");
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    snprintf(want, sizeof(want), "%s/zh-CN.po: missing; every language Seawall speaks needs "
             "its catalogue", dir);
    assert_string_equal(err, want);
    put("zh-CN.po", zh);
    put("en.po", zh);
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    assert_non_null(strstr(err, "en.po: English is the msgid itself"));
    rm("en.po");
    put("x_y.po", zh);
    assert_int_equal(sw_i18n_load(dir, err, sizeof(err)), SW_ERR);
    assert_non_null(strstr(err, "x_y.po: not a language's catalogue"));
    rm("x_y.po");
    assert_int_equal(sw_i18n_load("/nonexistent/seawall-po", err, sizeof(err)), SW_ERR);
    assert_non_null(strstr(err, "/nonexistent/seawall-po: the catalogue folder cannot be opened"));
    assert_string_equal(sw_tr("zh-CN", msgid), "未找到");
}

static void keeps_the_thread_language(void **state)
{
    (void)state;
    load_ok();
    assert_string_equal(sw_i18n_thread_lang(), "en");
    sw_i18n_set_thread_lang("zh-cn");
    assert_string_equal(sw_i18n_thread_lang(), "zh-CN");
    assert_string_equal(sw_t("Not found"), "未找到");
    sw_i18n_set_thread_lang("pl");
    assert_string_equal(sw_i18n_thread_lang(), "pl");
    sw_i18n_set_thread_lang("klingon");
    assert_string_equal(sw_i18n_thread_lang(), "en");
    assert_string_equal(sw_t("Not found"), "Not found");
    sw_i18n_set_thread_lang(NULL);
    assert_string_equal(sw_i18n_thread_lang(), "en");
    assert_string_equal(sw_lang_canonical("EN"), "en");
    assert_string_equal(sw_lang_canonical("zh-cn"), "zh-CN");
    assert_null(sw_lang_canonical("zh"));
    assert_null(sw_lang_canonical(NULL));
}

/* --- Accept-Language ---------------------------------------------------------------------- */

static void negotiates_accept_language(void **state)
{
    static const struct {
        const char *header, *want;
    } cases[] = {
        { NULL, "en" },
        { "", "en" },
        { "zh-CN", "zh-CN" },
        { "zh", "zh-CN" },
        { "zh-Hans", "zh-CN" },
        { "zh-Hans-CN", "zh-CN" },
        { "zh-SG", "zh-CN" },
        { "ZH-cn", "zh-CN" },
        { "zh-TW", "en" },
        { "zh-Hant", "en" },
        { "zh-HK, zh;q=0.5", "zh-CN" },
        { "en", "en" },
        { "en-GB,en;q=0.9", "en" },
        { "zh;q=0.1, en;q=0.9", "en" },
        { "en;q=0.1, zh;q=0.9", "zh-CN" },
        { "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN" },
        { "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "en" },
        { "fr, *;q=0.5", "en" },
        { "fr, zh;q=0.3", "zh-CN" },
        { "*", "en" },
        { "en;q=0, zh;q=0", "en" },
        { "zh;q=1.000, en;q=1", "zh-CN" },          /* a tie: the one named first */
        { "en, zh", "en" },
        { "zh-CN;q=0.8, zh;q=0.2, en;q=0.5", "zh-CN" }, /* the most specific range decides */
        { "zh;q=0.8, zh-CN;q=0.2, en;q=0.5", "en" },
        { "zh;q=2, en;q=0.5", "en" },              /* q above 1: the element is skipped */
        { "zh;q=0.1234, en;q=0.5", "en" },         /* four decimals */
        { "zh;level=1, en;q=0.5", "en" },          /* a parameter other than q */
        { "zh;q=0.9 ; x", "en" },
        { "<script>, zh", "zh-CN" },               /* garbage elements are skipped */
        { ";;;,,, ,", "en" },
        { "zh-, en;q=0.2", "en" },
        { "thisisfarmorethan8, zh;q=0.5", "zh-CN" },
        { "zh-CN;q=0.5\t,\ten;q=0.4", "zh-CN" },
        { "\xe4\xb8\xad\xe6\x96\x87, en;q=0.1", "en" },
    };
    char big[8192];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = sw_lang_negotiate(cases[i].header);

        if (strcmp(got, cases[i].want) != 0)
            fail_msg("\"%s\": got %s, want %s", cases[i].header ? cases[i].header : "(null)",
                     got, cases[i].want);
    }
    /* A huge header is read only so far; past the first 4 KiB nothing counts. */
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    memcpy(big + 6000, ",zh", 3);
    assert_string_equal(sw_lang_negotiate(big), "en");
    memcpy(big, "zh,", 3);
    assert_string_equal(sw_lang_negotiate(big), "zh-CN");
}

/* --- formats and placeholders ------------------------------------------------------------- */

static void signs_printf_formats(void **state)
{
    static const struct {
        const char *fmt;
        int rc;
        const char *sig;
    } cases[] = {
        { "plain text", SW_OK, "" },
        { "100%% sure", SW_OK, "" },
        { "%s and %d", SW_OK, "s,d" },
        { "%lld of %zu (%.64s) %g %c %p %5.2f %-10s %x", SW_OK, "lld,zu,s,f,c,p,f,s,u" },
        { "%2$s then %1$lld", SW_OK, "lld,s" },
        { "%1$s and %1$s", SW_OK, "s" },
        { "%*d", SW_OK, "d,d" },
        { "%2$*1$d", SW_OK, "d,d" },
        { "%i", SW_OK, "d" },
        { "%hhd %hd %ld %jd %td", SW_OK, "hhd,hd,ld,jd,td" },
        { "%n", SW_INVALID, "%n" },
        { "%1$s %s", SW_INVALID, "mixes %N$ and plain conversions" },
        { "%2$s", SW_INVALID, "an argument is never used" },
        { "%1$s %1$d", SW_INVALID, "an argument used with two types" },
        { "50% off", SW_OK, "u" },                 /* "% o" is printf's %o with a blank */
        { "50%! off", SW_INVALID, "a broken % directive" },
        { "trailing %", SW_INVALID, "a broken % directive" },
    };
    char sig[128];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = sw_format_signature(cases[i].fmt, sig, sizeof(sig));

        if (rc != cases[i].rc || strcmp(sig, cases[i].sig) != 0)
            fail_msg("\"%s\": got %d \"%s\", want %d \"%s\"", cases[i].fmt, rc, sig,
                     cases[i].rc, cases[i].sig);
    }
}

static void lists_placeholders(void **state)
{
    char out[128];

    (void)state;
    sw_placeholders("Hello {name}, {count} new {count}", out, sizeof(out));
    assert_string_equal(out, "count,name");
    sw_placeholders("{type, number, country} {1x} {a-b} {_ok} {}", out, sizeof(out));
    assert_string_equal(out, "_ok");
    sw_placeholders("none here", out, sizeof(out));
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_escapes_and_multiline_strings),
        cmocka_unit_test(reads_contexts_plurals_flags_and_skips_obsolete),
        cmocka_unit_test(names_the_broken_line),
        cmocka_unit_test(translates_by_language),
        cmocka_unit_test(chooses_plural_forms),
        cmocka_unit_test(refuses_broken_catalogues_by_file_and_line),
        cmocka_unit_test(keeps_the_thread_language),
        cmocka_unit_test(negotiates_accept_language),
        cmocka_unit_test(signs_printf_formats),
        cmocka_unit_test(lists_placeholders),
    };

    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
