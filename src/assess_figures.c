/* assess_figures — what the dashboard counts of branch assessment (SPEC M11,
 * M8): the 优秀党支部 designated in the period (seed 004: "共评选红色'七点半'
 * 优秀党支部5个"), each designation a row of its drill-down list (FIGURE_SQL). */
#include "assess.h"
#include "figures.h"

FIGURE_SQL(assess_fig_excellent, "assess.excellent")

const struct figure assess_figures[ASSESS_DASH_FIGURES_N] = {
	{"assess.excellent", "支部考核", "优秀党支部", "个", assess_fig_excellent, assess_fig_excellent_href, false,
	 "SELECT x.designated_at AS at, g.name AS org, x.period || ' ' || CASE WHEN x.note = '' THEN '优秀党支部' ELSE x.note END AS title, "
	 "x.designator AS detail, 1 AS v, 'org' AS kind, x.org_id AS ref FROM assess_excellent x JOIN orgs g ON g.id = x.org_id WHERE g.path LIKE ? || '%' AND x.designated_at >= ? "
	 "AND x.designated_at < ?",
	 'T'},
};
