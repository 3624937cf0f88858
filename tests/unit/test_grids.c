/* Unit tests: grids and households as domain functions (SPEC M9, issue 7) —
 * the checks name their fields, the caller's subtree bounds what it may touch,
 * and every change leaves its audit row. On SQLite with the real migrations. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "unit_db.h"
#include "grids.h"

static db *d;
static char path[96];

static void setup(void)
{
	d = unit_db_open("grids", path);
	cr_assert_eq(db_run(d,
			    "INSERT INTO orgs (id, code, name, type, kind, path, created_at) VALUES "
			    "(1, 'CJZ', '陈集镇党委', 'committee', '机关', '/1/', 0), "
			    "(2, 'CJZ-CJC', '陈集村党支部', 'branch', '农村', '/1/2/', 0), "
			    "(3, 'CJZ-XJC', '西街村党支部', 'branch', '农村', '/1/3/', 0), "
			    "(4, 'CJZ-ZX', '陈集镇中学党支部', 'branch', '学校', '/1/4/', 0)",
			    ""),
		     DB_OK, "%s", db_errmsg(d));
	cr_assert_eq(db_run(d,
			    "INSERT INTO users (id, username, password_hash, name, role, org_id, active, created_at, updated_at) VALUES "
			    "(5, 'wangge', '', '赵丽', 'grid', 2, 1, 0, 0)",
			    ""),
		     DB_OK, "%s", db_errmsg(d));
}

static void teardown(void) { unit_db_close(d, path); }

TestSuite(grids, .init = setup, .fini = teardown);

static void secretary(struct actor *a, int64_t org_id, const char *org_path)
{
	memset(a, 0, sizeof *a);
	a->user_id = 9;
	a->role = R_BRANCH;
	a->org_id = org_id;
	snprintf(a->org_path, sizeof a->org_path, "%s", org_path);
	snprintf(a->username, sizeof a->username, "sec%lld", (long long)org_id);
}

static int64_t count(const char *sql) { return db_int1(d, -1, sql, ""); }

Test(grids, create_checks_every_field_within_the_subtree)
{
	struct actor chenji;
	secretary(&chenji, 2, "/1/2/");
	struct field_errors e = {0};
	int64_t id = 0;
	cr_assert_eq(grid_create(d, &chenji, "G", "", "CJZ-XJC", "nobody", &id, &e), DJ_INVALID);
	for (const char *f = "code\0name\0org\0worker\0"; *f; f += strlen(f) + 1)
		cr_assert_not_null(ferr_get(&e, f), "%s", f);
	cr_assert_str_eq(ferr_get(&e, "org"), "组织不在您的管辖范围内");
	memset(&e, 0, sizeof e);
	cr_assert_eq(grid_create(d, &chenji, "CJC-G1", "第一网格", "CJZ-ZX", NULL, &id, &e), DJ_INVALID, "a school is neither village nor community");
	cr_assert_eq(count("SELECT COUNT(*) FROM grids") + count("SELECT COUNT(*) FROM audit"), 0);

	memset(&e, 0, sizeof e);
	cr_assert_eq(grid_create(d, &chenji, "CJC-G1", "陈集村第一网格", "CJZ-CJC", "wangge", &id, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'grid.create' AND username = 'sec2' AND org_id = 2 AND summary = 'CJC-G1'"), 1);
	struct grid g;
	cr_assert_eq(grid_load(d, &chenji, "CJC-G1", &g, &e), DJ_OK);
	cr_assert_eq(g.id, id);
	cr_assert_str_eq(g.worker, "wangge");
	memset(&e, 0, sizeof e);
	cr_assert_eq(grid_create(d, &chenji, "CJC-G1", "又一个", "CJZ-CJC", NULL, &id, &e), DJ_INVALID);
	cr_assert_str_eq(ferr_get(&e, "code"), "网格编码已存在");

	/* the neighbouring branch does not see it */
	struct actor xijie;
	secretary(&xijie, 3, "/1/3/");
	cr_assert_eq(grid_load(d, &xijie, "CJC-G1", &g, &e), DJ_NOT_FOUND);
	int64_t hid = 0;
	cr_assert_eq(household_add(d, &xijie, "CJC-G1", "别村", "", 1, 0, &hid, &e), DJ_NOT_FOUND);
}

