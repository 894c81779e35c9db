"""make screenshots: every page of the portal at 390x844 (a phone) and 1366x768 (a desktop), in
Chinese and English, from the stack tests/run.py starts, seeded as the browser tests seed it.
Whole pages, one PNG each: build/screenshots/<page>-<lang>-<width>.png, and the first screen of
the README's few in build/screenshots/readme/. The workspace's pages are shot signed in as the
exporter the inbox tests seed, in the page's language. A page that logs a console error or a
CSP violation fails the run, as in the tests."""
import os

from browser import DESKTOP, PHONE, Browser
from inboxdata import TAG as INBOX_TAG, seed_inbox, sign_in
from portal import seed

# The few the README shows: what the screen shows first, not the whole page.
README = {("home", "zh-CN", DESKTOP), ("bulletins", "zh-CN", PHONE), ("coverage", "en", DESKTOP),
          ("inbox", "en", DESKTOP), ("alert", "zh-CN", DESKTOP)}


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


def workspace_list(inbox):
    """The exporter's pages, signed in for real (tests/browser/inboxdata.py seeds them)."""
    by = inbox["by"]
    return [
        ("dashboard", "/app"),
        ("inbox", "/app/inbox"),
        ("inbox-filtered", "/app/inbox?severity=critical&status=all"),
        ("alert", f"/app/alerts/{by[f'ev_{INBOX_TAG}_tm']['id']}"),
        ("alert-lawsuit", f"/app/alerts/{by[f'ev_{INBOX_TAG}_suit']['id']}"),
        ("alert-chinese-filing", f"/app/alerts/{by[f'ev_{INBOX_TAG}_de']['id']}"),
    ]


def shoot(b, folder, name, lang, size):
    b.js("document.activeElement && document.activeElement.blur()")
    file = f"{name}-{lang}-{size[0]}.png"
    b.screenshot(os.path.join(folder, file))
    if (name, lang, size) in README:
        os.makedirs(os.path.join(folder, "readme"), exist_ok=True)
        b.screenshot(os.path.join(folder, "readme", file), full=False)
    problems = b.problems()
    if problems:
        raise AssertionError(f"{name} ({lang}, {size[0]}px): {problems}")
    return file


def save_all(stack, folder):
    """Saves every page; yields each file's name."""
    data = seed(stack)
    inbox = seed_inbox(stack)
    os.makedirs(folder, exist_ok=True)
    for lang in ("zh-CN", "en"):
        for size in (PHONE, DESKTOP):
            b = Browser(f"http://127.0.0.1:{stack.port}", lang=lang, size=size)
            try:
                # An invitation as the contract writes it (no real one has the token
                # "example").
                b.stub({"GET /api/v1/invitations/example": [{"status": 200, "body": {
                        "email": "wang.fang@nbh-lighting.example", "role": "exporter",
                        "inviter": {"name": "Li Wei"},
                        "account": {"name": "Ningbo Harbour Lighting Co., Ltd."}}}]})
                for name, path, how in page_list(data):
                    b.open(path)
                    if how == "submit":
                        b.click("main form button[type=submit]")
                        b.wait("the errors", lambda: b.finds(".error-summary:not([hidden])"))
                    yield shoot(b, folder, name, lang, size)
            finally:
                b.close()
            # The workspace: the seeded exporter, signed in, in this language.
            b = Browser(f"http://127.0.0.1:{stack.port}", lang=lang, size=size)
            try:
                sign_in(stack, b, inbox["email"], lang=lang)
                for name, path in workspace_list(inbox):
                    b.open(path)
                    yield shoot(b, folder, name, lang, size)
            finally:
                b.close()
