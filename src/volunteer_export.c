/* volunteer_export — the report and the minimums of volunteer service as
 * .xlsx (SPEC M3; seeds 000, 001, 002, 004): the same figures as the page
 * and the API, from the same functions (volunteer_report,
 * volunteer_below_minimum), so the three always agree. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "util.h"
#include "volunteer.h"

static const char *const headers[] = {
	"组织",         "报到在职党员",     "参与党员", "开展活动（次）", "党员参与（人次）", "群众参与（人次）", "服务时长（小时）",
	"服务队（支）", "服务队队员（人）", "党员"};
#define NCOLS (sizeof headers / sizeof headers[0])

static lxw_workbook *open_book(const char *path, char *title)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (wb) {
		lxw_doc_properties props = {.title = title, .author = "dangjian"};
		workbook_set_properties(wb, &props);
	}
	return wb;
}

struct sheet_ctx {
	lxw_worksheet *ws;
	lxw_row_t row;
	lxw_format *fmt;
};

static void figures_row(struct sheet_ctx *c, const char *name, const struct volunteer_figures *f)
{
	const int64_t v[] = {f->registered, f->active, f->activities, f->person_times, f->public_times};
	worksheet_write_string(c->ws, c->row, 0, name, c->fmt);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		worksheet_write_number(c->ws, c->row, (lxw_col_t)(i + 1), (double)v[i], c->fmt);
	/* hours as the page shows them (one decimal), a number in the cell */
	worksheet_write_number(c->ws, c->row, 6, (double)((f->minutes * 10 + 30) / 60) / 10.0, c->fmt);
	worksheet_write_number(c->ws, c->row, 7, (double)f->teams, c->fmt);
	worksheet_write_number(c->ws, c->row, 8, (double)f->team_members, c->fmt);
	worksheet_write_number(c->ws, c->row, 9, (double)f->members, c->fmt);
	c->row++;
}

static void branch_row(void *ctx, const struct volunteer_branch_row *b) { figures_row(ctx, b->name, &b->f); }

static void member_row(void *ctx, const struct volunteer_member_row *m)
{
	struct sheet_ctx *c = ctx;
	worksheet_write_string(c->ws, c->row, 0, m->name, NULL);
	worksheet_write_string(c->ws, c->row, 1, m->org_name, NULL);
	worksheet_write_number(c->ws, c->row, 2, (double)m->times, NULL);
	worksheet_write_number(c->ws, c->row, 3, (double)((m->minutes * 10 + 30) / 60) / 10.0, NULL);
	c->row++;
}

