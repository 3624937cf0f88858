/* grids_web — the grid pages and the grid API (SPEC M9). Thin: the checks,
 * the SQL and the audit are in grids.c. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grids.h"
#include "html.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "util.h"
#include "web.h"

/* ---- pages ---- */

struct rows {
	req *r;
	jw *w;
	int n;
	bool manage;      /* the viewer may change this grid */
	const char *code; /* the grid's code, for row links */
};

static void grid_row(const struct grid *g, void *ctx)
{
	struct rows *x = ctx;
	bool mine = x->r->actor.role == R_GRID && *g->worker && !strcmp(g->worker, x->r->actor.username);
	html_printf(&x->r->out, "<tr><td><a href=\"/grids/%s\">%s</a>", g->code, g->name);
	if (mine)
		buf_puts(&x->r->out, " <span class=\"badge badge-green\">我的网格</span>");
	html_printf(&x->r->out, "</td><td>%s</td><td>%s</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>", g->org_name,
		    *g->worker_name ? g->worker_name : "—", (long long)g->households, (long long)g->residents, (long long)g->central_households);
	x->n++;
}

static void grids_page_list(req *r)
{
	page_begin(r, "网格与党员中心户");
	if (permission_allows(&perm_grid_create, &r->actor))
		buf_puts(&r->out, "<div class=\"actions\"><a class=\"btn btn-primary\" href=\"/grids/new\">新建网格</a></div>");
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>网格</th><th>所属村（社区）</th>"
			  "<th>网格员</th><th>户数</th><th>人口</th><th>党员中心户</th></tr></thead><tbody>");
	struct rows x = {r, NULL, 0, false, NULL};
	grids_each(r->db, &r->actor, grid_row, &x);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!x.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>您的管辖范围内还没有网格</p></div>");
	page_end(r);
}

/* A grid worker's own grid, from the navigation. */
static void grids_page_mine(req *r)
{
	char code[40], to[80];
	if (!grid_mine(r->db, &r->actor, code)) {
		flash_set(r, "error", "您还不是任何网格的网格员，请联系支部书记");
		req_redirect(r, "/grids");
		return;
	}
	snprintf(to, sizeof to, "/grids/%s", code);
	req_redirect(r, to);
}

/* <select> options built from a callback: value, label pairs. */
struct opts {
	const char *v[402];
	char store[200][2][160];
	int n;
};
static void opt_add(struct opts *o, const char *value, const char *label)
{
	if (o->n >= 200)
		return;
	snprintf(o->store[o->n][0], sizeof o->store[0][0], "%s", value);
	snprintf(o->store[o->n][1], sizeof o->store[0][1], "%s", label);
	o->v[2 * o->n] = o->store[o->n][0];
	o->v[2 * o->n + 1] = o->store[o->n][1];
	o->n++;
	o->v[2 * o->n] = NULL;
}
static void org_opt(const char *code, const char *name, void *ctx) { opt_add(ctx, code, name); }
static void worker_opt(const char *username, const char *name, void *ctx)
{
	char label[80];
	snprintf(label, sizeof label, "%s（%s）", name, username);
	opt_add(ctx, username, label);
}
static void central_opt(int64_t id, const char *name, int64_t households, void *ctx)
{
	char v[24], label[80];
	snprintf(v, sizeof v, "%lld", (long long)id);
	snprintf(label, sizeof label, "%s（已联系 %lld 户）", name, (long long)households);
	opt_add(ctx, v, label);
}

