/* meetings_web — the pages of meetings and decisions (issue 13): the list,
 * planning with the 四定, a meeting with its attendance, leave, QR screen,
 * minutes and decisions; a decision with its progress; 四议两公开; the report
 * with the 三会一课 compliance; the public page of a village's decisions.
 * The JSON API is in meetings_api.c; the module record is at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "checkin.h"
#include "layout.h"
#include "meetings.h"
#include "meetings_api.h"
#include "module.h"
#include "orgs.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"

/* After a form: the error as a flash on the page it came from (nothing was
 * written), a database failure as 503 (the request rolls back). */
static void done_or_back(req *r, enum dj_result res, struct field_errors *e, const char *ok, const char *loc)
{
	if (res == DJ_DB_ERROR) {
		req_fail(r, res, e);
		return;
	}
	if (res == DJ_OK)
		flash_set(r, "ok", ok);
	else
		flash_set(r, "error", dj_message(res, e));
	req_redirect(r, loc);
}

static bool staff(req *r) { return permission_allows(&perm_meeting_manage, &r->actor); }

/* ---- the list ---- */

static void list_card(void *ctx, const struct meeting *m)
{
	req *r = ctx;
	char when[20];
	fmt_time(m->starts_at, when);
	const char *badge = !strcmp(m->state, "held") ? "badge-green" : !strcmp(m->state, "cancelled") ? "badge-grey" : "badge-red";
	html_printf(
		&r->out,
		"<tr><td data-label=\"会议\"><a href=\"/meetings/%lld\">%s</a></td><td data-label=\"类型\">%s</td><td data-label=\"时间\">%s</td>"
		"<td data-label=\"组织\">%s</td><td data-label=\"状态\"><span class=\"badge %s\">%s</span></td><td data-label=\"出席\">%lld/%lld</td></tr>",
		(long long)m->id, m->theme, m->type_label, when, m->org_name, badge, meeting_state_label(m->state), (long long)m->present,
		(long long)m->invited);
}

static void meetings_page(req *r)
{
	const char *month = req_query(r, "month"), *type = req_query(r, "type");
	page_begin(r, "会议");
	buf_puts(&r->out, "<section class=\"meetings\"><h2>会议（三会一课 · 红色七点半）</h2><p class=\"actions\">");
	if (staff(r))
		buf_puts(&r->out,
			 "<a class=\"btn btn-primary\" href=\"/meetings/new\">安排会议</a> <a class=\"btn\" href=\"/meetings/report\">会议统计</a> ");
	buf_puts(&r->out, "<a class=\"btn\" href=\"/decisions\">议事决策</a> ");
	if (staff(r))
		buf_puts(&r->out, "<a class=\"btn\" href=\"/matters\">四议两公开</a> ");
	if (permission_allows(&perm_meeting_plan, &r->actor))
		buf_puts(&r->out, "<a class=\"btn\" href=\"/meetings/plans\">月度计划</a> ");
	if (permission_allows(&perm_meeting_types, &r->actor))
		buf_puts(&r->out, "<a class=\"btn\" href=\"/meetings/types\">会议类型</a>");
	buf_puts(&r->out, "</p><form class=\"filters\" method=\"get\" action=\"/meetings\">");
	html_printf(
		&r->out,
		"<label>月份 <input type=\"month\" name=\"month\" value=\"%s\"></label> <label>类型 <select name=\"type\"><option value=\"\">全部</option>",
		month ? month : "");
	/* every type, retired ones too: their meetings stay findable */
	struct meeting_type types[MEETING_TYPES_MAX];
	int nt = meeting_types_load(r->db, false, types, MEETING_TYPES_MAX);
	for (int k = 0; k < nt; k++)
		html_printf(&r->out, "<option value=\"%s\"%s>%s%s</option>", types[k].key, type && !strcmp(type, types[k].key) ? " selected" : "",
			    types[k].label, types[k].active ? "" : "（已停用）");
	buf_puts(&r->out, "</select></label> <button class=\"btn btn-small\">筛选</button></form>");
	buf_puts(&r->out,
		 "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>会议</th><th>类型</th><th>时间</th><th>组织</th><th>状态</th>"
		 "<th>出席/应到</th></tr></thead><tbody>");
	struct field_errors e = {0};
	if (meeting_list(r->db, &r->actor, month, type, 200, list_card, r, &e) != DJ_OK)
		html_printf(&r->out, "<tr><td>%s</td></tr>", dj_message(DJ_INVALID, &e));
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

/* ---- planning ---- */

struct opt_ctx {
	req *r;
	const char *selected;
};

static void member_options(req *r, const char *selected)
{
	db_stmt *s = db_query(r->db,
			      "SELECT m.id, m.name, o.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? || '%' AND m.status NOT IN "
			      "('stopped', 'transferred') ORDER BY o.path, m.name LIMIT 500",
			      "t", actor_scope(&r->actor));
	while (db_next(s)) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)db_int(s, 0));
		html_printf(&r->out, "<option value=\"%s\"%s>%s（%s）</option>", id, selected && !strcmp(selected, id) ? " selected" : "", db_str(s, 1),
			    db_str(s, 2));
	}
	db_done(s);
}

static void member_select(req *r, const char *name, const char *label, bool optional)
{
	const char *err = form_error_for(r, name);
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">", err ? " has-error" : "", name, label,
		    name, name);
	if (optional)
		buf_puts(&r->out, "<option value=\"\">（请选择）</option>");
	member_options(r, form_value(r, name, ""));
	buf_puts(&r->out, "</select>");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
}

static void plan_option(void *ctx, const struct meeting_monthly_plan *p)
{
	struct opt_ctx *c = ctx;
	char id[24], label[64];
	snprintf(id, sizeof id, "%lld", (long long)p->id);
	html_printf(&c->r->out, "<option value=\"%s\"%s>%s %s：%s</option>", id, c->selected && !strcmp(c->selected, id) ? " selected" : "", p->month,
		    meeting_type_name(c->r->db, p->type, label), p->theme);
}

