/* export — the roster (花名册) to .xlsx, respecting scope and masking. */
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "members.h"
#include "util.h"

/* The importer's column names (src/import.c), so an export can be imported
 * again. The org's name is under 党组织名称, which the importer ignores: it
 * reads 所在党组织 as another name for 组织编码, and two org code columns
 * would make the file refuse to import. */
static const char *const headers[] = {
	"姓名",     "性别",     "民族",     "出生日期",   "学历",     "身份证号", "手机号",   "住址", "入党日期",
	"转正日期", "党员类别", "党籍状态", "党组织名称", "组织编码", "在职党员", "报到社区", "职务",
};
static const double widths[] = {10, 6, 8, 12, 12, 22, 15, 30, 12, 12, 10, 10, 22, 14, 10, 14, 24};
#define NCOLS (sizeof headers / sizeof headers[0])

static int write_xlsx(db *d, const char *prefix, bool masked, const char *filename, char *err, size_t errlen)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp%d", filename, (int)getpid());
	/* The file holds ID and phone numbers: it is made 0600 before a byte is
	 * written (libxlsxwriter reopens it with fopen, which keeps the mode), so
	 * the rename leaves 0600 whatever the umask. */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %.200s: %s", tmp, strerror(errno));
		return -1;
	}
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(tmp, &opt);
	if (!wb) {
		snprintf(err, errlen, "cannot create %.200s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	lxw_doc_properties props = {.title = "党员花名册", .author = "dangjian", .comments = masked ? "证件号与手机号已脱敏" : ""};
	workbook_set_properties(wb, &props);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_bg_color(bold, 0xFDEEEE);
	lxw_format *text = workbook_add_format(wb);
	format_set_num_format(text, "@"); /* ID and phone numbers stay text, never numbers */
	for (size_t c = 0; c < NCOLS; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], c == 5 || c == 6 ? text : NULL);
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, headers[c], bold);

	/* Duties come in their own ordered query and are merged by member id. */
	db_stmt *s = db_query(d,
			      "SELECT m.id, m.name, m.gender, m.ethnicity, m.birth_date, m.education, m.id_number, m.phone, m.address, "
			      "m.join_date, COALESCE(m.full_date, ''), m.category, m.status, o.name, o.code, m.in_service, COALESCE(so.code, '') "
			      "FROM members m JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs so ON so.id = m.service_org_id "
			      "WHERE o.path LIKE ? || '%' ORDER BY o.path, m.name, m.id",
			      "t", prefix);
	lxw_row_t row = 1;
	int drc = DB_OK; /* a failed duties query fails the export: no roster with holes */
	while (db_next(s)) {
		char ph[24], id[24], duties[256] = "";
		if (masked) {
			mask_idcard(db_str(s, 6), id);
			mask_phone(db_str(s, 7), ph);
		} else {
			snprintf(id, sizeof id, "%s", db_str(s, 6));
			snprintf(ph, sizeof ph, "%s", db_str(s, 7));
		}
		db_stmt *ds = db_query(d, "SELECT duty FROM member_duties WHERE member_id = ? ORDER BY duty", "I", db_int(s, 0));
		while (db_next(ds)) {
			size_t l = strlen(duties);
			snprintf(duties + l, sizeof duties - l, "%s%s", l ? "、" : "", db_str(ds, 0));
		}
		if (db_done(ds) != DB_OK)
			drc = DB_ERR;
		const char *cells[NCOLS] = {
			db_str(s, 1),
			db_str(s, 2),
			db_str(s, 3),
			db_str(s, 4),
			db_str(s, 5),
			id,
			ph,
			masked ? "" : db_str(s, 8),
			db_str(s, 9),
			db_str(s, 10),
			member_category_label(db_str(s, 11)),
			member_status_label(db_str(s, 12)),
			db_str(s, 13),
			db_str(s, 14),
			db_int(s, 15) ? "是" : "否",
			db_str(s, 16),
			duties,
		};
		for (size_t c = 0; c < NCOLS; c++)
			if (*cells[c])
				worksheet_write_string(ws, row, (lxw_col_t)c, cells[c], c == 5 || c == 6 ? text : NULL);
		row++;
	}
	int rc = db_done(s);
	if (rc == DB_OK)
		rc = drc;
	/* filters on the header; printed landscape on A4, one page wide, the header on every page */
	worksheet_autofilter(ws, 0, 0, row > 1 ? row - 1 : 1, (lxw_col_t)(NCOLS - 1));
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
	lxw_error e = workbook_close(wb);
	if (rc != DB_OK || e != LXW_NO_ERROR) {
		snprintf(err, errlen, "%s", e != LXW_NO_ERROR ? lxw_strerror(e) : "database error");
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, filename) != 0) {
		snprintf(err, errlen, "cannot write %.200s: %s", filename, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return (int)(row - 1);
}

enum dj_result export_members(db *d, const struct actor *a, int64_t org_id, bool masked, const char *filename, int *rows, struct field_errors *e)
{
	*rows = 0;
	char path[256] = "", name[128] = "";
	db_stmt *s = db_query(d, "SELECT path, name FROM orgs WHERE id = ?", "I", org_id);
	if (db_next(s)) {
		snprintf(path, sizeof path, "%s", db_str(s, 0));
		snprintf(name, sizeof name, "%s", db_str(s, 1));
	}
	db_done(s);
	if (!*path || !permission_allows(&perm_member_view, a) || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在或不在您的管辖范围内");
	if (!masked && !permission_allows(&perm_member_reveal, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色只能导出脱敏的花名册");
	char err[300];
	int n = write_xlsx(d, path, masked, filename, err, sizeof err);
	if (n < 0)
		return dj_fail(e, DJ_DB_ERROR, "%s", err);
	char sum[200];
	snprintf(sum, sizeof sum, "%s 花名册 %d 人%s", name, n, masked ? "（脱敏）" : "（完整证件号与手机号）");
	/* every export is on the audit log; one with full numbers a second time, under its own action */
	if (audit_write(d, a, "member.export", "org", org_id, org_id, sum) != DB_OK ||
	    (!masked && audit_write(d, a, "member.export_full", "org", org_id, org_id, sum) != DB_OK)) {
		unlink(filename);
		return dj_fail(e, DJ_DB_ERROR, "database error");
	}
	*rows = n;
	return DJ_OK;
}
