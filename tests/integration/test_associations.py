"""Industry associations through nginx: the admin makes one and invites its person; members
join by invitation and consent to what they share; a member that shares nothing leaks
nothing to its association on any route; one event through the real matcher joins several
members' alerts, and the cases opened from them, into one matter with their deadlines side
by side; one notice reaches each member of a matter in its language; the sector watch's
alerts are forwarded to the members in the affected market only; refusals are precise."""
import json
import uuid

from harness import pointers, problem, wait_until
from peoplelib import make_person, sign_in

ASSOC_ROUTES = ["/api/v1/associations/{a}", "/api/v1/associations/{a}/members",
                "/api/v1/associations/{a}/stats", "/api/v1/matters", "/api/v1/alerts?limit=200"]


class Sector:
    """An association with its token, a centre for cases, and exporters: one sharing cases,
    a second sharing cases, one sharing alerts, one sharing nothing, one only invited, one
    outside the association."""

    def __init__(self, s, tag):
        self.s, self.tag = s, tag
        self.word = f"zq{tag}joint"
        s.make("/api/v1/centres", {"name": f"Centre {tag}", "country": "CN"})
        self.assoc = s.make("/api/v1/associations", {
            "name": f"Audio Makers Association {tag}", "country": "CN",
            "email": f"office-{tag}@assoc.example", "sector": "consumer audio"})
        self.a = self.assoc["id"]
        self.tok = s.token_for("association", self.a)
        self.ex = {}
        for name, country, markets, share in [("cases1", "CN", ["US"], "cases"),
                                              ("cases2", "VN", ["US"], "cases"),
                                              ("alerts", "CN", ["US"], "alerts"),
                                              ("silent", "CN", ["US"], "none"),
                                              ("invited", "CN", ["US"], None),
                                              ("outside", "CN", ["US"], None),
                                              ("japan", "CN", ["JP"], "cases")]:
            sub = s.make("/api/v1/subscribers", {"name": f"{name.title()} {tag} Ltd",
                                                 "country": country, "markets": markets,
                                                 "email": f"{name}-{tag}@ex.example"})
            tok = s.token_for("exporter", sub["id"])
            self.ex[name] = (sub, tok)
            r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
                       {"kind": "keyword", "text": f"{self.word} speaker",
                        "countries": markets}, token=tok)
            assert r.status == 201, r
            if name == "outside":
                continue
            r = s.post(f"/api/v1/associations/{self.a}/invitations", {"subscriber": sub["id"]},
                       token=self.tok)
            assert r.status == 201, r
            assert r.json()["status"] == "invited", r
            if share is not None:
                r = s.post(f"/api/v1/me/associations/{self.a}/consent", {"share": share},
                           token=tok)
                assert r.status == 200 and r.json()["share"] == share, r
                assert r.json()["status"] == "member", r

    def sub(self, name):
        return self.ex[name][0]["id"]

    def tok_of(self, name):
        return self.ex[name][1]

    def alerts(self, name):
        r = self.s.get("/api/v1/alerts?limit=200", token=self.tok_of(name))
        assert r.status == 200, r
        return r.json()["items"]

    def event(self, eid, words, country="US", **extra):
        ev = {"id": eid, "source": "test", "type": "trade_investigation",
              "jurisdiction": country, "title": f"Certain {words} speaker devices",
              "text": f"complaint naming {words} speaker sellers", **extra}
        self.s.add_event(ev)
        return ev


_sectors = {}


def sector(s):
    if "main" not in _sectors:
        _sectors["main"] = Sector(s, uuid.uuid4().hex[:6])
    return _sectors["main"]


def everything_the_association_reads(s, sec):
    """Every association route's answer (parsed), the members list apart: it names who is
    invited or joined, which is membership."""
    out = []
    for path in ASSOC_ROUTES:
        r = s.get(path.format(a=sec.a), token=sec.tok)
        assert r.status == 200, (path, r)
        if not path.endswith("/members"):
            out.append(r.json())
    for m in s.get("/api/v1/matters", token=sec.tok).json()["items"]:
        r = s.get(f"/api/v1/matters/{m['id']}", token=sec.tok)
        assert r.status == 200, r
        out.append(r.json())
    return out


