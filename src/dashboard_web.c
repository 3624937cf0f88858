/* dashboard_web — 数据统计 (/dashboard, its API and .xlsx), the big screen
 * (/screen/:token) and its display tokens (SPEC M11, issue 17): every
 * registered figure (figures.h) for an org subtree and a period, each number
 * a link to the records it counts; and the module record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "dashboard.h"
#include "embedded.h"
#include "html.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"

/* The org and the period a request asks for: ?org=CODE (default: the
 * caller's), ?preset= (本月 … ; default 本月 when no dates are given) or
 * ?from=&to=. False: answered 404 (org), or e holds the fields at fault. */
struct dash_q {
	struct org_ref ref;
	struct figure_scope s;
	char preset[16];
};
static bool dash_query(req *r, struct dash_q *q, struct field_errors *e, bool *answered)
{
	memset(q, 0, sizeof *q);
	*answered = false;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_dashboard_view, &q->ref)) {
		*answered = true;
		return false;
	}
	const char *preset = req_query(r, "preset"), *from = req_query(r, "from"), *to = req_query(r, "to");
	bool dates = (from && *from) || (to && *to);
	if (!preset || !*preset)
		preset = dates ? "custom" : "month";
	snprintf(q->preset, sizeof q->preset, "%s", preset);
	char f[11], t[11];
	int64_t now = now_unix();
	if (strcmp(preset, "custom")) {
		if (!figure_preset_dates(preset, now, f, t)) {
			ferr_add(e, "preset", "统计期间只能是本月、上月、本季度、本年或自定义");
			return false;
		}
		from = f, to = t;
	}
	return figure_scope_set(&q->s, q->ref.path, q->ref.code, from, to, now, e);
}

/* ---- GET /api/v1/dashboard?org=&from=&to= (or &preset=) ---- */
static void dashboard_api(req *r)
{
	struct dash_q q;
	struct field_errors e = {0};
	bool answered;
	if (!dash_query(r, &q, &e, &answered)) {
		if (!answered)
			req_fail(r, DJ_INVALID, &e);
		return;
	}
	size_t n;
	const struct figure **all = figures_all(&n);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "org");
	jw_obj(&w);
	jw_kstr(&w, "code", q.ref.code);
	jw_kstr(&w, "name", q.ref.name);
	jw_end(&w);
	jw_kstr(&w, "from", q.s.from);
	jw_kstr(&w, "to", q.s.to);
	jw_key(&w, "figures");
	jw_arr(&w);
	for (size_t i = 0; i < n; i++) {
		char href[512];
		int64_t v = figure_count(r->db, all[i], &q.s);
		if (v == FIGURE_FAILED)
			r->failed = true;
		all[i]->href(&q.s, href, sizeof href);
		jw_obj(&w);
		jw_kstr(&w, "key", all[i]->key);
		jw_kstr(&w, "group", all[i]->group);
		jw_kstr(&w, "label", all[i]->label);
		jw_kstr(&w, "unit", all[i]->unit);
		jw_kint(&w, "value", v);
		jw_kbool(&w, "snapshot", all[i]->snapshot);
		jw_kstr(&w, "href", href);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_end(&w);
	free(all);
	if (r->failed)
		req_error(r, 503, "unavailable", "数据库暂时不可用，请稍后再试");
}

/* ---- the page ---- */

static void chart_attrs(req *r, const char *id, const struct dashboard_point *p, int n)
{
	html_printf(&r->out, "<div id=\"%s\" class=\"chart dash-chart\" data-labels=\"", id);
	for (int i = 0; i < n; i++)
		html_printf(&r->out, "%s%s", i ? "|" : "", p[i].label);
	buf_puts(&r->out, "\" data-values=\"");
	for (int i = 0; i < n; i++)
		html_printf(&r->out, "%s%lld", i ? "|" : "", (long long)p[i].value);
	buf_puts(&r->out, "\" data-hrefs=\"");
	for (int i = 0; i < n; i++)
		html_printf(&r->out, "%s%s", i ? "|" : "", p[i].href);
	buf_puts(&r->out, "\"></div>");
}

