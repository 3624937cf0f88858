#!/usr/bin/env bash
# Points rankings at town scale (issue 11): a town of 5,000 members (the county
# generator with one town) and 200,000 ledger entries over a year, its totals
# recounted from the ledger; the town's member ranking (API and page), one
# month's ranking and the ranking of its branches, measured with wrk on
# loopback beside a bare libmicrohttpd reply in the same run. Bounded: every
# wrk run lasts SECONDS. Prints a Markdown table for docs/performance.md.
#   bash bench/points.sh BUILD_DIR [SECONDS] [CONNECTIONS]
# The 200,000 entries are written with one INSERT … SELECT (the columns
# points_award writes: a rule version, its points, the day, month and year in
# Asia/Shanghai, a distinct source each); the totals are the ledger's sums.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?build dir}
secs=${2:-5}
conns=${3:-16}
threads=${THREADS:-4}
members=${MEMBERS:-5000}
entries=${ENTRIES:-200000}
bin="$build/dangjian"; bare="$build/bare"
[ -x "$bin" ] && [ -x "$bare" ] || { echo "bench: build $build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing; run scripts/setup.sh" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$1$2" && return 0; sleep 0.05; done; echo "bench: server on $1 did not start" >&2; exit 1; }

db="$tmp/town.db"
"$bin" --db "$db" demo --scale county --towns 1 --members "$members" --orders 5000 >/dev/null
sqlite3 "$db" <<SQL
PRAGMA journal_mode=WAL;
CREATE TEMP TABLE mem AS SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id, org_id FROM members WHERE status <> 'stopped';
CREATE TEMP TABLE rul AS SELECT ROW_NUMBER() OVER (ORDER BY code) - 1 AS k, id, code, points FROM points_rules;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $entries),
t AS (SELECT i, 1767196800 + (i * 15731) % (330 * 86400) AS at FROM n)
INSERT INTO points_ledger (member_id, org_id, kind, code, rule_id, qty, points, reason, source_kind, source_id, at, year, month, day,
                           actor, created_at)
SELECT m.id, m.org_id, 'award', r.code, r.id, 1, r.points, '', 'bench', t.i, t.at, 2026,
       CAST(strftime('%m', t.at + 28800, 'unixepoch') AS INTEGER), t.at - (t.at + 28800) % 86400, '系统', t.at
FROM t JOIN mem m ON m.k = (t.i * 7919) % (SELECT COUNT(*) FROM mem) JOIN rul r ON r.k = t.i % (SELECT COUNT(*) FROM rul);
INSERT INTO points_totals (member_id, year, month, points, entries)
SELECT member_id, year, 0, SUM(points), COUNT(*) FROM points_ledger GROUP BY member_id, year
UNION ALL SELECT member_id, year, month, SUM(points), COUNT(*) FROM points_ledger GROUP BY member_id, year, month;
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
SQL

serve() { # db → $port
  port=$(free_port)
  "$bin" --db "$1" serve --port "$port" --threads "$threads" --access-log off >>"$tmp/serve.log" 2>&1 & pids+=($!)
  wait_up "$port" /healthz
}
token() { # port user
  curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"Demo2026\"}" "http://127.0.0.1:$1/api/v1/session" |
    python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])'
}
cookie() { # port user
  local jar="$tmp/jar-$1-$2" csrf
  csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$1/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" -d "username=$2&password=Demo2026" "http://127.0.0.1:$1/login"
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

town=$(sqlite3 "$db" "SELECT code FROM orgs WHERE type = 'committee' ORDER BY id LIMIT 1")
p_bare=$(free_port); "$bare" "$p_bare" "$threads" & pids+=($!); wait_up "$p_bare" /
serve "$db"
export DJ_TOKEN DJ_COOKIE
DJ_TOKEN=$(token "$port" t01zuzhi)
DJ_COOKIE=$(cookie "$port" t01zuzhi)
# the API's answer is checked before it is timed: the town's members, totals from the ledger
curl -fs -H "Authorization: Bearer $DJ_TOKEN" "http://127.0.0.1:$port/api/v1/points/ranking?org=$town&year=2026&limit=1" |
  python3 -c 'import json,sys;j=json.load(sys.stdin);assert j["total"]>=4000, j;print(j["total"], "members,", j["ranking"][0]["points"], "points at the top", file=sys.stderr)'
curl -fs -H "Cookie: $DJ_COOKIE" "http://127.0.0.1:$port/points/ranking?org=$town&year=2026" | grep -q 'points-ranking' || { echo "bench: page not logged in" >&2; exit 1; }

echo "wrk -t2 -c$conns -d${secs}s --latency, server threads: $threads, $(nproc) cores; one town: $(sqlite3 "$db" "SELECT COUNT(*) FROM members") members, $(sqlite3 "$db" 'SELECT COUNT(*) FROM points_ledger') ledger entries"
echo
echo "| what | requests/s | p50 | p99 | non-2xx/3xx |"
echo "|---|---:|---:|---:|---:|"
run "bare libmicrohttpd, 13-byte reply (reference)" "$p_bare" /
run "GET /api/v1/points/ranking?org=TOWN&year=2026 (first 100 of the town)" "$port" "/api/v1/points/ranking?org=$town&year=2026" bench/bearer.lua
run "GET /points/ranking?org=TOWN&year=2026 (the page)" "$port" "/points/ranking?org=$town&year=2026" bench/cookie.lua
run "GET /api/v1/points/ranking?org=TOWN&year=2026&month=6" "$port" "/api/v1/points/ranking?org=$town&year=2026&month=6" bench/bearer.lua
run "GET /api/v1/points/town?org=TOWN&year=2026 (its branches)" "$port" "/api/v1/points/town?org=$town&year=2026" bench/bearer.lua
run "bare libmicrohttpd, 13-byte reply (again)" "$p_bare" /
# a ranking nobody has read since the last entry is computed from the database:
# the first read of five periods not read before, one at a time
cold=()
for m in 7 8 9 10 11; do
  cold+=("$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $DJ_TOKEN" "http://127.0.0.1:$port/api/v1/points/ranking?org=$town&year=2026&month=$m")")
done
echo
echo "first read of a ranking (computed, not kept), 5 periods, seconds: ${cold[*]}"
