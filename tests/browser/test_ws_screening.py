"""Risk screening (/app/screening, /app/screenings/{id}), a party (/app/parties/{id}) and the
followed records (/app/follows) in a real browser, signed in as an exporter. Against the real
stack: the journey — a mark screened through the form finds the planted filing of a party that
keeps suing, with its reasons and the frequent-plaintiff badge; followed there and from the
early warnings (a trademark and a lawsuit's docket), listed on /app/follows, stopped; the party's
page; the CSV; the printed report on A4 — and every page in both languages at a phone's and a
desktop's width (one h1, every string from the catalogue, nothing wider than the screen, the
request budget, no console error or CSP violation). By the contract's answers (the STUB table,
as the forms' tests do): the progress while the job runs said in a live region, a failed job,
the form's errors from the server at their fields, and the form and a Follow button used from
the keyboard alone."""
import base64
import json
import re

from browser import DESKTOP, PHONE, browser
from exporter import enter, exporter, fetch_bytes
from portal import catalogue, seed
from registerdata import plant, planted_conflict, screened
from wslib import check_page, first_load, select

PAGES = ("/app/screening", "/app/screenings/{sid}", "/app/parties/{pid}", "/app/follows")


def texts_of(b, css):
    return [" ".join(e.text.split()) for e in b.finds(css)]


def test_follow_from_early_warnings_party_and_follows(s):
    p = plant(s, lang="en")
    who = p["who"]
    with browser(s, lang="en", size=DESKTOP) as b:
        # An early warning about the filing: followed in one click, said, focus kept.
        enter(b, who, f"/app/alerts/{p['alerts']['tm']}")
        b.click("main sw-register-follow button.follow-button")
        b.wait("following", lambda: b.finds("main sw-register-follow .follow-state"))
        assert "unfollow" in b.focused()["cls"], b.focused()
        said = b.js("return document.querySelector('main sw-register-follow [role=status]').textContent")
        assert said == f"You are following {p['filed']} (US {p['number']}).", said
        check_page(b, s, "en", "/app/alerts/{id} followed", max_api=None)
        # The lawsuit against the exporter: a frequent plaintiff's, its docket followed.
        enter(b, who, f"/app/alerts/{p['alerts']['suit']}")
        note = " ".join(b.text("main .frequent-note").split())
        # (The matcher may count this lawsuit or not yet: the register reads the same stream.)
        assert re.fullmatch(f"Frequent plaintiff {re.escape(p['plaintiff'])} has brought [34] "
                            "cases in the register.", note), note
        b.click("main sw-register-follow button.follow-button")
        b.wait("following", lambda: b.finds("main sw-register-follow .follow-state"))
        follows = s.get("/api/v1/follows", token=who["token"]).json()["items"]
        assert sorted((f["kind"], f.get("number") or f.get("docket")) for f in follows) == \
            sorted([("mark", p["number"]), ("docket", p["docket"])]), follows
        check_page(b, s, "en", "/app/alerts/{id} (lawsuit)", max_api=None)

        # The plaintiff's page, from the early warning.
        b.follow("main .frequent-note a")
        assert re.fullmatch(r"/app/parties/\d+", b.path()), b.path()
        assert b.text("main h1") == p["plaintiff"]
        assert b.finds("main .page-head .badge.frequent")
        assert b.text("main .lead") == "4 cases in the register · 4 as plaintiff"
        cases = texts_of(b, "main table.party-cases tbody tr")
        assert len(cases) == 4 and p["company"] in cases[0], cases       # newest first
        assert p["filed"] in b.text("main table.party-marks")
        assert "N.D. Ill." in b.text("main .courts")
        # The chart's figures: the cases by year.
        rows = b.js("""return Array.from(document.querySelectorAll('main .chart-table tbody tr'),
            r => Array.from(r.children, c => c.textContent))""")
        assert rows == [["2024", "1"], ["2025", "2"], ["2026", "1"]], rows
        # Its docket is followed already (from the early warning): said so on its row.
        row = b.find("main table.party-cases tbody tr:first-child")
        assert row.find_elements("css selector", ".follow-state")
        check_page(b, s, "en", "/app/parties/{id} from the alert", max_api=None)
        enter(b, who, b.path())
        calls = check_page(b, s, "en", "/app/parties/{id}")
        assert len(calls) == 3, calls           # the session, the party, the follows

        # The followed records: both, the mark with its status; one stopped from here.
        enter(b, who, "/app/follows")
        rows = texts_of(b, "main table.follows tbody tr")
        assert len(rows) == 2 and any(p["filed"] in r and "Application pending" in r for r in rows) \
            and any(p["docket"] in r for r in rows), rows
        check_page(b, s, "en", "/app/follows")
        [mine] = [r for r in b.finds("main table.follows tbody tr") if p["filed"] in r.text]
        mine.find_element("css selector", "button").click()
        b.wait("one left", lambda: len(b.finds("main table.follows tbody tr")) == 1)
        assert b.text("main p[role=status]") == f"You no longer follow {p['filed']} (US {p['number']})."
        assert b.focused()["tag"] == "button"
        assert [f["kind"] for f in s.get("/api/v1/follows", token=who["token"]).json()["items"]] \
            == ["docket"]