def values(doc, key):
    """Every value of members named key anywhere in doc."""
    if isinstance(doc, dict):
        return [v for k, x in doc.items() for v in ([x] if k == key else []) + values(x, key)]
    if isinstance(doc, list):
        return [v for x in doc for v in values(x, key)]
    return []


def test_association_account_and_refusals(s):
    sec = sector(s)
    # The admin makes it; it is also a subscriber (its sector watch); its person is invited.
    r = s.get(f"/api/v1/associations/{sec.a}", token=sec.tok)
    assert r.status == 200 and r.json()["forward_to_members"] == "none", r
    assert r.json()["members"]["members"] == 5 and r.json()["members"]["invited"] == 1, r
    assert s.get(f"/api/v1/subscribers/{sec.a}", token=sec.tok).status == 200
    r = s.post("/api/v1/invitations", {"email": f"head-{sec.tag}@assoc.example",
                                       "role": "association", "subject": sec.a},
               token=s.admin)
    assert r.status == 201, r
    p = problem(s.post("/api/v1/invitations", {"email": f"x-{sec.tag}@assoc.example",
                                               "role": "association"}, token=s.admin),
                400, "validation")
    assert pointers(p) == ["/subject"], p
    # Its people invite colleagues to it, and to nothing else.
    head = sign_in(s, make_person(s, "association", sec.a, name="Head of office"))
    assert head.get("/api/v1/me").json()["role"] == "association"
    r = head.post("/api/v1/invitations", {"email": f"colleague-{sec.tag}@assoc.example",
                                          "role": "association"})
    assert r.status == 201 and r.json()["subject"] == sec.a, r
    problem(head.post("/api/v1/invitations", {"email": f"e-{sec.tag}@ex.example",
                                              "role": "exporter"}), 403, "forbidden")
    # Refusals: unknown members, consent values, inviting twice, whom to invite.
    p = problem(s.post("/api/v1/associations", {"name": "X", "country": "CN",
                                                "email": "x@x.example", "colour": "red"},
                       token=s.admin), 400, "validation")
    assert "/colour" in pointers(p), p
    p = problem(s.post("/api/v1/associations", {"name": "X", "country": "CN",
                                                "email": "x@x.example",
                                                "forward_to_members": "all"},
                       token=s.admin), 400, "validation")
    assert "/forward_to_members" in pointers(p), p
    p = problem(s.post(f"/api/v1/associations/{sec.a}/invitations",
                       {"subscriber": sec.sub("cases1")}, token=sec.tok), 409, "conflict")
    assert pointers(p) == ["/subscriber"], p
    p = problem(s.post(f"/api/v1/associations/{sec.a}/invitations",
                       {"subscriber": sec.sub("outside"), "email": "a@b.example"},
                       token=sec.tok), 400, "validation")
    p = problem(s.post(f"/api/v1/associations/{sec.a}/invitations", {"subscriber": 99999999},
                       token=sec.tok), 400, "validation")
    assert pointers(p) == ["/subscriber"], p
    p = problem(s.post(f"/api/v1/associations/{sec.a}/invitations", {"subscriber": sec.a},
                       token=sec.tok), 400, "validation")
    p = problem(s.post(f"/api/v1/associations/{sec.a}/invitations",
                       {"email": f"nobody-{sec.tag}@ex.example"}, token=sec.tok),
                400, "validation")
    assert pointers(p) == ["/email"], p
    p = problem(s.post(f"/api/v1/associations/{sec.a}/invitations",
                       {"subscriber": sec.sub("outside"), "role": "boss"}, token=sec.tok),
                400, "validation")
    assert "/role" in pointers(p), p
    for bad in ({"share": "everything"}, {"share": 1}, {}, {"share": "none", "extra": 1}):
        p = problem(s.post(f"/api/v1/me/associations/{sec.a}/consent", bad,
                           token=sec.tok_of("cases1")), 400, "validation")
        assert pointers(p), p
    # Consent only where invited; another association, an exporter, a station see nothing.
    problem(s.post(f"/api/v1/me/associations/{sec.a}/consent", {"share": "cases"},
                   token=sec.tok_of("outside")), 404)
    other = s.make("/api/v1/associations", {"name": "Other", "country": "CN",
                                            "email": "o@assoc.example"})
    otok = s.token_for("association", other["id"])
    for path in ASSOC_ROUTES[:3]:
        problem(s.get(path.format(a=sec.a), token=otok), 404)
        problem(s.get(path.format(a=sec.a), token=sec.tok_of("cases1")), 404)
    problem(s.get(f"/api/v1/subscribers/{sec.sub('cases1')}", token=sec.tok), 404)
    problem(s.get(f"/api/v1/subscribers/{sec.sub('cases1')}/portfolio", token=sec.tok), 404)
    # The exporter's side: its invitations and memberships.
    mine = s.get("/api/v1/me/associations", token=sec.tok_of("invited")).json()["items"]
    assert [(m["association"]["id"], m["status"]) for m in mine] == [(sec.a, "invited")], mine
    inbox = [a for a in sec.alerts("invited") if a["event"]["type"] == "association_invitation"]
    assert inbox[0]["title"] == f"{sec.assoc['name']} invites your company to join it", inbox
    r = s.get(f"/api/v1/alerts/{inbox[0]['id']}", token=sec.tok_of("invited"),
              headers={"Accept-Language": "zh-CN"})
    assert r.json()["title"] == f"{sec.assoc['name']}邀请贵企业加入", r


