"""Hostile bodies on every route that reads JSON, each sent by a caller allowed to use the
route and with real ids, so the body is what gets judged: invalid UTF-8, a lone surrogate
escape and nesting 5,000 deep are each a 400 problem, and nothing is stored. Uploads in CSV and
iCalendar with broken encodings likewise."""
import json

from harness import problem

HOSTILE = (
    (b'{"text":"\xff\xfe bad bytes","name":"\xc3\x28"}', "malformed-json"),
    (b'{"text":"\\ud800 alone","name":"x"}', "malformed-json"),
    (b'{"text":' + b"[" * 5000 + b"]" * 5000 + b"}", None),
)


def stable(body):
    """What a read says that only a write could change: each entry's id, state and update
    time (a case also carries SLA clocks, which move on their own)."""
    data = json.loads(body)
    rows = data["items"] if isinstance(data, dict) and "items" in data else [data]
    return sorted((str(r.get("id")), str(r.get("state") or r.get("status")),
                   str(r.get("updated_at")), str(r.get("url")), str(r.get("text")))
                  for r in rows)


def test_every_json_route_refuses_hostile_bodies_and_stores_nothing(s):
    sub, exp = s.tenant("Abuse Target Co., Ltd.")
    sid = sub["id"]
    item = s.post(f"/api/v1/subscribers/{sid}/portfolio", {"kind": "mark", "text": "ABUSEMARK"},
                  token=exp).json()
    # Disabled, so the notifier never writes to it (a failing endpoint would be disabled by the
    # notifier meanwhile, and the before/after comparison below would see the notifier's
    # write, not a hostile body's).
    hook = s.post("/api/v1/webhooks", {"url": "http://127.0.0.1:9/abuse", "enabled": False},
                  token=exp).json()
    assert hook["enabled"] is False, hook
    alert = s.make_alerts(sub, exp, 1, "abuse")[0]
    centre = s.make("/api/v1/centres", {"name": "Abuse Centre", "country": "CN"})
    tri = s.make(f"/api/v1/centres/{centre['id']}/staff",
                 {"name": "Abuse Triager", "email": "t@abuse.example", "role": "triager"})
    tri_tok = s.token_for("triager", tri["id"])
    case = s.post("/api/v1/cases", {"type": "lawsuit", "country": "US", "forum": "D. Del.",
                                    "opposing_party": "Abuse LLC", "own_role": "defendant",
                                    "served_at": "2026-03-02", "description": "abuse",
                                    "centre_id": centre["id"]}, token=exp).json()
    show = s.make("/api/v1/shows", {"id": "abuse-fair-2026", "name": "Abuse Fair 2026",
                                    "city": "Guangzhou", "country": "CN",
                                    "starts": "2026-10-15", "ends": "2026-10-19"})["id"]
    st = s.make("/api/v1/stations", {"name": "Abuse desk", "show": show, "country": "CN",
                                     "email": "desk@abuse.example"})
    st_tok = s.token_for("station", st["id"])
    inc = s.post(f"/api/v1/shows/{show}/incidents",
                 {"booth": "1", "kind": "complaint_received",
                  "exhibitor": {"name": "Abuse Exhibitor", "country": "CN"},
                  "complainant": {"name": "Abuse Complainant", "country": "DE"}},
                 token=st_tok, headers={"Idempotency-Key": "abuse-1"}).json()
    feed = s.make("/api/v1/feeds", {"url": f"http://127.0.0.1:{s.port}/feeds/abuse.xml",
                                    "interval_s": 3600})
    admin = s.admin
    routes = [
        ("POST", "/api/v1/subscribers", admin), ("PATCH", f"/api/v1/subscribers/{sid}", exp),
        ("POST", f"/api/v1/subscribers/{sid}/portfolio", exp),
        ("POST", f"/api/v1/subscribers/{sid}/portfolio/import", exp),
        ("PATCH", f"/api/v1/subscribers/{sid}/portfolio/{item['id']}", exp),
        ("POST", "/api/v1/centres", admin), ("POST", f"/api/v1/centres/{centre['id']}/staff", admin),
        ("POST", "/api/v1/stations", admin), ("POST", "/api/v1/tokens", admin),
        ("POST", "/api/v1/feeds", admin), ("PATCH", f"/api/v1/feeds/{feed['id']}", admin),
        ("PATCH", f"/api/v1/alerts/{alert['id']}", exp), ("POST", "/api/v1/alerts/status", exp),
        ("PATCH", "/api/v1/delivery", exp), ("POST", "/api/v1/webhooks", exp),
        ("PATCH", f"/api/v1/webhooks/{hook['id']}", exp),
        ("POST", f"/api/v1/webhooks/{hook['id']}/rotate", exp),
        ("POST", "/api/v1/cases", exp),
        ("POST", f"/api/v1/cases/{case['id']}/transition", tri_tok),
        ("POST", f"/api/v1/cases/{case['id']}/priority", tri_tok),
        ("POST", f"/api/v1/cases/{case['id']}/deadline", tri_tok),
        ("POST", f"/api/v1/cases/{case['id']}/messages", exp),
        ("POST", "/api/v1/bulletins", tri_tok),
        ("POST", "/api/v1/shows", admin), ("PATCH", f"/api/v1/shows/{show}", admin),
        ("POST", f"/api/v1/shows/{show}/incidents", st_tok),
        ("POST", f"/api/v1/shows/{show}/incidents/batch", st_tok),
        ("PATCH", f"/api/v1/incidents/{inc['id']}", st_tok),
        ("POST", f"/api/v1/incidents/{inc['id']}/escalate", st_tok),
    ]
    before = {p: stable(s.get(p, token=t).body) for p, t in (
        (f"/api/v1/subscribers/{sid}/portfolio", exp), ("/api/v1/cases", exp),
        (f"/api/v1/shows/{show}/incidents", st_tok), (f"/api/v1/cases/{case['id']}", exp),
        (f"/api/v1/incidents/{inc['id']}", st_tok), ("/api/v1/webhooks", exp))}
    wrong = []
    for n, (method, path, tok) in enumerate(routes):
        for k, (raw, slug) in enumerate(HOSTILE):
            r = s.request(method, path, raw=raw, token=tok, headers={
                "Content-Type": "application/json", "Idempotency-Key": f"abuse-{n}-{k}"})
            if r.status != 400:
                wrong.append(f"{method} {path} body {k}: {r.status} {r.body[:100]}")
                continue
            p = problem(r, 400, slug)
            if k == 2 and "deeper" not in p["detail"]:
                wrong.append(f"{method} {path}: deep nesting answered {p['detail']}")
    assert not wrong, "\n".join(wrong)
    for p, t in (
            (f"/api/v1/subscribers/{sid}/portfolio", exp), ("/api/v1/cases", exp),
            (f"/api/v1/shows/{show}/incidents", st_tok), (f"/api/v1/cases/{case['id']}", exp),
            (f"/api/v1/incidents/{inc['id']}", st_tok), ("/api/v1/webhooks", exp)):
        assert stable(s.get(p, token=t).body) == before[p], p   # nothing stored or changed


