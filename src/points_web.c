/* points_web — the pages of party-member points (issue 11):
 * 我的积分 (year total, rank in the branch, every entry with its source
 * linked), a member's points for the staff (with corrections), the branch's
 * ranking per year and month (and as .xlsx), the town's ranking of branches,
 * the rules with their versions, the adjustments queue; and the module
 * record (the API's handlers are in points_api.c). Thin: every decision is
 * in points.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "figures.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "orgs_web.h"
#include "points.h"
#include "points_api.h"
#include "util.h"
#include "web.h"

#define RANK_PAGE 100

static int this_year(void) { return points_year_of(now_unix()); }

static const char *signed_points(int64_t p, char out[24])
{
	snprintf(out, 24, p > 0 ? "+%lld" : p < 0 ? "−%lld" : "%lld", (long long)(p < 0 ? -p : p));
	return out;
}

static const char *points_badge(int64_t p) { return p > 0 ? "badge badge-green" : p < 0 ? "badge badge-red" : "badge badge-grey"; }

static void date_only(int64_t t, char out[20])
{
	fmt_time(t, out);
	out[10] = 0;
}

/* ---- a member's points ---- */

struct hist {
	req *r;
	buf rows;
	bool staff; /* show the correction form */
	int n;
};

static void source_link(buf *b, const struct points_entry *en, bool staff)
{
	const char *prefix = entity_href_prefix(en->source_kind);
	if (!strcmp(en->source_kind, "adjustment")) {
		if (staff)
			html_printf(b, "<a href=\"/points/adjustments#adj-%lld\">人工调整 #%lld</a>", (long long)en->source_id, (long long)en->source_id);
		else
			html_printf(b, "人工调整 #%lld", (long long)en->source_id);
	} else if (*prefix && *en->source_label)
		html_printf(b, "<a class=\"points-source\" href=\"%s%lld\">%s %s</a>", prefix, (long long)en->source_id,
			    !strcmp(en->source_kind, "order") ? "诉求" : en->source_kind, en->source_label);
	else if (*prefix)
		html_printf(b, "<a class=\"points-source\" href=\"%s%lld\">%s #%lld</a>", prefix, (long long)en->source_id,
			    !strcmp(en->source_kind, "order") ? "诉求" : en->source_kind, (long long)en->source_id);
	else
		html_printf(b, "%s #%lld", en->source_kind, (long long)en->source_id);
}

static void hist_row(void *ctx, const struct points_entry *en)
{
	struct hist *h = ctx;
	char day[20], p[24], rp[24];
	date_only(en->at, day);
	html_printf(&h->rows, "<tr id=\"entry-%lld\"><td data-label=\"日期\">%s</td><td data-label=\"事项\">%s", (long long)en->id, day,
		    points_event_label(en->code));
	if (!strcmp(en->kind, "correction"))
		html_printf(&h->rows, " <span class=\"badge\">更正 <a href=\"#entry-%lld\">#%lld</a></span>", (long long)en->corrects_id,
			    (long long)en->corrects_id);
	if (en->qty > 1)
		html_printf(&h->rows, " ×%lld", (long long)en->qty);
	html_printf(&h->rows, "</td><td data-label=\"积分\"><span class=\"%s\">%s</span>", points_badge(en->points), signed_points(en->points, p));
	if (!strcmp(en->kind, "award") && en->rule_points * en->qty != en->points)
		html_printf(&h->rows, " <span class=\"muted\">（规则 %s）</span>", signed_points(en->rule_points * en->qty, rp));
	html_printf(&h->rows, "</td><td data-label=\"来源\">");
	source_link(&h->rows, en, h->staff);
	html_printf(&h->rows, "</td><td data-label=\"说明\">%s", en->reason);
	if (*en->valid_from && !strcmp(en->kind, "award"))
		html_printf(&h->rows,
			    *en->reason ? "<br><span class=\"muted\">按 %s 起施行的规则</span>" : "<span class=\"muted\">按 %s 起施行的规则</span>",
			    en->valid_from);
	if (en->corrected_by)
		html_printf(&h->rows, "<br><span class=\"muted\">已更正，见 <a href=\"#entry-%lld\">#%lld</a></span>", (long long)en->corrected_by,
			    (long long)en->corrected_by);
	html_printf(&h->rows, "</td><td data-label=\"记录\">%s</td>", en->actor);
	if (h->staff) {
		buf_puts(&h->rows, "<td data-label=\"更正\">");
		if (!en->corrected_by) {
			char action[64];
			snprintf(action, sizeof action, "/points/entries/%lld/correct", (long long)en->id);
			html_printf(
				&h->rows,
				"<details><summary>更正</summary><form class=\"form\" method=\"post\" action=\"%s\" novalidate>"
				"<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
				"<div class=\"field\"><label for=\"c-%lld-p\">应计分值</label><input id=\"c-%lld-p\" name=\"points\" inputmode=\"numeric\" "
				"value=\"%lld\"></div><div class=\"field\"><label for=\"c-%lld-r\">更正理由</label><input id=\"c-%lld-r\" name=\"reason\"></div>"
				"<button class=\"btn btn-small\" type=\"submit\">记一条更正</button></form></details>",
				action, layout_csrf(h->r), (long long)en->id, (long long)en->id, (long long)en->points, (long long)en->id,
				(long long)en->id);
		}
		buf_puts(&h->rows, "</td>");
	}
	buf_puts(&h->rows, "</tr>");
	h->n++;
}

