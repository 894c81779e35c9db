"""Action windows on alerts, end to end: the real USPTO, ST.66/ST.96 and EUIPO samples served by
nginx and polled, each alert's window checked against the publication date in its file counted
by the rule by hand here; a customs detention from a JSON feed in German working days; a fair
incident's 24 hours and a fair's own period; what a record does not say (a publication, a
service) said so, never guessed; the inbox filter and the dashboard; reminders 7 days and 1 day
before a window closes, each made once through the webhook and the mailbox, with the test clock
moved instead of waiting, across a notifier killed and restarted and a second one running."""
import calendar
import datetime
import json
import os
import re
import shutil
import zoneinfo

from harness import problem, wait_until
from test_delivery import schedule_key
from hookserver import Receiver

SHARED = "/work/shared/feeds"
UTC = datetime.timezone.utc
DAY = 86400 * 1000


def rules():
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "etc",
                           "deadlines.json")) as f:
        return json.load(f)


def rule(rule_id):
    return next(r for r in rules()["actions"] if r["id"] == rule_id)


def holidays(cal):
    return {datetime.date.fromisoformat(d) for d in rules()["calendars"][cal]["holidays"]}


# --- the rules counted by hand ---------------------------------------------------------------

def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def roll(d, off=()):
    while d.weekday() >= 5 or d in off:
        d += datetime.timedelta(days=1)
    return d


def working_days(d, n, off):
    while n > 0:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5 and d not in off:
            n -= 1
    return d


def day_end(d, zone):
    t = datetime.datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo(zone))
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_start(d, zone):
    t = datetime.datetime(d.year, d.month, d.day, tzinfo=zoneinfo.ZoneInfo(zone))
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms(text):
    return int(datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=UTC).timestamp() * 1000)


def set_clock(s, at_ms):
    """Moves the stack's test clock so that it reads at_ms now."""
    now = int(datetime.datetime.now(UTC).timestamp() * 1000)
    s.redis("SET", "sw:testclock:offset_ms", str(at_ms - now))


# --- helpers ---------------------------------------------------------------------------------

def fresh_events(s, path):
    """The events a file makes, each allowed again (other tests poll the same samples: an event
    seen once is not emitted twice while its id is remembered)."""
    out = s.cli("feed", "parse", path)
    evs = [json.loads(line) for line in out.splitlines() if line.strip()]
    for ev in evs:
        s.redis("DEL", s.event_seen_key(ev["id"]))
    return evs


def serve(s, src, name):
    shutil.copy(src, os.path.join(s.dir, "feeds", name))
    r = s.post("/api/v1/feeds", {"url": f"http://127.0.0.1:{s.port}/feeds/{name}",
                                 "interval_s": 3600}, token=s.admin)
    assert r.status == 201, r
    return r.json()


def alerts(s, tok, q=""):
    return s.get(f"/api/v1/alerts?limit=200{q}", token=tok).json()["items"]


def alert_for(s, tok, event_id, what):
    return wait_until(what, lambda: next((a for a in alerts(s, tok)
                                          if a["event_id"] == event_id), None), timeout=30)


def portfolio(s, sub, tok, items):
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio/import", {"items": items}, token=tok)
    assert r.status == 201, r


# --- windows from the real samples -------------------------------------------------------------

