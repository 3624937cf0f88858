/* Unit tests: the inbox's total (issue 9 §2) is the count per user that
 * migration 043's triggers keep — it follows every notification written,
 * is capped at NOTIFY_COUNT_CAP + 1 as the count it replaces was, and
 * `dangjian check` (notify_counts_check) finds a count changed behind the
 * triggers' back. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "db.h"
#include "notify.h"
#include "orgs.h"
#include "unit_db.h"

static db *d;
static char path[96];
static int64_t sec, other;

static int64_t add_user(const char *name, int64_t org)
{
	return db_int1(
		d, 0,
		"INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) VALUES (?, 'x', ?, 'branch', ?, 0, 0) RETURNING id",
		"ttI", name, name, org);
}

static void setup(void)
{
	d = unit_db_open("notify_counts", path);
	int64_t town = orgs_create(d, 0, "CJZ", "陈集镇党委", "committee", "");
	int64_t branch = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "行政村");
	sec = add_user("chenji", branch);
	other = add_user("xijie", branch);
	cr_assert(town && branch && sec && other, "%s", db_errmsg(d));
}

static void teardown(void) { unit_db_close(d, path); }

TestSuite(notify_counts, .init = setup, .fini = teardown);

Test(notify_counts, the_total_follows_every_notification_and_check_finds_a_difference)
{
	cr_assert_eq(notify_count(d, sec), 0, "no messages, no row: 0");
	for (int i = 0; i < 7; i++)
		cr_assert_eq(notify_user(d, sec, "order_new", "order", 100 + i, "新点单", 1790000000 + i), DB_OK);
	cr_assert_eq(notify_user(d, other, "order_new", "order", 1, "新点单", 1790000000), DB_OK);
	cr_assert_eq(notify_count(d, sec), 7);
	cr_assert_eq(notify_count(d, other), 1);
	cr_assert_eq(notify_count(d, sec), db_int1(d, -1, "SELECT COUNT(*) FROM notifications WHERE user_id = ?", "I", sec));
	/* reading them changes no total */
	cr_assert_eq(notify_mark_all_read(d, sec, 1790000100), DB_OK);
	cr_assert_eq(notify_count(d, sec), 7);
	cr_assert_eq(notify_counts_check(d, stderr), 0);
	/* a delete is counted too */
	cr_assert_eq(db_run(d, "DELETE FROM notifications WHERE user_id = ? AND entity_id = 100", "I", sec), DB_OK);
	cr_assert_eq(notify_count(d, sec), 6);
	cr_assert_eq(notify_counts_check(d, stderr), 0);

	/* beyond the cap: shown as "10000+" as before */
	cr_assert_eq(db_run(d, "UPDATE user_notification_counts SET notifications = 20000 WHERE user_id = ?", "I", other), DB_OK);
	cr_assert_eq(notify_count(d, other), NOTIFY_COUNT_CAP + 1);
	/* … and that count, changed behind the triggers' back, is a difference */
	FILE *out = tmpfile();
	cr_assert_eq(notify_counts_check(d, out), 1);
	fclose(out);
}
