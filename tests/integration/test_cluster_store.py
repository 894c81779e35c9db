"""lib/store.c against a real Redis Cluster (three primaries, a replica each, on loopback):
commands, pipelines, scripts and transactions reach each key's primary; slots moved by
`redis-cli --cluster reshard` while writes go on are followed (MOVED, ASK); a primary killed
mid-run is replaced by its replica and every write acknowledged by a replica (WAIT) is still
there afterwards. Driven by build/*/tests/storeprobe."""
import json
import os
import subprocess
import threading

from harness import wait_until
from rediscluster import Cluster


def probe(s, cl, *args, check=True, env=None):
    p = subprocess.run([os.path.join(s.build, "tests", "storeprobe"), cl.url, *map(str, args)],
                       capture_output=True, text=True, timeout=240,
                       env=dict(os.environ, **(env or {})))
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else "{}"
    out = json.loads(last) if last.startswith("{") else {}
    if check:
        assert p.returncode == 0 and out.get("failed") == 0 and out.get("wrong") == 0, \
            (p.returncode, p.stdout[-2000:], p.stderr[-2000:])
    return out, p


class Writer:
    """storeprobe write in the background, its acknowledged numbers collected as they come."""

    def __init__(self, s, cl, start, wait, stop):
        self.acked = []
        self.proc = subprocess.Popen(
            [os.path.join(s.build, "tests", "storeprobe"), cl.url, "write", str(start),
             str(start + 10_000_000), str(wait), stop],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.summary, self.err = None, ""
        self.t = threading.Thread(target=self._read)
        self.t.start()

    def _read(self):
        for line in self.proc.stdout:
            if line.startswith("acked "):
                self.acked.append(int(line.split()[1]))
            elif line.startswith("{"):
                self.summary = json.loads(line)
        self.err = self.proc.stderr.read()

    def end(self, stop):
        open(stop, "w").close()
        self.proc.wait(timeout=120)
        self.t.join(timeout=30)
        return self.summary


def read_back(s, cl, numbers, name):
    path = os.path.join(cl.root, name)
    with open(path, "w") as f:
        f.write("\n".join(map(str, numbers)) + "\n")
    out, _ = probe(s, cl, "readlist", path)
    return out["ok"]


def test_store_follows_a_cluster_through_reshard_and_failover(s):
    cl = Cluster(os.path.join(s.dir, "cluster"))
    writer = None
    try:
        cl.start()
        # Keys spread over every primary: each holds a share, together all of them.
        out, _ = probe(s, cl, "write", 0, 3000)
        # moved 0: every key went straight to its primary (the slot as Redis computes it).
        assert out["cluster"] == 1 and out["primaries"] == 3 and out["ok"] == 3000, out
        assert out["moved"] == 0 and out["asked"] == 0, out
        sizes = [int(cl.cli("dbsize", port=m[1])) for m in cl.masters()]
        assert len(sizes) == 3 and min(sizes) > 500 and sum(sizes) == 3000, sizes
        assert probe(s, cl, "read", 0, 3000)[0]["ok"] == 3000
        assert probe(s, cl, "pipeline", 3000, 6000)[0]["ok"] == 3000
        assert probe(s, cl, "script", 0, 500)[0]["ok"] == 500
        # A sharded stream: entries of every shard (on several nodes) read by one consumer,
        # each once; what it left unacknowledged taken over by another.
        out, p = probe(s, cl, "streams", 0, 2000)
        assert out["ok"] == 2000 and "shards 4 used 4" in p.stdout, (out, p.stdout[-500:])
        # MGET, EXISTS and DEL over keys of every node, answered as one command.
        assert probe(s, cl, "mget", 2936, 3000)[0]["ok"] == 64
        assert probe(s, cl, "write", 2936, 3000)[0]["ok"] == 64
        assert probe(s, cl, "multi", 0, 500)[0]["ok"] == 500

        # Slots move while a writer goes on: the writer follows MOVED/ASK and loses nothing.
        stop = os.path.join(cl.root, "stop-1")
        writer = Writer(s, cl, 100_000, 0, stop)
        wait_until("the writer to get going", lambda: len(writer.acked) >= 200, timeout=30)
        src, dst = cl.masters()[0], cl.masters()[1]
        cl.cli("--cluster", "reshard", f"127.0.0.1:{src[1]}", "--cluster-from", src[0],
               "--cluster-to", dst[0], "--cluster-slots", "600", "--cluster-yes",
               timeout=120)
        n_after = len(writer.acked)
        wait_until("writes after the reshard", lambda: len(writer.acked) >= n_after + 200,
                   timeout=30)
        summary, acked = writer.end(stop), writer.acked
        writer = None
        assert summary["failed"] == 0 and summary["moved"] + summary["asked"] > 0, summary
        assert len(acked) == summary["ok"] > 400
        # Everything written before and during the move reads back, through the new map.
        assert probe(s, cl, "read", 0, 3000)[0]["ok"] == 3000
        assert read_back(s, cl, acked, "acked-1") == len(acked)

        # A primary killed under writes that wait for a replica: its replica takes over, the
        # writer goes on, and no acknowledged write is lost.
        stop = os.path.join(cl.root, "stop-2")
        writer = Writer(s, cl, 200_000, 1, stop)
        wait_until("acknowledged writes", lambda: len(writer.acked) >= 300, timeout=30)
        victim = cl.masters()[2]
        cl.kill(victim[1])
        before = len(writer.acked)
        wait_until("a replica to take over the killed primary's slots",
                   lambda: cl.ok() and victim[1] not in [m[1] for m in cl.masters()],
                   timeout=60)
        # The killed node comes back as a replica of its successor, so writes to its slots
        # can be acknowledged by a replica again.
        cl.start_node(victim[1])
        wait_until("writes acknowledged after the failover",
                   lambda: len(writer.acked) >= before + 600, timeout=60)
        summary, acked = writer.end(stop), writer.acked
        writer = None
        assert summary["ok"] == len(acked) and summary["refreshed"] >= 2, summary
        assert summary["retried"] > 0, summary
        # acked_writes_lost = 0: every write a replica acknowledged reads back.
        assert read_back(s, cl, acked, "acked-2") == len(acked)
    finally:
        if writer is not None:
            writer.end(os.path.join(cl.root, "stop-final"))
        cl.stop()


class OneServer:
    def __init__(self, url):
        self.url = url


def test_redis_url_naming_one_plain_server_and_a_bad_url(s):
    # One node that is not in cluster mode is an ordinary server (the stack's own Redis);
    # keys of this test's own prefix only.
    one = OneServer(f"redis://127.0.0.1:{s.redis_port}")
    out, _ = probe(s, one, "write", 900_000, 900_050)
    assert out["cluster"] == 0 and out["ok"] == 50, out
    assert probe(s, one, "read", 900_000, 900_050)[0]["ok"] == 50
    # redis.wait_replicas 1 on a server with no replica: the write is done but not
    # acknowledged as safe, and the caller is told why.
    out, p = probe(s, one, "write", 900_100, 900_101, 1, check=False)
    assert out["failed"] == 1 and out["ok"] == 0, (out, p.stderr)
    assert "the write reached 0 of the 1 replicas asked for within 1000 ms (WAIT on " \
        "sw:{p:900100}:v)" in p.stderr, p.stderr
    # More scripts through one handle than its cache of SHA-1s holds: every one still runs.
    assert probe(s, one, "scripts", 1, 101)[0]["ok"] == 100
    # Sharded streams on one server, with the cluster's one-slot rule enforced: every shard
    # is read and acknowledged on its own.
    out, p = probe(s, one, "streams", 900_000, 901_000,
                   env={"SEAWALL_REDIS_CHECK_SLOTS": "refuse"})
    assert out["ok"] == 1000 and "shards 4 used 4" in p.stdout, (out, p.stdout[-500:])
    s.redis("DEL", *[f"sw:{{probe-900000:{i}}}" for i in range(4)])
    s.redis("DEL", *[f"sw:{{p:{i}}}:v" for i in range(900_000, 900_050)], "sw:{p:900100}:v")
    # A list that is not host:port fails every command with the reason, naming the entry.
    out, p = probe(s, OneServer("redis://127.0.0.1:1,db.example"), "write", 0, 1, check=False)
    assert p.returncode == 1 and out["failed"] == 1, (out, p.stderr)
    assert 'redis.url: "db.example" is not host:port' in p.stderr, p.stderr


def test_check_slots_refuses_a_transaction_over_two_slots_on_one_server(s):
    one = OneServer(f"redis://127.0.0.1:{s.redis_port}")
    refuse = {"SEAWALL_REDIS_CHECK_SLOTS": "refuse"}
    # One hash tag: one slot, accepted.
    assert probe(s, one, "multi", 0, 3, env=refuse)[0]["ok"] == 3
    # Two tags: refused before anything is sent, naming both keys, as a cluster would.
    out, p = probe(s, one, "crossslot", 0, 1, check=False, env=refuse)
    assert out["failed"] == 1, (out, p.stderr)
    assert "CROSSSLOT: MULTI with SET touches keys of several cluster slots " \
        "(sw:{q:0}:a and sw:{r:0}:b)" in p.stderr, p.stderr
    assert s.redis("EXISTS", "sw:{r:0}:b") == 0
    # Off (the default on one server): the same transaction goes through.
    assert probe(s, one, "crossslot", 0, 1, env={"SEAWALL_REDIS_CHECK_SLOTS": "off"})[0]["ok"] == 1
    s.redis("DEL", "sw:{q:0}:a", "sw:{q:1}:a", "sw:{q:2}:a", "sw:{q:0}:b", "sw:{q:1}:b",
            "sw:{q:2}:b", "sw:{r:0}:b")
