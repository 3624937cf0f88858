/* checkin_web — the pages of QR check-in (checkin.h): the organiser's screen
 * showing the code of the minute, and the page a member's phone opens by
 * scanning it. The mechanisms that take check-ins (volunteer activities,
 * meetings) name their kind in their module record (module.h). */
#include <stdio.h>
#include <string.h>

#include "checkin.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "qr.h"
#include "util.h"
#include "web.h"

/* The kind a module registered under this path segment, or NULL. */
static const struct checkin_kind *kind_find(const char *kind)
{
	for (size_t i = 0; kind && i < modules_count; i++)
		for (size_t j = 0; j < modules[i]->checkin_n; j++)
			if (!strcmp(modules[i]->checkin[j].kind, kind))
				return &modules[i]->checkin[j];
	return NULL;
}

/* The kind and record of the path; answers 404 and returns NULL when there is none. */
static const struct checkin_kind *path_kind(req *r, int64_t *id)
{
	const struct checkin_kind *k = kind_find(req_param(r, "kind"));
	*id = req_param_id(r, "id");
	if (!k || !*id) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "%s", "签到页面不存在"), &e);
		return NULL;
	}
	return k;
}

/* What the QR code carries: the whole address, so a phone's camera opens it. */
static void scan_url(req *r, const char *kind, int64_t id, const char *code, char *out, size_t n)
{
	char base[160];
	qr_site_base(r, base, sizeof base);
	snprintf(out, n, "%s/c/%s/%lld/%s", base, kind, (long long)id, code);
}

/* The organiser's checks before showing a code: the record, its window, the right to show it. */
static bool may_show(req *r, const struct checkin_kind *k, int64_t id, char *title, size_t title_n, int64_t *opens, int64_t *closes)
{
	struct field_errors e = {0};
	enum dj_result res = k->window(r->db, &r->actor, id, title, title_n, opens, closes);
	if (res == DJ_OK)
		res = k->may_show(r->db, &r->actor, id);
	if (res != DJ_OK) {
		if (res == DJ_NOT_FOUND)
			dj_fail(&e, res, "%s不存在", k->label);
		else if (res == DJ_FORBIDDEN)
			dj_fail(&e, res, "只有组织者可以显示%s的签到码", k->label);
		req_fail(r, res, &e);
		return false;
	}
	return true;
}

static void screen(req *r)
{
	int64_t id, opens, closes, now = now_unix(), expires = 0;
	char title[200], code[CHECKIN_CODE_LEN + 1], url[320];
	const struct checkin_kind *k = path_kind(r, &id);
	if (!k || !may_show(r, k, id, title, sizeof title, &opens, &closes))
		return;
	page_begin(r, "扫码签到");
	html_printf(&r->out, "<section class=\"checkin-screen\"><h2>%s</h2><p class=\"muted\">%s · 请用手机扫描二维码签到（已登录的党员账号）</p>", title,
		    k->label);
	char o[20], c[20];
	fmt_time(opens, o);
	fmt_time(closes, c);
	if (now < opens || now >= closes) {
		html_printf(&r->out, "<div class=\"empty\"><p>签到时间为 %s 至 %s，现在不在签到时间内。</p></div></section>", o, c);
		page_end(r);
		return;
	}
	if (!checkin_code(r->db, k->kind, id, now, code, &expires)) {
		buf_puts(&r->out, "<div class=\"empty\"><p>签到暂不可用，请稍后再试。</p></div></section>");
		page_end(r);
		return;
	}
	scan_url(r, k->kind, id, code, url, sizeof url);
	/* app.js fetches the next minute's code from the data-src address and
	 * swaps it in; without script the page says to reload */
	html_printf(&r->out, "<div class=\"checkin-qr\" data-checkin-src=\"/checkin/%s/%lld/code\" data-expires=\"%lld\">", k->kind, (long long)id,
		    (long long)expires);
	qr_svg(&r->out, url, "签到二维码");
	html_printf(&r->out,
		    "<p class=\"checkin-code\">签到码 <strong>%.4s %.4s</strong></p></div>"
		    "<p class=\"muted\">二维码每分钟更换，拍照转发的旧码无效。签到时间 %s 至 %s。</p>"
		    "<noscript><p class=\"muted\">请每分钟刷新本页。</p></noscript></section>",
		    code, code + 4, o, c);
	page_end(r);
}

