"""The integration tests' view of a running stack: start and stop through scripts/stack.sh,
HTTP through nginx as a client would, the admin program, and deadline-bounded waiting."""
import contextlib
import email
import email.policy
import http.client
import json
import os
import re
import socket
import subprocess
import threading
import time

# The poller, made quick for tests: short backoff, leases and waits; small caps.
# The request limit raised far past what a test or benchmark sends: the limiter still runs
# (its Redis script is part of every request's cost) but refuses nothing. test_ratelimit
# restarts seawall-api with a low one.
HIGH_LIMIT = {"SEAWALL_API_RATE_PER_S": "10000000", "SEAWALL_API_RATE_BURST": "10000000"}

TEST_ENV = {
    **HIGH_LIMIT,
    # Every script, MULTI and multi-key command must touch one cluster slot, as on a Redis
    # Cluster: on the tests' one server the store refuses the rest (CROSSSLOT) and logs it.
    "SEAWALL_REDIS_CHECK_SLOTS": "refuse",
    "SEAWALL_POLLER_IDLE_MS": "50",
    "SEAWALL_POLLER_MIN_INTERVAL_S": "1",
    "SEAWALL_POLLER_BACKOFF_BASE_S": "2",
    "SEAWALL_POLLER_LEASE_MS": "1500",
    "SEAWALL_POLLER_BODY_MAX": "262144",
    "SEAWALL_POLLER_LOW_SPEED_BYTES": "100",
    "SEAWALL_POLLER_LOW_SPEED_S": "4",
    "SEAWALL_POLLER_TIMEOUT_MS": "8000",
    "SEAWALL_POLLER_CONNECT_TIMEOUT_MS": "2000",
    "SEAWALL_POLLER_UNCONDITIONAL_EVERY": "1000",
    # Dated sources judge which days exist by the instant in sw:testclock:poller_at_ms (when a
    # test sets it); small archive caps, so a test's bombs reach them quickly.
    "SEAWALL_POLLER_TEST_CLOCK": "1",
    "SEAWALL_ARCHIVE_MAX_ENTRIES": "1000",
    "SEAWALL_ARCHIVE_MAX_ENTRY_BYTES": "67108864",
    "SEAWALL_ARCHIVE_MAX_TOTAL_BYTES": "134217728",
    # The notifier: retries in milliseconds, short timeouts and leases, quick give-up.
    "SEAWALL_NOTIFIER_RETRY_SCHEDULE": "200ms,400ms,800ms,1600ms",
    "SEAWALL_NOTIFIER_TIMEOUT_MS": "2000",
    "SEAWALL_NOTIFIER_CONNECT_TIMEOUT_MS": "1000",
    "SEAWALL_NOTIFIER_SMTP_TIMEOUT_MS": "3000",
    "SEAWALL_NOTIFIER_LEASE_MS": "3000",
    "SEAWALL_NOTIFIER_IDLE_MS": "50",
    "SEAWALL_NOTIFIER_CLAIM_IDLE_MS": "2000",
    "SEAWALL_NOTIFIER_DISABLE_AFTER_S": "2",
    # Live streams: a heartbeat a second, two streams per subscriber.
    "SEAWALL_API_SSE_HEARTBEAT_S": "1",
    "SEAWALL_API_SSE_PER_SUBSCRIBER": "2",
    # Cases: a clock the tests move (Redis key sw:testclock:offset_ms), small evidence files.
    "SEAWALL_CASES_TEST_CLOCK": "1",
    "SEAWALL_CASES_EVIDENCE_MAX": "65536",
    # Evidence quota per tenant (subscriber, or show): small, so a test can reach it.
    "SEAWALL_EVIDENCE_QUOTA_BYTES": "200000",
    # Incident exports: a small ceiling, so a test can pass it with a few long notes.
    "SEAWALL_SHOWS_EXPORT_BYTES_MAX": "16384",
    # People: a cheap Argon2id (the hash names its parameters; production keeps 64 MiB) so the
    # suite and its valgrind pass stay quick.
    "SEAWALL_PEOPLE_ARGON2_OPSLIMIT": "1",
    "SEAWALL_PEOPLE_ARGON2_MEMLIMIT": "1048576",
    # Following: a small limit per company, so a test can reach it.
    "SEAWALL_FOLLOWS_MAX": "5",
}


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Stack:
    def __init__(self, root, build, run_dir, env=None):
        """env: settings for this stack's programs and CLI only (e.g. SEAWALL_REDIS_URL of a
        Redis Cluster), over the process environment, which other stacks share."""
        self.root = root
        self.build = build
        self.dir = run_dir
        self.env = {}
        self.extra_env = dict(env or {})
        self.tokens = {}

    # --- lifecycle -------------------------------------------------------------------------

    def script(self, *args, check=True):
        p = subprocess.run([os.path.join(self.root, "scripts", "stack.sh"), *args,
                            "--dir", self.dir, "--build", self.build],
                           capture_output=True, text=True, timeout=120,
                           env={**os.environ, **self.extra_env})
        if check and p.returncode != 0:
            raise RuntimeError(f"stack.sh {' '.join(args)} failed ({p.returncode}):\n"
                               f"{p.stdout}{p.stderr}")
        return p

    def start(self, test_settings=True):
        """Starts the stack; test_settings makes the poller quick (TEST_ENV), for tests."""
        if test_settings:
            os.environ.update(TEST_ENV)
        self.script("start")
        with open(os.path.join(self.dir, "env")) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                self.env[k] = v
        self.port = int(self.env["HTTP_PORT"])
        self.redis_port = int(self.env["REDIS_PORT"])
        self.tokens["admin"] = self.cli("token", "create", "--role", "admin", "--label",
                                        "test-admin", "-q").strip()

    def stop(self):
        if os.path.exists(os.path.join(self.dir, "pids")):
            self.script("stop", check=False)

    STARTERS = (("redis", ["start-redis"]), ("seawall-api", ["restart-api"]),
                ("seawall-poller", ["start-worker", "seawall-poller"]),
                ("seawall-matcher", ["start-worker", "seawall-matcher"]),
                ("seawall-notifier", ["start-worker", "seawall-notifier"]),
                ("seawall-register", ["start-worker", "seawall-register"]),
                ("seawall-screener", ["start-worker", "seawall-screener"]))

    def ended(self):
        """The processes that were started and have ended without being stopped (a process
        a test stops on purpose loses its pid file and is not listed)."""
        p = self.script("status", check=False)
        return [line.split()[0] for line in p.stdout.splitlines() if line.endswith(" ended")]

    def ensure_running(self):
        """Brings back anything a test stopped on purpose and did not restart, and anything
        that died. Returns the names of those that died (pid file kept, process gone)."""
        died = self.ended()
        for name in died:
            self.script("stop-one", name, check=False)   # forgets the dead pid
        for name, starter in self.STARTERS:
            pidf = os.path.join(self.dir, "pids", f"{name}.pid")
            if not os.path.exists(pidf):
                self.script(*starter)
        return died

    def logs_tail(self, n=30):
        out = []
        for name in ("seawall-api.log", "seawall-poller.log", "seawall-matcher.log",
                     "seawall-notifier.log", "seawall-register.log", "seawall-screener.log", "nginx-error.log",
                     "redis.log"):
            path = os.path.join(self.dir, "logs", name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    lines = f.readlines()[-n:]
                out.append(f"--- {name} (last {len(lines)} lines)\n{''.join(lines)}")
        return "\n".join(out)

    # --- clients ---------------------------------------------------------------------------

    def redis(self, *args):
        """One Redis command over a plain socket (RESP); returns the decoded reply."""
        with socket.create_connection(("127.0.0.1", self.redis_port), timeout=10) as sock:
            parts = [b"*%d\r\n" % len(args)]
            for a in args:
                a = a if isinstance(a, bytes) else str(a).encode()
                parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
            sock.sendall(b"".join(parts))
            f = sock.makefile("rb")
            return _resp(f)

    def redis_many(self, commands):
        """Many Redis commands over one connection, sent together (a pipeline); the replies
        in order. For writing thousands of stream entries at once."""
        with socket.create_connection(("127.0.0.1", self.redis_port), timeout=60) as sock:
            parts = []
            for args in commands:
                parts.append(b"*%d\r\n" % len(args))
                for a in args:
                    a = a if isinstance(a, bytes) else str(a).encode()
                    parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
            sock.sendall(b"".join(parts))
            f = sock.makefile("rb")
            return [_resp(f) for _ in commands]

    # --- sharded streams (lib/stream.c: sw:{events:0} … one stream per shard) --------------

    def stream_shards(self):
        """redis.stream_shards as the stack's programs have it."""
        return int(self.env.get("SEAWALL_REDIS_STREAM_SHARDS")
                   or os.environ.get("SEAWALL_REDIS_STREAM_SHARDS") or 4)

    def stream_keys(self, base):
        return [f"sw:{{{base}:{i}}}" for i in range(self.stream_shards())]

    def stream_key(self, base, route):
        """The shard of stream base that route (an event id, a subscriber id) is written to,
        as sw_stream_shard_of decides."""
        return f"sw:{{{base}:{key_slot(str(route)) % self.stream_shards()}}}"

    def event_seen_key(self, event_id):
        """The key that marks event_id published (and holds its JSON), in its shard's slot."""
        shard = key_slot(str(event_id)) % self.stream_shards()
        return f"sw:{{events:{shard}}}:seen:{event_id}"

    def add_event(self, ev):
        """Appends ev to its shard of the events stream, as a producer would (without marking
        it seen: the same event may be added again). Returns the entry id."""
        return self.redis("XADD", self.stream_key("events", ev["id"]), "*", "id", ev["id"],
                          "event", json.dumps(ev))

    def add_events(self, evs):
        """add_event for many events, in one pipeline."""
        return self.redis_many([("XADD", self.stream_key("events", ev["id"]), "*", "id",
                                 ev["id"], "event", json.dumps(ev)) for ev in evs])

    def stream_entries(self, base="events"):
        """Every entry of every shard of base, oldest first: (entry id, {field: value})."""
        out = []
        for key in self.stream_keys(base):
            for eid, fields in self.redis("XRANGE", key, "-", "+") or []:
                out.append((eid, dict(zip(fields[::2], fields[1::2]))))
        return sorted(out, key=lambda e: tuple(int(x) for x in e[0].split("-")))

    def stream_len(self, base="events"):
        return sum(self.redis("XLEN", key) for key in self.stream_keys(base))

    def stream_pending(self, base, group):
        """Entries of group read but not acknowledged, over base's shards."""
        total = 0
        for key in self.stream_keys(base):
            try:
                total += self.redis("XPENDING", key, group)[0]
            except RuntimeError:   # no such stream or group yet
                pass
        return total

    def stream_settled(self, base, group):
        """True when group has read and acknowledged every entry of every shard of base."""
        for key in self.stream_keys(base):
            last = self.redis("XREVRANGE", key, "+", "-", "COUNT", "1")
            if not last:
                continue
            try:
                groups = self.redis("XINFO", "GROUPS", key)
            except RuntimeError:
                return False
            info = next((dict(zip(g[::2], g[1::2])) for g in groups
                         if dict(zip(g[::2], g[1::2]))["name"] == group), None)
            if info is None or info["pending"] != 0:
                return False
            done = tuple(int(x) for x in info["last-delivered-id"].split("-"))
            if done < tuple(int(x) for x in last[0][0].split("-")):
                return False
        return True

    def cli(self, *args, check=True, env=None):
        e = dict(os.environ)
        e.update(self.env_for_programs())
        e.update(self.extra_env)
        e.update(env or {})
        p = subprocess.run([os.path.join(self.build, "bin", "seawall"), "--config",
                            os.path.join(self.dir, "seawall.conf"), *args],
                           capture_output=True, text=True, env=e, timeout=30)
        if check and p.returncode != 0:
            raise AssertionError(f"seawall {' '.join(args)} exited {p.returncode}: {p.stderr}")
        return p.stdout if check else p

    def env_for_programs(self):
        return {k: v for k, v in self.env.items() if k.startswith("SEAWALL_")}

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                timeout=60):
        """One HTTP/1.1 request to nginx. body is JSON-encoded; raw is sent as is. The timeout
        only ends a request that hangs: nginx answers within its own FastCGI timeouts (30 s),
        and an API under valgrind on a slow machine may take many seconds for a large import."""
        h = {}
        if token:
            h["Authorization"] = f"Bearer {token}"
        data = None
        if raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode()
        elif body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read().decode("utf-8", "replace"))
        finally:
            conn.close()

    def get(self, path, token=None, **kw):
        return self.request("GET", path, token=token, **kw)

    def post(self, path, body, token=None, **kw):
        return self.request("POST", path, body=body, token=token, **kw)

    # --- fixtures --------------------------------------------------------------------------

    @property
    def admin(self):
        return self.tokens["admin"]

    def make(self, path, body):
        r = self.post(path, body, token=self.admin)
        assert r.status == 201, r
        return r.json()

    def fair(self, show_id, country="DE", **kw):
        """The fair show_id, made now unless it exists: stations and show items must name a
        fair that exists."""
        r = self.get(f"/api/v1/shows/{show_id}")
        if r.status == 200:
            return r.json()
        body = {"id": show_id, "name": f"Fair {show_id}", "country": country,
                "starts": "2026-10-15", "ends": "2026-10-19"}
        body.update(kw)
        return self.make("/api/v1/shows", body)

    def token_for(self, role, subject, label="test"):
        r = self.post("/api/v1/tokens", {"role": role, "subject": subject, "label": label},
                      token=self.admin)
        assert r.status == 201, r
        return r.json()["token"]

    def mail(self):
        """Every message the stack's mail sink has accepted, oldest first, parsed."""
        folder = os.path.join(self.dir, "mail")
        names = sorted((n for n in os.listdir(folder) if n.endswith(".eml")),
                       key=lambda n: int(n[:-4]))
        out = []
        for n in names:
            with open(os.path.join(folder, n), "rb") as f:
                out.append(email.message_from_bytes(f.read(), policy=email.policy.default))
        return out

    def mail_to(self, addr):
        return [m for m in self.mail() if m["X-Sink-To"] == addr]

    def make_alerts(self, sub, tok, n, tag, kind="keyword"):
        """n new alerts for sub through the matcher: a portfolio item and n events naming it
        (keyword: medium; patent: high; name: critical). Returns the alerts, newest first."""
        word = f"zq{tag}x"
        item = {"keyword": {"kind": "keyword", "text": f"{word} speaker", "countries": ["US"]},
                "patent": {"kind": "patent", "number": f"US {7000000 + abs(hash(tag)) % 999999}"},
                "name": {"kind": "name", "text": f"{word.capitalize()} Audio Ltd."}}[kind]
        r = self.post(f"/api/v1/subscribers/{sub['id']}/portfolio", item, token=tok)
        assert r.status == 201, r
        before = {a["id"] for a in self.get("/api/v1/alerts?limit=200", token=tok).json()["items"]}
        for i in range(n):
            ev = {"id": f"ev_{tag}_{i}", "source": "test", "type": "litigation",
                  "jurisdiction": "US", "title": f"Case {i}: {word} speaker dispute",
                  "text": f"complaint about {word} speaker sales"}
            if kind == "patent":
                ev["numbers"] = {"patents": [item["number"]]}
            if kind == "name":
                ev["parties"] = [{"name": item["text"], "role": "defendant"}]
            self.add_event(ev)

        def fresh():
            got = [a for a in self.get("/api/v1/alerts?limit=200", token=tok).json()["items"]
                   if a["id"] not in before]
            return got if len(got) >= n else None
        return wait_until(f"{n} alerts for {tag}", fresh, timeout=30)

    @contextlib.contextmanager
    def no_private_allowed(self, *workers):
        """Runs workers as production would: the test stack allows 127.0.0.1 so that its own
        feed server and webhook receiver can be reached; here nothing inside the network is.
        The allowance comes back, and the workers restart with it, afterwards."""
        path = os.path.join(self.dir, "env")
        with open(path) as f:
            saved = f.read()
        assert "SEAWALL_NET_ALLOW_PRIVATE=127.0.0.1/32" in saved
        with open(path, "w") as f:
            f.write(saved.replace("SEAWALL_NET_ALLOW_PRIVATE=127.0.0.1/32",
                                  "SEAWALL_NET_ALLOW_PRIVATE="))
        try:
            for w in workers:
                self.script("stop-one", w)
                self.script("start-worker", w)
            yield
        finally:
            with open(path, "w") as f:
                f.write(saved)
            for w in workers:
                self.script("stop-one", w)
                self.script("start-worker", w)

    def tenant(self, name="Test Exporter Ltd", country="CN"):
        """A new subscriber and an exporter token for it."""
        sub = self.make("/api/v1/subscribers", {"name": name, "country": country,
                                                "email": "legal@exporter.example",
                                                "markets": ["US", "DE"]})
        return sub, self.token_for("exporter", sub["id"])


