/* routes — the one route table, merged at start from the modules' records
 * (module.h) and printed by `dangjian routes`: what the program serves and
 * who may call what (STYLE: cgit's cmd.c, Fossil's WEBPAGE lines). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

/* A segment's rank at its position: a fixed word, then a :param, then a final *. */
static int seg_rank(const char *seg) { return *seg == ':' ? 1 : *seg == '*' ? 2 : 0; }

/* Next segment of a pattern after *p (which points at a '/' or the end): its
 * start and length; false at the end. */
static bool next_seg(const char **p, const char **seg, size_t *len)
{
	if (**p != '/')
		return false;
	*seg = ++*p;
	while (**p && **p != '/')
		++*p;
	*len = (size_t)(*p - *seg);
	return true;
}

/* Orders two patterns segment by segment; 0 when they match the same paths. */
static int pattern_cmp(const char *a, const char *b)
{
	for (;;) {
		const char *sa = NULL, *sb = NULL;
		size_t la = 0, lb = 0;
		bool ha = next_seg(&a, &sa, &la), hb = next_seg(&b, &sb, &lb);
		if (!ha || !hb)
			return ha - hb; /* the shorter pattern first */
		int ra = la ? seg_rank(sa) : 0, rb = lb ? seg_rank(sb) : 0;
		if (ra != rb)
			return ra - rb;
		if (ra == 0) {
			size_t n = la < lb ? la : lb;
			int c = memcmp(sa, sb, n);
			if (c || la != lb)
				return c ? c : (la < lb ? -1 : 1);
		}
	}
}

static int route_cmp(const void *x, const void *y)
{
	const route *a = x, *b = y;
	int c = pattern_cmp(a->pattern, b->pattern);
	return c ? c : strcmp(a->method, b->method);
}

bool routes_merge(const struct module *const *list, size_t n, struct merged_routes *out, char *err, size_t errlen)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += list[i]->routes_n;
	out->v = calloc(total ? total : 1, sizeof *out->v);
	out->n = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < list[i]->routes_n; k++) {
			route rt = list[i]->routes[k];
			rt.module = list[i];
			out->v[out->n++] = rt;
		}
	qsort(out->v, out->n, sizeof *out->v, route_cmp);
	for (size_t i = 1; i < out->n; i++)
		if (!route_cmp(&out->v[i - 1], &out->v[i])) {
			snprintf(err, errlen, "duplicate route %s %s: declared by module %s and by module %s (as %s)", out->v[i].method,
				 out->v[i - 1].pattern, out->v[i - 1].module->name, out->v[i].module->name, out->v[i].pattern);
			routes_free(out);
			return false;
		}
	return true;
}

