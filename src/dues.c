/* dues — 党费 (issue 18 §1–4, SPEC M12): rates, bases, monthly dues,
 * payments with receipts, reductions, arrears, ledger and 上缴. */
#include "dues.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "audit.h"
#include "buf.h"
#include "notify.h"
#include "sheet.h"
#include "util.h"
#include "valid.h"

const struct permission perm_dues_view = {"dues.view", "查看党费台账、欠缴名单（党员看本人）", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_dues_edit = {"dues.edit", "登记党费基数、收缴党费、申请减免、上缴", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_dues_approve = {"dues.approve", "调整党费标准、审批减免", R_ADMIN | R_COMMITTEE};

const char *const dues_categories[] = {
	"in_service", "在职", "retired", "离退休", "farmer", "农民", "student", "学生", "unemployed", "下岗失业", "other", "其他", NULL,
};

const char *dues_category_label(const char *key)
{
	for (const char *const *p = dues_categories; key && *p; p += 2)
		if (!strcmp(p[0], key))
			return p[1];
	return key ? key : "";
}

static bool category_known(const char *key)
{
	for (const char *const *p = dues_categories; key && *p; p += 2)
		if (!strcmp(p[0], key) || !strcmp(p[1], key))
			return true;
	return false;
}

/* The key of a category given as a key or its label. */
static const char *category_key(const char *k)
{
	for (const char *const *p = dues_categories; k && *p; p += 2)
		if (!strcmp(p[0], k) || !strcmp(p[1], k))
			return p[0];
	return NULL;
}

bool dues_category_flat(const char *key) { return key && (!strcmp(key, "farmer") || !strcmp(key, "student") || !strcmp(key, "unemployed")); }

/* The whole base at its band's rate, half up to the fen: (base × bp + 5000) / 10000. */
static int64_t at_rate(int64_t base_fen, int64_t bp) { return (base_fen * bp + 5000) / 10000; }

bool dues_amount(const struct dues_rate *r, const char *category, int64_t base_fen, int64_t flat_fen, int64_t *out)
{
	if (!category_known(category) || base_fen < 0)
		return false;
	category = category_key(category);
	if (dues_category_flat(category)) {
		if (flat_fen < r->flat_min || flat_fen > r->flat_max)
			return false;
		*out = flat_fen;
		return true;
	}
	if (!strcmp(category, "retired")) {
		*out = at_rate(base_fen, base_fen <= r->r1_upto ? r->r1_bp : r->r2_bp);
		return true;
	}
	int64_t bp = base_fen <= r->s1_upto ? r->s1_bp : base_fen <= r->s2_upto ? r->s2_bp : base_fen <= r->s3_upto ? r->s3_bp : r->s4_bp;
	*out = at_rate(base_fen, bp);
	return true;
}

bool dues_parse_yuan(const char *s, int64_t *fen)
{
	if (!s)
		return false;
	while (*s == ' ')
		s++;
	int64_t y = 0, f = 0;
	int digits = 0, dec = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 9)
			return false;
		y = y * 10 + (*p - '0');
	}
	if (!digits)
		return false;
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (++dec > 2)
				return false;
			f = f * 10 + (*p - '0');
		}
		if (!dec)
			return false;
		if (dec == 1)
			f *= 10;
	}
	while (*p == ' ')
		p++;
	if (*p)
		return false;
	*fen = y * 100 + f;
	return true;
}

bool dues_money_field(const char *v, const char *field, const char *label, int64_t *fen, struct field_errors *e)
{
	*fen = 0;
	if (!v || !*v)
		return true;
	if (!dues_parse_yuan(v, fen)) {
		ferr_add(e, field, "%s：请填写不小于 0 的金额，如 45 或 45.50", label);
		return false;
	}
	return true;
}

void dues_fmt_yuan(int64_t fen, char out[32])
{
	snprintf(out, 32, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)(llabs(fen) / 100), (long long)(llabs(fen) % 100));
}

/* 中文大写金额 by the rules for bills (正确填写票据和结算凭证的基本规定):
 * 零 written once for a run of zeros inside the number, none for zeros at the
 * end of a section (万, 亿) or before 元; 整 after 元 when there are no 角 or 分. */
