/* orgs — the org tree (SPEC §1, M1; issue 3): 县委 → 镇党委 → 党总支 →
 * 党支部 → 党小组, each with a stable code, a type, a kind, its secretary and
 * the villages/communities it serves; create, edit (rename with history),
 * move with its subtree, dissolve when empty.
 *
 * Each org stores its path of ids from the root ('/1/4/9/'), so "the
 * caller's subtree" is one indexed prefix match, and a move rewrites the
 * paths of the whole subtree in one statement. Every change is written to
 * org_history (who, when, from → to) and to the audit log, here, so a page,
 * the API and the command line leave the same rows.
 *
 * Who may do what: perm_org_manage (admin everywhere; committee inside its
 * subtree, so never above or beside itself), checked against the org acted
 * on and, for a create or a move, against the new parent too. The pages and
 * the API (orgs_web.c) check it first to answer in their own words; the
 * checks here hold for every caller. */
#include "orgs.h"

#include "order_summary.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "util.h"

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
	{"county", ""},        {"committee", "county"}, {"general", "committee"}, {"branch", "committee"},
	{"branch", "general"}, {"dept", "committee"},   {"group", "branch"},
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

bool org_type_has_children(const char *type)
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
	if (!strcmp(field, "code"))
		SET(code);
	else if (!strcmp(field, "name"))
		SET(name);
	else if (!strcmp(field, "kind"))
		SET(kind);
	else if (!strcmp(field, "secretary"))
		SET(secretary);
	else if (!strcmp(field, "serves"))
		SET(serves);
	else if (!strcmp(field, "phone"))
		SET(phone);
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
static void check_text(struct field_errors *e, const struct org *o, const char *field, const char *label, const char *v, size_t max, bool required)
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

#define ORG_SELECT                                                                                                        \
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
struct org *orgs_under(db *d, const char *prefix, bool with_dissolved, size_t *n)
{
	size_t cap = 32;
	struct org *v = malloc(cap * sizeof *v);
	*n = 0;
	if (!prefix || !*prefix) /* an actor with no scope: not the whole tree */
		return v;
	/* a range of orgs_path (a LIKE with a bound prefix reads every org: 0.7
	 * ms of a county's 2,300 for each order list page) */
	char lo[256], hi[256];
	order_path_range(prefix, lo, hi);
	db_stmt *s = db_query(d, ORG_SELECT "WHERE o.path >= ? AND o.path < ? AND (CAST(? AS BIGINT) = 1 OR o.dissolved_at IS NULL)", "ttI", lo, hi,
			      (int64_t)with_dissolved);
	while (db_next(s)) {
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		org_from_row(s, &v[(*n)++]);
	}
	db_done(s);
	qsort(v, *n, sizeof *v, cmp_path);
	return v;
}

struct org *org_children(db *d, int64_t id, bool with_dissolved, size_t *n)
{
	size_t cap = 16;
	struct org *v = malloc(cap * sizeof *v);
	*n = 0;
	db_stmt *s = db_query(d, ORG_SELECT "WHERE o.parent_id = ? AND (CAST(? AS BIGINT) = 1 OR o.dissolved_at IS NULL) ORDER BY o.sort, o.id", "II", id,
			      (int64_t)with_dissolved);
	while (db_next(s)) {
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		org_from_row(s, &v[(*n)++]);
	}
	db_done(s);
	return v;
}

int64_t org_dissolved_children(db *d, int64_t id)
{
	return db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND dissolved_at IS NOT NULL", "I", id);
}

struct org_change *org_history_load(db *d, int64_t id, size_t *n)
{
	size_t cap = 16;
	struct org_change *v = malloc(cap * sizeof *v);
	*n = 0;
	db_stmt *s = db_query(d,
			      "SELECT h.at, h.kind, h.from_value, h.to_value, h.note, COALESCE(u.username, ''), COALESCE(u.name, '') "
			      "FROM org_history h LEFT JOIN users u ON u.id = h.user_id WHERE h.org_id = ? ORDER BY h.at, h.id",
			      "I", id);
	while (db_next(s)) {
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		struct org_change *c = &v[(*n)++];
		c->at = db_int(s, 0);
		snprintf(c->kind, sizeof c->kind, "%s", db_str(s, 1));
		snprintf(c->from, sizeof c->from, "%s", db_str(s, 2));
		snprintf(c->to, sizeof c->to, "%s", db_str(s, 3));
		snprintf(c->note, sizeof c->note, "%s", db_str(s, 4));
		snprintf(c->by_username, sizeof c->by_username, "%s", db_str(s, 5));
		snprintf(c->by_name, sizeof c->by_name, "%s", db_str(s, 6));
	}
	db_done(s);
	return v;
}

/* Writes that change the shape of the tree (create, move, dissolve) take one
 * lock first, so two of them cannot each pass their checks against a state
 * the other is changing (a move into a subtree being moved, a child created
 * under an org being dissolved). SQLite's BEGIN IMMEDIATE already serialises
 * writers; PostgreSQL's READ COMMITTED needs the transaction-scoped lock. */
