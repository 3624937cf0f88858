/* Unit tests: the inbox's total (issue 9 §2), remembered per process on
 * SQLite and counted on from the last id seen: it follows every message
 * written after it was first counted, is never one database's count taken
 * for another's (two databases, the same user id), and stays capped at
 * NOTIFY_COUNT_CAP + 1 as the count it replaces was. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "db.h"
#include "notify.h"
#include "orgs.h"
#include "unit_db.h"

static db *d;
static char path[96];
static int64_t sec, other;

static int64_t add_user(db *x, const char *name, int64_t org)
{
	return db_int1(
		x, 0,
		"INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) VALUES (?, 'x', ?, 'branch', ?, 0, 0) RETURNING id",
		"ttI", name, name, org);
}

/* a town, a branch, its two users: the same ids in every database made so */
static void fill(db *x, int64_t *a, int64_t *b)
{
	int64_t town = orgs_create(x, 0, "CJZ", "陈集镇党委", "committee", "");
	int64_t branch = orgs_create(x, town, "CJZ-CJC", "陈集村党支部", "branch", "行政村");
	*a = add_user(x, "chenji", branch);
	*b = add_user(x, "xijie", branch);
	cr_assert(town && branch && *a && *b, "%s", db_errmsg(x));
}

static void setup(void)
{
	d = unit_db_open("notify_counts", path);
	fill(d, &sec, &other);
}

static void teardown(void) { unit_db_close(d, path); }

TestSuite(notify_counts, .init = setup, .fini = teardown);

static int64_t recount(db *x, int64_t user) { return db_int1(x, -1, "SELECT COUNT(*) FROM notifications WHERE user_id = ?", "I", user); }

static void notes(db *x, int64_t user, int n)
{
	for (int i = 0; i < n; i++)
		cr_assert_eq(notify_user(x, user, "new_order", "order", 100 + i, "新点单", 1790000000 + i), DB_OK);
}

Test(notify_counts, the_total_follows_every_message_and_each_database_has_its_own)
{
	cr_assert_eq(notify_count(d, sec), 0, "no messages: 0");
	notes(d, sec, 7);
	notes(d, other, 1);
	cr_assert_eq(notify_count(d, sec), 7);
	cr_assert_eq(notify_count(d, other), 1);
	cr_assert_eq(notify_count(d, sec), 7, "asked again: the same");
	notes(d, sec, 3);
	cr_assert_eq(notify_count(d, sec), 10, "the messages after the remembered one are counted on");
	cr_assert_eq(notify_count(d, sec), recount(d, sec));
	/* reading them changes no total */
	cr_assert_eq(notify_mark_all_read(d, sec, 1790000100), DB_OK);
	cr_assert_eq(notify_count(d, sec), 10);

	/* another database, the same user ids: its own count, then the first's again */
	char path2[96];
	db *d2 = unit_db_open("notify_counts2", path2);
	int64_t sec2, other2;
	fill(d2, &sec2, &other2);
	cr_assert_eq(sec2, sec, "the same user id in both");
	notes(d2, sec2, 2);
	cr_assert_eq(notify_count(d2, sec2), 2);
	cr_assert_eq(notify_count(d, sec), 10);
	notes(d, sec, 1);
	cr_assert_eq(notify_count(d, sec), 11);
	cr_assert_eq(notify_count(d2, sec2), 2);
	unit_db_close(d2, path2);
}

Test(notify_counts, beyond_the_cap_it_shows_the_cap_plus_one)
{
	cr_assert_eq(db_begin(d, true), DB_OK);
	for (int i = 0; i < NOTIFY_COUNT_CAP - 2; i++)
		cr_assert_eq(
			db_run(d, "INSERT INTO notifications (user_id, at, kind, entity, text) VALUES (?, ?, 'x', '', '消息')", "II", other, (int64_t)i),
			DB_OK);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(notify_count(d, other), NOTIFY_COUNT_CAP - 2);
	notes(d, other, 2);
	cr_assert_eq(notify_count(d, other), NOTIFY_COUNT_CAP, "exactly the cap: still exact");
	notes(d, other, 5);
	cr_assert_eq(notify_count(d, other), NOTIFY_COUNT_CAP + 1, "past the cap: the cap plus one (\"10000+\")");
	cr_assert_eq(recount(d, other), NOTIFY_COUNT_CAP + 5);
}
