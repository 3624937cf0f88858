/* server — libmicrohttpd (epoll, internal thread pool), the request context,
 * body limits, the transaction around each request, security headers,
 * the access log and a clean shutdown (SPEC §3, §5). */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "html.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "ops_web.h"
#include "util.h"
#include "valid.h"

#define DEFAULT_BODY_LIMIT (64 * 1024)

static const char *g_db_url;
static FILE *g_access_log;
static pthread_mutex_t g_log_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int g_inflight;
static volatile sig_atomic_t g_stopping;

/* One database connection per server thread, opened on first use. All are
 * listed so that shutdown can close them. */
static _Thread_local db *tl_db;
static pthread_mutex_t g_conns_lock = PTHREAD_MUTEX_INITIALIZER;
static db *g_conns[256];
static int g_nconns;

static db *thread_db(void)
{
	if (tl_db)
		return tl_db;
	char err[512];
	db *d = db_open(g_db_url, err, sizeof err);
	if (!d) {
		fprintf(stderr, "dangjian: database: %s\n", err);
		return NULL;
	}
	pthread_mutex_lock(&g_conns_lock);
	if (g_nconns < (int)(sizeof g_conns / sizeof g_conns[0]))
		g_conns[g_nconns++] = d;
	pthread_mutex_unlock(&g_conns_lock);
	tl_db = d;
	return d;
}

/* ---- key/value lists ---- */

void kvlist_add(kvlist *l, const char *key, size_t klen, const char *val, size_t vlen)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
	}
	kv *e = &l->v[l->n++];
	memset(e, 0, sizeof *e);
	e->key = strndup(key, klen);
	e->val = malloc(vlen + 1);
	memcpy(e->val, val, vlen);
	e->val[vlen] = 0;
	e->len = vlen;
}

const kv *kvlist_get(const kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return &l->v[i];
	return NULL;
}

void kvlist_free(kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].val);
		free(l->v[i].filename);
		free(l->v[i].content_type);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ---- parsing ---- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one urlencoded component into out; false on a broken %-escape. */
static bool urldecode(const char *s, size_t n, buf *out)
{
	buf_reset(out);
	buf_reserve(out, n);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+')
			buf_putc(out, ' ');
		else if (s[i] == '%') {
			if (i + 2 >= n)
				return false;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return false;
			buf_putc(out, (char)(h * 16 + l));
			i += 2;
		} else
			buf_putc(out, s[i]);
	}
	if (!out->p)
		buf_reserve(out, 0), out->p[0] = 0;
	return true;
}

bool form_urldecode(const char *s, size_t n, kvlist *l)
{
	buf k = {0}, v = {0};
	bool ok = true;
	size_t i = 0;
	while (i < n && ok) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		if (end > i) {
			size_t eq = i;
			while (eq < end && s[eq] != '=')
				eq++;
			ok = urldecode(s + i, eq - i, &k) && urldecode(s + (eq < end ? eq + 1 : end), eq < end ? end - eq - 1 : 0, &v);
			if (ok && k.len > 0)
				kvlist_add(l, k.p, k.len, buf_str(&v), v.len);
		}
		i = end + 1;
	}
	buf_free(&k);
	buf_free(&v);
	return ok;
}

bool route_match(const char *pattern, const char *path, kvlist *params)
{
	const char *p = pattern, *s = path;
	while (*p) {
		if (*p == '*')
			return true;
		if (*p == ':') {
			const char *name = ++p;
			while (*p && *p != '/')
				p++;
			const char *seg = s;
			while (*s && *s != '/')
				s++;
			if (s == seg)
				return false;
			if (params)
				kvlist_add(params, name, (size_t)(p - name), seg, (size_t)(s - seg));
			continue;
		}
		if (*p != *s)
			return false;
		p++, s++;
	}
	return *s == 0;
}

/* ---- request accessors ---- */

const char *req_query(req *r, const char *key)
{
	const kv *e = kvlist_get(&r->query, key);
	return e ? e->val : NULL;
}

const kv *req_form_kv(req *r, const char *key) { return kvlist_get(&r->form, key); }

const char *req_form(req *r, const char *key)
{
	const kv *e = kvlist_get(&r->form, key);
	return e ? e->val : NULL;
}

