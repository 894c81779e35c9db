#!/usr/bin/env python3
"""bench/parse.py — USPTO trademark daily parsing speed and memory.

Builds a trademark-applications-daily document of at least BENCH_PARSE_MB (default 200) MB from
the real prolog and the real case-file records in ../shared/feeds/uspto-trademark-daily (each
repetition gets its own serial number), then, in the same run, times
`seawall feed parse FILE > /dev/null` and `xmllint --stream --noout FILE` (libxml2's bare
streaming reader, the baseline), best of BENCH_PARSE_RUNS (default 3) each, and reads the
parser's peak resident memory from the kernel (ru_maxrss of the child).

    bench/parse.py [BUILD]
Prints RESULT parse mb_per_s=… xmllint_mb_per_s=… ratio=… peak_rss_mb=… events=…"""
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.normpath(os.path.join(ROOT, "..", "shared", "feeds", "uspto-trademark-daily"))


def build_file(path, target_mb):
    prolog = open(os.path.join(SAMPLES, "prolog-application-v2-current.xml"), "rb").read()
    na = open(os.path.join(SAMPLES, "daily-na-98763166.xml"), "rb").read()
    tx = open(os.path.join(SAMPLES, "annual-2025-full-tx-60146682.xml"), "rb").read()
    target = target_mb * 1024 * 1024
    records = 0
    with open(path, "wb") as out:
        out.write(prolog + b"\n<trademark-applications-daily><version><version-no>2.0"
                  b"</version-no></version><creation-datetime>202409250000</creation-datetime>"
                  b"<application-information><file-segments><file-segment>TM</file-segment>")
        size = out.tell()
        for key, rec, serial in ((b"NA", na, b"98763166"), (b"TX", tx, b"60146682")):
            out.write(b"<action-keys><action-key>" + key + b"</action-key>\n")
            n = 0
            while size < target * (0.5 if key == b"NA" else 1.0):
                out.write(rec.replace(serial, b"%08d" % (10000000 + records)))
                size = out.tell()
                n += 1
                records += 1
            out.write(b"</action-keys>\n")
        out.write(b"</file-segments></application-information></trademark-applications-daily>\n")
    return records


def timed(cmd):
    """Runs cmd with stdout to /dev/null; returns (seconds, peak RSS of that child in KiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.monotonic()
    with open(os.devnull, "wb") as null:
        p = subprocess.run(cmd, stdout=null, stderr=subprocess.PIPE, env=dict(os.environ,
                           SEAWALL_CONFIG=""))
    dt = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}): {p.stderr.decode()[-500:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, peak if peak > before else None


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "default")
    seawall = os.path.join(build, "bin", "seawall")
    mb = int(os.environ.get("BENCH_PARSE_MB", "200"))
    runs = int(os.environ.get("BENCH_PARSE_RUNS", "3"))
    with tempfile.TemporaryDirectory(prefix="seawall-bench-parse-") as d:
        path = os.path.join(d, "apc-bench.xml")
        records = build_file(path, mb)
        size_mb = os.path.getsize(path) / (1024 * 1024)
        print(f"built {path}: {size_mb:.1f} MB, {records} case-file records", flush=True)
        # The parser's peak RSS is read from a run of its own, first, so that xmllint's
        # figure cannot stand in for it (ru_maxrss of children is a running maximum).
        _, peak = timed([seawall, "feed", "parse", path])
        ours, base = [], []
        for _ in range(runs):
            ours.append(timed([seawall, "feed", "parse", path])[0])
            base.append(timed(["xmllint", "--stream", "--noout", path])[0])
        p = subprocess.run([seawall, "feed", "parse", path], capture_output=True)
        events = p.stdout.count(b"\n")
    t, tb = min(ours), min(base)
    print(f"seawall feed parse: best {t:.2f} s of {runs}; xmllint --stream: best {tb:.2f} s")
    if events != records:
        sys.exit(f"bench: {events} events for {records} records")
    print(f"RESULT parse mb_per_s={size_mb / t:.1f} xmllint_mb_per_s={size_mb / tb:.1f} "
          f"ratio={tb / t:.2f} peak_rss_mb={peak / 1024:.1f} events={events}")


if __name__ == "__main__":
    main()
