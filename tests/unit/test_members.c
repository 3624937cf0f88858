/* Unit tests: the roster's domain functions (SPEC M1) on SQLite with the real
 * migrations — the audit row is written by the domain, whoever the caller
 * (here the command line), and reading full numbers is refused to a member. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "actor.h"
#include "db.h"
#include "members.h"
#include "orgs.h"

static db *d;
static char path[64];
static int64_t branch, other;

static void setup(void)
{
	snprintf(path, sizeof path, "/tmp/dj-unit-members-%d.db", (int)getpid());
	unlink(path);
	char err[256];
	d = db_open(path, err, sizeof err);
	cr_assert_not_null(d, "%s", err);
	cr_assert(db_migrate(d, err, sizeof err) > 0, "%s", err);
	int64_t county = orgs_create(d, 0, "DEX", "德县县委", "county", "");
	int64_t town = orgs_create(d, county, "CJZ", "陈集镇党委", "committee", "");
	branch = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "行政村");
	other = orgs_create(d, town, "CJZ-XJC", "西街村党支部", "branch", "行政村");
	cr_assert(county && town && branch && other, "%s", db_errmsg(d));
}

static void teardown(void)
{
	db_close(d);
	char p[80];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path), unlink(p);
	snprintf(p, sizeof p, "%s-shm", path), unlink(p);
}

TestSuite(members_db, .init = setup, .fini = teardown);

/* A valid GB 11643 ID number for a birth date (YYYYMMDD), a sequence and a gender. */
static void id_number(const char *birth, int seq, bool male, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	snprintf(out, 19, "371524%.8s%02d%d", birth, seq % 100, male ? 1 : 2);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = 0;
}

static int64_t audit_count(const char *action)
{
	return db_int1(d, -1, "SELECT COUNT(*) FROM audit WHERE action = ?", "t", action);
}

static int64_t add_member(const struct actor *a, const char *name, int seq)
{
	struct member m;
	memset(&m, 0, sizeof m);
	char id[19];
	id_number("19750308", seq, true, id);
	member_set(&m, "name", name);
	member_set(&m, "id_number", id);
	member_set(&m, "phone", "13912340001");
	member_set(&m, "join_date", "2001-07-01");
	member_set(&m, "full_date", "2002-07-01");
	member_set(&m, "org_code", "CJZ-CJC");
	struct field_errors e = {0};
	int64_t mid = 0;
	enum dj_result res = member_insert(d, a, &m, "测试", &mid, &e);
	cr_assert_eq(res, DJ_OK, "%s: %s", e.n ? e.e[0].field : "", dj_message(res, &e));
	cr_assert(mid > 0);
	return mid;
}

/* A branch secretary or a member of 陈集村 (the session code fills these in on the web). */
static void account(struct actor *a, int role, int64_t user_id, int64_t org)
{
	memset(a, 0, sizeof *a);
	a->role = role;
	a->user_id = user_id;
	a->org_id = org;
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", org);
	cr_assert(db_next(s));
	snprintf(a->org_path, sizeof a->org_path, "%s", db_str(s, 0));
	db_done(s);
	snprintf(a->username, sizeof a->username, "%s", role == R_MEMBER ? "dangyuan" : "chenji");
	snprintf(a->ip, sizeof a->ip, "127.0.0.1");
}

Test(members_db, a_cli_create_leaves_one_audit_row_as_cli)
{
	struct actor cli;
	actor_cli(&cli);
	int64_t id = add_member(&cli, "测试甲", 11);
	cr_assert_eq(audit_count("member.create"), 1);
	db_stmt *s = db_query(d, "SELECT username, entity, entity_id, org_id, summary, user_id FROM audit WHERE action = 'member.create'", "");
	cr_assert(db_next(s));
	cr_assert_str_eq(db_str(s, 0), "cli");
	cr_assert_str_eq(db_str(s, 1), "member");
	cr_assert_eq(db_int(s, 2), id);
	cr_assert_eq(db_int(s, 3), branch);
	cr_assert_str_eq(db_str(s, 4), "测试甲");
	cr_assert(db_isnull(s, 5), "the command line is no account");
	db_done(s);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM audit", ""), 1, "nothing else is audited");
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM member_history WHERE member_id = ? AND kind = 'create'", "I", id), 1);
}

Test(members_db, reveal_is_refused_to_a_member_and_leaves_no_audit_row)
{
	struct actor cli, member, secretary, stranger;
	actor_cli(&cli);
	int64_t id = add_member(&cli, "测试乙", 12);
	int64_t before = db_int1(d, -1, "SELECT COUNT(*) FROM audit", "");

	account(&member, R_MEMBER, 0, branch);
	struct member m;
	struct field_errors e = {0};
	cr_assert_eq(member_reveal(d, &member, id, NULL, &m, &e), DJ_FORBIDDEN);
	cr_assert_eq(audit_count("member.reveal"), 0);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM audit", ""), before);

	/* another branch's secretary does not even see the member */
	account(&stranger, R_BRANCH, 0, other);
	memset(&e, 0, sizeof e);
	cr_assert_eq(member_reveal(d, &stranger, id, NULL, &m, &e), DJ_NOT_FOUND);
	cr_assert_eq(audit_count("member.reveal"), 0);

	/* its own secretary reads the numbers, and that is on the audit log */
	account(&secretary, R_BRANCH, 0, branch);
	memset(&e, 0, sizeof e);
	cr_assert_eq(member_reveal(d, &secretary, id, "API", &m, &e), DJ_OK);
	cr_assert_eq(m.id, id);
	cr_assert_eq(strlen(m.id_number), 18);
	cr_assert_eq(audit_count("member.reveal"), 1);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM audit WHERE action = 'member.reveal' AND username = 'chenji' AND summary = 'API'", ""), 1);
}