static void member_page(req *r, int64_t member_id, bool own)
{
	int year = points_req_year(r);
	struct points_summary s;
	bool staff = (r->actor.role & (R_ADMIN | R_COMMITTEE | R_BRANCH)) != 0;
	struct hist h = {r, {0}, staff && !own, 0};
	struct field_errors e = {0};
	enum dj_result res = points_member(r->db, &r->actor, member_id, year, &s, hist_row, &h, &e);
	if (res != DJ_OK) {
		buf_free(&h.rows);
		req_fail(r, res, &e);
		return;
	}
	char title[120];
	snprintf(title, sizeof title, own ? "我的积分" : "%s的积分", s.name);
	page_begin(r, title);
	html_printf(&r->out, "<p class=\"muted\">%s · %d 年</p><div class=\"stats points-stats\">", s.org_name, year);
	html_printf(&r->out, "<div class=\"stat\"><div class=\"stat-num\" id=\"points-total\">%lld</div><div class=\"stat-label\">%d 年积分</div></div>",
		    (long long)s.total, year);
	html_printf(
		&r->out,
		"<div class=\"stat\"><div class=\"stat-num\" id=\"points-rank\">%lld</div><div class=\"stat-label\">支部排名（共 %lld 人）</div></div>",
		(long long)s.rank, (long long)s.of);
	html_printf(&r->out, "<div class=\"stat\"><div class=\"stat-num\">%lld</div><div class=\"stat-label\">积分明细（条）</div></div></div>",
		    (long long)s.entries);
	/* other years, the branch's ranking */
	const char *base = own ? "/points" : "";
	char self[64];
	if (!own)
		snprintf(self, sizeof self, "/points/members/%lld", (long long)member_id), base = self;
	html_printf(&r->out, "<nav class=\"pager points-years\"><a href=\"%s?year=%d\">%d 年</a><span aria-current=\"page\">%d 年</span>", base, year - 1,
		    year - 1, year);
	if (year < this_year())
		html_printf(&r->out, "<a href=\"%s?year=%d\">%d 年</a>", base, year + 1, year + 1);
	html_printf(&r->out, "<a href=\"/points/ranking?org=%s&amp;year=%d\">支部排名</a><a href=\"/points/rules\">积分规则</a></nav>",
		    *s.branch_code ? s.branch_code : s.org_code, year);
	if (h.n) {
		buf_puts(&r->out,
			 "<div class=\"table-wrap\"><table class=\"table cards points-history\"><thead><tr><th>日期</th><th>事项</th><th>积分</th>"
			 "<th>来源</th><th>说明</th><th>记录</th>");
		if (h.staff)
			buf_puts(&r->out, "<th>更正</th>");
		buf_puts(&r->out, "</tr></thead><tbody>");
		buf_puts(&r->out, buf_str(&h.rows));
		buf_puts(&r->out, "</tbody></table></div>");
	} else
		html_printf(&r->out, "<div class=\"empty\"><p>%d 年还没有积分记录</p></div>", year);
	buf_free(&h.rows);
	page_end(r);
}

