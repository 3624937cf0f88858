/* dashboard_figures — the numbers the monthly bulletin prints (assess.c,
 * issue 16) that no mechanism's figures counted yet, counted here over the
 * same records so that the dashboard, its API and .xlsx and the bulletin
 * agree (tests/e2e/assess.test.js compares them for a scripted month):
 * orders rated by residents, points entries earned, free practice records
 * (实践) and decisions due in the period that were overdue. Each row's SQL is
 * its drill-down list (figures.h FIGURE_SQL). */
#include <stdio.h>
#include <string.h>

#include "dashboard.h"
#include "figures.h"

FIGURE_SQL(dash_fig_rated, "orders.rated")
FIGURE_SQL(dash_fig_earned, "points.earned")
FIGURE_SQL(dash_fig_practices, "themeday.practices")
FIGURE_SQL(dash_fig_due_overdue, "meetings.due_overdue")

const struct figure dashboard_figures[DASHBOARD_FIGURES_N] = {
	/* the bulletin's 收到群众评价: orders closed in the period with a rating */
	{"orders.rated", "诉求办理", "群众评价", "次", dash_fig_rated, dash_fig_rated_href, false,
	 "SELECT x.closed_at AS at, g.name AS org, SUBSTR(x.content, 1, 30) AS title, '评价 ' || CAST(x.rating AS TEXT) || ' 星' AS detail, 1 AS v, "
	 "'order' AS kind, x.id AS ref FROM orders x JOIN orgs g ON g.id = x.org_id WHERE g.path LIKE ? || '%' AND x.rating IS NOT NULL AND "
	 "x.closed_at >= ? AND x.closed_at < ?",
	 'T'},
	/* 党员获得积分 N 人次: entries that add points (corrections and capped
	 * entries do not), by the time of the event */
	{"points.earned", "党员积分", "得分人次", "人次", dash_fig_earned, dash_fig_earned_href, false,
	 "SELECT l.at AS at, g.name AS org, m.name AS title, l.reason AS detail, 1 AS v, 'member' AS kind, m.id AS ref FROM points_ledger l JOIN "
	 "orgs g ON g.id = l.org_id JOIN members m ON m.id = l.member_id WHERE g.path LIKE ? || '%' AND l.points > 0 AND l.at >= ? AND l.at < ?",
	 'T'},
	/* 开展主题实践活动: free practice records; they have no page of their own */
	{"themeday.practices", "主题党日", "主题实践活动", "次", dash_fig_practices, dash_fig_practices_href, false,
	 "SELECT p.practice_date AS at, g.name AS org, p.title AS title, CAST(p.participants AS TEXT) || ' 人参加' AS detail, 1 AS v, '' AS kind, "
	 "p.id AS ref FROM practices p JOIN orgs g ON g.id = p.org_id WHERE g.path LIKE ? || '%' AND p.practice_date >= ? AND p.practice_date <= ?",
	 'D'},
	/* 到期决议事项逾期: decisions whose deadline falls in the period, still
	 * open after it (judged today) or done after it */
	{"meetings.due_overdue", "会议决策", "到期逾期", "件", dash_fig_due_overdue, dash_fig_due_overdue_href, false,
	 "SELECT d.created_at AS at, g.name AS org, d.matter AS title, '完成时限 ' || d.deadline AS detail, 1 AS v, 'decision' AS kind, d.id AS ref "
	 "FROM decisions d JOIN orgs g ON g.id = d.org_id WHERE g.path LIKE ? || '%' AND d.deadline >= ? AND d.deadline <= ? AND ((d.state = "
	 "'open' AND d.deadline < ?) OR (d.state = 'done' AND d.done_date > d.deadline))",
	 'E'},
};