def test_real_samples_polled_get_windows_from_their_publication_dates(s):
    sub, tok = s.tenant("Zqwindow Trading Co., Ltd.")
    portfolio(s, sub, tok, [{"kind": "mark", "text": "SOPHIA SAFFRON", "countries": ["EM"]},
                            {"kind": "mark", "text": "HYGPEN", "countries": ["EM"]},
                            {"kind": "mark", "text": "HICARE", "countries": ["EM"]},
                            {"kind": "mark", "text": "PYTHON", "countries": ["US"]},
                            {"kind": "mark", "text": "SUVENEER", "countries": ["US"]}])
    files = {"euipo-tm-xml/018222211.xml": "act-euipo-sophia.xml",
             "euipo-tm-xml/018226756.xml": "act-euipo-hygpen.xml",
             "euipo-tm-xml/018222474.xml": "act-euipo-hicare.xml",
             "uspto-tsdr-st66-st96/sn76044902-ST66.xml": "act-st66.xml",
             "uspto-tsdr-st66-st96/sn76044902-ST96.xml": "act-st96.xml",
             "uspto-trademark-daily/daily-na-98763166.xml": "act-daily-na.xml"}
    events, feeds = {}, []
    try:
        for src, name in files.items():
            events[src] = fresh_events(s, os.path.join(SHARED, src))[0]
            feeds.append(serve(s, os.path.join(SHARED, src), name))
        got = {src: alert_for(s, tok, ev["id"], f"the alert for {src}")
               for src, ev in events.items()}
        # EUIPO: 3 months from the Part A publication in the file, rolled past a weekend (the
        # Office is closed), ending at midnight in Alicante.
        euipo = rule("euipo-opposition")
        assert euipo["period"] == {"months": 3} and euipo["roll"] == "next_working_day"
        for src in ("euipo-tm-xml/018222211.xml", "euipo-tm-xml/018226756.xml"):
            text = open(os.path.join(SHARED, src), encoding="utf-8").read()
            pub = datetime.date.fromisoformat(
                re.search(r"<PublicationSection>A\.1</PublicationSection>\s*"
                          r"<PublicationDate>([0-9-]{10})</PublicationDate>", text).group(1))
            last = roll(add_months(pub, 3), holidays("EUIPO"))
            act = got[src]["action"]
            assert act["kind"] == "opposition" and act["rule"]["id"] == "euipo-opposition", act
            assert act["from"] == {"what": "published", "date": pub.isoformat()}, act
            assert act["opens"] == day_start(pub, "Europe/Madrid"), act
            assert act["closes"] == day_end(last, "Europe/Madrid"), (src, act)
            assert act["last_day"] == last.isoformat() and act["zone"] == "Europe/Madrid", act
            assert act["extendable"] is False and "EUTMR" in act["rule"]["source"], act
        # HYGPEN's three months end on a Saturday: the Monday after.
        assert got["euipo-tm-xml/018226756.xml"]["action"]["last_day"] == "2021-01-18"
        # USPTO (TSDR in ST.66 and ST.96): 30 days from the Official Gazette, rolled past
        # weekends and federal holidays, ending at midnight in Alexandria; extendable.
        us = rule("us-tm-opposition")
        assert us["period"] == {"days": 30}
        for src in ("uspto-tsdr-st66-st96/sn76044902-ST66.xml",
                    "uspto-tsdr-st66-st96/sn76044902-ST96.xml"):
            text = open(os.path.join(SHARED, src), encoding="utf-8").read()
            pub = datetime.date.fromisoformat(
                re.search(r"PublicationDate>([0-9]{4}-[0-9]{2}-[0-9]{2})", text).group(1))
            last = roll(pub + datetime.timedelta(days=30), holidays("US"))
            act = got[src]["action"]
            assert act["rule"]["id"] == "us-tm-opposition", act
            assert act["closes"] == day_end(last, "America/New_York"), (src, act)
            assert act["last_day"] == last.isoformat() == "2004-01-29", act
            assert act["extendable"] is True and "180 days" in act["extension"], act
        # Records without a publication date: said so, with the rule that would apply.
        for src, rid in (("euipo-tm-xml/018222474.xml", "euipo-opposition"),
                         ("uspto-trademark-daily/daily-na-98763166.xml", "us-tm-opposition")):
            act = got[src]["action"]
            assert act == {"kind": "opposition",
                           "unknown": "the publication date is not in the record",
                           "extendable": act["extendable"], **({"extension": act["extension"]}
                                                               if "extension" in act else {}),
                           "rule": act["rule"]}, act
            assert act["rule"]["id"] == rid and "closes" not in act, act
        # The windows closed long ago: nothing for the dashboard or the "due" filter.
        assert s.get("/api/v1/dashboard", token=tok).json()["actions"] == []
        assert alerts(s, tok, "&action_due_within_d=3660") == []
        assert len(alerts(s, tok, "&action=any")) == 6
    finally:
        for f in feeds:
            s.request("DELETE", f"/api/v1/feeds/{f['id']}", token=s.admin)
        for ev in events.values():   # later tests poll the same samples
            s.redis("DEL", s.event_seen_key(ev["id"]))


