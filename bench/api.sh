#!/usr/bin/env bash
# bench/api.sh — wrk through nginx at 32 connections against GET /healthz (no Redis work: its
# Redis check is reused for a second) and against an authenticated Redis-backed read
# (GET /api/v1/me: token lookup plus the account document), in the same run, on a fresh stack.
#
# Cluster mode, in the same run: a Redis Cluster of BENCH_CLUSTER_PRIMARIES (default 3)
# primaries without replicas on loopback, its nodes configured as the stack's Redis is (AOF,
# fsync always), a second seawall-api pointed at it with redis.url and a second nginx in front
# of it (the same configuration, its own port and sockets); a subscriber and token of its own,
# made with the CLI through the cluster. BENCH_CLUSTER=0 leaves it out.
#
# The three — healthz, the read on one node, the read on the cluster — alternate in
# BENCH_SLICES slices each (BENCH_SECONDS per path, split into the slices), so that all see the
# same load of a shared machine; rates are summed over the slices, and p99_ms is the largest of
# the read's slices' 99th percentiles (no lower than the whole run's).
#
# The stack runs without its workers (poller, matcher, ...), as the cluster side does: they
# poll Redis on their own and would load the single node's Redis alone. BENCH_WORKERS=1 starts
# them (the cluster side still has none).
#
#   bench/api.sh [BUILD]      BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default 32),
#                             BENCH_SLICES (default 5), BENCH_CLUSTER (default 1),
#                             BENCH_WORKERS (default 0)
#
# Prints RESULT api healthz_rps=… read_rps=… ratio=… p99_ms=… (p99 of the read)
# cluster_read_rps=… cluster_ratio=… (cluster read rate / single-node read rate)
# cluster_p99_ms=… and the one-minute load average before and after the measured runs (the
# machine may be shared).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/default}
SECS=${BENCH_SECONDS:-15}
CONNS=${BENCH_CONNECTIONS:-32}
SLICES=${BENCH_SLICES:-5}
CLUSTER=${BENCH_CLUSTER:-1}
WORKERS=${BENCH_WORKERS:-0}
PRIMARIES=${BENCH_CLUSTER_PRIMARIES:-3}
SLICE_S=$(python3 -c "print(max(1, round($SECS / $SLICES)))")
command -v wrk >/dev/null || { echo "bench: wrk is missing: run scripts/deps.sh" >&2; exit 1; }
# The request limit stays on (its script is part of each request's cost) but refuses nothing.
export SEAWALL_API_RATE_PER_S=10000000 SEAWALL_API_RATE_BURST=10000000
RUN=$(mktemp -d /tmp/seawall-bench-XXXXXX)
CPIDS=()     # what the cluster side started: Redis nodes, its seawall-api, its nginx
stop_cluster() {
    local p
    for p in "${CPIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${CPIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
        kill -9 "$p" 2>/dev/null || true
    done
}
trap 'stop_cluster; "$ROOT/scripts/stack.sh" stop --dir "$RUN"; rm -rf "$RUN"' EXIT INT TERM
if [ "$WORKERS" = 1 ]; then
    "$ROOT/scripts/stack.sh" start --dir "$RUN" --build "$BUILD"
else
    SEAWALL_WORKERS="" "$ROOT/scripts/stack.sh" start --dir "$RUN" --build "$BUILD"
