"""Trade shows and their service stations through nginx: shows by admin API and iCalendar
(uploaded real samples, and a calendar feed polled over HTTP), a station's incident log scoped
to its show, retries and offline batches without duplicates, the answer deadline on a clock the
test moves, escalation into exactly one case, evidence hashes, repeat offenders across shows,
show_incident alerts, the CSV and printable exports, and show days that are the fair's own."""
import csv
import datetime
import glob
import hashlib
import io
import json
import os
import shutil
import threading
import zoneinfo

from harness import pointers, problem, wait_until

HOUR = 3600 * 1000
ICAL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "feeds", "icalendar")


def clock(s, hours):
    s.redis("SET", "sw:testclock:offset_ms", str(int(hours * HOUR)))


class Fair:
    """A show with its station (and token)."""

    def __init__(self, s, tag, country="CN", **kw):
        self.s = s
        body = {"id": f"fair-{tag}", "name": f"Fair {tag} 2026", "city": "Guangzhou",
                "country": country, "venue": "Pazhou Complex", "starts": "2026-10-15",
                "ends": "2026-10-19", "organiser": "Fair Organiser Ltd",
                "website": "https://fair.example/"}
        body.update(kw)
        self.show = s.make("/api/v1/shows", body)
        self.id = self.show["id"]
        self.station = s.make("/api/v1/stations", {"name": f"Desk {tag}", "show": self.id,
                                                   "country": country,
                                                   "email": "desk@station.example"})
        self.tok = s.token_for("station", self.station["id"])

    def incident(self, key, status=201, **kw):
        r = self.s.post(f"/api/v1/shows/{self.id}/incidents", self.body(**kw), token=self.tok,
                        headers={"Idempotency-Key": key})
        assert r.status == status, r
        return r.json()

    @staticmethod
    def body(**kw):
        body = {"booth": "5.1 C12", "kind": "complaint_received",
                "exhibitor": {"name": "Ningbo Lamp Works Co., Ltd.", "country": "CN"},
                "complainant": {"name": "Brightlight GmbH", "country": "DE",
                                "representative": "Kanzlei Muster"},
                "rights": [{"type": "design", "number": "EM 001234567-0001", "country": "EM"}],
                "measures": ["complaint handed to exhibitor"], "notes": "Two lamps on display."}
        body.update(kw)
        return {k: v for k, v in body.items() if v is not None}

    def list(self, query="", tok=None):
        r = self.s.get(f"/api/v1/shows/{self.id}/incidents?limit=200{query}",
                       token=tok or self.tok)
        assert r.status == 200, r
        return r.json()["items"]


def test_shows_by_admin_public_list_and_validation(s):
    p = problem(s.post("/api/v1/shows", {"name": " ", "country": "XX", "starts": "2026-13-01",
                                         "ends": "2026-01-01", "id": "Bad Id",
                                         "website": "ftp://x", "station_id": 99999999,
                                         "answer_deadline_h": 0, "colour": "red"},
                       token=s.admin), 400, "validation")
    assert sorted(pointers(p)) == sorted(["/name", "/country", "/starts", "/id", "/website",
                                  "/station_id", "/answer_deadline_h", "/colour"]), p
    p = problem(s.post("/api/v1/shows", {"name": "X", "country": "DE", "starts": "2026-05-02",
                                         "ends": "2026-05-01"}, token=s.admin), 400)
    assert pointers(p) == ["/ends"]
    sh = s.make("/api/v1/shows", {"name": "Canton Fair (141st session) 2099", "city": "Guangzhou",
                                  "country": "CN", "starts": "2099-04-15", "ends": "2099-04-19"})
    assert sh["id"] == "canton-fair-141st-session-2099" and sh["series"] == "canton-fair-session"
    assert sh["incidents"] == {"incidents": 0, "escalated": 0, "by_kind": {}}
    again = s.make("/api/v1/shows", {"name": "Canton Fair (141st session) 2099",
                                     "country": "CN", "starts": "2099-04-15",
                                     "ends": "2099-04-19"})
    assert again["id"] == "canton-fair-141st-session-2099-2"
    problem(s.post("/api/v1/shows", {"id": sh["id"], "name": "Dup", "country": "CN",
                                     "starts": "2099-01-01", "ends": "2099-01-02"},
                   token=s.admin), 409, "show-exists")
    # Public: no token needed to read shows.
    r = s.get(f"/api/v1/shows/{sh['id']}")
    assert r.status == 200 and r.json()["city"] == "Guangzhou"
    ids = [x["id"] for x in s.get("/api/v1/shows?country=CN&limit=200").json()["items"]]
    assert sh["id"] in ids and again["id"] in ids
    assert sh["id"] not in [x["id"] for x in s.get("/api/v1/shows?country=DE&limit=200")
                            .json()["items"]]
    p = problem(s.get("/api/v1/shows?from=soon&country=Germany"), 400, "validation")
    assert sorted(e["parameter"] for e in p["errors"]) == ["country", "from"]
    # Over shows are not upcoming; ?from= reaches back.
    old = s.make("/api/v1/shows", {"name": "Old Expo", "country": "DE", "starts": "2020-03-01",
                                   "ends": "2020-03-03"})
    assert old["id"] not in [x["id"] for x in s.get("/api/v1/shows?limit=200").json()["items"]]
    assert old["id"] in [x["id"] for x in s.get("/api/v1/shows?from=2020-01-01&until=2020-12-31"
                                                 "&limit=200").json()["items"]]
    r = s.request("PATCH", f"/api/v1/shows/{sh['id']}", {"venue": "Hall A", "id": "other"},
                  token=s.admin)
    assert pointers(problem(r, 400)) == ["/id"]
    r = s.request("PATCH", f"/api/v1/shows/{sh['id']}", {"venue": "Hall A",
                                                          "answer_deadline_h": 48},
                  token=s.admin)
    assert r.status == 200 and r.json()["venue"] == "Hall A", r
    assert s.request("PATCH", "/api/v1/shows/no-such-show", {"venue": "x"},
                     token=s.admin).status == 404
    tenant_sub, tenant_tok = s.tenant("Show Reader Ltd")
    assert s.post("/api/v1/shows", {"name": "x"}, token=tenant_tok).status == 403