static void meeting_new_page(req *r)
{
	if (req_is_post(r)) {
		struct meeting_new n = {0};
		n.org_id = parse_id(req_form(r, "org"));
		n.type = req_form(r, "type");
		n.theme = req_form(r, "theme");
		n.date = req_form(r, "date");
		n.start = req_form(r, "start");
		n.end = req_form(r, "end");
		n.place = req_form(r, "place");
		n.content = req_form(r, "content");
		n.host_member_id = parse_id(req_form(r, "host_member_id"));
		n.recorder_member_id = parse_id(req_form(r, "recorder_member_id"));
		n.plan_id = parse_id(req_form(r, "plan_id"));
		struct field_errors e = {0};
		int64_t id = 0;
		enum dj_result res = meeting_plan(r->db, &r->actor, &n, now_unix(), &id, &e);
		if (res == DJ_OK) {
			char loc[64];
			snprintf(loc, sizeof loc, "/meetings/%lld", (long long)id);
			flash_set(r, "ok", "会议已安排，参会党员已收到通知");
			req_redirect(r, loc);
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
		r->status = 422;
	}
	page_begin(r, "安排会议");
	buf_puts(&r->out, "<section class=\"card\"><h2>安排会议（四定）</h2><p class=\"muted\">定主题、定时间、定地点、定内容；参会党员会收到通知。</p>");
	form_begin(r, "/meetings/new");
	char org_sel[24];
	snprintf(org_sel, sizeof org_sel, "%lld", (long long)r->actor.org_id);
	orgs_form_select(r, "org", "召开组织（党支部/党小组）", form_value(r, "org", org_sel));
	/* the active types only: a retired one is planned no more */
	struct meeting_type tv[MEETING_TYPES_MAX];
	int nt = meeting_types_load(r->db, true, tv, MEETING_TYPES_MAX);
	const char *types[2 * MEETING_TYPES_MAX + 1];
	size_t k = 0;
	for (int i = 0; i < nt; i++) {
		types[k++] = tv[i].key;
		types[k++] = tv[i].label;
	}
	types[k] = NULL;
	form_select(r, "type", "会议类型", types, form_value(r, "type", "red730"));
	char month[8], today_s[11];
	meeting_date_of(now_unix(), today_s);
	snprintf(month, sizeof month, "%.7s", today_s);
	buf_puts(&r->out, "<div class=\"field\"><label for=\"f-plan_id\">镇党委月度计划（可选，主题和内容留空则沿用）</label>"
			  "<select id=\"f-plan_id\" name=\"plan_id\"><option value=\"\">不沿用</option>");
	struct opt_ctx oc = {r, form_value(r, "plan_id", "")};
	meeting_plans_each(r->db, r->actor.org_id, month, plan_option, &oc);
	buf_puts(&r->out, "</select></div>");
	form_input(r, "theme", "定主题", "text", form_value(r, "theme", ""), NULL);
	form_input(r, "date", "定时间：日期", "date", form_value(r, "date", today_s), NULL);
	form_input(r, "start", "开始时间", "time", form_value(r, "start", "19:30"), NULL);
	form_input(r, "end", "结束时间", "time", form_value(r, "end", "21:00"), NULL);
	form_input(r, "place", "定地点", "text", form_value(r, "place", ""), NULL);
	const char *err = form_error_for(r, "content");
	html_printf(
		&r->out,
		"<div class=\"field%s\"><label for=\"f-content\">定内容</label><textarea id=\"f-content\" name=\"content\" rows=\"4\">%s</textarea>%s%s%s</div>",
		err ? " has-error" : "", form_value(r, "content", ""), err ? "<p class=\"field-error\">" : "", err ? err : "", err ? "</p>" : "");
	member_select(r, "host_member_id", "主持人", true);
	member_select(r, "recorder_member_id", "记录人", true);
	form_end(r, "安排会议");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

/* ---- one meeting ---- */

struct detail_ctx {
	req *r;
	const struct meeting *m;
	bool staff;
};

/* One small inline form: a button that posts one or two hidden fields. */
static void mini_form(req *r, const char *action, const char *k1, const char *v1, const char *k2, const char *v2, const char *label)
{
	html_printf(&r->out, "<form class=\"inline\" method=\"post\" action=\"%s\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">", action,
		    layout_csrf(r));
	html_printf(&r->out, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", k1, v1);
	if (k2)
		html_printf(&r->out, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", k2, v2);
	html_printf(&r->out, "<button class=\"btn btn-small\" type=\"submit\">%s</button></form>", label);
}

/* An attendee as one short line: name, status, and the secretary's button. */
static void attendee_row(void *ctx, const struct attendee *at)
{
	struct detail_ctx *c = ctx;
	req *r = c->r;
	char when[20] = "";
	if (at->signed_at)
		fmt_time(at->signed_at, when);
	const char *badge = !strcmp(at->status, "present") ? "badge-green" : !strcmp(at->status, "absent") ? "badge-red" : "";
	html_printf(&r->out, "<li><span class=\"who\">%s</span> <span class=\"badge %s\">%s</span> <span class=\"muted\">%s%s %s</span>", at->name, badge,
		    attendance_status_label(at->status), !strcmp(at->how, "qr") ? "扫码 " : "", when[0] ? when + 11 : "", at->leave_reason);
	if (c->staff && !strcmp(c->m->state, "planned")) {
		char action[96], mid[24];
		snprintf(mid, sizeof mid, "%lld", (long long)at->member_id);
		if (!strcmp(at->status, "leave_requested")) {
			snprintf(action, sizeof action, "/meetings/%lld/leave/%lld", (long long)c->m->id, (long long)at->member_id);
			mini_form(r, action, "approve", "1", NULL, NULL, "批准请假");
			mini_form(r, action, "approve", "0", NULL, NULL, "不批准");
		} else if (strcmp(at->status, "present") != 0) {
			snprintf(action, sizeof action, "/meetings/%lld/mark", (long long)c->m->id);
			mini_form(r, action, "member_id", mid, "status", "present", "出席");
		}
	}
	buf_puts(&r->out, "</li>");
}

static void decision_card(void *ctx, const struct decision *x)
{
	req *r = ctx;
	html_printf(&r->out, "<li><a href=\"/decisions/%lld\">%s</a> · 负责人 %s · 时限 %s · <span class=\"badge %s\">%s</span></li>", (long long)x->id,
		    x->matter, x->owner_name, x->deadline,
		    x->overdue                  ? "badge-red"
		    : !strcmp(x->state, "done") ? "badge-green"
						: "",
		    x->overdue                  ? "逾期"
		    : !strcmp(x->state, "done") ? "已办结"
						: "办理中");
}

static void guest_name(void *ctx, const char *name)
{
	req *r = ctx;
	html_printf(&r->out, "%s ", name);
}

static void textarea(req *r, const char *name, const char *label, int rows)
{
	html_printf(&r->out, "<div class=\"field\"><label for=\"f-%s\">%s</label><textarea id=\"f-%s\" name=\"%s\" rows=\"%d\"></textarea></div>", name,
		    label, name, name, rows);
}

struct photo_ctx {
	req *r;
	int64_t id;
	int n;
};

static void photo_img(void *ctx, int64_t photo_id)
{
	struct photo_ctx *c = ctx;
	html_printf(&c->r->out, "<a href=\"/meetings/%lld/photos/%lld\"><img src=\"/meetings/%lld/photos/%lld\" alt=\"会议照片\" loading=\"lazy\"></a>",
		    (long long)c->id, (long long)photo_id, (long long)c->id, (long long)photo_id);
	c->n++;
}

static void meeting_page(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct meeting m;
	if (!meeting_load(r->db, id, &m) || !meeting_visible(r->db, &r->actor, &m)) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "会议不存在"), &e);
		return;
	}
	bool manage = staff(r) && actor_covers(&r->actor, m.org_path);
	int64_t now = now_unix();
	char t0[20], t1[20];
	fmt_time(m.starts_at, t0);
	fmt_time(m.ends_at, t1);
	page_begin(r, m.theme);
	html_printf(&r->out,
		    "<section class=\"card meeting\"><p><span class=\"badge\">%s</span> <span class=\"badge %s\">%s</span></p>"
		    "<dl class=\"kv\"><dt>定主题</dt><dd>%s</dd><dt>定时间</dt><dd>%s 至 %s</dd><dt>定地点</dt><dd>%s</dd><dt>定内容</dt><dd>%s</dd>"
		    "<dt>组织</dt><dd>%s</dd><dt>主持人</dt><dd>%s</dd><dt>记录人</dt><dd>%s</dd>"
		    "<dt>考勤</dt><dd>应到 %lld · 出席 %lld · 请假 %lld · 缺席 %lld</dd>",
		    m.type_label,
		    !strcmp(m.state, "held")        ? "badge-green"
		    : !strcmp(m.state, "cancelled") ? "badge-grey"
						    : "badge-red",
		    meeting_state_label(m.state), m.theme, t0, t1 + 11, m.place, m.content, m.org_name, m.host_name[0] ? m.host_name : "—",
		    m.recorder_name[0] ? m.recorder_name : "—", (long long)m.invited, (long long)m.present, (long long)m.on_leave, (long long)m.absent);
	if (!strcmp(m.type, "red730") || m.youth || m.masses)
		html_printf(&r->out, "<dt>列席</dt><dd>进步青年 %lld 人 · 群众代表 %lld 人 ", (long long)m.youth, (long long)m.masses);
	if (!strcmp(m.type, "red730") || m.youth || m.masses) {
		meeting_each_guest(r->db, id, guest_name, r);
		buf_puts(&r->out, "</dd>");
	}
	if (!strcmp(m.state, "held"))
		html_printf(&r->out, "<dt>议题</dt><dd>%s</dd><dt>会议记录</dt><dd class=\"minutes\">%s</dd>", m.topics, m.minutes);
	if (!strcmp(m.state, "cancelled"))
		html_printf(&r->out, "<dt>取消原因</dt><dd>%s</dd>", m.cancel_reason);
	buf_puts(&r->out, "</dl>");
	int64_t me = meeting_actor_member(r->db, &r->actor);
	bool may_show = manage || (me && (me == m.host_member_id || me == m.recorder_member_id));
	if (!strcmp(m.state, "planned") && may_show)
		html_printf(&r->out, "<p><a class=\"btn btn-primary\" href=\"/checkin/meeting/%lld\">显示签到二维码</a></p>", (long long)id);
	/* the member's own invitation: ask for leave before the meeting */
	char mine[24];
	meeting_my_status(r->db, &r->actor, id, mine);
	if (mine[0]) {
		html_printf(&r->out, "<p>我的考勤：<strong>%s</strong></p>", attendance_status_label(mine));
		if (!strcmp(m.state, "planned") && now < m.starts_at && (!strcmp(mine, "invited") || !strcmp(mine, "leave_requested"))) {
			char action[64];
			snprintf(action, sizeof action, "/meetings/%lld/leave", (long long)id);
			form_begin(r, action);
			form_input(r, "reason", "请假原因", "text", "", NULL);
			form_end(r, "申请请假");
		}
	}
	buf_puts(&r->out, "</section>");

	struct detail_ctx c = {r, &m, manage};
	/* open while the meeting is on (the secretary marks by hand), folded afterwards */
	html_printf(&r->out, "<section class=\"card\"><details class=\"attendance\"%s><summary>参会党员（%lld人）</summary><ul class=\"attendees\">",
		    !strcmp(m.state, "planned") && manage && now >= m.starts_at - MEETING_SIGNIN_BEFORE ? " open" : "", (long long)m.invited);
	meeting_each_attendee(r->db, id, attendee_row, &c);
	buf_puts(&r->out, "</ul></details></section>");

	struct photo_ctx pc = {r, id, 0};
	buf_puts(&r->out, "<section class=\"card\"><h3>会议照片</h3><div class=\"photos\">");
	meeting_each_photo(r->db, id, photo_img, &pc);
	buf_puts(&r->out, "</div>");
	if (!pc.n)
		buf_puts(&r->out, "<p class=\"muted\">暂无照片</p>");
	if (manage && strcmp(m.state, "cancelled") != 0 && now >= m.starts_at && pc.n < MEETING_PHOTOS_MAX)
		html_printf(
			&r->out,
			"<form class=\"form\" method=\"post\" action=\"/meetings/%lld/photos\" enctype=\"multipart/form-data\" novalidate>"
			"<input type=\"hidden\" name=\"_csrf\" value=\"%s\"><div class=\"field\"><label for=\"f-photo\">上传照片</label>"
			"<input id=\"f-photo\" name=\"photo\" type=\"file\" accept=\"image/jpeg,image/png\"><p class=\"field-hint\">JPEG 或 PNG，不超过 2 MiB，"
			"每次会议最多 9 张</p></div><div class=\"form-actions\"><button class=\"btn\" type=\"submit\">上传</button></div></form>",
			(long long)id, layout_csrf(r));
	buf_puts(&r->out, "</section>");

	buf_puts(&r->out, "<section class=\"card\"><h3>议事决策</h3><ul class=\"decisions\">");
	struct decision_filter f = {.meeting_id = id};
	decision_list(r->db, &r->actor, &f, now, decision_card, r);
	buf_puts(&r->out, "</ul>");
	char action[96];
	if (manage && strcmp(m.state, "cancelled") != 0 && now >= m.starts_at) {
		/* open during the meeting, folded once it is held (decisions taken after it are the exception) */
		buf_puts(&r->out, !strcmp(m.state, "planned") ? "<details open>" : "<details>");
		buf_puts(&r->out, "<summary>记录决策（现场确定负责人和完成时限）</summary>");
		snprintf(action, sizeof action, "/meetings/%lld/decisions", (long long)id);
		form_begin(r, action);
		textarea(r, "matter", "决策事项", 2);
		member_select(r, "owner_member_id", "负责人", true);
		char today_s[11];
		meeting_date_of(now, today_s);
		form_input(r, "deadline", "完成时限", "date", "", NULL);
		buf_puts(&r->out, "<div class=\"field\"><label for=\"f-sup_members\">督导小组：党员（可多选）</label>"
				  "<select id=\"f-sup_members\" name=\"sup_members\" multiple size=\"4\">");
		member_options(r, NULL);
		buf_puts(&r->out, "</select></div>");
		form_input(r, "sup_reps", "督导小组：群众代表（姓名，用顿号或逗号分隔）", "text", "", NULL);
		form_input(r, "order_code", "来自群众点单（查询码，可选）", "text", "", NULL);
		form_end(r, "记录决策");
		buf_puts(&r->out, "</details>");
	}
	buf_puts(&r->out, "</section>");

	if (manage && !strcmp(m.state, "planned")) {
		if (now >= m.starts_at) {
			buf_puts(&r->out, "<section class=\"card\"><h3>登记召开（会议记录）</h3>");
			snprintf(action, sizeof action, "/meetings/%lld/hold", (long long)id);
			form_begin(r, action);
			form_input(r, "topics", "议题", "text", "", NULL);
			textarea(r, "minutes", "会议记录", 5);
			form_input(r, "youth", "进步青年（人数）", "number", "0", NULL);
			form_input(r, "masses", "群众代表（人数）", "number", "0", NULL);
			form_input(r, "reps", "群众代表姓名（可选，用顿号或逗号分隔）", "text", "", NULL);
			form_end(r, "登记为已召开");
			buf_puts(&r->out, "<p class=\"muted\">未签到且未获批请假的党员记为缺席。</p></section>");
		}
		buf_puts(&r->out, "<section class=\"card\"><h3>取消会议</h3>");
		snprintf(action, sizeof action, "/meetings/%lld/cancel", (long long)id);
		form_begin(r, action);
		form_input(r, "reason", "取消原因", "text", "", NULL);
		form_end_confirm(r, "取消会议", "确定取消这次会议吗？参会党员会收到通知。", NULL);
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
}

static void loc_of(req *r, char *loc, size_t n) { snprintf(loc, n, "/meetings/%lld", (long long)req_param_id(r, "id")); }

/* Names separated by 、，, or spaces, into v (pointers into s, which is changed). */
static size_t split_names(char *s, const char **v, size_t max)
{
	size_t n = 0;
	static const char *const seps[] = {"、", "，", ",", ";", "；", "\n"};
	for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++)
		for (char *p = strstr(s, seps[i]); p; p = strstr(p, seps[i]))
			memset(p, ' ', strlen(seps[i]));
	for (char *tok = strtok(s, " \t\r"); tok && n < max; tok = strtok(NULL, " \t\r"))
		v[n++] = tok;
	return n;
}

static void meeting_hold_post(req *r)
{
	char loc[64], reps[2048];
	loc_of(r, loc, sizeof loc);
	snprintf(reps, sizeof reps, "%s", req_form(r, "reps") ? req_form(r, "reps") : "");
	const char *names[201];
	size_t n = split_names(reps, names, 200);
	names[n] = NULL;
	struct meeting_held h = {req_form(r, "minutes"), req_form(r, "topics"), 0, 0, names};
	const char *y = req_form(r, "youth"), *ms = req_form(r, "masses");
	h.youth = y && *y ? strtoll(y, NULL, 10) : 0;
	h.masses = ms && *ms ? strtoll(ms, NULL, 10) : 0;
	struct field_errors e = {0};
	done_or_back(r, meeting_hold(r->db, &r->actor, req_param_id(r, "id"), &h, now_unix(), &e), &e, "会议已登记为召开", loc);
}

static void meeting_photo_post(req *r)
{
	char loc[64];
	loc_of(r, loc, sizeof loc);
	const kv *f = req_form_kv(r, "photo");
	struct field_errors e = {0};
	done_or_back(r, meeting_photo_add(r->db, &r->actor, req_param_id(r, "id"), f ? f->val : "", f ? f->len : 0, now_unix(), NULL, &e), &e,
		     "照片已上传", loc);
}

static void meeting_photo_page(req *r)
{
	unsigned char *bytes;
	size_t len;
	char type[16] = "";
	struct field_errors e = {0};
	enum dj_result res = meeting_photo_get(r->db, &r->actor, req_param_id(r, "id"), req_param_id(r, "photo"), &bytes, &len, type, &e);
	if (res != DJ_OK) {
		free(bytes);
		req_fail(r, res, &e);
		return;
	}
	r->status = 200;
	r->content_type = !strcmp(type, "image/png") ? "image/png" : "image/jpeg";
	req_set_header(r, "Cache-Control", "private, max-age=86400");
	buf_append(&r->out, bytes, len);
	free(bytes);
}

static void meeting_cancel_post(req *r)
{
	char loc[64];
	loc_of(r, loc, sizeof loc);
	struct field_errors e = {0};
	done_or_back(r, meeting_cancel(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "reason"), now_unix(), &e), &e, "会议已取消", loc);
}

