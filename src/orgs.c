/* orgs — the org tree (SPEC §1, M1; issue 3): 县委 → 镇党委 → 党总支 →
 * 党支部 → 党小组, each with a stable code, a type, a kind, its secretary and
 * the villages/communities it serves; create, edit (rename with history),
 * move with its subtree, dissolve when empty.
 *
 * Each org stores its path of ids from the root ('/1/4/9/'), so "the
 * caller's subtree" is one indexed prefix match, and a move rewrites the
 * paths of the whole subtree in one statement. Every change is written to
 * org_history (who, when, from → to) and, by the handlers, to the audit log.
 *
 * Who may do what: perm_org_manage (admin everywhere; committee inside its
 * subtree, so never above or beside itself), checked against the org acted
 * on and, for a create or a move, against the new parent too. */
#include "orgs.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "json.h"
#include "layout.h"
#include "users.h"
#include "util.h"
#include "web.h"
#include "module.h"

const struct permission perm_org_view = {"org.view", "查看本组织及下级组织", R_ANY};
const struct permission perm_org_manage = {"org.manage", "新建、编辑、调整、撤销组织", R_ADMIN | R_COMMITTEE};

/* ---- the rules (pure: no database) ---- */

static const char *const type_labels[] = {
	"county", "县委", "committee", "镇党委", "general", "党总支", "branch", "党支部", "group", "党小组", "dept", "部门", NULL,
};

const char *const org_type_keys[] = {"county", "committee", "general", "branch", "group", "dept", NULL};
const char *const org_kind_list[] = {"农村", "社区", "机关", "企业", "学校", "社会组织", NULL};

/* Which parent each type may have (SPEC §1): one row per allowed pair; "" is "no parent". */
static const struct {
	const char *type, *parent;
} type_rules[] = {
	{"county", ""},         {"committee", "county"}, {"general", "committee"}, {"branch", "committee"},
	{"branch", "general"},  {"dept", "committee"},   {"group", "branch"},
};
#define N_RULES (sizeof type_rules / sizeof type_rules[0])

const char *org_type_label(const char *type)
{
	for (const char *const *t = type_labels; type && *t; t += 2)
		if (!strcmp(*t, type))
			return t[1];
	return type ? type : "";
}

static bool type_known(const char *type)
{
	for (const char *const *t = org_type_keys; type && *t; t++)
		if (!strcmp(*t, type))
			return true;
	return false;
}

bool org_type_fits(const char *type, const char *parent_type)
{
	const char *p = parent_type ? parent_type : "";
	for (size_t i = 0; type && i < N_RULES; i++)
		if (!strcmp(type_rules[i].type, type) && !strcmp(type_rules[i].parent, p))
			return true;
	return false;
}

/* Joins the labels of the types on one side of the rules: "党总支、党支部或部门". */
static const char *rule_labels(bool children, const char *t, char *out, size_t n)
{
	const char *found[N_RULES];
	size_t k = 0;
	for (size_t i = 0; i < N_RULES; i++)
		if (!strcmp(children ? type_rules[i].parent : type_rules[i].type, t ? t : ""))
			found[k++] = children ? type_rules[i].type : type_rules[i].parent;
	out[0] = 0;
	for (size_t i = 0; i < k; i++) {
		size_t l = strlen(out);
		snprintf(out + l, n - l, "%s%s", i == 0 ? "" : i + 1 == k ? "或" : "、", *found[i] ? org_type_label(found[i]) : "（无上级）");
	}
	return out;
}

const char *org_children_label(const char *parent_type)
{
	static _Thread_local char out[128];
	rule_labels(true, parent_type, out, sizeof out);
	return *out ? out : NULL;
}

/* May an org of this type hold any children at all? */
static bool type_has_children(const char *type)
{
	for (size_t i = 0; type && i < N_RULES; i++)
		if (!strcmp(type_rules[i].parent, type))
			return true;
	return false;
}