static void grids_page_new(req *r)
{
	if (!permission_allows(&perm_grid_create, &r->actor)) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_FORBIDDEN, "无权新建网格"), &e);
		return;
	}
	if (req_is_post(r)) {
		struct field_errors e = {0};
		int64_t id;
		const char *worker = req_form(r, "worker");
		enum dj_result res = grid_create(r->db, &r->actor, req_form(r, "code"), req_form(r, "name"), req_form(r, "org"),
						 worker && *worker ? worker : NULL, &id, &e);
		if (res == DJ_OK) {
			char to[80];
			snprintf(to, sizeof to, "/grids/%s", req_form(r, "code"));
			flash_set(r, "ok", "网格已建立");
			req_redirect(r, to);
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, "新建网格");
	buf_puts(&r->out, "<div class=\"breadcrumbs\"><a href=\"/grids\">网格</a> › <span>新建网格</span></div><section class=\"card\">");
	form_begin(r, "/grids/new");
	form_input(r, "code", "网格编码", "text", form_value(r, "code", ""), "2–32 位字母、数字或连字符，如 CJC-G3");
	form_input(r, "name", "网格名称", "text", form_value(r, "name", ""), "如 陈集村第三网格");
	struct opts *o = calloc(1, sizeof *o);
	grid_orgs_each(r->db, &r->actor, org_opt, o);
	form_select(r, "org", "所属村（社区）党支部", o->v, form_value(r, "org", r->actor.role == R_BRANCH && o->n ? o->v[0] : ""));
	memset(o, 0, sizeof *o);
	opt_add(o, "", "暂不指定");
	grid_workers_each(r->db, &r->actor, worker_opt, o);
	form_select(r, "worker", "网格员", o->v, form_value(r, "worker", ""));
	free(o);
	form_end(r, "建立网格");
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

/* The grid of the path, or the failure answered. */
static bool load_grid(req *r, struct grid *g)
{
	struct field_errors e = {0};
	enum dj_result res = grid_load(r->db, &r->actor, req_param(r, "code"), g, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	return res == DJ_OK;
}

static void grids_page_edit(req *r)
{
	struct grid g;
	if (!load_grid(r, &g))
		return;
	if (!permission_allows(&perm_grid_create, &r->actor)) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_FORBIDDEN, "无权修改网格"), &e);
		return;
	}
	char back[80];
	snprintf(back, sizeof back, "/grids/%s", g.code);
	if (req_is_post(r)) {
		struct field_errors e = {0};
		enum dj_result res = grid_update(r->db, &r->actor, g.code, req_form(r, "name"), req_form(r, "worker"), &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "网格已保存");
			req_redirect(r, back);
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, "修改网格");
	html_printf(&r->out,
		    "<div class=\"breadcrumbs\"><a href=\"/grids\">网格</a> › <a href=\"%s\">%s</a> › <span>修改</span></div><section class=\"card\">",
		    back, g.name);
	char action[96];
	snprintf(action, sizeof action, "%s/edit", back);
	form_begin(r, action);
	form_input(r, "name", "网格名称", "text", form_value(r, "name", g.name), NULL);
	struct opts *o = calloc(1, sizeof *o);
	opt_add(o, "", "暂不指定");
	grid_workers_each(r->db, &r->actor, worker_opt, o);
	form_select(r, "worker", "网格员", o->v, form_value(r, "worker", g.worker));
	free(o);
	form_end(r, "保存");
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void household_row(const struct household *h, void *ctx)
{
	struct rows *x = ctx;
	/* the address opens the edit form: no extra column on a phone */
	if (x->manage)
		html_printf(&x->r->out, "<tr><td><a href=\"/grids/%s/households/%lld\">%s</a></td>", x->code, (long long)h->id, h->address);
	else
		html_printf(&x->r->out, "<tr><td>%s</td>", h->address);
	html_printf(&x->r->out, "<td>%s</td><td>%lld</td><td>%s</td></tr>", h->head_name, (long long)h->size,
		    *h->central_member ? h->central_member : "—");
	x->n++;
}

/* One 三长 in three columns that fit a phone: who (role, name, phone, area,
 * login), what they collected, and the actions. */
static void leader_row(const struct grid_leader *l, void *ctx)
{
	struct rows *x = ctx;
	req *r = x->r;
	char ph[24];
	mask_phone(l->phone, ph);
	html_printf(&r->out, "<tr><td><strong>%s %s</strong><br><small class=\"muted\">%s · %s", l->role, l->name, *l->phone ? ph : "无电话",
		    *l->area ? l->area : "未填片区");
	if (*l->username)
		html_printf(&r->out, " · 账号 %s", l->username);
	html_printf(&r->out, "</small></td><td>%lld 件</td>", (long long)l->collected);
	if (x->manage)
		html_printf(
			&r->out,
			"<td><a class=\"btn btn-small\" href=\"/grids/collect?leader=%lld\">代为反映</a>"
			"<form class=\"inline\" method=\"post\" action=\"/grids/%s/leaders/%lld/delete\">"
			"<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			"<button class=\"btn-link\" type=\"submit\" data-confirm=\"确定移除%s %s？已收集的社情民意仍计入统计。\">移除</button></form></td>",
			(long long)l->id, x->code, (long long)l->id, layout_csrf(r), l->role, l->name);
	buf_puts(&r->out, "</tr>");
	x->n++;
}

