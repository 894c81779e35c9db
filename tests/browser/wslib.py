"""What the tests of the exporter's cases, team and account pages share: real persons made with
the admin program and signed in through the portal's own sign-in page, each page's checks
(one h1, landmarks, nothing outside the catalogue, nothing wider than the screen, no console
error or CSP violation) and its budgets (first load, API requests)."""
from harness import wait_until  # noqa: F401  (re-exported for the tests)
from peoplelib import PASSWORD, clear_throttle, make_person, unique_email
from peoplelib import sign_in as api_sign_in
from portal import catalogue, foreign

ZONE = "Asia/Shanghai"          # the browser's zone
PERSON_ZONE = "America/New_York"   # the person's, which the pages must use


def exporter(s, company="Ningbo Harbour Lighting Co., Ltd.", name="Li Wei", team_role="owner",
             tz=PERSON_ZONE):
    """A subscriber with a person of its team whose time zone is tz (set through the API):
    (subscriber, its bare token, the person's email)."""
    clear_throttle(s)
    if not s.get("/api/v1/centres", token=s.admin).json()["items"]:
        s.make("/api/v1/centres", {"name": "Ningbo Overseas IP Dispute Response Guidance Centre",
                                   "country": "CN"})
    sub, tok = s.tenant(company)
    email = make_person(s, "exporter", sub["id"], team_role=team_role, name=name,
                        email=unique_email("ws"))
    if tz:
        set_person(s, email, tz=tz)
    return sub, tok, email


def set_person(s, email, **fields):
    """PATCH /api/v1/me {name, lang, tz} for the person, through a session of its own."""
    r = api_sign_in(s, email).patch("/api/v1/me", fields)
    assert r.status == 200 and all(r.json()[k] == v for k, v in fields.items()), r


def colleague(s, sub, name, team_role="member"):
    return make_person(s, "exporter", sub["id"], team_role=team_role, name=name,
                       email=unique_email("ws"))


def sign_in(b, email, password=PASSWORD, code=None, next_path="/app"):
    """Signs in through /signin (a code when asked for one); waits for next_path."""
    b.open(f"/signin?next={next_path}")
    b.find("main [name=email]").send_keys(email)
    b.find("main [name=password]").send_keys(password)
    b.js("document.documentElement.dataset.state = 'leaving'")
    b.click("main form button[type=submit]")
    if code is not None:
        b.wait("the code field", lambda: b.finds("main [name=totp]") and
               b.find("main [name=totp]").is_displayed())
        b.find("main [name=totp]").send_keys(code)
        b.click("main form button[type=submit]")
    b.wait("the signed-in page", lambda: b.path() == next_path and
           b.js("return document.documentElement.dataset.state") == "ready")


def api_calls(b):
    """The API requests the page made since it loaded."""
    return [r["name"][len(b.base):] for r in b.resources()
            if r["name"][len(b.base):].startswith("/api/")]


def check_page(b, s, lang, where, max_api=4):
    """The page as every workspace page must be: one h1 in main, the side navigation, every
    visible string from the catalogue, nothing wider than the screen, at most max_api API
    requests (GET /api/v1/session included) since the document loaded (None: after moves
    inside the page, which add theirs), no console error or CSP violation."""
    marks = b.js("""return {h1: document.querySelectorAll('main h1').length,
        main: document.querySelectorAll('main').length,
        nav: Array.from(document.querySelectorAll('nav')).map(n => n.getAttribute('aria-label'))}""")
    assert marks["h1"] == 1 and marks["main"] == 1, (where, marks)
    bad = foreign(b.texts(), lang, catalogue(s))
    assert not bad, f"{where} ({lang}): text not from the catalogue nor data: {bad[:8]}"
    width = b.js("return document.documentElement.scrollWidth")
    assert width <= b.size[0], f"{where} is {width}px wide at {b.size[0]}px"
    calls = api_calls(b)
    assert max_api is None or len(calls) <= max_api, (where, calls)
    problems = b.problems()
    assert not problems, (where, problems)
    return calls


def first_load(b, path):
    """Opens path with an empty cache; the bytes transferred for the page's files (HTML, JS,
    CSS, the catalogue) and its API requests."""
    b.cdp("Network.enable")
    b.cdp("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        b.open(path)
        res = b.resources()
        assert all(r["name"].startswith(b.base) for r in res), [r["name"] for r in res]
        files = [r for r in res if not r["name"][len(b.base):].startswith("/api/")]
        return sum(r["transfer"] for r in files), api_calls(b)
    finally:
        b.cdp("Network.setCacheDisabled", {"cacheDisabled": False})


def field_error(b, name):
    el = b.find(f"main [name={name}]")
    wrap = el.find_element("xpath", "ancestor::*[contains(concat(' ', @class, ' '), ' field ')][1]")
    err = wrap.find_element("css selector", ".field-error").get_attribute("textContent")
    return el.get_attribute("aria-invalid"), " ".join(err.split())


def select(b, css, value):
    el = b.find(css)
    b.js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))",
         el, value)


def type_into(b, css, text):
    el = b.find(css)
    el.clear()
    el.send_keys(text)
