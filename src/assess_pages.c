/* assess_pages — the console pages of branch assessment (SPEC M8, issue 16):
 * the monthly check with its drill-down, the monthly bulletin (draft,
 * publishing, the published versions), quarters, yearly stars and excellent
 * branches, a branch's own history and the rules. Thin: the rules and SQL are
 * in assess.c; the routes are in the module record at the end of assess_web.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "assess_web.h"
#include "html.h"
#include "layout.h"
#include "orgs.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"

void assess_page_checks(req *r)
{
	struct field_errors e = {0};
	char m8[16], prefix[256];
	const char *month = assess_web_month(r, m8);
	if (!assess_web_scope(r, prefix))
		return;
	struct assess_check *v;
	size_t n;
	struct assess_rules rules;
	enum dj_result res = assess_month(r->db, &r->actor, prefix, month, now_unix(), &v, &n, &rules, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "支部月检查");
	assess_web_links(r);
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/assessment\"><div class=\"field\"><label for=\"f-month\">月份</label>"
		    "<input id=\"f-month\" name=\"month\" type=\"month\" value=\"%s\"></div><div class=\"form-actions\"><button class=\"btn btn-primary\" "
		    "type=\"submit\">查看</button>",
		    month);
	if (permission_allows(&perm_assess_manage, &r->actor))
		html_printf(&r->out, "<a class=\"btn\" href=\"/assessment/bulletin?month=%s\">生成月通报</a>", month);
	buf_puts(&r->out, "</div></form>");
	size_t notin = 0;
	const char *first = NULL; /* the earliest month a branch not yet in enters the check */
	for (size_t i = 0; i < n; i++)
		if (v[i].not_assessed) {
			notin++;
			if (!first || strcmp(v[i].start, first) < 0)
				first = v[i].start;
		}
	if (n == notin) { /* "共 0 个支部参加" says nothing: say why none is */
		html_printf(&r->out, "<p class=\"lead\" id=\"check-summary\">%s 尚无支部参加月检查：支部自纳入系统的月份起参加月检查，", month);
		if (notin)
			html_printf(&r->out, "这 %zu 个支部都在 %s 之后才纳入系统（最早自 %s 起考核）。", notin, month, first);
		else
			buf_puts(&r->out, "范围内还没有纳入系统的支部。");
		buf_puts(&r->out, "</p>");
	} else {
		html_printf(&r->out,
			    "<p class=\"lead\" id=\"check-summary\">%s 共 %zu 个支部参加月检查（考核细则自 %s 起执行）。得分由各项记录自动计算；"
			    "暂无数据的项目不计入，其余项目的权重按比例折算为百分制。",
			    month, n - notin, rules.valid_from);
		if (notin)
			html_printf(&r->out, "另有 %zu 个支部本月尚未纳入系统，未纳入考核（自其纳入的月份起考核）。", notin);
		buf_puts(&r->out, "</p>");
	}
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards check-table\"><thead><tr><th>名次</th><th>支部</th><th>综合得分</th>");
	for (int i = 0; i < rules.n; i++) {
		const struct assess_item_def *d = assess_item_def(rules.item[i].item);
		html_printf(&r->out, "<th>%s（%lld%%）</th>", d ? d->label : rules.item[i].item, (long long)rules.item[i].weight);
	}
	buf_puts(&r->out, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		char sc[32];
		assess_web_score(sc, v[i].has_score, v[i].score);
		if (v[i].not_assessed) {
			html_printf(
				&r->out,
				"<tr data-org=\"%s\" class=\"notin\"><td data-label=\"名次\">—</td><td data-label=\"支部\">%s</td><td data-label=\"综合得分\" "
				"class=\"total\"><span class=\"badge\">未纳入考核</span></td><td colspan=\"%d\" data-label=\"说明\">自 %s 起纳入考核</td></tr>",
				v[i].org_code, v[i].org_name, rules.n, v[i].start);
			continue;
		}
		html_printf(&r->out,
			    "<tr data-org=\"%s\"><td data-label=\"名次\">%d</td><td data-label=\"支部\">%s</td><td data-label=\"综合得分\" "
			    "class=\"total\">%s</td>",
			    v[i].org_code, v[i].rank, v[i].org_name, sc);
		for (int k = 0; k < v[i].n; k++) {
			const struct assess_score *s = &v[i].s[k];
			const struct assess_item_def *d = assess_item_def(s->item);
			char got[32];
			assess_web_score(got, s->has_data, s->got);
			html_printf(&r->out, "<td data-label=\"%s\" data-item=\"%s\"%s>", d ? d->label : s->item, s->item,
				    s->has_data ? "" : " class=\"nodata\"");
			if (s->has_data)
				html_printf(&r->out, "<a href=\"/assessment/check/%s/%s/%s\">%s</a> <small>%lld/%lld</small>", v[i].org_code, month,
					    s->item, got, (long long)s->num, (long long)s->den);
			else
				buf_puts(&r->out, "<span class=\"badge\">暂无数据</span>");
			buf_puts(&r->out, "</td>");
		}
		buf_puts(&r->out, "</tr>");
	}
	buf_puts(&r->out, "</tbody></table></div>");
	free(v);
	page_end(r);
}

