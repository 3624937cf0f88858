/* Unit tests: the time budget of the db layer (issue 9 §5) and the savepoints
 * the SQLite writer's group commit runs each request in (§3). */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "unit_db.h"
#include "util.h"

static db *d;
static char path[96];

static void setup(void) { d = unit_db_open("budget", path); }
static void teardown(void) { unit_db_close(d, path); }

TestSuite(budget, .init = setup, .fini = teardown);

Test(budget, a_spent_budget_refuses_statements_but_not_the_rollback)
{
	cr_assert_eq(db_begin(d, true), DB_OK);
	db_set_budget(d, now_ns() - 1, NULL);
	cr_assert_eq(db_run(d, "INSERT INTO settings (key, value) VALUES ('t1', 'x')", ""), DB_INTERRUPTED);
	cr_assert(db_interrupted(d));
	db_rollback(d);
	db_set_budget(d, 0, NULL);
	cr_assert_not(db_interrupted(d));
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM settings WHERE key = 't1'", ""), 0);
}

Test(budget, a_client_gone_stops_the_work)
{
	atomic_bool gone = false;
	db_set_budget(d, 0, &gone);
	cr_assert_eq(db_int1(d, -1, "SELECT 1", ""), 1);
	atomic_store(&gone, true);
	cr_assert_eq(db_int1(d, -1, "SELECT 1", ""), -1);
	cr_assert(db_interrupted(d));
	db_set_budget(d, 0, NULL);
}

Test(budget, a_running_statement_is_stopped_at_its_deadline)
{
	db_test_slow(d, true); /* seconds of work before each statement */
	uint64_t t0 = now_ns();
	db_set_budget(d, t0 + 200000000ull, NULL);
	db_stmt *s = db_query(d, "SELECT 1", "");
	cr_assert_not(db_next(s));
	cr_assert_eq(db_done(s), DB_INTERRUPTED);
	double ms = (double)(now_ns() - t0) / 1e6;
	cr_assert(ms >= 190 && ms < 1500, "stopped after %.0f ms (deadline 200 ms)", ms);
	db_test_slow(d, false);
	db_set_budget(d, 0, NULL);
}

Test(budget, savepoints_keep_or_undo_one_request_of_a_batch)
{
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(db_savepoint(d), DB_OK);
	cr_assert_eq(db_run(d, "INSERT INTO settings (key, value) VALUES ('a', '1')", ""), DB_OK);
	cr_assert_eq(db_release(d), DB_OK);
	cr_assert_eq(db_savepoint(d), DB_OK);
	cr_assert_eq(db_run(d, "INSERT INTO settings (key, value) VALUES ('b', '1')", ""), DB_OK);
	db_rollback_to(d);
	cr_assert_not(db_tx_lost(d));
	cr_assert_eq(db_savepoint(d), DB_OK);
	cr_assert_eq(db_run(d, "INSERT INTO settings (key, value) VALUES ('c', '1')", ""), DB_OK);
	cr_assert_eq(db_release(d), DB_OK);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM settings WHERE key IN ('a', 'b', 'c')", ""), 2);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM settings WHERE key = 'b'", ""), 0);
}

Test(budget, a_stopped_read_inside_the_writers_transaction_keeps_the_batch)
{
	db_protect_writes(d, true);
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(db_savepoint(d), DB_OK);
	cr_assert_eq(db_run(d, "INSERT INTO settings (key, value) VALUES ('kept', '1')", ""), DB_OK);
	cr_assert_eq(db_release(d), DB_OK);
	cr_assert_eq(db_savepoint(d), DB_OK);
	db_test_slow(d, true);
	db_set_budget(d, now_ns() + 100000000ull, NULL);
	cr_assert_eq(db_int1(d, -1, "SELECT 1", ""), -1);
	cr_assert(db_interrupted(d));
	db_test_slow(d, false);
	db_set_budget(d, 0, NULL);
	db_rollback_to(d);
	cr_assert_not(db_tx_lost(d), "an interrupted read does not roll the batch back");
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM settings WHERE key = 'kept'", ""), 1);
}
