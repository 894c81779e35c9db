"""Delivery end to end: alerts made by the matcher reach a local webhook receiver (signatures
checked) and the stack's SMTP sink; failing, redirecting, slow and refusing endpoints are
retried on the schedule, exhausted, replayed, disabled; a notifier killed mid-delivery makes
every delivery after its restart with the same webhook-id; digests and unsubscribe work, and
each tenant's digest time is in its own zone however many requests run at once."""
import datetime
import email.header
import os
import threading
import time
import urllib.parse
import zoneinfo

from harness import pointers, problem, wait_until
from hookserver import Receiver, signatures


def schedule_key(s, sub, what):
    """One of the notifier's schedules ("due", "leases", "digest:due", "rem:due") of the
    deliveries shard that carries subscriber sub's alerts (keys.h), in that shard's slot."""
    return f"{s.stream_key('deliveries', sub)}:{what}"


def hook(s, tok, url, **kw):
    r = s.post("/api/v1/webhooks", dict(url=url, **kw), token=tok)
    assert r.status == 201, r
    w = r.json()
    assert w["secret"].startswith("whsec_") and "secrets" not in w
    return w


def deliveries(s, tok, q=""):
    return s.get(f"/api/v1/deliveries?limit=200{q}", token=tok).json()["items"]


def wait_deliveries(s, tok, pred, what, timeout=30):
    return wait_until(what, lambda: (lambda d: d if pred(d) else None)(deliveries(s, tok)),
                      timeout=timeout)


def settle(s, tok, n, what):
    """Waits until n deliveries exist and none is pending."""
    return wait_deliveries(s, tok, lambda d: len(d) >= n and
                           all(x["status"] != "pending" for x in d), what)


def test_alert_reaches_webhook_and_mailbox_signed(s):
    rec = Receiver().start()
    try:
        sub, tok = s.tenant("Hook Owner Ltd")
        w = hook(s, tok, rec.url("ok", "basic"), description="legal team")
        rec.secrets["basic"] = [w["secret"]]
        assert s.get("/api/v1/webhooks", token=tok).json()["items"][0]["id"] == w["id"]
        assert "secret" not in s.get(f"/api/v1/webhooks/{w['id']}", token=tok).json()
        # English on purpose: a subscriber in CN reads Chinese unless it says otherwise.
        r = s.request("PATCH", "/api/v1/delivery", body={"emails": ["legal@hook.example"],
                                                         "email_severity_floor": "low",
                                                         "lang": "en"},
                      token=tok)
        assert r.status == 200 and r.json()["email_mode"] == "immediate", r
        alerts = s.make_alerts(sub, tok, 1, "hookbasic")
        a = alerts[0]
        h = rec.wait("the webhook", lambda hs: [x for x in hs if x.path == "/ok/basic"])[0]
        assert h.valid_with == [w["secret"]], h.headers
        body = h.json()
        assert body["type"] == "alert.created" and body["data"]["id"] == a["id"]
        assert body["data"]["items"][0]["reasons"] and body["data"]["severity"] == "medium"
        d = settle(s, tok, 2, "both deliveries made")
        by_kind = {x["kind"]: x for x in d}
        assert by_kind["webhook"]["id"] == h.id and by_kind["webhook"]["status"] == "delivered"
        assert by_kind["email"]["status"] == "delivered", by_kind
        msgs = wait_until("the mail", lambda: s.mail_to("legal@hook.example"))
        m = msgs[0]
        assert str(m["Subject"]).startswith("[Seawall] Medium alert: your keyword "
                                            "“zqhookbasicx speaker” — ")
        assert m.get_content_type() == "multipart/mixed"
        alt = next(p for p in m.walk() if p.get_content_type() == "multipart/alternative")
        types = [p.get_content_type() for p in alt.iter_parts()]
        assert types == ["text/plain", "text/html"], types
        assert "zqhookbasicx speaker" in alt.get_body(("plain",)).get_content()
        assert m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert m["List-Unsubscribe"].startswith(f"<http://127.0.0.1:{s.port}/api/v1/unsubscribe?")
        one = s.get(f"/api/v1/deliveries/{h.id}", token=tok).json()
        assert one["attempt_log"][0]["outcome"] == "delivered"
        assert one["attempt_log"][0]["status_code"] == 200
        log = s.get("/api/v1/delivery-log", token=tok).json()["items"]
        assert {x["kind"] for x in log} == {"webhook", "email"}
        # Each delivery's last attempt delivered, with its latency; an earlier attempt that
        # failed (a mail sink slow to answer on a loaded machine) says why.
        for kind in ("webhook", "email"):
            mine = [x for x in log if x["kind"] == kind]
            assert mine[0]["outcome"] == "delivered" and mine[0]["latency_ms"] >= 0, log
            assert all(x["outcome"] == "delivered" or x.get("error") for x in mine), log
        # Another exporter sees none of it.
        _, tok2 = s.tenant("Bystander Ltd")
        assert s.get(f"/api/v1/deliveries/{h.id}", token=tok2).status == 404
        assert deliveries(s, tok2) == []
    finally:
        rec.stop()


