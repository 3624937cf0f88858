/* Unit tests: the org tree's rules (SPEC §1, M1) — which type sits under
 * which, codes, kinds, phones, field checks — and, on SQLite with the real
 * migrations, create, rename, move with the subtree, dissolve only when empty,
 * each leaving its history and audit rows with the actor who acted. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "actor.h"
#include "db.h"
#include "unit_db.h"
#include "orgs.h"

/* ---- pure rules ---- */

Test(org_rules, types_fit_the_tree)
{
	cr_assert(org_type_fits("county", NULL));
	cr_assert(org_type_fits("county", ""));
	cr_assert(org_type_fits("committee", "county"));
	cr_assert(org_type_fits("general", "committee"));
	cr_assert(org_type_fits("branch", "committee"));
	cr_assert(org_type_fits("branch", "general"));
	cr_assert(org_type_fits("dept", "committee"));
	cr_assert(org_type_fits("group", "branch"));

	cr_assert_not(org_type_fits("county", "county"));
	cr_assert_not(org_type_fits("committee", NULL), "only a 县委 is a root");
	cr_assert_not(org_type_fits("committee", "committee"));
	cr_assert_not(org_type_fits("general", "general"));
	cr_assert_not(org_type_fits("general", "county"));
	cr_assert_not(org_type_fits("branch", "county"));
	cr_assert_not(org_type_fits("branch", "branch"));
	cr_assert_not(org_type_fits("branch", "group"));
	cr_assert_not(org_type_fits("dept", "general"));
	cr_assert_not(org_type_fits("group", "committee"));
	cr_assert_not(org_type_fits("group", "general"));
	cr_assert_not(org_type_fits("group", "group"));
	cr_assert_not(org_type_fits("group", "dept"));
	cr_assert_not(org_type_fits("village", "committee"));
	cr_assert_not(org_type_fits(NULL, "committee"));
	/* nothing goes under a 党小组 or a 部门 */
	for (const char *const *t = org_type_keys; *t; t++) {
		cr_assert_not(org_type_fits(*t, "group"), "%s under group", *t);
		cr_assert_not(org_type_fits(*t, "dept"), "%s under dept", *t);
	}
}

Test(org_rules, labels)
{
	cr_assert_str_eq(org_type_label("branch"), "党支部");
	cr_assert_str_eq(org_type_label("general"), "党总支");
	cr_assert_str_eq(org_type_label("nope"), "nope");
	cr_assert_str_eq(org_children_label("committee"), "党总支、党支部或部门");
	cr_assert_str_eq(org_children_label("branch"), "党小组");
	cr_assert_str_eq(org_children_label("county"), "镇党委");
	cr_assert_null(org_children_label("group"));
}

