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
             tz=PERSON_ZONE, email=None):
    """A subscriber with a person of its team whose time zone is tz (set through the API):
    (subscriber, its bare token, the person's email)."""
    clear_throttle(s)
    if not s.get("/api/v1/centres", token=s.admin).json()["items"]:
        s.make("/api/v1/centres", {"name": "Ningbo Overseas IP Dispute Response Guidance Centre",
                                   "country": "CN"})
    sub, tok = s.tenant(company)
    email = make_person(s, "exporter", sub["id"], team_role=team_role, name=name,
                        email=email or unique_email("ws"))
    if tz:
        set_person(s, email, tz=tz)
    return sub, tok, email


def set_person(s, email, **fields):
    """PATCH /api/v1/me {name, lang, tz} for the person, through a session of its own."""
    r = api_sign_in(s, email).patch("/api/v1/me", fields)
    assert r.status == 200 and all(r.json()[k] == v for k, v in fields.items()), r


def colleague(s, sub, name, team_role="member", email=None):
    return make_person(s, "exporter", sub["id"], team_role=team_role, name=name,
                       email=email or unique_email("ws"))


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


def demo(s):
    """What the screenshots of the cases, team and account pages show, made once per stack
    through the API as an exporter and a centre would: an exporter (Li Wei, owner) with a
    colleague and an open invitation, two cases — one with evidence, a notice (more material
    needed) and a reply —, an early warning to start a case from, and an API token."""
    if getattr(s, "ws_demo", None):
        return s.ws_demo
    import hashlib
    import json
    import urllib.parse
    sub, tok, email = exporter(s, tz="Asia/Shanghai", email="li.wei@nbh-lighting.example")
    colleague(s, sub, "Wang Fang", email="wang.fang@nbh-lighting.example")
    owner = api_sign_in(s, email)
    r = owner.post("/api/v1/invitations", {"email": "zhao.lei@nbh-lighting.example",
                                           "role": "exporter",
                                           "team_role": "member"})
    assert r.status == 201, r
    r = owner.post("/api/v1/tokens", {"label": "ERP nightly export", "expires_in_s": 90 * 86400})
    assert r.status == 201, r
    first = s.post("/api/v1/cases", {
        "type": "schedule_a", "country": "US", "forum": "U.S. District Court, N.D. Illinois",
        "opposing_party": "Brightstar Lighting LLC", "own_role": "defendant",
        "served_at": "2026-11-24", "amount_usd": 250000,
        "rights": [{"type": "trademark", "number": "NINGBO HARBOUR 6123456", "country": "US"}],
        "products": ["LED desk lamp", "LED strip light"],
        "description": "We were served a Schedule A complaint; our Amazon store is frozen."},
        token=tok)
    assert first.status == 201, first
    case = first.json()
    for name, body in (("complaint.pdf", b"%PDF-1.4 complaint " * 200),
                       ("store-screenshot.png", b"\x89PNG screenshot " * 300)):
        q = urllib.parse.urlencode({"name": name, "sha256": hashlib.sha256(body).hexdigest()})
        r = s.request("POST", f"/api/v1/cases/{case['id']}/evidence?{q}", raw=body, token=tok)
        assert r.status == 201, r
    st = s.make(f"/api/v1/centres/{case['centre_id']}/staff",
                {"name": "Chen Jing", "email": "chen.jing@ningbo-ipcentre.example",
                 "role": "triager"})
    tri = s.token_for("triager", st["id"])
    r = s.post(f"/api/v1/cases/{case['id']}/transition", {
        "to": "needs_info", "reason": "Please send the licence agreement with Brightstar and "
        "the first page of the complaint with the court's stamp."}, token=tri)
    assert r.status == 200, r
    r = s.post(f"/api/v1/cases/{case['id']}/messages", {
        "text": "We have filed a notice of appearance; the answer is due on the date shown."},
        token=tri)
    assert r.status == 201, r
    second = s.post("/api/v1/cases", {
        "type": "customs_seizure", "country": "DE", "forum": "Hamburg customs",
        "opposing_party": "Lumen Design GmbH", "own_role": "other",
        "served_at": "2026-11-28", "description": "Two containers of desk lamps detained."},
        token=tok)
    assert second.status == 201, second
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
               {"kind": "mark", "text": "HARBOURLITE", "countries": ["US"]}, token=tok)
    assert r.status == 201, r
    ev = {"id": f"ev_ws_demo_{sub['id']}", "source": "demo", "type": "litigation",
          "jurisdiction": "US", "date": "2026-11-20",
          "title": "Brightstar Lighting LLC v. The Partnerships in Schedule A (HARBOURLITE)",
          "text": "Complaint against online sellers of HARBOURLITE desk lamps.",
          "marks": ["HARBOURLITE"], "url": "https://www.ilnd.uscourts.gov/",
          "parties": [{"name": "Brightstar Lighting LLC", "role": "plaintiff"}]}
    s.add_event(ev)
    alert = wait_until("the demo alert", lambda: [
        a for a in s.get("/api/v1/alerts?limit=50", token=tok).json()["items"]
        if a["event_id"] == ev["id"]])[0]
    s.ws_demo = {"email": email, "case": case["id"], "alert": alert["id"]}
    return s.ws_demo
