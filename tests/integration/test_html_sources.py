"""Web pages without feeds and feeds from the wild, through the real poller: listing pages in
real sites' shapes (htmlpages.py) and lenient-path feeds written by the tests, served by the
stack's nginx, registered through the API, polled by seawall-poller; the events in the stream,
the status each poll leaves (last_error for a page whose layout changed, warnings for what the
lenient reader repaired), and the 400s for expressions that are wrong."""
import json
import os

import htmlpages
from harness import problem, wait_until


def page_url(s, rel):
    return f"http://127.0.0.1:{s.port}/feeds/{rel}"


def write(s, rel, data):
    path = os.path.join(s.dir, "feeds", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)   # nginx never serves half a page


def add_feed(s, url, **kw):
    body = {"url": url, "interval_s": 3600}
    body.update(kw)
    r = s.post("/api/v1/feeds", body, token=s.admin)
    assert r.status == 201, r
    return r.json()


def status(s, fid):
    r = s.get(f"/api/v1/feeds/{fid}", token=s.admin)
    assert r.status == 200, r
    return r.json()["status"]


def wait_polls(s, fid, n, what):
    return wait_until(what, lambda: (lambda st: st if st.get("polls", 0) >= n else None)(
        status(s, fid)))


def poll(s, fid):
    assert s.post(f"/api/v1/feeds/{fid}/poll", None, token=s.admin).status == 202


def events(s, fid):
    """The events this feed put in the stream, oldest entry first. The stream's shards keep
    the order of one event's entries, not of one document's events: events of one poll are
    compared in an order of the test's own (sorted)."""
    out = []
    for _, fields in s.stream_entries("events"):
        ev = json.loads(fields["event"])
        if ev.get("source") == f"feed:{fid}":
            out.append(ev)
    return out


def test_government_list_page(s):
    write(s, "gov/col/col1229/index.html", htmlpages.gov_list(htmlpages.NOTICES))
    url = page_url(s, "gov/col/col1229/index.html")
    f = add_feed(s, url, format="html", type="bulletin", html=htmlpages.LIST_SPEC)
    assert f["html"] == htmlpages.LIST_SPEC
    st = wait_polls(s, f["id"], 1, "the first poll")
    assert "last_error" not in st and st["consecutive_failures"] == 0, st
    assert st["items_seen"] == 3 and st["events_emitted"] == 3, st
    assert "warnings" not in st, st
    evs = events(s, f["id"])
    base = f"http://127.0.0.1:{s.port}"
    assert sorted((e["type"], e["title"], e["url"], e["date"]) for e in evs) == sorted([
        ("bulletin", "关于开展2024年知识产权保护“铁拳”专项行动的通知",
         f"{base}/art/2024/3/5/art_1229_101.html", "2024-03-05"),
        ("bulletin", "关于展会期间知识产权纠纷快速处理的公告",
         f"{base}/feeds/gov/col/col1229/art_1229_102.html", "2024-03-01"),
        ("bulletin", "海关查扣侵权货物情况通报（2024年第2期）",
         f"{base}/feeds/gov/zcfg/103.html", "2024-02-28")]), evs


def test_changed_layout_is_a_source_error_and_the_next_good_page_recovers(s):
    # Links of their own: an event's id is its link's, whichever page lists it.
    rel = "gov2/col/index.html"
    notices = [(t, "n" + href.rsplit("/", 1)[-1], d) for t, href, d in htmlpages.NOTICES]
    write(s, rel, htmlpages.gov_list(notices))
    f = add_feed(s, page_url(s, rel), format="html", html=htmlpages.LIST_SPEC)
    st = wait_polls(s, f["id"], 1, "the first poll")
    assert st["events_emitted"] == 3 and "last_error" not in st, st

    # The site is redesigned: the same notices as cards. An error, never "no news".
    write(s, rel, htmlpages.redesigned(notices))
    poll(s, f["id"])
    st = wait_polls(s, f["id"], 2, "the poll of the redesigned page")
    assert st["consecutive_failures"] == 1, st
    assert st["last_error"] == ("the document could not be read: the page no longer matches "
                                "its item expression \"//ul[@class='list']/li\": no element "
                                "found"), st
    assert st["events_emitted"] == 3 and len(events(s, f["id"])) == 3, st
    cov = s.get("/api/v1/coverage?limit=200").json()["items"]
    mine = [c for c in cov if c["id"] == f["id"]]
    assert mine and mine[0]["last_error"] == "the document could not be read", mine

    # The old layout is back, with one new notice: only that one is new.
    notices.append(("关于2024年春季展会知识产权保护的通知", "art_1229_104.html", "2024-03-08"))
    write(s, rel, htmlpages.gov_list(notices))
    poll(s, f["id"])
    st = wait_polls(s, f["id"], 3, "the poll of the good page")
    assert st["consecutive_failures"] == 0 and st["last_success_at"] >= st["last_error_at"], st
    assert st["events_emitted"] == 4, st
    evs = events(s, f["id"])
    assert len(evs) == 4 and evs[-1]["title"] == "关于2024年春季展会知识产权保护的通知", evs
    assert evs[-1]["url"] == page_url(s, "gov2/col/art_1229_104.html"), evs


