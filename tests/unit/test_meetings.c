/* Unit tests: meetings (meetings.h). The quorum rule at its edges, the step
 * table's order, Beijing time, the invitees of each kind of meeting, a
 * meeting held with attendance, a decision overdue from the day after its
 * deadline and never counted as done, the compliance of a month, and every
 * statement of holding a meeting failing in turn without a half-written
 * meeting; a type of the committee's table (planned, retired, never deleted
 * once used) and a decision public only once published. */
#include <criterion/criterion.h>
#include <string.h>

#include "actor.h"
#include "checkin.h"
#include "db.h"
#include "meetings.h"
#include "points.h"
#include "unit_db.h"
#include "valid.h"

static db *d;
static char path[96];
static struct actor cli;

static void member(int64_t id, int64_t org_id, const char *name, const char *duty)
{
	char idn[24];
	snprintf(idn, sizeof idn, "ID%lld", (long long)id);
	cr_assert_eq(
		db_run(d,
		       "INSERT INTO members (id, org_id, name, gender, birth_date, id_number, id_tail, phone, phone_tail, join_date, category, "
		       "status, created_at, updated_at) VALUES (?, ?, ?, '男', '1980-01-01', ?, '0000', '', '', '2001-07-01', 'full', 'active', 0, 0)",
		       "IItt", id, org_id, name, idn),
		DB_OK, "%s", db_errmsg(d));
	if (duty)
		cr_assert_eq(db_run(d, "INSERT INTO member_duties (member_id, duty) VALUES (?, ?)", "It", id, duty), DB_OK);
}

static void setup(void)
{
	d = unit_db_open("meetings", path);
	actor_cli(&cli);
	cr_assert_eq(db_run(d,
			    "INSERT INTO orgs (id, code, name, type, kind, path, created_at) VALUES "
			    "(1, 'T', '镇党委', 'committee', '机关', '/1/', 0), (2, 'V', '甲村党支部', 'branch', '农村', '/1/2/', 0), "
			    "(3, 'V-1', '甲村第一党小组', 'group', '农村', '/1/2/3/', 0), (4, 'W', '乙村党支部', 'branch', '农村', '/1/4/', 0)",
			    ""),
		     DB_OK, "%s", db_errmsg(d));
	cr_assert_eq(db_run(d, "UPDATE orgs SET parent_id = 1 WHERE id IN (2, 4)", ""), DB_OK);
	cr_assert_eq(db_run(d, "UPDATE orgs SET parent_id = 2 WHERE id = 3", ""), DB_OK);
	member(10, 2, "张书记", "书记");
	member(11, 2, "李委员", "委员");
	member(12, 3, "王党员", NULL);
	member(13, 3, "赵党员", NULL);
	member(20, 4, "孙党员", NULL);
}
static void teardown(void) { unit_db_close(d, path); }
TestSuite(meetings, .init = setup, .fini = teardown);

Test(meetings, quorum_at_its_edges)
{
	/* 9 members: 6 present is 2/3; 4 of 6 is more than half, 3 of 6 is not */
	cr_assert(matter_quorum_met(9, 6, 4));
	cr_assert_not(matter_quorum_met(9, 5, 5), "2/3 − 1 present");
	cr_assert_not(matter_quorum_met(9, 6, 3), "exactly half in favour");
	cr_assert(matter_quorum_met(3, 2, 2));
	cr_assert_not(matter_quorum_met(0, 0, 0), "nobody to count");
}

Test(meetings, the_step_table_in_its_order)
{
	static const char *const keys[] = {"propose", "consult", "review", "resolve", "publish_resolution", "publish_result"};
	cr_assert_eq(matter_steps_count, 6);
	for (int i = 0; i < 6; i++)
		cr_assert_eq(matter_step_index(keys[i]), i);
	cr_assert_eq(matter_steps[2].quorum, QUORUM_MEMBERS);
	cr_assert_eq(matter_steps[3].quorum, QUORUM_REPRESENTATIVES);
	cr_assert_eq(matter_step_index("vote"), -1);
}

