/* exemplars_pages — the pages of role-model selection (issue 15): the
 * resident's nomination form, public notice with its objection form, gallery
 * (榜样风采) and certificate check; the committee's campaign page (accept,
 * rank, shortlist, consultation answers with the veto reasons, objections,
 * award, certificates); the reviewers' page (scores, 征询意见); lecture tours
 * and care records. The module record is at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "exemplars.h"
#include "exemplars_api.h"
#include "layout.h"
#include "module.h"
#include "qr.h"
#include "util.h"
#include "web.h"

static void badge_state(req *r, const char *state)
{
	const char *cls = !strcmp(state, "awarded") || !strcmp(state, "consulted") || !strcmp(state, "on_notice")       ? "badge badge-green"
			  : !strcmp(state, "vetoed") || !strcmp(state, "objection_upheld") || !strcmp(state, "revoked") ? "badge badge-red"
															: "badge";
	html_printf(&r->out, "<span class=\"%s\">%s</span>", cls, exemplar_state_label(state));
}

/* A candidate's photo, to whoever may see the candidate (exemplar_photo_load says who). */
static void photo_page(req *r)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char mime[16];
	if (!exemplar_photo_load(r->db, &r->actor, req_param_id(r, "id"), &data, &len, mime)) {
		req_error(r, 404, "not_found", "没有这张照片");
		return;
	}
	buf_append(&r->out, data, len);
	free(data);
	r->content_type = !strcmp(mime, "image/png") ? "image/png" : "image/jpeg";
	req_set_header(r, "Cache-Control", "private, max-age=300");
}

static void photo_img(req *r, const struct exemplar_candidate *c)
{
	if (c->photo)
		html_printf(&r->out, "<img class=\"ex-photo\" src=\"/exemplars/candidates/%lld/photo\" alt=\"%s的照片\" loading=\"lazy\">",
			    (long long)c->id, c->name);
}

/* An evidence file, to the committee covering its campaign alone: images
 * shown, a PDF downloaded. */
static void evidence_page(req *r)
{
	struct exemplar_evidence v;
	unsigned char *data = NULL;
	size_t len = 0;
	if (!exemplar_evidence_load(r->db, &r->actor, req_param_id(r, "id"), &v, &data, &len)) {
		req_error(r, 404, "not_found", "没有这份佐证材料");
		return;
	}
	buf_append(&r->out, data, len);
	free(data);
	r->content_type = !strcmp(v.mime, "image/png") ? "image/png" : !strcmp(v.mime, "image/jpeg") ? "image/jpeg" : "application/pdf";
	buf cd = {0};
	buf_printf(&cd, "%s; filename=\"evidence-%lld%s\"; filename*=UTF-8''", strcmp(v.mime, "application/pdf") ? "inline" : "attachment",
		   (long long)v.id,
		   !strcmp(v.mime, "image/png")    ? ".png"
		   : !strcmp(v.mime, "image/jpeg") ? ".jpg"
						   : ".pdf");
	url_encode(&cd, v.name);
	req_set_header(r, "Content-Disposition", buf_str(&cd));
	buf_free(&cd);
	req_set_header(r, "Cache-Control", "private, no-store");
}

/* The links to the evidence files of an answer or objection (the committee's pages). */
static void evidence_link(void *ctx, const struct exemplar_evidence *v)
{
	req *r = ctx;
	html_printf(&r->out, " <a class=\"ex-file\" href=\"/exemplars/evidence/%lld\" target=\"_blank\" rel=\"noopener\">%s</a>", (long long)v->id,
		    v->name);
}
static void evidence_links(req *r, const char *kind, int64_t owner) { exemplar_evidence_each(r->db, kind, owner, evidence_link, r); }

/* The file input of evidence, and the uploaded files of the form. */
static void evidence_input(req *r, const char *id)
{
	const char *err = form_error_for(r, "files");
	html_printf(&r->out,
		    "<div class=\"field%s\"><label for=\"%s\">佐证文件（选填）</label><input id=\"%s\" name=\"files\" type=\"file\" multiple "
		    "accept=\"image/jpeg,image/png,application/pdf\">",
		    err ? " has-error" : "", id, id);
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	html_printf(&r->out, "<p class=\"hint\">JPEG、PNG 或 PDF，最多 %d 个，每个不超过 %u MB，仅镇党委可查看</p></div>", EXEMPLAR_EVIDENCE_FILES,
		    EXEMPLAR_EVIDENCE_MAX >> 20);
}
static int evidence_files(req *r, struct exemplar_file *f, int max)
{
	int n = 0;
	for (size_t i = 0; i < r->form.n; i++) {
		const kv *v = &r->form.v[i];
		if (strcmp(v->key, "files") || !v->filename || !*v->filename || !v->len) /* an empty file input still sends a part */
			continue;
		if (n < max)
			f[n] = (struct exemplar_file){v->filename, (const unsigned char *)v->val, v->len};
		n++; /* counted beyond max: the domain names too many */
	}
	return n;
}

/* Steps of the campaign, the current one marked. */
static void stage_bar(req *r, const char *stage)
{
	buf_puts(&r->out, "<ol class=\"ex-stages\">");
	bool past = true;
	for (int i = 0; i < exemplar_stages_count; i++) {
		bool cur = !strcmp(exemplar_stages[i].stage, stage);
		if (cur)
			past = false;
		html_printf(&r->out, "<li class=\"%s\">%s</li>", cur ? "cur" : past ? "done" : "", exemplar_stages[i].label);
	}
	buf_puts(&r->out, "</ol>");
}

/* After a console form: the domain's answer as a flash and a redirect back;
 * a refusal rolls back whatever the step had begun. */
static void done(req *r, enum dj_result res, const struct field_errors *e, const char *ok, const char *back)
{
	if (res == DJ_DB_ERROR) {
		req_fail(r, res, e);
		return;
	}
	if (res != DJ_OK) {
		r->failed = true;
		flash_set(r, "error", dj_message(res, e));
	} else
		flash_set(r, "ok", ok);
	req_redirect(r, back);
}

static void textarea(req *r, const char *name, const char *label, int rows, const char *hint)
{
	const char *err = form_error_for(r, name);
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label><textarea id=\"f-%s\" name=\"%s\" rows=\"%d\">%s</textarea>",
		    err ? " has-error" : "", name, label, name, name, rows, form_value(r, name, ""));
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	if (hint)
		html_printf(&r->out, "<p class=\"hint\">%s</p>", hint);
	buf_puts(&r->out, "</div>");
}

/* ---- the public side ---- */

struct list_ctx {
	req *r;
	int n;
};

static void home_card(void *ctx, const struct exemplar_campaign *c)
{
	struct list_ctx *x = ctx;
	req *r = x->r;
	x->n++;
	html_printf(&r->out, "<section class=\"card\"><h2 class=\"card-title\">%s</h2><p>%s · %lld 年 · 名额 %lld 名 <span class=\"badge\">%s</span></p>",
		    c->title, c->category_label, (long long)c->year, (long long)c->quota, exemplar_stage_label(c->stage));
	if (!strcmp(c->stage, "nomination"))
		html_printf(&r->out, "<p class=\"muted\">推荐截止：%s</p><a class=\"btn btn-primary\" href=\"/exemplars/%lld/nominate\">我要推荐</a> ",
			    c->nominate_until, (long long)c->id);
	if (!strcmp(c->stage, "notice"))
		buf_puts(&r->out, "<a class=\"btn btn-primary\" href=\"/exemplars/notice\">查看公示</a> ");
	if (!strcmp(c->stage, "closed"))
		html_printf(&r->out, "<a class=\"btn\" href=\"/exemplars/gallery?category=%s&amp;year=%lld\">榜样风采</a> ", c->category,
			    (long long)c->year);
	if (permission_allows(&perm_exemplar_manage, &r->actor))
		html_printf(&r->out, "<a class=\"btn\" href=\"/exemplars/campaigns/%lld\">管理</a>", (long long)c->id);
	buf_puts(&r->out, "</section>");
}

