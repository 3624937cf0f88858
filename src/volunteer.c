/* volunteer — volunteer service (SPEC M3; seeds 000, 001, 002, 004). */
#include "volunteer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "campaigns.h"
#include "notify.h"
#include "orders.h" /* day_start */
#include "orgs.h"
#include "points.h"
#include "util.h"

#define ORGANISERS (R_ADMIN | R_COMMITTEE | R_BRANCH)

const struct permission perm_volunteer_organise = {"volunteer.organise", "组织志愿服务活动（发布、取消、手工签到、核定时长、服务队、最低次数）",
						   ORGANISERS};
const struct permission perm_volunteer_report = {"volunteer.report", "查看和导出志愿服务统计", ORGANISERS};

/* THE state machine of an activity. */
const struct volunteer_transition volunteer_transitions[] = {
	{"draft", "publish", ORGANISERS, "published"},
	{"published", "start", ORGANISERS | A_SYSTEM, "in_progress"},
	{"published", "finish", ORGANISERS | A_SYSTEM, "finished"},
	{"in_progress", "finish", ORGANISERS | A_SYSTEM, "finished"},
	{"draft", "cancel", ORGANISERS, "cancelled"},
	{"published", "cancel", ORGANISERS, "cancelled"},
};
const size_t volunteer_transitions_n = sizeof volunteer_transitions / sizeof volunteer_transitions[0];

const char *const volunteer_kinds[] = {
	"policy",   "政策宣讲", "cleanup", "环境整治", "clinic", "义诊义剪义修", "care", "关爱帮扶",
	"civility", "文明劝导", "flood",   "抗洪防汛", "other",  "其他",         NULL,
};
const char *const volunteer_states[] = {
	"draft", "草稿", "published", "报名中", "in_progress", "进行中", "finished", "已结束", "cancelled", "已取消", NULL,
};
static const char *const action_labels[] = {"publish", "发布", "start", "开始", "finish", "结束", "cancel", "取消活动", NULL};

static const char *label(const char *const *map, const char *key)
{
	for (const char *const *p = map; key && *p; p += 2)
		if (!strcmp(p[0], key))
			return p[1];
	return key ? key : "";
}
const char *volunteer_kind_label(const char *k) { return label(volunteer_kinds, k); }
const char *volunteer_state_label(const char *s) { return label(volunteer_states, s); }
const char *volunteer_action_label(const char *a) { return label(action_labels, a); }

const struct volunteer_transition *volunteer_find(const char *from, const char *action, int actor)
{
	for (size_t i = 0; i < volunteer_transitions_n; i++) {
		const struct volunteer_transition *t = &volunteer_transitions[i];
		if (!strcmp(t->from, from) && !strcmp(t->action, action) && (t->actors & actor))
			return t;
	}
	return NULL;
}

static bool is(const char *a, const char *b) { return !strcmp(a, b); }
static bool under(const char *path, const char *prefix) { return *prefix && !strncmp(path, prefix, strlen(prefix)); }
static bool text_ok(const char *s, size_t max) { return s && *s && utf8_valid(s) && utf8_len(s) <= max; }

void volunteer_hours_text(int64_t minutes, char out[24])
{
	/* one decimal, rounded half up: 150 → 2.5, 20 → 0.3 */
	int64_t tenths = (minutes * 10 + 30) / 60;
	snprintf(out, 24, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
}

bool volunteer_parse_time(const char *s, int64_t *out)
{
	if (!s || !*s)
		return false;
	int y, mo, da, h, mi;
	char sep;
	if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d", &y, &mo, &da, &sep, &h, &mi) == 6 && (sep == ' ' || sep == 'T') && mo >= 1 && mo <= 12 && da >= 1 &&
	    da <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60) {
		struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = da, .tm_hour = h, .tm_min = mi};
		*out = (int64_t)timegm(&tm) - 8 * 3600;
		return true;
	}
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return false;
	*out = v;
	return true;
}

int64_t volunteer_minutes(int64_t starts_at, int64_t ends_at, int64_t in, int64_t out)
{
	int64_t from = in > starts_at ? in : starts_at, to = out < ends_at ? out : ends_at;
	return to > from ? (to - from) / 60 : 0;
}

/* ---- loading ---- */

#define ACT_COLS                                                                                                                                   \
	"a.id, a.org_id, COALESCE(a.team_id, 0), o.name, o.path, o.code, COALESCE(t.name, ''), a.title, a.kind, a.place, a.starts_at, a.ends_at, " \
	"a.capacity, a.open_registered, a.state, a.cancel_reason, a.public_count, COALESCE(a.created_by, 0), a.created_at, "                       \
	"(SELECT COUNT(*) FROM volunteer_signups s WHERE s.activity_id = a.id AND s.state = 'signed'), "                                           \
	"(SELECT COUNT(*) FROM volunteer_signups s WHERE s.activity_id = a.id AND s.state = 'waiting'), "                                          \
	"(SELECT COUNT(*) FROM volunteer_signups s WHERE s.activity_id = a.id AND s.checkin_at IS NOT NULL) "
#define ACT_FROM " FROM volunteer_activities a JOIN orgs o ON o.id = a.org_id LEFT JOIN volunteer_teams t ON t.id = a.team_id "

static void act_fill(db_stmt *s, struct volunteer_activity *v)
{
	memset(v, 0, sizeof *v);
	v->id = db_int(s, 0);
	v->org_id = db_int(s, 1);
	v->team_id = db_int(s, 2);
	snprintf(v->org_name, sizeof v->org_name, "%s", db_str(s, 3));
	snprintf(v->org_path, sizeof v->org_path, "%s", db_str(s, 4));
	snprintf(v->org_code, sizeof v->org_code, "%s", db_str(s, 5));
	snprintf(v->team_name, sizeof v->team_name, "%s", db_str(s, 6));
	snprintf(v->title, sizeof v->title, "%s", db_str(s, 7));
	snprintf(v->kind, sizeof v->kind, "%s", db_str(s, 8));
	snprintf(v->place, sizeof v->place, "%s", db_str(s, 9));
	v->starts_at = db_int(s, 10);
	v->ends_at = db_int(s, 11);
	v->capacity = db_int(s, 12);
	v->open_registered = db_int(s, 13) != 0;
	snprintf(v->state, sizeof v->state, "%s", db_str(s, 14));
	snprintf(v->cancel_reason, sizeof v->cancel_reason, "%s", db_str(s, 15));
	v->public_count = db_int(s, 16);
	v->created_by = db_int(s, 17);
	v->created_at = db_int(s, 18);
	v->signed_n = db_int(s, 19);
	v->waiting_n = db_int(s, 20);
	v->checked_in_n = db_int(s, 21);
}

int64_t volunteer_finished_first(db *d, const char *org_path, int64_t t0, int64_t t1)
{
	return db_int1(d, 0,
		       "SELECT a.id FROM volunteer_activities a JOIN orgs o ON o.id = a.org_id WHERE a.state = 'finished' AND a.starts_at >= ? AND "
		       "a.starts_at < ? AND o.path LIKE ? || '%' ORDER BY a.starts_at, a.id LIMIT 1",
		       "IIt", t0, t1, org_path);
}

int64_t volunteer_upcoming_count(db *d, const struct actor *a)
{
	int64_t me = volunteer_member_of(d, a);
	if (!me)
		return 0;
	return db_int1(d, 0,
		       "SELECT COUNT(*) FROM volunteer_signups s JOIN volunteer_activities a ON a.id = s.activity_id WHERE s.member_id = ? AND "
		       "s.state IN ('signed', 'waiting') AND a.state IN ('published', 'in_progress')",
		       "I", me);
}

int volunteer_pick_each(db *d, const struct actor *a, const char *prefix, const char *q, int limit, void (*fn)(void *ctx, const struct volunteer_pick *p),
			void *ctx)
{
	if (!(a->role & ORGANISERS))
		return 0;
	const char *scope = actor_scope(a);
	/* the narrower of the two: the activity's org inside the organiser's subtree, else the subtree */
	const char *under = prefix && *prefix && actor_covers(a, prefix) ? prefix : scope;
	if (!q)
		q = "";
	if (strpbrk(q, "%_\\") || strlen(q) > 60)
		return 0; /* a name has none of them: nobody */
	int n = 0;
	db_stmt *s = db_query(d,
			      "SELECT m.id, m.name, o.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? || '%' AND "
			      "m.status <> 'stopped' AND m.name LIKE '%' || ? || '%' ORDER BY o.path, m.name, m.id LIMIT ?",
			      "tti", under, q, limit);
	while (db_next(s)) {
		struct volunteer_pick p = {db_int(s, 0), db_str(s, 1), db_str(s, 2)};
		fn(ctx, &p);
		n++;
	}
	db_done(s);
	return n;
}

struct pick_one {
	int64_t id;
	int n;
	char exact[128];
};
static void pick_exact(void *ctx, const struct volunteer_pick *p)
{
	struct pick_one *c = ctx;
	if (!strcmp(p->name, c->exact)) {
		c->id = p->member_id;
		c->n++;
	}
}

