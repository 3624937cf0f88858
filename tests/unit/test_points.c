/* Unit tests: party-member points (issue 11) on SQLite with the real
 * migrations — an award pays once per source, the daily and yearly caps
 * write a 0-point entry that says why, the rule's version is chosen by the
 * event's time, the totals equal the ledger, bad input writes nothing, and
 * the database itself refuses to update or delete a ledger row. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "orders.h"
#include "orgs.h"
#include "points.h"
#include "unit_db.h"

static db *d;
static char path[96];
static int64_t branch_id, other_id, member_id, stranger_id;
static char branch_path[256];

/* 2026-03-10 10:00 in Shanghai */
#define T0 ((int64_t)1773108000)
#define DAY 86400

static int64_t add_member(int64_t org, const char *name, const char *idn)
{
	int64_t id = db_int1(
		d, 0,
		"INSERT INTO members (org_id, name, gender, birth_date, id_number, id_tail, join_date, category, status, created_at, updated_at) "
		"VALUES (?, ?, '男', '1980-01-01', ?, '0000', '2005-07-01', 'full', 'active', 0, 0) RETURNING id",
		"Itt", org, name, idn);
	cr_assert(id > 0);
	return id;
}

static void setup(void)
{
	d = unit_db_open("points", path);
	int64_t county = orgs_create(d, 0, "XW", "某县委", "county", "");
	int64_t town = orgs_create(d, county, "CJZ", "陈集镇党委", "committee", "");
	branch_id = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "农村");
	other_id = orgs_create(d, town, "CJZ-XJC", "西街村党支部", "branch", "农村");
	cr_assert(branch_id > 0 && other_id > 0);
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", branch_id);
	cr_assert(db_next(s));
	snprintf(branch_path, sizeof branch_path, "%s", db_str(s, 0));
	db_done(s);
	member_id = add_member(branch_id, "刘德华", "371524198001010011");
	stranger_id = add_member(other_id, "王小二", "371524198001010022");
}

static void teardown(void) { unit_db_close(d, path); }

TestSuite(points, .init = setup, .fini = teardown);

static void branch_actor(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->role = R_BRANCH;
	a->org_id = branch_id;
	snprintf(a->org_path, sizeof a->org_path, "%s", branch_path);
	snprintf(a->org_name, sizeof a->org_name, "陈集村党支部");
	snprintf(a->name, sizeof a->name, "张建国");
	snprintf(a->username, sizeof a->username, "chenji");
	actor_set_label(a);
}

static enum dj_result award(const struct actor *a, int64_t member, const char *event, int64_t source, int64_t qty, int64_t at, struct field_errors *e)
{
	cr_assert_eq(db_begin(d, true), DB_OK);
	enum dj_result res = points_award(d, a, member, event, "order", source, qty, at, e);
	if (res == DJ_OK)
		cr_assert_eq(db_commit(d), DB_OK);
	else
		db_rollback(d);
	return res;
}

static int64_t entries(void) { return db_int1(d, -1, "SELECT COUNT(*) FROM points_ledger", ""); }

Test(points, an_award_pays_once_per_source)
{
	struct actor a;
	branch_actor(&a);
	struct field_errors e = {0};
	cr_assert_eq(award(&a, member_id, "order_delivered", 42, 1, T0, &e), DJ_OK, "%s", dj_message(DJ_OK, &e));
	cr_assert_eq(points_total(d, member_id, 2026), 3);
	/* retried, or the order reopened and delivered again: nothing more */
	cr_assert_eq(award(&a, member_id, "order_delivered", 42, 1, T0 + 3600, &e), DJ_OK);
	cr_assert_eq(award(&a, member_id, "order_delivered", 42, 1, T0 + 5 * DAY, &e), DJ_OK);
	cr_assert_eq(entries(), 1);
	cr_assert_eq(points_total(d, member_id, 2026), 3);
	/* the same order is another source for another event */
	cr_assert_eq(award(&a, member_id, "wish_fulfilled", 42, 1, T0, &e), DJ_OK);
	cr_assert_eq(points_total(d, member_id, 2026), 5);
	cr_assert_eq(points_ledger_sum(d, member_id, 2026), 5);
	/* the entry names its rule version, its source and who caused it */
	db_stmt *s = db_query(d,
			      "SELECT l.rule_id, r.points, l.source_kind, l.source_id, l.actor, l.year, l.month FROM points_ledger l "
			      "JOIN points_rules r ON r.id = l.rule_id WHERE l.code = 'order_delivered'",
			      "");
	cr_assert(db_next(s));
	cr_assert_eq(db_int(s, 1), 3);
	cr_assert_str_eq(db_str(s, 2), "order");
	cr_assert_eq(db_int(s, 3), 42);
	cr_assert_str_eq(db_str(s, 4), "陈集村党支部 张建国");
	cr_assert_eq(db_int(s, 5), 2026);
	cr_assert_eq(db_int(s, 6), 3);
	db_done(s);
}

