/* orders_pages — the HTML of the closed loop (issue 4 §2, §4): the resident's
 * phone-first form and tracking page, and the staff console of orders with
 * one form per action the state table allows the caller. */
#include "orders_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "layout.h"
#include "orders.h"
#include "util.h"
#include "web.h"
#include "module.h"
#include "wishes.h"
#include "stats_pages.h"
#include "orders_api.h"

/* ---- the resident's side ---- */

static void order_form(req *r)
{
	page_begin(r, "我要点单");
	buf_puts(&r->out, "<p class=\"lead\">有需求、有心愿、要代办，或对村里的事有意见建议，都可以在这里告诉我们。"
			  "支部接单后会尽快联系您，您可以随时用查询码查看办理进度。</p><section class=\"card\">");
	form_begin(r, "/order");
	char key[40];
	const char *k = req_form(r, "_key");
	if (k && strlen(k) >= 8 && strlen(k) < sizeof key)
		snprintf(key, sizeof key, "%s", k);
	else
		random_token(key, sizeof key, 16);
	html_printf(&r->out, "<input type=\"hidden\" name=\"_key\" value=\"%s\">", key);
	form_select(r, "kind", "诉求类型", order_kinds, form_value(r, "kind", "need"));
	const char *err = form_error_for(r, "content");
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-content\">诉求内容</label>"
			     "<textarea id=\"f-content\" name=\"content\" rows=\"5\" maxlength=\"500\">%s</textarea>",
		    err ? " has-error" : "", form_value(r, "content", ""));
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
	/* the villages and communities that take orders */
	const char *opts[80];
	char vals[40][64], labels[40][128];
	int n = 0;
	db_stmt *s = db_query(r->db,
			      "SELECT code, name FROM orgs WHERE type = 'branch' AND kind IN ('农村', '社区') AND dissolved_at IS NULL ORDER BY path", "");
	while (db_next(s) && n < 39) {
		snprintf(vals[n], sizeof vals[n], "%s", db_str(s, 0));
		snprintf(labels[n], sizeof labels[n], "%s", db_str(s, 1));
		opts[2 * n] = vals[n];
		opts[2 * n + 1] = labels[n];
		n++;
	}
	db_done(s);
	opts[2 * n] = NULL;
	form_select(r, "org", "所在村（社区）", opts, form_value(r, "org", ""));
	static const char *const urg[] = {"normal", "一般", "urgent", "紧急（如就医）", "complex", "较复杂", NULL};
	form_select(r, "urgency", "紧急程度", urg, form_value(r, "urgency", "normal"));
	form_input(r, "contact_name", "联系人", "text", form_value(r, "contact_name", ""), NULL);
	form_input(r, "contact_phone", "手机号", "tel", form_value(r, "contact_phone", ""), "仅用于支部与您联系，不会公开");
	form_end(r, "提交");
	buf_puts(&r->out, "</section><p class=\"muted\">已经提交过？<a href=\"/track\">查询办理进度</a></p>");
	page_end(r);
}

#define PLACE_PER_HOUR 10