enum dj_result volunteer_pick_resolve(db *d, const struct actor *a, const char *typed, int64_t *member_id, struct field_errors *e)
{
	*member_id = 0;
	char t[128];
	snprintf(t, sizeof t, "%s", typed ? typed : "");
	/* trim the spaces a phone keyboard leaves */
	char *b = t;
	while (*b == ' ')
		b++;
	size_t len = strlen(b);
	while (len && b[len - 1] == ' ')
		b[--len] = 0;
	if (!*b)
		return ferr_add(e, "member_id", "请选择党员（输入姓名搜索）"), DJ_INVALID;
	const char *hash = strrchr(b, '#');
	const char *digits = hash ? hash + 1 : b;
	bool number = *digits && strspn(digits, "0123456789") == strlen(digits) && strlen(digits) < 16;
	if (number) {
		*member_id = atoll(digits);
		return DJ_OK; /* the sign-up checks it is the organiser's to sign up */
	}
	if (hash)
		return ferr_add(e, "member_id", "请从列表中选择党员"), DJ_INVALID;
	struct pick_one c = {0};
	snprintf(c.exact, sizeof c.exact, "%s", b);
	volunteer_pick_each(d, a, NULL, b, 200, pick_exact, &c);
	if (c.n == 1) {
		*member_id = c.id;
		return DJ_OK;
	}
	if (c.n > 1)
		return ferr_add(e, "member_id", "有%d名党员叫“%s”，请从列表中选择（带编号）", c.n, b), DJ_INVALID;
	return ferr_add(e, "member_id", "您管辖的党员中没有“%s”", b), DJ_INVALID;
}

bool volunteer_activity_load(db *d, int64_t id, struct volunteer_activity *v)
{
	db_stmt *s = db_query(d, "SELECT " ACT_COLS ACT_FROM "WHERE a.id = ?", "I", id);
	bool ok = db_next(s);
	if (ok)
		act_fill(s, v);
	db_done(s);
	return ok;
}

int64_t volunteer_member_of(db *d, const struct actor *a)
{
	if (!a->user_id)
		return 0;
	return db_int1(d, 0, "SELECT id FROM members WHERE user_id = ?", "I", a->user_id);
}

/* The roster member's org path and 双报到 community path ("" none). */
static bool member_paths(db *d, int64_t member_id, char org_path[256], char service_path[256], char name[96], char status[16], bool *in_service)
{
	db_stmt *s = db_query(d,
			      "SELECT o.path, COALESCE(so.path, ''), m.name, m.status, m.in_service FROM members m JOIN orgs o ON o.id = m.org_id "
			      "LEFT JOIN orgs so ON so.id = m.service_org_id WHERE m.id = ?",
			      "I", member_id);
	bool ok = db_next(s);
	if (ok) {
		snprintf(org_path, 256, "%s", db_str(s, 0));
		snprintf(service_path, 256, "%s", db_str(s, 1));
		snprintf(name, 96, "%s", db_str(s, 2));
		snprintf(status, 16, "%s", db_str(s, 3));
		*in_service = db_int(s, 4) != 0;
	}
	db_done(s);
	return ok;
}

/* Whether the activity is open to the member: a member of its subtree, or
 * (双报到) an in-service member registered with a community inside it. */
static bool open_to(const struct volunteer_activity *v, const char *org_path, const char *service_path, bool in_service)
{
	return under(org_path, v->org_path) || (v->open_registered && in_service && under(service_path, v->org_path));
}

bool volunteer_visible(db *d, const struct actor *a, const struct volunteer_activity *v)
{
	if (actor_covers(a, v->org_path))
		return true;
	if (!a->user_id)
		return false;
	if (under(a->org_path, v->org_path)) /* an activity of the town, seen from a branch */
		return true;
	int64_t m = volunteer_member_of(d, a);
	char op[256], sp[256], name[96], st[16];
	bool ins = false;
	return m && member_paths(d, m, op, sp, name, st, &ins) && open_to(v, op, sp, ins);
}

bool volunteer_organises(const struct actor *a, const struct volunteer_activity *v)
{
	return ((a->role & ORGANISERS) && actor_covers(a, v->org_path)) || (a->user_id && a->user_id == v->created_by) || a->role == A_SYSTEM;
}

/* ---- activities ---- */

