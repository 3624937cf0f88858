/* site_web — the public site (home, 点单 and 公示 placeholders), login and
 * logout, the 简/繁 switch, the console home and the password page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "compress.h"
#include "embedded.h"
#include "layout.h"
#include "orgs.h"
#include "settings.h"
#include "users.h"
#include "util.h"
#include "web.h"
#include "module.h"

static void page_home(req *r)
{
	page_begin(r, "首页");
	html_printf(&r->out,
		    "<div class=\"hero\"><h2>%s</h2><p>群众点单、支部接单、党员送单——有事您说话，我们来办。</p>"
		    "<div class=\"actions\"><a class=\"btn btn-primary\" href=\"/order\">我要点单</a>"
		    "<a class=\"btn\" href=\"/track\">查询进度</a></div></div>",
		    settings_site_name());
	/* the icons are characters, not emoji: every phone and this server's fonts have them */
	buf_puts(&r->out,
		 "<div class=\"tiles\">"
		 "<a class=\"tile\" href=\"/order\"><span class=\"tile-icon\" aria-hidden=\"true\">单</span><span class=\"tile-title\">我要点单</span>"
		 "<span class=\"tile-text\">提出需求、代办事项、意见建议</span></a>"
		 "<a class=\"tile\" href=\"/track\"><span class=\"tile-icon\" aria-hidden=\"true\">查</span><span class=\"tile-title\">查询进度</span>"
		 "<span class=\"tile-text\">凭查询码查看办理情况、评价</span></a>"
		 "<a class=\"tile\" href=\"/wishes\"><span class=\"tile-icon\" aria-hidden=\"true\">愿</span><span class=\"tile-title\">微心愿</span>"
		 "<span class=\"tile-text\">群众许愿，党员认领</span></a>"
		 "<a class=\"tile\" href=\"/login\"><span class=\"tile-icon\" aria-hidden=\"true\">登</span><span class=\"tile-title\">工作人员登录</span>"
		 "<span class=\"tile-text\">党委、支部、党员、网格员</span></a>"
		 "</div>");
	page_end(r);
}

/* 公示 arrives with its mechanism (M7); until then the public page says so
 * plainly instead of pretending. */
static void page_notices_placeholder(req *r)
{
	page_begin(r, "公示公告");
	buf_puts(&r->out, "<div class=\"empty\"><p>目前没有正在公示的内容。</p></div>");
	page_end(r);
}

/* A local path to go back to, never another site. */
static const char *safe_back(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\' || strlen(p) > 512)
		return "/";
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20)
			return "/";
	return p;
}

static void page_lang(req *r)
{
	const char *to = req_query(r, "to");
	req_set_cookie(r, "dj_lang", to && !strcmp(to, "hant") ? "hant" : "hans", 365 * 86400, false);
	req_redirect(r, safe_back(req_query(r, "back")));
}

static void login_form(req *r, const char *next)
{
	page_begin(r, "登录");
	buf_puts(&r->out, "<div class=\"login-box\">");
	buf act = {0};
	buf_puts(&act, "/login?next=");
	url_encode(&act, next);
	form_begin(r, buf_str(&act));
	buf_free(&act);
	form_input(r, "username", "用户名或手机号", "text", form_value(r, "username", ""), NULL);
	form_input(r, "password", "密码", "password", "", NULL);
	form_end(r, "登录");
	buf_puts(&r->out, "<p class=\"muted\">群众点单无需登录，请返回<a href=\"/\">首页</a>。</p></div>");
	page_end(r);
}