Test(points, the_daily_cap_writes_a_zero_entry_that_says_why)
{
	struct actor a;
	branch_actor(&a);
	struct field_errors e = {0};
	/* order_delivered: +3, at most 9 a day */
	for (int i = 1; i <= 3; i++)
		cr_assert_eq(award(&a, member_id, "order_delivered", i, 1, T0 + i * 60, &e), DJ_OK);
	cr_assert_eq(points_total(d, member_id, 2026), 9);
	cr_assert_eq(award(&a, member_id, "order_delivered", 4, 1, T0 + 600, &e), DJ_OK);
	cr_assert_eq(entries(), 4);
	cr_assert_eq(points_total(d, member_id, 2026), 9);
	cr_assert_eq(db_int1(d, -1, "SELECT points FROM points_ledger WHERE source_id = 4", ""), 0);
	db_stmt *s = db_query(d, "SELECT reason FROM points_ledger WHERE source_id = 4", "");
	cr_assert(db_next(s));
	cr_assert(strstr(db_str(s, 0), "每日上限 9 分"), "%s", db_str(s, 0));
	db_done(s);
	/* the next day (Shanghai) pays again */
	cr_assert_eq(award(&a, member_id, "order_delivered", 5, 1, T0 + DAY, &e), DJ_OK);
	cr_assert_eq(points_total(d, member_id, 2026), 12);
	/* a partial award: 4 hours of volunteering past 6 of a cap of 8 */
	cr_assert_eq(award(&a, member_id, "volunteer_hour", 100, 6, T0, &e), DJ_OK);
	cr_assert_eq(award(&a, member_id, "volunteer_hour", 101, 4, T0 + 60, &e), DJ_OK);
	cr_assert_eq(db_int1(d, -1, "SELECT points FROM points_ledger WHERE source_id = 101", ""), 2);
	cr_assert_eq(points_total(d, member_id, 2026), 20);
	cr_assert_eq(points_ledger_sum(d, member_id, 2026), 20);
}

Test(points, the_yearly_cap)
{
	struct actor a;
	branch_actor(&a);
	struct field_errors e = {0};
	/* lesson_given: +5, at most 60 a year; one a day for 13 days */
	for (int i = 0; i < 13; i++)
		cr_assert_eq(award(&a, member_id, "lesson_given", 200 + i, 1, T0 + i * DAY, &e), DJ_OK);
	cr_assert_eq(points_total(d, member_id, 2026), 60);
	db_stmt *s = db_query(d, "SELECT points, reason FROM points_ledger WHERE source_id = 212", "");
	cr_assert(db_next(s));
	cr_assert_eq(db_int(s, 0), 0);
	cr_assert(strstr(db_str(s, 1), "年度上限 60 分"), "%s", db_str(s, 1));
	db_done(s);
	/* a new year starts afresh; the year is Shanghai's (2026-12-31 17:00 UTC is 2027) */
	cr_assert_eq(award(&a, member_id, "lesson_given", 300, 1, 1798736400, &e), DJ_OK);
	cr_assert_eq(points_total(d, member_id, 2027), 5);
	cr_assert_eq(points_total(d, member_id, 2026), 60);
}