Test(org_rules, codes)
{
	cr_assert(org_code_valid("CJ"));
	cr_assert(org_code_valid("CJZ-XJC-2"));
	cr_assert(org_code_valid("abc-123"));
	cr_assert(org_code_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"));      /* 32 */
	cr_assert_not(org_code_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456")); /* 33 */
	cr_assert_not(org_code_valid("C"));
	cr_assert_not(org_code_valid(""));
	cr_assert_not(org_code_valid(NULL));
	cr_assert_not(org_code_valid("CJZ XJC"));
	cr_assert_not(org_code_valid("CJZ_XJC"));
	cr_assert_not(org_code_valid("CJZ/1"));
	cr_assert_not(org_code_valid("陈集"));
	cr_assert_not(org_code_valid("CJZ%"));
}

Test(org_rules, kinds)
{
	cr_assert(org_kind_valid(""));
	for (const char *const *k = org_kind_list; *k; k++)
		cr_assert(org_kind_valid(*k), "%s", *k);
	cr_assert_not(org_kind_valid("外星"));
	cr_assert_not(org_kind_valid("农"));
	cr_assert_not(org_kind_valid(NULL));
}

Test(org_rules, phones)
{
	cr_assert(org_phone_valid(""));
	cr_assert(org_phone_valid("13800138000"));
	cr_assert(org_phone_valid("0635-3280000"));
	cr_assert(org_phone_valid("06353280000"));
	cr_assert(org_phone_valid("3280000"));
	cr_assert_not(org_phone_valid("abc"));
	cr_assert_not(org_phone_valid("12"));
	cr_assert_not(org_phone_valid("0635--3280000"));
	cr_assert_not(org_phone_valid("-06353280000"));
	cr_assert_not(org_phone_valid("0635-3280000-"));
	cr_assert_not(org_phone_valid("0635 3280000"));
	cr_assert_not(org_phone_valid("123456789012345678901"));
	cr_assert_not(org_phone_valid(NULL));
}

static struct org good(void)
{
	struct org o;
	memset(&o, 0, sizeof o);
	org_set(&o, "code", "CJZ-T1");
	org_set(&o, "name", "测试村党支部");
	org_set(&o, "type", "branch");
	org_set(&o, "kind", "农村");
	return o;
}

Test(org_check, a_good_org_passes)
{
	struct org o = good();
	struct field_errors e = {0};
	org_check(&o, true, &e);
	cr_assert_eq(e.n, 0, "%s: %s", e.e[0].field, e.e[0].msg);
}

Test(org_check, set_trims_takes_type_labels_and_refuses_unknown_fields)
{
	struct org o;
	memset(&o, 0, sizeof o);
	cr_assert(org_set(&o, "name", "  陈集村党支部 \t"));
	cr_assert_str_eq(o.name, "陈集村党支部");
	cr_assert(org_set(&o, "type", "党总支"));
	cr_assert_str_eq(o.type, "general");
	cr_assert(org_set(&o, "secretary", NULL));
	cr_assert_str_eq(o.secretary, "");
	cr_assert_not(org_set(&o, "path", "/1/"));
	cr_assert_not(org_set(&o, "parent_id", "1"));
}

/* Each bad value is reported on its own field, with a Chinese message. */
Test(org_check, every_field_is_named)
{
	static const struct {
		const char *field, *value, *want;
	} cases[] = {
		{"code", "", "请填写组织编码"},
		{"code", "X", "组织编码"},
		{"code", "CJZ XJC", "组织编码"},
		{"name", "", "请填写组织名称"},
		{"name", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", "组织名称不能超过 40 个字"},
		{"name", "换\n行", "组织名称含有无效字符"},
		{"type", "", "请选择组织类型"},
		{"type", "village", "组织类型应为"},
		{"kind", "外星", "组织领域"},
		{"secretary", "一二三四五六七八九十一二三四五六七八九十一", "书记姓名不能超过 20 个字"},
		{"phone", "abc", "联系电话"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct org o = good();
		org_set(&o, cases[i].field, cases[i].value);
		struct field_errors e = {0};
		org_check(&o, true, &e);
		cr_assert_eq(e.n, 1, "%s=%s: %d errors", cases[i].field, cases[i].value, e.n);
		cr_assert_str_eq(e.e[0].field, cases[i].field);
		cr_assert(strstr(e.e[0].msg, cases[i].want), "%s: %s", cases[i].field, e.e[0].msg);
	}
	/* exactly at the limits passes */
	struct org o = good();
	org_set(&o, "name", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十");
	org_set(&o, "secretary", "一二三四五六七八九十一二三四五六七八九十");
	char serves[700] = "";
	for (int i = 0; i < 200; i++)
		strcat(serves, "村");
	org_set(&o, "serves", serves);
	struct field_errors e = {0};
	org_check(&o, true, &e);
	cr_assert_eq(e.n, 0, "%s: %s", e.e[0].field, e.e[0].msg);
	strcat(serves, "村");
	org_set(&o, "serves", serves);
	org_check(&o, true, &e);
	cr_assert_eq(e.n, 1);
	cr_assert_str_eq(e.e[0].field, "serves");
}

Test(org_check, overlong_input_is_reported_not_cut)
{
	char big[4000];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = 0;
	static const char *const fields[] = {"code", "name", "type", "kind", "secretary", "serves", "phone", NULL};
	for (const char *const *f = fields; *f; f++) {
		struct org o = good();
		org_set(&o, *f, big);
		struct field_errors e = {0};
		org_check(&o, true, &e);
		cr_assert_eq(e.n, 1, "%s: %d errors", *f, e.n);
		cr_assert_str_eq(e.e[0].field, *f);
	}
}

Test(org_check, code_and_type_are_not_checked_on_edit)
{
	struct org o = good();
	snprintf(o.code, sizeof o.code, "legacy code");
	snprintf(o.type, sizeof o.type, "legacy");
	struct field_errors e = {0};
	org_check(&o, false, &e);
	cr_assert_eq(e.n, 0);
}

/* ---- on SQLite ---- */

static db *d;
static char path[96];

static void setup(void) { d = unit_db_open("orgs", path); }

static void teardown(void) { unit_db_close(d, path); }

TestSuite(org_db, .init = setup, .fini = teardown);

/* An admin account with this id: the history rows name it. */
static const struct actor *admin(int64_t user_id)
{
	static struct actor a;
	actor_cli(&a);
	a.user_id = user_id;
	snprintf(a.username, sizeof a.username, "admin%lld", (long long)user_id);
	return &a;
}

static int64_t make(int64_t parent, const char *code, const char *type)
{
	struct org o;
	memset(&o, 0, sizeof o);
	o.parent_id = parent;
	org_set(&o, "code", code);
	org_set(&o, "name", code);
	org_set(&o, "type", type);
	struct field_errors e = {0};
	enum dj_result r = org_create(d, admin(0), &o, &e);
	cr_assert_eq(r, DJ_OK, "%s: %s %s", code, e.n ? e.e[0].field : "", e.n ? e.e[0].msg : db_errmsg(d));
	return o.id;
}

static const char *path_of(int64_t id, char out[256])
{
	struct org o;
	cr_assert(org_load(d, id, &o));
	snprintf(out, 256, "%s", o.path);
	return out;
}

Test(org_db, create_checks_the_parent_and_the_code)
{
	int64_t county = make(0, "DEX", "county");
	int64_t town = make(county, "CJZ", "committee");
	struct org o;
	memset(&o, 0, sizeof o);
	o.parent_id = town;
	org_set(&o, "code", "cjz"); /* taken, whatever the case */
	org_set(&o, "name", "小组");
	org_set(&o, "type", "group"); /* not under a 镇党委 */
	struct field_errors e = {0};
	cr_assert_eq(org_create(d, admin(0), &o, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "code"));
	cr_assert_not_null(ferr_get(&e, "type"));
	o.parent_id = 999;
	org_set(&o, "code", "CJZ-9");
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_create(d, admin(0), &o, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "parent"));
	o.parent_id = 0;
	org_set(&o, "type", "branch");
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_create(d, admin(0), &o, &e), DJ_INVALID, "only a 县委 has no parent");
	cr_assert_not_null(ferr_get(&e, "parent"));
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orgs", ""), 2);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM org_history WHERE kind = 'create'", ""), 2);
}

Test(org_db, rename_writes_history)
{
	int64_t county = make(0, "DEX", "county");
	struct org before, after;
	cr_assert(org_load(d, county, &before));
	after = before;
	org_set(&after, "name", "新名称");
	org_set(&after, "secretary", "张三");
	struct field_errors e = {0};
	cr_assert_eq(org_update(d, admin(7), &before, &after, &e), DJ_OK);
	cr_assert_eq(db_int1(d, 0,
			     "SELECT COUNT(*) FROM org_history WHERE org_id = ? AND kind = 'rename' AND from_value = 'DEX' "
			     "AND to_value = '新名称' AND user_id = 7",
			     "I", county),
		     1);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM org_history WHERE org_id = ? AND kind = 'edit' AND to_value = '张三'", "I", county), 1);
	after = before;
	org_set(&after, "name", "");
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_update(d, admin(7), &before, &after, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "name"));
}

