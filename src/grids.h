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

/* Permission rows: see the grids of one's subtree; create or edit a grid;
 * register, edit and remove households (staff of the subtree, the grid
 * worker in their own grid); record the 三长 of a grid; collect 社情民意 as a 三长. */
extern const struct permission perm_grid_view, perm_grid_create, perm_household_add, perm_leader_manage, perm_order_collect;

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

/* Whether the actor may change the grid's households: staff whose subtree
 * holds it, or the grid worker of this very grid. */
bool grid_manages(const struct actor *a, const struct grid *g);
/* The code of the (first) grid whose worker the actor is; false when none. */
bool grid_mine(db *d, const struct actor *a, char code[40]);
/* Renames a grid and sets (or, worker NULL/"", clears) its grid worker;
 * audited as grid.update. DJ_INVALID names the fields: name, worker. */
enum dj_result grid_update(db *d, const struct actor *a, const char *code, const char *name, const char *worker, struct field_errors *e);
/* One household of the grid (DJ_NOT_FOUND when it is another grid's). */
enum dj_result household_load(db *d, const struct grid *g, int64_t id, struct household *h, struct field_errors *e);
/* Changes a household (the fields and checks of household_add; the 15 per
 * 党员中心户 not counting itself); audited as household.update. */
enum dj_result household_update(db *d, const struct actor *a, const char *grid_code, int64_t id, const char *address, const char *head_name, int64_t size,
				int64_t central_member_id, struct field_errors *e);
/* Removes a household; audited as household.delete. */
enum dj_result household_remove(db *d, const struct actor *a, const char *grid_code, int64_t id, struct field_errors *e);

/* Choices for the forms: the branches of the actor's subtree that hold grids
 * (villages and communities); the active grid workers of the actor's
 * subtree; the 党员中心户 of a grid's branch with their households. */
void grid_orgs_each(db *d, const struct actor *a, void (*fn)(const char *code, const char *name, void *ctx), void *ctx);
void grid_workers_each(db *d, const struct actor *a, void (*fn)(const char *username, const char *name, void *ctx), void *ctx);
void grid_centrals_each(db *d, const struct grid *g, void (*fn)(int64_t id, const char *name, int64_t households, void *ctx), void *ctx);

/* ---- 三长制 (seed 003): 片长、组长、邻长 ---- */

struct grid_leader {
	int64_t id, grid_id;
	char role[16]; /* 片长 组长 邻长 */
	char name[64], phone[24], area[320];
	char username[64]; /* their login, "" when none */
	char grid_code[40], grid_name[128];
	int64_t collected;       /* 社情民意 collected on residents' behalf */
	int64_t user_id, org_id; /* their login (0: none); the grid's branch */
};
/* The 三长 of a grid (not removed), 片长 first, with how many orders each collected. */
enum dj_result leaders_each(db *d, const struct grid *g, void (*fn)(const struct grid_leader *l, void *ctx), void *ctx);
/* Records a 三长 on a grid: role 片长/组长/邻长, name, optional phone, the
 * households or area covered, optional login (username) for placing orders
 * themselves; staff of the grid's subtree or its grid worker. Audited as
 * leader.create. DJ_INVALID names the fields: role, name, phone, area, username. */
enum dj_result leader_add(db *d, const struct actor *a, const char *grid_code, const char *role, const char *name, const char *phone, const char *area,
			  const char *username, int64_t *id, struct field_errors *e);
/* Removes a 三长 from the grid (kept for the counts); audited as leader.delete. */
enum dj_result leader_remove(db *d, const struct actor *a, const char *grid_code, int64_t id, struct field_errors *e);
/* The 三长 roles the actor's own login holds, with their grids. */
enum dj_result leader_roles_each(db *d, const struct actor *a, void (*fn)(const struct grid_leader *l, void *ctx), void *ctx);
/* A 社情民意 order placed on a resident's behalf, collected by the 三长
 * leader_id: typed by that 三长 (their login) or by staff of the grid's
 * subtree / its grid worker. The order goes to the grid (order_create: its
 * checks, notices and audit); the collector is recorded (order_collectors)
 * and audited as order.collect. code: the tracking code for the resident. */
enum dj_result leader_collect(db *d, const struct actor *a, int64_t leader_id, const char *content, const char *urgency, const char *contact_name,
			      const char *contact_phone, const char *idempotency_key, char code[24], bool *repeated, struct field_errors *e);

#endif
