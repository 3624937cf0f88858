/* grids — grids (网格) inside villages and communities, their grid workers,
 * households and the 党员中心户 who look after them (SPEC M9). The domain:
 * checks, SQL and audit; pages and API are in grids_web.c. */
#ifndef DJ_GRIDS_H
#define DJ_GRIDS_H
#include <stdbool.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"

/* Permission rows: see the grids of one's subtree; create a grid; register a household. */
extern const struct permission perm_grid_view, perm_grid_create, perm_household_add;

struct grid {
	int64_t id, org_id;
	char code[40];
	char name[128];
	char org_code[40];
	char org_name[200];
	char worker[64]; /* the grid worker's username, "" when none */
	char worker_name[64];
	int64_t households, residents, central_households; /* 党员中心户 among its households */
};

struct household {
	int64_t id;
	char address[320];
	char head_name[96];
	int64_t size;
	int64_t central_member_id; /* 0 when no 党员中心户 looks after it */
	char central_member[64];
};

/* The grid with this code, when it lies inside the actor's subtree
 * (DJ_NOT_FOUND otherwise, which looks the same as no grid at all). */
enum dj_result grid_load(db *d, const struct actor *a, const char *code, struct grid *g, struct field_errors *e);
/* Every grid of the actor's subtree, by org and code. */
enum dj_result grids_each(db *d, const struct actor *a, void (*fn)(const struct grid *g, void *ctx), void *ctx);
/* The households of a grid loaded by grid_load: by id, or by_member (grouped
 * by their 党员中心户's name) for the page. */
enum dj_result households_each(db *d, const struct grid *g, bool by_member, void (*fn)(const struct household *h, void *ctx), void *ctx);

/* Creates a grid under a village or community branch (org: its code) of the
 * actor's subtree, with an optional grid worker (a username); audited as
 * grid.create. DJ_INVALID names the fields: code, name, org, worker. */
enum dj_result grid_create(db *d, const struct actor *a, const char *code, const char *name, const char *org, const char *worker, int64_t *id,
			   struct field_errors *e);
/* Registers a household in the grid of that code, optionally looked after by a
 * 党员中心户 of the grid's branch (at most 15 households each); audited as
 * household.create. DJ_INVALID names the fields: address, head_name, size, central_member_id. */
enum dj_result household_add(db *d, const struct actor *a, const char *grid_code, const char *address, const char *head_name, int64_t size,
			     int64_t central_member_id, int64_t *id, struct field_errors *e);

#endif
