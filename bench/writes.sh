#!/usr/bin/env bash
# Placing orders at 64 connections (bench/place.lua: each its own
# Idempotency-Key and X-Real-IP) on SQLite: this build's group commit beside
# another build (e.g. the commit before it) and the bare libmicrohttpd reply,
# alternated ROUNDS times in one run on fresh demo databases; then the time
# budget under load: on one server, orders placed alone and then beside 16
# statistics requests made slow on purpose (the test hook
# DANGJIAN_TEST_SLOW_PATH), with the ratio and the CPU the slow reads took, for
# this build, the other and this again; then SIGTERM. The column
# "writer CPU" is the CPU time of the server's busiest thread (the writer:
# named dj-writer since the fsync moved to a thread of its own) over the
# requests wrk counted: what one order costs the one thread that writes.
# Every server and client it starts is stopped when it ends, however it ends.
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
# On any exit (an error, Ctrl-C, a timeout's SIGTERM): stop every process
# started here, wait until each has gone, then remove the databases. INT and
# TERM exit (a trap that only cleaned up would let the script run on).
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do for _ in $(seq 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done; kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$1$2" && return 0; sleep 0.05; done; echo "bench: server on $1 did not start" >&2; exit 1; }
"$bin" --db "$tmp/demo.db" demo >/dev/null
# the other build's own demo town: a database this build made may carry
# migrations the other does not know (it would run on this build's schema)
[ -n "$other" ] && "$other" --db "$tmp/demo-other.db" demo >/dev/null

# CPU ticks of each thread of a process: "tid comm ticks" lines
thread_ticks() { for t in /proc/"$1"/task/*; do awk -v t="${t##*/}" '{sub(/^[0-9]+ \(/, ""); split($0, a, ") "); split(a[2], f, " "); print t, a[1], f[12] + f[13]}' "$t/stat" 2>/dev/null; done; }
wrk_row() { # name url [lua] [server pid]
  local out before=""
  [ -n "${4:-}" ] && before=$(thread_ticks "$4")
  if [ -n "${3:-}" ]; then out=$(wrk -t2 -c64 -d"${secs}s" --latency -s "$3" "$2"); else out=$(wrk -t2 -c64 -d"${secs}s" --latency "$2"); fi
  local errs sock cpu="–"
  errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out"); sock=$(awk '/Socket errors/ {sub(/^ +/, ""); print}' <<<"$out")
  if [ -n "${4:-}" ]; then # the busiest thread's ticks (1/100 s) over the requests wrk counted, in µs
    cpu=$(thread_ticks "$4" | awk -v n="$(awk '/requests in/ {print $1}' <<<"$out")" -v hz="$(getconf CLK_TCK)" \
      'NR == FNR {b[$1] = $3; next} {d = $3 - b[$1]; if (d > best) {best = d; name = $2}} END {if (n > 0) printf "%.0f µs (%s)", best * 1e6 / hz / n, name}' \
      <(printf '%s\n' "$before") -)
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" "${errs:-0}" "${sock:-none}" "$cpu"
}
serve() { # bin db port [env…] — starts a server (a child of this shell: it is waited for) into $srv
  local b=$1 d=$2 p=$3; shift 3
  env "$@" "$b" --db "$d" serve --port "$p" --access-log off >/dev/null 2>>"$tmp/serve.log" &
  srv=$!
  pids+=("$srv")
}

echo "wrk -t2 -c64 -d${secs}s --latency, $rounds rounds, $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | requests/s | p50 | p99 | non-2xx/3xx | socket errors | writer CPU per request |"
echo "|---|---:|---:|---:|---:|---|---:|"
p_bare=$(free_port); "$bare" "$p_bare" 4 & pids+=($!); wait_up "$p_bare" /
for round in $(seq "$rounds"); do
  wrk_row "round $round: bare libmicrohttpd, 13-byte reply" "http://127.0.0.1:$p_bare/"
  for which in this other; do
    [ "$which" = other ] && [ -z "$other" ] && continue
    b=$bin; [ "$which" = other ] && b=$other
    src="$tmp/demo.db"; [ "$which" = other ] && src="$tmp/demo-other.db"
    cp "$src" "$tmp/$which.db"; rm -f "$tmp/$which.db-wal" "$tmp/$which.db-shm"
    p=$(free_port); serve "$b" "$tmp/$which.db" "$p"; pid=$srv; wait_up "$p" /healthz
    wrk_row "round $round: POST /api/v1/public/orders, $which build" "http://127.0.0.1:$p/" bench/place.lua "$pid"
    kill "$pid"; wait "$pid" || true
  done
done

