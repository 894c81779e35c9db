"""Portfolios through the API: items of each kind, validation naming each field, scope, bulk
import (JSON and CSV in UTF-8, UTF-16 or GB18030; add, upsert, replace; all or nothing),
export (JSON, CSV as Excel reads it, .xlsx), round trips, inline checks, change stream, and
what EM and EU mean for validation and matching."""
import codecs
import http.client
import io
import json
import os
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

from harness import problem, wait_until


def pf(sub):
    return f"/api/v1/subscribers/{sub['id']}/portfolio"


def pf_changes(s, sub=None):
    """The portfolio-changes stream's entries as dicts, shard by shard (redis.stream_shards,
    4 unless set): a subscriber's are all in one shard, in order. With sub, only its."""
    shards = int(os.environ.get("SEAWALL_REDIS_STREAM_SHARDS", "4"))
    out = []
    for i in range(shards):
        out += [dict(zip(f[::2], f[1::2]))
                for _, f in s.redis("XRANGE", f"sw:{{portfolio-changes:{i}}}", "-", "+")]
    return [c for c in out if sub is None or c["sub"] == str(sub["id"])]


def test_items_of_each_kind(s):
    sub, tok = s.tenant("Portfolio Owner Ltd")
    s.fair("ifa-berlin-2026")
    items = [{"kind": "mark", "text": "BRIGHTSOUND", "classes": [9, 42], "countries": ["US"]},
             {"kind": "name", "text": "Shenzhen Bright Audio Technology Co., Ltd.",
              "aliases": ["深圳明亮音响有限公司"]},
             {"kind": "patent", "number": "US 8,930,553 B2"},
             {"kind": "keyword", "text": "bluetooth speaker", "countries": ["DE"]},
             {"kind": "show", "show": "ifa-berlin-2026"}]
    made = []
    for it in items:
        r = s.post(pf(sub), it, token=tok)
        assert r.status == 201 and r.header("Location").endswith(str(r.json()["id"])), r
        made.append(r.json())
    assert made[2]["normalised"] == "US8930553"
    listed = s.get(pf(sub), token=tok).json()["items"]
    assert [x["id"] for x in listed] == [m["id"] for m in made]
    marks = s.get(pf(sub) + "?kind=mark", token=tok).json()["items"]
    assert [x["text"] for x in marks] == ["BRIGHTSOUND"]
    r = s.request("PATCH", f"{pf(sub)}/{made[0]['id']}", body={"classes": [9]}, token=tok)
    assert r.status == 200 and r.json()["classes"] == [9] and r.json()["text"] == "BRIGHTSOUND"
    assert s.request("DELETE", f"{pf(sub)}/{made[4]['id']}", token=tok).status == 204
    problem(s.get(f"{pf(sub)}/{made[4]['id']}", token=tok), 404)
    # Each change went to the stream the matchers follow.
    mine = pf_changes(s, sub)
    assert "profile" in mine[0], mine[0]          # the new subscriber itself, then its items
    mine = mine[1:]
    assert len(mine) == 7 and "delete" in mine[-1] and mine[-1]["delete"] == str(made[4]["id"])
    # Numbered in order, one number per change; none left waiting in the outbox.
    assert [int(c["seq"]) for c in mine] == list(range(1, 8)), mine
    assert s.redis("ZCARD", f"sw:{{sub:{sub['id']}}}:pf:outbox") == 0


def test_item_validation_names_fields(s):
    sub, tok = s.tenant("Validator Ltd")
    for body, ptr in (({"kind": "logo"}, "/kind"),
                      ({"kind": "mark"}, "/text"),
                      ({"kind": "mark", "text": "X", "classes": [0, 46]}, "/classes/0"),
                      ({"kind": "mark", "text": "X", "countries": ["ZZ"]}, "/countries/0"),
                      ({"kind": "mark", "text": "X", "number": "1"}, "/number"),
                      ({"kind": "patent", "number": "not a number"}, "/number"),
                      ({"kind": "show"}, "/show")):
        p = problem(s.post(pf(sub), body, token=tok), 400)
        assert ptr in [e["pointer"] for e in p.get("errors", [])], (body, p)


def test_texts_the_matcher_could_not_use_are_refused(s):
    sub, tok = s.tenant("Unmatchable Ltd")
    for body, detail in (({"kind": "mark", "text": "®™!!"}, "no letters or digits"),
                         ({"kind": "keyword", "text": "--- ..."}, "no letters or digits"),
                         ({"kind": "name", "text": "® &"}, "legal form or symbols"),
                         ({"kind": "keyword", "text": "one two three four five six seven eight "
                           "nine"}, "at most 8 words")):
        p = problem(s.post(pf(sub), body, token=tok), 400, "validation")
        assert [(e["pointer"], detail in e["message"]) for e in p["errors"]] == \
            [("/text", True)], (body, p)
    # Eight words, and a long keyword written in characters (matched by them), are fine.
    for text in ("one two three four five six seven eight", "华为 手机 电池 充电器 耳机 音箱 平板 手表 相机"):
        r = s.post(pf(sub), {"kind": "keyword", "text": text}, token=tok)
        assert r.status == 201, r
    # In a bulk import each such row is named, and nothing is stored.
    p = problem(s.post(pf(sub) + "/import", {"items": [{"kind": "mark", "text": "GOOD"},
                                                       {"kind": "mark", "text": "…"}]},
                       token=tok), 400, "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/items/1/text"], p
    assert len(s.get(pf(sub), token=tok).json()["items"]) == 2


def test_scope(s):
    a, tok_a = s.tenant("Scope A")
    b, tok_b = s.tenant("Scope B")
    s.post(pf(b), {"kind": "mark", "text": "SECRETMARK"}, token=tok_b)
    r = s.get(pf(b), token=tok_a)
    problem(r, 404)
    assert "SECRETMARK" not in r.body
    problem(s.post(pf(b), {"kind": "mark", "text": "X"}, token=tok_a), 404)
    centre = s.make("/api/v1/centres", {"name": "Reader Centre", "country": "CN"})
    tri = s.make(f"/api/v1/centres/{centre['id']}/staff",
                 {"name": "R", "email": "r@c.example", "role": "triager"})
    staff = s.token_for("triager", tri["id"])
    assert s.get(pf(b), token=staff).json()["items"][0]["text"] == "SECRETMARK"
    problem(s.post(pf(b), {"kind": "mark", "text": "X"}, token=staff), 404)
    assert s.post(pf(b), {"kind": "mark", "text": "ADMINMARK"}, token=s.admin).status == 201
    problem(s.get("/api/v1/subscribers/99999999/portfolio", token=s.admin), 404)


