/* Unit tests: the county generator (issue 9 §1) on a small county — its
 * counts, valid ID numbers that agree with gender and birth date, orders in
 * every state, the same database from the same seed, and the batched rows
 * equal to what the domain functions write (--via-rules) for the same seed. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "demo.h"
#include "orders.h"
#include "unit_db.h"
#include "valid.h"

#define NOW "1767225600" /* 2026-01-01 08:00 in Shanghai: the clock is part of the seed */

static void small(struct demo_opts *o, int towns, int64_t members, int64_t orders, int years)
{
	cr_assert_eq(demo_scale_opts("county", o), 0);
	o->towns = towns, o->members = members, o->orders = orders, o->years = years;
}

static db *build(const char *name, char path[96], struct demo_opts *o)
{
	db *d = unit_db_open(name, path);
	FILE *out = fopen("/dev/null", "w");
	cr_assert_eq(demo_fill_scale(d, o, out), 0);
	fclose(out);
	return d;
}

/* Every table as the rules would leave it, order codes (random in the
 * rules, from the seed in the generator) replaced by the order's id. */
static const struct {
	const char *sql;
	int cols;
} tables[] = {
	{"SELECT id, parent_id, code, name, type, kind, path, created_at, secretary FROM orgs ORDER BY id", 9},
	{"SELECT id, org_id, at, kind, to_value FROM org_history ORDER BY id", 5},
	{"SELECT id, username, name, role, org_id, active, created_at FROM users ORDER BY id", 7},
	{"SELECT id, org_id, name, gender, ethnicity, birth_date, education, id_number, id_tail, phone, phone_tail, address, join_date, "
	 "full_date, category, status, in_service, service_org_id, user_id, created_at FROM members ORDER BY id",
	 20},
	{"SELECT member_id, duty, since FROM member_duties ORDER BY member_id, duty", 3},
	{"SELECT id, member_id, date, at, kind, to_value, note, user_id FROM member_history ORDER BY id", 8},
	{"SELECT id, org_id, code, name, worker_user_id FROM grids ORDER BY id", 5},
	{"SELECT id, grid_id, address, head_name, size, central_member_id FROM households ORDER BY id", 6},
	{"SELECT id, kind, urgency, content, org_id, grid_id, contact_name, contact_phone, state, level, escalated, assignee_user_id, result, "
	 "close_reason, close_note, duplicate_of, rating, comment, ip, created_at, updated_at, due_at, delivered_at, closed_at, reminded_at, "
	 "overdue_notified FROM orders ORDER BY id",
	 26},
	{"SELECT id, order_id, at, action, from_state, to_state, actor_user_id, actor, note, public FROM order_events ORDER BY id", 10},
	{"SELECT n.id, n.user_id, n.at, n.kind, n.entity, n.entity_id, CASE WHEN o.id IS NULL THEN n.text ELSE REPLACE(n.text, o.code, '#' || o.id) "
	 "END, n.read_at FROM notifications n LEFT JOIN orders o ON n.entity = 'order' AND o.id = n.entity_id ORDER BY n.id",
	 8},
	{"SELECT b.id, b.at, b.channel, b.recipient, CASE WHEN o.id IS NULL THEN b.text ELSE REPLACE(b.text, o.code, '#' || o.id) END, b.status, "
	 "b.attempts, b.sent_at FROM outbox b LEFT JOIN notifications n ON n.id = b.id LEFT JOIN orders o ON n.entity = 'order' AND o.id = "
	 "n.entity_id ORDER BY b.id",
	 8},
	/* the records of the last months (meetings and decisions, issue 13; volunteer service, issue 12) */
	{"SELECT id, org_id, month, type, theme, content, created_by, created_at FROM meeting_plans ORDER BY id", 8},
	{"SELECT id, org_id, type, plan_id, theme, starts_at, ends_at, place, content, host_member_id, recorder_member_id, state, minutes, topics, "
	 "cancel_reason, youth, masses, held_at, created_by, created_at, updated_at FROM meetings ORDER BY id",
	 21},
	{"SELECT meeting_id, member_id, status, how, leave_reason, signed_at, decided_by FROM meeting_attendance ORDER BY meeting_id, member_id", 7},
	{"SELECT id, meeting_id, name FROM meeting_guests ORDER BY id", 3},
	{"SELECT id, meeting_id, org_id, matter, owner_member_id, deadline, state, result, done_at, done_date, overdue_notified_at, order_id, "
	 "created_by, created_at FROM decisions ORDER BY id",
	 14},
	{"SELECT id, decision_id, kind, member_id, name FROM decision_supervisors ORDER BY id", 5},
	{"SELECT id, decision_id, date, note, user_id, at FROM decision_progress ORDER BY id", 6},
	{"SELECT * FROM volunteer_teams ORDER BY id", 5},
	{"SELECT * FROM volunteer_team_members ORDER BY team_id, member_id", 3},
	{"SELECT * FROM volunteer_activities ORDER BY id", 16},
	{"SELECT * FROM volunteer_signups ORDER BY id", 16},
	{"SELECT id, org_id, month, created_by, created_at FROM theme_plans ORDER BY id", 5},
	{"SELECT plan_id, part, title, done_kind, done_id, done_title, done_at FROM theme_plan_parts ORDER BY plan_id, part", 7},
	{"SELECT id, org_id, month, notice, created_by, created_at FROM film_lists ORDER BY id", 6},
	{"SELECT id, list_id, title, kind, url, created_at FROM films ORDER BY id", 6},
	{"SELECT id, film_id, org_id, screen_date, place, attendees, created_by, created_at FROM film_screenings ORDER BY id", 8},
	{"SELECT id, film_id, member_id, org_id, body, shared, created_at FROM film_reflections ORDER BY id", 7},
	/* the micro-lessons and their orders (issue 14) */
	{"SELECT * FROM lessons ORDER BY id", 9},
	{"SELECT * FROM lesson_lecturers ORDER BY lesson_id, member_id", 2},
	{"SELECT * FROM lesson_orders ORDER BY id", 18},
	{"SELECT * FROM lesson_order_events ORDER BY id", 8},
	{"SELECT * FROM lesson_attendance ORDER BY order_id, member_id", 3},
	/* 四议两公开 (issue 13) */
	{"SELECT * FROM matters ORDER BY id", 9},
	{"SELECT * FROM matter_steps ORDER BY id", 14},
	/* 榜样选树 and the volunteer minimums (issue 15) */
	{"SELECT * FROM exemplar_campaigns ORDER BY id", 16},
	{"SELECT * FROM exemplar_campaign_depts ORDER BY 1, 2", 2},
	{"SELECT * FROM exemplar_criteria ORDER BY 1, 2, 3, 4", 4},
	/* the certificate number is random, as order codes are */
	{"SELECT id, campaign_id, name, unit, deeds, source, nominator_name, nominator_phone, nominator_user_id, state, merged_into, veto_reason, "
	 "awarded_at, revoked_at, revoke_reason, idempotency_key, ip, created_at, updated_at FROM exemplar_candidates ORDER BY id",
	 19},
	{"SELECT * FROM exemplar_scores ORDER BY 1, 2", 5},
	{"SELECT * FROM exemplar_score_items ORDER BY 1, 2, 3, 4", 4},
	{"SELECT * FROM exemplar_consults ORDER BY id", 9},
	{"SELECT * FROM volunteer_minimums ORDER BY id", 7},
	/* the dues of the same months (issue 18) */
	{"SELECT id, member_id, since, category, base_fen, flat_fen, user_id, created_at FROM dues_bases ORDER BY id", 8},
	{"SELECT id, receipt_no, year, seq, member_id, org_id, method, payer_member_id, payer_name, amount_fen, months, paid_on, remit_id, user_id, at "
	 "FROM dues_payments ORDER BY id",
	 15},
	{"SELECT id, member_id, org_id, month, category, base_fen, rate_id, due_fen, reduced_fen, paid_fen, status, payment_id, reduction_id, "
	 "created_at FROM dues_months ORDER BY id",
	 14},
	/* issue 11: the points a member's deliveries earn, and their totals */
	{"SELECT id, member_id, org_id, kind, code, rule_id, qty, points, reason, source_kind, source_id, corrects_id, at, year, month, day, "
	 "actor_user_id, actor, created_at FROM points_ledger ORDER BY id",
	 19},
	{"SELECT member_id, year, month, points, entries FROM points_totals ORDER BY member_id, year, month", 5},
	{"SELECT a.id, a.at, a.user_id, a.username, a.ip, a.action, a.entity, a.entity_id, a.org_id, "
	 "CASE WHEN a.entity = 'order' THEN REPLACE(a.summary, o.code, '#' || o.id) WHEN c.id IS NOT NULL AND c.cert_no IS NOT NULL "
	 "THEN REPLACE(a.summary, c.cert_no, '#') ELSE a.summary END "
	 "FROM audit a LEFT JOIN orders o ON o.id = a.entity_id LEFT JOIN exemplar_candidates c ON a.entity = 'exemplar_candidate' AND c.id = "
	 "a.entity_id ORDER BY a.id",
	 10},
};
#define NT (sizeof tables / sizeof tables[0])