def test_failures_retry_on_schedule_exhaust_disable_and_replay(s):
    rec = Receiver().start()
    try:
        sub, tok = s.tenant("Failing Endpoint Ltd")
        w = hook(s, tok, rec.url("switch", "sched"))
        rec.secrets["sched"] = [w["secret"]]
        rec.mode["sched"] = "fail"
        s.make_alerts(sub, tok, 1, "hooksched")
        d = settle(s, tok, 1, "the delivery exhausted")[0]
        assert d["status"] == "exhausted" and d["attempts"] == 5, d
        hs = rec.for_name("sched")
        assert len(hs) == 5 and len({h.id for h in hs}) == 1
        gaps = [round(b.at - a.at, 3) for a, b in zip(hs, hs[1:])]
        for gap, planned in zip(gaps, [0.2, 0.4, 0.8, 1.6]):
            assert gap >= planned * 0.95, gaps     # never earlier than the schedule
        assert gaps[3] > gaps[0], gaps              # and growing
        # Failing for longer than notifier.disable_after_s (2 s here): disabled, owner told.
        wh = wait_until("the webhook disabled", lambda: (lambda x: x if not x["enabled"]
                        else None)(s.get(f"/api/v1/webhooks/{w['id']}", token=tok).json()))
        assert wh["state"]["disabled_at"] and "HTTP 500" in wh["state"]["last_error"]
        r = s.post(f"/api/v1/deliveries/{d['id']}/replay", None, token=tok)
        assert r.status == 202, r
        d2 = settle(s, tok, 1, "the replay cancelled while disabled")[0]
        assert d2["status"] == "cancelled" and "disabled" in d2["last_error"]
        # Enabled again and answering: the replay goes out with the same webhook-id.
        rec.mode["sched"] = "ok"
        r = s.request("PATCH", f"/api/v1/webhooks/{w['id']}", body={"enabled": True}, token=tok)
        assert r.status == 200 and r.json()["enabled"] is True and "disabled_at" not in \
            r.json()["state"], r
        assert s.post(f"/api/v1/deliveries/{d['id']}/replay", None, token=tok).status == 202
        d3 = wait_deliveries(s, tok, lambda x: x[0]["status"] == "delivered", "replayed")[0]
        assert d3["replays"] == 2
        last = rec.for_name("sched")[-1]
        assert last.id == d["id"] and last.valid_with == [w["secret"]]
        # A delivered one replays too; one still pending answers 409.
        assert s.post(f"/api/v1/deliveries/{d['id']}/replay", None, token=tok).status == 202
        problem(s.post(f"/api/v1/deliveries/{d['id']}/replay", None, token=tok), 409,
                "delivery-pending")
    finally:
        rec.stop()


def test_flaky_redirecting_and_slow_endpoints(s):
    rec = Receiver().start()
    rec.flaky["fl"] = 2
    try:
        sub, tok = s.tenant("Odd Endpoints Ltd")
        hook(s, tok, rec.url("flaky", "fl"))
        hook(s, tok, rec.url("redirect", "rd"))
        hook(s, tok, rec.url("slow", "sl"))
        s.make_alerts(sub, tok, 1, "hookodd")
        d = settle(s, tok, 3, "three deliveries settled")
        by_url = {x["url"].split("/")[3]: x for x in d}
        assert by_url["flaky"]["status"] == "delivered" and by_url["flaky"]["attempts"] == 3
        assert by_url["redirect"]["status"] == "exhausted"
        assert "redirect to /ok/rd not followed" in by_url["redirect"]["last_error"] or \
            "not followed" in by_url["redirect"]["last_error"], by_url["redirect"]
        assert by_url["redirect"]["last_status_code"] == 302
        # The slow one times out each time; failing for over 2 s disables its endpoint, so
        # the attempts left are cancelled rather than made.
        assert by_url["slow"]["status"] in ("exhausted", "cancelled"), by_url["slow"]
        log = s.get(f"/api/v1/deliveries/{by_url['slow']['id']}", token=tok).json()
        assert any("imed out" in (a.get("error") or "") for a in log["attempt_log"]), log
        assert rec.for_name("rd") and not [h for h in rec.hooks if h.path == "/ok/rd"]
    finally:
        rec.stop()


def test_a_delivery_shows_the_url_each_attempt_went_to(s):
    """A webhook's URL corrected while its delivery is being retried, and again before a replay:
    each attempt goes to the URL the webhook has then, records it in attempt_log and the
    delivery log, and the delivery shows the one its latest attempt used."""
    rec = Receiver().start()
    try:
        sub, tok = s.tenant("Moved Endpoint Ltd")
        old, new, newer = rec.url("fail", "moved"), rec.url("ok", "moved"), rec.url("ok", "moved2")
        w = hook(s, tok, old)
        s.make_alerts(sub, tok, 1, "hookmoved")
        d = wait_deliveries(s, tok, lambda x: x and x[0]["attempts"] >= 1, "a failed attempt")[0]
        assert d["url"] == old and d["status"] == "pending", d
        r = s.request("PATCH", f"/api/v1/webhooks/{w['id']}", body={"url": new, "enabled": True},
                      token=tok)
        assert r.status == 200 and r.json()["url"] == new, r
        d = settle(s, tok, 1, "the delivery to finish")[0]
        if d["status"] != "delivered":
            # The retries ran out (or the webhook was disabled) before the change landed: a
            # replay makes the attempt to the corrected URL instead.
            assert s.post(f"/api/v1/deliveries/{d['id']}/replay", None, token=tok).status == 202
            d = wait_deliveries(s, tok, lambda x: x[0]["status"] == "delivered", "replayed")[0]
        one = s.get(f"/api/v1/deliveries/{d['id']}", token=tok).json()
        assert one["url"] == new, one
        attempts = one["attempt_log"]   # newest first
        assert attempts[0]["url"] == new and attempts[0]["outcome"] == "delivered", attempts
        assert attempts[-1]["url"] == old and attempts[-1]["outcome"] == "retry", attempts
        assert all(a["url"] == old for a in attempts if a["outcome"] in ("retry", "exhausted"))
        got = [h.path for h in rec.for_name("moved")]
        assert got[-1] == "/ok/moved" and set(got[:-1]) == {"/fail/moved"}, got
        log = [x for x in s.get("/api/v1/delivery-log?limit=100", token=tok).json()["items"]
               if x["delivery"] == d["id"]]
        assert log[0]["target"] == new and log[-1]["target"] == old, log
        # Changed again, then replayed: the replay answers with the new URL and goes there.
        r = s.request("PATCH", f"/api/v1/webhooks/{w['id']}", body={"url": newer}, token=tok)
        assert r.status == 200, r
        r = s.post(f"/api/v1/deliveries/{d['id']}/replay", None, token=tok)
        assert r.status == 202 and r.json()["url"] == newer, r
        rec.wait("the replay", lambda hs: [h for h in hs if h.path == "/ok/moved2"])
        one = wait_until("the replay recorded", lambda: (lambda x: x if x["status"] == "delivered"
                         and x["attempt_log"][0]["url"] == newer else None)(
                         s.get(f"/api/v1/deliveries/{d['id']}", token=tok).json()))
        assert one["url"] == newer and attempts[0]["url"] in [a["url"] for a in
                                                             one["attempt_log"][1:]], one
        assert rec.for_name("moved2")[0].id == d["id"]
    finally:
        rec.stop()


