/* Unit tests: accounts for roster members (issue 10 §1) — the code's shape,
 * issue and activation with their audit rows, who may issue, a code used
 * once and expiring, and the account following its roster record. On SQLite
 * with the real migrations. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "db.h"
#include "members.h"
#include "unit_db.h"
#include "users.h"

static db *d;
static char path[96];
static struct actor sec; /* the secretary of 陈集村 */

static void account(struct actor *a, int64_t id, int role, int64_t org_id, const char *org_path, const char *username)
{
	memset(a, 0, sizeof *a);
	a->user_id = id;
	a->role = role;
	a->org_id = org_id;
	snprintf(a->org_path, sizeof a->org_path, "%s", org_path);
	snprintf(a->username, sizeof a->username, "%s", username);
	snprintf(a->ip, sizeof a->ip, "192.0.2.1");
}

static void member(int64_t id, int64_t org_id, const char *name, const char *phone, const char *duty)
{
	cr_assert_eq(db_run(d,
			    "INSERT INTO members (id, org_id, name, gender, birth_date, id_number, id_tail, phone, phone_tail, join_date, category, "
			    "status, created_at, updated_at) VALUES (?, ?, ?, '男', '1980-01-01', ?, '0000', ?, '', '2001-07-01', 'full', 'active', 0, 0)",
			    "IIttt", id, org_id, name, name, phone),
		     DB_OK, "%s", db_errmsg(d));
	if (duty)
		cr_assert_eq(db_run(d, "INSERT INTO member_duties (member_id, duty) VALUES (?, ?)", "It", id, duty), DB_OK);
}

static void setup(void)
{
	d = unit_db_open("accounts", path);
	cr_assert_eq(db_run(d,
			    "INSERT INTO orgs (id, code, name, type, kind, path, created_at) VALUES "
			    "(1, 'CJZ', '陈集镇党委', 'committee', '机关', '/1/', 0), "
			    "(2, 'CJZ-CJC', '陈集村党支部', 'branch', '农村', '/1/2/', 0), "
			    "(3, 'CJZ-XJC', '西街村党支部', 'branch', '农村', '/1/3/', 0), "
			    "(4, 'CJZ-CJC-1', '陈集村第一党小组', 'group', '农村', '/1/2/4/', 0)",
			    ""),
		     DB_OK, "%s", db_errmsg(d));
	cr_assert_eq(db_run(d,
			    "INSERT INTO users (id, username, password_hash, name, role, org_id, created_at, updated_at) VALUES "
			    "(1, 'chenji', 'x', '张建国', 'branch', 2, 0, 0), (2, 'xijie', 'x', '王秀英', 'branch', 3, 0, 0)",
			    ""),
		     DB_OK, "%s", db_errmsg(d));
	account(&sec, 1, R_BRANCH, 2, "/1/2/", "chenji");
	member(10, 4, "甲", "13912340010", NULL);
	member(11, 2, "乙", "13912340011", "网格员");
	member(12, 2, "丙", "", NULL);
	member(13, 3, "丁", "13912340013", NULL);
}

static void teardown(void) { unit_db_close(d, path); }

TestSuite(accounts, .init = setup, .fini = teardown);

static int64_t count(const char *sql) { return db_int1(d, -1, sql, ""); }

Test(accounts, codes_are_read_without_case_spaces_or_dashes_and_without_look_alikes)
{
	char c[ACTIVATION_CODE_LEN + 1];
	cr_assert(account_code_normalise(" k7qm 4xwp ", c));
	cr_assert_str_eq(c, "K7QM4XWP");
	cr_assert(account_code_normalise("K7QM-4XWP", c));
	cr_assert_not(account_code_normalise("K7QM-4XW", c));
	cr_assert_not(account_code_normalise("K7QM-4XWPP", c));
	cr_assert_not(account_code_normalise("O0I1LLLL", c), "0, O, 1, I and L are not in the alphabet");
	cr_assert_not(account_code_normalise("", c));
	cr_assert_not(account_code_normalise(NULL, c));
}

