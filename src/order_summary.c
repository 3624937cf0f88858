/* order_summary — see order_summary.h. The figures and their definitions are
 * those order_stats_compute printed from the orders before (issue 4 §9); the
 * contribution of one order is written twice on purpose: in C
 * (order_summary_figures, from the order as order_transition read it, so a
 * step costs one upsert and no second read of the order) and in SQL over
 * `orders o` (the recount of order_summary_rebuild and order_summary_check,
 * and the backfill of migration 018): `dangjian check` compares the two. */
#include "order_summary.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "orders.h"

#define B(c) "CASE WHEN " c " THEN 1 ELSE 0 END"
#define S_DAY "o.created_at - (o.created_at + 28800) % 86400"
#define E_COLLECTED "1"
#define E_ACCEPTED B("EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action IN ('accept', 'claim'))")
#define E_REJECTED B("o.state = 'rejected'")
#define E_ESCALATED B("o.escalated = 1")
#define E_DISPATCHED B("EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action = 'dispatch')")
#define E_BY_BRANCH B("o.state = 'closed' AND o.close_reason = 'resolved' AND o.escalated = 0")
#define E_BY_COMMITTEE B("o.state = 'closed' AND o.close_reason = 'resolved' AND o.escalated = 1")
#define E_WITHDRAWN B("o.state = 'withdrawn'")
#define E_OPEN B("o.state NOT IN ('closed', 'rejected', 'withdrawn')")
#define E_CLOSED B("o.state = 'closed'")
#define E_R_RESOLVED B("o.state = 'closed' AND o.close_reason = 'resolved'")
#define E_R_UNRESOLVABLE B("o.state = 'closed' AND o.close_reason = 'unresolvable'")
#define E_R_NOT_OURS B("o.state = 'closed' AND o.close_reason = 'not_ours'")
#define E_R_DUPLICATE B("o.state = 'closed' AND o.close_reason = 'duplicate'")
#define E_RATED B("o.rating IS NOT NULL")
#define E_RATING_SUM "COALESCE(o.rating, 0)"

#define S_COLS                                                                                                                              \
	"collected, accepted, rejected, escalated, dispatched, resolved_by_branch, resolved_by_committee, withdrawn, open_orders, closed, " \
	"reason_resolved, reason_unresolvable, reason_not_ours, reason_duplicate, rated, rating_sum"
#define S_NCOLS 16
#define SUM(e) "CAST(SUM(" e ") AS BIGINT)"
#define S_SUMS                                                                                                                                                                \
	SUM(E_COLLECTED)                                                                                                                                                      \
	", " SUM(E_ACCEPTED) ", " SUM(E_REJECTED) ", " SUM(E_ESCALATED) ", " SUM(E_DISPATCHED) ", " SUM(E_BY_BRANCH) ", " SUM(E_BY_COMMITTEE) ", " SUM(E_WITHDRAWN) ", " SUM( \
		E_OPEN) ", " SUM(E_CLOSED) ", " SUM(E_R_RESOLVED) ", " SUM(E_R_UNRESOLVABLE) ", " SUM(E_R_NOT_OURS) ", " SUM(E_R_DUPLICATE) ", " SUM(E_RATED) ", " SUM(E_RATING_SUM)
/* every figure added to the row that is there (an upsert's DO UPDATE) */
#define S_ADD(t)                                                                                  \
	"collected = " #t ".collected + excluded.collected"                                       \
	", accepted = " #t ".accepted + excluded.accepted"                                        \
	", rejected = " #t ".rejected + excluded.rejected"                                        \
	", escalated = " #t ".escalated + excluded.escalated"                                     \
	", dispatched = " #t ".dispatched + excluded.dispatched"                                  \
	", resolved_by_branch = " #t ".resolved_by_branch + excluded.resolved_by_branch"          \
	", resolved_by_committee = " #t ".resolved_by_committee + excluded.resolved_by_committee" \
	", withdrawn = " #t ".withdrawn + excluded.withdrawn"                                     \
	", open_orders = " #t ".open_orders + excluded.open_orders"                               \
	", closed = " #t ".closed + excluded.closed"                                              \
	", reason_resolved = " #t ".reason_resolved + excluded.reason_resolved"                   \
	", reason_unresolvable = " #t ".reason_unresolvable + excluded.reason_unresolvable"       \
	", reason_not_ours = " #t ".reason_not_ours + excluded.reason_not_ours"                   \
	", reason_duplicate = " #t ".reason_duplicate + excluded.reason_duplicate"                \
	", rated = " #t ".rated + excluded.rated"                                                 \
	", rating_sum = " #t ".rating_sum + excluded.rating_sum"
#define S_UPSERT_VALUES                                                                                                               \
	"INSERT INTO order_summary (org_id, day, kind, " S_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " \
	"ON CONFLICT (org_id, day, kind) DO UPDATE SET " S_ADD(order_summary)
/* The org and its ancestors, by parent_id (a few primary-key reads): the
 * subtrees an order of the org counts in. */
#define S_ANC                                                                                 \
	"WITH RECURSIVE anc (id, parent_id) AS (SELECT id, parent_id FROM orgs WHERE id = ? " \
	"UNION ALL SELECT o.id, o.parent_id FROM orgs o JOIN anc ON o.id = anc.parent_id) "
/* the order's day and month */
#define S_GRAINS "(SELECT 'd' AS grain, CAST(? AS BIGINT) AS start UNION ALL SELECT 'm', CAST(? AS BIGINT)) g"
#define B16                                                                                                                                                        \
	"CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), " \
	"CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)"
