/* campaigns_web — the pages and the API of campaigns and their task lists
 * (SPEC M10, issue 17), and the module record. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "auth.h"
#include "campaigns.h"
#include "figures.h"
#include "html.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "orgs_web.h"
#include "util.h"
#include "volunteer_web.h"
#include "web.h"

/* ---- pages ---- */

static void list_row(void *ctx, const struct campaign_row *c)
{
	req *r = ctx;
	html_printf(
		&r->out,
		"<tr><td data-label=\"主题活动\"><a href=\"/campaigns/%lld\">%s</a></td><td data-label=\"组织\">%s</td><td data-label=\"期间\">%s 至 %s</td>"
		"<td data-label=\"活动\">%lld 项</td><td data-label=\"任务完成\">%lld / %lld</td></tr>",
		(long long)c->id, c->title, c->org_name, c->starts, c->ends, (long long)c->activities, (long long)c->done, (long long)c->tasks);
}

static void create_form(req *r)
{
	buf_puts(&r->out, "<details class=\"card\"");
	buf_puts(&r->out, form_has_errors(r) ? " open>" : ">");
	buf_puts(&r->out, "<summary>制定主题活动</summary>");
	form_begin(r, "/campaigns");
	form_input(r, "title", "活动名称", "text", form_value(r, "title", ""), "如：“红色陈集·实干为民”主题活动");
	orgs_form_select(r, "org_id", "组织", form_value(r, "org_id", ""));
	form_input(r, "starts", "开始日期", "date", form_value(r, "starts", ""), NULL);
	form_input(r, "ends", "结束日期", "date", form_value(r, "ends", ""), NULL);
	const char *err = form_error_for(r, "plan");
	html_printf(&r->out, "<div class=\"field\"><label for=\"f-plan\">实施方案</label><textarea id=\"f-plan\" name=\"plan\" rows=\"6\">%s</textarea>",
		    form_value(r, "plan", ""));
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
	form_end(r, "保存");
	buf_puts(&r->out, "</details>");
}

