#!/usr/bin/env python3
"""bench/streams.py — 2,000 live alert streams held open at once, and what they cost the API.

Starts a stack (seawall-api with its usual 8 threads, nginx with Nchan, the matcher) with
api.sse_max set to the number of streams, and makes BENCH_STREAMS_SUBS exporters, each
with the keyword "benchlive lamp". Then:

  1. read_rps_closed: wrk (2 threads, 32 connections, BENCH_SECONDS) on GET /api/v1/me, no
     stream open;
  2. opens BENCH_STREAMS EventSource connections (asyncio, one socket each, the streams
     spread evenly over the exporters), every one answered 200;
  3. api_threads_held: seawall-api's requests in flight (its /metrics gauge, less the
     /metrics request itself) with every stream open, before and after the alerts (the
     least of five looks each time); one stream more is refused with 429 (api.sse_max is
     reached);
  4. read_rps_open: the same wrk run, with every stream open (and read);
  5. BENCH_STREAMS_ALERTS events that name the keyword, so each exporter gets that many
     alerts, and waits until every stream has received every alert of its exporter.

    bench/streams.py [BUILD]   BENCH_STREAMS (2000), BENCH_STREAMS_SUBS (200),
                               BENCH_SECONDS (10), BENCH_STREAMS_ALERTS (5)

Prints RESULT streams streams=… delivered=…/… api_threads_held=… read_rps_open=…
read_rps_closed=… ratio=… and fails unless every stream opened, every alert reached every
stream and no API thread was held (goal: ratio >= 0.8)."""
import asyncio
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402