void order_page_form(req *r)
{
	if (!req_is_post(r)) {
		order_form(r);
		return;
	}
	struct order_new o;
	memset(&o, 0, sizeof o);
	struct {
		const char *field;
		char *dst;
		size_t n;
	} f[] = {
		{"kind", o.kind, sizeof o.kind}, {"urgency", o.urgency, sizeof o.urgency}, {"content", o.content, sizeof o.content},
		{"org", o.org_code, sizeof o.org_code}, {"contact_name", o.contact_name, sizeof o.contact_name},
		{"contact_phone", o.contact_phone, sizeof o.contact_phone}, {"_key", o.idempotency_key, sizeof o.idempotency_key},
	};
	struct field_errors e = {0};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		const char *v = req_form(r, f[i].field);
		if (v && strlen(v) >= f[i].n)
			ferr_add(&e, f[i].field, "内容过长");
		else
			snprintf(f[i].dst, f[i].n, "%s", v ? v : "");
	}
	snprintf(o.ip, sizeof o.ip, "%s", r->ip);
	int64_t now = now_unix();
	char code[24];
	bool repeated = false;
	int64_t id = 0;
	if (!e.n) {
		/* the same per-address limit as the API (table order_rate) */
		char key[96];
		snprintf(key, sizeof key, "place:%.80s", r->ip);
		bool known = *o.idempotency_key &&
			     db_int1(r->db, 0, "SELECT COUNT(*) FROM orders WHERE idempotency_key = ?", "t", o.idempotency_key);
		if (!known) {
			db_run(r->db, "DELETE FROM order_rate WHERE key = ? AND window_start < ?", "tI", key, now - 3600);
			if (db_int1(r->db, 0,
				    "INSERT INTO order_rate (key, count, window_start) VALUES (?, 1, ?) "
				    "ON CONFLICT (key) DO UPDATE SET count = order_rate.count + 1 RETURNING count",
				    "tI", key, now) > PLACE_PER_HOUR) {
				req_error(r, 429, "rate_limited", "提交过于频繁，请一小时后再试，或直接联系村（社区）党支部");
				return;
			}
		}
		id = order_create(r->db, &o, code, &repeated, &e);
	}
	if (!id) {
		form_errors_add(r, &e);
		order_form(r);
		r->status = 422;
		return;
	}
	if (!repeated)
		audit_log(r, "order.create", "order", id, db_int1(r->db, 0, "SELECT org_id FROM orders WHERE id = ?", "I", id), code);
	char msg[160], loc[64];
	snprintf(msg, sizeof msg, "已提交，您的查询码是 %s，请妥善保存", code);
	flash_set(r, "ok", msg);
	snprintf(loc, sizeof loc, "/track/%s", code);
	req_redirect(r, loc);
}

