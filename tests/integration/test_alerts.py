"""The inbox: filters and cursors, status changes one or many with counts kept in step, and the
live stream (Server-Sent Events through nginx): alerts arrive as they are made, a client
resumes with Last-Event-ID, heartbeats keep it open, a cap answers 429, and revoking the
token ends it."""
import http.client
import json
import socket
import time

from harness import pointers, problem, wait_until


class SSE:
    """A raw Server-Sent Events client: one GET kept open, events read as they come."""

    def __init__(self, s, tok, last_id=None):
        self.sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        h = f"GET /api/v1/alerts/stream HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {tok}\r\n"
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
    item = med[0]["item_id"]
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


def test_live_stream_delivers_resumes_and_beats(s):
    sub, tok = s.tenant("Live Watcher Ltd")
    c = SSE(s, tok)
    try:
        assert c.status == 200 and c.headers["content-type"].startswith("text/event-stream")
        made = s.make_alerts(sub, tok, 2, "livea")
        got = [c.event(), c.event()]
        assert all(e["event"] == "alert" for e in got)
        assert {json.loads(e["data"])["id"] for e in got} == {a["id"] for a in made}
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
    problem(s.get("/api/v1/alerts/stream", token=tok, headers={"Last-Event-ID": "x; DROP"}),
            400, "validation")


def _heartbeat(c):
    try:
        c.event(timeout=1.5)
    except AssertionError:
        pass
    return [x for x in c.comments if x.startswith(": heartbeat")]


def test_stream_cap_answers_429_and_revocation_ends_a_stream(s):
    sub, _ = s.tenant("Many Tabs Ltd")
    r = s.post("/api/v1/tokens", {"role": "exporter", "subject": sub["id"], "label": "tabs"},
               token=s.admin)
    tok, tid = r.json()["token"], r.json()["id"]
    a, b = SSE(s, tok), SSE(s, tok)
    try:
        assert a.status == 200 and b.status == 200
        r = s.get("/api/v1/alerts/stream", token=tok)
        p = problem(r, 429, "too-many-streams")
        assert r.header("Retry-After") and "2 live streams" in p["detail"]
        # Another subscriber is not held back by this one's streams.
        _, other = s.tenant("Single Tab Ltd")
        o = SSE(s, other)
        assert o.status == 200
        o.close()
        # Revoked: the streams end at their next heartbeat, and the slots come free.
        assert s.request("DELETE", f"/api/v1/tokens/{tid}", token=s.admin).status == 200
        ends = []
        for c in (a, b):
            try:
                ev = c.event(timeout=10)
                ends.append(ev["event"])
            except EOFError:
                ends.append("closed")
        assert ends == ["end", "end"], ends
    finally:
        a.close()
        b.close()
    tok2 = s.token_for("exporter", sub["id"], "after")
    c = wait_until("a free slot", lambda: (lambda x: x if x.status == 200 else x.close())(
        SSE(s, tok2)), timeout=15)
    c.close()


def test_api_still_answers_while_streams_are_open(s):
    subs = [s.tenant(f"Stream Holder {i}") for i in range(3)]
    streams = [SSE(s, tok) for _, tok in subs for _ in range(2)]
    try:
        assert [c.status for c in streams] == [200] * 6
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5)
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200
    finally:
        for c in streams:
            c.close()
