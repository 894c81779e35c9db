"""The issue's main journey in a real browser against the whole stack: sign up → the
verification mail from the stack's mailbox → a second factor → sign in with the TOTP code →
a mark on the watch list → a matching filing in a feed the stack's nginx serves, polled →
the early warning appears in the open inbox without a reload → the comparison → dismissed;
then the same in Chinese, every visible string from the catalogue. Beside it: sign-in by
keyboard alone, a request without the CSRF header refused, the session cookie's flags. Any
console error or CSP violation fails a test (browser.py)."""
import json
import os
import re
import time

from browser import browser
from harness import wait_until
from inboxdata import exporter, page_fetch, sign_in
from peoplelib import PASSWORD, clear_throttle, totp
from portal import catalogue, foreign

FEED = "zqjourney-filings.json"


def clean_text(b, lang, cat, where):
    bad = foreign(b.texts(), lang, cat)
    assert not bad, f"{where} ({lang}): text not from the catalogue nor data: {bad[:8]}"


def write_feed(s, items):
    """The test nginx serves s.dir/feeds/: a trademark filing feed in Seawall's JSON format."""
    path = os.path.join(s.dir, "feeds", FEED)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump({"seawall_feed": 1, "type": "trademark_filing", "jurisdiction": "US",
                   "title": "Trademark filings (journey test)", "items": items}, f)
    os.replace(path + ".tmp", path)


def filing(n, mark, applicant):
    return {"id": f"zqjourney-{n}", "title": f"US trademark application 9900000{n}: {mark}",
            "date": "2026-11-30", "marks": [mark], "nice": ["11"],
            "parties": [{"name": applicant, "role": "applicant", "country": "US"}],
            "goods": "LED lamps; lighting fixtures",
            "url": f"https://tsdr.uspto.gov/#caseNumber=9900000{n}&caseType=SERIAL_NO",
            "numbers": {"serial": f"9900000{n}"},
            "text": f"Application for {mark} in class 11 by {applicant}."}


def fill(b, **fields):
    for name, value in fields.items():
        el = b.find(f"main [name={name}]")
        if el.tag_name == "select":
            b.js("arguments[0].value = arguments[1]", el, value)
        else:
            el.clear()
            el.send_keys(value)


def marked(b, tag):
    """The text marked with tag (del, ins) in the comparison, without the words around it."""
    return b.js("return Array.from(document.querySelectorAll('main sw-inbox-compare ' + "
                "arguments[0])).map(m => m.querySelector('[data-text]').textContent)", tag)


def live_then_open_and_dismiss(b, s, cat, lang, alert_title, dels, inss):
    """In the open inbox: the early warning arrives (the "N new" button, no reload), is shown,
    opened, compared (dels and inss: what is marked only in the mark, only in the filing) and
    dismissed. Returns the alert's id."""
    b.wait("the early warning to arrive live", lambda: b.finds("main .new-alerts button"),
           timeout=60)
    assert b.js("return window.__sameDocument") is True          # no reload
    want = "Show 1 new early warning" if lang == "en" else \
        cat["Show {n} new early warning"][0].replace("{n}", "1")
    assert b.text("main .new-alerts button") == want
    b.click("main .new-alerts button")
    link = b.find("main sw-inbox-entry .card-title a")
    assert link.text == alert_title
    clean_text(b, lang, cat, "/app/inbox")
    b.follow("main sw-inbox-entry .card-title a")
    alert_id = b.path().rsplit("/", 1)[1]
    assert re.fullmatch(r"al_[0-9a-f]{32}", alert_id), alert_id
    assert b.text("main h1") == alert_title
    assert marked(b, "del") == dels and marked(b, "ins") == inss, (marked(b, "del"),
                                                                   marked(b, "ins"))
    clean_text(b, lang, cat, "comparison")
    b.click("main .status-actions button[data-status=dismissed]")
    b.wait("dismissed", lambda: b.text("main .facts.inline .alert-status") ==
           ("Dismissed" if lang == "en" else cat["Dismissed"]))
    clean_text(b, lang, cat, "comparison, dismissed")
    return alert_id