const char *req_param(req *r, const char *key)
{
	const kv *e = kvlist_get(&r->path_params, key);
	return e ? e->val : NULL;
}

int64_t req_param_id(req *r, const char *key) { return parse_id(req_param(r, key)); }

const char *req_header(req *r, const char *name) { return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name); }
const char *req_cookie(req *r, const char *name) { return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name); }
bool req_is_post(req *r) { return !strcmp(r->method, "POST"); }

void req_set_header(req *r, const char *name, const char *value) { kvlist_add(&r->headers, name, strlen(name), value, strlen(value)); }

void req_set_cookie(req *r, const char *name, const char *value, int max_age, bool http_only)
{
	buf c = {0};
	buf_printf(&c, "%s=%s; Path=/; SameSite=Lax%s", name, value, http_only ? "; HttpOnly" : "");
	if (max_age >= 0)
		buf_printf(&c, "; Max-Age=%d", max_age);
	req_set_header(r, "Set-Cookie", buf_str(&c));
	buf_free(&c);
}

void req_redirect(req *r, const char *location)
{
	r->status = 303;
	buf_reset(&r->out);
	req_set_header(r, "Location", location);
}

void req_json_begin(req *r, int status)
{
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	buf_reset(&r->out);
}

void req_error(req *r, int status, const char *code, const char *message)
{
	if (r->route && (r->route->flags & RF_API)) {
		req_json_begin(r, status);
		buf_puts(&r->out, "{\"error\":{\"code\":");
		json_escape(&r->out, code);
		buf_puts(&r->out, ",\"message\":");
		json_escape(&r->out, message);
		buf_puts(&r->out, "}}");
		return;
	}
	buf_reset(&r->out);
	r->page_open = false;
	r->status = 200;
	page_begin(r, status == 404 ? "页面不存在" : status == 403 ? "无权访问" : "出错了");
	html_printf(&r->out, "<div class=\"empty\"><p class=\"error-text\">%s</p><p><a class=\"btn\" href=\"/\">返回首页</a></p></div>", message);
	page_end(r);
	r->status = status;
}

/* ---- per-connection state ---- */

static void req_free(req *r)
{
	kvlist_free(&r->path_params);
	kvlist_free(&r->query);
	kvlist_free(&r->form);
	kvlist_free(&r->headers);
	buf_free(&r->body);
	buf_free(&r->out);
	free(r->scope);
	free(r->errors);
	if (r->json)
		req_json_free(r);
	free(r);
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	kvlist_add(cls, key, strlen(key), value ? value : "", value ? strlen(value) : 0);
	return MHD_YES;
}

static enum MHD_Result collect_post(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename, const char *content_type,
				    const char *transfer_encoding, const char *data, uint64_t off, size_t size)
{
	(void)kind, (void)transfer_encoding;
	kvlist *l = cls;
	kv *last = l->n ? &l->v[l->n - 1] : NULL;
	if (off > 0 && last && !strcmp(last->key, key)) { /* a continued chunk of the same part */
		last->val = realloc(last->val, last->len + size + 1);
		memcpy(last->val + last->len, data, size);
		last->len += size;
		last->val[last->len] = 0;
		return MHD_YES;
	}
	kvlist_add(l, key, strlen(key), data ? data : "", data ? size : 0);
	if (filename)
		l->v[l->n - 1].filename = strdup(filename);
	if (content_type)
		l->v[l->n - 1].content_type = strdup(content_type);
	return MHD_YES;
}

static bool parse_body(req *r)
{
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || !r->body.len)
		return true;
	if (!strncasecmp(ct, "application/x-www-form-urlencoded", 33))
		return form_urldecode(r->body.p, r->body.len, &r->form);
	if (!strncasecmp(ct, "multipart/form-data", 19)) {
		struct MHD_PostProcessor *pp = MHD_create_post_processor(r->conn, 16 * 1024, collect_post, &r->form);
		if (!pp)
			return false;
		enum MHD_Result ok = MHD_post_process(pp, r->body.p, r->body.len);
		MHD_destroy_post_processor(pp);
		return ok == MHD_YES;
	}
	return true; /* JSON and others: handlers read r->body */
}