def _resp(f):
    line = f.readline()
    kind, rest = line[:1], line[1:-2]
    if kind == b"+":
        return rest.decode()
    if kind == b"-":
        raise RuntimeError(rest.decode())
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode("utf-8", "replace")
    if kind == b"*":
        n = int(rest)
        return None if n < 0 else [_resp(f) for _ in range(n)]
    raise RuntimeError(f"unexpected reply {line!r}")


def key_slot(key):
    """The Redis Cluster slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key."""
    start = key.find("{")
    if start >= 0:
        end = key.find("}", start + 1)
        if end > start + 1:
            key = key[start + 1:end]
    crc = 0
    for b in key.encode():
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc % 16384


class Monitor:
    """Redis MONITOR over its own connection, collected in a thread: each command as
    (client, [arguments]), client "lua" for what a script ran. Use as a context manager."""

    _ARG = re.compile(r'"((?:[^"\\]|\\.)*)"')

    def __init__(self, s):
        self.sock = socket.create_connection(("127.0.0.1", s.redis_port), timeout=10)
        self.sock.sendall(b"*1\r\n$7\r\nMONITOR\r\n")
        self.f = self.sock.makefile("rb")
        assert self.f.readline().strip() == b"+OK"
        self.commands, self.t = [], threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        try:
            for line in self.f:
                head, _, rest = line.decode("utf-8", "replace").partition("] ")
                client = head.rpartition(" ")[2]
                args = [bytes(a, "utf-8").decode("unicode_escape") for a in self._ARG.findall(rest)]
                self.commands.append((client, args))
        except (OSError, ValueError):
            pass

    def naming(self, text):
        """The commands sent by clients (not by scripts) with an argument containing text."""
        return [args for client, args in list(self.commands)
                if client != "lua" and any(text in a for a in args)]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sock.shutdown(socket.SHUT_RDWR)   # wakes the reading thread
        self.t.join(timeout=10)
        self.sock.close()


