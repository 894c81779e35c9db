#!/bin/sh
# screen.sh — make bench-screen: starts PostgreSQL 15 (the peer) in a temporary folder on a
# free loopback port, runs screen-bench against it and stops it by its pid, whatever happens.
# Usage: bench/screen.sh BUILD   (BENCH_SCREEN_MARKS, default 5000000; PG_THRESHOLD, 0.3)
# As root, PostgreSQL runs as nobody (initdb refuses root); the folder is made for it.
set -eu
BUILD=${1:-build/default}
MARKS=${BENCH_SCREEN_MARKS:-5000000}
PGBIN=/usr/lib/postgresql/15/bin
if [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
    echo "bench-screen: PostgreSQL 15 is not installed: run scripts/deps.sh --bench" >&2
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/seawall-screen.XXXXXX")
chmod 755 "$tmp"
runas=""
if [ "$(id -u)" -eq 0 ]; then
    chown nobody "$tmp"
    runas="runuser -u nobody --"
fi
pid=""
stop() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -INT "$pid" 2>/dev/null || true   # fast shutdown
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do
            sleep 0.1
            i=$((i + 1))
        done
    fi
    rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT TERM
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$runas "$PGBIN/initdb" -D "$tmp/data" -U bench -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
$runas "$PGBIN/pg_ctl" -D "$tmp/data" -l "$tmp/postgresql.log" -w -t 60 \
    -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c shared_buffers=1GB -c maintenance_work_mem=1GB \
        -c work_mem=64MB -c max_wal_size=4GB" start >/dev/null || { cat "$tmp/postgresql.log" >&2; exit 1; }
pid=$(head -n 1 "$tmp/data/postmaster.pid")
echo "bench-screen: PostgreSQL 15 (pid $pid) on 127.0.0.1:$port" >&2
PGCONN="host=127.0.0.1 port=$port user=bench dbname=postgres" "$BUILD/bin/screen-bench" "$MARKS"
