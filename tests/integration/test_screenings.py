"""Risk screening and back-fill through the real stack: a real USPTO filing (SUVENEER) polled
into the register is found by a screening of a similar mark, with its reasons, as JSON and
CSV, progress reaching done; a portfolio mark added after the filing brings one backfill
alert (and a mark like nothing in the register none); bad requests are refused precisely."""
import csv
import io
import json
import os
import shutil

from harness import pointers, problem, wait_until

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "feeds")
SUVENEER = ("US", "98763166")


def suveneer(s, tok):
    """The SUVENEER filing of the USPTO daily sample, through the poller into the register."""
    path = os.path.join(s.dir, "feeds", "scr-daily.xml")
    if not os.path.exists(path):
        shutil.copy(os.path.join(SHARED, "uspto-trademark-daily/daily-na-98763166.xml"), path)
        r = s.post("/api/v1/feeds", {"url": f"http://127.0.0.1:{s.port}/feeds/scr-daily.xml",
                                     "interval_s": 3600}, token=s.admin)
        assert r.status == 201, r

    def get():
        r = s.get("/api/v1/register/marks/%s/%s" % SUVENEER, token=tok)
        return r.json() if r.status == 200 else None
    return wait_until("the SUVENEER record", get, timeout=20)


def done(s, tok, loc):
    def get():
        r = s.get(loc, token=tok)
        assert r.status == 200, r
        j = r.json()
        assert j["status"] in ("queued", "running", "done"), j
        return j if j["status"] == "done" else None
    return wait_until(f"{loc} done", get, timeout=15)


def test_screening_finds_the_similar_filing(s):
    sub, tok = s.tenant("Screening Exporter Ltd")
    rec = suveneer(s, tok)
    r = s.post("/api/v1/screenings", {"marks": [{"text": "Suvener", "classes": [16]},
                                                {"text": "Qwxzvbnmtrk"}],
                                      "names": ["Suveneer Trading Co., Ltd."],
                                      "markets": ["US"]}, token=tok)
    assert r.status == 202, r
    first = r.json()
    loc = r.header("Location")
    assert loc == f"/api/v1/screenings/{first['id']}", (loc, first)
    assert first["status"] == "queued" and first["progress"] == {"done": 0, "total": 3}, first
    assert first["markets"] == ["US"], first

    j = done(s, tok, loc)
    assert j["progress"] == {"done": 3, "total": 3}, j
    found = [c for c in j["conflicts"] if c["record"]["number"] == SUVENEER[1]]
    assert {c["query"]["text"] for c in found} == {"Suvener", "Suveneer Trading Co., Ltd."}, j
    mark = next(c for c in found if c["query"]["kind"] == "mark")
    assert mark["record"]["mark"] == "SUVENEER" and mark["record"]["office"] == "US", mark
    assert mark["record"]["status"] == rec["status"], mark
    assert mark["record"]["owners"] == rec["owners"], mark
    assert mark["reasons"] == {"key": "deletion", "why": "spelling"}, mark
    assert 0.85 <= mark["score"] < 1, mark
    assert "owner" in mark and "history" not in mark["record"], mark
    scores = [c["score"] for c in j["conflicts"]]
    assert scores == sorted(scores, reverse=True), scores

    # The same as CSV: a header and one row per conflict.
    r = s.get(loc + "?format=csv", token=tok)
    assert r.status == 200 and r.header("Content-Type").startswith("text/csv"), r
    assert "attachment" in r.header("Content-Disposition"), r
    rows = list(csv.reader(io.StringIO(r.body)))
    assert rows[0][:6] == ["query_kind", "query", "office", "number", "mark", "status"], rows
    assert len(rows) == 1 + len(j["conflicts"]), rows
    assert ["mark", "Suvener", "US", "98763166", "SUVENEER"] == rows[1 + j["conflicts"].index(
        mark)][:5], rows

    # Listed newest first, without the conflicts; another company sees none of it.
    r = s.post("/api/v1/screenings", {"marks": [{"text": "Zyxwvut"}]}, token=tok)
    assert r.status == 202, r
    second = r.json()
    assert second["markets"] == ["US", "DE"], second   # the company's markets
    lst = s.get("/api/v1/screenings", token=tok).json()
    assert [x["id"] for x in lst["items"][:2]] == [second["id"], first["id"]], lst
    assert "conflicts" not in lst["items"][1] and lst["items"][1]["conflicts_count"] >= 2, lst
    _, other = s.tenant("Screening Bystander Ltd")
    problem(s.get(loc, token=other), 404)
    assert s.get("/api/v1/screenings", token=other).json()["items"] == []


