/* import_web — importing a roster (花名册) from .xlsx/.csv (SPEC M1, §5), in
 * two steps: upload → a preview listing every bad row (行号, 列, 原因) →
 * confirm, which checks the rows again and writes them all in one
 * transaction, or none. Between the steps the normalised rows wait in
 * import_batches under a random token, for their uploader only, one use,
 * for IMPORT_BATCH_TTL; once imported the stored copy of the rows is erased. */
#include "import_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "import.h"
#include "layout.h"
#include "orgs.h"
#include "orgs_web.h"
#include "sheet.h"
#include "util.h"
#include "web.h"
#include "valid.h"

#define PREVIEW_ROWS 20

static void upload_form(req *r, const char *org_selected)
{
	html_printf(&r->out,
		    "<form class=\"form\" method=\"post\" action=\"/members/import\" enctype=\"multipart/form-data\" novalidate>"
		    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">",
		    layout_csrf(r));
	orgs_form_select(r, "org", "导入到哪个组织（文件中没有“组织编码”列，或某行未填写时）", org_selected);
	const char *err = form_error_for(r, "file");
	html_printf(&r->out,
		    "<div class=\"field%s\"><label for=\"f-file\">花名册文件</label>"
		    "<input id=\"f-file\" name=\"file\" type=\"file\" accept=\".xlsx,.csv,.txt\"%s>",
		    err ? " has-error" : "", err ? " aria-invalid=\"true\"" : "");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p></div>", err);
	else
		html_printf(&r->out, "<p class=\"field-hint\">.xlsx 或 .csv（UTF-8 或 GBK 编码均可），不超过 %u MiB、%d 行</p></div>",
			    SHEET_MAX_FILE >> 20, SHEET_MAX_ROWS);
	form_end(r, "上传并预览");
}

static void help_card(req *r)
{
	html_printf(&r->out, "<section class=\"card\"><h2 class=\"card-title\">文件格式</h2>"
			     "<p>表头一行写明各列（其上可以有标题行），之后每行一名党员。必需的列：<strong>姓名、身份证号、入党日期</strong>。"
			     "可选的列：性别、民族、出生日期、学历、手机号、住址、转正日期、党员类别（正式/预备）、党籍状态（正常/离退休/流动/停止党籍）、"
			     "组织编码（或所在党组织名称）、在职党员（是/否）、报到社区、职务（用顿号分隔，如“书记、网格员”）。</p>"
			     "<p>性别和出生日期可由身份证号得出；日期可写作 1990-03-07、1990/3/7 或 1990年3月7日。"
			     "有任何一行不合格时，整个文件都不会导入，请按预览中列出的行号修改后重新上传。</p>"
			     "<p><a href=\"/members/import/template.csv\">下载表头模板（CSV）</a></p></section>");
}

static void form_page(req *r, const char *org_selected)
{
	page_begin(r, "导入党员花名册");
	buf_puts(&r->out, "<div class=\"breadcrumbs\"><a href=\"/members\">党员花名册</a> › <span>导入</span></div>");
	buf_puts(&r->out, "<section class=\"card\">");
	upload_form(r, org_selected);
	buf_puts(&r->out, "</section>");
	help_card(r);
	page_end(r);
}

void import_page_form(req *r)
{
	char org[24];
	snprintf(org, sizeof org, "%lld", (long long)r->actor.org_id);
	form_page(r, org);
}

void import_template_csv(req *r)
{
	r->content_type = "text/csv; charset=utf-8";
	req_set_header(
		r, "Content-Disposition",
		"attachment; filename=\"members-template.csv\"; filename*=UTF-8''%E5%85%9A%E5%91%98%E8%8A%B1%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.csv");
	buf_puts(&r->out, "\xef\xbb\xbf"); /* Excel reads UTF-8 only with a BOM */
	for (int f = 0; member_fields[f]; f++)
		buf_printf(&r->out, "%s%s", f ? "," : "", import_field_label(member_fields[f]));
	buf_puts(&r->out, "\r\n");
}

