/* meetings_api — the JSON API of meetings, attendance, decisions, 四议两公开
 * and the reports (issue 13 §7), and the tables themselves (GET
 * /api/v1/meetings/tables), so clients and tests read the same steps. */
#include "meetings_api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "json.h"
#include "meetings.h"
#include "orgs.h"
#include "util.h"
#include "web.h"

static void fail(req *r, enum dj_result res, struct field_errors *e) { req_fail(r, res, e); }

/* An org by code (NULL or "": the caller's own); 0 after a 404 answer. */
static int64_t org_by_code(req *r, const char *code, const char *field, struct field_errors *e)
{
	int64_t id = code && *code ? orgs_id_by_code(r->db, code) : r->actor.org_id;
	if (!id && code && *code)
		ferr_add(e, field, "组织代码“%s”不存在", code);
	return id;
}

static void types_json(req *r, jw *w);

void meetings_api_tables(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "meeting_types"); /* the committee's table, retired ones too (active false): the report's columns */
	types_json(r, &w);
	jw_key(&w, "meeting_states");
	jw_arr(&w);
	static const char *const states[] = {"planned", "held", "cancelled"};
	for (size_t i = 0; i < 3; i++) {
		jw_obj(&w);
		jw_kstr(&w, "key", states[i]);
		jw_kstr(&w, "label", meeting_state_label(states[i]));
		jw_end(&w);
	}
	jw_aend(&w);
	jw_key(&w, "meeting_transitions");
	jw_arr(&w);
	for (int i = 0; i < meeting_transitions_count; i++) {
		jw_obj(&w);
		jw_kstr(&w, "from", meeting_transitions[i].from);
		jw_kstr(&w, "action", meeting_transitions[i].action);
		jw_kstr(&w, "to", meeting_transitions[i].to);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_key(&w, "attendance_statuses");
	jw_arr(&w);
	for (const char *const *s = attendance_statuses; *s; s++)
		jw_str(&w, *s);
	jw_aend(&w);
	jw_key(&w, "matter_steps");
	jw_arr(&w);
	for (int i = 0; i < matter_steps_count; i++) {
		jw_obj(&w);
		jw_kint(&w, "seq", i);
		jw_kstr(&w, "key", matter_steps[i].key);
		jw_kstr(&w, "label", matter_steps[i].label);
		jw_kstr(&w, "quorum",
			matter_steps[i].quorum == QUORUM_MEMBERS           ? "members"
			: matter_steps[i].quorum == QUORUM_REPRESENTATIVES ? "representatives"
									   : "none");
		jw_end(&w);
	}
	jw_aend(&w);
	jw_key(&w, "quorum");
	jw_obj(&w);
	jw_kstr(&w, "present", "present * 3 >= total * 2");
	jw_kstr(&w, "favour", "favour * 2 > present");
	jw_end(&w);
	jw_key(&w, "requirements");
	jw_arr(&w);
	struct meeting_requirement req_[MEETING_TYPES_MAX];
	int n = r->db ? meeting_requirements(r->db, req_, MEETING_TYPES_MAX) : 0;
	for (int i = 0; i < n; i++) {
		jw_obj(&w);
		jw_kstr(&w, "type", req_[i].type);
		jw_kint(&w, "months", req_[i].months);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_end(&w);
}

static void meeting_json(jw *w, const struct meeting *m)
{
	char date[11], t0[20], t1[20];
	meeting_date_of(m->starts_at, date);
	fmt_time(m->starts_at, t0);
	fmt_time(m->ends_at, t1);
	jw_obj(w);
	jw_kint(w, "id", m->id);
	jw_kint(w, "org_id", m->org_id);
	jw_kstr(w, "org_name", m->org_name);
	jw_kstr(w, "type", m->type);
	jw_kstr(w, "type_label", m->type_label);
	jw_kstr(w, "theme", m->theme);
	jw_kstr(w, "date", date);
	jw_kstr(w, "start", t0 + 11);
	jw_kstr(w, "end", t1 + 11);
	jw_kint(w, "starts_at", m->starts_at);
	jw_kint(w, "ends_at", m->ends_at);
	jw_kstr(w, "place", m->place);
	jw_kstr(w, "content", m->content);
	jw_kint(w, "host_member_id", m->host_member_id);
	jw_kstr(w, "host", m->host_name);
	jw_kint(w, "recorder_member_id", m->recorder_member_id);
	jw_kstr(w, "recorder", m->recorder_name);
	jw_kint(w, "plan_id", m->plan_id);
	jw_kstr(w, "state", m->state);
	jw_kstr(w, "minutes", m->minutes);
	jw_kstr(w, "topics", m->topics);
	jw_kstr(w, "cancel_reason", m->cancel_reason);
	jw_kint(w, "youth", m->youth);
	jw_kint(w, "masses", m->masses);
	jw_kint(w, "invited", m->invited);
	jw_kint(w, "present", m->present);
	jw_kint(w, "leave", m->on_leave);
	jw_kint(w, "leave_requested", m->leave_requested);
	jw_kint(w, "absent", m->absent);
	jw_end(w);
}

static void list_row(void *ctx, const struct meeting *m) { meeting_json(ctx, m); }

void meetings_api_list(req *r)
{
	struct field_errors e = {0};
	buf b = {0};
	jw w;
	jw_init(&w, &b);
	jw_arr(&w);
	enum dj_result res = meeting_list(r->db, &r->actor, req_query(r, "month"), req_query(r, "type"), 200, list_row, &w, &e);
	jw_aend(&w);
	if (res != DJ_OK) {
		buf_free(&b);
		fail(r, res, &e);
		return;
	}
	req_json_begin(r, 200);
	buf_puts(&r->out, "{\"meetings\":");
	buf_puts(&r->out, buf_str(&b));
	buf_puts(&r->out, "}");
	buf_free(&b);
}

static const struct json_field meeting_fields[] = {
	{"org", "组织", false, 's', NULL},
	{"type", "会议类型", true, 's', NULL},
	{"theme", "会议主题", false, 's', NULL},
	{"date", "会议日期", false, 's', NULL},
	{"start", "开始时间", false, 's', NULL},
	{"end", "结束时间", false, 's', NULL},
	{"place", "会议地点", false, 's', NULL},
	{"content", "会议内容", false, 's', NULL},
	{"host_member_id", "主持人", false, 'I', NULL},
	{"recorder_member_id", "记录人", false, 'I', NULL},
	{"plan_id", "月度计划", false, 'I', NULL},
	{NULL, NULL, false, 0, NULL},
};

static void answer_meeting(req *r, int status, int64_t id);

void meetings_api_create(req *r)
{
	const char *org = NULL;
	json_int_t host = 0, recorder = 0, plan = 0;
	struct meeting_new n = {0};
	if (!req_json_unpack(r, meeting_fields, false, "{s?s, s?s, s?s, s?s, s?s, s?s, s?s, s?s, s?I, s?I, s?I}", "org", &org, "type", &n.type, "theme",
			     &n.theme, "date", &n.date, "start", &n.start, "end", &n.end, "place", &n.place, "content", &n.content, "host_member_id",
			     &host, "recorder_member_id", &recorder, "plan_id", &plan))
		return;
	struct field_errors e = {0};
	n.org_id = org_by_code(r, org, "org", &e);
	n.host_member_id = host;
	n.recorder_member_id = recorder;
	n.plan_id = plan;
	if (e.n) {
		fail(r, DJ_INVALID, &e);
		return;
	}
	int64_t id = 0;
	enum dj_result res = meeting_plan(r->db, &r->actor, &n, now_unix(), &id, &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_meeting(r, 201, id);
}

struct att_ctx {
	jw *w;
};
static void att_row(void *ctx, const struct attendee *at)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "member_id", at->member_id);
	jw_kstr(w, "name", at->name);
	jw_kstr(w, "status", at->status);
	jw_kstr(w, "how", at->how);
	jw_kstr(w, "leave_reason", at->leave_reason);
	jw_kint(w, "signed_at", at->signed_at);
	jw_end(w);
}
static void guest_row(void *ctx, const char *name) { jw_str(ctx, name); }

