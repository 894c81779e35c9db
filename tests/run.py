#!/usr/bin/env python3
"""Seawall's test runner: the C unit tests (cmocka, TAP output), then the integration tests
against one real stack (Redis, seawall-api, nginx) started by scripts/stack.sh in a temporary
folder and stopped, by pid, however the run ends, then the browser tests (the portal in
Debian's headless Chromium, driven by Debian's python3-selenium) against the same stack. The
last line is "N passed, N failed".

    tests/run.py --build build/default [--only GROUP[,GROUP...]] [--jobs N]
                 [-k SUBSTRING] [--sanitizer address,undefined]
                 [--faults EVENTS] [--multihost EVENTS] [--fuzz build/fuzz --fuzz-seconds N]
                 [--screenshots FOLDER]

The browser tests need python3-selenium, which only Debian's own Python sees: run under
another Python, the runner starts itself again with /usr/bin/python3.

With --screenshots, the runner starts the stack, seeds the portal's data and saves every page
at 390x844 and 1366x768 in Chinese and English into FOLDER (make screenshots); no tests run.

With --jobs N (make test passes TEST_JOBS), the groups run as N runner processes at a time,
each with its own stack: unit+catalogue+feeds, integration, the browser tests in N-1 shards,
the fault run, the fuzz targets. Each shard's output is printed whole when it ends; the last line
adds them up. Most of a test's time is spent waiting (on the stack, on Chromium), so on two
cores three shards at once end in about half the time of one after another.

With --faults, the fault run (tests/faults/run.py) with that many events is one result; with
--multihost, the multi-host run (tests/cluster/multihost.py, as root) likewise.

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


def run_source(res, pattern):
    """Checks of the source itself: lib/ owns every key and script (tests/source/)."""
    run_tests(load_modules("source", pattern), None, res)


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
                    groups=("integration",), screenshots=None, shard=""):
    """The groups' tests (integration, browser) against one stack; with screenshots (a
    folder), the portal's pages saved there instead of any test. shard "I/N": of the browser
    modules, only those of shard I."""
    mods = [m for g in groups for m in load_modules(g, pattern)]
    if shard:
        i, n = (int(x) for x in shard.split("/"))
        mine = browser_shards(n)[i - 1]
        mods = [m for m in mods if not m[0].__name__.startswith("browser_")
                or m[0].__name__[len("browser_"):] in mine]
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


def run_multihost(build, res, events):
    """The multi-host run (tests/cluster/multihost.py) as one result: its RESULT line, or its
    output. It needs root and `ip netns`; without them it says so (exit 2) and fails here."""
    try:
        p = subprocess.run([sys.executable, os.path.join(HERE, "cluster", "multihost.py"),
                            "--build", build, "--events", str(events), "--quiet"],
                           capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        res.fail("multihost", "the multi-host run went on past 900 s and was stopped")
        return
    result = [l for l in p.stdout.splitlines() if l.startswith("RESULT ")]
    if p.returncode == 0 and result:
        res.ok(f"multihost ({result[0][len('RESULT '):]})")
    else:
        res.fail("multihost", (p.stdout + p.stderr)[-6000:])


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


GROUPS = ["unit", "source", "catalogue", "feeds", "integration", "browser", "faults", "multihost", "fuzz"]

# Seconds each browser module took in a run of the browser group alone on two cores (the
# shards are balanced by these; a module not listed counts as 20).
BROWSER_SECONDS = {"test_ws_inbox": 56, "test_ws_channels": 54, "test_console_stats": 34,
                   "test_public": 33, "test_ws_portfolio": 32, "test_console_queue": 22,
                   "test_forms": 19, "test_console_case": 18, "test_ws_cases": 16,
                   "test_ws_account": 15, "test_console_bulletins": 14, "test_journey": 12,
                   "test_ws_team": 8, "test_catalogue": 1, "test_ws_screening": 50, "test_assoc": 48,
                   "test_ws_insurance": 32}


def browser_shards(n):
    """The browser modules in n lists of about equal time, the same lists on every run."""
    names = sorted(os.path.splitext(os.path.basename(p))[0]
                   for p in glob.glob(os.path.join(HERE, "browser", "test_*.py")))
    names.sort(key=lambda m: -BROWSER_SECONDS.get(m, 20))
    shards = [[] for _ in range(n)]
    for m in names:
        min(shards, key=lambda sh: sum(BROWSER_SECONDS.get(x, 20) for x in sh)).append(m)
    return shards


def run_sharded(args, build):
    """Runs the wanted groups as shards, args.jobs runner processes at a time; prints each
    shard's output when it ends and the sum last. Returns the exit status."""
    def wanted(g):
        return (args.only is None or g in args.only) and g not in args.skip
    common = ["--build", build]
    if args.pattern:
        common += ["-k", args.pattern]
    if args.sanitizer:
        common += ["--sanitizer", args.sanitizer]
    if args.valgrind:
        common += ["--valgrind"]
    shards = []          # (name, arguments), the longest first
    nb = max(1, args.jobs - 1) if wanted("browser") else 0
    for i in range(1, nb + 1):
        shards.append((f"browser {i}/{nb}", ["--only", "browser", "--shard", f"{i}/{nb}"]))
    if wanted("integration"):
        shards.append(("integration", ["--only", "integration"]))
    if args.fuzz and wanted("fuzz"):
        shards.append(("fuzz", ["--only", "fuzz", "--fuzz", args.fuzz,
                                "--fuzz-seconds", str(args.fuzz_seconds)]))
    if args.faults and wanted("faults"):
        shards.append(("faults", ["--only", "faults", "--faults", str(args.faults)]))
    if args.multihost and wanted("multihost"):
        shards.append(("multihost", ["--only", "multihost", "--multihost",
                                     str(args.multihost)]))
    small = [g for g in ("unit", "source", "catalogue", "feeds") if wanted(g)]
    if small:
        shards.append(("+".join(small), ["--only", ",".join(small)]))
    me = [sys.executable, os.path.abspath(__file__)]
    waiting = list(shards)
    running = {}          # Popen -> (name, output file, start)
    passed = failed = 0
    failures = []
    stopping = []

    def on_signal(signum, _frame):
        stopping.append(signum)
        for p in running:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    t0 = time.monotonic()
    print(f"(running {len(shards)} shards, {args.jobs} at a time: "
          f"{', '.join(n for n, _ in shards)})", flush=True)
    while waiting or running:
        while waiting and len(running) < args.jobs and not stopping:
            name, extra = waiting.pop(0)
            out = tempfile.TemporaryFile(mode="w+", prefix="seawall-shard-")
            p = subprocess.Popen(me + common + extra, stdout=out, stderr=subprocess.STDOUT)
            running[p] = (name, out, time.monotonic())
            print(f"(shard {name}: started)", flush=True)
        if stopping:
            waiting.clear()
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        done = [p for p in running if p.pid == pid]
        if not done:
            continue
        p = done[0]
        p.returncode = os.waitstatus_to_exitcode(status)
        name, out, started = running.pop(p)
        out.seek(0)
        text = out.read()
        out.close()
        print(f"\n=== shard {name} ({time.monotonic() - started:.0f} s, exit {p.returncode})",
              flush=True)
        print(text, end="" if text.endswith("\n") else "\n", flush=True)
        sums = re.findall(r"^(\d+) passed, (\d+) failed$", text, re.M)
        if sums:
            passed += int(sums[-1][0])
            failed += int(sums[-1][1])
            m = re.search(r"^failed:\n((?:  .*\n?)+)", text, re.M)
            if m:
                failures += [l.strip() for l in m.group(1).splitlines() if l.strip()]
        else:
            failed += 1
            failures.append(f"shard {name} (ended with exit {p.returncode} before its summary)")
    if stopping:
        print(f"(stopped by signal {stopping[0]})")
        return 128 + stopping[0]
    print(f"\n(all shards in {time.monotonic() - t0:.0f} s)")
    if failures:
        print("\nfailed:")
        for name in failures:
            print(f"  {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "default"))
    ap.add_argument("--only", default=None,
                    help="a group or a comma-separated list of groups: " + ", ".join(GROUPS))
    ap.add_argument("--jobs", type=int, default=1,
                    help="run the groups as this many runner processes at a time")
    ap.add_argument("--shard", default="",
                    help="I/N: only the browser modules of shard I of N (--jobs sets this)")
    ap.add_argument("--screenshots", default="",
                    help="save the portal's pages into this folder instead of testing")
    ap.add_argument("--fuzz", default="", help="folder of the libFuzzer build")
    ap.add_argument("--fuzz-seconds", type=int, default=2)
    ap.add_argument("--faults", type=int, default=0,
                    help="events for the fault run (tests/faults/run.py); 0: none")
    ap.add_argument("--multihost", type=int, default=0,
                    help="events for the multi-host run (tests/cluster/multihost.py, as root); "
                         "0: none")
    ap.add_argument("--skip", action="append", default=[],
                    choices=["unit", "source", "catalogue", "feeds", "integration", "browser"],
                    help="leave a group out (.ci/run's sanitizer pass leaves out the browser "
                         "group, which the plain pass runs)")
    ap.add_argument("-k", dest="pattern", default="")
    ap.add_argument("--sanitizer", default="")
    ap.add_argument("--valgrind", action="store_true",
                    help="run seawall-api under valgrind's memcheck; fail on any error")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    only = None
    if args.only:
        only = args.only.split(",")
        bad = [g for g in only if g not in GROUPS]
        if bad:
            ap.error(f"--only: unknown group {bad[0]!r} (groups: {', '.join(GROUPS)})")
    args.only = only
    if args.jobs > 1 and not args.screenshots:
        sys.exit(run_sharded(args, build))
    def wanted(g):
        return (args.only is None or g in args.only) and g not in args.skip
    browser = args.screenshots or wanted("browser")
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
    if wanted("unit"):
        run_unit(build, res, args.pattern)
    if wanted("source"):
        run_source(res, args.pattern)
    if wanted("catalogue"):
        run_catalogue(build, res, args.pattern)
    if wanted("feeds"):
        run_feeds(build, res, args.pattern)
    groups = [g for g in ("integration", "browser") if wanted(g)]
    if "browser" in groups and not selenium_here():
        res.fail("browser", "python3-selenium is missing (Debian's, for /usr/bin/python3): "
                 "run scripts/deps.sh")
        groups.remove("browser")
    if groups:
        run_integration(build, res, args.pattern, args.sanitizer, args.valgrind, groups,
                        shard=args.shard)
    if args.faults and wanted("faults"):
        run_faults(build, res, args.faults)
    if args.multihost and wanted("multihost"):
        run_multihost(build, res, args.multihost)
    if args.fuzz and wanted("fuzz"):
        run_fuzz(os.path.abspath(args.fuzz), res, args.pattern, args.fuzz_seconds)
    if res.failures:
        print("\nfailed:")
        for name, _ in res.failures:
            print(f"  {name}")
    print(f"{res.passed} passed, {res.failed} failed")
    sys.exit(1 if res.failed or res.passed == 0 else 0)


if __name__ == "__main__":
    main()
