#!/usr/bin/env bash
# bench/api.sh — wrk through nginx at 32 connections against GET /healthz (no Redis work: its
# Redis check is reused for a second) and against an authenticated Redis-backed read
# (GET /api/v1/me: token lookup plus the account document), in the same run, on a fresh stack.
#
#   bench/api.sh [BUILD]      BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default 32)
#
# Prints RESULT api healthz_rps=… read_rps=… ratio=… p99_ms=… (p99 of the read) and the
# one-minute load average before and after the two measured runs (the machine may be shared).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/default}
SECS=${BENCH_SECONDS:-15}
CONNS=${BENCH_CONNECTIONS:-32}
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

# Requests/sec and the 99th percentile in ms from wrk --latency output.
run_wrk() {
    wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" | tee -a "$RUN/wrk.txt"
}
parse() {
    python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", t, re.M)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
errs = re.search(r"Socket errors: (.*)", t)
print(f"{rps:.0f} {p99:.2f} {non2xx.group(1) if non2xx else 0} {'yes' if errs else 'no'}")
PY
}
# Warm up both paths, then measure them back to back.
wrk -t2 -c"$CONNS" -d2s "$BASE_URL/healthz" >/dev/null
wrk -t2 -c"$CONNS" -d2s -H "Authorization: Bearer $token" "$BASE_URL/api/v1/me" >/dev/null
load_before=$(cut -d' ' -f1 /proc/loadavg)
run_wrk "$BASE_URL/healthz" >"$RUN/healthz.txt"
run_wrk -H "Authorization: Bearer $token" "$BASE_URL/api/v1/me" >"$RUN/read.txt"
load_after=$(cut -d' ' -f1 /proc/loadavg)
read -r h_rps h_p99 h_bad h_sockerr <<<"$(parse "$RUN/healthz.txt")"
read -r r_rps r_p99 r_bad r_sockerr <<<"$(parse "$RUN/read.txt")"
cat "$RUN/healthz.txt" "$RUN/read.txt" >&2
if [ "$h_bad" != 0 ] || [ "$r_bad" != 0 ]; then
    echo "bench: non-2xx answers (healthz $h_bad, read $r_bad): the figures are not valid" >&2
    exit 1
fi
ratio=$(python3 -c "print(f'{$r_rps / $h_rps:.2f}')")
echo "RESULT api healthz_rps=$h_rps read_rps=$r_rps ratio=$ratio p99_ms=$r_p99 healthz_p99_ms=$h_p99 connections=$CONNS seconds=$SECS load=$load_before..$load_after"