static void page_login(req *r)
{
	const char *next = safe_back(req_query(r, "next"));
	if (r->logged_in && !req_is_post(r)) {
		req_redirect(r, strcmp(next, "/") ? next : "/console");
		return;
	}
	if (!req_is_post(r)) {
		login_form(r, next);
		return;
	}
	const char *username = req_form(r, "username"), *password = req_form(r, "password");
	if (!username || !*username)
		form_error(r, "username", "请填写用户名");
	else if (strlen(username) > 60 || !utf8_valid(username))
		form_error(r, "username", "用户名格式不正确");
	if (!password || !*password)
		form_error(r, "password", "请填写密码");
	else if (strlen(password) > 128)
		form_error(r, "password", "密码不能超过 128 位");
	if (form_has_errors(r)) {
		login_form(r, next);
		r->status = 422;
		return;
	}
	char token[64];
	int retry;
	enum login_result res = auth_login(r, username, password, "web", token, &retry);
	if (res == LOGIN_OK) {
		req_set_cookie(r, SESSION_COOKIE, token, -1, true);
		req_set_cookie(r, "dj_csrf", "", 0, true);
		req_redirect(r, strcmp(next, "/") ? next : "/console");
		return;
	}
	if (res == LOGIN_THROTTLED) {
		char msg[160];
		snprintf(msg, sizeof msg, "登录失败次数过多，请 %d 分钟后再试", (retry + 59) / 60);
		form_error(r, "_form", msg);
		login_form(r, next);
		r->status = 429;
		char ra[16];
		snprintf(ra, sizeof ra, "%d", retry);
		req_set_header(r, "Retry-After", ra);
		return;
	}
	form_error(r, "_form", res == LOGIN_BUSY ? "系统繁忙，请稍后再试" : "用户名或密码不正确");
	login_form(r, next);
	r->status = res == LOGIN_BUSY ? 503 : 401;
}

static void page_logout(req *r)
{
	if (!auth_logout(r)) {
		req_error(r, 503, "db", "系统繁忙，请稍后再试");
		return;
	}
	req_set_cookie(r, SESSION_COOKIE, "", 0, true);
	flash_set(r, "ok", "您已安全退出");
	req_redirect(r, "/");
}

static void page_console(req *r)
{
	page_begin(r, "工作台");
	html_printf(&r->out, "<p class=\"lead\">%s，您好！您以<strong>%s</strong>身份登录，所属组织：%s。</p>", r->actor.name, role_label(r->actor.role),
		    r->actor.org_name);
	/* Figures of the caller's subtree; each is one query over the records. */
	size_t orgs;
	free(orgs_under(r->db, r->actor.org_path, false, &orgs));
	int64_t users = users_count_active(r->db, r->actor.org_path);
	html_printf(&r->out,
		    "<div class=\"stats\"><div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">下辖组织</span></div>"
		    "<div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">系统用户</span></div></div>",
		    (long long)orgs, (long long)users);
	html_printf(&r->out,
		    "<section class=\"card\"><h2 class=\"card-title\">常用功能</h2><div class=\"actions\">"
		    "<a class=\"btn\" href=\"/orgs/%lld\">本组织</a><a class=\"btn\" href=\"/orgs\">组织架构</a>",
		    (long long)r->actor.org_id);
	if (r->actor.role & (R_ADMIN | R_COMMITTEE))
		buf_puts(&r->out, "<a class=\"btn\" href=\"/audit\">审计日志</a>");
	if (r->actor.role == R_ADMIN)
		buf_puts(&r->out, "<a class=\"btn\" href=\"/admin/users\">用户管理</a>");
	buf_puts(&r->out, "</div></section>");
	page_end(r);
}

