"""The staff console's statistics, templates and budgets in a real browser against the real
stack: every chart drawn as SVG with its title, a description that says its figures and the
same figures as a table; a CSV download read back with its Chinese headers intact; templates
written in both languages with their placeholders, a wrong placeholder refused at its field;
and every console page's first load and API requests within their budgets, in both
languages."""
import csv
import io

from browser import DESKTOP, PHONE, browser
from consoledata import Desk, clock
from exporter import fetch_bytes
from portal import catalogue
from wslib import ZONE, check_page, first_load, set_person, sign_in, type_into


def stats_desk(s):
    """A centre with five cases: two Schedule A (one answered after 5 hours and resolved,
    settled, after 2 days; one unanswered for 50 hours, past the first-response target), a
    customs seizure in Germany, two trade mark oppositions in China."""
    d = Desk(s, "stats")
    try:
        clock(s, -50)
        made = [d.file(type="schedule_a"), d.file(type="schedule_a")]
        clock(s, -45)
        d.move(made[0], "accepted")
        d.move(made[0], "assigned")
        d.move(made[0], "in_progress")
        clock(s, -2)
        d.move(made[0], "resolved", outcome="settled")
    finally:
        clock(s, 0)
    made += [
            d.file(type="customs_seizure", country="DE", forum="Hauptzollamt Hamburg", rights=[]),
            d.file(type="opposition", country="CN", own_role="opponent", rights=[],
                   served_at="2026-11-20"),
            d.file(type="opposition", country="CN", own_role="opponent", rights=[],
                   served_at="2026-11-21")]
    return d, made


def test_charts_with_text_alternatives_and_csv_in_chinese(s):
    clock(s, 0)
    d, made = stats_desk(s)
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, d.email, next_path="/staff/stats")
        assert b.text("main h1") == "Statistics"
        calls = check_page(b, s, "en", "/staff/stats")
        assert [c.split("?")[0] for c in calls] == ["/api/v1/session", "/api/v1/cases/stats"]
        figures = b.finds("main figure.chart")
        assert len(figures) == 8
        drawn = 0
        for f in figures:
            name = f.find_element("css selector", "figcaption h2").text
            table = f.find_element("css selector", "details.chart-table table")
            assert table.find_elements("css selector", "tbody tr"), name
            for svg in f.find_elements("css selector", "svg[role=img]"):
                drawn += 1
                ids = svg.get_attribute("aria-labelledby").split()
                title = b.js("return document.getElementById(arguments[0]).textContent", ids[0])
                desc = b.js("return document.getElementById(arguments[0]).textContent", ids[1])
                assert title == name and desc, (name, desc)
                assert svg.find_elements("css selector", "rect.bar"), name
        assert drawn == 8
        # The figures agree with the API, in the chart's description and in its table.
        fig = b.find("main figure.chart[aria-labelledby=by-type]")
        desc = b.js("return arguments[0].querySelector('svg desc').textContent", fig)
        assert "Schedule A lawsuit: 2" in desc and "Trade mark opposition: 2" in desc, desc
        rows = {r.find_element("css selector", "th").get_attribute("textContent"):
                r.find_element("css selector", "td").get_attribute("textContent")
                for r in fig.find_elements("css selector", "tbody tr")}
        assert rows == {"Schedule A lawsuit": "2", "Trade mark opposition": "2", "Customs seizure": "1"}
        fig = b.find("main figure.chart[aria-labelledby=outcomes]")
        desc = b.js("return arguments[0].querySelector('svg desc').textContent", fig)
        assert "Settled: 1" in desc, desc
        # Keyboard: the table opens from its summary.
        summary = fig.find_element("css selector", "details summary")
        b.js("arguments[0].focus()", summary)
        b.keys("\n")
        assert fig.find_element("css selector", "details").get_attribute("open") is not None
    # A CSV in Chinese: the person's language names the headers; Excel's BOM; one row a month.
    set_person(s, d.email, lang="zh-CN")
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, d.email, next_path="/staff/stats")
        check_page(b, s, "zh-CN", "/staff/stats")
        link = b.find("main a.csv-link[data-table=month_type]")
        assert link.get_attribute("download") == "cases-month_type.csv"
        got = fetch_bytes(b, link.get_attribute("href"))
        assert got["status"] == 200 and got["type"].startswith("text/csv"), got["type"]
        assert got["body"].startswith(b"\xef\xbb\xbf")
        table = list(csv.reader(io.StringIO(got["body"].decode("utf-8-sig"), newline="")))
        assert table[0] == ["月份", "案件类型", "案件数"], table[0]
        counts = {(r[1]): int(r[2]) for r in table[1:]}
        assert counts == {"schedule_a": 2, "customs_seizure": 1, "opposition": 2}, table
        got = fetch_bytes(b, b.find("main a.csv-link[data-table=outcomes]").get_attribute("href"))
        table = list(csv.reader(io.StringIO(got["body"].decode("utf-8-sig"), newline="")))
        assert len(table[0]) == 4 and not any(c.isascii() for c in "".join(table[0])), table[0]
        assert ["settled", "1", "0", "1"] in [r[:4] for r in table[1:]], table


