/* campaigns_export — a campaign's implementing plan (实施方案) as an
 * attachment, and its overview as .xlsx (SPEC M10, issue 17). See
 * campaigns.h. The files are kept like the exemplars' evidence (attach.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "attach.h"
#include "audit.h"
#include "campaigns.h"
#include "util.h"

#define PLAN_KINDS (ATTACH_PDF | ATTACH_DOCX | ATTACH_IMAGE)

/* The campaign the actor manages (the same rule as campaigns.c's writes). */
static enum dj_result plan_managed(db *d, const struct actor *a, int64_t id, struct campaign *c, struct field_errors *e)
{
	if (!campaign_load(d, id, c) || !campaign_visible(a, c))
		return dj_fail(e, DJ_NOT_FOUND, "主题活动不存在或不在您的管辖范围内");
	if (!permission_allows(&perm_campaign_manage, a) || !actor_covers(a, c->org_path))
		return dj_fail(e, DJ_FORBIDDEN, "只有制定本次活动的党委可以修改活动");
	return DJ_OK;
}

enum dj_result campaign_plan_upload(db *d, const struct actor *a, int64_t campaign_id, const char *name, const unsigned char *data, size_t len,
				    int64_t now, struct field_errors *e)
{
	struct campaign c;
	enum dj_result res = plan_managed(d, a, campaign_id, &c, e);
	if (res != DJ_OK)
		return res;
	const char *mime = data && len ? attach_sniff(data, len, PLAN_KINDS) : NULL;
	if (!data || !len)
		ferr_add(e, "plan_file", "请选择实施方案文件");
	else if (len > CAMPAIGN_PLAN_MAX)
		ferr_add(e, "plan_file", "实施方案文件不能超过 %u MB（这个有 %.1f MB）", CAMPAIGN_PLAN_MAX >> 20, (double)len / (1 << 20));
	else if (!mime)
		ferr_add(e, "plan_file", "实施方案须为 PDF、Word（.docx）文档或 JPEG、PNG 图片");
	if (e->n)
		return DJ_INVALID;
	char shown[128];
	attach_name(name, "实施方案", shown);
	char *b64 = attach_b64(data, len);
	if (!b64)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	int rc = db_run(d, "DELETE FROM campaign_plan_files WHERE campaign_id = ?", "I", campaign_id);
	if (rc == DB_OK)
		rc = db_run(d,
			    "INSERT INTO campaign_plan_files (campaign_id, filename, mime, data, bytes, uploaded_by, uploaded_at) "
			    "VALUES (?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?)",
			    "ItttIII", campaign_id, shown, mime, b64, (int64_t)len, a->user_id, now);
	free(b64);
	char sum[512];
	snprintf(sum, sizeof sum, "%.200s：实施方案 %s（%lld 字节）", c.title, shown, (long long)len);
	if (rc != DB_OK || audit_write(d, a, "campaign.plan_upload", "campaign", campaign_id, c.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

static bool plan_row(db *d, int64_t campaign_id, struct campaign_plan_file *f, char **b64)
{
	memset(f, 0, sizeof *f);
	db_stmt *s = db_query(d,
			      "SELECT p.filename, p.mime, p.bytes, p.uploaded_at, COALESCE(u.name, ''), p.data FROM campaign_plan_files p "
			      "LEFT JOIN users u ON u.id = p.uploaded_by WHERE p.campaign_id = ?",
			      "I", campaign_id);
	bool ok = db_next(s);
	if (ok) {
		snprintf(f->name, sizeof f->name, "%s", db_str(s, 0));
		snprintf(f->mime, sizeof f->mime, "%s", db_str(s, 1));
		f->bytes = db_int(s, 2), f->uploaded_at = db_int(s, 3);
		snprintf(f->uploaded_by, sizeof f->uploaded_by, "%s", db_str(s, 4));
		if (b64)
			*b64 = strdup(db_str(s, 5));
	}
	return db_done(s) == DB_OK && ok;
}

bool campaign_plan_info(db *d, int64_t campaign_id, struct campaign_plan_file *f) { return plan_row(d, campaign_id, f, NULL); }

enum dj_result campaign_plan_download(db *d, const struct actor *a, int64_t campaign_id, struct campaign_plan_file *f, unsigned char **out, size_t *len,
				      struct field_errors *e)
{
	*out = NULL, *len = 0;
	struct campaign c;
	if (!permission_allows(&perm_campaign_view, a) || !campaign_load(d, campaign_id, &c) || !campaign_visible(a, &c))
		return dj_fail(e, DJ_NOT_FOUND, "主题活动不存在或不在您的管辖范围内");
	char *b64 = NULL;
	if (!plan_row(d, campaign_id, f, &b64)) {
		free(b64);
		return dj_fail(e, DJ_NOT_FOUND, "这次活动没有上传实施方案文件");
	}
	*out = b64 ? attach_unb64(b64, (size_t)f->bytes, len) : NULL;
	free(b64);
	if (!*out)
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	char sum[512];
	snprintf(sum, sizeof sum, "%.200s：下载实施方案 %s", c.title, f->name);
	if (audit_write(d, a, "campaign.plan_download", "campaign", campaign_id, c.org_id, sum) != DB_OK) {
		free(*out);
		*out = NULL;
		return dj_fail(e, DJ_DB_ERROR, "读取失败，请稍后再试");
	}
	return DJ_OK;
}

/* ---- the overview as .xlsx ---- */

static void header(lxw_worksheet *ws, lxw_format *bold, const char *const *cols)
{
	for (lxw_col_t i = 0; cols[i]; i++) {
		worksheet_write_string(ws, 0, i, cols[i], bold);
		worksheet_set_column(ws, i, i, i == 1 ? 30 : 14, NULL);
	}
}

enum dj_result campaign_export(db *d, const struct actor *a, int64_t campaign_id, int64_t now, const char *path, struct field_errors *e)
{
	if (!permission_allows(&perm_campaign_view, a))
		return dj_fail(e, DJ_NOT_FOUND, "主题活动不存在或不在您的管辖范围内");
	struct campaign_overview ov;
	enum dj_result res = campaign_overview(d, a, campaign_id, now, &ov, e);
	if (res != DJ_OK) {
		campaign_overview_free(&ov);
		return res;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600); /* 0600 before anything is in it */
	lxw_workbook *wb = NULL;
	if (fd >= 0) {
		close(fd);
		wb = workbook_new(path);
	}
	if (!wb) {
		campaign_overview_free(&ov);
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	}
	lxw_doc_properties props = {.title = ov.c.title, .author = "dangjian"};
	workbook_set_properties(wb, &props);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);

	/* 封面: what the campaign is and where it stands */
	lxw_worksheet *ws = workbook_add_worksheet(wb, "概况");
	worksheet_set_column(ws, 0, 0, 16, NULL);
	worksheet_set_column(ws, 1, 1, 44, NULL);
	char when[20], period[40];
	fmt_time(now, when);
	snprintf(period, sizeof period, "%s 至 %s", ov.c.starts, ov.c.ends);
	const char *texts[][2] = {{"主题活动", ov.c.title}, {"组织", ov.c.org_name}, {"活动期间", period}, {"导出时间", when}, {"导出人", a->label}};
	lxw_row_t row = 0;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++, row++) {
		worksheet_write_string(ws, row, 0, texts[i][0], bold);
		worksheet_write_string(ws, row, 1, texts[i][1], NULL);
	}
	const struct {
		const char *label;
		int64_t v;
	} nums[] = {{"活动", (int64_t)ov.acts_n}, {"任务", ov.tasks_total}, {"已完成", ov.done},
		    {"进行中", ov.doing},         {"未开始", ov.todo},      {"逾期", ov.overdue}};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++, row++) {
		worksheet_write_string(ws, row, 0, nums[i].label, bold);
		worksheet_write_number(ws, row, 1, (double)nums[i].v, NULL);
	}

	/* 活动: each with its responsible org, tasks, done and overdue */
	ws = workbook_add_worksheet(wb, "活动");
	header(ws, bold, (const char *const[]){"序号", "活动", "负责部门", "任务", "已完成", "逾期", NULL});
	for (size_t i = 0; i < ov.acts_n; i++) {
		const struct campaign_activity_view *v = &ov.acts[i];
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_number(ws, r, 0, (double)v->seq, NULL);
		worksheet_write_string(ws, r, 1, v->title, NULL);
		worksheet_write_string(ws, r, 2, v->org_name, NULL);
		worksheet_write_number(ws, r, 3, (double)v->tasks, NULL);
		worksheet_write_number(ws, r, 4, (double)v->done, NULL);
		worksheet_write_number(ws, r, 5, (double)v->overdue, NULL);
	}

	/* 任务清单 */
	ws = workbook_add_worksheet(wb, "任务清单");
	header(ws, bold, (const char *const[]){"活动", "任务", "责任人", "完成时限", "状态", "逾期", "目标", "完成数", "统计指标", NULL});
	for (size_t i = 0; i < ov.tasks_n; i++) {
		const struct campaign_task_view *t = &ov.tasks[i];
		const char *act = "";
		for (size_t k = 0; k < ov.acts_n; k++)
			if (ov.acts[k].id == t->activity_id)
				act = ov.acts[k].title;
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, r, 0, act, NULL);
		worksheet_write_string(ws, r, 1, t->title, NULL);
		worksheet_write_string(ws, r, 2, t->owner, NULL);
		worksheet_write_string(ws, r, 3, t->deadline, NULL);
		worksheet_write_string(ws, r, 4, campaign_task_state_label(t->state), NULL);
		worksheet_write_string(ws, r, 5, t->overdue ? "逾期" : "", NULL);
		if (t->has_target)
			worksheet_write_number(ws, r, 6, (double)t->target, NULL);
		if (*t->figure || t->links)
			worksheet_write_number(ws, r, 7, (double)t->progress, NULL);
		worksheet_write_string(ws, r, 8, t->figure, NULL);
	}

	/* 目标完成: each org's figure against its target */
	ws = workbook_add_worksheet(wb, "目标完成");
	header(ws, bold, (const char *const[]){"组织", "指标", "代码", "目标", "已完成", NULL});
	for (size_t i = 0; i < ov.targets_n; i++) {
		const struct campaign_target_view *t = &ov.targets[i];
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, r, 0, t->org_name, NULL);
		worksheet_write_string(ws, r, 1, t->label, NULL);
		worksheet_write_string(ws, r, 2, t->figure, NULL);
		worksheet_write_number(ws, r, 3, (double)t->target, NULL);
		worksheet_write_number(ws, r, 4, (double)t->reached, NULL);
	}

	/* 按负责部门 */
	ws = workbook_add_worksheet(wb, "按负责部门");
	header(ws, bold, (const char *const[]){"负责部门", "活动", "任务", "已完成", "逾期", NULL});
	for (size_t i = 0; i < ov.orgs_n; i++) {
		const struct campaign_org_view *o = &ov.orgs[i];
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, r, 0, o->org_name, NULL);
		worksheet_write_number(ws, r, 1, (double)o->activities, NULL);
		worksheet_write_number(ws, r, 2, (double)o->tasks, NULL);
		worksheet_write_number(ws, r, 3, (double)o->done, NULL);
		worksheet_write_number(ws, r, 4, (double)o->overdue, NULL);
	}
	lxw_error err = workbook_close(wb);
	char sum[512];
	snprintf(sum, sizeof sum, "%.200s：导出活动概况", ov.c.title);
	int64_t org_id = ov.c.org_id;
	campaign_overview_free(&ov);
	if (err != LXW_NO_ERROR)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	if (audit_write(d, a, "campaign.export", "campaign", campaign_id, org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	return DJ_OK;
}