# --- customs from a JSON feed, the inbox filter, the dashboard --------------------------------

def test_customs_detention_from_a_json_feed_and_the_inbox_filter(s):
    sub, tok = s.tenant("Zqcustoms Lighting Co., Ltd.")
    portfolio(s, sub, tok, [{"kind": "name", "text": "Zqcustoms Lighting Co., Ltd."}])
    party = [{"name": "ZQCUSTOMS LIGHTING CO LTD", "role": "respondent", "country": "CN"}]
    feed = {"seawall_feed": 1, "type": "customs_seizure", "jurisdiction": "DE", "items": [
        {"id": "zqcustoms-1", "title": "Hamburg: 300 lamps detained", "date": "2026-12-18",
         "notified": "2026-12-18", "parties": party},
        {"id": "zqcustoms-2", "title": "Bremen: 40 lamps detained", "date": "2026-12-19",
         "parties": party},
        {"id": "zqcustoms-3", "title": "Newark: lamps held by CBP", "jurisdiction": "US",
         "notified": "2026-12-18", "parties": party}]}
    path = os.path.join(s.dir, "act-customs.json")
    with open(path, "w") as f:
        json.dump(feed, f)
    fresh_events(s, path)
    # Made on 20 December (by the test clock): the window is still open.
    set_clock(s, iso_ms("2026-12-20T00:00:00Z"))
    fd = None
    try:
        fd = serve(s, path, "act-customs.json")
        got = wait_until("three alerts", lambda: (lambda a: a if len(a) == 3 else None)(
            alerts(s, tok)), timeout=30)
        by_title = {a["event"]["title"]: a for a in got}
        act = by_title["Hamburg: 300 lamps detained"]["action"]
        last = working_days(datetime.date(2026, 12, 18), 10, holidays("DE"))
        assert last == datetime.date(2027, 1, 5)    # Christmas and New Year skipped
        assert act["kind"] == "customs_detention" and act["rule"]["id"] == "eu-customs-declarant"
        assert act["closes"] == day_end(last, "Europe/Berlin") == "2027-01-05T22:59:59Z", act
        assert act["zone"] == "Europe/Berlin" and "608/2013" in act["rule"]["source"], act
        act2 = by_title["Bremen: 40 lamps detained"]["action"]
        assert act2["unknown"] == "the date of notification is not in the record", act2
        assert "action" not in by_title["Newark: lamps held by CBP"]
        # The inbox filters.
        ids = lambda q: sorted(a["event"]["title"] for a in alerts(s, tok, q))
        assert ids("&action=any") == ["Bremen: 40 lamps detained", "Hamburg: 300 lamps detained"]
        assert ids("&action=none") == ["Newark: lamps held by CBP"]
        assert ids("&action_due_within_d=20") == ["Hamburg: 300 lamps detained"]
        assert ids("&action_due_within_d=10") == []
        assert ids("&action_due_within_d=20&type=litigation") == []
        for q, param in (("action=some", "action"), ("action_due_within_d=-1",
                                                     "action_due_within_d"),
                         ("action_due_within_d=ten", "action_due_within_d"),
                         ("action_due_within_d=99999", "action_due_within_d"),
                         ("action=none&action_due_within_d=3", "action_due_within_d")):
            p = problem(s.get(f"/api/v1/alerts?{q}", token=tok), 400, "validation")
            assert [e["parameter"] for e in p["errors"]] == [param], (q, p)
        # The dashboard: the open window, with the time left by the same clock.
        dash = s.get("/api/v1/dashboard", token=tok).json()
        assert [a["event"]["title"] for a in dash["actions"]] == ["Hamburg: 300 lamps detained"]
        left = dash["actions"][0]["time_left_s"]
        want = (iso_ms("2027-01-05T22:59:59Z") - iso_ms("2026-12-20T00:00:00Z")) // 1000
        assert want - 120 <= left <= want, (left, want)
        assert dash["actions"][0]["action"]["closes"] == "2027-01-05T22:59:59Z"
        # The bulk change takes the same filter; a dismissed alert leaves the dashboard.
        r = s.post("/api/v1/alerts/status", {"filter": {"action_due_within_d": 20},
                                             "status": "dismissed"}, token=tok)
        assert r.status == 200 and r.json()["changed"] == 1, r
        assert s.get("/api/v1/dashboard", token=tok).json()["actions"] == []
        p = problem(s.post("/api/v1/alerts/status", {"filter": {"action": "soon"},
                                                     "status": "read"}, token=tok), 400)
        assert [e["pointer"] for e in p["errors"]] == ["/filter/action"], p
        # Past the window: no longer due.
        set_clock(s, iso_ms("2027-01-06T00:00:00Z"))
        assert ids("&action_due_within_d=3660") == []
    finally:
        s.redis("DEL", "sw:testclock:offset_ms")
        if fd:
            s.request("DELETE", f"/api/v1/feeds/{fd['id']}", token=s.admin)


