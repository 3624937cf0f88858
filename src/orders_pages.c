/* orders_pages — the HTML of the closed loop (issue 4 §2, §4): the resident's
 * phone-first form and tracking page, and the staff console of orders with
 * one form per action the state table allows the caller. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer_memo.h"
#include "auth.h"
#include "embedded.h"
#include "json.h"
#include "layout.h"
#include "figures.h"
#include "module.h"
#include "order_stats_memo.h"
#include "orders.h"
#include "orders_api.h"
#include "orders_export.h"
#include "orgs_web.h"
#include "qr.h"
#include "users.h"
#include "util.h"
#include "web.h"

/* ---- the resident's side ---- */

#define ORDER_KEY_COOKIE "dj_okey"

/* A form key as random_token makes them (URL-safe base64), from a cookie or a form. */
static bool key_shape(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	if (n < 8 || n >= 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '-' || k[i] == '_'))
			return false;
	return true;
}

/* new_key: the form's key was already spent on another order (order_create
 * said so): this form gets a fresh one, the next submit is a new order.
 * The key is issued with the form page and kept in a cookie of the device
 * until it is used (and for ORDER_KEY_REUSE after): the back button reloads
 * this page (no-store) and gets the same key, so resubmitting without
 * JavaScript answers with the first order (issue 10 §7). ?new=1 asks for a
 * fresh form. */
static void order_form_key(req *r, bool new_key)
{
	char key[40] = "";
	bool used = false;
	const char *k = new_key ? NULL : req_form(r, "_key");
	const char *fresh = req_query(r, "new");
	if (k && strlen(k) >= 8 && strlen(k) < sizeof key)
		snprintf(key, sizeof key, "%s", k);
	else if (!new_key && !req_is_post(r) && !(fresh && !strcmp(fresh, "1")) && key_shape(req_cookie(r, ORDER_KEY_COOKIE)) &&
		 order_key_reusable(r->db, req_cookie(r, ORDER_KEY_COOKIE), now_unix(), &used))
		snprintf(key, sizeof key, "%s", req_cookie(r, ORDER_KEY_COOKIE));
	if (!*key) {
		random_token(key, sizeof key, 16);
		used = false;
	}
	if (key_shape(key))
		req_set_cookie(r, ORDER_KEY_COOKIE, key, -1, true);
	page_begin(r, "我要点单");
	buf_puts(&r->out, "<p class=\"lead\">有需求、有心愿、要代办，或对村里的事有意见建议，都可以在这里告诉我们。"
			  "支部接单后会尽快联系您，您可以随时用查询码查看办理进度。</p>");
	if (used)
		buf_puts(&r->out, "<div class=\"flash\" role=\"status\">这张表单刚刚已经提交过，再次提交相同的内容不会重复登记。"
				  "<a href=\"/order?new=1\">填写一份新的诉求</a></div>");
	buf_puts(&r->out, "<section class=\"card\">");
	form_begin(r, "/order");
	html_printf(&r->out, "<input type=\"hidden\" name=\"_key\" value=\"%s\">", key);
	/* ?kind=wish from the wish wall's 我要许愿 preselects the kind */
	const char *kind = req_query(r, "kind");
	if (!kind || !*order_kind_label(kind) || !strcmp(order_kind_label(kind), kind))
		kind = "need";
	form_select(r, "kind", "诉求类型", order_kinds, form_value(r, "kind", kind));
	const char *err = form_error_for(r, "content");
	html_printf(&r->out,
		    "<div class=\"field%s\"><label for=\"f-content\">诉求内容</label>"
		    "<textarea id=\"f-content\" name=\"content\" rows=\"5\" maxlength=\"500\">%s</textarea>",
		    err ? " has-error" : "", form_value(r, "content", ""));
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
	/* the villages and communities that take orders */
	size_t n_orgs, n = 0;
	struct org *all = orgs_under(r->db, "/", false, &n_orgs);
	const char **opts = calloc(2 * n_orgs + 3, sizeof *opts);
	opts[n++] = ""; /* none preselected: the resident says where (issue 10 §7) */
	opts[n++] = "请选择";
	for (size_t i = 0; i < n_orgs; i++)
		if (order_org_takes_orders(all[i].type, all[i].kind)) {
			opts[n++] = all[i].code;
			opts[n++] = all[i].name;
		}
	form_select(r, "org", "所在村（社区）", opts, form_value(r, "org", ""));
	free(opts);
	free(all);
	static const char *const urg[] = {"normal", "一般", "urgent", "紧急（如就医）", "complex", "较复杂", NULL};
	form_select(r, "urgency", "紧急程度", urg, form_value(r, "urgency", "normal"));
	form_input(r, "contact_name", "联系人", "text", form_value(r, "contact_name", ""), NULL);
	form_input(r, "contact_phone", "手机号", "tel", form_value(r, "contact_phone", ""), "仅用于支部与您联系，不会公开");
	/* issue 10 §4: where to find the resident, optional */
	form_input(r, "address", "地址（选填）", "text", form_value(r, "address", ""), "如：陈集村三组 12 号；只有办理人和支部可见");
	form_end(r, "提交");
	buf_puts(&r->out, "</section><p class=\"muted\">已经提交过？<a href=\"/track\">查询办理进度</a></p>");
	page_end(r);
}

static void order_form(req *r) { order_form_key(r, false); }

static void order_page_form(req *r)
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
		{"kind", o.kind, sizeof o.kind},
		{"urgency", o.urgency, sizeof o.urgency},
		{"content", o.content, sizeof o.content},
		{"org", o.org_code, sizeof o.org_code},
		{"contact_name", o.contact_name, sizeof o.contact_name},
		{"contact_phone", o.contact_phone, sizeof o.contact_phone},
		{"_key", o.idempotency_key, sizeof o.idempotency_key},
		{"address", o.address, sizeof o.address},
	};
	struct field_errors e = {0};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		const char *v = req_form(r, f[i].field);
		if (v && strlen(v) >= f[i].n)
			ferr_add(&e, f[i].field, "内容过长");
		else
			snprintf(f[i].dst, f[i].n, "%s", v ? v : "");
	}
	char code[24];
	bool repeated = false;
	enum dj_result res = DJ_INVALID;
	if (!e.n) {
		/* the same per-address limit as the API */
		if (!order_place_admit(r->db, r->ip, &o, now_unix())) {
			req_error(r, 429, "rate_limited", "提交过于频繁，请一小时后再试，或直接联系村（社区）党支部");
			return;
		}
		res = order_create(r->db, &r->actor, &o, code, &repeated, &e);
	}
	if (res == DJ_INVALID) {
		/* the hidden _key is the page's Idempotency-Key */
		bool spent = ferr_get(&e, "Idempotency-Key") != NULL;
		if (spent)
			ferr_add(&e, "_form", "这张表单已经提交过一份内容不同的诉求（表单编号 _key 已用过）。已换成新表单，请核对后再提交。");
		form_errors_add(r, &e);
		order_form_key(r, spent);
		r->status = 422;
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	/* the device keeps the key it used: back + resubmit finds this order */
	if (key_shape(o.idempotency_key))
		req_set_cookie(r, ORDER_KEY_COOKIE, o.idempotency_key, -1, true);
	char msg[160], loc[64];
	snprintf(msg, sizeof msg, "已提交，您的查询码是 %s，请妥善保存", code);
	flash_set(r, "ok", msg);
	snprintf(loc, sizeof loc, "/track/%s", code);
	req_redirect(r, loc);
}

/* issue 10 §5: the orders this device placed or looked up (filled by
 * assets/app.js from localStorage), and the lookup by phone number. */