def test_ical_import_of_the_real_samples(s):
    files = sorted(glob.glob(os.path.join(ICAL, "*.ics")))
    assert len(files) == 5
    made = {}
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        r = s.request("POST", "/api/v1/shows/import?country=DE", raw=data, token=s.admin,
                      headers={"Content-Type": "text/calendar; charset=utf-8"})
        assert r.status == 200, (path, r)
        out = r.json()
        assert out["events"] >= 1 and out["skipped"] == [] and out["partial"] is False, out
        made[os.path.basename(path)] = out["created"] + out["unchanged"]
        # Importing the same file again changes nothing and makes no second show.
        r = s.request("POST", "/api/v1/shows/import", raw=data, token=s.admin,
                      headers={"Content-Type": "text/calendar"})
        again = r.json()
        assert again["created"] == [] and again["updated"] == [], again
        assert sorted(again["unchanged"]) == sorted(made[os.path.basename(path)])
    show = s.get(f"/api/v1/shows/{made['issue_350.ics'][0]}").json()
    assert show["name"] == 'Termin 4353 und"so"' and show["starts"] == "2022-02-22"
    assert show["venue"] == "online" and show["country"] == "DE"
    assert show["website"].startswith("https://podio.com/")
    ny = s.get(f"/api/v1/shows/{made['america_new_york.ics'][0]}").json()
    assert ny["source"] == "ical:upload" and ny["ical_uid"]
    # A weekly event: the first and 50 more occurrences, each its own edition of one series.
    weekly = made["x_location.ics"]
    assert len(weekly) == 51 and len(set(weekly)) == 51
    first = s.get("/api/v1/shows/daily-sync-2016").json()
    assert first["starts"] == first["ends"] == "2016-10-28" and first["series"] == "daily-sync"
    assert "daily-sync-2016-10-31" in weekly
    # Not a calendar, the wrong type, an empty body: each answered.
    problem(s.request("POST", "/api/v1/shows/import", raw=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR",
                      token=s.admin, headers={"Content-Type": "text/calendar"}), 400,
            "invalid-calendar")
    problem(s.request("POST", "/api/v1/shows/import", raw=b"x", token=s.admin,
                      headers={"Content-Type": "text/plain"}), 415)
    problem(s.request("POST", "/api/v1/shows/import?country=Germany", raw=b"x", token=s.admin,
                      headers={"Content-Type": "text/calendar"}), 400, "validation")
    problem(s.request("POST", "/api/v1/shows/import", raw=b"", token=s.admin,
                      headers={"Content-Type": "text/calendar"}), 400, "empty-body")


ZONED_FAIRS = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//seawall//zones//EN",
    "BEGIN:VEVENT", "UID:kiri@zones", "SUMMARY:Kiritimati Expo 2027",
    "DTSTART;TZID=Pacific/Kiritimati:20270301T090000",
    "DTEND;TZID=Pacific/Kiritimati:20270303T170000", "END:VEVENT",
    "BEGIN:VEVENT", "UID:pago@zones", "SUMMARY:Pago Pago Fair 2027",
    "DTSTART;TZID=Pacific/Pago_Pago:20270301T180000",
    "DTEND;TZID=Pacific/Pago_Pago:20270303T200000", "END:VEVENT",
    "BEGIN:VEVENT", "UID:canton@zones", "SUMMARY:Canton Zone Fair 2027",
    "DTSTART;TZID=Asia/Shanghai:20270415T070000",
    "DTEND;TZID=Asia/Shanghai:20270419T180000", "END:VEVENT",
    "END:VCALENDAR", ""])


def test_imported_shows_keep_the_fairs_own_days(s):
    # In UTC the Kiritimati fair opens on 28 February, the Canton one on 14 April and the Pago
    # Pago one closes on 4 March: none of those is a day of the fair.
    r = s.request("POST", "/api/v1/shows/import", raw=ZONED_FAIRS.encode(), token=s.admin,
                  headers={"Content-Type": "text/calendar"})
    assert r.status == 200 and len(r.json()["created"]) == 3, r
    days = {}
    for sid in r.json()["created"]:
        sh = s.get(f"/api/v1/shows/{sid}").json()
        days[sh["name"]] = (sh["starts"], sh["ends"])
    assert days == {"Kiritimati Expo 2027": ("2027-03-01", "2027-03-03"),
                    "Pago Pago Fair 2027": ("2027-03-01", "2027-03-03"),
                    "Canton Zone Fair 2027": ("2027-04-15", "2027-04-19")}, days


def test_a_fair_on_its_last_day_anywhere_is_still_upcoming(s):
    """The list starts from today at UTC-12: a fair whose last day is still going somewhere
    (in Pago Pago or Las Vegas after 16:00 their time, when UTC has moved on) is listed."""
    def aoe_today():
        return datetime.datetime.now(zoneinfo.ZoneInfo("Etc/GMT+12")).date()

    for _ in range(2):   # computed before and after the request: retry across midnight there
        today = aoe_today()
        last = s.make("/api/v1/shows", {"name": f"Last Day Fair {today.year}", "country": "AS",
                                        "starts": (today - datetime.timedelta(days=2)).isoformat(),
                                        "ends": today.isoformat()})
        over = s.make("/api/v1/shows", {"name": f"Over Fair {today.year}", "country": "AS",
                                        "starts": (today - datetime.timedelta(days=3)).isoformat(),
                                        "ends": (today - datetime.timedelta(days=1)).isoformat()})
        ids = [x["id"] for x in s.get(f"/api/v1/shows?country=AS&until={today.isoformat()}"
                                      "&limit=200").json()["items"]]
        if aoe_today() == today:
            break
    assert last["id"] in ids and over["id"] not in ids, (today, ids)


GOOD_VEVENT = (b"BEGIN:VEVENT\r\nUID:hostile-check@example.org\r\n"
               b"SUMMARY:Hostile Check Fair\r\nDTSTART;VALUE=DATE:20270301\r\n"
               b"RRULE:FREQ=YEARLY;COUNT=2\r\nEND:VEVENT\r\n")
NEVER_VEVENT = (b"BEGIN:VEVENT\r\nUID:feb-30@example.org\r\nSUMMARY:Never\r\n"
                b"DTSTART:20270101T000000Z\r\nRRULE:FREQ=%s;BYMONTH=2;BYMONTHDAY=30\r\n"
                b"END:VEVENT\r\n")


def calendar(*vevents):
    return b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + b"".join(vevents) + \
        b"END:VCALENDAR\r\n"


def test_ical_import_of_a_rule_that_can_never_occur(s):
    # libical would walk it second by second to the year 2582, the API thread with it. The
    # answer is a 400 naming the event and the rule, and nothing of the calendar is stored.
    for freq in (b"SECONDLY", b"MINUTELY"):
        r = s.request("POST", "/api/v1/shows/import", token=s.admin,
                      raw=calendar(GOOD_VEVENT, NEVER_VEVENT % freq),
                      headers={"Content-Type": "text/calendar"})
        p = problem(r, 400, "invalid-calendar")
        assert p["detail"] == (
            'the calendar was refused and nothing imported: event "feb-30@example.org": RRULE '
            f'FREQ={freq.decode()};BYMONTHDAY=30;BYMONTH=2 can never occur: no date satisfies '
            'BYMONTH and BYMONTHDAY together'), p
        problem(s.get("/api/v1/shows/hostile-check-fair-2027"), 404)
    # Without it the same calendar imports: the show the refusal did not make.
    r = s.request("POST", "/api/v1/shows/import", raw=calendar(GOOD_VEVENT), token=s.admin,
                  headers={"Content-Type": "text/calendar"})
    assert r.status == 200 and r.json()["events"] == 2 and r.json()["partial"] is False, r
    assert s.get("/api/v1/shows/hostile-check-fair-2027").json()["starts"] == "2027-03-01"


