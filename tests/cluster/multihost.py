#!/usr/bin/env python3
"""tests/cluster/multihost.py — Seawall on several hosts, in network namespaces, under fire.

    tests/cluster/multihost.py --build build/default [--events 10000] [--cluster|--single]
                               [--check-slots] [--store-only] [--seed 7] [--keep] [--quiet]

Run as root. The run makes its own hosts: network namespaces sw-<pid>-<host>, each with lo up
and one veth (eth0) to a bridge that lives in a namespace of its own (sw-<pid>-net), on a
private /24 used by nothing else; the machine's own network namespace gains no interface.

    redis1..3   --cluster: Redis Cluster, a primary (port 7000) and the replica (7001) of
                another host's primary on each; --single: redis1 the one primary (6379)
                behind a service address that moves at the failover, redis2 its replica
    api1, api2  seawall-api, FastCGI over TCP on the host's address (api.listen = ADDR:9000)
    web         nginx (nginx/seawall.conf.in, filled as scripts/stack.sh fills it) with an
                upstream of both API hosts, on its own address and its own 127.0.0.1; the
                run's client (this program, re-run with `ip netns exec`) lives here
    work1/2     seawall-poller, seawall-notifier, seawall-register each, a seawall-matcher
                for each of the two portfolio partitions (matcher.partitions = 2), and work1
                the one seawall-screener
    source      the feed server the pollers fetch pages from and the webhook receiver
                (tests/cluster/sourcehost.py)

Subscribers each watch a keyword and have a webhook; feed pages gain items round by round, each
naming one subscriber's keyword, so the alerts and deliveries to expect are known. Every round
also writes through the API (a portfolio item added, one of two rounds before removed, a case)
and reads, and a writer adds cases and portfolio items all the time, through every fault, each
retried with its Idempotency-Key until answered. During the run it moves slots
with `redis-cli --cluster reshard` while traffic flows, kills a Redis primary (its replica is
promoted; the old one comes back as a replica), kills an API host's seawall-api (started again
later) and every worker on a worker host (not started again). Then it counts events stored,
alerts per (subscriber, event), deliveries the receiver got and acknowledged writes read back:

    RESULT cluster events=… lost=… duplicate_alerts=… acked_writes_lost=… failovers=…
           slots_moved=… alerts=… deliveries=…

(one line; "single" instead of "cluster" with --single: one Redis primary and its replica
behind a service address that moves at the failover). lost counts events not stored,
expected alerts missing and alerts no webhook delivery reached. Exits 0 only when lost,
duplicate_alerts and acked_writes_lost are 0; 2 (one line) when not root or `ip netns` is
missing. Every process is started by pid; on exit, error, SIGINT or SIGTERM every process left
in the run's namespaces is stopped by pid and every namespace deleted.

--check-slots sets redis.check_slots = log on every host and prints each kind of call that
touches several cluster slots (what a cluster would refuse with CROSSSLOT), with its count.
--store-only starts the Redis hosts alone and puts them through the same Redis faults while
lib/store.c (build/…/tests/storeprobe) writes from both worker hosts, each write waiting for a
replica; it prints RESULT cluster-store acked=… acked_writes_lost=… failovers=… slots_moved=…"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402

HOSTS = ["web", "api1", "api2", "redis1", "redis2", "redis3", "work1", "work2", "source"]
LAST = {"web": 10, "api1": 21, "api2": 22, "redis1": 31, "redis2": 32, "redis3": 33,
        "work1": 41, "work2": 42, "source": 50}
VIP_LAST = 30          # --single: the Redis service address, on the primary's host
API_PORT = 9000
HTTP_PORT = 8080
SUBS = 20
FEEDS = 20
WORKERS = ("seawall-poller", "seawall-matcher", "seawall-notifier", "seawall-register")
# The matchers hold the portfolios in two partitions (matcher.partitions): each worker host
# runs a matcher of each, so losing a host loses no partition.
PARTITIONS = 2


def worker_names(host):
    """The worker processes of a worker host, as the run names them."""
    out = []
    for w in WORKERS + (("seawall-screener",) if host == "work1" else ()):
        if w == "seawall-matcher":
            out += [f"{w}.p{p}@{host}" for p in range(PARTITIONS)]
        else:
            out.append(f"{w}@{host}")
    return out
# Every script and transaction of the stack touches one slot (redis.check_slots, issue 22), so
# the run's default is Redis Cluster; --single runs it on one primary with a replica.
DEFAULT_MODE = "cluster"


def refuse(msg):
    print(f"multihost.py: {msg}", file=sys.stderr)
    sys.exit(2)


def sh(*args, check=True):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=60)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {p.stdout}{p.stderr}".strip())
    return p


# --- the outer process: namespaces, the trap, the inner run ----------------------------------

def pick_subnet(pid):
    """A 10.x.y.0/24 no route of the machine's own namespace covers."""
    used = sh("ip", "-4", "route", "show", "table", "all", check=False).stdout
    used += sh("ip", "-4", "addr", check=False).stdout
    for k in range(200):
        a, b = 200 + (pid + k) % 50, (pid // 50 + k * 7) % 250 + 1
        if f"10.{a}.{b}." not in used:
            return f"10.{a}.{b}"
    refuse("no free private /24 found for the run's hosts")


class Net:
    def __init__(self, prefix, subnet):
        self.prefix = prefix
        self.subnet = subnet
        self.made = []

    def ns(self, host):
        return f"{self.prefix}-{host}"

    def addr(self, host):
        return f"{self.subnet}.{LAST[host]}"

    def create(self):
        bridge = self.ns("net")
        sh("ip", "netns", "add", bridge)
        self.made.append(bridge)
        sh("ip", "-n", bridge, "link", "set", "lo", "up")
        sh("ip", "-n", bridge, "link", "add", "br0", "type", "bridge")
        sh("ip", "-n", bridge, "link", "set", "br0", "up")
        for h in HOSTS:
            ns = self.ns(h)
            sh("ip", "netns", "add", ns)
            self.made.append(ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            # Made inside the bridge's namespace, its peer moved straight into the host's.
            sh("ip", "-n", bridge, "link", "add", f"v-{h}", "type", "veth", "peer", "name",
               "eth0", "netns", ns)
            sh("ip", "-n", bridge, "link", "set", f"v-{h}", "master", "br0")
            sh("ip", "-n", bridge, "link", "set", f"v-{h}", "up")
            sh("ip", "-n", ns, "addr", "add", f"{self.addr(h)}/24", "dev", "eth0")
            sh("ip", "-n", ns, "link", "set", "eth0", "up")

    def destroy(self):
        """Stops every process left in the run's namespaces (by pid), then deletes them."""
        for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            pids = self.pids()
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + wait_s
            while self.pids() and time.monotonic() < deadline:
                time.sleep(0.1)
        left = self.pids()
        for ns in reversed(self.made):
            sh("ip", "netns", "del", ns, check=False)
        self.made = []
        return left

    def pids(self):
        out = []
        for ns in self.made:
            p = sh("ip", "netns", "pids", ns, check=False)
            out += [int(x) for x in p.stdout.split() if x.isdigit()]
        return out


def outer(a):
    if os.geteuid() != 0:
        refuse("needs root (it makes network namespaces and veth pairs); run it as root")
    if shutil.which("ip") is None or sh("ip", "netns", "list", check=False).returncode != 0:
        refuse("`ip netns` is unavailable (iproute2 with network namespace support needed)")
    for prog in ("redis-server", "redis-cli"):
        if shutil.which(prog) is None:
            refuse(f"{prog} is missing: run scripts/deps.sh")
    if shutil.which("nginx") is None and not os.access("/usr/sbin/nginx", os.X_OK):
        refuse("nginx is missing: run scripts/deps.sh")
    build = os.path.abspath(a.build)
    for prog in ("seawall-api", "seawall-poller", "seawall-matcher", "seawall-notifier",
                 "seawall-register", "seawall-screener", "seawall") + (("../tests/storeprobe",) if a.store_only else ()):
        if not os.access(os.path.join(build, "bin", prog), os.X_OK):
            refuse(f"{build}/bin/{prog} is missing: run make first")
    pid = os.getpid()
    net = Net(f"sw-{pid}", pick_subnet(pid))
    run_dir = make_run_dir(pid)
    inner_proc = None
    stopping = []

    def on_signal(signum, _frame):
        if stopping:
            return
        stopping.append(signum)
        raise KeyboardInterrupt
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    rc = 1
    try:
        before = sh("ip", "-o", "link").stdout.split("\n")
        net.create()
        grown = [l for l in sh("ip", "-o", "link").stdout.split("\n") if l not in before]
        if grown:
            raise RuntimeError(f"the machine's own namespace gained interfaces: {grown}")
        cmd = ["ip", "netns", "exec", net.ns("web"), sys.executable, os.path.abspath(__file__),
               "--inside", run_dir, "--prefix", net.prefix, "--subnet", net.subnet,
               "--build", build, "--events", str(a.events), "--seed", str(a.seed)]
        cmd.append("--single" if a.single else "--cluster")
        if a.quiet:
            cmd.append("--quiet")
        if a.check_slots:
            cmd.append("--check-slots")
        if a.store_only:
            cmd.append("--store-only")
        # A session of its own: a Ctrl-C reaches this process, which stops the run in order.
        inner_proc = subprocess.Popen(cmd, start_new_session=True)
        rc = inner_proc.wait()
    except KeyboardInterrupt:
        print("multihost.py: interrupted; stopping every process of the run and deleting its "
              "namespaces", file=sys.stderr, flush=True)
        rc = 130
    finally:
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        if inner_proc is not None and inner_proc.poll() is None:
            inner_proc.terminate()
            try:
                inner_proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                inner_proc.kill()
                inner_proc.wait()
        left = net.destroy()
        if left:
            print(f"multihost.py: processes {left} did not end", file=sys.stderr)
        gone = [n for n in sh("ip", "netns", "list", check=False).stdout.split()
                if n.startswith(net.prefix + "-")]
        if gone:
            print(f"multihost.py: namespaces {gone} could not be deleted", file=sys.stderr)
            rc = rc or 1
        public = os.path.join(run_dir, "public")
        if os.path.islink(public):
            shutil.rmtree(os.readlink(public), ignore_errors=True)
        if rc == 0 and not a.keep:
            shutil.rmtree(run_dir, ignore_errors=True)
        else:
            print(f"(run folder kept: {run_dir})", flush=True)
    sys.exit(rc)


def reachable_by_nobody(path):
    while path not in ("", "/"):
        if not os.stat(path).st_mode & 0o001:
            return False
        path = os.path.dirname(path)
    return True


def make_run_dir(pid):
    base = os.environ.get("TMPDIR") or os.path.join(ROOT, "build", "tmp")
    os.makedirs(base, exist_ok=True)
    run_dir = tempfile.mkdtemp(prefix=f"multihost-{pid}-", dir=base)
    os.chmod(run_dir, 0o755)
    # What nginx's workers (user nobody) open lives in the public folder; under /tmp when
    # they cannot enter the run folder.
    if reachable_by_nobody(run_dir):
        os.makedirs(os.path.join(run_dir, "public"))
    else:
        os.symlink(tempfile.mkdtemp(prefix="seawall-multihost-public-", dir="/tmp"),
                   os.path.join(run_dir, "public"))
    os.chmod(os.path.realpath(os.path.join(run_dir, "public")), 0o755)
    return run_dir


# --- Redis, plainly ---------------------------------------------------------------------------

def redis(host, port, *args, timeout=10):
    with socket.create_connection((host, port), timeout=timeout) as sock:
        parts = [b"*%d\r\n" % len(args)]
        for x in args:
            x = x if isinstance(x, bytes) else str(x).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(x), x))
        sock.sendall(b"".join(parts))
        return harness._resp(sock.makefile("rb"))


