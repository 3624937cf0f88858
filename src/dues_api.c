/* dues_api — the JSON API of 党费 (issue 18 §6): rates, bases, the month's
 * generation, a member's months, payments and receipts, reductions, the
 * ledger, arrears and 上缴. Thin handlers over dues.c; their routes are in
 * the module record at the end of dues_web.c. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "dues.h"
#include "dues_api.h"
#include "json.h"
#include "module.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"

static void months_json(void *ctx, const struct dues_month_row *m)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "month", m->month);
	jw_kstr(w, "category", m->category);
	jw_kint(w, "base_fen", m->base_fen);
	jw_kint(w, "due_fen", m->due_fen);
	jw_kint(w, "reduced_fen", m->reduced_fen);
	jw_kint(w, "paid_fen", m->paid_fen);
	jw_kstr(w, "status", m->status);
	jw_kstr(w, "receipt_no", *m->receipt_no ? m->receipt_no : NULL);
	jw_end(w);
}

static void member_months_answer(req *r, int64_t id);
void api_member_months(req *r) { member_months_answer(r, req_param_id(r, "id")); }
/* The caller's own dues (a member account linked to the roster). */
void api_my_months(req *r)
{
	int64_t id = dues_member_of_user(r->db, r->actor.user_id);
	if (!id) {
		req_error(r, 404, "not_found", "您的账号没有关联花名册中的党员");
		return;
	}
	member_months_answer(r, id);
}