def test_calendar_feed_polled_makes_shows(s):
    src = os.path.join(ICAL, "issue_156_RDATE_with_PERIOD_TZID_khal_2.ics")
    shutil.copy(src, os.path.join(s.dir, "feeds", "khal.ics"))
    r = s.post("/api/v1/feeds", {"url": f"http://127.0.0.1:{s.port}/feeds/khal.ics",
                                 "interval_s": 3600, "format": "ical"}, token=s.admin)
    assert r.status == 201, r
    fid = r.json()["id"]

    def event():
        for _, ev in s.stream_entries("events"):
            if f'"source":"feed:{fid}"' in ev["event"]:
                return ev["event"]
        return None
    ev = wait_until("the calendar's event", event)
    assert '"show":"omitted-2021"' in ev, ev    # the event names the show by its id
    show = s.get("/api/v1/shows/omitted-2021").json()
    assert show["starts"] == "2021-11-01" and show["source"] == f"feed:{fid}"
    # A calendar gives no country: escalating an incident there (exhibitor without one either)
    # says what is missing.
    assert "country" not in show
    s.make("/api/v1/centres", {"name": "Calendar Centre", "country": "CN"})
    sub, _ = s.tenant("Calendar Exhibitor Ltd")
    st = s.make("/api/v1/stations", {"name": "Desk khal", "show": "omitted-2021", "country": "DE",
                                     "email": "khal@station.example"})
    tok = s.token_for("station", st["id"])
    r = s.post("/api/v1/shows/omitted-2021/incidents",
               {"kind": "other", "exhibitor": {"name": "Calendar Exhibitor Ltd"},
                "complainant": {"name": "Someone"}}, token=tok,
               headers={"Idempotency-Key": "khal-1"})
    assert r.status == 201, r
    p = problem(s.post(f"/api/v1/incidents/{r.json()['id']}/escalate",
                       {"subscriber_id": sub["id"]}, token=tok), 409, "country-unknown")
    assert "PATCH /api/v1/shows/omitted-2021" in p["detail"]


def test_station_logs_updates_and_closes_at_its_own_show_only(s):
    a, b = Fair(s, "own-a"), Fair(s, "own-b")
    clock(s, 0)
    inc = a.incident("own-a-1")
    assert inc["status"] == "open" and inc["show"] == a.id
    assert inc["station_id"] == a.station["id"] and inc["case_id"] is None
    iid = inc["id"]
    r = s.request("PATCH", f"/api/v1/incidents/{iid}",
                  {"status": "answered", "answer": "Lamps removed; design differs.",
                   "measures": ["complaint handed to exhibitor", "lamps removed"]},
                  token=a.tok)
    assert r.status == 200, r
    got = r.json()
    assert got["status"] == "answered" and got["answered_at"]
    assert got["deadline"]["status"] == "answered_in_time"
    r = s.request("PATCH", f"/api/v1/incidents/{iid}", {"status": "closed"}, token=a.tok)
    assert r.status == 200 and r.json()["status"] == "closed"
    problem(s.request("PATCH", f"/api/v1/incidents/{iid}", {"notes": "late edit"}, token=a.tok),
            409, "incident-locked")
    hist = s.get(f"/api/v1/incidents/{iid}/history", token=a.tok).json()["items"]
    assert [h["action"] for h in hist] == ["logged", "updated", "updated"]
    assert hist[1]["before"]["status"] == "open" and hist[1]["after"]["status"] == "answered"
    assert [h["seq"] for h in hist] == [1, 2, 3]
    # Another show's station: 404 on everything of show A, and A's incident is not in its list.
    for path in (f"/api/v1/incidents/{iid}", f"/api/v1/incidents/{iid}/history",
                 f"/api/v1/incidents/{iid}/evidence", f"/api/v1/shows/{a.id}/incidents",
                 f"/api/v1/shows/{a.id}/incidents/export"):
        r = s.get(path, token=b.tok)
        assert r.status == 404 and "Ningbo" not in r.body, (path, r)
    r = s.post(f"/api/v1/shows/{a.id}/incidents", {"kind": "other"}, token=b.tok,
               headers={"Idempotency-Key": "b-at-a"})
    assert r.status == 404
    assert s.request("PATCH", f"/api/v1/incidents/{iid}", {"notes": "x"},
                     token=b.tok).status == 404
    assert s.post(f"/api/v1/incidents/{iid}/escalate", {}, token=b.tok).status == 404
    assert b.list() == []
    # Centre staff and admins read every show; exporters have no incident routes at all.
    assert [x["id"] for x in a.list(tok=s.admin)] == [iid]
    _, etok = s.tenant("Nosy Exporter Ltd")
    assert s.get(f"/api/v1/incidents/{iid}", token=etok).status == 404
    # Validation: every bad field named at once; escalated cannot be set by hand.
    p = problem(s.post(f"/api/v1/shows/{a.id}/incidents",
                       {"kind": "fight", "status": "escalated", "exhibitor": {"country": "C"},
                        "complainant": "Brightlight", "received_at": "yesterday",
                        "rights": [{"type": "smell"}], "evidence_declared": ["abc"],
                        "mood": "bad"}, token=a.tok, headers={"Idempotency-Key": "v1"}),
                400, "validation")
    assert sorted(pointers(p)) == sorted(["/kind", "/status", "/exhibitor/name", "/exhibitor/country",
                                  "/complainant", "/received_at", "/rights/0/type",
                                  "/evidence_declared/0", "/mood"]), p
    p = problem(s.post(f"/api/v1/shows/{a.id}/incidents",
                       {"kind": "other", "exhibitor": {"name": "X"},
                        "complainant": {"name": "Y"}}, token=a.tok), 400, "validation")
    assert pointers(p) == ["/key"]
    p = problem(s.post(f"/api/v1/shows/{a.id}/incidents",
                       {"kind": "other", "exhibitor": {"name": "X", "subscriber_id": 99999999},
                        "complainant": {"name": "Y"}}, token=a.tok,
                       headers={"Idempotency-Key": "ghost"}), 400, "validation")
    assert pointers(p) == ["/exhibitor/subscriber_id"]
    p = problem(s.request("PATCH", f"/api/v1/incidents/{iid}", {}, token=a.tok), 400)
    assert pointers(p) == ["/"]
    p = problem(s.request("PATCH", f"/api/v1/incidents/{iid}", {"received_at": "2026-01-01",
                                                                 "key": "k"}, token=a.tok), 400)
    assert sorted(pointers(p)) == ["/key", "/received_at"]
    problem(s.request("POST", f"/api/v1/shows/{a.id}/incidents", raw=b"{\"kind\":",
                      token=a.tok, headers={"Content-Type": "application/json",
                                            "Idempotency-Key": "mal"}), 400, "malformed-json")
    p = problem(s.get(f"/api/v1/shows/{a.id}/incidents?status=lost&overdue=maybe", token=a.tok),
                400, "validation")
    assert sorted(e["parameter"] for e in p["errors"]) == ["overdue", "status"]


