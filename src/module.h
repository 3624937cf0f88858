/* module — what a mechanism hands the server: its routes, its navigation
 * entries, its background tasks, its permission rows and the records its
 * notifications point at. Each mechanism's *_web.c exports one module record;
 * modules.c lists them, the only central line a new mechanism adds. The
 * server merges the routes at start (fixed segments before :params, a
 * duplicate refused) and `dangjian routes` prints the merged table. */
#ifndef DJ_MODULE_H
#define DJ_MODULE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"
#include "permission.h"
#include "server.h"

/* A link of the navigation. roles: who sees it once logged in; NAV_PUBLIC:
 * shown to visitors who are not logged in. order: its place in its group,
 * smaller first. group: the menu it is shown under (the table of groups, their
 * labels and order, is nav_groups in routes.c); an entry that names none
 * shows under 更多. NAV_TOP: a link of its own in the bar, not in a menu (工作台,
 * 消息, and every link of the public bar). */
#define NAV_PUBLIC (1 << 12)
enum nav_group {
	NAV_MORE = 0, /* 更多: the default of an entry without a group */
	NAV_TOP,      /* 常用 */
	NAV_ORDERS,   /* 诉求服务 */
	NAV_PARTY,    /* 党员管理 */
	NAV_LIFE,     /* 组织生活 */
	NAV_EVAL,     /* 评选考核 */
	NAV_SYSTEM,   /* 系统 */
	NAV_ACCOUNT,  /* 账户 */
	NAV_GROUPS_N
};
struct nav_entry {
	const char *href, *label;
	int roles;
	int order;
	enum nav_group group;
};

/* Work `serve` does by itself every minute (auto-closing orders, …), each in
 * its own transaction on a connection of its own, and `dangjian tick` once. */
typedef int (*background_fn)(db *d, int64_t now);
struct background_task {
	const char *name;
	background_fn run;
};

/* A kind of record that notifications and audit entries point at, and the
 * console page that shows one: {"order", "/orders/"} → /orders/42. */
struct entity_link {
	const char *entity, *href_prefix;
};

/* What a mechanism adds to the demo town (`dangjian demo`, `make run`): called
 * once, in the order of modules[], inside the demo's transaction, after the
 * organisations, users, roster, orders and member logins exist. cli is the
 * CLI's actor. Returns 0, or non-zero after printing why to stderr. */
struct actor;
struct checkin_kind; /* checkin.h: a kind of record members check in to by QR code */
struct figure;       /* figures.h: a figure the dashboard counts (SPEC M11) */
struct org;          /* orgs.h: an organisation */
typedef int (*demo_fn)(db *d, const struct actor *cli, FILE *out);

struct module {
	const char *name; /* "orders": the mechanism, as `dangjian routes` prints it */
	const route *routes;
	size_t routes_n;
	const struct nav_entry *nav;
	size_t nav_n;
	const struct background_task *tasks;
	size_t tasks_n;
	const struct permission *const *permissions;
	size_t permissions_n;
	const struct entity_link *entities;
	size_t entities_n;
	demo_fn demo; /* NULL: the mechanism adds nothing to the demo town */
	const struct checkin_kind *checkin;
	size_t checkin_n;
	const struct figure *figures; /* figures.h: what the dashboard counts of this mechanism */
	size_t figures_n;
	/* A section of an organisation's page (/orgs/:id), shown after its
	 * details in modules[] order: writes to r->out what the caller may see of
	 * o (nothing when it has nothing). NULL: the mechanism adds none. */
	void (*org_section)(req *r, const struct org *o);
};
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* modules.c: the list. */
extern const struct module *const modules[];
extern const size_t modules_count;

/* The merged route table (routes.c). routes_merge() builds it from a list of
 * modules: every route of every module, sorted so that at each segment a
 * fixed word comes before a :param and a :param before a final *; a second
 * route with the same method and the same pattern (whatever its parameter
 * names) is refused with a message naming both modules. Returns false with
 * err filled. The server and `dangjian routes` call it with the modules above. */
struct merged_routes {
	route *v;
	size_t n;
};
bool routes_merge(const struct module *const *list, size_t n, struct merged_routes *out, char *err, size_t errlen);
void routes_free(struct merged_routes *m);
/* The table the server serves, merged once from modules[] (NULL with err on a duplicate). */
const struct merged_routes *routes_table(char *err, size_t errlen);
/* Finds the route for a request; sets *method_mismatch when only the method differs. */
const route *routes_find(const struct merged_routes *t, const char *method, const char *path, kvlist *params, bool *method_mismatch);
/* Prints the table: METHOD TAB PATTERN TAB ROLES TAB MODULE TAB NAME, one route a line. */
void routes_print(const struct merged_routes *t, FILE *f);

/* Runs every module's background tasks once, each in its own transaction;
 * adds the records they changed to *changed and returns how many failed. */
int modules_run_tasks(db *d, int64_t now, int *changed);

/* Every module's navigation entries in the order they are shown: by their
 * group's order, then their own order. */
const struct nav_entry *const *nav_table(size_t *n);
/* A group's label (更多 for NAV_MORE and anything out of range) and its place. */
const char *nav_group_label(enum nav_group g);
int nav_group_order(enum nav_group g);

/* A permission row of any module, by its key ("member.reveal"), or NULL. */
const struct permission *permission_find(const char *key);

/* The console link of a record, from the modules' entity links ("" when none). */
const char *entity_href_prefix(const char *entity);

#endif
