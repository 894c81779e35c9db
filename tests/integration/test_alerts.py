"""The inbox: filters and cursors, status changes one or many with counts kept in step, and the
live stream (Server-Sent Events held by nginx's Nchan, admitted by the API): alerts arrive as
they are made, a client resumes with Last-Event-ID or is told of a gap, heartbeats keep it
open, caps answer 429, revoking the token ends it, and open streams hold no API thread."""
import json
import os
import re
import socket
import time
import urllib.parse

from harness import pointers, problem, wait_until
from peoplelib import make_person, sign_in


class SSE:
    """A raw Server-Sent Events client: one GET kept open, events read as they come."""

    def __init__(self, s, tok, last_id=None, cookie=None):
        """tok: a bearer token; or cookie: the portal's "sw_session=…" instead."""
        self.sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        h = (f"GET /api/v1/alerts/stream HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n" +
             (f"Cookie: {cookie}\r\n" if cookie else f"Authorization: Bearer {tok}\r\n"))
        if last_id:
            h += f"Last-Event-ID: {last_id}\r\n"
        self.sock.sendall((h + "\r\n").encode())
        self.raw = b""
        self.ended = False
        while b"\r\n\r\n" not in self.raw:
            self._recv()
            if self.ended:
                raise EOFError("closed before the response head")
        head, self.raw = self.raw.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers[k.lower()] = v.strip()
        self.chunked = self.headers.get("transfer-encoding") == "chunked"
        # A response with a length (the gap, a problem) ends there, the connection kept open.
        self.left = int(self.headers["content-length"]) if "content-length" in self.headers \
            else None
        self.buf = b""
        self.ended = False
        self.comments = []

    def _recv(self):
        data = self.sock.recv(65536)
        if not data:
            self.ended = True
            return
        self.raw += data

    def _decode(self):
        """Moves whole chunks (or everything, unchunked) from raw to buf."""
        if self.left is not None:
            take, self.raw = self.raw[:self.left], self.raw[self.left:]
            self.buf += take
            self.left -= len(take)
            if self.left == 0:
                self.ended = True
            return
        if not self.chunked:
            self.buf, self.raw = self.buf + self.raw, b""
            return
        while b"\r\n" in self.raw:
            size_line, rest = self.raw.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:   # the last chunk: events already decoded are still read
                self.ended = True
                self.raw = b""
                return
            if len(rest) < size + 2:
                return
            self.buf += rest[:size]
            self.raw = rest[size + 2:]

    def body(self, timeout=15):
        """The whole body of a response with a length (a problem, the gap)."""
        deadline = time.monotonic() + timeout
        self._decode()
        while not self.ended:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            self._recv()
            self._decode()
        return self.buf

    def event(self, timeout=15):
        """The next event as a dict (id, event, data), skipping comments (kept in .comments)."""
        deadline = time.monotonic() + timeout
        while True:
            self._decode()
            while b"\n\n" not in self.buf:
                if self.ended:
                    raise EOFError("stream ended")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no event in time")
                self.sock.settimeout(left)
                try:
                    self._recv()
                except socket.timeout:
                    raise AssertionError("no event in time")
                self._decode()
            block, self.buf = self.buf.split(b"\n\n", 1)
            ev = {"id": None, "event": "message", "data": ""}
            for line in block.decode().split("\n"):
                if line.startswith(":"):
                    self.comments.append(line)
                    continue
                k, _, v = line.partition(": ")
                if k in ev:
                    ev[k] = v
            if ev["data"] or ev["event"] != "message":
                return ev

    def close(self):
        self.sock.close()