static void grids_page_detail(req *r)
{
	struct grid g;
	if (!load_grid(r, &g))
		return;
	bool manage = grid_manages(&r->actor, &g);
	page_begin(r, g.name);
	html_printf(&r->out,
		    "<div class=\"breadcrumbs\"><a href=\"/grids\">网格</a> › <span>%s</span></div>"
		    "<section class=\"card\"><dl class=\"kv\"><dt>网格编码</dt><dd>%s</dd><dt>所属</dt><dd>%s</dd>"
		    "<dt>网格员</dt><dd>%s</dd><dt>户数</dt><dd>%lld 户，%lld 人</dd></dl>",
		    g.name, g.code, g.org_name, *g.worker_name ? g.worker_name : "—", (long long)g.households, (long long)g.residents);
	if (permission_allows(&perm_grid_create, &r->actor))
		html_printf(&r->out, "<div class=\"actions\"><a class=\"btn\" href=\"/grids/%s/edit\">修改网格</a></div>", g.code);
	buf_puts(&r->out, "</section>");

	/* 三长制: who is responsible for which part, and what each collected */
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">三长制（片长、组长、邻长）</h2>"
			  "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>三长</th><th>收集社情民意</th>");
	if (manage)
		buf_puts(&r->out, "<th></th>");
	buf_puts(&r->out, "</tr></thead><tbody>");
	struct rows x = {r, NULL, 0, manage, g.code};
	leaders_each(r->db, &g, leader_row, &x);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!x.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>还没有登记三长</p></div>");
	if (manage)
		html_printf(&r->out, "<div class=\"actions\"><a class=\"btn\" href=\"/grids/%s/leaders/new\">登记三长</a></div>", g.code);
	buf_puts(&r->out, "</section>");

	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">住户</h2><div class=\"table-wrap\"><table class=\"table\">"
			  "<thead><tr><th>地址</th><th>户主</th><th>人口</th><th>联系的党员中心户</th></tr></thead><tbody>");
	x.n = 0;
	households_each(r->db, &g, true, household_row, &x);
	buf_puts(&r->out, "</tbody></table></div>");
	if (manage)
		html_printf(&r->out, "<div class=\"actions\"><a class=\"btn btn-primary\" href=\"/grids/%s/households/new\">登记住户</a></div>", g.code);
	buf_puts(&r->out, "</section>");
	page_end(r);
}

/* The household form, for a new one (h NULL) or an existing one. */
static void household_form(req *r, const struct grid *g, const struct household *h, const char *action)
{
	char size[24] = "1", central[24] = "";
	if (h) {
		snprintf(size, sizeof size, "%lld", (long long)h->size);
		if (h->central_member_id)
			snprintf(central, sizeof central, "%lld", (long long)h->central_member_id);
	}
	form_begin(r, action);
	form_input(r, "address", "住址", "text", form_value(r, "address", h ? h->address : ""), "100 字以内");
	form_input(r, "head_name", "户主", "text", form_value(r, "head_name", h ? h->head_name : ""), NULL);
	form_input(r, "size", "人口", "number", form_value(r, "size", size), "1 到 30");
	struct opts *o = calloc(1, sizeof *o);
	opt_add(o, "", "无");
	grid_centrals_each(r->db, g, central_opt, o);
	form_select(r, "central_member_id", "联系的党员中心户（每人至多 15 户）", o->v, form_value(r, "central_member_id", central));
	free(o);
	form_end(r, "保存");
}

