/* server — libmicrohttpd (epoll, internal thread pool), the request context,
 * body limits, the transaction around each request, security headers,
 * the access log and a clean shutdown (SPEC §3, §5). */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "checkin.h"
#include "compress.h"
#include "html.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "ops_web.h"
#include "order_summary.h"
#include "settings.h"
#include "util.h"
#include "valid.h"

#define DEFAULT_BODY_LIMIT (64 * 1024)
#define STOP_GRACE_NS (5000000000ull) /* SIGTERM: requests in flight may finish this long */
#define STOP_HARD_NS (8000000000ull)  /* then are stopped, and the daemon goes at this */

static const char *g_db_url;
static FILE *g_access_log;
static pthread_mutex_t g_log_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int g_inflight;
static volatile sig_atomic_t g_stopping;

/* The time budget of a request (setting request_timeout, issue 9 §5), and the
 * test hook that makes the requests under one path slow (DANGJIAN_TEST_SLOW_PATH,
 * read by serve: every statement of theirs first runs a slow one, db_test_slow). */
static atomic_int g_budget_ms = 5000;
static const char *g_slow_path;
static const atomic_bool *track_gone(struct MHD_Connection *c);

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

/* A request run without a connection (server_handle_for_fuzz) reads its
 * headers and cookies from these lists, set for the call on its thread. */
static _Thread_local const kvlist *tl_fake_headers, *tl_fake_cookies;

static const char *fake_lookup(const kvlist *l, const char *name, bool any_case)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (any_case ? !strcasecmp(l->v[i].key, name) : !strcmp(l->v[i].key, name))
			return l->v[i].val;
	return NULL;
}

const char *req_header(req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : fake_lookup(tl_fake_headers, name, true);
}
const char *req_cookie(req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name) : fake_lookup(tl_fake_cookies, name, false);
}
bool req_is_post(req *r) { return !strcmp(r->method, "POST"); }

void req_set_header(req *r, const char *name, const char *value) { kvlist_add(&r->headers, name, strlen(name), value, strlen(value)); }

/* Whether the client reached us over HTTPS: nginx on this host says so in
 * X-Forwarded-Proto (believed only from a loopback peer, like X-Real-IP), or
 * DANGJIAN_COOKIE_SECURE=1 says that every client does. */
static bool over_https(req *r)
{
	const char *all = getenv("DANGJIAN_COOKIE_SECURE");
	if (all && !strcmp(all, "1"))
		return true;
	const char *proto = req_header(r, "X-Forwarded-Proto");
	if (!proto || strcasecmp(proto, "https"))
		return false;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return false;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) == 127;
	return sa->sa_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
}

void req_set_cookie(req *r, const char *name, const char *value, int max_age, bool http_only)
{
	buf c = {0};
	buf_printf(&c, "%s=%s; Path=/; SameSite=Lax%s%s", name, value, http_only ? "; HttpOnly" : "", r->conn && over_https(r) ? "; Secure" : "");
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

static void drop_fd(req *r)
{
	if (r->out_is_fd)
		close(r->out_fd);
	r->out_is_fd = false;
}

void req_send_fd(req *r, int fd, uint64_t size)
{
	drop_fd(r);
	buf_reset(&r->out);
	r->out_is_fd = true;
	r->out_fd = fd;
	r->out_fd_size = size;
}

/* The path of a Referer on this site, or NULL. */
static const char *same_site_referer(req *r)
{
	const char *ref = req_header(r, "Referer"), *host = req_header(r, "Host");
	if (!ref || !host || (strncmp(ref, "http://", 7) && strncmp(ref, "https://", 8)))
		return NULL;
	const char *p = strstr(ref, "//") + 2;
	size_t n = strlen(host);
	return !strncmp(p, host, n) && p[n] == '/' && p[n + 1] != '/' && strlen(p + n) < 512 ? p + n : NULL;
}

void req_error(req *r, int status, const char *code, const char *message)
{
	drop_fd(r);
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
	r->status = status; /* before the page: the shell asks nothing more of a failing transaction */
	page_begin(r, status == 404   ? "页面不存在"
		      : status == 403 ? "无权访问"
		      : status == 405 ? "不支持的请求方法"
		      : status >= 500 ? "系统繁忙"
				      : "出错了");
	/* a way back: the page the user came from (same site), and home */
	html_printf(&r->out, "<div class=\"empty error-page\"><p class=\"error-code\">%d</p><p class=\"error-text\">%s</p><p class=\"actions\">", status,
		    message);
	const char *back = same_site_referer(r);
	if (back)
		html_printf(&r->out, "<a class=\"btn btn-secondary\" href=\"%s\">返回上一页</a>", back);
	html_printf(&r->out, "<a class=\"btn btn-primary\" href=\"%s\">%s</a></p></div>", r->logged_in ? "/console" : "/",
		    r->logged_in ? "返回工作台" : "返回首页");
	page_end(r);
	r->status = status;
}

/* ---- per-connection state ---- */

static void req_free(req *r)
{
	drop_fd(r);
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
	if (!key) /* a part without name="…" names no field (it crashed the server: fuzz_multipart) */
		return MHD_YES;
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

bool form_multipart(struct MHD_Connection *c, const char *body, size_t len, kvlist *form)
{
	struct MHD_PostProcessor *pp = MHD_create_post_processor(c, 16 * 1024, collect_post, form);
	if (!pp)
		return false;
	enum MHD_Result ok = MHD_post_process(pp, body, len);
	MHD_destroy_post_processor(pp);
	return ok == MHD_YES;
}

static bool parse_body(req *r)
{
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || !r->body.len)
		return true;
	if (!strncasecmp(ct, "application/x-www-form-urlencoded", 33))
		return form_urldecode(r->body.p, r->body.len, &r->form);
	if (!strncasecmp(ct, "multipart/form-data", 19))
		/* libmicrohttpd's parser needs a connection: fuzz_multipart covers it */
		return r->conn && form_multipart(r->conn, r->body.p, r->body.len, &r->form);
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

/* text as the canonical form of an IPv4 or IPv6 address into out; out is
 * left as it was when text is anything else. */
static void ip_parse_into(const char *text, char *out, size_t outlen)
{
	unsigned char a[sizeof(struct in6_addr)];
	char canon[INET6_ADDRSTRLEN];
	if (inet_pton(AF_INET, text, a) == 1 && inet_ntop(AF_INET, a, canon, sizeof canon))
		snprintf(out, outlen, "%s", canon);
	else if (inet_pton(AF_INET6, text, a) == 1 && inet_ntop(AF_INET6, a, canon, sizeof canon))
		snprintf(out, outlen, "%s", canon);
}

static void client_ip(req *r)
{
	const union MHD_ConnectionInfo *ci = r->conn ? MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
	snprintf(r->ip, sizeof r->ip, "%s", r->conn ? "unknown" : "127.0.0.1"); /* no connection: a local caller */
	if (!r->conn)
		goto proxy;
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->ip, sizeof r->ip);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->ip, sizeof r->ip);
proxy:;
	/* Behind nginx the peer is the proxy; trust its X-Real-IP only from
	 * loopback, and only when it is an address (it lands in logs and audit.ip) */
	const char *real = req_header(r, "X-Real-IP");
	if (real && (!strcmp(r->ip, "127.0.0.1") || !strcmp(r->ip, "::1")))
		ip_parse_into(real, r->ip, sizeof r->ip);
}

