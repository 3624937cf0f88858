/* points — party-member points (SPEC M6, issue 11). */
#include "points.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "util.h"

#define CST (8 * 3600) /* Asia/Shanghai, no daylight saving */

const char *const points_events[] = {
	"order_delivered", "办结群众点单",   "wish_fulfilled",   "完成微心愿",   "meeting_attended",
	"参加组织生活",    "meeting_absent", "无故缺席组织生活", "lesson_given", "讲授微党课",
	"volunteer_hour",  "志愿服务",       "reflection",       "学习心得",     NULL,
};

static const char *pair_label(const char *const *map, const char *key)
{
	for (const char *const *p = map; key && *p; p += 2)
		if (!strcmp(p[0], key))
			return p[1];
	return NULL;
}

const char *points_event_label(const char *code)
{
	if (code && !strcmp(code, "adjustment"))
		return "人工调整";
	const char *l = pair_label(points_events, code);
	return l ? l : code ? code : "";
}

static struct tm cst_tm(int64_t at)
{
	time_t t = (time_t)(at + CST);
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm;
}

int points_year_of(int64_t at) { return cst_tm(at).tm_year + 1900; }
int points_month_of(int64_t at) { return cst_tm(at).tm_mon + 1; }
static int64_t day_of(int64_t at) { return at - ((at + CST) % 86400 + 86400) % 86400; }

int64_t points_member_of_user(db *d, int64_t user_id)
{
	if (!user_id)
		return 0;
	db_stmt *s = db_query(d, "SELECT id FROM members WHERE user_id = ?", "I", user_id);
	int64_t id = db_next(s) ? db_int(s, 0) : 0;
	return db_done(s) == DB_OK ? id : -1;
}

/* One integer a query answers (dflt when no row), or false when it failed:
 * the caps and the idempotency check must not read a failed query as 0. */
static bool int_of(db_stmt *s, int64_t dflt, int64_t *out)
{
	*out = db_next(s) && !db_isnull(s, 0) ? db_int(s, 0) : dflt;
	return db_done(s) == DB_OK;
}

int64_t points_total(db *d, int64_t member_id, int year)
{
	return db_int1(d, 0, "SELECT points FROM points_totals WHERE member_id = ? AND year = ? AND month = 0", "Ii", member_id, year);
}

int64_t points_ledger_sum(db *d, int64_t member_id, int year)
{
	return db_int1(d, 0, "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE member_id = ? AND year = ?", "Ii", member_id, year);
}

/* A roster member as the ledger needs it: its org, the org's path, its account. */
struct pmember {
	int64_t id, org_id, user_id;
	char path[256], name[64];
};

/* 1: found, 0: none, -1: the query failed. */
static int member_load(db *d, int64_t id, struct pmember *m)
{
	db_stmt *s = db_query(
		d, "SELECT m.id, m.org_id, COALESCE(m.user_id, 0), o.path, m.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?", "I", id);
	bool found = db_next(s);
	if (found) {
		m->id = db_int(s, 0);
		m->org_id = db_int(s, 1);
		m->user_id = db_int(s, 2);
		snprintf(m->path, sizeof m->path, "%s", db_str(s, 3));
		snprintf(m->name, sizeof m->name, "%s", db_str(s, 4));
	}
	return db_done(s) != DB_OK ? -1 : found;
}

/* Whether the actor may write to (or read) this member's points: its own,
 * or a member inside the actor's subtree. */
static bool member_reachable(const struct actor *a, const struct pmember *m)
{
	return (a->user_id && m->user_id == a->user_id) || actor_covers(a, m->path);
}

/* Adds an entry's points to the member's totals of its year and month. */
static int totals_add(db *d, int64_t member_id, int year, int month, int64_t points)
{
	int rc = DB_OK;
	for (int k = 0; k < 2 && rc == DB_OK; k++)
		rc = db_run(d,
			    "INSERT INTO points_totals (member_id, year, month, points, entries) VALUES (?, ?, ?, ?, 1) "
			    "ON CONFLICT (member_id, year, month) DO UPDATE SET points = points_totals.points + excluded.points, "
			    "entries = points_totals.entries + 1",
			    "IiiI", member_id, year, k ? month : 0, points);
	return rc;
}

/* One ledger row and its totals. *id gets the new entry's id, 0 when the
 * same (member, code, source) is already there (and nothing is written). */
struct entry {
	int64_t member_id, org_id, rule_id, qty, points, source_id, corrects_id, at;
	const char *kind, *code, *reason, *source_kind;
};

static int entry_write(db *d, const struct actor *a, const struct entry *en, int64_t now, int64_t *id)
{
	int year = points_year_of(en->at), month = points_month_of(en->at);
	db_stmt *s = db_query(
		d,
		"INSERT INTO points_ledger (member_id, org_id, kind, code, rule_id, qty, points, reason, source_kind, source_id, corrects_id, "
		"at, year, month, day, actor_user_id, actor, created_at) "
		"VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), ?, ?) "
		"ON CONFLICT DO NOTHING RETURNING id",
		"IIttIIIttII"
		"IiiIItI",
		en->member_id, en->org_id, en->kind, en->code, en->rule_id, en->qty, en->points, en->reason ? en->reason : "",
		en->source_kind ? en->source_kind : "", en->source_id, en->corrects_id, en->at, year, month, day_of(en->at), a->user_id,
		a->role == A_PUBLIC ? "群众" : a->label, now);
	*id = db_next(s) ? db_int(s, 0) : 0;
	int rc = db_done(s);
	if (rc != DB_OK)
		return rc;
	return *id ? totals_add(d, en->member_id, year, month, en->points) : DB_OK;
}

int64_t points_capped(int64_t points, int64_t got_day, int64_t cap_day, int64_t got_year, int64_t cap_year, char reason[160])
{
	*reason = 0;
	if (points > 0 && cap_day > 0 && got_day + points > cap_day) {
		points = got_day >= cap_day ? 0 : cap_day - got_day;
		snprintf(reason, 160, "已达每日上限 %lld 分%s", (long long)cap_day, points ? "，按剩余分值计" : "，本次不计分");
	}
	if (points > 0 && cap_year > 0 && got_year + points > cap_year) {
		points = got_year >= cap_year ? 0 : cap_year - got_year;
		snprintf(reason, 160, "已达年度上限 %lld 分%s", (long long)cap_year, points ? "，按剩余分值计" : "，本次不计分");
	}
	return points;
}

int64_t points_day_of(int64_t at) { return day_of(at); }

static bool in_events(const char *code) { return code && pair_label(points_events, code) != NULL; }

/* The version of a rule in force at a time. */
struct rule_version {
	int64_t id, points, cap_day, cap_year;
};

/* 1: found, 0: no version in force then, -1: the query failed. */
static int rule_at(db *d, const char *code, int64_t at, struct rule_version *r)
{
	db_stmt *s = db_query(d, "SELECT id, points, cap_day, cap_year FROM points_rules WHERE code = ? AND from_at <= ? ORDER BY from_at DESC LIMIT 1",
			      "tI", code, at);
	bool found = db_next(s);
	if (found) {
		r->id = db_int(s, 0);
		r->points = db_int(s, 1);
		r->cap_day = db_int(s, 2);
		r->cap_year = db_int(s, 3);
	}
	return db_done(s) != DB_OK ? -1 : found;
}

