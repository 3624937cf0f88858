/* dashboard — see dashboard.h (SPEC M11, issue 17). */
#include "dashboard.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "orgs.h"
#include "util.h"

const struct permission perm_dashboard_view = {"dashboard.view", "查看数据统计（本组织及下级）", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_display_manage = {"display.manage", "发放、收回数据大屏的显示令牌", R_ADMIN | R_COMMITTEE};

int dashboard_trend(db *d, const struct figure *f, const struct figure_scope *s, struct dashboard_point *out, int max)
{
	int n = 0;
	int y = atoi(s->from), m = atoi(s->from + 5);
	char from[24];
	snprintf(from, sizeof from, "%s", s->from);
	while (n < max && strcmp(from, s->to) <= 0) {
		static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int last = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
		char to[24];
		snprintf(to, sizeof to, "%04d-%02d-%02d", y, m, last);
		if (strcmp(to, s->to) > 0)
			snprintf(to, sizeof to, "%s", s->to);
		struct figure_scope ms;
		struct field_errors e = {0};
		if (!figure_scope_set(&ms, s->org_path, s->org_code, from, to, s->now, &e))
			break;
		struct dashboard_point *p = &out[n++];
		snprintf(p->label, sizeof p->label, "%04d-%02d", y, m);
		p->value = figure_count(d, f, &ms);
		if (p->value == FIGURE_FAILED)
			return -1;
		f->href(&ms, p->href, sizeof p->href);
		if (++m > 12)
			m = 1, y++;
		snprintf(from, sizeof from, "%04d-%02d-01", y, m);
	}
	return n;
}

static int cmp_point(const void *a, const void *b)
{
	const struct dashboard_point *x = a, *y = b;
	return x->value < y->value ? 1 : x->value > y->value ? -1 : strcmp(x->label, y->label);
}

int dashboard_breakdown(db *d, const struct figure *f, const struct figure_scope *s, struct dashboard_point *out, int max)
{
	int64_t id = db_int1(d, 0, "SELECT id FROM orgs WHERE path = ?", "t", s->org_path);
	size_t k;
	struct org *kids = org_children(d, id, false, &k);
	int n = 0;
	for (size_t i = 0; i < k && n < max; i++) {
		if (!strcmp(kids[i].type, "dept") || !strcmp(kids[i].type, "group"))
			continue; /* departments hold no records of their own subtree; groups sit inside a branch */
		struct figure_scope cs = *s;
		cs.org_path = kids[i].path;
		cs.org_code = kids[i].code;
		struct dashboard_point *p = &out[n++];
		snprintf(p->label, sizeof p->label, "%s", kids[i].name);
		p->value = figure_count(d, f, &cs);
		if (p->value == FIGURE_FAILED) {
			free(kids);
			return -1;
		}
		f->href(&cs, p->href, sizeof p->href);
	}
	free(kids);
	qsort(out, (size_t)n, sizeof *out, cmp_point);
	return n;
}

static void hash_token(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

enum dj_result display_token_issue(db *d, const struct actor *a, const char *org, const char *name, char token_out[64], int64_t *id,
				   struct field_errors *e)
{
	*id = 0;
	*token_out = 0;
	if (!permission_allows(&perm_display_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能发放显示令牌");
	int64_t oid = org && *org ? orgs_id_by_code(d, org) : a->org_id;
	struct org o;
	if (!oid || !org_load(d, oid, &o) || !actor_covers(a, o.path))
		ferr_add(e, "org", "组织不存在或不在您的管辖范围内");
	if (!name || !*name)
		ferr_add(e, "name", "请填写屏幕名称（如：党群服务中心大厅）");
	else if (!utf8_valid(name) || utf8_len(name) > 40)
		ferr_add(e, "name", "屏幕名称不能超过 40 个字");
	if (e->n)
		return DJ_INVALID;
	char tok[64], h[65];
	random_token(tok, sizeof tok, 24);
	hash_token(tok, h);
	*id = db_int1(d, 0,
		      "INSERT INTO display_tokens (token_hash, name, org_id, created_by, created_at) VALUES (?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) "
		      "RETURNING id",
		      "ttIII", h, name, oid, a->user_id, now_unix());
	char sum[200];
	snprintf(sum, sizeof sum, "%s：%s", o.name, name);
	if (!*id || audit_write(d, a, "display.issue", "display_token", *id, oid, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	snprintf(token_out, 64, "%s", tok);
	return DJ_OK;
}

enum dj_result display_token_revoke(db *d, const struct actor *a, int64_t id, struct field_errors *e)
{
	if (!permission_allows(&perm_display_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能收回显示令牌");
	db_stmt *s = db_query(d, "SELECT g.path, t.org_id, t.name, t.revoked_at FROM display_tokens t JOIN orgs g ON g.id = t.org_id WHERE t.id = ?", "I",
			      id);
	char path[256] = "", name[160] = "";
	int64_t org = 0;
	bool revoked = false, found = db_next(s);
	if (found) {
		snprintf(path, sizeof path, "%s", db_str(s, 0));
		org = db_int(s, 1);
		snprintf(name, sizeof name, "%s", db_str(s, 2));
		revoked = !db_isnull(s, 3);
	}
	db_done(s);
	if (!found || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "显示令牌不存在");
	if (revoked)
		return dj_fail(e, DJ_CONFLICT, "该显示令牌已收回");
	if (db_run(d, "UPDATE display_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", "II", now_unix(), id) != DB_OK ||
	    audit_write(d, a, "display.revoke", "display_token", id, org, name) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result display_token_check(db *d, const char *token, char path[256], char code[64], char name[168])
{
	if (!token || strlen(token) < 16 || strlen(token) > 60)
		return DJ_NOT_FOUND;
	char h[65];
	hash_token(token, h);
	db_stmt *s = db_query(d, "SELECT g.path, g.code, g.name, t.revoked_at FROM display_tokens t JOIN orgs g ON g.id = t.org_id WHERE t.token_hash = ?",
			      "t", h);
	enum dj_result res = DJ_NOT_FOUND;
	if (db_next(s)) {
		snprintf(path, 256, "%s", db_str(s, 0));
		snprintf(code, 64, "%s", db_str(s, 1));
		snprintf(name, 168, "%s", db_str(s, 2));
		res = db_isnull(s, 3) ? DJ_OK : DJ_CONFLICT;
	}
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	return res;
}

enum dj_result display_tokens_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct display_token *t), void *ctx)
{
	char lo[256], hi[256];
	snprintf(lo, sizeof lo, "%s", actor_scope(a));
	snprintf(hi, sizeof hi, "%s", actor_scope(a));
	if (*hi)
		hi[strlen(hi) - 1]++;
	db_stmt *s = db_query(d,
			      "SELECT t.id, t.org_id, t.created_at, COALESCE(t.revoked_at, 0), t.name, g.name, g.code, COALESCE(u.name, '') "
			      "FROM display_tokens t JOIN orgs g ON g.id = t.org_id LEFT JOIN users u ON u.id = t.created_by "
			      "WHERE g.path >= ? AND g.path < ? ORDER BY t.id DESC",
			      "tt", lo, hi);
	while (db_next(s)) {
		struct display_token t = {db_int(s, 0), db_int(s, 1), db_int(s, 2), db_int(s, 3), db_str(s, 4), db_str(s, 5), db_str(s, 6), db_str(s, 7)};
		fn(ctx, &t);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

/* ---- the dashboard as .xlsx: a cover sheet, then a sheet per group ---- */
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

enum dj_result dashboard_export(db *d, const struct actor *a, const struct figure_scope *s, const char *org_name, const char *path, struct field_errors *e)
{
	if (!permission_allows(&perm_dashboard_view, a) || !actor_covers(a, s->org_path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在或不在您的管辖范围内");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600); /* 0600 before anything is in it */
	if (fd < 0)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	lxw_doc_properties props = {.title = "数据统计", .author = "dangjian"};
	workbook_set_properties(wb, &props);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_worksheet *cover = workbook_add_worksheet(wb, "封面");
	worksheet_set_column(cover, 0, 0, 14, NULL);
	worksheet_set_column(cover, 1, 1, 40, NULL);
	char when[20], period[40];
	fmt_time(s->now, when);
	snprintf(period, sizeof period, "%s 至 %s", s->from, s->to);
	const char *cover_rows[][2] = {
		{"数据统计", ""}, {"组织", org_name}, {"统计期间", period}, {"导出时间", when}, {"导出人", a->label},
	};
	for (size_t i = 0; i < sizeof cover_rows / sizeof cover_rows[0]; i++) {
		worksheet_write_string(cover, (lxw_row_t)i, 0, cover_rows[i][0], bold);
		worksheet_write_string(cover, (lxw_row_t)i, 1, cover_rows[i][1], NULL);
	}
	worksheet_write_string(cover, 6, 0, "说明", bold);
	worksheet_write_string(cover, 6, 1, "每个数字与数据统计页面、接口 /api/v1/dashboard 相同，均由记录统计得出", NULL);
	const char *groups[32];
	size_t ng = figure_groups(groups, 32), nf;
	const struct figure **all = figures_all(&nf);
	enum dj_result res = DJ_OK;
	for (size_t g = 0; g < ng && res == DJ_OK; g++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, groups[g]);
		worksheet_set_column(ws, 0, 0, 18, NULL);
		worksheet_set_column(ws, 3, 3, 28, NULL);
		worksheet_write_string(ws, 0, 0, "指标", bold);
		worksheet_write_string(ws, 0, 1, "数量", bold);
		worksheet_write_string(ws, 0, 2, "单位", bold);
		worksheet_write_string(ws, 0, 3, "代码", bold);
		lxw_row_t row = 1;
		for (size_t i = 0; i < nf; i++) {
			if (strcmp(all[i]->group, groups[g]))
				continue;
			int64_t v = figure_count(d, all[i], s);
			if (v == FIGURE_FAILED) {
				res = dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
				break;
			}
			worksheet_write_string(ws, row, 0, all[i]->label, NULL);
			worksheet_write_number(ws, row, 1, (double)v, NULL);
			worksheet_write_string(ws, row, 2, all[i]->unit, NULL);
			worksheet_write_string(ws, row, 3, all[i]->key, NULL);
			row++;
		}
	}
	free(all);
	lxw_error err = workbook_close(wb);
	if (res != DJ_OK)
		return res;
	if (err != LXW_NO_ERROR)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	char sum[300];
	snprintf(sum, sizeof sum, "%s，%s", org_name, period);
	int64_t org_id = db_int1(d, 0, "SELECT id FROM orgs WHERE path = ?", "t", s->org_path);
	if (audit_write(d, a, "dashboard.export", "org", org_id, org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	return DJ_OK;
}
