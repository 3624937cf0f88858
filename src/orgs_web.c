/* orgs_web — the pages and API of the org tree (SPEC §1, M1): thin handlers
 * that authorise, read the form or the JSON body, call the domain (orgs.c)
 * with the caller as its actor, and render. The domain writes the history
 * and the audit rows. Other web files use orgs_from_request() and
 * orgs_form_select() (orgs_web.h). The module record is at the end. */
#include "orgs_web.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "figures.h"
#include "json.h"
#include "layout.h"
#include "module.h"
#include "users.h"
#include "util.h"
#include "web.h"

/* ---- shared by pages and API ---- */

/* The caller's subtree root: admin sees from the top. */
static int depth_of(const char *path)
{
	int d = 0;
	for (const char *p = path; *p; p++)
		d += *p == '/';
	return d - 1;
}

/* The org named by the path (an id, or for the API also a code) if the caller
 * may see it; 404 otherwise: out of scope and absent look the same. */
static bool load_visible(req *r, struct org *o)
{
	const char *key = req_param(r, "id");
	int64_t id = parse_id(key);
	if (!id && r->route && (r->route->flags & RF_API))
		id = orgs_id_by_code(r->db, key);
	if (!id || !authorize(r, &perm_org_view, id) || !org_load(r->db, id, o)) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return false;
	}
	return true;
}

/* … and the caller may manage it; 403 otherwise. */
static bool load_managed(req *r, struct org *o)
{
	if (!load_visible(r, o))
		return false;
	if (!authorize(r, &perm_org_manage, o->id)) {
		req_error(r, 403, "forbidden", "您的角色不能管理组织架构");
		return false;
	}
	return true;
}

/* A parent the caller may put an org under: inside its subtree (for the
 * committee, its own org or below, never above or beside it); 0 is "no
 * parent", for admin only (a new 县委). */
static bool may_use_parent(req *r, int64_t parent) { return parent ? authorize(r, &perm_org_manage, parent) : r->actor.role == R_ADMIN; }

static const char *history_label(const char *kind)
{
	static const char *const k[] = {"create", "新建", "rename", "更名", "move", "移动", "dissolve", "撤销", "edit", "信息修改", NULL};
	for (const char *const *p = k; *p; p += 2)
		if (!strcmp(*p, kind))
			return p[1];
	return kind;
}

/* ---- pages ---- */

/* The field of a form that a domain error names. */
static const char *form_field(const char *f) { return !strcmp(f, "parent") ? "parent_id" : f; }

static void form_errors_from(req *r, const struct field_errors *e)
{
	for (int i = 0; i < e->n; i++)
		form_error(r, form_field(e->e[i].field), e->e[i].msg);
}

/* Options for a parent: active orgs of the caller's subtree that may hold
 * `type` (any type that holds children when type is NULL), and for a move
 * neither the org itself, nor one below it, nor its current parent. Writes
 * the <select> into out and returns how many options it offered. */
static int parent_select(req *r, buf *out, const char *label, const char *type, const struct org *moving, int64_t selected, bool allow_root)
{
	size_t n;
	struct org *v = orgs_under(r->db, actor_scope(&r->actor), false, &n);
	const char *err = form_error_for(r, "parent_id");
	html_printf(out, "<div class=\"field%s\"><label for=\"f-parent_id\">%s</label><select id=\"f-parent_id\" name=\"parent_id\"%s>",
		    err ? " has-error" : "", label, err ? " aria-invalid=\"true\"" : "");
	int k = 0, top = n ? depth_of(v[0].path) : 0;
	if (allow_root) {
		html_printf(out, "<option value=\"0\"%s>（无上级：新建县委）</option>", selected == 0 ? " selected" : "");
		k++;
	}
	for (size_t i = 0; i < n; i++) {
		if (type ? !org_type_fits(type, v[i].type) : !org_type_has_children(v[i].type))
			continue;
		if (moving && (!strncmp(v[i].path, moving->path, strlen(moving->path)) || v[i].id == moving->parent_id))
			continue;
		int dep = depth_of(v[i].path) - top;
		html_printf(out, "<option value=\"%lld\"%s>%.*s%s（%s）</option>", (long long)v[i].id, v[i].id == selected ? " selected" : "",
			    (dep > 0 ? (dep > 6 ? 6 : dep) : 0) * 3, "　　　　　　", v[i].name, org_type_label(v[i].type));
		k++;
	}
	free(v);
	buf_puts(out, "</select>");
	if (err)
		html_printf(out, "<p class=\"field-error\" id=\"e-parent_id\">%s</p>", err);
	buf_puts(out, "</div>");
	return k;
}

