/* Unit tests (issue 10 §4, §5): tracking codes people can keep — the
 * alphabet has no look-alikes, codes are grouped, what a resident types is
 * read whatever its case, spaces and dashes, old codes stay as issued — and
 * who may reveal a resident's phone. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "orders.h"
#include "roles.h"

Test(order_codes, new_codes_are_grouped_and_free_of_look_alikes)
{
	int seen[128] = {0};
	for (int i = 0; i < 2000; i++) {
		char c[24];
		order_new_code(c);
		cr_assert_eq(strlen(c), 9, "%s", c);
		cr_assert_eq(c[4], '-', "%s", c);
		for (int k = 0; k < 9; k++) {
			if (k == 4)
				continue;
			cr_assert(strchr("0O1IL", c[k]) == NULL, "look-alike in %s", c);
			cr_assert((c[k] >= '2' && c[k] <= '9') || (c[k] >= 'A' && c[k] <= 'Z'), "%s", c);
			seen[(int)c[k]]++;
		}
		char n[40];
		order_code_normalize(c, n);
		cr_assert_str_eq(n, c, "a new code reads as itself");
	}
	/* every one of the 31 characters is used */
	int used = 0;
	for (int ch = 0; ch < 128; ch++)
		used += seen[ch] > 0;
	cr_assert_eq(used, 31);
}

Test(order_codes, what_a_resident_types_finds_the_code)
{
	static const char *const typed[] = {"K7QM-4XWP", "k7qm-4xwp", " k7qm 4xwp ", "K7QM4XWP", "k7 qm-4x wp", "\tk7qm\u30004xwp\n", "K-7-Q-M-4-X-W-P"};
	for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		char n[40];
		order_code_normalize(typed[i], n);
		cr_assert_str_eq(n, "K7QM-4XWP", "typed %s", typed[i]);
	}
	char n[40];
	/* an old 12-character code is kept as issued (case-sensitive), spaces dropped */
	order_code_normalize(" aB3xY9kLmN0p ", n);
	cr_assert_str_eq(n, "aB3xY9kLmN0p");
	/* eight characters with a look-alike are not a new code: not regrouped */
	order_code_normalize("K7QM4XW0", n);
	cr_assert_str_eq(n, "K7QM4XW0");
	order_code_normalize(NULL, n);
	cr_assert_str_eq(n, "");
	/* a long paste is cut, not overrun */
	char big[200];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = 0;
	order_code_normalize(big, n);
	cr_assert_eq(strlen(n), 39);
}

static struct actor who(int role, int64_t uid, const char *path)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.role = role;
	a.user_id = uid;
	snprintf(a.org_path, sizeof a.org_path, "%s", path);
	return a;
}

Test(order_codes, the_phone_is_for_the_handler_and_the_staff_of_the_branch_and_above)
{
	struct order o;
	memset(&o, 0, sizeof o);
	snprintf(o.org_path, sizeof o.org_path, "/1/2/3/");
	o.assignee_user_id = 7;
	struct actor branch = who(R_BRANCH, 2, "/1/2/3/"), committee = who(R_COMMITTEE, 3, "/1/2/"), admin = who(R_ADMIN, 1, "/"),
		     other_branch = who(R_BRANCH, 4, "/1/2/9/"), member = who(R_MEMBER, 5, "/1/2/3/"), handler = who(R_MEMBER, 7, "/1/2/9/"),
		     grid = who(R_GRID, 6, "/1/2/3/"), reviewer = who(R_REVIEWER, 8, "/1/2/");
	cr_assert(order_contact_allowed(&branch, &o));
	cr_assert(order_contact_allowed(&committee, &o));
	cr_assert(order_contact_allowed(&admin, &o));
	cr_assert(order_contact_allowed(&handler, &o), "the handler, even of another branch (a 头雁)");
	cr_assert_not(order_contact_allowed(&other_branch, &o));
	cr_assert_not(order_contact_allowed(&member, &o), "a member only for what is assigned to it");
	cr_assert_not(order_contact_allowed(&grid, &o));
	cr_assert_not(order_contact_allowed(&reviewer, &o));
}
