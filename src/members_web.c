/* members_web — the roster's pages and API (issue 3): list with search,
 * filters, sorting and pages; detail with history; add, edit, 转正 and status
 * changes; the explicit, audited reading of a full ID or phone number. */
#include "members_web.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "auth.h"
#include "json.h"
#include "layout.h"
#include "members.h"
#include "orgs.h"
#include "orgs_web.h"
#include "users.h"
#include "volunteer_web.h"
#include "util.h"
#include "web.h"
#include "figures.h"
#include "module.h"
#include "export_web.h"
#include "import_web.h"

static int age_of(const char *birth)
{
	char now[11];
	today(now);
	int n = atoi(now) - atoi(birth);
	if (strcmp(now + 5, birth + 5) < 0)
		n--;
	return n;
}

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

/* Reads the filters of a list request into q, its org into o (q->prefix
 * points into it); false (after answering) when the org is not the caller's. */
static bool roster_query_from(req *r, struct roster_query *q, struct org *o)
{
	memset(q, 0, sizeof *q);
	memset(o, 0, sizeof *o);
	const char *code = nonempty(req_query(r, "org"));
	int64_t org = code ? orgs_id_by_code(r->db, code) : r->actor.org_id;
	if (!org || !authorize(r, &perm_member_view, org)) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return false;
	}
	org_load(r->db, org, o);
	q->prefix = o->path;
	q->registered = req_query(r, "registered") && !strcmp(req_query(r, "registered"), "1");
	q->q = nonempty(req_query(r, "q"));
	q->status = nonempty(req_query(r, "status"));
	q->category = nonempty(req_query(r, "category"));
	q->duty = nonempty(req_query(r, "duty"));
	const char *ins = req_query(r, "in_service");
	q->in_service = ins && !strcmp(ins, "1") ? 1 : ins && !strcmp(ins, "0") ? 0 : -1;
	q->sort = nonempty(req_query(r, "sort"));
	const char *lim = req_query(r, "limit");
	q->limit = lim ? parse_id(lim) : 50;
	if (q->limit < 1 || q->limit > 1000)
		q->limit = 50;
	const char *off = req_query(r, "offset");
	q->offset = off ? parse_id(off) : 0;
	int64_t page = parse_id(req_query(r, "page"));
	if (page > 1)
		q->offset = (page - 1) * q->limit;
	if (q->q && strlen(q->q) > 60) {
		req_error(r, 400, "invalid", "搜索内容过长（q 不能超过 60 个字符）");
		return false;
	}
	return true;
}

/* ---- pages ---- */

static void filter_select(req *r, const char *name, const char *label, const char *const *opts, const char *cur)
{
	html_printf(&r->out, "<label class=\"sr-only\" for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"><option value=\"\">%s</option>", name, label,
		    name, name, label);
	for (const char *const *o = opts; *o; o += 2)
		if (cur && !strcmp(cur, o[0]))
			html_printf(&r->out, "<option value=\"%s\" selected>%s</option>", o[0], o[1]);
		else
			html_printf(&r->out, "<option value=\"%s\">%s</option>", o[0], o[1]);
	buf_puts(&r->out, "</select>");
}

static const char *const status_opts[] = {"active", "正常", "retired", "离退休", "mobile", "流动", "stopped", "停止党籍", NULL};
/* the list's filter also finds those transferred out of the county (转出 is
 * set by the transfer's receipt, never by hand) */
static const char *const status_filter_opts[] = {"active",  "正常",     "retired",     "离退休", "mobile", "流动",
						 "stopped", "停止党籍", "transferred", "转出",   NULL};
static const char *const category_opts[] = {"full", "正式党员", "probationary", "预备党员", NULL};
static const char *const in_service_opts[] = {"1", "在职党员", "0", "非在职党员", NULL};
static const char *const sort_opts[] = {"org", "按组织", "name", "按姓名", "join_date", "按入党日期", "birth_date", "按出生日期", NULL};

/* The rows of the list page, written aside: the count heads the page. */
struct list_rows {
	buf out;
	int n;
};

static void list_row(void *ctx, const struct member_row *m)
{
	struct list_rows *c = ctx;
	char ph[24], id[24];
	mask_phone(m->phone, ph);
	mask_idcard(m->id_number, id);
	html_printf(&c->out, "<tr><td data-label=\"姓名\"><a href=\"/members/%lld\">%s</a>", (long long)m->id, m->name);
	if (m->in_service)
		buf_puts(&c->out, " <span class=\"badge\">在职</span>");
	html_printf(&c->out, "</td><td data-label=\"性别\">%s</td><td data-label=\"年龄\">%d</td><td data-label=\"所在组织\">%s</td>", m->gender,
		    age_of(m->birth_date), m->org_name);
	if (!strcmp(m->category, "probationary"))
		buf_puts(&c->out, "<td data-label=\"类别\"><span class=\"badge badge-red\">预备</span></td>");
	else
		buf_puts(&c->out, "<td data-label=\"类别\">正式</td>");
	html_printf(&c->out, "<td data-label=\"党籍状态\">%s</td><td data-label=\"手机号\">%s</td><td data-label=\"身份证号\">%s</td></tr>",
		    member_status_label(m->status), ph, id);
	c->n++;
}

