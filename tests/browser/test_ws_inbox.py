"""The exporter's dashboard, inbox and comparison against the real stack: counts that lead into
the inbox filtered, filters and a search kept in the address, cursor paging over 10,000 alerts
that never loads them all, bulk and "mark all" status changes, new alerts arriving live behind
a "N new" button, the side-by-side comparison with its differences marked character by
character, both languages at both widths, keyboard use, and the budgets (first load ≤ 150 KB
compressed, ≤ 4 API requests)."""
import urllib.parse

from browser import DESKTOP, PHONE, browser
from harness import wait_until
from inboxdata import (PAGE, TAG, alerts, exporter, page_fetch, push, seed_inbox,
                       sign_in)
from portal import catalogue, foreign


def clean_text(b, lang, cat, where):
    bad = foreign(b.texts(), lang, cat)
    assert not bad, f"{where} ({lang}): text not from the catalogue nor data: {bad[:8]}"


def entries(b):
    """The inbox's entries as shown: [(alert id, title, status)]."""
    return b.js("""return Array.from(document.querySelectorAll('main sw-inbox-entry')).map(e =>
        [e.alert.id, e.querySelector('.card-title').textContent, e.dataset.status])""")


def select_value(b, name, value):
    b.js("document.querySelector(`main [name=${arguments[0]}]`).value = arguments[1]", name, value)


def submit_filters(b):
    b.follow("form.inbox-filters button[type=submit]")


def test_dashboard_counts_latest_cases_and_empty_states(s):
    d = seed_inbox(s)
    cat = catalogue(s)
    with browser(s, lang="en") as b:
        sign_in(s, b, d["email"])
        db = s.get("/api/v1/dashboard", token=d["tok"]).json()
        assert b.text("main h1") == "Dashboard"
        assert b.driver.title == "Dashboard · Seawall"
        # Each count is a figure: its number and its label, the whole a link into the inbox.
        figs = b.js("""return Array.from(document.querySelectorAll('main .figure > a:first-child'))
            .map(a => [a.querySelector('.figure-number').textContent,
                       a.querySelector('.figure-label').textContent, a.getAttribute('href')])""")
        want = [(str(db["alerts"]["status"][k]), label, f"/app/inbox?status={k}")
                for k, label in (("new", "New"), ("read", "Read"), ("dismissed", "Dismissed"))]
        want += [(str(db["alerts"]["severity"][k]), label, f"/app/inbox?severity={k}&status=all")
                 for k, label in (("critical", "Critical"), ("high", "High"),
                                  ("medium", "Medium"), ("low", "Low"))]
        assert [tuple(f) for f in figs] == want, figs
        # The newest critical and high alerts still new, as the API lists them.
        latest = b.js("""return Array.from(document.querySelectorAll('main sw-inbox-entry'))
            .map(e => e.alert.id)""")
        assert latest == [a["id"] for a in db["latest"]] and latest, latest
        # Open cases with their deadline counted down, and the deadlines soonest first.
        rows = b.finds("main table.cases-table tbody tr")
        assert len(rows) == len(db["open_cases"]) == 2, db["open_cases"]
        text = b.text("main table.cases-table")
        assert "Harbor Brands LLC" in text and "Lumen Holdings Inc." in text
        for k in db["open_cases"]:
            left = k["deadline"]["time_left_s"]
            days = round(abs(left) / 86400)
            assert (f"Overdue: {days} days ago" if left < 0 else f"in {days} days") in text, text
        due = b.finds("main ol.deadlines li")
        assert [e.find_element("css selector", "a").get_attribute("href").rsplit("/", 1)[1]
                for e in due] == [str(x["case_id"]) for x in db["deadlines"]]
        clean_text(b, "en", cat, "/app")
        # The critical figure leads to the inbox filtered so.
        b.follow("main .sev-critical > a:first-child")
        assert b.path() == "/app/inbox?severity=critical&status=all"
        levels = {e.get_attribute("level") for e in b.finds("main sw-inbox-entry sw-severity")}
        assert levels == {"critical"}, levels
        assert b.find("main select[name=severity]").get_attribute("value") == "critical"
    # A company with nothing yet is told what to do next (in Chinese).
    _, _, email = exporter(s, "Empty Dashboard Lighting Ltd")
    with browser(s, lang="zh-CN") as b:
        sign_in(s, b, email, lang="zh-CN")
        assert b.text("main h1") == cat["Dashboard"]
        hrefs = [a.get_attribute("href") for a in b.finds("main .notice a.button")]
        assert [h.split(b.base, 1)[-1] for h in hrefs] == ["/app/portfolio", "/app/cases/new"]
        assert not b.finds("main .figures")
        clean_text(b, "zh-CN", cat, "/app (empty)")