static void track_more(req *r)
{
	buf_puts(&r->out, "<section class=\"card is-hidden\" data-device-orders><h2 class=\"card-title\">本机查询过的诉求</h2>"
			  "<ul class=\"device-orders\"></ul><p class=\"muted\">只保存在这台手机的浏览器里。</p></section>");
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">查询码忘了？</h2>"
			  "<p class=\"muted\">填写提交诉求时留的手机号和您记得的任意一个查询码（例如最近一次的），即可列出这个手机号的全部诉求。</p>");
	form_begin(r, "/track/lookup");
	form_input(r, "phone", "手机号", "tel", form_value(r, "phone", ""), NULL);
	form_input(r, "code", "查询码", "text", form_value(r, "code", ""), "不区分大小写，空格和短横可有可无");
	form_end(r, "列出我的诉求");
	buf_puts(&r->out, "</section>");
	/* no code at all: the codes by text message (§5) */
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">一个查询码也找不到？</h2>"
			  "<p class=\"muted\">填写提交诉求时留的手机号，我们把这个手机号的查询码用短信发给您。</p>");
	form_begin(r, "/track/codes");
	form_input(r, "sms_phone", "手机号", "tel", form_value(r, "sms_phone", ""), NULL);
	form_end(r, "短信发送查询码");
	buf_puts(&r->out, "</section>");
}

/* POST /track/codes: the codes of a phone's orders by text message; the same
 * page whether or not the phone placed any (issue 10 §5). */
