/* volunteer_web — the pages of volunteer service (SPEC M3): the list of
 * activities, an activity (sign up, the organiser's hand, the link to the QR
 * screen of checkin_web.c), a member's hours and stars, teams, the report
 * and the minimums; the JSON API is in volunteer_api.c. The module record
 * is at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "module.h"
#include "orders.h" /* day_start */
#include "orgs_web.h"
#include "orgs.h"
#include "util.h"
#include "volunteer.h"
#include "volunteer_web.h"
#include "web.h"

static void stars_html(buf *b, int n)
{
	buf_puts(b, "<span class=\"vol-stars\" aria-label=\"星级\">");
	for (int i = 0; i < VOLUNTEER_STARS; i++)
		buf_puts(b, i < n ? "★" : "☆");
	buf_puts(b, "</span>");
}

static void when_html(buf *b, const struct volunteer_activity *v)
{
	char s[20], e[20];
	fmt_time(v->starts_at, s);
	fmt_time(v->ends_at, e);
	html_printf(b, "%s–%s", s, !strncmp(s, e, 10) ? e + 11 : e);
}

/* ---- the list ---- */

static void list_row(void *ctx, const struct volunteer_activity *v)
{
	req *r = ctx;
	html_printf(&r->out, "<tr><td data-label=\"活动\"><a href=\"/volunteer/%lld\">%s</a></td><td data-label=\"类型\">%s</td><td data-label=\"时间\">",
		    (long long)v->id, v->title, volunteer_kind_label(v->kind));
	when_html(&r->out, v);
	html_printf(&r->out,
		    "</td><td data-label=\"地点\">%s</td><td data-label=\"组织\">%s</td><td data-label=\"名额\">%lld/%lld</td>"
		    "<td data-label=\"状态\"><span class=\"badge\">%s</span></td></tr>",
		    v->place, v->org_name, (long long)v->signed_n, (long long)v->capacity, volunteer_state_label(v->state));
}

static void page_list(req *r)
{
	const char *state = req_query(r, "state");
	page_begin(r, "志愿服务");
	buf_puts(&r->out, "<p class=\"actions\">");
	if (volunteer_member_of(r->db, &r->actor))
		buf_puts(&r->out, "<a class=\"btn\" href=\"/volunteer/me\">我的志愿服务</a> ");
	if (permission_allows(&perm_volunteer_organise, &r->actor))
		buf_puts(&r->out,
			 "<a class=\"btn\" href=\"/volunteer/new\">发布活动</a> <a class=\"btn btn-secondary\" href=\"/volunteer/teams\">服务队</a> "
			 "<a class=\"btn btn-secondary\" href=\"/volunteer/report\">统计</a> "
			 "<a class=\"btn btn-secondary\" href=\"/volunteer/minimums\">最低次数</a>");
	buf_puts(&r->out, "</p><nav class=\"tabs\">");
	html_printf(&r->out, "<a href=\"/volunteer\"%s>全部</a>", state && *state ? "" : " aria-current=\"page\"");
	for (const char *const *s = volunteer_states; *s; s += 2)
		html_printf(&r->out, "<a href=\"/volunteer?state=%s\"%s>%s</a>", s[0], state && !strcmp(state, s[0]) ? " aria-current=\"page\"" : "",
			    s[1]);
	buf_puts(&r->out, "</nav><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>活动</th><th>类型</th><th>时间</th><th>地点</th>"
			  "<th>组织</th><th>名额</th><th>状态</th></tr></thead><tbody>");
	if (volunteer_list(r->db, &r->actor, state, 200, list_row, r) != DJ_OK)
		buf_puts(&r->out, "<tr><td colspan=\"7\">状态不正确</td></tr>");
	buf_puts(&r->out, "</tbody></table></div>");
	page_end(r);
}

/* ---- a new activity ---- */

static void new_form(req *r, int status)
{
	page_begin(r, "发布志愿服务活动");
	r->status = status;
	form_begin(r, "/volunteer/new");
	form_input(r, "title", "活动名称", "text", form_value(r, "title", ""), NULL);
	form_select(r, "kind", "类型", volunteer_kinds, form_value(r, "kind", "policy"));
	form_input(r, "place", "地点", "text", form_value(r, "place", ""), NULL);
	form_input(r, "starts", "开始时间", "text", form_value(r, "starts", ""), "如 2026-12-05 09:00");
	form_input(r, "ends", "结束时间", "text", form_value(r, "ends", ""), "如 2026-12-05 12:00");
	form_input(r, "capacity", "名额", "number", form_value(r, "capacity", "20"), "报满后进入候补名单");
	orgs_form_select(r, "org", "组织单位", form_value(r, "org", ""));
	form_input(r, "team", "服务队编号", "text", form_value(r, "team", ""), "可不填，见“服务队”页");
	static const char *const yesno[] = {"0", "否", "1", "是：已到本社区报到的在职党员也可报名（双报到）", NULL};
	form_select(r, "open_registered", "面向报到党员", yesno, form_value(r, "open_registered", "0"));
	static const char *const pub[] = {"1", "立即发布", "0", "存为草稿", NULL};
	form_select(r, "publish", "发布", pub, form_value(r, "publish", "1"));
	form_end(r, "保存");
	page_end(r);
}

static void page_new(req *r)
{
	if (!req_is_post(r)) {
		new_form(r, 200);
		return;
	}
	struct volunteer_new n = {
		.title = req_form(r, "title"),
		.kind = req_form(r, "kind"),
		.place = req_form(r, "place"),
		.starts = req_form(r, "starts"),
		.ends = req_form(r, "ends"),
		.org_code = req_form(r, "org"),
		.team = req_form(r, "team"),
		.capacity = req_form(r, "capacity") ? strtoll(req_form(r, "capacity"), NULL, 10) : 0,
		.open_registered = req_form(r, "open_registered") && !strcmp(req_form(r, "open_registered"), "1"),
		.publish = req_form(r, "publish") && !strcmp(req_form(r, "publish"), "1"),
	};
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = volunteer_create(r->db, &r->actor, &n, now_unix(), &id, &e);
	if (res == DJ_INVALID) {
		form_errors_add(r, &e);
		r->failed = true;
		new_form(r, 422);
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "活动已保存");
	char to[64];
	snprintf(to, sizeof to, "/volunteer/%lld", (long long)id);
	req_redirect(r, to);
}