def test_inbox_filters_search_paging_and_history(s):
    d = seed_inbox(s)
    tok = d["tok"]
    with browser(s, lang="en") as b:
        sign_in(s, b, d["email"], next_path="/app/inbox")
        first = entries(b)
        api_first = alerts(s, tok, f"limit={PAGE}&status=new,read")
        assert [e[0] for e in first] == [a["id"] for a in api_first], (first, api_first)
        assert len(first) == PAGE
        # Every entry names the items its event touched.
        suit = d["by"][f"ev_{TAG}_suit"]
        el = f"main sw-inbox-entry a[href='/app/alerts/{suit['id']}']"
        card = b.find(el).find_element("xpath", "ancestor::article")
        assert "SEAWALLE" in card.text and "Ningbo Seawall Lighting Co., Ltd." in card.text
        assert "Critical" in card.text and "Lawsuit" in card.text and "United States" in card.text
        # Older, then back to the newest; Back and Forward follow.
        b.follow("sw-pager a[rel=next]")
        assert "cursor=" in b.path()
        older = entries(b)
        assert older and not {e[0] for e in older} & {e[0] for e in first}
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.driver.back()
        b.wait_ready()
        assert entries(b) == first
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.driver.forward()
        b.wait_ready()
        assert entries(b) == older
        # Search: the words, kept in the address, and what the API finds for them.
        b.open("/app/inbox")
        b.find("main input[name=q]").send_keys("seavvalle harbor")
        submit_filters(b)
        assert b.path() == "/app/inbox?q=seavvalle+harbor"
        assert [e[0] for e in entries(b)] == [d["by"][f"ev_{TAG}_tm"]["id"]]
        assert b.find("main input[name=q]").get_attribute("value") == "seavvalle harbor"
        # Filters together: severity, kind of event, country; Chinese text searched too.
        b.open("/app/inbox?q=" + urllib.parse.quote("海墙"))
        assert [e[0] for e in entries(b)] == [d["by"][f"ev_{TAG}_de"]["id"]]
        b.open("/app/inbox")
        select_value(b, "type", "trademark_filing")
        select_value(b, "country", "DE")
        submit_filters(b)
        assert b.path() == "/app/inbox?type=trademark_filing&country=DE"
        assert [e[0] for e in entries(b)] == [d["by"][f"ev_{TAG}_de"]["id"]]
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.driver.back()
        b.wait_ready()
        assert b.path() == "/app/inbox" and len(entries(b)) == PAGE
        assert b.find("main select[name=country]").get_attribute("value") == ""
        # Dates: from tomorrow on there is nothing; until today everything.
        b.open("/app/inbox?since=2999-01-01")
        assert entries(b) == [] and "No early warnings match these filters." in b.text("main")
        b.open("/app/inbox?until=2999-01-01&severity=high")
        got = entries(b)
        want = [a["id"] for a in alerts(s, tok, f"limit={PAGE}&severity=high&status=new,read")]
        assert [e[0] for e in got] == want and want
        # A filter the API cannot read is said at its field, not as a broken page.
        b.allow("/api/v1/alerts?", 400)
        b.open("/app/inbox?since=yesterday")
        since = b.find("main input[name=since]")
        assert since.get_attribute("aria-invalid") == "true"
        assert "ISO 8601" in b.text(".error-summary")