static void home_page(req *r)
{
	page_begin(r, "榜样评选");
	buf_puts(
		&r->out,
		"<p class=\"lead\">民主推荐、联合评审、社会监督：身边的好党员、好干部、好家庭由大家推、大家评、大家看。</p>"
		"<nav class=\"ex-links\"><a class=\"btn\" href=\"/exemplars/notice\">评选公示</a><a class=\"btn\" href=\"/exemplars/gallery\">榜样风采</a>"
		"<a class=\"btn\" href=\"/verify\">证书查验</a>");
	if (r->actor.role & (R_STAFF | R_REVIEWER))
		buf_puts(&r->out, "<a class=\"btn\" href=\"/exemplars/review\">评审与征询</a><a class=\"btn\" href=\"/exemplars/tours\">宣讲与关爱</a>");
	buf_puts(&r->out, "</nav>");
	if (permission_allows(&perm_exemplar_manage, &r->actor))
		buf_puts(&r->out, "<p><a class=\"btn btn-primary\" href=\"/exemplars/new\">发起评选活动</a> <a class=\"btn\" "
				  "href=\"/exemplars/categories\">评选类别</a></p>");
	struct list_ctx x = {r, 0};
	exemplar_campaign_each(r->db, home_card, &x);
	if (!x.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无评选活动</p></div>");
	page_end(r);
}

static void nominate_form(req *r, const struct exemplar_campaign *c)
{
	char title[260];
	snprintf(title, sizeof title, "推荐：%s", c->title);
	page_begin(r, title);
	html_printf(&r->out, "<p class=\"lead\">%s · 名额 %lld 名 · 推荐截止 %s。请如实填写被推荐%s的主要事迹。</p><section class=\"card\">",
		    c->category_label, (long long)c->quota, c->nominate_until, c->subject[0] == 'o' ? "组织" : "人");
	/* form_begin's form, sent as multipart for the photo */
	html_printf(&r->out,
		    "<form class=\"form\" method=\"post\" action=\"/exemplars/%lld/nominate\" enctype=\"multipart/form-data\" novalidate>"
		    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">",
		    (long long)c->id, layout_csrf(r));
	if (form_error_for(r, "_form"))
		html_printf(&r->out, "<div class=\"form-error\" role=\"alert\">%s</div>", form_error_for(r, "_form"));
	char key[40];
	const char *k = req_form(r, "_key");
	if (k && strlen(k) >= 8 && strlen(k) < sizeof key)
		snprintf(key, sizeof key, "%s", k);
	else
		random_token(key, sizeof key, 16);
	html_printf(&r->out, "<input type=\"hidden\" name=\"_key\" value=\"%s\">", key);
	form_input(r, "name", c->subject[0] == 'o' ? "被推荐组织" : "被推荐人姓名", "text", form_value(r, "name", ""), NULL);
	form_input(r, "unit", "所在村（社区）或单位", "text", form_value(r, "unit", ""), NULL);
	textarea(r, "deeds", "主要事迹", 6, "10到2000字：做了什么、带来了什么变化");
	const char *perr = form_error_for(r, "photo");
	html_printf(&r->out,
		    "<div class=\"field%s\"><label for=\"f-photo\">照片（选填）</label><input id=\"f-photo\" name=\"photo\" type=\"file\" "
		    "accept=\"image/jpeg,image/png\">",
		    perr ? " has-error" : "");
	if (perr)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", perr);
	buf_puts(&r->out, "<p class=\"hint\">JPEG 或 PNG，不超过 2 MB</p></div>");
	if (!r->logged_in) {
		form_input(r, "nominator_name", "推荐人姓名", "text", form_value(r, "nominator_name", ""), NULL);
		form_input(r, "nominator_phone", "推荐人手机号", "tel", form_value(r, "nominator_phone", ""), "仅用于核实，不会公开");
	} else
		html_printf(&r->out, "<p class=\"muted\">推荐人：%s</p>", r->actor.label);
	form_end(r, "提交推荐");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void nominate_page(req *r)
{
	struct exemplar_campaign c;
	if (!exemplar_campaign_load(r->db, req_param_id(r, "id"), &c)) {
		req_error(r, 404, "not_found", "评选活动不存在");
		return;
	}
	if (!req_is_post(r)) {
		nominate_form(r, &c);
		return;
	}
	struct exemplar_nomination n;
	memset(&n, 0, sizeof n);
	struct {
		const char *field;
		char *dst;
		size_t n;
	} f[] = {
		{"name", n.name, sizeof n.name},
		{"unit", n.unit, sizeof n.unit},
		{"deeds", n.deeds, sizeof n.deeds},
		{"nominator_name", n.nominator_name, sizeof n.nominator_name},
		{"nominator_phone", n.nominator_phone, sizeof n.nominator_phone},
		{"_key", n.idempotency_key, sizeof n.idempotency_key},
	};
	struct field_errors e = {0};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		const char *v = req_form(r, f[i].field);
		if (v && strlen(v) >= f[i].n)
			ferr_add(&e, f[i].field, "内容过长");
		else
			snprintf(f[i].dst, f[i].n, "%s", v ? v : "");
	}
	if (r->logged_in)
		n.idempotency_key[0] = 0;
	const kv *photo = req_form_kv(r, "photo");
	if (photo && photo->filename && *photo->filename && photo->len) {
		n.photo = (const unsigned char *)photo->val;
		n.photo_len = photo->len;
	}
	enum dj_result res = DJ_INVALID;
	int64_t id = 0, now = now_unix();
	bool repeated = false;
	if (!e.n) {
		if (!r->logged_in && !exemplar_public_allowed(r->db, "nominate", r->ip, n.idempotency_key, now)) {
			req_error(r, 429, "rate_limited", "提交过于频繁，请一小时后再试");
			return;
		}
		res = exemplar_nominate(r->db, &r->actor, c.id, &n, now, &id, &repeated, &e);
	}
	if (res == DJ_INVALID) {
		form_errors_add(r, &e);
		nominate_form(r, &c);
		r->status = 422;
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "推荐已提交，感谢您的推荐！镇党委将及时受理。");
	req_redirect(r, "/exemplars");
}

struct notice_ctx {
	req *r;
	int64_t campaign;
	int n;
};

static void notice_card(void *ctx, const struct exemplar_candidate *c)
{
	struct notice_ctx *x = ctx;
	req *r = x->r;
	if (c->campaign_id != x->campaign)
		return;
	x->n++;
	html_printf(&r->out, "<article class=\"card ex-person\"><h3 class=\"card-title\">%s</h3>", c->name);
	photo_img(r, c);
	html_printf(&r->out,
		    "<p class=\"muted\">%s</p><p>%s</p><a class=\"btn btn-small\" href=\"/exemplars/notice/%lld/object\">对该人选提出异议</a></article>",
		    c->unit, c->deeds, (long long)c->id);
}

/* One campaign on notice: its heading, then its candidates. */
static void notice_campaign(void *ctx, const struct exemplar_campaign *c)
{
	struct notice_ctx *x = ctx;
	req *r = x->r;
	if (strcmp(c->stage, "notice"))
		return;
	char t1[20], t2[20];
	fmt_time(c->notice_start, t1);
	fmt_time(exemplar_notice_ends(c), t2);
	html_printf(&r->out,
		    "<section class=\"ex-notice\"><h2>%s 拟表彰人选公示</h2><p class=\"muted\">公示期：%.10s 至 %.10s（%lld 天）。"
		    "公示期间，如对公示人选有异议，请实名反映（姓名、手机号），我们将逐一核实并答复。</p>",
		    c->title, t1, t2, (long long)c->notice_days);
	x->campaign = c->id;
	exemplar_notice_each(r->db, notice_card, x);
	buf_puts(&r->out, "</section>");
}

static void notice_page(req *r)
{
	page_begin(r, "评选公示");
	struct notice_ctx x = {r, 0, 0};
	exemplar_campaign_each(r->db, notice_campaign, &x);
	if (!x.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>目前没有正在公示的人选</p></div>");
	page_end(r);
}

static void object_form(req *r, const struct exemplar_candidate *c)
{
	page_begin(r, "提出异议");
	html_printf(&r->out, "<section class=\"card\"><h2 class=\"card-title\">公示人选：%s</h2><p class=\"muted\">%s</p><p>%s</p></section>", c->name,
		    c->unit, c->deeds);
	buf_puts(&r->out, "<section class=\"card\">");
	/* form_begin's form, sent as multipart for the evidence files */
	html_printf(&r->out,
		    "<form class=\"form\" method=\"post\" action=\"/exemplars/notice/%lld/object\" enctype=\"multipart/form-data\" novalidate>"
		    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">",
		    (long long)c->id, layout_csrf(r));
	if (form_error_for(r, "_form"))
		html_printf(&r->out, "<div class=\"form-error\" role=\"alert\">%s</div>", form_error_for(r, "_form"));
	form_input(r, "name", "您的姓名", "text", form_value(r, "name", ""), NULL);
	form_input(r, "phone", "手机号", "tel", form_value(r, "phone", ""), "仅用于核实，不会公开");
	textarea(r, "content", "异议内容", 5, "请写明具体事实");
	form_input(r, "evidence", "佐证材料（选填）", "text", form_value(r, "evidence", ""), "如：知情人、时间地点、材料名称");
	evidence_input(r, "f-files");
	form_end(r, "提交异议");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void object_page(req *r)
{
	struct exemplar_candidate c;
	if (!exemplar_candidate_load(r->db, req_param_id(r, "id"), &c) || strcmp(c.state, "on_notice")) {
		req_error(r, 404, "not_found", "该人选不在公示中");
		return;
	}
	if (!req_is_post(r)) {
		object_form(r, &c);
		return;
	}
	struct exemplar_objection_new o;
	memset(&o, 0, sizeof o);
	struct {
		const char *field;
		char *dst;
		size_t n;
	} f[] = {
		{"name", o.name, sizeof o.name},
		{"phone", o.phone, sizeof o.phone},
		{"content", o.content, sizeof o.content},
		{"evidence", o.evidence, sizeof o.evidence},
	};
	struct field_errors e = {0};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		const char *v = req_form(r, f[i].field);
		if (v && strlen(v) >= f[i].n)
			ferr_add(&e, f[i].field, "内容过长");
		else
			snprintf(f[i].dst, f[i].n, "%s", v ? v : "");
	}
	struct exemplar_file files[EXEMPLAR_EVIDENCE_FILES];
	o.nfiles = evidence_files(r, files, EXEMPLAR_EVIDENCE_FILES);
	o.files = files;
	enum dj_result res = DJ_INVALID;
	int64_t id = 0, now = now_unix();
	if (!e.n) {
		if (!exemplar_public_allowed(r->db, "object", r->ip, NULL, now)) {
			req_error(r, 429, "rate_limited", "提交过于频繁，请一小时后再试");
			return;
		}
		res = exemplar_object(r->db, &r->actor, c.id, &o, now, &id, &e);
	}
	if (res == DJ_INVALID) {
		form_errors_add(r, &e);
		object_form(r, &c);
		r->status = 422;
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "异议已提交。镇党委将核实后答复，公示期结束前每一条异议都会得到答复。");
	req_redirect(r, "/exemplars/notice");
}

static void gallery_card(void *ctx, const struct exemplar_candidate *c)
{
	struct list_ctx *x = ctx;
	x->n++;
	html_printf(&x->r->out, "<article class=\"card ex-person\"><h2 class=\"card-title\">%s</h2>", c->name);
	photo_img(x->r, c);
	html_printf(&x->r->out, "<p class=\"muted\">%s</p><p>%s</p></article>", c->unit, c->deeds);
}

struct tally_ctx {
	req *r;
	int64_t year;
	int n;
};
/* 2025年度：优秀共产党员 12 名、先进基层党组织 3 个 — each figure a link to the records it counts */
static void tally_item(void *ctx, int64_t year, const char *category, const char *label, const char *subject, int64_t awarded)
{
	struct tally_ctx *x = ctx;
	req *r = x->r;
	if (year != x->year) {
		buf_puts(&r->out, x->n ? "</li><li>" : "<li>");
		html_printf(&r->out, "<strong>%lld 年度</strong>：", (long long)year);
	} else
		buf_puts(&r->out, "、");
	html_printf(&r->out, "<a href=\"/exemplars/gallery?category=%s&amp;year=%lld\">%s %lld %s</a>", category, (long long)year, label,
		    (long long)awarded, subject[0] == 'o' ? "个" : "名");
	x->year = year;
	x->n++;
}

struct category_opts {
	req *r;
	const char *selected;
	int n;
};
static void category_option(void *ctx, const struct exemplar_category *c)
{
	struct category_opts *o = ctx;
	html_printf(&o->r->out, "<option value=\"%s\"%s>%s</option>", c->key, o->selected && !strcmp(o->selected, c->key) ? " selected" : "", c->label);
}

static void gallery_page(req *r)
{
	const char *cat = req_query(r, "category");
	struct exemplar_category known;
	if (cat && !exemplar_category_get(r->db, cat, &known))
		cat = NULL;
	int64_t year = parse_id(req_query(r, "year"));
	page_begin(r, "榜样风采");
	buf_puts(&r->out,
		 "<form class=\"filters\" method=\"get\" action=\"/exemplars/gallery\"><div class=\"field\"><label for=\"f-category\">类别</label>"
		 "<select id=\"f-category\" name=\"category\"><option value=\"\">全部类别</option>");
	struct category_opts o = {r, cat, 0};
	exemplar_category_each(r->db, false, category_option, &o); /* the switched-off ones too: their awards stay in the gallery */
	html_printf(
		&r->out,
		"</select></div><div class=\"field\"><label for=\"f-year\">年度</label><input id=\"f-year\" name=\"year\" type=\"number\" value=\"%s\">"
		"</div><div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">筛选</button></div></form>",
		req_query(r, "year") ? req_query(r, "year") : "");
	struct tally_ctx t = {r, 0, 0};
	buf_puts(&r->out, "<ul class=\"ex-tally\">");
	exemplar_award_tally(r->db, tally_item, &t);
	buf_puts(&r->out, t.n ? "</li></ul>" : "</ul>");
	struct list_ctx x = {r, 0};
	exemplar_gallery_each(r->db, cat, year, gallery_card, &x);
	if (!x.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无榜样</p></div>");
	page_end(r);
}

static void verify_result(req *r, const char *no)
{
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	enum dj_result res = exemplar_verify(r->db, no, &c, &camp);
	if (res != DJ_OK) {
		r->status = 404;
		html_printf(&r->out,
			    "<section class=\"card ex-verify ex-bad\"><h2 class=\"card-title\">查无此证书</h2><p>证书编号 <strong>%s</strong> "
			    "不是本平台颁发的荣誉证书编号，请核对编号，或向颁发单位核实。</p></section>",
			    no);
		return;
	}
	char t[20];
	fmt_time(c.awarded_at, t);
	if (c.revoked_at) {
		char t2[20];
		fmt_time(c.revoked_at, t2);
		html_printf(
			&r->out,
			"<section class=\"card ex-verify ex-bad\"><h2 class=\"card-title\">该证书已撤销</h2><p>证书编号 <strong>%s</strong> 曾颁发给 %s，"
			"已于 %.10s 被颁发单位撤销，现已无效。</p></section>",
			c.cert_no, c.name, t2);
		return;
	}
	html_printf(&r->out,
		    "<section class=\"card ex-verify ex-good\"><h2 class=\"card-title\">证书真实有效</h2><dl class=\"kv\"><dt>证书编号</dt><dd>%s</dd>"
		    "<dt>获得者</dt><dd>%s</dd><dt>单位</dt><dd>%s</dd><dt>荣誉</dt><dd>%lld 年度%s</dd><dt>评选活动</dt><dd>%s</dd>"
		    "<dt>颁发单位</dt><dd>%s</dd><dt>颁发日期</dt><dd>%.10s</dd></dl></section>",
		    c.cert_no, c.name, c.unit, (long long)camp.year, camp.category_label, camp.title, camp.org_name, t);
}

static void verify_page(req *r)
{
	const char *no = req_param(r, "no");
	if (!no)
		no = req_query(r, "no");
	page_begin(r, "荣誉证书查验");
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/verify\"><div class=\"field\"><label for=\"f-no\">证书编号</label>"
		    "<input id=\"f-no\" name=\"no\" type=\"text\" value=\"%s\" placeholder=\"如 BY2026-XXXX-XXXX\"></div>"
		    "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">查验</button></div></form>",
		    no ? no : "");
	if (no && *no)
		verify_result(r, no);
	page_end(r);
}

/* The printable certificate (A4 landscape when printed): its QR code opens the verification page. */
static void certificate_page(req *r)
{
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (exemplar_verify(r->db, req_param(r, "no"), &c, &camp) != DJ_OK) {
		req_error(r, 404, "not_found", "查无此证书编号");
		return;
	}
	page_begin(r, "荣誉证书");
	char base[256], url[400], t[20];
	qr_site_base(r, base, sizeof base);
	snprintf(url, sizeof url, "%s/verify/%s", base, c.cert_no);
	fmt_time(c.awarded_at, t);
	char summary[400];
	snprintf(summary, sizeof summary, "%.380s", c.deeds);
	if (utf8_len(c.deeds) > 80) { /* about eighty characters, cut at a character boundary */
		size_t n = 0, chars = 0;
		while (summary[n] && chars < 80) {
			n++;
			while ((summary[n] & 0xC0) == 0x80)
				n++;
			chars++;
		}
		snprintf(summary + n, sizeof summary - n, "……");
	}
	html_printf(&r->out,
		    "<div class=\"ex-cert\"><h2 class=\"ex-cert-title\">荣 誉 证 书</h2><p class=\"ex-cert-name\">%s%s：</p>"
		    "<p class=\"ex-cert-body\">经民主推荐、联合评审、征询意见和公示，被评为 %lld 年度<strong>“%s”</strong>。特发此证，以资鼓励。</p>"
		    "<p class=\"ex-cert-deeds\">%s</p><div class=\"ex-cert-foot\"><div>",
		    c.name, camp.subject[0] == 'o' ? "" : " 同志", (long long)camp.year, camp.category_label, summary);
	qr_svg(&r->out, url, "扫码查验证书真伪");
	html_printf(&r->out, "<p class=\"ex-cert-no\">证书编号：%s</p></div><div class=\"ex-cert-sign\"><p>%s</p><p>%.10s</p></div></div>", c.cert_no,
		    camp.org_name, t);
	/* markup from the format string alone (an argument would be escaped) */
	if (c.revoked_at)
		buf_puts(&r->out, "<p class=\"ex-cert-void\">该证书已撤销</p>");
	buf_puts(&r->out, "</div><p class=\"ex-noprint\">");
	if (!c.revoked_at) /* the PDF only while the certificate is valid */
		html_printf(&r->out, "<a class=\"btn btn-primary\" href=\"/exemplars/certificates/%s/certificate.pdf\">下载证书 PDF</a> ", c.cert_no);
	html_printf(&r->out, "<a class=\"btn\" href=\"/verify/%s\">查验页面</a></p>", c.cert_no);
	page_end(r);
}

struct pdf_job {
	db *d;
	const char *no, *base;
};
static enum dj_result write_pdf(const char *path, void *ctx, struct field_errors *e)
{
	struct pdf_job *j = ctx;
	return exemplar_certificate_pdf(j->d, j->no, j->base, path, e);
}

/* The certificate as a PDF (A4 landscape), for the page and the API alike. */
void exemplars_certificate_pdf(req *r)
{
	char base[256], ascii[64], name[64];
	qr_site_base(r, base, sizeof base);
	struct pdf_job j = {r->db, req_param(r, "no"), base};
	char no[32];
	exemplar_cert_normalize(j.no, no);
	for (char *p = no; *p; p++) /* the number in a file name: letters, digits and dashes only */
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
			*p = '_';
	snprintf(ascii, sizeof ascii, "certificate-%s.pdf", no);
	snprintf(name, sizeof name, "荣誉证书-%s.pdf", no);
	req_send_download(r, write_pdf, &j, "application/pdf", ascii, name);
}

/* ---- the committee ---- */

struct category_pairs {
	const char *p[2 * EXEMPLAR_CATEGORIES_MAX + 1]; /* key, label pairs for form_select */
	char kv[EXEMPLAR_CATEGORIES_MAX][2][64];
	int n;
};
static void category_pair(void *ctx, const struct exemplar_category *c)
{
	struct category_pairs *cp = ctx;
	if (cp->n >= EXEMPLAR_CATEGORIES_MAX)
		return;
	snprintf(cp->kv[cp->n][0], 64, "%s", c->key);
	snprintf(cp->kv[cp->n][1], 64, "%s", c->label);
	cp->p[2 * cp->n] = cp->kv[cp->n][0];
	cp->p[2 * cp->n + 1] = cp->kv[cp->n][1];
	cp->n++;
}

static void new_campaign_form(req *r)
{
	page_begin(r, "发起评选活动");
	buf_puts(&r->out, "<section class=\"card\">");
	form_begin(r, "/exemplars/new");
	form_input(r, "title", "活动名称", "text", form_value(r, "title", ""), "如：2026年度“两优一先”评选");
	/* the categories in use (the committee keeps the list: /exemplars/categories) */
	struct category_pairs cp;
	memset(&cp, 0, sizeof cp);
	exemplar_category_each(r->db, true, category_pair, &cp);
	form_select(r, "category", "评选类别", cp.p, form_value(r, "category", "youxiu_dangyuan"));
	static const char *const subj[] = {"person", "个人", "org", "组织", NULL};
	form_select(r, "subject", "评选对象", subj, form_value(r, "subject", "person"));
	form_input(r, "year", "年度", "number", form_value(r, "year", "2026"), NULL);
	form_input(r, "quota", "名额", "number", form_value(r, "quota", ""), NULL);
	form_input(r, "nominate_until", "推荐截止", "date", form_value(r, "nominate_until", ""), NULL);
	form_input(r, "review_until", "评审截止", "date", form_value(r, "review_until", ""), NULL);
	form_input(r, "consult_until", "征询截止", "date", form_value(r, "consult_until", ""), NULL);
	form_input(r, "notice_days", "公示天数", "number", form_value(r, "notice_days", "5"), NULL);
	form_input(r, "criteria", "评审指标（名称:分值，合计100）", "text", form_value(r, "criteria", "政治素质:30,工作实绩:40,群众公认:30"), NULL);
	form_input(r, "depts", "征询部门（编码，逗号分隔）", "text", form_value(r, "depts", "CJZ-JW"), "类型为“部门”的组织，如纪委、政法、信访、公安");
	form_end(r, "发起");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

/* A list as typed: the full-width comma and 、 become ',' (strtok_r splits bytes, not characters). */
static void ascii_commas(const char *in, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = in ? in : ""; *p && k + 1 < n;) {
		if (!strncmp(p, "，", strlen("，")) || !strncmp(p, "、", strlen("、"))) {
			out[k++] = ',';
			p += strlen("，");
		} else
			out[k++] = *p++;
	}
	out[k] = 0;
}

static void new_campaign_page(req *r)
{
	if (!req_is_post(r)) {
		new_campaign_form(r);
		return;
	}
	struct exemplar_campaign_new n;
	memset(&n, 0, sizeof n);
	struct field_errors e = {0};
	const char *v;
	snprintf(n.title, sizeof n.title, "%s", (v = req_form(r, "title")) ? v : "");
	snprintf(n.category, sizeof n.category, "%s", (v = req_form(r, "category")) ? v : "");
	snprintf(n.subject, sizeof n.subject, "%s", (v = req_form(r, "subject")) ? v : "person");
	snprintf(n.nominate_until, sizeof n.nominate_until, "%s", (v = req_form(r, "nominate_until")) ? v : "");
	snprintf(n.review_until, sizeof n.review_until, "%s", (v = req_form(r, "review_until")) ? v : "");
	snprintf(n.consult_until, sizeof n.consult_until, "%s", (v = req_form(r, "consult_until")) ? v : "");
	n.year = parse_id(req_form(r, "year"));
	n.quota = parse_id(req_form(r, "quota"));
	n.notice_days = parse_id(req_form(r, "notice_days"));
	char depts[400];
	ascii_commas(req_form(r, "depts"), depts, sizeof depts);
	for (char *save = NULL, *t = strtok_r(depts, ", ", &save); t && n.depts_n < 12; t = strtok_r(NULL, ", ", &save))
		n.depts[n.depts_n++] = t;
	char crit[400];
	ascii_commas(req_form(r, "criteria"), crit, sizeof crit);
	for (char *save = NULL, *t = strtok_r(crit, ",", &save); t && n.criteria_n < EXEMPLAR_CRITERIA_MAX; t = strtok_r(NULL, ",", &save)) {
		/* name:max, with an ASCII or a full-width colon (as typed on a phone) */
		char *sep = strstr(t, "："), *ascii = strchr(t, ':');
		size_t seplen = strlen("：");
		if (ascii && (!sep || ascii < sep))
			sep = ascii, seplen = 1;
		int64_t max = 0;
		if (sep) {
			*sep = 0;
			max = atoll(sep + seplen);
		}
		n.criteria[n.criteria_n] = str_trim(t);
		n.criteria_max[n.criteria_n++] = max;
	}
	int64_t id = 0;
	enum dj_result res = exemplar_campaign_create(r->db, &r->actor, &n, now_unix(), &id, &e);
	if (res == DJ_INVALID) {
		form_errors_add(r, &e);
		new_campaign_form(r);
		r->status = 422;
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char loc[64];
	snprintf(loc, sizeof loc, "/exemplars/campaigns/%lld", (long long)id);
	flash_set(r, "ok", "评选活动已发起，开始民主推荐");
	req_redirect(r, loc);
}

struct cpage {
	req *r;
	const struct exemplar_campaign *c;
	int n;
	struct exemplar_criterion crit[EXEMPLAR_CRITERIA_MAX]; /* the joint review's, for the score forms */
	int cn;
};

/* One number input per criterion of the campaign: p0, p1, … */
static void criteria_inputs(req *r, const struct cpage *x, bool labelled)
{
	for (int i = 0; i < x->cn; i++) {
		if (labelled)
			html_printf(
				&r->out,
				"<div class=\"field\"><label>%s（0–%lld）<input name=\"p%d\" type=\"number\" min=\"0\" max=\"%lld\" inputmode=\"numeric\">"
				"</label></div>",
				x->crit[i].name, (long long)x->crit[i].max, i, (long long)x->crit[i].max);
		else
			html_printf(&r->out,
				    "<input name=\"p%d\" type=\"number\" min=\"0\" max=\"%lld\" aria-label=\"%s（满分%lld）\" placeholder=\"%s/%lld\">", i,
				    (long long)x->crit[i].max, x->crit[i].name, (long long)x->crit[i].max, x->crit[i].name, (long long)x->crit[i].max);
	}
}

static void hidden_csrf(req *r) { html_printf(&r->out, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", layout_csrf(r)); }

static void nomination_row(void *ctx, const struct exemplar_candidate *c)
{
	struct cpage *x = ctx;
	req *r = x->r;
	x->n++;
	html_printf(
		&r->out,
		"<tr><td data-label=\"人选\">%s<br><span class=\"muted\">%s</span></td><td data-label=\"事迹\">%s</td><td data-label=\"推荐人\">%s</td>"
		"<td data-label=\"操作\"><form method=\"post\" action=\"/exemplars/candidates/%lld/act/accept\" class=\"inline\">",
		c->name, c->unit, c->deeds, c->nominator_name, (long long)c->id);
	hidden_csrf(r);
	html_printf(&r->out,
		    "<button class=\"btn btn-small btn-primary\" type=\"submit\">受理</button></form>"
		    "<form method=\"post\" action=\"/exemplars/candidates/%lld/act/reject\" class=\"inline\">",
		    (long long)c->id);
	hidden_csrf(r);
	buf_puts(&r->out, "<button class=\"btn btn-small\" type=\"submit\">不予受理</button></form></td></tr>");
}

static void ranking_row(void *ctx, const struct exemplar_candidate *c)
{
	struct cpage *x = ctx;
	req *r = x->r;
	if (!strcmp(c->state, "nominated") || !strcmp(c->state, "merged") || !strcmp(c->state, "rejected"))
		return;
	x->n++;
	bool review = !strcmp(x->c->stage, "review") && !strcmp(c->state, "candidate");
	html_printf(&r->out, "<tr><td data-label=\"名次\">%d</td><td data-label=\"人选\">", x->n);
	if (review)
		html_printf(&r->out, "<label class=\"ex-pick\"><input type=\"checkbox\" name=\"c\" value=\"%lld\" form=\"shortlist\"%s> %s</label>",
			    (long long)c->id, x->n <= x->c->quota ? " checked" : "", c->name);
	else
		html_printf(&r->out, "%s", c->name);
	html_printf(&r->out, "<br><span class=\"muted\">%s</span>", c->unit);
	if (c->photo)
		html_printf(&r->out, " <a href=\"/exemplars/candidates/%lld/photo\">照片</a>", (long long)c->id);
	html_printf(&r->out, "</td><td data-label=\"推荐\">%lld 次</td><td data-label=\"平均分\">", (long long)c->nominations);
	if (c->scores)
		html_printf(&r->out, "%lld.%02lld（%lld 人评）", (long long)(c->score_x100 / 100), (long long)(c->score_x100 % 100), (long long)c->scores);
	else
		buf_puts(&r->out, "未评分");
	buf_puts(&r->out, "</td><td data-label=\"状态\">");
	badge_state(r, c->state);
	if (*c->veto_reason) /* the committee alone sees why */
		html_printf(&r->out, "<br><span class=\"ex-veto\">否决理由：%s</span>", c->veto_reason);
	if (*c->cert_no)
		html_printf(&r->out, "<br><a href=\"/exemplars/certificates/%s\">证书 %s</a>", c->cert_no, c->cert_no);
	buf_puts(&r->out, "</td><td data-label=\"操作\">");
	if (review) {
		html_printf(&r->out, "<form method=\"post\" action=\"/exemplars/candidates/%lld/score\" class=\"inline ex-score\">", (long long)c->id);
		hidden_csrf(r);
		html_printf(&r->out, "<input type=\"hidden\" name=\"back\" value=\"/exemplars/campaigns/%lld\">", (long long)x->c->id);
		criteria_inputs(r, x, false);
		buf_puts(&r->out, "<button class=\"btn btn-small\" type=\"submit\">评分</button></form>");
	}
	if (!strcmp(c->state, "awarded")) {
		html_printf(&r->out, "<form method=\"post\" action=\"/exemplars/candidates/%lld/act/revoke\" class=\"inline\">", (long long)c->id);
		hidden_csrf(r);
		buf_puts(&r->out, "<input name=\"note\" aria-label=\"撤销原因\" placeholder=\"撤销原因\"><button class=\"btn btn-small btn-danger\" "
				  "type=\"submit\">撤销证书</button></form>");
	}
	buf_puts(&r->out, "</td></tr>");
}

static void consult_row_page(void *ctx, const struct exemplar_consult *t)
{
	struct cpage *x = ctx;
	req *r = x->r;
	x->n++;
	html_printf(&r->out, "<tr><td data-label=\"人选\">%s</td><td data-label=\"部门\">%s</td><td data-label=\"意见\">%s</td><td data-label=\"说明\">%s",
		    t->candidate_name, t->dept_name,
		    !*t->answer                   ? "待答复"
		    : !strcmp(t->answer, "agree") ? "同意"
						  : "不同意",
		    t->note);
	evidence_links(r, "consult", t->id);
	buf_puts(&r->out, "</td></tr>");
}

static void objection_row_page(void *ctx, const struct exemplar_objection *o)
{
	struct cpage *x = ctx;
	req *r = x->r;
	x->n++;
	char t[20];
	fmt_time(o->filed_at, t);
	html_printf(&r->out, "<article class=\"card ex-objection\"><p><strong>对 %s 的异议</strong> <span class=\"muted\">%s · %s %s</span></p><p>%s</p>",
		    o->candidate_name, t, o->name, o->phone, o->content);
	if (*o->evidence)
		html_printf(&r->out, "<p class=\"muted\">佐证：%s</p>", o->evidence);
	buf_puts(&r->out, "<p class=\"ex-files\">");
	evidence_links(r, "objection", o->id);
	buf_puts(&r->out, "</p>");
	if (*o->answer) {
		html_printf(&r->out, "<p><span class=\"badge %s\">%s</span> 理由：%s</p></article>",
			    !strcmp(o->answer, "upheld") ? "badge-red" : "badge-green", !strcmp(o->answer, "upheld") ? "异议成立" : "异议不成立",
			    o->reason);
		return;
	}
	html_printf(&r->out,
		    "<form method=\"post\" action=\"/exemplars/objections/%lld/answer\"><input type=\"hidden\" name=\"candidate\" value=\"%lld\">",
		    (long long)o->id, (long long)o->candidate_id);
	hidden_csrf(r);
	html_printf(
		&r->out,
		"<div class=\"field\"><label for=\"f-answer-%lld\">答复</label><select id=\"f-answer-%lld\" name=\"answer\"><option value=\"dismissed\">异议不成立"
		"</option><option value=\"upheld\">异议成立（取消该人选）</option></select></div><div class=\"field\"><label for=\"f-reason-%lld\">核查情况和理由"
		"</label><textarea id=\"f-reason-%lld\" name=\"reason\" rows=\"3\"></textarea></div><div class=\"form-actions\"><button class=\"btn btn-primary\" "
		"type=\"submit\">答复异议</button></div></form></article>",
		(long long)o->id, (long long)o->id, (long long)o->id, (long long)o->id);
}

static void stage_button(req *r, int64_t id, const char *op, const char *label)
{
	html_printf(&r->out, "<form method=\"post\" action=\"/exemplars/campaigns/%lld/do/%s\" class=\"inline\">", (long long)id, op);
	hidden_csrf(r);
	html_printf(&r->out, "<button class=\"btn btn-primary\" type=\"submit\">%s</button></form>", label);
}

static void dept_name(void *ctx, int64_t id, const char *name)
{
	(void)id;
	struct cpage *x = ctx;
	html_printf(&x->r->out, "%s%s", x->n++ ? "、" : "", name);
}

static void campaign_page(req *r)
{
	struct exemplar_campaign c;
	if (!exemplar_campaign_load(r->db, req_param_id(r, "id"), &c) || !actor_covers(&r->actor, c.org_path)) {
		req_error(r, 404, "not_found", "评选活动不存在");
		return;
	}
	page_begin(r, c.title);
	stage_bar(r, c.stage);
	struct exemplar_report rep;
	exemplar_report(r->db, c.id, &rep);
	html_printf(&r->out,
		    "<section class=\"card\"><dl class=\"kv\"><dt>类别</dt><dd>%s（%s）</dd><dt>名额</dt><dd>%lld 名</dd><dt>推荐</dt>"
		    "<dd>共 %lld 条（群众 %lld、党员 %lld、支部 %lld、党委 %lld）</dd><dt>候选人</dt><dd>%lld 名，初步人选 %lld 名，征询否决 %lld 名</dd>"
		    "<dt>公示与表彰</dt><dd>公示中 %lld 名，异议 %lld 条（未答复 %lld 条），异议成立 %lld 名，已表彰 %lld 名</dd><dt>日程</dt>"
		    "<dd>推荐截止 %s，评审截止 %s，征询截止 %s，公示 %lld 天</dd><dt>征询部门</dt><dd>",
		    c.category_label, c.subject[0] == 'o' ? "组织" : "个人", (long long)c.quota, (long long)rep.nominations, (long long)rep.by_source[0],
		    (long long)rep.by_source[1], (long long)rep.by_source[2], (long long)rep.by_source[3], (long long)rep.candidates,
		    (long long)rep.shortlisted, (long long)rep.vetoed, (long long)rep.on_notice, (long long)rep.objections, (long long)rep.objections_open,
		    (long long)rep.upheld, (long long)rep.awarded, c.nominate_until, c.review_until, c.consult_until, (long long)c.notice_days);
	struct cpage x = {r, &c, 0, {{{0}}}, 0};
	x.cn = exemplar_criteria(r->db, c.id, x.crit);
	exemplar_campaign_depts(r->db, c.id, dept_name, &x);
	html_printf(&r->out, "</dd></dl><a class=\"btn\" href=\"/exemplars/campaigns/%lld/results.xlsx\">导出结果 Excel</a></section>", (long long)c.id);

	/* nominations waiting to be accepted */
	/* the rows first, into a buffer of their own: the table only when there are some */
	buf page = r->out, rows = {0};
	r->out = rows;
	x.n = 0;
	exemplar_candidate_each(r->db, c.id, "nominated", nomination_row, &x);
	rows = r->out;
	r->out = page;
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">待受理的推荐</h2>");
	if (x.n) {
		buf_puts(&r->out,
			 "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>人选</th><th>事迹</th><th>推荐人</th><th>操作</th></tr>"
			 "</thead><tbody>");
		buf_append(&r->out, buf_str(&rows), rows.len);
		buf_puts(&r->out, "</tbody></table></div>");
	} else
		buf_puts(&r->out, "<p class=\"muted\">没有待受理的推荐</p>");
	buf_free(&rows);
	buf_puts(&r->out, "</section>");

	buf_puts(&r->out,
		 "<section class=\"card\"><h2 class=\"card-title\">候选人（按评审平均分排序）</h2><div class=\"table-wrap\"><table class=\"table cards\">"
		 "<thead><tr><th>名次</th><th>人选</th><th>推荐</th><th>平均分</th><th>状态</th><th>操作</th></tr></thead><tbody>");
	x.n = 0;
	exemplar_candidate_each(r->db, c.id, NULL, ranking_row, &x);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!strcmp(c.stage, "review")) {
		html_printf(&r->out, "<form id=\"shortlist\" method=\"post\" action=\"/exemplars/campaigns/%lld/do/shortlist\">", (long long)c.id);
		hidden_csrf(r);
		html_printf(&r->out,
			    "<p class=\"muted\">勾选初步人选（不超过名额 %lld 名），确定后向各征询部门发出征询。</p><button class=\"btn btn-primary\" "
			    "type=\"submit\">确定初步人选并征询意见</button></form>",
			    (long long)c.quota);
	}
	buf_puts(&r->out, "</section>");

	if (!strcmp(c.stage, "nomination"))
		stage_button(r, c.id, "open_review", "结束推荐，进入联合评审");
	if (rep.consults) {
		buf_puts(&r->out,
			 "<section class=\"card\"><h2 class=\"card-title\">征询意见</h2><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr>"
			 "<th>人选</th><th>部门</th><th>意见</th><th>说明</th></tr></thead><tbody>");
		x.n = 0;
		exemplar_consult_each(r->db, 0, c.id, consult_row_page, &x);
		buf_puts(&r->out, "</tbody></table></div>");
		if (!strcmp(c.stage, "consultation"))
			stage_button(r, c.id, "publish", "征询结束，发布公示");
		buf_puts(&r->out, "</section>");
	}
	if (!strcmp(c.stage, "notice") || rep.objections) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">公示异议</h2>");
		x.n = 0;
		exemplar_objection_each(r->db, c.id, objection_row_page, &x);
		if (!x.n)
			buf_puts(&r->out, "<p class=\"muted\">暂无异议</p>");
		if (!strcmp(c.stage, "notice")) {
			char t[20];
			fmt_time(exemplar_notice_ends(&c), t);
			html_printf(&r->out, "<p class=\"muted\">公示期满（%s）且异议全部答复后，方可结束公示、表彰并颁发证书。</p>", t);
			stage_button(r, c.id, "award", "结束公示，表彰并颁发证书");
		}
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
}

static void campaign_do(req *r)
{
	int64_t id = req_param_id(r, "id"), now = now_unix();
	const char *op = req_param(r, "op");
	struct field_errors e = {0};
	enum dj_result res;
	const char *ok = "已完成";
	if (!strcmp(op, "open_review"))
		res = exemplar_open_review(r->db, &r->actor, id, now, &e), ok = "推荐已结束，进入联合评审";
	else if (!strcmp(op, "publish"))
		res = exemplar_publish(r->db, &r->actor, id, now, &e), ok = "已发布公示";
	else if (!strcmp(op, "award"))
		res = exemplar_award(r->db, &r->actor, id, now, &e), ok = "公示结束，已表彰并颁发证书";
	else if (!strcmp(op, "shortlist")) {
		int64_t ids[512];
		int n = 0;
		for (size_t i = 0; i < r->form.n && n < 512; i++)
			if (!strcmp(r->form.v[i].key, "c") && parse_id(r->form.v[i].val))
				ids[n++] = parse_id(r->form.v[i].val);
		res = exemplar_shortlist(r->db, &r->actor, id, ids, n, now, &e), ok = "初步人选已确定，已向各部门发出征询";
	} else {
		req_error(r, 404, "not_found", "未知的操作");
		return;
	}
	char back[64];
	snprintf(back, sizeof back, "/exemplars/campaigns/%lld", (long long)id);
	done(r, res, &e, ok, back);
}

static void candidate_act(req *r)
{
	struct exemplar_candidate c;
	int64_t id = req_param_id(r, "id");
	if (!exemplar_candidate_load(r->db, id, &c)) {
		req_error(r, 404, "not_found", "人选不存在");
		return;
	}
	struct field_errors e = {0};
	enum dj_result res = exemplar_act(r->db, &r->actor, id, req_param(r, "action"), req_form(r, "note"), now_unix(), &e);
	char back[64];
	snprintf(back, sizeof back, "/exemplars/campaigns/%lld", (long long)c.campaign_id);
	done(r, res, &e, "已处理", back);
}

static void candidate_score(req *r)
{
	const char *back = req_form(r, "back");
	struct field_errors e = {0};
	int64_t points[EXEMPLAR_CRITERIA_MAX];
	int n = 0;
	for (; n < EXEMPLAR_CRITERIA_MAX; n++) {
		char key[8];
		snprintf(key, sizeof key, "p%d", n);
		const char *v = req_form(r, key);
		if (!v)
			break;
		char *end = NULL;
		long long p = *v ? strtoll(v, &end, 10) : -1;
		points[n] = *v && end && !*end ? p : -1; /* empty or not a number: out of range, named by the domain */
	}
	enum dj_result res = exemplar_score(r->db, &r->actor, req_param_id(r, "id"), points, n, req_form(r, "note"), now_unix(), &e);
	/* back only to a page of ours */
	done(r, res, &e, "评分已保存", back && !strncmp(back, "/exemplars/", 11) && !strstr(back, "//") ? back : "/exemplars/review");
}

static void objection_answer(req *r)
{
	struct field_errors e = {0};
	enum dj_result res = exemplar_objection_answer(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "answer"), req_form(r, "reason"), now_unix(),
						       &e);
	/* back to the campaign of the objection's candidate */
	char back[64] = "/exemplars";
	struct exemplar_candidate c;
	const char *cand = req_form(r, "candidate");
	if (cand && exemplar_candidate_load(r->db, parse_id(cand), &c))
		snprintf(back, sizeof back, "/exemplars/campaigns/%lld", (long long)c.campaign_id);
	done(r, res, &e, "异议已答复", back);
}

/* ---- the categories (the committee keeps the list) ---- */

static void category_row(void *ctx, const struct exemplar_category *c)
{
	req *r = ctx;
	html_printf(&r->out,
		    "<tr><td data-label=\"类别\"><form method=\"post\" action=\"/exemplars/categories/%s\" class=\"inline\">"
		    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\"><input name=\"label\" value=\"%s\" aria-label=\"类别名称\"> "
		    "<button class=\"btn btn-small\" type=\"submit\">改名</button></form></td><td data-label=\"对象\">%s</td>"
		    "<td data-label=\"状态\"><span class=\"badge%s\">%s</span></td><td data-label=\"操作\">"
		    "<form method=\"post\" action=\"/exemplars/categories/%s\" class=\"inline\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"active\" value=\"%d\"><button class=\"btn btn-small\" type=\"submit\">%s</button></form></td></tr>",
		    c->key, layout_csrf(r), c->label, c->subject[0] == 'o' ? "组织" : "个人", c->active ? " badge-green" : "", c->active ? "启用" : "停用",
		    c->key, layout_csrf(r), c->active ? 0 : 1, c->active ? "停用" : "启用");
}

static void categories_page(req *r)
{
	if (req_is_post(r)) {
		struct field_errors e = {0};
		char key[32];
		enum dj_result res = exemplar_category_add(r->db, &r->actor, req_form(r, "label"), req_form(r, "subject"), now_unix(), key, &e);
		done(r, res, &e, "评选类别已添加", "/exemplars/categories");
		return;
	}
	page_begin(r, "评选类别");
	buf_puts(&r->out,
		 "<p class=\"lead\">发起评选活动时可选的类别。已用过的类别只能停用，不能删除；改名只影响此后发起的活动，已颁发的证书不变。</p>"
		 "<section class=\"card\"><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>类别</th><th>对象</th><th>状态</th>"
		 "<th>操作</th></tr></thead><tbody>");
	exemplar_category_each(r->db, false, category_row, r);
	buf_puts(&r->out, "</tbody></table></div></section><section class=\"card\"><h2 class=\"card-title\">新增类别</h2>");
	form_begin(r, "/exemplars/categories");
	form_input(r, "label", "类别名称", "text", form_value(r, "label", ""), "如：新时代好少年、最美网格员");
	static const char *const subjects[] = {"person", "个人", "org", "组织", NULL};
	form_select(r, "subject", "评选对象", subjects, form_value(r, "subject", "person"));
	form_end(r, "添加类别");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void category_set_page(req *r)
{
	struct field_errors e = {0};
	const char *act = req_form(r, "active");
	int active = act && !strcmp(act, "1") ? 1 : act && !strcmp(act, "0") ? 0 : act ? 2 : -1; /* 2: neither, refused by the domain */
	enum dj_result res = exemplar_category_set(r->db, &r->actor, req_param(r, "key"), req_form(r, "label"), active, &e);
	done(r, res, &e, "评选类别已更新", "/exemplars/categories");
}

/* ---- reviewers and departments ---- */

static void review_candidate(void *ctx, const struct exemplar_candidate *c)
{
	struct cpage *x = ctx;
	req *r = x->r;
	x->n++;
	html_printf(&r->out, "<article class=\"card ex-person\"><h3>%s <span class=\"muted\">%s</span></h3><p>%s</p>", c->name, c->unit, c->deeds);
	html_printf(&r->out, "<form method=\"post\" action=\"/exemplars/candidates/%lld/score\" class=\"ex-score\">", (long long)c->id);
	hidden_csrf(r);
	buf_puts(&r->out, "<input type=\"hidden\" name=\"back\" value=\"/exemplars/review\">");
	criteria_inputs(r, x, true);
	buf_puts(&r->out, "<div class=\"field\"><label>评语（选填）<input name=\"note\"></label></div><button class=\"btn btn-small btn-primary\" "
			  "type=\"submit\">提交评分</button></form></article>");
}

static void review_campaign(void *ctx, const struct exemplar_campaign *c)
{
	struct cpage *x = ctx;
	if (strcmp(c->stage, "review"))
		return;
	html_printf(&x->r->out, "<h2>%s · 联合评审（截止 %s）</h2>", c->title, c->review_until);
	x->cn = exemplar_criteria(x->r->db, c->id, x->crit);
	exemplar_candidate_each(x->r->db, c->id, "candidate", review_candidate, x);
}

struct tasks_ctx {
	req *r;
	int open, answered;
	buf done; /* the answered ones, listed after the open ones */
};

static void consult_task(void *ctx, const struct exemplar_consult *t)
{
	struct tasks_ctx *x = ctx;
	req *r = x->r;
	if (*t->answer) {
		if (x->answered++ < 50)
			html_printf(&x->done, "<li>%s（%s）· %s：<strong>%s</strong> %s</li>", t->candidate_name, t->candidate_unit, t->campaign_title,
				    !strcmp(t->answer, "agree") ? "同意" : "不同意", t->note);
		return;
	}
	x->open++;
	char due[20];
	fmt_time(t->due_at, due);
	html_printf(&r->out, "<article class=\"card ex-task\"><p><strong>%s</strong> %s<br><span class=\"muted\">%s · 答复期限 %s</span></p>",
		    t->candidate_name, t->candidate_unit, t->campaign_title, due);
	html_printf(&r->out, "<form method=\"post\" action=\"/exemplars/consults/%lld/answer\" enctype=\"multipart/form-data\">", (long long)t->id);
	hidden_csrf(r);
	html_printf(&r->out,
		    "<fieldset class=\"ex-answer\"><legend>意见</legend><label><input type=\"radio\" name=\"answer\" value=\"agree\" checked> 同意</label>"
		    "<label><input type=\"radio\" name=\"answer\" value=\"disagree\"> 不同意（一票否决）</label></fieldset><div class=\"field\">"
		    "<label for=\"f-note-%lld\">说明（不同意时必填）</label><textarea id=\"f-note-%lld\" name=\"note\" rows=\"2\"></textarea></div>",
		    (long long)t->id, (long long)t->id);
	char fid[32];
	snprintf(fid, sizeof fid, "f-files-%lld", (long long)t->id);
	evidence_input(r, fid);
	buf_puts(&r->out, "<button class=\"btn btn-primary\" type=\"submit\">提交意见</button></form></article>");
}

static void review_page(req *r)
{
	page_begin(r, "评审与征询");
	struct cpage x = {r, NULL, 0};
	if (r->actor.role == R_REVIEWER) {
		html_printf(&r->out, "<h2>%s 的征询事项</h2>", r->actor.org_name);
		struct tasks_ctx t = {r, 0, 0, {0}};
		exemplar_consult_each(r->db, r->actor.org_id, 0, consult_task, &t);
		if (!t.open)
			buf_puts(&r->out, "<div class=\"empty\"><p>暂无待答复的征询事项</p></div>");
		if (t.answered) {
			html_printf(&r->out, "<details class=\"card ex-answered\"><summary>已答复的征询（%d 项）</summary><ul>", t.answered);
			buf_append(&r->out, buf_str(&t.done), t.done.len);
			buf_puts(&r->out, "</ul></details>");
		}
		buf_free(&t.done);
	}
	if (permission_allows(&perm_exemplar_score, &r->actor)) {
		x.n = 0;
		exemplar_campaign_each(r->db, review_campaign, &x);
		if (!x.n)
			buf_puts(&r->out, "<p class=\"muted\">暂无待评审的候选人</p>");
	}
	page_end(r);
}

static void consult_answer(req *r)
{
	struct field_errors e = {0};
	struct exemplar_file files[EXEMPLAR_EVIDENCE_FILES];
	int n = evidence_files(r, files, EXEMPLAR_EVIDENCE_FILES);
	enum dj_result res = exemplar_consult_answer_files(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "answer"), req_form(r, "note"), files, n,
							   now_unix(), &e);
	done(r, res, &e, "意见已提交", "/exemplars/review");
}

/* ---- 宣讲团 and 关爱礼遇 ---- */

static void session_row(void *ctx, const struct exemplar_tour_session *s)
{
	struct cpage *x = ctx;
	req *r = x->r;
	x->n++;
	html_printf(
		&r->out,
		"<tr id=\"session-%lld\"><td data-label=\"日期\">%s</td><td data-label=\"去处\">%s</td><td data-label=\"地点\">%s</td><td data-label=\"宣讲团\">%s</td><td data-label=\"受众\">",
		(long long)s->id, s->day, exemplar_pair_label(exemplar_place_kinds, s->place_kind), s->place, s->tour_title);
	if (s->held)
		html_printf(&r->out, "%lld 人次", (long long)s->audience);
	else {
		html_printf(&r->out, "<form method=\"post\" action=\"/exemplars/sessions/%lld/report\" class=\"inline\">", (long long)s->id);
		hidden_csrf(r);
		buf_puts(&r->out,
			 "<input name=\"audience\" type=\"number\" min=\"1\" aria-label=\"受众人次\" placeholder=\"人次\"><button class=\"btn btn-small\" "
			 "type=\"submit\">填报</button></form>");
	}
	buf_puts(&r->out, "</td></tr>");
}

static void care_row(void *ctx, const struct exemplar_care *c)
{
	struct cpage *x = ctx;
	x->n++;
	html_printf(
		&x->r->out,
		"<tr><td data-label=\"日期\">%s</td><td data-label=\"榜样\">%s</td><td data-label=\"类型\">%s</td><td data-label=\"单位\">%s</td><td data-label=\"内容\">%s</td></tr>",
		c->day, c->candidate_name, exemplar_pair_label(exemplar_care_kinds, c->kind), c->org_name, c->note);
}

static void tour_option(void *ctx, int64_t id, const char *title, int64_t speakers)
{
	struct cpage *x = ctx;
	x->n++;
	html_printf(&x->r->out, "<option value=\"%lld\">%s（%lld 名宣讲人）</option>", (long long)id, title, (long long)speakers);
}

static void model_option(void *ctx, const struct exemplar_candidate *c)
{
	struct cpage *x = ctx;
	x->n++;
	html_printf(&x->r->out, "<option value=\"%lld\">%s（%s）</option>", (long long)c->id, c->name, c->unit);
}

static void model_check(void *ctx, const struct exemplar_candidate *c)
{
	struct cpage *x = ctx;
	x->n++;
	html_printf(&x->r->out, "<label><input type=\"checkbox\" name=\"speaker\" value=\"%lld\"> %s</label>", (long long)c->id, c->name);
}

static void pairs_select(req *r, const char *name, const char *label, const char *const *pairs)
{
	html_printf(&r->out, "<div class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">", name, label, name, name);
	for (const char *const *p = pairs; *p; p += 2)
		html_printf(&r->out, "<option value=\"%s\">%s</option>", p[0], p[1]);
	buf_puts(&r->out, "</select></div>");
}

static void tours_page(req *r)
{
	page_begin(r, "宣讲与关爱");
	struct exemplar_tour_stats st;
	exemplar_tour_stats(r->db, actor_scope(&r->actor), &st);
	html_printf(&r->out, "<section class=\"card\"><h2 class=\"card-title\">榜样事迹宣讲团</h2><p class=\"lead\">%s。</p><p>", st.summary);
	for (int k = 0; exemplar_place_kinds[2 * k]; k++)
		html_printf(&r->out, "%s %lld 场　", exemplar_place_kinds[2 * k + 1], (long long)st.by_kind[k]);
	buf_puts(&r->out, "</p></section>");
	struct cpage x = {r, NULL, 0};
	bool staff = (r->actor.role & R_STAFF) != 0;
	if (permission_allows(&perm_exemplar_manage, &r->actor)) {
		buf_puts(&r->out, "<details class=\"card\"><summary>组建宣讲团</summary>");
		form_begin(r, "/exemplars/tours");
		form_input(r, "title", "宣讲团名称", "text", "", NULL);
		buf_puts(&r->out, "<div class=\"field\"><span class=\"label\">宣讲人（已表彰的榜样）</span><div class=\"checks\">");
		exemplar_gallery_each(r->db, NULL, 0, model_check, &x);
		buf_puts(&r->out, "</div></div>");
		form_end(r, "组建");
		buf_puts(&r->out, "</details>");
	}
	if (staff) {
		buf_puts(&r->out, "<details class=\"card\"><summary>预约宣讲</summary>");
		form_begin(r, "/exemplars/tours/book");
		buf_puts(&r->out, "<div class=\"field\"><label for=\"f-tour\">宣讲团</label><select id=\"f-tour\" name=\"tour\">");
		exemplar_tour_each(r->db, actor_scope(&r->actor), tour_option, &x);
		buf_puts(&r->out, "</select></div>");
		pairs_select(r, "place_kind", "去处", exemplar_place_kinds);
		form_input(r, "place", "地点", "text", "", "如：陈集镇中学");
		form_input(r, "day", "日期", "date", "", NULL);
		form_end(r, "预约");
		buf_puts(&r->out, "</details>");
	}
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">宣讲场次</h2><div class=\"table-wrap\"><table class=\"table cards\">"
			  "<thead><tr><th>日期</th><th>去处</th><th>地点</th><th>宣讲团</th><th>受众</th></tr></thead><tbody>");
	exemplar_session_each(r->db, actor_scope(&r->actor), session_row, &x);
	buf_puts(&r->out, "</tbody></table></div></section>");
	if (staff) {
		buf_puts(&r->out, "<details class=\"card\"><summary>登记关爱礼遇</summary>");
		form_begin(r, "/exemplars/care");
		buf_puts(&r->out, "<div class=\"field\"><label for=\"f-candidate\">榜样</label><select id=\"f-candidate\" name=\"candidate\">");
		exemplar_gallery_each(r->db, NULL, 0, model_option, &x);
		buf_puts(&r->out, "</select></div>");
		pairs_select(r, "kind", "类型", exemplar_care_kinds);
		form_input(r, "day", "日期", "date", "", NULL);
		form_input(r, "note", "内容", "text", "", "如：春节前走访慰问，送去慰问金");
		form_end(r, "登记");
		buf_puts(&r->out, "</details>");
	}
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">关爱礼遇</h2><div class=\"table-wrap\"><table class=\"table cards\">"
			  "<thead><tr><th>日期</th><th>榜样</th><th>类型</th><th>单位</th><th>内容</th></tr></thead><tbody>");
	exemplar_care_each(r->db, actor_scope(&r->actor), care_row, &x);
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

static void tour_create_page(req *r)
{
	int64_t ids[64];
	int n = 0;
	for (size_t i = 0; i < r->form.n && n < 64; i++)
		if (!strcmp(r->form.v[i].key, "speaker") && parse_id(r->form.v[i].val))
			ids[n++] = parse_id(r->form.v[i].val);
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res = exemplar_tour_create(r->db, &r->actor, req_form(r, "title"), ids, n, now_unix(), &id, &e);
	done(r, res, &e, "宣讲团已组建", "/exemplars/tours");
}

static void session_book_page(req *r)
{
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res = exemplar_session_book(r->db, &r->actor, parse_id(req_form(r, "tour")), req_form(r, "place_kind"), req_form(r, "place"),
						   req_form(r, "day"), now_unix(), &id, &e);
	done(r, res, &e, "宣讲已预约", "/exemplars/tours");
}

static void care_add_page(req *r)
{
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res = exemplar_care_add(r->db, &r->actor, parse_id(req_form(r, "candidate")), req_form(r, "kind"), req_form(r, "day"),
					       req_form(r, "note"), now_unix(), &id, &e);
	done(r, res, &e, "关爱礼遇已登记", "/exemplars/tours");
}

static void session_report(req *r)
{
	struct field_errors e = {0};
	const char *v = req_form(r, "audience");
	enum dj_result res = exemplar_session_report(r->db, &r->actor, req_param_id(r, "id"), v ? atoll(v) : 0, &e);
	done(r, res, &e, "宣讲情况已填报", "/exemplars/tours");
}

/* The results as .xlsx. */
struct xlsx_job {
	db *d;
	int64_t id;
};
static enum dj_result write_results(const char *path, void *ctx, struct field_errors *e)
{
	struct xlsx_job *j = ctx;
	return exemplar_results_xlsx(j->d, j->id, path, e);
}

static void results_xlsx(req *r)
{
	struct exemplar_campaign c;
	if (!exemplar_campaign_load(r->db, req_param_id(r, "id"), &c) || !actor_covers(&r->actor, c.org_path)) {
		req_error(r, 404, "not_found", "评选活动不存在");
		return;
	}
	struct xlsx_job j = {r->db, c.id};
	req_send_download(r, write_results, &j, XLSX_TYPE, "exemplar-results.xlsx", "评选结果.xlsx");
}

static const route exemplars_routes[] = {
	{"GET", "/exemplars", home_page, R_PUBLIC, 0, 0, "exemplars"},
	{"GET", "/exemplars/:id/nominate", nominate_page, R_PUBLIC, 0, 0, "exemplar_nominate"},
	{"POST", "/exemplars/:id/nominate", nominate_page, R_PUBLIC, 0, 3 * 1024 * KiB, "exemplar_nominate"},
	{"GET", "/exemplars/candidates/:id/photo", photo_page, R_PUBLIC, 0, 0, "exemplar_photo"},
	{"GET", "/exemplars/notice", notice_page, R_PUBLIC, 0, 0, "exemplar_notice"},
	{"GET", "/exemplars/notice/:id/object", object_page, R_PUBLIC, 0, 0, "exemplar_object"},
	{"POST", "/exemplars/notice/:id/object", object_page, R_PUBLIC, 0, 7 * 1024 * KiB, "exemplar_object"}, /* with evidence files */
	{"GET", "/exemplars/evidence/:id", evidence_page, R_ADMIN | R_COMMITTEE, 0, 0, "exemplar_evidence"},
	{"GET", "/exemplars/gallery", gallery_page, R_PUBLIC, 0, 0, "exemplar_gallery"},
	{"GET", "/exemplars/certificates/:no", certificate_page, R_PUBLIC, 0, 0, "exemplar_certificate"},
	{"GET", "/exemplars/certificates/:no/certificate.pdf", exemplars_certificate_pdf, R_PUBLIC, 0, 0, "exemplar_certificate_pdf"},
	{"GET", "/api/v1/public/exemplars/certificates/:no/pdf", exemplars_certificate_pdf, R_PUBLIC, RF_API, 0, "api_exemplar_certificate_pdf"},
	{"GET", "/verify", verify_page, R_PUBLIC, 0, 0, "verify"},
	{"GET", "/verify/:no", verify_page, R_PUBLIC, 0, 0, "verify"},
	{"GET", "/exemplars/new", new_campaign_page, R_ADMIN | R_COMMITTEE, 0, 0, "exemplar_new"},
	{"GET", "/exemplars/categories", categories_page, R_ADMIN | R_COMMITTEE, 0, 0, "exemplar_categories"},
	{"POST", "/exemplars/categories", categories_page, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "exemplar_categories"},
	{"POST", "/exemplars/categories/:key", category_set_page, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "exemplar_category_set"},
	{"GET", "/api/v1/exemplars/categories", exemplars_api_categories, R_PUBLIC, RF_API, 0, "api_exemplar_categories"},
	{"POST", "/api/v1/exemplars/categories", exemplars_api_category_add, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_exemplar_category_add"},
	{"POST", "/api/v1/exemplars/categories/:key", exemplars_api_category_set, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_exemplar_category_set"},
	{"POST", "/exemplars/new", new_campaign_page, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "exemplar_new"},
	{"GET", "/exemplars/campaigns/:id", campaign_page, R_ADMIN | R_COMMITTEE, 0, 0, "exemplar_campaign"},
	{"GET", "/exemplars/campaigns/:id/results.xlsx", results_xlsx, R_ADMIN | R_COMMITTEE, 0, 0, "exemplar_results"},
	{"POST", "/exemplars/campaigns/:id/do/:op", campaign_do, R_ADMIN | R_COMMITTEE, 0, 16 * KiB, "exemplar_campaign_do"},
	{"POST", "/exemplars/candidates/:id/act/:action", candidate_act, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "exemplar_candidate_act"},
	{"POST", "/exemplars/candidates/:id/score", candidate_score, R_ADMIN | R_COMMITTEE | R_REVIEWER, 0, 4 * KiB, "exemplar_score"},
	{"POST", "/exemplars/objections/:id/answer", objection_answer, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "exemplar_objection_answer"},
	{"GET", "/exemplars/review", review_page, R_ADMIN | R_COMMITTEE | R_REVIEWER, 0, 0, "exemplar_review"},
	{"POST", "/exemplars/consults/:id/answer", consult_answer, R_REVIEWER, 0, 7 * 1024 * KiB, "exemplar_consult_answer"},
	{"GET", "/exemplars/tours", tours_page, R_STAFF | R_REVIEWER, 0, 0, "exemplar_tours"},
	{"POST", "/exemplars/sessions/:id/report", session_report, R_STAFF, 0, 4 * KiB, "exemplar_session_report"},
	{"POST", "/exemplars/tours", tour_create_page, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "exemplar_tour_create"},
	{"POST", "/exemplars/tours/book", session_book_page, R_STAFF, 0, 4 * KiB, "exemplar_session_book"},
	{"POST", "/exemplars/care", care_add_page, R_STAFF, 0, 4 * KiB, "exemplar_care_add"},
	{"POST", "/api/v1/exemplars/tours", exemplars_api_tour_create, R_ADMIN | R_COMMITTEE, RF_API, 8 * KiB, "api_exemplar_tour_create"},
	{"POST", "/api/v1/exemplars/tours/:id/sessions", exemplars_api_session_book, R_STAFF, RF_API, 4 * KiB, "api_exemplar_session_book"},
	{"POST", "/api/v1/exemplars/sessions/:id/report", exemplars_api_session_report, R_STAFF, RF_API, 4 * KiB, "api_exemplar_session_report"},
	{"GET", "/api/v1/exemplars/tours/sessions", exemplars_api_sessions, R_STAFF | R_REVIEWER, RF_API, 0, "api_exemplar_sessions"},
	{"GET", "/api/v1/exemplars/care", exemplars_api_care, R_STAFF | R_REVIEWER, RF_API, 0, "api_exemplar_care"},
	{"POST", "/api/v1/exemplars/care", exemplars_api_care_add, R_STAFF, RF_API, 4 * KiB, "api_exemplar_care_add"},
	{"GET", "/api/v1/exemplars/transitions", exemplars_api_transitions, R_PUBLIC, RF_API | RF_NODB, 0, "api_exemplar_transitions"},
	{"GET", "/api/v1/exemplars/campaigns", exemplars_api_campaigns, R_PUBLIC, RF_API, 0, "api_exemplar_campaigns"},
	{"POST", "/api/v1/exemplars/campaigns", exemplars_api_campaign_create, R_ADMIN | R_COMMITTEE, RF_API, 8 * KiB, "api_exemplar_campaign_create"},
	{"GET", "/api/v1/exemplars/campaigns/:id", exemplars_api_campaign, R_ANY, RF_API, 0, "api_exemplar_campaign"},
	{"POST", "/api/v1/exemplars/campaigns/:id/nominations", exemplars_api_nominate, R_ANY, RF_API, 16 * KiB, "api_exemplar_nominate"},
	{"POST", "/api/v1/exemplars/campaigns/:id/actions/:action", exemplars_api_campaign_action, R_ANY, RF_API, 16 * KiB,
	 "api_exemplar_campaign_action"},
	{"GET", "/api/v1/exemplars/campaigns/:id/objections", exemplars_api_objections, R_ADMIN | R_COMMITTEE, RF_API, 0, "api_exemplar_objections"},
	{"POST", "/api/v1/exemplars/candidates/:id/actions/:action", exemplars_api_candidate_action, R_ANY, RF_API, 4 * KiB,
	 "api_exemplar_candidate_action"},
	{"POST", "/api/v1/exemplars/candidates/:id/score", exemplars_api_score, R_ANY, RF_API, 4 * KiB, "api_exemplar_score"},
	{"GET", "/api/v1/exemplars/consults", exemplars_api_consults, R_ANY, RF_API, 0, "api_exemplar_consults"},
	{"POST", "/api/v1/exemplars/consults/:id", exemplars_api_consult_answer, R_ANY, RF_API, 9 * 1024 * KiB, "api_exemplar_consult_answer"},
	{"POST", "/api/v1/exemplars/objections/:id", exemplars_api_objection_answer, R_ANY, RF_API, 8 * KiB, "api_exemplar_objection_answer"},
	{"GET", "/api/v1/exemplars/tours/stats", exemplars_api_tour_stats, R_STAFF | R_REVIEWER, RF_API, 0, "api_exemplar_tour_stats"},
	{"GET", "/api/v1/public/exemplars/notice", exemplars_api_notice, R_PUBLIC, RF_API, 0, "api_exemplar_notice"},
	{"POST", "/api/v1/public/exemplars/campaigns/:id/nominations", exemplars_api_public_nominate, R_PUBLIC, RF_API, 16 * KiB,
	 "api_exemplar_public_nominate"},
	{"POST", "/api/v1/public/exemplars/candidates/:id/objections", exemplars_api_object, R_PUBLIC, RF_API, 9 * 1024 * KiB, "api_exemplar_object"},
	{"GET", "/api/v1/public/exemplars/certificates/:no", exemplars_api_verify, R_PUBLIC, RF_API, 0, "api_exemplar_verify"},
};
static const struct nav_entry exemplars_nav[] = {
	{"/exemplars", "榜样评选", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_REVIEWER, 40, NAV_EVAL},
	{"/exemplars/review", "评审征询", R_REVIEWER, 41, NAV_EVAL},
	{"/exemplars", "榜样", NAV_PUBLIC, 30, NAV_TOP},
};
static const struct background_task exemplars_tasks[] = {
	{"exemplar_reminders", exemplars_tick}, /* 征询意见 past its due date: remind the department once */
};
/* a department's reviewer is sent to its tasks, the committee to the campaign */
static const struct entity_link exemplars_entities[] = {{"exemplar_campaign", "/exemplars/campaigns/"},
							{"exemplar_consult", "/exemplars/review?from="},
							{"exemplar_session", "/exemplars/tours#session-"}};
static const struct permission *const exemplars_perms[] = {&perm_exemplar_manage, &perm_exemplar_score, &perm_exemplar_answer};
int demo_exemplars(db *d, const struct actor *cli, FILE *out);
const struct module exemplars_module = {
	.name = "exemplars",
	.routes = exemplars_routes,
	.routes_n = COUNT_OF(exemplars_routes),
	.nav = exemplars_nav,
	.nav_n = COUNT_OF(exemplars_nav),
	.tasks = exemplars_tasks,
	.tasks_n = COUNT_OF(exemplars_tasks),
	.permissions = exemplars_perms,
	.permissions_n = COUNT_OF(exemplars_perms),
	.entities = exemplars_entities,
	.entities_n = COUNT_OF(exemplars_entities),
	.demo = demo_exemplars,
	.figures = exemplars_figures,
	.figures_n = EXEMPLARS_FIGURES_N,
};