def test_filters_cursor_status_and_counts(s):
    sub, tok = s.tenant("Inbox Owner Ltd")
    med = s.make_alerts(sub, tok, 3, "inboxmed")
    high = s.make_alerts(sub, tok, 2, "inboxhigh", kind="patent")
    crit = s.make_alerts(sub, tok, 1, "inboxcrit", kind="name")
    assert {a["severity"] for a in med} == {"medium"} and {a["severity"] for a in high} == \
        {"high"} and crit[0]["severity"] == "critical", (med, high, crit)
    every = s.get("/api/v1/alerts?limit=200", token=tok).json()["items"]
    assert len(every) >= 6
    # Cursor pages: newest first, no overlap, nothing missed.
    seen, cursor = [], None
    while True:
        q = "/api/v1/alerts?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = s.get(q, token=tok).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == [a["id"] for a in every]
    got = s.get("/api/v1/alerts?severity=high,critical", token=tok).json()["items"]
    assert {a["id"] for a in got} == {a["id"] for a in high + crit}
    item = med[0]["item_ids"][0]
    got = s.get(f"/api/v1/alerts?item={item}&type=litigation&country=US", token=tok).json()
    assert {a["id"] for a in got["items"]} == {a["id"] for a in med}
    assert s.get("/api/v1/alerts?country=DE", token=tok).json()["items"] == []
    assert s.get("/api/v1/alerts?until=2001-01-01", token=tok).json()["items"] == []
    assert len(s.get("/api/v1/alerts?since=2001-01-01T00:00:00Z&limit=200",
                     token=tok).json()["items"]) == len(every)
    got = s.get("/api/v1/alerts?rule=named-as-defendant", token=tok).json()["items"]
    assert [a["id"] for a in got] == [crit[0]["id"]]
    # Status: one, then many; counts follow.
    c0 = s.get("/api/v1/alerts/counts", token=tok).json()
    assert c0["status"]["new"] == len(every) and c0["severity"]["high"] == 2
    r = s.request("PATCH", f"/api/v1/alerts/{crit[0]['id']}", body={"status": "read"},
                  token=tok)
    assert r.status == 200 and r.json()["status"] == "read", r
    ids = [a["id"] for a in med] + ["al_" + "0" * 32]
    r = s.post("/api/v1/alerts/status", {"ids": ids, "status": "dismissed"}, token=tok)
    assert r.status == 200, r
    assert sorted(r.json()["updated"]) == sorted(a["id"] for a in med)
    assert r.json()["not_found"] == ["al_" + "0" * 32]
    r = s.post("/api/v1/alerts/status", {"ids": ids[:1], "status": "dismissed"}, token=tok)
    assert r.json()["unchanged"] == ids[:1]
    c1 = s.get("/api/v1/alerts/counts", token=tok).json()
    assert c1["status"] == {"new": len(every) - 4, "read": 1, "dismissed": 3}, c1
    assert c1["new"]["critical"] == 0 and c1["new"]["medium"] == c0["new"]["medium"] - 3
    assert c1["total"] == c0["total"]
    got = s.get("/api/v1/alerts?status=dismissed", token=tok).json()["items"]
    assert sorted(a["id"] for a in got) == sorted(a["id"] for a in med)
    assert all(a["status"] == "dismissed" for a in got)
    # Another exporter can neither see nor change them.
    _, tok2 = s.tenant("Inbox Intruder Ltd")
    r = s.post("/api/v1/alerts/status", {"ids": ids[:1], "status": "new"}, token=tok2)
    assert r.json()["not_found"] == ids[:1]
    assert s.request("PATCH", f"/api/v1/alerts/{ids[0]}", body={"status": "new"},
                     token=tok2).status == 404
    assert s.get("/api/v1/alerts/counts", token=tok2).json()["total"] == 0


