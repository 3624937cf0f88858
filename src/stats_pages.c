/* stats_pages — the statistics page of the closed loop (issue 4 §9): for an
 * org subtree and a period, the figures as a table and an ECharts chart.
 * The chart reads its numbers from data attributes (no inline script), and
 * they come from the same order_stats_compute as the API. */
#include "stats_pages.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "embedded.h"
#include "layout.h"
#include "orders.h"
#include "orgs.h"
#include "orgs_web.h"
#include "util.h"
#include "valid.h"

void stats_page_orders(req *r)
{
	char from[11], to[11], now_s[11];
	today(now_s);
	const char *qf = req_query(r, "from"), *qt = req_query(r, "to"), *code = req_query(r, "org");
	/* default: this month so far */
	snprintf(from, sizeof from, "%.8s01", now_s);
	snprintf(to, sizeof to, "%s", now_s);
	if (qf && date_valid(qf))
		snprintf(from, sizeof from, "%s", qf);
	else if (qf && *qf)
		form_error(r, "from", "起始日期应为 YYYY-MM-DD");
	if (qt && date_valid(qt))
		snprintf(to, sizeof to, "%s", qt);
	else if (qt && *qt)
		form_error(r, "to", "结束日期应为 YYYY-MM-DD");
	/* perm_org_view: the route already allows only committee, branch and admin */
	struct org_ref o;
	if (!orgs_from_request(r, code, &perm_org_view, &o))
		return;
	const char *prefix = o.path, *oname = o.name, *ocode = o.code;
	int64_t t0 = 0, t1 = 0;
	day_start(from, &t0);
	day_start(to, &t1);
	t1 += 86400;
	struct order_stats st;
	order_stats_compute(r->db, prefix, t0, t1, now_unix(), &st);

	page_begin(r, "诉求统计");
	html_printf(&r->out, "<form class=\"filters\" method=\"get\" action=\"/stats/orders\"><input type=\"hidden\" name=\"org\" value=\"%s\">"
			     "<label for=\"f-from\">从</label><input id=\"f-from\" name=\"from\" type=\"date\" value=\"%s\">"
			     "<label for=\"f-to\">到</label><input id=\"f-to\" name=\"to\" type=\"date\" value=\"%s\">"
			     "<button class=\"btn\" type=\"submit\">统计</button></form>",
		    ocode, from, to);
	const char *ferr = form_error_for(r, "from");
	if (!ferr)
		ferr = form_error_for(r, "to");
	if (ferr)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", ferr);
	html_printf(&r->out, "<p class=\"lead\">%s，%s 至 %s：%s。</p>", oname, from, to, st.summary);
	html_printf(&r->out,
		    "<div class=\"stats\"><div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">需求清单</span></div>"
		    "<div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">支部销单</span></div>"
		    "<div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">向上反馈</span></div>"
		    "<div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">逾期</span></div></div>",
		    (long long)st.collected, (long long)st.resolved_by_branch, (long long)st.escalated, (long long)st.overdue);
	/* the chart: labels and values as data attributes, drawn by assets/stats.js with ECharts */
	html_printf(&r->out, "<section class=\"card\"><div id=\"order-chart\" class=\"chart\" "
			     "data-labels=\"收集,接单,不予受理,支部解决,向上反馈,党委派单,党委解决,撤回,办理中,逾期\" "
			     "data-values=\"%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\"></div></section>",
		    (long long)st.collected, (long long)st.accepted, (long long)st.rejected, (long long)st.resolved_by_branch,
		    (long long)st.escalated, (long long)st.dispatched, (long long)st.resolved_by_committee, (long long)st.withdrawn,
		    (long long)st.open, (long long)st.overdue);
	buf_puts(&r->out, "<section class=\"card\"><div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>指标</th><th>数量</th></tr></thead><tbody>");
	struct {
		const char *label;
		int64_t v;
	} rows[] = {
		{"收集诉求（需求清单）", st.collected}, {"支部接单", st.accepted}, {"不予受理", st.rejected},
		{"支部解决并销单", st.resolved_by_branch}, {"向上反馈", st.escalated}, {"党委派单", st.dispatched},
		{"党委派单后解决", st.resolved_by_committee}, {"群众撤回", st.withdrawn}, {"办理中", st.open}, {"逾期", st.overdue},
		{"办结：无法解决", st.by_reason[1]}, {"办结：不属于本级职责", st.by_reason[2]}, {"办结：重复诉求", st.by_reason[3]},
		{"已评价", st.rated},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		html_printf(&r->out, "<tr><td>%s</td><td>%lld</td></tr>", rows[i].label, (long long)rows[i].v);
	if (st.rated)
		html_printf(&r->out, "<tr><td>平均满意度</td><td>%.2f 星</td></tr>", st.average_satisfaction);
	if (st.closed)
		html_printf(&r->out, "<tr><td>办结用时（中位数）</td><td>%.1f 小时</td></tr>", st.median_hours_to_close);
	buf_puts(&r->out, "</tbody></table></div></section>");
	const struct embedded_asset *e = embedded_asset_find("echarts.min.js"), *js = embedded_asset_find("stats.js");
	html_printf(&r->out, "<script src=\"/static/echarts.min.js?v=%s\" defer></script><script src=\"/static/stats.js?v=%s\" defer></script>",
		    e ? e->etag : "0", js ? js->etag : "0");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}
