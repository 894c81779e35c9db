"""The sign-in, sign-up, verification, reset and invitation pages and the signed-in shell. The
routes behind them belong to people/sessions (notes/portal-contract.md): here the page gets
the contract's answers through the stub in browser.py, so every answer's handling is tested —
problem+json errors next to their fields, the summary, aria-invalid, focus, the CSRF header —
and one test drives the real API as far as this server routes it."""
import os
import re
import subprocess

from browser import browser
from portal import catalogue, foreign, seed

PERSON = {"id": 41, "email": "li.wei@nbh-lighting.example", "name": "Li Wei", "role": "exporter",
          "subject": 1, "centre": None, "team_role": "owner", "lang": "zh-CN",
          "tz": "America/New_York", "totp_enabled": False, "verified": True,
          "created_at": "2026-11-02T08:00:00Z"}
SIGNED_IN = {"status": 200, "body": {"person": PERSON, "csrf_token": "csrf-zq-41"}}
# The workspace's first page (the exporter's dashboard) for a company with nothing yet.
DASHBOARD = {"status": 200, "body": {
    "alerts": {"total": 0, "status": {"new": 0, "read": 0, "dismissed": 0},
               "severity": {"critical": 0, "high": 0, "medium": 0, "low": 0}, "new": {}},
    "latest": [], "open_cases": [], "deadlines": []}}


def validation(*errors, detail="the request has invalid fields"):
    return {"status": 400, "body": {
        "type": "urn:seawall:problem:validation", "title": "Invalid request", "status": 400,
        "detail": detail, "errors": [{"pointer": p, "message": m} for p, m in errors]}}


def fill(b, **fields):
    for name, value in fields.items():
        el = b.find(f"main [name={name}]")
        if el.tag_name == "select":
            b.js("arguments[0].value = arguments[1]", el, value)
        else:
            el.clear()
            el.send_keys(value)


def submit_and_wait_errors(b):
    b.click("main form button[type=submit]")
    b.wait("the error summary", lambda: b.finds(".error-summary:not([hidden])"))


def field_error(b, name):
    el = b.find(f"main [name={name}]")
    wrap = el.find_element("xpath", "ancestor::div[contains(@class,'field')]")
    err = wrap.find_element("css selector", ".field-error").get_attribute("textContent")
    return el.get_attribute("aria-invalid"), " ".join(err.split())


def test_signin_answers_and_signed_in_shell(s):
    with browser(s, lang="en") as b:
        b.stub({
            "POST /api/v1/session": [
                validation(("/email", "must be an email address")),
                {"status": 401, "body": {"type": "urn:seawall:problem:sign-in-failed",
                                         "title": "Sign-in failed", "status": 401,
                                         "detail": "the email address or the password is wrong"}},
                {"status": 401, "body": {"type": "urn:seawall:problem:totp-required",
                                         "title": "Code needed", "status": 401,
                                         "detail": "this account needs its authenticator code"}},
                SIGNED_IN],
            "GET /api/v1/session": [{"status": 200, "body": dict(
                SIGNED_IN["body"], expires_at="2026-12-31T00:00:00Z")}],
            "DELETE /api/v1/session": [{"status": 204}],
            "GET /api/v1/dashboard": [DASHBOARD],
            "PATCH /api/v1/me": [{"status": 200, "body": dict(PERSON, lang="en")}]})
        b.open("/signin?next=%2Fapp")
        fill(b, email="li.wei@nbh-lighting.example", password="correct horse battery")
        submit_and_wait_errors(b)
        # The API's field error is at its field; the detail heads the summary; focus on it.
        assert field_error(b, "email") == ("true", "Error: must be an email address")
        assert field_error(b, "password")[0] is None
        assert "the request has invalid fields" in b.text(".error-summary")
        assert b.focused()["name"] == "email"
        # Wrong password: no field named, the summary says so and takes focus.
        b.click("main form button[type=submit]")
        b.wait("the sign-in failure", lambda: "the email address or the password is wrong"
               in b.text(".error-summary"))
        assert b.focused()["cls"] == "error-summary"
        assert field_error(b, "email")[0] is None
        # The code is needed: its field appears, with focus.
        b.click("main form button[type=submit]")
        b.wait("the code field", lambda: b.find("main [name=totp]").is_displayed())
        assert b.focused()["name"] == "totp"
        fill(b, totp="123456")
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form button[type=submit]")
        b.wait_ready()
        calls = [c for c in b.calls() if c["key"] == "POST /api/v1/session"]
        assert calls[-1]["body"] == {"email": "li.wei@nbh-lighting.example",
                                     "password": "correct horse battery", "totp": "123456"}
        assert "totp" not in calls[0]["body"]
        # Signed in: the workspace in the person's language (Chinese) with the side navigation.
        assert b.path() == "/app"
        assert b.js("return document.documentElement.lang") == "zh-CN"
        nav = b.find("sw-app-nav nav")
        assert nav.is_displayed() and "Li Wei" in nav.text and "出口企业" in nav.text
        assert b.find("sw-app-nav a[aria-current=page]").get_attribute("href").endswith("/app")
        assert not b.finds("sw-header a[href='/signin']")
        assert b.finds("sw-header a[href='/app']")
        bad = foreign(b.texts(), "zh-CN", catalogue(s))
        assert not bad, bad
        # Dates in the person's zone (America/New_York), not the browser's (Asia/Shanghai);
        # a reload asks GET /api/v1/session for the person.
        seed(s)
        b.open("/coverage")
        t = b.find("main time")
        fmt = ("return new Intl.DateTimeFormat(document.documentElement.lang, {timeZone: "
               "arguments[1], dateStyle: 'medium', timeStyle: 'short'})"
               ".format(new Date(arguments[0]))")
        when = t.get_attribute("datetime")
        assert t.text == b.js(fmt, when, "America/New_York") != b.js(fmt, when, "Asia/Shanghai")
        # Choosing English while signed in is kept for the person (PATCH /api/v1/me).
        b.click('sw-lang-switch button[lang="en"]')
        b.wait("English", lambda: b.js("return document.documentElement.lang") == "en")
        patch = [c for c in b.calls() if c["key"] == "PATCH /api/v1/me"]
        assert patch and patch[0]["body"] == {"lang": "en"}, patch
        assert patch[0]["headers"]["X-CSRF-Token"] == "csrf-zq-41"
        b.follow("sw-header a[href='/app']")
        # Signing out: DELETE with the CSRF header, back to the public home page.
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("sw-app-nav button")
        b.wait_ready()
        out = [c for c in b.calls() if c["key"] == "DELETE /api/v1/session"]
        assert out and out[0]["headers"]["X-CSRF-Token"] == "csrf-zq-41"
        assert b.path() == "/" and b.finds("sw-header a[href='/signin']")
        assert b.find(".side").get_attribute("hidden") is not None
        assert b.js("return localStorage.getItem('seawall.session')") is None


