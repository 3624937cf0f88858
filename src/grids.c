/* grids — SPEC M9: grids in villages/communities with their grid workers;
 * households with address and size, each looked after by a 党员中心户.
 * Every change is audited here; pages and API are in grids_web.c. */
#include "grids.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "util.h"

const struct permission perm_grid_view = {"grid.view", "查看本辖区的网格和住户", R_STAFF | R_GRID};
const struct permission perm_grid_create = {"grid.create", "在村（社区）党支部下新建网格", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_household_add = {"household.add", "登记网格住户", R_STAFF | R_GRID};

#define GRID_COLS                                                                                               \
	"SELECT gr.id, gr.code, gr.name, o.code, o.name, COALESCE(u.username, ''), COALESCE(u.name, ''), "      \
	"(SELECT COUNT(*) FROM households h WHERE h.grid_id = gr.id), "                                         \
	"(SELECT COALESCE(SUM(h.size), 0) FROM households h WHERE h.grid_id = gr.id), "                         \
	"(SELECT COUNT(DISTINCT h.central_member_id) FROM households h WHERE h.grid_id = gr.id), o.id, o.path " \
	"FROM grids gr JOIN orgs o ON o.id = gr.org_id LEFT JOIN users u ON u.id = gr.worker_user_id "

/* One row of GRID_COLS; the org's path goes to path. */
static void grid_read(db_stmt *s, struct grid *g, char *path, size_t pathlen)
{
	g->id = db_int(s, 0);
	snprintf(g->code, sizeof g->code, "%s", db_str(s, 1));
	snprintf(g->name, sizeof g->name, "%s", db_str(s, 2));
	snprintf(g->org_code, sizeof g->org_code, "%s", db_str(s, 3));
	snprintf(g->org_name, sizeof g->org_name, "%s", db_str(s, 4));
	snprintf(g->worker, sizeof g->worker, "%s", db_str(s, 5));
	snprintf(g->worker_name, sizeof g->worker_name, "%s", db_str(s, 6));
	g->households = db_int(s, 7);
	g->residents = db_int(s, 8);
	g->central_households = db_int(s, 9);
	g->org_id = db_int(s, 10);
	snprintf(path, pathlen, "%s", db_str(s, 11));
}

enum dj_result grid_load(db *d, const struct actor *a, const char *code, struct grid *g, struct field_errors *e)
{
	char path[256] = "";
	bool found = false;
	db_stmt *s = db_query(d, GRID_COLS "WHERE gr.code = ?", "t", code ? code : "");
	if (db_next(s)) {
		found = true;
		grid_read(s, g, path, sizeof path);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败：%s", db_errmsg(d));
	if (!found || !permission_allows(&perm_grid_view, a) || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "网格不存在或不在您的管辖范围内");
	return DJ_OK;
}

enum dj_result grids_each(db *d, const struct actor *a, void (*fn)(const struct grid *g, void *ctx), void *ctx)
{
	const char *scope = permission_allows(&perm_grid_view, a) ? actor_scope(a) : "";
	if (!*scope)
		return DJ_OK; /* nothing is inside an empty subtree */
	db_stmt *s = db_query(d, GRID_COLS "WHERE o.path LIKE ? || '%' ORDER BY o.path, gr.code", "t", scope);
	while (db_next(s)) {
		struct grid g;
		char path[256];
		grid_read(s, &g, path, sizeof path);
		fn(&g, ctx);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

enum dj_result households_each(db *d, const struct grid *g, bool by_member, void (*fn)(const struct household *h, void *ctx), void *ctx)
{
	db_stmt *s = db_query(d,
			      by_member ? "SELECT h.id, h.address, h.head_name, h.size, COALESCE(m.id, 0), COALESCE(m.name, '') FROM households h "
					  "LEFT JOIN members m ON m.id = h.central_member_id WHERE h.grid_id = ? ORDER BY m.name, h.id"
					: "SELECT h.id, h.address, h.head_name, h.size, COALESCE(m.id, 0), COALESCE(m.name, '') FROM households h "
					  "LEFT JOIN members m ON m.id = h.central_member_id WHERE h.grid_id = ? ORDER BY h.id",
			      "I", g->id);
	while (db_next(s)) {
		struct household h;
		h.id = db_int(s, 0);
		snprintf(h.address, sizeof h.address, "%s", db_str(s, 1));
		snprintf(h.head_name, sizeof h.head_name, "%s", db_str(s, 2));
		h.size = db_int(s, 3);
		h.central_member_id = db_int(s, 4);
		snprintf(h.central_member, sizeof h.central_member, "%s", db_str(s, 5));
		fn(&h, ctx);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

enum dj_result grid_create(db *d, const struct actor *a, const char *code, const char *name, const char *org, const char *worker, int64_t *id,
			   struct field_errors *e)
{
	*id = 0;
	if (!permission_allows(&perm_grid_create, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权新建网格");
	int errors = e->n;
	size_t cl = code ? strlen(code) : 0;
	if (cl < 2 || cl > 32 || strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") != cl)
		ferr_add(e, "code", "网格编码为 2–32 位字母、数字或连字符");
	else if (db_int1(d, 0, "SELECT COUNT(*) FROM grids WHERE code = ?", "t", code))
		ferr_add(e, "code", "网格编码已存在");
	if (!name || !*name || !utf8_valid(name) || utf8_len(name) > 30)
		ferr_add(e, "name", "请填写网格名称（30 字以内）");
	/* a grid lies in a village or a community: under its branch */
	int64_t oid = 0;
	char path[256] = "";
	db_stmt *s = db_query(d, "SELECT id, type, kind, path FROM orgs WHERE code = ? AND dissolved_at IS NULL", "t", org ? org : "");
	if (db_next(s) && !strcmp(db_str(s, 1), "branch") && (!strcmp(db_str(s, 2), "农村") || !strcmp(db_str(s, 2), "社区"))) {
		oid = db_int(s, 0);
		snprintf(path, sizeof path, "%s", db_str(s, 3));
	}
	db_done(s);
	if (!oid)
		ferr_add(e, "org", "网格应设在村或社区党支部之下");
	else if (!actor_covers(a, path))
		ferr_add(e, "org", "组织不在您的管辖范围内");
	int64_t wid = 0;
	if (worker) {
		wid = db_int1(d, 0, "SELECT id FROM users WHERE username = ? AND role = 'grid' AND active = 1", "t", worker);
		if (!wid)
			ferr_add(e, "worker", "网格员应为角色为“网格员”的用户");
	}
	if (e->n > errors)
		return DJ_INVALID;
	*id = db_int1(d, 0,
		      "INSERT INTO grids (org_id, code, name, worker_user_id, created_at) "
		      "VALUES (?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
		      "IttII", oid, code, name, wid, now_unix());
	if (!*id || audit_write(d, a, "grid.create", "grid", *id, oid, code) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}

enum dj_result household_add(db *d, const struct actor *a, const char *grid_code, const char *address, const char *head_name, int64_t size,
			     int64_t central_member_id, int64_t *id, struct field_errors *e)
{
	*id = 0;
	struct grid g;
	enum dj_result res = grid_load(d, a, grid_code, &g, e);
	if (res != DJ_OK)
		return res;
	if (!permission_allows(&perm_household_add, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权登记住户");
	if (!head_name)
		head_name = "";
	int errors = e->n;
	if (!address || !*address || !utf8_valid(address) || utf8_len(address) > 100)
		ferr_add(e, "address", "请填写住址（100 字以内）");
	if (!utf8_valid(head_name) || utf8_len(head_name) > 20)
		ferr_add(e, "head_name", "户主姓名不能超过 20 个字");
	if (size < 1 || size > 30)
		ferr_add(e, "size", "人口应为 1 到 30");
	if (central_member_id) {
		/* a 党员中心户 of the grid's own branch, about ten households each */
		int64_t ok = db_int1(d, 0,
				     "SELECT COUNT(*) FROM members m JOIN member_duties md ON md.member_id = m.id AND md.duty = '党员中心户' "
				     "JOIN orgs o ON o.id = m.org_id WHERE m.id = ? AND o.path LIKE (SELECT path FROM orgs WHERE id = ?) || '%'",
				     "II", central_member_id, g.org_id);
		if (!ok)
			ferr_add(e, "central_member_id", "应为本村（社区）的党员中心户");
		else if (db_int1(d, 0, "SELECT COUNT(*) FROM households WHERE central_member_id = ?", "I", central_member_id) >= 15)
			ferr_add(e, "central_member_id", "该党员中心户联系的住户已满 15 户");
	}
	if (e->n > errors)
		return DJ_INVALID;
	*id = db_int1(d, 0,
		      "INSERT INTO households (grid_id, address, head_name, size, central_member_id, created_at) "
		      "VALUES (?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
		      "IttIII", g.id, address, head_name, size, central_member_id, now_unix());
	if (!*id || audit_write(d, a, "household.create", "household", *id, g.org_id, address) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}
