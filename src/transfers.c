/* transfers — 组织关系转接 (issue 18 §5, SPEC M12): letters, their states,
 * the receiving side's confirmation, and lapsing. */
#include "transfers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "dues.h"
#include "members.h"
#include "notify.h"
#include "orgs.h"
#include "users.h"
#include "util.h"
#include "valid.h"

const struct permission perm_transfer_view = {"transfer.view", "查看组织关系转接", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_transfer_edit = {"transfer.edit", "开具介绍信、接收或退回组织关系", R_ADMIN | R_COMMITTEE | R_BRANCH};

/* issued → received (the receiving side confirms), returned (either side
 * sends it back), lapsed (the system, when the validity has passed). */
const struct transfer_step transfer_steps[] = {
	{"issued", "receive", R_ADMIN | R_COMMITTEE | R_BRANCH, "received"},
	{"issued", "return", R_ADMIN | R_COMMITTEE | R_BRANCH, "returned"},
	{"issued", "lapse", A_SYSTEM, "lapsed"},
};
const size_t transfer_steps_n = sizeof transfer_steps / sizeof transfer_steps[0];

const struct transfer_step *transfer_step_find(const char *state, const char *action, int role)
{
	for (size_t i = 0; i < transfer_steps_n; i++)
		if (state && action && !strcmp(transfer_steps[i].from, state) && !strcmp(transfer_steps[i].action, action) &&
		    (transfer_steps[i].roles & role))
			return &transfer_steps[i];
	return NULL;
}

const char *transfer_state_label(const char *s)
{
	static const char *const l[] = {"issued", "待接收", "received", "已接收", "returned", "已退回", "lapsed", "已逾期失效", NULL};
	for (const char *const *p = l; s && *p; p += 2)
		if (!strcmp(p[0], s))
			return p[1];
	return s ? s : "";
}

const char *transfer_kind_label(const char *k)
{
	static const char *const l[] = {"internal", "镇内转接", "outside", "转出镇外", "incoming", "镇外转入", NULL};
	for (const char *const *p = l; k && *p; p += 2)
		if (!strcmp(p[0], k))
			return p[1];
	return k ? k : "";
}

#define T_COLS                                                                                                                                  \
	"t.id, COALESCE(t.member_id, 0), COALESCE(t.from_org_id, 0), COALESCE(t.to_org_id, 0), t.letter_no, t.kind, t.state, t.person_name, "   \
	"CASE WHEN f.id IS NULL THEN t.from_org_name ELSE f.name END, CASE WHEN g.id IS NULL THEN t.to_org_name ELSE g.name END, t.issued_on, " \
	"t.valid_until, t.dues_paid_to, t.decided_on, t.reason, t.note, COALESCE(f.path, ''), COALESCE(g.path, '') "                            \
	"FROM transfers t LEFT JOIN orgs f ON f.id = t.from_org_id LEFT JOIN orgs g ON g.id = t.to_org_id "

static void t_row(db_stmt *s, struct transfer *t)
{
	memset(t, 0, sizeof *t);
	t->id = db_int(s, 0), t->member_id = db_int(s, 1), t->from_org_id = db_int(s, 2), t->to_org_id = db_int(s, 3);
	snprintf(t->letter_no, sizeof t->letter_no, "%s", db_str(s, 4));
	snprintf(t->kind, sizeof t->kind, "%s", db_str(s, 5));
	snprintf(t->state, sizeof t->state, "%s", db_str(s, 6));
	snprintf(t->person_name, sizeof t->person_name, "%s", db_str(s, 7));
	snprintf(t->from_org_name, sizeof t->from_org_name, "%s", db_str(s, 8));
	snprintf(t->to_org_name, sizeof t->to_org_name, "%s", db_str(s, 9));
	snprintf(t->issued_on, sizeof t->issued_on, "%s", db_str(s, 10));
	snprintf(t->valid_until, sizeof t->valid_until, "%s", db_str(s, 11));
	snprintf(t->dues_paid_to, sizeof t->dues_paid_to, "%s", db_str(s, 12));
	snprintf(t->decided_on, sizeof t->decided_on, "%s", db_str(s, 13));
	snprintf(t->reason, sizeof t->reason, "%s", db_str(s, 14));
	snprintf(t->note, sizeof t->note, "%s", db_str(s, 15));
}

static bool side_covered(const struct actor *a, db_stmt *s)
{
	const char *fp = db_str(s, 16), *tp = db_str(s, 17);
	return (*fp && actor_covers(a, fp)) || (*tp && actor_covers(a, tp));
}

enum dj_result transfer_load(db *d, const struct actor *a, int64_t id, struct transfer *t, struct field_errors *e)
{
	db_stmt *s = db_query(d, "SELECT " T_COLS "WHERE t.id = ?", "I", id);
	bool ok = db_next(s) && (permission_allows(&perm_transfer_view, a) || a->role == A_SYSTEM) && side_covered(a, s);
	if (ok)
		t_row(s, t);
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	if (!ok)
		return dj_fail(e, DJ_NOT_FOUND, "转接记录不存在");
	return DJ_OK;
}

/* The committee an org lies under (its path), "" when none. */
static void committee_path(db *d, int64_t org_id, char out[256])
{
	*out = 0;
	db_stmt *s = db_query(
		d,
		"SELECT c.path FROM orgs c, orgs o WHERE o.id = ? AND c.type = 'committee' AND o.path LIKE c.path || '%' ORDER BY LENGTH(c.path) "
		"DESC LIMIT 1",
		"I", org_id);
	if (db_next(s))
		snprintf(out, 256, "%s", db_str(s, 0));
	db_done(s);
}

static void add_months(const char *date, int n, char out[11])
{
	char m[8], ym[8];
	snprintf(m, sizeof m, "%.7s", date);
	dues_month_add(m, n, ym);
	int day = atoi(date + 8);
	/* the same day n months on, or that month's last day */
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = atoi(ym), mo = atoi(ym + 5);
	int last = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	snprintf(out, 11, "%s-%02d", ym, day > last ? last : day);
}

/* 组转〔2026〕7号: the committee's letters of a year, numbered in order. */
static void next_letter_no(db *d, const char *date, char out[64])
{
	char like[16];
	snprintf(like, sizeof like, "%.4s-%%", date);
	int64_t n = db_int1(d, 0, "SELECT COUNT(*) FROM transfers WHERE kind <> 'incoming' AND issued_on LIKE ?", "t", like) + 1;
	snprintf(out, 64, "组转〔%.4s〕%lld号", date, (long long)n);
}

enum dj_result transfer_issue(db *d, const struct actor *a, const struct transfer_new *tn, int64_t *id, struct field_errors *e)
{
	if (!permission_allows(&perm_transfer_edit, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能办理组织关系转接");
	struct member m;
	struct org from;
	if (!tn->member_id || !member_load(d, tn->member_id, &m) || !org_load(d, m.org_id, &from) || !actor_covers(a, from.path)) {
		ferr_add(e, "member_id", "党员不存在或不在您的管辖范围内");
		return DJ_NOT_FOUND;
	}
	const char *kind = tn->kind ? tn->kind : "";
	if (strcmp(kind, "internal") && strcmp(kind, "outside"))
		ferr_add(e, "kind", "转接类型应为：镇内转接、转出镇外");
	if (!strcmp(m.status, "stopped"))
		ferr_add(e, "member_id", "已停止党籍的党员不能转接组织关系");
	else if (!strcmp(m.status, "transferred"))
		ferr_add(e, "member_id", "该党员的组织关系已转出本镇");
	char td[11], until[11];
	today(td);
	add_months(td, TRANSFER_VALID_MONTHS, until);
	if (tn->valid_until && *tn->valid_until) {
		if (!date_valid(tn->valid_until) || strcmp(tn->valid_until, td) <= 0)
			ferr_add(e, "valid_until", "有效期至：请填写今天以后的有效日期");
		else
			snprintf(until, sizeof until, "%s", tn->valid_until);
	}
	struct org to = {0};
	const char *to_name = "";
	if (!strcmp(kind, "internal")) {
		char cp[256];
		committee_path(d, from.id, cp);
		int64_t to_id = orgs_id_by_code(d, tn->to_org_code ? tn->to_org_code : "");
		if (!to_id || !org_load(d, to_id, &to) || (strcmp(to.type, "branch") && strcmp(to.type, "group")))
			ferr_add(e, "to_org", "转入组织：请选择本镇的党支部或党小组");
		else if (!*cp || strncmp(to.path, cp, strlen(cp)))
			ferr_add(e, "to_org", "转入组织不在本镇党委之内，请开具转出镇外的介绍信");
		else if (to.id == from.id || to.id == from.parent_id || to.parent_id == from.id ||
			 (!strcmp(from.type, "group") && to.parent_id == from.parent_id && !strcmp(to.type, "group")))
			ferr_add(e, "to_org", "不能转入本支部");
		to_name = to.name;
	} else if (!strcmp(kind, "outside")) {
		to_name = tn->to_org_name ? tn->to_org_name : "";
		if (utf8_len(to_name) < 2 || utf8_len(to_name) > 80)
			ferr_add(e, "to_org_name", "请填写接收党组织的名称（2 到 80 字）");
	}
	if (tn->reason && utf8_len(tn->reason) > 200)
		ferr_add(e, "reason", "转接原因不超过 200 字");
	if (e->n)
		return DJ_INVALID;
	if (db_int1(d, 0, "SELECT COUNT(*) FROM transfers WHERE member_id = ? AND state = 'issued'", "I", m.id) > 0)
		return dj_fail(e, DJ_CONFLICT, "%s 已有未办结的组织关系转接", m.name);
	char no[64], paid_to[8];
	next_letter_no(d, td, no);
	dues_paid_to(d, m.id, paid_to);
	*id = db_int1(
		d, 0,
		"INSERT INTO transfers (letter_no, kind, member_id, person_name, from_org_id, from_org_name, to_org_id, to_org_name, state, issued_on, "
		"valid_until, dues_paid_to, reason, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, 'issued', ?, ?, "
		"?, ?, ?, ?) RETURNING id",
		"ttItItIttttt"
		"II",
		no, kind, m.id, m.name, from.id, from.name, to.id, to_name, td, until, paid_to, tn->reason ? tn->reason : "", a->user_id, now_unix());
	char sum[1000];
	snprintf(sum, sizeof sum, "%s：%s 转往 %s（%s，有效期至 %s）", m.name, from.name, to_name, no, until);
	if (!*id || audit_write(d, a, "transfer.issue", "transfer", *id, from.id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	if (to.id && notify_org_role(d, to.id, "branch", "transfer", "transfer", *id, sum, now_unix()) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

/* The member moves on receipt: the account's org first (users_move_org: the
 * account and its sessions go on, scoped by the new branch), then the roster
 * (its history and audit through member_update, which finds the account
 * already where the member goes), the unpaid dues from this month. The receiving secretary acts with
 * the committee's authority the letter carries: both branches in scope. */
static enum dj_result move_member(db *d, const struct actor *a, const struct transfer *t, struct field_errors *e)
{
	struct member before, after;
	if (!member_load(d, t->member_id, &before))
		return dj_fail(e, DJ_NOT_FOUND, "党员不存在");
	struct actor ta = *a;
	char cp[256];
	committee_path(d, before.org_id, cp);
	if (*cp && strlen(cp) < strlen(actor_scope(a)))
		snprintf(ta.org_path, sizeof ta.org_path, "%s", cp);
	int64_t uid = member_account_of(d, t->member_id);
	struct user u;
	bool had_account = uid > 0 && users_get(d, uid, &u) && u.active && (!strcmp(u.role, "member") || !strcmp(u.role, "grid"));
	struct org to;
	if (!org_load(d, t->to_org_id, &to))
		return dj_fail(e, DJ_NOT_FOUND, "转入组织不存在");
	after = before;
	after.org_id = to.id;
	snprintf(after.org_code, sizeof after.org_code, "%s", to.code); /* member_validate resolves the org by its code */
	char why[120];
	snprintf(why, sizeof why, "组织关系转接 %s", t->letter_no);
	enum dj_result res;
	if (had_account && (res = users_move_org(d, &ta, uid, t->to_org_id, why, e)) != DJ_OK)
		return res;
	if ((res = member_update(d, &ta, &before, &after, e)) != DJ_OK)
		return res;
	char month[8];
	dues_month_of(now_unix(), month);
	if (dues_follow_transfer(d, t->member_id, t->to_org_id, month) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

/* The receipt (回执) of a letter to an outside org has come back: the member
 * leaves the active roster as 转出 (member_transfer_out: the history row, the audit
 * row, the account deactivated), and the dues stop after this month. */
static enum dj_result leave_county(db *d, const struct actor *a, const struct transfer *t, const char *td, struct field_errors *e)
{
	char note[400];
	snprintf(note, sizeof note, "转至%s（%s）", t->to_org_name, t->letter_no);
	enum dj_result res = member_transfer_out(d, a, t->member_id, td, note, e);
	if (res != DJ_OK)
		return res;
	char month[8];
	snprintf(month, sizeof month, "%.7s", td);
	if (dues_stop_after(d, t->member_id, month) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result transfer_act(db *d, const struct actor *a, int64_t id, const char *action, const char *note, struct field_errors *e)
{
	struct transfer t;
	db_stmt *s = db_query(d, "SELECT " T_COLS "WHERE t.id = ?", "I", id);
	bool found = db_next(s), from_side = false, to_side = false;
	if (found) {
		t_row(s, &t);
		from_side = *db_str(s, 16) && actor_covers(a, db_str(s, 16));
		to_side = *db_str(s, 17) && actor_covers(a, db_str(s, 17));
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	if (!found || !(from_side || to_side) || !permission_allows(&perm_transfer_view, a))
		return dj_fail(e, DJ_NOT_FOUND, "转接记录不存在");
	action = action ? action : "";
	if (strcmp(action, "receive") && strcmp(action, "return")) {
		ferr_add(e, "action", "操作应为：接收、退回");
		return DJ_INVALID;
	}
	const struct transfer_step *st = transfer_step_find(t.state, action, a->role);
	if (!st)
		return dj_fail(e, DJ_CONFLICT, "该转接%s，不能%s", transfer_state_label(t.state), !strcmp(action, "receive") ? "接收" : "退回");
	/* inside the committee the receiving branch confirms; a letter to an
	 * outside org is closed by the issuing side when its receipt (回执) comes back */
	if (!strcmp(action, "receive") && !strcmp(t.kind, "internal") && !to_side)
		return dj_fail(e, DJ_FORBIDDEN, "应由转入支部确认接收");
	if (!strcmp(action, "receive") && !strcmp(t.kind, "outside") && !from_side)
		return dj_fail(e, DJ_FORBIDDEN, "应由转出支部登记回执");
	char td[11];
	today(td);
	if (!strcmp(action, "receive") && strcmp(td, t.valid_until) > 0)
		return dj_fail(e, DJ_CONFLICT, "介绍信已超过有效期（至 %s），不能接收，请退回后重新开具", t.valid_until);
	if (note && utf8_len(note) > 200) {
		ferr_add(e, "note", "备注不超过 200 字");
		return DJ_INVALID;
	}
	int64_t now = now_unix();
	if (db_run(d, "UPDATE transfers SET state = ?, decided_by = ?, decided_at = ?, decided_on = ?, note = ? WHERE id = ? AND state = ?", "tIIttIt",
		   st->to, a->user_id, now, td, note ? note : "", id, t.state) != DB_OK ||
	    db_changes(d) != 1)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	if (!strcmp(action, "receive") && !strcmp(t.kind, "internal")) {
		enum dj_result res = move_member(d, a, &t, e);
		if (res != DJ_OK)
			return res;
	}
	if (!strcmp(action, "receive") && !strcmp(t.kind, "outside") && t.member_id) {
		enum dj_result res = leave_county(d, a, &t, td, e);
		if (res != DJ_OK)
			return res;
	}
	char sum[1000];
	snprintf(sum, sizeof sum, "%s：%s %s → %s（%s）", t.person_name, !strcmp(action, "receive") ? "接收" : "退回", t.from_org_name, t.to_org_name,
		 t.letter_no);
	if (audit_write(d, a, !strcmp(action, "receive") ? "transfer.receive" : "transfer.return", "transfer", id,
			t.to_org_id ? t.to_org_id : t.from_org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	if (t.from_org_id && notify_org_role(d, t.from_org_id, "branch", "transfer", "transfer", id, sum, now) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result transfer_incoming(db *d, const struct actor *a, const char *letter_no, const char *person_name, const char *from_org_name,
				 const char *to_org_code, const char *issued_on, int64_t *id, struct field_errors *e)
{
	if (!permission_allows(&perm_transfer_edit, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能办理组织关系转接");
	if (!letter_no || utf8_len(letter_no) < 2 || utf8_len(letter_no) > 40)
		ferr_add(e, "letter_no", "请填写介绍信编号");
	if (!person_name || utf8_len(person_name) < 2 || utf8_len(person_name) > 30)
		ferr_add(e, "person_name", "请填写党员姓名");
	if (!from_org_name || utf8_len(from_org_name) < 2 || utf8_len(from_org_name) > 80)
		ferr_add(e, "from_org_name", "请填写转出党组织的名称");
	char td[11];
	today(td);
	if (!issued_on || !date_valid(issued_on) || strcmp(issued_on, td) > 0)
		ferr_add(e, "issued_on", "开具日期：请填写不晚于今天的有效日期");
	struct org to;
	int64_t to_id = orgs_id_by_code(d, to_org_code ? to_org_code : "");
	if (!to_id || !org_load(d, to_id, &to) || !actor_covers(a, to.path) || (strcmp(to.type, "branch") && strcmp(to.type, "group")))
		ferr_add(e, "to_org", "转入组织：请选择您管辖的党支部");
	if (e->n)
		return DJ_INVALID;
	char until[11];
	add_months(issued_on, TRANSFER_VALID_MONTHS, until);
	if (strcmp(td, until) > 0)
		return dj_fail(e, DJ_CONFLICT, "介绍信已超过有效期（至 %s），请联系转出党组织重新开具", until);
	if (db_int1(d, 0, "SELECT COUNT(*) FROM transfers WHERE letter_no = ?", "t", letter_no) > 0)
		return dj_fail(e, DJ_CONFLICT, "介绍信 %s 已经登记过", letter_no);
	*id = db_int1(
		d, 0,
		"INSERT INTO transfers (letter_no, kind, person_name, from_org_name, to_org_id, to_org_name, state, issued_on, valid_until, issued_by, "
		"issued_at, decided_by, decided_at, decided_on) VALUES (?, 'incoming', ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		"tttIttt"
		"IIIIt",
		letter_no, person_name, from_org_name, to.id, to.name, issued_on, until, a->user_id, now_unix(), a->user_id, now_unix(), td);
	char sum[300];
	snprintf(sum, sizeof sum, "%s：%s 转入 %s（%s）", person_name, from_org_name, to.name, letter_no);
	if (!*id || audit_write(d, a, "transfer.incoming", "transfer", *id, to.id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

void transfers_each(db *d, const struct actor *a, const char *state, void (*fn)(void *ctx, const struct transfer *t), void *ctx)
{
	const char *sc = actor_scope(a);
	db_stmt *s = db_query(d,
			      "SELECT " T_COLS "WHERE (f.path LIKE ? || '%' OR g.path LIKE ? || '%') AND (CAST(? AS TEXT) IS NULL OR t.state = ?) "
			      "ORDER BY t.id DESC LIMIT 200",
			      "tttt", sc, sc, state, state);
	while (db_next(s)) {
		struct transfer t;
		t_row(s, &t);
		fn(ctx, &t);
	}
	db_done(s);
}

int64_t transfers_lapsed_count(db *d, const struct actor *a)
{
	const char *sc = actor_scope(a);
	return db_int1(d, 0,
		       "SELECT COUNT(*) FROM transfers t LEFT JOIN orgs f ON f.id = t.from_org_id LEFT JOIN orgs g ON g.id = t.to_org_id "
		       "WHERE t.state = 'lapsed' AND (f.path LIKE ? || '%' OR g.path LIKE ? || '%')",
		       "tt", sc, sc);
}

int transfers_lapse(db *d, int64_t now)
{
	struct actor sys;
	actor_system(&sys);
	char td[11];
	time_t tt = (time_t)(now + 8 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(td, sizeof td, "%Y-%m-%d", &tm);
	int64_t ids[128];
	size_t n = 0;
	db_stmt *s = db_query(d, "SELECT id FROM transfers WHERE state = 'issued' AND valid_until < ? ORDER BY id LIMIT 128", "t", td);
	while (db_next(s))
		ids[n++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct transfer t;
		struct field_errors e = {0};
		if (transfer_load(d, &sys, ids[i], &t, &e) != DJ_OK)
			return -1;
		if (!transfer_step_find(t.state, "lapse", sys.role))
			continue;
		char sum[1000];
		snprintf(sum, sizeof sum, "%s 的组织关系介绍信（%s，转往 %s）有效期至 %s，逾期未接收，已失效", t.person_name, t.letter_no, t.to_org_name,
			 t.valid_until);
		if (db_run(d, "UPDATE transfers SET state = 'lapsed', decided_at = ?, decided_on = ? WHERE id = ? AND state = 'issued'", "ItI", now, td,
			   t.id) != DB_OK ||
		    audit_write(d, &sys, "transfer.lapse", "transfer", t.id, t.from_org_id, sum) != DB_OK ||
		    (t.from_org_id && notify_org_role(d, t.from_org_id, "branch", "transfer", "transfer", t.id, sum, now) != DB_OK) ||
		    (t.to_org_id && notify_org_role(d, t.to_org_id, "branch", "transfer", "transfer", t.id, sum, now) != DB_OK) ||
		    (t.from_org_id && notify_committee_above(d, t.from_org_id, "transfer", "transfer", t.id, sum, now) != DB_OK))
			return -1;
	}
	return (int)n;
}
