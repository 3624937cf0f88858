/* grids — SPEC M9: grids in villages/communities with their grid workers;
 * households with address and size, each looked after by a 党员中心户. */
#include "grids.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "json.h"
#include "layout.h"
#include "orgs.h"
#include "util.h"
#include "web.h"
#include "valid.h"
#include "module.h"

static const char *prefix_of(req *r) { return r->actor.role == R_ADMIN ? "/" : r->actor.org_path; }

#define GRID_COLS                                                                                                  \
	"SELECT gr.id, gr.code, gr.name, o.code, o.name, COALESCE(u.username, ''), COALESCE(u.name, ''), "           \
	"(SELECT COUNT(*) FROM households h WHERE h.grid_id = gr.id), "                                               \
	"(SELECT COALESCE(SUM(h.size), 0) FROM households h WHERE h.grid_id = gr.id), "                               \
	"(SELECT COUNT(DISTINCT h.central_member_id) FROM households h WHERE h.grid_id = gr.id), o.id "               \
	"FROM grids gr JOIN orgs o ON o.id = gr.org_id LEFT JOIN users u ON u.id = gr.worker_user_id "

/* The grid of the path, if it is inside the caller's subtree. */
static int64_t grid_visible(req *r, int64_t *org)
{
	const char *code = req_param(r, "code");
	int64_t id = 0;
	db_stmt *s = db_query(r->db, "SELECT id, org_id FROM grids WHERE code = ?", "t", code ? code : "");
	if (db_next(s))
		id = db_int(s, 0), *org = db_int(s, 1);
	db_done(s);
	if (!id || !authorize(r, &perm_org_view, *org)) {
		req_error(r, 404, "not_found", "网格不存在或不在您的管辖范围内");
		return 0;
	}
	return id;
}

void grids_page_list(req *r)
{
	page_begin(r, "网格与党员中心户");
	db_stmt *s = db_query(r->db, GRID_COLS "WHERE o.path LIKE ? || '%' ORDER BY o.path, gr.code", "t", prefix_of(r));
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>网格</th><th>所属村（社区）</th>"
			  "<th>网格员</th><th>户数</th><th>人口</th><th>党员中心户</th></tr></thead><tbody>");
	int n = 0;
	while (db_next(s)) {
		html_printf(&r->out, "<tr><td><a href=\"/grids/%s\">%s</a></td><td>%s</td><td>%s</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>",
			    db_str(s, 1), db_str(s, 2), db_str(s, 4), *db_str(s, 6) ? db_str(s, 6) : "—", (long long)db_int(s, 7),
			    (long long)db_int(s, 8), (long long)db_int(s, 9));
		n++;
	}
	db_done(s);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!n)
		buf_puts(&r->out, "<div class=\"empty\"><p>您的管辖范围内还没有网格</p></div>");
	page_end(r);
}

void grids_page_detail(req *r)
{
	int64_t org = 0, id = grid_visible(r, &org);
	if (!id)
		return;
	db_stmt *s = db_query(r->db, GRID_COLS "WHERE gr.id = ?", "I", id);
	if (!db_next(s)) {
		db_done(s);
		req_error(r, 404, "not_found", "网格不存在");
		return;
	}
	page_begin(r, db_str(s, 2));
	html_printf(&r->out, "<div class=\"breadcrumbs\"><a href=\"/grids\">网格</a> › <span>%s</span></div>"
			     "<section class=\"card\"><dl class=\"kv\"><dt>网格编码</dt><dd>%s</dd><dt>所属</dt><dd>%s</dd>"
			     "<dt>网格员</dt><dd>%s</dd><dt>户数</dt><dd>%lld 户，%lld 人</dd></dl></section>",
		    db_str(s, 2), db_str(s, 1), db_str(s, 4), *db_str(s, 6) ? db_str(s, 6) : "—", (long long)db_int(s, 7),
		    (long long)db_int(s, 8));
	db_done(s);
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">住户</h2><div class=\"table-wrap\"><table class=\"table\">"
			  "<thead><tr><th>地址</th><th>户主</th><th>人口</th><th>联系的党员中心户</th></tr></thead><tbody>");
	s = db_query(r->db,
		     "SELECT h.address, h.head_name, h.size, COALESCE(m.name, '') FROM households h LEFT JOIN members m ON m.id = h.central_member_id "
		     "WHERE h.grid_id = ? ORDER BY m.name, h.id",
		     "I", id);
	while (db_next(s))
		html_printf(&r->out, "<tr><td>%s</td><td>%s</td><td>%lld</td><td>%s</td></tr>", db_str(s, 0), db_str(s, 1),
			    (long long)db_int(s, 2), *db_str(s, 3) ? db_str(s, 3) : "—");
	db_done(s);
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