void orgs_form_select(req *r, const char *name, const char *label, const char *selected)
{
	const char *err = form_error_for(r, name);
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">", err ? " has-error" : "", name, label,
		    name, name);
	size_t n;
	struct org *v = orgs_under(r->db, actor_scope(&r->actor), false, &n);
	int top = n ? depth_of(v[0].path) : 0;
	for (size_t i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		int dep = depth_of(v[i].path) - top;
		html_printf(&r->out, "<option value=\"%s\"%s>%.*s%s</option>", id, selected && !strcmp(selected, id) ? " selected" : "",
			    (dep > 0 ? (dep > 6 ? 6 : dep) : 0) * 3, "　　　　　　", v[i].name);
	}
	free(v);
	buf_puts(&r->out, "</select>");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
}

static bool want_all(req *r)
{
	const char *a = req_query(r, "all");
	return a && !strcmp(a, "1");
}

/* /orgs?org=CODE&type=branch: the orgs of one type in a subtree, flat, with
 * their number (the dashboard's drill-down of the branches, issue 17). */
static void orgs_page_of_type(req *r, const char *type)
{
	if (strcmp(type, "branch") && strcmp(type, "general") && strcmp(type, "group") && strcmp(type, "dept") && strcmp(type, "committee")) {
		req_error(r, 422, "invalid", "组织类型（type）不存在");
		return;
	}
	struct org_ref ref;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_org_view, &ref))
		return;
	size_t n;
	struct org *v = orgs_of_type(r->db, ref.path, type, &n);
	page_begin(r, "组织架构");
	html_printf(&r->out, "<p class=\"lead\">%s 的%s，共 <strong>%zu</strong> 个。</p><section class=\"card\"><ul class=\"tree\">", ref.name,
		    org_type_label(type), n);
	for (size_t i = 0; i < n; i++)
		html_printf(&r->out, "<li><a href=\"/orgs/%lld\">%s</a> <span class=\"muted\">%s · %s</span></li>", (long long)v[i].id, v[i].name,
			    *v[i].kind ? v[i].kind : org_type_label(v[i].type), v[i].code);
	buf_puts(&r->out, n ? "</ul></section>" : "</ul><div class=\"empty\"><p>暂无组织</p></div></section>");
	free(v);
	page_end(r);
}