static void points_page(req *r)
{
	int64_t member = points_member_of_user(r->db, r->actor.user_id);
	if (member <= 0) {
		if (member < 0) {
			req_fail(r, DJ_DB_ERROR, &(struct field_errors){0});
			return;
		}
		/* staff who are not on the roster: the ranking is their view */
		if (r->actor.role & (R_ADMIN | R_COMMITTEE | R_BRANCH)) {
			req_redirect(r, "/points/ranking");
			return;
		}
		page_begin(r, "我的积分");
		buf_puts(&r->out, "<div class=\"empty\"><p>您的账号还没有关联党员花名册，暂无积分。请联系支部书记。</p></div>");
		page_end(r);
		return;
	}
	member_page(r, member, true);
}

static void points_member_page(req *r)
{
	int64_t id = req_param_id(r, "id");
	member_page(r, id, id == points_member_of_user(r->db, r->actor.user_id));
}

static void correct_post(req *r)
{
	int64_t id = req_param_id(r, "id"), new_id = 0;
	struct field_errors e = {0};
	int64_t member = points_entry_member(r->db, id);
	enum dj_result res = points_correct(r->db, &r->actor, id, req_form(r, "points"), req_form(r, "reason"), now_unix(), &new_id, &e);
	if (res == DJ_INVALID || res == DJ_CONFLICT) {
		/* back to the member's page, the message on top */
		flash_set(r, "error", dj_message(res, &e));
		char to[80];
		snprintf(to, sizeof to, "/points/members/%lld#entry-%lld", (long long)member, (long long)id);
		req_redirect(r, to);
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "已记一条更正，原条目保留");
	char to[80];
	snprintf(to, sizeof to, "/points/members/%lld#entry-%lld", (long long)member, (long long)new_id);
	req_redirect(r, to);
}

/* ---- rankings ---- */

struct rank_rows {
	buf rows;
	bool links;
	int n;
};

static void rank_row(void *ctx, const struct points_rank *row)
{
	struct rank_rows *c = ctx;
	html_printf(&c->rows, "<tr><td data-label=\"名次\">%lld</td><td data-label=\"姓名\">", (long long)row->rank);
	if (c->links)
		html_printf(&c->rows, "<a href=\"/points/members/%lld\">%s</a>", (long long)row->member_id, row->name);
	else
		html_printf(&c->rows, "%s", row->name);
	html_printf(&c->rows, "</td><td data-label=\"组织\">%s</td><td data-label=\"积分\">%lld</td><td data-label=\"明细\">%lld</td></tr>", row->org_name,
		    (long long)row->points, (long long)row->entries);
	c->n++;
}

static void option(req *r, const char *value, const char *label, const char *selected)
{
	html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", value, selected && !strcmp(selected, value) ? " selected" : "", label);
}

struct choices {
	req *r;
	const char *chosen;
};

static void choice(void *ctx, int64_t id, const char *name, const char *org_name)
{
	struct choices *c = ctx;
	char v[24], label[240];
	snprintf(v, sizeof v, "%lld", (long long)id);
	snprintf(label, sizeof label, "%s（%s）", name, org_name);
	option(c->r, v, label, c->chosen);
}

static void org_choice(void *ctx, int64_t id, const char *code, const char *name)
{
	(void)id;
	struct choices *c = ctx;
	option(c->r, code, name, c->chosen);
}