void members_page_list(req *r)
{
	struct roster_query q;
	struct org o;
	if (!roster_query_from(r, &q, &o))
		return;
	struct list_rows rows = {{0}, 0};
	int64_t total = 0;
	enum dj_result res = member_roster(r->db, &r->actor, &q, list_row, &rows, &total);
	if (res == DJ_NOT_FOUND) { /* authorize() above already refused what the domain refuses */
		buf_free(&rows.out);
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return;
	}
	if (res == DJ_DB_ERROR)
		r->failed = true; /* the list shows what was read, as before; nothing to commit */
	page_begin(r, "党员花名册");
	html_printf(&r->out, "<p class=\"lead\">%s%s，共 <strong>%lld</strong> 名党员。</p>", o.name, q.registered ? "（到本社区报到的在职党员）" : "",
		    (long long)total);
	if (authorize(r, &perm_member_edit, r->actor.org_id))
		buf_puts(&r->out, "<div class=\"actions\"><a class=\"btn btn-primary\" href=\"/members/new\">新增党员</a>"
				  "<a class=\"btn\" href=\"/members/import\">导入花名册</a>");
	else
		buf_puts(&r->out, "<div class=\"actions\">");
	if (!strcmp(o.type, "branch") && !q.registered && authorize(r, &perm_account_issue, o.id))
		html_printf(&r->out,
			    "<form class=\"inline\" method=\"post\" action=\"/members/accounts\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<input type=\"hidden\" name=\"org\" value=\"%s\"><button class=\"btn\" type=\"submit\" "
			    "data-confirm=\"将为本支部所有未开通账号的党员开通账号并生成激活码。确定吗？\">为本支部未开通的党员开通账号</button></form>",
			    layout_csrf(r), o.code);
	const char *code = req_query(r, "org");
	/* the export is for staff (SPEC §1): a member or a grid worker reads the masked page, and takes no copy of the roster away */
	if (r->actor.role & R_STAFF)
		html_printf(&r->out, "<a class=\"btn\" href=\"/members/export.xlsx?org=%s\">导出 Excel</a>", code ? code : "");
	if (authorize(r, &perm_member_reveal, r->actor.org_id))
		html_printf(&r->out,
			    "<a class=\"btn\" href=\"/members/export.xlsx?org=%s&amp;full=1\" "
			    "data-confirm=\"完整导出包含身份证号和手机号，将记入审计日志。确定导出吗？\">导出完整信息</a>",
			    code ? code : "");
	buf_puts(&r->out, "</div>");

	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/members\">"
		    "<input type=\"hidden\" name=\"org\" value=\"%s\">"
		    "<label class=\"sr-only\" for=\"f-q\">搜索</label>"
		    "<input id=\"f-q\" name=\"q\" type=\"search\" placeholder=\"姓名，或身份证号/手机号后四位\" value=\"%s\">",
		    code ? code : "", q.q ? q.q : "");
	filter_select(r, "status", "全部党籍状态", status_filter_opts, q.status);
	filter_select(r, "category", "全部类别", category_opts, q.category);
	filter_select(r, "in_service", "在职与否", in_service_opts, req_query(r, "in_service"));
	buf_puts(&r->out, "<label class=\"sr-only\" for=\"f-duty\">职务</label><select id=\"f-duty\" name=\"duty\"><option value=\"\">全部职务</option>");
	for (const char *const *dl = member_duty_list; *dl; dl++)
		html_printf(&r->out, q.duty && !strcmp(q.duty, *dl) ? "<option selected>%s</option>" : "<option>%s</option>", *dl);
	buf_puts(&r->out, "</select>");
	filter_select(r, "sort", "排序", sort_opts, q.sort);
	buf_puts(&r->out, "<button class=\"btn\" type=\"submit\">查询</button></form>");

	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>姓名</th><th>性别</th><th>年龄</th>"
			  "<th>所在组织</th><th>类别</th><th>党籍状态</th><th>手机号</th><th>身份证号</th></tr></thead><tbody>");
	buf_append(&r->out, rows.out.p ? rows.out.p : "", rows.out.len);
	buf_free(&rows.out);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!rows.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>没有符合条件的党员</p></div>");
	int64_t pages = (total + q.limit - 1) / q.limit, page = q.offset / q.limit + 1;
	if (pages > 1) {
		buf link = {0};
		for (size_t i = 0; i < r->query.n; i++)
			if (strcmp(r->query.v[i].key, "page") && strcmp(r->query.v[i].key, "offset")) {
				url_encode(&link, r->query.v[i].key);
				buf_putc(&link, '=');
				url_encode(&link, r->query.v[i].val);
				buf_putc(&link, '&');
			}
		buf_puts(&r->out, "<nav class=\"pager\">");
		if (page > 1)
			html_printf(&r->out, "<a href=\"/members?%spage=%lld\">上一页</a>", buf_str(&link), (long long)page - 1);
		html_printf(&r->out, "<span>第 %lld / %lld 页</span>", (long long)page, (long long)pages);
		if (page < pages)
			html_printf(&r->out, "<a href=\"/members?%spage=%lld\">下一页</a>", buf_str(&link), (long long)page + 1);
		buf_puts(&r->out, "</nav>");
		buf_free(&link);
	}
	page_end(r);
}

