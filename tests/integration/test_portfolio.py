"""Portfolios through the API: items of each kind, validation naming each field, scope, bulk
import (JSON and CSV, all or nothing), export (JSON and CSV, formula-safe), change stream."""
import json

from harness import problem


def pf(sub):
    return f"/api/v1/subscribers/{sub['id']}/portfolio"


def test_items_of_each_kind(s):
    sub, tok = s.tenant("Portfolio Owner Ltd")
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
    changes = s.redis("XRANGE", "portfolio-changes", "-", "+")
    mine = [dict(zip(f[::2], f[1::2])) for _, f in changes]
    mine = [c for c in mine if c["sub"] == str(sub["id"])]
    assert "profile" in mine[0], mine[0]          # the new subscriber itself, then its items
    mine = mine[1:]
    assert len(mine) == 7 and "delete" in mine[-1] and mine[-1]["delete"] == str(made[4]["id"])


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
        # An alias that is not UTF-8 (was dropped silently, 201).
        (head + good + b"name,Bad Alias Co,\"Fine;\xc3\x28\",\r\n",
         [("/rows/3/aliases", "is not UTF-8 (byte 6 of the cell)")]),
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
         [(f"/header/{i}", f'unknown column "c{i}"; columns are kind, text, classes, '
           f'countries, aliases, number, country, show, label') for i in range(2, 20)]),
        # A row with more cells than the header has columns.
        (head + good + b"name,Wide Co,,,extra\r\n",
         [("/rows/3", "has 5 cells; the header has 4 columns")]),
    ]
    for text, want in cases:
        p = problem(csv_import(s, sub, tok, text), 400, "validation")
        assert [(e["pointer"], e["message"]) for e in p["errors"]] == want, (text[:80], p)
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
