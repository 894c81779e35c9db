"""What the workspace's inbox tests share: an exporter company with a person who signs in, a
watch list, early warnings the matcher made from events that touch it (more than a page of
them, a similar mark, a lawsuit naming the company, a Chinese filing, a hostile one), open cases
with deadlines; signing in through the portal's own form; and the session's CSRF token asked
of the API from inside the page, as the account page would."""
import datetime
import urllib.parse

from harness import wait_until
from peoplelib import PASSWORD, clear_throttle, make_person, sign_in as api_sign_in

TAG = "zqin"
COMPANY = "Ningbo Seawall Lighting Co., Ltd."
PAGE = 25    # the inbox's page (pages/app/inbox.js)


def push(s, ev):
    s.add_event(ev)


# Newest last: the lawsuit ends up first in the inbox.
EVENTS = [
    {"id": f"ev_{TAG}_hostile", "source": "test", "type": "trademark_filing",
     "jurisdiction": "US", "date": "2026-11-25",
     "title": "<img src=x onerror=alert(1)> SEAWALL-E & <b>bold</b>",
     "marks": ["SEAWALL-E"], "classes": {"nice": [9]}, "url": "javascript:alert(1)",
     "text": "<script>alert('x')</script> filed for SEAWALL-E"},
    {"id": f"ev_{TAG}_de", "source": "test", "type": "trademark_filing", "jurisdiction": "DE",
     "date": "2026-11-26", "title": "德国商标申请：SEAWALLE 海墙灯具",
     "marks": ["SEAWALLE"], "classes": {"nice": [11]},
     "parties": [{"name": "海墙照明（欧洲）有限公司", "role": "applicant", "country": "DE"}],
     "url": "https://register.dpma.de/DPMAregister/marke/register/3020260000001",
     "text": "申请人在第11类申请 SEAWALLE 商标，用于灯具。"},
    {"id": f"ev_{TAG}_tm", "source": "test", "type": "trademark_filing", "jurisdiction": "US",
     "date": "2026-11-28", "title": "US trademark application 98765432: SEAVVALLE",
     "marks": ["SEAVVALLE"], "classes": {"nice": [9, 35]},
     "parties": [{"name": "Harbor Brands LLC", "role": "applicant", "country": "US"}],
     "goods": "Loudspeakers; LED lamps", "numbers": {"serial": "98765432"},
     "url": "https://tsdr.uspto.gov/#caseNumber=98765432&caseType=SERIAL_NO",
     "text": "Application filed for SEAVVALLE in classes 9 and 35 by Harbor Brands LLC."},
    {"id": f"ev_{TAG}_suit", "source": "test", "type": "litigation", "jurisdiction": "US",
     "date": "2026-11-29",
     "title": "Harbor Brands LLC v. Ningbo Seawall Lighting Co., Ltd. et al. (N.D. Ill.)",
     "marks": ["SEAWALLE"],
     "parties": [{"name": "Harbor Brands LLC", "role": "plaintiff"},
                 {"name": "NINGBO SEAWALL LIGHTING CO LTD", "role": "defendant"}],
     "url": "https://www.courtlistener.com/docket/99999999/harbor-brands-v-ningbo/",
     "text": "Complaint: the defendants sell SEAWALLE lamps online; a temporary restraining "
             "order is asked for."},
]


def exporter(s, name, lang=None, tz="Asia/Shanghai"):
    """A new subscriber (markets US and DE) with an exporter token and a person who owns it:
    (sub, token, email)."""
    sub, tok = s.tenant(name)
    email = make_person(s, "exporter", sub["id"], team_role="owner", name="Li Wei")
    clear_throttle(s)
    b = api_sign_in(s, email)
    body = {"tz": tz}
    if lang:
        body["lang"] = lang
    r = b.patch("/api/v1/me", body)
    assert r.status == 200, r
    b.delete("/api/v1/session")
    return sub, tok, email


