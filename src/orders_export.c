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

/* ---- the filtered order list (issue 10 §11) ---- */

static const char *const list_headers[] = {
	"查询码",   "提交时间", "类型",     "紧急程度", "诉求内容", "所在支部", "网格",   "状态", "办理人",   "当前时限", "逾期",
	"送单时间", "办结时间", "办结方式", "满意度",   "群众评价", "联系人",   "手机号", "地址", "向上反馈", "办理结果",
};
static const double list_widths[] = {12, 17, 10, 9, 40, 18, 12, 10, 10, 17, 6, 17, 17, 12, 7, 24, 9, 14, 24, 9, 30};
#define LIST_NCOLS (sizeof list_headers / sizeof list_headers[0])

struct list_sheet {
	const struct actor *a;
	lxw_worksheet *ws;
	lxw_format *text;
	bool full;
	int64_t now;
	lxw_row_t row;
	int n, full_n;
	int64_t last_id;
};

static const char *urgency_text(const char *u) { return !strcmp(u, "urgent") ? "紧急" : !strcmp(u, "complex") ? "较复杂" : "一般"; }

static void list_sheet_row(void *ctx, const struct order *o)
{
	struct list_sheet *x = ctx;
	char created[20], due[20] = "", delivered[20] = "", closed[20] = "", phone[24], rating[8] = "";
	fmt_time(o->created_at, created);
	bool running = order_state_open(o->state) && strcmp(o->state, "delivered");
	if (running)
		fmt_time(o->due_at, due);
	if (o->delivered_at)
		fmt_time(o->delivered_at, delivered);
	if (o->closed_at)
		fmt_time(o->closed_at, closed);
	/* §4's rule, row by row: the handler, and the staff whose subtree holds it */
	bool reveal = x->full && permission_allows(&perm_order_reveal, x->a) && order_contact_allowed(x->a, o);
	if (reveal)
		snprintf(phone, sizeof phone, "%s", o->contact_phone);
	else
		mask_phone(o->contact_phone, phone);
	if (o->rating)
		snprintf(rating, sizeof rating, "%d", o->rating);
	const char *cells[LIST_NCOLS] = {
		o->code,
		created,
		order_kind_label(o->kind),
		urgency_text(o->urgency),
		o->content,
		o->org_name,
		o->grid_code,
		order_state_label(o->state),
		o->assignee_name,
		due,
		order_overdue(o, x->now) ? "是" : "",
		delivered,
		closed,
		*o->close_reason ? order_close_label(o->close_reason) : "",
		rating,
		!strcmp(o->state, "closed") ? o->comment : "",
		o->contact_name,
		phone,
		reveal ? o->address : "",
		o->escalated ? "是" : "",
		o->result,
	};
	for (size_t c = 0; c < LIST_NCOLS; c++) {
		if (!*cells[c])
			continue;
		if (c == 14)
			worksheet_write_number(x->ws, x->row, (lxw_col_t)c, (double)o->rating, NULL);
		else
			worksheet_write_string(x->ws, x->row, (lxw_col_t)c, cells[c], c == 0 || c == 17 ? x->text : NULL);
	}
	x->row++;
	x->n++;
	x->full_n += reveal;
	x->last_id = o->id;
}

static void skip_row(void *ctx, const struct order *o) { (void)ctx, (void)o; }

/* What the filter was, for the audit row. */
static void filter_summary(const struct order_filter *f, char *out, size_t n)
{
	struct {
		const char *k, *v;
	} kv[] = {{"state", f->state}, {"kind", f->kind}, {"urgency", f->urgency}, {"org", f->org_path}, {"grid", f->grid}, {"from", f->from},
		  {"to", f->to},       {"q", f->q},       {"sort", f->sort}};
	size_t l = 0;
	*out = 0;
	for (size_t i = 0; i < sizeof kv / sizeof kv[0] && l + 1 < n; i++)
		if (kv[i].v && *kv[i].v)
			l += (size_t)snprintf(out + l, n - l, "%s%s=%.60s", l ? " " : "", kv[i].k, kv[i].v);
	const char *flags[] = {f->overdue ? "overdue" : NULL, f->mine ? "mine" : NULL, f->escalated ? "escalated" : NULL};
	for (size_t i = 0; i < 3 && l + 1 < n; i++)
		if (flags[i])
			l += (size_t)snprintf(out + l, n - l, "%s%s", l ? " " : "", flags[i]);
	if (!*out)
		snprintf(out, n, "全部");
}

