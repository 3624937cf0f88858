/* unit_db — a fresh SQLite database with the real migrations for a unit
 * test, and its removal afterwards (the file and its -wal and -shm). */
#ifndef DJ_UNIT_DB_H
#define DJ_UNIT_DB_H
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include "db.h"

/* Opens /tmp/dj-unit-NAME-PID.db, new, with every migration applied; its path goes to path. */
static inline db *unit_db_open(const char *name, char path[96])
{
	snprintf(path, 96, "/tmp/dj-unit-%s-%d.db", name, (int)getpid());
	unlink(path);
	char err[256];
	db *d = db_open(path, err, sizeof err);
	cr_assert_not_null(d, "%s", err);
	cr_assert(db_migrate(d, err, sizeof err) > 0, "%s", err);
	return d;
}

static inline void unit_db_close(db *d, const char *path)
{
	db_close(d);
	char p[128];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path), unlink(p);
	snprintf(p, sizeof p, "%s-shm", path), unlink(p);
}

#endif
