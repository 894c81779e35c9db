"""Matching quality on the labelled pairs (tests/data/similarity-pairs.tsv) and the
`seawall match pair` command."""
import json
import os
import re
import subprocess


def seawall(f, *args):
    p = subprocess.run([os.path.join(f.build, "bin", "seawall"), *args], capture_output=True,
                       text=True, env=dict(os.environ, SEAWALL_CONFIG=""), timeout=120)
    return p


def test_precision_and_recall_at_the_default_threshold(f):
    p = seawall(f, "match", "eval", os.path.join(f.root, "tests", "data",
                                                  "similarity-pairs.tsv"))
    assert p.returncode == 0, p.stderr
    m = re.search(r"^RESULT quality pairs=(\d+) precision=([\d.]+) recall=([\d.]+) "
                  r"threshold=0\.85$", p.stdout, re.M)
    assert m, p.stdout
    pairs, precision, recall = int(m.group(1)), float(m.group(2)), float(m.group(3))
    assert pairs >= 300
    assert recall >= 0.95 and precision >= 0.85, p.stdout
    # The same pairs through the matching index (each b the only item, each a an event): the
    # index must propose what the score calls similar.
    m = re.search(r"^RESULT index pairs=(\d+) precision=([\d.]+) recall=([\d.]+) "
                  r"threshold=0\.85$", p.stdout, re.M)
    assert m and int(m.group(1)) == pairs, p.stdout
    assert float(m.group(3)) >= 0.95 and float(m.group(2)) >= 0.85, p.stdout
    for cat in ("case-spacing-punctuation", "confusable", "one-edit", "two-edits", "sound-alike",
                "cjk-pinyin", "generic-word", "legal-form", "negative-shared-letters"):
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
