"""The feedparser conformance corpus: no crash on any file, and the item fields Seawall
extracts agree on at least 95% of the cases about them (tests/feeds/conformance.py)."""
import os
import re
import subprocess
import sys


def test_conformance_corpus(f):
    script = os.path.join(f.root, "tests", "feeds", "conformance.py")
    p = subprocess.run([sys.executable, script, "--build", f.build, "--verbose"],
                       capture_output=True, text=True, timeout=900)
    last = p.stdout.strip().splitlines()[-1]
    m = re.fullmatch(r"RESULT conformance cases=(\d+) passed=(\d+) rate=([\d.]+) crashes=(\d+)",
                     last)
    assert m, p.stdout[-2000:] + p.stderr[-2000:]
    cases, passed, crashes = int(m.group(1)), int(m.group(2)), int(m.group(4))
    assert crashes == 0, p.stdout[-4000:]
    assert cases >= 100, f"only {cases} cases found in scope: is the corpus there?"
    assert passed / cases >= 0.95, p.stdout[-4000:]
    assert p.returncode == 0