def test_retries_and_offline_batches_make_no_duplicates(s):
    f = Fair(s, "retry")
    first = f.incident("retry-1")
    r = s.post(f"/api/v1/shows/{f.id}/incidents", f.body(), token=f.tok,
               headers={"Idempotency-Key": "retry-1"})
    assert r.status == 200 and r.json()["id"] == first["id"]   # the incident it made
    assert r.header("Idempotent-Replayed") == "true"
    base = {"kind": "booth_inspection", "exhibitor": {"name": "Yiwu Toys"},
            "complainant": {"name": "Toy Brand Inc."}, "received_at": "2026-10-15T09:30:00Z"}
    batch = {"incidents": [dict(base, key="off-1"), dict(base, key="off-2", booth="B7"),
                           dict(f.body(), key="retry-1"),              # logged online before
                           dict(base, key="off-3", kind="karate"),    # rejected
                           dict(base)]}                                # no key: rejected
    r = s.post(f"/api/v1/shows/{f.id}/incidents/batch", batch, token=f.tok)
    assert r.status == 200, r
    out = r.json()
    assert [x["status"] for x in out["results"]] == ["stored", "stored", "duplicate",
                                                     "rejected", "rejected"], out
    assert (out["stored"], out["duplicate"], out["rejected"]) == (2, 1, 2)
    assert out["results"][2]["id"] == first["id"]
    assert pointers({"errors": out["results"][3]["errors"]}) == ["/incidents/3/kind"]
    assert pointers({"errors": out["results"][4]["errors"]}) == ["/incidents/4/key"]
    # The whole batch sent again (the answer was lost on the way): nothing new.
    again = s.post(f"/api/v1/shows/{f.id}/incidents/batch", batch, token=f.tok).json()
    assert [x["status"] for x in again["results"]] == ["duplicate", "duplicate", "duplicate",
                                                       "rejected", "rejected"], again
    assert [x.get("id") for x in again["results"][:3]] == [x["id"] for x in out["results"][:3]]
    assert len(f.list()) == 3
    off = s.get(out["results"][0]["url"], token=f.tok).json()
    assert off["received_at"] == "2026-10-15T09:30:00Z" and off["key"] == "off-1"
    # Eight submissions of one key at once make one incident.
    ids, errs = [], []

    def send():
        r = s.post(f"/api/v1/shows/{f.id}/incidents/batch",
                   {"incidents": [dict(base, key="race-1")]}, token=f.tok)
        (ids if r.status == 200 else errs).append(r.json()["results"][0].get("id")
                                                  if r.status == 200 else r)
    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errs == [] and len(set(ids)) == 1, (ids, errs)
    assert len(f.list()) == 4
    problem(s.post(f"/api/v1/shows/{f.id}/incidents/batch", {"incidents": []}, token=f.tok),
            400, "validation")
    problem(s.post(f"/api/v1/shows/{f.id}/incidents/batch", {"incidents": [base], "x": 1},
                   token=f.tok), 400, "validation")
    problem(s.post(f"/api/v1/shows/{f.id}/incidents/batch", {"incidents": base}, token=f.tok),
            400, "validation")
    p = problem(s.post(f"/api/v1/shows/{f.id}/incidents/batch",
                       {"incidents": [dict(base, key=f"big-{i}") for i in range(501)]},
                       token=f.tok), 400, "validation")
    assert "1 to 500" in p["detail"]
    assert len(f.list()) == 4          # nothing of the refused batches was stored


def test_answer_deadline_counts_down_and_goes_overdue(s):
    cn = Fair(s, "deadline-cn")
    own = Fair(s, "deadline-own", country="DE", answer_deadline_h=48)
    try:
        clock(s, 0)
        inc = cn.incident("dl-1")
        d = inc["deadline"]
        assert d["rule"]["id"] == "cn-fair-complaint" and d["status"] == "running"
        assert 86400 - 120 <= d["left_s"] <= 86400 and d["overdue"] is False, d
        clock(s, 10)
        d = s.get(f"/api/v1/incidents/{inc['id']}", token=cn.tok).json()["deadline"]
        assert 14 * 3600 - 120 <= d["left_s"] <= 14 * 3600, d
        clock(s, 25)
        d = s.get(f"/api/v1/incidents/{inc['id']}", token=cn.tok).json()["deadline"]
        assert d["status"] == "overdue" and d["overdue"] is True and d["left_s"] < 0, d
        assert [x["id"] for x in cn.list("&overdue=true")] == [inc["id"]]
        assert cn.list("&overdue=false") == []
        r = s.request("PATCH", f"/api/v1/incidents/{inc['id']}", {"status": "answered"},
                      token=cn.tok)
        d = r.json()["deadline"]
        assert d["status"] == "answered_late" and d["overdue"] is False, d
        clock(s, 0)
        o = own.incident("dl-2")
        assert o["deadline"]["rule"]["id"] == "show" and o["deadline"]["rule"]["hours"] == 48
        assert 48 * 3600 - 120 <= o["deadline"]["left_s"] <= 48 * 3600
    finally:
        clock(s, 0)


def test_an_incident_claimed_but_not_written_is_written_by_the_retry(s):
    # A station's submission claims its key first (its own slot), then writes the incident: a
    # process that ended between the two left the claim alone; the retry with the same key
    # writes the incident under the claimed id.
    f = Fair(s, "claimed")
    iid = s.redis("INCR", "sw:seq:incident")
    hexkey = hashlib.sha256(b"claimed-1").hexdigest()
    s.redis("SET", f"sw:show:{f.id}:inckey:{hexkey}", str(iid))
    r = s.post(f"/api/v1/shows/{f.id}/incidents", Fair.body(), token=f.tok,
               headers={"Idempotency-Key": "claimed-1"})
    assert r.status in (200, 201) and r.json()["id"] == iid, r
    got = s.get(f"/api/v1/incidents/{iid}", token=f.tok)
    assert got.status == 200 and got.json()["booth"] == "5.1 C12", got
    assert [i["id"] for i in f.list()] == [iid]
    # Sent again: the same incident.
    r = s.post(f"/api/v1/shows/{f.id}/incidents", Fair.body(), token=f.tok,
               headers={"Idempotency-Key": "claimed-1"})
    assert r.status == 200 and r.json()["id"] == iid, r
    assert [i["id"] for i in f.list()] == [iid]


