"""Cases end to end through nginx: intake with validation and Idempotency-Key, the whole
state path with service-level clocks on a clock the test moves, every role against every
transition, the triage queue and its overrides, expert offers, notices in the exporter's inbox,
evidence files (cap, declared hash, names with paths or bidi controls, tampering, the
per-tenant quota), an append-only history, statistics with a formula-safe CSV, public
bulletins that alert exporters, and deadline days counted and ended where the case is heard,
right from any number of requests at once."""
import csv
import datetime
import hashlib
import io
import os
import threading
import zoneinfo

from harness import pointers, problem, wait_until

HOUR = 3600 * 1000
TRANSITIONS = [  # (from, to, roles) as the state machine has them
    ("submitted", "needs_info", {"triager"}),
    ("needs_info", "submitted", {"exporter", "triager"}),
    ("submitted", "accepted", {"triager"}),
    ("submitted", "rejected", {"triager"}),
    ("accepted", "assigned", {"triager"}),
    ("assigned", "assigned", {"triager"}),
    ("assigned", "in_progress", {"expert", "triager"}),
    ("in_progress", "waiting_on_exporter", {"expert", "triager"}),
    ("waiting_on_exporter", "in_progress", {"exporter", "expert", "triager"}),
    ("in_progress", "resolved", {"expert", "triager"}),
    ("resolved", "closed", {"exporter", "triager"}),
]
PATH = {  # how an admin brings a new case to each state
    "submitted": [],
    "needs_info": ["needs_info"],
    "accepted": ["accepted"],
    "assigned": ["accepted", "assigned"],
    "in_progress": ["accepted", "assigned", "in_progress"],
    "waiting_on_exporter": ["accepted", "assigned", "in_progress", "waiting_on_exporter"],
    "resolved": ["accepted", "assigned", "in_progress", "resolved"],
}


class Desk:
    """A centre with SLA targets, a triager, two experts, and an exporter."""

    def __init__(self, s, tag, first_h=4, resolve_h=48):
        self.s = s
        self.centre = s.make("/api/v1/centres", {"name": f"Centre {tag}", "country": "CN",
                                                 "sla_first_response_h": first_h,
                                                 "sla_resolution_h": resolve_h})
        cid = self.centre["id"]
        staff = lambda body: s.make(f"/api/v1/centres/{cid}/staff", body)
        self.triager = staff({"name": f"Tri {tag}", "email": "t@c.example", "role": "triager"})
        self.expert = staff({"name": f"Expert US {tag}", "email": "e@c.example",
                             "role": "expert", "expertise": ["US", "trademark"]})
        self.expert2 = staff({"name": f"Expert DE {tag}", "email": "f@c.example",
                              "role": "expert", "expertise": ["DE", "patent"]})
        self.tri = s.token_for("triager", self.triager["id"])
        self.xp = s.token_for("expert", self.expert["id"])
        self.xp2 = s.token_for("expert", self.expert2["id"])
        self.sub, self.exp = s.tenant(f"Exporter {tag} Co., Ltd.")

    def file(self, **kw):
        body = {"type": "lawsuit", "country": "US", "forum": "N.D. Ill.",
                "opposing_party": "Brand Holdings LLC", "own_role": "defendant",
                "rights": [{"type": "trademark", "number": "US 5,555,555", "country": "US"}],
                "products": ["LED lamps"], "amount_usd": 250000, "served_at": "2026-03-02",
                "description": "Schedule A complaint served by email; store frozen.",
                "centre_id": self.centre["id"]}
        body.update(kw)
        body = {k: v for k, v in body.items() if v is not None}
        r = self.s.post("/api/v1/cases", body, token=self.exp)
        assert r.status == 201, r
        return r.json()

    def move(self, case, to, tok, status=200, **kw):
        body = {"to": to, "reason": f"going to {to}"}
        if to == "assigned":
            body["expert_id"] = self.expert["id"]
        body.update(kw)
        r = self.s.post(f"/api/v1/cases/{case['id']}/transition", body, token=tok)
        assert r.status == status, (to, r)
        return r.json()


def clock(s, hours):
    s.redis("SET", "sw:testclock:offset_ms", str(int(hours * HOUR)))


def near(value, want, slack=120):
    return want <= value <= want + slack


