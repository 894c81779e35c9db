"""WeCom, DingTalk and Feishu group robots for the tests, on loopback, answering as each
platform documents: HTTP 200 with the platform's JSON, its error codes for an unknown robot,
a bad signature, a malformed or oversized message and a robot sending too fast.

    /cgi-bin/webhook/send?key=KEY                      WeCom: no signature; markdown content
                                                       at most 4096 bytes; 20 a minute
    /robot/send?access_token=TOKEN[&timestamp=&sign=]  DingTalk: a signed robot checks
                                                       timestamp (ms, within an hour) and
                                                       sign = urlencode(base64(HMAC-SHA256(
                                                       secret, "ts\\nsecret"))); markdown with
                                                       title and text; 20 a minute
    /open-apis/bot/v2/hook/TOKEN                       Feishu: a signed robot checks body
                                                       timestamp (s) and sign = base64(
                                                       HMAC-SHA256("ts\\nsecret", "")); body at
                                                       most 20 KB; 100 a minute, 5 a second

A test registers a robot (robots.add(platform, token, secret)) and reads what it received
(robots.got(token)); each message says whether the robot accepted it and with which code.
"""
import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
import urllib.parse

WECOM, DINGTALK, FEISHU = "wecom", "dingtalk", "feishu"
LIMITS = {WECOM: (20, 0), DINGTALK: (20, 0), FEISHU: (100, 5)}   # per minute, per second


class Msg:
    def __init__(self, platform, token, query, headers, raw, at):
        self.platform = platform
        self.token = token
        self.query = query
        self.headers = headers
        self.raw = raw
        self.at = at
        self.code = None
        self.msg = ""
        self.body = None

    @property
    def ok(self):
        return self.code == 0

    def text(self):
        """The markdown a person reads in the group."""
        b = self.body
        if self.platform == WECOM:
            return b["markdown"]["content"]
        if self.platform == DINGTALK:
            return b["markdown"]["text"]
        return "\n".join(e.get("content", "") for e in b["card"]["elements"]
                         if e.get("tag") == "markdown")

    def __repr__(self):
        return f"<{self.platform} {self.token} code={self.code} {self.msg}>"


def dingtalk_sign(secret, ts):
    mac = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def feishu_sign(secret, ts):
    mac = hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


class Robots:
    def __init__(self):
        self.robots = {}       # token -> (platform, secret or None)
        self.msgs = []
        self.accepted = {}     # token -> [monotonic times of accepted messages]
        self.cond = threading.Condition()
        rec = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(n)
                u = urllib.parse.urlsplit(self.path)
                q = urllib.parse.parse_qs(u.query)
                if u.path == "/cgi-bin/webhook/send":
                    platform, token = WECOM, (q.get("key") or [""])[0]
                elif u.path == "/robot/send":
                    platform, token = DINGTALK, (q.get("access_token") or [""])[0]
                elif u.path.startswith("/open-apis/bot/v2/hook/"):
                    platform, token = FEISHU, u.path.rsplit("/", 1)[1]
                else:
                    self.answer(404, {"error": "no such path"})
                    return
                m = Msg(platform, token, q, {k.lower(): v for k, v in self.headers.items()},
                        raw, time.monotonic())
                code, msg = rec.judge(m)
                m.code, m.msg = code, msg
                with rec.cond:
                    rec.msgs.append(m)
                    rec.cond.notify_all()
                if platform == FEISHU:
                    self.answer(200, {"code": code, "msg": msg, "data": {}})
                else:
                    self.answer(200, {"errcode": code, "errmsg": msg})

            def answer(self, status, doc):
                out = json.dumps(doc).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                except OSError:
                    pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- what each platform checks ----------------------------------------------------------

    def judge(self, m):
        robot = self.robots.get(m.token)
        if robot is None or robot[0] != m.platform:
            return {WECOM: (93000, "invalid webhook url"),
                    DINGTALK: (300001, "token is not exist"),
                    FEISHU: (19001, "param invalid: incoming webhook access token invalid")
                    }[m.platform]
        secret = robot[1]
        try:
            m.body = json.loads(m.raw)
        except ValueError:
            m.body = None
        if m.platform == WECOM:
            ok = (isinstance(m.body, dict) and m.body.get("msgtype") == "markdown" and
                  isinstance(m.body.get("markdown", {}).get("content"), str))
            if not ok:
                return 40008, "invalid message type"
            if len(m.body["markdown"]["content"].encode()) > 4096:
                return 40058, "markdown.content exceed max length 4096"
        elif m.platform == DINGTALK:
            if secret is not None:
                ts = (m.query.get("timestamp") or [""])[0]
                sign = (m.query.get("sign") or [""])[0]
                if not ts.isdigit() or abs(time.time() * 1000 - int(ts)) > 3600_000:
                    return 310000, "invalid timestamp"
                if not hmac.compare_digest(sign, dingtalk_sign(secret, ts)):
                    return 310000, "sign not match"
            md = (m.body or {}).get("markdown") if isinstance(m.body, dict) else None
            if (m.body or {}).get("msgtype") != "markdown" or not isinstance(md, dict) or \
                    not isinstance(md.get("title"), str) or not isinstance(md.get("text"), str):
                return 40035, "缺少参数 json"
            if len(m.raw) > 20000:
                return 460101, "message too long, exceed 20000 bytes"
        else:
            if len(m.raw) > 20 * 1024:
                return 9499, "Bad Request: the request body exceeds 20 KB"
            if not isinstance(m.body, dict):
                return 9499, "Bad Request"
            if secret is not None:
                ts = m.body.get("timestamp")
                if not isinstance(ts, str) or not ts.isdigit() or \
                        abs(time.time() - int(ts)) > 3600 or \
                        not hmac.compare_digest(m.body.get("sign") or "", feishu_sign(secret, ts)):
                    return 19021, ("sign match fail or timestamp is not within one hour from "
                                   "current time")
            card = m.body.get("card")
            if m.body.get("msg_type") != "interactive" or not isinstance(card, dict) or \
                    not isinstance(card.get("header", {}).get("title", {}).get("content"), str) \
                    or not isinstance(card.get("elements"), list):
                return 11246, "create message card fail: the card is malformed"
        # The rate limits, per robot.
        per_min, per_s = LIMITS[m.platform]
        sent = [t for t in self.accepted.get(m.token, []) if m.at - t < 60]
        if len(sent) >= per_min or (per_s and len([t for t in sent if m.at - t < 1]) >= per_s):
            return {WECOM: (45009, "api freq out of limit"),
                    DINGTALK: (130101, "send too fast, exceed 20 times per minute"),
                    FEISHU: (11232, "frequency limited psm[lark.oapi.app_platform_runtime]")
                    }[m.platform]
        self.accepted.setdefault(m.token, []).append(m.at)
        return 0, "ok" if m.platform != FEISHU else "success"

    # --- the test's side --------------------------------------------------------------------

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def add(self, platform, token, secret=None):
        self.robots[token] = (platform, secret)
        base = f"http://127.0.0.1:{self.port}"
        return {WECOM: f"{base}/cgi-bin/webhook/send?key={token}",
                DINGTALK: f"{base}/robot/send?access_token={token}",
                FEISHU: f"{base}/open-apis/bot/v2/hook/{token}"}[platform]

    def got(self, token):
        with self.cond:
            return [m for m in self.msgs if m.token == token]

    def wait(self, what, pred, timeout=30):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                v = pred(list(self.msgs))
                if v:
                    return v
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                                         f"{self.msgs!r}")
                self.cond.wait(left)
