/* Unit tests: accounts and settings as domain functions (issue 7) — the CLI,
 * a page or the API leave the same audit row, written by the domain itself;
 * refused input writes nothing. On SQLite with the real migrations. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "unit_db.h"
#include "password.h"
#include "settings.h"
#include "users.h"

static db *d;
static char path[96];

static void setup(void)
{
	d = unit_db_open("users", path);
	/* a town and one of its branches, written directly: the org rules are tested elsewhere */
	cr_assert_eq(db_run(d,
			    "INSERT INTO orgs (id, code, name, type, kind, path, created_at) VALUES "
			    "(1, 'CJZ', '陈集镇党委', 'committee', '机关', '/1/', 0), "
			    "(2, 'CJZ-CJC', '陈集村党支部', 'branch', '农村', '/1/2/', 0), "
			    "(3, 'HX', '后乡镇党委', 'committee', '机关', '/3/', 0)",
			    ""),
		     DB_OK, "%s", db_errmsg(d));
}

static void teardown(void) { unit_db_close(d, path); }

TestSuite(users, .init = setup, .fini = teardown);

static int64_t count(const char *sql) { return db_int1(d, -1, sql, ""); }

/* An account's actor, as the session code fills it. */
static void account(struct actor *a, int64_t id, int role, int64_t org_id, const char *org_path, const char *username)
{
	memset(a, 0, sizeof *a);
	a->user_id = id;
	a->role = role;
	a->org_id = org_id;
	snprintf(a->org_path, sizeof a->org_path, "%s", org_path);
	snprintf(a->username, sizeof a->username, "%s", username);
	snprintf(a->ip, sizeof a->ip, "192.0.2.1");
}

Test(users, create_from_the_cli_leaves_one_audit_row_by_cli)
{
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = users_create(d, &cli, "liuxin", "刘欣", "branch", 2, "Xinyue2026", &id, &e);
	cr_assert_eq(res, DJ_OK, "%s", dj_message(res, &e));
	cr_assert_gt(id, 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit"), 1);
	db_stmt *s = db_query(d, "SELECT action, username, ip, user_id IS NULL, entity, entity_id, org_id, summary FROM audit", "");
	cr_assert(db_next(s));
	cr_assert_str_eq(db_str(s, 0), "user.create");
	cr_assert_str_eq(db_str(s, 1), "cli");
	cr_assert_str_eq(db_str(s, 2), "local");
	cr_assert_eq(db_int(s, 3), 1, "the command line is no account");
	cr_assert_str_eq(db_str(s, 4), "user");
	cr_assert_eq(db_int(s, 5), id);
	cr_assert_eq(db_int(s, 6), 2);
	cr_assert_str_eq(db_str(s, 7), "新建 liuxin（刘欣，支部书记）");
	db_done(s);
}

Test(users, create_refuses_each_bad_field_and_writes_nothing)
{
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = users_create(d, &cli, "Bad Name", "", "root", 99, "123", &id, &e);
	cr_assert_eq(res, DJ_INVALID);
	for (const char *f = "username\0name\0role\0org_id\0password\0"; *f; f += strlen(f) + 1)
		cr_assert_not_null(ferr_get(&e, f), "%s", f);
	cr_assert_eq(id, 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM users"), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit"), 0);

	/* a taken username, and an org outside the caller's subtree */
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_create(d, &cli, "liuxin", "刘欣", "member", 2, "Xinyue2026", &id, &e), DJ_OK);
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_create(d, &cli, "liuxin", "刘欣", "member", 2, "Xinyue2026", &id, &e), DJ_INVALID);
	cr_assert_str_eq(ferr_get(&e, "username"), "用户名已存在");
	struct actor town;
	account(&town, 0, R_ADMIN, 1, "/1/", "admin1");
	town.role = R_COMMITTEE;
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_create(d, &town, "other", "某", "member", 2, "Other2026", &id, &e), DJ_FORBIDDEN, "only admin manages accounts");
	cr_assert_eq(count("SELECT COUNT(*) FROM audit"), 1);
}

Test(users, passwords_by_the_cli_and_by_the_account_itself)
{
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	int64_t id = 0;
	cr_assert_eq(users_create(d, &cli, "chenji", "张建国", "branch", 2, "Jianguo2026", &id, &e), DJ_OK);
	cr_assert_eq(db_run(d,
			    "INSERT INTO sessions (id, user_id, kind, csrf, ip, created_at, last_seen, expires_at) "
			    "VALUES ('s1', ?, 'web', 'c', 'x', 0, 0, 9999999999)",
			    "I", id),
		     DB_OK, "%s", db_errmsg(d));

	cr_assert_eq(users_set_password(d, &cli, id, "short", &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "password"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_set_password(d, &cli, id, "Jianguo2027", &e), DJ_OK, "%s", dj_message(DJ_OK, &e));
	cr_assert_eq(count("SELECT COUNT(*) FROM sessions"), 0, "a reset ends the account's sessions");
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'user.password' AND username = 'cli' AND summary = '命令行重置密码'"), 1);

	struct actor self;
	account(&self, id, R_BRANCH, 2, "/1/2/", "chenji");
	cr_assert_eq(users_set_password(d, &self, id, "Jianguo2028", &e), DJ_OK);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'user.password' AND username = 'chenji' AND summary = '本人修改密码' "
			   "AND org_id = 2 AND entity_id = user_id"),
		     1);
	char *hash = users_password_hash_of(d, id);
	cr_assert(password_verify(hash, "Jianguo2028"));
	free(hash);

	/* another branch secretary may not, and does not even see the account */
	struct actor other;
	account(&other, id + 100, R_BRANCH, 2, "/1/2/", "xijie");
	cr_assert_eq(users_set_password(d, &other, id, "Xijie20260", &e), DJ_NOT_FOUND);
}

