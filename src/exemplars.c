/* exemplars — role-model selection (SPEC M7, issue 15): the campaign's stage
 * table, the candidate's state table, and all the SQL on the exemplar_*
 * tables. Every change writes its audit row (and its notices) in the
 * caller's transaction. */
#include "exemplars.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "attach.h"
#include "audit.h"
#include "notify.h"
#include "util.h"

const struct permission perm_exemplar_manage = {"exemplar.manage", "榜样评选：发起活动、受理推荐、确定初步人选、公示、表彰", R_ADMIN | R_COMMITTEE};
const struct permission perm_exemplar_score = {"exemplar.score", "榜样评选：联合评审打分", R_COMMITTEE | R_REVIEWER};
const struct permission perm_exemplar_answer = {"exemplar.answer", "榜样评选：部门征询意见（同意/不同意，一票否决）", R_REVIEWER};

#define MANAGE (R_ADMIN | R_COMMITTEE)

const struct exemplar_stage exemplar_stages[] = {
	{"nomination", "民主推荐", "open_review", "review"},
	{"review", "联合评审", "shortlist", "consultation"},
	{"consultation", "征询意见", "publish", "notice"},
	{"notice", "公示", "award", "closed"},
	{"closed", "已表彰", NULL, NULL},
};
const int exemplar_stages_count = (int)(sizeof exemplar_stages / sizeof exemplar_stages[0]);

const struct exemplar_transition exemplar_transitions[] = {
	{"nominated", "accept", MANAGE, "candidate", NULL},
	{"nominated", "merge", MANAGE, "merged", NULL}, /* accept of a duplicate */
	{"nominated", "reject", MANAGE, "rejected", NULL},
	{"candidate", "shortlist", MANAGE, "shortlisted", "review"},
	{"candidate", "pass_over", MANAGE, "not_shortlisted", "review"},
	{"shortlisted", "veto", R_REVIEWER, "vetoed", "consultation"},     /* one 不同意 */
	{"shortlisted", "clear", R_REVIEWER, "consulted", "consultation"}, /* the last 同意 */
	{"consulted", "publish", MANAGE, "on_notice", "consultation"},
	{"on_notice", "uphold", MANAGE, "objection_upheld", "notice"},
	{"on_notice", "award", MANAGE, "awarded", "notice"},
	{"awarded", "revoke", MANAGE, "revoked", NULL},
};
const int exemplar_transitions_count = (int)(sizeof exemplar_transitions / sizeof exemplar_transitions[0]);

const char *const exemplar_states[] = {
	"nominated",       "已推荐", "candidate", "候选人",   "merged",    "已合并（重复推荐）", "rejected",  "不予受理", "shortlisted",      "初步人选",
	"not_shortlisted", "未入围", "vetoed",    "征询否决", "consulted", "征询通过",           "on_notice", "公示中",   "objection_upheld", "异议成立",
	"awarded",         "已表彰", "revoked",   "已撤销",   NULL,
};

const char *const exemplar_categories[] = {
	"youxiu_dangyuan", "优秀共产党员", "youxiu_dangwu", "优秀党务工作者", "xianjin_zuzhi", "先进基层党组织",           "haoren", "身边好人",
	"zhiyuanzhe",      "最美志愿者",   "jiating",       "最美家庭",       "shuji",         "担当作为优秀村党组织书记", NULL,
};
const char *const exemplar_place_kinds[] = {
	"enterprise", "进企业", "village", "进农村", "community", "进社区", "school", "进学校", "family", "进家庭", NULL,
};
const char *const exemplar_care_kinds[] = {"visit", "走访慰问", "benefit", "待遇落实", "honour", "礼遇", NULL};
static const char *const sources[] = {"public", "member", "branch", "committee"};

const char *exemplar_pair_label(const char *const *pairs, const char *key)
{
	for (const char *const *p = pairs; key && *p; p += 2)
		if (!strcmp(p[0], key))
			return p[1];
	return "";
}
const char *exemplar_category_label(const char *key) { return exemplar_pair_label(exemplar_categories, key); }
const char *exemplar_state_label(const char *state) { return exemplar_pair_label(exemplar_states, state); }

const struct exemplar_stage *exemplar_stage_find(const char *stage)
{
	for (int i = 0; stage && i < exemplar_stages_count; i++)
		if (!strcmp(exemplar_stages[i].stage, stage))
			return &exemplar_stages[i];
	return NULL;
}
const char *exemplar_stage_label(const char *stage)
{
	const struct exemplar_stage *s = exemplar_stage_find(stage);
	return s ? s->label : "";
}

const struct exemplar_transition *exemplar_find(const char *from, const char *action, int actor)
{
	for (int i = 0; from && action && i < exemplar_transitions_count; i++) {
		const struct exemplar_transition *t = &exemplar_transitions[i];
		if (!strcmp(t->from, from) && !strcmp(t->action, action) && (t->actors & actor))
			return t;
	}
	return NULL;
}

/* ---- reading ---- */

#define CAMPAIGN_COLS                                                                                                                 \
	"c.id, c.org_id, o.name, o.path, c.title, c.category, c.subject, c.stage, c.year, c.quota, c.notice_days, c.nominate_until, " \
	"c.review_until, c.consult_until, COALESCE(c.notice_start, 0), COALESCE(c.closed_at, 0), c.created_at, c.category_label"

static void campaign_read(db_stmt *s, struct exemplar_campaign *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_int(s, 0);
	c->org_id = db_int(s, 1);
	str_copy(c->org_name, sizeof c->org_name, db_str(s, 2));
	str_copy(c->org_path, sizeof c->org_path, db_str(s, 3));
	str_copy(c->title, sizeof c->title, db_str(s, 4));
	str_copy(c->category, sizeof c->category, db_str(s, 5));
	str_copy(c->subject, sizeof c->subject, db_str(s, 6));
	str_copy(c->stage, sizeof c->stage, db_str(s, 7));
	c->year = db_int(s, 8);
	c->quota = db_int(s, 9);
	c->notice_days = db_int(s, 10);
	str_copy(c->nominate_until, sizeof c->nominate_until, db_str(s, 11));
	str_copy(c->review_until, sizeof c->review_until, db_str(s, 12));
	str_copy(c->consult_until, sizeof c->consult_until, db_str(s, 13));
	c->notice_start = db_int(s, 14);
	c->closed_at = db_int(s, 15);
	c->created_at = db_int(s, 16);
	str_copy(c->category_label, sizeof c->category_label, db_str(s, 17));
	if (!*c->category_label) /* a row written without it: the default's name */
		str_copy(c->category_label, sizeof c->category_label, exemplar_category_label(c->category));
}

bool exemplar_campaign_load(db *d, int64_t id, struct exemplar_campaign *c)
{
	db_stmt *s = db_query(d, "SELECT " CAMPAIGN_COLS " FROM exemplar_campaigns c JOIN orgs o ON o.id = c.org_id WHERE c.id = ?", "I", id);
	bool ok = db_next(s);
	if (ok)
		campaign_read(s, c);
	return db_done(s) == DB_OK && ok;
}

int64_t exemplar_notice_ends(const struct exemplar_campaign *c) { return c->notice_start + c->notice_days * 86400; }

void exemplar_campaign_each(db *d, exemplar_campaign_fn fn, void *ctx)
{
	db_stmt *s = db_query(d, "SELECT " CAMPAIGN_COLS " FROM exemplar_campaigns c JOIN orgs o ON o.id = c.org_id ORDER BY c.id DESC LIMIT 200", "");
	struct exemplar_campaign c;
	while (db_next(s)) {
		campaign_read(s, &c);
		fn(ctx, &c);
	}
	db_done(s);
}

void exemplar_campaign_depts(db *d, int64_t campaign_id, exemplar_dept_fn fn, void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT o.id, o.name FROM exemplar_campaign_depts cd JOIN orgs o ON o.id = cd.org_id WHERE cd.campaign_id = ? "
			      "ORDER BY o.sort, o.id",
			      "I", campaign_id);
	while (db_next(s))
		fn(ctx, db_int(s, 0), db_str(s, 1));
	db_done(s);
}

int exemplar_criteria(db *d, int64_t campaign_id, struct exemplar_criterion out[EXEMPLAR_CRITERIA_MAX])
{
	db_stmt *s = db_query(d, "SELECT name, max_points FROM exemplar_criteria WHERE campaign_id = ? ORDER BY pos", "I", campaign_id);
	int n = 0;
	while (db_next(s) && n < EXEMPLAR_CRITERIA_MAX) {
		snprintf(out[n].name, sizeof out[n].name, "%s", db_str(s, 0));
		out[n].max = db_int(s, 1);
		n++;
	}
	db_done(s);
	return n;
}

/* the average score and the number of nominations come with every candidate */
#define CANDIDATE_COLS                                                                                                                          \
	"x.id, x.campaign_id, x.name, x.unit, x.deeds, x.source, x.nominator_name, x.nominator_phone, x.state, COALESCE(x.merged_into, 0), "    \
	"x.veto_reason, COALESCE(x.cert_no, ''), COALESCE(x.awarded_at, 0), COALESCE(x.revoked_at, 0), x.revoke_reason, x.created_at, x.ssum, " \
	"x.scnt, x.nmerged, x.nphoto"
#define CANDIDATE_FROM                                                                                                 \
	"(SELECT c.*, (SELECT COALESCE(SUM(s.score), 0) FROM exemplar_scores s WHERE s.candidate_id = c.id) AS ssum, " \
	"(SELECT COUNT(*) FROM exemplar_scores s WHERE s.candidate_id = c.id) AS scnt, "                               \
	"(SELECT COUNT(*) FROM exemplar_candidates m WHERE m.merged_into = c.id) AS nmerged, "                         \
	"(SELECT COUNT(*) FROM exemplar_photos p WHERE p.candidate_id = c.id) AS nphoto FROM exemplar_candidates c"
#define BEST_FIRST "ORDER BY CASE WHEN x.scnt = 0 THEN -1 ELSE x.ssum * 100 / x.scnt END DESC, x.id"