def test_matter_joins_members_of_one_event_and_consent_holds(s):
    sec = sector(s)
    eid = f"ev_337_{sec.tag}"
    sec.event(eid, sec.word, numbers={"investigation": f"337-TA-{sec.tag}"})
    named = ["cases1", "cases2", "alerts", "silent", "invited", "outside"]
    alert = {}
    for n in named:
        got = wait_until(f"the alert of {n}", lambda n=n: [a for a in sec.alerts(n)
                                                           if a["event_id"] == eid])
        alert[n] = got[0]["id"]
    matters = wait_until("the matter", lambda: s.get("/api/v1/matters",
                                                     token=sec.tok).json()["items"])
    assert len(matters) == 1, matters
    mid = matters[0]["id"]
    assert matters[0]["docket"] == f"337-TA-{sec.tag}" and matters[0]["members"] == 3, matters
    # Cases opened from each member's own alert (the silent one too, and the outsider).
    case = {}
    for n in ["cases1", "cases2", "silent", "outside"]:
        r = s.post("/api/v1/cases", {"type": "trade_investigation", "country": "US",
                                     "opposing_party": "Acme Audio Inc.",
                                     "own_role": "respondent",
                                     "description": "named in a Section 337 complaint",
                                     "alerts": [alert[n]]}, token=sec.tok_of(n))
        assert r.status == 201, r
        case[n] = r.json()["id"]
    r = s.get(f"/api/v1/matters/{mid}", token=sec.tok)
    assert r.status == 200, r
    m = r.json()
    members = {x["subscriber"]: x for x in m["members"]}
    assert set(members) == {sec.sub("cases1"), sec.sub("cases2"), sec.sub("alerts")}, m
    for n in ["cases1", "cases2"]:
        got = members[sec.sub(n)]["cases"]
        assert [(c["id"], c["state"]) for c in got] == [(case[n], "submitted")], got
        assert "deadlines" in got[0] and "deadline" in got[0], got
    assert "cases" not in members[sec.sub("alerts")], m   # "member concerned" only
    # Each member's case names the matter.
    r = s.get(f"/api/v1/cases/{case['cases1']}", token=sec.tok_of("cases1"))
    assert r.json()["matter"] == {"id": mid, "title": m["title"]}, r
    r = s.get(f"/api/v1/cases/{case['outside']}", token=sec.tok_of("outside"))
    assert r.json()["matter"] is None, r
    # The association may not read a member's case itself.
    problem(s.get(f"/api/v1/cases/{case['cases1']}", token=sec.tok), 404)
    # Statistics: counts over the members that share cases, nothing else.
    st = s.get(f"/api/v1/associations/{sec.a}/stats", token=sec.tok).json()
    assert st["cases"] == 2, st
    assert st["by_market"] == [{"country": "US", "cases": 2}], st
    assert st["by_type"] == [{"type": "trade_investigation", "cases": 2}], st
    assert st["by_outcome"] == [{"outcome": "open", "cases": 2}], st
    assert st["members"]["sharing"] == {"alerts": 1, "cases": 3, "none": 1}, st
    # Consent: nothing of the silent member, the invited one or the outsider on any route
    # beyond membership (the members list names who joined, as the association invited them).
    seen = everything_the_association_reads(s, sec)
    text = json.dumps(seen, ensure_ascii=False)
    subs = set(values(seen, "subscriber"))
    for n in ["silent", "invited", "outside"]:
        assert sec.sub(n) not in subs, n
        assert alert[n] not in text and f"{n.title()} {sec.tag}" not in text, n
    assert case["silent"] not in values(seen, "id"), seen
    members = s.get(f"/api/v1/associations/{sec.a}/members", token=sec.tok).json()["items"]
    silent = [x for x in members if x["subscriber"] == sec.sub("silent")]
    assert set(silent[0]) <= {"subscriber", "name", "country", "status", "share",
                              "invited_at", "joined_at", "updated_at"}, silent
    assert all(a["event_id"] != eid for a in s.get("/api/v1/alerts?limit=200",
                                                   token=sec.tok).json()["items"])
    # A member that withdraws consent disappears from the matter at once.
    r = s.post(f"/api/v1/me/associations/{sec.a}/consent", {"share": "none"},
               token=sec.tok_of("alerts"))
    assert r.status == 200, r
    m = s.get(f"/api/v1/matters/{mid}", token=sec.tok).json()
    assert sec.sub("alerts") not in [x["subscriber"] for x in m["members"]], m
    # Centre staff see the matter too, with the cases.
    centre = s.get("/api/v1/centres?limit=200", token=s.admin).json()["items"][0]
    staff = s.make(f"/api/v1/centres/{centre['id']}/staff",
                   {"name": "Tri", "email": f"t-{sec.tag}@c.example", "role": "triager"})
    tri = s.token_for("triager", staff["id"])
    assert mid in [x["id"] for x in s.get("/api/v1/matters", token=tri).json()["items"]]
    # One notice to every member concerned, each in its language, on its inbox.
    r = s.post(f"/api/v1/matters/{mid}/notices",
               {"title": {"en": "Joint response meeting", "zh-CN": "联合应诉会议"},
                "text": {"en": "We meet on Friday.", "zh-CN": "周五开会。"}}, token=sec.tok)
    assert r.status == 201, r
    assert sorted(r.json()["recipients"]) == sorted([sec.sub("cases1"), sec.sub("cases2")]), r
    zh = [a for a in sec.alerts("cases1") if a["event"]["type"] == "matter_notice"]
    en = [a for a in sec.alerts("cases2") if a["event"]["type"] == "matter_notice"]
    assert zh[0]["event"]["title"] == "联合应诉会议", zh
    assert zh[0]["event"]["case_id"] == case["cases1"], zh
    assert en[0]["event"]["title"] == "Joint response meeting", en
    assert en[0]["summary"] == "Medium alert: Joint response meeting — We meet on Friday.", en
    for n in ["silent", "alerts", "outside"]:
        assert not [a for a in sec.alerts(n) if a["event"]["type"] == "matter_notice"], n
    p = problem(s.post(f"/api/v1/matters/{mid}/notices",
                       {"title": {"fr": "x"}, "text": {"en": ""}}, token=sec.tok),
                400, "validation")
    assert set(pointers(p)) == {"/title/fr", "/text/en"}, p
    problem(s.post(f"/api/v1/matters/{mid}/notices", {"title": {"en": "x"},
                                                       "text": {"en": "y"}},
                   token=sec.tok_of("cases1")), 404)


