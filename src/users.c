/* users — accounts: each user has one role of SPEC §1 and belongs to one org. */
#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "layout.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"
#include "module.h"

const struct permission perm_user_view = {"user.view", "查看账号", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_user_manage = {"user.manage", "创建账号、重置密码、停用", R_ADMIN};

const char *users_check_username(const char *u)
{
	if (!u || !*u)
		return "请填写用户名";
	size_t n = strlen(u);
	if (n < 3 || n > 32)
		return "用户名长度应为 3 到 32 个字符";
	for (const char *p = u; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return "用户名只能包含小写字母、数字、下划线、点和连字符";
	return NULL;
}

const char *users_check_name(const char *name)
{
	if (!name || !*name)
		return "请填写姓名";
	if (!utf8_valid(name) || utf8_len(name) > 30)
		return "姓名不能超过 30 个字";
	return NULL;
}

int64_t users_create(db *d, const char *username, const char *name, const char *role, int64_t org_id, const char *password,
		     char *err, size_t errlen)
{
	const char *why = users_check_username(username);
	if (!why) why = users_check_name(name);
	if (!why && !role_from_key(role)) why = "角色无效";
	if (!why) why = password_weak(password);
	if (!why && db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE id = ?", "I", org_id) == 0) why = "所属组织不存在";
	if (!why && db_int1(d, 0, "SELECT COUNT(*) FROM users WHERE username = ?", "t", username) > 0) why = "用户名已存在";
	char hash[128];
	if (!why && !password_hash(password, hash)) why = "系统繁忙，请稍后再试";
	if (why) {
		snprintf(err, errlen, "%s", why);
		return 0;
	}
	int64_t now = now_unix();
	int64_t id = db_int1(d, 0,
			     "INSERT INTO users (username, password_hash, name, role, org_id, active, created_at, updated_at) "
			     "VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
			     "ttttIII", username, hash, name, role, org_id, now, now);
	if (!id)
		snprintf(err, errlen, "保存失败：%s", db_errmsg(d));
	return id;
}

int users_set_password(db *d, int64_t id, const char *password)
{
	char hash[128];
	if (!password_hash(password, hash))
		return DB_BUSY;
	return db_run(d, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", "tII", hash, now_unix(), id);
}

char *users_password_hash_of(db *d, int64_t id)
{
	char *h = NULL;
	db_stmt *s = db_query(d, "SELECT password_hash FROM users WHERE id = ?", "I", id);
	if (db_next(s))
		h = strdup(db_str(s, 0));
	db_done(s);
	return h;
}

static const char *const role_options[] = {
	"member", "党员", "branch", "支部书记", "grid", "网格员", "committee", "镇党委", "reviewer", "联审部门", "admin", "系统管理员", NULL,
};

void users_page_list(req *r)
{
	page_begin(r, "用户管理");
	buf_puts(&r->out, "<div class=\"actions\"><a class=\"btn btn-primary\" href=\"/admin/users/new\">新建用户</a></div>");
	db_stmt *s = db_query(r->db,
			      "SELECT u.id, u.username, u.name, u.role, o.name, u.active FROM users u JOIN orgs o ON o.id = u.org_id "
			      "ORDER BY o.path, u.role, u.username",
			      "");
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>用户名</th><th>姓名</th><th>角色</th>"
			  "<th>所属组织</th><th>状态</th></tr></thead><tbody>");
	while (db_next(s))
		html_printf(&r->out, "<tr><td><a href=\"/admin/users/%lld\">%s</a></td><td>%s</td><td>%s</td><td>%s</td><td>"
				     "<span class=\"badge %s\">%s</span></td></tr>",
			    (long long)db_int(s, 0), db_str(s, 1), db_str(s, 2), role_label(role_from_key(db_str(s, 3))),
			    db_str(s, 4), db_int(s, 5) ? "badge-green" : "badge-grey", db_int(s, 5) ? "启用" : "停用");
	db_done(s);
	buf_puts(&r->out, "</tbody></table></div>");
	page_end(r);
}

static void user_form(req *r, const char *action, bool is_new, const char *username, const char *name, const char *role,
		      int64_t org_id, bool active)
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
	}
	form_end(r, "保存");
}

void users_page_new(req *r)
{
	if (req_is_post(r)) {
		const char *username = req_form(r, "username"), *name = req_form(r, "name"), *role = req_form(r, "role");
		const char *pw = req_form(r, "password");
		int64_t org_id = parse_id(req_form(r, "org_id"));
		const char *why;
		if ((why = users_check_username(username))) form_error(r, "username", why);
		if ((why = users_check_name(name))) form_error(r, "name", why);
		if (!role_from_key(role)) form_error(r, "role", "请选择角色");
		if (!org_id || !authorize(r, &perm_user_manage, org_id)) form_error(r, "org_id", "请选择所属组织");
		if ((why = password_weak(pw))) form_error(r, "password", why);
		if (!form_has_errors(r) && db_int1(r->db, 0, "SELECT COUNT(*) FROM users WHERE username = ?", "t", username))
			form_error(r, "username", "用户名已存在");
		if (!form_has_errors(r)) {
			char err[200];
			int64_t id = users_create(r->db, username, name, role, org_id, pw, err, sizeof err);
			if (id) {
				char sum[200];
				snprintf(sum, sizeof sum, "新建 %s（%s，%s）", username, name, role_label(role_from_key(role)));
				audit_log(r, "user.create", "user", id, org_id, sum);
				flash_set(r, "ok", "用户已创建");
				req_redirect(r, "/admin/users");
				return;
			}
			form_error(r, "_form", err);
		}
	}
	page_begin(r, "新建用户");
	buf_puts(&r->out, "<section class=\"card\">");
	user_form(r, "/admin/users/new", true, "", "", "member", r->actor.org_id, true);
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

void users_page_edit(req *r)
{
	int64_t id = req_param_id(r, "id");
	char username[64] = "", name[64] = "", role[16] = "";
	int64_t org_id = 0;
	bool active = false, found = false;
	db_stmt *s = db_query(r->db, "SELECT username, name, role, org_id, active FROM users WHERE id = ?", "I", id);
	if (db_next(s)) {
		found = true;
		snprintf(username, sizeof username, "%s", db_str(s, 0));
		snprintf(name, sizeof name, "%s", db_str(s, 1));
		snprintf(role, sizeof role, "%s", db_str(s, 2));
		org_id = db_int(s, 3);
		active = db_int(s, 4) != 0;
	}
	db_done(s);
	if (!found || !authorize(r, &perm_user_manage, org_id)) {
		req_error(r, 404, "not_found", "用户不存在");
		return;
	}
	if (req_is_post(r)) {
		const char *nname = req_form(r, "name"), *nrole = req_form(r, "role"), *pw = req_form(r, "password");
		const char *nactive = req_form(r, "active");
		int64_t norg = parse_id(req_form(r, "org_id"));
		const char *why;
		if ((why = users_check_name(nname))) form_error(r, "name", why);
		if (!role_from_key(nrole)) form_error(r, "role", "请选择角色");
		if (!norg || !authorize(r, &perm_user_manage, norg) ||
		    !db_int1(r->db, 0, "SELECT COUNT(*) FROM orgs WHERE id = ?", "I", norg))
			form_error(r, "org_id", "请选择所属组织");
		if (pw && *pw && (why = password_weak(pw))) form_error(r, "password", why);
		if (id == r->actor.user_id && (!nactive || strcmp(nactive, "1") || strcmp(nrole, "admin")))
			form_error(r, "role", "不能停用自己或取消自己的管理员角色");
		if (!form_has_errors(r)) {
			bool nact = nactive && !strcmp(nactive, "1");
			db_run(r->db, "UPDATE users SET name = ?, role = ?, org_id = ?, active = ?, updated_at = ? WHERE id = ?", "ttIiII",
			       nname, nrole, norg, nact ? 1 : 0, now_unix(), id);
			if (pw && *pw)
				users_set_password(r->db, id, pw);
			if (!nact || (pw && *pw))
				db_run(r->db, "DELETE FROM sessions WHERE user_id = ?", "I", id);
			char sum[400];
			snprintf(sum, sizeof sum, "%s/%s/org %lld/%s → %s/%s/org %lld/%s%s", name, role, (long long)org_id,
				 active ? "启用" : "停用", nname, nrole, (long long)norg, nact ? "启用" : "停用",
				 pw && *pw ? "，重置密码" : "");
			audit_log(r, "user.update", "user", id, norg, sum);
			flash_set(r, "ok", "已保存");
			req_redirect(r, "/admin/users");
			return;
		}
	}
	char title[100];
	snprintf(title, sizeof title, "编辑用户 %s", username);
	page_begin(r, title);
	buf_puts(&r->out, "<section class=\"card\">");
	char action[64];
	snprintf(action, sizeof action, "/admin/users/%lld", (long long)id);
	user_form(r, action, false, username, name, role, org_id, active);
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
	{"/admin/users", "用户管理", R_ADMIN, 70},
};
static const struct permission *const users_perms[] = {&perm_user_view, &perm_user_manage};
const struct module users_module = {
	.name = "users",
	.routes = users_routes, .routes_n = COUNT_OF(users_routes),
	.nav = users_nav, .nav_n = COUNT_OF(users_nav),
	.permissions = users_perms, .permissions_n = COUNT_OF(users_perms),
};
