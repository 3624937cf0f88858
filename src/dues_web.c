/* dues_web — the pages and the JSON API of 党费 (issue 18 §1–4, §6), and the
 * module record. Thin: authorise, parse, call dues.c, render. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "dues.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "dues_api.h"
#include "orgs_web.h"
#include "transfers.h"
#include "util.h"
#include "web.h"

static const char *const methods[] = {"cash", "现金", "transfer", "转账", "proxy", "代缴", NULL};

static const char *method_label(const char *m)
{
	for (const char *const *p = methods; m && *p; p += 2)
		if (!strcmp(p[0], m))
			return p[1];
	return m ? m : "";
}

static const char *status_label(const char *s)
{
	return !strcmp(s, "paid") ? "已缴" : !strcmp(s, "waived") ? "免缴" : !strcmp(s, "owing") ? "未缴" : !*s ? "未生成" : s;
}

static const char *status_badge(const char *s) { return !strcmp(s, "paid") ? " badge-green" : !strcmp(s, "owing") ? " badge-red" : " badge-grey"; }

/* The month of ?month= or the current one; the year of ?year= or this one. */
static void month_of_request(req *r, char out[8])
{
	const char *m = req_query(r, "month");
	if (m && dues_month_valid(m))
		snprintf(out, 8, "%s", m);
	else
		dues_month_of(now_unix(), out);
}

static void year_of_request(req *r, char out[5])
{
	const char *y = req_query(r, "year");
	char m[8];
	dues_month_of(now_unix(), m);
	snprintf(out, 5, "%.4s", y && strlen(y) == 4 && strspn(y, "0123456789") == 4 ? y : m);
}

/* ---- the ledger page (/dues) ---- */

struct page_ctx {
	req *r;
	int n;
};

static void ledger_row(void *ctx, const struct dues_ledger_row *l)
{
	struct page_ctx *c = ctx;
	char due[32], red[32], paid[32], owing[32];
	dues_fmt_yuan(l->t.due, due), dues_fmt_yuan(l->t.reduced, red), dues_fmt_yuan(l->t.paid, paid), dues_fmt_yuan(l->t.owing, owing);
	html_printf(&c->r->out,
		    "<tr><td data-label=\"组织\"><a href=\"/dues?org=%s\">%s</a></td><td data-label=\"人数\">%lld</td><td data-label=\"应缴\">%s</td>"
		    "<td data-label=\"减免\">%s</td><td data-label=\"已缴\">%s</td><td data-label=\"欠缴\">%s</td></tr>",
		    l->org_code, l->org_name, (long long)l->t.members, due, red, paid, owing);
	c->n++;
}

static void member_row(void *ctx, const struct dues_member_row *m)
{
	struct page_ctx *c = ctx;
	char base[32], owing[32];
	dues_fmt_yuan(dues_category_flat(m->category) ? m->flat_fen : m->base_fen, base);
	dues_fmt_yuan(m->owing_fen, owing);
	html_printf(
		&c->r->out,
		"<tr><td data-label=\"姓名\"><a href=\"/dues/members/%lld\">%s</a></td><td data-label=\"组织\">%s</td><td data-label=\"类别\">%s</td>"
		"<td data-label=\"基数\">%s</td><td data-label=\"本月\"><span class=\"badge%s\">%s</span></td><td data-label=\"欠缴\">%lld 个月 %s 元</td></tr>",
		(long long)m->id, m->name, m->org_name, *m->category ? dues_category_label(m->category) : "未登记", *m->category ? base : "—",
		status_badge(m->month_status), status_label(m->month_status), (long long)m->owing_months, owing);
	c->n++;
}

static void arrear_row(void *ctx, const struct dues_arrear *a)
{
	struct page_ctx *c = ctx;
	char owing[32];
	dues_fmt_yuan(a->owing_fen, owing);
	buf_puts(&c->r->out, a->flagged ? "<tr class=\"dues-flagged\">" : "<tr>"); /* markup from literals only */
	html_printf(&c->r->out,
		    "<td data-label=\"姓名\"><a href=\"/dues/members/%lld\">%s</a>%s</td><td data-label=\"组织\">%s</td>"
		    "<td data-label=\"欠缴月数\">%lld</td><td data-label=\"自\">%s</td><td data-label=\"金额\">%s 元</td></tr>",
		    (long long)a->member_id, a->name, a->flagged ? " ⚠ 连续6个月未缴" : "", a->org_name, (long long)a->months, a->first_month, owing);
	c->n++;
}

