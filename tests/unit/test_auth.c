/* Unit tests: roles, the permission table, password rules and hashing. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "auth.h"

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

Test(permissions, table_matches_spec_section_1)
{
	/* only admin manages accounts; admin and committee read the audit log */
	cr_assert_eq(action_roles(ACT_USER_MANAGE), R_ADMIN);
	cr_assert_eq(action_roles(ACT_AUDIT_VIEW), R_ADMIN | R_COMMITTEE);
	cr_assert_eq(action_roles(ACT_ORG_VIEW), R_ANY);
	cr_assert_eq(action_roles(ACT_USER_VIEW) & (R_MEMBER | R_GRID | R_REVIEWER), 0);
}

Test(permissions, anonymous_may_do_nothing)
{
	req r;
	memset(&r, 0, sizeof r);
	for (int a = 0; a < ACT__COUNT; a++)
		cr_assert_not(authorize(&r, (enum action)a, 0));
}

Test(permissions, role_outside_the_table_is_refused_before_any_scope_lookup)
{
	req r;
	memset(&r, 0, sizeof r);
	r.logged_in = true;
	r.u.role = R_MEMBER;
	/* no database in r: the role check must refuse before any query */
	cr_assert_not(authorize(&r, ACT_USER_MANAGE, 5));
	cr_assert_not(authorize(&r, ACT_AUDIT_VIEW, 0));
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