def test_screen_a_mark_follow_the_conflict_csv_and_print(s):
    fair = seed(s)["show"]                   # Berlin: its country joins the markets
    p = plant(s, lang="en")
    who = p["who"]
    with browser(s, lang="en", size=DESKTOP) as b:
        # Screen the mark through the form: the job's page, then the planted conflict.
        enter(b, who, "/app/screening")
        b.find("main textarea[name=marks]").send_keys(p["mark"])
        b.find("main sw-portfolio-countries input").send_keys("United States\n")
        b.find("main input[name=classes]").send_keys("9")
        select(b, "main select[name=show]", fair["id"])
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form.screening-form button[type=submit]")
        b.wait_ready()
        assert re.fullmatch(r"/app/screenings/[^/]+", b.path()), b.path()
        sid = b.path().rsplit("/", 1)[1]
        b.wait("the results", lambda: b.finds("main table.conflicts tbody tr"), timeout=60)
        job = s.get(f"/api/v1/screenings/{sid}", token=who["token"]).json()
        assert job["status"] == "done" and planted_conflict(job, p), job
        assert job["show"] == fair["id"] and sorted(job["markets"]) == ["DE", "US"], job
        facts = " ".join(b.text("main .screening-facts").split())
        assert f"Trade fair {fair['name']}" in facts and "Markets United States, Germany" in facts, facts
        rows = b.finds(f"main table.conflicts tr[data-record='US {p['number']}']")
        assert len(rows) == 1, texts_of(b, "main table.conflicts tbody tr")
        row = " ".join(rows[0].text.split())
        assert p["filed"] in row and p["mark"] in row and p["plaintiff"] in row, row
        assert "Frequent plaintiff" in row and "4 cases in the register" in row, row
        assert "The mark is spelt almost like yours: a letter or two differ." in row, row
        # Followed in one click, then the followed records list it.
        rows[0].find_element("css selector", "button.follow-button").click()
        b.wait("following", lambda: rows[0].find_elements("css selector", ".follow-state"))
        assert [(f["kind"], f["number"]) for f in s.get("/api/v1/follows", token=who["token"])
                .json()["items"]] == [("mark", p["number"])]
        check_page(b, s, "en", "/app/screenings/{id}", max_api=None)
        # The CSV: the server's, with the planted record.
        csv = fetch_bytes(b, f"/api/v1/screenings/{sid}?format=csv")
        assert csv["status"] == 200 and csv["type"].startswith("text/csv"), csv["type"]
        assert p["filed"].encode() in csv["body"] and p["number"].encode() in csv["body"]
        assert b.find("main a[href$='?format=csv']").get_attribute("download") == ""
        link = b.find("main a[href$='?format=json']")
        assert link.get_attribute("download") == f"screening-{sid}.json"
        got = fetch_bytes(b, link.get_attribute("href"))
        assert got["status"] == 200 and got["type"].startswith("application/json"), got["type"]
        assert json.loads(got["body"])["id"] == job["id"]
        # Printed: A4, the report without the shell and the buttons.
        b.cdp("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            shown = b.js("""const vis = (s) => Array.from(document.querySelectorAll(s))
                .some(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length);
                return {side: vis('.side'), header: vis('.site-header'), buttons: vis('main button'),
                        follow: vis('main sw-register-follow'), table: vis('main table.conflicts'),
                        brand: vis('main .print-brand'), head: vis('main table.conflicts thead th')}""")
            assert shown == {"side": False, "header": False, "buttons": False, "follow": False,
                             "table": True, "brand": True, "head": True}, shown
        finally:
            b.cdp("Emulation.setEmulatedMedia", {"media": ""})
        pdf = base64.b64decode(b.cdp("Page.printToPDF", {"preferCSSPageSize": True})["data"])
        box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
        assert box and abs(float(box.group(1)) - 595.3) < 2 and \
            abs(float(box.group(2)) - 841.9) < 2, box
        # The screening is listed on the form's page, with its count.
        enter(b, who, "/app/follows")
        assert p["filed"] in b.text("main table.follows")
        enter(b, who, "/app/screening")
        listed = b.find(f"main table.screenings tr[data-screening='{sid}']")
        assert p["mark"] in listed.text and "Finished" in listed.text, listed.text


def test_pages_in_both_languages_and_widths(s):
    cat = catalogue(s)
    for lang in ("en", "zh-CN"):
        p = plant(s, lang=lang)
        job = screened(s, p)
        owner = planted_conflict(job, p)["owner"]
        r = s.post("/api/v1/follows", {"kind": "mark", "office": "US", "number": p["number"]},
                   token=p["who"]["token"])
        assert r.status == 201, r
        for size in (PHONE, DESKTOP):
            with browser(s, lang=lang, size=size) as b:
                for path in PAGES:
                    path = path.format(sid=job["id"], pid=owner["id"])
                    enter(b, p["who"], path)
                    assert b.js("return document.documentElement.lang") == lang
                    check_page(b, s, lang, f"{path} ({lang}, {size[0]})")
                    if size == DESKTOP:
                        # The first load within the budget: the page's files, the catalogue.
                        weight, calls = first_load(b, path)
                        assert weight <= 150 * 1024 and len(calls) <= 4, (path, weight, calls)
                    if lang == "zh-CN":
                        assert b.text("main h1") in (cat["Risk screening"], cat["Risk screening report"],
                                                     p["plaintiff"], cat["Followed records"])
                nav = texts_of(b, "sw-app-nav li a")
                want = ["Risk screening", "Followed records"]
                if lang == "zh-CN":
                    want = [cat[w] for w in want]
                assert all(w in nav for w in want), nav


# --- by the contract's answers ----------------------------------------------------------

def _conflict(i, status, frequent):
    return {"query": {"kind": "mark", "text": "LUMA"},
            "record": {"office": "US", "number": f"9000000{i}", "mark": f"LUMA{'A' * i}",
                       "status": status, "owners": [{"name": f"Owner {i} LLC", "country": "US"}],
                       "classes": [11], "dates": {"filed": "2026-01-05"}},
            "score": 0.9 - i / 100, "reasons": {"key": "deletion", "why": "spelling"},
            "owner": {"id": f"owner-{i}", "name": f"Owner {i} LLC", "cases": 4 if frequent else 0,
                      "as_plaintiff": 4 if frequent else 0, "frequent": frequent}}


def _job(status, done=0, total=0, conflicts=None):
    j = {"id": "sc_stub", "status": status, "created_at": "2026-12-01T06:30:00Z",
         "progress": {"done": done, "total": total},
         "request": {"marks": [{"text": "LUMA"}], "markets": ["US"]}}
    if conflicts is not None:
        j["conflicts"] = conflicts
    return j


STUB = {
    "GET /api/v1/screenings/sc_stub": [
        {"status": 200, "body": _job("queued")},
        {"status": 200, "body": _job("running", 120, 400)},
        {"status": 200, "body": _job("running", 300, 400)},
        {"status": 200, "body": _job("done", 400, 400, [_conflict(1, "live", True),
                                                        _conflict(2, "dead", False)])}],
    "GET /api/v1/screenings/sc_failed": [{"status": 200, "body": dict(_job("failed"), id="sc_failed")}],
    "GET /api/v1/screenings": [{"status": 200, "body": {"items": [], "next": None}}],
    "GET /api/v1/follows": [{"status": 200, "body": {"items": []}}],
    "POST /api/v1/follows": [{"status": 201, "body": {"id": "fo_stub", "kind": "mark",
                                                      "office": "US", "number": "90000001"}}],
    "DELETE /api/v1/follows/fo_stub": [{"status": 204}],
    "POST /api/v1/screenings": [
        {"status": 400, "body": {
            "type": "urn:seawall:problem:validation", "title": "Invalid screening",
            "status": 400, "detail": "2 problems",
            "errors": [{"pointer": "/marks/0/text", "message": "a mark is at most 200 characters"},
                       {"pointer": "/markets/0", "message": "XX is not a country or office"}]}},
        {"status": 202, "body": _job("queued")}],
}


def test_progress_errors_and_keyboard_by_contract(s):
    who = exporter(s, "Stub Screening Co.", lang="zh-CN")
    cat = catalogue(s)
    with browser(s, lang="zh-CN", size=PHONE) as b:
        b.stub(STUB)
        # Nothing to screen: said at the marks field, focus there.
        enter(b, who, "/app/screening")
        check_page(b, s, "zh-CN", "/app/screening (stub)")
        b.click("main form.screening-form button[type=submit]")
        b.wait("the error", lambda: b.finds("main .error-summary:not([hidden])"))
        assert b.find("main textarea[name=marks]").get_attribute("aria-invalid") == "true"
        assert cat["Enter a trademark or a company name, or choose your whole watch list."] in \
            b.text("main [data-field=marks] .field-error")
        assert b.focused()["name"] == "marks"
        # By keyboard alone: the mark, a market (Enter adds it), on to the button, Enter.
        b.keys("LUMA")
        for _ in range(12):
            if b.tab()["name"] == "markets":
                break
        assert b.focused()["name"] == "markets", b.focused()
        b.keys("XX\n")
        for _ in range(12):
            if b.tab()["tag"] == "button" and b.focused()["text"] == cat["Start the screening"]:
                break
        b.keys("\n")
        # The server's messages at their fields (the first call answers 400).
        b.wait("the server's errors", lambda: b.find("main textarea[name=marks]").get_attribute(
            "aria-invalid") == "true" and b.finds("main [data-field=markets].invalid"))
        assert "LUMA: a mark is at most 200 characters" in b.text("main [data-field=marks] .field-error")
        assert "XX: XX is not a country or office" in b.text("main [data-field=markets] .field-error")
        sent = [c for c in b.calls() if c["key"] == "POST /api/v1/screenings"]
        assert sent[0]["body"] == {"marks": [{"text": "LUMA"}], "markets": ["XX"]}, sent
        check_page(b, s, "zh-CN", "/app/screening errors (stub)", max_api=None)
        # Sent again: the job's page, its progress said as it moves, then the results.
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form.screening-form button[type=submit]")
        b.wait_ready()
        assert b.path() == "/app/screenings/sc_stub"
        assert b.finds("main progress")
        heard = set()

        def said():
            heard.add(b.js("return document.querySelector('main > article > [role=status]').textContent"))
            return b.finds("main table.conflicts")
        b.wait("the results", said, timeout=30)
        assert cat["{done} of {total} items screened."].format(done="300", total="400") in heard, heard
        assert b.js("return document.querySelector('main > article > [role=status]').textContent") \
            == cat["The screening is finished: {n} conflict found."][0].format(n=2)
        assert b.find("main [role=status]").get_attribute("aria-live") == "polite"
        ranks = texts_of(b, "main table.conflicts tbody th.rank")
        assert ranks == ["1", "2"], ranks
        assert cat["Frequent plaintiff"] in b.text("main table.conflicts tbody tr:first-child")
        assert cat["Dead"] in b.text("main table.conflicts tbody tr:last-child")
        check_page(b, s, "zh-CN", "/app/screenings/{id} (stub)", max_api=None)
        # The first Follow button reached by Tab, pressed with Enter: focus on "stop following".
        for _ in range(60):
            f = b.tab()
            if "follow-button" in (f["cls"] or ""):
                break
        assert "follow-button" in b.focused()["cls"], b.focused()
        b.keys("\n")
        b.wait("following", lambda: "unfollow" in (b.focused()["cls"] or ""))
        assert [c["body"] for c in b.calls() if c["key"] == "POST /api/v1/follows"] == \
            [{"kind": "mark", "office": "US", "number": "90000001"}]
        b.keys(" ")
        b.wait("stopped", lambda: "follow-button" in (b.focused()["cls"] or ""))
        assert [c["key"] for c in b.calls()].count("DELETE /api/v1/follows/fo_stub") == 1
        # A job that failed: said as an alert, with a way to start again.
        enter(b, who, "/app/screenings/sc_failed")
        assert cat["The screening could not be finished"] in b.text("main [role=alert]")
        assert b.finds("main [role=alert] a[href='/app/screening']")
        check_page(b, s, "zh-CN", "/app/screenings/{id} failed (stub)")
