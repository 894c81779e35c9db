"""The poller through the real stack: feeds registered by API, served over HTTP on loopback by
nginx (ETag, Last-Modified) or by the misbehaving test server, and the status each poll leaves
behind, its schedule, and the events stream (each event once)."""
import datetime
import os
import shutil
import signal

from feedserver import Server
from harness import feed, problem, wait_status, wait_until

SERVER = None


def server():
    global SERVER
    if SERVER is None:
        SERVER = Server()
    return SERVER


def add_feed(s, url, **kw):
    body = {"url": url, "interval_s": 3600}
    body.update(kw)
    r = s.post("/api/v1/feeds", body, token=s.admin)
    assert r.status == 201, r
    return r.json()


def poll(s, fid):
    r = s.post(f"/api/v1/feeds/{fid}/poll", None, token=s.admin)
    assert r.status == 202, r


def ts(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def stream_ids(s, fid):
    """Event ids in the events stream that came from this feed, in order."""
    out = []
    for _, ev in s.stream_entries("events"):
        if f'"source":"feed:{fid}"' in ev["event"]:
            out.append(ev["id"])
    return out


def failed_once(s, fid, needle, timeout=20):
    f = wait_status(s, fid, lambda st: st.get("consecutive_failures", 0) >= 1,
                    f"feed {fid} to fail", timeout)
    st = f["status"]
    assert needle in st["last_error"], st
    return f


def assert_backoff(st, failures, base=2):
    """next_poll_at lies in [d/2, d] after the failure, d = base·2^(n-1) s (second precision)."""
    d = base * 2 ** (failures - 1)
    delay = (ts(st["next_poll_at"]) - ts(st["last_error_at"])).total_seconds()
    assert d / 2 - 1 <= delay <= d + 1, (d, delay, st)


def test_nginx_feed_conditional_get(s):
    src = os.path.join(s.root, "..", "shared", "feeds", "pacer-rss", "cafc.xml")
    shutil.copy(src, os.path.join(s.dir, "feeds", "poll-cafc.xml"))
    f = add_feed(s, f"http://127.0.0.1:{s.port}/feeds/poll-cafc.xml")
    f = wait_status(s, f["id"], lambda st: st.get("polls", 0) >= 1, "the first poll")
    st = f["status"]
    assert st["http_status"] == 200 and st["items_seen"] == 2 and st["events_emitted"] == 2, st
    assert f["format"] == "auto" and f["enabled"] is True
    poll(s, f["id"])
    f = wait_status(s, f["id"], lambda st: st.get("not_modified", 0) >= 1, "a 304 from nginx")
    assert f["status"]["http_status"] == 304 and f["status"]["events_emitted"] == 2
    assert f["status"]["consecutive_failures"] == 0
    ids = stream_ids(s, f["id"])
    assert len(ids) == 2 and len(set(ids)) == 2
    # A changed file is fetched again; its items are the same, so no new event.
    with open(os.path.join(s.dir, "feeds", "poll-cafc.xml"), "ab") as fh:
        fh.write(b"\n")
    poll(s, f["id"])
    f = wait_status(s, f["id"], lambda st: st.get("polls", 0) >= 3, "a third poll")
    assert f["status"]["http_status"] == 200 and len(stream_ids(s, f["id"])) == 2


def test_etag_sent_back(s):
    srv = server()
    f = add_feed(s, srv.url("/ok"))
    wait_status(s, f["id"], lambda st: st.get("polls", 0) >= 1, "the first poll")
    poll(s, f["id"])
    f = wait_status(s, f["id"], lambda st: st.get("not_modified", 0) >= 1, "a 304")
    assert srv.headers["/ok"][-1].get("If-None-Match") == '"v1"'
    assert f["status"]["events_emitted"] == 3


def test_same_items_with_new_dates_make_no_new_events(s):
    f = add_feed(s, server().url("/redated"))
    wait_status(s, f["id"], lambda st: st.get("polls", 0) >= 1, "the first poll")
    for n in (2, 3):
        poll(s, f["id"])
        wait_status(s, f["id"], lambda st, n=n: st.get("polls", 0) >= n, f"poll {n}")
    st = feed(s, f["id"])["status"]
    assert st["items_seen"] == 12 and st["events_emitted"] == 4, st
    assert len(stream_ids(s, f["id"])) == 4


def test_stall_mid_body_fails_and_backs_off(s):
    f = add_feed(s, server().url("/stall"))
    st = failed_once(s, f["id"], "Timeout was reached")["status"]
    assert "too slow" in st["last_error"].lower() or "timed out" in st["last_error"].lower(), st
    assert_backoff(st, 1)


def test_body_caps_plain_chunked_and_gzip_bomb(s):
    for path in ("/big-plain", "/big-chunked", "/gzip-bomb"):
        f = add_feed(s, server().url(path))
        st = failed_once(s, f["id"], "larger than 262144 bytes")["status"]
        assert st.get("events_emitted", 0) == 0, st
        assert stream_ids(s, f["id"]) == []


def test_lying_content_length(s):
    f = add_feed(s, server().url("/lying-length"))
    st = failed_once(s, f["id"], "Transferred a partial file")["status"]
    assert_backoff(st, 1)


def test_redirect_loop(s):
    f = add_feed(s, server().url("/loop"))
    failed_once(s, f["id"], "more than 5 redirects")
    assert server().count("/loop") >= 6


def test_redirects_inside_the_network_refused(s):
    """A redirect's target is checked like a URL given by a person before it is followed (the
    Location as the server wrote it, so a disguised host cannot hide behind libcurl's decoding),
    and its address again when the connection is made."""
    for path, needle in (("/to-private", "the host 10.255.255.1 points inside the network "
                                         "(private address)"),
                         ("/to-loopback", "the host 127.0.0.2 points inside the network "
                                          "(loopback address)"),
                         ("/to-ftp", "only http and https URLs are allowed"),
                         ("/to-localhost-dot", "names this machine (localhost)"),
                         ("/to-percent-encoded", "is percent-encoded"),
                         ("/to-percent-encoded-no-scheme", "is percent-encoded"),
                         ("/to-6to4", "(6to4 address)"),
                         ("/to-decimal-ip", "reads as 127.0.0.1")):
        f = add_feed(s, server().url(path))
        st = failed_once(s, f["id"], needle)["status"]
        assert "cannot follow the redirect to " in st["last_error"], st
        assert "refused the URL: " in st["last_error"], st
    assert server().count("/ssrf-target") == 0


def test_names_that_resolve_inside_the_network_refused_at_connect(s):
    """A name is judged by the address it resolves to, when the connection is made: with no
    private range allowed, this machine's own host name (a loopback address) is refused and
    the server sees nothing. ("localhost" itself is refused when the feed is registered.)"""
    import socket
    port = server().port
    with s.no_private_allowed("seawall-poller"):
        before = server().count("/ok")
        f = add_feed(s, f"http://{socket.gethostname()}:{port}/ok")
        failed_once(s, f["id"], "(loopback address): not allowed for fetches")
        assert server().count("/ok") == before
    # The same name is fetched once the allowance is back: the refusal was the guard's.
    poll(s, f["id"])
    wait_status(s, f["id"], lambda st: st.get("http_status") == 200, "a fetch with the allowance")


def test_permanent_redirect_updates_the_url(s):
    for path in ("/moved", "/moved-308"):
        f = add_feed(s, server().url(path))
        wait_status(s, f["id"], lambda st: st.get("polls", 0) >= 1, "the first poll")
        # The poller writes the new address, then the poll's status; a read of the feed may
        # fall between the two (seen under valgrind), so the address is waited for too.
        f = wait_until("the new address", lambda: (lambda g: g if g["url"] ==
                                                   server().url("/ok") else None)(
            feed(s, f["id"])), timeout=20)
        assert f["status"]["moved_from"] == server().url(path)
        assert f["status"]["events_emitted"] == 3 or f["status"]["http_status"] == 200


def test_temporary_redirect_keeps_the_url(s):
    f = add_feed(s, server().url("/temp"))
    f = wait_status(s, f["id"], lambda st: st.get("polls", 0) >= 1, "the first poll")
    assert f["url"] == server().url("/temp") and f["status"]["http_status"] == 200
    assert "moved_from" not in f["status"]


def test_server_errors_back_off_exponentially(s):
    f = add_feed(s, server().url("/e500"))
    st = failed_once(s, f["id"], "HTTP 500")["status"]
    assert st["http_status"] == 500
    assert_backoff(st, 1)
    poll(s, f["id"])
    st = wait_status(s, f["id"], lambda st: st.get("consecutive_failures", 0) >= 2,
                     "a second failure")["status"]
    assert_backoff(st, 2)
    f = add_feed(s, server().url("/e404"))
    assert failed_once(s, f["id"], "HTTP 404")["status"]["http_status"] == 404


def test_gone_disables_with_reason(s):
    f = add_feed(s, server().url("/gone"))
    f = wait_status(s, f["id"], lambda st: "disabled_reason" in st, "the feed to be disabled")
    assert f["enabled"] is False and "410 Gone" in f["status"]["disabled_reason"]
    assert s.redis("ZSCORE", "sw:feeds:due", f["id"]) is None
    problem(s.post(f"/api/v1/feeds/{f['id']}/poll", None, token=s.admin), 409, "feed-disabled")
    hits = server().count("/gone")
    r = s.request("PATCH", f"/api/v1/feeds/{f['id']}", body={"enabled": True}, token=s.admin)
    assert r.status == 200 and "disabled_reason" not in r.json()["status"], r
    wait_until("a poll after enabling", lambda: server().count("/gone") > hits)


def test_retry_after_is_honoured(s):
    f = add_feed(s, server().url("/e429"))
    st = failed_once(s, f["id"], "retry after 120 s")["status"]
    delay = (ts(st["next_poll_at"]) - ts(st["last_error_at"])).total_seconds()
    assert 119 <= delay <= 121, st
    f = add_feed(s, server().url("/e503-date"))
    st = failed_once(s, f["id"], "HTTP 503; the server asks for a retry after")["status"]
    delay = (ts(st["next_poll_at"]) - ts(st["last_error_at"])).total_seconds()
    assert 290 <= delay <= 302, st
    f = add_feed(s, server().url("/e429-bare"))
    st = failed_once(s, f["id"], "HTTP 429 without Retry-After")["status"]
    assert_backoff(st, 1)


def test_broken_documents(s):
    f = add_feed(s, server().url("/broken"))
    st = failed_once(s, f["id"], "the document broke off after 2 events")["status"]
    assert st["events_emitted"] == 2 and len(stream_ids(s, f["id"])) == 2
    f = add_feed(s, server().url("/garbage"))
    failed_once(s, f["id"], "the document could not be read: unrecognised document")


NEVER_ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
             b"UID:feb-30@example.org\r\nSUMMARY:Never\r\nDTSTART:20270101T000000Z\r\n"
             b"RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
GOOD_ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
            b"UID:weekly-fair@example.org\r\nSUMMARY:Weekly Poller Fair\r\n"
            b"DTSTART:20270104T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n")


