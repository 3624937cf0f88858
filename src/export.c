/* export — the roster (花名册) to .xlsx, respecting scope and masking. */
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "html.h"
#include "auth.h"
#include "members.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"

/* The importer's column names (src/import.c), so an export can be imported
 * again. The org's name is under 党组织名称, which the importer ignores: it
 * reads 所在党组织 as another name for 组织编码, and two org code columns
 * would make the file refuse to import. */
static const char *const headers[] = {
	"姓名", "性别", "民族", "出生日期", "学历", "身份证号", "手机号", "住址", "入党日期", "转正日期", "党员类别",
	"党籍状态", "党组织名称", "组织编码", "在职党员", "报到社区", "职务",
};
static const double widths[] = {10, 6, 8, 12, 12, 22, 15, 30, 12, 12, 10, 10, 22, 14, 10, 14, 24};
#define NCOLS (sizeof headers / sizeof headers[0])

int export_members_xlsx(db *d, const char *prefix, bool masked, const char *filename, char *err, size_t errlen)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp%d", filename, (int)getpid());
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(tmp, &opt);
	if (!wb) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
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
		db_done(ds);
		const char *cells[NCOLS] = {
			db_str(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_str(s, 5), id, ph,
			masked ? "" : db_str(s, 8), db_str(s, 9), db_str(s, 10), member_category_label(db_str(s, 11)),
			member_status_label(db_str(s, 12)), db_str(s, 13), db_str(s, 14), db_int(s, 15) ? "是" : "否",
			db_str(s, 16), duties,
		};
		for (size_t c = 0; c < NCOLS; c++)
			if (*cells[c])
				worksheet_write_string(ws, row, (lxw_col_t)c, cells[c], c == 5 || c == 6 ? text : NULL);
		row++;
	}
	int rc = db_done(s);
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
		snprintf(err, errlen, "cannot write %s: %s", filename, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return (int)(row - 1);
}

void export_page_members(req *r)
{
	struct org_ref o;
	int64_t org = orgs_from_request(r, req_query(r, "org"), &perm_member_view, &o);
	if (!org)
		return;
	const char *full = req_query(r, "full");
	bool masked = !(full && !strcmp(full, "1"));
	if (!masked && !authorize(r, &perm_member_reveal, org)) {
		req_error(r, 403, "forbidden", "您的角色只能导出脱敏的花名册");
		return;
	}
	const char *prefix = o.path, *oname = o.name, *ocode = o.code;
	char path[] = "/tmp/dj-export-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		req_error(r, 503, "io", "导出失败，请稍后再试");
		return;
	}
	close(fd);
	char err[300];
	int rows = export_members_xlsx(r->db, prefix, masked, path, err, sizeof err);
	FILE *f = rows >= 0 ? fopen(path, "rb") : NULL;
	if (!f) {
		unlink(path);
		fprintf(stderr, "dangjian: export: %s\n", err);
		req_error(r, 503, "io", "导出失败，请稍后再试");
		return;
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&r->out, chunk, n);
	fclose(f);
	unlink(path);
	char sum[200];
	snprintf(sum, sizeof sum, "%s 花名册 %d 人%s", oname, rows, masked ? "（脱敏）" : "（完整证件号与手机号）");
	/* every export is on the audit log; one with full numbers a second time, under its own action */
	audit_log(r, "member.export", "org", org, org, sum);
	if (!masked)
		audit_log(r, "member.export_full", "org", org, org, sum);
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	buf name = {0};
	buf_printf(&name, "attachment; filename=\"members-%s.xlsx\"; filename*=UTF-8''", ocode);
	buf fname = {0};
	buf_printf(&fname, "%s-花名册.xlsx", oname);
	url_encode(&name, buf_str(&fname));
	req_set_header(r, "Content-Disposition", buf_str(&name));
	buf_free(&name);
	buf_free(&fname);
}