def test_bulk_import_all_or_nothing(s):
    sub, tok = s.tenant("Importer Ltd")
    good = [{"kind": "mark", "text": f"MARK{i:05d}", "classes": [9]} for i in range(10000)]
    bad = list(good)
    bad[17] = {"kind": "mark", "text": ""}
    bad[9000] = {"kind": "patent", "number": "??"}
    p = problem(s.post(pf(sub) + "/import", {"items": bad}, token=tok), 400, "validation")
    ptrs = [e["pointer"] for e in p["errors"]]
    assert "/items/17/text" in ptrs and "/items/9000/number" in ptrs
    assert s.get(pf(sub), token=tok).json()["items"] == []       # nothing stored
    r = s.post(pf(sub) + "/import", {"items": good}, token=tok)
    assert r.status == 201 and r.json()["stored"] == 10000, r
    page = s.get(pf(sub) + "?limit=200", token=tok).json()
    assert len(page["items"]) == 200 and page["next"]
    p = problem(s.post(pf(sub) + "/import", {"items": good[:1] * 10001}, token=tok), 400)
    assert "at most 10000" in json.dumps(p)


def test_csv_import_and_export(s):
    sub, tok = s.tenant("CSV Ltd")
    csv = ("kind,text,classes,countries,aliases,number,country,show,label\r\n"
           "mark,BRIGHTSOUND,9;42,US;DE,,,,,\"main, mark\"\r\n"
           "name,Bright Audio Co.,,,\"Bright Audio;明亮音响\",,,,\r\n"
           "patent,,,,,\"US 8,930,553 B2\",,,\r\n"
           "mark,\"=HYPERLINK(\"\"http://evil\"\")\",,,,,,,\r\n")
    r = s.request("POST", pf(sub) + "/import", raw=csv, token=tok,
                  headers={"Content-Type": "text/csv"})
    assert r.status == 201 and r.json()["stored"] == 4, r
    items = r.json()["items"]
    assert items[0]["classes"] == [9, 42] and items[0]["label"] == "main, mark"
    assert items[1]["aliases"] == ["Bright Audio", "明亮音响"]
    assert items[2]["normalised"] == "US8930553"
    bad = "kind,text,classes\r\nmark,OK,9\r\nmark,,9\r\nmark,X,99\r\n"
    p = problem(s.request("POST", pf(sub) + "/import", raw=bad, token=tok,
                          headers={"Content-Type": "text/csv"}), 400)
    ptrs = [e["pointer"] for e in p["errors"]]
    assert "/rows/3/text" in ptrs and "/rows/4/classes/0" in ptrs, ptrs
    p = problem(s.request("POST", pf(sub) + "/import", raw="kind,colour\r\nmark,red\r\n",
                          token=tok, headers={"Content-Type": "text/csv"}), 400)
    assert p["errors"][0]["pointer"] == "/header/1"
    assert 'unknown column "colour"' in p["errors"][0]["message"], p
    out = s.get(pf(sub) + "/export?format=csv", token=tok)
    assert out.status == 200 and out.header("Content-Type").startswith("text/csv")
    assert '"\'=HYPERLINK(""http://evil"")"' in out.body          # formula neutralised
    assert '"BRIGHTSOUND","9;42","US;DE"' in out.body
    js = s.get(pf(sub) + "/export", token=tok).json()
    assert len(js["items"]) == 4
    problem(s.get(pf(sub) + "/export?format=xls", token=tok), 400)


def csv_import(s, sub, tok, text):
    return s.request("POST", pf(sub) + "/import", raw=text, token=tok,
                     headers={"Content-Type": "text/csv"})


def test_csv_import_refuses_what_json_refuses_and_stores_nothing(s):
    """Each bad input is a 400 naming its row and column; nothing of the import is kept."""
    sub, tok = s.tenant("CSV Strict Ltd")
    head = b"kind,text,aliases,label\r\n"
    good = b"name,Good Trading Co,,\r\n"
    cases = [
        # A NUL inside a cell (was stored).
        (head + good + b"name,Nul Co,,a\x00b\r\n",
         [("/rows/3/label", "must not contain NUL characters")]),
        # A cell of 1,500 bytes (was cut to 1,023): refused with its real length.
        (head + good + b"name,Long Co,," + b"L" * 1500 + b"\r\n",
         [("/rows/3/label", "must be 0 to 200 characters long (got 1500)")]),
        # More than 16 columns (the header error was lost and rows mis-split): each column
        # that is not one of the nine is named, by its place in the header.
        (b"kind,text," + b",".join(b"c%d" % i for i in range(2, 20)) + b"\r\n" +
         b"name,X" + b",y" * 18 + b"\r\n",
         [(f"/header/{i}", f'unknown column "c{i}"; columns are id, kind, text, classes, '
           f'countries, aliases, number, country, show, label') for i in range(2, 20)]),
        # A row with more cells than the header has columns.
        (head + good + b"name,Wide Co,,,extra\r\n",
         [("/rows/3", "has 5 cells; the header has 4 columns")]),
    ]
    for text, want in cases:
        p = problem(csv_import(s, sub, tok, text), 400, "validation")
        assert [(e["pointer"], e["message"]) for e in p["errors"]] == want, (text[:80], p)
    # An alias that is not UTF-8 (was dropped silently, 201), in a file that is not GB18030
    # either: the encoding is refused, naming the cell and the byte.
    p = problem(csv_import(s, sub, tok, head + good + b"name,Bad Alias Co,\"Fine;\xc3\x28\",\r\n"),
                400, "bad-encoding")
    assert [(e["pointer"], e["message"]) for e in p["errors"]] == \
        [("/rows/3/aliases", 'byte 74 of the file (0xC3 0x28) is neither UTF-8 nor GB18030 '
          '(GBK): save the file as "CSV UTF-8", or name its encoding with ?charset=')], p
    assert s.get(pf(sub), token=tok).json()["items"] == []