def test_table_of_notices_and_gbk_pages(s):
    write(s, "hg/notices.html", htmlpages.notices_table(htmlpages.TABLE_ROWS))
    t = add_feed(s, page_url(s, "hg/notices.html"), format="html", type="customs_seizure",
                 html=htmlpages.TABLE_SPEC)
    # A GBK page (its <meta> says gb2312) with a character GB2312 lacks: 喆.
    gbk = [("关于李喆等人商标侵权案件的通报", "/hg/2024/20.html", "2024年3月9日")]
    write(s, "gbk/list.html", htmlpages.gov_list(gbk, charset="gb2312"))
    g = add_feed(s, page_url(s, "gbk/list.html"), format="html", html=htmlpages.LIST_SPEC)
    # GBK bytes with a <meta> that lies: the registration's charset wins.
    lying = htmlpages.gov_list([(gbk[0][0], "/hg/2024/21.html", gbk[0][2])], charset="gb2312")
    lying = lying.replace(b"charset=gb2312", b"charset=utf-8")
    write(s, "gbk/lying.html", lying)
    lie = add_feed(s, page_url(s, "gbk/lying.html"), format="html", charset="gbk",
                   html=htmlpages.LIST_SPEC)
    for fid in (t["id"], g["id"], lie["id"]):
        st = wait_polls(s, fid, 1, f"feed {fid}'s first poll")
        assert "last_error" not in st, st
    evs = events(s, t["id"])
    evs.sort(key=lambda e: e["date"])
    assert [(e["type"], e["title"], e["date"], e.get("text")) for e in evs] == [
        ("customs_seizure", "关于“BRIGHTSOUND”商标侵权货物的处理公告", "2024-03-05",
         "涉嫌侵犯注册商标专用权的蓝牙音箱400台"),
        ("customs_seizure", "关于展品撤展的通知", "2024-03-06", None)], evs
    assert evs[0]["url"] == f"http://127.0.0.1:{s.port}/gg/2024/17.html", evs
    for fid in (g["id"], lie["id"]):
        evs = events(s, fid)
        assert [(e["title"], e["date"]) for e in evs] == [
            ("关于李喆等人商标侵权案件的通报", "2024-03-09")], evs


def test_expressions_are_checked_at_registration(s):
    url = page_url(s, "gov/col/col1229/index.html")
    spec = dict(htmlpages.LIST_SPEC)
    cases = [({"format": "html", "html": dict(spec, item="//ul[@class='list']/li[")},
              "/html/item", "is not an XPath expression"),
             ({"format": "html", "html": dict(spec, item="count(//li)")}, "/html/item",
              "must select elements"),
             ({"format": "html", "html": dict(spec, title="nosuch(a)")}, "/html/title",
              "unknown function"),
             ({"format": "html", "html": dict(spec, date_format="%d日")}, "/html/date_format",
              "must be auto, dmy, mdy or a pattern"),
             ({"format": "html", "html": {"item": "//li", "title": "a"}}, "/html/link",
              "is required"),
             ({"format": "html", "html": dict(spec, colour="red")}, "/html/colour",
              "unknown field"),
             ({"format": "html", "html": "//li"}, "/html", "must be an object"),
             ({"format": "html"}, "/html", "is required when format is html"),
             ({"format": "rss", "html": spec}, "/format", "must be html"),
             ({"html": spec}, "/format", "must be html")]
    for extra, pointer, words in cases:
        p = problem(s.post("/api/v1/feeds", dict({"url": url}, **extra), token=s.admin), 400,
                    "validation")
        mine = [e for e in p["errors"] if e["pointer"] == pointer]
        assert mine and words in mine[0]["message"], (extra, p)
    f = add_feed(s, url, format="html", html=spec, enabled=False)
    p = problem(s.request("PATCH", f"/api/v1/feeds/{f['id']}",
                          {"html": dict(spec, link="a/@href[")}, token=s.admin), 400,
                "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/html/link"], p
    r = s.request("PATCH", f"/api/v1/feeds/{f['id']}", {"html": dict(spec, date_format="dmy")},
                  token=s.admin)
    assert r.status == 200 and r.json()["html"]["date_format"] == "dmy", r
    # The admin program checks the same way.
    p = s.cli("feed", "add", "--url", url, "--format", "html", "--enabled", "false", "--html",
              json.dumps(dict(spec, item="//li[")), check=False)
    assert p.returncode == 1 and "--html/item is not an XPath expression" in p.stderr, p
    added = json.loads(s.cli("feed", "add", "--url", url, "--format", "html", "--enabled",
                             "false", "--html", json.dumps(spec)))
    assert added["html"] == spec, added


