/* db — the engine-neutral half: statement cache, parameter binding, migrations. */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_impl.h"
#include "embedded.h"

void db_set_err(db *d, const char *msg) { snprintf(d->err, sizeof d->err, "%s", msg ? msg : "unknown error"); }

db *db_open(const char *url, char *err, size_t errlen)
{
	if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
		return db_pg_open(url, err, errlen);
	if (!strncmp(url, "sqlite:", 7))
		url += 7;
	return db_sqlite_open(url, err, errlen);
}

void db_close(db *d)
{
	if (!d)
		return;
	for (int i = 0; i < DB_CACHE_SLOTS; i++) {
		db_stmt *s = d->cache[i];
		if (s) {
			d->ops->destroy(s);
			free(s->sql);
			free(s);
		}
	}
	d->ops->close(d);
}

enum db_kind db_kind(const db *d) { return d->kind; }
const char *db_errmsg(const db *d) { return d->err; }
int db_exec(db *d, const char *sql) { return d->ops->exec(d, sql); }
bool db_in_tx(const db *d) { return d->in_tx; }

/* On SQLite, transaction control goes through the statement cache: it runs
 * on every request, and parsing it each time showed in profiles. PostgreSQL
 * keeps the simple protocol, whose backend checks that a COMMIT committed. */
static int tx_control(db *d, const char *sql)
{
	return d->kind == DB_SQLITE ? db_run(d, sql, "") : d->ops->exec(d, sql);
}

int db_begin(db *d, bool write)
{
	int rc = tx_control(d, d->kind == DB_SQLITE && write ? "BEGIN IMMEDIATE" : "BEGIN");
	d->in_tx = rc == DB_OK;
	return rc;
}

int db_commit(db *d)
{
	int rc = tx_control(d, "COMMIT");
	if (rc != DB_OK)
		tx_control(d, "ROLLBACK");
	d->in_tx = false;
	return rc;
}

void db_rollback(db *d)
{
	if (d->in_tx)
		tx_control(d, "ROLLBACK");
	d->in_tx = false;
}

