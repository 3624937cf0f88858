/* dues_figures — what the dashboard counts of party dues (SPEC M11, M9):
 * for the months of the period and the members' orgs in the subtree, what
 * was due (after reductions), paid and still owing, in 元 (the rows are in
 * fen; figures.h rounds the sum to the 元), and the members in arrears.
 * Each row's SQL is its drill-down list (FIGURE_SQL). */
#include "dues.h"
#include "figures.h"

FIGURE_SQL(dues_fig_due, "dues.due")
FIGURE_SQL(dues_fig_paid, "dues.paid")
FIGURE_SQL(dues_fig_owing, "dues.owing")
FIGURE_SQL(dues_fig_arrears, "dues.arrears")

#define MONTHS                                                                                                                                  \
	"FROM dues_months dm JOIN orgs g ON g.id = dm.org_id JOIN members m ON m.id = dm.member_id WHERE g.path LIKE ? || '%' AND dm.month >= " \
	"SUBSTR(?, 1, 7) AND dm.month <= SUBSTR(?, 1, 7)"

const struct figure dues_figures[DUES_FIGURES_N] = {
	{"dues.due", "党费与关系转接", "应交党费", "元", dues_fig_due, dues_fig_due_href, false,
	 "SELECT dm.month AS at, g.name AS org, m.name AS title, dm.status AS detail, dm.due_fen - dm.reduced_fen AS v, 'dues_member' AS kind, m.id AS ref " MONTHS,
	 'D'},
	{"dues.paid", "党费与关系转接", "已交党费", "元", dues_fig_paid, dues_fig_paid_href, false,
	 "SELECT dm.month AS at, g.name AS org, m.name AS title, dm.status AS detail, dm.paid_fen AS v, 'dues_member' AS kind, m.id AS ref " MONTHS
	 " AND dm.paid_fen <> 0",
	 'D'},
	{"dues.owing", "党费与关系转接", "欠交党费", "元", dues_fig_owing, dues_fig_owing_href, false,
	 "SELECT dm.month AS at, g.name AS org, m.name AS title, dm.status AS detail, dm.due_fen - dm.reduced_fen - dm.paid_fen AS v, 'dues_member' AS kind, m.id AS ref " MONTHS
	 " AND dm.status = 'owing'",
	 'D'},
	{"dues.arrears", "党费与关系转接", "欠交党员", "人", dues_fig_arrears, dues_fig_arrears_href, false,
	 "SELECT MAX(dm.month) AS at, MAX(g.name) AS org, m.name AS title, CAST(COUNT(*) AS TEXT) || ' 个月' AS detail, 1 AS v, 'dues_member' AS kind, m.id AS ref " MONTHS
	 " AND dm.status = 'owing' GROUP BY m.id, m.name",
	 'D'},
};