def test_sector_watch_forwards_to_affected_members_only(s):
    sec = sector(s)
    word = f"zq{sec.tag}sector"
    r = s.post(f"/api/v1/subscribers/{sec.a}/portfolio",
               {"kind": "keyword", "text": f"{word} speaker", "countries": ["US", "DE"]},
               token=sec.tok)
    assert r.status == 201, r
    r = s.request("PATCH", f"/api/v1/associations/{sec.a}",
                  body={"forward_to_members": "affected"}, token=sec.tok)
    assert r.status == 200 and r.json()["forward_to_members"] == "affected", r
    problem(s.request("PATCH", f"/api/v1/associations/{sec.a}",
                      body={"forward_to_members": "everyone"}, token=sec.tok), 400, "validation")
    eid = f"ev_sector_{sec.tag}"
    sec.event(eid, word)
    wait_until("the association's own alert",
               lambda: [a for a in s.get("/api/v1/alerts?limit=200", token=sec.tok).json()
                        ["items"] if a["event_id"] == eid])
    affected = ["cases1", "cases2", "silent"]   # members in the US, whatever they share
    for n in affected:
        got = wait_until(f"the copy for {n}",
                         lambda n=n: [a for a in sec.alerts(n) if a["event_id"] == eid])
        assert got[0]["rule"] == "association-forward", got
        assert got[0]["forwarded_by"]["association"] == sec.a, got
        assert got[0]["summary"].endswith(f"sent on by {sec.assoc['name']}, which watches "
                                          "your sector"), got
    wait_until("the event acknowledged",
               lambda: s.stream_pending("events", "matchers") == 0)
    for n in ["japan", "invited", "outside"]:
        assert not [a for a in sec.alerts(n) if a["event_id"] == eid], n


