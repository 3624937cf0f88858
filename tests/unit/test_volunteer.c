/* Unit tests: volunteer service (volunteer.h). The state table says who may
 * take each step; hours are the time between the later of check-in and start
 * and the earlier of check-out and end; the waiting list moves up in order; a
 * second scan within two minutes is not a check-out; hours by hand need a
 * reason and never pass the activity's length; 双报到 members may sign up for
 * a community's open activity and nobody else's; stars and their dates come
 * from the running total. */
#include <criterion/criterion.h>
#include <string.h>

#include "actor.h"
#include "campaigns.h"
#include "db.h"
#include "orgs.h"
#include "points.h"
#include "unit_db.h"
#include "volunteer.h"

static db *d;
static char path[96];
static struct actor cli, sec, mem, other_sec, home_mem;
static int64_t town, cjc, xjc, dsq, m[6], home;

#define T0 1803859200 /* 2027-03-01 08:00 Beijing */

static int64_t member(int64_t org, const char *name, int n, int64_t user, int64_t service)
{
	char idn[24];
	snprintf(idn, sizeof idn, "37152419800101%04d", n);
	int64_t id = db_int1(
		d, 0,
		"INSERT INTO members (org_id, name, gender, birth_date, id_number, id_tail, join_date, category, status, in_service, "
		"service_org_id, user_id, created_at, updated_at) VALUES (?, ?, '男', '1980-01-01', ?, '0000', '2000-01-01', 'full', 'active', "
		"?, NULLIF(CAST(? AS BIGINT), 0), NULLIF(CAST(? AS BIGINT), 0), 1, 1) RETURNING id",
		"IttIII", org, name, idn, (int64_t)(service ? 1 : 0), service, user);
	cr_assert(id);
	return id;
}

static void account(struct actor *a, const char *username, int role, int64_t org)
{
	memset(a, 0, sizeof *a);
	a->user_id = db_int1(d, 0,
			     "INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) VALUES (?, 'x', ?, ?, ?, 1, 1) "
			     "RETURNING id",
			     "tttI", username, username, role_key(role), org);
	a->role = role;
	a->org_id = org;
	struct org o;
	cr_assert(org_load(d, org, &o));
	snprintf(a->org_path, sizeof a->org_path, "%s", o.path);
	snprintf(a->name, sizeof a->name, "%s", username);
	snprintf(a->label, sizeof a->label, "%s", username);
}

static void setup(void)
{
	d = unit_db_open("volunteer", path);
	cr_assert_eq(db_begin(d, true), DB_OK);
	actor_cli(&cli);
	town = orgs_create(d, 0, "CJZ", "中共陈集镇委员会", "committee", "");
	cjc = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "农村");
	xjc = orgs_create(d, town, "CJZ-XJC", "西街村党支部", "branch", "农村");
	dsq = orgs_create(d, town, "CJZ-DSQ", "东升社区党支部", "branch", "社区");
	account(&sec, "chenji", R_BRANCH, cjc);
	account(&other_sec, "xijie", R_BRANCH, xjc);
	account(&mem, "dangyuan", R_MEMBER, cjc);
	account(&home_mem, "zaizhi", R_MEMBER, xjc);
	m[0] = member(cjc, "李志强", 1, mem.user_id, 0);
	for (int i = 1; i < 6; i++)
		m[i] = member(cjc, "党员", 10 + i, 0, 0);
	home = member(xjc, "在职党员", 30, home_mem.user_id, dsq); /* 双报到: lives in 东升社区 */
}
static void teardown(void)
{
	db_rollback(d);
	unit_db_close(d, path);
}
TestSuite(volunteer, .init = setup, .fini = teardown);