struct drill_page {
	req *r;
	int n;
};
static void record_li(void *ctx, const struct assess_record *x)
{
	struct drill_page *c = ctx;
	c->n++;
	html_printf(&c->r->out, "<li class=\"%s\" data-kind=\"%s\" data-id=\"%lld\">%s ", x->counts ? "ok" : "miss", x->kind, (long long)x->id,
		    x->counts ? "✓" : "✗");
	if (*x->href)
		html_printf(&c->r->out, "<a href=\"%s\">%s</a>", x->href, x->title);
	else
		html_printf(&c->r->out, "%s", x->title);
	html_printf(&c->r->out, " <small>%s</small></li>", x->detail);
}

void assess_page_drill(req *r)
{
	struct field_errors e = {0};
	int64_t org = orgs_id_by_code(r->db, req_param(r, "org"));
	if (!org) {
		req_fail(r, DJ_NOT_FOUND, &e);
		return;
	}
	struct org o;
	org_load(r->db, org, &o);
	buf saved = r->out, list = {0};
	r->out = list;
	struct drill_page c = {r, 0};
	struct assess_score s;
	const char *month = req_param(r, "month"), *item = req_param(r, "item");
	enum dj_result res = assess_drill(r->db, &r->actor, org, month, item, now_unix(), record_li, &c, &s, &e);
	list = r->out;
	r->out = saved;
	if (res != DJ_OK) {
		buf_free(&list);
		req_fail(r, res, &e);
		return;
	}
	const struct assess_item_def *d = assess_item_def(item);
	char title[300];
	snprintf(title, sizeof title, "%s · %s · %s", o.name, month, d->label);
	page_begin(r, title);
	assess_web_links(r);
	char got[32];
	assess_web_score(got, s.has_data, s.got);
	if (s.not_assessed) {
		char start[16];
		assess_start_month(o.created_at, start);
		html_printf(&r->out,
			    "<p class=\"lead\" id=\"drill-summary\">未纳入考核：%s 自 %s 起纳入系统，%s 不参加月检查，没有得分，也不计入季度和年度。</p>",
			    o.name, start, month);
		html_printf(&r->out, "<p><a href=\"/assessment?month=%s\">返回月检查</a></p>", month);
		buf_free(&list);
		page_end(r);
		return;
	}
	html_printf(&r->out, "<p class=\"lead\" id=\"drill-summary\">得分 %s（权重 %lld%%）：计入 %lld / %lld。以下是这一得分背后的记录。</p>", got,
		    (long long)s.weight, (long long)s.num, (long long)s.den);
	if (!d->linked)
		buf_puts(&r->out, "<p class=\"flash\">该项目所依据的机制（会议、决议或志愿服务）尚未接入：暂无数据，不计入本月得分。</p>");
	buf_puts(&r->out, "<ul class=\"drill-list\">");
	buf_puts(&r->out, buf_str(&list));
	buf_puts(&r->out, "</ul>");
	if (!c.n)
		buf_puts(&r->out, "<p>没有记录。</p>");
	buf_free(&list);
	html_printf(&r->out, "<p><a href=\"/assessment?month=%s\">返回月检查</a></p>", month);
	page_end(r);
}