def test_escalation_makes_exactly_one_case_with_the_facts(s):
    centre = s.make("/api/v1/centres", {"name": "Fair Desk Centre", "country": "CN"})
    sub, etok = s.tenant("Ningbo Lamp Works Co., Ltd.")
    f = Fair(s, "escalate")
    inc = f.incident("esc-1", exhibitor={"name": "Ningbo Lamp Works Co., Ltd.", "country": "CN",
                                         "subscriber_id": sub["id"]})
    data = b"photo of booth C12"
    up = s.request("POST", f"/api/v1/incidents/{inc['id']}/evidence?name=booth.jpg", raw=data,
                   token=f.tok, headers={"Content-Type": "image/jpeg"})
    assert up.status == 201, up
    r = s.post(f"/api/v1/incidents/{inc['id']}/escalate",
               {"centre_id": centre["id"], "note": "Exhibitor asks for help today."}, token=f.tok)
    assert r.status == 201, r
    out = r.json()
    cid = out["case"]["id"]
    assert out["incident"]["status"] == "escalated" and out["incident"]["case_id"] == cid
    assert r.header("Location") == f"/api/v1/cases/{cid}"
    case = s.get(f"/api/v1/cases/{cid}", token=etok).json()
    assert case["type"] == "show_complaint" and case["country"] == "CN"
    assert case["opposing_party"] == "Brightlight GmbH" and case["own_role"] == "exhibitor"
    assert case["forum"] == "Fair escalate 2026" and case["from_incident"] == inc["id"]
    assert case["incidents"] == [str(inc["id"])] and case["state"] == "submitted"
    assert case["rights"] == inc["rights"] and case["centre_id"] == centre["id"]
    assert case["deadline"]["at"] == inc["deadline"]["at"]
    assert "booth 5.1 C12" in case["description"] and "today" in case["description"]
    assert case["evidence_refs"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    p = problem(s.request("PATCH", f"/api/v1/incidents/{inc['id']}", {"status": "open"},
                          token=f.tok), 409, "incident-locked")
    assert "only be closed" in p["detail"]
    # Retried: the same case, no second one.
    r = s.post(f"/api/v1/incidents/{inc['id']}/escalate", {}, token=f.tok)
    assert r.status == 200 and r.json()["case"]["id"] == cid and r.json()["created"] is False
    # The first escalation ended between the incident's change and its case (the case is written
    # in a step after the incident's transaction): the retry writes the case it names.
    s.redis("DEL", f"sw:{{case:{cid}}}:doc", f"sw:{{case:{cid}}}:history")
    assert s.get(f"/api/v1/cases/{cid}", token=etok).status == 404
    r = s.post(f"/api/v1/incidents/{inc['id']}/escalate", {}, token=f.tok)
    assert r.status == 200 and r.json()["case"]["id"] == cid and r.json()["created"] is False, r
    again = s.get(f"/api/v1/cases/{cid}", token=etok).json()
    assert again["from_incident"] == inc["id"] and again["state"] == "submitted"
    assert again["evidence_refs"][0]["url"].startswith(f"/api/v1/cases/{cid}/evidence/")
    # Escalated at once from two places: one case.
    inc2 = f.incident("esc-2", exhibitor={"name": "Ningbo Lamp Works", "subscriber_id": sub["id"]})
    answers = []
    ts = [threading.Thread(target=lambda: answers.append(
        s.post(f"/api/v1/incidents/{inc2['id']}/escalate", {}, token=f.tok)))
        for _ in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert sorted(a.status for a in answers) == [200] * 5 + [201], answers
    assert len({a.json()["case"]["id"] for a in answers}) == 1
    mine = [c for c in s.get("/api/v1/cases?limit=200", token=etok).json()["items"]]
    assert len(mine) == 2 and {c["from_incident"] for c in mine} == {inc["id"], inc2["id"]}
    assert s.get(f"/api/v1/shows/{f.id}").json()["incidents"]["escalated"] == 2
    # The exporter is told.
    wait_until("the case notice", lambda: [a for a in s.get(
        "/api/v1/alerts?rule=case-notice&limit=50", token=etok).json()["items"]
        if a["event"].get("case_id") == cid] or None)
    # An exhibitor who is no subscriber: the caller says whose case it is.
    stranger = f.incident("esc-3", exhibitor={"name": "Unknown Trading"})
    problem(s.post(f"/api/v1/incidents/{stranger['id']}/escalate", {}, token=f.tok), 409,
            "exhibitor-not-subscriber")
    p = problem(s.post(f"/api/v1/incidents/{stranger['id']}/escalate",
                       {"subscriber_id": 99999999}, token=f.tok), 400, "validation")
    assert pointers(p) == ["/subscriber_id"]
    r = s.post(f"/api/v1/incidents/{stranger['id']}/escalate", {"subscriber_id": sub["id"]},
               token=s.admin)
    assert r.status == 201, r
    # A closed incident is not escalated.
    closed = f.incident("esc-4")
    s.request("PATCH", f"/api/v1/incidents/{closed['id']}", {"status": "closed"}, token=f.tok)
    problem(s.post(f"/api/v1/incidents/{closed['id']}/escalate", {"subscriber_id": sub["id"]},
                   token=f.tok), 409, "incident-locked")


def test_escalation_by_each_role_and_whose_case_it_is(s):
    """The show's station, a triager (into their own centre) and an admin escalate; an expert,
    a station of another show and an exporter get 404 and nothing is made. The case goes only
    to the accused exhibitor's own subscriber (by name, or a company name in its portfolio)
    unless an admin links it; a named centre must exist."""
    centre = s.make("/api/v1/centres", {"name": "Roles Centre", "country": "CN"})
    elsewhere = s.make("/api/v1/centres", {"name": "Roles Other Centre", "country": "CN"})
    staff = lambda body: s.make(f"/api/v1/centres/{centre['id']}/staff", body)
    tri = s.token_for("triager", staff({"name": "Tri Roles", "email": "t@c.example",
                                        "role": "triager"})["id"])
    xp = s.token_for("expert", staff({"name": "Expert Roles", "email": "e@c.example",
                                      "role": "expert", "expertise": ["CN"]})["id"])
    accused, atok = s.tenant("Roles Lamp Works Co., Ltd.")
    # Known by a company name in its portfolio (its account name differs).
    trading, ttok = s.tenant("RT Holdings")
    assert s.post(f"/api/v1/subscribers/{trading['id']}/portfolio",
                  {"kind": "name", "text": "Xiamen Roles Trading Co., Ltd.",
                   "aliases": ["厦门角色贸易有限公司"]}, token=ttok).status == 201
    bystander, btok = s.tenant("Bystander Exporter Ltd")
    f, g = Fair(s, "roles"), Fair(s, "roles-other")
    linked = {"name": "Roles Lamp Works Co., Ltd.", "country": "CN",
              "subscriber_id": accused["id"]}

    def cases(tok):
        return s.get("/api/v1/cases?limit=200", token=tok).json()["items"]

    def escalate(inc, tok, body=None):
        return s.post(f"/api/v1/incidents/{inc['id']}/escalate", body or {}, token=tok)

    # Refused roles: 404, as for an incident they cannot act on; nothing is made.
    inc = f.incident("roles-1", exhibitor=linked)
    problem(escalate(inc, xp), 404, "not-found")                 # experts only read incidents
    problem(escalate(inc, g.tok), 404, "not-found")              # a station of another show
    problem(escalate(inc, atok), 404, "not-found")               # the exporter itself
    assert s.get(f"/api/v1/incidents/{inc['id']}", token=xp).json()["status"] == "open"
    assert cases(atok) == [] and s.get(f"/api/v1/shows/{f.id}").json()[
        "incidents"]["escalated"] == 0
    # The show's station: the case is the linked exhibitor's, in the centre it names.
    r = escalate(inc, f.tok, {"centre_id": centre["id"]})
    assert r.status == 201, r
    case = s.get(r.header("Location"), token=atok).json()
    assert case["subscriber_id"] == accused["id"] and case["centre_id"] == centre["id"]
    # A triager: into their own centre, never another.
    inc2 = f.incident("roles-2", exhibitor=linked)
    p = problem(escalate(inc2, tri, {"centre_id": elsewhere["id"]}), 400, "validation")
    assert p["errors"] == [{"pointer": "/centre_id",
                            "message": f"a triager escalates to their own centre "
                                       f"({centre['id']})"}], p
    r = escalate(inc2, tri)
    assert r.status == 201, r
    assert s.get(r.header("Location"), token=atok).json()["centre_id"] == centre["id"]
    # A centre or subscriber that does not exist; a subscriber other than the linked one.
    inc3 = f.incident("roles-3", exhibitor=linked)
    p = problem(escalate(inc3, f.tok, {"centre_id": 99999999}), 400, "validation")
    assert p["errors"] == [{"pointer": "/centre_id", "message": "no such assistance centre"}]
    p = problem(escalate(inc3, f.tok, {"subscriber_id": bystander["id"]}), 400, "validation")
    assert p["errors"] == [{"pointer": "/subscriber_id", "message":
                            f"the accused exhibitor is linked to subscriber {accused['id']}, "
                            f"whose case it is (the link is the incident's "
                            f"exhibitor.subscriber_id)"}], p
    # An exhibitor with no link: the named subscriber must be that company.
    stranger = f.incident("roles-4", exhibitor={"name": "XIAMEN ROLES TRADING", "country": "CN"})
    p = problem(escalate(stranger, f.tok, {"subscriber_id": bystander["id"]}), 409,
                "subscriber-not-exhibitor")
    assert pointers(p) == ["/subscriber_id"]
    assert p["detail"] == (f"subscriber {bystander['id']} (\"Bystander Exporter Ltd\") is not the "
                           f"accused exhibitor \"XIAMEN ROLES TRADING\": neither its name nor a "
                           f"company name in its portfolio is the exhibitor's; an admin may "
                           f"link it"), p
    problem(escalate(stranger, tri, {"subscriber_id": bystander["id"]}), 409,
            "subscriber-not-exhibitor")
    # ... and a link made when the incident was logged is held to the same rule.
    mislinked = f.incident("roles-5", exhibitor={"name": "Someone Else Ltd",
                                                 "subscriber_id": bystander["id"]})
    p = problem(escalate(mislinked, f.tok), 409, "subscriber-not-exhibitor")
    assert pointers(p) == ["/exhibitor/subscriber_id"]
    assert cases(btok) == []
    # A company name in the portfolio makes the link.
    r = escalate(stranger, f.tok, {"subscriber_id": trading["id"]})
    assert r.status == 201, r
    assert [c["from_incident"] for c in cases(ttok)] == [stranger["id"]]
    # An admin may link any subscriber that exists.
    r = escalate(mislinked, s.admin)
    assert r.status == 201, r
    assert [c["from_incident"] for c in cases(btok)] == [mislinked["id"]]
    assert sorted(c["from_incident"] for c in cases(atok)) == [inc["id"], inc2["id"]]
    assert s.get(f"/api/v1/shows/{f.id}").json()["incidents"]["escalated"] == 4


def test_escalated_description_ends_each_sentence_once(s):
    s.make("/api/v1/centres", {"name": "Sentence Centre", "country": "CN"})
    sub, etok = s.tenant("Full Stop Trading Co., Ltd.")
    f = Fair(s, "stops")
    inc = f.incident("stops-1", booth="Hall 3.",
                     exhibitor={"name": "Full Stop Trading Co., Ltd.", "subscriber_id": sub["id"]},
                     complainant={"name": "Brand Holdings Inc."},
                     measures=["photos taken", "exhibitor told."])
    r = s.post(f"/api/v1/incidents/{inc['id']}/escalate", {}, token=f.tok)
    assert r.status == 201, r
    text = s.get(r.header("Location"), token=etok).json()["description"]
    assert "booth Hall 3.\n" in text, text
    assert "Exhibitor: Full Stop Trading Co., Ltd. Complainant: Brand Holdings Inc.\n" in text
    assert "Measures taken: photos taken; exhibitor told.\n" in text, text
    assert "Kind: complaint_received. Received: " in text, text
    assert ".." not in text, text


def test_evidence_hashes_recorded_and_checked(s):
    f = Fair(s, "evidence")
    data = os.urandom(5000)
    h = hashlib.sha256(data).hexdigest()
    inc = f.incident("ev-1", evidence_declared=[h, "0" * 64])
    assert [e["uploaded"] for e in inc["evidence_declared"]] == [False, False]
    base = f"/api/v1/incidents/{inc['id']}/evidence"
    wrong = problem(s.request("POST", f"{base}?name=photo1.jpg&sha256={'1' * 64}", raw=data,
                              token=f.tok, headers={"Content-Type": "image/jpeg"}), 400,
                    "hash-mismatch")
    assert "nothing was stored" in wrong["detail"]
    r = s.request("POST", f"{base}?name=photo1.jpg&sha256={h}", raw=data, token=f.tok,
                  headers={"Content-Type": "image/jpeg"})
    assert r.status == 201 and r.json()["sha256"] == h, r
    problem(s.request("POST", f"{base}?name=../../etc/passwd", raw=b"x", token=f.tok,
                      headers={"Content-Type": "text/plain"}), 400, "validation")
    got = s.get(f"/api/v1/incidents/{inc['id']}", token=f.tok).json()
    assert got["evidence_declared"] == [{"sha256": h, "uploaded": True},
                                        {"sha256": "0" * 64, "uploaded": False}]
    assert got["evidence_count"] == 1
    items = s.get(base, token=f.tok).json()["items"]
    assert [(i["name"], i["sha256"], i["size"]) for i in items] == [("photo1.jpg", h, 5000)]
    dl = s.get(f"{base}/{h}", token=s.admin)
    assert dl.status == 200 and dl.header("X-Content-SHA256") == h
    # The file changed on disk: not served, and the recorded hash is still the one shown.
    path = os.path.join(s.dir, "data", "evidence", h[:2], h)
    os.chmod(path, 0o644)
    with open(path, "r+b") as fh:
        fh.write(b"tampered")
    try:
        problem(s.get(f"{base}/{h}", token=f.tok), 500, "evidence-damaged")
        assert s.get(base, token=f.tok).json()["items"][0]["sha256"] == h
    finally:
        with open(path, "wb") as fh:
            fh.write(data)


def test_repeat_offenders_across_two_shows_and_the_show_record(s):
    y1 = Fair(s, "rep-2025", id="repeat-expo-2025", name="Repeat Expo 2025",
              starts="2025-09-01", ends="2025-09-04")
    y2 = Fair(s, "rep-2026", id="repeat-expo-2026", name="Repeat Expo 2026",
              starts="2099-09-01", ends="2099-09-04")
    assert y1.show["series"] == y2.show["series"] == "repeat-expo"
    first = y1.incident("rep-1", exhibitor={"name": "Shenzhen Copycat Electronics Co., Ltd."},
                        complainant={"name": "Audio Brand AG"}, kind="goods_removed",
                        received_at="2025-09-02T10:00:00Z")
    y1.incident("rep-2", exhibitor={"name": "Someone Else Ltd"},
                complainant={"name": "Audio Brand AG"}, received_at="2025-09-03T10:00:00Z")
    now = y2.incident("rep-3", exhibitor={"name": "SHENZHEN COPYCAT ELECTRONICS CO LTD"},
                      complainant={"name": "Audio Brand Aktiengesellschaft"})
    ex = now["earlier"]["exhibitor"]
    assert [(e["id"], e["show"], e["as"]) for e in ex] == [(first["id"], y1.id, "exhibitor")]
    comp = now["earlier"]["complainant"]
    assert sorted(e["id"] for e in comp) == sorted([first["id"], first["id"] + 1]), comp
    # Earlier only: the first incident has no history before it.
    old = s.get(f"/api/v1/incidents/{first['id']}", token=s.admin).json()
    assert old["earlier"]["exhibitor"] == []
    # The public list shows this year's fair with last year's record.
    shows = {x["id"]: x for x in s.get("/api/v1/shows?country=CN&limit=200").json()["items"]}
    rec = shows[y2.id]["record"]
    assert rec["incidents"] == 2 and rec["editions"][0]["show"] == y1.id
    assert rec["editions"][0]["by_kind"] == {"goods_removed": 1, "complaint_received": 1}


def test_repeat_offenders_known_by_their_trade_name_in_either_script(s):
    """A station writes the exhibitor in Chinese, a foreign record in pinyin and English: one
    party, found by its trade name (山寨 is "shanzhai"). Another company of that trade name in
    another business or city, and another trade name of the same city and industry, are not
    the same party. An incident filed under the key of before (the whole name's look-alike
    key) is still found, and the escalation knows the exporter by its Chinese name."""
    y1 = Fair(s, "trade-2025", id="trade-expo-2025", name="Trade Expo 2025",
              starts="2025-03-01", ends="2025-03-04")
    y2 = Fair(s, "trade-2026", id="trade-expo-2026", name="Trade Expo 2026",
              starts="2099-03-01", ends="2099-03-04")
    at = "2025-03-02T10:00:00Z"
    first = y1.incident("tn-1", exhibitor={"name": "深圳市山寨电子有限公司"},
                        received_at="2025-03-01T09:00:00Z")
    y1.incident("tn-2", exhibitor={"name": "Shenzhen Shanzhai Trading Co., Ltd."},
                received_at=at)                                  # another business
    y1.incident("tn-3", exhibitor={"name": "Dongguan Shanzhai Electronics Co., Ltd."},
                received_at=at)                                  # another city
    y1.incident("tn-4", exhibitor={"name": "深圳市明亮电子有限公司"},
                received_at=at)                                  # another trade name
    complained = y1.incident("tn-5", exhibitor={"name": "Someone Else Ltd"},
                             complainant={"name": "SHENZHEN SHANZHAI ELECTRONICS CO LTD"},
                             received_at=at)
    legacy = y1.incident("tn-6", exhibitor={"name": "Ningbo Legacy Lighting Co., Ltd."},
                         received_at=at)
    # Filed as incidents were before names were keyed by trade name.
    old_key = json.loads(s.cli("match", "pair", "--kind", "name",
                               "Ningbo Legacy Lighting Co., Ltd.", "x"))["a"]["visual"]
    assert s.redis("ZREM", "sw:party:exhibitor:legacy", str(legacy["id"])) == 1
    ms = int(datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp() * 1000)
    s.redis("ZADD", f"sw:party:exhibitor:{old_key}", str(ms), str(legacy["id"]))
    now = y2.incident("tn-7", exhibitor={"name": "Shenzhen Shanzhai Electronics Co., Ltd."})
    got = sorted((e["id"], e["as"]) for e in now["earlier"]["exhibitor"])
    assert got == sorted([(first["id"], "exhibitor"), (complained["id"], "complainant")]), got
    # Earlier only: the first has none, whatever came after it in either script.
    view = s.get(f"/api/v1/incidents/{first['id']}", token=s.admin).json()
    assert view["earlier"]["exhibitor"] == []
    again = y2.incident("tn-8", exhibitor={"name": "NINGBO LEGACY LIGHTING CO LTD"})
    assert [e["id"] for e in again["earlier"]["exhibitor"]] == [legacy["id"]]
    # Editing the name takes the incident out of its old keys, both of them.
    r = s.request("PATCH", f"/api/v1/incidents/{legacy['id']}",
                  {"exhibitor": {"name": "Ningbo Other Lamps Co., Ltd."}}, token=y1.tok)
    assert r.status == 200, r
    assert s.redis("ZSCORE", f"sw:party:exhibitor:{old_key}", str(legacy["id"])) is None
    assert s.redis("ZSCORE", "sw:party:exhibitor:otherlamps", str(legacy["id"])) is not None
    # The exporter's portfolio names it in Chinese; the station wrote English.
    exporter, etok = s.tenant("Shanzhai Export Desk")
    assert s.post(f"/api/v1/subscribers/{exporter['id']}/portfolio",
                  {"kind": "name", "text": "深圳市山寨电子有限公司"}, token=etok).status == 201
    centre = s.make("/api/v1/centres", {"name": "Trade Name Centre", "country": "CN"})
    r = s.post(f"/api/v1/incidents/{now['id']}/escalate",
               {"subscriber_id": exporter["id"], "centre_id": centre["id"]}, token=y2.tok)
    assert r.status == 201, r
    other, otok = s.tenant("Shanzhai Trading Desk")
    assert s.post(f"/api/v1/subscribers/{other['id']}/portfolio",
                  {"kind": "name", "text": "Shenzhen Shanzhai Trading Co., Ltd."},
                  token=otok).status == 201
    later = y2.incident("tn-9", exhibitor={"name": "深圳市山寨电子有限公司"})
    problem(s.post(f"/api/v1/incidents/{later['id']}/escalate",
                   {"subscriber_id": other["id"], "centre_id": centre["id"]}, token=y2.tok),
            409, "subscriber-not-exhibitor")


def test_incident_alerts_attending_and_accused_exporters(s):
    f = Fair(s, "alerts")
    visitor, vtok = s.tenant("Visiting Exporter Ltd")
    r = s.post(f"/api/v1/subscribers/{visitor['id']}/portfolio", {"kind": "show", "show": f.id},
               token=vtok)
    assert r.status == 201, r
    accused, atok = s.tenant("Qingdao Widget Manufacturing Co., Ltd.")
    r = s.post(f"/api/v1/subscribers/{accused['id']}/portfolio",
               {"kind": "name", "text": "Qingdao Widget Manufacturing Co., Ltd."}, token=atok)
    assert r.status == 201, r
    inc = f.incident("al-1", exhibitor={"name": "QINGDAO WIDGET MANUFACTURING CO LTD"})

    def alerts(tok, rule):
        items = s.get("/api/v1/alerts?type=show_incident&limit=50", token=tok).json()["items"]
        got = [a for a in items if a["event"].get("incident_id") == inc["id"]]
        return got if any(x["rule"] == rule for a in got for x in a["items"]) else None
    a = wait_until("the attending exporter's alert", lambda: alerts(vtok, "show-attended"))
    assert len(a) == 1 and a[0]["severity"] == "medium"
    a = wait_until("the accused exporter's alert", lambda: alerts(atok, "named-as-exhibitor"))
    assert len(a) == 1 and a[0]["severity"] == "critical"
    other, otok = s.tenant("Unrelated Exporter Ltd")
    assert s.get("/api/v1/alerts?type=show_incident", token=otok).json()["items"] == []


def test_export_csv_and_printable_report(s):
    f = Fair(s, "export")
    f.incident("x-1", notes="=HYPERLINK(\"http://evil\")", booth="+A1")
    f.incident("x-2", notes="<script>alert(1)</script>", exhibitor={"name": "O'Neil & Sons"})
    r = s.get(f"/api/v1/shows/{f.id}/incidents/export?format=csv", token=f.tok)
    assert r.status == 200 and r.header("Content-Type").startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.body)))
    assert len(rows) == 2 and rows[0]["notes"].startswith("'=") and rows[0]["booth"] == "'+A1"
    assert rows[1]["exhibitor"] == "O'Neil & Sons" and rows[0]["deadline_status"] == "running"
    r = s.get(f"/api/v1/shows/{f.id}/incidents/export?format=html", token=s.admin)
    assert r.status == 200 and r.header("Content-Type").startswith("text/html")
    assert "<script>" not in r.body and "&lt;script&gt;" in r.body
    assert "O&#39;Neil &amp; Sons" in r.body and "Fair export 2026" in r.body
    problem(s.get(f"/api/v1/shows/{f.id}/incidents/export?format=pdf", token=f.tok), 400,
            "validation")


