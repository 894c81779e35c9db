"""Matching quality on the labelled pairs (tests/data/similarity-pairs.tsv, made marks and
names; tests/data/company-names.tsv, real Chinese company names) and the `seawall match pair`
command."""
import json
import os
import re
import subprocess


def seawall(f, *args):
    p = subprocess.run([os.path.join(f.build, "bin", "seawall"), *args], capture_output=True,
                       text=True, env=dict(os.environ, SEAWALL_CONFIG=""), timeout=120)
    return p


def result(out, name):
    """The pairs, precision and recall of a RESULT line of `seawall match eval`."""
    m = re.search(rf"^RESULT {name} pairs=(\d+) precision=([\d.]+) recall=([\d.]+) "
                  r"threshold=0\.85$", out, re.M)
    assert m, (name, out[-3000:])
    return int(m.group(1)), float(m.group(2)), float(m.group(3))


def test_precision_and_recall_at_the_default_threshold(f):
    data = os.path.join(f.root, "tests", "data")
    p = seawall(f, "match", "eval", os.path.join(data, "similarity-pairs.tsv"),
                os.path.join(data, "company-names.tsv"))
    assert p.returncode == 0, p.stderr
    pairs, precision, recall = result(p.stdout, "quality")
    assert pairs >= 1500
    assert recall >= 0.95 and precision >= 0.95, p.stdout[-3000:]
    # Marks and names apart: the marks as before, the names held to the goal on real
    # Chinese/English pairs (recall 0.75 at precision 0.95), the other slices reported.
    marks, mp, mr = result(p.stdout, "marks")
    assert marks >= 300 and mr >= 0.95 and mp >= 0.95
    names, np_, nr = result(p.stdout, "names")
    assert names >= 1200 and nr >= 0.75 and np_ >= 0.95
    zh_en, zp, zr = result(p.stdout, "names-zh-en")
    assert zh_en >= 300 and zr >= 0.75 and zp >= 0.95, p.stdout[-3000:]
    for name in ("names-place", "names-short", "names-listing-marker", "names-alias"):
        n, pr, rc = result(p.stdout, name)
        assert n > 0 and pr >= 0.95 and rc >= 0.75, (name, pr, rc)
    # Translated trade names are found only through the portfolio's aliases.
    n, pr, rc = result(p.stdout, "names-alias-unaided")
    assert n > 0 and rc < 0.5
    # The same pairs through the matching index (each b the only item with its aliases, each a
    # an event): the index must propose what the score calls similar.
    ipairs, ip, ir = result(p.stdout, "index")
    assert ipairs == pairs
    assert ir >= 0.95 and ip >= 0.95, p.stdout[-3000:]
    assert "INDEX " not in p.stdout, [x for x in p.stdout.splitlines() if x.startswith("INDEX")]
    for cat in ("case-spacing-punctuation", "confusable", "one-edit", "two-edits", "sound-alike",
                "cjk-pinyin", "generic-word", "legal-form", "negative-shared-letters",
                "zh-en", "zh-en-short", "zh-en-place", "place-prefix-zh", "place-prefix-en",
                "zh-en-listing-marker", "zh-en-alias", "negative-zh-en-same-place-industry",
                "negative-zh-en-same-trade-other-business"):
        assert re.search(rf"^{cat} +\d+/\d+", p.stdout, re.M), cat