/* The member of the path, if the caller may see it: its own org or, for an
 * in-service member, the community it registered with. Answers 404 otherwise. */
static bool load_visible(req *r, struct member *m)
{
	int64_t id = req_param_id(r, "id");
	if (!id || !member_load(r->db, id, m) || !member_visible(r->db, &r->actor, m)) {
		req_error(r, 404, "not_found", "党员不存在或不在您的管辖范围内");
		return false;
	}
	return true;
}

#define ORG_NAME_SIZE sizeof((struct org *)0)->name

static const char *org_name_of(db *d, int64_t id, char *out, size_t n)
{
	struct org o;
	snprintf(out, n, "%s", org_load(d, id, &o) ? o.name : "");
	return out;
}

static const char *history_label(const char *kind)
{
	static const char *const k[] = {"create",  "建档",     "full", "转正",     "status", "党籍状态", "org",    "组织关系",     "duty", "职务",
					"service", "报到社区", "edit", "信息修改", "import", "导入",     "reveal", "查看完整信息", NULL};
	for (const char *const *p = k; *p; p += 2)
		if (!strcmp(*p, kind))
			return p[1];
	return kind;
}

static void history_row(void *ctx, const struct member_event *ev)
{
	req *r = ctx;
	html_printf(&r->out,
		    "<tr><td data-label=\"日期\">%s</td><td data-label=\"事项\">%s</td><td data-label=\"变更\">%s%s%s</td><td data-label=\"备注\">%s</td>"
		    "<td data-label=\"经办人\">%s</td></tr>",
		    ev->date, history_label(ev->kind), ev->from, *ev->from ? " → " : "", ev->to, ev->note, ev->by_name);
}

/* The member's login (issue 10 §1): none, awaiting activation, active or
 * stopped, and the button that gives one (accounts_web.c shows the slip). */
static void account_section(req *r, const struct member *m)
{
	struct user u;
	int64_t uid = member_account_of(r->db, m->id);
	bool has = uid > 0 && users_get(r->db, uid, &u);
	bool staff = has && strcmp(u.role, "member") && strcmp(u.role, "grid");
	buf_puts(&r->out, "<h3>登录账号</h3>");
	if (!has && !strcmp(m->status, "transferred"))
		buf_puts(&r->out, "<p>组织关系已转出本镇，不再开通账号。</p>");
	else if (!has)
		buf_puts(&r->out, "<p>尚未开通。开通后党员凭手机号和激活码设置密码，即可登录接单、认领心愿。</p>");
	else if (!u.active)
		html_printf(&r->out, "<p>账号 %s 已停用。</p>", u.username);
	else if (!users_has_password(r->db, uid))
		html_printf(&r->out, "<p>账号 %s（%s）待激活。</p>", u.username, role_label(role_from_key(u.role)));
	else
		html_printf(&r->out, "<p>账号 %s（%s）已激活。</p>", u.username, role_label(role_from_key(u.role)));
	if (staff || strcmp(m->status, "stopped") == 0 || strcmp(m->status, "transferred") == 0) /* no account for who has left */
		return;
	html_printf(&r->out,
		    "<form method=\"post\" action=\"/members/%lld/account\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
		    "<button class=\"btn\" type=\"submit\"%s>%s</button></form>",
		    (long long)m->id, layout_csrf(r), has ? " data-confirm=\"重新生成后，旧激活码立即作废。确定吗？\"" : "",
		    !has                                         ? "开通账号并生成激活码"
		    : u.active && users_has_password(r->db, uid) ? "重新生成激活码（忘记密码时）"
								 : "重新生成激活码");
}

