/* users_web — the admin's account pages: list, new, edit. Thin: the checks,
 * the SQL and the audit are in users.c. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "layout.h"
#include "members.h"
#include "module.h"
#include "orgs_web.h"
#include "users.h"
#include "util.h"
#include "web.h"

static const char *const role_options[] = {
	"member", "党员", "branch", "支部书记", "grid", "网格员", "committee", "镇党委", "reviewer", "联审部门", "admin", "系统管理员", NULL,
};

static void user_row(const struct user *u, void *ctx)
{
	req *r = ctx;
	const char *badge = u->pending ? "" : u->active ? " badge-green" : " badge-grey";
	html_printf(&r->out,
		    "<tr><td data-label=\"用户名\"><a href=\"/admin/users/%lld\">%s</a></td><td data-label=\"姓名\">%s</td><td data-label=\"角色\">%s</td>"
		    "<td data-label=\"所属组织\">%s</td><td data-label=\"状态\">"
		    "<span class=\"badge%s\">%s</span>",
		    (long long)u->id, u->username, u->name, role_label(role_from_key(u->role)), u->org_name, badge,
		    u->pending  ? "待激活"
		    : u->active ? "启用"
				: "停用");
	/* issue 10 §1: the slip of an account awaiting activation, made anew
	 * (the code is shown once; the old one ends) from the roster record */
	int64_t member = u->pending ? member_of_account(r->db, u->id) : 0;
	if (member)
		html_printf(
			&r->out,
			" <form class=\"inline\" method=\"post\" action=\"/members/%lld/account\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			"<button class=\"btn btn-secondary btn-small\" type=\"submit\" data-confirm=\"将为%s生成新的激活码并打印激活单，旧激活码随即作废。确定吗？\">"
			"激活单</button></form> <a href=\"/members/%lld\">党员档案</a>",
			(long long)member, layout_csrf(r), u->name, (long long)member);
	buf_puts(&r->out, "</td></tr>");
}

#define USERS_PAGE 50

static void users_page_list(req *r)
{
	const char *q = req_query(r, "q"), *status = req_query(r, "status"), *sort = req_query(r, "sort");
	bool pending = status && !strcmp(status, "pending");
	bool sort_known = !sort || !*sort;
	for (const char *const *p = users_sorts; !sort_known && *p; p += 2)
		sort_known = !strcmp(*p, sort);
	if (!sort_known) {
		struct field_errors e = {0};
		ferr_add(&e, "sort", "排序方式应为按组织、用户名、姓名或角色");
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	int64_t page = parse_id(req_query(r, "page")), total = 0;
	if (page < 1)
		page = 1;
	page_begin(r, "用户管理");
	buf_puts(&r->out, "<div class=\"actions\"><a class=\"btn btn-primary\" href=\"/admin/users/new\">新建用户</a></div>");
	/* issue 10 §1: the accounts awaiting activation apart, with their count */
	int64_t n_pending = users_count_pending(r->db, &r->actor);
	/* the attributes are markup: chosen among literals, never through %s (escaped) */
	html_printf(&r->out,
		    pending ? "<nav class=\"tabs\" aria-label=\"账号状态\"><a href=\"/admin/users\">全部</a>"
			      "<a href=\"/admin/users?status=pending\" class=\"active\" aria-current=\"page\" id=\"users-pending\">待激活 "
			      "<span class=\"badge\">%lld</span></a></nav>"
			    : "<nav class=\"tabs\" aria-label=\"账号状态\"><a href=\"/admin/users\" class=\"active\" aria-current=\"page\">全部</a>"
			      "<a href=\"/admin/users?status=pending\" id=\"users-pending\">待激活 <span class=\"badge\">%lld</span></a></nav>",
		    (long long)n_pending);
	if (pending)
		buf_puts(&r->out,
			 "<p class=\"muted\">这些党员账号已开通但尚未激活（还没有设置密码）。激活码只显示一次：遗失时点“激活单”重新生成并打印。</p>");
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/admin/users\"><label class=\"sr-only\" for=\"f-q\">搜索</label>"
		    "<input id=\"f-q\" name=\"q\" type=\"search\" placeholder=\"用户名或姓名\" value=\"%s\">",
		    q ? q : "");
	if (pending)
		buf_puts(&r->out, "<input type=\"hidden\" name=\"status\" value=\"pending\">");
	buf_puts(&r->out, "<label class=\"sr-only\" for=\"f-sort\">排序</label><select id=\"f-sort\" name=\"sort\">");
	for (const char *const *p = users_sorts; *p; p += 2)
		html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", p[0], sort && !strcmp(sort, p[0]) ? " selected" : "", p[1]);
	buf_puts(&r->out, "</select><button class=\"btn\" type=\"submit\">查询</button></form>");
	buf rows = {0};
	buf saved = r->out;
	r->out = rows; /* the rows first, so the count heads the table */
	users_page(r->db, &r->actor, q, pending, sort, USERS_PAGE, (page - 1) * USERS_PAGE, user_row, r, &total);
	rows = r->out;
	r->out = saved;
	html_printf(&r->out, "<p class=\"muted\" id=\"users-total\">共 %lld 个%s用户</p>", (long long)total, pending ? "待激活" : "");
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>用户名</th><th>姓名</th><th>角色</th>"
			  "<th>所属组织</th><th>状态</th></tr></thead><tbody>");
	buf_puts(&r->out, buf_str(&rows));
	buf_free(&rows);
	buf_puts(&r->out, "</tbody></table></div>");
	int64_t pages = (total + USERS_PAGE - 1) / USERS_PAGE;
	if (pages > 1) {
		buf link = {0};
		if (q && *q) {
			buf_puts(&link, "q=");
			url_encode(&link, q);
			buf_putc(&link, '&');
		}
		if (pending)
			buf_puts(&link, "status=pending&");
		if (sort && *sort) {
			buf_puts(&link, "sort=");
			url_encode(&link, sort);
			buf_putc(&link, '&');
		}
		buf_puts(&r->out, "<nav class=\"pager\">");
		if (page > 1)
			html_printf(&r->out, "<a href=\"/admin/users?%spage=%lld\">上一页</a>", buf_str(&link), (long long)page - 1);
		html_printf(&r->out, "<span>第 %lld / %lld 页</span>", (long long)page, (long long)pages);
		if (page < pages)
			html_printf(&r->out, "<a href=\"/admin/users?%spage=%lld\">下一页</a>", buf_str(&link), (long long)page + 1);
		buf_puts(&r->out, "</nav>");
		buf_free(&link);
	}
	page_end(r);
}

