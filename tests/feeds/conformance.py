#!/usr/bin/env python3
"""Runs `seawall feed parse` over the feedparser conformance corpus (../shared/conformance/
feedparser). Each file's `Expect:` line is a Python expression over feedparser's result; the
comparisons that concern fields Seawall extracts from items (title, link, id, dates, summary,
author) become checks on the events. Every file counts for crashes.

    tests/feeds/conformance.py [--build build/default] [--verbose]

The ill-formed ("bozo") cases — every file under illformed/ and every file whose Expect: says
bozo — are counted apart: their expectations are mostly about the flag, so the items a lenient
reader should yield are written below (BOZO_ITEMS), read from each document.

Prints the figures and a last line `RESULT conformance cases=… passed=… rate=… crashes=…
bozo_items=N/M bozo_empty=K/L`: N of the M ill-formed cases with items yield the right items,
K of the L without a complete item yield none."""
import argparse
import ast
import datetime
import email.utils
import html.parser
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "conformance", "feedparser"))
CRASH = 99   # the sanitizers' exit status here (see ASAN_OPTIONS below)

TEXT_KEYS = {"title": "title", "summary": "text", "description": "text", "author": "author",
             "link": "url", "id": "guid", "guid": "guid"}
DATE_KEYS = {"published": "date", "pubDate": "date", "issued": "date", "created": "date",
             "date": "date", "updated": "updated", "modified": "updated"}


class Decoded:
    """An element's text as the document holds it in a legacy encoding (the chardet cases)."""

    def __init__(self, codec, tag):
        self.codec, self.tag = codec, tag

    def value(self, path):
        with open(path, "rb") as f:
            raw = f.read()
        m = re.search(rb"<%s>(.*?)</%s>" % (self.tag.encode(), self.tag.encode()), raw, re.S)
        return m.group(1).decode(self.codec)


# The items each ill-formed document holds, as a reader that accepts it should yield them:
# one {event field: value} per item (only what the document gives; {} for an item with no
# title, link or text), [] when it holds no complete item. Where feedparser's Expect: names an
# item's field, its value is the one here.
BOZO_ITEMS = {
    "illformed/aaa_illformed.xml": [],                  # <rss></rss cut short, no item
    "illformed/always_strip_doctype.xml": [],           # a channel title only
    "illformed/chardet/big5.xml": [],                   # a feed title only
    "illformed/chardet/eucjp.xml": [{"title": Decoded("euc_jp", "title"),
                                     "text": Decoded("euc_jp", "description")}],
    "illformed/chardet/euckr.xml": [{"title": Decoded("euc_kr", "title"),
                                     "text": Decoded("euc_kr", "description")}],
    "illformed/chardet/gb2312.xml": [{"title": Decoded("gb2312", "title")}],
    "illformed/chardet/koi8r.xml": [{"title": Decoded("koi8_r", "title"),
                                     "text": Decoded("koi8_r", "description")}],
    "illformed/chardet/shiftjis.xml": [{"title": Decoded("shift_jis", "title"),
                                        "text": Decoded("shift_jis", "summary")}],
    "illformed/chardet/tis620.xml": [{"text": Decoded("tis_620", "description")}],
    "illformed/chardet/windows1255.xml": [{"text": Decoded("cp1255", "description")}],
    "illformed/geo/georss_point_no_coords.xml": [{}],
    "illformed/geo/georss_polygon_insufficient_coords.xml": [{}],
    "illformed/geo/gml_point.xml": [{}],
    "illformed/http_high_bit_date.xml": [],             # a channel date only
    "illformed/rdf_channel_empty_textinput.xml": [{"title": "crashes here"}],
    "illformed/rss_empty_document.xml": [],
    "illformed/rss_incomplete_cdata.xml": [],           # its one item is cut off
    "illformed/rss_item_link_corrupted_ampersands.xml": [{"url": "http://link/get?a=1&b=2"}],
    "illformed/undeclared_namespace.xml": [],
    "encoding/bozo_bogus_encoding.xml": [],
    "encoding/bozo_double-encoded-html.xml": [{"text": "\u2026"}],
    "encoding/bozo_http_i18n.xml": [],
    "encoding/bozo_http_text_plain.xml": [],
    "encoding/bozo_http_text_plain_charset.xml": [],
    "encoding/bozo_invalid-bytes-with-bom.xml": [],
    "encoding/bozo_linenoise.xml": [{"text": "\xe2\u20ac\u2122\xe2\u20ac\x9d\u0160"}],
}