static void member_months_answer(req *r, int64_t id)
{
	const char *year = req_query(r, "year");
	struct field_errors e = {0};
	char name[96], org[128];
	int64_t org_id;
	enum dj_result res = dues_member_brief(r->db, &r->actor, id, name, org, &org_id, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kint(&w, "member_id", id);
	jw_kstr(&w, "name", name);
	jw_kstr(&w, "org", org);
	char paid_to[8];
	dues_paid_to(r->db, id, paid_to);
	jw_kstr(&w, "paid_to", *paid_to ? paid_to : NULL);
	jw_key(&w, "months");
	jw_arr(&w);
	dues_member_months(r->db, &r->actor, id, year && *year ? year : NULL, months_json, &w, &e);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field base_fields[] = {
	{"member_id", "党员", true, 'I', NULL},   {"since", "起始月份", true, 's', NULL}, {"category", "类别", true, 's', NULL},
	{"base", "月工资基数", false, 's', NULL}, {"flat", "定额", false, 's', NULL},
};
void api_base(req *r)
{
	json_int_t mid = 0;
	const char *since = NULL, *cat = NULL, *base = NULL, *flat = NULL;
	if (!req_json_unpack(r, base_fields, false, "{s:I, s:s, s:s, s?s, s?s}", "member_id", &mid, "since", &since, "category", &cat, "base", &base,
			     "flat", &flat))
		return;
	struct field_errors e = {0};
	int64_t b = 0, f = 0;
	if (base && *base == '-')
		ferr_add(&e, "base", "月工资基数不能为负数");
	else
		dues_money_field(base, "base", "月工资基数", &b, &e);
	dues_money_field(flat, "flat", "定额", &f, &e);
	if (e.n) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	enum dj_result res = dues_base_set(r->db, &r->actor, (int64_t)mid, since, cat, b, f, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 201, &w);
	jw_kint(&w, "member_id", mid);
	jw_kstr(&w, "since", since);
	jw_end(&w);
}

static const struct json_field generate_fields[] = {{"month", "月份", true, 's', NULL}, {"org", "组织", false, 's', NULL}};
void api_generate(req *r)
{
	const char *month = NULL, *org = NULL;
	if (!req_json_unpack(r, generate_fields, false, "{s:s, s?s}", "month", &month, "org", &org))
		return;
	struct org_ref o;
	if (!orgs_from_request(r, org, &perm_dues_edit, &o))
		return;
	struct field_errors e = {0};
	int made = 0;
	enum dj_result res = dues_generate(r->db, &r->actor, o.path, month, &made, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "month", month);
	jw_kint(&w, "made", made);
	jw_end(&w);
}

static void receipt_json(jw *w, const struct dues_receipt *x)
{
	jw_obj(w);
	jw_kint(w, "id", x->id);
	jw_kstr(w, "receipt_no", x->receipt_no);
	jw_kint(w, "member_id", x->member_id);
	jw_kstr(w, "member", x->member_name);
	jw_kstr(w, "org", x->org_name);
	jw_kstr(w, "method", x->method);
	jw_kstr(w, "payer", *x->payer_name ? x->payer_name : NULL);
	jw_kint(w, "amount_fen", x->amount_fen);
	jw_kstr(w, "months", x->months);
	jw_kstr(w, "paid_on", x->paid_on);
	jw_end(w);
}

static const struct json_field pay_fields[] = {
	{"member_id", "党员", true, 'I', NULL},          {"months", "月份", true, 'a', NULL},      {"method", "缴纳方式", true, 's', NULL},
	{"payer_member_id", "代缴人", false, 'I', NULL}, {"amount_fen", "金额", false, 'I', NULL}, {"paid_on", "缴纳日期", false, 's', NULL},
};
void api_pay(req *r)
{
	json_int_t mid = 0, payer = 0, amount = 0;
	json_t *months = NULL;
	const char *method = NULL, *paid_on = NULL;
	if (!req_json_unpack(r, pay_fields, false, "{s:I, s:o, s:s, s?I, s?I, s?s}", "member_id", &mid, "months", &months, "method", &method,
			     "payer_member_id", &payer, "amount_fen", &amount, "paid_on", &paid_on))
		return;
	struct field_errors e = {0};
	struct dues_pay p = {0};
	p.member_id = (int64_t)mid, p.method = method, p.payer_member_id = (int64_t)payer, p.amount_fen = (int64_t)amount, p.paid_on = paid_on;
	size_t i;
	json_t *v;
	json_array_foreach(months, i, v)
	{
		if (!json_is_string(v) || p.nmonths >= 24) {
			ferr_add(&e, "months", "月份应为 YYYY-MM 字符串的列表（最多 24 个）");
			break;
		}
		p.months[p.nmonths++] = json_string_value(v);
	}
	if (e.n) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	int64_t pid = 0;
	enum dj_result res = dues_pay(r->db, &r->actor, &p, &pid, &e);
	struct dues_receipt x;
	if (res == DJ_OK)
		res = dues_receipt_load(r->db, &r->actor, pid, &x, &e);
	if (!req_ok(r, res, &e))
		return;
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	receipt_json(&w, &x);
}

void api_receipt(req *r)
{
	struct dues_receipt x;
	struct field_errors e = {0};
	enum dj_result res = dues_receipt_load(r->db, &r->actor, req_param_id(r, "id"), &x, &e);
	if (!req_ok(r, res, &e))
		return;
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	receipt_json(&w, &x);
}

static const struct json_field reduce_fields[] = {
	{"member_id", "党员", true, 'I', NULL}, {"from", "起始月份", true, 's', NULL},    {"to", "截止月份", true, 's', NULL},
	{"kind", "类型", true, 's', NULL},      {"amount_fen", "金额", false, 'I', NULL}, {"reason", "理由", true, 's', NULL},
};
void api_reduce(req *r)
{
	json_int_t mid = 0, amount = 0;
	const char *from = NULL, *to = NULL, *kind = NULL, *reason = NULL;
	if (!req_json_unpack(r, reduce_fields, false, "{s:I, s:s, s:s, s:s, s?I, s:s}", "member_id", &mid, "from", &from, "to", &to, "kind", &kind,
			     "amount_fen", &amount, "reason", &reason))
		return;
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = dues_reduction_request(r->db, &r->actor, (int64_t)mid, from, to, kind, (int64_t)amount, reason, &id, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 201, &w);
	jw_kint(&w, "id", id);
	jw_kstr(&w, "state", "requested");
	jw_end(&w);
}

static const struct json_field decide_fields[] = {{"approve", "是否批准", true, 'b', NULL}, {"note", "意见", false, 's', NULL}};
void api_decide(req *r)
{
	int approve = 0;
	const char *note = NULL;
	if (!req_json_unpack(r, decide_fields, false, "{s:b, s?s}", "approve", &approve, "note", &note))
		return;
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id");
	enum dj_result res = dues_reduction_decide(r->db, &r->actor, id, approve != 0, note, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kint(&w, "id", id);
	jw_kstr(&w, "state", approve ? "approved" : "rejected");
	jw_end(&w);
}

static void totals_json(jw *w, const struct dues_totals *t)
{
	jw_kint(w, "members", t->members);
	jw_kint(w, "due_fen", t->due);
	jw_kint(w, "reduced_fen", t->reduced);
	jw_kint(w, "paid_fen", t->paid);
	jw_kint(w, "owing_fen", t->owing);
}

static void ledger_json(void *ctx, const struct dues_ledger_row *l)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "org", l->org_code);
	jw_kstr(w, "org_name", l->org_name);
	totals_json(w, &l->t);
	jw_end(w);
}

void api_ledger(req *r)
{
	struct org_ref o;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_dues_view, &o))
		return;
	const char *period = req_query(r, "period");
	char cur[8];
	dues_month_of(now_unix(), cur);
	if (!period)
		period = cur;
	struct field_errors e = {0};
	struct dues_totals t;
	/* rows first into a buffer of their own: a failure answers without them */
	buf rows = {0};
	jw w;
	jw_rows(&w, &rows);
	enum dj_result res = dues_ledger(r->db, &r->actor, o.path, period, ledger_json, &w, &t, &e);
	if (!req_rows_done(r, &w, &rows, res, &e))
		return;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "org", o.code);
	jw_kstr(&w, "period", period);
	jw_key(&w, "total");
	jw_obj(&w);
	totals_json(&w, &t);
	jw_end(&w);
	jw_krows(&w, "orgs", &rows);
	jw_end(&w);
}

static void arrear_json(void *ctx, const struct dues_arrear *a)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "member_id", a->member_id);
	jw_kstr(w, "name", a->name);
	jw_kstr(w, "org_name", a->org_name);
	jw_kint(w, "months", a->months);
	jw_kstr(w, "since", a->first_month);
	jw_kint(w, "owing_fen", a->owing_fen);
	jw_kbool(w, "flagged", a->flagged);
	jw_end(w);
}