def test_csv_quoted_cells_kept_whole(s):
    sub, tok = s.tenant("CSV Quoting Ltd")
    aliases = [f"Alias Number {i:02d} " + "x" * 60 for i in range(20)]
    text = ("kind,text,aliases,label\r\n"
            'name,"Comma, ""Quote"" Co",' + ";".join(aliases) + ',"line one\nline two, ""2"""\r\n')
    assert len(";".join(aliases)) > 1023
    r = csv_import(s, sub, tok, text)
    assert r.status == 201, r
    it = r.json()["items"][0]
    assert it["text"] == 'Comma, "Quote" Co'
    assert it["label"] == 'line one\nline two, "2"'
    assert it["aliases"] == aliases                     # all 20, none cut
    stored = s.get(pf(sub), token=tok).json()["items"]
    assert [x["label"] for x in stored] == ['line one\nline two, "2"']
    # A quote inside a cell that is not quoted is ambiguous: refused, not guessed at.
    p = problem(csv_import(s, sub, tok, 'kind,text\r\nmark,=HYPERLINK("x")\r\n'), 400)
    assert [e["pointer"] for e in p["errors"]] == ["/rows/2"]
    assert "malformed CSV at byte" in p["errors"][0]["message"], p


def test_bad_updates_and_imports_answered_precisely(s):
    sub, tok = s.tenant("Precise Ltd")
    it = s.post(pf(sub), {"kind": "mark", "text": "PRECISA", "classes": [9]}, token=tok).json()
    path = f"{pf(sub)}/{it['id']}"
    p = problem(s.request("PATCH", path, body={"classes": [99]}, token=tok), 400, "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/classes/0"]
    # Changing the kind is checked as the whole new item: a show needs its "show".
    p = problem(s.request("PATCH", path, body={"kind": "show"}, token=tok), 400)
    assert "/show" in [e["pointer"] for e in p["errors"]], p
    p = problem(s.request("PATCH", path, body={"colour": "red"}, token=tok), 400)
    assert [e["pointer"] for e in p["errors"]] == ["/colour"]
    problem(s.request("PATCH", path, raw="{", token=tok,
                      headers={"Content-Type": "application/json"}), 400, "malformed-json")
    assert s.get(path, token=tok).json()["classes"] == [9]            # nothing changed
    problem(s.request("PATCH", f"{pf(sub)}/999999", body={"label": "x"}, token=tok), 404)
    p = problem(s.post(pf(sub) + "/import", {"items": [], "extra": 1}, token=tok), 400)
    assert p["errors"][0]["pointer"] == "/items"
    p = problem(s.post(pf(sub) + "/import", {"items": "mark"}, token=tok), 400)
    assert p["errors"][0]["pointer"] == "/items"
    problem(s.request("POST", pf(sub) + "/import", raw="kind,text\r\nmark,X\r\n", token=tok,
                      headers={"Content-Type": "text/plain"}), 415)


def test_alert_list_and_id_checked(s):
    sub, tok = s.tenant("Alert Reader Ltd")
    assert s.get("/api/v1/alerts", token=tok).json() == {"items": [], "next": None}
    for q in ("limit=0", "limit=201", "limit=x", "cursor=-1", "cursor=abc"):
        p = problem(s.get(f"/api/v1/alerts?{q}", token=tok), 400, "validation")
        assert p["errors"][0]["parameter"] == q.split("=")[0], (q, p)
    problem(s.get("/api/v1/alerts?colour=red", token=tok), 400)
    for bad in ("al_123", "xx_" + "0" * 32, "al_" + "G" * 32, "al_" + "0" * 33):
        problem(s.get(f"/api/v1/alerts/{bad}", token=tok), 404)
    problem(s.get("/api/v1/alerts/al_" + "0" * 32, token=tok), 404)
    problem(s.get("/api/v1/alerts", token=s.admin), 403)


# --- EM and EU ------------------------------------------------------------------------------

def test_em_and_eu_accepted_where_they_mean_something(s):
    """EM (an EU trade mark) on a mark, EU (the EU as a market) in markets and on keywords;
    each refused elsewhere with a message saying what to write, naming the field."""
    sub, tok = s.tenant("Union Trader Ltd")
    for body in ({"kind": "mark", "text": "VELMORA", "countries": ["EM", "US"]},
                 {"kind": "keyword", "text": "solar inverter", "countries": ["EU", "CH"]},
                 {"kind": "patent", "number": "EP1234567", "country": "EP"}):
        r = s.post(pf(sub), body, token=tok)
        assert r.status == 201, (body, r)
    for body, ptr, words in (
            ({"kind": "mark", "text": "X", "countries": ["US", "EU"]}, "/countries/1",
             "an EU trade mark is written EM"),
            ({"kind": "keyword", "text": "x", "countries": ["EM"]}, "/countries/0",
             "the EU as a market is written EU"),
            ({"kind": "patent", "number": "1234567", "country": "EM"}, "/country",
             "not EM or EU"),
            ({"kind": "mark", "text": "X", "countries": ["XU"]}, "/countries/0",
             "is not an ISO 3166-1 alpha-2 country code or EM")):
        p = problem(s.post(pf(sub), body, token=tok), 400, "validation")
        assert [(e["pointer"], words in e["message"]) for e in p["errors"]] == [(ptr, True)], p
    r = s.request("PATCH", f"/api/v1/subscribers/{sub['id']}", body={"markets": ["EU", "US"]},
                  token=tok)
    assert r.status == 200 and r.json()["markets"] == ["EU", "US"], r
    p = problem(s.request("PATCH", f"/api/v1/subscribers/{sub['id']}", body={"markets": ["EM"]},
                          token=tok), 400, "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/markets/0"], p
    assert "written EU" in p["errors"][0]["message"]
    p = problem(s.post("/api/v1/subscribers", {"name": "Nowhere Ltd", "country": "EU",
                                               "email": "a@b.example"}, token=s.admin), 400)
    assert [e["pointer"] for e in p["errors"]] == ["/country"], p
    assert "name a member state" in p["errors"][0]["message"]
    # In the reader's language, as the portal shows them beside the field.
    for body, ptr, words in (
            ({"kind": "mark", "text": "X", "countries": ["EU"]}, "/countries/0", "欧盟商标请写作 EM"),
            ({"kind": "keyword", "text": "x", "countries": ["XU"]}, "/countries/0",
             "“XU”不是 ISO 3166-1 两位字母国家代码，也不是 EU")):
        p = problem(s.post(f"{pf(sub)}/check", body, token=tok,
                           headers={"Accept-Language": "zh-CN"}), 400, "validation")
        assert [(e["pointer"], words in e["message"]) for e in p["errors"]] == [(ptr, True)], p


