#!/usr/bin/env bash
# Volunteer check-in under load (issue 12): 300 members of the demo town check
# in to one activity by scanning its QR code within the minute, at 64
# connections (wrk -t2 -c64, bench/checkin.lua: each request a member's own
# bearer token and the code of the minute). The members' logins and API
# tokens are written straight into the fresh demo database first (300
# password hashes would cost a minute of argon2id and measure nothing of the
# check-in); the activity, the code and the scans go through the server.
# Then the database must hold exactly 300 check-ins, each once. The reference,
# in the same run and with the same wrk settings: a bare libmicrohttpd reply
# (bench/bare.c, 4 threads like the server's default), measured before and
# after the scans; the load average is printed at the start and the end.
#   bash bench/checkin.sh BUILD_DIR [SECONDS] [DB_URL]
# DB_URL: a PostgreSQL database to use instead of a SQLite file (emptied: give a throwaway one).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-10}
pg=${3:-}
bin="$build/dangjian"; bare="$build/bare"
[ -x "$bin" ] && [ -x "$bare" ] || { echo "bench: build $build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing; run scripts/setup.sh" >&2; exit 1; }
tmp=$(mktemp -d)
pid=; bpid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$bpid" ] && kill "$bpid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
db="$tmp/demo.db"; [ -n "$pg" ] && db=$pg
"$bin" --db "$db" demo >/dev/null

# 300 roster members of the town without a login get one, and an API token each
sql=$(python3 - <<'PY'
import hashlib
print("BEGIN;")
for n in range(300):
    tok = hashlib.blake2b(f"bench-volunteer-token-{n:04d}".encode(), digest_size=32).hexdigest()
    print(f"""INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at)
  SELECT 'bench-m{n}', 'x', m.name, 'member', m.org_id, 0, 0 FROM members m WHERE m.user_id IS NULL AND m.status <> 'stopped' ORDER BY m.id LIMIT 1;
UPDATE members SET user_id = (SELECT id FROM users WHERE username = 'bench-m{n}') WHERE id = (SELECT id FROM members WHERE user_id IS NULL AND status <> 'stopped' ORDER BY id LIMIT 1);
INSERT INTO sessions (id, user_id, kind, csrf, created_at, last_seen, expires_at)
  SELECT '{tok}', id, 'api', 'x', 0, 4102444800, 4102444800 FROM users WHERE username = 'bench-m{n}';""")
print("COMMIT;")
PY
)
if [ -n "$pg" ]; then psql -q "$pg" <<<"$sql" >/dev/null; else sqlite3 "$db" <<<"$sql"; fi

p=$(free_port)
"$bin" --db "$db" serve --port "$p" --access-log off >/dev/null 2>"$tmp/serve.log" & pid=$!
for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$p/healthz" && break; sleep 0.05; done
base="http://127.0.0.1:$p"
# the town's organiser makes an activity under way now, open to the whole town
tok=$(curl -fs -H 'content-type: application/json' -d '{"username":"zuzhi","password":"Demo2026"}' "$base/api/v1/session" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
now=$(date +%s)
id=$(curl -fs -H "authorization: Bearer $tok" -H 'content-type: application/json' \
  -d "{\"title\":\"全镇志愿服务日\",\"kind\":\"cleanup\",\"place\":\"陈集镇文化广场\",\"starts\":\"$((now - 600))\",\"ends\":\"$((now + 7200))\",\"capacity\":400,\"org\":\"CJZ\"}" \
  "$base/api/v1/volunteer/activities" | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
# the code of the minute, as the organiser's screen shows it (console session)
jar="$tmp/jar"
csrf=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" -d "username=zuzhi&password=Demo2026" "$base/login"
code=$(curl -fs -b "$jar" "$base/checkin/volunteer/$id/code" | python3 -c 'import json,sys;print(json.load(sys.stdin)["code"])')

# the reference: a bare libmicrohttpd reply, same wrk settings, before and after
pb=$(free_port); "$bare" "$pb" 4 & bpid=$!
for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$pb/" && break; sleep 0.05; done
row() { # label wrk-output checked
  local errs sock
  errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$2"); sock=$(awk '/Socket errors/ {sub(/^ +/, ""); print}' <<<"$2")
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$2")" \
    "$(awk '$1=="50%" {print $2}' <<<"$2")" "$(awk '$1=="99%" {print $2}' <<<"$2")" "${errs:-0}" "${sock:-none}" "$3"
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
ref1=$(wrk -t2 -c64 -d"${secs}s" --latency "http://127.0.0.1:$pb/")
out=$(SCAN_PATH="/api/v1/volunteer/activities/$id/actions/scan" SCAN_CODE="$code" wrk -t2 -c64 -d"${secs}s" --latency -s bench/checkin.lua "$base/")
ref2=$(wrk -t2 -c64 -d"${secs}s" --latency "http://127.0.0.1:$pb/")
load1=$(cut -d' ' -f1-3 /proc/loadavg)
echo "wrk -t2 -c64 -d${secs}s --latency, $(nproc) cores, load average at start: $load0, at the end: $load1, $([ -n "$pg" ] && echo PostgreSQL || echo SQLite)"
echo "$out" | sed -n '/Latency Distribution/,/Requests\/sec/p'
errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out")
checked=$(curl -fs -H "authorization: Bearer $tok" "$base/api/v1/volunteer/activities/$id" | python3 -c 'import json,sys;print(json.load(sys.stdin)["activity"]["checked_in"])')
echo
echo "| what | requests/s | p50 | p99 | non-2xx/3xx | socket errors | checked in |"
echo "|---|---:|---:|---:|---:|---|---:|"
row "bare libmicrohttpd, 13-byte reply (reference, before)" "$ref1" ""
row "POST …/actions/scan, 300 members, 64 connections" "$out" "$checked"
row "bare libmicrohttpd, 13-byte reply (reference, after)" "$ref2" ""
[ "${errs:-0}" = 0 ] && [ "$checked" = 300 ] || { echo "bench: errors, or not 300 check-ins" >&2; tail -5 "$tmp/serve.log" >&2; exit 1; }