/* Logged in: the session's own token. Else the signed token of the form,
 * over the nonce in the dj_csrf cookie (auth.c). */
static bool csrf_ok(req *r)
{
	const char *sent = req_form(r, "_csrf");
	if (!sent)
		return false;
	if (r->logged_in)
		return *r->csrf && str_eq_ct(sent, r->csrf);
	return auth_csrf_verify(r->db, sent, req_cookie(r, CSRF_COOKIE), now_unix());
}

static bool takes_write_lock(req *r)
{
	const route *rt = r->route;
	if ((strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) || (rt->flags & RF_WRITE))
		return true;
	const char *reveal = req_query(r, "reveal");
	return (rt->flags & RF_WRITE_REVEAL) && reveal && !strcmp(reveal, "1");
}

/* A console form posted after the session ended (idle, or logged out
 * elsewhere): instead of a redirect to the login that would come back to
 * the POST-only address as a GET (a 405), and lose what was typed, a login
 * form that carries the typed fields (never passwords or files) and, once
 * logged in, offers them to be submitted again (site_web.c). Only for a
 * form this site made (Sec-Fetch-Site or Origin): another site cannot
 * prefill it. */
static void session_expired(req *r)
{
	const char *site = req_header(r, "Sec-Fetch-Site"), *origin = req_header(r, "Origin"), *host = req_header(r, "Host");
	const char *oh = origin && strstr(origin, "//") ? strstr(origin, "//") + 2 : NULL;
	bool ours = site ? !strcmp(site, "same-origin") : oh && host && !strcmp(oh, host);
	bool parsed = ours && parse_body(r);
	const char *back = same_site_referer(r);
	buf act = {0};
	buf_puts(&act, "/login?next=");
	url_encode(&act, back ? back : "/console");
	page_begin(r, "登录已过期");
	buf_puts(&r->out, "<div class=\"login-box\"><div class=\"flash flash-error\" role=\"alert\">登录已过期，请重新登录。");
	if (parsed)
		buf_puts(&r->out, "您刚才填写的内容已保留，登录后可以继续提交。");
	buf_puts(&r->out, "</div>");
	form_begin(r, buf_str(&act));
	buf_free(&act);
	if (parsed) {
		html_printf(&r->out, "<input type=\"hidden\" name=\"_resubmit\" value=\"%s\">", r->path);
		form_keep_fields(r, KEEP_WRAP);
	}
	form_input(r, "username", "用户名或手机号", "text", "", NULL);
	form_input(r, "password", "密码", "password", "", NULL);
	form_end(r, "登录");
	buf_puts(&r->out, "</div>");
	page_end(r);
	r->status = 401;
}

/* Every statement of the request runs within its deadline, counted from the
 * arrival of its headers (the writer's queue included), and stops when its
 * client has gone (the reaper sees the socket closed) or the server stops. */
static void budget_start(req *r)
{
	r->deadline_ns = r->start_ns + (uint64_t)atomic_load(&g_budget_ms) * 1000000u;
	db_set_budget(r->db, r->deadline_ns, r->conn ? track_gone(r->conn) : NULL);
	if (g_slow_path && !strncmp(r->path, g_slow_path, strlen(g_slow_path)))
		db_test_slow(r->db, true);
}

static void budget_end(db *d)
{
	db_set_budget(d, 0, NULL);
	db_test_slow(d, false);
}

static bool past_budget(req *r) { return db_interrupted(r->db) || now_ns() > r->deadline_ns; }

/* Past the deadline (or the client gone, or the server stopping): whatever the
 * handler said, the answer is 503 with Retry-After, and its transaction was
 * rolled back. */
static void answer_late(req *r)
{
	kvlist_free(&r->headers);
	req_error(r, 503, "timeout", "请求处理超时，请稍后再试");
	req_set_header(r, "Retry-After", "5");
}

static void run_handler(req *r)
{
	const route *rt = r->route;
	bool own_tx = rt->flags & RF_OWNTX;
	if (!(rt->flags & RF_NODB)) {
		bool batched = r->db != NULL; /* the writer's connection, in its open transaction */
		if (!batched)
			r->db = thread_db();
		if (!r->db) {
			req_error(r, 503, "db_unavailable", "数据库暂时无法连接，请稍后再试");
			return;
		}
		budget_start(r);
		/* any method but GET and HEAD may write, and so does an audited read:
		 * take the write lock up front */
		if (!own_tx && !batched && db_begin(r->db, takes_write_lock(r)) != DB_OK) {
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
			else if (req_is_post(r))
				session_expired(r);
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
	if (!r->db)
		return;
	/* a handler with its own transaction has committed or not by now: its
	 * answer is replaced only when it failed on an interrupted statement */
	bool own_tx = r->route->flags & RF_OWNTX;
	bool late = own_tx ? db_interrupted(r->db) && (r->status >= 400 || r->failed) : past_budget(r);
	if (db_in_tx(r->db)) {
		if (late || r->status >= 400 || r->failed)
			db_rollback(r->db);
		else if (db_commit(r->db) != DB_OK) {
			fprintf(stderr, "dangjian: commit failed: %s\n", db_errmsg(r->db));
			req_error(r, 503, "db_busy", "保存失败，请稍后再试");
		}
	}
	if (late)
		answer_late(r);
	budget_end(r->db);
}

/* ---- group commit (SQLite) ----
 * SQLite has one writer, and with synchronous=FULL each commit waits for an
 * fsync. Rather than have the server threads queue for the write lock (each
 * one transaction, one fsync, and the busy handler's sleeps between tries), a
 * request that writes is handed to one writer thread: its connection is
 * suspended, and the writer takes everything queued, opens one BEGIN
 * IMMEDIATE, runs each request's handler inside a SAVEPOINT of its own
 * (released when it succeeded, rolled back to when it failed, so a request
 * is still all or nothing), commits once, and only then resumes the
 * connections, whose threads send the answers. So many requests share one
 * fsync, and none is answered before its data is durable. While the batch
 * runs, the next one queues. The fsync itself is not the writer's either
 * (db_sync_later): its COMMIT only writes the WAL, and the batch goes to the
 * syncer thread, which fdatasyncs the WAL once for every batch committed
 * since its last round and only then resumes their connections, while the
 * writer already runs the next batch; a third thread checkpoints on its own
 * connection (docs/architecture.md says why no answer goes out before its
 * data is on disk). A statement of the batch that runs past its
 * request's budget is stopped only when it reads (SQLite rolls the whole
 * transaction back when it interrupts a write); a write is refused before it
 * starts. When the engine rolls the transaction back all the same (a full
 * disk, an I/O error), the requests released so far in it are answered 503,
 * as a failed commit is. PostgreSQL has no such queue: each server thread
 * writes on its own connection, in parallel. */

enum { WQ_NONE, WQ_QUEUED, WQ_DONE };

struct workq {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	req *head, *tail;
	bool on, stop;
};

/* g_wq: the SQLite writer's; g_pq: PostgreSQL's write workers'; g_rq: the
 * workers' (every other request that uses the database). Writes and reads
 * queue apart, so slow pages never hold up the writes. */
static struct workq g_wq = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, false, false},
		    g_pq = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, false, false},
		    g_rq = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, false, false};
