/* db_sqlite — the SQLite backend: WAL with synchronous=FULL, foreign keys on, a busy timeout. */
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_impl.h"

static sqlite3 *H(db *d) { return d->impl; }

static int status_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return DB_OK;
	case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_BUSY;
	case SQLITE_INTERRUPT: return DB_INTERRUPTED;
	default: return DB_ERR;
	}
}

static void sq_close(db *d)
{
	if (d->wal_fd > 0)
		close(d->wal_fd - 1);
	sqlite3_close(H(d));
	free(d);
}

static int sq_exec(db *d, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(H(d), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		db_set_err(d, msg ? msg : sqlite3_errmsg(H(d)));
		sqlite3_free(msg);
	}
	return status_of(rc);
}

static db_stmt *sq_prepare(db *d, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(H(d), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		db_set_err(d, sqlite3_errmsg(H(d)));
		sqlite3_finalize(st);
		return NULL;
	}
	db_stmt *s = calloc(1, sizeof *s);
	s->d = d;
	s->sql = strdup(sql);
	s->impl = st;
	return s;
}

static int sq_start(db_stmt *s, int n, const db_param *p)
{
	sqlite3_stmt *st = s->impl;
	if (n != sqlite3_bind_parameter_count(st)) {
		db_set_err(s->d, "wrong number of parameters");
		return DB_ERR;
	}
	for (int i = 0; i < n; i++) {
		int rc;
		if (p[i].type == 'I')
			rc = sqlite3_bind_int64(st, i + 1, p[i].i);
		else if (p[i].type == 't')
			rc = sqlite3_bind_text(st, i + 1, p[i].t, -1, SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_null(st, i + 1);
		if (rc != SQLITE_OK) {
			db_set_err(s->d, sqlite3_errmsg(H(s->d)));
			return DB_ERR;
		}
	}
	return DB_OK;
}

static bool sq_next(db_stmt *s)
{
	s->d->stmt_writes = !sqlite3_stmt_readonly(s->impl);
	int rc = sqlite3_step(s->impl);
	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE) {
		db_set_err(s->d, sqlite3_errmsg(H(s->d)));
		s->status = status_of(rc);
		if (s->status == DB_OK)
			s->status = DB_ERR;
	}
	return false;
}

static int64_t sq_int(db_stmt *s, int col) { return sqlite3_column_int64(s->impl, col); }

static const char *sq_text(db_stmt *s, int col)
{
	if (sqlite3_column_type(s->impl, col) == SQLITE_NULL)
		return NULL;
	return (const char *)sqlite3_column_text(s->impl, col);
}

static int sq_finish(db_stmt *s)
{
	sqlite3_reset(s->impl);
	sqlite3_clear_bindings(s->impl);
	return DB_OK;
}

static void sq_destroy(db_stmt *s) { sqlite3_finalize(s->impl); }

static int64_t sq_changes(db *d) { return sqlite3_changes64(H(d)); }

static int sq_integrity(db *d, char *msg, size_t msglen)
{
	sqlite3_stmt *st;
	int bad = 0;
	msg[0] = 0;
	const char *checks[] = {"PRAGMA integrity_check", "PRAGMA foreign_key_check"};
	for (int c = 0; c < 2; c++) {
		if (sqlite3_prepare_v2(H(d), checks[c], -1, &st, NULL) != SQLITE_OK) {
			snprintf(msg, msglen, "%s", sqlite3_errmsg(H(d)));
			return DB_ERR;
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			if (c == 0 && t && !strcmp(t, "ok"))
				continue;
			bad++;
			size_t l = strlen(msg);
			snprintf(msg + l, msglen - l, "%s%s", l ? "\n" : "", c == 0 ? (t ? t : "?") : "foreign key violation in table ");
			if (c == 1 && t) {
				l = strlen(msg);
				snprintf(msg + l, msglen - l, "%s", t);
			}
		}
		sqlite3_finalize(st);
	}
	if (!bad)
		snprintf(msg, msglen, "ok");
	return bad ? DB_ERR : DB_OK;
}