def test_bad_filters_and_status_changes_are_named(s):
    _, tok = s.tenant("Inbox Validation Ltd")
    p = problem(s.get("/api/v1/alerts?severity=urgent&status=open&type=rumour&country=XX"
                      "&item=-1&since=yesterday&until=2026-13-01&rule=Bad_Rule", token=tok), 400)
    assert sorted(e["parameter"] for e in p["errors"]) == sorted(
        ["severity", "status", "type", "country", "item", "since", "until", "rule"]), p
    assert pointers(p) == [None] * 8, p   # query parameters are named as parameter, not pointer
    assert p["detail"].startswith("8 fields failed validation; first: severity must be "), p
    problem(s.get("/api/v1/alerts?unknown=1", token=tok), 400)
    p = problem(s.post("/api/v1/alerts/status", {"ids": ["al_x", 5], "status": "archived"},
                       token=tok), 400)
    assert sorted(pointers(p)) == ["/ids/1", "/status"], p
    p = problem(s.post("/api/v1/alerts/status", {"ids": ["al_x", "al_" + "0" * 32, "al_y"],
                                                 "status": "read"}, token=tok), 400)
    assert pointers(p) == ["/ids/0", "/ids/2"], p
    p = problem(s.post("/api/v1/alerts/status", {"ids": [], "status": "read"}, token=tok), 400)
    assert pointers(p) == ["/ids"]
    assert s.request("PATCH", "/api/v1/alerts/al_nope", body={"status": "read"},
                     token=tok).status == 404
    p = problem(s.request("PATCH", "/api/v1/alerts/al_" + "0" * 32,
                          body={"status": "archived", "note": "x"}, token=tok), 400)
    assert sorted(pointers(p)) == ["/note", "/status"], p
    problem(s.request("PATCH", "/api/v1/alerts/al_" + "0" * 32, body={"status": "read"},
                      token=tok), 404, "not-found")
    assert s.get("/api/v1/alerts/counts", token=s.admin).status == 403


EVENT_ID = re.compile(r"\d+:\[\d+\],-")


def test_live_stream_delivers_resumes_and_beats(s):
    sub, tok = s.tenant("Live Watcher Ltd")
    c = SSE(s, tok)
    try:
        assert c.status == 200 and c.headers["content-type"].startswith("text/event-stream")
        made = s.make_alerts(sub, tok, 2, "livea")
        got = [c.event(), c.event()]
        assert all(e["event"] == "alert" for e in got)
        assert all(EVENT_ID.fullmatch(e["id"]) for e in got), got
        assert [json.loads(e["data"])["id"] for e in got] == [a["id"] for a in reversed(made)]
        first_id = got[0]["id"]
        # A quiet stream carries heartbeats (one a second in the tests).
        wait_until("a heartbeat", lambda: _heartbeat(c), timeout=10)
    finally:
        c.close()
    # Reconnecting with the first event's id replays what came after it.
    more = s.make_alerts(sub, tok, 1, "liveb")
    c2 = SSE(s, tok, last_id=first_id)
    try:
        ids = [json.loads(c2.event()["data"])["id"] for _ in range(2)]
        assert ids == [json.loads(got[1]["data"])["id"], more[0]["id"]], ids
    finally:
        c2.close()
    problem(s.get("/api/v1/alerts/stream", token=tok,
                  headers={"Accept": "text/event-stream", "Last-Event-ID": "x; DROP"}),
            400, "validation")
    # The stream is Server-Sent Events: a client that does not take them is told so.
    p = problem(s.get("/api/v1/alerts/stream", token=tok), 406, "not-acceptable")
    assert "text/event-stream" in p["detail"], p


