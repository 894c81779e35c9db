"""The public pages in a real browser: both languages, every visible string from the catalogue,
filters and paging, hostile data shown as text, keyboard alone, a phone and a desktop, and
the budgets (first load ≤ 150 KB compressed, ≤ 4 API requests per page)."""
import json
import os

from browser import DESKTOP, PHONE, browser
from harness import wait_until
from portal import ROOT, TAG, catalogue, foreign, seed

PUBLIC = ["/", "/bulletins", "/bulletins/{bulletin}", "/fairs", "/coverage", "/signin",
          "/signup", "/verify", "/reset", "/reset?token=zq", "/invite", "/no/such/page"]


def pages(data):
    return [p.replace("{bulletin}", str(data["chinese"]["id"])) for p in PUBLIC]


def landmarks(b):
    return b.js("""return {
        banner: document.querySelectorAll('header.site-header').length,
        nav: Array.from(document.querySelectorAll('nav')).map(n => n.getAttribute('aria-label')),
        main: document.querySelectorAll('main').length,
        contentinfo: document.querySelectorAll('body > footer').length,
        h1: Array.from(document.querySelectorAll('main h1')).map(h => h.textContent)}""")


def assert_from_catalogue(b, lang, cat, where):
    bad = foreign(b.texts(), lang, cat)
    assert not bad, f"{where} ({lang}): text not from the catalogue nor data: {bad[:8]}"


def test_english_then_chinese_remembered(s):
    data = seed(s)
    cat = catalogue(s)
    with browser(s, lang="en") as b:
        b.open("/")
        assert b.js("return document.documentElement.lang") == "en"
        marks = landmarks(b)
        assert marks["banner"] == 1 and marks["main"] == 1 and marks["contentinfo"] == 1, marks
        assert "Main" in marks["nav"] and marks["h1"] == [
            "Early warning and assistance for exporters' intellectual property abroad"], marks
        assert b.driver.title == "Home · Seawall"
        fairs = s.get("/api/v1/shows?limit=3").json()["items"]      # the same, from the API
        assert [e.text for e in b.finds("main sw-fair .card-title")] == [f["name"] for f in fairs]
        assert_from_catalogue(b, "en", cat, "/")
        # Switch to Chinese: the page, the header and the title change, nothing reloads.
        b.js("window.__sameDocument = true")
        b.click('sw-lang-switch button[lang="zh-CN"]')
        b.wait("Chinese", lambda: b.js("return document.documentElement.lang") == "zh-CN" and
               b.js("return document.documentElement.dataset.state") == "ready")
        assert b.js("return window.__sameDocument") is True
        assert b.text("main h1") == cat["Early warning and assistance for exporters' intellectual property abroad"]
        assert b.driver.title == f"{cat['Home']} · Seawall"
        assert b.find('sw-lang-switch button[lang="zh-CN"]').get_attribute("aria-pressed") == "true"
        assert_from_catalogue(b, "zh-CN", cat, "/")
        # Remembered: a new visit (a reload) is in Chinese although the browser says English.
        b.open("/bulletins")
        assert b.js("return document.documentElement.lang") == "zh-CN"
        assert b.text("main h1") == "预警公告"
        assert_from_catalogue(b, "zh-CN", cat, "/bulletins")


def test_browser_language_is_the_default(s):
    seed(s)
    with browser(s, lang="zh-CN") as b:
        b.open("/fairs")
        assert b.js("return document.documentElement.lang") == "zh-CN"
        assert b.text("main h1") == "境外展会"
    with browser(s, lang="fr") as b:            # a language Seawall does not speak: English
        b.open("/fairs")
        assert b.js("return document.documentElement.lang") == "en"
        assert b.text("main h1") == "Trade fairs"