static bool tree_lock(db *d) { return db_kind(d) != DB_PG || db_run(d, "SELECT pg_advisory_xact_lock(4243)", "") == DB_OK; }

static int history_add(db *d, int64_t org, const char *kind, const char *from, const char *to, const char *note, int64_t by)
{
	return db_run(d,
		      "INSERT INTO org_history (org_id, at, kind, from_value, to_value, user_id, note) "
		      "VALUES (?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?)",
		      "IItttIt", org, now_unix(), kind, from ? from : "", to ? to : "", by, note ? note : "");
}

/* The audit row of a change: "陈集村党支部（CJZ-CJC）：what". */
static int audit_org(db *d, const struct actor *a, const char *action, int64_t id, const char *name, const char *code, const char *what)
{
	char sum[600]; /* audit keeps 600 bytes; names and codes are bounded, so nothing is cut */
	snprintf(sum, sizeof sum, "%s（%s）%s%s", name, code, what && *what ? "：" : "", what ? what : "");
	return audit_write(d, a, action, "org", id, id, sum);
}

/* The caller may manage orgs at all (the org scope is checked per org). */
static enum dj_result may_manage(const struct actor *a, struct field_errors *e)
{
	return permission_allows(&perm_org_manage, a) ? DJ_OK : dj_fail(e, DJ_FORBIDDEN, "您的角色不能管理组织架构");
}