void api_arrears(req *r)
{
	struct org_ref o;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_dues_view, &o))
		return;
	struct field_errors e = {0};
	jw w;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "org", o.code);
	jw_key(&w, "members");
	jw_arr(&w);
	enum dj_result res = dues_arrears(r->db, &r->actor, o.path, now_unix(), arrear_json, &w, &e);
	if (res != DJ_OK) {
		r->out.len = 0;
		req_fail(r, res, &e);
		return;
	}
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field remit_fields[] = {{"org", "党支部", true, 's', NULL}, {"note", "备注", false, 's', NULL}};
void api_remit(req *r)
{
	const char *org = NULL, *note = NULL;
	if (!req_json_unpack(r, remit_fields, false, "{s:s, s?s}", "org", &org, "note", &note))
		return;
	struct org_ref o;
	if (!orgs_from_request(r, org, &perm_dues_edit, &o))
		return;
	struct field_errors e = {0};
	int64_t id, amount;
	enum dj_result res = dues_remit(r->db, &r->actor, o.id, note, &id, &amount, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 201, &w);
	jw_kint(&w, "id", id);
	jw_kint(&w, "amount_fen", amount);
	jw_end(&w);
}

static void rate_json(void *ctx, const struct dues_rate *x)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", x->id);
	jw_kstr(w, "since", x->since);
	jw_key(w, "in_service");
	jw_arr(w);
	const int64_t up[] = {x->s1_upto, x->s2_upto, x->s3_upto, -1}, bp[] = {x->s1_bp, x->s2_bp, x->s3_bp, x->s4_bp};
	for (int i = 0; i < 4; i++) {
		jw_obj(w);
		if (up[i] >= 0)
			jw_kint(w, "upto_fen", up[i]);
		else {
			jw_key(w, "upto_fen");
			jw_null(w);
		}
		jw_kint(w, "bp", bp[i]);
		jw_end(w);
	}
	jw_aend(w);
	jw_key(w, "retired");
	jw_arr(w);
	jw_obj(w);
	jw_kint(w, "upto_fen", x->r1_upto);
	jw_kint(w, "bp", x->r1_bp);
	jw_end(w);
	jw_obj(w);
	jw_key(w, "upto_fen");
	jw_null(w);
	jw_kint(w, "bp", x->r2_bp);
	jw_end(w);
	jw_aend(w);
	jw_kint(w, "flat_min_fen", x->flat_min);
	jw_kint(w, "flat_max_fen", x->flat_max);
	jw_end(w);
}

void api_rates(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_arr(&w);
	dues_rates_each(r->db, rate_json, &w);
	jw_aend(&w);
}

static const struct json_field rate_fields[] = {
	{"since", "生效日期", true, 's', NULL},       {"s1_upto", "第一档上限", true, 'I', NULL},   {"s1_bp", "第一档比例", true, 'I', NULL},
	{"s2_upto", "第二档上限", true, 'I', NULL},   {"s2_bp", "第二档比例", true, 'I', NULL},     {"s3_upto", "第三档上限", true, 'I', NULL},
	{"s3_bp", "第三档比例", true, 'I', NULL},     {"s4_bp", "第四档比例", true, 'I', NULL},     {"r1_upto", "离退休档上限", true, 'I', NULL},
	{"r1_bp", "离退休一档比例", true, 'I', NULL}, {"r2_bp", "离退休二档比例", true, 'I', NULL}, {"flat_min", "定额下限", true, 'I', NULL},
	{"flat_max", "定额上限", true, 'I', NULL},
};
void api_rate_add(req *r)
{
	const char *since = NULL;
	json_int_t v[12] = {0};
	if (!req_json_unpack(r, rate_fields, false, "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "since", &since, "s1_upto", &v[0],
			     "s1_bp", &v[1], "s2_upto", &v[2], "s2_bp", &v[3], "s3_upto", &v[4], "s3_bp", &v[5], "s4_bp", &v[6], "r1_upto", &v[7], "r1_bp",
			     &v[8], "r2_bp", &v[9], "flat_min", &v[10], "flat_max", &v[11]))
		return;
	struct dues_rate x = {0};
	snprintf(x.since, sizeof x.since, "%s", since);
	x.s1_upto = v[0], x.s1_bp = v[1], x.s2_upto = v[2], x.s2_bp = v[3], x.s3_upto = v[4], x.s3_bp = v[5], x.s4_bp = v[6];
	x.r1_upto = v[7], x.r1_bp = v[8], x.r2_bp = v[9], x.flat_min = v[10], x.flat_max = v[11];
	struct field_errors e = {0};
	if (strlen(since) > 10)
		ferr_add(&e, "since", "生效日期：格式 YYYY-MM-DD");
	enum dj_result res = e.n ? DJ_INVALID : dues_rate_add(r->db, &r->actor, &x, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 201, &w);
	jw_kstr(&w, "since", x.since);
	jw_end(&w);
}