static void figure_cards(req *r, const struct figure_scope *s, const char *group_class)
{
	const char *groups[32];
	size_t ng = figure_groups(groups, 32), nf;
	const struct figure **all = figures_all(&nf);
	for (size_t g = 0; g < ng; g++) {
		size_t in = 0;
		for (size_t i = 0; i < nf; i++)
			in += !strcmp(all[i]->group, groups[g]);
		/* a group folds (<details>): open here, app.js folds all but the
		 * first on a phone, where the page is long */
		html_printf(&r->out,
			    "<details class=\"card %s\" open><summary><h2>%s</h2><span class=\"muted dash-count\">%zu 项</span></summary><div "
			    "class=\"stats\">",
			    group_class, groups[g], in);
		for (size_t i = 0; i < nf; i++) {
			if (strcmp(all[i]->group, groups[g]))
				continue;
			char href[512];
			int64_t v = figure_count(r->db, all[i], s);
			if (v == FIGURE_FAILED)
				r->failed = true;
			all[i]->href(s, href, sizeof href);
			html_printf(&r->out,
				    "<a class=\"stat dash-figure\" data-key=\"%s\" data-value=\"%lld\" href=\"%s\"><span class=\"stat-num\">%lld</span>"
				    "<span class=\"stat-label\">%s（%s）%s</span></a>",
				    all[i]->key, (long long)v, href, (long long)v, all[i]->label, all[i]->unit, all[i]->snapshot ? " · 现有" : "");
		}
		buf_puts(&r->out, "</div></details>");
	}
	free(all);
}

static void scripts(req *r)
{
	const struct embedded_asset *e = embedded_asset_find("echarts.min.js"), *js = embedded_asset_find("stats.js");
	html_printf(&r->out, "<script src=\"/static/echarts.min.js?v=%s\" defer></script><script src=\"/static/stats.js?v=%s\" defer></script>",
		    e ? e->etag : "0", js ? js->etag : "0");
}

