/* Unit tests: the roster's domain functions (SPEC M1) on SQLite with the real
 * migrations — the audit row is written by the domain, whoever the caller
 * (here the command line), and reading full numbers is refused to a member. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "actor.h"
#include "db.h"
#include "unit_db.h"
#include "figures.h"
#include "import.h"
#include "members.h"
#include "orgs.h"

static db *d;
static char path[96];
static int64_t branch, other;

static void setup(void)
{
	d = unit_db_open("members", path);
	int64_t county = orgs_create(d, 0, "DEX", "德县县委", "county", "");
	int64_t town = orgs_create(d, county, "CJZ", "陈集镇党委", "committee", "");
	branch = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "行政村");
	other = orgs_create(d, town, "CJZ-XJC", "西街村党支部", "branch", "行政村");
	cr_assert(county && town && branch && other, "%s", db_errmsg(d));
}

static void teardown(void) { unit_db_close(d, path); }

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

static int64_t audit_count(const char *action) { return db_int1(d, -1, "SELECT COUNT(*) FROM audit WHERE action = ?", "t", action); }

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

/* ---- reading the roster ---- */

struct seen {
	int n;
	char names[8][96];
	int64_t ids[8], duties[8];
};

static void seen_row(void *ctx, const struct member_row *m)
{
	struct seen *c = ctx;
	if (c->n < 8) {
		snprintf(c->names[c->n], sizeof c->names[0], "%s", m->name);
		c->ids[c->n] = m->id;
		c->duties[c->n] = m->duties;
	}
	c->n++;
}

static void seen_duty(void *ctx, const char *duty)
{
	struct seen *c = ctx;
	if (c->n < 8)
		snprintf(c->names[c->n], sizeof c->names[0], "%s", duty);
	c->n++;
}

static void seen_event(void *ctx, const struct member_event *ev)
{
	struct seen *c = ctx;
	if (c->n < 8)
		snprintf(c->names[c->n], sizeof c->names[0], "%s", ev->kind);
	c->n++;
}

Test(members_db, the_roster_lists_the_subtree_sorted_counted_and_paged)
{
	struct actor cli, secretary, stranger;
	actor_cli(&cli);
	add_member(&cli, "乙某", 21);
	int64_t a = add_member(&cli, "甲某", 22);
	add_member(&cli, "丙某", 23);
	account(&secretary, R_BRANCH, 0, branch);
	account(&stranger, R_BRANCH, 0, other);

	struct roster_query q = {.prefix = secretary.org_path, .in_service = -1, .sort = "name", .limit = 2, .offset = 0};
	struct seen c = {0};
	int64_t total = -1;
	cr_assert_eq(member_roster(d, &secretary, &q, seen_row, &c, &total), DJ_OK);
	cr_assert_eq(total, 3, "the count ignores the limit");
	cr_assert_eq(c.n, 2);
	cr_assert(strcmp(c.names[0], c.names[1]) < 0, "sorted by name: %s, %s", c.names[0], c.names[1]);

	/* a filter on the name, and a sort outside the list falls back to the org's */
	q.q = "甲", q.sort = "1; DROP TABLE members", q.limit = 50;
	memset(&c, 0, sizeof c);
	cr_assert_eq(member_roster(d, &secretary, &q, seen_row, &c, &total), DJ_OK);
	cr_assert_eq(total, 1);
	cr_assert_eq(c.n, 1);
	cr_assert_eq(c.ids[0], a);

	/* another branch's subtree is none of the secretary's business */
	q.q = NULL;
	q.prefix = stranger.org_path;
	memset(&c, 0, sizeof c);
	cr_assert_eq(member_roster(d, &secretary, &q, seen_row, &c, &total), DJ_NOT_FOUND);
	cr_assert_eq(c.n, 0);
	cr_assert_eq(total, 0);
	q.prefix = secretary.org_path;
	cr_assert_eq(member_roster(d, &stranger, &q, seen_row, &c, &total), DJ_NOT_FOUND);
}