def test_webhook_urls_inside_the_network_are_refused(s):
    _, tok = s.tenant("SSRF Probe Ltd")
    for url, why in [("http://10.1.2.3/h", "private"), ("http://169.254.169.254/latest", "link"),
                     ("http://[::1]:8080/", "loopback"),
                     ("http://0x0a000001/", "reads as 10.0.0.1"),
                     ("http://3232235777/", "reads as 192.168.1.1"),
                     ("http://localhost:9/", "localhost"),
                     ("http://[::ffff:10.0.0.1]/", "private"), ("ftp://example.com/", "http"),
                     ("http://user:pw@example.com/", "credentials")]:
        p = problem(s.post("/api/v1/webhooks", {"url": url}, token=tok), 400, "validation")
        assert pointers(p) == ["/url"], (url, p)
        assert why in p["errors"][0]["message"].lower() or why in p["detail"].lower(), (url, p)
    p = problem(s.post("/api/v1/webhooks", {"url": "https://hooks.example.com/x",
                                            "severity_floor": "urgent", "extra": 1}, token=tok),
                400)
    assert sorted(pointers(p)) == ["/extra", "/severity_floor"], p
    w = hook(s, tok, "https://hooks.example.com/x")
    p = problem(s.request("PATCH", f"/api/v1/webhooks/{w['id']}",
                          body={"url": "http://192.168.0.1/"}, token=tok), 400)
    assert pointers(p) == ["/url"]


def test_secret_rotation_signs_with_both_during_the_overlap(s):
    rec = Receiver().start()
    try:
        sub, tok = s.tenant("Rotating Secrets Ltd")
        w = hook(s, tok, rec.url("ok", "rot"))
        r = s.post(f"/api/v1/webhooks/{w['id']}/rotate", {"overlap_s": 3600}, token=tok)
        assert r.status == 200 and r.json()["secret"] != w["secret"], r
        new = r.json()["secret"]
        assert r.json()["previous_secret_expires_at"]
        rec.secrets["rot"] = [w["secret"], new]
        s.make_alerts(sub, tok, 1, "hookrot1")
        h = rec.wait("the first hook", lambda hs: [x for x in hs if x.path == "/ok/rot"])[0]
        assert sorted(h.valid_with) == sorted([w["secret"], new])
        assert len(h.headers["webhook-signature"].split(" ")) == 2
        # Rotated again without overlap: only the newest signs.
        r = s.post(f"/api/v1/webhooks/{w['id']}/rotate", {"overlap_s": 0}, token=tok)
        newest = r.json()["secret"]
        rec.secrets["rot"] = [w["secret"], new, newest]
        s.make_alerts(sub, tok, 1, "hookrot2")
        h2 = rec.wait("the second hook",
                      lambda hs: [x for x in hs if x.path == "/ok/rot"][1:])[0]
        assert h2.valid_with == [newest], h2.headers
        assert signatures(newest, h2.id, h2.headers["webhook-timestamp"], h2.body) == \
            h2.headers["webhook-signature"]
    finally:
        rec.stop()


def test_notifier_killed_mid_delivery_delivers_everything_after_restart(s):
    rec = Receiver().start()
    rec.hold = 1.0
    try:
        sub, tok = s.tenant("Crash Survivor Ltd")
        w = hook(s, tok, rec.url("slow", "crash"))
        rec.secrets["crash"] = [w["secret"]]
        s.make_alerts(sub, tok, 5, "hookcrash")
        rec.wait("a delivery in flight", lambda hs: [x for x in hs if x.path == "/slow/crash"])
        s.script("stop-one", "seawall-notifier", "--kill")
        s.script("start-worker", "seawall-notifier")
        d = settle(s, tok, 5, "all five delivered after the restart")
        assert all(x["status"] == "delivered" for x in d), d
        seen = {h.id for h in rec.for_name("crash")}
        assert seen == {x["id"] for x in d}
        # What was in flight at the kill went out again, under the same webhook-id.
        assert len(rec.for_name("crash")) > len(seen)
        assert all(h.valid_with for h in rec.for_name("crash"))
    finally:
        rec.stop()