static void ranking_page(req *r)
{
	int year = points_req_year(r), month = points_req_month(r);
	int64_t page = parse_id(req_query(r, "page"));
	if (page < 1 || page > 1000)
		page = 1;
	const char *org = req_query(r, "org");
	struct rank_rows c = {{0}, (r->actor.role & (R_ADMIN | R_COMMITTEE | R_BRANCH)) != 0, 0};
	int64_t total = 0;
	char org_name[168];
	struct field_errors e = {0};
	enum dj_result res = points_ranking(r->db, &r->actor, org, year, month, RANK_PAGE, (page - 1) * RANK_PAGE, &total, org_name, rank_row, &c, &e);
	if (res != DJ_OK) {
		buf_free(&c.rows);
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "积分排名");
	/* the period and, for the staff, the org */
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/points/ranking\"><div><label for=\"f-year\">年度</label><select id=\"f-year\" "
		    "name=\"year\">");
	char y[8], sel[8];
	snprintf(sel, sizeof sel, "%d", year);
	for (int k = this_year(); k >= this_year() - 3; k--) {
		snprintf(y, sizeof y, "%d", k);
		option(r, y, y, sel);
	}
	buf_puts(&r->out, "</select></div><div><label for=\"f-month\">月份</label><select id=\"f-month\" name=\"month\"><option value=\"\">全年</option>");
	snprintf(sel, sizeof sel, "%d", month);
	for (int k = 1; k <= 12; k++) {
		char m[4], l[12];
		snprintf(m, sizeof m, "%d", k);
		snprintf(l, sizeof l, "%d 月", k);
		option(r, m, l, sel);
	}
	buf_puts(&r->out, "</select></div>");
	if (c.links) {
		buf_puts(&r->out, "<div><label for=\"f-org\">组织</label><select id=\"f-org\" name=\"org\"><option value=\"\">本级</option>");
		struct choices ch = {r, org};
		points_rank_orgs_each(r->db, &r->actor, org_choice, &ch);
		buf_puts(&r->out, "</select></div>");
	}
	buf_puts(&r->out, "<button class=\"btn\" type=\"submit\">查看</button></form>");
	html_printf(&r->out, "<p class=\"muted\"><span id=\"ranking-org\">%s</span> · %d 年%s%s · 共 %lld 人</p>", org_name, year, month ? "" : "全年", "",
		    (long long)total);
	if (month)
		html_printf(&r->out, "<p class=\"muted\">%d 月</p>", month);
	buf link = {0};
	if (org && *org) {
		buf_puts(&link, "org=");
		url_encode(&link, org);
		buf_putc(&link, '&');
	}
	buf_printf(&link, "year=%d", year);
	if (month)
		buf_printf(&link, "&month=%d", month);
	html_printf(&r->out,
		    "<div class=\"actions\"><a class=\"btn btn-small\" href=\"/points/ranking.xlsx?%s\">导出 Excel</a>"
		    "<a class=\"btn btn-small btn-secondary\" href=\"/points/town?year=%d\">全镇支部排名</a></div>",
		    buf_str(&link), year);
	if (c.n) {
		buf_puts(&r->out,
			 "<div class=\"table-wrap\"><table class=\"table cards points-ranking\"><thead><tr><th>名次</th><th>姓名</th><th>组织</th>"
			 "<th>积分</th><th>明细</th></tr></thead><tbody>");
		buf_puts(&r->out, buf_str(&c.rows));
		buf_puts(&r->out, "</tbody></table></div>");
	} else
		buf_puts(&r->out, "<div class=\"empty\"><p>没有党员</p></div>");
	int64_t pages = (total + RANK_PAGE - 1) / RANK_PAGE;
	if (pages > 1) {
		buf_puts(&r->out, "<nav class=\"pager\">");
		for (int64_t k = 1; k <= pages && k <= 60; k++) {
			if (k == page)
				html_printf(&r->out, "<span aria-current=\"page\">%lld</span>", (long long)k);
			else
				html_printf(&r->out, "<a href=\"/points/ranking?%s&amp;page=%lld\">%lld</a>", buf_str(&link), (long long)k, (long long)k);
		}
		buf_puts(&r->out, "</nav>");
	}
	buf_free(&link);
	buf_free(&c.rows);
	page_end(r);
}

struct ranking_download {
	req *r;
	const char *org;
	int year, month;
};

static enum dj_result write_ranking(const char *path, void *ctx, struct field_errors *e)
{
	struct ranking_download *x = ctx;
	int64_t rows;
	return points_ranking_export(x->r->db, &x->r->actor, x->org, x->year, x->month, path, &rows, e);
}

static void ranking_xlsx(req *r)
{
	struct ranking_download x = {r, req_query(r, "org"), points_req_year(r), points_req_month(r)};
	char ascii[96], name[200];
	snprintf(ascii, sizeof ascii, "points-ranking-%d.xlsx", x.year);
	if (x.month)
		snprintf(name, sizeof name, "党员积分排名-%d年%d月.xlsx", x.year, x.month);
	else
		snprintf(name, sizeof name, "党员积分排名-%d年.xlsx", x.year);
	req_send_download(r, write_ranking, &x, XLSX_TYPE, ascii, name);
}

