/* orders_api — the JSON API of the closed loop (issue 4 §10): the public
 * placing and tracking of orders, the staff's lists and actions, and the
 * transition table itself, so that clients and tests read the same table. */
#include "orders_api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "json.h"
#include "orders.h"
#include "orgs.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"

#define PLACE_PER_HOUR 10 /* orders one address may place in an hour */

/* Copies a string field of a JSON object; false (with an error) when it is there but not a string. */
static bool jstr(json_t *j, const char *key, char *out, size_t n, struct field_errors *e)
{
	json_t *v = json_object_get(j, key);
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v)) {
		ferr_add(e, key, "应为字符串");
		return false;
	}
	if (strlen(json_string_value(v)) >= n) {
		ferr_add(e, key, "内容过长");
		return false;
	}
	snprintf(out, n, "%s", json_string_value(v));
	return true;
}

static bool only_fields(json_t *j, const char *const *allowed, struct field_errors *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, key);
		if (!ok)
			ferr_add(e, key, "未知字段");
	}
	(void)v;
	return e->n == 0;
}

/* The per-address limit on placing orders, kept in the database for all nodes. */
static bool place_allowed(req *r, int64_t now)
{
	char key[96];
	snprintf(key, sizeof key, "place:%.80s", r->ip);
	db_run(r->db, "DELETE FROM order_rate WHERE key = ? AND window_start < ?", "tI", key, now - 3600);
	int64_t n = db_int1(r->db, 0,
			    "INSERT INTO order_rate (key, count, window_start) VALUES (?, 1, ?) "
			    "ON CONFLICT (key) DO UPDATE SET count = order_rate.count + 1 RETURNING count",
			    "tI", key, now);
	return n <= PLACE_PER_HOUR;
}

