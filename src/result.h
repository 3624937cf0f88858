/* result — what a domain function came to. One enum for every mechanism;
 * the web layer alone turns it into an HTTP status, an HTML page or a JSON
 * error (web.h's req_fail). Messages travel in a struct field_errors: by
 * field where the input was wrong, under "_form" otherwise. */
#ifndef DJ_RESULT_H
#define DJ_RESULT_H

#include "valid.h"

enum dj_result {
	DJ_OK = 0,
	DJ_NOT_FOUND, /* no such record, or not inside the caller's subtree (which looks the same) */
	DJ_FORBIDDEN, /* the record is visible but this caller may not do this */
	DJ_CONFLICT,  /* not from this state, already taken, a duplicate */
	DJ_INVALID,   /* the input was wrong: the field errors say where */
	DJ_DB_ERROR,  /* the database failed */
};

/* A short machine name: "ok", "not_found", "forbidden", "conflict", "invalid", "db_error". */
const char *dj_result_code(enum dj_result r);
/* Records a message that belongs to no field (under "_form") and returns r. */
enum dj_result dj_fail(struct field_errors *e, enum dj_result r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The first message of e, or a general one for r. */
const char *dj_message(enum dj_result r, const struct field_errors *e);

#endif
