"""A webhook receiver for the tests, on loopback (or the host given): records every request, checks its Standard
Webhooks signature against the secrets a test registered, and answers as the path says:

    /ok/NAME        200
    /fail/NAME      500
    /redirect/NAME  302 to /ok/NAME
    /slow/NAME      waits HOLD seconds (default 4), then 200
    /flaky/NAME     500 for the first FLAKY[NAME] requests, then 200
    /switch/NAME    500 while MODE[NAME] is "fail", else 200
"""
import base64
import hashlib
import hmac
import http.server
import json
import sys
import threading
import time


class QuietServer(http.server.ThreadingHTTPServer):
    """A client that hangs up mid-request (a worker killed on purpose, a timeout that gave up)
    is an ordinary event in these tests, not an error to print with a traceback. Its listen
    backlog holds a burst of connections (socketserver's default, 5, drops the SYNs of a
    notifier's or poller's many parallel requests, which then time out connecting)."""
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class Hook:
    def __init__(self, path, headers, body, at):
        self.path = path
        self.headers = headers
        self.body = body
        self.at = at
        self.valid_with = []

    @property
    def id(self):
        return self.headers.get("webhook-id")

    def json(self):
        return json.loads(self.body)


def signatures(secret, msg_id, ts, body):
    key = base64.b64decode(secret[len("whsec_"):])
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


class Receiver:
    def __init__(self, host="127.0.0.1"):
        self.host = host
        self.hooks = []
        self.secrets = {}      # NAME -> [secret, ...] a test expects to sign
        self.flaky = {}
        self.mode = {}
        self.hold = 4.0
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        rec = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                parts = self.path.strip("/").split("/")
                kind, name = (parts + ["", ""])[:2]
                hook = Hook(self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                            time.monotonic())
                for s in rec.secrets.get(name, []):
                    want = signatures(s, hook.id, hook.headers.get("webhook-timestamp"), body)
                    if want in hook.headers.get("webhook-signature", "").split(" "):
                        hook.valid_with.append(s)
                with rec.cond:
                    rec.hooks.append(hook)
                    seen = sum(1 for h in rec.hooks if h.path == self.path)
                    rec.cond.notify_all()
                status, extra = 200, {}
                if kind == "fail":
                    status = 500
                elif kind == "redirect":
                    status, extra = 302, {"Location": f"/ok/{name}"}
                elif kind == "slow":
                    time.sleep(rec.hold)
                elif kind == "flaky" and seen <= rec.flaky.get(name, 0):
                    status = 500
                elif kind == "switch" and rec.mode.get(name) == "fail":
                    status = 500
                out = b'{"ok":true}' if status == 200 else b'{"ok":false}'
                try:
                    self.send_response(status)
                    for k, v in extra.items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                except OSError:
                    pass   # the notifier gave up (timeout) or was killed

        self.server = QuietServer((host, 0), H)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def url(self, kind, name):
        return f"http://{self.host}:{self.port}/{kind}/{name}"

    def for_name(self, name):
        with self.lock:
            return [h for h in self.hooks if h.path.rstrip("/").endswith("/" + name)]

    def wait(self, what, pred, timeout=30):
        """Waits until pred(hooks) is true; returns its value."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                v = pred(list(self.hooks))
                if v:
                    return v
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                                         f"{len(self.hooks)} requests seen")
                self.cond.wait(left)
