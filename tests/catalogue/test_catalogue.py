"""The message catalogue (issue 17): the template extracted afresh from the sources must equal
po/seawall.pot, every message must be translated in every language with the same printf
conversions and {name} placeholders, a broken catalogue stops every program at start naming
its file and line, and format_arg makes the compiler check translated formats."""
import json
import os
import re
import shutil
import subprocess
import tempfile


def fresh(c):
    return os.path.join(c.work, "seawall.pot")


def without_date(text):
    return re.sub(r'^"POT-Creation-Date: .*$', "", text, flags=re.M)


def test_template_is_current(c):
    made = c.extract(fresh(c))
    with open(os.path.join(c.po, "seawall.pot"), encoding="utf-8") as f:
        kept = f.read()
    assert without_date(made) == without_date(kept), (
        "po/seawall.pot differs from what the sources give: run `make po`, translate what is "
        "new in po/*.po, and commit both")


def test_every_message_translated_alike(c):
    c.extract(fresh(c))
    p = c.run(c.program("seawall"), "i18n", "check", "--pot", fresh(c), "--dir", c.po,
              check=False)
    assert p.returncode == 0, p.stdout + p.stderr
    assert re.search(r"i18n check: \d{3,} messages, 1 language file, 0 problems", p.stdout), p.stdout


def test_msgfmt_agrees(c):
    for name in sorted(os.listdir(c.po)):
        if name.endswith(".po"):
            p = c.run("msgfmt", "-c", "--check-format", "--statistics", "-o", os.devnull,
                      os.path.join(c.po, name), check=False)
            assert p.returncode == 0, p.stderr
            assert "untranslated" not in p.stderr and "fuzzy" not in p.stderr, p.stderr


def test_extraction_takes_what_people_read_and_leaves_logs(c):
    pot = c.extract(fresh(c))
    for msgid in ("Invalid request",                            # sw_reply_problem: title
                  "this route needs a session (sign in) or an Authorization: "
                  "Bearer token",  # ... and detail
                  "must be a string",                           # sw_verrs_add
                  "the URL has no host",                        # sw_t (library wording)
                  "unknown query parameter",                    # sw_tr
                  "assigned to an expert",                      # SW_N
                  "Stop Seawall alert email to this address?"):  # a page
        assert f'msgid "{msgid}"' in pot, msgid
    assert 'msgid_plural "%zu fields failed validation; first: %s %s"' in pot
    for log_line in ("handler for %s %s set no response", "listening on %s with %lld",
                     "keeping the result for Idempotency-Key failed (%s)"):
        assert log_line not in pot, log_line


def test_portal_strings_extracted_with_plurals(c):
    with tempfile.TemporaryDirectory() as www:
        os.makedirs(os.path.join(www, "pages"))
        with open(os.path.join(www, "pages", "x.js"), "w") as f:
            f.write('import { t, tn } from "../lib/i18n.js";\n'
                    'export const a = t("Hello {name}", { name });\n'
                    'export const b = tn("one {count} alert", "{count} alerts", n, { count: n });\n'
                    'export const c = console.log("not for people");\n')
        pot = c.extract(os.path.join(c.work, "portal-test.pot"), www=www)
    assert 'msgid "Hello {name}"' in pot
    assert 'msgid "one {count} alert"\nmsgid_plural "{count} alerts"' in pot
    assert "not for people" not in pot
    assert 'msgid "Invalid request"' in pot   # the C side is still there


POT = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#, c-format
msgid "%d of %s"
msgstr ""

msgid "Hello {name}"
msgstr ""

msgid "Gone"
msgstr ""

msgid "Fuzzy"
msgstr ""

msgid "Empty"
msgstr ""

#, c-format
msgid "%zu file"
msgid_plural "%zu files"
msgstr[0] ""
msgstr[1] ""

#, c-format
msgid "in order %s %d"
msgstr ""
"""

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: zh_CN\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

#, c-format
msgid "%d of %s"
msgstr "%s 的 %d"

msgid "Hello {name}"
msgstr "你好 {nom}"

#, fuzzy
msgid "Fuzzy"
msgstr "模糊"

msgid "Empty"
msgstr ""

#, c-format
msgid "%zu file"
msgid_plural "%zu files"
msgstr[0] "%zu 个文件"

#, c-format
msgid "in order %s %d"
msgstr "换序 %2$d %1$s"

msgid "Stale"
msgstr "过时"
"""


