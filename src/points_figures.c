/* points_figures — what the dashboard counts of the points ledger (SPEC M11,
 * issue 17): the entries written for events of the period by members of the
 * subtree (the org the entry was written under), and the points they add;
 * points_entries_each lists exactly those entries for /points/entries. */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "points.h"

#define LEDGER_SCOPE "l.org_id IN (SELECT id FROM orgs WHERE path LIKE ? || '%') AND l.at >= ? AND l.at < ?"

int64_t points_fig_entries(db *d, const struct figure_scope *s)
{
	return db_int1(d, FIGURE_FAILED, "SELECT COUNT(*) FROM points_ledger l WHERE " LEDGER_SCOPE, "tII", s->org_path, s->t0, s->t1);
}
int64_t points_fig_awarded(db *d, const struct figure_scope *s)
{
	return db_int1(d, FIGURE_FAILED, "SELECT CAST(COALESCE(SUM(l.points), 0) AS BIGINT) FROM points_ledger l WHERE " LEDGER_SCOPE, "tII", s->org_path,
		       s->t0, s->t1);
}
void points_href_entries(const struct figure_scope *s, char *out, size_t n) { figure_href_period(s, "/points/entries", NULL, out, n); }

enum dj_result points_entries_each(db *d, const char *prefix, int64_t t0, int64_t t1, int64_t limit,
				   void (*fn)(void *ctx, const struct points_ledger_row *e), void *ctx, int64_t *total, int64_t *sum)
{
	*total = points_fig_entries(d, &(struct figure_scope){.org_path = prefix, .t0 = t0, .t1 = t1});
	*sum = points_fig_awarded(d, &(struct figure_scope){.org_path = prefix, .t0 = t0, .t1 = t1});
	if (*total == FIGURE_FAILED || *sum == FIGURE_FAILED)
		return DJ_DB_ERROR;
	db_stmt *s = db_query(d,
			      "SELECT l.id, l.at, m.name, g.name, l.code, l.kind, l.qty, l.points, l.reason, l.source_kind, l.source_id "
			      "FROM points_ledger l JOIN members m ON m.id = l.member_id JOIN orgs g ON g.id = l.org_id WHERE " LEDGER_SCOPE
			      " ORDER BY l.at DESC, l.id DESC LIMIT ?",
			      "tIII", prefix, t0, t1, limit);
	while (db_next(s)) {
		struct points_ledger_row e = {
			.id = db_int(s, 0),
			.at = db_int(s, 1),
			.member = db_str(s, 2),
			.org = db_str(s, 3),
			.code = db_str(s, 4),
			.kind = db_str(s, 5),
			.qty = db_int(s, 6),
			.points = db_int(s, 7),
			.reason = db_str(s, 8),
			.source_kind = db_str(s, 9),
			.source_id = db_int(s, 10),
		};
		fn(ctx, &e);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}
