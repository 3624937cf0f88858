/* users — accounts (issue 2 §4): each user has one role of SPEC §1 and belongs
 * to one org. Every change is audited here, so the admin pages, the account's
 * own password page and the CLI leave the same rows. Pages: users_web.c. */
#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "password.h"
#include "util.h"

const struct permission perm_user_view = {"user.view", "查看账号", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_user_manage = {"user.manage", "创建账号、重置密码、停用", R_ADMIN};

const char *users_check_username(const char *u)
{
	if (!u || !*u)
		return "请填写用户名";
	size_t n = strlen(u);
	if (n < 3 || n > 32)
		return "用户名长度应为 3 到 32 个字符";
	for (const char *p = u; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return "用户名只能包含小写字母、数字、下划线、点和连字符";
	return NULL;
}

const char *users_check_name(const char *name)
{
	if (!name || !*name)
		return "请填写姓名";
	if (!utf8_valid(name) || utf8_len(name) > 30)
		return "姓名不能超过 30 个字";
	return NULL;
}

/* Whether the org exists and the actor may manage accounts in it. */
static bool org_manageable(db *d, const struct actor *a, int64_t org_id)
{
	if (!org_id || !permission_allows(&perm_user_manage, a))
		return false;
	bool ok = false;
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", org_id);
	if (db_next(s))
		ok = actor_covers(a, db_str(s, 0));
	db_done(s);
	return ok;
}

/* Loads the account with its org's path; false when there is none. */
static bool user_row(db *d, int64_t id, struct user *u, char *path, size_t pathlen)
{
	bool found = false;
	db_stmt *s = db_query(d,
			      "SELECT u.username, u.name, u.role, u.org_id, u.active, o.path FROM users u JOIN orgs o ON o.id = u.org_id "
			      "WHERE u.id = ?",
			      "I", id);
	if (db_next(s)) {
		found = true;
		u->id = id;
		snprintf(u->username, sizeof u->username, "%s", db_str(s, 0));
		snprintf(u->name, sizeof u->name, "%s", db_str(s, 1));
		snprintf(u->role, sizeof u->role, "%s", db_str(s, 2));
		u->org_id = db_int(s, 3);
		u->active = db_int(s, 4) != 0;
		u->org_code[0] = u->org_name[0] = 0;
		snprintf(path, pathlen, "%s", db_str(s, 5));
	}
	db_done(s);
	return found;
}

enum dj_result users_load(db *d, const struct actor *a, int64_t id, struct user *u, struct field_errors *e)
{
	char path[256];
	if (!user_row(d, id, u, path, sizeof path) || !permission_allows(&perm_user_manage, a) || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "用户不存在");
	return DJ_OK;
}

enum dj_result users_each(db *d, const struct actor *a, void (*fn)(const struct user *u, void *ctx), void *ctx)
{
	if (!permission_allows(&perm_user_view, a))
		return DJ_FORBIDDEN;
	db_stmt *s = db_query(d,
			      "SELECT u.id, u.username, u.name, u.role, u.org_id, u.active, o.code, o.name FROM users u "
			      "JOIN orgs o ON o.id = u.org_id WHERE o.path LIKE ? || '%' ORDER BY o.path, u.role, u.username",
			      "t", actor_scope(a));
	while (db_next(s)) {
		struct user u;
		u.id = db_int(s, 0);
		snprintf(u.username, sizeof u.username, "%s", db_str(s, 1));
		snprintf(u.name, sizeof u.name, "%s", db_str(s, 2));
		snprintf(u.role, sizeof u.role, "%s", db_str(s, 3));
		u.org_id = db_int(s, 4);
		u.active = db_int(s, 5) != 0;
		snprintf(u.org_code, sizeof u.org_code, "%s", db_str(s, 6));
		snprintf(u.org_name, sizeof u.org_name, "%s", db_str(s, 7));
		fn(&u, ctx);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

#define USERS_PAGE_FROM                                                                                                     \
	"FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?) " \
	"AND (CAST(? AS TEXT) IS NULL OR u.username LIKE '%' || ? || '%' OR u.name LIKE '%' || ? || '%') "                  \
	"AND (CAST(? AS BIGINT) = 0 OR u.active = 1 AND u.password_hash = '') "

static void scope_range(const struct actor *a, char lo[256], char hi[256])
{
	snprintf(lo, 256, "%s", actor_scope(a));
	snprintf(hi, 256, "%s", actor_scope(a));
	if (*hi)
		hi[strlen(hi) - 1]++; /* paths are digits and '/': "/1/4/" covers ["/1/4/", "/1/40") */
}

const char *const users_sorts[] = {"org", "按组织", "username", "按用户名", "name", "按姓名", "role", "按角色", NULL};

/* One statement per order (the order is the statement's text, never a parameter), in the order of users_sorts. */
#define USERS_PAGE_SELECT                                                               \
	"SELECT u.id, u.username, u.name, u.role, u.org_id, u.active, o.code, o.name, " \
	"CASE WHEN u.active = 1 AND u.password_hash = '' THEN 1 ELSE 0 END " USERS_PAGE_FROM
static const char *const users_page_sql[] = {
	USERS_PAGE_SELECT "ORDER BY o.path, u.role, u.username LIMIT ? OFFSET ?",
	USERS_PAGE_SELECT "ORDER BY u.username LIMIT ? OFFSET ?",
	USERS_PAGE_SELECT "ORDER BY u.name, u.username LIMIT ? OFFSET ?",
	USERS_PAGE_SELECT "ORDER BY u.role, o.path, u.username LIMIT ? OFFSET ?",
};

enum dj_result users_page(db *d, const struct actor *a, const char *q, bool pending, const char *sort, int64_t limit, int64_t offset,
			  void (*fn)(const struct user *u, void *ctx), void *ctx, int64_t *total)
{
	*total = 0;
	if (!permission_allows(&perm_user_view, a))
		return DJ_FORBIDDEN;
	size_t order = 0;
	if (sort && *sort) {
		while (users_sorts[2 * order] && strcmp(users_sorts[2 * order], sort))
			order++;
		if (!users_sorts[2 * order])
			return DJ_INVALID;
	}
	char lo[256], hi[256];
	scope_range(a, lo, hi);
	if (q && !*q)
		q = NULL;
	*total = db_int1(d, 0, "SELECT COUNT(*) " USERS_PAGE_FROM, "tttttI", lo, hi, q, q, q, (int64_t)pending);
	db_stmt *s = db_query(d, users_page_sql[order], "tttttIII", lo, hi, q, q, q, (int64_t)pending, limit, offset);
	while (db_next(s)) {
		struct user u;
		u.id = db_int(s, 0);
		snprintf(u.username, sizeof u.username, "%s", db_str(s, 1));
		snprintf(u.name, sizeof u.name, "%s", db_str(s, 2));
		snprintf(u.role, sizeof u.role, "%s", db_str(s, 3));
		u.org_id = db_int(s, 4);
		u.active = db_int(s, 5) != 0;
		snprintf(u.org_code, sizeof u.org_code, "%s", db_str(s, 6));
		snprintf(u.org_name, sizeof u.org_name, "%s", db_str(s, 7));
		u.pending = db_int(s, 8) != 0;
		fn(&u, ctx);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

int64_t users_count_pending(db *d, const struct actor *a)
{
	if (!permission_allows(&perm_user_view, a))
		return 0;
	char lo[256], hi[256];
	scope_range(a, lo, hi);
	const char *none = NULL;
	return db_int1(d, 0, "SELECT COUNT(*) " USERS_PAGE_FROM, "tttttI", lo, hi, none, none, none, (int64_t)1);
}
#undef USERS_PAGE_FROM

void users_each_active(db *d, const char *under, int64_t org_id, int roles, void (*fn)(const struct user *u, void *ctx), void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT u.id, u.username, u.name, u.role, u.org_id, o.code, o.name FROM users u JOIN orgs o ON o.id = u.org_id "
			      "WHERE u.active = 1 AND (CAST(? AS BIGINT) > 0 AND u.org_id = ? OR CAST(? AS BIGINT) = 0 AND o.path LIKE ? || '%') "
			      "ORDER BY o.path, u.name, u.username",
			      "IIIt", org_id, org_id, org_id, under ? under : "/");
	while (db_next(s)) {
		struct user u = {.id = db_int(s, 0), .org_id = db_int(s, 4), .active = true};
		snprintf(u.username, sizeof u.username, "%s", db_str(s, 1));
		snprintf(u.name, sizeof u.name, "%s", db_str(s, 2));
		snprintf(u.role, sizeof u.role, "%s", db_str(s, 3));
		snprintf(u.org_code, sizeof u.org_code, "%s", db_str(s, 5));
		snprintf(u.org_name, sizeof u.org_name, "%s", db_str(s, 6));
		if (!roles || (role_from_key(u.role) & roles))
			fn(&u, ctx);
	}
	db_done(s);
}

int64_t users_count_active(db *d, const char *under)
{
	return db_int1(d, 0, "SELECT COUNT(*) FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.path LIKE ? || '%' AND u.active = 1", "t",
		       under ? under : "/");
}

int64_t users_id_by_username(db *d, const char *username)
{
	return db_int1(d, 0, "SELECT id FROM users WHERE username = ?", "t", username ? username : "");
}

/* Hashes and stores a new password (checked already). */
static enum dj_result store_password(db *d, int64_t id, const char *password, struct field_errors *e)
{
	char hash[128];
	if (!password_hash(password, hash))
		return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	if (db_run(d, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", "tII", hash, now_unix(), id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}

static enum dj_result end_sessions(db *d, int64_t id, struct field_errors *e)
{
	if (db_run(d, "DELETE FROM sessions WHERE user_id = ?", "I", id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}

static enum dj_result audit(db *d, const struct actor *a, const char *action, int64_t id, int64_t org_id, const char *summary, struct field_errors *e)
{
	if (audit_write(d, a, action, "user", id, org_id, summary) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}

/* demo: the demo's own accounts, which keep the published demo password
 * (only the strength rules apply to it). */
static enum dj_result create(db *d, const struct actor *a, const char *username, const char *name, const char *role, int64_t org_id, const char *password,
			     bool demo, int64_t *id, struct field_errors *e)
{
	*id = 0;
	if (!permission_allows(&perm_user_manage, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权创建账号");
	int errors = e->n;
	const char *why;
	if ((why = users_check_username(username)))
		ferr_add(e, "username", "%s", why);
	if ((why = users_check_name(name)))
		ferr_add(e, "name", "%s", why);
	if (!role_from_key(role))
		ferr_add(e, "role", "请选择角色");
	if (!org_manageable(d, a, org_id))
		ferr_add(e, "org_id", "请选择所属组织");
	if ((why = demo ? password_weak(password) : password_refused(username, password)))
		ferr_add(e, "password", "%s", why);
	if (e->n == errors && db_int1(d, 0, "SELECT COUNT(*) FROM users WHERE username = ?", "t", username) > 0)
		ferr_add(e, "username", "用户名已存在");
	if (e->n > errors)
		return DJ_INVALID;
	char hash[128];
	if (!password_hash(password, hash))
		return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	int64_t now = now_unix();
	*id = db_int1(d, 0,
		      "INSERT INTO users (username, password_hash, name, role, org_id, active, created_at, updated_at) "
		      "VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
		      "ttttIII", username, hash, name, role, org_id, now, now);
	if (!*id)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	char sum[200];
	snprintf(sum, sizeof sum, "新建 %s（%s，%s）", username, name, role_label(role_from_key(role)));
	return audit(d, a, "user.create", *id, org_id, sum, e);
}

enum dj_result users_create(db *d, const struct actor *a, const char *username, const char *name, const char *role, int64_t org_id, const char *password,
			    int64_t *id, struct field_errors *e)
{
	return create(d, a, username, name, role, org_id, password, false, id, e);
}

enum dj_result users_create_demo(db *d, const struct actor *a, const char *username, const char *name, const char *role, int64_t org_id,
				 const char *password, int64_t *id, struct field_errors *e)
{
	return create(d, a, username, name, role, org_id, password, true, id, e);
}

enum dj_result users_update(db *d, const struct actor *a, int64_t id, const char *name, const char *role, int64_t org_id, bool active,
			    const char *password, struct field_errors *e)
{
	struct user u;
	enum dj_result res = users_load(d, a, id, &u, e);
	if (res != DJ_OK)
		return res;
	bool new_password = password && *password;
	int errors = e->n;
	const char *why;
	if ((why = users_check_name(name)))
		ferr_add(e, "name", "%s", why);
	if (!role_from_key(role))
		ferr_add(e, "role", "请选择角色");
	if (!org_manageable(d, a, org_id))
		ferr_add(e, "org_id", "请选择所属组织");
	if (new_password && (why = password_refused(u.username, password)))
		ferr_add(e, "password", "%s", why);
	/* an admin who deactivated or demoted themselves could leave nobody to manage accounts */
	if (id == a->user_id && (!active || !role || strcmp(role, "admin")))
		ferr_add(e, "role", "不能停用自己或取消自己的管理员角色");
	if (e->n > errors)
		return DJ_INVALID;
	if (db_run(d, "UPDATE users SET name = ?, role = ?, org_id = ?, active = ?, updated_at = ? WHERE id = ?", "ttIiII", name, role, org_id,
		   active ? 1 : 0, now_unix(), id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	if (new_password && (res = store_password(d, id, password, e)) != DJ_OK)
		return res;
	if ((!active || new_password) && (res = end_sessions(d, id, e)) != DJ_OK)
		return res;
	char sum[400];
	snprintf(sum, sizeof sum, "%s/%s/org %lld/%s → %s/%s/org %lld/%s%s", u.name, u.role, (long long)u.org_id, u.active ? "启用" : "停用", name, role,
		 (long long)org_id, active ? "启用" : "停用", new_password ? "，重置密码" : "");
	return audit(d, a, "user.update", id, org_id, sum, e);
}

enum dj_result users_set_password(db *d, const struct actor *a, int64_t id, const char *password, struct field_errors *e)
{
	struct user u;
	char path[256];
	bool self = a->user_id && a->user_id == id;
	if (!user_row(d, id, &u, path, sizeof path) || (!self && !(permission_allows(&perm_user_manage, a) && actor_covers(a, path))))
		return dj_fail(e, DJ_NOT_FOUND, "用户不存在");
	const char *why = password_refused(u.username, password);
	if (why) {
		ferr_add(e, "password", "%s", why);
		return DJ_INVALID;
	}
	enum dj_result res = store_password(d, id, password, e);
	if (res == DJ_OK && !self)
		res = end_sessions(d, id, e);
	if (res != DJ_OK)
		return res;
	const char *sum = self ? "本人修改密码" : !strcmp(a->username, "cli") ? "命令行重置密码" : "重置密码";
	return audit(d, a, "user.password", id, u.org_id, sum, e);
}

char *users_password_hash_of(db *d, int64_t id)
{
	char *h = NULL;
	db_stmt *s = db_query(d, "SELECT password_hash FROM users WHERE id = ?", "I", id);
	if (db_next(s))
		h = strdup(db_str(s, 0));
	db_done(s);
	return h;
}

/* ---- accounts of roster members (accounts.c) ---- */

bool users_get(db *d, int64_t id, struct user *u)
{
	char path[256];
	return user_row(d, id, u, path, sizeof path);
}

bool users_has_password(db *d, int64_t id) { return db_int1(d, 0, "SELECT COUNT(*) FROM users WHERE id = ? AND password_hash <> ''", "I", id) > 0; }

static bool member_role(const char *role) { return role && (!strcmp(role, "member") || !strcmp(role, "grid")); }

enum dj_result users_create_pending(db *d, const struct actor *a, const char *username, const char *name, const char *role, int64_t org_id, int64_t *id,
				    struct field_errors *e)
{
	*id = 0;
	const char *why;
	if ((why = users_check_username(username)))
		return dj_fail(e, DJ_INVALID, "%s", why);
	if ((why = users_check_name(name)))
		return dj_fail(e, DJ_INVALID, "%s", why);
	if (!member_role(role))
		return dj_fail(e, DJ_INVALID, "党员账号的角色只能是党员或网格员");
	if (db_int1(d, 0, "SELECT COUNT(*) FROM users WHERE username = ?", "t", username) > 0)
		return dj_fail(e, DJ_CONFLICT, "用户名 %s 已存在", username);
	int64_t now = now_unix();
	/* an empty hash matches no password (password_verify): nobody logs in
	 * to the account before its activation sets one */
	*id = db_int1(d, 0,
		      "INSERT INTO users (username, password_hash, name, role, org_id, active, created_at, updated_at) "
		      "VALUES (?, '', ?, ?, ?, 1, ?, ?) RETURNING id",
		      "tttIII", username, name, role, org_id, now, now);
	if (!*id)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	char sum[200];
	snprintf(sum, sizeof sum, "新建 %s（%s，%s），待激活", username, name, role_label(role_from_key(role)));
	return audit(d, a, "user.create", *id, org_id, sum, e);
}

enum dj_result users_reopen(db *d, const struct actor *a, int64_t id, const char *name, const char *role, int64_t org_id, struct field_errors *e)
{
	struct user u;
	if (!users_get(d, id, &u))
		return dj_fail(e, DJ_NOT_FOUND, "用户不存在");
	if (!member_role(u.role) || !member_role(role))
		return dj_fail(e, DJ_CONFLICT, "该账号是工作人员账号，由管理员管理");
	if (u.active && !strcmp(u.role, role) && u.org_id == org_id && !strcmp(u.name, name))
		return DJ_OK;
	if (db_run(d, "UPDATE users SET name = ?, role = ?, org_id = ?, active = 1, updated_at = ? WHERE id = ?", "ttIII", name, role, org_id, now_unix(),
		   id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	char sum[400];
	snprintf(sum, sizeof sum, "%s/%s/org %lld/%s → %s/%s/org %lld/启用（重新开通）", u.name, u.role, (long long)u.org_id, u.active ? "启用" : "停用",
		 name, role, (long long)org_id);
	return audit(d, a, "user.update", id, org_id, sum, e);
}

enum dj_result users_move_org(db *d, const struct actor *a, int64_t id, int64_t org_id, const char *why, struct field_errors *e)
{
	struct user u;
	if (!users_get(d, id, &u))
		return dj_fail(e, DJ_NOT_FOUND, "用户不存在");
	if (!member_role(u.role))
		return dj_fail(e, DJ_CONFLICT, "该账号是工作人员账号，由管理员管理");
	if (u.org_id == org_id)
		return DJ_OK;
	if (db_run(d, "UPDATE users SET org_id = ?, updated_at = ? WHERE id = ?", "III", org_id, now_unix(), id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	char sum[400];
	snprintf(sum, sizeof sum, "%s/org %lld → org %lld（%s，账号与登录保持）", u.name, (long long)u.org_id, (long long)org_id, why ? why : "");
	return audit(d, a, "user.update", id, org_id, sum, e);
}

enum dj_result users_activate(db *d, const struct actor *a, int64_t id, const char *phone, const char *password, struct field_errors *e)
{
	struct user u;
	if (!users_get(d, id, &u) || !u.active)
		return dj_fail(e, DJ_NOT_FOUND, "用户不存在");
	const char *why = password_refused(u.username, password);
	if (!why && phone && strlen(phone) >= 8 && password && strstr(password, phone))
		why = "密码不能包含手机号";
	if (why) {
		ferr_add(e, "password", "%s", why);
		return DJ_INVALID;
	}
	enum dj_result res = store_password(d, id, password, e);
	if (res == DJ_OK)
		res = end_sessions(d, id, e);
	if (res != DJ_OK)
		return res;
	return audit(d, a, "user.activate", id, u.org_id, "凭激活码设置密码", e);
}

enum dj_result users_deactivate(db *d, const struct actor *a, int64_t id, const char *why, struct field_errors *e)
{
	struct user u;
	if (!users_get(d, id, &u))
		return dj_fail(e, DJ_NOT_FOUND, "用户不存在");
	if (!u.active)
		return DJ_OK;
	if (db_run(d, "UPDATE users SET active = 0, updated_at = ? WHERE id = ?", "II", now_unix(), id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	enum dj_result res = end_sessions(d, id, e);
	if (res != DJ_OK)
		return res;
	char sum[300];
	snprintf(sum, sizeof sum, "停用 %s（%s）：%s", u.username, u.name, why ? why : "");
	return audit(d, a, "user.deactivate", id, u.org_id, sum, e);
}