def test_check_names_each_problem(c):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "seawall.pot"), "w") as f:
            f.write(POT)
        with open(os.path.join(d, "zh-CN.po"), "w") as f:
            f.write(PO)
        p = c.run(c.program("seawall"), "i18n", "check", "--dir", d, check=False)
    out = p.stdout
    assert p.returncode == 1, out + p.stderr
    assert '"%d of %s": the translation has conversions [s,d] where the msgid has [d,s]' in out
    assert '"Hello {name}": the translation has placeholders {nom} where the msgid has {name}' in out
    assert '"Gone" (' in out and "is missing: run make po" in out
    assert '"Fuzzy" is fuzzy' in out and '"Empty" is not translated' in out
    assert '"Stale" is not in the template any more' in out
    assert "in order" not in out and "%zu file" not in out   # positional and plural are fine
    assert "zh-CN.po:8: the translation of \"%d of %s\" has conversions [s,d]" in out  # at start
    assert "i18n check: 7 messages, 1 language file, 7 problems" in out, out


def test_portal_catalogue_json(c):
    p = c.run(c.program("seawall"), "i18n", "json", "zh-CN", "--dir", c.po)
    d = json.loads(p.stdout)
    assert d["Invalid request"] == "请求无效"
    assert d["%zu field failed validation; first: %s %s"] == ["%zu 个字段未通过校验；第一个：%s %s"]
    assert "" not in d and len(d) > 250
    p = c.run(c.program("seawall"), "i18n", "json", "fr", "--dir", c.po, check=False)
    assert p.returncode == 1 and 'no catalogue for "fr"' in p.stderr, p.stderr


def test_programs_refuse_a_broken_catalogue_at_start(c):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(c.po, "zh-CN.po"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        at = next(i for i, l in enumerate(lines) if l == 'msgid "Not found"') + 1
        lines[at] = 'msgstr "未\\q找到"'
        with open(os.path.join(d, "zh-CN.po"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        want = f"{d}/zh-CN.po:{at + 1}: unknown escape \\q"
        with tempfile.TemporaryDirectory() as run:
            env = {"SEAWALL_I18N_DIR": d, "SEAWALL_API_LISTEN": os.path.join(run, "api.sock"),
                   "SEAWALL_CASES_DEADLINE_RULES": os.path.join(c.root, "etc", "deadlines.json"),
                   "SEAWALL_REDIS_PORT": "1"}
            for prog, status in (("seawall-api", 2), ("seawall-matcher", 2),
                                 ("seawall-notifier", 2), ("seawall-poller", 2)):
                p = c.run(c.program(prog), env=env, check=False, timeout=30)
                assert p.returncode == status and want in p.stderr, (prog, p.returncode, p.stderr)
                assert not os.path.exists(os.path.join(run, "api.sock"))
            p = c.run(c.program("seawall"), "token", "list", env=env, check=False)
            assert p.returncode == 1 and want in p.stderr, p.stderr
            p = c.run(c.program("seawall"), "i18n", "json", "zh-CN", env=env, check=False)
            assert p.returncode == 1 and want in p.stderr, p.stderr
            os.unlink(os.path.join(d, "zh-CN.po"))
            p = c.run(c.program("seawall-api"), env=env, check=False, timeout=30)
            assert p.returncode == 2 and f"{d}/zh-CN.po: missing" in p.stderr, p.stderr


SNIPPET = """#include <stdio.h>
#include "seawall/i18n.h"
void f(const char *lang, char *b, size_t n);
void f(const char *lang, char *b, size_t n)
{
    snprintf(b, n, sw_tr(lang, "%%d of %%s"), %s);
}
"""


def test_format_arg_lets_the_compiler_check_translated_formats(c):
    cc = os.environ.get("CC") or shutil.which("cc") or "gcc"
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "f.c")
        for args, ok in (('3, "files"', True), ('"files", 3', False)):
            with open(src, "w") as f:
                f.write(SNIPPET % args)
            p = subprocess.run([cc, "-fsyntax-only", "-Wall", "-Wformat=2", "-Werror",
                                "-I", os.path.join(c.root, "include"), src],
                               capture_output=True, text=True, timeout=60)
            assert (p.returncode == 0) == ok, (args, p.stderr)
            if not ok:
                assert "format" in p.stderr, p.stderr
