/* site_web — the public site (home, 点单 and 公示 placeholders), login and
 * logout, the 简/繁 switch, the console home and the password page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "compress.h"
#include "dues.h"
#include "embedded.h"
#include "exemplars.h"
#include "layout.h"
#include "lessons.h"
#include "meetings.h"
#include "notify.h"
#include "orders.h"
#include "orgs.h"
#include "settings.h"
#include "transfers.h"
#include "users.h"
#include "volunteer.h"
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
	const char *resubmit = req_form(r, "_resubmit");
	if (resubmit && *resubmit == '/') { /* a session that had expired during a form (server.c) */
		html_printf(&r->out, "<input type=\"hidden\" name=\"_resubmit\" value=\"%s\">", resubmit);
		form_keep_fields(r, KEEP_AGAIN);
	}
	form_input(r, "username", "用户名或手机号", "text", form_value(r, "username", ""), NULL);
	form_input(r, "password", "密码", "password", "", NULL);
	form_end(r, "登录");
	buf_puts(&r->out, "<p class=\"muted\">群众点单无需登录，请返回<a href=\"/\">首页</a>。</p></div>");
	page_end(r);
}

/* Logged in again after the session had expired during a form: the typed
 * fields, under the new session's token, to be submitted again by the user
 * (who sees them first), or the page they were on. */
