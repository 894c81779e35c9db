"""The exporter's cases in a real browser against the real stack: filing a case with evidence
hashed in the browser (the hashes compared with what the server stored), a file the server
refuses and why, a notice the centre sends by moving the case, a reply; a case that starts
from an early warning; the list filtered by state; both languages, a phone and a desktop,
keyboard use and the budgets."""
import hashlib
import os

from browser import DESKTOP, PHONE, browser
from harness import wait_until
from portal import catalogue
from wslib import (PERSON_ZONE, ZONE, api_calls, check_page, exporter, field_error, first_load,
                   select, set_person, sign_in, type_into)


def files(s, tag):
    """Two evidence files and one past cases.evidence_max (64 KiB in the test stack)."""
    folder = os.path.join(s.dir, f"evidence-{tag}")
    os.makedirs(folder, exist_ok=True)
    out = []
    for name, body in (("complaint-page-1.pdf", b"%PDF-1.4 complaint page one " * 40),
                       ("licence 许可.txt", "许可协议 licence agreement 2026\n".encode() * 30),
                       ("shop-video.bin", os.urandom(70000))):
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(body)
        out.append((path, name, hashlib.sha256(body).hexdigest()))
    return out


def triager_of(s, case):
    """A triager token of the centre the case went to."""
    st = s.make(f"/api/v1/centres/{case['centre_id']}/staff",
                {"name": "Case Triager", "email": f"tri-{case['id']}@centre.example",
                 "role": "triager"})
    return s.token_for("triager", st["id"])


