"""The station app's backend through nginx (issue 18): an offline batch synced hours later and
judged on the device's times, re-sends that change nothing and edited ones shown as conflicts
with both versions, an Idempotency-Key that does not keep a 404 a later state changes, the
station's photo followed into the escalated case and downloaded by its exporter with the hash
checked, companies looked up by name in either script across fairs, attendees picked by name
with the matcher's recognition first, alerts that name nobody to uninvolved attendees, and the
organiser's report in the fair's local time in three languages."""
import datetime
import hashlib
import http.client
import json
import urllib.parse

from harness import pointers, problem, wait_until

HOUR = 3600


def clock(s, hours):
    s.redis("SET", "sw:testclock:offset_ms", str(int(hours * HOUR * 1000)))


def iso(t, offset_h=0):
    """t (an aware datetime) as ISO 8601 in the offset offset_h, as a device writes it."""
    tz = datetime.timezone(datetime.timedelta(hours=offset_h))
    return t.astimezone(tz).isoformat(timespec="seconds")


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


class Desk:
    """A show around today (or on the days given) with its station and token."""

    def __init__(self, s, tag, country="CN", days=None, **kw):
        self.s = s
        today = now().date()
        starts, ends = days or (str(today - datetime.timedelta(days=3)),
                                str(today + datetime.timedelta(days=3)))
        body = {"id": f"desk-{tag}", "name": f"Desk Fair {tag}", "city": "Guangzhou",
                "country": country, "venue": "Pazhou Complex", "starts": starts, "ends": ends,
                "organiser": "Fair Organiser Ltd"}
        body.update(kw)
        self.show = s.make("/api/v1/shows", body)
        self.id = self.show["id"]
        self.station = s.make("/api/v1/stations", {"name": f"Station {tag}", "show": self.id,
                                                   "country": country,
                                                   "email": "desk@station.example"})
        self.tok = s.token_for("station", self.station["id"])

    def batch(self, items, key=None, tok=None):
        return self.s.post(f"/api/v1/shows/{self.id}/incidents/batch", {"incidents": items},
                           token=tok or self.tok,
                           headers={"Idempotency-Key": key} if key else None)

    def post(self, body, key=None):
        return self.s.post(f"/api/v1/shows/{self.id}/incidents", body, token=self.tok,
                           headers={"Idempotency-Key": key} if key else None)

    def patch(self, iid, body):
        return self.s.request("PATCH", f"/api/v1/incidents/{iid}", body, token=self.tok)

    def incidents(self):
        r = self.s.get(f"/api/v1/shows/{self.id}/incidents?limit=200", token=self.tok)
        assert r.status == 200, r
        return r.json()["items"]


def record(key, **kw):
    body = {"key": key, "kind": "complaint_received", "booth": "5.1 C12", "hall": "5.1",
            "product_category": "LED lamps",
            "exhibitor": {"name": "Ningbo Desk Lamp Works Co., Ltd.", "country": "CN"},
            "complainant": {"name": "Brightlight GmbH", "country": "DE"},
            "rights": [{"type": "design", "number": "EM 001234567-0001", "country": "EM"}],
            "measures": ["complaint handed to exhibitor"], "notes": "Two lamps on display."}
    body.update(kw)
    return {k: v for k, v in body.items() if v is not None}


def upload(s, tok, iid, data, name="photo.jpg", sha=None):
    q = f"?name={name}&sha256={sha or hashlib.sha256(data).hexdigest()}"
    return s.request("POST", f"/api/v1/incidents/{iid}/evidence{q}", raw=data, token=tok,
                     headers={"Content-Type": "image/jpeg"})


def body_bytes(s, path, token):
    """The response body as bytes (the harness decodes bodies as text)."""
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        r = conn.getresponse()
        assert r.status == 200, r.status
        return r.read()
    finally:
        conn.close()


