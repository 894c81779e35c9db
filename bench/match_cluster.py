#!/usr/bin/env python3
"""bench/match_cluster.py — the matcher through Redis: one server against a Redis Cluster, in
the same run.

Starts one redis-server and a Redis Cluster of three primaries (no replicas, as the one server
has none; both with appendonly yes) on loopback. Each round empties the Redis it uses, then
with build/…/bin/match-store seeds BENCH_MATCH_SUBS exporters with BENCH_MATCH_ITEMS keyword
items each, publishes BENCH_MATCH_EVENTS news events (one in ten naming an exporter's keyword,
so a tenth of them make an alert and its delivery), starts one seawall-matcher on it and
times, from the first event the matcher's group read to the last one it acknowledged, how
fast the events went through: reading, matching, storing alerts and deliveries (every
command through lib/store.c, to the cluster's primaries by slot). The rounds alternate
single, cluster, single, cluster … BENCH_MATCH_ROUNDS times each.

    bench/match_cluster.py [BUILD]   BENCH_MATCH_SUBS (200), BENCH_MATCH_ITEMS (10),
                                     BENCH_MATCH_EVENTS (20000), BENCH_MATCH_ROUNDS (3)

Prints each round's rate and RESULT match-cluster single_eps=… cluster_eps=… (medians)
cluster_ratio=… (goal: ≥ 0.8), with the load average before and after."""
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from harness import wait_until  # noqa: E402
from rediscluster import Cluster, free_ports  # noqa: E402


def env_int(name, default):
    return int(os.environ.get(name, default))


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/default")
    subs, items = env_int("BENCH_MATCH_SUBS", 200), env_int("BENCH_MATCH_ITEMS", 10)
    events, rounds = env_int("BENCH_MATCH_EVENTS", 20000), env_int("BENCH_MATCH_ROUNDS", 3)
    tool = os.path.join(build, "bin", "match-store")
    run = tempfile.mkdtemp(prefix="seawall-bench-match-")
    procs = []

    def stop(*_):
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        shutil.rmtree(run, ignore_errors=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    cl = None
    try:
        port = free_ports(1)[0]
        d = os.path.join(run, "single")
        os.makedirs(d)
        procs.append(subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", d,
             "--appendonly", "yes", "--save", "", "--logfile", os.path.join(d, "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        single = f"redis://127.0.0.1:{port}"
        wait_until("the single Redis to answer", lambda: subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True,
            text=True).stdout.strip() == "PONG")
        cl = Cluster(os.path.join(run, "cluster"), replicas=0).start()
        cluster_ports = [n[1] for n in cl.masters()]
        env = dict(os.environ, SEAWALL_I18N_DIR=os.path.join(ROOT, "po"),
                   SEAWALL_SOURCES_DIR=os.path.join(ROOT, "etc", "sources"),
                   SEAWALL_CASES_DEADLINE_RULES=os.path.join(ROOT, "etc", "deadlines.json"),
                   SEAWALL_LIVE_SOCKET=os.path.join(run, "live.sock"),
                   SEAWALL_MATCHER_ID="bench-matcher")
        load0 = os.getloadavg()[0]
        got = {"single": [], "cluster": []}
        for r in range(rounds):
            for mode, url, ports in (("single", single, [port]),
                                     ("cluster", cl.url, cluster_ports)):
                for p in ports:
                    subprocess.run(["redis-cli", "-p", str(p), "flushall"], check=True,
                                   capture_output=True)
                for args in (["seed", str(subs), str(items)],
                             ["publish", str(events), str(subs), str(items)]):
                    subprocess.run([tool, url, *args], check=True, env=env,
                                   capture_output=True, text=True)
                log = open(os.path.join(run, f"matcher-{mode}-{r}.log"), "w")
                m = subprocess.Popen([os.path.join(build, "bin", "seawall-matcher")],
                                     env=dict(env, SEAWALL_REDIS_URL=url), stdout=log,
                                     stderr=subprocess.STDOUT)
                procs.append(m)
                out = subprocess.run([tool, url, "drain", "matchers", str(events)], env=env,
                                     capture_output=True, text=True, timeout=900)
                m.terminate()
                m.wait(timeout=30)
                log.close()
                line = [x for x in out.stdout.splitlines() if x.startswith("RESULT drained")]
                if out.returncode != 0 or not line:
                    sys.exit(f"round {r} {mode}: {out.stdout}{out.stderr}")
                eps = float(line[0].split("eps=")[1])
                got[mode].append(eps)
                print(f"round {r + 1} {mode}: {line[0][len('RESULT drained '):]}", flush=True)
        s_eps, c_eps = statistics.median(got["single"]), statistics.median(got["cluster"])
        print(f"RESULT match-cluster events={events} subs={subs} items={items} "
              f"single_eps={s_eps:.0f} cluster_eps={c_eps:.0f} "
              f"cluster_ratio={c_eps / s_eps:.2f} load_before={load0:.2f} "
              f"load_after={os.getloadavg()[0]:.2f}", flush=True)
    finally:
        if cl is not None:
            cl.stop()
        stop()


if __name__ == "__main__":
    main()