/* Counts, the table of problems, and the first good rows. */
static void report(req *r, const struct import *im)
{
	if (im->file_error[0]) {
		html_printf(&r->out, "<div class=\"form-error\" role=\"alert\">%s：%s</div>", im->filename, im->file_error);
		return;
	}
	html_printf(&r->out,
		    "<div class=\"stats\"><div class=\"stat\"><span class=\"stat-num\">%d</span><span class=\"stat-label\">数据行</span></div>"
		    "<div class=\"stat\"><span class=\"stat-num\">%d</span><span class=\"stat-label\">有问题的行</span></div>"
		    "<div class=\"stat\"><span class=\"stat-num\">%zu</span><span class=\"stat-label\">可以导入</span></div></div>",
		    im->rows, im->bad_rows, im->ngood);
	html_printf(&r->out, "<p class=\"muted\">文件：%s（%s）</p>", im->filename, im->encoding ? im->encoding : "");
	if (im->ignored[0])
		html_printf(&r->out, "<p class=\"muted\">不认识的列已忽略：%s</p>", im->ignored);
	if (im->bad_rows) {
		html_printf(&r->out, "<div class=\"form-error\" role=\"alert\">有 %d 行不合格，未导入任何数据。请按下表修改文件后重新上传。</div>",
			    im->bad_rows);
		buf_puts(
			&r->out,
			"<div class=\"table-wrap\"><table class=\"table\" id=\"import-problems\"><thead><tr><th>行号</th><th>列</th><th>原因</th></tr></thead><tbody>");
		for (size_t i = 0; i < im->nproblems; i++)
			html_printf(&r->out, "<tr><td>%d</td><td>%s</td><td>%s</td></tr>", im->problems[i].row, im->problems[i].column,
				    im->problems[i].reason);
		buf_puts(&r->out, "</tbody></table></div>");
		if (im->problems_total > im->nproblems)
			html_printf(&r->out, "<p class=\"muted\">另有 %zu 个问题未列出。</p>", im->problems_total - im->nproblems);
	}
	if (!im->ngood)
		return;
	html_printf(&r->out, "<h2 class=\"card-title\">%s（前 %d 行）</h2>", im->bad_rows ? "合格的行" : "将导入的党员",
		    (int)(im->ngood < PREVIEW_ROWS ? im->ngood : PREVIEW_ROWS));
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\" id=\"import-preview\"><thead><tr><th>行号</th><th>姓名</th><th>性别</th>"
			  "<th>出生日期</th><th>身份证号</th><th>手机号</th><th>入党日期</th><th>类别</th><th>所在组织</th></tr></thead><tbody>");
	for (size_t i = 0; i < im->ngood && i < PREVIEW_ROWS; i++) {
		const struct member *m = &im->good[i].m;
		char id[24], phone[24];
		mask_idcard(m->id_number, id);
		mask_phone(m->phone, phone);
		struct org o;
		html_printf(&r->out, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
			    im->good[i].line, m->name, m->gender, m->birth_date, id, phone, m->join_date, member_category_label(m->category),
			    org_load(r->db, m->org_id, &o) ? o.name : "");
	}
	buf_puts(&r->out, "</tbody></table></div>");
}

