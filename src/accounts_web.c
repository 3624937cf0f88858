/* accounts_web — pages of the members' accounts (issue 10 §1): the slip of
 * a new account (shown once, printable, with a QR code to /activate), the
 * branch's sheet of slips, and the public activation page. The rules are in
 * accounts.c; the buttons sit on the roster and member pages (members_web.c). */
#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "auth.h"
#include "html.h"
#include "layout.h"
#include "module.h"
#include "orgs.h"
#include "qr.h"
#include "server.h"
#include "util.h"
#include "web.h"

/* The activation page's address with the phone prefilled (never the code). */
static void activate_url(req *r, const char *phone, char *out, size_t n)
{
	char base[160];
	qr_site_base(r, base, sizeof base);
	snprintf(out, n, "%s/activate?phone=%s", base, phone); /* a phone_valid number: digits only */
}

static void slip_html(req *r, buf *out, const struct account_slip *s)
{
	char url[256], until[20];
	activate_url(r, s->phone, url, sizeof url);
	fmt_time(s->expires_at, until);
	html_printf(out,
		    "<section class=\"card slip\"><h2 class=\"card-title\">党员账号激活单</h2><div class=\"slip-body\"><dl class=\"kv\">"
		    "<dt>姓名</dt><dd>%s</dd><dt>所在组织</dt><dd>%s</dd><dt>登录名</dt><dd>手机号 %s",
		    s->name, s->org_name, s->phone);
	/* the username is the phone number unless a staff account held it already */
	if (strcmp(s->username, s->phone))
		html_printf(out, "（或用户名 %s）", s->username);
	html_printf(out, "</dd><dt>激活码</dt><dd class=\"slip-code\">%s</dd><dt>有效期至</dt><dd>%s，仅可使用一次</dd></dl><div class=\"slip-qr\">",
		    s->code, until);
	qr_svg(out, url, "激活页二维码");
	html_printf(out, "<p>手机扫码打开激活页，输入激活码并设置密码</p><p class=\"muted slip-url\">%s</p></div></div></section>", url);
}

static void slips_begin(req *r, const char *title)
{
	req_set_header(r, "Cache-Control", "no-store");
	page_begin(r, title);
	buf_puts(&r->out, "<p class=\"lead no-print\">激活码只显示这一次，请打印或当面交给党员；遗失后可重新生成（旧码随即作废）。</p>"
			  "<div class=\"actions\"><button class=\"btn btn-primary\" type=\"button\" data-print>打印激活单</button></div>");
}

