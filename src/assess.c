/* assess — branch assessment (SPEC M8, issue 16): the monthly check computed
 * from the records, the bulletin, quarterly scores, yearly stars, excellent
 * branches. See assess.h. */
#include "assess.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "lessons.h"
#include "meetings.h"
#include "notify.h"
#include "orders.h"
#include "orgs.h"
#include "themeday.h"
#include "util.h"
#include "volunteer.h"

const struct permission perm_assess_manage = {"assess.manage", "支部考核：配置细则、评价打分、发布通报和评星定级", R_ADMIN | R_COMMITTEE};

/* ---- months ---- */

bool assess_month_bounds(const char *month, int64_t *t0, int64_t *t1)
{
	if (!month || !month_valid(month))
		return false;
	int y = atoi(month), m = atoi(month + 5);
	struct tm a = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = 1};
	struct tm b = {.tm_year = (m == 12 ? y + 1 : y) - 1900, .tm_mon = m == 12 ? 0 : m, .tm_mday = 1};
	*t0 = (int64_t)timegm(&a) - 8 * 3600;
	*t1 = (int64_t)timegm(&b) - 8 * 3600;
	return true;
}

void assess_month_prev(const char *month, char out[16])
{
	int y = atoi(month), m = atoi(month + 5) - 1;
	if (m < 1)
		m = 12, y--;
	snprintf(out, 16, "%04d-%02d", y % 10000, m % 100);
}