def test_uploads_with_broken_encodings_are_refused(s):
    sub, exp = s.tenant("Abuse Upload Co., Ltd.")
    p = problem(s.request("POST", f"/api/v1/subscribers/{sub['id']}/portfolio/import",
                          raw=b"kind,text\r\nmark,BAD\xff\xfeMARK\r\n", token=exp,
                          headers={"Content-Type": "text/csv"}), 400)
    assert p["type"] == "urn:seawall:problem:bad-encoding", p
    assert p["errors"][0]["pointer"] == "/rows/2/text" and "byte 20 of the file" in \
        p["errors"][0]["message"], p
    assert s.get(f"/api/v1/subscribers/{sub['id']}/portfolio", token=exp).json()["items"] == []
    cal = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//abuse//EN\r\nBEGIN:VEVENT\r\n"
           b"UID:abuse-1\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:Fair \xff\xfe\r\n"
           b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    before = s.get("/api/v1/shows?from=2026-12-31&until=2027-01-02").body
    r = s.request("POST", "/api/v1/shows/import?country=DE", raw=cal, token=s.admin,
                  headers={"Content-Type": "text/calendar"})
    p = problem(r, 400, "bad-encoding")
    assert "line 7" in p["detail"] and "nothing was imported" in p["detail"], p
    assert s.get("/api/v1/shows?from=2026-12-31&until=2027-01-02").body == before