def test_bulk_selection_and_mark_all(s):
    d = seed_inbox(s)
    tok = d["tok"]
    word = f"zq{TAG}pagex"
    with browser(s, lang="en") as b:
        sign_in(s, b, d["email"], next_path=f"/app/inbox?q={word}&status=all")
        shown = entries(b)
        assert len(shown) == PAGE
        # Two selected, then read; the others stay as they were.
        boxes = b.finds("main input[name=alert]")
        boxes[0].click()
        boxes[2].click()
        assert b.find("#select-page").get_property("indeterminate") is True
        b.click("main .bulk button:nth-of-type(1)")          # Mark as read
        b.wait("the result", lambda: "marked as read" in b.text(".bulk-status"))
        assert b.text(".bulk-status") == "2 early warnings marked as read."
        got = {a["id"]: a["status"] for a in alerts(s, tok, f"q={word}&limit=200")}
        assert got[shown[0][0]] == "read" and got[shown[2][0]] == "read"
        assert got[shown[1][0]] == "new"
        now = {e[0]: e[2] for e in entries(b)}
        assert now[shown[0][0]] == "read" and now[shown[1][0]] == "new"
        assert not [x for x in b.finds("main input[name=alert]") if x.is_selected()]
        # Nothing selected: said so, nothing sent.
        b.click("main .bulk-row:first-of-type button:nth-of-type(2)")
        assert b.text(".bulk-status") == "Select one or more early warnings first."
        # Everything matching the search dismissed, in steps, with the count.
        total = len(alerts(s, tok, f"q={word}&limit=200"))
        b.click("main .bulk-row:nth-of-type(2) button:nth-of-type(2)")     # Dismiss all
        b.wait("mark all to finish", lambda: "dismissed." in b.text(".bulk-status"))
        assert b.text(".bulk-status") == f"{total} early warnings dismissed.", total
        assert {a["status"] for a in alerts(s, tok, f"q={word}&limit=200")} == {"dismissed"}
        assert {e[2] for e in entries(b)} == {"dismissed"}
        # The default view (not dismissed) no longer lists them; "mark all as new" brings
        # them back.
        b.open(f"/app/inbox?q={word}")
        assert entries(b) == []
        b.open(f"/app/inbox?q={word}&status=dismissed")
        page_fetch(b, "POST", "/api/v1/alerts/status",
                   {"filter": {"q": word}, "status": "new"})
    assert {a["status"] for a in alerts(s, tok, f"q={word}&limit=200")} == {"new"}