static void grids_page_household(req *r)
{
	struct grid g;
	if (!load_grid(r, &g))
		return;
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id"); /* 0: a new one (/households/new) */
	struct household h;
	enum dj_result res = id ? household_load(r->db, &g, id, &h, &e) : DJ_OK;
	if (res == DJ_OK && !grid_manages(&r->actor, &g))
		res = dj_fail(&e, DJ_FORBIDDEN, "网格员只能管理本网格的住户");
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char back[80];
	snprintf(back, sizeof back, "/grids/%s", g.code);
	if (req_is_post(r)) {
		const char *head = req_form(r, "head_name");
		int64_t size = parse_id(req_form(r, "size")), central = parse_id(req_form(r, "central_member_id"));
		int64_t nid;
		res = id ? household_update(r->db, &r->actor, g.code, id, req_form(r, "address"), head ? head : "", size, central, &e)
			 : household_add(r->db, &r->actor, g.code, req_form(r, "address"), head ? head : "", size, central, &nid, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", id ? "住户已保存" : "住户已登记");
			req_redirect(r, back);
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, id ? "修改住户" : "登记住户");
	html_printf(&r->out,
		    "<div class=\"breadcrumbs\"><a href=\"/grids\">网格</a> › <a href=\"%s\">%s</a> › <span>%s</span></div><section class=\"card\">", back,
		    g.name, id ? "修改住户" : "登记住户");
	char action[120];
	if (id)
		snprintf(action, sizeof action, "%s/households/%lld", back, (long long)id);
	else
		snprintf(action, sizeof action, "%s/households/new", back);
	household_form(r, &g, id ? &h : NULL, action);
	if (id)
		html_printf(&r->out,
			    "<form method=\"post\" action=\"%s/delete\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<button class=\"btn btn-danger\" type=\"submit\" data-confirm=\"确定删除住户 %s？\">删除住户</button></form>",
			    action, layout_csrf(r), h.address);
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void grids_household_delete(req *r)
{
	struct field_errors e = {0};
	const char *code = req_param(r, "code");
	enum dj_result res = household_remove(r->db, &r->actor, code, req_param_id(r, "id"), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char back[80];
	snprintf(back, sizeof back, "/grids/%s", code);
	flash_set(r, "ok", "住户已删除");
	req_redirect(r, back);
}

static void grids_page_leader_new(req *r)
{
	struct grid g;
	if (!load_grid(r, &g))
		return;
	struct field_errors e = {0};
	if (!grid_manages(&r->actor, &g)) {
		req_fail(r, dj_fail(&e, DJ_FORBIDDEN, "无权登记本网格的三长"), &e);
		return;
	}
	char back[80];
	snprintf(back, sizeof back, "/grids/%s", g.code);
	if (req_is_post(r)) {
		int64_t id;
		enum dj_result res = leader_add(r->db, &r->actor, g.code, req_form(r, "role"), req_form(r, "name"), req_form(r, "phone"),
						req_form(r, "area"), req_form(r, "username"), &id, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "三长已登记");
			req_redirect(r, back);
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, "登记三长");
	html_printf(&r->out,
		    "<div class=\"breadcrumbs\"><a href=\"/grids\">网格</a> › <a href=\"%s\">%s</a> › <span>登记三长</span></div><section class=\"card\">",
		    back, g.name);
	char action[96];
	snprintf(action, sizeof action, "%s/leaders/new", back);
	form_begin(r, action);
	static const char *const roles[] = {"片长", "片长", "组长", "组长", "邻长", "邻长", NULL};
	form_select(r, "role", "职责", roles, form_value(r, "role", "邻长"));
	form_input(r, "name", "姓名", "text", form_value(r, "name", ""), "党员或群众");
	form_input(r, "phone", "手机号", "tel", form_value(r, "phone", ""), NULL);
	form_input(r, "area", "负责的住户或片区", "text", form_value(r, "area", ""), "如 东街 1–20 号");
	form_input(r, "username", "登录账号（可选）", "text", form_value(r, "username", ""), "有账号的三长可用手机自己代群众反映社情民意");
	form_end(r, "登记");
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void grids_leader_delete(req *r)
{
	struct field_errors e = {0};
	const char *code = req_param(r, "code");
	enum dj_result res = leader_remove(r->db, &r->actor, code, req_param_id(r, "id"), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char back[80];
	snprintf(back, sizeof back, "/grids/%s", code);
	flash_set(r, "ok", "三长已移除");
	req_redirect(r, back);
}

/* ---- 三长 collect 社情民意 on residents' behalf ---- */

struct pick {
	struct opts *o;
	int64_t first;
};
static void leader_opt(const struct grid_leader *l, void *ctx)
{
	struct pick *p = ctx;
	char v[24], label[150];
	snprintf(v, sizeof v, "%lld", (long long)l->id);
	snprintf(label, sizeof label, "%.90s %.12s（%.30s）", l->grid_name, l->role, l->name);
	opt_add(p->o, v, label);
	if (!p->first)
		p->first = l->id;
}

static void grids_page_collect(req *r)
{
	struct field_errors e = {0};
	const char *lq = req_is_post(r) ? req_form(r, "leader") : req_query(r, "leader");
	int64_t leader = parse_id(lq);
	char code[24] = "";
	if (req_is_post(r)) {
		bool repeated;
		enum dj_result res = leader_collect(r->db, &r->actor, leader, req_form(r, "content"), req_form(r, "urgency"), req_form(r, "contact_name"),
						    req_form(r, "contact_phone"), req_form(r, "_key"), code, &repeated, &e);
		if (res != DJ_OK && res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		if (res == DJ_INVALID) {
			form_errors_add(r, &e);
			*code = 0;
		}
	}
	page_begin(r, "代群众反映社情民意");
	if (*code) {
		html_printf(&r->out,
			    "<section class=\"card\"><h2 class=\"card-title\">已提交</h2><p>查询码 <strong class=\"code\">%s</strong>"
			    "，请告知反映人，凭此码可查询办理进度。</p>"
			    "<div class=\"actions\"><a class=\"btn btn-primary\" href=\"/grids/collect?leader=%lld\">继续反映</a></div></section>",
			    code, (long long)leader);
		page_end(r);
		return;
	}
	struct opts *o = calloc(1, sizeof *o);
	struct pick p = {o, 0};
	leader_roles_each(r->db, &r->actor, leader_opt, &p);
	/* the actor's own 三长 roles to choose from; staff or the grid worker
	 * placing on another 三长's behalf (?leader= from the grid page) enter for that one */
	char want[24];
	snprintf(want, sizeof want, "%lld", (long long)leader);
	bool own = !leader;
	for (int i = 0; i < o->n && !own; i++)
		own = !strcmp(o->store[i][0], want);
	buf_puts(&r->out, "<p class=\"lead\">三长（片长、组长、邻长）收集到的群众意见建议，在这里代为提交，由网格所在支部办理。</p>"
			  "<section class=\"card\">");
	if (!o->n && !leader) {
		buf_puts(&r->out, "<div class=\"empty\"><p>您还没有登记为网格的片长、组长或邻长。请联系支部书记在网格页登记。</p></div></section>");
		free(o);
		page_end(r);
		return;
	}
	form_begin(r, "/grids/collect");
	char key[40];
	const char *k = req_form(r, "_key");
	if (k && strlen(k) >= 8 && strlen(k) < sizeof key)
		snprintf(key, sizeof key, "%s", k);
	else
		random_token(key, sizeof key, 16);
	html_printf(&r->out, "<input type=\"hidden\" name=\"_key\" value=\"%s\">", key);
	if (own) {
		char first[24];
		snprintf(first, sizeof first, "%lld", (long long)(leader ? leader : p.first));
		form_select(r, "leader", "收集人", o->v, form_value(r, "leader", first));
	} else {
		html_printf(&r->out, "<input type=\"hidden\" name=\"leader\" value=\"%lld\">", (long long)leader);
		if (form_error_for(r, "_form") == NULL)
			buf_puts(&r->out, "<p class=\"field-hint\">由您代该三长录入，记为其收集。</p>");
	}
	free(o);
	const char *err = form_error_for(r, "content");
	html_printf(&r->out,
		    "<div class=\"field%s\"><label for=\"f-content\">社情民意内容</label>"
		    "<textarea id=\"f-content\" name=\"content\" rows=\"5\" maxlength=\"500\">%s</textarea>",
		    err ? " has-error" : "", form_value(r, "content", ""));
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
	static const char *const urg[] = {"normal", "一般", "urgent", "紧急", "complex", "较复杂", NULL};
	form_select(r, "urgency", "紧急程度", urg, form_value(r, "urgency", "normal"));
	form_input(r, "contact_name", "反映人", "text", form_value(r, "contact_name", ""), NULL);
	form_input(r, "contact_phone", "反映人手机号", "tel", form_value(r, "contact_phone", ""), "支部办理时联系，不会公开");
	form_end(r, "提交");
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

/* ---- API ---- */

static void grid_json(jw *w, const struct grid *g)
{
	jw_obj(w);
	jw_kstr(w, "code", g->code);
	jw_kstr(w, "name", g->name);
	jw_kstr(w, "org", g->org_code);
	jw_kstr(w, "org_name", g->org_name);
	jw_kstr(w, "worker", *g->worker ? g->worker : NULL);
	jw_kstr(w, "worker_name", *g->worker_name ? g->worker_name : NULL);
	jw_kint(w, "households", g->households);
	jw_kint(w, "residents", g->residents);
	jw_kint(w, "central_households", g->central_households);
	jw_end(w);
}

static void grid_item(const struct grid *g, void *ctx) { grid_json(((struct rows *)ctx)->w, g); }

static void grids_api_list(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "grids");
	jw_arr(&w);
	struct rows x = {r, &w, 0};
	grids_each(r->db, &r->actor, grid_item, &x);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field grid_fields[] = {
	{"code", "网格编码", true, 's', NULL},        {"name", "网格名称", true, 's', NULL}, {"org", "所属村（社区）党支部编码", true, 's', NULL},
	{"worker", "网格员用户名", false, 's', NULL}, {NULL, NULL, false, 0, NULL},
};

static void grids_api_create(req *r)
{
	const char *code = NULL, *name = NULL, *org = NULL, *worker = NULL;
	if (!req_json_unpack(r, grid_fields, false, "{s:s, s:s, s:s, s?s}", "code", &code, "name", &name, "org", &org, "worker", &worker))
		return;
	struct field_errors e = {0};
	int64_t id;
	struct grid g;
	enum dj_result res = grid_create(r->db, &r->actor, code, name, org, worker, &id, &e);
	if (res == DJ_OK)
		res = grid_load(r->db, &r->actor, code, &g, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	grid_json(&w, &g);
}

static void household_item(const struct household *h, void *ctx)
{
	jw *w = ((struct rows *)ctx)->w;
	jw_obj(w);
	jw_kint(w, "id", h->id);
	jw_kstr(w, "address", h->address);
	jw_kstr(w, "head_name", h->head_name);
	jw_kint(w, "size", h->size);
	if (h->central_member_id) {
		jw_kint(w, "central_member_id", h->central_member_id);
		jw_kstr(w, "central_member", h->central_member);
	}
	jw_end(w);
}

static void grids_api_households(req *r)
{
	struct grid g;
	struct field_errors e = {0};
	enum dj_result res = grid_load(r->db, &r->actor, req_param(r, "code"), &g, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "households");
	jw_arr(&w);
	struct rows x = {r, &w, 0};
	households_each(r->db, &g, false, household_item, &x);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field household_fields[] = {
	{"address", "住址", true, 's', NULL}, {"head_name", "户主姓名", false, 's', NULL},
	{"size", "人口", false, 'I', NULL},   {"central_member_id", "联系的党员中心户（党员 id）", false, 'I', NULL},
	{NULL, NULL, false, 0, NULL},
};

static void grids_api_add_household(req *r)
{
	/* a grid outside the caller's subtree is not found, whatever the body */
	struct grid g;
	struct field_errors e = {0};
	const char *code = req_param(r, "code");
	enum dj_result res = grid_load(r->db, &r->actor, code, &g, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	const char *address = NULL, *head = "";
	json_int_t size = 1, central = 0;
	if (!req_json_unpack(r, household_fields, false, "{s:s, s?s, s?I, s?I}", "address", &address, "head_name", &head, "size", &size,
			     "central_member_id", &central))
		return;
	int64_t id;
	res = household_add(r->db, &r->actor, code, address, head, (int64_t)size, (int64_t)central, &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "id", id);
	jw_kstr(&w, "address", address);
	jw_end(&w);
}

/* ---- the module record (module.h) ---- */

static const route grids_routes[] = {
	{"GET", "/grids", grids_page_list, R_STAFF | R_GRID, 0, 0, "grids"},
	{"GET", "/grids/mine", grids_page_mine, R_GRID, 0, 0, "grid_mine"},
	{"GET", "/grids/new", grids_page_new, R_STAFF, 0, 0, "grid_new"},
	{"POST", "/grids/new", grids_page_new, R_STAFF, 0, 4 * KiB, "grid_new"},
	{"GET", "/grids/collect", grids_page_collect, R_STAFF | R_GRID | R_MEMBER, 0, 0, "grid_collect"},
	{"POST", "/grids/collect", grids_page_collect, R_STAFF | R_GRID | R_MEMBER, 0, 8 * KiB, "grid_collect"},
	{"GET", "/grids/:code", grids_page_detail, R_STAFF | R_GRID, 0, 0, "grid"},
	{"GET", "/grids/:code/edit", grids_page_edit, R_STAFF, 0, 0, "grid_edit"},
	{"POST", "/grids/:code/edit", grids_page_edit, R_STAFF, 0, 4 * KiB, "grid_edit"},
	{"GET", "/grids/:code/households/new", grids_page_household, R_STAFF | R_GRID, 0, 0, "household"},
	{"POST", "/grids/:code/households/new", grids_page_household, R_STAFF | R_GRID, 0, 4 * KiB, "household"},
	{"GET", "/grids/:code/households/:id", grids_page_household, R_STAFF | R_GRID, 0, 0, "household"},
	{"POST", "/grids/:code/households/:id", grids_page_household, R_STAFF | R_GRID, 0, 4 * KiB, "household"},
	{"POST", "/grids/:code/households/:id/delete", grids_household_delete, R_STAFF | R_GRID, 0, 1 * KiB, "household_delete"},
	{"GET", "/grids/:code/leaders/new", grids_page_leader_new, R_STAFF | R_GRID, 0, 0, "leader_new"},
	{"POST", "/grids/:code/leaders/new", grids_page_leader_new, R_STAFF | R_GRID, 0, 4 * KiB, "leader_new"},
	{"POST", "/grids/:code/leaders/:id/delete", grids_leader_delete, R_STAFF | R_GRID, 0, 1 * KiB, "leader_delete"},
	{"GET", "/api/v1/grids", grids_api_list, R_STAFF | R_GRID, RF_API, 0, "api_grids"},
	{"POST", "/api/v1/grids", grids_api_create, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_API, 4 * KiB, "api_grids"},
	{"GET", "/api/v1/grids/:code/households", grids_api_households, R_STAFF | R_GRID, RF_API, 0, "api_households"},
	{"POST", "/api/v1/grids/:code/households", grids_api_add_household, R_STAFF | R_GRID, RF_API, 4 * KiB, "api_households"},
};
static const struct nav_entry grids_nav[] = {
	{"/grids", "网格", R_ADMIN | R_COMMITTEE | R_BRANCH, 35, NAV_ORDERS},
	{"/grids/mine", "我的网格", R_GRID, 35, NAV_ORDERS},
	{"/grids/collect", "三长反映", R_MEMBER, 36, NAV_ORDERS},
};
static const struct permission *const grids_perms[] = {&perm_grid_view, &perm_grid_create, &perm_household_add, &perm_leader_manage, &perm_order_collect};
const struct module grids_module = {
	.name = "grids",
	.routes = grids_routes,
	.routes_n = COUNT_OF(grids_routes),
	.nav = grids_nav,
	.nav_n = COUNT_OF(grids_nav),
	.permissions = grids_perms,
	.permissions_n = COUNT_OF(grids_perms),
};