static void dashboard_page(req *r)
{
	struct dash_q q;
	struct field_errors e = {0};
	bool answered;
	bool ok = dash_query(r, &q, &e, &answered);
	if (answered)
		return;
	page_begin(r, "数据统计");
	/* the filters: org, preset, custom dates */
	html_printf(&r->out, "<form class=\"filters dash-filters\" method=\"get\" action=\"/dashboard\">"
			     "<label for=\"f-org\">组织</label><select id=\"f-org\" name=\"org\">");
	size_t no;
	struct org *orgs = orgs_under(r->db, actor_scope(&r->actor), false, &no);
	for (size_t i = 0; i < no; i++)
		if (strcmp(orgs[i].type, "group") && strcmp(orgs[i].type, "dept"))
			html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", orgs[i].code, !strcmp(orgs[i].code, q.ref.code) ? " selected" : "",
				    orgs[i].name);
	free(orgs);
	buf_puts(&r->out, "</select><label for=\"f-preset\">期间</label><select id=\"f-preset\" name=\"preset\">");
	for (const char *const *p = figure_presets; *p; p += 2)
		html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", p[0], !strcmp(p[0], q.preset) ? " selected" : "", p[1]);
	const char *qf = req_query(r, "from"), *qt = req_query(r, "to");
	html_printf(&r->out,
		    "</select><label for=\"f-from\">从</label><input id=\"f-from\" name=\"from\" type=\"date\" value=\"%s\">"
		    "<label for=\"f-to\">到</label><input id=\"f-to\" name=\"to\" type=\"date\" value=\"%s\">"
		    "<button class=\"btn\" type=\"submit\">统计</button></form>",
		    ok   ? q.s.from
		    : qf ? qf
			 : "",
		    ok   ? q.s.to
		    : qt ? qt
			 : "");
	if (!ok) {
		for (int i = 0; i < e.n; i++)
			html_printf(&r->out, "<div class=\"flash flash-error\" role=\"alert\">%s</div>", e.e[i].msg);
		page_end(r);
		r->status = 422;
		return;
	}
	html_printf(&r->out, "<p class=\"lead\">%s，%s 至 %s。每个数字都可点开，查看构成它的记录。</p>", q.ref.name, q.s.from, q.s.to);
	buf_puts(&r->out, "<p class=\"actions\">");
	html_printf(&r->out, "<a class=\"btn btn-secondary\" href=\"/dashboard.xlsx?org=%s&amp;from=%s&amp;to=%s\">导出 Excel</a>", q.ref.code, q.s.from,
		    q.s.to);
	if (authorize(r, &perm_display_manage, 0))
		buf_puts(&r->out, "<a class=\"btn\" href=\"/dashboard/displays\">数据大屏</a>");
	buf_puts(&r->out, "</p>");
	figure_cards(r, &q.s, "dash-group");

	/* the charts of one figure: a trend by month and a breakdown by the orgs below */
	const struct figure *f = figure_find(req_query(r, "figure"));
	if (!f)
		f = figure_find("orders.collected");
	size_t nf;
	const struct figure **all = figures_all(&nf);
	if (!f && nf)
		f = all[0];
	if (f) {
		html_printf(
			&r->out,
			"<section class=\"card\"><form class=\"filters\" method=\"get\" action=\"/dashboard\">"
			"<input type=\"hidden\" name=\"org\" value=\"%s\"><input type=\"hidden\" name=\"from\" value=\"%s\">"
			"<input type=\"hidden\" name=\"to\" value=\"%s\"><label for=\"f-figure\">图表指标</label><select id=\"f-figure\" name=\"figure\">",
			q.ref.code, q.s.from, q.s.to);
		for (size_t i = 0; i < nf; i++)
			html_printf(&r->out, "<option value=\"%s\"%s>%s · %s</option>", all[i]->key, all[i] == f ? " selected" : "", all[i]->group,
				    all[i]->label);
		buf_puts(&r->out, "</select><button class=\"btn\" type=\"submit\">查看</button></form>");
		struct dashboard_point *pts = calloc(200, sizeof *pts);
		int n = dashboard_trend(r->db, f, &q.s, pts, 60);
		html_printf(&r->out, "<h2>%s：按月趋势</h2>", f->label);
		if (n < 0)
			r->failed = true;
		else
			chart_attrs(r, "dash-trend", pts, n);
		n = dashboard_breakdown(r->db, f, &q.s, pts, 200);
		html_printf(&r->out, "<h2>%s：按下级组织</h2>", f->label);
		if (n < 0)
			r->failed = true;
		else if (n == 0)
			buf_puts(&r->out, "<p class=\"muted\">没有下级组织</p>");
		else {
			chart_attrs(r, "dash-branches", pts, n);
			/* the ranking as a table too: every bar's number is a link */
			buf_puts(&r->out,
				 "<div class=\"table-wrap\"><table class=\"table cards dash-rank\"><thead><tr><th>排名</th><th>组织</th><th>数量</th>"
				 "</tr></thead><tbody>");
			for (int i = 0; i < n; i++)
				html_printf(
					&r->out,
					"<tr><td data-label=\"排名\">%d</td><td data-label=\"组织\">%s</td><td data-label=\"数量\"><a href=\"%s\">%lld</a>"
					"</td></tr>",
					i + 1, pts[i].label, pts[i].href, (long long)pts[i].value);
			buf_puts(&r->out, "</tbody></table></div>");
		}
		free(pts);
		buf_puts(&r->out, "</section>");
	}
	free(all);
	scripts(r);
	page_end(r);
}

/* ---- GET /dashboard.xlsx?org=&from=&to= ---- */
struct dash_download {
	req *r;
	struct dash_q q;
};
static enum dj_result write_dashboard(const char *path, void *ctx, struct field_errors *e)
{
	struct dash_download *x = ctx;
	return dashboard_export(x->r->db, &x->r->actor, &x->q.s, x->q.ref.name, path, e);
}
static void dashboard_xlsx(req *r)
{
	struct dash_download x = {.r = r};
	struct field_errors e = {0};
	bool answered;
	if (!dash_query(r, &x.q, &e, &answered)) {
		if (!answered)
			req_fail(r, DJ_INVALID, &e);
		return;
	}
	char ascii[96], name[300];
	snprintf(ascii, sizeof ascii, "dashboard-%s.xlsx", x.q.ref.code);
	snprintf(name, sizeof name, "%s-数据统计-%s至%s.xlsx", x.q.ref.name, x.q.s.from, x.q.s.to);
	req_send_download(r, write_dashboard, &x, XLSX_TYPE, ascii, name);
}

/* ---- the big screen: /screen/:token, no login, a read-only display token ---- */
static void screen_doc_begin(req *r, const char *title, bool refresh)
{
	r->content_type = "text/html; charset=utf-8";
	const struct embedded_asset *css = embedded_asset_find("app.css"), *js = embedded_asset_find("app.js");
	html_printf(
		&r->out,
		"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<meta name=\"robots\" content=\"noindex\"><title>%s</title><link rel=\"stylesheet\" href=\"/static/app.css?v=%s\">"
		"<script src=\"/static/app.js?v=%s\" defer></script></head>",
		title, css ? css->etag : "0", js ? js->etag : "0");
	/* app.js reloads the page every data-refresh seconds */
	buf_puts(&r->out, refresh ? "<body class=\"screen\" data-refresh=\"60\">" : "<body class=\"screen\">");
}