static void meeting_mark_post(req *r)
{
	char loc[64];
	loc_of(r, loc, sizeof loc);
	struct field_errors e = {0};
	done_or_back(r,
		     meeting_mark(r->db, &r->actor, req_param_id(r, "id"), parse_id(req_form(r, "member_id")), req_form(r, "status"),
				  req_form(r, "reason"), now_unix(), &e),
		     &e, "考勤已登记", loc);
}

static void meeting_leave_post(req *r)
{
	char loc[64];
	loc_of(r, loc, sizeof loc);
	struct field_errors e = {0};
	done_or_back(r, meeting_leave_request(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "reason"), now_unix(), &e), &e, "请假申请已提交", loc);
}

static void meeting_leave_decide_post(req *r)
{
	char loc[64];
	loc_of(r, loc, sizeof loc);
	const char *ap = req_form(r, "approve");
	struct field_errors e = {0};
	done_or_back(r,
		     meeting_leave_decide(r->db, &r->actor, req_param_id(r, "id"), req_param_id(r, "member_id"), ap && !strcmp(ap, "1"), now_unix(), &e),
		     &e, "已审批", loc);
}

static void meeting_decision_post(req *r)
{
	char loc[64];
	loc_of(r, loc, sizeof loc);
	struct decision_supervisor sv[20];
	size_t k = 0;
	for (size_t i = 0; i < r->form.n && k < 20; i++)
		if (!strcmp(r->form.v[i].key, "sup_members") && parse_id(r->form.v[i].val))
			sv[k++] = (struct decision_supervisor){"member", parse_id(r->form.v[i].val), ""};
	char reps[2048];
	snprintf(reps, sizeof reps, "%s", req_form(r, "sup_reps") ? req_form(r, "sup_reps") : "");
	const char *names[20];
	size_t n = split_names(reps, names, 20);
	for (size_t i = 0; i < n && k < 20; i++)
		sv[k++] = (struct decision_supervisor){"rep", 0, names[i]};
	struct decision_new d = {req_form(r, "matter"),    req_form(r, "deadline"), parse_id(req_form(r, "owner_member_id")), sv, k,
				 req_form(r, "order_code")};
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = decision_create(r->db, &r->actor, req_param_id(r, "id"), &d, now_unix(), &id, &e);
	if (res == DJ_OK)
		snprintf(loc, sizeof loc, "/decisions/%lld", (long long)id);
	done_or_back(r, res, &e, "决策已记录，负责人已收到通知", loc);
}

