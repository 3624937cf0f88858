/* volunteer_api — the JSON API of volunteer service (SPEC M3): activities,
 * sign-ups, check-ins (the same scan as the QR page, by code), hours, teams,
 * the report and the minimums. Thin: each handler reads its fields, calls
 * the domain (volunteer.h) and writes the answer; the routes are in the
 * module record at the end of volunteer_web.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "checkin.h"
#include "json.h"
#include "orgs.h"
#include "util.h"
#include "volunteer.h"
#include "volunteer_web.h"
#include "web.h"

static void act_json(jw *w, const struct volunteer_activity *v)
{
	char s[20], e[20];
	fmt_time(v->starts_at, s);
	fmt_time(v->ends_at, e);
	jw_obj(w);
	jw_kint(w, "id", v->id);
	jw_kstr(w, "title", v->title);
	jw_kstr(w, "kind", v->kind);
	jw_kstr(w, "kind_label", volunteer_kind_label(v->kind));
	jw_kstr(w, "place", v->place);
	jw_kstr(w, "org", v->org_code);
	jw_kstr(w, "org_name", v->org_name);
	jw_key(w, "team_id");
	if (v->team_id)
		jw_int(w, v->team_id);
	else
		jw_null(w);
	jw_kint(w, "starts_at", v->starts_at);
	jw_kint(w, "ends_at", v->ends_at);
	jw_kstr(w, "starts", s);
	jw_kstr(w, "ends", e);
	jw_kint(w, "capacity", v->capacity);
	jw_kbool(w, "open_registered", v->open_registered);
	jw_kstr(w, "state", v->state);
	jw_kstr(w, "cancel_reason", v->cancel_reason);
	jw_kint(w, "signed", v->signed_n);
	jw_kint(w, "waiting", v->waiting_n);
	jw_kint(w, "checked_in", v->checked_in_n);
	jw_kint(w, "public_count", v->public_count);
	jw_end(w);
}

static void list_row(void *ctx, const struct volunteer_activity *v) { act_json(ctx, v); }

void volunteer_api_list(req *r)
{
	const char *state = req_query(r, "state");
	const char *lim = req_query(r, "limit");
	int64_t limit = lim ? strtoll(lim, NULL, 10) : 100;
	if (limit < 1 || limit > 500)
		limit = 100;
	buf items = {0};
	jw w;
	jw_rows(&w, &items);
	enum dj_result res = volunteer_list(r->db, &r->actor, state, limit, list_row, &w);
	jw_aend(&w);
	if (res != DJ_OK) {
		buf_free(&items);
		struct field_errors e = {0};
		if (res == DJ_INVALID)
			ferr_add(&e, "state", "状态应为 draft、published、in_progress、finished 或 cancelled");
		req_fail(r, res, &e);
		return;
	}
	jw o;
	req_json_obj(r, 200, &o);
	jw_krows(&o, "activities", &items);
	jw_end(&o);
}

static const struct json_field create_fields[] = {
	{"title", "活动名称", true, 's', NULL},
	{"kind", "类型", true, 's', NULL},
	{"place", "地点", true, 's', NULL},
	{"starts", "开始时间", true, 's', NULL},
	{"ends", "结束时间", true, 's', NULL},
	{"capacity", "名额", true, 'I', NULL},
	{"org", "组织编码", false, 's', NULL},
	{"team_id", "服务队", false, 'I', NULL},
	{"open_registered", "面向报到党员", false, 'b', NULL},
	{"publish", "发布", false, 'b', NULL},
	{NULL, NULL, false, 0, NULL},
};

void volunteer_api_create(req *r)
{
	struct volunteer_new n = {0};
	json_int_t cap = 0, team = 0;
	int open = 0, publish = 1;
	if (!req_json_unpack(r, create_fields, false, "{s:s, s:s, s:s, s:s, s:s, s:I, s?s, s?I, s?b, s?b}", "title", &n.title, "kind", &n.kind, "place",
			     &n.place, "starts", &n.starts, "ends", &n.ends, "capacity", &cap, "org", &n.org_code, "team_id", &team, "open_registered",
			     &open, "publish", &publish))
		return;
	char teamtxt[24] = "";
	if (team)
		snprintf(teamtxt, sizeof teamtxt, "%lld", (long long)team);
	n.team = teamtxt;
	n.capacity = cap;
	n.open_registered = open;
	n.publish = publish;
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = volunteer_create(r->db, &r->actor, &n, now_unix(), &id, &e);
	struct volunteer_activity v;
	if (res == DJ_OK && !volunteer_activity_load(r->db, id, &v))
		res = dj_fail(&e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	if (!req_ok(r, res, &e))
		return;
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	act_json(&w, &v);
}

struct signup_ctx {
	jw *w;
};
static void signup_json(void *ctx, const struct volunteer_signup_row *s)
{
	jw *w = ctx;
	char h[24];
	volunteer_hours_text(s->minutes, h);
	jw_obj(w);
	jw_kint(w, "member_id", s->member_id);
	jw_kstr(w, "name", s->name);
	jw_kstr(w, "org_name", s->org_name);
	jw_kstr(w, "state", s->state);
	jw_kint(w, "signed_at", s->signed_at);
	jw_key(w, "checkin_at");
	s->checkin_at ? jw_int(w, s->checkin_at) : jw_null(w);
	jw_kstr(w, "checkin_how", s->checkin_how);
	jw_kstr(w, "checkin_by", s->checkin_by);
	jw_key(w, "checkout_at");
	s->checkout_at ? jw_int(w, s->checkout_at) : jw_null(w);
	jw_kstr(w, "checkout_how", s->checkout_how);
	jw_kint(w, "minutes", s->minutes);
	jw_kstr(w, "hours", h);
	jw_kbool(w, "minutes_manual", s->minutes_manual);
	jw_kstr(w, "minutes_reason", s->minutes_reason);
	jw_end(w);
}

static bool load_visible(req *r, int64_t id, struct volunteer_activity *v)
{
	if (id && volunteer_activity_load(r->db, id, v) && volunteer_visible(r->db, &r->actor, v))
		return true;
	struct field_errors e = {0};
	req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "活动不存在"), &e);
	return false;
}

static void activity_answer(req *r, int64_t id, int status)
{
	struct volunteer_activity v;
	if (!load_visible(r, id, &v))
		return;
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "activity");
	act_json(&w, &v);
	char mine[16];
	int64_t in, out;
	volunteer_my_state(r->db, &r->actor, id, mine, &in, &out);
	jw_key(&w, "mine");
	jw_obj(&w);
	jw_kstr(&w, "state", mine);
	jw_key(&w, "checkin_at");
	in ? jw_int(&w, in) : jw_null(&w);
	jw_key(&w, "checkout_at");
	out ? jw_int(&w, out) : jw_null(&w);
	jw_end(&w);
	if (volunteer_organises(&r->actor, &v)) {
		jw_key(&w, "signups");
		jw_arr(&w);
		volunteer_signups_each(r->db, id, signup_json, &w);
		jw_aend(&w);
	}
	jw_end(&w);
}

void volunteer_api_get(req *r) { activity_answer(r, req_param_id(r, "id"), 200); }

static const struct json_field action_fields[] = {
	{"reason", "原因", false, 's', NULL}, {"member_id", "党员", false, 'I', NULL}, {"code", "签到码", false, 's', NULL},
	{"at", "时间", false, 's', NULL},     {"hours", "时长", false, 's', NULL},     {"public_count", "群众人数", false, 'I', NULL},
	{NULL, NULL, false, 0, NULL},
};

/* POST /api/v1/volunteer/activities/:id/actions/:action — publish start
 * finish cancel (the state table), signup cancel_signup, scan (a code of the
 * QR screen: check-in or check-out), checkin checkout hours (by hand), public. */