enum dj_result volunteer_report_export(db *d, const struct actor *a, int64_t org_id, int64_t t0, int64_t t1, const char *path, struct field_errors *e)
{
	/* the scope and the period are checked before the file is made */
	struct volunteer_figures total;
	char name[168];
	enum dj_result res = volunteer_report(d, a, org_id, t0, t1, &total, NULL, NULL, name, e);
	if (res != DJ_OK)
		return res;
	lxw_workbook *wb = open_book(path, "志愿服务统计");
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "按支部");
	worksheet_set_column(ws, 0, 0, 26, NULL);
	worksheet_set_column(ws, 1, (lxw_col_t)(NCOLS - 1), 14, NULL);
	for (size_t c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, headers[c], bold);
	worksheet_freeze_panes(ws, 1, 1);
	struct sheet_ctx c = {ws, 1, NULL};
	res = volunteer_report(d, a, org_id, t0, t1, &total, branch_row, &c, name, e);
	char label[200];
	snprintf(label, sizeof label, "%s 合计", name);
	c.fmt = bold;
	figures_row(&c, label, &total);
	char from[20], to[20], sum[600], h[24];
	fmt_time(t0, from);
	fmt_time(t1 - 1, to);
	volunteer_hours_text(total.minutes, h);
	snprintf(sum, sizeof sum,
		 "%s %.10s 至 %.10s：开展志愿服务活动%lld次，党员参与%lld人次，群众参与%lld人次，服务时长%s小时；共产党员服务队%lld支%lld人。", name, from,
		 to, (long long)total.activities, (long long)total.person_times, (long long)total.public_times, h, (long long)total.teams,
		 (long long)total.team_members);
	worksheet_write_string(ws, c.row + 1, 0, sum, NULL);
	/* a row per member who served: the page shows the first twenty, the file all */
	lxw_worksheet *mws = workbook_add_worksheet(wb, "按党员");
	worksheet_set_column(mws, 0, 1, 20, NULL);
	worksheet_set_column(mws, 2, 3, 14, NULL);
	static const char *const mh[] = {"党员", "所在组织", "参加活动（次）", "服务时长（小时）"};
	for (lxw_col_t i = 0; i < 4; i++)
		worksheet_write_string(mws, 0, i, mh[i], bold);
	worksheet_freeze_panes(mws, 1, 1);
	struct sheet_ctx mc = {mws, 1, NULL};
	if (res == DJ_OK)
		res = volunteer_report_members(d, a, org_id, t0, t1, 0, member_row, &mc, e);
	if (workbook_close(wb) != LXW_NO_ERROR || res != DJ_OK)
		return res != DJ_OK ? res : dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	if (audit_write(d, a, "volunteer.report_export", "org", org_id ? org_id : a->org_id, org_id ? org_id : a->org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	return DJ_OK;
}

static void below_row(void *ctx, const struct volunteer_below_row *b)
{
	struct sheet_ctx *c = ctx;
	worksheet_write_string(c->ws, c->row, 0, b->branch, NULL);
	worksheet_write_string(c->ws, c->row, 1, b->name, NULL);
	worksheet_write_number(c->ws, c->row, 2, (double)b->times, NULL);
	c->row++;
}

enum dj_result volunteer_minimums_export(db *d, const struct actor *a, const struct volunteer_min_query *q, const char *path, struct field_errors *e)
{
	struct volunteer_min_info info;
	/* a dry run checks the scope, the year or the campaign before the file is made */
	struct sheet_ctx none = {0};
	enum dj_result res = volunteer_below_minimum(d, a, q, &info, NULL, &none, e);
	if (res != DJ_OK)
		return res;
	lxw_workbook *wb = open_book(path, "志愿服务未达最低次数");
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "未达标党员");
	worksheet_set_column(ws, 0, 0, 26, NULL);
	worksheet_set_column(ws, 1, 2, 14, NULL);
	worksheet_write_string(ws, 0, 0, "支部", bold);
	worksheet_write_string(ws, 0, 1, "党员", bold);
	worksheet_write_string(ws, 0, 2, "已参加（次）", bold);
	worksheet_freeze_panes(ws, 1, 0);
	struct sheet_ctx c = {ws, 1, NULL};
	res = volunteer_below_minimum(d, a, q, &info, below_row, &c, e);
	char sum[700];
	if (q->campaign_id)
		snprintf(sum, sizeof sum, "%s（%s 至 %s）：%s每名党员参加%s志愿服务活动不少于 %lld 次；未达到 %lld 人", info.basis, info.from, info.to,
			 info.org_name, info.linked_only ? "本主题活动关联的" : "", (long long)info.required, (long long)(c.row - 1));
	else
		snprintf(sum, sizeof sum, "%s每名党员参加志愿服务活动不少于 %lld 次；未达到 %lld 人", info.basis, (long long)info.required,
			 (long long)(c.row - 1));
	worksheet_write_string(ws, c.row + 1, 0, sum, NULL);
	if (workbook_close(wb) != LXW_NO_ERROR || res != DJ_OK)
		return res != DJ_OK ? res : dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	if (audit_write(d, a, "volunteer.minimums_export", "org", info.org_id, info.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	return DJ_OK;
}