def test_smtp_refusal_and_dropped_connection_are_retried_then_exhausted(s):
    sub, tok = s.tenant("Mail Trouble Ltd")
    r = s.request("PATCH", "/api/v1/delivery", body={
        "emails": ["refuse@trouble.example", "drop@trouble.example", "fine@trouble.example"],
        "email_severity_floor": "medium"}, token=tok)
    assert r.status == 200, r
    s.make_alerts(sub, tok, 1, "mailtrouble")
    d = settle(s, tok, 3, "three mail deliveries settled")
    by_to = {x["to"]: x for x in d}
    assert by_to["fine@trouble.example"]["status"] == "delivered"
    for bad in ("refuse@trouble.example", "drop@trouble.example"):
        assert by_to[bad]["status"] == "exhausted" and by_to[bad]["attempts"] == 5
        assert by_to[bad]["last_error"].startswith("SMTP"), by_to[bad]
    assert by_to["refuse@trouble.example"]["last_status_code"] == 550
    assert len(s.mail_to("fine@trouble.example")) == 1


def test_mail_headers_cannot_be_injected_and_utf8_subjects_are_encoded(s):
    sub, tok = s.tenant("Header Safety Ltd")
    s.request("PATCH", "/api/v1/delivery", body={"emails": ["safe@header.example"],
                                                 "email_severity_floor": "low"}, token=tok)
    s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
           {"kind": "keyword", "text": "zqinjx lamp", "countries": ["US"]}, token=tok)
    ev = {"id": "ev_inject_1", "source": "test", "type": "litigation", "jurisdiction": "US",
          "title": "Lampe «zqinjx lamp» Klage\r\nBcc: thief@evil.example\r\n\r\nbody",
          "text": "zqinjx lamp"}
    s.add_event(ev)
    m = wait_until("the mail", lambda: s.mail_to("safe@header.example"))[0]
    assert m["Bcc"] is None and "thief" not in m["X-Sink-To"]
    subject = str(email.header.make_header(email.header.decode_header(m["Subject"])))
    assert "«zqinjx lamp»" in subject and "\n" not in subject and "\r" not in subject
    assert "Bcc: thief@evil.example" in subject   # kept as text, on one line


def test_digest_groups_alerts_by_severity_and_settings_validate(s):
    sub, tok = s.tenant("Digest Reader Ltd")
    p = problem(s.request("PATCH", "/api/v1/delivery", body={
        "email_mode": "weekly", "digest_hour": 24, "digest_tz": "Mars/Olympus",
        "emails": ["not-an-address"]}, token=tok), 400)
    assert sorted(pointers(p)) == ["/digest_hour", "/email_mode", "/emails/0"], p
    p = problem(s.request("PATCH", "/api/v1/delivery", body={"digest_tz": "../../etc/passwd"},
                          token=tok), 400)
    assert pointers(p) == ["/digest_tz"]
    problem(s.post("/api/v1/delivery/digest", None, token=tok), 409, "not-digest")
    r = s.request("PATCH", "/api/v1/delivery", body={
        "emails": ["digest@reader.example"], "email_mode": "digest", "digest_hour": 8,
        "digest_tz": "Asia/Shanghai", "email_severity_floor": "low", "lang": "en"}, token=tok)
    assert r.status == 200, r
    assert r.json()["next_digest_at"].endswith("T00:00:00Z"), r.json()   # 08:00 in UTC+8
    s.make_alerts(sub, tok, 2, "digmed")
    s.make_alerts(sub, tok, 1, "dighigh", kind="patent")
    wait_until("three alerts waiting for the digest", lambda: s.redis(
        "ZCARD", f"sw:{{sub:{sub['id']}}}:digest") == 3)
    assert s.mail_to("digest@reader.example") == []
    r = s.post("/api/v1/delivery/digest", None, token=tok)
    assert r.status == 202 and r.json()["alerts"] == 3, r
    m = wait_until("the digest", lambda: s.mail_to("digest@reader.example"))[0]
    assert str(m["Subject"]).startswith("[Seawall] Daily digest: 3 alerts (0 critical, 1 high, "
                                        "2 medium")
    text = m.get_body(("plain",)).get_content()
    assert text.index("== High ==") < text.index("== Medium ==")
    assert text.count("zqdigmedx speaker dispute") == 2, text   # each alert's title once
    assert text.count("zqdighighx speaker dispute") == 1, text
    d = settle(s, tok, 1, "the digest delivered")
    assert d[0]["kind"] == "digest" and len(d[0]["alerts"]) == 3
    assert s.redis("ZCARD", f"sw:{{sub:{sub['id']}}}:digest") == 0


def _entries_for(s, sub, alert):
    """The deliveries stream's entries (on the subscriber's shard) that announce alert."""
    out = []
    for eid, fields in s.redis("XRANGE", s.stream_key("deliveries", sub), "-", "+"):
        f = dict(zip(fields[::2], fields[1::2]))
        if f.get("alert") == alert:
            out.append(eid)
    return out


