#!/usr/bin/env bash
# Benchmarks of `dangjian serve` beside a bare libmicrohttpd reply measured in
# the same run (bench/bare.c, same daemon flags and thread count), with wrk on
# loopback. Prints a Markdown table for docs/performance.md.
#   bash bench/run.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-10}
conns=${3:-64}
threads=${THREADS:-4} # the default of dangjian serve
bin="$build/dangjian"; bare="$build/bare"
[ -x "$bin" ] && [ -x "$bare" ] || { echo "bench: build $build first (make build)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing; run scripts/setup.sh" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$1$2" && return 0; sleep 0.05; done; echo "bench: server on $1 did not start" >&2; exit 1; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

"$bin" --db "$tmp/bench.db" demo >/dev/null
p_dj=$(free_port); "$bin" --db "$tmp/bench.db" serve --port "$p_dj" --threads "$threads" --access-log off 2>"$tmp/dj.log" & pids+=($!); pid_dj=$!
p_log=$(free_port); "$bin" --db "$tmp/bench.db" serve --port "$p_log" --threads "$threads" --access-log "$tmp/access.log" 2>"$tmp/dj2.log" & pids+=($!)
p_bare=$(free_port); "$bare" "$p_bare" "$threads" & pids+=($!)
wait_up "$p_dj" /healthz; wait_up "$p_log" /healthz; wait_up "$p_bare" /
sleep 1
idle_rss=$(rss_kib "$pid_dj")

# log in as a branch secretary, as a browser would: the login form's CSRF cookie, then the POST
jar="$tmp/jar"
csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$p_dj/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" -d "username=chenji&password=Demo2026" "http://127.0.0.1:$p_dj/login"
session=$(awk '$6=="dj_session"{print $7}' "$jar")
[ -n "$session" ] || { echo "bench: login failed" >&2; exit 1; }
export DJ_COOKIE="dj_session=$session"
# the page under test must really be the logged-in console
curl -fs -H "Cookie: $DJ_COOKIE" "http://127.0.0.1:$p_dj/console" | grep -q '张建国' || { echo "bench: /console is not logged in" >&2; exit 1; }

run() { # name port path [lua]
  local out
  if [ -n "${4:-}" ]; then out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$4" "http://127.0.0.1:$2$3")
  else out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$2$3"); fi
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out"); errs=${errs:-0}
  sock=$(awk '/Socket errors/ {print $0}' <<<"$out")
  echo "$1|$rps|$p50|$p99|$errs|${sock:-none}"
}

results=()
results+=("$(run 'bare libmicrohttpd, 13-byte reply (reference)' "$p_bare" /)")
results+=("$(run 'dangjian /console, logged in (shell + session read + 2 counts)' "$p_dj" /console bench/cookie.lua)")
results+=("$(run 'dangjian /account/password, logged in (shell + session read)' "$p_dj" /account/password bench/cookie.lua)")
results+=("$(run 'dangjian /console, logged in, access log to a file' "$p_log" /console bench/cookie.lua)")
results+=("$(run 'dangjian / public home (no session)' "$p_dj" /)")
results+=("$(run 'dangjian /healthz (one SELECT 1)' "$p_dj" /healthz)")
# resident orders (issue 4): placing them (a write transaction each) and the public tracking page
results+=("$(run 'dangjian POST /api/v1/public/orders (place an order)' "$p_dj" / bench/place.lua)")
code=$(curl -fs -H 'Content-Type: application/json' -H 'X-Real-IP: 10.255.0.1' -d '{"kind":"need","content":"路灯","org":"CJZ-CJC","contact_name":"王","contact_phone":"13800001111"}' "http://127.0.0.1:$p_dj/api/v1/public/orders" | python3 -c 'import json,sys;print(json.load(sys.stdin)["code"])')
results+=("$(run 'dangjian /track/CODE (public tracking page)' "$p_dj" "/track/$code")")
loaded_rss=$(rss_kib "$pid_dj")

bare_rps=$(cut -d'|' -f2 <<<"${results[0]}")
echo "wrk -t2 -c$conns -d${secs}s --latency, server threads: $threads, $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "| what | requests/s | vs bare | p50 | p99 | non-2xx/3xx | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---|"
for r in "${results[@]}"; do
  IFS='|' read -r name rps p50 p99 errs sock <<<"$r"
  ratio=$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN{printf "%.0f%%", 100*a/b}')
  echo "| $name | $rps | $ratio | $p50 | $p99 | $errs | $sock |"
done
echo
echo "idle RSS of dangjian serve (after start, before load): $((idle_rss / 1024)).$(( (idle_rss % 1024) * 10 / 1024 )) MiB; after the load: $((loaded_rss / 1024)).$(( (loaded_rss % 1024) * 10 / 1024 )) MiB"