Test(accounts, issue_links_an_account_awaiting_activation_and_audits_it)
{
	struct account_slip s;
	struct field_errors e = {0};
	enum dj_result res = account_issue(d, &sec, 10, &s, &e);
	cr_assert_eq(res, DJ_OK, "%s", dj_message(res, &e));
	cr_assert_eq(strlen(s.code), 9);
	cr_assert_eq(s.code[4], '-');
	cr_assert_str_eq(s.username, "13912340010");
	cr_assert_str_eq(s.role, "member");
	cr_assert_eq(member_account_of(d, 10), s.user_id);
	cr_assert_not(users_has_password(d, s.user_id));
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'account.issue' AND entity = 'member' AND entity_id = 10"), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'user.create'"), 1);
	/* only a hash is kept */
	char c[ACTIVATION_CODE_LEN + 1];
	cr_assert(account_code_normalise(s.code, c));
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM activation_codes WHERE code_hash LIKE '%' || ? || '%'", "t", c), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM activation_codes WHERE used_at IS NULL"), 1);
	/* a grid worker's duty gives the role grid */
	struct account_slip g;
	cr_assert_eq(account_issue(d, &sec, 11, &g, &e), DJ_OK);
	cr_assert_str_eq(g.role, "grid");
}

Test(accounts, who_may_issue_and_what_is_refused_writes_nothing)
{
	struct account_slip s;
	struct field_errors e = {0};
	struct actor other, mem;
	account(&other, 2, R_BRANCH, 3, "/1/3/", "xijie");
	account(&mem, 1, R_MEMBER, 2, "/1/2/", "chenji");
	cr_assert_eq(account_issue(d, &other, 10, &s, &e), DJ_NOT_FOUND);
	cr_assert_eq(account_issue(d, &mem, 10, &s, &e), DJ_FORBIDDEN);
	e.n = 0;
	cr_assert_eq(account_issue(d, &sec, 12, &s, &e), DJ_INVALID, "no phone");
	cr_assert_not_null(ferr_get(&e, "phone"));
	cr_assert_eq(count("SELECT COUNT(*) FROM users"), 2);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit"), 0);
	/* the same phone on another member's account */
	cr_assert_eq(account_issue(d, &sec, 10, &s, &e), DJ_OK);
	cr_assert_eq(db_run(d, "UPDATE members SET phone = '13912340010' WHERE id = 11", ""), DB_OK);
	e.n = 0;
	cr_assert_eq(account_issue(d, &sec, 11, &s, &e), DJ_CONFLICT);
	/* a staff account linked to its record is the admin's */
	cr_assert_eq(db_run(d, "UPDATE members SET user_id = 1, phone = '13912340099' WHERE id = 11", ""), DB_OK);
	e.n = 0;
	cr_assert_eq(account_issue(d, &sec, 11, &s, &e), DJ_CONFLICT);
	/* the bulk issue only for a 党支部 */
	int n;
	struct actor cli;
	actor_cli(&cli);
	e.n = 0;
	cr_assert_eq(account_issue_branch(d, &cli, 4, NULL, NULL, &n, &e), DJ_INVALID);
}

static void no_slip(void *ctx, const struct account_slip *slip, const char *name, const char *why)
{
	int *c = ctx;
	c[slip ? 0 : 1]++;
	(void)name, (void)why;
}

