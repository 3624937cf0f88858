/* grids_web — the grid pages and the grid API (SPEC M9). Thin: the checks,
 * the SQL and the audit are in grids.c. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "grids.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "util.h"
#include "web.h"

/* ---- pages ---- */

struct rows {
	req *r;
	jw *w;
	int n;
};

static void grid_row(const struct grid *g, void *ctx)
{
	struct rows *x = ctx;
	html_printf(&x->r->out, "<tr><td><a href=\"/grids/%s\">%s</a></td><td>%s</td><td>%s</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>", g->code,
		    g->name, g->org_name, *g->worker_name ? g->worker_name : "—", (long long)g->households, (long long)g->residents,
		    (long long)g->central_households);
	x->n++;
}

static void grids_page_list(req *r)
{
	page_begin(r, "网格与党员中心户");
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>网格</th><th>所属村（社区）</th>"
			  "<th>网格员</th><th>户数</th><th>人口</th><th>党员中心户</th></tr></thead><tbody>");
	struct rows x = {r, NULL, 0};
	grids_each(r->db, &r->actor, grid_row, &x);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!x.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>您的管辖范围内还没有网格</p></div>");
	page_end(r);
}

static void household_row(const struct household *h, void *ctx)
{
	struct rows *x = ctx;
	html_printf(&x->r->out, "<tr><td>%s</td><td>%s</td><td>%lld</td><td>%s</td></tr>", h->address, h->head_name, (long long)h->size,
		    *h->central_member ? h->central_member : "—");
}

static void grids_page_detail(req *r)
{
	struct grid g;
	struct field_errors e = {0};
	enum dj_result res = grid_load(r->db, &r->actor, req_param(r, "code"), &g, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	page_begin(r, g.name);
	html_printf(&r->out,
		    "<div class=\"breadcrumbs\"><a href=\"/grids\">网格</a> › <span>%s</span></div>"
		    "<section class=\"card\"><dl class=\"kv\"><dt>网格编码</dt><dd>%s</dd><dt>所属</dt><dd>%s</dd>"
		    "<dt>网格员</dt><dd>%s</dd><dt>户数</dt><dd>%lld 户，%lld 人</dd></dl></section>",
		    g.name, g.code, g.org_name, *g.worker_name ? g.worker_name : "—", (long long)g.households, (long long)g.residents);
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">住户</h2><div class=\"table-wrap\"><table class=\"table\">"
			  "<thead><tr><th>地址</th><th>户主</th><th>人口</th><th>联系的党员中心户</th></tr></thead><tbody>");
	struct rows x = {r, NULL, 0};
	households_each(r->db, &g, true, household_row, &x);
	buf_puts(&r->out, "</tbody></table></div></section>");
	page_end(r);
}

/* ---- API ---- */

static void grid_json(jw *w, const struct grid *g)
{
	jw_obj(w);
	jw_kstr(w, "code", g->code);
	jw_kstr(w, "name", g->name);
	jw_kstr(w, "org", g->org_code);
	jw_kstr(w, "org_name", g->org_name);
	jw_kstr(w, "worker", *g->worker ? g->worker : NULL);
	jw_kstr(w, "worker_name", *g->worker_name ? g->worker_name : NULL);
	jw_kint(w, "households", g->households);
	jw_kint(w, "residents", g->residents);
	jw_kint(w, "central_households", g->central_households);
	jw_end(w);
}

static void grid_item(const struct grid *g, void *ctx) { grid_json(((struct rows *)ctx)->w, g); }

static void grids_api_list(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "grids");
	jw_arr(&w);
	struct rows x = {r, &w, 0};
	grids_each(r->db, &r->actor, grid_item, &x);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field grid_fields[] = {
	{"code", "网格编码", true, 's', NULL},        {"name", "网格名称", true, 's', NULL}, {"org", "所属村（社区）党支部编码", true, 's', NULL},
	{"worker", "网格员用户名", false, 's', NULL}, {NULL, NULL, false, 0, NULL},
};

static void grids_api_create(req *r)
{
	const char *code = NULL, *name = NULL, *org = NULL, *worker = NULL;
	if (!req_json_unpack(r, grid_fields, false, "{s:s, s:s, s:s, s?s}", "code", &code, "name", &name, "org", &org, "worker", &worker))
		return;
	struct field_errors e = {0};
	int64_t id;
	struct grid g;
	enum dj_result res = grid_create(r->db, &r->actor, code, name, org, worker, &id, &e);
	if (res == DJ_OK)
		res = grid_load(r->db, &r->actor, code, &g, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	grid_json(&w, &g);
}

static void household_item(const struct household *h, void *ctx)
{
	jw *w = ((struct rows *)ctx)->w;
	jw_obj(w);
	jw_kint(w, "id", h->id);
	jw_kstr(w, "address", h->address);
	jw_kstr(w, "head_name", h->head_name);
	jw_kint(w, "size", h->size);
	if (h->central_member_id) {
		jw_kint(w, "central_member_id", h->central_member_id);
		jw_kstr(w, "central_member", h->central_member);
	}
	jw_end(w);
}

static void grids_api_households(req *r)
{
	struct grid g;
	struct field_errors e = {0};
	enum dj_result res = grid_load(r->db, &r->actor, req_param(r, "code"), &g, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "households");
	jw_arr(&w);
	struct rows x = {r, &w, 0};
	households_each(r->db, &g, false, household_item, &x);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field household_fields[] = {
	{"address", "住址", true, 's', NULL}, {"head_name", "户主姓名", false, 's', NULL},
	{"size", "人口", false, 'I', NULL},   {"central_member_id", "联系的党员中心户（党员 id）", false, 'I', NULL},
	{NULL, NULL, false, 0, NULL},
};

static void grids_api_add_household(req *r)
{
	/* a grid outside the caller's subtree is not found, whatever the body */
	struct grid g;
	struct field_errors e = {0};
	const char *code = req_param(r, "code");
	enum dj_result res = grid_load(r->db, &r->actor, code, &g, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	const char *address = NULL, *head = "";
	json_int_t size = 1, central = 0;
	if (!req_json_unpack(r, household_fields, false, "{s:s, s?s, s?I, s?I}", "address", &address, "head_name", &head, "size", &size,
			     "central_member_id", &central))
		return;
	int64_t id;
	res = household_add(r->db, &r->actor, code, address, head, (int64_t)size, (int64_t)central, &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "id", id);
	jw_kstr(&w, "address", address);
	jw_end(&w);
}

/* ---- the module record (module.h) ---- */

static const route grids_routes[] = {
	{"GET", "/grids", grids_page_list, R_STAFF | R_GRID, 0, 0, "grids"},
	{"GET", "/grids/:code", grids_page_detail, R_STAFF | R_GRID, 0, 0, "grid"},
	{"GET", "/api/v1/grids", grids_api_list, R_STAFF | R_GRID, RF_API, 0, "api_grids"},
	{"POST", "/api/v1/grids", grids_api_create, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_API, 4 * KiB, "api_grids"},
	{"GET", "/api/v1/grids/:code/households", grids_api_households, R_STAFF | R_GRID, RF_API, 0, "api_households"},
	{"POST", "/api/v1/grids/:code/households", grids_api_add_household, R_STAFF | R_GRID, RF_API, 4 * KiB, "api_households"},
};
static const struct permission *const grids_perms[] = {&perm_grid_view, &perm_grid_create, &perm_household_add};
const struct module grids_module = {
	.name = "grids",
	.routes = grids_routes,
	.routes_n = COUNT_OF(grids_routes),
	.permissions = grids_perms,
	.permissions_n = COUNT_OF(grids_perms),
};