static void screen_page(req *r)
{
	char path[256], code[64], name[168];
	enum dj_result res = display_token_check(r->db, req_param(r, "token"), path, code, name);
	req_set_header(r, "Cache-Control", "no-store");
	req_set_header(r, "Referrer-Policy", "no-referrer");
	if (res != DJ_OK) {
		screen_doc_begin(r, "数据大屏", false);
		r->status = res == DJ_CONFLICT ? 410 : res == DJ_NOT_FOUND ? 404 : 503;
		html_printf(&r->out, "<main class=\"screen-gone\"><h1>%s</h1><p>%s</p></main></body></html>",
			    res == DJ_CONFLICT    ? "该显示令牌已被收回"
			    : res == DJ_NOT_FOUND ? "显示令牌无效"
						  : "暂时无法显示",
			    res == DJ_DB_ERROR ? "请稍后再试。" : "请联系镇党委重新发放大屏链接。");
		return;
	}
	struct figure_scope s;
	struct field_errors e = {0};
	char from[11], to[11];
	int64_t now = now_unix();
	figure_preset_dates("year", now, from, to);
	if (!figure_scope_set(&s, path, code, from, to, now, &e)) {
		req_error(r, 503, "unavailable", "暂时无法显示");
		return;
	}
	char title[200], when[20];
	snprintf(title, sizeof title, "%s · 数据大屏", name);
	fmt_time(now, when);
	screen_doc_begin(r, title, true);
	html_printf(&r->out, "<header class=\"screen-head\"><h1>%s 党建工作数据</h1><p>%s 至 %s · 更新于 %s</p></header><main class=\"screen-grid\">",
		    name, s.from, s.to, when);
	/* the screen is read-only: the numbers, no links */
	const char *groups[32];
	size_t ng = figure_groups(groups, 32), nf;
	const struct figure **all = figures_all(&nf);
	for (size_t g = 0; g < ng; g++) {
		/* the panel's width follows its figures (two rows of numbers), so
		 * every group and both charts fit 1920×1080 */
		size_t in = 0;
		for (size_t i = 0; i < nf; i++)
			in += !strcmp(all[i]->group, groups[g]);
		int span = in <= 2 ? 2 : in <= 4 ? 3 : in <= 6 ? 4 : 6;
		html_printf(&r->out, "<section class=\"screen-panel screen-span-%d\"><h2>%s</h2><div class=\"screen-nums\">", span, groups[g]);
		for (size_t i = 0; i < nf; i++)
			if (!strcmp(all[i]->group, groups[g]))
				html_printf(&r->out, "<div class=\"screen-num\" data-key=\"%s\"><b>%lld</b><span>%s（%s）</span></div>", all[i]->key,
					    (long long)figure_count(r->db, all[i], &s), all[i]->label, all[i]->unit);
		buf_puts(&r->out, "</div></section>");
	}
	free(all);
	const struct figure *f = figure_find("orders.collected");
	if (f) {
		struct dashboard_point *pts = calloc(60, sizeof *pts);
		int n = dashboard_trend(r->db, f, &s, pts, 12);
		html_printf(&r->out, "<section class=\"screen-panel screen-wide\"><h2>%s · 按月</h2>", f->label);
		if (n > 0)
			chart_attrs(r, "screen-trend", pts, n);
		buf_puts(&r->out, "</section>");
		n = dashboard_breakdown(r->db, f, &s, pts, 60);
		html_printf(&r->out, "<section class=\"screen-panel screen-wide\"><h2>%s · 各支部</h2>", f->label);
		if (n > 0)
			chart_attrs(r, "screen-branches", pts, n);
		buf_puts(&r->out, "</section>");
		free(pts);
	}
	buf_puts(&r->out, "</main>");
	scripts(r);
	buf_puts(&r->out, "</body></html>");
}

