#!/usr/bin/env python3
"""bench/deliver.py — one seawall-notifier making 10,000 webhook deliveries to a local receiver.

Starts a stack whose only worker is the notifier, a webhook receiver on loopback (Python's
threading HTTP server, which records every webhook-id and checks nothing else), and one
subscriber with one webhook. The baseline is the receiver itself: the same number of POSTs of
the same size sent by a Python client with 64 threads, a new connection each (as the notifier
makes them). Then 10,000 alerts are written straight into Redis with their entries in the
deliveries stream, and the clock runs until the receiver has seen every delivery id.

    bench/deliver.py [BUILD]        BENCH_DELIVER_N (default 10000)
Prints RESULT deliver per_s=… p99_ms=… lost=… duplicates_without_crash=… baseline_per_s=…
ratio=… — lost and duplicates must be 0; p99_ms is from the alert's entry in the stream to
its arrival at the receiver."""
import http.client
import http.server
import json
import os
import socket
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402

ALERT = {"severity": "medium", "rule": "keyword-in-market", "item_ids": [1], "items": [
    {"item": {"id": 1, "kind": "keyword", "text": "bench lamp", "classes": [],
              "countries": ["US"]},
     "severity": "medium", "rule": "keyword-in-market", "score": 1.0,
     "event_texts": ["bench lamp"], "classes_common": [], "countries_common": ["US"],
     "countries_source": "item",
     "reasons": [{"rule": "keyword-in-market", "field": "text",
                  "matched": ["bench lamp", "bench lamp"], "score": 1.0,
                  "why": "keyword in the text"}]}],
    "event": {"id": "", "type": "litigation", "jurisdiction": "US",
              "title": "Bench case about bench lamp", "text": "bench lamp " * 20}}


class Receiver:
    def __init__(self):
        self.seen = {}
        self.count = 0
        self.lock = threading.Lock()
        rec = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                wid = self.headers.get("webhook-id", "")
                now = time.monotonic()
                with rec.lock:
                    rec.count += 1
                    rec.seen.setdefault(wid, now)
                del body
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.server.request_queue_size = 1024
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def baseline(port, n, body):
    left = [n]
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
                k = left[0]
            for _ in range(5):   # the receiver's backlog may overflow: try that one again
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    c.request("POST", "/hook", body=body, headers={
                        "Content-Type": "application/json", "webhook-id": f"base_{k}"})
                    c.getresponse().read()
                    c.close()
                    break
                except OSError:
                    time.sleep(0.01)
    t0 = time.monotonic()
    ts = [threading.Thread(target=worker) for _ in range(64)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return n / (time.monotonic() - t0)


def pipeline(port, commands):
    """Sends many Redis commands on one connection and reads every reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        out = []
        for args in commands:
            out.append(b"*%d\r\n" % len(args))
            for a in args:
                a = a if isinstance(a, bytes) else str(a).encode()
                out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        sock.sendall(b"".join(out))
        f = sock.makefile("rb")
        for _ in commands:
            r = harness._resp(f)
            if isinstance(r, str) and r.startswith("ERR"):
                raise RuntimeError(r)


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                            os.path.join(ROOT, "build", "default"))
    n = int(os.environ.get("BENCH_DELIVER_N", "10000"))
    os.environ["SEAWALL_WORKERS"] = "seawall-notifier"
    os.environ.update(harness.HIGH_LIMIT)
    run = tempfile.mkdtemp(prefix="seawall-bench-deliver-")
    stack = harness.Stack(ROOT, build, run)
    rec = Receiver()
    try:
        stack.start(test_settings=False)
        sub, tok = stack.tenant("Bench Receiver Ltd")
        r = stack.post("/api/v1/webhooks", {"url": f"http://127.0.0.1:{rec.port}/hook"},
                       token=tok)
        assert r.status == 201, r
        sample = json.dumps({"type": "alert.created", "timestamp": "2026-01-01T00:00:00Z",
                             "data": dict(ALERT, id="al_" + "0" * 32)}).encode()
        base = baseline(rec.port, n, sample)
        rec.seen.clear()
        rec.count = 0
        sid = sub["id"]
        cmds, added = [], {}
        for i in range(n):
            aid = "al_%032x" % (i + 1)
            a = dict(ALERT, id=aid, subscriber=sid, status="new")
            cmds.append(["SET", f"sw:{{sub:{sid}}}:alert:{aid}", json.dumps(a)])
        pipeline(stack.redis_port, cmds)
        key = stack.stream_key("deliveries", sid)   # the subscriber's shard of the stream
        t0 = time.monotonic()
        for start in range(0, n, 1000):
            batch = []
            for i in range(start, min(n, start + 1000)):
                aid = "al_%032x" % (i + 1)
                batch.append(["XADD", key, "*", "kind", "alert", "alert", aid,
                              "sub", sid, "severity", "medium"])
            now = time.monotonic()
            for b in batch:
                added[b[6]] = now
            pipeline(stack.redis_port, batch)
        deadline = time.monotonic() + 600
        while True:
            with rec.lock:
                got = len(rec.seen)
            if got >= n or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - t0
        with rec.lock:
            seen = dict(rec.seen)
            count = rec.count
        # Delivery ids back to alerts, through the stored deliveries.
        lat = []
        keys = stack.redis("KEYS", f"sw:{{sub:{sid}}}:dlv:dl_*")
        for k in (k for k in keys if not k.endswith(":attempts")):
            d = json.loads(stack.redis("GET", k))
            if d["id"] in seen and d["alert"] in added:
                lat.append(seen[d["id"]] - added[d["alert"]])
        lat.sort()
        p99 = lat[int(len(lat) * 0.99) - 1] * 1000 if lat else -1
        lost = n - len(seen)
        dup = count - len(seen)
        per_s = len(seen) / elapsed
        print(f"{n} deliveries in {elapsed:.2f} s; receiver alone: {base:.0f}/s", flush=True)
        print(f"RESULT deliver per_s={per_s:.0f} p99_ms={p99:.0f} lost={lost} "
              f"duplicates_without_crash={dup} baseline_per_s={base:.0f} "
              f"ratio={per_s / base:.2f}")
        return 0 if lost == 0 and dup == 0 else 1
    finally:
        stack.stop()
        rec.server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