Test(points, the_version_in_force_at_the_event_prices_it)
{
	struct actor a;
	branch_actor(&a);
	struct field_errors e = {0};
	/* from 2026-03-11 an order delivered earns 4 */
	cr_assert_eq(db_run(d,
			    "INSERT INTO points_rules (code, name, points, cap_day, cap_year, valid_from, from_at, created_at) "
			    "VALUES ('order_delivered', '办结群众点单（送单）', 4, 0, 0, '2026-03-11', 1773158400, 0)",
			    ""),
		     DB_OK);
	cr_assert_eq(award(&a, member_id, "order_delivered", 1, 1, 1773158400 - 1, &e), DJ_OK);
	cr_assert_eq(award(&a, member_id, "order_delivered", 2, 1, 1773158400, &e), DJ_OK);
	cr_assert_eq(db_int1(d, -1, "SELECT points FROM points_ledger WHERE source_id = 1", ""), 3);
	cr_assert_eq(db_int1(d, -1, "SELECT points FROM points_ledger WHERE source_id = 2", ""), 4);
	/* before the first version there is no rule: refused, nothing written */
	e.n = 0;
	cr_assert_eq(award(&a, member_id, "order_delivered", 3, 1, 1500000000, &e), DJ_INVALID);
	cr_assert_eq(entries(), 2);
}

Test(points, bad_input_writes_nothing)
{
	struct actor a;
	branch_actor(&a);
	struct field_errors e = {0};
	cr_assert_eq(award(&a, member_id, "bogus", 1, 1, T0, &e), DJ_INVALID);
	cr_assert_str_eq(e.e[0].field, "event");
	e.n = 0;
	cr_assert_eq(award(&a, member_id, "volunteer_hour", 1, 0, T0, &e), DJ_INVALID);
	cr_assert_str_eq(e.e[0].field, "qty");
	e.n = 0;
	cr_assert_eq(award(&a, member_id, "volunteer_hour", 0, 1, T0, &e), DJ_INVALID);
	cr_assert_str_eq(e.e[0].field, "source");
	/* a member of another branch is not this secretary's; nor one that does not exist */
	e.n = 0;
	cr_assert_eq(award(&a, stranger_id, "order_delivered", 1, 1, T0, &e), DJ_NOT_FOUND);
	e.n = 0;
	cr_assert_eq(award(&a, 99999, "order_delivered", 1, 1, T0, &e), DJ_NOT_FOUND);
	cr_assert_eq(entries(), 0);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM points_totals", ""), 0);
	/* the system and the CLI reach every member */
	struct actor sys;
	actor_system(&sys);
	e.n = 0;
	cr_assert_eq(award(&sys, stranger_id, "meeting_absent", 7, 1, T0, &e), DJ_OK);
	cr_assert_eq(points_total(d, stranger_id, 2026), -2);
}

Test(points, the_database_refuses_to_change_a_ledger_row)
{
	struct actor a;
	branch_actor(&a);
	struct field_errors e = {0};
	cr_assert_eq(award(&a, member_id, "order_delivered", 1, 1, T0, &e), DJ_OK);
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_neq(db_run(d, "UPDATE points_ledger SET points = 100", ""), DB_OK);
	db_rollback(d);
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_neq(db_run(d, "DELETE FROM points_ledger", ""), DB_OK);
	db_rollback(d);
	cr_assert_eq(db_int1(d, -1, "SELECT points FROM points_ledger", ""), 3);
}

Test(points, the_member_of_an_account)
{
	cr_assert_eq(points_member_of_user(d, 0), 0);
	int64_t uid = db_int1(d, 0,
			      "INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) "
			      "VALUES ('dangyuan', 'x', '刘德华', 'member', ?, 0, 0) RETURNING id",
			      "I", branch_id);
	cr_assert_eq(points_member_of_user(d, uid), 0);
	cr_assert_eq(db_run(d, "UPDATE members SET user_id = ? WHERE id = ?", "II", uid, member_id), DB_OK);
	cr_assert_eq(points_member_of_user(d, uid), member_id);
}

