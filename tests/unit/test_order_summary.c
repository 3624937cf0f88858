/* Unit tests: the statistics' summary (issue 9 §2). A small county built
 * through the domain functions (order_create, order_transition: thousands of
 * steps in every state, dispatches to other branches among them) leaves a
 * summary equal to a recount of the orders; the bulk generator's recount is
 * equal too; order_stats_compute from the summary gives exactly the figures
 * the former COUNTs over the orders gave, for a branch, a town and the county
 * over a month, a year and everything; a broken row is reported by
 * order_summary_check. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "demo.h"
#include "notify.h"
#include "order_summary.h"
#include "orders.h"
#include "orgs.h"
#include "actor.h"
#include "unit_db.h"
#include "unit_orders.h"

#define NOW "1767225600" /* 2026-01-01 08:00 in Shanghai */

static db *build(const char *name, char path[96], bool rules) { return unit_county(name, path, NOW, 300, 600, rules); }

/* The figures as order_stats_compute counted them before the summary: one
 * COUNT over the orders each (the reference). */
static void stats_by_scan(db *d, const char *prefix, int64_t t0, int64_t t1, int64_t now, struct order_stats *st)
{
	memset(st, 0, sizeof *st);
#define IN_PERIOD "FROM orders o JOIN orgs g ON g.id = o.org_id WHERE g.path LIKE ? || '%' AND o.created_at >= ? AND o.created_at < ? "
#define COUNT(cond) db_int1(d, 0, "SELECT COUNT(*) " IN_PERIOD cond, "tII", prefix, t0, t1)
	st->collected = COUNT("");
	st->accepted = COUNT("AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action IN ('accept', 'claim'))");
	st->rejected = COUNT("AND o.state = 'rejected'");
	st->escalated = COUNT("AND o.escalated = 1");
	st->dispatched = COUNT("AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action = 'dispatch')");
	st->resolved_by_branch = COUNT("AND o.state = 'closed' AND o.close_reason = 'resolved' AND o.escalated = 0");
	st->resolved_by_committee = COUNT("AND o.state = 'closed' AND o.close_reason = 'resolved' AND o.escalated = 1");
	st->withdrawn = COUNT("AND o.state = 'withdrawn'");
	st->open = COUNT("AND o.state NOT IN ('closed', 'rejected', 'withdrawn')");
	st->overdue = db_int1(d, 0, "SELECT COUNT(*) " IN_PERIOD "AND o.state NOT IN ('closed', 'rejected', 'withdrawn', 'delivered') AND o.due_at < ?",
			      "tIII", prefix, t0, t1, now);
	for (int i = 0; i < 4; i++)
		st->by_reason[i] = db_int1(d, 0, "SELECT COUNT(*) " IN_PERIOD "AND o.state = 'closed' AND o.close_reason = ?", "tIIt", prefix, t0, t1,
					   order_close_reasons[i]);
	st->rated = COUNT("AND o.rating IS NOT NULL");
	st->closed = COUNT("AND o.state = 'closed'");
	int64_t sum = db_int1(d, 0, "SELECT COALESCE(SUM(o.rating), 0) " IN_PERIOD, "tII", prefix, t0, t1);
	st->average_satisfaction = st->rated ? (double)sum / (double)st->rated : 0;
	/* the median time to close: every closing time, sorted */
	int64_t *dur = calloc((size_t)st->closed + 1, sizeof *dur);
	size_t n = 0;
	db_stmt *s = db_query(d, "SELECT o.closed_at - o.created_at " IN_PERIOD "AND o.state = 'closed' ORDER BY 1", "tII", prefix, t0, t1);
	while (db_next(s) && n < (size_t)st->closed)
		dur[n++] = db_int(s, 0);
	db_done(s);
	st->median_hours_to_close = n == 0 ? 0 : (n % 2 ? (double)dur[n / 2] : (double)(dur[n / 2 - 1] + dur[n / 2]) / 2.0) / 3600.0;
	free(dur);
#undef COUNT
#undef IN_PERIOD
}

