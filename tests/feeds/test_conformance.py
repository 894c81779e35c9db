"""The feedparser conformance corpus: no crash on any file, the item fields Seawall extracts
agree on 140 of the 142 cases about them (the figure reached; 139 before the lenient reader),
and of its ill-formed ("bozo") cases 10 of the 14 with items yield the right items and all 12
without a complete item yield none (tests/feeds/conformance.py; README "Feeds")."""
import os
import re
import subprocess
import sys


def test_conformance_corpus(f):
    script = os.path.join(f.root, "tests", "feeds", "conformance.py")
    p = subprocess.run([sys.executable, script, "--build", f.build, "--verbose"],
                       capture_output=True, text=True, timeout=900)
    last = p.stdout.strip().splitlines()[-1]
    m = re.fullmatch(r"RESULT conformance cases=(\d+) passed=(\d+) rate=([\d.]+) crashes=(\d+)"
                     r" bozo_items=(\d+)/(\d+) bozo_empty=(\d+)/(\d+)", last)
    assert m, p.stdout[-2000:] + p.stderr[-2000:]
    cases, passed, crashes = int(m.group(1)), int(m.group(2)), int(m.group(4))
    bozo_right, bozo_items, bozo_empty, bozo_none = (int(m.group(i)) for i in range(5, 9))
    assert crashes == 0, p.stdout[-4000:]
    assert cases == 142, f"{cases} cases found in scope: is the whole corpus there?"
    assert passed >= 140, p.stdout[-4000:]
    assert (bozo_items, bozo_none) == (14, 12), p.stdout[-4000:]
    assert bozo_right >= 10 and bozo_empty == 12, p.stdout[-4000:]
    assert p.returncode == 0