static db *g_writer_db;
/* g_sq: batches committed by the writer, waiting for the syncer's fdatasync
 * (when g_sync_later); g_commits: the writer's commits, for the checkpointer */
static struct workq g_sq = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, false, false};
static bool g_sync_later;
static atomic_uint_fast64_t g_commits;
static atomic_bool g_ckpt_stop;
/* test hook (DANGJIAN_TEST_SYNC_FAIL=N): the syncer's first N rounds fail as
 * a failed fdatasync would */
static atomic_int g_test_sync_fail;
static db *g_ckpt_db;
/* The writes handed to the SQLite writer and not yet answered (queued, in
 * its batch or waiting for the syncer's fdatasync). Long reads give way to
 * writes while more than one is, i.e. while writes queue: one client writing
 * one request after another (an import, a busy counter) leaves them at most
 * one, and the reads run as before; at a town's real rates (a theme day's
 * check-ins: a few a second, each answered in a few ms) two at once are rare.
 * Measured (docs/performance.md, "Long reads sleep while writes queue"): counting
 * only the writes queued or in the writer's batch (not those waiting for the
 * fdatasync, which needs no CPU) kept 81-88 % of the orders' rate beside 16
 * slow reads, counting them all 87-95 % (both with one turn in 20 ms; one
 * in 40, taken: 86-96 %): between the writer's batches the server threads
 * read and parse the next requests. */
#define WRITES_QUEUE 2
static atomic_int g_writes_waiting;
static bool writes_waiting(void) { return atomic_load_explicit(&g_writes_waiting, memory_order_relaxed) >= WRITES_QUEUE; }

/* On the server thread: true when r is now the queue's (its connection suspended). */
static bool wq_push(struct workq *q, struct MHD_Connection *c, req *r)
{
	pthread_mutex_lock(&q->lock);
	bool ok = q->on && !q->stop;
	if (ok) {
		r->wq_stage = WQ_QUEUED;
		r->wq_next = NULL;
		MHD_suspend_connection(c);
		if (q->tail)
			q->tail->wq_next = r;
		else
			q->head = r;
		q->tail = r;
		if (q == &g_wq)
			atomic_fetch_add_explicit(&g_writes_waiting, 1, memory_order_relaxed);
		pthread_cond_signal(&q->cv);
	}
	pthread_mutex_unlock(&q->lock);
	return ok;
}

/* Blocks until there is work: everything queued (all) or the first request,
 * as a list; NULL when the queue is stopped and empty. */
static req *wq_take(struct workq *q, bool all)
{
	pthread_mutex_lock(&q->lock);
	while (!q->head && !q->stop)
		pthread_cond_wait(&q->cv, &q->lock);
	req *list = q->head;
	if (list && !all) {
		q->head = list->wq_next;
		list->wq_next = NULL;
		if (!q->head)
			q->tail = NULL;
	} else
		q->head = q->tail = NULL;
	pthread_mutex_unlock(&q->lock);
	return list;
}

static void wq_stop(struct workq *q)
{
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->lock);
}

/* The answer is ready: the connection's own server thread sends it. */
static void wq_answered(req *r)
{
	r->wq_stage = WQ_DONE;
	MHD_resume_connection(r->conn);
}

/* Answers a batch (the writer's): the list's requests are the queue's no more. */
static void wq_answer_all(req *list)
{
	for (req *r = list, *next; r; r = next) {
		next = r->wq_next; /* r may be gone once its connection is resumed */
		atomic_fetch_sub_explicit(&g_writes_waiting, 1, memory_order_relaxed);
		r->wq_pending = false;
		wq_answered(r);
	}
}

/* The writer hands a committed batch to the syncer. */
static void sq_push(req *list)
{
	req *tail = list;
	while (tail->wq_next)
		tail = tail->wq_next;
	pthread_mutex_lock(&g_sq.lock);
	if (g_sq.tail)
		g_sq.tail->wq_next = list;
	else
		g_sq.head = list;
	g_sq.tail = tail;
	pthread_cond_signal(&g_sq.cv);
	pthread_mutex_unlock(&g_sq.lock);
}

static void wq_fail(req *r, const char *message)
{
	r->wq_pending = false;
	req_error(r, 503, "db_busy", message);
}

/* The WAL starts again from its beginning only when a write begins while
 * every frame in it has been checkpointed; the checkpointer alone never gets
 * there under a steady load (the writer appends while it copies), so the WAL
 * grew by every batch — hundreds of MB in seconds of placing orders, each
 * frame written to a new part of the file (ext4 allocates and zeroes it: 15 %
 * of the writer). Past WAL_RESTART_FRAMES (32 MB of 4 KiB pages) the writer
 * checkpoints between two batches, what the checkpointer has not copied yet:
 * its next batch restarts the WAL, which stays that size and is rewritten in
 * place. */
#define WAL_RESTART_FRAMES 8192
static void wal_restart(db *d)
{
	if (db_wal_frames(d) > WAL_RESTART_FRAMES && db_checkpoint(d) != DB_OK)
		fprintf(stderr, "dangjian: writer's checkpoint: %s\n", db_errmsg(d));
}