bool org_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n < ORG_CODE_MIN || n > ORG_CODE_MAX)
		return false;
	for (const char *p = code; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

bool org_kind_valid(const char *kind)
{
	if (!kind)
		return false;
	if (!*kind)
		return true;
	for (const char *const *k = org_kind_list; *k; k++)
		if (!strcmp(*k, kind))
			return true;
	return false;
}

/* A mobile number, or a landline as written in China: 0635-3280000, 063532800000, 3280000. */
bool org_phone_valid(const char *p)
{
	if (!p)
		return false;
	if (!*p || phone_valid(p))
		return true;
	size_t n = strlen(p), digits = 0;
	if (n < 7 || n > 20 || p[0] < '0' || p[0] > '9' || p[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			digits++;
		else if (p[i] != '-' || p[i + 1] == '-')
			return false;
	}
	return digits >= 7;
}

/* Copies v, trimmed, into dst; remembers the first field that did not fit. */
static void set_text(struct org *o, const char *field, char *dst, size_t n, const char *v)
{
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	size_t len = strlen(v);
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\n' || v[len - 1] == '\r'))
		len--;
	if (len >= n) {
		if (!*o->too_long)
			snprintf(o->too_long, sizeof o->too_long, "%s", field);
		len = 0;
	}
	memcpy(dst, v, len);
	dst[len] = 0;
}

bool org_set(struct org *o, const char *field, const char *value)
{
	const char *v = value ? value : "";
#define SET(f) set_text(o, #f, o->f, sizeof o->f, v)
	if (!strcmp(field, "code")) SET(code);
	else if (!strcmp(field, "name")) SET(name);
	else if (!strcmp(field, "kind")) SET(kind);
	else if (!strcmp(field, "secretary")) SET(secretary);
	else if (!strcmp(field, "serves")) SET(serves);
	else if (!strcmp(field, "phone")) SET(phone);
	else if (!strcmp(field, "type")) {
		SET(type);
		for (const char *const *t = type_labels; *t; t += 2) /* the Chinese label works too */
			if (!strcmp(t[1], o->type))
				snprintf(o->type, sizeof o->type, "%s", t[0]);
	} else
		return false;
#undef SET
	return true;
}

static bool one_line(const char *s)
{
	if (!utf8_valid(s))
		return false;
	for (const char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			return false;
	return true;
}

/* A free-text field: valid one-line text of at most max characters, present when required. */
static void check_text(struct field_errors *e, const struct org *o, const char *field, const char *label, const char *v, size_t max,
		       bool required)
{
	if (!strcmp(o->too_long, field) || (utf8_valid(v) && utf8_len(v) > max))
		ferr_add(e, field, "%s不能超过 %zu 个字", label, max);
	else if (!one_line(v))
		ferr_add(e, field, "%s含有无效字符（不能有换行或控制字符）", label);
	else if (required && !*v)
		ferr_add(e, field, "请填写%s", label);
}

void org_check(const struct org *o, bool creating, struct field_errors *e)
{
	if (creating) {
		if (!*o->code && strcmp(o->too_long, "code"))
			ferr_add(e, "code", "请填写组织编码");
		else if (!strcmp(o->too_long, "code") || !org_code_valid(o->code))
			ferr_add(e, "code", "组织编码须为 %d–%d 位英文字母、数字或连字符（-），如 CJZ-XJC-2", ORG_CODE_MIN, ORG_CODE_MAX);
		if (!*o->type && strcmp(o->too_long, "type"))
			ferr_add(e, "type", "请选择组织类型");
		else if (!type_known(o->type))
			ferr_add(e, "type", "组织类型应为县委、镇党委、党总支、党支部、党小组或部门");
	}
	check_text(e, o, "name", "组织名称", o->name, ORG_NAME_MAX, true);
	if (!strcmp(o->too_long, "kind") || !org_kind_valid(o->kind))
		ferr_add(e, "kind", "组织领域应为农村、社区、机关、企业、学校、社会组织之一，或不填");
	check_text(e, o, "secretary", "书记姓名", o->secretary, ORG_SECRETARY_MAX, false);
	check_text(e, o, "serves", "服务的村（社区）", o->serves, ORG_SERVES_MAX, false);
	if (!strcmp(o->too_long, "phone") || !org_phone_valid(o->phone))
		ferr_add(e, "phone", "联系电话应为手机号或座机号（如 0635-3280000），可不填");
}

/* ---- the database side ---- */

#define ORG_SELECT                                                                                               \
	"SELECT o.id, COALESCE(o.parent_id, 0), o.code, o.name, o.type, o.kind, o.secretary, o.serves, o.phone, o.path, " \
	"COALESCE(p.code, ''), o.created_at, COALESCE(o.dissolved_at, 0) FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id "

static void org_from_row(db_stmt *s, struct org *o)
{
	memset(o, 0, sizeof *o);
	o->id = db_int(s, 0);
	o->parent_id = db_int(s, 1);
	snprintf(o->code, sizeof o->code, "%s", db_str(s, 2));
	snprintf(o->name, sizeof o->name, "%s", db_str(s, 3));
	snprintf(o->type, sizeof o->type, "%s", db_str(s, 4));
	snprintf(o->kind, sizeof o->kind, "%s", db_str(s, 5));
	snprintf(o->secretary, sizeof o->secretary, "%s", db_str(s, 6));
	snprintf(o->serves, sizeof o->serves, "%s", db_str(s, 7));
	snprintf(o->phone, sizeof o->phone, "%s", db_str(s, 8));
	snprintf(o->path, sizeof o->path, "%s", db_str(s, 9));
	snprintf(o->parent_code, sizeof o->parent_code, "%s", db_str(s, 10));
	o->created_at = db_int(s, 11);
	o->dissolved_at = db_int(s, 12);
}

bool org_load(db *d, int64_t id, struct org *o)
{
	db_stmt *s = db_query(d, ORG_SELECT "WHERE o.id = ?", "I", id);
	bool found = db_next(s);
	if (found)
		org_from_row(s, o);
	return db_done(s) == DB_OK && found;
}

/* Tree order: paths compared id by id as numbers, so a parent comes before
 * its subtree and siblings come in the order they were made ('/1/2/3/'
 * before '/1/2/10/'). */
static int cmp_path(const void *a, const void *b)
{
	const char *x = ((const struct org *)a)->path, *y = ((const struct org *)b)->path;
	while (*x && *y) {
		if (*x == '/' && *y == '/') {
			x++, y++;
			continue;
		}
		char *ex, *ey;
		long long vx = strtoll(x, &ex, 10), vy = strtoll(y, &ey, 10);
		if (ex == x || ey == y) /* not a number: plain bytes */
			return strcmp(x, y);
		if (vx != vy)
			return vx < vy ? -1 : 1;
		x = ex, y = ey;
	}
	return (unsigned char)*x - (unsigned char)*y;
}

/* The orgs under prefix in tree order. Sorted here rather than by SQL, where
 * text order puts '/1/10/' before '/1/2/' and depends on the collation. */
static struct org *orgs_under(db *d, const char *prefix, bool with_dissolved, size_t *n)
{
	size_t cap = 32;
	struct org *v = malloc(cap * sizeof *v);
	*n = 0;
	db_stmt *s = db_query(d, ORG_SELECT "WHERE o.path LIKE ? || '%' AND (CAST(? AS BIGINT) = 1 OR o.dissolved_at IS NULL)", "tI",
			      prefix, (int64_t)with_dissolved);
	while (db_next(s)) {
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		org_from_row(s, &v[(*n)++]);
	}
	db_done(s);
	qsort(v, *n, sizeof *v, cmp_path);
	return v;
}

static int depth_of(const char *path)
{
	int d = 0;
	for (const char *p = path; *p; p++)
		d += *p == '/';
	return d - 1;
}

/* Writes that change the shape of the tree (create, move, dissolve) take one
 * lock first, so two of them cannot each pass their checks against a state
 * the other is changing (a move into a subtree being moved, a child created
 * under an org being dissolved). SQLite's BEGIN IMMEDIATE already serialises
 * writers; PostgreSQL's READ COMMITTED needs the transaction-scoped lock. */
static bool tree_lock(db *d)
{
	return db_kind(d) != DB_PG || db_run(d, "SELECT pg_advisory_xact_lock(4243)", "") == DB_OK;
}

static int history_add(db *d, int64_t org, const char *kind, const char *from, const char *to, const char *note, int64_t by)
{
	return db_run(d, "INSERT INTO org_history (org_id, at, kind, from_value, to_value, user_id, note) "
			 "VALUES (?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?)",
		      "IItttIt", org, now_unix(), kind, from ? from : "", to ? to : "", by, note ? note : "");
}

/* Inserts o under the parent with path parent_path ("" for a root) and sets its own path. */
static int64_t org_insert(db *d, struct org *o, const char *parent_path)
{
	int64_t id = db_int1(d, 0,
			     "INSERT INTO orgs (parent_id, code, name, type, kind, secretary, serves, phone, path, created_at) "
			     "VALUES (NULLIF(CAST(? AS BIGINT), 0), ?, ?, ?, ?, ?, ?, ?, '', ?) RETURNING id",
			     "ItttttttI", o->parent_id, o->code, o->name, o->type, o->kind, o->secretary, o->serves, o->phone, now_unix());
	if (!id)
		return 0;
	snprintf(o->path, sizeof o->path, "%s%lld/", *parent_path ? parent_path : "/", (long long)id);
	if (db_run(d, "UPDATE orgs SET path = ? WHERE id = ?", "tI", o->path, id) != DB_OK)
		return 0;
	o->id = id;
	return id;
}

int64_t orgs_create(db *d, int64_t parent_id, const char *code, const char *name, const char *type, const char *kind)
{
	struct org o;
	memset(&o, 0, sizeof o);
	char parent_path[256] = "";
	if (parent_id) {
		struct org p;
		if (!org_load(d, parent_id, &p))
			return 0;
		snprintf(parent_path, sizeof parent_path, "%s", p.path);
	}
	o.parent_id = parent_id;
	snprintf(o.code, sizeof o.code, "%s", code);
	snprintf(o.name, sizeof o.name, "%s", name);
	snprintf(o.type, sizeof o.type, "%s", type);
	snprintf(o.kind, sizeof o.kind, "%s", kind ? kind : "");
	if (!org_insert(d, &o, parent_path) || history_add(d, o.id, "create", "", o.name, "", 0) != DB_OK)
		return 0;
	return o.id;
}

int64_t orgs_id_by_code(db *d, const char *code)
{
	return code && *code ? db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", code) : 0;
}

/* "党支部只能设在镇党委或党总支之下，不能设在党小组之下" */
static void misfit(struct field_errors *e, const char *field, const char *type, const char *parent_type)
{
	char allowed[128];
	rule_labels(false, type, allowed, sizeof allowed);
	if (!strcmp(type, "county"))
		ferr_add(e, field, "县委是最上级组织，不能设在其他组织之下");
	else if (!parent_type || !*parent_type)
		ferr_add(e, field, "请选择上级组织：%s只能设在%s之下", org_type_label(type), allowed);
	else
		ferr_add(e, field, "%s只能设在%s之下，不能设在%s之下", org_type_label(type), allowed, org_type_label(parent_type));
}

enum org_result org_create(db *d, struct org *o, int64_t by_user, struct field_errors *e)
{
	if (!tree_lock(d))
		return ORG_DBERR;
	int n0 = e->n;
	org_check(o, true, e);
	struct org parent;
	memset(&parent, 0, sizeof parent);
	if (o->parent_id) {
		if (!org_load(d, o->parent_id, &parent))
			ferr_add(e, "parent", "上级组织不存在");
		else if (parent.dissolved_at)
			ferr_add(e, "parent", "上级组织已撤销，不能在其下新建组织");
	}
	if (!ferr_get(e, "type") && !ferr_get(e, "parent") && !org_type_fits(o->type, o->parent_id ? parent.type : NULL))
		misfit(e, o->parent_id ? "type" : "parent", o->type, o->parent_id ? parent.type : NULL);
	if (!ferr_get(e, "code") && db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE LOWER(code) = LOWER(?)", "t", o->code) > 0)
		ferr_add(e, "code", "组织编码 %s 已被使用（编码不区分大小写，撤销的组织也占用编码）", o->code);
	if (e->n > n0)
		return ORG_INVALID;
	if (!org_insert(d, o, o->parent_id ? parent.path : ""))
		return ORG_DBERR;
	char note[200] = "";
	if (o->parent_id)
		snprintf(note, sizeof note, "上级组织：%s", parent.name);
	return history_add(d, o->id, "create", "", o->name, note, by_user) == DB_OK ? ORG_OK : ORG_DBERR;
}

enum org_result org_update(db *d, const struct org *before, const struct org *after, int64_t by_user, struct field_errors *e)
{
	if (before->dissolved_at) {
		ferr_add(e, "_form", "该组织已撤销，不能再修改");
		return ORG_CONFLICT;
	}
	int n0 = e->n;
	org_check(after, false, e);
	if (e->n > n0)
		return ORG_INVALID;
	if (db_run(d, "UPDATE orgs SET name = ?, kind = ?, secretary = ?, serves = ?, phone = ? WHERE id = ? AND dissolved_at IS NULL",
		   "tttttI", after->name, after->kind, after->secretary, after->serves, after->phone, before->id) != DB_OK)
		return ORG_DBERR;
	if (db_changes(d) != 1) { /* dissolved since it was read */
		ferr_add(e, "_form", "该组织已撤销，不能再修改");
		return ORG_CONFLICT;
	}
	int rc = DB_OK;
	if (strcmp(before->name, after->name))
		rc |= history_add(d, before->id, "rename", before->name, after->name, "", by_user);
	static const struct {
		const char *label;
		size_t off;
	} fields[] = {
		{"组织领域", offsetof(struct org, kind)},
		{"书记", offsetof(struct org, secretary)},
		{"服务的村（社区）", offsetof(struct org, serves)},
		{"联系电话", offsetof(struct org, phone)},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const char *was = (const char *)before + fields[i].off, *now = (const char *)after + fields[i].off;
		if (strcmp(was, now))
			rc |= history_add(d, before->id, "edit", was, now, fields[i].label, by_user);
	}
	return rc == DB_OK ? ORG_OK : ORG_DBERR;
}

enum org_result org_move(db *d, int64_t id, int64_t new_parent, int64_t by_user, struct field_errors *e)
{
	struct org o, p, old;
	if (!tree_lock(d))
		return ORG_DBERR;
	if (!org_load(d, id, &o)) {
		ferr_add(e, "_form", "组织不存在");
		return ORG_INVALID;
	}
	if (o.dissolved_at) {
		ferr_add(e, "_form", "该组织已撤销，不能移动");
		return ORG_CONFLICT;
	}
	if (!new_parent) {
		ferr_add(e, "parent", "请选择新的上级组织");
		return ORG_INVALID;
	}
	if (!org_load(d, new_parent, &p)) {
		ferr_add(e, "parent", "上级组织不存在");
		return ORG_INVALID;
	}
	size_t plen = strlen(o.path);
	if (p.id == o.id || !strncmp(p.path, o.path, plen)) {
		ferr_add(e, "parent", "不能把组织移到它自己或它的下级组织之下");
		return ORG_INVALID;
	}
	if (p.dissolved_at) {
		ferr_add(e, "parent", "所选上级组织已撤销");
		return ORG_INVALID;
	}
	if (p.id == o.parent_id) {
		ferr_add(e, "parent", "该组织已在所选上级组织之下");
		return ORG_INVALID;
	}
	if (!org_type_fits(o.type, p.type)) {
		misfit(e, "parent", o.type, p.type);
		return ORG_INVALID;
	}
	char path[256];
	if ((size_t)snprintf(path, sizeof path, "%s%lld/", p.path, (long long)o.id) >= sizeof path ||
	    db_int1(d, 0, "SELECT MAX(LENGTH(path)) FROM orgs WHERE path LIKE ? || '%'", "t", o.path) - (int64_t)plen + (int64_t)strlen(path) >= 250) {
		ferr_add(e, "parent", "组织层级过深");
		return ORG_INVALID;
	}
	int64_t below = db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE path LIKE ? || '%' AND id <> ?", "tI", o.path, o.id);
	/* The org and its whole subtree in one statement: each path's prefix is swapped. */
	if (db_run(d, "UPDATE orgs SET path = CAST(? AS TEXT) || SUBSTR(path, CAST(? AS INTEGER)) WHERE path LIKE CAST(? AS TEXT) || '%'",
		   "tIt", path, (int64_t)plen + 1, o.path) != DB_OK ||
	    db_run(d, "UPDATE orgs SET parent_id = ? WHERE id = ?", "II", p.id, o.id) != DB_OK)
		return ORG_DBERR;
	char from[240] = "—", to[240], note[80] = "";
	if (o.parent_id && org_load(d, o.parent_id, &old))
		snprintf(from, sizeof from, "%s（%s）", old.name, old.code);
	snprintf(to, sizeof to, "%s（%s）", p.name, p.code);
	if (below)
		snprintf(note, sizeof note, "下级组织 %lld 个随同移动", (long long)below);
	return history_add(d, o.id, "move", from, to, note, by_user) == DB_OK ? ORG_OK : ORG_DBERR;
}

enum org_result org_dissolve(db *d, int64_t id, int64_t by_user, struct field_errors *e)
{
	struct org o;
	if (!tree_lock(d))
		return ORG_DBERR;
	if (!org_load(d, id, &o)) {
		ferr_add(e, "_form", "组织不存在");
		return ORG_INVALID;
	}
	if (o.dissolved_at) {
		char at[20];
		fmt_time(o.dissolved_at, at);
		ferr_add(e, "_form", "该组织已于 %s 撤销", at);
		return ORG_CONFLICT;
	}
	int64_t children = db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND dissolved_at IS NULL", "I", id);
	int64_t members = db_int1(d, 0, "SELECT COUNT(*) FROM members WHERE org_id = ?", "I", id);
	int64_t registered = db_int1(d, 0, "SELECT COUNT(*) FROM members WHERE service_org_id = ?", "I", id);
	int64_t users = db_int1(d, 0, "SELECT COUNT(*) FROM users WHERE org_id = ? AND active = 1", "I", id);
	if (children || members || registered || users) {
		char what[300] = "";
		size_t l;
#define WHAT(cond, ...) \
	if (cond)       \
		l = strlen(what), snprintf(what + l, sizeof what - l, __VA_ARGS__)
		WHAT(children, "%s下级组织 %lld 个", *what ? "、" : "", (long long)children);
		WHAT(members, "%s党员 %lld 名", *what ? "、" : "", (long long)members);
		WHAT(registered, "%s在此报到的党员 %lld 名", *what ? "、" : "", (long long)registered);
		WHAT(users, "%s在用账号 %lld 个", *what ? "、" : "", (long long)users);
#undef WHAT
		/* field_errors holds 160 bytes: no names here, only counts */
		ferr_add(e, "_form", "不能撤销：仍有%s", what);
		return ORG_CONFLICT;
	}
	if (db_run(d, "UPDATE orgs SET dissolved_at = ? WHERE id = ?", "II", now_unix(), id) != DB_OK)
		return ORG_DBERR;
	return history_add(d, id, "dissolve", o.name, "", "", by_user) == DB_OK ? ORG_OK : ORG_DBERR;
}

/* ---- shared by pages and API ---- */

/* The caller's subtree root: admin sees from the top. */
static const char *scope_prefix(req *r) { return r->actor.role == R_ADMIN ? "/" : r->actor.org_path; }

/* The org named by the path (an id, or for the API also a code) if the caller
 * may see it; 404 otherwise: out of scope and absent look the same. */
static bool load_visible(req *r, struct org *o)
{
	const char *key = req_param(r, "id");
	int64_t id = parse_id(key);
	if (!id && r->route && (r->route->flags & RF_API))
		id = orgs_id_by_code(r->db, key);
	if (!id || !authorize(r, &perm_org_view, id) || !org_load(r->db, id, o)) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return false;
	}
	return true;
}

/* … and the caller may manage it; 403 otherwise. */
static bool load_managed(req *r, struct org *o)
{
	if (!load_visible(r, o))
		return false;
	if (!authorize(r, &perm_org_manage, o->id)) {
		req_error(r, 403, "forbidden", "您的角色不能管理组织架构");
		return false;
	}
	return true;
}

/* A parent the caller may put an org under: inside its subtree (for the
 * committee, its own org or below, never above or beside it); 0 is "no
 * parent", for admin only (a new 县委). */
static bool may_use_parent(req *r, int64_t parent)
{
	return parent ? authorize(r, &perm_org_manage, parent) : r->actor.role == R_ADMIN;
}

static const char *history_label(const char *kind)
{
	static const char *const k[] = {"create", "新建", "rename", "更名", "move", "移动", "dissolve", "撤销", "edit", "信息修改", NULL};
	for (const char *const *p = k; *p; p += 2)
		if (!strcmp(*p, kind))
			return p[1];
	return kind;
}

static void audit_org(req *r, const char *action, const struct org *o, const char *what)
{
	char sum[600]; /* audit_log keeps 600 bytes; names and codes are bounded, so nothing is cut */
	snprintf(sum, sizeof sum, "%s（%s）%s%s", o->name, o->code, what && *what ? "：" : "", what ? what : "");
	audit_log(r, action, "org", o->id, o->id, sum);
}

/* ---- pages ---- */

/* The field of a form that a domain error names. */
static const char *form_field(const char *f) { return !strcmp(f, "parent") ? "parent_id" : f; }

static void form_errors_from(req *r, const struct field_errors *e)
{
	for (int i = 0; i < e->n; i++)
		form_error(r, form_field(e->e[i].field), e->e[i].msg);
}

/* Options for a parent: active orgs of the caller's subtree that may hold
 * `type` (any type that holds children when type is NULL), and for a move
 * neither the org itself, nor one below it, nor its current parent. Writes
 * the <select> into out and returns how many options it offered. */
static int parent_select(req *r, buf *out, const char *label, const char *type, const struct org *moving, int64_t selected,
			 bool allow_root)
{
	size_t n;
	struct org *v = orgs_under(r->db, scope_prefix(r), false, &n);
	const char *err = form_error_for(r, "parent_id");
	html_printf(out, "<div class=\"field%s\"><label for=\"f-parent_id\">%s</label><select id=\"f-parent_id\" name=\"parent_id\"%s>",
		    err ? " has-error" : "", label, err ? " aria-invalid=\"true\"" : "");
	int k = 0, top = n ? depth_of(v[0].path) : 0;
	if (allow_root) {
		html_printf(out, "<option value=\"0\"%s>（无上级：新建县委）</option>", selected == 0 ? " selected" : "");
		k++;
	}
	for (size_t i = 0; i < n; i++) {
		if (type ? !org_type_fits(type, v[i].type) : !type_has_children(v[i].type))
			continue;
		if (moving && (!strncmp(v[i].path, moving->path, strlen(moving->path)) || v[i].id == moving->parent_id))
			continue;
		int dep = depth_of(v[i].path) - top;
		html_printf(out, "<option value=\"%lld\"%s>%.*s%s（%s）</option>", (long long)v[i].id, v[i].id == selected ? " selected" : "",
			    (dep > 0 ? (dep > 6 ? 6 : dep) : 0) * 3, "　　　　　　", v[i].name, org_type_label(v[i].type));
		k++;
	}
	free(v);
	buf_puts(out, "</select>");
	if (err)
		html_printf(out, "<p class=\"field-error\" id=\"e-parent_id\">%s</p>", err);
	buf_puts(out, "</div>");
	return k;
}

void orgs_form_select(req *r, const char *name, const char *label, const char *selected)
{
	const char *err = form_error_for(r, name);
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">",
		    err ? " has-error" : "", name, label, name, name);
	size_t n;
	struct org *v = orgs_under(r->db, scope_prefix(r), false, &n);
	int top = n ? depth_of(v[0].path) : 0;
	for (size_t i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		int dep = depth_of(v[i].path) - top;
		html_printf(&r->out, "<option value=\"%s\"%s>%.*s%s</option>", id, selected && !strcmp(selected, id) ? " selected" : "",
			    (dep > 0 ? (dep > 6 ? 6 : dep) : 0) * 3, "　　　　　　", v[i].name);
	}
	free(v);
	buf_puts(&r->out, "</select>");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
}

static bool want_all(req *r)
{
	const char *a = req_query(r, "all");
	return a && !strcmp(a, "1");
}

void orgs_page_list(req *r)
{
	bool all = want_all(r);
	page_begin(r, "组织架构");
	buf_puts(&r->out, "<div class=\"actions\">");
	if (authorize(r, &perm_org_manage, r->actor.org_id))
		html_printf(&r->out, "<a class=\"btn btn-primary\" href=\"/orgs/new?parent=%lld\">新建下级组织</a>", (long long)r->actor.org_id);
	buf_puts(&r->out, all ? "<a class=\"btn\" href=\"/orgs\">隐藏已撤销</a>" : "<a class=\"btn\" href=\"/orgs?all=1\">显示已撤销</a>");
	buf_puts(&r->out, "</div>");
	size_t n;
	struct org *v = orgs_under(r->db, scope_prefix(r), all, &n);
	/* Rows come in tree order, so the nesting of <ul> follows the depth:
	 * deeper opens a list, otherwise close up to the row's level and start
	 * a sibling. */
	int depth0 = -1, depth = 0;
	buf_puts(&r->out, "<section class=\"card\">");
	for (size_t i = 0; i < n; i++) {
		int d = depth_of(v[i].path);
		if (depth0 < 0)
			depth0 = depth = d - 1;
		if (d > depth) {
			while (depth < d)
				buf_puts(&r->out, "<ul class=\"tree\"><li>"), depth++;
		} else {
			while (depth > d && depth > depth0 + 1)
				buf_puts(&r->out, "</li></ul>"), depth--;
			buf_puts(&r->out, "</li><li>");
		}
		html_printf(&r->out, "<a href=\"/orgs/%lld\">%s</a> <span class=\"muted\">%s%s%s · %s</span>", (long long)v[i].id, v[i].name,
			    org_type_label(v[i].type), *v[i].kind ? " · " : "", v[i].kind, v[i].code);
		if (v[i].dissolved_at)
			buf_puts(&r->out, " <span class=\"badge badge-grey\">已撤销</span>");
	}
	while (depth > depth0 && depth0 >= 0)
		buf_puts(&r->out, "</li></ul>"), depth--;
	if (!n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无组织</p></div>");
	buf_puts(&r->out, "</section>");
	free(v);
	page_end(r);
}

static void org_detail(req *r, const struct org *o)
{
	page_begin(r, o->name);
	html_printf(&r->out, "<div class=\"breadcrumbs\"><a href=\"/orgs\">组织架构</a> › <span>%s</span></div>", o->name);
	if (o->dissolved_at) {
		char at[20];
		fmt_time(o->dissolved_at, at);
		html_printf(&r->out, "<div class=\"flash flash-error\" role=\"status\">该组织已于 %s 撤销</div>", at);
	}
	char created[20];
	fmt_time(o->created_at, created);
	html_printf(&r->out, "<section class=\"card\"><dl class=\"kv\"><dt>组织编码</dt><dd>%s</dd><dt>类型</dt><dd>%s</dd>"
			     "<dt>领域</dt><dd>%s</dd><dt>上级组织</dt><dd>",
		    o->code, org_type_label(o->type), *o->kind ? o->kind : "—");
	struct org p;
	if (o->parent_id && org_load(r->db, o->parent_id, &p)) {
		if (scope_contains(r, p.id))
			html_printf(&r->out, "<a href=\"/orgs/%lld\">%s</a>", (long long)p.id, p.name);
		else
			html_printf(&r->out, "%s", p.name);
	} else
		buf_puts(&r->out, "—");
	html_printf(&r->out, "</dd><dt>书记</dt><dd>%s</dd><dt>服务村（社区）</dt><dd>%s</dd><dt>联系电话</dt><dd>%s</dd>"
			     "<dt>建立时间</dt><dd>%s</dd></dl>",
		    *o->secretary ? o->secretary : "—", *o->serves ? o->serves : "—", *o->phone ? o->phone : "—", created);
	bool manage = !o->dissolved_at && authorize(r, &perm_org_manage, o->id);
	if (manage) {
		html_printf(&r->out, "<div class=\"actions\"><a class=\"btn\" href=\"/orgs/%lld/edit\">编辑</a>", (long long)o->id);
		if (type_has_children(o->type))
			html_printf(&r->out, "<a class=\"btn\" href=\"/orgs/new?parent=%lld\">新建下级组织</a>", (long long)o->id);
		buf_puts(&r->out, "</div>");
	}
	buf_puts(&r->out, "</section>");

	bool all = want_all(r);
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">下级组织</h2>");
	db_stmt *s = db_query(r->db,
			      "SELECT id, name, type, code, COALESCE(dissolved_at, 0) FROM orgs WHERE parent_id = ? "
			      "AND (CAST(? AS BIGINT) = 1 OR dissolved_at IS NULL) ORDER BY sort, id",
			      "II", o->id, (int64_t)all);
	int n = 0;
	while (db_next(s)) {
		buf_puts(&r->out, n ? "<br>" : "<p>");
		html_printf(&r->out, "<a href=\"/orgs/%lld\">%s</a> <span class=\"muted\">%s · %s</span>", (long long)db_int(s, 0), db_str(s, 1), org_type_label(db_str(s, 2)), db_str(s, 3));
		if (db_int(s, 4))
			buf_puts(&r->out, " <span class=\"badge badge-grey\">已撤销</span>");
		n++;
	}
	db_done(s);
	buf_puts(&r->out, n ? "</p>" : "<p class=\"muted\">无</p>");
	int64_t gone = all ? 0 : db_int1(r->db, 0, "SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND dissolved_at IS NOT NULL", "I", o->id);
	if (gone)
		html_printf(&r->out, "<p><a href=\"/orgs/%lld?all=1\">显示已撤销的下级组织（%lld 个）</a></p>", (long long)o->id, (long long)gone);
	buf_puts(&r->out, "</section>");

	if (manage) {
		char action[64];
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">移动</h2>");
		buf sel = {0};
		int choices = parent_select(r, &sel, "新的上级组织", o->type, o, parse_id(req_form(r, "parent_id")), false);
		if (choices) {
			snprintf(action, sizeof action, "/orgs/%lld/move", (long long)o->id);
			html_printf(&r->out, "<p class=\"muted\">连同 %s 的全部下级组织一起移到新的上级组织之下。</p>", o->name);
			form_begin(r, action);
			buf_append(&r->out, sel.p, sel.len);
			form_end(r, "移动");
		} else {
			const char *err = form_error_for(r, "parent_id");
			if (err)
				html_printf(&r->out, "<p class=\"field-error\" id=\"e-parent_id\">%s</p>", err);
			buf_puts(&r->out, "<p class=\"muted\">您的管辖范围内没有可以移入的上级组织。</p>");
		}
		buf_free(&sel);
		buf_puts(&r->out, "</section>");

		snprintf(action, sizeof action, "/orgs/%lld/dissolve", (long long)o->id);
		const char *err = form_error_for(r, "dissolve");
		html_printf(&r->out, "<section class=\"card\"><h2 class=\"card-title\">撤销</h2>"
				     "<p class=\"muted\">只有没有下级组织、没有党员、没有在用账号的组织才能撤销。撤销后保留历史记录，编码不再使用。</p>");
		if (err)
			html_printf(&r->out, "<div class=\"form-error\" role=\"alert\" id=\"e-dissolve\">%s</div>", err);
		html_printf(&r->out, "<form method=\"post\" action=\"%s\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
				     "<button class=\"btn btn-danger\" type=\"submit\" data-confirm=\"确定撤销「%s」吗？撤销后不能恢复。\">撤销组织</button></form></section>",
			    action, layout_csrf(r), o->name);
	}

	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">变更记录</h2><div class=\"table-wrap\"><table class=\"table\">"
			  "<thead><tr><th>时间</th><th>事项</th><th>变更</th><th>备注</th><th>经办人</th></tr></thead><tbody>");
	s = db_query(r->db,
		     "SELECT h.at, h.kind, h.from_value, h.to_value, h.note, COALESCE(u.name, '') FROM org_history h "
		     "LEFT JOIN users u ON u.id = h.user_id WHERE h.org_id = ? ORDER BY h.at DESC, h.id DESC",
		     "I", o->id);
	int rows = 0;
	while (db_next(s)) {
		char at[20];
		fmt_time(db_int(s, 0), at);
		html_printf(&r->out, "<tr><td>%s</td><td>%s</td><td>%s%s%s</td><td>%s</td><td>%s</td></tr>", at, history_label(db_str(s, 1)),
			    db_str(s, 2), *db_str(s, 2) && *db_str(s, 3) ? " → " : "", db_str(s, 3), db_str(s, 4), db_str(s, 5));
		rows++;
	}
	db_done(s);
	if (!rows)
		buf_puts(&r->out, "<tr><td colspan=\"5\" class=\"muted\">暂无记录</td></tr>");
	buf_puts(&r->out, "</tbody></table></div></section>");

	if (authorize(r, &perm_user_view, o->id)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">本组织用户</h2><div class=\"table-wrap\"><table class=\"table\">"
				  "<thead><tr><th>姓名</th><th>用户名</th><th>角色</th></tr></thead><tbody>");
		s = db_query(r->db, "SELECT name, username, role FROM users WHERE org_id = ? AND active = 1 ORDER BY role, username", "I", o->id);
		while (db_next(s))
			html_printf(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", db_str(s, 0), db_str(s, 1),
				    role_label(role_from_key(db_str(s, 2))));
		db_done(s);
		buf_puts(&r->out, "</tbody></table></div></section>");
	}
	page_end(r);
}