static void password_form(req *r)
{
	page_begin(r, "修改密码");
	buf_puts(&r->out, "<section class=\"card\">");
	form_begin(r, "/account/password");
	form_input(r, "current", "当前密码", "password", "", NULL);
	form_input(r, "password", "新密码", "password", "", "至少 8 位，同时包含字母和数字；不能包含用户名，不能用常见密码");
	form_input(r, "confirm", "确认新密码", "password", "", NULL);
	form_end(r, "保存");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void page_password(req *r)
{
	if (!req_is_post(r)) {
		password_form(r);
		return;
	}
	const char *cur = req_form(r, "current"), *pw = req_form(r, "password"), *confirm = req_form(r, "confirm");
	const char *weak = password_refused(r->actor.username, pw);
	if (!cur || !*cur)
		form_error(r, "current", "请填写当前密码");
	if (weak)
		form_error(r, "password", weak);
	else if (!confirm || strcmp(pw, confirm))
		form_error(r, "confirm", "两次输入的新密码不一致");
	if (!form_has_errors(r)) {
		char *hash = users_password_hash_of(r->db, r->actor.user_id);
		if (!password_verify(hash, cur))
			form_error(r, "current", "当前密码不正确");
		free(hash);
	}
	if (form_has_errors(r)) {
		password_form(r);
		r->status = 422;
		return;
	}
	struct field_errors e = {0};
	if (users_set_password(r->db, &r->actor, r->actor.user_id, pw, &e) != DJ_OK) {
		req_error(r, 503, "db", "保存失败，请稍后再试");
		return;
	}
	/* other sessions of this account end with the old password; only this
	 * layer knows which session is the one in use */
	if (!auth_end_other_sessions(r)) {
		req_error(r, 503, "db", "保存失败，请稍后再试");
		return;
	}
	flash_set(r, "ok", "密码已修改");
	req_redirect(r, "/console");
}

/* An asset goes in the smallest coding the client accepts, as compressed once
 * by the build (brotli, then gzip), else as it is; each coding is its own
 * representation with its own ETag, and caches keep them apart by Vary. */
static void static_file(req *r)
{
	const char *name = r->path + strlen("/static/");
	const struct embedded_asset *a = embedded_asset_find(name);
	if (!a) {
		req_error(r, 404, "not_found", "文件不存在");
		return;
	}
	const char *ae = req_header(r, "Accept-Encoding");
	const unsigned char *data = a->data;
	size_t size = a->size;
	const char *coding = NULL;
	if (a->br && accept_encoding_allows(ae, "br"))
		data = a->br, size = a->br_size, coding = "br";
	else if (a->gz && accept_encoding_allows(ae, "gzip"))
		data = a->gz, size = a->gz_size, coding = "gzip";
	char etag[48];
	snprintf(etag, sizeof etag, "\"%s%s%s\"", a->etag, coding ? "-" : "", coding ? coding : "");
	req_set_header(r, "ETag", etag);
	if (a->gz || a->br)
		req_set_header(r, "Vary", "Accept-Encoding");
	const char *v = req_query(r, "v");
	req_set_header(r, "Cache-Control", v && !strcmp(v, a->etag) ? "public, max-age=31536000, immutable" : "public, max-age=300");
	r->content_type = a->mime;
	if (etag_matches(req_header(r, "If-None-Match"), etag)) {
		r->status = 304;
		return;
	}
	if (coding)
		req_set_header(r, "Content-Encoding", coding);
	buf_append(&r->out, data, size);
}

/* ---- the module record (module.h) ---- */

static const route site_routes[] = {
	{"GET", "/", page_home, R_PUBLIC, 0, 0, "home"},
	{"GET", "/notices", page_notices_placeholder, R_PUBLIC, 0, 0, "notices"},
	{"GET", "/lang", page_lang, R_PUBLIC, RF_NODB, 0, "lang"},
	{"GET", "/static/*", static_file, R_PUBLIC, RF_NODB, 0, "static"},
	{"GET", "/login", page_login, R_PUBLIC, 0, 0, "login"},
	{"POST", "/login", page_login, R_PUBLIC, RF_OWNTX, 4 * KiB, "login"},
	{"POST", "/logout", page_logout, R_ANY, 0, 4 * KiB, "logout"},
	{"GET", "/console", page_console, R_ANY, 0, 0, "console"},
	{"GET", "/account/password", page_password, R_ANY, 0, 0, "password"},
	{"POST", "/account/password", page_password, R_ANY, 0, 4 * KiB, "password"},
};
static const struct nav_entry site_nav[] = {
	{"/console", "工作台", R_ANY, 0},
	{"/account/password", "修改密码", R_ANY, 99},
	{"/", "首页", NAV_PUBLIC, 0},
	{"/notices", "公示公告", NAV_PUBLIC, 90},
};
const struct module site_module = {
	.name = "site",
	.routes = site_routes,
	.routes_n = COUNT_OF(site_routes),
	.nav = site_nav,
	.nav_n = COUNT_OF(site_nav),
};
