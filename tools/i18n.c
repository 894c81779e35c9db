/* i18n.c — `seawall i18n`: the portal's catalogue as JSON, and the check that every message
 * of the template is translated, with the same placeholders, in every language.
 *
 *   seawall i18n json LANG [--dir DIR]          {msgid: msgstr} for the portal, on stdout
 *   seawall i18n check [--pot FILE] [--dir DIR] every problem on stdout; exit 1 when any
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "seawall/i18n.h"
#include "tool.h"

/* The key a catalogue entry is known by: msgid, or msgctxt EOT msgid (gettext's own). */
static char *entry_key(const struct sw_po_entry *e)
{
    size_t n = strlen(e->msgid) + (e->ctxt ? strlen(e->ctxt) + 1 : 0) + 1;
    char *k = malloc(n);

    if (k != NULL)
        snprintf(k, n, "%s%s%s", e->ctxt ? e->ctxt : "", e->ctxt ? "\004" : "", e->msgid);
    return k;
}

static int translated(const struct sw_po_entry *e)
{
    int i;

    if (e->flags & SW_PO_FUZZY)
        return 0;
    for (i = 0; i < e->nforms; i++)
        if (e->msgstr[i][0] == '\0')
            return 0;
    return e->nforms > 0;
}

/* --- json --------------------------------------------------------------------------------- */

static int json_entry(void *ud, const struct sw_po_entry *e)
{
    json_t *out = ud, *v;
    char *key;
    int i;

    if ((e->ctxt == NULL && e->msgid[0] == '\0') || !translated(e))
        return 0;
    if (e->plural != NULL) {
        v = json_array();
        for (i = 0; i < e->nforms; i++)
            json_array_append_new(v, json_string(e->msgstr[i]));
    } else {
        v = json_string(e->msgstr[0]);
    }
    key = entry_key(e);
    if (key == NULL || v == NULL || json_object_set_new(out, key, v) != 0) {
        free(key);
        return SW_ERR;
    }
    free(key);
    return 0;
}

static int i18n_json(const char *dir, const char *lang)
{
    char path[1024], err[512];
    const char *canon;
    json_t *out;
    int rc;

    /* What the programs would refuse at start is refused here too (file and line). */
    if (sw_i18n_load(dir, err, sizeof(err)) != SW_OK)
        return sw_tool_fail("message catalogue not loaded: %s", err);
    canon = sw_lang_canonical(lang);
    if (canon == NULL || strcmp(canon, SW_LANG_EN) == 0) {
        sw_i18n_free();
        return sw_tool_fail("no catalogue for \"%s\" in %s (English needs none)", lang, dir);
    }
    snprintf(path, sizeof(path), "%s/%s.po", dir, canon);
    sw_i18n_free();
    out = json_object();
    err[0] = '\0';
    rc = sw_po_parse_file(path, json_entry, out, err, sizeof(err));
    if (rc != SW_OK) {
        json_decref(out);
        return sw_tool_fail("%s", err[0] != '\0' ? err : "out of memory");
    }
    return sw_tool_print_json(out);
}

/* --- check -------------------------------------------------------------------------------- */

struct tmpl {
    json_t *entries;   /* key -> {"line", "msgid", "plural"?, "flags"} in file order */
};

static int tmpl_entry(void *ud, const struct sw_po_entry *e)
{
    struct tmpl *t = ud;
    char *key;
    json_t *v;

    if (e->ctxt == NULL && e->msgid[0] == '\0')
        return 0;
    key = entry_key(e);
    v = json_pack("{s:i, s:s, s:s?, s:i}", "line", e->line, "msgid", e->msgid, "plural",
                  e->plural, "flags", (int)e->flags);
    if (key == NULL || v == NULL || json_object_set_new(t->entries, key, v) != 0) {
        free(key);
        return SW_ERR;
    }
    free(key);
    return 0;
}

struct lang_file {
    json_t *entries;   /* key -> {"line", "plural"?, "forms": [...], "flags", "ok"} */
};

static int lang_entry(void *ud, const struct sw_po_entry *e)
{
    struct lang_file *lf = ud;
    json_t *forms = json_array(), *v;
    char *key;
    int i;

    if (e->ctxt == NULL && e->msgid[0] == '\0') {
        json_decref(forms);
        return 0;
    }
    for (i = 0; i < e->nforms; i++)
        json_array_append_new(forms, json_string(e->msgstr[i]));
    key = entry_key(e);
    v = json_pack("{s:i, s:s?, s:o, s:i, s:b}", "line", e->line, "plural", e->plural, "forms",
                  forms, "flags", (int)e->flags, "ok", translated(e));
    if (key == NULL || v == NULL || json_object_set_new(lf->entries, key, v) != 0) {
        free(key);
        return SW_ERR;
    }
    free(key);
    return 0;
}

static int problems;

static void problem(const char *fmt, ...) SW_PRINTF(1, 2);

static void problem(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    problems++;
}

