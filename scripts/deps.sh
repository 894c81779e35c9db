#!/bin/sh
# deps.sh — install the Debian 12 packages Seawall builds, runs and tests with.
#
# Idempotent: checks each package with dpkg first and installs only what is missing.
# As root it runs apt-get; otherwise it prints the exact command to run and exits 1.
# Usage: scripts/deps.sh [--bench]   (--bench adds the benchmark tools)
set -eu

# The last line is for the portal's browser tests and screenshots: Debian's headless Chromium,
# its WebDriver and Selenium for Debian's Python (no browser download), a Chinese font, and
# zbarimg, which reads back the QR codes the portal draws.
PKGS="build-essential pkg-config
libfcgi-dev libhiredis-dev libcurl4-openssl-dev libxml2-dev libxml2-utils libjansson-dev
libicu-dev libical-dev libsodium-dev libcsv-dev liboath-dev libxlsxwriter-dev libarchive-dev zlib1g-dev
unzip
redis-server nginx-light libnginx-mod-nchan
libcmocka-dev python3 curl ca-certificates
gettext
clang libclang-rt-14-dev valgrind
wrk
chromium chromium-driver python3-selenium fonts-noto-cjk zbar-tools"

# --bench: PostgreSQL 15 (pg_trgm is in postgresql-15 on Debian 12) and libpq, the peer of
# make bench-screen; not needed to build or test.
for arg in "$@"; do
    if [ "$arg" = "--bench" ]; then
        PKGS="$PKGS postgresql-15 postgresql-client-15 libpq-dev"
    fi
done

# Node.js and npm run the OpenAPI validator in the tests (and, with the portal, its checks).
# A machine that already has node and npm (from any source) keeps them; Debian's otherwise.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    PKGS="$PKGS nodejs npm"
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

echo "deps: missing Debian packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: not root; run this and try again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
# The packaged services must not hold the default ports or run outside our control:
# Seawall starts its own redis-server and nginx in a run folder.
for svc in redis-server nginx postgresql; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
        systemctl stop "$svc" >/dev/null 2>&1 || true
        systemctl disable "$svc" >/dev/null 2>&1 || true
    fi
done
echo "deps: installed:$missing" >&2