def try_redis(host, port, *args):
    try:
        return redis(host, port, *args, timeout=3)
    except (OSError, RuntimeError) as e:
        return e


# --- the inner process: every host's programs, the run, the counts ----------------------------

class Run:
    def __init__(self, a):
        self.a = a
        self.dir = a.inside
        self.build = a.build
        self.prefix = a.prefix
        self.subnet = a.subnet
        self.cluster = not a.single
        self.rng = random.Random(a.seed)
        self.procs = {}          # name -> (Popen, host, argv, env)
        self.t0 = time.monotonic()
        self.failovers = 0
        self.slots_moved = 0
        self.acked = []          # (path, token, status a read must answer) of acknowledged writes
        self.added = []          # (round, path, token) of portfolio items to remove later
        self.lock = threading.Lock()
        self.writes = 0
        self.unanswered = 0
        self.notes = []
        self.reshard = None

    def log(self, msg):
        if not self.a.quiet:
            print(f"[{time.monotonic() - self.t0:6.1f}s] {msg}", flush=True)

    def ns(self, host):
        return f"{self.prefix}-{host}"

    def addr(self, host):
        return f"{self.subnet}.{LAST[host]}"

    @property
    def vip(self):
        return f"{self.subnet}.{VIP_LAST}"

    # --- processes ---

    def start(self, name, host, argv, env=None, log=None):
        logf = open(os.path.join(self.dir, "logs", f"{log or name}.log"), "ab")
        e = dict(os.environ)
        e.update(env or {})
        # `ip netns exec` execs the program in place: the pid is the program's.
        p = subprocess.Popen(["ip", "netns", "exec", self.ns(host), *argv], stdout=logf,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=e,
                             start_new_session=True)
        logf.close()
        self.procs[name] = (p, host, argv, env)
        return p

    def kill(self, name, sig=signal.SIGKILL):
        p = self.procs.pop(name)[0]
        if p.poll() is None:
            p.send_signal(sig)
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()

    def stop_all(self):
        """SIGTERM to the workers, then the front and the API, then the rest, each group at
        once; whatever has not ended 15 s later gets SIGKILL."""
        groups = [[n for n in self.procs if n.startswith("seawall-") and
                   not n.startswith("seawall-api")],
                  [n for n in self.procs if n.startswith(("nginx", "seawall-api"))],
                  list(self.procs)]
        for names in groups:
            names = [n for n in names if n in self.procs]
            for n in names:
                p = self.procs[n][0]
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for n in names:
                p = self.procs.pop(n)[0]
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()

    def wait_log(self, name, needle, timeout=30):
        path = os.path.join(self.dir, "logs", f"{name}.log")

        def seen():
            p = self.procs[name][0]
            if p.poll() is not None:
                raise AssertionError(f"{name} ended ({p.returncode}): {tail(path)}")
            with open(path, errors="replace") as f:
                return needle in f.read()
        harness.wait_until(f"{name} to say {needle!r}", seen, timeout=timeout)

    # --- configuration ---

    def common_env(self):
        env = dict(harness.TEST_ENV)
        env.update({
            # A restarted or surviving matcher takes over what a killed one had read after 2 s.
            "SEAWALL_MATCHER_CLAIM_IDLE_MS": "2000",
            "SEAWALL_REGISTER_CLAIM_IDLE_MS": "2000",
            # Webhooks stay on through a slow moment: the run judges loss, not switching off;
            # and a delivery the receiver (Python, on a loaded machine) did not take in time
            # is tried for a minute, not three seconds as in the integration tests.
            "SEAWALL_NOTIFIER_DISABLE_AFTER_S": "3600",
            "SEAWALL_NOTIFIER_RETRY_SCHEDULE": "200ms,400ms,800ms,1600ms,3s,6s,12s,24s",
            "SEAWALL_CASES_DEADLINE_RULES": f"{ROOT}/etc/deadlines.json",
            "SEAWALL_SOURCES_DIR": f"{ROOT}/etc/sources",
            "SEAWALL_I18N_DIR": f"{ROOT}/po",
            "SEAWALL_NOTIFIER_SMTP_URL": f"smtp://{self.addr('source')}:2525",
            "SEAWALL_NOTIFIER_PUBLIC_URL": f"http://{self.addr('web')}:{HTTP_PORT}",
            "SEAWALL_PORTAL_ORIGIN": f"http://{self.addr('web')}:{HTTP_PORT}",
            "SEAWALL_NOTIFIER_MAIL_FROM": "alerts@seawall.example",
        })
        # A sanitized build (make SANITIZER=…) writes its reports here; the run fails on any.
        log = os.path.join(self.dir, "logs", "sanitizer")
        env.update({"ASAN_OPTIONS": f"log_path={log}:detect_leaks=1:abort_on_error=0",
                    "UBSAN_OPTIONS": f"log_path={log}:print_stacktrace=1:halt_on_error=1",
                    "LSAN_OPTIONS": f"log_path={log}"})
        return env

    def redis_url(self):
        if self.cluster:
            return "redis://" + ",".join(f"{self.addr(h)}:7000"
                                         for h in ("redis1", "redis2", "redis3"))
        return f"redis://{self.vip}:6379"

    def write_conf(self, host):
        lines = [f"# Written by tests/cluster/multihost.py for host {host}.",
                 f"redis.url = {self.redis_url()}",
                 "redis.cluster_retry_ms = 15000",
                 f"api.listen = {self.addr(host)}:{API_PORT}",
                 "api.threads = 4",
                 # One folder for both API hosts' evidence files: shared storage.
                 f"data.dir = {self.dir}/data",
                 f"cases.deadline_rules = {ROOT}/etc/deadlines.json",
                 f"sources.dir = {ROOT}/etc/sources",
                 f"live.socket = {self.dir}/private/live.sock",
                 f"net.allow_private = {self.subnet}.0/24",
                 # A write people rely on is acknowledged once a replica has it.
                 "redis.wait_replicas = 1"]
        if self.a.check_slots:
            lines.append("redis.check_slots = log")
        path = os.path.join(self.dir, f"seawall-{host}.conf")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    # --- Redis ---

    def redis_node_argv(self, host, port, extra=()):
        d = os.path.join(self.dir, "redis", f"{host}-{port}")
        os.makedirs(d, exist_ok=True)
        argv = ["redis-server", "--port", str(port), "--dir", d, "--logfile", "",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--protected-mode", "no"]
        if self.cluster:
            argv += ["--bind", self.addr(host), "--cluster-enabled", "yes",
                     "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                     "--cluster-replica-validity-factor", "0"]
        else:
            # The service address moves to the replica's host at a failover.
            argv += ["--bind", "0.0.0.0"]
        return argv + list(extra)

    def start_redis(self, host, port, extra=()):
        name = f"redis@{host}:{port}"
        self.start(name, host, self.redis_node_argv(host, port, extra))
        addr = self.addr(host)
        harness.wait_until(f"{name} to answer",
                           lambda: try_redis(addr, port, "PING") == "PONG", timeout=30)

    def start_single_redis(self):
        sh("ip", "-n", self.ns("redis1"), "addr", "add", f"{self.vip}/24", "dev", "eth0")
        self.start_redis("redis1", 6379)
        self.start_redis("redis2", 6379, ["--replicaof", self.vip, "6379"])
        self.wait_replica("redis2", 6379)

    def wait_replica(self, host, port):
        harness.wait_until(f"the replica on {host} to be in sync", lambda: "master_link_status:up"
                           in str(try_redis(self.addr(host), port, "INFO", "replication")),
                           timeout=60)

    def start_cluster(self):
        rhosts = ("redis1", "redis2", "redis3")
        for h in rhosts:
            for port in (7000, 7001):
                self.start_redis(h, port)
        nodes = [f"{self.addr(h)}:7000" for h in rhosts] + \
                [f"{self.addr(h)}:7001" for h in rhosts]
        sh("redis-cli", "--cluster", "create", *nodes, "--cluster-replicas", "1",
           "--cluster-yes")
        self.wait_cluster_ok()
        # Each host's replica (7001) follows the next host's primary (7000), whatever
        # redis-cli chose: a host lost takes one primary and one replica of another.
        ids = {(n["addr"]): n["id"] for n in self.cluster_nodes()}
        for i, h in enumerate(rhosts):
            want = ids[f"{self.addr(rhosts[(i + 1) % 3])}:7000"]
            mine = next(n for n in self.cluster_nodes() if n["addr"] == f"{self.addr(h)}:7001")
            if mine["master"] != want:
                redis(self.addr(h), 7001, "CLUSTER", "REPLICATE", want)
        harness.wait_until("every replica on another host than its primary", lambda: all(
            n["master"] == ids[f"{self.addr(rhosts[(i + 1) % 3])}:7000"]
            for i, h in enumerate(rhosts) for n in self.cluster_nodes()
            if n["addr"] == f"{self.addr(h)}:7001"), timeout=30)
        for h in rhosts:
            self.wait_replica(h, 7001)
        self.wait_cluster_ok()

    def cluster_nodes(self):
        """Every node as a live node sees it: id, addr, role, master id, flags, slots."""
        for h in ("redis1", "redis2", "redis3"):
            for port in (7000, 7001):
                if f"redis@{h}:{port}" not in self.procs:
                    continue
                out = try_redis(self.addr(h), port, "CLUSTER", "NODES")
                if isinstance(out, str):
                    nodes = []
                    for line in out.splitlines():
                        f = line.split()
                        nodes.append({"id": f[0], "addr": f[1].split("@")[0],
                                      "flags": f[2].split(","), "master": f[3],
                                      "role": "master" if "master" in f[2] else "replica",
                                      "slots": f[8:]})
                    return nodes
        raise AssertionError("no Redis node answers CLUSTER NODES")

    def primaries(self):
        if not self.cluster:
            return [(self.vip, 6379)]
        out = []
        for n in self.cluster_nodes():
            if n["role"] == "master" and n["slots"] and "fail" not in n["flags"]:
                h, p = n["addr"].rsplit(":", 1)
                out.append((h, int(p)))
        return out

    def wait_cluster_ok(self, timeout=60):
        def ok():
            for name in self.procs:
                if name.startswith("redis@"):
                    h, p = name[len("redis@"):].split(":")
                    if "cluster_state:ok" not in str(try_redis(self.addr(h), int(p),
                                                               "CLUSTER", "INFO")):
                        return False
            return True
        harness.wait_until("every Redis node to see the cluster ok", ok, timeout=timeout)

    # --- the stack ---

    def start_stack(self):
        for d in ("logs", "redis", "data", "nginx"):
            os.makedirs(os.path.join(self.dir, d), exist_ok=True)
        os.makedirs(os.path.join(self.dir, "private"), mode=0o700, exist_ok=True)
        if self.cluster:
            self.start_cluster()
        else:
            self.start_single_redis()
        self.log(f"redis up ({'3 primaries, 3 replicas' if self.cluster else 'primary+replica'}"
                 f"; redis.url = {self.redis_url()})")
        ready = os.path.join(self.dir, "source.json")
        self.start("source", "source", [sys.executable, os.path.join(HERE, "sourcehost.py"),
                                        "--host", self.addr("source"), "--ready", ready])
        harness.wait_until("the source host", lambda: os.path.exists(ready), timeout=30)
        with open(ready) as f:
            self.ports = json.load(f)
        for h in ("api1", "api2"):
            self.start_api(h)
        self.start_nginx()
        conf = self.write_conf("web")
        self.client = harness.Stack(ROOT, self.build, self.dir)
        self.client.port = HTTP_PORT
        self.client.env = {k: v for k, v in self.common_env().items()}
        os.replace(conf, os.path.join(self.dir, "seawall.conf"))
        harness.wait_until("the API through nginx", lambda: self.client.get("/healthz").status
                           == 200, timeout=60)
        # nginx on the web host's own address answers the other hosts too.
        sh("ip", "netns", "exec", self.ns("source"), sys.executable, "-c",
           "import sys, urllib.request; sys.exit(urllib.request.urlopen(sys.argv[1], "
           "timeout=10).status != 200)", f"http://{self.addr('web')}:{HTTP_PORT}/healthz")
        self.client.tokens["admin"] = self.client.cli(
            "token", "create", "--role", "admin", "--label", "multihost-admin", "-q").strip()
        for h in ("work1", "work2"):
            self.start_workers(h)
        self.log("stack up: 2 API hosts behind nginx, workers on 2 hosts, source host")

    def start_api(self, host):
        name = f"seawall-api@{host}"
        self.start(name, host, [os.path.join(self.build, "bin", "seawall-api"), "--config",
                                self.write_conf(host)], env=self.common_env())
        self.wait_log(name, "listening on")

    def start_workers(self, host):
        conf = self.write_conf(host)
        # One screener per deployment (workers/screener.c): on the first worker host.
        names = worker_names(host)
        for name in names:
            w = name.split("@")[0].split(".")[0]
            env = self.common_env()
            env.update({"SEAWALL_POLLER_ID": f"poller-{host}",
                        "SEAWALL_MATCHER_ID": f"matcher-{host}",
                        "SEAWALL_NOTIFIER_ID": f"notifier-{host}",
                        "SEAWALL_REGISTER_ID": f"register-{host}",
                        "SEAWALL_SCREENER_ID": f"screener-{host}"})
            if ".p" in name:
                part = name.split("@")[0].split(".p")[1]
                env.update({"SEAWALL_MATCHER_PARTITIONS": str(PARTITIONS),
                            "SEAWALL_MATCHER_PARTITION": part,
                            "SEAWALL_MATCHER_ID": f"matcher-{host}-p{part}"})
            self.start(name, host, [os.path.join(self.build, "bin", w), "--config", conf],
                       env=env)
        for name in names:
            w = name.split("@")[0].split(".")[0]
            self.wait_log(name, {"seawall-poller": "polling as",
                                 "seawall-matcher": "matching as",
                                 "seawall-notifier": "delivering as",
                                 "seawall-register": "registering as",
                                 "seawall-screener": "screening as"}[w])

    def start_nginx(self):
        """nginx/seawall.conf.in filled as scripts/stack.sh fills it, then given an upstream of
        both API hosts over TCP and a listen on the web host's own address too."""
        with open(os.path.join(ROOT, "nginx", "seawall.conf.in")) as f:
            text = f.read()
        pub = os.path.join(self.dir, "public")
        os.makedirs(os.path.join(pub, "nginx-tmp"), exist_ok=True)
        for k, v in {"@RUN@": self.dir, "@ROOT@": ROOT, "@PORT@": str(HTTP_PORT),
                     "@PUBLIC@": pub, "@SOCKET@": f"{pub}/api.sock",
                     "@USER_LINE@": "user nobody nogroup;", "@BODY_MAX_NGINX@": "16m",
                     "@LIVE_SOCKET@": f"{self.dir}/private/live.sock",
                     "@SSE_HEARTBEAT_S@": "1"}.items():
            text = text.replace(k, v)
        servers = "".join(f"        server {self.addr(h)}:{API_PORT} max_fails=1 "
                          f"fail_timeout=2s;\n" for h in ("api1", "api2"))
        text, n = re.subn(r"        server unix:\S+;\n", servers, text)
        assert n == 1, "nginx/seawall.conf.in: the upstream's server line was not found"
        text, n = re.subn(rf"(\n\s*)listen 127\.0\.0\.1:{HTTP_PORT};",
                          rf"\1listen 127.0.0.1:{HTTP_PORT};\1listen {self.addr('web')}:"
                          f"{HTTP_PORT};", text)
        assert n == 1, "nginx/seawall.conf.in: the server's listen line was not found"
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(text)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        argv = [nginx, "-p", os.path.join(self.dir, "nginx"), "-c", conf, "-e",
                os.path.join(self.dir, "logs", "nginx-error.log")]
        sh("ip", "netns", "exec", self.ns("web"), *argv, "-t", "-q")
        self.start("nginx@web", "web", argv + ["-g", "daemon off;"])

    # --- the source host ---

    def control(self, method, path, body=None):
        req = urllib.request.Request(
            f"http://{self.addr('source')}:{self.ports['control']}{path}", data=body,
            method=method)
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def publish(self, name, items):
        body = "".join(f"<item><guid isPermaLink=\"false\">{g}</guid><title>{t}</title>"
                       f"<link>http://multihost.example/{g}</link></item>" for g, t in items)
        doc = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
               f"<title>multihost feed {name}</title><link>http://multihost.example/</link>"
               f"{body}</channel></rss>")
        self.control("PUT", f"/feed/{name}", doc.encode())

    def hooks(self):
        return self.control("GET", "/hooks?from=0")

    # --- API through nginx ---

    def retry(self, what, fn, timeout=90):
        deadline = time.monotonic() + timeout
        while True:
            try:
                r = fn()
                # A write whose first try died with its API host keeps its Idempotency-Key
                # "in progress" until the key's claim expires: asked to retry, it retries.
                if r.status < 500 and not (r.status == 409 and "idempotency-in-progress"
                                           in r.body):
                    return r
            except (OSError, RuntimeError) as e:
                r = e
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: no answer within {timeout}s (last {r!r})")
            time.sleep(0.2)

    def write_some(self, subs, rnd):
        """A portfolio item added (and, two rounds on, removed) and a case opened, each kept
        when acknowledged; the inbox and the portfolio read."""
        s = self.client
        sub, tok = subs[self.rng.randrange(len(subs))]
        key = f"mh-item-{rnd}"
        r = self.retry("portfolio write", lambda: s.post(
            f"/api/v1/subscribers/{sub['id']}/portfolio",
            {"kind": "mark", "text": f"MULTIHOSTMARK{rnd}Q"}, token=tok,
            headers={"Idempotency-Key": key}))
        if r.status in (200, 201):
            path = f"/api/v1/subscribers/{sub['id']}/portfolio/{r.json()['id']}"
            with self.lock:
                self.acked.append((path, tok, 200))
            self.added.append((rnd, path, tok))
        else:
            self.notes.append(f"round {rnd}: portfolio write answered {r.status}")
        if self.added and self.added[0][0] <= rnd - 2:
            _, path, old_tok = self.added.pop(0)
            r = self.retry("portfolio removal", lambda: s.request("DELETE", path,
                                                                  token=old_tok))
            if r.status in (200, 204):
                with self.lock:
                    self.acked = [x for x in self.acked if x[0] != path] + \
                        [(path, old_tok, 404)]
            else:
                self.notes.append(f"round {rnd}: portfolio removal answered {r.status}")
        key = f"mh-case-{rnd}"
        r = self.retry("case write", lambda: s.post(
            "/api/v1/cases", {"type": "lawsuit", "country": "US", "forum": "D. Del.",
                              "opposing_party": "Multihost Holdings LLC",
                              "own_role": "defendant", "served_at": "2026-03-02",
                              "description": f"round {rnd}"},
            token=tok, headers={"Idempotency-Key": key}))
        if r.status in (200, 201):
            with self.lock:
                self.acked.append((f"/api/v1/cases/{r.json()['id']}", tok, 200))
        else:
            self.notes.append(f"round {rnd}: case write answered {r.status}")
        # Reads: the inbox's first page and the portfolio.
        self.retry("alerts read", lambda: s.get("/api/v1/alerts?limit=20", token=tok))
        self.retry("portfolio read", lambda: s.get(
            f"/api/v1/subscribers/{sub['id']}/portfolio", token=tok))

    def writer(self, subs, stop):
        """Writes all through the run, the failover and the kills included: a case, then a
        portfolio item, for subscribers in turn. A write not answered yet (the API or Redis
        away, or its Idempotency-Key still "in progress" after its API host died) is tried
        again, with its key, on each later turn while new writes go on; acknowledged ones are
        kept to be read back."""
        s = self.client
        waiting = []          # (key, send, path of the answer) not answered yet
        k = 0
        while not stop.is_set():
            sub, tok = subs[k % len(subs)]
            key = f"mh-w-{k}"
            if k % 2 == 0:
                body = {"type": "lawsuit", "country": "US", "forum": "D. Del.",
                        "opposing_party": "Writer Holdings LLC", "own_role": "defendant",
                        "served_at": "2026-03-02", "description": f"write {k}"}
                waiting.append((key, tok, "/api/v1/cases", body, "/api/v1/cases/"))
            else:
                base = f"/api/v1/subscribers/{sub['id']}/portfolio"
                waiting.append((key, tok, base, {"kind": "mark", "text": f"WRITERMARK{k}Q"},
                                base + "/"))
            still = []
            for w in waiting:
                key, tok, path, body, at = w
                try:
                    r = s.post(path, body, token=tok, headers={"Idempotency-Key": key},
                               timeout=30)
                except (OSError, RuntimeError):
                    still.append(w)
                    continue
                if r.status in (200, 201):
                    with self.lock:
                        self.acked.append((at + str(r.json()["id"]), tok, 200))
                        self.writes += 1
                elif r.status >= 500 or (r.status == 409 and "idempotency-in-progress"
                                         in r.body):
                    still.append(w)
                else:
                    self.notes.append(f"writer: {key} answered {r.status} {r.body[:120]}")
            waiting = still
            k += 1
            stop.wait(0.05)
        self.unanswered = len(waiting)

    # --- counting ---

    def event_streams(self, host, port):
        keys, cursor = [], "0"
        while True:
            cursor, batch = redis(host, port, "SCAN", cursor, "COUNT", "1000", "TYPE", "stream")
            keys += [k for k in batch if k == "events" or re.match(r"^(sw:)?\{?events[:{}]", k)]
            if cursor == "0":
                return keys

    def events_stored(self, distinct=False):
        """Entries in the events stream(s) on every primary; with distinct, the set of event
        ids (each entry's id field)."""
        total, ids = 0, []
        for host, port in self.primaries():
            for key in self.event_streams(host, port):
                if not distinct:
                    total += int(redis(host, port, "XLEN", key))
                    continue
                start = "-"
                while True:
                    batch = redis(host, port, "XRANGE", key, start, "+", "COUNT", "2000")
                    for eid, fields in batch:
                        f = dict(zip(fields[::2], fields[1::2]))
                        ids.append(f.get("id"))
                    if len(batch) < 2000:
                        break
                    start = "(" + batch[-1][0]
        return ids if distinct else total

    def pages(self, path, tok):
        """Every item of a paged list (limit 200, following next)."""
        out, cursor = [], None
        while True:
            q = f"{path}?limit=200" + (f"&cursor={cursor}" if cursor else "")
            r = self.retry("a page", lambda: self.client.get(q, token=tok))
            assert r.status == 200, r
            page = r.json()
            out += page["items"]
            cursor = page.get("next")
            if not cursor:
                return out

    def alerts_of(self, tok):
        return self.pages("/api/v1/alerts", tok)

    def slot_report(self):
        _slot_report(self)

    # --- faults ---

    def fault(self, action):
        if action == "reshard":
            if not self.cluster:
                self.log("fault: reshard (none: one Redis, no slots)")
                return
            prim = [n for n in self.cluster_nodes() if n["role"] == "master" and n["slots"]]
            src = next(n for n in prim if n["addr"].startswith(self.addr("redis2") + ":"))
            dst = next(n for n in prim if n["addr"].startswith(self.addr("redis3") + ":"))
            self.reshard_want = 1000
            self.reshard_before = self.slot_counts()
            self.log(f"fault: reshard {self.reshard_want} slots {src['addr']} -> {dst['addr']} "
                     "(in the background, traffic flowing)")
            logf = open(os.path.join(self.dir, "logs", "reshard.log"), "ab")
            self.reshard = subprocess.Popen(
                ["redis-cli", "--cluster", "reshard", src["addr"], "--cluster-from", src["id"],
                 "--cluster-to", dst["id"], "--cluster-slots", str(self.reshard_want),
                 "--cluster-yes", "--cluster-pipeline", "100"],
                stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            logf.close()
        elif action == "redis-primary":
            # The slots still moving are moved first: a reshard that loses a node midway
            # stops with slots half-migrated, which needs `redis-cli --cluster fix`.
            self.finish_reshard()
            if self.cluster:
                self.fail_cluster_primary()
            else:
                self.fail_single_primary()
        elif action == "api-host":
            self.log("fault: SIGKILL seawall-api on api2 (nginx has api1)")
            self.kill("seawall-api@api2")
        elif action == "worker-host":
            self.log("fault: SIGKILL every worker on work2 (work1's go on)")
            for name in worker_names("work2"):
                self.kill(name)

    def slot_counts(self):
        counts = {}
        for n in self.cluster_nodes():
            if n["role"] != "master":
                continue
            c = 0
            for s in n["slots"]:
                if s.startswith("["):
                    continue
                lo, _, hi = s.partition("-")
                c += int(hi or lo) - int(lo) + 1
            counts[n["id"]] = c
        return counts

    def finish_reshard(self):
        if self.reshard is None:
            return
        rc = self.reshard.wait(timeout=600)
        self.reshard = None
        after = self.slot_counts()
        moved = sum(max(0, after.get(k, 0) - self.reshard_before.get(k, 0)) for k in after)
        self.slots_moved += moved
        self.log(f"reshard ended ({rc}): {moved} slots changed primary")
        if rc != 0:
            self.notes.append(f"redis-cli --cluster reshard exited {rc}: "
                              f"{tail(os.path.join(self.dir, 'logs', 'reshard.log'), 5)}")

    def fail_cluster_primary(self):
        victim = f"{self.addr('redis1')}:7000"
        nodes = self.cluster_nodes()
        vid = next(n["id"] for n in nodes if n["addr"] == victim)
        heir = next(n["addr"] for n in nodes if n["master"] == vid)
        self.log(f"fault: SIGKILL the primary {victim}; its replica {heir} should be promoted")
        self.kill("redis@redis1:7000")
        harness.wait_until(f"{heir} promoted", lambda: any(
            n["addr"] == heir and n["role"] == "master" and n["slots"]
            for n in self.cluster_nodes()), timeout=60)
        self.wait_cluster_ok()
        self.failovers += 1
        self.log(f"{heir} is primary; starting {victim} again (it rejoins as a replica)")
        self.start_redis("redis1", 7000)
        harness.wait_until(f"{victim} a replica of {heir}", lambda: any(
            n["addr"] == victim and n["role"] == "replica" for n in self.cluster_nodes()),
            timeout=60)
        self.wait_replica("redis1", 7000)
        self.wait_cluster_ok()

    def fail_single_primary(self):
        """One Redis: SIGKILL the primary, promote the replica (REPLICAOF NO ONE), move the
        service address to its host (what keepalived or a cloud's floating address does), and
        start the old primary again as a replica of the new one."""
        self.log(f"fault: SIGKILL the primary on redis1; promote redis2 and move {self.vip} there")
        self.kill("redis@redis1:6379")
        redis(self.addr("redis2"), 6379, "REPLICAOF", "NO", "ONE")
        sh("ip", "-n", self.ns("redis1"), "addr", "del", f"{self.vip}/24", "dev", "eth0")
        sh("ip", "-n", self.ns("redis2"), "addr", "add", f"{self.vip}/24", "dev", "eth0")
        # The gratuitous ARP a floating address sends: every host forgets the old owner.
        for h in HOSTS:
            sh("ip", "-n", self.ns(h), "neigh", "flush", "to", self.vip, check=False)
        self.failovers += 1
        self.start_redis("redis1", 6379, ["--replicaof", self.vip, "6379"])
        self.wait_replica("redis1", 6379)
        self.log("redis2 is primary; redis1 came back as its replica")

    # --- the run ---

    def run(self):
        a = self.a
        self.start_stack()
        s = self.client
        hook_port = self.ports["hooks"]
        s.make("/api/v1/centres", {"name": "Multihost Centre", "country": "CN",
                                   "email": "desk@multihost.example"})
        subs = []
        for i in range(SUBS):
            sub, tok = s.tenant(f"Multihost Exporter {i} Co., Ltd.")
            r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
                       {"kind": "keyword", "text": f"zqmh{i}x lamp"}, token=tok)
            assert r.status == 201, r
            r = s.post("/api/v1/webhooks", {"url": f"http://{self.addr('source')}:{hook_port}"
                                                   f"/ok/s{i}"}, token=tok)
            assert r.status == 201, r
            subs.append((sub, tok))
        rounds = max(10, a.events // 200)
        per_feed = max(1, a.events // (rounds * FEEDS))
        total = rounds * per_feed * FEEDS
        items = {f: [] for f in range(FEEDS)}
        for f in range(FEEDS):
            self.publish(f"p{f}", [])
            r = s.post("/api/v1/feeds", {"url": f"http://{self.addr('source')}:"
                                                f"{self.ports['feeds']}/f/p{f}.xml",
                                         "interval_s": 1}, token=s.admin)
            assert r.status == 201, r
        plan = {max(1, rounds * 2 // 10): "reshard", max(2, rounds * 4 // 10): "redis-primary",
                max(3, rounds * 6 // 10): "api-host", max(4, rounds * 8 // 10): "worker-host"}
        self.log(f"{SUBS} subscribers with a webhook each, {FEEDS} feeds; {rounds} rounds of "
                 f"{per_feed * FEEDS} events; faults at rounds {sorted(plan.items())}")
        expected = {}
        stop = threading.Event()
        writer = threading.Thread(target=self.writer, args=(subs, stop), daemon=True)
        writer.start()
        try:
            self.rounds(rounds, per_feed, items, expected, plan, subs)
        finally:
            stop.set()
            writer.join(timeout=120)
        self.log(f"the writer's {self.writes} acknowledged writes kept to read back "
                 f"({self.unanswered} never answered, so never acknowledged)")
        self.finish_reshard()
        if "seawall-api@api2" not in self.procs:
            self.start_api("api2")
        return self.count(subs, expected, total)

    def rounds(self, rounds, per_feed, items, expected, plan, subs):
        n = 0
        restart_api_at = None
        for rnd in range(rounds):
            for f in range(FEEDS):
                for _ in range(per_feed):
                    k = self.rng.randrange(SUBS)
                    items[f].append((f"mh-{n}", f"zqmh{k}x lamp recall notice {n}"))
                    expected[k] = expected.get(k, 0) + 1
                    n += 1
                # Pages keep their newest 60 items, as real feeds do; each round waits until
                # the pollers took everything, so nothing falls out unseen.
                self.publish(f"p{f}", items[f][-60:])
            self.write_some(subs, rnd)
            if rnd in plan:
                self.fault(plan[rnd])
                if plan[rnd] == "api-host":
                    restart_api_at = rnd + 2
            if rnd == restart_api_at:
                self.log("starting seawall-api on api2 again")
                self.start_api("api2")
            want = n
            harness.wait_until(f"round {rnd}: {want} events stored", lambda: self.retry(
                "events", lambda: _Reply(self.events_stored())).value >= want, timeout=180)
            self.log(f"round {rnd + 1}/{rounds}: {n} events stored")

    def run_store_only(self):
        """--store-only: the Redis hosts and the same Redis faults, with lib/store.c itself
        (tests/cluster/storeprobe) writing from both worker hosts, each write waiting for one
        replica (WAIT, 1 s at most); every acknowledged write is read back at the end."""
        for d in ("logs", "redis"):
            os.makedirs(os.path.join(self.dir, d), exist_ok=True)
        if self.cluster:
            self.start_cluster()
        else:
            self.start_single_redis()
        probe = os.path.join(self.build, "tests", "storeprobe")
        stop = os.path.join(self.dir, "probe.stop")
        writers = {"work1": (0, 1_000_000), "work2": (1_000_000, 2_000_000)}
        for h, (lo, hi) in writers.items():
            self.start(f"probe@{h}", h, [probe, self.redis_url(), "write", str(lo), str(hi),
                                         "1", stop])

        def acked():
            out = []
            for h in writers:
                with open(os.path.join(self.dir, "logs", f"probe@{h}.log"),
                          errors="replace") as f:
                    out += [int(line.split()[1]) for line in f if line.startswith("acked ")]
            return out

        def more(n, what):
            base = len(acked())
            harness.wait_until(f"{n} more acknowledged writes {what}",
                               lambda: len(acked()) >= base + n, timeout=120)
        more(500, "before the faults")
        self.fault("reshard")
        more(500, "while slots move")
        self.finish_reshard()
        self.fault("redis-primary")
        more(500, "after the failover")
        with open(stop, "w"):
            pass
        for h in writers:
            p = self.procs.pop(f"probe@{h}")[0]
            p.wait(timeout=120)
        got = acked()
        listing = os.path.join(self.dir, "acked.txt")
        with open(listing, "w") as f:
            f.write("\n".join(map(str, got)) + "\n")
        p = subprocess.run(["ip", "netns", "exec", self.ns("work1"), probe, self.redis_url(),
                            "readlist", listing], capture_output=True, text=True, timeout=600)
        line = next((x for x in p.stdout.splitlines() if x.startswith("{")), "{}")
        back = json.loads(line)
        failed = sum(1 for h in writers for x in open(os.path.join(
            self.dir, "logs", f"probe@{h}.log"), errors="replace") if x.startswith("write "))
        lost = back.get("failed", 0) + back.get("wrong", 0) + (len(got) - back.get("ok", 0)
                                                                - back.get("failed", 0)
                                                                - back.get("wrong", 0))
        print(f"checked: {len(got)} writes acknowledged by a replica, {back.get('ok', 0)} read "
              f"back, {failed} writes reported failed to the writer (retried by a caller); "
              f"reader: {line}", flush=True)
        print(f"RESULT {'cluster' if self.cluster else 'single'}-store acked={len(got)} "
              f"acked_writes_lost={lost} failovers={self.failovers} "
              f"slots_moved={self.slots_moved}", flush=True)
        return lost == 0 and len(got) > 0

    def count(self, subs, expected, total):
        ids = self.events_stored(distinct=True)
        stored = len(set(ids))
        dup_events = len(ids) - stored
        tokens = [tok for _, tok in subs]

        def all_alerts():
            return [self.alerts_of(tok) for tok in tokens]
        try:
            harness.wait_until("every expected alert", lambda: all(
                len({x["event_id"] for x in got}) >= expected.get(i, 0)
                for i, got in enumerate(all_alerts())), timeout=300, interval=2)
        except AssertionError as e:
            self.log(str(e)[:300])
        alerts = all_alerts()
        missing = dup_alerts = 0
        alert_ids = set()
        for i, got in enumerate(alerts):
            per_event = {}
            for x in got:
                per_event[x["event_id"]] = per_event.get(x["event_id"], 0) + 1
                alert_ids.add(x["id"])
            dup_alerts += sum(c - 1 for c in per_event.values())
            missing += max(0, expected.get(i, 0) - len(per_event))
        try:
            harness.wait_until("every alert delivered", lambda: alert_ids <= {
                h["alert"] for h in self.hooks()}, timeout=300, interval=2)
        except AssertionError as e:
            self.log(str(e)[:300])
        hooks = self.hooks()
        undelivered = len(alert_ids - {h["alert"] for h in hooks})
        hook_ids = [h["id"] for h in hooks]
        if undelivered:
            gone = alert_ids - {h["alert"] for h in hooks}
            states = {}
            for _, tok in subs:
                for d in self.pages("/api/v1/deliveries", tok):
                    if d.get("alert") in gone:
                        k = f"{d.get('status')}: {str(d.get('last_error'))[:80]}"
                        states[k] = states.get(k, 0) + 1
            self.notes.append(f"undelivered alerts' deliveries: {states}")
        unread = []
        for path, tok, want in self.acked:
            r = self.retry("read back", lambda: self.client.get(path, token=tok))
            if r.status != want:
                unread.append((path, r.status))
        # Portfolio items the writer added twice (a retry that ran afresh after its first try
        # had written): told apart by their text.
        twice = 0
        for sub, tok in subs:
            texts = [x.get("text") for x in self.pages(
                f"/api/v1/subscribers/{sub['id']}/portfolio", tok)
                if str(x.get("text", "")).startswith("WRITERMARK")]
            twice += len(texts) - len(set(texts))
        lost_events = max(0, total - stored)
        lost = lost_events + missing + undelivered
        print(f"checked: {total} events fed, {stored} stored ({dup_events} stored twice), "
              f"{sum(len(x) for x in alerts)} alerts ({missing} missing), "
              f"{len(set(hook_ids))} webhook-ids received ({len(hook_ids)} requests, "
              f"{undelivered} alerts never delivered), {len(self.acked)} acknowledged writes "
              f"({len(unread)} not read back, {twice} portfolio items written twice)", flush=True)
        for note in self.notes + [f"not read back: {u}" for u in unread[:5]]:
            print(f"note: {note}", flush=True)
        if self.a.check_slots:
            self.slot_report()
        print(f"RESULT {'cluster' if self.cluster else 'single'} events={stored} lost={lost} "
              f"duplicate_alerts={dup_alerts} acked_writes_lost={len(unread)} "
              f"failovers={self.failovers} slots_moved={self.slots_moved} "
              f"alerts={sum(len(x) for x in alerts)} deliveries={len(hook_ids)}", flush=True)
        return lost == 0 and dup_alerts == 0 and not unread


def _slot_report(run):
    """What redis.check_slots logged on every host: each kind of cross-slot call (numbers and
    ids made N, X) with how often, per program."""
    kinds = {}
    folder = os.path.join(run.dir, "logs")
    for name in sorted(os.listdir(folder)):
        prog = name.split("@")[0]
        with open(os.path.join(folder, name), errors="replace") as f:
            for line in f:
                if "redis.check_slots: " not in line:
                    continue
                msg = line.split("redis.check_slots: ", 1)[1].strip()
                msg = re.sub(r"[0-9a-f]{16,}", "X", msg)
                msg = re.sub(r"\d+", "N", msg)
                kinds[(prog, msg)] = kinds.get((prog, msg), 0) + 1
    print(f"slot check: {sum(kinds.values())} calls touching several slots, {len(kinds)} kinds",
          flush=True)
    for (prog, msg), c in sorted(kinds.items(), key=lambda x: -x[1]):
        print(f"  {c:7d}  {prog}: {msg}", flush=True)


class _Reply:
    def __init__(self, value):
        self.status = 200
        self.value = value


def tail(path, n=20):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def inner(a):
    r = Run(a)

    def on_term(signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    ok = False
    try:
        ok = r.run_store_only() if a.store_only else r.run()
    except KeyboardInterrupt:
        print("multihost.py: stopped", file=sys.stderr, flush=True)
    except Exception as e:  # noqa: BLE001 - the run's logs say more; print where they are
        print(f"multihost.py: the run failed: {e}", file=sys.stderr, flush=True)
        if not a.single:
            print("multihost.py: (a CROSSSLOT in the logs is a script or MULTI over several "
                  "slots; `--single --check-slots` lists those this run makes)",
                  file=sys.stderr, flush=True)
        for name in ("seawall-api@api1", "seawall-matcher.p0@work1", "seawall-poller@work1",
                     "seawall-notifier@work1"):
            t = tail(os.path.join(a.inside, "logs", f"{name}.log"), 8)
            if t:
                print(f"--- {name}\n{t}", file=sys.stderr, flush=True)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if r.reshard is not None and r.reshard.poll() is None:
            r.reshard.kill()
            r.reshard.wait()
        r.stop_all()
    reports = []
    logs = os.path.join(a.inside, "logs")
    for name in sorted(os.listdir(logs) if os.path.isdir(logs) else []):
        if name.startswith("sanitizer."):
            text = tail(os.path.join(a.inside, "logs", name), 60)
            if text.strip():
                reports.append(f"--- {name}\n{text}")
    if reports:
        print(f"multihost.py: {len(reports)} sanitizer report(s):\n" + "\n".join(reports)[:8000],
              flush=True)
        ok = False
    sys.exit(0 if ok else 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "default"))
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--single", action="store_true", default=DEFAULT_MODE == "single",
                      help="one Redis primary and its replica (no cluster) behind a service "
                           "address that moves at the failover" +
                           (" (the default)" if DEFAULT_MODE == "single" else ""))
    mode.add_argument("--cluster", dest="single", action="store_false",
                      help="Redis Cluster: three primaries and three replicas" +
                           (" (the default)" if DEFAULT_MODE == "cluster" else ""))
    ap.add_argument("--check-slots", action="store_true",
                    help="redis.check_slots = log on every host, and a summary of the calls "
                         "that touch several cluster slots (what a cluster would refuse)")
    ap.add_argument("--store-only", action="store_true",
                    help="only the Redis hosts and their faults, with lib/store.c "
                         "(build/…/tests/storeprobe) writing from both worker hosts")
    ap.add_argument("--keep", action="store_true", help="keep the run folder")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--inside", help=argparse.SUPPRESS)
    ap.add_argument("--prefix", help=argparse.SUPPRESS)
    ap.add_argument("--subnet", help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    if a.inside:
        inner(a)
    else:
        outer(a)


if __name__ == "__main__":
    main()