static void wq_batch(db *d, req *list)
{
	order_summary_defer_clear(); /* nothing of an earlier batch is left over */
	bool open = db_begin(d, true) == DB_OK;
	bool any = false;
	for (req *r = list; r; r = r->wq_next) {
		if (!open) {
			req_error(r, 503, "db_busy", "系统繁忙，请稍后再试");
			continue;
		}
		r->db = d;
		if (db_savepoint(d) != DB_OK) {
			wq_fail(r, "系统繁忙，请稍后再试");
			continue;
		}
		run_handler(r);
		bool late = past_budget(r);
		if (late || r->status >= 400 || r->failed) {
			db_rollback_to(d);
			order_summary_defer_drop();
		} else if (db_release(d) != DB_OK) {
			db_rollback_to(d);
			order_summary_defer_drop();
			wq_fail(r, "保存失败，请稍后再试");
		} else {
			r->wq_pending = any = true;
			order_summary_defer_keep();
		}
		if (late)
			answer_late(r);
		budget_end(d);
		if (db_tx_lost(d)) { /* the engine rolled the batch back: the work released in it is gone */
			fprintf(stderr, "dangjian: write batch rolled back: %s\n", db_errmsg(d));
			for (req *p = list; p != r->wq_next; p = p->wq_next)
				if (p->wq_pending)
					wq_fail(p, "保存失败，请稍后再试");
			any = false;
			order_summary_defer_clear();
			open = db_begin(d, true) == DB_OK;
		}
	}
	bool committed = false;
	/* the statistics' summary rows of the batch's orders, one upsert per
	 * (org, day, kind) (order_summary_defer): in the batch's transaction */
	if (open && any && order_summary_defer_flush(d) != DB_OK) {
		fprintf(stderr, "dangjian: write batch's summary rows failed: %s\n", db_errmsg(d));
		db_rollback(d);
		for (req *p = list; p; p = p->wq_next)
			if (p->wq_pending)
				wq_fail(p, "保存失败，请稍后再试");
		open = false;
	} else if (open && any && db_commit(d) != DB_OK) {
		fprintf(stderr, "dangjian: commit failed: %s\n", db_errmsg(d));
		for (req *p = list; p; p = p->wq_next)
			if (p->wq_pending)
				wq_fail(p, "保存失败，请稍后再试");
	} else if (open && !any)
		db_rollback(d);
	else if (open)
		committed = true;
	if (committed && g_sync_later) {
		atomic_fetch_add(&g_commits, 1);
		sq_push(list); /* answered once the WAL is on disk */
		wal_restart(d);
	} else
		wq_answer_all(list);
}

static void *writer_loop(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "dj-writer"); /* for top -H and perf */
	order_summary_defer(true);                       /* the summary rows once per batch */
	for (req *list; (list = wq_take(&g_wq, true));)
		wq_batch(g_writer_db, list);
	order_summary_defer(false);
	return NULL;
}

/* The syncer: every batch committed since its last round is made durable by
 * one fdatasync of the WAL, then answered. When the sync fails, the requests
 * that committed are answered 503 (their outcome is not known to be on disk:
 * a retry with the same Idempotency-Key gets the stored answer if it is). */
static void *syncer_loop(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "dj-syncer");
	for (req *list; (list = wq_take(&g_sq, true));) {
		bool fail = atomic_load(&g_test_sync_fail) > 0 && atomic_fetch_sub(&g_test_sync_fail, 1) > 0;
		if (fail || db_sync_wal(g_writer_db) != DB_OK) {
			fprintf(stderr, "dangjian: fdatasync of the WAL failed: %s\n", fail ? "DANGJIAN_TEST_SYNC_FAIL" : strerror(errno));
			for (req *p = list; p; p = p->wq_next)
				if (p->wq_pending)
					wq_fail(p, "保存失败，请稍后再试");
		}
		wq_answer_all(list);
	}
	return NULL;
}

/* The checkpointer: the writer does not checkpoint (its COMMIT would wait
 * for two fsyncs every thousand pages); every CKPT_EVERY_MS, when the writer
 * has committed since, a PASSIVE checkpoint on a connection of its own
 * copies the WAL into the database file, beside the writer. */
#define CKPT_EVERY_MS 200
static void *ckpt_loop(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "dj-checkpoint");
	uint_fast64_t seen = 0;
	while (!atomic_load(&g_ckpt_stop)) {
		usleep(CKPT_EVERY_MS * 1000);
		uint_fast64_t now = atomic_load(&g_commits);
		if (now == seen)
			continue;
		seen = now;
		if (db_checkpoint(g_ckpt_db) != DB_OK)
			fprintf(stderr, "dangjian: checkpoint: %s\n", db_errmsg(g_ckpt_db));
	}
	return NULL;
}

/* Which reads go to the workers: the handoff (a suspended connection, a
 * thread switch each way) costs about as much as a fast page itself, so a
 * route whose requests take under ROUTE_INLINE_US on average (an exponential
 * mean over its last few) runs on the server thread that read it, as before;
 * a slower one (statistics, a long list, a password hash) runs on a worker.
 * A route starts as slow: the first requests of an unknown route, all at
 * once, do not hold the server threads either. */
#define ROUTE_INLINE_US 2000
#define ROUTE_SLOTS 1024
static atomic_uint g_route_us[ROUTE_SLOTS];
static atomic_bool g_route_seen[ROUTE_SLOTS];

static int route_slot(const req *r)
{
	int i = (int)(r->route - routes_table(NULL, 0)->v);
	return i >= 0 && i < ROUTE_SLOTS ? i : -1;
}

static bool route_is_slow(const req *r)
{
	int i = route_slot(r);
	return i < 0 || !atomic_load_explicit(&g_route_seen[i], memory_order_relaxed) ||
	       atomic_load_explicit(&g_route_us[i], memory_order_relaxed) >= ROUTE_INLINE_US;
}

static void route_took(const req *r, uint64_t t0)
{
	int i = route_slot(r);
	if (i < 0)
		return;
	uint64_t us = (now_ns() - t0) / 1000;
	unsigned old = atomic_load_explicit(&g_route_us[i], memory_order_relaxed);
	if (!atomic_exchange_explicit(&g_route_seen[i], true, memory_order_relaxed))
		old = (unsigned)(us > 100000000 ? 100000000 : us);
	long long next = (long long)old + ((long long)(us > 100000000 ? 100000000 : us) - (long long)old) / 8;
	atomic_store_explicit(&g_route_us[i], (unsigned)next, memory_order_relaxed);
}

/* Long reads give way to writes. The reads that go to the workers are the
 * slow ones (route_is_slow: statistics, long lists, a password hash); with
 * the 16 slow statistics requests of bench/writes.sh the four workers held
 * both cores until their deadline, and placing orders fell from ~10,000/s
 * to ~3,500/s (its p99 from 17 to 53 ms). So the read workers run
 * READ_WORKER_NICE steps nicer than the process (Linux: nice is per thread,
 * setpriority on the thread id), once, when they start, and for good: a
 * thread may lower its own priority without privilege, but raising it back
 * needs CAP_SYS_NICE or RLIMIT_NICE, which `dangjian serve` under systemd
 * does not have. The server threads (which read and answer connections and
 * run the fast pages), the SQLite writer, its syncer and checkpointer, and
 * PostgreSQL's write workers keep the process's priority. A nice 10 thread
 * weighs 110 to a nice 0 thread's 1024 (CFS/EEVDF): when the cores are
 * free the reads take them all; beside writes, the writes take what they
 * need first (bench/writes.sh: 58-77 % of the alone rate beside the 16,
 * main 27-31 %; docs/performance.md "Long reads give way to writes").
 * Not taken: SCHED_IDLE (a little more for the writes, but a long read or
 * a login's password hash would get nothing while anything else on the
 * machine runs), nice 19 (no better), a shorter EEVDF slice (worse), and
 * one read worker on 2 cores (a login would wait behind a 2 s page; the
 * cap below holds back only the long reads). The deadline still holds for
 * a long read: it is counted in wall time, and a thread that runs at all
 * (and nice never stops it from running) checks it in SQLite's progress
 * handler. On PostgreSQL a long read's work is the database server's,
 * not this thread's: there the workers only wait for it. */
