/* web — what every *_web.c handler shares beyond server.h: turning a domain
 * result into an answer, and reading a JSON body against a declared list of
 * fields (Kore's idea: undeclared input never reaches a handler). */
#ifndef DJ_WEB_H
#define DJ_WEB_H
#include <stdbool.h>
#include <stdint.h>

#include "json.h"
#include "result.h"
#include "server.h"

/* The one mapping of a domain result to an answer in the route's language:
 * 404 not_found, 403 forbidden, 409 conflict, 422 invalid (with the fields),
 * 503 db_error; JSON {"error":{"code","message","fields"}} for the API, an
 * error page for the console. */
int dj_result_status(enum dj_result res);
void req_fail(req *r, enum dj_result res, const struct field_errors *e);
/* True for DJ_OK; otherwise answers with req_fail and returns false, so a
 * handler says `if (!req_ok(r, res, &e)) return;`. */
bool req_ok(req *r, enum dj_result res, const struct field_errors *e);

/* The JSON answers' scaffolding. req_json_obj: status, w over r->out and the
 * outer object opened (the caller writes its keys and closes it with jw_end).
 * req_json_list: a 200 answer {"key":[ whose rows the caller writes into w,
 * closed by req_json_list_end (]}). req_json_ok: {"ok":true} with status.
 * jw_krows: "key": followed by rows, a JSON array already written into a
 * buffer of its own (e.g. while the domain counted what goes before it);
 * rows is freed (nothing written in it counts as []).
 * jw_rows and req_rows_done: rows written into a buffer of their own before
 * the answer starts, so a failure answers without them — jw_rows starts w
 * over rows with its array opened; req_rows_done closes the array and, for a
 * result other than DJ_OK, frees rows and answers with req_fail (false). */
void req_json_obj(req *r, int status, jw *w);
void req_json_list(req *r, jw *w, const char *key);
void req_json_list_end(jw *w);
void req_json_ok(req *r, int status);
void jw_krows(jw *w, const char *key, buf *rows);
void jw_rows(jw *w, buf *rows);
bool req_rows_done(req *r, jw *w, buf *rows, enum dj_result res, const struct field_errors *e);

/* A field a JSON body may carry: its key, its name for messages, whether it
 * must be there, its JSON type ('s' string, 'b' boolean, 'I' integer, 'a'
 * array, 'o' any), and, for a field that may never be sent (e.g. a code that
 * cannot change after creation), the message that refuses it. */
struct json_field {
	const char *key, *label;
	bool required;
	char type;
	const char *refused;
};

/* Parses the request's JSON body (415 or 400 when it is not a JSON object; an
 * empty body counts as {} when empty_ok) and unpacks it with jansson's
 * json_unpack_ex in strict mode (fmt and the pointers as for json_unpack).
 * When the body does not fit, answers 422 naming each field at fault (unknown,
 * wrong type, missing) and returns false. */
bool req_json_unpack(req *r, const struct json_field *fields, bool empty_ok, const char *fmt, ...);

/* A download that a domain function writes into a file: the file is made in
 * a directory of our own (mkdtemp: 0700) under $TMPDIR, written (0600) by
 * write(path, ctx, e), opened, and the file and its directory are removed at
 * once, on every path; the answer streams from the open descriptor, which the
 * server closes when it is sent or the client goes away. Nothing is left on
 * disk either way. A result other than DJ_OK is answered with req_fail (a
 * database or file error as 503). filename: the Chinese name offered to save
 * under; ascii_name: its plain fallback. */
typedef enum dj_result (*download_writer)(const char *path, void *ctx, struct field_errors *e);
void req_send_download(req *r, download_writer write, void *ctx, const char *content_type, const char *ascii_name, const char *filename);
/* Sends data (a document made in memory, e.g. a PDF) as an attachment
 * named like req_send_download's, not cached. */
void req_send_attachment(req *r, buf *data, const char *content_type, const char *ascii_name, const char *filename);
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#endif