def is_bozo_case(rel, expect):
    if rel.startswith("illformed/"):
        return True
    return bool(expect) and re.search(r"(?<!not )\bbozo\b(?!_)", expect) is not None


def right_items(path, rel, events):
    """1 when the events are the items BOZO_ITEMS says the document holds."""
    want = BOZO_ITEMS[rel]
    if len(events) != len(want):
        return False
    for ev, fields in zip(events, want):
        for key, value in fields.items():
            value = value.value(path) if isinstance(value, Decoded) else value
            got = fold(ev.get(key, ""))
            if got != fold(value) and got != text_of(value):
                return False
    return True


def expectation(path):
    with open(path, "rb") as f:
        head = f.read(4096).decode("utf-8", "replace")
    m = re.search(r"^\s*Expect:\s*(.+?)\s*$", head, re.M)
    return m.group(1) if m else None


def subscript_path(node):
    """entries[0]['links'][0]['href'] → ['entries', 0, 'links', 0, 'href'], else None."""
    parts = []
    while isinstance(node, ast.Subscript):
        sl = node.slice
        if not isinstance(sl, ast.Constant):
            return None
        parts.append(sl.value)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def checks_of(expr):
    """The comparisons in scope as (path, expected) pairs, or None when any part of the
    expression is about something Seawall does not extract."""
    try:
        tree = ast.parse(expr, mode="eval").body
    except SyntaxError:
        return None
    terms = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) \
        else [tree]
    out = []
    for t in terms:
        if isinstance(t, ast.UnaryOp) and isinstance(t.op, ast.Not) and \
                isinstance(t.operand, ast.Name) and t.operand.id == "bozo":
            continue
        if isinstance(t, ast.Name) and t.id == "bozo":
            continue
        if not (isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], ast.Eq)):
            return None
        path = subscript_path(t.left)
        if not path or path[0] != "entries" or len(path) < 3 or not isinstance(path[1], int):
            return None
        try:
            want = ast.literal_eval(t.comparators[0])
        except ValueError:
            return None
        key = path[2]
        rest = path[3:]
        ok = (key in TEXT_KEYS and not rest) or (key in DATE_KEYS and not rest) or \
             (key.endswith("_parsed") and key[:-7] in DATE_KEYS and not rest) or \
             (key == "links" and len(rest) == 2 and rest[1] == "href") or \
             (key == "author_detail" and rest == ["name"])
        if not ok:
            return None
        out.append((path, want))
    return out or None


def fold(s):
    return " ".join(str(s).split())