void orgs_page_detail(req *r)
{
	struct org o;
	if (load_visible(r, &o))
		org_detail(r, &o);
}

static void kind_select(req *r, const char *value)
{
	const char *opts[2 * 8];
	int k = 0;
	opts[k++] = "", opts[k++] = "（不填）";
	for (const char *const *p = org_kind_list; *p; p++)
		opts[k++] = *p, opts[k++] = *p;
	opts[k] = NULL;
	form_select(r, "kind", "组织领域", opts, value);
}

/* The fields of the edit form; the create form adds code, type and parent. */
static void org_common_fields(req *r, const struct org *o)
{
	form_input(r, "name", "组织名称", "text", form_value(r, "name", o->name), "不超过 40 个字，如 陈集村党支部");
	kind_select(r, form_value(r, "kind", o->kind));
	form_input(r, "secretary", "书记", "text", form_value(r, "secretary", o->secretary), NULL);
	form_input(r, "serves", "服务的村（社区）", "text", form_value(r, "serves", o->serves), "多个用顿号（、）分隔，不超过 200 个字");
	form_input(r, "phone", "联系电话", "tel", form_value(r, "phone", o->phone), "手机号或座机号，可不填");
}

static void org_from_form(req *r, struct org *o, bool creating)
{
	static const char *const common[] = {"name", "kind", "secretary", "serves", "phone", NULL};
	static const char *const created[] = {"code", "type", NULL};
	for (const char *const *f = common; *f; f++)
		org_set(o, *f, req_form(r, *f));
	for (const char *const *f = created; creating && *f; f++)
		org_set(o, *f, req_form(r, *f));
}