void volunteer_api_action(req *r)
{
	const char *reason = NULL, *code = NULL, *at = NULL, *hours = NULL;
	json_int_t member = 0, pc = -1;
	if (!req_json_unpack(r, action_fields, true, "{s?s, s?I, s?s, s?s, s?s, s?I}", "reason", &reason, "member_id", &member, "code", &code, "at", &at,
			     "hours", &hours, "public_count", &pc))
		return;
	int64_t id = req_param_id(r, "id"), now = now_unix();
	const char *action = req_param(r, "action");
	struct field_errors e = {0};
	enum dj_result res;
	bool waiting = false;
	char done[200] = "";
	if (!id)
		res = dj_fail(&e, DJ_NOT_FOUND, "%s", "活动不存在");
	else if (volunteer_find("draft", action, ~0) || volunteer_find("published", action, ~0) || volunteer_find("in_progress", action, ~0))
		res = volunteer_act(r->db, &r->actor, id, action, reason, now, &e);
	else if (!strcmp(action, "signup"))
		res = volunteer_signup(r->db, &r->actor, id, member, now, &waiting, &e);
	else if (!strcmp(action, "cancel_signup"))
		res = volunteer_signup_cancel(r->db, &r->actor, id, member, now, &e);
	else if (!strcmp(action, "scan")) {
		res = checkin_scan(r->db, &r->actor, &volunteer_checkin_kind, id, code, now, done, sizeof done, &e);
		if (res == DJ_NOT_FOUND)
			dj_fail(&e, res, "%s", "活动不存在");
	} else if (!strcmp(action, "checkin") || !strcmp(action, "checkout") || !strcmp(action, "hours")) {
		int64_t t = 0, minutes = 0;
		if (at && *at && !volunteer_parse_time(at, &t))
			ferr_add(&e, "at", "时间格式应为 YYYY-MM-DD HH:MM");
		if (!strcmp(action, "hours") && (minutes = volunteer_web_hours(hours)) < 0)
			ferr_add(&e, "hours", "请填写时长（小时，如 \"2.5\"）");
		res = e.n ? DJ_INVALID : volunteer_manual(r->db, &r->actor, id, member, action, t, minutes, reason, now, &e);
	} else if (!strcmp(action, "public"))
		res = volunteer_set_public(r->db, &r->actor, id, pc, &e);
	else
		res = dj_fail(&e, DJ_NOT_FOUND, "没有“%.40s”这个操作", action);
	if (!req_ok(r, res, &e))
		return;
	if (!strcmp(action, "scan")) {
		jw w;
		req_json_obj(r, 200, &w);
		jw_kstr(&w, "done", done);
		jw_end(&w);
		return;
	}
	(void)waiting;
	activity_answer(r, id, 200);
}