class Stream:
    """One EventSource connection: the alert ids it has received."""

    def __init__(self, tok):
        self.tok = tok
        self.status = None
        self.ids = set()
        self.reader = self.writer = None

    async def open(self, port):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer.write((f"GET /api/v1/alerts/stream HTTP/1.1\r\nHost: bench\r\n"
                           f"Accept: text/event-stream\r\nAuthorization: Bearer {self.tok}\r\n"
                           f"\r\n").encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        self.status = int(head.split(b" ", 2)[1])

    async def read(self):
        """Reads events until the connection closes (or is cancelled)."""
        buf = b""
        while True:
            data = await self.reader.read(65536)
            if not data:
                return
            buf += data
            while b"\n\n" in buf:
                block, buf = buf.split(b"\n\n", 1)
                fields = dict(line.split(b": ", 1) for line in block.split(b"\n")
                              if b": " in line and not line.startswith(b":"))
                if fields.get(b"event") == b"alert":
                    self.ids.add(json.loads(fields[b"data"])["id"])

    def close(self):
        if self.writer is not None:
            self.writer.close()


async def threads_held(stack):
    """seawall-api's requests in flight less the /metrics request itself, the least of five
    looks 0.1 s apart: a stream holding a thread would hold it in every look, while an
    ordinary request just finishing (wrk's last ones) shows in one look only."""
    seen = []
    for _ in range(5):
        r = stack.get("/metrics")
        seen.append(int(re.search(r"^seawall_http_requests_in_flight (\d+)$", r.body,
                                  re.M).group(1)) - 1)
        await asyncio.sleep(0.1)
    return min(seen)


async def wrk_rps(url, token, secs):
    """Requests/s of wrk on url (2 threads, 32 connections); fails on any non-2xx answer."""
    p = await asyncio.create_subprocess_exec(
        "wrk", "-t2", "-c32", f"-d{secs}s", "-H", f"Authorization: Bearer {token}", url,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await p.communicate()
    text = out.decode()
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if p.returncode != 0 or m is None or "Non-2xx" in text:
        sys.exit(f"bench: wrk failed or got errors:\n{text}{err.decode()}")
    return float(m.group(1))


async def run(stack, n, nsubs, secs, nalerts):
    url = f"http://127.0.0.1:{stack.port}/api/v1/me"
    subs = []
    for i in range(nsubs):
        sub, tok = stack.tenant(f"Stream Bench Exporter {i} Co., Ltd.")
        r = stack.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
                       {"kind": "keyword", "text": "benchlive lamp"}, token=tok)
        assert r.status == 201, r
        subs.append(tok)
    reader_tok = subs[0]
    await wrk_rps(url, reader_tok, 2)   # warm-up
    closed = await wrk_rps(url, reader_tok, secs)

    streams = [Stream(subs[i % nsubs]) for i in range(n)]
    gate = asyncio.Semaphore(64)

    async def open_one(st):
        async with gate:
            await st.open(stack.port)

    t0 = time.monotonic()
    await asyncio.gather(*(open_one(st) for st in streams))
    opened_s = time.monotonic() - t0
    statuses = {}
    for st in streams:
        statuses[st.status] = statuses.get(st.status, 0) + 1
    readers = [asyncio.create_task(st.read()) for st in streams if st.status == 200]
    try:
        held = await threads_held(stack)
        # api.sse_max is n: one more is refused, once nginx counts every stream.
        extra_status = None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            extra = Stream(subs[-1])
            await extra.open(stack.port)
            extra.close()
            extra_status = extra.status
            if extra_status == 429:
                break
            await asyncio.sleep(0.1)
        opened = await wrk_rps(url, reader_tok, secs)

        for k in range(nalerts):
            ev = {"id": f"ev_benchlive_{k}", "source": "bench", "type": "news",
                  "jurisdiction": "US", "title": f"benchlive lamp recall {k}"}
            stack.add_event(ev)
        t0 = time.monotonic()
        deadline = t0 + 120
        live = [st for st in streams if st.status == 200]
        while time.monotonic() < deadline and any(len(st.ids) < nalerts for st in live):
            await asyncio.sleep(0.1)
        delivery_s = time.monotonic() - t0
        delivered = sum(len(st.ids) for st in live)
        held = max(held, await threads_held(stack))
    finally:
        for task in readers:
            task.cancel()
        for st in streams:
            st.close()
        await asyncio.gather(*readers, return_exceptions=True)
    return {"statuses": statuses, "opened_s": opened_s, "held": held, "extra": extra_status,
            "closed": closed, "open": opened, "delivered": delivered,
            "expected": n * nalerts, "delivery_s": delivery_s}


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build",
                                                                            "default"))
    n = int(os.environ.get("BENCH_STREAMS", "2000"))
    nsubs = int(os.environ.get("BENCH_STREAMS_SUBS", "200"))
    secs = int(os.environ.get("BENCH_SECONDS", "10"))
    nalerts = int(os.environ.get("BENCH_STREAMS_ALERTS", "5"))
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is missing: run scripts/deps.sh")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 512:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 4096), hard))
    os.environ.update(harness.HIGH_LIMIT)
    os.environ.update({"SEAWALL_WORKERS": "seawall-matcher",
                       "SEAWALL_API_SSE_MAX": str(n),
                       "SEAWALL_API_SSE_PER_SUBSCRIBER": str(-(-n // nsubs))})
    run_dir = tempfile.mkdtemp(prefix="seawall-bench-streams-")
    stack = harness.Stack(ROOT, build, run_dir)
    try:
        stack.start(test_settings=False)
        r = asyncio.run(run(stack, n, nsubs, secs, nalerts))
    finally:
        stack.stop()
        shutil.rmtree(run_dir, ignore_errors=True)
    ratio = r["open"] / r["closed"]
    print(f"streams answered: {r['statuses']} (opened in {r['opened_s']:.1f} s); one more: "
          f"{r['extra']}; every alert on every stream after {r['delivery_s']:.1f} s")
    print(f"RESULT streams streams={n} delivered={r['delivered']}/{r['expected']} "
          f"api_threads_held={r['held']} read_rps_open={r['open']:.0f} "
          f"read_rps_closed={r['closed']:.0f} ratio={ratio:.2f}", flush=True)
    ok = (r["statuses"] == {200: n} and r["delivered"] == r["expected"] and r["held"] == 0
          and r["extra"] == 429)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