def test_an_alert_not_yet_announced_is_announced_by_the_retry_and_delivered_once(s):
    """The matcher stores an alert in its subscriber's slot, then announces it on the
    deliveries stream; a crash between the two leaves the alert marked "unannounced". The
    event's retry finds the mark and announces it again; the notifier, seeing the alert a second
    time, makes no delivery again and digests it no second time."""
    rec = Receiver().start()
    try:
        sub, tok = s.tenant("Announced Twice Ltd")
        w = hook(s, tok, rec.url("ok", "twice"))
        rec.secrets["twice"] = [w["secret"]]
        r = s.request("PATCH", "/api/v1/delivery", body={
            "emails": ["twice@announce.example"], "email_mode": "digest",
            "email_severity_floor": "low", "lang": "en"}, token=tok)
        assert r.status == 200, r
        a = s.make_alerts(sub, tok, 1, "announce")[0]
        settle(s, tok, 1, "the webhook delivery")
        mark = f"sw:{{sub:{sub['id']}}}:alnew"
        wait_until("the alert announced", lambda: s.redis("HEXISTS", mark, a["id"]) == 0)
        assert len(_entries_for(s, sub["id"], a["id"])) == 1
        wait_until("the alert waiting for the digest", lambda: s.redis(
            "ZCARD", f"sw:{{sub:{sub['id']}}}:digest") == 1)
        r = s.post("/api/v1/delivery/digest", None, token=tok)
        assert r.status == 202 and r.json()["alerts"] == 1, r
        settle(s, tok, 2, "the digest delivered")
        # As a crash after the store script leaves it: stored, marked, its entry not written
        # (here: written already, so a second one shows the announcement).
        s.redis("HSET", mark, a["id"], "1")
        ev = {"id": "ev_announce_0", "source": "test", "type": "litigation",
              "jurisdiction": "US", "title": "Case 0: zqannouncex speaker dispute",
              "text": "complaint about zqannouncex speaker sales"}
        s.add_event(ev)
        wait_until("the retry's announcement", lambda: s.redis("HEXISTS", mark, a["id"]) == 0)
        assert len(_entries_for(s, sub["id"], a["id"])) == 2
        wait_until("the notifiers through the stream", lambda: _notified_up_to_now(s))
        assert len([h for h in rec.for_name("twice") if h.json()["data"]["id"] == a["id"]]) == 1
        d = deliveries(s, tok)
        assert sorted(x["kind"] for x in d) == ["digest", "webhook"], d
        assert s.redis("ZCARD", f"sw:{{sub:{sub['id']}}}:digest") == 0
        assert [x["id"] for x in s.get("/api/v1/alerts", token=tok).json()["items"]] == [a["id"]]
    finally:
        rec.stop()


def next_digest(zone, hour, t):
    """The first instant after t (epoch seconds) at which a local day in zone reaches hour:00,
    as the API writes it. A skipped hour is read with the earlier offset (fold=0), a repeated
    one is its first occurrence: what seawall's zone module does."""
    z = zoneinfo.ZoneInfo(zone)
    day = datetime.datetime.fromtimestamp(t, z).date()
    for i in range(3):
        d = day + datetime.timedelta(days=i)
        at = datetime.datetime(d.year, d.month, d.day, hour, tzinfo=z)
        if at.timestamp() > t:
            return at.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    raise AssertionError(f"no {hour}:00 in {zone} after {t}")


DIGEST_ZONES = [("Pacific/Kiritimati", 8), ("Pacific/Pago_Pago", 8), ("Asia/Shanghai", 8),
                ("America/New_York", 2), ("Europe/Berlin", 23), ("UTC", 8)]


def test_digest_times_stay_in_each_tenants_zone_under_concurrent_requests(s):
    tenants = []
    for zone, hour in DIGEST_ZONES:
        sub, tok = s.tenant(f"Zone {zone} Trading Ltd")
        t0 = time.time()
        r = s.request("PATCH", "/api/v1/delivery", body={
            "emails": [f"digest@{zone.replace('/', '-').lower()}.example"],
            "email_mode": "digest", "digest_hour": hour, "digest_tz": zone,
            "email_severity_floor": "low"}, token=tok)
        assert r.status == 200, r
        assert r.json()["next_digest_at"] in {next_digest(zone, hour, t0),
                                              next_digest(zone, hour, time.time())}, r.json()
        tenants.append((sub, tok, zone, hour))
    # The instants differ from tenant to tenant, so an answer in another tenant's zone (or in
    # UTC) cannot pass for the right one.
    now = time.time()
    assert len({next_digest(z, h, now) for _, _, z, h in tenants}) == len(tenants)

    answers, errors = [], []

    def client(n):
        try:
            for i in range(40):
                sub, tok, zone, hour = tenants[(n + i) % len(tenants)]
                t0 = time.time()
                if i % 5 == 0:   # writes too: the same settings again
                    r = s.request("PATCH", "/api/v1/delivery", body={
                        "digest_hour": hour, "digest_tz": zone}, token=tok)
                else:
                    r = s.get("/api/v1/delivery", token=tok)
                answers.append((zone, hour, t0, time.time(), r.status,
                                r.json().get("next_digest_at"), r.json().get("digest_tz")))
        except Exception as e:   # noqa: BLE001 - reported below with the thread's number
            errors.append((n, repr(e)))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(answers) == 8 * 40, errors
    wrong = [a for a in answers if a[4] != 200 or a[6] != a[0] or
             a[5] not in {next_digest(a[0], a[1], a[2]), next_digest(a[0], a[1], a[3])}]
    assert wrong == [], wrong[:5]

    # The notifier schedules each tenant's digest in its own zone too.
    far = [t for t in tenants if t[2] in ("Pacific/Kiritimati", "Pacific/Pago_Pago")]
    for sub, tok, zone, hour in far:
        t0 = time.time()
        s.make_alerts(sub, tok, 1, f"zone{sub['id']}")
        t1 = time.time()
        due = wait_until(f"the digest of {zone} scheduled", lambda: s.redis(
            "ZSCORE", schedule_key(s, sub["id"], "digest:due"), str(sub["id"])))
        at = datetime.datetime.fromtimestamp(int(float(due)) / 1000, datetime.timezone.utc)
        assert at.strftime("%Y-%m-%dT%H:%M:%SZ") in {next_digest(zone, hour, t0),
                                                     next_digest(zone, hour, t1)}, (zone, at)


