/* Unit tests: answers remembered per (question, database generation, second)
 * (issue 9, fourth session: order_stats_memo.c, answer_memo.c). A change that
 * writes an audit entry shows on the next request in the same second; a
 * change no generation marks (here: an order made overdue behind the
 * domain's back, as the clock would) shows in the next second, counted
 * exactly; another database (instance) never gets this one's answers. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "answer_memo.h"
#include "audit.h"
#include "db.h"
#include "demo.h"
#include "order_stats_memo.h"
#include "order_summary.h"
#include "orders.h"
#include "unit_db.h"
#include "unit_orders.h"

#define NOW "1767225600" /* 2026-01-01 08:00 in Shanghai */

static db *build(const char *name, char path[96]) { return unit_county(name, path, NOW, 100, 300, false); }

static int64_t overdue_by_scan(db *d, int64_t t0, int64_t t1, int64_t now)
{
	return db_int1(d, -1,
		       "SELECT COUNT(*) FROM orders WHERE state IN ('submitted', 'accepted', 'assigned', 'in_progress', 'escalated') "
		       "AND due_at < ? AND created_at >= ? AND created_at < ?",
		       "III", now, t0, t1);
}

Test(answer_memo, statistics_follow_the_generation_and_the_second, .timeout = 600)
{
	char path[96];
	db *d = build("memo-stats", path);
	order_stats_memo_clear();
	int64_t now = atoll(NOW), t0 = 0, t1 = now + 86400;
	struct order_stats a, b, c;
	order_stats_compute(d, "/", t0, t1, now, &a);
	cr_assert_gt(a.collected, 0);
	cr_assert_eq(a.overdue, overdue_by_scan(d, t0, t1, now));
	/* an open order not yet late made late behind the domain's back (no
	 * audit entry: what the clock does to a time limit) */
	int64_t id = db_int1(d, 0,
			     "SELECT id FROM orders WHERE state IN ('submitted', 'accepted', 'assigned', 'in_progress', 'escalated') AND due_at >= ? "
			     "AND created_at < ? ORDER BY id LIMIT 1",
			     "II", now + 5, t1);
	cr_assert_gt(id, 0, "an open order within its time limit");
	cr_assert_eq(db_run(d, "UPDATE orders SET due_at = ? WHERE id = ?", "II", now - 60, id), DB_OK);
	/* the same second, nothing audited: the answer of that second */
	order_stats_compute(d, "/", t0, t1, now, &b);
	cr_assert_eq(b.overdue, a.overdue, "remembered within the second");
	/* the next second: counted again, exactly */
	order_stats_compute(d, "/", t0, t1, now + 1, &b);
	cr_assert_eq(b.overdue, a.overdue + 1);
	cr_assert_eq(b.overdue, overdue_by_scan(d, t0, t1, now + 1));
	/* a change that writes an audit entry (every domain change does) shows
	 * in the same second */
	int64_t id2 = db_int1(d, 0,
			      "SELECT id FROM orders WHERE state IN ('submitted', 'accepted', 'assigned', 'in_progress', 'escalated') AND due_at >= ? "
			      "AND created_at < ? ORDER BY id LIMIT 1",
			      "II", now + 5, t1);
	cr_assert_gt(id2, 0);
	cr_assert_eq(db_run(d, "UPDATE orders SET due_at = ? WHERE id = ?", "II", now - 60, id2), DB_OK);
	struct actor cli;
	actor_cli(&cli);
	cr_assert_eq(audit_write(d, &cli, "order.action", "order", id2, 0, "test"), DB_OK);
	order_stats_compute(d, "/", t0, t1, now + 1, &c);
	cr_assert_eq(c.overdue, b.overdue + 1, "the audit entry's generation: counted again");
	cr_assert_eq(c.overdue, overdue_by_scan(d, t0, t1, now + 1));
	/* the dashboard's counts (no median) are another question: their own answer */
	struct order_stats k;
	order_stats_counts_kind(d, "/", NULL, t0, t1, now + 1, &k);
	cr_assert_eq(k.collected, c.collected);
	cr_assert_eq(k.closed, 0, "the counts carry no median, and did not take the full answer's");
	cr_assert_gt(c.closed, 0);
	/* a rebuild of the summaries (which writes no audit entry) moves the generation */
	int64_t moves = db_int1(d, -1, "SELECT moves FROM summary_generation WHERE id = 1", "");
	cr_assert_eq(db_run(d, "UPDATE orders SET state = 'withdrawn' WHERE id = ?", "I", id), DB_OK);
	cr_assert_eq(order_summary_rebuild(d), DB_OK);
	cr_assert_gt(db_int1(d, -1, "SELECT moves FROM summary_generation WHERE id = 1", ""), moves);
	order_stats_compute(d, "/", t0, t1, now + 1, &b);
	cr_assert_eq(b.withdrawn, c.withdrawn + 1);
	cr_assert_eq(b.overdue, c.overdue - 1);
	unit_db_close(d, path);
}

Test(answer_memo, answers_by_key_generation_and_second)
{
	answer_memo_clear();
	int64_t g[3] = {10, 0, 77}, g2[3] = {11, 0, 77}, other[3] = {10, 0, 78};
	buf out = {0};
	cr_assert(!answer_memo_get("k", g, 100, &out));
	answer_memo_put("k", g, 100, "abc", 3);
	cr_assert(answer_memo_get("k", g, 100, &out));
	cr_assert_str_eq(buf_str(&out), "abc");
	buf_reset(&out);
	cr_assert(!answer_memo_get("k", g2, 100, &out), "a newer generation");
	cr_assert(!answer_memo_get("k", other, 100, &out), "another database");
	cr_assert(!answer_memo_get("k", g, 101, &out), "the next second");
	cr_assert(!answer_memo_get("k2", g, 100, &out), "another question");
	/* a newer answer to the same question replaces the older */
	answer_memo_put("k", g2, 101, "def", 3);
	cr_assert(!answer_memo_get("k", g, 100, &out));
	cr_assert(answer_memo_get("k", g2, 101, &out));
	cr_assert_str_eq(buf_str(&out), "def");
	/* many questions: each still answered from its own slot or not at all, never another's */
	char key[32], body[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "q%d", i), snprintf(body, sizeof body, "a%d", i);
		answer_memo_put(key, g, 100, body, strlen(body));
	}
	int kept = 0;
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "q%d", i), snprintf(body, sizeof body, "a%d", i);
		buf_reset(&out);
		if (answer_memo_get(key, g, 100, &out)) {
			kept++;
			cr_assert_str_eq(buf_str(&out), body);
		}
	}
	cr_assert_gt(kept, 0);
	cr_assert_leq(kept, 128);
	/* a key too long is not remembered */
	char lng[ANSWER_MEMO_KEY + 10];
	memset(lng, 'x', sizeof lng - 1);
	lng[sizeof lng - 1] = 0;
	answer_memo_put(lng, g, 100, "z", 1);
	cr_assert(!answer_memo_get(lng, g, 100, &out));
	buf_free(&out);
	answer_memo_clear();
}
