"""The staff console's case page and deadline calendar in a real browser against the real stack,
a triager signed in for real: a case accepted, assigned from the experts who fit (with their
reasons), worked on, answered from a template in Chinese with its placeholders filled, given an
internal note the exporter never sees (checked through the exporter's own API view) and
resolved with its outcome; evidence whose hash the browser checks; a deadline added by its rule,
shown on its day in the calendar; the personal iCalendar feed fetched and read in Python, then
replaced and stopped."""
import datetime
import re

from browser import DESKTOP, PHONE, browser
from consoledata import TEMPLATES, Desk, evidence
from portal import catalogue
from wslib import ZONE, check_page, set_person, sign_in, type_into


def choose(b, css, value):
    b.js("arguments[0].value = arguments[1];"
         "arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", b.find(css), value)


def move(b, to, reason=None, outcome=None):
    """Moves the case through the page's own form and waits for the page to show it."""
    b.click(f"main form.case-moves input[value={to}]")
    if reason:
        type_into(b, "main form.case-moves textarea[name=reason]", reason)
    if outcome:
        choose(b, "main form.case-moves select[name=outcome]", outcome)
    b.js("document.documentElement.dataset.state = 'leaving'")
    b.click("main form.case-moves button[type=submit]")
    b.wait_ready()


def test_case_moved_with_template_reply_and_internal_note(s):
    d = Desk(s, "case-page")
    case = d.file(type="schedule_a", served_at="2026-11-24")
    sub, exp_tok = d.exporter("Ningbo Haitian Lighting Co., Ltd.")
    evidence(s, case, exp_tok, "complaint.pdf", b"%PDF-1.4 complaint " * 50)
    name, texts = TEMPLATES[0]
    r = s.post("/api/v1/templates", {"name": name, "texts": texts}, token=d.tri)
    assert r.status == 201, r
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, d.email, next_path=f"/staff/cases/{case['id']}")
        assert b.text("main h1") == f"Case #{case['id']}"
        assert "Submitted" in b.text("main .case-status")
        assert b.text("main .case-exporter") == "Ningbo Haitian Lighting Co., Ltd."
        # The page's requests: the session, the case, its history, the experts who fit.
        calls = check_page(b, s, "en", "/staff/cases/{id}")
        assert sorted(c.split("?")[0] for c in calls) == sorted([
            "/api/v1/session", f"/api/v1/cases/{case['id']}",
            f"/api/v1/cases/{case['id']}/history", f"/api/v1/cases/{case['id']}/experts"])
        # The priority with its reasons; the deadline with its rule and source.
        reasons = [li.text for li in b.finds("main .priority-box ul.reasons li")]
        assert reasons[1:] == ["20 points: the kind of case", "8 points: the amount at stake"]
        row = b.find("main table.deadlines tbody tr")
        assert "Answer due" in row.text and "FRCP 12(a)(1)(A)(i)" in row.text
        assert "Date of service 2026-11-24" in row.text
        # The evidence's hash checked in the browser.
        b.click("main table.evidence button")
        b.wait("the hash check", lambda: "Checked" in b.text("main table.evidence .hash-check"))
        # Accept; the experts who fit, best first, with why.
        move(b, "accepted")
        assert "Accepted" in b.text("main .case-status")
        best = b.find("main ol.experts li.expert")
        assert best.get_attribute("data-expert") == str(d.experts[0]["id"])
        assert "Best fit" in best.text and "knows United States" in best.text
        assert "knows 1 of the 1 kinds of right in the case" in best.text
        b.js("document.documentElement.dataset.state = 'leaving'")
        best.find_element("css selector", "button").click()
        b.wait_ready()
        assert "Expert assigned" in b.text("main .case-status")
        got = s.get(f"/api/v1/cases/{case['id']}", token=d.tri).json()
        assert got["assignee"]["id"] == d.experts[0]["id"]
        move(b, "in_progress")
        # A reply from the template, in Chinese: the placeholders filled as the server fills them.
        b.click("main details.template-chooser summary")
        b.wait("the templates", lambda: b.finds("main form.template-form"))
        b.click("main form.template-form input[value='zh-CN']")
        b.wait("the Chinese preview", lambda: b.find("main .template-preview blockquote")
               .get_attribute("lang") == "zh-CN")
        shown = b.find("main .template-preview blockquote").get_attribute("textContent")
        assert shown.startswith("Ningbo Haitian Lighting Co., Ltd.：") and \
            f"案件#{case['id']}" in shown and "2026-12-15 23:59 (UTC)" in shown, shown
        b.click("main form.template-form button[type=submit]")
        b.wait("the reply in the timeline", lambda: "Reply sent to the exporter" in
               b.text("main ol.timeline"))
        # An internal note from the same box.
        type_into(b, "main form.reply-form textarea", "Opposing counsel files in bulk; ask for the bond.")
        b.click("main form.reply-form button[value=note]")
        b.wait("the note", lambda: "Opposing counsel files in bulk" in b.text("main ol.timeline"))
        note = [li for li in b.finds("main ol.timeline li") if "Opposing counsel" in li.text][0]
        assert "internal" in note.get_attribute("class") and "Internal: staff only" in note.text
        # The exporter reads the reply and never the note (the exporter's own view of the API).
        msgs = s.get(f"/api/v1/cases/{case['id']}/messages", token=exp_tok).json()["items"]
        assert len(msgs) == 1 and msgs[0]["text"] == shown
        hist = s.get(f"/api/v1/cases/{case['id']}/history?limit=200", token=exp_tok).json()
        assert "Opposing counsel" not in str(hist)
        staff = s.get(f"/api/v1/cases/{case['id']}/messages", token=d.tri).json()["items"]
        assert [m["text"] for m in staff][-1] == "Opposing counsel files in bulk; ask for the bond."
        # Resolved: the page asks for the reason and the outcome.
        b.open(f"/staff/cases/{case['id']}")
        b.click("main form.case-moves input[value=resolved]")
        assert b.find("main form.case-moves select[name=outcome]").is_displayed()
        b.click("main form.case-moves button[type=submit]")
        b.wait("the errors", lambda: b.finds("main form.case-moves .error-summary:not([hidden])"))
        assert "Choose the outcome" in b.text("main form.case-moves .error-summary")
        move(b, "resolved", reason="The plaintiff dismissed the case against our exporter.",
             outcome="withdrawn_by_other_side")
        assert "Resolved" in b.text("main .case-status")
        assert "Withdrawn by the other side" in b.text("main .case-status")
        got = s.get(f"/api/v1/cases/{case['id']}", token=d.tri).json()
        assert (got["state"], got["outcome"]) == ("resolved", "withdrawn_by_other_side")
        check_page(b, s, "en", "/staff/cases/{id} resolved", max_api=None)
    set_person(s, d.email, lang="zh-CN")
    cat = catalogue(s)
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, d.email, next_path=f"/staff/cases/{case['id']}")
        assert cat["Timeline"] in b.text("main")
        assert cat["Internal: staff only"] in b.text("main ol.timeline")
        check_page(b, s, "zh-CN", "/staff/cases/{id}")