/* The org and its ancestors as ids, bound 8 at a time (0: none): the
 * subtrees an order of the org counts in. */
#define S_IN8 "a.id IN (?, ?, ?, ?, ?, ?, ?, ?)"
#define ANC_CHUNK 8
/* one statement: the same figures into the day's and the month's row of
 * every subtree the org is in (WHERE: SQLite's upsert after a SELECT needs
 * one). An IN list of primary keys: a WITH RECURSIVE over parent_id here
 * cost ~200 us an order on the single writer, this ~35 us. */
#define S_ROLLUP_ADD                                                                                                             \
	"INSERT INTO order_rollup (org_id, grain, start, kind, " S_COLS ") SELECT a.id, g.grain, g.start, CAST(? AS TEXT), " B16 \
	" FROM orgs a, " S_GRAINS " WHERE " S_IN8 " ON CONFLICT (org_id, grain, start, kind) DO UPDATE SET " S_ADD(order_rollup)
#define S_HIST_ADD                                                                                                         \
	"INSERT INTO order_close_hist (org_id, grain, start, hours, n) SELECT a.id, g.grain, g.start, CAST(? AS BIGINT), " \
	"CAST(? AS BIGINT) FROM orgs a, " S_GRAINS " WHERE " S_IN8                                                         \
	" ON CONFLICT (org_id, grain, start, hours) DO UPDATE SET n = order_close_hist.n + excluded.n"
#define S_SUMS_AS                                                                                                                                                                                                                                                                                                             \
	SUM(E_COLLECTED)                                                                                                                                                                                                                                                                                                      \
	" AS collected"                                                                                                                                                                                                                                                                                                       \
	", " SUM(                                                                                                                                                                                                                                                                                                             \
		E_ACCEPTED) " AS accepted"                                                                                                                                                                                                                                                                                    \
			    ", " SUM(                                                                                                                                                                                                                                                                                         \
				    E_REJECTED) " AS rejected"                                                                                                                                                                                                                                                                \
						", " SUM(                                                                                                                                                                                                                                                                     \
							E_ESCALATED) " AS escalated"                                                                                                                                                                                                                                          \
								     ", " SUM(                                                                                                                                                                                                                                                \
									     E_DISPATCHED) " AS dispatched"                                                                                                                                                                                                                   \
											   ", " SUM(                                                                                                                                                                                                                          \
												   E_BY_BRANCH) " AS resolved_by_branch"                                                                                                                                                                                      \
														", " SUM(                                                                                                                                                                                                     \
															E_BY_COMMITTEE) " AS resolved_by_committee"                                                                                                                                                           \
																	", " SUM(                                                                                                                                                                             \
																		E_WITHDRAWN) " AS withdrawn"                                                                                                                                                  \
																			     ", " SUM(                                                                                                                                                        \
																				     E_OPEN) " AS open_orders"                                                                                                                                \
																					     ", " SUM(                                                                                                                                        \
																						     E_CLOSED) " AS closed"                                                                                                                   \
																							       ", " SUM(E_R_RESOLVED) " AS reason_resolved"                                                                                   \
																										      ", " SUM(E_R_UNRESOLVABLE) " AS reason_unresolvable"                                                    \
																														 ", " SUM(E_R_NOT_OURS) " AS reason_not_ours"                                 \
																																	", " SUM(E_R_DUPLICATE) " AS reason_duplicate"        \
																																				", " SUM(E_RATED) " AS rated" \
																																						  ", " SUM(   \
																																							  E_RATING_SUM) " AS rating_sum"
/* the recount: one row per (org, day, kind) that has orders */
#define S_RECOUNT "SELECT o.org_id, " S_DAY ", o.kind, " S_SUMS " FROM orders o GROUP BY o.org_id, " S_DAY ", o.kind"
/* the summary's rows that count anything (a dispatch can leave a row of zeros behind) */
#define S_STORED "SELECT org_id, day, kind, " S_COLS " FROM order_summary WHERE collected <> 0 OR " S_NONZERO
#define S_NONZERO                                                                                                                       \
	"accepted <> 0 OR rejected <> 0 OR escalated <> 0 OR dispatched <> 0 OR resolved_by_branch <> 0 OR resolved_by_committee <> 0 " \
	"OR withdrawn <> 0 OR open_orders <> 0 OR closed <> 0 OR reason_resolved <> 0 OR reason_unresolvable <> 0 "                     \
	"OR reason_not_ours <> 0 OR reason_duplicate <> 0 OR rated <> 0 OR rating_sum <> 0"

void order_path_range(const char *prefix, char lo[256], char hi[256])
{
	snprintf(lo, 256, "%s", prefix);
	snprintf(hi, 256, "%s", prefix);
	size_t n = strlen(hi);
	if (n)
		hi[n - 1]++;
}

int64_t order_summary_day(int64_t t) { return t - (t + 28800) % 86400; }

int64_t order_summary_month(int64_t t)
{
	time_t l = (time_t)(t + 28800);
	struct tm tm;
	gmtime_r(&l, &tm);
	tm.tm_mday = 1, tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	return (int64_t)timegm(&tm) - 28800;
}

int64_t order_summary_next_month(int64_t month) { return order_summary_month(month + 32 * 86400); }

