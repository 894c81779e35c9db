#!/usr/bin/env bash
# stack.sh — start, inspect and stop a whole local Seawall stack (Redis with AOF, seawall-api,
# nginx, and the workers as they exist) in one run folder on free loopback ports.
#
#   stack.sh start --dir DIR [--build BUILD]   start everything, wait until each is ready
#   stack.sh stop --dir DIR                    stop exactly what start started (by pid)
#   stack.sh restart-redis --dir DIR [--kill]  stop Redis (SIGKILL with --kill), start it on
#                                              the same port from its AOF
#   stack.sh restart-api --dir DIR             stop and start seawall-api
#   stack.sh stop-one NAME --dir DIR [--kill]  stop one process (redis, seawall-api, nginx …)
#   stack.sh start-redis --dir DIR             start Redis again on its port, from its AOF
#   stack.sh start-worker NAME --dir DIR       start a worker (seawall-poller, seawall-poller-2 …)
#   stack.sh status --dir DIR                  list each started process: running or ended
#   stack.sh run [--build BUILD] [--dir DIR]   start, seed demo data, print where to look,
#                                              and stay in the foreground until Ctrl-C
#
# DIR/env holds the ports and URLs (shell syntax); DIR/pids/NAME.pid each started process;
# DIR/logs/ every log. Nothing listens anywhere but 127.0.0.1.
#
# What nginx's workers open themselves — the API's socket, the portal's files, the sample
# feeds, nginx's temporary files — lives in the public folder (DIR/public). When root starts
# the stack, nginx's workers run as nobody and must be able to enter every folder above it;
# when DIR lies under a folder they cannot enter (root's home is 0700), the public folder is
# made under /tmp instead, DIR/public links to it, and stop removes it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-}
[ -n "$cmd" ] && shift
DIR=""
ONE=""
BUILD="$ROOT/build/default"
KILL=0
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --kill) KILL=1; shift ;;
    -*) echo "stack.sh: unknown argument '$1'" >&2; exit 2 ;;
    *) ONE=$1; shift ;;
    esac
done
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac

die() { echo "stack.sh: $*" >&2; exit 1; }
log() { echo "stack.sh: $*" >&2; }

# The small Python helpers run in a session of their own (setsid -w waits for them): a Ctrl-C
# meant for this script would otherwise interrupt Python mid-start and print a traceback.
# A free port below the kernel's ephemeral range: a port from that range, once freed (Redis
# killed and started again on it), can be taken meanwhile as the local end of any outgoing
# connection, and the restart then fails with "address already in use" (seen in the fault run).
free_port() {
    setsid -w python3 "$ROOT/scripts/free_port.py"
}

# Waits until "$@" succeeds, up to $1 seconds (polling every 50 ms).
wait_for() {
    local secs=$1 what=$2; shift 2
    local deadline=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
    until "$@" >/dev/null 2>&1; do
        if [ $(( $(date +%s%N) / 1000000 )) -ge $deadline ]; then
            log "$what not ready after ${secs}s"
            return 1
        fi
        sleep 0.05
    done
}

# pid_alive NAME: the recorded process still runs and is still the program we started.
pid_alive() {
    local f="$DIR/pids/$1.pid" pid state
    [ -f "$f" ] || return 1
    pid=$(cat "$f")
    [ -r "/proc/$pid/stat" ] || return 1
    state=$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f1)
    [ "$state" != Z ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$(cat "$DIR/pids/$1.cmd")"
}

stop_one() {
    local name=$1 sig=${2:-TERM} pid
    pid_alive "$name" || { rm -f "$DIR/pids/$name.pid"; return 0; }
    pid=$(cat "$DIR/pids/$name.pid")
    kill -"$sig" "$pid" 2>/dev/null || true
    if ! wait_for 15 "$name to stop" bash -c "! [ -r /proc/$pid/stat ] || [ \"\$(sed 's/^.*) //' /proc/$pid/stat | cut -d' ' -f1)\" = Z ]"; then
        log "$name (pid $pid) ignored SIG$sig; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$DIR/pids/$name.pid"
}

# start_bg NAME MATCH CMD...: runs CMD in the background with its output in logs/NAME.log and
# records its pid; MATCH is a piece of its command line that stop checks before signalling.
# Every process runs in a session of its own (setsid; a background job is no group leader, so
# setsid execs in place and $! is the program's pid): a Ctrl-C at the terminal reaches this
# script alone, which then stops everything in order, instead of reaching each process at once.
start_bg() {
    local name=$1 match=$2; shift 2
    setsid "$@" >>"$DIR/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$DIR/pids/$name.pid"
    echo "$match" >"$DIR/pids/$name.cmd"
}