/* POST /members/:id/account — an account and a code for one member. */
static void page_issue(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct account_slip slip;
	struct field_errors e = {0};
	enum dj_result res = account_issue(r->db, &r->actor, id, &slip, &e);
	if (res == DJ_INVALID || res == DJ_CONFLICT) {
		r->failed = true; /* nothing is written; the message goes back to the member's page */
		flash_set(r, "error", dj_message(res, &e));
		char loc[48];
		snprintf(loc, sizeof loc, "/members/%lld", (long long)id);
		req_redirect(r, loc);
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	slips_begin(r, "账号已开通");
	html_printf(&r->out, "<div class=\"breadcrumbs no-print\"><a href=\"/members\">党员花名册</a> › <a href=\"/members/%lld\">%s</a></div>",
		    (long long)slip.member_id, slip.name);
	slip_html(r, &r->out, &slip);
	page_end(r);
}

struct sheet {
	req *r;
	buf slips, skipped;
	int skipped_n;
};

static void sheet_row(void *ctx, const struct account_slip *slip, const char *name, const char *why)
{
	struct sheet *s = ctx;
	if (slip)
		slip_html(s->r, &s->slips, slip);
	else {
		html_printf(&s->skipped, "<li>%s：%s</li>", name, why);
		s->skipped_n++;
	}
}

/* POST /members/accounts — every member of the branch without an account. */
static void page_issue_branch(req *r)
{
	const char *code = req_form(r, "org");
	int64_t org = code && *code ? orgs_id_by_code(r->db, code) : r->actor.org_id;
	struct sheet s = {.r = r};
	struct field_errors e = {0};
	int issued = 0;
	enum dj_result res = account_issue_branch(r->db, &r->actor, org, sheet_row, &s, &issued, &e);
	if (res != DJ_OK) {
		buf_free(&s.slips);
		buf_free(&s.skipped);
		if (res == DJ_INVALID) {
			r->failed = true;
			flash_set(r, "error", dj_message(res, &e));
			req_redirect(r, "/members");
			return;
		}
		req_fail(r, res, &e);
		return;
	}
	slips_begin(r, "批量开通党员账号");
	html_printf(&r->out, "<p class=\"lead\">已为 <strong>%d</strong> 名党员开通账号。</p>", issued);
	if (s.skipped_n) {
		html_printf(&r->out, "<details class=\"card no-print\"><summary>%d 名党员未能开通（点击查看原因）</summary><ul>", s.skipped_n);
		buf_append(&r->out, s.skipped.p, s.skipped.len);
		buf_puts(&r->out, "</ul></details>");
	}
	if (!issued && !s.skipped_n)
		buf_puts(&r->out, "<div class=\"empty\"><p>本支部的党员都已开通账号</p></div>");
	buf_append(&r->out, s.slips.p ? s.slips.p : "", s.slips.len);
	buf_free(&s.slips);
	buf_free(&s.skipped);
	page_end(r);
}

/* ---- the activation page (public) ---- */

static void activate_form(req *r, const char *phone, const char *code, bool step2)
{
	req_set_header(r, "Cache-Control", "no-store"); /* step 2 carries the code in its form */
	page_begin(r, "激活党员账号");
	buf_puts(&r->out, "<div class=\"login-box\">");
	form_begin(r, "/activate");
	if (!step2) {
		buf_puts(&r->out, "<p class=\"muted\">请输入支部发给您的激活单上的手机号和激活码。</p>");
		form_input(r, "phone", "手机号", "tel", phone, NULL);
		form_input(r, "code", "激活码", "text", code, "8 位字母和数字，不区分大小写");
		form_end(r, "下一步");
	} else {
		html_printf(&r->out,
			    "<p class=\"muted\">手机号 %s 的激活码正确，请设置登录密码。</p>"
			    "<input type=\"hidden\" name=\"phone\" value=\"%s\"><input type=\"hidden\" name=\"code\" value=\"%s\">",
			    phone, phone, code);
		form_input(r, "password", "设置密码", "password", "", "至少 8 位，同时包含字母和数字");
		form_input(r, "password2", "确认密码", "password", "", NULL);
		form_end(r, "激活并登录");
	}
	buf_puts(&r->out, "<p class=\"muted\">已激活的账号请直接<a href=\"/login\">登录</a>（用户名或手机号均可）。</p></div>");
	page_end(r);
}

static void page_activate(req *r)
{
	if (!req_is_post(r)) {
		const char *phone = req_query(r, "phone");
		activate_form(r, phone && phone_valid(phone) ? phone : "", "", false);
		return;
	}
	const char *phone = req_form(r, "phone"), *code = req_form(r, "code"), *pw = req_form(r, "password"), *pw2 = req_form(r, "password2");
	phone = phone ? phone : "";
	code = code ? code : "";
	if (strlen(phone) > 20 || strlen(code) > 20 || !utf8_valid(phone) || !utf8_valid(code)) {
		phone = strlen(phone) > 20 || !utf8_valid(phone) ? "" : phone;
		code = "";
	}
	if (!*phone)
		form_error(r, "phone", "请填写手机号");
	else if (!phone_valid(phone))
		form_error(r, "phone", "手机号应为 11 位数字");
	if (!*code)
		form_error(r, "code", "请填写激活码");
	if (form_has_errors(r)) {
		activate_form(r, phone, code, false);
		r->status = 422;
		return;
	}
	bool step2 = pw != NULL;
	if (step2 && (!*pw || strlen(pw) > 128 || !pw2 || strcmp(pw, pw2))) {
		form_error(r, !*pw ? "password" : "password2", !*pw ? "请设置密码" : strlen(pw) > 128 ? "密码不能超过 128 位" : "两次输入的密码不一致");
		activate_form(r, phone, code, true);
		r->status = 422;
		return;
	}
	int retry;
	enum login_result t = auth_attempt_reserve(r, phone, &retry);
	if (t != LOGIN_OK) {
		if (t == LOGIN_THROTTLED) {
			char msg[160], ra[16];
			snprintf(msg, sizeof msg, "尝试次数过多，请 %d 分钟后再试", (retry + 59) / 60);
			form_error(r, "_form", msg);
			snprintf(ra, sizeof ra, "%d", retry);
			req_set_header(r, "Retry-After", ra);
		} else
			form_error(r, "_form", "系统繁忙，请稍后再试");
		activate_form(r, phone, code, false);
		r->status = t == LOGIN_THROTTLED ? 429 : 503;
		return;
	}
	/* the check and the password in one transaction of the route's own */
	struct field_errors e = {0};
	char username[64];
	if (db_begin(r->db, true) != DB_OK) {
		form_error(r, "_form", "系统繁忙，请稍后再试");
		activate_form(r, phone, code, false);
		r->status = 503;
		return;
	}
	enum dj_result res = account_activate(r->db, &r->actor, phone, code, step2 ? pw : NULL, username, &e);
	if (res == DJ_OK && !auth_attempt_forgive(r, phone))
		res = dj_fail(&e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	if (res != DJ_OK || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		if (res == DJ_OK)
			res = dj_fail(&e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
		bool pw_fault = res == DJ_INVALID && ferr_get(&e, "password");
		form_errors_add(r, &e);
		activate_form(r, phone, code, pw_fault);
		r->status = res == DJ_DB_ERROR ? 503 : 422;
		return;
	}
	if (!step2) {
		activate_form(r, phone, code, true);
		return;
	}
	/* activated: log in as the login page does (its throttle and audit) */
	char token[64];
	if (auth_login(r, username, pw, "web", token, &retry) != LOGIN_OK) {
		flash_set(r, "ok", "账号已激活，请用手机号和新密码登录");
		req_redirect(r, "/login");
		return;
	}
	req_set_cookie(r, SESSION_COOKIE, token, -1, true);
	req_set_cookie(r, "dj_csrf", "", 0, true);
	flash_set(r, "ok", "账号已激活，欢迎使用");
	req_redirect(r, "/console");
}

/* ---- the module record (module.h) ---- */

static const route accounts_routes[] = {
	{"POST", "/members/:id/account", page_issue, R_STAFF, 0, 4 * KiB, "member_account"},
	{"POST", "/members/accounts", page_issue_branch, R_STAFF, 0, 4 * KiB, "member_accounts"},
	{"GET", "/activate", page_activate, R_PUBLIC, 0, 0, "activate"},
	{"POST", "/activate", page_activate, R_PUBLIC, RF_OWNTX, 4 * KiB, "activate"},
};
static const struct permission *const accounts_perms[] = {&perm_account_issue};
const struct module accounts_module = {
	.name = "accounts",
	.routes = accounts_routes,
	.routes_n = COUNT_OF(accounts_routes),
	.permissions = accounts_perms,
	.permissions_n = COUNT_OF(accounts_perms),
};
