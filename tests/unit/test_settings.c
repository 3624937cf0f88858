/* Unit tests: the settings as the page saves them (every field checked
 * before anything is written, hours into seconds, emptied means default) and
 * the database backup (issue 10 §9): a copy made with the online backup API
 * while a transaction is open has the committed rows of every table. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "settings.h"
#include "unit_db.h"

static db *d;
static char path[96];

static void setup(void) { d = unit_db_open("settings", path); }
static void teardown(void) { unit_db_close(d, path); }
TestSuite(settings, .init = setup, .fini = teardown);

static int64_t count(const char *sql) { return db_int1(d, -1, sql, ""); }

struct form {
	const char *k[8], *v[8];
};
static const char *lookup(void *ctx, const char *field)
{
	struct form *f = ctx;
	for (int i = 0; i < 8 && f->k[i]; i++)
		if (!strcmp(f->k[i], field))
			return f->v[i];
	return NULL;
}

static void count_defs(const struct setting_def *s, void *ctx)
{
	(void)s;
	(*(int *)ctx)++;
}

Test(settings, every_key_is_known_and_checked)
{
	int n = 0;
	settings_each_def(count_defs, &n);
	cr_assert_eq(n, 1 + 6 + 36 + 4); /* site name; limits per urgency, per kind; auto-close, metrics token, backups, request budget */
	struct field_errors e = {0};
	cr_assert_eq(settings_check("order_limit.wish.urgent.deliver", "3600", &e), DJ_OK);
	cr_assert_eq(settings_check("order_limit.nonsense.accept", "3600", &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "key"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(settings_check("backup_dir", "relative", &e), DJ_INVALID);
	cr_assert_eq(settings_check("site_name", "", &e), DJ_INVALID);
}

Test(settings, save_checks_all_then_writes_the_changed_ones)
{
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	int changed = -1;
	struct form bad = {{"normal.accept", "urgent.deliver", "order_auto_close_days"}, {"2", "abc", "0"}};
	cr_assert_eq(settings_save(d, &cli, lookup, &bad, false, &changed, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "urgent.deliver"));
	cr_assert_not_null(ferr_get(&e, "order_auto_close_days"));
	cr_assert_null(ferr_get(&e, "normal.accept"));
	cr_assert_eq(count("SELECT COUNT(*) FROM settings"), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit"), 0);

	memset(&e, 0, sizeof e);
	struct form ok = {{"normal.accept", "need.complex.deliver", "site_name"}, {"2", " 1.5 ", "陈集镇"}};
	cr_assert_eq(settings_save(d, &cli, lookup, &ok, false, &changed, &e), DJ_OK);
	cr_assert_eq(changed, 3);
	cr_assert_eq(count("SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'order_limit.normal.accept'"), 7200);
	cr_assert_eq(count("SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'order_limit.need.complex.deliver'"), 5400);
	cr_assert_str_eq(settings_site_name(), "陈集镇");
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'setting.set'"), 3);
	/* the same again changes nothing; emptied goes back to the default */
	cr_assert_eq(settings_save(d, &cli, lookup, &ok, false, &changed, &e), DJ_OK);
	cr_assert_eq(changed, 0);
	struct form clear = {{"need.complex.deliver"}, {""}};
	cr_assert_eq(settings_save(d, &cli, lookup, &clear, false, &changed, &e), DJ_OK);
	cr_assert_eq(changed, 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM settings WHERE key = 'order_limit.need.complex.deliver'"), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'setting.clear'"), 1);
	struct setting_def def = {"order_limit.normal.accept", "normal.accept", "", "", SU_HOURS, ""};
	char shown[32];
	settings_display(d, &def, shown, sizeof shown);
	cr_assert_str_eq(shown, "2");

	struct actor branch;
	memset(&branch, 0, sizeof branch);
	branch.user_id = 7;
	branch.role = R_BRANCH;
	cr_assert_eq(settings_save(d, &branch, lookup, &ok, false, &changed, &e), DJ_FORBIDDEN);
}

Test(settings, backup_copies_the_committed_rows_of_every_table)
{
	cr_assert_eq(
		db_run(d, "INSERT INTO orgs (id, code, name, type, kind, path, created_at) VALUES (1, 'CJZ', '陈集镇党委', 'committee', '机关', '/1/', 0)",
		       ""),
		DB_OK);
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	cr_assert_eq(settings_set(d, &cli, "site_name", "陈集镇", &e), DJ_OK);
	/* a transaction open on d while the copy is made: its row is not in the copy */
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(db_run(d, "INSERT INTO orgs (id, code, name, type, kind, path, created_at) VALUES (2, 'X', 'x', 'branch', '农村', '/1/2/', 0)", ""),
		     DB_OK);
	char copy[128], err[512];
	snprintf(copy, sizeof copy, "%s.copy", path);
	unlink(copy);
	cr_assert_eq(db_backup(d, copy, err, sizeof err), DB_OK, "%s", err);
	db_rollback(d);
	struct stat st;
	cr_assert_eq(stat(copy, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(db_backup(d, copy, err, sizeof err), DB_ERR, "an existing file is refused");

	db *c = db_open(copy, err, sizeof err);
	cr_assert_not_null(c, "%s", err);
	char msg[512];
	cr_assert_eq(db_integrity(c, msg, sizeof msg), DB_OK, "%s", msg);
	db_stmt *s = db_query(d, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", "");
	int tables = 0;
	while (db_next(s)) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", db_str(s, 0));
		cr_assert_eq(db_int1(c, -1, sql, ""), db_int1(d, -2, sql, ""), "%s", db_str(s, 0));
		tables++;
	}
	cr_assert_eq(db_done(s), DB_OK);
	cr_assert_gt(tables, 10);
	cr_assert_eq(db_int1(c, 0, "SELECT COUNT(*) FROM orgs", ""), 1);
	db_close(c);
	unlink(copy);
}