def test_full_path_with_clocks_and_notices(s):
    d = Desk(s, "path")
    try:
        clock(s, 0)
        c = d.file()
        assert c["state"] == "submitted" and c["next_states"] == []
        assert c["deadline"]["rule"]["id"] == "us-answer-complaint"
        assert c["deadline"]["at"] == "2026-03-23T23:59:59Z"
        assert "FRCP 12(a)" in c["deadline"]["rule"]["source"]
        assert "priority" not in c     # the desk's ranking is not the exporter's business
        assert c["sla"]["first_response"]["status"] == "ok"
        clock(s, 2)
        c = d.move(c, "needs_info", d.tri, reason="Send the complaint and the TRO order.")
        fr = c["sla"]["first_response"]
        assert fr["status"] == "met" and near(fr["elapsed_s"], 7200), fr
        assert c["sla"]["resolution"]["paused"] is True
        clock(s, 12)                    # ten hours waiting on the exporter: not counted
        c = s.get(f"/api/v1/cases/{c['id']}", token=d.tri).json()
        assert near(c["sla"]["resolution"]["elapsed_s"], 7200), c["sla"]
        c = d.move(c, "submitted", d.exp)
        clock(s, 13)
        c = d.move(c, "accepted", d.tri)
        assert near(c["sla"]["resolution"]["elapsed_s"], 3 * 3600), c["sla"]
        offer = s.get(f"/api/v1/cases/{c['id']}/experts", token=d.tri).json()
        assert offer["offered"]["id"] == d.expert["id"], offer
        assert offer["offered"]["fit"]["country"] is True
        c = d.move(c, "assigned", d.tri)
        assert c["assignee"]["id"] == d.expert["id"]
        # The expert now sees the case; the other expert does not.
        assert s.get(f"/api/v1/cases/{c['id']}", token=d.xp).status == 200
        assert s.get(f"/api/v1/cases/{c['id']}", token=d.xp2).status == 404
        c = d.move(c, "in_progress", d.xp)
        clock(s, 15)
        c = d.move(c, "waiting_on_exporter", d.xp, reason="Need sales records for the mark.")
        clock(s, 115)                   # a hundred hours with the exporter
        c = d.move(c, "in_progress", d.exp)
        assert near(c["sla"]["resolution"]["elapsed_s"], 5 * 3600), c["sla"]
        clock(s, 20 + 100)
        c = d.move(c, "resolved", d.xp, reason="Settled; the defendant account released.")
        res = c["sla"]["resolution"]
        assert res["status"] == "met" and near(res["elapsed_s"], 10 * 3600), res
        assert c["resolution"].startswith("Settled")
        c = d.move(c, "closed", d.exp)
        assert c["state"] == "closed" and c["next_states"] == []
        # Notices: more needed twice, accepted, assigned, resolved — in the exporter's inbox.
        def notices():
            got = [a for a in s.get("/api/v1/alerts?rule=case-notice&limit=50",
                                    token=d.exp).json()["items"]
                   if a["event"].get("case_id") == c["id"]]
            return got if len(got) >= 5 else None
        got = wait_until("five case notices", notices)
        titles = sorted(a["event"]["title"] for a in got)
        assert len(got) == 5, titles
        assert any("accepted" in t for t in titles) and any("resolved" in t for t in titles)
        texts = [a["event"]["text"] for a in got]
        assert "Send the complaint and the TRO order." in texts
        # Notices carry the event type case_notice, and the inbox filters on it (list and bulk).
        assert {a["event"]["type"] for a in got} == {"case_notice"}
        typed = [a["id"] for a in s.get("/api/v1/alerts?type=case_notice&limit=50",
                                        token=d.exp).json()["items"]
                 if a["event"].get("case_id") == c["id"]]
        assert sorted(typed) == sorted(a["id"] for a in got), typed
        r = s.post("/api/v1/alerts/status", {"filter": {"type": "case_notice,litigation"},
                                             "status": "read"}, token=d.exp)
        assert r.status == 200 and r.json()["matched"] >= 5, r
        # History: every transition, who and before/after.
        hist = s.get(f"/api/v1/cases/{c['id']}/history?limit=200", token=d.tri).json()["items"]
        moves = [(h["before"]["state"], h["after"]["state"], h["by"]["role"])
                 for h in hist if h["action"] == "transition"]
        assert moves == [("submitted", "needs_info", "triager"),
                         ("needs_info", "submitted", "exporter"),
                         ("submitted", "accepted", "triager"),
                         ("accepted", "assigned", "triager"),
                         ("assigned", "in_progress", "expert"),
                         ("in_progress", "waiting_on_exporter", "expert"),
                         ("waiting_on_exporter", "in_progress", "exporter"),
                         ("in_progress", "resolved", "expert"),
                         ("resolved", "closed", "exporter")], moves
        assert [h["seq"] for h in hist] == list(range(1, len(hist) + 1))
    finally:
        clock(s, 0)