void volunteer_api_member(req *r)
{
	struct volunteer_member_stats st;
	struct field_errors e = {0};
	const char *p = req_param(r, "id");
	int64_t id = p && !strcmp(p, "me") ? volunteer_member_of(r->db, &r->actor) : req_param_id(r, "id");
	enum dj_result res = id ? volunteer_member_stats(r->db, &r->actor, id, &st, &e) : dj_fail(&e, DJ_NOT_FOUND, "%s", "党员不存在");
	if (!req_ok(r, res, &e))
		return;
	char h[24];
	volunteer_hours_text(st.minutes, h);
	jw w;
	req_json_obj(r, 200, &w);
	jw_kint(&w, "member_id", st.member_id);
	jw_kstr(&w, "name", st.name);
	jw_kstr(&w, "org_name", st.org_name);
	jw_kint(&w, "times", st.times);
	jw_kint(&w, "minutes", st.minutes);
	jw_kstr(&w, "hours", h);
	jw_kint(&w, "stars", st.stars);
	jw_kint(&w, "year", st.year);
	jw_kint(&w, "points_year", st.points_year);
	jw_key(&w, "levels");
	jw_arr(&w);
	for (int i = 0; i < VOLUNTEER_STARS; i++) {
		jw_obj(&w);
		jw_kint(&w, "stars", i + 1);
		jw_kint(&w, "hours", st.star_hours[i]);
		jw_key(&w, "reached_at");
		st.star_reached[i] ? jw_int(&w, st.star_reached[i]) : jw_null(&w);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_end(&w);
}

static void team_json(void *ctx, const struct volunteer_team *t)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", t->id);
	jw_kstr(w, "name", t->name);
	jw_kstr(w, "org_name", t->org_name);
	jw_key(w, "leader_member_id");
	t->leader_member_id ? jw_int(w, t->leader_member_id) : jw_null(w);
	jw_kstr(w, "leader_name", t->leader_name);
	jw_kint(w, "members", t->members);
	jw_end(w);
}