static void orgs_page_list(req *r)
{
	const char *type = req_query(r, "type");
	if (type && *type) {
		orgs_page_of_type(r, type);
		return;
	}
	bool all = want_all(r);
	page_begin(r, "组织架构");
	buf_puts(&r->out, "<div class=\"actions\">");
	if (authorize(r, &perm_org_manage, r->actor.org_id))
		html_printf(&r->out, "<a class=\"btn btn-primary\" href=\"/orgs/new?parent=%lld\">新建下级组织</a>", (long long)r->actor.org_id);
	buf_puts(&r->out, all ? "<a class=\"btn\" href=\"/orgs\">隐藏已撤销</a>" : "<a class=\"btn\" href=\"/orgs?all=1\">显示已撤销</a>");
	buf_puts(&r->out, "</div>");
	size_t n;
	struct org *v = orgs_under(r->db, actor_scope(&r->actor), all, &n);
	/* Rows come in tree order, so the nesting of <ul> follows the depth:
	 * deeper opens a list, otherwise close up to the row's level and start
	 * a sibling. */
	int depth0 = -1, depth = 0;
	buf_puts(&r->out, "<section class=\"card\">");
	for (size_t i = 0; i < n; i++) {
		int d = depth_of(v[i].path);
		if (depth0 < 0)
			depth0 = depth = d - 1;
		if (d > depth) {
			while (depth < d)
				buf_puts(&r->out, "<ul class=\"tree\"><li>"), depth++;
		} else {
			while (depth > d && depth > depth0 + 1)
				buf_puts(&r->out, "</li></ul>"), depth--;
			buf_puts(&r->out, "</li><li>");
		}
		html_printf(&r->out, "<a href=\"/orgs/%lld\">%s</a> <span class=\"muted\">%s%s%s · %s</span>", (long long)v[i].id, v[i].name,
			    org_type_label(v[i].type), *v[i].kind ? " · " : "", v[i].kind, v[i].code);
		if (v[i].dissolved_at)
			buf_puts(&r->out, " <span class=\"badge badge-grey\">已撤销</span>");
	}
	while (depth > depth0 && depth0 >= 0)
		buf_puts(&r->out, "</li></ul>"), depth--;
	if (!n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无组织</p></div>");
	buf_puts(&r->out, "</section>");
	free(v);
	page_end(r);
}

static void user_row(const struct user *u, void *ctx)
{
	req *r = ctx;
	html_printf(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", u->name, u->username, role_label(role_from_key(u->role)));
}

static void org_detail(req *r, const struct org *o)
{
	page_begin(r, o->name);
	html_printf(&r->out, "<div class=\"breadcrumbs\"><a href=\"/orgs\">组织架构</a> › <span>%s</span></div>", o->name);
	if (o->dissolved_at) {
		char at[20];
		fmt_time(o->dissolved_at, at);
		html_printf(&r->out, "<div class=\"flash flash-error\" role=\"status\">该组织已于 %s 撤销</div>", at);
	}
	char created[20];
	fmt_time(o->created_at, created);
	html_printf(&r->out,
		    "<section class=\"card\"><dl class=\"kv\"><dt>组织编码</dt><dd>%s</dd><dt>类型</dt><dd>%s</dd>"
		    "<dt>领域</dt><dd>%s</dd><dt>上级组织</dt><dd>",
		    o->code, org_type_label(o->type), *o->kind ? o->kind : "—");
	struct org p;
	if (o->parent_id && org_load(r->db, o->parent_id, &p)) {
		if (scope_contains(r, p.id))
			html_printf(&r->out, "<a href=\"/orgs/%lld\">%s</a>", (long long)p.id, p.name);
		else
			html_printf(&r->out, "%s", p.name);
	} else
		buf_puts(&r->out, "—");
	html_printf(&r->out,
		    "</dd><dt>书记</dt><dd>%s</dd><dt>服务村（社区）</dt><dd>%s</dd><dt>联系电话</dt><dd>%s</dd>"
		    "<dt>建立时间</dt><dd>%s</dd></dl>",
		    *o->secretary ? o->secretary : "—", *o->serves ? o->serves : "—", *o->phone ? o->phone : "—", created);
	bool manage = !o->dissolved_at && authorize(r, &perm_org_manage, o->id);
	if (manage) {
		html_printf(&r->out, "<div class=\"actions\"><a class=\"btn\" href=\"/orgs/%lld/edit\">编辑</a>", (long long)o->id);
		if (org_type_has_children(o->type))
			html_printf(&r->out, "<a class=\"btn\" href=\"/orgs/new?parent=%lld\">新建下级组织</a>", (long long)o->id);
		buf_puts(&r->out, "</div>");
	}
	buf_puts(&r->out, "</section>");
	for (size_t i = 0; i < modules_count; i++) /* what the mechanisms show of it (module.h org_section) */
		if (modules[i]->org_section)
			modules[i]->org_section(r, o);

	bool all = want_all(r);
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">下级组织</h2>");
	size_t n;
	struct org *kids = org_children(r->db, o->id, all, &n);
	for (size_t i = 0; i < n; i++) {
		buf_puts(&r->out, i ? "<br>" : "<p>");
		html_printf(&r->out, "<a href=\"/orgs/%lld\">%s</a> <span class=\"muted\">%s · %s</span>", (long long)kids[i].id, kids[i].name,
			    org_type_label(kids[i].type), kids[i].code);
		if (kids[i].dissolved_at)
			buf_puts(&r->out, " <span class=\"badge badge-grey\">已撤销</span>");
	}
	free(kids);
	buf_puts(&r->out, n ? "</p>" : "<p class=\"muted\">无</p>");
	int64_t gone = all ? 0 : org_dissolved_children(r->db, o->id);
	if (gone)
		html_printf(&r->out, "<p><a href=\"/orgs/%lld?all=1\">显示已撤销的下级组织（%lld 个）</a></p>", (long long)o->id, (long long)gone);
	buf_puts(&r->out, "</section>");

	if (manage) {
		char action[64];
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">移动</h2>");
		buf sel = {0};
		int choices = parent_select(r, &sel, "新的上级组织", o->type, o, parse_id(req_form(r, "parent_id")), false);
		if (choices) {
			snprintf(action, sizeof action, "/orgs/%lld/move", (long long)o->id);
			html_printf(&r->out, "<p class=\"muted\">连同 %s 的全部下级组织一起移到新的上级组织之下。</p>", o->name);
			form_begin(r, action);
			buf_append(&r->out, sel.p, sel.len);
			form_end(r, "移动");
		} else {
			const char *err = form_error_for(r, "parent_id");
			if (err)
				html_printf(&r->out, "<p class=\"field-error\" id=\"e-parent_id\">%s</p>", err);
			buf_puts(&r->out, "<p class=\"muted\">您的管辖范围内没有可以移入的上级组织。</p>");
		}
		buf_free(&sel);
		buf_puts(&r->out, "</section>");

		snprintf(action, sizeof action, "/orgs/%lld/dissolve", (long long)o->id);
		const char *err = form_error_for(r, "dissolve");
		html_printf(&r->out, "<section class=\"card\"><h2 class=\"card-title\">撤销</h2>"
				     "<p class=\"muted\">只有没有下级组织、没有党员、没有在用账号的组织才能撤销。撤销后保留历史记录，编码不再使用。</p>");
		if (err)
			html_printf(&r->out, "<div class=\"form-error\" role=\"alert\" id=\"e-dissolve\">%s</div>", err);
		html_printf(
			&r->out,
			"<form method=\"post\" action=\"%s\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			"<button class=\"btn btn-danger\" type=\"submit\" data-confirm=\"确定撤销「%s」吗？撤销后不能恢复。\">撤销组织</button></form></section>",
			action, layout_csrf(r), o->name);
	}

	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">变更记录</h2><div class=\"table-wrap\"><table class=\"table\">"
			  "<thead><tr><th>时间</th><th>事项</th><th>变更</th><th>备注</th><th>经办人</th></tr></thead><tbody>");
	size_t rows;
	struct org_change *h = org_history_load(r->db, o->id, &rows);
	for (size_t i = rows; i-- > 0;) { /* newest first */
		char at[20];
		fmt_time(h[i].at, at);
		html_printf(&r->out, "<tr><td>%s</td><td>%s</td><td>%s%s%s</td><td>%s</td><td>%s</td></tr>", at, history_label(h[i].kind), h[i].from,
			    *h[i].from && *h[i].to ? " → " : "", h[i].to, h[i].note, h[i].by_name);
	}
	free(h);
	if (!rows)
		buf_puts(&r->out, "<tr><td colspan=\"5\" class=\"muted\">暂无记录</td></tr>");
	buf_puts(&r->out, "</tbody></table></div></section>");

	if (authorize(r, &perm_user_view, o->id)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">本组织用户</h2><div class=\"table-wrap\"><table class=\"table\">"
				  "<thead><tr><th>姓名</th><th>用户名</th><th>角色</th></tr></thead><tbody>");
		users_each_active(r->db, NULL, o->id, 0, user_row, r);
		buf_puts(&r->out, "</tbody></table></div></section>");
	}
	page_end(r);
}