/* The online backup API (sqlite.org/backup.html): the source is read by a
 * connection of its own, so the copy is the last committed state whatever
 * transaction d has open (a request that audits the backup holds the write
 * lock), and in WAL mode nobody waits for it. Written to PATH.part, renamed
 * when complete: a backup directory never lists half a file. */
static int sq_backup(db *d, const char *path, char *err, size_t errlen)
{
	const char *file = sqlite3_db_filename(H(d), "main");
	char part[4096];
	if (snprintf(part, sizeof part, "%s.part", path) >= (int)sizeof part) {
		snprintf(err, errlen, "%s: path too long", path);
		return DB_ERR;
	}
	struct stat st;
	if (stat(path, &st) == 0) {
		snprintf(err, errlen, "%s: already exists", path);
		return DB_ERR;
	}
	unlink(part);
	sqlite3 *src = H(d), *dst = NULL;
	if (file && *file && sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", file, src ? sqlite3_errmsg(src) : "cannot open");
		sqlite3_close(src);
		return DB_ERR;
	}
	if (src != H(d))
		sqlite3_busy_timeout(src, 10000);
	int rc = sqlite3_open_v2(part, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		chmod(part, 0600);
		sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
		if (!b)
			rc = sqlite3_errcode(dst);
		else {
			/* all pages in one step: a copy under one read snapshot */
			int step, tries = 0;
			while ((step = sqlite3_backup_step(b, -1)) == SQLITE_OK || ((step == SQLITE_BUSY || step == SQLITE_LOCKED) && tries++ < 200))
				sqlite3_sleep(50);
			rc = sqlite3_backup_finish(b);
			if (rc == SQLITE_OK && step != SQLITE_DONE)
				rc = step;
		}
	}
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "%s: %s", path, sqlite3_errstr(rc));
	/* the copy takes the source's WAL mode with its header; leave it
	 * checkpointed and closed so the one file is the whole backup */
	if (rc == SQLITE_OK && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(dst));
		rc = SQLITE_ERROR;
	}
	if (sqlite3_close(dst) != SQLITE_OK && rc == SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot close", path);
		rc = SQLITE_ERROR;
	}
	if (src != H(d))
		sqlite3_close(src);
	if (rc == SQLITE_OK && rename(part, path) != 0) {
		snprintf(err, errlen, "%s: cannot rename into place", path);
		rc = SQLITE_ERROR;
	}
	if (rc != SQLITE_OK) {
		unlink(part);
		return DB_ERR;
	}
	return DB_OK;
}

static bool sq_tx_lost(db *d) { return sqlite3_get_autocommit(H(d)) != 0; }
static void sq_cancel(db *d) { sqlite3_interrupt(H(d)); }

/* Every 1000 virtual machine steps: stop when the time budget says so. Never
 * inside transaction control, and not inside a write when the connection
 * protects them: SQLite rolls the whole transaction back when it interrupts a
 * write, and under group commit that would take the batch's other requests.
 * A read gives way to writes (db_set_give_way) only while it holds no write
 * lock: the writes it would wait for may be waiting for that lock. */
static int sq_progress(void *arg)
{
	db *d = arg;
	if (d->in_control || (d->protect_writes && d->stmt_writes))
		return 0;
	if (d->give_way && !d->stmt_writes && sqlite3_txn_state(H(d), NULL) != SQLITE_TXN_WRITE)
		db_give_way(d);
	return db_budget_over(d);
}

/* Group commit (server.c): the writer's commits skip the fsync, a second
 * thread makes them durable with one fdatasync of the WAL per round, while the
 * writer runs the next batch. Why that is as durable as synchronous=FULL for
 * every answer sent: docs/architecture.md, "Group commit". */
static int wal_hook(void *ctx, sqlite3 *h, const char *name, int frames)
{
	(void)h, (void)name;
	((db *)ctx)->wal_frames = frames;
	return SQLITE_OK;
}