/* FNV-1a over every value of the table, and its row count */
static uint64_t checksum(db *d, size_t t, int64_t *rows)
{
	uint64_t h = 1469598103934665603ULL;
	*rows = 0;
	db_stmt *s = db_query(d, tables[t].sql, "");
	while (db_next(s)) {
		for (int c = 0; c < tables[t].cols; c++) {
			const char *v = db_text(s, c);
			for (const char *p = v ? v : "\x01NULL"; *p; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ULL;
			h = (h ^ 0x1f) * 1099511628211ULL;
		}
		(*rows)++;
	}
	cr_assert_eq(db_done(s), DB_OK, "%s: %s", tables[t].sql, db_errmsg(d));
	return h;
}

static void same(db *a, db *b, const char *what)
{
	for (size_t t = 0; t < NT; t++) {
		int64_t ra, rb;
		uint64_t ha = checksum(a, t, &ra), hb = checksum(b, t, &rb);
		cr_assert_eq(ra, rb, "%s: %s: %lld rows against %lld", what, tables[t].sql, (long long)ra, (long long)rb);
		cr_assert_eq(ha, hb, "%s: %s: the rows differ", what, tables[t].sql);
	}
}

Test(demo_county, small_county_counts_ids_states)
{
	setenv("DANGJIAN_NOW", NOW, 1);
	char path[96];
	struct demo_opts o;
	small(&o, 2, 3000, 4000, 1);
	db *d = build("county", path, &o);
	/* the tree: a county, 2 towns with 纪委 and 机关党总支, 15 branches each, with their 党小组 */
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE type = 'county'", ""), 1);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE type = 'committee'", ""), 2);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE type = 'branch'", ""), 30);
	cr_assert_gt(db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE type = 'group'", ""), 100);
	int64_t members = db_int1(d, 0, "SELECT COUNT(*) FROM members", "");
	cr_assert(members > 2400 && members < 3600, "%lld members", (long long)members);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orders", ""), 4000);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM member_history", ""), members);
	/* one secretary account per branch, one committee account per town, a worker per grid */
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM users WHERE role = 'branch'", ""), 30);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM users WHERE role = 'committee'", ""), 2);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM grids WHERE worker_user_id IS NULL", ""), 0);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM member_duties WHERE duty = '书记'", ""), 30);
	cr_assert_gt(db_int1(d, 0, "SELECT COUNT(*) FROM member_duties WHERE duty = '党员中心户'", ""), 100);
	cr_assert_gt(db_int1(d, 0, "SELECT COUNT(*) FROM households WHERE central_member_id IS NOT NULL", ""), 1000);
	/* every ID number valid (GB 11643 check digit), unique, and agreeing with gender and birth date */
	int64_t n = 0;
	db_stmt *s = db_query(d, "SELECT id_number, gender, birth_date, id_tail FROM members", "");
	while (db_next(s)) {
		char birth[11];
		const char *gender = NULL, *why = idcard_check(db_str(s, 0), birth, &gender);
		cr_assert_null(why, "%s: %s", db_str(s, 0), why);
		cr_assert_str_eq(gender, db_str(s, 1), "%s", db_str(s, 0));
		cr_assert_str_eq(birth, db_str(s, 2), "%s", db_str(s, 0));
		cr_assert_str_eq(db_str(s, 0) + 14, db_str(s, 3));
		n++;
	}
	db_done(s);
	cr_assert_eq(n, members);
	/* every state, and every history starting with its creation and ending in the order's state */
	for (const char *const *st = order_states; *st; st++)
		cr_assert_gt(db_int1(d, 0, "SELECT COUNT(*) FROM orders WHERE state = ?", "t", *st), 0, "no order is %s", *st);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM order_events WHERE action = 'create'", ""), 4000);
	cr_assert_eq(db_int1(d, 0,
			     "SELECT COUNT(*) FROM orders o JOIN order_events e ON e.id = (SELECT MAX(id) FROM order_events WHERE order_id = o.id) "
			     "WHERE e.to_state <> o.state",
			     ""),
		     0);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM audit WHERE action LIKE 'order.%'", ""), db_int1(d, 0, "SELECT COUNT(*) FROM order_events", ""));
	/* no delivered order left unanswered past the auto-close time */
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orders WHERE state = 'delivered' AND delivered_at < ?", "I", (int64_t)atoll(NOW) - 7 * 86400), 0);
	char msg[256];
	cr_assert_eq(db_integrity(d, msg, sizeof msg), DB_OK, "%s", msg);
	unit_db_close(d, path);
}