def test_the_session_cookie_opens_a_stream_and_signing_out_ends_it(s):
    """The portal's EventSource sends the session cookie, not a token: the stream is admitted,
    carries the subscriber's alerts, and ends (event: end, then closed) when the session does —
    signed out here; a session ended from the person's list of sessions likewise."""
    sub, tok = s.tenant("Portal Watcher Ltd")
    email = make_person(s, "exporter", sub["id"])
    for how in ("sign-out", "ended from the list"):
        b = sign_in(s, email)
        cookie = b.cookie
        c = SSE(s, None, cookie=cookie)
        try:
            assert c.status == 200 and c.headers["content-type"].startswith("text/event-stream")
            made = s.make_alerts(sub, tok, 1, f"cookie{len(how)}")
            ev = c.event()
            assert ev["event"] == "alert" and EVENT_ID.fullmatch(ev["id"]), ev
            assert json.loads(ev["data"])["id"] == made[0]["id"]
            if how == "sign-out":
                assert b.delete("/api/v1/session").status == 204
            else:
                other = sign_in(s, email)
                mine = [x for x in other.get("/api/v1/me/sessions").json()["items"]
                        if not x["current"]]
                assert len(mine) == 1, mine
                assert other.delete(f"/api/v1/me/sessions/{mine[0]['id']}").status == 204
                other.delete("/api/v1/session")
            end = c.event(timeout=10)
            assert end["event"] == "end" and "session" in end["data"], end
            try:
                c.event(timeout=10)
                raise AssertionError("the stream stayed open after its session ended")
            except EOFError:
                pass
        finally:
            c.close()
    # Without a session (the cookie of one that has ended): 401, no stream.
    r = s.get("/api/v1/alerts/stream", headers={"Accept": "text/event-stream", "Cookie": cookie})
    problem(r, 401)


def _first_event(s, tok, last_id):
    c = SSE(s, tok, last_id=last_id)
    try:
        return c.event()
    finally:
        c.close()


def test_resume_past_what_nginx_keeps_is_a_gap(s):
    """nginx keeps a subscriber's newest 100 alerts (nchan_message_buffer_length): a resume
    from within them replays, from before them answers event: gap with an id to go on from,
    and the stream then goes on from that id. An id of the streams before Nchan is a gap."""
    sub, tok = s.tenant("Gap Watcher Ltd")
    c = SSE(s, tok)
    try:
        s.make_alerts(sub, tok, 1, "gapa")
        seen = c.event()["id"]
    finally:
        c.close()
    # 100 more: nginx holds exactly the alerts after the one seen: nothing is lost.
    more = s.make_alerts(sub, tok, 100, "gapb")
    # (Waited for: while the alerts are still being pushed to nginx, a resume takes the safe
    # side and answers gap once nginx holds an id the publisher has not yet recorded.)
    ev = wait_until("a replay from the newest", lambda: (lambda e: e if e["event"] == "alert"
                    else None)(_first_event(s, tok, seen)), timeout=15)
    assert json.loads(ev["data"])["id"] == more[-1]["id"], ev
    # One more pushes out the first unseen alert: now the resume point is too old.
    s.make_alerts(sub, tok, 1, "gapc")
    gap = wait_until("a gap", lambda: (lambda e: e if e["event"] == "gap" else None)(
        _first_event(s, tok, seen)), timeout=15)
    assert EVENT_ID.fullmatch(gap["id"]) and "/api/v1/alerts" in json.loads(gap["data"])["detail"]
    # (Waited for again: nginx's two workers may each answer the channel's count and trim it
    # a moment apart; whichever answers, nothing after the resume point is lost.)
    def gap_stream():
        c = SSE(s, tok, last_id=seen)
        if c.event()["event"] == "gap":
            return c
        c.close()
        return None
    c = wait_until("a gap that ends its response", gap_stream, timeout=15)
    try:
        try:
            c.event(timeout=5)
            raise AssertionError("the gap's response did not end")
        except EOFError:
            pass
    finally:
        c.close()
    # Going on from the gap's id: nothing replayed, the next alert arrives.
    c = SSE(s, tok, last_id=gap["id"])
    try:
        latest = s.make_alerts(sub, tok, 1, "gapd")
        ev = c.event()
        assert ev["event"] == "alert" and json.loads(ev["data"])["id"] == latest[0]["id"], ev
    finally:
        c.close()
    assert _first_event(s, tok, "1764590000000-0")["event"] == "gap"


def _heartbeat(c):
    try:
        c.event(timeout=1.5)
    except AssertionError:
        pass
    return [x for x in c.comments if x.startswith(": heartbeat")]


