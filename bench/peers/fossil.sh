#!/usr/bin/env bash
# Fossil's ticket reports beside dangjian on the county, in one run (issue 9
# "Must show": a list of 25 at least 50x Fossil's report rate, the statistics
# at least 100x its GROUP BY report). Fossil 2.21 from Debian (apt-get install
# fossil; only this benchmark uses it), a repository of 10,000 tickets made
# with `fossil ticket add` (real ticket artifacts, kept in $FOSSIL_DIR between
# runs: making it takes a few minutes), served by `fossil server` on loopback;
# dangjian (release build) serves a county (COUNTY_DB, made with `dangjian
# demo --scale county`); the bare libmicrohttpd reply is measured in the same
# run. wrk on loopback, bounded: every run lasts SECONDS.
#   COUNTY_DB=FILE bash bench/peers/fossil.sh BUILD_DIR [SECONDS] [CONNECTIONS]
# FOSSIL_ONLY=1: only make the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build-r}
secs=${2:-5}
conns=${3:-16}
threads=${THREADS:-4}
bin="$PWD/$build/dangjian"; bare="$PWD/$build/bare"
[ -x "$bin" ] && [ -x "$bare" ] || { echo "bench: build $build first" >&2; exit 1; }
command -v fossil >/dev/null || { echo "bench: fossil missing (apt-get install fossil)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing" >&2; exit 1; }
[ -n "${COUNTY_DB:-}${FOSSIL_ONLY:-}" ] || { echo "bench: COUNTY_DB=FILE (dangjian demo --scale county)" >&2; exit 1; }
fdir=${FOSSIL_DIR:-/tmp/dj-bench-fossil}
export USER=${USER:-bench}

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

# ---- the Fossil repository: 10,000 tickets, and two reports of our own ----
repo="$fdir/tickets.fossil"
if [ ! -f "$repo" ] || [ "$(fossil sql -R "$repo" 'SELECT COUNT(*) FROM ticket' 2>/dev/null)" != 10000 ]; then
  mkdir -p "$fdir"; rm -f "$repo"
  fossil init "$repo" >/dev/null
  t0=$(date +%s)
  statuses=(Open Open Open Verified Review Fixed Fixed Tested Deferred Closed Closed Closed)
  types=(Code_Defect Build_Problem Documentation Feature_Request Incident)
  subs=(ui db api docs build)
  for i in $(seq 1 10000); do
    fossil ticket add -R "$repo" title "ticket $i: something to fix in ${subs[$((i % 5))]}" status "${statuses[$((i % 12))]}" \
      type "${types[$((i % 5))]}" priority "$((i % 5 + 1))_Prio" severity "Important" subsystem "${subs[$((i % 5))]}" \
      comment "reported by user $((i % 97)); steps to reproduce follow" >/dev/null
  done
  echo "fossil: 10,000 tickets added in $(( $(date +%s) - t0 )) s"
  # rn 2: 25 open tickets, newest first (a list of 25); rn 3: counts by status and type (a GROUP BY report)
  fossil sql -R "$repo" "INSERT INTO reportfmt (owner, title, mtime, cols, sqlcode) VALUES
    ('bench', '25 open, newest first', 0, '', 'SELECT tkt_uuid, title, status, type, tkt_ctime FROM ticket WHERE status = ''Open'' ORDER BY tkt_ctime DESC LIMIT 25'),
    ('bench', 'by status and type', 0, '', 'SELECT status, type, COUNT(*) AS n FROM ticket GROUP BY status, type')" >/dev/null
fi
[ -z "${FOSSIL_ONLY:-}" ] || exit 0 # only make the repository
rn_list=$(fossil sql -R "$repo" "SELECT rn FROM reportfmt WHERE title = '25 open, newest first'")
rn_group=$(fossil sql -R "$repo" "SELECT rn FROM reportfmt WHERE title = 'by status and type'")
p_fossil=$(free_port)
fossil server --port "$p_fossil" --localhost "$repo" >"$tmp/fossil.log" 2>&1 & pids+=($!)
wait_up "$p_fossil" "/rptview?rn=$rn_group"
curl -fs "http://127.0.0.1:$p_fossil/rptview?rn=$rn_group" | grep 'Code_Defect' >/dev/null || { echo "bench: fossil report not readable" >&2; exit 1; }