def test_journey_from_sign_up_to_a_dismissed_early_warning(s):
    cat = catalogue(s)
    clear_throttle(s)
    email = f"journey-{os.getpid()}@seawall-lighting.example"
    with browser(s, lang="en") as b:
        # Sign up with the form; the mail comes to the stack's mailbox.
        b.open("/signup")
        fill(b, company="Seawall Lighting (Ningbo) Co., Ltd.", country="CN", email=email,
             password=PASSWORD)
        b.click("main form button[type=submit]")
        b.wait("the mail's promise", lambda: email in b.text("main"))
        mail = wait_until("the verification mail", lambda: s.mail_to(email), timeout=30)[0]
        link = re.search(r"https?://[^\s]+/verify\?token=[A-Za-z0-9_-]+",
                         mail.get_body(("plain",)).get_content()).group(0)
        b.open(link[link.index("/verify"):])
        b.follow("main button")                                   # go to the workspace
        assert b.path() == "/app"
        # A second factor, set up as the account page would: the secret from the API, the
        # code computed here (RFC 6238).
        r = page_fetch(b, "POST", "/api/v1/me/totp")
        assert r["status"] == 200, r
        secret = r["body"]["secret"]
        person = r["person"]
        at = time.time()
        r = page_fetch(b, "POST", "/api/v1/me/totp/confirm", {"code": totp(secret, at)})
        assert r["status"] == 200 and r["body"]["totp_enabled"] is True, r
        # Sign out, and in again: the password, then the code the form asks for.
        b.follow("sw-app-nav button")
        assert b.path() == "/"
        b.open("/signin")
        fill(b, email=email, password=PASSWORD)
        b.allow("/api/v1/session", 401)       # the password alone: 401 totp-required
        b.click("main form button[type=submit]")
        b.wait("the code field", lambda: b.find("main input[name=totp]").is_displayed())
        fill(b, totp=totp(secret, at + 30))     # the next step: a code is accepted once
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form button[type=submit]")
        b.wait("signed in", lambda: b.path() == "/app" and
               b.js("return document.documentElement.dataset.state") == "ready")
        # A mark on the watch list, through the API (the portfolio page is another's).
        r = page_fetch(b, "POST", f"/api/v1/subscribers/{person['subject']}/portfolio",
                       {"kind": "mark", "text": "LUMISEA", "classes": [11],
                        "countries": ["US"]})
        assert r["status"] == 201, r
        # The inbox is open and empty; a feed with a matching filing is registered and
        # polled; the early warning arrives live.
        b.open("/app/inbox")
        assert b.finds("main p.empty:not([hidden])")
        b.wait("the live stream", lambda: b.find("sw-inbox-live").get_attribute("data-state")
               == "live")
        b.js("window.__sameDocument = true")
        write_feed(s, [filing(1, "LUMISEE", "Lumisee Brands LLC")])
        feed = s.make("/api/v1/feeds", {"url": f"http://127.0.0.1:{s.port}/feeds/{FEED}",
                                        "format": "json", "type": "trademark_filing",
                                        "name": "Journey filings", "interval_s": 3600})
        first = live_then_open_and_dismiss(b, s, cat, "en",
                                           "US trademark application 99000001: LUMISEE",
                                           ["A"], ["E"])
        sub_tok = s.token_for("exporter", person["subject"])
        a = s.get(f"/api/v1/alerts/{first}", token=sub_tok).json()
        assert a["status"] == "dismissed" and a["rule"] == "similar-mark", a
        # The same in Chinese: switch the language, a second filing, the same path.
        b.open("/app/inbox")
        b.js("document.documentElement.dataset.state = 'leaving'")     # until it re-renders
        b.click('sw-lang-switch button[lang="zh-CN"]')
        b.wait("Chinese", lambda: b.js("return document.documentElement.lang") == "zh-CN" and
               b.js("return document.documentElement.dataset.state") == "ready")
        assert b.text("main h1") == cat["Inbox"]
        clean_text(b, "zh-CN", cat, "/app/inbox")
        b.wait("the live stream", lambda: b.find("sw-inbox-live").get_attribute("data-state")
               == "live")
        b.js("window.__sameDocument = true")
        write_feed(s, [filing(1, "LUMISEE", "Lumisee Brands LLC"),
                       filing(2, "LUMISEAS", "路明海照明有限公司")])
        r = s.post(f"/api/v1/feeds/{feed['id']}/poll", {}, token=s.admin)
        assert r.status in (200, 202), r
        second = live_then_open_and_dismiss(b, s, cat, "zh-CN",
                                            "US trademark application 99000002: LUMISEAS",
                                            [], ["S"])
        assert second != first
        assert s.get(f"/api/v1/alerts/{second}", token=sub_tok).json()["status"] == "dismissed"
        # The person's language followed the switch.
        r = page_fetch(b, "GET", "/api/v1/me")
        assert r["body"]["person"]["lang"] == "zh-CN", r
        b.open("/app")
        clean_text(b, "zh-CN", cat, "/app")


