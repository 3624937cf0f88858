/* Unit tests: the db layer on SQLite with the real migrations, and the org tree's paths;
 * the statement cache, counters and guards (db_impl.h is read for the cache's size). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "unit_db.h"
#include "db_impl.h"
#include "embedded.h"
#include "orgs.h"

static db *d;
static char path[96];

static void setup(void) { d = unit_db_open("db", path); }

static void teardown(void) { unit_db_close(d, path); }

TestSuite(db, .init = setup, .fini = teardown);

Test(db, migrations_apply_once)
{
	char err[256];
	cr_assert_eq(db_migrate(d, err, sizeof err), 0);
	cr_assert(db_int1(d, 0, "SELECT COUNT(*) FROM schema_migrations", "") >= 1);
}

Test(db, org_paths_nest)
{
	int64_t a = orgs_create(d, 0, "A", "县委", "county", "");
	int64_t b = orgs_create(d, a, "B", "镇党委", "committee", "");
	int64_t c = orgs_create(d, b, "C", "支部", "branch", "农村");
	cr_assert(a && b && c);
	char want[64];
	snprintf(want, sizeof want, "/%lld/%lld/%lld/", (long long)a, (long long)b, (long long)c);
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", c);
	cr_assert(db_next(s));
	cr_assert_str_eq(db_str(s, 0), want);
	db_done(s);
	cr_assert_eq(orgs_id_by_code(d, "B"), b);
	/* the subtree of B holds B and C only */
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE path LIKE (SELECT path FROM orgs WHERE id = ?) || '%'", "I", b), 2);
	/* unknown parent: nothing created */
	cr_assert_eq(orgs_create(d, 999, "X", "x", "branch", ""), 0);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE code = 'X'", ""), 0);
}

Test(db, duplicate_code_is_a_constraint_error)
{
	cr_assert(orgs_create(d, 0, "A", "一", "county", ""));
	cr_assert_eq(db_run(d, "INSERT INTO orgs (code, name, type, path, created_at) VALUES ('A', 'x', 'county', '/', 0)", ""), DB_CONSTRAINT);
}

Test(db, rollback_undoes)
{
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert(orgs_create(d, 0, "T", "t", "county", ""));
	db_rollback(d);
	cr_assert_eq(orgs_id_by_code(d, "T"), 0);
}

Test(db, placeholder_count_must_match_types)
{
	uint64_t prepares = db_prepare_count(d);
	db_stmt *s = db_query(d, "SELECT ? + ?", "i", 1);
	cr_assert(!db_next(s));
	cr_assert_eq(db_done(s), DB_ERR);
	cr_assert_str_eq(db_errmsg(d), "2 placeholders but 1 parameter types");
	cr_assert_eq(db_run(d, "SELECT ?", "ii", 1, 2), DB_ERR);
	cr_assert_str_eq(db_errmsg(d), "1 placeholders but 2 parameter types");
	cr_assert_eq(db_int1(d, -7, "SELECT ?", ""), -7);
	cr_assert_str_eq(db_errmsg(d), "1 placeholders but 0 parameter types");
	cr_assert_eq(db_prepare_count(d), prepares, "nothing was prepared for a mismatch");
	/* 'n' binds one placeholder; `?` in strings, identifiers and comments is none */
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM orgs WHERE code = ? OR name = ?", "nt", "x"), 0);
	cr_assert_eq(db_int1(d, -1, "SELECT ? + LENGTH('a?''?b') -- why?\n /* what? */", "i", 1), 6);
	cr_assert_eq(db_count_placeholders("SELECT \"a?\", '?', ? /* ? */ -- ?"), 1);
}

static bool cache_holds(db *c, const char *sql)
{
	for (db_stmt *s = c->newest; s; s = s->older)
		if (!strcmp(s->sql, sql))
			return true;
	return false;
}

Test(db, cache_evicts_least_recently_used)
{
	const char *hot = "SELECT COUNT(*) FROM orgs";
	char sql[64];
	/* the hot statement first comes when the cache is already full */
	for (int i = 0; i < 400; i++) {
		snprintf(sql, sizeof sql, "SELECT %d", i);
		cr_assert_eq(db_int1(d, -1, sql, ""), i);
	}
	cr_assert_eq(d->ncached, DB_CACHE_SLOTS);
	uint64_t first = db_prepare_count(d);
	cr_assert_eq(db_int1(d, -1, hot, ""), 0);
	cr_assert_eq(db_prepare_count(d), first + 1);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 400; i++) {
			snprintf(sql, sizeof sql, "SELECT %d", i);
			cr_assert_eq(db_int1(d, -1, sql, ""), i);
			cr_assert_leq(d->ncached, DB_CACHE_SLOTS);
			uint64_t before = db_prepare_count(d);
			cr_assert_eq(db_int1(d, -1, hot, ""), 0);
			cr_assert_eq(db_prepare_count(d), before, "the hot statement is prepared again at round %d, %d", round, i);
		}
	cr_assert_eq(d->ncached, DB_CACHE_SLOTS);
	cr_assert(cache_holds(d, hot));
	cr_assert(!cache_holds(d, "SELECT 0"), "the least recently used was evicted");
	/* a working set that fits is prepared once */
	for (int i = 0; i < 200; i++) {
		snprintf(sql, sizeof sql, "SELECT %d + 1", i);
		db_int1(d, -1, sql, "");
	}
	uint64_t before = db_prepare_count(d);
	for (int i = 0; i < 200; i++) {
		snprintf(sql, sizeof sql, "SELECT %d + 1", i);
		cr_assert_eq(db_int1(d, -1, sql, ""), i + 1);
	}
	cr_assert_eq(db_prepare_count(d), before);
}