struct town_rows {
	buf rows;
	int n;
};

static void town_row(void *ctx, const struct points_branch_rank *b)
{
	struct town_rows *c = ctx;
	html_printf(&c->rows,
		    "<tr><td data-label=\"名次\">%lld</td><td data-label=\"支部\"><a href=\"/points/ranking?org=%s\">%s</a></td>"
		    "<td data-label=\"党员\">%lld</td><td data-label=\"总积分\">%lld</td><td data-label=\"人均\">%.1f</td></tr>",
		    (long long)b->rank, b->code, b->name, (long long)b->members, (long long)b->points, b->average);
	c->n++;
}

static void town_page(req *r)
{
	int year = points_req_year(r);
	struct town_rows c = {{0}, 0};
	char town[168];
	struct field_errors e = {0};
	enum dj_result res = points_town_ranking(r->db, &r->actor, req_query(r, "org"), year, town, town_row, &c, &e);
	if (res != DJ_OK) {
		buf_free(&c.rows);
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "支部积分排名");
	html_printf(&r->out, "<p class=\"muted\">%s · %d 年 · 按人均积分排名</p>", town, year);
	html_printf(&r->out, "<nav class=\"pager\"><a href=\"/points/town?year=%d\">%d 年</a><span aria-current=\"page\">%d 年</span></nav>", year - 1,
		    year - 1, year);
	if (c.n) {
		buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards points-town\"><thead><tr><th>名次</th><th>支部</th><th>党员</th>"
				  "<th>总积分</th><th>人均</th></tr></thead><tbody>");
		buf_puts(&r->out, buf_str(&c.rows));
		buf_puts(&r->out, "</tbody></table></div>");
	} else
		buf_puts(&r->out, "<div class=\"empty\"><p>没有支部</p></div>");
	buf_free(&c.rows);
	page_end(r);
}

/* ---- rules ---- */

struct rule_rows {
	buf rows;
};

static const char *cap_text(int64_t cap, char out[24])
{
	if (cap)
		snprintf(out, 24, "%lld 分", (long long)cap);
	else
		snprintf(out, 24, "不限");
	return out;
}

static void rule_row(void *ctx, const struct points_rule *ru)
{
	struct rule_rows *c = ctx;
	char p[24], cd[24], cy[24];
	/* html_printf escapes every argument: the markup that varies is in the format */
	buf_puts(&c->rows, ru->current ? "<tr class=\"current\">" : "<tr>");
	html_printf(&c->rows,
		    "<td data-label=\"规则\">%s<br><code class=\"muted\">%s</code></td><td data-label=\"分值\"><span class=\"%s\">%s</span></td>"
		    "<td data-label=\"每日上限\">%s</td><td data-label=\"年度上限\">%s</td><td data-label=\"生效\">%s",
		    ru->name, ru->code, points_badge(ru->points), signed_points(ru->points, p), cap_text(ru->cap_day, cd), cap_text(ru->cap_year, cy),
		    ru->valid_from);
	if (ru->current)
		buf_puts(&c->rows, " <span class=\"badge badge-green\">现行</span>");
	html_printf(&c->rows, "</td><td data-label=\"已记\">%lld 条</td><td data-label=\"说明\">%s</td></tr>", (long long)ru->used, ru->note);
}