def alerts_of(s, tok):
    return [a for a in s.get("/api/v1/alerts?limit=200", token=tok).json()["items"]
            if a.get("rule") == "backfill"]


def test_backfill_one_alert_for_a_mark_added_after_the_filing(s):
    sub, tok = s.tenant("Backfill Exporter Ltd")
    suveneer(s, tok)
    # First a mark like nothing in the register, then SUVENER: the screener reads them in
    # order, so once SUVENER's alert is there the other was checked too.
    for text in ("Plumqvartz", "SUVENER"):
        r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
                   {"kind": "mark", "text": text, "classes": [16]}, token=tok)
        assert r.status == 201, r
    got = wait_until("the backfill alert", lambda: alerts_of(s, tok), timeout=20)
    assert len(got) == 1, got
    a = s.get(f"/api/v1/alerts/{got[0]['id']}", token=tok,
              headers={"Accept-Language": "en"}).json()
    assert a["event"]["type"] == "backfill", a
    # Other tests register the same real SUVENEER filing under numbers of their own (the
    # register is shared): this test's record is among them, and every one is SUVENEER.
    n = len(a["items"])
    assert n >= 1 and {it["item"]["text"] for it in a["items"]} == {"SUVENER"}, a
    assert SUVENEER[1] in [it["record"]["number"] for it in a["items"]], a
    assert all(it["reasons"][0]["matched"] == ["SUVENEER"] for it in a["items"]), a
    assert a["title"] == (f"Already in the register: {n} mark like your “SUVENER”" if n == 1
                          else f"Already in the register: {n} marks like your “SUVENER”"), a
    zh = s.get(f"/api/v1/alerts/{got[0]['id']}", token=tok,
               headers={"Accept-Language": "zh-CN"}).json()
    assert zh["title"] != a["title"] and "SUVENER" in zh["title"], zh

    # Saving it again (same text) alerts nothing new.
    item = next(i for i in s.get(f"/api/v1/subscribers/{sub['id']}/portfolio",
                                 token=tok).json()["items"] if i["text"] == "SUVENER")
    r = s.request("PATCH", f"/api/v1/subscribers/{sub['id']}/portfolio/{item['id']}",
                  {"classes": [16, 9]}, token=tok)
    assert r.status == 200, r
    marker = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
                    {"kind": "mark", "text": "Suveneers", "classes": [16]}, token=tok)
    assert marker.status == 201, marker
    two = wait_until("the second backfill alert", lambda: (lambda x: x if len(x) == 2 else None)(
        alerts_of(s, tok)), timeout=20)
    assert sorted(x["items"][0]["item"]["text"] for x in
                  (s.get(f"/api/v1/alerts/{y['id']}", token=tok).json() for y in two)) == \
        ["SUVENER", "Suveneers"], two


def test_backfill_leaves_a_filing_polled_after_the_mark_to_the_matcher(s):
    """A mark saved, then a filing like it polled while the screener is stopped: when the
    screener reads the mark later, the register holds the filing, but the filing entered the
    events stream after the mark was saved, so the matcher's alert answers for it and no
    back-fill alert names it a second time."""
    sub, tok = s.tenant("Late Screener Ltd")
    s.script("stop-one", "seawall-screener")
    try:
        r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
                   {"kind": "mark", "text": "QORVANDEX", "classes": [9], "countries": ["US"]},
                   token=tok)
        assert r.status == 201, r
        path = os.path.join(s.dir, "feeds", "scr-late.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"seawall_feed": 1, "type": "trademark_filing", "jurisdiction": "US",
                       "title": "Late screener filings", "items": [{
                           "id": "zqlate-1", "title": "US trademark application 97991001",
                           "date": "2026-11-30", "marks": ["QORVANDEKS"], "nice": ["9"],
                           "parties": [{"name": "Qorvan LLC", "role": "applicant",
                                        "country": "US"}],
                           "numbers": {"serial": "97991001"}}]}, f)
        r = s.post("/api/v1/feeds", {"url": f"http://127.0.0.1:{s.port}/feeds/scr-late.json",
                                     "format": "json", "type": "trademark_filing",
                                     "interval_s": 3600}, token=s.admin)
        assert r.status == 201, r
        wait_until("the matcher's alert", lambda: [
            a for a in s.get("/api/v1/alerts", token=tok).json()["items"]
            if a["rule"] == "similar-mark"], timeout=30)
        wait_until("the register's record", lambda: s.get(
            "/api/v1/register/marks/US/97991001", token=tok).status == 200, timeout=30)
    finally:
        s.script("start-worker", "seawall-screener")
    # The screener reads the mark now; a marker item saved after it, like SUVENEER's record,
    # shows when it has: its back-fill alert is there.
    suveneer(s, tok)
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
               {"kind": "mark", "text": "SUVENER", "classes": [16]}, token=tok)
    assert r.status == 201, r
    got = wait_until("the marker's back-fill alert", lambda: alerts_of(s, tok), timeout=30)
    texts = [it["item"]["text"] for a in got for it in s.get(
        f"/api/v1/alerts/{a['id']}", token=tok).json()["items"]]
    assert set(texts) == {"SUVENER"}, texts


