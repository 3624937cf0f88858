#!/usr/bin/env bash
# The monthly check (issue 16, SPEC M8) over a generated county: TOWNS towns of
# 15 branches (2: a town-sized 30 branches; 20: a county of 300) with the
# generator's three years of orders, ~1,000 members per branch and its last
# year of meetings (三会一课, 红色七点半), decisions, volunteer service, theme-day
# plans and the points they earned (issue 9 §1; a county made before the
# generator wrote plans gets a plan per branch and month here in bulk SQL). Times
# GET /api/v1/assessment/checks for one month over every branch (the
# committee's view: every item of every branch from the records) RUNS times,
# beside a reference measured in the same run: the order statistics of the
# same month over the same subtree (/api/v1/stats/orders, one aggregate
# query). Prints a Markdown table row.
#   bash bench/assess.sh BUILD_DIR [TOWNS] [RUNS]
# COUNTY_DB=FILE reuses a county made with `dangjian demo --scale county --towns N`.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?build dir}
towns=${2:-2}
runs=${3:-5}
month=${MONTH:-2026-10}
bin="$build/dangjian"
[ -x "$bin" ] || { echo "bench: build $build first" >&2; exit 1; }

tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

t0=$(date +%s)
if [ -n "${COUNTY_DB:-}" ]; then cp "$COUNTY_DB" "$tmp/c.db"
else "$bin" --db "$tmp/c.db" demo --scale county --towns "$towns" >/dev/null; fi
y=${month%-*}
# the generator's orgs are written today but its orders go back three years:
# they entered the system then (a branch is assessed from the month of
# orgs.created_at; otherwise the month measured would be 未纳入考核)
sqlite3 "$tmp/c.db" "UPDATE orgs SET created_at = CAST(strftime('%s', printf('%d-01-01', $y - 3)) AS INTEGER) - 28800"
# a county generated before the generator made theme-day plans: a plan per
# branch and month of the year, two parts of three done
[ "$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM theme_plans")" != 0 ] || sqlite3 "$tmp/c.db" <<SQL
WITH RECURSIVE m(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM m WHERE k < 12)
INSERT INTO theme_plans (org_id, month, created_at) SELECT g.id, printf('%d-%02d', $y, m.k), 0 FROM orgs g, m WHERE g.type = 'branch';
INSERT INTO theme_plan_parts (plan_id, part, title, done_kind, done_id, done_title, done_at)
SELECT p.id, x.part, x.part, CASE WHEN x.part = 'practice' THEN NULL ELSE 'practice' END, CASE WHEN x.part = 'practice' THEN NULL ELSE 1 END, '', NULL
FROM theme_plans p, (SELECT 'lesson' AS part UNION ALL SELECT 'film' UNION ALL SELECT 'practice') x;
SQL
gen=$(( $(date +%s) - t0 ))
branches=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM orgs WHERE type = 'branch'")
orders=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM orders")
members=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM members")
ledger=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM points_ledger")
meetings=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM meetings WHERE state = 'held'")
attendance=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM meeting_attendance")
decisions=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM decisions")
signups=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM volunteer_signups WHERE checkin_at IS NOT NULL")

# the county's check may take longer than the default 5 s request budget
"$bin" --db "$tmp/c.db" config set request_timeout 60 >/dev/null
port=$(free_port)
"$bin" --db "$tmp/c.db" serve --port "$port" --access-log off >"$tmp/serve.log" 2>&1 & pid=$!
for _ in $(seq 1200); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
tok=$(curl -fs -H 'Content-Type: application/json' -d '{"username":"admin","password":"Demo2026"}' "http://127.0.0.1:$port/api/v1/session" |
	python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() { # path → the median of RUNS total times, seconds
	for _ in $(seq "$runs"); do
		curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $tok" "http://127.0.0.1:$port$1"
	done | median
}
check=$(time_of "/api/v1/assessment/checks?month=$month")
ref=$(time_of "/api/v1/stats/orders?from=$month-01&to=$month-28")
echo "| branches | orders | members | meetings held (attendance rows) | decisions | volunteer attendances | points entries | monthly check (median of $runs) | reference: order statistics of the month | generated in |"
echo "|---|---|---|---|---|---|---|---|---|---|"
echo "| $branches | $orders | $members | $meetings ($attendance) | $decisions | $signups | $ledger | ${check} s | ${ref} s | ${gen} s |"