/* Loads the org acted on if it lies inside the actor's subtree: outside looks like absent. */
static enum dj_result load_covered(db *d, const struct actor *a, int64_t id, struct org *o, struct field_errors *e)
{
	if (!org_load(d, id, o) || !actor_covers(a, o->path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在");
	return DJ_OK;
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

int64_t orgs_id_by_code(db *d, const char *code) { return code && *code ? db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", code) : 0; }

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

enum dj_result org_create(db *d, const struct actor *a, struct org *o, struct field_errors *e)
{
	if (may_manage(a, e) != DJ_OK)
		return DJ_FORBIDDEN;
	if (!tree_lock(d))
		return DJ_DB_ERROR;
	int n0 = e->n;
	org_check(o, true, e);
	struct org parent;
	memset(&parent, 0, sizeof parent);
	if (o->parent_id) {
		if (!org_load(d, o->parent_id, &parent) || !actor_covers(a, parent.path))
			ferr_add(e, "parent", "上级组织不存在");
		else if (parent.dissolved_at)
			ferr_add(e, "parent", "上级组织已撤销，不能在其下新建组织");
	} else if (strcmp(actor_scope(a), "/")) /* a root is above everyone's subtree but the whole tree's */
		ferr_add(e, "parent", "请选择您管辖范围内的上级组织");
	if (!ferr_get(e, "type") && !ferr_get(e, "parent") && !org_type_fits(o->type, o->parent_id ? parent.type : NULL))
		misfit(e, o->parent_id ? "type" : "parent", o->type, o->parent_id ? parent.type : NULL);
	if (!ferr_get(e, "code") && db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE LOWER(code) = LOWER(?)", "t", o->code) > 0)
		ferr_add(e, "code", "组织编码 %s 已被使用（编码不区分大小写，撤销的组织也占用编码）", o->code);
	if (e->n > n0)
		return DJ_INVALID;
	if (!org_insert(d, o, o->parent_id ? parent.path : ""))
		return DJ_DB_ERROR;
	char note[200] = "";
	if (o->parent_id)
		snprintf(note, sizeof note, "上级组织：%s", parent.name);
	if (history_add(d, o->id, "create", "", o->name, note, a->user_id) != DB_OK ||
	    audit_org(d, a, "org.create", o->id, o->name, o->code, org_type_label(o->type)) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result org_update(db *d, const struct actor *a, const struct org *before, const struct org *after, struct field_errors *e)
{
	if (may_manage(a, e) != DJ_OK)
		return DJ_FORBIDDEN;
	if (!actor_covers(a, before->path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在");
	if (before->dissolved_at)
		return dj_fail(e, DJ_CONFLICT, "该组织已撤销，不能再修改");
	int n0 = e->n;
	org_check(after, false, e);
	if (e->n > n0)
		return DJ_INVALID;
	if (db_run(d, "UPDATE orgs SET name = ?, kind = ?, secretary = ?, serves = ?, phone = ? WHERE id = ? AND dissolved_at IS NULL", "tttttI",
		   after->name, after->kind, after->secretary, after->serves, after->phone, before->id) != DB_OK)
		return DJ_DB_ERROR;
	if (db_changes(d) != 1) /* dissolved since it was read */
		return dj_fail(e, DJ_CONFLICT, "该组织已撤销，不能再修改");
	int rc = DB_OK;
	if (strcmp(before->name, after->name))
		rc |= history_add(d, before->id, "rename", before->name, after->name, "", a->user_id);
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
			rc |= history_add(d, before->id, "edit", was, now, fields[i].label, a->user_id);
	}
	char what[400] = "";
	if (strcmp(before->name, after->name))
		snprintf(what, sizeof what, "更名：%s → %s", before->name, after->name);
	rc |= audit_org(d, a, "org.update", before->id, after->name, before->code, what);
	return rc == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

enum dj_result org_move(db *d, const struct actor *a, int64_t id, int64_t new_parent, struct field_errors *e)
{
	struct org o, p, old;
	if (may_manage(a, e) != DJ_OK)
		return DJ_FORBIDDEN;
	if (!tree_lock(d))
		return DJ_DB_ERROR;
	enum dj_result res = load_covered(d, a, id, &o, e);
	if (res != DJ_OK)
		return res;
	if (o.dissolved_at)
		return dj_fail(e, DJ_CONFLICT, "该组织已撤销，不能移动");
	if (!new_parent) {
		ferr_add(e, "parent", "请选择新的上级组织");
		return DJ_INVALID;
	}
	if (!org_load(d, new_parent, &p) || !actor_covers(a, p.path)) {
		ferr_add(e, "parent", "上级组织不存在");
		return DJ_INVALID;
	}
	size_t plen = strlen(o.path);
	if (p.id == o.id || !strncmp(p.path, o.path, plen)) {
		ferr_add(e, "parent", "不能把组织移到它自己或它的下级组织之下");
		return DJ_INVALID;
	}
	if (p.dissolved_at) {
		ferr_add(e, "parent", "所选上级组织已撤销");
		return DJ_INVALID;
	}
	if (p.id == o.parent_id) {
		ferr_add(e, "parent", "该组织已在所选上级组织之下");
		return DJ_INVALID;
	}
	if (!org_type_fits(o.type, p.type)) {
		misfit(e, "parent", o.type, p.type);
		return DJ_INVALID;
	}
	char path[256];
	if ((size_t)snprintf(path, sizeof path, "%s%lld/", p.path, (long long)o.id) >= sizeof path ||
	    db_int1(d, 0, "SELECT MAX(LENGTH(path)) FROM orgs WHERE path LIKE ? || '%'", "t", o.path) - (int64_t)plen + (int64_t)strlen(path) >= 250) {
		ferr_add(e, "parent", "组织层级过深");
		return DJ_INVALID;
	}
	int64_t below = db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE path LIKE ? || '%' AND id <> ?", "tI", o.path, o.id);
	/* The org and its whole subtree in one statement: each path's prefix is swapped. */
	if (db_run(d, "UPDATE orgs SET path = CAST(? AS TEXT) || SUBSTR(path, CAST(? AS INTEGER)) WHERE path LIKE CAST(? AS TEXT) || '%'", "tIt", path,
		   (int64_t)plen + 1, o.path) != DB_OK ||
	    db_run(d, "UPDATE orgs SET parent_id = ? WHERE id = ?", "II", p.id, o.id) != DB_OK ||
	    /* the statistics of every subtree it leaves and joins (issue 9 §2) */
	    order_rollup_move(d, o.id, o.parent_id, p.id) != DB_OK)
		return DJ_DB_ERROR;
	char from[240] = "—", to[240], note[80] = "", what[300];
	if (o.parent_id && org_load(d, o.parent_id, &old))
		snprintf(from, sizeof from, "%s（%s）", old.name, old.code);
	snprintf(to, sizeof to, "%s（%s）", p.name, p.code);
	if (below)
		snprintf(note, sizeof note, "下级组织 %lld 个随同移动", (long long)below);
	snprintf(what, sizeof what, "移到 %s（%s）之下", p.name, p.code);
	if (history_add(d, o.id, "move", from, to, note, a->user_id) != DB_OK || audit_org(d, a, "org.move", o.id, o.name, o.code, what) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

enum dj_result org_dissolve(db *d, const struct actor *a, int64_t id, struct field_errors *e)
{
	struct org o;
	if (may_manage(a, e) != DJ_OK)
		return DJ_FORBIDDEN;
	if (!tree_lock(d))
		return DJ_DB_ERROR;
	enum dj_result res = load_covered(d, a, id, &o, e);
	if (res != DJ_OK)
		return res;
	if (o.dissolved_at) {
		char at[20];
		fmt_time(o.dissolved_at, at);
		return dj_fail(e, DJ_CONFLICT, "该组织已于 %s 撤销", at);
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
		return dj_fail(e, DJ_CONFLICT, "不能撤销：仍有%s", what);
	}
	if (db_run(d, "UPDATE orgs SET dissolved_at = ? WHERE id = ?", "II", now_unix(), id) != DB_OK ||
	    history_add(d, id, "dissolve", o.name, "", "", a->user_id) != DB_OK || audit_org(d, a, "org.dissolve", o.id, o.name, o.code, NULL) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}
