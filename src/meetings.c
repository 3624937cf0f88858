/* meetings — meetings, attendance, decisions, 四议两公开, frequencies and
 * reports (meetings.h; SPEC M5, seed 004). */
#include "meetings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <time.h>

#include "audit.h"
#include "checkin.h"
#include "notify.h"
#include "orders.h"
#include "points.h"
#include "util.h"

const struct permission perm_meeting_manage = {"meeting.manage", "安排会议、考勤、会议记录、议事决策与四议两公开", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_meeting_plan = {"meeting.plan", "发布月度会议计划、设置三会一课频次", R_ADMIN | R_COMMITTEE};
const struct permission perm_meeting_types = {"meeting.types", "管理会议类型（新增、改名、停用）", R_ADMIN | R_COMMITTEE};

/* ---- the tables ---- */

/* The type tables' SQL and rules are below the helpers ("types"). */

const struct meeting_transition meeting_transitions[] = {
	{"planned", "hold", R_ADMIN | R_COMMITTEE | R_BRANCH, "held"},
	{"planned", "cancel", R_ADMIN | R_COMMITTEE | R_BRANCH, "cancelled"},
};
const int meeting_transitions_count = (int)(sizeof meeting_transitions / sizeof meeting_transitions[0]);

static const struct meeting_transition *meeting_find(const char *from, const char *action, int role)
{
	for (int i = 0; i < meeting_transitions_count; i++)
		if (!strcmp(meeting_transitions[i].from, from) && !strcmp(meeting_transitions[i].action, action) && (meeting_transitions[i].actors & role))
			return &meeting_transitions[i];
	return NULL;
}

const char *meeting_state_label(const char *state)
{
	if (!strcmp(state, "planned"))
		return "已计划";
	if (!strcmp(state, "held"))
		return "已召开";
	if (!strcmp(state, "cancelled"))
		return "已取消";
	return state;
}

const char *const attendance_statuses[] = {"invited", "present", "leave_requested", "leave", "absent", NULL};

const char *attendance_status_label(const char *s)
{
	static const char *const labels[] = {"未签到", "出席", "请假待批", "请假", "缺席"};
	for (int i = 0; attendance_statuses[i]; i++)
		if (!strcmp(attendance_statuses[i], s))
			return labels[i];
	return s;
}

const struct matter_step matter_steps[] = {
	{"propose", "党支部会提议", QUORUM_NONE},        {"consult", "村两委会商议", QUORUM_NONE},
	{"review", "党员大会审议", QUORUM_MEMBERS},      {"resolve", "村民代表会议(或村民会议)决议", QUORUM_REPRESENTATIVES},
	{"publish_resolution", "决议公开", QUORUM_NONE}, {"publish_result", "实施结果公开", QUORUM_NONE},
};
const int matter_steps_count = (int)(sizeof matter_steps / sizeof matter_steps[0]);

int matter_step_index(const char *key)
{
	for (int i = 0; key && i < matter_steps_count; i++)
		if (!strcmp(matter_steps[i].key, key))
			return i;
	return -1;
}

const char *matter_state_label(const char *state)
{
	if (!strcmp(state, "open"))
		return "进行中";
	if (!strcmp(state, "stopped"))
		return "未通过，已中止";
	if (!strcmp(state, "done"))
		return "已完成";
	return state;
}

bool matter_quorum_met(int64_t total, int64_t present, int64_t favour) { return total > 0 && present * 3 >= total * 2 && favour * 2 > present; }

/* ---- helpers ---- */

bool meeting_time_parse(const char *date, const char *hm, int64_t *out)
{
	int h, mi;
	char tail;
	if (!date || !date_valid(date) || !hm || sscanf(hm, "%2d:%2d%c", &h, &mi, &tail) != 2 || h < 0 || h > 23 || mi < 0 || mi > 59 || strlen(hm) != 5)
		return false;
	struct tm tm = {0};
	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8);
	tm.tm_hour = h;
	tm.tm_min = mi;
	*out = (int64_t)timegm(&tm) - 8 * 3600;
	return true;
}

