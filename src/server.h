/* server — the request context every handler receives, and the route table's types. */
#ifndef DJ_SERVER_H
#define DJ_SERVER_H
#include <stdbool.h>
#include <stdint.h>

#include "actor.h"
#include "buf.h"
#include "db.h"
#include "roles.h"

#define KiB 1024

enum route_flags {
	RF_API = 1 << 0,    /* JSON errors, bearer-token auth, no CSRF */
	RF_NODB = 1 << 1,   /* needs no database connection (static files, metrics) */
	RF_OWNTX = 1 << 2,  /* the handler opens its own transaction (slow work before the write, e.g. a password hash) */
	RF_NOCSRF = 1 << 3, /* a POST that carries no session (e.g. the API login) */
	/* An audited read: a GET that writes its audit row (full ID and phone
	 * numbers, exports) runs in a write transaction from the start, as a POST
	 * does, so the row waits for the write lock instead of failing on a lock
	 * upgrade (SQLite's deferred read transaction answers BUSY at once). */
	RF_WRITE = 1 << 4,        /* always */
	RF_WRITE_REVEAL = 1 << 5, /* only when the query says reveal=1 */
};

typedef struct req req;
typedef void (*handler_fn)(req *r);

typedef struct route {
	const char *method;
	const char *pattern; /* "/orgs/:id"; a final "*" matches any rest */
	handler_fn handler;
	int roles; /* R_PUBLIC or a mask of enum role */
	int flags;
	size_t body_limit;           /* 0: the default of 64 KiB */
	const char *name;            /* a short label for metrics */
	const struct module *module; /* set when the table is merged (module.h) */
} route;

typedef struct kv {
	char *key;
	char *val;
	size_t len;         /* val's length (file parts may hold NUL bytes) */
	char *filename;     /* multipart file parts */
	char *content_type; /* multipart file parts */
} kv;

typedef struct kvlist {
	kv *v;
	size_t n, cap;
} kvlist;

struct MHD_Connection;
struct module;

struct req {
	struct MHD_Connection *conn;
	const route *route;
	const char *method;
	const char *path;
	char ip[64];
	kvlist path_params;
	kvlist query;
	kvlist form;
	buf body; /* raw request body */
	bool body_too_large;
	void *json; /* parsed JSON body (json_t *), for API routes */

	db *db;
	bool logged_in;
	struct actor actor;  /* the caller: an account when logged_in, else the public at ip */
	char session_id[65]; /* hex hash of the session token */
	char csrf[48];
	bool hant; /* 繁體 wanted */

	/* the caller's org subtree, loaded once on first use */
	bool scope_loaded;
	int64_t *scope; /* sorted org ids */
	size_t scope_n;

	/* the response */
	int status;
	buf out;
	const char *content_type;
	kvlist headers;
	bool failed;    /* roll back the transaction whatever the status */
	bool page_open; /* page_begin was called */
	struct field_errors *errors;
	uint64_t start_ns;
	bool responded;
	bool out_is_fd; /* the body is the file out_fd (req_send_fd), not out */
	int out_fd;
	uint64_t out_fd_size;

	/* server.c: the time budget and the SQLite writer's queue (issue 9) */
	uint64_t deadline_ns;
	struct req *wq_next;
	int wq_stage;    /* 0, queued for the writer, answered by it */
	bool wq_pending; /* released in the writer's batch, waiting for its commit */
};

/* Parameters. */
const char *req_query(req *r, const char *key);
const char *req_form(req *r, const char *key);
const kv *req_form_kv(req *r, const char *key);
const char *req_param(req *r, const char *key); /* path parameter */
int64_t req_param_id(req *r, const char *key);  /* positive id or 0 */
const char *req_header(req *r, const char *name);
const char *req_cookie(req *r, const char *name);
bool req_is_post(req *r);

/* Responses. */
void req_set_header(req *r, const char *name, const char *value);
void req_set_cookie(req *r, const char *name, const char *value, int max_age, bool http_only);
void req_redirect(req *r, const char *location); /* 303 See Other */
/* An error in the route's own language: an HTML page or a JSON error object. */
void req_error(req *r, int status, const char *code, const char *message);
void req_json_begin(req *r, int status); /* content type and status; write with a jw over r->out */
/* The body is the open file fd of size bytes, streamed from its start and
 * closed after (also when the client goes away, or an error answer replaces
 * it). The caller may unlink the file at once. */
void req_send_fd(req *r, int fd, uint64_t size);

/* The parsed JSON body of an API request (json_t *), or NULL after answering 400. */
void *req_json(req *r);
/* Parses a JSON API body in advance (on the connection's thread, before a
 * write is queued for the one SQLite writer), for req_json to find; a body
 * that is not a JSON object is left for req_json to answer as before. */
void req_json_prepare(req *r);
/* A JSON error naming each field at fault: {"error":{"code","message","fields":{…}}};
 * message NULL: the first field's message. */
struct field_errors;
void req_error_fields(req *r, int status, const char *code, const char *message, const struct field_errors *e);
void req_json_free(req *r);

/* Utilities shared with tests. */
void kvlist_add(kvlist *l, const char *key, size_t klen, const char *val, size_t vlen);
const kv *kvlist_get(const kvlist *l, const char *key);
void kvlist_free(kvlist *l);
/* Splits a path against a pattern; fills params and returns true on a match. */
bool route_match(const char *pattern, const char *path, kvlist *params);
/* Decodes application/x-www-form-urlencoded text into l; returns false on malformed input. */
bool form_urldecode(const char *s, size_t n, kvlist *l);
/* Decodes a multipart/form-data body (the boundary from c's Content-Type) into
 * l, file parts with their filename and content type; false when malformed. */
bool form_multipart(struct MHD_Connection *c, const char *body, size_t len, kvlist *l);

/* The server. */
struct serve_opts {
	const char *db_url;
	const char *listen; /* address */
	int port;
	int threads;
	int per_ip_limit;
	int idle_timeout;
	const char *access_log; /* path, "-" for stderr, "off" */
	int header_timeout;     /* seconds from the request line to the end of its headers */
	int max_connections;    /* connection slots */
};
int serve_run(const struct serve_opts *o);
/* One request without a socket, on connection d (the HTTP fuzz target; server.c). */
int server_handle_for_fuzz(db *d, const char *method, const char *path, const char *query, const char *headers[], const char *body, size_t len, buf *out);

#endif