def _refused(s, tok):
    """Opens a stream: its 429 problem, or None (the stream closed) when it was admitted."""
    c = SSE(s, tok)
    try:
        if c.status == 429:
            return json.loads(c.body())
        assert c.status == 200, c.status
        return None
    finally:
        c.close()


def test_stream_cap_answers_429_and_revocation_ends_a_stream(s):
    sub, _ = s.tenant("Many Tabs Ltd")
    r = s.post("/api/v1/tokens", {"role": "exporter", "subject": sub["id"], "label": "tabs"},
               token=s.admin)
    tok, tid = r.json()["token"], r.json()["id"]
    a, b = SSE(s, tok), SSE(s, tok)
    try:
        assert a.status == 200 and b.status == 200
        # The cap counts the streams nginx holds; a third is refused once both are counted.
        p = wait_until("the subscriber's cap", lambda: _refused(s, tok), timeout=10)
        assert p["type"] == "urn:seawall:problem:too-many-streams", p
        assert "2 live streams" in p["detail"], p
        # (Read with the stream client, which reads only the head: the count nginx's two
        # workers keep of a channel's streams can lag a moment behind a stream just closed,
        # and a plain GET that was admitted would wait on the stream for ever.)
        c = wait_until("a refusal with Retry-After", lambda: (lambda x: x if x.status == 429
                       else x.close())(SSE(s, tok)), timeout=10)
        try:
            assert c.headers.get("retry-after") == "5", c.headers
        finally:
            c.close()
        # Another subscriber is not held back by this one's streams.
        _, other = s.tenant("Single Tab Ltd")
        o = SSE(s, other)
        assert o.status == 200
        o.close()
        # Revoked: the streams end within a heartbeat with event: end, and their slots free.
        assert s.request("DELETE", f"/api/v1/tokens/{tid}", token=s.admin).status == 200
        ends = []
        for c in (a, b):
            try:
                ends.append(c.event(timeout=10)["event"])
                c.event(timeout=10)
                ends.append("open")
            except EOFError:
                ends.append("closed")
        assert ends == ["end", "closed", "end", "closed"], ends
    finally:
        a.close()
        b.close()
    tok2 = s.token_for("exporter", sub["id"], "after")
    c = wait_until("a free slot", lambda: (lambda x: x if x.status == 200 else x.close())(
        SSE(s, tok2)), timeout=15)
    c.close()


def _in_flight(s):
    r = s.get("/metrics")
    assert r.status == 200, r
    return int(re.search(r"^seawall_http_requests_in_flight (\d+)$", r.body, re.M).group(1))


def test_open_streams_hold_no_api_thread(s):
    """Two API threads and four open streams: every ordinary request is answered, the only
    request in flight is the one asking, the streams still deliver, and the overall cap
    (api.sse_max 4 here) refuses a fifth."""
    os.environ.update({"SEAWALL_API_THREADS": "2", "SEAWALL_API_SSE_MAX": "4"})
    s.script("restart-api")
    streams = []
    try:
        subs = [s.tenant(f"Stream Holder {i}") for i in range(3)]
        streams = [SSE(s, tok) for _, tok in subs[:2] for _ in range(2)]
        assert [c.status for c in streams] == [200] * 4
        for _ in range(20):
            assert s.get("/api/v1/me", token=subs[2][1]).status == 200
        assert _in_flight(s) == 1
        p = wait_until("the overall cap", lambda: _refused(s, subs[2][1]), timeout=10)
        assert p["type"] == "urn:seawall:problem:too-many-streams", p
        assert "the service already has 4 live streams open" in p["detail"], p
        made = s.make_alerts(subs[0][0], subs[0][1], 1, "threadless")
        for c in streams[:2]:
            assert json.loads(c.event()["data"])["id"] == made[0]["id"]
    finally:
        for c in streams:
            c.close()
        for k in ("SEAWALL_API_THREADS", "SEAWALL_API_SSE_MAX"):
            os.environ.pop(k, None)
        s.script("restart-api")


