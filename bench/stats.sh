#!/usr/bin/env bash
# The statistics of a county (issue 9 §2, §4): GET /api/v1/stats/orders for a
# branch-month, a town-month and the county-year, and /metrics, with wrk on
# loopback beside a bare libmicrohttpd reply measured in the same run.
#   bash bench/stats.sh BUILD_DIR [SECONDS] [CONNECTIONS] [TOWNS]
# BEFORE=/path/to/an/older/dangjian: the county is built by that binary and
# measured with it first ("before"), then the same file, migrated by
# BUILD_DIR's dangjian (migration 018 counts the summary), is measured again
# ("after"); `dangjian check` then compares the summary with a recount.
# Bounded: every wrk run lasts SECONDS; the county is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-r}
secs=${2:-5}
conns=${3:-16}
towns=${4:-2}
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

maker=${BEFORE:-$bin}
if [ -n "${COUNTY_DB:-}" ]; then
  # a county built before (by the before binary, or one without the summary's later migrations)
  cp "$COUNTY_DB" "$tmp/county.db"
  echo "county: a copy of $COUNTY_DB"
else
  t0=$(date +%s.%N)
  "$maker" --db "$tmp/county.db" demo --scale county --towns "$towns" >"$tmp/demo.txt"
  t1=$(date +%s.%N)
  echo "county built in $(printf '%.0f' "$(echo "$t1 - $t0" | bc)") s by ${BEFORE:+the before binary}${BEFORE:-$build}:"
  sed -n '1,3p' "$tmp/demo.txt"
fi
echo "load average (1, 5, 15 min) before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
orders=$(sqlite3 "$tmp/county.db" "SELECT COUNT(*) FROM orders")
size=$(du -m "$tmp/county.db" | cut -f1)
echo "orders: $orders, database: $size MB"

# the org codes and the periods: the branch with most orders, its town, the county
read -r county < <(sqlite3 "$tmp/county.db" "SELECT code FROM orgs WHERE type = 'county' ORDER BY id LIMIT 1")
read -r branch town < <(sqlite3 -separator ' ' "$tmp/county.db" "SELECT b.code, t.code FROM orders o JOIN orgs b ON b.id = o.org_id JOIN orgs t ON b.path LIKE t.path || '%' AND t.type = 'committee' GROUP BY b.id ORDER BY COUNT(*) DESC LIMIT 1")
today=$(TZ=Asia/Shanghai date +%F)
m0=$(TZ=Asia/Shanghai date -d "$(date +%Y-%m-01) -1 month" +%F); m1=$(TZ=Asia/Shanghai date -d "$(date +%Y-%m-01) -1 day" +%F)
y0=$(TZ=Asia/Shanghai date -d "$today -365 days" +%F)
# twelve whole months, the last one ending yesterday's month
w0=$(TZ=Asia/Shanghai date -d "$(date +%Y-%m-01) -12 month" +%F)
in_month=$(sqlite3 "$tmp/county.db" "SELECT COUNT(*) FROM orders o JOIN orgs b ON b.id = o.org_id WHERE b.code = '$branch' AND o.created_at >= strftime('%s', '$m0') - 28800 AND o.created_at < strftime('%s', '$m1') + 86400 - 28800")
echo "branch $branch ($in_month orders in $m0..$m1), town $town, county $county ($y0..$today)"

p_bare=$(free_port); "$bare" "$p_bare" "$threads" & pids+=($!)

run() { # name port path [lua]
  local out rps p50 p99 errs
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency ${4:+-s "$4"} "http://127.0.0.1:$2$3")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out")
  echo "| $1 | $rps | $p50 | $p99 | ${errs:-0} |"
}
# a login is a write: on a county just started, the first minute's background
# work can keep the writer busy for a while (503 with Retry-After): retry
token() {
  local t
  for _ in $(seq 60); do
    t=$(curl -s -X POST -H 'content-type: application/json' -d '{"username":"admin","password":"Demo2026"}' "http://127.0.0.1:$1/api/v1/session" |
      python3 -c 'import json,sys;print(json.load(sys.stdin).get("token",""))' 2>/dev/null || true)
    [ -n "$t" ] && { echo "$t"; return 0; }
    sleep 5
  done
  echo "bench: no login on $1" >&2; return 1
}
measure() { # label binary db
  local port; port=$(free_port)
  "$2" --db "$3" serve --port "$port" --threads "$threads" --access-log off 2>"$tmp/serve-$1.log" & local pid=$!; pids+=($pid)
  wait_up "$port"
  local t0; t0=$(date +%s)
  export DJ_TOKEN; DJ_TOKEN=$(token "$port")
  echo "($1: first login answered $(( $(date +%s) - t0 )) s after start)" >&2
  local i=0
  for q in "org=$branch&from=$m0&to=$m1" "org=$town&from=$m0&to=$m1" "org=$county&from=$y0&to=$today" "org=$county&from=$w0&to=$m1"; do
    curl -fs -H "Authorization: Bearer $DJ_TOKEN" "http://127.0.0.1:$port/api/v1/stats/orders?$q" >"$tmp/$1-$i.json"; i=$((i + 1))
  done
  run "$1: bare reply (reference)" "$p_bare" /
  run "$1: stats, branch-month" "$port" "/api/v1/stats/orders?org=$branch&from=$m0&to=$m1" bench/bearer.lua
  run "$1: stats, town-month" "$port" "/api/v1/stats/orders?org=$town&from=$m0&to=$m1" bench/bearer.lua
  run "$1: stats, county-year" "$port" "/api/v1/stats/orders?org=$county&from=$y0&to=$today" bench/bearer.lua
  run "$1: stats, county, 12 whole months" "$port" "/api/v1/stats/orders?org=$county&from=$w0&to=$m1" bench/bearer.lua
  run "$1: /metrics" "$port" /metrics
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo
echo "| what | req/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
if [ -n "${BEFORE:-}" ]; then
  measure before "$BEFORE" "$tmp/county.db"
  cp "$tmp/county.db" "$tmp/before.db"
fi
# the migration (on a county made before it) and the check, timed
# (SKIP_CHECK=1: only the migration; the check of a 1,000,000-order county
# takes minutes)
if [ -n "${SKIP_CHECK:-}" ]; then
  t0=$(date +%s.%N); "$bin" --db "$tmp/county.db" init >/dev/null; t1=$(date +%s.%N)
  echo "migrate (if needed): $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s"
  measure after "$bin" "$tmp/county.db"
  echo "load average (1, 5, 15 min) after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
t0=$(date +%s.%N)
"$bin" --db "$tmp/county.db" check >"$tmp/check.txt" || { cat "$tmp/check.txt"; echo "bench: check failed" >&2; exit 1; }
t1=$(date +%s.%N)
measure after "$bin" "$tmp/county.db"
echo
echo "migrate (if needed) + dangjian check: $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s; $(grep 'order summary' "$tmp/check.txt")"
t0=$(date +%s.%N); "$bin" --db "$tmp/county.db" check >/dev/null; t1=$(date +%s.%N)
echo "dangjian check alone: $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s"
echo "load average (1, 5, 15 min) after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BEFORE:-}" ]; then
  for f in "$tmp"/before-*.json; do
    g=${f/before-/after-}
    python3 - "$f" "$g" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
diff = {k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)}
print(sys.argv[1].rsplit('/', 1)[1], 'before = after' if not diff else f'DIFFERENT: {diff}')
PY
  done
fi