static int64_t activity(const struct actor *a, const char *org, const char *starts, const char *ends, int64_t cap, bool open_registered)
{
	struct volunteer_new n = {.title = "人居环境整治",
				  .kind = "cleanup",
				  .place = "主街",
				  .org_code = org,
				  .team = "",
				  .starts = starts,
				  .ends = ends,
				  .capacity = cap,
				  .open_registered = open_registered,
				  .publish = true};
	struct field_errors e = {0};
	int64_t id = 0;
	cr_assert_eq(volunteer_create(d, a, &n, T0, &id, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	return id;
}

static const char *state_of(int64_t id, int64_t member_id)
{
	static char s[16];
	s[0] = 0;
	db_stmt *q = db_query(d, "SELECT state FROM volunteer_signups WHERE activity_id = ? AND member_id = ?", "II", id, member_id);
	if (db_next(q))
		snprintf(s, sizeof s, "%s", db_str(q, 0));
	db_done(q);
	return s;
}

Test(volunteer, state_table_says_who_may_step)
{
	cr_assert_not_null(volunteer_find("draft", "publish", R_BRANCH));
	cr_assert_null(volunteer_find("draft", "publish", R_MEMBER));
	cr_assert_not_null(volunteer_find("published", "start", A_SYSTEM));
	cr_assert_null(volunteer_find("finished", "cancel", R_ADMIN), "a finished activity is not cancelled");
	cr_assert_null(volunteer_find("in_progress", "cancel", R_ADMIN), "nor one under way");
	cr_assert_null(volunteer_find("cancelled", "publish", R_ADMIN));
	for (size_t i = 0; i < volunteer_transitions_n; i++)
		cr_assert_str_neq(volunteer_state_label(volunteer_transitions[i].to), volunteer_transitions[i].to, "every state has its label");
}

Test(volunteer, minutes_are_capped_by_the_activity)
{
	int64_t s = T0 + 3600, e = s + 3 * 3600;
	cr_assert_eq(volunteer_minutes(s, e, s + 1800, e + 2400), 150, "30 minutes late, stayed after: 2.5 h");
	cr_assert_eq(volunteer_minutes(s, e, s - 1800, e), 180, "early arrival is travel, not service");
	cr_assert_eq(volunteer_minutes(s, e, s, s + 3599), 59);
	cr_assert_eq(volunteer_minutes(s, e, e + 60, e + 600), 0, "after the end");
	char h[24];
	volunteer_hours_text(150, h);
	cr_assert_str_eq(h, "2.5");
	volunteer_hours_text(20, h);
	cr_assert_str_eq(h, "0.3");
}

Test(volunteer, waiting_list_moves_up_in_order)
{
	int64_t a = activity(&sec, "CJZ-CJC", "2027-03-03 09:00", "2027-03-03 12:00", 2, false);
	bool waiting;
	struct field_errors e = {0};
	for (int i = 1; i <= 4; i++) {
		cr_assert_eq(volunteer_signup(d, &sec, a, m[i], T0 + i, &waiting, &e), DJ_OK);
		cr_assert_eq(waiting, i > 2);
	}
	cr_assert_eq(volunteer_signup(d, &sec, a, m[1], T0 + 9, &waiting, &e), DJ_CONFLICT, "twice");
	cr_assert_eq(volunteer_signup_cancel(d, &sec, a, m[2], T0 + 10, &e), DJ_OK);
	cr_assert_str_eq(state_of(a, m[3]), "signed", "the first waiting moves up");
	cr_assert_str_eq(state_of(a, m[4]), "waiting");
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_signup(d, &other_sec, a, m[5], T0, &waiting, &e), DJ_NOT_FOUND, "another branch's secretary");
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_signup(d, &sec, a, m[5], T0 + 2 * 86400 + 3600, &waiting, &e), DJ_CONFLICT, "after the start");
}

Test(volunteer, registered_members_serve_where_they_live)
{
	int64_t open = activity(&cli, "CJZ-DSQ", "2027-03-03 09:00", "2027-03-03 12:00", 10, true);
	int64_t closed = activity(&cli, "CJZ-DSQ", "2027-03-04 09:00", "2027-03-04 12:00", 10, false);
	bool waiting;
	struct field_errors e = {0};
	cr_assert_eq(volunteer_signup(d, &home_mem, open, 0, T0, &waiting, &e), DJ_OK, "双报到: %s", dj_message(DJ_INVALID, &e));
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_signup(d, &home_mem, closed, 0, T0, &waiting, &e), DJ_NOT_FOUND, "not open to registered members");
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_signup(d, &mem, open, 0, T0, &waiting, &e), DJ_NOT_FOUND, "a member registered nowhere there");
}