void order_page_track_form(req *r)
{
	const char *code = req_query(r, "code");
	if (code && *code && strlen(code) < 40) {
		buf loc = {0};
		buf_puts(&loc, "/track/");
		url_encode(&loc, code);
		req_redirect(r, buf_str(&loc));
		buf_free(&loc);
		return;
	}
	page_begin(r, "查询办理进度");
	buf_puts(&r->out, "<section class=\"card\"><form class=\"form\" method=\"get\" action=\"/track\"><div class=\"field\">"
			  "<label for=\"f-code\">查询码</label><input id=\"f-code\" name=\"code\" type=\"text\" autocomplete=\"off\"></div>"
			  "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">查询</button></div></form></section>");
	page_end(r);
}

static void history_table(req *r, int64_t id, bool public_only)
{
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>时间</th><th>办理</th><th>经办</th><th>说明</th></tr></thead><tbody>");
	db_stmt *s = db_query(r->db, "SELECT at, action, actor, note, public FROM order_events WHERE order_id = ? AND (public = 1 OR ? = 0) ORDER BY id",
			      "II", id, (int64_t)public_only);
	while (db_next(s)) {
		char t[20];
		fmt_time(db_int(s, 0), t);
		html_printf(&r->out, "<tr><td>%s</td><td>%s%s</td><td>%s</td><td>%s</td></tr>", t, order_action_label(db_str(s, 1)),
			    db_int(s, 4) ? "" : "（内部）", db_str(s, 2), db_str(s, 3));
	}
	db_done(s);
	buf_puts(&r->out, "</tbody></table></div>");
}

static void action_form(req *r, const char *url, const char *action, const char *label, const char *fields_html_kind)
{
	html_printf(&r->out, "<form class=\"form\" method=\"post\" action=\"%s/%s\">", url, action);
	html_printf(&r->out, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", layout_csrf(r));
	const char *err = form_error_for(r, "note");
	if (!strcmp(fields_html_kind, "note") || !strcmp(fields_html_kind, "rating") || !strcmp(fields_html_kind, "close")) {
		if (!strcmp(fields_html_kind, "rating")) {
			buf_puts(&r->out, "<div class=\"field\"><label for=\"f-rating\">满意度</label><select id=\"f-rating\" name=\"rating\">"
					  "<option value=\"5\">★★★★★ 非常满意</option><option value=\"4\">★★★★ 满意</option>"
					  "<option value=\"3\">★★★ 基本满意</option><option value=\"2\">★★ 不太满意</option>"
					  "<option value=\"1\">★ 不满意</option></select></div>");
		}
		if (!strcmp(fields_html_kind, "close"))
			buf_puts(&r->out, "<div class=\"field\"><label for=\"f-reason\">办结原因</label><select id=\"f-reason\" name=\"reason\">"
					  "<option value=\"unresolvable\">无法解决</option><option value=\"not_ours\">不属于本级职责（请写明谁认定、向何处反映）</option>"
					  "<option value=\"duplicate\">重复诉求</option></select></div>"
					  "<div class=\"field\"><label for=\"f-duplicate_of\">原诉求查询码（重复诉求时填写）</label>"
					  "<input id=\"f-duplicate_of\" name=\"duplicate_of\" type=\"text\"></div>");
		html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-note-%s\">%s</label><textarea id=\"f-note-%s\" name=\"note\" rows=\"2\"></textarea>",
			    err ? " has-error" : "", action, !strcmp(action, "deliver") ? "办理结果" : "说明", action);
		if (err)
			html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
		buf_puts(&r->out, "</div>");
	}
	html_printf(&r->out, "<div class=\"form-actions\"><button class=\"btn %s\" type=\"submit\">%s</button></div></form>",
		    !strcmp(action, "withdraw") || !strcmp(action, "reject") ? "btn-danger" : "btn-primary", label);
}

void order_page_track(req *r)
{
	const char *code = req_param(r, "code");
	db_stmt *s = db_query(r->db,
			      "SELECT o.id, o.kind, o.state, o.created_at, g.name, o.result, COALESCE(o.rating, 0), o.content FROM orders o "
			      "JOIN orgs g ON g.id = o.org_id WHERE o.code = ?",
			      "t", code ? code : "");
	if (!db_next(s)) {
		db_done(s);
		req_error(r, 404, "not_found", "查询码不存在，请核对后重试");
		return;
	}
	int64_t id = db_int(s, 0);
	char state[16], t[20];
	snprintf(state, sizeof state, "%s", db_str(s, 2));
	fmt_time(db_int(s, 3), t);
	page_begin(r, "办理进度");
	html_printf(&r->out, "<section class=\"card\"><dl class=\"kv\"><dt>查询码</dt><dd>%s</dd><dt>类型</dt><dd>%s</dd>"
			     "<dt>提交时间</dt><dd>%s</dd><dt>受理支部</dt><dd>%s</dd><dt>当前状态</dt><dd><span class=\"badge %s\">%s</span> %s</dd>"
			     "<dt>诉求</dt><dd>%s</dd>",
		    code, order_kind_label(db_str(s, 1)), t, db_str(s, 4), order_state_open(state) ? "badge-red" : "badge-green",
		    order_state_label(state), order_state_open(state) ? "（办理中）" : "（已办结）", db_str(s, 7));
	if (*db_str(s, 5))
		html_printf(&r->out, "<dt>办理结果</dt><dd>%s</dd>", db_str(s, 5));
	if (db_int(s, 6))
		html_printf(&r->out, "<dt>您的评价</dt><dd>%.*s</dd>", (int)db_int(s, 6) * 3, "★★★★★");
	buf_puts(&r->out, "</dl></section>");
	db_done(s);
	char url[64];
	snprintf(url, sizeof url, "/track/%s", code);
	if (order_find(state, "confirm", A_PUBLIC)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">确认销单</h2>");
		action_form(r, url, "confirm", "确认已解决", "rating");
		buf_puts(&r->out, "<h2 class=\"card-title\">还没解决？</h2>");
		action_form(r, url, "reopen", "未解决，请继续办理", "note");
		buf_puts(&r->out, "</section>");
	}
	if (order_find(state, "add_info", A_PUBLIC)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">补充信息</h2>");
		action_form(r, url, "add_info", "提交补充信息", "note");
		buf_puts(&r->out, "</section>");
	}
	if (order_find(state, "withdraw", A_PUBLIC)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">不需要了？</h2>");
		action_form(r, url, "withdraw", "撤回诉求", "none");
		buf_puts(&r->out, "</section>");
	}
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">办理记录</h2>");
	history_table(r, id, true);
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static const char *apply_form(req *r, int64_t id, const char *action, const struct order_actor *who, int *status)
{
	struct order_act a = {0};
	a.note = req_form(r, "note");
	a.assignee = req_form(r, "assignee");
	a.to_org = req_form(r, "to_org");
	a.reason = req_form(r, "reason");
	a.duplicate_of = req_form(r, "duplicate_of");
	const char *rt = req_form(r, "rating");
	a.rating = rt ? atoi(rt) : 0;
	struct field_errors e = {0};
	const char *why = order_apply(r->db, id, action, &a, who, now_unix(), status, &e);
	if (why && *status == 422)
		form_errors_add(r, &e);
	return why;
}