/* Compares one translated entry with its template entry. */
static void check_entry(const char *file, const json_t *t, const json_t *l)
{
    const char *msgid = json_string_value(json_object_get(t, "msgid"));
    const char *plural = json_string_value(json_object_get(t, "plural"));
    const char *src = plural ? plural : msgid;
    int line = (int)json_integer_value(json_object_get(l, "line"));
    int flags = (int)(json_integer_value(json_object_get(t, "flags")) |
                      json_integer_value(json_object_get(l, "flags")));
    char want[256], got[256], wnames[512], gnames[512];
    const json_t *f;
    size_t i;
    int cformat;

    if ((plural != NULL) != json_is_string(json_object_get(l, "plural"))) {
        problem("%s:%d: \"%.80s\": %s", file, line, msgid,
                plural ? "the template has a plural form; the translation has none"
                       : "the template has no plural form; the translation has one");
        return;
    }
    cformat = !(flags & SW_PO_NO_C_FORMAT) &&
              ((flags & SW_PO_C_FORMAT) || strchr(src, '%') != NULL) &&
              sw_format_signature(src, want, sizeof(want)) == SW_OK;
    sw_placeholders(src, wnames, sizeof(wnames));
    json_array_foreach(json_object_get(l, "forms"), i, f) {
        const char *tr = json_string_value(f);

        if (cformat && sw_format_signature(tr, got, sizeof(got)) != SW_OK)
            problem("%s:%d: \"%.80s\": the translation is no valid format (%s)", file, line,
                    msgid, got);
        else if (cformat && strcmp(want, got) != 0)
            problem("%s:%d: \"%.80s\": the translation has conversions [%s] where the msgid "
                    "has [%s]", file, line, msgid, got, want);
        sw_placeholders(tr, gnames, sizeof(gnames));
        if (strcmp(wnames, gnames) != 0)
            problem("%s:%d: \"%.80s\": the translation has placeholders {%s} where the msgid "
                    "has {%s}", file, line, msgid, gnames, wnames);
    }
}

static void check_file(const char *path, const char *potname, const struct tmpl *t)
{
    struct lang_file lf = { json_object() };
    char err[512];
    const char *key;
    json_t *te, *le;

    if (sw_po_parse_file(path, lang_entry, &lf, err, sizeof(err)) != SW_OK) {
        problem("%s", err);
        json_decref(lf.entries);
        return;
    }
    json_object_foreach(t->entries, key, te) {
        const char *msgid = json_string_value(json_object_get(te, "msgid"));

        le = json_object_get(lf.entries, key);
        if (le == NULL)
            problem("%s: \"%.80s\" (%s:%d) is missing: run make po, then translate it", path,
                    msgid, potname, (int)json_integer_value(json_object_get(te, "line")));
        else if (!json_is_true(json_object_get(le, "ok")))
            problem("%s:%d: \"%.80s\" is %s", path,
                    (int)json_integer_value(json_object_get(le, "line")), msgid,
                    (json_integer_value(json_object_get(le, "flags")) & SW_PO_FUZZY)
                        ? "fuzzy: check the translation, then remove the fuzzy flag"
                        : "not translated");
        else
            check_entry(path, te, le);
    }
    json_object_foreach(lf.entries, key, le)
        if (json_object_get(t->entries, key) == NULL)
            problem("%s:%d: \"%.80s\" is not in the template any more: run make po", path,
                    (int)json_integer_value(json_object_get(le, "line")), key);
    json_decref(lf.entries);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int i18n_check(const char *dir, const char *pot)
{
    struct tmpl t = { json_object() };
    char err[512], path[1024], *names[16];
    const char *key;
    json_t *te;
    struct dirent *de;
    size_t n = 0, i;
    DIR *d;

    problems = 0;
    if (sw_po_parse_file(pot, tmpl_entry, &t, err, sizeof(err)) != SW_OK) {
        json_decref(t.entries);
        return sw_tool_fail("%s", err);
    }
    json_object_foreach(t.entries, key, te) {
        const char *msgid = json_string_value(json_object_get(te, "msgid"));
        int flags = (int)json_integer_value(json_object_get(te, "flags"));
        char sig[256];

        if ((flags & SW_PO_C_FORMAT) && sw_format_signature(msgid, sig, sizeof(sig)) != SW_OK)
            problem("%s:%d: \"%.80s\" is used as a format but is no valid one (%s)", pot,
                    (int)json_integer_value(json_object_get(te, "line")), msgid, sig);
    }
    d = opendir(dir);
    if (d == NULL) {
        json_decref(t.entries);
        return sw_tool_fail("%s: cannot open the catalogue folder", dir);
    }
    while ((de = readdir(d)) != NULL && n < SW_ARRAY_LEN(names)) {
        size_t len = strlen(de->d_name);

        if (len > 3 && strcmp(de->d_name + len - 3, ".po") == 0)
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp_names);
    for (i = 0; i < n; i++) {
        if (names[i] == NULL)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        check_file(path, pot, &t);
        free(names[i]);
    }
    /* What the programs would say at start (Language header, plural form counts, formats). */
    if (sw_i18n_load(dir, err, sizeof(err)) != SW_OK)
        problem("%s", err);
    sw_i18n_free();
    printf("i18n check: %zu messages, %zu language file%s, %d problem%s\n",
           json_object_size(t.entries), n, n == 1 ? "" : "s", problems, problems == 1 ? "" : "s");
    json_decref(t.entries);
    return problems > 0 ? 1 : 0;
}

int sw_tool_i18n(const char *dir, int argc, char **argv)
{
    const char *pot = NULL, *lang = NULL;
    char potpath[1024];
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--pot") == 0 && i + 1 < argc)
            pot = argv[++i];
        else if (lang == NULL && argv[i][0] != '-')
            lang = argv[i];
        else
            return sw_tool_fail("i18n: unexpected argument \"%s\"", argv[i]);
    }
    if (argc >= 1 && strcmp(argv[0], "json") == 0 && lang != NULL && pot == NULL)
        return i18n_json(dir, lang);
    if (argc >= 1 && strcmp(argv[0], "check") == 0 && lang == NULL) {
        if (pot == NULL) {
            snprintf(potpath, sizeof(potpath), "%s/seawall.pot", dir);
            pot = potpath;
        }
        return i18n_check(dir, pot);
    }
    return sw_tool_fail("usage: seawall i18n json LANG [--dir DIR] | "
                        "seawall i18n check [--pot FILE] [--dir DIR]");
}