static int sq_sync_later(db *d)
{
	/* cache_size: the pages a batch touches (the orders' indexes, the
	 * summaries) stay in the writer's own cache between batches (2 MB by
	 * default: each batch copied them in again from the mapped file) */
	if (sq_exec(d, "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-32768") != DB_OK)
		return DB_ERR;
	const char *file = sqlite3_db_filename(H(d), "main");
	d->wal_path = file && *file ? sqlite3_filename_wal(file) : NULL;
	sqlite3_wal_hook(H(d), wal_hook, d); /* after wal_autocheckpoint, which sets one of its own */
	if (!d->wal_path || !*d->wal_path) {
		db_set_err(d, "no WAL file (an in-memory database)");
		return DB_ERR;
	}
	return DB_OK;
}

/* The WAL is one file for the life of the server (it is truncated or reused
 * from its start after a checkpoint, never replaced while a connection is
 * open); a descriptor of our own to it, opened on first use, is reopened if
 * the file was unlinked all the same. An fdatasync on any descriptor of a
 * file writes every page of it that was written before the call. */
static int sq_sync_wal(db *d)
{
	struct stat st;
	if (d->wal_fd > 0 && (fstat(d->wal_fd - 1, &st) != 0 || st.st_nlink == 0)) {
		close(d->wal_fd - 1);
		d->wal_fd = 0;
	}
	if (d->wal_fd == 0) {
		int fd = d->wal_path ? open(d->wal_path, O_RDWR | O_CLOEXEC) : -1;
		if (fd < 0)
			return DB_ERR;
		d->wal_fd = fd + 1;
	}
	return fdatasync(d->wal_fd - 1) == 0 ? DB_OK : DB_ERR;
}

static int sq_checkpoint(db *d)
{
	int rc = sqlite3_wal_checkpoint_v2(H(d), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return rc == SQLITE_BUSY ? DB_OK : status_of(rc); /* busy: another checkpoint runs */
}

static const struct db_ops sqlite_ops = {
	sq_close,
	sq_exec,
	sq_prepare,
	sq_start,
	sq_next,
	sq_int,
	sq_text,
	sq_finish,
	sq_destroy,
	sq_changes,
	sq_integrity,
	sq_backup,
	sq_tx_lost,
	NULL,
	sq_cancel,
	/* the test hook: tens of millions of steps, seconds of work, read-only */
	"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT count(*) FROM c",
	sq_sync_later,
	sq_sync_wal,
	sq_checkpoint,
};

/* Each server thread has its own connection: no connection is shared, so
 * SQLite's own mutexes and its global memory statistics (one lock taken on
 * every allocation) only cost time under load. */
static void configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

db *db_sqlite_open(const char *path, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_once);
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, h ? sqlite3_errmsg(h) : "cannot open");
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 10000);
	db *d = calloc(1, sizeof *d);
	d->kind = DB_SQLITE;
	d->ops = &sqlite_ops;
	d->impl = h;
	/* synchronous=FULL: every commit syncs the WAL before it returns, so an
	 * order whose tracking code was sent and the audit row of a reveal whose
	 * numbers were sent survive a power loss (NORMAL could lose the last
	 * commits). About 0.5 ms per write transaction; docs/operations.md.
	 * The group-commit writer alone commits with NORMAL and syncs the WAL
	 * itself before answering (db_sync_later, db_sync_wal). */
	/* mmap_size: pages are read from the mapped file, not copied through
	 * pread into each connection's 2 MB cache (a county's statistics page
	 * spent most of its time in the kernel copying pages it had read the
	 * request before); up to SQLite's build limit, shared by every
	 * connection through the page cache. */
	if (sq_exec(d, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA mmap_size=2147418112;") != DB_OK) {
		snprintf(err, errlen, "%s: %s", path, d->err);
		sq_close(d);
		return NULL;
	}
	sqlite3_progress_handler(h, 1000, sq_progress, d);
	return d;
}