Test(volunteer, scan_checks_in_a_replay_is_not_a_checkout_then_out)
{
	int64_t a = activity(&sec, "CJZ-CJC", "2027-03-03 09:00", "2027-03-03 12:00", 5, false);
	int64_t start = T0 + 2 * 86400 + 3600;
	char done[200];
	struct field_errors e = {0};
	cr_assert_eq(volunteer_scan(d, &mem, a, start + 1800, done, sizeof done, &e), DJ_OK, "walk-in: %s", dj_message(DJ_INVALID, &e));
	cr_assert(strstr(done, "已签到 09:30"), "%s", done);
	cr_assert_eq(volunteer_scan(d, &mem, a, start + 1800 + 60, done, sizeof done, &e), DJ_OK);
	cr_assert(strstr(done, "已签到 09:30"), "a replay: %s", done);
	cr_assert_eq(volunteer_scan(d, &mem, a, start + 3 * 3600 + 600, done, sizeof done, &e), DJ_OK);
	cr_assert(strstr(done, "服务 2.5 小时"), "%s", done);
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_scan(d, &mem, a, start + 4 * 3600, done, sizeof done, &e), DJ_CONFLICT, "checked out already");
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_scan(d, &home_mem, a, start, done, sizeof done, &e), DJ_NOT_FOUND, "another branch's member");
}

Test(volunteer, hours_by_hand_need_a_reason_and_fit_the_activity)
{
	int64_t a = activity(&sec, "CJZ-CJC", "2027-03-03 09:00", "2027-03-03 12:00", 5, false);
	int64_t now = T0 + 2 * 86400 + 5 * 3600;
	struct field_errors e = {0};
	cr_assert_eq(volunteer_manual(d, &sec, a, m[1], "checkout", 0, 0, NULL, now, &e), DJ_CONFLICT, "no check-out before check-in");
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_manual(d, &sec, a, m[1], "checkin", now - 4 * 3600, 0, NULL, now, &e), DJ_OK);
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_manual(d, &sec, a, m[1], "hours", 0, 180, "", now, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "reason"));
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_manual(d, &sec, a, m[1], "hours", 0, 181, "核实", now, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "hours"));
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_manual(d, &mem, a, m[1], "hours", 0, 60, "核实", now, &e), DJ_FORBIDDEN, "a member has no organiser's hand");
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_manual(d, &sec, a, m[1], "hours", 0, 180, "核实", now, &e), DJ_OK);
	cr_assert_eq(db_int1(d, 0, "SELECT minutes_manual FROM volunteer_signups WHERE activity_id = ? AND member_id = ?", "II", a, m[1]), 1);
	cr_assert_eq(db_int1(d, 0, "SELECT checkin_by FROM volunteer_signups WHERE activity_id = ? AND member_id = ?", "II", a, m[1]), sec.user_id);
}

Test(volunteer, finishing_closes_forgotten_checkouts_at_the_end)
{
	int64_t a = activity(&sec, "CJZ-CJC", "2027-03-03 09:00", "2027-03-03 12:00", 5, false);
	int64_t start = T0 + 2 * 86400 + 3600;
	char done[200];
	struct field_errors e = {0};
	cr_assert_eq(volunteer_scan(d, &mem, a, start + 3600, done, sizeof done, &e), DJ_OK);
	cr_assert_eq(volunteer_tick(d, start + 3 * 3600 + VOLUNTEER_CLOSES_AFTER - 1), 1, "started, not yet finished");
	cr_assert_eq(volunteer_tick(d, start + 3 * 3600 + VOLUNTEER_CLOSES_AFTER), 1, "finished");
	struct volunteer_activity v;
	cr_assert(volunteer_activity_load(d, a, &v));
	cr_assert_str_eq(v.state, "finished");
	cr_assert_eq(db_int1(d, 0, "SELECT minutes FROM volunteer_signups WHERE activity_id = ?", "I", a), 120);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM volunteer_signups WHERE activity_id = ? AND checkout_how = 'auto'", "I", a), 1);
}