/* ---- an activity ---- */

static void signup_row(void *ctx, const struct volunteer_signup_row *s)
{
	req *r = ctx;
	static const char *const states[] = {"signed", "已报名", "waiting", "候补", "cancelled", "已取消", NULL};
	const char *st = s->state;
	for (const char *const *p = states; *p; p += 2)
		if (!strcmp(*p, s->state))
			st = p[1];
	char in[20] = "—", out[20] = "—", h[24];
	if (s->checkin_at)
		fmt_time(s->checkin_at, in);
	if (s->checkout_at)
		fmt_time(s->checkout_at, out);
	volunteer_hours_text(s->minutes, h);
	html_printf(&r->out,
		    "<tr><td data-label=\"党员\"><a href=\"/volunteer/members/%lld\">%s</a></td><td data-label=\"支部\">%s</td>"
		    "<td data-label=\"报名\">%s</td><td data-label=\"签到\">%s%s%s%s</td><td data-label=\"签退\">%s%s</td><td data-label=\"时长\">",
		    (long long)s->member_id, s->name, s->org_name, st, s->checkin_at ? in + 11 : in, !strcmp(s->checkin_how, "manual") ? "（手工：" : "",
		    !strcmp(s->checkin_how, "manual") ? s->checkin_by : "", !strcmp(s->checkin_how, "manual") ? "）" : "", s->checkout_at ? out + 11 : out,
		    !strcmp(s->checkout_how, "auto")     ? "（活动结束时自动签退）"
		    : !strcmp(s->checkout_how, "manual") ? "（手工）"
							 : "");
	if (s->checkin_at)
		html_printf(&r->out, "%s 小时%s%s%s", h, s->minutes_manual ? "（手工核定：" : "", s->minutes_manual ? s->minutes_reason : "",
			    s->minutes_manual ? "）" : "");
	buf_puts(&r->out, "</td></tr>");
}

static void action_form(req *r, int64_t id, const char *action, const char *label, bool reason)
{
	char to[96];
	snprintf(to, sizeof to, "/volunteer/%lld/act/%s", (long long)id, action);
	if (reason) /* cancelling is rare and cannot be undone: folded away, with its reason */
		buf_puts(&r->out, "<details class=\"vol-hand\"><summary>取消活动</summary>");
	form_begin(r, to);
	if (reason)
		form_input(r, "reason", "取消原因", "text", "", "报名的党员会收到通知");
	form_end(r, label);
	if (reason)
		buf_puts(&r->out, "</details>");
}

/* The member picker (no roster numbers to type): a search field whose
 * suggestions are the members the organiser may sign up, by name with their
 * org; "姓名 #编号" tells namesakes apart, a unique name alone is enough. */
static void member_picker(req *r, const char *form, int64_t activity_id)
{
	html_printf(&r->out,
		    "<div class=\"field\"><label for=\"f-member-%s\">党员</label><input id=\"f-member-%s\" name=\"member_id\" type=\"search\" "
		    "list=\"vol-pick-%lld\" autocomplete=\"off\" placeholder=\"输入姓名搜索\" required><p class=\"field-hint\">输入姓名，从列表中选择；"
		    "同名的请选带编号的一项</p></div>",
		    form, form, (long long)activity_id);
}

static void pick_option(void *ctx, const struct volunteer_pick *p)
{
	html_printf(ctx, "<option value=\"%s #%lld\">%s</option>", p->name, (long long)p->member_id, p->org_name);
}

static void member_datalist(req *r, int64_t activity_id, const char *org_path)
{
	html_printf(&r->out, "<datalist id=\"vol-pick-%lld\">", (long long)activity_id);
	/* the activity's org first (its own members are the likely ones); a name typed outside the list is still looked up */
	volunteer_pick_each(r->db, &r->actor, org_path, NULL, 500, pick_option, &r->out);
	buf_puts(&r->out, "</datalist>");
}