static void order_page_track_codes(req *r)
{
	const char *phone = req_form(r, "sms_phone");
	struct field_errors e = {0};
	enum dj_result res = order_send_codes(r->db, &r->actor, phone ? phone : "", now_unix(), &e);
	if (res == DJ_INVALID || res == DJ_CONFLICT) {
		/* beside this form's own field, not the lookup's */
		struct field_errors shown = {0};
		ferr_add(&shown, "sms_phone", "%s", dj_message(res, &e));
		form_errors_add(r, &shown);
		page_begin(r, "查询办理进度");
		track_more(r);
		page_end(r);
		r->status = res == DJ_CONFLICT ? 429 : 422;
		if (res == DJ_CONFLICT)
			req_set_header(r, "Retry-After", "3600");
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char masked[24];
	mask_phone(phone, masked);
	page_begin(r, "查询码已发送");
	html_printf(
		&r->out,
		"<section class=\"card\"><p class=\"lead\" id=\"codes-sent\">如果手机号 %s 提交过诉求，查询码已通过短信发送到这个手机，请留意短信。</p>"
		"<p class=\"muted\">没有收到？请核对手机号，或直接联系村（社区）党支部。</p>"
		"<div class=\"actions\"><a class=\"btn btn-primary\" href=\"/track\">输入查询码</a></div></section>",
		masked);
	page_end(r);
}

static void lookup_row(void *ctx, const struct order *o)
{
	buf *out = ctx;
	char t[20], ph[24];
	fmt_time(o->created_at, t);
	mask_phone(o->contact_phone, ph);
	html_printf(out, "<li><a href=\"/track/%s\">%s</a> %s · %s · <span class=\"badge\">%s</span> <span class=\"muted\">%s</span></li>", o->code,
		    o->code, order_kind_label(o->kind), t, order_state_label(o->state), ph);
}

/* POST /track/lookup: a phone number and one of its codes list its orders;
 * counted as logins are (per phone and address), a right answer is forgiven. */
static void order_page_track_lookup(req *r)
{
	const char *phone = req_form(r, "phone"), *code = req_form(r, "code");
	char subject[40];
	snprintf(subject, sizeof subject, "track:%.20s", phone ? phone : "");
	int retry = 0;
	struct field_errors e = {0};
	enum dj_result res = DJ_DB_ERROR;
	buf rows = {0};
	enum login_result t = auth_attempt_reserve(r, subject, &retry);
	if (t == LOGIN_THROTTLED) {
		char ra[16];
		dj_fail(&e, DJ_FORBIDDEN, "尝试次数过多，请 %d 分钟后再试", (retry + 59) / 60);
		snprintf(ra, sizeof ra, "%d", retry);
		req_set_header(r, "Retry-After", ra);
	} else if (t != LOGIN_OK || db_begin(r->db, false) != DB_OK)
		dj_fail(&e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	else {
		res = order_list_by_phone(r->db, phone ? phone : "", code, lookup_row, &rows, &e);
		if (res == DJ_OK && (!auth_attempt_forgive(r, subject) || db_commit(r->db) != DB_OK))
			res = dj_fail(&e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
		if (res != DJ_OK)
			db_rollback(r->db);
	}
	if (res == DJ_OK) {
		page_begin(r, "我的诉求");
		html_printf(&r->out, "<section class=\"card\"><ul class=\"device-orders\">");
		buf_puts(&r->out, buf_str(&rows));
		buf_puts(&r->out, "</ul><p class=\"muted\">手机号已隐去中间四位。点查询码查看办理进度。</p></section>");
		page_end(r);
	} else {
		form_errors_add(r, &e);
		page_begin(r, "查询办理进度");
		track_more(r);
		page_end(r);
		r->status = t == LOGIN_THROTTLED ? 429 : res == DJ_INVALID ? 422 : res == DJ_NOT_FOUND ? 404 : 503;
	}
	buf_free(&rows);
}

static void order_page_track_form(req *r)
{
	const char *code = req_query(r, "code");
	if (code && *code && strlen(code) < 40) {
		char norm[40]; /* issue 10 §5: lowercase, spaces and dashes find it too */
		order_code_normalize(code, norm);
		buf loc = {0};
		buf_puts(&loc, "/track/");
		url_encode(&loc, *norm ? norm : code);
		req_redirect(r, buf_str(&loc));
		buf_free(&loc);
		return;
	}
	page_begin(r, "查询办理进度");
	buf_puts(&r->out, "<section class=\"card\"><form class=\"form\" method=\"get\" action=\"/track\"><div class=\"field\">"
			  "<label for=\"f-code\">查询码</label><input id=\"f-code\" name=\"code\" type=\"text\" autocomplete=\"off\"></div>"
			  "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">查询</button></div></form></section>");
	track_more(r);
	page_end(r);
}

static void history_row(void *ctx, const struct order_event *ev)
{
	req *r = ctx;
	char t[20];
	fmt_time(ev->at, t);
	html_printf(
		&r->out,
		"<tr><td data-label=\"时间\">%s</td><td data-label=\"办理\">%s%s</td><td data-label=\"经办\">%s</td><td data-label=\"说明\">%s</td></tr>",
		t, order_action_label(ev->action), ev->public ? "" : "（内部）", ev->actor, ev->note);
}

static void history_table(req *r, int64_t id, bool public_only)
{
	buf_puts(
		&r->out,
		/* at phone width each step is a card: the 说明 column is not cut off (issue 10) */
		"<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>时间</th><th>办理</th><th>经办</th><th>说明</th></tr></thead><tbody>");
	order_events(r->db, id, public_only, history_row, r);
	buf_puts(&r->out, "</tbody></table></div>");
}

/* The question app.js asks before an action that cannot be undone (issue 10
 * §7); without JS the form posts as it is. */
static const char *action_confirm(const char *action)
{
	static const char *const q[] = {
		"reject",   "不予受理后诉求即结束，不能恢复。确定不予受理吗？",   "close",    "办结后诉求即结束，不能恢复。确定办结吗？",
		"escalate", "向上反馈后由镇党委派单，不能撤回。确定向上反馈吗？", "withdraw", "撤回后诉求即结束，不能恢复。确定撤回吗？",
		"claim",    "认领后由您负责实现这个心愿。确定认领吗？",           "deliver",  "送单后将请群众确认评价。确定已经办好了吗？",
		"confirm",  "确认后诉求即销单，不能再修改评价。确定吗？",         "dispatch", "确定按所选支部和办理人派单吗？",
		NULL,
	};
	for (const char *const *p = q; *p; p += 2)
		if (!strcmp(*p, action))
			return p[1];
	return NULL;
}

/* The red button is the page's main step; the rest are secondary, and a
 * refusal or a withdrawal is outlined in red. */
static const char *action_button(const char *action)
{
	if (!strcmp(action, "withdraw") || !strcmp(action, "reject") || !strcmp(action, "close"))
		return "btn-danger";
	if (!strcmp(action, "start") || !strcmp(action, "remind") || !strcmp(action, "add_info") || !strcmp(action, "reopen") ||
	    !strcmp(action, "escalate"))
		return "btn-secondary";
	return "btn-primary";
}

static void action_form(req *r, const char *url, const char *action, const char *label, const char *fields_html_kind)
{
	html_printf(&r->out, "<form class=\"form\" method=\"post\" action=\"%s/%s\">", url, action);
	html_printf(&r->out, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", layout_csrf(r));
	const char *err = form_error_for(r, "note");
	bool reject = !strcmp(fields_html_kind, "reject");
	if (!strcmp(fields_html_kind, "note") || !strcmp(fields_html_kind, "rating") || !strcmp(fields_html_kind, "close") || reject) {
		if (!strcmp(fields_html_kind, "rating")) {
			/* issue 10 §6: no stars are chosen for the resident */
			const char *rerr = form_error_for(r, "rating");
			html_printf(&r->out, "<fieldset class=\"field rating%s\"><legend>满意度（必选）</legend>", rerr ? " has-error" : "");
			static const char *const stars[] = {"5", "★★★★★ 非常满意", "4", "★★★★ 满意", "3", "★★★ 基本满意",
							    "2", "★★ 不太满意",    "1", "★ 不满意"};
			for (int i = 0; i < 10; i += 2)
				html_printf(&r->out, "<label class=\"radio\"><input type=\"radio\" name=\"rating\" value=\"%s\" required> %s</label>",
					    stars[i], stars[i + 1]);
			if (rerr)
				html_printf(&r->out, "<p class=\"field-error\">%s</p>", rerr);
			buf_puts(&r->out, "</fieldset>");
		}
		if (!strcmp(fields_html_kind, "close"))
			buf_puts(
				&r->out,
				"<div class=\"field\"><label for=\"f-reason\">办结原因</label><select id=\"f-reason\" name=\"reason\">"
				"<option value=\"unresolvable\">无法解决</option><option value=\"not_ours\">不属于本级职责（请写明谁认定、向何处反映）</option>"
				"<option value=\"duplicate\">重复诉求</option></select></div>"
				"<div class=\"field\"><label for=\"f-duplicate_of\">原诉求查询码（重复诉求时填写）</label>"
				"<input id=\"f-duplicate_of\" name=\"duplicate_of\" type=\"text\"></div>");
		if (!strcmp(fields_html_kind, "close") || reject) {
			/* issue 10 §6: who decided, where the resident should turn */
			const char *de = form_error_for(r, "decided_by"), *re = form_error_for(r, "refer_to");
			html_printf(
				&r->out,
				"<div class=\"field%s\"><label for=\"f-decided_by-%s\">认定人（单位）</label>"
				"<input id=\"f-decided_by-%s\" name=\"decided_by\" type=\"text\" maxlength=\"40\" placeholder=\"默认为您本人，如：支委会研究决定\">",
				de ? " has-error" : "", action, action);
			if (de)
				html_printf(&r->out, "<p class=\"field-error\">%s</p>", de);
			html_printf(
				&r->out,
				"</div><div class=\"field%s\"><label for=\"f-refer_to-%s\">建议群众向何处反映%s</label>"
				"<input id=\"f-refer_to-%s\" name=\"refer_to\" type=\"text\" maxlength=\"100\" placeholder=\"如：镇综治中心、县信访局\">",
				re ? " has-error" : "", action, reject ? "（选填）" : "（不属于本级职责时必填）", action);
			if (re)
				html_printf(&r->out, "<p class=\"field-error\">%s</p>", re);
			buf_puts(&r->out, "</div>");
		}
		html_printf(&r->out,
			    "<div class=\"field%s\"><label for=\"f-note-%s\">%s</label><textarea id=\"f-note-%s\" name=\"note\" rows=\"2\"></textarea>",
			    err ? " has-error" : "", action, !strcmp(action, "deliver") ? "办理结果" : "说明", action);
		if (err)
			html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
		buf_puts(&r->out, "</div>");
	}
	const char *confirm = action_confirm(action);
	html_printf(&r->out, "<div class=\"form-actions\"><button class=\"btn %s\" type=\"submit\"", action_button(action));
	if (confirm)
		html_printf(&r->out, " data-confirm=\"%s\"", confirm);
	html_printf(&r->out, ">%s</button></div></form>", label);
}

/* issue 10 §6: 不予受理 / 不属于本级职责: who decided, where to turn */
static void decision_kv(req *r, const struct order *o)
{
	if (*o->decided_by)
		html_printf(&r->out, "<dt>认定</dt><dd>%s</dd>", o->decided_by);
	if (*o->refer_to)
		html_printf(&r->out, "<dt>建议您向</dt><dd>%s 反映</dd>", o->refer_to);
}

/* issue 10 §5: the code to keep: large, a copy button, a QR code of this
 * page; app.js remembers it on this device (data-remember-code). */
static void track_code_card(req *r, const char *code)
{
	char base[160], url[256];
	qr_site_base(r, base, sizeof base);
	snprintf(url, sizeof url, "%s/track/%s", base, code);
	html_printf(
		&r->out,
		"<section class=\"card track-keep\" data-remember-code=\"%s\"><h2 class=\"card-title\">请保存查询码</h2>"
		"<p class=\"track-code\">%s</p><div class=\"actions\"><button class=\"btn btn-small\" type=\"button\" data-copy=\"%s\">复制查询码</button></div>"
		"<div class=\"track-qr\">",
		code, code, code);
	qr_svg(&r->out, url, "本诉求查询页二维码");
	buf_puts(&r->out, "<p class=\"muted\">截图或扫码即可再次打开本页；输入时不分大小写。</p></div></section>");
}

static void order_page_track(req *r)
{
	const char *code = req_param(r, "code");
	struct order o;
	if (!order_load(r->db, 0, code ? code : "", &o)) {
		req_error(r, 404, "not_found", "查询码不存在，请核对后重试");
		return;
	}
	const char *state = o.state;
	char t[20];
	fmt_time(o.created_at, t);
	page_begin(r, "办理进度");
	html_printf(&r->out,
		    "<section class=\"card\"><dl class=\"kv\"><dt>查询码</dt><dd>%s</dd><dt>类型</dt><dd>%s</dd>"
		    "<dt>提交时间</dt><dd>%s</dd><dt>受理支部</dt><dd>%s</dd><dt>当前状态</dt><dd><span class=\"badge %s\">%s</span> %s</dd>"
		    "<dt>诉求</dt><dd>%s</dd>",
		    o.code, order_kind_label(o.kind), t, o.org_name, order_state_open(state) ? "badge-red" : "badge-green", order_state_label(state),
		    order_state_open(state) ? "（办理中）" : "（已办结）", o.content);
	if (*o.result)
		html_printf(&r->out, "<dt>办理结果</dt><dd>%s</dd>", o.result);
	if (o.rating)
		html_printf(&r->out, "<dt>您的评价</dt><dd>%.*s</dd>", o.rating * 3, "★★★★★");
	decision_kv(r, &o);
	buf_puts(&r->out, "</dl></section>");
	track_code_card(r, o.code);
	int64_t id = o.id;
	char url[64];
	snprintf(url, sizeof url, "/track/%s", o.code);
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

/* Takes a transition from a posted form, as the request's actor; answers
 * itself unless it worked. DJ_INVALID re-renders the page with the errors. */
static bool act_from_form(req *r, int64_t id, const char *code, void (*page)(req *r))
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
	enum dj_result res = order_transition(r->db, &r->actor, id, code, req_param(r, "action"), &a, now_unix(), &e);
	if (res == DJ_INVALID) {
		form_errors_add(r, &e);
		page(r);
		r->status = 422;
		r->failed = true;
	} else if (res != DJ_OK)
		req_fail(r, res, &e);
	return res == DJ_OK;
}

static void order_page_track_action(req *r)
{
	const char *code = req_param(r, "code"), *action = req_param(r, "action");
	if (!act_from_form(r, 0, code ? code : "", order_page_track))
		return;
	flash_set(r, "ok", !strcmp(action, "confirm") ? "感谢您的评价，诉求已销单" : "已提交");
	char loc[64], norm[40];
	order_code_normalize(code, norm);
	snprintf(loc, sizeof loc, "/track/%s", norm);
	req_redirect(r, loc);
}

/* ---- the staff console ---- */

struct list_ctx {
	buf *out;
	int64_t now;
	int n;
	int64_t last_id;
};

static const char *urgency_label(const char *u) { return !strcmp(u, "urgent") ? "紧急" : !strcmp(u, "complex") ? "较复杂" : "一般"; }

/* One row; at phone width the row is a card and each cell names itself (data-label). */
static void list_row(void *ctx, const struct order *o)
{
	struct list_ctx *c = ctx;
	buf *out = c->out;
	char t[20], due[20], excerpt[100];
	fmt_time(o->created_at, t);
	fmt_time(o->due_at, due);
	/* the first 30 characters, cut between UTF-8 characters */
	const char *p = o->content;
	size_t i = 0, chars = 0;
	while (p[i] && chars < 30) {
		i++;
		while ((p[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	snprintf(excerpt, sizeof excerpt, "%.*s%s", (int)i, p, p[i] ? "…" : "");
	bool overdue = order_overdue(o, c->now);
	html_printf(out,
		    "<tr><td data-label=\"查询码\"><a href=\"/orders/%lld\">%s</a></td><td data-label=\"类型\">%s</td><td data-label=\"紧急\">"
		    "<span class=\"badge%s\">%s</span></td><td data-label=\"诉求\">%s</td><td data-label=\"支部\">%s</td>"
		    "<td data-label=\"状态\"><span class=\"badge\">%s</span></td><td data-label=\"时限\">%s",
		    (long long)o->id, o->code, order_kind_label(o->kind), !strcmp(o->urgency, "urgent") ? " badge-red" : "", urgency_label(o->urgency),
		    excerpt, o->org_name, order_state_label(o->state), order_state_open(o->state) && strcmp(o->state, "delivered") ? due : "—");
	if (overdue)
		buf_puts(out, " <span class=\"badge badge-red\">逾期</span>");
	html_printf(out, "</td><td data-label=\"提交\">%s</td><td data-label=\"办理人\">%s</td></tr>", t, *o->assignee_name ? o->assignee_name : "—");
	c->n++;
	c->last_id = o->id;
}

static void option(req *r, const char *value, const char *label, const char *selected)
{
	html_printf(&r->out, selected && !strcmp(selected, value) ? "<option value=\"%s\" selected>%s</option>" : "<option value=\"%s\">%s</option>",
		    value, label);
}

static void check(req *r, const char *name, const char *label, bool on)
{
	html_printf(&r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%s> %s</label>", name, on ? " checked" : "", label);
}

static bool qflag(req *r, const char *name)
{
	const char *v = req_query(r, name);
	return v && !strcmp(v, "1");
}

#define ORDERS_PAGE 25
#define ORDERS_NUMBERED 5 /* pages reached by number; past them the keyset (before=) */

/* The list's filter from the query (the list and its export read it alike);
 * false when ?org= was refused and answered. */
static bool list_filter(req *r, struct order_filter *f, struct org_ref *ref)
{
	memset(f, 0, sizeof *f);
	f->state = req_query(r, "state");
	f->kind = req_query(r, "kind");
	f->urgency = req_query(r, "urgency");
	f->grid = req_query(r, "grid");
	f->from = req_query(r, "from");
	f->to = req_query(r, "to");
	f->q = req_query(r, "q");
	f->sort = req_query(r, "sort");
	f->overdue = qflag(r, "overdue");
	f->mine = qflag(r, "mine");
	f->escalated = qflag(r, "escalated");
	/* the dashboard's drill-downs (issue 17): never escalated, still open, closed with a reason */
	f->direct = qflag(r, "direct");
	f->open = qflag(r, "open");
	f->reason = req_query(r, "reason");
	const char *org = req_query(r, "org");
	if (org && *org) {
		if (!orgs_from_request(r, org, &perm_org_view, ref))
			return false;
		f->org_path = ref->path;
	}
	return true;
}

static void orders_page_list(req *r)
{
	struct order_filter f;
	struct org_ref ref;
	if (!list_filter(r, &f, &ref))
		return;
	const char *org = req_query(r, "org");
	f.limit = ORDERS_PAGE;
	f.before = parse_id(req_query(r, "before"));
	int64_t page = parse_id(req_query(r, "page"));
	if (page < 1 || (page > ORDERS_NUMBERED && strcmp(f.sort ? f.sort : "", "due")) || page > 400)
		page = 1; /* past the numbered pages the keyset leads (due: by number) */
	f.offset = (page - 1) * ORDERS_PAGE;
	buf rows = {0};
	struct list_ctx c = {&rows, now_unix(), 0, 0};
	int64_t total = 0;
	struct field_errors e = {0};
	/* the rows and the branches of the filter remembered for the same
	 * question in the same second, nothing changed since (answer_memo.c);
	 * the key: who asks and the whole query */
	int64_t gen[3];
	bool memo = order_generation(r->db, gen);
	buf key = {0}, okey = {0}, hit = {0};
	enum dj_result res = DJ_OK;
	if (memo) {
		buf_printf(&key, "orders-page|%lld|%d|%s", (long long)r->actor.user_id, (int)r->actor.role, r->actor.org_path);
		for (size_t i = 0; i < r->query.n; i++)
			buf_printf(&key, "\x1f%s=%s", r->query.v[i].key, r->query.v[i].val);
		buf_printf(&okey, "orders-page-orgs|%s|%s", actor_scope(&r->actor), org ? org : "");
	}
	long long mt, mn, ml;
	int used = 0;
	if (memo && answer_memo_get(buf_str(&key), gen, c.now, &hit) && sscanf(buf_str(&hit), "%lld %lld %lld\n%n", &mt, &mn, &ml, &used) == 3 && used) {
		total = mt, c.n = (int)mn, c.last_id = ml;
		buf_puts(&rows, buf_str(&hit) + used);
	} else {
		res = order_list(r->db, &r->actor, &f, c.now, &total, list_row, &c, &e);
		if (res != DJ_OK && res != DJ_INVALID) {
			buf_free(&rows);
			buf_free(&key), buf_free(&okey), buf_free(&hit);
			req_fail(r, res, &e);
			return;
		}
		if (memo && res == DJ_OK && !db_interrupted(r->db)) {
			buf_reset(&hit);
			buf_printf(&hit, "%lld %lld %lld\n", (long long)total, (long long)c.n, (long long)c.last_id);
			buf_puts(&hit, buf_str(&rows));
			answer_memo_put(buf_str(&key), gen, c.now, hit.p, hit.len);
		}
	}
	buf_free(&hit);
	buf_free(&key);
	page_begin(r, "诉求办理");
	const char *q = f.q ? f.q : "", *sort = f.sort ? f.sort : "new";
	/* the search always in view; the other filters folded (open while one is set), so a phone shows rows first */
	bool narrowed = (f.state && *f.state) || (f.kind && *f.kind) || (f.urgency && *f.urgency) || (org && *org) || (f.grid && *f.grid) ||
			(f.from && *f.from) || (f.to && *f.to) || strcmp(sort, "new") || f.overdue || f.escalated || f.mine || f.direct || f.open ||
			(f.reason && *f.reason);
	html_printf(
		&r->out,
		"<form class=\"filters\" method=\"get\" action=\"/orders\"><div class=\"search-row\"><label class=\"sr-only\" for=\"f-q\">搜索</label>"
		"<input id=\"f-q\" name=\"q\" type=\"search\" value=\"%s\" placeholder=\"查询码、手机尾号或内容\">"
		"<button class=\"btn\" type=\"submit\">筛选</button></div><details class=\"more\"%s><summary>更多筛选</summary><div class=\"more-grid\">"
		"<div><label for=\"f-state\">状态</label><select id=\"f-state\" name=\"state\"><option value=\"\">全部状态</option>",
		q, narrowed ? " open" : "");
	for (const char *const *st = order_states; *st; st++)
		option(r, *st, order_state_label(*st), f.state);
	buf_puts(&r->out,
		 "</select></div><div><label for=\"f-kind\">类型</label><select id=\"f-kind\" name=\"kind\"><option value=\"\">全部类型</option>");
	for (const char *const *k = order_kinds; *k; k += 2)
		option(r, k[0], k[1], f.kind);
	buf_puts(
		&r->out,
		"</select></div><div><label for=\"f-urgency\">紧急程度</label><select id=\"f-urgency\" name=\"urgency\"><option value=\"\">全部</option>");
	option(r, "urgent", "紧急", f.urgency);
	option(r, "normal", "一般", f.urgency);
	option(r, "complex", "较复杂", f.urgency);
	buf_puts(&r->out, "</select></div><div><label for=\"f-org\">支部</label><select id=\"f-org\" name=\"org\"><option value=\"\">全部</option>");
	if (!memo || !answer_memo_get(buf_str(&okey), gen, c.now, &r->out)) {
		size_t nb, at = r->out.len;
		struct org *b = orgs_under(r->db, actor_scope(&r->actor), false, &nb);
		for (size_t k = 0; k < nb; k++)
			if (!strcmp(b[k].type, "branch") || !strcmp(b[k].type, "general") || !strcmp(b[k].type, "committee"))
				option(r, b[k].code, b[k].name, org);
		free(b);
		if (memo && !db_interrupted(r->db))
			answer_memo_put(buf_str(&okey), gen, c.now, r->out.p + at, r->out.len - at);
	}
	buf_free(&okey);
	html_printf(&r->out,
		    "</select></div><div><label for=\"f-grid\">网格编号</label><input id=\"f-grid\" name=\"grid\" value=\"%s\"></div>"
		    "<div><label for=\"f-from\">提交日期从</label><input id=\"f-from\" type=\"date\" name=\"from\" value=\"%s\"></div>"
		    "<div><label for=\"f-to\">到</label><input id=\"f-to\" type=\"date\" name=\"to\" value=\"%s\"></div>"
		    "<div><label for=\"f-sort\">排序</label><select id=\"f-sort\" name=\"sort\">",
		    f.grid ? f.grid : "", f.from ? f.from : "", f.to ? f.to : "");
	for (const char *const *k = order_sorts; *k; k += 2)
		option(r, k[0], k[1], sort);
	buf_puts(&r->out, "</select></div><div class=\"checks\">");
	check(r, "overdue", "只看逾期", f.overdue);
	check(r, "escalated", "向上反馈过", f.escalated);
	check(r, "mine", "派给我的", f.mine);
	/* a dashboard drill-down's conditions stay with the form (issue 17) */
	if (f.direct)
		check(r, "direct", "未向上反馈（支部办理）", true);
	if (f.open)
		check(r, "open", "办理中", true);
	if (f.reason && *f.reason)
		html_printf(&r->out, "<input type=\"hidden\" name=\"reason\" value=\"%s\">", f.reason);
	buf_puts(&r->out, "</div></div></details></form>");
	for (int k = 0; k < e.n; k++)
		html_printf(&r->out, "<div class=\"flash flash-error\" role=\"alert\">%s</div>", e.e[k].msg);
	/* the filters of this page, for the pager and the export */
	buf link = {0};
	for (size_t i = 0; i < r->query.n; i++)
		if (strcmp(r->query.v[i].key, "page") && strcmp(r->query.v[i].key, "before")) {
			url_encode(&link, r->query.v[i].key);
			buf_putc(&link, '=');
			url_encode(&link, r->query.v[i].val);
			buf_putc(&link, '&');
		}
	buf_puts(&r->out, "<div class=\"list-head\">");
	if (total > ORDER_COUNT_CAP)
		html_printf(&r->out, "<p class=\"muted\" id=\"orders-total\">共 %d+ 条</p>", ORDER_COUNT_CAP);
	else
		html_printf(&r->out, "<p class=\"muted\" id=\"orders-total\">共 %lld 条</p>", (long long)total);
	/* issue 10 §11: every row of this filter, not just the page; phones
	 * masked, or in full where the caller may reveal them (audited) */
	if (res == DJ_OK && total) {
		html_printf(&r->out, "<p class=\"list-export\"><a class=\"btn btn-secondary\" href=\"/orders.xlsx?%s\" download>导出 Excel</a>",
			    buf_str(&link));
		if (r->actor.role & (R_ADMIN | R_COMMITTEE | R_BRANCH))
			html_printf(&r->out,
				    " <a class=\"btn btn-secondary\" href=\"/orders.xlsx?%sfull=1\" download "
				    "data-confirm=\"导出的表格将含群众完整手机号和地址，导出会留痕。确定导出吗？\">导出（含完整手机号）</a>",
				    buf_str(&link));
		buf_puts(&r->out, "</p>");
	}
	buf_puts(&r->out, "</div>");
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>查询码</th><th>类型</th><th>紧急</th><th>诉求</th>"
			  "<th>支部</th><th>状态</th><th>时限</th><th>提交</th><th>办理人</th></tr></thead><tbody>");
	buf_puts(&r->out, buf_str(&rows));
	buf_free(&rows);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!c.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>没有符合条件的诉求</p></div>");
	/* the pager: the first pages by number; further on, and after any keyset page, by the last row's id */
	bool keyset = strcmp(sort, "due") != 0;
	int64_t pages = (total + ORDERS_PAGE - 1) / ORDERS_PAGE;
	bool more = c.n == ORDERS_PAGE && (f.before || total > f.offset + ORDERS_PAGE);
	if (pages > 1 || f.before) {
		buf_puts(&r->out, "<nav class=\"pager\">");
		if (f.before)
			html_printf(&r->out, "<a href=\"/orders?%s\">第一页</a>", buf_str(&link));
		for (int64_t k = 1; !f.before && k <= pages && k <= ORDERS_NUMBERED; k++) {
			if (k == page)
				html_printf(&r->out, "<span aria-current=\"page\">%lld</span>", (long long)k);
			else
				html_printf(&r->out, "<a href=\"/orders?%spage=%lld\">%lld</a>", buf_str(&link), (long long)k, (long long)k);
		}
		if (more && keyset && (f.before || page >= ORDERS_NUMBERED))
			html_printf(&r->out, "<a rel=\"next\" href=\"/orders?%sbefore=%lld\">下一页</a>", buf_str(&link), (long long)c.last_id);
		else if (more)
			html_printf(&r->out, "<a rel=\"next\" href=\"/orders?%spage=%lld\">下一页</a>", buf_str(&link), (long long)page + 1);
		buf_puts(&r->out, "</nav>");
	}
	buf_free(&link);
	page_end(r);
	if (res == DJ_INVALID)
		r->status = 422;
}

static void user_option(const struct user *u, void *ctx)
{
	req *r = ctx;
	html_printf(&r->out, "<option value=\"%s\">%s（%s）</option>", u->username, u->name, role_label(role_from_key(u->role)));
}

static void select_users(req *r, const char *path, const char *name, const char *label)
{
	html_printf(&r->out, "<div class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"><option value=\"\">（不指定）</option>",
		    name, label, name, name);
	users_each_active(r->db, path, 0, ORDER_ASSIGNEE_ROLES, user_option, r);
	buf_puts(&r->out, "</select></div>");
}

static void order_detail(req *r, struct order *op, bool revealed);

static void orders_page_detail(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct order o;
	if (!order_load(r->db, id, NULL, &o) || !order_visible(r->db, &r->actor, &o)) {
		req_error(r, 404, "not_found", "诉求不存在或不在您的管辖范围内");
		return;
	}
	order_detail(r, &o, false);
}

/* POST /orders/:id/reveal (issue 10 §4): the page again, with the full phone
 * to tap and the address; audited as order.reveal_phone. */
static void orders_page_reveal(req *r)
{
	struct order o;
	struct field_errors e = {0};
	enum dj_result res = order_reveal_phone(r->db, &r->actor, req_param_id(r, "id"), &o, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_set_header(r, "Cache-Control", "no-store");
	order_detail(r, &o, true);
}

/* The contact of the detail page: masked, with a button for those who may
 * reveal it; revealed, a tel: link and the address. */
static void contact_kv(req *r, const struct order *o, bool revealed)
{
	char ph[24];
	mask_phone(o->contact_phone, ph);
	if (revealed) {
		html_printf(&r->out, "<dt>联系人</dt><dd>%s <a class=\"tel\" href=\"tel:%s\">%s</a>（点击拨打）</dd><dt>地址</dt><dd>%s</dd>",
			    o->contact_name, o->contact_phone, o->contact_phone, *o->address ? o->address : "（未填写）");
		return;
	}
	html_printf(&r->out, "<dt>联系人</dt><dd>%s %s", o->contact_name, ph);
	if (order_contact_allowed(&r->actor, o))
		html_printf(&r->out,
			    " <form class=\"inline\" method=\"post\" action=\"/orders/%lld/reveal\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<button class=\"btn btn-small\" type=\"submit\">查看完整号码和地址（留痕）</button></form>",
			    (long long)o->id, layout_csrf(r));
	buf_puts(&r->out, "</dd>");
}

static void order_detail(req *r, struct order *op, bool revealed)
{
	struct order o = *op;
	int64_t id = o.id;
	const char *state = o.state, *path = o.org_path;
	int64_t assignee = o.assignee_user_id;
	char title[64], due[20];
	snprintf(title, sizeof title, "诉求 %s", o.code);
	fmt_time(o.due_at, due);
	page_begin(r, title);
	html_printf(&r->out, "<div class=\"breadcrumbs\"><a href=\"/orders\">诉求办理</a> › <span>%s</span></div>", o.code);
	html_printf(&r->out,
		    "<section class=\"card\"><dl class=\"kv\"><dt>类型</dt><dd>%s</dd><dt>紧急程度</dt><dd>%s</dd>"
		    "<dt>诉求</dt><dd>%s</dd><dt>支部</dt><dd>%s</dd>",
		    order_kind_label(o.kind),
		    !strcmp(o.urgency, "urgent")    ? "紧急"
		    : !strcmp(o.urgency, "complex") ? "较复杂"
						    : "一般",
		    o.content, o.org_name);
	contact_kv(r, &o, revealed);
	html_printf(&r->out, "<dt>状态</dt><dd>%s</dd><dt>层级</dt><dd>%s%s</dd><dt>办理人</dt><dd>%s</dd><dt>时限</dt><dd>%s</dd>",
		    order_state_label(state), !strcmp(o.level, "committee") ? "党委派单" : "支部", o.escalated ? "（曾向上反馈）" : "",
		    *o.assignee_name ? o.assignee_name : "—", due);
	if (*o.result)
		html_printf(&r->out, "<dt>办理结果</dt><dd>%s</dd>", o.result);
	if (*o.close_reason)
		html_printf(&r->out, "<dt>办结原因</dt><dd>%s %s</dd>", order_close_label(o.close_reason), o.close_note);
	decision_kv(r, &o);
	if (o.rating)
		html_printf(&r->out, "<dt>群众评价</dt><dd>%d 星</dd>", o.rating);
	buf_puts(&r->out, "</dl></section>");

	char url[48];
	snprintf(url, sizeof url, "/orders/%lld/act", (long long)id);
	bool any = false;
	static const struct {
		const char *action, *label, *fields;
	} acts[] = {
		{"accept", "接单", "none"},           {"claim", "认领心愿", "none"},       {"assign", "派单", "assign"},
		{"start", "开始办理", "none"},        {"deliver", "送单（办结）", "note"}, {"escalate", "向上反馈", "note"},
		{"dispatch", "党委派单", "dispatch"}, {"remind", "催办", "note"},          {"close", "办结（无法解决等）", "close"},
		{"reject", "不予受理", "reject"},
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
				size_t nb;
				struct org *b = orgs_under(r->db, actor_scope(&r->actor), false, &nb);
				for (size_t k = 0; k < nb; k++)
					if (!strcmp(b[k].type, "branch"))
						html_printf(&r->out, "<option value=\"%s\">%s</option>", b[k].code, b[k].name);
				free(b);
				buf_puts(&r->out, "</select></div>");
			}
			select_users(r,
				     !strcmp(acts[i].fields, "dispatch") ? actor_scope(&r->actor) : (r->actor.role == R_GRID ? r->actor.org_path : path),
				     "assignee", "办理人（党员、网格员，头雁）");
			const char *err = form_error_for(r, "assignee");
			if (!err)
				err = form_error_for(r, "to_org");
			if (err)
				html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
			const char *confirm = action_confirm(acts[i].action);
			buf_puts(&r->out, "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\"");
			if (confirm)
				html_printf(&r->out, " data-confirm=\"%s\"", confirm);
			html_printf(&r->out, ">%s</button></div></form>", acts[i].label);
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

static void orders_page_act(req *r)
{
	int64_t id = req_param_id(r, "id");
	if (!act_from_form(r, id, NULL, orders_page_detail))
		return;
	const char *action = req_param(r, "action");
	flash_set(r, "ok", order_action_label(action));
	char loc[48];
	snprintf(loc, sizeof loc, "/orders/%lld", (long long)id);
	req_redirect(r, loc);
}

/* ---- the micro-wish wall (微心愿): public, a member claims; the claim is the assignment ---- */

struct wall {
	req *r;
	bool member;
	int n;
};

static void wish_card(void *ctx, const struct order *o)
{
	struct wall *w = ctx;
	req *r = w->r;
	char t[20];
	fmt_time(o->created_at, t);
	html_printf(&r->out, "<div class=\"card wish\"><p>%s</p><p class=\"muted\">%s · %.10s</p>", o->content, o->org_name, t);
	if (w->member)
		html_printf(&r->out,
			    "<form method=\"post\" action=\"/wishes/%lld/claim\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<button class=\"btn btn-primary btn-small\" type=\"submit\" data-confirm=\"%s\">我来认领</button></form>",
			    (long long)o->id, layout_csrf(r), action_confirm("claim"));
	buf_puts(&r->out, "</div>");
	w->n++;
}

static void wishes_page(req *r)
{
	page_begin(r, "微心愿墙");
	buf_puts(&r->out, "<p class=\"lead\">群众的小心愿，党员来认领。心愿实现后，许愿人可在查询页确认评价。</p>"
			  "<div class=\"actions\"><a class=\"btn btn-primary\" href=\"/order?kind=wish\">我要许愿</a></div>");
	struct wall w = {r, r->logged_in && r->actor.role == R_MEMBER, 0};
	buf_puts(&r->out, "<div class=\"tiles wishes\">");
	order_each_open_wish(r->db, &r->actor, wish_card, &w);
	buf_puts(&r->out, "</div>");
	if (!w.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>目前的心愿都已有人认领，谢谢大家！</p></div>");
	else if (!w.member)
		buf_puts(&r->out, "<p class=\"muted\">党员请<a href=\"/login?next=%2Fwishes\">登录</a>后认领。</p>");
	page_end(r);
}

static void wishes_claim(req *r)
{
	struct order_act a = {0};
	struct field_errors e = {0};
	/* a member may claim the wishes of its whole town, not only its branch's (order_visible) */
	enum dj_result res = order_transition(r->db, &r->actor, req_param_id(r, "id"), NULL, "claim", &a, now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res == DJ_INVALID ? DJ_CONFLICT : res, &e);
		return;
	}
	flash_set(r, "ok", "认领成功，请尽快联系许愿人帮助实现心愿");
	req_redirect(r, "/wishes");
}

static void wish_json(void *ctx, const struct order *o)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", o->id);
	jw_kstr(w, "content", o->content);
	jw_kstr(w, "org_name", o->org_name);
	jw_kint(w, "created_at", o->created_at);
	jw_end(w);
}

static void wishes_api(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "wishes");
	jw_arr(&w);
	order_each_open_wish(r->db, &r->actor, wish_json, &w);
	jw_aend(&w);
	jw_end(&w);
}

/* ---- the statistics page (issue 4 §9): for an org subtree and a period, the
 * figures as a table and an ECharts chart that reads its numbers from data
 * attributes (no inline script), from the same order_stats_compute as the API. */

static void stats_page_orders(req *r)
{
	char from[11], to[11], now_s[11];
	today(now_s);
	const char *qf = req_query(r, "from"), *qt = req_query(r, "to"), *code = req_query(r, "org");
	/* default: this month so far */
	snprintf(from, sizeof from, "%.8s01", now_s);
	snprintf(to, sizeof to, "%s", now_s);
	if (qf && date_valid(qf))
		snprintf(from, sizeof from, "%s", qf);
	else if (qf && *qf)
		form_error(r, "from", "起始日期应为 YYYY-MM-DD");
	if (qt && date_valid(qt))
		snprintf(to, sizeof to, "%s", qt);
	else if (qt && *qt)
		form_error(r, "to", "结束日期应为 YYYY-MM-DD");
	/* perm_org_view: the route already allows only committee, branch and admin */
	struct org_ref o;
	if (!orgs_from_request(r, code, &perm_org_view, &o))
		return;
	const char *prefix = o.path, *oname = o.name, *ocode = o.code;
	int64_t t0 = 0, t1 = 0;
	day_start(from, &t0);
	day_start(to, &t1);
	t1 += 86400;
	if (t1 <= t0) { /* a reversed range is an error, not a page of zeros */
		form_error(r, "to", "结束日期不能早于起始日期");
		snprintf(to, sizeof to, "%s", from);
		day_start(to, &t1);
		t1 += 86400;
	}
	struct order_stats st;
	order_stats_compute(r->db, prefix, t0, t1, now_unix(), &st);

	page_begin(r, "诉求统计");
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/stats/orders\"><input type=\"hidden\" name=\"org\" value=\"%s\">"
		    "<label for=\"f-from\">从</label><input id=\"f-from\" name=\"from\" type=\"date\" value=\"%s\">"
		    "<label for=\"f-to\">到</label><input id=\"f-to\" name=\"to\" type=\"date\" value=\"%s\">"
		    "<button class=\"btn\" type=\"submit\">统计</button></form>",
		    ocode, from, to);
	const char *ferr = form_error_for(r, "from");
	if (!ferr)
		ferr = form_error_for(r, "to");
	if (ferr)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", ferr);
	html_printf(&r->out, "<p class=\"lead\">%s，%s 至 %s：%s。</p>", oname, from, to, st.summary);
	html_printf(
		&r->out,
		"<p class=\"actions\"><a class=\"btn btn-secondary\" href=\"/stats/orders.xlsx?org=%s&amp;from=%s&amp;to=%s\">导出 Excel（按支部、按类型）</a></p>",
		ocode, from, to);
	html_printf(&r->out,
		    "<div class=\"stats\"><div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">需求清单</span></div>"
		    "<div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">支部销单</span></div>"
		    "<div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">向上反馈</span></div>"
		    "<div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">逾期</span></div></div>",
		    (long long)st.collected, (long long)st.resolved_by_branch, (long long)st.escalated, (long long)st.overdue);
	/* the chart: labels and values as data attributes, drawn by assets/stats.js with ECharts */
	html_printf(&r->out,
		    "<section class=\"card\"><div id=\"order-chart\" class=\"chart\" "
		    "data-labels=\"收集,接单,不予受理,支部解决,向上反馈,党委派单,党委解决,撤回,办理中,逾期\" "
		    "data-values=\"%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\"></div></section>",
		    (long long)st.collected, (long long)st.accepted, (long long)st.rejected, (long long)st.resolved_by_branch, (long long)st.escalated,
		    (long long)st.dispatched, (long long)st.resolved_by_committee, (long long)st.withdrawn, (long long)st.open, (long long)st.overdue);
	buf_puts(&r->out,
		 "<section class=\"card\"><div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>指标</th><th>数量</th></tr></thead><tbody>");
	struct {
		const char *label;
		int64_t v;
	} rows[] = {
		{"收集诉求（需求清单）", st.collected},
		{"支部接单", st.accepted},
		{"不予受理", st.rejected},
		{"支部解决并销单", st.resolved_by_branch},
		{"向上反馈", st.escalated},
		{"党委派单", st.dispatched},
		{"党委派单后解决", st.resolved_by_committee},
		{"群众撤回", st.withdrawn},
		{"办理中", st.open},
		{"逾期", st.overdue},
		{"办结：无法解决", st.by_reason[1]},
		{"办结：不属于本级职责", st.by_reason[2]},
		{"办结：重复诉求", st.by_reason[3]},
		{"已评价", st.rated},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		html_printf(&r->out, "<tr><td>%s</td><td>%lld</td></tr>", rows[i].label, (long long)rows[i].v);
	if (st.rated)
		html_printf(&r->out, "<tr><td>平均满意度</td><td>%.2f 星</td></tr>", st.average_satisfaction);
	if (st.closed)
		html_printf(&r->out, "<tr><td>办结用时（中位数）</td><td>%.1f 小时</td></tr>", st.median_hours_to_close);
	buf_puts(&r->out, "</tbody></table></div></section>");
	const struct embedded_asset *e = embedded_asset_find("echarts.min.js"), *js = embedded_asset_find("stats.js");
	html_printf(&r->out, "<script src=\"/static/echarts.min.js?v=%s\" defer></script><script src=\"/static/stats.js?v=%s\" defer></script>",
		    e ? e->etag : "0", js ? js->etag : "0");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

/* ---- the statistics as .xlsx (issue 10 §11): a row per branch beside the
 * total, a row per kind; the dates are required and in order ---- */

struct stats_download {
	req *r;
	int64_t org, t0, t1;
};

static enum dj_result write_stats(const char *path, void *ctx, struct field_errors *e)
{
	struct stats_download *x = ctx;
	return orders_stats_export(x->r->db, &x->r->actor, x->org, x->t0, x->t1, now_unix(), path, e);
}

/* The period of ?from=&to= (both days included): false with the field at fault. */
static bool stats_period(req *r, int64_t *t0, int64_t *t1, struct field_errors *e)
{
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	if (!from || !day_start(from, t0))
		ferr_add(e, "from", "请填写起始日期（YYYY-MM-DD）");
	if (!to || !day_start(to, t1))
		ferr_add(e, "to", "请填写结束日期（YYYY-MM-DD）");
	else
		*t1 += 86400; /* the whole last day */
	if (!e->n && *t1 <= *t0)
		ferr_add(e, "to", "结束日期不能早于起始日期");
	return e->n == 0;
}

static void stats_export_xlsx(req *r)
{
	struct stats_download x = {r, 0, 0, 0};
	struct field_errors e = {0};
	if (!stats_period(r, &x.t0, &x.t1, &e)) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	struct org_ref o;
	if (!(x.org = orgs_from_request(r, req_query(r, "org"), &perm_org_view, &o)))
		return;
	char ascii[96], name[300];
	snprintf(ascii, sizeof ascii, "order-stats-%s.xlsx", o.code);
	snprintf(name, sizeof name, "%s-诉求统计-%s至%s.xlsx", o.name, req_query(r, "from"), req_query(r, "to"));
	req_send_download(r, write_stats, &x, XLSX_TYPE, ascii, name);
}

/* ---- the filtered order list as .xlsx (issue 10 §11) ---- */

struct list_download {
	req *r;
	struct order_filter f;
	bool full;
};

static enum dj_result write_list(const char *path, void *ctx, struct field_errors *e)
{
	struct list_download *x = ctx;
	int rows;
	return orders_list_export(x->r->db, &x->r->actor, &x->f, x->full, now_unix(), path, &rows, e);
}

/* GET /orders.xlsx?<the list's filters>[&full=1] */
static void orders_list_xlsx(req *r)
{
	struct list_download x = {.r = r, .full = qflag(r, "full")};
	struct org_ref ref;
	if (!list_filter(r, &x.f, &ref))
		return;
	char ascii[64], name[96], day[20];
	fmt_time(now_unix(), day);
	day[10] = 0;
	snprintf(ascii, sizeof ascii, "orders-%s.xlsx", day);
	snprintf(name, sizeof name, "诉求清单-%s.xlsx", day);
	req_send_download(r, write_list, &x, XLSX_TYPE, ascii, name);
}

/* ---- the module record (module.h) ---- */

static const route orders_routes[] = {
	{"GET", "/order", order_page_form, R_PUBLIC, 0, 0, "order"},
	{"POST", "/order", order_page_form, R_PUBLIC, 0, 8 * KiB, "order"},
	{"GET", "/track", order_page_track_form, R_PUBLIC, 0, 0, "track"},
	{"GET", "/track/:code", order_page_track, R_PUBLIC, 0, 0, "track"},
	{"POST", "/track/:code/:action", order_page_track_action, R_PUBLIC, 0, 8 * KiB, "track_action"},
	{"GET", "/stats/orders", stats_page_orders, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "stats_orders"},
	{"GET", "/stats/orders.xlsx", stats_export_xlsx, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_WRITE, 0, "stats_orders_export"},
	{"GET", "/orders", orders_page_list, R_STAFF | R_MEMBER | R_GRID, 0, 0, "orders"},
	{"GET", "/orders.xlsx", orders_list_xlsx, R_STAFF | R_MEMBER | R_GRID, RF_WRITE, 0, "orders_export"},
	{"GET", "/orders/:id", orders_page_detail, R_STAFF | R_MEMBER | R_GRID, 0, 0, "order"},
	{"POST", "/orders/:id/reveal", orders_page_reveal, R_STAFF | R_MEMBER | R_GRID, 0, 4 * KiB, "order_reveal"},
	{"POST", "/track/lookup", order_page_track_lookup, R_PUBLIC, RF_OWNTX, 4 * KiB, "track_lookup"},
	{"POST", "/track/codes", order_page_track_codes, R_PUBLIC, 0, 4 * KiB, "track_codes"},
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
	{"GET", "/api/v1/orders/:id", orders_api_get, R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID | R_ADMIN, RF_API | RF_WRITE_REVEAL, 0, "api_order"},
	{"POST", "/api/v1/orders/:id/actions/:action", orders_api_action, R_ANY, RF_API, 8 * KiB, "api_order_action"},
};
static const struct nav_entry orders_nav[] = {
	{"/orders", "诉求办理", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID, 20, NAV_ORDERS},
	{"/stats/orders", "统计", R_ADMIN | R_COMMITTEE | R_BRANCH, 25, NAV_ORDERS},
	{"/order", "我要点单", NAV_PUBLIC, 10, NAV_TOP},
	{"/wishes", "微心愿", NAV_PUBLIC, 20, NAV_TOP},
};
static const struct background_task orders_tasks[] = {
	{"auto_close", orders_tick}, /* 销单 of delivered orders nobody answered (SPEC M2) */
};
static const struct entity_link orders_entities[] = {{"order", "/orders/"}};
static const struct permission *const orders_perms[] = {&perm_order_reveal};
/* what the dashboard counts (figures.h): one row a figure */
static const struct figure orders_figures[] = {
	{"orders.collected", "诉求办理", "需求清单", "项", order_fig_collected, order_href_collected, false},
	{"orders.resolved", "诉求办理", "支部销单", "项", order_fig_resolved, order_href_resolved, false},
	{"orders.escalated", "诉求办理", "向上反馈", "项", order_fig_escalated, order_href_escalated, false},
	{"orders.open", "诉求办理", "办理中", "项", order_fig_open, order_href_open, false},
	{"orders.overdue", "诉求办理", "逾期", "项", order_fig_overdue, order_href_overdue, false},
	{"orders.wishes_fulfilled", "诉求办理", "微心愿实现", "个", order_fig_wishes, order_href_wishes, false},
};
const struct module orders_module = {
	.name = "orders",
	.permissions = orders_perms,
	.permissions_n = COUNT_OF(orders_perms),
	.routes = orders_routes,
	.routes_n = COUNT_OF(orders_routes),
	.nav = orders_nav,
	.nav_n = COUNT_OF(orders_nav),
	.tasks = orders_tasks,
	.tasks_n = COUNT_OF(orders_tasks),
	.entities = orders_entities,
	.entities_n = COUNT_OF(orders_entities),
	.figures = orders_figures,
	.figures_n = COUNT_OF(orders_figures),
};
