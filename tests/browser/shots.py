"""make screenshots: every page of the portal at 390x844 (a phone) and 1366x768 (a desktop), in
Chinese and English, from the stack tests/run.py starts, seeded as the browser tests seed it.
Whole pages, one PNG each: build/screenshots/<page>-<lang>-<width>.png, and the first screen of
the README's few in build/screenshots/readme/. A page that logs a console error or a CSP
violation fails the run, as in the tests."""
import os

import shots_portfolio
from browser import DESKTOP, PHONE, Browser
from portal import seed
from wslib import demo, set_person, sign_in

PERSON = {"id": 7, "email": "li.wei@nbh-lighting.example", "name": "Li Wei", "role": "exporter",
          "subject": 1, "team_role": "owner", "lang": None, "tz": "Asia/Shanghai",
          "totp_enabled": False, "verified": True, "created_at": "2026-11-02T08:00:00Z"}


# The few the README shows: what the screen shows first, not the whole page.
README = {("home", "zh-CN", DESKTOP), ("bulletins", "zh-CN", PHONE), ("coverage", "en", DESKTOP),
          ("portfolio", "zh-CN", DESKTOP), ("portfolio-form-errors", "en", PHONE)}


def page_list(data):
    return [
        ("home", "/", None),
        ("bulletins", "/bulletins", None),
        ("bulletins-filtered", "/bulletins?severity=high&country=US", None),
        ("bulletin", f"/bulletins/{data['chinese']['id']}", None),
        ("fairs", "/fairs", None),
        ("coverage", "/coverage", None),
        ("signin", "/signin", None),
        ("signin-errors", "/signin", "submit"),
        ("signup", "/signup", None),
        ("verify", "/verify", None),
        ("reset", "/reset", None),
        ("reset-token", "/reset?token=example", None),
        ("invite", "/invite?token=example", None),
        ("invite-invalid", "/invite", None),
        ("not-found", "/no/such/page", None),
        ("workspace", "/app", "signed-in"),
    ]


# The exporter's cases, team and account, as a real person signed in sees them.
def workspace_list(d):
    return [
        ("cases", "/app/cases", None),
        ("case-new", "/app/cases/new", None),
        ("case-new-errors", "/app/cases/new", "submit"),
        ("case-new-alert", f"/app/cases/new?alert={d['alert']}", None),
        ("case", f"/app/cases/{d['case']}", None),
        ("team", "/app/team", None),
        ("account", "/app/account", None),
        ("account-totp", "/app/account", "totp"),
    ]


def save_workspace(stack, folder, lang, size):
    """The workspace pages of the real person in lang at size; yields each file's name."""
    d = demo(stack)
    set_person(stack, d["email"], lang=lang)
    b = Browser(f"http://127.0.0.1:{stack.port}", lang=lang, size=size, tz="Asia/Shanghai")
    try:
        sign_in(b, d["email"])
        for name, path, how in workspace_list(d):
            b.open(path)
            if how == "submit":
                b.click("main form.case-form button[type=submit]")
                b.wait("the errors", lambda: b.finds(".error-summary:not([hidden])"))
            elif how == "totp":
                b.click("main #totp-section button")
                b.wait("the QR code", lambda: b.finds("main sw-account-qr svg"))
                b.js("document.getElementById('totp-section').scrollIntoView()")
            b.js("document.activeElement && document.activeElement.blur()")
            file = f"{name}-{lang}-{size[0]}.png"
            b.screenshot(os.path.join(folder, file))
            problems = b.problems()
            if problems:
                raise AssertionError(f"{path} ({lang}, {size[0]}px): {problems}")
            yield file
    finally:
        b.close()


def save_all(stack, folder):
    """Saves every page; yields each file's name."""
    data = seed(stack)
    os.makedirs(folder, exist_ok=True)
    workspace = shots_portfolio.prepare(stack, data)

    def shoot(b, name, lang, size, path, full=True):
        file = f"{name}-{lang}-{size[0]}.png"
        b.screenshot(os.path.join(folder, file), full=full)
        if (name, lang, size) in README:
            os.makedirs(os.path.join(folder, "readme"), exist_ok=True)
            b.screenshot(os.path.join(folder, "readme", file), full=False)
        problems = b.problems()
        if problems:
            raise AssertionError(f"{path} ({lang}, {size[0]}px): {problems}")
        return file

    for lang in ("zh-CN", "en"):
        for size in (PHONE, DESKTOP):
            b = Browser(f"http://127.0.0.1:{stack.port}", lang=lang, size=size)
            try:
                # The workspace needs a session: the contract's answer to GET /api/v1/session
                # stands in for one (the people/sessions routes make real ones).
                # An invitation is the contract's answer too.
                b.stub({"GET /api/v1/session": [{"status": 200, "body": {
                    "person": dict(PERSON, lang=lang), "csrf_token": "example",
                    "expires_at": "2026-12-31T00:00:00Z"}}],
                    "GET /api/v1/invitations/example": [{"status": 200, "body": {
                        "email": "wang.fang@nbh-lighting.example", "role": "exporter",
                        "inviter": {"name": "Li Wei"},
                        "account": {"name": "Ningbo Harbour Lighting Co., Ltd."}}}]})
                for name, path, how in page_list(data):
                    b.open(path)
                    if how == "submit":
                        b.click("main form button[type=submit]")
                        b.wait("the errors", lambda: b.finds(".error-summary:not([hidden])"))
                    b.js("document.activeElement && document.activeElement.blur()")
                    yield shoot(b, name, lang, size, path)
            finally:
                b.close()
            # The watch list, its import and the channels: an exporter signed in for real.
            b = Browser(f"http://127.0.0.1:{stack.port}", lang=lang, size=size)
            try:
                yield from shots_portfolio.save(b, workspace[lang], lambda name, path, full: shoot(
                    b, name, lang, size, path, full))
            finally:
                b.close()
            yield from save_workspace(stack, folder, lang, size)
