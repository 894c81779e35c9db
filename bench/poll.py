#!/usr/bin/env python3
"""bench/poll.py — one poller keeping 500 local feeds fresh.

Starts a stack without a poller, writes 500 small RSS feeds (10 items each) into the folder its
nginx serves (ETag and Last-Modified on), registers them, then starts one seawall-poller and
times the first pass (every feed fetched and parsed, 5,000 events stored) and, after making
every feed due again, the second pass (conditional GETs: nginx answers 304). Both passes run at
the default politeness: at most 2 connections to a host (all 500 feeds are on one here).

    bench/poll.py [BUILD]         BENCH_POLL_FEEDS (default 500)
Prints RESULT poll feeds=… first_s=… second_s=… not_modified=… events=…"""
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402

ITEM = "<item><title>Notice {f}-{i}</title><guid>bench-{f}-{i}</guid>" \
       "<pubDate>Thu, 01 Jan 2026 10:00:00 GMT</pubDate><description>Item {i} of feed {f}" \
       "</description></item>"


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                            os.path.join(ROOT, "build", "default"))
    n = int(os.environ.get("BENCH_POLL_FEEDS", "500"))
    os.environ["SEAWALL_WORKERS"] = ""          # the poller starts when the clock does
    os.environ.update(harness.HIGH_LIMIT)       # 500 registrations in a row
    run = tempfile.mkdtemp(prefix="seawall-bench-poll-")
    stack = harness.Stack(ROOT, build, run)
    try:
        stack.start(test_settings=False)
        folder = os.path.join(run, "feeds", "bench")
        os.makedirs(folder)
        ids = []
        for f in range(n):
            with open(os.path.join(folder, f"f{f}.xml"), "w") as fh:
                fh.write(f'<rss version="2.0"><channel><link>http://bench/{f}</link>' +
                         "".join(ITEM.format(f=f, i=i) for i in range(10)) + "</channel></rss>")
            r = stack.post("/api/v1/feeds", {"url": f"http://127.0.0.1:{stack.port}/feeds/bench/"
                                             f"f{f}.xml", "interval_s": 86400}, token=stack.admin)
            assert r.status == 201, r
            ids.append(r.json()["id"])

        def passes_done(k):
            done = 0
            for fid in ids:
                if int(stack.redis("HGET", f"sw:feed:{fid}:status", "polls") or 0) >= k:
                    done += 1
            return done == len(ids)

        t0 = time.monotonic()
        stack.script("start-worker", "seawall-poller")
        harness.wait_until("the first pass", lambda: passes_done(1), timeout=600, interval=0.2)
        first = time.monotonic() - t0
        events = stack.stream_len("events")
        for fid in ids:
            stack.redis("ZADD", "sw:feeds:due", 0, fid)
        t1 = time.monotonic()
        harness.wait_until("the second pass", lambda: passes_done(2), timeout=600, interval=0.2)
        second = time.monotonic() - t1
        not_modified = sum(int(stack.redis("HGET", f"sw:feed:{fid}:status", "not_modified") or 0)
                           for fid in ids)
        failures = sum(int(stack.redis("HGET", f"sw:feed:{fid}:status",
                                       "consecutive_failures") or 0) for fid in ids)
        if failures or events != 10 * n:
            sys.exit(f"bench: {failures} failures, {events} events (expected {10 * n})")
        print(f"first pass {first:.2f} s ({n / first:.0f} feeds/s), second pass {second:.2f} s "
              f"({n / second:.0f} feeds/s)")
        print(f"RESULT poll feeds={n} first_s={first:.2f} second_s={second:.2f} "
              f"not_modified={not_modified} events={events}")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
