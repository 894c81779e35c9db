"""seawall-api with several processes: they share the socket and the metrics, and the first
process restarts one that dies."""
import os
import re
import signal

from harness import wait_until


def children_of(pid):
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    out.append(int(entry))
            except (OSError, IndexError):
                pass
    return out


def me_count(text):
    m = re.search(r'^seawall_http_requests_total\{route="GET /api/v1/me",status="200"\} (\d+)$',
                  text, re.M)
    return int(m.group(1)) if m else 0


def test_several_processes_share_work_and_metrics(s):
    os.environ["SEAWALL_API_PROCESSES"] = "3"
    os.environ["SEAWALL_API_THREADS"] = "2"
    try:
        s.script("restart-api")
        master = int(open(f"{s.dir}/pids/seawall-api.pid").read())
        kids = wait_until("three processes", lambda: (lambda k: k if len(k) == 3 else None)(
            children_of(master)))
        before = me_count(s.get("/metrics").body)
        for _ in range(60):
            assert s.get("/api/v1/me", token=s.admin).status == 200
        # Whichever process answers /metrics, it counts the requests of all three.
        for _ in range(6):
            assert me_count(s.get("/metrics").body) - before == 60
        os.kill(kids[0], signal.SIGKILL)
        wait_until("a replacement process", lambda: (lambda k: len(k) == 3 and kids[0] not in k)(
            children_of(master)))
        for _ in range(20):
            assert s.get("/api/v1/me", token=s.admin).status == 200
    finally:
        del os.environ["SEAWALL_API_PROCESSES"]
        del os.environ["SEAWALL_API_THREADS"]
        s.script("restart-api")
    assert s.get("/api/v1/me", token=s.admin).status == 200