Test(meetings, beijing_time)
{
	int64_t t;
	cr_assert(meeting_time_parse("2026-12-03", "19:30", &t));
	cr_assert_eq(t, 1796297400); /* 2026-12-03T11:30:00Z */
	char date[11];
	meeting_date_of(t + 5 * 3600, date); /* 00:30 the next day in Beijing */
	cr_assert_str_eq(date, "2026-12-04");
	cr_assert_not(meeting_time_parse("2026-12-03", "24:00", &t));
	cr_assert_not(meeting_time_parse("2026-02-30", "19:30", &t));
	cr_assert_not(meeting_time_parse("2026-12-03", "7:30", &t));
}

static int64_t plan(const char *type, int64_t org, const char *date, struct field_errors *e)
{
	struct meeting_new n = {
		.org_id = org, .type = type, .theme = "主题", .date = date, .start = "19:30", .end = "21:00", .place = "活动室", .content = "内容"};
	int64_t id = 0;
	enum dj_result res = meeting_plan(d, &cli, &n, 0, &id, e);
	cr_assert_eq(res, DJ_OK, "%s", dj_message(res, e));
	return id;
}

Test(meetings, invitees_of_each_kind)
{
	struct field_errors e = {0};
	struct meeting m;
	cr_assert(meeting_load(d, plan("red730", 2, "2026-12-03", &e), &m));
	cr_assert_eq(m.invited, 4, "the branch and its groups");
	cr_assert(meeting_load(d, plan("committee", 2, "2026-12-03", &e), &m));
	cr_assert_eq(m.invited, 2, "the 书记 and the 委员");
	cr_assert(meeting_load(d, plan("group", 3, "2026-12-03", &e), &m));
	cr_assert_eq(m.invited, 2, "the group's");
	struct meeting_new n = {
		.org_id = 2, .type = "red730", .theme = "", .date = "2026-12-03", .start = "19:30", .end = "21:00", .place = "", .content = "x"};
	memset(&e, 0, sizeof e);
	cr_assert_eq(meeting_plan(d, &cli, &n, 0, NULL, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "theme"));
	cr_assert_not_null(ferr_get(&e, "place"));
}

Test(meetings, held_with_attendance_and_an_overdue_decision)
{
	struct field_errors e = {0};
	int64_t id = plan("red730", 2, "2026-12-03", &e), start;
	meeting_time_parse("2026-12-03", "19:30", &start);
	struct meeting_held h = {"记录", "议题", 2, 3, NULL};
	cr_assert_eq(meeting_hold(d, &cli, id, &h, start - 60, &e), DJ_CONFLICT, "not before it starts");
	int64_t present[] = {10, 12};
	cr_assert_eq(meeting_mark_present(d, &cli, id, present, 2, start, &e), DJ_OK);
	struct decision_new dn = {"修路灯", "2026-12-05", 12, NULL, 0};
	int64_t dec;
	memset(&e, 0, sizeof e);
	enum dj_result dr = decision_create(d, &cli, id, &dn, start + 600, &dec, &e);
	cr_assert_eq(dr, DJ_OK, "%d %s", (int)dr, dj_message(dr, &e));
	memset(&e, 0, sizeof e);
	cr_assert_eq(meeting_hold(d, &cli, id, &h, start + 3600, &e), DJ_OK);
	struct meeting m;
	meeting_load(d, id, &m);
	cr_assert_eq(m.present, 2);
	cr_assert_eq(m.absent, 2);
	/* through the points ledger, in the same transaction: +2 attended, −2 absent without leave */
	cr_assert_eq(points_total(d, 10, 2026), 2);
	cr_assert_eq(points_total(d, 11, 2026), -2);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM points_ledger WHERE source_kind = 'meeting' AND source_id = ?", "I", id), 4);
	struct decision x;
	int64_t dec_day;
	meeting_time_parse("2026-12-05", "23:59", &dec_day);
	cr_assert(decision_load(d, dec, dec_day, &x));
	cr_assert_not(x.overdue, "due that day");
	cr_assert(decision_load(d, dec, dec_day + 120, &x));
	cr_assert(x.overdue, "overdue from the next day in Beijing");
	cr_assert_eq(decisions_overdue_task(d, dec_day + 120), 1);
	cr_assert_eq(decisions_overdue_task(d, dec_day + 240), 0, "told once");
}