void volunteer_api_teams(req *r)
{
	jw w;
	req_json_list(r, &w, "teams");
	volunteer_teams_each(r->db, &r->actor, team_json, &w);
	req_json_list_end(&w);
}

static const struct json_field team_fields[] = {
	{"name", "名称", true, 's', NULL},
	{"org", "组织编码", false, 's', NULL},
	{"leader_member_id", "队长", false, 'I', NULL},
	{NULL, NULL, false, 0, NULL},
};

void volunteer_api_team_create(req *r)
{
	const char *name = NULL, *org = NULL;
	json_int_t leader = 0;
	if (!req_json_unpack(r, team_fields, false, "{s:s, s?s, s?I}", "name", &name, "org", &org, "leader_member_id", &leader))
		return;
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = volunteer_team_create(r->db, &r->actor, org, name, leader, now_unix(), &id, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 201, &w);
	jw_kint(&w, "id", id);
	jw_end(&w);
}

static const struct json_field team_add_fields[] = {
	{"member_id", "党员", true, 'I', NULL},
	{NULL, NULL, false, 0, NULL},
};

void volunteer_api_team_add(req *r)
{
	json_int_t member = 0;
	if (!req_json_unpack(r, team_add_fields, false, "{s:I}", "member_id", &member))
		return;
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id");
	enum dj_result res = volunteer_team_add(r->db, &r->actor, id, member, now_unix(), &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 201, &w);
	jw_kint(&w, "team_id", id);
	jw_kint(&w, "member_id", member);
	jw_end(&w);
}

static void figures_json(jw *w, const struct volunteer_figures *f)
{
	char h[24];
	volunteer_hours_text(f->minutes, h);
	jw_kint(w, "registered", f->registered);
	jw_kint(w, "members", f->members);
	jw_kint(w, "active", f->active);
	jw_kint(w, "activities", f->activities);
	jw_kint(w, "person_times", f->person_times);
	jw_kint(w, "public_times", f->public_times);
	jw_kint(w, "minutes", f->minutes);
	jw_kstr(w, "hours", h);
	jw_kint(w, "teams", f->teams);
	jw_kint(w, "team_members", f->team_members);
}

static void branch_json(void *ctx, const struct volunteer_branch_row *b)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "org_id", b->org_id);
	jw_kstr(w, "name", b->name);
	figures_json(w, &b->f);
	jw_end(w);
}

static void member_json(void *ctx, const struct volunteer_member_row *m)
{
	jw *w = ctx;
	char h[24];
	volunteer_hours_text(m->minutes, h);
	jw_obj(w);
	jw_kint(w, "member_id", m->member_id);
	jw_kstr(w, "name", m->name);
	jw_kstr(w, "org_name", m->org_name);
	jw_kint(w, "times", m->times);
	jw_kint(w, "minutes", m->minutes);
	jw_kstr(w, "hours", h);
	jw_end(w);
}

void volunteer_api_report(req *r)
{
	int64_t org, t0, t1;
	char from[11], to[11], name[168];
	struct field_errors e = {0};
	if (!volunteer_web_period(r, &org, &t0, &t1, from, to, &e)) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	buf branches = {0};
	jw bw;
	jw_rows(&bw, &branches);
	struct volunteer_figures f;
	enum dj_result res = volunteer_report(r->db, &r->actor, org, t0, t1, &f, branch_json, &bw, name, &e);
	jw_aend(&bw);
	buf members = {0};
	jw mw;
	jw_rows(&mw, &members);
	if (res == DJ_OK)
		res = volunteer_report_members(r->db, &r->actor, org, t0, t1, 0, member_json, &mw, &e);
	jw_aend(&mw);
	if (res != DJ_OK) {
		buf_free(&branches);
		buf_free(&members);
		req_fail(r, res, &e);
		return;
	}
	jw w;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "org_name", name);
	jw_kstr(&w, "from", from);
	jw_kstr(&w, "to", to);
	figures_json(&w, &f);
	jw_krows(&w, "branches", &branches);
	jw_krows(&w, "by_member", &members);
	jw_end(&w);
}