def test_new_alerts_arrive_live_behind_a_button(s):
    d = seed_inbox(s)
    with browser(s, lang="en") as b:
        sign_in(s, b, d["email"], next_path="/app/inbox")
        b.wait("the live stream", lambda: b.find("sw-inbox-live").get_attribute("data-state")
               == "live")
        b.js("window.__sameDocument = true")
        before = entries(b)
        # The reader's focus is on the third entry: nothing moves under it.
        b.js("document.querySelectorAll('main sw-inbox-entry .card-title a')[2].focus()")
        focused = b.focused()["href"]
        ev = {"id": f"ev_{TAG}_live1", "source": "test", "type": "litigation",
              "jurisdiction": "US", "title": "Lumen Holdings v. Ningbo Seawall Lighting",
              "parties": [{"name": COMPANY_UPPER, "role": "defendant"}]}
        push(s, ev)
        b.wait("the new button", lambda: b.finds("main .new-alerts button"))
        assert b.text("main .new-alerts button") == "Show 1 new early warning"
        b.wait("the announcement", lambda: b.find("main [aria-live=polite].visually-hidden")
               .get_attribute("textContent") == "1 new early warning has arrived.")
        assert entries(b) == before and b.focused()["href"] == focused
        # A second one counts up; one that the filters exclude does not.
        push(s, dict(ev, id=f"ev_{TAG}_live2", title="Second live lawsuit"))
        b.wait("two new", lambda: b.text("main .new-alerts button") ==
               "Show 2 new early warnings")
        b.click("main .new-alerts button")
        now = entries(b)
        assert [e[1] for e in now[:2]] == ["Second live lawsuit",
                                            "Lumen Holdings v. Ningbo Seawall Lighting"]
        assert now[2:] == before
        assert b.focused()["text"] == "Second live lawsuit"
        assert b.js("return window.__sameDocument") is True
        assert not b.finds("main .new-alerts button")
        # Missed while away: the page is hidden (its stream closes), an alert is made, and the
        # stream says "gap" (as it does when nginx no longer holds what was missed): the first
        # page is listed again and what it lacked waits behind the button. Shown again, the
        # page opens its stream again.
        b.js("window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}))")
        assert b.find("sw-inbox-live").get_attribute("data-state") == "connecting"
        push(s, dict(ev, id=f"ev_{TAG}_missed", title="Missed lawsuit"))
        wait_until("the missed alert", lambda: [a for a in alerts(s, d["tok"], "limit=5")
                                                if a["event_id"] == f"ev_{TAG}_missed"])
        assert not b.finds("main .new-alerts button")        # the stream was closed
        b.js("document.querySelector('sw-inbox-live').dispatchEvent("
             "new CustomEvent('sw-live-gap', {bubbles: true}))")
        b.wait("the missed one", lambda: b.finds("main .new-alerts button"))
        assert b.text("main .new-alerts button") == "Show 1 new early warning"
        b.click("main .new-alerts button")
        assert entries(b)[0][1] == "Missed lawsuit"
        b.js("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
        b.wait("the stream again", lambda: b.find("sw-inbox-live").get_attribute("data-state")
               == "live")
        # A filtered inbox counts only what it would list.
        b.open("/app/inbox?severity=low")
        b.wait("the live stream", lambda: b.find("sw-inbox-live").get_attribute("data-state")
               == "live")
        push(s, dict(ev, id=f"ev_{TAG}_live3", title="Third live lawsuit"))
        wait_until("the third alert", lambda: [a for a in alerts(s, d["tok"], "limit=5")
                                               if a["event_id"] == f"ev_{TAG}_live3"])
        assert not b.finds("main .new-alerts button")


COMPANY_UPPER = "NINGBO SEAWALL LIGHTING CO LTD"


def test_comparison_marks_differences_and_changes_status(s):
    d = seed_inbox(s)
    tm = d["by"][f"ev_{TAG}_tm"]
    cat = catalogue(s)
    with browser(s, lang="en") as b:
        sign_in(s, b, d["email"], next_path=f"/app/alerts/{tm['id']}")
        assert b.text("main h1") == "US trademark application 98765432: SEAVVALLE"
        assert b.driver.title == "US trademark application 98765432: SEAVVALLE · Seawall"
        # Opened: read.
        assert s.get(f"/api/v1/alerts/{tm['id']}", token=d["tok"]).json()["status"] == "read"
        assert b.text("main .facts.inline .alert-status") == "Read"
        cmp = b.find("main sw-inbox-compare")
        mine = b.js("return arguments[0].querySelector('.side.mine .diff-text')", cmp)
        theirs = b.js("return arguments[0].querySelector('.side.theirs .diff-text')", cmp)
        marked = lambda el, tag: b.js(  # noqa: E731 (the marked text, without the words)
            "return Array.from(arguments[0].querySelectorAll(arguments[1])).map(m => "
            "m.querySelector('[data-text]').textContent)", el, tag)
        # SEAWALLE beside SEAVVALLE: W only in the item, VV only in the foreign text; and
        # nothing marked on the other side.
        assert marked(mine, "del") == ["W"] and marked(mine, "ins") == []
        assert marked(theirs, "ins") == ["VV"] and marked(theirs, "del") == []
        assert mine.get_attribute("textContent").replace(
            "[only in your item:]", "").replace("[end]", "") == "SEAWALLE"
        assert "[only in the foreign text:]VV[end]" in theirs.get_attribute("textContent")
        assert "3 characters differ." in cmp.text
        text = cmp.text
        assert "Similarity 97%" in text and "Similar mark" in text, text
        assert "look-alike characters" in text and "the marks it names" in text, text
        common = b.js("""return Array.from(arguments[0].querySelectorAll(':scope > section > dl.facts dd'))
            .map(d => d.textContent)""", cmp)
        assert common[0] == "9" and common[1] == "United States", common
        # The event, with where it meets the item marked.
        assert [m.text for m in b.finds("main section.event mark")] == ["SEAVVALLE"]
        assert "Harbor Brands LLC (Applicant)" in b.text("main section.event")
        # The source: http(s) only, in a new tab, without a referrer or an opener.
        src = b.find("main a.source-link")
        assert src.get_attribute("href") == tm["source_url"]
        assert src.get_attribute("target") == "_blank"
        assert set(src.get_attribute("rel").split()) == {"noopener", "noreferrer"}
        # A case from this alert: the cases' form loads the alert itself.
        case = b.find("main .alert-actions a.button").get_attribute("href")
        assert case.endswith(f"/app/cases/new?alert={tm['id']}"), case
        clean_text(b, "en", cat, "comparison")
        # Dismiss, then new again: the page and the API agree each time.
        b.click("main .status-actions button[data-status=dismissed]")
        b.wait("dismissed", lambda: b.text("main .facts.inline .alert-status") == "Dismissed")
        assert b.text("main .bulk-status") == "Dismissed."
        assert s.get(f"/api/v1/alerts/{tm['id']}", token=d["tok"]).json()["status"] == \
            "dismissed"
        b.click("main .status-actions button[data-status=new]")
        b.wait("new", lambda: b.text("main .facts.inline .alert-status") == "New")
        assert s.get(f"/api/v1/alerts/{tm['id']}", token=d["tok"]).json()["status"] == "new"
        # The lawsuit: two items side by side, each with its own reasons.
        suit = d["by"][f"ev_{TAG}_suit"]
        b.open(f"/app/alerts/{suit['id']}")
        kinds = [e.text for e in b.finds("main sw-inbox-compare .compare-title")]
        assert kinds == ["Company name “Ningbo Seawall Lighting Co., Ltd.”",
                         "Trademark “SEAWALLE”"], kinds
        assert "Your company named as defendant" in b.text("main sw-inbox-compare")
        # Hostile text stays text; a javascript: link is no link.
        hostile = d["by"][f"ev_{TAG}_hostile"]
        b.open(f"/app/alerts/{hostile['id']}")
        assert b.text("main h1") == EVENTS_HOSTILE_TITLE
        assert not b.finds("main img") and not b.finds("main b") and not b.finds("main script")
        assert not b.finds("main a.source-link")
    # In Chinese: every word from the catalogue, the reasons translated.
    with browser(s, lang="zh-CN") as b:
        sign_in(s, b, d["email"], lang="zh-CN", next_path=f"/app/alerts/{tm['id']}")
        assert b.js("return document.documentElement.lang") == "zh-CN"
        text = b.text("main sw-inbox-compare")
        assert cat["Similar mark"] in text and cat["look-alike characters"] in text, text
        clean_text(b, "zh-CN", cat, "comparison")


EVENTS_HOSTILE_TITLE = "<img src=x onerror=alert(1)> SEAWALL-E & <b>bold</b>"


def test_each_page_in_both_languages_at_both_widths(s):
    d = seed_inbox(s)
    cat = catalogue(s)
    tm = d["by"][f"ev_{TAG}_tm"]
    paths = ["/app", "/app/inbox", "/app/inbox?severity=critical&status=all",
             f"/app/alerts/{tm['id']}", f"/app/alerts/{d['by'][f'ev_{TAG}_de']['id']}"]
    for lang in ("en", "zh-CN"):
        for size in (PHONE, DESKTOP):
            with browser(s, lang=lang, size=size) as b:
                sign_in(s, b, d["email"], lang=lang)
                for path in paths:
                    b.open(path)
                    assert b.js("return document.documentElement.lang") == lang
                    heads = b.js("""return Array.from(document.querySelectorAll(
                        'main h1, main h2, main h3, main h4')).map(h => Number(h.tagName[1]))""")
                    assert heads[0] == 1 and heads.count(1) == 1, (path, heads)
                    # Headings in order: none skips a level on the way down.
                    assert all(b_ <= a + 1 for a, b_ in zip(heads, heads[1:])), (path, heads)
                    assert len(b.finds("main")) == 1 and b.finds("nav[aria-label]")
                    clean_text(b, lang, cat, path)
                    width = b.js("return document.documentElement.scrollWidth")
                    assert width <= size[0], f"{path} is {width}px wide at {size[0]}px ({lang})"
                    # Every form control has a label.
                    unlabelled = b.js("""return Array.from(document.querySelectorAll(
                        'main input, main select, main button')).filter(e =>
                        !(e.labels && e.labels.length) && !e.getAttribute('aria-label') &&
                        !e.getAttribute('aria-labelledby') && !e.textContent.trim())
                        .map(e => e.outerHTML.slice(0, 80))""")
                    assert not unlabelled, (path, unlabelled)
                    problems = b.problems()
                    assert not problems, (path, problems)


def test_budgets(s):
    """First load of each page with an empty cache: at most 150 KB as transferred (HTML, JS,
    CSS, the catalogue), at most 4 API requests, nothing from another origin."""
    d = seed_inbox(s)
    tm = d["by"][f"ev_{TAG}_tm"]
    for lang in ("en", "zh-CN"):
        with browser(s, lang=lang) as b:
            sign_in(s, b, d["email"], lang=lang)
            b.cdp("Network.enable")
            b.cdp("Network.setCacheDisabled", {"cacheDisabled": True})
            for path in ("/app", "/app/inbox", f"/app/alerts/{tm['id']}"):
                b.open(path)
                b.wait("the page's requests", lambda: b.finds("main h1"))
                res = b.resources()
                origin = b.base
                assert all(r["name"].startswith(origin) for r in res), res
                api = [r["name"] for r in res if r["name"][len(origin):].startswith("/api/")]
                assert 1 <= len(api) <= 4, (path, api)
                files = [r for r in res if not r["name"][len(origin):].startswith("/api/")]
                size = sum(r["transfer"] for r in files)
                assert size <= 150 * 1024, (path, lang, size)
                js = [r for r in files if r["name"].endswith(".js") and r["decoded"] > 2048]
                assert js and all(r["encoded"] < r["decoded"] for r in js), js


# Counts what the page's own API requests answered: every list of alerts it received.
COUNT = """
window.__swAlerts = [];
const realFetch = window.fetch.bind(window);
window.fetch = async function (input, init) {
  const res = await realFetch(input, init);
  const u = new URL(typeof input === 'string' ? input : input.url, location.href);
  if (u.pathname === '/api/v1/alerts') {
    res.clone().json().then(b => window.__swAlerts.push({query: u.search,
      items: (b.items || []).length, next: b.next}));
  }
  return res;
};
"""


def test_ten_thousand_alerts_page_by_page(s):
    """An inbox of 10,000 alerts: the first page comes from one request of one page, the
    older pages one at a time; nothing loads them all."""
    n = 10000
    sub, tok, email = exporter(s, "Deep Inbox Lighting Ltd")
    word = f"zq{TAG}deepx"
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
               {"kind": "keyword", "text": f"{word} lamp", "countries": ["US"]}, token=tok)
    assert r.status == 201, r
    s.add_events([{"id": f"ev_{word}_{i}", "source": "test", "type": "news",
                   "jurisdiction": "US", "title": f"Notice {i}: {word} lamp"} for i in range(n)])
    key = f"sw:{{sub:{sub['id']}}}:alerts"
    wait_until("10,000 alerts", lambda: s.redis("ZCARD", key) == n, timeout=300)
    # The inbox's order is the API's, newest alert first (the events' shards are matched side
    # by side, so that is not the order the events were numbered in): its first three pages.
    pages, cursor = [], None
    for _ in range(3):
        body = s.get(f"/api/v1/alerts?limit={PAGE}" + (f"&cursor={cursor}" if cursor else ""),
                     token=tok).json()
        pages.append([a["id"] for a in body["items"]])
        cursor = body["next"]
    assert len({i for p in pages for i in p}) == 3 * PAGE
    with browser(s, lang="en") as b:
        b.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT})
        sign_in(s, b, email, next_path="/app/inbox")
        got = b.js("return window.__swAlerts")
        assert len(got) == 1 and got[0]["items"] == PAGE and got[0]["next"], got
        assert f"limit={PAGE}" in got[0]["query"]
        shown = entries(b)
        assert len(shown) == PAGE
        assert [e[0] for e in shown] == pages[0], shown[:3]
        assert all(e[1].startswith("Notice ") and e[1].endswith(f": {word} lamp")
                   for e in shown), shown[:3]
        calls = [r for r in b.resources() if "/api/v1/alerts?" in r["name"]]
        assert len(calls) == 1, calls
        assert calls[0]["decoded"] < 64 * 1024, calls      # one page, not the inbox
        for page in range(2, 4):
            b.follow("sw-pager a[rel=next]")
            got = b.js("return window.__swAlerts")       # (one document: the list grows)
            assert len(got) == page and got[-1]["items"] == PAGE, got
            assert f"cursor={got[-2]['next']}" in got[-1]["query"], got
            shown = entries(b)
            assert [e[0] for e in shown] == pages[page - 1], shown[:3]


