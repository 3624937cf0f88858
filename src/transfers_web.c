/* transfers_web — the pages and the JSON API of 组织关系转接 (issue 18 §5,
 * §6), and the module record. Thin: authorise, parse, call transfers.c. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "dues.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "orgs_web.h"
#include "transfers.h"
#include "util.h"
#include "web.h"

struct list_ctx {
	req *r;
	int n;
};

static const char *state_badge(const char *s) { return !strcmp(s, "received") ? " badge-green" : !strcmp(s, "lapsed") ? " badge-red" : " badge-grey"; }

static void transfer_row(void *ctx, const struct transfer *t)
{
	struct list_ctx *c = ctx;
	buf_puts(&c->r->out, !strcmp(t->state, "lapsed") ? "<tr class=\"dues-flagged\">" : "<tr>"); /* markup from literals only */
	html_printf(&c->r->out,
		    "<td data-label=\"介绍信\"><a href=\"/transfers/%lld\">%s</a></td><td data-label=\"党员\">%s</td><td data-label=\"类型\">%s</td>"
		    "<td data-label=\"转出\">%s</td><td data-label=\"转入\">%s</td><td data-label=\"有效期至\">%s</td>"
		    "<td data-label=\"状态\"><span class=\"badge%s\">%s</span></td></tr>",
		    (long long)t->id, t->letter_no, t->person_name, transfer_kind_label(t->kind), t->from_org_name, t->to_org_name, t->valid_until,
		    state_badge(t->state), transfer_state_label(t->state));
	c->n++;
}

struct opt_ctx {
	req *r;
};
static void member_opt(void *ctx, const struct dues_member_row *m)
{
	struct opt_ctx *c = ctx;
	html_printf(&c->r->out, "<option value=\"%lld\">%s（%s）</option>", (long long)m->id, m->name, m->org_name);
}

static void transfers_render(req *r, int status)
{
	page_begin(r, "组织关系转接");
	r->status = status;
	int64_t lapsed = transfers_lapsed_count(r->db, &r->actor);
	if (lapsed)
		html_printf(&r->out, "<p class=\"work-alert\" id=\"lapsed-flag\">有 %lld 份介绍信逾期未接收，已失效，请联系党员重新办理。</p>",
			    (long long)lapsed);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\" id=\"transfers\"><thead><tr><th>介绍信</th><th>党员</th><th>类型</th>"
			  "<th>转出</th><th>转入</th><th>有效期至</th><th>状态</th></tr></thead><tbody>");
	struct list_ctx c = {r, 0};
	transfers_each(r->db, &r->actor, NULL, transfer_row, &c);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!c.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无转接记录</p></div>");
	if (!permission_allows(&perm_transfer_edit, &r->actor)) {
		page_end(r);
		return;
	}
	html_printf(&r->out, "<details class=\"card\"%s><summary>开具介绍信（转出）</summary>", form_has_errors(r) ? " open" : "");
	form_begin(r, "/transfers");
	const char *err = form_error_for(r, "member_id");
	buf_puts(
		&r->out,
		"<div class=\"field\"><label for=\"f-member_id\">党员</label><select id=\"f-member_id\" name=\"member_id\"><option value=\"\">请选择</option>");
	struct opt_ctx oc = {r};
	struct field_errors e = {0};
	char cur[8];
	dues_month_of(now_unix(), cur);
	dues_roster(r->db, &r->actor, actor_scope(&r->actor), cur, member_opt, &oc, &e);
	buf_puts(&r->out, "</select>");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\" id=\"e-member_id\">%s</p>", err);
	buf_puts(&r->out, "</div>");
	static const char *const kinds[] = {"internal", "镇内转接（本镇其他支部）", "outside", "转出镇外（介绍信）", NULL};
	form_select(r, "kind", "类型", kinds, form_value(r, "kind", "internal"));
	form_input(r, "to_org", "转入支部编码（镇内）", "text", form_value(r, "to_org", ""), "如 CJZ-XJC");
	form_input(r, "to_org_name", "接收党组织名称（镇外）", "text", form_value(r, "to_org_name", ""), NULL);
	form_input(r, "valid_until", "有效期至", "date", form_value(r, "valid_until", ""), "不填：自今日起 3 个月");
	form_input(r, "reason", "转接原因", "text", form_value(r, "reason", ""), "如 工作调动、外出务工");
	form_end(r, "开具介绍信");
	buf_puts(&r->out, "</details><details class=\"card\"><summary>登记镇外转入</summary>");
	form_begin(r, "/transfers/incoming");
	form_input(r, "letter_no", "介绍信编号", "text", form_value(r, "letter_no", ""), NULL);
	form_input(r, "person_name", "党员姓名", "text", form_value(r, "person_name", ""), NULL);
	form_input(r, "from_org_name", "转出党组织", "text", form_value(r, "from_org_name", ""), NULL);
	form_input(r, "to_org", "转入支部编码", "text", form_value(r, "to_org", r->actor.role == R_BRANCH ? "" : ""), NULL);
	form_input(r, "issued_on", "开具日期", "date", form_value(r, "issued_on", ""), NULL);
	form_end(r, "登记转入");
	buf_puts(&r->out, "</details>");
	page_end(r);
}