# The time budget under load: a server whose /stats pages are slow on purpose
# (each statement first runs seconds of work that the budget must stop), 16
# of them at once, in a loop, while orders are placed; the same server places
# orders alone first (the alone rate of the same run), for this build and the
# other. "slow reads' CPU" is the CPU time of the threads that ran the slow
# requests (this build: the read workers, dj-read; a build without named
# workers: every thread named dangjian, the read workers and three idle ones)
# over the run, in cores: what the slow requests took from the orders.
echo
echo "Time budget (request_timeout 2 s): orders placed at 64 connections for ${secs} s alone, then beside 16 slow /stats/orders requests at once, in a loop"
echo
echo "| build | what | requests/s | p50 | p99 | non-2xx/3xx | socket errors | writer CPU per request | beside / alone | slow reads' CPU |"
echo "|---|---|---:|---:|---:|---:|---|---:|---:|---:|"
reads_ticks() { thread_ticks "$1" | awk '$2 == "dj-read" || $2 == "dangjian" {s += $3} END {print s + 0}'; }
budget_run() { # which bin db
  local which=$1 b=$2 d=$3 jar="$tmp/jar-$1" csrf alone beside r0 r1 t0 t1
  cp "$d" "$tmp/slow-$which.db"; rm -f "$tmp/slow-$which.db-wal" "$tmp/slow-$which.db-shm"
  "$b" --db "$tmp/slow-$which.db" config set request_timeout 2 >/dev/null
  p=$(free_port); serve "$b" "$tmp/slow-$which.db" "$p" DANGJIAN_TEST_SLOW_PATH=/stats; pid=$srv; wait_up "$p" /healthz
  csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$p/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" -d "username=chenji&password=Demo2026" "http://127.0.0.1:$p/login"
  cookie="dj_session=$(awk '$6=="dj_session"{print $7}' "$jar")"
  alone=$(wrk_row "POST /api/v1/public/orders alone" "http://127.0.0.1:$p/" bench/place.lua "$pid")
  ( end=$((SECONDS + secs)); while [ $SECONDS -lt $end ]; do
      for i in $(seq 16); do curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Cookie: $cookie" "http://127.0.0.1:$p/stats/orders" & done; wait
    done ) >"$tmp/slow-$which.txt" &
  slowpid=$!
  pids+=("$slowpid")
  r0=$(reads_ticks "$pid"); t0=$(date +%s.%N)
  beside=$(wrk_row "POST /api/v1/public/orders beside 16 slow statistics requests" "http://127.0.0.1:$p/" bench/place.lua "$pid")
  r1=$(reads_ticks "$pid"); t1=$(date +%s.%N)
  wait "$slowpid"
  local ra rb
  ra=$(awk -F'|' '{print $3}' <<<"$alone"); rb=$(awk -F'|' '{print $3}' <<<"$beside")
  printf '| %s %s – | – |\n' "$which" "$alone"
  printf '| %s %s %s | %s |\n' "$which" "$beside" "$(awk -v a="$ra" -v b="$rb" 'BEGIN {if (a > 0) printf "%.0f %%", 100 * b / a}')" \
    "$(awk -v d="$((r1 - r0))" -v hz="$(getconf CLK_TCK)" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f cores", d / hz / (b - a)}')"
  awk -v w="$which" '{n++; c[$1]++; if ($2 > max) max = $2} END {printf "%s build'"'"'s slow requests: %d answered, ", w, n; for (k in c) printf "%s: %d, ", k, c[k]; printf "slowest %.2f s\n", max}' "$tmp/slow-$which.txt" >>"$tmp/slow-summary.txt"
}
budget_run this "$bin" "$tmp/demo.db"
[ -n "$other" ] && { kill "$pid"; wait "$pid" || true; budget_run other "$other" "$tmp/demo-other.db"; kill "$pid"; wait "$pid" || true; budget_run this "$bin" "$tmp/demo.db"; }
echo
cat "$tmp/slow-summary.txt"
# SIGTERM while 16 slow requests and the order placement run (this build's server, still up)
clients=()
for i in $(seq 16); do curl -s -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$p/stats/orders" & clients+=($!); done
wrk -t2 -c64 -d5s -s bench/place.lua "http://127.0.0.1:$p/" >/dev/null 2>&1 &
clients+=($!)
pids+=("${clients[@]}")
sleep 1
t0=$(date +%s.%N); kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done; t1=$(date +%s.%N)
echo "SIGTERM under that load: the server exited after $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s"
# only these clients: a bare `wait` would wait for the bare reference server too, for ever
wait "${clients[@]}" 2>/dev/null || true
