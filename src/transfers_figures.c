/* transfers_figures — what the dashboard counts of organisation-relation
 * transfers (SPEC M11, M9): letters issued from an org of the subtree in the
 * period (转出, returned ones not counted), and members received into it
 * (转入, by the day of receipt). Each row's SQL is its drill-down list. */
#include "figures.h"
#include "transfers.h"

FIGURE_SQL(transfers_fig_out, "transfers.out")
FIGURE_SQL(transfers_fig_in, "transfers.in")

const struct figure transfers_figures[TRANSFERS_FIGURES_N] = {
	{"transfers.out", "党费与关系转接", "组织关系转出", "人", transfers_fig_out, transfers_fig_out_href, false,
	 "SELECT t.issued_on AS at, g.name AS org, t.person_name AS title, t.letter_no || ' → ' || t.to_org_name AS detail, 1 AS v, 'transfer' AS kind, t.id AS ref FROM "
	 "transfers t JOIN orgs g ON g.id = t.from_org_id WHERE g.path LIKE ? || '%' AND t.state <> 'returned' AND t.issued_on >= ? AND "
	 "t.issued_on <= ?",
	 'D'},
	{"transfers.in", "党费与关系转接", "组织关系转入", "人", transfers_fig_in, transfers_fig_in_href, false,
	 "SELECT t.decided_on AS at, g.name AS org, t.person_name AS title, t.letter_no || ' ← ' || t.from_org_name AS detail, 1 AS v, 'transfer' AS kind, t.id AS ref FROM "
	 "transfers t JOIN orgs g ON g.id = t.to_org_id WHERE g.path LIKE ? || '%' AND t.state = 'received' AND t.decided_on >= ? AND "
	 "t.decided_on <= ?",
	 'D'},
};