def test_refusals(s):
    _, tok = s.tenant("Screening Refusals Ltd")

    def refused(body, ptrs):
        p = problem(s.post("/api/v1/screenings", body, token=tok), 400)
        assert pointers(p) == ptrs, p
        return p

    refused({}, [""])
    refused({"portfolio": False, "markets": ["US"]}, [""])
    refused({"marks": [{"text": "ACME"}], "markets": ["XX"]}, ["/markets/0"])
    refused({"marks": [{"text": "ACME", "classes": [46]}]}, ["/marks/0/classes/0"])
    refused({"marks": [{"text": "ACME"}], "classes": [0, 9]}, ["/classes/0"])
    refused({"marks": [{"text": "ACME", "colour": "red"}]}, ["/marks/0/colour"])
    refused({"marks": [{"text": "!!!"}]}, ["/marks/0/text"])
    refused({"marks": ["ACME"]}, ["/marks/0"])
    refused({"marks": [{"text": "ACME"}], "priority": "high"}, ["/priority"])
    p = refused({"marks": [{"text": f"MARK{i}"} for i in range(201)]}, ["/marks"])
    assert "200" in p["errors"][0]["message"], p
    p = refused({"marks": [{"text": "ACME"}], "show": "no-such-fair-2026"}, ["/show"])
    problem(s.get("/api/v1/screenings/999999", token=tok), 404)
    p = problem(s.get("/api/v1/screenings/1?format=xml", token=tok), 400)
    assert [e.get("parameter") for e in p["errors"]] == ["format"], p
    r = s.request("POST", "/api/v1/screenings", raw=b"{not json", token=tok,
                  headers={"Content-Type": "application/json"})
    problem(r, 400)


def test_record_written_in_the_contract_layout_and_csv_guards_formulas(s):
    """A record written as the register writes it (its key, the office's set, the rid's
    bucket, an entry on the changes stream) reaches the screener; a mark that a spreadsheet
    would read as a formula comes out of the CSV guarded."""
    _, tok = s.tenant("Screening Formula Ltd")
    rid = s.redis("INCR", "sw:{reg}:rid")
    number = "018999001"
    rec = {"office": "EM", "number": number, "rid": rid, "mark": "=Plumqvartz(1)",
           "owners": [{"name": "Formula Holdings GmbH", "country": "DE"}], "classes": [9],
           "status": "live", "history": [], "dates": {"filed": "2026-01-05"},
           "url": "https://euipo.europa.eu/eSearch/#details/trademarks/018999001",
           "updated": "2026-12-02T00:00:00Z"}
    s.redis("SET", f"sw:{{reg:EM}}:tm:{number}", json.dumps(rec))
    s.redis("SADD", "sw:{reg:EM}:tms", number)
    s.redis("SADD", "sw:{reg}:offices", "EM")
    s.redis("HSET", f"sw:{{reg}}:rid:{rid // 1000}", str(rid % 1000), f"EM:{number}")
    # any shard of the changes stream: the screener reads them all
    s.redis("XADD", "sw:{reg:changes:1}", "*", "office", "EM", "number", number, "rid", str(rid))
    r = s.post("/api/v1/screenings", {"marks": [{"text": "PLUMQVARTZ1", "classes": [9]}],
                                      "markets": ["DE"]}, token=tok)
    assert r.status == 202, r
    j = done(s, tok, r.header("Location"))
    assert [c["record"]["number"] for c in j["conflicts"]] == [number], j
    c = j["conflicts"][0]
    assert c["reasons"] == {"key": "exact", "why": "identical"} and c["score"] == 1, c
    assert c["record"]["status"] == "live" and c["owner"] is None, c
    rows = list(csv.reader(io.StringIO(s.get(r.header("Location") + "?format=csv",
                                             token=tok).body)))
    assert rows[1][2:5] == ["EM", number, "'=Plumqvartz(1)"], rows
