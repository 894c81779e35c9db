"""The staff console's backend (issue 18): queue views whose counts equal their lists, saved
views, search by the exporter's Chinese name and by party, a triager bulk-assigning 20 cases
(one not theirs to move, answered on its own), several deadlines per case by their rules (a TRO
from its entry, a Schedule A answer, China's National Day), the deadline calendar and its
iCalendar feed parsed with libical (seawall feed parse) and with Python, reply templates in
both languages, and internal notes an exporter never sees."""
import datetime
import json
import os
import re
import tempfile

from harness import problem
from peoplelib import make_person, sign_in
from test_cases import Desk, clock

VIEWS = ["new_unassigned", "mine", "near_breach", "breached", "waiting", "due_week", "open"]


def queue(s, tok, query=""):
    r = s.get(f"/api/v1/cases/queue?limit=200&{query}", token=tok)
    assert r.status == 200, r
    return r.json()


def test_views_counts_search_and_saved_views(s):
    d = Desk(s, "views")
    sub, exp = s.tenant("宁波海天灯饰有限公司")
    try:
        clock(s, 0)
        a = d.file()
        b = d.file(opposing_party="Lumina Brands GmbH", country="DE", type="cease_and_desist",
                   served_at=None, rights=[])
        r = s.post("/api/v1/cases", {"type": "lawsuit", "country": "US",
                                      "opposing_party": "Brightstar IP Holdings",
                                      "own_role": "defendant", "description": "LED strips",
                                      "served_at": "2026-11-20", "centre_id": d.centre["id"]},
                   token=exp)
        assert r.status == 201, r
        zh = r.json()
        d.move(b, "accepted", d.tri)
        d.move(b, "assigned", d.tri)
        d.move(b, "in_progress", d.xp)
        d.move(b, "waiting_on_exporter", d.xp)
        clock(s, 20)                    # past 80 % of the 4 h first-response target… and past it
        counts = s.get("/api/v1/cases/queue/counts", token=d.tri).json()["views"]
        assert set(counts) == set(VIEWS)
        for v in VIEWS:
            got = queue(s, d.tri, f"view={v}")
            assert got["matched"] == counts[v] == len(got["items"]), (v, counts, got["matched"])
        assert counts["open"] == 3 and counts["waiting"] == 1 and counts["breached"] == 2
        assert counts["new_unassigned"] == 2
        # The expert's "mine" is the case assigned to them.
        mine = s.get("/api/v1/cases/queue/counts", token=d.xp).json()["views"]
        assert mine["mine"] == 1
        # What a crash between a change's steps can leave in the indexes (record.h): an entry
        # naming a case that is not there, and a case under an expert it is not assigned to.
        # Lists, counts and the experts' load re-check each case from its document.
        s.redis("ZADD", f"sw:{{centre:{d.centre['id']}}}:open", "99999999", "99999999")
        s.redis("ZADD", f"sw:staff:{d.expert2['id']}:open", str(a["id"]), str(a["id"]))
        s.redis("ZADD", f"sw:staff:{d.expert['id']}:open", str(a["id"]), str(a["id"]))
        assert s.get("/api/v1/cases/queue/counts", token=d.tri).json()["views"] == counts
        assert len(queue(s, d.tri)["items"]) == counts["open"]
        load = {x["id"]: x["open_cases"] for x in
                s.get(f"/api/v1/cases/{a['id']}/experts", token=d.tri).json()["items"]}
        assert load[d.expert["id"]] == 1 and load[d.expert2["id"]] == 0, load
        items = queue(s, d.tri)["items"]
        by_id = {x["id"]: x for x in items}
        assert by_id[zh["id"]]["exporter"]["name"] == "宁波海天灯饰有限公司"
        assert by_id[a["id"]]["opposing_party"] == "Brand Holdings LLC"
        assert by_id[a["id"]]["country"] == "US" and "sla" in by_id[a["id"]]
        assert by_id[a["id"]]["priority"]["reasons"][0]["factor"] == "deadline"
        # Search: the exporter's Chinese name (a part of it), the other side, the number.
        assert [x["id"] for x in queue(s, d.tri, "q=%E6%B5%B7%E5%A4%A9")["items"]] == [zh["id"]]
        assert [x["id"] for x in queue(s, d.tri, "q=lumina+gmbh")["items"]] == [b["id"]]
        assert [x["id"] for x in queue(s, d.tri, f"q=%23{a['id']}")["items"]] == [a["id"]]
        assert queue(s, d.tri, "q=nothing-like-this")["items"] == []
        got = queue(s, d.tri, "sort=-id")["items"]
        assert [x["id"] for x in got][0] == zh["id"]
        p = problem(s.get("/api/v1/cases/queue?view=all&sort=sideways&q=%20", token=d.tri),
                    400, "validation")
        assert sorted(e["parameter"] for e in p["errors"]) == ["q", "sort", "view"]
        # Saved views belong to a person.
        email = make_person(s, "triager", d.triager["id"])
        br = sign_in(s, email)
        r = br.post("/api/v1/me/views", {"name": "Breached US", "view": "breached",
                                         "filters": {"country": "US"}, "sort": "deadline"})
        assert r.status == 201, r
        assert r.json()["query"] == "view=breached&country=US&sort=deadline"
        r = br.post("/api/v1/me/views", {"name": "Breached US", "view": "breached",
                                         "filters": {"country": "US,DE"}})
        assert r.status == 200, r
        views = br.get("/api/v1/me/views").json()["items"]
        assert [(v["name"], v["filters"]) for v in views] == [("Breached US",
                                                              {"country": "US,DE"})]
        got = br.get("/api/v1/cases/queue?" + views[0]["query"]).json()
        assert got["matched"] == counts["breached"]
        p = problem(br.post("/api/v1/me/views", {"name": "x", "view": "someday",
                                                 "filters": {"colour": "red", "sla": "late"}}),
                    400, "validation")
        assert sorted(e["pointer"] for e in p["errors"]) == ["/filters/colour", "/filters/sla",
                                                             "/view"]
        assert br.delete("/api/v1/me/views/Breached%20US").status == 200
        assert br.get("/api/v1/me/views").json()["items"] == []
        assert br.delete("/api/v1/me/views/Breached%20US").status == 404
        # A bare token is no person: views are a person's.
        assert s.get("/api/v1/me/views", token=d.tri).status == 403
    finally:
        clock(s, 0)