class _Text(html.parser.HTMLParser):
    BREAKS = {"br", "p", "div", "li"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in ("p", "li"):
            self.out.append(" ")

    def handle_data(self, data):
        self.out.append(data)


def text_of(value):
    """Seawall keeps plain text where feedparser keeps sanitised HTML: compare the text."""
    if "<" not in value and "&" not in value:
        return fold(value)
    p = _Text()
    p.feed(value)
    p.close()
    return fold("".join(p.out))


def name_of(author):
    """"Name (email)", "Name <email>" or "email (Name)" → "Name"."""
    m = re.fullmatch(r"\s*(\S+@\S+)\s*\((.+)\)\s*", author)
    if m:
        return m.group(2).strip()
    return re.sub(r"\s*[(<][^()<>]*@[^()<>]*[)>]\s*$", "", author).strip()


def to_utc(text):
    """A feed date string as feedparser's tests write it, in UTC; None if unreadable."""
    try:
        d = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        d = None
    if d is None:
        try:
            d = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d.astimezone(datetime.timezone.utc)


def ours_as_utc(iso):
    if not iso:
        return None
    if len(iso) == 10:
        iso += "T00:00:00Z"
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def check(events, path, want):
    i, key, rest = path[1], path[2], path[3:]
    if i >= len(events):
        return False
    ev = events[i]
    if key == "links":
        return ev.get("url") == want
    if key == "author_detail":
        return name_of(ev.get("author", "")) == fold(want)
    if key in ("id", "guid"):
        return ev.get("numbers", {}).get("guid") == want
    if key in ("title", "summary", "description"):
        got = fold(ev.get(TEXT_KEYS[key], ""))
        return got == fold(want) or got == text_of(want)
    if key in TEXT_KEYS:
        return fold(ev.get(TEXT_KEYS[key], "")) == fold(want)
    if key.endswith("_parsed"):
        got = ours_as_utc(ev.get(DATE_KEYS[key[:-7]]) or ev.get("date"))
        return got is not None and tuple(want[:6]) == got.timetuple()[:6]
    got = ours_as_utc(ev.get(DATE_KEYS[key]) or ev.get("date"))
    exp = to_utc(want)
    return got is not None and exp is not None and got == exp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "default"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    seawall = os.path.join(args.build, "bin", "seawall")
    env = dict(os.environ, SEAWALL_CONFIG="",
               ASAN_OPTIONS=f"exitcode={CRASH}:detect_leaks=1",
               UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")
    files = crashes = cases = passed = 0
    failures = []
    bozo = {}          # rel → 1 when it yields the right items
    for dirpath, _, names in sorted(os.walk(CORPUS)):
        for name in sorted(names):
            if not name.endswith(".xml"):
                continue
            path = os.path.join(dirpath, name)
            files += 1
            try:
                p = subprocess.run([seawall, "feed", "parse", path], capture_output=True,
                                   env=env, timeout=30)
            except subprocess.TimeoutExpired:
                crashes += 1
                failures.append((path, "timed out"))
                continue
            if p.returncode not in (0, 1):
                crashes += 1
                failures.append((path, f"exit {p.returncode}: {p.stderr.decode()[-500:]}"))
                continue
            expect = expectation(path)
            rel = os.path.relpath(path, CORPUS)
            if is_bozo_case(rel, expect):
                if rel not in BOZO_ITEMS:
                    failures.append((rel, "an ill-formed case BOZO_ITEMS does not describe"))
                    crashes += 1
                else:
                    evs = [json.loads(l) for l in p.stdout.decode().splitlines() if l]
                    bozo[rel] = right_items(path, rel, evs)
                    if not bozo[rel]:
                        failures.append((rel, f"ill-formed: expected items {BOZO_ITEMS[rel]!r}"
                                              f"; events {json.dumps(evs)[:300]}"))
            checks = checks_of(expect) if expect else None
            if not checks:
                continue
            cases += 1
            events = [json.loads(l) for l in p.stdout.decode().splitlines() if l]
            bad = [(pth, w) for pth, w in checks if not check(events, pth, w)]
            if not bad:
                passed += 1
            else:
                failures.append((os.path.relpath(path, CORPUS),
                                 f"expected {expect!r}; events {json.dumps(events)[:300]}"))
    if args.verbose:
        for path, why in failures:
            print(f"FAIL {path}: {why}")
    rate = passed / cases if cases else 0.0
    with_items = [r for r in bozo if BOZO_ITEMS[r]]
    without = [r for r in bozo if not BOZO_ITEMS[r]]
    right = sum(bozo[r] for r in with_items)
    empty = sum(bozo[r] for r in without)
    print(f"files={files} in_scope={cases} passed={passed} failed={cases - passed} "
          f"crashes={crashes}")
    print(f"ill-formed: {len(bozo)} cases; {right} of the {len(with_items)} with items now "
          f"yield the right items; {empty} of the {len(without)} without a complete item "
          f"yield none")
    print(f"RESULT conformance cases={cases} passed={passed} rate={rate:.3f} crashes={crashes} "
          f"bozo_items={right}/{len(with_items)} bozo_empty={empty}/{len(without)}")
    return 0 if crashes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