enum dj_result orders_list_export(db *d, const struct actor *a, const struct order_filter *filter, bool full, int64_t now, const char *path, int *rows,
				  struct field_errors *e)
{
	*rows = 0;
	if (a->role == A_PUBLIC)
		return dj_fail(e, DJ_FORBIDDEN, "请先登录");
	/* the filter checked and the rows counted before a file is made */
	struct order_filter f = *filter;
	f.limit = 1, f.offset = 0, f.before = 0;
	f.exact_total = true; /* the cap holds by the orders themselves */
	int64_t total = 0;
	struct list_sheet x = {.a = a, .full = full, .now = now, .row = 1};
	enum dj_result res = order_list(d, a, &f, now, &total, skip_row, NULL, e);
	if (res != DJ_OK)
		return res;
	if (total > ORDER_EXPORT_CAP)
		return dj_fail(e, DJ_INVALID, "符合条件的诉求超过 %d 条，一次最多导出 %d 条：请缩小筛选范围（如提交日期）后再导出", ORDER_EXPORT_CAP,
			       ORDER_EXPORT_CAP);
	/* written 0600 before anything is in it: it may hold full phone numbers */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	lxw_doc_properties props = {.title = "诉求清单", .author = "dangjian", .comments = full ? "含可查看的完整手机号" : "手机号已脱敏"};
	workbook_set_properties(wb, &props);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_bg_color(bold, 0xFDEEEE);
	x.text = workbook_add_format(wb);
	format_set_num_format(x.text, "@"); /* codes and phone numbers stay text */
	x.ws = workbook_add_worksheet(wb, "诉求清单");
	for (size_t c = 0; c < LIST_NCOLS; c++)
		worksheet_set_column(x.ws, (lxw_col_t)c, (lxw_col_t)c, list_widths[c], NULL);
	worksheet_freeze_panes(x.ws, 1, 1);
	for (size_t c = 0; c < LIST_NCOLS; c++)
		worksheet_write_string(x.ws, 0, (lxw_col_t)c, list_headers[c], bold);

	/* bounded batches in the list's own order: by the keyset for newest and
	 * oldest first, by offset for the time limit (no keyset there) */
	bool keyset = !f.sort || !*f.sort || !strcmp(f.sort, "new") || !strcmp(f.sort, "old");
	f.limit = ORDER_EXPORT_BATCH;
	for (;;) {
		int before_n = x.n;
		res = order_list(d, a, &f, now, &total, list_sheet_row, &x, e);
		if (res != DJ_OK || x.n - before_n < ORDER_EXPORT_BATCH || x.n >= ORDER_EXPORT_CAP)
			break;
		if (keyset)
			f.before = x.last_id;
		else
			f.offset += ORDER_EXPORT_BATCH;
	}
	if (x.n > 0)
		worksheet_autofilter(x.ws, 0, 0, x.row - 1, (lxw_col_t)(LIST_NCOLS - 1));
	worksheet_set_landscape(x.ws);
	worksheet_set_paper(x.ws, 9);
	worksheet_fit_to_pages(x.ws, 1, 0);
	worksheet_repeat_rows(x.ws, 0, 0);
	lxw_error err = workbook_close(wb);
	if (res != DJ_OK)
		return res == DJ_INVALID ? res : dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	if (err != LXW_NO_ERROR) {
		fprintf(stderr, "dangjian: order list export: %s\n", lxw_strerror(err));
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	}
	char filt[300], sum[500];
	filter_summary(filter, filt, sizeof filt);
	snprintf(sum, sizeof sum, "导出诉求清单 %d 条（%s）", x.n, filt);
	if (audit_write(d, a, "order.list_export", "org", a->org_id, a->org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	if (x.full_n) {
		snprintf(sum, sizeof sum, "导出诉求清单 %d 条，其中 %d 条含完整手机号和地址（%s）", x.n, x.full_n, filt);
		if (audit_write(d, a, "order.list_export_full", "org", a->org_id, a->org_id, sum) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	}
	*rows = x.n;
	return DJ_OK;
}
