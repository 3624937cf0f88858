/* Fault injection (issue 8, "how trusted systems test"): every statement of a
 * whole order workflow (place, accept, assign, deliver, confirm), of a member
 * reveal and of a full export is made to fail in turn, with BUSY, an I/O error
 * and out-of-memory. Each time the domain must give a clean error or a
 * complete success: after the rollback the database is exactly as before the
 * call (every row of every table compared), a success that commits has written
 * everything the fault-free run writes, and no full number leaves (a reveal
 * answered DJ_OK and committed, an export file left on disk) without its audit
 * row. The state is compared through a second connection: what is committed. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actor.h"
#include "buf.h"
#include "db.h"
#include "export.h"
#include "members.h"
#include "orders.h"
#include "orgs.h"
#include "unit_orders.h"
#include "util.h"

static db *d;
static char path[64], xlsx[80];
static int64_t branch_id, member_user, member_id;
static char branch_path[256];

static char idnum[19];

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

static void setup(void)
{
	snprintf(path, sizeof path, "/tmp/dj-unit-faults-%d.db", (int)getpid());
	snprintf(xlsx, sizeof xlsx, "/tmp/dj-unit-faults-%d.xlsx", (int)getpid());
	unlink(path);
	char err[256];
	d = db_open(path, err, sizeof err);
	cr_assert_not_null(d, "%s", err);
	cr_assert(db_migrate(d, err, sizeof err) > 0, "%s", err);
	branch_id = unit_cjc_branch(d, branch_path);
	/* a party member's account, to be assigned the order (no login here: no password hash needed) */
	cr_assert_eq(db_run(d,
			    "INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) "
			    "VALUES ('dangyuan', 'x', '刘党员', 'member', ?, 0, 0)",
			    "I", branch_id),
		     DB_OK);
	member_user = db_int1(d, 0, "SELECT id FROM users WHERE username = 'dangyuan'", "");
	/* a member on the roster, whose numbers are revealed */
	struct actor cli;
	actor_cli(&cli);
	struct member m;
	memset(&m, 0, sizeof m);
	member_set(&m, "name", "测试甲");
	id_number("19750308", 11, true, idnum);
	member_set(&m, "id_number", idnum);
	member_set(&m, "phone", "13912340001");
	member_set(&m, "join_date", "2001-07-01");
	member_set(&m, "full_date", "2002-07-01");
	member_set(&m, "org_code", "CJZ-CJC");
	struct field_errors e = {0};
	cr_assert_eq(db_begin(d, true), DB_OK);
	enum dj_result res = member_insert(d, &cli, &m, "测试", &member_id, &e);
	cr_assert_eq(res, DJ_OK, "%s", dj_message(res, &e));
	/* the member account is this roster member: delivering pays points (issue 11), in the sweep too */
	cr_assert_eq(db_run(d, "UPDATE members SET user_id = ? WHERE id = ?", "II", member_user, member_id), DB_OK);
	cr_assert_eq(db_commit(d), DB_OK);
}

static buf before, after;

static void teardown(void)
{
	buf_free(&before);
	buf_free(&after);
	db_close(d);
	char p[80];
	unlink(path);
	unlink(xlsx);
	snprintf(p, sizeof p, "%s-wal", path), unlink(p);
	snprintf(p, sizeof p, "%s-shm", path), unlink(p);
}

TestSuite(faults, .init = setup, .fini = teardown, .timeout = 300);

/* ---- the committed state, every row of every table ---- */

static void snapshot(buf *out)
{
	buf_reset(out);
	sqlite3 *h;
	cr_assert_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *t;
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &t, NULL), SQLITE_OK);
	while (sqlite3_step(t) == SQLITE_ROW) {
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", (const char *)sqlite3_column_text(t, 0));
		buf_printf(out, "[%s]\n", (const char *)sqlite3_column_text(t, 0));
		sqlite3_stmt *r;
		cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &r, NULL), SQLITE_OK, "%s", sql);
		while (sqlite3_step(r) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(r); c++) {
				const unsigned char *v = sqlite3_column_text(r, c);
				buf_printf(out, "%s|", v ? (const char *)v : "NULL");
			}
			buf_puts(out, "\n");
		}
		sqlite3_finalize(r);
	}
	sqlite3_finalize(t);
	sqlite3_close(h);
}

static int64_t committed(const char *sql)
{
	sqlite3 *h;
	cr_assert_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *r;
	cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &r, NULL), SQLITE_OK, "%s", sql);
	int64_t v = sqlite3_step(r) == SQLITE_ROW ? sqlite3_column_int64(r, 0) : -1;
	sqlite3_finalize(r);
	sqlite3_close(h);
	return v;
}