void routes_free(struct merged_routes *m)
{
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

static struct merged_routes g_table;
static char g_err[256];
static bool g_ok;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void table_build(void) { g_ok = routes_merge(modules, modules_count, &g_table, g_err, sizeof g_err); }

const struct merged_routes *routes_table(char *err, size_t errlen)
{
	pthread_once(&g_once, table_build);
	if (!g_ok && err)
		snprintf(err, errlen, "%s", g_err);
	return g_ok ? &g_table : NULL;
}

const route *routes_find(const struct merged_routes *t, const char *method, const char *path, kvlist *params, bool *method_mismatch)
{
	*method_mismatch = false;
	for (size_t i = 0; i < t->n; i++) {
		const route *rt = &t->v[i];
		if (!route_match(rt->pattern, path, NULL))
			continue;
		if (strcmp(rt->method, method) && !(!strcmp(method, "HEAD") && !strcmp(rt->method, "GET"))) {
			*method_mismatch = true;
			continue;
		}
		if (params)
			route_match(rt->pattern, path, params);
		return rt;
	}
	return NULL;
}

void routes_print(const struct merged_routes *t, FILE *f)
{
	static const int bits[] = {R_ADMIN, R_COMMITTEE, R_BRANCH, R_MEMBER, R_GRID, R_REVIEWER};
	for (size_t i = 0; i < t->n; i++) {
		const route *rt = &t->v[i];
		fprintf(f, "%s\t%s\t", rt->method, rt->pattern);
		if (rt->roles == R_PUBLIC)
			fputs("public", f);
		for (size_t b = 0, k = 0; b < COUNT_OF(bits); b++)
			if (rt->roles & bits[b])
				fprintf(f, "%s%s", k++ ? "," : "", role_key(bits[b]));
		fprintf(f, "\t%s\t%s\n", rt->module ? rt->module->name : "", rt->name ? rt->name : "");
	}
}

const char *entity_href_prefix(const char *entity)
{
	for (size_t i = 0; entity && i < modules_count; i++)
		for (size_t k = 0; k < modules[i]->entities_n; k++)
			if (!strcmp(modules[i]->entities[k].entity, entity))
				return modules[i]->entities[k].href_prefix;
	return "";
}

int modules_run_tasks(db *d, int64_t now, int *changed)
{
	int failed = 0;
	*changed = 0;
	for (size_t i = 0; i < modules_count; i++)
		for (size_t k = 0; k < modules[i]->tasks_n; k++) {
			if (db_begin(d, true) != DB_OK) {
				failed++;
				continue;
			}
			int n = modules[i]->tasks[k].run(d, now);
			if (n < 0 || db_commit(d) != DB_OK) {
				fprintf(stderr, "dangjian: background task %s.%s failed\n", modules[i]->name, modules[i]->tasks[k].name);
				db_rollback(d);
				failed++;
			} else
				*changed += n;
		}
	return failed;
}

static const struct nav_entry **g_nav;
static size_t g_nav_n;
static pthread_once_t g_nav_once = PTHREAD_ONCE_INIT;

/* The groups of the navigation, in the order the bar and the 全部功能 page
 * show them: one table, so a new group or a new order is one line here. */
static const struct {
	enum nav_group group;
	const char *label;
	int order;
} nav_groups[] = {
	{NAV_TOP, "常用", 0},       {NAV_ORDERS, "诉求服务", 10}, {NAV_PARTY, "党员管理", 20}, {NAV_LIFE, "组织生活", 30},
	{NAV_EVAL, "评选考核", 40}, {NAV_SYSTEM, "系统", 50},     {NAV_MORE, "更多", 60},      {NAV_ACCOUNT, "账户", 70},
};

const char *nav_group_label(enum nav_group g)
{
	for (size_t i = 0; i < COUNT_OF(nav_groups); i++)
		if (nav_groups[i].group == g)
			return nav_groups[i].label;
	return nav_group_label(NAV_MORE);
}

int nav_group_order(enum nav_group g)
{
	for (size_t i = 0; i < COUNT_OF(nav_groups); i++)
		if (nav_groups[i].group == g)
			return nav_groups[i].order;
	return nav_group_order(NAV_MORE);
}

static int nav_cmp(const void *x, const void *y)
{
	const struct nav_entry *a = *(const struct nav_entry *const *)x, *b = *(const struct nav_entry *const *)y;
	int ga = nav_group_order(a->group), gb = nav_group_order(b->group);
	if (ga != gb)
		return ga < gb ? -1 : 1;
	return a->order != b->order ? (a->order < b->order ? -1 : 1) : strcmp(a->href, b->href);
}

static void nav_build(void)
{
	size_t total = 0;
	for (size_t i = 0; i < modules_count; i++)
		total += modules[i]->nav_n;
	g_nav = calloc(total ? total : 1, sizeof *g_nav);
	for (size_t i = 0; i < modules_count; i++)
		for (size_t k = 0; k < modules[i]->nav_n; k++)
			g_nav[g_nav_n++] = &modules[i]->nav[k];
	qsort(g_nav, g_nav_n, sizeof *g_nav, nav_cmp);
}

const struct nav_entry *const *nav_table(size_t *n)
{
	pthread_once(&g_nav_once, nav_build);
	*n = g_nav_n;
	return g_nav;
}

const struct permission *permission_find(const char *key)
{
	for (size_t i = 0; key && i < modules_count; i++)
		for (size_t k = 0; k < modules[i]->permissions_n; k++)
			if (!strcmp(modules[i]->permissions[k]->key, key))
				return modules[i]->permissions[k];
	return NULL;
}
