/* settings_web — the admin's settings page (every setting, grouped and
 * labelled in Chinese) and the backups page (issue 10 §9). Thin: the
 * checks, the units, the audit and the backup itself are in settings.c. */
#include <stdio.h>
#include <string.h>

#include "layout.h"
#include "module.h"
#include "settings.h"
#include "util.h"
#include "web.h"

/* ---- settings ---- */

struct form_ctx {
	req *r;
	const char *group; /* the group whose card is open */
	bool in_details;
};

static void close_group(struct form_ctx *c)
{
	if (c->in_details)
		buf_puts(&c->r->out, "</details>");
	if (c->group)
		buf_puts(&c->r->out, "</section>");
	c->in_details = false;
}

static void setting_field(const struct setting_def *s, void *ctx)
{
	struct form_ctx *c = ctx;
	req *r = c->r;
	if (!c->group || strcmp(c->group, s->group)) {
		close_group(c);
		c->group = s->group;
		html_printf(&r->out, "<section class=\"card\"><h2 class=\"card-title\">%s</h2>", s->group);
		/* the 36 limits per kind are rarely set: folded, open when one is wrong */
		if (!strncmp(s->group, "按诉求类型", strlen("按诉求类型"))) {
			bool wrong = false;
			for (int i = 0; r->errors && i < r->errors->n; i++)
				wrong |= strchr(r->errors->e[i].field, '.') && strchr(strchr(r->errors->e[i].field, '.') + 1, '.');
			buf_puts(&r->out, wrong ? "<details open><summary>展开各类型的时限</summary>" : "<details><summary>展开各类型的时限</summary>");
			c->in_details = true;
		}
	}
	char cur[420];
	settings_display(r->db, s, cur, sizeof cur);
	const char *err = form_error_for(r, s->field);
	const char *value = s->unit == SU_SECRET ? "" : form_value(r, s->field, cur);
	const char *type = s->unit == SU_SECRET ? "password" : "text";
	char ph[160];
	snprintf(ph, sizeof ph, "%s%s", s->unit == SU_SECRET && !strcmp(cur, "set") ? "已设置，留空不变" : "默认：",
		 s->unit == SU_SECRET && !strcmp(cur, "set") ? "" : s->dflt);
	/* html_printf escapes every %s: the optional attributes are written as literals */
	html_printf(&r->out,
		    "<div class=\"field%s\"><label for=\"f-%s\">%s</label><input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\" placeholder=\"%s\"",
		    err ? " has-error" : "", s->field, s->label, s->field, s->field, type, value, ph);
	if (s->unit == SU_HOURS)
		buf_puts(&r->out, " inputmode=\"decimal\"");
	else if (s->unit == SU_DAYS)
		buf_puts(&r->out, " inputmode=\"numeric\"");
	if (err)
		buf_puts(&r->out, " aria-invalid=\"true\"");
	buf_puts(&r->out, " autocomplete=\"off\">");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\" id=\"e-%s\">%s</p>", s->field, err);
	if (s->unit == SU_SECRET && !strcmp(cur, "set"))
		html_printf(&r->out,
			    "<label class=\"check\"><input type=\"checkbox\" name=\"%s_off\" value=\"1\"> 关闭令牌（仅本机可读 /metrics）</label>",
			    s->field);
	buf_puts(&r->out, "</div>");
}

static const char *posted(void *ctx, const char *field) { return req_form(ctx, field); }