static void orgs_page_detail(req *r)
{
	struct org o;
	if (load_visible(r, &o))
		org_detail(r, &o);
}

static void kind_select(req *r, const char *value)
{
	const char *opts[2 * 8];
	int k = 0;
	opts[k++] = "", opts[k++] = "（不填）";
	for (const char *const *p = org_kind_list; *p; p++)
		opts[k++] = *p, opts[k++] = *p;
	opts[k] = NULL;
	form_select(r, "kind", "组织领域", opts, value);
}

/* The fields of the edit form; the create form adds code, type and parent. */
static void org_common_fields(req *r, const struct org *o)
{
	form_input(r, "name", "组织名称", "text", form_value(r, "name", o->name), "不超过 40 个字，如 陈集村党支部");
	kind_select(r, form_value(r, "kind", o->kind));
	form_input(r, "secretary", "书记", "text", form_value(r, "secretary", o->secretary), NULL);
	form_input(r, "serves", "服务的村（社区）", "text", form_value(r, "serves", o->serves), "多个用顿号（、）分隔，不超过 200 个字");
	form_input(r, "phone", "联系电话", "tel", form_value(r, "phone", o->phone), "手机号或座机号，可不填");
}

static void org_from_form(req *r, struct org *o, bool creating)
{
	static const char *const common[] = {"name", "kind", "secretary", "serves", "phone", NULL};
	static const char *const created[] = {"code", "type", NULL};
	for (const char *const *f = common; *f; f++)
		org_set(o, *f, req_form(r, *f));
	for (const char *const *f = created; creating && *f; f++)
		org_set(o, *f, req_form(r, *f));
}

