#!/usr/bin/env python3
"""bench/load.py — a mixed workload through nginx with wrk, at 32 and then 128 connections.

A fresh stack (with the matcher) gets 16 exporters with 200 portfolio items each and a few
alerts, a centre, and a show with its station. Each connection then sends, at random: 45 %
alert list reads, 35 % portfolio reads (each as one of the exporters), 10 % incident writes
(the station, a new submission key each) and 10 % case intakes (an exporter, a new
Idempotency-Key each). Every status is counted; the run fails on any answer that is neither
2xx nor the request limit's 429. Memory (RSS) of redis-server, seawall-api and nginx is read
before and after each round, and Redis's used_memory.

    bench/load.py [BUILD]     BENCH_LOAD_SECONDS (60), BENCH_LOAD_THREADS (2)

Prints per round: RESULT load conns=… rps=… p50_ms=… p99_ms=… errors=… limited=… and the
memory lines."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402

LUA = r"""
local tokens = { %(tokens)s }
local subs = { %(subs)s }
local station, show = "%(station)s", "%(show)s"
local threads = {}
local serial = 0

function setup(thread)
    thread:set("tid", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    counts = {}
    math.randomseed(tid * 7919)
end

local incident = '{"booth":"5.1 C%%d","kind":"complaint_received",' ..
    '"exhibitor":{"name":"Ningbo Lamp Works Co., Ltd.","country":"CN"},' ..
    '"complainant":{"name":"Brightlight GmbH","country":"DE"},"notes":"load"}'
local case = '{"type":"lawsuit","country":"US","forum":"N.D. Ill.",' ..
    '"opposing_party":"Brand Holdings LLC","own_role":"defendant",' ..
    '"served_at":"2026-03-02","description":"load test %%d"}'

function request()
    local r = math.random(100)
    local i = math.random(#tokens)
    serial = serial + 1
    local auth = "Bearer " .. tokens[i]
    if r <= 45 then
        return wrk.format("GET", "/api/v1/alerts?limit=20", { Authorization = auth })
    elseif r <= 80 then
        return wrk.format("GET", "/api/v1/subscribers/" .. subs[i] .. "/portfolio?limit=50",
                          { Authorization = auth })
    elseif r <= 90 then
        return wrk.format("POST", "/api/v1/shows/" .. show .. "/incidents",
                          { Authorization = "Bearer " .. station,
                            ["Content-Type"] = "application/json",
                            ["Idempotency-Key"] = "load-" .. tid .. "-" .. serial },
                          string.format(incident, serial))
    else
        return wrk.format("POST", "/api/v1/cases",
                          { Authorization = auth, ["Content-Type"] = "application/json",
                            ["Idempotency-Key"] = "load-" .. tid .. "-" .. serial },
                          string.format(case, serial))
    end
end

function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
    local all = {}
    for _, t in ipairs(threads) do
        for k, v in pairs(t:get("counts")) do all[k] = (all[k] or 0) + v end
    end
    for k, v in pairs(all) do io.write(string.format("STATUS %%d %%d\n", k, v)) end
    io.write(string.format("LAT p50_us=%%d p99_us=%%d\n", latency:percentile(50),
                           latency:percentile(99)))
    io.write(string.format("SUM requests=%%d seconds=%%.2f socket_errors=%%d\n",
                           summary.requests, summary.duration / 1e6,
                           summary.errors.connect + summary.errors.read +
                           summary.errors.write + summary.errors.timeout))
end
"""


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            m = re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M)
            return int(m.group(1)) if m else 0
    except OSError:
        return 0


def tree(pid):
    """pid and its children (the API's and nginx's worker processes)."""
    out = [pid]
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(p))
            except (OSError, IndexError, ValueError):
                pass
    return out


def memory(stack):
    mem = {}
    for name in ("redis", "seawall-api", "nginx"):
        with open(os.path.join(stack.dir, "pids", f"{name}.pid")) as f:
            pid = int(f.read())
        mem[name] = sum(rss_kb(p) for p in tree(pid)) // 1024
    info = stack.redis("INFO", "memory")
    info = info.decode() if isinstance(info, bytes) else info
    mem["redis_used"] = int(re.search(r"used_memory:(\d+)", info).group(1)) // (1 << 20)
    return mem


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build",
                                                                            "default"))
    secs = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    threads = os.environ.get("BENCH_LOAD_THREADS", "2")
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is missing: run scripts/deps.sh")
    os.environ.update(harness.HIGH_LIMIT)
    os.environ["SEAWALL_WORKERS"] = "seawall-matcher"
    run = tempfile.mkdtemp(prefix="seawall-bench-load-")
    stack = harness.Stack(ROOT, build, run)
    failed = False
    try:
        stack.start(test_settings=False)
        stack.make("/api/v1/centres", {"name": "Load Centre", "country": "CN",
                                       "email": "desk@load.example"})
        show = stack.make("/api/v1/shows", {"id": "load-fair-2026", "name": "Load Fair 2026",
                                            "city": "Guangzhou", "country": "CN",
                                            "starts": "2026-10-15", "ends": "2026-10-19"})
        st = stack.make("/api/v1/stations", {"name": "Load desk", "show": show["id"],
                                             "country": "CN", "email": "desk@load.example"})
        station = stack.token_for("station", st["id"])
        tokens, subs = [], []
        for i in range(16):
            sub, tok = stack.tenant(f"Load Exporter {i} Co., Ltd.")
            items = [{"kind": "mark", "text": f"LOADMARK{i}X{k}", "classes": [9]}
                     for k in range(199)] + [{"kind": "keyword", "text": f"loadword{i} lamp"}]
            r = stack.post(f"/api/v1/subscribers/{sub['id']}/portfolio/import",
                           {"items": items}, token=tok)
            assert r.status == 201, r
            for k in range(5):
                ev = {"id": f"ev_load_{i}_{k}", "source": "bench", "type": "news",
                      "jurisdiction": "US", "title": f"loadword{i} lamp recall {k}"}
                stack.add_event(ev)
            tokens.append(tok)
            subs.append(str(sub["id"]))
        harness.wait_until("the load alerts", lambda: all(
            len(stack.get("/api/v1/alerts", token=t).json()["items"]) == 5 for t in tokens),
            timeout=60)
        script = os.path.join(run, "load.lua")
        with open(script, "w") as f:
            f.write(LUA % {"tokens": ", ".join(f'"{t}"' for t in tokens),
                           "subs": ", ".join(subs), "station": station, "show": show["id"]})
        for conns in (32, 128):
            before = memory(stack)
            p = subprocess.run(["wrk", "-t", threads, "-c", str(conns), "-d", f"{secs}s",
                                "--timeout", "10s", "-s", script, f"http://127.0.0.1:{stack.port}/"],
                               capture_output=True, text=True)
            after = memory(stack)
            statuses = {int(a): int(b) for a, b in re.findall(r"^STATUS (\d+) (\d+)$",
                                                              p.stdout, re.M)}
            lat = re.search(r"^LAT p50_us=(\d+) p99_us=(\d+)$", p.stdout, re.M)
            summ = re.search(r"^SUM requests=(\d+) seconds=([\d.]+) socket_errors=(\d+)$",
                             p.stdout, re.M)
            if p.returncode != 0 or lat is None or summ is None:
                print(p.stdout, p.stderr)
                sys.exit("bench: wrk failed")
            errors = sum(v for k, v in statuses.items() if not (200 <= k < 300 or k == 429))
            errors += int(summ.group(3))
            limited = statuses.get(429, 0)
            print(f"statuses at {conns} connections: {dict(sorted(statuses.items()))}")
            print(f"memory MB before/after: " + ", ".join(
                f"{k} {before[k]}/{after[k]}" for k in before))
            print(f"RESULT load conns={conns} rps={int(summ.group(1)) / float(summ.group(2)):.0f} "
                  f"p50_ms={int(lat.group(1)) / 1000:.2f} p99_ms={int(lat.group(2)) / 1000:.2f} "
                  f"errors={errors} limited={limited}", flush=True)
            failed |= errors > 0
    finally:
        stack.stop()
        shutil.rmtree(run, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