def test_every_public_page_in_both_languages(s):
    """Each page: landmarks, one h1, nothing outside the catalogue, no console error or CSP
    violation — in English and in Chinese, on a phone and on a desktop."""
    data = seed(s)
    cat = catalogue(s)
    for lang, size in (("en", DESKTOP), ("zh-CN", PHONE)):
        with browser(s, lang=lang, size=size) as b:
            for path in pages(data):
                b.open(path)
                marks = landmarks(b)
                assert len(marks["h1"]) == 1 and marks["main"] == 1, (path, marks)
                assert_from_catalogue(b, lang, cat, path)
                # Nothing wider than the screen: no sideways scrolling on a phone.
                width = b.js("return document.documentElement.scrollWidth")
                assert width <= size[0], f"{path} is {width}px wide at {size[0]}px"
                problems = b.problems()
                assert not problems, (path, problems)


def test_bulletins_filter_page_and_open(s):
    data = seed(s)
    with browser(s, lang="en") as b:
        b.open("/bulletins")
        assert len(b.finds("main sw-bulletin-summary")) == 20
        first_page = [e.text for e in b.finds("main .card-title")]
        # Filter by severity with the form (kept in the address), then by country too.
        b.js("document.querySelector('select[name=severity]').value = 'critical'")
        b.follow("form.filters button[type=submit]")
        assert b.path() == "/bulletins?severity=critical"
        levels = {e.get_attribute("level") for e in b.finds("main sw-severity")}
        assert levels == {"critical"}, levels
        assert any(data["hostile"]["title"]["en"] == e.text for e in b.finds("main .card-title"))
        b.open("/bulletins?severity=critical&country=GB")
        cards = [e.text for e in b.finds("main sw-bulletin-summary")]
        assert cards and all("United Kingdom" in c and "Critical" in c for c in cards), cards
        assert b.find("select[name=country]").get_attribute("value") == "GB"
        b.follow("form.filters a[href='/bulletins']")          # clear filters
        assert b.path() == "/bulletins"
        # Older, then back to the newest.
        b.follow("sw-pager a[rel=next]")
        assert "cursor=" in b.path()
        older = [e.text for e in b.finds("main .card-title")]
        assert older and not set(older) & set(first_page), (older, first_page)
        b.follow("sw-pager a.pager-first")
        assert [e.text for e in b.finds("main .card-title")] == first_page
        # The feed link carries the filters.
        b.open("/bulletins?country=US")
        assert b.find(".feed-link a").get_attribute("href").endswith(
            "/api/v1/bulletins.atom?country=US")
        # One bulletin: hostile text stays text, a javascript: URL is never a link.
        b.open("/bulletins?severity=critical")
        b.follow(f"main a[href='/bulletins/{data['hostile']['id']}']")
        assert b.path() == f"/bulletins/{data['hostile']['id']}"
        assert b.text("main h1") == data["hostile"]["title"]["en"]
        assert b.js("return document.querySelectorAll('main script, main iframe, main img, main b').length") == 0
        assert "<iframe src=//evil.example></iframe>" in b.text()
        assert not b.finds("main a[href^='javascript']")
        assert b.focused()["tag"] == "h1"                       # focus moved to the new page
        b.open(f"/bulletins/{data['chinese']['id']}")
        assert b.find("main a[target=_blank]").get_attribute("href") == "https://www.ilnd.uscourts.gov/"
        assert "LED灯具" in b.text(".tags")
        # One that does not exist.
        b.allow("/api/v1/bulletins/987654321", 404)
        b.open("/bulletins/987654321")
        assert b.text("main h1") == "Page not found"


def fair_cards(b, names):
    """The cards of these fairs, following Older until all are found (other tests' fairs may
    come first)."""
    b.open("/fairs")
    cards = {}
    for _ in range(20):
        for c in b.finds("main sw-fair"):
            title = c.find_element("css selector", ".card-title").text
            if title in names:
                cards[title] = c.text
        if set(names) <= set(cards) or not b.finds("sw-pager a[rel=next]"):
            return cards
        b.follow("sw-pager a[rel=next]")
    return cards