def test_one_click_unsubscribe(s):
    sub, tok = s.tenant("Unsubscriber Ltd")
    s.request("PATCH", "/api/v1/delivery", body={"emails": ["bye@unsub.example",
                                                            "stay@unsub.example"],
                                                 "email_severity_floor": "low"}, token=tok)
    s.make_alerts(sub, tok, 1, "unsub")
    m = wait_until("the mail", lambda: s.mail_to("bye@unsub.example"))[0]
    link = m["List-Unsubscribe"].strip("<>")
    path = link.split(str(s.port), 1)[1]
    page = s.get(path)
    assert page.status == 200 and "<form method=post>" in page.body
    bad = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert s.get(bad).status == 404
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    other = f"/api/v1/unsubscribe?s={q['s'][0]}&e=stay%40unsub.example&t={q['t'][0]}"
    assert s.request("POST", other, raw="List-Unsubscribe=One-Click",
                     headers={"Content-Type": "application/x-www-form-urlencoded"}).status == 404
    r = s.request("POST", path, raw="List-Unsubscribe=One-Click",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 200 and r.json()["unsubscribed"] == "bye@unsub.example", r
    assert s.get("/api/v1/delivery", token=tok).json()["emails"] == ["stay@unsub.example"]


def test_bad_delivery_requests_are_answered_precisely(s):
    sub, tok = s.tenant("Careless Client Ltd")
    _, tok2 = s.tenant("Neighbour Ltd")
    # Lists: each bad parameter named.
    p = problem(s.get("/api/v1/deliveries?status=lost&kind=fax", token=tok), 400, "validation")
    assert sorted(e["parameter"] for e in p["errors"]) == ["kind", "status"], p
    assert p["detail"] == ("2 fields failed validation; first: status must be pending, "
                           "delivered, exhausted or cancelled"), p
    p = problem(s.get("/api/v1/deliveries?cursor=abc", token=tok), 400, "validation")
    assert p["errors"][0]["parameter"] == "cursor"
    p = problem(s.get("/api/v1/deliveries?limit=0", token=tok), 400, "validation")
    assert p["errors"][0]["parameter"] == "limit"
    for cur in ("12", "1-2-3", "-1", "a-1", "1-"):
        p = problem(s.get(f"/api/v1/delivery-log?cursor={cur}", token=tok), 400, "validation")
        assert [e["parameter"] for e in p["errors"]] == ["cursor"], (cur, p)
        assert "pointer" not in p["errors"][0], p
    p = problem(s.get("/api/v1/delivery-log?limit=100000", token=tok), 400, "validation")
    assert p["errors"][0]["parameter"] == "limit"
    # Ids that are malformed, unknown or someone else's: 404 and nothing more.
    for did in ("dl_nope", "dl_" + "0" * 32, "xx_" + "0" * 32):
        problem(s.get(f"/api/v1/deliveries/{did}", token=tok), 404, "not-found")
        problem(s.post(f"/api/v1/deliveries/{did}/replay", None, token=tok), 404, "not-found")
    w = hook(s, tok, "https://hooks.example.com/careless")
    for wid in ("999", "abc", "0"):
        problem(s.get(f"/api/v1/webhooks/{wid}", token=tok), 404)
        problem(s.request("DELETE", f"/api/v1/webhooks/{wid}", token=tok), 404)
        problem(s.post(f"/api/v1/webhooks/{wid}/rotate", {}, token=tok), 404)
    for call in (lambda t: s.get(f"/api/v1/webhooks/{w['id']}", token=t),
                 lambda t: s.request("PATCH", f"/api/v1/webhooks/{w['id']}",
                                     body={"enabled": False}, token=t),
                 lambda t: s.post(f"/api/v1/webhooks/{w['id']}/rotate", {}, token=t),
                 lambda t: s.request("DELETE", f"/api/v1/webhooks/{w['id']}", token=t)):
        problem(call(tok2), 404)
    assert s.get(f"/api/v1/webhooks/{w['id']}", token=tok).json()["enabled"] is True
    # Bodies: wrong types, ranges and unknown members named.
    p = problem(s.post(f"/api/v1/webhooks/{w['id']}/rotate", {"overlap_s": -1, "now": 1},
                       token=tok), 400)
    assert sorted(pointers(p)) == ["/now", "/overlap_s"], p
    p = problem(s.post(f"/api/v1/webhooks/{w['id']}/rotate", {"overlap_s": "1h"}, token=tok),
                400)
    assert pointers(p) == ["/overlap_s"], p
    p = problem(s.request("PATCH", "/api/v1/delivery", body={"emails": "a@b.example",
                                                             "colour": "red"}, token=tok), 400)
    assert sorted(pointers(p)) == ["/colour", "/emails"], p
    p = problem(s.request("PATCH", f"/api/v1/webhooks/{w['id']}", body={"enabled": "yes"},
                          token=tok), 400)
    assert pointers(p) == ["/enabled"], p
    # At most webhooks.max_per_subscriber (10) endpoints.
    for i in range(9):
        hook(s, tok, f"https://hooks.example.com/more/{i}")
    p = problem(s.post("/api/v1/webhooks", {"url": "https://hooks.example.com/eleventh"},
                       token=tok), 409, "too-many-webhooks")
    assert "at most 10" in p["detail"]
    assert len(s.get("/api/v1/webhooks", token=tok).json()["items"]) == 10
    # Unsubscribe links missing a part or naming no subscriber: 404, nothing changed.
    for q in ("", "?s=1&e=a%40b.example", "?s=x&e=a%40b.example&t=abc",
              f"?s={sub['id']}&e=a%40b.example&t="):
        problem(s.request("POST", "/api/v1/unsubscribe" + q, raw="List-Unsubscribe=One-Click",
                          headers={"Content-Type": "application/x-www-form-urlencoded"}), 404)
    problem(s.get("/api/v1/unsubscribe?s=1&e=a%40b.example&t=abc&extra=1"), 400, "validation")


def test_webhook_to_a_name_inside_the_network_refused_at_connect(s):
    """The entry check sees only a name; the connection sees where it leads. With no private
    range allowed, this machine's own host name (a loopback address) is refused each time and
    the receiver gets nothing."""
    import socket
    rec = Receiver().start()
    try:
        sub, tok = s.tenant("Named Inside Ltd")
        url = rec.url("ok", "inside").replace("127.0.0.1", socket.gethostname())
        hook(s, tok, url)
        with s.no_private_allowed("seawall-notifier"):
            s.make_alerts(sub, tok, 1, "namedinside")
            d = settle(s, tok, 1, "the delivery to give up")
            assert d[0]["status"] == "exhausted", d
            assert "loopback address" in d[0]["last_error"], d
            assert rec.for_name("inside") == []
    finally:
        rec.stop()


def _notified_up_to_now(s):
    """The notifiers have taken (and acknowledged) every entry of the deliveries stream."""
    return s.stream_settled("deliveries", "notifiers")


def _shard_notified(s, key):
    if not s.redis("EXISTS", key):
        return True
    last = s.redis("XREVRANGE", key, "+", "-", "COUNT", "1")
    for g in s.redis("XINFO", "GROUPS", key):
        info = dict(zip(g[::2], g[1::2]))
        if info["name"] == "notifiers":
            return info["pending"] == 0 and (not last or tuple(
                int(x) for x in info["last-delivered-id"].split("-")) >= tuple(
                int(x) for x in last[0][0].split("-")))
    return not last


def test_one_event_touching_three_items_is_one_call_and_one_mail_per_address(s):
    rec = Receiver().start()
    try:
        sub, tok = s.tenant("Grouped Delivery Co., Ltd.")
        w = hook(s, tok, rec.url("ok", "grouped"))
        rec.secrets["grouped"] = [w["secret"]]
        r = s.request("PATCH", "/api/v1/delivery", body={
            "emails": ["one@grouped.example", "two@grouped.example"],
            "email_severity_floor": "low", "lang": "en"}, token=tok)
        assert r.status == 200 and r.json()["emails_default"] is False, r
        r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio/import", {"items": [
            {"kind": "name", "text": "Xiamen Grouped Audio Co., Ltd."},
            {"kind": "patent", "number": "US 7,654,321 B2"},
            {"kind": "keyword", "text": "zqgroupedx speaker", "countries": ["US"]}]},
            token=tok)
        assert r.status == 201, r
        ev = {"id": "ev_grouped_1", "source": "test", "type": "litigation",
              "jurisdiction": "US", "title": "Acme v. Xiamen Grouped Audio",
              "parties": [{"name": "XIAMEN GROUPED AUDIO CO LTD", "role": "defendant"}],
              "numbers": {"patents": ["US7654321"]},
              "text": "the zqgroupedx speaker infringes U.S. Patent No. 7,654,321"}
        s.add_event(ev)
        d = settle(s, tok, 3, "one webhook call and two mails")
        assert sorted(x["kind"] for x in d) == ["email", "email", "webhook"], d
        # A later event's deliveries settled too: nothing more came for the first one.
        s.add_event(dict(ev, id="ev_grouped_2", parties=[], numbers={}, title="zqgroupedx news"))
        settle(s, tok, 6, "the second event's deliveries")
        hooks = [h for h in rec.for_name("grouped") if h.json()["data"]["event_id"] ==
                 "ev_grouped_1"]
        assert len(hooks) == 1 and hooks[0].valid_with == [w["secret"]], hooks
        data = hooks[0].json()["data"]
        assert data["severity"] == "critical" and len(data["items"]) == 3, data
        assert [i["rule"] for i in data["items"]] == ["named-as-defendant", "patent-cited",
                                                       "keyword-in-market"], data["items"]
        for addr in ("one@grouped.example", "two@grouped.example"):
            got = [m for m in s.mail_to(addr) if "Grouped Audio" in str(m["Subject"])]
            assert len(got) == 1, (addr, got)
            text = got[0].get_body(("plain",)).get_content()
            assert "3 of your items" in text, text
            for t in ("Xiamen Grouped Audio Co., Ltd.", "US7654321", "zqgroupedx speaker"):
                assert t in text, (t, text)
    finally:
        rec.stop()