static void grid_json(jw *w, db_stmt *s)
{
	jw_obj(w);
	jw_kstr(w, "code", db_str(s, 1));
	jw_kstr(w, "name", db_str(s, 2));
	jw_kstr(w, "org", db_str(s, 3));
	jw_kstr(w, "org_name", db_str(s, 4));
	jw_kstr(w, "worker", *db_str(s, 5) ? db_str(s, 5) : NULL);
	jw_kstr(w, "worker_name", *db_str(s, 6) ? db_str(s, 6) : NULL);
	jw_kint(w, "households", db_int(s, 7));
	jw_kint(w, "residents", db_int(s, 8));
	jw_kint(w, "central_households", db_int(s, 9));
	jw_end(w);
}

void grids_api_list(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "grids");
	jw_arr(&w);
	db_stmt *s = db_query(r->db, GRID_COLS "WHERE o.path LIKE ? || '%' ORDER BY o.path, gr.code", "t", prefix_of(r));
	while (db_next(s))
		grid_json(&w, s);
	db_done(s);
	jw_aend(&w);
	jw_end(&w);
}

void grids_api_create(req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *code = NULL, *name = NULL, *org = NULL, *worker = NULL;
	json_error_t je;
	struct field_errors e = {0};
	if (json_unpack_ex(j, &je, JSON_STRICT, "{s:s, s:s, s:s, s?s}", "code", &code, "name", &name, "org", &org, "worker", &worker)) {
		ferr_add(&e, "_body", "需要 code、name、org（字符串），可选 worker；不接受其他字段：%s", je.text);
		req_error_fields(r, 422, "invalid", NULL, &e);
		return;
	}
	size_t cl = strlen(code);
	if (cl < 2 || cl > 32 || strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") != cl)
		ferr_add(&e, "code", "网格编码为 2–32 位字母、数字或连字符");
	else if (db_int1(r->db, 0, "SELECT COUNT(*) FROM grids WHERE code = ?", "t", code))
		ferr_add(&e, "code", "网格编码已存在");
	if (!*name || !utf8_valid(name) || utf8_len(name) > 30)
		ferr_add(&e, "name", "请填写网格名称（30 字以内）");
	int64_t oid = 0;
	db_stmt *s = db_query(r->db, "SELECT id, type, kind FROM orgs WHERE code = ? AND dissolved_at IS NULL", "t", org);
	if (db_next(s) && !strcmp(db_str(s, 1), "branch") && (!strcmp(db_str(s, 2), "农村") || !strcmp(db_str(s, 2), "社区")))
		oid = db_int(s, 0);
	db_done(s);
	if (!oid)
		ferr_add(&e, "org", "网格应设在村或社区党支部之下");
	else if (!authorize(r, &perm_org_view, oid))
		ferr_add(&e, "org", "组织不在您的管辖范围内");
	int64_t wid = 0;
	if (worker) {
		wid = db_int1(r->db, 0, "SELECT id FROM users WHERE username = ? AND role = 'grid' AND active = 1", "t", worker);
		if (!wid)
			ferr_add(&e, "worker", "网格员应为角色为“网格员”的用户");
	}
	if (e.n) {
		req_error_fields(r, 422, "invalid", NULL, &e);
		return;
	}
	db_run(r->db, "INSERT INTO grids (org_id, code, name, worker_user_id, created_at) VALUES (?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?)",
	       "IttII", oid, code, name, wid, now_unix());
	audit_log(r, "grid.create", "grid", 0, oid, code);
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	s = db_query(r->db, GRID_COLS "WHERE gr.code = ?", "t", code);
	if (db_next(s))
		grid_json(&w, s);
	db_done(s);
}

void grids_api_households(req *r)
{
	int64_t org = 0, id = grid_visible(r, &org);
	if (!id)
		return;
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "households");
	jw_arr(&w);
	db_stmt *s = db_query(r->db,
			      "SELECT h.id, h.address, h.head_name, h.size, COALESCE(m.id, 0), COALESCE(m.name, '') FROM households h "
			      "LEFT JOIN members m ON m.id = h.central_member_id WHERE h.grid_id = ? ORDER BY h.id",
			      "I", id);
	while (db_next(s)) {
		jw_obj(&w);
		jw_kint(&w, "id", db_int(s, 0));
		jw_kstr(&w, "address", db_str(s, 1));
		jw_kstr(&w, "head_name", db_str(s, 2));
		jw_kint(&w, "size", db_int(s, 3));
		if (db_int(s, 4)) {
			jw_kint(&w, "central_member_id", db_int(s, 4));
			jw_kstr(&w, "central_member", db_str(s, 5));
		}
		jw_end(&w);
	}
	db_done(s);
	jw_aend(&w);
	jw_end(&w);
}

