/* api_web — token login for integrations (issue 2 §4) and the JSON helpers of every API handler. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "embedded.h"
#include "json.h"
#include "util.h"
#include "valid.h"
#include "module.h"

void *req_json(req *r)
{
	if (r->json)
		return r->json;
	const char *ct = req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16)) {
		req_error(r, 415, "content_type", "请求体必须是 JSON（Content-Type: application/json）");
		return NULL;
	}
	json_error_t e;
	json_t *j = json_loadb(buf_str(&r->body), r->body.len, JSON_REJECT_DUPLICATES, &e);
	if (!j || !json_is_object(j)) {
		char msg[300];
		if (j)
			snprintf(msg, sizeof msg, "请求体必须是 JSON 对象");
		else
			snprintf(msg, sizeof msg, "JSON 格式错误（第 %d 行第 %d 列）：%s", e.line, e.column, e.text);
		json_decref(j);
		req_error(r, 400, "bad_json", msg);
		return NULL;
	}
	r->json = j;
	return j;
}

void req_json_prepare(req *r)
{
	if (r->json || !r->body.len || !(r->route && (r->route->flags & RF_API)))
		return;
	const char *ct = req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16))
		return;
	json_t *j = json_loadb(buf_str(&r->body), r->body.len, JSON_REJECT_DUPLICATES, NULL);
	if (j && json_is_object(j))
		r->json = j;
	else
		json_decref(j);
}

void req_error_fields(req *r, int status, const char *code, const char *message, const struct field_errors *e)
{
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "error");
	jw_obj(&w);
	jw_kstr(&w, "code", code);
	jw_kstr(&w, "message", message ? message : e && e->n ? e->e[0].msg : "请求无效");
	if (e && e->n) {
		jw_key(&w, "fields");
		jw_obj(&w);
		for (int i = 0; i < e->n; i++)
			if (ferr_get(e, e->e[i].field) == e->e[i].msg) /* the first message of each field */
				jw_kstr(&w, e->e[i].field, e->e[i].msg);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
}

void req_json_free(req *r)
{
	json_decref(r->json);
	r->json = NULL;
}

static void user_json(jw *w, req *r)
{
	jw_obj(w);
	jw_kint(w, "id", r->actor.user_id);
	jw_kstr(w, "username", r->actor.username);
	jw_kstr(w, "name", r->actor.name);
	jw_kstr(w, "role", role_key(r->actor.role));
	jw_kint(w, "org_id", r->actor.org_id);
	jw_kstr(w, "org_name", r->actor.org_name);
	jw_end(w);
}

static void api_session_create(req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *username = NULL, *password = NULL;
	json_error_t e;
	if (json_unpack_ex(j, &e, JSON_STRICT, "{s:s, s:s}", "username", &username, "password", &password) != 0) {
		char msg[300];
		snprintf(msg, sizeof msg, "字段 username 和 password 必填且为字符串，不接受其他字段（%s）", e.text);
		req_error(r, 400, "invalid", msg);
		return;
	}
	if (!*username || strlen(username) > 60 || !*password || strlen(password) > 128) {
		req_error(r, 400, "invalid", "字段 username 或 password 长度不正确");
		return;
	}
	char token[64];
	int retry;
	enum login_result res = auth_login(r, username, password, "api", token, &retry);
	if (res == LOGIN_THROTTLED) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", retry);
		req_set_header(r, "Retry-After", ra);
		req_error(r, 429, "throttled", "登录失败次数过多，请稍后再试");
		return;
	}
	if (res != LOGIN_OK) {
		req_error(r, res == LOGIN_BUSY ? 503 : 401, res == LOGIN_BUSY ? "busy" : "bad_credentials",
			  res == LOGIN_BUSY ? "系统繁忙，请稍后再试" : "用户名或密码不正确");
		return;
	}
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kstr(&w, "token", token);
	jw_kstr(&w, "token_type", "Bearer");
	jw_kint(&w, "expires_in", API_TOKEN_TTL);
	jw_end(&w);
}

static void api_session_delete(req *r)
{
	if (!auth_logout(r)) {
		req_error(r, 503, "db", "系统繁忙，请稍后再试");
		return;
	}
	r->status = 204;
	r->content_type = "application/json";
}

static void api_me(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	user_json(&w, r);
}

static void api_openapi(req *r)
{
	const struct embedded_asset *a = embedded_asset_find("openapi.yaml");
	if (!a) {
		req_error(r, 404, "not_found", "openapi.yaml missing from the build");
		return;
	}
	r->content_type = a->mime;
	buf_append(&r->out, a->data, a->size);
}

static void api_not_found(req *r) { req_error(r, 404, "not_found", "没有这个接口"); }

/* ---- the module record (module.h) ---- */

static const route api_routes[] = {
	{"GET", "/api/v1/openapi.yaml", api_openapi, R_PUBLIC, RF_API | RF_NODB, 0, "api_openapi"},
	{"POST", "/api/v1/session", api_session_create, R_PUBLIC, RF_API | RF_OWNTX, 4 * KiB, "api_session"},
	{"DELETE", "/api/v1/session", api_session_delete, R_ANY, RF_API, 0, "api_session"},
	{"GET", "/api/v1/me", api_me, R_ANY, RF_API, 0, "api_me"},
	{"GET", "/api/*", api_not_found, R_PUBLIC, RF_API | RF_NODB, 0, "api_unknown"},
};
const struct module api_module = {
	.name = "api",
	.routes = api_routes,
	.routes_n = COUNT_OF(api_routes),
};