void order_page_track_action(req *r)
{
	const char *code = req_param(r, "code"), *action = req_param(r, "action");
	int64_t id = db_int1(r->db, 0, "SELECT id FROM orders WHERE code = ?", "t", code ? code : "");
	if (!id) {
		req_error(r, 404, "not_found", "查询码不存在");
		return;
	}
	struct order_actor who = {A_PUBLIC, 0, "群众", "/"};
	int status;
	const char *why = apply_form(r, id, action ? action : "", &who, &status);
	if (why && status == 422) {
		order_page_track(r);
		r->status = 422;
		return;
	}
	if (why) {
		req_error(r, status, "order", why);
		return;
	}
	flash_set(r, "ok", !strcmp(action, "confirm") ? "感谢您的评价，诉求已销单" : "已提交");
	char loc[64];
	snprintf(loc, sizeof loc, "/track/%s", code);
	req_redirect(r, loc);
}

/* ---- the staff console ---- */

static const char *scope_of(req *r) { return r->actor.role == R_ADMIN ? "/" : r->actor.org_path; }

void orders_page_list(req *r)
{
	const char *state = req_query(r, "state");
	bool overdue = req_query(r, "overdue") && !strcmp(req_query(r, "overdue"), "1");
	if (state && !*state)
		state = NULL;
	int64_t now = now_unix();
	int64_t only = r->actor.role == R_MEMBER ? r->actor.user_id : 0;
	int64_t gridme = r->actor.role == R_GRID ? r->actor.user_id : 0; /* a grid worker: its grids' orders and its own */
	page_begin(r, "诉求办理");
	buf_puts(&r->out, "<form class=\"filters\" method=\"get\" action=\"/orders\"><label class=\"sr-only\" for=\"f-state\">状态</label>"
			  "<select id=\"f-state\" name=\"state\"><option value=\"\">全部状态</option>");
	for (const char *const *st = order_states; *st; st++)
		html_printf(&r->out, state && !strcmp(state, *st) ? "<option value=\"%s\" selected>%s</option>" : "<option value=\"%s\">%s</option>",
			    *st, order_state_label(*st));
	html_printf(&r->out, "</select><label><input type=\"checkbox\" name=\"overdue\" value=\"1\"%s> 只看逾期</label>"
			     "<button class=\"btn\" type=\"submit\">筛选</button></form>",
		    overdue ? " checked" : "");
	db_stmt *s = db_query(r->db,
			      "SELECT o.id, o.code, o.kind, o.content, g.name, o.state, o.due_at, o.created_at, COALESCE(u.name, '') "
			      "FROM orders o JOIN orgs g ON g.id = o.org_id LEFT JOIN users u ON u.id = o.assignee_user_id "
			      "WHERE (g.path LIKE ? || '%' OR o.assignee_user_id = ?) AND (CAST(? AS BIGINT) = 0 OR o.assignee_user_id = ?) "
			      "AND (CAST(? AS TEXT) IS NULL OR o.state = ?) "
			      "AND (CAST(? AS BIGINT) = 0 OR (o.state NOT IN ('closed', 'rejected', 'withdrawn', 'delivered') AND o.due_at < ?)) "
			      "AND (CAST(? AS BIGINT) = 0 OR o.assignee_user_id = ? OR o.grid_id IN (SELECT id FROM grids WHERE worker_user_id = ?)) "
			      "ORDER BY o.id DESC LIMIT 200",
			      "tIIIttIIIII", only ? "/" : scope_of(r), r->actor.user_id, only, only, state, state, (int64_t)overdue, now, gridme, gridme,
			      gridme);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>查询码</th><th>类型</th><th>诉求</th>"
			  "<th>支部</th><th>状态</th><th>提交</th><th>办理人</th></tr></thead><tbody>");
	int n = 0;
	while (db_next(s)) {
		char t[20], excerpt[100];
		fmt_time(db_int(s, 7), t);
		/* the first 30 characters, cut between UTF-8 characters */
		const char *c = db_str(s, 3);
		size_t i = 0, chars = 0;
		while (c[i] && chars < 30) {
			i++;
			while ((c[i] & 0xc0) == 0x80)
				i++;
			chars++;
		}
		snprintf(excerpt, sizeof excerpt, "%.*s%s", (int)i, c, c[i] ? "…" : "");
		const char *st = db_str(s, 5);
		bool late = order_state_open(st) && strcmp(st, "delivered") && db_int(s, 6) < now;
		html_printf(&r->out, "<tr><td><a href=\"/orders/%lld\">%s</a></td><td>%s</td><td>%s</td><td>%s</td><td><span class=\"badge\">%s</span>",
			    (long long)db_int(s, 0), db_str(s, 1), order_kind_label(db_str(s, 2)), excerpt, db_str(s, 4),
			    order_state_label(st));
		if (late)
			buf_puts(&r->out, " <span class=\"badge badge-red\">逾期</span>");
		html_printf(&r->out, "</td><td>%s</td><td>%s</td></tr>", t, db_str(s, 8));
		n++;
	}
	db_done(s);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!n)
		buf_puts(&r->out, "<div class=\"empty\"><p>没有符合条件的诉求</p></div>");
	page_end(r);
}

