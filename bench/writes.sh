#!/usr/bin/env bash
# Placing orders at 64 connections (bench/place.lua: each its own
# Idempotency-Key and X-Real-IP) on SQLite: this build's group commit beside
# another build (e.g. the commit before it) and the bare libmicrohttpd reply,
# alternated ROUNDS times in one run on fresh demo databases; then the time
# budget under load: 16 statistics requests made slow on purpose (the test hook
# DANGJIAN_TEST_SLOW_PATH) while orders are placed, and SIGTERM.
#   bash bench/writes.sh BUILD_DIR [OTHER_BIN] [SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
other=${2:-}
secs=${3:-10}
rounds=${4:-3}
bin="$build/dangjian"; bare="$build/bare"
[ -x "$bin" ] && [ -x "$bare" ] || { echo "bench: build $build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing; run scripts/setup.sh" >&2; exit 1; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$1$2" && return 0; sleep 0.05; done; echo "bench: server on $1 did not start" >&2; exit 1; }
"$bin" --db "$tmp/demo.db" demo >/dev/null

wrk_row() { # name url [lua]
  local out
  if [ -n "${3:-}" ]; then out=$(wrk -t2 -c64 -d"${secs}s" --latency -s "$3" "$2"); else out=$(wrk -t2 -c64 -d"${secs}s" --latency "$2"); fi
  local errs sock
  errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out"); sock=$(awk '/Socket errors/ {sub(/^ +/, ""); print}' <<<"$out")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" "${errs:-0}" "${sock:-none}"
}
serve() { # bin db port [env…] — starts a server, prints its pid
  local b=$1 d=$2 p=$3; shift 3
  env "$@" "$b" --db "$d" serve --port "$p" --access-log off >/dev/null 2>>"$tmp/serve.log" &
  echo $!
}

echo "wrk -t2 -c64 -d${secs}s --latency, $rounds rounds, $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | requests/s | p50 | p99 | non-2xx/3xx | socket errors |"
echo "|---|---:|---:|---:|---:|---|"
p_bare=$(free_port); "$bare" "$p_bare" 4 & pids+=($!); wait_up "$p_bare" /
for round in $(seq "$rounds"); do
  wrk_row "round $round: bare libmicrohttpd, 13-byte reply" "http://127.0.0.1:$p_bare/"
  for which in this other; do
    [ "$which" = other ] && [ -z "$other" ] && continue
    b=$bin; [ "$which" = other ] && b=$other
    cp "$tmp/demo.db" "$tmp/$which.db"; rm -f "$tmp/$which.db-wal" "$tmp/$which.db-shm"
    p=$(free_port); pid=$(serve "$b" "$tmp/$which.db" "$p"); pids+=("$pid"); wait_up "$p" /healthz
    wrk_row "round $round: POST /api/v1/public/orders, $which build" "http://127.0.0.1:$p/" bench/place.lua
    kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  done
done

# The time budget under load: a server whose /stats pages are slow on purpose
# (each statement first runs seconds of work that the budget must stop), 16
# of them at once while orders are placed, then SIGTERM in the middle.
cp "$tmp/demo.db" "$tmp/slow.db"
"$bin" --db "$tmp/slow.db" config set request_timeout 2 >/dev/null
p=$(free_port); pid=$(serve "$bin" "$tmp/slow.db" "$p" DANGJIAN_TEST_SLOW_PATH=/stats); pids+=("$pid"); wait_up "$p" /healthz
jar="$tmp/jar"
csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$p/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" -d "username=chenji&password=Demo2026" "http://127.0.0.1:$p/login"
cookie="dj_session=$(awk '$6=="dj_session"{print $7}' "$jar")"
echo
echo "Time budget (request_timeout 2 s): 16 slow /stats/orders requests at once, in a loop, while orders are placed at 64 connections for ${secs} s"
( end=$((SECONDS + secs)); while [ $SECONDS -lt $end ]; do
    for i in $(seq 16); do curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Cookie: $cookie" "http://127.0.0.1:$p/stats/orders" & done; wait
  done ) >"$tmp/slow.txt" &
slowpid=$!
echo
echo "| what | requests/s | p50 | p99 | non-2xx/3xx | socket errors |"
echo "|---|---:|---:|---:|---:|---|"
wrk_row "POST /api/v1/public/orders beside 16 slow statistics requests" "http://127.0.0.1:$p/" bench/place.lua
wait "$slowpid"
awk '{n++; c[$1]++; if ($2 > max) max = $2} END {printf "\nslow requests: %d answered, ", n; for (k in c) printf "%s: %d, ", k, c[k]; printf "slowest %.2f s\n", max}' "$tmp/slow.txt"
# SIGTERM while 16 slow requests and the order placement run
for i in $(seq 16); do curl -s -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$p/stats/orders" & done
wrk -t2 -c64 -d5s -s bench/place.lua "http://127.0.0.1:$p/" >/dev/null 2>&1 &
sleep 1
t0=$(date +%s.%N); kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done; t1=$(date +%s.%N)
echo "SIGTERM under that load: the server exited after $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s"
wait