void orgs_page_new(req *r)
{
	struct org o;
	memset(&o, 0, sizeof o);
	bool post = req_is_post(r);
	const char *given = post ? req_form(r, "parent_id") : req_query(r, "parent");
	int64_t parent = given ? parse_id(given) : r->actor.org_id;
	struct org p;
	memset(&p, 0, sizeof p);
	if (!post && parent && (!authorize(r, &perm_org_view, parent) || !org_load(r->db, parent, &p))) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return;
	}
	if (!post && !may_use_parent(r, parent)) {
		req_error(r, 403, "forbidden", "您不能在该组织之下新建组织");
		return;
	}
	o.parent_id = parent;
	if (post) {
		org_from_form(r, &o, true);
		struct field_errors e = {0};
		enum org_result res = ORG_INVALID;
		if (!may_use_parent(r, parent)) {
			ferr_add(&e, "parent", "请选择您管辖范围内的上级组织");
			org_check(&o, true, &e);
		} else
			res = org_create(r->db, &o, r->actor.user_id, &e);
		if (res == ORG_OK) {
			audit_org(r, "org.create", &o, org_type_label(o.type));
			flash_set(r, "ok", "已新建组织");
			char loc[48];
			snprintf(loc, sizeof loc, "/orgs/%lld", (long long)o.id);
			req_redirect(r, loc);
			return;
		}
		if (res == ORG_DBERR) {
			ferr_add(&e, "_form", "保存失败，请稍后再试");
			r->failed = true;
		}
		form_errors_from(r, &e);
	} else {
		/* the likely type: a 党支部 under a 镇党委 or 党总支, a 党小组 under a 党支部 … */
		static const char *const likely[] = {"branch", "group", "committee", "general", "dept", "county", NULL};
		for (const char *const *t = likely; *t; t++)
			if (org_type_fits(*t, parent ? p.type : NULL)) {
				snprintf(o.type, sizeof o.type, "%s", *t);
				break;
			}
	}
	page_begin(r, "新建组织");
	buf_puts(&r->out, "<div class=\"breadcrumbs\"><a href=\"/orgs\">组织架构</a> › <span>新建组织</span></div><section class=\"card\">");
	form_begin(r, "/orgs/new");
	buf sel = {0};
	parent_select(r, &sel, "上级组织", NULL, NULL, parent, r->actor.role == R_ADMIN);
	buf_append(&r->out, sel.p, sel.len);
	buf_free(&sel);
	form_input(r, "code", "组织编码", "text", form_value(r, "code", o.code), "2–32 位英文字母、数字或连字符，建立后不再改变，如 CJZ-XJC-2");
	const char *types[2 * 7 + 1];
	int k = 0;
	for (const char *const *t = org_type_keys; *t; t++)
		if (r->actor.role == R_ADMIN || strcmp(*t, "county"))
			types[k++] = *t, types[k++] = org_type_label(*t);
	types[k] = NULL;
	form_select(r, "type", "组织类型", types, form_value(r, "type", o.type));
	org_common_fields(r, &o);
	form_end(r, "新建");
	html_printf(&r->out, "<p class=\"muted\">层级：县委 → 镇党委 → 党总支 → 党支部 → 党小组；部门设在镇党委之下；党支部可直属镇党委。</p></section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

void orgs_page_edit(req *r)
{
	struct org before, o;
	if (!load_managed(r, &before))
		return;
	if (before.dissolved_at) {
		req_error(r, 409, "dissolved", "该组织已撤销，不能再修改");
		return;
	}
	o = before;
	char loc[48];
	snprintf(loc, sizeof loc, "/orgs/%lld", (long long)before.id);
	if (req_is_post(r)) {
		org_from_form(r, &o, false);
		struct field_errors e = {0};
		enum org_result res = org_update(r->db, &before, &o, r->actor.user_id, &e);
		if (res == ORG_OK) {
			char what[400] = "";
			if (strcmp(before.name, o.name))
				snprintf(what, sizeof what, "更名：%s → %s", before.name, o.name);
			audit_org(r, "org.update", &o, what);
			flash_set(r, "ok", "已保存");
			req_redirect(r, loc);
			return;
		}
		if (res == ORG_DBERR) {
			ferr_add(&e, "_form", "保存失败，请稍后再试");
			r->failed = true;
		}
		form_errors_from(r, &e);
	}
	char title[200], action[64];
	snprintf(title, sizeof title, "编辑 %s", before.name);
	snprintf(action, sizeof action, "/orgs/%lld/edit", (long long)before.id);
	page_begin(r, title);
	html_printf(&r->out, "<div class=\"breadcrumbs\"><a href=\"/orgs\">组织架构</a> › <a href=\"%s\">%s</a> › <span>编辑</span></div>"
			     "<section class=\"card\"><dl class=\"kv\"><dt>组织编码</dt><dd>%s</dd><dt>类型</dt><dd>%s</dd></dl>",
		    loc, before.name, before.code, org_type_label(before.type));
	form_begin(r, action);
	org_common_fields(r, &o);
	form_end(r, "保存");
	buf_puts(&r->out, "<p class=\"muted\">更名会记入变更记录。要改变上级组织，请在组织页面使用“移动”。</p></section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

void orgs_page_move(req *r)
{
	struct org o;
	if (!load_managed(r, &o))
		return;
	int64_t parent = parse_id(req_form(r, "parent_id"));
	struct field_errors e = {0};
	enum org_result res = ORG_INVALID;
	if (!parent || !authorize(r, &perm_org_manage, parent))
		ferr_add(&e, "parent", "请选择您管辖范围内的上级组织");
	else
		res = org_move(r->db, o.id, parent, r->actor.user_id, &e);
	if (res == ORG_OK) {
		struct org p;
		char what[300] = "";
		if (org_load(r->db, parent, &p))
			snprintf(what, sizeof what, "移到 %s（%s）之下", p.name, p.code);
		audit_org(r, "org.move", &o, what);
		flash_set(r, "ok", "已移动");
		char loc[48];
		snprintf(loc, sizeof loc, "/orgs/%lld", (long long)o.id);
		req_redirect(r, loc);
		return;
	}
	if (res == ORG_DBERR) {
		r->failed = true;
		ferr_add(&e, "parent", "保存失败，请稍后再试");
	}
	/* an error of no field (e.g. dissolved) still shows beside the select */
	for (int i = 0; i < e.n; i++)
		form_error(r, "parent_id", e.e[i].msg);
	org_load(r->db, o.id, &o);
	org_detail(r, &o);
	r->status = res == ORG_CONFLICT ? 409 : res == ORG_DBERR ? 503 : 422;
}

void orgs_page_dissolve(req *r)
{
	struct org o;
	if (!load_managed(r, &o))
		return;
	struct field_errors e = {0};
	enum org_result res = org_dissolve(r->db, o.id, r->actor.user_id, &e);
	char loc[48];
	snprintf(loc, sizeof loc, "/orgs/%lld", (long long)o.id);
	if (res == ORG_OK) {
		audit_org(r, "org.dissolve", &o, NULL);
		flash_set(r, "ok", "组织已撤销");
		req_redirect(r, loc);
		return;
	}
	if (res == ORG_DBERR) {
		r->failed = true;
		ferr_add(&e, "_form", "保存失败，请稍后再试");
	}
	if (o.dissolved_at) { /* already dissolved: nothing to show a button for */
		req_error(r, 409, "dissolved", e.n ? e.e[0].msg : "该组织已撤销");
		return;
	}
	form_error(r, "dissolve", e.n ? e.e[0].msg : "不能撤销");
	org_detail(r, &o);
	r->status = res == ORG_CONFLICT ? 409 : res == ORG_DBERR ? 503 : 422;
}

/* ---- API ---- */

/* Writes the org's fields and leaves its object open for more (the caller closes it). */
static void org_json(jw *w, const struct org *o)
{
	jw_obj(w);
	jw_kint(w, "id", o->id);
	jw_kstr(w, "code", o->code);
	jw_kstr(w, "name", o->name);
	jw_kstr(w, "type", o->type);
	jw_kstr(w, "type_label", org_type_label(o->type));
	jw_kstr(w, "kind", o->kind);
	jw_kstr(w, "parent_code", *o->parent_code ? o->parent_code : NULL);
	jw_kstr(w, "secretary", o->secretary);
	jw_kstr(w, "serves", o->serves);
	jw_kstr(w, "phone", o->phone);
	jw_kint(w, "created_at", o->created_at);
	jw_kbool(w, "dissolved", o->dissolved_at != 0);
	jw_key(w, "dissolved_at");
	if (o->dissolved_at)
		jw_int(w, o->dissolved_at);
	else
		jw_null(w);
}

/* {"error":{"code":…,"message":…,"fields":{…}}}: 422 invalid, 409 conflict, 503. */
static void api_fail(req *r, enum org_result res, const struct field_errors *e)
{
	int status = res == ORG_CONFLICT ? 409 : res == ORG_DBERR ? 503 : 422;
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "error");
	jw_obj(&w);
	jw_kstr(&w, "code", res == ORG_CONFLICT ? "conflict" : res == ORG_DBERR ? "db" : "invalid");
	jw_kstr(&w, "message", e->n ? e->e[0].msg : "保存失败，请稍后再试");
	jw_key(&w, "fields");
	jw_obj(&w);
	for (int i = 0; i < e->n; i++) {
		const char *f = !strcmp(e->e[i].field, "parent") ? "parent_code" : e->e[i].field;
		if (*f != '_' && ferr_get(e, e->e[i].field) == e->e[i].msg) /* the first message of each field */
			jw_kstr(&w, f, e->e[i].msg);
	}
	jw_end(&w);
	jw_end(&w);
	jw_end(&w);
}

/* The fields a JSON body may carry. */
struct api_field {
	const char *key, *label;
	bool required;
	bool boolean;
};

static const struct api_field create_fields[] = {
	{"code", "组织编码", true, false},     {"name", "组织名称", true, false},  {"type", "组织类型", true, false},
	{"kind", "组织领域", false, false},    {"parent_code", "上级组织编码", false, false},
	{"secretary", "书记姓名", false, false}, {"serves", "服务的村（社区）", false, false},
	{"phone", "联系电话", false, false},   {NULL, NULL, false, false},
};

static const struct api_field patch_fields[] = {
	{"name", "组织名称", false, false},     {"kind", "组织领域", false, false},     {"secretary", "书记姓名", false, false},
	{"serves", "服务的村（社区）", false, false}, {"phone", "联系电话", false, false}, {"parent_code", "上级组织编码", false, false},
	{"dissolved", "撤销", false, true},       {NULL, NULL, false, false},
};

/* Printable ASCII of fewer than max bytes: safe to cut anywhere and to show. */
static bool ascii_text(const char *s, size_t max)
{
	size_t n = 0;
	for (; s[n]; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f)
			return false;
	return n > 0 && n < max;
}

/* json_unpack_ex said no: name the fields at fault (unknown, wrong type, missing). */
static void json_diagnose(json_t *j, const struct api_field *fields, const json_error_t *je, struct field_errors *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		const struct api_field *f = fields;
		while (f->key && strcmp(f->key, key))
			f++;
		/* a field name goes into 32 bytes: anything else is named unknown_field */
		const char *name = ascii_text(key, 32) ? key : "unknown_field";
		if (!f->key)
			ferr_add(e, name, !strcmp(key, "code") || !strcmp(key, "type") ? "组织编码和类型建立后不能修改"
											: "不接受的字段（可用字段见 API 文档）");
		else if (f->boolean ? !json_is_boolean(v) : !json_is_string(v))
			ferr_add(e, name, "%s应为%s", f->label, f->boolean ? " true 或 false" : "字符串");
	}
	for (const struct api_field *f = fields; f->key; f++)
		if (f->required && !json_object_get(j, f->key))
			ferr_add(e, f->key, "请提供%s（%s）", f->label, f->key);
	if (!e->n)
		ferr_add(e, "_body", "请求内容不正确%s%.100s", ascii_text(je->text, 160) ? "：" : "",
			ascii_text(je->text, 160) ? je->text : "");
}

void orgs_api_list(req *r)
{
	char prefix[256];
	snprintf(prefix, sizeof prefix, "%s", scope_prefix(r));
	const char *under = req_query(r, "under");
	if (under && *under) {
		int64_t id = parse_id(under);
		if (!id)
			id = orgs_id_by_code(r->db, under);
		struct org u;
		if (!id || !authorize(r, &perm_org_view, id) || !org_load(r->db, id, &u)) {
			req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
			return;
		}
		snprintf(prefix, sizeof prefix, "%s", u.path);
	}
	size_t n;
	struct org *v = orgs_under(r->db, prefix, want_all(r), &n);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "orgs");
	jw_arr(&w);
	for (size_t i = 0; i < n; i++) {
		org_json(&w, &v[i]);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_end(&w);
	free(v);
}

/* One org with its history, as GET, POST and PATCH answer. */
static void org_answer(req *r, int status, int64_t id)
{
	struct org o;
	if (!org_load(r->db, id, &o)) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return;
	}
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	org_json(&w, &o);
	jw_key(&w, "history");
	jw_arr(&w);
	db_stmt *s = db_query(r->db,
			      "SELECT h.at, h.kind, h.from_value, h.to_value, h.note, COALESCE(u.username, '') FROM org_history h "
			      "LEFT JOIN users u ON u.id = h.user_id WHERE h.org_id = ? ORDER BY h.at, h.id",
			      "I", id);
	while (db_next(s)) {
		jw_obj(&w);
		jw_kint(&w, "at", db_int(s, 0));
		jw_kstr(&w, "kind", db_str(s, 1));
		jw_kstr(&w, "from", db_str(s, 2));
		jw_kstr(&w, "to", db_str(s, 3));
		jw_kstr(&w, "note", db_str(s, 4));
		jw_kstr(&w, "by", db_str(s, 5));
		jw_end(&w);
	}
	db_done(s);
	jw_aend(&w);
	jw_end(&w);
}