void grids_api_add_household(req *r)
{
	int64_t org = 0, id = grid_visible(r, &org);
	if (!id)
		return;
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *address = NULL, *head = "";
	json_int_t size = 1, central = 0;
	json_error_t je;
	struct field_errors e = {0};
	if (json_unpack_ex(j, &je, JSON_STRICT, "{s:s, s?s, s?I, s?I}", "address", &address, "head_name", &head, "size", &size,
			   "central_member_id", &central)) {
		ferr_add(&e, "_body", "需要 address，可选 head_name、size、central_member_id；%s", je.text);
		req_error_fields(r, 422, "invalid", NULL, &e);
		return;
	}
	if (!*address || !utf8_valid(address) || utf8_len(address) > 100)
		ferr_add(&e, "address", "请填写住址（100 字以内）");
	if (!utf8_valid(head) || utf8_len(head) > 20)
		ferr_add(&e, "head_name", "户主姓名不能超过 20 个字");
	if (size < 1 || size > 30)
		ferr_add(&e, "size", "人口应为 1 到 30");
	if (central) {
		/* a 党员中心户 of the grid's own branch, about ten households each */
		int64_t ok = db_int1(r->db, 0,
				     "SELECT COUNT(*) FROM members m JOIN member_duties md ON md.member_id = m.id AND md.duty = '党员中心户' "
				     "JOIN orgs o ON o.id = m.org_id WHERE m.id = ? AND o.path LIKE (SELECT path FROM orgs WHERE id = ?) || '%'",
				     "II", (int64_t)central, org);
		if (!ok)
			ferr_add(&e, "central_member_id", "应为本村（社区）的党员中心户");
		else if (db_int1(r->db, 0, "SELECT COUNT(*) FROM households WHERE central_member_id = ?", "I", (int64_t)central) >= 15)
			ferr_add(&e, "central_member_id", "该党员中心户联系的住户已满 15 户");
	}
	if (e.n) {
		req_error_fields(r, 422, "invalid", NULL, &e);
		return;
	}
	int64_t hid = db_int1(r->db, 0,
			      "INSERT INTO households (grid_id, address, head_name, size, central_member_id, created_at) "
			      "VALUES (?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
			      "IttIII", id, address, head, (int64_t)size, (int64_t)central, now_unix());
	audit_log(r, "household.create", "household", hid, org, address);
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "id", hid);
	jw_kstr(&w, "address", address);
	jw_end(&w);
}

/* ---- the module record (module.h) ---- */

static const route grids_routes[] = {
	{"GET", "/grids", grids_page_list, R_STAFF | R_GRID, 0, 0, "grids"},
	{"GET", "/grids/:code", grids_page_detail, R_STAFF | R_GRID, 0, 0, "grid"},
	{"GET", "/api/v1/grids", grids_api_list, R_STAFF | R_GRID, RF_API, 0, "api_grids"},
	{"POST", "/api/v1/grids", grids_api_create, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_API, 4 * KiB, "api_grids"},
	{"GET", "/api/v1/grids/:code/households", grids_api_households, R_STAFF | R_GRID, RF_API, 0, "api_households"},
	{"POST", "/api/v1/grids/:code/households", grids_api_add_household, R_STAFF | R_GRID, RF_API, 4 * KiB, "api_households"},
};
const struct module grids_module = {
	.name = "grids",
	.routes = grids_routes, .routes_n = COUNT_OF(grids_routes),
};