def test_templates_with_placeholders(s):
    d = Desk(s, "templates")
    case = d.file()
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        b.allow("/api/v1/templates", 400)      # the wrong placeholder, refused on purpose
        sign_in(b, d.email, next_path="/staff/templates")
        assert "No templates yet." in b.text("main")
        check_page(b, s, "en", "/staff/templates")
        type_into(b, "main form.template-edit input[name=name]", "Deadline")
        # A placeholder inserted where the cursor is, from the list.
        area = b.find("main form.template-edit textarea[name='text.en']")
        area.send_keys("Dear ")
        b.click("main .placeholders button")            # {exporter}
        b.find("main form.template-edit textarea[name='text.en']").send_keys(", by {deadline}.")
        type_into(b, "main form.template-edit textarea[name='text.zh-CN']", "{customer}：请于{deadline}前答复。")
        b.click("main form.template-edit button[type=submit]")
        b.wait("the refusal", lambda: b.finds("main form.template-edit .error-summary:not([hidden])"))
        err = b.find("main form.template-edit [data-field='text.zh-CN'] .field-error").text
        assert "{customer}" in err, err
        assert b.find("main form.template-edit textarea[name='text.zh-CN']").get_attribute(
            "aria-invalid") == "true"
        type_into(b, "main form.template-edit textarea[name='text.zh-CN']", "{exporter}：请于{deadline}前答复。")
        b.click("main form.template-edit button[type=submit]")
        b.wait("the template", lambda: b.finds("main ul.template-list li.template"))
        got = s.get("/api/v1/templates", token=d.tri).json()["items"]
        assert [(x["name"], x["texts"]) for x in got] == [("Deadline", {
            "en": "Dear {exporter}, by {deadline}.", "zh-CN": "{exporter}：请于{deadline}前答复。"})]
        # Used on the case: the server fills the same placeholders.
        r = s.post(f"/api/v1/cases/{case['id']}/messages", {"template": got[0]["id"], "lang": "en"},
                   token=d.tri)
        assert r.json()["text"].startswith("Dear Ningbo Haitian Lighting Co., Ltd., by 2026-12-15")
    # An expert reads them and changes nothing.
    from peoplelib import make_person
    xp = make_person(s, "expert", d.experts[0]["id"], name="Wang Lei")
    set_person(s, xp, lang="zh-CN")
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, xp, next_path="/staff/templates")
        assert b.finds("main ul.template-list li.template")
        assert not b.finds("main form.template-edit") and not b.finds("main li.template button")
        check_page(b, s, "zh-CN", "/staff/templates (expert)")


def test_every_console_page_within_its_budget(s):
    from consoledata import demo
    data = demo(s)
    for lang in ("en", "zh-CN"):
        set_person(s, data["email"], lang=lang)
        cat = catalogue(s)
        with browser(s, lang=lang, size=PHONE if lang == "zh-CN" else DESKTOP, tz=ZONE) as b:
            sign_in(b, data["email"], next_path="/staff")
            for path in ("/staff", f"/staff/cases/{data['case']}", f"/staff/cases/{data['accepted']}",
                         "/staff/calendar", "/staff/bulletins", f"/staff/bulletins/{data['draft']}",
                         f"/staff/bulletins/{data['bulletin']}", "/staff/bulletins/new",
                         "/staff/stats", "/staff/templates"):
                size, calls = first_load(b, path)
                assert size <= 150 * 1024, (path, lang, size)
                assert len(calls) <= 4, (path, lang, calls)
                check_page(b, s, lang, path)
            # The side navigation offers the console's pages to a triager.
            titles = [a.text for a in b.finds("sw-app-nav li a")]
            for t in ("Case queue", "Deadline calendar", "Bulletin desk", "Statistics",
                      "Reply templates"):
                assert (cat[t] if lang == "zh-CN" else t) in titles, titles