# reachable_by_workers PATH: 0 when nginx's workers may enter every folder down to PATH. As
# root nginx runs its workers as nobody, who needs the search (x) right for "others" on each.
reachable_by_workers() {
    local p=$1 perms
    [ "$(id -u)" -eq 0 ] || return 0
    while [ -n "$p" ] && [ "$p" != / ]; do
        perms=$(stat -L -c %A "$p") || return 1
        case "${perms:9:1}" in x|t) ;; *) return 1 ;; esac
        p=$(dirname "$p")
    done
}

# Makes the public folder (see the top of this file) and sets PUB to it.
make_public() {
    if reachable_by_workers "$DIR"; then
        PUB=$DIR/public
        mkdir -p "$PUB"
    else
        PUB=$(mktemp -d /tmp/seawall-public.XXXXXX)
        ln -sfn "$PUB" "$DIR/public"
        log "$DIR is inside a folder nginx's workers (user nobody) cannot enter;" \
            "the socket, the portal's files and the feeds are in $PUB"
    fi
    chmod 0755 "$PUB"
    mkdir -p "$PUB/feeds" "$PUB/nginx-tmp"
    # The demo and the tests write feeds into DIR/feeds.
    [ -e "$DIR/feeds" ] || ln -s "$PUB/feeds" "$DIR/feeds"
    rm -rf "$PUB/www"
    cp -R "$ROOT/www" "$PUB/www"
    # The portal's catalogue (/i18n/zh-CN.json), made from po/zh-CN.po.
    mkdir -p "$PUB/www/i18n"
    SEAWALL_I18N_DIR="$ROOT/po" "$BUILD/bin/seawall" i18n json zh-CN >"$PUB/www/i18n/zh-CN.json" \
        || die "the message catalogue in $ROOT/po did not load"
    chmod -R a+rX "$PUB/www" "$PUB/feeds"
}

# Removes a public folder made under /tmp (one inside DIR goes with DIR).
remove_public() {
    local target
    [ -L "$DIR/public" ] || return 0
    target=$(readlink "$DIR/public")
    case "$target" in /tmp/seawall-public.*) rm -rf "$target" ;; esac
    rm -f "$DIR/public"
}

start_redis() {
    start_bg redis "redis-server 127.0.0.1:$REDIS_PORT" redis-server "$DIR/redis.conf"
    wait_for 15 "redis" bash -c "[ \"\$(redis-cli -h 127.0.0.1 -p $REDIS_PORT ping)\" = PONG ]" \
        || { tail -n 20 "$DIR/logs/redis.log" >&2; return 1; }
}

# SEAWALL_API_VALGRIND=1 runs the API under valgrind's memcheck, a log per process in
# logs/valgrind.PID (make test-valgrind reads them).
start_api() {
    local wrap="" wait_s=15
    if [ "${SEAWALL_API_VALGRIND:-0}" = 1 ]; then
        wrap="valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite"
        wrap="$wrap --track-origins=yes --log-file=$DIR/logs/valgrind.%p"
        wait_s=90
    fi
    # A socket left by an API that was killed cannot answer: without it, readiness below means
    # the new process made its own.
    rm -f "$SEAWALL_API_LISTEN"
    # shellcheck disable=SC1091,SC2086
    (set -a; . "$DIR/env"; exec setsid $wrap "$BUILD/bin/seawall-api" --config "$DIR/seawall.conf") \
        >>"$DIR/logs/seawall-api.log" 2>&1 </dev/null &
    echo $! >"$DIR/pids/seawall-api.pid"
    echo "seawall-api" >"$DIR/pids/seawall-api.cmd"
    wait_for "$wait_s" "seawall-api" test -S "$SEAWALL_API_LISTEN" \
        || { tail -n 20 "$DIR/logs/seawall-api.log" >&2; return 1; }
    # Ready means answering through nginx, once nginx runs (at the first start it comes next
    # and is itself waited for through the API).
    if pid_alive nginx; then
        wait_for "$wait_s" "seawall-api (through nginx)" api_answers \
            || { tail -n 20 "$DIR/logs/seawall-api.log" >&2; return 1; }
    fi
}

# 0 when the API itself answers /healthz through nginx (200, or 503 with "redis":"down" while
# Redis is away) — not nginx's own 503 for an API that is not answering.
api_answers() {
    curl -sS --max-time 5 "http://127.0.0.1:$HTTP_PORT/healthz" 2>/dev/null | grep -q '"redis"'
}

# The stack's mailbox: an SMTP server on loopback keeping each message in mail/ as a file.
start_mailsink() {
    mkdir -p "$DIR/mail"
    start_bg mailsink "mailsink.py --port $MAIL_PORT" python3 "$ROOT/scripts/mailsink.py" \
        --port "$MAIL_PORT" --dir "$DIR/mail"
    wait_for 15 "mail sink" grep -q "listening" "$DIR/logs/mailsink.log" \
        || { tail -n 20 "$DIR/logs/mailsink.log" >&2; return 1; }
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }

# start_worker NAME: a worker program (NAME, or NAME less a "-N" suffix) with the stack's
# configuration; ready once its log says so.
start_worker() {
    local name=$1 prog=${1%-[0-9]*}
    [ -x "$BUILD/bin/$prog" ] || die "$BUILD/bin/$prog is missing: run make first"
    (set -a; . "$DIR/env"; SEAWALL_POLLER_ID=${SEAWALL_POLLER_ID:-$name}; \
     SEAWALL_MATCHER_ID=${SEAWALL_MATCHER_ID:-$name}; \
     SEAWALL_NOTIFIER_ID=${SEAWALL_NOTIFIER_ID:-$name}; \
     SEAWALL_REGISTER_ID=${SEAWALL_REGISTER_ID:-$name}; \
     SEAWALL_SCREENER_ID=${SEAWALL_SCREENER_ID:-$name}; \
     exec setsid "$BUILD/bin/$prog" --config "$DIR/seawall.conf") >>"$DIR/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$DIR/pids/$name.pid"
    echo "$prog" >"$DIR/pids/$name.cmd"
    wait_for 15 "$name" grep -q "polling as\|matching as\|delivering as\|registering as\|screening as" "$DIR/logs/$name.log" \
        || { tail -n 20 "$DIR/logs/$name.log" >&2; return 1; }
}

