/* order_summary — see order_summary.h. The figures and their definitions are
 * those order_stats_compute printed from the orders before (issue 4 §9); the
 * contribution of one order is written twice on purpose: in C
 * (order_summary_figures, from the order as order_transition read it, so a
 * step costs one upsert and no second read of the order) and in SQL over
 * `orders o` (the recount of order_summary_rebuild and order_summary_check,
 * and the backfill of migration 018): `dangjian check` compares the two. */
#include "order_summary.h"

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
#define S_UPSERT_VALUES                                                                                                                 \
	"INSERT INTO order_summary (org_id, day, kind, " S_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "   \
	"ON CONFLICT (org_id, day, kind) DO UPDATE SET collected = order_summary.collected + excluded.collected, "                      \
	"accepted = order_summary.accepted + excluded.accepted, rejected = order_summary.rejected + excluded.rejected, "                \
	"escalated = order_summary.escalated + excluded.escalated, dispatched = order_summary.dispatched + excluded.dispatched, "       \
	"resolved_by_branch = order_summary.resolved_by_branch + excluded.resolved_by_branch, "                                         \
	"resolved_by_committee = order_summary.resolved_by_committee + excluded.resolved_by_committee, "                                \
	"withdrawn = order_summary.withdrawn + excluded.withdrawn, open_orders = order_summary.open_orders + excluded.open_orders, "    \
	"closed = order_summary.closed + excluded.closed, reason_resolved = order_summary.reason_resolved + excluded.reason_resolved, " \
	"reason_unresolvable = order_summary.reason_unresolvable + excluded.reason_unresolvable, "                                      \
	"reason_not_ours = order_summary.reason_not_ours + excluded.reason_not_ours, "                                                  \
	"reason_duplicate = order_summary.reason_duplicate + excluded.reason_duplicate, rated = order_summary.rated + excluded.rated, " \
	"rating_sum = order_summary.rating_sum + excluded.rating_sum"
/* the recount: one row per (org, day, kind) that has orders */
#define S_RECOUNT "SELECT o.org_id, " S_DAY ", o.kind, " S_SUMS " FROM orders o GROUP BY o.org_id, " S_DAY ", o.kind"
/* the summary's rows that count anything (a dispatch can leave a row of zeros behind) */
#define S_STORED "SELECT org_id, day, kind, " S_COLS " FROM order_summary WHERE collected <> 0 OR " S_NONZERO
#define S_NONZERO                                                                                                                       \
	"accepted <> 0 OR rejected <> 0 OR escalated <> 0 OR dispatched <> 0 OR resolved_by_branch <> 0 OR resolved_by_committee <> 0 " \
	"OR withdrawn <> 0 OR open_orders <> 0 OR closed <> 0 OR reason_resolved <> 0 OR reason_unresolvable <> 0 "                     \
	"OR reason_not_ours <> 0 OR reason_duplicate <> 0 OR rated <> 0 OR rating_sum <> 0"

int64_t order_summary_day(int64_t t) { return t - (t + 28800) % 86400; }

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

int order_summary_add(db *d, int64_t org_id, int64_t placed, const char *kind, const int64_t v[ORDER_SUMMARY_FIGURES])
{
	return db_run(d, S_UPSERT_VALUES,
		      "IIt"
		      "IIIIIIIIIIIIIIII",
		      org_id, order_summary_day(placed), kind, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
		      v[14], v[15]);
}

int order_summary_created(db *d, int64_t org_id, int64_t placed, const char *kind)
{
	int64_t v[ORDER_SUMMARY_FIGURES];
	order_summary_figures("submitted", false, NULL, 0, "branch", false, v);
	return order_summary_add(d, org_id, placed, kind, v);
}

int order_summary_step(db *d, const struct order *o, const char *action, const char *to, int64_t new_org, const char *close_reason, int rating)
{
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

int order_summary_rebuild(db *d)
{
	int rc = db_run(d, "DELETE FROM order_summary", "");
	if (rc != DB_OK)
		return rc;
	return db_run(d, "INSERT INTO order_summary (org_id, day, kind, " S_COLS ") " S_RECOUNT, "");
}

static const char *const col_names[S_NCOLS] = {
	"collected", "accepted",    "rejected", "escalated",       "dispatched",          "resolved_by_branch", "resolved_by_committee",
	"withdrawn", "open_orders", "closed",   "reason_resolved", "reason_unresolvable", "reason_not_ours",    "reason_duplicate",
	"rated",     "rating_sum"};

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
	return diffs;
}
