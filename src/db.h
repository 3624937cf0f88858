/* db — one small interface over SQLite and PostgreSQL (SPEC §4).
 *
 * SQL is written once, in the subset both engines share, with `?`
 * placeholders (the PostgreSQL backend rewrites them to $1…). Every value
 * travels as a bound parameter. Each connection caches its prepared
 * statements by SQL text, so a handler just names its SQL:
 *
 *     db_stmt *s = db_query(db, "SELECT id, name FROM orgs WHERE parent_id = ?", "I", parent);
 *     while (db_next(s))
 *             use(db_int(s, 0), db_text(s, 1));
 *     if (db_done(s) != DB_OK) …
 *
 * Parameter type letters: 'i' int, 'I' int64_t, 't' const char * (NULL binds
 * SQL NULL), 'n' SQL NULL (takes no argument).
 *
 * Portability rules for SQL in this project: integers are BIGINT (0/1 for
 * booleans; never select a boolean expression, use CASE); times are BIGINT
 * Unix seconds; dates are 'YYYY-MM-DD' TEXT; a parameter whose type the
 * statement does not fix (`? IS NULL`) is written CAST(? AS TEXT) or
 * CAST(? AS BIGINT); new ids come back through INSERT … RETURNING id.
 * In migrations, the token @ID@ stands for the integer primary key column
 * type of each engine. */
#ifndef DJ_DB_H
#define DJ_DB_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A result that must not be ignored (a warning, which the build makes an error). */
#define DB_MUST_CHECK __attribute__((warn_unused_result))

typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_kind { DB_SQLITE = 1, DB_PG = 2 };
/* DB_INTERRUPTED: stopped by the connection's time budget (db_set_budget),
 * its client having gone, or the shutdown (db_stop_all); not logged as an SQL
 * error. */
enum db_status { DB_OK = 0, DB_ERR = -1, DB_CONSTRAINT = -2, DB_BUSY = -3, DB_INTERRUPTED = -4 };

/* url: a file path or sqlite:PATH for SQLite; postgres://… or postgresql://… for PostgreSQL. */
db *db_open(const char *url, char *err, size_t errlen);
void db_close(db *d);
enum db_kind db_kind(const db *d);
const char *db_errmsg(const db *d);

/* Runs SQL text without parameters (may hold several statements): migrations only. */
int db_exec(db *d, const char *sql);

/* write=true takes the write lock at once (SQLite BEGIN IMMEDIATE), so two
 * writers never deadlock on a lock upgrade; readers use a plain BEGIN. */
int db_begin(db *d, bool write) DB_MUST_CHECK;
int db_commit(db *d) DB_MUST_CHECK;
void db_rollback(db *d);
bool db_in_tx(const db *d);
/* The open transaction's number, unique in the process (0 outside one): a
 * value read in it may be kept for as long as it stays open (order_limit). */
uint64_t db_tx_serial(const db *d);

/* Savepoints inside the open transaction (SQLite's group commit in server.c
 * runs each request of a batch in one): db_savepoint opens one, db_release
 * keeps its work, db_rollback_to undoes it (and closes it). db_tx_lost: the
 * engine itself rolled the whole transaction back (an I/O error, a full disk,
 * an interrupted write), so the work of every savepoint released so far is
 * gone too. */
int db_savepoint(db *d) DB_MUST_CHECK;
int db_release(db *d) DB_MUST_CHECK;
void db_rollback_to(db *d);
bool db_tx_lost(db *d);

/* Group commit's deferred sync (SQLite; DB_OK and nothing done on PostgreSQL,
 * whose commit waits for its WAL flush). db_sync_later: from now on a commit
 * on d returns once the transaction is written to the WAL file, before it is
 * on disk (synchronous=NORMAL), sub-journals of savepoints stay in memory,
 * and d never checkpoints by itself (wal_autocheckpoint=0): db_checkpoint
 * on another connection does. db_sync_wal — thread-safe against d's own
 * thread, which may go on committing — makes every transaction that had
 * committed on d when it was called durable: an fdatasync of the WAL file.
 * Until it has returned DB_OK, no answer that depends on those transactions
 * may be sent. db_checkpoint: a PASSIVE checkpoint (copies what it can of the
 * WAL into the database file without waiting for anyone). */
int db_sync_later(db *d) DB_MUST_CHECK;
int db_sync_wal(db *d) DB_MUST_CHECK;
int db_checkpoint(db *d) DB_MUST_CHECK;
/* After db_sync_later: the frames in the WAL after d's last commit (0 on
 * PostgreSQL, and before the first commit). */
int db_wal_frames(db *d);

/* A time budget (issue 9 §5). Until the next call, a statement on d started
 * after deadline_ns (now_ns() clock; 0: none), or after *gone became true (the
 * client went away; NULL: never), or after db_stop_all(), fails at once with
 * DB_INTERRUPTED; one that is running is stopped: on SQLite by a progress
 * handler (a write statement only when protect_writes is false, since SQLite
 * rolls the whole transaction back when it interrupts a write), on PostgreSQL
 * by statement_timeout, set with SET LOCAL by db_begin for the rest of the
 * budget, and by db_cancel. db_set_budget clears db_interrupted, which says
 * whether a statement has been refused or stopped since. Transaction control
 * (BEGIN, COMMIT, ROLLBACK, savepoints) is never refused. */