static void page_detail(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct volunteer_activity v;
	struct field_errors e = {0};
	if (!id || !volunteer_activity_load(r->db, id, &v) || !volunteer_visible(r->db, &r->actor, &v)) {
		req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "活动不存在"), &e);
		return;
	}
	bool org = volunteer_organises(&r->actor, &v);
	page_begin(r, v.title);
	html_printf(&r->out, "<section class=\"card vol-activity\"><p><span class=\"badge\">%s</span> %s · %s%s%s</p><p>时间：",
		    volunteer_state_label(v.state), volunteer_kind_label(v.kind), v.org_name, *v.team_name ? " · " : "", v.team_name);
	when_html(&r->out, &v);
	html_printf(&r->out, "</p><p>地点：%s</p><p>名额：已报名 %lld / %lld，候补 %lld，已签到 %lld%s</p>", v.place, (long long)v.signed_n,
		    (long long)v.capacity, (long long)v.waiting_n, (long long)v.checked_in_n, v.open_registered ? "；面向到社区报到的在职党员" : "");
	if (v.public_count)
		html_printf(&r->out, "<p>参与群众：%lld 人</p>", (long long)v.public_count);
	if (!strcmp(v.state, "cancelled"))
		html_printf(&r->out, "<p class=\"form-error\">已取消：%s</p>", v.cancel_reason);
	buf_puts(&r->out, "</section>");

	/* the member's own part */
	char mine[16];
	int64_t in = 0, out = 0;
	volunteer_my_state(r->db, &r->actor, id, mine, &in, &out);
	bool can_sign = !strcmp(v.state, "published") && now_unix() < v.starts_at;
	if (volunteer_member_of(r->db, &r->actor) && (*mine || can_sign || !org)) {
		buf_puts(&r->out, "<section class=\"card\"><h2>我的报名</h2>");
		char to[96];
		if (!strcmp(mine, "signed") || !strcmp(mine, "waiting")) {
			char t1[20], t2[20];
			html_printf(&r->out, "<p class=\"vol-mine\">%s</p>", !strcmp(mine, "waiting") ? "您在候补名单中，有人取消时自动递补" : "您已报名");
			if (in) {
				fmt_time(in, t1);
				html_printf(&r->out, "<p>签到：%s</p>", t1);
			}
			if (out) {
				fmt_time(out, t2);
				html_printf(&r->out, "<p>签退：%s</p>", t2);
			}
			if (!in && now_unix() < v.starts_at) {
				snprintf(to, sizeof to, "/volunteer/%lld/unsign", (long long)id);
				form_begin(r, to);
				form_end(r, "取消报名");
			}
			if (!out)
				buf_puts(&r->out, "<p class=\"muted\">到达现场后，用手机扫描组织者屏幕上的二维码签到；离开时再扫一次签退。</p>");
		} else if (can_sign) {
			snprintf(to, sizeof to, "/volunteer/%lld/signup", (long long)id);
			form_begin(r, to);
			form_end(r, v.signed_n >= v.capacity ? "报名（进入候补）" : "我要报名");
		} else {
			buf_puts(&r->out, "<p class=\"muted\">现在不能报名。</p>");
		}
		buf_puts(&r->out, "</section>");
	}

	if (org) {
		buf_puts(&r->out, "<section class=\"card\"><h2>组织者</h2><p class=\"actions\">");
		if (!strcmp(v.state, "published") || !strcmp(v.state, "in_progress"))
			html_printf(&r->out, "<a class=\"btn\" href=\"/checkin/volunteer/%lld\">显示签到二维码</a>", (long long)id);
		buf_puts(&r->out, "</p>");
		for (size_t i = 0; i < volunteer_transitions_n; i++) {
			const struct volunteer_transition *t = &volunteer_transitions[i];
			if (!strcmp(t->from, v.state) && (t->actors & r->actor.role))
				action_form(r, id, t->action, volunteer_action_label(t->action), !strcmp(t->action, "cancel"));
		}
		if (can_sign) {
			char to[96];
			snprintf(to, sizeof to, "/volunteer/%lld/signup", (long long)id);
			buf_puts(&r->out, "<details class=\"vol-hand\"><summary>代党员报名（没有智能手机的党员）</summary>");
			form_begin(r, to);
			member_picker(r, "signup", id);
			form_end(r, "报名");
			buf_puts(&r->out, "</details>");
		}
		if (strcmp(v.state, "draft") && strcmp(v.state, "cancelled")) {
			char to[96];
			snprintf(to, sizeof to, "/volunteer/%lld/manual", (long long)id);
			buf_puts(&r->out, "<details class=\"vol-hand\"><summary>手工签到、签退、核定时长</summary>");
			form_begin(r, to);
			member_picker(r, "manual", id);
			static const char *const ops[] = {"checkin", "手工签到", "checkout", "手工签退（或更正签退时间）", "hours", "核定时长（须填原因）",
							  NULL};
			form_select(r, "op", "操作", ops, "checkin");
			form_input(r, "at", "时间", "text", "", "不填为现在；如 2026-12-05 09:30");
			form_input(r, "hours", "时长（小时）", "text", "", "核定时长时填写，如 2.5");
			form_input(r, "reason", "原因", "text", "", NULL);
			form_end(r, "提交");
			snprintf(to, sizeof to, "/volunteer/%lld/public", (long long)id);
			form_begin(r, to);
			char pc[24];
			snprintf(pc, sizeof pc, "%lld", (long long)v.public_count);
			form_input(r, "public_count", "参与群众人数", "number", pc, NULL);
			form_end(r, "保存");
			buf_puts(&r->out, "</details>");
		}
		if (can_sign || (strcmp(v.state, "draft") && strcmp(v.state, "cancelled")))
			member_datalist(r, id, v.org_path);
		buf_puts(&r->out,
			 "</section><h2>报名与签到</h2><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>党员</th><th>支部</th>"
			 "<th>报名</th><th>签到</th><th>签退</th><th>时长</th></tr></thead><tbody>");
		volunteer_signups_each(r->db, id, signup_row, r);
		buf_puts(&r->out, "</tbody></table></div>");
	}
	page_end(r);
}

static void back_to(req *r, int64_t id, enum dj_result res, struct field_errors *e, const char *ok)
{
	if (res != DJ_OK) {
		req_fail(r, res, e);
		return;
	}
	flash_set(r, "ok", ok);
	char to[64];
	snprintf(to, sizeof to, "/volunteer/%lld", (long long)id);
	req_redirect(r, to);
}

static int64_t form_member(req *r)
{
	const char *m = req_form(r, "member_id");
	return m ? parse_id(m) : 0;
}

/* The member picker's field: absent is the caller itself (0); else what was
 * picked or typed (a name, "姓名 #编号", a number), resolved by the domain. */
static enum dj_result form_member_pick(req *r, int64_t *member_id, struct field_errors *e)
{
	const char *m = req_form(r, "member_id");
	*member_id = 0;
	return m ? volunteer_pick_resolve(r->db, &r->actor, m, member_id, e) : DJ_OK;
}

static void post_signup(req *r)
{
	int64_t id = req_param_id(r, "id"), member;
	struct field_errors e = {0};
	bool waiting = false;
	enum dj_result res = form_member_pick(r, &member, &e);
	if (res == DJ_OK)
		res = volunteer_signup(r->db, &r->actor, id, member, now_unix(), &waiting, &e);
	back_to(r, id, res, &e, waiting ? "名额已满，已进入候补名单" : "报名成功");
}

static void post_unsign(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct field_errors e = {0};
	back_to(r, id, volunteer_signup_cancel(r->db, &r->actor, id, form_member(r), now_unix(), &e), &e, "已取消报名");
}

static void post_act(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct field_errors e = {0};
	back_to(r, id, volunteer_act(r->db, &r->actor, id, req_param(r, "action"), req_form(r, "reason"), now_unix(), &e), &e, "已更新");
}

/* "2.5" hours → 150 minutes; -1 when it is not a number of hours. */
int64_t volunteer_web_hours(const char *s)
{
	if (!s || !*s)
		return -1;
	char *end;
	double h = strtod(s, &end);
	if (*end || h < 0 || h > 24)
		return h > 24 && !*end ? 24 * 60 + 1 : -1;
	return (int64_t)(h * 60 + 0.5);
}