static void rules_render(req *r)
{
	struct rule_rows c = {{0}};
	points_rules_each(r->db, now_unix(), rule_row, &c);
	page_begin(r, "积分规则");
	buf_puts(&r->out, "<p class=\"muted\">积分由事件自动记入（送单、认领微心愿、参加会议、志愿服务……）。修改规则即新建一个版本，自生效日起适用，"
			  "已记入的积分不会改变。</p>");
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards points-rules\"><thead><tr><th>规则</th><th>分值</th><th>每日上限</th>"
			  "<th>年度上限</th><th>生效</th><th>已记</th><th>说明</th></tr></thead><tbody>");
	buf_puts(&r->out, buf_str(&c.rows));
	buf_puts(&r->out, "</tbody></table></div>");
	buf_free(&c.rows);
	if (permission_allows(&perm_points_rules, &r->actor)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">修改规则（新建版本）</h2>");
		form_begin(r, "/points/rules");
		const char *codes[2 * 8 + 1];
		int k = 0;
		for (const char *const *ev = points_events; *ev && k < 16; ev += 2)
			codes[k++] = ev[0], codes[k++] = ev[1];
		codes[k] = NULL;
		form_select(r, "code", "规则", codes, form_value(r, "code", ""));
		form_input(r, "name", "规则说明", "text", form_value(r, "name", ""), "不填则沿用现行说明");
		form_input(r, "points", "分值", "text", form_value(r, "points", ""), "整数，可为负数，如 3 或 -2");
		form_input(r, "cap_day", "每日上限", "text", form_value(r, "cap_day", "0"), "整数，0 表示不设上限");
		form_input(r, "cap_year", "年度上限", "text", form_value(r, "cap_year", "0"), "整数，0 表示不设上限");
		char tomorrow[20];
		date_only(now_unix() + 86400, tomorrow);
		form_input(r, "valid_from", "生效日期", "date", form_value(r, "valid_from", tomorrow), "自该日起按新版本计分；不能早于已记入积分的日期");
		form_input(r, "note", "修改说明", "text", form_value(r, "note", ""), NULL);
		form_end(r, "保存新版本");
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
}

static void rules_page(req *r)
{
	if (req_is_post(r)) {
		struct points_rule_input in = {req_form(r, "code"),     req_form(r, "name"),       req_form(r, "points"), req_form(r, "cap_day"),
					       req_form(r, "cap_year"), req_form(r, "valid_from"), req_form(r, "note")};
		int64_t id;
		struct field_errors e = {0};
		enum dj_result res = points_rule_set(r->db, &r->actor, &in, now_unix(), &id, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "已保存新版本，自生效日起适用");
			req_redirect(r, "/points/rules");
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
		rules_render(r);
		r->status = 422;
		return;
	}
	rules_render(r);
}

/* ---- adjustments ---- */

struct adj_rows {
	req *r;
	buf rows;
	int n;
};

static const char *adj_state_label(const char *st)
{
	for (const char *const *p = points_adjustment_states; *p; p += 2)
		if (!strcmp(p[0], st))
			return p[1];
	return st;
}

static void adj_row(void *ctx, const struct points_adjustment *j)
{
	struct adj_rows *c = ctx;
	char t[20], p[24];
	date_only(j->proposed_at, t);
	html_printf(&c->rows,
		    "<tr id=\"adj-%lld\"><td data-label=\"党员\"><a href=\"/points/members/%lld\">%s</a><br><span class=\"muted\">%s</span></td>"
		    "<td data-label=\"分值\"><span class=\"%s\">%s</span></td><td data-label=\"理由\">%s</td><td data-label=\"提出\">%s<br><span "
		    "class=\"muted\">%s</span></td><td data-label=\"状态\"><span class=\"badge%s\">%s</span>",
		    (long long)j->id, (long long)j->member_id, j->member_name, j->org_name, points_badge(j->points), signed_points(j->points, p),
		    j->reason, j->proposer, t,
		    !strcmp(j->state, "approved")   ? " badge-green"
		    : !strcmp(j->state, "rejected") ? " badge-grey"
						    : "",
		    adj_state_label(j->state));
	if (*j->decider)
		html_printf(&c->rows, "<br><span class=\"muted\">%s%s%s</span>", j->decider, *j->decision_note ? "：" : "", j->decision_note);
	buf_puts(&c->rows, "</td><td data-label=\"审批\">");
	bool own = j->proposed_by == c->r->actor.user_id;
	if (!strcmp(j->state, "pending") && permission_allows(&perm_points_approve, &c->r->actor)) {
		if (own)
			buf_puts(&c->rows, "<span class=\"muted\">由他人审批</span>");
		else
			html_printf(&c->rows,
				    "<form class=\"inline-form\" method=\"post\" action=\"/points/adjustments/%lld/decide\" novalidate>"
				    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\"><label class=\"sr-only\" for=\"n-%lld\">审批意见</label>"
				    "<input id=\"n-%lld\" name=\"note\" placeholder=\"审批意见（驳回必填）\">"
				    "<button class=\"btn btn-small btn-primary\" name=\"decision\" value=\"approve\" type=\"submit\">批准</button>"
				    "<button class=\"btn btn-small btn-danger\" name=\"decision\" value=\"reject\" type=\"submit\">驳回</button></form>",
				    (long long)j->id, layout_csrf(c->r), (long long)j->id, (long long)j->id);
	}
	buf_puts(&c->rows, "</td></tr>");
	c->n++;
}

