"""The portal's source, read as text: every string goes through the catalogue and has its
Chinese, no HTML is built from strings, nothing is loaded from elsewhere, every page is in the
registry."""
import glob
import os
import re

from portal import ROOT, catalogue, portal_msgids

WWW = os.path.join(ROOT, "www")


def sources():
    for path in sorted(glob.glob(os.path.join(WWW, "**", "*.js"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            yield os.path.relpath(path, ROOT), f.read()


def placeholders(s):
    return sorted(re.findall(r"\{([a-z_][a-z0-9_]*)\}", s, flags=re.I))


def test_every_portal_string_is_translated(s):
    ids = portal_msgids()
    # A plural message (tn) holds its forms; zh-CN has one.
    cat = {k: v[0] if isinstance(v, list) else v for k, v in catalogue(s).items()}
    assert len(ids) > 150, len(ids)
    missing = {m: where for m, where in ids.items() if m not in cat}
    assert not missing, f"portal strings without a zh-CN translation: {missing}"
    wrong = {m: cat[m] for m in ids if placeholders(m) != placeholders(cat[m])}
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"
    english = {m: cat[m] for m in ids
               if cat[m] == m and re.search(r"[a-z]{3}", m) and not re.fullmatch(
                   r"(Seawall|Seawall JSON|\{page\} · Seawall)", m)}
    assert not english, f"msgstr left in English: {english}"
    # The glossary's terms: early warning is 预警 (never 警报), the watch list 监测清单.
    assert not [v for v in cat.values() if "警报" in v]
    assert cat["Early-warning bulletins"] == "预警公告"
    assert cat["Trade-fair IP service stations"] == "展会知识产权服务站"
    assert "监测清单" in cat["Keep a watch list of your trademarks, company and trade names, patents, keywords, markets and fairs. Seawall sends an early warning when a similar mark is filed, a lawsuit names you or customs detain goods like yours, and lets you ask an assistance centre for help."]


def test_strings_reach_t_as_literals(s):
    """xgettext (make po) and the check above see only literal msgids: t(variable) would hide
    a string from both."""
    bad = []
    for path, src in sources():
        code = re.sub(r"//[^\n]*", "", src)
        for m in re.finditer(r"\bt(?:nodes)?\(\s*([^\s\"])", code):
            if path == "www/lib/i18n.js" and code[m.start() - 9:m.start()].endswith("function "):
                continue
            bad.append(f"{path}: {code[m.start():m.start() + 40]!r}")
    assert not bad, bad


def test_no_html_from_strings_and_nothing_from_elsewhere(s):
    bad = []
    for path, src in sources():
        src = re.sub(r"(?m)^\s*//[^\n]*|\s//\s[^\n]*", "", src)     # comments
        for pat in (r"\.innerHTML", r"\.outerHTML", r"insertAdjacentHTML", r"document\.write",
                    r"\beval\(", r"new Function\(", r"\.setAttribute\(\s*[\"']style",
                    r"[\"']https?://(?!www\.w3\.org)"):
            for m in re.finditer(pat, src):
                bad.append(f"{path}: {pat} at {src[max(0, m.start() - 20):m.end() + 20]!r}")
    with open(os.path.join(WWW, "index.html"), encoding="utf-8") as f:
        html = f.read()
    for pat in (r"<script(?![^>]*\bsrc=)", r"<style", r"\sstyle=", r"\son[a-z]+=", r"https?://"):
        if re.search(pat, html):
            bad.append(f"www/index.html: {pat}")
    for path in glob.glob(os.path.join(WWW, "**", "*.css"), recursive=True):
        with open(path, encoding="utf-8") as f:
            css = f.read()
        if re.search(r"@import|url\(\s*[\"']?(https?:)?//", css):
            bad.append(f"{os.path.relpath(path, ROOT)}: loads from elsewhere")
    assert not bad, bad


def test_every_page_is_registered(s):
    with open(os.path.join(WWW, "pages", "registry.js"), encoding="utf-8") as f:
        registry = f.read()
    listed = set(re.findall(r'module: "\./([^"]+)"', registry))
    files = {os.path.relpath(p, os.path.join(WWW, "pages"))
             for p in glob.glob(os.path.join(WWW, "pages", "**", "*.js"), recursive=True)}
    helpers = {"registry.js", "notfound.js", "failure.js", "not-for-role.js"}
    assert listed - files == set(), f"registered but missing: {listed - files}"
    assert files - listed - helpers == set(), f"pages nobody can open: {files - listed - helpers}"
    # The contract's public paths are all there.
    for path in ("/", "/bulletins", "/bulletins/:id", "/fairs", "/coverage", "/signin",
                 "/signup", "/verify", "/reset", "/invite", "/app"):
        assert f'path: "{path}"' in registry, path