static void bulletin_body(req *r, const struct assess_bulletin *b)
{
	html_printf(&r->out, "<section class=\"card bulletin\"><h2 class=\"card-title\">%s %.4s年%d月党建工作月通报</h2>", b->org_name, b->month,
		    atoi(b->month + 5));
	if (b->id) {
		char when[20];
		fmt_time(b->published_at, when);
		html_printf(&r->out, "<p class=\"muted\">第 %lld 版 · %s 发布 · %s</p>", (long long)b->version, when, b->publisher);
	} else
		buf_puts(&r->out, "<p class=\"muted\">草稿：按当前记录计算，发布后数字固定</p>");
	html_printf(&r->out, "<p id=\"bulletin-summary\">%s</p>", b->summary);
	if (b->remarks && *b->remarks)
		html_printf(&r->out, "<h3>党委点评</h3><p id=\"bulletin-remarks\">%s</p>", b->remarks);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards bulletin-table\"><thead><tr><th>名次</th><th>支部</th><th>综合得分</th>"
			  "</tr></thead><tbody>");
	for (size_t i = 0; i < b->n; i++) {
		char sc[32];
		assess_web_score(sc, b->rows[i].has_score, b->rows[i].score);
		if (!b->rows[i].rank) /* not ranked: the branch was not in the system that month */
			snprintf(sc, sizeof sc, "未纳入考核");
		bool mine = b->rows[i].org_id == r->actor.org_id; /* a branch secretary finds its own place */
		buf_puts(&r->out, mine ? "<tr class=\"mine\">" : "<tr>");
		char rk[24] = "—";
		if (b->rows[i].rank)
			snprintf(rk, sizeof rk, "%lld", (long long)b->rows[i].rank);
		html_printf(&r->out, "<td data-label=\"名次\">%s</td><td data-label=\"支部\">%s%s</td><td data-label=\"综合得分\">%s</td></tr>", rk,
			    b->rows[i].org_name, mine ? "（本支部）" : "", sc);
	}
	buf_puts(&r->out, "</tbody></table></div></section>");
}

void assess_page_bulletin_draft(req *r)
{
	struct field_errors e = {0};
	char m8[16];
	const char *month = assess_web_month(r, m8);
	struct assess_bulletin b;
	enum dj_result res = assess_bulletin_draft(r->db, &r->actor, 0, month, now_unix(), &b, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "月通报（草稿）");
	assess_web_links(r);
	bulletin_body(r, &b);
	assess_bulletin_free(&b);
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">发布月通报</h2>");
	form_begin(r, "/assessment/bulletin");
	buf_puts(&r->out, "<input type=\"hidden\" name=\"month\" value=\"");
	html_escape(&r->out, month);
	buf_puts(&r->out, "\">");
	buf_puts(&r->out, "<div class=\"field\"><label for=\"f-remarks\">党委点评（可选）</label><textarea id=\"f-remarks\" name=\"remarks\" rows=\"4\">");
	html_escape(&r->out, form_value(r, "remarks", ""));
	buf_puts(&r->out, "</textarea>");
	const char *err = form_error_for(r, "remarks");
	if (!err)
		err = form_error_for(r, "month");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
	form_end(r, "发布（发布后各支部可见，数字固定）");
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

void assess_page_bulletin_publish(req *r)
{
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = assess_bulletin_publish(r->db, &r->actor, 0, req_form(r, "month"), req_form(r, "remarks"), now_unix(), &id, &e);
	if (res == DJ_INVALID) {
		form_errors_add(r, &e);
		assess_page_bulletin_draft(r);
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "月通报已发布");
	char loc[64];
	snprintf(loc, sizeof loc, "/assessment/bulletins/%lld", (long long)id);
	req_redirect(r, loc);
}

static void bulletin_li(void *ctx, const struct assess_bulletin *b)
{
	req *r = ctx;
	html_printf(&r->out, "<li><a href=\"/assessment/bulletins/%lld\">%s %s 月通报</a> <small>第 %lld 版</small></li>", (long long)b->id, b->org_name,
		    b->month, (long long)b->version);
}

void assess_page_bulletins(req *r)
{
	page_begin(r, "月通报");
	assess_web_links(r);
	buf_puts(&r->out, "<ul class=\"bulletin-list\">");
	assess_bulletins_each(r->db, &r->actor, bulletin_li, r);
	buf_puts(&r->out, "</ul>");
	page_end(r);
}