/* ---- display tokens: /dashboard/displays ---- */
static void token_row(void *ctx, const struct display_token *t)
{
	req *r = ctx;
	char when[20];
	fmt_time(t->created_at, when);
	html_printf(&r->out,
		    "<tr><td data-label=\"屏幕\">%s</td><td data-label=\"组织\">%s</td><td data-label=\"发放\">%s %s</td><td data-label=\"状态\">",
		    t->name, t->org_name, when, t->created_by);
	if (t->revoked_at)
		buf_puts(&r->out, "<span class=\"badge badge-grey\">已收回</span></td></tr>");
	else
		html_printf(
			&r->out,
			"<form class=\"inline\" method=\"post\" action=\"/dashboard/displays/%lld/revoke\"><input type=\"hidden\" name=\"_csrf\" "
			"value=\"%s\"><button class=\"btn btn-danger\" type=\"submit\" data-confirm=\"收回后该屏幕将不再显示数据。确定吗？\">收回</button>"
			"</form></td></tr>",
			(long long)t->id, layout_csrf(r));
}

static void displays_page_body(req *r, const char *issued_url)
{
	page_begin(r, "数据大屏");
	if (issued_url)
		html_printf(&r->out,
			    "<div class=\"flash flash-ok\" role=\"status\">已发放。请在大屏的浏览器中打开下面的链接（只显示这一次）：<br><code "
			    "class=\"screen-url\">%s</code></div>",
			    issued_url);
	buf_puts(&r->out, "<section class=\"card\"><h2>发放显示令牌</h2>");
	form_begin(r, "/dashboard/displays");
	form_input(r, "name", "屏幕名称", "text", form_value(r, "name", ""), "如：党群服务中心大厅");
	orgs_form_select(r, "org_id", "显示哪个组织的数据", form_value(r, "org_id", ""));
	form_end(r, "发放");
	buf_puts(&r->out,
		 "</section><section class=\"card\"><h2>已发放</h2><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>屏幕</th>"
		 "<th>组织</th><th>发放</th><th>状态</th></tr></thead><tbody>");
	if (display_tokens_each(r->db, &r->actor, token_row, r) != DJ_OK)
		r->failed = true;
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

static void displays_page(req *r)
{
	if (!authorize(r, &perm_display_manage, 0)) {
		req_error(r, 403, "forbidden", "您的角色不能管理数据大屏");
		return;
	}
	if (!req_is_post(r)) {
		displays_page_body(r, NULL);
		return;
	}
	const char *org_id = req_form(r, "org_id");
	char code[64] = "";
	int64_t oid = parse_id(org_id);
	struct org o;
	if (oid && org_load(r->db, oid, &o))
		snprintf(code, sizeof code, "%s", o.code);
	char tok[64], url[200];
	int64_t id;
	struct field_errors e = {0};
	enum dj_result res = display_token_issue(r->db, &r->actor, *code ? code : NULL, req_form(r, "name"), tok, &id, &e);
	if (res == DJ_INVALID) {
		form_errors_add(r, &e);
		displays_page_body(r, NULL);
		r->status = 422;
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	snprintf(url, sizeof url, "/screen/%s", tok);
	displays_page_body(r, url);
}

static void displays_revoke(req *r)
{
	struct field_errors e = {0};
	enum dj_result res = display_token_revoke(r->db, &r->actor, req_param_id(r, "id"), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "已收回，该屏幕不再显示数据");
	req_redirect(r, "/dashboard/displays");
}

/* ---- GET /dashboard/records?figure=KEY&org=&from=&to=: the drill-down of
 * a figure counted by SQL (figures.h FIGURE_SQL) — exactly the rows that
 * make its number, whose "共 N" is the figure ---- */
struct rec_ctx {
	req *r;
	bool sum, fen;
};
static void record_row(void *ctx, const struct figure_record *x)
{
	struct rec_ctx *c = ctx;
	char when[20];
	snprintf(when, sizeof when, "%s", x->at);
	if (strlen(x->at) > 8 && strspn(x->at, "0123456789") == strlen(x->at))
		fmt_time(strtoll(x->at, NULL, 10), when);
	/* the row opens its record's own page, through the module's entity link */
	const char *prefix = entity_href_prefix(x->kind);
	html_printf(&c->r->out, "<tr><td data-label=\"时间\">%s</td><td data-label=\"组织\">%s</td><td data-label=\"名称\">", when, x->org);
	if (*prefix && x->ref > 0)
		html_printf(&c->r->out, "<a class=\"record-link\" data-kind=\"%s\" href=\"%s%lld\">%s</a>", x->kind, prefix, (long long)x->ref, x->title);
	else
		html_printf(&c->r->out, "%s", x->title);
	html_printf(&c->r->out, "</td><td data-label=\"说明\">%s</td>", x->detail);
	if (c->fen)
		html_printf(&c->r->out, "<td data-label=\"金额\">%lld.%02lld 元</td>", (long long)(x->v / 100), (long long)llabs(x->v % 100));
	else if (c->sum)
		html_printf(&c->r->out, "<td data-label=\"数量\">%lld</td>", (long long)x->v);
	buf_puts(&c->r->out, "</tr>");
}

static void records_page(req *r)
{
	const struct figure *f = figure_find(req_query(r, "figure"));
	if (!f || !f->sql) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "没有这项统计"), &e);
		return;
	}
	struct dash_q q;
	struct field_errors e = {0};
	bool answered;
	if (!dash_query(r, &q, &e, &answered)) {
		if (!answered)
			req_fail(r, DJ_INVALID, &e);
		return;
	}
	page_begin(r, f->label);
	if (f->snapshot)
		html_printf(&r->out, "<p class=\"lead\">%s · %s（现有）</p>", q.ref.name, f->group);
	else
		html_printf(&r->out, "<p class=\"lead\">%s · %s，%s 至 %s</p>", q.ref.name, f->group, q.s.from, q.s.to);
	buf rows = {0};
	buf out = r->out;
	r->out = rows;
	int64_t total = 0, n = 0;
	struct rec_ctx c = {r, figure_sql_sums(f), !strcmp(f->unit, "元")};
	enum dj_result res = figure_sql_each(r->db, f, &q.s, 500, record_row, &c, &total, &n);
	rows = r->out;
	r->out = out;
	if (res != DJ_OK)
		r->failed = true;
	html_printf(&r->out, "<p class=\"muted\" id=\"records-total\" data-key=\"%s\">共 %lld %s", f->key, (long long)total, f->unit);
	if (c.sum)
		html_printf(&r->out, "（%lld 条记录）", (long long)n);
	html_printf(&r->out, "%s</p>", n > 500 ? "，列出最近 500 条" : "");
	buf_puts(&r->out, "<section class=\"card\"><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>时间</th><th>组织</th>"
			  "<th>名称</th><th>说明</th>");
	if (c.sum)
		buf_puts(&r->out, c.fen ? "<th>金额</th>" : "<th>数量</th>");
	buf_puts(&r->out, "</tr></thead><tbody>");
	buf_append(&r->out, rows.p, rows.len);
	buf_free(&rows);
	buf_puts(&r->out, "</tbody></table></div></section>");
	html_printf(&r->out, "<p><a href=\"/dashboard?org=%s&amp;from=%s&amp;to=%s\">返回数据统计</a></p>", q.ref.code, q.s.from, q.s.to);
	page_end(r);
}