def _matcher_done(s):
    """A marker event pushed now has been matched and acknowledged."""
    from test_matching import matched_up_to, push_event
    marker = push_event(s, {"id": f"ev_marker_{time.monotonic_ns()}", "source": "test",
                            "type": "news", "title": "nothing to see"})
    wait_until("the matcher to pass the marker", lambda: matched_up_to(s, marker))


def test_euipo_filing_alerts_marks_watched_in_em_and_markets_in_eu(s):
    from test_matching import serve, wait_alerts
    em, tok_em = s.tenant("EUTM Holder Ltd")
    s.post(pf(em) + "/import", {"items": [{"kind": "mark", "text": "HICARE", "classes": [9],
                                           "countries": ["EM"]}]}, token=tok_em)
    eu, tok_eu = s.tenant("EU Market Trader Ltd")
    s.request("PATCH", f"/api/v1/subscribers/{eu['id']}", body={"markets": ["EU"]}, token=tok_eu)
    s.post(pf(eu) + "/import", {"items": [{"kind": "mark", "text": "HICARE"}]}, token=tok_eu)
    us, tok_us = s.tenant("US Only Ltd")
    s.request("PATCH", f"/api/v1/subscribers/{us['id']}", body={"markets": ["US"]}, token=tok_us)
    s.post(pf(us) + "/import", {"items": [{"kind": "mark", "text": "HICARE",
                                           "countries": ["US"]},
                                          {"kind": "mark", "text": "HICARES"}]}, token=tok_us)
    serve(s, "euipo-tm-xml/018222474.xml", "euipo-hicare.xml")
    a = wait_alerts(s, tok_em, 1, "the EUIPO filing to alert the EU trade mark")[0]
    assert a["rule"] == "identical-mark" and a["event"]["jurisdiction"] == "EM", a
    assert a["event"]["marks"] == ["HiCare"], a
    b = wait_alerts(s, tok_eu, 1, "the EUIPO filing to alert the EU market")[0]
    assert b["event_id"] == a["event_id"]
    _matcher_done(s)
    assert s.get("/api/v1/alerts", token=tok_us).json()["items"] == []


def test_market_eu_alerted_for_a_member_state_not_for_the_us(s):
    from test_matching import push_event
    sub, tok = s.tenant("Inverter Exporter Ltd")
    s.request("PATCH", f"/api/v1/subscribers/{sub['id']}", body={"markets": ["EU"]}, token=tok)
    s.post(pf(sub) + "/import", {"items": [{"kind": "keyword", "text": "photovoltaic combiner"},
                                           {"kind": "mark", "text": "SOLVANTEX",
                                            "countries": ["EM"]}]}, token=tok)
    for jur, n in (("US", 0), ("DE", 1)):
        push_event(s, {"id": f"ev_eu_market_{jur}", "source": "test", "type": "news",
                       "jurisdiction": jur, "title": "Photovoltaic combiner boxes recalled"})
        push_event(s, {"id": f"ev_eu_mark_{jur}", "source": "test", "type": "trademark_filing",
                       "jurisdiction": jur, "marks": ["SOLVANTEX"],
                       "parties": [{"name": "Someone Else GmbH", "role": "applicant"}]})
    _matcher_done(s)
    got = s.get("/api/v1/alerts", token=tok).json()["items"]
    assert sorted((a["event_id"], a["rule"]) for a in got) == \
        [("ev_eu_mark_DE", "identical-mark"), ("ev_eu_market_DE", "keyword-in-news")], got


# --- encodings --------------------------------------------------------------------------------

ROWS = [["kind", "text", "aliases", "label"],
        ["name", "深圳明亮音响科技有限公司", "明亮音响;Bright Audio", "主要客户, \"VIP\""],
        ["mark", "华为", "", ""],
        ["keyword", "蓝牙音箱", "", "多行\n备注"]]


def csv_text(rows, delim=","):
    def cell(v):
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\t') else v
    return "".join(delim.join(cell(v) for v in r) + "\r\n" for r in rows)


def test_csv_in_each_encoding_spreadsheets_save(s):
    sub, tok = s.tenant("Encodings Ltd")
    text = csv_text(ROWS)
    tabbed = csv_text(ROWS, "\t")
    files = [("UTF-8 with a BOM", codecs.BOM_UTF8 + text.encode(), None, "UTF-8", "comma"),
             ("UTF-16LE, tabs (Excel's Unicode text)", codecs.BOM_UTF16_LE +
              tabbed.encode("utf-16-le"), None, "UTF-16LE", "tab"),
             ("UTF-16BE with a BOM", codecs.BOM_UTF16_BE + text.encode("utf-16-be"), None,
              "UTF-16BE", "comma"),
             ("GB18030 found out", text.encode("gb18030"), None, "GB18030", "comma"),
             ("GBK, tabs", tabbed.encode("gbk"), None, "GB18030", "tab"),
             ("GBK declared", text.encode("gbk"), "?charset=gbk", "GB18030", "comma"),
             ("GBK in the Content-Type", text.encode("gbk"), "text/csv; charset=GBK",
              "GB18030", "comma")]
    for what, body, say, charset, delim in files:
        path, ctype = pf(sub) + "/import?dry_run=true", "text/csv"
        if say and say.startswith("?"):
            path += "&" + say[1:]
        elif say:
            ctype = say
        r = s.request("POST", path, raw=body, token=tok, headers={"Content-Type": ctype})
        assert r.status == 200, (what, r)
        got = r.json()
        assert (got["charset"], got["delimiter"], got["added"]) == (charset, delim, 3), (what, got)
        assert got["items"][0]["text"] == "深圳明亮音响科技有限公司", (what, got)
        assert got["items"][0]["aliases"] == ["明亮音响", "Bright Audio"], (what, got)
        assert got["items"][0]["label"] == '主要客户, "VIP"', (what, got)
        assert got["items"][2]["label"] == "多行\n备注", (what, got)
    assert s.get(pf(sub), token=tok).json()["items"] == []          # dry runs stored nothing
    r = csv_import(s, sub, tok, text.encode("gb18030"))
    assert r.status == 201 and r.json()["stored"] == 3 and r.json()["charset"] == "GB18030", r
    assert [x["text"] for x in s.get(pf(sub), token=tok).json()["items"]] == \
        ["深圳明亮音响科技有限公司", "华为", "蓝牙音箱"]


