/* orders_api — the JSON API of the closed loop (issue 4 §10): the public
 * placing and tracking of orders, the staff's lists and actions, and the
 * transition table itself, so that clients and tests read the same table. */
#include "orders_api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer_memo.h"
#include "auth.h"
#include "json.h"
#include "order_stats_memo.h"
#include "orders.h"
#include "orgs.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"
#include "web.h"

static const struct json_field new_order_fields[] = {
	{"kind", "诉求类型", true, 's', NULL},          {"urgency", "紧急程度", false, 's', NULL}, {"content", "诉求内容", true, 's', NULL},
	{"org", "所在村（社区）", false, 's', NULL},    {"grid", "网格", false, 's', NULL},        {"contact_name", "联系人姓名", true, 's', NULL},
	{"contact_phone", "联系电话", true, 's', NULL}, {"address", "地址", false, 's', NULL},     {NULL, NULL, false, 0, NULL},
};

/* Copies a string that must fit; an overlong one is a field error. */
static void copy_field(char *dst, size_t n, const char *field, const char *v, struct field_errors *e)
{
	if (v && strlen(v) >= n)
		ferr_add(e, field, "内容过长");
	else
		snprintf(dst, n, "%s", v ? v : "");
}

void orders_api_public_create(req *r)
{
	const char *kind = NULL, *urgency = NULL, *content = NULL, *org = NULL, *grid = NULL, *name = NULL, *phone = NULL, *address = NULL;
	if (!req_json_unpack(r, new_order_fields, false, "{s?s, s?s, s?s, s?s, s?s, s?s, s?s, s?s}", "kind", &kind, "urgency", &urgency, "content",
			     &content, "org", &org, "grid", &grid, "contact_name", &name, "contact_phone", &phone, "address", &address))
		return;
	struct field_errors e = {0};
	struct order_new o;
	memset(&o, 0, sizeof o);
	copy_field(o.kind, sizeof o.kind, "kind", kind, &e);
	copy_field(o.urgency, sizeof o.urgency, "urgency", urgency, &e);
	copy_field(o.content, sizeof o.content, "content", content, &e);
	copy_field(o.org_code, sizeof o.org_code, "org", org, &e);
	copy_field(o.grid_code, sizeof o.grid_code, "grid", grid, &e);
	copy_field(o.contact_name, sizeof o.contact_name, "contact_name", name, &e);
	copy_field(o.contact_phone, sizeof o.contact_phone, "contact_phone", phone, &e);
	copy_field(o.address, sizeof o.address, "address", address, &e);
	const char *key = req_header(r, "Idempotency-Key");
	bool printable = true; /* visible ASCII (an sf-string of the IETF draft): nothing SQL would refuse */
	for (const char *c = key; c && *c; c++)
		printable &= *c > 0x20 && *c < 0x7f;
	if (key && (strlen(key) < 8 || strlen(key) > 64 || !printable))
		ferr_add(&e, "Idempotency-Key", "Idempotency-Key 应为 8 到 64 个字符");
	else if (key)
		snprintf(o.idempotency_key, sizeof o.idempotency_key, "%s", key);
	if (e.n) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	if (!order_place_admit(r->db, r->ip, &o, now_unix())) {
		/* refused requests roll back their own count: the ones that were placed keep it full */
		req_set_header(r, "Retry-After", "3600");
		req_error(r, 429, "rate_limited", "提交过于频繁，请一小时后再试，或直接联系村（社区）党支部");
		return;
	}
	char code[24];
	bool repeated;
	enum dj_result res = order_create(r->db, &r->actor, &o, code, &repeated, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, repeated ? 200 : 201);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kstr(&w, "code", code);
	jw_kstr(&w, "status", "open");
	jw_kstr(&w, "state", "submitted");
	jw_kbool(&w, "repeated", repeated);
	jw_end(&w);
}

static void event_json(void *ctx, const struct order_event *ev)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "at", ev->at);
	jw_kstr(w, "action", ev->action);
	jw_kstr(w, "action_label", order_action_label(ev->action));
	jw_kstr(w, "from", ev->from);
	jw_kstr(w, "to", ev->to);
	/* residents see which body acted, not the staff member's account */
	jw_kstr(w, "by", ev->actor);
	jw_kstr(w, "note", ev->note);
	jw_end(w);
}

enum { NO_HISTORY, PUBLIC_HISTORY, FULL_HISTORY };