static void member_detail(req *r, struct member *m, bool revealed)
{
	char title[128], org[ORG_NAME_SIZE], sorg[ORG_NAME_SIZE], ph[24], id[24];
	snprintf(title, sizeof title, "%s", m->name);
	page_begin(r, title);
	html_printf(&r->out, "<div class=\"breadcrumbs\"><a href=\"/members\">党员花名册</a> › <span>%s</span></div>", m->name);
	if (revealed) {
		snprintf(ph, sizeof ph, "%s", m->phone);
		snprintf(id, sizeof id, "%s", m->id_number);
	} else {
		mask_phone(m->phone, ph);
		mask_idcard(m->id_number, id);
	}
	html_printf(&r->out,
		    "<section class=\"card\"><dl class=\"kv\"><dt>姓名</dt><dd>%s</dd><dt>性别</dt><dd>%s</dd>"
		    "<dt>民族</dt><dd>%s</dd><dt>出生日期</dt><dd>%s（%d 岁）</dd><dt>学历</dt><dd>%s</dd>"
		    "<dt>身份证号</dt><dd>%s</dd><dt>手机号</dt><dd>%s</dd><dt>住址</dt><dd>%s</dd>"
		    "<dt>所在组织</dt><dd><a href=\"/orgs/%lld\">%s</a></dd><dt>入党日期</dt><dd>%s</dd>"
		    "<dt>党员类别</dt><dd>%s%s%s</dd><dt>党籍状态</dt><dd>%s</dd><dt>在职党员</dt><dd>%s</dd>"
		    "<dt>报到社区</dt><dd>%s</dd><dt>职务</dt><dd>%s</dd></dl>",
		    m->name, m->gender, m->ethnicity, m->birth_date, age_of(m->birth_date), *m->education ? m->education : "—", id, *ph ? ph : "—",
		    revealed ? (*m->address ? m->address : "—") : (*m->address ? "（已隐藏）" : "—"), (long long)m->org_id,
		    org_name_of(r->db, m->org_id, org, sizeof org), m->join_date, member_category_label(m->category), *m->full_date ? "，转正于 " : "",
		    m->full_date, member_status_label(m->status), m->in_service ? "是" : "否",
		    m->service_org_id ? org_name_of(r->db, m->service_org_id, sorg, sizeof sorg) : "—", *m->duties ? m->duties : "—");
	bool can_edit = authorize(r, &perm_member_edit, m->org_id);
	if (!revealed && authorize(r, &perm_member_reveal, m->org_id)) {
		html_printf(&r->out,
			    "<form method=\"post\" action=\"/members/%lld/reveal\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<button class=\"btn btn-small\" type=\"submit\">查看完整证件号与联系方式（将记入审计日志）</button></form>",
			    (long long)m->id, layout_csrf(r));
	}
	buf_puts(&r->out, "</section>");
	volunteer_member_card(r, m->id); /* stars and hours, read by the volunteer module */

	if (can_edit) {
		html_printf(&r->out,
			    "<section class=\"card\"><h2 class=\"card-title\">办理</h2><div class=\"actions\">"
			    "<a class=\"btn\" href=\"/members/%lld/edit\">编辑信息</a></div>",
			    (long long)m->id);
		char now[11];
		today(now);
		char action[64];
		snprintf(action, sizeof action, "/members/%lld/change", (long long)m->id);
		if (!strcmp(m->category, "probationary")) {
			buf_puts(&r->out, "<h3>预备党员转正</h3>");
			form_begin(r, action);
			buf_puts(&r->out, "<input type=\"hidden\" name=\"kind\" value=\"full\">");
			form_input(r, "date", "转正日期", "date", form_value(r, "date", now), "支部大会讨论通过、上级党委批准的日期");
			form_input(r, "note", "备注", "text", form_value(r, "note", ""), NULL);
			form_end_confirm(r, "记录转正", "转正记录将写入党员档案和组织关系历史。确定记录转正吗？", NULL);
		}
		buf_puts(&r->out, "<h3>党籍状态变更</h3>");
		form_begin(r, action);
		buf_puts(&r->out, "<input type=\"hidden\" name=\"kind\" value=\"status\">");
		form_select(r, "to", "变更为", status_opts, form_value(r, "to", m->status));
		form_input(r, "date", "生效日期", "date", form_value(r, "date", now), NULL);
		form_input(r, "note", "备注", "text", form_value(r, "note", ""), NULL);
		form_end_confirm(r, "保存变更", "党籍状态变更将写入党员档案；停止党籍时其账号同时停用。确定变更吗？", NULL);
		if (authorize(r, &perm_account_issue, m->org_id))
			account_section(r, m);
		buf_puts(&r->out, "</section>");
	}

	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">变更记录</h2><div class=\"table-wrap\"><table class=\"table cards\">"
			  "<thead><tr><th>日期</th><th>事项</th><th>变更</th><th>备注</th><th>经办人</th></tr></thead><tbody>");
	member_history_each(r->db, m->id, history_row, r);
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

void members_page_detail(req *r)
{
	struct member m;
	if (load_visible(r, &m))
		member_detail(r, &m, false);
}