def test_csv_encoding_errors_named(s):
    sub, tok = s.tenant("Bad Bytes Ltd")
    head = b"kind,text,aliases\r\n"
    # Neither UTF-8 nor GB18030: 0xFF leads nothing in either.
    body = head + "name,华为,".encode("gbk") + b"ok\r\nname,X,a\xffb\r\n"
    p = problem(csv_import(s, sub, tok, body), 400, "bad-encoding")
    assert p["charset"] == "GB18030"
    assert [(e["pointer"], e["message"]) for e in p["errors"]] == \
        [("/rows/3/aliases", f"byte {len(body) - 3} of the file (0xFF 0x62) is neither UTF-8 "
          'nor GB18030 (GBK): save the file as "CSV UTF-8", or name its encoding with '
          "?charset=")], p
    # Declared UTF-8, but GBK: named as not UTF-8.
    r = s.request("POST", pf(sub) + "/import?charset=utf-8", raw=head + "name,华为\r\n".encode("gbk"),
                  token=tok, headers={"Content-Type": "text/csv"})
    p = problem(r, 400, "bad-encoding")
    assert p["errors"] == [{"pointer": "/rows/2/text",
                            "message": f"byte {len(head) + 6} of the file (0xBB 0xAA) is not "
                                       "UTF-8"}], p
    # UTF-16 with a lone surrogate.
    body = codecs.BOM_UTF16_LE + "kind\ttext\r\nmark\t".encode("utf-16-le") + b"\x3d\xd8A\x00"
    p = problem(csv_import(s, sub, tok, body), 400, "bad-encoding")
    assert p["charset"] == "UTF-16LE" and p["errors"][0]["pointer"] == "/rows/2/text", p
    # Charsets named wrong.
    p = problem(s.request("POST", pf(sub) + "/import?charset=latin1", raw=head, token=tok,
                          headers={"Content-Type": "text/csv"}), 400, "validation")
    assert p["errors"][0]["parameter"] == "charset", p
    p = problem(s.request("POST", pf(sub) + "/import?charset=gbk", body={"items": []}, token=tok),
                400, "validation")
    assert p["errors"][0]["parameter"] == "charset", p
    p = problem(s.request("POST", pf(sub) + "/import", raw=head, token=tok,
                          headers={"Content-Type": "text/csv; charset=ebcdic"}), 400)
    assert p["errors"][0]["parameter"] == "Content-Type", p
    assert s.get(pf(sub), token=tok).json()["items"] == []


# --- modes and round trips --------------------------------------------------------------------

ITEMS = [{"kind": "mark", "text": "BRIGHTSOUND", "classes": [9, 42], "countries": ["US", "EM"],
          "label": "=1+2 (not a formula)"},
         {"kind": "name", "text": "深圳明亮音响科技有限公司", "aliases": ["明亮音响", "+86 Audio"]},
         {"kind": "patent", "number": "US 8,930,553 B2"},
         {"kind": "keyword", "text": "蓝牙音箱", "countries": ["EU"], "label": "-5% 折扣"},
         {"kind": "show", "show": "canton-fair-2026", "label": "@展位 12.1"},
         {"kind": "mark", "text": "'QUOTED", "label": "'=already quoted"}]


def change_count(s, sub):
    return len(pf_changes(s, sub))


def filing(eid, mark):
    return {"id": eid, "source": "test", "type": "trademark_filing", "jurisdiction": "US",
            "marks": [mark], "parties": [{"name": "Copycat Trading LLC", "role": "applicant"}]}


def test_csv_round_trip_upsert_then_replace(s):
    from test_matching import push_event, wait_alerts
    sub, tok = s.tenant("Round Trip Ltd")
    s.fair("canton-fair-2026", "CN")   # ITEMS names it
    r = s.post(pf(sub) + "/import", {"items": ITEMS}, token=tok)
    assert r.status == 201, r
    before = s.get(pf(sub), token=tok).json()["items"]
    push_event(s, filing("ev_rt_1", "BRIGHTSOUND"))
    assert len(wait_alerts(s, tok, 1, "the first filing's alert")) == 1
    out = s.get(pf(sub) + "/export?format=csv", token=tok)
    assert out.status == 200 and out.header("Content-Type") == "text/csv; charset=utf-8"
    raw = out.body.encode()
    assert raw.startswith(codecs.BOM_UTF8 + b"id,kind,text,classes,countries,aliases,number,"
                          b"country,show,label\r\n"), raw[:120]
    assert raw.count(b"\r\n") == 7 and b"\n" not in raw.replace(b"\r\n", b"")
    assert "\"'=1+2 (not a formula)\"" in out.body and "\"'-5% 折扣\"" in out.body
    assert "\"'@展位 12.1\"" in out.body and "\"明亮音响;+86 Audio\"" in out.body
    assert "\"'QUOTED\"" in out.body and "\"''=already quoted\"" in out.body
    disp = out.header("Content-Disposition")
    assert disp.startswith('attachment; filename="Round Trip Ltd portfolio 2026-') and \
        "filename*=UTF-8''Round%20Trip%20Ltd%20portfolio%20" in disp, disp
    # Imported back as it is: mode=add refuses the ids (that doubled everything) ...
    p = problem(csv_import(s, sub, tok, raw), 400, "validation")
    assert p["errors"][0]["pointer"] == "/rows/2/id" and "mode=upsert" in p["errors"][0]["message"]
    # ... mode=upsert finds every item unchanged: nothing written, nothing re-indexed.
    changes = change_count(s, sub)
    r = s.request("POST", pf(sub) + "/import?mode=upsert", raw=raw, token=tok,
                  headers={"Content-Type": "text/csv"})
    assert r.status == 200, r
    got = r.json()
    assert (got["added"], got["updated"], got["unchanged"], got["removed"]) == (0, 0, 6, 0), got
    assert s.get(pf(sub), token=tok).json()["items"] == before
    assert change_count(s, sub) == changes
    push_event(s, filing("ev_rt_2", "BRIGHTSOUND"))
    _matcher_done(s)
    assert [a["event_id"] for a in s.get("/api/v1/alerts", token=tok).json()["items"]] == \
        ["ev_rt_2", "ev_rt_1"]                      # one alert per filing, not one per copy
    # Edited in the spreadsheet: the mark renamed, the show row gone, a row added.
    lines = out.body.lstrip("\ufeff").split("\r\n")
    mark_id, show_id = before[0]["id"], before[4]["id"]
    lines[1] = lines[1].replace("BRIGHTSOUND", "BRIGHTSONIC")
    lines = [ln for ln in lines if not ln.startswith(f'"{show_id}"')]
    lines.insert(-1, ',"mark","新标志",,,,,,,')
    r = s.request("POST", pf(sub) + "/import?mode=replace", raw="\r\n".join(lines), token=tok,
                  headers={"Content-Type": "text/csv"})
    assert r.status == 200, r
    got = r.json()
    assert (got["added"], got["updated"], got["unchanged"], got["removed"],
            got["removed_ids"]) == (1, 1, 4, 1, [show_id]), got
    after = s.get(pf(sub), token=tok).json()["items"]
    assert [x["text"] if "text" in x else x.get("number", x.get("show")) for x in after] == \
        ["BRIGHTSONIC", "深圳明亮音响科技有限公司", "US 8,930,553 B2", "蓝牙音箱", "'QUOTED", "新标志"]
    assert after[0]["id"] == mark_id and after[0]["label"] == "=1+2 (not a formula)"
    assert after[4]["text"] == "'QUOTED" and after[4]["label"] == "'=already quoted"
    assert after[1]["aliases"] == ["明亮音响", "+86 Audio"]
    # The matcher followed: the old text no longer alerts, the new one does.
    push_event(s, filing("ev_rt_3", "BRIGHTSOUND"))
    push_event(s, filing("ev_rt_4", "BRIGHTSONIC"))
    _matcher_done(s)
    assert [a["event_id"] for a in s.get("/api/v1/alerts", token=tok).json()["items"]] == \
        ["ev_rt_4", "ev_rt_2", "ev_rt_1"]