/* ---- decisions ---- */

static void decision_row_html(void *ctx, const struct decision *x)
{
	req *r = ctx;
	html_printf(&r->out,
		    "<tr><td data-label=\"事项\"><a href=\"/decisions/%lld\">%s</a></td><td data-label=\"负责人\">%s</td><td data-label=\"时限\">%s</td>"
		    "<td data-label=\"状态\"><span class=\"badge %s\">%s</span></td><td data-label=\"公开\">%s</td><td data-label=\"组织\">%s</td></tr>",
		    (long long)x->id, x->matter, x->owner_name, x->deadline,
		    x->overdue                  ? "badge-red"
		    : !strcmp(x->state, "done") ? "badge-green"
						: "",
		    x->overdue                  ? "逾期"
		    : !strcmp(x->state, "done") ? "已办结"
						: "办理中",
		    x->result_pub_date[0] ? "结果已公开"
		    : x->pub_date[0]      ? "决议已公开"
					  : "未公开",
		    x->org_name);
}

static void decisions_page(req *r)
{
	const char *o = req_query(r, "overdue"), *mine = req_query(r, "mine");
	struct decision_filter f = {.overdue_only = o && !strcmp(o, "1"), .mine = mine && !strcmp(mine, "1")};
	page_begin(r, "议事决策");
	buf_puts(
		&r->out,
		"<section><h2>议事决策</h2><p class=\"actions\"><a class=\"btn btn-small\" href=\"/decisions\">全部</a> "
		"<a class=\"btn btn-small\" href=\"/decisions?mine=1\">我负责的</a> <a class=\"btn btn-small\" href=\"/decisions?overdue=1\">逾期</a></p>"
		"<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>事项</th><th>负责人</th><th>完成时限</th><th>状态</th><th>公开</th><th>组织</th>"
		"</tr></thead><tbody>");
	decision_list(r->db, &r->actor, &f, now_unix(), decision_row_html, r);
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

static void sup_html(void *ctx, const struct decision_supervisor *s)
{
	req *r = ctx;
	html_printf(&r->out, "%s%s ", s->name, !strcmp(s->kind, "rep") ? "（群众代表）" : "（党员）");
}

static void note_html(void *ctx, const struct decision_note *n)
{
	req *r = ctx;
	html_printf(&r->out, "<li><strong>%s</strong> %s</li>", n->date, n->note);
}

static void decision_page(req *r)
{
	int64_t id = req_param_id(r, "id"), now = now_unix();
	struct decision x;
	if (!decision_load(r->db, id, now, &x) || !decision_visible(r->db, &r->actor, &x)) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "决策事项不存在"), &e);
		return;
	}
	char mdate[11];
	meeting_date_of(x.meeting_at, mdate);
	page_begin(r, "决策事项");
	html_printf(&r->out,
		    "<section class=\"card decision\"><h2>%s</h2><p><span class=\"badge %s\">%s</span></p><dl class=\"kv\"><dt>会议</dt><dd><a "
		    "href=\"/meetings/%lld\">%s</a> %s</dd><dt>负责人</dt><dd>%s</dd><dt>完成时限</dt><dd>%s</dd><dt>督导小组</dt><dd>",
		    x.matter,
		    x.overdue                  ? "badge-red"
		    : !strcmp(x.state, "done") ? "badge-green"
					       : "",
		    x.overdue                  ? "逾期"
		    : !strcmp(x.state, "done") ? "已办结"
					       : "办理中",
		    (long long)x.meeting_id, x.meeting_theme, mdate, x.owner_name, x.deadline);
	decision_each_supervisor(r->db, id, sup_html, r);
	buf_puts(&r->out, "</dd>");
	if (x.order_id)
		html_printf(&r->out, "<dt>来自点单</dt><dd><a href=\"/orders/%lld\">%s</a>（办结时随结果送单，群众确认后销单）</dd>",
			    (long long)x.order_id, x.order_code);
	if (!strcmp(x.state, "done"))
		html_printf(&r->out, "<dt>办理结果</dt><dd>%s（%s 办结%s）</dd>", x.result, x.done_date,
			    strcmp(x.done_date, x.deadline) <= 0 ? "，按期" : "，逾期");
	/* 决议公开 and 实施结果公开: what the village's public page shows */
	if (x.pub_date[0])
		html_printf(&r->out, "<dt>决议公开</dt><dd>%s：%s</dd>", x.pub_date, x.pub_text);
	else
		buf_puts(&r->out, "<dt>决议公开</dt><dd class=\"muted\">未公开（村公开页不显示）</dd>");
	if (x.result_pub_date[0])
		html_printf(&r->out, "<dt>实施结果公开</dt><dd>%s：%s</dd>", x.result_pub_date, x.result_pub_text);
	buf_puts(&r->out, "</dl><h3>进展</h3><ul class=\"progress-notes\">");
	decision_each_progress(r->db, id, note_html, r);
	buf_puts(&r->out, "</ul>");
	if (staff(r) && actor_covers(&r->actor, x.org_path)) {
		char action[64], today_s[11];
		meeting_date_of(now, today_s);
		if (!x.pub_date[0]) {
			snprintf(action, sizeof action, "/decisions/%lld/publish", (long long)id);
			buf_puts(&r->out, "<h3>决议公开</h3><p class=\"muted\">公开到本村的公开页：只写事项本身，不写个人信息。</p>");
			form_begin(r, action);
			html_printf(&r->out,
				    "<div class=\"field\"><label for=\"f-pub-text\">公开内容</label><textarea id=\"f-pub-text\" name=\"text\" "
				    "rows=\"3\">%s</textarea></div>",
				    x.matter);
			form_input(r, "date", "公开日期", "date", today_s, NULL);
			form_end(r, "决议公开");
		} else if (!x.result_pub_date[0] && !strcmp(x.state, "done")) {
			snprintf(action, sizeof action, "/decisions/%lld/publish-result", (long long)id);
			buf_puts(&r->out, "<h3>实施结果公开</h3>");
			form_begin(r, action);
			html_printf(&r->out,
				    "<div class=\"field\"><label for=\"f-pub-text\">公开内容</label><textarea id=\"f-pub-text\" name=\"text\" "
				    "rows=\"3\">%s</textarea></div>",
				    x.result);
			form_input(r, "date", "公开日期", "date", today_s, NULL);
			form_end(r, "实施结果公开");
		}
	}
	int64_t me = meeting_actor_member(r->db, &r->actor);
	bool may = !strcmp(x.state, "open") && ((me && me == x.owner_member_id) || (staff(r) && actor_covers(&r->actor, x.org_path)));
	if (may) {
		char action[64];
		snprintf(action, sizeof action, "/decisions/%lld/progress", (long long)id);
		form_begin(r, action);
		form_input(r, "note", "登记进展", "text", "", NULL);
		form_end(r, "登记进展");
		snprintf(action, sizeof action, "/decisions/%lld/done", (long long)id);
		form_begin(r, action);
		form_input(r, "result", "办理结果", "text", "", NULL);
		form_end(r, "标记办结");
	}
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void decision_progress_post(req *r)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/decisions/%lld", (long long)req_param_id(r, "id"));
	struct field_errors e = {0};
	done_or_back(r, decision_progress(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "note"), now_unix(), &e), &e, "进展已登记", loc);
}