static void transfers_page(req *r) { transfers_render(r, 200); }

static void transfers_issue_post(req *r)
{
	struct transfer_new t = {parse_id(req_form(r, "member_id")), req_form(r, "kind"),        req_form(r, "to_org"),
				 req_form(r, "to_org_name"),         req_form(r, "valid_until"), req_form(r, "reason")};
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = transfer_issue(r->db, &r->actor, &t, &id, &e);
	if (res == DJ_OK) {
		flash_set(r, "ok", "介绍信已开具");
		char to[64];
		snprintf(to, sizeof to, "/transfers/%lld", (long long)id);
		req_redirect(r, to);
		return;
	}
	if (res == DJ_FORBIDDEN || res == DJ_DB_ERROR) {
		req_fail(r, res, &e);
		return;
	}
	r->failed = true;
	if (!e.n || ferr_get(&e, "_form"))
		form_error(r, "member_id", dj_message(res, &e));
	form_errors_add(r, &e);
	transfers_render(r, dj_result_status(res));
}

static void transfers_incoming_post(req *r)
{
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = transfer_incoming(r->db, &r->actor, req_form(r, "letter_no"), req_form(r, "person_name"), req_form(r, "from_org_name"),
					       req_form(r, "to_org"), req_form(r, "issued_on"), &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "已登记转入");
	req_redirect(r, "/transfers");
}

/* The letter (介绍信), styled for print; the receiving side's buttons. */
static void transfer_page(req *r)
{
	struct transfer t;
	struct field_errors e = {0};
	enum dj_result res = transfer_load(r->db, &r->actor, req_param_id(r, "id"), &t, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "组织关系介绍信");
	html_printf(
		&r->out,
		"<div class=\"receipt card letter\" id=\"letter\"><h2>中国共产党党员组织关系介绍信</h2><p class=\"receipt-no\">%s</p>"
		"<p><strong>%s</strong>：</p><p class=\"letter-body\">兹有 %s 同志，系中共%s党员，其组织关系由 %s 转到 %s，请接洽。</p>"
		"<dl class=\"receipt-fields\"><dt>党费交至</dt><dd id=\"dues-paid-to\">%s</dd><dt>开具日期</dt><dd>%s</dd>"
		"<dt>有效期至</dt><dd>%s</dd><dt>转接原因</dt><dd>%s</dd><dt>状态</dt><dd><span class=\"badge%s\" id=\"transfer-state\">%s</span>%s%s</dd></dl>"
		"</div>",
		t.letter_no, t.to_org_name, t.person_name, t.from_org_name, t.from_org_name, t.to_org_name, *t.dues_paid_to ? t.dues_paid_to : "—",
		t.issued_on, t.valid_until, *t.reason ? t.reason : "—", state_badge(t.state), transfer_state_label(t.state), *t.decided_on ? " " : "",
		t.decided_on);
	if (strcmp(t.kind, "incoming")) /* an incoming letter was written by the other side */
		html_printf(&r->out,
			    "<p class=\"no-print\"><a class=\"btn btn-primary\" id=\"letter-pdf\" href=\"/transfers/%lld/letter.pdf\">下载介绍信 PDF</a> ",
			    (long long)t.id);
	else
		buf_puts(&r->out, "<p class=\"no-print\">");
	buf_puts(&r->out, "<button class=\"btn\" type=\"button\" data-print>打印介绍信</button></p>");
	if (!strcmp(t.state, "issued") && permission_allows(&perm_transfer_edit, &r->actor)) {
		char act[80];
		snprintf(act, sizeof act, "/transfers/%lld/receive", (long long)t.id);
		buf_puts(&r->out, "<div class=\"no-print\">");
		form_begin(r, act);
		form_input(r, "note", "备注", "text", "", NULL);
		form_end(r, !strcmp(t.kind, "outside") ? "登记回执（已接收）" : "确认接收");
		snprintf(act, sizeof act, "/transfers/%lld/return", (long long)t.id);
		form_begin(r, act);
		form_end(r, "退回");
		buf_puts(&r->out, "</div>");
	}
	page_end(r);
}

