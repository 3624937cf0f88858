/* orgs — organisations (SPEC M1; the full CRUD arrives with issue 3).
 * Each org stores its path of ids from the root ('/1/4/9/'), so "the
 * caller's subtree" is one indexed prefix match. */
#include "orgs.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "json.h"
#include "layout.h"
#include "util.h"

static const char *const type_labels[] = {
	"county", "县委", "committee", "镇党委", "general", "党总支", "branch", "党支部", "group", "党小组", "dept", "部门", NULL,
};

const char *org_type_label(const char *type)
{
	for (const char *const *t = type_labels; *t; t += 2)
		if (!strcmp(*t, type))
			return t[1];
	return type;
}

int64_t orgs_create(db *d, int64_t parent_id, const char *code, const char *name, const char *type, const char *kind)
{
	char path[256] = "/";
	if (parent_id) {
		db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", parent_id);
		bool found = db_next(s);
		if (found)
			snprintf(path, sizeof path, "%s", db_str(s, 0));
		db_done(s);
		if (!found)
			return 0;
	}
	int64_t id = db_int1(d, 0,
			     "INSERT INTO orgs (parent_id, code, name, type, kind, path, created_at) VALUES (NULLIF(?, 0), ?, ?, ?, ?, '', ?) RETURNING id",
			     "IttttI", parent_id, code, name, type, kind ? kind : "", now_unix());
	if (!id)
		return 0;
	char full[300];
	snprintf(full, sizeof full, "%s%lld/", path, (long long)id);
	return db_run(d, "UPDATE orgs SET path = ? WHERE id = ?", "tI", full, id) == DB_OK ? id : 0;
}

int64_t orgs_id_by_code(db *d, const char *code)
{
	return db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", code);
}

/* The caller's subtree root: admin sees from the top. */
static const char *scope_prefix(req *r) { return r->u.role == R_ADMIN ? "/" : r->u.org_path; }

void orgs_form_select(req *r, const char *name, const char *label, const char *selected)
{
	const char *err = form_error_for(r, name);
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">",
		    err ? " has-error" : "", name, label, name, name);
	db_stmt *s = db_query(r->db, "SELECT id, name, path FROM orgs WHERE path LIKE ? || '%' AND dissolved_at IS NULL ORDER BY path",
			      "t", scope_prefix(r));
	while (db_next(s)) {
		int depth = 0;
		for (const char *p = db_str(s, 2); *p; p++)
			depth += *p == '/';
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)db_int(s, 0));
		html_printf(&r->out, "<option value=\"%s\"%s>%.*s%s</option>", id, selected && !strcmp(selected, id) ? " selected" : "",
			    depth > 2 ? (depth - 2) * 3 : 0, "　　　　　　　　　　　　", db_str(s, 1));
	}
	db_done(s);
	buf_puts(&r->out, "</select>");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
}

