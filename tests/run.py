#!/usr/bin/env python3
"""Seawall's test runner: the C unit tests (cmocka, TAP output), then the integration tests
against one real stack (Redis, seawall-api, nginx) started by scripts/stack.sh in a temporary
folder and stopped, by pid, however the run ends, then the browser tests (the portal in
Debian's headless Chromium, driven by Debian's python3-selenium) against the same stack. The
last line is "N passed, N failed".

    tests/run.py --build build/default [--only unit|catalogue|feeds|integration|browser|faults|fuzz]
                 [-k SUBSTRING] [--sanitizer address,undefined]
                 [--faults EVENTS] [--fuzz build/fuzz --fuzz-seconds N]
                 [--screenshots FOLDER]

The browser tests need python3-selenium, which only Debian's own Python sees: run under
another Python, the runner starts itself again with /usr/bin/python3.

With --screenshots, the runner starts the stack, seeds the portal's data and saves every page
at 390x844 and 1366x768 in Chinese and English into FOLDER (make screenshots); no tests run.

With --faults, the fault run (tests/faults/run.py) with that many events is one result.

With --fuzz, every libFuzzer target there replays its kept inputs and seeds and mutates for
N seconds (tests/fuzz/run.py), each target one result.
"""
import argparse
import glob
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "integration"))
sys.path.insert(0, os.path.join(HERE, "feeds"))
sys.path.insert(0, os.path.join(HERE, "catalogue"))
sys.path.insert(0, os.path.join(HERE, "browser"))
SYSTEM_PYTHON = "/usr/bin/python3"

import cataloguelib  # noqa: E402
import feedlib  # noqa: E402
import harness  # noqa: E402


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []

    def ok(self, name):
        self.passed += 1
        print(f"ok   {name}", flush=True)

    def fail(self, name, why):
        self.failed += 1
        self.failures.append((name, why))
        print(f"FAIL {name}\n{why}", flush=True)


def run_unit(build, res, pattern):
    bins = sorted(glob.glob(os.path.join(build, "tests", "test_*")))
    bins = [b for b in bins if os.access(b, os.X_OK) and not b.endswith((".o", ".d"))]
    if not bins:
        res.fail("unit", f"no unit test programs in {build}/tests (run make)")
        return
    for b in bins:
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP", SEAWALL_SOURCE_ROOT=ROOT)
        try:
            p = subprocess.run([b], capture_output=True, text=True, env=env, timeout=TEST_LIMIT)
        except subprocess.TimeoutExpired as e:
            res.fail(f"unit/{os.path.basename(b)}", f"ran past {TEST_LIMIT} s and was stopped\n"
                     f"{(e.stdout or b'')[-2000:]!r}")
            continue
        seen = 0
        for line in p.stdout.splitlines():
            if line.startswith("ok ") or line.startswith("not ok "):
                name = line.split(" - ", 1)[-1].strip()
                full = f"unit/{os.path.basename(b)}/{name}"
                if pattern and pattern not in full:
                    continue
                seen += 1
                if line.startswith("ok "):
                    res.ok(full)
                else:
                    res.fail(full, p.stdout[-2000:] + p.stderr[-2000:])
        if p.returncode != 0 and seen == 0:
            res.fail(f"unit/{os.path.basename(b)}",
                     f"exit {p.returncode}\n{p.stdout[-2000:]}{p.stderr[-2000:]}")