def wait_until(what, fn, timeout=20.0, interval=0.05):
    """Calls fn until it returns a true value; returns it, or fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fn()
            if last:
                return last
        except (OSError, http.client.HTTPException) as e:
            last = e
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")



def feed(s, fid):
    """A feed as an admin reads it (GET /api/v1/feeds/{id}, 200 asserted)."""
    r = s.get(f"/api/v1/feeds/{fid}", token=s.admin)
    assert r.status == 200, r
    return r.json()


def wait_status(s, fid, pred, what, timeout=20):
    """The feed once pred(its status) holds, within timeout seconds."""
    return wait_until(what, lambda: (lambda f: f if pred(f["status"]) else None)(feed(s, fid)),
                      timeout=timeout)

def problem(r, status, slug=None):
    """Asserts r is an RFC 9457 problem of this status (and type slug); returns its JSON."""
    assert r.status == status, r
    ct = r.header("Content-Type") or ""
    assert ct.startswith("application/problem+json"), (ct, r)
    p = r.json()
    assert p["status"] == status, p
    assert p["title"] and p["detail"], p
    assert p["type"].startswith("urn:seawall:problem:"), p
    if slug:
        assert p["type"] == f"urn:seawall:problem:{slug}", p
    return p


def pointers(p):
    return [e.get("pointer") for e in p.get("errors", [])]