Test(org_db, move_rewrites_the_whole_subtree)
{
	int64_t county = make(0, "DEX", "county");
	int64_t town = make(county, "CJZ", "committee");
	int64_t general = make(town, "CJZ-JG", "general");
	int64_t branch = make(town, "CJZ-CJC", "branch");
	int64_t g1 = make(branch, "CJZ-CJC-1", "group");
	int64_t other = make(town, "CJZ-X", "branch"); /* a sibling whose id shares a prefix must not move */
	(void)other;
	char before_other[256], p[256], want[256];
	path_of(other, before_other);
	struct field_errors e = {0};
	cr_assert_eq(org_move(d, admin(3), branch, general, &e), DJ_OK, "%s", e.n ? e.e[0].msg : "");
	snprintf(want, sizeof want, "%s%lld/", path_of(general, p), (long long)branch);
	cr_assert_str_eq(path_of(branch, p), want);
	snprintf(want + strlen(want), sizeof want - strlen(want), "%lld/", (long long)g1);
	cr_assert_str_eq(path_of(g1, p), want);
	cr_assert_str_eq(path_of(other, p), before_other);
	struct org o;
	org_load(d, branch, &o);
	cr_assert_eq(o.parent_id, general);
	cr_assert_str_eq(o.parent_code, "CJZ-JG");
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM org_history WHERE org_id = ? AND kind = 'move' AND user_id = 3", "I", branch), 1);
	/* the subtree of the 党总支 now holds the branch and its group */
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orgs WHERE path LIKE ? || '%'", "t", path_of(general, p)), 3);

	/* refused: under itself, under a descendant, a misfit, the same parent, nowhere */
	struct {
		int64_t org, to;
	} bad[] = {{branch, branch}, {general, branch}, {general, g1}, {branch, g1}, {g1, town}, {branch, general}, {branch, 0}, {branch, 999}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&e, 0, sizeof e);
		cr_assert_eq(org_move(d, admin(3), bad[i].org, bad[i].to, &e), DJ_INVALID, "case %zu", i);
		cr_assert_not_null(ferr_get(&e, "parent"), "case %zu", i);
	}
}