Test(accounts, the_bulk_issue_covers_the_branch_and_its_groups_once)
{
	int c[2] = {0, 0}, n = 0;
	struct field_errors e = {0};
	cr_assert_eq(account_issue_branch(d, &sec, 2, no_slip, c, &n, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert_eq(n, 2);
	cr_assert_eq(c[0], 2);
	cr_assert_eq(c[1], 1, "丙 has no phone");
	c[0] = c[1] = 0;
	cr_assert_eq(account_issue_branch(d, &sec, 2, no_slip, c, &n, &e), DJ_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'account.issue_branch'"), 2);
}

Test(accounts, a_code_activates_once_before_it_expires)
{
	struct account_slip s;
	struct field_errors e = {0};
	cr_assert_eq(account_issue(d, &sec, 10, &s, &e), DJ_OK);
	struct actor pub;
	actor_public(&pub, "198.51.100.7");
	char user[64];
	cr_assert_eq(account_activate(d, &pub, "13912340010", "2222-2222", NULL, user, &e), DJ_INVALID);
	cr_assert_eq(account_activate(d, &pub, "13912340013", s.code, NULL, user, &e), DJ_INVALID, "another phone");
	e.n = 0;
	char lower[16];
	snprintf(lower, sizeof lower, "%s", s.code);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	cr_assert_eq(account_activate(d, &pub, "13912340010", lower, NULL, user, &e), DJ_OK);
	cr_assert_str_eq(user, "13912340010");
	cr_assert_not(users_has_password(d, s.user_id), "a check alone sets nothing");
	e.n = 0;
	cr_assert_eq(account_activate(d, &pub, "13912340010", s.code, "short", user, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "password"));
	e.n = 0;
	cr_assert_eq(account_activate(d, &pub, "13912340010", s.code, "Hongqi2026x", user, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert(users_has_password(d, s.user_id));
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'user.activate'"), 1);
	cr_assert_eq(account_activate(d, &pub, "13912340010", s.code, "Hongqi2026y", user, &e), DJ_INVALID, "used once");
	/* an expired code */
	struct account_slip g;
	cr_assert_eq(account_issue(d, &sec, 11, &g, &e), DJ_OK);
	cr_assert_eq(db_run(d, "UPDATE activation_codes SET expires_at = 1 WHERE user_id = ?", "I", g.user_id), DB_OK);
	cr_assert_eq(account_activate(d, &pub, "13912340011", g.code, NULL, user, &e), DJ_INVALID);
}

Test(accounts, the_account_follows_its_record_out_of_the_branch)
{
	struct account_slip s;
	struct field_errors e = {0};
	cr_assert_eq(account_issue(d, &sec, 11, &s, &e), DJ_OK);
	/* a move within the branch keeps it */
	cr_assert_eq(db_run(d, "UPDATE members SET org_id = 4 WHERE id = 11", ""), DB_OK);
	cr_assert_eq(account_follow_member(d, &sec, 11, &e), DJ_OK);
	struct user u;
	cr_assert(users_get(d, s.user_id, &u) && u.active);
	/* out of it, not */
	cr_assert_eq(db_run(d, "UPDATE members SET org_id = 3 WHERE id = 11", ""), DB_OK);
	struct actor cli;
	actor_cli(&cli);
	cr_assert_eq(account_follow_member(d, &cli, 11, &e), DJ_OK);
	cr_assert(users_get(d, s.user_id, &u) && !u.active);
	cr_assert_eq(count("SELECT COUNT(*) FROM activation_codes WHERE used_at IS NULL"), 0, "its code ends");
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'user.deactivate'"), 1);
	/* 停止党籍 through member_change */
	cr_assert_eq(account_issue(d, &sec, 10, &s, &e), DJ_OK);
	e.n = 0;
	cr_assert_eq(member_change(d, &sec, 10, "status", "stopped", "2026-01-05", "", &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert(users_get(d, s.user_id, &u) && !u.active);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit WHERE action = 'user.deactivate'"), 2);
	/* a staff account linked to a record is left to the admin */
	cr_assert_eq(db_run(d, "UPDATE members SET user_id = 1 WHERE id = 13", ""), DB_OK);
	cr_assert_eq(member_change(d, &cli, 13, "status", "stopped", "2026-01-05", "", &e), DJ_OK);
	cr_assert(users_get(d, 1, &u) && u.active);
}

/* ---- every statement failing in turn (as test_faults.c does for orders) ----
 * A step that answers DJ_OK despite a failed statement must have done all of
 * its work: the request's transaction commits whatever it wrote. */

struct effects {
	int64_t users, pending, used, audit, linked, active, with_password;
};

static void effects(struct effects *x)
{
	x->users = count("SELECT COUNT(*) FROM users");
	x->pending = count("SELECT COUNT(*) FROM activation_codes WHERE used_at IS NULL");
	x->used = count("SELECT COUNT(*) FROM activation_codes WHERE used_at IS NOT NULL");
	x->audit = count("SELECT COUNT(*) FROM audit");
	x->linked = count("SELECT COUNT(*) FROM members WHERE user_id IS NOT NULL");
	x->active = count("SELECT COUNT(*) FROM users WHERE active = 1");
	x->with_password = count("SELECT COUNT(*) FROM users WHERE password_hash <> ''");
}

enum step { ISSUE, REISSUE, ACTIVATE, STOP };
static char g_code[16];

static enum dj_result step(enum step st, struct field_errors *e)
{
	struct account_slip s;
	struct actor pub;
	char user[64];
	switch (st) {
	case ISSUE:
	case REISSUE: return account_issue(d, &sec, 10, &s, e);
	case ACTIVATE: actor_public(&pub, "198.51.100.7"); return account_activate(d, &pub, "13912340010", g_code, "Hongqi2026x", user, e);
	case STOP: return member_change(d, &sec, 10, "status", "stopped", "2026-01-05", "", e);
	}
	return DJ_DB_ERROR;
}

Test(accounts, a_failed_statement_never_leaves_a_half_done_success)
{
	/* the state before each step: REISSUE and ACTIVATE need an issued code */
	const struct effects want[] = {
		[ISSUE] = {1, 1, 0, 2, 1, 1, 0},
		[REISSUE] = {0, 0, 0, 1, 0, 0, 0},
		[ACTIVATE] = {0, -1, 1, 1, 0, 0, 1},
		[STOP] = {0, -1, 0, 2, 0, -1, 0},
	};
	for (int st = ISSUE; st <= STOP; st++) {
		struct field_errors e = {0};
		if (st != ISSUE) {
			struct account_slip s;
			cr_assert_eq(db_begin(d, true), DB_OK);
			cr_assert_eq(account_issue(d, &sec, 10, &s, &e), DJ_OK);
			cr_assert_eq(db_commit(d), DB_OK);
			snprintf(g_code, sizeof g_code, "%s", s.code);
		}
		/* its length */
		cr_assert_eq(db_begin(d, true), DB_OK);
		uint64_t p0 = db_fault_points(d);
		cr_assert_eq(step(st, &e), DJ_OK, "step %d: %s", st, dj_message(DJ_INVALID, &e));
		uint64_t len = db_fault_points(d) - p0;
		db_rollback(d);
		for (uint64_t n = 1; n <= len; n++) {
			struct effects a, b;
			cr_assert_eq(db_begin(d, true), DB_OK);
			effects(&a);
			db_fault_inject(d, n, DB_FAULT_IO);
			e.n = 0;
			enum dj_result res = step(st, &e);
			db_fault_inject(d, 0, DB_FAULT_NONE);
			if (res == DJ_OK) {
				effects(&b);
				const struct effects *w = &want[st];
				cr_expect(b.users - a.users == w->users && b.pending - a.pending == w->pending && b.used - a.used == w->used &&
						  b.audit - a.audit == w->audit && b.linked - a.linked == w->linked && b.active - a.active == w->active &&
						  b.with_password - a.with_password == w->with_password,
					  "step %d, statement %llu failing: DJ_OK with users %+lld pending %+lld used %+lld audit %+lld linked %+lld "
					  "active %+lld password %+lld",
					  st, (unsigned long long)n, (long long)(b.users - a.users), (long long)(b.pending - a.pending),
					  (long long)(b.used - a.used), (long long)(b.audit - a.audit), (long long)(b.linked - a.linked),
					  (long long)(b.active - a.active), (long long)(b.with_password - a.with_password));
			}
			db_rollback(d);
		}
	}
}