#define READ_WORKER_NICE 10
static atomic_int g_read_nice_failed;
static void read_worker_yield(void)
{
	id_t tid = (id_t)gettid();
	errno = 0;
	int now = getpriority(PRIO_PROCESS, tid);
	if (now == -1 && errno)
		now = 0;
	int want = now + READ_WORKER_NICE > 19 ? 19 : now + READ_WORKER_NICE;
	if (want > now && setpriority(PRIO_PROCESS, tid, want) != 0 && !atomic_exchange(&g_read_nice_failed, 1))
		fprintf(stderr, "dangjian: read workers keep their priority: setpriority: %s\n", strerror(errno));
}

/* And on SQLite at most (cores - 1) long reads run at once (one on 2
 * cores): a read whose route takes over LONG_READ_US on average (a
 * statistics page near its deadline; above a login's ~140 ms password hash)
 * waits for one of g_long_free slots on its worker, within its own deadline
 * (then 503 with Retry-After, as any late request) or until the server
 * stops. Beside the nice, this kept 45-94 % of the alone rate against
 * 41-54 % without it in the same runs. A route not yet measured is not
 * long. PostgreSQL has no cap: its long reads' CPU is the database
 * server's, maybe on another machine.
 * With the nice and the cap the one long read still took 0.85 of a core
 * (the order pipeline sleeps on its syncs and round trips, and the
 * scheduler hands the read the core each time): the orders kept 65-66 % of
 * their rate. So, last, on SQLite every read on a worker that has run 20 ms
 * gives way while writes queue (db_set_give_way; writes_waiting above): its
 * statement sleeps in SQLite's progress handler and takes one 1 ms turn in
 * every 40 ms; the slow reads take 0.06-0.10 cores and the orders keep
 * 86-92 % (docs/performance.md, "Long reads sleep while writes queue"). */
#define LONG_READ_US 250000
static pthread_mutex_t g_long_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_long_cv = PTHREAD_COND_INITIALIZER;
static int g_long_free = 1 << 20;

static bool route_is_long(const req *r)
{
	int i = route_slot(r);
	return i >= 0 && atomic_load_explicit(&g_route_seen[i], memory_order_relaxed) &&
	       atomic_load_explicit(&g_route_us[i], memory_order_relaxed) >= LONG_READ_US;
}

/* 1: a slot taken; 0: not a long read; -1: its deadline or the stop came first */
static int long_read_enter(const req *r)
{
	if (!route_is_long(r))
		return 0;
	uint64_t deadline = r->start_ns + (uint64_t)atomic_load(&g_budget_ms) * 1000000u;
	pthread_mutex_lock(&g_long_lock);
	while (g_long_free <= 0 && !g_stopping && now_ns() < deadline) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000L; /* and look at the clock and the stop again */
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g_long_cv, &g_long_lock, &ts);
	}
	int got = g_long_free > 0 && !g_stopping && now_ns() < deadline ? 1 : -1;
	if (got > 0)
		g_long_free--;
	pthread_mutex_unlock(&g_long_lock);
	return got;
}

static void long_read_leave(void)
{
	pthread_mutex_lock(&g_long_lock);
	g_long_free++;
	pthread_cond_signal(&g_long_cv);
	pthread_mutex_unlock(&g_long_lock);
}

/* A worker: one request at a time on the thread's own connection, as the
 * server threads ran them before. So a slow request (a statistics page near
 * its deadline) holds a worker, not the thread that reads and answers other
 * connections: orders are still placed while every worker is busy. */
static void *worker_loop(void *arg)
{
	struct workq *q = arg;
	pthread_setname_np(pthread_self(), q == &g_rq ? "dj-read" : "dj-pgwrite");
	if (q == &g_rq)
		read_worker_yield();
	for (req *r; (r = wq_take(q, false));) {
		int slot = q == &g_rq ? long_read_enter(r) : 0;
		if (slot < 0) {
			answer_late(r);
			wq_answered(r);
			continue;
		}
		uint64_t t0 = now_ns();
		db *gw = q == &g_rq && g_wq.on ? thread_db() : NULL; /* SQLite: a long read gives way to writes */
		if (gw)
			db_set_give_way(gw, writes_waiting);
		run_handler(r);
		finish_tx(r);
		if (gw)
			db_set_give_way(gw, NULL);
		route_took(r, t0);
		if (slot > 0)
			long_read_leave();
		wq_answered(r);
	}
	return NULL;
}

static const char *status_text(int status)
{
	switch (status) {
	case 404: return "未找到";
	case 405: return "不支持的请求方法";
	case 413: return "提交的内容过大";
	case 503: return "来自同一地址的连接过多，请稍后再试";
	default: return "请求错误";
	}
}

/* A dynamic answer of some size goes gzipped when the client accepts it (issue
 * 10 §10; libmicrohttpd leaves it to us). Not touched: answers whose handler
 * chose a representation (Content-Encoding or ETag, as the static files do), files
 * sent from a descriptor, and requests another site started (Sec-Fetch-Site
 * cross-site or same-site): a page holding the session's CSRF token beside
 * text an attacker can echo must not leak the token through its compressed
 * length (BREACH), and such requests are where an attacker would make them. */
static void compress_answer(req *r)
{
	if (r->out_is_fd || r->out.len < COMPRESS_MIN || !compress_type_ok(r->content_type) || r->status == 204 || r->status == 304)
		return;
	for (size_t i = 0; i < r->headers.n; i++)
		if (!strcasecmp(r->headers.v[i].key, "Content-Encoding") || !strcasecmp(r->headers.v[i].key, "ETag"))
			return;
	req_set_header(r, "Vary", "Accept-Encoding");
	const char *site = req_header(r, "Sec-Fetch-Site");
	if (!accept_encoding_allows(req_header(r, "Accept-Encoding"), "gzip") || (site && strcmp(site, "same-origin") && strcmp(site, "none")))
		return;
	buf z = {0};
	if (gzip_compress(r->out.p, r->out.len, COMPRESS_LEVEL, &z) && z.len < r->out.len) {
		buf_free(&r->out);
		r->out = z;
		req_set_header(r, "Content-Encoding", "gzip");
	} else
		buf_free(&z);
}

static enum MHD_Result respond(struct MHD_Connection *c, req *r)
{
	if (r->hant && r->content_type && !strncmp(r->content_type, "text/html", 9))
		layout_to_hant(&r->out);
	compress_answer(r);
	struct MHD_Response *resp;
	if (r->out_is_fd) { /* the response owns the file from here, and closes it */
		resp = MHD_create_response_from_fd64(r->out_fd_size, r->out_fd);
		if (!resp)
			return MHD_NO; /* req_free closes it */
		r->out_is_fd = false;
	} else {
		size_t len = r->out.len;
		char *body = buf_detach(&r->out);
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!resp) {
			free(body);
			return MHD_NO;
		}
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
		req_error(r, status,
			  status == 413   ? "too_large"
			  : status == 405 ? "method"
			  : status == 503 ? "too_many_connections"
					  : "not_found",
			  status_text(status));
	else {
		/* in the site's layout with a way back (issue 10 §7); no session is
		 * read here, so the page is the visitor's */
		const char *lang = req_cookie(r, "dj_lang");
		r->hant = lang && !strcmp(lang, "hant");
		req_error(r, status,
			  status == 413   ? "too_large"
			  : status == 405 ? "method"
			  : status == 503 ? "too_many_connections"
					  : "not_found",
			  status == 404 ? "页面不存在，请检查地址是否正确" : status_text(status));
	}
	return respond(c, r);
}