void assess_page_bulletin(req *r)
{
	struct assess_bulletin b;
	enum dj_result res = assess_bulletin_load(r->db, &r->actor, req_param_id(r, "id"), &b);
	if (res != DJ_OK) {
		req_fail(r, res, NULL);
		return;
	}
	page_begin(r, "月通报");
	assess_web_links(r);
	bulletin_body(r, &b);
	html_printf(&r->out,
		    "<p class=\"form-actions\"><a class=\"btn btn-primary\" id=\"bulletin-pdf\" href=\"/assessment/bulletins/%lld/pdf\">下载 PDF</a> "
		    "<a class=\"btn\" href=\"/assessment/bulletins/%lld/xlsx\">导出 Excel</a></p>",
		    (long long)b.id, (long long)b.id);
	assess_bulletin_free(&b);
	page_end(r);
}

void assess_page_quarter(req *r)
{
	struct field_errors e = {0};
	char q[16];
	const char *qq = req_query(r, "quarter");
	if (qq && *qq)
		snprintf(q, sizeof q, "%s", qq);
	else {
		char cur[16];
		assess_month_of(now_unix(), cur);
		int y = atoi(cur), m = atoi(cur + 5), qn = (m - 1) / 3; /* the quarter before this one */
		if (qn == 0)
			qn = 4, y--;
		snprintf(q, sizeof q, "%04d-Q%d", y % 10000, qn % 10);
	}
	struct assess_period_row *v;
	size_t n;
	enum dj_result res = assess_quarter(r->db, &r->actor, NULL, q, now_unix(), &v, &n, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "季度考核");
	assess_web_links(r);
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/assessment/quarter\"><div class=\"field\"><label for=\"f-q\">季度</label>"
		    "<input id=\"f-q\" name=\"quarter\" value=\"%s\" placeholder=\"2026-Q1\"></div><div class=\"form-actions\"><button class=\"btn "
		    "btn-primary\" type=\"submit\">查看</button></div></form>",
		    q);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards quarter-table\"><thead><tr><th>名次</th><th>支部</th><th>第一月</th>"
			  "<th>第二月</th><th>第三月</th><th>加分</th><th>扣分</th><th>季度得分</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		char m[3][32], t[32], rk[16] = "—";
		for (int k = 0; k < 3; k++)
			if (v[i].month[k] == -2)
				snprintf(m[k], sizeof m[k], "未纳入考核");
			else
				assess_web_score(m[k], v[i].month[k] >= 0, v[i].month[k]);
		if (v[i].not_assessed)
			snprintf(t, sizeof t, "未纳入考核");
		else
			assess_web_score(t, true, v[i].total), snprintf(rk, sizeof rk, "%d", v[i].rank);
		html_printf(
			&r->out,
			"<tr data-org=\"%s\"><td data-label=\"名次\">%s</td><td data-label=\"支部\">%s</td><td data-label=\"第一月\">%s</td>"
			"<td data-label=\"第二月\">%s</td><td data-label=\"第三月\">%s</td><td data-label=\"加分\">%lld</td><td data-label=\"扣分\">%lld</td>"
			"<td data-label=\"季度得分\">%s</td></tr>",
			v[i].org_code, rk, v[i].org_name, m[0], m[1], m[2], (long long)v[i].bonus, (long long)v[i].deduction, t);
	}
	buf_puts(&r->out, "</tbody></table></div>");
	free(v);
	page_end(r);
}

static void excellent_li(void *ctx, const struct assess_excellent_row *x)
{
	req *r = ctx;
	html_printf(&r->out, "<li>%s <small>%s %s</small></li>", x->org_name, x->period, x->note);
}

void assess_page_excellent(req *r)
{
	struct field_errors e = {0};
	enum dj_result res = assess_excellent_add(r->db, &r->actor, orgs_id_by_code(r->db, req_form(r, "org")), req_form(r, "period"), req_form(r, "note"),
						  now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "已评为优秀党支部");
	req_redirect(r, "/assessment/stars");
}

