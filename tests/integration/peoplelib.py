"""What the people and session tests share: persons made with the admin program, a browser that
keeps the session cookie and sends Origin and X-CSRF-Token, RFC 6238 codes computed here, links
read from the stack's mailbox, and a FastCGI client that talks to seawall-api directly (to send
the HTTPS parameter nginx sets only for TLS)."""
import base64
import hmac
import itertools
import json
import os
import re
import socket
import struct
import subprocess
import time

from harness import wait_until

PASSWORD = "correct horse battery staple"
_n = itertools.count(1)


def unique_email(tag):
    return f"{tag}-{os.getpid()}-{next(_n)}@people.example"


def origin(s):
    return s.env["SEAWALL_PORTAL_ORIGIN"]


def make_person(s, role, subject=0, email=None, password=PASSWORD, team_role=None, env=None,
                name=None):
    """A person through `seawall person create --password-stdin`; returns the email."""
    email = email or unique_email(role)
    args = [os.path.join(s.build, "bin", "seawall"), "--config",
            os.path.join(s.dir, "seawall.conf"), "person", "create", "--email", email,
            "--role", role, "--subject", str(subject), "--password-stdin"]
    if team_role:
        args += ["--team-role", team_role]
    if name:
        args += ["--name", name]
    e = dict(os.environ)
    e.update(s.env_for_programs())
    e.update(env or {})
    p = subprocess.run(args, input=password + "\n", capture_output=True, text=True, env=e,
                       timeout=30)
    assert p.returncode == 0, p.stderr
    return email


def totp(secret, at=None):
    """The RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret at time at."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000)


class Browser:
    """A client that keeps the sw_session cookie and sends the portal's Origin and the session's
    CSRF token on every unsafe request, as the portal does."""

    def __init__(self, s):
        self.s = s
        self.cookie = None
        self.csrf = None
        self.last = None

    def take(self, r):
        """Keeps the cookie and CSRF token a response hands out."""
        c = r.header("Set-Cookie")
        if c:
            value = c.split(";")[0]
            self.cookie = None if value.endswith("=") else value
        if r.status == 200 and r.header("Content-Type") == "application/json":
            body = r.json()
            if isinstance(body, dict) and "csrf_token" in body:
                self.csrf = body["csrf_token"]
        self.last = r
        return r

    def request(self, method, path, body=None, origin_ok=True, csrf_ok=True, headers=None):
        h = {}
        if self.cookie:
            h["Cookie"] = self.cookie
        if method not in ("GET", "HEAD"):
            if origin_ok:
                h["Origin"] = origin(self.s)
            if csrf_ok and self.csrf:
                h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        return self.take(self.s.request(method, path, body=body, headers=h))

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body if body is not None else {}, **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, body=None, **kw):
        return self.request("DELETE", path, body=body, **kw)


def sign_in(s, email, password=PASSWORD, code=None, expect=200):
    b = Browser(s)
    body = {"email": email, "password": password}
    if code is not None:
        body["totp"] = code
    r = b.post("/api/v1/session", body)
    assert r.status == expect, r
    return b


def mail_link(s, addr, path, count=1):
    """The token of the count-th mail to addr whose text links to path (waits for it)."""
    pat = re.compile(re.escape(path) + r"\?token=([A-Za-z0-9_-]{43})")

    def find():
        found = []
        for m in s.mail_to(addr):
            hit = pat.search(m.get_body(("plain",)).get_content())
            if hit:
                found.append(hit.group(1))
        return found[count - 1] if len(found) >= count else None
    return wait_until(f"mail number {count} to {addr} linking {path}", find, timeout=30)


def mails_with(s, addr, subject_part):
    return [m for m in s.mail_to(addr) if subject_part in m["Subject"]]


def set_clock(s, ms):
    """Moves the stack's test clock (sessions, mail tokens, case clocks) to now + ms."""
    if ms:
        s.redis("SET", "sw:testclock:offset_ms", str(int(ms)))
    else:
        s.redis("DEL", "sw:testclock:offset_ms")


def clear_throttle(s):
    for k in s.redis("KEYS", "sw:thr:*") or []:
        s.redis("DEL", k)


def audit_events(b):
    r = b.get("/api/v1/me/audit?limit=200")
    assert r.status == 200, r
    return [e["event"] for e in r.json()["items"]]


# --- FastCGI, straight to seawall-api's socket -------------------------------------------------

def _record(kind, content, req=1):
    return struct.pack(">BBHHBB", 1, kind, req, len(content), 0, 0) + content


def _nv(name, value):
    def ln(n):
        return struct.pack(">B", n) if n < 128 else struct.pack(">I", n | 0x80000000)
    n, v = name.encode(), value.encode()
    return ln(len(n)) + ln(len(v)) + n + v


def fastcgi(s, method, path, params=None, body=b""):
    """One request to seawall-api over its FastCGI socket, with the CGI parameters nginx would
    send plus params. Returns (status, [(header, value)], body)."""
    env = {"REQUEST_METHOD": method, "DOCUMENT_URI": path, "QUERY_STRING": "",
           "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(len(body)),
           "CONTENT_TYPE": "application/json" if body else ""}
    env.update(params or {})
    pbytes = b"".join(_nv(k, v) for k, v in env.items())
    msg = (_record(1, struct.pack(">HB5x", 1, 0)) + _record(4, pbytes) + _record(4, b"") +
           (_record(5, body) if body else b"") + _record(5, b""))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(30)
    sock.connect(s.env["SEAWALL_API_LISTEN"])
    try:
        sock.sendall(msg)
        out = b""
        buf = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
            done = False
            while len(buf) >= 8:
                _, kind, _, clen, plen, _ = struct.unpack(">BBHHBB", buf[:8])
                if len(buf) < 8 + clen + plen:
                    break
                if kind == 6:
                    out += buf[8:8 + clen]
                if kind == 3:
                    done = True
                buf = buf[8 + clen + plen:]
            if done:
                break
    finally:
        sock.close()
    head, _, rest = out.partition(b"\r\n\r\n")
    headers = [tuple(x.split(": ", 1)) for x in head.decode().split("\r\n") if ": " in x]
    status = int(dict(headers)["Status"].split()[0])
    return status, headers, rest.decode()


def sign_in_fastcgi(s, email, https):
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    params = {"HTTPS": "on"} if https else {}
    status, headers, text = fastcgi(s, "POST", "/api/v1/session", params, body)
    assert status == 200, (status, text)
    return [v for k, v in headers if k == "Set-Cookie"][0]