static void row(void *ctx, const struct compliance_row *r)
{
	int *missed = ctx;
	if (r->missed)
		*missed |= r->org_id == 2 ? 1 : 2;
}

Test(meetings, compliance_marks_the_branch_that_missed)
{
	struct field_errors e = {0};
	int64_t start;
	meeting_time_parse("2026-12-03", "19:30", &start);
	struct meeting_held h = {"记录", "", 0, 0, NULL};
	/* 甲村 holds every required meeting in December (the quarter's last month); 乙村 none */
	const char *types[] = {"committee", "assembly", "lesson"};
	for (int i = 0; i < 3; i++)
		cr_assert_eq(meeting_hold(d, &cli, plan(types[i], 2, "2026-12-03", &e), &h, start + 3600, &e), DJ_OK);
	cr_assert_eq(meeting_hold(d, &cli, plan("group", 3, "2026-12-03", &e), &h, start + 3600, &e), DJ_OK);
	int missed = 0;
	int64_t after;
	meeting_time_parse("2027-01-01", "08:00", &after);
	cr_assert_eq(meeting_compliance(d, &cli, 1, "2026-12", after, row, &missed, &e), DJ_OK);
	cr_assert_eq(missed, 2, "only 乙村");
}

/* Every statement of holding a meeting fails in turn: the meeting stays planned, its attendance as it was. */
Test(meetings, a_failed_hold_leaves_nothing_half_written)
{
	struct field_errors e = {0};
	int64_t id = plan("red730", 2, "2026-12-03", &e), start;
	meeting_time_parse("2026-12-03", "19:30", &start);
	const char *reps[] = {"王大爷", NULL};
	struct meeting_held h = {"记录", "议题", 2, 3, reps};
	/* how many statements the work runs */
	cr_assert_eq(db_begin(d, true), DB_OK);
	uint64_t p0 = db_fault_points(d);
	cr_assert_eq(meeting_hold(d, &cli, id, &h, start + 3600, &e), DJ_OK);
	uint64_t points = db_fault_points(d) - p0;
	db_rollback(d);
	cr_assert(points > 5);
	int failed = 0;
	for (uint64_t n = 1; n <= points; n++) {
		cr_assert_eq(db_begin(d, true), DB_OK);
		db_fault_inject(d, n, DB_FAULT_IO);
		memset(&e, 0, sizeof e);
		enum dj_result res = meeting_hold(d, &cli, id, &h, start + 3600, &e);
		db_fault_inject(d, 0, DB_FAULT_NONE);
		db_rollback(d);
		if (res == DJ_OK)
			continue; /* a read it could do without: then the whole of it, rolled back here */
		failed++;
		struct meeting m;
		cr_assert(meeting_load(d, id, &m));
		cr_assert_str_eq(m.state, "planned", "statement %llu", (unsigned long long)n);
		cr_assert_eq(m.absent, 0);
		cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM meeting_guests", ""), 0);
	}
	cr_assert(failed >= 4, "the writes failed: %d", failed);
}

/* A meeting of 600 invitees (乙村 grown large): every one is told when it is
 * cancelled, and every one gets the points of a held meeting — nothing past
 * a fixed-size buffer is skipped (it was capped at 512). */