void assess_page_stars(req *r)
{
	struct field_errors e = {0};
	const char *ys = req_query(r, "year");
	char cur[16];
	assess_month_of(now_unix(), cur);
	int year = ys && *ys ? atoi(ys) : atoi(cur) - 1;
	if (req_is_post(r)) {
		int64_t version = 0;
		enum dj_result res = assess_stars_publish(r->db, &r->actor, atoi(req_form(r, "year") ? req_form(r, "year") : ""), now_unix(), &version,
							  &e);
		if (res != DJ_OK) {
			req_fail(r, res, &e);
			return;
		}
		flash_set(r, "ok", "评星定级结果已发布");
		req_redirect(r, "/assessment/stars");
		return;
	}
	struct assess_period_row *v;
	size_t n;
	struct assess_rules rules;
	enum dj_result res = assess_year(r->db, &r->actor, NULL, year, now_unix(), &v, &n, &rules, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "评星定级");
	assess_web_links(r);
	html_printf(
		&r->out,
		"<p class=\"lead\">%d 年度：总分 =（基础分 − 扣分）× %lld%% + 评议分 × %lld%%；%lld/%lld/%lld/%lld 分以上为五/四/三/二星，"
		"以下一星；五星支部不超过 %lld%%（同分时基础分高者在前，再按组织代码）。基础分为四个季度得分的平均；未评议的支部以基础分作评议分。</p>",
		year, (long long)rules.basic_pct, (long long)rules.eval_pct, (long long)rules.cut[0], (long long)rules.cut[1], (long long)rules.cut[2],
		(long long)rules.cut[3], (long long)rules.quota5);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards stars-table\"><thead><tr><th>名次</th><th>支部</th><th>基础分</th>"
			  "<th>扣分</th><th>评议分</th><th>总分</th><th>星级</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		char b[32], ev[32], t[32];
		assess_web_score(b, true, v[i].base), assess_web_score(ev, true, v[i].evaluation), assess_web_score(t, true, v[i].total);
		if (v[i].not_assessed) {
			html_printf(&r->out,
				    "<tr data-org=\"%s\" class=\"notin\"><td data-label=\"名次\">—</td><td data-label=\"支部\">%s</td><td colspan=\"5\" "
				    "data-label=\"星级\"><span class=\"badge\">未纳入考核</span>（本年度尚未纳入系统，不参加评星）</td></tr>",
				    v[i].org_code, v[i].org_name);
			continue;
		}
		html_printf(
			&r->out,
			"<tr data-org=\"%s\"><td data-label=\"名次\">%d</td><td data-label=\"支部\">%s</td><td data-label=\"基础分\">%s</td>"
			"<td data-label=\"扣分\">%lld</td><td data-label=\"评议分\">%s</td><td data-label=\"总分\">%s</td><td data-label=\"星级\">%d 星%s</td></tr>",
			v[i].org_code, v[i].rank, v[i].org_name, b, (long long)v[i].deduction, ev, t, v[i].stars, v[i].capped ? "（五星名额已满）" : "");
	}
	buf_puts(&r->out, "</tbody></table></div>");
	/* 优秀党支部 of the year, counted, and designated from the ranking above */
	char yp[16];
	snprintf(yp, sizeof yp, "%d", year);
	buf list = {0}, saved = r->out;
	r->out = list;
	int64_t excellent = 0;
	assess_excellent_each(r->db, &r->actor, yp, excellent_li, r, &excellent);
	list = r->out;
	r->out = saved;
	html_printf(&r->out,
		    "<section class=\"card\"><h2 class=\"card-title\">优秀党支部</h2><p id=\"excellent-count\">%d 年度共评选优秀党支部 %lld 个</p><ul>",
		    year, (long long)excellent);
	buf_puts(&r->out, buf_str(&list));
	buf_free(&list);
	buf_puts(&r->out, "</ul>");
	if (permission_allows(&perm_assess_manage, &r->actor) && n) {
		form_begin(r, "/assessment/excellent");
		const char **opts = calloc(2 * n + 1, sizeof *opts);
		for (size_t i = 0; i < n && opts; i++)
			opts[2 * i] = v[i].org_code, opts[2 * i + 1] = v[i].org_name;
		if (opts)
			form_select(r, "org", "支部（按排名）", opts, v[0].org_code);
		free(opts);
		form_input(r, "period", "评选期", "text", yp, NULL);
		form_input(r, "note", "说明", "text", "", "如 红色“七点半”优秀党支部");
		form_end(r, "评为优秀党支部");
	}
	buf_puts(&r->out, "</section>");
	free(v);
	if (permission_allows(&perm_assess_manage, &r->actor)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">确认并发布</h2>");
		form_begin(r, "/assessment/stars");
		char ybuf[16];
		snprintf(ybuf, sizeof ybuf, "%d", year);
		form_input(r, "year", "年度", "number", ybuf, NULL);
		form_end(r, "发布评星定级结果");
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
}

