/* points_web — the pages and the API of party-member points (issue 11), and
 * the module record. */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "html.h"
#include "layout.h"
#include "module.h"
#include "orgs_web.h"
#include "points.h"
#include "util.h"
#include "web.h"

/* ---- /points/entries?org=&from=&to=: the ledger entries of a subtree and a
 * period, the dashboard's drill-down of its two points figures (issue 17) ---- */

static void entry_row(void *ctx, const struct points_entry *e)
{
	req *r = ctx;
	char when[20];
	fmt_time(e->at, when);
	html_printf(&r->out,
		    "<tr><td data-label=\"时间\">%s</td><td data-label=\"党员\">%s</td><td data-label=\"支部\">%s</td><td data-label=\"事项\">%s</td>"
		    "<td data-label=\"积分\">%lld</td><td data-label=\"说明\">%s</td></tr>",
		    when, e->member, e->org, points_event_label(e->code), (long long)e->points, e->reason);
}

static void points_page_entries(req *r)
{
	struct org_ref ref;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_org_view, &ref))
		return;
	struct figure_scope s;
	struct field_errors e = {0};
	if (!figure_scope_set(&s, ref.path, ref.code, req_query(r, "from"), req_query(r, "to"), now_unix(), &e)) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	page_begin(r, "积分明细");
	html_printf(&r->out, "<p class=\"lead\">%s，%s 至 %s</p>", ref.name, s.from, s.to);
	buf rows = {0};
	buf out = r->out;
	r->out = rows;
	int64_t total = 0, sum = 0;
	enum dj_result res = points_entries_each(r->db, ref.path, s.t0, s.t1, 500, entry_row, r, &total, &sum);
	rows = r->out;
	r->out = out;
	if (res != DJ_OK)
		r->failed = true;
	html_printf(&r->out, "<p class=\"muted\" id=\"points-total\">共 %lld 条，合计 %lld 分%s</p>", (long long)total, (long long)sum,
		    total > 500 ? "（列出最近 500 条）" : "");
	buf_puts(&r->out,
		 "<section class=\"card\"><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>时间</th><th>党员</th><th>支部</th>"
		 "<th>事项</th><th>积分</th><th>说明</th></tr></thead><tbody>");
	buf_append(&r->out, rows.p, rows.len);
	buf_free(&rows);
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

/* ---- the module record ---- */
static const route points_routes[] = {
	{"GET", "/points/entries", points_page_entries, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "points_entries"},
};
static const struct figure points_figures[] = {
	{"points.entries", "党员积分", "积分记录", "条", points_fig_entries, points_href_entries, false},
	{"points.awarded", "党员积分", "获得积分", "分", points_fig_awarded, points_href_entries, false},
};
const struct module points_module = {
	.name = "points",
	.routes = points_routes,
	.routes_n = COUNT_OF(points_routes),
	.figures = points_figures,
	.figures_n = COUNT_OF(points_figures),
};
