#!/usr/bin/env bash
# Lists that scale (issue 9 §2, issue 10 §3): the orders list of a town (page
# and API) and member search by the last 4 ID digits over a county, measured
# with wrk on loopback beside a bare libmicrohttpd reply in the same run;
# "before" (a build without migration 019 and the new list SQL, on the same
# county without 019's indexes) and "after". Bounded: every wrk run lasts
# SECONDS. Prints a Markdown table for docs/performance.md.
#   bash bench/lists.sh BUILD_DIR [BASE_BUILD_DIR] [SECONDS] [CONNECTIONS]
# COUNTY_DB=FILE reuses a county made with `dangjian demo --scale county
# --towns N` (TOWNS, default 1) instead of generating one. PREV=BINARY
# measures that binary (the commit before) on the same county first.
# Besides the order list: the roster page of a town, the public wish wall
# (page and API) and a branch secretary's inbox (page and API).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?build dir}
base=${2:-}
secs=${3:-5}
conns=${4:-16}
threads=${THREADS:-4}
towns=${TOWNS:-1}
bin="$build/dangjian"; bare="$build/bare"
[ -x "$bin" ] && [ -x "$bare" ] || { echo "bench: build $build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing; run scripts/setup.sh" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
# BENCH_PORTS=LO-HI: the servers listen on a free port of that range (a
# shared machine where each engineer has one), else on any free port
free_port() { python3 -c '
import os, socket
lo, hi = map(int, (os.environ.get("BENCH_PORTS") or "0-0").split("-"))
for p in range(lo, hi + 1):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(s.getsockname()[1]); break
    except OSError:
        s.close()
else:
    raise SystemExit("bench: no free port in " + os.environ.get("BENCH_PORTS", ""))'; }
wait_up() { for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$1$2" && return 0; sleep 0.05; done; echo "bench: server on $1 did not start" >&2; exit 1; }

if [ -n "${COUNTY_DB:-}" ]; then cp "$COUNTY_DB" "$tmp/after.db"
else "$bin" --db "$tmp/after.db" demo --scale county --towns "$towns" >/dev/null; fi
rm -f "$tmp/after.db-wal" "$tmp/after.db-shm"

serve() { # binary db → $port
  port=$(free_port)
  "$1" --db "$2" serve --port "$port" --threads "$threads" --access-log off >>"$tmp/serve.log" 2>&1 & pids+=($!)
  wait_up "$port" /healthz
}
# a login is a write: on a county just started the first minute's background
# work can hold the writer for a while (503 with Retry-After): retry
token() { # port user
  local t
  for _ in $(seq 60); do
    t=$(curl -s -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"Demo2026\"}" "http://127.0.0.1:$1/api/v1/session" |
      python3 -c 'import json,sys;print(json.load(sys.stdin).get("token",""))' 2>/dev/null || true)
    [ -n "$t" ] && { echo "$t"; return 0; }
    sleep 5
  done
  echo "bench: no login on $1" >&2; return 1
}
cookie() { # port user
  local jar="$tmp/jar-$1-$2" csrf
  for _ in $(seq 60); do
    csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$1/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
    curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" -d "username=$2&password=Demo2026" "http://127.0.0.1:$1/login"
    awk '$6=="dj_session"{f=1} END{exit !f}' "$jar" && break
    sleep 5
  done
  echo "dj_session=$(awk '$6=="dj_session"{print $7}' "$jar")"
}
run() { # label port path lua
  local out rps p50 p99 errs
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency ${4:+-s "$4"} "http://127.0.0.1:$2$3")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out")
  echo "| $1 | $rps | $p50 | $p99 | ${errs:-0} |"
}

# a member's ID tail to search the county for (one that exists)
tail4=$(sqlite3 "$tmp/after.db" "SELECT id_tail FROM members ORDER BY id LIMIT 1 OFFSET 777")
town=$(sqlite3 "$tmp/after.db" "SELECT code FROM orgs WHERE type = 'committee' ORDER BY id LIMIT 1")
# the first town's branch secretary with the most messages
read -r inbox_user inbox_n < <(sqlite3 -separator ' ' "$tmp/after.db" "SELECT u.username, COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username LIKE 't01b%' AND u.role = 'branch' GROUP BY u.id ORDER BY COUNT(*) DESC LIMIT 1")
p_bare=$(free_port); "$bare" "$p_bare" "$threads" & pids+=($!); wait_up "$p_bare" /

measure() { # label binary db
  serve "$2" "$3"
  export DJ_TOKEN; DJ_TOKEN=$(token "$port" t01zuzhi)
  local page_cookie; page_cookie=$(cookie "$port" t01zuzhi)
  export DJ_COOKIE="$page_cookie"
  curl -fs -H "Cookie: $DJ_COOKIE" "http://127.0.0.1:$port/orders" | grep '诉求办理' >/dev/null || { echo "bench: /orders not logged in" >&2; exit 1; }
  run "$1: GET /orders (town committee's page)" "$port" /orders bench/cookie.lua
  run "$1: GET /api/v1/orders?limit=25 (town)" "$port" "/api/v1/orders?limit=25" bench/bearer.lua
  run "$1: GET /api/v1/orders?limit=25&state=escalated (town)" "$port" "/api/v1/orders?limit=25&state=escalated" bench/bearer.lua
  export DJ_COOKIE; DJ_COOKIE=$(cookie "$port" t01zuzhi)
  run "$1: GET /members (roster page of a town)" "$port" "/members" bench/cookie.lua
  export DJ_TOKEN; DJ_TOKEN=$(token "$port" admin)
  run "$1: GET /api/v1/members?q=ID tail (whole county)" "$port" "/api/v1/members?q=$tail4&org=X01" bench/bearer.lua
  run "$1: GET /wishes (public wish wall)" "$port" "/wishes"
  run "$1: GET /api/v1/public/wishes" "$port" "/api/v1/public/wishes"
  DJ_COOKIE=$(cookie "$port" "$inbox_user")
  run "$1: GET /inbox ($inbox_user, $inbox_n messages)" "$port" "/inbox" bench/cookie.lua
  DJ_TOKEN=$(token "$port" "$inbox_user")
  run "$1: GET /api/v1/inbox ($inbox_user)" "$port" "/api/v1/inbox" bench/bearer.lua
}

echo "load average (1, 5, 15 min) before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c$conns -d${secs}s --latency, server threads: $threads, $(nproc) cores; county of $(sqlite3 "$tmp/after.db" "SELECT COUNT(*) FROM orgs WHERE type = 'committee'") town(s): $(sqlite3 "$tmp/after.db" 'SELECT COUNT(*) FROM orders') orders, $(sqlite3 "$tmp/after.db" 'SELECT COUNT(*) FROM members') members"
echo
echo "| what | requests/s | p50 | p99 | non-2xx/3xx |"
echo "|---|---:|---:|---:|---:|"
run "bare libmicrohttpd, 13-byte reply (reference)" "$p_bare" /
if [ -n "$base" ]; then
  # the same county without migration 019 (its indexes), served by the build before it
  cp "$tmp/after.db" "$tmp/before.db"
  sqlite3 "$tmp/before.db" "$(sed -n 's/^CREATE INDEX \([a-z_0-9]*\) .*/DROP INDEX IF EXISTS \1;/p' migrations/019_list_indexes.sql) DELETE FROM schema_migrations WHERE version = 19;"
  measure "before" "$base/dangjian" "$tmp/before.db"
fi
if [ -n "${PREV:-}" ]; then
  measure "commit before" "$PREV" "$tmp/after.db"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  "$bin" --db "$tmp/after.db" init >/dev/null # this build's migrations, before it serves
fi
measure "after" "$bin" "$tmp/after.db"
run "bare libmicrohttpd, 13-byte reply (again)" "$p_bare" /
echo "load average (1, 5, 15 min) after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