def alerts(s, tok, query="limit=200"):
    r = s.get(f"/api/v1/alerts?{query}", token=tok)
    assert r.status == 200, r
    return r.json()["items"]


def seed_inbox(s):
    """The inbox's company, once per stack: s.inbox = {sub, tok, email, by (event id → alert),
    paging, cases}."""
    if getattr(s, "inbox", None):
        return s.inbox
    sub, tok, email = exporter(s, COMPANY)
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio/import", {"items": [
        {"kind": "mark", "text": "SEAWALLE", "classes": [9, 11], "countries": ["US", "DE"]},
        {"kind": "name", "text": COMPANY}]}, token=tok)
    assert r.status == 201, r
    paging = s.make_alerts(sub, tok, PAGE + 5, f"{TAG}page")
    for ev in EVENTS:
        push(s, ev)
    want = {ev["id"] for ev in EVENTS}

    def made():
        got = {a["event_id"]: a for a in alerts(s, tok) if a["event_id"] in want}
        return got if len(got) == len(want) else None
    by = wait_until("the inbox's early warnings", made, timeout=60)
    # Open cases: one due in about eleven days (a US complaint served ten days ago: 21 days
    # to answer) and one overdue.
    centre = s.make("/api/v1/centres", {"name": "Inbox Test Centre", "country": "CN"})
    today = datetime.date.today()
    cases = []
    for days, party in ((10, "Harbor Brands LLC"), (40, "Lumen Holdings Inc.")):
        r = s.post("/api/v1/cases", {
            "type": "lawsuit", "country": "US", "forum": "N.D. Ill.",
            "opposing_party": party, "own_role": "defendant",
            "rights": [{"type": "trademark", "number": "US 5,555,555", "country": "US"}],
            "products": ["LED lamps"], "served_at": str(today - datetime.timedelta(days=days)),
            "description": "Schedule A complaint served by email.",
            "alerts": [by[f"ev_{TAG}_suit"]["id"]], "centre_id": centre["id"]}, token=tok)
        assert r.status == 201, r
        cases.append(r.json())
    s.inbox = {"sub": sub, "tok": tok, "email": email, "by": by, "paging": paging,
               "cases": cases}
    return s.inbox


def set_lang(s, email, lang):
    """The person's own language (it wins over the browser's once they are signed in)."""
    clear_throttle(s)
    who = api_sign_in(s, email)
    r = who.patch("/api/v1/me", {"lang": lang})
    assert r.status == 200, r
    who.delete("/api/v1/session")


def sign_in(s, b, email, lang="en", password=PASSWORD, next_path="/app"):
    """Signs in through the portal's form as a person whose language is lang; waits for
    next_path."""
    set_lang(s, email, lang)
    b.open(f"/signin?next={urllib.parse.quote(next_path, safe='/')}")
    for name, value in (("email", email), ("password", password)):
        el = b.find(f"main input[name={name}]")
        el.clear()
        el.send_keys(value)
    b.js("document.documentElement.dataset.state = 'leaving'")
    b.click("main form button[type=submit]")
    b.wait(f"signed in at {next_path}", lambda: b.path() == next_path and
           b.js("return document.documentElement.dataset.state") == "ready")


# From inside the signed-in page: the session's CSRF token, then a request made with the
# cookie as the portal makes it. Returns {status, body}.
PAGE_FETCH = """
const [method, path, body, done] = arguments;
(async () => {
  const sess = await (await fetch('/api/v1/session')).json();
  const r = await fetch(path, {method, credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': sess.csrf_token},
    body: body === null ? undefined : JSON.stringify(body)});
  const text = await r.text();
  done({status: r.status, body: text ? JSON.parse(text) : null, person: sess.person});
})().catch((e) => done({status: 0, body: String(e)}));
"""


def page_fetch(b, method, path, body=None):
    return b.driver.execute_async_script(PAGE_FETCH, method, path, body)