static void adjustments_render(req *r)
{
	const char *state = req_query(r, "state");
	struct adj_rows c = {r, {0}, 0};
	struct field_errors e = {0};
	enum dj_result res = points_adjustments_each(r->db, &r->actor, state, adj_row, &c, &e);
	if (res != DJ_OK) {
		buf_free(&c.rows);
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "积分调整");
	buf_puts(&r->out, "<p class=\"muted\">人工调整须写明理由，由提出人以外的支部委员或镇党委审批；批准后记入积分明细。</p>");
	buf_puts(&r->out, "<nav class=\"pager\"><a href=\"/points/adjustments\">全部</a>");
	for (const char *const *p = points_adjustment_states; *p; p += 2)
		html_printf(&r->out, "<a href=\"/points/adjustments?state=%s\">%s</a>", p[0], p[1]);
	buf_puts(&r->out, "</nav>");
	if (c.n) {
		buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards points-adjustments\"><thead><tr><th>党员</th><th>分值</th>"
				  "<th>理由</th><th>提出</th><th>状态</th><th>审批</th></tr></thead><tbody>");
		buf_puts(&r->out, buf_str(&c.rows));
		buf_puts(&r->out, "</tbody></table></div>");
	} else
		buf_puts(&r->out, "<div class=\"empty\"><p>没有积分调整</p></div>");
	buf_free(&c.rows);
	if (permission_allows(&perm_points_propose, &r->actor)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">提出调整</h2>");
		form_begin(r, "/points/adjustments");
		/* the members of the caller's subtree (a branch: a few dozen) */
		const char *err = form_error_for(r, "member");
		const char *chosen = form_value(r, "member", "");
		html_printf(
			&r->out,
			"<div class=\"field\"><label for=\"f-member\">党员</label><select id=\"f-member\" name=\"member\"%s><option value=\"\">请选择</option>",
			err ? " aria-invalid=\"true\"" : "");
		struct choices ch = {r, chosen};
		points_members_each(r->db, &r->actor, choice, &ch);
		buf_puts(&r->out, "</select>");
		if (err)
			html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
		buf_puts(&r->out, "</div>");
		form_input(r, "points", "调整分值", "text", form_value(r, "points", ""), "整数，-50 到 50，如 5 或 -3");
		form_input(r, "reason", "理由", "text", form_value(r, "reason", ""), "必填，如：抗洪抢险表现突出");
		form_end(r, "提交审批");
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
}

static void adjustments_page(req *r)
{
	if (req_is_post(r)) {
		int64_t id;
		struct field_errors e = {0};
		enum dj_result res = points_adjust_propose(r->db, &r->actor, parse_id(req_form(r, "member")), req_form(r, "points"), req_form(r, "reason"),
							   now_unix(), &id, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "已提交，待他人审批");
			req_redirect(r, "/points/adjustments?state=pending");
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
		adjustments_render(r);
		r->status = 422;
		return;
	}
	adjustments_render(r);
}