void orgs_api_detail(req *r)
{
	struct org o;
	if (load_visible(r, &o))
		org_answer(r, 200, o.id);
}

/* parent_code → the parent's id, if the caller may put orgs under it; errors name parent_code. */
static int64_t api_parent(req *r, const char *code, struct field_errors *e)
{
	int64_t id = orgs_id_by_code(r->db, code);
	if (!id || !authorize(r, &perm_org_manage, id)) {
		if (org_code_valid(code))
			ferr_add(e, "parent", "上级组织 %s 不存在或不在您的管辖范围内", code);
		else
			ferr_add(e, "parent", "上级组织不存在或不在您的管辖范围内");
		return 0;
	}
	return id;
}

void orgs_api_create(req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *code = NULL, *name = NULL, *type = NULL, *kind = "", *parent_code = "", *secretary = "", *serves = "", *phone = "";
	json_error_t je;
	struct field_errors e = {0};
	if (json_unpack_ex(j, &je, JSON_STRICT, "{s:s, s:s, s:s, s?s, s?s, s?s, s?s, s?s}", "code", &code, "name", &name, "type", &type,
			   "kind", &kind, "parent_code", &parent_code, "secretary", &secretary, "serves", &serves, "phone", &phone) != 0) {
		json_diagnose(j, create_fields, &je, &e);
		api_fail(r, ORG_INVALID, &e);
		return;
	}
	struct org o;
	memset(&o, 0, sizeof o);
	org_set(&o, "code", code);
	org_set(&o, "name", name);
	org_set(&o, "type", type);
	org_set(&o, "kind", kind);
	org_set(&o, "secretary", secretary);
	org_set(&o, "serves", serves);
	org_set(&o, "phone", phone);
	if (*parent_code)
		o.parent_id = api_parent(r, parent_code, &e);
	else if (r->actor.role != R_ADMIN)
		ferr_add(&e, "parent", "请提供上级组织编码（parent_code）");
	enum org_result res = ORG_INVALID;
	if (e.n)
		org_check(&o, true, &e); /* report every field at once */
	else
		res = org_create(r->db, &o, r->actor.user_id, &e);
	if (res != ORG_OK) {
		api_fail(r, res, &e);
		return;
	}
	audit_org(r, "org.create", &o, org_type_label(o.type));
	char loc[80];
	snprintf(loc, sizeof loc, "/api/v1/orgs/%s", o.code);
	req_set_header(r, "Location", loc);
	org_answer(r, 201, o.id);
}

