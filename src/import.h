/* import — rosters (花名册) from .xlsx or .csv into the members table
 * (SPEC M1 import, §5). Two steps: check (read the file, map its header to
 * member fields, validate every row, list every problem by row, column and
 * reason) and commit (insert every row in the caller's transaction, or
 * nothing). Knows nothing of HTTP: import_web.c holds the pages, main.c the
 * `dangjian import members` command. */
#ifndef DJ_IMPORT_H
#define DJ_IMPORT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "db.h"
#include "actor.h"
#include "members.h"
#include "result.h"

#define IMPORT_MAX_PROBLEMS 1000     /* listed; more are only counted */
#define IMPORT_BATCH_TTL (24 * 3600) /* a preview can be confirmed for this long */

struct import_problem {
	int row;         /* as Excel shows it: the header is row 1; 0 for the whole file */
	char column[64]; /* the column's header as the file writes it, else the field's Chinese name */
	char reason[200];
};

struct import_row {
	int line;
	struct member m; /* validated and normalised */
};

struct import {
	/* set by import_init */
	int64_t default_org; /* where rows without an org code go (0: they must name one) */
	char scope[256];     /* org path prefix every row's org must lie under; "/" for anywhere */
	char filename[128];
	/* results */
	const char *encoding; /* "xlsx", "UTF-8", "GBK" … */
	char file_error[400]; /* the file as a whole was refused: no row was checked */
	char ignored[400];    /* headers not recognised (their columns are ignored), 、-separated */
	int rows, bad_rows;   /* data rows read, rows with at least one problem */
	struct import_problem *problems;
	size_t nproblems, problems_cap, problems_total;
	struct import_row *good; /* the rows without problems, in file order */
	size_t ngood, good_cap;
	char labels[20][64]; /* per member field: the header used in the file, or its Chinese name */
};

void import_init(struct import *im, int64_t default_org, const char *scope_path, const char *filename);
void import_free(struct import *im);

/* Reads the file's bytes and checks every row (reads the database; writes nothing). */
void import_check_file(db *d, struct import *im, const void *data, size_t len);
/* The rows of a checked import as text for import_batches.content (UTF-8 TSV). */
void import_batch_text(const struct import *im, buf *out);
/* Checks again the rows stored by import_batch_text (the confirm step: things may have changed). */
void import_check_batch(db *d, struct import *im, const char *text);

/* Every row readable and none bad: the import may be committed. */
bool import_ok(const struct import *im);
/* Inserts every row of a checked import in the caller's write transaction
 * (each with an 'import' history entry by a->user_id) and leaves one
 * member.import audit row for the file, "导入党员 2000 名（花名册.xlsx）":
 * the same for the console's confirm step and for `dangjian import`. Needs
 * perm_member_edit (DJ_FORBIDDEN) and import_ok (DJ_CONFLICT); *n gets the
 * number written. On DJ_DB_ERROR the caller rolls back. */
enum dj_result import_commit(db *d, const struct actor *a, const struct import *im, int64_t *n, struct field_errors *e);

/* The report as text: a summary line, then one line per problem (row, column, reason). */
void import_print(const struct import *im, FILE *out);
/* `dangjian import members FILE --org CODE [--dry-run]`; returns the exit status. */
int import_cli(db *d, const char *path, const char *org_code, bool dry_run, FILE *out);

/* A member field's Chinese name, as in the header of an import file. */
const char *import_field_label(const char *field);

/* ---- the preview's batches: the rows of a good upload wait for the
 * uploader's confirmation under a random token, one use, for
 * IMPORT_BATCH_TTL; once taken the stored copy of the rows is erased. ---- */

#define IMPORT_TOKEN_SIZE 48

/* Keeps the rows of a checked import with no bad row (im->default_org is the
 * batch's org) for a->user_id under a new token, after deleting the batches
 * past their time. Writes in the caller's write transaction. DJ_FORBIDDEN for
 * an actor that is no account allowed to import, DJ_CONFLICT when the import
 * may not be committed, DJ_DB_ERROR when the writing failed. */
enum dj_result import_batch_save(db *d, const struct actor *a, const struct import *im, char token[IMPORT_TOKEN_SIZE]);

enum import_batch_state {
	IMPORT_BATCH_OPEN,    /* may be confirmed */
	IMPORT_BATCH_DONE,    /* already imported */
	IMPORT_BATCH_EXPIRED, /* older than IMPORT_BATCH_TTL */
};
struct import_batch {
	int64_t id, org_id, created_at;
	char filename[128];
	char *content; /* the rows as import_batch_text wrote them; import_batch_free */
	enum import_batch_state state;
};
/* The batch of token, if a->user_id uploaded it (someone else's batch looks
 * like no batch: DJ_NOT_FOUND). */
enum dj_result import_batch_load(db *d, const struct actor *a, const char *token, struct import_batch *b);
void import_batch_free(struct import_batch *b);
/* Takes a loaded batch for its one use: marks it done and erases its rows.
 * DJ_CONFLICT when it was taken already (a double click, another tab). */
enum dj_result import_batch_take(db *d, const struct actor *a, int64_t id);

#endif