/* revealed (issue 10 §4): the full phone and the address, after order_reveal_phone */
static void order_json_ex(jw *w, db *d, const struct order *o, int64_t now, bool staff, int history, bool revealed)
{
	bool open = order_state_open(o->state);
	jw_obj(w);
	if (staff)
		jw_kint(w, "id", o->id);
	jw_kstr(w, "code", o->code);
	jw_kstr(w, "kind", o->kind);
	jw_kstr(w, "kind_label", order_kind_label(o->kind));
	jw_kstr(w, "urgency", o->urgency);
	jw_kstr(w, "content", o->content);
	jw_kstr(w, "org", o->org_code);
	jw_kstr(w, "org_name", o->org_name);
	jw_kstr(w, "grid", *o->grid_code ? o->grid_code : NULL);
	jw_kstr(w, "state", o->state);
	jw_kstr(w, "state_label", order_state_label(o->state));
	jw_kstr(w, "status", open ? "open" : "closed"); /* Open311 GeoReport v2 */
	jw_kstr(w, "level", o->level);
	jw_kbool(w, "escalated", o->escalated);
	if (staff) {
		jw_kstr(w, "assignee", *o->assignee_username ? o->assignee_username : NULL);
		jw_kstr(w, "assignee_name", *o->assignee_name ? o->assignee_name : NULL);
		char ph[24];
		mask_phone(o->contact_phone, ph);
		jw_kstr(w, "contact_name", o->contact_name);
		jw_kstr(w, "contact_phone", revealed ? o->contact_phone : ph);
		if (revealed)
			jw_kstr(w, "address", o->address);
		jw_kint(w, "reminded_at", o->reminded_at);
	}
	jw_kstr(w, "result", o->result);
	jw_kstr(w, "close_reason", *o->close_reason ? o->close_reason : NULL);
	jw_kstr(w, "close_note", o->close_note);
	jw_kstr(w, "decided_by", *o->decided_by ? o->decided_by : NULL); /* issue 10 §6 */
	jw_kstr(w, "refer_to", *o->refer_to ? o->refer_to : NULL);
	if (o->rating)
		jw_kint(w, "rating", o->rating);
	else {
		jw_key(w, "rating");
		jw_null(w);
	}
	jw_kstr(w, "comment", o->comment);
	jw_kint(w, "created_at", o->created_at);
	jw_kint(w, "updated_at", o->updated_at);
	jw_kint(w, "due_at", o->due_at);
	jw_kbool(w, "overdue", order_overdue(o, now));
	if (history != NO_HISTORY) {
		jw_key(w, "history");
		jw_arr(w);
		order_events(d, o->id, history == PUBLIC_HISTORY, event_json, w);
		jw_aend(w);
	}
	jw_end(w);
}

static void order_json(jw *w, db *d, const struct order *o, int64_t now, bool staff, int history) { order_json_ex(w, d, o, now, staff, history, false); }