void dues_yuan_capital(int64_t fen, char *out, size_t n)
{
	static const char *const digit[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
	static const char *const unit[] = {"", "拾", "佰", "仟"};
	static const char *const section[] = {"", "万", "亿", "万"};
	buf b = {0};
	if (fen < 0) {
		buf_puts(&b, "负");
		fen = -fen;
	}
	int64_t yuan = fen / 100;
	int jiao = (int)(fen / 10 % 10), cent = (int)(fen % 10);
	char ds[24];
	int len = snprintf(ds, sizeof ds, "%lld", (long long)yuan);
	bool zero = false, any_in_section = false;
	for (int i = 0; yuan && i < len; i++) {
		int pos = len - 1 - i, dg = ds[i] - '0';
		if (dg == 0) {
			zero = true;
		} else {
			if (zero && b.len)
				buf_puts(&b, "零");
			zero = false;
			buf_puts(&b, digit[dg]);
			buf_puts(&b, unit[pos % 4]);
			any_in_section = true;
		}
		if (pos % 4 == 0 && pos > 0) {
			if (any_in_section)
				buf_puts(&b, section[(pos / 4) % 4]);
			any_in_section = false;
		}
	}
	if (yuan)
		buf_puts(&b, "元");
	if (!jiao && !cent)
		buf_puts(&b, yuan ? "整" : "零元整");
	else {
		if (jiao) {
			buf_puts(&b, digit[jiao]);
			buf_puts(&b, "角");
		} else if (yuan)
			buf_puts(&b, "零"); /* 壹拾元零伍分 */
		if (cent) {
			buf_puts(&b, digit[cent]);
			buf_puts(&b, "分");
		}
	}
	snprintf(out, n, "%s", buf_str(&b));
	buf_free(&b);
}

bool dues_month_valid(const char *m)
{
	if (!m || strlen(m) != 7 || m[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (m[i] < '0' || m[i] > '9'))
			return false;
	int y = atoi(m), mo = atoi(m + 5);
	return y >= 1950 && y <= 2200 && mo >= 1 && mo <= 12;
}

void dues_month_add(const char *m, int n, char out[8])
{
	int y = atoi(m), mo = atoi(m + 5) - 1 + n;
	y += mo >= 0 ? mo / 12 : -((11 - mo) / 12);
	mo = ((mo % 12) + 12) % 12;
	char t[32];
	snprintf(t, sizeof t, "%04d-%02d", y % 10000, mo + 1);
	memcpy(out, t, 7), out[7] = 0;
}

void dues_month_of(int64_t t, char out[8])
{
	time_t s = (time_t)(t + 8 * 3600);
	struct tm tm;
	gmtime_r(&s, &tm);
	char b[32];
	snprintf(b, sizeof b, "%04d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100);
	memcpy(out, b, 7), out[7] = 0;
}

/* ---- rates ---- */

#define RATE_COLS "id, since, s1_upto, s1_bp, s2_upto, s2_bp, s3_upto, s3_bp, s4_bp, r1_upto, r1_bp, r2_bp, flat_min, flat_max"

static void rate_row(db_stmt *s, struct dues_rate *r)
{
	r->id = db_int(s, 0);
	snprintf(r->since, sizeof r->since, "%s", db_str(s, 1));
	int64_t *v[] = {&r->s1_upto, &r->s1_bp,   &r->s2_upto, &r->s2_bp, &r->s3_upto,  &r->s3_bp,
			&r->s4_bp,   &r->r1_upto, &r->r1_bp,   &r->r2_bp, &r->flat_min, &r->flat_max};
	for (int i = 0; i < 12; i++)
		*v[i] = db_int(s, i + 2);
}

bool dues_rate_for(db *d, const char *month, struct dues_rate *r)
{
	char m[8], day[11];
	if (!month)
		dues_month_of(now_unix(), m);
	else
		snprintf(m, sizeof m, "%s", month);
	snprintf(day, sizeof day, "%s-01", m);
	db_stmt *s = db_query(d, "SELECT " RATE_COLS " FROM dues_rates WHERE since <= ? ORDER BY since DESC LIMIT 1", "t", day);
	bool ok = db_next(s);
	if (ok)
		rate_row(s, r);
	return db_done(s) == DB_OK && ok;
}

void dues_rates_each(db *d, void (*fn)(void *ctx, const struct dues_rate *r), void *ctx)
{
	db_stmt *s = db_query(d, "SELECT " RATE_COLS " FROM dues_rates ORDER BY since DESC", "");
	while (db_next(s)) {
		struct dues_rate r;
		rate_row(s, &r);
		fn(ctx, &r);
	}
	db_done(s);
}

enum dj_result dues_rate_add(db *d, const struct actor *a, const struct dues_rate *r, struct field_errors *e)
{
	if (!permission_allows(&perm_dues_approve, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以调整党费标准");
	if (!date_valid(r->since))
		ferr_add(e, "since", "生效日期：请填写有效的日期，格式 YYYY-MM-DD");
	if (!(r->s1_upto > 0 && r->s1_upto < r->s2_upto && r->s2_upto < r->s3_upto))
		ferr_add(e, "bands", "收入档次：上限应为正数并逐档递增");
	if (r->r1_upto <= 0)
		ferr_add(e, "r1_upto", "离退休档次上限应为正数");
	int64_t bps[] = {r->s1_bp, r->s2_bp, r->s3_bp, r->s4_bp, r->r1_bp, r->r2_bp};
	for (int i = 0; i < 6; i++)
		if (bps[i] < 0 || bps[i] > 1000) {
			ferr_add(e, "rates", "比例应在 0 到 10%% 之间");
			break;
		}
	if (r->flat_min < 0 || r->flat_max < r->flat_min || r->flat_max > 100000)
		ferr_add(e, "flat", "定额范围不正确");
	if (e->n)
		return DJ_INVALID;
	if (db_int1(d, 0, "SELECT COUNT(*) FROM dues_rates WHERE since = ?", "t", r->since) > 0)
		return dj_fail(e, DJ_CONFLICT, "该日期已有一版党费标准");
	int64_t id = db_int1(d, 0,
			     "INSERT INTO dues_rates (since, s1_upto, s1_bp, s2_upto, s2_bp, s3_upto, s3_bp, s4_bp, r1_upto, r1_bp, r2_bp, flat_min, "
			     "flat_max, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			     "tIIIIIIIIIIIIII", r->since, r->s1_upto, r->s1_bp, r->s2_upto, r->s2_bp, r->s3_upto, r->s3_bp, r->s4_bp, r->r1_upto, r->r1_bp,
			     r->r2_bp, r->flat_min, r->flat_max, a->user_id, now_unix());
	char sum[120];
	snprintf(sum, sizeof sum, "党费标准 自 %s 起", r->since);
	if (!id || audit_write(d, a, "dues.rate", "dues_rate", id, a->org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

/* ---- members in scope ---- */

int64_t dues_member_of_user(db *d, int64_t user_id)
{
	if (!user_id)
		return 0;
	return db_int1(d, 0, "SELECT id FROM members WHERE user_id = ? ORDER BY id LIMIT 1", "I", user_id);
}

/* Loads a member's org and path; visible: the actor's subtree for staff,
 * the member's own record for a member account. */
static enum dj_result member_scope(db *d, const struct actor *a, int64_t member_id, bool edit, char name[96], int64_t *org_id, char org_name[128],
				   char status[16], struct field_errors *e)
{
	db_stmt *s = db_query(d, "SELECT m.name, m.org_id, o.path, o.name, m.status FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?", "I",
			      member_id);
	bool found = db_next(s), visible = false;
	if (found) {
		if (name)
			snprintf(name, 96, "%s", db_str(s, 0));
		if (org_id)
			*org_id = db_int(s, 1);
		if (org_name)
			snprintf(org_name, 128, "%s", db_str(s, 3));
		if (status)
			snprintf(status, 16, "%s", db_str(s, 4));
		visible = permission_allows(&perm_dues_view, a) ? actor_covers(a, db_str(s, 2)) : (a->role == A_SYSTEM);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	/* 我的党费: a member's own record, and a grid worker's (the navigation offers it to both) */
	if (found && !visible && !edit && (a->role & (R_MEMBER | R_GRID)) && dues_member_of_user(d, a->user_id) == member_id)
		visible = true;
	if (!found || !visible) {
		ferr_add(e, "member_id", "党员不存在或不在您的管辖范围内");
		return DJ_NOT_FOUND;
	}
	if (edit && !permission_allows(&perm_dues_edit, a) && a->role != A_SYSTEM)
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能办理党费");
	return DJ_OK;
}

enum dj_result dues_member_brief(db *d, const struct actor *a, int64_t member_id, char name[96], char org_name[128], int64_t *org_id,
				 struct field_errors *e)
{
	return member_scope(d, a, member_id, false, name, org_id, org_name, NULL, e);
}

bool dues_org_in_scope(db *d, const struct actor *a, const char *code, int64_t *id, char path[256])
{
	db_stmt *s = db_query(d, "SELECT id, path FROM orgs WHERE code = ?", "t", code ? code : "");
	bool ok = db_next(s) && actor_covers(a, db_str(s, 1));
	if (ok) {
		*id = db_int(s, 0);
		snprintf(path, 256, "%s", db_str(s, 1));
	}
	db_done(s);
	return ok;
}

/* The branch an org's members belong to for notices: a 党小组's parent. */
static int64_t branch_of(db *d, int64_t org_id)
{
	return db_int1(d, org_id, "SELECT CASE WHEN type = 'group' THEN parent_id ELSE id END FROM orgs WHERE id = ?", "I", org_id);
}

/* ---- bases ---- */

enum dj_result dues_base_set(db *d, const struct actor *a, int64_t member_id, const char *since, const char *category, int64_t base_fen, int64_t flat_fen,
			     struct field_errors *e)
{
	char name[96];
	int64_t org_id;
	enum dj_result res = member_scope(d, a, member_id, true, name, &org_id, NULL, NULL, e);
	if (res != DJ_OK)
		return res;
	if (!dues_month_valid(since))
		ferr_add(e, "since", "起始月份：请填写有效的月份，格式 YYYY-MM");
	const char *cat = category_key(category);
	if (!cat)
		ferr_add(e, "category", "类别应为：在职、离退休、农民、学生、下岗失业、其他");
	if (base_fen < 0)
		ferr_add(e, "base", "月工资基数不能为负数");
	else if (base_fen > 100000000)
		ferr_add(e, "base", "月工资基数过大");
	if (e->n)
		return DJ_INVALID;
	struct dues_rate r;
	int64_t amount;
	if (!dues_rate_for(d, since, &r))
		return dj_fail(e, DJ_INVALID, "该月份没有适用的党费标准");
	if (dues_category_flat(cat) && !dues_amount(&r, cat, base_fen, flat_fen, &amount)) {
		char lo[32], hi[32];
		dues_fmt_yuan(r.flat_min, lo), dues_fmt_yuan(r.flat_max, hi);
		ferr_add(e, "flat", "定额应在 %s 元到 %s 元之间", lo, hi);
		return DJ_INVALID;
	}
	if (!dues_category_flat(cat))
		flat_fen = 0;
	int64_t now = now_unix();
	if (db_run(d, "DELETE FROM dues_bases WHERE member_id = ? AND since = ?", "It", member_id, since) != DB_OK ||
	    db_run(d, "INSERT INTO dues_bases (member_id, since, category, base_fen, flat_fen, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		   "IttIIII", member_id, since, cat, dues_category_flat(cat) ? 0 : base_fen, flat_fen, a->user_id, now) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	char sum[200], y[32];
	dues_fmt_yuan(dues_category_flat(cat) ? flat_fen : base_fen, y);
	snprintf(sum, sizeof sum, "%s：%s起 %s %s 元", name, since, dues_category_label(cat), y);
	if (audit_write(d, a, "dues.base", "member", member_id, org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

/* ---- generating months ---- */

/* Makes one member's row for month when a base is in force (and an approved
 * reduction applies). Returns 1 made, 0 nothing to do, -1 failure. */
static int month_make(db *d, int64_t member_id, int64_t org_id, const char *month)
{
	if (db_int1(d, 0, "SELECT COUNT(*) FROM dues_months WHERE member_id = ? AND month = ?", "It", member_id, month) > 0)
		return 0;
	/* a member transferred out of the county pays no dues here any more */
	if (db_int1(d, 0, "SELECT COUNT(*) FROM members WHERE id = ? AND status = 'transferred'", "I", member_id) > 0)
		return 0;
	db_stmt *s = db_query(d, "SELECT category, base_fen, flat_fen FROM dues_bases WHERE member_id = ? AND since <= ? ORDER BY since DESC LIMIT 1",
			      "It", member_id, month);
	char cat[16] = "";
	int64_t base = 0, flat = 0;
	if (db_next(s)) {
		snprintf(cat, sizeof cat, "%s", db_str(s, 0));
		base = db_int(s, 1);
		flat = db_int(s, 2);
	}
	if (db_done(s) != DB_OK)
		return -1;
	struct dues_rate r;
	int64_t due;
	if (!*cat || !dues_rate_for(d, month, &r) || !dues_amount(&r, cat, base, flat, &due))
		return 0;
	int64_t red_id = 0, reduced = 0;
	s = db_query(d,
		     "SELECT id, kind, amount_fen FROM dues_reductions WHERE member_id = ? AND state = 'approved' AND from_month <= ? AND to_month >= ? "
		     "ORDER BY id DESC LIMIT 1",
		     "Itt", member_id, month, month);
	if (db_next(s)) {
		red_id = db_int(s, 0);
		reduced = !strcmp(db_str(s, 1), "waive") ? due : due - (db_int(s, 2) < due ? db_int(s, 2) : due);
	}
	if (db_done(s) != DB_OK)
		return -1;
	int rc = db_run(d,
			"INSERT INTO dues_months (member_id, org_id, month, category, base_fen, rate_id, due_fen, reduced_fen, status, reduction_id, "
			"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"IIttIIIItII", member_id, org_id, month, cat, base, r.id, due, reduced, due - reduced == 0 ? "waived" : "owing", red_id,
			now_unix());
	return rc == DB_OK ? 1 : -1;
}

enum dj_result dues_generate(db *d, const struct actor *a, const char *path, const char *month, int *made, struct field_errors *e)
{
	*made = 0;
	if (!permission_allows(&perm_dues_edit, a) && a->role != A_SYSTEM)
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能生成党费");
	if (!dues_month_valid(month)) {
		ferr_add(e, "month", "月份：请填写有效的月份，格式 YYYY-MM");
		return DJ_INVALID;
	}
	if (!path || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不在您的管辖范围内");
	/* the ids first: month_make runs statements of its own */
	size_t n = 0, cap = 0;
	int64_t *ids = NULL;
	db_stmt *s = db_query(d,
			      /* driven by the bases, so the minute's task costs nothing where nobody has one */
			      "SELECT m.id, m.org_id FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id IN (SELECT b.member_id FROM dues_bases b "
			      "WHERE b.since <= ?) AND o.path LIKE ? || '%' AND m.status NOT IN ('stopped', 'transferred') "
			      "AND NOT EXISTS (SELECT 1 FROM dues_months x WHERE x.member_id = m.id AND x.month = ?) ORDER BY m.id",
			      "ttt", month, path, month);
	while (db_next(s)) {
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 256;
			int64_t *v = realloc(ids, cap * sizeof *ids);
			if (!v)
				break;
			ids = v;
		}
		ids[n++] = db_int(s, 0);
		ids[n++] = db_int(s, 1);
	}
	if (db_done(s) != DB_OK) {
		free(ids);
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	}
	for (size_t i = 0; i < n; i += 2) {
		int rc = month_make(d, ids[i], ids[i + 1], month);
		if (rc < 0) {
			free(ids);
			return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
		}
		*made += rc;
	}
	free(ids);
	if (*made) {
		char sum[120];
		snprintf(sum, sizeof sum, "%s 党费 %d 人", month, *made);
		if (audit_write(d, a, "dues.generate", "dues", 0, a->org_id, sum) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	}
	return DJ_OK;
}

/* ---- payments ---- */

static int month_cmp(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

enum dj_result dues_pay(db *d, const struct actor *a, const struct dues_pay *p, int64_t *payment_id, struct field_errors *e)
{
	char name[96], status[16];
	int64_t org_id;
	enum dj_result res = member_scope(d, a, p->member_id, true, name, &org_id, NULL, status, e);
	if (res != DJ_OK)
		return res;
	const char *method = p->method ? p->method : "";
	if (strcmp(method, "cash") && strcmp(method, "transfer") && strcmp(method, "proxy"))
		ferr_add(e, "method", "缴纳方式应为：现金、转账、代缴");
	char payer[96] = "";
	if (!strcmp(method, "proxy")) {
		if (!p->payer_member_id || p->payer_member_id == p->member_id)
			ferr_add(e, "payer_member_id", "代缴：请选择代为缴纳的党员（不能是本人）");
		else {
			db_stmt *s = db_query(d, "SELECT name FROM members WHERE id = ?", "I", p->payer_member_id);
			if (db_next(s))
				snprintf(payer, sizeof payer, "%s", db_str(s, 0));
			db_done(s);
			if (!*payer)
				ferr_add(e, "payer_member_id", "代缴人不存在");
		}
	}
	if (p->nmonths <= 0)
		ferr_add(e, "months", "请选择要缴纳的月份");
	const char *months[24];
	int nm = p->nmonths > 24 ? 24 : p->nmonths;
	char cur[8], last[8];
	dues_month_of(now_unix(), cur);
	dues_month_add(cur, 12, last);
	for (int i = 0; i < nm; i++) {
		months[i] = p->months[i];
		if (!dues_month_valid(months[i])) {
			ferr_add(e, "months", "月份格式应为 YYYY-MM");
			break;
		}
		if (strcmp(months[i], last) > 0) {
			ferr_add(e, "months", "最多预缴到 %s", last);
			break;
		}
	}
	if (p->amount_fen < 0)
		ferr_add(e, "amount", "金额不能为负数");
	const char *paid_on = p->paid_on && *p->paid_on ? p->paid_on : NULL;
	char td[11];
	today(td);
	if (paid_on && (!date_valid(paid_on) || strcmp(paid_on, td) > 0))
		ferr_add(e, "paid_on", "缴纳日期：请填写不晚于今天的有效日期");
	if (e->n)
		return DJ_INVALID;
	qsort(months, (size_t)nm, sizeof months[0], month_cmp);
	for (int i = 1; i < nm; i++)
		if (!strcmp(months[i], months[i - 1])) {
			ferr_add(e, "months", "月份 %s 重复", months[i]);
			return DJ_INVALID;
		}
	/* every month must be owing: made now when not yet generated (paying ahead) */
	int64_t owed = 0;
	for (int i = 0; i < nm; i++) {
		if (month_make(d, p->member_id, org_id, months[i]) < 0)
			return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
		db_stmt *s = db_query(d, "SELECT status, due_fen - reduced_fen FROM dues_months WHERE member_id = ? AND month = ?", "It", p->member_id,
				      months[i]);
		char st[16] = "";
		int64_t amt = 0;
		if (db_next(s)) {
			snprintf(st, sizeof st, "%s", db_str(s, 0));
			amt = db_int(s, 1);
		}
		if (db_done(s) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
		if (!*st) {
			ferr_add(e, "months", "%s 没有应缴党费（未登记党费基数）", months[i]);
			return DJ_INVALID;
		}
		if (!strcmp(st, "paid"))
			return dj_fail(e, DJ_CONFLICT, "%s 的党费已经缴纳，不能重复缴纳", months[i]);
		if (!strcmp(st, "waived"))
			return dj_fail(e, DJ_CONFLICT, "%s 的党费已免缴", months[i]);
		owed += amt;
	}
	if (p->amount_fen && p->amount_fen != owed) {
		char o[32], g[32];
		dues_fmt_yuan(owed, o), dues_fmt_yuan(p->amount_fen, g);
		ferr_add(e, "amount", "金额 %s 元与所选月份应缴合计 %s 元不符（不收超额预缴）", g, o);
		return DJ_INVALID;
	}
	char list[400] = "";
	for (int i = 0; i < nm; i++) {
		size_t l = strlen(list);
		snprintf(list + l, sizeof list - l, "%s%s", i ? "、" : "", months[i]);
	}
	if (!paid_on)
		paid_on = td;
	int year = atoi(paid_on);
	int64_t seq = db_int1(d, 0, "SELECT COALESCE(MAX(seq), 0) FROM dues_payments WHERE year = ?", "I", (int64_t)year) + 1;
	char no[32];
	/* six digits at least: a county of 300,000 members paying monthly
	 * passes 1,000,000 receipts a year, which then take seven (the
	 * number is unique; `% 1000000` made the millionth repeat the first) */
	snprintf(no, sizeof no, "DF%04d%06lld", year % 10000, (long long)seq);
	int64_t id = db_int1(
		d, 0,
		"INSERT INTO dues_payments (receipt_no, year, seq, member_id, org_id, method, payer_member_id, payer_name, amount_fen, months, "
		"paid_on, user_id, at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?, ?, ?, ?, ?) RETURNING id",
		"tIIIIt"
		"ItIttII",
		no, (int64_t)year, seq, p->member_id, org_id, method, !strcmp(method, "proxy") ? p->payer_member_id : (int64_t)0, payer, owed, list,
		paid_on, a->user_id, now_unix());
	if (!id)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	for (int i = 0; i < nm; i++)
		if (db_run(d,
			   "UPDATE dues_months SET paid_fen = due_fen - reduced_fen, status = 'paid', payment_id = ? WHERE member_id = ? AND month = ? "
			   "AND status = 'owing'",
			   "IIt", id, p->member_id, months[i]) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	char sum[800], y[32];
	dues_fmt_yuan(owed, y);
	snprintf(sum, sizeof sum, "%s 缴纳党费 %s 元（%s）收据 %s%s%s", name, y, list, no, *payer ? " 代缴人 " : "", payer);
	if (audit_write(d, a, "dues.pay", "dues_payment", id, org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	/* a payment that brings the arrears under six months lifts the flag */
	if (db_run(d, "DELETE FROM dues_flags WHERE member_id = ?", "I", p->member_id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	*payment_id = id;
	return DJ_OK;
}

enum dj_result dues_receipt_load(db *d, const struct actor *a, int64_t id, struct dues_receipt *out, struct field_errors *e)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_query(
		d,
		"SELECT p.id, p.member_id, p.org_id, p.amount_fen, COALESCE(p.payer_member_id, 0), p.at, p.receipt_no, m.name, o.name, p.method, "
		"p.payer_name, p.months, p.paid_on, COALESCE(u.name, '') FROM dues_payments p JOIN members m ON m.id = p.member_id "
		"JOIN orgs o ON o.id = p.org_id LEFT JOIN users u ON u.id = p.user_id WHERE p.id = ?",
		"I", id);
	bool found = db_next(s);
	if (found) {
		out->id = db_int(s, 0), out->member_id = db_int(s, 1), out->org_id = db_int(s, 2), out->amount_fen = db_int(s, 3);
		out->payer_member_id = db_int(s, 4), out->at = db_int(s, 5);
		snprintf(out->receipt_no, sizeof out->receipt_no, "%s", db_str(s, 6));
		snprintf(out->member_name, sizeof out->member_name, "%s", db_str(s, 7));
		snprintf(out->org_name, sizeof out->org_name, "%s", db_str(s, 8));
		snprintf(out->method, sizeof out->method, "%s", db_str(s, 9));
		snprintf(out->payer_name, sizeof out->payer_name, "%s", db_str(s, 10));
		snprintf(out->months, sizeof out->months, "%s", db_str(s, 11));
		snprintf(out->paid_on, sizeof out->paid_on, "%s", db_str(s, 12));
		snprintf(out->by, sizeof out->by, "%s", db_str(s, 13));
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	if (!found)
		return dj_fail(e, DJ_NOT_FOUND, "收据不存在");
	/* the collecting branch's subtree, or the member's own receipt */
	char path[256] = "";
	s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", out->org_id);
	if (db_next(s))
		snprintf(path, sizeof path, "%s", db_str(s, 0));
	db_done(s);
	bool ok = (permission_allows(&perm_dues_view, a) && actor_covers(a, path)) || (a->user_id && dues_member_of_user(d, a->user_id) == out->member_id);
	if (!ok) {
		memset(out, 0, sizeof *out);
		return dj_fail(e, DJ_NOT_FOUND, "收据不存在");
	}
	return DJ_OK;
}

/* ---- reductions ---- */

enum dj_result dues_reduction_request(db *d, const struct actor *a, int64_t member_id, const char *from, const char *to, const char *kind,
				      int64_t amount_fen, const char *reason, int64_t *id, struct field_errors *e)
{
	char name[96];
	int64_t org_id;
	enum dj_result res = member_scope(d, a, member_id, true, name, &org_id, NULL, NULL, e);
	if (res != DJ_OK)
		return res;
	if (!dues_month_valid(from))
		ferr_add(e, "from", "起始月份：格式 YYYY-MM");
	if (!dues_month_valid(to))
		ferr_add(e, "to", "截止月份：格式 YYYY-MM");
	else if (dues_month_valid(from) && strcmp(to, from) < 0)
		ferr_add(e, "to", "截止月份不能早于起始月份");
	kind = kind ? kind : "";
	if (strcmp(kind, "reduce") && strcmp(kind, "waive"))
		ferr_add(e, "kind", "类型应为：减缴、免缴");
	if (!strcmp(kind, "reduce") && amount_fen <= 0)
		ferr_add(e, "amount", "减缴后每月金额应大于 0");
	if (!reason || utf8_len(reason) < 2 || utf8_len(reason) > 200)
		ferr_add(e, "reason", "请填写减免理由（2 到 200 字）");
	if (e->n)
		return DJ_INVALID;
	if (db_int1(d, 0, "SELECT COUNT(*) FROM dues_reductions WHERE member_id = ? AND state = 'requested'", "I", member_id) > 0)
		return dj_fail(e, DJ_CONFLICT, "该党员已有待审批的减免申请");
	*id = db_int1(d, 0,
		      "INSERT INTO dues_reductions (member_id, org_id, from_month, to_month, kind, amount_fen, reason, state, requested_by, requested_at) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?) RETURNING id",
		      "IItttItII", member_id, org_id, from, to, kind, !strcmp(kind, "waive") ? (int64_t)0 : amount_fen, reason, a->user_id, now_unix());
	char sum[400];
	snprintf(sum, sizeof sum, "%s：%s %s 至 %s，理由：%s", name, !strcmp(kind, "waive") ? "免缴" : "减缴", from, to, reason);
	if (!*id || audit_write(d, a, "dues.reduce", "dues_reduction", *id, org_id, sum) != DB_OK ||
	    notify_committee_above(d, org_id, "dues", "dues_reduction", *id, sum, now_unix()) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result dues_reduction_decide(db *d, const struct actor *a, int64_t id, bool approve, const char *note, struct field_errors *e)
{
	db_stmt *s = db_query(
		d,
		"SELECT r.member_id, r.org_id, o.path, r.state, r.from_month, r.to_month, r.kind, r.amount_fen, m.name FROM dues_reductions r "
		"JOIN orgs o ON o.id = r.org_id JOIN members m ON m.id = r.member_id WHERE r.id = ?",
		"I", id);
	bool found = db_next(s), covered = false;
	int64_t member_id = 0, org_id = 0, amount = 0;
	char state[16] = "", from[8] = "", to[8] = "", kind[16] = "", name[96] = "";
	if (found) {
		member_id = db_int(s, 0), org_id = db_int(s, 1), covered = actor_covers(a, db_str(s, 2));
		snprintf(state, sizeof state, "%s", db_str(s, 3));
		snprintf(from, sizeof from, "%s", db_str(s, 4));
		snprintf(to, sizeof to, "%s", db_str(s, 5));
		snprintf(kind, sizeof kind, "%s", db_str(s, 6));
		amount = db_int(s, 7);
		snprintf(name, sizeof name, "%s", db_str(s, 8));
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	if (!found || !covered)
		return dj_fail(e, DJ_NOT_FOUND, "减免申请不存在");
	if (!permission_allows(&perm_dues_approve, a))
		return dj_fail(e, DJ_FORBIDDEN, "减免由镇党委审批");
	if (strcmp(state, "requested"))
		return dj_fail(e, DJ_CONFLICT, "该申请已经审批过");
	int64_t now = now_unix();
	if (db_run(d, "UPDATE dues_reductions SET state = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ? AND state = 'requested'",
		   "tIItI", approve ? "approved" : "rejected", a->user_id, now, note ? note : "", id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	if (approve) {
		/* the unpaid months of the range: due less the reduction (waive: all of it) */
		int rc =
			!strcmp(kind, "waive")
				? db_run(d,
					 "UPDATE dues_months SET reduced_fen = due_fen, status = 'waived', reduction_id = ? WHERE member_id = ? AND month >= ? "
					 "AND month <= ? AND status = 'owing'",
					 "IItt", id, member_id, from, to)
				: db_run(d,
					 "UPDATE dues_months SET reduced_fen = CASE WHEN due_fen > ? THEN due_fen - ? ELSE 0 END, reduction_id = ? "
					 "WHERE member_id = ? AND month >= ? AND month <= ? AND status = 'owing'",
					 "IIIItt", amount, amount, id, member_id, from, to);
		if (rc != DB_OK || db_run(d, "DELETE FROM dues_flags WHERE member_id = ?", "I", member_id) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	}
	char sum[300];
	snprintf(sum, sizeof sum, "%s：%s %s 至 %s %s", name, !strcmp(kind, "waive") ? "免缴" : "减缴", from, to, approve ? "批准" : "不批准");
	if (audit_write(d, a, approve ? "dues.approve" : "dues.reject", "dues_reduction", id, org_id, sum) != DB_OK ||
	    notify_org_role(d, branch_of(d, org_id), "branch", "dues", "dues_reduction", id, sum, now) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

void dues_reductions_each(db *d, const struct actor *a, const char *state, void (*fn)(void *ctx, const struct dues_reduction *r), void *ctx)
{
	db_stmt *s = db_query(
		d,
		"SELECT r.id, r.member_id, r.amount_fen, m.name, o.name, r.from_month, r.to_month, r.kind, r.reason, r.state FROM dues_reductions r "
		"JOIN members m ON m.id = r.member_id JOIN orgs o ON o.id = r.org_id WHERE o.path LIKE ? || '%' "
		"AND (CAST(? AS TEXT) IS NULL OR r.state = ?) ORDER BY r.id DESC LIMIT 200",
		"ttt", actor_scope(a), state, state);
	while (db_next(s)) {
		struct dues_reduction r = {db_int(s, 0), db_int(s, 1), db_int(s, 2), db_str(s, 3), db_str(s, 4),
					   db_str(s, 5), db_str(s, 6), db_str(s, 7), db_str(s, 8), db_str(s, 9)};
		fn(ctx, &r);
	}
	db_done(s);
}

/* ---- reading ---- */

enum dj_result dues_member_months(db *d, const struct actor *a, int64_t member_id, const char *year, void (*fn)(void *ctx, const struct dues_month_row *m),
				  void *ctx, struct field_errors *e)
{
	enum dj_result res = member_scope(d, a, member_id, false, NULL, NULL, NULL, NULL, e);
	if (res != DJ_OK)
		return res;
	db_stmt *s = db_query(d,
			      "SELECT x.month, x.category, x.status, COALESCE(p.receipt_no, ''), x.base_fen, x.due_fen, x.reduced_fen, x.paid_fen, "
			      "COALESCE(x.payment_id, 0) FROM dues_months x LEFT JOIN dues_payments p ON p.id = x.payment_id WHERE x.member_id = ? "
			      "AND (CAST(? AS TEXT) IS NULL OR x.month LIKE ? || '-%') ORDER BY x.month",
			      "Itt", member_id, year, year);
	while (db_next(s)) {
		struct dues_month_row m = {db_str(s, 0), db_str(s, 1), db_str(s, 2), db_str(s, 3), db_int(s, 4),
					   db_int(s, 5), db_int(s, 6), db_int(s, 7), db_int(s, 8)};
		fn(ctx, &m);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	return DJ_OK;
}

void dues_paid_to(db *d, int64_t member_id, char out[8])
{
	*out = 0;
	/* the last settled month before the first month still owing */
	db_stmt *s = db_query(d,
			      "SELECT MAX(month) FROM dues_months WHERE member_id = ? AND status <> 'owing' AND month < COALESCE((SELECT MIN(month) FROM "
			      "dues_months WHERE member_id = ? AND status = 'owing'), '9999-99')",
			      "II", member_id, member_id);
	if (db_next(s) && db_text(s, 0))
		snprintf(out, 8, "%s", db_str(s, 0));
	db_done(s);
}

static bool period_valid(const char *p)
{
	if (!p)
		return false;
	if (strlen(p) == 4)
		return atoi(p) >= 1950 && atoi(p) <= 2200 && strspn(p, "0123456789") == 4;
	return dues_month_valid(p);
}

enum dj_result dues_ledger(db *d, const struct actor *a, const char *path, const char *period, void (*fn)(void *ctx, const struct dues_ledger_row *r),
			   void *ctx, struct dues_totals *total, struct field_errors *e)
{
	memset(total, 0, sizeof *total);
	if (!permission_allows(&perm_dues_view, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能查看党费台账");
	if (!period_valid(period)) {
		ferr_add(e, "month", "月份：格式 YYYY-MM（或年份 YYYY）");
		return DJ_INVALID;
	}
	if (!path || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不在您的管辖范围内");
	db_stmt *s = db_query(d,
			      "SELECT o.id, o.code, o.name, COUNT(DISTINCT x.member_id), SUM(x.due_fen), SUM(x.reduced_fen), SUM(x.paid_fen) "
			      "FROM dues_months x JOIN orgs o ON o.id = x.org_id WHERE o.path LIKE ? || '%' AND (x.month = ? OR x.month LIKE ? || '-%') "
			      "GROUP BY o.id, o.code, o.name, o.path ORDER BY o.path",
			      "ttt", path, period, period);
	while (db_next(s)) {
		struct dues_ledger_row r = {db_int(s, 0), db_str(s, 1), db_str(s, 2), {db_int(s, 3), db_int(s, 4), db_int(s, 5), db_int(s, 6), 0}};
		r.t.owing = r.t.due - r.t.reduced - r.t.paid;
		total->due += r.t.due, total->reduced += r.t.reduced, total->paid += r.t.paid, total->owing += r.t.owing;
		if (fn)
			fn(ctx, &r);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	total->members = db_int1(d, 0,
				 "SELECT COUNT(DISTINCT x.member_id) FROM dues_months x JOIN orgs o ON o.id = x.org_id WHERE o.path LIKE ? || '%' "
				 "AND (x.month = ? OR x.month LIKE ? || '-%')",
				 "ttt", path, period, period);
	return DJ_OK;
}

enum dj_result dues_year(db *d, const struct actor *a, const char *path, const char *year, struct dues_totals months[12], struct field_errors *e)
{
	memset(months, 0, 12 * sizeof months[0]);
	if (!permission_allows(&perm_dues_view, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能查看党费台账");
	if (!year || strlen(year) != 4 || !period_valid(year)) {
		ferr_add(e, "year", "年份：格式 YYYY");
		return DJ_INVALID;
	}
	if (!path || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不在您的管辖范围内");
	db_stmt *s = db_query(d,
			      "SELECT x.month, COUNT(DISTINCT x.member_id), SUM(x.due_fen), SUM(x.reduced_fen), SUM(x.paid_fen) FROM dues_months x "
			      "JOIN orgs o ON o.id = x.org_id WHERE o.path LIKE ? || '%' AND x.month LIKE ? || '-%' GROUP BY x.month",
			      "tt", path, year);
	while (db_next(s)) {
		int m = atoi(db_str(s, 0) + 5);
		if (m < 1 || m > 12)
			continue;
		struct dues_totals *t = &months[m - 1];
		t->members = db_int(s, 1), t->due = db_int(s, 2), t->reduced = db_int(s, 3), t->paid = db_int(s, 4);
		t->owing = t->due - t->reduced - t->paid;
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	return DJ_OK;
}

/* Members of a subtree owing for months before the current one. */
#define ARREARS_SQL                                                                                                              \
	"SELECT m.id, m.name, o.name, COUNT(*), SUM(x.due_fen - x.reduced_fen - x.paid_fen), MIN(x.month) FROM dues_months x "   \
	"JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = x.org_id WHERE o.path LIKE ? || '%' AND x.status = 'owing' " \
	"AND x.due_fen - x.reduced_fen > 0 AND x.month < ? AND m.status NOT IN ('stopped', 'transferred') GROUP BY m.id, m.name, o.name, o.path ORDER BY o.path, 4 DESC, m.id"

enum dj_result dues_arrears(db *d, const struct actor *a, const char *path, int64_t now, void (*fn)(void *ctx, const struct dues_arrear *r), void *ctx,
			    struct field_errors *e)
{
	if (!permission_allows(&perm_dues_view, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能查看欠缴名单");
	if (!path || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不在您的管辖范围内");
	char cur[8];
	dues_month_of(now, cur);
	db_stmt *s = db_query(d, ARREARS_SQL, "tt", path, cur);
	while (db_next(s)) {
		struct dues_arrear r = {
			db_int(s, 0), db_int(s, 3), db_int(s, 4), db_str(s, 1), db_str(s, 2), db_str(s, 5), db_int(s, 3) >= DUES_ARREARS_FLAG};
		fn(ctx, &r);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	return DJ_OK;
}

int64_t dues_owed_months(db *d, int64_t member_id, int64_t now, int64_t *owing_fen)
{
	char cur[8];
	int64_t n = 0;
	*owing_fen = 0;
	dues_month_of(now, cur);
	db_stmt *s = db_query(
		d,
		"SELECT COUNT(*), COALESCE(SUM(due_fen - reduced_fen - paid_fen), 0) FROM dues_months WHERE member_id = ? AND status = 'owing' "
		"AND due_fen - reduced_fen > 0 AND month <= ?",
		"It", member_id, cur);
	if (db_next(s)) {
		n = db_int(s, 0);
		*owing_fen = db_int(s, 1);
	}
	db_done(s);
	return n;
}

int64_t dues_flagged_count(db *d, const struct actor *a)
{
	if (!permission_allows(&perm_dues_view, a))
		return 0;
	return db_int1(d, 0,
		       "SELECT COUNT(*) FROM dues_flags f JOIN members m ON m.id = f.member_id JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? || '%'",
		       "t", actor_scope(a));
}

/* ---- 上缴 ---- */

int64_t dues_unremitted(db *d, int64_t org_id)
{
	return db_int1(d, 0,
		       "SELECT COALESCE(SUM(amount_fen), 0) FROM dues_payments WHERE org_id IN (SELECT id FROM orgs WHERE id = ? OR parent_id = ?) "
		       "AND remit_id IS NULL",
		       "II", org_id, org_id);
}

enum dj_result dues_remit(db *d, const struct actor *a, int64_t org_id, const char *note, int64_t *remit_id, int64_t *amount_fen, struct field_errors *e)
{
	db_stmt *s = db_query(d, "SELECT path, name, type FROM orgs WHERE id = ?", "I", org_id);
	char path[256] = "", name[128] = "", type[16] = "";
	if (db_next(s)) {
		snprintf(path, sizeof path, "%s", db_str(s, 0));
		snprintf(name, sizeof name, "%s", db_str(s, 1));
		snprintf(type, sizeof type, "%s", db_str(s, 2));
	}
	db_done(s);
	if (!*path || !actor_covers(a, path)) {
		ferr_add(e, "org", "组织不存在或不在您的管辖范围内");
		return DJ_NOT_FOUND;
	}
	if (!permission_allows(&perm_dues_edit, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能办理上缴");
	if (strcmp(type, "branch")) {
		ferr_add(e, "org", "上缴以党支部为单位");
		return DJ_INVALID;
	}
	int64_t n = db_int1(d, 0,
			    "SELECT COUNT(*) FROM dues_payments WHERE org_id IN (SELECT id FROM orgs WHERE id = ? OR parent_id = ?) AND remit_id IS NULL",
			    "II", org_id, org_id);
	*amount_fen = dues_unremitted(d, org_id);
	if (!n)
		return dj_fail(e, DJ_CONFLICT, "没有待上缴的党费");
	char td[11];
	today(td);
	*remit_id = db_int1(
		d, 0, "INSERT INTO dues_remits (org_id, amount_fen, payments, remitted_on, note, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		"IIIttII", org_id, *amount_fen, n, td, note ? note : "", a->user_id, now_unix());
	char sum[300], y[32];
	dues_fmt_yuan(*amount_fen, y);
	snprintf(sum, sizeof sum, "%s 上缴党费 %s 元（%lld 笔）", name, y, (long long)n);
	if (!*remit_id ||
	    db_run(d, "UPDATE dues_payments SET remit_id = ? WHERE org_id IN (SELECT id FROM orgs WHERE id = ? OR parent_id = ?) AND remit_id IS NULL",
		   "III", *remit_id, org_id, org_id) != DB_OK ||
	    audit_write(d, a, "dues.remit", "dues_remit", *remit_id, org_id, sum) != DB_OK ||
	    notify_committee_above(d, org_id, "dues", "dues_remit", *remit_id, sum, now_unix()) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

void dues_remits_each(db *d, const struct actor *a, const char *path, void (*fn)(void *ctx, const struct dues_remit_row *r), void *ctx)
{
	if (!path || !actor_covers(a, path))
		return;
	db_stmt *s = db_query(d,
			      "SELECT r.id, r.amount_fen, r.payments, o.name, r.remitted_on, r.note FROM dues_remits r JOIN orgs o ON o.id = r.org_id "
			      "WHERE o.path LIKE ? || '%' ORDER BY r.id DESC LIMIT 100",
			      "t", path);
	while (db_next(s)) {
		struct dues_remit_row r = {db_int(s, 0), db_int(s, 1), db_int(s, 2), db_str(s, 3), db_str(s, 4), db_str(s, 5)};
		fn(ctx, &r);
	}
	db_done(s);
}

int dues_follow_transfer(db *d, int64_t member_id, int64_t org_id, const char *month)
{
	return db_run(d, "UPDATE dues_months SET org_id = ? WHERE member_id = ? AND month >= ? AND status = 'owing'", "IIt", org_id, member_id, month);
}

int dues_stop_after(db *d, int64_t member_id, const char *month)
{
	int rc = db_run(d, "DELETE FROM dues_months WHERE member_id = ? AND month > ? AND status = 'owing'", "It", member_id, month);
	if (rc != DB_OK)
		return rc;
	return db_run(d, "DELETE FROM dues_flags WHERE member_id = ?", "I", member_id);
}

/* ---- the background task ---- */

int dues_task(db *d, int64_t now)
{
	struct actor sys;
	actor_system(&sys);
	char cur[8];
	dues_month_of(now, cur);
	struct field_errors e = {0};
	int made = 0;
	if (dues_generate(d, &sys, "/", cur, &made, &e) != DJ_OK)
		return -1;
	/* the six-month flag: members newly at or past it are flagged once and
	 * their branch and the committee told */
	size_t n = 0;
	int64_t ids[256], months[256], orgs[256];
	char names[256][96];
	db_stmt *s = db_query(d, ARREARS_SQL, "tt", "/", cur);
	while (db_next(s)) {
		if (db_int(s, 3) < DUES_ARREARS_FLAG || n >= 256)
			continue;
		ids[n] = db_int(s, 0), months[n] = db_int(s, 3);
		snprintf(names[n], sizeof names[n], "%s", db_str(s, 1));
		n++;
	}
	if (db_done(s) != DB_OK)
		return -1;
	int flagged = 0;
	for (size_t i = 0; i < n; i++) {
		if (db_int1(d, 0, "SELECT COUNT(*) FROM dues_flags WHERE member_id = ?", "I", ids[i]) > 0)
			continue;
		orgs[i] = db_int1(d, 0, "SELECT org_id FROM members WHERE id = ?", "I", ids[i]);
		char text[400];
		snprintf(text, sizeof text, "%.90s 已连续 %lld 个月未交纳党费，请及时了解情况（无正当理由连续6个月不交纳党费，按自行脱党处理）", names[i],
			 (long long)months[i]);
		if (db_run(d, "INSERT INTO dues_flags (member_id, months, flagged_at) VALUES (?, ?, ?)", "III", ids[i], months[i], now) != DB_OK ||
		    notify_org_role(d, branch_of(d, orgs[i]), "branch", "dues", "member", ids[i], text, now) != DB_OK ||
		    notify_committee_above(d, orgs[i], "dues", "member", ids[i], text, now) != DB_OK ||
		    audit_write(d, &sys, "dues.flag", "member", ids[i], orgs[i], text) != DB_OK)
			return -1;
		flagged++;
	}
	return made + flagged;
}

/* ---- the roster of a branch's dues ---- */

enum dj_result dues_roster(db *d, const struct actor *a, const char *path, const char *month, void (*fn)(void *ctx, const struct dues_member_row *m),
			   void *ctx, struct field_errors *e)
{
	if (!permission_allows(&perm_dues_view, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能查看党费台账");
	if (!path || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不在您的管辖范围内");
	db_stmt *s = db_query(
		d,
		"SELECT m.id, m.name, o.name, COALESCE(b.category, ''), COALESCE(b.base_fen, 0), COALESCE(b.flat_fen, 0), COALESCE(x.status, ''), "
		"(SELECT COUNT(*) FROM dues_months y WHERE y.member_id = m.id AND y.status = 'owing' AND y.month <= ?), "
		"(SELECT COALESCE(SUM(y.due_fen - y.reduced_fen), 0) FROM dues_months y WHERE y.member_id = m.id AND y.status = 'owing' AND y.month <= ?) "
		"FROM members m JOIN orgs o ON o.id = m.org_id "
		"LEFT JOIN dues_bases b ON b.id = (SELECT b2.id FROM dues_bases b2 WHERE b2.member_id = m.id AND b2.since <= ? ORDER BY b2.since DESC LIMIT 1) "
		"LEFT JOIN dues_months x ON x.member_id = m.id AND x.month = ? WHERE o.path LIKE ? || '%' AND m.status NOT IN ('stopped', 'transferred') "
		"ORDER BY o.path, m.name, m.id LIMIT 2000",
		"ttttt", month, month, month, month, path);
	while (db_next(s)) {
		struct dues_member_row m = {db_int(s, 0), db_int(s, 4), db_int(s, 5), db_int(s, 7), db_int(s, 8),
					    db_str(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 6)};
		fn(ctx, &m);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	return DJ_OK;
}

/* ---- export ---- */

static const char *status_label(const char *s) { return !strcmp(s, "paid") ? "已缴" : !strcmp(s, "waived") ? "免缴" : !strcmp(s, "owing") ? "未缴" : s; }

enum dj_result dues_export(db *d, const struct actor *a, const char *path, const char *year, const char *filename, int64_t *rows, struct field_errors *e)
{
	*rows = 0;
	struct dues_totals tm[12];
	enum dj_result res = dues_year(d, a, path, year, tm, e);
	if (res != DJ_OK)
		return res;
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(filename, &opt);
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	lxw_worksheet *ws = workbook_add_worksheet(wb, "党费台账");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_bg_color(bold, 0xFDEEEE);
	lxw_format *money = workbook_add_format(wb);
	format_set_num_format(money, "0.00");
	const char *head[] = {"姓名", "组织", "类别"};
	for (int c = 0; c < 3; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
	for (int mo = 1; mo <= 12; mo++) {
		char h[16];
		snprintf(h, sizeof h, "%d月", mo);
		worksheet_write_string(ws, 0, (lxw_col_t)(2 + mo), h, bold);
	}
	const char *tail[] = {"应缴", "减免", "已缴", "欠缴"};
	for (int c = 0; c < 4; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)(15 + c), tail[c], bold);
	worksheet_set_column(ws, 0, 1, 16, NULL);
	worksheet_freeze_panes(ws, 1, 1);
	/* a member's months come together: the rows are ordered by member */
	db_stmt *s = db_query(d,
			      "SELECT x.member_id, m.name, o.name, x.category, x.month, x.due_fen, x.reduced_fen, x.paid_fen, x.status FROM dues_months x "
			      "JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = x.org_id WHERE o.path LIKE ? || '%' AND x.month LIKE ? || '-%' "
			      "ORDER BY o.path, m.name, x.member_id, x.org_id, x.month",
			      "tt", path, year);
	int64_t cur = 0, row = 0;
	char cur_org[128] = "";
	int64_t due = 0, red = 0, paid = 0;
	struct dues_totals sum = {0};
	while (db_next(s)) {
		int64_t mid = db_int(s, 0);
		if (mid != cur || strcmp(cur_org, db_str(s, 2))) {
			if (cur) {
				worksheet_write_number(ws, (lxw_row_t)row, 15, (double)due / 100, money);
				worksheet_write_number(ws, (lxw_row_t)row, 16, (double)red / 100, money);
				worksheet_write_number(ws, (lxw_row_t)row, 17, (double)paid / 100, money);
				worksheet_write_number(ws, (lxw_row_t)row, 18, (double)(due - red - paid) / 100, money);
			}
			cur = mid, row++;
			snprintf(cur_org, sizeof cur_org, "%s", db_str(s, 2));
			due = red = paid = 0;
			worksheet_write_string(ws, (lxw_row_t)row, 0, db_str(s, 1), NULL);
			worksheet_write_string(ws, (lxw_row_t)row, 1, db_str(s, 2), NULL);
			worksheet_write_string(ws, (lxw_row_t)row, 2, dues_category_label(db_str(s, 3)), NULL);
		}
		int mo = atoi(db_str(s, 4) + 5);
		char cell[48], y[32];
		dues_fmt_yuan(db_int(s, 5) - db_int(s, 6), y);
		snprintf(cell, sizeof cell, "%s %s", y, status_label(db_str(s, 8)));
		if (mo >= 1 && mo <= 12)
			worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)(2 + mo), cell, NULL);
		due += db_int(s, 5), red += db_int(s, 6), paid += db_int(s, 7);
		sum.due += db_int(s, 5), sum.reduced += db_int(s, 6), sum.paid += db_int(s, 7);
	}
	bool ok = db_done(s) == DB_OK;
	if (cur) {
		worksheet_write_number(ws, (lxw_row_t)row, 15, (double)due / 100, money);
		worksheet_write_number(ws, (lxw_row_t)row, 16, (double)red / 100, money);
		worksheet_write_number(ws, (lxw_row_t)row, 17, (double)paid / 100, money);
		worksheet_write_number(ws, (lxw_row_t)row, 18, (double)(due - red - paid) / 100, money);
	}
	*rows = row;
	row++;
	worksheet_write_string(ws, (lxw_row_t)row, 0, "合计", bold);
	worksheet_write_number(ws, (lxw_row_t)row, 15, (double)sum.due / 100, money);
	worksheet_write_number(ws, (lxw_row_t)row, 16, (double)sum.reduced / 100, money);
	worksheet_write_number(ws, (lxw_row_t)row, 17, (double)sum.paid / 100, money);
	worksheet_write_number(ws, (lxw_row_t)row, 18, (double)(sum.due - sum.reduced - sum.paid) / 100, money);
	if (workbook_close(wb) != LXW_NO_ERROR || !ok)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	char a_sum[120];
	snprintf(a_sum, sizeof a_sum, "%s 年党费台账 %lld 人", year, (long long)*rows);
	if (audit_write(d, a, "dues.export", "dues", 0, a->org_id, a_sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	return DJ_OK;
}

/* ---- import of a year's bases ---- */

#define IMPORT_PROBLEMS_MAX 500

static void problem(struct dues_import *im, int row, const char *column, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void problem(struct dues_import *im, int row, const char *column, const char *fmt, ...)
{
	im->total_problems++;
	if (im->nproblems >= IMPORT_PROBLEMS_MAX)
		return;
	if (!im->problems && !(im->problems = calloc(IMPORT_PROBLEMS_MAX, sizeof *im->problems)))
		return;
	struct dues_import_problem *p = &im->problems[im->nproblems++];
	p->row = row;
	snprintf(p->column, sizeof p->column, "%s", column);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof p->reason, fmt, ap);
	va_end(ap);
}

void dues_import_free(struct dues_import *im)
{
	free(im->problems);
	im->problems = NULL;
}

/* Money as a spreadsheet writes it: text in yuan, or a number cell whose
 * decimals may run long (4500.0500000000002): rounded half up to the fen on
 * the digits themselves, never through a double. */
static bool cell_fen(const char *s, bool number, int64_t *fen)
{
	if (!number)
		return dues_parse_yuan(s, fen);
	const char *p = s;
	int64_t y = 0;
	int digits = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 9)
			return false;
		y = y * 10 + (*p - '0');
	}
	if (!digits)
		return false;
	int64_t f = 0;
	int third = 0;
	if (*p == '.') {
		p++;
		for (int i = 0; *p >= '0' && *p <= '9'; p++, i++) {
			if (i < 2)
				f = f * 10 + (*p - '0');
			else if (i == 2)
				third = *p - '0';
		}
	}
	/* one decimal written: "4500.5" is 4500.50 */
	const char *dot = strchr(s, '.');
	if (dot && strlen(dot + 1) == 1)
		f *= 10;
	if (*p)
		return false;
	*fen = y * 100 + f + (third >= 5);
	return true;
}

static int column_of(const struct sheet *sh, const char *const *names)
{
	if (!sh->nrows)
		return -1;
	for (int c = 0; c < sh->rows[0].ncells; c++) {
		char h[96];
		snprintf(h, sizeof h, "%s", sheet_cell(sh, 0, c));
		str_trim(h);
		for (const char *const *n = names; *n; n++)
			if (!strcmp(h, *n))
				return c;
	}
	return -1;
}

enum dj_result dues_import_bases(db *d, const struct actor *a, const char *year, const void *data, size_t len, struct dues_import *im,
				 struct field_errors *e)
{
	memset(im, 0, sizeof *im);
	if (!permission_allows(&perm_dues_edit, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能导入党费基数");
	if (!year || strlen(year) != 4 || strspn(year, "0123456789") != 4) {
		ferr_add(e, "year", "年份：格式 YYYY");
		return DJ_INVALID;
	}
	struct sheet sh = {0};
	char err[300];
	if (!sheet_read(&sh, data, len, err, sizeof err)) {
		snprintf(im->file_error, sizeof im->file_error, "%s", err);
		sheet_free(&sh);
		return dj_fail(e, DJ_INVALID, "%s", err);
	}
	static const char *const h_id[] = {"身份证号", "身份证号码", NULL}, *const h_name[] = {"姓名", NULL}, *const h_cat[] = {"类别", "党费类别", NULL},
				 *const h_base[] = {"月工资基数", "基数", "月收入", "定额", NULL}, *const h_since[] = {"起始月份", "起始", NULL};
	int c_id = column_of(&sh, h_id), c_name = column_of(&sh, h_name), c_cat = column_of(&sh, h_cat), c_base = column_of(&sh, h_base),
	    c_since = column_of(&sh, h_since);
	if (c_id < 0 || c_cat < 0 || c_base < 0) {
		snprintf(im->file_error, sizeof im->file_error, "表头应包含：身份证号、类别、月工资基数（可选：姓名、起始月份）");
		sheet_free(&sh);
		return dj_fail(e, DJ_INVALID, "%s", im->file_error);
	}
	struct row {
		int64_t member_id, base, flat;
		char since[8], cat[16];
	};
	struct row *rows = calloc(sh.nrows ? sh.nrows : 1, sizeof *rows);
	if (!rows) {
		sheet_free(&sh);
		return dj_fail(e, DJ_DB_ERROR, "内存不足");
	}
	size_t n = 0;
	for (size_t i = 1; i < sh.nrows; i++) {
		int line = sh.rows[i].line;
		im->rows++;
		struct row *rw = &rows[n];
		const char *idn = sheet_cell(&sh, i, c_id);
		db_stmt *s = db_query(d, "SELECT m.id, m.name, o.path FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id_number = ?", "t", idn);
		bool found = db_next(s), mine = found && actor_covers(a, db_str(s, 2));
		char name[96] = "";
		if (found) {
			rw->member_id = db_int(s, 0);
			snprintf(name, sizeof name, "%s", db_str(s, 1));
		}
		int rc = db_done(s);
		if (rc != DB_OK) {
			free(rows);
			sheet_free(&sh);
			return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
		}
		bool bad = false;
		if (!*idn)
			problem(im, line, "身份证号", "身份证号不能为空"), bad = true;
		else if (!mine)
			problem(im, line, "身份证号", "花名册中没有该身份证号的党员（或不在您的管辖范围内）"), bad = true;
		else if (c_name >= 0 && *sheet_cell(&sh, i, c_name) && strcmp(sheet_cell(&sh, i, c_name), name))
			problem(im, line, "姓名", "姓名与花名册不符（花名册为 %s）", name), bad = true;
		for (size_t k = 0; mine && k < n; k++)
			if (rows[k].member_id == rw->member_id) {
				problem(im, line, "身份证号", "与前面的行重复"), bad = true;
				break;
			}
		const char *cat = category_key(sheet_cell(&sh, i, c_cat));
		if (!cat)
			problem(im, line, "类别", "类别应为：在职、离退休、农民、学生、下岗失业、其他"), bad = true;
		else
			snprintf(rw->cat, sizeof rw->cat, "%s", cat);
		const char *bv = sheet_cell(&sh, i, c_base);
		int64_t fen = 0;
		if (*bv == '-')
			problem(im, line, "月工资基数", "月工资基数不能为负数"), bad = true;
		else if (!cell_fen(bv, sheet_cell_is_number(&sh, i, c_base), &fen))
			problem(im, line, "月工资基数", "月工资基数应为金额（元），如 4500 或 4500.50"), bad = true;
		const char *sv = c_since >= 0 ? sheet_cell(&sh, i, c_since) : "";
		char date[11];
		if (!*sv)
			snprintf(rw->since, sizeof rw->since, "%s-01", year);
		else if (dues_month_valid(sv))
			snprintf(rw->since, sizeof rw->since, "%s", sv);
		else if (strlen(sv) == 10 && date_valid(sv))
			snprintf(rw->since, sizeof rw->since, "%.7s", sv);
		else if (sheet_cell_is_number(&sh, i, c_since) && sheet_serial_date(sv, sh.date1904, date))
			snprintf(rw->since, sizeof rw->since, "%.7s", date);
		else
			problem(im, line, "起始月份", "起始月份应为 YYYY-MM"), bad = true;
		if (!bad && strncmp(rw->since, year, 4))
			problem(im, line, "起始月份", "起始月份不在 %s 年内", year), bad = true;
		if (!bad && cat) {
			struct dues_rate r;
			int64_t amt;
			if (dues_category_flat(cat))
				rw->flat = fen;
			else
				rw->base = fen;
			if (!dues_rate_for(d, rw->since, &r))
				problem(im, line, "起始月份", "该月份没有适用的党费标准"), bad = true;
			else if (!dues_amount(&r, cat, rw->base, rw->flat, &amt)) {
				char lo[32], hi[32];
				dues_fmt_yuan(r.flat_min, lo), dues_fmt_yuan(r.flat_max, hi);
				problem(im, line, "月工资基数", "%s党员每月定额应在 %s 元到 %s 元之间", dues_category_label(cat), lo, hi), bad = true;
			}
		}
		if (!bad)
			n++;
	}
	sheet_free(&sh);
	if (!im->rows) {
		free(rows);
		snprintf(im->file_error, sizeof im->file_error, "文件中没有数据行");
		return dj_fail(e, DJ_INVALID, "%s", im->file_error);
	}
	if (im->total_problems) {
		free(rows);
		return dj_fail(e, DJ_INVALID, "%zu 处问题，未导入任何数据", im->total_problems);
	}
	for (size_t i = 0; i < n; i++) {
		enum dj_result res = dues_base_set(d, a, rows[i].member_id, rows[i].since, rows[i].cat, rows[i].base, rows[i].flat, e);
		if (res != DJ_OK) {
			free(rows);
			return res;
		}
		im->written++;
	}
	free(rows);
	char sum[120];
	snprintf(sum, sizeof sum, "导入 %s 年党费基数 %d 人", year, im->written);
	if (audit_write(d, a, "dues.import", "dues", 0, a->org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}
