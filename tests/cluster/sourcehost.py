#!/usr/bin/env python3
"""The "source" host of the multi-host run (tests/cluster/multihost.py): the feed server the
pollers fetch pages from and the webhook receiver the notifiers deliver to, both on this host's
address, and a small control server the run drives them with.

    sourcehost.py --host ADDR --ready FILE

Once listening it writes {"feeds": PORT, "hooks": PORT, "control": PORT} to FILE. Control:
    PUT /feed/NAME   the body becomes the page http://ADDR:FEEDS/f/NAME.xml (RSS)
    GET /hooks?from=N  the webhooks received from the N-th on, as JSON
        [{"path", "id" (webhook-id), "alert" (data.id), "event" (data.event_id)}]
It runs until SIGTERM."""
import argparse
import http.server
import json
import os
import signal
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))
from feedserver import QuietServer, Server  # noqa: E402
from hookserver import Receiver  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--ready", required=True)
    a = ap.parse_args()
    feeds = Server(host=a.host)
    rec = Receiver(host=a.host).start()

    class Control(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, code, body):
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n)
            if not self.path.startswith("/feed/"):
                self.reply(404, b'{"error":"unknown path"}')
                return
            path = f"/f/{self.path[len('/feed/'):]}.xml"
            with feeds.lock:
                feeds.files[path] = body
                feeds.types[path] = "application/rss+xml"
            self.reply(200, b'{"ok":true}')

        def do_GET(self):
            if not self.path.startswith("/hooks"):
                self.reply(404, b'{"error":"unknown path"}')
                return
            start = 0
            if "from=" in self.path:
                start = int(self.path.split("from=", 1)[1])
            with rec.lock:
                hooks = list(rec.hooks[start:])
            out = []
            for h in hooks:
                try:
                    data = h.json().get("data", {})
                except ValueError:
                    data = {}
                out.append({"path": h.path, "id": h.id, "alert": data.get("id"),
                            "event": data.get("event_id")})
            self.reply(200, json.dumps(out).encode())

    control = QuietServer((a.host, 0), Control)
    threading.Thread(target=control.serve_forever, daemon=True).start()
    tmp = a.ready + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"feeds": feeds.port, "hooks": rec.port,
                   "control": control.server_address[1]}, f)
    os.replace(tmp, a.ready)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(1):
        pass
    control.shutdown()
    feeds.stop()
    rec.stop()


if __name__ == "__main__":
    main()