/* ---- the module record (module.h) ---- */
static const route dashboard_routes[] = {
	{"GET", "/dashboard", dashboard_page, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "dashboard"},
	{"GET", "/dashboard/records", records_page, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "dashboard_records"},
	{"GET", "/dashboard.xlsx", dashboard_xlsx, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_WRITE, 0, "dashboard_export"},
	{"GET", "/dashboard/displays", displays_page, R_ADMIN | R_COMMITTEE, 0, 0, "displays"},
	{"POST", "/dashboard/displays", displays_page, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "displays"},
	{"POST", "/dashboard/displays/:id/revoke", displays_revoke, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "display_revoke"},
	{"GET", "/screen/:token", screen_page, R_PUBLIC, 0, 0, "screen"},
	{"GET", "/api/v1/dashboard", dashboard_api, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_API, 0, "api_dashboard"},
};
static const struct nav_entry dashboard_nav[] = {
	{"/dashboard", "数据统计", R_ADMIN | R_COMMITTEE | R_BRANCH, 24, NAV_EVAL},
};
static const struct permission *const dashboard_perms[] = {&perm_dashboard_view, &perm_display_manage};
const struct module dashboard_module = {
	.name = "dashboard",
	.routes = dashboard_routes,
	.routes_n = COUNT_OF(dashboard_routes),
	.nav = dashboard_nav,
	.nav_n = COUNT_OF(dashboard_nav),
	.permissions = dashboard_perms,
	.permissions_n = COUNT_OF(dashboard_perms),
	.figures = dashboard_figures,
	.figures_n = DASHBOARD_FIGURES_N,
};