/* ---- slow clients ----
 * libmicrohttpd's connection timeout is an idle timeout: a client that sends one
 * header line every few seconds keeps its connection, and its slot, forever. So each
 * connection is tracked from accept to close, with the phase it is in and when that
 * phase began, and a reaper thread shuts down the ones that overstay:
 *   waiting   (accepted, or the previous response sent): the request line within
 *             the idle timeout, counted once, not from the last byte;
 *   headers   (request line received): the rest of the headers within the header
 *             timeout (10 s);
 *   body      (headers complete): after the header timeout, at least
 *             MIN_BODY_RATE bytes a second on average;
 *   handling  (the handler and the response): the idle timeout alone.
 * The per-address connection limit is kept here too rather than by libmicrohttpd,
 * whose limit would count the proxy: behind nginx every user shares 127.0.0.1. A
 * connection from the trusted proxy (the loopback address client_ip trusts) is not
 * counted by its peer; while it carries a request with an X-Real-IP, it counts under
 * that address instead. */

#define MIN_BODY_RATE 1024 /* bytes a second, averaged over the body */

enum conn_phase { CP_WAIT, CP_HEADERS, CP_BODY, CP_HANDLING };

struct conn_track {
	struct conn_track *prev, *next;
	MHD_socket fd;
	bool proxy; /* the peer is the trusted proxy */
	bool shut;  /* the reaper or the limit closed it */
	char peer[64];
	char key[64]; /* the address this connection counts under, "" for none */
	atomic_int phase;
	atomic_uint_fast64_t since_ns; /* when the phase began */
	atomic_uint_fast64_t body_bytes;
	atomic_bool gone; /* the client closed its end while its request was handled */
};

struct ip_count {
	struct ip_count *next;
	int n;
	char key[64];
};

static pthread_mutex_t g_track_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn_track *g_tracks;
static struct ip_count *g_ipc[1024];
static int g_per_ip_limit, g_header_timeout, g_idle_timeout;

static bool peer_is_proxy(const char *peer) { return !strcmp(peer, "127.0.0.1") || !strcmp(peer, "::1"); }

static struct ip_count **ipc_slot(const char *key)
{
	uint32_t h = 2166136261u;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	struct ip_count **e = &g_ipc[h % (sizeof g_ipc / sizeof g_ipc[0])];
	while (*e && strcmp((*e)->key, key))
		e = &(*e)->next;
	return e;
}

/* Under g_track_lock: counts one more connection for key, or false at the limit. */
static bool ipc_acquire(const char *key)
{
	if (g_per_ip_limit <= 0)
		return true;
	struct ip_count **e = ipc_slot(key);
	if (!*e) {
		if (!(*e = calloc(1, sizeof **e)))
			return true;
		snprintf((*e)->key, sizeof(*e)->key, "%s", key);
	}
	if ((*e)->n >= g_per_ip_limit)
		return false;
	(*e)->n++;
	return true;
}

static void ipc_release(struct conn_track *t)
{
	if (!t->key[0])
		return;
	struct ip_count **e = ipc_slot(t->key);
	if (*e && --(*e)->n <= 0) {
		struct ip_count *dead = *e;
		*e = dead->next;
		free(dead);
	}
	t->key[0] = 0;
}

static void track_phase(struct conn_track *t, enum conn_phase p)
{
	atomic_store(&t->since_ns, now_ns());
	atomic_store(&t->phase, (int)p);
}

static struct conn_track *track_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Read by the request's statements (db_set_budget); the track outlives the request. */
static const atomic_bool *track_gone(struct MHD_Connection *c)
{
	struct conn_track *t = track_of(c);
	return t ? &t->gone : NULL;
}

static void peer_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "unknown");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	struct conn_track *t = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (!t)
			return;
		pthread_mutex_lock(&g_track_lock);
		ipc_release(t);
		if (t->prev)
			t->prev->next = t->next;
		else
			g_tracks = t->next;
		if (t->next)
			t->next->prev = t->prev;
		pthread_mutex_unlock(&g_track_lock);
		free(t);
		*socket_context = NULL;
		return;
	}
	if (!(t = calloc(1, sizeof *t)))
		return;
	const union MHD_ConnectionInfo *fi = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	t->fd = fi ? fi->connect_fd : MHD_INVALID_SOCKET;
	peer_addr(c, t->peer, sizeof t->peer);
	t->proxy = peer_is_proxy(t->peer);
	track_phase(t, CP_WAIT);
	pthread_mutex_lock(&g_track_lock);
	t->next = g_tracks;
	if (g_tracks)
		g_tracks->prev = t;
	g_tracks = t;
	if (!t->proxy) {
		if (ipc_acquire(t->peer))
			snprintf(t->key, sizeof t->key, "%s", t->peer);
		else if (t->fd != MHD_INVALID_SOCKET) {
			/* over the limit: closed at once, as libmicrohttpd's own limit would */
			shutdown(t->fd, SHUT_RDWR);
			t->shut = true;
		}
	}
	pthread_mutex_unlock(&g_track_lock);
	*socket_context = t;
}

/* The request line has arrived: the headers' deadline starts. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls, (void)uri;
	struct conn_track *t = track_of(c);
	if (t)
		track_phase(t, CP_HEADERS);
	return NULL;
}

/* Headers complete: behind the proxy, the request counts under its X-Real-IP.
 * False when that address is at its limit. */
static bool track_request(struct MHD_Connection *c, req *r)
{
	struct conn_track *t = track_of(c);
	if (!t)
		return true;
	track_phase(t, CP_BODY);
	if (!t->proxy || !strcmp(r->ip, t->peer) || !req_header(r, "X-Real-IP"))
		return true;
	pthread_mutex_lock(&g_track_lock);
	ipc_release(t);
	bool ok = ipc_acquire(r->ip);
	if (ok)
		snprintf(t->key, sizeof t->key, "%s", r->ip);
	pthread_mutex_unlock(&g_track_lock);
	return ok;
}

/* The response is sent (or the request abandoned): waiting for the next request. */
static void track_done(struct MHD_Connection *c)
{
	struct conn_track *t = track_of(c);
	if (!t)
		return;
	track_phase(t, CP_WAIT);
	atomic_store(&t->body_bytes, 0);
	if (t->proxy && t->key[0]) {
		pthread_mutex_lock(&g_track_lock);
		ipc_release(t);
		pthread_mutex_unlock(&g_track_lock);
	}
}