def test_file_a_case_with_evidence_notice_and_reply(s):
    sub, tok, email = exporter(s)
    cat = catalogue(s)
    evidence = files(s, "a")
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        b.allow("evidence?name=shop-video.bin", 413)      # the file refused, on purpose
        sign_in(b, email, next_path="/app/cases")
        assert b.text("main h1") == "Cases"
        assert "You have not asked for help with a dispute yet." in b.text()
        assert b.find("sw-app-nav a[aria-current=page]").get_attribute("href").endswith("/app/cases")
        b.follow("main a[href='/app/cases/new']")
        assert b.path() == "/app/cases/new" and b.focused()["tag"] == "h1"
        check_page(b, s, "en", "/app/cases/new")
        # Sent empty: each required field says what it needs, focus on the first.
        b.click("main form.case-form button[type=submit]")
        b.wait("the errors", lambda: b.finds(".error-summary:not([hidden])"))
        assert field_error(b, "type") == ("true", "Error: Choose what happened")
        assert field_error(b, "country") == ("true", "Error: Choose the country or region")
        assert field_error(b, "opposing_party") == ("true", "Error: Name the opposing party")
        assert field_error(b, "own_role") == ("true", "Error: Choose your part in the dispute")
        assert field_error(b, "description") == ("true", "Error: Describe what happened")
        assert field_error(b, "forum")[0] is None
        assert b.focused()["name"] == "type"
        # Filled in; a right and a product; the amount as the API wants it.
        select(b, "main select[name=type]", "schedule_a")
        select(b, "main select[name=country]", "US")
        type_into(b, "main [name=forum]", "U.S. District Court, N.D. Illinois")
        type_into(b, "main [name=opposing_party]", "Brightstar Lighting LLC")
        select(b, "main select[name=own_role]", "defendant")
        b.js("document.querySelector('main [name=served_at]').value = '2026-11-24'")
        select(b, "main .right-row select[data-right=type]", "trademark")
        type_into(b, "main .right-row input[data-right=number]", "NINGBO HARBOUR 6123456")
        select(b, "main .right-row select[data-right=country]", "US")
        type_into(b, "main [name=products]", "LED desk lamp\nLED strip")
        type_into(b, "main [name=amount_usd]", "250000")
        type_into(b, "main [name=description]", "We were served a Schedule A complaint; our "
                  "Amazon store is frozen.\n<b>not bold</b>")
        # Evidence: three files; each hash computed in the browser and shown in full.
        b.find("main input[type=file]").send_keys("\n".join(p for p, _, _ in evidence))
        b.wait("the three hashes", lambda: len([e for e in b.finds("main .evidence-file code.hash")
                                                if len(e.text) == 64]) == 3)
        shown = {e.find_element("css selector", ".evidence-name strong").text:
                 e.find_element("css selector", "code.hash").text
                 for e in b.finds("main .evidence-file")}
        assert shown == {n: h for _, n, h in evidence}, shown
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form.case-form button[type=submit]")
        b.wait("the uploads", lambda: b.finds("main a.button[href^='/app/cases/']:not([hidden])"))
        assert b.text("main [role=status]") == ("2 evidence files stored. 1 file refused: see "
                                                "why below.")
        states = {e.find_element("css selector", ".evidence-name strong").text:
                  " ".join(e.find_element("css selector", ".evidence-status").text.split())
                  for e in b.finds("main .evidence-file")}
        assert states["complaint-page-1.pdf"] == "Stored. The server computed the same SHA-256."
        assert states["licence 许可.txt"] == "Stored. The server computed the same SHA-256."
        assert states["shop-video.bin"].startswith(
            "Not stored. This file is larger than one evidence file may be."), states
        assert "70000" in states["shop-video.bin"]          # the server's own detail
        check_page(b, s, "en", "after filing", max_api=None)
        # What the server stored: the case, and the two files under the hashes computed here.
        cases = s.get("/api/v1/cases", token=tok).json()["items"]
        assert len(cases) == 1, cases
        case = cases[0]
        assert (case["type"], case["country"], case["opposing_party"], case["own_role"],
                case["amount_usd"], case["products"], case["served_at"]) == (
            "schedule_a", "US", "Brightstar Lighting LLC", "defendant", 250000,
            ["LED desk lamp", "LED strip"], "2026-11-24"), case
        assert case["rights"] == [{"type": "trademark", "number": "NINGBO HARBOUR 6123456",
                                   "country": "US"}]
        stored = s.get(f"/api/v1/cases/{case['id']}/evidence", token=tok).json()["items"]
        assert {e["name"]: e["sha256"] for e in stored} == {n: h for _, n, h in evidence[:2]}
        # The case page: facts, the deadline in the person's zone, the evidence with its hashes.
        b.follow("main a.button[href^='/app/cases/']")
        assert b.path() == f"/app/cases/{case['id']}"
        assert b.text("main h1") == f"Case #{case['id']}"
        assert b.driver.title == f"Case #{case['id']} · Seawall"
        assert "Submitted" in b.text("main .case-status")
        rows = {r.find_element("css selector", "th").text: r.find_element("css selector", "code").text
                for r in b.finds("main table.evidence tbody tr")}
        assert rows == {n: h for _, n, h in evidence[:2]}, rows
        link = b.find("main table.evidence a").get_attribute("href")
        assert link.startswith(f"{b.base}/api/v1/cases/{case['id']}/evidence/")
        got = b.js("""return fetch(arguments[0]).then(r => r.arrayBuffer()).then(b =>
            crypto.subtle.digest('SHA-256', b)).then(d => Array.from(new Uint8Array(d),
            x => x.toString(16).padStart(2, '0')).join(''))""", link)
        assert got == link.rsplit("/", 1)[1]
        deadline = b.find("main .deadline-box sw-case-deadline time")
        fmt = ("return new Intl.DateTimeFormat('en', {timeZone: arguments[1], dateStyle: "
               "'medium', timeStyle: 'short'}).format(new Date(arguments[0]))")
        assert deadline.get_attribute("datetime") == case["deadline"]["at"]
        assert deadline.text == b.js(fmt, case["deadline"]["at"], PERSON_ZONE) != \
            b.js(fmt, case["deadline"]["at"], ZONE)
        assert case["deadline"]["rule"]["text"] in b.text("main .deadline-box")
        assert "The centre has not sent a notice about this case yet." in b.text()
        check_page(b, s, "en", "/app/cases/{id}", max_api=None)
        # The centre asks for more: a notice in the inbox, shown on the case page.
        tri = triager_of(s, case)
        reason = "Please send the licence agreement with Brightstar, signed pages included."
        r = s.post(f"/api/v1/cases/{case['id']}/transition", {"to": "needs_info", "reason": reason},
                   token=tri)
        assert r.status == 200, r
        notice = wait_until("the notice in the inbox", lambda: [
            a for a in s.get("/api/v1/alerts?rule=case-notice", token=tok).json()["items"]
            if a["event"]["id"].startswith(f"case:{case['id']}:")])
        b.open(f"/app/cases/{case['id']}")
        item = b.find("main ul.notices li")
        assert item.get_attribute("data-alert") == notice[0]["id"]
        assert "The centre needs more information" in item.text and reason in item.text
        assert "New" in item.text
        assert item.find_element("css selector", "a").get_attribute("href").endswith(
            f"/app/alerts/{notice[0]['id']}")
        assert "More information needed" in b.text("main .case-status")
        assert reason in b.text("main ol.timeline")
        # The page's requests: the session, the case, its history, the case notices.
        calls = api_calls(b)
        assert len(calls) <= 4, calls
        # A reply: shown at once, kept by the server, read by the triager.
        b.find("main .reply-form textarea").send_keys("The licence is attached as licence 许可.txt.")
        b.click("main .reply-form button[type=submit]")
        b.wait("the reply", lambda: "The licence is attached" in b.text("main ol.messages"))
        assert b.text("main .reply-form textarea") == ""
        msgs = s.get(f"/api/v1/cases/{case['id']}/messages", token=tri).json()["items"]
        assert [m["text"] for m in msgs] == ["The licence is attached as licence 许可.txt."]
        # Send it back to the centre with the page's own button.
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form.case-actions button")
        b.wait_ready()
        assert s.get(f"/api/v1/cases/{case['id']}", token=tok).json()["state"] == "submitted"
        assert "Submitted" in b.text("main .case-status")
        # The list: the case, its state; filtered by state in the address.
        b.open("/app/cases")
        row = b.find("main table.cases tbody tr")
        assert row.get_attribute("data-case") == str(case["id"])
        assert "Submitted" in row.text and "Brightstar Lighting LLC" in row.text
        assert "Schedule A lawsuit" in row.text
        select(b, "main select[name=state]", "closed")
        b.follow("main form.filters button[type=submit]")
        assert b.path() == "/app/cases?state=closed"
        assert b.text("main .empty") == "No cases match this filter."
        b.open("/app/cases?state=open")
        assert len(b.finds("main table.cases tbody tr")) == 1
        check_page(b, s, "en", "/app/cases")
    # The same pages in Chinese on a phone: every string from the catalogue, nothing wider.
    set_person(s, email, lang="zh-CN")
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, email, next_path="/app/cases")
        assert b.text("main h1") == cat["Cases"]
        check_page(b, s, "zh-CN", "/app/cases")
        b.open(f"/app/cases/{case['id']}")
        assert cat["Notices from the centre"] in b.text()
        check_page(b, s, "zh-CN", "/app/cases/{id}")
        b.open("/app/cases/new")
        b.click("main form.case-form button[type=submit]")
        b.wait("the errors", lambda: b.finds(".error-summary:not([hidden])"))
        assert field_error(b, "type")[1] == f"{cat['Error:']} {cat['Choose what happened']}"
        check_page(b, s, "zh-CN", "/app/cases/new")