static void select_users(req *r, const char *path, const char *name, const char *label)
{
	html_printf(&r->out, "<div class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"><option value=\"\">（不指定）</option>", name,
		    label, name, name);
	db_stmt *s = db_query(r->db,
			      "SELECT u.username, u.name, u.role FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.path LIKE ? || '%' "
			      "AND u.role IN ('member', 'grid', 'branch') AND u.active = 1 ORDER BY o.path, u.name",
			      "t", path);
	while (db_next(s))
		html_printf(&r->out, "<option value=\"%s\">%s（%s）</option>", db_str(s, 0), db_str(s, 1), role_label(role_from_key(db_str(s, 2))));
	db_done(s);
	buf_puts(&r->out, "</select></div>");
}

static bool load_order(req *r, int64_t id, char *state, char *path, int64_t *org, int64_t *assignee)
{
	bool ok = false;
	db_stmt *s = db_query(r->db, "SELECT o.state, g.path, o.org_id, COALESCE(o.assignee_user_id, 0) FROM orders o JOIN orgs g ON g.id = o.org_id WHERE o.id = ?",
			      "I", id);
	if (db_next(s)) {
		snprintf(state, 16, "%s", db_str(s, 0));
		snprintf(path, 256, "%s", db_str(s, 1));
		*org = db_int(s, 2);
		*assignee = db_int(s, 3);
		ok = true;
	}
	db_done(s);
	bool mine = *assignee && *assignee == r->actor.user_id;
	return ok && (r->actor.role == R_MEMBER ? mine : (scope_contains(r, *org) || mine));
}