def test_streams_outlive_restarts_and_no_alert_is_lost_to_them(s):
    """nginx holds the stream: restarting seawall-api does not end it. An alert stored while
    the matcher's live publisher cannot reach nginx stays unacknowledged and reaches the
    stream once a matcher that can is back."""
    sub, tok = s.tenant("Steady Watcher Ltd")
    word = "zqsteadyx speaker"
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
               {"kind": "keyword", "text": word, "countries": ["US"]}, token=tok)
    assert r.status == 201, r
    c = SSE(s, tok)
    try:
        s.script("restart-api")
        s.script("stop-one", "seawall-matcher")
        os.environ["SEAWALL_LIVE_SOCKET"] = os.path.join(s.dir, "no-such-live.sock")
        try:
            s.script("start-worker", "seawall-matcher")
        finally:
            del os.environ["SEAWALL_LIVE_SOCKET"]
        s.add_event({"id": "ev_steady_1", "source": "test", "type": "litigation",
                     "jurisdiction": "US", "title": f"Case about {word} sales"})
        stored = wait_until("the alert stored", lambda: s.get(
            "/api/v1/alerts", token=tok).json()["items"], timeout=20)
        pending = wait_until("the publish failing", lambda: live_pending(s), timeout=20)
        assert pending >= 1
        s.script("stop-one", "seawall-matcher")
        s.script("start-worker", "seawall-matcher")
        ev = c.event(timeout=30)
        assert ev["event"] == "alert" and json.loads(ev["data"])["id"] == stored[0]["id"], ev
        wait_until("the entry acknowledged", lambda: live_pending(s) == 0, timeout=20)
    finally:
        c.close()


def live_pending(s):
    """Entries of the deliveries stream the live publisher has read and not yet
    acknowledged."""
    return s.stream_pending("deliveries", "live")


def _push(s, ev):
    return s.add_event(ev)


def test_one_alert_per_event_with_every_item_and_one_live_message(s):
    """An event that touches three items of a portfolio is one alert naming all three (its
    severity the highest), one message on the live stream; a redelivered event changes
    nothing."""
    sub, tok = s.tenant("Three Items Co., Ltd.")
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio/import", {"items": [
        {"kind": "name", "text": "Ningbo Triple Lamp Co., Ltd."},
        {"kind": "mark", "text": "TRIPLUMA", "classes": [11], "countries": ["US"]},
        {"kind": "keyword", "text": "zqtriplex lamp", "countries": ["US"]}]}, token=tok)
    assert r.status == 201, r
    ev = {"id": "ev_triple_1", "source": "test", "type": "litigation", "jurisdiction": "US",
          "title": "Acme v. Ningbo Triple Lamp: TRIPLUMA zqtriplex lamp",
          "url": "https://courtlistener.example/docket/1",
          "marks": ["TRIPLUMA"],
          "parties": [{"name": "Acme Lighting Inc.", "role": "plaintiff"},
                      {"name": "NINGBO TRIPLE LAMP CO LTD", "role": "defendant"}],
          "text": "Complaint: the zqtriplex lamp infringes"}
    c = SSE(s, tok)
    try:
        _push(s, ev)
        got = json.loads(c.event()["data"])
        assert got["event_id"] == "ev_triple_1" and got["severity"] == "critical", got
        assert [i["item"]["kind"] for i in got["items"]] == ["name", "mark", "keyword"], got
        assert got["source_url"] == ev["url"]
        # Delivered again (a poller re-reading its feed): no second alert, no second message.
        _push(s, ev)
        _push(s, dict(ev, id="ev_triple_2", parties=[], marks=[], title="zqtriplex lamp news"))
        nxt = json.loads(c.event()["data"])
        assert nxt["event_id"] == "ev_triple_2" and len(nxt["items"]) == 1, nxt
    finally:
        c.close()
    listed = s.get("/api/v1/alerts", token=tok).json()["items"]
    assert [a["event_id"] for a in listed] == ["ev_triple_2", "ev_triple_1"], listed
    a = listed[1]
    assert a["id"] == got["id"] and a["rule"] == "named-as-defendant"
    mark = a["items"][1]
    assert mark["item"]["text"] == "TRIPLUMA" and mark["event_texts"] == ["TRIPLUMA"], mark
    assert mark["countries_common"] == ["US"] and mark["reasons"][0]["rule"] == "mark-mentioned"
    counts = s.get("/api/v1/alerts/counts", token=tok).json()
    assert counts["total"] == 2 and counts["severity"]["critical"] == 1, counts