static bool overstayed(struct conn_track *t, uint64_t now)
{
	uint64_t since = atomic_load(&t->since_ns);
	double secs = now > since ? (double)(now - since) / 1e9 : 0;
	switch (atomic_load(&t->phase)) {
	case CP_WAIT: return secs > g_idle_timeout;
	case CP_HEADERS: return secs > g_header_timeout;
	case CP_BODY: return secs > g_header_timeout && (double)atomic_load(&t->body_bytes) < MIN_BODY_RATE * secs;
	default: return false;
	}
}

/* Shuts down the sockets of connections past their deadline; libmicrohttpd then sees
 * the end of the stream and closes them (and says so through on_connection, which
 * takes the same lock, so no descriptor is touched after its close). */
static void *reaper_loop(void *arg)
{
	(void)arg;
	while (!g_stopping) {
		usleep(200 * 1000);
		uint64_t now = now_ns();
		struct pollfd pf[512];
		struct conn_track *pt[512];
		nfds_t n = 0;
		pthread_mutex_lock(&g_track_lock);
		for (struct conn_track *t = g_tracks; t; t = t->next) {
			if (!t->shut && t->fd != MHD_INVALID_SOCKET && overstayed(t, now)) {
				shutdown(t->fd, SHUT_RDWR);
				t->shut = true;
			}
			/* a request being handled whose client has closed its end (wrk
			 * or a browser that gave up): its work is stopped (db_set_budget) */
			if (atomic_load(&t->phase) == CP_HANDLING && !atomic_load(&t->gone) && t->fd != MHD_INVALID_SOCKET && n < 512) {
				pf[n] = (struct pollfd){.fd = t->fd, .events = POLLRDHUP};
				pt[n++] = t;
			}
		}
		if (n && poll(pf, n, 0) > 0)
			for (nfds_t i = 0; i < n; i++)
				if (pf[i].revents & (POLLRDHUP | POLLHUP | POLLERR))
					atomic_store(&pt[i]->gone, true);
		pthread_mutex_unlock(&g_track_lock);
	}
	return NULL;
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
		if (!track_request(c, r)) {
			req_set_header(r, "Connection", "close");
			return quick_error(c, r, 503);
		}
		bool mismatch;
		r->route = routes_find(routes_table(NULL, 0), method, url, &r->path_params, &mismatch);
		if (!r->route)
			return quick_error(c, r, mismatch ? 405 : 404);
		if (g_stopping) { /* a new request on a kept-alive connection while the server stops */
			if (r->route->flags & RF_API)
				req_error(r, 503, "stopping", "服务正在停止，请稍后再试");
			else {
				r->status = 503;
				html_printf(&r->out, "<!doctype html><meta charset=\"utf-8\"><title>503</title><p>503 服务正在停止，请稍后再试</p>");
			}
			req_set_header(r, "Connection", "close");
			req_set_header(r, "Retry-After", "5");
			return respond(c, r);
		}
		size_t limit = r->route->body_limit ? r->route->body_limit : DEFAULT_BODY_LIMIT;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > limit)
			return quick_error(c, r, 413);
		return MHD_YES;
	}
	if (*upload_size) {
		struct conn_track *t = track_of(c);
		if (t)
			atomic_fetch_add(&t->body_bytes, *upload_size);
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
	if (r->wq_stage == WQ_DONE) { /* a worker or the writer has answered and resumed the connection */
		r->wq_stage = WQ_NONE;
		return respond(c, r);
	}
	if (r->responded)
		return MHD_YES;
	r->responded = true;
	struct conn_track *t = track_of(c);
	if (t)
		track_phase(t, CP_HANDLING);
	if (r->body_too_large)
		return quick_error(c, r, 413);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, &r->query);
	if (!(r->route->flags & RF_NODB)) {
		if (!(r->route->flags & RF_OWNTX) && takes_write_lock(r)) {
			/* the JSON body is parsed here, beside the other connections,
			 * so that the one SQLite writer runs only the transaction */
			req_json_prepare(r);
			if (wq_push(&g_wq, c, r) || wq_push(&g_pq, c, r))
				return MHD_YES; /* answered when the writer has committed its batch, or by a write worker */
		}
		if (route_is_slow(r) && wq_push(&g_rq, c, r))
			return MHD_YES; /* answered by a worker */
	}
	uint64_t t0 = now_ns();
	run_handler(r);
	finish_tx(r);
	if (r->route)
		route_took(r, t0);
	return respond(c, r);
}

/* One request from its parsed parts, through the router, run_handler and the
 * transaction, on the caller's connection d, without a socket (the fuzz
 * target tests/fuzz/fuzz_http.c). headers: name, value, …, NULL. The query is
 * urlencoded text (no '?'). Multipart bodies answer 400 here: their parser
 * belongs to libmicrohttpd and needs a connection. Returns the status and
 * leaves the body in out. */