void orders_page_detail(req *r)
{
	int64_t id = req_param_id(r, "id"), org = 0, assignee = 0;
	char state[16], path[256];
	if (!load_order(r, id, state, path, &org, &assignee)) {
		req_error(r, 404, "not_found", "诉求不存在或不在您的管辖范围内");
		return;
	}
	db_stmt *s = db_query(r->db,
			      "SELECT o.code, o.kind, o.urgency, o.content, g.name, o.contact_name, o.contact_phone, o.level, o.escalated, "
			      "o.result, COALESCE(o.close_reason, ''), o.close_note, COALESCE(o.rating, 0), o.due_at, COALESCE(u.name, '') "
			      "FROM orders o JOIN orgs g ON g.id = o.org_id LEFT JOIN users u ON u.id = o.assignee_user_id WHERE o.id = ?",
			      "I", id);
	db_next(s);
	char title[64], ph[24], due[20];
	snprintf(title, sizeof title, "诉求 %s", db_str(s, 0));
	mask_phone(db_str(s, 6), ph);
	fmt_time(db_int(s, 13), due);
	page_begin(r, title);
	html_printf(&r->out, "<div class=\"breadcrumbs\"><a href=\"/orders\">诉求办理</a> › <span>%s</span></div>", db_str(s, 0));
	html_printf(&r->out, "<section class=\"card\"><dl class=\"kv\"><dt>类型</dt><dd>%s</dd><dt>紧急程度</dt><dd>%s</dd>"
			     "<dt>诉求</dt><dd>%s</dd><dt>支部</dt><dd>%s</dd><dt>联系人</dt><dd>%s %s</dd>"
			     "<dt>状态</dt><dd>%s</dd><dt>层级</dt><dd>%s%s</dd><dt>办理人</dt><dd>%s</dd><dt>时限</dt><dd>%s</dd>",
		    order_kind_label(db_str(s, 1)), !strcmp(db_str(s, 2), "urgent") ? "紧急" : !strcmp(db_str(s, 2), "complex") ? "较复杂" : "一般",
		    db_str(s, 3), db_str(s, 4), db_str(s, 5), ph, order_state_label(state),
		    !strcmp(db_str(s, 7), "committee") ? "党委派单" : "支部", db_int(s, 8) ? "（曾向上反馈）" : "",
		    *db_str(s, 14) ? db_str(s, 14) : "—", due);
	if (*db_str(s, 9))
		html_printf(&r->out, "<dt>办理结果</dt><dd>%s</dd>", db_str(s, 9));
	if (*db_str(s, 10))
		html_printf(&r->out, "<dt>办结原因</dt><dd>%s %s</dd>", order_close_label(db_str(s, 10)), db_str(s, 11));
	if (db_int(s, 12))
		html_printf(&r->out, "<dt>群众评价</dt><dd>%lld 星</dd>", (long long)db_int(s, 12));
	buf_puts(&r->out, "</dl></section>");
	db_done(s);

	char url[48];
	snprintf(url, sizeof url, "/orders/%lld/act", (long long)id);
	bool any = false;
	static const struct {
		const char *action, *label, *fields;
	} acts[] = {
		{"accept", "接单", "none"}, {"claim", "认领心愿", "none"}, {"assign", "派单", "assign"}, {"start", "开始办理", "none"},
		{"deliver", "送单（办结）", "note"}, {"escalate", "向上反馈", "note"}, {"dispatch", "党委派单", "dispatch"},
		{"remind", "催办", "note"}, {"close", "办结（无法解决等）", "close"}, {"reject", "不予受理", "note"},
	};
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
		if (!order_find(state, acts[i].action, r->actor.role))
			continue;
		bool mine = assignee && assignee == r->actor.user_id;
		if ((!strcmp(acts[i].action, "start") || !strcmp(acts[i].action, "deliver")) && r->actor.role != R_BRANCH && !mine)
			continue;
		if (!any)
			buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">办理</h2>");
		any = true;
		html_printf(&r->out, "<h3>%s</h3>", acts[i].label);
		if (!strcmp(acts[i].fields, "assign") || !strcmp(acts[i].fields, "dispatch")) {
			html_printf(&r->out, "<form class=\"form\" method=\"post\" action=\"%s/%s\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">",
				    url, acts[i].action, layout_csrf(r));
			if (!strcmp(acts[i].fields, "dispatch")) {
				buf_puts(&r->out, "<div class=\"field\"><label for=\"f-to_org\">派往支部</label><select id=\"f-to_org\" name=\"to_org\">"
						  "<option value=\"\">（不改变支部）</option>");
				db_stmt *o = db_query(r->db, "SELECT code, name FROM orgs WHERE type = 'branch' AND path LIKE ? || '%' AND dissolved_at IS NULL ORDER BY path",
						      "t", scope_of(r));
				while (db_next(o))
					html_printf(&r->out, "<option value=\"%s\">%s</option>", db_str(o, 0), db_str(o, 1));
				db_done(o);
				buf_puts(&r->out, "</select></div>");
			}
			select_users(r, !strcmp(acts[i].fields, "dispatch") ? scope_of(r) : (r->actor.role == R_GRID ? r->actor.org_path : path),
				     "assignee", "办理人（党员、网格员，头雁）");
			const char *err = form_error_for(r, "assignee");
			if (!err)
				err = form_error_for(r, "to_org");
			if (err)
				html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
			html_printf(&r->out, "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">%s</button></div></form>",
				    acts[i].label);
		} else
			action_form(r, url, acts[i].action, acts[i].label, acts[i].fields);
	}
	if (any)
		buf_puts(&r->out, "</section>");
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">办理记录</h2>");
	history_table(r, id, false);
	buf_puts(&r->out, "</section>");
	page_end(r);
}