do_start() {
    [ -n "$DIR" ] || die "start needs --dir DIR"
    [ -x "$BUILD/bin/seawall-api" ] || die "$BUILD/bin/seawall-api is missing: run make first"
    command -v redis-server >/dev/null || die "redis-server is missing: run scripts/deps.sh"
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || die "nginx is missing: run scripts/deps.sh"
    mkdir -p "$DIR"/{pids,logs,redis,data,nginx}
    # The socket the matcher publishes live alerts on: nginx's master (not its workers) makes
    # it, so it stays where only this user may enter.
    mkdir -p -m 0700 "$DIR/private"
    DIR=$(cd "$DIR" && pwd)
    [ ! -e "$DIR/pids/seawall-api.pid" ] || ! pid_alive seawall-api \
        || die "a stack already runs in $DIR; stop it first"
    make_public
    SEAWALL_API_LISTEN=$PUB/api.sock

    REDIS_PORT=$(free_port)
    HTTP_PORT=$(free_port)
    MAIL_PORT=$(free_port)
    cat >"$DIR/env" <<ENV
REDIS_PORT=$REDIS_PORT
HTTP_PORT=$HTTP_PORT
BASE_URL=http://127.0.0.1:$HTTP_PORT
SEAWALL_REDIS_HOST=127.0.0.1
SEAWALL_REDIS_PORT=$REDIS_PORT
SEAWALL_API_LISTEN=$PUB/api.sock
SEAWALL_API_SOCKET_MODE=0666
SEAWALL_PUBLIC_DIR=$PUB
SEAWALL_DATA_DIR=$DIR/data
SEAWALL_CASES_DEADLINE_RULES=$ROOT/etc/deadlines.json
SEAWALL_SOURCES_DIR=$ROOT/etc/sources
SEAWALL_I18N_DIR=$ROOT/po
SEAWALL_NET_ALLOW_PRIVATE=127.0.0.1/32
MAIL_PORT=$MAIL_PORT
SEAWALL_NOTIFIER_SMTP_URL=${SEAWALL_NOTIFIER_SMTP_URL:-smtp://127.0.0.1:$MAIL_PORT}
SEAWALL_NOTIFIER_PUBLIC_URL=${SEAWALL_NOTIFIER_PUBLIC_URL:-http://127.0.0.1:$HTTP_PORT}
SEAWALL_PORTAL_ORIGIN=${SEAWALL_PORTAL_ORIGIN:-http://127.0.0.1:$HTTP_PORT}
SEAWALL_NOTIFIER_MAIL_FROM=alerts@seawall.example
ENV
    cat >"$DIR/seawall.conf" <<CONF
# Written by scripts/stack.sh for the stack in this folder.
redis.host = 127.0.0.1
redis.port = $REDIS_PORT
api.listen = $PUB/api.sock
api.socket_mode = 0666
api.threads = ${SEAWALL_API_THREADS:-8}
data.dir = $DIR/data
cases.deadline_rules = $ROOT/etc/deadlines.json
sources.dir = $ROOT/etc/sources
live.socket = $DIR/private/live.sock
CONF
    cat >"$DIR/redis.conf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize no
dir $DIR/redis
logfile ""
save ""
appendonly yes
appendfilename "appendonly.aof"
# People's records (cases, incidents) must survive a crash: fsync every write.
appendfsync always
CONF
    local user_line=""
    [ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
    sed -e "s|@RUN@|$DIR|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$HTTP_PORT|g" \
        -e "s|@PUBLIC@|$PUB|g" -e "s|@SOCKET@|$PUB/api.sock|g" -e "s|@USER_LINE@|$user_line|" \
        -e "s|@BODY_MAX_NGINX@|16m|" -e "s|@LIVE_SOCKET@|$DIR/private/live.sock|" \
        -e "s|@SSE_HEARTBEAT_S@|${SEAWALL_API_SSE_HEARTBEAT_S:-15}|" \
        "$ROOT/nginx/seawall.conf.in" >"$DIR/nginx.conf"

    start_mailsink || { do_stop; die "the mail sink did not start"; }
    start_redis || { do_stop; die "Redis did not start"; }
    start_api || { do_stop; die "seawall-api did not start"; }
    local nginx_bin
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    "$nginx_bin" -t -q -p "$DIR/nginx" -c "$DIR/nginx.conf" -e "$DIR/logs/nginx-error.log" \
        || { do_stop; die "nginx rejected $DIR/nginx.conf"; }
    start_bg nginx "nginx: master process" "$nginx_bin" -p "$DIR/nginx" -c "$DIR/nginx.conf" \
        -e "$DIR/logs/nginx-error.log" -g "daemon off;"
    wait_for 15 "nginx" http_ok "http://127.0.0.1:$HTTP_PORT/healthz" \
        || { tail -n 20 "$DIR/logs/nginx-error.log" >&2; do_stop; die "nginx did not answer"; }
    local w
    for w in ${SEAWALL_WORKERS-seawall-poller seawall-matcher seawall-notifier seawall-register seawall-screener}; do
        start_worker "$w" || { do_stop; die "$w did not start"; }
    done
    log "ready: http://127.0.0.1:$HTTP_PORT (redis 127.0.0.1:$REDIS_PORT, run folder $DIR)"
}

do_stop() {
    [ -n "$DIR" ] || die "stop needs --dir DIR"
    [ -d "$DIR/pids" ] || return 0
    # Workers first, then the front, the API, and Redis last so nothing loses its store.
    local name f
    for f in "$DIR"/pids/seawall-screener*.pid "$DIR"/pids/seawall-register*.pid "$DIR"/pids/seawall-notifier*.pid \
             "$DIR"/pids/seawall-matcher*.pid \
             "$DIR"/pids/seawall-poller*.pid; do
        [ -e "$f" ] || continue
        name=$(basename "$f" .pid)
        stop_one "$name"
    done
    for name in nginx seawall-api redis mailsink; do
        stop_one "$name"
    done
    remove_public
}

# Prints "NAME running" or "NAME ended" for every process start recorded (a process stopped on
# purpose has no pid file and is not listed). Exits 1 when one has ended.
do_status() {
    local f name rc=0
    [ -d "$DIR/pids" ] || die "no stack in '$DIR'"
    for f in "$DIR"/pids/*.pid; do
        [ -e "$f" ] || continue
        name=$(basename "$f" .pid)
        if pid_alive "$name"; then echo "$name running"; else echo "$name ended"; rc=1; fi
    done
    return $rc
}

load_env() {
    [ -n "$DIR" ] && [ -f "$DIR/env" ] || die "no stack in '$DIR' (missing env)"
    DIR=$(cd "$DIR" && pwd)
    # shellcheck disable=SC1091
    . "$DIR/env"
}

do_restart_redis() {
    load_env
    if [ "$KILL" -eq 1 ]; then stop_one redis KILL; else stop_one redis; fi
    start_redis
}

do_restart_api() {
    load_env
    stop_one seawall-api
    start_api
}

seawall_cli() {
    (set -a; . "$DIR/env"; exec "$BUILD/bin/seawall" --config "$DIR/seawall.conf" "$@")
}

# Demo accounts: an admin, two exporters, a centre with a triager and an expert, a station.
do_seed() {
    local sub1 sub2 centre tri exp station
    # The demo fair is on now: it opened yesterday and closes in three days, so the public list
    # of fairs shows it and the incident below is logged during it.
    local year show starts ends
    year=$(date -u +%Y)
    show="berlin-electronics-fair-$year"
    starts=$(date -u -d 'yesterday' +%Y-%m-%d)
    ends=$(date -u -d '+3 days' +%Y-%m-%d)
    sub1=$(seawall_cli subscriber create --name "Ningbo Harbour Lighting Co., Ltd." --country CN \
        --email ip@nbh-lighting.example --markets US --markets DE --markets FR | json_field id)
    sub2=$(seawall_cli subscriber create --name "Shenzhen Bright Audio Technology Co., Ltd." \
        --country CN --email legal@brightaudio.example --markets US --markets GB | json_field id)
    centre=$(seawall_cli centre create --name "Overseas IP Dispute Assistance Centre" --country CN \
        --email desk@ipcentre.example | json_field id)
    tri=$(seawall_cli staff create --centre "$centre" --name "Li Na" --email li.na@ipcentre.example \
        --role triager | json_field id)
    exp=$(seawall_cli staff create --centre "$centre" --name "Wang Jun" \
        --email wang.jun@ipcentre.example --role expert --expertise US --expertise trademark \
        --expertise patent | json_field id)
    # The fair first: a station serves a fair that exists, and a portfolio's show item names
    # one. The fair then names its station.
    local admin
    admin=$(seawall_cli token create --role admin --label demo-admin -q)
    curl -fsS -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        -d "{\"id\":\"$show\",\"name\":\"Berlin Consumer Electronics Fair $year\",
             \"city\":\"Berlin\",\"country\":\"DE\",\"venue\":\"Messe Berlin\",\"starts\":\"$starts\",
             \"ends\":\"$ends\",\"organiser\":\"Messe Berlin GmbH\",
             \"website\":\"https://www.messe-berlin.de/\"}" \
        "http://127.0.0.1:$HTTP_PORT/api/v1/shows"
    station=$(seawall_cli station create --name "IP service station, Hall 5" \
        --show "$show" --country DE | json_field id)
    curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $admin" \
        -H 'Content-Type: application/json' -d "{\"station_id\":$station}" \
        "http://127.0.0.1:$HTTP_PORT/api/v1/shows/$show"
    {
        echo "ADMIN_TOKEN=$admin"
        echo "EXPORTER_TOKEN=$(seawall_cli token create --role exporter --subject "$sub1" --label demo-exporter -q)"
        echo "EXPORTER2_TOKEN=$(seawall_cli token create --role exporter --subject "$sub2" --label demo-exporter-2 -q)"
        echo "TRIAGER_TOKEN=$(seawall_cli token create --role triager --subject "$tri" --label demo-triager -q)"
        echo "EXPERT_TOKEN=$(seawall_cli token create --role expert --subject "$exp" --label demo-expert -q)"
        echo "STATION_TOKEN=$(seawall_cli token create --role station --subject "$station" --label demo-station -q)"
        echo "DEMO_SUBSCRIBER=$sub1"
        echo "DEMO_SUBSCRIBER2=$sub2"
        echo "DEMO_CENTRE=$centre"
        echo "DEMO_SHOW=$show"
    } >"$DIR/demo.env"
    # A person per role who signs in to the portal, all with one printed password (the admin
    # is asked to set up a second factor at first sign-in).
    local pw
    pw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
    seawall_cli person create --email admin@seawall.example --role admin --name "Demo Admin" \
        --password-stdin <<<"$pw" >/dev/null
    seawall_cli person create --email ip@nbh-lighting.example --role exporter --subject "$sub1" \
        --team-role owner --name "Chen Jie" --password-stdin <<<"$pw" >/dev/null
    seawall_cli person create --email li.na@ipcentre.example --role triager --subject "$tri" \
        --name "Li Na" --lang zh-CN --password-stdin <<<"$pw" >/dev/null
    seawall_cli person create --email wang.jun@ipcentre.example --role expert --subject "$exp" \
        --name "Wang Jun" --lang zh-CN --password-stdin <<<"$pw" >/dev/null
    seawall_cli person create --email desk@hall5.example --role station --subject "$station" \
        --name "Hall 5 desk" --password-stdin <<<"$pw" >/dev/null
    echo "DEMO_PASSWORD=$pw" >>"$DIR/demo.env"
    # Portfolios that meet the sample feeds below, so alerts arrive within seconds.
    curl -fsS -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        -d '{"items":[
              {"kind":"name","text":"Ningbo Harbour Lighting Co., Ltd.","aliases":["宁波港湾照明有限公司"]},
              {"kind":"mark","text":"SUVENER","classes":[16],"countries":["US"]},
              {"kind":"patent","number":"US 8,930,553 B2"},
              {"kind":"keyword","text":"led lamps","countries":["DE"]},
              {"kind":"show","show":"'"$show"'"}]}' \
        "http://127.0.0.1:$HTTP_PORT/api/v1/subscribers/$sub1/portfolio/import"
    curl -fsS -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        -d '{"items":[
              {"kind":"name","text":"Shenzhen Bright Audio Technology Co., Ltd."},
              {"kind":"mark","text":"BRIGHTSOUND","classes":[9],"countries":["US","DE"]},
              {"kind":"mark","text":"PYTH0N","classes":[9]},
              {"kind":"keyword","text":"portable loudspeakers"}]}' \
        "http://127.0.0.1:$HTTP_PORT/api/v1/subscribers/$sub2/portfolio/import"
    # The first exporter's alerts also go out by mail (into this stack's mailbox, mail/).
    local exporter
    exporter=$(grep '^EXPORTER_TOKEN' "$DIR/demo.env" | cut -d= -f2)
    curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $exporter" \
        -H 'Content-Type: application/json' \
        -d '{"emails":["ip-desk@ningbo-harbour.example"],"email_severity_floor":"medium"}' \
        "http://127.0.0.1:$HTTP_PORT/api/v1/delivery"
    # A case on the assistance desk (its deadline from etc/deadlines.json) and a bulletin, which
    # the matcher turns into alerts for exporters trading in the US.
    local triager
    triager=$(grep '^TRIAGER_TOKEN' "$DIR/demo.env" | cut -d= -f2)
    curl -fsS -o /dev/null -H "Authorization: Bearer $exporter" -H 'Content-Type: application/json' \
        -d "{\"type\":\"lawsuit\",\"country\":\"US\",\"forum\":\"N.D. Ill.\",\"own_role\":\"defendant\",
             \"opposing_party\":\"Suvener Brands LLC\",\"served_at\":\"$(date -u +%Y-%m-%d)\",
             \"rights\":[{\"type\":\"trademark\",\"number\":\"SUVENER\"}],\"amount_usd\":250000,
             \"products\":[\"LED lamps\"],\"centre_id\":$centre,
             \"description\":\"Schedule A complaint served by email; the online store is frozen.\"}" \
        "http://127.0.0.1:$HTTP_PORT/api/v1/cases"
    curl -fsS -o /dev/null -H "Authorization: Bearer $triager" -H 'Content-Type: application/json' \
        -d '{"title":{"zh-CN":"美国伊利诺伊州集中起诉LED灯具网店卖家",
                      "en":"Schedule A suits against LED lamp sellers"},
             "country":"US","severity":"high","keywords":["led lamps"],
             "text":{"zh-CN":"伊利诺伊州北区法院近期多起案件以LED灯具网店卖家为被告，请核查商品链接。",
                     "en":"Several Illinois filings name online sellers of LED lamps; check your listings."}}' \
        "http://127.0.0.1:$HTTP_PORT/api/v1/bulletins"
    # An incident logged at the station's fair: the first exporter attends the show, the second
    # is the accused exhibitor — both are alerted by the matcher.
    local station_tok
    station_tok=$(grep '^STATION_TOKEN' "$DIR/demo.env" | cut -d= -f2)
    curl -fsS -o /dev/null -H "Authorization: Bearer $station_tok" -H 'Content-Type: application/json' \
        -H 'Idempotency-Key: demo-incident-1' \
        -d "{\"booth\":\"Hall 5, 112\",\"kind\":\"complaint_received\",
             \"exhibitor\":{\"name\":\"Shenzhen Bright Audio Technology Co., Ltd.\",\"country\":\"CN\",
                            \"subscriber_id\":$sub2},
             \"complainant\":{\"name\":\"Klangwerk Audio GmbH\",\"country\":\"DE\"},
             \"rights\":[{\"type\":\"design\",\"number\":\"EM 008123456-0002\",\"country\":\"EM\"}],
             \"measures\":[\"complaint handed to exhibitor\",\"photos taken\"],
             \"notes\":\"Portable loudspeaker on display said to copy a registered design.\"}" \
        "http://127.0.0.1:$HTTP_PORT/api/v1/shows/$show/incidents"
    # Sample feeds, served by this stack's nginx: the real files in ../shared/feeds when they
    # are there, and Seawall's own demo feed; each registered for polling.
    local base="http://127.0.0.1:$HTTP_PORT/feeds" f shared="$ROOT/../shared/feeds"
    cp "$ROOT"/demo/feeds/*.json "$DIR/feeds/"
    seawall_cli feed add --url "$base/customs-notices.json" --name "Demo customs notices" \
        --interval_s 300 >/dev/null
    if [ -d "$shared" ]; then
        for f in uspto-trademark-daily/daily-na-98763166.xml \
                 uspto-tsdr-st66-st96/sn76044902-ST96.xml euipo-tm-xml/018222474.xml \
                 uspto-patent-fulltext/PatentPublicData-US08930553-grant-v4.5.xml \
                 generic-rss-atom/miniflux-small_atom.xml icalendar/america_new_york.ics; do
            [ -f "$shared/$f" ] || continue
            cp "$shared/$f" "$DIR/feeds/"
            seawall_cli feed add --url "$base/$(basename "$f")" --name "Sample $(basename "$f")" \
                --interval_s 300 >/dev/null
        done
        seed_catalogue "$base" "$shared"
    fi
}

# Sources from the catalogue (etc/sources), each enabled with a local copy instead of its
# publisher's URL (no internet here): two courts' CM/ECF feeds, and the USPTO's daily
# trademark applications as the dated, zipped files the USPTO publishes (apcYYMMDD.zip, one per
# business day of the last two weeks, made from the real daily record with its own serial
# number each) — `seawall source list` and GET /api/v1/coverage show their state.
seed_catalogue() {
    local base=$1 shared=$2 f
    for f in cafc:cmecf-cafc sdny_1:cmecf-nysd; do
        [ -f "$shared/pacer-rss/${f%%:*}.xml" ] || continue
        cp "$shared/pacer-rss/${f%%:*}.xml" "$DIR/feeds/"
        seawall_cli source enable "${f#*:}" --url "$base/${f%%:*}.xml" >/dev/null
    done
    [ -f "$shared/uspto-trademark-daily/daily-na-98763166.xml" ] || return 0
    mkdir -p "$DIR/feeds/uspto-daily"
    python3 - "$shared/uspto-trademark-daily/daily-na-98763166.xml" "$DIR/feeds/uspto-daily" <<'PY'
import datetime, sys, zipfile
from zoneinfo import ZoneInfo
record = open(sys.argv[1], "rb").read()
today = datetime.datetime.now(ZoneInfo("America/New_York")).date()
for back in range(1, 16):
    day = today - datetime.timedelta(days=back)
    if day.weekday() < 5:
        name = day.strftime("apc%y%m%d")
        with zipfile.ZipFile(f"{sys.argv[2]}/{name}.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(name + ".xml", record.replace(b"98763166", day.strftime("97%y%m%d").encode()))
PY
    chmod -R a+rX "$DIR/feeds/uspto-daily"
    seawall_cli source enable uspto-tm-daily-applications \
        --url-template "$base/uspto-daily/apc{yymmdd}.zip" >/dev/null
}

# A field of the JSON document on stdin; fails quietly (no traceback) when there is none, as
# when Ctrl-C ended the command that was writing it.
json_field() {
    setsid -w python3 -c "
import json, sys
try:
    print(json.load(sys.stdin)['$1'])
except (ValueError, KeyError, TypeError):
    sys.exit('stack.sh: no \"$1\" in the answer')"
}

do_run() {
    [ -n "$DIR" ] || DIR="$ROOT/build/run"
    if [ -d "$DIR/pids" ]; then do_stop || true; fi
    rm -rf "$DIR"
    trap on_interrupt INT TERM HUP
    echo "Starting Seawall (Ctrl-C stops it at any moment)…"
    do_start
    echo "Creating the demo accounts, portfolios, a case, a bulletin, a fair and its feeds…"
    do_seed
    # shellcheck disable=SC1091
    . "$DIR/demo.env"
    cat <<EOT

Seawall is running (Ctrl-C stops everything).

  portal     http://127.0.0.1:$HTTP_PORT/   (门户, Chinese and English)
  workspace  http://127.0.0.1:$HTTP_PORT/app     (exporters: dashboard, inbox, watch list, cases)
  console    http://127.0.0.1:$HTTP_PORT/staff   (centre staff: queue, deadlines, bulletins, statistics)
  station    http://127.0.0.1:$HTTP_PORT/station (the fair's IP desk; works offline)
  health     http://127.0.0.1:$HTTP_PORT/healthz
  metrics    http://127.0.0.1:$HTTP_PORT/metrics
  redis      127.0.0.1:$REDIS_PORT (AOF in $DIR/redis)
  logs       $DIR/logs/
  mail       $DIR/mail/ (every message the notifier sends, one .eml file each)

Demo tokens (also in $DIR/demo.env):
  admin       $ADMIN_TOKEN
  exporter    $EXPORTER_TOKEN   (Ningbo Harbour Lighting, subscriber $DEMO_SUBSCRIBER)
  exporter 2  $EXPORTER2_TOKEN   (Shenzhen Bright Audio, subscriber $DEMO_SUBSCRIBER2)
  triager     $TRIAGER_TOKEN
  expert      $EXPERT_TOKEN
  station     $STATION_TOKEN   (the desk at $DEMO_SHOW)

Demo sign-in (portal or POST /api/v1/session), password $DEMO_PASSWORD for each:
  admin       admin@seawall.example       (asked to set up a second factor first)
  exporter    ip@nbh-lighting.example     (Ningbo Harbour Lighting, team owner)
  triager     li.na@ipcentre.example
  expert      wang.jun@ipcentre.example
  station     desk@hall5.example

Admin program (accounts, tokens, feeds, matching; it needs this stack's configuration):
  SEAWALL_CONFIG=$DIR/seawall.conf $BUILD/bin/seawall --help

Try:
  curl -s http://127.0.0.1:$HTTP_PORT/healthz
  curl -s -H 'Authorization: Bearer $EXPORTER_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/me
  curl -s -H 'Authorization: Bearer $ADMIN_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/subscribers
  curl -s -H 'Authorization: Bearer $EXPORTER_TOKEN' -H 'Content-Type: application/json' \\
       -X PATCH -d '{"markets":["US","DE","JP"]}' http://127.0.0.1:$HTTP_PORT/api/v1/subscribers/$DEMO_SUBSCRIBER
  curl -s -H 'Authorization: Bearer $ADMIN_TOKEN' -H 'Content-Type: application/json' \\
       -d '{"role":"exporter","subject":$DEMO_SUBSCRIBER2,"label":"laptop"}' http://127.0.0.1:$HTTP_PORT/api/v1/tokens
  # risk screening against the register (the polled trademark filings): then GET the Location
  curl -si -H 'Authorization: Bearer $EXPORTER_TOKEN' -H 'Content-Type: application/json' \\
       -d '{"marks":[{"text":"SUVENER"}],"portfolio":true,"markets":["US","EU"]}' http://127.0.0.1:$HTTP_PORT/api/v1/screenings
  curl -s -H 'Authorization: Bearer $ADMIN_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/feeds
  redis-cli -p $REDIS_PORT XLEN "sw:{events:0}"  # events the poller stored in shard 0 (of 4)
  curl -s -H 'Authorization: Bearer $EXPORTER_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/alerts
  curl -s -H 'Authorization: Bearer $EXPORTER2_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/alerts
  curl -s -H 'Authorization: Bearer $EXPORTER_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/alerts/counts
  curl -s -H 'Authorization: Bearer $EXPORTER2_TOKEN' 'http://127.0.0.1:$HTTP_PORT/api/v1/alerts?q=brightsound'   # one alert, every item it touched
  curl -s -H 'Authorization: Bearer $EXPORTER_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/dashboard
  curl -N -H 'Accept: text/event-stream' -H 'Authorization: Bearer $EXPORTER_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/alerts/stream
  curl -s -H 'Authorization: Bearer $EXPORTER_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/deliveries
  ls $DIR/mail/                                   # alert mail (immediate, medium and up)
  curl -s -H 'Authorization: Bearer $TRIAGER_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/cases/queue
  curl -s -H 'Authorization: Bearer $EXPORTER_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/cases
  curl -s -H 'Authorization: Bearer $TRIAGER_TOKEN' -H 'Content-Type: application/json' \\
       -d '{"to":"accepted"}' http://127.0.0.1:$HTTP_PORT/api/v1/cases/1/transition
  curl -s http://127.0.0.1:$HTTP_PORT/api/v1/bulletins       # public, no token
  curl -s http://127.0.0.1:$HTTP_PORT/api/v1/shows?from=2026-01-01   # public, no token
  curl -s -H 'Authorization: Bearer $STATION_TOKEN' http://127.0.0.1:$HTTP_PORT/api/v1/shows/$DEMO_SHOW/incidents
  curl -s -H 'Authorization: Bearer $STATION_TOKEN' -X POST http://127.0.0.1:$HTTP_PORT/api/v1/incidents/1/escalate
  curl -s -H 'Authorization: Bearer $STATION_TOKEN' 'http://127.0.0.1:$HTTP_PORT/api/v1/shows/$DEMO_SHOW/incidents/export?format=html'
  $BUILD/bin/seawall match pair BRIGHTSOUND BR1GHTS0UND

EOT
    while :; do
        for name in redis seawall-api nginx seawall-poller seawall-matcher seawall-notifier \
                    seawall-register seawall-screener mailsink; do
            if ! pid_alive "$name"; then
                trap '' INT TERM HUP
                log "$name stopped unexpectedly; see $DIR/logs/$name.log; stopping the rest"
                do_stop
                exit 1
            fi
        done
        # A background sleep and wait: a signal ends the wait at once and runs the trap.
        sleep 1 &
        wait $! || true
    done
}

# Ctrl-C (or TERM, HUP) during `run`, at any moment: stop everything started so far, in order,
# and say so. A second Ctrl-C while stopping is ignored so the stop completes.
on_interrupt() {
    trap '' INT TERM HUP
    echo
    echo "Stopping Seawall…"
    [ -z "$DIR" ] || [ ! -d "$DIR/pids" ] || do_stop
    local left=0 f
    for f in "$DIR"/pids/*.pid; do [ -e "$f" ] && left=$((left + 1)); done
    if [ "$left" -eq 0 ]; then
        echo "Seawall stopped: every process it started has ended."
    else
        echo "Seawall stopped, but $left process(es) could not be stopped: see $DIR/pids/" >&2
    fi
    exit 0
}

case "$cmd" in
start) do_start ;;
stop-one)
    name=${ONE:-}; [ -n "$name" ] || die "stop-one needs a NAME"
    load_env
    if [ "$KILL" -eq 1 ]; then stop_one "$name" KILL; else stop_one "$name"; fi ;;
start-redis) load_env; start_redis ;;
start-worker) [ -n "$ONE" ] || die "start-worker needs a NAME"; load_env; start_worker "$ONE" ;;
stop) do_stop ;;
status) do_status ;;
restart-redis) do_restart_redis ;;
restart-api) do_restart_api ;;
run) do_run ;;
*) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