static void same_figures(db *d)
{
	int64_t now = atoll(NOW);
	/* the county, its first town and a branch of it that has orders */
	char county[64], town[64], branch[64];
	snprintf(county, sizeof county, "%s", "/");
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE type = 'committee' ORDER BY id LIMIT 1", "");
	cr_assert(db_next(s));
	snprintf(town, sizeof town, "%s", db_str(s, 0));
	db_done(s);
	s = db_query(d, "SELECT g.path FROM orgs g JOIN orders o ON o.org_id = g.id GROUP BY g.path ORDER BY COUNT(*) DESC LIMIT 1", "");
	cr_assert(db_next(s));
	snprintf(branch, sizeof branch, "%s", db_str(s, 0));
	db_done(s);
	int64_t month0 = 0, year0 = 0, odd0 = 0, odd1 = 0, in0 = 0;
	cr_assert(day_start("2025-11-01", &month0));
	cr_assert(day_start("2025-01-01", &year0));
	/* and periods that are not whole months: days, months, days; days within one month */
	cr_assert(day_start("2025-03-17", &odd0));
	cr_assert(day_start("2025-10-09", &odd1));
	cr_assert(day_start("2025-06-03", &in0));
	const int64_t periods[][2] = {
		{month0, month0 + 30 * 86400}, {year0, year0 + 365 * 86400}, {0, now + 86400}, {odd0, odd1}, {in0, in0 + 19 * 86400}};
	char root[64];
	db_stmt *r = db_query(d, "SELECT path FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1", "");
	cr_assert(db_next(r));
	snprintf(root, sizeof root, "%s", db_str(r, 0));
	db_done(r);
	const char *const all_prefixes[] = {county, town, branch, root};
	for (int p = 0; p < 4; p++)
		for (int t = 0; t < 5; t++) {
			struct order_stats a, b;
			order_stats_compute(d, all_prefixes[p], periods[t][0], periods[t][1], now, &a);
			stats_by_scan(d, all_prefixes[p], periods[t][0], periods[t][1], now, &b);
			const char *w = all_prefixes[p];
			if (p != 2 || t != 4) /* a branch may have none in 19 days */
				cr_assert_gt(b.collected, 0, "%s period %d: no orders to compare", w, t);
			cr_assert_eq(a.collected, b.collected, "%s %d collected", w, t);
			cr_assert_eq(a.accepted, b.accepted, "%s %d accepted", w, t);
			cr_assert_eq(a.rejected, b.rejected, "%s %d rejected", w, t);
			cr_assert_eq(a.escalated, b.escalated, "%s %d escalated", w, t);
			cr_assert_eq(a.dispatched, b.dispatched, "%s %d dispatched", w, t);
			cr_assert_eq(a.resolved_by_branch, b.resolved_by_branch, "%s %d by branch", w, t);
			cr_assert_eq(a.resolved_by_committee, b.resolved_by_committee, "%s %d by committee", w, t);
			cr_assert_eq(a.withdrawn, b.withdrawn, "%s %d withdrawn", w, t);
			cr_assert_eq(a.open, b.open, "%s %d open", w, t);
			cr_assert_eq(a.overdue, b.overdue, "%s %d overdue", w, t);
			cr_assert_eq(a.rated, b.rated, "%s %d rated", w, t);
			cr_assert_eq(a.closed, b.closed, "%s %d closed", w, t);
			for (int i = 0; i < 4; i++)
				cr_assert_eq(a.by_reason[i], b.by_reason[i], "%s %d reason %d", w, t, i);
			cr_assert_float_eq(a.average_satisfaction, b.average_satisfaction, 1e-9, "%s %d satisfaction", w, t);
			/* the histogram's median is the exact median, not an estimate */
			cr_assert(a.median_hours_to_close == b.median_hours_to_close, "%s %d median %.6f, recounted %.6f", w, t, a.median_hours_to_close,
				  b.median_hours_to_close);
		}
}

static int check_quiet(db *d, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	int n = order_summary_check(d, f);
	fclose(f);
	return n;
}

