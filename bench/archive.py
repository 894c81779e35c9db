#!/usr/bin/env python3
"""bench/archive.py — a zipped USPTO trademark daily file: parsing speed and memory.

Builds a trademark-applications-daily document of about BENCH_ARCHIVE_MB (default 100) MB from
the real prolog and case-file records in ../shared/feeds/uspto-trademark-daily, each record
given its own serial number and, so that the file compresses like a real one rather than like
the same record repeated, its own mark, attorney, owner, address, dates and goods drawn from a
fixed-seed vocabulary; zips it (deflate, level 6, one entry named like USPTO's: apcYYMMDD.xml),
then in the same run times

    seawall feed parse apcYYMMDD.zip > /dev/null          (libarchive into the XML reader)
    unzip -p apcYYMMDD.zip | xmllint --stream --noout -   (the baseline: two processes)

best of BENCH_ARCHIVE_RUNS (default 3) each, and reads Seawall's peak resident memory from the
kernel (ru_maxrss of the child, from a run of its own). Fails unless every record gave one event.

    bench/archive.py [BUILD]
Prints RESULT archive mb_per_s=… baseline_mb_per_s=… ratio=… peak_rss_mb=… (MB of XML)."""
import os
import random
import re
import subprocess
import sys
import tempfile
import zipfile

from parse import timed  # the same measure as the plain parse benchmark

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.normpath(os.path.join(ROOT, "..", "shared", "feeds", "uspto-trademark-daily"))


def vocabulary(rng, n):
    cons, vows = "bcdfghjklmnprstvwz", "aeiou"
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(cons) + rng.choice(vows) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def varied(rec, serial, n, rng, words):
    """The record with its own serial number and its own texts."""
    def phrase(lo, hi):
        return " ".join(rng.choice(words) for _ in range(rng.randint(lo, hi)))

    def date():
        return b"20%02d%02d%02d" % (rng.randint(0, 24), rng.randint(1, 12), rng.randint(1, 28))

    out = rec.replace(serial, b"%08d" % (10000000 + n))
    out = re.sub(rb"<mark-identification>[^<]*<", lambda m: b"<mark-identification>" +
                 phrase(1, 3).upper().encode() + b"<", out)
    out = re.sub(rb"<(attorney-name|party-name|address-1|city)>[^<]*<",
                 lambda m: b"<" + m.group(1) + b">" + phrase(2, 4).title().encode() + b"<", out)
    out = re.sub(rb"<text>[^<]*<", lambda m: b"<text>" + phrase(6, 30).encode() + b"<", out)
    out = re.sub(rb"<(filing-date|status-date|date)>\d{8}<",
                 lambda m: b"<" + m.group(1) + b">" + date() + b"<", out)
    out = re.sub(rb"<status-code>\d+<", lambda m: b"<status-code>%d<" % rng.randint(600, 900),
                 out)
    return out


def build_xml(path, target_mb):
    rng = random.Random(20261201)
    words = vocabulary(rng, 4000)
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
            while size < target * (0.5 if key == b"NA" else 1.0):
                out.write(varied(rec, serial, records, rng, words))
                size = out.tell()
                records += 1
            out.write(b"</action-keys>\n")
        out.write(b"</file-segments></application-information></trademark-applications-daily>\n")
    return records


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "default")
    seawall = os.path.join(build, "bin", "seawall")
    mb = int(os.environ.get("BENCH_ARCHIVE_MB", "100"))
    runs = int(os.environ.get("BENCH_ARCHIVE_RUNS", "3"))
    with tempfile.TemporaryDirectory(prefix="seawall-bench-archive-") as d:
        xml = os.path.join(d, "apc261201.xml")
        records = build_xml(xml, mb)
        size_mb = os.path.getsize(xml) / (1024 * 1024)
        zpath = os.path.join(d, "apc261201.zip")
        with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            z.write(xml, "apc261201.xml")
        os.unlink(xml)
        zmb = os.path.getsize(zpath) / (1024 * 1024)
        print(f"built {zpath}: {zmb:.1f} MB holding {size_mb:.1f} MB of XML "
              f"({size_mb / zmb:.1f} times), {records} case-file records", flush=True)
        # Seawall's peak RSS from a run of its own, first: ru_maxrss of children is a running
        # maximum, so no later process can stand in for it.
        _, peak = timed([seawall, "feed", "parse", zpath])
        baseline = f"unzip -p '{zpath}' | xmllint --stream --noout -"
        ours, base = [], []
        for _ in range(runs):
            ours.append(timed([seawall, "feed", "parse", zpath])[0])
            base.append(timed(["/bin/sh", "-c", "set -e; " + baseline])[0])
        p = subprocess.run([seawall, "feed", "parse", zpath], capture_output=True)
        events = p.stdout.count(b"\n")
    t, tb = min(ours), min(base)
    print(f"seawall feed parse (zip): best {t:.2f} s of {runs}; {baseline}: best {tb:.2f} s")
    if events != records:
        sys.exit(f"bench: {events} events for {records} records")
    print(f"RESULT archive mb_per_s={size_mb / t:.1f} baseline_mb_per_s={size_mb / tb:.1f} "
          f"ratio={tb / t:.2f} peak_rss_mb={peak / 1024:.1f}")


if __name__ == "__main__":
    main()
