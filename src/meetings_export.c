/* meetings_export — the meeting report and the month's 三会一课 compliance as
 * .xlsx (issue 13 §7): the same rows as the report page and the API. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "meetings.h"

struct xctx {
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_row_t row;
	struct meeting_report_row total;
	struct meeting_type types[MEETING_TYPES_MAX]; /* the columns: meeting_types_load(d, false, …), as the report counts them */
	int ntypes;
};

static void report_row(void *ctx, const struct meeting_report_row *r, bool total)
{
	struct xctx *x = ctx;
	lxw_format *f = total ? x->bold : NULL;
	char label[200];
	snprintf(label, sizeof label, total ? "%s 合计" : "%s", r->org_name);
	worksheet_write_string(x->ws, x->row, 0, label, f);
	int c = 1;
	for (int k = 0; k < x->ntypes; k++)
		worksheet_write_number(x->ws, x->row, (lxw_col_t)c++, (double)r->held[k], f);
	const int64_t v[] = {r->held_total, r->cancelled, r->member_times, r->guest_times, r->decisions, r->done, r->done_on_time, r->overdue, r->open};
	for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
		worksheet_write_number(x->ws, x->row, (lxw_col_t)c++, (double)v[k], f);
	x->row++;
	if (total)
		x->total = *r;
}

static void compliance_row(void *ctx, const struct compliance_row *r)
{
	struct xctx *x = ctx;
	if (x->row == 1) {
		worksheet_write_string(x->ws, 0, 0, "党支部", x->bold);
		for (int k = 0; k < r->ncells; k++) {
			char h[128];
			snprintf(h, sizeof h, "%s（%s）", r->cells[k].label, r->cells[k].months == 1 ? "每月" : "每季度");
			worksheet_write_string(x->ws, 0, (lxw_col_t)(k + 1), h, x->bold);
		}
		worksheet_write_string(x->ws, 0, (lxw_col_t)(r->ncells + 1), "是否缺会", x->bold);
	}
	worksheet_write_string(x->ws, x->row, 0, r->org_name, NULL);
	for (int k = 0; k < r->ncells; k++) {
		const struct compliance_cell *c = &r->cells[k];
		char v[64];
		if (!strcmp(c->status, "exempt"))
			snprintf(v, sizeof v, "不适用");
		else if (!strcmp(c->status, "missed"))
			snprintf(v, sizeof v, "缺");
		else if (!strcmp(c->status, "pending"))
			snprintf(v, sizeof v, "待开");
		else
			snprintf(v, sizeof v, "%lld次", (long long)c->held);
		worksheet_write_string(x->ws, x->row, (lxw_col_t)(k + 1), v, NULL);
	}
	worksheet_write_string(x->ws, x->row, (lxw_col_t)(r->ncells + 1), r->missed ? "是" : "否", NULL);
	x->row++;
}

enum dj_result meeting_report_export(db *d, const struct actor *a, int64_t org_id, const char *from, const char *to, int64_t now, const char *path,
				     struct field_errors *e)
{
	/* checked before the file exists: a bad period writes nothing */
	struct xctx probe;
	memset(&probe, 0, sizeof probe);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	lxw_doc_properties props = {.title = "会议统计", .author = "dangjian"};
	workbook_set_properties(wb, &props);
	struct xctx x;
	memset(&x, 0, sizeof x);
	x.bold = workbook_add_format(wb);
	format_set_bold(x.bold);
	x.ws = workbook_add_worksheet(wb, "会议统计");
	worksheet_set_column(x.ws, 0, 0, 26, NULL);
	x.ntypes = meeting_types_load(d, false, x.types, MEETING_TYPES_MAX);
	int c = 0;
	worksheet_write_string(x.ws, 0, (lxw_col_t)c++, "组织", x.bold);
	for (int k = 0; k < x.ntypes; k++)
		worksheet_write_string(x.ws, 0, (lxw_col_t)c++, x.types[k].label, x.bold);
	static const char *const more[] = {"召开合计", "取消", "党员参会人次", "群众参会人次", "决策事项", "已办结", "按期办结", "逾期未办结", "办理中"};
	for (size_t k = 0; k < sizeof more / sizeof more[0]; k++)
		worksheet_write_string(x.ws, 0, (lxw_col_t)c++, more[k], x.bold);
	x.row = 1;
	enum dj_result res = meeting_report(d, a, org_id, from, to, now, report_row, &x, e);
	if (res == DJ_OK) {
		char sum[300];
		snprintf(sum, sizeof sum, "共召开会议%lld次，解决难题、急事%lld件", (long long)x.total.held_total, (long long)x.total.done);
		worksheet_write_string(x.ws, x.row + 1, 0, sum, NULL);
		x.ws = workbook_add_worksheet(wb, "三会一课落实情况");
		worksheet_set_column(x.ws, 0, 0, 26, NULL);
		x.row = 1;
		char month[8];
		snprintf(month, sizeof month, "%.7s", to);
		res = meeting_compliance(d, a, org_id, month, now, compliance_row, &x, e);
	}
	lxw_error err = workbook_close(wb);
	if (res != DJ_OK)
		return res;
	if (err != LXW_NO_ERROR)
		return dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	char sum[400];
	snprintf(sum, sizeof sum, "会议统计 %s 至 %s：召开%lld次，决策%lld件，办结%lld件", from, to, (long long)x.total.held_total,
		 (long long)x.total.decisions, (long long)x.total.done);
	if (audit_write(d, a, "meeting.export", "org", org_id, org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "%s", "导出失败，请稍后再试");
	return DJ_OK;
}