def test_every_role_against_every_transition(s):
    d = Desk(s, "roles")
    other = Desk(s, "roles-other")
    admin = s.admin
    s.fair("fair-1")
    station = s.make("/api/v1/stations", {"name": "Hall 3 desk", "show": "fair-1",
                                          "country": "DE"})
    st = s.token_for("station", station["id"])

    def case_at(state):
        c = d.file()
        for step in PATH[state]:
            c = d.move(c, step, admin)
        return c

    callers = {"exporter": d.exp, "other exporter": other.exp, "triager": d.tri,
               "other centre's triager": other.tri, "expert": d.xp, "other expert": d.xp2,
               "station": st, "admin": admin}
    checked = 0
    for frm, to, roles in TRANSITIONS:
        for who, tok in callers.items():
            c = case_at(frm)
            sees = who in ("exporter", "triager", "admin") or \
                (who == "expert" and c.get("assignee") is not None)
            if not sees:
                want = 404
            elif who == "admin" or who in roles:
                want = 200
            else:
                want = 403
            r = s.post(f"/api/v1/cases/{c['id']}/transition",
                       {"to": to, "reason": "r", "expert_id": d.expert["id"]}, token=tok)
            assert r.status == want, (frm, to, who, r)
            if want == 200:
                assert r.json()["state"] == to
            if want == 403:
                assert problem(r, 403, "transition-forbidden")["roles"], r
            if want == 404:
                assert "opposing_party" not in r.body
            checked += 1
    assert checked == len(TRANSITIONS) * len(callers)
    # Moves the state machine has not: 409 naming what is allowed from here, for this role.
    c = case_at("submitted")
    p = problem(s.post(f"/api/v1/cases/{c['id']}/transition", {"to": "resolved",
                                                                "reason": "x"}, token=d.tri),
                409, "illegal-transition")
    assert p["allowed"] == ["needs_info", "accepted", "rejected"], p
    p = problem(s.post(f"/api/v1/cases/{c['id']}/transition", {"to": "closed"}, token=d.exp),
                409, "illegal-transition")
    assert p["allowed"] == [], p
    c = case_at("resolved")
    for to in ("submitted", "in_progress", "rejected"):
        problem(s.post(f"/api/v1/cases/{c['id']}/transition", {"to": to, "reason": "x"},
                       token=admin), 409, "illegal-transition")
    # What a transition needs: a reason, an expert of this centre.
    c = case_at("submitted")
    p = problem(s.post(f"/api/v1/cases/{c['id']}/transition", {"to": "rejected"}, token=d.tri),
                400, "validation")
    assert pointers(p) == ["/reason"]
    c = case_at("accepted")
    p = problem(s.post(f"/api/v1/cases/{c['id']}/transition",
                       {"to": "assigned", "expert_id": other.expert["id"]}, token=d.tri),
                400, "validation")
    assert pointers(p) == ["/expert_id"]
    p = problem(s.post(f"/api/v1/cases/{c['id']}/transition", {"to": "flying"}, token=d.tri),
                400, "validation")
    assert pointers(p) == ["/to"]


def test_intake_validation_isolation_and_idempotency(s):
    d = Desk(s, "intake")
    other = Desk(s, "intake-other")
    r = s.post("/api/v1/cases", {"type": "piracy", "country": "XX", "own_role": "victim",
                                 "rights": [{"type": "brand", "colour": "red"}, 7],
                                 "served_at": "last tuesday", "alerts": ["not-an-alert"],
                                 "proceeding": "TRO!", "amount_usd": -5, "surprise": 1},
               token=d.exp)
    p = problem(r, 400, "validation")
    assert set(pointers(p)) >= {"/type", "/country", "/own_role", "/opposing_party",
                                "/description", "/rights/0/type", "/rights/0/colour",
                                "/rights/1", "/served_at", "/alerts/0", "/proceeding",
                                "/amount_usd", "/surprise"}, pointers(p)
    p = problem(s.post("/api/v1/cases", {"type": "lawsuit"}, token=d.tri), 403)
    r = s.request("POST", "/api/v1/cases", raw='{"type": "lawsuit",',
                  headers={"Content-Type": "application/json"}, token=d.exp)
    problem(r, 400, "malformed-json")
    # Alerts linked must be the exporter's own.
    p = problem(s.post("/api/v1/cases", {"type": "other", "country": "US", "own_role": "other",
                                         "opposing_party": "X", "description": "y",
                                         "alerts": ["al_" + "0" * 32]}, token=d.exp),
                400, "validation")
    assert pointers(p) == ["/alerts/0"]
    # Idempotency-Key: a retry returns the first case.
    body = {"type": "cease_and_desist", "country": "DE", "opposing_party": "Marken GmbH",
            "own_role": "respondent", "description": "Letter received at the fair.",
            "centre_id": d.centre["id"]}
    r1 = s.post("/api/v1/cases", body, token=d.exp, headers={"Idempotency-Key": "case-k1"})
    r2 = s.post("/api/v1/cases", body, token=d.exp, headers={"Idempotency-Key": "case-k1"})
    assert r1.status == r2.status == 201 and r1.json()["id"] == r2.json()["id"]
    assert r2.header("Idempotent-Replayed") == "true"
    c = r1.json()
    assert c["deadline"] is None      # no rule for a German cease-and-desist letter
    mine = [x["id"] for x in s.get("/api/v1/cases?limit=200", token=d.exp).json()["items"]]
    assert mine == [c["id"]]
    # Someone else's case: 404 everywhere, nothing of it shown.
    for path in ("", "/history", "/messages", "/evidence", "/experts"):
        for tok in (other.exp, other.tri, other.xp):
            r = s.get(f"/api/v1/cases/{c['id']}{path}", token=tok)
            assert r.status == 404 and "Marken" not in r.body, (path, r)
    r = s.post(f"/api/v1/cases/{c['id']}/messages", {"text": "hi"}, token=other.exp)
    assert r.status == 404
    r = s.request("POST", f"/api/v1/cases/{c['id']}/evidence?name=a.txt", raw=b"x",
                  token=other.exp, headers={"Content-Type": "text/plain"})
    assert r.status == 404
    assert c["id"] not in [x["id"] for x in s.get("/api/v1/cases?limit=200",
                                                  token=other.tri).json()["items"]]
    # Query parameters are checked by name.
    p = problem(s.get("/api/v1/cases/queue?state=lost&due_within_h=-1&sla=late",
                      token=d.tri), 400, "validation")
    assert sorted(e["parameter"] for e in p["errors"]) == ["due_within_h", "sla", "state"]
    p = problem(s.get("/api/v1/cases?assignee=bob&type=lawsuit,,other&country=X", token=d.tri),
                400, "validation")
    assert sorted(e["parameter"] for e in p["errors"]) == ["assignee", "country", "type"]
    p = problem(s.get("/api/v1/cases/queue?centre=first", token=s.admin), 400, "validation")
    assert [e["parameter"] for e in p["errors"]] == ["centre"]
    p = problem(s.post(f"/api/v1/cases/{c['id']}/priority", {"score": 50, "clear": True,
                                                            "reason": "x"}, token=d.tri),
                400, "validation")
    assert pointers(p) == ["/score"]
    p = problem(s.post(f"/api/v1/cases/{c['id']}/deadline", {"at": "2027-01-01"}, token=d.tri),
                400, "validation")
    assert pointers(p) == ["/reason"]