static void decision_publish_post(req *r)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/decisions/%lld", (long long)req_param_id(r, "id"));
	struct field_errors e = {0};
	done_or_back(r, decision_publish(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "text"), req_form(r, "date"), now_unix(), &e), &e,
		     "决议已公开，本村公开页可见", loc);
}

static void decision_publish_result_post(req *r)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/decisions/%lld", (long long)req_param_id(r, "id"));
	struct field_errors e = {0};
	done_or_back(r, decision_publish_result(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "text"), req_form(r, "date"), now_unix(), &e), &e,
		     "实施结果已公开", loc);
}

static void decision_done_post(req *r)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/decisions/%lld", (long long)req_param_id(r, "id"));
	struct field_errors e = {0};
	done_or_back(r, decision_done(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "result"), now_unix(), &e), &e, "已标记办结", loc);
}

/* ---- 四议两公开 ---- */

static void matter_row_html(void *ctx, const struct matter *m)
{
	req *r = ctx;
	html_printf(&r->out,
		    "<tr><td data-label=\"事项\"><a href=\"/matters/%lld\">%s</a></td><td data-label=\"组织\">%s</td><td data-label=\"进度\">%s</td>"
		    "<td data-label=\"状态\"><span class=\"badge %s\">%s</span></td></tr>",
		    (long long)m->id, m->title, m->org_name, m->next < matter_steps_count ? matter_steps[m->next].label : "全部完成",
		    !strcmp(m->state, "stopped") ? "badge-red"
		    : !strcmp(m->state, "done")  ? "badge-green"
						 : "",
		    matter_state_label(m->state));
}

static void matters_page(req *r)
{
	if (req_is_post(r)) {
		struct field_errors e = {0};
		int64_t id = 0;
		enum dj_result res = matter_create(r->db, &r->actor, parse_id(req_form(r, "org")), req_form(r, "title"), req_form(r, "description"),
						   now_unix(), &id, &e);
		char loc[64];
		snprintf(loc, sizeof loc, res == DJ_OK ? "/matters/%lld" : "/matters", (long long)id);
		done_or_back(r, res, &e, "事项已登记，请按顺序记录四议两公开各步骤", loc);
		return;
	}
	page_begin(r, "四议两公开");
	buf_puts(&r->out, "<section><h2>四议两公开</h2><p class=\"muted\">党支部会提议 → 村两委会商议 → 党员大会审议 → 村民代表会议决议 → 决议公开 → "
			  "实施结果公开</p><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>事项</th><th>组织</th><th>下一步</th>"
			  "<th>状态</th></tr></thead><tbody>");
	matter_list(r->db, &r->actor, 0, matter_row_html, r);
	buf_puts(&r->out, "</tbody></table></div></section><section class=\"card\"><h3>登记重大事项</h3>");
	form_begin(r, "/matters");
	char org_sel[24];
	snprintf(org_sel, sizeof org_sel, "%lld", (long long)r->actor.org_id);
	orgs_form_select(r, "org", "村（社区）党支部", org_sel);
	form_input(r, "title", "事项名称", "text", "", NULL);
	textarea(r, "description", "事项说明", 3);
	form_end(r, "登记");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void step_html(void *ctx, const struct matter_step_row *s)
{
	req *r = ctx;
	html_printf(&r->out, "<tr><td data-label=\"步骤\">%s</td><td data-label=\"日期\">%s</td><td data-label=\"记录\">%s", matter_steps[s->seq].label,
		    s->date, s->record);
	if (matter_steps[s->seq].quorum != QUORUM_NONE)
		html_printf(&r->out, "（应到 %lld，实到 %lld，赞成 %lld）", (long long)s->total, (long long)s->present, (long long)s->favour);
	if (s->decision_id)
		html_printf(&r->out, " <a href=\"/decisions/%lld\">（决策事项的公开）</a>", (long long)s->decision_id);
	html_printf(&r->out, "</td><td data-label=\"结果\"><span class=\"badge %s\">%s</span></td></tr>", s->passed ? "badge-green" : "badge-red",
		    s->passed ? "通过" : "未通过");
}

static void matter_page(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct matter m;
	if (!matter_load(r->db, id, &m) || !matter_visible(&r->actor, &m)) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "事项不存在"), &e);
		return;
	}
	page_begin(r, m.title);
	html_printf(&r->out, "<section class=\"card\"><p>%s · <span class=\"badge\">%s</span>（党员 %lld 人）</p><p>%s</p>", m.org_name,
		    matter_state_label(m.state), (long long)m.members, m.description);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>步骤</th><th>日期</th><th>记录</th><th>结果</th></tr>"
			  "</thead><tbody>");
	matter_each_step(r->db, id, step_html, r);
	buf_puts(&r->out, "</tbody></table></div>");
	if (strcmp(m.state, "done") != 0 && staff(r) && actor_covers(&r->actor, m.org_path)) {
		const struct matter_step *st = &matter_steps[m.next];
		char action[64], today_s[11];
		meeting_date_of(now_unix(), today_s);
		snprintf(action, sizeof action, "/matters/%lld/step", (long long)id);
		html_printf(&r->out, "<h3>下一步：%s%s</h3>", st->label, !strcmp(m.state, "stopped") ? "（重新提议）" : "");
		form_begin(r, action);
		html_printf(&r->out, "<input type=\"hidden\" name=\"step\" value=\"%s\">", st->key);
		form_input(r, "date", "日期", "date", today_s, NULL);
		textarea(r, "record", "记录", 3);
		if (st->quorum == QUORUM_REPRESENTATIVES)
			form_input(r, "total", "村民代表总人数", "number", "", NULL);
		if (st->quorum != QUORUM_NONE) {
			form_input(r, "present", "出席人数", "number", "", NULL);
			form_input(r, "favour", "赞成票数", "number", "", NULL);
		}
		if (!strcmp(st->key, "publish_resolution") || !strcmp(st->key, "publish_result"))
			form_input(r, "decision_id", "关联决策事项编号（可选：即该决策的公开，日期和记录留空则沿用）", "number", "", NULL);
		form_end(r, "记录");
	}
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void matter_step_post(req *r)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/matters/%lld", (long long)req_param_id(r, "id"));
	const char *t = req_form(r, "total"), *p = req_form(r, "present"), *f = req_form(r, "favour");
	struct matter_step_input in = {req_form(r, "step"),
				       req_form(r, "date"),
				       req_form(r, "record"),
				       t && *t ? strtoll(t, NULL, 10) : -1,
				       p && *p ? strtoll(p, NULL, 10) : -1,
				       f && *f ? strtoll(f, NULL, 10) : -1,
				       parse_id(req_form(r, "decision_id"))};
	struct field_errors e = {0};
	bool passed = false;
	enum dj_result res = matter_step_record(r->db, &r->actor, req_param_id(r, "id"), &in, now_unix(), &passed, &e);
	done_or_back(r, res, &e, passed ? "已记录" : "已记录：未达到法定人数或赞成票未过半，事项中止，可重新提议", loc);
}

/* ---- monthly plans ---- */

static void plan_li(void *ctx, const struct meeting_monthly_plan *p)
{
	req *r = ctx;
	char label[64];
	html_printf(&r->out, "<li><strong>%s %s</strong>：%s <span class=\"muted\">%s</span></li>", p->month, meeting_type_name(r->db, p->type, label),
		    p->theme, p->content);
}