static void star_tr(void *ctx, const struct assess_star_row *x)
{
	req *r = ctx;
	char t[32];
	assess_web_score(t, true, x->total);
	char glyphs[32] = "";
	for (int64_t k = 0; k < x->stars && k < 5; k++)
		strcat(glyphs, "★");
	html_printf(
		&r->out,
		"<tr class=\"star-%s\"><td data-label=\"年度\">%lld</td><td data-label=\"星级\"><span class=\"star-glyphs\" aria-hidden=\"true\">%s</span> "
		"%lld 星</td><td data-label=\"总分\">%s</td>"
		"<td data-label=\"名次\">%lld</td><td data-label=\"变化\">%s</td></tr>",
		!x->has_prev    ? "new"
		: x->change > 0 ? "up"
		: x->change < 0 ? "down"
				: "same",
		(long long)x->year, glyphs, (long long)x->stars, t, (long long)x->rank,
		!x->has_prev    ? "—"
		: x->change > 0 ? "↑ 升星"
		: x->change < 0 ? "↓ 降星"
				: "持平");
}
static void rank_tr(void *ctx, const struct assess_rank_row *x)
{
	req *r = ctx;
	char sc[32];
	assess_web_score(sc, x->has_score, x->score);
	html_printf(
		&r->out,
		"<tr><td data-label=\"月份\"><a href=\"/assessment/bulletins/%lld\">%s</a></td><td data-label=\"名次\" class=\"rank\">第 %lld 名 / %lld</td>"
		"<td data-label=\"得分\">%s</td></tr>",
		(long long)x->bulletin_id, x->month, (long long)x->rank, (long long)x->of, sc);
}

void assess_page_branch(req *r)
{
	struct org_ref ref;
	struct org o;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_org_view, &ref))
		return;
	if (!org_load(r->db, ref.id, &o) || strcmp(o.type, "branch")) {
		struct field_errors e = {0};
		req_fail(r, DJ_NOT_FOUND, &e);
		return;
	}
	page_begin(r, "本支部考核");
	assess_web_links(r);
	html_printf(&r->out,
		    "<h2>%s</h2><h3>月通报排名</h3><div class=\"table-wrap\"><table class=\"table cards rank-table\"><thead><tr><th>月份</th>"
		    "<th>名次</th><th>得分</th></tr></thead><tbody>",
		    o.name);
	(void)assess_rank_history(r->db, &r->actor, o.id, rank_tr, r);
	buf_puts(&r->out,
		 "</tbody></table></div><h3>评星定级</h3><div class=\"table-wrap\"><table class=\"table cards star-history\"><thead><tr><th>年度</th>"
		 "<th>星级</th><th>总分</th><th>名次</th><th>变化</th></tr></thead><tbody>");
	(void)assess_star_history(r->db, &r->actor, o.id, star_tr, r);
	html_printf(&r->out, "</tbody></table></div><p><a href=\"/orgs/%lld\">本支部组织页面</a></p>", (long long)o.id);
	page_end(r);
}

/* ---- the section of a branch's own page (/orgs/:id, module.h org_section) ---- */

struct org_card {
	req *r;
	int ranks;
	int64_t org_id, excellent;
};
static void latest_rank(void *ctx, const struct assess_rank_row *x)
{
	struct org_card *c = ctx;
	if (c->ranks++)
		return; /* newest first: only the latest bulletin here */
	char sc[32];
	assess_web_score(sc, x->has_score, x->score);
	html_printf(
		&c->r->out,
		"<p id=\"org-rank\">最近一期月通报（<a href=\"/assessment/bulletins/%lld\">%s</a>）：<strong class=\"rank\">第 %lld 名</strong> / 共 %lld "
		"个支部，综合得分 %s</p>",
		(long long)x->bulletin_id, x->month, (long long)x->rank, (long long)x->of, sc);
}
static void excellent_of(void *ctx, const struct assess_excellent_row *x)
{
	struct org_card *c = ctx;
	if (x->org_id != c->org_id)
		return;
	buf_puts(&c->r->out, c->excellent++ ? " " : "<p class=\"excellent-titles\">优秀党支部：");
	html_printf(&c->r->out, "<span class=\"badge badge-red\">%s %s</span>", x->period, *x->note ? x->note : "优秀党支部");
}