Test(volunteer, stars_are_reached_on_the_day_the_total_passes_them)
{
	/* thresholds of 2 and 5 hours: three activities of 3 hours */
	cr_assert_eq(db_run(d, "INSERT INTO settings (key, value) VALUES ('volunteer_star_hours', '2,5,10,20,40')", ""), DB_OK);
	int64_t ends[3];
	for (int i = 0; i < 3; i++) {
		char s[24], en[24];
		snprintf(s, sizeof s, "2027-03-%02d 09:00", 3 + i);
		snprintf(en, sizeof en, "2027-03-%02d 12:00", 3 + i);
		int64_t a = activity(&sec, "CJZ-CJC", s, en, 5, false);
		struct field_errors e = {0};
		cr_assert_eq(volunteer_manual(d, &sec, a, m[0], "checkin", T0 + (2 + i) * 86400 + 3600, 0, NULL, T0 + 30 * 86400, &e), DJ_OK);
		cr_assert_eq(volunteer_manual(d, &sec, a, m[0], "checkout", T0 + (2 + i) * 86400 + 4 * 3600, 0, NULL, T0 + 30 * 86400, &e), DJ_OK);
		ends[i] = T0 + (2 + i) * 86400 + 4 * 3600;
	}
	struct volunteer_member_stats st;
	struct field_errors e = {0};
	cr_assert_eq(volunteer_member_stats(d, &mem, m[0], &st, &e), DJ_OK);
	cr_assert_eq(st.minutes, 540);
	cr_assert_eq(st.stars, 2);
	cr_assert_eq(st.star_reached[0], ends[0], "2 h: the first activity");
	cr_assert_eq(st.star_reached[1], ends[1], "5 h: the second");
	cr_assert_eq(st.star_reached[2], 0);
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_member_stats(d, &other_sec, m[0], &st, &e), DJ_NOT_FOUND, "another branch does not see it");
}

/* The member picker: names searched within the organiser's subtree only,
 * namesakes told apart by their number, nothing typed or nobody found
 * refused on the field, and no picker for a member. */
static void count_pick(void *ctx, const struct volunteer_pick *p)
{
	(void)p;
	(*(int *)ctx)++;
}

Test(volunteer, the_member_picker_searches_names_within_the_organisers_subtree)
{
	int n = 0;
	cr_expect_eq(volunteer_pick_each(d, &sec, NULL, "党员", 50, count_pick, &n), 5, "陈集村's five 党员, not 西街村's 在职党员");
	cr_expect_eq(n, 5);
	cr_expect_eq(volunteer_pick_each(d, &cli, NULL, "党员", 50, count_pick, &n), 6, "the whole town");
	cr_expect_eq(volunteer_pick_each(d, &sec, NULL, "", 50, count_pick, &n), 6, "everyone of 陈集村");
	cr_expect_eq(volunteer_pick_each(d, &cli, "/999/", "党员", 50, count_pick, &n), 0, "a prefix that is no org's gives none");
	char xjc_path[256];
	struct org o;
	cr_assert(org_load(d, xjc, &o));
	snprintf(xjc_path, sizeof xjc_path, "%s", o.path);
	cr_expect_eq(volunteer_pick_each(d, &sec, xjc_path, "党员", 50, count_pick, &n), 5, "another branch's prefix falls back to the subtree");
	cr_expect_eq(volunteer_pick_each(d, &sec, NULL, "%", 50, count_pick, &n), 0, "a wildcard is no name");
	cr_expect_eq(volunteer_pick_each(d, &mem, NULL, "", 50, count_pick, &n), 0, "a member picks nobody");

	int64_t id = -1;
	struct field_errors e = {0};
	cr_expect_eq(volunteer_pick_resolve(d, &sec, " 李志强 ", &id, &e), DJ_OK);
	cr_expect_eq(id, m[0]);
	char typed[64];
	snprintf(typed, sizeof typed, "党员 #%lld", (long long)m[3]);
	cr_expect_eq(volunteer_pick_resolve(d, &sec, typed, &id, &e), DJ_OK);
	cr_expect_eq(id, m[3], "an option of the list");
	snprintf(typed, sizeof typed, "%lld", (long long)m[2]);
	cr_expect_eq(volunteer_pick_resolve(d, &sec, typed, &id, &e), DJ_OK);
	cr_expect_eq(id, m[2], "a roster number still works");
	const char *bad[] = {"党员", "在职党员", "", "   ", "党员 #x"};
	const char *why[] = {"有5名党员叫", "没有", "请选择党员", "请选择党员", "请从列表中选择"};
	for (int i = 0; i < 5; i++) {
		memset(&e, 0, sizeof e);
		cr_expect_eq(volunteer_pick_resolve(d, &sec, bad[i], &id, &e), DJ_INVALID, "%s", bad[i]);
		cr_expect_eq(id, 0);
		const char *msg = ferr_get(&e, "member_id");
		cr_expect(msg && strstr(msg, why[i]), "%s: %s", bad[i], msg ? msg : "(none)");
	}
}