static void reduction_row(void *ctx, const struct dues_reduction *x)
{
	struct page_ctx *c = ctx;
	char amt[32];
	dues_fmt_yuan(x->amount_fen, amt);
	html_printf(&c->r->out, "<li><strong>%s</strong>（%s）%s %s 至 %s%s%s 元，理由：%s", x->member_name, x->org_name,
		    !strcmp(x->kind, "waive") ? "免缴" : "减缴", x->from_month, x->to_month, !strcmp(x->kind, "waive") ? "" : "，每月 ",
		    !strcmp(x->kind, "waive") ? "" : amt, x->reason);
	if (!strcmp(x->state, "requested") && permission_allows(&perm_dues_approve, &c->r->actor)) {
		html_printf(&c->r->out, "<form class=\"inline-form\" method=\"post\" action=\"/dues/reductions/%lld/decide\">", (long long)x->id);
		html_printf(&c->r->out, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", c->r->csrf);
		buf_puts(&c->r->out, "<button class=\"btn btn-primary\" name=\"approve\" value=\"1\" type=\"submit\">批准</button> "
				     "<button class=\"btn\" name=\"approve\" value=\"0\" type=\"submit\">不批准</button></form>");
	} else
		html_printf(&c->r->out, " <span class=\"badge\">%s</span>",
			    !strcmp(x->state, "requested")  ? "待审批"
			    : !strcmp(x->state, "approved") ? "已批准"
							    : "未批准");
	buf_puts(&c->r->out, "</li>");
	c->n++;
}

static void remit_row(void *ctx, const struct dues_remit_row *x)
{
	struct page_ctx *c = ctx;
	char amt[32];
	dues_fmt_yuan(x->amount_fen, amt);
	html_printf(&c->r->out, "<li>%s %s 上缴 %s 元（%lld 笔）%s</li>", x->remitted_on, x->org_name, amt, (long long)x->payments, x->note);
	c->n++;
}

static void dues_page(req *r)
{
	if (r->actor.role == R_MEMBER || r->actor.role == R_GRID) {
		req_redirect(r, "/dues/my");
		return;
	}
	struct org_ref o;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_dues_view, &o))
		return;
	char month[8], year[5];
	month_of_request(r, month);
	snprintf(year, sizeof year, "%.4s", month);
	struct field_errors e = {0};
	struct dues_totals tot;
	buf rows = {0};
	struct page_ctx c = {r, 0};
	/* the ledger's rows are written first, under the totals */
	buf keep = r->out;
	r->out = rows;
	enum dj_result res = dues_ledger(r->db, &r->actor, o.path, month, ledger_row, &c, &tot, &e);
	rows = r->out;
	r->out = keep;
	if (res != DJ_OK) {
		buf_free(&rows);
		req_fail(r, res, &e);
		return;
	}
	char title[200];
	snprintf(title, sizeof title, "党费台账 · %s", o.name);
	page_begin(r, title);
	char due[32], red[32], paid[32], owing[32], unrem[32];
	dues_fmt_yuan(tot.due, due), dues_fmt_yuan(tot.reduced, red), dues_fmt_yuan(tot.paid, paid), dues_fmt_yuan(tot.owing, owing);
	html_printf(
		&r->out,
		"<form class=\"filters\" method=\"get\" action=\"/dues\"><input type=\"hidden\" name=\"org\" value=\"%s\">"
		"<div class=\"field\"><label for=\"f-month\">月份</label><input id=\"f-month\" name=\"month\" type=\"month\" value=\"%s\"></div>"
		"<div class=\"form-actions\"><button class=\"btn\" type=\"submit\">查看</button>"
		"<a class=\"btn\" href=\"/dues/year?org=%s&amp;year=%s\">%s 年汇总</a>"
		"<a class=\"btn\" href=\"/dues/export.xlsx?org=%s&amp;year=%s\">导出 Excel</a><a class=\"btn\" href=\"/dues/rates\">党费标准</a></div></form>",
		o.code, month, o.code, year, year, o.code, year);
	html_printf(
		&r->out,
		"<div class=\"stats dues-totals\"><div class=\"stat\"><span class=\"stat-num\" id=\"dues-due\">%s</span><span class=\"stat-label\">%s 应缴</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" id=\"dues-reduced\">%s</span><span class=\"stat-label\">减免</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" id=\"dues-paid\">%s</span><span class=\"stat-label\">已缴</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" id=\"dues-owing\">%s</span><span class=\"stat-label\">欠缴</span></div></div>",
		due, month, red, paid, owing);
	buf_puts(&r->out, "<h2>按组织</h2><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>组织</th><th>人数</th><th>应缴</th>"
			  "<th>减免</th><th>已缴</th><th>欠缴</th></tr></thead><tbody>");
	buf_append(&r->out, rows.p ? rows.p : "", rows.len);
	buf_free(&rows);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!c.n)
		html_printf(&r->out, "<div class=\"empty\"><p>%s 还没有生成党费</p></div>", month);

	/* arrears, reductions, 上缴 */
	buf_puts(&r->out, "<h2>欠缴名单</h2><div class=\"table-wrap\"><table class=\"table cards\" id=\"arrears\"><thead><tr><th>姓名</th><th>组织</th>"
			  "<th>欠缴月数</th><th>自</th><th>金额</th></tr></thead><tbody>");
	c.n = 0;
	dues_arrears(r->db, &r->actor, o.path, now_unix(), arrear_row, &c, &e);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!c.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>没有欠缴党费的党员</p></div>");
	buf_puts(&r->out, "<h2>减免申请</h2><ul class=\"dues-list\">");
	c.n = 0;
	dues_reductions_each(r->db, &r->actor, NULL, reduction_row, &c);
	buf_puts(&r->out, "</ul>");
	if (!c.n)
		buf_puts(&r->out, "<p class=\"muted\">暂无减免申请</p>");
	int64_t unremitted = dues_unremitted(r->db, o.id);
	dues_fmt_yuan(unremitted, unrem);
	html_printf(&r->out, "<h2>上缴</h2><p>本支部已收未上缴：<strong id=\"dues-unremitted\">%s</strong> 元</p>", unrem);
	if (unremitted > 0 && permission_allows(&perm_dues_edit, &r->actor)) {
		form_begin(r, "/dues/remit");
		html_printf(&r->out, "<input type=\"hidden\" name=\"org\" value=\"%s\">", o.code);
		form_input(r, "note", "备注", "text", "", "如 交镇党委组织办");
		form_end(r, "上缴镇党委");
	}
	buf_puts(&r->out, "<ul class=\"dues-list\">");
	dues_remits_each(r->db, &r->actor, o.path, remit_row, &c);
	buf_puts(&r->out, "</ul>");

	if (permission_allows(&perm_dues_edit, &r->actor)) {
		/* a year's bases from the same kind of sheet the roster import reads */
		html_printf(
			&r->out,
			"<details class=\"card\"><summary>导入党费基数（.xlsx / .csv）</summary><form method=\"post\" action=\"/dues/import\" "
			"enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			"<div class=\"field\"><label for=\"f-year\">年份</label><input id=\"f-year\" name=\"year\" type=\"text\" value=\"%s\"></div>"
			"<div class=\"field\"><label for=\"f-file\">文件</label><input id=\"f-file\" name=\"file\" type=\"file\" accept=\".xlsx,.csv\">"
			"<p class=\"hint\">表头：身份证号、姓名、类别、月工资基数、起始月份（可选）</p></div>"
			"<div class=\"form-actions\"><button class=\"btn\" type=\"submit\">检查并导入</button></div></form></details>",
			r->csrf, year);
	}
	/* the members, folded: on a phone the list is long */
	buf_puts(
		&r->out,
		"<details class=\"card\" id=\"dues-members\"><summary>党员（收缴、登记基数、申请减免）</summary><div class=\"table-wrap\">"
		"<table class=\"table cards\"><thead><tr><th>姓名</th><th>组织</th><th>类别</th><th>基数（元）</th><th>本月</th><th>欠缴</th></tr></thead><tbody>");
	dues_roster(r->db, &r->actor, o.path, month, member_row, &c, &e);
	buf_puts(&r->out, "</tbody></table></div></details>");
	page_end(r);
}

