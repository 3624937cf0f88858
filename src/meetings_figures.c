/* meetings_figures — what the dashboard counts of meetings and decisions
 * (SPEC M11, M5): meetings held in the period (all, 红色七点半, 三会一课),
 * members present (人次), decisions made, done (解决难题、急事, as the
 * meetings summary counts them: decisions done), done on time, and open
 * past their deadline. Each row's SQL is its drill-down list (FIGURE_SQL). */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "meetings.h"

#define HELD                                                                                                                                                               \
	"SELECT mt.starts_at AS at, g.name AS org, mt.theme AS title, mt.place AS detail, 1 AS v, 'meeting' AS kind, mt.id AS ref FROM meetings mt JOIN orgs g ON g.id = " \
	"mt.org_id WHERE g.path LIKE ? || '%' AND mt.state = 'held' AND mt.starts_at >= ? AND mt.starts_at < ?"
#define DEC                                                                                                                                                                           \
	"SELECT d.created_at AS at, g.name AS org, d.matter AS title, '完成时限 ' || d.deadline AS detail, 1 AS v, 'decision' AS kind, d.id AS ref FROM decisions d JOIN orgs g " \
	"ON g.id = d.org_id WHERE g.path LIKE ? || '%'"

FIGURE_SQL(meetings_fig_held, "meetings.held")
FIGURE_SQL(meetings_fig_red730, "meetings.red730")
FIGURE_SQL(meetings_fig_sanhui, "meetings.sanhui")
FIGURE_SQL(meetings_fig_present, "meetings.present")
FIGURE_SQL(meetings_fig_decisions, "meetings.decisions")
FIGURE_SQL(meetings_fig_solved, "meetings.solved")
FIGURE_SQL(meetings_fig_on_time, "meetings.on_time")
FIGURE_SQL(meetings_fig_overdue, "meetings.overdue")

const struct figure meetings_figures[MEETINGS_FIGURES_N] = {
	{"meetings.held", "会议决策", "召开会议", "次", meetings_fig_held, meetings_fig_held_href, false, HELD, 'T'},
	{"meetings.red730", "会议决策", "红色七点半", "次", meetings_fig_red730, meetings_fig_red730_href, false, HELD " AND mt.type = 'red730'", 'T'},
	{"meetings.sanhui", "会议决策", "三会一课", "次", meetings_fig_sanhui, meetings_fig_sanhui_href, false,
	 HELD " AND mt.type IN ('assembly', 'committee', 'group', 'lesson')", 'T'},
	{"meetings.present", "会议决策", "党员参会", "人次", meetings_fig_present, meetings_fig_present_href, false,
	 "SELECT mt.starts_at AS at, g.name AS org, m.name AS title, mt.theme AS detail, 1 AS v, 'meeting' AS kind, mt.id AS ref FROM meeting_attendance ma JOIN meetings mt ON "
	 "mt.id = ma.meeting_id JOIN orgs g ON g.id = mt.org_id JOIN members m ON m.id = ma.member_id WHERE g.path LIKE ? || '%' AND mt.state = "
	 "'held' AND ma.status = 'present' AND mt.starts_at >= ? AND mt.starts_at < ?",
	 'T'},
	{"meetings.decisions", "会议决策", "作出决策", "项", meetings_fig_decisions, meetings_fig_decisions_href, false,
	 DEC " AND d.created_at >= ? AND d.created_at < ?", 'T'},
	{"meetings.solved", "会议决策", "解决难题急事", "件", meetings_fig_solved, meetings_fig_solved_href, false,
	 DEC " AND d.state = 'done' AND d.done_at >= ? AND d.done_at < ?", 'T'},
	{"meetings.on_time", "会议决策", "按时办结", "件", meetings_fig_on_time, meetings_fig_on_time_href, false,
	 DEC " AND d.state = 'done' AND d.done_at >= ? AND d.done_at < ? AND d.done_date <= d.deadline", 'T'},
	/* decisions of the period still open after their deadline (judged today) */
	{"meetings.overdue", "会议决策", "逾期未办结", "件", meetings_fig_overdue, meetings_fig_overdue_href, false,
	 DEC " AND d.created_at >= ? AND d.created_at < ? AND d.state = 'open' AND d.deadline < ?", 'O'},
};

/* A campaign task's linked meeting (M10): fulfilled once held. */
int meeting_link_state(db *d, int64_t id, char org_path[256])
{
	db_stmt *s = db_query(d, "SELECT g.path, x.state FROM meetings x JOIN orgs g ON g.id = x.org_id WHERE x.id = ?", "I", id);
	int st = -1;
	if (db_next(s)) {
		snprintf(org_path, 256, "%s", db_str(s, 0));
		const char *state = db_str(s, 1);
		st = !strcmp(state, "held");
	}
	if (db_done(s) != DB_OK)
		return -2;
	return st;
}