static void plans_page(req *r)
{
	if (req_is_post(r)) {
		struct field_errors e = {0};
		enum dj_result res = meeting_plan_publish(r->db, &r->actor, r->actor.org_id, req_form(r, "month"), req_form(r, "type"),
							  req_form(r, "theme"), req_form(r, "content"), now_unix(), NULL, &e);
		done_or_back(r, res, &e, "月度计划已发布，各支部书记已收到通知", "/meetings/plans");
		return;
	}
	page_begin(r, "月度计划");
	buf_puts(&r->out, "<section class=\"card\"><h2>月度会议计划</h2><ul>");
	meeting_plans_each(r->db, r->actor.org_id, NULL, plan_li, r);
	buf_puts(&r->out, "</ul><h3>发布计划</h3><p class=\"muted\">各村的红色七点半可沿用本计划的主题和内容，并结合村情调整。</p>");
	form_begin(r, "/meetings/plans");
	char today_s[11], month[8];
	meeting_date_of(now_unix(), today_s);
	snprintf(month, sizeof month, "%.7s", today_s);
	form_input(r, "month", "月份", "month", month, NULL);
	/* the active types only: a retired one is planned no more */
	struct meeting_type tv[MEETING_TYPES_MAX];
	int nt = meeting_types_load(r->db, true, tv, MEETING_TYPES_MAX);
	const char *types[2 * MEETING_TYPES_MAX + 1];
	size_t k = 0;
	for (int i = 0; i < nt; i++) {
		types[k++] = tv[i].key;
		types[k++] = tv[i].label;
	}
	types[k] = NULL;
	form_select(r, "type", "会议类型", types, "red730");
	form_input(r, "theme", "主题", "text", "", NULL);
	textarea(r, "content", "内容", 4);
	form_end(r, "发布");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

/* ---- report ---- */

struct report_html {
	buf *out; /* the rows, written before the sentence that sums them up is */
	struct meeting_report_row total;
	const struct meeting_type *types; /* the columns: meeting_types_load(d, false, …), as the report counts them */
	int ntypes;
};

static void report_row_html(void *ctx, const struct meeting_report_row *row, bool total)
{
	struct report_html *c = ctx;
	buf_puts(c->out, total ? "<tr class=\"total\">" : "<tr>");
	html_printf(c->out, "<td data-label=\"组织\">%s%s</td>", row->org_name, total ? " 合计" : "");
	for (int k = 0; k < c->ntypes; k++)
		html_printf(c->out, "<td data-label=\"%s\">%lld</td>", c->types[k].label, (long long)row->held[k]);
	html_printf(
		c->out,
		"<td data-label=\"召开合计\">%lld</td><td data-label=\"党员人次\">%lld</td><td data-label=\"群众人次\">%lld</td><td data-label=\"决策\">%lld</td>"
		"<td data-label=\"已办结\">%lld</td><td data-label=\"按期\">%lld</td><td data-label=\"逾期\">%lld</td></tr>",
		(long long)row->held_total, (long long)row->member_times, (long long)row->guest_times, (long long)row->decisions, (long long)row->done,
		(long long)row->done_on_time, (long long)row->overdue);
	if (total)
		c->total = *row;
}

static void compliance_html(void *ctx, const struct compliance_row *row)
{
	req *r = ctx;
	buf_puts(&r->out, row->missed ? "<tr class=\"missed\">" : "<tr>");
	html_printf(&r->out, "<td data-label=\"党支部\">%s</td>", row->org_name);
	for (int k = 0; k < row->ncells; k++) {
		const struct compliance_cell *c = &row->cells[k];
		const char *st = c->status;
		html_printf(&r->out, "<td data-label=\"%s\">", c->label);
		if (!strcmp(st, "missed"))
			buf_puts(&r->out, "<span class=\"badge badge-red\">缺</span>");
		else if (!strcmp(st, "exempt"))
			buf_puts(&r->out, "<span class=\"badge badge-grey\">不适用</span>");
		else if (!strcmp(st, "pending"))
			buf_puts(&r->out, "<span class=\"badge\">待开</span>");
		else
			html_printf(&r->out, "<span class=\"badge badge-green\">%lld次</span>", (long long)c->held);
		buf_puts(&r->out, "</td>");
	}
	buf_puts(&r->out, row->missed ? "<td data-label=\"缺会\"><strong>是</strong></td></tr>" : "<td data-label=\"缺会\">否</td></tr>");
}

static void report_page(req *r)
{
	char today_s[11], first[11];
	int64_t now = now_unix();
	meeting_date_of(now, today_s);
	snprintf(first, sizeof first, "%.8s01", today_s);
	const char *from = req_query(r, "from"), *to = req_query(r, "to"), *org = req_query(r, "org");
	from = from && *from ? from : first;
	to = to && *to ? to : today_s;
	struct org_ref o;
	if (!orgs_from_request(r, org, &perm_meeting_manage, &o))
		return;
	char month[8];
	snprintf(month, sizeof month, "%.7s", to);
	page_begin(r, "会议统计");
	html_printf(
		&r->out,
		"<section><h2>会议统计 · %s</h2><form class=\"filters\" method=\"get\" action=\"/meetings/report\"><input type=\"hidden\" name=\"org\" "
		"value=\"%s\"><label>起 <input type=\"date\" name=\"from\" value=\"%s\"></label> <label>止 <input type=\"date\" name=\"to\" "
		"value=\"%s\"></label> <button class=\"btn btn-small\">统计</button> <a class=\"btn btn-small\" "
		"href=\"/meetings/report.xlsx?org=%s&amp;from=%s&amp;to=%s\">导出 Excel</a></form>",
		o.name, o.code, from, to, o.code, from, to);
	buf rows = {0};
	struct meeting_type types[MEETING_TYPES_MAX];
	int nt = meeting_types_load(r->db, false, types, MEETING_TYPES_MAX);
	struct report_html c = {&rows, {0}, types, nt};
	struct field_errors e = {0};
	enum dj_result res = meeting_report(r->db, &r->actor, o.id, from, to, now, report_row_html, &c, &e);
	if (res != DJ_OK)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", dj_message(res, &e));
	else
		html_printf(&r->out, "<p class=\"lead summary\">%s 至 %s，共召开会议%lld次，解决难题、急事%lld件（决策办结），逾期未办结%lld件。</p>",
			    from, to, (long long)c.total.held_total, (long long)c.total.done, (long long)c.total.overdue);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards report\"><thead><tr><th>组织</th>");
	for (int k = 0; k < nt; k++)
		html_printf(&r->out, "<th>%s</th>", types[k].label);
	buf_puts(&r->out, "<th>召开合计</th><th>党员参会人次</th><th>群众参会人次</th><th>决策事项</th><th>已办结</th><th>按期办结</th><th>逾期未办结</th>"
			  "</tr></thead><tbody>");
	buf_puts(&r->out, buf_str(&rows));
	buf_free(&rows);
	buf_puts(&r->out, "</tbody></table></div>");
	html_printf(&r->out, "<h3>三会一课落实情况 · %s</h3><div class=\"table-wrap\"><table class=\"table cards compliance\"><thead><tr><th>党支部</th>",
		    month);
	struct meeting_requirement req_[MEETING_TYPES_MAX];
	int n = meeting_requirements(r->db, req_, MEETING_TYPES_MAX);
	char label[64];
	for (int k = 0; k < n; k++)
		html_printf(&r->out, "<th>%s（%s）</th>", meeting_type_name(r->db, req_[k].type, label), req_[k].months == 1 ? "每月" : "每季度");
	buf_puts(&r->out, "<th>缺会</th></tr></thead><tbody>");
	struct field_errors e2 = {0};
	if (res == DJ_OK)
		meeting_compliance(r->db, &r->actor, o.id, month, now, compliance_html, r, &e2);
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

struct export_ctx {
	int64_t org_id;
	const char *from, *to;
	req *r;
};

static enum dj_result write_report(const char *path, void *ctx, struct field_errors *e)
{
	struct export_ctx *x = ctx;
	return meeting_report_export(x->r->db, &x->r->actor, x->org_id, x->from, x->to, now_unix(), path, e);
}

static void report_xlsx(req *r)
{
	struct org_ref o;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_meeting_manage, &o))
		return;
	struct export_ctx x = {o.id, req_query(r, "from"), req_query(r, "to"), r};
	char name[300];
	snprintf(name, sizeof name, "%s-会议统计-%s至%s.xlsx", o.name, x.from ? x.from : "", x.to ? x.to : "");
	req_send_download(r, write_report, &x, XLSX_TYPE, "meetings-report.xlsx", name);
}

/* ---- meeting types (the committee keeps them) ---- */

/* "1" / "0" → 1 / 0, absent → -1, anything else → 2 (refused by the domain, the field named) */
static int flag_of(const char *v) { return !v || !*v ? -1 : !strcmp(v, "1") ? 1 : !strcmp(v, "0") ? 0 : 2; }

static const char *const yes_no[] = {"1", "是", "0", "否", NULL};

