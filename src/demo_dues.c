/* demo_dues — a year of 党费 and the transfers of the demo town (issue 18
 * §7). The year's bases, months and quarterly payments of ~600 members are
 * written in bulk, row for row what dues_base_set, dues_generate and
 * dues_pay write (the amounts from dues_amount), so the demo stays quick on
 * both engines; the cases a user looks at — a 代缴, a waiver approved by the
 * committee, the 上缴 of the branches, the six-month flag, transfers in
 * every state — go through the domain functions themselves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo.h"
#include "dues.h"
#include "transfers.h"
#include "util.h"
#include "valid.h"

struct demo_member {
	int64_t id, org_id, branch_id;
	char name[96], category[16];
	int64_t base, flat, due;
	int unpaid; /* months at the end of the year left owing */
};

static int fail(db *d, const char *what)
{
	fprintf(stderr, "dangjian demo: dues: %s: %s\n", what, db_errmsg(d));
	return 1;
}

/* Writes a payment of months [from, to) of m, as dues_pay would. */
static int pay_bulk(db *d, const struct demo_member *m, const char *months[], int from, int to, int64_t uid, int64_t *seq_by_year, int64_t at)
{
	if (to <= from)
		return 0;
	char list[200] = "", paid_on[11];
	for (int i = from; i < to; i++) {
		size_t l = strlen(list);
		snprintf(list + l, sizeof list - l, "%s%s", i > from ? "、" : "", months[i]);
	}
	/* paid in the middle of the first month, by the branch's secretary */
	snprintf(paid_on, sizeof paid_on, "%s-%02d", months[from], 8 + (int)(m->id % 15));
	char td[11];
	today(td);
	if (strcmp(paid_on, td) > 0) /* this month's: not later than today */
		memcpy(paid_on, td, sizeof paid_on);
	if (at > now_unix())
		at = now_unix();
	int year = atoi(paid_on);
	int64_t *seq = &seq_by_year[year % 2];
	++*seq;
	char no[48];
	snprintf(no, sizeof no, "DF%04d%06lld", year, (long long)*seq);
	int64_t amount = m->due * (to - from);
	int64_t id = db_int1(
		d, 0,
		"INSERT INTO dues_payments (receipt_no, year, seq, member_id, org_id, method, payer_name, amount_fen, months, paid_on, user_id, at) "
		"VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
		"tIIIItIttII", no, (int64_t)year, *seq, m->id, m->org_id, m->id % 3 ? "cash" : "transfer", amount, list, paid_on, uid, at);
	if (!id)
		return 1;
	for (int i = from; i < to; i++)
		if (db_run(d, "UPDATE dues_months SET paid_fen = due_fen, status = 'paid', payment_id = ? WHERE member_id = ? AND month = ?", "IIt", id,
			   m->id, months[i]) != DB_OK)
			return 1;
	return 0;
}