Test(order_summary, the_rules_keep_it_step_by_step, .timeout = 600)
{
	char path[96], out[8192];
	db *d = build("summary-rules", path, true);
	/* dispatches to another branch are among the steps: the figures moved */
	cr_assert_gt(db_int1(d, 0, "SELECT COUNT(*) FROM order_events WHERE action = 'dispatch'", ""), 0);
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);
	same_figures(d);
	/* a broken row is reported, stored against recounted */
	cr_assert_eq(db_run(d,
			    "UPDATE order_summary SET withdrawn = withdrawn + 1 WHERE (org_id, day, kind) IN "
			    "(SELECT org_id, day, kind FROM order_summary ORDER BY collected DESC LIMIT 1)",
			    ""),
		     DB_OK);
	cr_assert_eq(check_quiet(d, out, sizeof out), 1, "%s", out);
	cr_assert(strstr(out, ": stored ") && strstr(out, ": recounted "), "%s", out);
	/* and a recount puts it right */
	cr_assert_eq(order_summary_rebuild(d), DB_OK);
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);
	/* a broken subtree rollup (a town's month), a broken hour of the
	 * histogram: each reported as one row */
	cr_assert_eq(db_run(d,
			    "UPDATE order_rollup SET closed = closed + 1 WHERE (org_id, grain, start, kind) IN "
			    "(SELECT org_id, grain, start, kind FROM order_rollup WHERE grain = 'm' ORDER BY collected DESC LIMIT 1)",
			    ""),
		     DB_OK);
	cr_assert_eq(check_quiet(d, out, sizeof out), 1, "%s", out);
	cr_assert(strstr(out, "order_rollup org "), "%s", out);
	cr_assert_eq(order_summary_rebuild(d), DB_OK);
	cr_assert_eq(db_run(d,
			    "UPDATE order_close_hist SET n = n - 1 WHERE (org_id, grain, start, hours) IN "
			    "(SELECT org_id, grain, start, hours FROM order_close_hist WHERE grain = 'd' ORDER BY n DESC LIMIT 1)",
			    ""),
		     DB_OK);
	cr_assert_eq(check_quiet(d, out, sizeof out), 1, "%s", out);
	cr_assert(strstr(out, "order_close_hist org "), "%s", out);
	cr_assert_eq(order_summary_rebuild(d), DB_OK);
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);
	/* a branch moved to another town takes its figures along: every subtree
	 * it left and joined is still equal to a recount, and so are the figures */
	struct actor cli;
	actor_cli(&cli);
	int64_t county_id = db_int1(d, 0, "SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1", "");
	int64_t town2 = orgs_create(d, county_id, "T-MOVE", "中共新河镇委员会", "committee", "town");
	cr_assert_gt(town2, 0);
	int64_t busy = db_int1(d, 0, "SELECT org_id FROM orders GROUP BY org_id ORDER BY COUNT(*) DESC LIMIT 1", "");
	struct field_errors e = {0};
	cr_assert_eq(org_move(d, &cli, busy, town2, &e), DJ_OK, "%s", e.n ? e.e[0].msg : "");
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);
	same_figures(d);
	unit_db_close(d, path);
}

Test(order_summary, the_bulk_generator_counts_it, .timeout = 600)
{
	char path[96], out[8192];
	db *d = build("summary-bulk", path, false);
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);
	same_figures(d);
	cr_assert_eq(order_summary_day(atoll(NOW)), atoll(NOW) - 8 * 3600, "the day starts at midnight in Shanghai");
	unit_db_close(d, path);
}

/* The median is remembered per (database, subtree, period) while the
 * period's closed count and summary_generation are unchanged (migration
 * 040): closing times changed behind the summaries' back (the counts equal)
 * still give the remembered median — it is used — and an org moved or a
 * rebuild (each bumps the generation) makes it counted again, exactly. */