/* ---- the steps ---- */

static void branch_actor(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->role = R_BRANCH;
	a->org_id = branch_id;
	snprintf(a->org_path, sizeof a->org_path, "%s", branch_path);
	snprintf(a->org_name, sizeof a->org_name, "陈集村党支部");
	snprintf(a->name, sizeof a->name, "张建国");
	snprintf(a->username, sizeof a->username, "chenji");
	snprintf(a->ip, sizeof a->ip, "127.0.0.1");
	actor_set_label(a);
}

static void member_actor(struct actor *a)
{
	branch_actor(a);
	a->role = R_MEMBER;
	a->user_id = member_user;
	snprintf(a->name, sizeof a->name, "刘党员");
	snprintf(a->username, sizeof a->username, "dangyuan");
	actor_set_label(a);
}

struct flow {
	char code[24];
	int64_t id;
	bool sent; /* the reveal's numbers, or the export's file, left the domain */
};

enum step { PLACE, ACCEPT, ASSIGN, DELIVER, CONFIRM, REVEAL, EXPORT, NSTEPS };
static const char *const step_name[] = {"place", "accept", "assign", "deliver", "confirm", "reveal", "export"};

/* Runs one step in its own write transaction, as the server does; DJ_OK only
 * when the domain said so and the commit went through. */
static enum dj_result run_step(enum step st, struct flow *f)
{
	struct actor a;
	struct field_errors e = {0};
	struct order_act act = {0};
	enum dj_result res;
	f->sent = false;
	if (db_begin(d, true) != DB_OK)
		return DJ_DB_ERROR;
	switch (st) {
	case PLACE: {
		actor_public(&a, "192.0.2.7");
		struct order_new o;
		unit_order_new(&o, "need", "CJZ-CJC", "路灯坏了");
		bool repeated;
		res = order_create(d, &a, &o, f->code, &repeated, &e);
		break;
	}
	case ACCEPT: branch_actor(&a), res = order_transition(d, &a, f->id, NULL, "accept", &act, now_unix(), &e); break;
	case ASSIGN:
		branch_actor(&a);
		act.assignee = "dangyuan";
		res = order_transition(d, &a, f->id, NULL, "assign", &act, now_unix(), &e);
		break;
	case DELIVER:
		member_actor(&a);
		act.note = "路灯已修好";
		res = order_transition(d, &a, f->id, NULL, "deliver", &act, now_unix(), &e);
		break;
	case CONFIRM:
		actor_public(&a, "192.0.2.7");
		act.rating = 5;
		res = order_transition(d, &a, 0, f->code, "confirm", &act, now_unix(), &e);
		break;
	case REVEAL: {
		branch_actor(&a);
		struct member m;
		res = member_reveal(d, &a, member_id, "测试", &m, &e);
		if (res == DJ_OK)
			cr_assert_str_eq(m.id_number, idnum);
		break;
	}
	case EXPORT: {
		int rows;
		actor_cli(&a);
		res = export_members(d, &a, branch_id, false, xlsx, &rows, &e);
		break;
	}
	default: res = DJ_DB_ERROR;
	}
	if (res != DJ_OK) {
		db_rollback(d);
		if (st == EXPORT)
			cr_assert_eq(access(xlsx, F_OK), -1, "export: no file with full numbers is left after %s", dj_message(res, &e));
		return res;
	}
	if (db_commit(d) != DB_OK) {
		if (st == EXPORT)
			unlink(xlsx); /* the caller's part (main.c) on a failed commit */
		return DJ_DB_ERROR;
	}
	f->sent = st == REVEAL || st == EXPORT;
	if (st == PLACE)
		f->id = db_int1(d, 0, "SELECT id FROM orders WHERE code = ?", "t", f->code);
	if (st == EXPORT) {
		struct stat sb;
		cr_assert_eq(stat(xlsx, &sb), 0);
		unlink(xlsx);
	}
	return DJ_OK;
}

/* Rows of the tables a step writes, committed: its full effect. */
static void effect(int64_t out[5])
{
	out[0] = committed("SELECT COUNT(*) FROM orders");
	out[1] = committed("SELECT COUNT(*) FROM order_events");
	out[2] = committed("SELECT COUNT(*) FROM audit");
	out[3] = committed("SELECT COUNT(*) FROM notifications");
	out[4] = committed("SELECT COUNT(*) FROM audit WHERE action IN ('member.reveal', 'member.export_full')");
}