def test_modes_refuse_unknown_and_repeated_ids(s):
    sub, tok = s.tenant("Id Checker Ltd")
    mine = s.post(pf(sub), {"kind": "mark", "text": "IDMARK"}, token=tok).json()
    other, tok2 = s.tenant("Someone Else Ltd")
    theirs = s.post(pf(other), {"kind": "mark", "text": "THEIRS"}, token=tok2).json()
    for mode in ("upsert", "replace"):
        text = (f"id,kind,text\r\n{mine['id']},mark,A\r\n{theirs['id']},mark,B\r\n"
                f"{mine['id']},mark,C\r\n,mark,D\r\nx,mark,E\r\n")
        p = problem(s.request("POST", pf(sub) + f"/import?mode={mode}", raw=text, token=tok,
                              headers={"Content-Type": "text/csv"}), 400, "validation")
        assert [e["pointer"] for e in p["errors"]] == ["/rows/6/id"], p    # read first
        text = text.replace("\r\nx,mark,E", "")
        p = problem(s.request("POST", pf(sub) + f"/import?mode={mode}", raw=text, token=tok,
                              headers={"Content-Type": "text/csv"}), 400, "validation")
        assert [(e["pointer"], e["message"]) for e in p["errors"]] == \
            [("/rows/3/id", f"no item {theirs['id']} in this portfolio (ids come from its "
              "export; leave the id out to add the row as a new item)"),
             ("/rows/4/id", f"item {mine['id']} is already given at /rows/2")], p
    assert [x["text"] for x in s.get(pf(sub), token=tok).json()["items"]] == ["IDMARK"]
    assert [x["text"] for x in s.get(pf(other), token=tok2).json()["items"]] == ["THEIRS"]


def test_json_import_modes(s):
    sub, tok = s.tenant("JSON Modes Ltd")
    s.fair("canton-fair-2026", "CN")   # ITEMS names it
    s.post(pf(sub) + "/import", {"items": ITEMS}, token=tok)
    exported = s.get(pf(sub) + "/export", token=tok).json()["items"]
    assert "normalised" in exported[2]
    changes = change_count(s, sub)
    r = s.post(pf(sub) + "/import", {"items": exported, "mode": "upsert"}, token=tok)
    assert r.status == 200 and r.json()["unchanged"] == 6 and r.json()["mode"] == "upsert", r
    assert change_count(s, sub) == changes
    r = s.post(pf(sub) + "/import?mode=replace", {"items": exported[:2] + [{"kind": "mark",
                                                                          "text": "ZETA"}]},
               token=tok)
    assert r.status == 200, r
    assert (r.json()["added"], r.json()["unchanged"], r.json()["removed"]) == (1, 2, 4), r
    assert change_count(s, sub) == changes + 5               # one added, four removed
    assert [x.get("text") for x in s.get(pf(sub), token=tok).json()["items"]] == \
        ["BRIGHTSOUND", "深圳明亮音响科技有限公司", "ZETA"]
    for body, path, ptr in (({"items": [], "mode": "merge"}, "", "/mode"),
                            ({"items": [], "mode": "add"}, "?mode=upsert", "/mode"),
                            ({"items": [{"kind": "mark", "text": "X", "id": 5}]}, "",
                             "/items/0/id"),
                            ({"items": [{"kind": "mark", "text": "X", "id": "5"}],
                              "mode": "upsert"}, "", "/items/0/id"),
                            ({"items": [{"kind": "mark", "text": "X"},
                                        {"kind": "mark", "text": "X", "id": 999999999}],
                              "mode": "upsert"}, "", "/items/1/id"),
                            ({"items": [{"kind": "mark"}]}, "?mode=replace", "/items/0/text")):
        p = problem(s.post(pf(sub) + "/import" + path, body, token=tok), 400, "validation")
        assert [e["pointer"] for e in p["errors"]] == [ptr], (body, p)
    p = problem(s.post(pf(sub) + "/import?mode=merge", {"items": []}, token=tok), 400)
    assert p["errors"][0]["parameter"] == "mode"
    assert len(s.get(pf(sub), token=tok).json()["items"]) == 3


