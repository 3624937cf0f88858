/* points — party-member points (SPEC M6, issue 11). */
#include "points.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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
	int64_t seen, got;
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
	int64_t points = r.points * qty;
	char reason[160] = "";
	/* the caps (学习强国's daily limits): what is left of the day's and the
	 * year's, for the points a rule gives; a penalty has none */
	if (points > 0 && r.cap_day > 0) {
		if (!int_of(db_query(d, "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE member_id = ? AND code = ? AND day = ?", "ItI",
				     member_id, event, day_of(at)),
			    0, &got))
			return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
		if (got + points > r.cap_day) {
			points = got >= r.cap_day ? 0 : r.cap_day - got;
			snprintf(reason, sizeof reason, "已达每日上限 %lld 分%s", (long long)r.cap_day, points ? "，按剩余分值计" : "，本次不计分");
		}
	}
	if (points > 0 && r.cap_year > 0) {
		if (!int_of(db_query(d, "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE member_id = ? AND code = ? AND year = ?", "Iti",
				     member_id, event, points_year_of(at)),
			    0, &got))
			return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
		if (got + points > r.cap_year) {
			points = got >= r.cap_year ? 0 : r.cap_year - got;
			snprintf(reason, sizeof reason, "已达年度上限 %lld 分%s", (long long)r.cap_year, points ? "，按剩余分值计" : "，本次不计分");
		}
	}
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
