"""A write people rely on waits for a replica (redis.wait_replicas): seawall-api restarted with
SEAWALL_REDIS_WAIT_REPLICAS=1 on the stack's Redis, which has no replica, answers a case with
503, a JSON problem that says the write was not confirmed, and Retry-After; once a replica of
that Redis (started here, stopped by pid) is in sync, the same case (a new Idempotency-Key)
answers 201."""
import os
import subprocess

from harness import problem, wait_until
from rediscluster import free_ports

WAIT = {"SEAWALL_REDIS_WAIT_REPLICAS": "1", "SEAWALL_REDIS_WAIT_TIMEOUT_MS": "300"}


def replication(port):
    """INFO replication of the server on port, as a dict."""
    out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), "info",
                          "replication"], capture_output=True, text=True, timeout=10).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def test_a_case_waits_for_a_replica(s):
    centre = s.make("/api/v1/centres", {"name": "Durable Centre", "country": "CN"})
    _, tok = s.tenant("Durable Exporter Co., Ltd.")
    body = {"type": "lawsuit", "country": "US", "forum": "N.D. Ill.",
            "opposing_party": "Brand Holdings LLC", "own_role": "defendant",
            "products": ["LED lamps"], "description": "Schedule A complaint served by email.",
            "centre_id": centre["id"]}
    saved = {k: os.environ.get(k) for k in WAIT}
    replica = None
    folder = os.path.join(s.dir, "durable-replica")
    os.makedirs(folder, exist_ok=True)
    os.environ.update(WAIT)
    try:
        s.script("restart-api")
        # No replica: the case is not acknowledged; the client is told why and when to retry.
        r = s.post("/api/v1/cases", body, token=tok, headers={"Idempotency-Key": "durable-1"})
        p = problem(r, 503, "unavailable")
        assert "replica" in p["detail"], p
        assert r.header("Retry-After") == "1", r.headers
        # Reads and writes that nobody waits on go on meanwhile.
        assert s.get("/api/v1/cases", token=tok).status == 200

        # A replica of the stack's Redis, in sync: the same case is acknowledged.
        port = free_ports(1)[0]
        replica = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", folder,
             "--replicaof", "127.0.0.1", str(s.redis_port), "--save", "", "--appendonly", "no",
             "--logfile", os.path.join(folder, "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until("the replica in sync", lambda: replication(port).get(
            "master_link_status") == "up" and replication(port).get(
            "master_sync_in_progress") == "0", timeout=60)
        wait_until("the primary to count its replica online", lambda: "state=online" in
                   replication(s.redis_port).get("slave0", ""), timeout=30)
        r = s.post("/api/v1/cases", body, token=tok, headers={"Idempotency-Key": "durable-2"})
        assert r.status == 201, r
        got = s.get(r.header("Location"), token=tok)
        assert got.status == 200 and got.json()["id"] == r.json()["id"], got
        # Replayed with its key, the acknowledged case answers as it did.
        again = s.post("/api/v1/cases", body, token=tok, headers={"Idempotency-Key": "durable-2"})
        assert again.status == 201 and again.json()["id"] == r.json()["id"], again
        assert again.header("Idempotent-Replayed") == "true", again.headers
    finally:
        if replica is not None:
            replica.terminate()
            try:
                replica.wait(timeout=10)
            except subprocess.TimeoutExpired:
                replica.kill()
                replica.wait()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        s.script("restart-api")