Test(db, cache_keeps_statements_in_use)
{
	orgs_create(d, 0, "A", "一", "county", "");
	orgs_create(d, 0, "B", "二", "county", "");
	const char *loop = "SELECT code FROM orgs ORDER BY code";
	db_stmt *outer = db_query(d, loop, "");
	cr_assert(db_next(outer));
	cr_assert_str_eq(db_str(outer, 0), "A");
	/* nested: the busy statement is not handed out twice; a fresh one is prepared and not cached */
	int cached = d->ncached;
	uint64_t before = db_prepare_count(d);
	db_stmt *inner = db_query(d, loop, "");
	cr_assert_neq(inner, outer);
	cr_assert(db_next(inner) && db_next(inner) && !db_next(inner));
	cr_assert_eq(db_done(inner), DB_OK);
	cr_assert_eq(db_prepare_count(d), before + 1);
	cr_assert_eq(d->ncached, cached);
	/* enough other statements to evict everything idle: the busy one stays */
	char sql[64];
	for (int i = 0; i < 2 * DB_CACHE_SLOTS; i++) {
		snprintf(sql, sizeof sql, "SELECT %d", i);
		cr_assert_eq(db_int1(d, -1, sql, ""), i);
	}
	cr_assert(cache_holds(d, loop));
	cr_assert(db_next(outer));
	cr_assert_str_eq(db_str(outer, 0), "B");
	cr_assert_eq(db_done(outer), DB_OK);
	before = db_prepare_count(d);
	db_done(db_query(d, loop, ""));
	cr_assert_eq(db_prepare_count(d), before, "still cached after its long use");
}

struct trace_log {
	int n;
	char last[128];
};

static void trace_fn(void *ctx, const char *sql)
{
	struct trace_log *t = ctx;
	t->n++;
	snprintf(t->last, sizeof t->last, "%s", sql);
}

Test(db, trace_and_counters)
{
	struct trace_log t = {0};
	db_set_trace(d, trace_fn, &t);
	uint64_t count = db_statement_count(d), prepares = db_prepare_count(d);
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(db_run(d, "INSERT INTO orgs (code, name, type, path, created_at) VALUES (?, ?, 'county', '/', 0)", "tt", "Q", "q"), DB_OK);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(t.n, 1, "BEGIN and COMMIT are not traced");
	cr_assert(strstr(t.last, "INSERT INTO orgs"));
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM orgs WHERE code = ?", "t", "Q"), 1);
	db_stmt *s = db_query(d, "SELECT code FROM orgs WHERE code = ?", "t", "Q");
	while (db_next(s))
		;
	db_done(s);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM orgs WHERE code = ?", "t", "Q"), 1);
	cr_assert_eq(t.n, 4);
	cr_assert_str_eq(t.last, "SELECT COUNT(*) FROM orgs WHERE code = ?");
	cr_assert_eq(db_statement_count(d), count + 4);
	cr_assert_eq(db_prepare_count(d), prepares + 3, "the repeated SELECT COUNT(*) came from the cache");
	/* a failing statement is traced and counted too */
	cr_assert_eq(db_run(d, "SELEC nonsense", ""), DB_ERR);
	cr_assert_eq(t.n, 5);
	cr_assert_eq(db_statement_count(d), count + 5);
	db_set_trace(d, NULL, NULL);
	db_int1(d, 0, "SELECT 1", "");
	cr_assert_eq(t.n, 5, "tracing off");
	cr_assert_eq(db_statement_count(d), count + 6, "still counted");
}

Test(db, duplicate_migration_numbers_refused)
{
	const struct embedded_migration twins[] = {
		{3, "x", "SELECT 1"},
		{4, "a", "SELECT 1"},
		{4, "b", "SELECT 1"},
	};
	char err[256];
	cr_assert_eq(db_migrations_check(twins, 3, err, sizeof err), -1);
	cr_assert_str_eq(err, "migrations 004_a and 004_b share the number 004");
	cr_assert_eq(db_migrations_check(twins, 2, err, sizeof err), 0);
	cr_assert_eq(db_migrations_check(embedded_migrations, embedded_migrations_count, err, sizeof err), 0, "%s", err);
}

/* A test whose assertion fails before unit_db_close ends its process: the
 * database files are removed at exit all the same. The child stands for such
 * a test (it exits without unit_db_close). */
Test(unit_db, a_test_ended_before_close_leaves_no_file)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		char p[96];
		db *c = unit_db_open("ended", p);
		if (db_exec(c, "CREATE TABLE t (x INTEGER)") != DB_OK)
			exit(5);
		db_close(c);
		exit(access(p, F_OK) == 0 ? 3 : 4); /* 3: it was there while the test ran */
	}
	int st = 0;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %d", st);
	char p[96];
	snprintf(p, sizeof p, "/tmp/dj-unit-ended-%d.db", (int)pid);
	cr_assert_neq(access(p, F_OK), 0, "%s left behind", p);
	strcat(p, "-wal");
	cr_assert_neq(access(p, F_OK), 0, "%s left behind", p);
}