def test_queue_order_override_filters_and_breaches(s):
    d = Desk(s, "queue", first_h=4)
    other = Desk(s, "queue-other")
    try:
        clock(s, 0)
        # Today's date through the clock: deadlines relative to now.
        far = d.file(type="opposition", country="EM", served_at="2026-11-20", amount_usd=0,
                     rights=[])
        soon = d.file(type="show_complaint", country="CN", served_at=_iso_now(s),
                      amount_usd=50000)
        none = d.file(type="other", country="JP", served_at=None, amount_usd=0)
        other.file()
        q = s.get("/api/v1/cases/queue", token=d.tri).json()
        ids = [x["id"] for x in q["items"]]
        assert ids == [soon["id"], far["id"], none["id"]], q
        assert soon["deadline"]["rule"]["id"] == "cn-fair-complaint"
        assert q["items"][0]["priority"]["score"] > q["items"][1]["priority"]["score"]
        # Override with a reason: the quiet case goes to the top; history records it.
        r = s.post(f"/api/v1/cases/{none['id']}/priority", {"score": 100,
                                                            "reason": "Minister asked"},
                   token=d.tri)
        assert r.status == 200 and r.json()["priority"]["override"]["reason"] == "Minister asked"
        ids = [x["id"] for x in s.get("/api/v1/cases/queue", token=d.tri).json()["items"]]
        assert ids[0] == none["id"]
        problem(s.post(f"/api/v1/cases/{none['id']}/priority", {"score": 101, "reason": "x"},
                       token=d.tri), 400, "validation")
        problem(s.post(f"/api/v1/cases/{none['id']}/priority", {"score": 5}, token=d.tri),
                400, "validation")
        assert s.post(f"/api/v1/cases/{none['id']}/priority", {"score": 5, "reason": "x"},
                      token=d.exp).status == 404
        assert s.post(f"/api/v1/cases/{none['id']}/priority", {"clear": True, "reason": "done"},
                      token=d.tri).json()["priority"]["override"] is None
        # Filters.
        got = s.get("/api/v1/cases/queue?type=opposition", token=d.tri).json()["items"]
        assert [x["id"] for x in got] == [far["id"]]
        got = s.get("/api/v1/cases/queue?due_within_h=48", token=d.tri).json()["items"]
        assert [x["id"] for x in got] == [soon["id"]]
        got = s.get("/api/v1/cases/queue?country=JP,EM", token=d.tri).json()["items"]
        assert sorted(x["id"] for x in got) == sorted([far["id"], none["id"]])
        # The first-response clock: near breach at 80 % of 4 h, breached after 4 h.
        clock(s, 3.5)
        got = s.get("/api/v1/cases/queue?sla=near_breach", token=d.tri).json()["items"]
        assert len(got) == 3 and all(x["sla"]["first_response"]["status"] == "near_breach"
                                     for x in got), got
        clock(s, 5)
        got = s.get("/api/v1/cases/queue?sla=breached", token=d.tri).json()["items"]
        assert len(got) == 3
        c = s.get(f"/api/v1/cases/{soon['id']}", token=d.tri).json()
        assert c["deadline"]["overdue"] is False and c["deadline"]["time_left_s"] < 19 * 3600
        clock(s, 25)
        c = s.get(f"/api/v1/cases/{soon['id']}", token=d.tri).json()
        assert c["deadline"]["overdue"] is True and c["deadline"]["time_left_s"] < 0
        # A deadline set by hand, with its reason; the rule stays on record.
        r = s.post(f"/api/v1/cases/{far['id']}/deadline", {"at": "2027-01-15",
                                                           "reason": "Extension granted"},
                   token=d.tri)
        assert r.status == 200, r
        dl = r.json()["deadline"]
        assert dl["at"] == "2027-01-15T23:59:59Z" and dl["manual"] is True
        assert dl["rule"]["id"] == "eutm-opposition" and dl["reason"] == "Extension granted"
        problem(s.post(f"/api/v1/cases/{far['id']}/deadline", {"at": "soon", "reason": "x"},
                       token=d.tri), 400, "validation")
        # The admin names the centre.
        problem(s.get("/api/v1/cases/queue", token=s.admin), 400, "validation")
        assert len(s.get(f"/api/v1/cases/queue?centre={d.centre['id']}",
                         token=s.admin).json()["items"]) == 3
    finally:
        clock(s, 0)