Test(org_db, dissolve_only_when_empty)
{
	int64_t county = make(0, "DEX", "county");
	int64_t town = make(county, "CJZ", "committee");
	int64_t branch = make(town, "CJZ-CJC", "branch");
	int64_t g1 = make(branch, "CJZ-CJC-1", "group");
	struct field_errors e = {0};
	cr_assert_eq(org_dissolve(d, admin(1), branch, &e), DJ_CONFLICT);
	cr_assert(strstr(e.e[0].msg, "下级组织 1 个"), "%s", e.e[0].msg);
	/* a user keeps the group alive */
	cr_assert_eq(db_run(d,
			    "INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) "
			    "VALUES ('u', 'x', 'U', 'branch', ?, 0, 0)",
			    "I", g1),
		     DB_OK);
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_dissolve(d, admin(1), g1, &e), DJ_CONFLICT);
	cr_assert(strstr(e.e[0].msg, "在用账号 1 个"), "%s", e.e[0].msg);
	cr_assert_eq(db_run(d, "UPDATE users SET active = 0", ""), DB_OK);
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_dissolve(d, admin(1), g1, &e), DJ_OK);
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_dissolve(d, admin(1), branch, &e), DJ_OK, "%s", e.n ? e.e[0].msg : "");
	struct org o;
	org_load(d, branch, &o);
	cr_assert(o.dissolved_at > 0);
	/* dissolved: frozen */
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_dissolve(d, admin(1), branch, &e), DJ_CONFLICT);
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_move(d, admin(1), branch, town, &e), DJ_CONFLICT);
	struct org after = o;
	org_set(&after, "name", "复活");
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_update(d, admin(1), &o, &after, &e), DJ_CONFLICT);
	struct org child;
	memset(&child, 0, sizeof child);
	child.parent_id = branch;
	org_set(&child, "code", "CJZ-CJC-2");
	org_set(&child, "name", "小组");
	org_set(&child, "type", "group");
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_create(d, admin(1), &child, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "parent"));
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM org_history WHERE kind = 'dissolve'", ""), 2);
}

/* The command line acts as 'cli': one audit row, the same as a page or the API leaves. */
Test(org_db, a_cli_create_leaves_one_audit_row_by_cli)
{
	struct actor a;
	actor_cli(&a);
	struct org o;
	memset(&o, 0, sizeof o);
	org_set(&o, "code", "DEX");
	org_set(&o, "name", "中共东线县委");
	org_set(&o, "type", "county");
	struct field_errors e = {0};
	cr_assert_eq(org_create(d, &a, &o, &e), DJ_OK, "%s", e.n ? e.e[0].msg : "");
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM audit", ""), 1);
	cr_assert_eq(db_int1(d, 0,
			     "SELECT COUNT(*) FROM audit WHERE username = 'cli' AND user_id IS NULL AND ip = 'local' "
			     "AND action = 'org.create' AND entity = 'org' AND entity_id = ? AND org_id = ? "
			     "AND summary = '中共东线县委（DEX）：县委'",
			     "II", o.id, o.id),
		     1);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM org_history WHERE org_id = ? AND kind = 'create' AND user_id IS NULL", "I", o.id), 1);
}