static void post_manual(req *r)
{
	int64_t id = req_param_id(r, "id"), at = 0, minutes = 0;
	struct field_errors e = {0};
	const char *op = req_form(r, "op") ? req_form(r, "op") : "", *ats = req_form(r, "at");
	if (ats && *ats && !volunteer_parse_time(ats, &at))
		ferr_add(&e, "at", "时间格式应为 YYYY-MM-DD HH:MM");
	if (!strcmp(op, "hours") && (minutes = volunteer_web_hours(req_form(r, "hours"))) < 0)
		ferr_add(&e, "hours", "请填写时长（小时，如 2.5）");
	int64_t member = 0;
	enum dj_result res = form_member_pick(r, &member, &e);
	if (res == DJ_OK && !e.n)
		res = volunteer_manual(r->db, &r->actor, id, member, op, at, minutes, req_form(r, "reason"), now_unix(), &e);
	else if (e.n)
		res = DJ_INVALID;
	back_to(r, id, res, &e, "已记录（手工）");
}

static void post_public(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct field_errors e = {0};
	const char *c = req_form(r, "public_count");
	char *end = NULL;
	long long n = c ? strtoll(c, &end, 10) : -1;
	if (!c || !*c || *end)
		n = -1;
	back_to(r, id, volunteer_set_public(r->db, &r->actor, id, n, &e), &e, "已保存参与群众人数");
}

/* ---- a member's service ---- */

static void member_row(void *ctx, const struct volunteer_activity *v, int64_t minutes, bool manual)
{
	req *r = ctx;
	char h[24];
	volunteer_hours_text(minutes, h);
	html_printf(&r->out, "<tr><td data-label=\"活动\"><a href=\"/volunteer/%lld\">%s</a></td><td data-label=\"时间\">", (long long)v->id, v->title);
	when_html(&r->out, v);
	html_printf(&r->out, "</td><td data-label=\"组织\">%s</td><td data-label=\"时长\">%s 小时%s</td></tr>", v->org_name, h,
		    manual ? "（手工核定）" : "");
}

static void member_page(req *r, int64_t member_id)
{
	struct volunteer_member_stats st;
	struct field_errors e = {0};
	enum dj_result res = volunteer_member_stats(r->db, &r->actor, member_id, &st, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char title[160], h[24];
	snprintf(title, sizeof title, "%s的志愿服务", st.name);
	volunteer_hours_text(st.minutes, h);
	page_begin(r, title);
	html_printf(
		&r->out,
		"<section class=\"card vol-member\"><p>%s</p><div class=\"stats\"><div class=\"stat\"><span class=\"stat-num\" id=\"vol-hours\">%s</span>"
		"<span class=\"stat-label\">服务时长（小时）</span></div><div class=\"stat\"><span class=\"stat-num\" id=\"vol-times\">%lld</span>"
		"<span class=\"stat-label\">参加活动（次）</span></div><div class=\"stat\"><span class=\"stat-num\" id=\"vol-points\">%lld</span>"
		"<span class=\"stat-label\">%d年党员积分</span></div></div><p>星级：",
		st.org_name, h, (long long)st.times, (long long)st.points_year, st.year);
	stars_html(&r->out, st.stars);
	buf_puts(&r->out, "</p><ul class=\"vol-star-list\">");
	for (int i = 0; i < VOLUNTEER_STARS; i++) {
		char d[20] = "";
		if (st.star_reached[i])
			fmt_time(st.star_reached[i], d);
		html_printf(&r->out, "<li>%d星（%lld 小时）：%s</li>", i + 1, (long long)st.star_hours[i], st.star_reached[i] ? d : "未达到");
	}
	/* the latest ten on the page (the API and the report count them all) */
	buf_puts(&r->out, "</ul></section><h2>最近参加的活动</h2><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>活动</th>"
			  "<th>时间</th><th>组织</th><th>时长</th></tr></thead><tbody>");
	volunteer_member_each(r->db, member_id, 10, member_row, r);
	buf_puts(&r->out, "</tbody></table></div>");
	page_end(r);
}

void volunteer_member_card(req *r, int64_t member_id)
{
	struct volunteer_member_stats st;
	struct field_errors e = {0};
	/* the domain decides who may read it; someone who may not sees no card */
	if (volunteer_member_stats(r->db, &r->actor, member_id, &st, &e) != DJ_OK)
		return;
	char h[24];
	volunteer_hours_text(st.minutes, h);
	html_printf(&r->out,
		    "<section class=\"card vol-member-card\" id=\"member-volunteer\"><h2 class=\"card-title\">志愿服务 <a class=\"more\" "
		    "href=\"/volunteer/members/%lld\">详情 ›</a></h2><p><span id=\"mv-hours\">%s</span> 小时 · 参加活动 <span id=\"mv-times\">%lld</span> "
		    "次 · 星级 ",
		    (long long)member_id, h, (long long)st.times);
	stars_html(&r->out, st.stars);
	html_printf(&r->out, " <span class=\"muted\" id=\"mv-stars\">%d 星</span></p></section>", st.stars);
}

static void page_me(req *r)
{
	int64_t m = volunteer_member_of(r->db, &r->actor);
	if (!m) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "您的账号没有关联党员花名册"), &e);
		return;
	}
	member_page(r, m);
}

static void page_member(req *r) { member_page(r, req_param_id(r, "id")); }

/* ---- teams ---- */

static void team_row(void *ctx, const struct volunteer_team *t)
{
	req *r = ctx;
	html_printf(
		&r->out,
		"<tr id=\"team-%lld\"><td data-label=\"编号\">%lld</td><td data-label=\"服务队\">%s</td><td data-label=\"组织\">%s</td><td data-label=\"队长\">%s</td>"
		"<td data-label=\"队员\">%lld 人</td></tr>",
		(long long)t->id, (long long)t->id, t->name, t->org_name, *t->leader_name ? t->leader_name : "—", (long long)t->members);
}