static void orgs_page_new(req *r)
{
	struct org o;
	memset(&o, 0, sizeof o);
	bool post = req_is_post(r);
	const char *given = post ? req_form(r, "parent_id") : req_query(r, "parent");
	int64_t parent = given ? parse_id(given) : r->actor.org_id;
	struct org p;
	memset(&p, 0, sizeof p);
	if (!post && parent && (!authorize(r, &perm_org_view, parent) || !org_load(r->db, parent, &p))) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return;
	}
	if (!post && !may_use_parent(r, parent)) {
		req_error(r, 403, "forbidden", "您不能在该组织之下新建组织");
		return;
	}
	o.parent_id = parent;
	if (post) {
		org_from_form(r, &o, true);
		struct field_errors e = {0};
		enum dj_result res = DJ_INVALID;
		if (!may_use_parent(r, parent)) {
			ferr_add(&e, "parent", "请选择您管辖范围内的上级组织");
			org_check(&o, true, &e);
		} else
			res = org_create(r->db, &r->actor, &o, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "已新建组织");
			char loc[48];
			snprintf(loc, sizeof loc, "/orgs/%lld", (long long)o.id);
			req_redirect(r, loc);
			return;
		}
		if (res == DJ_DB_ERROR) {
			ferr_add(&e, "_form", "保存失败，请稍后再试");
			r->failed = true;
		}
		form_errors_from(r, &e);
	} else {
		/* the likely type: a 党支部 under a 镇党委 or 党总支, a 党小组 under a 党支部 … */
		static const char *const likely[] = {"branch", "group", "committee", "general", "dept", "county", NULL};
		for (const char *const *t = likely; *t; t++)
			if (org_type_fits(*t, parent ? p.type : NULL)) {
				snprintf(o.type, sizeof o.type, "%s", *t);
				break;
			}
	}
	page_begin(r, "新建组织");
	buf_puts(&r->out, "<div class=\"breadcrumbs\"><a href=\"/orgs\">组织架构</a> › <span>新建组织</span></div><section class=\"card\">");
	form_begin(r, "/orgs/new");
	buf sel = {0};
	parent_select(r, &sel, "上级组织", NULL, NULL, parent, r->actor.role == R_ADMIN);
	buf_append(&r->out, sel.p, sel.len);
	buf_free(&sel);
	form_input(r, "code", "组织编码", "text", form_value(r, "code", o.code), "2–32 位英文字母、数字或连字符，建立后不再改变，如 CJZ-XJC-2");
	const char *types[2 * 7 + 1];
	int k = 0;
	for (const char *const *t = org_type_keys; *t; t++)
		if (r->actor.role == R_ADMIN || strcmp(*t, "county"))
			types[k++] = *t, types[k++] = org_type_label(*t);
	types[k] = NULL;
	form_select(r, "type", "组织类型", types, form_value(r, "type", o.type));
	org_common_fields(r, &o);
	form_end(r, "新建");
	html_printf(&r->out, "<p class=\"muted\">层级：县委 → 镇党委 → 党总支 → 党支部 → 党小组；部门设在镇党委之下；党支部可直属镇党委。</p></section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void orgs_page_edit(req *r)
{
	struct org before, o;
	if (!load_managed(r, &before))
		return;
	if (before.dissolved_at) {
		req_error(r, 409, "dissolved", "该组织已撤销，不能再修改");
		return;
	}
	o = before;
	char loc[48];
	snprintf(loc, sizeof loc, "/orgs/%lld", (long long)before.id);
	if (req_is_post(r)) {
		org_from_form(r, &o, false);
		struct field_errors e = {0};
		enum dj_result res = org_update(r->db, &r->actor, &before, &o, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "已保存");
			req_redirect(r, loc);
			return;
		}
		if (res == DJ_DB_ERROR) {
			ferr_add(&e, "_form", "保存失败，请稍后再试");
			r->failed = true;
		}
		form_errors_from(r, &e);
	}
	char title[200], action[64];
	snprintf(title, sizeof title, "编辑 %s", before.name);
	snprintf(action, sizeof action, "/orgs/%lld/edit", (long long)before.id);
	page_begin(r, title);
	html_printf(&r->out,
		    "<div class=\"breadcrumbs\"><a href=\"/orgs\">组织架构</a> › <a href=\"%s\">%s</a> › <span>编辑</span></div>"
		    "<section class=\"card\"><dl class=\"kv\"><dt>组织编码</dt><dd>%s</dd><dt>类型</dt><dd>%s</dd></dl>",
		    loc, before.name, before.code, org_type_label(before.type));
	form_begin(r, action);
	org_common_fields(r, &o);
	form_end(r, "保存");
	buf_puts(&r->out, "<p class=\"muted\">更名会记入变更记录。要改变上级组织，请在组织页面使用“移动”。</p></section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void orgs_page_move(req *r)
{
	struct org o;
	if (!load_managed(r, &o))
		return;
	int64_t parent = parse_id(req_form(r, "parent_id"));
	struct field_errors e = {0};
	enum dj_result res = DJ_INVALID;
	if (!parent || !authorize(r, &perm_org_manage, parent))
		ferr_add(&e, "parent", "请选择您管辖范围内的上级组织");
	else
		res = org_move(r->db, &r->actor, o.id, parent, &e);
	if (res == DJ_OK) {
		flash_set(r, "ok", "已移动");
		char loc[48];
		snprintf(loc, sizeof loc, "/orgs/%lld", (long long)o.id);
		req_redirect(r, loc);
		return;
	}
	if (res == DJ_DB_ERROR) {
		r->failed = true;
		ferr_add(&e, "parent", "保存失败，请稍后再试");
	}
	/* an error of no field (e.g. dissolved) still shows beside the select */
	for (int i = 0; i < e.n; i++)
		form_error(r, "parent_id", e.e[i].msg);
	org_load(r->db, o.id, &o);
	org_detail(r, &o);
	r->status = dj_result_status(res);
}

static void orgs_page_dissolve(req *r)
{
	struct org o;
	if (!load_managed(r, &o))
		return;
	struct field_errors e = {0};
	enum dj_result res = org_dissolve(r->db, &r->actor, o.id, &e);
	char loc[48];
	snprintf(loc, sizeof loc, "/orgs/%lld", (long long)o.id);
	if (res == DJ_OK) {
		flash_set(r, "ok", "组织已撤销");
		req_redirect(r, loc);
		return;
	}
	if (res == DJ_DB_ERROR) {
		r->failed = true;
		ferr_add(&e, "_form", "保存失败，请稍后再试");
	}
	if (o.dissolved_at) { /* already dissolved: nothing to show a button for */
		req_error(r, 409, "dissolved", e.n ? e.e[0].msg : "该组织已撤销");
		return;
	}
	form_error(r, "dissolve", e.n ? e.e[0].msg : "不能撤销");
	org_detail(r, &o);
	r->status = dj_result_status(res);
}

/* ---- API ---- */

/* Writes the org's fields and leaves its object open for more (the caller closes it). */
static void org_json(jw *w, const struct org *o)
{
	jw_obj(w);
	jw_kint(w, "id", o->id);
	jw_kstr(w, "code", o->code);
	jw_kstr(w, "name", o->name);
	jw_kstr(w, "type", o->type);
	jw_kstr(w, "type_label", org_type_label(o->type));
	jw_kstr(w, "kind", o->kind);
	jw_kstr(w, "parent_code", *o->parent_code ? o->parent_code : NULL);
	jw_kstr(w, "secretary", o->secretary);
	jw_kstr(w, "serves", o->serves);
	jw_kstr(w, "phone", o->phone);
	jw_kint(w, "created_at", o->created_at);
	jw_kbool(w, "dissolved", o->dissolved_at != 0);
	jw_key(w, "dissolved_at");
	if (o->dissolved_at)
		jw_int(w, o->dissolved_at);
	else
		jw_null(w);
}

/* req_fail for the orgs API, which has always answered 422, 409 and 503 in
 * its own words: code "db" for a database failure, fields on a conflict too,
 * no "_form" field, and the domain's "parent" named as the body's key
 * "parent_code". So e is renamed and thinned here and written by the shared
 * writer (req_error_fields); other results take req_fail's answer as is.
 * An answer with no field errors has no "fields" key, as elsewhere.
 * (members_web.c has a copy of the same idea for "org_code"/"org".) */
static void api_fail(req *r, enum dj_result res, struct field_errors *e)
{
	if (res != DJ_INVALID && res != DJ_CONFLICT && res != DJ_DB_ERROR) {
		req_fail(r, res, e);
		return;
	}
	char msg[sizeof e->e[0].msg];
	snprintf(msg, sizeof msg, "%s", e->n ? e->e[0].msg : "保存失败，请稍后再试");
	int n = 0;
	for (int i = 0; i < e->n; i++) {
		if (e->e[i].field[0] == '_')
			continue;
		e->e[n] = e->e[i];
		if (!strcmp(e->e[n].field, "parent"))
			snprintf(e->e[n].field, sizeof e->e[n].field, "%s", "parent_code");
		n++;
	}
	e->n = n;
	req_error_fields(r, dj_result_status(res), res == DJ_DB_ERROR ? "db" : dj_result_code(res), msg, e);
}

/* The fields a JSON body may carry. Code and type never change after creation. */
#define FIXED_AFTER_CREATE "组织编码和类型建立后不能修改"
static const struct json_field create_fields[] = {
	{"code", "组织编码", true, 's', NULL},
	{"name", "组织名称", true, 's', NULL},
	{"type", "组织类型", true, 's', NULL},
	{"kind", "组织领域", false, 's', NULL},
	{"parent_code", "上级组织编码", false, 's', NULL},
	{"secretary", "书记姓名", false, 's', NULL},
	{"serves", "服务的村（社区）", false, 's', NULL},
	{"phone", "联系电话", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

static const struct json_field patch_fields[] = {
	{"name", "组织名称", false, 's', NULL},
	{"kind", "组织领域", false, 's', NULL},
	{"secretary", "书记姓名", false, 's', NULL},
	{"serves", "服务的村（社区）", false, 's', NULL},
	{"phone", "联系电话", false, 's', NULL},
	{"parent_code", "上级组织编码", false, 's', NULL},
	{"dissolved", "撤销", false, 'b', NULL},
	{"code", "组织编码", false, 's', FIXED_AFTER_CREATE},
	{"type", "组织类型", false, 's', FIXED_AFTER_CREATE},
	{NULL, NULL, false, 0, NULL},
};

static void orgs_api_list(req *r)
{
	char prefix[256];
	snprintf(prefix, sizeof prefix, "%s", actor_scope(&r->actor));
	const char *under = req_query(r, "under");
	if (under && *under) {
		int64_t id = parse_id(under);
		if (!id)
			id = orgs_id_by_code(r->db, under);
		struct org u;
		if (!id || !authorize(r, &perm_org_view, id) || !org_load(r->db, id, &u)) {
			req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
			return;
		}
		snprintf(prefix, sizeof prefix, "%s", u.path);
	}
	size_t n;
	struct org *v = orgs_under(r->db, prefix, want_all(r), &n);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "orgs");
	jw_arr(&w);
	for (size_t i = 0; i < n; i++) {
		org_json(&w, &v[i]);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_end(&w);
	free(v);
}

/* One org with its history, as GET, POST and PATCH answer. */
static void org_answer(req *r, int status, int64_t id)
{
	struct org o;
	if (!org_load(r->db, id, &o)) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return;
	}
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	org_json(&w, &o);
	jw_key(&w, "history");
	jw_arr(&w);
	size_t n;
	struct org_change *h = org_history_load(r->db, id, &n);
	for (size_t i = 0; i < n; i++) {
		jw_obj(&w);
		jw_kint(&w, "at", h[i].at);
		jw_kstr(&w, "kind", h[i].kind);
		jw_kstr(&w, "from", h[i].from);
		jw_kstr(&w, "to", h[i].to);
		jw_kstr(&w, "note", h[i].note);
		jw_kstr(&w, "by", h[i].by_username);
		jw_end(&w);
	}
	free(h);
	jw_aend(&w);
	jw_end(&w);
}

static void orgs_api_detail(req *r)
{
	struct org o;
	if (load_visible(r, &o))
		org_answer(r, 200, o.id);
}

/* parent_code → the parent's id, if the caller may put orgs under it; errors name parent_code. */
static int64_t api_parent(req *r, const char *code, struct field_errors *e)
{
	int64_t id = orgs_id_by_code(r->db, code);
	if (!id || !authorize(r, &perm_org_manage, id)) {
		if (org_code_valid(code))
			ferr_add(e, "parent", "上级组织 %s 不存在或不在您的管辖范围内", code);
		else
			ferr_add(e, "parent", "上级组织不存在或不在您的管辖范围内");
		return 0;
	}
	return id;
}

static void orgs_api_create(req *r)
{
	const char *code = NULL, *name = NULL, *type = NULL, *kind = "", *parent_code = "", *secretary = "", *serves = "", *phone = "";
	if (!req_json_unpack(r, create_fields, false, "{s:s, s:s, s:s, s?s, s?s, s?s, s?s, s?s}", "code", &code, "name", &name, "type", &type, "kind",
			     &kind, "parent_code", &parent_code, "secretary", &secretary, "serves", &serves, "phone", &phone))
		return;
	struct field_errors e = {0};
	struct org o;
	memset(&o, 0, sizeof o);
	org_set(&o, "code", code);
	org_set(&o, "name", name);
	org_set(&o, "type", type);
	org_set(&o, "kind", kind);
	org_set(&o, "secretary", secretary);
	org_set(&o, "serves", serves);
	org_set(&o, "phone", phone);
	if (*parent_code)
		o.parent_id = api_parent(r, parent_code, &e);
	else if (r->actor.role != R_ADMIN)
		ferr_add(&e, "parent", "请提供上级组织编码（parent_code）");
	enum dj_result res = DJ_INVALID;
	if (e.n)
		org_check(&o, true, &e); /* report every field at once */
	else
		res = org_create(r->db, &r->actor, &o, &e);
	if (res != DJ_OK) {
		api_fail(r, res, &e);
		return;
	}
	char loc[80];
	snprintf(loc, sizeof loc, "/api/v1/orgs/%s", o.code);
	req_set_header(r, "Location", loc);
	org_answer(r, 201, o.id);
}

/* Any of name, kind, secretary, serves, phone (edit), parent_code (move) and
 * dissolved: true, in that order and in one transaction: all or nothing. */
static void orgs_api_patch(req *r)
{
	/* The server opens a write transaction only for POST; this one takes the
	 * write lock before reading, or SQLite would refuse the write when another
	 * writer committed in between (SQLITE_BUSY_SNAPSHOT). finish_tx commits. */
	if (db_begin(r->db, true) != DB_OK) {
		req_error(r, 503, "db_busy", "系统繁忙，请稍后再试");
		return;
	}
	struct org before;
	if (!load_managed(r, &before))
		return;
	const char *name = NULL, *kind = NULL, *secretary = NULL, *serves = NULL, *phone = NULL, *parent_code = NULL;
	int dissolved = -1;
	if (!req_json_unpack(r, patch_fields, false, "{s?s, s?s, s?s, s?s, s?s, s?s, s?b}", "name", &name, "kind", &kind, "secretary", &secretary,
			     "serves", &serves, "phone", &phone, "parent_code", &parent_code, "dissolved", &dissolved))
		return;
	struct field_errors e = {0};
	enum dj_result res = DJ_OK;
	struct org o = before;
	if (name || kind || secretary || serves || phone) {
		if (name)
			org_set(&o, "name", name);
		if (kind)
			org_set(&o, "kind", kind);
		if (secretary)
			org_set(&o, "secretary", secretary);
		if (serves)
			org_set(&o, "serves", serves);
		if (phone)
			org_set(&o, "phone", phone);
		res = org_update(r->db, &r->actor, &before, &o, &e);
	}
	if (res == DJ_OK && parent_code) {
		int64_t parent = api_parent(r, parent_code, &e);
		res = parent ? org_move(r->db, &r->actor, before.id, parent, &e) : DJ_INVALID;
	}
	if (res == DJ_OK && dissolved == 1)
		res = org_dissolve(r->db, &r->actor, before.id, &e);
	else if (res == DJ_OK && dissolved == 0 && before.dissolved_at) {
		ferr_add(&e, "dissolved", "已撤销的组织不能恢复");
		res = DJ_CONFLICT;
	}
	if (res != DJ_OK) {
		api_fail(r, res, &e);
		return;
	}
	org_answer(r, 200, before.id);
}

int64_t orgs_from_request(req *r, const char *code, const struct permission *action, struct org_ref *o)
{
	memset(o, 0, sizeof *o);
	int64_t id = code && *code ? orgs_id_by_code(r->db, code) : r->actor.org_id;
	if (!id || !authorize(r, action, id)) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return 0;
	}
	struct org g;
	if (org_load(r->db, id, &g)) {
		snprintf(o->path, sizeof o->path, "%s", g.path);
		snprintf(o->name, sizeof o->name, "%.*s", (int)sizeof o->name - 1, g.name); /* 40 characters fit */
		snprintf(o->code, sizeof o->code, "%s", g.code);
		o->id = id;
	}
	return o->id;
}

/* ---- the module record (module.h) ---- */

static const route orgs_routes[] = {
	{"GET", "/orgs", orgs_page_list, R_ANY, 0, 0, "orgs"},
	{"GET", "/orgs/new", orgs_page_new, R_ADMIN | R_COMMITTEE, 0, 0, "org_new"},
	{"POST", "/orgs/new", orgs_page_new, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "org_new"},
	{"GET", "/orgs/:id", orgs_page_detail, R_ANY, 0, 0, "org"},
	{"GET", "/orgs/:id/edit", orgs_page_edit, R_ADMIN | R_COMMITTEE, 0, 0, "org_edit"},
	{"POST", "/orgs/:id/edit", orgs_page_edit, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "org_edit"},
	{"POST", "/orgs/:id/move", orgs_page_move, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "org_move"},
	{"POST", "/orgs/:id/dissolve", orgs_page_dissolve, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "org_dissolve"},
	{"GET", "/api/v1/orgs", orgs_api_list, R_ANY, RF_API, 0, "api_orgs"},
	{"POST", "/api/v1/orgs", orgs_api_create, R_ADMIN | R_COMMITTEE, RF_API, 8 * KiB, "api_orgs"},
	{"GET", "/api/v1/orgs/:id", orgs_api_detail, R_ANY, RF_API, 0, "api_org"},
	{"PATCH", "/api/v1/orgs/:id", orgs_api_patch, R_ADMIN | R_COMMITTEE, RF_API | RF_OWNTX, 8 * KiB, "api_org"},
};
static const struct nav_entry orgs_nav[] = {
	{"/orgs", "组织架构", R_ANY, 10, NAV_PARTY},
};
static const struct permission *const orgs_perms[] = {&perm_org_view, &perm_org_manage};
static const struct figure orgs_figures[] = {
	{"orgs.branches", "党员和组织", "党支部", "个", org_fig_branches, org_href_branches, true},
};
static const struct entity_link orgs_entities[] = {{"org", "/orgs/"}};

const struct module orgs_module = {
	.entities = orgs_entities,
	.entities_n = COUNT_OF(orgs_entities),
	.figures = orgs_figures,
	.figures_n = COUNT_OF(orgs_figures),
	.name = "orgs",
	.routes = orgs_routes,
	.routes_n = COUNT_OF(orgs_routes),
	.nav = orgs_nav,
	.nav_n = COUNT_OF(orgs_nav),
	.permissions = orgs_perms,
	.permissions_n = COUNT_OF(orgs_perms),
};