int server_handle_for_fuzz(db *d, const char *method, const char *path, const char *query, const char *headers[], const char *body, size_t len, buf *out)
{
	kvlist hdrs = {0}, cookies = {0};
	for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2) {
		kvlist_add(&hdrs, headers[i], strlen(headers[i]), headers[i + 1], strlen(headers[i + 1]));
		if (strcasecmp(headers[i], "Cookie"))
			continue;
		for (const char *c = headers[i + 1]; *c;) { /* "a=1; b=2" */
			while (*c == ' ' || *c == ';')
				c++;
			const char *end = c + strcspn(c, ";"), *eq = memchr(c, '=', (size_t)(end - c));
			if (eq && eq > c)
				kvlist_add(&cookies, c, (size_t)(eq - c), eq + 1, (size_t)(end - eq - 1));
			c = end;
		}
	}
	req *r = calloc(1, sizeof *r);
	r->method = method;
	r->path = path;
	r->status = 200;
	r->start_ns = now_ns();
	const kvlist *saved_h = tl_fake_headers, *saved_c = tl_fake_cookies;
	db *saved_db = tl_db;
	tl_fake_headers = &hdrs, tl_fake_cookies = &cookies, tl_db = d;
	client_ip(r);
	actor_public(&r->actor, r->ip);
	bool mismatch;
	r->route = routes_find(routes_table(NULL, 0), method, path, &r->path_params, &mismatch);
	if (!r->route)
		r->status = mismatch ? 405 : 404;
	else if (len > (r->route->body_limit ? r->route->body_limit : DEFAULT_BODY_LIMIT))
		r->status = 413;
	else if (query && !form_urldecode(query, strlen(query), &r->query))
		r->status = 400;
	else {
		buf_append(&r->body, body, len);
		run_handler(r);
		finish_tx(r);
		if (db_in_tx(d)) /* a handler that left its own transaction open */
			db_rollback(d);
		if (r->hant && r->content_type && !strncmp(r->content_type, "text/html", 9))
			layout_to_hant(&r->out);
	}
	tl_fake_headers = saved_h, tl_fake_cookies = saved_c, tl_db = saved_db;
	int status = r->status;
	buf_reset(out);
	buf_append(out, r->out.p ? r->out.p : "", r->out.len);
	req_free(r);
	kvlist_free(&hdrs);
	kvlist_free(&cookies);
	return status;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)toe;
	track_done(c);
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
		/* the path is decoded (%0a is a newline): every outside text is escaped */
		char method[32], path[1024], user[128];
		log_safe(r->method, method, sizeof method);
		log_safe(r->path, path, sizeof path);
		log_safe(r->logged_in ? r->actor.username : "-", user, sizeof user);
		pthread_mutex_lock(&g_log_lock);
		fprintf(g_access_log, "%s %s \"%s %s\" %d %.3fms user=%s\n", ts, r->ip, method, path, r->status, (double)us / 1000.0, user);
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
	if (n >= 0 && (!auth_prepare(d) || !checkin_prepare(d))) {
		fprintf(stderr, "dangjian: cannot prepare the CSRF and check-in secrets: %s\n", db_errmsg(d));
		db_close(d);
		return 1;
	}
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
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
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

	/* Connection slots: a slow client holds one until its deadline, so there are many,
	 * each a descriptor; the soft descriptor limit (often 1024) is raised to fit. */
	unsigned slots = (unsigned)o->max_connections;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rlim_t want = (rlim_t)slots + 256;
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
			rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)slots + 256) {
			slots = rl.rlim_cur > 512 ? (unsigned)rl.rlim_cur - 256 : 256;
			fprintf(stderr, "dangjian: open file limit %llu: %u connection slots\n", (unsigned long long)rl.rlim_cur, slots);
		}
	}
	g_per_ip_limit = o->per_ip_limit;
	atomic_store(&g_budget_ms, settings_request_timeout() * 1000);
	g_slow_path = getenv("DANGJIAN_TEST_SLOW_PATH");
	if (getenv("DANGJIAN_TEST_SYNC_FAIL"))
		atomic_store(&g_test_sync_fail, atoi(getenv("DANGJIAN_TEST_SYNC_FAIL")));
	if (g_slow_path && !*g_slow_path)
		g_slow_path = NULL;
	/* SQLite: the writes go through the writer's group commit; the rest
	 * (and PostgreSQL's writes) through the workers, one per server thread */
	pthread_t writer, syncer, ckpt, workers[128];
	bool writer_started = false, syncer_started = false, ckpt_started = false;
	int nworkers = 0, nmax = (int)(sizeof workers / sizeof workers[0]);
	if (!strncmp(o->db_url, "postgres", 8)) {
		while (nworkers < o->threads && nworkers < nmax / 2 && pthread_create(&workers[nworkers], NULL, worker_loop, &g_pq) == 0)
			nworkers++;
		g_pq.on = nworkers > 0;
	} else {
		if (!(g_writer_db = db_open(o->db_url, err, sizeof err))) {
			fprintf(stderr, "dangjian: database: %s\n", err);
			return 1;
		}
		db_protect_writes(g_writer_db, true);
		/* the fsync apart from the writer: a syncer and a checkpointer
		 * (with its own connection); without them, the writer's commits
		 * wait for the disk as every other connection's do */
		if ((g_ckpt_db = db_open(o->db_url, err, sizeof err)) && db_sync_later(g_writer_db) == DB_OK &&
		    pthread_create(&syncer, NULL, syncer_loop, NULL) == 0) {
			g_sync_later = syncer_started = true;
			ckpt_started = pthread_create(&ckpt, NULL, ckpt_loop, NULL) == 0;
		} else if (db_exec(g_writer_db, "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=1000") != DB_OK)
			fprintf(stderr, "dangjian: writer: %s\n", db_errmsg(g_writer_db));
		pthread_mutex_lock(&g_conns_lock);
		g_conns[g_nconns++] = g_writer_db;
		pthread_mutex_unlock(&g_conns_lock);
		writer_started = g_wq.on = pthread_create(&writer, NULL, writer_loop, NULL) == 0;
	}
	if (writer_started) { /* SQLite: the long reads' CPU is this machine's (the cores this process may use) */
		cpu_set_t cpus;
		long cores = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : sysconf(_SC_NPROCESSORS_ONLN);
		g_long_free = cores > 2 ? (int)cores - 1 : 1;
	}
	int nwriters = nworkers;
	while (nworkers - nwriters < o->threads && nworkers < nmax && pthread_create(&workers[nworkers], NULL, worker_loop, &g_rq) == 0)
		nworkers++;
	g_rq.on = nworkers > nwriters;
	g_header_timeout = o->header_timeout;
	g_idle_timeout = o->idle_timeout;

	struct MHD_Daemon *daemon = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, sa,
						     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads, MHD_OPTION_CONNECTION_TIMEOUT,
						     (unsigned)o->idle_timeout, MHD_OPTION_CONNECTION_LIMIT, slots, MHD_OPTION_NOTIFY_CONNECTION,
						     on_connection, NULL, MHD_OPTION_URI_LOG_CALLBACK, on_request_line, NULL,
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

	pthread_t bg, reaper;
	bool bg_started = pthread_create(&bg, NULL, background_loop, NULL) == 0;
	bool reaper_started = pthread_create(&reaper, NULL, reaper_loop, NULL) == 0;
	int sig = 0;
	sigwait(&set, &sig);
	g_stopping = 1;
	fprintf(stderr, "dangjian: %s received, finishing requests in flight\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* Bounded whatever is running (issue 9 §5): the requests in flight have
	 * until their deadline, at most STOP_GRACE; then every statement is
	 * stopped (db_stop_all, and a cancel of what runs now) and answered 503;
	 * after STOP_HARD the daemon is stopped with whatever is left. */
	uint64_t t0 = now_ns();
	MHD_socket ls = MHD_quiesce_daemon(daemon);
	while (atomic_load(&g_inflight) > 0 && now_ns() - t0 < STOP_GRACE_NS)
		usleep(20 * 1000);
	db_stop_all();
	pthread_mutex_lock(&g_conns_lock);
	for (int i = 0; i < g_nconns; i++)
		db_cancel(g_conns[i]);
	pthread_mutex_unlock(&g_conns_lock);
	while (atomic_load(&g_inflight) > 0 && now_ns() - t0 < STOP_HARD_NS)
		usleep(20 * 1000);
	if (bg_started)
		pthread_join(bg, NULL);
	if (reaper_started)
		pthread_join(reaper, NULL);
	/* the writer and the workers answer what is queued (refused by now) and return */
	wq_stop(&g_wq);
	wq_stop(&g_pq);
	wq_stop(&g_rq);
	if (writer_started)
		pthread_join(writer, NULL);
	/* after the writer: the batches it committed last are synced and answered */
	wq_stop(&g_sq);
	if (syncer_started)
		pthread_join(syncer, NULL);
	atomic_store(&g_ckpt_stop, true);
	if (ckpt_started)
		pthread_join(ckpt, NULL);
	if (g_ckpt_db)
		db_close(g_ckpt_db);
	g_ckpt_db = NULL;
	for (int i = 0; i < nworkers; i++)
		pthread_join(workers[i], NULL);
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