Test(demo_county, same_seed_same_database)
{
	setenv("DANGJIAN_NOW", NOW, 1);
	char pa[96], pb[96], pc[96];
	struct demo_opts o;
	small(&o, 1, 800, 1500, 1);
	db *a = build("county-a", pa, &o);
	small(&o, 1, 800, 1500, 1);
	db *b = build("county-b", pb, &o);
	same(a, b, "two builds of seed 20260101");
	/* and another seed gives another county */
	small(&o, 1, 800, 1500, 1);
	o.seed = 7;
	db *c = build("county-c", pc, &o);
	int64_t ra, rc;
	cr_assert_neq(checksum(a, 3, &ra), checksum(c, 3, &rc));
	unit_db_close(a, pa);
	unit_db_close(b, pb);
	unit_db_close(c, pc);
}

Test(demo_county, batched_rows_equal_the_rules, .timeout = 600)
{
	setenv("DANGJIAN_NOW", NOW, 1);
	char pa[96], pb[96];
	struct demo_opts o;
	small(&o, 1, 300, 600, 1);
	db *bulk = build("county-bulk", pa, &o);
	small(&o, 1, 300, 600, 1);
	o.via_rules = true;
	db *rules = build("county-rules", pb, &o);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM order_events", ""), 2000);
	/* members with accounts deliver orders, and the rules pay them points (issue 11) */
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM points_ledger", ""), 50);
	/* and a year of meetings with attendance and leave, decisions in every state, volunteer service (issue 9 §1) */
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM meetings WHERE state = 'held'", ""), 100);
	for (const char *const *t = (const char *const[]){"assembly", "committee", "group", "lesson", "red730", NULL}; *t; t++)
		cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM meetings WHERE type = ? AND state = 'held'", "t", *t), 0, "no %s held", *t);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM meeting_attendance WHERE status = 'present'", ""), 1000);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM meeting_attendance WHERE status = 'absent'", ""), 0);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM meeting_attendance WHERE status = 'leave'", ""), 0);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM decisions WHERE state = 'done' AND done_date <= deadline", ""), 0);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM decisions WHERE state = 'done' AND done_date > deadline", ""), 0);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM decisions WHERE state = 'open'", ""), 0);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM volunteer_signups WHERE minutes > 0", ""), 50);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM points_ledger WHERE code = 'meeting_attended'", ""), 1000);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM points_ledger WHERE code = 'volunteer_hour'", ""), 50);
	cr_assert_eq(db_int1(rules, 0, "SELECT COUNT(*) FROM theme_plans", ""), 15 * 12);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM theme_plan_parts WHERE part = 'film' AND done_kind = 'screening'", ""), 100);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM film_reflections", ""), 20);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM points_ledger WHERE code = 'reflection'", ""), 20);
	/* micro-lessons: a catalogue, orders in every state, the lecturers' points */
	cr_assert_eq(db_int1(rules, 0, "SELECT COUNT(*) FROM lessons", ""), 12);
	for (const char *const *st = (const char *const[]){"requested", "scheduled", "delivered", "rated", "declined", "cancelled", NULL}; *st; st++)
		cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM lesson_orders WHERE state = ?", "t", *st), 0, "no lesson order %s", *st);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM lesson_attendance", ""), 100);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM points_ledger WHERE source_kind LIKE 'lesson%'", ""), 5);
	/* 四议两公开: done, open and stopped, every step recorded somewhere */
	for (const char *const *st = (const char *const[]){"done", "open", "stopped", NULL}; *st; st++)
		cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM matters WHERE state = ?", "t", *st), 0, "no matter %s", *st);
	cr_assert_eq(db_int1(rules, 0, "SELECT COUNT(DISTINCT step) FROM matter_steps", ""), 6);
	/* 两优一先: awarded, not shortlisted; the year's volunteer minimums */
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM exemplar_candidates WHERE state = 'awarded'", ""), 0);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM exemplar_candidates WHERE state = 'not_shortlisted'", ""), 0);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM exemplar_scores", ""), 10);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM volunteer_minimums", ""), 0);
	/* dues: every member a base, every month a row, paid, paid late and owing (issue 18) */
	int64_t payers = db_int1(rules, 0, "SELECT COUNT(*) FROM members WHERE status NOT IN ('stopped', 'transferred')", "");
	cr_assert_eq(db_int1(rules, 0, "SELECT COUNT(*) FROM dues_bases", ""), payers);
	cr_assert_eq(db_int1(rules, 0, "SELECT COUNT(*) FROM dues_months", ""), payers * 12);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM dues_bases WHERE category = 'farmer'", ""), 10);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM dues_bases WHERE category = 'retired'", ""), 10);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM dues_months WHERE status = 'paid'", ""), payers * 8);
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM dues_months WHERE status = 'owing'", ""), payers);
	/* some six months or more behind */
	cr_assert_gt(db_int1(rules, 0,
			     "SELECT COUNT(*) FROM (SELECT member_id FROM dues_months WHERE status = 'owing' GROUP BY member_id HAVING COUNT(*) >= 6) x",
			     ""),
		     5);
	/* a payment of a quarter late covers months of two quarters */
	cr_assert_gt(db_int1(rules, 0, "SELECT COUNT(*) FROM dues_payments WHERE months LIKE '%、%、%、%'", ""), 0);
	cr_assert_eq(
		db_int1(rules, 0,
			"SELECT COUNT(*) FROM dues_payments p WHERE amount_fen <> (SELECT SUM(paid_fen) FROM dues_months m WHERE m.payment_id = p.id)",
			""),
		0);
	same(bulk, rules, "batched rows against the domain functions");
	unit_db_close(bulk, pa);
	unit_db_close(rules, pb);
}