void members_page_reveal(req *r)
{
	struct member m;
	struct field_errors e = {0};
	enum dj_result res = member_reveal(r->db, &r->actor, req_param_id(r, "id"), NULL, &m, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	member_detail(r, &m, true);
}

void members_page_change(req *r)
{
	struct member m;
	if (!load_visible(r, &m))
		return;
	if (!authorize(r, &perm_member_edit, m.org_id)) {
		req_error(r, 403, "forbidden", "您的角色不能办理党员变更");
		return;
	}
	const char *kind = req_form(r, "kind"), *to = req_form(r, "to"), *date = req_form(r, "date"), *note = req_form(r, "note");
	if (note && (strlen(note) > 300 || !utf8_valid(note))) {
		form_error(r, "note", "备注不能超过 100 个字");
	} else {
		struct field_errors e = {0};
		enum dj_result res = member_change(r->db, &r->actor, m.id, kind, to, date, note, &e);
		if (res == DJ_NOT_FOUND || res == DJ_FORBIDDEN) {
			req_fail(r, res, &e);
			return;
		}
		if (res == DJ_OK) {
			flash_set(r, "ok", kind && !strcmp(kind, "full") ? "已记录转正" : "党籍状态已变更");
			char loc[48];
			snprintf(loc, sizeof loc, "/members/%lld", (long long)m.id);
			req_redirect(r, loc);
			return;
		}
		form_error(r, "date", dj_message(res, &e));
	}
	member_detail(r, &m, false);
	r->status = 422;
}

/* ---- add and edit ---- */

static void member_from_form(req *r, struct member *m)
{
	for (const char *const *f = member_fields; *f; f++)
		if (strcmp(*f, "duties") && strcmp(*f, "org_code") && req_form(r, *f))
			member_set(m, *f, req_form(r, *f));
	if (!req_form(r, "in_service"))
		m->in_service = false;
	m->org_id = parse_id(req_form(r, "org_id"));
	m->org_code[0] = 0;
	char duties[256] = "";
	for (size_t i = 0; i < r->form.n; i++)
		if (!strcmp(r->form.v[i].key, "duties")) {
			size_t l = strlen(duties);
			snprintf(duties + l, sizeof duties - l, "%s%s", l ? "、" : "", r->form.v[i].val);
		}
	member_set(m, "duties", duties);
}

static void member_form(req *r, const char *action, const struct member *m)
{
	static const char *const gender_opts[] = {"男", "男", "女", "女", NULL};
	static const char *const cat_opts[] = {"full", "正式党员", "probationary", "预备党员", NULL};
	static const char *const ins_opts[] = {"0", "否", "1", "是（在职党员）", NULL};
	const char *edu_opts[20];
	int k = 0;
	edu_opts[k++] = "", edu_opts[k++] = "（未填）";
	for (const char *const *e = member_education_list; *e && k < 18; e++)
		edu_opts[k++] = *e, edu_opts[k++] = *e;
	edu_opts[k] = NULL;
	form_begin(r, action);
	form_input(r, "name", "姓名", "text", m->name, NULL);
	form_input(r, "id_number", "身份证号", "text", m->id_number, "18 位，出生日期和性别将与之核对");
	form_select(r, "gender", "性别", gender_opts, m->gender);
	form_input(r, "birth_date", "出生日期", "date", m->birth_date, NULL);
	form_input(r, "ethnicity", "民族", "text", *m->ethnicity ? m->ethnicity : "汉族", NULL);
	form_select(r, "education", "学历", edu_opts, m->education);
	form_input(r, "phone", "手机号", "tel", m->phone, NULL);
	form_input(r, "address", "住址", "text", m->address, NULL);
	char org[24];
	snprintf(org, sizeof org, "%lld", (long long)m->org_id);
	orgs_form_select(r, "org_id", "所在党组织（党支部或党小组）", org);
	form_input(r, "join_date", "入党日期", "date", m->join_date, NULL);
	form_select(r, "category", "党员类别", cat_opts, *m->category ? m->category : "full");
	form_input(r, "full_date", "转正日期", "date", m->full_date, "预备党员不填");
	form_select(r, "status", "党籍状态", status_opts, *m->status ? m->status : "active");
	form_select(r, "in_service", "在职党员", ins_opts, m->in_service ? "1" : "0");
	form_input(r, "service_org", "报到社区（组织编码）", "text", m->service_org, "在职党员到社区报到（双报到），填写社区党组织编码");
	const char *err = form_error_for(r, "duties");
	html_printf(&r->out, "<fieldset class=\"field%s\"><legend>职务</legend><div class=\"checks\">", err ? " has-error" : "");
	for (const char *const *d = member_duty_list; *d; d++) {
		char key[100];
		snprintf(key, sizeof key, "%s", *d);
		bool on = strstr(m->duties, key) != NULL;
		html_printf(&r->out,
			    on ? "<label><input type=\"checkbox\" name=\"duties\" value=\"%s\" checked> %s</label>"
			       : "<label><input type=\"checkbox\" name=\"duties\" value=\"%s\"> %s</label>",
			    *d, *d);
	}
	buf_puts(&r->out, "</div>");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</fieldset>");
	form_end(r, "保存");
}

void members_page_new(req *r)
{
	struct member m;
	memset(&m, 0, sizeof m);
	m.org_id = r->actor.org_id;
	if (req_is_post(r)) {
		member_from_form(r, &m);
		struct field_errors e = {0};
		enum dj_result res = DJ_INVALID;
		int64_t id = 0;
		if (!m.org_id || !authorize(r, &perm_member_edit, m.org_id)) {
			ferr_add(&e, "org_id", "请选择您管辖范围内的党支部或党小组");
			member_validate(r->db, &m, 0, &e); /* every other problem at once */
		} else
			res = member_insert(r->db, &r->actor, &m, "新增", &id, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "党员已添加");
			char loc[48];
			snprintf(loc, sizeof loc, "/members/%lld", (long long)id);
			req_redirect(r, loc);
			return;
		}
		if (res == DJ_FORBIDDEN) {
			req_fail(r, res, &e);
			return;
		}
		if (res == DJ_DB_ERROR)
			r->failed = true;
		/* the org select speaks of org_id; the validator of org_code */
		for (int i = 0; i < e.n; i++)
			form_error(r, strcmp(e.e[i].field, "org_code") ? e.e[i].field : "org_id", e.e[i].msg);
	}
	page_begin(r, "新增党员");
	buf_puts(&r->out, "<section class=\"card\">");
	member_form(r, "/members/new", &m);
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

void members_page_edit(req *r)
{
	struct member before, m;
	if (!load_visible(r, &before))
		return;
	if (!authorize(r, &perm_member_edit, before.org_id)) {
		req_error(r, 403, "forbidden", "您的角色不能修改党员信息");
		return;
	}
	m = before;
	if (req_is_post(r)) {
		member_from_form(r, &m);
		struct field_errors e = {0};
		enum dj_result res = DJ_INVALID;
		if (!m.org_id || !authorize(r, &perm_member_edit, m.org_id)) {
			ferr_add(&e, "org_id", "请选择您管辖范围内的党支部或党小组");
			member_validate(r->db, &m, before.id, &e); /* every other problem at once */
		} else
			res = member_update(r->db, &r->actor, &before, &m, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "已保存");
			char loc[48];
			snprintf(loc, sizeof loc, "/members/%lld", (long long)m.id);
			req_redirect(r, loc);
			return;
		}
		if (res == DJ_NOT_FOUND || res == DJ_FORBIDDEN) {
			req_fail(r, res, &e);
			return;
		}
		if (res == DJ_DB_ERROR)
			r->failed = true;
		for (int i = 0; i < e.n; i++)
			form_error(r, strcmp(e.e[i].field, "org_code") ? e.e[i].field : "org_id", e.e[i].msg);
	} else {
		/* the edit form shows the full numbers: reading them is audited */
		struct field_errors e = {0};
		enum dj_result res = member_reveal(r->db, &r->actor, before.id, "编辑时查看", &before, &e);
		if (res != DJ_OK) {
			req_fail(r, res, &e);
			return;
		}
	}
	char title[128], action[64];
	snprintf(title, sizeof title, "编辑 %s", before.name);
	snprintf(action, sizeof action, "/members/%lld/edit", (long long)before.id);
	page_begin(r, title);
	buf_puts(&r->out, "<section class=\"card\">");
	member_form(r, action, &m);
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

/* ---- API ---- */

static void duty_json(void *ctx, const char *duty) { jw_str(ctx, duty); }

static void duties_json(jw *w, db *d, int64_t id)
{
	jw_key(w, "duties");
	jw_arr(w);
	member_duties_each(d, id, duty_json, w);
	jw_aend(w);
}

static void member_json(jw *w, db *d, const struct member *m, bool full)
{
	char ph[24], id[24], org[ORG_NAME_SIZE];
	if (full) {
		snprintf(ph, sizeof ph, "%s", m->phone);
		snprintf(id, sizeof id, "%s", m->id_number);
	} else {
		mask_phone(m->phone, ph);
		mask_idcard(m->id_number, id);
	}
	jw_obj(w);
	jw_kint(w, "id", m->id);
	jw_kstr(w, "name", m->name);
	jw_kstr(w, "gender", m->gender);
	jw_kstr(w, "ethnicity", m->ethnicity);
	jw_kstr(w, "birth_date", m->birth_date);
	jw_kstr(w, "education", m->education);
	jw_kstr(w, "id_number", id);
	jw_kstr(w, "phone", ph);
	if (full)
		jw_kstr(w, "address", m->address);
	jw_kstr(w, "org", m->org_code);
	jw_kstr(w, "org_name", org_name_of(d, m->org_id, org, sizeof org));
	jw_kstr(w, "join_date", m->join_date);
	jw_kstr(w, "full_date", *m->full_date ? m->full_date : NULL);
	jw_kstr(w, "category", m->category);
	jw_kstr(w, "status", m->status);
	jw_kbool(w, "in_service", m->in_service);
	jw_kstr(w, "service_org", *m->service_org ? m->service_org : NULL);
	jw_kbool(w, "masked", !full);
	duties_json(w, d, m->id);
	jw_end(w);
}

/* The members of the API list, written aside as a run of objects (the top
 * level of their own writer) that becomes the array: the count comes first. */
struct api_rows {
	buf out;
	jw w;
	db *d;
};

static void api_row(void *ctx, const struct member_row *m)
{
	struct api_rows *c = ctx;
	jw *w = &c->w;
	char ph[24], id[24];
	mask_phone(m->phone, ph);
	mask_idcard(m->id_number, id);
	jw_obj(w);
	jw_kint(w, "id", m->id);
	jw_kstr(w, "name", m->name);
	jw_kstr(w, "gender", m->gender);
	jw_kstr(w, "birth_date", m->birth_date);
	jw_kstr(w, "ethnicity", m->ethnicity);
	jw_kstr(w, "education", m->education);
	jw_kstr(w, "id_number", id);
	jw_kstr(w, "phone", ph);
	jw_kstr(w, "org", m->org_code);
	jw_kstr(w, "org_name", m->org_name);
	jw_kstr(w, "category", m->category);
	jw_kstr(w, "status", m->status);
	jw_kbool(w, "in_service", m->in_service);
	jw_kstr(w, "service_org", *m->service_org_code ? m->service_org_code : NULL);
	jw_kstr(w, "join_date", m->join_date);
	jw_kstr(w, "full_date", *m->full_date ? m->full_date : NULL);
	jw_kbool(w, "masked", true);
	if (m->duties)
		duties_json(w, c->d, m->id);
	else {
		jw_key(w, "duties");
		jw_arr(w);
		jw_aend(w);
	}
	jw_end(w);
}

void members_api_list(req *r)
{
	struct roster_query q;
	struct org o;
	if (!roster_query_from(r, &q, &o))
		return;
	struct api_rows rows = {.d = r->db};
	jw_init(&rows.w, &rows.out);
	int64_t total = 0;
	enum dj_result res = member_roster(r->db, &r->actor, &q, api_row, &rows, &total);
	if (res == DJ_NOT_FOUND) { /* authorize() above already refused what the domain refuses */
		buf_free(&rows.out);
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return;
	}
	if (res == DJ_DB_ERROR)
		r->failed = true; /* the list shows what was read, as before; nothing to commit */
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "total", total);
	jw_kint(&w, "limit", q.limit);
	jw_kint(&w, "offset", q.offset);
	jw_key(&w, "members");
	jw_arr(&w);
	buf_append(&r->out, rows.out.p ? rows.out.p : "", rows.out.len);
	buf_free(&rows.out);
	jw_aend(&w);
	jw_end(&w);
}