void meeting_date_of(int64_t t, char out[11])
{
	time_t b = (time_t)(t + 8 * 3600);
	struct tm tm;
	gmtime_r(&b, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* "YYYY-MM" → the Unix seconds of its first moment (Beijing); false when not a month. */
static bool month_start(const char *month, int64_t *t)
{
	char d[11];
	if (!month || strlen(month) != 7)
		return false;
	snprintf(d, sizeof d, "%s-01", month);
	return meeting_time_parse(d, "00:00", t);
}

static void month_add(const char *month, int k, char out[8])
{
	int y = atoi(month), m = atoi(month + 5) - 1 + k;
	y += m >= 0 ? m / 12 : -((11 - m) / 12);
	m = ((m % 12) + 12) % 12;
	snprintf(out, 8, "%04d-%02d", (y % 10000 + 10000) % 10000, m + 1);
}

static bool text_given(const char *s) { return s && *s && strspn(s, " \t\r\n") < strlen(s); }

/* A required text field of at most max characters; false (with the field named) otherwise. */
static bool need_text(struct field_errors *e, const char *field, const char *label, const char *v, size_t max)
{
	if (!text_given(v)) {
		ferr_add(e, field, "请填写%s", label);
		return false;
	}
	if (!utf8_valid(v) || utf8_len(v) > max) {
		ferr_add(e, field, "%s不能超过%zu个字", label, max);
		return false;
	}
	return true;
}

int64_t meeting_actor_member(db *d, const struct actor *a)
{
	if (!a || !a->user_id)
		return 0;
	return db_int1(d, 0, "SELECT id FROM members WHERE user_id = ?", "I", a->user_id);
}

/* The 党支部 an org belongs to: itself, or the parent of a 党小组. */
static bool branch_of(db *d, int64_t org_id, int64_t *branch_id, char path[256], char type[16])
{
	db_stmt *s = db_query(d,
			      "SELECT CASE WHEN o.type = 'group' THEN p.id ELSE o.id END, CASE WHEN o.type = 'group' THEN p.path ELSE o.path END, o.type "
			      "FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.id = ? AND o.dissolved_at IS NULL",
			      "I", org_id);
	bool ok = db_next(s);
	if (ok) {
		*branch_id = db_int(s, 0);
		str_copy(path, 256, db_str(s, 1));
		str_copy(type, 16, db_str(s, 2));
	}
	db_done(s);
	return ok && *branch_id;
}

/* A member of the roster in the subtree at path, not 停止党籍; its name into name. */
static bool member_in(db *d, int64_t member_id, const char *path, char name[96])
{
	db_stmt *s = db_query(
		d,
		"SELECT m.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ? AND o.path LIKE ? || '%' AND m.status NOT IN ('stopped', 'transferred')",
		"It", member_id, path);
	bool ok = db_next(s);
	if (ok && name)
		str_copy(name, 96, db_str(s, 0));
	db_done(s);
	return ok;
}

static bool staff_covers(const struct actor *a, const char *org_path) { return permission_allows(&perm_meeting_manage, a) && actor_covers(a, org_path); }

/* A growing list of ids read from a query before acting on them (a meeting
 * may invite any number of members: nothing is skipped past a fixed size). */
struct id_list {
	int64_t *v;
	size_t n, cap;
};
static bool id_push(struct id_list *l, int64_t id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		int64_t *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv)
			return false;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = id;
	return true;
}

/* Notifies every invitee with a login, however many. "m.user_id IS NOT
 * NULL" spells out what the join implies: without it PostgreSQL, when its
 * statistics were stale, walked every member in members_user order (the
 * NULLs too) probing the meeting for each — 18–270 ms a meeting while the
 * county generator wrote them; with it, the members with a login at most. */
static int notify_invitees(db *d, int64_t id, const char *text, int64_t now)
{
	struct id_list users = {0};
	bool ok = true;
	db_stmt *s = db_query(d,
			      "SELECT m.user_id FROM meeting_attendance t JOIN members m ON m.id = t.member_id JOIN users u ON u.id = m.user_id "
			      "WHERE t.meeting_id = ? AND m.user_id IS NOT NULL AND u.active = 1 ORDER BY m.id",
			      "I", id);
	while (db_next(s))
		ok = ok && id_push(&users, db_int(s, 0));
	int rc = db_done(s);
	if (rc == DB_OK && !ok)
		rc = DB_ERR;
	for (size_t i = 0; rc == DB_OK && i < users.n; i++)
		rc = notify_user(d, users.v[i], "meeting", "meeting", id, text, now);
	free(users.v);
	return rc;
}

/* ---- types ---- */

const char *const meeting_invites[] = {"branch", "group", "committee", NULL};

const char *meeting_invite_label(const char *invite)
{
	if (!strcmp(invite, "branch"))
		return "支部全体党员";
	if (!strcmp(invite, "group"))
		return "党小组成员（由党小组召开）";
	if (!strcmp(invite, "committee"))
		return "支委成员（书记、委员）";
	return invite;
}

/* seeded by migration 035: never deleted, only retired */
static bool type_seeded(const char *key)
{
	static const char *const seeded[] = {"assembly", "committee", "group", "lesson", "theme_day", "red730", "other", NULL};
	for (int i = 0; seeded[i]; i++)
		if (!strcmp(seeded[i], key))
			return true;
	return false;
}

#define TYPE_SELECT                                                                                                                                \
	"SELECT t.key, t.label, t.invite, t.sanhui, t.minutes, t.active, t.pos, (SELECT COUNT(*) FROM meetings m WHERE m.type = t.key) + (SELECT " \
	"COUNT(*) FROM meeting_plans p WHERE p.type = t.key) + (SELECT COUNT(*) FROM meeting_requirements q WHERE q.type = t.key) FROM "           \
	"meeting_types t "

static void type_row(db_stmt *s, struct meeting_type *t)
{
	memset(t, 0, sizeof *t);
	str_copy(t->key, sizeof t->key, db_str(s, 0));
	str_copy(t->label, sizeof t->label, db_str(s, 1));
	str_copy(t->invite, sizeof t->invite, db_str(s, 2));
	t->sanhui = db_int(s, 3) != 0;
	t->minutes = db_int(s, 4) != 0;
	t->active = db_int(s, 5) != 0;
	t->pos = db_int(s, 6);
	t->in_use = db_int(s, 7);
}

int meeting_types_load(db *d, bool active_only, struct meeting_type *out, int max)
{
	int n = 0;
	db_stmt *s = db_query(d, TYPE_SELECT "WHERE (CAST(? AS BIGINT) = 0 OR t.active = 1) ORDER BY t.pos, t.key", "I",
			      active_only ? (int64_t)1 : (int64_t)0);
	while (db_next(s) && n < max)
		type_row(s, &out[n++]);
	db_done(s);
	return n;
}

bool meeting_type_get(db *d, const char *key, struct meeting_type *t)
{
	if (!key || !*key)
		return false;
	db_stmt *s = db_query(d, TYPE_SELECT "WHERE t.key = ?", "t", key);
	bool ok = db_next(s);
	if (ok)
		type_row(s, t);
	db_done(s);
	return ok;
}

const char *meeting_type_name(db *d, const char *key, char out[64])
{
	str_copy(out, 64, key ? key : "");
	db_stmt *s = db_query(d, "SELECT label FROM meeting_types WHERE key = ?", "t", key ? key : "");
	if (db_next(s))
		str_copy(out, 64, db_str(s, 0));
	db_done(s);
	return out;
}

int meeting_type_index(const struct meeting_type *v, int n, const char *key)
{
	for (int i = 0; key && i < n; i++)
		if (!strcmp(v[i].key, key))
			return i;
	return -1;
}

static bool invite_valid(const char *invite)
{
	for (int i = 0; invite && meeting_invites[i]; i++)
		if (!strcmp(meeting_invites[i], invite))
			return true;
	return false;
}

/* A type's name: 2..20 characters, not another type's. */
static void type_label_check(db *d, const char *key, const char *label, struct field_errors *e)
{
	if (!text_given(label)) {
		ferr_add(e, "label", "请填写会议类型名称");
		return;
	}
	if (!utf8_valid(label) || utf8_len(label) < 2 || utf8_len(label) > 20 || strspn(label, " \t") > 0) {
		ferr_add(e, "label", "会议类型名称应为2到20个字，开头不能是空格");
		return;
	}
	if (db_int1(d, 0, "SELECT COUNT(*) FROM meeting_types WHERE label = ? AND key <> ?", "tt", label, key ? key : ""))
		ferr_add(e, "label", "已有名为“%s”的会议类型", label);
}

static void flag_check(struct field_errors *e, const char *field, const char *label, int v)
{
	if (v != -1 && v != 0 && v != 1)
		ferr_add(e, field, "%s应为是或否", label);
}

enum dj_result meeting_type_add(db *d, const struct actor *a, const struct meeting_type_input *in, int64_t now, char key[16], struct field_errors *e)
{
	if (!permission_allows(&perm_meeting_types, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有镇党委或系统管理员可以设置会议类型");
	type_label_check(d, NULL, in->label, e);
	const char *invite = in->invite && *in->invite ? in->invite : "branch";
	if (!invite_valid(invite))
		ferr_add(e, "invite", "参会人员应为支部全体党员（branch）、党小组成员（group）或支委成员（committee）");
	flag_check(e, "sanhui", "是否计入三会一课", in->sanhui);
	flag_check(e, "minutes", "是否需要会议记录", in->minutes);
	if (e->n)
		return DJ_INVALID;
	if (db_int1(d, 0, "SELECT COUNT(*) FROM meeting_types", "") >= MEETING_TYPES_MAX)
		return dj_fail(e, DJ_CONFLICT, "会议类型已有%d种，请先停用或改名已有的类型", MEETING_TYPES_MAX);
	/* a key of our own making: t + the next position (the name is what people read) */
	int64_t pos = db_int1(d, 0, "SELECT COALESCE(MAX(pos), 0) + 1 FROM meeting_types", "");
	snprintf(key, 16, "t%lld", (long long)pos);
	int sanhui = in->sanhui == 1, minutes = in->minutes != 0;
	if (db_run(d, "INSERT INTO meeting_types (key, label, invite, sanhui, minutes, pos, active, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
		   "tttIIII", key, in->label, invite, (int64_t)sanhui, (int64_t)minutes, pos, now) != DB_OK)
		return DJ_DB_ERROR;
	char sum[300];
	snprintf(sum, sizeof sum, "新增会议类型“%s”：参会人员%s，%s三会一课，%s会议记录", in->label, meeting_invite_label(invite),
		 sanhui ? "计入" : "不计入", minutes ? "需要" : "不需要");
	if (audit_write(d, a, "meeting.type_add", "meeting_type", pos, a->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result meeting_type_set(db *d, const struct actor *a, const char *key, const struct meeting_type_input *in, struct field_errors *e)
{
	if (!permission_allows(&perm_meeting_types, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有镇党委或系统管理员可以设置会议类型");
	struct meeting_type t;
	if (!meeting_type_get(d, key, &t))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "会议类型不存在");
	if (in->label)
		type_label_check(d, t.key, in->label, e);
	if (in->invite && !invite_valid(in->invite))
		ferr_add(e, "invite", "参会人员应为支部全体党员（branch）、党小组成员（group）或支委成员（committee）");
	/* the seven keep who they invite: the planning rules of 支委会 and 党小组会 are theirs */
	else if (in->invite && type_seeded(t.key) && strcmp(in->invite, t.invite) != 0)
		ferr_add(e, "invite", "内置会议类型的参会人员不能修改");
	flag_check(e, "sanhui", "是否计入三会一课", in->sanhui);
	flag_check(e, "minutes", "是否需要会议记录", in->minutes);
	flag_check(e, "active", "是否启用", in->active);
	if (e->n)
		return DJ_INVALID;
	const char *label = in->label ? in->label : t.label, *invite = in->invite ? in->invite : t.invite;
	int sanhui = in->sanhui == -1 ? t.sanhui : in->sanhui, minutes = in->minutes == -1 ? t.minutes : in->minutes,
	    active = in->active == -1 ? t.active : in->active;
	if (db_run(d, "UPDATE meeting_types SET label = ?, invite = ?, sanhui = ?, minutes = ?, active = ? WHERE key = ?", "ttIIIt", label, invite,
		   (int64_t)sanhui, (int64_t)minutes, (int64_t)active, t.key) != DB_OK)
		return DJ_DB_ERROR;
	char sum[400];
	bool renamed = strcmp(label, t.label) != 0;
	snprintf(sum, sizeof sum, "会议类型“%s”%s%s%s：参会人员%s，%s三会一课，%s会议记录%s", t.label, renamed ? "改名为“" : "", renamed ? label : "",
		 renamed ? "”" : "", meeting_invite_label(invite), sanhui ? "计入" : "不计入", minutes ? "需要" : "不需要",
		 active == (int)t.active ? ""
		 : active                ? "（恢复启用）"
					 : "（停用：不再用于新会议）");
	if (audit_write(d, a, "meeting.type_set", "meeting_type", t.pos, a->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result meeting_type_delete(db *d, const struct actor *a, const char *key, struct field_errors *e)
{
	if (!permission_allows(&perm_meeting_types, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有镇党委或系统管理员可以设置会议类型");
	struct meeting_type t;
	if (!meeting_type_get(d, key, &t))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "会议类型不存在");
	if (type_seeded(t.key))
		return dj_fail(e, DJ_CONFLICT, "“%s”是内置会议类型，不能删除；不再使用请停用", t.label);
	if (t.in_use)
		return dj_fail(e, DJ_CONFLICT, "“%s”已有%lld条会议、计划或频次记录，不能删除；不再使用请停用", t.label, (long long)t.in_use);
	if (db_run(d, "DELETE FROM meeting_types WHERE key = ?", "t", t.key) != DB_OK)
		return DJ_DB_ERROR;
	char sum[160];
	snprintf(sum, sizeof sum, "删除未使用的会议类型“%s”", t.label);
	if (audit_write(d, a, "meeting.type_delete", "meeting_type", t.pos, a->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

/* ---- requirements ---- */

int meeting_requirements(db *d, struct meeting_requirement *out, int max)
{
	int n = 0;
	/* only types that count toward 三会一课 and are in use: a retired type is planned no more, so it cannot be required */
	db_stmt *s = db_query(
		d,
		"SELECT q.type, q.months, t.invite FROM meeting_requirements q JOIN meeting_types t ON t.key = q.type WHERE t.sanhui = 1 AND "
		"t.active = 1 ORDER BY q.months, t.pos",
		"");
	while (db_next(s) && n < max) {
		str_copy(out[n].type, sizeof out[n].type, db_str(s, 0));
		out[n].months = (int)db_int(s, 1);
		str_copy(out[n].invite, sizeof out[n].invite, db_str(s, 2));
		n++;
	}
	db_done(s);
	return n;
}

enum dj_result meeting_requirement_set(db *d, const struct actor *a, const char *type, int months, struct field_errors *e)
{
	if (!permission_allows(&perm_meeting_plan, a) || strcmp(actor_scope(a), "/") != 0)
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有系统管理员可以设置三会一课频次");
	struct meeting_type t;
	if (!meeting_type_get(d, type, &t)) {
		ferr_add(e, "type", "会议类型不正确");
		return DJ_INVALID;
	}
	if (months && !t.sanhui) {
		ferr_add(e, "type", "“%s”不计入三会一课，不能设置频次", t.label);
		return DJ_INVALID;
	}
	if (months != 0 && months != 1 && months != 3 && months != 6 && months != 12) {
		ferr_add(e, "months", "频次应为每1、3、6或12个月一次（0为不作要求）");
		return DJ_INVALID;
	}
	int rc = months ? db_run(d,
				 "INSERT INTO meeting_requirements (type, months) VALUES (?, ?) ON CONFLICT (type) DO UPDATE SET months = "
				 "excluded.months",
				 "ti", type, months)
			: db_run(d, "DELETE FROM meeting_requirements WHERE type = ?", "t", type);
	char sum[160];
	snprintf(sum, sizeof sum, "%s：%s", t.label, months ? (months == 1 ? "每月" : months == 3 ? "每季度" : "按月数") : "不作要求");
	if (rc != DB_OK || audit_write(d, a, "meeting.requirement", "meeting_requirement", months, a->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

/* ---- meetings ---- */

#define MEETING_SELECT                                                                                                                         \
	"SELECT m.id, m.org_id, COALESCE(m.plan_id, 0), o.name, o.path, o.type, m.type, m.theme, m.place, m.content, m.starts_at, m.ends_at, " \
	"COALESCE(m.host_member_id, 0), COALESCE(m.recorder_member_id, 0), COALESCE(h.name, ''), COALESCE(rc.name, ''), m.state, m.minutes, "  \
	"m.topics, m.cancel_reason, m.youth, m.masses, COALESCE(m.held_at, 0), m.created_at, COALESCE(ty.label, m.type) "                      \
	"FROM meetings m JOIN orgs o ON o.id = m.org_id LEFT JOIN members h ON h.id = m.host_member_id "                                       \
	"LEFT JOIN members rc ON rc.id = m.recorder_member_id LEFT JOIN meeting_types ty ON ty.key = m.type "

static void meeting_row(db_stmt *s, struct meeting *m)
{
	memset(m, 0, sizeof *m);
	m->id = db_int(s, 0);
	m->org_id = db_int(s, 1);
	m->plan_id = db_int(s, 2);
	str_copy(m->org_name, sizeof m->org_name, db_str(s, 3));
	str_copy(m->org_path, sizeof m->org_path, db_str(s, 4));
	str_copy(m->org_type, sizeof m->org_type, db_str(s, 5));
	str_copy(m->type, sizeof m->type, db_str(s, 6));
	str_copy(m->theme, sizeof m->theme, db_str(s, 7));
	str_copy(m->place, sizeof m->place, db_str(s, 8));
	str_copy(m->content, sizeof m->content, db_str(s, 9));
	m->starts_at = db_int(s, 10);
	m->ends_at = db_int(s, 11);
	m->host_member_id = db_int(s, 12);
	m->recorder_member_id = db_int(s, 13);
	str_copy(m->host_name, sizeof m->host_name, db_str(s, 14));
	str_copy(m->recorder_name, sizeof m->recorder_name, db_str(s, 15));
	str_copy(m->state, sizeof m->state, db_str(s, 16));
	str_copy(m->minutes, sizeof m->minutes, db_str(s, 17));
	str_copy(m->topics, sizeof m->topics, db_str(s, 18));
	str_copy(m->cancel_reason, sizeof m->cancel_reason, db_str(s, 19));
	m->youth = db_int(s, 20);
	m->masses = db_int(s, 21);
	m->held_at = db_int(s, 22);
	m->created_at = db_int(s, 23);
	str_copy(m->type_label, sizeof m->type_label, db_str(s, 24));
}

static void meeting_counts(db *d, struct meeting *m)
{
	db_stmt *s = db_query(
		d,
		"SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'present' THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN status = 'leave' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN status = 'absent' THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN status = 'leave_requested' THEN 1 ELSE 0 END), 0) FROM meeting_attendance WHERE meeting_id = ?",
		"I", m->id);
	if (db_next(s)) {
		m->invited = db_int(s, 0);
		m->present = db_int(s, 1);
		m->on_leave = db_int(s, 2);
		m->absent = db_int(s, 3);
		m->leave_requested = db_int(s, 4);
	}
	db_done(s);
}

bool meeting_load(db *d, int64_t id, struct meeting *m)
{
	db_stmt *s = db_query(d, MEETING_SELECT "WHERE m.id = ?", "I", id);
	bool ok = db_next(s);
	if (ok)
		meeting_row(s, m);
	db_done(s);
	if (ok)
		meeting_counts(d, m);
	return ok;
}

int64_t meeting_held_first(db *d, const char *org_path, const char *type, int64_t t0, int64_t t1)
{
	return db_int1(d, 0,
		       "SELECT m.id FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE m.state = 'held' AND m.type = ? AND m.starts_at >= ? AND "
		       "m.starts_at < ? AND o.path LIKE ? || '%' ORDER BY m.starts_at, m.id LIMIT 1",
		       "tIIt", type, t0, t1, org_path);
}

int64_t meeting_held_count(db *d, const char *org_path, const char *type, int64_t t0, int64_t t1)
{
	return db_int1(d, 0,
		       "SELECT COUNT(*) FROM meetings m WHERE m.state = 'held' AND m.type = ? AND m.starts_at >= ? AND m.starts_at < ? AND m.org_id IN "
		       "(SELECT o.id FROM orgs o WHERE o.path LIKE ? || '%')",
		       "tIIt", type, t0, t1, org_path);
}

void meeting_held_each(db *d, const char *org_path, const char *type, int64_t t0, int64_t t1, void (*fn)(void *ctx, const struct meeting_held_row *h),
		       void *ctx)
{
	db_stmt *s = db_query(
		d,
		"SELECT m.id, m.type, m.theme, m.starts_at, COALESCE(ty.label, m.type) FROM meetings m LEFT JOIN meeting_types ty ON ty.key = "
		"m.type WHERE m.state = 'held' AND (? = '' OR m.type = ?) AND m.starts_at >= ? AND m.starts_at < ? AND m.org_id IN (SELECT o.id "
		"FROM orgs o WHERE o.path LIKE ? || '%') ORDER BY m.starts_at, m.id",
		"ttIIt", type ? type : "", type ? type : "", t0, t1, org_path);
	while (db_next(s)) {
		struct meeting_held_row h = {db_int(s, 0), db_str(s, 1), db_str(s, 2), db_int(s, 3), db_str(s, 4)};
		fn(ctx, &h);
	}
	db_done(s);
}

int64_t meeting_upcoming_count(db *d, const struct actor *a, int64_t now)
{
	int64_t me = meeting_actor_member(d, a);
	if (!me)
		return 0;
	return db_int1(d, 0,
		       "SELECT COUNT(*) FROM meeting_attendance t JOIN meetings m ON m.id = t.meeting_id WHERE t.member_id = ? AND m.state = 'planned' "
		       "AND m.ends_at >= ?",
		       "II", me, now);
}

int64_t decision_open_count(db *d, const struct actor *a, int64_t now, int64_t *overdue)
{
	*overdue = 0;
	int64_t me = meeting_actor_member(d, a), n = 0;
	if (!me)
		return 0;
	char today[11];
	meeting_date_of(now, today);
	db_stmt *s = db_query(d,
			      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN deadline < ? THEN 1 ELSE 0 END), 0) FROM decisions WHERE owner_member_id = ? AND "
			      "state = 'open'",
			      "tI", today, me);
	if (db_next(s)) {
		n = db_int(s, 0);
		*overdue = db_int(s, 1);
	}
	db_done(s);
	return n;
}

static bool invited(db *d, int64_t meeting_id, int64_t member_id, char status[24])
{
	db_stmt *s = db_query(d, "SELECT status FROM meeting_attendance WHERE meeting_id = ? AND member_id = ?", "II", meeting_id, member_id);
	bool ok = db_next(s);
	if (status)
		str_copy(status, 24, ok ? db_str(s, 0) : "");
	db_done(s);
	return ok;
}

bool meeting_visible(db *d, const struct actor *a, const struct meeting *m)
{
	if (actor_covers(a, m->org_path))
		return true;
	int64_t me = meeting_actor_member(d, a);
	return me && invited(d, m->id, me, NULL);
}

void meeting_my_status(db *d, const struct actor *a, int64_t id, char status[24])
{
	int64_t me = meeting_actor_member(d, a);
	status[0] = 0;
	if (me)
		invited(d, id, me, status);
}

enum dj_result meeting_plan(db *d, const struct actor *a, const struct meeting_new *n, int64_t now, int64_t *id_out, struct field_errors *e)
{
	if (!permission_allows(&perm_meeting_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "您的角色不能安排会议");
	int64_t branch = 0;
	char bpath[256] = "", otype[16] = "";
	if (!n->org_id || !branch_of(d, n->org_id, &branch, bpath, otype)) {
		ferr_add(e, "org", "请选择召开会议的党支部（党小组）");
		return DJ_INVALID;
	}
	struct meeting o;
	memset(&o, 0, sizeof o);
	db_stmt *s = db_query(d, "SELECT path, name FROM orgs WHERE id = ?", "I", n->org_id);
	if (db_next(s)) {
		str_copy(o.org_path, sizeof o.org_path, db_str(s, 0));
		str_copy(o.org_name, sizeof o.org_name, db_str(s, 1));
	}
	db_done(s);
	if (!actor_covers(a, o.org_path))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "组织不存在或不在您的管辖范围内");
	if (strcmp(otype, "branch") != 0 && strcmp(otype, "group") != 0) {
		ferr_add(e, "org", "会议应由党支部或党小组召开");
		return DJ_INVALID;
	}
	const char *type = n->type ? n->type : "";
	struct meeting_type mt;
	bool by_group = false;
	if (!meeting_type_get(d, type, &mt))
		ferr_add(e, "type", "请选择会议类型");
	else if (!mt.active)
		ferr_add(e, "type", "会议类型“%s”已停用，不能再安排", mt.label);
	else if ((by_group = !strcmp(mt.invite, "group")) != !strcmp(otype, "group")) {
		if (by_group)
			ferr_add(e, "type", "%s应由党小组召开，请选择党小组", mt.label);
		else
			ferr_add(e, "type", "%s", "党小组只能召开党小组会");
	}
	/* a monthly plan fills what the branch left empty: the village inherits and adapts */
	char ptheme[256] = "", pcontent[4096] = "";
	if (n->plan_id) {
		s = db_query(d, "SELECT p.theme, p.content FROM meeting_plans p JOIN orgs c ON c.id = p.org_id WHERE p.id = ? AND ? LIKE c.path || '%'",
			     "It", n->plan_id, o.org_path);
		bool found = db_next(s);
		if (found) {
			str_copy(ptheme, sizeof ptheme, db_str(s, 0));
			str_copy(pcontent, sizeof pcontent, db_str(s, 1));
		}
		db_done(s);
		if (!found)
			ferr_add(e, "plan_id", "月度计划不存在或不适用于该组织");
	}
	const char *theme = text_given(n->theme) ? n->theme : ptheme;
	const char *content = text_given(n->content) ? n->content : pcontent;
	need_text(e, "theme", "会议主题（定主题）", theme, 100);
	need_text(e, "place", "会议地点（定地点）", n->place, 100);
	need_text(e, "content", "会议内容（定内容）", content, 2000);
	int64_t t0 = 0, t1 = 0;
	if (!text_given(n->date))
		ferr_add(e, "date", "请填写会议日期（定时间）");
	else if (!date_valid(n->date))
		ferr_add(e, "date", "会议日期应为 YYYY-MM-DD");
	else if (!text_given(n->start))
		ferr_add(e, "start", "请填写开始时间（定时间）");
	else if (!meeting_time_parse(n->date, n->start, &t0))
		ferr_add(e, "start", "开始时间应为 HH:MM");
	else if (!text_given(n->end))
		ferr_add(e, "end", "请填写结束时间");
	else if (!meeting_time_parse(n->date, n->end, &t1) || t1 <= t0)
		ferr_add(e, "end", "结束时间应晚于开始时间（HH:MM）");
	char hname[96] = "", rname[96] = "";
	if (n->host_member_id && !member_in(d, n->host_member_id, bpath, hname))
		ferr_add(e, "host_member_id", "主持人应为本支部党员");
	if (n->recorder_member_id && !member_in(d, n->recorder_member_id, bpath, rname))
		ferr_add(e, "recorder_member_id", "记录人应为本支部党员");
	if (e->n)
		return DJ_INVALID;
	s = db_query(d,
		     "INSERT INTO meetings (org_id, type, plan_id, theme, starts_at, ends_at, place, content, host_member_id, recorder_member_id, state, "
		     "created_by, created_at, updated_at) VALUES (?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), "
		     "NULLIF(CAST(? AS BIGINT), 0), 'planned', NULLIF(CAST(? AS BIGINT), 0), ?, ?) RETURNING id",
		     "ItItIIttIIIII", n->org_id, type, n->plan_id ? n->plan_id : (int64_t)0, theme, t0, t1, n->place, content, n->host_member_id,
		     n->recorder_member_id, a->user_id, now, now);
	int64_t id = db_next(s) ? db_int(s, 0) : 0;
	if (db_done(s) != DB_OK || !id)
		return DJ_DB_ERROR;
	/* the invitees: the 书记 and 委员 for 支委会 (everyone when none is recorded), the group's for 党小组会, else the branch's */
	const char *path = by_group ? o.org_path : bpath;
	bool committee = !strcmp(mt.invite, "committee");
	int rc = DB_OK;
	if (committee)
		rc = db_run(
			d,
			"INSERT INTO meeting_attendance (meeting_id, member_id, status) SELECT ?, m.id, 'invited' FROM members m WHERE m.org_id IN (SELECT "
			"o.id FROM orgs o WHERE o.path LIKE ? || '%') AND m.status NOT IN ('stopped', 'transferred') AND EXISTS (SELECT 1 FROM member_duties "
			"du WHERE du.member_id = m.id AND du.duty IN ('书记', '副书记', '委员'))",
			"It", id, path);
	if (rc == DB_OK && (!committee || db_changes(d) == 0))
		rc = db_run(
			d,
			"INSERT INTO meeting_attendance (meeting_id, member_id, status) SELECT ?, m.id, 'invited' FROM members m WHERE m.org_id IN (SELECT "
			"o.id FROM orgs o WHERE o.path LIKE ? || '%') AND m.status NOT IN ('stopped', 'transferred')",
			"It", id, path);
	if (rc != DB_OK)
		return DJ_DB_ERROR;
	char when[20], text[600], sum[400];
	fmt_time(t0, when);
	snprintf(text, sizeof text, "会议通知：%s %s「%s」，%s 在%s召开", o.org_name, mt.label, theme, when, n->place);
	snprintf(sum, sizeof sum, "%s「%s」%s %s", mt.label, theme, when, n->place);
	if (notify_invitees(d, id, text, now) != DB_OK || audit_write(d, a, "meeting.plan", "meeting", id, n->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	if (id_out)
		*id_out = id;
	return DJ_OK;
}

/* Loads a meeting the actor manages: DJ_NOT_FOUND outside its view, DJ_FORBIDDEN for a role that may not. */
static enum dj_result managed(db *d, const struct actor *a, int64_t id, struct meeting *m, struct field_errors *e)
{
	if (!meeting_load(d, id, m) || !meeting_visible(d, a, m))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "会议不存在");
	if (!staff_covers(a, m->org_path))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有本支部书记（委员）或上级党委可以操作");
	return DJ_OK;
}

enum dj_result meeting_hold(db *d, const struct actor *a, int64_t id, const struct meeting_held *h, int64_t now, struct field_errors *e)
{
	struct meeting m;
	enum dj_result res = managed(d, a, id, &m, e);
	if (res != DJ_OK)
		return res;
	if (!meeting_find(m.state, "hold", a->role))
		return dj_fail(e, DJ_CONFLICT, "会议%s，不能再登记召开", meeting_state_label(m.state));
	if (now < m.starts_at)
		return dj_fail(e, DJ_CONFLICT, "%s", "会议还没有开始，不能登记为已召开");
	/* the type says whether its meetings need minutes (all seven seeded ones do) */
	struct meeting_type mt;
	bool need_minutes = !meeting_type_get(d, m.type, &mt) || mt.minutes;
	if (need_minutes || text_given(h->minutes))
		need_text(e, "minutes", "会议记录", h->minutes, 8000);
	if (h->topics && (!utf8_valid(h->topics) || utf8_len(h->topics) > 1000))
		ferr_add(e, "topics", "议题不能超过1000个字");
	if (h->youth < 0 || h->youth > 9999)
		ferr_add(e, "youth", "进步青年人数应为0到9999");
	if (h->masses < 0 || h->masses > 9999)
		ferr_add(e, "masses", "群众代表人数应为0到9999");
	size_t nreps = 0;
	for (const char *const *r = h->reps; r && *r; r++, nreps++)
		if (!text_given(*r) || !utf8_valid(*r) || utf8_len(*r) > 32) {
			ferr_add(e, "reps", "群众代表姓名应为1到32个字");
			break;
		}
	if (nreps > 200)
		ferr_add(e, "reps", "群众代表最多200人");
	if (!e->n && (int64_t)nreps > h->masses)
		ferr_add(e, "masses", "群众代表人数不能少于列出姓名的%zu人", nreps);
	if (e->n)
		return DJ_INVALID;
	/* whoever did not come and has no approved leave is absent (a request nobody approved is not leave) */
	if (db_run(d, "UPDATE meeting_attendance SET status = 'absent' WHERE meeting_id = ? AND status IN ('invited', 'leave_requested')", "I", id) !=
		    DB_OK ||
	    db_run(d,
		   "UPDATE meetings SET state = 'held', minutes = ?, topics = ?, youth = ?, masses = ?, held_at = ?, updated_at = ? WHERE id = ? AND "
		   "state = 'planned'",
		   "ttIIIII", h->minutes ? h->minutes : "", h->topics ? h->topics : "", h->youth, h->masses, now, now, id) != DB_OK)
		return DJ_DB_ERROR;
	for (const char *const *r = h->reps; r && *r; r++)
		if (db_run(d, "INSERT INTO meeting_guests (meeting_id, name) VALUES (?, ?)", "It", id, *r) != DB_OK)
			return DJ_DB_ERROR;
	/* points (SPEC M6) in this transaction: attended, or absent without
	 * approved leave; leave is neither. Idempotent per (member, event, meeting). */
	struct id_list award[2] = {{0}}; /* [0] absent, [1] present: every invitee, however many */
	bool ok = true;
	db_stmt *s = db_query(
		d, "SELECT member_id, status FROM meeting_attendance WHERE meeting_id = ? AND status IN ('present', 'absent') ORDER BY member_id", "I",
		id);
	while (db_next(s))
		ok = ok && id_push(&award[!strcmp(db_str(s, 1), "present")], db_int(s, 0));
	enum dj_result pr = db_done(s) == DB_OK && ok ? DJ_OK : DJ_DB_ERROR;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; pr == DJ_OK && i < award[k].n; i++)
			pr = points_award(d, a, award[k].v[i], k ? "meeting_attended" : "meeting_absent", "meeting", id, 1, m.starts_at, e);
	free(award[0].v);
	free(award[1].v);
	if (pr != DJ_OK)
		return pr;
	meeting_counts(d, &m);
	char sum[700];
	snprintf(sum, sizeof sum, "%s「%s」已召开：应到%lld人，出席%lld人，请假%lld人，缺席%lld人；进步青年%lld人，群众代表%lld人", m.type_label, m.theme,
		 (long long)m.invited, (long long)m.present, (long long)m.on_leave, (long long)m.absent, (long long)h->youth, (long long)h->masses);
	if (audit_write(d, a, "meeting.hold", "meeting", id, m.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result meeting_cancel(db *d, const struct actor *a, int64_t id, const char *reason, int64_t now, struct field_errors *e)
{
	struct meeting m;
	enum dj_result res = managed(d, a, id, &m, e);
	if (res != DJ_OK)
		return res;
	if (!meeting_find(m.state, "cancel", a->role))
		return dj_fail(e, DJ_CONFLICT, "会议%s，不能取消", meeting_state_label(m.state));
	if (!need_text(e, "reason", "取消原因", reason, 500))
		return DJ_INVALID;
	if (db_run(d, "UPDATE meetings SET state = 'cancelled', cancel_reason = ?, updated_at = ? WHERE id = ? AND state = 'planned'", "tII", reason, now,
		   id) != DB_OK)
		return DJ_DB_ERROR;
	char text[600], sum[600];
	snprintf(text, sizeof text, "会议取消：%s「%s」已取消，原因：%s", m.type_label, m.theme, reason);
	snprintf(sum, sizeof sum, "%s「%s」取消：%s", m.type_label, m.theme, reason);
	if (notify_invitees(d, id, text, now) != DB_OK || audit_write(d, a, "meeting.cancel", "meeting", id, m.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result meeting_mark(db *d, const struct actor *a, int64_t id, int64_t member_id, const char *status, const char *reason, int64_t now,
			    struct field_errors *e)
{
	struct meeting m;
	enum dj_result res = managed(d, a, id, &m, e);
	if (res != DJ_OK)
		return res;
	if (strcmp(m.state, "planned") != 0)
		return dj_fail(e, DJ_CONFLICT, "会议%s，考勤不能再改", meeting_state_label(m.state));
	if (now < m.starts_at - MEETING_SIGNIN_BEFORE)
		return dj_fail(e, DJ_CONFLICT, "%s", "会前30分钟起才能登记考勤");
	char cur[24], name[96] = "";
	if (!member_id || !invited(d, id, member_id, cur) || !member_in(d, member_id, "/", name)) {
		ferr_add(e, "member_id", "该党员不在本次会议的参会名单中");
		return DJ_INVALID;
	}
	const char *st = status ? status : "";
	if (strcmp(st, "present") != 0 && strcmp(st, "absent") != 0 && strcmp(st, "leave") != 0) {
		ferr_add(e, "status", "考勤应为出席、请假或缺席");
		return DJ_INVALID;
	}
	if (!strcmp(st, "leave") && !need_text(e, "reason", "请假原因", reason, 200))
		return DJ_INVALID;
	if (db_run(d,
		   "UPDATE meeting_attendance SET status = ?, how = 'hand', signed_at = CASE WHEN ? = 'present' THEN CAST(? AS BIGINT) ELSE NULL END, "
		   "leave_reason = ?, decided_by = NULLIF(CAST(? AS BIGINT), 0) WHERE meeting_id = ? AND member_id = ?",
		   "ttItIII", st, st, now, !strcmp(st, "leave") ? reason : "", a->user_id, id, member_id) != DB_OK)
		return DJ_DB_ERROR;
	char sum[600];
	snprintf(sum, sizeof sum, "「%s」%s：%s（手工登记）", m.theme, name, attendance_status_label(st));
	if (audit_write(d, a, "meeting.attendance", "meeting", id, m.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result meeting_mark_present(db *d, const struct actor *a, int64_t id, const int64_t *member_ids, size_t n, int64_t now, struct field_errors *e)
{
	struct meeting m;
	enum dj_result res = managed(d, a, id, &m, e);
	if (res != DJ_OK)
		return res;
	if (strcmp(m.state, "planned") != 0)
		return dj_fail(e, DJ_CONFLICT, "会议%s，考勤不能再改", meeting_state_label(m.state));
	if (now < m.starts_at - MEETING_SIGNIN_BEFORE)
		return dj_fail(e, DJ_CONFLICT, "%s", "会前30分钟起才能登记考勤");
	int64_t done = 0;
	for (size_t i = 0; i < n; i++) {
		if (db_run(d,
			   "UPDATE meeting_attendance SET status = 'present', how = 'hand', signed_at = ?, leave_reason = '', decided_by = NULLIF(CAST(? AS "
			   "BIGINT), 0) WHERE meeting_id = ? AND member_id = ? AND status <> 'present'",
			   "IIII", now, a->user_id, id, member_ids[i]) != DB_OK)
			return DJ_DB_ERROR;
		done += db_changes(d);
	}
	char sum[600];
	snprintf(sum, sizeof sum, "「%s」%lld人出席（手工登记）", m.theme, (long long)done);
	if (audit_write(d, a, "meeting.attendance", "meeting", id, m.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result meeting_leave_request(db *d, const struct actor *a, int64_t id, const char *reason, int64_t now, struct field_errors *e)
{
	struct meeting m;
	int64_t me = meeting_actor_member(d, a);
	char cur[24];
	if (!meeting_load(d, id, &m) || !meeting_visible(d, a, &m))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "会议不存在");
	if (!me || !invited(d, id, me, cur))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "您不在本次会议的参会名单中");
	if (strcmp(m.state, "planned") != 0 || now >= m.starts_at)
		return dj_fail(e, DJ_CONFLICT, "%s", "会议已经开始或结束，不能再请假");
	if (strcmp(cur, "invited") != 0 && strcmp(cur, "leave_requested") != 0)
		return dj_fail(e, DJ_CONFLICT, "您的考勤已是“%s”", attendance_status_label(cur));
	if (!need_text(e, "reason", "请假原因", reason, 200))
		return DJ_INVALID;
	if (db_run(d, "UPDATE meeting_attendance SET status = 'leave_requested', leave_reason = ? WHERE meeting_id = ? AND member_id = ?", "tII", reason,
		   id, me) != DB_OK)
		return DJ_DB_ERROR;
	char text[600];
	snprintf(text, sizeof text, "请假申请：%s 申请不参加「%s」，原因：%s", a->name, m.theme, reason);
	int64_t branch;
	char bpath[256], otype[16];
	if (!branch_of(d, m.org_id, &branch, bpath, otype))
		branch = m.org_id;
	if (notify_org_role(d, branch, "branch", "meeting", "meeting", id, text, now) != DB_OK ||
	    audit_write(d, a, "meeting.leave", "meeting", id, m.org_id, text) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result meeting_leave_decide(db *d, const struct actor *a, int64_t id, int64_t member_id, bool approve, int64_t now, struct field_errors *e)
{
	struct meeting m;
	enum dj_result res = managed(d, a, id, &m, e);
	if (res != DJ_OK)
		return res;
	char cur[24], name[96] = "";
	if (!invited(d, id, member_id, cur) || strcmp(cur, "leave_requested") != 0)
		return dj_fail(e, DJ_CONFLICT, "%s", "没有待审批的请假申请");
	if (strcmp(m.state, "planned") != 0)
		return dj_fail(e, DJ_CONFLICT, "会议%s，不能再审批请假", meeting_state_label(m.state));
	member_in(d, member_id, "/", name);
	if (db_run(d,
		   "UPDATE meeting_attendance SET status = ?, decided_by = NULLIF(CAST(? AS BIGINT), 0), leave_reason = CASE WHEN ? = 'leave' THEN "
		   "leave_reason ELSE '' END WHERE meeting_id = ? AND member_id = ?",
		   "tItII", approve ? "leave" : "invited", a->user_id, approve ? "leave" : "invited", id, member_id) != DB_OK)
		return DJ_DB_ERROR;
	char sum[600];
	snprintf(sum, sizeof sum, "「%s」%s的请假：%s", m.theme, name, approve ? "批准" : "不批准");
	int64_t uid = db_int1(d, 0, "SELECT COALESCE(user_id, 0) FROM members WHERE id = ?", "I", member_id);
	if ((uid && notify_user(d, uid, "meeting", "meeting", id, sum, now) != DB_OK) ||
	    audit_write(d, a, "meeting.leave_decide", "meeting", id, m.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

void meeting_each_attendee(db *d, int64_t id, void (*fn)(void *ctx, const struct attendee *at), void *ctx)
{
	db_stmt *s = db_query(
		d,
		"SELECT t.member_id, m.name, t.status, t.how, t.leave_reason, COALESCE(t.signed_at, 0) FROM meeting_attendance t JOIN members "
		"m ON m.id = t.member_id WHERE t.meeting_id = ? ORDER BY CASE t.status WHEN 'leave_requested' THEN 0 WHEN 'invited' THEN 1 "
		"ELSE 2 END, m.name, m.id",
		"I", id);
	while (db_next(s)) {
		struct attendee at = {db_int(s, 0), db_str(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_int(s, 5)};
		fn(ctx, &at);
	}
	db_done(s);
}

void meeting_each_guest(db *d, int64_t id, void (*fn)(void *ctx, const char *name), void *ctx)
{
	db_stmt *s = db_query(d, "SELECT name FROM meeting_guests WHERE meeting_id = ? ORDER BY id", "I", id);
	while (db_next(s))
		fn(ctx, db_str(s, 0));
	db_done(s);
}

enum dj_result meeting_list(db *d, const struct actor *a, const char *month, const char *type, int limit, meeting_row_fn fn, void *ctx,
			    struct field_errors *e)
{
	int64_t t0 = 0, t1 = INT64_MAX;
	if (month && *month) {
		char next[8];
		if (!month_start(month, &t0)) {
			ferr_add(e, "month", "月份应为 YYYY-MM");
			return DJ_INVALID;
		}
		month_add(month, 1, next);
		month_start(next, &t1);
	}
	struct meeting_type mt;
	if (type && *type && !meeting_type_get(d, type, &mt)) {
		ferr_add(e, "type", "会议类型不正确");
		return DJ_INVALID;
	}
	if (limit <= 0 || limit > 500)
		limit = 200;
	int64_t me = meeting_actor_member(d, a);
	db_stmt *s = db_query(d,
			      MEETING_SELECT
			      "WHERE (o.path LIKE ? || '%' OR EXISTS (SELECT 1 FROM meeting_attendance t WHERE t.meeting_id = m.id AND "
			      "t.member_id = ?)) AND m.starts_at >= ? AND m.starts_at < ? AND (? = '' OR m.type = ?) ORDER BY m.starts_at DESC, "
			      "m.id DESC LIMIT ?",
			      "tIIIttI", actor_scope(a), me, t0, t1, type ? type : "", type ? type : "", (int64_t)limit);
	struct meeting *rows = calloc((size_t)limit, sizeof *rows);
	int n = 0;
	while (rows && db_next(s) && n < limit)
		meeting_row(s, &rows[n++]);
	int rc = db_done(s);
	for (int i = 0; rc == DB_OK && i < n; i++) {
		meeting_counts(d, &rows[i]);
		fn(ctx, &rows[i]);
	}
	free(rows);
	return rc == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

/* ---- photos ---- */

enum dj_result meeting_photo_add(db *d, const struct actor *a, int64_t id, const void *bytes, size_t len, int64_t now, int64_t *photo_id,
				 struct field_errors *e)
{
	struct meeting m;
	enum dj_result res = managed(d, a, id, &m, e);
	if (res != DJ_OK)
		return res;
	if (!strcmp(m.state, "cancelled") || now < m.starts_at)
		return dj_fail(e, DJ_CONFLICT, "%s", "会议开始后才能上传照片");
	const unsigned char *b = bytes;
	const char *type = len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
			   : len >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8)         ? "image/png"
										    : NULL;
	if (!len) {
		ferr_add(e, "photo", "请选择照片");
		return DJ_INVALID;
	}
	if (!type) {
		ferr_add(e, "photo", "照片应为 JPEG 或 PNG 格式");
		return DJ_INVALID;
	}
	if (len > MEETING_PHOTO_MAX) {
		ferr_add(e, "photo", "照片不能超过 %u MiB", MEETING_PHOTO_MAX >> 20);
		return DJ_INVALID;
	}
	if (db_int1(d, 0, "SELECT COUNT(*) FROM meeting_photos WHERE meeting_id = ?", "I", id) >= MEETING_PHOTOS_MAX)
		return dj_fail(e, DJ_CONFLICT, "每次会议最多上传%d张照片", MEETING_PHOTOS_MAX);
	size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(n);
	if (!b64)
		return DJ_DB_ERROR;
	sodium_bin2base64(b64, n, b, len, sodium_base64_VARIANT_ORIGINAL);
	db_stmt *s = db_query(
		d,
		"INSERT INTO meeting_photos (meeting_id, content_type, size, data, created_by, created_at) VALUES (?, ?, ?, ?, NULLIF(CAST(? AS "
		"BIGINT), 0), ?) RETURNING id",
		"ItItII", id, type, (int64_t)len, b64, a->user_id, now);
	int64_t pid = db_next(s) ? db_int(s, 0) : 0;
	int rc = db_done(s);
	free(b64);
	if (rc != DB_OK || !pid)
		return DJ_DB_ERROR;
	char sum[400];
	snprintf(sum, sizeof sum, "「%s」上传照片（%zu KB）", m.theme, len / 1024);
	if (audit_write(d, a, "meeting.photo", "meeting", id, m.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	if (photo_id)
		*photo_id = pid;
	return DJ_OK;
}

enum dj_result meeting_photo_get(db *d, const struct actor *a, int64_t id, int64_t photo_id, unsigned char **out, size_t *len, char type[16],
				 struct field_errors *e)
{
	struct meeting m;
	*out = NULL;
	*len = 0;
	if (!meeting_load(d, id, &m) || !meeting_visible(d, a, &m))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "照片不存在");
	db_stmt *s = db_query(d, "SELECT content_type, size, data FROM meeting_photos WHERE id = ? AND meeting_id = ?", "II", photo_id, id);
	enum dj_result res = DJ_NOT_FOUND;
	if (db_next(s)) {
		str_copy(type, 16, db_str(s, 0));
		size_t cap = (size_t)db_int(s, 1) + 4;
		const char *b64 = db_str(s, 2);
		*out = malloc(cap);
		res = *out && sodium_base642bin(*out, cap, b64, strlen(b64), NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 ? DJ_OK : DJ_DB_ERROR;
	}
	db_done(s);
	if (res == DJ_NOT_FOUND)
		return dj_fail(e, DJ_NOT_FOUND, "%s", "照片不存在");
	return res;
}

void meeting_each_photo(db *d, int64_t id, void (*fn)(void *ctx, int64_t photo_id), void *ctx)
{
	db_stmt *s = db_query(d, "SELECT id FROM meeting_photos WHERE meeting_id = ? ORDER BY id", "I", id);
	while (db_next(s))
		fn(ctx, db_int(s, 0));
	db_done(s);
}

/* ---- QR sign-in (checkin.h) ---- */

static enum dj_result ck_window(db *d, const struct actor *a, int64_t id, char *title, size_t title_n, int64_t *opens, int64_t *closes)
{
	struct meeting m;
	if (!meeting_load(d, id, &m) || (a && !meeting_visible(d, a, &m)))
		return DJ_NOT_FOUND;
	char when[20];
	fmt_time(m.starts_at, when);
	snprintf(title, title_n, "%s「%s」%s %s", m.type_label, m.theme, when, m.place);
	*opens = m.starts_at - MEETING_SIGNIN_BEFORE;
	/* a meeting that was held or cancelled takes no more check-ins */
	*closes = !strcmp(m.state, "planned") ? m.ends_at : !strcmp(m.state, "held") && m.held_at < m.ends_at ? m.held_at : *opens;
	if (*closes < *opens)
		*closes = *opens;
	return DJ_OK;
}

static enum dj_result ck_may_show(db *d, const struct actor *a, int64_t id)
{
	struct meeting m;
	if (!meeting_load(d, id, &m) || !meeting_visible(d, a, &m))
		return DJ_NOT_FOUND;
	if (staff_covers(a, m.org_path))
		return DJ_OK;
	int64_t me = meeting_actor_member(d, a);
	return me && (me == m.host_member_id || me == m.recorder_member_id) ? DJ_OK : DJ_FORBIDDEN;
}

static enum dj_result ck_scanned(db *d, const struct actor *a, int64_t id, int64_t now, char *done, size_t done_n, struct field_errors *e)
{
	struct meeting m;
	if (!meeting_load(d, id, &m))
		return DJ_NOT_FOUND;
	int64_t me = meeting_actor_member(d, a);
	char cur[24];
	/* only invitees sign in: a member of another branch, or a login without a
	 * roster record, is refused (guests of a 红色七点半 are counted by the
	 * recorder, not signed in) */
	if (!me || !invited(d, id, me, cur))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "您不在本次会议的参会名单中");
	char hm[20];
	fmt_time(now, hm);
	if (!strcmp(cur, "present")) {
		snprintf(done, done_n, "您已签到（%s）", m.theme);
		return DJ_OK;
	}
	if (db_run(d, "UPDATE meeting_attendance SET status = 'present', how = 'qr', signed_at = ? WHERE meeting_id = ? AND member_id = ?", "III", now, id,
		   me) != DB_OK)
		return DJ_DB_ERROR;
	char sum[600];
	snprintf(sum, sizeof sum, "「%s」扫码签到 %s", m.theme, hm + 11);
	if (audit_write(d, a, "meeting.signin", "meeting", id, m.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	snprintf(done, done_n, "已签到 %s · %s", hm + 11, m.theme);
	return DJ_OK;
}

const struct checkin_kind meeting_checkin_kind = {"meeting", "会议", ck_window, ck_may_show, ck_scanned};

/* ---- monthly plans ---- */

enum dj_result meeting_plan_publish(db *d, const struct actor *a, int64_t org_id, const char *month, const char *type, const char *theme,
				    const char *content, int64_t now, int64_t *id_out, struct field_errors *e)
{
	if (!permission_allows(&perm_meeting_plan, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有镇党委可以发布月度计划");
	char path[256] = "", name[168] = "", otype[16] = "";
	db_stmt *s = db_query(d, "SELECT path, name, type FROM orgs WHERE id = ? AND dissolved_at IS NULL", "I", org_id);
	if (db_next(s)) {
		str_copy(path, sizeof path, db_str(s, 0));
		str_copy(name, sizeof name, db_str(s, 1));
		str_copy(otype, sizeof otype, db_str(s, 2));
	}
	db_done(s);
	if (!*path || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "组织不存在或不在您的管辖范围内");
	if (strcmp(otype, "committee") != 0)
		ferr_add(e, "org", "月度计划由镇党委发布");
	int64_t t;
	if (!month_start(month, &t))
		ferr_add(e, "month", "月份应为 YYYY-MM");
	struct meeting_type mt;
	if (!meeting_type_get(d, type ? type : "", &mt))
		ferr_add(e, "type", "请选择会议类型");
	else if (!mt.active)
		ferr_add(e, "type", "会议类型“%s”已停用", mt.label);
	need_text(e, "theme", "主题", theme, 100);
	need_text(e, "content", "内容", content, 2000);
	if (e->n)
		return DJ_INVALID;
	s = db_query(d,
		     "INSERT INTO meeting_plans (org_id, month, type, theme, content, created_by, created_at) VALUES (?, ?, ?, ?, ?, NULLIF(CAST(? AS "
		     "BIGINT), 0), ?) RETURNING id",
		     "IttttII", org_id, month, type, theme, content, a->user_id, now);
	int64_t id = db_next(s) ? db_int(s, 0) : 0;
	if (db_done(s) != DB_OK || !id)
		return DJ_DB_ERROR;
	/* every branch secretary below is told: they plan their own meeting from it */
	int64_t branches[256];
	size_t nb = 0;
	s = db_query(d, "SELECT id FROM orgs WHERE type = 'branch' AND dissolved_at IS NULL AND path LIKE ? || '%' ORDER BY id", "t", path);
	while (db_next(s) && nb < sizeof branches / sizeof branches[0])
		branches[nb++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	char text[400];
	snprintf(text, sizeof text, "%s发布%s月%s计划：%s", name, month + 5, mt.label, theme);
	for (size_t i = 0; i < nb; i++)
		if (notify_org_role(d, branches[i], "branch", "meeting_plan", NULL, 0, text, now) != DB_OK)
			return DJ_DB_ERROR;
	if (audit_write(d, a, "meeting.plan_publish", "meeting_plan", id, org_id, text) != DB_OK)
		return DJ_DB_ERROR;
	if (id_out)
		*id_out = id;
	return DJ_OK;
}

void meeting_plans_each(db *d, int64_t org_id, const char *month, void (*fn)(void *ctx, const struct meeting_monthly_plan *p), void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT p.id, p.org_id, c.name, p.month, p.type, p.theme, p.content FROM meeting_plans p JOIN orgs c ON c.id = p.org_id "
			      "WHERE (SELECT path FROM orgs WHERE id = ?) LIKE c.path || '%' AND (? = '' OR p.month = ?) ORDER BY p.month DESC, p.id DESC "
			      "LIMIT 24",
			      "Itt", org_id, month ? month : "", month ? month : "");
	while (db_next(s)) {
		struct meeting_monthly_plan p;
		memset(&p, 0, sizeof p);
		p.id = db_int(s, 0);
		p.org_id = db_int(s, 1);
		str_copy(p.org_name, sizeof p.org_name, db_str(s, 2));
		str_copy(p.month, sizeof p.month, db_str(s, 3));
		str_copy(p.type, sizeof p.type, db_str(s, 4));
		str_copy(p.theme, sizeof p.theme, db_str(s, 5));
		str_copy(p.content, sizeof p.content, db_str(s, 6));
		fn(ctx, &p);
	}
	db_done(s);
}

/* ---- decisions ---- */

bool decision_is_overdue(const char *state, const char *deadline, int64_t now)
{
	char today_s[11];
	meeting_date_of(now, today_s);
	return !strcmp(state, "open") && strcmp(deadline, today_s) < 0;
}

#define DECISION_SELECT                                                                                                                        \
	"SELECT x.id, x.meeting_id, x.org_id, x.owner_member_id, o.name, o.path, o.code, m.theme, m.starts_at, x.matter, w.name, x.deadline, " \
	"x.state, x.result, COALESCE(x.done_date, ''), COALESCE(x.done_at, 0), x.created_at, COALESCE(x.order_id, 0), COALESCE(od.code, ''), " \
	"COALESCE(x.pub_date, ''), x.pub_text, COALESCE(x.result_pub_date, ''), x.result_pub_text "                                            \
	"FROM decisions x JOIN orgs o ON o.id = x.org_id JOIN meetings m ON m.id = x.meeting_id JOIN members w ON w.id = x.owner_member_id "   \
	"LEFT JOIN orders od ON od.id = x.order_id "

static void decision_row(db_stmt *s, int64_t now, struct decision *x)
{
	memset(x, 0, sizeof *x);
	x->id = db_int(s, 0);
	x->meeting_id = db_int(s, 1);
	x->org_id = db_int(s, 2);
	x->owner_member_id = db_int(s, 3);
	str_copy(x->org_name, sizeof x->org_name, db_str(s, 4));
	str_copy(x->org_path, sizeof x->org_path, db_str(s, 5));
	str_copy(x->org_code, sizeof x->org_code, db_str(s, 6));
	str_copy(x->meeting_theme, sizeof x->meeting_theme, db_str(s, 7));
	x->meeting_at = db_int(s, 8);
	str_copy(x->matter, sizeof x->matter, db_str(s, 9));
	str_copy(x->owner_name, sizeof x->owner_name, db_str(s, 10));
	str_copy(x->deadline, sizeof x->deadline, db_str(s, 11));
	str_copy(x->state, sizeof x->state, db_str(s, 12));
	str_copy(x->result, sizeof x->result, db_str(s, 13));
	str_copy(x->done_date, sizeof x->done_date, db_str(s, 14));
	x->done_at = db_int(s, 15);
	x->created_at = db_int(s, 16);
	x->order_id = db_int(s, 17);
	str_copy(x->order_code, sizeof x->order_code, db_str(s, 18));
	str_copy(x->pub_date, sizeof x->pub_date, db_str(s, 19));
	str_copy(x->pub_text, sizeof x->pub_text, db_str(s, 20));
	str_copy(x->result_pub_date, sizeof x->result_pub_date, db_str(s, 21));
	str_copy(x->result_pub_text, sizeof x->result_pub_text, db_str(s, 22));
	x->overdue = decision_is_overdue(x->state, x->deadline, now);
}

bool decision_load(db *d, int64_t id, int64_t now, struct decision *x)
{
	db_stmt *s = db_query(d, DECISION_SELECT "WHERE x.id = ?", "I", id);
	bool ok = db_next(s);
	if (ok)
		decision_row(s, now, x);
	db_done(s);
	return ok;
}

bool decision_visible(db *d, const struct actor *a, const struct decision *x)
{
	if (actor_covers(a, x->org_path))
		return true;
	int64_t me = meeting_actor_member(d, a);
	return me && me == x->owner_member_id;
}

enum dj_result decision_create(db *d, const struct actor *a, int64_t meeting_id, const struct decision_new *n, int64_t now, int64_t *id_out,
			       struct field_errors *e)
{
	struct meeting m;
	enum dj_result res = managed(d, a, meeting_id, &m, e);
	if (res != DJ_OK)
		return res;
	if (!strcmp(m.state, "cancelled"))
		return dj_fail(e, DJ_CONFLICT, "%s", "会议已取消，不能记录决策");
	if (now < m.starts_at)
		return dj_fail(e, DJ_CONFLICT, "%s", "会议还没有开始，决策应在会上作出");
	int64_t branch;
	char bpath[256], otype[16], oname[96] = "", mdate[11];
	if (!branch_of(d, m.org_id, &branch, bpath, otype))
		return DJ_DB_ERROR;
	need_text(e, "matter", "决策事项", n->matter, 1000);
	if (!n->owner_member_id)
		ferr_add(e, "owner_member_id", "请选择负责人");
	else if (!member_in(d, n->owner_member_id, bpath, oname))
		ferr_add(e, "owner_member_id", "负责人应为本支部党员");
	meeting_date_of(m.starts_at, mdate);
	if (!text_given(n->deadline))
		ferr_add(e, "deadline", "请填写完成时限");
	else if (!date_valid(n->deadline))
		ferr_add(e, "deadline", "完成时限应为 YYYY-MM-DD");
	else if (strcmp(n->deadline, mdate) < 0)
		ferr_add(e, "deadline", "完成时限不能早于会议日期 %s", mdate);
	if (n->supervisors_n > 20)
		ferr_add(e, "supervisors", "督导小组最多20人");
	char names[20][96];
	for (size_t i = 0; i < n->supervisors_n && i < 20; i++) {
		const struct decision_supervisor *sv = &n->supervisors[i];
		const char *kind = sv->kind ? sv->kind : "";
		if (!strcmp(kind, "member")) {
			if (!sv->member_id || !member_in(d, sv->member_id, bpath, names[i])) {
				ferr_add(e, "supervisors", "督导小组第%zu人应为本支部党员", i + 1);
				break;
			}
		} else if (!strcmp(kind, "rep")) {
			if (!text_given(sv->name) || !utf8_valid(sv->name) || utf8_len(sv->name) > 32) {
				ferr_add(e, "supervisors", "督导小组第%zu人（群众代表）应写明姓名，不超过32个字", i + 1);
				break;
			}
			str_copy(names[i], sizeof names[i], sv->name);
		} else {
			ferr_add(e, "supervisors", "督导小组第%zu人应为党员（member）或群众代表（rep）", i + 1);
			break;
		}
	}
	/* a resident's order taken up: the branch's, accepted, or handled by the owner already */
	struct order o;
	int64_t order_id = 0, owner_uid = 0;
	char owner_login[64] = "";
	if (!e->n && text_given(n->order_code)) {
		char code[40];
		order_code_normalize(n->order_code, code);
		db_stmt *u = db_query(d, "SELECT u.id, u.username FROM members mb JOIN users u ON u.id = mb.user_id WHERE mb.id = ? AND u.active = 1", "I",
				      n->owner_member_id);
		if (db_next(u)) {
			owner_uid = db_int(u, 0);
			str_copy(owner_login, sizeof owner_login, db_str(u, 1));
		}
		db_done(u);
		if (!order_load(d, 0, code, &o) || !order_visible(d, a, &o) || o.org_id != branch)
			ferr_add(e, "order_code", "群众点单不存在或不属于本支部");
		else if (!strcmp(o.state, "in_progress") ? o.assignee_user_id != owner_uid : strcmp(o.state, "accepted") && strcmp(o.state, "assigned"))
			ferr_add(e, "order_code", "该点单当前为“%s”，只有已接单、已派单的点单可以转为决策事项", order_state_label(o.state));
		else if (db_int1(d, 0, "SELECT COUNT(*) FROM decisions WHERE order_id = ? AND state = 'open'", "I", o.id))
			ferr_add(e, "order_code", "该点单已转为决策事项");
		else if (!owner_uid)
			ferr_add(e, "owner_member_id", "承办群众点单的负责人须有登录账号");
		else
			order_id = o.id;
	}
	if (e->n)
		return DJ_INVALID;
	if (order_id && o.assignee_user_id != owner_uid) {
		struct order_act act = {.assignee = owner_login, .note = "议事决策确定负责人"};
		enum dj_result res2 = order_transition(d, a, order_id, NULL, "assign", &act, now, e);
		if (res2 != DJ_OK)
			return res2;
	}
	db_stmt *s = db_query(
		d,
		"INSERT INTO decisions (meeting_id, org_id, matter, owner_member_id, deadline, state, order_id, created_by, created_at) VALUES "
		"(?, ?, ?, ?, ?, 'open', NULLIF(CAST(? AS BIGINT), 0), NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
		"IItItIII", meeting_id, branch, n->matter, n->owner_member_id, n->deadline, order_id, a->user_id, now);
	int64_t id = db_next(s) ? db_int(s, 0) : 0;
	if (db_done(s) != DB_OK || !id)
		return DJ_DB_ERROR;
	for (size_t i = 0; i < n->supervisors_n; i++) {
		const struct decision_supervisor *sv = &n->supervisors[i];
		bool member = !strcmp(sv->kind, "member");
		if (db_run(d, "INSERT INTO decision_supervisors (decision_id, kind, member_id, name) VALUES (?, ?, NULLIF(CAST(? AS BIGINT), 0), ?)",
			   "ItIt", id, sv->kind, member ? sv->member_id : (int64_t)0, names[i]) != DB_OK)
			return DJ_DB_ERROR;
	}
	char text[1200];
	snprintf(text, sizeof text, "议事决策：%s（负责人 %s，完成时限 %s）", n->matter, oname, n->deadline);
	int64_t uid = db_int1(d, 0, "SELECT COALESCE(user_id, 0) FROM members WHERE id = ?", "I", n->owner_member_id);
	if ((uid && notify_user(d, uid, "decision", "decision", id, text, now) != DB_OK) ||
	    audit_write(d, a, "decision.create", "decision", id, branch, text) != DB_OK)
		return DJ_DB_ERROR;
	if (id_out)
		*id_out = id;
	return DJ_OK;
}

/* The owner or the branch's staff may report on a decision. */
static enum dj_result decision_actor(db *d, const struct actor *a, int64_t id, int64_t now, struct decision *x, struct field_errors *e)
{
	if (!decision_load(d, id, now, x) || !decision_visible(d, a, x))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "决策事项不存在");
	int64_t me = meeting_actor_member(d, a);
	if (!(me && me == x->owner_member_id) && !staff_covers(a, x->org_path))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有负责人或支部书记可以登记进展");
	if (strcmp(x->state, "open") != 0)
		return dj_fail(e, DJ_CONFLICT, "%s", "该事项已办结");
	return DJ_OK;
}

enum dj_result decision_progress(db *d, const struct actor *a, int64_t id, const char *note, int64_t now, struct field_errors *e)
{
	struct decision x;
	enum dj_result res = decision_actor(d, a, id, now, &x, e);
	if (res != DJ_OK)
		return res;
	if (!need_text(e, "note", "进展情况", note, 1000))
		return DJ_INVALID;
	char date[11];
	meeting_date_of(now, date);
	if (db_run(d, "INSERT INTO decision_progress (decision_id, date, note, user_id, at) VALUES (?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?)", "IttII",
		   id, date, note, a->user_id, now) != DB_OK)
		return DJ_DB_ERROR;
	char sum[1200];
	snprintf(sum, sizeof sum, "「%.200s」进展：%s", x.matter, note);
	if (audit_write(d, a, "decision.progress", "decision", id, x.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result decision_done(db *d, const struct actor *a, int64_t id, const char *result, int64_t now, struct field_errors *e)
{
	struct decision x;
	enum dj_result res = decision_actor(d, a, id, now, &x, e);
	if (res != DJ_OK)
		return res;
	/* a resident's order carries the result as its delivery note (500 characters at most) */
	if (!need_text(e, "result", "办理结果", result, x.order_id ? 480 : 1000))
		return DJ_INVALID;
	char date[11];
	meeting_date_of(now, date);
	if (db_run(d, "UPDATE decisions SET state = 'done', result = ?, done_at = ?, done_date = ? WHERE id = ? AND state = 'open'", "tItI", result, now,
		   date, id) != DB_OK)
		return DJ_DB_ERROR;
	char sum[1200];
	snprintf(sum, sizeof sum, "「%.200s」办结%s：%s", x.matter, strcmp(date, x.deadline) <= 0 ? "（按期）" : "（逾期）", result);
	if (notify_org_role(d, x.org_id, "branch", "decision", "decision", id, sum, now) != DB_OK ||
	    audit_write(d, a, "decision.done", "decision", id, x.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	/* the resident's order: delivered (送单) with the result by its handler, for the resident to confirm (销单) */
	struct order o;
	if (x.order_id && order_load(d, x.order_id, NULL, &o) && (!strcmp(o.state, "assigned") || !strcmp(o.state, "in_progress"))) {
		if (o.assignee_user_id == a->user_id) {
			char note[1100];
			snprintf(note, sizeof note, "议事决策办结：%s", result);
			struct order_act act = {.note = note};
			return order_transition(d, a, o.id, NULL, "deliver", &act, now, e);
		}
		char text[400];
		snprintf(text, sizeof text, "决策事项已办结，请为群众点单 %s 送单：%.200s", o.code, result);
		if (o.assignee_user_id && notify_user(d, o.assignee_user_id, "decision", "order", o.id, text, now) != DB_OK)
			return DJ_DB_ERROR;
	}
	return DJ_OK;
}

/* The date of a publication: given (YYYY-MM-DD, not after today, not before
 * `earliest`) or today. */
static bool pub_date_of(struct field_errors *e, const char *given, const char *earliest, const char *what, int64_t now, char out[11])
{
	char today_s[11];
	meeting_date_of(now, today_s);
	if (!text_given(given)) {
		str_copy(out, 11, today_s);
		given = out;
	} else if (!date_valid(given)) {
		ferr_add(e, "date", "%s日期应为 YYYY-MM-DD", what);
		return false;
	} else
		str_copy(out, 11, given);
	if (strcmp(out, today_s) > 0) {
		ferr_add(e, "date", "%s日期不能晚于今天", what);
		return false;
	}
	if (earliest && *earliest && strcmp(out, earliest) < 0) {
		ferr_add(e, "date", "%s日期不能早于 %s", what, earliest);
		return false;
	}
	return true;
}

/* Publishing is the secretary's: the branch's staff or the committee above. */
static enum dj_result decision_for_publish(db *d, const struct actor *a, int64_t id, int64_t now, struct decision *x, struct field_errors *e)
{
	if (!decision_load(d, id, now, x) || !decision_visible(d, a, x))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "决策事项不存在");
	if (!staff_covers(a, x->org_path))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有本支部书记或上级党委可以公开决策事项");
	return DJ_OK;
}

enum dj_result decision_publish(db *d, const struct actor *a, int64_t id, const char *text, const char *date, int64_t now, struct field_errors *e)
{
	struct decision x;
	enum dj_result res = decision_for_publish(d, a, id, now, &x, e);
	if (res != DJ_OK)
		return res;
	if (*x.pub_date)
		return dj_fail(e, DJ_CONFLICT, "该决议已于 %s 公开", x.pub_date);
	const char *t = text_given(text) ? text : x.matter;
	if (!need_text(e, "text", "公开内容", t, 1000))
		return DJ_INVALID;
	char mdate[11], day[11];
	meeting_date_of(x.meeting_at, mdate);
	if (!pub_date_of(e, date, mdate, "决议公开", now, day))
		return DJ_INVALID;
	if (db_run(d, "UPDATE decisions SET pub_date = ?, pub_text = ?, pub_at = ? WHERE id = ? AND pub_at IS NULL", "ttII", day, t, now, id) != DB_OK)
		return DJ_DB_ERROR;
	if (db_changes(d) != 1)
		return dj_fail(e, DJ_CONFLICT, "%s", "该决议已经公开");
	char sum[2200];
	snprintf(sum, sizeof sum, "决议公开（%s）：%s", day, t);
	if (audit_write(d, a, "decision.publish", "decision", id, x.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result decision_publish_result(db *d, const struct actor *a, int64_t id, const char *text, const char *date, int64_t now, struct field_errors *e)
{
	struct decision x;
	enum dj_result res = decision_for_publish(d, a, id, now, &x, e);
	if (res != DJ_OK)
		return res;
	if (!*x.pub_date)
		return dj_fail(e, DJ_CONFLICT, "%s", "请先进行决议公开，再公开实施结果");
	if (strcmp(x.state, "done") != 0)
		return dj_fail(e, DJ_CONFLICT, "%s", "该事项尚未办结，办结后才能公开实施结果");
	if (*x.result_pub_date)
		return dj_fail(e, DJ_CONFLICT, "实施结果已于 %s 公开", x.result_pub_date);
	const char *t = text_given(text) ? text : x.result;
	if (!need_text(e, "text", "公开内容", t, 1000))
		return DJ_INVALID;
	const char *earliest = strcmp(x.done_date, x.pub_date) > 0 ? x.done_date : x.pub_date;
	char day[11];
	if (!pub_date_of(e, date, earliest, "实施结果公开", now, day))
		return DJ_INVALID;
	if (db_run(d, "UPDATE decisions SET result_pub_date = ?, result_pub_text = ?, result_pub_at = ? WHERE id = ? AND result_pub_at IS NULL", "ttII",
		   day, t, now, id) != DB_OK)
		return DJ_DB_ERROR;
	if (db_changes(d) != 1)
		return dj_fail(e, DJ_CONFLICT, "%s", "实施结果已经公开");
	char sum[2200];
	snprintf(sum, sizeof sum, "实施结果公开（%s）：%s", day, t);
	if (audit_write(d, a, "decision.publish_result", "decision", id, x.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

void decision_each_supervisor(db *d, int64_t id, void (*fn)(void *ctx, const struct decision_supervisor *s), void *ctx)
{
	db_stmt *s = db_query(d, "SELECT kind, COALESCE(member_id, 0), name FROM decision_supervisors WHERE decision_id = ? ORDER BY id", "I", id);
	while (db_next(s)) {
		struct decision_supervisor sv = {db_str(s, 0), db_int(s, 1), db_str(s, 2)};
		fn(ctx, &sv);
	}
	db_done(s);
}

void decision_each_progress(db *d, int64_t id, void (*fn)(void *ctx, const struct decision_note *n), void *ctx)
{
	db_stmt *s = db_query(d, "SELECT date, note, at FROM decision_progress WHERE decision_id = ? ORDER BY at, id", "I", id);
	while (db_next(s)) {
		struct decision_note n = {db_str(s, 0), db_str(s, 1), db_int(s, 2)};
		fn(ctx, &n);
	}
	db_done(s);
}

void decision_list(db *d, const struct actor *a, const struct decision_filter *f, int64_t now, decision_row_fn fn, void *ctx)
{
	char today_s[11];
	meeting_date_of(now, today_s);
	int64_t me = a ? meeting_actor_member(d, a) : 0;
	int limit = f->limit > 0 && f->limit <= 500 ? f->limit : 200;
	/* a == NULL: the public page of one village; else what the actor sees */
	const char *scope = a ? actor_scope(a) : "";
	db_stmt *s = db_query(d,
			      DECISION_SELECT
			      "WHERE (CAST(? AS BIGINT) = 0 OR x.meeting_id = ?) AND (CAST(? AS BIGINT) = 0 OR x.org_id = ?) "
			      "AND (? = '' OR o.path LIKE ? || '%' OR x.owner_member_id = ?) AND (CAST(? AS BIGINT) = 0 OR x.owner_member_id = ?) "
			      "AND (CAST(? AS BIGINT) = 0 OR (x.state = 'open' AND x.deadline < ?)) AND (? <> '' OR x.pub_at IS NOT NULL) "
			      "ORDER BY CASE WHEN ? = '' THEN COALESCE(x.pub_date, '') ELSE '' END DESC, "
			      "CASE WHEN x.state = 'open' AND x.deadline < ? THEN 0 WHEN x.state = 'open' THEN 1 ELSE 2 END, x.deadline, x.id DESC "
			      "LIMIT ?",
			      "IIIIttIIIItttti", f->meeting_id, f->meeting_id, f->org_id, f->org_id, a ? scope : "", scope, a ? me : (int64_t)-1,
			      f->mine ? (int64_t)1 : (int64_t)0, f->mine ? me : (int64_t)0, f->overdue_only ? (int64_t)1 : (int64_t)0, today_s,
			      a ? scope : "", a ? scope : "", today_s, limit);
	while (db_next(s)) {
		struct decision x;
		decision_row(s, now, &x);
		fn(ctx, &x);
	}
	db_done(s);
}

void decision_due_each(db *d, const char *org_path, const char *from, const char *to, int64_t now, decision_row_fn fn, void *ctx)
{
	db_stmt *s = db_query(
		d,
		DECISION_SELECT
		"WHERE x.org_id IN (SELECT g.id FROM orgs g WHERE g.path LIKE ? || '%') AND x.deadline >= ? AND x.deadline < ? ORDER BY x.deadline, x.id",
		"ttt", org_path, from, to);
	while (db_next(s)) {
		struct decision x;
		decision_row(s, now, &x);
		fn(ctx, &x);
	}
	db_done(s);
}

int64_t decision_done_count(db *d, const char *org_path, int64_t t0, int64_t t1)
{
	return db_int1(d, 0,
		       "SELECT COUNT(*) FROM decisions x WHERE x.state = 'done' AND x.done_at >= ? AND x.done_at < ? AND x.org_id IN (SELECT o.id FROM "
		       "orgs o WHERE o.path LIKE ? || '%')",
		       "IIt", t0, t1, org_path);
}

int decisions_overdue_task(db *d, int64_t now)
{
	char today_s[11];
	meeting_date_of(now, today_s);
	struct {
		int64_t id, org_id, uid;
		char text[600];
	} due[64];
	int n = 0;
	db_stmt *s = db_query(d,
			      "SELECT x.id, x.org_id, COALESCE(w.user_id, 0), x.matter, x.deadline, w.name FROM decisions x JOIN members w ON w.id = "
			      "x.owner_member_id WHERE x.state = 'open' AND x.deadline < ? AND x.overdue_notified_at IS NULL ORDER BY x.id LIMIT 64",
			      "t", today_s);
	while (db_next(s) && n < 64) {
		due[n].id = db_int(s, 0);
		due[n].org_id = db_int(s, 1);
		due[n].uid = db_int(s, 2);
		snprintf(due[n].text, sizeof due[n].text, "决策事项逾期：「%.300s」完成时限 %s，负责人 %s", db_str(s, 3), db_str(s, 4), db_str(s, 5));
		n++;
	}
	if (db_done(s) != DB_OK)
		return -1;
	for (int i = 0; i < n; i++) {
		if ((due[i].uid && notify_user(d, due[i].uid, "decision_overdue", "decision", due[i].id, due[i].text, now) != DB_OK) ||
		    notify_org_role(d, due[i].org_id, "branch", "decision_overdue", "decision", due[i].id, due[i].text, now) != DB_OK ||
		    db_run(d, "UPDATE decisions SET overdue_notified_at = ? WHERE id = ?", "II", now, due[i].id) != DB_OK)
			return -1;
	}
	return n;
}

/* ---- 四议两公开 ---- */

#define MATTER_SELECT                                                                                                                                 \
	"SELECT x.id, x.org_id, x.round, o.name, o.path, o.code, x.title, x.description, x.state, x.created_at FROM matters x JOIN orgs o ON o.id = " \
	"x.org_id "

static void matter_row(db *d, db_stmt *s, struct matter *m)
{
	(void)d;
	memset(m, 0, sizeof *m);
	m->id = db_int(s, 0);
	m->org_id = db_int(s, 1);
	m->round = db_int(s, 2);
	str_copy(m->org_name, sizeof m->org_name, db_str(s, 3));
	str_copy(m->org_path, sizeof m->org_path, db_str(s, 4));
	str_copy(m->org_code, sizeof m->org_code, db_str(s, 5));
	str_copy(m->title, sizeof m->title, db_str(s, 6));
	str_copy(m->description, sizeof m->description, db_str(s, 7));
	str_copy(m->state, sizeof m->state, db_str(s, 8));
	m->created_at = db_int(s, 9);
}

static void matter_fill(db *d, struct matter *m)
{
	int64_t done = db_int1(d, 0, "SELECT COUNT(*) FROM matter_steps WHERE matter_id = ? AND round = ? AND passed = 1", "II", m->id, m->round);
	m->next = !strcmp(m->state, "stopped") ? 0 : (int)done;
	m->members = db_int1(
		d, 0,
		"SELECT COUNT(*) FROM members mb JOIN orgs o ON o.id = mb.org_id WHERE o.path LIKE ? || '%' AND mb.status NOT IN ('stopped', 'transferred')",
		"t", m->org_path);
}

bool matter_load(db *d, int64_t id, struct matter *m)
{
	db_stmt *s = db_query(d, MATTER_SELECT "WHERE x.id = ?", "I", id);
	bool ok = db_next(s);
	if (ok)
		matter_row(d, s, m);
	db_done(s);
	if (ok)
		matter_fill(d, m);
	return ok;
}

bool matter_visible(const struct actor *a, const struct matter *m) { return actor_covers(a, m->org_path); }

enum dj_result matter_create(db *d, const struct actor *a, int64_t org_id, const char *title, const char *description, int64_t now, int64_t *id_out,
			     struct field_errors *e)
{
	if (!permission_allows(&perm_meeting_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "您的角色不能发起四议两公开");
	char path[256] = "", type[16] = "";
	db_stmt *s = db_query(d, "SELECT path, type FROM orgs WHERE id = ? AND dissolved_at IS NULL", "I", org_id);
	if (db_next(s)) {
		str_copy(path, sizeof path, db_str(s, 0));
		str_copy(type, sizeof type, db_str(s, 1));
	}
	db_done(s);
	if (!*path) {
		ferr_add(e, "org", "请选择村（社区）党支部");
		return DJ_INVALID;
	}
	if (!actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "组织不存在或不在您的管辖范围内");
	if (strcmp(type, "branch") != 0)
		ferr_add(e, "org", "四议两公开由村（社区）党支部发起");
	need_text(e, "title", "事项名称", title, 100);
	if (description && (!utf8_valid(description) || utf8_len(description) > 2000))
		ferr_add(e, "description", "事项说明不能超过2000个字");
	if (e->n)
		return DJ_INVALID;
	s = db_query(d,
		     "INSERT INTO matters (org_id, title, description, state, round, created_by, created_at, updated_at) VALUES (?, ?, ?, 'open', 1, "
		     "NULLIF(CAST(? AS BIGINT), 0), ?, ?) RETURNING id",
		     "IttIII", org_id, title, description ? description : "", a->user_id, now, now);
	int64_t id = db_next(s) ? db_int(s, 0) : 0;
	if (db_done(s) != DB_OK || !id)
		return DJ_DB_ERROR;
	if (audit_write(d, a, "matter.create", "matter", id, org_id, title) != DB_OK)
		return DJ_DB_ERROR;
	if (id_out)
		*id_out = id;
	return DJ_OK;
}

enum dj_result matter_step_record(db *d, const struct actor *a, int64_t id, const struct matter_step_input *in, int64_t now, bool *passed,
				  struct field_errors *e)
{
	struct matter m;
	*passed = false;
	if (!matter_load(d, id, &m) || !matter_visible(a, &m))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "事项不存在");
	if (!staff_covers(a, m.org_path))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有本支部书记（委员）或上级党委可以登记");
	int k = matter_step_index(in->step);
	if (k < 0) {
		ferr_add(e, "step", "步骤不正确");
		return DJ_INVALID;
	}
	if (!strcmp(m.state, "done")) {
		ferr_add(e, "step", "该事项已完成四议两公开的全部步骤");
		return DJ_INVALID;
	}
	if (k < m.next) {
		ferr_add(e, "step", "“%s”已经完成，不能重复；下一步是“%s”", matter_steps[k].label, matter_steps[m.next].label);
		return DJ_INVALID;
	}
	if (k > m.next) {
		ferr_add(e, "step", "不能跳过“%s”：四议两公开须按顺序进行，下一步是“%s”", matter_steps[m.next].label, matter_steps[m.next].label);
		return DJ_INVALID;
	}
	int64_t round = !strcmp(m.state, "stopped") ? m.round + 1 : m.round;
	/* 决议公开 / 实施结果公开 may be a decision's own publication: its date and wording fill what was left empty */
	const char *date = in->date, *record = in->record;
	char ddate[11] = "", dtext[2048] = "";
	if (in->decision_id) {
		bool resolution = !strcmp(matter_steps[k].key, "publish_resolution"), result = !strcmp(matter_steps[k].key, "publish_result");
		struct decision x;
		if (!resolution && !result) {
			ferr_add(e, "decision_id", "只有“决议公开”“实施结果公开”可以关联决策事项的公开");
			return DJ_INVALID;
		}
		if (!decision_load(d, in->decision_id, now, &x) || x.org_id != m.org_id) {
			ferr_add(e, "decision_id", "决策事项不存在或不属于本支部");
			return DJ_INVALID;
		}
		if (!*(resolution ? x.pub_date : x.result_pub_date)) {
			ferr_add(e, "decision_id", "该决策事项尚未%s", resolution ? "决议公开" : "公开实施结果");
			return DJ_INVALID;
		}
		str_copy(ddate, sizeof ddate, resolution ? x.pub_date : x.result_pub_date);
		str_copy(dtext, sizeof dtext, resolution ? x.pub_text : x.result_pub_text);
		if (!text_given(date))
			date = ddate;
		if (!text_given(record))
			record = dtext;
	}
	if (!text_given(date))
		ferr_add(e, "date", "请填写日期");
	else if (!date_valid(date))
		ferr_add(e, "date", "日期应为 YYYY-MM-DD");
	else {
		char last[11] = "";
		db_stmt *s = db_query(d, "SELECT date FROM matter_steps WHERE matter_id = ? AND round = ? ORDER BY seq DESC LIMIT 1", "II", id, round);
		if (db_next(s))
			str_copy(last, sizeof last, db_str(s, 0));
		db_done(s);
		char today_s[11];
		meeting_date_of(now, today_s);
		if (*last && strcmp(date, last) < 0)
			ferr_add(e, "date", "日期不能早于上一步的 %s", last);
		else if (strcmp(date, today_s) > 0)
			ferr_add(e, "date", "日期不能晚于今天");
	}
	need_text(e, "record", "记录", record, 2000);
	int64_t total = 0, present = 0, favour = 0;
	enum matter_quorum q = matter_steps[k].quorum;
	if (q != QUORUM_NONE) {
		const char *who = q == QUORUM_MEMBERS ? "党员" : "村民代表";
		total = q == QUORUM_MEMBERS ? m.members : in->total;
		present = in->present;
		favour = in->favour;
		if (q == QUORUM_REPRESENTATIVES && (in->total < 1 || in->total > 9999))
			ferr_add(e, "total", "请填写村民代表总人数（1到9999）");
		if (in->present < 0)
			ferr_add(e, "present", "请填写出席的%s人数", who);
		else if (total > 0 && present > total)
			ferr_add(e, "present", "出席人数%lld不能超过%s总数%lld", (long long)present, who, (long long)total);
		if (in->favour < 0)
			ferr_add(e, "favour", "请填写赞成票数");
		else if (in->present >= 0 && favour > present)
			ferr_add(e, "favour", "赞成票数%lld不能超过出席人数%lld", (long long)favour, (long long)present);
		if (q == QUORUM_MEMBERS && total == 0)
			ferr_add(e, "present", "本支部花名册中没有党员，不能召开党员大会");
	}
	if (e->n)
		return DJ_INVALID;
	bool ok = q == QUORUM_NONE || matter_quorum_met(total, present, favour);
	if (db_run(d,
		   "INSERT INTO matter_steps (matter_id, round, seq, step, date, record, total, present, favour, passed, user_id, at, decision_id) VALUES "
		   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, NULLIF(CAST(? AS BIGINT), 0))",
		   "IIItttIIIIIII", id, round, (int64_t)k, matter_steps[k].key, date, record, total, present, favour, ok ? (int64_t)1 : (int64_t)0,
		   a->user_id, now, in->decision_id) != DB_OK)
		return DJ_DB_ERROR;
	const char *state = !ok ? "stopped" : k == matter_steps_count - 1 ? "done" : "open";
	if (db_run(d, "UPDATE matters SET state = ?, round = ?, updated_at = ? WHERE id = ?", "tIII", state, round, now, id) != DB_OK)
		return DJ_DB_ERROR;
	char sum[600];
	if (q != QUORUM_NONE)
		snprintf(sum, sizeof sum, "「%s」%s：应到%lld，实到%lld，赞成%lld，%s", m.title, matter_steps[k].label, (long long)total,
			 (long long)present, (long long)favour, ok ? "通过" : "未通过，事项中止");
	else
		snprintf(sum, sizeof sum, "「%s」%s", m.title, matter_steps[k].label);
	if (audit_write(d, a, "matter.step", "matter", id, m.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	*passed = ok;
	return DJ_OK;
}

void matter_each_step(db *d, int64_t id, void (*fn)(void *ctx, const struct matter_step_row *s), void *ctx)
{
	db_stmt *s = db_query(
		d,
		"SELECT round, seq, step, date, record, total, present, favour, passed, COALESCE(decision_id, 0) FROM matter_steps WHERE matter_id = ? "
		"ORDER BY round, "
		"seq",
		"I", id);
	while (db_next(s)) {
		struct matter_step_row r = {db_int(s, 0),      db_int(s, 5), db_int(s, 6), db_int(s, 7), db_int(s, 9),
					    (int)db_int(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_int(s, 8) != 0};
		fn(ctx, &r);
	}
	db_done(s);
}

void matter_list(db *d, const struct actor *a, int64_t public_org_id, void (*fn)(void *ctx, const struct matter *m), void *ctx)
{
	/* the public sees only what has been made public (决议公开 recorded) */
	db_stmt *s = db_query(d,
			      MATTER_SELECT
			      "WHERE (CAST(? AS BIGINT) = 0 AND o.path LIKE ? || '%') OR (x.org_id = ? AND EXISTS (SELECT 1 FROM matter_steps st "
			      "WHERE st.matter_id = x.id AND st.round = x.round AND st.step = 'publish_resolution')) ORDER BY x.updated_at DESC, x.id "
			      "DESC LIMIT 200",
			      "ItI", public_org_id, a ? actor_scope(a) : "", public_org_id);
	/* read first, then filled and handed on: fn runs statements of its own (on the heap: a matter is 5 KB) */
	struct matter *rows = malloc(200 * sizeof *rows);
	int n = 0;
	while (rows && db_next(s) && n < 200)
		matter_row(d, s, &rows[n++]);
	db_done(s);
	for (int i = 0; i < n; i++) {
		matter_fill(d, &rows[i]);
		fn(ctx, &rows[i]);
	}
	free(rows);
}

/* ---- reports ---- */

static bool period(const char *from, const char *to, int64_t *t0, int64_t *t1, struct field_errors *e)
{
	if (!from || !date_valid(from))
		ferr_add(e, "from", "起始日期应为 YYYY-MM-DD");
	if (!to || !date_valid(to))
		ferr_add(e, "to", "结束日期应为 YYYY-MM-DD");
	if (e->n)
		return false;
	if (strcmp(to, from) < 0) {
		ferr_add(e, "to", "结束日期不能早于起始日期");
		return false;
	}
	meeting_time_parse(from, "00:00", t0);
	meeting_time_parse(to, "00:00", t1);
	*t1 += 24 * 3600;
	return true;
}

static void report_of(db *d, const struct meeting_type *types, int ntypes, const char *path, int64_t t0, int64_t t1, int64_t now,
		      struct meeting_report_row *r)
{
	db_stmt *s = db_query(d,
			      "SELECT m.type, m.state, COUNT(*), COALESCE(SUM(m.youth + m.masses), 0) FROM meetings m JOIN orgs o ON o.id = m.org_id "
			      "WHERE o.path LIKE ? || '%' AND m.starts_at >= ? AND m.starts_at < ? GROUP BY m.type, m.state",
			      "tII", path, t0, t1);
	while (db_next(s)) {
		int k = meeting_type_index(types, ntypes, db_str(s, 0));
		const char *st = db_str(s, 1);
		if (!strcmp(st, "held")) {
			if (k >= 0)
				r->held[k] += db_int(s, 2);
			r->held_total += db_int(s, 2);
			r->guest_times += db_int(s, 3);
		} else if (!strcmp(st, "cancelled"))
			r->cancelled += db_int(s, 2);
	}
	db_done(s);
	r->member_times = db_int1(d, 0,
				  "SELECT COUNT(*) FROM meeting_attendance t JOIN meetings m ON m.id = t.meeting_id JOIN orgs o ON o.id = m.org_id WHERE "
				  "o.path LIKE ? || '%' AND m.starts_at >= ? AND m.starts_at < ? AND m.state = 'held' AND t.status = 'present'",
				  "tII", path, t0, t1);
	s = db_query(d,
		     "SELECT x.state, x.deadline, COALESCE(x.done_date, '') FROM decisions x JOIN meetings m ON m.id = x.meeting_id JOIN orgs o ON o.id = "
		     "x.org_id WHERE o.path LIKE ? || '%' AND m.starts_at >= ? AND m.starts_at < ?",
		     "tII", path, t0, t1);
	while (db_next(s)) {
		const char *st = db_str(s, 0), *deadline = db_str(s, 1), *done = db_str(s, 2);
		r->decisions++;
		if (!strcmp(st, "done")) {
			r->done++;
			if (strcmp(done, deadline) <= 0)
				r->done_on_time++;
		} else if (decision_is_overdue(st, deadline, now))
			r->overdue++;
		else
			r->open++;
	}
	db_done(s);
}

/* The org the report is about: inside the actor's subtree. */
static enum dj_result report_org(db *d, const struct actor *a, int64_t org_id, char path[256], char name[168], char code[64], struct field_errors *e)
{
	if (!permission_allows(&perm_meeting_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "您的角色不能查看会议统计");
	bool ok = false;
	db_stmt *s = db_query(d, "SELECT path, name, code FROM orgs WHERE id = ?", "I", org_id);
	if (db_next(s)) {
		ok = true;
		str_copy(path, 256, db_str(s, 0));
		str_copy(name, 168, db_str(s, 1));
		str_copy(code, 64, db_str(s, 2));
	}
	db_done(s);
	if (!ok || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "组织不存在或不在您的管辖范围内");
	return DJ_OK;
}

struct branch_ref {
	int64_t id;
	char name[168], code[64], path[256];
};

static struct branch_ref *branches_under(db *d, const char *path, size_t *n)
{
	size_t cap = 16;
	struct branch_ref *v = malloc(cap * sizeof *v);
	*n = 0;
	db_stmt *s = db_query(
		d, "SELECT id, name, code, path FROM orgs WHERE type = 'branch' AND dissolved_at IS NULL AND path LIKE ? || '%' ORDER BY sort, id", "t",
		path);
	while (v && db_next(s)) {
		if (*n == cap) {
			struct branch_ref *w = realloc(v, 2 * cap * sizeof *v);
			if (!w)
				break;
			v = w;
			cap *= 2;
		}
		v[*n].id = db_int(s, 0);
		str_copy(v[*n].name, sizeof v[*n].name, db_str(s, 1));
		str_copy(v[*n].code, sizeof v[*n].code, db_str(s, 2));
		str_copy(v[*n].path, sizeof v[*n].path, db_str(s, 3));
		(*n)++;
	}
	db_done(s);
	return v;
}

enum dj_result meeting_report(db *d, const struct actor *a, int64_t org_id, const char *from, const char *to, int64_t now,
			      void (*fn)(void *ctx, const struct meeting_report_row *row, bool total), void *ctx, struct field_errors *e)
{
	char path[256], name[168], code[64];
	enum dj_result res = report_org(d, a, org_id, path, name, code, e);
	if (res != DJ_OK)
		return res;
	int64_t t0, t1;
	if (!period(from, to, &t0, &t1, e))
		return DJ_INVALID;
	struct meeting_type types[MEETING_TYPES_MAX];
	int ntypes = meeting_types_load(d, false, types, MEETING_TYPES_MAX);
	size_t n;
	struct branch_ref *b = branches_under(d, path, &n);
	for (size_t i = 0; b && i < n; i++) {
		struct meeting_report_row r;
		memset(&r, 0, sizeof r);
		r.org_id = b[i].id;
		str_copy(r.org_name, sizeof r.org_name, b[i].name);
		str_copy(r.org_code, sizeof r.org_code, b[i].code);
		report_of(d, types, ntypes, b[i].path, t0, t1, now, &r);
		fn(ctx, &r, false);
	}
	free(b);
	struct meeting_report_row r;
	memset(&r, 0, sizeof r);
	r.org_id = org_id;
	str_copy(r.org_name, sizeof r.org_name, name);
	str_copy(r.org_code, sizeof r.org_code, code);
	report_of(d, types, ntypes, path, t0, t1, now, &r);
	fn(ctx, &r, true);
	return DJ_OK;
}

/* One branch's row of the compliance table (see meeting_compliance). */
static void compliance_fill(db *d, const struct branch_ref *b, const char *month, int64_t now, const struct meeting_requirement *req, int nreq,
			    struct compliance_row *row)
{
	int64_t m0, m1;
	char next[8];
	month_start(month, &m0);
	int mm = atoi(month + 5);
	month_add(month, 1, next);
	month_start(next, &m1);
	memset(row, 0, sizeof *row);
	row->org_id = b->id;
	str_copy(row->org_name, sizeof row->org_name, b->name);
	str_copy(row->org_code, sizeof row->org_code, b->code);
	for (int k = 0; k < nreq; k++) {
		struct compliance_cell *c = &row->cells[row->ncells++];
		str_copy(c->type, sizeof c->type, req[k].type);
		meeting_type_name(d, req[k].type, c->label);
		c->months = req[k].months;
		/* a period of several months starts at the first month of its block (quarters: Jan, Apr, Jul, Oct) */
		int64_t p0 = m0;
		bool period_end = true;
		if (req[k].months > 1) {
			char ps[8];
			month_add(month, -((mm - 1) % req[k].months), ps);
			month_start(ps, &p0);
			period_end = mm % req[k].months == 0;
		}
		c->held = db_int1(
			d, 0,
			"SELECT COUNT(*) FROM meetings m WHERE m.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ? || '%') AND m.type = ? AND "
			"m.state = 'held' AND m.starts_at >= ? AND m.starts_at < ?",
			"ttII", b->path, req[k].type, p0, m1);
		if (!strcmp(req[k].invite, "group") &&
		    db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND type = 'group' AND dissolved_at IS NULL", "I", b->id) == 0)
			c->status = "exempt";
		else if (c->held > 0)
			c->status = "ok";
		else if (period_end && now >= m1)
			c->status = "missed";
		else
			c->status = "pending";
		if (!strcmp(c->status, "missed"))
			row->missed = true;
	}
}

enum dj_result meeting_compliance(db *d, const struct actor *a, int64_t org_id, const char *month, int64_t now,
				  void (*fn)(void *ctx, const struct compliance_row *row), void *ctx, struct field_errors *e)
{
	char path[256], name[168], code[64];
	enum dj_result res = report_org(d, a, org_id, path, name, code, e);
	if (res != DJ_OK)
		return res;
	int64_t m0;
	if (!month_start(month, &m0)) {
		ferr_add(e, "month", "月份应为 YYYY-MM");
		return DJ_INVALID;
	}
	struct meeting_requirement req[MEETING_TYPES_MAX];
	int nreq = meeting_requirements(d, req, MEETING_TYPES_MAX);
	size_t n;
	struct branch_ref *b = branches_under(d, path, &n);
	for (size_t i = 0; b && i < n; i++) {
		struct compliance_row row;
		compliance_fill(d, &b[i], month, now, req, nreq, &row);
		fn(ctx, &row);
	}
	free(b);
	return DJ_OK;
}

bool meeting_compliance_of(db *d, int64_t org_id, const char *month, int64_t now, struct compliance_row *row)
{
	int64_t m0;
	if (!month_start(month, &m0))
		return false;
	struct branch_ref b;
	bool ok = false;
	db_stmt *s = db_query(d, "SELECT name, code, path FROM orgs WHERE id = ?", "I", org_id);
	if (db_next(s)) {
		ok = true;
		b.id = org_id;
		str_copy(b.name, sizeof b.name, db_str(s, 0));
		str_copy(b.code, sizeof b.code, db_str(s, 1));
		str_copy(b.path, sizeof b.path, db_str(s, 2));
	}
	if (db_done(s) != DB_OK || !ok)
		return false;
	struct meeting_requirement req[MEETING_TYPES_MAX];
	int nreq = meeting_requirements(d, req, MEETING_TYPES_MAX);
	compliance_fill(d, &b, month, now, req, nreq, row);
	return true;
}
