"""make screenshots: every page of the portal at 390x844 (a phone) and 1366x768 (a desktop), in
Chinese and English, from the stack tests/run.py starts, seeded as the browser tests seed it.
Whole pages, one PNG each: build/screenshots/<page>-<lang>-<width>.png, and the first screen of
the README's few in build/screenshots/readme/. The workspace's pages are shot signed in for
real, in the page's language: the exporter the inbox tests seed (dashboard, inbox, alerts), the
one the portfolio tests make (watch list, import, channels), the demo person of the cases
tests (cases, team, account), the register tests' exporter (risk screening, a party, the
followed records), the triager of consoledata.py's demo centre (the staff
console), the station of stationdata.py's fair (the station app) and the association of
assocdata.py (its pages, and the consent page of the exporter it invited). A page that logs a
console error or a CSP violation fails the run, as in the tests."""
import os

import inboxdata
import shots_assoc
import shots_console
import shots_insurance
import shots_portfolio
import shots_register
import shots_station
import wslib
from browser import DESKTOP, PHONE, Browser
from portal import seed

# The few the README shows: what the screen shows first, not the whole page.
README = {("home", "zh-CN", DESKTOP), ("bulletins", "zh-CN", PHONE), ("coverage", "en", DESKTOP),
          ("inbox", "en", DESKTOP), ("alert", "zh-CN", DESKTOP),
          ("portfolio", "zh-CN", DESKTOP), ("portfolio-form-errors", "en", PHONE),
          ("console-queue", "en", DESKTOP), ("console-case", "zh-CN", DESKTOP),
          ("console-stats", "zh-CN", DESKTOP), ("console-bulk", "en", PHONE),
          ("station-log", "zh-CN", PHONE), ("station-queue", "en", DESKTOP)}


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
    ]


def inbox_list(inbox):
    """The exporter's inbox pages (tests/browser/inboxdata.py seeds them)."""
    by, tag = inbox["by"], inboxdata.TAG
    return [
        ("dashboard", "/app", None),
        ("inbox", "/app/inbox", None),
        ("inbox-filtered", "/app/inbox?severity=critical&status=all", None),
        ("alert", f"/app/alerts/{by[f'ev_{tag}_tm']['id']}", None),
        ("alert-lawsuit", f"/app/alerts/{by[f'ev_{tag}_suit']['id']}", None),
        ("alert-chinese-filing", f"/app/alerts/{by[f'ev_{tag}_de']['id']}", None),
    ]


def cases_list(d):
    """The exporter's cases, team and account (tests/browser/wslib.py's demo person)."""
    return [
        ("cases", "/app/cases", None),
        ("case-new", "/app/cases/new", None),
        ("case-new-errors", "/app/cases/new", "submit-case"),
        ("case-new-alert", f"/app/cases/new?alert={d['alert']}", None),
        ("case", f"/app/cases/{d['case']}", None),
        ("case-dossier", f"/app/cases/{d['case']}/dossier", None),
        ("team", "/app/team", None),
        ("account", "/app/account", None),
        ("account-totp", "/app/account", "totp"),
    ]


def shoot(b, folder, name, lang, size, full=True):
    """Saves the page now showing; returns the file's name. Fails on any console problem."""
    b.js("document.activeElement && document.activeElement.blur()")
    file = f"{name}-{lang}-{size[0]}.png"
    b.screenshot(os.path.join(folder, file), full=full)
    if (name, lang, size) in README:
        os.makedirs(os.path.join(folder, "readme"), exist_ok=True)
        b.screenshot(os.path.join(folder, "readme", file), full=False)
    problems = b.problems()
    if problems:
        raise AssertionError(f"{name} ({lang}, {size[0]}px): {problems}")
    return file


def prepare(b, how):
    """Brings the page into the state a shot shows."""
    if how == "submit":
        b.click("main form button[type=submit]")
        b.wait("the errors", lambda: b.finds(".error-summary:not([hidden])"))
    elif how == "submit-case":
        b.click("main form.case-form button[type=submit]")
        b.wait("the errors", lambda: b.finds(".error-summary:not([hidden])"))
    elif how == "totp":
        b.click("main #totp-section button")
        b.wait("the QR code", lambda: b.finds("main sw-account-qr svg"))
        b.js("document.getElementById('totp-section').scrollIntoView()")