def test_calendar_rule_that_can_never_occur_fails_its_feed_alone(s):
    # libical would walk this rule second by second to the year 2582, and the poller with it:
    # no other feed polled, SIGTERM unheard. Now that feed fails, saying which event and rule;
    # the good calendar registered with it is polled; the poller still stops on SIGTERM.
    for name, data in (("never.ics", NEVER_ICS), ("good-fairs.ics", GOOD_ICS)):
        with open(os.path.join(s.dir, "feeds", name), "wb") as fh:
            fh.write(data)
    bad = add_feed(s, f"http://127.0.0.1:{s.port}/feeds/never.ics")
    good = add_feed(s, f"http://127.0.0.1:{s.port}/feeds/good-fairs.ics", format="ical")
    st = failed_once(s, bad["id"], 'the document could not be read: event "feb-30@example.org": '
                     "RRULE FREQ=SECONDLY;BYMONTHDAY=30;BYMONTH=2 can never occur: no date "
                     "satisfies BYMONTH and BYMONTHDAY together")["status"]
    assert st["events_emitted"] == 0 and stream_ids(s, bad["id"]) == [], st
    st = wait_status(s, good["id"], lambda st: st.get("events_emitted", 0) == 3,
                     "the good calendar's three events")["status"]
    assert st["consecutive_failures"] == 0 and len(set(stream_ids(s, good["id"]))) == 3, st
    log = os.path.join(s.dir, "logs", "seawall-poller.log")
    with open(log, errors="replace") as fh:
        stops = fh.read().count("stopping:")
    try:
        p = s.script("stop-one", "seawall-poller")
        assert "ignored SIGTERM" not in p.stderr, p.stderr
        with open(log, errors="replace") as fh:
            assert fh.read().count("stopping:") == stops + 1
    finally:
        s.ensure_running()
    for f in (bad, good):
        assert s.request("DELETE", f"/api/v1/feeds/{f['id']}", token=s.admin).status == 204