static void adjustment_decide(req *r)
{
	const char *decision = req_form(r, "decision");
	bool approve = decision && !strcmp(decision, "approve");
	if (!approve && !(decision && !strcmp(decision, "reject"))) {
		struct field_errors e = {0};
		ferr_add(&e, "decision", "请选择批准或驳回");
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	struct field_errors e = {0};
	enum dj_result res = points_adjust_decide(r->db, &r->actor, req_param_id(r, "id"), approve, req_form(r, "note"), now_unix(), &e);
	if (res == DJ_INVALID) {
		flash_set(r, "error", dj_message(res, &e));
		req_redirect(r, "/points/adjustments?state=pending");
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", approve ? "已批准，积分已记入" : "已驳回");
	req_redirect(r, "/points/adjustments");
}

/* ---- /points/entries?org=&from=&to=: the ledger entries of a subtree and a
 * period, the dashboard's drill-down of its two points figures (issue 17) ---- */

static void entry_row(void *ctx, const struct points_ledger_row *e)
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
	{"GET", "/points", points_page, R_ANY, 0, 0, "points"},
	{"GET", "/points/members/:id", points_member_page, R_ANY, 0, 0, "points_member"},
	{"GET", "/points/entries", points_page_entries, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "points_entries"},
	{"POST", "/points/entries/:id/correct", correct_post, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 4 * KiB, "points_correct"},
	{"GET", "/points/ranking", ranking_page, R_ANY, 0, 0, "points_ranking"},
	{"GET", "/points/ranking.xlsx", ranking_xlsx, R_ANY, RF_WRITE, 0, "points_ranking_export"},
	{"GET", "/points/town", town_page, R_ANY, 0, 0, "points_town"},
	{"GET", "/points/rules", rules_page, R_ANY, 0, 0, "points_rules"},
	{"POST", "/points/rules", rules_page, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "points_rules"},
	{"GET", "/points/adjustments", adjustments_page, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "points_adjustments"},
	{"POST", "/points/adjustments", adjustments_page, R_COMMITTEE | R_BRANCH, 0, 4 * KiB, "points_adjustments"},
	{"POST", "/points/adjustments/:id/decide", adjustment_decide, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 4 * KiB, "points_adjustment_decide"},
	{"GET", "/api/v1/points", points_api_get, R_ANY, RF_API, 0, "points_api_get"},
	{"GET", "/api/v1/points/ranking", points_api_ranking, R_ANY, RF_API, 0, "api_points_ranking"},
	{"GET", "/api/v1/points/town", points_api_town, R_ANY, RF_API, 0, "api_points_town"},
	{"GET", "/api/v1/points/rules", points_api_rules, R_ANY, RF_API, 0, "api_points_rules"},
	{"POST", "/api/v1/points/rules", points_api_rules, R_ANY, RF_API, 4 * KiB, "api_points_rules"},
	{"GET", "/api/v1/points/adjustments", points_api_adjustments, R_ANY, RF_API, 0, "api_points_adjustments"},
	{"POST", "/api/v1/points/adjustments", points_api_adjustments, R_ANY, RF_API, 4 * KiB, "api_points_adjustments"},
	{"POST", "/api/v1/points/adjustments/:id/approve", points_api_approve, R_ANY, RF_API, 4 * KiB, "api_points_adjustment_approve"},
	{"POST", "/api/v1/points/adjustments/:id/reject", points_api_reject, R_ANY, RF_API, 4 * KiB, "api_points_adjustment_reject"},
	{"POST", "/api/v1/points/entries/:id/correct", points_api_correct, R_ANY, RF_API, 4 * KiB, "api_points_correct"},
};
static const struct nav_entry points_nav[] = {
	{"/points", "我的积分", R_MEMBER | R_BRANCH | R_GRID, 30, NAV_PARTY},
	{"/points/ranking", "积分排名", R_ADMIN | R_COMMITTEE, 30, NAV_PARTY},
	{"/points/adjustments", "积分调整", R_COMMITTEE | R_BRANCH, 31, NAV_PARTY},
};
static const struct figure points_figures[] = {
	{"points.entries", "党员积分", "积分记录", "条", points_fig_entries, points_href_entries, false},
	{"points.awarded", "党员积分", "获得积分", "分", points_fig_awarded, points_href_entries, false},
};
static const struct permission *const points_perms[] = {&perm_points_rules, &perm_points_propose, &perm_points_approve, &perm_points_correct};
const struct module points_module = {
	.name = "points",
	.routes = points_routes,
	.routes_n = COUNT_OF(points_routes),
	.nav = points_nav,
	.nav_n = COUNT_OF(points_nav),
	.permissions = points_perms,
	.permissions_n = COUNT_OF(points_perms),
	.demo = demo_points,
	.figures = points_figures,
	.figures_n = COUNT_OF(points_figures),
};
