"""The staff console's queue in a real browser against the real stack, a triager signed in for
real: the views as tabs with the API's counts, a bulk assignment of 20 cases through the page
with the one case that may not be assigned refused in its own row, search by the exporter's
Chinese name, a quick filter, a saved view kept by the API and opened again, both languages,
a phone and a desktop, and each page's budget."""
from browser import DESKTOP, PHONE, browser
from consoledata import Desk
from portal import catalogue
from wslib import ZONE, api_calls, check_page, set_person, sign_in, type_into, wait_until

def select(b, css, value):
    """Chooses value in a select as a person would: the change event bubbles to the form."""
    b.js("arguments[0].value = arguments[1];"
         "arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", b.find(css), value)


VIEWS = ["new_unassigned", "mine", "near_breach", "breached", "waiting", "due_week", "open"]


def tab_counts(b):
    return {a.get_attribute("data-view"): int(a.find_element("css selector", ".count").text
                                                .split()[0].replace(",", ""))
            for a in b.finds("main nav.view-tabs a")}


def test_bulk_assign_20_cases_one_refused(s):
    d = Desk(s, "bulk-20")
    cases = [d.file(served_at=f"2026-11-{1 + i:02d}") for i in range(20)]
    held = d.file(opposing_party="Lumen Design GmbH", country="DE", type="customs_seizure",
                  forum="Hauptzollamt Hamburg", served_at="2026-11-27", rights=[])
    d.move(held, "needs_info", reason="Send the detention notice, please.")
    expert = d.experts[0]
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, d.email, next_path="/staff")
        assert b.text("main h1") == "Case queue"
        assert b.find("sw-app-nav a[aria-current=page]").get_attribute("href").endswith("/staff")
        # The tabs' counts are the API's; the page asked for no more than it may.
        counts = s.get("/api/v1/cases/queue/counts", token=d.tri).json()["views"]
        assert tab_counts(b) == {v: counts[v] for v in VIEWS}
        assert counts["open"] == 21 and counts["new_unassigned"] == 20 and counts["waiting"] == 1
        calls = check_page(b, s, "en", "/staff")
        assert sorted(c.split("?")[0] for c in calls) == ["/api/v1/cases/queue",
                                                          "/api/v1/cases/queue/counts",
                                                          "/api/v1/me/views", "/api/v1/session"]
        rows = b.finds("main table.queue tbody tr")
        assert len(rows) == 21
        row = b.find(f"main table.queue tr[data-case='{held['id']}']")
        assert "More information needed" in row.text and "Lumen Design GmbH" in row.text
        assert "Ningbo Haitian Lighting Co., Ltd." in row.text
        # Select every case shown, assign them all to the expert.
        b.click("main table.queue thead input.select-all")
        assert b.text("main .selected-count") == "21 cases selected."
        select(b, "main .bulk-form select[name=action]", "assign")
        b.wait("the experts", lambda: len(b.finds(
            "main .bulk-form select[name=expert_id] option")) == 3)
        select(b, "main .bulk-form select[name=expert_id]", str(expert["id"]))
        b.click("main .bulk-form button[type=submit]")
        b.wait("the results", lambda: b.finds("main .bulk-results ol.bulk-list li"))
        items = b.finds("main .bulk-results ol.bulk-list li")
        assert len(items) == 21
        refused = [li for li in items if "refused" in li.get_attribute("class")]
        assert [li.get_attribute("data-case") for li in refused] == [str(held["id"])]
        assert refused[0].text.startswith(f"Case #{held['id']} — Refused:"), refused[0].text
        done = [li for li in items if "done" in li.get_attribute("class")]
        assert all(f"Expert assigned · expert {expert['name']}" in li.text for li in done)
        assert "20 cases changed. 1 case refused: see why below." in b.text("main .bulk-results")
        assert b.focused()["cls"] == "bulk-results"
        # The rows say so at once; the server agrees, case by case.
        row = b.find(f"main table.queue tr[data-case='{cases[0]['id']}']")
        assert "Expert assigned" in row.text and expert["name"] in row.text
        for c in cases:
            got = s.get(f"/api/v1/cases/{c['id']}", token=d.tri).json()
            assert got["state"] == "assigned" and got["assignee"]["id"] == expert["id"], got
        assert s.get(f"/api/v1/cases/{held['id']}", token=d.tri).json()["state"] == "needs_info"
        # The exporter was told of each assignment.
        b.open("/staff?view=new_unassigned")
        assert b.text("main .queue-empty") == "No case in this view."
        assert tab_counts(b)["new_unassigned"] == 0
        # Tags in bulk, then the tag filter finds them.
        b.open("/staff")
        for c in cases[:3]:
            b.click(f"main table.queue tr[data-case='{c['id']}'] input[type=checkbox]")
        select(b, "main .bulk-form select[name=action]", "tag")
        type_into(b, "main .bulk-form input[name=tags]", "schedule-a 展会")
        b.click("main .bulk-form button[type=submit]")
        b.wait("the tag results", lambda: "3 cases changed." in b.text("main .bulk-results"))
        b.open("/staff?tag=%E5%B1%95%E4%BC%9A")
        got = sorted(int(r.get_attribute("data-case")) for r in b.finds("main table.queue tbody tr"))
        assert got == sorted(c["id"] for c in cases[:3])
        check_page(b, s, "en", "/staff?tag")