static void decision_json(jw *w, const struct decision *x, bool full, db *d);
static void dec_row(void *ctx, const struct decision *x)
{
	void **c = ctx;
	decision_json(c[0], x, false, c[1]);
}

static void answer_meeting(req *r, int status, int64_t id)
{
	struct meeting m;
	if (!meeting_load(r->db, id, &m) || !meeting_visible(r->db, &r->actor, &m)) {
		struct field_errors e = {0};
		fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "会议不存在"), &e);
		return;
	}
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	buf_puts(&r->out, "{\"meeting\":");
	jw_init(&w, &r->out);
	meeting_json(&w, &m);
	buf_puts(&r->out, ",\"attendance\":");
	jw_init(&w, &r->out);
	jw_arr(&w);
	meeting_each_attendee(r->db, id, att_row, &w);
	jw_aend(&w);
	buf_puts(&r->out, ",\"reps\":");
	jw_init(&w, &r->out);
	jw_arr(&w);
	meeting_each_guest(r->db, id, guest_row, &w);
	jw_aend(&w);
	buf_puts(&r->out, ",\"decisions\":");
	jw_init(&w, &r->out);
	jw_arr(&w);
	struct decision_filter f = {.meeting_id = id};
	void *c[] = {&w, r->db};
	decision_list(r->db, &r->actor, &f, now_unix(), dec_row, c);
	jw_aend(&w);
	buf_puts(&r->out, "}");
}