def _deep_events(word, n, needles):
    """n events naming word (news, low), every seventh a lawsuit against the name (critical);
    needles maps an index to extra title text. Returns the events and how many are critical."""
    evs, crit = [], 0
    for i in range(n):
        ev = {"id": f"ev_{word}_{i}", "source": "test", "type": "news", "jurisdiction": "US",
              "title": f"{needles.get(i, 'Notice')} {i}: {word} lamp"}
        if i % 7 == 3:
            ev.update(type="litigation", parties=[{"name": f"{word.capitalize()} Lighting Ltd.",
                                                   "role": "defendant"}])
            crit += 1
        evs.append(ev)
    return evs, crit


def _pages(s, tok, query, limit=50):
    """Every page of a list, following next: (items, requests made)."""
    items, cursor, n = [], None, 0
    while True:
        r = s.get(f"/api/v1/alerts?limit={limit}&{query}" + (f"&cursor={cursor}" if cursor else ""),
                  token=tok)
        assert r.status == 200, r
        n += 1
        items += r.json()["items"]
        cursor = r.json()["next"]
        if not cursor:
            return items, n


def test_search_and_mark_all_over_ten_thousand_alerts(s):
    """10,000 alerts made by the matcher from events written at once. The first page comes
    from the newest 50 alone; ?q= scans in steps of alerts.search_scan_max (1,000) and finds
    a Chinese and a Latin needle near the oldest end; "mark all" over a filter changes exactly
    the alerts it matches, in resumable steps."""
    n, word = 10000, "zqdeepx"
    sub, tok = s.tenant("Deep Inbox Ltd")
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio/import", {"items": [
        {"kind": "keyword", "text": f"{word} lamp", "countries": ["US"]},
        {"kind": "name", "text": f"{word.capitalize()} Lighting Ltd."}]}, token=tok)
    assert r.status == 201, r
    needles = {5: "深圳一家公司的蓝牙音箱被控侵权", 12: "The Quixotic ZEBRA umbrella affair"}
    evs, crit = _deep_events(word, n, needles)
    s.add_events(evs)
    key = f"sw:{{sub:{sub['id']}}}:alerts"
    wait_until("10,000 alerts", lambda: s.redis("ZCARD", key) == n, timeout=300)
    first = s.get("/api/v1/alerts?limit=50", token=tok).json()
    assert len(first["items"]) == 50 and first["next"], first["next"]
    # The newest 50 as the store orders them (the order alerts were stored in, which need not
    # be the events' order: a slow matcher's pending entries are claimed and stored later).
    assert [a["id"] for a in first["items"]] == s.redis("ZREVRANGE", key, 0, 49)
    # A search scans at most 1,000 alerts a request: the needles (older than 9,980 others)
    # take several requests, each answering with a cursor, and nothing else matches.
    for q, idx in (("蓝牙音箱", 5), ("zebra QUIXOTIC", 12)):
        found, requests = _pages(s, tok, "q=" + urllib.parse.quote(q), limit=10)
        assert [a["event_id"] for a in found] == [f"ev_{word}_{idx}"], (q, found)
        assert 10 <= requests <= 11, (q, requests)
    found, _ = _pages(s, tok, "q=%E8%93%9D%E7%89%99&severity=critical")   # 蓝牙, not critical
    assert found == []
    # Mark all critical alerts read: each step examines at most alerts.scan_max (5,000).
    steps, changed, body = 0, 0, {"filter": {"severity": "critical"}, "status": "read"}
    while True:
        r = s.post("/api/v1/alerts/status", body, token=tok)
        assert r.status == 200, r
        steps += 1
        changed += r.json()["changed"]
        if not r.json()["next"]:
            break
        body["cursor"] = r.json()["next"]
    assert steps >= 2 and changed == crit, (steps, changed, crit)
    c = s.get("/api/v1/alerts/counts", token=tok).json()
    assert c["status"] == {"new": n - crit, "read": crit, "dismissed": 0}, c
    assert c["new"]["critical"] == 0 and c["severity"]["critical"] == crit, c
    read, _ = _pages(s, tok, "status=read", limit=200)
    assert len(read) == crit and all(a["severity"] == "critical" for a in read)
    # Again: all matched, none changed. And a search as the filter: only the needle.
    r = s.post("/api/v1/alerts/status", {"filter": {"severity": "critical", "status": "read"},
                                         "status": "read"}, token=tok)
    assert r.json()["changed"] == 0 and r.json()["matched"] > 0, r
    total, body = 0, {"filter": {"q": "Quixotic"}, "status": "dismissed"}
    while True:
        r = s.post("/api/v1/alerts/status", body, token=tok).json()
        total += r["changed"]
        if not r["next"]:
            break
        body["cursor"] = r["next"]
    assert total == 1
    got, _ = _pages(s, tok, "status=dismissed")
    assert [a["event_id"] for a in got] == [f"ev_{word}_12"], got