def test_keyboard_only_sign_in(s):
    _, _, email = exporter(s, "Keyboard Lighting Ltd")
    with browser(s, lang="en") as b:
        b.open("/signin")
        # Tab to the email field, type, Tab, type the password, Enter: nothing but keys.
        for _ in range(40):
            if b.tab()["name"] == "email":
                break
        assert b.focused()["name"] == "email"
        b.keys(email)
        assert b.tab()["name"] == "password"
        b.keys(PASSWORD)
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.keys("\ue007")
        b.wait("signed in", lambda: b.path() == "/app" and
               b.js("return document.documentElement.dataset.state") == "ready")
        assert b.focused()["tag"] == "h1"
        # Back by keys to the inbox in the side navigation (before main), and into it.
        for _ in range(30):
            f = b.tab(shift=True)
            if f["tag"] == "a" and f["href"] == "/app/inbox":
                break
        assert b.focused()["href"] == "/app/inbox"
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.keys("\ue007")
        b.wait_ready()
        assert b.path() == "/app/inbox" and b.focused()["tag"] == "h1"


def test_csrf_refused_and_cookie_flags(s):
    _, tok, email = exporter(s, "Careful Lighting Ltd")
    with browser(s, lang="en") as b:
        sign_in(s, b, email, next_path="/app/inbox")
        # The cookie: HttpOnly, SameSite=Strict, and not Secure over plain http.
        c = {c["name"]: c for c in b.driver.get_cookies()}["sw_session"]
        assert c["httpOnly"] is True and c["sameSite"] == "Strict" and c["secure"] is False, c
        assert c["path"] == "/"
        assert b.js("return document.cookie.includes('sw_session')") is False
        # A request the page makes with the cookie but without X-CSRF-Token: 403 csrf, and
        # nothing changes.
        b.allow("/api/v1/alerts/status", 403)
        r = b.driver.execute_async_script("""
const done = arguments[0];
fetch('/api/v1/alerts/status', {method: 'POST', credentials: 'same-origin',
  headers: {'Content-Type': 'application/json'},
  body: JSON.stringify({filter: {}, status: 'dismissed'})})
  .then(async r => done({status: r.status, body: await r.json()}));
""")
        assert r["status"] == 403, r
        assert r["body"]["type"] == "urn:seawall:problem:csrf", r
        # With the token (as the portal sends it) the same request is taken.
        r = page_fetch(b, "POST", "/api/v1/alerts/status", {"filter": {}, "status": "read"})
        assert r["status"] == 200 and r["body"]["changed"] == 0, r
        b.problems()
