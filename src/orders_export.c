/* orders_export — the statistics workbook (issue 10 §11; seeds 000, 003, 004:
 * "完成微心愿166个", "收集社情民意925件,办理为民服务事项1509件"). */
#include "orders_export.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "orders.h"
#include "orgs.h"
#include "util.h"

static const char *const headers[] = {
	"组织/类型",      "收集（需求清单）", "接单", "不予受理", "向上反馈", "党委派单", "支部解决销单", "党委解决销单",           "无法解决",
	"不属于本级职责", "重复诉求",         "撤回", "办理中",   "逾期",     "已评价",   "平均满意度",   "办结用时中位数（小时）",
};
#define NCOLS (sizeof headers / sizeof headers[0])

static void stats_row(lxw_worksheet *ws, lxw_row_t row, const char *label, const struct order_stats *st, lxw_format *fmt)
{
	const int64_t v[] = {st->collected,
			     st->accepted,
			     st->rejected,
			     st->escalated,
			     st->dispatched,
			     st->resolved_by_branch,
			     st->resolved_by_committee,
			     st->by_reason[1],
			     st->by_reason[2],
			     st->by_reason[3],
			     st->withdrawn,
			     st->open,
			     st->overdue,
			     st->rated};
	worksheet_write_string(ws, row, 0, label, fmt);
	for (size_t c = 0; c < sizeof v / sizeof v[0]; c++)
		worksheet_write_number(ws, row, (lxw_col_t)(c + 1), (double)v[c], fmt);
	if (st->rated)
		worksheet_write_number(ws, row, (lxw_col_t)(NCOLS - 2), st->average_satisfaction, fmt);
	if (st->closed)
		worksheet_write_number(ws, row, (lxw_col_t)(NCOLS - 1), st->median_hours_to_close, fmt);
}

static lxw_worksheet *sheet(lxw_workbook *wb, const char *name, lxw_format *bold)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	worksheet_set_column(ws, 0, 0, 26, NULL);
	worksheet_set_column(ws, 1, (lxw_col_t)(NCOLS - 1), 12, NULL);
	for (size_t c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, headers[c], bold);
	worksheet_freeze_panes(ws, 1, 1);
	return ws;
}

enum dj_result orders_stats_export(db *d, const struct actor *a, int64_t org_id, int64_t t0, int64_t t1, int64_t now, const char *path,
				   struct field_errors *e)
{
	if (!(a->role & (R_ADMIN | R_COMMITTEE | R_BRANCH)))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能导出统计");
	struct org top;
	if (!org_load(d, org_id, &top) || !actor_covers(a, top.path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在或不在您的管辖范围内");
	if (t1 <= t0)
		return dj_fail(e, DJ_INVALID, "结束日期不能早于起始日期");
	/* written 0600 before anything is in it */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	lxw_doc_properties props = {.title = "诉求办理统计", .author = "dangjian"};
	workbook_set_properties(wb, &props);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_text_wrap(bold);

	/* a row per branch of the subtree, then the total */
	lxw_worksheet *ws = sheet(wb, "按支部", bold);
	struct order_stats st;
	size_t n;
	struct org *all = orgs_under(d, top.path, false, &n);
	lxw_row_t row = 1;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(all[i].type, "branch"))
			continue;
		order_stats_compute(d, all[i].path, t0, t1, now, &st);
		stats_row(ws, row++, all[i].name, &st, NULL);
	}
	free(all);
	order_stats_compute(d, top.path, t0, t1, now, &st);
	char total[200];
	snprintf(total, sizeof total, "%s 合计", top.name);
	stats_row(ws, row, total, &st, bold);

	/* a row per kind of order: 微心愿 fulfilled, 代办 by type, 社情民意 collected and handled */
	ws = sheet(wb, "按类型", bold);
	row = 1;
	for (const char *const *k = order_kinds; *k; k += 2) {
		order_stats_compute_kind(d, top.path, k[0], t0, t1, now, &st);
		stats_row(ws, row++, k[1], &st, NULL);
	}
	order_stats_compute(d, top.path, t0, t1, now, &st);
	stats_row(ws, row++, "全部", &st, bold);
	worksheet_write_string(ws, row + 1, 0, st.summary, NULL);

	lxw_error err = workbook_close(wb);
	if (err != LXW_NO_ERROR) {
		fprintf(stderr, "dangjian: stats export: %s\n", lxw_strerror(err));
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	}
	char sum[600];
	snprintf(sum, sizeof sum, "%s：%s", top.name, st.summary);
	if (audit_write(d, a, "order.stats_export", "org", top.id, top.id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	return DJ_OK;
}
