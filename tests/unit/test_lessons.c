/* Unit tests: the micro-lesson order's state table (issue 14) as a table —
 * every state reachable from requested, the end states without a way out,
 * each step taken by one kind of actor — and the domain on SQLite with the
 * real migrations: a refused step writes nothing and says why, a delivery
 * checks attendance against the branch, a second reflection and a second
 * plan are refused by field, the plan's references are looked up in the one
 * place (and kinds of other mechanisms are taken as given). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "lessons.h"
#include "orgs.h"
#include "themeday.h"
#include "unit_db.h"
#include "util.h"

Test(lessons_table, every_state_is_reachable_and_the_end_states_have_no_way_out)
{
	bool seen[8] = {false};
	seen[0] = true; /* requested */
	for (int round = 0; round < 8; round++)
		for (int i = 0; i < lesson_transitions_count; i++)
			for (int s = 0; lesson_states[s]; s++)
				if (seen[s] && !strcmp(lesson_transitions[i].from, lesson_states[s]))
					for (int t = 0; lesson_states[t]; t++)
						if (!strcmp(lesson_transitions[i].to, lesson_states[t]))
							seen[t] = true;
	for (int s = 0; lesson_states[s]; s++) {
		cr_expect(seen[s], "%s is reachable", lesson_states[s]);
		cr_expect(strcmp(lesson_state_label(lesson_states[s]), lesson_states[s]) != 0, "%s has a label", lesson_states[s]);
	}
	const char *ends[] = {"rated", "declined", "cancelled"};
	for (int e = 0; e < 3; e++)
		for (int i = 0; i < lesson_transitions_count; i++)
			cr_expect(strcmp(lesson_transitions[i].from, ends[e]) != 0, "%s is an end state", ends[e]);
	for (int i = 0; i < lesson_transitions_count; i++) {
		const struct lesson_transition *t = &lesson_transitions[i];
		cr_expect(t->who == LW_LECTURER || t->who == LW_BRANCH, "one kind of actor per step");
		cr_expect(lesson_find(t->from, t->action, t->who) == t);
		cr_expect_null(lesson_find(t->from, t->action, t->who == LW_LECTURER ? LW_BRANCH : LW_LECTURER), "%s %s is not the other's", t->from,
			       t->action);
	}
	cr_expect_null(lesson_find("requested", "deliver", LW_BRANCH | LW_LECTURER));
}

Test(lessons_table, months)
{
	cr_expect(month_valid("2030-01"));
	cr_expect(!month_valid("2030-13"));
	cr_expect(!month_valid("2030-1"));
	cr_expect(!month_valid("2030-01-01"));
	cr_expect(!month_valid(NULL));
}

static db *d;
static char path[96];
static int64_t town, cjc, xjc, lecturer, xm[3], cm;
static struct actor cli, xsec, lect;

static int64_t member(int64_t org, const char *name, int n)
{
	char idn[24];
	snprintf(idn, sizeof idn, "3715241980010100%02d", n);
	return db_int1(d, 0,
		       "INSERT INTO members (org_id, name, gender, birth_date, id_number, id_tail, join_date, category, status, created_at, updated_at) "
		       "VALUES (?, ?, '男', '1980-01-01', ?, '0000', '2005-07-01', 'full', 'active', 0, 0) RETURNING id",
		       "Itt", org, name, idn);
}

static void actor_of(struct actor *a, int role, int64_t user, int64_t org)
{
	memset(a, 0, sizeof *a);
	a->role = role;
	a->user_id = user;
	a->org_id = org;
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", org);
	cr_assert(db_next(s));
	snprintf(a->org_path, sizeof a->org_path, "%s", db_str(s, 0));
	db_done(s);
	snprintf(a->label, sizeof a->label, "测试");
}

static void setup(void)
{
	d = unit_db_open("lessons", path);
	int64_t county = orgs_create(d, 0, "XW", "某县委", "county", "");
	town = orgs_create(d, county, "CJZ", "陈集镇党委", "committee", "");
	cjc = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "农村");
	xjc = orgs_create(d, town, "CJZ-XJC", "西街村党支部", "branch", "农村");
	cr_assert(cjc > 0 && xjc > 0);
	lecturer = member(cjc, "李志强", 1);
	cm = member(cjc, "陈集甲", 2);
	for (int i = 0; i < 3; i++)
		xm[i] = member(xjc, "西街党员", 10 + i);
	int64_t u1 = db_int1(
		d, 0,
		"INSERT INTO users (username, name, role, org_id, password_hash, created_at, updated_at) VALUES ('lect', '李志强', 'member', ?, 'x', 0, 0) "
		"RETURNING id",
		"I", cjc);
	int64_t u2 = db_int1(
		d, 0,
		"INSERT INTO users (username, name, role, org_id, password_hash, created_at, updated_at) VALUES ('xsec', '王秀英', 'branch', ?, 'x', 0, 0) "
		"RETURNING id",
		"I", xjc);
	cr_assert(u1 > 0 && u2 > 0, "%s", db_errmsg(d));
	cr_assert(db_run(d, "UPDATE members SET user_id = ? WHERE id = ?", "II", u1, lecturer) == DB_OK);
	actor_cli(&cli);
	actor_of(&xsec, R_BRANCH, u2, xjc);
	actor_of(&lect, R_MEMBER, u1, cjc);
}
static void teardown(void) { unit_db_close(d, path); }
TestSuite(lessons_db, .init = setup, .fini = teardown);