void assess_org_section(req *r, const struct org *o)
{
	if (strcmp(o->type, "branch") || !(r->actor.role & R_STAFF) || !actor_covers(&r->actor, o->path))
		return; /* a 党支部's assessment, for the staff whose subtree holds it */
	html_printf(&r->out, "<section class=\"card org-assess\" id=\"org-assess\"><h2 class=\"card-title\">支部考核</h2>");
	struct org_card c = {r, 0, o->id, 0};
	(void)assess_rank_history(r->db, &r->actor, o->id, latest_rank, &c);
	if (!c.ranks)
		buf_puts(&r->out, "<p class=\"muted\">还没有已发布的月通报。</p>");
	int64_t n = 0;
	assess_excellent_each(r->db, &r->actor, NULL, excellent_of, &c, &n);
	if (c.excellent)
		buf_puts(&r->out, "</p>");
	buf_puts(&r->out, "<h3>评星定级</h3><div class=\"table-wrap\"><table class=\"table cards star-history\"><thead><tr><th>年度</th>"
			  "<th>星级</th><th>总分</th><th>名次</th><th>变化</th></tr></thead><tbody>");
	buf saved = r->out, rows = {0};
	r->out = rows;
	(void)assess_star_history(r->db, &r->actor, o->id, star_tr, r);
	rows = r->out;
	r->out = saved;
	buf_puts(&r->out, rows.len ? buf_str(&rows) : "<tr><td colspan=\"5\" class=\"muted\">还没有已发布的评星结果</td></tr>");
	buf_free(&rows);
	html_printf(&r->out, "</tbody></table></div><p><a href=\"/assessment/branch?org=%s\">历次月通报排名</a></p></section>", o->code);
}

static void rules_card(void *ctx, const struct assess_rules *x)
{
	req *r = ctx;
	html_printf(&r->out, "<section class=\"card\"><h2 class=\"card-title\">自 %s 起执行</h2><p>%s</p><ul>", x->valid_from, x->note);
	for (int i = 0; i < x->n; i++) {
		const struct assess_item_def *d = assess_item_def(x->item[i].item);
		html_printf(&r->out, "<li>%s：权重 %lld%%，%s，满分标准 %lld%s%s</li>", d ? d->label : x->item[i].item, (long long)x->item[i].weight,
			    strcmp(x->item[i].rule, "threshold") ? "按比例计分" : "达标得满分", (long long)x->item[i].full,
			    !strcmp(x->item[i].item, "points") ? " 分/人" : "%", d && !d->linked ? "（暂无数据：机制尚未接入）" : "");
	}
	html_printf(&r->out,
		    "</ul><p>季度：三个月权重 %lld:%lld:%lld；年度：（基础分 − 扣分）× %lld%% + 评议分 × %lld%%；分数线 %lld/%lld/%lld/%lld；五星不超过 "
		    "%lld%%。</p></section>",
		    (long long)x->q_w[0], (long long)x->q_w[1], (long long)x->q_w[2], (long long)x->basic_pct, (long long)x->eval_pct,
		    (long long)x->cut[0], (long long)x->cut[1], (long long)x->cut[2], (long long)x->cut[3], (long long)x->quota5);
}

static int64_t form_int(req *r, const char *name, int64_t dflt)
{
	const char *v = req_form(r, name);
	if (!v || !*v)
		return dflt;
	char *end;
	long long x = strtoll(v, &end, 10);
	return *end ? -1 : (int64_t)x;
}