def test_http_charset_and_deflate(s):
    f = add_feed(s, server().url("/cp1251"))
    wait_status(s, f["id"], lambda st: st.get("events_emitted", 0) == 1, "the event")
    ev = s.redis("GET", s.event_seen_key(stream_ids(s, f['id'])[0]))
    assert '"title":"Цитата"' in ev, ev
    f = add_feed(s, server().url("/deflate"))
    wait_status(s, f["id"], lambda st: st.get("events_emitted", 0) == 2, "two events")


def test_feed_api_validation(s):
    for body, ptr in (({"url": "ftp://example.com/feed"}, "/url"),
                      ({"url": "http:///nohost"}, "/url"),
                      ({"url": "http://"}, "/url"),
                      ({"url": "https://user:pw@example.com/feed"}, "/url"),
                      ({"url": "not a url at all"}, "/url"),
                      ({"url": "https://example.com/f", "interval_s": 0}, "/interval_s"),
                      ({"url": "https://example.com/f", "format": "xls"}, "/format"),
                      ({"url": "https://example.com/f", "type": "gossip"}, "/type"),
                      ({"url": "https://example.com/f", "enabled": "yes"}, "/enabled"),
                      ({"url": "https://example.com/f", "colour": "red"}, "/colour")):
        p = problem(s.post("/api/v1/feeds", body, token=s.admin), 400, "validation")
        assert ptr in [e["pointer"] for e in p["errors"]], (body, p)
    sub, tok = s.tenant("Feed Snooper")
    problem(s.get("/api/v1/feeds", token=tok), 403)
    problem(s.get("/api/v1/feeds/1", token=tok), 404)
    f = add_feed(s, "https://example.invalid/feed.xml", enabled=False)
    assert s.redis("ZSCORE", "sw:feeds:due", f["id"]) is None
    assert s.request("DELETE", f"/api/v1/feeds/{f['id']}", token=s.admin).status == 204
    problem(s.get(f"/api/v1/feeds/{f['id']}", token=s.admin), 404)
    problem(s.request("DELETE", f"/api/v1/feeds/{f['id']}", token=s.admin), 404)
    listed = s.get("/api/v1/feeds?limit=200", token=s.admin).json()["items"]
    assert all("status" in x for x in listed)