fi
# shellcheck disable=SC1091
. "$RUN/env"
cli() { (set -a; . "$RUN/env"; exec "$BUILD/bin/seawall" --config "$RUN/seawall.conf" "$@"); }
# A subscriber and its token through whichever Redis the CLI's environment names.
make_token() {
    local sub
    sub=$("$@" subscriber create --name "Bench Exporter Co., Ltd." --country CN \
        --email bench@exporter.example --markets US --markets DE |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    "$@" token create --role exporter --subject "$sub" --label bench -q
}
token=$(make_token cli)

wait_for() {   # wait_for SECONDS WHAT COMMAND...: polls every 50 ms
    local secs=$1 what=$2; shift 2
    local deadline=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
    until "$@" >/dev/null 2>&1; do
        if [ $(( $(date +%s%N) / 1000000 )) -ge "$deadline" ]; then
            echo "bench: $what not ready after ${secs}s" >&2
            return 1
        fi
        sleep 0.05
    done
}

# The cluster side: nodes, then the API on it, then nginx in front of that API.
if [ "$CLUSTER" = 1 ]; then
    C=$RUN/cluster
    mkdir -p "$C/logs" "$C/nginx" "$C/private"
    nodes=()
    for i in $(seq 1 "$PRIMARIES"); do
        port=$(python3 "$ROOT/scripts/free_port.py" --bus)
        while printf '%s\n' "${nodes[@]}" | grep -qx "127.0.0.1:$port"; do
            port=$(python3 "$ROOT/scripts/free_port.py" --bus)
        done
        mkdir -p "$C/node-$port"
        redis-server --port "$port" --bind 127.0.0.1 --dir "$C/node-$port" \
            --cluster-enabled yes --cluster-config-file nodes.conf --appendonly yes \
            --appendfsync always --save "" --logfile "$C/node-$port/redis.log" \
            </dev/null >/dev/null 2>&1 &
        CPIDS+=($!)
        nodes+=("127.0.0.1:$port")
        wait_for 15 "redis-server on $port" \
            bash -c "[ \"\$(redis-cli -h 127.0.0.1 -p $port ping)\" = PONG ]"
    done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$C/create.log"
    for n in "${nodes[@]}"; do
        wait_for 30 "cluster node $n" bash -c \
            "redis-cli -h ${n%:*} -p ${n#*:} cluster info | grep -q cluster_state:ok"
    done
    CURL="redis://$(IFS=,; echo "${nodes[*]}")"
    CPORT=$(python3 "$ROOT/scripts/free_port.py")
    CSOCK=$SEAWALL_PUBLIC_DIR/api-cluster.sock
    sed -e "s|^api.listen = .*|api.listen = $CSOCK|" \
        -e "s|^live.socket = .*|live.socket = $C/private/live.sock|" \
        -e "/^redis\.\(host\|port\) = /d" "$RUN/seawall.conf" >"$C/seawall.conf"
    echo "redis.url = $CURL" >>"$C/seawall.conf"
    ccli() {
        (set -a; . "$RUN/env"; unset SEAWALL_REDIS_HOST SEAWALL_REDIS_PORT
         SEAWALL_REDIS_URL=$CURL SEAWALL_API_LISTEN=$CSOCK
         exec "$BUILD/bin/seawall" --config "$C/seawall.conf" "$@")
    }
    (set -a; . "$RUN/env"; unset SEAWALL_REDIS_HOST SEAWALL_REDIS_PORT
     SEAWALL_REDIS_URL=$CURL SEAWALL_API_LISTEN=$CSOCK
     exec "$BUILD/bin/seawall-api" --config "$C/seawall.conf") \
        >>"$C/logs/seawall-api.log" 2>&1 </dev/null &
    CPIDS+=($!)
    wait_for 15 "seawall-api on the cluster" test -S "$CSOCK"
    user_line=""
    [ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
    sed -e "s|@RUN@|$C|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$CPORT|g" \
        -e "s|@PUBLIC@|$SEAWALL_PUBLIC_DIR|g" -e "s|@SOCKET@|$CSOCK|g" -e "s|@USER_LINE@|$user_line|" \
        -e "s|@BODY_MAX_NGINX@|16m|" -e "s|@LIVE_SOCKET@|$C/private/live.sock|" \
        -e "s|@SSE_HEARTBEAT_S@|15|" "$ROOT/nginx/seawall.conf.in" >"$C/nginx.conf"
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    "$nginx_bin" -p "$C/nginx" -c "$C/nginx.conf" -e "$C/logs/nginx-error.log" \
        -g "daemon off;" </dev/null >/dev/null 2>&1 &
    CPIDS+=($!)
    CBASE="http://127.0.0.1:$CPORT"
    wait_for 15 "nginx on the cluster's API" \
        bash -c "curl -sf --max-time 5 $CBASE/healthz | grep -q '\"redis\":\"up\"'"
    ctoken=$(make_token ccli)
fi

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
# Both reads answer the subscriber's account (not some quicker refusal).
check_me() {
    curl -sf --max-time 5 -H "Authorization: Bearer $2" "$1/api/v1/me" |
        grep -q '"name": *"Bench Exporter Co., Ltd."' ||
        { echo "bench: GET $1/api/v1/me does not answer the bench's account" >&2; exit 1; }
}
check_me "$BASE_URL" "$token"
[ "$CLUSTER" = 1 ] && check_me "$CBASE" "$ctoken"
# Warm up every path, then measure them in alternating slices.
wrk -t2 -c"$CONNS" -d2s "$BASE_URL/healthz" >/dev/null
wrk -t2 -c"$CONNS" -d2s -H "Authorization: Bearer $token" "$BASE_URL/api/v1/me" >/dev/null
[ "$CLUSTER" = 1 ] &&
    wrk -t2 -c"$CONNS" -d2s -H "Authorization: Bearer $ctoken" "$CBASE/api/v1/me" >/dev/null
load_before=$(cut -d' ' -f1 /proc/loadavg)
for i in $(seq 1 "$SLICES"); do
    run_wrk "$BASE_URL/healthz" >>"$RUN/healthz.txt"
    # The two reads take turns at going first, so neither always follows healthz.
    if [ "$CLUSTER" = 1 ] && [ $((i % 2)) = 0 ]; then
        run_wrk -H "Authorization: Bearer $ctoken" "$CBASE/api/v1/me" >>"$RUN/cluster.txt"
    fi
    run_wrk -H "Authorization: Bearer $token" "$BASE_URL/api/v1/me" >>"$RUN/read.txt"
    if [ "$CLUSTER" = 1 ] && [ $((i % 2)) = 1 ]; then
        run_wrk -H "Authorization: Bearer $ctoken" "$CBASE/api/v1/me" >>"$RUN/cluster.txt"
    fi
done
load_after=$(cut -d' ' -f1 /proc/loadavg)
read -r h_rps h_p99 h_bad h_sockerr <<<"$(parse "$RUN/healthz.txt")"
read -r r_rps r_p99 r_bad r_sockerr <<<"$(parse "$RUN/read.txt")"
cat "$RUN/healthz.txt" "$RUN/read.txt" >&2
c_bad=0 cluster=""
if [ "$CLUSTER" = 1 ]; then
    read -r c_rps c_p99 c_bad c_sockerr <<<"$(parse "$RUN/cluster.txt")"
    cat "$RUN/cluster.txt" >&2
    c_ratio=$(python3 -c "print(f'{$c_rps / $r_rps:.2f}')")
    cluster=" cluster_read_rps=$c_rps cluster_ratio=$c_ratio cluster_p99_ms=$c_p99 cluster_primaries=$PRIMARIES"
fi
if [ "$h_bad" != 0 ] || [ "$r_bad" != 0 ] || [ "$c_bad" != 0 ]; then
    echo "bench: non-2xx answers (healthz $h_bad, read $r_bad, cluster read $c_bad): the figures are not valid" >&2
    exit 1
fi
ratio=$(python3 -c "print(f'{$r_rps / $h_rps:.2f}')")
echo "RESULT api healthz_rps=$h_rps read_rps=$r_rps ratio=$ratio p99_ms=$r_p99 healthz_p99_ms=$h_p99$cluster connections=$CONNS seconds=$SECS slices=$SLICES workers=$WORKERS load=$load_before..$load_after"