void order_summary_figures(const char *state, bool escalated, const char *close_reason, int rating, const char *level, bool accepted,
			   int64_t v[ORDER_SUMMARY_FIGURES])
{
	bool closed = !strcmp(state, "closed");
	const char *r = closed && close_reason ? close_reason : "";
	v[0] = 1;                                    /* collected */
	v[1] = accepted;                             /* accepted */
	v[2] = !strcmp(state, "rejected");           /* rejected */
	v[3] = escalated;                            /* escalated */
	v[4] = !strcmp(level, "committee");          /* dispatched */
	v[5] = !strcmp(r, "resolved") && !escalated; /* resolved_by_branch */
	v[6] = !strcmp(r, "resolved") && escalated;  /* resolved_by_committee */
	v[7] = !strcmp(state, "withdrawn");          /* withdrawn */
	v[8] = !closed && !v[2] && !v[7];            /* open_orders */
	v[9] = closed;                               /* closed */
	v[10] = !strcmp(r, "resolved");              /* reason_resolved */
	v[11] = !strcmp(r, "unresolvable");          /* reason_unresolvable */
	v[12] = !strcmp(r, "not_ours");              /* reason_not_ours */
	v[13] = !strcmp(r, "duplicate");             /* reason_duplicate */
	v[14] = rating != 0;                         /* rated (1 to 5 stars) */
	v[15] = rating;                              /* rating_sum */
}

/* The org and its ancestors, from its path ("/1/4/9/": the ids from the
 * root, kept by org_move with parent_id), into ids[], padded with 0 to a
 * whole chunk of ANC_CHUNK. Returns how many, or -1. */
static int org_chain(db *d, int64_t org_id, int64_t ids[64])
{
	int n = 0;
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", org_id);
	if (db_next(s))
		for (const char *p = db_str(s, 0); *p && n < 56; p++)
			if (*p >= '0' && *p <= '9') {
				ids[n++] = strtoll(p, NULL, 10);
				while (p[1] >= '0' && p[1] <= '9')
					p++;
			}
	if (db_done(s) != DB_OK || n == 0)
		return -1;
	for (int i = n; i < 64; i++)
		ids[i] = 0;
	return n;
}

/* The increments deferred by the SQLite writer (order_summary_defer): one
 * entry per order_summary_add, merged per (org, day, kind) when the batch
 * flushes. kept: the entries of the batch's requests whose savepoint was
 * released; those after it belong to the request running now. */
struct deferred {
	int64_t org_id, day;
	char kind[32];
	int64_t v[ORDER_SUMMARY_FIGURES];
};
static _Thread_local struct {
	bool on;
	struct deferred *rows;
	size_t n, kept, cap;
} tl_defer;

static int summary_add_now(db *d, int64_t org_id, int64_t placed, const char *kind, const int64_t v[ORDER_SUMMARY_FIGURES]);

void order_summary_defer(bool on)
{
	tl_defer.on = on;
	tl_defer.n = tl_defer.kept = 0;
	if (!on) { /* the thread's memory goes (the writer ends) */
		free(tl_defer.rows);
		tl_defer.rows = NULL, tl_defer.cap = 0;
	}
}

void order_summary_defer_keep(void) { tl_defer.kept = tl_defer.n; }

void order_summary_defer_drop(void) { tl_defer.n = tl_defer.kept; }

void order_summary_defer_clear(void) { tl_defer.n = tl_defer.kept = 0; }

static int deferred_cmp(const void *a, const void *b)
{
	const struct deferred *x = a, *y = b;
	if (x->org_id != y->org_id)
		return x->org_id < y->org_id ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return strcmp(x->kind, y->kind);
}

int order_summary_defer_flush(db *d)
{
	/* only the released requests' entries: the caller flushes between requests */
	size_t n = tl_defer.kept;
	tl_defer.n = tl_defer.kept = 0;
	if (n > 1) /* (rows is NULL before the first) */
		qsort(tl_defer.rows, n, sizeof *tl_defer.rows, deferred_cmp);
	int rc = DB_OK;
	for (size_t i = 0; rc == DB_OK && i < n;) {
		struct deferred sum = tl_defer.rows[i];
		size_t j = i + 1;
		for (; j < n && !deferred_cmp(&sum, &tl_defer.rows[j]); j++)
			for (int f = 0; f < ORDER_SUMMARY_FIGURES; f++)
				sum.v[f] += tl_defer.rows[j].v[f];
		bool moved = false;
		for (int f = 0; f < ORDER_SUMMARY_FIGURES; f++)
			moved |= sum.v[f] != 0;
		/* a key whose figures cancel out changes no row that counts
		 * (the check and the statistics skip rows of zeros) */
		if (moved)
			rc = summary_add_now(d, sum.org_id, sum.day, sum.kind, sum.v);
		i = j;
	}
	return rc;
}

int order_summary_add(db *d, int64_t org_id, int64_t placed, const char *kind, const int64_t v[ORDER_SUMMARY_FIGURES])
{
	if (tl_defer.on && strlen(kind) < sizeof tl_defer.rows->kind) {
		if (tl_defer.n == tl_defer.cap) {
			size_t cap = tl_defer.cap ? 2 * tl_defer.cap : 256;
			struct deferred *rows = realloc(tl_defer.rows, cap * sizeof *rows);
			if (!rows)
				return summary_add_now(d, org_id, placed, kind, v); /* no memory: as without the writer */
			tl_defer.rows = rows, tl_defer.cap = cap;
		}
		struct deferred *e = &tl_defer.rows[tl_defer.n++];
		e->org_id = org_id, e->day = order_summary_day(placed);
		snprintf(e->kind, sizeof e->kind, "%s", kind);
		memcpy(e->v, v, sizeof e->v);
		return DB_OK;
	}
	return summary_add_now(d, org_id, placed, kind, v);
}

