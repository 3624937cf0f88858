/* volunteer_figures — what the dashboard counts of volunteer service (SPEC
 * M11, M3): activities of the period that took place or are to (published,
 * under way or finished: not drafts, not cancelled — as the volunteer report
 * and the monthly bulletin count them, so the three agree), their check-ins
 * (人次), the members who served, hours, and the teams (服务队) with their
 * members now. A campaign task linked to an activity counts it only once
 * finished (volunteer_link_state). Each row's SQL is also its drill-down
 * list (figures.h FIGURE_SQL). */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "volunteer.h"

#define ACTIVE "a.state IN ('published', 'in_progress', 'finished')"
#define ACT "FROM volunteer_activities a JOIN orgs g ON g.id = a.org_id WHERE g.path LIKE ? || '%' AND " ACTIVE " AND a.starts_at >= ? AND a.starts_at < ?"
#define SIGN                                                                                                                                    \
	"FROM volunteer_signups s JOIN volunteer_activities a ON a.id = s.activity_id JOIN orgs g ON g.id = a.org_id JOIN members m ON m.id = " \
	"s.member_id WHERE g.path LIKE ? || '%' AND " ACTIVE " AND s.checkin_at IS NOT NULL AND a.starts_at >= ? AND a.starts_at < ?"

FIGURE_SQL(volunteer_fig_activities, "volunteer.activities")
FIGURE_SQL(volunteer_fig_checkins, "volunteer.checkins")
FIGURE_SQL(volunteer_fig_volunteers, "volunteer.volunteers")
FIGURE_SQL(volunteer_fig_hours, "volunteer.hours")
FIGURE_SQL(volunteer_fig_teams, "volunteer.teams")
FIGURE_SQL(volunteer_fig_team_members, "volunteer.team_members")

const struct figure volunteer_figures[VOLUNTEER_FIGURES_N] = {
	{"volunteer.activities", "志愿服务", "开展活动", "次", volunteer_fig_activities, volunteer_fig_activities_href, false,
	 "SELECT a.starts_at AS at, g.name AS org, a.title AS title, a.place AS detail, 1 AS v, 'volunteer' AS kind, a.id AS ref " ACT, 'T'},
	{"volunteer.checkins", "志愿服务", "服务人次", "人次", volunteer_fig_checkins, volunteer_fig_checkins_href, false,
	 "SELECT s.checkin_at AS at, g.name AS org, m.name AS title, a.title AS detail, 1 AS v, 'volunteer' AS kind, a.id AS ref " SIGN, 'T'},
	{"volunteer.volunteers", "志愿服务", "参与志愿者", "人", volunteer_fig_volunteers, volunteer_fig_volunteers_href, false,
	 "SELECT MAX(s.checkin_at) AS at, MAX(g.name) AS org, m.name AS title, CAST(COUNT(*) AS TEXT) || ' 次' AS detail, 1 AS v, 'member' AS kind, m.id AS ref " SIGN
	 " GROUP BY m.id, m.name",
	 'T'},
	/* hours: each 人次's minutes rounded to the hour, so the rows add up to the figure */
	{"volunteer.hours", "志愿服务", "服务时长", "小时", volunteer_fig_hours, volunteer_fig_hours_href, false,
	 "SELECT s.checkin_at AS at, g.name AS org, m.name AS title, a.title AS detail, (s.minutes + 30) / 60 AS v, 'volunteer' AS kind, a.id AS ref " SIGN,
	 'T'},
	{"volunteer.teams", "志愿服务", "志愿服务队", "支", volunteer_fig_teams, volunteer_fig_teams_href, true,
	 "SELECT t.created_at AS at, g.name AS org, t.name AS title, '' AS detail, 1 AS v, 'volunteer_team' AS kind, t.id AS ref FROM volunteer_teams t JOIN orgs g ON g.id = t.org_id "
	 "WHERE g.path LIKE ? || '%'",
	 'S'},
	{"volunteer.team_members", "志愿服务", "服务队队员", "人", volunteer_fig_team_members, volunteer_fig_team_members_href, true,
	 "SELECT tm.joined_at AS at, g.name AS org, m.name AS title, t.name AS detail, 1 AS v, 'member' AS kind, m.id AS ref FROM volunteer_team_members tm JOIN "
	 "volunteer_teams t ON t.id = tm.team_id JOIN orgs g ON g.id = t.org_id JOIN members m ON m.id = tm.member_id WHERE g.path LIKE ? || '%'",
	 'S'},
};

/* A campaign task's linked volunteer activity (M10): fulfilled once finished. */
int volunteer_link_state(db *d, int64_t id, char org_path[256])
{
	db_stmt *s = db_query(d, "SELECT g.path, x.state FROM volunteer_activities x JOIN orgs g ON g.id = x.org_id WHERE x.id = ?", "I", id);
	int st = -1;
	if (db_next(s)) {
		snprintf(org_path, 256, "%s", db_str(s, 0));
		const char *state = db_str(s, 1);
		st = !strcmp(state, "finished");
	}
	if (db_done(s) != DB_OK)
		return -2;
	return st;
}