def _iso_now(s):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def test_evidence_files(s):
    d = Desk(s, "evidence")
    other = Desk(s, "evidence-other")
    c = d.file()
    base = f"/api/v1/cases/{c['id']}/evidence"
    data = os.urandom(40000)
    sha = hashlib.sha256(data).hexdigest()

    def up(name, body, tok=d.exp, **q):
        qs = "&".join(f"{k}={v}" for k, v in dict(name=name, **q).items())
        return s.request("POST", f"{base}?{qs}", raw=body, token=tok,
                         headers={"Content-Type": "application/pdf"})

    r = up("complaint%20(served).pdf", data, sha256=sha)
    assert r.status == 201, r
    e = r.json()
    assert e["sha256"] == sha and e["size"] == len(data) and e["name"] == "complaint (served).pdf"
    assert up("complaint%20(served).pdf", data).status == 200      # the same file again
    for tok in (d.exp, d.tri):
        r = s.request("GET", f"{base}/{sha}", token=tok)
        assert r.status == 200 and r.header("X-Content-SHA256") == sha
        assert "attachment" in r.header("Content-Disposition")
    raw = _get_bytes(s, f"{base}/{sha}", d.exp)
    assert hashlib.sha256(raw).hexdigest() == sha
    assert s.get(f"{base}/{sha}", token=other.exp).status == 404
    assert s.get(f"{base}/{'0' * 64}", token=d.exp).status == 404
    # Over the cap, a wrong declared hash, names that are paths: refused, nothing stored.
    problem(up("big.bin", b"x" * 65537), 413, "too-large")
    p = problem(up("photo.jpg", b"photo bytes", sha256="a" * 64), 400, "hash-mismatch")
    assert p["errors"][0]["parameter"] == "sha256"
    # (%E0%80%AF is an overlong "/", %ED%A0%80 a surrogate: neither is UTF-8.)
    for bad in ("..%2F..%2Fetc%2Fpasswd", "a%2Fb.pdf", "..", "a%5Cb.pdf", "x%0Ay.pdf",
                "%FF%FE.pdf", "..%E0%80%AF..%E0%80%AFetc.pdf", "%ED%A0%80.pdf"):
        p = problem(up(bad, b"abc"), 400, "validation")
        assert p["errors"][0]["parameter"] == "name", bad
    problem(up("empty.txt", b""), 400, "empty-body")
    problem(s.request("POST", base, raw=b"abc", token=d.exp), 400, "validation")
    items = s.get(base, token=d.tri).json()["items"]
    assert [x["sha256"] for x in items] == [sha], items
    # Tampering with the stored file is caught at download.
    path = os.path.join(s.dir, "data", "evidence", sha[:2], sha)
    with open(path, "r+b") as f:
        f.write(b"tampered")
    problem(s.get(f"{base}/{sha}", token=d.tri), 500, "evidence-damaged")
    assert s.get(base, token=d.tri).json()["items"][0]["sha256"] == sha   # record unchanged


def test_evidence_names_with_bidi_controls_refused(s):
    d = Desk(s, "bidi")
    c = d.file()
    base = f"/api/v1/cases/{c['id']}/evidence"
    # U+202E makes "invoice\u202Efdp.exe" show as "invoiceexe.pdf"; each control is refused.
    for cp in ("%E2%80%AA", "%E2%80%AB", "%E2%80%AC", "%E2%80%AD", "%E2%80%AE", "%E2%81%A6",
               "%E2%81%A7", "%E2%81%A8", "%E2%81%A9", "%E2%80%8E", "%E2%80%8F", "%D8%9C"):
        r = s.request("POST", f"{base}?name=invoice{cp}fdp.exe", raw=b"MZ", token=d.exp,
                      headers={"Content-Type": "application/octet-stream"})
        p = problem(r, 400, "validation")
        assert p["errors"] == [{"parameter": "name", "message":
                                "must not contain bidirectional controls (U+202A to U+202E, "
                                "U+2066 to U+2069, U+200E, U+200F, U+061C), which can make a "
                                "name show another file type"}], (cp, p)
    assert s.get(base, token=d.exp).json()["items"] == []
    # Right-to-left letters themselves are names like any other.
    r = s.request("POST", f"{base}?name=%D8%B9%D9%82%D8%AF.pdf", raw=b"contract", token=d.exp,
                  headers={"Content-Type": "application/pdf"})
    assert r.status == 201 and r.json()["name"] == "عقد.pdf", r


