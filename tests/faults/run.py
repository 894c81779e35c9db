#!/usr/bin/env python3
"""tests/faults/run.py — the whole stack under fire, end to end.

    tests/faults/run.py --build build/default [--events 10000] [--seed 7]

A real stack (Redis with its AOF, seawall-api, nginx, poller, matcher, notifier) and a local
webhook receiver. Subscribers each watch two keywords and have a webhook; RSS feeds served by
the stack's nginx gain items round by round, every item naming one subscriber's two keywords
(one alert naming both items), so the alerts and deliveries to expect are known. Between rounds a plan drawn from the seed kills
a worker with SIGKILL (restarted a round later, so work piles up meanwhile), kills Redis and
starts it again from its AOF, or restarts seawall-api; every round also writes portfolio
items, cases and incidents through the API and remembers those that were acknowledged.

Afterwards it checks that every expected alert exists exactly once (and no other) and names
both items (a matcher killed mid-way must not leave an alert with one), that every alert
reached the receiver (each webhook-id at least once) with both items, and that every
acknowledged write can be read back. Prints
    RESULT faults events=… kills=… lost=… duplicate_alerts=… deliveries=… redelivered=…
and exits non-zero unless lost and duplicate_alerts are 0 (an alert missing an item counts
as lost)."""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402
from hookserver import Receiver  # noqa: E402

SUBS = 20
FEEDS = 20
WORKERS = ("seawall-poller", "seawall-matcher", "seawall-notifier")


def rss(items):
    body = "".join(f"<item><guid isPermaLink=\"false\">{g}</guid><title>{t}</title>"
                   f"<link>http://faults.example/{g}</link></item>" for g, t in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>fault feed</title><link>http://faults.example/</link>{body}"
            "</channel></rss>")


VERSION = {}


