/* unit_db — a fresh SQLite database with the real migrations for a unit
 * test, and its removal afterwards (the file and its -wal and -shm), also
 * when the test fails before unit_db_close. */
#ifndef DJ_UNIT_DB_H
#define DJ_UNIT_DB_H
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

static inline void unit_db_remove(const char *path)
{
	char p[128];
	unlink(path);
	snprintf(p, sizeof p, "%.95s-wal", path), unlink(p);
	snprintf(p, sizeof p, "%.95s-shm", path), unlink(p);
}

/* The databases this process opened, removed again when it exits: a failed
 * assertion ends the test (criterion runs each in a process of its own, which
 * exits after it) before unit_db_close is reached, and the files would stay
 * in /tmp. The file cannot be unlinked at open instead: SQLite refuses to
 * write a database whose file is gone (SQLITE_READONLY_DBMOVED). */
static char unit_db_paths[32][96];
static int unit_db_npaths;
static inline void unit_db_remove_all(void)
{
	for (int i = 0; i < unit_db_npaths; i++)
		unit_db_remove(unit_db_paths[i]);
}

/* Opens /tmp/dj-unit-NAME-PID.db, new, with every migration applied; its path goes to path. */
static inline db *unit_db_open(const char *name, char path[96])
{
	snprintf(path, 96, "/tmp/dj-unit-%s-%d.db", name, (int)getpid());
	unit_db_remove(path);
	int i = 0;
	while (i < unit_db_npaths && strcmp(unit_db_paths[i], path))
		i++;
	if (i == unit_db_npaths && i < (int)(sizeof unit_db_paths / sizeof unit_db_paths[0])) {
		if (!unit_db_npaths)
			atexit(unit_db_remove_all);
		snprintf(unit_db_paths[unit_db_npaths++], sizeof unit_db_paths[0], "%s", path);
	}
	char err[256];
	db *d = db_open(path, err, sizeof err);
	cr_assert_not_null(d, "%s", err);
	cr_assert(db_migrate(d, err, sizeof err) > 0, "%s", err);
	return d;
}

static inline void unit_db_close(db *d, const char *path)
{
	db_close(d);
	unit_db_remove(path);
}

#endif