def test_evidence_quota_per_subscriber_and_per_show(s):
    """harness.TEST_ENV sets evidence.quota_bytes to 200,000: a subscriber's cases share it, a
    show's incidents share another; past it 507 with the numbers, nothing stored, and what
    was refused or not recorded does not count."""
    d = Desk(s, "quota")
    c1, c2 = d.file(), d.file(opposing_party="Second Brand LLC")

    def up(case, name, body, **q):
        qs = "&".join(f"{k}={v}" for k, v in dict(name=name, **q).items())
        return s.request("POST", f"/api/v1/cases/{case['id']}/evidence?{qs}", raw=body,
                         token=d.exp, headers={"Content-Type": "application/pdf"})

    files = [os.urandom(60000) for _ in range(3)]
    for n, (case, data) in enumerate(zip((c1, c1, c2), files)):
        assert up(case, f"f{n}.pdf", data).status == 201
    assert up(c1, "f0.pdf", files[0]).status == 200              # the same file: not counted
    # A declared hash that does not match: refused, not counted.
    problem(up(c2, "bad.pdf", os.urandom(20000), sha256="a" * 64), 400, "hash-mismatch")
    p = problem(up(c2, "over.pdf", os.urandom(20001)), 507, "quota-exceeded")
    assert p["detail"] == (f"subscriber {d.sub['id']} holds 180000 bytes of evidence; this file "
                           f"of 20001 bytes would pass its quota of 200000 bytes "
                           f"(evidence.quota_bytes); nothing was stored"), p
    assert [x["name"] for x in s.get(f"/api/v1/cases/{c2['id']}/evidence",
                                     token=d.exp).json()["items"]] == ["f2.pdf"]
    assert up(c2, "exact.pdf", os.urandom(20000)).status == 201   # exactly the quota
    problem(up(c1, "one-more.pdf", b"x"), 507, "quota-exceeded")
    # Another subscriber has its own.
    other = Desk(s, "quota-other")
    r = s.request("POST", f"/api/v1/cases/{other.file()['id']}/evidence?name=a.pdf",
                  raw=os.urandom(60000), token=other.exp,
                  headers={"Content-Type": "application/pdf"})
    assert r.status == 201, r
    # Six uploads at once where two fit: exactly two are stored (the reservation is atomic).
    oc = other.file(opposing_party="Concurrent Brand LLC")
    answers = []

    def send(n):
        answers.append(s.request("POST", f"/api/v1/cases/{oc['id']}/evidence?name=c{n}.pdf",
                                 raw=os.urandom(50000), token=other.exp,
                                 headers={"Content-Type": "application/pdf"}).status)
    ts = [threading.Thread(target=send, args=(n,)) for n in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert sorted(answers) == [201, 201, 507, 507, 507, 507], answers
    # A show's incidents share the show's quota.
    show = s.make("/api/v1/shows", {"id": "quota-fair-2026", "name": "Quota Fair 2026",
                                    "country": "DE", "starts": "2026-09-01",
                                    "ends": "2026-09-05"})
    st = s.make("/api/v1/stations", {"name": "Quota Desk", "show": show["id"], "country": "DE",
                                     "email": "q@station.example"})
    stok = s.token_for("station", st["id"])
    incs = [s.post(f"/api/v1/shows/{show['id']}/incidents",
                   {"kind": "other", "exhibitor": {"name": f"Exhibitor {n}"},
                    "complainant": {"name": "Brand"}}, token=stok,
                   headers={"Idempotency-Key": f"quota-{n}"}).json() for n in range(2)]

    def inc_up(inc, name, body):
        return s.request("POST", f"/api/v1/incidents/{inc['id']}/evidence?name={name}",
                         raw=body, token=stok, headers={"Content-Type": "image/jpeg"})

    for n in range(3):
        assert inc_up(incs[n % 2], f"p{n}.jpg", os.urandom(65536)).status == 201
    p = problem(inc_up(incs[1], "p3.jpg", os.urandom(3393)), 507, "quota-exceeded")
    assert p["detail"].startswith("show quota-fair-2026 holds 196608 bytes of evidence; this "
                                  "file of 3393 bytes would pass its quota of 200000 bytes"), p
    assert inc_up(incs[1], "p4.jpg", os.urandom(3392)).status == 201


def _get_bytes(s, path, tok):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=15)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {tok}"})
        r = conn.getresponse()
        assert r.status == 200
        return r.read()
    finally:
        conn.close()


