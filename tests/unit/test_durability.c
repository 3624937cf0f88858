/* The SQLite connection's durability settings (docs/operations.md): WAL, and
 * synchronous=FULL so that an acknowledged commit survives a power loss. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
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
