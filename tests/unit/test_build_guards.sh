#!/usr/bin/env bash
# The build's own guards, checked on made-up inputs (run by scripts/test.sh):
#  - scripts/embed.py refuses two migrations with one number;
#  - scripts/check_sql.py finds a statement whose ? count differs from its
#    types string, through joined literals, #defines and function-like macros;
#  - a write whose result is ignored (db_run, db_begin, db_commit, audit_write,
#    notify_user) does not compile with the project's -Werror (issue 8).
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL test_build_guards: $*" >&2; exit 1; }
passed=0
ok() { passed=$((passed + 1)); }

# --- duplicate migration numbers ---------------------------------------------
mkdir "$tmp/mig"
echo "CREATE TABLE a (id @ID@);" >"$tmp/mig/004_base.sql"
echo "CREATE TABLE b (id @ID@);" >"$tmp/mig/005_a.sql"
echo "CREATE TABLE c (id @ID@);" >"$tmp/mig/005_b.sql"
set +e
python3 scripts/embed.py "$tmp/out.c" --assets --migrations "$tmp"/mig/*.sql 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "embed.py accepted two migrations numbered 005"
grep -qF "migrations 005_a.sql and 005_b.sql share the number 005" "$tmp/err" ||
  fail "embed.py's message: $(cat "$tmp/err")"
[ ! -e "$tmp/out.c" ] || fail "embed.py wrote its output anyway"
ok
# the same number written differently is the same version
mv "$tmp/mig/005_b.sql" "$tmp/mig/5_b.sql"
if python3 scripts/embed.py "$tmp/out.c" --assets --migrations "$tmp"/mig/*.sql 2>"$tmp/err"; then
  fail "embed.py accepted 005_a.sql and 5_b.sql"
fi
grep -qF "share the number" "$tmp/err" || fail "embed.py's message: $(cat "$tmp/err")"
ok
# distinct numbers pass and are embedded
mv "$tmp/mig/5_b.sql" "$tmp/mig/006_b.sql"
python3 scripts/embed.py "$tmp/out.c" --assets --migrations "$tmp"/mig/*.sql || fail "embed.py refused distinct numbers"
grep -q '{6, "b"' "$tmp/out.c" || fail "migration 006 not embedded"
ok

# --- SQL placeholders against parameter types --------------------------------
cat >"$tmp/good.c" <<'C'
#define COLS "SELECT id, name "
#define FROM_T "FROM t WHERE a = ? "
#define COUNT(cond) db_int1(d, 0, "SELECT COUNT(*) " FROM_T cond, "I", a)
db_stmt *db_query(db *d, const char *sql, const char *types, ...);
void f(db *d, int64_t a, const char *sql)
{
	db_query(d, COLS FROM_T "AND b = '?' /* ? */ AND c = ? -- ?\n", "In", a);
	db_run(d, "UPDATE t SET \"x?\" = ? "
		  "WHERE id = ?", "tI", "v", a);
	COUNT("");
	COUNT("AND b = 'it''s?'");
	db_run(d, sql, "I", a); /* not literal: skipped */
}
C
python3 scripts/check_sql.py "$tmp/good.c" >"$tmp/out" || fail "check_sql.py on good.c: $(cat "$tmp/out")"
grep -qF "4 statements checked, 1 skipped" "$tmp/out" || fail "check_sql.py counts: $(cat "$tmp/out")"
ok
cat >"$tmp/bad.c" <<'C'
#define FROM_T "FROM t WHERE a = ? "
#define COUNT(cond) db_int1(d, 0, "SELECT COUNT(*) " FROM_T cond, "I", a)
void f(db *d, int64_t a)
{
	db_query(d, "SELECT 1 " FROM_T "AND b = ?", "I", a);
	COUNT("AND b = ?");
	db_run(d, "DELETE FROM t", "x");
	db_int1(d, 0, "SELECT ?", "II", a, a);
}
C
set +e
python3 scripts/check_sql.py "$tmp/bad.c" >"$tmp/out"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "check_sql.py exit status $rc on bad.c"
grep -qF "$tmp/bad.c:5: db_query: 2 placeholders but 1 parameter types" "$tmp/out" || fail "line 5 not reported: $(cat "$tmp/out")"
grep -qF "$tmp/bad.c:6: db_int1: 2 placeholders but 1 parameter types" "$tmp/out" || fail "macro use on line 6 not reported: $(cat "$tmp/out")"
grep -qF "$tmp/bad.c:7: db_run: unknown parameter type letter" "$tmp/out" || fail "line 7 not reported: $(cat "$tmp/out")"
grep -qF "$tmp/bad.c:8: db_int1: 1 placeholders but 2 parameter types" "$tmp/out" || fail "line 8 not reported: $(cat "$tmp/out")"
ok

# --- an ignored write result fails the build ----------------------------------
cc=${CC:-cc}
for call in 'db_run(d, "DELETE FROM audit", "")' 'db_begin(d, true)' 'db_commit(d)' \
  'audit_write(d, a, "x.y", "x", 1, 1, "")' 'notify_user(d, 1, "k", "order", 1, "t", 0)'; do
  printf '#include "audit.h"\n#include "notify.h"\nvoid f(db *d, const struct actor *a);\nvoid f(db *d, const struct actor *a)\n{\n\t(void)a;\n\t%s;\n}\n' \
    "$call" >"$tmp/ignored.c"
  if "$cc" -std=c17 -Wall -Werror -Isrc -c "$tmp/ignored.c" -o "$tmp/ignored.o" 2>"$tmp/err"; then
    fail "ignoring the result of $call compiled"
  fi
  grep -q "warn_unused_result\|unused-result\|ignoring return value" "$tmp/err" || fail "$call: not refused for its ignored result: $(cat "$tmp/err")"
  # and the same call, checked, compiles
  sed -i "s|\t$call;|\tif ($call != 0)\n\t\treturn;|" "$tmp/ignored.c"
  "$cc" -std=c17 -Wall -Werror -Isrc -c "$tmp/ignored.c" -o "$tmp/ignored.o" 2>"$tmp/err" || fail "$call, checked, does not compile: $(cat "$tmp/err")"
done
ok

echo "test_build_guards: $passed passed"
