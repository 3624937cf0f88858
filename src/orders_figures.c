/* orders_figures — what the dashboard counts of the orders (SPEC M11, issue
 * 17): the figures of the statistics page (order_stats_compute, the same
 * numbers as /stats/orders and the bulletin's sentence), each with the order
 * list filtered to exactly the orders it counts. The rows are in the module
 * record (orders_pages.c). The counts are order_stats_compute's own
 * (order_stats_counts_kind: the same sums, without the median time to close). */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "orders.h"

/* The statistics once per scope: six figures read them. kind: NULL or "wish". */
static struct order_stats stats_of(db *d, const struct figure_scope *s, const char *kind)
{
	struct order_stats st;
	const char *tag = kind ? "orders:wish" : "orders";
	if (!figure_memo_get(s, tag, &st, sizeof st)) {
		order_stats_counts_kind(d, s->org_path, kind, s->t0, s->t1, s->now, &st);
		figure_memo_put(s, tag, &st, sizeof st);
	}
	return st;
}

int64_t order_fig_collected(db *d, const struct figure_scope *s) { return stats_of(d, s, NULL).collected; }
int64_t order_fig_resolved(db *d, const struct figure_scope *s) { return stats_of(d, s, NULL).resolved_by_branch; }
int64_t order_fig_escalated(db *d, const struct figure_scope *s) { return stats_of(d, s, NULL).escalated; }
int64_t order_fig_open(db *d, const struct figure_scope *s) { return stats_of(d, s, NULL).open; }
int64_t order_fig_overdue(db *d, const struct figure_scope *s) { return stats_of(d, s, NULL).overdue; }
int64_t order_fig_wishes(db *d, const struct figure_scope *s) { return stats_of(d, s, "wish").by_reason[0]; /* closed as 已解决 */ }

void order_href_collected(const struct figure_scope *s, char *out, size_t n) { figure_href_period(s, "/orders", NULL, out, n); }
void order_href_resolved(const struct figure_scope *s, char *out, size_t n)
{
	figure_href_period(s, "/orders", "&state=closed&reason=resolved&direct=1", out, n);
}
void order_href_escalated(const struct figure_scope *s, char *out, size_t n) { figure_href_period(s, "/orders", "&escalated=1", out, n); }
void order_href_open(const struct figure_scope *s, char *out, size_t n) { figure_href_period(s, "/orders", "&open=1", out, n); }
void order_href_overdue(const struct figure_scope *s, char *out, size_t n) { figure_href_period(s, "/orders", "&overdue=1", out, n); }
void order_href_wishes(const struct figure_scope *s, char *out, size_t n)
{
	figure_href_period(s, "/orders", "&kind=wish&state=closed&reason=resolved", out, n);
}

/* A campaign task's linked order (M10): fulfilled once closed as 已解决. */
int order_link_state(db *d, int64_t id, char org_path[256])
{
	db_stmt *s = db_query(d, "SELECT g.path, o.state, o.close_reason FROM orders o JOIN orgs g ON g.id = o.org_id WHERE o.id = ?", "I", id);
	int st = -1;
	if (db_next(s)) {
		snprintf(org_path, 256, "%s", db_str(s, 0));
		st = !strcmp(db_str(s, 1), "closed") && !strcmp(db_str(s, 2), "resolved");
	}
	if (db_done(s) != DB_OK)
		return -2;
	return st;
}