void meetings_api_get(req *r) { answer_meeting(r, 200, req_param_id(r, "id")); }

static const struct json_field hold_fields[] = {
	{"minutes", "会议记录", true, 's', NULL},     {"topics", "议题", false, 's', NULL},       {"youth", "进步青年人数", false, 'I', NULL},
	{"masses", "群众代表人数", false, 'I', NULL}, {"reps", "群众代表姓名", false, 'a', NULL}, {NULL, NULL, false, 0, NULL},
};

void meetings_api_hold(req *r)
{
	struct meeting_held h = {0};
	json_int_t youth = 0, masses = 0;
	json_t *reps = NULL;
	if (!req_json_unpack(r, hold_fields, false, "{s?s, s?s, s?I, s?I, s?o}", "minutes", &h.minutes, "topics", &h.topics, "youth", &youth, "masses",
			     &masses, "reps", &reps))
		return;
	struct field_errors e = {0};
	const char *names[201];
	size_t n = 0;
	if (reps) {
		size_t i;
		json_t *v;
		json_array_foreach(reps, i, v)
		{
			if (!json_is_string(v) || n == 200) {
				ferr_add(&e, "reps", "群众代表姓名应为字符串，最多200人");
				break;
			}
			names[n++] = json_string_value(v);
		}
	}
	names[n] = NULL;
	h.reps = names;
	h.youth = youth;
	h.masses = masses;
	enum dj_result res = e.n ? DJ_INVALID : meeting_hold(r->db, &r->actor, req_param_id(r, "id"), &h, now_unix(), &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_meeting(r, 200, req_param_id(r, "id"));
}

static const struct json_field reason_fields[] = {{"reason", "原因", true, 's', NULL}, {NULL, NULL, false, 0, NULL}};

void meetings_api_cancel(req *r)
{
	const char *reason = NULL;
	if (!req_json_unpack(r, reason_fields, false, "{s?s}", "reason", &reason))
		return;
	struct field_errors e = {0};
	enum dj_result res = meeting_cancel(r->db, &r->actor, req_param_id(r, "id"), reason, now_unix(), &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_meeting(r, 200, req_param_id(r, "id"));
}

void meetings_api_leave(req *r)
{
	const char *reason = NULL;
	if (!req_json_unpack(r, reason_fields, false, "{s?s}", "reason", &reason))
		return;
	struct field_errors e = {0};
	enum dj_result res = meeting_leave_request(r->db, &r->actor, req_param_id(r, "id"), reason, now_unix(), &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_meeting(r, 200, req_param_id(r, "id"));
}

static const struct json_field leave_decide_fields[] = {{"approve", "是否批准", true, 'b', NULL}, {NULL, NULL, false, 0, NULL}};

void meetings_api_leave_decide(req *r)
{
	int approve = 0;
	if (!req_json_unpack(r, leave_decide_fields, false, "{s:b}", "approve", &approve))
		return;
	struct field_errors e = {0};
	enum dj_result res = meeting_leave_decide(r->db, &r->actor, req_param_id(r, "id"), req_param_id(r, "member_id"), approve != 0, now_unix(), &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_meeting(r, 200, req_param_id(r, "id"));
}

static const struct json_field mark_fields[] = {{"member_id", "党员", true, 'I', NULL},
						{"status", "考勤", true, 's', NULL},
						{"reason", "请假原因", false, 's', NULL},
						{NULL, NULL, false, 0, NULL}};

void meetings_api_mark(req *r)
{
	json_int_t member = 0;
	const char *status = NULL, *reason = NULL;
	if (!req_json_unpack(r, mark_fields, false, "{s?I, s?s, s?s}", "member_id", &member, "status", &status, "reason", &reason))
		return;
	struct field_errors e = {0};
	enum dj_result res = meeting_mark(r->db, &r->actor, req_param_id(r, "id"), member, status, reason, now_unix(), &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_meeting(r, 200, req_param_id(r, "id"));
}

/* ---- decisions ---- */

static void sup_row(void *ctx, const struct decision_supervisor *s)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "kind", s->kind);
	jw_kint(w, "member_id", s->member_id);
	jw_kstr(w, "name", s->name);
	jw_end(w);
}
static void note_row(void *ctx, const struct decision_note *n)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "date", n->date);
	jw_kstr(w, "note", n->note);
	jw_end(w);
}

static void decision_json(jw *w, const struct decision *x, bool full, db *d)
{
	jw_obj(w);
	jw_kint(w, "id", x->id);
	jw_kint(w, "meeting_id", x->meeting_id);
	jw_kstr(w, "meeting_theme", x->meeting_theme);
	jw_kint(w, "org_id", x->org_id);
	jw_kstr(w, "org_name", x->org_name);
	jw_kstr(w, "matter", x->matter);
	jw_kint(w, "owner_member_id", x->owner_member_id);
	jw_kstr(w, "owner", x->owner_name);
	jw_kstr(w, "deadline", x->deadline);
	jw_kstr(w, "state", x->state);
	jw_kbool(w, "overdue", x->overdue);
	jw_kbool(w, "done_on_time", !strcmp(x->state, "done") && strcmp(x->done_date, x->deadline) <= 0);
	jw_kstr(w, "result", x->result);
	jw_kstr(w, "done_date", x->done_date);
	jw_kint(w, "order_id", x->order_id);
	jw_kstr(w, "order_code", x->order_code);
	jw_kbool(w, "published", x->pub_date[0] != 0);
	jw_kstr(w, "pub_date", x->pub_date);
	jw_kstr(w, "pub_text", x->pub_text);
	jw_kbool(w, "result_published", x->result_pub_date[0] != 0);
	jw_kstr(w, "result_pub_date", x->result_pub_date);
	jw_kstr(w, "result_pub_text", x->result_pub_text);
	if (full) {
		jw_key(w, "supervisors");
		jw_arr(w);
		decision_each_supervisor(d, x->id, sup_row, w);
		jw_aend(w);
		jw_key(w, "progress");
		jw_arr(w);
		decision_each_progress(d, x->id, note_row, w);
		jw_aend(w);
	}
	jw_end(w);
}

static void answer_decision(req *r, int status, int64_t id)
{
	struct decision x;
	if (!decision_load(r->db, id, now_unix(), &x) || !decision_visible(r->db, &r->actor, &x)) {
		struct field_errors e = {0};
		fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "决策事项不存在"), &e);
		return;
	}
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	decision_json(&w, &x, true, r->db);
}