def test_history_is_append_only_and_notes_stay_internal(s):
    d = Desk(s, "history")
    c = d.file()
    cid = c["id"]
    hist = lambda tok=d.tri: s.get(f"/api/v1/cases/{cid}/history?limit=200",
                                   token=tok).json()["items"]
    seen = hist()
    ops = [
        lambda: s.post(f"/api/v1/cases/{cid}/messages", {"text": "Looks like a troll case.",
                                                         "internal": True}, token=d.tri),
        lambda: s.post(f"/api/v1/cases/{cid}/messages", {"text": "We are on it."},
                       token=d.tri),
        lambda: s.post(f"/api/v1/cases/{cid}/messages", {"text": "Thank you"}, token=d.exp),
        lambda: s.get(f"/api/v1/cases/{cid}", token=d.exp),
        lambda: s.get("/api/v1/cases/queue", token=d.tri),
        lambda: s.get("/api/v1/cases/stats", token=d.tri),
        lambda: s.post(f"/api/v1/cases/{cid}/priority", {"score": 70, "reason": "r"},
                       token=d.tri),
        lambda: s.request("POST", f"/api/v1/cases/{cid}/evidence?name=n.txt", raw=b"note",
                          token=d.exp, headers={"Content-Type": "text/plain"}),
        lambda: d.move(c, "accepted", d.tri),
    ]
    for op in ops:
        op()
        now = hist()
        assert now[:len(seen)] == seen, "an earlier history entry changed"
        assert len(now) > len(seen) or op in ops[3:6]
        seen = now
    for method in ("PATCH", "DELETE", "PUT"):
        r = s.request(method, f"/api/v1/cases/{cid}/history", body={}, token=s.admin)
        assert r.status == 405, (method, r)
    mine = hist(d.exp)
    assert all(h["visible"] for h in mine)
    assert "troll" not in str(mine) and "troll" in str(seen)
    msgs = s.get(f"/api/v1/cases/{cid}/messages", token=d.exp).json()["items"]
    assert [m["text"] for m in msgs] == ["We are on it.", "Thank you"]
    problem(s.post(f"/api/v1/cases/{cid}/messages", {"text": "x", "internal": True},
                   token=d.exp), 400, "validation")
    # A reply to the exporter counted as the first response.
    c = s.get(f"/api/v1/cases/{cid}", token=d.tri).json()
    assert c["sla"]["first_response"]["status"] == "met"


def test_stats_and_csv_export(s):
    d = Desk(s, "stats")
    a = d.file(opposing_party='=HYPERLINK("http://evil.example","x")')
    b = d.file(type="customs_seizure", country="DE", served_at="2026-12-18",
               opposing_party="+Zoll", rights=[])
    assert b["deadline"]["at"] == "2027-01-05T22:59:59Z"     # midnight in Berlin
    d.move(a, "accepted", d.tri)
    st = s.get("/api/v1/cases/stats", token=d.tri).json()
    assert st["cases"] == 2 and st["by_type"] == {"lawsuit": 1, "customs_seizure": 1}
    assert st["by_state"] == {"accepted": 1, "submitted": 1}
    assert st["first_response"]["count"] == 1 and st["first_response"]["median_s"] is not None
    assert sum(st["by_month"].values()) == 2
    r = s.get("/api/v1/cases/stats?format=csv", token=d.tri)
    assert r.status == 200 and r.header("Content-Type").startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.body)))
    parties = sorted(x["opposing_party"] for x in rows)
    assert parties == ["'+Zoll", "'=HYPERLINK(\"http://evil.example\",\"x\")"], parties
    assert s.get("/api/v1/cases/stats", token=d.exp).status == 403
    p = problem(s.get("/api/v1/cases/stats?from=yesterday&format=xls", token=d.tri), 400)
    assert sorted(e["parameter"] for e in p["errors"]) == ["format", "from"]
    assert s.get("/api/v1/cases/stats?from=2099-01-01", token=d.tri).json()["cases"] == 0
    rules = s.get("/api/v1/deadline-rules", token=d.exp).json()["rules"]
    assert len(rules) >= 9 and all(r["source"] for r in rules)