static void dues_year_page(req *r)
{
	struct org_ref o;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_dues_view, &o))
		return;
	char year[5];
	year_of_request(r, year);
	struct dues_totals m[12];
	struct field_errors e = {0};
	enum dj_result res = dues_year(r->db, &r->actor, o.path, year, m, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char title[200];
	snprintf(title, sizeof title, "%s 年党费汇总 · %s", year, o.name);
	page_begin(r, title);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\" id=\"dues-year\"><thead><tr><th>月份</th><th>人数</th><th>应缴</th>"
			  "<th>减免</th><th>已缴</th><th>欠缴</th></tr></thead><tbody>");
	struct dues_totals t = {0};
	for (int i = 0; i < 12; i++) {
		char due[32], red[32], paid[32], owing[32];
		dues_fmt_yuan(m[i].due, due), dues_fmt_yuan(m[i].reduced, red), dues_fmt_yuan(m[i].paid, paid), dues_fmt_yuan(m[i].owing, owing);
		html_printf(
			&r->out,
			"<tr><td data-label=\"月份\"><a href=\"/dues?org=%s&amp;month=%s-%02d\">%d 月</a></td><td data-label=\"人数\">%lld</td>"
			"<td data-label=\"应缴\">%s</td><td data-label=\"减免\">%s</td><td data-label=\"已缴\">%s</td><td data-label=\"欠缴\">%s</td></tr>",
			o.code, year, i + 1, i + 1, (long long)m[i].members, due, red, paid, owing);
		t.due += m[i].due, t.reduced += m[i].reduced, t.paid += m[i].paid, t.owing += m[i].owing;
	}
	char due[32], red[32], paid[32], owing[32];
	dues_fmt_yuan(t.due, due), dues_fmt_yuan(t.reduced, red), dues_fmt_yuan(t.paid, paid), dues_fmt_yuan(t.owing, owing);
	html_printf(&r->out,
		    "<tr class=\"total\"><td data-label=\"合计\">全年</td><td></td><td data-label=\"应缴\" id=\"year-due\">%s</td>"
		    "<td data-label=\"减免\" id=\"year-reduced\">%s</td><td data-label=\"已缴\" id=\"year-paid\">%s</td>"
		    "<td data-label=\"欠缴\" id=\"year-owing\">%s</td></tr></tbody></table></div>",
		    due, red, paid, owing);
	html_printf(&r->out, "<p><a class=\"btn\" href=\"/dues/export.xlsx?org=%s&amp;year=%s\">导出 Excel</a></p>", o.code, year);
	page_end(r);
}

/* ---- a member's dues ---- */

struct months_ctx {
	req *r;
	int n, owing;
	bool staff;
};

static void month_row(void *ctx, const struct dues_month_row *m)
{
	struct months_ctx *c = ctx;
	char due[32], paid[32];
	dues_fmt_yuan(m->due_fen - m->reduced_fen, due), dues_fmt_yuan(m->paid_fen, paid);
	html_printf(&c->r->out, "<tr><td data-label=\"月份\">");
	if (c->staff && !strcmp(m->status, "owing")) {
		html_printf(&c->r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"months\" value=\"%s\"> %s</label>", m->month, m->month);
		c->owing++;
	} else
		html_printf(&c->r->out, "%s", m->month);
	html_printf(&c->r->out,
		    "</td><td data-label=\"应缴\">%s%s</td><td data-label=\"状态\"><span class=\"badge%s\">%s</span></td><td data-label=\"收据\">", due,
		    m->reduced_fen && m->due_fen != m->reduced_fen ? "（减缴）" : "", status_badge(m->status), status_label(m->status));
	if (m->payment_id)
		html_printf(&c->r->out, "<a href=\"/dues/receipts/%lld\">%s</a>", (long long)m->payment_id, m->receipt_no);
	buf_puts(&c->r->out, "</td></tr>");
	c->n++;
}

