"""Tenant isolation, route by route: every route with a path parameter (read from
`seawall-api --routes`, so a new route is covered when it is added), filled with the ids of
another tenant's resources, as an exporter, a station at another show, staff of another
centre and another industry association. Each answers 404 — or, where a handler checks the body first, exactly what the same
route answers for ids that do not exist — and nothing of the other tenant is in the answer."""
import hashlib
import json
import os
import re
import subprocess
import urllib.parse

from harness import wait_until
from peoplelib import make_person, sign_in

# Public reads: anyone may see a bulletin or a show, with or without a token.
# The personal calendar feed is a capability URL: whoever holds its secret may read it, and a
# wrong secret is a 404 (test_staff.py); it takes no token to be isolated from.
PUBLIC = {("GET", "/api/v1/bulletins/{id}"), ("GET", "/api/v1/bulletins/{id}/versions"),
          ("GET", "/api/v1/shows/{show}"), ("GET", "/api/v1/invitations/{token}"),
          ("GET", "/api/v1/calendar/{file}")}
# The register is shared knowledge (any signed-in caller reads a mark's record or a party's
# cases, as the offices and courts publish them): no tenant owns a record or a party.
SHARED = {("GET", "/api/v1/parties/{id}"), ("GET", "/api/v1/register/marks/{office}/{number}")}
# What centre staff may read of any exporter (portfolios are theirs to read), and incidents
# (centre staff read all of them): not isolation from staff.
STAFF_MAY = re.compile(r"^(GET /api/v1/subscribers/\{id\}(/portfolio.*)?|"
                       r"GET /api/v1/incidents/.*|POST /api/v1/incidents/\{id\}/escalate|"
                       r"GET /api/v1/shows/\{show\}/(incidents.*|attendees)|"
                       r"GET /api/v1/stations/\{id\}|"
                       r"GET /api/v1/centres/\{id\}.*|"
                       r"GET /api/v1/matters/\{id\}|POST /api/v1/matters/\{id\}/notices)$")


def routes(s):
    out = subprocess.run([os.path.join(s.build, "bin", "seawall-api"), "--routes"],
                         capture_output=True, text=True, check=True).stdout
    return [tuple(line.split()[:2]) for line in out.splitlines() if "{" in line]