static void resubmit_page(req *r, const char *action, const char *back)
{
	char csrf[48];
	snprintf(csrf, sizeof csrf, "%s", r->csrf);
	/* the header of a visitor: the actor is only filled from the session on the next request */
	r->logged_in = false;
	page_begin(r, "已重新登录");
	buf_puts(&r->out, "<section class=\"card\"><p class=\"lead\">您已重新登录。刚才填写的内容已保留，请核对后继续提交。</p>");
	buf_puts(&r->out, "<ul class=\"kept\">");
	form_keep_fields(r, KEEP_SHOW);
	buf_puts(&r->out, "</ul>");
	html_printf(&r->out, "<form class=\"form\" method=\"post\" action=\"%s\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">", action, csrf);
	form_keep_fields(r, KEEP_UNWRAP);
	html_printf(&r->out,
		    "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">继续提交</button>"
		    "<a class=\"btn btn-secondary\" href=\"%s\">不提交，返回原页面</a></div></form></section>",
		    strcmp(back, "/") ? back : "/console");
	page_end(r);
	r->logged_in = true;
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
		const char *resubmit = req_form(r, "_resubmit");
		if (resubmit && !strcmp(safe_back(resubmit), resubmit) && strcmp(resubmit, "/")) {
			resubmit_page(r, resubmit, next);
			return;
		}
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

/* ---- the workbench (工作台, issue 10 §2): what the caller has to do ---- */

struct work_list {
	req *r;
	int64_t now;
	int n, max;
	bool open_only; /* only orders still being worked on (assigned to the caller) */
};

static void work_order(void *ctx, const struct order *o)
{
	struct work_list *w = ctx;
	if (w->n >= w->max || (w->open_only && strcmp(o->state, "assigned") && strcmp(o->state, "in_progress")))
		return;
	req *r = w->r;
	char t[20], excerpt[100];
	fmt_time(o->created_at, t);
	/* the first 24 characters, cut between UTF-8 characters */
	const char *p = o->content;
	size_t i = 0, chars = 0;
	while (p[i] && chars < 24) {
		i++;
		while ((p[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	snprintf(excerpt, sizeof excerpt, "%.*s%s", (int)i, p, p[i] ? "…" : "");
	html_printf(&r->out, "<li><a href=\"/orders/%lld\"><span class=\"work-code\">%s</span> %s</a><span class=\"work-meta\">%s · %s · %s",
		    (long long)o->id, o->code, excerpt, order_kind_label(o->kind), o->org_name, order_state_label(o->state));
	if (order_overdue(o, w->now))
		buf_puts(&r->out, " <span class=\"badge badge-red\">逾期</span>");
	html_printf(&r->out, " · %.10s</span></li>", t);
	w->n++;
}

static void work_wish(void *ctx, const struct order *o)
{
	struct work_list *w = ctx;
	if (w->n >= w->max)
		return;
	html_printf(&w->r->out, "<li><a href=\"/wishes\">%s</a><span class=\"work-meta\">%s</span></li>", o->content, o->org_name);
	w->n++;
}

static void work_message(void *ctx, const struct notification *n)
{
	struct work_list *w = ctx;
	if (w->n >= w->max)
		return;
	char t[20];
	fmt_time(n->at, t);
	/* the class is a word through %s (escaping changes nothing), the markup stays in the format */
	html_printf(&w->r->out, "<li class=\"%s\"><a href=\"/inbox/%lld\">%s%s</a><span class=\"work-meta\">%s</span></li>", n->read ? "read" : "unread",
		    (long long)n->id, n->read ? "" : "● ", n->text, t);
	w->n++;
}

/* A decision of a meeting (meetings.h): overdue ones for the staff, the caller's own for a member. */
static void work_decision(void *ctx, const struct decision *x)
{
	struct work_list *w = ctx;
	if (w->n >= w->max)
		return;
	html_printf(&w->r->out, "<li><a href=\"/decisions/%lld\">%s</a><span class=\"work-meta\">%s · 时限 %s · %s</span></li>", (long long)x->id,
		    x->matter,
		    x->overdue                  ? "逾期"
		    : !strcmp(x->state, "done") ? "已办结"
						: "办理中",
		    x->deadline, x->owner_name);
	w->n++;
}

/* One figure of the workbench, a link to the list it counts. */
static void work_stat(req *r, int64_t n, const char *label, const char *href)
{
	html_printf(&r->out, "<a class=\"stat stat-link%s\" href=\"%s\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">%s</span></a>",
		    n ? " stat-todo" : "", href, (long long)n, label);
}

/* A section with the latest five of one figure. */
static void work_section_begin(req *r, const char *title, const char *href)
{
	html_printf(&r->out,
		    "<section class=\"card work\"><h2 class=\"card-title\">%s <a class=\"more\" href=\"%s\">全部 ›</a></h2><ul class=\"worklist\">", title,
		    href);
}

static void work_section_end(req *r, int n, const char *empty)
{
	if (!n)
		html_printf(&r->out, "<li class=\"muted\">%s</li>", empty);
	buf_puts(&r->out, "</ul></section>");
}

static void work_orders(req *r, const char *title, const char *href, const char *state, bool overdue, bool mine, const char *empty)
{
	work_section_begin(r, title, href);
	struct order_filter f = {0};
	f.state = state;
	f.overdue = overdue;
	f.mine = mine;
	f.limit = mine ? 50 : 5;
	struct work_list w = {r, now_unix(), 0, 5, mine};
	int64_t total;
	struct field_errors e = {0};
	if (order_list(r->db, &r->actor, &f, w.now, &total, work_order, &w, &e) != DJ_OK)
		w.n = 0;
	work_section_end(r, w.n, empty);
}

/* One task of a mechanism: a count, a link to where it is done. */
static void work_task(req *r, const char *key, int64_t n, const char *label, const char *href)
{
	html_printf(&r->out,
		    "<a class=\"task-link%s\" data-key=\"%s\" href=\"%s\"><span class=\"task-num\">%lld</span><span class=\"task-label\">%s</span></a>",
		    n ? " task-todo" : "", key, href, (long long)n, label);
}

/* 待办: what each mechanism asks of the caller today, each counted by the
 * module that owns it (indexed counts) and linked to where it is done — a
 * lecturer's lesson orders to confirm, the member's meetings to come and
 * volunteer activities signed up for, open decisions it owns, a reviewer's
 * consultations, dues owed. */
static void work_tasks(req *r, int64_t now)
{
	const struct actor *a = &r->actor;
	/* the member's own figures link to pages of the member's roles (a reviewer has none of them) */
	int64_t member = a->role & (R_STAFF | R_MEMBER | R_GRID) ? meeting_actor_member(r->db, a) : 0;
	int64_t lessons = lesson_orders_to_confirm(r->db, a);
	bool reviewer = a->role & R_REVIEWER;
	if (!member && lessons < 0 && !reviewer)
		return;
	buf_puts(&r->out, "<section class=\"card work\" id=\"work-tasks\"><h2 class=\"card-title\">待办事项</h2><div class=\"work-tasks\">");
	if (lessons >= 0)
		work_task(r, "lesson_orders", lessons, "微党课点单待确认", "/lesson-orders?mine=1&state=requested");
	if (member) {
		int64_t overdue = 0, decisions = decision_open_count(r->db, a, now, &overdue), owing = 0;
		int64_t owed = dues_owed_months(r->db, member, now, &owing);
		work_task(r, "meetings", meeting_upcoming_count(r->db, a, now), "待参加的会议", "/meetings");
		work_task(r, "volunteer", volunteer_upcoming_count(r->db, a), "已报名的志愿服务", "/volunteer/me");
		work_task(r, "decisions", decisions, overdue ? "我负责的决策（有逾期）" : "我负责的决策待办结", "/decisions?mine=1");
		work_task(r, "dues", owed, "党费待交（月）", "/dues/my");
	}
	if (reviewer)
		work_task(r, "consults", exemplar_consults_open(r->db, a->org_id), "征询待答复", "/exemplars/review");
	buf_puts(&r->out, "</div></section>");
}

static void page_console(req *r)
{
	page_begin(r, "工作台");
	html_printf(&r->out, "<p class=\"lead\">%s，您好！您以<strong>%s</strong>身份登录，所属组织：%s。</p>", r->actor.name, role_label(r->actor.role),
		    r->actor.org_name);
	int role = r->actor.role;
	bool orders = role & (R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID);
	struct order_counts c = {0};
	if (orders && order_counts(r->db, &r->actor, now_unix(), &c) != DJ_OK) {
		req_error(r, 503, "db", "系统繁忙，请稍后再试");
		return;
	}
	int64_t unread = orders ? notify_unread(r->db, r->actor.user_id) : 0;
	/* the figures: each counted by its domain, each a link to the list it counts */
	bool waiting = role & (R_COMMITTEE | R_BRANCH | R_GRID), escalated = role & R_COMMITTEE, mine = role & (R_BRANCH | R_MEMBER | R_GRID),
	     overdue = role & (R_ADMIN | R_COMMITTEE | R_BRANCH | R_GRID), wishes = role & R_MEMBER;
	if (orders) {
		buf_puts(&r->out, "<div class=\"stats work-stats\">");
		if (waiting)
			work_stat(r, c.waiting, "新点单待接单", "/orders?state=submitted");
		if (escalated)
			work_stat(r, c.escalated, "向上反馈待派单", "/orders?state=escalated&escalated=1");
		if (overdue)
			work_stat(r, c.overdue, "逾期未办", "/orders?overdue=1");
		if (mine)
			work_stat(r, c.mine, "派给我的", "/orders?mine=1");
		if (wishes)
			work_stat(r, c.wishes, "可认领心愿", "/wishes");
		work_stat(r, unread, "未读消息", "/inbox");
		buf_puts(&r->out, "</div>");
	}
	work_tasks(r, now_unix());
	/* dues and transfers (issue 18): what lapsed or fell six months behind, on both sides' workbench */
	if (role & (R_ADMIN | R_COMMITTEE | R_BRANCH)) {
		int64_t lapsed = transfers_lapsed_count(r->db, &r->actor), flagged = dues_flagged_count(r->db, &r->actor);
		if (lapsed)
			html_printf(&r->out,
				    "<p class=\"work-alert\" id=\"work-lapsed\"><a href=\"/transfers\">%lld 份组织关系介绍信逾期未接收，已失效</a></p>",
				    (long long)lapsed);
		if (flagged)
			html_printf(&r->out, "<p class=\"work-alert\" id=\"work-arrears\"><a href=\"/dues\">%lld 名党员连续6个月未交党费</a></p>",
				    (long long)flagged);
	}
	if (escalated)
		work_orders(r, "向上反馈待派单", "/orders?state=escalated&escalated=1", "escalated", false, false, "没有待派单的诉求");
	if (waiting)
		work_orders(r, "新点单待接单", "/orders?state=submitted", "submitted", false, false, "没有待接单的诉求");
	if (mine)
		work_orders(r, "派给我的", "/orders?mine=1", NULL, false, true, "暂时没有派给您的诉求");
	if (overdue)
		work_orders(r, "逾期未办", "/orders?overdue=1", NULL, true, false, "没有逾期的诉求");
	if (orders) {
		/* 议事决策 (issue 13): past their deadline for the staff; the member's own while open */
		bool staff = role & (R_ADMIN | R_COMMITTEE | R_BRANCH);
		struct decision_filter df = {.overdue_only = staff, .mine = !staff, .limit = 20};
		work_section_begin(r, staff ? "逾期决策事项" : "我负责的决策事项", staff ? "/decisions?overdue=1" : "/decisions?mine=1");
		struct work_list w = {r, now_unix(), 0, 5, false};
		decision_list(r->db, &r->actor, &df, w.now, work_decision, &w);
		work_section_end(r, w.n, staff ? "没有逾期的决策事项" : "暂时没有您负责的决策事项");
	}
	if (wishes) {
		work_section_begin(r, "可认领心愿", "/wishes");
		struct work_list w = {r, 0, 0, 5, false};
		order_each_open_wish(r->db, &r->actor, work_wish, &w);
		work_section_end(r, w.n, "暂时没有待认领的心愿");
	}
	if (orders) {
		work_section_begin(r, "最新消息", "/inbox");
		struct work_list w = {r, 0, 0, 5, false};
		notify_each(r->db, r->actor.user_id, work_message, &w);
		work_section_end(r, w.n, "暂无消息");
	}
	html_printf(&r->out,
		    "<section class=\"card\"><h2 class=\"card-title\">常用功能</h2><div class=\"actions\">"
		    "<a class=\"btn btn-secondary\" href=\"/orgs/%lld\">本组织</a><a class=\"btn btn-secondary\" href=\"/orgs\">组织架构</a>",
		    (long long)r->actor.org_id);
	if (r->actor.role & (R_ADMIN | R_COMMITTEE))
		buf_puts(&r->out, "<a class=\"btn btn-secondary\" href=\"/audit\">审计日志</a>");
	if (r->actor.role == R_ADMIN)
		buf_puts(&r->out, "<a class=\"btn btn-secondary\" href=\"/admin/users\">用户管理</a>");
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

/* 全部功能: every group of the navigation and every link the role may see;
 * the phone's 全部 tab leads here, and it works without JavaScript. */
static void page_menu(req *r)
{
	page_begin(r, "全部功能");
	layout_nav_menu(r);
	page_end(r);
}

/* ---- the module record (module.h) ---- */

static const route site_routes[] = {
	{"GET", "/", page_home, R_PUBLIC, 0, 0, "home"},
	{"GET", "/notices", page_notices_placeholder, R_PUBLIC, 0, 0, "notices"},
	{"GET", "/lang", page_lang, R_PUBLIC, RF_NODB, 0, "lang"},
	{"GET", "/static/*", static_file, R_PUBLIC, RF_NODB, 0, "static"},
	{"GET", "/login", page_login, R_PUBLIC, 0, 0, "login"},
	{"POST", "/login", page_login, R_PUBLIC, RF_OWNTX, 64 * KiB, "login"}, /* room for a form kept through the login */
	{"POST", "/logout", page_logout, R_ANY, 0, 4 * KiB, "logout"},
	{"GET", "/console", page_console, R_ANY, 0, 0, "console"},
	{"GET", "/menu", page_menu, R_ANY, 0, 0, "menu"},
	{"GET", "/account/password", page_password, R_ANY, 0, 0, "password"},
	{"POST", "/account/password", page_password, R_ANY, 0, 4 * KiB, "password"},
};
static const struct nav_entry site_nav[] = {
	{"/console", "工作台", R_ANY, 0, NAV_TOP},
	{"/account/password", "修改密码", R_ANY, 99, NAV_ACCOUNT},
	{"/", "首页", NAV_PUBLIC, 0, NAV_TOP},
	{"/notices", "公示公告", NAV_PUBLIC, 90, NAV_TOP},
};
const struct module site_module = {
	.name = "site",
	.routes = site_routes,
	.routes_n = COUNT_OF(site_routes),
	.nav = site_nav,
	.nav_n = COUNT_OF(site_nav),
};