def test_signed_in_pages_need_a_session(s):
    with browser(s, lang="en") as b:
        # No session: the workspace sends the person to sign in, and back afterwards.
        b.allow("/api/v1/session", 401)
        b.allow("/api/v1/session", 404)      # a server without the people/sessions routes
        b.open("/app")
        b.wait("the sign-in page", lambda: b.path() == "/signin?next=%2Fapp")
        assert b.text("main h1") == "Sign in"
    with browser(s, lang="en") as b:
        b.stub({"POST /api/v1/session": [SIGNED_IN], "GET /api/v1/dashboard": [DASHBOARD]})
        b.open("/signin?next=//evil.example/")        # never to another site
        fill(b, email="li.wei@nbh-lighting.example", password="pw")
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form button[type=submit]")
        b.wait_ready()
        assert b.path() == "/app" and b.driver.current_url.startswith(b.base)


def test_signup_then_verify(s):
    with browser(s, lang="zh-CN") as b:
        b.stub({"POST /api/v1/signup": [
            validation(("/company", "must not be empty"), ("/password", "is too short: 8 characters at least"),
                       ("/terms", "must be accepted")),
            {"status": 202, "body": {"status": "mail sent"}}],
            "POST /api/v1/signup/verify": [
                {"status": 400, "body": {"type": "urn:seawall:problem:token-expired",
                                         "title": "Link expired", "status": 400,
                                         "detail": "this link has expired"}}]})
        b.open("/signup")
        assert b.find("main select[name=country]").get_attribute("value") == "CN"
        # Checked here first, in the page's language.
        submit_and_wait_errors(b)
        assert field_error(b, "company") == ("true", "错误： 请填写企业名称")
        assert b.focused()["name"] == "company"
        fill(b, company=" ", email="ip@nbh-lighting.example", password="short")
        fill(b, company="宁波港湾照明有限公司")
        b.click("main form button[type=submit]")
        b.wait("the API's errors", lambda: "must not be empty" in b.text(".error-summary"))
        assert field_error(b, "company") == ("true", "错误： must not be empty")
        assert field_error(b, "password")[0] == "true"
        assert "must be accepted" in b.text(".error-summary")   # a pointer with no field
        assert b.focused()["name"] == "company"
        b.click("main form button[type=submit]")
        b.wait("the confirmation", lambda: b.text("main h1") == "请查收邮件")
        body = [c for c in b.calls() if c["key"] == "POST /api/v1/signup"][-1]["body"]
        assert body == {"company": "宁波港湾照明有限公司", "country": "CN",
                        "email": "ip@nbh-lighting.example", "password": "short", "lang": "zh-CN"}
        assert "ip@nbh-lighting.example" in b.text()
        assert b.focused()["tag"] == "h1"
        # The link from the mail: an expired one says so, a good one signs in.
        b.open("/verify?token=zq-expired")
        assert b.text("main h1") == "邮箱验证失败" and "this link has expired" in b.text()
        b.open("/verify")
        assert b.text("main h1") == "链接不完整"
        b.stub({"POST /api/v1/signup/verify": [SIGNED_IN],      # (wraps the first stub)
                "GET /api/v1/dashboard": [DASHBOARD]})
        b.open("/verify?token=zq-good")
        assert b.text("main h1") == "邮箱已验证"
        b.follow("main button")
        assert b.path() == "/app" and "Li Wei" in b.text("sw-app-nav")
        tokens = [c["body"]["token"] for c in b.calls() if c["key"] == "POST /api/v1/signup/verify"]
        assert tokens == ["zq-good"]          # (each page load records afresh)