/* Every text field of a form (urlencoded or multipart, files aside) and of the
 * query string must be UTF-8: PostgreSQL refuses anything else at the first
 * statement that binds it, aborting the request's transaction, and SQLite
 * would store it. Checked here once for both engines (issue 8 §8), naming the
 * field; the usual fields by their Chinese names. */
static const char *field_label(const char *name)
{
	static const char *const labels[] = {
		"username", "用户名", "password", "密码", "content", "诉求内容", "contact_name", "联系人", "contact_phone", "手机号", "_key",
		"表单编号", "name",   "姓名",     "note", "说明",    "q",        "搜索词",       NULL,
	};
	for (const char *const *p = labels; *p; p += 2)
		if (!strcmp(p[0], name))
			return p[1];
	return NULL;
}

static bool text_is_utf8(req *r)
{
	const kvlist *lists[] = {&r->query, &r->form};
	for (int li = 0; li < 2; li++)
		for (size_t i = 0; i < lists[li]->n; i++) {
			const kv *f = &lists[li]->v[i];
			if (f->filename || (utf8_valid(f->key) && utf8_valid(f->val)))
				continue;
			struct field_errors e = {0};
			const char *name = utf8_valid(f->key) ? f->key : "_form", *label = field_label(name);
			if (label)
				ferr_add(&e, name, "%s格式不正确：含有无效的字符编码，请使用 UTF-8 文字", label);
			else if (strcmp(name, "_form"))
				ferr_add(&e, name, "“%.60s”格式不正确：含有无效的字符编码，请使用 UTF-8 文字", name);
			else
				ferr_add(&e, name, "字段名含有无效的字符编码，请使用 UTF-8 文字");
			int status = li == 0 ? 400 : 422; /* a bad address, or a bad form */
			if (r->route->flags & RF_API)
				req_error_fields(r, status, li == 0 ? "bad_query" : "invalid", e.e[0].msg, &e);
			else
				req_error(r, status, li == 0 ? "bad_query" : "invalid", e.e[0].msg);
			return false;
		}
	return true;
}

/* ---- dispatch ---- */

static void client_ip(req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->ip, sizeof r->ip, "unknown");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->ip, sizeof r->ip);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->ip, sizeof r->ip);
	/* Behind nginx the peer is the proxy; trust its X-Real-IP only from loopback. */
	const char *real = req_header(r, "X-Real-IP");
	if (real && (!strcmp(r->ip, "127.0.0.1") || !strcmp(r->ip, "::1")) && strlen(real) < sizeof r->ip)
		snprintf(r->ip, sizeof r->ip, "%s", real);
}

static bool csrf_ok(req *r)
{
	const char *sent = req_form(r, "_csrf");
	const char *want = r->logged_in ? r->csrf : req_cookie(r, "dj_csrf");
	return sent && want && *want && str_eq_ct(sent, want);
}

static void run_handler(req *r)
{
	const route *rt = r->route;
	bool own_tx = rt->flags & RF_OWNTX;
	if (!(rt->flags & RF_NODB)) {
		r->db = thread_db();
		if (!r->db) {
			req_error(r, 503, "db_unavailable", "数据库暂时无法连接，请稍后再试");
			return;
		}
		/* any method but GET and HEAD may write: take the write lock up front */
		if (!own_tx && db_begin(r->db, strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) != DB_OK) {
			req_error(r, 503, "db_busy", "系统繁忙，请稍后再试");
			return;
		}
		auth_load_session(r);
	}
	const char *lang = req_cookie(r, "dj_lang");
	r->hant = lang && !strcmp(lang, "hant");

	if (rt->roles != R_PUBLIC) {
		if (!r->logged_in) {
			if (rt->flags & RF_API)
				req_error(r, 401, "unauthorized", "需要登录：请提供有效的 Bearer 令牌");
			else {
				buf loc = {0};
				buf_puts(&loc, "/login?next=");
				url_encode(&loc, r->path);
				req_redirect(r, buf_str(&loc));
				buf_free(&loc);
			}
			return;
		}
		if (!(r->actor.role & rt->roles)) {
			req_error(r, 403, "forbidden", "您的角色无权访问此页面");
			return;
		}
	}
	if (!parse_body(r)) {
		req_error(r, 400, "bad_body", "请求内容格式错误");
		return;
	}
	if (req_is_post(r) && !(rt->flags & (RF_API | RF_NOCSRF)) && !csrf_ok(r)) {
		req_error(r, 403, "csrf", "页面已过期或来源无效（CSRF 校验失败），请刷新页面后重试");
		return;
	}
	if (!text_is_utf8(r))
		return;
	rt->handler(r);
}

