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
};

#define DB_CACHE_SLOTS 256

struct db_stmt {
	db *d;
	char *sql;     /* owned copy: the cache key */
	bool cached;   /* lives in the cache; finish resets instead of destroying */
	bool busy;     /* handed out and not yet finished */
	int status;    /* first error met */
	void *impl;
};

struct db {
	enum db_kind kind;
	const struct db_ops *ops;
	bool in_tx;
	char err[512];
	db_stmt *cache[DB_CACHE_SLOTS];
	void *impl;
};

void db_set_err(db *d, const char *msg);
db *db_sqlite_open(const char *path, char *err, size_t errlen);
db *db_pg_open(const char *url, char *err, size_t errlen);

#endif