static void candidate_read(db_stmt *s, struct exemplar_candidate *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_int(s, 0);
	c->campaign_id = db_int(s, 1);
	str_copy(c->name, sizeof c->name, db_str(s, 2));
	str_copy(c->unit, sizeof c->unit, db_str(s, 3));
	str_copy(c->deeds, sizeof c->deeds, db_str(s, 4));
	str_copy(c->source, sizeof c->source, db_str(s, 5));
	str_copy(c->nominator_name, sizeof c->nominator_name, db_str(s, 6));
	str_copy(c->nominator_phone, sizeof c->nominator_phone, db_str(s, 7));
	str_copy(c->state, sizeof c->state, db_str(s, 8));
	c->merged_into = db_int(s, 9);
	str_copy(c->veto_reason, sizeof c->veto_reason, db_str(s, 10));
	str_copy(c->cert_no, sizeof c->cert_no, db_str(s, 11));
	c->awarded_at = db_int(s, 12);
	c->revoked_at = db_int(s, 13);
	str_copy(c->revoke_reason, sizeof c->revoke_reason, db_str(s, 14));
	c->created_at = db_int(s, 15);
	int64_t sum = db_int(s, 16);
	c->scores = db_int(s, 17);
	c->score_x100 = c->scores ? sum * 100 / c->scores : 0;
	c->nominations = db_int(s, 18) + 1;
	c->photo = db_int(s, 19) > 0;
}

bool exemplar_candidate_load(db *d, int64_t id, struct exemplar_candidate *c)
{
	db_stmt *s = db_query(d, "SELECT " CANDIDATE_COLS " FROM " CANDIDATE_FROM " WHERE c.id = ?) x", "I", id);
	bool ok = db_next(s);
	if (ok)
		candidate_read(s, c);
	return db_done(s) == DB_OK && ok;
}

static void candidate_loop(db_stmt *s, exemplar_candidate_fn fn, void *ctx)
{
	struct exemplar_candidate *c = malloc(sizeof *c);
	while (c && db_next(s)) {
		candidate_read(s, c);
		fn(ctx, c);
	}
	db_done(s);
	free(c);
}

void exemplar_candidate_each(db *d, int64_t campaign_id, const char *state, exemplar_candidate_fn fn, void *ctx)
{
	candidate_loop(db_query(d,
				"SELECT " CANDIDATE_COLS " FROM " CANDIDATE_FROM
				" WHERE c.campaign_id = ? AND (CAST(? AS TEXT) IS NULL OR c.state = ?)) x " BEST_FIRST,
				"Itt", campaign_id, state, state),
		       fn, ctx);
}

void exemplar_notice_each(db *d, exemplar_candidate_fn fn, void *ctx)
{
	candidate_loop(db_query(d,
				"SELECT " CANDIDATE_COLS " FROM " CANDIDATE_FROM
				" JOIN exemplar_campaigns k ON k.id = c.campaign_id WHERE k.stage = 'notice' AND c.state = 'on_notice') x "
				"ORDER BY x.campaign_id DESC, x.id",
				""),
		       fn, ctx);
}

void exemplar_gallery_each(db *d, const char *category, int64_t year, exemplar_candidate_fn fn, void *ctx)
{
	candidate_loop(db_query(d,
				"SELECT " CANDIDATE_COLS " FROM " CANDIDATE_FROM
				" JOIN exemplar_campaigns k ON k.id = c.campaign_id WHERE c.state = 'awarded' "
				"AND (CAST(? AS TEXT) IS NULL OR k.category = ?) AND (CAST(? AS BIGINT) = 0 OR k.year = ?)) x "
				"ORDER BY x.awarded_at DESC, x.id LIMIT 500",
				"ttII", category, category, year, year),
		       fn, ctx);
}

void exemplar_award_tally(db *d, exemplar_tally_fn fn, void *ctx)
{
	db_stmt *s = db_query(
		d,
		"SELECT k.year, k.category, k.subject, COUNT(*), MAX(k.category_label) FROM exemplar_candidates c JOIN exemplar_campaigns k "
		"ON k.id = c.campaign_id WHERE c.state = 'awarded' GROUP BY k.year, k.category, k.subject ORDER BY k.year DESC, k.subject DESC, k.category",
		"");
	while (db_next(s)) {
		const char *label = db_str(s, 4);
		fn(ctx, db_int(s, 0), db_str(s, 1), label && *label ? label : exemplar_category_label(db_str(s, 1)), db_str(s, 2), db_int(s, 3));
	}
	db_done(s);
}

/* ---- categories ---- */

static bool text_ok(const char *s, size_t max);

static void category_read(db_stmt *s, struct exemplar_category *c)
{
	memset(c, 0, sizeof *c);
	str_copy(c->key, sizeof c->key, db_str(s, 0));
	str_copy(c->label, sizeof c->label, db_str(s, 1));
	str_copy(c->subject, sizeof c->subject, db_str(s, 2));
	c->pos = db_int(s, 3);
	c->active = db_int(s, 4) != 0;
}

void exemplar_category_each(db *d, bool active_only, exemplar_category_fn fn, void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT key, label, subject, pos, active FROM exemplar_categories WHERE (? = 0 OR active = 1) ORDER BY pos, key "
			      "LIMIT 40", /* EXEMPLAR_CATEGORIES_MAX */
			      "I", (int64_t)active_only);
	struct exemplar_category c;
	while (db_next(s)) {
		category_read(s, &c);
		fn(ctx, &c);
	}
	db_done(s);
}

bool exemplar_category_get(db *d, const char *key, struct exemplar_category *c)
{
	if (!key || !*key)
		return false;
	db_stmt *s = db_query(d, "SELECT key, label, subject, pos, active FROM exemplar_categories WHERE key = ?", "t", key);
	bool ok = db_next(s);
	if (ok)
		category_read(s, c);
	return db_done(s) == DB_OK && ok;
}

static void category_label_check(db *d, const char *key, const char *label, struct field_errors *e)
{
	if (!label || !text_ok(label, 30) || utf8_len(label) < 2)
		ferr_add(e, "label", "请填写类别名称（2到30字）");
	else if (db_int1(d, 0, "SELECT COUNT(*) FROM exemplar_categories WHERE label = ? AND key <> ?", "tt", label, key ? key : "") > 0)
		ferr_add(e, "label", "已有名为“%s”的类别", label);
}