enum dj_result points_award(db *d, const struct actor *a, int64_t member_id, const char *event, const char *source_kind, int64_t source_id, int64_t qty,
			    int64_t at, struct field_errors *e)
{
	if (!in_events(event))
		ferr_add(e, "event", "积分规则不存在");
	if (qty < 1 || qty > 1000)
		ferr_add(e, "qty", "数量应为 1 到 1000 的整数");
	if (!source_kind || !*source_kind || strlen(source_kind) > 32 || source_id <= 0)
		ferr_add(e, "source", "请注明积分来源（记录类型和编号）");
	if (e->n)
		return DJ_INVALID;
	struct pmember m;
	int mf = member_load(d, member_id, &m);
	if (mf < 0)
		return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	if (!mf || !member_reachable(a, &m))
		return dj_fail(e, DJ_NOT_FOUND, "党员不存在或不在您的管辖范围内");
	/* the same source never pays twice: nothing to do */
	int64_t seen;
	if (!int_of(db_query(d,
			     "SELECT id FROM points_ledger WHERE member_id = ? AND code = ? AND source_kind = ? AND source_id = ? AND corrects_id IS NULL",
			     "IttI", member_id, event, source_kind, source_id),
		    0, &seen))
		return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	if (seen)
		return DJ_OK;
	struct rule_version r;
	int found = rule_at(d, event, at, &r);
	if (found < 0)
		return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	if (!found)
		return dj_fail(e, DJ_INVALID, "积分规则“%s”在该日期尚未生效", points_event_label(event));
	int64_t points = r.points * qty, got_day = 0, got_year = 0;
	char reason[160] = "";
	/* the caps (学习强国's daily limits): what is left of the day's and the
	 * year's, for the points a rule gives; a penalty has none */
	if (points > 0 && r.cap_day > 0 &&
	    !int_of(db_query(d, "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE member_id = ? AND code = ? AND day = ?", "ItI", member_id, event,
			     day_of(at)),
		    0, &got_day))
		return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	if (points > 0 && r.cap_year > 0 &&
	    !int_of(db_query(d, "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE member_id = ? AND code = ? AND year = ?", "Iti", member_id,
			     event, points_year_of(at)),
		    0, &got_year))
		return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	points = points_capped(points, got_day, r.cap_day, got_year, r.cap_year, reason);
	struct entry en = {.member_id = member_id,
			   .org_id = m.org_id,
			   .rule_id = r.id,
			   .qty = qty,
			   .points = points,
			   .at = at,
			   .kind = "award",
			   .code = event,
			   .reason = reason,
			   .source_kind = source_kind,
			   .source_id = source_id};
	int64_t id;
	if (entry_write(d, a, &en, now_unix(), &id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	return DJ_OK;
}

/* ---- who may do what ---- */

const struct permission perm_points_rules = {"points.rules", "修改积分规则（新版本自生效日起适用）", R_ADMIN | R_COMMITTEE};
const struct permission perm_points_propose = {"points.propose", "提出积分调整（须写明理由）", R_COMMITTEE | R_BRANCH};
const struct permission perm_points_approve = {"points.approve", "审批他人提出的积分调整", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_points_correct = {"points.correct", "更正积分明细（以新条目更正）", R_ADMIN | R_COMMITTEE | R_BRANCH};

#define DB_FAILED "数据库暂时无法完成操作，请稍后再试"

/* An integer as typed: optional sign, digits, surrounding spaces; in lo..hi. */
static bool int_field(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	if (!s)
		return false;
	while (*s == ' ')
		s++;
	bool neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	int64_t v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > 1000000000)
			return false;
	}
	while (*s == ' ')
		s++;
	if (*s)
		return false;
	*out = neg ? -v : v;
	return *out >= lo && *out <= hi;
}

/* A date YYYY-MM-DD as the Unix time of its start in Asia/Shanghai. */
static bool date_at(const char *s, int64_t *out)
{
	if (!date_valid(s))
		return false;
	struct tm tm = {0};
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	*out = (int64_t)timegm(&tm) - CST;
	return true;
}

static void date_of(int64_t at, char out[11])
{
	struct tm tm = cst_tm(at);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static bool text_ok(const char *s, size_t max) { return s && *s && utf8_valid(s) && utf8_len(s) <= max; }

/* The half-open range of org paths under prefix (see orders.c): an index range. */
static void path_range(const char *prefix, char lo[256], char hi[256])
{
	snprintf(lo, 256, "%s", prefix);
	snprintf(hi, 256, "%s", prefix);
	size_t n = strlen(hi);
	if (n)
		hi[n - 1]++;
}

/* ---- rules ---- */

void points_rules_each(db *d, int64_t at, points_rule_fn fn, void *ctx)
{
	db_stmt *s = db_query(
		d,
		"SELECT r.id, r.code, r.name, r.points, r.cap_day, r.cap_year, r.valid_from, r.from_at, r.note, r.created_at, "
		"COALESCE(u.name, '系统'), (SELECT COUNT(*) FROM points_ledger l WHERE l.rule_id = r.id), "
		"CASE WHEN r.from_at = (SELECT MAX(v.from_at) FROM points_rules v WHERE v.code = r.code AND v.from_at <= ?) THEN 1 ELSE 0 END "
		"FROM points_rules r LEFT JOIN users u ON u.id = r.created_by ORDER BY r.code, r.from_at DESC",
		"I", at);
	while (db_next(s)) {
		struct points_rule r = {0};
		r.id = db_int(s, 0);
		snprintf(r.code, sizeof r.code, "%s", db_str(s, 1));
		snprintf(r.name, sizeof r.name, "%s", db_str(s, 2));
		r.points = db_int(s, 3);
		r.cap_day = db_int(s, 4);
		r.cap_year = db_int(s, 5);
		snprintf(r.valid_from, sizeof r.valid_from, "%s", db_str(s, 6));
		r.from_at = db_int(s, 7);
		snprintf(r.note, sizeof r.note, "%s", db_str(s, 8));
		r.created_at = db_int(s, 9);
		snprintf(r.created_by, sizeof r.created_by, "%s", db_str(s, 10));
		r.used = db_int(s, 11);
		r.current = db_int(s, 12) != 0;
		fn(ctx, &r);
	}
	db_done(s);
}

enum dj_result points_rule_set(db *d, const struct actor *a, const struct points_rule_input *in, int64_t now, int64_t *id_out, struct field_errors *e)
{
	*id_out = 0;
	if (!permission_allows(&perm_points_rules, a) && a->role != A_SYSTEM && strcmp(a->username, "cli"))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以修改积分规则");
	int64_t points = 0, cap_day = 0, cap_year = 0, from_at = 0;
	if (!in_events(in->code))
		ferr_add(e, "code", "积分规则不存在");
	if (!int_field(in->points, -100, 100, &points))
		ferr_add(e, "points", "分值应为 -100 到 100 的整数");
	if (in->cap_day && *in->cap_day && !int_field(in->cap_day, 0, 10000, &cap_day))
		ferr_add(e, "cap_day", "每日上限应为 0 到 10000 的整数（0 表示不设上限）");
	if (in->cap_year && *in->cap_year && !int_field(in->cap_year, 0, 100000, &cap_year))
		ferr_add(e, "cap_year", "年度上限应为 0 到 100000 的整数（0 表示不设上限）");
	if (!in->valid_from || !date_at(in->valid_from, &from_at))
		ferr_add(e, "valid_from", "生效日期应为 YYYY-MM-DD");
	if (in->name && *in->name && !text_ok(in->name, 60))
		ferr_add(e, "name", "规则说明不能超过 60 个字");
	if (in->note && *in->note && !text_ok(in->note, 200))
		ferr_add(e, "note", "修改说明不能超过 200 个字");
	if (e->n)
		return DJ_INVALID;
	/* a version never reprices an entry already written: it starts after the
	 * last day an entry of this rule was written for */
	int64_t last;
	if (!int_of(db_query(d, "SELECT MAX(at) FROM points_ledger WHERE code = ?", "t", in->code), 0, &last))
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (last && last >= from_at) {
		char next[11];
		date_of(day_of(last) + 86400, next);
		ferr_add(e, "valid_from", "%s 之后已有按现行规则记入的积分，新版本最早从 %s 起生效", in->valid_from, next);
		return DJ_INVALID;
	}
	int64_t same;
	if (!int_of(db_query(d, "SELECT COUNT(*) FROM points_rules WHERE code = ? AND from_at = ?", "tI", in->code, from_at), 0, &same))
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (same) {
		ferr_add(e, "valid_from", "该规则在 %s 已有一个版本，请换一个生效日期", in->valid_from);
		return DJ_INVALID;
	}
	/* the name of the version in force then, when none was given */
	char name[200] = "";
	if (in->name && *in->name)
		snprintf(name, sizeof name, "%s", in->name);
	else {
		db_stmt *s = db_query(d, "SELECT name FROM points_rules WHERE code = ? ORDER BY from_at DESC LIMIT 1", "t", in->code);
		if (db_next(s))
			snprintf(name, sizeof name, "%s", db_str(s, 0));
		if (db_done(s) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	}
	db_stmt *s = db_query(d,
			      "INSERT INTO points_rules (code, name, points, cap_day, cap_year, valid_from, from_at, created_by, created_at, note) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
			      "ttIIItIIIt", in->code, name, points, cap_day, cap_year, in->valid_from, from_at, a->user_id, now, in->note ? in->note : "");
	*id_out = db_next(s) ? db_int(s, 0) : 0;
	if (db_done(s) != DB_OK || !*id_out)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	char sum[300];
	snprintf(sum, sizeof sum, "%s：%+lld 分，每日上限 %lld，年度上限 %lld，自 %s 起", points_event_label(in->code), (long long)points,
		 (long long)cap_day, (long long)cap_year, in->valid_from);
	if (audit_write(d, a, "points.rule", "points_rule", *id_out, a->org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	return DJ_OK;
}

/* ---- a member's points ---- */

/* The branch an org belongs to (itself, or the 党支部 above a 党小组); the
 * org itself when there is none. */
static void branch_of(db *d, const char *path, char code[40], char name[168], char bpath[256])
{
	db_stmt *s = db_query(d,
			      "SELECT code, name, path FROM orgs WHERE type IN ('branch', 'general') AND ? LIKE path || '%' "
			      "ORDER BY LENGTH(path) DESC LIMIT 1",
			      "t", path);
	if (db_next(s)) {
		snprintf(code, 40, "%s", db_str(s, 0));
		snprintf(name, 168, "%s", db_str(s, 1));
		snprintf(bpath, 256, "%s", db_str(s, 2));
	} else
		snprintf(bpath, 256, "%s", path);
	db_done(s);
}

static bool staff(const struct actor *a) { return (a->role & (R_ADMIN | R_COMMITTEE | R_BRANCH)) || a->role == A_SYSTEM || !strcmp(a->username, "cli"); }

enum dj_result points_member(db *d, const struct actor *a, int64_t member_id, int year, struct points_summary *out, points_entry_fn fn, void *ctx,
			     struct field_errors *e)
{
	memset(out, 0, sizeof *out);
	if (year < 2000 || year > 2100)
		return dj_fail(e, DJ_INVALID, "年份应为 2000 到 2100 之间");
	struct pmember m;
	int mf = member_load(d, member_id, &m);
	if (mf < 0)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	/* the member itself, or the staff whose subtree holds it */
	if (!mf || !((a->user_id && m.user_id == a->user_id) || (staff(a) && actor_covers(a, m.path))))
		return dj_fail(e, DJ_NOT_FOUND, "党员不存在或不在您的管辖范围内");
	out->member_id = m.id;
	out->org_id = m.org_id;
	out->user_id = m.user_id;
	out->year = year;
	snprintf(out->name, sizeof out->name, "%s", m.name);
	char bpath[256], lo[256], hi[256];
	branch_of(d, m.path, out->branch_code, out->branch_name, bpath);
	db_stmt *s = db_query(d,
			      "SELECT o.name, o.code, COALESCE(t.points, 0), COALESCE(t.entries, 0) FROM orgs o LEFT JOIN points_totals t "
			      "ON t.member_id = ? AND t.year = ? AND t.month = 0 WHERE o.id = ?",
			      "IiI", m.id, year, m.org_id);
	if (db_next(s)) {
		snprintf(out->org_name, sizeof out->org_name, "%s", db_str(s, 0));
		snprintf(out->org_code, sizeof out->org_code, "%s", db_str(s, 1));
		out->total = db_int(s, 2);
		out->entries = db_int(s, 3);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	/* rank in the branch: one more than the members with more points */
	path_range(bpath, lo, hi);
	s = db_query(d,
		     "SELECT COUNT(*), COALESCE(SUM(CASE WHEN COALESCE(t.points, 0) > ? THEN 1 ELSE 0 END), 0) FROM members m "
		     "LEFT JOIN points_totals t ON t.member_id = m.id AND t.year = ? AND t.month = 0 "
		     "WHERE m.org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?) AND m.status NOT IN ('stopped', 'transferred')",
		     "Iitt", out->total, year, lo, hi);
	if (db_next(s)) {
		out->of = db_int(s, 0);
		out->rank = db_int(s, 1) + 1;
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (!fn)
		return DJ_OK;
	s = db_query(d,
		     "SELECT l.id, l.member_id, COALESCE(l.rule_id, 0), l.qty, l.points, COALESCE(r.points, 0), l.source_id, COALESCE(l.corrects_id, 0), "
		     "COALESCE((SELECT c.id FROM points_ledger c WHERE c.corrects_id = l.id), 0), l.at, l.created_at, l.kind, l.code, l.source_kind, "
		     "l.reason, l.actor, COALESCE(r.valid_from, ''), COALESCE(o.code, '') "
		     "FROM points_ledger l LEFT JOIN points_rules r ON r.id = l.rule_id "
		     "LEFT JOIN orders o ON l.source_kind = 'order' AND o.id = l.source_id "
		     "WHERE l.member_id = ? AND l.year = ? ORDER BY l.at DESC, l.id DESC",
		     "Ii", m.id, year);
	while (db_next(s)) {
		struct points_entry en = {0};
		en.id = db_int(s, 0);
		en.member_id = db_int(s, 1);
		en.rule_id = db_int(s, 2);
		en.qty = db_int(s, 3);
		en.points = db_int(s, 4);
		en.rule_points = db_int(s, 5);
		en.source_id = db_int(s, 6);
		en.corrects_id = db_int(s, 7);
		en.corrected_by = db_int(s, 8);
		en.at = db_int(s, 9);
		en.created_at = db_int(s, 10);
		snprintf(en.kind, sizeof en.kind, "%s", db_str(s, 11));
		snprintf(en.code, sizeof en.code, "%s", db_str(s, 12));
		snprintf(en.source_kind, sizeof en.source_kind, "%s", db_str(s, 13));
		snprintf(en.reason, sizeof en.reason, "%s", db_str(s, 14));
		snprintf(en.actor, sizeof en.actor, "%s", db_str(s, 15));
		snprintf(en.valid_from, sizeof en.valid_from, "%s", db_str(s, 16));
		snprintf(en.source_label, sizeof en.source_label, "%s", db_str(s, 17));
		fn(ctx, &en);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	return DJ_OK;
}

enum dj_result points_correct(db *d, const struct actor *a, int64_t entry_id, const char *points, const char *reason, int64_t now, int64_t *id_out,
			      struct field_errors *e)
{
	*id_out = 0;
	if (!permission_allows(&perm_points_correct, a) && !staff(a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能更正积分");
	struct entry en = {0};
	int64_t old = 0, corrected = 0;
	char code[32] = "", source_kind[32] = "", path[256] = "";
	db_stmt *s = db_query(d,
			      "SELECT l.member_id, l.org_id, COALESCE(l.rule_id, 0), l.qty, l.points, l.source_id, l.at, l.code, l.source_kind, o.path, "
			      "COALESCE((SELECT c.id FROM points_ledger c WHERE c.corrects_id = l.id), 0) "
			      "FROM points_ledger l JOIN members m ON m.id = l.member_id JOIN orgs o ON o.id = m.org_id WHERE l.id = ?",
			      "I", entry_id);
	bool found = db_next(s);
	if (found) {
		en.member_id = db_int(s, 0);
		en.org_id = db_int(s, 1);
		en.rule_id = db_int(s, 2);
		en.qty = db_int(s, 3);
		old = db_int(s, 4);
		en.source_id = db_int(s, 5);
		en.at = db_int(s, 6);
		snprintf(code, sizeof code, "%s", db_str(s, 7));
		snprintf(source_kind, sizeof source_kind, "%s", db_str(s, 8));
		snprintf(path, sizeof path, "%s", db_str(s, 9));
		corrected = db_int(s, 10);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (!found || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "积分明细不存在或不在您的管辖范围内");
	int64_t want = 0;
	if (!int_field(points, -1000, 1000, &want))
		ferr_add(e, "points", "应计分值应为 -1000 到 1000 的整数");
	else if (want == old)
		ferr_add(e, "points", "与原分值相同，无需更正");
	if (!text_ok(reason, 200))
		ferr_add(e, "reason", "请写明更正理由（200 字以内）");
	if (e->n)
		return DJ_INVALID;
	if (corrected)
		return dj_fail(e, DJ_CONFLICT, "该条积分已更正过（更正条目 #%lld），如需再改请更正那一条", (long long)corrected);
	en.points = want - old;
	en.kind = "correction";
	en.code = code;
	en.reason = reason;
	en.source_kind = source_kind;
	en.corrects_id = entry_id;
	if (entry_write(d, a, &en, now, id_out) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (!*id_out)
		return dj_fail(e, DJ_CONFLICT, "该条积分刚被他人更正，请刷新后查看");
	char sum[400];
	snprintf(sum, sizeof sum, "更正 #%lld：%lld → %lld 分，%s", (long long)entry_id, (long long)old, (long long)want, reason);
	if (audit_write(d, a, "points.correct", "member", en.member_id, en.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	return DJ_OK;
}

/* What a source has earned, made right after the record changed (issue 12:
 * a volunteer's hours corrected after they were paid). The source's entries
 * are its award and its chain of corrections (each corrects the one before);
 * the sum should be the award's rule version × qty under that version's caps
 * (the day and year of the award, counting the rule's other entries). No
 * award yet: points_award. Otherwise the chain's last entry is corrected by
 * points_correct so that the sum comes out right. */
enum dj_result points_source_set(db *d, const struct actor *a, int64_t member_id, const char *event, const char *source_kind, int64_t source_id,
				 int64_t qty, int64_t at, const char *reason, int64_t now, struct field_errors *e)
{
	if (qty < 0 || qty > 1000)
		return ferr_add(e, "qty", "数量应为 0 到 1000 的整数"), DJ_INVALID;
	int64_t award = 0, award_at = 0, rule_id = 0, sum = 0, tail = 0, tail_points = 0, n = 0;
	db_stmt *s = db_query(d,
			      "SELECT l.id, l.points, COALESCE(l.corrects_id, 0), COALESCE(l.rule_id, 0), l.at, "
			      "(SELECT COUNT(*) FROM points_ledger c WHERE c.corrects_id = l.id) FROM points_ledger l WHERE l.member_id = ? AND "
			      "l.code = ? AND l.source_kind = ? AND l.source_id = ? ORDER BY l.id",
			      "IttI", member_id, event, source_kind, source_id);
	while (db_next(s)) {
		n++;
		sum += db_int(s, 1);
		if (!db_int(s, 2)) {
			award = db_int(s, 0);
			rule_id = db_int(s, 3);
			award_at = db_int(s, 4);
		}
		if (!db_int(s, 5)) {
			tail = db_int(s, 0);
			tail_points = db_int(s, 1);
		}
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (!award)
		return qty ? points_award(d, a, member_id, event, source_kind, source_id, qty, at, e) : DJ_OK;
	int64_t rp = 0, cap_day = 0, cap_year = 0;
	s = db_query(d, "SELECT points, cap_day, cap_year FROM points_rules WHERE id = ?", "I", rule_id);
	bool found = db_next(s);
	if (found) {
		rp = db_int(s, 0);
		cap_day = db_int(s, 1);
		cap_year = db_int(s, 2);
	}
	if (db_done(s) != DB_OK || !found || !tail)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	int64_t want = rp * qty, got_day = 0, got_year = 0;
	/* what the rule's other entries earned on the award's day and in its year */
	if (want > 0 && cap_day > 0 &&
	    !int_of(db_query(d,
			     "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE member_id = ? AND code = ? AND day = ? AND NOT (source_kind = ? "
			     "AND source_id = ?)",
			     "ItItI", member_id, event, day_of(award_at), source_kind, source_id),
		    0, &got_day))
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (want > 0 && cap_year > 0 &&
	    !int_of(db_query(d,
			     "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE member_id = ? AND code = ? AND year = ? AND NOT (source_kind = ? "
			     "AND source_id = ?)",
			     "ItitI", member_id, event, points_year_of(award_at), source_kind, source_id),
		    0, &got_year))
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	char capped[160];
	want = points_capped(want, got_day, cap_day, got_year, cap_year, capped);
	if (want == sum)
		return DJ_OK;
	char value[24];
	snprintf(value, sizeof value, "%lld", (long long)(tail_points + want - sum));
	int64_t id;
	return points_correct(d, a, tail, value, reason, now, &id, e);
}

/* ---- rankings ---- */

/* The org of a ranking: the one named, or the actor's own branch. Staff may
 * rank any org they cover; members and grid workers their own branch. */
static enum dj_result ranking_org(db *d, const struct actor *a, const char *org_code, char path[256], char name[168], struct field_errors *e)
{
	char type[16] = "";
	bool found = false;
	if (org_code && *org_code) {
		db_stmt *s = db_query(d, "SELECT path, name, type FROM orgs WHERE code = ? AND dissolved_at IS NULL", "t", org_code);
		if ((found = db_next(s))) {
			snprintf(path, 256, "%s", db_str(s, 0));
			snprintf(name, 168, "%s", db_str(s, 1));
			snprintf(type, sizeof type, "%s", db_str(s, 2));
		}
		if (db_done(s) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	} else if (*actor_scope(a)) {
		char code[40] = "";
		branch_of(d, actor_scope(a), code, name, path);
		if (!*code) /* the committee, admin: its own subtree */
			snprintf(name, 168, "%s", *a->org_name ? a->org_name : "全部组织");
		found = true;
		snprintf(type, sizeof type, "branch");
	}
	if (!found)
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在或不在您的管辖范围内");
	bool ok = staff(a) ? actor_covers(a, path)
			   : (!strcmp(type, "branch") || !strcmp(type, "general") || !strcmp(type, "group")) && !strncmp(a->org_path, path, strlen(path));
	if (!ok)
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在或不在您的管辖范围内");
	return DJ_OK;
}

/* The ranking of a subtree, whole: every member with its total, most first
 * (ties by id), rank shared by ties. A town's is thousands of rows, read for
 * every page of it, so the last few are kept in memory for as long as
 * nothing they were made from has changed: the ledger (its last id, and how
 * many of the last 1,024 ids there are, which catches an entry committed
 * after a later one on PostgreSQL) and the roster (member_history's last id:
 * every new member, move and change of status writes one). Any node checks
 * the stamp in its own transaction, so a cached ranking is exactly what the
 * query would read. */
#define RANK_SQL                                                                                                                        \
	"SELECT m.id, m.name, o.name, COALESCE(t.points, 0) AS p, COALESCE(t.entries, 0) "                                              \
	"FROM members m JOIN orgs o ON o.id = m.org_id LEFT JOIN points_totals t ON t.member_id = m.id AND t.year = ? AND t.month = ? " \
	"WHERE o.path >= ? AND o.path < ? AND m.status NOT IN ('stopped', 'transferred') ORDER BY p DESC, m.id"
#define RANK_CACHE 16
#define RANK_CACHE_MAX_ROWS 50000 /* a county's is read from the database every time */

struct rank_snap {
	char lo[256];
	int year, month;
	int64_t stamp[3];
	uint64_t used;
	size_t n;
	struct points_rank *rows;
};
static struct rank_snap rank_cache[RANK_CACHE];
static uint64_t rank_clock;
static pthread_mutex_t rank_mu = PTHREAD_MUTEX_INITIALIZER;

static bool rank_stamp(db *d, int64_t st[3])
{
	return int_of(db_query(d, "SELECT MAX(id) FROM points_ledger", ""), 0, &st[0]) &&
	       int_of(db_query(d, "SELECT COUNT(*) FROM points_ledger WHERE id > ?", "I", st[0] - 1024), 0, &st[1]) &&
	       int_of(db_query(d, "SELECT MAX(id) FROM member_history", ""), 0, &st[2]);
}

/* Reads the whole ranking into *rows (malloc'd); false when the query failed. */
static bool rank_read(db *d, const char *lo, const char *hi, int year, int month, struct points_rank **rows, size_t *n)
{
	size_t cap = 0;
	bool oom = false;
	*rows = NULL;
	*n = 0;
	db_stmt *s = db_query(d, RANK_SQL, "iitt", year, month, lo, hi);
	while (db_next(s)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			struct points_rank *nv = realloc(*rows, cap * sizeof **rows);
			if (!nv) {
				oom = true;
				break;
			}
			*rows = nv;
		}
		struct points_rank *row = &(*rows)[(*n)++];
		memset(row, 0, sizeof *row);
		row->member_id = db_int(s, 0);
		snprintf(row->name, sizeof row->name, "%s", db_str(s, 1));
		snprintf(row->org_name, sizeof row->org_name, "%s", db_str(s, 2));
		row->points = db_int(s, 3);
		row->entries = db_int(s, 4);
		row->rank = *n > 1 && row->points == (*rows)[*n - 2].points ? (*rows)[*n - 2].rank : (int64_t)*n;
	}
	if (db_done(s) != DB_OK || oom) {
		free(*rows);
		*rows = NULL;
		return false;
	}
	return true;
}

enum dj_result points_ranking(db *d, const struct actor *a, const char *org_code, int year, int month, int64_t limit, int64_t offset, int64_t *total,
			      char org_name[168], points_rank_fn fn, void *ctx, struct field_errors *e)
{
	*total = 0;
	*org_name = 0;
	if (year < 2000 || year > 2100)
		ferr_add(e, "year", "年份应为 2000 到 2100 之间");
	if (month < 0 || month > 12)
		ferr_add(e, "month", "月份应为 1 到 12（不填为全年）");
	if (e->n)
		return DJ_INVALID;
	char path[256], lo[256], hi[256];
	enum dj_result res = ranking_org(d, a, org_code, path, org_name, e);
	if (res != DJ_OK)
		return res;
	path_range(path, lo, hi);
	int64_t st[3];
	if (!rank_stamp(d, st))
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	/* the page, copied out of the cache (or the database) before it is handed on */
	struct points_rank *page = NULL, *all = NULL;
	size_t n = 0, k = 0;
	pthread_mutex_lock(&rank_mu);
	struct rank_snap *hit = NULL;
	for (int i = 0; i < RANK_CACHE && !hit; i++)
		if (rank_cache[i].rows && rank_cache[i].year == year && rank_cache[i].month == month && !memcmp(rank_cache[i].stamp, st, sizeof st) &&
		    !strcmp(rank_cache[i].lo, lo))
			hit = &rank_cache[i];
	if (hit) {
		hit->used = ++rank_clock;
		n = hit->n;
		size_t from = offset < 0 || (uint64_t)offset > n ? n : (size_t)offset;
		k = limit < 0 || (uint64_t)limit > n - from ? n - from : (size_t)limit;
		page = k ? malloc(k * sizeof *page) : NULL;
		if (page)
			memcpy(page, hit->rows + from, k * sizeof *page);
		else
			k = 0;
	}
	pthread_mutex_unlock(&rank_mu);
	if (!hit) {
		if (!rank_read(d, lo, hi, year, month, &all, &n))
			return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
		size_t from = offset < 0 || (uint64_t)offset > n ? n : (size_t)offset;
		k = limit < 0 || (uint64_t)limit > n - from ? n - from : (size_t)limit;
		page = all + from;
		if (n && n <= RANK_CACHE_MAX_ROWS) {
			pthread_mutex_lock(&rank_mu);
			struct rank_snap *slot = &rank_cache[0];
			for (int i = 1; i < RANK_CACHE; i++)
				if (rank_cache[i].used < slot->used)
					slot = &rank_cache[i];
			free(slot->rows);
			slot->rows = malloc(n * sizeof *slot->rows);
			if (slot->rows) {
				memcpy(slot->rows, all, n * sizeof *all);
				slot->n = n;
				slot->year = year;
				slot->month = month;
				memcpy(slot->stamp, st, sizeof st);
				snprintf(slot->lo, sizeof slot->lo, "%s", lo);
				slot->used = ++rank_clock;
			}
			pthread_mutex_unlock(&rank_mu);
		}
	}
	*total = (int64_t)n;
	for (size_t i = 0; i < k; i++)
		fn(ctx, &page[i]);
	if (hit)
		free(page);
	free(all);
	return DJ_OK;
}

static int cmp_branch(const void *x, const void *y)
{
	const struct points_branch_rank *a = x, *b = y;
	if (a->average != b->average)
		return a->average < b->average ? 1 : -1;
	return a->org_id < b->org_id ? -1 : a->org_id > b->org_id;
}

/* The town's branches by their members' average, from the same stamp as the
 * member rankings: the members' totals summed per org (one pass over the
 * town's roster), each org counted in the branch whose path it lies under. */
#define TOWN_CACHE 8
struct town_snap {
	char lo[256];
	int year;
	int64_t stamp[3];
	uint64_t used;
	size_t n;
	struct points_branch_rank *rows;
};
static struct town_snap town_cache[TOWN_CACHE];

static bool town_read(db *d, const char *lo, const char *hi, int year, struct points_branch_rank **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t nb = 0, cap = 0;
	struct points_branch_rank *v = NULL;
	char(*paths)[256] = NULL;
	bool ok = true;
	db_stmt *s = db_query(
		d, "SELECT id, code, name, path FROM orgs WHERE type = 'branch' AND dissolved_at IS NULL AND path >= ? AND path < ? ORDER BY path", "tt",
		lo, hi);
	while (db_next(s)) {
		if (nb == cap) {
			cap = cap ? cap * 2 : 32;
			struct points_branch_rank *nv = realloc(v, cap * sizeof *v);
			char(*np)[256] = nv ? realloc(paths, cap * sizeof *paths) : NULL;
			if (nv)
				v = nv;
			if (!nv || !np) {
				ok = false;
				break;
			}
			paths = np;
		}
		memset(&v[nb], 0, sizeof v[nb]);
		v[nb].org_id = db_int(s, 0);
		snprintf(v[nb].code, sizeof v[nb].code, "%s", db_str(s, 1));
		snprintf(v[nb].name, sizeof v[nb].name, "%s", db_str(s, 2));
		snprintf(paths[nb], 256, "%s", db_str(s, 3));
		nb++;
	}
	ok &= db_done(s) == DB_OK;
	s = db_query(d,
		     "SELECT o.path, COUNT(*), COALESCE(SUM(t.points), 0) FROM members m JOIN orgs o ON o.id = m.org_id "
		     "LEFT JOIN points_totals t ON t.member_id = m.id AND t.year = ? AND t.month = 0 "
		     "WHERE o.path >= ? AND o.path < ? AND m.status NOT IN ('stopped', 'transferred') GROUP BY o.path",
		     "itt", year, lo, hi);
	while (ok && db_next(s)) {
		const char *path = db_str(s, 0);
		for (size_t b = 0; b < nb; b++)
			if (!strncmp(path, paths[b], strlen(paths[b]))) {
				v[b].members += db_int(s, 1);
				v[b].points += db_int(s, 2);
				break;
			}
	}
	ok &= db_done(s) == DB_OK;
	free(paths);
	if (!ok) {
		free(v);
		return false;
	}
	for (size_t b = 0; b < nb; b++)
		v[b].average = v[b].members ? (double)v[b].points / (double)v[b].members : 0;
	/* branches without members are not ranked */
	size_t k = 0;
	for (size_t b = 0; b < nb; b++)
		if (v[b].members)
			v[k++] = v[b];
	if (k)
		qsort(v, k, sizeof *v, cmp_branch);
	for (size_t i = 0; i < k; i++)
		v[i].rank = i && v[i].average == v[i - 1].average ? v[i - 1].rank : (int64_t)i + 1;
	*out = v;
	*n = k;
	return true;
}

enum dj_result points_town_ranking(db *d, const struct actor *a, const char *org_code, int year, char town_name[168], points_branch_fn fn, void *ctx,
				   struct field_errors *e)
{
	*town_name = 0;
	if (year < 2000 || year > 2100)
		return dj_fail(e, DJ_INVALID, "年份应为 2000 到 2100 之间");
	char path[256] = "";
	bool found = false;
	db_stmt *s = org_code && *org_code
			     ? db_query(d, "SELECT path, name FROM orgs WHERE code = ? AND type = 'committee' AND dissolved_at IS NULL", "t", org_code)
			     : db_query(d,
					"SELECT path, name FROM orgs WHERE type = 'committee' AND ? LIKE path || '%' ORDER BY LENGTH(path) DESC LIMIT 1",
					"t", *a->org_path ? a->org_path : "/");
	if ((found = db_next(s))) {
		snprintf(path, sizeof path, "%s", db_str(s, 0));
		snprintf(town_name, 168, "%s", db_str(s, 1));
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	/* anyone of the town sees how its branches stand; staff above it too */
	if (!found || !(actor_covers(a, path) || (*a->org_path && !strncmp(a->org_path, path, strlen(path)))))
		return dj_fail(e, DJ_NOT_FOUND, "镇党委不存在或不在您的管辖范围内");
	char lo[256], hi[256];
	path_range(path, lo, hi);
	int64_t st[3];
	if (!rank_stamp(d, st))
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	struct points_branch_rank *v = NULL;
	size_t n = 0;
	pthread_mutex_lock(&rank_mu);
	for (int i = 0; i < TOWN_CACHE; i++) {
		struct town_snap *c = &town_cache[i];
		if (c->rows && c->year == year && !memcmp(c->stamp, st, sizeof st) && !strcmp(c->lo, lo)) {
			c->used = ++rank_clock;
			v = malloc(c->n * sizeof *v);
			if (v) {
				memcpy(v, c->rows, c->n * sizeof *v);
				n = c->n;
			}
			break;
		}
	}
	pthread_mutex_unlock(&rank_mu);
	if (!v) {
		if (!town_read(d, lo, hi, year, &v, &n))
			return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
		pthread_mutex_lock(&rank_mu);
		struct town_snap *slot = &town_cache[0];
		for (int i = 1; i < TOWN_CACHE; i++)
			if (town_cache[i].used < slot->used)
				slot = &town_cache[i];
		free(slot->rows);
		slot->rows = n ? malloc(n * sizeof *v) : NULL;
		if (slot->rows) {
			memcpy(slot->rows, v, n * sizeof *v);
			slot->n = n;
			slot->year = year;
			memcpy(slot->stamp, st, sizeof st);
			snprintf(slot->lo, sizeof slot->lo, "%s", lo);
			slot->used = ++rank_clock;
		}
		pthread_mutex_unlock(&rank_mu);
	}
	for (size_t i = 0; i < n; i++)
		fn(ctx, &v[i]);
	free(v);
	return DJ_OK;
}

struct xrow {
	lxw_worksheet *ws;
	lxw_row_t row;
};

static void xlsx_rank(void *ctx, const struct points_rank *r)
{
	struct xrow *x = ctx;
	worksheet_write_number(x->ws, x->row, 0, (double)r->rank, NULL);
	worksheet_write_number(x->ws, x->row, 1, (double)r->member_id, NULL);
	worksheet_write_string(x->ws, x->row, 2, r->name, NULL);
	worksheet_write_string(x->ws, x->row, 3, r->org_name, NULL);
	worksheet_write_number(x->ws, x->row, 4, (double)r->points, NULL);
	worksheet_write_number(x->ws, x->row, 5, (double)r->entries, NULL);
	x->row++;
}

enum dj_result points_ranking_export(db *d, const struct actor *a, const char *org_code, int year, int month, const char *path, int64_t *rows,
				     struct field_errors *e)
{
	*rows = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	lxw_doc_properties props = {.title = "党员积分排名", .author = "dangjian"};
	workbook_set_properties(wb, &props);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "积分排名");
	static const char *const headers[] = {"名次", "党员编号", "姓名", "所在组织", "积分", "明细条数"};
	for (int c = 0; c < 6; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, headers[c], bold);
	worksheet_set_column(ws, 2, 2, 12, NULL);
	worksheet_set_column(ws, 3, 3, 28, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	struct xrow x = {ws, 1};
	char org_name[168];
	enum dj_result res = points_ranking(d, a, org_code, year, month, 1000000, 0, rows, org_name, xlsx_rank, &x, e);
	lxw_error err = workbook_close(wb);
	if (res != DJ_OK)
		return res;
	if (err != LXW_NO_ERROR) {
		fprintf(stderr, "dangjian: points export: %s\n", lxw_strerror(err));
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	}
	char sum[300];
	if (month)
		snprintf(sum, sizeof sum, "%s %d年%d月积分排名，%lld 人", org_name, year, month, (long long)*rows);
	else
		snprintf(sum, sizeof sum, "%s %d年积分排名，%lld 人", org_name, year, (long long)*rows);
	if (audit_write(d, a, "points.export", "org", 0, a->org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	return DJ_OK;
}

/* ---- manual adjustments ---- */

const char *const points_adjustment_states[] = {"pending", "待审批", "approved", "已批准", "rejected", "已驳回", NULL};

#define ADJ_SELECT                                                                                                                             \
	"SELECT j.id, j.member_id, j.points, COALESCE(j.proposed_by, 0), COALESCE(j.decided_by, 0), COALESCE(j.ledger_id, 0), j.proposed_at, " \
	"COALESCE(j.decided_at, 0), m.name, o.name, j.reason, j.state, j.proposer, j.decider, j.decision_note, o.path "                        \
	"FROM points_adjustments j JOIN members m ON m.id = j.member_id JOIN orgs o ON o.id = m.org_id "

static void adj_fill(db_stmt *s, struct points_adjustment *j, char path[256])
{
	memset(j, 0, sizeof *j);
	j->id = db_int(s, 0);
	j->member_id = db_int(s, 1);
	j->points = db_int(s, 2);
	j->proposed_by = db_int(s, 3);
	j->decided_by = db_int(s, 4);
	j->ledger_id = db_int(s, 5);
	j->proposed_at = db_int(s, 6);
	j->decided_at = db_int(s, 7);
	snprintf(j->member_name, sizeof j->member_name, "%s", db_str(s, 8));
	snprintf(j->org_name, sizeof j->org_name, "%s", db_str(s, 9));
	snprintf(j->reason, sizeof j->reason, "%s", db_str(s, 10));
	snprintf(j->state, sizeof j->state, "%s", db_str(s, 11));
	snprintf(j->proposer, sizeof j->proposer, "%s", db_str(s, 12));
	snprintf(j->decider, sizeof j->decider, "%s", db_str(s, 13));
	snprintf(j->decision_note, sizeof j->decision_note, "%s", db_str(s, 14));
	snprintf(path, 256, "%s", db_str(s, 15));
}

bool points_adjustment_load(db *d, const struct actor *a, int64_t id, struct points_adjustment *out)
{
	char path[256] = "";
	db_stmt *s = db_query(d, ADJ_SELECT "WHERE j.id = ?", "I", id);
	bool found = db_next(s);
	if (found)
		adj_fill(s, out, path);
	db_done(s);
	return found && staff(a) && actor_covers(a, path);
}

enum dj_result points_adjust_propose(db *d, const struct actor *a, int64_t member_id, const char *points, const char *reason, int64_t now, int64_t *id_out,
				     struct field_errors *e)
{
	*id_out = 0;
	if (!permission_allows(&perm_points_propose, a) && a->role != A_SYSTEM && strcmp(a->username, "cli"))
		return dj_fail(e, DJ_FORBIDDEN, "只有支部书记或镇党委可以提出积分调整");
	struct pmember m;
	int mf = member_id > 0 ? member_load(d, member_id, &m) : 0;
	if (mf < 0)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	/* outside the subtree it does not exist: the same message either way */
	if (!mf || !actor_covers(a, m.path)) {
		ferr_add(e, "member", "党员不存在或不在您的管辖范围内");
		return DJ_INVALID;
	}
	int64_t p = 0;
	if (!int_field(points, -50, 50, &p) || !p)
		ferr_add(e, "points", "调整分值应为 -50 到 50 之间、不为 0 的整数");
	if (!text_ok(reason, 200))
		ferr_add(e, "reason", "请写明调整理由（200 字以内）");
	if (e->n)
		return DJ_INVALID;
	db_stmt *s = db_query(d,
			      "INSERT INTO points_adjustments (member_id, org_id, points, reason, state, proposed_by, proposer, proposed_at) "
			      "VALUES (?, ?, ?, ?, 'pending', NULLIF(?, 0), ?, ?) RETURNING id",
			      "IIItItI", m.id, m.org_id, p, reason, a->user_id, a->label, now);
	*id_out = db_next(s) ? db_int(s, 0) : 0;
	if (db_done(s) != DB_OK || !*id_out)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	char sum[400];
	snprintf(sum, sizeof sum, "%s %+lld 分：%s", m.name, (long long)p, reason);
	if (audit_write(d, a, "points.propose", "member", m.id, m.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	return DJ_OK;
}

enum dj_result points_adjust_decide(db *d, const struct actor *a, int64_t id, bool approve, const char *note, int64_t now, struct field_errors *e)
{
	if (!permission_allows(&perm_points_approve, a) && a->role != A_SYSTEM && strcmp(a->username, "cli"))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能审批积分调整");
	struct points_adjustment j;
	char path[256] = "";
	db_stmt *s = db_query(d, ADJ_SELECT "WHERE j.id = ?", "I", id);
	bool found = db_next(s);
	if (found)
		adj_fill(s, &j, path);
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (!found || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "积分调整不存在或不在您的管辖范围内");
	/* four eyes: whoever proposed it never decides it */
	if (j.proposed_by == a->user_id && (a->user_id || !strcmp(j.proposer, a->label)))
		return dj_fail(e, DJ_FORBIDDEN, "不能审批自己提出的积分调整，请由其他支部委员或镇党委审批");
	if (strcmp(j.state, "pending"))
		return dj_fail(e, DJ_CONFLICT, "该调整已%s，不能再审批", approve ? "处理" : "处理");
	note = note ? note : "";
	if (!approve && !text_ok(note, 200))
		ferr_add(e, "note", "请写明驳回理由（200 字以内）");
	else if (*note && !text_ok(note, 200))
		ferr_add(e, "note", "审批意见不能超过 200 个字");
	if (e->n)
		return DJ_INVALID;
	if (db_run(d,
		   "UPDATE points_adjustments SET state = ?, decided_by = NULLIF(?, 0), decider = ?, decided_at = ?, decision_note = ? "
		   "WHERE id = ? AND state = 'pending'",
		   "tItItI", approve ? "approved" : "rejected", a->user_id, a->label, now, note, id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (db_changes(d) != 1)
		return dj_fail(e, DJ_CONFLICT, "该调整刚被他人处理，请刷新后查看");
	struct pmember m;
	if (member_load(d, j.member_id, &m) != 1)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	if (approve) {
		struct entry en = {.member_id = j.member_id,
				   .org_id = m.org_id,
				   .qty = 1,
				   .points = j.points,
				   .at = now,
				   .kind = "adjustment",
				   .code = "adjustment",
				   .reason = j.reason,
				   .source_kind = "adjustment",
				   .source_id = id};
		int64_t lid;
		if (entry_write(d, a, &en, now, &lid) != DB_OK || !lid)
			return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
		if (db_run(d, "UPDATE points_adjustments SET ledger_id = ? WHERE id = ?", "II", lid, id) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	}
	char sum[600];
	snprintf(sum, sizeof sum, "%s %+lld 分（%s 提出）%s%s", j.member_name, (long long)j.points, j.proposer, *note ? "：" : "", note);
	if (audit_write(d, a, approve ? "points.approve" : "points.reject", "member", j.member_id, m.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	return DJ_OK;
}

enum dj_result points_adjustments_each(db *d, const struct actor *a, const char *state, points_adjustment_fn fn, void *ctx, struct field_errors *e)
{
	if (!staff(a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能查看积分调整");
	state = state && *state ? state : NULL;
	if (state && !pair_label(points_adjustment_states, state)) {
		ferr_add(e, "state", "状态只能是 pending、approved 或 rejected");
		return DJ_INVALID;
	}
	char lo[256], hi[256];
	path_range(actor_scope(a), lo, hi);
	db_stmt *s = db_query(d, ADJ_SELECT "WHERE o.path >= ? AND o.path < ? AND (CAST(? AS TEXT) IS NULL OR j.state = ?) ORDER BY j.id DESC LIMIT 500",
			      "tttt", lo, hi, state, state);
	while (db_next(s)) {
		struct points_adjustment j;
		char path[256];
		adj_fill(s, &j, path);
		fn(ctx, &j);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, DB_FAILED);
	return DJ_OK;
}

void points_members_each(db *d, const struct actor *a, points_member_fn fn, void *ctx)
{
	char lo[256], hi[256];
	path_range(actor_scope(a), lo, hi);
	db_stmt *s = db_query(d,
			      "SELECT m.id, m.name, o.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path >= ? AND o.path < ? "
			      "AND m.status NOT IN ('stopped', 'transferred') ORDER BY o.path, m.id LIMIT 1000",
			      "tt", lo, hi);
	while (db_next(s))
		fn(ctx, db_int(s, 0), db_str(s, 1), db_str(s, 2));
	db_done(s);
}

int64_t points_entry_member(db *d, int64_t entry_id) { return db_int1(d, 0, "SELECT member_id FROM points_ledger WHERE id = ?", "I", entry_id); }

void points_rank_orgs_each(db *d, const struct actor *a, points_org_fn fn, void *ctx)
{
	char lo[256], hi[256];
	path_range(actor_scope(a), lo, hi);
	db_stmt *s = db_query(d,
			      "SELECT id, code, name FROM orgs WHERE path >= ? AND path < ? AND type IN ('committee', 'general', 'branch') "
			      "AND dissolved_at IS NULL ORDER BY path LIMIT 300",
			      "tt", lo, hi);
	while (db_next(s))
		fn(ctx, db_int(s, 0), db_str(s, 1), db_str(s, 2));
	db_done(s);
}

#define TOTALS_STORED "SELECT member_id, year, month, points, entries FROM points_totals"
#define TOTALS_RECOUNT                                                                                                      \
	"SELECT * FROM (SELECT member_id, year, 0 AS month, SUM(points) AS points, COUNT(*) AS entries FROM points_ledger " \
	"GROUP BY member_id, year UNION ALL SELECT member_id, year, month, SUM(points), COUNT(*) FROM points_ledger "       \
	"GROUP BY member_id, year, month) r"

int points_totals_check(db *d, FILE *out)
{
	db_stmt *s = db_query(d,
			      "SELECT 1, x.* FROM (" TOTALS_STORED " EXCEPT " TOTALS_RECOUNT ") x "
			      "UNION ALL SELECT 2, y.* FROM (" TOTALS_RECOUNT " EXCEPT " TOTALS_STORED ") y ORDER BY 2, 3, 4, 1",
			      "");
	int diffs = 0;
	int64_t last[3] = {-1, -1, -1};
	while (db_next(s)) {
		/* a row that differs shows twice, stored and recounted: one difference */
		if (db_int(s, 1) != last[0] || db_int(s, 2) != last[1] || db_int(s, 3) != last[2])
			diffs++;
		last[0] = db_int(s, 1), last[1] = db_int(s, 2), last[2] = db_int(s, 3);
		fprintf(out, "points_totals member %lld year %lld month %lld: %s points=%lld entries=%lld\n", (long long)db_int(s, 1),
			(long long)db_int(s, 2), (long long)db_int(s, 3), db_int(s, 0) == 1 ? "stored   " : "recounted", (long long)db_int(s, 4),
			(long long)db_int(s, 5));
	}
	if (db_done(s) != DB_OK) {
		fprintf(out, "points_totals: %s\n", db_errmsg(d));
		return -1;
	}
	return diffs;
}
