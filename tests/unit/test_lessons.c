/* Unit tests: the micro-lesson order's state table (issue 14) as a table —
 * every state reachable from requested, the end states without a way out,
 * each step taken by one kind of actor — and the domain on SQLite with the
 * real migrations: a refused step writes nothing and says why, a delivery
 * checks attendance against the branch, a second reflection and a second
 * plan are refused by field, the plan's references are looked up in the one
 * place (every kind in its own module), and the plan filled by itself from
 * the meetings and volunteer activities of its branch and month. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "lessons.h"
#include "meetings.h"
#include "orgs.h"
#include "themeday.h"
#include "unit_db.h"
#include "util.h"
#include "volunteer.h"

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
	/* the one place where kinds are looked up: every kind from its own module */
	struct plan_ref ref;
	cr_expect(!themeday_ref_lookup(d, "lesson_order", 999, NULL, &ref), "no such order");
	cr_expect(!themeday_ref_lookup(d, "nonsense", 1, "x", &ref));
	cr_expect(!themeday_ref_lookup(d, "volunteer", 7, "清理河道", &ref), "a volunteer activity that does not exist is not taken on trust");
	cr_expect(!themeday_ref_lookup(d, "meeting", 7, "主题党日", &ref), "nor a meeting");
	memset(&e, 0, sizeof e);
	cr_expect_eq(plan_complete(d, &xsec, p, "practice", "volunteer", 7, "清理河道", now, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "ref_id"));
	int64_t rows, gaps;
	memset(&e, 0, sizeof e);
	cr_expect_eq(plan_compliance(d, &xsec, NULL, "2030-01", "2030-02", NULL, NULL, &rows, &gaps, &e), DJ_OK);
	cr_expect_eq(rows, 2, "西街村, two months");
	cr_expect_eq(gaps, 2, "January misses all three parts, February has no plan");
}

/* The links of issue 14 to meetings (13) and volunteer service (12): a real
 * record of the branch and the month, carried out, or refused by field; and
 * the overlap rule — a held 党课/主题党日 fills 一课 and a finished activity
 * fills 一实践 by themselves, shown as automatic. */