def test_diff_module(s):
    """lib/diff.js in the browser: code points (never half a surrogate pair), case folded,
    every run joined gives each text back, and the number of differing characters is the
    least there is (checked against a longest-common-subsequence table)."""
    with browser(s, lang="en") as b:
        b.open("/")
        out = b.driver.execute_async_script("""
const done = arguments[0];
import('/lib/diff.js').then(({diff, distance}) => {
  const show = (a, b) => diff(a, b).map(r => [r.op, r.a, r.b]);
  const fails = [];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const abc = Array.from('abAB😀字海 ');
  for (let i = 0; i < 1500; i++) {
    const mk = () => Array.from({length: Math.floor(rnd() * 10)},
      () => abc[Math.floor(rnd() * abc.length)]).join('');
    const a = mk(), b = mk(), runs = diff(a, b);
    const ra = runs.filter(r => r.op !== 'ins').map(r => r.a).join('');
    const rb = runs.filter(r => r.op !== 'del').map(r => r.b).join('');
    const A = Array.from(a.toLowerCase()), B = Array.from(b.toLowerCase());
    const t = Array.from({length: A.length + 1}, () => new Array(B.length + 1).fill(0));
    for (let x = 1; x <= A.length; x++) for (let y = 1; y <= B.length; y++)
      t[x][y] = A[x - 1] === B[y - 1] ? t[x - 1][y - 1] + 1 : Math.max(t[x - 1][y], t[x][y - 1]);
    if (ra !== a || rb !== b || distance(runs) !== A.length + B.length - 2 * t[A.length][B.length])
      fails.push([a, b]);
  }
  const big = diff('x'.repeat(6000) + 'a'.repeat(3000), 'b'.repeat(3000) + 'y'.repeat(6000));
  done({fails: fails.slice(0, 5),
        seawall: show('SEAWALLE', 'SEAVVALLE'),
        emoji: show('😀abc', '😀abd'),
        chinese: show('海墙科技', '海牆科技有限公司'),
        caseOnly: show('Ningbo Lamp', 'NINGBO LAMP'),
        big: big.map(r => r.op)});
});
""")
        assert out["fails"] == [], out["fails"]
        assert out["seawall"] == [["same", "SEA", "SEA"], ["del", "W", ""], ["ins", "", "VV"],
                                  ["same", "ALLE", "ALLE"]]
        assert out["emoji"] == [["same", "😀ab", "😀ab"], ["del", "c", ""], ["ins", "", "d"]]
        assert out["chinese"] == [["same", "海", "海"], ["del", "墙", ""], ["ins", "", "牆"],
                                  ["same", "科技", "科技"], ["ins", "", "有限公司"]]
        assert out["caseOnly"] == [["same", "Ningbo Lamp", "NINGBO LAMP"]]
        assert out["big"] == ["del", "ins"]        # past the work limit: wholly different