def load_modules(folder, pattern):
    mods = []
    for path in sorted(glob.glob(os.path.join(HERE, folder, "test_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(f"{folder}_{name}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        tests = [(f"{folder}/{name}/{t}", getattr(mod, t))
                 for t in sorted(dir(mod)) if t.startswith("test_")]
        mods.append((mod, [t for t in tests if not pattern or pattern in t[0]]))
    return mods


class TestTimedOut(Exception):
    pass


def _on_alarm(_signum, _frame):
    raise TestTimedOut(f"the test ran past its limit of {TEST_LIMIT} s (SEAWALL_TEST_LIMIT); "
                       "the traceback shows where it was waiting")


# One test that waits forever would stop the whole run (and CI with it): each test gets a
# limit, far above what any takes (the longest takes under a minute under valgrind), after
# which it fails with the place it was waiting and the run goes on.
TEST_LIMIT = int(os.environ.get("SEAWALL_TEST_LIMIT", "300"))


def run_tests(mods, ctx, res, context=lambda: "", after=None):
    """Runs each test with ctx (context() is added to a failure's report, after(name) runs
    after each test and returns False when something broke past the test); returns True when
    all passed. A test past TEST_LIMIT seconds fails with its traceback."""
    ok = True
    signal.signal(signal.SIGALRM, _on_alarm)
    for _, tests in mods:
        for name, fn in tests:
            t0 = time.monotonic()
            signal.alarm(TEST_LIMIT)
            try:
                fn(ctx)
                signal.alarm(0)
                res.ok(f"{name} ({time.monotonic() - t0:.1f}s)")
            except Exception:
                signal.alarm(0)
                res.fail(name, traceback.format_exc() + context())
                ok = False
            if after is not None and after(name) is False:
                ok = False
    return ok


def run_feeds(build, res, pattern):
    """Parser tests: the real sample files, hostile documents, the conformance corpus."""
    run_tests(load_modules("feeds", pattern), feedlib.Feeds(ROOT, build), res)


def run_catalogue(build, res, pattern):
    """The message catalogue: the template extracted afresh into the build folder, every
    message translated in every language alike, broken catalogues refused at start."""
    run_tests(load_modules("catalogue", pattern), cataloguelib.Catalogue(ROOT, build), res)


def sanitizer_reports(run_dir):
    """Reports that AddressSanitizer/UBSan/LeakSanitizer wrote in the run folder."""
    out = []
    for f in sorted(glob.glob(os.path.join(run_dir, "logs", "sanitizer.*"))):
        with open(f, errors="replace") as fh:
            text = fh.read()
        if text.strip():
            out.append(f"{f}:\n{text[:4000]}")
    return out


def valgrind_reports(run_dir):
    """The API's memcheck logs that report errors (make test-valgrind)."""
    out = []
    for f in sorted(glob.glob(os.path.join(run_dir, "logs", "valgrind.*"))):
        with open(f, errors="replace") as fh:
            text = fh.read()
        m = re.search(r"ERROR SUMMARY: (\d+) errors", text)
        if m is not None:
            bad = int(m.group(1)) > 0
        else:   # killed before its summary (a test SIGKILLs API processes): errors are
            bad = re.search(r"Invalid (read|write|free)|Conditional jump|uninitialised|"
                            r"Syscall param|Mismatched|overlap|definitely lost", text)
        if bad:
            out.append(f"{f}:\n{text[-6000:]}")
    return out


def selenium_here():
    return importlib.util.find_spec("selenium") is not None


def run_integration(build, res, pattern, sanitizer, valgrind=False,
                    groups=("integration",), screenshots=None):
    """The groups' tests (integration, browser) against one stack; with screenshots (a
    folder), the portal's pages saved there instead of any test."""
    mods = [m for g in groups for m in load_modules(g, pattern)]
    if not screenshots and not any(tests for _, tests in mods):
        return
    run_dir = tempfile.mkdtemp(prefix="seawall-test-")
    os.makedirs(os.path.join(run_dir, "logs"), exist_ok=True)
    if sanitizer:
        log = os.path.join(run_dir, "logs", "sanitizer")
        os.environ["ASAN_OPTIONS"] = f"log_path={log}:detect_leaks=1:abort_on_error=0"
        os.environ["UBSAN_OPTIONS"] = f"log_path={log}:print_stacktrace=1:halt_on_error=1"
        os.environ["LSAN_OPTIONS"] = f"log_path={log}"
    if valgrind:
        os.environ["SEAWALL_API_VALGRIND"] = "1"
    stack = harness.Stack(ROOT, build, run_dir)

    def on_signal(signum, _frame):
        stack.stop()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    keep = False
    try:
        try:
            stack.start()
        except Exception as e:  # the stack is the precondition of every test below
            res.fail("integration/stack-start", f"{e}\n{stack.logs_tail()}")
            keep = True
            return
        def after(name):
            # A process that died is reported once, with its log, and started again, so the
            # tests after it meet a whole stack instead of failing one by one with 503s.
            died = stack.ensure_running()
            for proc in died:
                res.fail(f"integration/{proc}-died", f"{proc} ended during or after {name}; "
                         f"it was started again for the next tests.\n{stack.logs_tail(60)}")
            return not died

        if screenshots:
            import shots
            try:
                for name in shots.save_all(stack, screenshots):
                    res.ok(f"screenshots/{name}")
            except Exception:
                res.fail("screenshots", traceback.format_exc() + stack.logs_tail())
                keep = True
        else:
            keep = not run_tests(mods, stack, res, stack.logs_tail, after)
    finally:
        stack.stop()
        reports = sanitizer_reports(run_dir)
        if reports:
            res.fail("integration/sanitizer-clean", "\n".join(reports))
            keep = True
        elif sanitizer:
            res.ok("integration/sanitizer-clean")
        if valgrind:
            vg = valgrind_reports(run_dir)
            if vg or not glob.glob(os.path.join(run_dir, "logs", "valgrind.*")):
                res.fail("integration/valgrind-clean", "\n".join(vg) or "no valgrind log")
                keep = True
            else:
                res.ok("integration/valgrind-clean")
        if keep:
            # The logs (valgrind's and sanitizers' reports among them) also go into the
            # checkout's build folder, which outlives a temporary folder and a CI machine's /tmp.
            saved = os.path.join(ROOT, "build", "test-logs", os.path.basename(run_dir))
            shutil.copytree(os.path.join(run_dir, "logs"), saved, dirs_exist_ok=True)
            print(f"(run folder kept for inspection: {run_dir}; its logs copied to {saved})")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)


def run_faults(build, res, events):
    """The fault run (tests/faults/run.py) as one result: its RESULT line, or its output."""
    try:
        p = subprocess.run([sys.executable, os.path.join(HERE, "faults", "run.py"), "--build",
                            build, "--events", str(events), "--quiet"], capture_output=True,
                           text=True, timeout=1200)
    except subprocess.TimeoutExpired:
        res.fail("faults", "the fault run went on past 1200 s and was stopped")
        return
    result = [l for l in p.stdout.splitlines() if l.startswith("RESULT faults")]
    if p.returncode == 0 and result:
        res.ok(f"faults ({result[0][len('RESULT faults '):]})")
    else:
        res.fail("faults", (p.stdout + p.stderr)[-6000:])


def run_fuzz(build, res, pattern, seconds):
    spec = importlib.util.spec_from_file_location("fuzzrun", os.path.join(HERE, "fuzz", "run.py"))
    fuzzrun = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzzrun)
    for target in fuzzrun.SEEDS:
        name = f"fuzz/{target}"
        if pattern and pattern not in name:
            continue
        ok, what = fuzzrun.run(build, target, seconds)
        if ok:
            res.ok(f"{name} ({what})")
        else:
            res.fail(name, what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "default"))
    ap.add_argument("--only", choices=["unit", "catalogue", "feeds", "integration", "browser",
                                       "faults", "fuzz"])
    ap.add_argument("--screenshots", default="",
                    help="save the portal's pages into this folder instead of testing")
    ap.add_argument("--fuzz", default="", help="folder of the libFuzzer build")
    ap.add_argument("--fuzz-seconds", type=int, default=2)
    ap.add_argument("--faults", type=int, default=0,
                    help="events for the fault run (tests/faults/run.py); 0: none")
    ap.add_argument("--skip", action="append", default=[],
                    choices=["unit", "catalogue", "feeds", "integration", "browser"],
                    help="leave a group out (.ci/run's sanitizer pass leaves out the browser "
                         "group, which the plain pass runs)")
    ap.add_argument("-k", dest="pattern", default="")
    ap.add_argument("--sanitizer", default="")
    ap.add_argument("--valgrind", action="store_true",
                    help="run seawall-api under valgrind's memcheck; fail on any error")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    browser = args.screenshots or (args.only in (None, "browser") and "browser" not in args.skip)
    if browser and not selenium_here() and os.path.realpath(sys.executable) != \
            os.path.realpath(SYSTEM_PYTHON) and os.access(SYSTEM_PYTHON, os.X_OK):
        print(f"(the browser tests need Debian's python3-selenium: running under {SYSTEM_PYTHON})",
              flush=True)
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    res = Results()
    if args.screenshots:
        if not selenium_here():
            res.fail("screenshots", "python3-selenium is missing: run scripts/deps.sh")
        else:
            run_integration(build, res, "", args.sanitizer,
                            screenshots=os.path.abspath(args.screenshots))
        print(f"{res.passed} passed, {res.failed} failed")
        sys.exit(1 if res.failed or res.passed == 0 else 0)
    if args.only in (None, "unit") and "unit" not in args.skip:
        run_unit(build, res, args.pattern)
    if args.only in (None, "catalogue") and "catalogue" not in args.skip:
        run_catalogue(build, res, args.pattern)
    if args.only in (None, "feeds") and "feeds" not in args.skip:
        run_feeds(build, res, args.pattern)
    groups = [g for g in ("integration", "browser")
              if args.only in (None, g) and g not in args.skip]
    if "browser" in groups and not selenium_here():
        res.fail("browser", "python3-selenium is missing (Debian's, for /usr/bin/python3): "
                 "run scripts/deps.sh")
        groups.remove("browser")
    if groups:
        run_integration(build, res, args.pattern, args.sanitizer, args.valgrind, groups)
    if args.faults and args.only in (None, "faults"):
        run_faults(build, res, args.faults)
    if args.fuzz and args.only in (None, "fuzz"):
        run_fuzz(os.path.abspath(args.fuzz), res, args.pattern, args.fuzz_seconds)
    if res.failures:
        print("\nfailed:")
        for name, _ in res.failures:
            print(f"  {name}")
    print(f"{res.passed} passed, {res.failed} failed")
    sys.exit(1 if res.failed or res.passed == 0 else 0)


if __name__ == "__main__":
    main()