Test(order_summary, the_remembered_median_goes_with_moves_and_rebuilds, .timeout = 600)
{
	char path[96];
	db *d = build("summary-memo", path, false);
	int64_t now = atoll(NOW);
	const char *const prefixes[] = {"/", NULL};
	char root[64];
	db_stmt *r = db_query(d, "SELECT path FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1", "");
	cr_assert(db_next(r));
	snprintf(root, sizeof root, "%s", db_str(r, 0));
	db_done(r);
	for (int p = 0; p < 2; p++) {
		const char *w = prefixes[p] ? prefixes[p] : root;
		struct order_stats a, b, scan;
		order_stats_compute(d, w, 0, now + 86400, now, &a);
		stats_by_scan(d, w, 0, now + 86400, now, &scan);
		cr_assert_gt(scan.closed, 10);
		cr_assert(a.median_hours_to_close == scan.median_hours_to_close, "%s median %.6f, scan %.6f", w, a.median_hours_to_close,
			  scan.median_hours_to_close);
		/* every other closed order takes 100 hours longer: the counts are the same */
		cr_assert_eq(db_run(d, "UPDATE orders SET closed_at = closed_at + 360000 WHERE state = 'closed' AND id % 2 = 0", ""), DB_OK);
		stats_by_scan(d, w, 0, now + 86400, now, &scan);
		order_stats_compute(d, w, 0, now + 86400, now, &b);
		cr_assert(b.median_hours_to_close == a.median_hours_to_close, "%s: remembered %.6f, got %.6f", w, a.median_hours_to_close,
			  b.median_hours_to_close);
		cr_assert(scan.median_hours_to_close != a.median_hours_to_close, "%s: the change moved the median", w);
		if (p == 0) {
			/* a branch moved to a new town: counted again */
			struct actor cli;
			actor_cli(&cli);
			int64_t county_id = db_int1(d, 0, "SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1", "");
			int64_t town2 = orgs_create(d, county_id, "T-MEMO", "中共新河镇委员会", "committee", "town");
			cr_assert_gt(town2, 0);
			int64_t busy = db_int1(d, 0, "SELECT org_id FROM orders GROUP BY org_id ORDER BY COUNT(*) DESC LIMIT 1", "");
			struct field_errors e = {0};
			cr_assert_eq(org_move(d, &cli, busy, town2, &e), DJ_OK, "%s", e.n ? e.e[0].msg : "");
		} else
			cr_assert_eq(order_summary_rebuild(d), DB_OK);
		order_stats_compute(d, w, 0, now + 86400, now, &b);
		cr_assert(b.median_hours_to_close == scan.median_hours_to_close, "%s: after the %s %.6f, scan %.6f", w, p ? "rebuild" : "move",
			  b.median_hours_to_close, scan.median_hours_to_close);
		cr_assert_eq(order_summary_rebuild(d), DB_OK);
	}
	/* without its row nothing is remembered, and `dangjian check` says so */
	char out[8192];
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);
	cr_assert_eq(db_run(d, "DELETE FROM summary_generation", ""), DB_OK);
	cr_assert_eq(check_quiet(d, out, sizeof out), 1, "%s", out);
	cr_assert(strstr(out, "summary_generation"), "%s", out);
	struct order_stats a, scan;
	order_stats_compute(d, "/", 0, now + 86400, now, &a);
	stats_by_scan(d, "/", 0, now + 86400, now, &scan);
	cr_assert(a.median_hours_to_close == scan.median_hours_to_close);
	unit_db_close(d, path);
}

/* Issue 9 §4: the minute's overdue notices come from the index of open orders
 * by deadline, in batches of 32, each committed: a backlog of over a hundred
 * overdue orders is notified completely in one run, and the next run finds
 * nothing left. */
Test(order_summary, overdue_notices_in_committed_batches, .timeout = 600)
{
	char path[96];
	db *d = build("summary-overdue", path, false);
	int64_t now = atoll(NOW);
	cr_assert_eq(db_run(d,
			    "UPDATE orders SET state = 'accepted', due_at = ?, overdue_notified = 0 WHERE id IN "
			    "(SELECT id FROM orders ORDER BY id LIMIT 100)",
			    "I", now - 3600),
		     DB_OK);
	int64_t late = db_int1(d, 0,
			       "SELECT COUNT(*) FROM orders WHERE state IN ('submitted', 'accepted', 'assigned', 'in_progress', 'escalated') "
			       "AND due_at < ? AND overdue_notified = 0",
			       "I", now);
	cr_assert_geq(late, 100);
	int64_t notes = db_int1(d, 0, "SELECT COUNT(*) FROM notifications WHERE kind = 'overdue'", "");
	cr_assert_eq(db_begin(d, true), DB_OK);
	int n = notify_overdue(d, now);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(n, late);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM orders WHERE overdue_notified = 0 AND state = 'accepted' AND due_at < ?", "I", now), 0);
	cr_assert_geq(db_int1(d, 0, "SELECT COUNT(*) FROM notifications WHERE kind = 'overdue'", "") - notes, late);
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(notify_overdue(d, now), 0);
	cr_assert_eq(db_commit(d), DB_OK);
	unit_db_close(d, path);
}

/* The minute's auto-close (orders_tick) works through a backlog in batches of
 * 32 transitions, each committed, inside the task's BEGIN IMMEDIATE: 100
 * delivered orders nobody answered are all closed in one run, the summary,
 * the rollups and the histogram still equal a recount. */
