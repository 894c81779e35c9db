#!/usr/bin/env python3
"""Runs Seawall's libFuzzer targets.

    tests/fuzz/run.py --build build/fuzz --seconds N [--only TARGET] [--timeout S]

Each target first replays its kept inputs (tests/fuzz/corpus/<target>/: every crash or hang
ever found, kept as a regression test, and hand-written seeds) and the seeds taken from
../shared (real feeds and the feedparser conformance corpus), then mutates for N seconds (0:
replay only). A target fails on any crash, leak, sanitizer report, or input that runs longer
than S seconds (libFuzzer's -timeout, 5 by default: a parse is bounded well inside that, see
docs/feeds.md); the input that did it is saved under <build>/crashes/ and named in the output,
to be fixed and then kept in the corpus.
Prints one line per target and a closing 'N passed, N failed'."""
import argparse
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")

FEEDS = os.path.join(SHARED, "feeds")
CONF = os.path.join(SHARED, "conformance", "feedparser")
# Seeds per target: folders (every file below them) or single files.
SEEDS = {
    "feed-auto": [FEEDS, os.path.join(ROOT, "demo", "feeds")],
    "feed-rss": [os.path.join(FEEDS, "generic-rss-atom"), CONF],
    "feed-cmecf": [os.path.join(FEEDS, "pacer-rss")],
    "feed-uspto-tm": [os.path.join(FEEDS, "uspto-trademark-daily")],
    "feed-uspto-patent": [os.path.join(FEEDS, "uspto-patent-fulltext")],
    "feed-st66": [os.path.join(FEEDS, "uspto-tsdr-st66-st96")],
    "feed-st96": [os.path.join(FEEDS, "uspto-tsdr-st66-st96")],
    "feed-euipo": [os.path.join(FEEDS, "euipo-tm-xml")],
    "feed-ical": [os.path.join(FEEDS, "icalendar")],
    "feed-json": [os.path.join(ROOT, "demo", "feeds")],
    "feed-html": [],   # its seeds are kept pages: tests/fuzz/corpus/feed-html/
    "json": [],
    "route": [],
    "csv": [],
    "normalise": [],
    "match": [],
    "po": [os.path.join(ROOT, "po")],
    "messenger": [],
    "archive": [],        # made by archive_seeds()
}
MAX_SEED = 256 * 1024   # larger real files are left to the replay of smaller ones
TIMEOUT_S = 5           # an input running longer fails the target (libFuzzer's -timeout)


def archive_seeds(out):
    """Small archives made from the real samples: a ZIP of two feeds, a gzip'd feed, one with a
    file that is passed over, one nested, one of many entries, one cut short, one that expands
    far (what the archive reader's caps and errors are about)."""
    import gzip
    import io
    import zipfile

    def sample(rel):
        path = os.path.join(FEEDS, rel)
        return open(path, "rb").read() if os.path.exists(path) else b"<rss><channel/></rss>"

    cafc, daily = sample("pacer-rss/cafc.xml"), sample("uspto-trademark-daily/daily-na-98763166.xml")

    def zipped(entries, method=zipfile.ZIP_DEFLATED):
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w", method) as z:
            for name, data in entries:
                z.writestr(name, data)
        return b.getvalue()

    two = zipped([("cafc.xml", cafc), ("apc240925.xml", daily)])
    seeds = {
        "two.zip": two,
        "stored.zip": zipped([("cafc.xml", cafc)], zipfile.ZIP_STORED),
        "cafc.xml.gz": gzip.compress(cafc),
        "readme.zip": zipped([("README.txt", b"read me"), ("cafc.xml", cafc)]),
        "nested.zip": zipped([("inner.zip", two)]),
        "many.zip": zipped([(f"{i}.xml", cafc[:200]) for i in range(80)]),
        "cut.zip": two[: len(two) * 2 // 3],
        "expands.zip": zipped([("bomb.xml", b"<rss><channel>" + b" " * (2 << 20))]),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return len(seeds)


def seed_dir(build, target):
    """A folder of seed files for target, made from SEEDS (copied: libFuzzer wants folders)."""
    out = os.path.join(build, "seeds", target)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    n = archive_seeds(out) if target == "archive" else 0
    for src in SEEDS[target]:
        if not os.path.exists(src):
            continue
        paths = [src] if os.path.isfile(src) else [
            os.path.join(d, f) for d, _, fs in os.walk(src) for f in sorted(fs)]
        for p in paths:
            if p.endswith((".md", ".expected.json")) or os.path.basename(p) == "LICENSE":
                continue
            if os.path.getsize(p) <= MAX_SEED:
                n += 1
                shutil.copy(p, os.path.join(out, f"{n:05d}-{os.path.basename(p)}"[:120]))
    return out


def slow(p):
    """' (an input ran over the timeout)' when libFuzzer stopped for that, else ''."""
    return " (an input ran over the timeout)" if "ERROR: libFuzzer: timeout" in p.stderr else ""


def run(build, target, seconds, timeout=TIMEOUT_S):
    binary = os.path.join(build, "fuzz", f"fuzz-{target}")
    if not os.path.exists(binary):
        return False, f"{binary} missing (make fuzz builds it)"
    work = os.path.join(build, "corpus", target)
    kept = os.path.join(ROOT, "tests", "fuzz", "corpus", target)
    crashes = os.path.join(build, "crashes")
    os.makedirs(work, exist_ok=True)
    os.makedirs(crashes, exist_ok=True)
    dirs = [d for d in (kept, seed_dir(build, target)) if os.path.isdir(d) and os.listdir(d)]
    args = [binary, f"-artifact_prefix={crashes}/{target}-", f"-timeout={timeout}",
            "-rss_limit_mb=3072", "-max_len=262144", "-print_final_stats=1"]
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    # Replay every kept input and seed once: regressions fail here whatever N is.
    for d in dirs:
        p = subprocess.run(args + ["-runs=0", d], capture_output=True, text=True, env=env)
        if p.returncode != 0:
            return False, f"replay of {d} failed{slow(p)}:\n{p.stderr[-4000:]}"
    if seconds > 0:
        p = subprocess.run(args + [f"-max_total_time={seconds}", work] + dirs,
                           capture_output=True, text=True, env=env)
        if p.returncode != 0:
            return False, f"failed after mutation{slow(p)}:\n{p.stderr[-4000:]}"
        execs = [l for l in p.stderr.splitlines() if "stat::number_of_executed_units" in l]
        return True, execs[-1].split(":")[-1].strip() + " runs" if execs else "ran"
    return True, "replayed"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--only")
    ap.add_argument("--timeout", type=int, default=TIMEOUT_S,
                    help="seconds one input may run before it counts as a failure")
    a = ap.parse_args()
    passed = failed = 0
    for target in SEEDS:
        if a.only and target != a.only:
            continue
        ok, what = run(a.build, target, a.seconds, a.timeout)
        print(f"{'ok  ' if ok else 'FAIL'} fuzz/{target} ({what})", flush=True)
        if ok:
            passed += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
