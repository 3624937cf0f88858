#!/usr/bin/env bash
# What `make test` runs after building BUILD_DIR (the ASan/UBSan build):
# the build's guards, the SQL placeholder check, unit tests, the db layer's
# smoke test and the end-to-end tests on SQLite and on a throwaway PostgreSQL
# cluster (with the query-plan test on PostgreSQL, and the theme-day browser
# tests), the browser tests, a short fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-test}
bin="$build/dangjian"
[ -x "$bin" ] || { echo "test.sh: $bin missing; run make test" >&2; exit 1; }
export DANGJIAN_BIN="$PWD/$bin"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Each e2e file starts its own server on its own port with its own database,
# so files run side by side: E2E_JOBS at once (default: the number of cores).
jobs=${E2E_JOBS:-$(nproc)}
started=$SECONDS
stage() { printf '\n==== %s (at %ds) ====\n' "$*" $((SECONDS - started)); }
tmp=$(mktemp -d)
chmod 755 "$tmp" # the cluster runs as the postgres user, which must reach it
pgdir="$tmp/pg"
cleanup() {
  [ -d "$pgdir" ] && bash scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

stage "build guards: duplicate migration numbers and SQL placeholder checks refuse bad input"
bash tests/unit/test_build_guards.sh

stage "release build (gcc -O3): its warnings differ from the debug build's, and are errors too"
if ! bash scripts/build.sh build --buildtype=release >"$tmp/release.log" 2>&1; then grep -E "error|FAILED" "$tmp/release.log" >&2; exit 1; fi

stage "SQL statements: ? placeholders match their parameter types"
python3 scripts/check_sql.py

stage "code style: the sources follow .clang-format"
if ! clang-format --dry-run --Werror src/*.[ch] tests/unit/*.c tests/fuzz/*.c 2>"$tmp/format.log"; then
  head -40 "$tmp/format.log" >&2
  echo "run: clang-format -i src/*.[ch] tests/unit/*.c tests/fuzz/*.c" >&2
  exit 1
fi

stage "unit tests (criterion)"
meson test -C "$build" --print-errorlogs

if [ -x "$build/db_smoke" ]; then
  stage "db layer smoke test on SQLite"
  "$build/db_smoke" "$tmp/smoke.db"
fi

e2e_files=(tests/e2e/*.test.js)
stage "end-to-end tests on SQLite"
node --test --test-concurrency="$jobs" "${e2e_files[@]}"

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
pg_url=$(bash scripts/pg-cluster.sh start "$pgdir" "$port" | tail -n 1)
if [ -x "$build/db_smoke" ]; then "$build/db_smoke" "$pg_url"; fi
stage "query plans on PostgreSQL: the lists' and statistics' statements read through indexes (generic plans)"
psql "$pg_url" -qc "CREATE DATABASE dj_plans"
DANGJIAN_PLAN_PG="${pg_url%/*}/dj_plans" "$build/test_list_plans"
stage "the county generator on PostgreSQL: the rows it writes on SQLite, every foreign key back after its load"
psql "$pg_url" -qc "CREATE DATABASE dj_county"
DANGJIAN_UNIT_PG="${pg_url%/*}/dj_county" "$build/test_demo_county" --filter='demo_county/postgresql_*'
stage "end-to-end tests on PostgreSQL"
DANGJIAN_PG="$pg_url" node --test --test-concurrency="$jobs" "${e2e_files[@]}"
# The browser harness (tests/browser/lib.js) starts its server through
# tests/e2e/lib.js, so DANGJIAN_PG reaches it too. The browser tests run on
# SQLite below; those whose journeys write through the theme-day statements
# (issue 14: orders, deliveries, points, reflections, the topic lists) also
# run here, on PostgreSQL, one at a time (one Chromium each).
pg_browser=()
for f in tests/browser/lessons*.test.js tests/browser/themeday*.test.js; do [ -e "$f" ] && pg_browser+=("$f"); done
if [ ${#pg_browser[@]} -gt 0 ]; then
  stage "browser tests of the theme party day on PostgreSQL"
  DANGJIAN_PG="$pg_url" node --test --test-concurrency=1 "${pg_browser[@]}"
fi
bash scripts/pg-cluster.sh stop "$pgdir" >/dev/null
rm -rf "$pgdir"

if compgen -G "tests/browser/*.test.js" >/dev/null; then
  stage "browser tests (playwright-core, Debian chromium)"
  node --test --test-concurrency=1 tests/browser/*.test.js
fi

stage "fuzzing (10 s per target)"
bash scripts/fuzz.sh 10

stage "all tests passed"