# --- litigation: service unknown from a docket, known from a notice -----------------------------

def test_answer_to_a_complaint_once_served(s):
    sub, tok = s.tenant("Zqdefendant Audio Co., Ltd.")
    portfolio(s, sub, tok, [{"kind": "name", "text": "Zqdefendant Audio Co., Ltd."}])
    party = [{"name": "Brand Holdings LLC", "role": "plaintiff"},
             {"name": "Zqdefendant Audio Co., Ltd.", "role": "defendant"}]
    for i, extra in enumerate(({}, {"served": "2026-11-05"})):
        ev = {"id": f"ev_zqdefendant_{i}", "source": "test", "type": "litigation",
              "jurisdiction": "US", "title": f"Brand Holdings v. Zqdefendant ({i})",
              "date": "2026-11-02", "parties": party, **extra}
        s.add_event(ev)
    unknown = alert_for(s, tok, "ev_zqdefendant_0", "the docket's alert")["action"]
    assert unknown["kind"] == "answer" and unknown["rule"]["id"] == "us-answer-complaint"
    assert unknown["unknown"] == "the date of service is not in the record", unknown
    assert "FRCP 12(a)(1)(A)(i)" in unknown["rule"]["source"]
    served = alert_for(s, tok, "ev_zqdefendant_1", "the served complaint's alert")["action"]
    # 21 days from 5 November 2026 is Thanksgiving: the Friday after.
    last = roll(datetime.date(2026, 11, 5) + datetime.timedelta(days=21), holidays("US"))
    assert served["last_day"] == last.isoformat() == "2026-11-27", served
    assert served["closes"] == day_end(last, "UTC") and served["extendable"] is True, served


# --- a fair: 24 hours, or the fair's own period --------------------------------------------------

def test_fair_incident_gives_the_accused_exhibitor_its_answer_window(s):
    accused, atok = s.tenant("Zqfair Widget Co., Ltd.")
    portfolio(s, accused, atok, [{"kind": "name", "text": "Zqfair Widget Co., Ltd."}])
    visitor, vtok = s.tenant("Zqfair Visitor Ltd")
    for show, hours in (("zqfair-canton-2026", None), ("zqfair-berlin-2026", 48)):
        body = {"id": show, "name": f"Fair {show}", "country": "CN" if hours is None else "DE",
                "starts": "2026-10-15", "ends": "2026-10-19"}
        if hours:
            body["answer_deadline_h"] = hours
        s.make("/api/v1/shows", body)
        r = s.post(f"/api/v1/subscribers/{visitor['id']}/portfolio",
                   {"kind": "show", "show": show}, token=vtok)
        assert r.status == 201, r
        st = s.make("/api/v1/stations", {"name": f"Desk {show}", "show": show,
                                         "country": body["country"]})
        stok = s.token_for("station", st["id"])
        r = s.post(f"/api/v1/shows/{show}/incidents",
                   {"kind": "complaint_received", "received_at": "2026-10-16T09:30:00Z",
                    "exhibitor": {"name": "ZQFAIR WIDGET CO LTD", "country": "CN"},
                    "complainant": {"name": "Brightlight GmbH", "country": "DE"}},
                   token=stok, headers={"Idempotency-Key": f"zq-{show}"})
        assert r.status == 201, r
        inc = r.json()
        a = wait_until(f"the accused exhibitor's alert at {show}",
                       lambda: next((x for x in alerts(s, atok, "&type=show_incident")
                                     if x["event"].get("incident_id") == inc["id"]), None))
        act = a["action"]
        assert act["kind"] == "fair_answer" and act["opens"] == "2026-10-16T09:30:00Z", act
        if hours is None:   # the rules' 24 hours
            assert act["closes"] == "2026-10-17T09:30:00Z", act
            assert act["rule"]["id"] in ("cn-fair-complaint", "fair-incident-answer"), act
        else:               # the fair's own 48
            assert act["closes"] == "2026-10-18T09:30:00Z" and act["rule"]["id"] == "show", act
        # The same end as the incident's own deadline.
        assert iso_ms(act["closes"]) == inc["deadline"]["at_ms"], (act, inc["deadline"])
        # The visitor has nothing to answer.
        seen = wait_until("the visitor's alert",
                          lambda: next((x for x in alerts(s, vtok, "&type=show_incident")
                                        if x["event"].get("incident_id") == inc["id"]), None))
        assert "action" not in seen, seen


