/* layout — the page shell of every HTML page (issue 2 §6): header with the
 * user's name, role and org; navigation for each role; the 简/繁 switch;
 * flash messages; form helpers that show errors beside their field. */
#include "layout.h"

#include <opencc/opencc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "embedded.h"
#include "module.h"
#include "notify.h"
#include "settings.h"
#include "util.h"

static void asset_link(buf *o, const char *name, bool css)
{
	const struct embedded_asset *a = embedded_asset_find(name);
	if (css)
		html_printf(o, "<link rel=\"stylesheet\" href=\"/static/%s?v=%s\">", name, a ? a->etag : "0");
	else
		html_printf(o, "<script src=\"/static/%s?v=%s\" defer></script>", name, a ? a->etag : "0");
}

static bool nav_active(const char *path, const char *href)
{
	size_t n = strlen(href);
	if (!strcmp(href, "/"))
		return !strcmp(path, "/");
	return !strncmp(path, href, n) && (path[n] == 0 || path[n] == '/');
}

/* ---- the navigation ----
 * Groups and their order come from the modules' entries (module.h, the table
 * in routes.c). Logged in, a wide screen shows the groups in the bar as
 * <details> menus; a phone shows a bottom tab bar of what the role uses most
 * and a 全部 tab for the 全部功能 page (layout_nav_menu) that lists every
 * group. Neither needs JavaScript (app.js only closes an open menu when
 * another opens, on Escape or a click outside). */

/* The tabs of the phone's bottom bar, per role (member ≠ committee), before
 * the last tab 全部; a link the role cannot see (its module gone) is skipped. */
static const struct {
	int roles;
	const char *href[4];
} nav_tabs[] = {
	{R_ADMIN, {"/console", "/orders", "/admin/users", "/inbox"}}, {R_COMMITTEE, {"/console", "/orders", "/stats/orders", "/inbox"}},
	{R_BRANCH, {"/console", "/orders", "/meetings", "/inbox"}},   {R_MEMBER, {"/console", "/meetings", "/points", "/inbox"}},
	{R_GRID, {"/console", "/grids/mine", "/orders", "/inbox"}},   {R_REVIEWER, {"/console", "/exemplars/review", "/exemplars", "/inbox"}},
};

/* The tab bar's icons (24×24, stroked in the text colour by app.css). */
static const struct {
	const char *href, *svg;
} nav_icons[] = {
	{"/console", "<path d=\"M3 11l9-8 9 8\"/><path d=\"M5 9.5V20h14V9.5\"/><path d=\"M10 20v-6h4v6\"/>"},
	{"/orders", "<rect x=\"5\" y=\"4\" width=\"14\" height=\"17\" rx=\"2\"/><path d=\"M9 3h6v3H9zM9 11h6M9 15h4\"/>"},
	{"/stats/orders", "<path d=\"M4 20h16\"/><path d=\"M7 16v-5M12 16V6M17 16v-8\"/>"},
	{"/inbox", "<path d=\"M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z\"/><path d=\"M10 20.5a2 2 0 0 0 4 0\"/>"},
	{"/admin/users",
	 "<circle cx=\"9\" cy=\"8\" r=\"3.5\"/><path d=\"M2.5 20a6.5 6.5 0 0 1 13 0\"/><path d=\"M16 4.5a3.5 3.5 0 0 1 0 7M18 14a6 6 0 0 1 3.5 6\"/>"},
	{"/meetings", "<rect x=\"3\" y=\"5\" width=\"18\" height=\"16\" rx=\"2\"/><path d=\"M3 10h18M8 3v4M16 3v4\"/>"},
	{"/points", "<path d=\"M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z\"/>"},
	{"/grids/mine", "<path d=\"M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11z\"/><circle cx=\"12\" cy=\"10\" r=\"2.5\"/>"},
	{"/exemplars", "<circle cx=\"12\" cy=\"9\" r=\"6\"/><path d=\"M8.5 14 7 21l5-3 5 3-1.5-7\"/>"},
	{"/exemplars/review", "<path d=\"M6 3h9l4 4v14H6z\"/><path d=\"M9 13l2 2 4-4\"/>"},
	{"/menu",
	 "<rect x=\"4\" y=\"4\" width=\"6.5\" height=\"6.5\" rx=\"1.5\"/><rect x=\"13.5\" y=\"4\" width=\"6.5\" height=\"6.5\" rx=\"1.5\"/>"
	 "<rect x=\"4\" y=\"13.5\" width=\"6.5\" height=\"6.5\" rx=\"1.5\"/><rect x=\"13.5\" y=\"13.5\" width=\"6.5\" height=\"6.5\" rx=\"1.5\"/>"},
};