void members_api_get(req *r)
{
	struct member m;
	if (!load_visible(r, &m))
		return;
	const char *rev = req_query(r, "reveal");
	bool full = rev && !strcmp(rev, "1");
	if (full) {
		struct field_errors e = {0};
		enum dj_result res = member_reveal(r->db, &r->actor, m.id, "API", &m, &e);
		if (res != DJ_OK) {
			req_fail(r, res, &e);
			return;
		}
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	member_json(&w, r->db, &m, full);
}

/* The API's failures through the shared writer (req_fail): the field the
 * body calls "org" is the domain's org_code, so its errors are named "org"
 * first. The message is the first field error's, as in every API (it names
 * the field: the domain's messages in words, member_from_json's by key). */
static void api_fail(req *r, enum dj_result res, struct field_errors *e)
{
	for (int i = 0; i < e->n; i++)
		if (!strcmp(e->e[i].field, "org_code"))
			snprintf(e->e[i].field, sizeof e->e[i].field, "org");
	req_fail(r, res, e);
}

/* Applies a JSON object's fields to m; unknown fields and wrong types are errors. */
static void member_from_json(json_t *j, struct member *m, struct field_errors *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		const char *field = !strcmp(key, "org") ? "org_code" : key;
		bool known = false;
		for (const char *const *f = member_fields; *f; f++)
			known |= !strcmp(*f, field);
		if (!known) {
			ferr_add(e, key, "未知字段 %s", key);
			continue;
		}
		if (!strcmp(field, "in_service")) {
			if (!json_is_boolean(v))
				ferr_add(e, key, "%s 应为 true 或 false", key);
			else
				m->in_service = json_is_true(v);
		} else if (!strcmp(field, "duties")) {
			char list[256] = "";
			if (json_is_array(v)) {
				size_t i;
				json_t *d;
				json_array_foreach(v, i, d)
				{
					if (!json_is_string(d)) {
						ferr_add(e, key, "%s 应为字符串数组", key);
						break;
					}
					size_t l = strlen(list);
					snprintf(list + l, sizeof list - l, "%s%s", l ? "、" : "", json_string_value(d));
				}
				member_set(m, "duties", list);
			} else
				ferr_add(e, key, "%s 应为字符串数组，如 [\"书记\"]", key);
		} else if (json_is_null(v) && (!strcmp(field, "full_date") || !strcmp(field, "service_org")))
			member_set(m, field, "");
		else if (!json_is_string(v))
			ferr_add(e, key, "%s 应为字符串", key);
		else
			member_set(m, field, json_string_value(v));
	}
}