Test(users, nobody_deactivates_or_demotes_themselves)
{
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	int64_t id = 0;
	cr_assert_eq(users_create(d, &cli, "admin", "管理员", "admin", 1, "Guanli2026", &id, &e), DJ_OK);
	struct actor me;
	account(&me, id, R_ADMIN, 1, "/1/", "admin");
	cr_assert_eq(users_update(d, &me, id, "管理员", "admin", 1, false, "", &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "role"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_update(d, &me, id, "管理员", "committee", 1, true, NULL, &e), DJ_INVALID);
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_update(d, &me, id, "系统管理员", "admin", 3, true, NULL, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert_eq(
		count("SELECT COUNT(*) FROM audit WHERE action = 'user.update' AND summary = '管理员/admin/org 1/启用 → 系统管理员/admin/org 3/启用'"), 1);
	cr_assert_eq(users_update(d, &me, id + 1, "某", "admin", 1, true, NULL, &e), DJ_NOT_FOUND);
}

Test(users, settings_refuse_a_bad_value_and_write_nothing)
{
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	cr_assert_eq(settings_set(d, &cli, "order_auto_close_days", "seven", &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "value"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(settings_set(d, &cli, "order_limit.normal.accept", "-5", &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "value"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(settings_set(d, &cli, "colour", "red", &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "key"));
	cr_assert_eq(count("SELECT COUNT(*) FROM settings WHERE key IN ('order_auto_close_days', 'order_limit.normal.accept', 'colour')"), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit"), 0);

	memset(&e, 0, sizeof e);
	cr_assert_eq(settings_set(d, &cli, "order_auto_close_days", "5", &e), DJ_OK);
	cr_assert_eq(db_int1(d, 0, "SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'order_auto_close_days'", ""), 5);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'setting.set' AND username = 'cli' AND summary = 'order_auto_close_days = 5'"), 1);

	struct actor branch;
	account(&branch, 7, R_BRANCH, 2, "/1/2/", "chenji");
	cr_assert_eq(settings_set(d, &branch, "site_name", "别处", &e), DJ_FORBIDDEN);
}

/* issue 8 §9: a password being set may not contain the username, be the demo
 * password or be a common one — on every path that sets one; the demo's own
 * accounts keep the published demo password. */
Test(users, passwords_with_the_username_the_demo_password_or_a_common_one_are_refused)
{
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	int64_t id = 0;
	const char *bad[] = {"Liuxin2026", "xLIUXINx99", "Demo2026", "demo2026!", "Password1", "qwerty123", "woaini1314", "1qaz2wsx", "Abc123456"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&e, 0, sizeof e);
		cr_assert_eq(users_create(d, &cli, "liuxin", "刘欣", "member", 2, bad[i], &id, &e), DJ_INVALID, "%s", bad[i]);
		cr_assert_not_null(ferr_get(&e, "password"), "%s", bad[i]);
		cr_assert(strstr(ferr_get(&e, "password"), "密码"), "the message names the field: %s", ferr_get(&e, "password"));
	}
	cr_assert_eq(count("SELECT COUNT(*) FROM users"), 0);
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_create(d, &cli, "liuxin", "刘欣", "member", 2, "Xinyue2026", &id, &e), DJ_OK);
	/* passwd (CLI and the account itself) and the admin form */
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_set_password(d, &cli, id, "Demo2026", &e), DJ_INVALID);
	cr_assert_str_eq(ferr_get(&e, "password"), "密码不能使用演示密码");
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_set_password(d, &cli, id, "LiuXin-2027", &e), DJ_INVALID);
	cr_assert_str_eq(ferr_get(&e, "password"), "密码不能包含用户名");
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_update(d, &cli, id, "刘欣", "member", 2, true, "iloveyou123", &e), DJ_INVALID);
	cr_assert_str_eq(ferr_get(&e, "password"), "密码过于常见，容易被猜中，请换一个");
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_set_password(d, &cli, id, "Xinyue2027", &e), DJ_OK);
	/* the demo's accounts */
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_create_demo(d, &cli, "demo1", "演示", "member", 2, "Demo2026", &id, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	memset(&e, 0, sizeof e);
	cr_assert_eq(users_create_demo(d, &cli, "demo2", "演示", "member", 2, "short", &id, &e), DJ_INVALID, "the strength rules still apply");
}
