#!/usr/bin/env bash
# bench/api.sh — wrk through nginx at 32 connections against GET /healthz (no Redis work: its
# Redis check is reused for a second) and against an authenticated Redis-backed read
# (GET /api/v1/me: token lookup plus the account document), in the same run, on a fresh stack.
# The two alternate in BENCH_SLICES slices each (BENCH_SECONDS split between them), so that both
# see the same load of a shared machine; rates are summed over the slices, and p99_ms is the
# largest of the read's slices' 99th percentiles (no lower than the whole run's).
#
#   bench/api.sh [BUILD]      BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default 32),
#                             BENCH_SLICES (default 5)
#
# Prints RESULT api healthz_rps=… read_rps=… ratio=… p99_ms=… (p99 of the read) and the
# one-minute load average before and after the two measured runs (the machine may be shared).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/default}
SECS=${BENCH_SECONDS:-15}
CONNS=${BENCH_CONNECTIONS:-32}
SLICES=${BENCH_SLICES:-5}
SLICE_S=$(python3 -c "print(max(1, round($SECS / $SLICES)))")
command -v wrk >/dev/null || { echo "bench: wrk is missing: run scripts/deps.sh" >&2; exit 1; }
# The request limit stays on (its script is part of each request's cost) but refuses nothing.
export SEAWALL_API_RATE_PER_S=10000000 SEAWALL_API_RATE_BURST=10000000
RUN=$(mktemp -d /tmp/seawall-bench-XXXXXX)
trap '"$ROOT/scripts/stack.sh" stop --dir "$RUN"; rm -rf "$RUN"' EXIT INT TERM
"$ROOT/scripts/stack.sh" start --dir "$RUN" --build "$BUILD"
# shellcheck disable=SC1091
. "$RUN/env"
cli() { (set -a; . "$RUN/env"; exec "$BUILD/bin/seawall" --config "$RUN/seawall.conf" "$@"); }
sub=$(cli subscriber create --name "Bench Exporter Co., Ltd." --country CN \
    --email bench@exporter.example --markets US --markets DE |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
token=$(cli token create --role exporter --subject "$sub" --label bench -q)

# One slice of wrk --latency output appended to a path's file.
run_wrk() {
    wrk -t2 -c"$CONNS" -d"${SLICE_S}s" --latency "$@"
}
# Requests/sec over all of a file's slices, the largest slice's 99th percentile in ms, the
# non-2xx answers and whether wrk saw socket errors.
parse() {
    python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
n = sum(int(x) for x in re.findall(r"(\d+) requests in", t))
secs = sum(float(v) * unit[u] / 1000 for v, u in re.findall(r"requests in ([\d.]+)(us|ms|s|m),", t))
p99 = max(float(v) * unit[u] for v, u in re.findall(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", t, re.M))
non2xx = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", t))
errs = re.search(r"Socket errors: (.*)", t)
print(f"{n / secs:.0f} {p99:.2f} {non2xx} {'yes' if errs else 'no'}")
PY
}
# Warm up both paths, then measure them in alternating slices.
wrk -t2 -c"$CONNS" -d2s "$BASE_URL/healthz" >/dev/null
wrk -t2 -c"$CONNS" -d2s -H "Authorization: Bearer $token" "$BASE_URL/api/v1/me" >/dev/null
load_before=$(cut -d' ' -f1 /proc/loadavg)
for _ in $(seq 1 "$SLICES"); do
    run_wrk "$BASE_URL/healthz" >>"$RUN/healthz.txt"
    run_wrk -H "Authorization: Bearer $token" "$BASE_URL/api/v1/me" >>"$RUN/read.txt"
done
load_after=$(cut -d' ' -f1 /proc/loadavg)
read -r h_rps h_p99 h_bad h_sockerr <<<"$(parse "$RUN/healthz.txt")"
read -r r_rps r_p99 r_bad r_sockerr <<<"$(parse "$RUN/read.txt")"
cat "$RUN/healthz.txt" "$RUN/read.txt" >&2
if [ "$h_bad" != 0 ] || [ "$r_bad" != 0 ]; then
    echo "bench: non-2xx answers (healthz $h_bad, read $r_bad): the figures are not valid" >&2
    exit 1
fi
ratio=$(python3 -c "print(f'{$r_rps / $h_rps:.2f}')")
echo "RESULT api healthz_rps=$h_rps read_rps=$r_rps ratio=$ratio p99_ms=$r_p99 healthz_p99_ms=$h_p99 connections=$CONNS seconds=$SECS slices=$SLICES load=$load_before..$load_after"