def test_case_from_an_alert(s):
    """/app/cases/new?alert=<id> fills in what the alert says and links the case to it."""
    sub, tok, email = exporter(s, company="Harbour Audio Co.")
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
               {"kind": "mark", "text": "SONICWAVE", "countries": ["US"]}, token=tok)
    assert r.status == 201, r
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
               {"kind": "keyword", "text": "bluetooth speaker", "countries": ["US"]}, token=tok)
    assert r.status == 201, r
    ev = {"id": f"ev_ws_alert_{sub['id']}", "source": "test", "type": "litigation",
          "jurisdiction": "US", "date": "2026-11-20",
          "title": "Brightstar Audio LLC v. The Partnerships in Schedule A (SONICWAVE)",
          "text": "Complaint against sellers of SONICWAVE bluetooth speaker listings.",
          "marks": ["SONICWAVE"], "url": "https://www.ilnd.uscourts.gov/case/26-cv-1234",
          "parties": [{"name": "Brightstar Audio LLC", "role": "plaintiff"},
                      {"name": "Harbour Audio Co.", "role": "defendant"}]}
    s.add_event(ev)
    alert = wait_until("the alert", lambda: [
        a for a in s.get("/api/v1/alerts?limit=50", token=tok).json()["items"]
        if a["event_id"] == ev["id"]])[0]
    with browser(s, lang="en", size=PHONE, tz=ZONE) as b:
        sign_in(b, email, next_path=f"/app/cases/new?alert={alert['id']}")
        check_page(b, s, "en", "/app/cases/new?alert")
        calls = api_calls(b)
        assert any(c.startswith(f"/api/v1/alerts/{alert['id']}") for c in calls), calls
        assert b.find("main select[name=type]").get_attribute("value") == "lawsuit"
        assert b.find("main select[name=own_role]").get_attribute("value") == "defendant"
        assert b.find("main select[name=country]").get_attribute("value") == "US"
        assert b.find("main [name=opposing_party]").get_attribute("value") == "Brightstar Audio LLC"
        assert b.find("main .right-row select[data-right=type]").get_attribute("value") == "trademark"
        assert b.find("main .right-row input[data-right=number]").get_attribute("value") == "SONICWAVE"
        assert b.find("main [name=products]").get_attribute("value") == "bluetooth speaker"
        desc = b.find("main [name=description]").get_attribute("value")
        assert ev["title"] in desc and ev["url"] in desc and f"/app/alerts/{alert['id']}" in desc
        assert ev["title"] in b.text("main .notice")
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form.case-form button[type=submit]")
        b.wait("the case page", lambda: b.path().startswith("/app/cases/") and
               b.path() != "/app/cases/new" and
               b.js("return document.documentElement.dataset.state") == "ready")
        case_id = int(b.path().rsplit("/", 1)[1])
        case = s.get(f"/api/v1/cases/{case_id}", token=tok).json()
        assert case["alerts"] == [alert["id"]], case
        assert case["rights"] == [{"type": "trademark", "number": "SONICWAVE", "country": "US"}]
        origin = b.find("main a[href='/app/alerts/%s']" % alert["id"])
        assert origin.is_displayed()
        check_page(b, s, "en", "/app/cases/{id} from an alert", max_api=None)
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        b.allow("/api/v1/alerts/al_00000000000000000000000000000000", 404)
        sign_in(b, email, next_path="/app/cases/new?alert=al_00000000000000000000000000000000")
        assert "The early warning could not be loaded" in b.text("main .notice.error")
        assert b.find("main select[name=type]").get_attribute("value") == ""


def test_keyboard_and_budgets(s):
    """The form by keyboard alone (the file chooser, the rights, the submit button all reach
    focus, Enter sends), and each cases page within its budget on a first load."""
    sub, tok, email = exporter(s, company="Keyboard Lighting Ltd.")
    set_person(s, email, lang="zh-CN")
    with browser(s, lang="zh-CN", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, email, next_path="/app/cases/new")
        reached = []
        for _ in range(80):
            f = b.tab()
            reached.append((f["tag"], f["name"] or f["cls"] or f["text"][:20]))
            if f["tag"] == "button" and "button" in f["cls"] and f["name"] is None and \
                    f["text"] == catalogue(s)["Send to the assistance centre"]:
                break
        names = [n for _, n in reached]
        for want in ("type", "country", "forum", "opposing_party", "own_role", "served_at",
                     "products", "amount_usd", "description", "evidence"):
            assert want in names, (want, reached)
        b.keys("\n")
        b.wait("the errors", lambda: b.finds(".error-summary:not([hidden])"))
        assert b.focused()["name"] == "type"
        for path in ("/app/cases", "/app/cases/new"):
            size, calls = first_load(b, path)
            assert size <= 150 * 1024, (path, size)
            assert len(calls) <= 4, (path, calls)