void import_page_preview(req *r)
{
	/* RF_OWNTX: the file is read and checked in a read transaction; only a good batch takes the write lock. */
	const char *org_s = req_form(r, "org");
	int64_t org = parse_id(org_s);
	const kv *file = req_form_kv(r, "file");
	if (!org || !authorize(r, &perm_member_edit, org))
		form_error(r, "org", "请选择导入到哪个组织");
	if (!file || !file->filename || !file->len)
		form_error(r, "file", "请选择要导入的 .xlsx 或 .csv 文件");
	else if (file->len > SHEET_MAX_FILE)
		form_error(r, "file", "文件大小超过 10 MiB 的上限");
	if (form_has_errors(r)) {
		form_page(r, org_s);
		r->status = 422;
		return;
	}
	struct import im;
	import_init(&im, org, actor_scope(&r->actor), file->filename);
	if (db_begin(r->db, false) != DB_OK) {
		req_error(r, 503, "db_busy", "系统繁忙，请稍后再试");
		import_free(&im);
		return;
	}
	import_check_file(r->db, &im, file->val, file->len);
	db_rollback(r->db); /* nothing was written */

	char token[IMPORT_TOKEN_SIZE] = "";
	if (import_ok(&im)) {
		if (db_begin(r->db, true) != DB_OK || import_batch_save(r->db, &r->actor, &im, token) != DJ_OK) {
			import_free(&im);
			r->failed = true;
			req_error(r, 503, "db_busy", "保存预览失败，请稍后再试");
			return;
		}
	}
	page_begin(r, "导入预览");
	buf_puts(&r->out,
		 "<div class=\"breadcrumbs\"><a href=\"/members\">党员花名册</a> › <a href=\"/members/import\">导入</a> › <span>预览</span></div>");
	buf_puts(&r->out, "<section class=\"card\">");
	report(r, &im);
	if (*token) {
		html_printf(&r->out,
			    "<form class=\"form\" method=\"post\" action=\"/members/import/%s/confirm\">"
			    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">确认导入 %zu 名党员</button>"
			    " <a class=\"btn\" href=\"/members/import\">取消</a></div></form>",
			    token, layout_csrf(r), im.ngood);
	}
	buf_puts(&r->out, "</section>");
	if (!*token) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">重新上传</h2>");
		char o[24];
		snprintf(o, sizeof o, "%lld", (long long)org);
		upload_form(r, o);
		buf_puts(&r->out, "</section>");
		help_card(r);
		r->status = 422;
	}
	page_end(r);
	import_free(&im);
}

void import_page_confirm(req *r)
{
	struct import_batch b;
	/* someone else's batch looks like no batch */
	if (import_batch_load(r->db, &r->actor, req_param(r, "token"), &b) != DJ_OK || !authorize(r, &perm_member_edit, b.org_id)) {
		import_batch_free(&b);
		req_error(r, 404, "not_found", "导入批次不存在，或不是您上传的");
		return;
	}
	if (b.state == IMPORT_BATCH_DONE) {
		import_batch_free(&b);
		req_error(r, 409, "done", "这批数据已经导入过了，不能重复导入");
		return;
	}
	if (b.state == IMPORT_BATCH_EXPIRED) {
		import_batch_free(&b);
		req_error(r, 410, "expired", "预览已超过 24 小时，请重新上传文件");
		return;
	}
	/* one use: a second confirm (a double click, another tab) finds it done */
	if (import_batch_take(r->db, &r->actor, b.id) != DJ_OK) {
		import_batch_free(&b);
		req_error(r, 409, "done", "这批数据已经导入过了，不能重复导入");
		return;
	}
	struct import im;
	import_init(&im, b.org_id, actor_scope(&r->actor), b.filename);
	import_check_batch(r->db, &im, b.content);
	import_batch_free(&b);
	if (!import_ok(&im)) {
		r->failed = true; /* nothing is written, and the batch stays usable */
		page_begin(r, "导入未完成");
		buf_puts(
			&r->out,
			"<section class=\"card\"><div class=\"form-error\" role=\"alert\">自预览以来数据有了变化，下列行已不能导入，未导入任何数据。</div>");
		report(r, &im);
		buf_puts(&r->out, "<p><a class=\"btn\" href=\"/members/import\">重新上传</a></p></section>");
		page_end(r);
		r->status = 409;
		import_free(&im);
		return;
	}
	struct field_errors e = {0};
	int64_t n = 0;
	enum dj_result res = import_commit(r->db, &r->actor, &im, &n, &e);
	if (res != DJ_OK) {
		r->failed = true;
		import_free(&im);
		if (res == DJ_DB_ERROR)
			req_error(r, 503, "db_error", "保存失败，未导入任何数据，请稍后再试");
		else
			req_fail(r, res, &e);
		return;
	}
	char msg[100];
	snprintf(msg, sizeof msg, "已导入 %lld 名党员", (long long)n);
	flash_set(r, "ok", msg);
	req_redirect(r, "/members");
	import_free(&im);
}