static void campaigns_page_list(req *r)
{
	if (req_is_post(r)) {
		char code[64] = "";
		struct org o;
		int64_t oid = parse_id(req_form(r, "org_id"));
		if (oid && org_load(r->db, oid, &o))
			snprintf(code, sizeof code, "%s", o.code);
		struct campaign_new n = {*code ? code : NULL, req_form(r, "title"), req_form(r, "starts"), req_form(r, "ends"), req_form(r, "plan")};
		struct field_errors e = {0};
		int64_t id;
		enum dj_result res = campaign_create(r->db, &r->actor, &n, &id, &e);
		if (res == DJ_OK) {
			char to[48];
			snprintf(to, sizeof to, "/campaigns/%lld", (long long)id);
			flash_set(r, "ok", "主题活动已保存，请添加活动和任务");
			req_redirect(r, to);
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
		r->status = 422;
	}
	page_begin(r, "主题活动");
	if (authorize(r, &perm_campaign_manage, 0))
		create_form(r);
	buf_puts(&r->out,
		 "<section class=\"card\"><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>主题活动</th><th>组织</th><th>期间</th>"
		 "<th>活动</th><th>任务完成</th></tr></thead><tbody>");
	if (campaigns_each(r->db, &r->actor, list_row, r) != DJ_OK)
		r->failed = true;
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

static void task_actions(req *r, const struct campaign_task_view *t)
{
	for (size_t i = 0; i < campaign_task_transitions_n; i++) {
		const struct campaign_task_transition *tr = &campaign_task_transitions[i];
		if (strcmp(tr->from, t->state))
			continue;
		html_printf(
			&r->out,
			"<form class=\"inline\" method=\"post\" action=\"/campaigns/tasks/%lld/act/%s\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			"<button class=\"btn btn-small\" type=\"submit\">%s</button></form>",
			(long long)t->id, tr->action, layout_csrf(r), campaign_task_action_label(tr->action));
	}
}

static void task_form(req *r, int64_t aid)
{
	html_printf(
		&r->out,
		"<details class=\"task-add\"><summary>添加任务</summary><form method=\"post\" action=\"/campaigns/activities/%lld/tasks\">"
		"<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
		"<div class=\"field\"><label for=\"t%lld-title\">任务内容</label><input id=\"t%lld-title\" name=\"title\"></div>"
		"<div class=\"field\"><label for=\"t%lld-owner\">责任人</label><input id=\"t%lld-owner\" name=\"owner\"></div>"
		"<div class=\"field\"><label for=\"t%lld-deadline\">完成时限</label><input id=\"t%lld-deadline\" name=\"deadline\" type=\"date\"></div>"
		"<div class=\"field\"><label for=\"t%lld-target\">目标数（可不填）</label><input id=\"t%lld-target\" name=\"target\" "
		"inputmode=\"numeric\"></div><div class=\"field\"><label for=\"t%lld-figure\">自动统计（可不选）</label><select id=\"t%lld-figure\" "
		"name=\"figure\"><option value=\"\">不自动统计（可关联记录）</option>",
		(long long)aid, layout_csrf(r), (long long)aid, (long long)aid, (long long)aid, (long long)aid, (long long)aid, (long long)aid,
		(long long)aid, (long long)aid, (long long)aid, (long long)aid);
	size_t n;
	const struct figure **all = figures_all(&n);
	for (size_t i = 0; i < n; i++)
		if (!all[i]->snapshot)
			html_printf(&r->out, "<option value=\"%s\">%s · %s</option>", all[i]->key, all[i]->group, all[i]->label);
	free(all);
	buf_puts(&r->out, "</select></div><button class=\"btn btn-primary\" type=\"submit\">添加任务</button></form></details>");
}

static void activity_form(req *r, int64_t cid)
{
	char action[64];
	snprintf(action, sizeof action, "/campaigns/%lld/activities", (long long)cid);
	buf_puts(&r->out, "<section class=\"card\"><h2>添加活动</h2>");
	form_begin(r, action);
	form_input(r, "title", "活动名称", "text", "", NULL);
	orgs_form_select(r, "org_id", "负责部门", NULL);
	form_end(r, "添加活动");
	buf_puts(&r->out, "</section>");
}

/* The answer of a form on the overview: back to it, with the outcome (a
 * refused field is named in the message; nothing was written). */
static void back_to(req *r, int64_t cid, enum dj_result res, const struct field_errors *e, const char *ok)
{
	if (res != DJ_OK && res != DJ_INVALID && res != DJ_CONFLICT) {
		req_fail(r, res, e);
		return;
	}
	char to[48];
	snprintf(to, sizeof to, "/campaigns/%lld", (long long)cid);
	flash_set(r, res == DJ_OK ? "ok" : "error", res == DJ_OK ? ok : dj_message(res, e));
	req_redirect(r, to);
}

static void campaigns_page_activity_add(req *r)
{
	int64_t cid = req_param_id(r, "id");
	struct org o;
	int64_t oid = parse_id(req_form(r, "org_id"));
	const char *code = oid && org_load(r->db, oid, &o) ? o.code : NULL;
	struct field_errors e = {0};
	int64_t id;
	back_to(r, cid, campaign_activity_add(r->db, &r->actor, cid, req_form(r, "title"), code, "", &id, &e), &e, "活动已添加");
}

static void campaigns_page_task_add(req *r)
{
	int64_t aid = req_param_id(r, "id");
	int64_t cid = db_int1(r->db, 0, "SELECT campaign_id FROM campaign_activities WHERE id = ?", "I", aid);
	struct campaign_task_new n = {req_form(r, "title"), req_form(r, "owner"), req_form(r, "deadline"), req_form(r, "target"), req_form(r, "figure")};
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res = campaign_task_add(r->db, &r->actor, aid, &n, &id, &e);
	if (!cid)
		res = dj_fail(&e, DJ_NOT_FOUND, "活动不存在");
	back_to(r, cid, res, &e, "任务已添加");
}

static void campaigns_page_link(req *r)
{
	int64_t tid = req_param_id(r, "id");
	int64_t cid = db_int1(r->db, 0, "SELECT campaign_id FROM campaign_tasks WHERE id = ?", "I", tid);
	struct field_errors e = {0};
	const char *rid = req_form(r, "id");
	int64_t record = parse_id(rid);
	enum dj_result res;
	if (!cid)
		res = dj_fail(&e, DJ_NOT_FOUND, "任务不存在");
	else if (!record) {
		const struct campaign_link_kind *k = campaign_link_kind_find(req_form(r, "kind"));
		res = dj_fail(&e, DJ_INVALID, "%s编号应为数字", k ? k->noun : "记录");
	} else
		res = campaign_task_link(r->db, &r->actor, tid, req_form(r, "kind"), record, &e);
	back_to(r, cid, res, &e, "已关联，进度将随记录自动统计");
}

/* The implementing plan as a file: its link for whoever sees the campaign,
 * the upload form for whoever manages it. */
static void plan_file_card(req *r, int64_t cid, bool manager)
{
	struct campaign_plan_file f;
	bool has = campaign_plan_info(r->db, cid, &f);
	if (!has && !manager)
		return;
	buf_puts(&r->out, "<section class=\"card\" id=\"plan-file\"><h2>实施方案文件</h2>");
	if (has) {
		char when[20];
		fmt_time(f.uploaded_at, when);
		char size[32];
		if (f.bytes < 1024)
			snprintf(size, sizeof size, "%lld 字节", (long long)f.bytes);
		else if (f.bytes < 1024 * 1024)
			snprintf(size, sizeof size, "%.1f KB", (double)f.bytes / 1024);
		else
			snprintf(size, sizeof size, "%.1f MB", (double)f.bytes / (1024 * 1024));
		html_printf(&r->out,
			    "<p><a class=\"plan-file-link\" href=\"/campaigns/%lld/plan-file\">%s</a> <span class=\"muted\">%s · %s %s 上传</span></p>",
			    (long long)cid, f.name, size, when, f.uploaded_by);
	} else
		buf_puts(&r->out, "<p class=\"muted\">尚未上传实施方案文件</p>");
	if (manager) {
		html_printf(
			&r->out,
			"<form class=\"form\" method=\"post\" action=\"/campaigns/%lld/plan-file\" enctype=\"multipart/form-data\"><input "
			"type=\"hidden\" name=\"_csrf\" value=\"%s\"><div class=\"field\"><label for=\"f-plan-file\">%s</label><input "
			"id=\"f-plan-file\" name=\"plan_file\" type=\"file\" accept=\".pdf,.docx,.jpg,.jpeg,.png\"><p class=\"hint\">PDF、Word（.docx）"
			"或 JPEG、PNG 图片，不超过 %u MB%s</p></div><button class=\"btn\" type=\"submit\">上传</button></form>",
			(long long)cid, layout_csrf(r), has ? "换一份" : "上传实施方案", CAMPAIGN_PLAN_MAX >> 20, has ? "；新文件替换原文件" : "");
	}
	buf_puts(&r->out, "</section>");
}

/* POST /campaigns/:id/plan-file (multipart) */
static void campaigns_page_plan_upload(req *r)
{
	int64_t cid = req_param_id(r, "id");
	const kv *file = NULL;
	for (size_t i = 0; i < r->form.n && !file; i++)
		if (!strcmp(r->form.v[i].key, "plan_file") && r->form.v[i].filename && *r->form.v[i].filename)
			file = &r->form.v[i];
	struct field_errors e = {0};
	enum dj_result res = campaign_plan_upload(r->db, &r->actor, cid, file ? file->filename : NULL, file ? (const unsigned char *)file->val : NULL,
						  file ? file->len : 0, now_unix(), &e);
	back_to(r, cid, res, &e, "实施方案文件已上传");
}

/* GET /campaigns/:id/plan-file: the file as uploaded, audited */
static void campaigns_plan_download(req *r)
{
	struct campaign_plan_file f;
	unsigned char *data = NULL;
	size_t len = 0;
	struct field_errors e = {0};
	enum dj_result res = campaign_plan_download(r->db, &r->actor, req_param_id(r, "id"), &f, &data, &len, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	buf_append(&r->out, data, len);
	free(data);
	r->content_type = !strcmp(f.mime, "image/png")         ? "image/png"
			  : !strcmp(f.mime, "image/jpeg")      ? "image/jpeg"
			  : !strcmp(f.mime, "application/pdf") ? "application/pdf"
							       : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	buf cd = {0};
	buf_printf(&cd, "attachment; filename=\"plan-%lld%s\"; filename*=UTF-8''", (long long)req_param_id(r, "id"), attach_ext(f.mime));
	url_encode(&cd, f.name);
	req_set_header(r, "Content-Disposition", buf_str(&cd));
	buf_free(&cd);
	req_set_header(r, "Cache-Control", "private, no-store");
	req_set_header(r, "X-Content-Type-Options", "nosniff");
}

/* GET /campaigns/:id/overview.xlsx */
struct campaign_download {
	req *r;
	int64_t id;
};
static enum dj_result write_overview(const char *path, void *ctx, struct field_errors *e)
{
	struct campaign_download *x = ctx;
	return campaign_export(x->r->db, &x->r->actor, x->id, now_unix(), path, e);
}
static void campaigns_overview_xlsx(req *r)
{
	struct campaign c;
	struct campaign_download x = {r, req_param_id(r, "id")};
	if (!campaign_load(r->db, x.id, &c) || !campaign_visible(&r->actor, &c)) {
		struct field_errors e = {0};
		req_fail(r, dj_fail(&e, DJ_NOT_FOUND, "主题活动不存在或不在您的管辖范围内"), &e);
		return;
	}
	char ascii[64], name[400];
	snprintf(ascii, sizeof ascii, "campaign-%lld.xlsx", (long long)x.id);
	snprintf(name, sizeof name, "%s-活动概况.xlsx", c.title);
	req_send_download(r, write_overview, &x, XLSX_TYPE, ascii, name);
}

static void campaigns_page_detail(req *r)
{
	struct campaign_overview ov;
	struct field_errors e = {0};
	enum dj_result res = campaign_overview(r->db, &r->actor, req_param_id(r, "id"), now_unix(), &ov, &e);
	if (res != DJ_OK) {
		campaign_overview_free(&ov);
		req_fail(r, res, &e);
		return;
	}
	const struct campaign *c = &ov.c;
	bool manager = authorize(r, &perm_campaign_manage, 0) && actor_covers(&r->actor, c->org_path);
	page_begin(r, c->title);
	html_printf(&r->out, "<p class=\"lead\">%s · %s 至 %s · %zu 项活动</p>", c->org_name, c->starts, c->ends, ov.acts_n);
	html_printf(
		&r->out,
		"<div class=\"stats\"><div class=\"stat\"><span class=\"stat-num\" id=\"c-tasks\">%lld</span><span class=\"stat-label\">任务</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" id=\"c-done\">%lld</span><span class=\"stat-label\">已完成</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\">%lld</span><span class=\"stat-label\">进行中</span></div>"
		"<div class=\"stat\"><span class=\"stat-num\" id=\"c-overdue\">%lld</span><span class=\"stat-label\">逾期未完成</span></div></div>",
		(long long)ov.tasks_total, (long long)ov.done, (long long)ov.doing, (long long)ov.overdue);
	if (*c->plan)
		html_printf(&r->out, "<details class=\"card\"><summary>实施方案</summary><div class=\"prewrap\">%s</div></details>", c->plan);
	plan_file_card(r, c->id, manager);
	html_printf(&r->out, "<p class=\"actions\"><a class=\"btn btn-secondary\" href=\"/campaigns/%lld/overview.xlsx\">导出 Excel</a></p>",
		    (long long)c->id);
	if (ov.targets_n) {
		buf_puts(&r->out,
			 "<section class=\"card\"><h2>目标完成情况</h2><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>组织</th>"
			 "<th>指标</th><th>目标</th><th>完成</th></tr></thead><tbody>");
		for (size_t i = 0; i < ov.targets_n; i++) {
			const struct campaign_target_view *t = &ov.targets[i];
			html_printf(
				&r->out,
				"<tr><td data-label=\"组织\">%s</td><td data-label=\"指标\">%s</td><td data-label=\"目标\">%lld</td><td data-label=\"完成\">"
				"<a href=\"%s\">%lld</a>%s</td></tr>",
				t->org_name, t->label, (long long)t->target, t->href, (long long)t->reached, t->reached >= t->target ? " ✓" : "");
		}
		buf_puts(&r->out, "</tbody></table></div></section>");
	}
	volunteer_campaign_card(r, c->id, manager); /* the campaign's volunteer minimum (issue 12) */
	buf_puts(&r->out, "<section class=\"card\"><h2>按负责部门</h2><div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>负责部门</th>"
			  "<th>活动</th><th>任务</th><th>已完成</th><th>逾期</th></tr></thead><tbody>");
	for (size_t i = 0; i < ov.orgs_n; i++)
		html_printf(
			&r->out,
			"<tr><td data-label=\"负责部门\">%s</td><td data-label=\"活动\">%lld</td><td data-label=\"任务\">%lld</td><td data-label=\"已完成\">%lld</td>"
			"<td data-label=\"逾期\">%lld</td></tr>",
			ov.orgs[i].org_name, (long long)ov.orgs[i].activities, (long long)ov.orgs[i].tasks, (long long)ov.orgs[i].done,
			(long long)ov.orgs[i].overdue);
	buf_puts(&r->out, "</tbody></table></div></section>");
	for (size_t k = 0; k < ov.acts_n; k++) {
		const struct campaign_activity_view *a = &ov.acts[k];
		html_printf(
			&r->out,
			"<section class=\"card campaign-activity\" id=\"act-%lld\"><h2>%lld. %s</h2><p class=\"muted\">负责部门：%s · 任务 %lld，已完成 %lld%s</p>",
			(long long)a->id, (long long)a->seq, a->title, a->org_name, (long long)a->tasks, (long long)a->done, a->overdue ? "，有逾期" : "");
		buf_puts(&r->out, "<ul class=\"task-list\">");
		for (size_t i = 0; i < ov.tasks_n; i++) {
			const struct campaign_task_view *t = &ov.tasks[i];
			if (t->activity_id != a->id)
				continue;
			html_printf(&r->out, "<li class=\"task task-%s%s\" data-task=\"%lld\"><span class=\"badge\">%s</span>", t->state,
				    t->overdue ? " task-overdue" : "", (long long)t->id, campaign_task_state_label(t->state));
			if (t->overdue)
				buf_puts(&r->out, "<span class=\"badge badge-red\">逾期</span>");
			html_printf(&r->out, " <b>%s</b> <span class=\"muted\">责任人 %s · %s 前</span>", t->title, t->owner, t->deadline);
			if (*t->figure || t->links || t->has_target) {
				const struct figure *f = *t->figure ? figure_find(t->figure) : NULL;
				html_printf(&r->out, " <span class=\"task-progress\" data-progress=\"%lld\">进度 %lld", (long long)t->progress,
					    (long long)t->progress);
				if (t->has_target)
					html_printf(&r->out, " / %lld", (long long)t->target);
				if (f)
					html_printf(&r->out, "（自动统计：%s）", f->label);
				else if (t->links)
					html_printf(&r->out, "（关联 %lld 条记录，自动统计）", (long long)t->links);
				buf_puts(&r->out, "</span>");
			}
			task_actions(r, t);
			if (!*t->figure) {
				/* the kinds a task links (campaign_link_kinds): an order, a
				 * volunteer activity, a meeting, a lesson order, by number */
				html_printf(
					&r->out,
					"<details class=\"task-link\"><summary>关联记录</summary><form class=\"link-form\" method=\"post\" "
					"action=\"/campaigns/tasks/%lld/links\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\"><label class=\"sr-only\" "
					"for=\"k-%lld\">记录类型</label><select id=\"k-%lld\" name=\"kind\">",
					(long long)t->id, layout_csrf(r), (long long)t->id, (long long)t->id);
				for (size_t j = 0; j < campaign_link_kinds_n; j++)
					html_printf(&r->out, "<option value=\"%s\">%s</option>", campaign_link_kinds[j].kind,
						    campaign_link_kinds[j].label);
				html_printf(
					&r->out,
					"</select><label class=\"sr-only\" for=\"l-%lld\">关联记录编号</label><input id=\"l-%lld\" name=\"id\" "
					"inputmode=\"numeric\" size=\"6\" placeholder=\"编号\"><button class=\"btn btn-small\" type=\"submit\">关联</button></form></details>",
					(long long)t->id, (long long)t->id);
			}
			buf_puts(&r->out, "</li>");
		}
		buf_puts(&r->out, "</ul>");
		if (manager)
			task_form(r, a->id);
		buf_puts(&r->out, "</section>");
	}
	if (manager)
		activity_form(r, c->id);
	campaign_overview_free(&ov);
	page_end(r);
}

static void campaigns_page_task_act(req *r)
{
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id");
	enum dj_result res = campaign_task_act(r->db, &r->actor, id, req_param(r, "action"), now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	int64_t cid = db_int1(r->db, 0, "SELECT campaign_id FROM campaign_tasks WHERE id = ?", "I", id);
	char to[64];
	snprintf(to, sizeof to, "/campaigns/%lld", (long long)cid);
	flash_set(r, "ok", "任务状态已更新");
	req_redirect(r, to);
}

/* ---- the API ---- */

static void overview_json(req *r, int status, int64_t id)
{
	struct campaign_overview ov;
	struct field_errors e = {0};
	enum dj_result res = campaign_overview(r->db, &r->actor, id, now_unix(), &ov, &e);
	if (res != DJ_OK) {
		campaign_overview_free(&ov);
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "id", ov.c.id);
	jw_kstr(&w, "title", ov.c.title);
	jw_kstr(&w, "org", ov.c.org_code);
	jw_kstr(&w, "starts", ov.c.starts);
	jw_kstr(&w, "ends", ov.c.ends);
	jw_kstr(&w, "plan", ov.c.plan);
	struct campaign_plan_file pf;
	if (campaign_plan_info(r->db, ov.c.id, &pf)) {
		char href[64];
		snprintf(href, sizeof href, "/campaigns/%lld/plan-file", (long long)ov.c.id);
		jw_key(&w, "plan_file");
		jw_obj(&w);
		jw_kstr(&w, "name", pf.name);
		jw_kstr(&w, "type", pf.mime);
		jw_kint(&w, "bytes", pf.bytes);
		jw_kstr(&w, "href", href);
		jw_end(&w);
	}
	jw_kint(&w, "tasks", ov.tasks_total);
	jw_kint(&w, "done", ov.done);
	jw_kint(&w, "doing", ov.doing);
	jw_kint(&w, "todo", ov.todo);
	jw_kint(&w, "overdue", ov.overdue);
	jw_key(&w, "activities");
	jw_arr(&w);
	for (size_t k = 0; k < ov.acts_n; k++) {
		const struct campaign_activity_view *a = &ov.acts[k];
		jw_obj(&w);
		jw_kint(&w, "id", a->id);
		jw_kint(&w, "seq", a->seq);
		jw_kstr(&w, "title", a->title);
		jw_kstr(&w, "org", a->org_code);
		jw_kstr(&w, "org_name", a->org_name);
		jw_kint(&w, "tasks", a->tasks);
		jw_kint(&w, "done", a->done);
		jw_kint(&w, "overdue", a->overdue);
		jw_key(&w, "task_list");
		jw_arr(&w);
		for (size_t i = 0; i < ov.tasks_n; i++) {
			const struct campaign_task_view *t = &ov.tasks[i];
			if (t->activity_id != a->id)
				continue;
			jw_obj(&w);
			jw_kint(&w, "id", t->id);
			jw_kstr(&w, "title", t->title);
			jw_kstr(&w, "owner", t->owner);
			jw_kstr(&w, "deadline", t->deadline);
			jw_kstr(&w, "state", t->state);
			jw_kbool(&w, "overdue", t->overdue);
			jw_key(&w, "target");
			if (t->has_target)
				jw_int(&w, t->target);
			else
				jw_null(&w);
			jw_kstr(&w, "figure", *t->figure ? t->figure : NULL);
			jw_kint(&w, "links", t->links);
			jw_kint(&w, "progress", t->progress);
			jw_end(&w);
		}
		jw_aend(&w);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_key(&w, "targets");
	jw_arr(&w);
	for (size_t i = 0; i < ov.targets_n; i++) {
		jw_obj(&w);
		jw_kstr(&w, "org", ov.targets[i].org_code);
		jw_kstr(&w, "figure", ov.targets[i].figure);
		jw_kint(&w, "target", ov.targets[i].target);
		jw_kint(&w, "reached", ov.targets[i].reached);
		jw_kstr(&w, "href", ov.targets[i].href);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_key(&w, "by_org");
	jw_arr(&w);
	for (size_t i = 0; i < ov.orgs_n; i++) {
		jw_obj(&w);
		jw_kstr(&w, "org", ov.orgs[i].org_code);
		jw_kint(&w, "activities", ov.orgs[i].activities);
		jw_kint(&w, "tasks", ov.orgs[i].tasks);
		jw_kint(&w, "done", ov.orgs[i].done);
		jw_kint(&w, "overdue", ov.orgs[i].overdue);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_end(&w);
	campaign_overview_free(&ov);
}

static void api_get(req *r) { overview_json(r, 200, req_param_id(r, "id")); }

static void created(req *r, int64_t id)
{
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "id", id);
	jw_end(&w);
}

/* A target as the client sent it: a number or text (checked by the domain). */
static const char *target_text(json_t *v, char out[32])
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_integer(v))
		snprintf(out, 32, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		snprintf(out, 32, "%.31s", json_string_value(v));
	else
		snprintf(out, 32, "?");
	return out;
}

static const struct json_field campaign_fields[] = {
	{"org", "组织", false, 's', NULL},      {"title", "活动名称", false, 's', NULL}, {"starts", "开始日期", false, 's', NULL},
	{"ends", "结束日期", false, 's', NULL}, {"plan", "实施方案", false, 's', NULL},  {NULL, NULL, false, 0, NULL},
};
static void api_create(req *r)
{
	struct campaign_new n = {0};
	if (!req_json_unpack(r, campaign_fields, false, "{s?s, s?s, s?s, s?s, s?s}", "org", &n.org, "title", &n.title, "starts", &n.starts, "ends",
			     &n.ends, "plan", &n.plan))
		return;
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res = campaign_create(r->db, &r->actor, &n, &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	created(r, id);
}

static const struct json_field activity_fields[] = {
	{"title", "活动名称", false, 's', NULL},
	{"org", "负责部门", false, 's', NULL},
	{"note", "说明", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};
static void api_activity(req *r)
{
	const char *title = NULL, *org = NULL, *note = NULL;
	if (!req_json_unpack(r, activity_fields, false, "{s?s, s?s, s?s}", "title", &title, "org", &org, "note", &note))
		return;
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res = campaign_activity_add(r->db, &r->actor, req_param_id(r, "id"), title, org, note, &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	created(r, id);
}

static const struct json_field task_fields[] = {
	{"title", "任务内容", false, 's', NULL}, {"owner", "责任人", false, 's', NULL},    {"deadline", "完成时限", false, 's', NULL},
	{"target", "目标数", false, 'o', NULL},  {"figure", "统计指标", false, 's', NULL}, {NULL, NULL, false, 0, NULL},
};
static void api_task(req *r)
{
	struct campaign_task_new n = {0};
	json_t *target = NULL;
	if (!req_json_unpack(r, task_fields, false, "{s?s, s?s, s?s, s?o, s?s}", "title", &n.title, "owner", &n.owner, "deadline", &n.deadline, "target",
			     &target, "figure", &n.figure))
		return;
	char t[32];
	n.target = target_text(target, t);
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res = campaign_task_add(r->db, &r->actor, req_param_id(r, "id"), &n, &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	created(r, id);
}

static void api_task_act(req *r)
{
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id");
	enum dj_result res = campaign_task_act(r->db, &r->actor, id, req_param(r, "action"), now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "id", id);
	jw_kint(&w, "progress", campaign_task_progress(r->db, id, now_unix()));
	jw_end(&w);
}

static const struct json_field link_fields[] = {
	{"kind", "记录类型", true, 's', NULL},
	{"id", "记录编号", true, 'I', NULL},
	{NULL, NULL, false, 0, NULL},
};
static void api_task_link(req *r)
{
	const char *kind = NULL;
	json_int_t rid = 0;
	if (!req_json_unpack(r, link_fields, false, "{s:s, s:I}", "kind", &kind, "id", &rid))
		return;
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id");
	enum dj_result res = campaign_task_link(r->db, &r->actor, id, kind, (int64_t)rid, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "id", id);
	jw_kint(&w, "progress", campaign_task_progress(r->db, id, now_unix()));
	jw_end(&w);
}

static const struct json_field target_fields[] = {
	{"org", "组织", false, 's', NULL},
	{"figure", "统计指标", false, 's', NULL},
	{"target", "目标数", false, 'o', NULL},
	{NULL, NULL, false, 0, NULL},
};
static void api_target(req *r)
{
	const char *org = NULL, *figure = NULL;
	json_t *target = NULL;
	if (!req_json_unpack(r, target_fields, false, "{s?s, s?s, s?o}", "org", &org, "figure", &figure, "target", &target))
		return;
	char t[32];
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id");
	enum dj_result res = campaign_target_set(r->db, &r->actor, id, org, figure, target_text(target, t), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	overview_json(r, 200, id);
}

static void api_list_row(void *ctx, const struct campaign_row *c)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kstr(w, "title", c->title);
	jw_kstr(w, "org_name", c->org_name);
	jw_kstr(w, "starts", c->starts);
	jw_kstr(w, "ends", c->ends);
	jw_kint(w, "activities", c->activities);
	jw_kint(w, "tasks", c->tasks);
	jw_kint(w, "done", c->done);
	jw_end(w);
}
static void api_list(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "campaigns");
	jw_arr(&w);
	if (campaigns_each(r->db, &r->actor, api_list_row, &w) != DJ_OK)
		r->failed = true;
	jw_aend(&w);
	jw_end(&w);
}

/* ---- the module record (module.h) ---- */
static const route campaigns_routes[] = {
	{"GET", "/campaigns", campaigns_page_list, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "campaigns"},
	{"POST", "/campaigns", campaigns_page_list, R_ADMIN | R_COMMITTEE, 0, 16 * KiB, "campaigns"},
	{"GET", "/campaigns/:id", campaigns_page_detail, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "campaign"},
	{"POST", "/campaigns/:id/plan-file", campaigns_page_plan_upload, R_ADMIN | R_COMMITTEE, 0, 7 * 1024 * KiB, "campaign_plan_upload"},
	{"GET", "/campaigns/:id/plan-file", campaigns_plan_download, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_WRITE, 0, "campaign_plan_file"},
	{"GET", "/campaigns/:id/overview.xlsx", campaigns_overview_xlsx, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_WRITE, 0, "campaign_export"},
	{"POST", "/campaigns/:id/activities", campaigns_page_activity_add, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "campaign_activity_add"},
	{"POST", "/campaigns/activities/:id/tasks", campaigns_page_task_add, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "campaign_task_add"},
	{"POST", "/campaigns/tasks/:id/links", campaigns_page_link, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 4 * KiB, "campaign_task_link"},
	{"POST", "/campaigns/tasks/:id/act/:action", campaigns_page_task_act, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 4 * KiB, "campaign_task_act"},
	{"GET", "/api/v1/campaigns", api_list, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_API, 0, "api_campaigns"},
	{"POST", "/api/v1/campaigns", api_create, R_ADMIN | R_COMMITTEE, RF_API, 16 * KiB, "api_campaigns"},
	{"GET", "/api/v1/campaigns/:id", api_get, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_API, 0, "api_campaign"},
	{"POST", "/api/v1/campaigns/:id/activities", api_activity, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_campaign_activities"},
	{"POST", "/api/v1/campaigns/:id/targets", api_target, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_campaign_targets"},
	{"POST", "/api/v1/campaign-activities/:id/tasks", api_task, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_campaign_tasks"},
	{"POST", "/api/v1/campaign-tasks/:id/actions/:action", api_task_act, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_API, 4 * KiB,
	 "api_campaign_task_action"},
	{"POST", "/api/v1/campaign-tasks/:id/links", api_task_link, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_API, 4 * KiB, "api_campaign_task_links"},
};
static const struct nav_entry campaigns_nav[] = {
	{"/campaigns", "主题活动", R_ADMIN | R_COMMITTEE | R_BRANCH, 23, NAV_LIFE},
};
static const struct entity_link campaigns_entities[] = {{"campaign", "/campaigns/"}};
static const struct permission *const campaigns_perms[] = {&perm_campaign_view, &perm_campaign_manage};
const struct module campaigns_module = {
	.name = "campaigns",
	.routes = campaigns_routes,
	.routes_n = COUNT_OF(campaigns_routes),
	.nav = campaigns_nav,
	.nav_n = COUNT_OF(campaigns_nav),
	.permissions = campaigns_perms,
	.permissions_n = COUNT_OF(campaigns_perms),
	.entities = campaigns_entities,
	.entities_n = COUNT_OF(campaigns_entities),
	.demo = demo_campaigns,
};