static void page_teams(req *r)
{
	struct field_errors e = {0};
	if (req_is_post(r)) {
		int64_t id = 0;
		enum dj_result res;
		const char *team = req_form(r, "team_id");
		if (team && *team)
			res = volunteer_team_add(r->db, &r->actor, parse_id(team), form_member(r), now_unix(), &e);
		else
			res = volunteer_team_create(r->db, &r->actor, req_form(r, "org"), req_form(r, "name"), form_member(r), now_unix(), &id, &e);
		if (res != DJ_OK) {
			req_fail(r, res, &e);
			return;
		}
		flash_set(r, "ok", team && *team ? "已加入服务队" : "服务队已建立");
		req_redirect(r, "/volunteer/teams");
		return;
	}
	page_begin(r, "共产党员服务队");
	buf_puts(&r->out,
		 "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>编号</th><th>服务队</th><th>组织</th><th>队长</th><th>队员</th>"
		 "</tr></thead><tbody>");
	volunteer_teams_each(r->db, &r->actor, team_row, r);
	buf_puts(&r->out, "</tbody></table></div>");
	if (permission_allows(&perm_volunteer_organise, &r->actor)) {
		buf_puts(&r->out, "<section class=\"card\"><h2>组建服务队</h2>");
		form_begin(r, "/volunteer/teams");
		form_input(r, "name", "名称", "text", "", NULL);
		orgs_form_select(r, "org", "所属组织", "");
		form_input(r, "member_id", "队长（党员编号）", "number", "", NULL);
		form_end(r, "建立");
		buf_puts(&r->out, "<h2>添加队员</h2>");
		form_begin(r, "/volunteer/teams");
		form_input(r, "team_id", "服务队编号", "number", "", NULL);
		form_input(r, "member_id", "党员编号", "number", "", NULL);
		form_end(r, "添加");
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
}

/* ---- the report ---- */

/* ?org=&from=&to= (both days included; default: this year so far). */
bool volunteer_web_period(req *r, int64_t *org, int64_t *t0, int64_t *t1, char from[11], char to[11], struct field_errors *e)
{
	int64_t now = now_unix();
	char today[20];
	fmt_time(now, today);
	const char *f = req_query(r, "from"), *t = req_query(r, "to");
	snprintf(from, 11, "%s", f && *f ? f : "");
	snprintf(to, 11, "%s", t && *t ? t : "");
	if (!*from)
		snprintf(from, 11, "%.4s-01-01", today);
	if (!*to)
		snprintf(to, 11, "%.10s", today);
	if (!day_start(from, t0))
		ferr_add(e, "from", "起始日期应为 YYYY-MM-DD");
	if (!day_start(to, t1))
		ferr_add(e, "to", "结束日期应为 YYYY-MM-DD");
	else
		*t1 += 86400;
	const char *code = req_query(r, "org");
	*org = 0;
	if (code && *code && !(*org = orgs_id_by_code(r->db, code)))
		ferr_add(e, "org", "组织不存在");
	return e->n == 0;
}

static void branch_row(void *ctx, const struct volunteer_branch_row *b)
{
	buf *out = ctx;
	char h[24];
	volunteer_hours_text(b->f.minutes, h);
	html_printf(
		out,
		"<tr><td data-label=\"支部\">%s</td><td data-label=\"报到党员\">%lld</td><td data-label=\"活跃\">%lld</td><td data-label=\"活动\">%lld</td>"
		"<td data-label=\"人次\">%lld</td><td data-label=\"群众\">%lld</td><td data-label=\"时长\">%s</td><td data-label=\"服务队\">%lld</td></tr>",
		b->name, (long long)b->f.registered, (long long)b->f.active, (long long)b->f.activities, (long long)b->f.person_times,
		(long long)b->f.public_times, h, (long long)b->f.teams);
}

static void report_member_row(void *ctx, const struct volunteer_member_row *m)
{
	char h[24];
	volunteer_hours_text(m->minutes, h);
	html_printf(ctx,
		    "<tr><td data-label=\"党员\"><a href=\"/volunteer/members/%lld\">%s</a></td><td data-label=\"组织\">%s</td>"
		    "<td data-label=\"活动\">%lld 次</td><td data-label=\"时长\">%s 小时</td></tr>",
		    (long long)m->member_id, m->name, m->org_name, (long long)m->times, h);
}

static void page_report(req *r)
{
	int64_t org, t0, t1;
	char from[11], to[11], name[168];
	struct field_errors e = {0};
	struct volunteer_figures f;
	if (!volunteer_web_period(r, &org, &t0, &t1, from, to, &e)) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	/* the table is written after the figures: render the rows into a side buffer */
	buf rows = {0};
	enum dj_result res = volunteer_report(r->db, &r->actor, org, t0, t1, &f, branch_row, &rows, name, &e);
	if (res != DJ_OK) {
		buf_free(&rows);
		req_fail(r, res, &e);
		return;
	}
	char h[24];
	volunteer_hours_text(f.minutes, h);
	page_begin(r, "志愿服务统计");
	const char *code = req_query(r, "org") ? req_query(r, "org") : "";
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/volunteer/report\"><input type=\"hidden\" name=\"org\" value=\"%s\">"
		    "<label>从 <input type=\"date\" name=\"from\" value=\"%s\"></label><label>到 <input type=\"date\" name=\"to\" value=\"%s\"></label>"
		    "<button type=\"submit\">查询</button></form><p class=\"actions\"><a class=\"btn btn-secondary\" "
		    "href=\"/volunteer/report.xlsx?org=%s&amp;from=%s&amp;to=%s\">导出 Excel</a></p>",
		    code, from, to, code, from, to);
	html_printf(
		&r->out,
		"<h2 id=\"vol-report-org\">%s · %s 至 %s</h2><div class=\"stats vol-report\">"
		"<div class=\"stat\"><span class=\"stat-num\" data-k=\"registered\">%lld</span><span class=\"stat-label\">报到在职党员</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" data-k=\"active\">%lld</span><span class=\"stat-label\">参与党员</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" data-k=\"activities\">%lld</span><span class=\"stat-label\">开展活动（次）</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" data-k=\"person_times\">%lld</span><span class=\"stat-label\">党员参与（人次）</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" data-k=\"public_times\">%lld</span><span class=\"stat-label\">群众参与（人次）</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" data-k=\"hours\">%s</span><span class=\"stat-label\">服务时长（小时）</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" data-k=\"teams\">%lld</span><span class=\"stat-label\">服务队（支）</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" data-k=\"team_members\">%lld</span><span class=\"stat-label\">服务队队员（人）</span></div></div>",
		name, from, to, (long long)f.registered, (long long)f.active, (long long)f.activities, (long long)f.person_times,
		(long long)f.public_times, h, (long long)f.teams, (long long)f.team_members);
	html_printf(&r->out,
		    "<p class=\"muted\">开展志愿服务活动%lld次，党员参与%lld人次，群众参与%lld人次，服务时长%s小时；共产党员服务队%lld支%lld人。</p>",
		    (long long)f.activities, (long long)f.person_times, (long long)f.public_times, h, (long long)f.teams, (long long)f.team_members);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>支部</th><th>报到党员</th><th>参与党员</th><th>活动</th>"
			  "<th>人次</th><th>群众</th><th>时长</th><th>服务队</th></tr></thead><tbody>");
	buf_puts(&r->out, buf_str(&rows));
	buf_puts(&r->out, "</tbody></table></div>");
	buf_free(&rows);
	/* the members who served most (the file has them all) */
	buf_puts(&r->out,
		 "<h2>按党员（服务时长前二十名，导出文件含全部）</h2><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>党员</th>"
		 "<th>所在组织</th><th>参加活动</th><th>服务时长</th></tr></thead><tbody>");
	volunteer_report_members(r->db, &r->actor, org, t0, t1, 20, report_member_row, &r->out, &e);
	buf_puts(&r->out, "</tbody></table></div>");
	page_end(r);
}

