/* orgs_figures — what the dashboard counts of the org tree (SPEC M11, issue
 * 17): the 党支部 of a subtree that are not dissolved, now; the list is
 * /orgs?org=CODE&type=branch, read by orgs_of_type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "orgs.h"

struct org *orgs_of_type(db *d, const char *prefix, const char *type, size_t *n)
{
	size_t all_n;
	struct org *v = orgs_under(d, prefix, false, &all_n);
	*n = 0;
	for (size_t i = 0; i < all_n; i++)
		if (!strcmp(v[i].type, type))
			v[(*n)++] = v[i];
	return v;
}

int64_t org_fig_branches(db *d, const struct figure_scope *s)
{
	return db_int1(d, FIGURE_FAILED, "SELECT COUNT(*) FROM orgs WHERE path LIKE ? || '%' AND type = 'branch' AND dissolved_at IS NULL", "t",
		       s->org_path);
}
void org_href_branches(const struct figure_scope *s, char *out, size_t n) { figure_href_org(s, "/orgs", "&type=branch", out, n); }