/* Any of name, kind, secretary, serves, phone (edit), parent_code (move) and
 * dissolved: true, in that order and in one transaction: all or nothing. */
void orgs_api_patch(req *r)
{
	/* The server opens a write transaction only for POST; this one takes the
	 * write lock before reading, or SQLite would refuse the write when another
	 * writer committed in between (SQLITE_BUSY_SNAPSHOT). finish_tx commits. */
	if (db_begin(r->db, true) != DB_OK) {
		req_error(r, 503, "db_busy", "系统繁忙，请稍后再试");
		return;
	}
	struct org before;
	if (!load_managed(r, &before))
		return;
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *name = NULL, *kind = NULL, *secretary = NULL, *serves = NULL, *phone = NULL, *parent_code = NULL;
	int dissolved = -1;
	json_error_t je;
	struct field_errors e = {0};
	if (json_unpack_ex(j, &je, JSON_STRICT, "{s?s, s?s, s?s, s?s, s?s, s?s, s?b}", "name", &name, "kind", &kind, "secretary", &secretary,
			   "serves", &serves, "phone", &phone, "parent_code", &parent_code, "dissolved", &dissolved) != 0) {
		json_diagnose(j, patch_fields, &je, &e);
		api_fail(r, ORG_INVALID, &e);
		return;
	}
	enum org_result res = ORG_OK;
	struct org o = before;
	if (name || kind || secretary || serves || phone) {
		if (name)
			org_set(&o, "name", name);
		if (kind)
			org_set(&o, "kind", kind);
		if (secretary)
			org_set(&o, "secretary", secretary);
		if (serves)
			org_set(&o, "serves", serves);
		if (phone)
			org_set(&o, "phone", phone);
		res = org_update(r->db, &before, &o, r->actor.user_id, &e);
		if (res == ORG_OK) {
			char what[400] = "";
			if (strcmp(before.name, o.name))
				snprintf(what, sizeof what, "更名：%s → %s", before.name, o.name);
			audit_org(r, "org.update", &o, what);
		}
	}
	if (res == ORG_OK && parent_code) {
		int64_t parent = api_parent(r, parent_code, &e);
		res = parent ? org_move(r->db, before.id, parent, r->actor.user_id, &e) : ORG_INVALID;
		if (res == ORG_OK) {
			char what[100];
			snprintf(what, sizeof what, "移到 %s 之下", parent_code);
			audit_org(r, "org.move", &o, what);
		}
	}
	if (res == ORG_OK && dissolved == 1) {
		res = org_dissolve(r->db, before.id, r->actor.user_id, &e);
		if (res == ORG_OK)
			audit_org(r, "org.dissolve", &o, NULL);
	} else if (res == ORG_OK && dissolved == 0 && before.dissolved_at) {
		ferr_add(&e, "dissolved", "已撤销的组织不能恢复");
		res = ORG_CONFLICT;
	}
	if (res != ORG_OK) {
		api_fail(r, res, &e);
		return;
	}
	org_answer(r, 200, before.id);
}