def test_poller_killed_mid_poll_loses_and_doubles_nothing(s):
    srv = server()
    srv.release.clear()
    s.script("start-worker", "seawall-poller-2")
    try:
        f = add_feed(s, srv.url("/slow"))
        holder = wait_until("a poller to take the feed",
                            lambda: s.redis("GET", f"sw:feed:{f['id']}:lease"))
        wait_until("the request to arrive", lambda: srv.count("/slow") >= 1)
        s.script("stop-one", holder, "--kill")
        srv.release.set()
        f = wait_status(s, f["id"], lambda st: st.get("events_emitted", 0) == 5,
                        "the other poller to finish the feed", timeout=30)
        assert f["status"]["consecutive_failures"] == 0
        ids = stream_ids(s, f["id"])
        assert len(ids) == 5 and len(set(ids)) == 5
        assert s.redis("GET", f"sw:feed:{f['id']}:lease") is None
    finally:
        srv.release.set()
        for name in ("seawall-poller-2",):
            s.script("stop-one", name, check=False)
        s.ensure_running()


def test_a_feed_cannot_forge_a_log_line(s):
    # An item's date holds an encoded newline and then a whole log line; the document breaks
    # off after it, so the poller logs the failure with the date's warning in it.
    forged = "2026-12-01T00:00:00Z seawall-poller[1] error: FORGED"
    doc = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
           '<item><title>forger</title><guid>forged-log-1</guid>'
           f'<pubDate>Mon&#10;{forged}</pubDate></item><item><title>cut')
    with open(os.path.join(s.dir, "feeds", "poll-forged-log.xml"), "w") as fh:
        fh.write(doc)
    f = add_feed(s, f"http://127.0.0.1:{s.port}/feeds/poll-forged-log.xml")
    st = failed_once(s, f["id"], "unreadable date")["status"]
    assert f"Mon\n{forged}" in st["last_error"], st   # the status keeps the text as it was
    path = os.path.join(s.dir, "logs", "seawall-poller.log")

    def logged():
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        mine = [ln for ln in lines if f"feed {f['id']}: the document broke off" in ln]
        return (lines, mine) if mine else None

    lines, mine = wait_until("the poller to log the failure", logged)
    assert not [ln for ln in lines if ln.startswith(forged)], lines
    assert f'unreadable date "Mon\\x0A{forged}"' in mine[0], mine