static int summary_add_now(db *d, int64_t org_id, int64_t placed, const char *kind, const int64_t v[ORDER_SUMMARY_FIGURES])
{
	int rc = db_run(d, S_UPSERT_VALUES,
			"IIt"
			"IIIIIIIIIIIIIIII",
			org_id, order_summary_day(placed), kind, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
			v[14], v[15]);
	if (rc != DB_OK)
		return rc;
	int64_t ids[64];
	int n = org_chain(d, org_id, ids);
	if (n < 0)
		return DB_ERR;
	for (int i = 0; rc == DB_OK && i < n; i += ANC_CHUNK) {
		const int64_t *c = ids + i;
		rc = db_run(d, S_ROLLUP_ADD,
			    "t"
			    "IIIIIIIIIIIIIIII"
			    "II"
			    "IIIIIIII",
			    kind, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15],
			    order_summary_day(placed), order_summary_month(placed), c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
	}
	return rc;
}

/* An order of org_id placed at `placed` closed after `secs` seconds: n (1, or
 * -1 to take it out) into its hour of every subtree's histogram. */
static int hist_add(db *d, int64_t org_id, int64_t placed, int64_t secs, int64_t n)
{
	int64_t ids[64];
	int k = org_chain(d, org_id, ids), rc = k < 0 ? DB_ERR : DB_OK;
	for (int i = 0; rc == DB_OK && i < k; i += ANC_CHUNK) {
		const int64_t *c = ids + i;
		rc = db_run(d, S_HIST_ADD,
			    "II"
			    "II"
			    "IIIIIIII",
			    secs / 3600, n, order_summary_day(placed), order_summary_month(placed), c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
	}
	return rc;
}

int order_summary_created(db *d, int64_t org_id, int64_t placed, const char *kind)
{
	int64_t v[ORDER_SUMMARY_FIGURES];
	order_summary_figures("submitted", false, NULL, 0, "branch", false, v);
	return order_summary_add(d, org_id, placed, kind, v);
}

int order_summary_step(db *d, const struct order *o, const char *action, const char *to, int64_t new_org, const char *close_reason, int rating,
		       int64_t now)
{
	/* closed is final (the state table): the histogram of times to close
	 * gains the order once, when it closes */
	if (!strcmp(to, "closed") && strcmp(o->state, "closed")) {
		int rc = hist_add(d, new_org, o->created_at, now - o->created_at, 1);
		if (rc != DB_OK)
			return rc;
	}
	/* ever accepted: only submitted comes before an accept or a claim, and
	 * no transition leads back to it (the state table in orders.c) */
	bool was_accepted = strcmp(o->state, "submitted") != 0;
	bool accepted = was_accepted || !strcmp(action, "accept") || !strcmp(action, "claim");
	bool escalated = o->escalated || !strcmp(action, "escalate");
	const char *level = !strcmp(action, "dispatch") ? "committee" : o->level;
	int64_t before[ORDER_SUMMARY_FIGURES], after[ORDER_SUMMARY_FIGURES];
	order_summary_figures(o->state, o->escalated, o->close_reason, o->rating, o->level, was_accepted, before);
	order_summary_figures(to, escalated, close_reason ? close_reason : o->close_reason, !strcmp(action, "confirm") ? rating : o->rating, level,
			      accepted, after);
	if (new_org != o->org_id) {
		for (int i = 0; i < ORDER_SUMMARY_FIGURES; i++)
			before[i] = -before[i];
		int rc = order_summary_add(d, o->org_id, o->created_at, o->kind, before);
		return rc != DB_OK ? rc : order_summary_add(d, new_org, o->created_at, o->kind, after);
	}
	bool moved = false;
	for (int i = 0; i < ORDER_SUMMARY_FIGURES; i++)
		moved |= (after[i] -= before[i]) != 0;
	return moved ? order_summary_add(d, o->org_id, o->created_at, o->kind, after) : DB_OK;
}

/* ---- the subtree rollups and the histogram of times to close ---- */

/* every org with each of its ancestors (itself included), by parent_id */
#define R_ANC_ALL                                                                                    \
	"anc (org_id, anc_id) AS (SELECT id, id FROM orgs UNION ALL SELECT anc.org_id, o.parent_id " \
	"FROM anc JOIN orgs o ON o.id = anc.anc_id WHERE o.parent_id IS NOT NULL)"
#define R_MONTH_OF(x) "(SELECT MAX(m.start) FROM order_months m WHERE m.start <= " x ")"
#define R_SUMS                                                                                                            \
	"CAST(SUM(collected) AS BIGINT) AS collected, CAST(SUM(accepted) AS BIGINT) AS accepted, CAST(SUM(rejected) AS "  \
	"BIGINT) AS rejected, CAST(SUM(escalated) AS BIGINT) AS escalated, CAST(SUM(dispatched) AS BIGINT) AS "           \
	"dispatched, CAST(SUM(resolved_by_branch) AS BIGINT) AS resolved_by_branch, CAST(SUM(resolved_by_committee) AS "  \
	"BIGINT) AS resolved_by_committee, CAST(SUM(withdrawn) AS BIGINT) AS withdrawn, CAST(SUM(open_orders) AS "        \
	"BIGINT) AS open_orders, CAST(SUM(closed) AS BIGINT) AS closed, CAST(SUM(reason_resolved) AS BIGINT) AS "         \
	"reason_resolved, CAST(SUM(reason_unresolvable) AS BIGINT) AS reason_unresolvable, CAST(SUM(reason_not_ours) AS " \
	"BIGINT) AS reason_not_ours, CAST(SUM(reason_duplicate) AS BIGINT) AS reason_duplicate, CAST(SUM(rated) AS "      \
	"BIGINT) AS rated, CAST(SUM(rating_sum) AS BIGINT) AS rating_sum"
/* The rollups recounted from the orders (as the summary is): rd the days, rm the months of
 * every subtree; rc both, without the rows that count nothing */
#define R_RECOUNT_WITH                                                                                                                 \
	"WITH RECURSIVE " R_ANC_ALL ", rd AS (SELECT anc.anc_id AS org_id, 'd' AS grain, s.day AS start, s.kind AS kind, " R_SUMS      \
	" FROM (SELECT o.org_id AS org_id, " S_DAY " AS day, o.kind AS kind, " S_SUMS_AS " FROM orders o GROUP BY o.org_id, " S_DAY    \
	", o.kind) s JOIN anc ON anc.org_id = s.org_id GROUP BY anc.anc_id, s.day, s.kind), "                                          \
	"rm AS (SELECT r.org_id AS org_id, 'm' AS grain, r.month AS start, r.kind AS kind, " R_SUMS " FROM (SELECT rd.*, " R_MONTH_OF( \
		"rd.start") " AS month FROM rd) r GROUP BY r.org_id, r.month, r.kind), "                                               \
			    "rc AS (SELECT * FROM (SELECT * FROM rd UNION ALL SELECT * FROM rm) z WHERE collected <> 0 OR " S_NONZERO ") "
#define R_STORED "SELECT org_id, grain, start, kind, " S_COLS " FROM order_rollup WHERE collected <> 0 OR " S_NONZERO
/* the histogram recounted from the closed orders */
#define H_RECOUNT_WITH                                                                                                                 \
	"WITH RECURSIVE " R_ANC_ALL ", hd AS (SELECT anc.anc_id AS org_id, 'd' AS grain, " S_DAY " AS start, "                         \
	"(o.closed_at - o.created_at) / 3600 AS hours, CAST(COUNT(*) AS BIGINT) AS n FROM orders o JOIN anc ON anc.org_id = o.org_id " \
	"WHERE o.state = 'closed' GROUP BY anc.anc_id, " S_DAY ", (o.closed_at - o.created_at) / 3600), "                              \
	"hm AS (SELECT h.org_id AS org_id, 'm' AS grain, h.month AS start, h.hours AS hours, CAST(SUM(h.n) AS BIGINT) AS n "           \
	"FROM (SELECT hd.*, " R_MONTH_OF("hd.start") " AS month FROM hd) h GROUP BY h.org_id, h.month, h.hours), "                     \
						     "hc AS (SELECT * FROM hd UNION ALL SELECT * FROM hm) "
#define H_STORED "SELECT org_id, grain, start, hours, n FROM order_close_hist WHERE n <> 0"

/* a remembered median is stale once an org moved or the summaries were
 * rebuilt (migration 040; order_rollup_read) */
#define GEN_BUMP(d) db_run(d, "UPDATE summary_generation SET moves = moves + 1 WHERE id = 1", "")

int order_rollup_move(db *d, int64_t org_id, int64_t old_parent, int64_t new_parent)
{
	const int64_t parent[2] = {old_parent, new_parent}, sign[2] = {-1, 1};
	for (int i = 0; i < 2; i++) {
		if (!parent[i])
			continue; /* it was (or becomes) a root: nothing above it */
		int64_t s = sign[i];
		int rc = db_run(d,
				S_ANC
				"INSERT INTO order_rollup (org_id, grain, start, kind, " S_COLS ") SELECT anc.id, r.grain, r.start, r.kind, "
				"CAST(? AS BIGINT) * r.collected, CAST(? AS BIGINT) * r.accepted, CAST(? AS BIGINT) * r.rejected, CAST(? AS "
				"BIGINT) * r.escalated, CAST(? AS BIGINT) * r.dispatched, CAST(? AS BIGINT) * r.resolved_by_branch, CAST(? AS "
				"BIGINT) * r.resolved_by_committee, CAST(? AS BIGINT) * r.withdrawn, CAST(? AS BIGINT) * r.open_orders, CAST(? "
				"AS BIGINT) * r.closed, CAST(? AS BIGINT) * r.reason_resolved, CAST(? AS BIGINT) * r.reason_unresolvable, "
				"CAST(? AS BIGINT) * r.reason_not_ours, CAST(? AS BIGINT) * r.reason_duplicate, CAST(? AS BIGINT) * r.rated, "
				"CAST(? AS BIGINT) * r.rating_sum"
				" FROM anc, order_rollup r WHERE r.org_id = ? ON CONFLICT (org_id, grain, start, kind) DO UPDATE SET " S_ADD(order_rollup),
				"I"
				"IIIIIIIIIIIIIIII"
				"I",
				parent[i], s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, org_id);
		if (rc == DB_OK)
			rc = db_run(d,
				    S_ANC "INSERT INTO order_close_hist (org_id, grain, start, hours, n) SELECT anc.id, r.grain, r.start, r.hours, "
					  "CAST(? AS BIGINT) * r.n FROM anc, order_close_hist r WHERE r.org_id = ? "
					  "ON CONFLICT (org_id, grain, start, hours) DO UPDATE SET n = order_close_hist.n + excluded.n",
				    "III", parent[i], s, org_id);
		if (rc != DB_OK)
			return rc;
	}
	return GEN_BUMP(d);
}

static int rollup_rebuild(db *d)
{
	int rc = db_run(d, "DELETE FROM order_rollup", "");
	if (rc == DB_OK)
		rc = db_run(d, "DELETE FROM order_close_hist", "");
	if (rc == DB_OK)
		rc = db_run(d, "INSERT INTO order_rollup (org_id, grain, start, kind, " S_COLS ") " R_RECOUNT_WITH "SELECT * FROM rc", "");
	if (rc == DB_OK)
		rc = db_run(d, "INSERT INTO order_close_hist (org_id, grain, start, hours, n) " H_RECOUNT_WITH "SELECT * FROM hc", "");
	return rc != DB_OK ? rc : GEN_BUMP(d);
}

int order_summary_rebuild(db *d)
{
	/* the recount counts every order of the transaction: what the writer
	 * deferred before it would count twice */
	order_summary_defer_clear();
	int rc = db_run(d, "DELETE FROM order_summary", "");
	if (rc != DB_OK)
		return rc;
	rc = db_run(d, "INSERT INTO order_summary (org_id, day, kind, " S_COLS ") " S_RECOUNT, "");
	return rc != DB_OK ? rc : rollup_rebuild(d);
}

static const char *const col_names[S_NCOLS] = {
	"collected", "accepted",    "rejected", "escalated",       "dispatched",          "resolved_by_branch", "resolved_by_committee",
	"withdrawn", "open_orders", "closed",   "reason_resolved", "reason_unresolvable", "reason_not_ours",    "reason_duplicate",
	"rated",     "rating_sum"};

/* Prints the rows of a comparison (side, org, grain, start, key, figures…)
 * and returns how many keys differ. */
static int print_diffs(db_stmt *s, FILE *out, const char *table, const char *key_name, int nfig)
{
	static const char *const hist_names[] = {"n"};
	int diffs = 0;
	int64_t last_org = -1, last_start = -1;
	char last_key[32] = "", last_grain[4] = "";
	while (db_next(s)) {
		int64_t org = db_int(s, 1), start = db_int(s, 3);
		const char *grain = db_str(s, 2), *key = db_str(s, 4);
		if (org != last_org || start != last_start || strcmp(grain, last_grain) || strcmp(key, last_key)) {
			diffs++;
			last_org = org, last_start = start;
			snprintf(last_grain, sizeof last_grain, "%s", grain);
			snprintf(last_key, sizeof last_key, "%s", key);
		}
		time_t t = (time_t)(start + 28800);
		struct tm tm;
		gmtime_r(&t, &tm);
		char date[16];
		strftime(date, sizeof date, !strcmp(grain, "m") ? "%Y-%m" : "%Y-%m-%d", &tm);
		fprintf(out, "%s org %lld %s %s %s: %s", table, (long long)org, date, key_name, key, db_int(s, 0) == 1 ? "stored   " : "recounted");
		for (int c = 0; c < nfig; c++)
			fprintf(out, " %s=%lld", nfig == 1 ? hist_names[0] : col_names[c], (long long)db_int(s, 5 + c));
		fputc('\n', out);
	}
	return diffs;
}

int order_summary_check(db *d, FILE *out)
{
	/* the rows only one side has, or has with other figures: side 1 is the
	 * summary as stored, side 2 the recount; sorted by key, then side */
	db_stmt *s = db_query(d,
			      "SELECT 1, x.* FROM (" S_STORED " EXCEPT " S_RECOUNT ") x "
			      "UNION ALL SELECT 2, y.* FROM (" S_RECOUNT " EXCEPT " S_STORED ") y ORDER BY 2, 3, 4, 1",
			      "");
	int diffs = 0;
	int64_t last_org = -1, last_day = -1;
	char last_kind[32] = "";
	while (db_next(s)) {
		int64_t org = db_int(s, 1), day = db_int(s, 2);
		const char *kind = db_str(s, 3);
		if (org != last_org || day != last_day || strcmp(kind, last_kind)) {
			diffs++;
			last_org = org, last_day = day;
			snprintf(last_kind, sizeof last_kind, "%s", kind);
		}
		time_t t = (time_t)(day + 28800);
		struct tm tm;
		gmtime_r(&t, &tm);
		char date[16];
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		fprintf(out, "order_summary org %lld day %s kind %s: %s", (long long)org, date, kind, db_int(s, 0) == 1 ? "stored   " : "recounted");
		for (int c = 0; c < S_NCOLS; c++)
			fprintf(out, " %s=%lld", col_names[c], (long long)db_int(s, 4 + c));
		fputc('\n', out);
	}
	if (db_done(s) != DB_OK) {
		fprintf(out, "order_summary: %s\n", db_errmsg(d));
		return -1;
	}
	/* the subtree rollups against the summary added up, the histogram
	 * against the closed orders: a row per key that differs */
	s = db_query(d,
		     R_RECOUNT_WITH "SELECT 1, x.* FROM (" R_STORED " EXCEPT SELECT * FROM rc) x "
				    "UNION ALL SELECT 2, y.* FROM (SELECT * FROM rc EXCEPT " R_STORED ") y ORDER BY 2, 3, 4, 5, 1",
		     "");
	diffs += print_diffs(s, out, "order_rollup", "kind", 16);
	if (db_done(s) != DB_OK) {
		fprintf(out, "order_rollup: %s\n", db_errmsg(d));
		return -1;
	}
	s = db_query(d,
		     H_RECOUNT_WITH "SELECT 1, x.* FROM (" H_STORED " EXCEPT SELECT * FROM hc) x "
				    "UNION ALL SELECT 2, y.* FROM (SELECT * FROM hc EXCEPT " H_STORED ") y ORDER BY 2, 3, 4, 5, 1",
		     "");
	diffs += print_diffs(s, out, "order_close_hist", "hours", 1);
	if (db_done(s) != DB_OK) {
		fprintf(out, "order_close_hist: %s\n", db_errmsg(d));
		return -1;
	}
	/* the remembered medians (order_rollup_read) are keyed on the rollups
	 * recounted above and on this one row: without it they are never used */
	if (db_int1(d, -1, "SELECT COUNT(*) FROM summary_generation WHERE id = 1", "") != 1) {
		fprintf(out, "summary_generation: row 1 missing (the statistics recount the median on every request)\n");
		diffs++;
	}
	return diffs;
}

/* ---- reading the statistics of a subtree ---- */

/* A period [t0, t1) of day starts as the rows that cover it: its first days
 * up to the first whole month, the whole months, its last days. */
#define R_KIND "AND (CAST(? AS TEXT) IS NULL OR kind = ?) "
#define R_RANGE(cols, table, grain) "SELECT " cols " FROM " table " WHERE org_id = ? AND grain = '" grain "' AND start >= ? AND start < ? "
#define R_SUM(c) "CAST(COALESCE(SUM(" c "), 0) AS BIGINT)"

struct hbin {
	int64_t hours, n;
};

static int cmp_hbin(const void *a, const void *b)
{
	const struct hbin *x = a, *y = b;
	return x->hours < y->hours ? -1 : x->hours > y->hours;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The k-th (0-based) shortest time to close of the subtree's closed orders
 * of [t0, t1) whose hour is `hours` into out[0], and the k2-th into out[1]
 * when k2 >= 0 (out then holds two): the orders of that one hour and
 * period read through orders_close_hours (covering, one range), the subtree
 * a filter. False when they are not what the histogram says
 * (or the database failed). */
static bool kth_in_hour(db *d, const char *prefix, bool whole, int64_t hours, int64_t t0, int64_t t1, int64_t k, int64_t k2, int64_t *out)
{
	size_t n = 0, cap = 64;
	int64_t *v = malloc(cap * sizeof *v);
	char lo[256], hi[256];
	order_path_range(prefix, lo, hi);
	db_stmt *s = db_query(d,
			      "SELECT closed_at - created_at FROM orders WHERE state = 'closed' AND (closed_at - created_at) / 3600 = ? "
			      "AND created_at >= ? AND created_at < ? AND (CAST(? AS BIGINT) = 1 OR +org_id IN " ORDER_SUBTREE_ORGS ")",
			      "IIIItt", hours, t0, t1, (int64_t)whole, lo, hi);
	while (db_next(s)) {
		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		v[n++] = db_int(s, 0);
	}
	bool ok = db_done(s) == DB_OK && k >= 0 && (size_t)k < n && (k2 < 0 || (size_t)k2 < n);
	if (ok) {
		qsort(v, n, sizeof *v, cmp_i64);
		out[0] = v[k];
		if (k2 >= 0)
			out[1] = v[k2];
	}
	free(v);
	return ok;
}

/* The medians remembered (migration 040): per process, a few, replaced in
 * turn; each valid for its database, subtree, period, closed count and
 * generation. */
struct median_memo {
	char prefix[128];
	int64_t instance, t0, t1, closed, moves;
	double median;
};
#define MEMO_N 64
static struct median_memo g_memo[MEMO_N];
static unsigned g_memo_next;
static pthread_mutex_t g_memo_lock = PTHREAD_MUTEX_INITIALIZER;

static bool memo_get(const struct median_memo *key, double *median)
{
	bool hit = false;
	pthread_mutex_lock(&g_memo_lock);
	for (int i = 0; i < MEMO_N && !hit; i++) {
		const struct median_memo *m = &g_memo[i];
		if (m->instance == key->instance && m->t0 == key->t0 && m->t1 == key->t1 && m->closed == key->closed && m->moves == key->moves &&
		    !strcmp(m->prefix, key->prefix))
			*median = m->median, hit = true;
	}
	pthread_mutex_unlock(&g_memo_lock);
	return hit;
}

static void memo_put(const struct median_memo *m)
{
	pthread_mutex_lock(&g_memo_lock);
	g_memo[g_memo_next++ % MEMO_N] = *m;
	pthread_mutex_unlock(&g_memo_lock);
}

/* The histogram's buckets of the period, added up by hour (in C: a GROUP BY
 * over the union sorted ~4,400 rows for a county-year, 1.5 ms against 0.4). */
static bool hist_bins(db *d, const int64_t *roots, int nroots, int64_t r[3][2], struct hbin **out, size_t *nout)
{
	size_t nb = 0, capb = 256;
	struct hbin *bins = malloc(capb * sizeof *bins);
	bool ok = true;
	for (int i = 0; i < nroots && ok; i++) {
		db_stmt *s = db_query(d,
				      R_RANGE("hours, n", "order_close_hist", "d") "UNION ALL " R_RANGE(
					      "hours, n", "order_close_hist", "m") "UNION ALL " R_RANGE("hours, n", "order_close_hist", "d"),
				      "III"
				      "III"
				      "III",
				      roots[i], r[0][0], r[0][1], roots[i], r[1][0], r[1][1], roots[i], r[2][0], r[2][1]);
		while (db_next(s)) {
			if (nb == capb)
				bins = realloc(bins, (capb *= 2) * sizeof *bins);
			bins[nb++] = (struct hbin){db_int(s, 0), db_int(s, 1)};
		}
		ok = db_done(s) == DB_OK;
	}
	qsort(bins, nb, sizeof *bins, cmp_hbin);
	size_t w = 0;
	for (size_t i = 0; i < nb; i++) {
		if (w && bins[w - 1].hours == bins[i].hours)
			bins[w - 1].n += bins[i].n;
		else
			bins[w++] = bins[i];
	}
	*out = bins, *nout = w;
	return ok;
}

bool order_rollup_read(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, struct order_rollup_figures *f)
{
	memset(f, 0, sizeof *f);
	/* the subtree's root, or every root for "/"; whether it is every org
	 * (the only root: the orders need no subtree filter) */
	int64_t roots[64];
	int nroots = 0;
	bool top = true;
	db_stmt *s = db_query(d,
			      "SELECT id, CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END FROM orgs WHERE path = ? "
			      "OR (CAST(? AS TEXT) = '/' AND parent_id IS NULL) LIMIT 64",
			      "tt", prefix, prefix);
	while (db_next(s)) {
		top &= db_int(s, 1) != 0;
		roots[nroots++] = db_int(s, 0);
	}
	if (db_done(s) != DB_OK || nroots == 0)
		return false;
	f->whole = !strcmp(prefix, "/") || (top && db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE parent_id IS NULL", "") == 1);
	/* the days before the first whole month, the months, the days after */
	int64_t ma = order_summary_month(t0), mb = order_summary_month(t1);
	if (ma < t0)
		ma = order_summary_next_month(ma);
	int64_t r[3][2] = {{t0, t1}, {0, 0}, {0, 0}};
	if (ma < mb)
		r[0][1] = ma, r[1][0] = ma, r[1][1] = mb, r[2][0] = mb, r[2][1] = t1;
	bool ok = true;
	for (int i = 0; i < nroots && ok; i++) {
		s = db_query(
			d,
			"SELECT " R_SUM("collected") ", " R_SUM("accepted") ", " R_SUM("rejected") ", " R_SUM("escalated") ", " R_SUM("dispatched") ", " R_SUM("resolved_by_branch") ", " R_SUM("resolved_by_committee") ", " R_SUM("withdrawn") ", " R_SUM("open_orders") ", " R_SUM(
				"closed") ", " R_SUM("reason_resolved") ", " R_SUM("reason_unresolvable") ", " R_SUM("reason_not_ours") ", " R_SUM("reason_duplicate") ", " R_SUM("rated") ", " R_SUM("rating_sum") " FROM (" R_RANGE(S_COLS,
																												      "order_rollup",
																												      "d")
				R_KIND "UNION ALL " R_RANGE(S_COLS, "order_rollup", "m") R_KIND "UNION ALL " R_RANGE(S_COLS, "order_rollup", "d") R_KIND
			") x",
			"IIItt"
			"IIItt"
			"IIItt",
			roots[i], r[0][0], r[0][1], kind, kind, roots[i], r[1][0], r[1][1], kind, kind, roots[i], r[2][0], r[2][1], kind, kind);
		if (db_next(s))
			for (int c = 0; c < ORDER_SUMMARY_FIGURES; c++)
				f->v[c] += db_int(s, c);
		ok = db_done(s) == DB_OK;
	}
	if (!ok || kind)
		return ok; /* the histogram has every kind together: a kind's median is counted by the caller */
	/* the median remembered, while nothing it depends on changed */
	struct median_memo key = {.t0 = t0, .t1 = t1, .closed = f->v[9]};
	snprintf(key.prefix, sizeof key.prefix, "%s", prefix);
	s = db_query(d, "SELECT moves, instance FROM summary_generation WHERE id = 1", "");
	bool gen = db_next(s);
	if (gen)
		key.moves = db_int(s, 0), key.instance = db_int(s, 1);
	ok = db_done(s) == DB_OK;
	bool memo = ok && gen && strlen(prefix) < sizeof key.prefix;
	if (memo && memo_get(&key, &f->median_hours))
		return true;
	size_t nb = 0;
	struct hbin *bins = NULL;
	ok = ok && hist_bins(d, roots, nroots, r, &bins, &nb);
	if (ok) {
		/* the median: the hour(s) holding ranks (N-1)/2 and N/2, then the
		 * exact times of that hour's orders */
		qsort(bins, nb, sizeof *bins, cmp_hbin);
		int64_t total = 0;
		for (size_t i = 0; i < nb; i++)
			total += bins[i].n;
		int64_t rank[2] = {(total - 1) / 2, total / 2}, val[2] = {0, 0};
		size_t at[2] = {0, 0};
		int64_t below[2] = {0, 0};
		for (int k = 0; k < 2 && total > 0; k++) {
			while (at[k] < nb && below[k] + bins[at[k]].n <= rank[k])
				below[k] += bins[at[k]++].n;
			if (k == 0)
				at[1] = at[0], below[1] = below[0];
		}
		if (total > 0 && at[1] < nb) {
			/* both ranks are usually in one hour: it is read once */
			int64_t two[2];
			ok = kth_in_hour(d, prefix, f->whole, bins[at[0]].hours, t0, t1, rank[0] - below[0], at[1] == at[0] ? rank[1] - below[0] : -1,
					 two) &&
			     (at[1] == at[0] || kth_in_hour(d, prefix, f->whole, bins[at[1]].hours, t0, t1, rank[1] - below[1], -1, two + 1));
			val[0] = two[0], val[1] = two[1];
		} else if (total > 0)
			ok = false;
		f->median_hours = total == 0 ? 0 : (rank[0] == rank[1] ? (double)val[0] : (double)(val[0] + val[1]) / 2.0) / 3600.0;
	}
	if (ok && memo) {
		key.median = f->median_hours;
		memo_put(&key);
	}
	free(bins);
	return ok;
}