def day_end(zone, date):
    """The last second of local date (YYYY-MM-DD) in zone, as the API writes instants."""
    nxt = datetime.date.fromisoformat(date) + datetime.timedelta(days=1)
    start = datetime.datetime(nxt.year, nxt.month, nxt.day, tzinfo=zoneinfo.ZoneInfo(zone))
    return (start.astimezone(datetime.timezone.utc) -
            datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_deadline_days_are_the_forums_own_under_concurrent_filing(s):
    d = Desk(s, "zones")
    # (case fields, the rule's last day there, that country's zone in etc/deadlines.json)
    kinds = [
        # Served at 00:30 in Berlin while it is still 1 December in UTC: one month from the
        # German day, 2 December.
        (dict(type="lawsuit", country="DE", proceeding="preliminary_injunction",
              served_at="2026-12-01T23:30:00Z", rights=[]), "2027-01-02", "Europe/Berlin"),
        (dict(type="customs_seizure", country="DE", served_at="2026-12-18", rights=[]),
         "2027-01-05", "Europe/Berlin"),
        (dict(type="customs_seizure", country="FR", proceeding="detention",
              served_at="2026-04-24", rights=[]), "2026-05-12", "Europe/Paris"),
        # Good Friday and Easter Monday skipped; across the change to summer time.
        (dict(type="customs_seizure", country="NL", served_at="2026-03-20", rights=[]),
         "2026-04-07", "Europe/Amsterdam"),
        (dict(), "2026-03-23", "UTC"),        # a US complaint: US days stay UTC
    ]
    got, errors = [], []

    def client(n):
        try:
            for i in range(4):
                k = (n + i) % len(kinds)
                got.append((k, d.file(**kinds[k][0])))
        except Exception as e:  # noqa: BLE001 — any failure fails the test below
            errors.append((n, repr(e)))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(got) == 32, errors
    wrong = [(kinds[k][0], c["deadline"]) for k, c in got
             if c["deadline"]["at"] != day_end(kinds[k][2], kinds[k][1])]
    assert wrong == [], wrong[:3]
    # The same again on reading, each case from its own thread.
    seen = []
    readers = [threading.Thread(target=lambda c=c: seen.append(
        s.get(f"/api/v1/cases/{c['id']}", token=d.tri).json()["deadline"]["at"] ==
        c["deadline"]["at"])) for _, c in got]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    assert len(seen) == 32 and all(seen)
    # A date set by hand ends that day where the case is heard.
    de = next(c for k, c in got if kinds[k][2] == "Europe/Berlin")
    us = next(c for k, c in got if kinds[k][2] == "UTC")
    for case, zone in ((de, "Europe/Berlin"), (us, "UTC")):
        r = s.post(f"/api/v1/cases/{case['id']}/deadline", {"at": "2027-07-15",
                                                             "reason": "Extension granted"},
                   token=d.tri)
        assert r.status == 200, r
        assert r.json()["deadline"]["at"] == day_end(zone, "2027-07-15"), r.json()["deadline"]


def test_bulletins_public_and_alerting(s):
    d = Desk(s, "bulletin")
    _, bare_tok = s.tenant("No Items Yet Trading Co.")
    # The exporter watches a product keyword (the matcher indexes subscribers by their items).
    r = s.post(f"/api/v1/subscribers/{d.sub['id']}/portfolio",
               {"kind": "keyword", "text": "zqbulletinx lamps"}, token=d.exp)
    assert r.status == 201, r
    r = s.post("/api/v1/bulletins", {"title": "Wave of Schedule A suits over LED lamps",
                                     "country": "US", "keywords": ["zqbulletinx lamps"],
                                     "severity": "high",
                                     "text": "Several Illinois filings target lamp sellers."},
               token=d.tri)
    assert r.status == 201, r
    b = r.json()
    pub = s.get("/api/v1/bulletins")                    # no token
    assert pub.status == 200 and pub.json()["items"][0]["id"] == b["id"]
    assert s.get(f"/api/v1/bulletins/{b['id']}").json()["title"]["en"].startswith("Wave")
    assert s.get("/api/v1/bulletins/999999").status == 404
    ids = lambda q: [x["id"] for x in s.get(f"/api/v1/bulletins?{q}").json()["items"]]
    assert b["id"] in ids("country=FR,US&severity=high")
    for q in ("country=FR", "severity=low,medium", "country=EU"):
        assert b["id"] not in ids(q), q          # whole list entries only
    # A value no bulletin can have is refused, naming the parameter, not answered with nothing
    # (also by the Atom feed, which takes the same filters).
    for path in ("/api/v1/bulletins", "/api/v1/bulletins.atom"):
        for q, param in (("country=U", "country"), ("country=USA", "country"),
                         ("country=us", "country"), ("country=US,", "country"),
                         ("severity=hig", "severity"), ("severity=high,urgent", "severity")):
            p = problem(s.get(f"{path}?{q}"), 400, "validation")
            assert [e["parameter"] for e in p["errors"]] == [param], (path, q, p)

    def alerted():
        got = [a for a in s.get("/api/v1/alerts?type=bulletin&limit=50",
                                token=d.exp).json()["items"]
               if a["event"].get("bulletin_id") == b["id"]]
        return got or None
    a = wait_until("the bulletin alert", alerted)[0]
    assert a["severity"] == "high" and a["rule"] in ("bulletin-keyword", "bulletin-market"), a
    # An exporter trading in the US with an empty portfolio is alerted too (its market).
    b2 = wait_until("the bulletin alert for an empty portfolio",
                    lambda: [x for x in s.get("/api/v1/alerts?type=bulletin&limit=50",
                                              token=bare_tok).json()["items"]
                             if x["event"].get("bulletin_id") == b["id"]] or None)[0]
    assert b2["rule"] == "bulletin-market", b2
    p = problem(s.post("/api/v1/bulletins", {"title": "", "country": "Mars",
                                             "severity": "dire"}, token=d.tri),
                400, "validation")
    assert set(pointers(p)) >= {"/title", "/severity", "/text"}
    assert s.post("/api/v1/bulletins", {"title": "x", "country": "US", "severity": "low",
                                        "text": "y"}, token=d.exp).status == 403