def test_held_out_company_names(f):
    # Real Chinese/English company names the tables were not written with
    # (tests/data/company-names-heldout.tsv; its first run, before the tables were widened
    # from its misses, is in the README): the goal on real pairs as a portfolio with its
    # aliases sees them, recall 0.75 at precision 0.95, and the index proposing what the
    # score accepts.
    data = os.path.join(f.root, "tests", "data")
    p = seawall(f, "match", "eval", os.path.join(data, "company-names-heldout.tsv"))
    assert p.returncode == 0, p.stderr
    names, np_, nr = result(p.stdout, "names")
    assert names >= 1000 and np_ >= 0.95 and nr >= 0.75, p.stdout[-3000:]
    n, pr, rc = result(p.stdout, "names-zh-en")
    assert n >= 300 and pr >= 0.95 and rc >= 0.75, (pr, rc)
    n, pr, rc = result(p.stdout, "names-alias")
    assert n >= 300 and pr >= 0.95 and rc >= 0.75, (pr, rc)
    # Without the alias a translated trade name is not found.
    n, pr, rc = result(p.stdout, "names-alias-unaided")
    assert n > 0 and rc < 0.5
    ipairs, ip, ir = result(p.stdout, "index")
    assert ipairs == names and ip >= 0.95 and ir >= 0.75
    assert "INDEX " not in p.stdout
    for cat in ("zh-en", "zh-en-short", "zh-en-alias", "negative-zh-en-same-city-industry",
                "negative-zh-en-same-trade-other-business"):
        assert re.search(rf"^{cat} +\d+/\d+", p.stdout, re.M), cat


def pair(f, *args):
    p = seawall(f, "match", "pair", *args)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_match_pair_explains(f):
    d = pair(f, "华为", "HUAWEI")
    assert d["a"]["exact"] == "huawei" and d["a"]["transliterated"] is True
    assert d["decision"] == "identical" and d["score"] == 1.0
    # Greek capital eta and Cyrillic A look like H and A: the skeleton is taken before
    # transliteration would make the eta an "i".
    d = pair(f, "\u0397\u0410NA", "HANA")
    assert d["a"]["visual"] == d["b"]["visual"] == "hana" and d["decision"] == "similar"
    assert d["why"] == "look-alike characters"
    d = pair(f, "PYTH0N", "PYTHON")
    assert d["why"] == "look-alike characters" and d["decision"] == "similar"
    d = pair(f, "BRIGHT®", "BRIGHT™")
    assert d["a"]["exact"] == d["b"]["exact"] == "bright"
    d = pair(f, "--kind", "name", "深圳明亮音响有限公司", "深圳明亮音响")
    assert d["decision"] == "identical"
    d = pair(f, "--kind", "name", "Acme Widgets Co., Ltd.", "ACME WIDGETS GMBH")
    assert d["decision"] == "identical" and d["a"]["words"] == "acme widgets"
    d = pair(f, "KWIK", "QUICK")
    assert d["why"] == "sound-alike" and d["decision"] == "similar"
    d = pair(f, "--threshold", "0.95", "SUVENEER", "SUVENER")
    assert d["decision"] == "different" and 0.85 < d["score"] < 0.95
    p = seawall(f, "match", "pair", "!!!", "x")
    assert p.returncode == 1 and "nothing to compare" in p.stderr
    # A company name's parts in either script, and the trade name that decides.
    d = pair(f, "--kind", "name", "江西万年青水泥股份有限公司", "JIANGXI WANNIANQING CEMENT CO.,LTD")
    assert d["a"]["name"]["trade"] == d["b"]["name"]["trade"] == "wannianqing"
    assert d["a"]["name"]["han"] == "万年青" and d["a"]["name"]["industries"] == ["cement"]
    assert d["a"]["name"]["provinces"] == "jiangxi"
    assert d["decision"] == "similar" and d["why"] == "same trade name in pinyin"
    d = pair(f, "--kind", "name", "Shenzhen Bright Audio Technology Co., Ltd.",
             "Shenzhen Light Audio Technology Co., Ltd.")
    assert d["decision"] == "different" and d["why"] == "other trade name"
    d = pair(f, "--kind", "name", "ST华仪", "Huayi Electric Co., Ltd.")
    assert d["a"]["name"]["listing_marker"] is True and d["decision"] == "similar"
    d = pair(f, "MIKE", "MAKO")
    assert d["decision"] == "different"
    p = seawall(f, "match", "eval")
    assert p.returncode == 1 and "needs a FILE" in p.stderr
