/* Unit tests: the db layer on SQLite with the real migrations, and the org tree's paths. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "orgs.h"

static db *d;
static char path[64];

static void setup(void)
{
	snprintf(path, sizeof path, "/tmp/dj-unit-%d.db", (int)getpid());
	unlink(path);
	char err[256];
	d = db_open(path, err, sizeof err);
	cr_assert_not_null(d, "%s", err);
	cr_assert(db_migrate(d, err, sizeof err) > 0, "%s", err);
}

static void teardown(void)
{
	db_close(d);
	char p[80];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path), unlink(p);
	snprintf(p, sizeof p, "%s-shm", path), unlink(p);
}

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
	cr_assert_eq(db_run(d, "INSERT INTO orgs (code, name, type, path, created_at) VALUES ('A', 'x', 'county', '/', 0)", ""),
		     DB_CONSTRAINT);
}

Test(db, rollback_undoes)
{
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert(orgs_create(d, 0, "T", "t", "county", ""));
	db_rollback(d);
	cr_assert_eq(orgs_id_by_code(d, "T"), 0);
}