def test_reset_both_steps(s):
    with browser(s, lang="en") as b:
        b.stub({"POST /api/v1/password/forgot": [{"status": 202}],
                "POST /api/v1/password/reset": [
                    validation(("/password", "is too common")),
                    {"status": 200, "body": {"status": "changed"}}]})
        b.open("/reset")
        fill(b, email="not-an-address")
        submit_and_wait_errors(b)
        assert field_error(b, "email")[1] == "Error: Enter an email address in the form name@example.com"
        fill(b, email="ip@nbh-lighting.example")
        b.click("main form button[type=submit]")
        b.wait("the message", lambda: b.text("main h1") == "Check your mail")
        assert "ip@nbh-lighting.example" in b.text()
        b.open("/reset?token=zq-reset")
        fill(b, password="a long new password", confirm="another password")
        submit_and_wait_errors(b)
        assert field_error(b, "confirm")[1] == "Error: The two passwords are not the same"
        fill(b, confirm="a long new password")
        b.click("main form button[type=submit]")
        b.wait("the API's error", lambda: "is too common" in b.text(".error-summary"))
        assert field_error(b, "password") == ("true", "Error: is too common")
        b.click("main form button[type=submit]")
        b.wait("done", lambda: b.text("main h1") == "Your password has been changed")
        body = [c for c in b.calls() if c["key"] == "POST /api/v1/password/reset"][-1]["body"]
        assert body == {"token": "zq-reset", "password": "a long new password"}


def test_invitation(s):
    with browser(s, lang="en") as b:
        b.allow("/api/v1/invitations/zq-gone", 404)
        b.open("/invite?token=zq-gone")
        assert b.text("main h1") == "This invitation cannot be used"
    with browser(s, lang="en") as b:
        b.stub({"GET /api/v1/dashboard": [DASHBOARD],
                "GET /api/v1/invitations/zq-inv": [{"status": 200, "body": {
                    "email": "wang.fang@nbh-lighting.example", "role": "exporter",
                    "team_role": "member", "inviter": {"name": "Li Wei"},
                    "account": {"name": "Ningbo Harbour Lighting Co., Ltd."}}}],
                "POST /api/v1/invitations/accept": [
                    validation(("/name", "must not be empty")), SIGNED_IN]})
        b.open("/invite?token=zq-inv")
        lead = b.text("main .lead")
        assert lead == ("Li Wei invites you to join Ningbo Harbour Lighting Co., Ltd. as a "
                        "colleague in the exporter's team."), lead
        fill(b, name="Wang Fang", password="a long password")
        b.js("document.querySelector('select[name=lang]').value = 'zh-CN'")
        b.click("main form button[type=submit]")
        b.wait("the API's error", lambda: "must not be empty" in b.text(".error-summary"))
        b.js("document.documentElement.dataset.state = 'leaving'")
        b.click("main form button[type=submit]")
        b.wait_ready()
        body = [c for c in b.calls() if c["key"] == "POST /api/v1/invitations/accept"][-1]["body"]
        assert body == {"token": "zq-inv", "name": "Wang Fang", "password": "a long password",
                        "lang": "zh-CN"}
        assert b.path() == "/app"


def test_signin_against_the_real_api(s):
    """The form against the server as it is: with the people/sessions routes, a wrong password
    is the contract's 401 shown in the summary; without them, the server's own 404 problem is
    shown the same way — the page never breaks on an answer it did not expect."""
    routes = subprocess.run([os.path.join(s.build, "bin", "seawall-api"), "--routes"],
                            capture_output=True, text=True, check=True).stdout.split("\n")
    routed = "POST /api/v1/session" in routes
    with browser(s, lang="en") as b:
        b.allow("/api/v1/session", 401 if routed else 404)
        b.open("/signin")
        fill(b, email="nobody-zq@exporter.example", password="not the password")
        submit_and_wait_errors(b)
        expected = s.post("/api/v1/session", {"email": "nobody-zq@exporter.example",
                                              "password": "not the password"},
                          headers={"Origin": b.base}).json()
        assert expected["status"] == (401 if routed else 404), expected
        assert expected["detail"] in b.text(".error-summary")
        assert b.focused()["cls"] == "error-summary"
        assert re.search(r"There is a problem", b.text(".error-summary"))