class Other:
    """Tenant B: an exporter with every kind of resource, its centre and staff, a show with a
    station and an incident, each carrying the marker in its text."""
    MARK = "Zqisolated"

    def __init__(self, s):
        m = self.MARK
        self.sub, self.tok = s.tenant(f"{m} Holdings Co., Ltd.")
        sid = self.sub["id"]
        self.item = s.post(f"/api/v1/subscribers/{sid}/portfolio",
                           {"kind": "mark", "text": f"{m}MARK"}, token=self.tok).json()
        self.hook = s.post("/api/v1/webhooks", {"url": f"http://127.0.0.1:9/{m}"},
                           token=self.tok).json()
        self.alert = s.make_alerts(self.sub, self.tok, 1, "isolated")[0]
        self.delivery = wait_until("the other tenant's delivery", lambda: (lambda d: d[0] if d
                                   else None)(s.get("/api/v1/deliveries?limit=5",
                                                    token=self.tok).json()["items"]))
        self.centre = s.make("/api/v1/centres", {"name": f"{m} Centre", "country": "CN"})
        self.staff = s.make(f"/api/v1/centres/{self.centre['id']}/staff",
                            {"name": f"{m} Triager", "email": "t@iso.example", "role": "triager"})
        self.case = s.post("/api/v1/cases", {
            "type": "lawsuit", "country": "US", "forum": "D. Del.",
            "opposing_party": f"{m} Opponent LLC", "own_role": "defendant",
            "served_at": "2026-03-02", "description": f"{m} case",
            "centre_id": self.centre["id"]}, token=self.tok).json()
        data = f"{m} evidence".encode()
        self.sha = hashlib.sha256(data).hexdigest()
        r = s.request("POST", f"/api/v1/cases/{self.case['id']}/evidence?name=e.txt", raw=data,
                      token=self.tok, headers={"Content-Type": "text/plain"})
        assert r.status == 201, r
        self.show = s.make("/api/v1/shows", {"id": "iso-fair-b-2026", "name": f"{m} Fair 2026",
                                             "city": "Hannover", "country": "DE",
                                             "starts": "2026-10-15", "ends": "2026-10-19"})
        self.station = s.make("/api/v1/stations", {"name": f"{m} desk", "show": self.show["id"],
                                                   "country": "DE",
                                                   "email": "desk@iso.example"})
        st = s.token_for("station", self.station["id"])
        r = s.post(f"/api/v1/shows/{self.show['id']}/incidents",
                   {"booth": "1", "kind": "complaint_received",
                    "exhibitor": {"name": f"{m} Exhibitor", "country": "CN"},
                    "complainant": {"name": f"{m} Complainant", "country": "DE"},
                    "notes": f"{m} notes"}, token=st, headers={"Idempotency-Key": "iso-1"})
        assert r.status == 201, r
        self.incident = r.json()
        r = s.request("POST", f"/api/v1/incidents/{self.incident['id']}/evidence?name=e.txt",
                      raw=data, token=st, headers={"Content-Type": "text/plain"})
        assert r.status == 201, r
        # A person of this exporter: a session, an invitation sent and a token made.
        self.person = sign_in(s, make_person(s, "exporter", sid, name=f"{m} Person"))
        self.session = self.person.get("/api/v1/me/sessions").json()["items"][0]["id"]
        r = self.person.post("/api/v1/invitations", {"email": "colleague@iso.example",
                                                      "role": "exporter"})
        assert r.status == 201, r
        self.invitation = r.json()["id"]
        r = self.person.post("/api/v1/tokens", {"label": f"{m} token"})
        assert r.status == 201, r
        self.person_token = r.json()["id"]
        # The centre's own: a reply template and a deadline on the case, made by its triager.
        tri = s.token_for("triager", self.staff["id"])
        r = s.post("/api/v1/templates", {"name": f"{m} template",
                                         "texts": {"zh-CN": f"{m} 模板", "en": f"{m} template"}},
                   token=tri)
        assert r.status == 201, r
        self.template = r.json()["id"]
        # An association with this exporter and a second one as members sharing their cases,
        # and the matter one trade mark filing that names both makes (through the matcher).
        self.assoc = s.make("/api/v1/associations", {"name": f"{m} Association", "country": "CN",
                                                     "email": "office@iso.example"})
        a_tok = s.token_for("association", self.assoc["id"])
        sub2, tok2 = s.tenant(f"{m} Second Co., Ltd.")
        s.post(f"/api/v1/subscribers/{sub2['id']}/portfolio", {"kind": "mark", "text": f"{m}MARK"},
               token=tok2)
        for member, mtok in ((self.sub, self.tok), (sub2, tok2)):
            r = s.post(f"/api/v1/associations/{self.assoc['id']}/invitations",
                       {"subscriber": member["id"]}, token=a_tok)
            assert r.status == 201, r
            r = s.post(f"/api/v1/me/associations/{self.assoc['id']}/consent",
                       {"share": "cases"}, token=mtok)
            assert r.status == 200, r
        ev = {"id": f"ev_{m}_matter", "type": "trademark_filing", "jurisdiction": "US",
              "title": f"{m}MARK filed", "marks": [f"{m}MARK"]}
        s.add_event(ev)
        self.matter = wait_until("the other tenant's matter", lambda: s.get(
            "/api/v1/matters", token=a_tok).json()["items"])[0]["id"]
        r = s.post(f"/api/v1/cases/{self.case['id']}/deadlines",
                   {"at": "2027-03-01T12:00:00Z", "reason": f"{m} hearing"}, token=tri)
        assert r.status == 201, r
        self.deadline = r.json()["deadlines"][-1]["id"]
        # A risk screening of the exporter's mark.
        r = s.post("/api/v1/screenings", {"marks": [{"text": f"{m}MARK"}]}, token=self.tok)
        assert r.status == 202, r
        self.screening = r.json()["id"]
        # A followed record.
        r = s.post("/api/v1/follows", {"kind": "mark", "office": "US", "number": "97999111"},
                   token=self.tok)
        assert r.status == 201, r
        self.follow = r.json()["id"]
        # The case's insurance (its insurer named with the mark) and a cost.
        r = s.request("PUT", f"/api/v1/cases/{self.case['id']}/insurance",
                      body={"insurer": f"{m} Insurance", "policy": "ISO-POLICY-B",
                            "claim": f"{m} claim"}, token=self.tok)
        assert r.status == 200, r
        r = s.post(f"/api/v1/cases/{self.case['id']}/costs",
                   {"kind": "counsel", "amount": "10.00", "currency": "USD",
                    "date": "2026-03-01", "note": f"{m} fee"}, token=self.tok)
        assert r.status == 201, r
        self.cost = r.json()["id"]
        # A saved view is the person's own: another person's name for one names nothing of theirs.
        self.view = "view of tenant b"   # a path the 404 echoes: no marker in it

    def fill(self, pattern, real=True):
        """The route's path with this tenant's ids, or (real False) with ids of the same
        shape that name nothing."""
        dlv = self.delivery["id"]
        first = {"subscribers": self.sub["id"], "centres": self.centre["id"],
                 "stations": self.station["id"], "alerts": self.alert["id"],
                 "webhooks": self.hook["id"], "deliveries": dlv,
                 "cases": self.case["id"], "bulletins": 1, "shows": self.show["id"],
                 "incidents": self.incident["id"], "feeds": 1, "tokens": self.person_token,
                 "me": self.session, "invitations": self.invitation,
                 "templates": self.template, "sources": "cmecf-cafc",
                 "screenings": self.screening, "follows": self.follow,
                 "associations": self.assoc["id"], "matters": self.matter,
                 "policies": "ISO-POLICY-B"}
        none = {"subscribers": 99999999, "centres": 99999999, "stations": 99999999,
                "alerts": "al_" + "0" * 32, "webhooks": 99999999,
                "deliveries": dlv[:-1] + ("0" if dlv[-1] != "0" else "1"), "cases": 99999999,
                "bulletins": 99999999, "shows": "no-such-fair-2026", "incidents": 99999999,
                "feeds": 99999999, "tokens": "0" * 16, "me": "0" * 16,
                "invitations": "0" * 16, "templates": 99999999,
                "sources": "no-such-source", "screenings": 99999999, "follows": 99999999,
                "associations": 99999999, "matters": 99999999, "policies": "NO-SUCH-POLICY"}
        ids = first if real else none
        seg = pattern.split("/")[3]
        path = pattern.replace("{id}", str(ids[seg])).replace(
            "{show}", str(ids["shows"])).replace("{token}", str(ids[seg])).replace(
            "{name}", str(ids[seg])).replace("{policy}", str(ids[seg]))
        return (path.replace("{item}", str(self.item["id"] if real else 99999999))
                .replace("{staff_id}", str(self.staff["id"] if real else 99999999))
                .replace("{sha256}", self.sha if real else "0" * 64)
                .replace("{did}", str(self.deadline if real else 99999999))
                .replace("{sub}", str(self.sub["id"] if real else 99999999))
                .replace("{cid}", str(self.cost if real else 99999999))
                .replace("{name}", urllib.parse.quote(self.view if real else "no such view")))