def save_all(stack, folder):
    """Saves every page; yields each file's name."""
    data = seed(stack)
    inbox = inboxdata.seed_inbox(stack)
    portfolio = shots_portfolio.prepare(stack, data)
    demo = wslib.demo(stack)
    register = shots_register.prepare(stack)
    shots_insurance.seed(stack)
    os.makedirs(folder, exist_ok=True)
    url = f"http://127.0.0.1:{stack.port}"
    for lang in ("zh-CN", "en"):
        for size in (PHONE, DESKTOP):
            b = Browser(url, lang=lang, size=size)
            try:
                # An invitation as the contract writes it (no real one has the token
                # "example").
                b.stub({"GET /api/v1/invitations/example": [{"status": 200, "body": {
                        "email": "wang.fang@nbh-lighting.example", "role": "exporter",
                        "inviter": {"name": "Li Wei"},
                        "account": {"name": "Ningbo Harbour Lighting Co., Ltd."}}}]})
                for name, path, how in page_list(data):
                    b.open(path)
                    prepare(b, how)
                    yield shoot(b, folder, name, lang, size)
            finally:
                b.close()
            # Dashboard, inbox and alerts: the inbox tests' exporter.
            b = Browser(url, lang=lang, size=size)
            try:
                inboxdata.sign_in(stack, b, inbox["email"], lang=lang)
                for name, path, how in inbox_list(inbox):
                    b.open(path)
                    prepare(b, how)
                    yield shoot(b, folder, name, lang, size)
            finally:
                b.close()
            # The watch list, its import and the channels.
            b = Browser(url, lang=lang, size=size)
            try:
                yield from shots_portfolio.save(b, portfolio[lang], lambda name, path, full: shoot(
                    b, folder, name, lang, size, full))
            finally:
                b.close()
            # The staff console, signed in as the demo centre's triager.
            b = Browser(url, lang=lang, size=size, tz="Asia/Shanghai")
            try:
                yield from shots_console.save(stack, b, lang, lambda name: shoot(
                    b, folder, name, lang, size))
            finally:
                b.close()
            # The station app, signed in as the station of a fair running today.
            b = Browser(url, lang=lang, size=size, tz="Asia/Shanghai")
            try:
                yield from shots_station.save(stack, b, lang, lambda name: shoot(
                    b, folder, name, lang, size))
            finally:
                b.close()
            # Risk screening, its report, a party, the followed records.
            b = Browser(url, lang=lang, size=size)
            try:
                yield from shots_register.save(b, register[lang], lambda name: shoot(
                    b, folder, name, lang, size))
            finally:
                b.close()
            # Cases, team and account.
            wslib.set_person(stack, demo["email"], lang=lang)
            b = Browser(url, lang=lang, size=size, tz="Asia/Shanghai")
            try:
                wslib.sign_in(b, demo["email"])
                for name, path, how in cases_list(demo):
                    b.open(path)
                    prepare(b, how)
                    yield shoot(b, folder, name, lang, size)
            finally:
                b.close()
            # An industry association's pages, and the consent page of an exporter it invited.
            b = Browser(url, lang=lang, size=size, tz="Asia/Shanghai")
            try:
                yield from shots_assoc.save(stack, b, lang, lambda name: shoot(
                    b, folder, name, lang, size))
            finally:
                b.close()
            b = Browser(url, lang=lang, size=size, tz="Asia/Shanghai")
            try:
                yield from shots_assoc.save_member(stack, b, lang, lambda name: shoot(
                    b, folder, name, lang, size))
            finally:
                b.close()
    # Last, as it changes the demo's cases: the console's bulk assignment with its results.
    for lang in ("zh-CN", "en"):
        for size in (PHONE, DESKTOP):
            b = Browser(url, lang=lang, size=size, tz="Asia/Shanghai")
            try:
                yield from shots_console.save_bulk(stack, b, lang, lambda name: shoot(
                    b, folder, name, lang, size))
            finally:
                b.close()