def test_keyboard_in_the_inbox(s):
    d = seed_inbox(s)
    with browser(s, lang="en") as b:
        sign_in(s, b, d["email"], next_path="/app/inbox")
        # From the heading on: the search box comes first, then the folded filters (Enter
        # opens them), then the list.
        b.js("document.querySelector('main h1').focus()")
        assert b.tab()["name"] == "q"
        assert b.tab()["tag"] == "summary"
        assert b.js("return document.querySelector('details.more-filters').open") is False
        b.keys("\ue007")
        assert b.js("return document.querySelector('details.more-filters').open") is True
        # (A date field is three stops: day, month and year.)
        names = []
        for _ in range(14):
            name = b.tab()["name"]
            if not names or names[-1] != name:
                names.append(name)
        assert names[:6] == ["severity", "status", "type", "country", "since", "until"], names
        # Space on an entry's checkbox selects it; Enter on "Mark as read" acts.
        while b.focused()["name"] != "alert":
            b.tab()
        first = b.js("return document.activeElement.value")
        b.keys(" ")
        assert b.js("return document.activeElement.checked") is True
        b.js("document.querySelector('#select-page').focus()")
        b.tab(shift=True)
        while b.focused()["text"] != "Mark as read":
            b.tab()
        b.keys("\ue007")
        b.wait("the result", lambda: b.text(".bulk-status") == "1 early warning marked as read.")
        assert s.get(f"/api/v1/alerts/{first}", token=d["tok"]).json()["status"] == "read"
        # Enter on an entry's title opens the comparison, with focus on its heading.
        while b.focused()["tag"] != "a" or "/app/alerts/" not in (b.focused()["href"] or ""):
            b.tab()
        target = b.focused()["href"]
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.keys("\ue007")
        b.wait_ready()
        assert b.path() == target and b.focused()["tag"] == "h1"