static int64_t count(const char *table)
{
	char sql[80];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return db_int1(d, -1, sql, "");
}

static int64_t new_lesson(void)
{
	struct lesson_new n = {.title = "庭院里的乡村振兴", .topic = "rural", .minutes = 20, .org_id = cjc, .nlecturers = 1};
	n.lecturers[0] = lecturer;
	int64_t id = 0;
	struct field_errors e = {0};
	cr_assert_eq(lesson_create(d, &cli, &n, &id, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	return id;
}

Test(lessons_db, a_refused_step_writes_nothing_and_says_why)
{
	int64_t now = 1893456000; /* 2030-01-01 */
	int64_t l = new_lesson(), o = 0;
	struct field_errors e = {0};
	cr_assert_eq(lesson_order_create(d, &xsec, l, 0, "2030-01-10", "2030-01-20", "", now, &o, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	int64_t events = count("lesson_order_events"), audits = count("audit");
	/* the branch may not confirm: that is the lecturer's step */
	struct lesson_act a = {.date = "2030-01-12", .place = "村部"};
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_order_transition(d, &xsec, o, "confirm", &a, now, &e), DJ_FORBIDDEN);
	cr_expect(strstr(dj_message(DJ_FORBIDDEN, &e), "不是您的微党课") != NULL, "%s", dj_message(DJ_FORBIDDEN, &e));
	/* nor deliver before it is scheduled */
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_order_transition(d, &xsec, o, "deliver", &a, now, &e), DJ_CONFLICT);
	cr_expect_eq(count("lesson_order_events"), events);
	cr_expect_eq(count("audit"), audits);
	/* a date in the past when confirming */
	struct lesson_act past = {.date = "2029-12-31", .place = "村部"};
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_order_transition(d, &lect, o, "confirm", &past, now, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "date"));
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_order_transition(d, &lect, o, "confirm", &a, now, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	/* attendance: a member of another branch, and more than the branch holds */
	int64_t other[1] = {cm};
	struct lesson_act bad = {.present = other, .npresent = 1};
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_order_transition(d, &xsec, o, "deliver", &bad, now, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "present"));
	struct lesson_act many = {.present = xm, .npresent = 3, .others = 1};
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_order_transition(d, &xsec, o, "deliver", &many, now, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "others"));
	cr_expect_eq(count("lesson_attendance"), 0);
	struct lesson_act ok = {.present = xm, .npresent = 2, .speakers = xm + 2, .nspeakers = 1};
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_order_transition(d, &xsec, o, "deliver", &ok, now, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	struct lesson_order lo;
	cr_assert(lesson_order_load(d, o, &lo));
	cr_expect_eq(lo.present, 3, "a speaker was there");
	cr_expect_eq(lo.speakers, 1);
	struct lesson_stats st;
	lesson_stats_compute(d, "/", now - 1, now + 1, &st);
	cr_expect_eq(st.deliveries, 1);
	cr_expect_eq(st.attendance, 3);
	cr_expect_eq(st.speakers, 1);
	int64_t covered, branches;
	lesson_coverage(d, "/", now - 1, now + 1, NULL, NULL, &covered, &branches);
	cr_expect_eq(covered, 1);
	cr_expect_eq(branches, 2);
}

Test(lessons_db, a_lecturer_outside_the_town_and_no_lecturer_are_refused)
{
	int64_t t2 = orgs_create(d, db_int1(d, 0, "SELECT id FROM orgs WHERE code = 'XW'", ""), "T2", "第二镇党委", "committee", "");
	int64_t b2 = orgs_create(d, t2, "T2-A", "第二镇甲村党支部", "branch", "农村");
	int64_t far = member(b2, "外镇讲师", 30);
	struct actor com;
	actor_of(&com, R_COMMITTEE, 0, town);
	struct lesson_new n = {.title = "外镇的课", .topic = "rural", .minutes = 20, .nlecturers = 1, .org_id = cjc};
	n.lecturers[0] = far;
	int64_t id = 0;
	struct field_errors e = {0};
	cr_expect_eq(lesson_create(d, &com, &n, &id, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "lecturers"));
	n.nlecturers = 0;
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_create(d, &com, &n, &id, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "lecturers"));
	cr_expect_eq(count("lessons"), 0);
}