def test_triager_bulk_assigns_20_cases_and_the_calendar_feed_parses(s):
    d = Desk(s, "bulk")
    other = Desk(s, "bulk-other")
    clock(s, 0)
    cases = [d.file(served_at=f"2026-11-{1 + i:02d}") for i in range(20)]
    stranger = other.file()
    ids = [c["id"] for c in cases] + [stranger["id"]]
    body = {"ids": ids, "action": "assign", "expert_id": d.expert["id"]}
    key = {"Idempotency-Key": "bulk-assign-20"}
    r = s.post("/api/v1/cases/bulk", body, token=d.tri, headers=key)
    assert r.status == 200, r
    res = r.json()
    assert res["done"] == 20 and res["failed"] == 1
    by_id = {x["id"]: x for x in res["results"]}
    assert by_id[stranger["id"]]["status"] == 404
    assert by_id[stranger["id"]]["problem"]["type"] == "urn:seawall:problem:not-found"
    assert all(by_id[c["id"]]["status"] == 200 and by_id[c["id"]]["state"] == "assigned" and
               by_id[c["id"]]["assignee"]["id"] == d.expert["id"] for c in cases)
    # The same key again: the first answer, nothing done twice.
    again = s.post("/api/v1/cases/bulk", body, token=d.tri, headers=key)
    assert again.header("Idempotent-Replayed") == "true" and again.json() == res
    hist = s.get(f"/api/v1/cases/{cases[0]['id']}/history", token=d.tri).json()["items"]
    assert [h["after"]["state"] for h in hist if h["action"] == "transition"] == \
        ["accepted", "assigned"]
    # Without a key, a case already assigned is reassigned; an illegal move answers per case.
    r = s.post("/api/v1/cases/bulk", {"ids": [cases[0]["id"]], "action": "transition",
                                      "to": "closed"}, token=d.tri).json()
    assert r["results"][0]["status"] == 409
    assert r["results"][0]["problem"]["type"] == "urn:seawall:problem:illegal-transition"
    r = s.post("/api/v1/cases/bulk", {"ids": ids[:3], "action": "tag",
                                      "tags": ["schedule-a", "展会"]}, token=d.tri).json()
    assert r["done"] == 3 and r["results"][0]["tags"] == ["schedule-a", "展会"]
    assert [x["id"] for x in queue(s, d.tri, "tag=%E5%B1%95%E4%BC%9A")["items"]] == \
        sorted(ids[:3], key=lambda i: [x["id"] for x in queue(s, d.tri)["items"]].index(i))
    p = problem(s.post("/api/v1/cases/bulk", {"ids": [1, 1], "action": "tag", "tags": ["a"]},
                       token=d.tri), 400, "validation")
    p = problem(s.post("/api/v1/cases/bulk", {"ids": ids[:1], "action": "tag",
                                              "tags": ["has space"]}, token=d.tri),
                400, "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/tags/0"]
    problem(s.post("/api/v1/cases/bulk", {"ids": list(range(1, 202)), "action": "tag",
                                          "tags": ["x"]}, token=d.tri), 400, "validation")

    # The calendar feed of the assigned expert, a person, at a secret URL.
    email = make_person(s, "expert", d.expert["id"])
    br = sign_in(s, email)
    r = br.post("/api/v1/me/calendar-url")
    assert r.status == 201, r
    path = r.json()["path"]
    assert re.fullmatch(r"/api/v1/calendar/[A-Za-z0-9_-]{43}\.ics", path)
    assert br.get("/api/v1/me/calendar-url").json()["active"] is True
    feed = s.get(path)                                 # no session, no token
    assert feed.status == 200 and feed.header("Content-Type").startswith("text/calendar")
    want = {f"case-{c['id']}-deadline-1@seawall": c["deadline"]["at"] for c in cases}
    # Python's reading: unfold lines, one VEVENT per case deadline with its instant.
    text = re.sub(r"\r\n[ \t]", "", feed.body)
    events = re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", text, re.S)
    got = {}
    for ev in events:
        props = dict(line.split(":", 1) for line in ev.split("\r\n") if ":" in line and
                     not line.startswith(("BEGIN", "END", "ACTION", "TRIGGER", "DESCRIPTION")))
        start = datetime.datetime.strptime(props["DTSTART"], "%Y%m%dT%H%M%SZ")
        got[props["UID"]] = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert props["URL"].endswith("/app/cases/" + props["UID"].split("-")[1])
    assert got == want, (got, want)
    assert "Answer due: case #" in feed.body and "FRCP 12(a)(1)(A)(i)" in text
    # libical's reading, through the project's own parser.
    with tempfile.NamedTemporaryFile("w", suffix=".ics", delete=False) as f:
        f.write(feed.body)
    try:
        out = s.cli("feed", "parse", "--format", "ical", f.name)
    finally:
        os.unlink(f.name)
    parsed = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert sorted(e["date"] for e in parsed) == sorted(want.values()), parsed[:2]
    # The other centre's case is not in this feed; a new URL ends the old one.
    assert f"case-{stranger['id']}-" not in feed.body
    r = br.post("/api/v1/me/calendar-url")
    assert r.status == 201 and r.json()["path"] != path
    assert s.get(path).status == 404
    assert s.get(r.json()["path"]).status == 200
    assert br.delete("/api/v1/me/calendar-url").status == 200
    assert s.get(r.json()["path"]).status == 404
    assert s.get("/api/v1/calendar/not-a-token.ics").status == 404


