/* Unit tests: the module records (issue 7 §4). A new mechanism is its three
 * files and one line in the module list: the tiny example module below is
 * such a mechanism, and the tests show the server would serve its routes in
 * the right order, show its navigation, run its task, and refuse a module
 * that declares a route twice. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "module.h"

/* ---- the example mechanism: what its *_web.c would export ---- */

static void example_list(req *r) { (void)r; }
static void example_detail(req *r) { (void)r; }
static void example_new(req *r) { (void)r; }
static int example_runs;
static int example_tick(db *d, int64_t now)
{
	(void)d, (void)now;
	example_runs++;
	return 0;
}

static const route example_routes[] = {
	/* declared in any order: the merge puts /example/new before /example/:id */
	{"GET", "/example/:id", example_detail, R_ANY, 0, 0, "example"},
	{"GET", "/example", example_list, R_ANY, 0, 0, "examples"},
	{"GET", "/example/new", example_new, R_BRANCH, 0, 0, "example_new"},
};
static const struct nav_entry example_nav[] = {{"/example", "示例", R_BRANCH, 15}};
static const struct background_task example_tasks[] = {{"tick", example_tick}};
static const struct permission perm_example_edit = {"example.edit", "示例", R_BRANCH};
static const struct permission *const example_perms[] = {&perm_example_edit};
static const struct module example_module = {
	.name = "example",
	.routes = example_routes,
	.routes_n = COUNT_OF(example_routes),
	.nav = example_nav,
	.nav_n = COUNT_OF(example_nav),
	.tasks = example_tasks,
	.tasks_n = COUNT_OF(example_tasks),
	.permissions = example_perms,
	.permissions_n = COUNT_OF(example_perms),
};

/* The real list plus the example: what modules.c would hold with its one new line. */
static const struct module *with_example[64];
static size_t with_example_n;

static void add_example(void)
{
	with_example_n = 0;
	for (size_t i = 0; i < modules_count; i++)
		with_example[with_example_n++] = modules[i];
	with_example[with_example_n++] = &example_module;
}

Test(modules, a_new_module_is_served_with_fixed_segments_before_params)
{
	add_example();
	struct merged_routes t;
	char err[256] = "";
	cr_assert(routes_merge(with_example, with_example_n, &t, err, sizeof err), "%s", err);
	bool mismatch;
	kvlist params = {0};
	const route *rt = routes_find(&t, "GET", "/example/new", &params, &mismatch);
	cr_assert_not_null(rt);
	cr_assert_eq(rt->handler, example_new, "the fixed segment wins over :id");
	cr_assert_eq(rt->module, &example_module);
	rt = routes_find(&t, "GET", "/example/42", &params, &mismatch);
	cr_assert_eq(rt->handler, example_detail);
	cr_assert_str_eq(kvlist_get(&params, "id")->val, "42");
	kvlist_free(&params);
	rt = routes_find(&t, "POST", "/example", NULL, &mismatch);
	cr_assert_null(rt);
	cr_assert(mismatch, "a known path with another method is a 405, not a 404");
	/* the printed table names the module */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	routes_print(&t, f);
	fclose(f);
	cr_assert_not_null(strstr(text, "GET\t/example/new\tbranch\texample\texample_new\n"), "%s", text);
	cr_assert_not_null(strstr(text, "GET\t/orders/:id\t"), "the real modules are there too");
	free(text);
	routes_free(&t);
}

Test(modules, a_route_declared_twice_is_refused_naming_both_modules)
{
	static const route dup_routes[] = {{"GET", "/orders/:key", example_detail, R_ANY, 0, 0, "dup"}};
	static const struct module dup_module = {.name = "dup", .routes = dup_routes, .routes_n = 1};
	const struct module *list[64];
	size_t n = 0;
	for (size_t i = 0; i < modules_count; i++)
		list[n++] = modules[i];
	list[n++] = &dup_module;
	struct merged_routes t;
	char err[256] = "";
	cr_assert_not(routes_merge(list, n, &t, err, sizeof err));
	cr_assert_not_null(strstr(err, "duplicate route GET /orders/:id"), "%s", err);
	cr_assert_not_null(strstr(err, "module orders"), "%s", err);
	cr_assert_not_null(strstr(err, "module dup"), "%s", err);
	/* the same path with another method is not a duplicate */
	static const route post_routes[] = {{"POST", "/example", example_list, R_ANY, 0, 0, "p"}};
	static const struct module post_module = {.name = "post", .routes = post_routes, .routes_n = 1};
	const struct module *ok[] = {&example_module, &post_module};
	cr_assert(routes_merge(ok, 2, &t, err, sizeof err), "%s", err);
	routes_free(&t);
}

Test(modules, the_server_table_has_no_duplicates_and_every_route_a_module)
{
	char err[256] = "";
	const struct merged_routes *t = routes_table(err, sizeof err);
	cr_assert_not_null(t, "%s", err);
	for (size_t i = 0; i < t->n; i++) {
		cr_assert_not_null(t->v[i].module);
		cr_assert_not_null(t->v[i].name);
	}
	/* a catch-all comes after everything under it */
	bool mismatch;
	const route *rt = routes_find(t, "GET", "/api/v1/orders/transitions", NULL, &mismatch);
	cr_assert_str_eq(rt->name, "api_order_transitions");
}

Test(modules, navigation_and_permissions_come_from_the_records)
{
	size_t n;
	const struct nav_entry *const *nav = nav_table(&n);
	cr_assert(n > 5);
	/* in the order they are shown: by group, then by their own order */
	for (size_t i = 1; i < n; i++) {
		int ga = nav_group_order(nav[i - 1]->group), gb = nav_group_order(nav[i]->group);
		cr_assert_leq(ga, gb, "sorted by group: %s before %s", nav[i - 1]->href, nav[i]->href);
		if (ga == gb)
			cr_assert_leq(nav[i - 1]->order, nav[i]->order, "then by order");
	}
	/* each group its own label and place; an entry that names no group (the
	 * example's) is shown under 更多, and so is a group the table lacks */
	for (int g = 0; g < NAV_GROUPS_N; g++)
		for (int h = g + 1; h < NAV_GROUPS_N; h++) {
			cr_assert_neq(nav_group_order(g), nav_group_order(h));
			cr_assert_str_neq(nav_group_label(g), nav_group_label(h));
		}
	cr_assert_eq(example_nav[0].group, NAV_MORE);
	cr_assert_str_eq(nav_group_label(example_nav[0].group), "更多");
	cr_assert_str_eq(nav_group_label(NAV_ORDERS), "诉求服务");
	cr_assert_str_eq(nav_group_label((enum nav_group)99), "更多");
	cr_assert_eq(nav_group_order((enum nav_group)99), nav_group_order(NAV_MORE));
	cr_assert_not_null(permission_find("member.reveal"));
	cr_assert_str_eq(entity_href_prefix("order"), "/orders/");
	cr_assert_str_eq(entity_href_prefix("no_such_thing"), "");
	/* the example's task runs like any other's */
	example_runs = 0;
	cr_assert_eq(example_module.tasks[0].run(NULL, 0), 0);
	cr_assert_eq(example_runs, 1);
}