static void finish_tx(req *r)
{
	if (!r->db || !db_in_tx(r->db))
		return;
	if (r->status >= 400 || r->failed)
		db_rollback(r->db);
	else if (db_commit(r->db) != DB_OK) {
		fprintf(stderr, "dangjian: commit failed: %s\n", db_errmsg(r->db));
		req_error(r, 503, "db_busy", "保存失败，请稍后再试");
	}
}

static const char *status_text(int status)
{
	switch (status) {
	case 404: return "未找到";
	case 405: return "不支持的请求方法";
	case 413: return "提交的内容过大";
	default: return "请求错误";
	}
}

static enum MHD_Result respond(struct MHD_Connection *c, req *r)
{
	if (r->hant && r->content_type && !strncmp(r->content_type, "text/html", 9))
		layout_to_hant(&r->out);
	size_t len = r->out.len;
	char *body = buf_detach(&r->out);
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type ? r->content_type : "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
				"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	bool has_cache = false;
	for (size_t i = 0; i < r->headers.n; i++) {
		MHD_add_response_header(resp, r->headers.v[i].key, r->headers.v[i].val);
		if (!strcasecmp(r->headers.v[i].key, "Cache-Control"))
			has_cache = true;
	}
	if (!has_cache)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result quick_error(struct MHD_Connection *c, req *r, int status)
{
	r->status = status;
	if (r->route && (r->route->flags & RF_API))
		req_error(r, status, status == 413 ? "too_large" : status == 405 ? "method" : "not_found", status_text(status));
	else {
		buf_reset(&r->out);
		html_printf(&r->out, "<!doctype html><meta charset=\"utf-8\"><title>%d</title><p>%d %s</p>", status, status, status_text(status));
	}
	return respond(c, r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)cls, (void)version;
	req *r = *con_cls;
	if (!r) {
		r = calloc(1, sizeof *r);
		*con_cls = r;
		atomic_fetch_add(&g_inflight, 1);
		r->conn = c;
		r->method = method;
		r->path = url;
		r->status = 200;
		r->start_ns = now_ns();
		client_ip(r);
		actor_public(&r->actor, r->ip);
		bool mismatch;
		r->route = routes_find(routes_table(NULL, 0), method, url, &r->path_params, &mismatch);
		if (!r->route)
			return quick_error(c, r, mismatch ? 405 : 404);
		size_t limit = r->route->body_limit ? r->route->body_limit : DEFAULT_BODY_LIMIT;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > limit)
			return quick_error(c, r, 413);
		return MHD_YES;
	}
	if (*upload_size) {
		size_t limit = r->route->body_limit ? r->route->body_limit : DEFAULT_BODY_LIMIT;
		if (!r->body_too_large && r->body.len + *upload_size <= limit)
			buf_append(&r->body, upload_data, *upload_size);
		else {
			r->body_too_large = true; /* keep reading, keep nothing */
			buf_free(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->responded)
		return MHD_YES;
	r->responded = true;
	if (r->body_too_large)
		return quick_error(c, r, 413);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, &r->query);
	run_handler(r);
	finish_tx(r);
	return respond(c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	req *r = *con_cls;
	if (!r)
		return;
	uint64_t us = (now_ns() - r->start_ns) / 1000;
	metrics_record(r->route ? (int)(r->route - routes_table(NULL, 0)->v) : -1, r->status, us);
	if (g_access_log) {
		char ts[32];
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
		pthread_mutex_lock(&g_log_lock);
		fprintf(g_access_log, "%s %s \"%s %s\" %d %.3fms user=%s\n", ts, r->ip, r->method, r->path, r->status, (double)us / 1000.0,
			r->logged_in ? r->actor.username : "-");
		pthread_mutex_unlock(&g_log_lock);
	}
	req_free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&g_inflight, 1);
}

int server_inflight(void) { return atomic_load(&g_inflight); }

/* The minute timer: runs the background tasks until the server stops. */
static void *background_loop(void *arg)
{
	(void)arg;
	db *d = NULL;
	for (int tick = 0; !g_stopping; tick++) {
		if (tick % 60 == 0) {
			char err[256];
			if (!d && !(d = db_open(g_db_url, err, sizeof err)))
				fprintf(stderr, "dangjian: background: %s\n", err);
			int changed;
			if (d)
				modules_run_tasks(d, now_unix(), &changed);
		}
		sleep(1);
	}
	db_close(d);
	return NULL;
}

int serve_run(const struct serve_opts *o)
{
	g_db_url = o->db_url;
	char err[512];
	if (!routes_table(err, sizeof err)) {
		fprintf(stderr, "dangjian: %s\n", err);
		return 1;
	}
	db *d = db_open(o->db_url, err, sizeof err);
	if (!d) {
		fprintf(stderr, "dangjian: database: %s\n", err);
		return 1;
	}
	int n = db_migrate(d, err, sizeof err);
	db_close(d);
	if (n < 0) {
		fprintf(stderr, "dangjian: migrate: %s\n", err);
		return 1;
	}
	if (!strcmp(o->access_log, "-"))
		g_access_log = stderr;
	else if (strcmp(o->access_log, "off")) {
		g_access_log = fopen(o->access_log, "a");
		if (!g_access_log) {
			fprintf(stderr, "dangjian: access log %s: %s\n", o->access_log, strerror(errno));
			return 1;
		}
		setvbuf(g_access_log, NULL, _IOLBF, 0);
	}

	struct sockaddr_in sa4;
	struct sockaddr_in6 sa6;
	struct sockaddr *sa;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	memset(&sa4, 0, sizeof sa4);
	memset(&sa6, 0, sizeof sa6);
	if (inet_pton(AF_INET, o->listen, &sa4.sin_addr) == 1) {
		sa4.sin_family = AF_INET;
		sa4.sin_port = htons((uint16_t)o->port);
		sa = (struct sockaddr *)&sa4;
	} else if (inet_pton(AF_INET6, o->listen, &sa6.sin6_addr) == 1) {
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons((uint16_t)o->port);
		sa = (struct sockaddr *)&sa6;
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "dangjian: --listen: not an IP address: %s\n", o->listen);
		return 2;
	}