static const char *const kind_name[] = {"none", "busy", "io", "nomem"};

/* The statement that is made to fail, for the report of what a call survives. */
static uint64_t watch_point;
static char watched_sql[120];
static void watch(void *ctx, const char *sql)
{
	(void)ctx;
	if (db_fault_points(d) + 1 == watch_point)
		snprintf(watched_sql, sizeof watched_sql, "%s", sql);
}

/* A broken promise is noted and counted, so one run names them all. */
static int broken;
#define EXPECT(cond, ...)                             \
	do {                                          \
		if (!(cond)) {                        \
			broken++;                     \
			fprintf(stderr, "BROKEN: ");  \
			fprintf(stderr, __VA_ARGS__); \
			fprintf(stderr, "\n");        \
		}                                     \
	} while (0)

Test(faults, every_statement_of_a_workflow_and_a_reveal_fails_cleanly)
{
	int trials = 0, failed = 0, recovered = 0;
	for (enum step st = PLACE; st < NSTEPS; st++) {
		/* the fault-free run of this step on a fresh order: its length and its effect */
		struct flow clean = {0};
		for (enum step p = PLACE; p < st && p <= CONFIRM; p++)
			cr_assert_eq(run_step(p, &clean), DJ_OK, "prefix %s", step_name[p]);
		int64_t e0[5], e1[5];
		effect(e0);
		uint64_t start = db_fault_points(d);
		cr_assert_eq(run_step(st, &clean), DJ_OK, "%s without a fault", step_name[st]);
		uint64_t points = db_fault_points(d) - start;
		effect(e1);
		int64_t want[5];
		for (int i = 0; i < 5; i++)
			want[i] = e1[i] - e0[i];
		cr_assert(points > 2, "%s: %llu statements", step_name[st], (unsigned long long)points);

		for (uint64_t n = 1; n <= points; n++) {
			for (int kind = DB_FAULT_BUSY; kind <= DB_FAULT_NOMEM; kind++) {
				struct flow f = {0};
				for (enum step p = PLACE; p < st && p <= CONFIRM; p++)
					cr_assert_eq(run_step(p, &f), DJ_OK, "prefix %s", step_name[p]);
				snapshot(&before);
				effect(e0);
				db_fault_inject(d, n, (enum db_fault)kind);
				watch_point = db_fault_points(d) + n;
				snprintf(watched_sql, sizeof watched_sql, "BEGIN or COMMIT");
				db_set_trace(d, watch, NULL);
				enum dj_result res = run_step(st, &f);
				db_set_trace(d, NULL, NULL);
				db_fault_inject(d, 0, DB_FAULT_NONE);
				cr_assert(!db_in_tx(d), "the step ended its transaction");
				trials++;
				if (res != DJ_OK) {
					failed++;
					snapshot(&after);
					EXPECT(!strcmp(buf_str(&after), buf_str(&before)),
					       "%s, statement %llu failing with %s: result %d left a half-written state", step_name[st],
					       (unsigned long long)n, kind_name[kind], (int)res);
					EXPECT(!f.sent, "%s: sent on a failure", step_name[st]);
					continue;
				}
				/* a success despite the fault (a read it could do without): then all of it */
				recovered++;
				if (kind == DB_FAULT_BUSY)
					fprintf(stderr, "%s survives statement %llu failing: %s\n", step_name[st], (unsigned long long)n, watched_sql);
				effect(e1);
				for (int i = 0; i < 5; i++)
					EXPECT(e1[i] - e0[i] == want[i],
					       "%s, statement %llu failing with %s: answered DJ_OK but table %d changed by %lld, not %lld", step_name[st],
					       (unsigned long long)n, kind_name[kind], i, (long long)(e1[i] - e0[i]), (long long)want[i]);
				if (f.sent)
					EXPECT(e1[4] - e0[4] == 1, "%s, statement %llu failing with %s: full numbers left without their audit row",
					       step_name[st], (unsigned long long)n, kind_name[kind]);
			}
		}
	}
	buf_free(&before);
	buf_free(&after);
	fprintf(stderr, "faults: %d trials, %d clean errors, %d successes despite a fault, %d broken\n", trials, failed, recovered, broken);
	cr_assert_eq(broken, 0, "%d faults broke a promise (the BROKEN lines above)", broken);
	cr_assert(failed > trials / 2, "most faults fail the call (%d of %d)", failed, trials);
}
