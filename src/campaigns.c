/* campaigns — 主题活动与任务清单 (SPEC M10, issue 17); see campaigns.h. */
#include "campaigns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "figures.h"
#include "lessons.h"
#include "meetings.h"
#include "orders.h"
#include "orgs.h"
#include "volunteer.h"
#include "util.h"

const struct permission perm_campaign_view = {"campaign.view", "查看主题活动与任务清单", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_campaign_manage = {"campaign.manage", "制定主题活动、分解任务、设定目标", R_ADMIN | R_COMMITTEE};

const struct campaign_task_transition campaign_task_transitions[] = {
	{"todo", "start", "doing"},
	{"todo", "finish", "done"},
	{"doing", "finish", "done"},
	{"done", "reopen", "doing"},
};
const size_t campaign_task_transitions_n = sizeof campaign_task_transitions / sizeof campaign_task_transitions[0];
const char *const campaign_task_states[] = {"todo", "未开始", "doing", "进行中", "done", "已完成", NULL};
static const char *const action_labels[] = {"start", "开始", "finish", "完成", "reopen", "重新打开", NULL};

static const char *pair_label(const char *const *v, const char *key)
{
	for (; key && *v; v += 2)
		if (!strcmp(v[0], key))
			return v[1];
	return key ? key : "";
}
const char *campaign_task_state_label(const char *state) { return pair_label(campaign_task_states, state); }
const char *campaign_task_action_label(const char *action) { return pair_label(action_labels, action); }
const struct campaign_task_transition *campaign_task_find(const char *from, const char *action)
{
	for (size_t i = 0; from && action && i < campaign_task_transitions_n; i++)
		if (!strcmp(campaign_task_transitions[i].from, from) && !strcmp(campaign_task_transitions[i].action, action))
			return &campaign_task_transitions[i];
	return NULL;
}

static const struct campaign_link_kind *link_kind(const char *kind);
const struct campaign_link_kind campaign_link_kinds[] = {
	{"order", "诉求（含微心愿）", "/orders/", order_link_state, "诉求"},
	{"volunteer", "志愿服务活动", "/volunteer/", volunteer_link_state, "活动"},
	{"meeting", "会议", "/meetings/", meeting_link_state, "会议"},
	{"lesson_order", "送课点单", "/lesson-orders/", lesson_order_link_state, "点单"},
};
const size_t campaign_link_kinds_n = sizeof campaign_link_kinds / sizeof campaign_link_kinds[0];

const struct campaign_link_kind *campaign_link_kind_find(const char *kind) { return link_kind(kind); }
static const struct campaign_link_kind *link_kind(const char *kind)
{
	for (size_t i = 0; kind && i < campaign_link_kinds_n; i++)
		if (!strcmp(campaign_link_kinds[i].kind, kind))
			return &campaign_link_kinds[i];
	return NULL;
}

bool campaign_load(db *d, int64_t id, struct campaign *c)
{
	memset(c, 0, sizeof *c);
	db_stmt *s = db_query(d,
			      "SELECT c.id, c.org_id, g.path, g.code, g.name, c.title, c.starts, c.ends, c.plan "
			      "FROM campaigns c JOIN orgs g ON g.id = c.org_id WHERE c.id = ?",
			      "I", id);
	bool ok = db_next(s);
	if (ok) {
		c->id = db_int(s, 0), c->org_id = db_int(s, 1);
		snprintf(c->org_path, sizeof c->org_path, "%s", db_str(s, 2));
		snprintf(c->org_code, sizeof c->org_code, "%s", db_str(s, 3));
		snprintf(c->org_name, sizeof c->org_name, "%s", db_str(s, 4));
		snprintf(c->title, sizeof c->title, "%s", db_str(s, 5));
		snprintf(c->starts, sizeof c->starts, "%s", db_str(s, 6));
		snprintf(c->ends, sizeof c->ends, "%s", db_str(s, 7));
		snprintf(c->plan, sizeof c->plan, "%s", db_str(s, 8));
	}
	db_done(s);
	return ok;
}

bool campaign_visible(const struct actor *a, const struct campaign *c)
{
	if (!permission_allows(&perm_campaign_view, a))
		return false;
	const char *scope = actor_scope(a);
	return actor_covers(a, c->org_path) || (*scope && !strncmp(scope, c->org_path, strlen(c->org_path)));
}

/* The org a field names by code, inside the actor's subtree (and, within, under `under`). */
static int64_t org_field(db *d, const struct actor *a, const char *code, const char *under, const char *field, struct org *o, struct field_errors *e)
{
	int64_t id = code && *code ? orgs_id_by_code(d, code) : a->org_id;
	if (!id || !org_load(d, id, o) || o->dissolved_at || !actor_covers(a, o->path) || (under && strncmp(o->path, under, strlen(under)))) {
		ferr_add(e, field, "组织不存在或不在本次活动的组织范围内");
		return 0;
	}
	return id;
}

static void text_field(const char *v, const char *field, const char *label, size_t max, bool required, struct field_errors *e)
{
	if (required && (!v || !*v))
		ferr_add(e, field, "请填写%s", label);
	else if (v && (!utf8_valid(v) || utf8_len(v) > max))
		ferr_add(e, field, "%s不能超过 %zu 个字", label, max);
}

/* A target as typed: "" or NULL none; else a whole number 0..10^9. */
static bool target_parse(const char *t, const char *field, bool *has, int64_t *v, struct field_errors *e)
{
	*has = false, *v = 0;
	if (!t || !*t)
		return true;
	char *end;
	long long x = strtoll(t, &end, 10);
	if (*end || end == t || x < 0 || x > 1000000000) {
		ferr_add(e, field, "目标数应为 0 到 1000000000 之间的整数");
		return false;
	}
	*has = true, *v = x;
	return true;
}

enum dj_result campaign_create(db *d, const struct actor *a, const struct campaign_new *n, int64_t *id, struct field_errors *e)
{
	*id = 0;
	if (!permission_allows(&perm_campaign_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能制定主题活动");
	struct org o;
	org_field(d, a, n->org, NULL, "org", &o, e);
	text_field(n->title, "title", "活动名称", 80, true, e);
	text_field(n->plan, "plan", "实施方案", 4000, false, e);
	if (!n->starts || !date_valid(n->starts))
		ferr_add(e, "starts", "开始日期应为 YYYY-MM-DD");
	if (!n->ends || !date_valid(n->ends))
		ferr_add(e, "ends", "结束日期应为 YYYY-MM-DD");
	else if (n->starts && date_valid(n->starts) && strcmp(n->ends, n->starts) < 0)
		ferr_add(e, "ends", "结束日期不能早于开始日期");
	if (e->n)
		return DJ_INVALID;
	int64_t now = now_unix();
	*id = db_int1(
		d, 0,
		"INSERT INTO campaigns (org_id, title, starts, ends, plan, created_by, created_at) VALUES (?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
		"IttttII", o.id, n->title, n->starts, n->ends, n->plan ? n->plan : "", a->user_id, now);
	if (!*id)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	if (audit_write(d, a, "campaign.create", "campaign", *id, o.id, n->title) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

/* The campaign the actor manages, or DJ_NOT_FOUND / DJ_FORBIDDEN. */
static enum dj_result managed(db *d, const struct actor *a, int64_t id, struct campaign *c, struct field_errors *e)
{
	if (!campaign_load(d, id, c) || !campaign_visible(a, c))
		return dj_fail(e, DJ_NOT_FOUND, "主题活动不存在或不在您的管辖范围内");
	if (!permission_allows(&perm_campaign_manage, a) || !actor_covers(a, c->org_path))
		return dj_fail(e, DJ_FORBIDDEN, "只有制定本次活动的党委可以修改活动");
	return DJ_OK;
}

enum dj_result campaign_activity_add(db *d, const struct actor *a, int64_t campaign_id, const char *title, const char *org, const char *note, int64_t *id,
				     struct field_errors *e)
{
	*id = 0;
	struct campaign c;
	enum dj_result res = managed(d, a, campaign_id, &c, e);
	if (res != DJ_OK)
		return res;
	struct org o;
	if (!org || !*org)
		ferr_add(e, "org", "请选择负责部门");
	else
		org_field(d, a, org, c.org_path, "org", &o, e);
	text_field(title, "title", "活动名称", 80, true, e);
	text_field(note, "note", "说明", 200, false, e);
	if (e->n)
		return DJ_INVALID;
	int64_t seq = db_int1(d, 0, "SELECT COALESCE(MAX(seq), 0) FROM campaign_activities WHERE campaign_id = ?", "I", campaign_id) + 1;
	*id = db_int1(d, 0, "INSERT INTO campaign_activities (campaign_id, seq, title, org_id, note) VALUES (?, ?, ?, ?, ?) RETURNING id", "IItIt",
		      campaign_id, seq, title, o.id, note ? note : "");
	char sum[1024];
	snprintf(sum, sizeof sum, "%s：%s（%s）", c.title, title, o.name);
	if (!*id || audit_write(d, a, "campaign.activity", "campaign", campaign_id, c.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

/* An activity with its campaign and responsible org. */
struct act_ref {
	int64_t id, campaign_id, org_id;
	char org_path[256], title[256];
};
static bool act_load(db *d, int64_t id, struct act_ref *x)
{
	db_stmt *s = db_query(d,
			      "SELECT a.id, a.campaign_id, a.org_id, g.path, a.title FROM campaign_activities a JOIN orgs g ON g.id = a.org_id "
			      "WHERE a.id = ?",
			      "I", id);
	bool ok = db_next(s);
	if (ok) {
		x->id = db_int(s, 0), x->campaign_id = db_int(s, 1), x->org_id = db_int(s, 2);
		snprintf(x->org_path, sizeof x->org_path, "%s", db_str(s, 3));
		snprintf(x->title, sizeof x->title, "%s", db_str(s, 4));
	}
	db_done(s);
	return ok;
}

enum dj_result campaign_task_add(db *d, const struct actor *a, int64_t activity_id, const struct campaign_task_new *n, int64_t *id, struct field_errors *e)
{
	*id = 0;
	struct act_ref x;
	struct campaign c;
	if (!act_load(d, activity_id, &x))
		return dj_fail(e, DJ_NOT_FOUND, "活动不存在");
	enum dj_result res = managed(d, a, x.campaign_id, &c, e);
	if (res != DJ_OK)
		return res;
	text_field(n->title, "title", "任务内容", 120, true, e);
	text_field(n->owner, "owner", "责任人", 40, true, e);
	if (!n->deadline || !*n->deadline)
		ferr_add(e, "deadline", "请填写完成时限");
	else if (!date_valid(n->deadline))
		ferr_add(e, "deadline", "完成时限应为 YYYY-MM-DD");
	bool has = false;
	int64_t target = 0;
	target_parse(n->target, "target", &has, &target, e);
	const char *fig = n->figure && *n->figure ? n->figure : NULL;
	if (fig && !figure_find(fig))
		ferr_add(e, "figure", "统计指标不存在");
	if (e->n)
		return DJ_INVALID;
	int64_t now = now_unix();
	*id = db_int1(d, 0,
		      "INSERT INTO campaign_tasks (campaign_id, activity_id, title, owner, deadline, target, figure_key, state, created_at, updated_at) "
		      "VALUES (?, ?, ?, ?, ?, CASE WHEN CAST(? AS BIGINT) = 1 THEN CAST(? AS BIGINT) END, ?, 'todo', ?, ?) RETURNING id",
		      "IItttIItII", x.campaign_id, activity_id, n->title, n->owner, n->deadline, (int64_t)has, target, fig, now, now);
	char sum[1024];
	snprintf(sum, sizeof sum, "%s：%s（%s，%s 前）", x.title, n->title, n->owner, n->deadline);
	if (!*id || audit_write(d, a, "campaign.task", "campaign", x.campaign_id, c.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

/* A task with what the checks need. */
struct task_ref {
	int64_t id, campaign_id, activity_id;
	char state[8], title[256], act_path[256];
};
static bool task_load(db *d, int64_t id, struct task_ref *t)
{
	db_stmt *s = db_query(d,
			      "SELECT t.id, t.campaign_id, t.activity_id, t.state, t.title, g.path FROM campaign_tasks t "
			      "JOIN campaign_activities a ON a.id = t.activity_id JOIN orgs g ON g.id = a.org_id WHERE t.id = ?",
			      "I", id);
	bool ok = db_next(s);
	if (ok) {
		t->id = db_int(s, 0), t->campaign_id = db_int(s, 1), t->activity_id = db_int(s, 2);
		snprintf(t->state, sizeof t->state, "%s", db_str(s, 3));
		snprintf(t->title, sizeof t->title, "%s", db_str(s, 4));
		snprintf(t->act_path, sizeof t->act_path, "%s", db_str(s, 5));
	}
	db_done(s);
	return ok;
}

/* Who works on a task: the campaign's managers, and the staff of the
 * activity's responsible org (its subtree). */
static enum dj_result task_for(db *d, const struct actor *a, int64_t task_id, struct task_ref *t, struct campaign *c, struct field_errors *e)
{
	if (!task_load(d, task_id, t) || !campaign_load(d, t->campaign_id, c) || !campaign_visible(a, c))
		return dj_fail(e, DJ_NOT_FOUND, "任务不存在或不在您的管辖范围内");
	bool manager = permission_allows(&perm_campaign_manage, a) && actor_covers(a, c->org_path);
	bool responsible = (a->role & (R_ADMIN | R_COMMITTEE | R_BRANCH)) && actor_covers(a, t->act_path);
	if (!manager && !responsible)
		return dj_fail(e, DJ_FORBIDDEN, "只有负责部门和活动的制定者可以办理此任务");
	return DJ_OK;
}

enum dj_result campaign_task_act(db *d, const struct actor *a, int64_t task_id, const char *action, int64_t now, struct field_errors *e)
{
	struct task_ref t;
	struct campaign c;
	enum dj_result res = task_for(d, a, task_id, &t, &c, e);
	if (res != DJ_OK)
		return res;
	if (!pair_label(action_labels, action) || !strcmp(pair_label(action_labels, action), action ? action : ""))
		return dj_fail(e, DJ_NOT_FOUND, "没有这个操作");
	const struct campaign_task_transition *tr = campaign_task_find(t.state, action);
	if (!tr)
		return dj_fail(e, DJ_CONFLICT, "任务%s，不能%s", campaign_task_state_label(t.state), campaign_task_action_label(action));
	/* the state read is the state changed: someone who acted first makes this a conflict */
	if (db_run(d,
		   "UPDATE campaign_tasks SET state = ?, updated_at = ?, done_at = CASE WHEN ? = 'done' THEN CAST(? AS BIGINT) END "
		   "WHERE id = ? AND state = ?",
		   "tItIIt", tr->to, now, tr->to, now, task_id, t.state) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	if (db_changes(d) != 1)
		return dj_fail(e, DJ_CONFLICT, "任务刚被他人办理，请刷新后再试");
	char sum[1024];
	snprintf(sum, sizeof sum, "%s：%s → %s", t.title, campaign_task_action_label(action), campaign_task_state_label(tr->to));
	if (audit_write(d, a, "campaign.task_state", "campaign", c.id, c.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result campaign_task_link(db *d, const struct actor *a, int64_t task_id, const char *kind, int64_t record_id, struct field_errors *e)
{
	struct task_ref t;
	struct campaign c;
	enum dj_result res = task_for(d, a, task_id, &t, &c, e);
	if (res != DJ_OK)
		return res;
	const struct campaign_link_kind *k = link_kind(kind);
	if (!k)
		ferr_add(e, "kind", "记录类型不存在");
	if (record_id <= 0)
		ferr_add(e, "id", "请填写记录编号");
	if (e->n)
		return DJ_INVALID;
	char path[256] = "";
	int st = k->state(d, record_id, path);
	if (st == -2)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	if (st == -1)
		ferr_add(e, "id", "%s不存在", k->label);
	else if (strncmp(path, c.org_path, strlen(c.org_path)) || !actor_covers(a, path))
		ferr_add(e, "id", "该%s不在本次活动的组织范围内", k->label);
	if (e->n)
		return DJ_INVALID;
	if (db_run(d, "INSERT INTO campaign_links (task_id, kind, record_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", "ItII", task_id,
		   kind, record_id, now_unix()) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	char sum[1024];
	snprintf(sum, sizeof sum, "%s：关联%s #%lld", t.title, k->label, (long long)record_id);
	if (audit_write(d, a, "campaign.link", "campaign", c.id, c.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result campaign_target_set(db *d, const struct actor *a, int64_t campaign_id, const char *org, const char *figure, const char *target,
				   struct field_errors *e)
{
	struct campaign c;
	enum dj_result res = managed(d, a, campaign_id, &c, e);
	if (res != DJ_OK)
		return res;
	struct org o;
	if (!org || !*org)
		ferr_add(e, "org", "请选择组织");
	else
		org_field(d, a, org, c.org_path, "org", &o, e);
	if (!figure || !figure_find(figure))
		ferr_add(e, "figure", "统计指标不存在");
	bool has = false;
	int64_t v = 0;
	if (target_parse(target, "target", &has, &v, e) && !has)
		ferr_add(e, "target", "请填写目标数");
	if (e->n)
		return DJ_INVALID;
	if (db_run(d,
		   "INSERT INTO campaign_targets (campaign_id, org_id, figure_key, target) VALUES (?, ?, ?, ?) "
		   "ON CONFLICT (campaign_id, org_id, figure_key) DO UPDATE SET target = excluded.target",
		   "IItI", campaign_id, o.id, figure, v) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	char sum[1024];
	snprintf(sum, sizeof sum, "%s：%s %s 目标 %lld", c.title, o.name, figure_find(figure)->label, (long long)v);
	if (audit_write(d, a, "campaign.target", "campaign", c.id, c.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

/* ---- reading ---- */

static void scope_of(const struct campaign *c, const char *path, const char *code, int64_t now, struct figure_scope *s)
{
	struct field_errors e = {0};
	if (!figure_scope_set(s, path, code, c->starts, c->ends, now, &e)) /* a campaign's dates were checked when it was made */
		s->t1 = s->t0;
}

static int64_t links_fulfilled(db *d, int64_t task_id, int64_t *links)
{
	int64_t done = 0;
	*links = 0;
	db_stmt *s = db_query(d, "SELECT kind, record_id FROM campaign_links WHERE task_id = ? ORDER BY created_at", "I", task_id);
	struct {
		char kind[32];
		int64_t id;
	} v[64];
	size_t n = 0;
	while (db_next(s)) {
		(*links)++;
		if (n < 64) {
			snprintf(v[n].kind, sizeof v[n].kind, "%s", db_str(s, 0));
			v[n++].id = db_int(s, 1);
		}
	}
	db_done(s);
	for (size_t i = 0; i < n; i++) {
		const struct campaign_link_kind *k = link_kind(v[i].kind);
		char path[256];
		if (k && k->state(d, v[i].id, path) == 1)
			done++;
	}
	return done;
}

int64_t campaign_task_progress(db *d, int64_t task_id, int64_t now)
{
	db_stmt *s = db_query(
		d,
		"SELECT t.figure_key, g.path, g.code, t.campaign_id FROM campaign_tasks t JOIN campaign_activities a ON a.id = t.activity_id "
		"JOIN orgs g ON g.id = a.org_id WHERE t.id = ?",
		"I", task_id);
	char fig[64] = "", path[256] = "", code[64] = "";
	int64_t cid = 0;
	if (db_next(s)) {
		snprintf(fig, sizeof fig, "%s", db_str(s, 0));
		snprintf(path, sizeof path, "%s", db_str(s, 1));
		snprintf(code, sizeof code, "%s", db_str(s, 2));
		cid = db_int(s, 3);
	}
	db_done(s);
	struct campaign c;
	if (!cid || !campaign_load(d, cid, &c))
		return -1;
	const struct figure *f = *fig ? figure_find(fig) : NULL;
	if (f) {
		struct figure_scope sc;
		scope_of(&c, path, code, now, &sc);
		return figure_count(d, f, &sc);
	}
	int64_t links;
	return links_fulfilled(d, task_id, &links);
}

enum dj_result campaign_overview(db *d, const struct actor *a, int64_t id, int64_t now, struct campaign_overview *ov, struct field_errors *e)
{
	memset(ov, 0, sizeof *ov);
	if (!campaign_load(d, id, &ov->c) || !campaign_visible(a, &ov->c))
		return dj_fail(e, DJ_NOT_FOUND, "主题活动不存在或不在您的管辖范围内");
	const struct campaign *c = &ov->c;
	char today_s[11];
	{
		time_t t = (time_t)(now + 8 * 3600);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(today_s, sizeof today_s, "%Y-%m-%d", &tm);
	}
	size_t cap = 16;
	ov->acts = calloc(cap, sizeof *ov->acts);
	db_stmt *s = db_query(d,
			      "SELECT a.id, a.seq, a.title, a.org_id, g.name, g.code, a.note FROM campaign_activities a JOIN orgs g ON g.id = a.org_id "
			      "WHERE a.campaign_id = ? ORDER BY a.seq",
			      "I", id);
	while (db_next(s)) {
		if (ov->acts_n == cap)
			ov->acts = realloc(ov->acts, (cap *= 2) * sizeof *ov->acts);
		struct campaign_activity_view *v = &ov->acts[ov->acts_n++];
		memset(v, 0, sizeof *v);
		v->id = db_int(s, 0), v->seq = db_int(s, 1), v->org_id = db_int(s, 3);
		snprintf(v->title, sizeof v->title, "%s", db_str(s, 2));
		snprintf(v->org_name, sizeof v->org_name, "%s", db_str(s, 4));
		snprintf(v->org_code, sizeof v->org_code, "%s", db_str(s, 5));
		snprintf(v->note, sizeof v->note, "%s", db_str(s, 6));
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	cap = 32;
	ov->tasks = calloc(cap, sizeof *ov->tasks);
	s = db_query(d,
		     "SELECT t.id, t.activity_id, t.title, t.owner, t.deadline, t.state, t.target, COALESCE(t.figure_key, ''), "
		     "(SELECT COUNT(*) FROM campaign_links l WHERE l.task_id = t.id) FROM campaign_tasks t "
		     "JOIN campaign_activities a ON a.id = t.activity_id WHERE t.campaign_id = ? ORDER BY a.seq, t.deadline, t.id",
		     "I", id);
	while (db_next(s)) {
		if (ov->tasks_n == cap)
			ov->tasks = realloc(ov->tasks, (cap *= 2) * sizeof *ov->tasks);
		struct campaign_task_view *t = &ov->tasks[ov->tasks_n++];
		memset(t, 0, sizeof *t);
		t->id = db_int(s, 0), t->activity_id = db_int(s, 1);
		snprintf(t->title, sizeof t->title, "%s", db_str(s, 2));
		snprintf(t->owner, sizeof t->owner, "%s", db_str(s, 3));
		snprintf(t->deadline, sizeof t->deadline, "%s", db_str(s, 4));
		snprintf(t->state, sizeof t->state, "%s", db_str(s, 5));
		t->has_target = !db_isnull(s, 6), t->target = db_int(s, 6);
		snprintf(t->figure, sizeof t->figure, "%s", db_str(s, 7));
		t->links = db_int(s, 8);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	for (size_t i = 0; i < ov->tasks_n; i++) {
		struct campaign_task_view *t = &ov->tasks[i];
		t->progress = (*t->figure || t->links) ? campaign_task_progress(d, t->id, now) : 0;
		t->overdue = strcmp(t->state, "done") && strcmp(t->deadline, today_s) < 0;
		ov->tasks_total++;
		if (!strcmp(t->state, "done"))
			ov->done++;
		else if (!strcmp(t->state, "doing"))
			ov->doing++;
		else
			ov->todo++;
		ov->overdue += t->overdue;
		for (size_t k = 0; k < ov->acts_n; k++)
			if (ov->acts[k].id == t->activity_id) {
				ov->acts[k].tasks++;
				ov->acts[k].done += !strcmp(t->state, "done");
				ov->acts[k].overdue += t->overdue;
			}
	}
	/* per responsible org */
	ov->orgs = calloc(ov->acts_n ? ov->acts_n : 1, sizeof *ov->orgs);
	for (size_t k = 0; k < ov->acts_n; k++) {
		const struct campaign_activity_view *v = &ov->acts[k];
		size_t j = 0;
		while (j < ov->orgs_n && strcmp(ov->orgs[j].org_code, v->org_code))
			j++;
		if (j == ov->orgs_n) {
			snprintf(ov->orgs[j].org_name, sizeof ov->orgs[j].org_name, "%s", v->org_name);
			snprintf(ov->orgs[j].org_code, sizeof ov->orgs[j].org_code, "%s", v->org_code);
			ov->orgs_n++;
		}
		ov->orgs[j].activities++, ov->orgs[j].tasks += v->tasks, ov->orgs[j].done += v->done, ov->orgs[j].overdue += v->overdue;
	}
	/* per-org targets against their figures */
	cap = 8;
	ov->targets = calloc(cap, sizeof *ov->targets);
	s = db_query(d,
		     "SELECT g.name, g.code, g.path, t.figure_key, t.target FROM campaign_targets t JOIN orgs g ON g.id = t.org_id "
		     "WHERE t.campaign_id = ? ORDER BY g.path, t.figure_key",
		     "I", id);
	struct {
		char path[256];
	} *paths = calloc(cap, sizeof *paths);
	while (db_next(s)) {
		if (ov->targets_n == cap) {
			cap *= 2;
			ov->targets = realloc(ov->targets, cap * sizeof *ov->targets);
			paths = realloc(paths, cap * sizeof *paths);
		}
		struct campaign_target_view *t = &ov->targets[ov->targets_n];
		memset(t, 0, sizeof *t);
		snprintf(t->org_name, sizeof t->org_name, "%s", db_str(s, 0));
		snprintf(t->org_code, sizeof t->org_code, "%s", db_str(s, 1));
		snprintf(paths[ov->targets_n].path, sizeof paths[0].path, "%s", db_str(s, 2));
		snprintf(t->figure, sizeof t->figure, "%s", db_str(s, 3));
		t->target = db_int(s, 4);
		ov->targets_n++;
	}
	enum dj_result res = db_done(s) == DB_OK ? DJ_OK : dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	for (size_t i = 0; res == DJ_OK && i < ov->targets_n; i++) {
		struct campaign_target_view *t = &ov->targets[i];
		const struct figure *f = figure_find(t->figure);
		if (!f)
			continue;
		snprintf(t->label, sizeof t->label, "%s", f->label);
		struct figure_scope sc;
		scope_of(c, paths[i].path, t->org_code, now, &sc);
		t->reached = figure_count(d, f, &sc);
		f->href(&sc, t->href, sizeof t->href);
	}
	free(paths);
	return res;
}

void campaign_overview_free(struct campaign_overview *ov)
{
	free(ov->acts);
	free(ov->tasks);
	free(ov->targets);
	free(ov->orgs);
	memset(ov, 0, sizeof *ov);
}

enum dj_result campaigns_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct campaign_row *c), void *ctx)
{
	if (!permission_allows(&perm_campaign_view, a))
		return DJ_FORBIDDEN;
	const char *scope = actor_scope(a);
	db_stmt *s = db_query(d,
			      "SELECT c.id, c.title, g.name, c.starts, c.ends, g.path, "
			      "(SELECT COUNT(*) FROM campaign_activities x WHERE x.campaign_id = c.id), "
			      "(SELECT COUNT(*) FROM campaign_tasks t WHERE t.campaign_id = c.id), "
			      "(SELECT COUNT(*) FROM campaign_tasks t WHERE t.campaign_id = c.id AND t.state = 'done') "
			      "FROM campaigns c JOIN orgs g ON g.id = c.org_id ORDER BY c.starts DESC, c.id DESC",
			      "");
	while (db_next(s)) {
		const char *path = db_str(s, 5);
		if (!(actor_covers(a, path) || (*scope && !strncmp(scope, path, strlen(path)))))
			continue;
		struct campaign_row r = {db_int(s, 0), db_str(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_int(s, 6), db_int(s, 7), db_int(s, 8)};
		fn(ctx, &r);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}