enum dj_result exemplar_category_add(db *d, const struct actor *a, const char *label, const char *subject, int64_t now, char key[32],
				     struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委（组织部门）可以设置评选类别");
	category_label_check(d, NULL, label, e);
	if (!subject || (strcmp(subject, "person") && strcmp(subject, "org")))
		ferr_add(e, "subject", "评选对象须为个人或组织");
	int64_t n = db_int1(d, 0, "SELECT COUNT(*) FROM exemplar_categories", "");
	if (!e->n && n >= EXEMPLAR_CATEGORIES_MAX)
		return dj_fail(e, DJ_CONFLICT, "评选类别已有 %d 个，请先停用或改名已有的类别", EXEMPLAR_CATEGORIES_MAX);
	if (e->n)
		return DJ_INVALID;
	/* a key of our own making: c + the next position (the label is what people read) */
	int64_t pos = db_int1(d, 0, "SELECT COALESCE(MAX(pos), 0) + 1 FROM exemplar_categories", "");
	snprintf(key, 32, "c%lld", (long long)pos);
	if (db_run(d, "INSERT INTO exemplar_categories (key, label, subject, pos, active, created_at) VALUES (?, ?, ?, ?, 1, ?)", "tttII", key, label,
		   subject, pos, now) != DB_OK)
		return DJ_DB_ERROR;
	char sum[120];
	snprintf(sum, sizeof sum, "新增评选类别“%s”", label);
	if (audit_write(d, a, "exemplar.category_add", "exemplar_category", pos, a->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result exemplar_category_set(db *d, const struct actor *a, const char *key, const char *label, int active, struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委（组织部门）可以设置评选类别");
	struct exemplar_category c;
	if (!exemplar_category_get(d, key, &c))
		return dj_fail(e, DJ_NOT_FOUND, "评选类别不存在");
	if (label)
		category_label_check(d, c.key, label, e);
	if (active != -1 && active != 0 && active != 1)
		ferr_add(e, "active", "请选择启用或停用");
	if (e->n)
		return DJ_INVALID;
	if (db_run(d, "UPDATE exemplar_categories SET label = ?, active = ? WHERE key = ?", "tIt", label ? label : c.label,
		   (int64_t)(active == -1 ? c.active : active), c.key) != DB_OK)
		return DJ_DB_ERROR;
	char sum[200];
	bool renamed = label && strcmp(label, c.label);
	snprintf(sum, sizeof sum, "评选类别“%s”%s%s%s%s", c.label, renamed ? "改名为“" : "", renamed ? label : "", renamed ? "”" : "",
		 active == 0   ? "（停用）"
		 : active == 1 ? "（启用）"
			       : "");
	if (audit_write(d, a, "exemplar.category_set", "exemplar_category", c.pos, a->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

/* ---- checks shared by the steps ---- */

/* The campaign of a step, inside the actor's subtree for the staff. */
static enum dj_result campaign_for(db *d, const struct actor *a, int64_t id, struct exemplar_campaign *c, struct field_errors *e)
{
	if (!exemplar_campaign_load(d, id, c))
		return dj_fail(e, DJ_NOT_FOUND, "评选活动不存在");
	if ((a->role & MANAGE) && !actor_covers(a, c->org_path))
		return dj_fail(e, DJ_NOT_FOUND, "评选活动不存在或不在您的管辖范围内");
	return DJ_OK;
}

static enum dj_result stage_is(const struct exemplar_campaign *c, const char *stage, struct field_errors *e)
{
	if (strcmp(c->stage, stage))
		return dj_fail(e, DJ_CONFLICT, "评选活动当前处于“%s”阶段，不能进行“%s”阶段的操作", exemplar_stage_label(c->stage),
			       exemplar_stage_label(stage));
	return DJ_OK;
}

/* Takes one step of the candidate table: the row for (state, action, role),
 * the campaign's stage, then the write guarded by the state it leaves (so a
 * second caller acting at once finds it moved). */
static enum dj_result step(db *d, const struct actor *a, const struct exemplar_candidate *c, const struct exemplar_campaign *camp, const char *action,
			   const char *summary, int64_t now, struct field_errors *e)
{
	const struct exemplar_transition *t = exemplar_find(c->state, action, a->role);
	if (!t) {
		for (int i = 0; i < exemplar_transitions_count; i++)
			if (!strcmp(exemplar_transitions[i].from, c->state) && !strcmp(exemplar_transitions[i].action, action))
				return dj_fail(e, DJ_FORBIDDEN, "您的角色不能对该人选进行此操作");
		return dj_fail(e, DJ_CONFLICT, "人选“%s”当前为“%s”，不能进行此操作", c->name, exemplar_state_label(c->state));
	}
	if (t->stage) {
		enum dj_result r = stage_is(camp, t->stage, e);
		if (r != DJ_OK)
			return r;
	}
	if (db_run(d, "UPDATE exemplar_candidates SET state = ?, updated_at = ? WHERE id = ? AND state = ?", "tIIt", t->to, now, c->id, c->state) != DB_OK)
		return DJ_DB_ERROR;
	if (db_changes(d) != 1)
		return dj_fail(e, DJ_CONFLICT, "该人选刚被他人处理过，请刷新后再试");
	char sum[400];
	snprintf(sum, sizeof sum, "%s：%s → %s%s%.200s", c->name, exemplar_state_label(c->state), exemplar_state_label(t->to), summary ? "；" : "",
		 summary ? summary : "");
	char act[48];
	snprintf(act, sizeof act, "exemplar.%s", action);
	if (audit_write(d, a, act, "exemplar_candidate", c->id, camp->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

static bool day_of(const char *date, int64_t *out)
{
	if (!date || !date_valid(date))
		return false;
	struct tm tm = {0};
	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8);
	*out = (int64_t)timegm(&tm) - 8 * 3600;
	return true;
}

static bool text_ok(const char *s, size_t max) { return s && utf8_valid(s) && utf8_len(s) <= max; }

/* ---- campaigns ---- */

enum dj_result exemplar_campaign_create(db *d, const struct actor *a, const struct exemplar_campaign_new *n, int64_t now, int64_t *id,
					struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委（组织部门）可以发起评选活动");
	if (!*n->title || !text_ok(n->title, 100))
		ferr_add(e, "title", "请填写活动名称（100字以内）");
	struct exemplar_category cat;
	if (!exemplar_category_get(d, n->category, &cat) || !cat.active)
		ferr_add(e, "category", "请选择评选类别");
	if (strcmp(n->subject, "person") && strcmp(n->subject, "org"))
		ferr_add(e, "subject", "评选对象须为个人或组织");
	if (n->quota < 1 || n->quota > 500)
		ferr_add(e, "quota", "名额须在1到500之间");
	if (n->year < 2000 || n->year > 2100)
		ferr_add(e, "year", "请填写年度，如 2026");
	int64_t notice_days = n->notice_days ? n->notice_days : 5;
	if (notice_days < 1 || notice_days > 30)
		ferr_add(e, "notice_days", "公示天数须在1到30天之间");
	int64_t t1 = 0, t2 = 0, t3 = 0;
	if (!day_of(n->nominate_until, &t1))
		ferr_add(e, "nominate_until", "请填写推荐截止日期（YYYY-MM-DD）");
	if (!day_of(n->review_until, &t2))
		ferr_add(e, "review_until", "请填写评审截止日期（YYYY-MM-DD）");
	else if (t1 && t2 < t1)
		ferr_add(e, "review_until", "评审截止日期不能早于推荐截止日期");
	if (!day_of(n->consult_until, &t3))
		ferr_add(e, "consult_until", "请填写征询截止日期（YYYY-MM-DD）");
	else if (t2 && t3 < t2)
		ferr_add(e, "consult_until", "征询截止日期不能早于评审截止日期");
	int64_t dept_ids[12];
	int nd = 0;
	if (n->depts_n < 1)
		ferr_add(e, "depts", "请至少选择一个征询意见的部门（纪委、政法、信访、公安等）");
	for (int i = 0; i < n->depts_n && i < 12; i++) {
		int64_t did = db_int1(d, 0, "SELECT id FROM orgs WHERE code = ? AND type = 'dept' AND dissolved_at IS NULL", "t", n->depts[i]);
		if (!did) {
			ferr_add(e, "depts", "“%.60s”不是一个部门（须为类型为“部门”的组织）", n->depts[i]);
			break;
		}
		bool dup = false;
		for (int j = 0; j < nd; j++)
			dup |= dept_ids[j] == did;
		if (!dup)
			dept_ids[nd++] = did;
	}
	static const char *const default_names[] = {"政治素质", "工作实绩", "群众公认"};
	static const int64_t default_max[] = {30, 40, 30};
	const char *const *cnames = n->criteria_n ? n->criteria : default_names;
	const int64_t *cmax = n->criteria_n ? n->criteria_max : default_max;
	int cn = n->criteria_n ? n->criteria_n : 3;
	int64_t csum = 0;
	if (cn > EXEMPLAR_CRITERIA_MAX)
		ferr_add(e, "criteria", "评审指标至多 %d 项", EXEMPLAR_CRITERIA_MAX);
	for (int i = 0; i < cn && i < EXEMPLAR_CRITERIA_MAX; i++) {
		if (!cnames[i] || !*cnames[i] || !text_ok(cnames[i], 20) || cmax[i] < 1 || cmax[i] > EXEMPLAR_SCORE_MAX) {
			ferr_add(e, "criteria", "每项评审指标须有名称（20字以内）和1到%d的分值", EXEMPLAR_SCORE_MAX);
			break;
		}
		csum += cmax[i];
	}
	if (!ferr_get(e, "criteria") && csum != EXEMPLAR_SCORE_MAX)
		ferr_add(e, "criteria", "各项评审指标的分值合计须为 %d 分（现为 %lld 分）", EXEMPLAR_SCORE_MAX, (long long)csum);
	if (e->n)
		return DJ_INVALID;
	/* the committee leads it: the campaign belongs to the actor's org (the CLI's: the top committee) */
	int64_t org_id = a->org_id ? a->org_id : db_int1(d, 0, "SELECT id FROM orgs WHERE type = 'committee' ORDER BY id LIMIT 1", "");
	if (!org_id)
		return dj_fail(e, DJ_CONFLICT, "还没有镇党委组织，不能发起评选");
	*id = db_int1(d, 0,
		      "INSERT INTO exemplar_campaigns (org_id, title, category, category_label, subject, year, quota, stage, nominate_until, "
		      "review_until, consult_until, notice_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'nomination', ?, ?, ?, ?, ?) RETURNING id",
		      "IttttIItttII", org_id, n->title, n->category, cat.label, n->subject, n->year, n->quota, n->nominate_until, n->review_until,
		      n->consult_until, notice_days, now);
	if (!*id)
		return DJ_DB_ERROR;
	for (int i = 0; i < nd; i++)
		if (db_run(d, "INSERT INTO exemplar_campaign_depts (campaign_id, org_id) VALUES (?, ?)", "II", *id, dept_ids[i]) != DB_OK)
			return DJ_DB_ERROR;
	for (int i = 0; i < cn; i++)
		if (db_run(d, "INSERT INTO exemplar_criteria (campaign_id, pos, name, max_points) VALUES (?, ?, ?, ?)", "IItI", *id, (int64_t)i, cnames[i],
			   cmax[i]) != DB_OK)
			return DJ_DB_ERROR;
	char sum[300];
	snprintf(sum, sizeof sum, "%s（%s，名额%lld）", n->title, cat.label, (long long)n->quota);
	if (audit_write(d, a, "exemplar.campaign_create", "exemplar_campaign", *id, org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

/* ---- 民主推荐 ---- */

bool exemplar_photo_load(db *d, const struct actor *a, int64_t candidate_id, unsigned char **out, size_t *len, char mime[16])
{
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (!exemplar_candidate_load(d, candidate_id, &c) || !c.photo || !exemplar_campaign_load(d, c.campaign_id, &camp))
		return false;
	bool public = !strcmp(c.state, "on_notice") || !strcmp(c.state, "awarded");
	if (!public && !((a->role & MANAGE) && actor_covers(a, camp.org_path)))
		return false;
	db_stmt *s = db_query(d, "SELECT mime, data, bytes FROM exemplar_photos WHERE candidate_id = ?", "I", candidate_id);
	bool ok = false;
	if (db_next(s)) {
		snprintf(mime, 16, "%s", db_str(s, 0));
		const char *b64 = db_str(s, 1);
		size_t cap = (size_t)db_int(s, 2) + 4;
		*out = malloc(cap);
		ok = *out && sodium_base642bin(*out, cap, b64, strlen(b64), NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) == 0;
		if (!ok) {
			free(*out);
			*out = NULL;
		}
	}
	db_done(s);
	return ok;
}

bool exemplar_public_allowed(db *d, const char *kind, const char *ip, const char *idempotency_key, int64_t now)
{
	if (idempotency_key && *idempotency_key &&
	    db_int1(d, 0, "SELECT COUNT(*) FROM exemplar_candidates WHERE idempotency_key = ?", "t", idempotency_key) > 0)
		return true;
	char key[120];
	snprintf(key, sizeof key, "%.10s:%.80s", kind, ip ? ip : "");
	if (db_run(d, "DELETE FROM exemplar_rate WHERE key = ? AND window_start < ?", "tI", key, now - 3600) != DB_OK)
		return false;
	int64_t n = db_int1(d, 0,
			    "INSERT INTO exemplar_rate (key, count, window_start) VALUES (?, 1, ?) "
			    "ON CONFLICT (key) DO UPDATE SET count = exemplar_rate.count + 1 RETURNING count",
			    "tI", key, now);
	return n >= 1 && n <= EXEMPLAR_PUBLIC_PER_HOUR;
}

enum dj_result exemplar_nominate(db *d, const struct actor *a, int64_t campaign_id, const struct exemplar_nomination *n, int64_t now, int64_t *id,
				 bool *repeated, struct field_errors *e)
{
	*repeated = false;
	struct exemplar_campaign c;
	if (!exemplar_campaign_load(d, campaign_id, &c))
		return dj_fail(e, DJ_NOT_FOUND, "评选活动不存在");
	const char *source = a->role == A_PUBLIC   ? "public"
			     : a->role == R_MEMBER ? "member"
			     : a->role == R_BRANCH ? "branch"
			     : a->role & MANAGE    ? "committee"
						   : NULL;
	if (!source)
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能推荐人选");
	if (a->role == A_PUBLIC && *n->idempotency_key) {
		db_stmt *s = db_query(d, "SELECT id, campaign_id, name, deeds FROM exemplar_candidates WHERE idempotency_key = ?", "t",
				      n->idempotency_key);
		int64_t first = 0;
		bool same = false;
		if (db_next(s)) {
			first = db_int(s, 0);
			same = db_int(s, 1) == campaign_id && !strcmp(db_str(s, 2), n->name) && !strcmp(db_str(s, 3), n->deeds);
		}
		if (db_done(s) != DB_OK)
			return DJ_DB_ERROR;
		if (first && !same) {
			ferr_add(e, "Idempotency-Key", "该表单编号已提交过内容不同的推荐");
			return DJ_INVALID;
		}
		if (first) {
			*id = first;
			*repeated = true;
			return DJ_OK;
		}
	}
	enum dj_result r = stage_is(&c, "nomination", e);
	if (r != DJ_OK)
		return r;
	if (!*n->name || !text_ok(n->name, 60))
		ferr_add(e, "name", c.subject[0] == 'o' ? "请填写被推荐组织的名称" : "请填写被推荐人姓名");
	if (!text_ok(n->unit, 60))
		ferr_add(e, "unit", "所在单位过长（60字以内）");
	if (!text_ok(n->deeds, 2000) || utf8_len(n->deeds) < 10)
		ferr_add(e, "deeds", "请填写主要事迹（10到2000字）");
	const char *mime = NULL;
	if (n->photo_len) {
		if (n->photo_len > EXEMPLAR_PHOTO_MAX)
			ferr_add(e, "photo", "照片不能超过 %u MB（这张有 %.1f MB）", EXEMPLAR_PHOTO_MAX >> 20, (double)n->photo_len / (1 << 20));
		else if (n->photo_len > 3 && n->photo[0] == 0xFF && n->photo[1] == 0xD8 && n->photo[2] == 0xFF)
			mime = "image/jpeg";
		else if (n->photo_len > 8 && !memcmp(n->photo, "\x89PNG\r\n\x1a\n", 8))
			mime = "image/png";
		else
			ferr_add(e, "photo", "照片须为 JPEG 或 PNG 图片");
	}
	const char *nominator = n->nominator_name, *phone = n->nominator_phone;
	if (a->role == A_PUBLIC) {
		if (!*nominator || !text_ok(nominator, 30))
			ferr_add(e, "nominator_name", "请填写推荐人姓名");
		if (!phone_valid(phone))
			ferr_add(e, "nominator_phone", "请填写推荐人的11位手机号");
	} else {
		nominator = a->label;
		phone = "";
	}
	if (e->n)
		return DJ_INVALID;
	*id = db_int1(
		d, 0,
		"INSERT INTO exemplar_candidates (campaign_id, name, unit, deeds, source, nominator_name, nominator_phone, nominator_user_id, "
		"state, idempotency_key, ip, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), 'nominated', ?, ?, ?, ?) "
		"RETURNING id",
		"IttttttIttII", campaign_id, n->name, n->unit, n->deeds, source, nominator, phone, a->user_id,
		*n->idempotency_key ? n->idempotency_key : NULL, a->ip, now, now);
	if (!*id)
		return DJ_DB_ERROR;
	if (mime) {
		size_t b64n = sodium_base64_ENCODED_LEN(n->photo_len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = malloc(b64n);
		if (!b64)
			return DJ_DB_ERROR;
		sodium_bin2base64(b64, b64n, n->photo, n->photo_len, sodium_base64_VARIANT_ORIGINAL);
		int rc = db_run(d, "INSERT INTO exemplar_photos (candidate_id, mime, data, bytes, created_at) VALUES (?, ?, ?, ?, ?)", "IttII", *id, mime,
				b64, (int64_t)n->photo_len, now);
		free(b64);
		if (rc != DB_OK)
			return DJ_DB_ERROR;
	}
	char sum[300];
	snprintf(sum, sizeof sum, "推荐“%.100s”参评《%.150s》", n->name, c.title);
	if (audit_write(d, a, "exemplar.nominate", "exemplar_candidate", *id, c.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

/* ---- steps that carry only a note ---- */

static void new_cert_no(int64_t year, char out[32])
{
	static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"; /* no 0/O/1/I/L */
	unsigned char rb[8];
	randombytes_buf(rb, sizeof rb);
	char c[9];
	for (int i = 0; i < 8; i++)
		c[i] = alphabet[rb[i] % 31];
	c[8] = 0;
	snprintf(out, 32, "BY%04lld-%.4s-%.4s", (long long)year, c, c + 4);
}

void exemplar_cert_normalize(const char *in, char out[32])
{
	size_t n = 0;
	for (const char *p = in ? in : ""; *p && n < 31; p++) {
		char ch = *p;
		if (ch == ' ' || ch == '\t')
			continue;
		out[n++] = ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
	}
	out[n] = 0;
}

enum dj_result exemplar_act(db *d, const struct actor *a, int64_t candidate_id, const char *action, const char *note, int64_t now, struct field_errors *e)
{
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (!exemplar_candidate_load(d, candidate_id, &c))
		return dj_fail(e, DJ_NOT_FOUND, "人选不存在");
	enum dj_result r = campaign_for(d, a, c.campaign_id, &camp, e);
	if (r != DJ_OK)
		return r;
	if (!action || (strcmp(action, "accept") && strcmp(action, "reject") && strcmp(action, "revoke")))
		return dj_fail(e, DJ_INVALID, "未知的操作");
	if (note && !text_ok(note, 300)) {
		ferr_add(e, "note", "说明过长（300字以内）");
		return DJ_INVALID;
	}
	if (!strcmp(action, "revoke") && (!note || !*note)) {
		ferr_add(e, "note", "请填写撤销证书的原因");
		return DJ_INVALID;
	}
	int64_t dup = 0;
	if (!strcmp(action, "accept")) {
		/* the same person (name and unit) nominated twice is one candidate */
		dup = db_int1(d, 0,
			      "SELECT id FROM exemplar_candidates WHERE campaign_id = ? AND name = ? AND unit = ? AND id <> ? "
			      "AND state NOT IN ('nominated', 'merged', 'rejected') ORDER BY id LIMIT 1",
			      "IttI", c.campaign_id, c.name, c.unit, c.id);
		if (dup)
			action = "merge";
	}
	char sum[200] = "";
	if (dup)
		snprintf(sum, sizeof sum, "与人选 #%lld 重复，合并", (long long)dup);
	else if (note && *note)
		snprintf(sum, sizeof sum, "%s", note);
	r = step(d, a, &c, &camp, action, *sum ? sum : NULL, now, e);
	if (r != DJ_OK)
		return r;
	if (dup && db_run(d, "UPDATE exemplar_candidates SET merged_into = ? WHERE id = ?", "II", dup, c.id) != DB_OK)
		return DJ_DB_ERROR;
	if (!strcmp(action, "revoke") &&
	    db_run(d, "UPDATE exemplar_candidates SET revoked_at = ?, revoke_reason = ? WHERE id = ?", "ItI", now, note, c.id) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

/* ---- 联合评审 ---- */

enum dj_result exemplar_score(db *d, const struct actor *a, int64_t candidate_id, const int64_t *points, int n, const char *note, int64_t now,
			      struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_score, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有评审人员可以打分");
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (!exemplar_candidate_load(d, candidate_id, &c))
		return dj_fail(e, DJ_NOT_FOUND, "人选不存在");
	enum dj_result r = campaign_for(d, a, c.campaign_id, &camp, e);
	if (r != DJ_OK)
		return r;
	struct exemplar_criterion crit[EXEMPLAR_CRITERIA_MAX];
	int cn = exemplar_criteria(d, camp.id, crit);
	int64_t score = 0;
	if (n != cn)
		ferr_add(e, "points", "请按 %d 项评审指标逐项打分", cn);
	for (int i = 0; i < n && i < cn; i++) {
		if (points[i] < 0 || points[i] > crit[i].max) {
			ferr_add(e, "points", "“%s”的得分须在0到%lld分之间", crit[i].name, (long long)crit[i].max);
			break;
		}
		score += points[i];
	}
	if (note && !text_ok(note, 300))
		ferr_add(e, "note", "评语过长（300字以内）");
	if (e->n)
		return DJ_INVALID;
	if ((r = stage_is(&camp, "review", e)) != DJ_OK)
		return r;
	if (strcmp(c.state, "candidate"))
		return dj_fail(e, DJ_CONFLICT, "人选“%s”当前为“%s”，不能评分", c.name, exemplar_state_label(c.state));
	if (db_run(d,
		   "INSERT INTO exemplar_scores (candidate_id, user_id, score, note, at) VALUES (?, ?, ?, ?, ?) "
		   "ON CONFLICT (candidate_id, user_id) DO UPDATE SET score = excluded.score, note = excluded.note, at = excluded.at",
		   "IIItI", c.id, a->user_id, score, note ? note : "", now) != DB_OK)
		return DJ_DB_ERROR;
	for (int i = 0; i < n; i++)
		if (db_run(d,
			   "INSERT INTO exemplar_score_items (candidate_id, user_id, pos, points) VALUES (?, ?, ?, ?) "
			   "ON CONFLICT (candidate_id, user_id, pos) DO UPDATE SET points = excluded.points",
			   "IIII", c.id, a->user_id, (int64_t)i, points[i]) != DB_OK)
			return DJ_DB_ERROR;
	char sum[300];
	int k = snprintf(sum, sizeof sum, "%s：%lld 分（", c.name, (long long)score);
	for (int i = 0; i < n && k > 0 && (size_t)k < sizeof sum; i++)
		k += snprintf(sum + k, sizeof sum - (size_t)k, "%s%s %lld", i ? "，" : "", crit[i].name, (long long)points[i]);
	if (k > 0 && (size_t)k < sizeof sum)
		snprintf(sum + k, sizeof sum - (size_t)k, "）");
	if (audit_write(d, a, "exemplar.score", "exemplar_candidate", c.id, camp.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

/* the campaign's candidates still waiting in one state */
static int64_t count_state(db *d, int64_t campaign_id, const char *state)
{
	return db_int1(d, 0, "SELECT COUNT(*) FROM exemplar_candidates WHERE campaign_id = ? AND state = ?", "It", campaign_id, state);
}

static enum dj_result stage_next(db *d, const struct actor *a, struct exemplar_campaign *c, const char *action, int64_t now)
{
	const struct exemplar_stage *s = exemplar_stage_find(c->stage);
	if (!s || !s->ends_by || strcmp(s->ends_by, action))
		return DJ_CONFLICT;
	if (db_run(d, "UPDATE exemplar_campaigns SET stage = ? WHERE id = ? AND stage = ?", "tIt", s->next, c->id, c->stage) != DB_OK)
		return DJ_DB_ERROR;
	if (db_changes(d) != 1)
		return DJ_CONFLICT;
	char sum[300];
	snprintf(sum, sizeof sum, "%s：%s → %s", c->title, s->label, exemplar_stage_label(s->next));
	if (audit_write(d, a, "exemplar.stage", "exemplar_campaign", c->id, c->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	(void)now;
	snprintf(c->stage, sizeof c->stage, "%s", s->next);
	return DJ_OK;
}

/* Ends the nomination: the review begins (nominations not yet accepted stay to be accepted or rejected). */
enum dj_result exemplar_open_review(db *d, const struct actor *a, int64_t campaign_id, int64_t now, struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委（组织部门）可以进行此操作");
	struct exemplar_campaign c;
	enum dj_result r = campaign_for(d, a, campaign_id, &c, e);
	if (r != DJ_OK || (r = stage_is(&c, "nomination", e)) != DJ_OK)
		return r;
	int64_t open = count_state(d, campaign_id, "nominated");
	if (open)
		return dj_fail(e, DJ_CONFLICT, "还有 %lld 条推荐未受理，请先受理或不予受理", (long long)open);
	if (!count_state(d, campaign_id, "candidate"))
		return dj_fail(e, DJ_CONFLICT, "还没有候选人，不能进入评审");
	r = stage_next(d, a, &c, "open_review", now);
	return r == DJ_CONFLICT ? dj_fail(e, r, "评选活动刚被他人推进，请刷新") : r;
}

enum dj_result exemplar_shortlist(db *d, const struct actor *a, int64_t campaign_id, const int64_t *ids, int n, int64_t now, struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委（组织部门）可以确定初步人选");
	struct exemplar_campaign c;
	enum dj_result r = campaign_for(d, a, campaign_id, &c, e);
	if (r != DJ_OK)
		return r;
	if (n < 1) {
		ferr_add(e, "candidates", "请至少选择一名初步人选");
		return DJ_INVALID;
	}
	if (n > c.quota) {
		ferr_add(e, "candidates", "初步人选不能超过名额（%lld 名）", (long long)c.quota);
		return DJ_INVALID;
	}
	if ((r = stage_is(&c, "review", e)) != DJ_OK)
		return r;
	struct exemplar_candidate cand;
	for (int i = 0; i < n; i++) {
		if (!exemplar_candidate_load(d, ids[i], &cand) || cand.campaign_id != campaign_id) {
			ferr_add(e, "candidates", "人选 #%lld 不属于该评选活动", (long long)ids[i]);
			return DJ_INVALID;
		}
		if ((r = step(d, a, &cand, &c, "shortlist", NULL, now, e)) != DJ_OK)
			return r;
	}
	/* the others are not shortlisted, each through the table */
	int64_t rest[512];
	int nrest = 0;
	db_stmt *s = db_query(d, "SELECT id FROM exemplar_candidates WHERE campaign_id = ? AND state = 'candidate' ORDER BY id", "I", campaign_id);
	while (db_next(s) && nrest < 512)
		rest[nrest++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	for (int i = 0; i < nrest; i++)
		if (exemplar_candidate_load(d, rest[i], &cand) && (r = step(d, a, &cand, &c, "pass_over", NULL, now, e)) != DJ_OK)
			return r;
	/* one task per shortlisted candidate and department, due at the end of the consultation's last day */
	int64_t due = now + 7 * 86400;
	if (day_of(c.consult_until, &due))
		due += 86400 - 60; /* the end of the last day: 23:59 */
	if (db_run(d,
		   "INSERT INTO exemplar_consults (candidate_id, dept_org_id, due_at) SELECT c.id, cd.org_id, ? FROM exemplar_candidates c "
		   "JOIN exemplar_campaign_depts cd ON cd.campaign_id = c.campaign_id WHERE c.campaign_id = ? AND c.state = 'shortlisted'",
		   "II", due, campaign_id) != DB_OK)
		return DJ_DB_ERROR;
	char text[300];
	snprintf(text, sizeof text, "《%s》已确定 %d 名初步人选，请在 %s 前回复征询意见", c.title, n, c.consult_until);
	s = db_query(d, "SELECT org_id FROM exemplar_campaign_depts WHERE campaign_id = ?", "I", campaign_id);
	int64_t depts[32];
	int nd = 0;
	while (db_next(s) && nd < 32)
		depts[nd++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	for (int i = 0; i < nd; i++)
		if (notify_org_role(d, depts[i], "reviewer", "exemplar_consult", "exemplar_consult", campaign_id, text, now) != DB_OK)
			return DJ_DB_ERROR;
	r = stage_next(d, a, &c, "shortlist", now);
	return r == DJ_CONFLICT ? dj_fail(e, r, "评选活动刚被他人推进，请刷新") : r;
}

/* ---- 征询意见 ---- */

#define CONSULT_COLS                                                                                                            \
	"t.id, t.candidate_id, c.campaign_id, t.dept_org_id, o.name, c.name, c.unit, k.title, COALESCE(t.answer, ''), t.note, " \
	"COALESCE(t.answered_at, 0), t.due_at"
#define CONSULT_FROM                                                                                                                 \
	"exemplar_consults t JOIN exemplar_candidates c ON c.id = t.candidate_id JOIN exemplar_campaigns k ON k.id = c.campaign_id " \
	"JOIN orgs o ON o.id = t.dept_org_id"

static void consult_read(db_stmt *s, struct exemplar_consult *t)
{
	memset(t, 0, sizeof *t);
	t->id = db_int(s, 0);
	t->candidate_id = db_int(s, 1);
	t->campaign_id = db_int(s, 2);
	t->dept_org_id = db_int(s, 3);
	str_copy(t->dept_name, sizeof t->dept_name, db_str(s, 4));
	str_copy(t->candidate_name, sizeof t->candidate_name, db_str(s, 5));
	str_copy(t->candidate_unit, sizeof t->candidate_unit, db_str(s, 6));
	str_copy(t->campaign_title, sizeof t->campaign_title, db_str(s, 7));
	str_copy(t->answer, sizeof t->answer, db_str(s, 8));
	str_copy(t->note, sizeof t->note, db_str(s, 9));
	t->answered_at = db_int(s, 10);
	t->due_at = db_int(s, 11);
}

int64_t exemplar_consults_open(db *d, int64_t dept_org_id)
{
	return db_int1(d, 0, "SELECT COUNT(*) FROM exemplar_consults WHERE dept_org_id = ? AND answer IS NULL", "I", dept_org_id);
}

void exemplar_consult_each(db *d, int64_t dept_org_id, int64_t campaign_id, exemplar_consult_fn fn, void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT " CONSULT_COLS " FROM " CONSULT_FROM " WHERE (? = 0 OR t.dept_org_id = ?) AND (? = 0 OR c.campaign_id = ?) "
			      "ORDER BY CASE WHEN t.answer IS NULL THEN 0 ELSE 1 END, t.due_at, t.id LIMIT 500",
			      "IIII", dept_org_id, dept_org_id, campaign_id, campaign_id);
	struct exemplar_consult t;
	while (db_next(s)) {
		consult_read(s, &t);
		fn(ctx, &t);
	}
	db_done(s);
}

/* ---- 佐证材料 ---- */

/* JPEG, PNG or PDF, by their first bytes (attach.h, shared with the campaigns' plans) */
static const char *evidence_mime(const unsigned char *b, size_t n) { return attach_sniff(b, n, ATTACH_IMAGE | ATTACH_PDF); }

/* The files' checks, each refusal under "files" naming the file. */
static void evidence_check(const struct exemplar_file *f, int n, struct field_errors *e)
{
	if (n > EXEMPLAR_EVIDENCE_FILES) {
		ferr_add(e, "files", "佐证材料最多 %d 个文件（这次有 %d 个）", EXEMPLAR_EVIDENCE_FILES, n);
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *name = f[i].name && *f[i].name ? f[i].name : "附件";
		if (!f[i].len)
			ferr_add(e, "files", "佐证材料“%.60s”是空文件", name);
		else if (f[i].len > EXEMPLAR_EVIDENCE_MAX)
			ferr_add(e, "files", "佐证材料“%.60s”超过 %u MB（有 %.1f MB）", name, EXEMPLAR_EVIDENCE_MAX >> 20, (double)f[i].len / (1 << 20));
		else if (!evidence_mime(f[i].data, f[i].len))
			ferr_add(e, "files", "佐证材料“%.60s”须为 JPEG、PNG 图片或 PDF 文件", name);
	}
}

static enum dj_result evidence_store(db *d, const char *kind, int64_t owner_id, const struct exemplar_file *f, int n, int64_t now)
{
	for (int i = 0; i < n; i++) {
		/* the name as shown: its last path component, valid UTF-8, at most 60 characters */
		char shown[128];
		attach_name(f[i].name, "附件", shown);
		char *b64 = attach_b64(f[i].data, f[i].len);
		if (!b64)
			return DJ_DB_ERROR;
		int rc = db_run(d, "INSERT INTO exemplar_evidence (kind, owner_id, filename, mime, data, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				"tItttII", kind, owner_id, shown, evidence_mime(f[i].data, f[i].len), b64, (int64_t)f[i].len, now);
		free(b64);
		if (rc != DB_OK)
			return DJ_DB_ERROR;
	}
	return DJ_OK;
}

static void evidence_read(db_stmt *s, struct exemplar_evidence *v)
{
	memset(v, 0, sizeof *v);
	v->id = db_int(s, 0);
	str_copy(v->kind, sizeof v->kind, db_str(s, 1));
	v->owner_id = db_int(s, 2);
	str_copy(v->name, sizeof v->name, db_str(s, 3));
	str_copy(v->mime, sizeof v->mime, db_str(s, 4));
	v->bytes = db_int(s, 5);
	v->created_at = db_int(s, 6);
}

void exemplar_evidence_each(db *d, const char *kind, int64_t owner_id, exemplar_evidence_fn fn, void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT id, kind, owner_id, filename, mime, bytes, created_at FROM exemplar_evidence WHERE kind = ? AND owner_id = ? "
			      "ORDER BY id",
			      "tI", kind, owner_id);
	struct exemplar_evidence v;
	while (db_next(s)) {
		evidence_read(s, &v);
		fn(ctx, &v);
	}
	db_done(s);
}

bool exemplar_evidence_load(db *d, const struct actor *a, int64_t id, struct exemplar_evidence *v, unsigned char **out, size_t *len)
{
	*out = NULL;
	if (!(a->role & MANAGE))
		return false;
	/* the campaign the file belongs to, through its answer or objection */
	db_stmt *s = db_query(d,
			      "SELECT v.id, v.kind, v.owner_id, v.filename, v.mime, v.bytes, v.created_at, v.data, o.path FROM exemplar_evidence v "
			      "LEFT JOIN exemplar_consults t ON v.kind = 'consult' AND t.id = v.owner_id "
			      "LEFT JOIN exemplar_objections b ON v.kind = 'objection' AND b.id = v.owner_id "
			      "JOIN exemplar_candidates c ON c.id = COALESCE(t.candidate_id, b.candidate_id) "
			      "JOIN exemplar_campaigns k ON k.id = c.campaign_id JOIN orgs o ON o.id = k.org_id WHERE v.id = ?",
			      "I", id);
	bool ok = false;
	if (db_next(s) && actor_covers(a, db_str(s, 8))) {
		evidence_read(s, v);
		const char *b64 = db_str(s, 7);
		size_t cap = (size_t)v->bytes + 4;
		*out = malloc(cap);
		ok = *out && sodium_base642bin(*out, cap, b64, strlen(b64), NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) == 0;
		if (!ok) {
			free(*out);
			*out = NULL;
		}
	}
	db_done(s);
	return ok;
}

enum dj_result exemplar_consult_answer(db *d, const struct actor *a, int64_t consult_id, const char *answer, const char *note, int64_t now,
				       struct field_errors *e)
{
	return exemplar_consult_answer_files(d, a, consult_id, answer, note, NULL, 0, now, e);
}

enum dj_result exemplar_consult_answer_files(db *d, const struct actor *a, int64_t consult_id, const char *answer, const char *note,
					     const struct exemplar_file *files, int nfiles, int64_t now, struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_answer, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有征询部门的审核人员可以答复征询意见");
	db_stmt *s = db_query(d, "SELECT " CONSULT_COLS " FROM " CONSULT_FROM " WHERE t.id = ?", "I", consult_id);
	struct exemplar_consult t;
	bool found = db_next(s);
	if (found)
		consult_read(s, &t);
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	if (!found)
		return dj_fail(e, DJ_NOT_FOUND, "征询事项不存在");
	if (t.dept_org_id != a->org_id)
		return dj_fail(e, DJ_FORBIDDEN, "只能答复本部门的征询事项（该事项征询的是%s）", t.dept_name);
	if (*t.answer)
		return dj_fail(e, DJ_CONFLICT, "%s已答复过对“%s”的征询，不能重复答复", t.dept_name, t.candidate_name);
	bool agree = answer && !strcmp(answer, "agree");
	if (!answer || (!agree && strcmp(answer, "disagree")))
		ferr_add(e, "answer", "请选择“同意”或“不同意”");
	if (!text_ok(note ? note : "", 300))
		ferr_add(e, "note", "意见说明过长（300字以内）");
	else if (!agree && (!note || !*note))
		ferr_add(e, "note", "不同意时请写明理由");
	evidence_check(files, nfiles, e);
	if (e->n)
		return DJ_INVALID;
	struct exemplar_campaign camp;
	struct exemplar_candidate c;
	if (!exemplar_campaign_load(d, t.campaign_id, &camp) || !exemplar_candidate_load(d, t.candidate_id, &c))
		return DJ_DB_ERROR;
	enum dj_result r = stage_is(&camp, "consultation", e);
	if (r != DJ_OK)
		return r;
	if (db_run(d, "UPDATE exemplar_consults SET answer = ?, note = ?, answered_by = ?, answered_at = ? WHERE id = ? AND answer IS NULL", "ttIII",
		   agree ? "agree" : "disagree", note ? note : "", a->user_id, now, t.id) != DB_OK)
		return DJ_DB_ERROR;
	if (db_changes(d) != 1)
		return dj_fail(e, DJ_CONFLICT, "%s已答复过对“%s”的征询，不能重复答复", t.dept_name, t.candidate_name);
	if ((r = evidence_store(d, "consult", t.id, files, nfiles, now)) != DJ_OK)
		return r;
	char sum[400];
	/* the audit row names the answer, not the reason: the reason is the committee's to read */
	snprintf(sum, sizeof sum, "%s 对“%s”：%s", t.dept_name, t.candidate_name, agree ? "同意" : "不同意");
	if (audit_write(d, a, "exemplar.consult", "exemplar_candidate", t.candidate_id, camp.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	if (!strcmp(c.state, "shortlisted")) {
		if (!agree) { /* 一票否决: whatever the scores */
			char reason[600];
			snprintf(reason, sizeof reason, "%s：%s", t.dept_name, note);
			if ((r = step(d, a, &c, &camp, "veto", NULL, now, e)) != DJ_OK)
				return r;
			if (db_run(d, "UPDATE exemplar_candidates SET veto_reason = ? WHERE id = ?", "tI", reason, c.id) != DB_OK)
				return DJ_DB_ERROR;
		} else if (db_int1(d, 1, "SELECT COUNT(*) FROM exemplar_consults WHERE candidate_id = ? AND (answer IS NULL OR answer <> 'agree')", "I",
				   c.id) == 0 &&
			   (r = step(d, a, &c, &camp, "clear", NULL, now, e)) != DJ_OK)
			return r;
	}
	return DJ_OK;
}

enum dj_result exemplar_publish(db *d, const struct actor *a, int64_t campaign_id, int64_t now, struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委（组织部门）可以发布公示");
	struct exemplar_campaign c;
	enum dj_result r = campaign_for(d, a, campaign_id, &c, e);
	if (r != DJ_OK || (r = stage_is(&c, "consultation", e)) != DJ_OK)
		return r;
	/* the stage ends when every department has answered for every candidate still in it */
	int64_t open = db_int1(d, -1,
			       "SELECT COUNT(*) FROM exemplar_consults t JOIN exemplar_candidates c ON c.id = t.candidate_id "
			       "WHERE c.campaign_id = ? AND c.state = 'shortlisted' AND t.answer IS NULL",
			       "I", campaign_id);
	if (open)
		return dj_fail(e, DJ_CONFLICT, "还有 %lld 项征询意见未答复，所有部门答复后才能公示", (long long)open);
	if (!count_state(d, campaign_id, "consulted"))
		return dj_fail(e, DJ_CONFLICT, "没有通过征询的人选，不能公示");
	int64_t ids[512];
	int n = 0;
	db_stmt *s = db_query(d, "SELECT id FROM exemplar_candidates WHERE campaign_id = ? AND state = 'consulted' ORDER BY id", "I", campaign_id);
	while (db_next(s) && n < 512)
		ids[n++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	struct exemplar_candidate cand;
	for (int i = 0; i < n; i++)
		if (exemplar_candidate_load(d, ids[i], &cand) && (r = step(d, a, &cand, &c, "publish", NULL, now, e)) != DJ_OK)
			return r;
	if (db_run(d, "UPDATE exemplar_campaigns SET notice_start = ? WHERE id = ?", "II", now, campaign_id) != DB_OK)
		return DJ_DB_ERROR;
	r = stage_next(d, a, &c, "publish", now);
	return r == DJ_CONFLICT ? dj_fail(e, r, "评选活动刚被他人推进，请刷新") : r;
}

/* ---- 公示与异议 ---- */

enum dj_result exemplar_object(db *d, const struct actor *a, int64_t candidate_id, const struct exemplar_objection_new *o, int64_t now, int64_t *id,
			       struct field_errors *e)
{
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (!exemplar_candidate_load(d, candidate_id, &c) || !exemplar_campaign_load(d, c.campaign_id, &camp) || strcmp(c.state, "on_notice"))
		return dj_fail(e, DJ_NOT_FOUND, "该人选不在公示中");
	if (!*o->name || !text_ok(o->name, 30))
		ferr_add(e, "name", "请填写您的姓名");
	if (!phone_valid(o->phone))
		ferr_add(e, "phone", "请填写11位手机号，便于核实");
	if (!text_ok(o->content, 1000) || utf8_len(o->content) < 5)
		ferr_add(e, "content", "请写明异议内容（5到1000字）");
	if (!text_ok(o->evidence, 500))
		ferr_add(e, "evidence", "佐证材料说明过长（500字以内）");
	evidence_check(o->files, o->nfiles, e);
	if (e->n)
		return DJ_INVALID;
	enum dj_result r = stage_is(&camp, "notice", e);
	if (r != DJ_OK)
		return r;
	*id = db_int1(d, 0,
		      "INSERT INTO exemplar_objections (candidate_id, name, phone, content, evidence, ip, filed_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
		      "RETURNING id",
		      "ItttttI", c.id, o->name, o->phone, o->content, o->evidence, a->ip, now);
	if (!*id || evidence_store(d, "objection", *id, o->files, o->nfiles, now) != DJ_OK)
		return DJ_DB_ERROR;
	char sum[200];
	snprintf(sum, sizeof sum, "对公示人选“%s”提出异议", c.name);
	if (audit_write(d, a, "exemplar.object", "exemplar_candidate", c.id, camp.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	char text[300];
	snprintf(text, sizeof text, "《%.150s》公示人选“%.60s”收到一条异议，请及时答复", camp.title, c.name);
	if (notify_org_role(d, camp.org_id, "committee", "exemplar_objection", "exemplar_campaign", camp.id, text, now) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

void exemplar_objection_each(db *d, int64_t campaign_id, exemplar_objection_fn fn, void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT b.id, b.candidate_id, c.name, b.name, b.phone, b.content, b.evidence, COALESCE(b.answer, ''), b.reason, b.filed_at, "
			      "COALESCE(b.answered_at, 0) FROM exemplar_objections b JOIN exemplar_candidates c ON c.id = b.candidate_id "
			      "WHERE c.campaign_id = ? ORDER BY CASE WHEN b.answer IS NULL THEN 0 ELSE 1 END, b.id",
			      "I", campaign_id);
	struct exemplar_objection o;
	while (db_next(s)) {
		memset(&o, 0, sizeof o);
		o.id = db_int(s, 0);
		o.candidate_id = db_int(s, 1);
		str_copy(o.candidate_name, sizeof o.candidate_name, db_str(s, 2));
		str_copy(o.name, sizeof o.name, db_str(s, 3));
		str_copy(o.phone, sizeof o.phone, db_str(s, 4));
		str_copy(o.content, sizeof o.content, db_str(s, 5));
		str_copy(o.evidence, sizeof o.evidence, db_str(s, 6));
		str_copy(o.answer, sizeof o.answer, db_str(s, 7));
		str_copy(o.reason, sizeof o.reason, db_str(s, 8));
		o.filed_at = db_int(s, 9);
		o.answered_at = db_int(s, 10);
		fn(ctx, &o);
	}
	db_done(s);
}

enum dj_result exemplar_objection_answer(db *d, const struct actor *a, int64_t objection_id, const char *answer, const char *reason, int64_t now,
					 struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委（组织部门）可以答复异议");
	int64_t cid = db_int1(d, 0, "SELECT candidate_id FROM exemplar_objections WHERE id = ?", "I", objection_id);
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (!cid || !exemplar_candidate_load(d, cid, &c))
		return dj_fail(e, DJ_NOT_FOUND, "异议不存在");
	enum dj_result r = campaign_for(d, a, c.campaign_id, &camp, e);
	if (r != DJ_OK)
		return r;
	bool upheld = answer && !strcmp(answer, "upheld");
	if (!answer || (!upheld && strcmp(answer, "dismissed")))
		ferr_add(e, "answer", "请选择“异议成立”或“异议不成立”");
	if (!reason || !*reason || !text_ok(reason, 500))
		ferr_add(e, "reason", "请写明核查情况和理由（500字以内）");
	if (e->n)
		return DJ_INVALID;
	if ((r = stage_is(&camp, "notice", e)) != DJ_OK)
		return r;
	if (db_run(d, "UPDATE exemplar_objections SET answer = ?, reason = ?, answered_by = ?, answered_at = ? WHERE id = ? AND answer IS NULL", "ttIII",
		   upheld ? "upheld" : "dismissed", reason, a->user_id, now, objection_id) != DB_OK)
		return DJ_DB_ERROR;
	if (db_changes(d) != 1)
		return dj_fail(e, DJ_CONFLICT, "该异议已答复过");
	char sum[600];
	snprintf(sum, sizeof sum, "对“%s”的异议：%s；%.400s", c.name, upheld ? "异议成立" : "异议不成立", reason);
	if (audit_write(d, a, "exemplar.objection_answer", "exemplar_candidate", c.id, camp.org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	/* upheld: the candidate leaves the notice (a second upheld objection finds it gone already) */
	if (upheld && !strcmp(c.state, "on_notice"))
		return step(d, a, &c, &camp, "uphold", reason, now, e);
	return DJ_OK;
}

enum dj_result exemplar_award(db *d, const struct actor *a, int64_t campaign_id, int64_t now, struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委（组织部门）可以表彰");
	struct exemplar_campaign c;
	enum dj_result r = campaign_for(d, a, campaign_id, &c, e);
	if (r != DJ_OK || (r = stage_is(&c, "notice", e)) != DJ_OK)
		return r;
	if (now < exemplar_notice_ends(&c)) {
		char t[20];
		fmt_time(exemplar_notice_ends(&c), t);
		return dj_fail(e, DJ_CONFLICT, "公示期为 %lld 天，未满不能结束，最早于 %s 结束", (long long)c.notice_days, t);
	}
	int64_t open = db_int1(d, -1,
			       "SELECT COUNT(*) FROM exemplar_objections b JOIN exemplar_candidates c ON c.id = b.candidate_id "
			       "WHERE c.campaign_id = ? AND b.answer IS NULL",
			       "I", campaign_id);
	if (open)
		return dj_fail(e, DJ_CONFLICT, "还有 %lld 条异议未答复，答复后才能结束公示", (long long)open);
	int64_t ids[512];
	int n = 0;
	db_stmt *s = db_query(d, "SELECT id FROM exemplar_candidates WHERE campaign_id = ? AND state = 'on_notice' ORDER BY id", "I", campaign_id);
	while (db_next(s) && n < 512)
		ids[n++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	struct exemplar_candidate cand;
	for (int i = 0; i < n; i++) {
		if (!exemplar_candidate_load(d, ids[i], &cand))
			return DJ_DB_ERROR;
		char no[32];
		new_cert_no(c.year, no);
		char sum[80];
		snprintf(sum, sizeof sum, "证书编号 %s", no);
		if ((r = step(d, a, &cand, &c, "award", sum, now, e)) != DJ_OK)
			return r;
		if (db_run(d, "UPDATE exemplar_candidates SET cert_no = ?, awarded_at = ? WHERE id = ?", "tII", no, now, cand.id) != DB_OK)
			return DJ_DB_ERROR;
	}
	if (db_run(d, "UPDATE exemplar_campaigns SET closed_at = ? WHERE id = ?", "II", now, campaign_id) != DB_OK)
		return DJ_DB_ERROR;
	r = stage_next(d, a, &c, "award", now);
	return r == DJ_CONFLICT ? dj_fail(e, r, "评选活动刚被他人推进，请刷新") : r;
}

enum dj_result exemplar_verify(db *d, const char *cert_no, struct exemplar_candidate *c, struct exemplar_campaign *camp)
{
	char no[32];
	exemplar_cert_normalize(cert_no, no);
	if (!*no)
		return DJ_NOT_FOUND;
	int64_t id = db_int1(d, 0, "SELECT id FROM exemplar_candidates WHERE cert_no = ?", "t", no);
	if (!id || !exemplar_candidate_load(d, id, c) || !exemplar_campaign_load(d, c->campaign_id, camp))
		return DJ_NOT_FOUND;
	return DJ_OK;
}

/* ---- 关爱礼遇 ---- */

enum dj_result exemplar_care_add(db *d, const struct actor *a, int64_t candidate_id, const char *kind, const char *day, const char *note, int64_t now,
				 int64_t *id, struct field_errors *e)
{
	if (!(a->role & R_STAFF))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能登记关爱礼遇");
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (!exemplar_candidate_load(d, candidate_id, &c) || strcmp(c.state, "awarded") || !exemplar_campaign_load(d, c.campaign_id, &camp))
		ferr_add(e, "candidate", "请选择一名已表彰的榜样");
	if (!*exemplar_pair_label(exemplar_care_kinds, kind))
		ferr_add(e, "kind", "请选择关爱礼遇的类型");
	if (!day || !date_valid(day))
		ferr_add(e, "day", "请填写日期（YYYY-MM-DD）");
	if (!note || !*note || !text_ok(note, 300))
		ferr_add(e, "note", "请填写具体内容（300字以内）");
	if (e->n)
		return DJ_INVALID;
	int64_t org = a->org_id ? a->org_id : camp.org_id;
	*id = db_int1(d, 0, "INSERT INTO exemplar_care (candidate_id, org_id, kind, day, note, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		      "IItttI", candidate_id, org, kind, day, note, now);
	if (!*id)
		return DJ_DB_ERROR;
	char sum[400];
	snprintf(sum, sizeof sum, "%s：%s（%s）%.200s", c.name, exemplar_pair_label(exemplar_care_kinds, kind), day, note);
	if (audit_write(d, a, "exemplar.care", "exemplar_candidate", candidate_id, org, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

void exemplar_care_each(db *d, const char *scope, exemplar_care_fn fn, void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT r.id, r.candidate_id, c.name, o.name, r.kind, r.day, r.note FROM exemplar_care r "
			      "JOIN exemplar_candidates c ON c.id = r.candidate_id JOIN orgs o ON o.id = r.org_id "
			      "WHERE o.path LIKE ? || '%' ORDER BY r.day DESC, r.id DESC LIMIT 500",
			      "t", scope);
	struct exemplar_care r;
	while (db_next(s)) {
		memset(&r, 0, sizeof r);
		r.id = db_int(s, 0);
		r.candidate_id = db_int(s, 1);
		str_copy(r.candidate_name, sizeof r.candidate_name, db_str(s, 2));
		str_copy(r.org_name, sizeof r.org_name, db_str(s, 3));
		str_copy(r.kind, sizeof r.kind, db_str(s, 4));
		str_copy(r.day, sizeof r.day, db_str(s, 5));
		str_copy(r.note, sizeof r.note, db_str(s, 6));
		fn(ctx, &r);
	}
	db_done(s);
}

/* ---- 宣讲团 ---- */

enum dj_result exemplar_tour_create(db *d, const struct actor *a, const char *title, const int64_t *speakers, int n, int64_t now, int64_t *id,
				    struct field_errors *e)
{
	if (!permission_allows(&perm_exemplar_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以组建宣讲团");
	if (!title || !*title || !text_ok(title, 100))
		ferr_add(e, "title", "请填写宣讲团名称");
	if (n < 1)
		ferr_add(e, "speakers", "请至少选择一名已表彰的榜样作为宣讲人");
	for (int i = 0; i < n; i++)
		if (db_int1(d, 0, "SELECT COUNT(*) FROM exemplar_candidates WHERE id = ? AND state = 'awarded'", "I", speakers[i]) != 1) {
			ferr_add(e, "speakers", "宣讲人 #%lld 不是已表彰的榜样", (long long)speakers[i]);
			break;
		}
	if (e->n)
		return DJ_INVALID;
	int64_t org = a->org_id ? a->org_id : db_int1(d, 0, "SELECT id FROM orgs WHERE type = 'committee' ORDER BY id LIMIT 1", "");
	*id = db_int1(d, 0, "INSERT INTO exemplar_tours (org_id, title, created_at) VALUES (?, ?, ?) RETURNING id", "ItI", org, title, now);
	if (!*id)
		return DJ_DB_ERROR;
	for (int i = 0; i < n; i++)
		if (db_run(d, "INSERT INTO exemplar_tour_speakers (tour_id, candidate_id) VALUES (?, ?) ON CONFLICT DO NOTHING", "II", *id, speakers[i]) !=
		    DB_OK)
			return DJ_DB_ERROR;
	if (audit_write(d, a, "exemplar.tour_create", "exemplar_tour", *id, org, title) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

void exemplar_tour_each(db *d, const char *scope, exemplar_tour_fn fn, void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT t.id, t.title, (SELECT COUNT(*) FROM exemplar_tour_speakers p WHERE p.tour_id = t.id) FROM exemplar_tours t "
			      "JOIN orgs o ON o.id = t.org_id WHERE o.path LIKE ? || '%' ORDER BY t.id DESC LIMIT 100",
			      "t", scope);
	while (db_next(s))
		fn(ctx, db_int(s, 0), db_str(s, 1), db_int(s, 2));
	db_done(s);
}

enum dj_result exemplar_session_book(db *d, const struct actor *a, int64_t tour_id, const char *place_kind, const char *place, const char *day,
				     int64_t now, int64_t *id, struct field_errors *e)
{
	if (!(a->role & R_STAFF))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能预约宣讲");
	int64_t org = db_int1(d, 0, "SELECT org_id FROM exemplar_tours WHERE id = ?", "I", tour_id);
	if (!org)
		return dj_fail(e, DJ_NOT_FOUND, "宣讲团不存在");
	if (!*exemplar_pair_label(exemplar_place_kinds, place_kind))
		ferr_add(e, "place_kind", "请选择宣讲去处：进企业、进农村、进社区、进学校或进家庭");
	if (!place || !*place || !text_ok(place, 60))
		ferr_add(e, "place", "请填写宣讲地点");
	if (!day || !date_valid(day))
		ferr_add(e, "day", "请填写宣讲日期（YYYY-MM-DD）");
	if (e->n)
		return DJ_INVALID;
	*id = db_int1(d, 0, "INSERT INTO exemplar_tour_sessions (tour_id, place_kind, place, day, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
		      "ItttI", tour_id, place_kind, place, day, now);
	if (!*id)
		return DJ_DB_ERROR;
	char sum[200];
	snprintf(sum, sizeof sum, "%s %s（%s）", exemplar_pair_label(exemplar_place_kinds, place_kind), place, day);
	if (audit_write(d, a, "exemplar.session_book", "exemplar_tour", tour_id, org, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result exemplar_session_report(db *d, const struct actor *a, int64_t session_id, int64_t audience, struct field_errors *e)
{
	if (!(a->role & R_STAFF))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能填报宣讲情况");
	int64_t tour = db_int1(d, 0, "SELECT tour_id FROM exemplar_tour_sessions WHERE id = ?", "I", session_id);
	if (!tour)
		return dj_fail(e, DJ_NOT_FOUND, "宣讲场次不存在");
	if (audience < 1 || audience > 100000) {
		ferr_add(e, "audience", "受众人次须在1到100000之间");
		return DJ_INVALID;
	}
	if (db_run(d, "UPDATE exemplar_tour_sessions SET audience = ?, held = 1 WHERE id = ?", "II", audience, session_id) != DB_OK)
		return DJ_DB_ERROR;
	char sum[80];
	snprintf(sum, sizeof sum, "场次 #%lld：受众 %lld 人次", (long long)session_id, (long long)audience);
	int64_t org = db_int1(d, 0, "SELECT org_id FROM exemplar_tours WHERE id = ?", "I", tour);
	if (audit_write(d, a, "exemplar.session_report", "exemplar_tour", tour, org, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

void exemplar_session_each(db *d, const char *scope, exemplar_session_fn fn, void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT s.id, s.tour_id, t.title, s.place_kind, s.place, s.day, s.audience, s.held FROM exemplar_tour_sessions s "
			      "JOIN exemplar_tours t ON t.id = s.tour_id JOIN orgs o ON o.id = t.org_id WHERE o.path LIKE ? || '%' "
			      "ORDER BY s.day DESC, s.id DESC LIMIT 500",
			      "t", scope);
	struct exemplar_tour_session x;
	while (db_next(s)) {
		memset(&x, 0, sizeof x);
		x.id = db_int(s, 0);
		x.tour_id = db_int(s, 1);
		str_copy(x.tour_title, sizeof x.tour_title, db_str(s, 2));
		str_copy(x.place_kind, sizeof x.place_kind, db_str(s, 3));
		str_copy(x.place, sizeof x.place, db_str(s, 4));
		str_copy(x.day, sizeof x.day, db_str(s, 5));
		x.audience = db_int(s, 6);
		x.held = db_int(s, 7) != 0;
		fn(ctx, &x);
	}
	db_done(s);
}

void exemplar_tour_stats(db *d, const char *scope, struct exemplar_tour_stats *st)
{
	memset(st, 0, sizeof *st);
	st->tours = db_int1(d, 0, "SELECT COUNT(*) FROM exemplar_tours t JOIN orgs o ON o.id = t.org_id WHERE o.path LIKE ? || '%'", "t", scope);
	db_stmt *s = db_query(d,
			      "SELECT s.place_kind, COUNT(*), COALESCE(SUM(s.audience), 0) FROM exemplar_tour_sessions s JOIN exemplar_tours t "
			      "ON t.id = s.tour_id JOIN orgs o ON o.id = t.org_id WHERE o.path LIKE ? || '%' AND s.held = 1 GROUP BY s.place_kind",
			      "t", scope);
	while (db_next(s)) {
		for (int k = 0; exemplar_place_kinds[2 * k]; k++)
			if (!strcmp(exemplar_place_kinds[2 * k], db_str(s, 0)))
				st->by_kind[k] = db_int(s, 1);
		st->sessions += db_int(s, 1);
		st->audience += db_int(s, 2);
	}
	db_done(s);
	st->speakers = db_int1(d, 0,
			       "SELECT COUNT(DISTINCT p.candidate_id) FROM exemplar_tour_speakers p JOIN exemplar_tours t ON t.id = p.tour_id "
			       "JOIN orgs o ON o.id = t.org_id WHERE o.path LIKE ? || '%'",
			       "t", scope);
	snprintf(st->summary, sizeof st->summary, "宣讲%lld名身边榜样先进事例，巡讲活动%lld场次，受众达%lld人次", (long long)st->speakers,
		 (long long)st->sessions, (long long)st->audience);
}

/* ---- reports ---- */

void exemplar_report(db *d, int64_t campaign_id, struct exemplar_report *r)
{
	memset(r, 0, sizeof *r);
	db_stmt *s = db_query(d, "SELECT state, source, COUNT(*) FROM exemplar_candidates WHERE campaign_id = ? GROUP BY state, source", "I", campaign_id);
	while (db_next(s)) {
		const char *st = db_str(s, 0), *src = db_str(s, 1);
		int64_t n = db_int(s, 2);
		r->nominations += n;
		for (int i = 0; i < 4; i++)
			if (!strcmp(src, sources[i]))
				r->by_source[i] += n;
		if (strcmp(st, "nominated") && strcmp(st, "merged") && strcmp(st, "rejected"))
			r->candidates += n;
		if (!strcmp(st, "shortlisted") || !strcmp(st, "consulted") || !strcmp(st, "vetoed") || !strcmp(st, "on_notice") ||
		    !strcmp(st, "awarded") || !strcmp(st, "objection_upheld") || !strcmp(st, "revoked"))
			r->shortlisted += n;
		if (!strcmp(st, "vetoed"))
			r->vetoed += n;
		if (!strcmp(st, "on_notice"))
			r->on_notice += n;
		if (!strcmp(st, "awarded"))
			r->awarded += n;
		if (!strcmp(st, "revoked"))
			r->revoked += n;
		if (!strcmp(st, "objection_upheld"))
			r->upheld += n;
	}
	db_done(s);
	r->objections = db_int1(d, 0,
				"SELECT COUNT(*) FROM exemplar_objections b JOIN exemplar_candidates c ON c.id = b.candidate_id WHERE c.campaign_id = ?",
				"I", campaign_id);
	r->objections_open = db_int1(d, 0,
				     "SELECT COUNT(*) FROM exemplar_objections b JOIN exemplar_candidates c ON c.id = b.candidate_id "
				     "WHERE c.campaign_id = ? AND b.answer IS NULL",
				     "I", campaign_id);
	r->consults = db_int1(d, 0, "SELECT COUNT(*) FROM exemplar_consults t JOIN exemplar_candidates c ON c.id = t.candidate_id WHERE c.campaign_id = ?",
			      "I", campaign_id);
	r->consults_open = db_int1(d, 0,
				   "SELECT COUNT(*) FROM exemplar_consults t JOIN exemplar_candidates c ON c.id = t.candidate_id "
				   "WHERE c.campaign_id = ? AND t.answer IS NULL",
				   "I", campaign_id);
}

struct xlsx_ctx {
	lxw_worksheet *ws;
	lxw_row_t row;
};

static void xlsx_row(void *ctx, const struct exemplar_candidate *c)
{
	struct xlsx_ctx *x = ctx;
	if (!strcmp(c->state, "nominated") || !strcmp(c->state, "merged") || !strcmp(c->state, "rejected"))
		return;
	worksheet_write_string(x->ws, x->row, 0, c->name, NULL);
	worksheet_write_string(x->ws, x->row, 1, c->unit, NULL);
	worksheet_write_string(x->ws, x->row, 2, exemplar_state_label(c->state), NULL);
	if (c->scores)
		worksheet_write_number(x->ws, x->row, 3, (double)c->score_x100 / 100.0, NULL);
	worksheet_write_number(x->ws, x->row, 4, (double)c->scores, NULL);
	worksheet_write_number(x->ws, x->row, 5, (double)c->nominations, NULL);
	worksheet_write_string(x->ws, x->row, 6, c->cert_no, NULL);
	x->row++;
}

enum dj_result exemplar_results_xlsx(db *d, int64_t campaign_id, const char *path, struct field_errors *e)
{
	struct exemplar_campaign c;
	if (!exemplar_campaign_load(d, campaign_id, &c))
		return dj_fail(e, DJ_NOT_FOUND, "评选活动不存在");
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "评选结果");
	worksheet_set_column(ws, 0, 6, 16, NULL);
	worksheet_write_string(ws, 0, 0, c.title, bold);
	const char *head[] = {"姓名（名称）", "所在单位", "结果", "平均分", "评审人数", "推荐次数", "证书编号"};
	for (int i = 0; i < 7; i++)
		worksheet_write_string(ws, 1, (lxw_col_t)i, head[i], bold);
	struct xlsx_ctx x = {ws, 2};
	exemplar_candidate_each(d, campaign_id, NULL, xlsx_row, &x);
	if (workbook_close(wb) != LXW_NO_ERROR)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	return DJ_OK;
}

/* ---- the background task ---- */

int exemplars_tick(db *d, int64_t now)
{
	int64_t ids[200], depts[200];
	int n = 0;
	db_stmt *s = db_query(d,
			      "SELECT t.id, t.dept_org_id FROM exemplar_consults t JOIN exemplar_candidates c ON c.id = t.candidate_id "
			      "WHERE t.answer IS NULL AND t.reminded_at IS NULL AND t.due_at < ? AND c.state = 'shortlisted' ORDER BY t.id LIMIT 200",
			      "I", now);
	while (db_next(s))
		ids[n] = db_int(s, 0), depts[n] = db_int(s, 1), n++;
	if (db_done(s) != DB_OK)
		return -1;
	for (int i = 0; i < n; i++) {
		if (db_run(d, "UPDATE exemplar_consults SET reminded_at = ? WHERE id = ?", "II", now, ids[i]) != DB_OK)
			return -1;
		if (notify_org_role(d, depts[i], "reviewer", "exemplar_consult", "exemplar_consult", ids[i], "榜样评选征询意见已超过答复期限，请尽快答复",
				    now) != DB_OK)
			return -1;
	}
	return n;
}