def ics_events(body):
    """Python's reading of an iCalendar feed: {UID: DTSTART as an ISO instant}."""
    text = re.sub(r"\r\n[ \t]", "", body)
    out = {}
    for ev in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", text, re.S):
        props = {}
        for line in ev.split("\r\n"):
            if ":" in line and not line.startswith(("BEGIN", "END")):
                k, v = line.split(":", 1)
                props.setdefault(k.split(";")[0], v)
        start = datetime.datetime.strptime(props["DTSTART"], "%Y%m%dT%H%M%SZ")
        out[props["UID"]] = (start.strftime("%Y-%m-%dT%H:%M:%SZ"), props.get("SUMMARY", ""))
    return out


def test_deadline_added_on_the_calendar_and_the_feed(s):
    d = Desk(s, "calendar")
    case = d.file(type="schedule_a", served_at="2026-11-24")
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, d.email, next_path=f"/staff/cases/{case['id']}")
        # A deadline by its rule: the TRO counts from the order's entry.
        b.click("main details.add-deadline summary")
        b.wait("the rules", lambda: len(b.finds("main form.deadline-add select[name=rule] option")) > 3)
        assert "us-schedule-a-tro-expiry" in [o.get_attribute("value") for o in b.finds(
            "main form.deadline-add optgroup:first-of-type option")]
        choose(b, "main form.deadline-add select[name=rule]", "us-schedule-a-tro-expiry")
        assert b.text("main form.deadline-add label[for$='-from']") == "Date the order was entered"
        assert "65(b)(2)" in b.text("main form.deadline-add .rule-info")
        b.js("document.querySelector('main form.deadline-add input[name=from_at]').value = '2026-12-01'")
        b.click("main form.deadline-add button[type=submit]")
        b.wait("the new deadline", lambda: len(b.finds("main table.deadlines tbody tr")) == 2)
        got = s.get(f"/api/v1/cases/{case['id']}", token=d.tri).json()
        tro = [x for x in got["deadlines"] if x["kind"] == "tro_expiry"][0]
        assert tro["at"] == "2026-12-15T23:59:59Z" and tro["from_at"] == "2026-12-01"
        row = b.find(f"main table.deadlines tr[data-deadline='{tro['id']}']")
        assert "Temporary restraining order expires" in row.text and "FRCP 65(b)(2)" in row.text
        assert "Date the order was entered 2026-12-01" in row.text
        # One by hand, with a reason; then marked done.
        b.click("main form.deadline-add input[value=hand]")
        choose(b, "main form.deadline-add select[name=kind]", "pi_hearing")
        b.js("document.querySelector('main form.deadline-add input[name=at]').value = '2026-12-10'")
        type_into(b, "main form.deadline-add input[name=reason]", "Hearing set by minute order")
        b.click("main form.deadline-add button[type=submit]")
        b.wait("the deadline by hand", lambda: len(b.finds("main table.deadlines tbody tr")) == 3)
        hand = [x for x in s.get(f"/api/v1/cases/{case['id']}", token=d.tri).json()["deadlines"]
                if x["kind"] == "pi_hearing"][0]
        assert hand["manual"] and hand["reason"] == "Hearing set by minute order"
        b.click(f"main table.deadlines tr[data-deadline='{hand['id']}'] td.actions button")
        b.wait("done", lambda: "Done" in b.text(f"main table.deadlines tr[data-deadline='{hand['id']}']"))
        # The calendar shows the TRO on its day (the forum's: UTC for a US court).
        b.open("/staff/calendar?date=2026-12-15")
        day = b.find("main li.cal-day[data-date='2026-12-15']")
        item = day.find_element("css selector", f"li.cal-item[data-deadline='{tro['id']}']")
        assert f"Case #{case['id']}" in item.text and "Temporary restraining order expires" in item.text
        assert "FRCP 65(b)(2)" in item.text
        assert not b.finds(f"main li.cal-item[data-deadline='{hand['id']}']")   # done
        b.open("/staff/calendar?view=day&date=2026-12-15")
        assert len(b.finds("main li.cal-day")) == 1
        assert b.finds(f"main li.cal-item[data-deadline='{tro['id']}']")
        check_page(b, s, "en", "/staff/calendar")
        # The feed: made, shown once with its URL, read by Python with the deadline's instant.
        assert "You have no calendar feed." in b.text("main .feed-box")
        b.click("main .feed-box button.make-feed")
        b.wait("the URL", lambda: b.finds("main input.feed-url"))
        url = b.find("main input.feed-url").get_attribute("value")
        assert b.focused()["cls"] == "feed-url"
        path = re.fullmatch(r"http://[^/]+(/api/v1/calendar/[A-Za-z0-9_-]{43}\.ics)", url).group(1)
        feed = s.get(path)
        assert feed.status == 200 and feed.header("Content-Type").startswith("text/calendar")
        events = ics_events(feed.body)
        uid = f"case-{case['id']}-deadline-{tro['id']}@seawall"
        assert events[uid][0] == "2026-12-15T23:59:59Z", events
        assert f"case-{case['id']}-deadline-{hand['id']}@seawall" not in events
        # Reloaded: active, the URL no longer shown; a new one ends the old; stopped.
        b.open("/staff/calendar")
        assert not b.finds("main input.feed-url")
        assert "Your feed is active" in b.text("main .feed-box")
        b.click("main .feed-box button.make-feed")
        b.wait("the new URL", lambda: b.finds("main input.feed-url"))
        new = b.find("main input.feed-url").get_attribute("value")
        assert new != url and s.get(path).status == 404
        b.click("main .feed-box button.stop-feed")
        b.wait("stopped", lambda: "You have no calendar feed." in b.text("main .feed-box"))
        assert s.get(re.sub(r"^http://[^/]+", "", new)).status == 404
    set_person(s, d.email, lang="zh-CN")
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, d.email, next_path="/staff/calendar?date=2026-12-15")
        assert b.finds(f"main li.cal-item[data-deadline='{tro['id']}']")
        check_page(b, s, "zh-CN", "/staff/calendar")
