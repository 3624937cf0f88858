/* db_pg_smoke — checks one db backend end to end (SPEC §4: same features on
 * SQLite and PostgreSQL). Usage: db_pg_smoke URL   (a file path, sqlite:PATH
 * or postgres://…). Link with src/db.c db_sqlite.c db_pg.c buf.c and
 * tests/unit/embedded_stub.c. Stops at the first failure with exit status 1. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

static int passed;
static db *d;

#define CHECK(cond, ...)                                                                \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                   \
			fprintf(stderr, " (db: %s)\n", d ? db_errmsg(d) : "-");         \
			if (d)                                                          \
				db_close(d);                                            \
			exit(1);                                                        \
		}                                                                       \
		passed++;                                                               \
	} while (0)

static int64_t insert(const char *name, int64_t n, int *rc)
{
	db_stmt *s = db_query(d, "INSERT INTO t (name, n) VALUES (?, ?) RETURNING id", "tI", name, n);
	int64_t id = db_next(s) ? db_int(s, 0) : -1;
	*rc = db_done(s);
	return id;
}

static int64_t count_rows(void) { return db_int1(d, -1, "SELECT COUNT(*) FROM t", ""); }

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DB-URL\n", argv[0]);
		return 2;
	}
	char err[512];
	d = db_open(argv[1], err, sizeof err);
	if (!d) {
		fprintf(stderr, "FAIL open: %s\n", err);
		return 1;
	}
	bool pg = db_kind(d) == DB_PG;

	/* migrations: the second run finds nothing to do */
	int m1 = db_migrate(d, err, sizeof err);
	CHECK(m1 >= 0, "first migrate: %s", err);
	int m2 = db_migrate(d, err, sizeof err);
	CHECK(m2 == 0, "second migrate applied %d: %s", m2, err);
	CHECK(db_run(d, "DELETE FROM t", "") == DB_OK, "clean table");

	/* INSERT … RETURNING id */
	int rc;
	int64_t id1 = insert("alpha", 1, &rc);
	CHECK(rc == DB_OK && id1 > 0, "insert alpha: rc %d id %" PRId64, rc, id1);
	int64_t id2 = insert("beta", 2, &rc);
	CHECK(rc == DB_OK && id2 > id1, "insert beta: rc %d id %" PRId64, rc, id2);
	int64_t id3 = insert("党建", INT64_C(9007199254740993), &rc);
	CHECK(rc == DB_OK && id3 > id2, "insert 党建: rc %d", rc);
	CHECK(count_rows() == 3, "three rows");
	CHECK(db_int1(d, 0, "SELECT n FROM t WHERE name = ?", "t", "党建") == INT64_C(9007199254740993), "int64 and UTF-8 round trip");
	CHECK(db_run(d, "UPDATE t SET n = ? WHERE id = ?", "iI", -42, id1) == DB_OK, "negative int");
	CHECK(db_int1(d, 0, "SELECT n FROM t WHERE id = ?", "I", id1) == -42, "negative round trip");

	/* duplicates are DB_CONSTRAINT, from db_done and from db_run */
	int64_t dup = insert("alpha", 9, &rc);
	CHECK(rc == DB_CONSTRAINT && dup == -1, "duplicate via query: rc %d", rc);
	rc = db_run(d, "INSERT INTO t (name, n) VALUES (?, ?)", "ti", "beta", 5);
	CHECK(rc == DB_CONSTRAINT, "duplicate via run: rc %d", rc);
	CHECK(db_errmsg(d)[0], "error message set");
	rc = db_run(d, "INSERT INTO t (name, n) VALUES (?, ?)", "ni", 5);
	CHECK(rc == DB_CONSTRAINT, "NOT NULL violation: rc %d", rc);
	CHECK(count_rows() == 3, "connection usable after errors");

	/* NULL: 'n' and a NULL 't' both bind SQL NULL */
	CHECK(db_run(d, "INSERT INTO t (name, n) VALUES (?, ?)", "tn", "nil") == DB_OK, "insert NULL n");
	CHECK(db_run(d, "UPDATE t SET n = CAST(? AS BIGINT) WHERE name = ?", "tt", (const char *)NULL, "beta") == DB_OK, "NULL via 't'");
	db_stmt *s = db_query(d, "SELECT n, name FROM t WHERE name IN (?, ?) ORDER BY name", "tt", "beta", "nil");
	int nulls = 0;
	while (db_next(s)) {
		CHECK(db_text(s, 0) == NULL && !strcmp(db_str(s, 0), "") && db_isnull(s, 0) && db_int(s, 0) == 0, "NULL column for %s", db_str(s, 1));
		CHECK(db_text(s, 1) != NULL, "non-NULL column");
		nulls++;
	}
	CHECK(db_done(s) == DB_OK && nulls == 2, "NULL rows: %d", nulls);
	CHECK(db_int1(d, 77, "SELECT n FROM t WHERE name = ?", "t", "nobody") == 77, "db_int1 default without row");

	/* `?` inside literals, identifiers and comments is not a placeholder */
	s = db_query(d, "SELECT 'a?b', 'it''s?', \"name\", ? -- why?\n FROM t /* what? */ WHERE name = ?", "it", 7, "alpha");
	CHECK(db_next(s), "literal query row");
	CHECK(!strcmp(db_str(s, 0), "a?b") && !strcmp(db_str(s, 1), "it's?") && !strcmp(db_str(s, 2), "alpha") && db_int(s, 3) == 7,
	      "literal values: %s %s %s %" PRId64, db_str(s, 0), db_str(s, 1), db_str(s, 2), db_int(s, 3));
	CHECK(!db_next(s) && db_done(s) == DB_OK, "literal query ends");
	CHECK(db_int1(d, -1, "SELECT COUNT(*) FROM t WHERE name = 'a?b'", "") == 0, "literal without params");

	/* parameter count mismatch and bad SQL show as errors, not crashes */
	s = db_query(d, "SELECT id FROM t WHERE name = ?", "");
	CHECK(!db_next(s) && db_done(s) == DB_ERR, "too few parameters");
	s = db_query(d, "SELECT id FROM t WHERE name = ?", "tt", "a", "b");
	CHECK(!db_next(s) && db_done(s) == DB_ERR, "too many parameters");
	s = db_query(d, "SELEC nonsense", "");
	CHECK(!db_next(s) && db_done(s) == DB_ERR && db_errmsg(d)[0], "bad SQL");
	CHECK(db_run(d, "SELECT nope FROM t", "") == DB_ERR, "unknown column");

	/* the same SQL nested inside a loop over itself */
	const char *loop = "SELECT id, name FROM t WHERE id >= ? ORDER BY id";
	int64_t before_ps = pg ? db_int1(d, -1, "SELECT COUNT(*) FROM pg_prepared_statements", "") : 0;
	for (int round = 0; round < 20; round++) {
		int outer = 0, inner = 0;
		s = db_query(d, loop, "I", id1);
		while (db_next(s)) {
			int64_t id = db_int(s, 0);
			char name[64];
			snprintf(name, sizeof name, "%s", db_str(s, 1));
			db_stmt *s2 = db_query(d, loop, "I", id);
			CHECK(db_next(s2) && db_int(s2, 0) == id, "inner first row");
			inner++;
			while (db_next(s2))
				inner++;
			CHECK(db_done(s2) == DB_OK, "inner done");
			CHECK(!strcmp(db_str(s, 1), name), "outer row intact after inner query");
			outer++;
		}
		CHECK(db_done(s) == DB_OK && outer == 4 && inner == 4 + 3 + 2 + 1, "nested: outer %d inner %d", outer, inner);
	}
	if (pg) {
		int64_t after_ps = db_int1(d, -1, "SELECT COUNT(*) FROM pg_prepared_statements", "");
		CHECK(after_ps <= before_ps + 2, "uncached statements deallocated: %" PRId64 " → %" PRId64, before_ps, after_ps);
	}

	/* more distinct statements than the cache holds: the least recently used
	 * idle ones are evicted (on PostgreSQL, DEALLOCATEd), a hot one stays */
	const char *hot = "SELECT COUNT(*) FROM t WHERE id >= ?";
	db_int1(d, -1, hot, "I", id1);
	uint64_t prepares = db_prepare_count(d), statements = db_statement_count(d);
	for (int i = 0; i < 600; i++) {
		char q[64];
		snprintf(q, sizeof q, "SELECT %d + COUNT(*) FROM t WHERE id < 0", i);
		CHECK(db_int1(d, -1, q, "") == i, "distinct statement %d", i);
		CHECK(db_int1(d, -1, hot, "I", id1) == 4, "hot statement");
	}
	CHECK(db_prepare_count(d) - prepares == 600, "prepares: %" PRIu64 " for 600 distinct and a hot one", db_prepare_count(d) - prepares);
	CHECK(db_statement_count(d) - statements == 1200, "statements counted: %" PRIu64, db_statement_count(d) - statements);
	if (pg) {
		int64_t ps = db_int1(d, -1, "SELECT COUNT(*) FROM pg_prepared_statements", "");
		CHECK(ps > 200 && ps <= 256 + 2, "evicted statements deallocated: %" PRId64 " prepared on the server", ps);
	}

	/* transactions */
	CHECK(db_begin(d, true) == DB_OK && db_in_tx(d), "begin");
	insert("gamma", 3, &rc);
	CHECK(rc == DB_OK && count_rows() == 5, "insert in tx");
	db_rollback(d);
	CHECK(!db_in_tx(d) && count_rows() == 4, "rollback undoes insert");
	CHECK(db_begin(d, false) == DB_OK, "begin read");
	insert("gamma", 3, &rc);
	CHECK(db_commit(d) == DB_OK && count_rows() == 5, "commit keeps insert");
	/* an error inside a transaction: SQLite carries on, PostgreSQL aborts the
	 * whole transaction, and COMMIT must then report failure */
	CHECK(db_begin(d, true) == DB_OK, "begin 3");
	insert("delta", 4, &rc);
	CHECK(rc == DB_OK, "insert delta");
	insert("alpha", 4, &rc);
	CHECK(rc == DB_CONSTRAINT, "duplicate in tx");
	rc = db_commit(d);
	if (pg)
		CHECK(rc == DB_ERR && count_rows() == 5, "PostgreSQL: commit after error fails, nothing written (rc %d)", rc);
	else
		CHECK(rc == DB_OK && count_rows() == 6, "SQLite: commit after a failed statement keeps the rest (rc %d)", rc);
	CHECK(!db_in_tx(d), "no tx after commit");

	/* db_changes counts rows of the last INSERT/UPDATE/DELETE only */
	int64_t total = count_rows();
	CHECK(db_run(d, "UPDATE t SET n = n + 1 WHERE n IS NOT NULL", "") == DB_OK, "update");
	int64_t want = db_int1(d, -1, "SELECT COUNT(*) FROM t WHERE n IS NOT NULL", "");
	CHECK(db_changes(d) == want && want >= 3 && want < total, "changes after update: %" PRId64 " want %" PRId64, db_changes(d), want);
	CHECK(db_run(d, "UPDATE t SET n = 0 WHERE name = ?", "t", "nobody") == DB_OK && db_changes(d) == 0, "changes: no row");
	CHECK(db_run(d, "DELETE FROM t WHERE name IN (?, ?)", "tt", "alpha", "beta") == DB_OK && db_changes(d) == 2, "changes after delete");
	CHECK(count_rows() == total - 2 && db_changes(d) == 2, "SELECT leaves changes alone");

	/* fault injection (issue 8): the n-th statement fails once, as the engine
	 * would; BEGIN and COMMIT count, a failed COMMIT rolls back, ROLLBACK never fails */
	total = count_rows();
	uint64_t p0 = db_fault_points(d);
	CHECK(count_rows() == total && db_fault_points(d) == p0 + 1, "fault points count statements");
	db_fault_inject(d, 1, DB_FAULT_BUSY);
	CHECK(db_run(d, "DELETE FROM t", "") == DB_BUSY && count_rows() == total, "injected BUSY on a run");
	db_fault_inject(d, 2, DB_FAULT_IO);
	s = db_query(d, "SELECT COUNT(*) FROM t", "");
	CHECK(db_next(s) && db_done(s) == DB_OK, "the fault waits for its statement");
	CHECK(db_int1(d, -7, "SELECT COUNT(*) FROM t", "") == -7 && strstr(db_errmsg(d), "I/O"), "injected I/O error on db_int1: %s", db_errmsg(d));
	CHECK(count_rows() == total, "fires once");
	db_fault_inject(d, 1, DB_FAULT_NOMEM);
	CHECK(db_begin(d, true) != DB_OK && !db_in_tx(d), "injected fault on BEGIN");
	CHECK(db_begin(d, true) == DB_OK, "begin");
	CHECK(db_run(d, "DELETE FROM t", "") == DB_OK, "delete in tx");
	db_fault_inject(d, 1, DB_FAULT_IO);
	CHECK(db_commit(d) != DB_OK && !db_in_tx(d) && count_rows() == total, "injected fault on COMMIT rolls back");
	db_fault_inject(d, 3, DB_FAULT_BUSY);
	db_fault_inject(d, 0, DB_FAULT_NONE);
	for (int i = 0; i < 5; i++)
		CHECK(count_rows() == total, "disarmed");

	/* migrations from several statements through db_exec */
	CHECK(db_exec(d, "CREATE TABLE IF NOT EXISTS x1 (a BIGINT); CREATE TABLE IF NOT EXISTS x2 (b TEXT); DROP TABLE x1; DROP TABLE x2") == DB_OK,
	      "exec several");
	CHECK(db_exec(d, "CREATE TABLE x3 (a BIGINT); SELEC oops") == DB_ERR && db_errmsg(d)[0], "exec error");
	db_exec(d, "DROP TABLE IF EXISTS x3");

	char msg[256];
	CHECK(db_integrity(d, msg, sizeof msg) == DB_OK && !strcmp(msg, "ok"), "integrity: %s", msg);

	db_close(d);
	d = NULL;
	printf("%d passed, 0 failed (%s)\n", passed, pg ? "postgresql" : "sqlite");
	return 0;
}