def test_replace_with_rows_without_ids_keeps_equal_items(s):
    """A spreadsheet made by hand (no id column) replacing the portfolio: the rows that equal
    items keep those items (and their ids); only the differences are written."""
    sub, tok = s.tenant("Hand Made Ltd")
    s.post(pf(sub) + "/import", {"items": ITEMS[:3]}, token=tok)
    before = s.get(pf(sub), token=tok).json()["items"]
    changes = change_count(s, sub)
    text = ("kind,text,classes,countries,aliases,number\r\n"
            "mark,BRIGHTSOUND,9;42,US;EM,,\r\n"
            "patent,,,,,\"US 8,930,553 B2\"\r\n"
            "mark,NEWMARK,,,,\r\n")
    r = s.request("POST", pf(sub) + "/import?mode=replace&dry_run=true", raw=text, token=tok,
                  headers={"Content-Type": "text/csv"})
    assert r.status == 200 and r.json()["dry_run"] is True, r
    got = r.json()
    # The mark's label is not in the file: that is a change, so it is updated.
    assert (got["added"], got["updated"], got["unchanged"], got["removed_ids"]) == \
        (2, 0, 1, [before[0]["id"], before[1]["id"]]), got
    assert got["items"][1]["id"] == before[2]["id"] and "id" not in got["items"][2]
    assert s.get(pf(sub), token=tok).json()["items"] == before and \
        change_count(s, sub) == changes                       # a dry run writes nothing
    r = s.request("POST", pf(sub) + "/import?mode=replace", raw=text, token=tok,
                  headers={"Content-Type": "text/csv"})
    assert r.status == 200 and r.json()["removed"] == 2, r
    after = s.get(pf(sub), token=tok).json()["items"]
    assert [x["id"] for x in after][0] == before[2]["id"] and len(after) == 3


# --- xlsx -------------------------------------------------------------------------------------

