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

/* Long reads give way to writes (db_set_give_way): what the read worker's
 * connection does while the writer's queue says writes wait. */
static atomic_int g_asked;
static atomic_bool g_writes_wait;
static bool writes_wait(void)
{
	atomic_fetch_add(&g_asked, 1);
	return atomic_load(&g_writes_wait);
}

/* Runs the slow statement with a deadline ms from now, while writes wait (or
 * not), with the give-way hook set (or not); the time it gave way (ns). */
static uint64_t slow_read_for(int ms, bool wait, bool hook, uint64_t *elapsed)
{
	atomic_store(&g_writes_wait, wait);
	atomic_store(&g_asked, 0);
	if (hook)
		db_set_give_way(d, writes_wait);
	uint64_t before = db_gave_way_ns(), t0 = now_ns();
	db_test_slow(d, true);
	db_set_budget(d, t0 + (uint64_t)ms * 1000000ull, NULL);
	cr_assert_eq(db_int1(d, -1, "SELECT 1", ""), -1, "stopped at its deadline");
	cr_assert(db_interrupted(d));
	db_test_slow(d, false);
	db_set_budget(d, 0, NULL);
	db_set_give_way(d, NULL);
	*elapsed = now_ns() - t0;
	return db_gave_way_ns() - before;
}

Test(budget, a_long_read_sleeps_while_writes_wait_and_still_stops_at_its_deadline)
{
	uint64_t elapsed, slept = slow_read_for(300, true, true, &elapsed);
	cr_assert_gt(atomic_load(&g_asked), 0);
	/* after its first DB_GIVE_WAY_AFTER_US it runs DB_GIVE_WAY_RUN_US (1 ms of
	 * wall time) in every DB_GIVE_WAY_MAX_US (39 ms) it sleeps: most of it, on
	 * any machine, however loaded */
	double after = (double)elapsed - DB_GIVE_WAY_AFTER_US * 1000.0;
	cr_assert(slept > 0 && (double)slept >= after * 0.75, "slept %.0f ms of %.0f", slept / 1e6, after / 1e6);
	cr_assert(elapsed < 2000000000ull, "stopped at its deadline (300 ms), not later: %.0f ms", elapsed / 1e6);
}

Test(budget, a_long_read_runs_as_before_when_no_write_waits)
{
	uint64_t elapsed, slept = slow_read_for(150, false, true, &elapsed);
	cr_assert_gt(atomic_load(&g_asked), 0, "it looked");
	cr_assert_eq(slept, 0);
}

Test(budget, a_read_holding_the_write_lock_never_gives_way)
{
	/* the writes it would wait for may be waiting for its lock */
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(db_run(d, "INSERT INTO settings (key, value) VALUES ('held', '1')", ""), DB_OK);
	uint64_t elapsed, slept = slow_read_for(150, true, true, &elapsed);
	db_rollback(d);
	cr_assert_eq(slept, 0);
	cr_assert_eq(atomic_load(&g_asked), 0);
}

Test(budget, no_give_way_no_look)
{
	uint64_t elapsed, slept = slow_read_for(100, true, false, &elapsed);
	cr_assert_eq(slept, 0);
	cr_assert_eq(atomic_load(&g_asked), 0);
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