void orders_page_act(req *r)
{
	int64_t id = req_param_id(r, "id"), org = 0, assignee = 0;
	char state[16], path[256], label[200];
	if (!load_order(r, id, state, path, &org, &assignee)) {
		req_error(r, 404, "not_found", "诉求不存在或不在您的管辖范围内");
		return;
	}
	snprintf(label, sizeof label, "%s %s", r->actor.org_name, r->actor.name);
	struct order_actor who = {r->actor.role, r->actor.user_id, label, scope_of(r)};
	const char *action = req_param(r, "action");
	int status;
	const char *why = apply_form(r, id, action ? action : "", &who, &status);
	if (why && status == 422) {
		orders_page_detail(r);
		r->status = 422;
		return;
	}
	if (why) {
		req_error(r, status, "order", why);
		return;
	}
	audit_log(r, "order.action", "order", id, org, order_action_label(action));
	flash_set(r, "ok", order_action_label(action));
	char loc[48];
	snprintf(loc, sizeof loc, "/orders/%lld", (long long)id);
	req_redirect(r, loc);
}

/* ---- the module record (module.h) ---- */

static const route orders_routes[] = {
	{"GET", "/order", order_page_form, R_PUBLIC, 0, 0, "order"},
	{"POST", "/order", order_page_form, R_PUBLIC, 0, 8 * KiB, "order"},
	{"GET", "/track", order_page_track_form, R_PUBLIC, 0, 0, "track"},
	{"GET", "/track/:code", order_page_track, R_PUBLIC, 0, 0, "track"},
	{"POST", "/track/:code/:action", order_page_track_action, R_PUBLIC, 0, 8 * KiB, "track_action"},
	{"GET", "/stats/orders", stats_page_orders, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "stats_orders"},
	{"GET", "/orders", orders_page_list, R_STAFF | R_MEMBER | R_GRID, 0, 0, "orders"},
	{"GET", "/orders/:id", orders_page_detail, R_STAFF | R_MEMBER | R_GRID, 0, 0, "order"},
	{"POST", "/orders/:id/act/:action", orders_page_act, R_STAFF | R_MEMBER | R_GRID, 0, 8 * KiB, "order_act"},
	{"GET", "/wishes", wishes_page, R_PUBLIC, 0, 0, "wishes"},
	{"POST", "/wishes/:id/claim", wishes_claim, R_MEMBER, 0, 4 * KiB, "wish_claim"},
	{"GET", "/api/v1/public/wishes", wishes_api, R_PUBLIC, RF_API, 0, "api_wishes"},
	{"POST", "/api/v1/public/orders", orders_api_public_create, R_PUBLIC, RF_API, 8 * KiB, "api_public_orders"},
	{"GET", "/api/v1/public/orders/:code", orders_api_public_get, R_PUBLIC, RF_API, 0, "api_public_order"},
	{"POST", "/api/v1/public/orders/:code/actions/:action", orders_api_public_action, R_PUBLIC, RF_API, 8 * KiB, "api_public_order_action"},
	{"GET", "/api/v1/orders/transitions", orders_api_transitions, R_PUBLIC, RF_API | RF_NODB, 0, "api_order_transitions"},
	{"GET", "/api/v1/stats/orders", orders_api_stats, R_COMMITTEE | R_BRANCH | R_ADMIN, RF_API, 0, "api_stats_orders"},
	{"GET", "/api/v1/orders", orders_api_list, R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID | R_ADMIN, RF_API, 0, "api_orders"},
	{"GET", "/api/v1/orders/:id", orders_api_get, R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID | R_ADMIN, RF_API, 0, "api_order"},
	{"POST", "/api/v1/orders/:id/actions/:action", orders_api_action, R_ANY, RF_API, 8 * KiB, "api_order_action"},
};
static const struct nav_entry orders_nav[] = {
	{"/orders", "诉求办理", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID, 20},
	{"/stats/orders", "统计", R_ADMIN | R_COMMITTEE | R_BRANCH, 25},
	{"/order", "我要点单", NAV_PUBLIC, 10},
	{"/wishes", "微心愿", NAV_PUBLIC, 20},
};
static const struct background_task orders_tasks[] = {
	{"auto_close", orders_tick}, /* 销单 of delivered orders nobody answered (SPEC M2) */
};
static const struct entity_link orders_entities[] = {{"order", "/orders/"}};
const struct module orders_module = {
	.name = "orders",
	.routes = orders_routes, .routes_n = COUNT_OF(orders_routes),
	.nav = orders_nav, .nav_n = COUNT_OF(orders_nav),
	.tasks = orders_tasks, .tasks_n = COUNT_OF(orders_tasks),
	.entities = orders_entities, .entities_n = COUNT_OF(orders_entities),
};