int demo_dues(db *d, const struct actor *cli, FILE *out)
{
	int64_t now = now_unix();
	/* the months of the demo's window of records (demo.h): the current one
	 * and the eleven before, twelve in December */
	char mbuf[13][8];
	const char *months[13];
	int nm = demo_window_months(now);
	for (int i = 0; i < nm; i++) {
		demo_window_month(now, i, mbuf[i]);
		months[i] = mbuf[i];
	}
	struct dues_rate rate;
	if (!dues_rate_for(d, months[0], &rate))
		return fail(d, "no rate");
	/* the members and what they are: retirees, in-service members with a
	 * pay base, villagers paying a flat amount */
	size_t n = 0, cap = 1024;
	struct demo_member *ms = calloc(cap, sizeof *ms);
	if (!ms)
		return 1;
	db_stmt *s = db_query(
		d,
		"SELECT m.id, m.org_id, m.name, m.status, m.in_service, o.kind, CASE WHEN o.type = 'group' THEN o.parent_id ELSE o.id END FROM members m JOIN orgs o ON o.id = m.org_id "
		"WHERE m.status NOT IN ('stopped', 'transferred') ORDER BY m.id",
		"");
	while (db_next(s) && n < cap) {
		struct demo_member *m = &ms[n++];
		m->id = db_int(s, 0), m->org_id = db_int(s, 1), m->branch_id = db_int(s, 6);
		snprintf(m->name, sizeof m->name, "%s", db_str(s, 2));
		const char *st = db_str(s, 3), *kind = db_str(s, 5);
		bool in_service = db_int(s, 4) != 0;
		/* pay between ¥2,000 and ¥13,000 in whole yuan, by the member's id */
		m->base = (200000 + (m->id * 7919) % 1100000) / 100 * 100;
		if (!strcmp(st, "retired"))
			snprintf(m->category, sizeof m->category, "retired"), m->base = m->base / 2 / 100 * 100;
		else if (!in_service && (!strcmp(kind, "农村") || !strcmp(kind, "社会组织")))
			snprintf(m->category, sizeof m->category, "farmer"), m->flat = 20 + (m->id % 5) * 20, m->base = 0;
		else
			snprintf(m->category, sizeof m->category, "in_service");
		if (!dues_amount(&rate, m->category, m->base, m->flat, &m->due))
			m->due = 0;
		/* most have paid this month too, a third pay at the month's meeting still to come; some owe two to four months */
		m->unpaid = m->id % 13 == 5 ? 2 + (int)(m->id % 3) : m->id % 3 == 0 ? 1 : 0;
	}
	if (db_done(s) != DB_OK) {
		free(ms);
		return fail(d, "members");
	}
	int64_t secretary = db_int1(d, 0, "SELECT id FROM users WHERE username = 'chenji'", "");
	/* 陈集村's case members: the six-month arrear, the waiver, the 代缴 */
	int64_t cjc = db_int1(d, 0, "SELECT id FROM orgs WHERE code = 'CJZ-CJC'", "");
	int64_t dangyuan = db_int1(d, 0, "SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.username = 'dangyuan'", "");
	int64_t arrear = 0, waived = 0, proxied = 0, payer = 0;
	for (size_t i = 0; i < n; i++) {
		struct demo_member *m = &ms[i];
		/* the case members are plain members, not the secretary or the demo logins */
		if (m->branch_id != cjc || m->id == dangyuan ||
		    db_int1(d, 1, "SELECT COUNT(*) FROM members WHERE id = ? AND user_id IS NOT NULL", "I", m->id))
			continue;
		if (!arrear)
			arrear = m->id, m->unpaid = 7;
		else if (!waived && !strcmp(m->category, "farmer") && m->id != arrear)
			waived = m->id, m->unpaid = 3;
		else if (!proxied && m->id != arrear && m->id != waived)
			proxied = m->id, m->unpaid = 4;
		else if (!payer && m->id != arrear && m->id != waived && m->id != proxied)
			payer = m->id;
	}
	int64_t seq[2] = {0, 0};
	for (size_t i = 0; i < n; i++) {
		struct demo_member *m = &ms[i];
		if (db_run(d, "INSERT INTO dues_bases (member_id, since, category, base_fen, flat_fen, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			   "IttIIII", m->id, months[0], m->category, m->base, m->flat, secretary, demo_window_start(now)) != DB_OK) {
			free(ms);
			return fail(d, "bases");
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct demo_member *m = &ms[i];
		for (int k = 0; k < nm; k++)
			if (db_run(d,
				   "INSERT INTO dues_months (member_id, org_id, month, category, base_fen, rate_id, due_fen, reduced_fen, status, reduction_id, "
				   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'owing', 0, ?)",
				   "IIttIIII", m->id, m->org_id, months[k], m->category, m->base, rate.id, m->due,
				   now - (nm - 1 - k) * 30 * 86400) != DB_OK) {
				free(ms);
				return fail(d, "months");
			}
		/* quarterly payments over the months that are paid */
		int paid = nm - m->unpaid;
		for (int k = 0; k < paid; k += 3)
			if (pay_bulk(d, m, months, k, k + 3 < paid ? k + 3 : paid, secretary, seq,
				     now - (int64_t)(nm - 1 - k) * 30 * 86400 + (m->id % 15) * 86400)) {
				free(ms);
				return fail(d, "payments");
			}
	}
	free(ms);
	/* payments were numbered per year in bulk: keep the year of each */
	(void)seq;

	/* what the branches collected so far goes up to the committee, but
	 * 陈集村's, which is still to be sent */
	int64_t branches[32];
	size_t nb = 0;
	s = db_query(d, "SELECT id FROM orgs WHERE type = 'branch' AND code <> 'CJZ-CJC' ORDER BY id", "");
	while (db_next(s) && nb < 32)
		branches[nb++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return fail(d, "branches");
	struct field_errors e = {0};
	for (size_t i = 0; i < nb; i++) {
		int64_t rid, amount;
		enum dj_result res = dues_remit(d, cli, branches[i], "交镇党委组织办", &rid, &amount, &e);
		if (res != DJ_OK && res != DJ_CONFLICT) {
			fprintf(stderr, "dangjian demo: dues remit: %s\n", dj_message(res, &e));
			return 1;
		}
		memset(&e, 0, sizeof e);
	}

	/* a waiver: requested by the branch, approved by the committee */
	struct actor branch = *cli, committee = *cli;
	branch.role = R_BRANCH, committee.role = R_COMMITTEE;
	int64_t red = 0;
	enum dj_result res = DJ_OK;
	if (waived) {
		res = dues_reduction_request(d, &branch, waived, months[nm - 3], months[nm - 1], "waive", 0, "因病住院，家庭困难，申请免缴三个月党费",
					     &red, &e);
		if (res == DJ_OK)
			res = dues_reduction_decide(d, &committee, red, true, "同意", &e);
	}
	/* a 代缴: a family member pays for one working away */
	if (res == DJ_OK && proxied && payer) {
		struct dues_pay p = {.member_id = proxied, .method = "proxy", .payer_member_id = payer, .nmonths = 2};
		p.months[0] = months[nm - 4], p.months[1] = months[nm - 3];
		int64_t pid;
		res = dues_pay(d, &branch, &p, &pid, &e);
	}
	/* the monthly task: this month for everyone (already there), and the six-month flag */
	if (res == DJ_OK && dues_task(d, now) < 0)
		res = DJ_DB_ERROR;
	if (res != DJ_OK) {
		fprintf(stderr, "dangjian demo: dues: %s\n", dj_message(res, &e));
		return 1;
	}
	if (demo_transfers(d, cli) != 0)
		return 1;
	fprintf(out, "Dues: a year for every member, a waiver, a 代缴, arrears; transfers in every state.\n");
	return 0;
}

/* The id of the first active member of an org who has no account and no transfer. */
static int64_t pick_member(db *d, const char *org, int skip)
{
	return db_int1(d, 0,
		       "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.code = ? AND m.status = 'active' AND m.user_id IS NULL "
		       "AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.member_id = m.id) ORDER BY m.id LIMIT 1 OFFSET ?",
		       "tI", org, (int64_t)skip);
}

/* What was written when the letter was issued and acted on — its audit rows,
 * the messages (and their outbox copies), the member's history — tells the
 * letter's number and validity as issued today; put back, the letter has
 * another validity and perhaps another number (last year's, in January):
 * they say the ones it has. Right after the letter's issue no other letter
 * has its number (numbers are unique, and each letter is put back before the
 * next one is issued), so the rows naming it are its own. */
static int retell(db *d, int64_t id, const char *was_no, const char *no, const char *was_until, const char *until)
{
	char a[64], b[64];
	if (strcmp(was_no, no) &&
	    (db_run(d, "UPDATE audit SET summary = REPLACE(summary, ?, ?) WHERE summary LIKE '%' || ? || '%'", "ttt", was_no, no, was_no) != DB_OK ||
	     db_run(d, "UPDATE outbox SET text = REPLACE(text, ?, ?) WHERE text LIKE '%' || ? || '%'", "ttt", was_no, no, was_no) != DB_OK ||
	     db_run(d, "UPDATE notifications SET text = REPLACE(text, ?, ?) WHERE text LIKE '%' || ? || '%'", "ttt", was_no, no, was_no) != DB_OK ||
	     db_run(d, "UPDATE member_history SET note = REPLACE(note, ?, ?) WHERE note LIKE '%' || ? || '%'", "ttt", was_no, no, was_no) != DB_OK))
		return DB_ERR;
	if (!strcmp(was_until, until))
		return DB_OK;
	snprintf(a, sizeof a, "有效期至 %s", was_until);
	snprintf(b, sizeof b, "有效期至 %s", until);
	if (db_run(d,
		   "UPDATE outbox SET text = REPLACE(text, ?, ?) WHERE text IN (SELECT text FROM notifications WHERE entity = 'transfer' AND entity_id = ?)",
		   "ttI", a, b, id) != DB_OK ||
	    db_run(d, "UPDATE notifications SET text = REPLACE(text, ?, ?) WHERE entity = 'transfer' AND entity_id = ?", "ttI", a, b, id) != DB_OK ||
	    db_run(d, "UPDATE audit SET summary = REPLACE(summary, ?, ?) WHERE entity = 'transfer' AND entity_id = ?", "ttI", a, b, id) != DB_OK)
		return DB_ERR;
	return DB_OK;
}

/* Puts a transfer's dates back to when it happened. */
static int backdate(db *d, int64_t id, int64_t now, int issued_days_ago, int decided_days_ago)
{
	char issued[11], until[11], decided[11];
	int64_t t = now - (int64_t)issued_days_ago * 86400 + 8 * 3600;
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(issued, sizeof issued, "%Y-%m-%d", &tm);
	tt = (time_t)(t + 91 * 86400);
	gmtime_r(&tt, &tm);
	strftime(until, sizeof until, "%Y-%m-%d", &tm);
	tt = (time_t)(now - (int64_t)decided_days_ago * 86400 + 8 * 3600);
	gmtime_r(&tt, &tm);
	strftime(decided, sizeof decided, "%Y-%m-%d", &tm);
	char was_no[64] = "", was_until[11] = "";
	db_stmt *s = db_query(d, "SELECT letter_no, valid_until FROM transfers WHERE id = ?", "I", id);
	if (db_next(s))
		snprintf(was_no, sizeof was_no, "%s", db_str(s, 0)), snprintf(was_until, sizeof was_until, "%s", db_str(s, 1));
	if (db_done(s) != DB_OK)
		return DB_ERR;
	if (db_run(d,
		   "UPDATE transfers SET issued_on = ?, valid_until = ?, issued_at = ?, decided_on = CASE WHEN decided_on = '' THEN '' ELSE ? END "
		   "WHERE id = ?",
		   "ttItI", issued, until, now - (int64_t)issued_days_ago * 86400, decided, id) != DB_OK)
		return DB_ERR;
	/* put back into last year (in January), the letter takes that year's
	 * next number (transfers.c numbers the letters of a year in order), or
	 * this year's next letter would repeat its number */
	char like[16], no[64];
	snprintf(like, sizeof like, "%.4s-%%", issued);
	snprintf(no, sizeof no, "组转〔%.4s〕%%", issued);
	if (db_int1(d, 1, "SELECT COUNT(*) FROM transfers WHERE id = ? AND letter_no LIKE ?", "It", id, no)) {
		snprintf(no, sizeof no, "%s", was_no);
	} else {
		int64_t n = db_int1(d, 0, "SELECT COUNT(*) FROM transfers WHERE kind <> 'incoming' AND issued_on LIKE ? AND id <> ?", "tI", like, id) + 1;
		snprintf(no, sizeof no, "组转〔%.4s〕%lld号", issued, (long long)n);
		if (db_run(d, "UPDATE transfers SET letter_no = ? WHERE id = ?", "tI", no, id) != DB_OK)
			return DB_ERR;
	}
	return retell(d, id, was_no, no, was_until, until);
}

int demo_transfers(db *d, const struct actor *cli)
{
	int64_t now = now_unix();
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res;
	/* completed: 西街村 → 陈集村 inside the town, received */
	struct transfer_new t1 = {pick_member(d, "CJZ-XJC", 0), "internal", "CJZ-CJC", NULL, NULL, "婚后随配偶居住陈集村"};
	if ((res = transfer_issue(d, cli, &t1, &id, &e)) != DJ_OK || (res = transfer_act(d, cli, id, "receive", "已报到", &e)) != DJ_OK)
		goto failed;
	if (backdate(d, id, now, 75, 68) != DB_OK)
		return fail(d, "transfer dates");
	/* pending: 陈集村 → 西街村, waiting for 西街村 to confirm */
	struct transfer_new t2 = {pick_member(d, "CJZ-CJC", 2), "internal", "CJZ-XJC", NULL, NULL, "在西街村经营农资门市，就近参加组织生活"};
	if ((res = transfer_issue(d, cli, &t2, &id, &e)) != DJ_OK)
		goto failed;
	if (backdate(d, id, now, 9, 0) != DB_OK)
		return fail(d, "transfer dates");
	/* lapsed: a letter to an outside org never received within three months */
	struct transfer_new t3 = {pick_member(d, "CJZ-DSQ", 0), "outside", NULL, "中共东阿县新城街道委员会", NULL, "迁居县城"};
	if ((res = transfer_issue(d, cli, &t3, &id, &e)) != DJ_OK)
		goto failed;
	if (backdate(d, id, now, 120, 0) != DB_OK || transfers_lapse(d, now) < 0)
		return fail(d, "transfer lapse");
	/* returned: an outside letter sent back (wrong receiving org) */
	struct transfer_new t4 = {pick_member(d, "CJZ-WZC", 0), "outside", NULL, "中共聊城市东昌府区古楼街道委员会", NULL, "外出务工"};
	if ((res = transfer_issue(d, cli, &t4, &id, &e)) != DJ_OK ||
	    (res = transfer_act(d, cli, id, "return", "接收党组织名称有误，退回重开", &e)) != DJ_OK)
		goto failed;
	if (backdate(d, id, now, 40, 35) != DB_OK)
		return fail(d, "transfer dates");
	/* received outside: the receipt (回执) of a letter to the county town came
	 * back, so the member is 转出 — off the active roster, the account closed,
	 * the dues stopped after this month */
	struct transfer_new t5 = {pick_member(d, "CJZ-WZC", 1), "outside", NULL, "中共东阿县铜城街道委员会", NULL, "随子女到县城定居"};
	if ((res = transfer_issue(d, cli, &t5, &id, &e)) != DJ_OK || (res = transfer_act(d, cli, id, "receive", "回执已寄回", &e)) != DJ_OK)
		goto failed;
	if (backdate(d, id, now, 24, 0) != DB_OK)
		return fail(d, "transfer dates");
	/* incoming from outside, by its letter number */
	char on[11];
	time_t tt = (time_t)(now - 50 * 86400 + 8 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(on, sizeof on, "%Y-%m-%d", &tm);
	if ((res = transfer_incoming(d, cli, "阳组转〔2026〕31号", "高云峰", "中共阳谷县阿城镇委员会", "CJZ-HZC", on, &id, &e)) != DJ_OK)
		goto failed;
	return 0;
failed:
	fprintf(stderr, "dangjian demo: transfers: %s\n", dj_message(res, &e));
	return 1;
}