def test_every_route_with_another_tenants_ids_answers_404_and_nothing_else(s):
    b = Other(s)
    sub_a, exp_a = s.tenant("Isolation A Co., Ltd.")
    show_a = s.make("/api/v1/shows", {"id": "iso-fair-a-2026", "name": "Iso A Fair 2026",
                                      "city": "Guangzhou", "country": "CN",
                                      "starts": "2026-10-15", "ends": "2026-10-19"})
    st_a = s.make("/api/v1/stations", {"name": "A desk", "show": show_a["id"], "country": "CN",
                                       "email": "desk@a.example"})
    centre_a = s.make("/api/v1/centres", {"name": "Iso A Centre", "country": "CN"})
    tri_a = s.make(f"/api/v1/centres/{centre_a['id']}/staff",
                   {"name": "A Triager", "email": "t@a.example", "role": "triager"})
    xp_a = s.make(f"/api/v1/centres/{centre_a['id']}/staff",
                  {"name": "A Expert", "email": "x@a.example", "role": "expert"})
    # The exporter is a person (a token the person made), so the person's own routes (sessions,
    # invitations, tokens) are tried too.
    person_a = sign_in(s, make_person(s, "exporter", sub_a["id"]))
    exp_a = person_a.post("/api/v1/tokens", {"label": "isolation"}).json()["token"]
    callers = {"exporter": exp_a, "station": s.token_for("station", st_a["id"]),
               "triager": s.token_for("triager", tri_a["id"]),
               "expert": s.token_for("expert", xp_a["id"]),
               "association": s.token_for("association", s.make("/api/v1/associations", {
                   "name": "Iso A Association", "country": "CN",
                   "email": "a@assoc.example"})["id"])}
    wrong, checked = [], 0
    for method, pattern in routes(s):
        if (method, pattern) in PUBLIC or (method, pattern) in SHARED:
            continue
        path = b.fill(pattern)
        for role, tok in callers.items():
            if role in ("triager", "expert") and STAFF_MAY.match(f"{method} {pattern}"):
                continue
            body = None if method in ("GET", "DELETE") else {}
            r = s.request(method, path, body=body, token=tok)
            checked += 1
            if Other.MARK.lower() in r.body.lower():
                wrong.append(f"{role} {method} {path}: the other tenant's data: {r.body[:120]}")
            elif r.status != 404:
                n = s.request(method, b.fill(pattern, real=False), body=body, token=tok)
                same = n.status == r.status and (r.status == 204 or (
                    json.loads(n.body).get("type") == json.loads(r.body).get("type") and
                    json.loads(n.body).get("detail") == json.loads(r.body).get("detail")))
                if not same:
                    wrong.append(f"{role} {method} {path}: {r.status} {r.body[:120]} but "
                                 f"{n.status} {n.body[:80]} for ids that do not exist")
    assert not wrong, "\n".join(wrong)
    assert checked >= 150, checked
    # The other tenant's own view still has all of it (the ids were real).
    assert s.get(f"/api/v1/cases/{b.case['id']}", token=b.tok).status == 200
    assert s.get(f"/api/v1/alerts/{b.alert['id']}", token=b.tok).status == 200
    assert [x["id"] for x in b.person.get("/api/v1/me/sessions").json()["items"]] == [b.session]
    assert [x["id"] for x in b.person.get("/api/v1/invitations").json()["items"]] == \
        [b.invitation]
    assert b.person.get(f"/api/v1/tokens/{b.person_token}").json()["revoked_at"] is None