static const struct json_field decision_fields[] = {
	{"matter", "决策事项", true, 's', NULL},       {"owner_member_id", "负责人", false, 'I', NULL},    {"deadline", "完成时限", false, 's', NULL},
	{"supervisors", "督导小组", false, 'a', NULL}, {"order_code", "群众点单查询码", false, 's', NULL}, {NULL, NULL, false, 0, NULL},
};

void meetings_api_decision_create(req *r)
{
	struct decision_new n = {0};
	json_int_t owner = 0;
	json_t *sups = NULL;
	if (!req_json_unpack(r, decision_fields, false, "{s?s, s?I, s?s, s?o, s?s}", "matter", &n.matter, "owner_member_id", &owner, "deadline",
			     &n.deadline, "supervisors", &sups, "order_code", &n.order_code))
		return;
	struct field_errors e = {0};
	struct decision_supervisor sv[21];
	size_t k = 0;
	if (sups) {
		size_t i;
		json_t *v;
		json_array_foreach(sups, i, v)
		{
			json_t *kind = json_object_get(v, "kind"), *mid = json_object_get(v, "member_id"), *name = json_object_get(v, "name");
			if (!json_is_object(v) || !json_is_string(kind) || (mid && !json_is_integer(mid)) || (name && !json_is_string(name)) || k == 21) {
				ferr_add(&e, "supervisors", "督导小组每人应为 {kind: member|rep, member_id, name}，最多20人");
				break;
			}
			sv[k].kind = json_string_value(kind);
			sv[k].member_id = mid ? json_integer_value(mid) : 0;
			sv[k].name = name ? json_string_value(name) : "";
			k++;
		}
	}
	n.owner_member_id = owner;
	n.supervisors = sv;
	n.supervisors_n = k;
	int64_t id = 0;
	enum dj_result res = e.n ? DJ_INVALID : decision_create(r->db, &r->actor, req_param_id(r, "id"), &n, now_unix(), &id, &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_decision(r, 201, id);
}

void meetings_api_decisions(req *r)
{
	struct decision_filter f = {0};
	const char *o = req_query(r, "overdue"), *mine = req_query(r, "mine");
	f.overdue_only = o && !strcmp(o, "1");
	f.mine = mine && !strcmp(mine, "1");
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	buf_puts(&r->out, "{\"decisions\":");
	jw_arr(&w);
	void *c[] = {&w, r->db};
	decision_list(r->db, &r->actor, &f, now_unix(), dec_row, c);
	jw_aend(&w);
	buf_puts(&r->out, "}");
}

void meetings_api_decision_get(req *r) { answer_decision(r, 200, req_param_id(r, "id")); }

static const struct json_field note_fields[] = {{"note", "进展情况", true, 's', NULL}, {NULL, NULL, false, 0, NULL}};
static const struct json_field result_fields[] = {{"result", "办理结果", true, 's', NULL}, {NULL, NULL, false, 0, NULL}};

void meetings_api_decision_progress(req *r)
{
	const char *note = NULL;
	if (!req_json_unpack(r, note_fields, false, "{s?s}", "note", &note))
		return;
	struct field_errors e = {0};
	enum dj_result res = decision_progress(r->db, &r->actor, req_param_id(r, "id"), note, now_unix(), &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_decision(r, 200, req_param_id(r, "id"));
}

void meetings_api_decision_done(req *r)
{
	const char *result = NULL;
	if (!req_json_unpack(r, result_fields, false, "{s?s}", "result", &result))
		return;
	struct field_errors e = {0};
	enum dj_result res = decision_done(r->db, &r->actor, req_param_id(r, "id"), result, now_unix(), &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_decision(r, 200, req_param_id(r, "id"));
}

static const struct json_field publish_fields[] = {
	{"text", "公开内容", false, 's', NULL}, {"date", "公开日期", false, 's', NULL}, {NULL, NULL, false, 0, NULL}};

static void publish(req *r, bool result)
{
	const char *text = NULL, *date = NULL;
	if (!req_json_unpack(r, publish_fields, true, "{s?s, s?s}", "text", &text, "date", &date))
		return;
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id");
	enum dj_result res = result ? decision_publish_result(r->db, &r->actor, id, text, date, now_unix(), &e)
				    : decision_publish(r->db, &r->actor, id, text, date, now_unix(), &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_decision(r, 200, id);
}

void meetings_api_decision_publish(req *r) { publish(r, false); }
void meetings_api_decision_publish_result(req *r) { publish(r, true); }

/* ---- meeting types ---- */

static void type_json(jw *w, const struct meeting_type *t)
{
	jw_obj(w);
	jw_kstr(w, "key", t->key);
	jw_kstr(w, "label", t->label);
	jw_kstr(w, "invite", t->invite);
	jw_kbool(w, "sanhui", t->sanhui);
	jw_kbool(w, "minutes", t->minutes);
	jw_kbool(w, "active", t->active);
	jw_kint(w, "in_use", t->in_use);
	jw_end(w);
}

static void types_json(req *r, jw *w)
{
	struct meeting_type types[MEETING_TYPES_MAX];
	int n = r->db ? meeting_types_load(r->db, false, types, MEETING_TYPES_MAX) : 0;
	jw_arr(w);
	for (int i = 0; i < n; i++)
		type_json(w, &types[i]);
	jw_aend(w);
}

void meetings_api_types(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "meeting_types");
	types_json(r, &w);
	jw_end(&w);
}

static void answer_type(req *r, int status, const char *key)
{
	struct meeting_type t;
	if (!meeting_type_get(r->db, key, &t)) {
		struct field_errors e = {0};
		fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "会议类型不存在"), &e);
		return;
	}
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	type_json(&w, &t);
}

static const struct json_field type_fields[] = {{"label", "名称", false, 's', NULL},          {"invite", "参会人员", false, 's', NULL},
						{"sanhui", "计入三会一课", false, 'b', NULL}, {"minutes", "需要会议记录", false, 'b', NULL},
						{"active", "是否启用", false, 'b', NULL},     {NULL, NULL, false, 0, NULL}};

void meetings_api_type_add(req *r)
{
	const char *label = NULL, *invite = NULL;
	int sanhui = -1, minutes = -1;
	if (!req_json_unpack(r, type_fields, false, "{s?s, s?s, s?b, s?b}", "label", &label, "invite", &invite, "sanhui", &sanhui, "minutes", &minutes))
		return;
	struct meeting_type_input in = {label, invite, sanhui, minutes, -1};
	struct field_errors e = {0};
	char key[16] = "";
	enum dj_result res = meeting_type_add(r->db, &r->actor, &in, now_unix(), key, &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_type(r, 201, key);
}

void meetings_api_type_set(req *r)
{
	const char *label = NULL, *invite = NULL;
	int sanhui = -1, minutes = -1, active = -1;
	if (!req_json_unpack(r, type_fields, false, "{s?s, s?s, s?b, s?b, s?b}", "label", &label, "invite", &invite, "sanhui", &sanhui, "minutes",
			     &minutes, "active", &active))
		return;
	struct meeting_type_input in = {label, invite, sanhui, minutes, active};
	struct field_errors e = {0};
	const char *key = req_param(r, "key");
	enum dj_result res = meeting_type_set(r->db, &r->actor, key, &in, &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_type(r, 200, key);
}

void meetings_api_type_delete(req *r)
{
	struct field_errors e = {0};
	enum dj_result res = meeting_type_delete(r->db, &r->actor, req_param(r, "key"), &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	req_json_begin(r, 200);
	buf_puts(&r->out, "{\"deleted\":true}");
}

/* ---- 四议两公开 ---- */

static void step_row(void *ctx, const struct matter_step_row *s)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "round", s->round);
	jw_kint(w, "seq", s->seq);
	jw_kstr(w, "step", s->step);
	jw_kstr(w, "label", matter_steps[s->seq].label);
	jw_kstr(w, "date", s->date);
	jw_kstr(w, "record", s->record);
	jw_kint(w, "total", s->total);
	jw_kint(w, "present", s->present);
	jw_kint(w, "favour", s->favour);
	jw_kbool(w, "passed", s->passed);
	jw_kint(w, "decision_id", s->decision_id);
	jw_end(w);
}

static void matter_json(jw *w, db *d, const struct matter *m, bool steps)
{
	jw_obj(w);
	jw_kint(w, "id", m->id);
	jw_kint(w, "org_id", m->org_id);
	jw_kstr(w, "org_name", m->org_name);
	jw_kstr(w, "title", m->title);
	jw_kstr(w, "description", m->description);
	jw_kstr(w, "state", m->state);
	jw_kint(w, "round", m->round);
	jw_kint(w, "members", m->members);
	if (m->next < matter_steps_count && strcmp(m->state, "done") != 0)
		jw_kstr(w, "next_step", matter_steps[m->next].key);
	else
		jw_kstr(w, "next_step", NULL);
	if (steps) {
		jw_key(w, "steps");
		jw_arr(w);
		matter_each_step(d, m->id, step_row, w);
		jw_aend(w);
	}
	jw_end(w);
}

static void answer_matter(req *r, int status, int64_t id, int passed)
{
	struct matter m;
	if (!matter_load(r->db, id, &m) || !matter_visible(&r->actor, &m)) {
		struct field_errors e = {0};
		fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "事项不存在"), &e);
		return;
	}
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	if (passed >= 0) {
		buf_printf(&r->out, "{\"passed\":%s,\"matter\":", passed ? "true" : "false");
		matter_json(&w, r->db, &m, true);
		buf_puts(&r->out, "}");
	} else
		matter_json(&w, r->db, &m, true);
}