static void types_page(req *r)
{
	if (req_is_post(r)) {
		struct meeting_type_input in = {req_form(r, "label"), req_form(r, "invite"), flag_of(req_form(r, "sanhui")),
						flag_of(req_form(r, "minutes")), -1};
		struct field_errors e = {0};
		char key[16] = "";
		enum dj_result res = meeting_type_add(r->db, &r->actor, &in, now_unix(), key, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "会议类型已新增，可用于安排会议");
			req_redirect(r, "/meetings/types");
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
		r->status = 422;
	}
	page_begin(r, "会议类型");
	buf_puts(&r->out,
		 "<section class=\"meeting-types\"><h2>会议类型</h2><p class=\"muted\">三会一课的频次按类型计算；已使用的类型只能停用（不再用于新会议，"
		 "历史会议和统计保留），不能删除。</p><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>名称</th><th>参会人员</th>"
		 "<th>三会一课</th><th>会议记录</th><th>状态</th><th>操作</th></tr></thead><tbody>");
	struct meeting_type types[MEETING_TYPES_MAX];
	int nt = meeting_types_load(r->db, false, types, MEETING_TYPES_MAX);
	for (int k = 0; k < nt; k++) {
		const struct meeting_type *t = &types[k];
		char action[64], used[32];
		snprintf(used, sizeof used, "已用%lld次", (long long)t->in_use);
		html_printf(
			&r->out,
			"<tr><td data-label=\"名称\"><strong>%s</strong></td><td data-label=\"参会人员\">%s</td><td data-label=\"三会一课\">%s</td>"
			"<td data-label=\"会议记录\">%s</td><td data-label=\"状态\"><span class=\"badge %s\">%s</span> <span class=\"muted\">%s</span></td>"
			"<td data-label=\"操作\">",
			t->label, meeting_invite_label(t->invite), t->sanhui ? "计入" : "不计入", t->minutes ? "需要" : "不需要",
			t->active ? "badge-green" : "badge-grey", t->active ? "启用" : "已停用", used);
		snprintf(action, sizeof action, "/meetings/types/%.15s", t->key);
		html_printf(
			&r->out,
			"<form class=\"inline type-rename\" method=\"post\" action=\"%s\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			"<input name=\"label\" value=\"%s\" aria-label=\"新名称\" maxlength=\"20\"><button class=\"btn btn-small\" type=\"submit\">改名</button>"
			"</form> ",
			action, layout_csrf(r), t->label);
		mini_form(r, action, "active", t->active ? "0" : "1", NULL, NULL, t->active ? "停用" : "启用");
		if (!t->in_use && t->key[0] == 't' && t->key[1] >= '0' && t->key[1] <= '9') { /* the committee's own (t<pos>), never used */
			snprintf(action, sizeof action, "/meetings/types/%.15s/delete", t->key);
			mini_form(r, action, "key", t->key, NULL, NULL, "删除");
		}
		buf_puts(&r->out, "</td></tr>");
	}
	buf_puts(&r->out, "</tbody></table></div><h3>新增会议类型</h3>");
	form_begin(r, "/meetings/types");
	form_input(r, "label", "名称", "text", form_value(r, "label", ""), NULL);
	const char *invites[2 * 3 + 1];
	size_t n = 0;
	for (int i = 0; meeting_invites[i]; i++) {
		invites[n++] = meeting_invites[i];
		invites[n++] = meeting_invite_label(meeting_invites[i]);
	}
	invites[n] = NULL;
	form_select(r, "invite", "参会人员", invites, form_value(r, "invite", "branch"));
	form_select(r, "sanhui", "计入三会一课", yes_no, form_value(r, "sanhui", "0"));
	form_select(r, "minutes", "需要会议记录", yes_no, form_value(r, "minutes", "1"));
	form_end(r, "新增");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void type_set_post(req *r)
{
	const char *key = req_param(r, "key"), *label = req_form(r, "label"), *invite = req_form(r, "invite");
	struct meeting_type_input in = {label && *label ? label : NULL, invite && *invite ? invite : NULL, flag_of(req_form(r, "sanhui")),
					flag_of(req_form(r, "minutes")), flag_of(req_form(r, "active"))};
	if (label && !*label)
		in.label = ""; /* posted empty: refused, the field named */
	struct field_errors e = {0};
	done_or_back(r, meeting_type_set(r->db, &r->actor, key, &in, &e), &e, "会议类型已更新", "/meetings/types");
}

static void type_delete_post(req *r)
{
	struct field_errors e = {0};
	done_or_back(r, meeting_type_delete(r->db, &r->actor, req_param(r, "key"), &e), &e, "会议类型已删除", "/meetings/types");
}

/* ---- the public page of a village's decisions (决议公开, 实施结果公开) ---- */

static void pub_decision(void *ctx, const struct decision *x)
{
	req *r = ctx;
	/* only what the secretary published: the wording, the dates; no owner, no supervisors, no progress notes */
	bool result = x->result_pub_date[0] != 0;
	/* past the published deadline without a published result: said as such (not "overdue": it may be done, not yet published) */
	bool late = !result && decision_is_overdue("open", x->deadline, now_unix());
	html_printf(&r->out, "<article class=\"card pub-decision\"><h3>%s</h3><p><span class=\"badge %s\">%s</span> 决议公开于 %s · 完成时限 %s</p>",
		    x->pub_text,
		    result ? "badge-green"
		    : late ? "badge-grey"
			   : "",
		    result ? "已实施"
		    : late ? "已过完成时限，待公开结果"
			   : "实施中",
		    x->pub_date, x->deadline);
	if (result)
		html_printf(&r->out, "<p>实施结果（%s 公开）：%s</p>", x->result_pub_date, x->result_pub_text);
	buf_puts(&r->out, "</article>");
}

static void pub_step(void *ctx, const struct matter_step_row *s)
{
	req *r = ctx;
	if (s->seq >= 4)
		html_printf(&r->out, "<li>%s（%s）：%s</li>", matter_steps[s->seq].label, s->date, s->record);
	else
		html_printf(&r->out, "<li>%s（%s）%s</li>", matter_steps[s->seq].label, s->date, s->passed ? "通过" : "未通过");
}

struct pub_ctx {
	req *r;
	int n;
};

static void pub_matter(void *ctx, const struct matter *m)
{
	struct pub_ctx *c = ctx;
	c->n++;
	html_printf(&c->r->out, "<article class=\"card\"><h3>%s</h3><ul>", m->title);
	matter_each_step(c->r->db, m->id, pub_step, c->r);
	buf_puts(&c->r->out, "</ul></article>");
}

static void pub_decision_counted(void *ctx, const struct decision *x)
{
	struct pub_ctx *c = ctx;
	c->n++;
	pub_decision(c->r, x);
}

static void public_page(req *r)
{
	int64_t org = orgs_id_by_code(r->db, req_param(r, "org"));
	struct org g;
	if (!org || !org_load(r->db, org, &g) || strcmp(g.type, "branch") != 0) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "页面不存在"), &e);
		return;
	}
	char title[200];
	snprintf(title, sizeof title, "%s · 决议公开", g.name);
	page_begin(r, title);
	buf_puts(&r->out, "<section class=\"public-decisions\"><p class=\"muted\">红色七点半等会议作出、经党支部公开的决议及其实施结果。</p>");
	struct decision_filter f = {.org_id = org, .limit = 100};
	struct pub_ctx c = {r, 0};
	decision_list(r->db, NULL, &f, now_unix(), pub_decision_counted, &c);
	if (!c.n)
		buf_puts(&r->out, "<p class=\"empty\">暂无公开的决策事项。</p>");
	buf_puts(&r->out, "<h2>四议两公开</h2>");
	c.n = 0;
	matter_list(r->db, NULL, org, pub_matter, &c);
	if (!c.n)
		buf_puts(&r->out, "<p class=\"empty\">暂无已公开的重大事项。</p>");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

/* ---- the module record (module.h) ---- */

