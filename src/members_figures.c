/* members_figures — what the dashboard counts of the roster (SPEC M11, issue
 * 17): the members of a subtree's orgs, all or of one category — the same
 * rows as the roster page's "共 N 名党员" for that filter (member_roster: the
 * member's own org in the subtree's path range, whatever the status).
 * All of them: the sum of the subtree's org_member_counts (migration 043,
 * kept by triggers, recounted by `dangjian check`), which the roster's
 * unfiltered total reads too — a town's ~120 rows instead of its ~15,000
 * members. One category (预备党员) is counted from the index of members by
 * org (the partial index of migration 038). Snapshots: the members there
 * are now. */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "members.h"

static int64_t members_in(db *d, const char *prefix, const char *category)
{
	/* paths are digits and '/': "/1/4/" covers ["/1/4/", "/1/40"), as member_roster reads it */
	char lo[256], hi[256];
	snprintf(lo, sizeof lo, "%s", prefix);
	snprintf(hi, sizeof hi, "%s", prefix);
	if (*hi)
		hi[strlen(hi) - 1]++;
	return db_int1(d, FIGURE_FAILED,
		       "SELECT COUNT(*) FROM members m WHERE m.category = ? AND m.org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)", "ttt",
		       category, lo, hi);
}

int64_t member_fig_members(db *d, const struct figure_scope *s) { return member_count_under(d, s->org_path, FIGURE_FAILED); }
int64_t member_fig_probationary(db *d, const struct figure_scope *s) { return members_in(d, s->org_path, "probationary"); }
void member_href_members(const struct figure_scope *s, char *out, size_t n) { figure_href_org(s, "/members", NULL, out, n); }
void member_href_probationary(const struct figure_scope *s, char *out, size_t n) { figure_href_org(s, "/members", "&category=probationary", out, n); }
