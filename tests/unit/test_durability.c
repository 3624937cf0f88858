/* The SQLite connection's durability settings (docs/operations.md): WAL, and
 * synchronous=FULL so that an acknowledged commit survives a power loss. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"

Test(durability, sqlite_commits_sync_the_wal)
{
	char dir[] = "/tmp/dj-durability-XXXXXX", path[64], err[256];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	db *d = db_open(path, err, sizeof err);
	cr_assert_not_null(d, "%s", err);
	/* PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA */
	cr_expect_eq(db_int1(d, -1, "PRAGMA synchronous", ""), 2);
	db_stmt *s = db_query(d, "PRAGMA journal_mode", "");
	cr_assert(db_next(s));
	cr_expect_str_eq(db_str(s, 0), "wal");
	db_done(s);
	db_close(d);
	char wal[80], shm[80];
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);
	unlink(wal), unlink(shm), unlink(path), rmdir(dir);
}

/* Group commit's writer (server.c): its commits skip the fsync
 * (synchronous=NORMAL), its savepoints' sub-journals stay in memory, it never
 * checkpoints itself, and db_sync_wal makes what it committed durable; a
 * checkpoint on another connection copies the WAL into the database file. */
Test(durability, deferred_sync_of_the_group_commit_writer)
{
	char dir[] = "/tmp/dj-durability-XXXXXX", path[64], err[256];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	db *w = db_open(path, err, sizeof err), *c = db_open(path, err, sizeof err);
	cr_assert(w && c, "%s", err);
	cr_assert_eq(db_sync_later(w), DB_OK, "%s", db_errmsg(w));
	cr_expect_eq(db_int1(w, -1, "PRAGMA synchronous", ""), 1);
	cr_expect_eq(db_int1(w, -1, "PRAGMA temp_store", ""), 2); /* MEMORY */
	cr_expect_eq(db_int1(w, -1, "PRAGMA wal_autocheckpoint", ""), 0);
	cr_expect_eq(db_int1(c, -1, "PRAGMA synchronous", ""), 2, "the other connections keep FULL");
	cr_assert_eq(db_exec(w, "CREATE TABLE t (x INTEGER)"), DB_OK);
	/* 2,000 commits of the writer: nothing is copied into the database file
	 * (no auto-checkpoint at 1,000 pages), until the other connection checkpoints */
	for (int i = 0; i < 2000; i++) {
		cr_assert_eq(db_begin(w, true), DB_OK);
		cr_assert_eq(db_run(w, "INSERT INTO t (x) VALUES (?)", "I", (int64_t)i), DB_OK);
		cr_assert_eq(db_commit(w), DB_OK);
	}
	cr_expect_eq(db_sync_wal(w), DB_OK, "the WAL is synced");
	cr_expect_eq(db_sync_wal(w), DB_OK, "and again, on the descriptor kept open");
	struct stat st;
	char wal[80], shm[80];
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);
	cr_assert_eq(stat(path, &st), 0);
	off_t before = st.st_size;
	cr_assert_eq(stat(wal, &st), 0);
	cr_expect_gt(st.st_size, 1000 * 4096, "the WAL grew past the auto-checkpoint size: %lld", (long long)st.st_size);
	cr_assert_eq(db_checkpoint(c), DB_OK, "%s", db_errmsg(c));
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_gt(st.st_size, before, "the checkpoint copied the table into the database file");
	cr_expect_eq(db_int1(c, -1, "SELECT COUNT(*) FROM t", ""), 2000);
	db_close(w);
	db_close(c);
	unlink(wal), unlink(shm), unlink(path), rmdir(dir);

	/* an in-memory database has no WAL file to sync: refused, so the server keeps FULL */
	db *m = db_open(":memory:", err, sizeof err);
	cr_assert_not_null(m, "%s", err);
	cr_expect_neq(db_sync_later(m), DB_OK);
	db_close(m);
}