enum dj_result volunteer_create(db *d, const struct actor *a, const struct volunteer_new *n, int64_t now, int64_t *id_out, struct field_errors *e)
{
	if (!permission_allows(&perm_volunteer_organise, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "您的角色不能组织志愿服务活动");
	if (!text_ok(n->title, 80))
		ferr_add(e, "title", "请填写活动名称（80字以内）");
	if (!n->kind || !*n->kind || !strcmp(volunteer_kind_label(n->kind), n->kind))
		ferr_add(e, "kind", "请选择活动类型");
	if (!text_ok(n->place, 80))
		ferr_add(e, "place", "请填写活动地点（80字以内）");
	int64_t t0 = 0, t1 = 0;
	if (!volunteer_parse_time(n->starts, &t0))
		ferr_add(e, "starts", "请填写开始时间（YYYY-MM-DD HH:MM）");
	if (!volunteer_parse_time(n->ends, &t1))
		ferr_add(e, "ends", "请填写结束时间（YYYY-MM-DD HH:MM）");
	else if (t0 && t1 <= t0)
		ferr_add(e, "ends", "结束时间应晚于开始时间");
	else if (t0 && t1 - t0 > 24 * 3600)
		ferr_add(e, "ends", "一次活动不能超过24小时");
	if (n->capacity < 1 || n->capacity > 10000)
		ferr_add(e, "capacity", "名额应为1到10000之间的整数");
	int64_t org_id = n->org_code && *n->org_code ? orgs_id_by_code(d, n->org_code) : a->org_id;
	struct org o;
	if (!org_id || !org_load(d, org_id, &o) || !actor_covers(a, o.path))
		ferr_add(e, "org", "组织不存在或不在您的管辖范围内");
	int64_t team = 0;
	if (n->team && *n->team) {
		team = parse_id(n->team);
		if (!team || !db_int1(d, 0, "SELECT t.id FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id WHERE t.id = ? AND o.path LIKE ? || '%'",
				      "It", team, actor_scope(a)))
			ferr_add(e, "team", "服务队不存在或不在您的管辖范围内");
	}
	if (e->n)
		return DJ_INVALID;
	const char *state = n->publish ? "published" : "draft";
	int64_t id = db_int1(
		d, 0,
		"INSERT INTO volunteer_activities (org_id, team_id, title, kind, place, starts_at, ends_at, capacity, open_registered, state, "
		"created_by, created_at, updated_at) VALUES (?, NULLIF(CAST(? AS BIGINT), 0), ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?) RETURNING id",
		"IItttIIIItIII", org_id, team ? team : (int64_t)0, n->title, n->kind, n->place, t0, t1, n->capacity, (int64_t)(n->open_registered ? 1 : 0),
		state, a->user_id, now, now);
	if (!id)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	char sum[400];
	snprintf(sum, sizeof sum, "%s（%s，%s）", n->title, volunteer_kind_label(n->kind), volunteer_state_label(state));
	if (audit_write(d, a, "volunteer.create", "volunteer", id, org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	*id_out = id;
	return DJ_OK;
}

/* Closes the check-outs left open at the end of the activity (marked auto). */
static int close_forgotten(db *d, const struct volunteer_activity *v)
{
	db_stmt *s = db_query(d, "SELECT id, checkin_at FROM volunteer_signups WHERE activity_id = ? AND checkin_at IS NOT NULL AND checkout_at IS NULL",
			      "I", v->id);
	int64_t ids[512], ins[512];
	size_t n = 0;
	while (db_next(s) && n < 512) {
		ids[n] = db_int(s, 0);
		ins[n++] = db_int(s, 1);
	}
	if (db_done(s) != DB_OK)
		return DB_ERR;
	for (size_t i = 0; i < n; i++) {
		int64_t out = ins[i] > v->ends_at ? ins[i] : v->ends_at;
		int rc = db_run(d,
				"UPDATE volunteer_signups SET checkout_at = ?, checkout_how = 'auto', minutes = CASE WHEN minutes_manual = 1 THEN minutes "
				"ELSE ? END WHERE id = ?",
				"III", out, volunteer_minutes(v->starts_at, v->ends_at, ins[i], out), ids[i]);
		if (rc != DB_OK)
			return rc;
	}
	return n == 512 ? close_forgotten(d, v) : DB_OK;
}

static enum dj_result award_hours(db *d, const struct actor *a, int64_t signup_id, const char *why, int64_t now, struct field_errors *e);

enum dj_result volunteer_act(db *d, const struct actor *a, int64_t id, const char *action, const char *reason, int64_t now, struct field_errors *e)
{
	struct volunteer_activity v;
	if (!volunteer_activity_load(d, id, &v) || !volunteer_visible(d, a, &v))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "活动不存在");
	if (!volunteer_organises(a, &v))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有活动的组织者可以这样做");
	const struct volunteer_transition *t = volunteer_find(v.state, action, a->role);
	if (!t)
		return dj_fail(e, DJ_CONFLICT, "活动%s，不能%s", volunteer_state_label(v.state), volunteer_action_label(action));
	if (is(action, "cancel") && !text_ok(reason, 200)) {
		ferr_add(e, "reason", "请填写取消原因（200字以内）");
		return DJ_INVALID;
	}
	if (db_run(d, "UPDATE volunteer_activities SET state = ?, cancel_reason = ?, updated_at = ? WHERE id = ? AND state = ?", "ttIIt", t->to,
		   is(action, "cancel") ? reason : v.cancel_reason, now, id, v.state) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	if (db_changes(d) != 1)
		return dj_fail(e, DJ_CONFLICT, "%s", "活动刚被他人更改，请刷新后再试");
	if (is(action, "finish")) {
		if (close_forgotten(d, &v) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		/* the forgotten check-outs now have their hours: their points too */
		db_stmt *s = db_query(d, "SELECT id FROM volunteer_signups WHERE activity_id = ? AND checkout_how = 'auto'", "I", id);
		int64_t ids[512];
		size_t n = 0;
		while (db_next(s) && n < 512)
			ids[n++] = db_int(s, 0);
		if (db_done(s) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		for (size_t i = 0; i < n; i++) {
			enum dj_result r = award_hours(d, a, ids[i], "活动结束时自动签退", now, e);
			if (r != DJ_OK)
				return r;
		}
	}
	if (is(action, "cancel")) {
		char text[400];
		snprintf(text, sizeof text, "志愿服务活动“%s”已取消：%s", v.title, reason);
		db_stmt *s = db_query(
			d,
			"SELECT m.user_id FROM volunteer_signups s JOIN members m ON m.id = s.member_id WHERE s.activity_id = ? AND s.state IN "
			"('signed', 'waiting') AND m.user_id IS NOT NULL ORDER BY s.id",
			"I", id);
		int64_t users[1024];
		size_t n = 0;
		while (db_next(s) && n < 1024)
			users[n++] = db_int(s, 0);
		if (db_done(s) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		for (size_t i = 0; i < n; i++)
			if (notify_user(d, users[i], "volunteer_cancelled", "volunteer", id, text, now) != DB_OK)
				return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	}
	char sum[700];
	snprintf(sum, sizeof sum, "%s：%s%s%s", v.title, volunteer_action_label(action), is(action, "cancel") ? "，" : "",
		 is(action, "cancel") ? reason : "");
	char what[40];
	snprintf(what, sizeof what, "volunteer.%s", action);
	if (audit_write(d, a, what, "volunteer", id, v.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	return DJ_OK;
}

int volunteer_tick(db *d, int64_t now)
{
	struct actor sys;
	actor_system(&sys);
	int changed = 0;
	/* started: published and past the start; finished: the window has closed */
	db_stmt *s = db_query(d,
			      "SELECT id, CASE WHEN ends_at + ? <= ? THEN 'finish' ELSE 'start' END FROM volunteer_activities WHERE (state = 'published' "
			      "AND starts_at <= ?) OR (state = 'in_progress' AND ends_at + ? <= ?) ORDER BY id LIMIT 200",
			      "IIIII", (int64_t)VOLUNTEER_CLOSES_AFTER, now, now, (int64_t)VOLUNTEER_CLOSES_AFTER, now);
	struct {
		int64_t id;
		bool finish;
	} todo[200];
	size_t n = 0;
	while (db_next(s) && n < 200) {
		todo[n].id = db_int(s, 0);
		todo[n++].finish = is(db_str(s, 1), "finish");
	}
	if (db_done(s) != DB_OK)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct field_errors e = {0};
		if (volunteer_act(d, &sys, todo[i].id, todo[i].finish ? "finish" : "start", NULL, now, &e) != DJ_OK)
			return -1;
		changed++;
	}
	return changed;
}

/* ---- sign-ups ---- */

/* Who is signed up: member_id 0 means the actor's own record; else the
 * actor must be staff whose subtree holds the member. */
static enum dj_result whom(db *d, const struct actor *a, int64_t member_id, int64_t *out, char org_path[256], char service_path[256], char name[96],
			   bool *in_service, struct field_errors *e)
{
	char status[16];
	if (!member_id) {
		if (!(*out = volunteer_member_of(d, a)))
			return dj_fail(e, DJ_FORBIDDEN, "%s", "您的账号没有关联党员花名册，请联系支部书记");
	} else {
		if (!(a->role & ORGANISERS))
			return dj_fail(e, DJ_FORBIDDEN, "%s", "只有支部书记可以为其他党员报名");
		*out = member_id;
	}
	if (!member_paths(d, *out, org_path, service_path, name, status, in_service))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "党员不存在");
	if (member_id && !actor_covers(a, org_path) && !(*service_path && actor_covers(a, service_path)))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "党员不在您的管辖范围内");
	if (is(status, "stopped"))
		return dj_fail(e, DJ_CONFLICT, "%s", "停止党籍的党员不能报名");
	return DJ_OK;
}

enum dj_result volunteer_signup(db *d, const struct actor *a, int64_t id, int64_t member_id, int64_t now, bool *waiting, struct field_errors *e)
{
	struct volunteer_activity v;
	if (!volunteer_activity_load(d, id, &v) || !volunteer_visible(d, a, &v))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "活动不存在");
	int64_t m;
	char op[256], sp[256], name[96];
	bool ins = false;
	enum dj_result r = whom(d, a, member_id, &m, op, sp, name, &ins, e);
	if (r != DJ_OK)
		return r;
	if (!is(v.state, "published"))
		return dj_fail(e, DJ_CONFLICT, "活动%s，不能报名", volunteer_state_label(v.state));
	if (now >= v.starts_at)
		return dj_fail(e, DJ_CONFLICT, "%s", "活动已经开始，不能再报名");
	if (!open_to(&v, op, sp, ins))
		return dj_fail(e, DJ_FORBIDDEN, "%s不是%s的党员，也没有到该社区报到，不能报名", name, v.org_name);
	char state[16] = "";
	db_stmt *s = db_query(d, "SELECT state FROM volunteer_signups WHERE activity_id = ? AND member_id = ?", "II", id, m);
	if (db_next(s))
		snprintf(state, sizeof state, "%s", db_str(s, 0));
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	if (is(state, "signed") || is(state, "waiting"))
		return dj_fail(e, DJ_CONFLICT, "%s已经%s，不能重复报名", name, is(state, "signed") ? "报名" : "在候补名单中");
	*waiting = v.signed_n >= v.capacity;
	const char *to = *waiting ? "waiting" : "signed";
	int rc =
		*state ? db_run(d,
				"UPDATE volunteer_signups SET state = ?, signed_at = ?, signed_by = NULLIF(CAST(? AS BIGINT), 0) WHERE activity_id = ? AND "
				"member_id = ?",
				"tIIII", to, now, a->user_id, id, m)
		       : db_run(d,
				"INSERT INTO volunteer_signups (activity_id, member_id, state, signed_at, signed_by) VALUES (?, ?, ?, ?, "
				"NULLIF(CAST(? AS BIGINT), 0))",
				"IItII", id, m, to, now, a->user_id);
	if (rc != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	char sum[400];
	snprintf(sum, sizeof sum, "%s %s%s", v.title, name, *waiting ? "（候补）" : "");
	if (audit_write(d, a, "volunteer.signup", "volunteer", id, v.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result volunteer_signup_cancel(db *d, const struct actor *a, int64_t id, int64_t member_id, int64_t now, struct field_errors *e)
{
	struct volunteer_activity v;
	if (!volunteer_activity_load(d, id, &v) || !volunteer_visible(d, a, &v))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "活动不存在");
	int64_t m;
	char op[256], sp[256], name[96];
	bool ins = false;
	enum dj_result r = whom(d, a, member_id, &m, op, sp, name, &ins, e);
	if (r != DJ_OK)
		return r;
	if (now >= v.starts_at)
		return dj_fail(e, DJ_CONFLICT, "%s", "活动已经开始，不能取消报名");
	char state[16] = "";
	db_stmt *s = db_query(d, "SELECT state FROM volunteer_signups WHERE activity_id = ? AND member_id = ?", "II", id, m);
	if (db_next(s))
		snprintf(state, sizeof state, "%s", db_str(s, 0));
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	if (!is(state, "signed") && !is(state, "waiting"))
		return dj_fail(e, DJ_CONFLICT, "%s没有报名这次活动", name);
	if (db_run(d, "UPDATE volunteer_signups SET state = 'cancelled' WHERE activity_id = ? AND member_id = ?", "II", id, m) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	if (is(state, "signed") && is(v.state, "published")) {
		/* a place is free: the first of the waiting list moves up */
		int64_t next = 0, user = 0;
		s = db_query(d,
			     "SELECT s.id, COALESCE(m.user_id, 0) FROM volunteer_signups s JOIN members m ON m.id = s.member_id WHERE s.activity_id = ? "
			     "AND s.state = 'waiting' ORDER BY s.signed_at, s.id LIMIT 1",
			     "I", id);
		if (db_next(s)) {
			next = db_int(s, 0);
			user = db_int(s, 1);
		}
		if (db_done(s) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		if (next && db_run(d, "UPDATE volunteer_signups SET state = 'signed' WHERE id = ?", "I", next) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		char text[400];
		snprintf(text, sizeof text, "有人取消报名，您已从候补转为正式报名：%s", v.title);
		if (next && user && notify_user(d, user, "volunteer_promoted", "volunteer", id, text, now) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	}
	char sum[400];
	snprintf(sum, sizeof sum, "%s %s 取消报名", v.title, name);
	if (audit_write(d, a, "volunteer.signup_cancel", "volunteer", id, v.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	return DJ_OK;
}

/* ---- attendance ---- */

struct attendance {
	int64_t id;
	char state[16];
	int64_t checkin_at, checkout_at, minutes;
	bool manual;
};

static int attendance_load(db *d, int64_t id, int64_t m, struct attendance *at)
{
	memset(at, 0, sizeof *at);
	db_stmt *s = db_query(d,
			      "SELECT id, state, COALESCE(checkin_at, 0), COALESCE(checkout_at, 0), minutes, minutes_manual FROM volunteer_signups WHERE "
			      "activity_id = ? AND member_id = ?",
			      "II", id, m);
	if (db_next(s)) {
		at->id = db_int(s, 0);
		snprintf(at->state, sizeof at->state, "%s", db_str(s, 1));
		at->checkin_at = db_int(s, 2);
		at->checkout_at = db_int(s, 3);
		at->minutes = db_int(s, 4);
		at->manual = db_int(s, 5) != 0;
	}
	return db_done(s);
}

/* Points for the hours of one attendance (issue 11's ledger), in the
 * transaction of whatever set or changed its hours (the check-out, the end
 * of the activity closing a forgotten check-out, hours by hand, a check-out
 * time corrected by the organiser): the rule volunteer_hour pays per FULL
 * hour served (qty = minutes / 60, so 2.5 hours earn 2 × the rule's points;
 * under an hour earns none), one award per attendance (source
 * "volunteer_signup", id) at the time of the check-out. Hours changed after
 * the award are followed by a correction (points_correct through
 * points_source_set, the reason saying why), so the attendance's entries
 * always add up to its full hours × the rule. The one place the ledger is
 * written. The award follows the change whoever made it: when the actor's
 * subtree does not hold the member (a community's organiser checking out a
 * 双报到 member of another branch), or the actor may not correct points,
 * the ledger records the system as having done it. */
static enum dj_result award_hours(db *d, const struct actor *a, int64_t signup_id, const char *why, int64_t now, struct field_errors *e)
{
	int64_t member = 0, minutes = 0, at = 0;
	char path[256] = "";
	db_stmt *s = db_query(d,
			      "SELECT s.member_id, s.minutes, COALESCE(s.checkout_at, 0), o.path FROM volunteer_signups s JOIN members m ON m.id = "
			      "s.member_id JOIN orgs o ON o.id = m.org_id WHERE s.id = ?",
			      "I", signup_id);
	if (db_next(s)) {
		member = db_int(s, 0);
		minutes = db_int(s, 1);
		at = db_int(s, 2);
		snprintf(path, sizeof path, "%s", db_str(s, 3));
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	if (!member || !at)
		return DJ_OK;
	struct actor sys;
	actor_system(&sys);
	bool own = a->user_id && volunteer_member_of(d, a) == member;
	char h[24], reason[240];
	volunteer_hours_text(minutes, h);
	snprintf(reason, sizeof reason, "志愿服务时长更正为 %s 小时：%s", h, why && *why ? why : "组织者更正");
	int64_t qty = minutes / 60 > 1000 ? 1000 : minutes / 60;
	const struct actor *by = own || actor_covers(a, path) ? a : &sys;
	enum dj_result r = points_source_set(d, by, member, "volunteer_hour", "volunteer_signup", signup_id, qty, at, reason, now, e);
	if (r == DJ_FORBIDDEN && by != &sys) {
		/* a member's own hands pay, but only staff correct: the system does */
		e->n = 0;
		r = points_source_set(d, &sys, member, "volunteer_hour", "volunteer_signup", signup_id, qty, at, reason, now, e);
	}
	return r;
}

/* Writes a check-in or check-out of one member; how: scan | manual | auto. */
static enum dj_result attend(db *d, const struct actor *a, const struct volunteer_activity *v, int64_t m, const char *name, bool checkout, int64_t at,
			     const char *how, int64_t now, char *done, size_t done_n, struct field_errors *e)
{
	struct attendance t;
	if (attendance_load(d, v->id, m, &t) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	char hm[20];
	fmt_time(at, hm);
	if (!checkout) {
		if (t.checkin_at)
			return dj_fail(e, DJ_CONFLICT, "%s已于%s签到", name, hm);
		if (is(t.state, "waiting"))
			return dj_fail(e, DJ_CONFLICT, "%s在候补名单中，请联系组织者", name);
		if (!t.id || is(t.state, "cancelled")) {
			/* a walk-in: a place must be free */
			if (v->signed_n >= v->capacity)
				return dj_fail(e, DJ_CONFLICT, "%s", "活动名额已满");
			int rc = t.id ? db_run(d, "UPDATE volunteer_signups SET state = 'signed', signed_at = ? WHERE id = ?", "II", at, t.id)
				      : db_run(d, "INSERT INTO volunteer_signups (activity_id, member_id, state, signed_at) VALUES (?, ?, 'signed', ?)",
					       "III", v->id, m, at);
			if (rc != DB_OK)
				return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		}
		if (db_run(d,
			   "UPDATE volunteer_signups SET checkin_at = ?, checkin_how = ? WHERE activity_id = ? AND member_id = ? AND checkin_at IS NULL",
			   "ItII", at, how, v->id, m) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		snprintf(done, done_n, "%s 已签到 %s", name, hm + 11);
	} else {
		if (!t.checkin_at)
			return dj_fail(e, DJ_CONFLICT, "%s尚未签到，不能签退", name);
		/* the organiser's hand may correct a check-out already made (a
		 * forgotten one closed at the end, a wrong time): an edit, marked
		 * manual, whose hours the points follow; a scan never does */
		bool edit = t.checkout_at != 0;
		if (edit && !is(how, "manual"))
			return dj_fail(e, DJ_CONFLICT, "%s已经签退", name);
		if (at < t.checkin_at)
			return dj_fail(e, DJ_CONFLICT, "%s", "签退时间不能早于签到时间");
		int64_t minutes = t.manual ? t.minutes : volunteer_minutes(v->starts_at, v->ends_at, t.checkin_at, at);
		if (db_run(d, "UPDATE volunteer_signups SET checkout_at = ?, checkout_how = ?, minutes = ? WHERE id = ? AND COALESCE(checkout_at, 0) = ?",
			   "ItIII", at, how, minutes, t.id, t.checkout_at) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		if (db_changes(d) != 1)
			return dj_fail(e, DJ_CONFLICT, "%s的签退刚被他人更改，请刷新后再试", name);
		char h[24];
		volunteer_hours_text(minutes, h);
		snprintf(done, done_n, "%s %s %s，服务 %s 小时", name, edit ? "签退时间更正为" : "已签退", hm + 11, h);
		enum dj_result r = award_hours(d, a, t.id, edit ? "组织者更正签退时间" : "签退", now, e);
		if (r != DJ_OK)
			return r;
	}
	return DJ_OK;
}

enum dj_result volunteer_scan(db *d, const struct actor *a, int64_t id, int64_t now, char *done, size_t done_n, struct field_errors *e)
{
	struct volunteer_activity v;
	if (!volunteer_activity_load(d, id, &v) || !volunteer_visible(d, a, &v))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "活动不存在");
	if (!is(v.state, "published") && !is(v.state, "in_progress"))
		return dj_fail(e, DJ_CONFLICT, "活动%s，不能签到", volunteer_state_label(v.state));
	int64_t m;
	char op[256], sp[256], name[96];
	bool ins = false;
	enum dj_result r = whom(d, a, 0, &m, op, sp, name, &ins, e);
	if (r != DJ_OK)
		return r;
	if (!open_to(&v, op, sp, ins))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "这次活动不面向您所在的组织");
	struct attendance t;
	if (attendance_load(d, id, m, &t) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	if (t.checkin_at && !t.checkout_at && now - t.checkin_at < VOLUNTEER_REPLAY_GAP) {
		/* the same code scanned again (or a double tap): not a check-out */
		char hm[20];
		fmt_time(t.checkin_at, hm);
		snprintf(done, done_n, "%s 已签到 %s（离开时再扫码签退）", name, hm + 11);
		return DJ_OK;
	}
	bool checkout = t.checkin_at != 0;
	if ((r = attend(d, a, &v, m, name, checkout, now, "scan", now, done, done_n, e)) != DJ_OK)
		return r;
	char sum[400];
	snprintf(sum, sizeof sum, "%s：%s", v.title, done);
	if (audit_write(d, a, checkout ? "volunteer.checkout" : "volunteer.checkin", "volunteer", id, v.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result volunteer_manual(db *d, const struct actor *a, int64_t id, int64_t member_id, const char *op, int64_t at, int64_t minutes,
				const char *reason, int64_t now, struct field_errors *e)
{
	struct volunteer_activity v;
	if (!volunteer_activity_load(d, id, &v) || !volunteer_visible(d, a, &v))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "活动不存在");
	if (!volunteer_organises(a, &v))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有活动的组织者可以手工签到或核定时长");
	if (is(v.state, "draft") || is(v.state, "cancelled"))
		return dj_fail(e, DJ_CONFLICT, "活动%s，不能签到", volunteer_state_label(v.state));
	if (!member_id) {
		ferr_add(e, "member_id", "请选择党员");
		return DJ_INVALID;
	}
	int64_t m;
	char opath[256], sp[256], name[96];
	bool ins = false;
	enum dj_result r = whom(d, a, member_id, &m, opath, sp, name, &ins, e);
	if (r != DJ_OK)
		return r;
	if (!open_to(&v, opath, sp, ins))
		return dj_fail(e, DJ_FORBIDDEN, "%s不是%s的党员，也没有到该社区报到", name, v.org_name);
	char done[200] = "", sum[1400];
	if (is(op, "checkin") || is(op, "checkout")) {
		if (!at)
			at = now;
		if (at < v.starts_at - VOLUNTEER_OPENS_BEFORE || at > v.ends_at + VOLUNTEER_CLOSES_AFTER || at > now) {
			ferr_add(e, "at", "签到、签退时间应在活动时间前后，且不晚于现在");
			return DJ_INVALID;
		}
		if ((r = attend(d, a, &v, m, name, is(op, "checkout"), at, "manual", now, done, sizeof done, e)) != DJ_OK)
			return r;
		if (is(op, "checkin") &&
		    db_run(d, "UPDATE volunteer_signups SET checkin_by = NULLIF(CAST(? AS BIGINT), 0) WHERE activity_id = ? AND member_id = ?", "III",
			   a->user_id, id, m) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		if (is(op, "checkout") &&
		    db_run(d, "UPDATE volunteer_signups SET checkout_by = NULLIF(CAST(? AS BIGINT), 0) WHERE activity_id = ? AND member_id = ?", "III",
			   a->user_id, id, m) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		snprintf(sum, sizeof sum, "%s：%s（手工，%s）", v.title, done, a->label);
	} else if (is(op, "hours")) {
		int64_t len = (v.ends_at - v.starts_at) / 60;
		char lh[24];
		volunteer_hours_text(len, lh);
		if (!text_ok(reason, 200))
			ferr_add(e, "reason", "手工核定时长须填写原因（200字以内）");
		if (minutes < 0)
			ferr_add(e, "hours", "时长不能为负数");
		else if (minutes > len)
			ferr_add(e, "hours", "时长不能超过活动时长 %s 小时", lh);
		if (e->n)
			return DJ_INVALID;
		struct attendance t;
		if (attendance_load(d, id, m, &t) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		if (!t.checkin_at)
			return dj_fail(e, DJ_CONFLICT, "%s尚未签到，请先手工签到", name);
		/* a member still checked in is checked out at the end, by hand */
		if (db_run(d,
			   "UPDATE volunteer_signups SET minutes = ?, minutes_manual = 1, minutes_reason = ?, minutes_by = NULLIF(CAST(? AS BIGINT), 0), checkout_at "
			   "= COALESCE(checkout_at, ?), checkout_how = CASE WHEN checkout_at IS NULL THEN 'manual' ELSE checkout_how END WHERE id = ?",
			   "ItIII", minutes, reason, a->user_id, v.ends_at < now ? v.ends_at : now, t.id) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
		if ((r = award_hours(d, a, t.id, reason, now, e)) != DJ_OK)
			return r;
		char h[24];
		volunteer_hours_text(minutes, h);
		snprintf(sum, sizeof sum, "%s：%s 时长核定为 %s 小时（手工，%s）：%s", v.title, name, h, a->label, reason);
	} else {
		ferr_add(e, "op", "未知的操作");
		return DJ_INVALID;
	}
	char what[40];
	snprintf(what, sizeof what, "volunteer.manual_%s", op);
	if (audit_write(d, a, what, "volunteer", id, v.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result volunteer_set_public(db *d, const struct actor *a, int64_t id, int64_t count, struct field_errors *e)
{
	struct volunteer_activity v;
	if (!volunteer_activity_load(d, id, &v) || !volunteer_visible(d, a, &v))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "活动不存在");
	if (!volunteer_organises(a, &v))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有活动的组织者可以登记群众人数");
	if (count < 0 || count > 100000) {
		ferr_add(e, "public_count", "群众人数应为0到100000之间的整数");
		return DJ_INVALID;
	}
	if (db_run(d, "UPDATE volunteer_activities SET public_count = ? WHERE id = ?", "II", count, id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	char sum[400];
	snprintf(sum, sizeof sum, "%s：参与群众 %lld 人", v.title, (long long)count);
	if (audit_write(d, a, "volunteer.public", "volunteer", id, v.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	return DJ_OK;
}

/* ---- lists ---- */

void volunteer_signups_each(db *d, int64_t id, void (*fn)(void *ctx, const struct volunteer_signup_row *s), void *ctx)
{
	db_stmt *s = db_query(
		d,
		"SELECT s.id, s.member_id, m.name, o.name, s.state, s.signed_at, COALESCE(s.checkin_at, 0), COALESCE(s.checkout_at, 0), "
		"s.minutes, s.checkin_how, s.checkout_how, COALESCE(u.name, ''), s.minutes_reason, s.minutes_manual FROM volunteer_signups s "
		"JOIN members m ON m.id = s.member_id JOIN orgs o ON o.id = m.org_id LEFT JOIN users u ON u.id = s.checkin_by "
		"WHERE s.activity_id = ? ORDER BY CASE s.state WHEN 'signed' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, s.signed_at, s.id",
		"I", id);
	while (db_next(s)) {
		struct volunteer_signup_row r = {
			.id = db_int(s, 0),
			.member_id = db_int(s, 1),
			.name = db_str(s, 2),
			.org_name = db_str(s, 3),
			.state = db_str(s, 4),
			.signed_at = db_int(s, 5),
			.checkin_at = db_int(s, 6),
			.checkout_at = db_int(s, 7),
			.minutes = db_int(s, 8),
			.checkin_how = db_str(s, 9),
			.checkout_how = db_str(s, 10),
			.checkin_by = db_str(s, 11),
			.minutes_reason = db_str(s, 12),
			.minutes_manual = db_int(s, 13) != 0,
		};
		fn(ctx, &r);
	}
	db_done(s);
}

void volunteer_my_state(db *d, const struct actor *a, int64_t id, char out[16], int64_t *checkin_at, int64_t *checkout_at)
{
	out[0] = 0;
	*checkin_at = *checkout_at = 0;
	int64_t m = volunteer_member_of(d, a);
	struct attendance t;
	if (m && attendance_load(d, id, m, &t) == DB_OK && t.id) {
		snprintf(out, 16, "%s", t.state);
		*checkin_at = t.checkin_at;
		*checkout_at = t.checkout_at;
	}
}

enum dj_result volunteer_list(db *d, const struct actor *a, const char *state, int64_t limit, void (*fn)(void *ctx, const struct volunteer_activity *v),
			      void *ctx)
{
	if (state && *state && !strcmp(volunteer_state_label(state), state))
		return DJ_INVALID;
	/* the subtree's, the activities of the orgs above (the town's), and
	 * for a 双报到 member those of its service community */
	char sp[256] = "", op[256], name[96], st[16];
	bool ins = false;
	int64_t m = volunteer_member_of(d, a);
	if (m && (!member_paths(d, m, op, sp, name, st, &ins) || !ins))
		sp[0] = 0;
	db_stmt *s = db_query(d,
			      "SELECT " ACT_COLS ACT_FROM
			      "WHERE (o.path LIKE ? || '%' OR ? LIKE o.path || '%' OR (a.open_registered = 1 AND ? <> '' AND ? LIKE o.path || '%')) "
			      "AND (CAST(? AS TEXT) IS NULL OR a.state = ?) AND (a.state <> 'draft' OR o.path LIKE ? || '%') "
			      "ORDER BY a.starts_at DESC, a.id DESC LIMIT ?",
			      "tttttttI", actor_scope(a), a->user_id ? a->org_path : "", sp, sp, state && *state ? state : NULL, state ? state : "",
			      actor_scope(a), limit);
	while (db_next(s)) {
		struct volunteer_activity v;
		act_fill(s, &v);
		fn(ctx, &v);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

/* ---- a member's service ---- */

void volunteer_star_hours(db *d, int64_t out[VOLUNTEER_STARS])
{
	static const int64_t dflt[VOLUNTEER_STARS] = {100, 300, 600, 1000, 1500};
	memcpy(out, dflt, sizeof dflt);
	db_stmt *s = db_query(d, "SELECT value FROM settings WHERE key = 'volunteer_star_hours'", "");
	if (db_next(s)) {
		int64_t v[VOLUNTEER_STARS];
		const char *p = db_str(s, 0);
		int n = 0;
		for (; n < VOLUNTEER_STARS && *p; n++) {
			char *end;
			v[n] = strtoll(p, &end, 10);
			if (end == p || v[n] <= (n ? v[n - 1] : 0))
				break;
			p = *end == ',' ? end + 1 : end;
		}
		if (n == VOLUNTEER_STARS)
			memcpy(out, v, sizeof v);
	}
	db_done(s);
}

enum dj_result volunteer_member_stats(db *d, const struct actor *a, int64_t member_id, struct volunteer_member_stats *st, struct field_errors *e)
{
	memset(st, 0, sizeof *st);
	char op[256], sp[256], status[16];
	bool ins;
	if (!member_paths(d, member_id, op, sp, st->name, status, &ins))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "党员不存在");
	bool own = a->user_id && volunteer_member_of(d, a) == member_id;
	if (!own && (!(a->role & ORGANISERS) || (!actor_covers(a, op) && !(*sp && actor_covers(a, sp)))))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "党员不存在");
	st->member_id = member_id;
	db_stmt *s = db_query(d, "SELECT o.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?", "I", member_id);
	if (db_next(s))
		snprintf(st->org_name, sizeof st->org_name, "%s", db_str(s, 0));
	db_done(s);
	volunteer_star_hours(d, st->star_hours);
	st->year = points_year_of(now_unix());
	st->points_year = points_total(d, member_id, st->year);
	/* the stars' dates: the running total of minutes in the order the hours were earned */
	s = db_query(d,
		     "SELECT s.minutes, COALESCE(s.checkout_at, a.ends_at) FROM volunteer_signups s JOIN volunteer_activities a ON a.id = s.activity_id "
		     "WHERE s.member_id = ? AND s.checkin_at IS NOT NULL ORDER BY COALESCE(s.checkout_at, a.ends_at), s.id",
		     "I", member_id);
	while (db_next(s)) {
		st->times++;
		st->minutes += db_int(s, 0);
		while (st->stars < VOLUNTEER_STARS && st->minutes >= st->star_hours[st->stars] * 60)
			st->star_reached[st->stars++] = db_int(s, 1);
	}
	return db_done(s) == DB_OK ? DJ_OK : dj_fail(e, DJ_DB_ERROR, "%s", "读取失败，请稍后再试");
}

void volunteer_member_each(db *d, int64_t member_id, int64_t limit,
			   void (*fn)(void *ctx, const struct volunteer_activity *v, int64_t minutes, bool manual), void *ctx)
{
	db_stmt *s = db_query(
		d,
		"SELECT " ACT_COLS ", s.minutes, s.minutes_manual" ACT_FROM
		"JOIN volunteer_signups s ON s.activity_id = a.id WHERE s.member_id = ? AND s.checkin_at IS NOT NULL ORDER BY a.starts_at DESC "
		"LIMIT ?",
		"II", member_id, limit);
	while (db_next(s)) {
		struct volunteer_activity v;
		act_fill(s, &v);
		fn(ctx, &v, db_int(s, 22), db_int(s, 23) != 0);
	}
	db_done(s);
}

/* ---- teams ---- */

enum dj_result volunteer_team_create(db *d, const struct actor *a, const char *org_code, const char *name, int64_t leader_member_id, int64_t now,
				     int64_t *id_out, struct field_errors *e)
{
	if (!permission_allows(&perm_volunteer_organise, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "您的角色不能组建服务队");
	if (!text_ok(name, 40))
		ferr_add(e, "name", "请填写服务队名称（40字以内）");
	int64_t org_id = org_code && *org_code ? orgs_id_by_code(d, org_code) : a->org_id;
	struct org o;
	if (!org_id || !org_load(d, org_id, &o) || !actor_covers(a, o.path))
		ferr_add(e, "org", "组织不存在或不在您的管辖范围内");
	char op[256], sp[256], lname[96] = "", st[16];
	bool ins;
	if (leader_member_id && (!member_paths(d, leader_member_id, op, sp, lname, st, &ins) || !actor_covers(a, op)))
		ferr_add(e, "leader_member_id", "队长不在您的管辖范围内");
	if (e->n)
		return DJ_INVALID;
	if (db_int1(d, 0, "SELECT id FROM volunteer_teams WHERE org_id = ? AND name = ?", "It", org_id, name))
		return dj_fail(e, DJ_CONFLICT, "%s已有名为“%s”的服务队", o.name, name);
	int64_t id = db_int1(d, 0, "INSERT INTO volunteer_teams (org_id, name, leader_member_id, created_at) VALUES (?, ?, NULL, ?) RETURNING id", "ItI",
			     org_id, name, now);
	if (!id)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	if (leader_member_id &&
	    (db_run(d, "UPDATE volunteer_teams SET leader_member_id = ? WHERE id = ?", "II", leader_member_id, id) != DB_OK ||
	     db_run(d, "INSERT INTO volunteer_team_members (team_id, member_id, joined_at) VALUES (?, ?, ?)", "III", id, leader_member_id, now) != DB_OK))
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	char sum[300];
	snprintf(sum, sizeof sum, "%s（%s，队长 %s）", name, o.name, *lname ? lname : "未定");
	if (audit_write(d, a, "volunteer.team_create", "volunteer_team", id, org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	*id_out = id;
	return DJ_OK;
}

enum dj_result volunteer_team_add(db *d, const struct actor *a, int64_t team_id, int64_t member_id, int64_t now, struct field_errors *e)
{
	if (!permission_allows(&perm_volunteer_organise, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "您的角色不能管理服务队");
	char tpath[256] = "", tname[128] = "";
	int64_t org_id = 0;
	db_stmt *s = db_query(d, "SELECT o.path, t.name, t.org_id FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id WHERE t.id = ?", "I", team_id);
	if (db_next(s)) {
		snprintf(tpath, sizeof tpath, "%s", db_str(s, 0));
		snprintf(tname, sizeof tname, "%s", db_str(s, 1));
		org_id = db_int(s, 2);
	}
	db_done(s);
	if (!org_id || !actor_covers(a, tpath))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "服务队不存在");
	char op[256], sp[256], name[96], st[16];
	bool ins;
	if (!member_paths(d, member_id, op, sp, name, st, &ins) || !actor_covers(a, op)) {
		ferr_add(e, "member_id", "党员不在您的管辖范围内");
		return DJ_INVALID;
	}
	if (db_int1(d, 0, "SELECT 1 FROM volunteer_team_members WHERE team_id = ? AND member_id = ?", "II", team_id, member_id))
		return dj_fail(e, DJ_CONFLICT, "%s已是%s的队员", name, tname);
	if (db_run(d, "INSERT INTO volunteer_team_members (team_id, member_id, joined_at) VALUES (?, ?, ?)", "III", team_id, member_id, now) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	char sum[300];
	snprintf(sum, sizeof sum, "%s 加入 %s", name, tname);
	if (audit_write(d, a, "volunteer.team_add", "volunteer_team", team_id, org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	return DJ_OK;
}

void volunteer_teams_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct volunteer_team *t), void *ctx)
{
	/* a member sees the teams of its own org and above */
	db_stmt *s = db_query(d,
			      "SELECT t.id, t.org_id, COALESCE(t.leader_member_id, 0), (SELECT COUNT(*) FROM volunteer_team_members tm WHERE tm.team_id = "
			      "t.id), t.name, o.name, COALESCE(m.name, '') FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id LEFT JOIN members m ON "
			      "m.id = t.leader_member_id WHERE o.path LIKE ? || '%' OR ? LIKE o.path || '%' ORDER BY o.path, t.name",
			      "tt", actor_scope(a), a->user_id ? a->org_path : "");
	while (db_next(s)) {
		struct volunteer_team t = {.id = db_int(s, 0), .org_id = db_int(s, 1), .leader_member_id = db_int(s, 2), .members = db_int(s, 3)};
		snprintf(t.name, sizeof t.name, "%s", db_str(s, 4));
		snprintf(t.org_name, sizeof t.org_name, "%s", db_str(s, 5));
		snprintf(t.leader_name, sizeof t.leader_name, "%s", db_str(s, 6));
		fn(ctx, &t);
	}
	db_done(s);
}

/* ---- reports ---- */

void volunteer_figures_compute(db *d, const char *prefix, int64_t t0, int64_t t1, struct volunteer_figures *f)
{
	memset(f, 0, sizeof *f);
	f->registered = db_int1(
		d, 0,
		"SELECT COUNT(*) FROM members m JOIN orgs so ON so.id = m.service_org_id WHERE m.in_service = 1 AND m.status NOT IN ('stopped', 'transferred') "
		"AND so.path LIKE ? || '%'",
		"t", prefix);
	f->members = db_int1(
		d, 0,
		"SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.status NOT IN ('stopped', 'transferred') AND o.path LIKE ? || '%'",
		"t", prefix);
	db_stmt *s = db_query(d,
			      "SELECT COUNT(*), COALESCE(SUM(a.public_count), 0) FROM volunteer_activities a JOIN orgs o ON o.id = a.org_id WHERE "
			      "o.path LIKE ? || '%' AND a.starts_at >= ? AND a.starts_at < ? AND a.state IN ('published', 'in_progress', 'finished')",
			      "tII", prefix, t0, t1);
	if (db_next(s)) {
		f->activities = db_int(s, 0);
		f->public_times = db_int(s, 1);
	}
	db_done(s);
	s = db_query(d,
		     "SELECT COUNT(*), COUNT(DISTINCT s.member_id), COALESCE(SUM(s.minutes), 0) FROM volunteer_signups s JOIN volunteer_activities a ON "
		     "a.id = s.activity_id JOIN orgs o ON o.id = a.org_id WHERE o.path LIKE ? || '%' AND a.starts_at >= ? AND a.starts_at < ? AND "
		     "a.state IN ('published', 'in_progress', 'finished') AND s.checkin_at IS NOT NULL",
		     "tII", prefix, t0, t1);
	if (db_next(s)) {
		f->person_times = db_int(s, 0);
		f->active = db_int(s, 1);
		f->minutes = db_int(s, 2);
	}
	db_done(s);
	f->teams = db_int1(d, 0, "SELECT COUNT(*) FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id WHERE o.path LIKE ? || '%'", "t", prefix);
	f->team_members = db_int1(
		d, 0,
		"SELECT COUNT(DISTINCT tm.member_id) FROM volunteer_team_members tm JOIN volunteer_teams t ON t.id = tm.team_id JOIN orgs o "
		"ON o.id = t.org_id WHERE o.path LIKE ? || '%'",
		"t", prefix);
}

static enum dj_result report_org(db *d, const struct actor *a, int64_t org_id, struct org *o, struct field_errors *e)
{
	if (!permission_allows(&perm_volunteer_report, a))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "您的角色不能查看志愿服务统计");
	if (!org_id)
		org_id = a->org_id ? a->org_id : db_int1(d, 0, "SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1", "");
	if (!org_load(d, org_id, o) || !actor_covers(a, o->path))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "组织不存在或不在您的管辖范围内");
	return DJ_OK;
}

enum dj_result volunteer_report(db *d, const struct actor *a, int64_t org_id, int64_t t0, int64_t t1, struct volunteer_figures *total,
				void (*branch)(void *ctx, const struct volunteer_branch_row *b), void *ctx, char org_name[168], struct field_errors *e)
{
	struct org top;
	enum dj_result r = report_org(d, a, org_id, &top, e);
	if (r != DJ_OK)
		return r;
	if (t1 <= t0) {
		ferr_add(e, "to", "结束日期不能早于起始日期");
		return DJ_INVALID;
	}
	snprintf(org_name, 168, "%s", top.name);
	volunteer_figures_compute(d, top.path, t0, t1, total);
	if (branch) {
		size_t n;
		struct org *all = orgs_under(d, top.path, false, &n);
		for (size_t i = 0; all && i < n; i++) {
			if (strcmp(all[i].type, "branch"))
				continue;
			struct volunteer_branch_row b = {.org_id = all[i].id, .name = all[i].name};
			volunteer_figures_compute(d, all[i].path, t0, t1, &b.f);
			branch(ctx, &b);
		}
		free(all);
	}
	return DJ_OK;
}

enum dj_result volunteer_report_members(db *d, const struct actor *a, int64_t org_id, int64_t t0, int64_t t1, int64_t limit,
					void (*fn)(void *ctx, const struct volunteer_member_row *m), void *ctx, struct field_errors *e)
{
	struct org top;
	enum dj_result r = report_org(d, a, org_id, &top, e);
	if (r != DJ_OK)
		return r;
	db_stmt *s = db_query(
		d,
		"SELECT m.id, m.name, o.name, COUNT(*), COALESCE(SUM(s.minutes), 0) FROM volunteer_signups s JOIN volunteer_activities va ON "
		"va.id = s.activity_id JOIN members m ON m.id = s.member_id JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? || '%' AND "
		"s.checkin_at IS NOT NULL AND va.starts_at >= ? AND va.starts_at < ? AND va.state IN ('published', 'in_progress', 'finished') "
		"GROUP BY m.id, m.name, o.name ORDER BY COALESCE(SUM(s.minutes), 0) DESC, m.name, m.id LIMIT ?",
		"tIII", top.path, t0, t1, limit > 0 ? limit : (int64_t)1000000);
	while (db_next(s)) {
		struct volunteer_member_row row = {
			.member_id = db_int(s, 0), .name = db_str(s, 1), .org_name = db_str(s, 2), .times = db_int(s, 3), .minutes = db_int(s, 4)};
		fn(ctx, &row);
	}
	return db_done(s) == DB_OK ? DJ_OK : dj_fail(e, DJ_DB_ERROR, "%s", "读取失败，请稍后再试");
}

void volunteer_participation(db *d, const char *prefix, int64_t t0, int64_t t1, int64_t *members, int64_t *served)
{
	*members = db_int1(
		d, 0,
		"SELECT COUNT(*) FROM members m WHERE m.status NOT IN ('stopped', 'transferred') AND m.org_id IN (SELECT o.id FROM orgs o WHERE "
		"o.path LIKE ? || '%')",
		"t", prefix);
	*served = db_int1(d, 0,
			  "SELECT COUNT(DISTINCT s.member_id) FROM volunteer_activities va CROSS JOIN volunteer_signups s CROSS JOIN members m WHERE "
			  "s.activity_id = va.id AND m.id = s.member_id AND m.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ? || '%') AND "
			  "m.status NOT IN ('stopped', 'transferred') AND s.checkin_at IS NOT NULL AND va.starts_at >= ? AND va.starts_at < ? AND "
			  "va.state IN ('published', 'in_progress', 'finished')",
			  "tII", prefix, t0, t1);
}

void volunteer_participation_each(db *d, const char *prefix, int64_t t0, int64_t t1, void (*fn)(void *ctx, const struct volunteer_member_row *m),
				  void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT m.id, m.name, o.name, (SELECT COUNT(*) FROM volunteer_signups s JOIN volunteer_activities va ON va.id = "
			      "s.activity_id WHERE s.member_id = m.id AND s.checkin_at IS NOT NULL AND va.starts_at >= ? AND va.starts_at < ? AND "
			      "va.state IN ('published', 'in_progress', 'finished')), (SELECT COALESCE(SUM(s.minutes), 0) FROM volunteer_signups s "
			      "JOIN volunteer_activities va ON va.id = s.activity_id WHERE s.member_id = m.id AND s.checkin_at IS NOT NULL AND "
			      "va.starts_at >= ? AND va.starts_at < ? AND va.state IN ('published', 'in_progress', 'finished')) FROM members m JOIN "
			      "orgs o ON o.id = m.org_id WHERE m.status NOT IN ('stopped', 'transferred') AND o.path LIKE ? || '%' ORDER BY m.id",
			      "IIIIt", t0, t1, t0, t1, prefix);
	while (db_next(s)) {
		struct volunteer_member_row row = {
			.member_id = db_int(s, 0), .name = db_str(s, 1), .org_name = db_str(s, 2), .times = db_int(s, 3), .minutes = db_int(s, 4)};
		fn(ctx, &row);
	}
	db_done(s);
}

int64_t volunteer_minimum_of(db *d, int64_t org_id, int64_t year)
{
	/* the org's own, else the nearest org above with one (the longest path that is a prefix) */
	return db_int1(d, 0,
		       "SELECT vm.required FROM volunteer_minimums vm JOIN orgs mo ON mo.id = vm.org_id, orgs o WHERE o.id = ? AND vm.year = ? AND "
		       "o.path LIKE mo.path || '%' ORDER BY LENGTH(mo.path) DESC LIMIT 1",
		       "II", org_id, year);
}

enum dj_result volunteer_minimum_set(db *d, const struct actor *a, int64_t org_id, int64_t year, int64_t required, const char *title, int64_t now,
				     struct field_errors *e)
{
	if (!permission_allows(&perm_volunteer_organise, a) || !(a->role & (R_ADMIN | R_COMMITTEE)))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有镇党委可以规定志愿服务最低次数");
	struct org o;
	if (!org_id || !org_load(d, org_id, &o) || !actor_covers(a, o.path))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "组织不存在或不在您的管辖范围内");
	if (year < 2000 || year > 2100)
		ferr_add(e, "year", "请填写年度（如 2026）");
	if (required < 1 || required > 100)
		ferr_add(e, "required", "最低次数应为1到100之间的整数");
	if (title && *title && !text_ok(title, 60))
		ferr_add(e, "title", "说明不超过60字");
	if (e->n)
		return DJ_INVALID;
	if (db_run(d,
		   "INSERT INTO volunteer_minimums (org_id, year, required, title, set_by, set_at) VALUES (?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) ON CONFLICT "
		   "(org_id, year) DO UPDATE SET required = excluded.required, title = excluded.title, set_by = excluded.set_by, set_at = excluded.set_at",
		   "IIItII", org_id, year, required, title ? title : "", a->user_id, now) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	char sum[300];
	snprintf(sum, sizeof sum, "%s %lld 年每名党员参加志愿服务活动不少于 %lld 次", o.name, (long long)year, (long long)required);
	if (audit_write(d, a, "volunteer.minimum", "org", org_id, org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	return DJ_OK;
}

static bool year_range(int64_t year, int64_t *t0, int64_t *t1)
{
	char a[32], b[32];
	snprintf(a, sizeof a, "%04lld-01-01", (long long)year);
	snprintf(b, sizeof b, "%04lld-01-01", (long long)year + 1);
	return day_start(a, t0) && day_start(b, t1);
}

int64_t volunteer_campaign_minimum_of(db *d, int64_t campaign_id, bool *linked_only)
{
	int64_t required = 0;
	*linked_only = false;
	db_stmt *s = db_query(d, "SELECT required, linked_only FROM volunteer_campaign_minimums WHERE campaign_id = ?", "I", campaign_id);
	if (db_next(s)) {
		required = db_int(s, 0);
		*linked_only = db_int(s, 1) != 0;
	}
	db_done(s);
	return required;
}

enum dj_result volunteer_campaign_minimum_set(db *d, const struct actor *a, int64_t campaign_id, int64_t required, bool linked_only, int64_t now,
					      struct field_errors *e)
{
	struct campaign c;
	if (!campaign_id || !campaign_load(d, campaign_id, &c) || !campaign_visible(a, &c))
		return dj_fail(e, DJ_NOT_FOUND, "%s", "主题活动不存在");
	if (!permission_allows(&perm_campaign_manage, a) || !actor_covers(a, c.org_path))
		return dj_fail(e, DJ_FORBIDDEN, "%s", "只有制定主题活动的党委可以规定志愿服务最低次数");
	if (required < 0 || required > 100) {
		ferr_add(e, "required", "最低次数应为0到100之间的整数（0 为不作要求）");
		return DJ_INVALID;
	}
	int rc = required ? db_run(d,
				   "INSERT INTO volunteer_campaign_minimums (campaign_id, required, linked_only, set_by, set_at) VALUES (?, ?, ?, "
				   "NULLIF(CAST(? AS BIGINT), 0), ?) ON CONFLICT (campaign_id) DO UPDATE SET required = excluded.required, linked_only = "
				   "excluded.linked_only, set_by = excluded.set_by, set_at = excluded.set_at",
				   "IIIII", campaign_id, required, (int64_t)(linked_only ? 1 : 0), a->user_id, now)
			  : db_run(d, "DELETE FROM volunteer_campaign_minimums WHERE campaign_id = ?", "I", campaign_id);
	if (rc != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	char sum[600];
	if (required)
		snprintf(sum, sizeof sum, "%s：%s 至 %s 每名党员参加%s志愿服务活动不少于 %lld 次", c.title, c.starts, c.ends,
			 linked_only ? "本主题活动关联的" : "", (long long)required);
	else
		snprintf(sum, sizeof sum, "%s：取消志愿服务最低次数", c.title);
	if (audit_write(d, a, "volunteer.campaign_minimum", "campaign", campaign_id, c.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "保存失败，请稍后再试");
	return DJ_OK;
}

void volunteer_campaign_minimums_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct volunteer_campaign_min *m), void *ctx)
{
	int64_t ids[64];
	size_t n = 0;
	db_stmt *s = db_query(d, "SELECT campaign_id FROM volunteer_campaign_minimums ORDER BY campaign_id DESC LIMIT 64", "");
	while (db_next(s) && n < 64)
		ids[n++] = db_int(s, 0);
	db_done(s);
	for (size_t i = 0; i < n; i++) {
		struct campaign c;
		if (!campaign_load(d, ids[i], &c) || !campaign_visible(a, &c))
			continue;
		struct volunteer_campaign_min m = {.campaign_id = c.id, .title = c.title, .starts = c.starts, .ends = c.ends, .org_name = c.org_name};
		m.required = volunteer_campaign_minimum_of(d, c.id, &m.linked_only);
		if (m.required)
			fn(ctx, &m);
	}
}

enum dj_result volunteer_below_minimum(db *d, const struct actor *a, const struct volunteer_min_query *q, struct volunteer_min_info *info,
				       void (*fn)(void *ctx, const struct volunteer_below_row *r), void *ctx, struct field_errors *e)
{
	memset(info, 0, sizeof *info);
	struct org top;
	enum dj_result r = report_org(d, a, q->org_id, &top, e);
	if (r != DJ_OK)
		return r;
	int64_t t0, t1, linked = 0;
	if (q->campaign_id) {
		struct campaign c;
		if (!campaign_load(d, q->campaign_id, &c) || !campaign_visible(a, &c))
			return dj_fail(e, DJ_NOT_FOUND, "%s", "主题活动不存在");
		info->required = volunteer_campaign_minimum_of(d, c.id, &info->linked_only);
		if (info->required <= 0) {
			ferr_add(e, "campaign", "主题活动“%s”没有规定志愿服务最低次数", c.title);
			return DJ_INVALID;
		}
		/* whose members: the narrower of the report's org and the campaign's */
		if (!under(top.path, c.org_path)) {
			if (!under(c.org_path, top.path) || !org_load(d, c.org_id, &top)) {
				ferr_add(e, "org", "%s不在主题活动“%s”的范围内", top.name, c.title);
				return DJ_INVALID;
			}
		}
		if (!day_start(c.starts, &t0) || !day_start(c.ends, &t1))
			return dj_fail(e, DJ_DB_ERROR, "%s", "读取失败，请稍后再试");
		t1 += 86400; /* the last day is included */
		snprintf(info->basis, sizeof info->basis, "%s", c.title);
		snprintf(info->from, sizeof info->from, "%s", c.starts);
		snprintf(info->to, sizeof info->to, "%s", c.ends);
		if (info->linked_only)
			linked = c.id;
	} else {
		if (q->year < 2000 || q->year > 2100 || !year_range(q->year, &t0, &t1)) {
			ferr_add(e, "year", "请填写年度（如 2026）");
			return DJ_INVALID;
		}
		info->required = volunteer_minimum_of(d, top.id, q->year);
		if (info->required <= 0) {
			ferr_add(e, "year", "%lld 年还没有规定最低次数", (long long)q->year);
			return DJ_INVALID;
		}
		snprintf(info->basis, sizeof info->basis, "%lld 年", (long long)q->year);
		snprintf(info->from, sizeof info->from, "%04lld-01-01", (long long)q->year);
		snprintf(info->to, sizeof info->to, "%04lld-12-31", (long long)q->year);
	}
	info->org_id = top.id;
	snprintf(info->org_name, sizeof info->org_name, "%s", top.name);
	/* every member of the subtree, with the activities attended in the
	 * period (any organiser; a campaign's linked ones when it says so) */
	db_stmt *s = db_query(
		d,
		"SELECT x.id, x.name, x.branch, x.n FROM (SELECT m.id, m.name, COALESCE((SELECT b.name FROM orgs b WHERE o.path LIKE b.path || "
		"'%' AND b.type IN ('branch', 'general') ORDER BY LENGTH(b.path) DESC LIMIT 1), o.name) AS branch, COALESCE((SELECT b.path FROM "
		"orgs b WHERE o.path LIKE b.path || '%' AND b.type IN ('branch', 'general') ORDER BY LENGTH(b.path) DESC LIMIT 1), o.path) AS "
		"bpath, (SELECT COUNT(*) FROM volunteer_signups s JOIN volunteer_activities va ON va.id = s.activity_id WHERE s.member_id = m.id "
		"AND s.checkin_at IS NOT NULL AND va.starts_at >= ? AND va.starts_at < ? AND va.state IN ('published', 'in_progress', "
		"'finished') AND (CAST(? AS BIGINT) = 0 OR va.id IN (SELECT l.record_id FROM campaign_links l JOIN campaign_tasks ct ON ct.id = "
		"l.task_id WHERE l.kind = 'volunteer' AND ct.campaign_id = ?))) AS n FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path "
		"LIKE ? || '%' AND m.status NOT IN ('stopped', 'transferred')) x ORDER BY x.bpath, x.name, x.id",
		"IIIIt", t0, t1, linked, linked, top.path);
	while (db_next(s)) {
		int64_t n = db_int(s, 3);
		if (n >= info->required)
			continue;
		struct volunteer_below_row row = {.member_id = db_int(s, 0), .name = db_str(s, 1), .branch = db_str(s, 2), .times = n};
		if (fn)
			fn(ctx, &row);
	}
	return db_done(s) == DB_OK ? DJ_OK : dj_fail(e, DJ_DB_ERROR, "%s", "读取失败，请稍后再试");
}

/* ---- the check-in kind (checkin.h) ---- */

static enum dj_result kind_window(db *d, const struct actor *a, int64_t id, char *title, size_t title_n, int64_t *opens, int64_t *closes)
{
	struct volunteer_activity v;
	if (!volunteer_activity_load(d, id, &v) || (a && !volunteer_visible(d, a, &v)))
		return DJ_NOT_FOUND;
	snprintf(title, title_n, "%s", v.title);
	if (!is(v.state, "published") && !is(v.state, "in_progress")) {
		*opens = *closes = 0; /* a draft, a cancelled or a finished activity takes none */
		return DJ_OK;
	}
	*opens = v.starts_at - VOLUNTEER_OPENS_BEFORE;
	*closes = v.ends_at + VOLUNTEER_CLOSES_AFTER;
	return DJ_OK;
}

static enum dj_result kind_may_show(db *d, const struct actor *a, int64_t id)
{
	struct volunteer_activity v;
	if (!volunteer_activity_load(d, id, &v) || !volunteer_visible(d, a, &v))
		return DJ_NOT_FOUND;
	return volunteer_organises(a, &v) ? DJ_OK : DJ_FORBIDDEN;
}

const struct checkin_kind volunteer_checkin_kind = {
	.kind = "volunteer",
	.label = "志愿服务活动",
	.window = kind_window,
	.may_show = kind_may_show,
	.scanned = volunteer_scan,
};