/* ---- wired into the orders: delivering pays the member who delivered, once ---- */

static int64_t place_order(const char *kind)
{
	struct actor resident;
	actor_public(&resident, "192.0.2.7");
	struct order_new o;
	memset(&o, 0, sizeof o);
	snprintf(o.kind, sizeof o.kind, "%s", kind);
	snprintf(o.content, sizeof o.content, "帮忙代购降压药");
	snprintf(o.org_code, sizeof o.org_code, "CJZ-CJC");
	snprintf(o.contact_name, sizeof o.contact_name, "李奶奶");
	snprintf(o.contact_phone, sizeof o.contact_phone, "13900002222");
	char code[24];
	bool repeated;
	struct field_errors e = {0};
	cr_assert_eq(db_begin(d, true), DB_OK);
	enum dj_result res = order_create(d, &resident, &o, code, &repeated, &e);
	cr_assert_eq(res, DJ_OK, "%s", dj_message(res, &e));
	cr_assert_eq(db_commit(d), DB_OK);
	return db_int1(d, 0, "SELECT id FROM orders WHERE code = ?", "t", code);
}

static void step(const struct actor *a, int64_t id, const char *action, const struct order_act *act, int64_t now)
{
	struct field_errors e = {0};
	cr_assert_eq(db_begin(d, true), DB_OK);
	enum dj_result res = order_transition(d, a, id, NULL, action, act, now, &e);
	cr_assert_eq(res, DJ_OK, "%s: %s", action, dj_message(res, &e));
	cr_assert_eq(db_commit(d), DB_OK);
}

Test(points, delivering_an_order_pays_once_even_when_reopened)
{
	int64_t uid = db_int1(d, 0,
			      "INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) "
			      "VALUES ('dangyuan', 'x', '刘德华', 'member', ?, 0, 0) RETURNING id",
			      "I", branch_id);
	cr_assert_eq(db_run(d, "UPDATE members SET user_id = ? WHERE id = ?", "II", uid, member_id), DB_OK);
	struct actor sec, mem, resident;
	branch_actor(&sec);
	mem = sec;
	mem.role = R_MEMBER;
	mem.user_id = uid;
	snprintf(mem.username, sizeof mem.username, "dangyuan");
	snprintf(mem.name, sizeof mem.name, "刘德华");
	actor_set_label(&mem);
	actor_public(&resident, "192.0.2.7");
	int64_t id = place_order("need");
	struct order_act none = {0}, to_him = {.assignee = "dangyuan"}, note = {.note = "药已送到"};
	step(&sec, id, "accept", &none, T0);
	step(&sec, id, "assign", &to_him, T0 + 60);
	step(&mem, id, "deliver", &note, T0 + 3600);
	cr_assert_eq(points_total(d, member_id, 2026), 3);
	step(&resident, id, "reopen", &(struct order_act){.note = "药不对"}, T0 + 7200);
	step(&mem, id, "deliver", &note, T0 + 10800);
	cr_assert_eq(points_total(d, member_id, 2026), 3);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM points_ledger WHERE source_kind = 'order' AND source_id = ?", "I", id), 1);
	/* a wish claimed and fulfilled earns the wish's rule */
	int64_t w = place_order("wish");
	step(&mem, w, "claim", &none, T0 + DAY);
	step(&mem, w, "deliver", &note, T0 + DAY + 60);
	cr_assert_eq(db_int1(d, -1, "SELECT points FROM points_ledger WHERE code = 'wish_fulfilled' AND source_id = ?", "I", w), 2);
	/* the secretary (not on this test's roster) delivering earns nothing */
	int64_t o2 = place_order("need");
	step(&sec, o2, "accept", &none, T0 + DAY);
	step(&sec, o2, "assign", &to_him, T0 + DAY);
	step(&sec, o2, "deliver", &note, T0 + DAY + 60);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM points_ledger WHERE source_id = ?", "I", o2), 0);
	cr_assert_eq(points_total(d, member_id, 2026), points_ledger_sum(d, member_id, 2026));
}