struct opt_ctx {
	req *r;
	int64_t skip;
};
static void payer_opt(void *ctx, const struct dues_member_row *m)
{
	struct opt_ctx *c = ctx;
	if (m->id != c->skip)
		html_printf(&c->r->out, "<option value=\"%lld\">%s（%s）</option>", (long long)m->id, m->name, m->org_name);
}

/* The member's year with the forms of a secretary: pay, base, reduction. */
static void member_dues_render(req *r, int64_t id, int status)
{
	char name[96], org_name[128], year[5];
	int64_t org_id;
	struct field_errors e = {0};
	enum dj_result res = dues_member_brief(r->db, &r->actor, id, name, org_name, &org_id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	year_of_request(r, year);
	bool staff = permission_allows(&perm_dues_edit, &r->actor);
	char title[200];
	snprintf(title, sizeof title, "%s的党费", name);
	page_begin(r, title);
	r->status = status;
	char paid_to[8];
	dues_paid_to(r->db, id, paid_to);
	html_printf(&r->out, "<p class=\"lead\">%s · %s 年 · 党费交至：<strong id=\"paid-to\">%s</strong></p>", org_name, year, *paid_to ? paid_to : "—");
	char prev[16], next[16];
	snprintf(prev, sizeof prev, "%04d", atoi(year) - 1), snprintf(next, sizeof next, "%04d", atoi(year) + 1);
	if (staff)
		html_printf(&r->out,
			    "<nav class=\"pager\"><a href=\"/dues/members/%lld?year=%s\">%s 年</a><a href=\"/dues/members/%lld?year=%s\">%s 年</a></nav>",
			    (long long)id, prev, prev, (long long)id, next, next);
	else
		html_printf(&r->out, "<nav class=\"pager\"><a href=\"/dues/my?year=%s\">%s 年</a><a href=\"/dues/my?year=%s\">%s 年</a></nav>", prev, prev,
			    next, next);
	if (staff) {
		html_printf(&r->out, "<form method=\"post\" action=\"/dues/members/%lld/pay\" class=\"dues-pay\">", (long long)id);
		html_printf(&r->out, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", r->csrf);
	}
	buf_puts(&r->out,
		 "<div class=\"table-wrap\"><table class=\"table cards\" id=\"dues-months\"><thead><tr><th>月份</th><th>应缴（元）</th><th>状态</th>"
		 "<th>收据</th></tr></thead><tbody>");
	struct months_ctx c = {r, 0, 0, staff};
	dues_member_months(r->db, &r->actor, id, year, month_row, &c, &e);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!c.n)
		html_printf(&r->out, "<div class=\"empty\"><p>%s 年还没有党费记录</p></div>", year);
	if (staff) {
		const char *err = form_error_for(r, "months");
		if (err)
			html_printf(&r->out, "<p class=\"field-error\" id=\"e-months\">%s</p>", err);
		if (c.owing) {
			form_select(r, "method", "缴纳方式", methods, form_value(r, "method", "cash"));
			buf_puts(&r->out,
				 "<div class=\"field\"><label for=\"f-payer\">代缴人（代缴时选择）</label><select id=\"f-payer\" name=\"payer_member_id\">"
				 "<option value=\"\">—</option>");
			struct opt_ctx oc = {r, id};
			char path[256] = "";
			struct org_ref o;
			(void)o;
			db_stmt *s = db_query(r->db,
					      "SELECT CASE WHEN type = 'group' THEN (SELECT p.path FROM orgs p WHERE p.id = orgs.parent_id) ELSE path END "
					      "FROM orgs WHERE id = ?",
					      "I", org_id);
			if (db_next(s))
				snprintf(path, sizeof path, "%s", db_str(s, 0));
			db_done(s);
			struct field_errors e2 = {0};
			char cur[8];
			dues_month_of(now_unix(), cur);
			dues_roster(r->db, &r->actor, path, cur, payer_opt, &oc, &e2);
			buf_puts(&r->out, "</select>");
			if ((err = form_error_for(r, "payer_member_id")))
				html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
			buf_puts(&r->out, "</div>");
			form_input(r, "amount", "金额（元，可不填：按所选月份应缴合计）", "text", form_value(r, "amount", ""), NULL);
			buf_puts(&r->out, "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">收缴所选月份</button></div>");
		}
		buf_puts(&r->out, "</form>");
		if ((err = form_error_for(r, "_form")))
			html_printf(&r->out, "<p class=\"field-error\" id=\"e-form\">%s</p>", err);

		char cur[8];
		dues_month_of(now_unix(), cur);
		html_printf(&r->out, "<details class=\"card\"%s><summary>登记党费基数</summary>", form_error_for(r, "base") ? " open" : "");
		char act[64];
		snprintf(act, sizeof act, "/dues/members/%lld/base", (long long)id);
		form_begin(r, act);
		form_input(r, "since", "起始月份", "month", form_value(r, "since", cur), NULL);
		form_select(r, "category", "类别", dues_categories, form_value(r, "category", "in_service"));
		form_input(r, "base", "月工资基数（税后，元）", "text", form_value(r, "base", ""), "农民、学生、下岗失业党员填每月定额 0.2–1 元");
		form_end(r, "保存基数");
		buf_puts(&r->out, "</details>");
		html_printf(&r->out, "<details class=\"card\"%s><summary>申请减免</summary>", form_error_for(r, "reason") ? " open" : "");
		snprintf(act, sizeof act, "/dues/members/%lld/reduce", (long long)id);
		form_begin(r, act);
		static const char *const kinds[] = {"waive", "免缴", "reduce", "减缴", NULL};
		form_select(r, "kind", "类型", kinds, form_value(r, "kind", "waive"));
		form_input(r, "from", "起始月份", "month", form_value(r, "from", cur), NULL);
		form_input(r, "to", "截止月份", "month", form_value(r, "to", cur), NULL);
		form_input(r, "amount", "减缴后每月金额（元）", "text", form_value(r, "amount", ""), "免缴不填");
		form_input(r, "reason", "理由", "text", form_value(r, "reason", ""), NULL);
		form_end(r, "提交镇党委审批");
		buf_puts(&r->out, "</details>");
	}
	page_end(r);
}

static void member_dues_page(req *r) { member_dues_render(r, req_param_id(r, "id"), 200); }

static void my_dues_page(req *r)
{
	int64_t id = dues_member_of_user(r->db, r->actor.user_id);
	if (!id) {
		page_begin(r, "我的党费");
		buf_puts(&r->out, "<div class=\"empty\"><p>您的账号没有关联花名册中的党员</p></div>");
		page_end(r);
		return;
	}
	member_dues_render(r, id, 200);
}

/* A month list from the form's repeated "months" fields. */
static int form_months(req *r, const char **out, int max)
{
	int n = 0;
	for (size_t i = 0; i < r->form.n && n < max; i++)
		if (!strcmp(r->form.v[i].key, "months"))
			out[n++] = r->form.v[i].val;
	return n;
}

static void member_pay_post(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct dues_pay p = {0};
	p.member_id = id;
	p.nmonths = form_months(r, p.months, 24);
	p.method = req_form(r, "method");
	p.payer_member_id = parse_id(req_form(r, "payer_member_id"));
	struct field_errors e = {0};
	int64_t pid = 0;
	enum dj_result res = DJ_INVALID;
	if (dues_money_field(req_form(r, "amount"), "amount", "金额", &p.amount_fen, &e))
		res = dues_pay(r->db, &r->actor, &p, &pid, &e);
	if (res == DJ_OK) {
		flash_set(r, "ok", "党费已收缴，收据已生成");
		char to[64];
		snprintf(to, sizeof to, "/dues/receipts/%lld", (long long)pid);
		req_redirect(r, to);
		return;
	}
	if (res == DJ_NOT_FOUND || res == DJ_FORBIDDEN || res == DJ_DB_ERROR) {
		req_fail(r, res, &e);
		return;
	}
	r->failed = true;
	form_errors_add(r, &e);
	member_dues_render(r, id, dj_result_status(res));
}

static void member_base_post(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct field_errors e = {0};
	int64_t fen = 0;
	const char *cat = req_form(r, "category");
	const char *v = req_form(r, "base");
	enum dj_result res = DJ_INVALID;
	if (v && *v == '-')
		ferr_add(&e, "base", "月工资基数不能为负数");
	else if (!v || !dues_parse_yuan(v, &fen))
		ferr_add(&e, "base", "月工资基数：请填写金额（元），如 4500 或 4500.50");
	else
		res = dues_base_set(r->db, &r->actor, id, req_form(r, "since"), cat, dues_category_flat(cat) ? 0 : fen, dues_category_flat(cat) ? fen : 0,
				    &e);
	if (res == DJ_OK) {
		flash_set(r, "ok", "党费基数已保存");
		char to[64];
		snprintf(to, sizeof to, "/dues/members/%lld", (long long)id);
		req_redirect(r, to);
		return;
	}
	if (res == DJ_NOT_FOUND || res == DJ_FORBIDDEN || res == DJ_DB_ERROR) {
		req_fail(r, res, &e);
		return;
	}
	r->failed = true;
	form_errors_add(r, &e);
	member_dues_render(r, id, dj_result_status(res));
}

static void member_reduce_post(req *r)
{
	int64_t id = req_param_id(r, "id"), rid = 0, fen = 0;
	struct field_errors e = {0};
	enum dj_result res = DJ_INVALID;
	if (dues_money_field(req_form(r, "amount"), "amount", "减缴后每月金额", &fen, &e))
		res = dues_reduction_request(r->db, &r->actor, id, req_form(r, "from"), req_form(r, "to"), req_form(r, "kind"), fen, req_form(r, "reason"),
					     &rid, &e);
	if (res == DJ_OK) {
		flash_set(r, "ok", "减免申请已提交镇党委审批");
		char to[64];
		snprintf(to, sizeof to, "/dues/members/%lld", (long long)id);
		req_redirect(r, to);
		return;
	}
	if (res == DJ_NOT_FOUND || res == DJ_FORBIDDEN || res == DJ_DB_ERROR) {
		req_fail(r, res, &e);
		return;
	}
	r->failed = true;
	form_errors_add(r, &e);
	member_dues_render(r, id, dj_result_status(res));
}

static void reduction_decide_post(req *r)
{
	struct field_errors e = {0};
	const char *ap = req_form(r, "approve");
	enum dj_result res = dues_reduction_decide(r->db, &r->actor, req_param_id(r, "id"), ap && !strcmp(ap, "1"), req_form(r, "note"), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", ap && !strcmp(ap, "1") ? "已批准减免" : "已不批准减免");
	req_redirect(r, "/dues");
}

static void remit_post(req *r)
{
	struct org_ref o;
	if (!orgs_from_request(r, req_form(r, "org"), &perm_dues_edit, &o))
		return;
	struct field_errors e = {0};
	int64_t rid, amount;
	enum dj_result res = dues_remit(r->db, &r->actor, o.id, req_form(r, "note"), &rid, &amount, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char y[32], msg[80];
	dues_fmt_yuan(amount, y);
	snprintf(msg, sizeof msg, "已上缴 %s 元", y);
	flash_set(r, "ok", msg);
	char to[120];
	snprintf(to, sizeof to, "/dues?org=%s", o.code);
	req_redirect(r, to);
}

/* A year's bases from a sheet: all rows or none; the report lists every bad row. */
static void import_post(req *r)
{
	const kv *file = req_form_kv(r, "file");
	struct field_errors e = {0};
	if (!file || !file->filename || !file->len) {
		ferr_add(&e, "file", "请选择要导入的 .xlsx 或 .csv 文件");
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	struct dues_import im;
	enum dj_result res = dues_import_bases(r->db, &r->actor, req_form(r, "year"), file->val, file->len, &im, &e);
	if (res == DJ_OK) {
		char msg[80];
		snprintf(msg, sizeof msg, "已导入 %d 名党员的党费基数", im.written);
		dues_import_free(&im);
		flash_set(r, "ok", msg);
		req_redirect(r, "/dues");
		return;
	}
	if (res != DJ_INVALID) {
		dues_import_free(&im);
		req_fail(r, res, &e);
		return;
	}
	r->failed = true;
	page_begin(r, "导入党费基数");
	r->status = 422;
	html_printf(&r->out, "<div class=\"form-error\" role=\"alert\">%s：%s</div>", file->filename,
		    *im.file_error ? im.file_error : dj_message(res, &e));
	if (im.nproblems) {
		html_printf(&r->out, "<p>共 %d 行，%zu 处问题；没有导入任何数据，请修改后重新上传。</p>", im.rows, im.total_problems);
		buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\" id=\"import-problems\"><thead><tr><th>行号</th><th>列</th>"
				  "<th>原因</th></tr></thead><tbody>");
		for (size_t i = 0; i < im.nproblems; i++)
			html_printf(&r->out, "<tr><td data-label=\"行号\">%d</td><td data-label=\"列\">%s</td><td data-label=\"原因\">%s</td></tr>",
				    im.problems[i].row, im.problems[i].column, im.problems[i].reason);
		buf_puts(&r->out, "</tbody></table></div>");
	}
	buf_puts(&r->out, "<p><a class=\"btn\" href=\"/dues\">返回党费台账</a></p>");
	dues_import_free(&im);
	page_end(r);
}

/* The receipt, styled for print, and its PDF to download (receipt_pdf). */
static void receipt_page(req *r)
{
	struct dues_receipt x;
	struct field_errors e = {0};
	enum dj_result res = dues_receipt_load(r->db, &r->actor, req_param_id(r, "id"), &x, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "党费收据");
	char y[32], at[20];
	dues_fmt_yuan(x.amount_fen, y);
	fmt_time(x.at, at);
	html_printf(
		&r->out,
		"<div class=\"receipt card\" id=\"receipt\"><h2>中国共产党党费收据</h2><p class=\"receipt-no\">No. <strong>%s</strong></p>"
		"<dl class=\"receipt-fields\"><dt>党员</dt><dd>%s</dd><dt>所在支部</dt><dd>%s</dd><dt>所缴月份</dt><dd>%s</dd>"
		"<dt>金额</dt><dd><strong>¥%s</strong></dd><dt>缴纳方式</dt><dd>%s%s%s</dd><dt>缴纳日期</dt><dd>%s</dd><dt>经办人</dt><dd>%s（%s）</dd></dl>"
		"<p class=\"muted\">本收据由陈集镇党建工作平台生成，凭收据编号可查。</p></div>",
		x.receipt_no, x.member_name, x.org_name, x.months, y, method_label(x.method), *x.payer_name ? "，代缴人：" : "", x.payer_name, x.paid_on,
		x.by, at);
	html_printf(&r->out,
		    "<p class=\"no-print\"><a class=\"btn btn-primary\" id=\"receipt-pdf\" href=\"/dues/receipts/%lld/receipt.pdf\">下载收据 PDF</a> "
		    "<button class=\"btn\" type=\"button\" data-print>打印收据</button></p>",
		    (long long)x.id);
	page_end(r);
}

/* The receipt as a PDF (pdf.h), for the page and the API alike. */
static void receipt_pdf(req *r)
{
	buf pdf = {0};
	char no[24] = "";
	struct field_errors e = {0};
	enum dj_result res = dues_receipt_pdf(r->db, &r->actor, req_param_id(r, "id"), &pdf, no, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else {
		char ascii[64], name[96];
		snprintf(ascii, sizeof ascii, "receipt-%s.pdf", no);
		snprintf(name, sizeof name, "党费收据-%s.pdf", no);
		req_send_attachment(r, &pdf, "application/pdf", ascii, name);
	}
	buf_free(&pdf);
}

struct dues_download {
	req *r;
	const char *path, *year;
};
static enum dj_result write_dues(const char *file, void *ctx, struct field_errors *e)
{
	struct dues_download *x = ctx;
	int64_t rows;
	return dues_export(x->r->db, &x->r->actor, x->path, x->year, file, &rows, e);
}

static void dues_export_xlsx(req *r)
{
	struct org_ref o;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_dues_view, &o))
		return;
	char year[5];
	year_of_request(r, year);
	struct dues_download x = {r, o.path, year};
	char ascii[96], name[300];
	snprintf(ascii, sizeof ascii, "dues-%s-%s.xlsx", o.code, year);
	snprintf(name, sizeof name, "%s-%s年党费台账.xlsx", o.name, year);
	req_send_download(r, write_dues, &x, XLSX_TYPE, ascii, name);
}

/* ---- the standard rates (党费标准): every version, and a new one by the committee ---- */

static void rate_row_html(void *ctx, const struct dues_rate *x)
{
	req *r = ctx;
	char a[32], b[32], c[32], ra[32], fmin[32], fmax[32];
	dues_fmt_yuan(x->s1_upto, a), dues_fmt_yuan(x->s2_upto, b), dues_fmt_yuan(x->s3_upto, c), dues_fmt_yuan(x->r1_upto, ra);
	dues_fmt_yuan(x->flat_min, fmin), dues_fmt_yuan(x->flat_max, fmax);
	html_printf(
		&r->out,
		"<tr><td data-label=\"起用日期\">%s</td><td data-label=\"在职\">≤%s 元 %lld.%02lld%%；≤%s 元 %lld.%02lld%%；≤%s 元 %lld.%02lld%%；以上 %lld.%02lld%%</td>"
		"<td data-label=\"离退休\">≤%s 元 %lld.%02lld%%；以上 %lld.%02lld%%</td><td data-label=\"定额\">%s–%s 元</td></tr>",
		x->since, a, (long long)x->s1_bp / 100, (long long)x->s1_bp % 100, b, (long long)x->s2_bp / 100, (long long)x->s2_bp % 100, c,
		(long long)x->s3_bp / 100, (long long)x->s3_bp % 100, (long long)x->s4_bp / 100, (long long)x->s4_bp % 100, ra, (long long)x->r1_bp / 100,
		(long long)x->r1_bp % 100, (long long)x->r2_bp / 100, (long long)x->r2_bp % 100, fmin, fmax);
}

/* A percentage typed as "1.5" into basis points; false when it is not one. */
static bool percent_bp(const char *v, int64_t *bp)
{
	int64_t fen;
	if (!dues_parse_yuan(v, &fen)) /* the same digits: two decimals at most */
		return false;
	*bp = fen;
	return true;
}

static void rates_render(req *r, int status)
{
	page_begin(r, "党费标准");
	r->status = status;
	buf_puts(
		&r->out,
		"<p class=\"lead\">按月工资收入（税后）的比例交纳；离退休党员另有档次；农民、学生、下岗失业党员每月定额。每一版自起用日期起适用于以后的月份。</p>"
		"<div class=\"table-wrap\"><table class=\"table cards\" id=\"rates\"><thead><tr><th>起用日期</th><th>在职</th><th>离退休</th><th>定额</th>"
		"</tr></thead><tbody>");
	dues_rates_each(r->db, rate_row_html, r);
	buf_puts(&r->out, "</tbody></table></div>");
	if (permission_allows(&perm_dues_approve, &r->actor)) {
		buf_puts(&r->out, "<details class=\"card\"><summary>新增一版党费标准</summary>");
		form_begin(r, "/dues/rates");
		form_input(r, "since", "起用日期", "date", form_value(r, "since", ""), NULL);
		const char *f[][3] = {
			{"s1_upto", "第一档上限（元）", "3000"}, {"s1_pct", "第一档比例（%）", "0.5"},      {"s2_upto", "第二档上限（元）", "5000"},
			{"s2_pct", "第二档比例（%）", "1"},      {"s3_upto", "第三档上限（元）", "10000"},  {"s3_pct", "第三档比例（%）", "1.5"},
			{"s4_pct", "以上比例（%）", "2"},        {"r1_upto", "离退休档上限（元）", "5000"}, {"r1_pct", "离退休一档比例（%）", "0.5"},
			{"r2_pct", "离退休以上比例（%）", "1"},  {"flat_min", "定额下限（元）", "0.2"},     {"flat_max", "定额上限（元）", "1"}};
		for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
			form_input(r, f[i][0], f[i][1], "text", form_value(r, f[i][0], f[i][2]), NULL);
		form_end(r, "保存");
		buf_puts(&r->out, "</details>");
	}
	page_end(r);
}

static void rates_page(req *r) { rates_render(r, 200); }

static void rates_post(req *r)
{
	struct dues_rate x = {0};
	struct field_errors e = {0};
	const char *since = req_form(r, "since");
	snprintf(x.since, sizeof x.since, "%s", since && strlen(since) == 10 ? since : "");
	struct {
		const char *name;
		int64_t *out;
		bool pct;
	} v[] = {{"s1_upto", &x.s1_upto, false}, {"s1_pct", &x.s1_bp, true}, {"s2_upto", &x.s2_upto, false},   {"s2_pct", &x.s2_bp, true},
		 {"s3_upto", &x.s3_upto, false}, {"s3_pct", &x.s3_bp, true}, {"s4_pct", &x.s4_bp, true},       {"r1_upto", &x.r1_upto, false},
		 {"r1_pct", &x.r1_bp, true},     {"r2_pct", &x.r2_bp, true}, {"flat_min", &x.flat_min, false}, {"flat_max", &x.flat_max, false}};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		const char *val = req_form(r, v[i].name);
		if (!(v[i].pct ? percent_bp(val, v[i].out) : dues_parse_yuan(val, v[i].out)))
			ferr_add(&e, v[i].name, "请填写数字，最多两位小数");
	}
	enum dj_result res = e.n ? DJ_INVALID : dues_rate_add(r->db, &r->actor, &x, &e);
	if (res == DJ_OK) {
		flash_set(r, "ok", "新一版党费标准已保存");
		req_redirect(r, "/dues/rates");
		return;
	}
	if (res == DJ_FORBIDDEN || res == DJ_DB_ERROR) {
		req_fail(r, res, &e);
		return;
	}
	r->failed = true;
	form_errors_add(r, &e);
	if (ferr_get(&e, "_form"))
		form_error(r, "since", ferr_get(&e, "_form"));
	rates_render(r, dj_result_status(res));
}

/* ---- the module record (module.h) ---- */

static int dues_tick(db *d, int64_t now) { return dues_task(d, now); }

static const route dues_routes[] = {
	{"GET", "/dues", dues_page, R_STAFF | R_MEMBER | R_GRID, 0, 0, "dues"},
	{"GET", "/dues/my", my_dues_page, R_ANY, 0, 0, "dues_my"},
	{"GET", "/dues/rates", rates_page, R_STAFF, 0, 0, "dues_rates"},
	{"POST", "/dues/rates", rates_post, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "dues_rates"},
	{"GET", "/dues/year", dues_year_page, R_STAFF, 0, 0, "dues_year"},
	{"GET", "/dues/export.xlsx", dues_export_xlsx, R_STAFF, RF_WRITE, 0, "dues_export"},
	{"GET", "/dues/members/:id", member_dues_page, R_STAFF, 0, 0, "dues_member"},
	{"POST", "/dues/members/:id/pay", member_pay_post, R_STAFF, 0, 8 * KiB, "dues_pay"},
	{"POST", "/dues/members/:id/base", member_base_post, R_STAFF, 0, 4 * KiB, "dues_base"},
	{"POST", "/dues/members/:id/reduce", member_reduce_post, R_STAFF, 0, 4 * KiB, "dues_reduce"},
	{"POST", "/dues/reductions/:id/decide", reduction_decide_post, R_STAFF, 0, 4 * KiB, "dues_decide"},
	{"POST", "/dues/import", import_post, R_STAFF, 0, 12 * 1024 * KiB, "dues_import"},
	{"POST", "/dues/remit", remit_post, R_STAFF, 0, 4 * KiB, "dues_remit"},
	{"GET", "/dues/receipts/:id", receipt_page, R_ANY, 0, 0, "dues_receipt"},
	{"GET", "/dues/receipts/:id/receipt.pdf", receipt_pdf, R_ANY, 0, 0, "dues_receipt_pdf"},
	{"GET", "/api/v1/dues/rates", api_rates, R_ANY, RF_API, 0, "api_dues_rates"},
	{"POST", "/api/v1/dues/rates", api_rate_add, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_dues_rates"},
	{"POST", "/api/v1/dues/bases", api_base, R_STAFF, RF_API, 4 * KiB, "api_dues_base"},
	{"POST", "/api/v1/dues/generate", api_generate, R_STAFF, RF_API, 4 * KiB, "api_dues_generate"},
	{"GET", "/api/v1/dues/mine", api_my_months, R_ANY, RF_API, 0, "api_dues_mine"},
	{"GET", "/api/v1/dues/members/:id", api_member_months, R_ANY, RF_API, 0, "api_dues_member"},
	{"POST", "/api/v1/dues/payments", api_pay, R_STAFF, RF_API, 8 * KiB, "api_dues_pay"},
	{"GET", "/api/v1/dues/payments/:id", api_receipt, R_ANY, RF_API, 0, "api_dues_receipt"},
	{"GET", "/api/v1/dues/payments/:id/receipt.pdf", receipt_pdf, R_ANY, RF_API, 0, "api_dues_receipt_pdf"},
	{"POST", "/api/v1/dues/reductions", api_reduce, R_STAFF, RF_API, 4 * KiB, "api_dues_reduce"},
	{"POST", "/api/v1/dues/reductions/:id/decision", api_decide, R_STAFF, RF_API, 4 * KiB, "api_dues_decide"},
	{"GET", "/api/v1/dues/ledger", api_ledger, R_STAFF, RF_API, 0, "api_dues_ledger"},
	{"GET", "/api/v1/dues/arrears", api_arrears, R_STAFF, RF_API, 0, "api_dues_arrears"},
	{"POST", "/api/v1/dues/remits", api_remit, R_STAFF, RF_API, 4 * KiB, "api_dues_remit"},
};
static const struct nav_entry dues_nav[] = {
	{"/dues", "党费", R_ADMIN | R_COMMITTEE | R_BRANCH, 40, NAV_PARTY},
	{"/dues/my", "我的党费", R_MEMBER | R_GRID, 40, NAV_PARTY},
};
static const struct background_task dues_tasks[] = {
	{"dues_monthly", dues_tick}, /* this month's dues for everyone; the six-month flags (SPEC M12) */
};
static const struct entity_link dues_entities[] = {{"dues_payment", "/dues/receipts/"}, {"dues_member", "/dues/members/"}};
static const struct permission *const dues_perms[] = {&perm_dues_view, &perm_dues_edit, &perm_dues_approve};
const struct module dues_module = {
	.name = "dues",
	.routes = dues_routes,
	.routes_n = COUNT_OF(dues_routes),
	.nav = dues_nav,
	.nav_n = COUNT_OF(dues_nav),
	.tasks = dues_tasks,
	.tasks_n = COUNT_OF(dues_tasks),
	.permissions = dues_perms,
	.permissions_n = COUNT_OF(dues_perms),
	.entities = dues_entities,
	.entities_n = COUNT_OF(dues_entities),
	.demo = demo_dues,
	.figures = dues_figures,
	.figures_n = DUES_FIGURES_N,
};