def test_several_deadlines_by_their_rules_and_the_calendar(s):
    d = Desk(s, "deadlines")
    clock(s, 0)
    c = d.file(type="schedule_a", proceeding=None, served_at="2026-11-05")
    # At intake: the Schedule A answer, 21 days from (e-mail) service, past Thanksgiving.
    assert c["deadline"]["rule"]["id"] == "us-schedule-a-answer"
    assert c["deadline"]["at"] == "2026-11-27T23:59:59Z"
    assert len(c["deadlines"]) == 1 and c["deadlines"][0]["from"] == "served"
    cid = c["id"]
    # The TRO counts from its entry, which staff record.
    r = s.post(f"/api/v1/cases/{cid}/deadlines", {"rule": "us-schedule-a-tro-expiry",
                                                  "from_at": "2026-11-02"}, token=d.tri)
    assert r.status == 201, r
    c = r.json()
    tro = next(x for x in c["deadlines"] if x["kind"] == "tro_expiry")
    assert tro["at"] == "2026-11-16T23:59:59Z" and tro["from"] == "entered"
    assert "65(b)(2)" in tro["source"] and tro["calendar"]["covered"] is True
    assert c["deadline"]["id"] == tro["id"]           # the next open one
    # Extended once for good cause, a like period; not twice.
    r = s.request("PATCH", f"/api/v1/cases/{cid}/deadlines/{tro['id']}",
                  body={"extend": True, "reason": "Order of 13 Nov"}, token=d.tri)
    assert r.status == 200, r
    tro = next(x for x in r.json()["deadlines"] if x["id"] == tro["id"])
    assert tro["at"] == "2026-11-30T23:59:59Z" and tro["extensions"] == 1
    problem(s.request("PATCH", f"/api/v1/cases/{cid}/deadlines/{tro['id']}",
                      body={"extend": True, "reason": "again"}, token=d.tri), 409,
            "no-extension")
    # A hearing on a date the court set, by kind.
    r = s.post(f"/api/v1/cases/{cid}/deadlines", {"kind": "pi_hearing",
                                                  "from_at": "2026-12-10"}, token=d.tri)
    assert r.status == 201, r
    hearing = next(x for x in r.json()["deadlines"] if x["kind"] == "pi_hearing")
    assert hearing["at"] == "2026-12-10T23:59:59Z" and hearing["remind_days"] == 3
    # Done, and no longer the next; removed.
    r = s.request("PATCH", f"/api/v1/cases/{cid}/deadlines/{tro['id']}", body={"done": True},
                  token=d.tri)
    assert r.json()["deadline"]["rule"]["id"] == "us-schedule-a-answer"
    assert s.request("DELETE", f"/api/v1/cases/{cid}/deadlines/{hearing['id']}",
                     token=d.tri).status == 200
    assert s.request("DELETE", f"/api/v1/cases/{cid}/deadlines/{hearing['id']}",
                     token=d.tri).status == 404
    # Refusals name the field; exporters may not add deadlines.
    p = problem(s.post(f"/api/v1/cases/{cid}/deadlines", {"rule": "cnipa-opposition",
                                                          "from_at": "2026-07-01"},
                       token=d.tri), 400, "validation")
    assert [e["pointer"] for e in p["errors"]] == ["/rule"]
    p = problem(s.post(f"/api/v1/cases/{cid}/deadlines", {"rule": "us-tro-expiry"},
                       token=d.tri), 400, "validation")
    problem(s.post(f"/api/v1/cases/{cid}/deadlines", {"at": "2026-12-01"}, token=d.tri), 400,
            "validation")
    assert s.post(f"/api/v1/cases/{cid}/deadlines", {"kind": "other", "at": "2026-12-01",
                                                     "reason": "x"}, token=d.exp).status == 404
    # China: an opposition period ending on National Day moves past the holiday.
    cn = d.file(type="opposition", country="CN", own_role="opponent", served_at="2026-07-01",
                rights=[])
    assert cn["deadline"]["rule"]["id"] == "cnipa-opposition"
    assert cn["deadline"]["at"] == "2026-10-08T15:59:59Z"      # 8 Oct, midnight in Beijing
    # The opposed exporter's rule is the answer, 30 days from receipt.
    cn2 = d.file(type="opposition", country="CN", own_role="applicant", served_at="2026-09-03",
                 rights=[])
    assert cn2["deadline"]["rule"]["id"] == "cnipa-opposition-answer"
    assert cn2["deadline"]["at"] == "2026-10-08T15:59:59Z"
    # The calendar by day and week: staff see the centre's, the exporter their own.
    cal = s.get("/api/v1/deadlines?from=2026-10-01&until=2026-12-31", token=d.tri).json()
    dates = {x["date"]: x for x in cal["days"]}
    assert "2026-10-08" in dates and dates["2026-10-08"]["week"] == "2026-W41"
    assert {i["case_id"] for i in dates["2026-10-08"]["items"]} == {cn["id"], cn2["id"]}
    assert dates["2026-11-27"]["items"][0]["rule"]["id"] == "us-schedule-a-answer"
    assert cal["weeks"]["2026-W41"] == 2
    mine = s.get("/api/v1/deadlines?from=2026-10-01&until=2026-12-31", token=d.exp).json()
    assert sum(len(x["items"]) for x in mine["days"]) == sum(len(x["items"])
                                                               for x in cal["days"])
    p = problem(s.get("/api/v1/deadlines?from=2026-10-01&until=2028-01-01", token=d.tri), 400)
    assert [e["parameter"] for e in p["errors"]] == ["until"]