static const route meetings_routes[] = {
	{"GET", "/meetings", meetings_page, R_STAFF | R_MEMBER | R_GRID, 0, 0, "meetings"},
	{"GET", "/meetings/new", meeting_new_page, R_STAFF, 0, 0, "meeting_new"},
	{"POST", "/meetings/new", meeting_new_page, R_STAFF, 0, 16 * KiB, "meeting_new"},
	{"GET", "/meetings/plans", plans_page, R_ADMIN | R_COMMITTEE, 0, 0, "meeting_plans"},
	{"POST", "/meetings/plans", plans_page, R_ADMIN | R_COMMITTEE, 0, 16 * KiB, "meeting_plans"},
	{"GET", "/meetings/report", report_page, R_STAFF, 0, 0, "meetings_report"},
	{"GET", "/meetings/report.xlsx", report_xlsx, R_STAFF, RF_WRITE, 0, "meetings_report_export"},
	{"GET", "/meetings/:id", meeting_page, R_STAFF | R_MEMBER | R_GRID, 0, 0, "meeting"},
	{"POST", "/meetings/:id/hold", meeting_hold_post, R_STAFF, 0, 32 * KiB, "meeting_hold"},
	{"POST", "/meetings/:id/cancel", meeting_cancel_post, R_STAFF, 0, 4 * KiB, "meeting_cancel"},
	{"POST", "/meetings/:id/photos", meeting_photo_post, R_STAFF, 0, 3 * 1024 * KiB, "meeting_photo"},
	{"GET", "/meetings/:id/photos/:photo", meeting_photo_page, R_STAFF | R_MEMBER | R_GRID, 0, 0, "meeting_photo"},
	{"POST", "/meetings/:id/mark", meeting_mark_post, R_STAFF, 0, 4 * KiB, "meeting_mark"},
	{"POST", "/meetings/:id/leave", meeting_leave_post, R_STAFF | R_MEMBER | R_GRID, 0, 4 * KiB, "meeting_leave"},
	{"POST", "/meetings/:id/leave/:member_id", meeting_leave_decide_post, R_STAFF, 0, 4 * KiB, "meeting_leave_decide"},
	{"POST", "/meetings/:id/decisions", meeting_decision_post, R_STAFF, 0, 16 * KiB, "meeting_decision"},
	{"GET", "/decisions", decisions_page, R_STAFF | R_MEMBER | R_GRID, 0, 0, "decisions"},
	{"GET", "/decisions/:id", decision_page, R_STAFF | R_MEMBER | R_GRID, 0, 0, "decision"},
	{"POST", "/decisions/:id/progress", decision_progress_post, R_STAFF | R_MEMBER | R_GRID, 0, 8 * KiB, "decision_progress"},
	{"POST", "/decisions/:id/done", decision_done_post, R_STAFF | R_MEMBER | R_GRID, 0, 8 * KiB, "decision_done"},
	{"POST", "/decisions/:id/publish", decision_publish_post, R_STAFF, 0, 8 * KiB, "decision_publish"},
	{"POST", "/decisions/:id/publish-result", decision_publish_result_post, R_STAFF, 0, 8 * KiB, "decision_publish_result"},
	{"GET", "/meetings/types", types_page, R_ADMIN | R_COMMITTEE, 0, 0, "meeting_types"},
	{"POST", "/meetings/types", types_page, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "meeting_types"},
	{"POST", "/meetings/types/:key", type_set_post, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "meeting_type_set"},
	{"POST", "/meetings/types/:key/delete", type_delete_post, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "meeting_type_delete"},
	{"GET", "/matters", matters_page, R_STAFF, 0, 0, "matters"},
	{"POST", "/matters", matters_page, R_STAFF, 0, 16 * KiB, "matters"},
	{"GET", "/matters/:id", matter_page, R_STAFF, 0, 0, "matter"},
	{"POST", "/matters/:id/step", matter_step_post, R_STAFF, 0, 16 * KiB, "matter_step"},
	{"GET", "/p/decisions/:org", public_page, R_PUBLIC, 0, 0, "public_decisions"},

	{"GET", "/api/v1/meetings/tables", meetings_api_tables, R_PUBLIC, RF_API, 0, "api_meeting_tables"},
	{"POST", "/api/v1/meetings/requirements", meetings_api_requirement, R_ADMIN, RF_API, 4 * KiB, "api_meeting_requirements"},
	{"GET", "/api/v1/meetings/report", meetings_api_report, R_STAFF, RF_API, 0, "api_meetings_report"},
	{"GET", "/api/v1/meetings/compliance", meetings_api_compliance, R_STAFF, RF_API, 0, "api_meetings_compliance"},
	{"GET", "/api/v1/meetings", meetings_api_list, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_meetings"},
	{"POST", "/api/v1/meetings", meetings_api_create, R_STAFF, RF_API, 16 * KiB, "api_meetings"},
	{"GET", "/api/v1/meetings/:id", meetings_api_get, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_meeting"},
	{"POST", "/api/v1/meetings/:id/hold", meetings_api_hold, R_STAFF, RF_API, 32 * KiB, "api_meeting_hold"},
	{"POST", "/api/v1/meetings/:id/cancel", meetings_api_cancel, R_STAFF, RF_API, 4 * KiB, "api_meeting_cancel"},
	{"POST", "/api/v1/meetings/:id/attendance", meetings_api_mark, R_STAFF, RF_API, 4 * KiB, "api_meeting_attendance"},
	{"POST", "/api/v1/meetings/:id/leave", meetings_api_leave, R_STAFF | R_MEMBER | R_GRID, RF_API, 4 * KiB, "api_meeting_leave"},
	{"POST", "/api/v1/meetings/:id/leave/:member_id", meetings_api_leave_decide, R_STAFF, RF_API, 4 * KiB, "api_meeting_leave_decide"},
	{"POST", "/api/v1/meetings/:id/decisions", meetings_api_decision_create, R_STAFF, RF_API, 16 * KiB, "api_meeting_decisions"},
	{"GET", "/api/v1/decisions", meetings_api_decisions, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_decisions"},
	{"GET", "/api/v1/decisions/:id", meetings_api_decision_get, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_decision"},
	{"POST", "/api/v1/decisions/:id/progress", meetings_api_decision_progress, R_STAFF | R_MEMBER | R_GRID, RF_API, 8 * KiB, "api_decision_progress"},
	{"POST", "/api/v1/decisions/:id/done", meetings_api_decision_done, R_STAFF | R_MEMBER | R_GRID, RF_API, 8 * KiB, "api_decision_done"},
	{"POST", "/api/v1/decisions/:id/publish", meetings_api_decision_publish, R_STAFF, RF_API, 8 * KiB, "api_decision_publish"},
	{"POST", "/api/v1/decisions/:id/publish-result", meetings_api_decision_publish_result, R_STAFF, RF_API, 8 * KiB, "api_decision_publish_result"},
	{"GET", "/api/v1/meeting-types", meetings_api_types, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_meeting_types"},
	{"POST", "/api/v1/meeting-types", meetings_api_type_add, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_meeting_types"},
	{"POST", "/api/v1/meeting-types/:key", meetings_api_type_set, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_meeting_type"},
	{"DELETE", "/api/v1/meeting-types/:key", meetings_api_type_delete, R_ADMIN | R_COMMITTEE, RF_API, 0, "api_meeting_type"},
	{"GET", "/api/v1/matters", meetings_api_matters, R_STAFF, RF_API, 0, "api_matters"},
	{"POST", "/api/v1/matters", meetings_api_matter_create, R_STAFF, RF_API, 16 * KiB, "api_matters"},
	{"GET", "/api/v1/matters/:id", meetings_api_matter_get, R_STAFF, RF_API, 0, "api_matter"},
	{"POST", "/api/v1/matters/:id/steps", meetings_api_matter_step, R_STAFF, RF_API, 16 * KiB, "api_matter_steps"},
	{"GET", "/api/v1/meeting-plans", meetings_api_plans, R_STAFF, RF_API, 0, "api_meeting_plans"},
	{"POST", "/api/v1/meeting-plans", meetings_api_plan_create, R_ADMIN | R_COMMITTEE, RF_API, 16 * KiB, "api_meeting_plans"},
};
static const struct nav_entry meetings_nav[] = {
	{"/meetings", "会议", R_STAFF | R_MEMBER | R_GRID, 30, NAV_LIFE},
};
static const struct background_task meetings_tasks[] = {
	{"decisions_overdue", decisions_overdue_task}, /* owner and secretary told once when a decision passes its deadline */
};
static const struct entity_link meetings_entities[] = {{"meeting", "/meetings/"}, {"decision", "/decisions/"}, {"matter", "/matters/"}};
static const struct permission *const meetings_perms[] = {&perm_meeting_manage, &perm_meeting_plan, &perm_meeting_types};
const struct module meetings_module = {
	.name = "meetings",
	.routes = meetings_routes,
	.routes_n = COUNT_OF(meetings_routes),
	.nav = meetings_nav,
	.nav_n = COUNT_OF(meetings_nav),
	.tasks = meetings_tasks,
	.tasks_n = COUNT_OF(meetings_tasks),
	.permissions = meetings_perms,
	.permissions_n = COUNT_OF(meetings_perms),
	.entities = meetings_entities,
	.entities_n = COUNT_OF(meetings_entities),
	.demo = demo_meetings,
	.checkin = &meeting_checkin_kind,
	.checkin_n = 1,
	.figures = meetings_figures,
	.figures_n = MEETINGS_FIGURES_N,
};