Test(grids, households_are_checked_and_audited)
{
	struct actor chenji;
	secretary(&chenji, 2, "/1/2/");
	struct field_errors e = {0};
	int64_t gid = 0, hid = 0;
	cr_assert_eq(grid_create(d, &chenji, "CJC-G1", "陈集村第一网格", "CJZ-CJC", NULL, &gid, &e), DJ_OK);
	cr_assert_eq(household_add(d, &chenji, "CJC-G1", "", "", 99, 12345, &hid, &e), DJ_INVALID);
	for (const char *f = "address\0size\0central_member_id\0"; *f; f += strlen(f) + 1)
		cr_assert_not_null(ferr_get(&e, f), "%s", f);
	cr_assert_eq(count("SELECT COUNT(*) FROM households"), 0);
	memset(&e, 0, sizeof e);
	cr_assert_eq(household_add(d, &chenji, "CJC-G1", "东阿县陈集镇陈集村88号", "王某", 4, 0, &hid, &e), DJ_OK);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'household.create' AND entity = 'household' "
			   "AND summary = '东阿县陈集镇陈集村88号' AND org_id = 2"),
		     1);
	struct grid g;
	cr_assert_eq(grid_load(d, &chenji, "CJC-G1", &g, &e), DJ_OK);
	cr_assert_eq(g.households, 1);
	cr_assert_eq(g.residents, 4);
}

static void grid_worker(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->user_id = 5;
	a->role = R_GRID;
	a->org_id = 2;
	snprintf(a->org_path, sizeof a->org_path, "/1/2/");
	snprintf(a->username, sizeof a->username, "wangge");
}

