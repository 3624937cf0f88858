/* grids — SPEC M9: grids in villages/communities with their grid workers;
 * households with address and size, each looked after by a 党员中心户.
 * Every change is audited here; pages and API are in grids_web.c. */
#include "grids.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "orders.h"
#include "util.h"
#include "valid.h"

const struct permission perm_grid_view = {"grid.view", "查看本辖区的网格和住户", R_STAFF | R_GRID};
const struct permission perm_grid_create = {"grid.create", "在村（社区）党支部下新建网格", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_household_add = {"household.add", "登记、修改、删除网格住户（网格员限本网格）", R_STAFF | R_GRID};
const struct permission perm_leader_manage = {"leader.manage", "登记网格的片长、组长、邻长（三长制）", R_STAFF | R_GRID};
const struct permission perm_order_collect = {"order.collect", "三长代群众反映社情民意", R_STAFF | R_GRID | R_MEMBER};

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
	else if (!strcmp(code, "new") || !strcmp(code, "mine") || !strcmp(code, "collect"))
		ferr_add(e, "code", "网格编码不能是 new、mine 或 collect");
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

bool grid_manages(const struct actor *a, const struct grid *g)
{
	if (!permission_allows(&perm_household_add, a))
		return false;
	/* grid_load already bounded the grid to the actor's subtree */
	return a->role != R_GRID || (*g->worker && !strcmp(g->worker, a->username));
}

bool grid_mine(db *d, const struct actor *a, char code[40])
{
	*code = 0;
	db_stmt *s = db_query(d, "SELECT code FROM grids WHERE worker_user_id = ? ORDER BY code LIMIT 1", "I", a->user_id);
	if (a->user_id && db_next(s))
		snprintf(code, 40, "%s", db_str(s, 0));
	db_done(s);
	return *code != 0;
}

/* A grid worker of the actor's subtree, by username: its id, or 0. */
static int64_t worker_id(db *d, const struct actor *a, const char *worker)
{
	return db_int1(d, 0,
		       "SELECT u.id FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ? AND u.role = 'grid' AND u.active = 1 "
		       "AND o.path LIKE ? || '%'",
		       "tt", worker, actor_scope(a));
}

enum dj_result grid_update(db *d, const struct actor *a, const char *code, const char *name, const char *worker, struct field_errors *e)
{
	struct grid g;
	enum dj_result res = grid_load(d, a, code, &g, e);
	if (res != DJ_OK)
		return res;
	if (!permission_allows(&perm_grid_create, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权修改网格");
	int errors = e->n;
	if (!name || !*name || !utf8_valid(name) || utf8_len(name) > 30)
		ferr_add(e, "name", "请填写网格名称（30 字以内）");
	int64_t wid = 0;
	if (worker && *worker && !(wid = worker_id(d, a, worker)))
		ferr_add(e, "worker", "网格员应为本辖区角色为“网格员”的用户");
	if (e->n > errors)
		return DJ_INVALID;
	char sum[300];
	snprintf(sum, sizeof sum, "%s：%s → %s，网格员 %s → %s", g.code, g.name, name, *g.worker ? g.worker : "无", wid ? worker : "无");
	if (db_run(d, "UPDATE grids SET name = ?, worker_user_id = NULLIF(CAST(? AS BIGINT), 0) WHERE id = ?", "tII", name, wid, g.id) != DB_OK ||
	    audit_write(d, a, "grid.update", "grid", g.id, g.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}

/* The fields of a household, checked for the grid; exclude: the household
 * being edited, not counted against its 党员中心户's 15. */
static int household_check(db *d, const struct grid *g, const char *address, const char *head_name, int64_t size, int64_t central_member_id,
			   int64_t exclude, struct field_errors *e)
{
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
				     "II", central_member_id, g->org_id);
		if (!ok)
			ferr_add(e, "central_member_id", "应为本村（社区）的党员中心户");
		else if (db_int1(d, 0, "SELECT COUNT(*) FROM households WHERE central_member_id = ? AND id <> ?", "II", central_member_id, exclude) >= 15)
			ferr_add(e, "central_member_id", "该党员中心户联系的住户已满 15 户");
	}
	return e->n - errors;
}

enum dj_result household_add(db *d, const struct actor *a, const char *grid_code, const char *address, const char *head_name, int64_t size,
			     int64_t central_member_id, int64_t *id, struct field_errors *e)
{
	*id = 0;
	struct grid g;
	enum dj_result res = grid_load(d, a, grid_code, &g, e);
	if (res != DJ_OK)
		return res;
	if (!grid_manages(a, &g))
		return dj_fail(e, DJ_FORBIDDEN, "无权登记住户：网格员只能登记本网格的住户");
	if (!head_name)
		head_name = "";
	if (household_check(d, &g, address, head_name, size, central_member_id, 0, e))
		return DJ_INVALID;
	*id = db_int1(d, 0,
		      "INSERT INTO households (grid_id, address, head_name, size, central_member_id, created_at) "
		      "VALUES (?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
		      "IttIII", g.id, address, head_name, size, central_member_id, now_unix());
	if (!*id || audit_write(d, a, "household.create", "household", *id, g.org_id, address) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}

enum dj_result household_load(db *d, const struct grid *g, int64_t id, struct household *h, struct field_errors *e)
{
	bool found = false;
	db_stmt *s = db_query(d,
			      "SELECT h.id, h.address, h.head_name, h.size, COALESCE(m.id, 0), COALESCE(m.name, '') FROM households h "
			      "LEFT JOIN members m ON m.id = h.central_member_id WHERE h.id = ? AND h.grid_id = ?",
			      "II", id, g->id);
	if (db_next(s)) {
		found = true;
		h->id = db_int(s, 0);
		snprintf(h->address, sizeof h->address, "%s", db_str(s, 1));
		snprintf(h->head_name, sizeof h->head_name, "%s", db_str(s, 2));
		h->size = db_int(s, 3);
		h->central_member_id = db_int(s, 4);
		snprintf(h->central_member, sizeof h->central_member, "%s", db_str(s, 5));
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败：%s", db_errmsg(d));
	return found ? DJ_OK : dj_fail(e, DJ_NOT_FOUND, "住户不存在");
}

enum dj_result household_update(db *d, const struct actor *a, const char *grid_code, int64_t id, const char *address, const char *head_name, int64_t size,
				int64_t central_member_id, struct field_errors *e)
{
	struct grid g;
	struct household h;
	enum dj_result res = grid_load(d, a, grid_code, &g, e);
	if (res == DJ_OK)
		res = household_load(d, &g, id, &h, e);
	if (res != DJ_OK)
		return res;
	if (!grid_manages(a, &g))
		return dj_fail(e, DJ_FORBIDDEN, "无权修改住户：网格员只能修改本网格的住户");
	if (!head_name)
		head_name = "";
	if (household_check(d, &g, address, head_name, size, central_member_id, id, e))
		return DJ_INVALID;
	char sum[400];
	snprintf(sum, sizeof sum, "%s（%s，%lld 人）", address, head_name, (long long)size);
	if (db_run(d, "UPDATE households SET address = ?, head_name = ?, size = ?, central_member_id = NULLIF(CAST(? AS BIGINT), 0) WHERE id = ?", "ttIII",
		   address, head_name, size, central_member_id, id) != DB_OK ||
	    audit_write(d, a, "household.update", "household", id, g.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}

enum dj_result household_remove(db *d, const struct actor *a, const char *grid_code, int64_t id, struct field_errors *e)
{
	struct grid g;
	struct household h;
	enum dj_result res = grid_load(d, a, grid_code, &g, e);
	if (res == DJ_OK)
		res = household_load(d, &g, id, &h, e);
	if (res != DJ_OK)
		return res;
	if (!grid_manages(a, &g))
		return dj_fail(e, DJ_FORBIDDEN, "无权删除住户：网格员只能删除本网格的住户");
	if (db_run(d, "DELETE FROM households WHERE id = ?", "I", id) != DB_OK ||
	    audit_write(d, a, "household.delete", "household", id, g.org_id, h.address) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "删除失败：%s", db_errmsg(d));
	return DJ_OK;
}

void grid_orgs_each(db *d, const struct actor *a, void (*fn)(const char *code, const char *name, void *ctx), void *ctx)
{
	if (!permission_allows(&perm_grid_create, a))
		return;
	db_stmt *s = db_query(d,
			      "SELECT code, name FROM orgs WHERE type = 'branch' AND kind IN ('农村', '社区') AND dissolved_at IS NULL "
			      "AND path LIKE ? || '%' ORDER BY path",
			      "t", actor_scope(a));
	while (db_next(s))
		fn(db_str(s, 0), db_str(s, 1), ctx);
	db_done(s);
}

void grid_workers_each(db *d, const struct actor *a, void (*fn)(const char *username, const char *name, void *ctx), void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT u.username, u.name FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.role = 'grid' AND u.active = 1 "
			      "AND o.path LIKE ? || '%' ORDER BY u.name, u.username",
			      "t", actor_scope(a));
	while (db_next(s))
		fn(db_str(s, 0), db_str(s, 1), ctx);
	db_done(s);
}

void grid_centrals_each(db *d, const struct grid *g, void (*fn)(int64_t id, const char *name, int64_t households, void *ctx), void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT m.id, m.name, (SELECT COUNT(*) FROM households h WHERE h.central_member_id = m.id) FROM members m "
			      "JOIN member_duties md ON md.member_id = m.id AND md.duty = '党员中心户' JOIN orgs o ON o.id = m.org_id "
			      "WHERE o.path LIKE (SELECT path FROM orgs WHERE id = ?) || '%' ORDER BY m.name, m.id",
			      "I", g->org_id);
	while (db_next(s))
		fn(db_int(s, 0), db_str(s, 1), db_int(s, 2), ctx);
	db_done(s);
}

/* ---- 三长制 ---- */

#define LEADER_COLS                                                                                              \
	"SELECT l.id, l.grid_id, l.role, l.name, l.phone, l.area, COALESCE(u.username, ''), gr.code, gr.name, "  \
	"(SELECT COUNT(*) FROM order_collectors c WHERE c.leader_id = l.id), COALESCE(l.user_id, 0), gr.org_id " \
	"FROM grid_leaders l JOIN grids gr ON gr.id = l.grid_id LEFT JOIN users u ON u.id = l.user_id "

static void leader_read(db_stmt *s, struct grid_leader *l)
{
	l->id = db_int(s, 0);
	l->grid_id = db_int(s, 1);
	snprintf(l->role, sizeof l->role, "%s", db_str(s, 2));
	snprintf(l->name, sizeof l->name, "%s", db_str(s, 3));
	snprintf(l->phone, sizeof l->phone, "%s", db_str(s, 4));
	snprintf(l->area, sizeof l->area, "%s", db_str(s, 5));
	snprintf(l->username, sizeof l->username, "%s", db_str(s, 6));
	snprintf(l->grid_code, sizeof l->grid_code, "%s", db_str(s, 7));
	snprintf(l->grid_name, sizeof l->grid_name, "%s", db_str(s, 8));
	l->collected = db_int(s, 9);
	l->user_id = db_int(s, 10);
	l->org_id = db_int(s, 11);
}

enum dj_result leaders_each(db *d, const struct grid *g, void (*fn)(const struct grid_leader *l, void *ctx), void *ctx)
{
	db_stmt *s = db_query(d,
			      LEADER_COLS "WHERE l.grid_id = ? AND l.removed_at IS NULL "
					  "ORDER BY CASE l.role WHEN '片长' THEN 1 WHEN '组长' THEN 2 ELSE 3 END, l.id",
			      "I", g->id);
	while (db_next(s)) {
		struct grid_leader l;
		leader_read(s, &l);
		fn(&l, ctx);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

enum dj_result leader_add(db *d, const struct actor *a, const char *grid_code, const char *role, const char *name, const char *phone, const char *area,
			  const char *username, int64_t *id, struct field_errors *e)
{
	*id = 0;
	struct grid g;
	enum dj_result res = grid_load(d, a, grid_code, &g, e);
	if (res != DJ_OK)
		return res;
	if (!permission_allows(&perm_leader_manage, a) || !grid_manages(a, &g))
		return dj_fail(e, DJ_FORBIDDEN, "无权登记本网格的三长");
	int errors = e->n;
	if (!role || (strcmp(role, "片长") && strcmp(role, "组长") && strcmp(role, "邻长")))
		ferr_add(e, "role", "请选择片长、组长或邻长");
	if (!name || !*name || !utf8_valid(name) || utf8_len(name) > 20)
		ferr_add(e, "name", "请填写姓名（20 字以内）");
	if (phone && *phone && !phone_valid(phone))
		ferr_add(e, "phone", "手机号应为 11 位数字");
	if (area && (!utf8_valid(area) || utf8_len(area) > 100))
		ferr_add(e, "area", "负责的住户或片区不能超过 100 个字");
	int64_t uid = 0;
	if (username && *username) {
		uid = db_int1(d, 0,
			      "SELECT u.id FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ? AND u.active = 1 "
			      "AND o.path LIKE (SELECT path FROM orgs WHERE id = ?) || '%'",
			      "tI", username, g.org_id);
		if (!uid)
			ferr_add(e, "username", "登录账号应为本村（社区）的在用账号");
	}
	if (e->n > errors)
		return DJ_INVALID;
	*id = db_int1(d, 0,
		      "INSERT INTO grid_leaders (grid_id, role, name, phone, area, user_id, created_at) "
		      "VALUES (?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
		      "IttttII", g.id, role, name, phone ? phone : "", area ? area : "", uid, now_unix());
	char sum[300];
	snprintf(sum, sizeof sum, "%s %s %s", g.code, role, name);
	if (!*id || audit_write(d, a, "leader.create", "grid", g.id, g.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}

enum dj_result leader_remove(db *d, const struct actor *a, const char *grid_code, int64_t id, struct field_errors *e)
{
	struct grid g;
	enum dj_result res = grid_load(d, a, grid_code, &g, e);
	if (res != DJ_OK)
		return res;
	if (!permission_allows(&perm_leader_manage, a) || !grid_manages(a, &g))
		return dj_fail(e, DJ_FORBIDDEN, "无权修改本网格的三长");
	char sum[200] = "";
	db_stmt *s = db_query(d, "SELECT role, name FROM grid_leaders WHERE id = ? AND grid_id = ? AND removed_at IS NULL", "II", id, g.id);
	if (db_next(s))
		snprintf(sum, sizeof sum, "%s %s %s", g.code, db_str(s, 0), db_str(s, 1));
	db_done(s);
	if (!*sum)
		return dj_fail(e, DJ_NOT_FOUND, "该三长不存在");
	if (db_run(d, "UPDATE grid_leaders SET removed_at = ? WHERE id = ?", "II", now_unix(), id) != DB_OK ||
	    audit_write(d, a, "leader.delete", "grid", g.id, g.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}

enum dj_result leader_roles_each(db *d, const struct actor *a, void (*fn)(const struct grid_leader *l, void *ctx), void *ctx)
{
	if (!a->user_id)
		return DJ_OK;
	db_stmt *s = db_query(d, LEADER_COLS "WHERE l.user_id = ? AND l.removed_at IS NULL ORDER BY gr.code, l.id", "I", a->user_id);
	while (db_next(s)) {
		struct grid_leader l;
		leader_read(s, &l);
		fn(&l, ctx);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

enum dj_result leader_collect(db *d, const struct actor *a, int64_t leader_id, const char *content, const char *urgency, const char *contact_name,
			      const char *contact_phone, const char *idempotency_key, char code[24], bool *repeated, struct field_errors *e)
{
	*code = 0;
	*repeated = false;
	if (!permission_allows(&perm_order_collect, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权代群众反映社情民意");
	struct grid_leader l;
	bool found = false;
	db_stmt *s = db_query(d, LEADER_COLS "WHERE l.id = ? AND l.removed_at IS NULL", "I", leader_id);
	if (db_next(s)) {
		found = true;
		leader_read(s, &l);
	}
	db_done(s);
	if (!found)
		return dj_fail(e, DJ_NOT_FOUND, "该三长不存在");
	/* the 三长 themself, or who may manage the grid (its branch, its grid worker) */
	if (!(a->user_id && l.user_id == a->user_id)) {
		struct grid g;
		struct field_errors ge = {0};
		if (grid_load(d, a, l.grid_code, &g, &ge) != DJ_OK)
			return dj_fail(e, DJ_NOT_FOUND, "该三长不存在");
		if (!grid_manages(a, &g))
			return dj_fail(e, DJ_FORBIDDEN, "只有该三长本人、本网格网格员或支部可代为反映");
	}
	struct order_new o;
	memset(&o, 0, sizeof o);
	snprintf(o.kind, sizeof o.kind, "opinion");
	snprintf(o.urgency, sizeof o.urgency, "%s", urgency && *urgency ? urgency : "normal");
	snprintf(o.content, sizeof o.content, "%s", content ? content : "");
	snprintf(o.grid_code, sizeof o.grid_code, "%s", l.grid_code);
	snprintf(o.contact_name, sizeof o.contact_name, "%s", contact_name ? contact_name : "");
	snprintf(o.contact_phone, sizeof o.contact_phone, "%s", contact_phone ? contact_phone : "");
	snprintf(o.idempotency_key, sizeof o.idempotency_key, "%s", idempotency_key ? idempotency_key : "");
	enum dj_result res = order_create(d, a, &o, code, repeated, e);
	if (res != DJ_OK || *repeated)
		return res;
	int64_t oid = db_int1(d, 0, "SELECT id FROM orders WHERE code = ?", "t", code);
	char sum[300];
	snprintf(sum, sizeof sum, "%s %s %s 代 %s 反映社情民意 %s", l.grid_name, l.role, l.name, o.contact_name, code);
	if (!oid ||
	    db_run(d, "INSERT INTO order_collectors (order_id, leader_id, entered_by, at) VALUES (?, ?, NULLIF(CAST(? AS BIGINT), 0), ?)", "IIII", oid,
		   leader_id, a->user_id, now_unix()) != DB_OK ||
	    audit_write(d, a, "order.collect", "order", oid, l.org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}