def raw_get(s, path, token):
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def read_xlsx(data):
    """The first sheet as rows of values (numbers as float, text as str), and its widths."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = [("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
              for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.find("m:sheetData", ns).findall("m:row", ns):
        cells = {}
        for c in row.findall("m:c", ns):
            col = ord(c.get("r")[0]) - ord("A")
            v = c.find("m:v", ns)
            cells[col] = shared[int(v.text)] if c.get("t") == "s" else float(v.text)
        rows.append([cells.get(i) for i in range(max(cells) + 1)])
    widths = [float(c.get("width")) for c in sheet.find("m:cols", ns).findall("m:col", ns)]
    return rows, widths


def test_xlsx_export(s):
    sub, tok = s.tenant("深圳明亮音响科技有限公司")
    s.fair("canton-fair-2026", "CN")   # ITEMS names it
    s.post(pf(sub) + "/import", {"items": ITEMS}, token=tok)
    items = s.get(pf(sub) + "/export", token=tok).json()["items"]
    data_dir = os.path.join(s.dir, "data")
    files_before = sorted(os.listdir(data_dir))
    status, headers, data = raw_get(s, pf(sub) + "/export?format=xlsx", tok)
    assert status == 200, data[:300]
    assert headers["Content-Type"] == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = "深圳明亮音响科技有限公司 portfolio "
    disp = headers["Content-Disposition"]
    assert disp.startswith('attachment; filename="____________ portfolio 2026-'), disp
    assert "filename*=UTF-8''" + urllib.parse.quote(name) in disp and disp.endswith(".xlsx"), disp
    assert sorted(os.listdir(data_dir)) == files_before                   # nothing left behind
    rows, widths = read_xlsx(data)
    assert rows[0] == ["id", "kind", "text", "classes", "countries", "aliases", "number",
                       "country", "show", "label"]
    want = []
    for it in items:
        row = [float(it["id"])]
        for col in rows[0][1:]:
            v = it.get(col)
            row.append("; ".join(str(x) for x in v) if isinstance(v, list) else v)
        while row and row[-1] is None:
            row.pop()
        want.append(row)
    assert rows[1:] == want, (rows, want)
    assert rows[1][3] == "9; 42" and rows[1][9] == "=1+2 (not a formula)"     # text, no guard
    assert rows[2][2] == "深圳明亮音响科技有限公司" and rows[2][5] == "明亮音响; +86 Audio"
    assert len(widths) == 10 and widths[2] > widths[1]
    problem(s.get(pf(sub) + "/export?format=xls", token=tok), 400, "validation")


# --- inline checks ----------------------------------------------------------------------------

def test_check_and_dry_runs_store_nothing(s):
    sub, tok = s.tenant("Typing Person Ltd")
    s.fair("canton-fair-2026", "CN")   # ITEMS names it
    item = s.post(pf(sub), {"kind": "mark", "text": "TYPED"}, token=tok).json()
    changes = change_count(s, sub)
    r = s.post(pf(sub) + "/check", {"kind": "patent", "number": "US 8,930,553 B2"}, token=tok)
    assert r.status == 200 and r.json()["normalised"] == "US8930553" and "id" not in r.json(), r
    r = s.post(pf(sub) + "/check", {"id": item["id"], "kind": "mark", "text": "TYPED2"},
               token=tok)
    assert r.status == 200 and r.json()["id"] == item["id"], r
    # The same problems, the same pointers, as create answers.
    for body in ({"kind": "mark", "text": "X", "classes": [0], "countries": ["EU"]},
                 {"kind": "show"}, {"kind": "logo"}):
        want = problem(s.post(pf(sub), body, token=tok), 400, "validation")["errors"]
        p = problem(s.post(pf(sub) + "/check", body, token=tok), 400, "validation")
        assert p["errors"] == want, (body, p)
    p = problem(s.post(pf(sub) + "/check", {"id": 99999999, "kind": "mark", "text": "X"},
                       token=tok), 400)
    assert [e["pointer"] for e in p["errors"]] == ["/id"], p
    r = s.post(pf(sub) + "?dry_run=true", {"kind": "name", "text": "试运行有限公司"}, token=tok)
    assert r.status == 200 and r.json() == {"kind": "name", "text": "试运行有限公司"}, r
    p = problem(s.post(pf(sub) + "?dry_run=maybe", {"kind": "mark", "text": "X"}, token=tok), 400)
    assert p["errors"][0]["parameter"] == "dry_run"
    r = s.post(pf(sub) + "/import?dry_run=true", {"items": ITEMS}, token=tok)
    assert r.status == 200 and r.json()["added"] == 6 and r.json()["dry_run"] is True, r
    assert [x["text"] for x in s.get(pf(sub), token=tok).json()["items"]] == ["TYPED"]
    assert change_count(s, sub) == changes
    _, tok_other = s.tenant("Not Yours Ltd")
    problem(s.post(pf(sub) + "/check", {"kind": "mark", "text": "X"}, token=tok_other), 404)


# --- a show item names a fair that exists --------------------------------------------------------

def test_show_items_and_stations_name_a_fair_that_exists(s):
    sub, tok = s.tenant("Fair Goer Ltd")
    s.fair("zqreal-fair-2026")
    # One item: create, check and a change to it are refused alike, naming /show.
    for path in (pf(sub), pf(sub) + "/check"):
        p = problem(s.post(path, {"kind": "show", "show": "zqghost-fair-2026"}, token=tok), 400,
                    "validation")
        assert [e["pointer"] for e in p["errors"]] == ["/show"], p
        assert "zqghost-fair-2026" in p["errors"][0]["message"], p
    p = problem(s.post(pf(sub), {"kind": "show", "show": "Not A Show Id"}, token=tok), 400)
    assert [e["pointer"] for e in p["errors"]] == ["/show"], p
    item = s.post(pf(sub), {"kind": "show", "show": "zqreal-fair-2026"}, token=tok)
    assert item.status == 201, item
    p = problem(s.request("PATCH", f"{pf(sub)}/{item.json()['id']}",
                          body={"show": "zqghost-fair-2026"}, token=tok), 400, "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/show"], p
    # An import: every row naming no fair is named, and nothing is stored.
    rows = [{"kind": "show", "show": "zqreal-fair-2026"},
            {"kind": "mark", "text": "FAIRMARK"},
            {"kind": "show", "show": "zqghost-fair-2026"},
            {"kind": "show", "show": "zqother-ghost-2026"}]
    p = problem(s.post(pf(sub) + "/import", {"items": rows}, token=tok), 400, "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/items/2/show", "/items/3/show"], p
    csv_body = "kind,show,text\r\nshow,zqreal-fair-2026,\r\nshow,zqghost-fair-2026,\r\n"
    p = problem(s.request("POST", pf(sub) + "/import", raw=csv_body.encode(), token=tok,
                          headers={"Content-Type": "text/csv"}), 400, "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/rows/3/show"], p
    kept = s.get(pf(sub), token=tok).json()["items"]
    assert [x.get("show") for x in kept] == ["zqreal-fair-2026"], kept
    # A station serves a fair that exists: through the API and the admin program.
    p = problem(s.post("/api/v1/stations", {"name": "Ghost desk", "show": "zqghost-fair-2026",
                                            "country": "DE"}, token=s.admin), 400, "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/show"], p
    run = s.cli("station", "create", "--name", "Ghost desk", "--show", "zqghost-fair-2026",
                "--country", "DE", check=False)
    assert run.returncode == 1 and "--show \"zqghost-fair-2026\": no such fair" in run.stderr, \
        run.stderr
    st = s.make("/api/v1/stations", {"name": "Real desk", "show": "zqreal-fair-2026",
                                     "country": "DE"})
    assert st["show"] == "zqreal-fair-2026"
    out = s.cli("station", "create", "--name", "Real desk 2", "--show", "zqreal-fair-2026",
                "--country", "DE")
    assert '"show": "zqreal-fair-2026"' in out or '"show":"zqreal-fair-2026"' in out, out


def test_a_change_recorded_but_not_appended_goes_out_with_the_retry(s):
    """A writer that died between its steps (lib/portfolio.c, "Storing a change") leaves its
    change recorded in the portfolio's outbox, not on the stream: the same request again finds
    nothing to change, appends it all the same, and the running matcher matches with it."""
    from test_matching import push_event, wait_alerts
    sub, tok = s.tenant("Outbox Retry Ltd")
    item = s.post(pf(sub), {"kind": "keyword", "text": "tidal turbine"}, token=tok).json()
    changed = dict(item, text="wave energy converter")
    text = json.dumps(changed, separators=(",", ":"))
    key = f"sw:{{sub:{sub['id']}}}:pf"
    seq = int(s.redis("GET", key + ":seq")) + 1
    before = len(pf_changes(s, sub))
    # Step b of a PATCH to the item, as its writer left it when it died:
    s.redis_many([["HSET", key, item["id"], text],
                  ["ZADD", key + ":outbox", seq, f"{seq} upsert {text}"],
                  ["SET", key + ":seq", seq]])
    r = s.post(pf(sub) + "/import?mode=upsert", {"items": [changed]}, token=tok)
    assert r.status == 200 and r.json()["unchanged"] == 1, r
    mine = pf_changes(s, sub)
    assert len(mine) == before + 1 and mine[-1]["seq"] == str(seq), mine
    assert json.loads(mine[-1]["upsert"])["text"] == "wave energy converter"
    assert s.redis("ZCARD", key + ":outbox") == 0
    # Appended twice (a writer that died before trimming its outbox): applied once.
    s.redis("ZADD", key + ":outbox", seq, f"{seq} upsert {text}")
    assert s.request("DELETE", f"{pf(sub)}/999999999", token=tok).status == 404
    assert len(pf_changes(s, sub)) == before + 2
    push_event(s, {"id": "ev_outbox_retry", "source": "test", "type": "news",
                   "title": "Wave energy converter recalled"})
    got = wait_alerts(s, tok, 1, "the alert for the changed item")
    assert [a["event_id"] for a in got] == ["ev_outbox_retry"], got


def test_a_change_its_writer_left_unsent_is_swept_to_the_matcher(s):
    """A writer that died after recording a change, and no retry: the matchers' sweep of the
    portfolios written lately appends it, and the matcher matches with it."""
    import time
    from test_matching import push_event, wait_alerts
    sub, tok = s.tenant("Outbox Sweep Ltd")
    item = s.post(pf(sub), {"kind": "keyword", "text": "kelp farm"}, token=tok).json()
    changed = dict(item, text="oyster reef restoration")
    text = json.dumps(changed, separators=(",", ":"))
    key = f"sw:{{sub:{sub['id']}}}:pf"
    seq = int(s.redis("GET", key + ":seq")) + 1
    # Steps a and b of a PATCH, begun a minute ago by a writer that died then:
    s.redis_many([["ZADD", "sw:pf:unsent", int(time.time() * 1000) - 60000, sub["id"]],
                  ["HSET", key, item["id"], text],
                  ["ZADD", key + ":outbox", seq, f"{seq} upsert {text}"],
                  ["SET", key + ":seq", seq]])
    wait_until("the sweep to append the change",
               lambda: any(c.get("seq") == str(seq) for c in pf_changes(s, sub)))
    wait_until("the sweep to forget the portfolio",
               lambda: s.redis("ZSCORE", "sw:pf:unsent", sub["id"]) is None)
    assert s.redis("ZCARD", key + ":outbox") == 0
    push_event(s, {"id": "ev_outbox_sweep", "source": "test", "type": "news",
                   "title": "Oyster reef restoration funded"})
    got = wait_alerts(s, tok, 1, "the alert for the changed item")
    assert [a["event_id"] for a in got] == ["ev_outbox_sweep"], got