Test(meetings, six_hundred_invitees_all_told_and_all_awarded)
{
	cr_assert_eq(db_run(d, "BEGIN", ""), DB_OK);
	for (int64_t i = 0; i < 599; i++) {
		char name[32];
		snprintf(name, sizeof name, "党员%lld", (long long)i);
		member(1000 + i, 4, name, NULL);
		int64_t uid = db_int1(d, 0,
				      "INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) VALUES (?, 'x', ?, "
				      "'member', 4, 0, 0) RETURNING id",
				      "tt", name, name);
		cr_assert(uid > 0, "%s", db_errmsg(d));
		cr_assert_eq(db_run(d, "UPDATE members SET user_id = ? WHERE id = ?", "II", uid, 1000 + i), DB_OK);
	}
	cr_assert_eq(db_run(d, "COMMIT", ""), DB_OK);
	struct field_errors e = {0};
	int64_t start;
	meeting_time_parse("2026-12-03", "19:30", &start);
	/* cancelled: the 599 invitees with a login are all notified (孙党员 has none) */
	int64_t gone = plan("assembly", 4, "2026-12-03", &e);
	struct meeting m;
	cr_assert(meeting_load(d, gone, &m));
	cr_assert_eq(m.invited, 600);
	cr_assert_eq(meeting_cancel(d, &cli, gone, "天气原因", start - 7200, &e), DJ_OK);
	cr_assert_eq(db_int1(d, -1,
			     "SELECT COUNT(DISTINCT user_id) FROM notifications WHERE entity = 'meeting' AND entity_id = ? AND text LIKE '会议取消%'", "I",
			     gone),
		     599);
	/* held: 300 present, 300 absent, and 600 awards in the ledger */
	int64_t id = plan("assembly", 4, "2026-12-03", &e);
	int64_t present[300];
	for (int i = 0; i < 300; i++)
		present[i] = 1000 + 2 * i < 1599 ? 1000 + 2 * i : 20;
	present[299] = 20;
	cr_assert_eq(meeting_mark_present(d, &cli, id, present, 300, start, &e), DJ_OK);
	cr_assert_eq(meeting_hold(d, &cli, id, &(struct meeting_held){"记录", "", 0, 0, NULL}, start + 3600, &e), DJ_OK);
	cr_assert(meeting_load(d, id, &m));
	cr_assert_eq(m.present, 300);
	cr_assert_eq(m.absent, 300);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM points_ledger WHERE source_kind = 'meeting' AND source_id = ?", "I", id), 600);
	cr_assert_eq(points_total(d, 1598, 2026), -2, "the last absent member too");
	cr_assert_eq(points_total(d, 20, 2026), 2);
}

/* The types are the committee's table: a new one invites as it says, needs
 * no minutes when it says so, counts in the report's column; retired, it is
 * planned no more; in use, it is never deleted; an unused one of the
 * committee's goes. */
static void report_held(void *ctx, const struct meeting_report_row *r, bool total)
{
	int64_t *held = ctx;
	if (total)
		memcpy(held, r->held, sizeof r->held);
}