def test_fairs_with_their_station(s):
    data = seed(s)
    with browser(s, lang="en") as b:
        cards = fair_cards(b, [data["show"]["name"], data["bare_show"]["name"]])
        fair = cards[data["show"]["name"]]
        assert "IP service station, Hall 5" in fair and "Messe Berlin GmbH" in fair
        assert "desk@fair.example" not in b.text()
        assert "No station is registered for this fair yet." in cards[data["bare_show"]["name"]]


def test_coverage_says_what_is_missing(s):
    data = seed(s)
    cat = catalogue(s)
    with browser(s, lang="en") as b:
        b.open("/coverage")
        rows = {r.find_element("css selector", "th").text: r.text for r in b.finds("tbody tr")}
        good, bad = rows[data["good_feed"]["name"]], rows[data["bad_feed"]["name"]]
        assert "Working" in good and "Nothing" in good, good
        assert "Failing" in bad and "the source answered with an error" in bad, bad
        assert "Never" in bad
        assert "http" not in b.text()
        b.click('sw-lang-switch button[lang="zh-CN"]')
        b.wait("Chinese", lambda: b.text("main h1") == "数据源覆盖情况")
        rows = {r.find_element("css selector", "th").text: r.text for r in b.finds("tbody tr")}
        assert cat["the source answered with an error"] in rows[data["bad_feed"]["name"]]


def test_coverage_lists_the_days_that_never_came(s):
    """A source with one file per date, one of whose days never appeared: the page names the
    day, in both languages."""
    seed(s)
    cat = catalogue(s)
    with open(os.path.join(ROOT, "demo", "feeds", "customs-notices.json")) as f:
        doc = json.load(f)
    for day in ("2026-11-28", "2026-11-30", "2026-12-01"):   # 29 November never appears
        for item in doc["items"]:
            item["id"] = f"{item['id'].split('@')[0]}@{day}"
        with open(os.path.join(s.dir, "feeds", f"{TAG}-dated-{day}.json"), "w") as f:
            json.dump(doc, f)
    s.redis("SET", "sw:testclock:poller_at_ms", "1796126400000")   # 1 December, 12:00 UTC
    feed = s.make("/api/v1/feeds", {
        "url_template": f"http://127.0.0.1:{s.port}/feeds/{TAG}-dated-{{yyyy}}-{{mm}}-{{dd}}.json",
        "format": "json", "name": "Customs notices by day", "days": ["mon", "tue", "wed", "thu",
        "fri", "sat", "sun"], "grace_h": 0, "start_date": "2026-11-28", "interval_s": 3600})
    try:
        wait_until("the four days polled", lambda: [
            c for c in s.get("/api/v1/coverage?limit=200").json()["items"]
            if c["id"] == feed["id"] and c["dates"]["fetched"] == 3 and c["dates"]["missing"]])
        with browser(s, lang="en") as b:
            b.open("/coverage")
            rows = {r.find_element("css selector", "th").text: r.text for r in b.finds("tbody tr")}
            row = rows["Customs notices by day"]
            assert "Working" in row and "Files that never appeared (1): Nov 29, 2026." in row, row
            b.click('sw-lang-switch button[lang="zh-CN"]')
            b.wait("Chinese", lambda: b.text("main h1") == "数据源覆盖情况")
            rows = {r.find_element("css selector", "th").text: r.text for r in b.finds("tbody tr")}
            assert cat["Files that never appeared ({count}): {dates}."].split("（")[0] in \
                rows["Customs notices by day"], rows["Customs notices by day"]
            assert "2026年11月29日" in rows["Customs notices by day"], rows["Customs notices by day"]
    finally:
        s.redis("DEL", "sw:testclock:poller_at_ms")
        s.request("DELETE", f"/api/v1/feeds/{feed['id']}", token=s.admin)