Test(lessons_db, plans_and_references)
{
	int64_t now = 1893456000;
	const char *t[3] = {"点单微党课", "观看教育片", "志愿服务"};
	int64_t p = 0, p2 = 0;
	struct field_errors e = {0};
	cr_assert_eq(plan_create(d, &xsec, 0, "2030-01", t, now, &p, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	memset(&e, 0, sizeof e);
	cr_expect_eq(plan_create(d, &xsec, 0, "2030-01", t, now, &p2, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "month"));
	cr_expect_eq(count("theme_plans"), 1);
	/* the one place where kinds are looked up: its own kinds from their tables, the others as given */
	struct plan_ref ref;
	cr_expect(!themeday_ref_lookup(d, "lesson_order", 999, NULL, &ref), "no such order");
	cr_expect(!themeday_ref_lookup(d, "nonsense", 1, "x", &ref));
	cr_assert(themeday_ref_lookup(d, "volunteer", 7, "清理河道", &ref));
	cr_expect(!ref.verified);
	cr_expect_str_eq(ref.title, "清理河道");
	memset(&e, 0, sizeof e);
	cr_expect_eq(plan_complete(d, &xsec, p, "practice", "volunteer", 7, "", now, &e), DJ_INVALID, "a record of another mechanism needs its title");
	memset(&e, 0, sizeof e);
	cr_expect_eq(plan_complete(d, &xsec, p, "lesson", "volunteer", 7, "清理河道", now, &e), DJ_INVALID, "a volunteer activity is not a lesson");
	memset(&e, 0, sizeof e);
	cr_expect_eq(plan_complete(d, &xsec, p, "practice", "volunteer", 7, "清理河道", now, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	int64_t rows, gaps;
	memset(&e, 0, sizeof e);
	cr_expect_eq(plan_compliance(d, &xsec, NULL, "2030-01", "2030-02", NULL, NULL, &rows, &gaps, &e), DJ_OK);
	cr_expect_eq(rows, 2, "西街村, two months");
	cr_expect_eq(gaps, 2, "January misses its lesson and film, February has no plan");
}

/* Every statement of a delivery (the attendance, the history, the notices,
 * the points, the audit) failed in turn: the step either reports the failure
 * (and the caller rolls back) or, when the failed statement did not matter,
 * leaves exactly what the fault-free step leaves. Never a success with a
 * part missing. */
static void effect(int64_t o, int64_t out[5])
{
	out[0] = count("lesson_attendance");
	out[1] = count("lesson_order_events");
	out[2] = count("audit");
	out[3] = count("points_ledger");
	out[4] = db_int1(d, -1, "SELECT CASE WHEN state = 'delivered' THEN 1 ELSE 0 END FROM lesson_orders WHERE id = ?", "I", o);
}

Test(lessons_db, every_statement_of_a_delivery_fails_cleanly)
{
	int64_t now = 1893456000;
	int64_t l = new_lesson(), o = 0;
	struct field_errors e = {0};
	cr_assert_eq(lesson_order_create(d, &xsec, l, 0, "2030-01-10", "", "", now, &o, &e), DJ_OK);
	struct lesson_act a = {.date = "2030-01-12", .place = "村部"};
	cr_assert_eq(lesson_order_transition(d, &lect, o, "confirm", &a, now, &e), DJ_OK);
	struct lesson_act dl = {.present = xm, .npresent = 2, .speakers = xm + 2, .nspeakers = 1, .others = 0};
	int64_t before[5], clean[5], now_[5];
	cr_assert_eq(db_begin(d, true), DB_OK);
	effect(o, before);
	uint64_t start = db_fault_points(d);
	cr_assert_eq(lesson_order_transition(d, &xsec, o, "deliver", &dl, now, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	uint64_t points = db_fault_points(d) - start;
	effect(o, clean);
	db_rollback(d);
	cr_assert(points > 10, "the delivery runs %llu statements", (unsigned long long)points);
	cr_expect_eq(clean[0] - before[0], 3);
	cr_expect_eq(clean[3] - before[3], 1, "the lecturer's points");
	int reported = 0;
	for (uint64_t n = 1; n <= points; n++) {
		cr_assert_eq(db_begin(d, true), DB_OK);
		memset(&e, 0, sizeof e);
		db_fault_inject(d, n, DB_FAULT_IO);
		enum dj_result r = lesson_order_transition(d, &xsec, o, "deliver", &dl, now, &e);
		db_fault_inject(d, 0, DB_FAULT_NONE);
		effect(o, now_);
		if (r == DJ_OK)
			for (int k = 0; k < 5; k++)
				cr_expect_eq(now_[k], clean[k], "statement %llu failed, the step succeeded, effect %d differs", (unsigned long long)n, k);
		else
			reported++;
		db_rollback(d);
	}
	cr_expect(reported > 0);
	effect(o, now_);
	cr_expect_eq(now_[0], before[0]);
}
