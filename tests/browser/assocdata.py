"""An industry association's data, made through the API as the admin, the association and its
members would make it: demo(s) gives the association of the browser tests and the screenshots —
a person who signs in for real, four member companies (two sharing cases, one its early
warnings, one nothing), a Section 337 investigation that names three of them through the real
matcher (one matter, cases opened from two members' alerts), a sector watch that alerts the association to a Schedule A lawsuit (forwarded to
the members in the market), and an exporter
person invited by it and a member of a second association (the consent page)."""

from harness import wait_until
from peoplelib import make_person, unique_email
from wslib import exporter, set_person

INVESTIGATION = "337-TA-1412"
WORD = "filament lamp"


def _member(s, a_tok, a, name, share, markets=("US",)):
    sub = s.make("/api/v1/subscribers", {"name": name, "country": "CN", "markets": list(markets),
                                         "email": unique_email("member")})
    tok = s.token_for("exporter", sub["id"])
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
               {"kind": "keyword", "text": WORD, "countries": list(markets)}, token=tok)
    assert r.status == 201, r
    r = s.post(f"/api/v1/associations/{a}/invitations", {"subscriber": sub["id"]}, token=a_tok)
    assert r.status == 201, r
    r = s.post(f"/api/v1/me/associations/{a}/consent", {"share": share}, token=tok)
    assert r.status == 200, r
    return sub, tok


def demo(s):
    if getattr(s, "assoc_demo", None):
        return s.assoc_demo
    # The exporter who answers invitations in the browser (it also makes the centre).
    _, ex_tok, ex_email = exporter(s, company="Zhejiang Glow Lighting Co., Ltd.", name="Zhou Min",
                                   tz="Asia/Shanghai", email=unique_email("glow"))
    assoc = s.make("/api/v1/associations", {"name": "Ningbo Lighting Industry Association",
                                            "country": "CN", "email": "office@nblia.example",
                                            "sector": "LED lighting"})
    a = assoc["id"]
    a_tok = s.token_for("association", a)
    email = make_person(s, "association", a, name="Chen Jing", email=unique_email("nblia"))
    set_person(s, email, tz="Asia/Shanghai")
    members = {
        "cases1": _member(s, a_tok, a, "Yuyao Bright LED Co., Ltd.", "cases"),
        "cases2": _member(s, a_tok, a, "Cixi Lumen Electric Co., Ltd.", "cases"),
        "alerts": _member(s, a_tok, a, "Ningbo Star Lamp Co., Ltd.", "alerts"),
        "silent": _member(s, a_tok, a, "Haishu Light Works Co., Ltd.", "none"),
    }
    # The exporter person: invited here; a member of a second alliance, sharing early warnings.
    ex_sub = s.get("/api/v1/me", token=ex_tok).json()["account"]["id"]
    r = s.post(f"/api/v1/associations/{a}/invitations", {"email": ex_email}, token=a_tok)
    assert r.status == 201, r
    other = s.make("/api/v1/associations", {"name": "Yangtze Delta Lighting IP Alliance",
                                            "country": "CN", "email": "ip@ydlia.example",
                                            "sector": "Lighting patents"})
    o_tok = s.token_for("association", other["id"])
    assert s.post(f"/api/v1/associations/{other['id']}/invitations", {"subscriber": ex_sub},
                  token=o_tok).status == 201
    assert s.post(f"/api/v1/me/associations/{other['id']}/consent", {"share": "alerts"},
                  token=ex_tok).status == 200
    # The sector watch: keywords, a frequent plaintiff, markets.
    for item in ({"kind": "keyword", "text": "LED lighting", "countries": ["US", "DE"]},
                 {"kind": "name", "text": "Brightline Patent Holdings LLC"}):
        r = s.post(f"/api/v1/subscribers/{a}/portfolio", item, token=a_tok)
        assert r.status == 201, r
    r = s.request("PATCH", f"/api/v1/subscribers/{a}", body={"markets": ["US", "DE", "GB"]},
                  token=a_tok)
    assert r.status == 200, r
    # One investigation names three members: through the real matcher, one matter.
    eid = f"ev_usitc_{a}"
    ev = {"id": eid, "source": "usitc", "type": "trade_investigation", "jurisdiction": "US",
          "title": f"Certain LED Filament Lamps and Components Thereof (Inv. No. {INVESTIGATION})",
          "text": f"Complaint under Section 337 naming sellers of LED {WORD} products",
          "numbers": {"investigation": INVESTIGATION}}
    s.add_event(ev)
    matters = wait_until("the matter", lambda: s.get("/api/v1/matters", token=a_tok).json()["items"],
                         timeout=30)
    alerts = {}
    for k in ("cases1", "cases2"):
        tok = members[k][1]
        alerts[k] = wait_until(f"the alert of {k}", lambda tok=tok: [
            x for x in s.get("/api/v1/alerts?limit=50", token=tok).json()["items"]
            if x["event_id"] == eid])[0]["id"]
    cases = {}
    for k, served in (("cases1", "2026-11-20"), ("cases2", "2026-11-24")):
        r = s.post("/api/v1/cases", {"type": "trade_investigation", "country": "US",
                                     "opposing_party": "Brightline Patent Holdings LLC",
                                     "own_role": "respondent", "proceeding": "complaint",
                                     "served_at": served,
                                     "description": "Named as a respondent in the complaint.",
                                     "alerts": [alerts[k]]}, token=members[k][1])
        assert r.status == 201, r
        cases[k] = r.json()["id"]
    # The sector watch alerts the association to a Schedule A lawsuit by a plaintiff it follows,
    # and forwards it to the members in the market.
    r = s.request("PATCH", f"/api/v1/associations/{a}", body={"forward_to_members": "affected"},
                  token=a_tok)
    assert r.status == 200, r
    sid = f"ev_schedule_a_{a}"
    ev = {"id": sid, "source": "courtlistener", "type": "litigation", "jurisdiction": "US",
          "title": "Brightline Patent Holdings LLC v. The Partnerships Identified on Schedule A",
          "text": "Schedule A complaint against online sellers of LED lighting products",
          "parties": [{"name": "Brightline Patent Holdings LLC", "role": "plaintiff"}]}
    s.add_event(ev)
    wait_until("the sector watch's alert", lambda: [
        x for x in s.get("/api/v1/alerts?limit=50", token=a_tok).json()["items"]
        if x["event_id"] == sid], timeout=30)
    s.assoc_demo = {"a": a, "tok": a_tok, "email": email, "matter": matters[0]["id"],
                    "members": {k: v[0]["id"] for k, v in members.items()},
                    "member_tokens": {k: v[1] for k, v in members.items()},
                    "cases": cases, "exporter": ex_email, "exporter_sub": ex_sub,
                    "exporter_tok": ex_tok, "other": other["id"]}
    return s.assoc_demo