static void nav_icon(buf *o, const char *href)
{
	const char *svg = "<circle cx=\"12\" cy=\"12\" r=\"7\"/>";
	for (size_t i = 0; i < COUNT_OF(nav_icons); i++)
		if (!strcmp(nav_icons[i].href, href))
			svg = nav_icons[i].svg;
	buf_puts(o, "<svg class=\"nav-icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">");
	buf_puts(o, svg); /* a literal of the table above */
	buf_puts(o, "</svg>");
}

static bool nav_visible(const req *r, const struct nav_entry *it)
{
	return r->logged_in ? (it->roles & r->actor.role) != 0 : (it->roles & NAV_PUBLIC) != 0;
}

/* The unread badge of 消息: one indexed COUNT per page however often it is drawn (issue 10 §2). */
static void nav_badge(req *r, const char *href, int64_t *unread)
{
	if (!r->logged_in || !r->db || r->status >= 400 || strcmp(href, "/inbox"))
		return;
	if (*unread < 0)
		*unread = notify_unread(r->db, r->actor.user_id);
	char cnt[24];
	snprintf(cnt, sizeof cnt, "%lld", (long long)*unread);
	if (*unread > 0)
		html_printf(&r->out, " <span class=\"nav-badge\" aria-label=\"%s 条未读\">%s</span>", cnt, *unread > 99 ? "99+" : cnt);
}

/* <a> with aria-current on the page it leads to, label, badge; the caller closes it. */
static void nav_link_open(req *r, const char *href, const char *cls)
{
	if (nav_active(r->path, href))
		html_printf(&r->out, "<a href=\"%s\" class=\"%s active\" aria-current=\"page\">", href, cls);
	else
		html_printf(&r->out, "<a href=\"%s\" class=\"%s\">", href, cls);
}

static void nav_link(req *r, const struct nav_entry *it, const char *cls, int64_t *unread)
{
	nav_link_open(r, it->href, cls);
	html_printf(&r->out, "%s", it->label);
	nav_badge(r, it->href, unread);
	buf_puts(&r->out, "</a>");
}

/* The next run of entries of one group the request may see, from *i on: their
 * indexes in vis[], how many in *nv; *i moves past the run. false at the end. */
static bool nav_next_group(const req *r, const struct nav_entry *const *items, size_t n, size_t *i, size_t *vis, size_t *nv)
{
	while (*i < n) {
		enum nav_group g = items[*i]->group;
		*nv = 0;
		for (; *i < n && nav_group_order(items[*i]->group) == nav_group_order(g); (*i)++)
			if (nav_visible(r, items[*i]))
				vis[(*nv)++] = *i;
		if (*nv)
			return true;
	}
	return false;
}

static void nav_draw(req *r)
{
	buf *o = &r->out;
	size_t n;
	const struct nav_entry *const *items = nav_table(&n);
	size_t *vis = calloc(n ? n : 1, sizeof *vis), nv, i = 0;
	int64_t unread = -1;
	if (!vis)
		return;
	if (!r->logged_in) {
		/* visitors: the few public links in one row */
		buf_puts(o, "<nav class=\"mainnav\" aria-label=\"主导航\">");
		while (nav_next_group(r, items, n, &i, vis, &nv))
			for (size_t k = 0; k < nv; k++)
				nav_link(r, items[vis[k]], "nav-link", &unread);
		buf_puts(o, "</nav>");
		free(vis);
		return;
	}
	/* wide screens: the top links, then each group a menu (a group of one link is that link) */
	buf_puts(o, "<nav class=\"mainnav grouped\" aria-label=\"主导航\">");
	while (nav_next_group(r, items, n, &i, vis, &nv)) {
		const struct nav_entry *first = items[vis[0]];
		if (first->group == NAV_TOP || nv == 1) {
			for (size_t k = 0; k < nv; k++)
				nav_link(r, items[vis[k]], "nav-link", &unread);
			continue;
		}
		bool active = false;
		for (size_t k = 0; k < nv; k++)
			active = active || nav_active(r->path, items[vis[k]]->href);
		html_printf(o, "<details class=\"navgroup\"><summary class=\"nav-link%s\">%s</summary><div class=\"navmenu\">", active ? " active" : "",
			    nav_group_label(first->group));
		for (size_t k = 0; k < nv; k++)
			nav_link(r, items[vis[k]], "navmenu-link", &unread);
		buf_puts(o, "</div></details>");
	}
	buf_puts(o, "</nav>");
	/* phones: the bottom tab bar */
	buf_puts(o, "<nav class=\"tabbar\" aria-label=\"常用功能\">");
	for (size_t t = 0; t < COUNT_OF(nav_tabs); t++) {
		if (!(nav_tabs[t].roles & r->actor.role))
			continue;
		for (size_t k = 0; k < COUNT_OF(nav_tabs[t].href); k++)
			for (size_t j = 0; j < n; j++)
				if (nav_tabs[t].href[k] && !strcmp(items[j]->href, nav_tabs[t].href[k]) && nav_visible(r, items[j])) {
					nav_link_open(r, items[j]->href, "tab");
					nav_icon(o, items[j]->href);
					html_printf(o, "<span class=\"tab-label\">%s</span>", items[j]->label);
					nav_badge(r, items[j]->href, &unread);
					buf_puts(o, "</a>");
					break;
				}
		break;
	}
	nav_link_open(r, "/menu", "tab");
	nav_icon(o, "/menu");
	buf_puts(o, "<span class=\"tab-label\">全部</span></a></nav>");
	free(vis);
}

void layout_nav_menu(req *r)
{
	buf *o = &r->out;
	size_t n;
	const struct nav_entry *const *items = nav_table(&n);
	size_t *vis = calloc(n ? n : 1, sizeof *vis), nv, i = 0;
	int64_t unread = -1;
	if (!vis)
		return;
	html_printf(o,
		    "<div class=\"navpage-who card\"><span class=\"navpage-name\">%s</span>"
		    "<span class=\"navpage-meta\"><span class=\"role-badge\">%s</span> %s</span></div>",
		    r->actor.name, role_label(r->actor.role), r->actor.org_name);
	buf_puts(o, "<div class=\"navpage\">");
	while (nav_next_group(r, items, n, &i, vis, &nv)) {
		html_printf(o, "<section class=\"navpage-group card\"><h2>%s</h2><ul>", nav_group_label(items[vis[0]]->group));
		for (size_t k = 0; k < nv; k++) {
			buf_puts(o, "<li>");
			nav_link(r, items[vis[k]], "navpage-link", &unread);
			buf_puts(o, "</li>");
		}
		buf_puts(o, "</ul></section>");
	}
	buf_puts(o, "</div>");
	free(vis);
}

const char *layout_csrf(req *r)
{
	/* logged in: the session's token (auth_load_session); else a signed
	 * token over the nonce in the dj_csrf cookie, made anew on each page */
	if (!r->csrf[0] && !r->logged_in) {
		char nonce[24];
		const char *c = req_cookie(r, CSRF_COOKIE);
		if (auth_csrf_nonce_ok(c))
			snprintf(nonce, sizeof nonce, "%s", c);
		else {
			random_token(nonce, sizeof nonce, 9);
			req_set_cookie(r, CSRF_COOKIE, nonce, -1, true);
		}
		/* without the secret (no database) the form gets no token and its POST is refused */
		auth_csrf_sign(r->db, nonce, now_unix(), r->csrf);
	}
	return r->csrf;
}

void page_begin(req *r, const char *title)
{
	buf *o = &r->out;
	r->content_type = "text/html; charset=utf-8";
	r->page_open = true;
	const char *site = settings_site_name();
	html_printf(o,
		    "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>%s · %s</title>",
		    r->hant ? "zh-Hant" : "zh-CN", title, site);
	asset_link(o, "app.css", true);
	asset_link(o, "app.js", false);
	/* the icon too by its versioned URL: cached for good like the rest (issue 10 §10) */
	const struct embedded_asset *icon = embedded_asset_find("favicon.svg");
	html_printf(o, "<link rel=\"icon\" href=\"/static/favicon.svg?v=%s\"></head><body class=\"%s\">", icon ? icon->etag : "0",
		    r->logged_in ? role_key(r->actor.role) : "public");
	html_printf(o,
		    "<header class=\"topbar\"><div class=\"topbar-inner\"><a class=\"brand\" href=\"%s\">"
		    "<span class=\"brand-mark\" aria-hidden=\"true\">党</span><span class=\"brand-name\">%s</span></a>"
		    "<div class=\"topbar-tools\">",
		    r->logged_in ? "/console" : "/", site);
	buf back = {0};
	url_encode(&back, r->path);
	html_printf(o, "<a class=\"lang-switch\" href=\"/lang?to=%s&amp;back=%s\" title=\"%s\">%s</a>", r->hant ? "hans" : "hant", buf_str(&back),
		    r->hant ? "切换到简体中文" : "切换到繁体中文", r->hant ? "简" : "繁");
	buf_free(&back);
	if (r->logged_in) {
		html_printf(o,
			    "<span class=\"whoami\"><span class=\"who-name\">%s</span>"
			    "<span class=\"who-meta\"><span class=\"role-badge\">%s</span> %s</span></span>",
			    r->actor.name, role_label(r->actor.role), r->actor.org_name);
		html_printf(o,
			    "<form class=\"logout\" method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<button class=\"btn-link\" type=\"submit\">退出</button></form>",
			    r->csrf);
	} else if (strcmp(r->path, "/login"))
		html_printf(o, "<a class=\"btn btn-small\" href=\"/login\">登录</a>");
	buf_puts(o, "</div></div>");
	nav_draw(r);
	buf_puts(o, "</header><main class=\"page\">");
	const char *flash = req_cookie(r, "dj_flash");
	if (flash && *flash) {
		/* the cookie holds "k=…&m=…" percent-encoded once more (a cookie value has no ; or ,) */
		kvlist outer = {0}, l = {0};
		buf wrapped = {0};
		buf_printf(&wrapped, "f=%s", flash);
		const kv *f = form_urldecode(wrapped.p, wrapped.len, &outer) ? kvlist_get(&outer, "f") : NULL;
		if (f && form_urldecode(f->val, f->len, &l)) {
			const kv *k = kvlist_get(&l, "k"), *m = kvlist_get(&l, "m");
			if (m && utf8_valid(m->val))
				html_printf(o, "<div class=\"flash flash-%s\" role=\"status\">%s</div>", k && !strcmp(k->val, "error") ? "error" : "ok",
					    m->val);
		}
		kvlist_free(&l);
		kvlist_free(&outer);
		buf_free(&wrapped);
		req_set_cookie(r, "dj_flash", "", 0, true);
	}
	html_printf(o, "<h1 class=\"page-title\">%s</h1>", title);
}

void page_end(req *r)
{
	html_printf(&r->out, "</main><footer class=\"site-footer\"><p>%s · 基层党建工作平台</p></footer></body></html>", settings_site_name());
}

void flash_set(req *r, const char *kind, const char *msg)
{
	buf v = {0}, q = {0};
	buf_puts(&q, "k=");
	url_encode(&q, kind);
	buf_puts(&q, "&m=");
	url_encode(&q, msg);
	url_encode(&v, buf_str(&q)); /* a cookie value may not hold ; or , */
	req_set_cookie(r, "dj_flash", buf_str(&v), 60, true);
	buf_free(&v);
	buf_free(&q);
}

/* ---- forms ---- */

void form_error(req *r, const char *field, const char *msg)
{
	if (!r->errors)
		r->errors = calloc(1, sizeof *r->errors);
	ferr_add(r->errors, field, "%s", msg);
}

void form_errors_add(req *r, const struct field_errors *e)
{
	for (int i = 0; i < e->n; i++)
		form_error(r, e->e[i].field, e->e[i].msg);
}

bool form_has_errors(const req *r) { return r->errors && r->errors->n > 0; }

const char *form_error_for(const req *r, const char *field) { return ferr_get(r->errors, field); }

void form_begin(req *r, const char *action)
{
	html_printf(&r->out,
		    "<form class=\"form\" method=\"post\" action=\"%s\" novalidate>"
		    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">",
		    action, layout_csrf(r));
	const char *general = form_error_for(r, "_form");
	if (general)
		html_printf(&r->out, "<div class=\"form-error\" role=\"alert\">%s</div>", general);
}

void form_end(req *r, const char *submit_label)
{
	html_printf(&r->out, "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">%s</button></div></form>", submit_label);
}

void form_end_confirm(req *r, const char *submit_label, const char *confirm, const char *confirm_when)
{
	html_printf(&r->out, "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\" data-confirm=\"%s\"", confirm);
	if (confirm_when)
		html_printf(&r->out, " data-confirm-when=\"%s\"", confirm_when);
	html_printf(&r->out, ">%s</button></div></form>", submit_label);
}

/* A field that may travel through a login: not the token, not a secret, not a file. */
static bool keepable(const kv *f)
{
	return !f->filename && strcmp(f->key, "_csrf") && strcmp(f->key, "_resubmit") && !strstr(f->key, "password") && strcmp(f->key, "current") &&
	       strcmp(f->key, "confirm") && strlen(f->key) < 64 && utf8_valid(f->key) && utf8_valid(f->val) && strlen(f->val) == f->len;
}

#define KEEP_PREFIX "_keep_"

int form_keep_fields(req *r, enum keep_mode mode)
{
	int n = 0;
	size_t pl = strlen(KEEP_PREFIX);
	for (size_t i = 0; i < r->form.n; i++) {
		const kv *f = &r->form.v[i];
		if (!keepable(f))
			continue;
		bool kept = !strncmp(f->key, KEEP_PREFIX, pl);
		if (mode == KEEP_WRAP && !kept)
			html_printf(&r->out, "<input type=\"hidden\" name=\"" KEEP_PREFIX "%s\" value=\"%s\">", f->key, f->val);
		else if (mode == KEEP_AGAIN && kept)
			html_printf(&r->out, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", f->key, f->val);
		else if (mode == KEEP_UNWRAP && kept)
			html_printf(&r->out, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", f->key + pl, f->val);
		else if (mode == KEEP_SHOW && kept && f->key[pl] != '_' && *f->val)
			html_printf(&r->out, "<li>%s</li>", f->val);
		else
			continue;
		n++;
	}
	return n;
}

const char *form_value(req *r, const char *name, const char *dflt)
{
	const char *v = req_form(r, name);
	return v ? v : dflt;
}

static void field_open(req *r, const char *name, const char *label, const char **err)
{
	*err = form_error_for(r, name);
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label>", *err ? " has-error" : "", name, label);
}

static void field_close(req *r, const char *name, const char *err, const char *hint)
{
	if (err)
		html_printf(&r->out, "<p class=\"field-error\" id=\"e-%s\">%s</p>", name, err);
	else if (hint && *hint)
		html_printf(&r->out, "<p class=\"field-hint\">%s</p>", hint);
	buf_puts(&r->out, "</div>");
}

void form_input(req *r, const char *name, const char *label, const char *type, const char *value, const char *hint)
{
	const char *err;
	field_open(r, name, label, &err);
	bool secret = !strcmp(type, "password");
	html_printf(&r->out, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\"%s%s>", name, name, type, secret ? "" : (value ? value : ""),
		    err ? " aria-invalid=\"true\"" : "", secret ? " autocomplete=\"current-password\"" : "");
	field_close(r, name, err, hint);
}

void form_select(req *r, const char *name, const char *label, const char *const *options, const char *selected)
{
	const char *err;
	field_open(r, name, label, &err);
	html_printf(&r->out, "<select id=\"f-%s\" name=\"%s\">", name, name);
	for (const char *const *o = options; o[0]; o += 2)
		html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", o[0], selected && !strcmp(selected, o[0]) ? " selected" : "", o[1]);
	buf_puts(&r->out, "</select>");
	field_close(r, name, err, NULL);
}

/* ---- 繁體 ---- */

/* 繁體 is a change of characters, never of vocabulary (SPEC §3): OpenCC's
 * s2t, whose phrase table only picks the right traditional character where
 * one simplified character stands for several (头发 → 頭髮, 联系 → 聯繫), not
 * s2twp, which rewrites words the Taiwan way (社区 → 社群, 类型 → 型別). The
 * few names the phrase table would change (东升 → 東昇) are kept by a list of
 * ours consulted first. OpenCC reads its dictionaries from files, so the
 * configuration and the list are written once into a private directory. */
static const char hant_keep[] = "东升\t東升\n";
static const char hant_config[] = "{\"name\": \"dangjian s2t\", \"segmentation\": {\"type\": \"mmseg\", \"dict\": {\"type\": \"group\", \"dicts\": ["
				  "{\"type\": \"text\", \"file\": \"keep.txt\"}, {\"type\": \"ocd2\", \"file\": \"STPhrases.ocd2\"}]}}, "
				  "\"conversion_chain\": [{\"dict\": {\"type\": \"group\", \"dicts\": [{\"type\": \"text\", \"file\": \"keep.txt\"}, "
				  "{\"type\": \"ocd2\", \"file\": \"STPhrases.ocd2\"}, {\"type\": \"ocd2\", \"file\": \"STCharacters.ocd2\"}]}}]}\n";

static _Thread_local opencc_t tl_cc;
static pthread_mutex_t g_cc_lock = PTHREAD_MUTEX_INITIALIZER;
static opencc_t g_cc_all[256];
static int g_cc_n;
static char g_cc_dir[64], g_cc_config[96];
static pthread_once_t g_cc_once = PTHREAD_ONCE_INIT;

static bool write_file(const char *dir, const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	bool ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok;
}

/* Each thread reads them when it opens its handle; they go when the process ends. */
static void hant_files_remove(void)
{
	char path[128];
	snprintf(path, sizeof path, "%s/keep.txt", g_cc_dir);
	unlink(path);
	unlink(g_cc_config);
	rmdir(g_cc_dir);
}

static void hant_files(void)
{
	snprintf(g_cc_dir, sizeof g_cc_dir, "%s/dj-opencc-XXXXXX", getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 40 ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(g_cc_dir) || !write_file(g_cc_dir, "keep.txt", hant_keep) || !write_file(g_cc_dir, "s2t.json", hant_config)) {
		fprintf(stderr, "dangjian: 繁體: cannot write OpenCC's configuration under %s\n", g_cc_dir);
		return;
	}
	snprintf(g_cc_config, sizeof g_cc_config, "%s/s2t.json", g_cc_dir);
	atexit(hant_files_remove);
}

void layout_to_hant(buf *out)
{
	if (!tl_cc) {
		pthread_once(&g_cc_once, hant_files);
		tl_cc = opencc_open(*g_cc_config ? g_cc_config : "s2t.json");
		if (tl_cc == (opencc_t)-1) {
			tl_cc = NULL;
			return;
		}
		pthread_mutex_lock(&g_cc_lock);
		if (g_cc_n < 256)
			g_cc_all[g_cc_n++] = tl_cc;
		pthread_mutex_unlock(&g_cc_lock);
	}
	/* OpenCC reads past the end of a cut UTF-8 sequence (fuzz_hant): a page
	 * that is not well-formed UTF-8 stays in 简体 */
	if (!out->len || !utf8_wellformed(out->p, out->len))
		return;
	char *conv = opencc_convert_utf8(tl_cc, out->p, out->len);
	if (!conv)
		return;
	buf_reset(out);
	buf_puts(out, conv);
	opencc_convert_utf8_free(conv);
}

void layout_shutdown(void)
{
	pthread_mutex_lock(&g_cc_lock);
	for (int i = 0; i < g_cc_n; i++)
		opencc_close(g_cc_all[i]);
	g_cc_n = 0;
	pthread_mutex_unlock(&g_cc_lock);
}