/* GET /checkin/:kind/:id/code — the code of the minute for the screen's script. */
static void screen_code(req *r)
{
	int64_t id, opens, closes, now = now_unix(), expires = 0;
	char title[200], code[CHECKIN_CODE_LEN + 1], url[320];
	const struct checkin_kind *k = path_kind(r, &id);
	if (!k || !may_show(r, k, id, title, sizeof title, &opens, &closes))
		return;
	struct field_errors e = {0};
	if (now < opens || now >= closes) {
		req_fail(r, dj_fail(&e, DJ_CONFLICT, "%s", "现在不在签到时间内"), &e);
		return;
	}
	if (!checkin_code(r->db, k->kind, id, now, code, &expires)) {
		req_fail(r, dj_fail(&e, DJ_DB_ERROR, "%s", "签到暂不可用，请稍后再试"), &e);
		return;
	}
	scan_url(r, k->kind, id, code, url, sizeof url);
	buf svg = {0};
	qr_svg(&svg, url, "签到二维码");
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kstr(&w, "code", code);
	jw_kint(&w, "expires", expires);
	jw_kstr(&w, "url", url);
	jw_kstr(&w, "svg", buf_str(&svg));
	jw_end(&w);
	buf_free(&svg);
}

/* GET /c/:kind/:id/:code — what the phone opens: the record and one button
 * (a scan writes nothing until the member confirms: a link preview or a
 * prefetch must not check anyone in). */
static void scan_page(req *r)
{
	int64_t id, opens, closes, now = now_unix();
	const struct checkin_kind *k = path_kind(r, &id);
	if (!k)
		return;
	char title[200];
	struct field_errors e = {0};
	enum dj_result res = k->window(r->db, &r->actor, id, title, sizeof title, &opens, &closes);
	if (res == DJ_NOT_FOUND)
		dj_fail(&e, res, "%s不存在", k->label);
	else if (res == DJ_OK && now < opens)
		res = dj_fail(&e, DJ_CONFLICT, "%s还没有开始签到", k->label);
	else if (res == DJ_OK && now >= closes)
		res = dj_fail(&e, DJ_CONFLICT, "%s的签到已经结束", k->label);
	else if (res == DJ_OK)
		res = checkin_verify(r->db, k->kind, id, req_param(r, "code"), now, &e);
	if (res != DJ_OK) {
		if (res == DJ_INVALID)
			dj_fail(&e, DJ_INVALID, "%s", ferr_get(&e, "code") ? ferr_get(&e, "code") : "签到码不正确");
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "扫码签到");
	html_printf(&r->out, "<section class=\"checkin-scan\"><h2>%s</h2><p class=\"muted\">%s · %s</p>", title, k->label, r->actor.label);
	char action[160];
	snprintf(action, sizeof action, "/c/%s/%lld/%s", k->kind, (long long)id, req_param(r, "code"));
	form_begin(r, action);
	form_end(r, "确认签到");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void scan_post(req *r)
{
	int64_t id;
	const struct checkin_kind *k = path_kind(r, &id);
	if (!k)
		return;
	char done[200] = "";
	struct field_errors e = {0};
	enum dj_result res = checkin_scan(r->db, &r->actor, k, id, req_param(r, "code"), now_unix(), done, sizeof done, &e);
	if (res != DJ_OK) {
		if (res == DJ_INVALID && ferr_get(&e, "code"))
			dj_fail(&e, DJ_INVALID, "%s", ferr_get(&e, "code"));
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, "签到成功");
	html_printf(&r->out, "<section class=\"checkin-done\"><p class=\"checkin-ok\">✓ %s</p><p><a class=\"btn\" href=\"/\">返回工作台</a></p></section>",
		    done);
	page_end(r);
}

/* ---- the module record (module.h) ---- */

static const route checkin_routes[] = {
	{"GET", "/checkin/:kind/:id", screen, R_ANY, 0, 0, "checkin_screen"},
	{"GET", "/checkin/:kind/:id/code", screen_code, R_ANY, 0, 0, "checkin_code"},
	{"GET", "/c/:kind/:id/:code", scan_page, R_ANY, 0, 0, "checkin_scan_page"},
	{"POST", "/c/:kind/:id/:code", scan_post, R_ANY, 0, 4 * KiB, "checkin_scan"},
};
const struct module checkin_module = {
	.name = "checkin",
	.routes = checkin_routes,
	.routes_n = COUNT_OF(checkin_routes),
};