void orgs_page_list(req *r)
{
	page_begin(r, "组织架构");
	db_stmt *s = db_query(r->db,
			      "SELECT id, name, type, kind, path, code FROM orgs WHERE path LIKE ? || '%' AND dissolved_at IS NULL ORDER BY path",
			      "t", scope_prefix(r));
	/* Rows come in path order, so the nesting of <ul> follows the depth. */
	int depth0 = -1, depth = 0, rows = 0;
	buf_puts(&r->out, "<section class=\"card\">");
	while (db_next(s)) {
		int d = 0;
		for (const char *p = db_str(s, 4); *p; p++)
			d += *p == '/';
		if (depth0 < 0)
			depth0 = depth = d - 1;
		while (depth < d)
			buf_puts(&r->out, "<ul class=\"tree\"><li>"), depth++;
		while (depth > d)
			buf_puts(&r->out, "</li></ul>"), depth--;
		if (rows && depth == d)
			buf_puts(&r->out, "</li><li>");
		html_printf(&r->out, "<a href=\"/orgs/%lld\">%s</a> <span class=\"muted\">%s%s%s</span>", (long long)db_int(s, 0),
			    db_str(s, 1), org_type_label(db_str(s, 2)), *db_str(s, 3) ? " · " : "", db_str(s, 3));
		rows++;
	}
	db_done(s);
	while (depth > depth0 && depth0 >= 0)
		buf_puts(&r->out, "</li></ul>"), depth--;
	if (!rows)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无组织</p></div>");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

void orgs_page_detail(req *r)
{
	int64_t id = req_param_id(r, "id");
	/* Out of scope and absent look the same: nobody learns which ids exist elsewhere. */
	if (!id || !authorize(r, ACT_ORG_VIEW, id)) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return;
	}
	db_stmt *s = db_query(r->db,
			      "SELECT o.name, o.code, o.type, o.kind, p.id, p.name FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.id = ?",
			      "I", id);
	if (!db_next(s)) {
		db_done(s);
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return;
	}
	page_begin(r, db_str(s, 0));
	html_printf(&r->out, "<div class=\"breadcrumbs\"><a href=\"/orgs\">组织架构</a> › <span>%s</span></div>", db_str(s, 0));
	html_printf(&r->out, "<section class=\"card\"><dl class=\"kv\"><dt>组织编码</dt><dd>%s</dd><dt>类型</dt><dd>%s</dd>"
			     "<dt>领域</dt><dd>%s</dd><dt>上级组织</dt><dd>",
		    db_str(s, 1), org_type_label(db_str(s, 2)), *db_str(s, 3) ? db_str(s, 3) : "—");
	int64_t pid = db_int(s, 4);
	if (pid && scope_contains(r, pid))
		html_printf(&r->out, "<a href=\"/orgs/%lld\">%s</a>", (long long)pid, db_str(s, 5));
	else
		html_printf(&r->out, "%s", db_isnull(s, 5) ? "—" : db_str(s, 5));
	buf_puts(&r->out, "</dd></dl></section>");
	db_done(s);

	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">下级组织</h2>");
	s = db_query(r->db, "SELECT id, name, type FROM orgs WHERE parent_id = ? AND dissolved_at IS NULL ORDER BY sort, id", "I", id);
	int n = 0;
	while (db_next(s)) {
		html_printf(&r->out, "%s<a href=\"/orgs/%lld\">%s</a> <span class=\"muted\">%s</span>", n ? "<br>" : "<p>",
			    (long long)db_int(s, 0), db_str(s, 1), org_type_label(db_str(s, 2)));
		n++;
	}
	db_done(s);
	buf_puts(&r->out, n ? "</p></section>" : "<p class=\"muted\">无</p></section>");

	if (authorize(r, ACT_USER_VIEW, id)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">本组织用户</h2><div class=\"table-wrap\"><table class=\"table\">"
				  "<thead><tr><th>姓名</th><th>用户名</th><th>角色</th></tr></thead><tbody>");
		s = db_query(r->db, "SELECT name, username, role FROM users WHERE org_id = ? AND active = 1 ORDER BY role, username", "I", id);
		while (db_next(s))
			html_printf(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", db_str(s, 0), db_str(s, 1),
				    role_label(role_from_key(db_str(s, 2))));
		db_done(s);
		buf_puts(&r->out, "</tbody></table></div></section>");
	}
	page_end(r);
}

static void org_json(jw *w, db_stmt *s)
{
	jw_obj(w);
	jw_kint(w, "id", db_int(s, 0));
	jw_kstr(w, "code", db_str(s, 1));
	jw_kstr(w, "name", db_str(s, 2));
	jw_kstr(w, "type", db_str(s, 3));
	jw_kstr(w, "kind", db_str(s, 4));
	jw_kstr(w, "parent_code", db_text(s, 5));
	jw_end(w);
}

#define ORG_COLS "o.id, o.code, o.name, o.type, o.kind, p.code FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id "

void orgs_api_list(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "orgs");
	jw_arr(&w);
	db_stmt *s = db_query(r->db, "SELECT " ORG_COLS "WHERE o.path LIKE ? || '%' AND o.dissolved_at IS NULL ORDER BY o.path", "t",
			      scope_prefix(r));
	while (db_next(s))
		org_json(&w, s);
	db_done(s);
	jw_aend(&w);
	jw_end(&w);
}

void orgs_api_detail(req *r)
{
	const char *key = req_param(r, "id");
	int64_t id = parse_id(key);
	if (!id)
		id = orgs_id_by_code(r->db, key); /* an id or a code */
	if (!id || !authorize(r, ACT_ORG_VIEW, id)) {
		req_error(r, 404, "not_found", "组织不存在或不在您的管辖范围内");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	db_stmt *s = db_query(r->db, "SELECT " ORG_COLS "WHERE o.id = ?", "I", id);
	if (db_next(s))
		org_json(&w, s);
	db_done(s);
}
