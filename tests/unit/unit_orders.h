/* unit_orders — what the unit tests of orders share to set up: a resident's
 * order (the street lamp of 陈集村, 王大爷's phone) and a generated county
 * of one town. */
#ifndef DJ_UNIT_ORDERS_H
#define DJ_UNIT_ORDERS_H
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "demo.h"
#include "orders.h"
#include "orgs.h"
#include "unit_db.h"

/* The orgs an order is placed in: 某县委 (XW) over 陈集镇党委 (CJZ) over
 * 陈集村党支部 (CJZ-CJC, 农村); returns the branch's id, its path into path. */
static inline int64_t unit_cjc_branch(db *d, char path[256])
{
	int64_t county = orgs_create(d, 0, "XW", "某县委", "county", "");
	int64_t town = orgs_create(d, county, "CJZ", "陈集镇党委", "committee", "");
	int64_t branch = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "农村");
	cr_assert(branch > 0);
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", branch);
	cr_assert(db_next(s));
	snprintf(path, 256, "%s", db_str(s, 0));
	cr_assert_eq(db_done(s), DB_OK);
	return branch;
}

/* o cleared and filled as a resident's form: kind, content and org, the
 * contact 王大爷 13800001111. */
static inline void unit_order_new(struct order_new *o, const char *kind, const char *org_code, const char *content)
{
	memset(o, 0, sizeof *o);
	snprintf(o->kind, sizeof o->kind, "%s", kind);
	snprintf(o->content, sizeof o->content, "%s", content);
	snprintf(o->org_code, sizeof o->org_code, "%s", org_code);
	snprintf(o->contact_name, sizeof o->contact_name, "王大爷");
	snprintf(o->contact_phone, sizeof o->contact_phone, "13800001111");
}

/* Places o as a resident from ip, in the transaction open on d; its code
 * into code (24 bytes); returns its id. The order must be accepted. */
static inline int64_t unit_place(db *d, const char *ip, struct order_new *o, char code[24])
{
	struct actor resident;
	actor_public(&resident, ip);
	bool repeated;
	struct field_errors e = {0};
	enum dj_result res = order_create(d, &resident, o, code, &repeated, &e);
	cr_assert_eq(res, DJ_OK, "%s", dj_message(res, &e));
	return db_int1(d, 0, "SELECT id FROM orders WHERE code = ?", "t", code);
}

/* A county of one town generated into a new database (unit_db_open) at
 * DANGJIAN_NOW=now: members, orders, a year of records; via_rules: through
 * the domain's rules rather than bulk SQL. */
static inline db *unit_county(const char *name, char path[96], const char *now, int members, int orders, bool via_rules)
{
	setenv("DANGJIAN_NOW", now, 1);
	struct demo_opts o;
	cr_assert_eq(demo_scale_opts("county", &o), 0);
	o.towns = 1, o.members = members, o.orders = orders, o.years = 1, o.via_rules = via_rules;
	db *d = unit_db_open(name, path);
	FILE *out = fopen("/dev/null", "w");
	cr_assert_eq(demo_fill_scale(d, &o, out), 0);
	fclose(out);
	return d;
}

#endif