# ---- dangjian on the county ----
cp "$COUNTY_DB" "$tmp/county.db"; rm -f "$tmp/county.db-wal" "$tmp/county.db-shm"
p_dj=$(free_port)
"$bin" --db "$tmp/county.db" serve --port "$p_dj" --threads "$threads" --access-log off >"$tmp/serve.log" 2>&1 & pids+=($!)
wait_up "$p_dj" /healthz
token() { curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"Demo2026\"}" "http://127.0.0.1:$1/api/v1/session" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])'; }
county=$(sqlite3 "$tmp/county.db" "SELECT code FROM orgs WHERE type = 'county' ORDER BY id LIMIT 1")
town=$(sqlite3 "$tmp/county.db" "SELECT code FROM orgs WHERE type = 'committee' ORDER BY id LIMIT 1")
branch=$(sqlite3 "$tmp/county.db" "SELECT code FROM orgs WHERE type = 'branch' AND path LIKE (SELECT path FROM orgs WHERE code = '$town') || '%' ORDER BY id LIMIT 1")
# the order list page as the town committee sees it (a session cookie)
cookie() { # port user
  local jar="$tmp/jar-$2" csrf
  csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$1/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" -d "username=$2&password=Demo2026" "http://127.0.0.1:$1/login"
  echo "dj_session=$(awk '$6=="dj_session"{print $7}' "$jar")"
}
today=$(TZ=Asia/Shanghai date +%F)
m0=$(TZ=Asia/Shanghai date -d "$(date +%Y-%m-01) -1 month" +%F); m1=$(TZ=Asia/Shanghai date -d "$(date +%Y-%m-01) -1 day" +%F)
y0=$(TZ=Asia/Shanghai date -d "$today -365 days" +%F)

p_bare=$(free_port); "$bare" "$p_bare" "$threads" & pids+=($!); wait_up "$p_bare" /

declare -A rate
run() { # key label port path [lua]
  local out rps p50 p99 errs
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency ${5:+-s "$5"} "http://127.0.0.1:$3$4")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out")
  rate[$1]=$rps
  echo "| $2 | $rps | $p50 | $p99 | ${errs:-0} | \`$4\` |"
}
echo "wrk -t2 -c$conns -d${secs}s --latency on loopback, $(nproc) cores; $(fossil version | cut -d' ' -f1-5), fossil server (a process per connection); dangjian serve --threads $threads on a county of $(sqlite3 "$tmp/county.db" 'SELECT COUNT(*) FROM orders') orders"
echo "load average (1, 5, 15 min) before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | requests/s | p50 | p99 | non-2xx/3xx | path |"
echo "|---|---:|---:|---:|---:|---|"
run bare "bare libmicrohttpd, 13-byte reply (reference)" "$p_bare" /
run f_all "Fossil: report 'All Tickets' (10,000 rows)" "$p_fossil" "/rptview?rn=1"
run f_list "Fossil: report of 25 open tickets, newest first" "$p_fossil" "/rptview?rn=$rn_list"
run f_group "Fossil: GROUP BY report (status, type)" "$p_fossil" "/rptview?rn=$rn_group"
export DJ_TOKEN; DJ_TOKEN=$(token "$p_dj" t01zuzhi)
run d_list "dangjian: GET /api/v1/orders?limit=25&state=submitted (town committee)" "$p_dj" "/api/v1/orders?limit=25&state=submitted" bench/bearer.lua
run d_list_all "dangjian: GET /api/v1/orders?limit=25 (town committee)" "$p_dj" "/api/v1/orders?limit=25" bench/bearer.lua
export DJ_COOKIE; DJ_COOKIE=$(cookie "$p_dj" t01zuzhi)
run d_page "dangjian: GET /orders, the page of 25 (town committee)" "$p_dj" "/orders" bench/cookie.lua
DJ_TOKEN=$(token "$p_dj" admin)
run d_branch "dangjian: GET /api/v1/stats/orders, branch-month" "$p_dj" "/api/v1/stats/orders?org=$branch&from=$m0&to=$m1" bench/bearer.lua
run d_town "dangjian: GET /api/v1/stats/orders, town-month" "$p_dj" "/api/v1/stats/orders?org=$town&from=$m0&to=$m1" bench/bearer.lua
run d_county "dangjian: GET /api/v1/stats/orders, county-year" "$p_dj" "/api/v1/stats/orders?org=$county&from=$y0&to=$today" bench/bearer.lua
run d_metrics "dangjian: GET /metrics" "$p_dj" "/metrics"
run bare2 "bare libmicrohttpd, 13-byte reply (again)" "$p_bare" /
echo "load average (1, 5, 15 min) after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
ratio() { python3 -c "print(f'{float(\"$1\") / float(\"$2\"):.1f}')"; }
echo "- list of 25 (open/submitted) against Fossil's report of 25: $(ratio "${rate[d_list]}" "${rate[f_list]}")x; against 'All Tickets': $(ratio "${rate[d_list]}" "${rate[f_all]}")x"
echo "- list of 25 (all states) against Fossil's report of 25: $(ratio "${rate[d_list_all]}" "${rate[f_list]}")x; against 'All Tickets': $(ratio "${rate[d_list_all]}" "${rate[f_all]}")x"
echo "- the page of 25 (all states) against Fossil's report of 25: $(ratio "${rate[d_page]}" "${rate[f_list]}")x"
echo "- statistics against Fossil's GROUP BY report: branch-month $(ratio "${rate[d_branch]}" "${rate[f_group]}")x; town-month $(ratio "${rate[d_town]}" "${rate[f_group]}")x; county-year: $(ratio "${rate[d_county]}" "${rate[f_group]}")x"