void orders_api_public_create(req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	static const char *const allowed[] = {"kind", "urgency", "content", "org", "grid", "contact_name", "contact_phone", NULL};
	struct field_errors e = {0};
	struct order_new o;
	memset(&o, 0, sizeof o);
	only_fields(j, allowed, &e);
	jstr(j, "kind", o.kind, sizeof o.kind, &e);
	jstr(j, "urgency", o.urgency, sizeof o.urgency, &e);
	jstr(j, "content", o.content, sizeof o.content, &e);
	jstr(j, "org", o.org_code, sizeof o.org_code, &e);
	jstr(j, "grid", o.grid_code, sizeof o.grid_code, &e);
	jstr(j, "contact_name", o.contact_name, sizeof o.contact_name, &e);
	jstr(j, "contact_phone", o.contact_phone, sizeof o.contact_phone, &e);
	const char *key = req_header(r, "Idempotency-Key");
	if (key && (strlen(key) < 8 || strlen(key) > 64))
		ferr_add(&e, "Idempotency-Key", "Idempotency-Key 应为 8 到 64 个字符");
	else if (key)
		snprintf(o.idempotency_key, sizeof o.idempotency_key, "%s", key);
	snprintf(o.ip, sizeof o.ip, "%s", r->ip);
	if (e.n) {
		req_error_fields(r, 422, "invalid", e.e[0].msg, &e);
		return;
	}
	int64_t now = now_unix();
	char code[24];
	bool repeated;
	/* a repeated key answers with the first order and costs no quota */
	if (!*o.idempotency_key || !db_int1(r->db, 0, "SELECT COUNT(*) FROM orders WHERE idempotency_key = ?", "t", o.idempotency_key)) {
		/* refused requests roll back their own count: the ones that were placed keep it full */
		if (!place_allowed(r, now)) {
			req_set_header(r, "Retry-After", "3600");
			req_error(r, 429, "rate_limited", "提交过于频繁，请一小时后再试，或直接联系村（社区）党支部");
			return;
		}
	}
	int64_t id = order_create(r->db, &o, code, &repeated, &e);
	if (!id) {
		req_error_fields(r, 422, "invalid", e.e[0].msg, &e);
		return;
	}
	if (!repeated)
		audit_log(r, "order.create", "order", id, db_int1(r->db, 0, "SELECT org_id FROM orders WHERE id = ?", "I", id), code);
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

static void events_json(jw *w, db *d, int64_t id, bool public_only)
{
	jw_key(w, "history");
	jw_arr(w);
	db_stmt *s = db_query(d,
			      "SELECT at, action, from_state, to_state, actor, note, public FROM order_events WHERE order_id = ? "
			      "AND (public = 1 OR ? = 0) ORDER BY id",
			      "II", id, (int64_t)public_only);
	while (db_next(s)) {
		jw_obj(w);
		jw_kint(w, "at", db_int(s, 0));
		jw_kstr(w, "action", db_str(s, 1));
		jw_kstr(w, "action_label", order_action_label(db_str(s, 1)));
		jw_kstr(w, "from", db_str(s, 2));
		jw_kstr(w, "to", db_str(s, 3));
		/* residents see which body acted, not the staff member's account */
		jw_kstr(w, "by", db_str(s, 4));
		jw_kstr(w, "note", db_str(s, 5));
		jw_end(w);
	}
	db_done(s);
	jw_aend(w);
}

#define ORDER_COLS                                                                                                   \
	"SELECT o.id, o.code, o.kind, o.urgency, o.content, g.code, g.name, o.state, o.level, o.escalated, "           \
	"COALESCE(u.username, ''), COALESCE(u.name, ''), o.result, COALESCE(o.close_reason, ''), o.close_note, "        \
	"COALESCE(o.rating, 0), o.comment, o.created_at, o.updated_at, o.due_at, COALESCE(o.delivered_at, 0), "        \
	"COALESCE(o.closed_at, 0), o.contact_name, o.contact_phone, COALESCE(gr.code, ''), COALESCE(o.reminded_at, 0) " \
	"FROM orders o JOIN orgs g ON g.id = o.org_id LEFT JOIN users u ON u.id = o.assignee_user_id "                 \
	"LEFT JOIN grids gr ON gr.id = o.grid_id "

enum { NO_HISTORY, PUBLIC_HISTORY, FULL_HISTORY };

static void order_json(jw *w, db *d, db_stmt *s, int64_t now, bool staff, int history)
{
	const char *state = db_str(s, 7);
	bool open = order_state_open(state);
	jw_obj(w);
	if (staff)
		jw_kint(w, "id", db_int(s, 0));
	jw_kstr(w, "code", db_str(s, 1));
	jw_kstr(w, "kind", db_str(s, 2));
	jw_kstr(w, "kind_label", order_kind_label(db_str(s, 2)));
	jw_kstr(w, "urgency", db_str(s, 3));
	jw_kstr(w, "content", db_str(s, 4));
	jw_kstr(w, "org", db_str(s, 5));
	jw_kstr(w, "org_name", db_str(s, 6));
	jw_kstr(w, "grid", *db_str(s, 24) ? db_str(s, 24) : NULL);
	jw_kstr(w, "state", state);
	jw_kstr(w, "state_label", order_state_label(state));
	jw_kstr(w, "status", open ? "open" : "closed"); /* Open311 GeoReport v2 */
	jw_kstr(w, "level", db_str(s, 8));
	jw_kbool(w, "escalated", db_int(s, 9) != 0);
	if (staff) {
		jw_kstr(w, "assignee", *db_str(s, 10) ? db_str(s, 10) : NULL);
		jw_kstr(w, "assignee_name", *db_str(s, 11) ? db_str(s, 11) : NULL);
		char ph[24];
		mask_phone(db_str(s, 23), ph);
		jw_kstr(w, "contact_name", db_str(s, 22));
		jw_kstr(w, "contact_phone", ph);
		jw_kint(w, "reminded_at", db_int(s, 25));
	}
	jw_kstr(w, "result", db_str(s, 12));
	jw_kstr(w, "close_reason", *db_str(s, 13) ? db_str(s, 13) : NULL);
	jw_kstr(w, "close_note", db_str(s, 14));
	if (db_int(s, 15))
		jw_kint(w, "rating", db_int(s, 15));
	else {
		jw_key(w, "rating");
		jw_null(w);
	}
	jw_kstr(w, "comment", db_str(s, 16));
	jw_kint(w, "created_at", db_int(s, 17));
	jw_kint(w, "updated_at", db_int(s, 18));
	jw_kint(w, "due_at", db_int(s, 19));
	jw_kbool(w, "overdue", open && strcmp(state, "delivered") && db_int(s, 19) < now);
	if (history != NO_HISTORY)
		events_json(w, d, db_int(s, 0), history == PUBLIC_HISTORY);
	jw_end(w);
}

void orders_api_public_get(req *r)
{
	const char *code = req_param(r, "code");
	db_stmt *s = db_query(r->db, ORDER_COLS "WHERE o.code = ?", "t", code ? code : "");
	if (!db_next(s)) {
		db_done(s);
		req_error(r, 404, "not_found", "查询码不存在，请核对");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	order_json(&w, r->db, s, now_unix(), false, PUBLIC_HISTORY);
	db_done(s);
}

static int actor_of(req *r)
{
	return r->actor.role; /* the role bits of the table are the roles of SPEC §1 */
}

static void act_from_json(json_t *j, struct order_act *a, struct field_errors *e)
{
	static const char *const allowed[] = {"note", "assignee", "to_org", "reason", "duplicate_of", "rating", NULL};
	only_fields(j, allowed, e);
	const char *keys[] = {"note", "assignee", "to_org", "reason", "duplicate_of"};
	const char **dst[] = {&a->note, &a->assignee, &a->to_org, &a->reason, &a->duplicate_of};
	for (int i = 0; i < 5; i++) {
		json_t *v = json_object_get(j, keys[i]);
		if (v && !json_is_string(v) && !json_is_null(v))
			ferr_add(e, keys[i], "应为字符串");
		else if (v && json_is_string(v))
			*dst[i] = json_string_value(v);
	}
	json_t *rt = json_object_get(j, "rating");
	if (rt && !json_is_integer(rt))
		ferr_add(e, "rating", "应为 1 到 5 的整数");
	else if (rt)
		a->rating = (int)json_integer_value(rt);
}

static void apply_and_answer(req *r, int64_t id, const char *action, const struct order_act *a,
			     const struct order_actor *who, bool staff)
{
	struct field_errors e = {0};
	int status;
	int64_t now = now_unix();
	const char *why = order_apply(r->db, id, action ? action : "", a, who, now, &status, &e);
	if (why) {
		req_error_fields(r, status, status == 404 ? "not_found" : status == 403 ? "forbidden" : status == 409 ? "illegal_transition" : "invalid",
			    why, &e);
		return;
	}
	char sum[120];
	snprintf(sum, sizeof sum, "%s", order_action_label(action));
	audit_log(r, "order.action", "order", id, db_int1(r->db, 0, "SELECT org_id FROM orders WHERE id = ?", "I", id), sum);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	db_stmt *s = db_query(r->db, ORDER_COLS "WHERE o.id = ?", "I", id);
	if (db_next(s))
		order_json(&w, r->db, s, now, staff, NO_HISTORY);
	db_done(s);
}

void orders_api_public_action(req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	struct order_act a = {0};
	struct field_errors e = {0};
	act_from_json(j, &a, &e);
	if (e.n) {
		req_error_fields(r, 422, "invalid", e.e[0].msg, &e);
		return;
	}
	int64_t id = db_int1(r->db, 0, "SELECT id FROM orders WHERE code = ?", "t", req_param(r, "code"));
	if (!id) {
		req_error(r, 404, "not_found", "查询码不存在，请核对");
		return;
	}
	struct order_actor who = {A_PUBLIC, 0, "群众", "/"};
	apply_and_answer(r, id, req_param(r, "action"), &a, &who, false);
}

void orders_api_action(req *r)
{
	json_t *j = r->body.len ? req_json(r) : json_object();
	if (!j)
		return;
	if (!r->json)
		r->json = j; /* freed with the request */
	struct order_act a = {0};
	struct field_errors e = {0};
	act_from_json(j, &a, &e);
	if (e.n) {
		req_error_fields(r, 422, "invalid", e.e[0].msg, &e);
		return;
	}
	char label[200];
	snprintf(label, sizeof label, "%s %s", r->actor.org_name, r->actor.name);
	struct order_actor who = {actor_of(r), r->actor.user_id, label, r->actor.role == R_ADMIN ? "/" : r->actor.org_path};
	apply_and_answer(r, req_param_id(r, "id"), req_param(r, "action"), &a, &who, true);
}

void orders_api_list(req *r)
{
	const char *state = req_query(r, "state");
	const char *overdue = req_query(r, "overdue");
	const char *mine = req_query(r, "mine");
	const char *code = req_query(r, "org");
	const char *prefix = r->actor.role == R_ADMIN ? "/" : r->actor.org_path;
	char pbuf[256];
	if (code && *code) {
		db_stmt *s = db_query(r->db, "SELECT id, path FROM orgs WHERE code = ?", "t", code);
		bool ok = db_next(s) && scope_contains(r, db_int(s, 0));
		if (ok)
			snprintf(pbuf, sizeof pbuf, "%s", db_str(s, 1)), prefix = pbuf;
		db_done(s);
		if (!ok) {
			req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
			return;
		}
	}
	/* members see the orders given to them, wherever they are (a claimed wish of
	 * another village, a 头雁 dispatch); everyone else their subtree's */
	int64_t only = r->actor.role == R_MEMBER || (mine && !strcmp(mine, "1")) ? r->actor.user_id : 0;
	if (r->actor.role == R_MEMBER && !(code && *code))
		prefix = "/";
	/* a grid worker's list is the orders of its grids and those given to it (网格员接单) */
	int64_t gridme = r->actor.role == R_GRID ? r->actor.user_id : 0;
	int64_t lim = parse_id(req_query(r, "limit")), off = parse_id(req_query(r, "offset")), now = now_unix();
	if (lim < 1 || lim > 500)
		lim = 50;
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	int64_t total = db_int1(r->db, 0,
				"SELECT COUNT(*) FROM orders o JOIN orgs g ON g.id = o.org_id WHERE g.path LIKE ? || '%' "
				"AND (CAST(? AS TEXT) IS NULL OR o.state = ?) AND (CAST(? AS BIGINT) = 0 OR o.assignee_user_id = ?) "
				"AND (CAST(? AS TEXT) IS NULL OR (o.state NOT IN ('closed', 'rejected', 'withdrawn', 'delivered') AND o.due_at < ?)) "
				"AND (CAST(? AS BIGINT) = 0 OR o.assignee_user_id = ? OR o.grid_id IN (SELECT id FROM grids WHERE worker_user_id = ?))",
				"tttIItIIII", prefix, state, state, only, only, overdue && !strcmp(overdue, "1") ? "1" : NULL, now, gridme, gridme,
				gridme);
	jw_kint(&w, "total", total);
	jw_key(&w, "orders");
	jw_arr(&w);
	db_stmt *s = db_query(r->db,
			      ORDER_COLS "WHERE g.path LIKE ? || '%' AND (CAST(? AS TEXT) IS NULL OR o.state = ?) "
					 "AND (CAST(? AS BIGINT) = 0 OR o.assignee_user_id = ?) "
					 "AND (CAST(? AS TEXT) IS NULL OR (o.state NOT IN ('closed', 'rejected', 'withdrawn', 'delivered') AND o.due_at < ?)) "
					 "AND (CAST(? AS BIGINT) = 0 OR o.assignee_user_id = ? OR o.grid_id IN (SELECT id FROM grids WHERE worker_user_id = ?)) "
					 "ORDER BY o.id DESC LIMIT ? OFFSET ?",
			      "tttIItIIIIII", prefix, state, state, only, only, overdue && !strcmp(overdue, "1") ? "1" : NULL, now, gridme,
			      gridme, gridme, lim, off);
	while (db_next(s))
		order_json(&w, r->db, s, now, true, NO_HISTORY);
	db_done(s);
	jw_aend(&w);
	jw_end(&w);
}

void orders_api_get(req *r)
{
	int64_t id = req_param_id(r, "id");
	int64_t org = db_int1(r->db, 0, "SELECT org_id FROM orders WHERE id = ?", "I", id);
	int64_t assignee = db_int1(r->db, 0, "SELECT COALESCE(assignee_user_id, 0) FROM orders WHERE id = ?", "I", id);
	bool assigned_to_me = assignee && assignee == r->actor.user_id;
	if (!org || (r->actor.role == R_MEMBER ? !assigned_to_me : !(scope_contains(r, org) || assigned_to_me))) {
		req_error(r, 404, "not_found", "诉求不存在或不在您的管辖范围内");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	db_stmt *s = db_query(r->db, ORDER_COLS "WHERE o.id = ?", "I", id);
	if (db_next(s))
		order_json(&w, r->db, s, now_unix(), true, FULL_HISTORY);
	db_done(s);
}

static const char *actor_name(int bit)
{
	switch (bit) {
	case A_PUBLIC: return "public";
	case A_SYSTEM: return "system";
	default: return role_key(bit);
	}
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
		jw_str(&w, actor_name(bits[i]));
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
				jw_kstr(&w, "actor", actor_name(bits[b]));
				jw_kstr(&w, "to", t->to);
				jw_end(&w);
			}
	}
	jw_aend(&w);
	jw_end(&w);
}

/* Days as Asia/Shanghai dates → Unix seconds at that day's start. */
bool day_start(const char *date, int64_t *out)
{
	if (!date_valid(date))
		return false;
	struct tm tm = {0};
	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8);
	*out = (int64_t)timegm(&tm) - 8 * 3600;
	return true;
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