void members_api_create(req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	struct member m;
	memset(&m, 0, sizeof m);
	struct field_errors e = {0};
	member_from_json(j, &m, &e);
	if (!*m.org_code)
		ferr_add(&e, "org", "请提供所在党组织的编码 org");
	enum dj_result res = DJ_INVALID;
	int64_t id = 0;
	if (e.n)
		member_validate(r->db, &m, 0, &e); /* every other problem at once */
	else
		res = member_insert(r->db, &r->actor, &m, "API", &id, &e);
	if (res != DJ_OK) {
		api_fail(r, res, &e);
		return;
	}
	member_load(r->db, id, &m);
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	member_json(&w, r->db, &m, false);
}

void members_api_patch(req *r)
{
	struct member before, m;
	if (!load_visible(r, &before))
		return;
	if (!authorize(r, &perm_member_edit, before.org_id)) {
		req_error(r, 403, "forbidden", "您的角色不能修改党员信息");
		return;
	}
	json_t *j = req_json(r);
	if (!j)
		return;
	m = before;
	struct field_errors e = {0};
	member_from_json(j, &m, &e);
	enum dj_result res = DJ_INVALID;
	if (e.n)
		member_validate(r->db, &m, before.id, &e); /* every other problem at once */
	else
		res = member_update(r->db, &r->actor, &before, &m, &e);
	if (res != DJ_OK) {
		api_fail(r, res, &e);
		return;
	}
	member_load(r->db, m.id, &m);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	member_json(&w, r->db, &m, false);
}