/* The schema's foreign keys on PostgreSQL, one line each with its definition. */
static char *pg_foreign_keys(db *d)
{
	size_t cap = 1 << 16, len = 0;
	char *out = calloc(cap, 1);
	cr_assert_not_null(out);
	db_stmt *s = db_query(
		d,
		"SELECT CAST(CAST(c.conrelid AS regclass) AS TEXT) || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint "
		"c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema() ORDER BY 1",
		"");
	while (db_next(s)) {
		const char *v = db_str(s, 0);
		size_t n = strlen(v);
		cr_assert_lt(len + n + 2, cap, "too many foreign keys for the buffer");
		memcpy(out + len, v, n);
		len += n;
		out[len++] = '\n';
	}
	cr_assert_eq(db_done(s), DB_OK, "%s", db_errmsg(d));
	return out;
}

/* DANGJIAN_UNIT_PG=URL of an empty PostgreSQL database (scripts/test.sh
 * makes one): the bulk load there, which drops the foreign keys for its
 * transaction and reads its batches as JSONB, writes the rows it writes on
 * SQLite, and leaves every foreign key as the migrations made it. */
Test(demo_county, postgresql_same_rows_and_foreign_keys, .timeout = 600)
{
	const char *url = getenv("DANGJIAN_UNIT_PG");
	if (!url || !*url)
		cr_skip_test("DANGJIAN_UNIT_PG is not set");
	setenv("DANGJIAN_NOW", NOW, 1);
	char err[256], pa[96];
	db *p = db_open(url, err, sizeof err);
	cr_assert_not_null(p, "%s", err);
	cr_assert(db_migrate(p, err, sizeof err) >= 0, "%s", err);
	cr_assert_eq(db_int1(p, 1, "SELECT COUNT(*) FROM orgs", ""), 0, "DANGJIAN_UNIT_PG must name an empty database");
	char *before = pg_foreign_keys(p);
	cr_assert_gt(strlen(before), 1000, "the schema has its foreign keys");
	struct demo_opts o;
	small(&o, 1, 300, 600, 1);
	FILE *out = fopen("/dev/null", "w");
	cr_assert_eq(demo_fill_scale(p, &o, out), 0);
	fclose(out);
	char *after = pg_foreign_keys(p);
	cr_assert_str_eq(after, before, "the foreign keys after the load");
	/* and they hold: a points entry of a member that does not exist is refused */
	cr_assert_neq(
		db_run(p,
		       "INSERT INTO points_ledger (member_id, org_id, kind, code, points, at, year, month, day, actor, created_at) SELECT 999999999, "
		       "id, 'award', 'x', 1, 0, 2026, 1, 0, '系统', 0 FROM orgs ORDER BY id LIMIT 1",
		       ""),
		DB_OK);
	small(&o, 1, 300, 600, 1);
	db *s = build("county-sqlite", pa, &o);
	cr_assert_gt(db_int1(p, 0, "SELECT COUNT(*) FROM meeting_attendance", ""), 1000);
	same(s, p, "PostgreSQL against SQLite");
	free(before);
	free(after);
	db_close(p);
	unit_db_close(s, pa);
}