# --- reminders ---------------------------------------------------------------------------------

def _reminders(s, tok):
    return [d for d in s.get("/api/v1/deliveries?limit=200&kind=reminder",
                             token=tok).json()["items"]]


def reminder_mail(s):
    """The reminders in the mailbox (the alert's own mail waits for a digest, which real time
    may bring while the test runs)."""
    return [m for m in s.mail_to("zqrem@lamps.example") if "left to act" in str(m["Subject"])]


def test_reminders_seven_days_and_one_day_before_each_once(s):
    rec = Receiver().start()
    second = False
    try:
        sub, tok = s.tenant("Zqreminder Lamps Co., Ltd.")
        portfolio(s, sub, tok, [{"kind": "name", "text": "Zqreminder Lamps Co., Ltd."}])
        r = s.post("/api/v1/webhooks", {"url": rec.url("ok", "zqrem")}, token=tok)
        assert r.status == 201, r
        rec.secrets["zqrem"] = [r.json()["secret"]]
        r = s.request("PATCH", "/api/v1/delivery",
                      body={"lang": "en",   # the mail's wording is checked in English
                            "emails": ["zqrem@lamps.example"], "email_severity_floor": "low",
                            "email_mode": "digest", "digest_tz": "Asia/Shanghai"}, token=tok)
        assert r.status == 200, r
        # Detained in Hamburg, notified 18 December: the window closes 5 January 2027 at
        # midnight in Berlin. The alert is made on 20 December by the test clock.
        closes = iso_ms("2027-01-05T22:59:59Z")
        set_clock(s, iso_ms("2026-12-20T00:00:00Z"))
        ev = {"id": "ev_zqreminder_1", "source": "test", "type": "customs_seizure",
              "jurisdiction": "DE", "title": "Hamburg: zqreminder lamps detained",
              "notified": "2026-12-18",
              "parties": [{"name": "Zqreminder Lamps Co., Ltd.", "role": "respondent"}]}
        s.add_event(ev)
        a = alert_for(s, tok, ev["id"], "the detention alert")
        assert a["action"]["closes"] == "2027-01-05T22:59:59Z", a
        # Scheduled with the alert: 7 days and 1 day before it closes.
        m7, m1 = f"{sub['id']}|{a['id']}|7", f"{sub['id']}|{a['id']}|1"
        due = schedule_key(s, sub["id"], "rem:due")
        assert int(float(s.redis("ZSCORE", due, m7))) == closes - 7 * DAY
        assert int(float(s.redis("ZSCORE", due, m1))) == closes - 1 * DAY
        # The alert itself went out by webhook (its mail waits for the digest); no reminder.
        rec.wait("the alert's webhook", lambda hs: [h for h in hs if h.path == "/ok/zqrem" and
                                                    h.json()["type"] == "alert.created"])
        assert _reminders(s, tok) == []
        # Seven days before: one reminder per channel, the mail at once despite the digest.
        set_clock(s, closes - 7 * DAY + 60_000)
        got = wait_until("the 7-day reminders", lambda: (lambda d: d if len(d) == 2 and all(
            x["status"] == "delivered" for x in d) else None)(_reminders(s, tok)), timeout=30)
        assert sorted(x["channel"] for x in got) == ["email", "generic"], got   # generic: the endpoint's kind
        assert {x["days_before"] for x in got} == {7} and {x["alert"] for x in got} == {a["id"]}
        assert s.redis("ZSCORE", due, m7) is None
        hooks = rec.wait("the 7-day webhook", lambda hs: [h for h in hs
                                                          if h.path == "/ok/zqrem" and
                                                          h.json()["type"] ==
                                                          "alert.reminder"])
        body = hooks[0].json()
        assert body["data"]["days_before"] == 7 and body["data"]["alert"]["id"] == a["id"]
        assert body["data"]["closes"] == "2027-01-05T22:59:59Z" and hooks[0].valid_with
        mail = wait_until("the 7-day mail", lambda: reminder_mail(s))
        assert "7 days left to act" in str(mail[0]["Subject"]), mail[0]["Subject"]
        plain = next(p for p in mail[0].walk()
                     if p.get_content_type() == "text/plain").get_content()
        assert "2027-01-05 (Europe/Berlin)" in plain and "2027-01-06 06:59" in plain, plain
        assert "608/2013" in plain and f"/app/alerts/{a['id']}" in plain, plain
        # A notifier that died after making the deliveries but before marking the reminder
        # done: its lease runs out and another takes it; the same deliveries, none new.
        s.redis("ZADD", due, str(closes - 7 * DAY), m7)
        s.script("stop-one", "seawall-notifier", "--kill")
        s.script("start-worker", "seawall-notifier")
        s.script("start-worker", "seawall-notifier-2")
        second = True
        wait_until("the re-claimed reminder done",
                   lambda: s.redis("ZSCORE", due, m7) is None, timeout=30)
        assert len(_reminders(s, tok)) == 2
        # One day before, with two notifiers running: once again per channel.
        set_clock(s, closes - DAY + 60_000)
        got = wait_until("the 1-day reminders", lambda: (lambda d: d if len(d) == 4 and all(
            x["status"] == "delivered" for x in d) else None)(_reminders(s, tok)), timeout=30)
        assert sorted((x["days_before"], x["channel"]) for x in got) == [
            (1, "email"), (1, "generic"), (7, "email"), (7, "generic")], got
        assert s.redis("ZSCORE", due, m1) is None
        mail = wait_until("the 1-day mail", lambda: (lambda m: m if len(m) == 2 else None)(
            reminder_mail(s)))
        subjects = sorted(str(m["Subject"]) for m in mail)
        assert "1 day left to act" in subjects[0] and "7 days left" in subjects[1], subjects
        reminded = {h.id for h in rec.for_name("zqrem") if h.json()["type"] == "alert.reminder"}
        assert reminded == {x["id"] for x in got if x["channel"] == "generic"}, reminded
        # While the window is open, a reminder for an alert the exporter dismissed (it said the
        # alert does not concern it) is done with none.
        s.request("PATCH", f"/api/v1/alerts/{a['id']}", body={"status": "dismissed"}, token=tok)
        m2 = f"{sub['id']}|{a['id']}|2"
        s.redis("ZADD", due, str(closes - 2 * DAY), m2)
        wait_until("the dismissed alert's reminder dropped",
                   lambda: s.redis("ZSCORE", due, m2) is None, timeout=30)
        assert len(_reminders(s, tok)) == 4
        # A reminder claimed only after its window closed (the notifiers were down past it) is
        # done with none too, for an alert still in the inbox.
        s.request("PATCH", f"/api/v1/alerts/{a['id']}", body={"status": "read"}, token=tok)
        set_clock(s, closes + 60_000)
        late = f"{sub['id']}|{a['id']}|3"
        s.redis("ZADD", due, str(closes - 3 * DAY), late)
        wait_until("the late reminder dropped",
                   lambda: s.redis("ZSCORE", due, late) is None, timeout=30)
        assert len(_reminders(s, tok)) == 4
    finally:
        s.redis("DEL", "sw:testclock:offset_ms")
        if second:
            s.script("stop-one", "seawall-notifier-2")
        rec.stop()