Test(members_db, duties_and_history_of_a_member)
{
	struct actor cli, secretary;
	actor_cli(&cli);
	int64_t id = add_member(&cli, "丁某", 31);
	account(&secretary, R_BRANCH, 0, branch);
	struct member before, after;
	cr_assert(member_load(d, id, &before));
	after = before;
	member_set(&after, "duties", "网格员、书记");
	struct field_errors e = {0};
	cr_assert_eq(member_update(d, &secretary, &before, &after, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	/* rows of older data: readings were once kept in the history too */
	cr_assert_eq(db_run(d, "INSERT INTO member_history (member_id, date, at, kind) VALUES (?, '2099-01-01', 0, 'reveal')", "I", id), DB_OK);

	struct seen c = {0};
	member_duties_each(d, id, seen_duty, &c);
	cr_assert_eq(c.n, 2);
	cr_assert(strcmp(c.names[0], c.names[1]) < 0, "in the order of their names");

	struct roster_query q = {.prefix = secretary.org_path, .in_service = -1, .duty = "书记", .limit = 50};
	memset(&c, 0, sizeof c);
	int64_t total = 0;
	cr_assert_eq(member_roster(d, &secretary, &q, seen_row, &c, &total), DJ_OK);
	cr_assert_eq(total, 1);
	cr_assert_eq(c.duties[0], 2);

	memset(&c, 0, sizeof c);
	member_history_each(d, id, seen_event, &c);
	cr_assert(c.n >= 2, "the creation and the change of duties");
	for (int i = 0; i < c.n && i < 8; i++)
		cr_assert_str_neq(c.names[i], "reveal", "readings of full numbers are in the audit log, not the history");
}

/* ---- the import's batches ---- */

static void checked_import(struct import *im, int seq)
{
	char id[19], csv[200];
	id_number("19800101", seq, true, id);
	snprintf(csv, sizeof csv, "姓名,身份证号,入党日期\r\n戊某,%s,2005-07-01\r\n", id);
	import_init(im, branch, "/", "花名册.csv");
	import_check_file(d, im, csv, strlen(csv));
	cr_assert(import_ok(im), "%s %d", im->file_error, im->bad_rows);
}

Test(members_db, an_import_batch_is_its_uploaders_and_used_once)
{
	int64_t uid = 0, vid = 0;
	cr_assert_eq(db_run(d,
			    "INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) "
			    "VALUES ('chenji', 'x', '陈书记', 'branch', ?, 0, 0)",
			    "I", branch),
		     DB_OK);
	uid = db_int1(d, 0, "SELECT id FROM users WHERE username = 'chenji'", "");
	cr_assert_eq(db_run(d,
			    "INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) "
			    "VALUES ('xijie', 'x', '西书记', 'branch', ?, 0, 0)",
			    "I", other),
		     DB_OK);
	vid = db_int1(d, 0, "SELECT id FROM users WHERE username = 'xijie'", "");
	struct actor me, them, member;
	account(&me, R_BRANCH, uid, branch);
	account(&them, R_BRANCH, vid, other);
	account(&member, R_MEMBER, uid, branch);

	struct import im;
	checked_import(&im, 41);
	char token[IMPORT_TOKEN_SIZE];
	cr_assert_eq(import_batch_save(d, &member, &im, token), DJ_FORBIDDEN);
	cr_assert_eq(import_batch_save(d, &me, &im, token), DJ_OK);
	cr_assert(strlen(token) >= 20);
	import_free(&im);

	struct import_batch b;
	cr_assert_eq(import_batch_load(d, &them, token, &b), DJ_NOT_FOUND, "someone else's batch looks like no batch");
	cr_assert_null(b.content);
	cr_assert_eq(import_batch_load(d, &me, "no-such-token", &b), DJ_NOT_FOUND);
	cr_assert_eq(import_batch_load(d, &me, NULL, &b), DJ_NOT_FOUND);
	cr_assert_eq(import_batch_load(d, &me, token, &b), DJ_OK);
	cr_assert_eq(b.state, IMPORT_BATCH_OPEN);
	cr_assert_eq(b.org_id, branch);
	cr_assert_str_eq(b.filename, "花名册.csv");
	cr_assert(b.content && strstr(b.content, "戊某"));

	/* the rows check again from the stored text */
	import_init(&im, b.org_id, "/", b.filename);
	import_check_batch(d, &im, b.content);
	cr_assert(import_ok(&im));
	cr_assert_eq(im.ngood, 1);
	import_free(&im);

	cr_assert_eq(import_batch_take(d, &them, b.id), DJ_CONFLICT, "only its uploader takes it");
	cr_assert_eq(import_batch_take(d, &me, b.id), DJ_OK);
	cr_assert_eq(import_batch_take(d, &me, b.id), DJ_CONFLICT, "one use");
	import_batch_free(&b);
	cr_assert_eq(import_batch_load(d, &me, token, &b), DJ_OK);
	cr_assert_eq(b.state, IMPORT_BATCH_DONE);
	cr_assert_str_eq(b.content, "", "the stored copy of the rows is erased");
	import_batch_free(&b);

	/* past its time a batch expires, and the next upload purges it */
	checked_import(&im, 42);
	char old[IMPORT_TOKEN_SIZE], fresh[IMPORT_TOKEN_SIZE];
	cr_assert_eq(import_batch_save(d, &me, &im, old), DJ_OK);
	cr_assert_eq(db_run(d, "UPDATE import_batches SET created_at = created_at - ? WHERE token = ?", "It", (int64_t)IMPORT_BATCH_TTL + 10, old), DB_OK);
	cr_assert_eq(import_batch_load(d, &me, old, &b), DJ_OK);
	cr_assert_eq(b.state, IMPORT_BATCH_EXPIRED);
	import_batch_free(&b);
	cr_assert_eq(import_batch_save(d, &me, &im, fresh), DJ_OK);
	cr_assert_eq(import_batch_load(d, &me, old, &b), DJ_NOT_FOUND);
	cr_assert_eq(import_batch_load(d, &me, fresh, &b), DJ_OK);
	cr_assert_eq(b.state, IMPORT_BATCH_OPEN);
	import_batch_free(&b);
	import_free(&im);
}

/* The roster's total without a filter is the sum of the counts per org the
 * database keeps (migration 043's triggers): they follow an insert, an edit
 * that moves a member to another org, and any writer's SQL; `dangjian check`
 * (member_counts_check) finds a count changed behind their back. */
Test(members_db, the_counts_per_org_follow_inserts_and_moves)
{
	struct actor cli;
	actor_cli(&cli);
	int64_t a = add_member(&cli, "甲某", 31);
	add_member(&cli, "乙某", 32);
	add_member(&cli, "丙某", 33);
	struct actor in_branch, in_other;
	account(&in_branch, R_BRANCH, 0, branch);
	account(&in_other, R_BRANCH, 0, other);
	const char *bp = in_branch.org_path, *op = in_other.org_path;
	cr_assert_eq(member_count_under(d, bp, -1), 3);
	cr_assert_eq(member_count_under(d, op, -1), 0);
	cr_assert_eq(member_count_under(d, "/", -1), 3);
	cr_assert_eq(member_counts_check(d, stderr), 0);

	/* an edit moves 甲某 to 西街村 */
	struct member before, after;
	cr_assert(member_load(d, a, &before));
	after = before;
	member_set(&after, "org_code", "CJZ-XJC");
	struct field_errors e = {0};
	enum dj_result res = member_update(d, &cli, &before, &after, &e);
	cr_assert_eq(res, DJ_OK, "%s", dj_message(res, &e));
	cr_assert_eq(member_count_under(d, bp, -1), 2);
	cr_assert_eq(member_count_under(d, op, -1), 1);
	cr_assert_eq(member_count_under(d, "/", -1), 3);
	cr_assert_eq(member_counts_check(d, stderr), 0);

	/* the roster's total is the same figure */
	struct roster_query q = {.prefix = op, .in_service = -1, .limit = 50};
	struct seen c = {0};
	int64_t total = -1;
	cr_assert_eq(member_roster(d, &in_other, &q, seen_row, &c, &total), DJ_OK);
	cr_assert_eq(total, 1);
	cr_assert_eq(c.n, 1);

	/* the dashboard's 党员 figure reads the same counts: every status (a
	 * member transferred out is still on the roster), the subtree whole */
	cr_assert_eq(db_run(d, "UPDATE members SET status = 'transferred' WHERE id = ?", "I", a), DB_OK);
	struct figure_scope fs = {.org_path = op};
	cr_assert_eq(member_fig_members(d, &fs), 1);
	fs.org_path = bp;
	cr_assert_eq(member_fig_members(d, &fs), 2);
	fs.org_path = "/";
	cr_assert_eq(member_fig_members(d, &fs), db_int1(d, -1, "SELECT COUNT(*) FROM members", ""));

	/* a count changed behind the triggers' back is found */
	cr_assert_eq(db_run(d, "UPDATE org_member_counts SET members = members + 5 WHERE org_id = ?", "I", branch), DB_OK);
	FILE *out = tmpfile();
	cr_assert_eq(member_counts_check(d, out), 1);
	fclose(out);
}