struct xlsx_job {
	req *r;
	int64_t org, t0, t1, year, campaign;
};

static enum dj_result write_report(const char *path, void *ctx, struct field_errors *e)
{
	struct xlsx_job *j = ctx;
	return volunteer_report_export(j->r->db, &j->r->actor, j->org, j->t0, j->t1, path, e);
}

static void report_xlsx(req *r)
{
	struct xlsx_job j = {.r = r};
	char from[11], to[11], name[120];
	struct field_errors e = {0};
	if (!volunteer_web_period(r, &j.org, &j.t0, &j.t1, from, to, &e)) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	snprintf(name, sizeof name, "志愿服务统计-%s至%s.xlsx", from, to);
	req_send_download(r, write_report, &j, XLSX_TYPE, "volunteer-report.xlsx", name);
}

/* ---- minimums ---- */

struct below_list {
	buf rows, branches; /* branches: "name N" per branch, in the rows' order */
	int64_t n, branch_n;
	char branch[168];
};

static void below_branch_flush(struct below_list *l)
{
	if (l->branch_n)
		html_printf(&l->branches, "<li>%s <strong>%lld</strong> 名</li>", l->branch, (long long)l->branch_n);
}

static void below_row(void *ctx, const struct volunteer_below_row *b)
{
	struct below_list *l = ctx;
	l->n++;
	if (strcmp(l->branch, b->branch)) {
		below_branch_flush(l);
		snprintf(l->branch, sizeof l->branch, "%s", b->branch);
		l->branch_n = 0;
	}
	l->branch_n++;
	html_printf(&l->rows,
		    "<tr><td data-label=\"支部\">%s</td><td data-label=\"党员\"><a href=\"/volunteer/members/%lld\">%s</a></td>"
		    "<td data-label=\"已参加\">%lld 次</td></tr>",
		    b->branch, (long long)b->member_id, b->name, (long long)b->times);
}

static int64_t query_year(req *r)
{
	const char *y = req_query(r, "year");
	if (y && *y)
		return strtoll(y, NULL, 10);
	char today[20];
	fmt_time(now_unix(), today);
	return strtoll(today, NULL, 10);
}

/* ?campaign= of the minimums report: a campaign's id, 0 for the year's
 * minimum; false (field campaign named) when it is not a number. */
static bool query_campaign(req *r, int64_t *id, struct field_errors *e)
{
	const char *c = req_query(r, "campaign");
	*id = 0;
	if (!c || !*c)
		return true;
	if (!(*id = parse_id(c))) {
		ferr_add(e, "campaign", "主题活动编号应为正整数");
		return false;
	}
	return true;
}

struct campaign_options {
	req *r;
	int64_t selected;
	int n;
};

static void campaign_option(void *ctx, const struct volunteer_campaign_min *m)
{
	struct campaign_options *o = ctx;
	o->n++;
	html_printf(&o->r->out, "<option value=\"%lld\"%s>主题活动：%s（%s 至 %s，不少于 %lld 次）</option>", (long long)m->campaign_id,
		    m->campaign_id == o->selected ? " selected" : "", m->title, m->starts, m->ends, (long long)m->required);
}