static int64_t held_meeting(int64_t org, const char *type, const char *date, bool hold)
{
	struct meeting_new n = {.org_id = org,
				.type = type,
				.theme = "学习二十届三中全会精神",
				.date = date,
				.start = "19:30",
				.end = "21:00",
				.place = "村部",
				.content = "学习研讨"};
	int64_t id = 0, start;
	struct field_errors e = {0};
	cr_assert_eq(meeting_plan(d, &cli, &n, 0, &id, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert(meeting_time_parse(date, "19:30", &start));
	struct meeting_held h = {"会议记录", "", 0, 0, NULL};
	if (hold)
		cr_assert_eq(meeting_hold(d, &cli, id, &h, start + 3600, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	return id;
}

static int64_t volunteer_done(const char *org_code, const char *starts, const char *ends, bool finish)
{
	struct volunteer_new n = {.title = "清理河道",
				  .kind = "cleanup",
				  .place = "西街河",
				  .org_code = org_code,
				  .team = "",
				  .starts = starts,
				  .ends = ends,
				  .capacity = 20,
				  .publish = true};
	int64_t id = 0, t;
	struct field_errors e = {0};
	cr_assert_eq(volunteer_create(d, &cli, &n, 1893000000, &id, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert(volunteer_parse_time(ends, &t));
	if (finish) {
		cr_assert_eq(volunteer_act(d, &cli, id, "start", NULL, t - 60, &e), DJ_OK, "%s", dj_message(DJ_CONFLICT, &e));
		cr_assert_eq(volunteer_act(d, &cli, id, "finish", NULL, t + 60, &e), DJ_OK, "%s", dj_message(DJ_CONFLICT, &e));
	}
	return id;
}

struct auto_seen {
	const char *kind[3];
	int64_t id[3];
	bool automatic[3], done[3];
	char titles[3][256];
	bool gap;
};
static void jan_row(void *ctx, const struct plan_row *row)
{
	struct auto_seen *c = ctx;
	if (strcmp(row->month, "2030-01") != 0)
		return;
	for (int p = 0; p < 3; p++) {
		c->done[p] = row->part[p].done;
		c->automatic[p] = row->part[p].automatic;
		c->id[p] = row->part[p].done_id;
		snprintf(c->titles[p], sizeof c->titles[p], "%s", row->part[p].done_kind);
	}
	c->gap = row->gap;
}

Test(lessons_db, plans_linked_to_meetings_and_volunteer_service)
{
	int64_t now = 1893456000 + 40 * 86400; /* February 2030 */
	const char *t[3] = {"主题党日微党课", "观看教育片", "志愿服务"};
	int64_t p = 0;
	struct field_errors e = {0};
	cr_assert_eq(plan_create(d, &xsec, 0, "2030-01", t, now, &p, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	struct auto_seen c = {0};
	int64_t rows, gaps;
	cr_assert_eq(plan_compliance(d, &xsec, NULL, "2030-01", "2030-01", jan_row, &c, &rows, &gaps, &e), DJ_OK);
	cr_expect(!c.done[0] && !c.done[2], "nothing in the month yet");

	/* records that do not count: a 红色七点半, a 党课 not held, a 党课 of another branch, one of February, an activity not finished */
	int64_t red = held_meeting(xjc, "red730", "2030-01-08", true);
	int64_t planned = held_meeting(xjc, "lesson", "2030-01-09", false);
	held_meeting(cjc, "lesson", "2030-01-09", true);
	int64_t feb = held_meeting(xjc, "theme_day", "2030-02-05", true);
	int64_t open = volunteer_done("CJZ-XJC", "2030-01-12 09:00", "2030-01-12 11:00", false);
	volunteer_done("CJZ-CJC", "2030-01-13 09:00", "2030-01-13 11:00", true);
	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	cr_assert_eq(plan_compliance(d, &xsec, NULL, "2030-01", "2030-01", jan_row, &c, &rows, &gaps, &e), DJ_OK);
	cr_expect(!c.done[0], "none of them is 西街村's lesson of January");
	cr_expect(!c.done[2], "nor its practice");
	struct {
		const char *part, *kind;
		int64_t id;
		const char *why;
	} refused[] = {
		{"lesson", "meeting", red, "a 红色七点半 is not a lesson"},
		{"lesson", "meeting", planned, "not held"},
		{"lesson", "meeting", feb, "not of the month"},
		{"practice", "volunteer", open, "not finished"},
		{"lesson", "volunteer", open, "an activity is not a lesson"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		memset(&e, 0, sizeof e);
		cr_expect_eq(plan_complete(d, &xsec, p, refused[i].part, refused[i].kind, refused[i].id, "", now, &e), DJ_INVALID, "%s", refused[i].why);
		cr_expect(e.n > 0, "%s: says why", refused[i].why);
	}
	int64_t other = db_int1(d, 0, "SELECT id FROM meetings WHERE org_id = ? AND type = 'lesson'", "I", cjc);
	memset(&e, 0, sizeof e);
	cr_expect_eq(plan_complete(d, &xsec, p, "lesson", "meeting", other, "", now, &e), DJ_INVALID, "another branch's");
	cr_expect_not_null(ferr_get(&e, "ref_id"));

	/* a 主题党日 held in January fills 一课 by itself; then the 党课 held (earlier in the month) is preferred */
	int64_t theme = held_meeting(xjc, "theme_day", "2030-01-20", true);
	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	cr_assert_eq(plan_compliance(d, &xsec, NULL, "2030-01", "2030-01", jan_row, &c, &rows, &gaps, &e), DJ_OK);
	cr_expect(c.done[0] && c.automatic[0]);
	cr_expect_eq(c.id[0], theme);
	cr_expect_str_eq(c.titles[0], "meeting");
	int64_t lesson = held_meeting(xjc, "lesson", "2030-01-25", true);
	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	cr_assert_eq(plan_compliance(d, &xsec, NULL, "2030-01", "2030-01", jan_row, &c, &rows, &gaps, &e), DJ_OK);
	cr_expect_eq(c.id[0], lesson, "a 党课 is the plan's 课 before a 主题党日");

	/* a finished activity of the branch fills 一实践 */
	int64_t act = volunteer_done("CJZ-XJC", "2030-01-26 09:00", "2030-01-26 11:00", true);
	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	cr_assert_eq(plan_compliance(d, &xsec, NULL, "2030-01", "2030-01", jan_row, &c, &rows, &gaps, &e), DJ_OK);
	cr_expect(c.done[2] && c.automatic[2]);
	cr_expect_eq(c.id[2], act);
	cr_expect_str_eq(c.titles[2], "volunteer");
	cr_expect(c.gap, "the film is still missing");

	/* by hand, a real record is taken and is no longer automatic */
	memset(&e, 0, sizeof e);
	cr_expect_eq(plan_complete(d, &xsec, p, "lesson", "meeting", theme, "", now, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	cr_assert_eq(plan_compliance(d, &xsec, NULL, "2030-01", "2030-01", jan_row, &c, &rows, &gaps, &e), DJ_OK);
	cr_expect(c.done[0] && !c.automatic[0]);
	cr_expect_eq(c.id[0], theme);
	struct plan_ref ref;
	cr_assert(themeday_ref_lookup(d, "meeting", theme, NULL, &ref));
	cr_expect(ref.verified && ref.done && ref.fits);
	cr_expect_str_eq(ref.date, "2030-01-20");
	cr_expect_str_eq(ref.href, "/meetings/");

	/* the report counts the plan complete once its film is screened */
	int64_t t0 = 1893456000 - 8 * 3600, t1 = t0 + 31 * 86400;
	struct themeday_stats st;
	themeday_stats_compute(d, "/", t0, t1, &st);
	cr_expect_eq(st.plans, 1);
	cr_expect_eq(st.plans_complete, 0);
	cr_assert_eq(db_run(d, "UPDATE theme_plan_parts SET done_kind = 'screening', done_id = 1, done_title = '片' WHERE plan_id = ? AND part = 'film'",
			    "I", p),
		     DB_OK);
	themeday_stats_compute(d, "/", t0, t1, &st);
	cr_expect_eq(st.plans_complete, 1, "lesson by hand, film, practice automatic");
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

Test(lessons_table, links_a_member_can_open)
{
	const char *good[] = {"http://www.12371.cn/a", "https://v.qq.com/x?a=1&b=2", "https://a.cn"};
	const char *bad[] = {
		NULL,       "",        "http://",        "https://",         "https:///x",       "http://?q",       "ftp://a.cn",   "javascript:alert(1)",
		"www.a.cn", "HTTP:/a", "https://a b.cn", "https://a.cn/\"x", "https://a.cn/<x>", "https://a.cn\\x", "https://@evil"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		cr_expect(lesson_http_url(good[i]), "%s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect(!lesson_http_url(bad[i]), "%s", bad[i] ? bad[i] : "(null)");
}

static int64_t audits(const char *action) { return db_int1(d, -1, "SELECT COUNT(*) FROM audit WHERE action = ?", "t", action); }

Test(lessons_db, topics_and_film_kinds_are_added_renamed_retired_never_deleted)
{
	struct actor com;
	actor_of(&com, R_COMMITTEE, 0, town);
	struct field_errors e = {0};
	char key[32];
	/* the branch may not; the committee may */
	cr_expect_eq(lesson_vocab_add(d, &xsec, LV_TOPIC, NULL, "生态文明", key, &e), DJ_FORBIDDEN);
	memset(&e, 0, sizeof e);
	cr_assert_eq(lesson_vocab_add(d, &com, LV_TOPIC, NULL, "生态文明", key, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	struct vocab_item it;
	cr_assert(lesson_vocab_get(d, LV_TOPIC, key, &it));
	cr_expect_str_eq(it.label, "生态文明");
	cr_expect(it.active);
	cr_expect_eq(audits("lesson_topic.create"), 1);
	/* a lesson on it; retired: the lesson keeps it, a new lesson may not take it */
	struct lesson_new n = {.title = "守护一河清水", .topic = key, .minutes = 15, .org_id = cjc, .nlecturers = 1};
	n.lecturers[0] = lecturer;
	int64_t id = 0;
	cr_assert_eq(lesson_create(d, &cli, &n, &id, &e), DJ_OK);
	cr_assert_eq(lesson_vocab_set(d, &com, LV_TOPIC, key, "生态保护", 0, &e), DJ_OK);
	cr_expect_eq(audits("lesson_topic.rename"), 1);
	cr_expect_eq(audits("lesson_topic.retire"), 1);
	struct lesson l;
	cr_assert(lesson_load(d, id, &l));
	cr_expect_str_eq(l.topic, key);
	cr_expect_str_eq(l.topic_label, "生态保护");
	int64_t before = count("lessons");
	n.title = "又一堂";
	cr_expect_eq(lesson_create(d, &cli, &n, &id, &e), DJ_INVALID);
	cr_expect(strstr(ferr_get(&e, "topic"), "已停用") != NULL);
	cr_expect_eq(count("lessons"), before);
	cr_assert(lesson_vocab_get(d, LV_TOPIC, key, &it));
	cr_expect(!it.active);
	cr_expect_eq(it.uses, 1);
	/* nothing changing writes nothing; a taken name, a bad key and an unknown entry are refused */
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_vocab_set(d, &com, LV_TOPIC, key, "生态保护", 0, &e), DJ_OK);
	cr_expect_eq(audits("lesson_topic.rename") + audits("lesson_topic.retire"), 2);
	cr_expect_eq(lesson_vocab_set(d, &com, LV_TOPIC, key, "红色教育", -1, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "label"));
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_vocab_set(d, &com, LV_TOPIC, key, NULL, 7, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "active"));
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_vocab_add(d, &com, LV_FILM_KIND, "Red", "新类别", key, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "key"));
	memset(&e, 0, sizeof e);
	cr_expect_eq(lesson_vocab_set(d, &com, LV_FILM_KIND, "nope", "新类别", -1, &e), DJ_NOT_FOUND);
	cr_expect_str_eq(lesson_vocab_name(LV_FILM_KIND), "film_kind");
	enum lesson_vocab v;
	cr_expect(lesson_vocab_of("topic", &v) && v == LV_TOPIC);
	cr_expect(!lesson_vocab_of("film", &v));

	/* the film kinds: the migration's four; a retired one no new film takes */
	int n4 = 0;
	cr_assert(lesson_vocab_get(d, LV_FILM_KIND, "local", &it));
	cr_expect_str_eq(it.label, "本土情景剧");
	n4 = (int)db_int1(d, 0, "SELECT COUNT(*) FROM film_kinds WHERE active = 1", "");
	cr_expect_eq(n4, 4);
	int64_t list = 0, film = 0;
	memset(&e, 0, sizeof e);
	cr_assert_eq(film_list_create(d, &com, town, "2030-01", "请观看", 1893456000, &list, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert_eq(lesson_vocab_set(d, &com, LV_FILM_KIND, "warning", NULL, 0, &e), DJ_OK);
	cr_expect_eq(film_add(d, &com, list, "镜鉴", "warning", "https://www.12371.cn/j", 1893456000, &film, &e), DJ_INVALID);
	cr_expect(strstr(ferr_get(&e, "kind"), "已停用") != NULL);
	memset(&e, 0, sizeof e);
	cr_expect_eq(film_add(d, &com, list, "镜鉴", "red", "http://", 1893456000, &film, &e), DJ_INVALID);
	cr_expect_not_null(ferr_get(&e, "url"));
	cr_expect_eq(count("films"), 0);
	memset(&e, 0, sizeof e);
	cr_assert_eq(film_add(d, &com, list, "镜鉴", "red", "https://www.12371.cn/j", 1893456000, &film, &e), DJ_OK);
	struct film f;
	cr_assert(film_load(d, &com, film, &f));
	cr_expect_str_eq(f.kind_label, "红色历史");
	/* nothing is deleted: no statement of the module removes a topic or kind */
	cr_expect_eq(db_int1(d, 0, "SELECT COUNT(*) FROM lesson_topics", ""), 7);
	cr_expect_eq(db_int1(d, 0, "SELECT COUNT(*) FROM film_kinds", ""), 4);
}
