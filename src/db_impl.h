/* Internal: what db.c shares with the two backends. */
#ifndef DJ_DB_IMPL_H
#define DJ_DB_IMPL_H
#include <stdarg.h>

#include "db.h"

#define DB_MAX_PARAMS 32

typedef struct db_param {
	char type; /* 'I' int64, 't' text, 'n' null */
	int64_t i;
	const char *t;
} db_param;

struct db_ops {
	void (*close)(db *d);
	int (*exec)(db *d, const char *sql);
	db_stmt *(*prepare)(db *d, const char *sql); /* uncached, may return NULL */
	int (*start)(db_stmt *s, int n, const db_param *p);
	bool (*next)(db_stmt *s);
	int64_t (*col_int)(db_stmt *s, int col);
	const char *(*col_text)(db_stmt *s, int col);
	int (*finish)(db_stmt *s); /* reset for reuse; returns status */
	void (*destroy)(db_stmt *s);
	int64_t (*changes)(db *d);
	int (*integrity)(db *d, char *msg, size_t msglen);
	int (*backup)(db *d, const char *path, char *err, size_t errlen);
	bool (*tx_lost)(db *d);                 /* the engine rolled back the open transaction */
	int (*begin_budget)(db *d, int64_t ms); /* BEGIN with a statement timeout (NULL: not needed) */
	void (*cancel)(db *d);                  /* thread-safe */
	const char *slow_sql;                   /* the test hook's slow statement */
	/* group commit's deferred sync (SQLite; NULL elsewhere): db_sync_later,
	 * db_sync_wal (called from another thread than the connection's),
	 * db_checkpoint */
	int (*sync_later)(db *d);
	int (*sync_wal)(db *d);
	int (*checkpoint)(db *d);
};

/* The statement cache: at most DB_CACHE_SLOTS prepared statements per
 * connection, found by hashing their SQL into DB_CACHE_BUCKETS chains and
 * kept in least-recently-used order. When it is full, the least recently used
 * idle statement is evicted (finalised; on PostgreSQL, DEALLOCATEd) to make
 * room, so a program with more distinct statements than slots still reuses
 * its hot ones instead of preparing on every call. */
#define DB_CACHE_SLOTS 256
#define DB_CACHE_BUCKETS 512 /* a power of two */

struct db_stmt {
	db *d;
	char *sql;   /* owned copy: the cache key */
	bool cached; /* lives in the cache; finish resets instead of destroying */
	bool busy;   /* handed out and not yet finished */
	int status;  /* first error met */
	void *impl;
	uint32_t hash;          /* of sql, when cached */
	db_stmt *chain;         /* next in the same hash bucket */
	db_stmt *newer, *older; /* neighbours in the LRU list */
};

struct db {
	enum db_kind kind;
	const struct db_ops *ops;
	bool in_tx;
	char err[512];
	db_stmt *bucket[DB_CACHE_BUCKETS];
	db_stmt *newest, *oldest; /* the LRU list of cached statements */
	int ncached;
	uint64_t nstatements, nprepares;
	uint64_t nfaultpoints, fault_at; /* fault_at: the point that fails (0: none) */
	enum db_fault fault_kind;
	int stub_status; /* the status of a statement that failed before it started */
	/* the time budget (db_set_budget) */
	uint64_t deadline_ns;
	const atomic_bool *gone;
	bool interrupted;       /* a statement was refused or stopped since db_set_budget */
	bool (*give_way)(void); /* db_set_give_way */
	uint64_t turn_end_ns;   /* it runs without looking until then */
	bool protect_writes;    /* never interrupt a running write (group commit) */
	bool stmt_writes;       /* the statement being stepped is not read-only (SQLite) */
	bool in_control;        /* BEGIN/COMMIT/ROLLBACK/savepoints: never interrupted */
	bool test_slow;
	int savepoints;     /* depth, for their names */
	uint64_t tx_serial; /* db_tx_serial */
	/* db_sync_later: the WAL's path and, once opened by db_sync_wal, its
	 * descriptor + 1 (0: not open) */
	const char *wal_path;
	int wal_fd;
	int wal_frames; /* db_wal_frames */
	void (*trace)(void *ctx, const char *sql);
	void *trace_ctx;
	void *impl;
};

void db_set_err(db *d, const char *msg);
/* Whether the time budget (or the shutdown) says stop now; sets d->interrupted. */
bool db_budget_over(db *d);
/* Called where a running statement may stop (SQLite's progress handler):
 * sleeps while d's give_way says writes wait (db_set_give_way). */
void db_give_way(db *d);
db *db_sqlite_open(const char *path, char *err, size_t errlen);
db *db_pg_open(const char *url, char *err, size_t errlen);

/* `?` placeholders in sql, outside '…' strings, "…" identifiers and comments. */
int db_count_placeholders(const char *sql);

struct embedded_migration;
/* Refuses a migration list in which two share a version (the build refuses
 * such files already; this guards a binary built some other way). Returns 0,
 * or -1 with a message in err. */
int db_migrations_check(const struct embedded_migration *m, size_t n, char *err, size_t errlen);

#endif