/* A campaign's minimum set from its page (the form of volunteer_campaign_card). */
static void post_campaign_minimum(req *r)
{
	struct field_errors e = {0};
	int64_t cid = parse_id(req_form(r, "campaign"));
	const char *n = req_form(r, "required"), *linked = req_form(r, "linked_only");
	char *end = NULL;
	long long required = n && *n ? strtoll(n, &end, 10) : -1;
	if (!end || *end) {
		ferr_add(&e, "required", "最低次数应为0到100之间的整数（0 为不作要求）");
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	enum dj_result res = volunteer_campaign_minimum_set(r->db, &r->actor, cid, required, linked && *linked, now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", required ? "志愿服务最低次数已保存" : "已取消志愿服务最低次数");
	char to[80];
	snprintf(to, sizeof to, "/campaigns/%lld#vol-campaign-min", (long long)cid);
	req_redirect(r, to);
}

static void page_minimums(req *r)
{
	struct field_errors e = {0};
	struct volunteer_min_query q = {.year = query_year(r)};
	const char *code = req_query(r, "org");
	if (code && *code && !(q.org_id = orgs_id_by_code(r->db, code)))
		ferr_add(&e, "org", "组织不存在");
	if (!query_campaign(r, &q.campaign_id, &e) || e.n) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	if (req_is_post(r)) {
		if (req_form(r, "campaign")) {
			post_campaign_minimum(r);
			return;
		}
		const char *ys = req_form(r, "year"), *n = req_form(r, "required"), *oc = req_form(r, "org");
		int64_t oid = oc && *oc ? orgs_id_by_code(r->db, oc) : r->actor.org_id;
		enum dj_result res = volunteer_minimum_set(r->db, &r->actor, oid, ys ? strtoll(ys, NULL, 10) : 0, n ? strtoll(n, NULL, 10) : 0,
							   req_form(r, "title"), now_unix(), &e);
		if (res != DJ_OK) {
			req_fail(r, res, &e);
			return;
		}
		flash_set(r, "ok", "最低次数已保存");
		char to[80];
		snprintf(to, sizeof to, "/volunteer/minimums?year=%lld", ys ? strtoll(ys, NULL, 10) : 0);
		req_redirect(r, to);
		return;
	}
	struct volunteer_min_info info;
	struct below_list below = {0};
	enum dj_result res = volunteer_below_minimum(r->db, &r->actor, &q, &info, below_row, &below, &e);
	page_begin(r, "志愿服务最低次数");
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/volunteer/minimums\"><input type=\"hidden\" name=\"org\" value=\"%s\">"
		    "<label>依据 <select name=\"campaign\" id=\"vol-min-basis\"><option value=\"\">年度最低次数</option>",
		    code ? code : "");
	struct campaign_options opts = {r, q.campaign_id, 0};
	volunteer_campaign_minimums_each(r->db, &r->actor, campaign_option, &opts);
	html_printf(
		&r->out,
		"</select></label><label>年度 <input type=\"number\" name=\"year\" value=\"%lld\"></label><button type=\"submit\">查询</button></form>",
		(long long)q.year);
	if (res == DJ_OK) {
		if (q.campaign_id)
			html_printf(
				&r->out,
				"<p id=\"vol-min\"><a href=\"/campaigns/%lld\">%s</a>（%s 至 %s）：每名党员参加%s志愿服务活动不少于 <strong>%lld</strong> "
				"次。%s尚未达到的党员 <strong id=\"vol-below-n\">%lld</strong> 名：</p>",
				(long long)q.campaign_id, info.basis, info.from, info.to, info.linked_only ? "本主题活动关联的" : "",
				(long long)info.required, info.org_name, (long long)below.n);
		else
			html_printf(&r->out,
				    "<p id=\"vol-min\">%lld 年每名党员参加志愿服务活动不少于 <strong>%lld</strong> 次。尚未达到的党员 <strong "
				    "id=\"vol-below-n\">%lld</strong> 名：</p>",
				    (long long)q.year, (long long)info.required, (long long)below.n);
		char camp[32] = "";
		if (q.campaign_id)
			snprintf(camp, sizeof camp, "%lld", (long long)q.campaign_id);
		below_branch_flush(&below);
		if (below.n) {
			buf_puts(&r->out, "<ul class=\"vol-below-branches\" id=\"vol-below-branches\">");
			buf_puts(&r->out, buf_str(&below.branches));
			buf_puts(&r->out, "</ul>");
		}
		html_printf(
			&r->out,
			"<p class=\"actions\"><a class=\"btn btn-secondary\" href=\"/volunteer/minimums.xlsx?org=%s&amp;year=%lld&amp;campaign=%s\">导出 "
			"Excel</a></p><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>支部</th><th>党员</th><th>已参加</th></tr>"
			"</thead><tbody>",
			code ? code : "", (long long)q.year, camp);
		buf_puts(&r->out, buf_str(&below.rows));
		buf_puts(&r->out, "</tbody></table></div>");
	} else {
		html_printf(&r->out, "<p class=\"empty\">%s</p>", dj_message(res, &e));
	}
	buf_free(&below.rows);
	buf_free(&below.branches);
	if (r->actor.role & (R_ADMIN | R_COMMITTEE)) {
		buf_puts(&r->out, "<section class=\"card\"><h2>规定年度最低次数</h2>");
		form_begin(r, "/volunteer/minimums");
		char y[12];
		snprintf(y, sizeof y, "%lld", (long long)q.year);
		form_input(r, "year", "年度", "number", y, NULL);
		form_input(r, "required", "每名党员不少于（次）", "number", "2", NULL);
		orgs_form_select(r, "org", "适用组织", "");
		form_input(r, "title", "说明", "text", "", "如：每名党员参加志愿服务活动不少于2次");
		form_end(r, "保存");
		buf_puts(&r->out, "<p class=\"muted\">主题活动的最低次数在主题活动页面规定。</p></section>");
	}
	page_end(r);
}

void volunteer_campaign_card(req *r, int64_t campaign_id, bool manager)
{
	bool linked = false;
	int64_t required = volunteer_campaign_minimum_of(r->db, campaign_id, &linked);
	if (!required && !manager)
		return;
	buf_puts(&r->out, "<section class=\"card\" id=\"vol-campaign-min\"><h2>志愿服务最低次数</h2>");
	if (required)
		html_printf(&r->out,
			    "<p>本主题活动期间，每名党员参加%s志愿服务活动不少于 <strong id=\"vol-campaign-required\">%lld</strong> 次。"
			    "<a href=\"/volunteer/minimums?campaign=%lld\">查看未达到的党员</a></p>",
			    linked ? "本主题活动关联的" : "", (long long)required, (long long)campaign_id);
	else
		buf_puts(&r->out, "<p class=\"muted\">尚未规定。</p>");
	if (manager && permission_allows(&perm_volunteer_report, &r->actor)) {
		form_begin(r, "/volunteer/minimums");
		char id[24], n[24];
		snprintf(id, sizeof id, "%lld", (long long)campaign_id);
		snprintf(n, sizeof n, "%lld", (long long)(required ? required : 2));
		html_printf(&r->out, "<input type=\"hidden\" name=\"campaign\" value=\"%s\">", id);
		form_input(r, "required", "每名党员不少于（次，0 为不作要求）", "number", n, NULL);
		html_printf(
			&r->out,
			"<label class=\"check\"><input type=\"checkbox\" name=\"linked_only\" value=\"1\"%s> 只计本主题活动任务关联的志愿服务活动</label>",
			linked ? " checked" : "");
		form_end(r, "保存");
	}
	buf_puts(&r->out, "</section>");
}

static enum dj_result write_minimums(const char *path, void *ctx, struct field_errors *e)
{
	struct xlsx_job *j = ctx;
	struct volunteer_min_query q = {.org_id = j->org, .year = j->year, .campaign_id = j->campaign};
	return volunteer_minimums_export(j->r->db, &j->r->actor, &q, path, e);
}

static void minimums_xlsx(req *r)
{
	struct xlsx_job j = {.r = r, .year = query_year(r)};
	const char *code = req_query(r, "org");
	struct field_errors e = {0};
	if (code && *code && !(j.org = orgs_id_by_code(r->db, code)))
		ferr_add(&e, "org", "组织不存在");
	if (!query_campaign(r, &j.campaign, &e) || e.n) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	char name[80];
	if (j.campaign)
		snprintf(name, sizeof name, "志愿服务未达最低次数-主题活动%lld.xlsx", (long long)j.campaign);
	else
		snprintf(name, sizeof name, "志愿服务未达最低次数-%lld.xlsx", (long long)j.year);
	req_send_download(r, write_minimums, &j, XLSX_TYPE, "volunteer-minimums.xlsx", name);
}

/* ---- the module record (module.h) ---- */

#define VIEW (R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID)
#define ORG (R_ADMIN | R_COMMITTEE | R_BRANCH)
static const route volunteer_routes[] = {
	{"GET", "/volunteer", page_list, VIEW, 0, 0, "volunteer"},
	{"GET", "/volunteer/new", page_new, ORG, 0, 0, "volunteer_new"},
	{"POST", "/volunteer/new", page_new, ORG, 0, 8 * KiB, "volunteer_new"},
	{"GET", "/volunteer/me", page_me, VIEW, 0, 0, "volunteer_me"},
	{"GET", "/volunteer/members/:id", page_member, VIEW, 0, 0, "volunteer_member"},
	{"GET", "/volunteer/teams", page_teams, VIEW, 0, 0, "volunteer_teams"},
	{"POST", "/volunteer/teams", page_teams, ORG, 0, 4 * KiB, "volunteer_teams"},
	{"GET", "/volunteer/report", page_report, ORG, 0, 0, "volunteer_report"},
	{"GET", "/volunteer/report.xlsx", report_xlsx, ORG, RF_WRITE, 0, "volunteer_report_export"},
	{"GET", "/volunteer/minimums", page_minimums, ORG, 0, 0, "volunteer_minimums"},
	{"POST", "/volunteer/minimums", page_minimums, ORG, 0, 4 * KiB, "volunteer_minimums"},
	{"GET", "/volunteer/minimums.xlsx", minimums_xlsx, ORG, RF_WRITE, 0, "volunteer_minimums_export"},
	{"GET", "/volunteer/:id", page_detail, VIEW, 0, 0, "volunteer_activity"},
	{"POST", "/volunteer/:id/signup", post_signup, VIEW, 0, 4 * KiB, "volunteer_signup"},
	{"POST", "/volunteer/:id/unsign", post_unsign, VIEW, 0, 4 * KiB, "volunteer_unsign"},
	{"POST", "/volunteer/:id/act/:action", post_act, ORG, 0, 4 * KiB, "volunteer_act"},
	{"POST", "/volunteer/:id/manual", post_manual, ORG, 0, 4 * KiB, "volunteer_manual"},
	{"POST", "/volunteer/:id/public", post_public, ORG, 0, 4 * KiB, "volunteer_public"},
	{"GET", "/api/v1/volunteer/activities", volunteer_api_list, VIEW, RF_API, 0, "api_volunteer_activities"},
	{"POST", "/api/v1/volunteer/activities", volunteer_api_create, ORG, RF_API, 8 * KiB, "api_volunteer_create"},
	{"GET", "/api/v1/volunteer/activities/:id", volunteer_api_get, VIEW, RF_API, 0, "api_volunteer_activity"},
	{"POST", "/api/v1/volunteer/activities/:id/actions/:action", volunteer_api_action, VIEW, RF_API, 8 * KiB, "api_volunteer_action"},
	{"GET", "/api/v1/volunteer/members/:id", volunteer_api_member, VIEW, RF_API, 0, "api_volunteer_member"},
	{"GET", "/api/v1/volunteer/teams", volunteer_api_teams, VIEW, RF_API, 0, "api_volunteer_teams"},
	{"POST", "/api/v1/volunteer/teams", volunteer_api_team_create, ORG, RF_API, 4 * KiB, "api_volunteer_team_create"},
	{"POST", "/api/v1/volunteer/teams/:id/members", volunteer_api_team_add, ORG, RF_API, 4 * KiB, "api_volunteer_team_add"},
	{"GET", "/api/v1/volunteer/report", volunteer_api_report, ORG, RF_API, 0, "api_volunteer_report"},
	{"GET", "/api/v1/volunteer/minimums", volunteer_api_minimums, ORG, RF_API, 0, "api_volunteer_minimums"},
	{"POST", "/api/v1/volunteer/minimums", volunteer_api_minimum_set, ORG, RF_API, 4 * KiB, "api_volunteer_minimum_set"},
	{"POST", "/api/v1/campaigns/:id/volunteer-minimum", volunteer_api_campaign_minimum, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB,
	 "api_campaign_volunteer_minimum"},
};
static const struct nav_entry volunteer_nav[] = {
	{"/volunteer", "志愿服务", VIEW, 22, NAV_LIFE},
};
static const struct background_task volunteer_tasks[] = {
	{"volunteer_states", volunteer_tick}, /* start and finish activities at their times; forgotten check-outs closed */
};
static const struct entity_link volunteer_entities[] = {{"volunteer", "/volunteer/"}, {"volunteer_team", "/volunteer/teams#team-"}};
static const struct permission *const volunteer_perms[] = {&perm_volunteer_organise, &perm_volunteer_report};
const struct module volunteer_module = {
	.name = "volunteer",
	.routes = volunteer_routes,
	.routes_n = COUNT_OF(volunteer_routes),
	.nav = volunteer_nav,
	.nav_n = COUNT_OF(volunteer_nav),
	.tasks = volunteer_tasks,
	.tasks_n = COUNT_OF(volunteer_tasks),
	.permissions = volunteer_perms,
	.permissions_n = COUNT_OF(volunteer_perms),
	.entities = volunteer_entities,
	.entities_n = COUNT_OF(volunteer_entities),
	.demo = demo_volunteer,
	.checkin = &volunteer_checkin_kind,
	.checkin_n = 1,
	.figures = volunteer_figures,
	.figures_n = VOLUNTEER_FIGURES_N,
};