static void settings_page(req *r)
{
	if (req_is_post(r)) {
		struct field_errors e = {0};
		int changed = 0;
		const char *off = req_form(r, "metrics_token_off");
		enum dj_result res = settings_save(r->db, &r->actor, posted, r, off && !strcmp(off, "1"), &changed, &e);
		if (res == DJ_OK) {
			char msg[80];
			snprintf(msg, sizeof msg, changed ? "已保存 %d 项设置" : "设置没有变化", changed);
			flash_set(r, "ok", msg);
			req_redirect(r, "/admin/settings");
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, "站点设置");
	buf_puts(&r->out, "<p class=\"lead\">留空即使用默认值。每项修改都记入审计日志。</p>");
	form_begin(r, "/admin/settings");
	struct form_ctx c = {r, NULL, false};
	settings_each_def(setting_field, &c);
	close_group(&c);
	form_end(r, "保存设置");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

/* ---- backups ---- */

struct backup_rows {
	req *r;
	int n;
};

static void backup_row(const struct backup_file *b, void *ctx)
{
	struct backup_rows *x = ctx;
	char t[20], size[32];
	fmt_time(b->mtime, t);
	if (b->size >= 1024 * 1024)
		snprintf(size, sizeof size, "%.1f MB", (double)b->size / (1024 * 1024));
	else
		snprintf(size, sizeof size, "%lld KB", (long long)((b->size + 1023) / 1024));
	html_printf(&x->r->out, "<tr><td><code>%s</code></td><td>%s</td><td>%s</td></tr>", b->name, size, t);
	x->n++;
}

static void backups_page(req *r)
{
	struct field_errors e = {0};
	if (req_is_post(r)) {
		char name[128];
		enum dj_result res = backup_run(r->db, &r->actor, now_unix(), name, sizeof name, &e);
		if (res == DJ_OK) {
			char msg[200];
			snprintf(msg, sizeof msg, "备份完成：%s", name);
			flash_set(r, "ok", msg);
			req_redirect(r, "/admin/backups");
			return;
		}
		if (res != DJ_CONFLICT) {
			req_fail(r, res, &e);
			return;
		}
		/* the reason (PostgreSQL, an unwritable directory) is shown on the page */
	}
	page_begin(r, "数据备份");
	char dir[400];
	struct field_errors de = {0};
	if (backup_dir(r->db, dir, sizeof dir, &de) != DJ_OK) {
		html_printf(&r->out, "<section class=\"card\"><p>%s</p></section>", ferr_get(&de, "_form"));
		page_end(r);
		return;
	}
	if (ferr_get(&e, "_form")) {
		r->status = 409;
		html_printf(&r->out, "<div class=\"form-error\" role=\"alert\">%s</div>", ferr_get(&e, "_form"));
	}
	html_printf(&r->out,
		    "<section class=\"card\"><p>备份用 SQLite 在线备份，不影响正在使用的用户。备份保存在 <code>%s</code>"
		    "（可在<a href=\"/admin/settings\">站点设置</a>中修改）。</p>"
		    "<p class=\"field-hint\">恢复：停止服务，把备份文件复制为数据库文件（或以 <code>--db 备份文件</code> 启动），"
		    "再运行 <code>dangjian check</code> 检查。</p>",
		    dir);
	form_begin(r, "/admin/backups");
	form_end(r, "立即备份");
	buf_puts(&r->out, "</section><section class=\"card\"><h2 class=\"card-title\">已有备份</h2>"
			  "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>文件</th><th>大小</th><th>时间</th></tr></thead><tbody>");
	struct backup_rows x = {r, 0};
	struct field_errors le = {0};
	backups_each(r->db, &r->actor, backup_row, &x, &le);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!x.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>还没有备份</p></div>");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

/* ---- the module record (module.h) ---- */

static const route settings_routes[] = {
	{"GET", "/admin/settings", settings_page, R_ADMIN, 0, 0, "settings"},
	{"POST", "/admin/settings", settings_page, R_ADMIN, 0, 16 * KiB, "settings"},
	{"GET", "/admin/backups", backups_page, R_ADMIN, 0, 0, "backups"},
	{"POST", "/admin/backups", backups_page, R_ADMIN, 0, 1 * KiB, "backups"},
};
static const struct nav_entry settings_nav[] = {
	{"/admin/settings", "站点设置", R_ADMIN, 72, NAV_SYSTEM},
	{"/admin/backups", "数据备份", R_ADMIN, 74, NAV_SYSTEM},
};
static const struct permission *const settings_perms[] = {&perm_setting_set, &perm_backup_run};
const struct module settings_module = {
	.name = "settings",
	.routes = settings_routes,
	.routes_n = COUNT_OF(settings_routes),
	.nav = settings_nav,
	.nav_n = COUNT_OF(settings_nav),
	.permissions = settings_perms,
	.permissions_n = COUNT_OF(settings_perms),
};