def _restart_notifier(s, env):
    """Restarts the notifier with env; returns the settings it replaced (None: unset)."""
    old = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    s.script("stop-one", "seawall-notifier")
    s.script("start-worker", "seawall-notifier")
    return old


def test_test_events_and_retry_now(s):
    """A test event is signed and delivered like an alert's, to a disabled endpoint too, and
    leaves the endpoint's failure record alone; retry now makes a pending delivery's next
    attempt at once; a finished one answers 409 (replay is for those), one being attempted
    409 too."""
    rec = Receiver().start()
    rec.hold = 30.0
    old = _restart_notifier(s, {"SEAWALL_NOTIFIER_RETRY_SCHEDULE": "1h,1h",
                                "SEAWALL_NOTIFIER_TIMEOUT_MS": "8000",
                                "SEAWALL_NOTIFIER_LEASE_MS": "20000"})
    try:
        sub, tok = s.tenant("Test Button Ltd")
        w = hook(s, tok, rec.url("switch", "tst"))
        rec.secrets["tst"] = [w["secret"]]
        rec.mode["tst"] = "fail"
        r = s.post(f"/api/v1/webhooks/{w['id']}/test", None, token=tok)
        assert r.status == 202, r
        d = r.json()
        assert d["topic"] == "webhook.test" and d["status"] == "pending", d
        assert r.header("Location") == f"/api/v1/deliveries/{d['id']}"
        h = rec.wait("the test event", lambda hs: [x for x in hs if x.path == "/switch/tst"])[0]
        assert h.id == d["id"] and h.valid_with == [w["secret"]], h.headers
        body = h.json()
        assert body["type"] == "webhook.test" and body["data"]["test"] is True, body
        assert body["data"]["webhook"] == w["id"] and "not an alert" in body["data"]["detail"]
        one = wait_until("the failed attempt recorded", lambda: (lambda x: x if x["attempts"] ==
                         1 else None)(s.get(f"/api/v1/deliveries/{d['id']}", token=tok).json()))
        assert one["status"] == "pending" and one["last_status_code"] == 500, one
        # A failing test does not start the endpoint's failure record.
        assert "failing_since" not in s.get(f"/api/v1/webhooks/{w['id']}",
                                            token=tok).json()["state"]
        # Fixed; retry now instead of in an hour: the same webhook-id, delivered.
        rec.mode["tst"] = "ok"
        r = s.post(f"/api/v1/deliveries/{d['id']}/retry", None, token=tok)
        assert r.status == 202 and r.json()["status"] == "pending", r
        done = wait_until("the retry delivered", lambda: (lambda x: x if x["status"] ==
                          "delivered" else None)(s.get(f"/api/v1/deliveries/{d['id']}",
                                                       token=tok).json()))
        assert done["attempts"] == 2
        assert [x.id for x in rec.for_name("tst")] == [d["id"], d["id"]]
        p = problem(s.post(f"/api/v1/deliveries/{d['id']}/retry", None, token=tok), 409,
                    "delivery-finished")
        assert "replay" in p["detail"], p
        # A disabled endpoint still takes a test (that is how its owner checks it).
        r = s.request("PATCH", f"/api/v1/webhooks/{w['id']}", body={"enabled": False},
                      token=tok)
        assert r.status == 200, r
        t2 = s.post(f"/api/v1/webhooks/{w['id']}/test", None, token=tok).json()
        assert t2["id"] != d["id"]
        rec.wait("the second test", lambda hs: [x for x in hs if x.id == t2["id"]])
        # An attempt in flight (the endpoint holds it): retry now answers 409.
        w2 = hook(s, tok, rec.url("slow", "held"))
        t3 = s.post(f"/api/v1/webhooks/{w2['id']}/test", None, token=tok).json()
        rec.wait("the held attempt", lambda hs: [x for x in hs if x.id == t3["id"]])
        problem(s.post(f"/api/v1/deliveries/{t3['id']}/retry", None, token=tok), 409,
                "delivery-in-flight")
        # Nobody else's, and nothing made up.
        _, tok2 = s.tenant("Test Button Neighbour Ltd")
        problem(s.post(f"/api/v1/webhooks/{w['id']}/test", None, token=tok2), 404)
        problem(s.post(f"/api/v1/deliveries/{d['id']}/retry", None, token=tok2), 404)
        problem(s.post("/api/v1/deliveries/dl_nope/retry", None, token=tok), 404)
        problem(s.post("/api/v1/webhooks/999/test", None, token=tok), 404)
    finally:
        rec.stop()
        _restart_notifier(s, old)