static void below_json(void *ctx, const struct volunteer_below_row *b)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "member_id", b->member_id);
	jw_kstr(w, "name", b->name);
	jw_kstr(w, "branch", b->branch);
	jw_kint(w, "times", b->times);
	jw_end(w);
}

void volunteer_api_minimums(req *r)
{
	struct field_errors e = {0};
	const char *y = req_query(r, "year"), *code = req_query(r, "org"), *c = req_query(r, "campaign");
	struct volunteer_min_query q = {.year = y ? strtoll(y, NULL, 10) : 0};
	if (c && *c && !(q.campaign_id = parse_id(c)))
		ferr_add(&e, "campaign", "主题活动编号应为正整数");
	if (!y && !q.campaign_id)
		ferr_add(&e, "year", "请填写年度（如 2026）或主题活动编号（campaign）");
	if (code && *code && !(q.org_id = orgs_id_by_code(r->db, code)))
		ferr_add(&e, "org", "组织不存在");
	if (e.n) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	buf rows = {0};
	jw rw;
	jw_rows(&rw, &rows);
	struct volunteer_min_info info;
	enum dj_result res = volunteer_below_minimum(r->db, &r->actor, &q, &info, below_json, &rw, &e);
	if (!req_rows_done(r, &rw, &rows, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	if (q.campaign_id) {
		jw_kint(&w, "campaign_id", q.campaign_id);
		jw_kstr(&w, "campaign", info.basis);
		jw_kbool(&w, "linked_only", info.linked_only);
	} else {
		jw_kint(&w, "year", q.year);
	}
	jw_kstr(&w, "from", info.from);
	jw_kstr(&w, "to", info.to);
	jw_kstr(&w, "org", info.org_name);
	jw_kint(&w, "required", info.required);
	jw_krows(&w, "below", &rows);
	jw_end(&w);
}

static const struct json_field campaign_minimum_fields[] = {
	{"required", "最低次数", true, 'I', NULL},
	{"linked_only", "只计关联活动", false, 'b', NULL},
	{NULL, NULL, false, 0, NULL},
};

/* POST /api/v1/campaigns/:id/volunteer-minimum: the campaign's minimum (0 removes it). */
void volunteer_api_campaign_minimum(req *r)
{
	json_int_t required = 0;
	int linked = 0;
	if (!req_json_unpack(r, campaign_minimum_fields, false, "{s:I, s?b}", "required", &required, "linked_only", &linked))
		return;
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id");
	enum dj_result res = volunteer_campaign_minimum_set(r->db, &r->actor, id, required, linked != 0, now_unix(), &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kint(&w, "campaign_id", id);
	jw_kint(&w, "required", required);
	jw_kbool(&w, "linked_only", linked != 0);
	jw_end(&w);
}

static const struct json_field minimum_fields[] = {
	{"year", "年度", true, 'I', NULL},     {"required", "最低次数", true, 'I', NULL},
	{"org", "组织编码", false, 's', NULL}, {"title", "说明", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

void volunteer_api_minimum_set(req *r)
{
	json_int_t year = 0, required = 0;
	const char *org = NULL, *title = NULL;
	if (!req_json_unpack(r, minimum_fields, false, "{s:I, s:I, s?s, s?s}", "year", &year, "required", &required, "org", &org, "title", &title))
		return;
	struct field_errors e = {0};
	int64_t oid = org && *org ? orgs_id_by_code(r->db, org) : r->actor.org_id;
	enum dj_result res = volunteer_minimum_set(r->db, &r->actor, oid, year, required, title, now_unix(), &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kint(&w, "year", year);
	jw_kint(&w, "required", required);
	jw_end(&w);
}