void db_set_budget(db *d, uint64_t deadline_ns, const atomic_bool *gone);
/* A long read gives way to writes (SQLite only: its statements run on this
 * process's CPU; server.c sets it on the read workers' connections). A
 * request's statements on d run freely for DB_GIVE_WAY_AFTER_US; after that,
 * whenever waiting() says writes are queued or being written, the statement
 * sleeps in short steps until none waits or it has waited DB_GIVE_WAY_MAX_US
 * and takes the next turn of DB_GIVE_WAY_RUN_US (one read's turn at a time in
 * the process), or its budget ends (then it stops as db_set_budget says). So
 * under a steady stream of writes the long reads together run a fortieth of one
 * core and end at their deadline; when no write waits they run as before.
 * NULL: never. db_gave_way_ns: the time the process's reads slept so. */
#define DB_GIVE_WAY_AFTER_US 20000
#define DB_GIVE_WAY_RUN_US 1000
#define DB_GIVE_WAY_MAX_US 39000
void db_set_give_way(db *d, bool (*waiting)(void));
uint64_t db_gave_way_ns(void);
void db_protect_writes(db *d, bool on);
bool db_interrupted(const db *d);
/* Process-wide: every statement from now on is refused and running ones stop
 * at their next check (SQLite) — for a bounded shutdown. */
void db_stop_all(void);
/* Thread-safe: stops the statement running on d now (sqlite3_interrupt, or a
 * PostgreSQL cancel request). For the shutdown of a server whose threads are
 * busy: the statement that is stopped may belong to any caller. */
void db_cancel(db *d);
/* A test hook: while on, every traced statement on d first runs a slow
 * read-only statement (seconds of work on SQLite, pg_sleep on PostgreSQL)
 * that the time budget has to stop. */
void db_test_slow(db *d, bool on);

/* Prepares (or takes from the cache), binds and starts a statement. Never
 * returns NULL: an error shows as db_next() == false and db_done() != DB_OK. */
db_stmt *db_query(db *d, const char *sql, const char *types, ...);
bool db_next(db_stmt *s);
int64_t db_int(db_stmt *s, int col);
const char *db_text(db_stmt *s, int col); /* NULL for SQL NULL; valid until the next db_next/db_done */
const char *db_str(db_stmt *s, int col);  /* "" for SQL NULL */
bool db_isnull(db_stmt *s, int col);
/* Finishes the statement and gives back DB_OK or the error it met. */
int db_done(db_stmt *s);

/* A statement run for its effect; returns DB_OK, DB_CONSTRAINT, DB_BUSY or
 * DB_ERR. Its result must be looked at (the build fails otherwise): a write
 * that failed and was ignored leaves a half-done change that still commits. */
int db_run(db *d, const char *sql, const char *types, ...) DB_MUST_CHECK;
/* Rows changed by the last db_run. */
int64_t db_changes(db *d);
/* The first column of the first row as an integer, or dflt when there is no row. */
int64_t db_int1(db *d, int64_t dflt, const char *sql, const char *types, ...);

/* Counters and a hook for tests and diagnostics (e.g. "this page runs at most
 * N statements", or printing every statement a request runs).
 *
 * db_set_trace: fn(ctx, sql) is called with the SQL text of every statement
 * started through db_query, db_run or db_int1, before it is prepared or run,
 * including those that then fail. Not traced: transaction control (db_begin,
 * db_commit, db_rollback, on either engine, so the counts agree between
 * SQLite and PostgreSQL) and db_exec (migrations). fn = NULL turns it off.
 * db_statement_count: how many statements were traced, whether or not a hook
 * is set, since the connection was opened.
 * db_prepare_count: how many statements were prepared for the statement cache
 * (cache misses, and the fresh copy a statement nested inside a loop over
 * itself needs); a hot statement is prepared once per connection unless more
 * than 256 other distinct statements were run since its last use. A
 * PostgreSQL backend that re-prepares after a lost connection is not counted.
 * A statement whose number of `?` placeholders differs from the length of its
 * types string fails when it is prepared, with the error
 * "N placeholders but M parameter types". */
void db_set_trace(db *d, void (*fn)(void *ctx, const char *sql), void *ctx);
uint64_t db_statement_count(const db *d);
uint64_t db_prepare_count(const db *d);

/* Fault injection, for tests (SQLite's own practice): db_fault_inject(d, n,
 * kind) makes the n-th statement from now (n = 1: the next one) fail once,
 * as the engine would, with DB_BUSY ("database is locked"), or DB_ERR "disk
 * I/O error" or "out of memory"; kind DB_FAULT_NONE (or n = 0) disarms it.
 * Counted are the statements db_query, db_run and db_int1 start and the
 * transaction's BEGIN and COMMIT (a failed COMMIT rolls back), not ROLLBACK
 * nor db_exec. Inert unless armed. db_fault_points: how many statements so
 * far could have failed (for a sweep: run the work once to learn its length,
 * then fail each of them in turn). */
enum db_fault { DB_FAULT_NONE = 0, DB_FAULT_BUSY, DB_FAULT_IO, DB_FAULT_NOMEM };
void db_fault_inject(db *d, uint64_t nth, enum db_fault kind);
uint64_t db_fault_points(const db *d);

/* Applies the numbered migrations (embedded in the binary) that are not yet
 * recorded in schema_migrations; returns the number applied, or -1 (also when
 * two embedded migrations share a number). */
int db_migrate(db *d, char *err, size_t errlen);
/* Runs the engine's own integrity check; writes a report into msg. */
int db_integrity(db *d, char *msg, size_t msglen);
/* Copies the whole database into a new SQLite file at path with SQLite's
 * online backup API, while others keep reading and writing: the copy holds
 * what was committed when it began (a fresh connection reads the source, so
 * the caller's open transaction is not in it). The file is written beside
 * path and renamed into place when complete, mode 0600; an existing path is
 * refused. A restore is copying the file back while the server is stopped.
 * PostgreSQL answers DB_ERR with advice to use pg_dump. */
int db_backup(db *d, const char *path, char *err, size_t errlen) DB_MUST_CHECK;

#endif