def test_keyboard_alone(s):
    seed(s)
    with browser(s, lang="en") as b:
        b.open("/")
        # The first stop is the skip link, shown when focused; it leads to the main content.
        f = b.tab()
        assert f["cls"] == "skip-link" and f["text"] == "Skip to main content", f
        assert b.js("return document.querySelector('.skip-link').getBoundingClientRect().top") >= 0
        order = [b.tab() for _ in range(9)]
        names = [o["text"] or o["href"] for o in order]
        assert names == ["SeawallOverseas IP early warning and assistance", "Home",
                         "Early-warning bulletins", "Trade fairs", "Source coverage", "中文",
                         "English", "Sign in", "Sign up"], names
        # Every stop shows where it is: an outline or a ring.
        for _ in range(3):
            b.tab(shift=True)
            style = b.js("""const s = getComputedStyle(document.activeElement);
                            return [s.outlineStyle, s.outlineWidth, s.boxShadow]""")
            assert style[0] != "none" or style[2] != "none", style
        # Enter on a navigation link opens the page and moves focus to its heading.
        while b.focused()["text"] != "Trade fairs":
            b.tab()
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.keys("\ue007")                                          # Enter
        b.wait_ready()
        assert b.path() == "/fairs" and b.focused()["tag"] == "h1"
        # The skip link moves focus into main.
        b.open("/coverage")
        b.tab()
        b.keys("\ue007")
        b.wait("focus in main", lambda: b.js("return document.activeElement.id") == "main")
        # The phone menu opens and closes from the keyboard and says so.
        b.resize(PHONE)
        b.open("/")
        toggle = b.find(".menu-toggle")
        assert toggle.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
        assert not b.find(".site-menu nav").is_displayed()
        while b.focused()["cls"] != "menu-toggle":
            b.tab()
        b.keys("\ue007")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert b.find(".site-menu nav").is_displayed()
        assert b.tab()["text"] == "Home"
        b.resize(DESKTOP)
        b.open("/")
        assert not b.find(".menu-toggle").is_displayed()
        assert b.find(".site-menu nav").is_displayed()


def test_keyboard_form(s):
    with browser(s, lang="en") as b:
        b.open("/signin")
        while b.focused()["name"] != "email":
            b.tab()
        b.keys("nobody@exporter.example")
        assert b.tab()["name"] == "password"
        b.keys("\ue007")                                           # Enter submits
        b.wait("the error", lambda: b.finds(".error-summary:not([hidden])"))
        f = b.focused()
        assert f["name"] == "password", f                         # the first field in error
        pw = b.find("input[name=password]")
        assert pw.get_attribute("aria-invalid") == "true"
        described = pw.get_attribute("aria-describedby").split()
        assert any(b.find(f"#{i}").text.endswith("Enter your password") for i in described
                   if b.finds(f"#{i}"))
        assert b.find("input[name=email]").get_attribute("aria-invalid") is None
        assert "Enter your password" in b.text(".error-summary")
        # The summary's link leads to the field.
        b.click(".error-summary a")
        assert b.focused()["name"] == "password"


def test_budgets_and_no_third_party(s):
    """First load of each page with an empty cache: HTML, JS, CSS (and the catalogue) at most
    150 KB as transferred, at most 2 API requests (a workspace page's limit, 4, is its own
    tests'), nothing from another origin."""
    data = seed(s)
    for lang in ("en", "zh-CN"):
        with browser(s, lang=lang) as b:
            b.cdp("Network.enable")
            b.cdp("Network.setCacheDisabled", {"cacheDisabled": True})
            for path in pages(data):
                b.open(path)
                res = b.resources()
                origin = b.base
                assert all(r["name"].startswith(origin) for r in res), [
                    r["name"] for r in res if not r["name"].startswith(origin)]
                api = [r["name"] for r in res if r["name"][len(origin):].startswith("/api/")]
                assert len(api) <= 2, (path, api)
                files = [r for r in res if not r["name"][len(origin):].startswith("/api/")]
                size = sum(r["transfer"] for r in files)
                assert all(r["transfer"] > 0 for r in files), (path, files)
                assert size <= 150 * 1024, (path, size, sorted((r["transfer"], r["name"])
                                                              for r in files)[-5:])
                # Compressed: what travelled is smaller than what it holds.
                js = [r for r in files if r["name"].endswith(".js") and r["decoded"] > 2048]
                assert js and all(r["encoded"] < r["decoded"] for r in js), js