def test_search_quick_filter_and_saved_view_in_chinese(s):
    d = Desk(s, "views")
    zh = d.file("宁波海天灯饰有限公司", opposing_party="Brightstar IP Holdings")
    other = d.file("Harbour Audio Co., Ltd.", opposing_party="Lumière SAS", country="FR",
                   type="cease_and_desist", served_at=None, rights=[])
    d.file("Harbour Audio Co., Ltd.", opposing_party="Klangwerk GmbH", country="DE",
           type="show_complaint", served_at="2026-12-01", rights=[])
    set_person(s, d.email, lang="zh-CN")
    cat = catalogue(s)
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, d.email, next_path="/staff")
        assert b.text("main h1") == cat["Case queue"]
        check_page(b, s, "zh-CN", "/staff")
        # Search by a part of the exporter's Chinese name: the address keeps it.
        type_into(b, "main form.queue-search input[name=q]", "海天")
        b.follow("main form.queue-search button[type=submit]")
        assert b.path() == "/staff?q=%E6%B5%B7%E5%A4%A9"
        assert [r.get_attribute("data-case") for r in b.finds("main table.queue tbody tr")] == \
            [str(zh["id"])]
        # Search by the other side, in any case of letters.
        b.open("/staff?q=lumi%C3%A8re+sas")
        assert [r.get_attribute("data-case") for r in b.finds("main table.queue tbody tr")] == \
            [str(other["id"])]
        # The quick filter hides rows at once, without a request.
        b.open("/staff")
        before = len(api_calls(b))
        type_into(b, "main .quick-filter input", "klangwerk")
        b.wait("the filtered rows", lambda: len([r for r in b.finds("main table.queue tbody tr")
                                                 if r.is_displayed()]) == 1)
        assert len(api_calls(b)) == before
        assert b.text("main .quick-filter [aria-live]") == \
            cat["{shown} of {total} cases shown."].format(shown=1, total=3)
        # A saved view: the search, a filter and the order, under a name of the person's.
        b.open("/staff?q=harbour&country=FR&sort=deadline")
        b.click("main details.save-view-box summary")
        type_into(b, "main form.save-view input[name=name]", "法国 · Harbour")
        b.click("main form.save-view button[type=submit]")
        b.wait("the saved view", lambda: b.finds("main .saved-views li[data-view='法国 · Harbour']"))
        views = d.person().get("/api/v1/me/views").json()["items"]
        assert [(v["name"], v["view"], v["filters"], v["sort"]) for v in views] == [
            ("法国 · Harbour", "open", {"q": "harbour", "country": "FR"}, "deadline")]
        # Opened again from another page: the same cases.
        b.open("/staff?view=breached")
        b.follow("main .saved-views li[data-view='法国 · Harbour'] a")
        assert [r.get_attribute("data-case") for r in b.finds("main table.queue tbody tr")] == \
            [str(other["id"])]
        assert b.find("main .saved-views a[aria-current=page]").text == "法国 · Harbour"
        check_page(b, s, "zh-CN", "/staff (saved view)", max_api=None)
        # Deleted: gone from the page and from the API.
        b.click("main .saved-views li[data-view='法国 · Harbour'] button")
        b.wait("the view deleted", lambda: not b.finds("main .saved-views li"))
        assert d.person().get("/api/v1/me/views").json()["items"] == []


def test_queue_by_keyboard_and_roles(s):
    """The bulk form by keyboard alone; an expert's queue; an exporter sent away."""
    d = Desk(s, "keys")
    c = d.file()
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, d.email, next_path="/staff")
        box = b.find(f"main table.queue tr[data-case='{c['id']}'] input[type=checkbox]")
        b.js("arguments[0].focus()", box)
        b.keys(" ")
        assert b.text("main .selected-count") == "1 case selected."
        reached = []
        for _ in range(40):
            f = b.tab(shift=True)
            reached.append(f["name"])
            if f["name"] == "action":
                break
        assert "action" in reached, reached
        from selenium.webdriver.common.keys import Keys
        b.keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN)   # to "Add tags"
        wait_until("the tags field", lambda: b.find("main .bulk-form input[name=tags]").is_displayed())
    from peoplelib import make_person, sign_in as api_sign_in
    xp = make_person(s, "expert", d.experts[0]["id"], name="Wang Lei")
    d.move(c, "accepted")
    d.move(c, "assigned")
    with browser(s, lang="en", size=PHONE, tz=ZONE) as b:
        sign_in(b, xp, next_path="/staff?view=mine")
        assert [r.get_attribute("data-case") for r in b.finds("main table.queue tbody tr")] == \
            [str(c["id"])]
        check_page(b, s, "en", "/staff as an expert")
    # An exporter is told whose page it is, and no queue is asked for.
    sub, tok = d.exporter("Ningbo Haitian Lighting Co., Ltd.")
    email = make_person(s, "exporter", sub["id"], team_role="owner", name="Li Wei")
    assert api_sign_in(s, email).get("/api/v1/cases/queue").status == 403
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as b:
        sign_in(b, email, next_path="/staff")
        assert "This page is not for your role." in b.text("main")
        assert [c for c in api_calls(b) if "/cases/queue" in c] == []