static void user_form(req *r, const char *action, bool is_new, const char *username, const char *name, const char *role, int64_t org_id, bool active)
{
	form_begin(r, action);
	if (is_new)
		form_input(r, "username", "用户名", "text", form_value(r, "username", username), "小写字母、数字、下划线，3–32 位");
	form_input(r, "name", "姓名", "text", form_value(r, "name", name), NULL);
	form_select(r, "role", "角色", role_options, form_value(r, "role", role));
	char org[24];
	snprintf(org, sizeof org, "%lld", (long long)org_id);
	orgs_form_select(r, "org_id", "所属组织", form_value(r, "org_id", org));
	form_input(r, "password", is_new ? "初始密码" : "重置密码（不改请留空）", "password", "", "至少 8 位，同时包含字母和数字");
	if (!is_new) {
		static const char *const active_opts[] = {"1", "启用", "0", "停用", NULL};
		form_select(r, "active", "状态", active_opts, form_value(r, "active", active ? "1" : "0"));
		/* 停用 shuts the account out: asked only when chosen */
		form_end_confirm(r, "保存", "停用后该用户将不能再登录。确定停用吗？", "active:0");
		return;
	}
	form_end(r, "保存");
}

static void users_page_new(req *r)
{
	if (req_is_post(r)) {
		struct field_errors e = {0};
		int64_t id;
		enum dj_result res = users_create(r->db, &r->actor, req_form(r, "username"), req_form(r, "name"), req_form(r, "role"),
						  parse_id(req_form(r, "org_id")), req_form(r, "password"), &id, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "用户已创建");
			req_redirect(r, "/admin/users");
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, "新建用户");
	buf_puts(&r->out, "<section class=\"card\">");
	user_form(r, "/admin/users/new", true, "", "", "member", r->actor.org_id, true);
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void users_page_edit(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct user u;
	struct field_errors e = {0};
	enum dj_result res = users_load(r->db, &r->actor, id, &u, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	if (req_is_post(r)) {
		const char *active = req_form(r, "active");
		res = users_update(r->db, &r->actor, id, req_form(r, "name"), req_form(r, "role"), parse_id(req_form(r, "org_id")),
				   active && !strcmp(active, "1"), req_form(r, "password"), &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "已保存");
			req_redirect(r, "/admin/users");
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	char title[100];
	snprintf(title, sizeof title, "编辑用户 %s", u.username);
	page_begin(r, title);
	buf_puts(&r->out, "<section class=\"card\">");
	char action[64];
	snprintf(action, sizeof action, "/admin/users/%lld", (long long)id);
	user_form(r, action, false, u.username, u.name, u.role, u.org_id, u.active);
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

/* ---- the module record (module.h) ---- */

static const route users_routes[] = {
	{"GET", "/admin/users", users_page_list, R_ADMIN, 0, 0, "users"},
	{"GET", "/admin/users/new", users_page_new, R_ADMIN, 0, 0, "user_new"},
	{"POST", "/admin/users/new", users_page_new, R_ADMIN, 0, 8 * KiB, "user_new"},
	{"GET", "/admin/users/:id", users_page_edit, R_ADMIN, 0, 0, "user"},
	{"POST", "/admin/users/:id", users_page_edit, R_ADMIN, 0, 8 * KiB, "user"},
};
static const struct nav_entry users_nav[] = {
	{"/admin/users", "用户管理", R_ADMIN, 70, NAV_SYSTEM},
};
static const struct permission *const users_perms[] = {&perm_user_view, &perm_user_manage};
const struct module users_module = {
	.name = "users",
	.routes = users_routes,
	.routes_n = COUNT_OF(users_routes),
	.nav = users_nav,
	.nav_n = COUNT_OF(users_nav),
	.permissions = users_perms,
	.permissions_n = COUNT_OF(users_perms),
};