def test_offline_batch_synced_hours_later_nothing_doubled_edits_conflict(s):
    """Three incidents logged offline and sent 30 hours later, one answered two hours after
    its complaint: judged on the device's times, the server's beside them. Exactly three
    incidents and one evidence file; sent again nothing doubles; an edited re-send is a
    conflict with both versions, nothing overwritten, until the station resolves it."""
    clock(s, 0)
    d = Desk(s, "offline")
    t0 = now() - datetime.timedelta(hours=30)
    items = [record("dev-1", received_at=iso(t0, 8)),
             record("dev-2", received_at=iso(t0 + datetime.timedelta(minutes=20), 8),
                    status="answered", answered_at=iso(t0 + datetime.timedelta(hours=2), 8),
                    answer="Lamps removed."),
             record("dev-3", received_at=iso(t0 + datetime.timedelta(hours=1), 2),
                    kind="booth_inspection")]
    r = d.batch(items, key="sync-1")
    assert r.status == 200, r
    out = r.json()
    assert [x["status"] for x in out["results"]] == ["stored"] * 3, out
    assert (out["stored"], out["duplicate"], out["conflict"], out["rejected"]) == (3, 0, 0, 0)
    ids = [x["id"] for x in out["results"]]
    one = s.get(f"/api/v1/incidents/{ids[0]}", token=d.tok).json()
    assert one["received_at"] == t0.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert one["device"] == {"received_at": iso(t0, 8)}
    server = datetime.datetime.fromisoformat(one["server_received_at"].replace("Z", "+00:00"))
    assert server - t0 >= datetime.timedelta(hours=29), one    # the server saw it later
    # Judged on the device's times: overdue now (24 hours passed), and the answered one in
    # time, although the server learnt of the answer 28 hours after the complaint.
    assert one["deadline"]["status"] == "overdue", one
    two = s.get(f"/api/v1/incidents/{ids[1]}", token=d.tok).json()
    assert two["deadline"]["status"] == "answered_in_time", two
    assert two["answered_at"] == (t0 + datetime.timedelta(hours=2)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert two["server_answered_at"] and two["server_answered_at"] > two["answered_at"]
    # One photo, with its hash as the browser computed it.
    photo = b"\xff\xd8\xff\xe0 scaled booth photo " * 40
    up = upload(s, d.tok, ids[0], photo)
    assert up.status == 201 and up.json()["sha256"] == hashlib.sha256(photo).hexdigest(), up
    # Everything sent again (the answers were lost on the way): nothing doubles.
    again = d.batch(items, key="sync-2").json()
    assert [x["status"] for x in again["results"]] == ["duplicate"] * 3, again
    assert [x["id"] for x in again["results"]] == ids
    assert upload(s, d.tok, ids[0], photo).status == 200
    assert sorted(x["id"] for x in d.incidents()) == sorted(ids)
    ev = s.get(f"/api/v1/incidents/{ids[0]}/evidence", token=d.tok).json()["items"]
    assert len(ev) == 1 and ev[0]["sha256"] == hashlib.sha256(photo).hexdigest()
    # An edited re-send under the same key: a conflict showing both, nothing overwritten.
    edited = [dict(items[0]), dict(items[1], notes="Three lamps on display."), dict(items[2])]
    r = d.batch(edited, key="sync-3")
    assert r.status == 200, r
    res = r.json()
    assert [x["status"] for x in res["results"]] == ["duplicate", "conflict", "duplicate"]
    assert res["conflict"] == 1
    c = res["results"][1]
    assert c["id"] == ids[1] and c["url"] == f"/api/v1/incidents/{ids[1]}"
    assert c["stored"]["notes"] == "Two lamps on display."
    assert c["sent"]["notes"] == "Three lamps on display." and c["sent"]["key"] == "dev-2"
    assert c["differs"] == ["notes"] and len(c["sent_sha256"]) == 64
    assert s.get(f"/api/v1/incidents/{ids[1]}", token=d.tok).json()["notes"] == \
        "Two lamps on display."
    assert len(d.incidents()) == 3
    # The answer with a conflict was not kept: once resolved, the same request under the
    # same Idempotency-Key answers afresh.
    r = d.patch(ids[1], {"notes": "Three lamps on display.", "resolves": c["sent_sha256"]})
    assert r.status == 200 and r.json()["notes"] == "Three lamps on display.", r
    res = d.batch(edited, key="sync-3").json()
    assert [x["status"] for x in res["results"]] == ["duplicate"] * 3, res
    # A single record re-sent edited: 409 with both versions; kept as stored by resolving
    # with the hash alone, after which that version is a duplicate.
    p = problem(d.post(dict(items[2], booth="9.9 Z1")), 409, "submission-conflict")
    assert p["id"] == ids[2] and p["stored"]["booth"] == "5.1 C12"
    assert p["sent"]["booth"] == "9.9 Z1" and p["differs"] == ["booth"]
    assert d.patch(ids[2], {"resolves": p["sent_sha256"]}).status == 200
    r = d.post(dict(items[2], booth="9.9 Z1"))
    assert r.status == 200 and r.json()["booth"] == "5.1 C12", r
    assert r.header("Idempotent-Replayed") == "true"
    hist = s.get(f"/api/v1/incidents/{ids[2]}/history", token=d.tok).json()["items"]
    assert hist[-1]["after"] == {"resolves": p["sent_sha256"]}
    assert len(d.incidents()) == 3


def test_device_times_refused_when_no_clock_could_have_made_them(s):
    clock(s, 0)
    d = Desk(s, "times")
    t = now()
    r = d.batch([record("bad-1", received_at=iso(t + datetime.timedelta(hours=2), 8)),
                 record("bad-2", received_at="2020-01-01T10:00:00+08:00"),
                 record("bad-3", received_at="2026-10-15T10:00:00"),
                 record("bad-4", received_at=iso(t - datetime.timedelta(hours=3)),
                        status="answered", answered_at=iso(t - datetime.timedelta(hours=4))),
                 record("bad-5", answered_at=iso(t)),
                 record("good", received_at=iso(t + datetime.timedelta(seconds=60)))])
    assert r.status == 200, r
    res = r.json()["results"]
    assert [x["status"] for x in res] == ["rejected"] * 5 + ["stored"], res
    assert [pointers({"errors": x["errors"]}) for x in res[:5]] == [
        ["/incidents/0/received_at"], ["/incidents/1/received_at"],
        ["/incidents/2/received_at"], ["/incidents/3/answered_at"],
        ["/incidents/4/answered_at"]], res
    assert "clock" in res[0]["errors"][0]["message"]
    assert "before the show" in res[1]["errors"][0]["message"]
    assert "offset" in res[2]["errors"][0]["message"]
    # The answer time a device recorded, sent with the change to answered.
    good = res[5]["id"]
    r = d.patch(good, {"status": "answered", "answered_at": iso(t + datetime.timedelta(hours=9),
                                                                 8)})
    p = problem(r, 400, "validation")
    assert pointers(p) == ["/answered_at"]
    p = problem(d.patch(good, {"answered_at": iso(t)}), 400, "validation")   # still open
    assert pointers(p) == ["/answered_at"]
    clock(s, 30)   # the answer reaches the server 30 hours later, recorded 3 hours in
    try:
        r = d.patch(good, {"status": "answered",
                           "answered_at": iso(t + datetime.timedelta(hours=3), -5)})
        assert r.status == 200, r
        v = r.json()
        assert v["deadline"]["status"] == "answered_in_time", v
        assert v["device"]["answered_at"] == iso(t + datetime.timedelta(hours=3), -5)
        assert v["server_answered_at"] > v["answered_at"]
    finally:
        clock(s, 0)


def test_idempotency_key_does_not_keep_a_404_a_later_state_changes(s):
    """A batch sent before its show existed answered 404; the show is made, and the same batch
    under the same key stores. A validation answer is still kept and replayed."""
    show = "desk-later-2026"
    body = {"incidents": [record("later-1")]}
    r = s.post(f"/api/v1/shows/{show}/incidents/batch", body, token=s.admin,
               headers={"Idempotency-Key": "later-batch"})
    assert r.status == 404, r
    today = now().date()
    s.make("/api/v1/shows", {"id": show, "name": "Desk Later 2026", "country": "CN",
                             "starts": str(today), "ends": str(today)})
    r = s.post(f"/api/v1/shows/{show}/incidents/batch", body, token=s.admin,
               headers={"Idempotency-Key": "later-batch"})
    assert r.status == 200 and r.header("Idempotent-Replayed") is None, r
    assert [x["status"] for x in r.json()["results"]] == ["stored"]
    again = s.post(f"/api/v1/shows/{show}/incidents/batch", body, token=s.admin,
                   headers={"Idempotency-Key": "later-batch"})
    assert again.status == 200 and again.header("Idempotent-Replayed") == "true"
    assert again.json() == r.json()
    bad = {"incidents": []}
    for _ in range(2):
        r = s.post(f"/api/v1/shows/{show}/incidents/batch", bad, token=s.admin,
                   headers={"Idempotency-Key": "later-bad"})
        problem(r, 400, "validation")
    assert r.header("Idempotent-Replayed") == "true"
    # An item naming a subscriber that does not exist yet is not kept either.
    ghost = {"incidents": [record("later-2", exhibitor={"name": "Later Ghost Works",
                                                        "subscriber_id": 987654321})]}
    for _ in range(2):
        r = s.post(f"/api/v1/shows/{show}/incidents/batch", ghost, token=s.admin,
                   headers={"Idempotency-Key": "later-ghost"})
        assert r.status == 200 and r.json()["results"][0]["status"] == "rejected", r
        assert r.header("Idempotent-Replayed") is None


def test_the_stations_photo_follows_the_incident_into_the_case(s):
    centre = s.make("/api/v1/centres", {"name": "Photo Centre", "country": "CN"})
    sub, etok = s.tenant("Ningbo Photo Lamp Works Co., Ltd.")
    other, otok = s.tenant("Photo Bystander Ltd")
    d = Desk(s, "photo")
    r = d.post(record("ph-1", exhibitor={"name": "Ningbo Photo Lamp Works Co., Ltd.",
                                         "subscriber_id": sub["id"]}))
    assert r.status == 201, r
    iid = r.json()["id"]
    photo = bytes(range(256)) * 64
    h = hashlib.sha256(photo).hexdigest()
    assert upload(s, d.tok, iid, photo, name="booth-c12.jpg").status == 201
    r = s.post(f"/api/v1/incidents/{iid}/escalate", {"centre_id": centre["id"]}, token=d.tok)
    assert r.status == 201, r
    cid = r.json()["case"]["id"]
    case = s.get(f"/api/v1/cases/{cid}", token=etok).json()
    assert case["evidence_refs"] == [{"name": "booth-c12.jpg", "sha256": h, "size": len(photo),
                                      "url": f"/api/v1/cases/{cid}/evidence/{h}"}]
    items = s.get(f"/api/v1/cases/{cid}/evidence", token=etok).json()["items"]
    assert [(i["name"], i["sha256"], i["from_incident"], i["url"]) for i in items] == [
        ("booth-c12.jpg", h, iid, f"/api/v1/cases/{cid}/evidence/{h}")], items
    dl = s.request("GET", f"/api/v1/cases/{cid}/evidence/{h}", token=etok)
    assert dl.status == 200 and dl.header("X-Content-SHA256") == h, dl
    # The body is the photo: hashed here as the exporter's browser would.
    assert hashlib.sha256(body_bytes(s, f"/api/v1/cases/{cid}/evidence/{h}", etok)).hexdigest() \
        == h
    # Only through the case: not the incident's route, not another exporter.
    assert s.get(f"/api/v1/incidents/{iid}/evidence/{h}", token=etok).status == 404
    assert s.get(f"/api/v1/cases/{cid}/evidence/{h}", token=otok).status == 404
    assert s.get(f"/api/v1/cases/{cid}/evidence", token=otok).status == 404
    # A photo the station adds after the escalation follows too.
    later = b"later photo" * 100
    assert upload(s, d.tok, iid, later, name="later.jpg").status == 201
    got = {i["name"] for i in s.get(f"/api/v1/cases/{cid}/evidence",
                                    token=etok).json()["items"]}
    assert got == {"booth-c12.jpg", "later.jpg"}


def test_parties_looked_up_by_name_in_either_script_across_fairs(s):
    a = Desk(s, "party-a", days=("2026-04-15", "2026-04-19"))
    b = Desk(s, "party-b", days=("2026-10-15", "2026-10-19"))
    i1 = a.post(record("pa-1", exhibitor={"name": "深圳市山寨电子有限公司"}, kind="goods_removed",
                       received_at="2026-04-16T10:00:00+08:00")).json()
    i2 = b.post(record("pb-1", complainant={"name": "Shenzhen Shanzhai Electronics Co., Ltd."},
                       exhibitor={"name": "Party Copy Works"},
                       received_at="2026-10-16T10:00:00+08:00")).json()
    i3 = b.post(record("pb-2", exhibitor={"name": "Shenzhen Shanzhai Trading Co., Ltd."},
                       received_at="2026-10-17T10:00:00+08:00")).json()
    for q in ("深圳市山寨电子有限公司", "Shenzhen Shanzhai Electronics Co., Ltd.", "山寨电子"):
        r = s.get(f"/api/v1/parties?q={urllib.parse.quote(q)}&limit=50", token=a.tok)
        assert r.status == 200, (q, r)
        out = r.json()
        firm = [p for p in out["items"] if any(h["incident_id"] == i1["id"] for h in p["history"])]
        assert len(firm) == 1, (q, out)
        firm = firm[0]
        assert firm["match"] in ("exact", "same_trade_name"), firm
        assert {"深圳市山寨电子有限公司", "Shenzhen Shanzhai Electronics Co., Ltd."} <= \
            set(firm["names"]), firm
        mine = {h["incident_id"]: h for h in firm["history"]}
        assert mine[i1["id"]]["as"] == "exhibitor" and mine[i1["id"]]["show"] == a.id
        assert mine[i2["id"]]["as"] == "complainant" and mine[i2["id"]]["show"] == b.id
        assert mine[i1["id"]]["kind"] == "goods_removed"
        assert mine[i2["id"]]["other_party"] == "Party Copy Works"
        assert {f["show"] for f in firm["fairs"]} >= {a.id, b.id}
        assert {f["name"] for f in firm["fairs"] if f["show"] == a.id} == {"Desk Fair party-a"}
        assert firm["roles"]["exhibitor"] >= 1 and firm["roles"]["complainant"] >= 1
        assert firm["outcomes"]["open"] >= 2
        # Another business of the same trade name is another company, found apart.
        trading = [p for p in out["items"]
                   if any(h["incident_id"] == i3["id"] for h in p["history"])]
        assert len(trading) == 1 and trading[0] is not firm
        assert i3["id"] not in mine
    # The incidents' parties are in the register too: the company's id names its record.
    def with_id():
        out = s.get(f"/api/v1/parties?q={urllib.parse.quote('山寨电子')}&limit=50",
                    token=a.tok).json()
        f = [p for p in out["items"] if any(h["incident_id"] == i1["id"] for h in p["history"])]
        return f[0] if f and f[0]["id"] else None
    firm = wait_until("the company's register id", with_id)
    # The register files each incident's event as it comes (the two may come apart).
    def both_roles():
        r = s.get(f"/api/v1/parties/{firm['id']}", token=a.tok)
        assert r.status == 200, r
        got = r.json()
        return got if {c["role"] for c in got["cases"]} == {"exhibitor", "complainant"} else None
    rec = wait_until("both incidents in the register", both_roles)
    assert {c["type"] for c in rec["cases"]} == {"show_incident"}, rec
    # The beginning of a trade name finds it, less surely.
    out = s.get("/api/v1/parties?q=Shanzh&limit=50", token=s.admin).json()
    hit = [p for p in out["items"] if any(h["incident_id"] == i1["id"] for h in p["history"])]
    assert hit and hit[0]["match"] == "similar", out
    # Paged by position.
    page = s.get("/api/v1/parties?q=Shanzhai&limit=1", token=s.admin).json()
    assert len(page["items"]) == 1 and page["next"] == "1", page
    rest = s.get(f"/api/v1/parties?q=Shanzhai&limit=50&cursor={page['next']}",
                 token=s.admin).json()
    assert page["items"][0]["name"] not in [p["name"] for p in rest["items"]]
    p = problem(s.get("/api/v1/parties", token=a.tok), 400, "validation")
    assert p["errors"][0]["parameter"] == "q"
    problem(s.get("/api/v1/parties?q=%21%21", token=a.tok), 400, "validation")
    _, etok = s.tenant("Nosy Party Exporter")
    problem(s.get("/api/v1/parties?q=Shanzhai", token=etok), 403, "forbidden")


def test_attendees_by_name_and_escalation_without_ids(s):
    centre = s.make("/api/v1/centres", {"name": "Attendee Centre", "country": "CN"})
    d = Desk(s, "attend")
    lamp, ltok = s.tenant("Lamp Export Desk")          # attends; its company name in Chinese
    for item in ({"kind": "show", "show": d.id},
                 {"kind": "name", "text": "宁波明灯照明电器有限公司",
                  "aliases": ["Ningbo Mingdeng Lighting Co., Ltd."]}):
        assert s.post(f"/api/v1/subscribers/{lamp['id']}/portfolio", item,
                      token=ltok).status == 201
    near, ntok = s.tenant("Ningbo Mingteng Lighting Co., Ltd.")   # attends; a letter apart
    assert s.post(f"/api/v1/subscribers/{near['id']}/portfolio", {"kind": "show", "show": d.id},
                  token=ntok).status == 201
    away, atok = s.tenant("Ningbo Mingdeng Away Desk")            # does not attend
    assert s.get(f"/api/v1/shows/{d.id}/attendees?q=Ningbo%20Mingdeng",
                 token=d.tok).status == 200
    r = s.get(f"/api/v1/shows/{d.id}/attendees?q=Ningbo%20Mingdeng%20Lighting", token=d.tok)
    assert r.status == 200, r
    got = [(x["subscriber_id"], x["match"]) for x in r.json()["items"]]
    assert got == [(lamp["id"], "same_trade_name"), (near["id"], "similar")], got
    assert r.json()["items"][0]["matched_name"] in ("宁波明灯照明电器有限公司",
                                                    "Ningbo Mingdeng Lighting Co., Ltd.")
    assert away["id"] not in [x["subscriber_id"] for x in r.json()["items"]]
    every = s.get(f"/api/v1/shows/{d.id}/attendees", token=d.tok).json()["items"]
    assert {x["subscriber_id"] for x in every} == {lamp["id"], near["id"]}
    # Logged: the exhibitor is matched against the attendees at once ...
    r = d.post(record("at-1", exhibitor={"name": "NINGBO MINGDENG LIGHTING CO LTD"}))
    assert r.status == 201, r
    inc = r.json()
    sg = inc["exhibitor"]["suggested"]
    assert sg["subscriber_id"] == lamp["id"], sg
    # (The matcher may already have matched the event by the time the answer is read back:
    # its recognition then stands in the answer, as it does in every later view.)
    assert (sg["by"], sg["match"]) in (("attendees", "same_trade_name"),
                                       ("matcher", "exact")), sg
    # ... and the matcher's own recognition (it knows every subscriber's company names) is
    # offered first once it has matched the event.
    view = wait_until("the matcher's recognition", lambda: (lambda v: v if v["exhibitor"].get(
        "suggested", {}).get("by") == "matcher" else None)(
        s.get(f"/api/v1/incidents/{inc['id']}", token=d.tok).json()))
    assert view["exhibitor"]["suggested"]["subscriber_id"] == lamp["id"]
    r = s.get(f"/api/v1/shows/{d.id}/attendees?incident={inc['id']}", token=d.tok).json()
    assert r["items"][0]["subscriber_id"] == lamp["id"] and r["items"][0]["suggested"] is True
    assert r["items"][0]["suggested_by"] == "matcher" and r["q"] == inc["exhibitor"]["name"]
    assert [x["suggested"] for x in r["items"][1:]] == [False] * (len(r["items"]) - 1)
    # Escalated to the suggestion, no id given.
    r = s.post(f"/api/v1/incidents/{inc['id']}/escalate",
               {"use_suggestion": True, "centre_id": centre["id"]}, token=d.tok)
    assert r.status == 201, r
    case = s.get(f"/api/v1/cases/{r.json()['case']['id']}", token=ltok)
    assert case.status == 200 and case.json()["subscriber_id"] == lamp["id"]
    # Nobody suggested: 409 naming where to pick from.
    lone = d.post(record("at-2", exhibitor={"name": "Harbin Unknown Pumps Co., Ltd."})).json()
    assert "suggested" not in lone["exhibitor"]
    p = problem(s.post(f"/api/v1/incidents/{lone['id']}/escalate", {"use_suggestion": True},
                       token=d.tok), 409, "no-suggestion")
    assert f"/api/v1/shows/{d.id}/attendees" in p["detail"]
    # Another show's station sees none of it; an incident of another show is refused.
    other = Desk(s, "attend-other")
    assert s.get(f"/api/v1/shows/{d.id}/attendees", token=other.tok).status == 404
    p = problem(s.get(f"/api/v1/shows/{other.id}/attendees?incident={inc['id']}",
                      token=other.tok), 400, "validation")
    assert p["errors"][0]["parameter"] == "incident"


def test_alerts_name_nobody_to_attendees_who_are_no_party(s):
    d = Desk(s, "privacy")
    visitor, vtok = s.tenant("Privacy Visiting Exporter Ltd")
    accused, xtok = s.tenant("Qingdao Privacy Widget Manufacturing Co., Ltd.")
    plaintiff, ptok = s.tenant("Hangzhou Privacy Brand Holdings Co., Ltd.")
    for sub, tok, items in (
            (visitor, vtok, [{"kind": "show", "show": d.id}]),
            (accused, xtok, [{"kind": "show", "show": d.id},
                             {"kind": "name", "text": "Qingdao Privacy Widget Manufacturing Co., Ltd."}]),
            (plaintiff, ptok, [{"kind": "show", "show": d.id},
                               {"kind": "name", "text": "Hangzhou Privacy Brand Holdings Co., Ltd."}])):
        for it in items:
            assert s.post(f"/api/v1/subscribers/{sub['id']}/portfolio", it,
                          token=tok).status == 201
    exh, comp = "QINGDAO PRIVACY WIDGET MANUFACTURING CO LTD", "Hangzhou Privacy Brand Holdings"
    inc = d.post(record("pr-1", exhibitor={"name": exh},
                        complainant={"name": comp + " Co., Ltd."}, hall="7.2",
                        booth="7.2 K40", product_category="Garden tools",
                        rights=[{"type": "patent", "number": "CN 201910123456.7",
                                 "country": "CN"}],
                        notes=f"{exh} refused; {comp} asked for the goods to go.")).json()

    def alert(tok):
        items = s.get("/api/v1/alerts?type=show_incident&limit=50", token=tok).json()["items"]
        got = [a for a in items if a["event"].get("incident_id") == inc["id"]]
        return got[0] if got else None
    seen = wait_until("the visitor's alert", lambda: alert(vtok))
    assert [x["rule"] for x in seen["items"]] == ["show-attended"]
    ev = seen["event"]
    assert (ev["show"], ev["show_name"], ev["hall"], ev["product_category"]) == (
        d.id, "Desk Fair privacy", "7.2", "Garden tools")
    assert ev["rights_kinds"] == ["patent"] and ev["kind"] == "complaint_received"
    assert ev["names_withheld"] is True
    text = json.dumps(seen, ensure_ascii=False)
    for secret in ("Qingdao", "QINGDAO", "Hangzhou", "K40", "201910123456"):
        assert secret not in text, (secret, seen)
    # Not found by the names either.
    for q in ("Qingdao", "Hangzhou"):
        found = s.get(f"/api/v1/alerts?type=show_incident&q={q}", token=vtok).json()["items"]
        assert [a for a in found if a["event"].get("incident_id") == inc["id"]] == []
    # The accused exhibitor's own alert keeps the names: it has to answer the complaint.
    mine = wait_until("the accused's alert", lambda: alert(xtok))
    assert "named-as-exhibitor" in [x["rule"] for x in mine["items"]]
    names = {p["role"]: p["name"] for p in mine["event"]["parties"]}
    assert names == {"exhibitor": exh, "complainant": comp + " Co., Ltd."}
    assert mine["event"]["booth"] == "7.2 K40" and "names_withheld" not in mine["event"]
    # The complainant is a party too, and sees the incident as such.
    theirs = wait_until("the complainant's alert", lambda: alert(ptok))
    assert "named-as-complainant" in [x["rule"] for x in theirs["items"]]
    assert {p["name"] for p in theirs["event"]["parties"]} == {exh, comp + " Co., Ltd."}
    # Staff read the incident whole.
    assert s.get(f"/api/v1/incidents/{inc['id']}", token=s.admin).json()["exhibitor"]["name"] \
        == exh


def test_organisers_report_in_the_fairs_local_time_and_three_languages(s):
    """A fair in Germany (its zone the capital's, Europe/Berlin) across the end of summer time:
    times shown as the fair's clocks showed them, labels in Chinese, English and German."""
    d = Desk(s, "report", country="DE", days=("2026-10-22", "2026-10-27"),
             city="Köln", venue="Koelnmesse")
    assert (d.show["tz"], d.show["tz_from"]) == ("Europe/Berlin", "country")
    a = d.post(record("rp-1", received_at="2026-10-23T08:30:00Z")).json()
    b = d.post(record("rp-2", received_at="2026-10-26T08:30:00+00:00", status="answered",
                      answered_at="2026-10-26T10:05:00+01:00", kind="goods_removed")).json()
    assert b["deadline"]["status"] == "answered_in_time"
    base = f"/api/v1/shows/{d.id}/incidents/export?format=html"
    de = s.get(base + "&lang=de", token=d.tok)
    assert de.status == 200 and de.header("Content-Language") == "de", de
    body = de.body
    assert "<html lang=de>" in body
    assert "2026-10-23 10:30" in body                             # CEST, +02:00
    assert "2026-10-26 09:30 (UTC+01:00) †" in body               # CET after the change
    assert "2026-10-26 10:05 (UTC+01:00) †" in body
    assert "Europe/Berlin (UTC+02:00)" in body
    for label in ("Aussteller", "Beschwerdeführer", "Beschwerde eingegangen", "Waren entfernt",
                  "Fristgerecht beantwortet", "Zusammenfassung", "Ortszeit"):
        assert label in body, label
    assert "<tr><th>Vorfälle</th><td class=n>2</td></tr>" in body
    assert "<tr><th>Beschwerde eingegangen</th><td class=n>1</td></tr>" in body
    assert "<tr><th>Offen</th><td class=n>1</td></tr>" in body
    assert "<tr><th>Fristgerecht beantwortet</th><td class=n>1</td></tr>" in body
    en = s.get(base + "&lang=en", token=d.tok).body
    assert "<th>Exhibitor</th>" in en and "Answered in time" in en and "Aussteller" not in en
    zh = s.get(base + "&lang=zh-CN", token=d.tok)
    assert zh.header("Content-Language") == "zh-CN" and "<html lang=zh-CN>" in zh.body
    assert "Exhibitor" not in zh.body and "Aussteller" not in zh.body
    assert "<th>参展商</th>" in zh.body and "概要" in zh.body
    both = s.get(base, token=d.tok).body                          # the default: all three
    assert ('<span class=l lang=zh-CN>参展商</span><span class=l lang=en>Exhibitor</span>'
            '<span class=l lang=de>Aussteller</span>') in both
    # A print layout: landscape pages, the table's head on each.
    assert "@page{size:A4 landscape" in both and "thead{display:table-header-group}" in both
    p = problem(s.get(base + "&lang=fr", token=d.tok), 400, "validation")
    assert p["errors"][0]["parameter"] == "lang"
    # Its own zone wins over its country's.
    r = s.request("PATCH", f"/api/v1/shows/{d.id}", {"tz": "Asia/Shanghai"}, token=s.admin)
    assert r.status == 200 and (r.json()["tz"], r.json()["tz_from"]) == ("Asia/Shanghai", "show")
    assert "2026-10-23 16:30" in s.get(base + "&lang=en", token=d.tok).body
    p = problem(s.request("PATCH", f"/api/v1/shows/{d.id}", {"tz": "Mars/Olympus"},
                          token=s.admin), 400, "validation")
    assert pointers(p) == ["/tz"]
    assert a["id"] != b["id"]