Test(meetings, a_type_of_the_committee_planned_retired_and_never_deleted_once_used)
{
	struct field_errors e = {0};
	struct meeting_type_input in = {"议事会", "group", 0, 0, -1};
	char key[16];
	cr_assert_eq(meeting_type_add(d, &cli, &in, 0, key, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert_str_eq(key, "t8", "a key of the code's making after the seven seeded");
	memset(&e, 0, sizeof e);
	cr_assert_eq(meeting_type_add(d, &cli, &in, 0, key, &e), DJ_INVALID, "the same name twice");
	cr_assert_not_null(ferr_get(&e, "label"));
	/* invite group: held by a 党小组, its members invited */
	memset(&e, 0, sizeof e);
	struct meeting_new n = {
		.org_id = 2, .type = "t8", .theme = "主题", .date = "2026-12-03", .start = "19:30", .end = "21:00", .place = "活动室", .content = "内容"};
	cr_assert_eq(meeting_plan(d, &cli, &n, 0, NULL, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "type"));
	struct meeting m;
	memset(&e, 0, sizeof e);
	int64_t id = plan("t8", 3, "2026-12-03", &e), start;
	cr_assert(meeting_load(d, id, &m));
	cr_assert_eq(m.invited, 2, "the group's");
	cr_assert_str_eq(m.type_label, "议事会");
	/* held without minutes: the type needs none */
	meeting_time_parse("2026-12-03", "19:30", &start);
	struct meeting_held h = {"", "", 0, 0, NULL};
	memset(&e, 0, sizeof e);
	cr_assert_eq(meeting_hold(d, &cli, id, &h, start + 3600, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	/* the report's column is the type's place in the table */
	struct meeting_type v[MEETING_TYPES_MAX];
	int nt = meeting_types_load(d, false, v, MEETING_TYPES_MAX), k = meeting_type_index(v, nt, "t8");
	cr_assert_eq(nt, 8);
	cr_assert_eq(k, 7);
	int64_t held[MEETING_TYPES_MAX] = {0};
	cr_assert_eq(meeting_report(d, &cli, 1, "2026-12-01", "2026-12-31", start + 3600, report_held, held, &e), DJ_OK);
	cr_assert_eq(held[k], 1);
	/* retired: planned no more, still counted */
	struct meeting_type_input off = {NULL, NULL, -1, -1, 0};
	cr_assert_eq(meeting_type_set(d, &cli, "t8", &off, &e), DJ_OK);
	memset(&e, 0, sizeof e);
	n.org_id = 3;
	cr_assert_eq(meeting_plan(d, &cli, &n, 0, NULL, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "type"));
	cr_assert_eq(meeting_types_load(d, true, v, MEETING_TYPES_MAX), 7);
	/* in use, or seeded: never deleted; an unused one of the committee's is */
	memset(&e, 0, sizeof e);
	cr_assert_eq(meeting_type_delete(d, &cli, "t8", &e), DJ_CONFLICT);
	cr_assert_eq(meeting_type_delete(d, &cli, "other", &e), DJ_CONFLICT);
	struct meeting_type_input spare = {"备用会", "branch", 0, 1, -1};
	memset(&e, 0, sizeof e);
	cr_assert_eq(meeting_type_add(d, &cli, &spare, 0, key, &e), DJ_OK);
	cr_assert_eq(meeting_type_delete(d, &cli, key, &e), DJ_OK);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM meeting_types", ""), 8);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM audit WHERE action LIKE 'meeting.type%'", ""), 4);
	/* a member may not touch the table */
	struct actor member_a = cli;
	member_a.role = R_MEMBER;
	memset(&e, 0, sizeof e);
	cr_assert_eq(meeting_type_add(d, &member_a, &spare, 0, key, &e), DJ_FORBIDDEN);
}

/* The public list holds a decision only once published, and shows its published words. */
static void count_public(void *ctx, const struct decision *x)
{
	int *n = ctx;
	(*n)++;
	cr_assert_str_eq(x->pub_text, "修好村口路灯");
}

Test(meetings, a_decision_is_public_only_once_published)
{
	struct field_errors e = {0};
	int64_t id = plan("red730", 2, "2026-12-03", &e), start, dec;
	meeting_time_parse("2026-12-03", "19:30", &start);
	struct decision_new dn = {"王党员负责修路灯", "2026-12-05", 12, NULL, 0};
	cr_assert_eq(decision_create(d, &cli, id, &dn, start + 600, &dec, &e), DJ_OK);
	struct decision_filter f = {.org_id = 2};
	int n = 0;
	decision_list(d, NULL, &f, start + 700, count_public, &n);
	cr_assert_eq(n, 0, "not published");
	cr_assert_eq(decision_publish_result(d, &cli, dec, NULL, NULL, start + 700, &e), DJ_CONFLICT, "the decision first");
	memset(&e, 0, sizeof e);
	cr_assert_eq(decision_publish(d, &cli, dec, "修好村口路灯", "2026-12-02", start + 700, &e), DJ_INVALID, "before the meeting");
	cr_assert_not_null(ferr_get(&e, "date"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(decision_publish(d, &cli, dec, "修好村口路灯", NULL, start + 700, &e), DJ_OK);
	cr_assert_eq(decision_publish(d, &cli, dec, "再来一次", NULL, start + 800, &e), DJ_CONFLICT, "once");
	memset(&e, 0, sizeof e);
	decision_list(d, NULL, &f, start + 700, count_public, &n);
	cr_assert_eq(n, 1);
	struct decision x;
	cr_assert(decision_load(d, dec, start + 700, &x));
	cr_assert_str_eq(x.pub_date, "2026-12-03");
	cr_assert_str_eq(x.matter, "王党员负责修路灯", "the record keeps its own words");
}