/* ---- the module record (module.h) ---- */

static const route members_routes[] = {
	{"GET", "/members", members_page_list, R_STAFF | R_MEMBER | R_GRID, 0, 0, "members"},
	{"GET", "/members/new", members_page_new, R_STAFF, 0, 0, "member_new"},
	{"POST", "/members/new", members_page_new, R_STAFF, 0, 16 * KiB, "member_new"},
	{"GET", "/members/import", import_page_form, R_STAFF, 0, 0, "member_import"},
	{"POST", "/members/import", import_page_preview, R_STAFF, RF_OWNTX, 12 * 1024 * KiB, "member_import"},
	{"GET", "/members/import/template.csv", import_template_csv, R_STAFF, 0, 0, "member_import_template"},
	{"POST", "/members/import/:token/confirm", import_page_confirm, R_STAFF, 0, 4 * KiB, "member_import_confirm"},
	{"GET", "/members/export.xlsx", export_page_members, R_STAFF, RF_WRITE, 0, "member_export"},
	{"GET", "/members/:id", members_page_detail, R_STAFF | R_MEMBER | R_GRID, 0, 0, "member"},
	{"POST", "/members/:id/reveal", members_page_reveal, R_STAFF, 0, 4 * KiB, "member_reveal"},
	{"POST", "/members/:id/change", members_page_change, R_STAFF, 0, 4 * KiB, "member_change"},
	{"GET", "/members/:id/edit", members_page_edit, R_STAFF, RF_WRITE, 0, "member_edit"},
	{"POST", "/members/:id/edit", members_page_edit, R_STAFF, 0, 16 * KiB, "member_edit"},
	{"GET", "/api/v1/members", members_api_list, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_members"},
	{"POST", "/api/v1/members", members_api_create, R_STAFF, RF_API, 16 * KiB, "api_members"},
	{"GET", "/api/v1/members/:id", members_api_get, R_STAFF | R_MEMBER | R_GRID, RF_API | RF_WRITE_REVEAL, 0, "api_member"},
	{"PATCH", "/api/v1/members/:id", members_api_patch, R_STAFF, RF_API, 16 * KiB, "api_member"},
};
static const struct nav_entry members_nav[] = {
	{"/members", "党员花名册", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID, 30, NAV_PARTY},
};
static const struct permission *const members_perms[] = {&perm_member_view, &perm_member_edit, &perm_member_reveal};
static const struct figure members_figures[] = {
	{"members.count", "党员和组织", "党员", "名", member_fig_members, member_href_members, true},
	{"members.probationary", "党员和组织", "预备党员", "名", member_fig_probationary, member_href_probationary, true},
};
/* a member's page: the dashboard's drill-down rows that are members open it */
static const struct entity_link members_entities[] = {{"member", "/members/"}};
const struct module members_module = {
	.figures = members_figures,
	.figures_n = COUNT_OF(members_figures),
	.name = "members",
	.routes = members_routes,
	.routes_n = COUNT_OF(members_routes),
	.nav = members_nav,
	.nav_n = COUNT_OF(members_nav),
	.permissions = members_perms,
	.permissions_n = COUNT_OF(members_perms),
	.entities = members_entities,
	.entities_n = COUNT_OF(members_entities),
};