/* Every write leaves its audit row with the acting account; a refused one leaves none. */
Test(org_db, writes_are_audited_with_the_actor)
{
	int64_t county = make(0, "DEX", "county");
	int64_t town = make(county, "CJZ", "committee");
	int64_t general = make(town, "CJZ-JG", "general");
	int64_t branch = make(town, "CJZ-CJC", "branch");
	cr_assert_eq(db_run(d, "DELETE FROM audit", ""), DB_OK);
	struct org before, after;
	cr_assert(org_load(d, branch, &before));
	after = before;
	org_set(&after, "name", "陈集村党支部");
	struct field_errors e = {0};
	cr_assert_eq(org_update(d, admin(7), &before, &after, &e), DJ_OK);
	cr_assert_eq(org_move(d, admin(7), branch, general, &e), DJ_OK, "%s", e.n ? e.e[0].msg : "");
	cr_assert_eq(org_move(d, admin(7), branch, branch, &e), DJ_INVALID);
	cr_assert_eq(org_dissolve(d, admin(7), branch, &e), DJ_OK, "%s", e.n ? e.e[0].msg : "");
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM audit", ""), 3);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM audit WHERE user_id = 7 AND username = 'admin7' AND entity_id = ?", "I", branch), 3);
	cr_assert_eq(
		db_int1(d, 0,
			"SELECT COUNT(*) FROM audit WHERE action = 'org.update' AND summary = '陈集村党支部（CJZ-CJC）：更名：CJZ-CJC → 陈集村党支部'",
			""),
		1);
	cr_assert_eq(db_int1(d, 0,
			     "SELECT COUNT(*) FROM audit WHERE action = 'org.move' AND summary = '陈集村党支部（CJZ-CJC）：移到 CJZ-JG（CJZ-JG）之下'",
			     ""),
		     1);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM audit WHERE action = 'org.dissolve' AND summary = '陈集村党支部（CJZ-CJC）'", ""), 1);
}

/* The domain holds the actor to its subtree whoever calls it: an org outside
 * looks absent, a parent outside is no parent, a root is for the whole tree. */
Test(org_db, the_actor_stays_inside_its_subtree)
{
	int64_t county = make(0, "DEX", "county");
	int64_t town = make(county, "CJZ", "committee");
	int64_t other = make(county, "QTZ", "committee");
	int64_t branch = make(town, "CJZ-CJC", "branch");
	int64_t far = make(other, "QTZ-1", "branch");
	struct org t;
	cr_assert(org_load(d, town, &t));
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 5;
	a.role = R_COMMITTEE;
	a.org_id = town;
	snprintf(a.org_path, sizeof a.org_path, "%s", t.path);
	snprintf(a.username, sizeof a.username, "zuzhi");
	struct field_errors e = {0};
	cr_assert_eq(org_dissolve(d, &a, far, &e), DJ_NOT_FOUND);
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_move(d, &a, far, town, &e), DJ_NOT_FOUND);
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_move(d, &a, branch, other, &e), DJ_INVALID, "a parent outside is no parent");
	cr_assert_not_null(ferr_get(&e, "parent"));
	struct org o, after;
	cr_assert(org_load(d, far, &o));
	after = o;
	org_set(&after, "name", "越权");
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_update(d, &a, &o, &after, &e), DJ_NOT_FOUND);
	struct org child;
	memset(&child, 0, sizeof child);
	child.parent_id = other;
	org_set(&child, "code", "QTZ-2");
	org_set(&child, "name", "支部");
	org_set(&child, "type", "branch");
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_create(d, &a, &child, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "parent"));
	child.parent_id = 0;
	org_set(&child, "type", "county");
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_create(d, &a, &child, &e), DJ_INVALID, "only the whole tree's actor makes a root");
	cr_assert_not_null(ferr_get(&e, "parent"));
	/* inside its subtree it may */
	child.parent_id = town;
	org_set(&child, "code", "CJZ-2");
	org_set(&child, "type", "branch");
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_create(d, &a, &child, &e), DJ_OK, "%s", e.n ? e.e[0].msg : "");
	/* a role that does not manage orgs may do nothing */
	a.role = R_BRANCH;
	memset(&e, 0, sizeof e);
	cr_assert_eq(org_dissolve(d, &a, child.id, &e), DJ_FORBIDDEN);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM audit WHERE user_id = 5", ""), 1);
}
