#!/usr/bin/env bash
# What compressing answers costs and saves (issue 10 §10): a logged-in list page
# (/orders, ~19 KB of HTML) and ECharts with and without Accept-Encoding under wrk,
# the bytes each sends, and zlib's time per page at levels 1, 6 (what server.c
# uses) and 9. Prints Markdown lines for docs/performance.md.
#   bash bench/compress.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-8}
conns=${3:-16}
bin="$build/dangjian"
[ -x "$bin" ] || { echo "bench: build $build first (make build)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing; run scripts/setup.sh" >&2; exit 1; }

tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$bin" --db "$tmp/bench.db" demo >/dev/null
"$bin" --db "$tmp/bench.db" serve --port "$port" --access-log off 2>"$tmp/dj.log" & pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.05; done

jar="$tmp/jar"
csrf=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" -d "username=chenji&password=Demo2026" "$base/login"
session=$(awk '$6=="dj_session"{print $7}' "$jar")
[ -n "$session" ] || { echo "bench: login failed" >&2; exit 1; }
export DJ_COOKIE="dj_session=$session"
curl -fs -H "Cookie: $DJ_COOKIE" -o "$tmp/orders.html" "$base/orders"
echarts=$(curl -fs "$base/stats/orders" -H "Cookie: $DJ_COOKIE" | grep -o '/static/echarts.min.js?v=[0-9a-f]*')

size() { curl -fs -o /dev/null -w '%{size_download}' -H "Cookie: $DJ_COOKIE" ${2:+-H "Accept-Encoding: $2"} "$base$1"; }
run() { # name path accept-encoding
  local out rps p50 p99
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/cookie.lua ${3:+-H "Accept-Encoding: $3"} "$base$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "| $1 | $(size "$2" "${3:-}") | $rps | $p50 | $p99 |"
}

echo "wrk -t2 -c$conns -d${secs}s --latency, $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "| what | bytes sent | requests/s | p50 | p99 |"
echo "|---|---:|---:|---:|---:|"
run '/orders, logged in, plain' /orders
run '/orders, logged in, Accept-Encoding: gzip (level 6 per answer)' /orders gzip
run 'ECharts, plain' "$echarts"
run 'ECharts, Accept-Encoding: gzip, br (brotli made at build time)' "$echarts" 'gzip, br'
echo
python3 - "$tmp/orders.html" <<'PY'
import sys, time, zlib
page = open(sys.argv[1], "rb").read()
for level in (1, 6, 9):
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 1:
        c = zlib.compressobj(level, zlib.DEFLATED, 31)
        z = c.compress(page) + c.flush()
        n += 1
    us = (time.perf_counter() - t0) / n * 1e6
    print(f"zlib level {level}: /orders {len(page)} → {len(z)} bytes in {us:.0f} µs of one core")
PY
