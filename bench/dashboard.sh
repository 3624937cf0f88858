#!/usr/bin/env bash
# The dashboard (issue 17): GET /api/v1/dashboard (every registered figure)
# and the /dashboard page for the demo town's year, a branch's month, and
# optionally a county (TOWNS > 0: `dangjian demo --scale county --towns N`),
# and a county database already generated (COUNTY_DB=path: served as it is —
# pass your own copy, `serve` migrates it), with wrk on loopback beside a bare
# libmicrohttpd reply in the same run. Each dashboard is measured twice: the
# same period again and again (answered from the answer cache after the
# first request, figures.h figure_count), and a period that changes with
# every request (bench/dashboard_uncached.lua: every answer counted), plus
# the time of one cold request.
#   bash bench/dashboard.sh BUILD_DIR [SECONDS] [CONNECTIONS] [TOWNS]
# Bounded: every wrk run lasts SECONDS; the databases made here are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-r}
secs=${2:-5}
conns=${3:-16}
towns=${4:-0}
threads=${THREADS:-4}
bin="$PWD/$build/dangjian"; bare="$PWD/$build/bare"
[ -x "$bin" ] && [ -x "$bare" ] || { echo "bench: build $build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$1/healthz" && return 0; sleep 0.05; done; echo "bench: server on $1 did not start" >&2; exit 1; }
run() { # name port path [lua]
  local out rps p50 p99 errs
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency ${4:+-s "$4"} "http://127.0.0.1:$2$3")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out")
  echo "| $1 | $rps | $p50 | $p99 | ${errs:-0} |"
}
token() { curl -fs -X POST -H 'content-type: application/json' -d "{\"username\":\"$2\",\"password\":\"Demo2026\"}" "http://127.0.0.1:$1/api/v1/session" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])'; }
settle() { # db: wait (at most 120 s) until the server's start-up tick has written its audit entries, which move the cache's generation
  local a b
  for _ in $(seq 60); do
    a=$(sqlite3 "$1" "SELECT MAX(id) FROM audit"); sleep 2; b=$(sqlite3 "$1" "SELECT MAX(id) FROM audit")
    [ "$a" = "$b" ] && return 0
  done
}
cookie() { # port user: the session cookie of a login through the form
  local jar="$tmp/jar-$2" csrf
  csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$1/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "username=$2" --data-urlencode "password=Demo2026" "http://127.0.0.1:$1/login"
  awk '$6 ~ /sid|session/ {print $6 "=" $7}' "$jar" | head -1
}

p_bare=$(free_port); "$bare" "$p_bare" "$threads" & pids+=($!)
wait_up "$p_bare"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| what | req/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
run "bare reply (reference)" "$p_bare" /

"$bin" --db "$tmp/town.db" demo >/dev/null
port=$(free_port)
"$bin" --db "$tmp/town.db" serve --port "$port" --threads "$threads" --access-log off 2>"$tmp/serve.log" & pids+=($!)
wait_up "$port"
settle "$tmp/town.db"
export DJ_TOKEN DJ_COOKIE
DJ_TOKEN=$(token "$port" zuzhi)
n=$(curl -fs -H "Authorization: Bearer $DJ_TOKEN" "http://127.0.0.1:$port/api/v1/dashboard?org=CJZ&preset=year" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)["figures"]))')
year=$(date -u +%Y)
cold() { # name port path: one request's time, counted (a period nobody asked for yet)
  local t
  t=$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $DJ_TOKEN" "http://127.0.0.1:$2$3")
  echo "| $1 | one request | ${t}s | | |"
}
export DJ_PATH DJ_YEAR="$year"
cold "demo town: API, $n figures, this year, cold" "$port" "/api/v1/dashboard?org=CJZ&from=$year-01-01&to=$year-12-30"
run "demo town: API, $n figures, this year" "$port" "/api/v1/dashboard?org=CJZ&preset=year" bench/bearer.lua
DJ_PATH="/api/v1/dashboard?org=CJZ"
run "demo town: API, $n figures, a new period each request (uncached)" "$port" "/" bench/dashboard_uncached.lua
run "demo town: API, a branch, this month" "$port" "/api/v1/dashboard?org=CJZ-CJC&preset=month" bench/bearer.lua
DJ_COOKIE=$(cookie "$port" zuzhi)
run "demo town: /dashboard page with both charts, this year" "$port" "/dashboard?org=CJZ&preset=year" bench/cookie.lua

if [ "$towns" -gt 0 ]; then
  "$bin" --db "$tmp/county.db" demo --scale county --towns "$towns" >"$tmp/county.txt"
  sed -n '1,2p' "$tmp/county.txt"
  read -r county < <(sqlite3 "$tmp/county.db" "SELECT code FROM orgs WHERE type = 'county' ORDER BY id LIMIT 1")
  port=$(free_port)
  "$bin" --db "$tmp/county.db" serve --port "$port" --threads "$threads" --access-log off 2>"$tmp/serve-county.log" & pids+=($!)
  wait_up "$port"
  settle "$tmp/county.db"
  DJ_TOKEN=$(token "$port" admin)
  read -r town < <(sqlite3 "$tmp/county.db" "SELECT code FROM orgs WHERE type = 'committee' ORDER BY id LIMIT 1")
  cold "county of $towns towns: API, this year, cold" "$port" "/api/v1/dashboard?org=$county&from=$year-01-01&to=$year-12-30"
  run "county of $towns towns: API, this year" "$port" "/api/v1/dashboard?org=$county&preset=year" bench/bearer.lua
  DJ_PATH="/api/v1/dashboard?org=$county"
  run "county of $towns towns: API, a new period each request (uncached)" "$port" "/" bench/dashboard_uncached.lua
  cold "a town of the county ($town): API, this year, cold" "$port" "/api/v1/dashboard?org=$town&from=$year-01-01&to=$year-12-30"
  run "a town of the county ($town): API, this year" "$port" "/api/v1/dashboard?org=$town&preset=year" bench/bearer.lua
  DJ_PATH="/api/v1/dashboard?org=$town"
  run "a town of the county ($town): API, a new period each request (uncached)" "$port" "/" bench/dashboard_uncached.lua
fi

if [ -n "${COUNTY_DB:-}" ]; then
  read -r county < <(sqlite3 "$COUNTY_DB" "SELECT code FROM orgs WHERE type = 'county' ORDER BY id LIMIT 1")
  echo "county database: $(sqlite3 "$COUNTY_DB" "SELECT (SELECT COUNT(*) FROM members) || ' members, ' || (SELECT COUNT(*) FROM orders) || ' orders, ' || (SELECT COUNT(*) FROM orgs WHERE type = 'branch') || ' branches'")"
  port=$(free_port)
  "$bin" --db "$COUNTY_DB" serve --port "$port" --threads "$threads" --access-log off 2>"$tmp/serve-big.log" & pids+=($!)
  for _ in $(seq 1200); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
  settle "$COUNTY_DB"
  DJ_TOKEN=$(token "$port" admin)
  cold "county database: API, this year, cold" "$port" "/api/v1/dashboard?org=$county&from=$year-01-01&to=$year-12-30"
  run "county database: API, this year" "$port" "/api/v1/dashboard?org=$county&preset=year" bench/bearer.lua
  DJ_PATH="/api/v1/dashboard?org=$county"
  run "county database: API, a new period each request (uncached)" "$port" "/" bench/dashboard_uncached.lua
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