void orders_api_public_get(req *r)
{
	struct order o;
	const char *code = req_param(r, "code");
	if (!order_load(r->db, 0, code ? code : "", &o)) {
		req_error(r, 404, "not_found", "查询码不存在，请核对");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	order_json(&w, r->db, &o, now_unix(), false, PUBLIC_HISTORY);
}

static const struct json_field act_fields[] = {
	{"note", "说明", false, 's', NULL},
	{"assignee", "办理人", false, 's', NULL},
	{"to_org", "派往支部", false, 's', NULL},
	{"reason", "办结原因", false, 's', NULL},
	{"duplicate_of", "原诉求查询码", false, 's', NULL},
	{"rating", "评价", false, 'I', NULL},
	{"decided_by", "认定人（单位）", false, 's', NULL},
	{"refer_to", "建议反映渠道", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

/* Reads an action's body (it may be empty), takes the transition as the
 * caller, and answers with the order as it now is. */
static void act_and_answer(req *r, int64_t id, const char *code, bool staff)
{
	struct order_act a = {0};
	json_int_t rating = 0;
	if (!req_json_unpack(r, act_fields, true, "{s?s, s?s, s?s, s?s, s?s, s?I, s?s, s?s}", "note", &a.note, "assignee", &a.assignee, "to_org",
			     &a.to_org, "reason", &a.reason, "duplicate_of", &a.duplicate_of, "rating", &rating, "decided_by", &a.decided_by, "refer_to",
			     &a.refer_to))
		return;
	a.rating = rating >= 0 && rating <= 5 ? (int)rating : -1;
	struct field_errors e = {0};
	int64_t now = now_unix();
	const char *action = req_param(r, "action");
	enum dj_result res = order_transition(r->db, &r->actor, id, code, action, &a, now, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	struct order o;
	order_load(r->db, id, code, &o);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	order_json(&w, r->db, &o, now, staff, NO_HISTORY);
}

void orders_api_public_action(req *r)
{
	const char *code = req_param(r, "code");
	act_and_answer(r, 0, code ? code : "", false);
}

void orders_api_action(req *r) { act_and_answer(r, req_param_id(r, "id"), NULL, true); }

struct list_ctx {
	jw *w;
	db *d;
	int64_t now;
	int64_t n, last_id;
};

static void list_row(void *ctx, const struct order *o)
{
	struct list_ctx *c = ctx;
	order_json(c->w, c->d, o, c->now, true, NO_HISTORY);
	c->n++;
	c->last_id = o->id;
}

/* A flag of the query: "1" on, anything else off. */
static bool flag(req *r, const char *name)
{
	const char *v = req_query(r, name);
	return v && !strcmp(v, "1");
}

void orders_api_list(req *r)
{
	const char *code = req_query(r, "org");
	struct order_filter f = {0};
	f.state = req_query(r, "state");
	f.kind = req_query(r, "kind");
	f.urgency = req_query(r, "urgency");
	f.grid = req_query(r, "grid");
	f.from = req_query(r, "from");
	f.to = req_query(r, "to");
	f.q = req_query(r, "q");
	f.sort = req_query(r, "sort");
	f.overdue = flag(r, "overdue");
	f.mine = flag(r, "mine");
	f.escalated = flag(r, "escalated");
	f.direct = flag(r, "direct"); /* the dashboard's drill-downs (issue 17) */
	f.open = flag(r, "open");
	f.reason = req_query(r, "reason");
	struct org_ref ref;
	if (code && *code) {
		if (!orgs_from_request(r, code, &perm_org_view, &ref))
			return;
		f.org_path = ref.path;
	}
	f.limit = parse_id(req_query(r, "limit"));
	f.offset = parse_id(req_query(r, "offset"));
	f.before = parse_id(req_query(r, "before"));
	if (f.limit < 1 || f.limit > 500)
		f.limit = 50;
	/* the same question asked again in the same second, nothing changed
	 * since (answer_memo.c): the same answer. The key: who asks (what they
	 * see depends on the account, its role and org) and every parameter. */
	int64_t now = now_unix(), gen[3];
	bool memo = order_generation(r->db, gen);
	buf key = {0};
	if (memo) {
		static const char *const params[] = {"org",     "state", "kind",      "urgency", "grid", "from",   "to",    "q",      "sort",
						     "overdue", "mine",  "escalated", "direct",  "open", "reason", "limit", "offset", "before"};
		buf_printf(&key, "orders|%lld|%d|%s", (long long)r->actor.user_id, (int)r->actor.role, r->actor.org_path);
		for (size_t i = 0; i < sizeof params / sizeof *params; i++) {
			const char *v = req_query(r, params[i]);
			buf_printf(&key, "\x1f%s", v ? v : "\x1e");
		}
		req_json_begin(r, 200);
		if (answer_memo_get(buf_str(&key), gen, now, &r->out)) {
			buf_free(&key);
			return;
		}
	}
	/* the rows are written aside: a refused filter answers alone */
	buf rows = {0};
	jw w;
	jw_init(&w, &rows);
	jw_arr(&w);
	struct list_ctx c = {&w, r->db, now, 0, 0};
	int64_t total = 0;
	struct field_errors e = {0};
	enum dj_result res = order_list(r->db, &r->actor, &f, c.now, &total, list_row, &c, &e);
	if (res != DJ_OK) {
		buf_free(&rows);
		buf_free(&key);
		req_fail(r, res, &e);
		return;
	}
	jw_aend(&w);
	req_json_begin(r, 200);
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "orders");
	buf_puts(&r->out, buf_str(&rows));
	w.need_comma[w.depth] = true; /* the array written aside is the key's value */
	buf_free(&rows);
	/* total counted up to the cap: more is "at least", said by total_capped */
	jw_kint(&w, "total", total > ORDER_COUNT_CAP ? ORDER_COUNT_CAP : total);
	jw_kbool(&w, "total_capped", total > ORDER_COUNT_CAP);
	/* the keyset cursor of the next page (newest or oldest first): ?before=next_before */
	bool keyset = !f.sort || !*f.sort || !strcmp(f.sort, "new") || !strcmp(f.sort, "old");
	if (keyset && c.n == f.limit)
		jw_kint(&w, "next_before", c.last_id);
	jw_end(&w);
	if (memo && !db_interrupted(r->db))
		answer_memo_put(buf_str(&key), gen, now, r->out.p, r->out.len);
	buf_free(&key);
}

void orders_api_get(req *r)
{
	struct order o;
	/* ?reveal=1 (issue 10 §4): the full phone and address, audited; the route
	 * runs it in a write transaction (RF_WRITE_REVEAL) */
	const char *rev = req_query(r, "reveal");
	bool reveal = rev && !strcmp(rev, "1");
	if (reveal) {
		struct field_errors e = {0};
		enum dj_result res = order_reveal_phone(r->db, &r->actor, req_param_id(r, "id"), &o, &e);
		if (res != DJ_OK) {
			req_fail(r, res, &e);
			return;
		}
		req_set_header(r, "Cache-Control", "no-store");
	} else if (!order_load(r->db, req_param_id(r, "id"), NULL, &o) || !order_visible(r->db, &r->actor, &o)) {
		req_error(r, 404, "not_found", "诉求不存在或不在您的管辖范围内");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	order_json_ex(&w, r->db, &o, now_unix(), true, FULL_HISTORY, reveal);
}

void orders_api_transitions(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "states");
	jw_arr(&w);
	for (const char *const *s = order_states; *s; s++)
		jw_str(&w, *s);
	jw_aend(&w);
	jw_key(&w, "actions");
	jw_arr(&w);
	for (const char *const *a = order_actions; *a; a++)
		jw_str(&w, *a);
	jw_aend(&w);
	jw_key(&w, "actors");
	jw_arr(&w);
	static const int bits[] = {R_ADMIN, R_COMMITTEE, R_BRANCH, R_MEMBER, R_GRID, R_REVIEWER, A_PUBLIC, A_SYSTEM};
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		jw_str(&w, role_key(bits[i]));
	jw_aend(&w);
	jw_key(&w, "transitions");
	jw_arr(&w);
	for (int i = 0; i < order_transitions_count; i++) {
		const struct order_transition *t = &order_transitions[i];
		for (size_t b = 0; b < sizeof bits / sizeof bits[0]; b++)
			if (t->actors & bits[b]) {
				jw_obj(&w);
				jw_kstr(&w, "from", t->from);
				jw_kstr(&w, "action", t->action);
				jw_kstr(&w, "actor", role_key(bits[b]));
				jw_kstr(&w, "to", t->to);
				jw_end(&w);
			}
	}
	jw_aend(&w);
	jw_end(&w);
}

/* GET /api/v1/stats/orders?org=CODE&from=DATE&to=DATE: the orders placed in
 * the period in the org's subtree, and what became of them. Each figure is
 * one COUNT over the orders table, so the page, the bulletin and the export
 * agree. */
void orders_api_stats(req *r)
{
	const char *code = req_query(r, "org"), *from = req_query(r, "from"), *to = req_query(r, "to");
	struct field_errors e = {0};
	int64_t t0 = 0, t1 = 0;
	if (!from || !day_start(from, &t0))
		ferr_add(&e, "from", "起始日期应为 YYYY-MM-DD");
	if (!to || !day_start(to, &t1))
		ferr_add(&e, "to", "结束日期应为 YYYY-MM-DD");
	else
		t1 += 86400; /* the whole last day */
	if (!e.n && t1 <= t0)
		ferr_add(&e, "to", "结束日期不能早于起始日期");
	if (e.n) {
		req_error_fields(r, 422, "invalid", e.e[0].msg, &e);
		return;
	}
	struct org_ref o;
	if (!orgs_from_request(r, code, &perm_org_view, &o))
		return;
	struct order_stats st;
	order_stats_compute(r->db, o.path, t0, t1, now_unix(), &st);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kstr(&w, "org", code && *code ? code : "");
	jw_kstr(&w, "from", from);
	jw_kstr(&w, "to", to);
	jw_kint(&w, "collected", st.collected);
	jw_kint(&w, "accepted", st.accepted);
	jw_kint(&w, "rejected", st.rejected);
	jw_kint(&w, "resolved_by_branch", st.resolved_by_branch);
	jw_kint(&w, "resolved_by_committee", st.resolved_by_committee);
	jw_kint(&w, "escalated", st.escalated);
	jw_kint(&w, "dispatched", st.dispatched);
	jw_kint(&w, "withdrawn", st.withdrawn);
	jw_kint(&w, "open", st.open);
	jw_kint(&w, "overdue", st.overdue);
	jw_key(&w, "closed_by_reason");
	jw_obj(&w);
	for (int i = 0; i < 4; i++)
		jw_kint(&w, order_close_reasons[i], st.by_reason[i]);
	jw_end(&w);
	jw_kint(&w, "rated", st.rated);
	jw_key(&w, "average_satisfaction");
	if (st.rated)
		jw_double(&w, st.average_satisfaction);
	else
		jw_null(&w);
	jw_key(&w, "median_hours_to_close");
	if (st.closed)
		jw_double(&w, st.median_hours_to_close);
	else
		jw_null(&w);
	/* the sentence of the monthly bulletin (seed 004) */
	jw_kstr(&w, "summary", st.summary);
	jw_end(&w);
}