void assess_month_of(int64_t now, char out[16])
{
	time_t t = (time_t)(now + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 16, "%04d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100);
}

void assess_start_month(int64_t entered_at, char out[16]) { assess_month_of(entered_at, out); }

bool assess_month_in_scope(int64_t entered_at, const char *month)
{
	char start[16];
	assess_start_month(entered_at, start);
	return strcmp(month, start) >= 0; /* YYYY-MM compares as text */
}

/* ---- the items and their sources ---- */

/* The orgs of a subtree, as a list the planner looks up an (org_id, …)
 * index with. The orders are read with orgs first (CROSS JOIN: SQLite keeps
 * the order as written, PostgreSQL plans it as the inner join it is): on a
 * county with statistics, a plain join or an IN list let SQLite read the
 * whole month of every org (orders_created, or a skip-scan of
 * orders_org_closed) for each branch — 35 s for 300 branches instead of
 * a few. */
#define IN_SUBTREE "(SELECT g.id FROM orgs g WHERE g.path LIKE ? || '%')"

struct src_ctx {
	db *d;
	int64_t org_id;
	const char *path, *month, *code;
	int64_t t0, t1, now;
	void (*fn)(void *ctx, const struct assess_record *r);
	void *ctx;
	const char *kind; /* the branch's kind (orgs.kind): 农村 社区 机关 … or "" */
};
/* A source: fills num/den/measure of s and emits the records behind them
 * when c->fn is set. Returns false for 暂无数据 (nothing to measure, or a
 * mechanism not linked yet). */
typedef bool (*assess_source)(const struct src_ctx *c, struct assess_score *s);

static void emit(const struct src_ctx *c, const char *kind, int64_t id, const char *title, const char *href, const char *detail, bool counts)
{
	if (!c->fn)
		return;
	struct assess_record r = {kind, id, title, href, detail, counts};
	c->fn(c->ctx, &r);
}

static int64_t ratio100(int64_t num, int64_t den) /* hundredths of a percent */ { return den > 0 ? (num * 10000 * 2 + den) / (2 * den) : 0; }

/* the time limits per kind and urgency, read once per check */
struct limit_cache {
	char key[48];
	int64_t v;
};
static int64_t limit_of(db *d, const char *kind, const char *urgency, bool accepted)
{
	static _Thread_local struct limit_cache cache[32];
	static _Thread_local int cache_n;
	static _Thread_local db *cache_db;
	static _Thread_local int64_t cache_at;
	int64_t t = (int64_t)time(NULL);
	if (cache_db != d || t - cache_at > 5)
		cache_n = 0, cache_db = d, cache_at = t; /* settings may change: kept a few seconds at most */
	char key[48];
	snprintf(key, sizeof key, "%s/%s/%d", kind, urgency, accepted);
	for (int i = 0; i < cache_n; i++)
		if (!strcmp(cache[i].key, key))
			return cache[i].v;
	int64_t v = order_limit(d, kind, urgency, accepted);
	if (cache_n < 32) {
		snprintf(cache[cache_n].key, sizeof cache[cache_n].key, "%s", key);
		cache[cache_n++].v = v;
	}
	return v;
}

static void order_href(char out[32], int64_t id) { snprintf(out, 32, "/orders/%lld", (long long)id); }

/* 按时接单: orders placed in the month, answered (accepted, claimed or
 * refused) within the accept time limit. Still unanswered: late once past
 * the limit, not counted while within it; withdrawn unanswered: not counted. */
static bool src_order_accept(const struct src_ctx *c, struct assess_score *s)
{
	db_stmt *q = db_query(c->d,
			      "SELECT o.id, o.code, o.kind, o.urgency, o.created_at, o.state, "
			      "(SELECT MIN(e.at) FROM order_events e WHERE e.order_id = o.id AND e.action IN ('accept', 'claim', 'reject')) "
			      "FROM orgs g CROSS JOIN orders o WHERE o.org_id = g.id AND g.path LIKE ? || '%' AND o.created_at >= ? AND o.created_at < ? "
			      "ORDER BY o.created_at, o.id",
			      "tII", c->path, c->t0, c->t1);
	while (db_next(q)) {
		int64_t id = db_int(q, 0), created = db_int(q, 4);
		int64_t lim = limit_of(c->d, db_str(q, 2), db_str(q, 3), false);
		bool answered = !db_isnull(q, 6);
		int64_t at = db_int(q, 6);
		char href[32], detail[96];
		order_href(href, id);
		if (answered) {
			bool ok = at - created <= lim;
			s->den++, s->num += ok;
			int64_t mins = (at - created + 59) / 60;
			if (mins < 60)
				snprintf(detail, sizeof detail, "%lld 分钟接单（时限 %lld 小时）%s", (long long)mins, (long long)(lim / 3600),
					 ok ? "" : "，超时");
			else
				snprintf(detail, sizeof detail, "%lld 小时 %lld 分钟接单（时限 %lld 小时）%s", (long long)(mins / 60),
					 (long long)(mins % 60), (long long)(lim / 3600), ok ? "" : "，超时");
			emit(c, "order", id, db_str(q, 1), href, detail, ok);
		} else if (strcmp(db_str(q, 5), "withdrawn") && c->now - created > lim) {
			s->den++;
			emit(c, "order", id, db_str(q, 1), href, "超过时限未接单", false);
		}
	}
	db_done(q);
	s->measure = ratio100(s->num, s->den);
	return s->den > 0;
}

/* 按时送单: orders placed in the month and accepted, delivered within the
 * deliver time limit counted from the acceptance. Not delivered: late once
 * past the limit; closed otherwise, withdrawn, or still within: not counted. */
static bool src_order_deliver(const struct src_ctx *c, struct assess_score *s)
{
	db_stmt *q = db_query(c->d,
			      "SELECT o.id, o.code, o.kind, o.urgency, o.state, COALESCE(o.delivered_at, 0), "
			      "(SELECT MIN(e.at) FROM order_events e WHERE e.order_id = o.id AND e.action IN ('accept', 'claim')) "
			      "FROM orgs g CROSS JOIN orders o WHERE o.org_id = g.id AND g.path LIKE ? || '%' AND o.created_at >= ? AND o.created_at < ? "
			      "ORDER BY o.created_at, o.id",
			      "tII", c->path, c->t0, c->t1);
	while (db_next(q)) {
		if (db_isnull(q, 6))
			continue;
		int64_t id = db_int(q, 0), acc = db_int(q, 6), done = db_int(q, 5);
		int64_t lim = limit_of(c->d, db_str(q, 2), db_str(q, 3), true);
		const char *state = db_str(q, 4);
		char href[32], detail[96];
		order_href(href, id);
		if (done) {
			bool ok = done - acc <= lim;
			s->den++, s->num += ok;
			snprintf(detail, sizeof detail, "接单后 %lld 小时送单（时限 %lld 小时）%s", (long long)((done - acc + 3599) / 3600),
				 (long long)(lim / 3600), ok ? "" : "，超时");
			emit(c, "order", id, db_str(q, 1), href, detail, ok);
		} else if (strcmp(state, "withdrawn") && strcmp(state, "closed") && strcmp(state, "rejected") && c->now - acc > lim) {
			s->den++;
			emit(c, "order", id, db_str(q, 1), href, "超过时限未送单", false);
		}
	}
	db_done(q);
	s->measure = ratio100(s->num, s->den);
	return s->den > 0;
}

/* 群众满意度: the ratings (1–5) given to orders closed in the month, as a
 * percentage of 5 stars. */
static bool src_satisfaction(const struct src_ctx *c, struct assess_score *s)
{
	db_stmt *q = db_query(c->d,
			      "SELECT o.id, o.code, o.rating FROM orgs g CROSS JOIN orders o WHERE o.org_id = g.id AND g.path LIKE ? || '%' "
			      "AND o.rating IS NOT NULL AND o.closed_at >= ? AND o.closed_at < ? ORDER BY o.closed_at, o.id",
			      "tII", c->path, c->t0, c->t1);
	while (db_next(q)) {
		int64_t id = db_int(q, 0), rating = db_int(q, 2);
		s->num += rating, s->den += 5;
		char href[32], detail[48];
		order_href(href, id);
		snprintf(detail, sizeof detail, "评价 %lld 星", (long long)rating);
		emit(c, "order", id, db_str(q, 1), href, detail, rating >= 4);
	}
	db_done(q);
	s->measure = ratio100(s->num, s->den);
	return s->den > 0;
}

/* 主题党日: the parts of the branch's plan of the month carried out (课、片、
 * 实践) out of three; no plan counts as none done. */
static bool src_themeday(const struct src_ctx *c, struct assess_score *s)
{
	s->den = 3;
	int64_t plan = db_int1(c->d, 0, "SELECT id FROM theme_plans WHERE org_id = ? AND month = ?", "It", c->org_id, c->month);
	if (!plan) {
		emit(c, "plan", 0, "本月未制定主题党日计划", "/plans", "", false);
	} else {
		db_stmt *q = db_query(c->d, "SELECT part, title, done_id, done_title FROM theme_plan_parts WHERE plan_id = ? ORDER BY part", "I", plan);
		while (db_next(q)) {
			bool done = !db_isnull(q, 2);
			s->num += done;
			char detail[300];
			snprintf(detail, sizeof detail, "%s：%s", plan_part_label(db_str(q, 0)), done ? db_str(q, 3) : "未完成");
			emit(c, "plan", plan, db_str(q, 1), "/plans", detail, done);
		}
		db_done(q);
	}
	s->measure = ratio100(s->num, s->den);
	return true;
}

/* 人均积分: the points the branch's members (not stopped) earned in the month,
 * per member. The town's check reads each member's total of the month
 * (points_totals); a branch's drill-down reads the ledger by (member, year,
 * time), the month a range of its index. */
static bool src_points(const struct src_ctx *c, struct assess_score *s)
{
	int y = atoi(c->month);
	if (!c->fn) { /* the whole town's check: two aggregates, no row per member */
		s->den = db_int1(c->d, 0, "SELECT COUNT(*) FROM members mb WHERE mb.org_id IN " IN_SUBTREE " AND mb.status <> 'stopped'", "t", c->path);
		/* the month's points of each member are its row of points_totals
		 * (kept by points_award with the entry, checked by `dangjian
		 * check`): one lookup a member, not its entries of the month */
		s->num = db_int1(c->d, 0,
				 "SELECT COALESCE(SUM(t.points), 0) FROM members mb JOIN points_totals t ON t.member_id = mb.id AND t.year = ? "
				 "AND t.month = ? WHERE mb.org_id IN " IN_SUBTREE " AND mb.status <> 'stopped'",
				 "iit", y, atoi(c->month + 5), c->path);
	} else {
		db_stmt *q = db_query(
			c->d,
			"SELECT mb.id, mb.name, COALESCE((SELECT SUM(l.points) FROM points_ledger l WHERE l.member_id = mb.id AND l.year = ? "
			"AND l.at >= ? AND l.at < ?), 0) FROM members mb JOIN orgs g ON g.id = mb.org_id WHERE g.path LIKE ? || '%' "
			"AND mb.status <> 'stopped' ORDER BY mb.id",
			"iIIt", y, c->t0, c->t1, c->path);
		while (db_next(q)) {
			int64_t p = db_int(q, 2);
			s->den++, s->num += p;
			char href[32], detail[48];
			snprintf(href, sizeof href, "/members/%lld", (long long)db_int(q, 0));
			snprintf(detail, sizeof detail, "本月积分 %lld", (long long)p);
			emit(c, "member", db_int(q, 0), db_str(q, 1), href, detail, p > 0);
		}
		db_done(q);
	}
	s->measure = s->den ? (s->num * 100 * 2 + s->den) / (2 * s->den) : 0;
	return s->den > 0;
}

/* ===================== LINK-ISSUES-12-13 =====================
 * The items of the meetings (三会一课 and 红色七点半 against their required
 * frequencies, decisions done on time, issue 13, SPEC M5) and of volunteer
 * service (participation, SPEC M3), read through those modules' functions
 * (meetings.h, volunteer.h), never their tables. Rule for 暂无数据 (any
 * item): the item is left out of the month's score and the weights of the
 * items with data are scaled up to 100 (score = Σ points got × 100 / Σ their
 * weights). */

/* the month's meetings report and compliance table of the branch: /meetings/report */
static void report_href(const struct src_ctx *c, const char *base, char out[160])
{
	char last[11];
	meeting_date_of(c->t1 - 1, last);
	snprintf(out, 160, "%s?org=%s&from=%.7s-01&to=%s", base, c->code ? c->code : "", c->month, last);
}

struct held_ctx {
	const struct src_ctx *c;
	int64_t n;
};
static void held_emit(void *ctx, const struct meeting_held_row *h)
{
	struct held_ctx *x = ctx;
	x->n++;
	char href[32], day[11], detail[64];
	snprintf(href, sizeof href, "/meetings/%lld", (long long)h->id);
	meeting_date_of(h->starts_at, day);
	snprintf(detail, sizeof detail, "%s %s 已召开", h->type_label, day);
	emit(x->c, "meeting", h->id, h->theme, href, detail, true);
}

/* 三会一课: each required type (meeting_requirements, but 红色七点半, an
 * item of its own) whose period is decided by this month — held in it, or
 * its period (month, quarter …) over without one — counts once; held counts
 * as met. Pending (a quarter not over, nothing yet) and exempt (党小组会
 * without 党小组) are not counted. */
static bool src_meetings(const struct src_ctx *c, struct assess_score *s)
{
	struct compliance_row row;
	if (!meeting_compliance_of(c->d, c->org_id, c->month, c->now, &row))
		return false;
	char href[160];
	report_href(c, "/meetings/report", href);
	for (int k = 0; k < row.ncells; k++) {
		const struct compliance_cell *cell = &row.cells[k];
		if (!strcmp(cell->type, "red730") || !strcmp(cell->status, "exempt") || !strcmp(cell->status, "pending"))
			continue;
		bool ok = !strcmp(cell->status, "ok");
		s->den++, s->num += ok;
		char detail[128];
		const char *per = cell->months == 1 ? "每月" : cell->months == 3 ? "每季度" : cell->months == 6 ? "每半年" : "每年";
		if (ok)
			snprintf(detail, sizeof detail, "要求%s召开，本期已召开 %lld 次", per, (long long)cell->held);
		else
			snprintf(detail, sizeof detail, "要求%s召开，本期未召开", per);
		emit(c, "requirement", 0, cell->label, href, detail, ok);
	}
	if (c->fn) { /* the meetings behind them */
		struct held_ctx x = {c, 0};
		meeting_held_each(c->d, c->path, NULL, c->t0, c->t1, held_emit, &x);
	}
	s->measure = ratio100(s->num, s->den);
	return s->den > 0;
}

/* 红色七点半: at least one held in the month (seed 004: every village, every
 * month); a month not over without one yet is 暂无数据, and so is the item for
 * branches that are not a village's or a community's (机关、学校、企业、社会组织:
 * the requirement is not theirs; a branch with no kind recorded is held to it). */
static bool qidianban_required(const char *kind) { return !kind || !*kind || !strcmp(kind, "农村") || !strcmp(kind, "社区"); }
static bool src_qidianban(const struct src_ctx *c, struct assess_score *s)
{
	if (!qidianban_required(c->kind)) { /* 机关、学校、企业 … : not required, 暂无数据 */
		emit(c, "meeting", 0, "不适用", "/meetings?type=red730", "红色“七点半”是村（社区）党支部每月的要求", false);
		return false;
	}
	int64_t held;
	if (c->fn) {
		struct held_ctx x = {c, 0};
		meeting_held_each(c->d, c->path, "red730", c->t0, c->t1, held_emit, &x);
		held = x.n;
	} else
		held = meeting_held_count(c->d, c->path, "red730", c->t0, c->t1);
	if (!held && c->now < c->t1)
		return false;
	s->den = 1, s->num = held > 0;
	if (!held) {
		char href[96];
		snprintf(href, sizeof href, "/meetings?month=%s&type=red730", c->month);
		emit(c, "meeting", 0, "本月未召开红色“七点半”会议", href, "要求每月召开", false);
	}
	s->measure = ratio100(s->num, s->den);
	return true;
}

/* 决议事项按期办结: the decisions whose deadline falls in the month, done by
 * the deadline out of those done or overdue; open within the deadline: not
 * counted yet. */
static void decision_emit(void *ctx, const struct decision *x)
{
	const struct src_ctx *c = ((const struct src_ctx **)ctx)[0];
	struct assess_score *s = ((struct assess_score **)ctx)[1];
	bool done = !strcmp(x->state, "done"), on_time = done && strcmp(x->done_date, x->deadline) <= 0;
	char href[32], detail[128];
	snprintf(href, sizeof href, "/decisions/%lld", (long long)x->id);
	if (done)
		snprintf(detail, sizeof detail, "完成时限 %s，%s 办结%s", x->deadline, x->done_date, on_time ? "" : "，逾期");
	else if (x->overdue)
		snprintf(detail, sizeof detail, "完成时限 %s，逾期未办结", x->deadline);
	else {
		snprintf(detail, sizeof detail, "完成时限 %s，办理中（未到期，不计入）", x->deadline);
		emit(c, "decision", x->id, x->matter, href, detail, false);
		return;
	}
	s->den++, s->num += on_time;
	emit(c, "decision", x->id, x->matter, href, detail, on_time);
}
static bool src_decisions(const struct src_ctx *c, struct assess_score *s)
{
	char from[11], to[11];
	meeting_date_of(c->t0, from);
	meeting_date_of(c->t1, to);
	const void *ctx[2] = {c, s};
	decision_due_each(c->d, c->path, from, to, c->now, decision_emit, (void *)ctx);
	s->measure = ratio100(s->num, s->den);
	return s->den > 0;
}

/* 志愿服务参与率: members (not stopped, not transferred) who served at least
 * once in the month, at any organiser's activity, out of the members. */
static void volunteer_emit(void *ctx, const struct volunteer_member_row *m)
{
	const struct src_ctx *c = ((const struct src_ctx **)ctx)[0];
	struct assess_score *s = ((struct assess_score **)ctx)[1];
	char href[160], detail[96], h[24];
	report_href(c, "/volunteer/report", href);
	volunteer_hours_text(m->minutes, h);
	if (m->times)
		snprintf(detail, sizeof detail, "本月参加志愿服务 %lld 次，%s 小时", (long long)m->times, h);
	else
		snprintf(detail, sizeof detail, "本月未参加志愿服务");
	s->den++, s->num += m->times > 0;
	emit(c, "member", m->member_id, m->name, href, detail, m->times > 0);
}
static bool src_volunteer(const struct src_ctx *c, struct assess_score *s)
{
	if (c->fn) {
		const void *ctx[2] = {c, s};
		volunteer_participation_each(c->d, c->path, c->t0, c->t1, volunteer_emit, (void *)ctx);
	} else
		volunteer_participation(c->d, c->path, c->t0, c->t1, &s->den, &s->num);
	s->measure = ratio100(s->num, s->den);
	return s->den > 0;
}
/* =================== end LINK-ISSUES-12-13 =================== */

const struct assess_item_def assess_item_defs[ASSESS_ITEMS] = {
	{"meetings", "三会一课按要求召开", true},   {"qidianban", "红色“七点半”按要求召开", true}, {"themeday", "主题党日计划落实（课、片、实践）", true},
	{"order_accept", "群众点单按时接单", true}, {"order_deliver", "群众点单按时送单", true},   {"satisfaction", "群众满意度", true},
	{"volunteer", "志愿服务参与率", true},      {"decisions", "决议事项按期办结", true},       {"points", "党员人均积分", true},
};
static const assess_source assess_sources[ASSESS_ITEMS] = {src_meetings,     src_qidianban, src_themeday,  src_order_accept, src_order_deliver,
							   src_satisfaction, src_volunteer, src_decisions, src_points};

const struct assess_item_def *assess_item_def(const char *key)
{
	for (int i = 0; i < ASSESS_ITEMS; i++)
		if (key && !strcmp(assess_item_defs[i].key, key))
			return &assess_item_defs[i];
	return NULL;
}
static int item_index(const char *key)
{
	const struct assess_item_def *d = assess_item_def(key);
	return d ? (int)(d - assess_item_defs) : -1;
}

int64_t assess_item_points(const char *rule, int64_t weight, int64_t full, int64_t measure)
{
	if (full <= 0 || weight <= 0)
		return 0;
	if (!strcmp(rule, "threshold"))
		return measure >= full * 100 ? weight * 100 : 0;
	if (measure <= 0)
		return 0; /* a measure below zero (points lost to absences from meetings) scores nothing, never less */
	int64_t got = (2 * weight * measure + full) / (2 * full);
	return got > weight * 100 ? weight * 100 : got;
}

/* ---- rules ---- */

#define RULES_COLS "SELECT id, valid_from, note, q_w1, q_w2, q_w3, basic_pct, eval_pct, cut5, cut4, cut3, cut2, quota5 FROM assess_versions "

static bool rules_fill(db *d, db_stmt *s, struct assess_rules *r)
{
	memset(r, 0, sizeof *r);
	if (!db_next(s)) {
		db_done(s);
		return false;
	}
	r->id = db_int(s, 0);
	snprintf(r->valid_from, sizeof r->valid_from, "%s", db_str(s, 1));
	snprintf(r->note, sizeof r->note, "%s", db_str(s, 2));
	for (int i = 0; i < 3; i++)
		r->q_w[i] = db_int(s, 3 + i);
	r->basic_pct = db_int(s, 6), r->eval_pct = db_int(s, 7);
	for (int i = 0; i < 4; i++)
		r->cut[i] = db_int(s, 8 + i);
	r->quota5 = db_int(s, 12);
	db_done(s);
	db_stmt *q = db_query(d, "SELECT item, rule, weight, full_mark FROM assess_items WHERE version_id = ?", "I", r->id);
	while (db_next(q) && r->n < ASSESS_ITEMS) {
		snprintf(r->item[r->n].item, sizeof r->item[0].item, "%s", db_str(q, 0));
		snprintf(r->item[r->n].rule, sizeof r->item[0].rule, "%s", db_str(q, 1));
		r->item[r->n].weight = db_int(q, 2);
		r->item[r->n].full = db_int(q, 3);
		r->n++;
	}
	/* in the order of the item table, whatever the order of the rows */
	for (int i = 1; i < r->n; i++)
		for (int j = i; j > 0 && item_index(r->item[j].item) < item_index(r->item[j - 1].item); j--) {
			__typeof__(r->item[0]) t = r->item[j];
			r->item[j] = r->item[j - 1], r->item[j - 1] = t;
		}
	return db_done(q) == DB_OK;
}

bool assess_rules_for(db *d, const char *month, struct assess_rules *r)
{
	return rules_fill(d, db_query(d, RULES_COLS "WHERE valid_from <= ? ORDER BY valid_from DESC LIMIT 1", "t", month), r);
}

void assess_rules_each(db *d, void (*fn)(void *ctx, const struct assess_rules *r), void *ctx)
{
	int64_t ids[64];
	int n = 0;
	db_stmt *s = db_query(d, "SELECT id FROM assess_versions ORDER BY valid_from DESC LIMIT 64", "");
	while (db_next(s))
		ids[n++] = db_int(s, 0);
	db_done(s);
	for (int i = 0; i < n; i++) {
		struct assess_rules r;
		if (rules_fill(d, db_query(d, RULES_COLS "WHERE id = ?", "I", ids[i]), &r))
			fn(ctx, &r);
	}
}

enum dj_result assess_rules_save(db *d, const struct actor *a, const struct assess_rules *r, int64_t now, int64_t *id_out, struct field_errors *e)
{
	if (!permission_allows(&perm_assess_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以配置考核细则");
	char cur[16];
	assess_month_of(now, cur);
	if (!month_valid(r->valid_from))
		ferr_add(e, "valid_from", "生效月份应为 YYYY-MM");
	else if (strcmp(r->valid_from, cur) < 0)
		ferr_add(e, "valid_from", "生效月份不能早于本月（%s）：已过去的月份按原细则计算", cur);
	else if (db_int1(d, 0, "SELECT COUNT(*) FROM assess_versions WHERE valid_from = ?", "t", r->valid_from))
		ferr_add(e, "valid_from", "%s 已有一个版本的考核细则", r->valid_from);
	int64_t sum = 0;
	if (r->n < 1)
		ferr_add(e, "items", "至少需要一个考核项目");
	for (int i = 0; i < r->n; i++) {
		if (item_index(r->item[i].item) < 0) {
			ferr_add(e, "items", "未知的考核项目：%s", r->item[i].item);
			continue;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(r->item[j].item, r->item[i].item))
				ferr_add(e, "items", "考核项目重复：%s", r->item[i].item);
		if (strcmp(r->item[i].rule, "linear") && strcmp(r->item[i].rule, "threshold"))
			ferr_add(e, "items", "%s 的计分规则应为 linear（按比例）或 threshold（达标得分）", r->item[i].item);
		if (r->item[i].weight < 1 || r->item[i].weight > 100)
			ferr_add(e, "weight", "%s 的权重应在 1–100 之间", r->item[i].item);
		if (r->item[i].full < 1 || r->item[i].full > 100000)
			ferr_add(e, "items", "%s 的满分标准应为正数", r->item[i].item);
		sum += r->item[i].weight;
	}
	if (r->n >= 1 && sum != 100)
		ferr_add(e, "weight", "各项权重之和应为 100%%，现为 %lld%%", (long long)sum);
	if (r->q_w[0] < 0 || r->q_w[1] < 0 || r->q_w[2] < 0 || r->q_w[0] + r->q_w[1] + r->q_w[2] <= 0 || r->q_w[0] > 100 || r->q_w[1] > 100 ||
	    r->q_w[2] > 100)
		ferr_add(e, "q_w", "季度三个月的权重应为 0–100 的整数且不全为 0");
	if (r->basic_pct < 0 || r->eval_pct < 0 || r->basic_pct + r->eval_pct != 100)
		ferr_add(e, "basic_pct", "基础分与评议分的比例之和应为 100%%");
	bool order_ok = true;
	for (int i = 0; i < 4; i++)
		if (r->cut[i] < 0 || r->cut[i] > 100 || (i && r->cut[i] >= r->cut[i - 1]))
			order_ok = false;
	if (!order_ok)
		ferr_add(e, "cutoffs", "五、四、三、二星的分数线应在 0–100 之间且从高到低排列");
	if (r->quota5 < 0 || r->quota5 > 100)
		ferr_add(e, "quota5", "五星支部比例应在 0–100%% 之间");
	if (e->n)
		return DJ_INVALID;
	int64_t id = db_int1(d, 0,
			     "INSERT INTO assess_versions (valid_from, note, q_w1, q_w2, q_w3, basic_pct, eval_pct, cut5, cut4, cut3, cut2, quota5, "
			     "creator, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			     "ttIIIIIIIIIItI", r->valid_from, r->note, r->q_w[0], r->q_w[1], r->q_w[2], r->basic_pct, r->eval_pct, r->cut[0], r->cut[1],
			     r->cut[2], r->cut[3], r->quota5, a->label, now);
	if (!id)
		return DJ_DB_ERROR;
	if (a->user_id && db_run(d, "UPDATE assess_versions SET created_by = ? WHERE id = ?", "II", a->user_id, id) != DB_OK)
		return DJ_DB_ERROR;
	for (int i = 0; i < r->n; i++)
		if (db_run(d, "INSERT INTO assess_items (version_id, item, weight, rule, full_mark) VALUES (?, ?, ?, ?, ?)", "ItItI", id, r->item[i].item,
			   r->item[i].weight, r->item[i].rule, r->item[i].full) != DB_OK)
			return DJ_DB_ERROR;
	char sum_s[96];
	snprintf(sum_s, sizeof sum_s, "考核细则新版本，自 %s 起执行", r->valid_from);
	if (audit_write(d, a, "assess.rules", "assess_rules", id, a->org_id, sum_s) != DB_OK)
		return DJ_DB_ERROR;
	if (id_out)
		*id_out = id;
	return DJ_OK;
}

/* ---- the monthly check ---- */

static bool scope_prefix(const struct actor *a, const char *prefix, char out[256], struct field_errors *e)
{
	const char *sc = actor_scope(a);
	if (!*sc) {
		dj_fail(e, DJ_NOT_FOUND, "不在您的管辖范围内");
		return false;
	}
	if (!prefix || !*prefix)
		prefix = sc;
	if (!actor_covers(a, prefix)) {
		/* a branch officer asking for its committee: only its own branch */
		dj_fail(e, DJ_NOT_FOUND, "组织不存在或不在您的管辖范围内");
		return false;
	}
	snprintf(out, 256, "%s", prefix);
	return true;
}

static void score_one(db *d, struct assess_check *c, const struct assess_rules *rules, const char *month, int64_t t0, int64_t t1, int64_t now)
{
	struct src_ctx sc = {d, c->org_id, c->org_path, month, c->org_code, t0, t1, now, NULL, NULL, c->org_kind};
	c->n = 0, c->weight_with_data = 0;
	int64_t got = 0;
	for (int i = 0; i < rules->n; i++) {
		int k = item_index(rules->item[i].item);
		if (k < 0)
			continue;
		struct assess_score *s = &c->s[c->n++];
		memset(s, 0, sizeof *s);
		snprintf(s->item, sizeof s->item, "%s", rules->item[i].item);
		s->weight = rules->item[i].weight;
		s->has_data = assess_sources[k](&sc, s);
		if (s->has_data) {
			s->got = assess_item_points(rules->item[i].rule, s->weight, rules->item[i].full, s->measure);
			got += s->got;
			c->weight_with_data += s->weight;
		}
	}
	c->has_score = c->weight_with_data > 0;
	c->score = c->has_score ? (got * 100 * 2 + c->weight_with_data) / (2 * c->weight_with_data) : 0;
}

/* ranks: a score first, higher first; equal scores by org code (stated rule);
 * the branches not yet in the system last, unranked */
static int check_cmp(const void *x, const void *y)
{
	const struct assess_check *a = x, *b = y;
	if (a->not_assessed != b->not_assessed)
		return a->not_assessed ? 1 : -1;
	if (a->has_score != b->has_score)
		return a->has_score ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return strcmp(a->org_code, b->org_code);
}

enum dj_result assess_month(db *d, const struct actor *a, const char *prefix, const char *month, int64_t now, struct assess_check **out, size_t *n,
			    struct assess_rules *rules, struct field_errors *e)
{
	*out = NULL, *n = 0;
	int64_t t0, t1;
	if (!assess_month_bounds(month, &t0, &t1))
		return ferr_add(e, "month", "月份应为 YYYY-MM"), DJ_INVALID;
	char pre[256];
	if (!scope_prefix(a, prefix, pre, e))
		return DJ_NOT_FOUND;
	struct assess_rules local;
	if (!rules)
		rules = &local;
	if (!assess_rules_for(d, month, rules))
		return dj_fail(e, DJ_CONFLICT, "%s 没有生效的考核细则", month);
	/* the branches under the prefix; a branch's own subtree (its 党小组) is its records */
	size_t cap = 16;
	struct assess_check *v = calloc(cap, sizeof *v);
	if (!v)
		return DJ_DB_ERROR;
	db_stmt *s = db_query(
		d,
		"SELECT id, code, name, path, created_at, kind FROM orgs WHERE type = 'branch' AND dissolved_at IS NULL AND (path LIKE ? || '%' OR ? "
		"LIKE path || '%') ORDER BY sort, id",
		"tt", pre, pre);
	while (db_next(s)) {
		if (*n == cap) {
			struct assess_check *nv = realloc(v, 2 * cap * sizeof *v);
			if (!nv)
				break;
			v = nv, cap *= 2;
		}
		struct assess_check *c = &v[*n];
		memset(c, 0, sizeof *c);
		c->org_id = db_int(s, 0);
		snprintf(c->org_code, sizeof c->org_code, "%s", db_str(s, 1));
		snprintf(c->org_name, sizeof c->org_name, "%s", db_str(s, 2));
		snprintf(c->org_path, sizeof c->org_path, "%s", db_str(s, 3));
		snprintf(c->org_kind, sizeof c->org_kind, "%s", db_str(s, 5));
		assess_start_month(db_int(s, 4), c->start);
		c->not_assessed = !assess_month_in_scope(db_int(s, 4), month);
		(*n)++;
	}
	if (db_done(s) != DB_OK) {
		free(v);
		*n = 0;
		return DJ_DB_ERROR;
	}
	for (size_t i = 0; i < *n; i++)
		if (!v[i].not_assessed)
			score_one(d, &v[i], rules, month, t0, t1, now);
	qsort(v, *n, sizeof *v, check_cmp);
	for (size_t i = 0; i < *n; i++)
		v[i].rank = v[i].not_assessed ? 0 : (int)i + 1;
	*out = v;
	return DJ_OK;
}

enum dj_result assess_drill(db *d, const struct actor *a, int64_t org_id, const char *month, const char *item, int64_t now,
			    void (*fn)(void *ctx, const struct assess_record *r), void *ctx, struct assess_score *score, struct field_errors *e)
{
	int64_t t0, t1;
	if (!assess_month_bounds(month, &t0, &t1))
		return ferr_add(e, "month", "月份应为 YYYY-MM"), DJ_INVALID;
	int k = item_index(item);
	if (k < 0)
		return ferr_add(e, "item", "未知的考核项目"), DJ_INVALID;
	struct org o;
	if (!org_load(d, org_id, &o) || strcmp(o.type, "branch") || !actor_covers(a, o.path))
		return dj_fail(e, DJ_NOT_FOUND, "支部不存在或不在您的管辖范围内");
	struct assess_rules rules;
	if (!assess_rules_for(d, month, &rules))
		return dj_fail(e, DJ_CONFLICT, "%s 没有生效的考核细则", month);
	memset(score, 0, sizeof *score);
	snprintf(score->item, sizeof score->item, "%s", item);
	if (!assess_month_in_scope(o.created_at, month)) {
		/* 未纳入考核: no records, no score */
		score->not_assessed = true;
		return DJ_OK;
	}
	struct src_ctx sc = {d, org_id, o.path, month, o.code, t0, t1, now, fn, ctx, o.kind};
	score->has_data = assess_sources[k](&sc, score);
	for (int i = 0; i < rules.n; i++)
		if (!strcmp(rules.item[i].item, item)) {
			score->weight = rules.item[i].weight;
			if (score->has_data)
				score->got = assess_item_points(rules.item[i].rule, score->weight, rules.item[i].full, score->measure);
		}
	return DJ_OK;
}

/* ---- the bulletin ---- */

const char *const assess_figure_keys[ASSESS_FIGURES] = {"collected",      "resolved_by_branch", "escalated",
							"lessons",        "screenings",         "practices",
							"plans_complete", "branches",           "points",
							"rated",          "meetings",           "red730",
							"decisions_done", "decisions_overdue",  "volunteer_activities",
							"volunteer_times"};

void assess_bulletin_free(struct assess_bulletin *b)
{
	free(b->summary);
	free(b->remarks);
	free(b->rows);
	memset(b, 0, sizeof *b);
}

static void fmt_score(char out[32], int64_t c) { snprintf(out, 32, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100)); }

/* One clause: the count, with 环比 against the previous month's published
 * bulletin (prev) and 同比 against the same month a year before (yoy) when
 * there is one. */
static void change(buf *b, const char *what, int64_t dlt, const char *unit, bool *open)
{
	buf_puts(b, *open ? "，" : "（");
	*open = true;
	if (dlt > 0)
		buf_printf(b, "%s增加%lld%s", what, (long long)dlt, unit);
	else if (dlt < 0)
		buf_printf(b, "%s减少%lld%s", what, (long long)-dlt, unit);
	else
		buf_printf(b, "%s持平", what);
}
static void clause(buf *b, bool *first, const char *pre, int64_t v, const char *post, const int64_t *prev, const int64_t *yoy, int k, const char *unit)
{
	if (v <= 0)
		return; /* no "0项" sentences */
	if (!*first)
		buf_puts(b, "，");
	*first = false;
	buf_printf(b, "%s%lld%s", pre, (long long)v, post);
	bool open = false;
	if (prev)
		change(b, "环比", v - prev[k], unit, &open);
	if (yoy)
		change(b, "同比", v - yoy[k], unit, &open);
	if (open)
		buf_puts(b, "）");
}

void assess_summary(const struct assess_bulletin *bl, const int64_t *prev, const int64_t *yoy, char **out)
{
	buf b = {0};
	const int64_t *f = bl->fig;
	buf_printf(&b, "%.4s年%d月，", bl->month, atoi(bl->month + 5));
	bool first = true;
	size_t mark = b.len;
	if (f[0] > 0) {
		clause(&b, &first, "各支部共收集需求清单", f[0], "项", prev, yoy, 0, "项");
		clause(&b, &first, "支部有效解决及时销单", f[1], "项", prev, yoy, 1, "项");
		clause(&b, &first, "向上反馈", f[2], "项", prev, yoy, 2, "项");
		clause(&b, &first, "收到群众评价", f[9], "次", prev, yoy, 9, "次");
	}
	if (f[3] + f[4] + f[5] + f[6] > 0) {
		if (!first)
			buf_puts(&b, "；"), first = true;
		clause(&b, &first, "开展微党课", f[3], "场", prev, yoy, 3, "场");
		clause(&b, &first, "组织观看党员教育片", f[4], "场次", prev, yoy, 4, "场次");
		clause(&b, &first, "开展主题实践活动", f[5], "次", prev, yoy, 5, "次");
		clause(&b, &first, "", f[6], "个支部主题党日“一课一片一实践”全部落实", prev, yoy, 6, "个");
	}
	if (f[10] + f[11] + f[12] > 0) { /* seed 004: 召开红色“七点半”会议N次，解决难题、急事M件 */
		if (!first)
			buf_puts(&b, "；"), first = true;
		clause(&b, &first, "召开红色“七点半”会议", f[11], "次", prev, yoy, 11, "次");
		clause(&b, &first, "召开“三会一课”", f[10], "次", prev, yoy, 10, "次");
		clause(&b, &first, "解决难题、急事", f[12], "件", prev, yoy, 12, "件");
	}
	if (f[13] > 0) {
		if (!first)
			buf_puts(&b, "；"), first = true;
		clause(&b, &first, "到期决议事项逾期", f[13], "件", prev, yoy, 13, "件");
	}
	if (f[14] > 0) {
		if (!first)
			buf_puts(&b, "；"), first = true;
		clause(&b, &first, "开展志愿服务活动", f[14], "次", prev, yoy, 14, "次");
		clause(&b, &first, "参与党员", f[15], "人次", prev, yoy, 15, "人次");
	}
	if (f[8] > 0) {
		if (!first)
			buf_puts(&b, "；"), first = true;
		clause(&b, &first, "党员获得积分", f[8], "人次", prev, yoy, 8, "人次");
	}
	if (b.len == mark)
		buf_puts(&b, "各支部暂无可通报的工作记录");
	buf_puts(&b, "。");
	/* the best and the lagging, from the ranked table */
	size_t scored = 0;
	for (size_t i = 0; i < bl->n; i++)
		scored += bl->rows[i].has_score;
	if (scored) {
		buf_printf(&b, "参加月检查的%lld个支部中，综合得分靠前的是", (long long)scored);
		size_t top = scored < 3 ? scored : 3;
		for (size_t i = 0; i < top; i++) {
			char sc[32];
			fmt_score(sc, bl->rows[i].score);
			buf_printf(&b, "%s%s（%s分）", i ? "、" : "", bl->rows[i].org_name, sc);
		}
		buf_puts(&b, "。");
		if (scored > 3) {
			size_t lag = scored - 3 < 2 ? scored - 3 : 2;
			buf_puts(&b, "得分靠后的是");
			for (size_t i = 0; i < lag; i++) {
				const struct assess_brow *r = &bl->rows[scored - lag + i];
				char sc[32];
				fmt_score(sc, r->score);
				buf_printf(&b, "%s%s（%s分）", i ? "、" : "", r->org_name, sc);
			}
			buf_puts(&b, "，请对照细则抓好整改。");
		}
	}
	*out = buf_detach(&b);
}

static bool committee_of(db *d, const struct actor *a, int64_t org_id, struct org *o, struct field_errors *e)
{
	if (!org_id)
		org_id = a->org_id;
	if (!org_load(d, org_id, o) || (strcmp(o->type, "committee") && strcmp(o->type, "county")) || !actor_covers(a, o->path)) {
		dj_fail(e, DJ_NOT_FOUND, "镇党委不存在或不在您的管辖范围内");
		return false;
	}
	return true;
}

static bool prev_figures(db *d, int64_t org_id, const char *pm, int64_t prev[ASSESS_FIGURES])
{
	int64_t id = db_int1(d, 0, "SELECT id FROM assess_bulletins WHERE org_id = ? AND month = ? ORDER BY version DESC LIMIT 1", "It", org_id, pm);
	if (!id)
		return false;
	memset(prev, 0, ASSESS_FIGURES * sizeof *prev);
	db_stmt *s = db_query(d, "SELECT fkey, value FROM assess_bulletin_figures WHERE bulletin_id = ?", "I", id);
	while (db_next(s))
		for (int k = 0; k < ASSESS_FIGURES; k++)
			if (!strcmp(assess_figure_keys[k], db_str(s, 0)))
				prev[k] = db_int(s, 1);
	return db_done(s) == DB_OK;
}

static void items_text(const struct assess_check *c, char *out, size_t n)
{
	size_t len = 0;
	out[0] = 0;
	for (int i = 0; i < c->n && len < n; i++) {
		if (c->s[i].has_data)
			len += (size_t)snprintf(out + len, n - len, "%s%s=%lld", i ? ";" : "", c->s[i].item, (long long)c->s[i].got);
		else
			len += (size_t)snprintf(out + len, n - len, "%s%s=-", i ? ";" : "", c->s[i].item);
	}
}

struct over_ctx {
	int64_t n;
};
static void count_overdue(void *ctx, const struct decision *x)
{
	((struct over_ctx *)ctx)->n += x->overdue || (!strcmp(x->state, "done") && strcmp(x->done_date, x->deadline) > 0);
}

enum dj_result assess_bulletin_draft(db *d, const struct actor *a, int64_t org_id, const char *month, int64_t now, struct assess_bulletin *b,
				     struct field_errors *e)
{
	memset(b, 0, sizeof *b);
	struct org o;
	int64_t t0, t1;
	if (!assess_month_bounds(month, &t0, &t1))
		return ferr_add(e, "month", "月份应为 YYYY-MM"), DJ_INVALID;
	if (!committee_of(d, a, org_id, &o, e))
		return DJ_NOT_FOUND;
	struct assess_check *v;
	size_t n;
	struct assess_rules rules;
	enum dj_result res = assess_month(d, a, o.path, month, now, &v, &n, &rules, e);
	if (res != DJ_OK)
		return res;
	b->org_id = o.id;
	b->rules_version_id = rules.id;
	snprintf(b->org_name, sizeof b->org_name, "%s", o.name);
	snprintf(b->month, sizeof b->month, "%s", month);
	b->rows = calloc(n ? n : 1, sizeof *b->rows);
	b->n = n;
	int64_t in_scope = 0; /* rank 0 in the table: 未纳入考核 */
	for (size_t i = 0; i < n; i++) {
		in_scope += !v[i].not_assessed;
		struct assess_brow *r = &b->rows[i];
		r->org_id = v[i].org_id, r->rank = v[i].rank, r->has_score = v[i].has_score, r->score = v[i].score;
		snprintf(r->org_name, sizeof r->org_name, "%s", v[i].org_name);
		items_text(&v[i], r->items, sizeof r->items);
	}
	free(v);
	struct order_stats os;
	order_stats_compute(d, o.path, t0, t1, now, &os);
	struct themeday_stats ts;
	themeday_stats_compute(d, o.path, t0, t1, &ts);
	int64_t plans_complete = db_int1(d, 0,
					 "SELECT COUNT(*) FROM theme_plans p JOIN orgs g ON g.id = p.org_id WHERE g.path LIKE ? || '%' AND p.month = ? "
					 "AND NOT EXISTS (SELECT 1 FROM theme_plan_parts x WHERE x.plan_id = p.id AND x.done_id IS NULL)",
					 "tt", o.path, month);
	int y = atoi(month), m = atoi(month + 5);
	int64_t points = db_int1(d, 0,
				 "SELECT COUNT(*) FROM points_ledger l JOIN orgs g ON g.id = l.org_id WHERE g.path LIKE ? || '%' AND l.year = ? AND "
				 "l.month = ? AND l.points > 0",
				 "tii", o.path, y, m);
	int64_t rated = db_int1(d, 0,
				"SELECT COUNT(*) FROM orders x WHERE x.org_id IN " IN_SUBTREE " AND x.rating IS NOT NULL "
				"AND x.closed_at >= ? AND x.closed_at < ?",
				"tII", o.path, t0, t1);
	/* the meetings: 三会一课 of the required types (not 红色七点半, counted on its own) */
	struct meeting_requirement req[MEETING_TYPES_MAX];
	int nreq = meeting_requirements(d, req, MEETING_TYPES_MAX);
	int64_t held = 0;
	for (int k = 0; k < nreq; k++)
		if (strcmp(req[k].type, "red730"))
			held += meeting_held_count(d, o.path, req[k].type, t0, t1);
	struct over_ctx oc = {0};
	char from[11], to[11];
	meeting_date_of(t0, from);
	meeting_date_of(t1, to);
	decision_due_each(d, o.path, from, to, now, count_overdue, &oc);
	struct volunteer_figures vf;
	volunteer_figures_compute(d, o.path, t0, t1, &vf);
	int64_t f[ASSESS_FIGURES] = {os.collected,
				     os.resolved_by_branch,
				     os.escalated,
				     ts.lessons.deliveries,
				     ts.screenings,
				     ts.practices,
				     plans_complete,
				     in_scope,
				     points,
				     rated,
				     held,
				     meeting_held_count(d, o.path, "red730", t0, t1),
				     decision_done_count(d, o.path, t0, t1),
				     oc.n,
				     vf.activities,
				     vf.person_times};
	memcpy(b->fig, f, sizeof f);
	int64_t prev[ASSESS_FIGURES], yoy[ASSESS_FIGURES];
	char pm[16], ym[24];
	assess_month_prev(month, pm);
	snprintf(ym, sizeof ym, "%04d-%s", (atoi(month) - 1) % 10000, month + 5);
	bool has_prev = prev_figures(d, o.id, pm, prev), has_yoy = prev_figures(d, o.id, ym, yoy);
	assess_summary(b, has_prev ? prev : NULL, has_yoy ? yoy : NULL, &b->summary);
	b->remarks = strdup("");
	return DJ_OK;
}

enum dj_result assess_bulletin_publish(db *d, const struct actor *a, int64_t org_id, const char *month, const char *remarks, int64_t now, int64_t *id_out,
				       struct field_errors *e)
{
	if (!permission_allows(&perm_assess_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以发布月通报");
	char cur[16];
	assess_month_of(now, cur);
	if (month && month_valid(month) && strcmp(month, cur) >= 0)
		return ferr_add(e, "month", "%s 还没有结束，月通报在月末之后发布", month), DJ_INVALID;
	if (remarks && utf8_len(remarks) > 2000)
		return ferr_add(e, "remarks", "点评不能超过 2000 字"), DJ_INVALID;
	struct assess_bulletin b;
	enum dj_result res = assess_bulletin_draft(d, a, org_id, month, now, &b, e);
	if (res != DJ_OK)
		return res;
	int64_t version = db_int1(d, 0, "SELECT COALESCE(MAX(version), 0) FROM assess_bulletins WHERE org_id = ? AND month = ?", "It", b.org_id, month) +
			  1;
	int64_t id = db_int1(d, 0,
			     "INSERT INTO assess_bulletins (org_id, month, version, rules_version_id, summary, remarks, publisher, "
			     "published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			     "ItIItttI", b.org_id, month, version, b.rules_version_id, b.summary, remarks ? remarks : "", a->label, now);
	res = DJ_DB_ERROR;
	if (!id)
		goto out;
	if (a->user_id && db_run(d, "UPDATE assess_bulletins SET published_by = ? WHERE id = ?", "II", a->user_id, id) != DB_OK)
		goto out;
	for (int k = 0; k < ASSESS_FIGURES; k++)
		if (db_run(d, "INSERT INTO assess_bulletin_figures (bulletin_id, fkey, value) VALUES (?, ?, ?)", "ItI", id, assess_figure_keys[k],
			   b.fig[k]) != DB_OK)
			goto out;
	for (size_t i = 0; i < b.n; i++) {
		const struct assess_brow *r = &b.rows[i];
		int rc =
			r->has_score
				? db_run(d,
					 "INSERT INTO assess_bulletin_rows (bulletin_id, org_id, org_name, rank, score, items) VALUES (?, ?, ?, ?, ?, ?)",
					 "IItIIt", id, r->org_id, r->org_name, r->rank, r->score, r->items)
				: db_run(d,
					 "INSERT INTO assess_bulletin_rows (bulletin_id, org_id, org_name, rank, score, items) VALUES (?, ?, ?, ?, NULL, ?)",
					 "IItIt", id, r->org_id, r->org_name, r->rank, r->items);
		if (rc != DB_OK)
			goto out;
		/* the branch's secretaries hear of it, with their own place, in
		 * this transaction (a republished version tells them again) */
		char text[600], sc[32];
		if (r->has_score)
			fmt_score(sc, r->score);
		if (!r->rank) /* 未纳入考核: told so, not given a place */
			snprintf(text, sizeof text, "%s %.4s年%d月党建工作月通报已发布（第 %lld 版）：%s本月尚未纳入系统，未纳入考核，不参加排名",
				 b.org_name, month, atoi(month + 5), (long long)version, r->org_name);
		else
			snprintf(text, sizeof text, "%s %.4s年%d月党建工作月通报已发布（第 %lld 版）：%s%s排名第 %lld / %lld，综合得分 %s", b.org_name,
				 month, atoi(month + 5), (long long)version, r->org_name, r->has_score ? "" : "本月暂无得分，", (long long)r->rank,
				 (long long)b.fig[7] /* branches ranked */, r->has_score ? sc : "—");
		if (notify_org_role(d, r->org_id, "branch", "bulletin", "bulletin", id, text, now) != DB_OK)
			goto out;
	}
	char sum[160];
	snprintf(sum, sizeof sum, "发布 %s 月通报（第 %lld 版）", month, (long long)version);
	if (audit_write(d, a, "bulletin.publish", "bulletin", id, b.org_id, sum) != DB_OK)
		goto out;
	if (id_out)
		*id_out = id;
	res = DJ_OK;
out:
	assess_bulletin_free(&b);
	return res;
}

/* a committee's bulletin is visible inside its subtree and above it */
static bool bulletin_visible(const struct actor *a, const char *org_path)
{
	const char *sc = actor_scope(a);
	return *sc && (actor_covers(a, org_path) || !strncmp(sc, org_path, strlen(org_path)));
}

enum dj_result assess_bulletin_load(db *d, const struct actor *a, int64_t id, struct assess_bulletin *b)
{
	memset(b, 0, sizeof *b);
	db_stmt *s = db_query(d,
			      "SELECT b.id, b.org_id, b.version, b.rules_version_id, b.published_at, g.name, b.month, b.publisher, b.summary, b.remarks, "
			      "g.path FROM assess_bulletins b JOIN orgs g ON g.id = b.org_id WHERE b.id = ?",
			      "I", id);
	bool found = false;
	if (db_next(s) && bulletin_visible(a, db_str(s, 10))) {
		found = true;
		b->id = db_int(s, 0), b->org_id = db_int(s, 1), b->version = db_int(s, 2), b->rules_version_id = db_int(s, 3);
		b->published_at = db_int(s, 4);
		snprintf(b->org_name, sizeof b->org_name, "%s", db_str(s, 5));
		snprintf(b->month, sizeof b->month, "%s", db_str(s, 6));
		snprintf(b->publisher, sizeof b->publisher, "%s", db_str(s, 7));
		b->summary = strdup(db_str(s, 8));
		b->remarks = strdup(db_str(s, 9));
	}
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	if (!found)
		return DJ_NOT_FOUND;
	s = db_query(d, "SELECT fkey, value FROM assess_bulletin_figures WHERE bulletin_id = ?", "I", id);
	while (db_next(s))
		for (int k = 0; k < ASSESS_FIGURES; k++)
			if (!strcmp(assess_figure_keys[k], db_str(s, 0)))
				b->fig[k] = db_int(s, 1);
	db_done(s);
	size_t n = (size_t)db_int1(d, 0, "SELECT COUNT(*) FROM assess_bulletin_rows WHERE bulletin_id = ?", "I", id);
	b->rows = calloc(n ? n : 1, sizeof *b->rows);
	s = db_query(d, "SELECT org_id, org_name, rank, score, items FROM assess_bulletin_rows WHERE bulletin_id = ? ORDER BY rank = 0, rank, org_id", "I",
		     id);
	while (db_next(s) && b->n < n) {
		struct assess_brow *r = &b->rows[b->n++];
		r->org_id = db_int(s, 0);
		snprintf(r->org_name, sizeof r->org_name, "%s", db_str(s, 1));
		r->rank = db_int(s, 2);
		r->has_score = !db_isnull(s, 3);
		r->score = db_int(s, 3);
		snprintf(r->items, sizeof r->items, "%s", db_str(s, 4));
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

enum dj_result assess_bulletin_edit(db *d, const struct actor *a, int64_t id, struct field_errors *e)
{
	struct assess_bulletin b;
	enum dj_result res = assess_bulletin_load(d, a, id, &b);
	assess_bulletin_free(&b);
	if (res != DJ_OK)
		return res;
	return dj_fail(e, DJ_CONFLICT, "已发布的月通报不能修改：请重新发布，生成新的版本");
}

void assess_bulletins_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct assess_bulletin *b), void *ctx)
{
	int64_t ids[240];
	int n = 0;
	db_stmt *s = db_query(d, "SELECT b.id, g.path FROM assess_bulletins b JOIN orgs g ON g.id = b.org_id ORDER BY b.month DESC, b.version DESC", "");
	while (db_next(s) && n < 240)
		if (bulletin_visible(a, db_str(s, 1)))
			ids[n++] = db_int(s, 0);
	db_done(s);
	for (int i = 0; i < n; i++) {
		struct assess_bulletin b;
		if (assess_bulletin_load(d, a, ids[i], &b) == DJ_OK)
			fn(ctx, &b);
		assess_bulletin_free(&b);
	}
}

/* ---- evaluation items, quarters, years ---- */

static bool quarter_valid(const char *p, int *y, int *q)
{
	if (!p || strlen(p) != 7 || p[4] != '-' || p[5] != 'Q' || p[6] < '1' || p[6] > '4')
		return false;
	for (int i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	*y = atoi(p), *q = p[6] - '0';
	return *y >= 2000 && *y <= 2100;
}
static bool year_valid(const char *p, int *y)
{
	if (!p || strlen(p) != 4)
		return false;
	for (int i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	*y = atoi(p);
	return *y >= 2000 && *y <= 2100;
}

enum dj_result assess_evaluation_add(db *d, const struct actor *a, int64_t org_id, const char *period, const char *kind, int64_t points, const char *note,
				     int64_t now, struct field_errors *e)
{
	if (!permission_allows(&perm_assess_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "考核分数由镇党委评定，支部不能修改本支部或其他支部的分数");
	struct org o;
	if (!org_load(d, org_id, &o) || strcmp(o.type, "branch") || !actor_covers(a, o.path))
		return ferr_add(e, "org", "支部不存在或不在您的管辖范围内"), DJ_INVALID;
	int y, q;
	bool is_q = quarter_valid(period, &y, &q), is_y = year_valid(period, &y);
	if (!kind || (strcmp(kind, "bonus") && strcmp(kind, "deduction") && strcmp(kind, "evaluation")))
		ferr_add(e, "kind", "类型应为 bonus（加分）、deduction（扣分）或 evaluation（年度评议分）");
	else if (!is_q && !is_y)
		ferr_add(e, "period", "考核期应为 YYYY-Qn（季度）或 YYYY（年度）");
	else if (!strcmp(kind, "evaluation") && !is_y)
		ferr_add(e, "period", "评议分按年度（YYYY）评定");
	if (points < 0 || points > 100)
		ferr_add(e, "points", "分值应在 0–100 之间");
	if (note && utf8_len(note) > 500)
		ferr_add(e, "note", "说明不能超过 500 字");
	if (e->n)
		return DJ_INVALID;
	int64_t id = db_int1(d, 0,
			     "INSERT INTO assess_evaluations (org_id, period, kind, points, note, creator, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
			     "RETURNING id",
			     "IttIttI", org_id, period, kind, points, note ? note : "", a->label, now);
	if (!id)
		return DJ_DB_ERROR;
	if (a->user_id && db_run(d, "UPDATE assess_evaluations SET created_by = ? WHERE id = ?", "II", a->user_id, id) != DB_OK)
		return DJ_DB_ERROR;
	char sum[200];
	snprintf(sum, sizeof sum, "%s %s %s %lld 分", o.name, period, kind, (long long)points);
	return audit_write(d, a, "assess.evaluate", "org", org_id, org_id, sum) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

static int64_t eval_sum(db *d, int64_t org_id, const char *period, const char *kind)
{
	if (!strcmp(kind, "evaluation")) /* the latest evaluation score counts */
		return db_int1(d, -1,
			       "SELECT points FROM assess_evaluations WHERE org_id = ? AND period = ? AND kind = 'evaluation' ORDER BY id DESC LIMIT 1",
			       "It", org_id, period);
	return db_int1(d, 0, "SELECT COALESCE(SUM(points), 0) FROM assess_evaluations WHERE org_id = ? AND period = ? AND kind = ?", "Itt", org_id, period,
		       kind);
}

static int period_cmp(const void *x, const void *y)
{
	const struct assess_period_row *a = x, *b = y;
	if (a->not_assessed != b->not_assessed)
		return a->not_assessed ? 1 : -1;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	if (a->base != b->base)
		return a->base > b->base ? -1 : 1;
	return strcmp(a->org_code, b->org_code);
}

static int64_t clamp100(int64_t v) { return v < 0 ? 0 : v > 10000 ? 10000 : v; }

/* the quarter's rows (not ranked), from its three monthly checks */
static enum dj_result quarter_rows(db *d, const struct actor *a, const char *prefix, int y, int q, int64_t now, struct assess_period_row **out, size_t *n,
				   bool *any, struct field_errors *e)
{
	*out = NULL, *n = 0, *any = false;
	char first[24];
	snprintf(first, sizeof first, "%04d-%02d", y % 10000, (q - 1) * 3 + 1);
	struct assess_rules qr;
	if (!assess_rules_for(d, first, &qr))
		return dj_fail(e, DJ_CONFLICT, "没有生效的考核细则");
	struct assess_period_row *rows = NULL;
	for (int mi = 0; mi < 3; mi++) {
		char month[24];
		snprintf(month, sizeof month, "%04d-%02d", y % 10000, (q - 1) * 3 + 1 + mi);
		struct assess_check *v;
		size_t cn;
		enum dj_result res = assess_month(d, a, prefix, month, now, &v, &cn, NULL, e);
		if (res != DJ_OK) {
			free(rows);
			return res;
		}
		if (!rows) {
			rows = calloc(cn ? cn : 1, sizeof *rows);
			*n = cn;
			for (size_t i = 0; i < cn; i++) {
				rows[i].org_id = v[i].org_id;
				snprintf(rows[i].org_code, sizeof rows[i].org_code, "%s", v[i].org_code);
				snprintf(rows[i].org_name, sizeof rows[i].org_name, "%s", v[i].org_name);
				rows[i].month[0] = rows[i].month[1] = rows[i].month[2] = -1;
			}
		}
		for (size_t i = 0; i < cn; i++)
			for (size_t j = 0; j < *n; j++)
				if (rows[j].org_id == v[i].org_id)
					rows[j].month[mi] = v[i].not_assessed ? -2 : v[i].has_score ? v[i].score : -1;
		free(v);
	}
	char period[16];
	snprintf(period, sizeof period, "%04d-Q%d", y % 10000, q % 10);
	for (size_t j = 0; j < *n; j++) {
		struct assess_period_row *r = &rows[j];
		int64_t sum = 0, w = 0;
		/* only the months that count: 未纳入考核 and 暂无数据 leave out their weight */
		r->not_assessed = r->month[0] == -2 && r->month[1] == -2 && r->month[2] == -2;
		for (int mi = 0; mi < 3; mi++)
			if (r->month[mi] >= 0)
				sum += r->month[mi] * qr.q_w[mi], w += qr.q_w[mi];
		r->base = w ? (2 * sum + w) / (2 * w) : 0;
		if (w)
			*any = true;
		r->bonus = eval_sum(d, r->org_id, period, "bonus");
		r->deduction = eval_sum(d, r->org_id, period, "deduction");
		r->total = w ? clamp100(r->base + 100 * (r->bonus - r->deduction)) : 0;
		r->evaluation = w ? 1 : 0; /* marks a quarter with a score (years) */
	}
	*out = rows;
	return DJ_OK;
}

enum dj_result assess_quarter(db *d, const struct actor *a, const char *prefix, const char *quarter, int64_t now, struct assess_period_row **out,
			      size_t *n, struct field_errors *e)
{
	int y, q;
	if (!quarter_valid(quarter, &y, &q))
		return ferr_add(e, "quarter", "季度应为 YYYY-Qn，如 2026-Q1"), DJ_INVALID;
	bool any;
	enum dj_result res = quarter_rows(d, a, prefix, y, q, now, out, n, &any, e);
	if (res != DJ_OK)
		return res;
	qsort(*out, *n, sizeof **out, period_cmp);
	for (size_t i = 0; i < *n; i++)
		(*out)[i].rank = (*out)[i].not_assessed ? 0 : (int)i + 1, (*out)[i].evaluation = 0;
	return DJ_OK;
}

void assess_stars_assign(struct assess_period_row *rows, size_t n, const struct assess_rules *r)
{
	qsort(rows, n, sizeof *rows, period_cmp);
	size_t rated = 0; /* the quota counts the branches rated, not those not yet in the system */
	for (size_t i = 0; i < n; i++)
		rated += !rows[i].not_assessed;
	size_t quota = (size_t)((int64_t)rated * r->quota5 / 100), five = 0;
	for (size_t i = 0; i < n; i++) {
		struct assess_period_row *x = &rows[i];
		x->capped = false;
		if (x->not_assessed) {
			x->rank = 0, x->stars = 0;
			continue;
		}
		x->rank = (int)i + 1;
		x->stars = x->total >= r->cut[0] * 100   ? 5
			   : x->total >= r->cut[1] * 100 ? 4
			   : x->total >= r->cut[2] * 100 ? 3
			   : x->total >= r->cut[3] * 100 ? 2
							 : 1;
		if (x->stars == 5) {
			if (five < quota)
				five++;
			else
				x->stars = 4, x->capped = true;
		}
	}
}

enum dj_result assess_year(db *d, const struct actor *a, const char *prefix, int year, int64_t now, struct assess_period_row **out, size_t *n,
			   struct assess_rules *rules, struct field_errors *e)
{
	*out = NULL, *n = 0;
	if (year < 2000 || year > 2100)
		return ferr_add(e, "year", "年度应为四位数字"), DJ_INVALID;
	char last[16], period[16];
	snprintf(last, sizeof last, "%04d-12", year);
	snprintf(period, sizeof period, "%04d", year);
	struct assess_rules local;
	if (!rules)
		rules = &local;
	if (!assess_rules_for(d, last, rules))
		return dj_fail(e, DJ_CONFLICT, "没有生效的考核细则");
	struct assess_period_row *rows = NULL;
	int64_t *sum = NULL, *cnt = NULL, *in = NULL;
	for (int q = 1; q <= 4; q++) {
		struct assess_period_row *qv;
		size_t qn;
		bool any;
		enum dj_result res = quarter_rows(d, a, prefix, year, q, now, &qv, &qn, &any, e);
		if (res != DJ_OK) {
			free(rows), free(sum), free(cnt), free(in);
			return res;
		}
		if (!rows) {
			rows = qv, *n = qn;
			sum = calloc(qn ? qn : 1, sizeof *sum), cnt = calloc(qn ? qn : 1, sizeof *cnt), in = calloc(qn ? qn : 1, sizeof *in);
		}
		for (size_t i = 0; i < qn; i++)
			for (size_t j = 0; j < *n; j++)
				if (rows[j].org_id == qv[i].org_id) {
					in[j] += !qv[i].not_assessed;
					if (qv[i].evaluation)
						sum[j] += qv[i].total, cnt[j]++;
				}
		if (qv != rows)
			free(qv);
	}
	for (size_t j = 0; j < *n; j++) {
		struct assess_period_row *r = &rows[j];
		r->month[0] = r->month[1] = r->month[2] = -1;
		r->not_assessed = !in[j]; /* not in the system in any month of the year: not rated */
		r->base = cnt[j] ? (2 * sum[j] + cnt[j]) / (2 * cnt[j]) : 0;
		r->bonus = 0;
		r->deduction = eval_sum(d, r->org_id, period, "deduction");
		int64_t ev = eval_sum(d, r->org_id, period, "evaluation");
		/* no evaluation score given: the basic score stands in for it */
		r->evaluation = ev >= 0 ? ev * 100 : r->base;
		int64_t basic = r->base - 100 * r->deduction;
		if (basic < 0)
			basic = 0;
		r->total = clamp100((basic * rules->basic_pct + r->evaluation * rules->eval_pct + 50) / 100);
	}
	free(sum), free(cnt), free(in);
	assess_stars_assign(rows, *n, rules);
	*out = rows;
	return DJ_OK;
}

enum dj_result assess_stars_publish(db *d, const struct actor *a, int year, int64_t now, int64_t *version_out, struct field_errors *e)
{
	if (!permission_allows(&perm_assess_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以发布评星定级结果");
	char cur[16];
	assess_month_of(now, cur);
	if (year >= atoi(cur))
		return ferr_add(e, "year", "%d 年度还没有结束，评星定级在年度结束后进行", year), DJ_INVALID;
	struct assess_period_row *v;
	size_t n;
	struct assess_rules rules;
	enum dj_result res = assess_year(d, a, NULL, year, now, &v, &n, &rules, e);
	if (res != DJ_OK)
		return res;
	size_t rated = 0; /* the branches not yet in the system that year are not rated */
	for (size_t i = 0; i < n; i++)
		rated += !v[i].not_assessed;
	if (!rated) {
		free(v);
		return dj_fail(e, DJ_CONFLICT, "管辖范围内没有纳入考核的党支部");
	}
	int64_t version = 1;
	for (size_t i = 0; i < n; i++) {
		int64_t vv = db_int1(d, 0, "SELECT COALESCE(MAX(version), 0) FROM assess_stars WHERE org_id = ? AND year = ?", "Ii", v[i].org_id, year) +
			     1;
		if (vv > version)
			version = vv;
	}
	res = DJ_DB_ERROR;
	for (size_t i = 0; i < n; i++) {
		if (v[i].not_assessed)
			continue;
		int64_t id = db_int1(
			d, 0,
			"INSERT INTO assess_stars (org_id, year, version, rules_version_id, basic, deductions, evaluation, total, rank, stars, "
			"capped, publisher, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			"IiIIIIIIiiitI", v[i].org_id, year, version, rules.id, v[i].base, v[i].deduction, v[i].evaluation, v[i].total, v[i].rank,
			v[i].stars, v[i].capped ? 1 : 0, a->label, now);
		if (!id)
			goto out;
		if (a->user_id && db_run(d, "UPDATE assess_stars SET published_by = ? WHERE id = ?", "II", a->user_id, id) != DB_OK)
			goto out;
	}
	char sum[120];
	snprintf(sum, sizeof sum, "发布 %d 年度评星定级结果（第 %lld 版，%zu 个支部）", year, (long long)version, rated);
	if (audit_write(d, a, "stars.publish", "org", a->org_id, a->org_id, sum) != DB_OK)
		goto out;
	if (version_out)
		*version_out = version;
	res = DJ_OK;
out:
	free(v);
	return res;
}

enum dj_result assess_star_history(db *d, const struct actor *a, int64_t org_id, void (*fn)(void *ctx, const struct assess_star_row *r), void *ctx)
{
	struct org o;
	if (!org_load(d, org_id, &o) || !actor_covers(a, o.path))
		return DJ_NOT_FOUND;
	db_stmt *s = db_query(d,
			      "SELECT s.org_id, s.year, s.version, s.total, s.stars, s.rank FROM assess_stars s WHERE s.org_id = ? AND s.version = "
			      "(SELECT MAX(x.version) FROM assess_stars x WHERE x.org_id = s.org_id AND x.year = s.year) ORDER BY s.year",
			      "I", org_id);
	int64_t prev = -1, prev_year = 0;
	while (db_next(s)) {
		struct assess_star_row r = {db_int(s, 0), db_int(s, 1), db_int(s, 2), db_int(s, 3), db_int(s, 4), db_int(s, 5), "", 0, false};
		snprintf(r.org_name, sizeof r.org_name, "%s", o.name);
		r.has_prev = prev >= 0 && prev_year == r.year - 1;
		r.change = r.has_prev ? (r.stars > prev ? 1 : r.stars < prev ? -1 : 0) : 0;
		prev = r.stars, prev_year = r.year;
		fn(ctx, &r);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

enum dj_result assess_excellent_add(db *d, const struct actor *a, int64_t org_id, const char *period, const char *note, int64_t now,
				    struct field_errors *e)
{
	if (!permission_allows(&perm_assess_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "优秀党支部由镇党委评定");
	struct org o;
	if (!org_load(d, org_id, &o) || strcmp(o.type, "branch") || !actor_covers(a, o.path))
		return ferr_add(e, "org", "支部不存在或不在您的管辖范围内"), DJ_INVALID;
	int y, q;
	if (!year_valid(period, &y) && !quarter_valid(period, &y, &q) && !month_valid(period ? period : ""))
		return ferr_add(e, "period", "评选期应为 YYYY、YYYY-Qn 或 YYYY-MM"), DJ_INVALID;
	if (db_int1(d, 0, "SELECT COUNT(*) FROM assess_excellent WHERE org_id = ? AND period = ?", "It", org_id, period))
		return ferr_add(e, "org", "%s 在 %s 已被评为优秀党支部", o.name, period), DJ_INVALID;
	int64_t id = db_int1(d, 0, "INSERT INTO assess_excellent (org_id, period, note, designator, designated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			     "ItttI", org_id, period, note ? note : "", a->label, now);
	if (!id)
		return DJ_DB_ERROR;
	if (a->user_id && db_run(d, "UPDATE assess_excellent SET designated_by = ? WHERE id = ?", "II", a->user_id, id) != DB_OK)
		return DJ_DB_ERROR;
	char sum[200];
	snprintf(sum, sizeof sum, "%s 评为 %s 优秀党支部", o.name, period);
	return audit_write(d, a, "excellent.designate", "org", org_id, org_id, sum) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

void assess_excellent_each(db *d, const struct actor *a, const char *period_prefix, void (*fn)(void *ctx, const struct assess_excellent_row *r), void *ctx,
			   int64_t *count)
{
	*count = 0;
	const char *sc = actor_scope(a);
	if (!*sc)
		return;
	db_stmt *s = db_query(d,
			      "SELECT x.org_id, g.name, x.period, x.note, g.path FROM assess_excellent x JOIN orgs g ON g.id = x.org_id "
			      "WHERE x.period LIKE ? || '%' ORDER BY x.period DESC, g.sort, g.id",
			      "t", period_prefix ? period_prefix : "");
	while (db_next(s)) {
		/* visible inside the caller's subtree */
		const char *p = db_str(s, 4);
		if (!actor_covers(a, p))
			continue;
		struct assess_excellent_row r = {.org_id = db_int(s, 0)};
		snprintf(r.org_name, sizeof r.org_name, "%s", db_str(s, 1));
		snprintf(r.period, sizeof r.period, "%s", db_str(s, 2));
		snprintf(r.note, sizeof r.note, "%s", db_str(s, 3));
		(*count)++;
		if (fn)
			fn(ctx, &r);
	}
	db_done(s);
}

enum dj_result assess_rank_history(db *d, const struct actor *a, int64_t org_id, void (*fn)(void *ctx, const struct assess_rank_row *r), void *ctx)
{
	struct org o;
	if (!org_load(d, org_id, &o) || !actor_covers(a, o.path))
		return DJ_NOT_FOUND;
	db_stmt *s = db_query(
		d,
		"SELECT b.month, b.id, r.rank, (SELECT COUNT(*) FROM assess_bulletin_rows x WHERE x.bulletin_id = b.id AND x.rank > 0), r.score "
		"FROM assess_bulletin_rows r JOIN assess_bulletins b ON b.id = r.bulletin_id WHERE r.org_id = ? AND r.rank > 0 AND b.version = "
		"(SELECT MAX(y.version) FROM assess_bulletins y WHERE y.org_id = b.org_id AND y.month = b.month) ORDER BY b.month DESC",
		"I", org_id);
	while (db_next(s)) {
		struct assess_rank_row r = {"", db_int(s, 1), db_int(s, 2), db_int(s, 3), db_int(s, 4), !db_isnull(s, 4)};
		snprintf(r.month, sizeof r.month, "%s", db_str(s, 0));
		fn(ctx, &r);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}