void assess_page_rules(req *r)
{
	bool manage = permission_allows(&perm_assess_manage, &r->actor);
	struct assess_rules cur;
	char m8[16];
	assess_month_of(now_unix(), m8);
	if (!assess_rules_for(r->db, m8, &cur))
		memset(&cur, 0, sizeof cur);
	if (req_is_post(r) && manage) {
		struct assess_rules x = {0};
		struct field_errors e = {0};
		snprintf(x.valid_from, sizeof x.valid_from, "%s", req_form(r, "valid_from") ? req_form(r, "valid_from") : "");
		snprintf(x.note, sizeof x.note, "%s", req_form(r, "note") ? req_form(r, "note") : "");
		for (int k = 0; k < ASSESS_ITEMS; k++) {
			char f[48];
			snprintf(f, sizeof f, "w_%s", assess_item_defs[k].key);
			int64_t w = form_int(r, f, 0);
			if (w == 0)
				continue; /* weight 0: the item is left out of this version */
			snprintf(x.item[x.n].item, sizeof x.item[0].item, "%s", assess_item_defs[k].key);
			snprintf(f, sizeof f, "r_%s", assess_item_defs[k].key);
			snprintf(x.item[x.n].rule, sizeof x.item[0].rule, "%s", req_form(r, f) ? req_form(r, f) : "linear");
			snprintf(f, sizeof f, "f_%s", assess_item_defs[k].key);
			x.item[x.n].weight = w, x.item[x.n].full = form_int(r, f, 100);
			x.n++;
		}
		static const char *const qn[] = {"q_w1", "q_w2", "q_w3"}, *const cn[] = {"cut5", "cut4", "cut3", "cut2"};
		for (int k = 0; k < 3; k++)
			x.q_w[k] = form_int(r, qn[k], 1);
		for (int k = 0; k < 4; k++)
			x.cut[k] = form_int(r, cn[k], cur.cut[k]);
		x.basic_pct = form_int(r, "basic_pct", 70), x.eval_pct = form_int(r, "eval_pct", 30), x.quota5 = form_int(r, "quota5", 30);
		enum dj_result res = assess_rules_save(r->db, &r->actor, &x, now_unix(), NULL, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "新版本考核细则已保存");
			req_redirect(r, "/assessment/rules");
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, "考核细则");
	assess_web_links(r);
	buf_puts(&r->out, "<p class=\"lead\">细则按版本保存，新版本从其生效月份起适用；已发布的通报和评星结果不受影响。</p>");
	if (manage) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">新版本</h2>");
		form_begin(r, "/assessment/rules");
		char next[16];
		snprintf(next, sizeof next, "%s", m8);
		form_input(r, "valid_from", "生效月份", "month", form_value(r, "valid_from", next), NULL);
		form_input(r, "note", "说明", "text", form_value(r, "note", ""), NULL);
		static const char *const rules[] = {"linear", "按比例计分", "threshold", "达标得满分", NULL};
		for (int k = 0; k < ASSESS_ITEMS; k++) {
			int64_t w = 0, full = 100;
			const char *rule = "linear";
			for (int i = 0; i < cur.n; i++)
				if (!strcmp(cur.item[i].item, assess_item_defs[k].key))
					w = cur.item[i].weight, full = cur.item[i].full, rule = cur.item[i].rule;
			char f[48], v[24], label[160];
			snprintf(f, sizeof f, "w_%s", assess_item_defs[k].key);
			snprintf(v, sizeof v, "%lld", (long long)w);
			snprintf(label, sizeof label, "%s：权重（%%）", assess_item_defs[k].label);
			form_input(r, f, label, "number", form_value(r, f, v), NULL);
			snprintf(f, sizeof f, "r_%s", assess_item_defs[k].key);
			form_select(r, f, "计分规则", rules, form_value(r, f, rule));
			snprintf(f, sizeof f, "f_%s", assess_item_defs[k].key);
			snprintf(v, sizeof v, "%lld", (long long)full);
			form_input(r, f, !strcmp(assess_item_defs[k].key, "points") ? "满分标准（人均积分）" : "满分标准（%）", "number",
				   form_value(r, f, v), NULL);
		}
		const char *err = form_error_for(r, "weight");
		if (!err)
			err = form_error_for(r, "items");
		if (err)
			html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
		static const struct {
			const char *name, *label;
			int k;
		} nums[] = {{"q_w1", "季度第一月权重", 0},       {"q_w2", "季度第二月权重", 1},      {"q_w3", "季度第三月权重", 2},
			    {"basic_pct", "基础分比例（%）", 3}, {"eval_pct", "评议分比例（%）", 4}, {"cut5", "五星分数线", 5},
			    {"cut4", "四星分数线", 6},           {"cut3", "三星分数线", 7},          {"cut2", "二星分数线", 8},
			    {"quota5", "五星比例上限（%）", 9}};
		int64_t vals[10] = {cur.q_w[0], cur.q_w[1], cur.q_w[2], cur.basic_pct, cur.eval_pct,
				    cur.cut[0], cur.cut[1], cur.cut[2], cur.cut[3],    cur.quota5};
		for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
			char v[24];
			snprintf(v, sizeof v, "%lld", (long long)vals[nums[i].k]);
			form_input(r, nums[i].name, nums[i].label, "number", form_value(r, nums[i].name, v), NULL);
		}
		static const char *const more[] = {"q_w", "cutoffs", NULL}; /* the others show beside their inputs */
		for (int i = 0; more[i]; i++)
			if (form_error_for(r, more[i]))
				html_printf(&r->out, "<p class=\"field-error\">%s</p>", form_error_for(r, more[i]));
		form_end(r, "保存新版本");
		buf_puts(&r->out, "</section>");
	}
	assess_rules_each(r->db, rules_card, r);
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}