def test_templates_in_both_languages_and_internal_notes(s):
    d = Desk(s, "templates")
    clock(s, 0)
    c = d.file(served_at="2026-03-02")
    body = {"name": "Answer reminder",
            "texts": {"en": "Dear {exporter}: case {case} must be answered by {deadline} "
                            "under {rule}. {{not a placeholder}}",
                      "zh-CN": "{exporter}：案件{case}须在{deadline}前答辩（{rule}）。"}}
    r = s.post("/api/v1/templates", body, token=d.tri)
    assert r.status == 201, r
    tid = r.json()["id"]
    p = problem(s.post("/api/v1/templates", {"name": "x", "texts": {
        "en": "Hello {customer}", "zh-CN": "你好 {exporter"}}, token=d.tri), 400, "validation")
    assert sorted(e["pointer"] for e in p["errors"]) == ["/texts/en", "/texts/zh-CN"]
    assert "{customer}" in p["errors"][0]["message"] + p["errors"][1]["message"]
    assert s.get("/api/v1/templates", token=d.xp).json()["items"][0]["id"] == tid
    assert s.post("/api/v1/templates", body, token=d.xp).status == 403
    r = s.post(f"/api/v1/cases/{c['id']}/messages", {"template": tid, "lang": "en"},
               token=d.tri)
    assert r.status == 201, r
    en = r.json()["text"]
    assert en.startswith(f"Dear Exporter templates Co., Ltd.: case #{c['id']} must be "
                         "answered by 2026-03-23 23:59 (UTC) under Answer or move")
    assert "FRCP 12(a)(1)(A)(i)" in en and en.endswith("{not a placeholder}")
    r = s.post(f"/api/v1/cases/{c['id']}/messages", {"template": tid, "lang": "zh-CN"},
               token=d.tri)
    zh = r.json()["text"]
    assert zh.startswith(f"Exporter templates Co., Ltd.：案件#{c['id']}须在2026-03-23 23:59 (UTC)前")
    problem(s.post(f"/api/v1/cases/{c['id']}/messages", {"template": tid, "text": "x"},
                   token=d.tri), 400, "validation")
    problem(s.post(f"/api/v1/cases/{c['id']}/messages", {"template": 999999},
                   token=d.tri), 400, "validation")
    # An internal note: staff see it, the exporter never.
    r = s.post(f"/api/v1/cases/{c['id']}/messages", {"text": "Opposing counsel is slow.",
                                                     "internal": True}, token=d.tri)
    assert r.status == 201, r
    staff = s.get(f"/api/v1/cases/{c['id']}/messages", token=d.tri).json()["items"]
    seen = s.get(f"/api/v1/cases/{c['id']}/messages", token=d.exp).json()["items"]
    hist = s.get(f"/api/v1/cases/{c['id']}/history", token=d.exp).json()["items"]
    assert any(m["text"] == "Opposing counsel is slow." for m in staff)
    assert [m["text"] for m in seen] == [en, zh]
    assert "Opposing counsel" not in json.dumps(hist)
    # The expert offer says why, and how to assign in one call.
    d.move(c, "accepted", d.tri)
    offer = s.get(f"/api/v1/cases/{c['id']}/experts", token=d.tri).json()
    best = offer["offered"]
    assert best["id"] == d.expert["id"]
    assert [x["fit"] for x in best["reasons"]][:2] == ["country", "ip_types"]
    r = s.post(best["assign"]["path"], best["assign"]["body"], token=d.tri)
    assert r.status == 200 and r.json()["assignee"]["id"] == d.expert["id"]