def test_bad_searches_and_bulk_filters_are_named(s):
    _, tok = s.tenant("Search Validation Ltd")
    for q in ("", "%20--%20", "x" * 201, "%FF"):
        p = problem(s.get(f"/api/v1/alerts?q={q}", token=tok), 400, "validation")
        assert [e["parameter"] for e in p["errors"]] == ["q"], (q, p)
    p = problem(s.post("/api/v1/alerts/status", {"status": "read", "filter": {
        "severity": "urgent", "item": "7", "since": "soon", "q": "!!", "colour": "red"}},
        token=tok), 400, "validation")
    assert sorted(pointers(p)) == ["/filter/colour", "/filter/item"], p   # types first
    p = problem(s.post("/api/v1/alerts/status", {"status": "read", "filter": {
        "severity": "urgent", "item": 7, "since": "soon", "q": "!!"}}, token=tok), 400)
    assert sorted(pointers(p)) == ["/filter/q", "/filter/severity", "/filter/since"], p
    p = problem(s.post("/api/v1/alerts/status", {"status": "read", "filter": {},
                                                 "ids": ["al_" + "0" * 32]}, token=tok), 400)
    assert pointers(p) == ["/filter"], p
    p = problem(s.post("/api/v1/alerts/status", {"status": "read"}, token=tok), 400)
    assert pointers(p) == ["/ids"], p
    p = problem(s.post("/api/v1/alerts/status", {"status": "read", "filter": [],
                                                 "cursor": "abc"}, token=tok), 400)
    assert sorted(pointers(p)) == ["/cursor", "/filter"], p
    p = problem(s.post("/api/v1/alerts/status", {"status": "read", "ids": ["al_" + "0" * 32],
                                                 "cursor": "1"}, token=tok), 400)
    assert pointers(p) == ["/cursor"], p
    r = s.post("/api/v1/alerts/status", {"status": "read", "filter": {}}, token=tok)
    assert r.status == 200 and r.json() == {"status": "read", "changed": 0, "matched": 0,
                                            "next": None}, r