static const struct json_field matter_fields[] = {{"org", "村（社区）党支部", false, 's', NULL},
						  {"title", "事项名称", true, 's', NULL},
						  {"description", "事项说明", false, 's', NULL},
						  {NULL, NULL, false, 0, NULL}};

void meetings_api_matter_create(req *r)
{
	const char *org = NULL, *title = NULL, *desc = NULL;
	if (!req_json_unpack(r, matter_fields, false, "{s?s, s?s, s?s}", "org", &org, "title", &title, "description", &desc))
		return;
	struct field_errors e = {0};
	int64_t org_id = org_by_code(r, org, "org", &e), id = 0;
	enum dj_result res = e.n ? DJ_INVALID : matter_create(r->db, &r->actor, org_id, title, desc, now_unix(), &id, &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_matter(r, 201, id, -1);
}

static void matter_list_row(void *ctx, const struct matter *m)
{
	void **c = ctx;
	matter_json(c[0], c[1], m, false);
}

void meetings_api_matters(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	buf_puts(&r->out, "{\"matters\":");
	jw_arr(&w);
	void *c[] = {&w, r->db};
	matter_list(r->db, &r->actor, 0, matter_list_row, c);
	jw_aend(&w);
	buf_puts(&r->out, "}");
}

void meetings_api_matter_get(req *r) { answer_matter(r, 200, req_param_id(r, "id"), -1); }

static const struct json_field step_fields[] = {
	{"step", "步骤", true, 's', NULL},
	{"date", "日期", false, 's', NULL},
	{"record", "记录", false, 's', NULL},
	{"total", "应到人数", false, 'I', NULL},
	{"present", "出席人数", false, 'I', NULL},
	{"favour", "赞成票数", false, 'I', NULL},
	{"decision_id", "关联决策事项", false, 'I', NULL},
	{NULL, NULL, false, 0, NULL},
};

void meetings_api_matter_step(req *r)
{
	struct matter_step_input in = {0};
	json_int_t total = -1, present = -1, favour = -1, decision_id = 0;
	if (!req_json_unpack(r, step_fields, false, "{s?s, s?s, s?s, s?I, s?I, s?I, s?I}", "step", &in.step, "date", &in.date, "record", &in.record,
			     "total", &total, "present", &present, "favour", &favour, "decision_id", &decision_id))
		return;
	in.decision_id = decision_id;
	in.total = total;
	in.present = present;
	in.favour = favour;
	struct field_errors e = {0};
	bool passed = false;
	enum dj_result res = matter_step_record(r->db, &r->actor, req_param_id(r, "id"), &in, now_unix(), &passed, &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	answer_matter(r, 201, req_param_id(r, "id"), passed);
}

/* ---- plans, requirements, reports ---- */

static const struct json_field plan_fields[] = {{"org", "镇党委", false, 's', NULL},    {"month", "月份", true, 's', NULL},
						{"type", "会议类型", false, 's', NULL}, {"theme", "主题", true, 's', NULL},
						{"content", "内容", true, 's', NULL},   {NULL, NULL, false, 0, NULL}};

static void plan_row(void *ctx, const struct meeting_monthly_plan *p)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", p->id);
	jw_kstr(w, "org_name", p->org_name);
	jw_kstr(w, "month", p->month);
	jw_kstr(w, "type", p->type);
	jw_kstr(w, "theme", p->theme);
	jw_kstr(w, "content", p->content);
	jw_end(w);
}

void meetings_api_plans(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	buf_puts(&r->out, "{\"plans\":");
	jw_arr(&w);
	meeting_plans_each(r->db, r->actor.org_id, req_query(r, "month"), plan_row, &w);
	jw_aend(&w);
	buf_puts(&r->out, "}");
}

void meetings_api_plan_create(req *r)
{
	const char *org = NULL, *month = NULL, *type = NULL, *theme = NULL, *content = NULL;
	if (!req_json_unpack(r, plan_fields, false, "{s?s, s?s, s?s, s?s, s?s}", "org", &org, "month", &month, "type", &type, "theme", &theme, "content",
			     &content))
		return;
	struct field_errors e = {0};
	int64_t org_id = org_by_code(r, org, "org", &e), id = 0;
	enum dj_result res = e.n ? DJ_INVALID
				 : meeting_plan_publish(r->db, &r->actor, org_id, month, type ? type : "red730", theme, content, now_unix(), &id, &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	req_json_begin(r, 201);
	buf_printf(&r->out, "{\"id\":%lld}", (long long)id);
}

static const struct json_field requirement_fields[] = {
	{"type", "会议类型", true, 's', NULL}, {"months", "间隔月数", true, 'I', NULL}, {NULL, NULL, false, 0, NULL}};

void meetings_api_requirement(req *r)
{
	const char *type = NULL;
	json_int_t months = 0;
	if (!req_json_unpack(r, requirement_fields, false, "{s:s, s:I}", "type", &type, "months", &months))
		return;
	struct field_errors e = {0};
	enum dj_result res = meeting_requirement_set(r->db, &r->actor, type, months < 0 || months > 12 ? 99 : (int)months, &e);
	if (res != DJ_OK) {
		fail(r, res, &e);
		return;
	}
	meetings_api_tables(r);
}

struct report_json_ctx {
	jw *w;
	const struct meeting_type *types; /* meeting_types_load(d, false, …), as the report counts them */
	int ntypes;
};

static void report_json(void *ctx, const struct meeting_report_row *row, bool total)
{
	const struct report_json_ctx *c = ctx;
	jw *w = c->w;
	if (total) {
		jw_aend(w);
		jw_key(w, "total");
	}
	jw_obj(w);
	jw_kint(w, "org_id", row->org_id);
	jw_kstr(w, "org", row->org_code);
	jw_kstr(w, "org_name", row->org_name);
	jw_key(w, "held");
	jw_obj(w);
	for (int k = 0; k < c->ntypes; k++)
		jw_kint(w, c->types[k].key, row->held[k]);
	jw_end(w);
	jw_kint(w, "held_total", row->held_total);
	jw_kint(w, "cancelled", row->cancelled);
	jw_kint(w, "member_times", row->member_times);
	jw_kint(w, "guest_times", row->guest_times);
	jw_kint(w, "decisions", row->decisions);
	jw_kint(w, "done", row->done);
	jw_kint(w, "done_on_time", row->done_on_time);
	jw_kint(w, "overdue", row->overdue);
	jw_kint(w, "open", row->open);
	jw_end(w);
}

void meetings_api_report(req *r)
{
	struct field_errors e = {0};
	int64_t org_id = org_by_code(r, req_query(r, "org"), "org", &e);
	if (e.n) {
		fail(r, DJ_INVALID, &e);
		return;
	}
	buf b = {0};
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "from", req_query(r, "from"));
	jw_kstr(&w, "to", req_query(r, "to"));
	jw_key(&w, "branches");
	jw_arr(&w);
	struct meeting_type types[MEETING_TYPES_MAX];
	struct report_json_ctx rc = {&w, types, meeting_types_load(r->db, false, types, MEETING_TYPES_MAX)};
	enum dj_result res = meeting_report(r->db, &r->actor, org_id, req_query(r, "from"), req_query(r, "to"), now_unix(), report_json, &rc, &e);
	jw_end(&w);
	if (res != DJ_OK) {
		buf_free(&b);
		fail(r, res, &e);
		return;
	}
	req_json_begin(r, 200);
	buf_puts(&r->out, buf_str(&b));
	buf_free(&b);
}

static void compliance_json(void *ctx, const struct compliance_row *row)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "org_id", row->org_id);
	jw_kstr(w, "org", row->org_code);
	jw_kstr(w, "org_name", row->org_name);
	jw_kbool(w, "missed", row->missed);
	jw_key(w, "cells");
	jw_arr(w);
	for (int k = 0; k < row->ncells; k++) {
		jw_obj(w);
		jw_kstr(w, "type", row->cells[k].type);
		jw_kint(w, "months", row->cells[k].months);
		jw_kint(w, "held", row->cells[k].held);
		jw_kstr(w, "status", row->cells[k].status);
		jw_end(w);
	}
	jw_aend(w);
	jw_end(w);
}

void meetings_api_compliance(req *r)
{
	struct field_errors e = {0};
	int64_t org_id = org_by_code(r, req_query(r, "org"), "org", &e);
	if (e.n) {
		fail(r, DJ_INVALID, &e);
		return;
	}
	buf b = {0};
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "month", req_query(r, "month"));
	jw_key(&w, "branches");
	jw_arr(&w);
	enum dj_result res = meeting_compliance(r->db, &r->actor, org_id, req_query(r, "month"), now_unix(), compliance_json, &w, &e);
	jw_aend(&w);
	jw_end(&w);
	if (res != DJ_OK) {
		buf_free(&b);
		fail(r, res, &e);
		return;
	}
	req_json_begin(r, 200);
	buf_puts(&r->out, buf_str(&b));
	buf_free(&b);
}