int64_t orgs_from_request(req *r, const char *code, const struct permission *action, struct org_ref *o)
{
	memset(o, 0, sizeof *o);
	int64_t id = code && *code ? orgs_id_by_code(r->db, code) : r->actor.org_id;
	if (!id || !authorize(r, action, id)) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return 0;
	}
	db_stmt *s = db_query(r->db, "SELECT path, name, code FROM orgs WHERE id = ?", "I", id);
	if (db_next(s)) {
		snprintf(o->path, sizeof o->path, "%s", db_str(s, 0));
		snprintf(o->name, sizeof o->name, "%s", db_str(s, 1));
		snprintf(o->code, sizeof o->code, "%s", db_str(s, 2));
		o->id = id;
	}
	db_done(s);
	return o->id;
}

/* ---- the module record (module.h) ---- */

static const route orgs_routes[] = {
	{"GET", "/orgs", orgs_page_list, R_ANY, 0, 0, "orgs"},
	{"GET", "/orgs/new", orgs_page_new, R_ADMIN | R_COMMITTEE, 0, 0, "org_new"},
	{"POST", "/orgs/new", orgs_page_new, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "org_new"},
	{"GET", "/orgs/:id", orgs_page_detail, R_ANY, 0, 0, "org"},
	{"GET", "/orgs/:id/edit", orgs_page_edit, R_ADMIN | R_COMMITTEE, 0, 0, "org_edit"},
	{"POST", "/orgs/:id/edit", orgs_page_edit, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "org_edit"},
	{"POST", "/orgs/:id/move", orgs_page_move, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "org_move"},
	{"POST", "/orgs/:id/dissolve", orgs_page_dissolve, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "org_dissolve"},
	{"GET", "/api/v1/orgs", orgs_api_list, R_ANY, RF_API, 0, "api_orgs"},
	{"POST", "/api/v1/orgs", orgs_api_create, R_ADMIN | R_COMMITTEE, RF_API, 8 * KiB, "api_orgs"},
	{"GET", "/api/v1/orgs/:id", orgs_api_detail, R_ANY, RF_API, 0, "api_org"},
	{"PATCH", "/api/v1/orgs/:id", orgs_api_patch, R_ADMIN | R_COMMITTEE, RF_API | RF_OWNTX, 8 * KiB, "api_org"},
};
static const struct nav_entry orgs_nav[] = {
	{"/orgs", "组织架构", R_ANY, 10},
};
static const struct permission *const orgs_perms[] = {&perm_org_view, &perm_org_manage};
const struct module orgs_module = {
	.name = "orgs",
	.routes = orgs_routes, .routes_n = COUNT_OF(orgs_routes),
	.nav = orgs_nav, .nav_n = COUNT_OF(orgs_nav),
	.permissions = orgs_perms, .permissions_n = COUNT_OF(orgs_perms),
};
