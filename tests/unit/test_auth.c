/* Unit tests: roles, the permission table, password rules and hashing. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "module.h"

Test(roles, keys_and_labels_round_trip)
{
	int roles[] = {R_ADMIN, R_COMMITTEE, R_BRANCH, R_MEMBER, R_GRID, R_REVIEWER};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		cr_assert_eq(role_from_key(role_key(roles[i])), roles[i]);
		cr_assert(strlen(role_label(roles[i])) > 0);
	}
	cr_assert_eq(role_from_key("root"), 0);
	cr_assert_eq(role_from_key(NULL), 0);
}

static int roles_of(const char *key)
{
	const struct permission *p = permission_find(key);
	cr_assert_not_null(p, "permission row %s is registered by a module", key);
	return p->roles;
}

Test(permissions, table_matches_spec_section_1)
{
	/* only admin manages accounts; admin and committee read the audit log */
	cr_assert_eq(roles_of("user.manage"), R_ADMIN);
	cr_assert_eq(roles_of("audit.view"), R_ADMIN | R_COMMITTEE);
	cr_assert_eq(roles_of("org.view"), R_ANY);
	cr_assert_eq(roles_of("user.view") & (R_MEMBER | R_GRID | R_REVIEWER), 0);
	cr_assert_eq(roles_of("member.reveal") & (R_MEMBER | R_GRID | R_REVIEWER), 0);
	cr_assert_null(permission_find("no.such"));
}

Test(permissions, anonymous_may_do_nothing)
{
	req r;
	memset(&r, 0, sizeof r);
	for (size_t i = 0; i < modules_count; i++)
		for (size_t k = 0; k < modules[i]->permissions_n; k++)
			cr_assert_not(authorize(&r, modules[i]->permissions[k], 0));
}

Test(permissions, role_outside_the_table_is_refused_before_any_scope_lookup)
{
	req r;
	memset(&r, 0, sizeof r);
	r.logged_in = true;
	r.actor.role = R_MEMBER;
	/* no database in r: the role check must refuse before any query */
	cr_assert_not(authorize(&r, permission_find("user.manage"), 5));
	cr_assert_not(authorize(&r, permission_find("audit.view"), 0));
}

Test(passwords, strength_rules)
{
	cr_assert_not_null(password_weak("short1"));
	cr_assert_not_null(password_weak("onlyletters"));
	cr_assert_not_null(password_weak("1234567890"));
	cr_assert_null(password_weak("Demo2026"));
}

Test(passwords, argon2id_round_trip, .timeout = 30)
{
	cr_assert(sodium_init() >= 0);
	char h[128];
	cr_assert(password_hash("Demo2026", h));
	cr_assert_eq(strncmp(h, "$argon2id$", 10), 0);
	cr_assert(password_verify(h, "Demo2026"));
	cr_assert_not(password_verify(h, "Demo2027"));
	cr_assert_not(password_verify(NULL, "Demo2026"));
}

/* issue 8 §9: the rules for a password being set, over the strength rules */
Test(passwords, refused_when_it_has_the_username_the_demo_password_or_is_common)
{
	cr_assert_null(password_refused("chenji", "Jianguo2026"));
	cr_assert_str_eq(password_refused("chenji", "ChenJi2026"), "密码不能包含用户名");
	cr_assert_str_eq(password_refused("admin", "Demo2026"), "密码不能使用演示密码");
	cr_assert_str_eq(password_refused("admin", "xDEMO2026x"), "密码不能使用演示密码");
	cr_assert_str_eq(password_refused("zuzhi", "Password123"), "密码过于常见，容易被猜中，请换一个");
	cr_assert_str_eq(password_refused("zuzhi", "5201314qq"), "密码过于常见，容易被猜中，请换一个");
	cr_assert_str_eq(password_refused("zuzhi", "short1"), password_weak("short1"), "the strength rules come first");
	/* the list is sorted for the binary search: its first, last and middle entries are found */
	cr_assert(password_common("123456aa") && password_common("zxcvbnm888") && password_common("password1"));
	cr_assert_not(password_common("jianguo2026"));
}