LENIENT_RSS = (b"\n\n  <?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
               b"<rss version=\"2.0\"><channel><title>Wild</title><link>http://wild.test/</link>"
               b"<item><title>Tom &amp; Jerry&nbsp;&mdash; R&D</title>"
               b"<link>http://wild.test/a?x=1&y=2</link><guid>wild-1</guid></item>"
               b"<item><title>Caf&eacute; &copy; 2024</title><guid>wild-2</guid></item>"
               b"</channel></rss>")
CLEAN_RSS = (b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
             b"<rss version=\"2.0\"><channel><title>Wild</title><link>http://wild.test/</link>"
             b"<item><title>Tom &amp; Jerry</title><guid>wild-1</guid></item>"
             b"<item><title>Clean</title><guid>wild-3</guid></item></channel></rss>")
LONE_ENTRY = (b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
              b"<entry xmlns=\"http://www.w3.org/2005/Atom\"><id>urn:wild:entry:1</id>"
              b"<title>A single entry</title><link href=\"http://wild.test/entry/1\"/>"
              b"<updated>2024-03-05T10:00:00Z</updated></entry>")


def test_feeds_from_the_wild_are_read_with_warnings(s):
    write(s, "wild/feed.xml", LENIENT_RSS)
    write(s, "wild/entry.xml", LONE_ENTRY)
    f = add_feed(s, page_url(s, "wild/feed.xml"))
    e = add_feed(s, page_url(s, "wild/entry.xml"))
    st = wait_polls(s, f["id"], 1, "the first poll of the wild feed")
    assert "last_error" not in st and st["events_emitted"] == 2, st
    assert {w["code"]: w["count"] for w in st["warnings"]} == {
        "prolog": 1, "html-entity": 4, "bare-amp": 2}, st
    assert all(w["message"] for w in st["warnings"]), st
    evs = events(s, f["id"])
    assert sorted((x["title"], x.get("url") or "") for x in evs) == [
        ("Café © 2024", ""),
        ("Tom & Jerry\u00a0— R&D", "http://wild.test/a?x=1&y=2")], evs

    st = wait_polls(s, e["id"], 1, "the first poll of the lone entry")
    assert [(w["code"], w["count"]) for w in st["warnings"]] == [("entry-root", 1)], st
    assert [x["title"] for x in events(s, e["id"])] == ["A single entry"]

    # The feed is fixed: the next document read leaves no warnings behind.
    write(s, "wild/feed.xml", CLEAN_RSS)
    poll(s, f["id"])
    st = wait_polls(s, f["id"], 2, "the poll of the clean feed")
    assert "warnings" not in st and st["events_emitted"] == 3, st


def test_hostile_feed_stays_refused_with_the_lenient_reader(s):
    # An entity loop in a document that also has what the reader repairs: refused as before.
    loop = [b"\n<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY l0 \"ha\">"]
    for i in range(1, 31):
        loop.append(f"<!ENTITY l{i} \"{('&l%d;' % (i - 1)) * 10}\">".encode())
    loop.append(b"]><rss version=\"2.0\"><channel><item><title>&nbsp; & &l30;</title>"
                b"<guid>x</guid></item></channel></rss>")
    write(s, "wild/laughs.xml", b"".join(loop))
    f = add_feed(s, page_url(s, "wild/laughs.xml"))
    st = wait_polls(s, f["id"], 1, "the poll of the entity loop")
    assert "entity reference loop" in st["last_error"], st
    assert st["events_emitted"] == 0 and events(s, f["id"]) == [], st