	/* Signals are taken by this thread alone (sigwait), not by the pool. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *daemon = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, sa,
						     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads, MHD_OPTION_CONNECTION_TIMEOUT,
						     (unsigned)o->idle_timeout, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->per_ip_limit,
						     MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
						     /* the per-connection pool bounds the request headers (a larger header gets 431);
		 * it is cleared between keep-alive requests, so bigger costs time too */
						     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE,
						     (unsigned)511, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (!daemon) {
		fprintf(stderr, "dangjian: cannot listen on %s:%d\n", o->listen, o->port);
		return 1;
	}
	fprintf(stderr, "dangjian: serving http://%s:%d/ with %d threads, database %s\n", o->listen, o->port, o->threads,
		strncmp(o->db_url, "postgres", 8) ? o->db_url : "postgresql");

	pthread_t bg;
	bool bg_started = pthread_create(&bg, NULL, background_loop, NULL) == 0;
	int sig = 0;
	sigwait(&set, &sig);
	g_stopping = 1;
	if (bg_started)
		pthread_join(bg, NULL);
	fprintf(stderr, "dangjian: %s received, finishing requests in flight\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	MHD_socket ls = MHD_quiesce_daemon(daemon);
	for (int i = 0; i < 100 && atomic_load(&g_inflight) > 0; i++)
		usleep(100 * 1000);
	MHD_stop_daemon(daemon);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	pthread_mutex_lock(&g_conns_lock);
	for (int i = 0; i < g_nconns; i++)
		db_close(g_conns[i]);
	g_nconns = 0;
	pthread_mutex_unlock(&g_conns_lock);
	layout_shutdown();
	if (g_access_log && g_access_log != stderr)
		fclose(g_access_log);
	fprintf(stderr, "dangjian: stopped\n");
	return 0;
}