def test_export_guards_formulas_hidden_behind_line_feeds_and_full_width_signs(s):
    f = Fair(s, "export-formulas")
    notes = ["\n=1+1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20A1", "\t=1", "plain"]
    for n, text in enumerate(notes):
        f.incident(f"xf-{n}", notes=text)
    r = s.get(f"/api/v1/shows/{f.id}/incidents/export?format=csv", token=f.tok)
    assert r.status == 200, r
    got = [row["notes"] for row in csv.DictReader(io.StringIO(r.body))]
    assert got == ["'" + t for t in notes[:-1]] + ["plain"], got


def test_export_past_its_ceiling_answers_507_never_an_empty_200(s):
    """harness.TEST_ENV sets shows.export_bytes_max to 16,384: three incidents with 6,000-byte
    notes pass it; narrowed with from/until to two days, the export fits."""
    f = Fair(s, "export-big")
    for day in (16, 17, 18):
        f.incident(f"xb-{day}", received_at=f"2026-10-{day}T10:00:00Z", notes="n" * 6000)
    for fmt, fitted in (("csv", 2), ("html", 1)):   # the report's head holds its summary
        r = s.get(f"/api/v1/shows/{f.id}/incidents/export?format={fmt}", token=f.tok)
        p = problem(r, 507, "export-too-large")
        assert p["detail"] == ("the export of 3 incidents would pass shows.export_bytes_max "
                               f"(16384 bytes) after {fitted} of them; narrow it with from and "
                               "until (when the incidents were received) or ask an admin to "
                               "raise the limit"), p
    r = s.get(f"/api/v1/shows/{f.id}/incidents/export?format=csv&from=2026-10-17"
              f"&until=2026-10-19", token=f.tok)
    assert r.status == 200, r
    rows = list(csv.DictReader(io.StringIO(r.body)))
    assert [row["received_at"] for row in rows] == ["2026-10-17T10:00:00Z",
                                                     "2026-10-18T10:00:00Z"], rows
    assert all(row["notes"] == "n" * 6000 for row in rows)
    r = s.get(f"/api/v1/shows/{f.id}/incidents/export?format=html&until=2026-10-17&lang=en",
              token=f.tok)
    assert r.status == 200 and r.body.endswith("</html>\n"), r
    assert "<tr><th>Incidents</th><td class=n>1</td></tr>" in r.body, r
    p = problem(s.get(f"/api/v1/shows/{f.id}/incidents/export?from=soon", token=f.tok), 400,
                "validation")
    assert p["errors"] == [{"parameter": "from",
                            "message": "must be a date or date-time (ISO 8601)"}], p