def test_partitioned_matchers_join_and_forward_as_one(s):
    """Two partitioned matchers, each holding half of the subscribers: members of one
    association in different partitions named in one 337 event get one joint matter with both,
    and the sector watch's alert reaches each member in the market exactly once, its own where
    its portfolio matched. The partition without the association runs late on purpose, so
    neither result can depend on which partition comes first."""
    from test_matching_partitions import PARTITIONS, partition_of, start_matcher

    tag = uuid.uuid4().hex[:6]
    joint, sector_word = f"zq{tag}pjoint", f"zq{tag}psector"
    s.make("/api/v1/centres", {"name": f"Centre P{tag}", "country": "CN"})
    assoc = s.make("/api/v1/associations", {"name": f"Partitioned Association {tag}",
                                            "country": "CN", "email": f"p-{tag}@assoc.example",
                                            "forward_to_members": "affected"})
    a, atok = assoc["id"], s.token_for("association", assoc["id"])
    r = s.post(f"/api/v1/subscribers/{a}/portfolio",
               {"kind": "keyword", "text": f"{sector_word} speaker", "countries": ["US"]},
               token=atok)
    assert r.status == 201, r
    # Roles in each partition: "joint" (shares cases, named in the 337 event), "own" (its own
    # portfolio matches the sector event), "fwd" (shares nothing, hears of the sector event
    # only through the association).
    roles = {"joint": ("cases", f"{joint} speaker"), "own": ("alerts", f"{sector_word} speaker"),
             "fwd": ("none", f"zq{tag}pother speaker")}
    members, n = {}, 0
    while len(members) < len(roles) * PARTITIONS:
        sub = s.make("/api/v1/subscribers", {"name": f"Partitioned {n} {tag} Ltd",
                                             "country": "CN", "markets": ["US"],
                                             "email": f"p{n}-{tag}@ex.example"})
        n += 1
        p = partition_of(sub["id"])
        role = next((x for x in roles if (x, p) not in members), None)
        if role is None:
            continue
        share, text = roles[role]
        tok = s.token_for("exporter", sub["id"])
        r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
                   {"kind": "keyword", "text": text, "countries": ["US"]}, token=tok)
        assert r.status == 201, r
        r = s.post(f"/api/v1/associations/{a}/invitations", {"subscriber": sub["id"]},
                   token=atok)
        assert r.status == 201, r
        r = s.post(f"/api/v1/me/associations/{a}/consent", {"share": share}, token=tok)
        assert r.status == 200, r
        members[(role, p)] = (sub["id"], tok)

    def inbox(tok, eid):
        r = s.get("/api/v1/alerts?limit=200", token=tok)
        assert r.status == 200, r
        return [x for x in r.json()["items"] if x["event_id"] == eid]

    first = partition_of(a)          # the association's partition: runs throughout
    late = (first + 1) % PARTITIONS  # the other one starts after the events are in
    names = {p: f"seawall-matcher-{p + 2}" for p in range(PARTITIONS)}
    groups = {p: f"matchers.p{p}of{PARTITIONS}" for p in range(PARTITIONS)}
    s.script("stop-one", "seawall-matcher")
    try:
        start_matcher(s, names[first], first)
        eid337 = f"ev_p337_{tag}"
        s.add_event({"id": eid337, "source": "test", "type": "trade_investigation",
                     "jurisdiction": "US", "title": f"Certain {joint} speaker devices",
                     "numbers": {"investigation": f"337-TA-P{tag}"}})
        eid = f"ev_psector_{tag}"
        s.add_event({"id": eid, "source": "test", "type": "trade_investigation",
                     "jurisdiction": "US", "title": f"Certain {sector_word} speaker devices"})
        wait_until("the first partition to have read both events",
                   lambda: s.stream_settled("events", groups[first]), timeout=60)
        assert inbox(atok, eid), "the association's own alert"
        # The late partition's members are not known yet: no matter of one member, and no
        # copy sent on (it would take the place of a late member's own alert).
        assert s.get("/api/v1/matters", token=atok).json()["items"] == []
        for (role, p), (sub, tok) in members.items():
            assert all(x["rule"] != "association-forward" for x in inbox(tok, eid)), (role, p)
        start_matcher(s, names[late], late)
        wait_until("both partitions to have read both events",
                   lambda: all(s.stream_settled("events", g) for g in groups.values()),
                   timeout=60)
        # One matter per event, each joining its two members from both partitions: the 337
        # investigation's joint members (their cases side by side), the sector event's "own"
        # ones (they share alerts; the copies sent on join nothing).
        matters = {x["event_id"]: x for x in
                   s.get("/api/v1/matters", token=atok).json()["items"]}
        assert sorted(matters) == sorted([eid337, eid]), matters
        assert matters[eid337]["docket"] == f"337-TA-P{tag}", matters
        assert matters[eid337]["members"] == 2 and matters[eid]["members"] == 2, matters
        m = s.get(f"/api/v1/matters/{matters[eid]['id']}", token=atok).json()
        assert sorted(x["subscriber"] for x in m["members"]) == \
            sorted(members[("own", p)][0] for p in range(PARTITIONS)), m
        case = {}
        for p in range(PARTITIONS):
            sub, tok = members[("joint", p)]
            got = inbox(tok, eid337)
            assert len(got) == 1, got
            r = s.post("/api/v1/cases", {"type": "trade_investigation", "country": "US",
                                         "opposing_party": "Acme Audio Inc.",
                                         "own_role": "respondent",
                                         "description": "named in a Section 337 complaint",
                                         "alerts": [got[0]["id"]]}, token=tok)
            assert r.status == 201, r
            case[sub] = r.json()["id"]
        m = s.get(f"/api/v1/matters/{matters[eid337]['id']}", token=atok).json()
        assert {x["subscriber"]: [c["id"] for c in x.get("cases", [])]
                for x in m["members"]} == {sub: [c] for sub, c in case.items()}, m
        # The sector event: one alert per member, its own where its portfolio matched.
        for (role, p), (sub, tok) in members.items():
            got = inbox(tok, eid)
            assert len(got) == 1, (role, p, got)
            if role == "own":
                assert got[0]["rule"] != "association-forward", (p, got)
                assert got[0]["item_ids"], (p, got)
                assert "forwarded_by" not in got[0], (p, got)
            else:
                assert got[0]["rule"] == "association-forward", (role, p, got)
                assert got[0]["forwarded_by"]["association"] == a, (role, p, got)
    finally:
        for name in names.values():
            s.script("stop-one", name, check=False)
        for key in s.stream_keys("events"):
            for g in groups.values():
                s.redis("XGROUP", "DESTROY", key, g)
        s.script("start-worker", "seawall-matcher")