def write_atomically(path, text):
    """Replaces the feed file; each version gets a modification time one second past the last.
    nginx's validators are the mtime in whole seconds and the size, so two versions written
    in the same second with the same size would look alike and be answered 304."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    VERSION[path] = VERSION.get(path, 0) + 1
    t = 1_700_000_000 + VERSION[path]
    os.utime(tmp, (t, t))
    os.replace(tmp, path)


class Run:
    def __init__(self, stack, rec, rng, log):
        self.s = stack
        self.rec = rec
        self.rng = rng
        self.log = log
        self.kills = 0
        self.acked = []          # (path to read back, what)

    def retry(self, what, fn, timeout=60):
        """fn() until it answers (Redis or the API may be restarting); its response."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                r = fn()
                if r.status < 500:
                    return r
            except (OSError, RuntimeError):   # refused, reset, or Redis still LOADING
                r = None
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: no answer within {timeout}s (last {r!r})")
            time.sleep(0.2)

    def write_some(self, subs, show, station_tok, round_no):
        """A portfolio item, a case and an incident through the API; acknowledged ones kept."""
        sub, tok = subs[self.rng.randrange(len(subs))]
        r = self.retry("portfolio write", lambda: self.s.post(
            f"/api/v1/subscribers/{sub['id']}/portfolio",
            {"kind": "mark", "text": f"FAULTMARK{round_no}Q"}, token=tok))
        if r.status == 201:
            self.acked.append((f"/api/v1/subscribers/{sub['id']}/portfolio/{r.json()['id']}",
                               tok))
        key = f"fault-case-{round_no}"
        r = self.retry("case write", lambda: self.s.post(
            "/api/v1/cases", {"type": "lawsuit", "country": "US", "forum": "D. Del.",
                              "opposing_party": "Fault Holdings LLC", "own_role": "defendant",
                              "served_at": "2026-03-02", "description": f"round {round_no}"},
            token=tok, headers={"Idempotency-Key": key}))
        if r.status == 201 or r.status == 200:
            self.acked.append((f"/api/v1/cases/{r.json()['id']}", tok))
        key = f"fault-incident-{round_no}"
        r = self.retry("incident write", lambda: self.s.post(
            f"/api/v1/shows/{show}/incidents",
            {"booth": f"1.{round_no}", "kind": "complaint_received",
             "exhibitor": {"name": "Fault Lamp Works Co., Ltd.", "country": "CN"},
             "complainant": {"name": "Fault GmbH", "country": "DE"}},
            token=station_tok, headers={"Idempotency-Key": key}))
        if r.status in (200, 201):
            self.acked.append((f"/api/v1/incidents/{r.json()['id']}", station_tok))

    def fault(self, action, down):
        """Carries out one planned fault; returns the worker to start after the next round."""
        self.log(f"fault: {action}")
        if action in WORKERS:
            self.s.script("stop-one", action, "--kill")
            self.kills += 1
            if action == "seawall-poller":
                self.s.script("start-worker", action)   # the rounds wait for the poller
                return None
            return action
        if action == "redis":
            self.s.script("restart-redis", "--kill")
            self.kills += 1
        elif action == "seawall-api":
            self.s.script("stop-one", "seawall-api", "--kill")
            self.kills += 1
            self.s.script("restart-api")
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    log = (lambda m: None) if a.quiet else (lambda m: print(m, flush=True))
    rng = random.Random(a.seed)
    per_round = FEEDS * 10
    rounds = max(1, a.events // per_round)
    total = rounds * per_round
    os.environ.update(harness.TEST_ENV)
    os.environ.update(harness.HIGH_LIMIT)
    # A restarted matcher takes over what its killed self had read after 2 s, not a minute.
    os.environ["SEAWALL_MATCHER_CLAIM_IDLE_MS"] = "2000"
    # The integration tests switch a webhook off after 2 s of failures, to test that; here a
    # receiver slow for a moment on a loaded machine must not switch off every delivery after
    # it: the run judges loss under kills, so webhooks stay on (the default is five days).
    os.environ["SEAWALL_NOTIFIER_DISABLE_AFTER_S"] = "3600"
    run_dir = tempfile.mkdtemp(prefix="seawall-faults-")
    stack = harness.Stack(ROOT, os.path.abspath(a.build), run_dir)
    rec = Receiver().start()
    ok = False
    try:
        stack.start(test_settings=False)   # TEST_ENV applied above, with the changes
        r = Run(stack, rec, rng, log)
        subs = []
        for i in range(SUBS):
            sub, tok = stack.tenant(f"Fault Exporter {i} Co., Ltd.")
            for text in (f"zqfault{i}x lamp", f"zqfault{i}x lamp recall"):
                resp = stack.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
                                  {"kind": "keyword", "text": text}, token=tok)
                assert resp.status == 201, resp
            resp = stack.post("/api/v1/webhooks", {"url": rec.url("ok", f"s{i}")}, token=tok)
            assert resp.status == 201, resp
            subs.append((sub, tok))
        stack.make("/api/v1/centres", {"name": "Fault Centre", "country": "CN",
                                       "email": "desk@faults.example"})
        show = stack.make("/api/v1/shows", {"id": "fault-fair-2026", "name": "Fault Fair 2026",
                                            "city": "Guangzhou", "country": "CN",
                                            "starts": "2026-10-15", "ends": "2026-10-19"})["id"]
        st = stack.make("/api/v1/stations", {"name": "Fault desk", "show": show,
                                             "country": "CN", "email": "desk@faults.example"})
        station_tok = stack.token_for("station", st["id"])
        folder = os.path.join(stack.dir, "feeds", "faults")
        os.makedirs(folder)
        items = {f: [] for f in range(FEEDS)}
        for f in range(FEEDS):
            write_atomically(os.path.join(folder, f"f{f}.xml"), rss([]))
            resp = stack.post("/api/v1/feeds", {"url": f"http://127.0.0.1:{stack.port}/feeds/"
                                                       f"faults/f{f}.xml", "interval_s": 1},
                              token=stack.admin)
            assert resp.status == 201, resp
        # The plan: every kind of fault at several points, in an order drawn from the seed.
        kinds = list(WORKERS) + ["redis", "seawall-api"]
        plan = (kinds * (rounds // len(kinds) + 1))[:rounds]
        rng.shuffle(plan)
        expected = {}            # sub index -> count of items naming its keyword
        n = 0
        pending = None
        for rnd in range(rounds):
            for f in range(FEEDS):
                for _ in range(per_round // FEEDS):
                    k = rng.randrange(SUBS)
                    items[f].append((f"fault-{n}", f"zqfault{k}x lamp recall notice {n}"))
                    expected[k] = expected.get(k, 0) + 1
                    n += 1
                # Feeds keep their newest 60 items, as real ones do; the round waits below
                # until the poller has taken everything, so nothing falls out unseen.
                write_atomically(os.path.join(folder, f"f{f}.xml"), rss(items[f][-60:]))
            r.write_some(subs, show, station_tok, rnd)
            harness.wait_until(f"round {rnd}: the poller to store {n} events", lambda: int(
                r.retry("XLEN", lambda: _Reply(stack.stream_len("events"))).value) >=
                n + 0, timeout=120)
            if pending is not None:
                stack.script("start-worker", pending)
                pending = None
            pending = r.fault(plan[rnd], pending)
            log(f"round {rnd + 1}/{rounds}: {n} events")
        if pending is not None:
            stack.script("start-worker", pending)
        # Every expected alert, once.
        def alert_counts():
            return {i: int(stack.redis("ZCARD", f"sw:{{sub:{subs[i][0]['id']}}}:alerts"))
                    for i in range(SUBS)}
        try:
            harness.wait_until("every alert", lambda: all(
                alert_counts()[i] >= expected.get(i, 0) for i in range(SUBS)), timeout=180)
        except AssertionError as e:
            log(str(e))
        counts = alert_counts()
        missing = sum(max(0, expected.get(i, 0) - counts[i]) for i in range(SUBS))
        extra = sum(max(0, counts[i] - expected.get(i, 0)) for i in range(SUBS))
        ids = set()
        for i in range(SUBS):
            ids.update(x.decode() if isinstance(x, bytes) else x for x in stack.redis(
                "ZRANGE", f"sw:{{sub:{subs[i][0]['id']}}}:alerts", "0", "-1"))
        # Each alert names both the subscriber's keywords (the inbox's meta reads
        # "severity|rule|type|country|items|action").
        partial = sum(1 for i in range(SUBS) for m in stack.redis(
            "HVALS", f"sw:{{sub:{subs[i][0]['id']}}}:almeta")
            if len(m.split("|")[4].split(",")) != 2)

        def delivered():
            got = set()
            for h in list(rec.hooks):
                try:
                    if len(h.json()["data"]["items"]) == 2:
                        got.add(h.json()["data"]["id"])
                except (ValueError, KeyError, TypeError):
                    pass
            return got
        try:
            rec.wait("every alert delivered", lambda hs: ids <= delivered(), timeout=180)
        except AssertionError as e:
            log(str(e))
        got = delivered()
        undelivered = len(ids - got)
        hook_ids = [h.id for h in rec.hooks]
        redelivered = len(hook_ids) - len(set(hook_ids))
        unread = []
        for path, tok in r.acked:
            resp = r.retry("read back", lambda: stack.get(path, token=tok))
            if resp.status != 200:
                unread.append((path, resp.status))
        lost = missing + partial + undelivered + len(unread)
        if unread:
            log(f"acknowledged writes not found: {unread[:5]}")
        if partial:
            log(f"{partial} alerts name fewer than both items")
        print(f"checked: {total} events, {sum(counts.values())} alerts, {len(r.acked)} "
              f"acknowledged writes, {len(set(hook_ids))} webhook-ids")
        print(f"RESULT faults events={total} kills={r.kills} lost={lost} "
              f"duplicate_alerts={extra} deliveries={len(hook_ids)} redelivered={redelivered}",
              flush=True)
        ok = lost == 0 and extra == 0
    finally:
        rec.stop()
        stack.stop()
        if ok:
            shutil.rmtree(run_dir, ignore_errors=True)
        else:
            print(f"(run folder kept: {run_dir})")
    sys.exit(0 if ok else 1)


class _Reply:
    """Adapts a Redis reply to retry(): a status below 500 and the value."""

    def __init__(self, value):
        self.status = 200
        self.value = value


if __name__ == "__main__":
    main()