Test(grids, a_grid_worker_manages_the_households_of_their_own_grid_only)
{
	struct actor chenji, wangge;
	secretary(&chenji, 2, "/1/2/");
	grid_worker(&wangge);
	struct field_errors e = {0};
	int64_t id;
	cr_assert_eq(grid_create(d, &chenji, "CJC-G1", "第一网格", "CJZ-CJC", "wangge", &id, &e), DJ_OK);
	cr_assert_eq(grid_create(d, &chenji, "CJC-G2", "第二网格", "CJZ-CJC", NULL, &id, &e), DJ_OK);
	cr_assert_eq(grid_create(d, &chenji, "mine", "保留字", "CJZ-CJC", NULL, &id, &e), DJ_INVALID);
	memset(&e, 0, sizeof e);
	int64_t h1, h2;
	cr_assert_eq(household_add(d, &wangge, "CJC-G1", "东街 1 号", "王某", 3, 0, &h1, &e), DJ_OK);
	cr_assert_eq(household_add(d, &wangge, "CJC-G2", "西街 1 号", "李某", 3, 0, &h2, &e), DJ_FORBIDDEN);
	memset(&e, 0, sizeof e);
	cr_assert_eq(household_add(d, &chenji, "CJC-G2", "西街 1 号", "李某", 3, 0, &h2, &e), DJ_OK);
	cr_assert_eq(household_update(d, &wangge, "CJC-G2", h2, "西街 2 号", "李某", 2, 0, &e), DJ_FORBIDDEN);
	memset(&e, 0, sizeof e);
	cr_assert_eq(household_update(d, &wangge, "CJC-G1", h2, "西街 2 号", "李某", 2, 0, &e), DJ_NOT_FOUND, "another grid's household");
	memset(&e, 0, sizeof e);
	cr_assert_eq(household_update(d, &wangge, "CJC-G1", h1, "", "王某", 99, 0, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "address"));
	cr_assert_not_null(ferr_get(&e, "size"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(household_update(d, &wangge, "CJC-G1", h1, "东街 1 号之一", "王某", 4, 0, &e), DJ_OK);
	cr_assert_eq(household_remove(d, &wangge, "CJC-G2", h2, &e), DJ_FORBIDDEN);
	memset(&e, 0, sizeof e);
	cr_assert_eq(household_remove(d, &wangge, "CJC-G1", h1, &e), DJ_OK);
	cr_assert_eq(count("SELECT COUNT(*) FROM households"), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action IN ('household.update', 'household.delete') AND username = 'wangge'"), 2);
	/* a grid is renamed and given a worker by the branch, not by the grid worker */
	cr_assert_eq(grid_update(d, &wangge, "CJC-G2", "改名", "wangge", &e), DJ_FORBIDDEN);
	memset(&e, 0, sizeof e);
	cr_assert_eq(grid_update(d, &chenji, "CJC-G2", "西街网格", "nobody", &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "worker"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(grid_update(d, &chenji, "CJC-G2", "西街网格", "wangge", &e), DJ_OK);
	cr_assert_eq(count("SELECT COUNT(*) FROM grids WHERE code = 'CJC-G2' AND name = '西街网格' AND worker_user_id = 5"), 1);
}

Test(grids, a_leader_collects_opinions_counted_for_them)
{
	struct actor chenji, wangge, xijie;
	secretary(&chenji, 2, "/1/2/");
	secretary(&xijie, 3, "/1/3/");
	grid_worker(&wangge);
	struct field_errors e = {0};
	int64_t gid, lid;
	cr_assert_eq(grid_create(d, &chenji, "CJC-G1", "第一网格", "CJZ-CJC", "wangge", &gid, &e), DJ_OK);
	cr_assert_eq(leader_add(d, &chenji, "CJC-G1", "队长", "", "1", NULL, "nobody", &lid, &e), DJ_INVALID);
	for (const char *f = "role\0name\0phone\0username\0"; *f; f += strlen(f) + 1)
		cr_assert_not_null(ferr_get(&e, f), "%s", f);
	memset(&e, 0, sizeof e);
	cr_assert_eq(leader_add(d, &wangge, "CJC-G1", "邻长", "孙大妈", "13700001111", "东街 1–10 号", "wangge", &lid, &e), DJ_OK, "%s",
		     dj_message(DJ_INVALID, &e));
	char code[24];
	bool repeated;
	cr_assert_eq(leader_collect(d, &xijie, lid, "别村的", NULL, "某", "13600001111", NULL, code, &repeated, &e), DJ_NOT_FOUND);
	memset(&e, 0, sizeof e);
	cr_assert_eq(leader_collect(d, &wangge, lid, "", NULL, "", "1", NULL, code, &repeated, &e), DJ_INVALID);
	cr_assert_eq(count("SELECT COUNT(*) FROM orders"), 0);
	memset(&e, 0, sizeof e);
	cr_assert_eq(leader_collect(d, &wangge, lid, "路灯坏了", NULL, "赵大爷", "13600007777", "k-0000001", code, &repeated, &e), DJ_OK);
	cr_assert_eq(leader_collect(d, &wangge, lid, "路灯坏了", NULL, "赵大爷", "13600007777", "k-0000001", code, &repeated, &e), DJ_OK);
	cr_assert(repeated);
	cr_assert_eq(count("SELECT COUNT(*) FROM orders WHERE kind = 'opinion' AND grid_id IS NOT NULL"), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM order_collectors WHERE leader_id = 1 AND entered_by = 5"), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'order.collect'"), 1);
	/* removed: kept for the count, gone from the grid, no longer collects */
	cr_assert_eq(leader_remove(d, &chenji, "CJC-G1", lid, &e), DJ_OK);
	cr_assert_eq(count("SELECT COUNT(*) FROM grid_leaders WHERE removed_at IS NOT NULL"), 1);
	cr_assert_eq(leader_collect(d, &chenji, lid, "再来", NULL, "某", "13600001111", NULL, code, &repeated, &e), DJ_NOT_FOUND);
}