/* The letter with its stub as a PDF (pdf.h), for the page and the API alike. */
static void letter_pdf(req *r)
{
	buf pdf = {0};
	char no[64] = "";
	struct field_errors e = {0};
	enum dj_result res = transfer_letter_pdf(r->db, &r->actor, req_param_id(r, "id"), &pdf, no, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else {
		char ascii[64], name[160];
		snprintf(ascii, sizeof ascii, "transfer-letter-%lld.pdf", (long long)req_param_id(r, "id"));
		snprintf(name, sizeof name, "组织关系介绍信-%s.pdf", no);
		req_send_attachment(r, &pdf, "application/pdf", ascii, name);
	}
	buf_free(&pdf);
}

static void transfer_act_post(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct field_errors e = {0};
	const char *action = req_param(r, "action");
	enum dj_result res = transfer_act(r->db, &r->actor, id, action, req_form(r, "note"), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", !strcmp(action, "receive") ? "已接收组织关系" : "已退回");
	char to[64];
	snprintf(to, sizeof to, "/transfers/%lld", (long long)id);
	req_redirect(r, to);
}

/* ---- the API ---- */

static void transfer_json(jw *w, const struct transfer *t)
{
	jw_obj(w);
	jw_kint(w, "id", t->id);
	jw_kstr(w, "letter_no", t->letter_no);
	jw_kstr(w, "kind", t->kind);
	jw_kstr(w, "state", t->state);
	if (t->member_id)
		jw_kint(w, "member_id", t->member_id);
	jw_kstr(w, "person_name", t->person_name);
	jw_kstr(w, "from_org", t->from_org_name);
	jw_kstr(w, "to_org", t->to_org_name);
	jw_kstr(w, "issued_on", t->issued_on);
	jw_kstr(w, "valid_until", t->valid_until);
	jw_kstr(w, "dues_paid_to", *t->dues_paid_to ? t->dues_paid_to : NULL);
	jw_kstr(w, "decided_on", *t->decided_on ? t->decided_on : NULL);
	jw_end(w);
}

static void transfer_item(void *ctx, const struct transfer *t) { transfer_json(ctx, t); }

static void api_list(req *r)
{
	const char *state = req_query(r, "state");
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_arr(&w);
	transfers_each(r->db, &r->actor, state && *state ? state : NULL, transfer_item, &w);
	jw_aend(&w);
}

static void answer(req *r, int status, int64_t id)
{
	struct transfer t;
	struct field_errors e = {0};
	enum dj_result res = transfer_load(r->db, &r->actor, id, &t, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	transfer_json(&w, &t);
}

static void api_get(req *r) { answer(r, 200, req_param_id(r, "id")); }

static const struct json_field issue_fields[] = {
	{"member_id", "党员", true, 'I', NULL},        {"kind", "类型", true, 's', NULL},
	{"to_org", "转入支部", false, 's', NULL},      {"to_org_name", "接收党组织", false, 's', NULL},
	{"valid_until", "有效期至", false, 's', NULL}, {"reason", "转接原因", false, 's', NULL},
};
static void api_issue(req *r)
{
	json_int_t mid = 0;
	struct transfer_new t = {0};
	if (!req_json_unpack(r, issue_fields, false, "{s:I, s:s, s?s, s?s, s?s, s?s}", "member_id", &mid, "kind", &t.kind, "to_org", &t.to_org_code,
			     "to_org_name", &t.to_org_name, "valid_until", &t.valid_until, "reason", &t.reason))
		return;
	t.member_id = (int64_t)mid;
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = transfer_issue(r->db, &r->actor, &t, &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	answer(r, 201, id);
}

static const struct json_field act_fields[] = {{"note", "备注", false, 's', NULL}};
static void api_act(req *r)
{
	const char *note = NULL;
	if (!req_json_unpack(r, act_fields, true, "{s?s}", "note", &note))
		return;
	int64_t id = req_param_id(r, "id");
	struct field_errors e = {0};
	enum dj_result res = transfer_act(r->db, &r->actor, id, req_param(r, "action"), note, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	answer(r, 200, id);
}

static const struct json_field incoming_fields[] = {
	{"letter_no", "介绍信编号", true, 's', NULL}, {"person_name", "党员姓名", true, 's', NULL}, {"from_org_name", "转出党组织", true, 's', NULL},
	{"to_org", "转入支部", true, 's', NULL},      {"issued_on", "开具日期", true, 's', NULL},
};
static void api_incoming(req *r)
{
	const char *no = NULL, *name = NULL, *from = NULL, *to = NULL, *on = NULL;
	if (!req_json_unpack(r, incoming_fields, false, "{s:s, s:s, s:s, s:s, s:s}", "letter_no", &no, "person_name", &name, "from_org_name", &from,
			     "to_org", &to, "issued_on", &on))
		return;
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = transfer_incoming(r->db, &r->actor, no, name, from, to, on, &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	answer(r, 201, id);
}

/* The state table as the code reads it. */
static void api_steps(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_arr(&w);
	for (size_t i = 0; i < transfer_steps_n; i++) {
		jw_obj(&w);
		jw_kstr(&w, "from", transfer_steps[i].from);
		jw_kstr(&w, "action", transfer_steps[i].action);
		jw_kstr(&w, "to", transfer_steps[i].to);
		jw_end(&w);
	}
	jw_aend(&w);
}

/* ---- the module record (module.h) ---- */

static const route transfers_routes[] = {
	{"GET", "/transfers", transfers_page, R_STAFF, 0, 0, "transfers"},
	{"POST", "/transfers", transfers_issue_post, R_STAFF, 0, 8 * KiB, "transfer_issue"},
	{"POST", "/transfers/incoming", transfers_incoming_post, R_STAFF, 0, 8 * KiB, "transfer_incoming"},
	{"GET", "/transfers/:id", transfer_page, R_STAFF, 0, 0, "transfer"},
	{"GET", "/transfers/:id/letter.pdf", letter_pdf, R_STAFF, 0, 0, "transfer_letter_pdf"},
	{"POST", "/transfers/:id/:action", transfer_act_post, R_STAFF, 0, 4 * KiB, "transfer_act"},
	{"GET", "/api/v1/transfers", api_list, R_STAFF, RF_API, 0, "api_transfers"},
	{"POST", "/api/v1/transfers", api_issue, R_STAFF, RF_API, 8 * KiB, "api_transfers"},
	{"GET", "/api/v1/transfers/transitions", api_steps, R_PUBLIC, RF_API | RF_NODB, 0, "api_transfer_transitions"},
	{"POST", "/api/v1/transfers/incoming", api_incoming, R_STAFF, RF_API, 8 * KiB, "api_transfer_incoming"},
	{"GET", "/api/v1/transfers/:id", api_get, R_STAFF, RF_API, 0, "api_transfer"},
	{"GET", "/api/v1/transfers/:id/letter.pdf", letter_pdf, R_STAFF, RF_API, 0, "api_transfer_letter_pdf"},
	{"POST", "/api/v1/transfers/:id/actions/:action", api_act, R_STAFF, RF_API, 4 * KiB, "api_transfer_action"},
};
static const struct nav_entry transfers_nav[] = {
	{"/transfers", "组织关系转接", R_ADMIN | R_COMMITTEE | R_BRANCH, 42, NAV_PARTY},
};
static const struct background_task transfers_tasks[] = {
	{"transfers_lapse", transfers_lapse}, /* letters not received within their validity (SPEC M12) */
};
static const struct entity_link transfers_entities[] = {{"transfer", "/transfers/"}};
static const struct permission *const transfers_perms[] = {&perm_transfer_view, &perm_transfer_edit};
const struct module transfers_module = {
	.name = "transfers",
	.routes = transfers_routes,
	.routes_n = COUNT_OF(transfers_routes),
	.nav = transfers_nav,
	.nav_n = COUNT_OF(transfers_nav),
	.tasks = transfers_tasks,
	.tasks_n = COUNT_OF(transfers_tasks),
	.permissions = transfers_perms,
	.permissions_n = COUNT_OF(transfers_perms),
	.entities = transfers_entities,
	.entities_n = COUNT_OF(transfers_entities),
	.figures = transfers_figures,
	.figures_n = TRANSFERS_FIGURES_N,
};