static uint32_t hash_sql(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* A statement from the cache when it is there and idle; a fresh one otherwise
 * (a statement can be nested inside a loop over itself). */
static db_stmt *stmt_get(db *d, const char *sql)
{
	uint32_t h = hash_sql(sql);
	for (int probe = 0; probe < 8; probe++) {
		int slot = (int)((h + (uint32_t)probe) % DB_CACHE_SLOTS);
		db_stmt *s = d->cache[slot];
		if (!s) {
			s = d->ops->prepare(d, sql);
			if (!s)
				return NULL;
			s->cached = true;
			d->cache[slot] = s;
			return s;
		}
		if (!strcmp(s->sql, sql)) {
			if (!s->busy)
				return s;
			break;
		}
	}
	return d->ops->prepare(d, sql);
}

/* An SQL error other than a constraint is a bug or an outage: say so loudly,
 * once, with the statement (the e2e tests fail on this line). */
static void report(db *d, const char *sql, int rc)
{
	if (rc == DB_ERR)
		fprintf(stderr, "dangjian: sql error: %s [%.200s]\n", d->err, sql ? sql : "");
}

static db_stmt error_stmt_template;

static db_stmt *vquery(db *d, const char *sql, const char *types, va_list ap)
{
	db_param p[DB_MAX_PARAMS];
	int n = 0;
	for (const char *t = types ? types : ""; *t; t++) {
		if (n == DB_MAX_PARAMS) {
			db_set_err(d, "too many parameters");
			report(d, sql, DB_ERR);
			return NULL;
		}
		switch (*t) {
		case 'i': p[n].type = 'I', p[n].i = va_arg(ap, int); break;
		case 'I': p[n].type = 'I', p[n].i = va_arg(ap, int64_t); break;
		case 't': p[n].t = va_arg(ap, const char *), p[n].type = p[n].t ? 't' : 'n'; break;
		case 'n': p[n].type = 'n'; break;
		default: db_set_err(d, "bad parameter type letter"); report(d, sql, DB_ERR); return NULL;
		}
		n++;
	}
	db_stmt *s = stmt_get(d, sql);
	if (!s) {
		report(d, sql, DB_ERR);
		return NULL;
	}
	s->busy = true;
	s->status = DB_OK;
	s->status = d->ops->start(s, n, p);
	return s;
}

db_stmt *db_query(db *d, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	db_stmt *s = vquery(d, sql, types, ap);
	va_end(ap);
	if (!s) {
		/* A statement that failed to prepare: hand back a per-connection
		 * error stub so call sites need no NULL checks. */
		db_stmt *e = calloc(1, sizeof *e);
		*e = error_stmt_template;
		e->d = d;
		e->status = DB_ERR;
		e->busy = true;
		return e;
	}
	return s;
}

bool db_next(db_stmt *s)
{
	if (s->status != DB_OK || !s->impl)
		return false;
	return s->d->ops->next(s);
}

int64_t db_int(db_stmt *s, int col) { return s->impl ? s->d->ops->col_int(s, col) : 0; }
const char *db_text(db_stmt *s, int col) { return s->impl ? s->d->ops->col_text(s, col) : NULL; }
bool db_isnull(db_stmt *s, int col) { return db_text(s, col) == NULL; }

const char *db_str(db_stmt *s, int col)
{
	const char *t = db_text(s, col);
	return t ? t : "";
}

int db_done(db_stmt *s)
{
	int rc = s->status;
	if (!s->impl) { /* error stub, reported when it failed */
		free(s);
		return rc;
	}
	int rc2 = s->d->ops->finish(s);
	if (rc == DB_OK)
		rc = rc2;
	report(s->d, s->sql, rc);
	s->busy = false;
	if (!s->cached) {
		s->d->ops->destroy(s);
		free(s->sql);
		free(s);
	}
	return rc;
}

int db_run(db *d, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	db_stmt *s = vquery(d, sql, types, ap);
	va_end(ap);
	if (!s)
		return DB_ERR;
	while (db_next(s))
		;
	return db_done(s);
}

int64_t db_changes(db *d) { return d->ops->changes(d); }

int64_t db_int1(db *d, int64_t dflt, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	db_stmt *s = vquery(d, sql, types, ap);
	va_end(ap);
	if (!s)
		return dflt;
	int64_t v = dflt;
	if (db_next(s) && !db_isnull(s, 0))
		v = db_int(s, 0);
	db_done(s);
	return v;
}

int db_integrity(db *d, char *msg, size_t msglen) { return d->ops->integrity(d, msg, msglen); }

/* Replaces @ID@ by the engine's integer primary key type. */
static char *migration_sql(db *d, const char *sql)
{
	const char *id = d->kind == DB_SQLITE ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	size_t cap = strlen(sql) * 2 + 64;
	char *out = malloc(cap), *o = out;
	for (const char *p = sql; *p;) {
		if (!strncmp(p, "@ID@", 4)) {
			size_t l = strlen(id);
			memcpy(o, id, l);
			o += l;
			p += 4;
		} else
			*o++ = *p++;
	}
	*o = 0;
	return out;
}

int db_migrate(db *d, char *err, size_t errlen)
{
	if (db_begin(d, true) != DB_OK) {
		snprintf(err, errlen, "begin: %s", d->err);
		return -1;
	}
	/* Several nodes may start at once against one PostgreSQL: one migrates, the others wait. */
	if (d->kind == DB_PG && db_run(d, "SELECT pg_advisory_xact_lock(4242)", "") != DB_OK) {
		snprintf(err, errlen, "lock: %s", d->err);
		db_rollback(d);
		return -1;
	}
	if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)") != DB_OK) {
		snprintf(err, errlen, "schema_migrations: %s", d->err);
		db_rollback(d);
		return -1;
	}
	int applied = 0;
	for (size_t i = 0; i < embedded_migrations_count; i++) {
		const struct embedded_migration *m = &embedded_migrations[i];
		if (db_int1(d, 0, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", "i", m->version) > 0)
			continue;
		char *sql = migration_sql(d, m->sql);
		int rc = db_exec(d, sql);
		free(sql);
		if (rc != DB_OK) {
			snprintf(err, errlen, "migration %03d_%s: %s", m->version, m->name, d->err);
			db_rollback(d);
			return -1;
		}
		if (db_run(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", "itI", m->version, m->name, (int64_t)time(NULL)) != DB_OK) {
			snprintf(err, errlen, "record migration: %s", d->err);
			db_rollback(d);
			return -1;
		}
		applied++;
	}
	if (db_commit(d) != DB_OK) {
		snprintf(err, errlen, "commit: %s", d->err);
		return -1;
	}
	return applied;
}
