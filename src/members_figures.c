/* members_figures — what the dashboard counts of the roster (SPEC M11, issue
 * 17): counted by member_roster itself, so the figure is the roster page's
 * "共 N 名党员" for the same filter. Snapshots: the members there are now. */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "members.h"

static void no_row(void *ctx, const struct member_row *m) { (void)ctx, (void)m; }

static int64_t roster_count(db *d, const char *prefix, const char *category)
{
	struct actor cli;
	actor_cli(&cli);
	struct roster_query q = {.prefix = prefix, .category = category, .in_service = -1, .limit = 0};
	int64_t total = 0;
	return member_roster(d, &cli, &q, no_row, NULL, &total) == DJ_OK ? total : FIGURE_FAILED;
}

int64_t member_fig_members(db *d, const struct figure_scope *s) { return roster_count(d, s->org_path, NULL); }
int64_t member_fig_probationary(db *d, const struct figure_scope *s) { return roster_count(d, s->org_path, "probationary"); }
void member_href_members(const struct figure_scope *s, char *out, size_t n) { figure_href_org(s, "/members", NULL, out, n); }
void member_href_probationary(const struct figure_scope *s, char *out, size_t n) { figure_href_org(s, "/members", "&category=probationary", out, n); }