/* Hours changed after their points were paid (issue 12 with issue 11's
 * ledger): each change corrects the chain (points_correct), so the
 * attendance's entries always add up to its full hours × the rule
 * volunteer_hour (1 point an hour, at most 8 a day), and the totals equal a
 * recount of the ledger. */
static int64_t hour_entries(int64_t member, const char *kind)
{
	return db_int1(d, -1, "SELECT COUNT(*) FROM points_ledger WHERE member_id = ? AND code = 'volunteer_hour' AND kind = ?", "It", member, kind);
}

Test(volunteer, hours_corrected_after_the_award_correct_the_ledger)
{
	int64_t a = activity(&sec, "CJZ-CJC", "2027-03-03 09:00", "2027-03-03 13:00", 5, false);
	int64_t nine = T0 + 2 * 86400 + 3600, now = T0 + 3 * 86400;
	struct field_errors e = {0};
	cr_assert_eq(volunteer_manual(d, &sec, a, m[1], "checkin", nine, 0, NULL, now, &e), DJ_OK);
	cr_assert_eq(volunteer_manual(d, &sec, a, m[1], "checkout", nine + 3 * 3600, 0, NULL, now, &e), DJ_OK);
	cr_assert_eq(points_ledger_sum(d, m[1], 2027), 3);
	static const struct {
		int64_t minutes, sum;
	} steps[] = {{90, 1}, {240, 4}, {239, 3}, {0, 0}, {120, 2}};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		e = (struct field_errors){0};
		cr_assert_eq(volunteer_manual(d, &sec, a, m[1], "hours", 0, steps[i].minutes, "核实更正", now, &e), DJ_OK, "%s",
			     dj_message(DJ_INVALID, &e));
		cr_assert_eq(points_ledger_sum(d, m[1], 2027), steps[i].sum, "%lld minutes", (long long)steps[i].minutes);
		cr_assert_eq(points_total(d, m[1], 2027), steps[i].sum, "the totals follow");
	}
	cr_assert_eq(hour_entries(m[1], "award"), 1, "paid once");
	cr_assert_eq(hour_entries(m[1], "correction"), 5, "one correction per change of full hours");
	/* the organiser's corrected check-out (an edit of a check-out already made) */
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_manual(d, &sec, a, m[2], "checkin", nine, 0, NULL, now, &e), DJ_OK);
	cr_assert_eq(volunteer_manual(d, &sec, a, m[2], "checkout", nine + 4 * 3600, 0, NULL, now, &e), DJ_OK);
	cr_assert_eq(volunteer_manual(d, &sec, a, m[2], "checkout", nine + 3600, 0, NULL, now, &e), DJ_OK);
	cr_assert_eq(points_ledger_sum(d, m[2], 2027), 1);
	cr_assert_eq(volunteer_manual(d, &sec, a, m[2], "checkout", nine - 60, 0, NULL, now, &e), DJ_CONFLICT, "not before the check-in");
	cr_assert_eq(points_ledger_sum(d, m[2], 2027), 1);
	FILE *null = fopen("/dev/null", "w");
	cr_assert_eq(points_totals_check(d, null), 0, "the totals equal a recount of the ledger");
	fclose(null);
}

Test(volunteer, a_correction_keeps_the_days_cap)
{
	/* 10 hours in one day: the rule's cap of 8 a day holds for the award and for every correction */
	int64_t a = activity(&sec, "CJZ-CJC", "2027-03-03 08:00", "2027-03-03 18:00", 5, false);
	int64_t eight = T0 + 2 * 86400, now = T0 + 3 * 86400;
	struct field_errors e = {0};
	cr_assert_eq(volunteer_manual(d, &sec, a, m[3], "checkin", eight, 0, NULL, now, &e), DJ_OK);
	cr_assert_eq(volunteer_manual(d, &sec, a, m[3], "checkout", eight + 10 * 3600, 0, NULL, now, &e), DJ_OK);
	cr_assert_eq(points_ledger_sum(d, m[3], 2027), 8, "capped at 8 a day");
	cr_assert_eq(volunteer_manual(d, &sec, a, m[3], "hours", 0, 300, "中途离开", now, &e), DJ_OK);
	cr_assert_eq(points_ledger_sum(d, m[3], 2027), 5);
	cr_assert_eq(volunteer_manual(d, &sec, a, m[3], "hours", 0, 600, "复核", now, &e), DJ_OK);
	cr_assert_eq(points_ledger_sum(d, m[3], 2027), 8, "back to the cap, not 10");
}