def test_settings_offer_the_account_address_until_a_list_is_saved(s):
    sub = s.make("/api/v1/subscribers", {"name": "Fresh Subscriber Ltd", "country": "CN",
                                         "email": "owner@fresh-subscriber.example"})
    tok = s.token_for("exporter", sub["id"])
    r = s.get("/api/v1/delivery", token=tok)
    assert r.status == 200, r
    assert r.json()["emails"] == ["owner@fresh-subscriber.example"], r.json()
    assert r.json()["emails_default"] is True
    r = s.request("PATCH", "/api/v1/delivery", body={"email_severity_floor": "low"}, token=tok)
    assert r.json()["emails_default"] is True and r.json()["email_severity_floor"] == "low"
    # Offered, not saved: an alert mails nobody.
    s.make_alerts(sub, tok, 1, "freshsub")
    wait_until("the notifier to take the alert", lambda: _notified_up_to_now(s))
    assert deliveries(s, tok) == []
    assert s.mail_to("owner@fresh-subscriber.example") == []
    # Saved, even empty: the exporter's list from then on.
    r = s.request("PATCH", "/api/v1/delivery", body={"emails": []}, token=tok)
    assert r.json()["emails"] == [] and r.json()["emails_default"] is False, r
    assert s.get("/api/v1/delivery", token=tok).json()["emails_default"] is False
    r = s.request("PATCH", "/api/v1/delivery", body={"emails": ["owner@fresh-subscriber.example"]},
                  token=tok)
    assert r.json()["emails"] == ["owner@fresh-subscriber.example"]
    assert r.json()["emails_default"] is False