Test(order_summary, auto_close_in_committed_batches, .timeout = 600)
{
	char path[96], out[8192];
	db *d = build("summary-autoclose", path, false);
	int64_t now = atoll(NOW);
	/* 100 orders delivered ten days ago and not answered (set directly,
	 * the summary recounted to match) */
	cr_assert_eq(db_run(d,
			    "UPDATE orders SET state = 'delivered', delivered_at = ?, close_reason = NULL, rating = NULL "
			    "WHERE id IN (SELECT id FROM orders ORDER BY id LIMIT 100)",
			    "I", now - 10 * 86400),
		     DB_OK);
	cr_assert_eq(order_summary_rebuild(d), DB_OK);
	cr_assert_eq(db_begin(d, true), DB_OK);
	int closed = orders_tick(d, now);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_geq(closed, 100);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM orders WHERE state = 'delivered' AND delivered_at < ?", "I", now - 7 * 86400), 0);
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);
	same_figures(d);
	unit_db_close(d, path);
}

/* One order placed by a resident in the org with this code, in the open
 * transaction. */
static void place_in(db *d, const char *org_code, int i)
{
	char content[64], code[24];
	snprintf(content, sizeof content, "路灯坏了（%d）", i);
	struct order_new o;
	unit_order_new(&o, "need", org_code, content);
	unit_place(d, "192.0.2.9", &o, code);
}

static int64_t collected(db *d, int64_t org_id)
{
	return db_int1(d, -1, "SELECT COALESCE(SUM(collected), 0) FROM order_summary WHERE org_id = ?", "I", org_id);
}

static int64_t collected_above(db *d)
{
	return db_int1(d, -1,
		       "SELECT COALESCE(SUM(collected), 0) FROM order_rollup r JOIN orgs g ON g.id = r.org_id WHERE g.parent_id IS NULL AND r.grain = 'm'",
		       "");
}

/* The SQLite writer's batch (server.c, order_summary_defer): the increments
 * of the requests whose savepoint was released are written once, at the end
 * of the batch, in its transaction; those of a request rolled back to are
 * gone with its order; a batch the engine lost leaves nothing behind. */
Test(order_summary, a_writer_batch_writes_them_once, .timeout = 600)
{
	char path[96], out[8192], code[64];
	db *d = build("summary-batch", path, false);
	db_stmt *s = db_query(d, "SELECT g.id, g.code FROM orders o JOIN orgs g ON g.id = o.org_id ORDER BY o.id LIMIT 1", "");
	cr_assert(db_next(s));
	int64_t org = db_int(s, 0);
	snprintf(code, sizeof code, "%s", db_str(s, 1));
	db_done(s);
	int64_t before = collected(d, org), above = collected_above(d);
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);

	order_summary_defer(true);
	cr_assert_eq(db_begin(d, true), DB_OK);
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(db_savepoint(d), DB_OK);
		place_in(d, code, i);
		if (i == 2) { /* this request failed: its order and its figures go */
			db_rollback_to(d);
			order_summary_defer_drop();
		} else {
			cr_assert_eq(db_release(d), DB_OK);
			order_summary_defer_keep();
		}
	}
	/* nothing written before the end of the batch: the summary lags the
	 * four orders (the recount differs) */
	cr_assert_eq(collected(d, org), before);
	cr_assert_gt(check_quiet(d, out, sizeof out), 0, "%s", out);
	cr_assert_eq(order_summary_defer_flush(d), DB_OK);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(collected(d, org), before + 4);
	cr_assert_eq(collected_above(d), above + 4);
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);

	/* a batch rolled back as a whole: forgotten, never written later */
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(db_savepoint(d), DB_OK);
	place_in(d, code, 9);
	cr_assert_eq(db_release(d), DB_OK);
	order_summary_defer_keep();
	order_summary_defer_clear();
	db_rollback(d);
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(order_summary_defer_flush(d), DB_OK);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(collected(d, org), before + 4);
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);

	/* outside the writer every order writes its own, at once */
	order_summary_defer(false);
	cr_assert_eq(db_begin(d, true), DB_OK);
	place_in(d, code, 10);
	cr_assert_eq(collected(d, org), before + 5);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(check_quiet(d, out, sizeof out), 0, "%s", out);
	unit_db_close(d, path);
}