/* A campaign's minimum (issue 12, Deliver 7): the committee sets it; the
 * report counts the activities of the campaign's period, or only those
 * linked to its tasks when it says so. */
static void count_below(void *ctx, const struct volunteer_below_row *r)
{
	(void)r;
	(*(int *)ctx)++;
}

Test(volunteer, a_campaign_minimum_counts_its_period_or_its_linked_activities)
{
	struct campaign_new cn = {.org = "CJZ", .title = "志愿服务月", .starts = "2027-03-05", .ends = "2027-03-20", .plan = ""};
	int64_t c = 0;
	struct field_errors e = {0};
	cr_assert_eq(campaign_create(d, &cli, &cn, &c, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert_eq(volunteer_campaign_minimum_set(d, &sec, c, 2, false, T0, &e), DJ_FORBIDDEN, "a branch does not set it");
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_campaign_minimum_set(d, &cli, c, 101, false, T0, &e), DJ_INVALID);
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_campaign_minimum_set(d, &cli, c, 2, false, T0, &e), DJ_OK);
	/* before the period, and twice in it */
	const char *days[] = {"2027-03-03", "2027-03-06", "2027-03-07"};
	int64_t acts[3];
	for (int i = 0; i < 3; i++) {
		char s[24], en[24];
		snprintf(s, sizeof s, "%s 09:00", days[i]);
		snprintf(en, sizeof en, "%s 11:00", days[i]);
		acts[i] = activity(&sec, "CJZ-CJC", s, en, 5, false);
		int64_t nine;
		cr_assert(volunteer_parse_time(s, &nine));
		for (int k = 0; k < 3; k++) {
			if (k == 1 && i == 2)
				continue; /* m[1] misses the last one */
			e = (struct field_errors){0};
			cr_assert_eq(volunteer_manual(d, &sec, acts[i], m[k], "checkin", nine, 0, NULL, T0 + 30 * 86400, &e), DJ_OK);
		}
	}
	struct volunteer_min_query q = {.org_id = cjc, .campaign_id = c};
	struct volunteer_min_info info;
	int n = 0;
	cr_assert_eq(volunteer_below_minimum(d, &sec, &q, &info, count_below, &n, &e), DJ_OK);
	cr_assert_eq(info.required, 2);
	cr_assert_str_eq(info.from, "2027-03-05");
	cr_assert_eq(n, 4, "m[1] (one in the period) and the three who served none; m[0] and m[2] served twice");
	/* linked only: the 03-07 activity linked to a task */
	int64_t act = 0, task = 0;
	cr_assert_eq(campaign_activity_add(d, &cli, c, "志愿服务进村", "CJZ-CJC", "", &act, &e), DJ_OK);
	struct campaign_task_new tn = {.title = "关爱帮扶", .owner = "张建国", .deadline = "2027-03-20", .target = "", .figure = NULL};
	cr_assert_eq(campaign_task_add(d, &cli, act, &tn, &task, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert_eq(campaign_task_link(d, &cli, task, "volunteer", acts[2], &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert_eq(volunteer_campaign_minimum_set(d, &cli, c, 1, true, T0, &e), DJ_OK);
	n = 0;
	cr_assert_eq(volunteer_below_minimum(d, &sec, &q, &info, count_below, &n, &e), DJ_OK);
	cr_assert(info.linked_only);
	cr_assert_eq(n, 4, "only m[0] and m[2] attended the linked activity");
	/* another branch's org is outside its secretary's report; 0 removes the minimum */
	struct volunteer_min_query other = {.org_id = cjc, .campaign_id = c};
	cr_assert_eq(volunteer_below_minimum(d, &other_sec, &other, &info, NULL, NULL, &e), DJ_NOT_FOUND);
	cr_assert_eq(volunteer_campaign_minimum_set(d, &cli, c, 0, false, T0, &e), DJ_OK);
	e = (struct field_errors){0};
	cr_assert_eq(volunteer_below_minimum(d, &sec, &q, &info, NULL, NULL, &e), DJ_INVALID, "no minimum any more");
	cr_assert(ferr_get(&e, "campaign"));
}
