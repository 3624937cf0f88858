/* lessons_figures — what the dashboard counts of the theme day (SPEC M11,
 * M6): micro-lessons in the catalogue, lessons ordered (点单) and delivered,
 * and members who spoke (人次). Each row's SQL is its drill-down list
 * (FIGURE_SQL). Films and plans: themeday_figures.c. */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "lessons.h"

FIGURE_SQL(lessons_fig_catalogue, "lessons.catalogue")
FIGURE_SQL(lessons_fig_ordered, "lessons.ordered")
FIGURE_SQL(lessons_fig_delivered, "lessons.delivered")
FIGURE_SQL(lessons_fig_speakers, "lessons.speakers")

#define ORD "FROM lesson_orders lo JOIN lessons l ON l.id = lo.lesson_id JOIN orgs g ON g.id = lo.org_id WHERE g.path LIKE ? || '%'"

const struct figure lessons_figures[LESSONS_FIGURES_N] = {
	{"lessons.catalogue", "主题党日", "微党课目录", "节", lessons_fig_catalogue, lessons_fig_catalogue_href, true,
	 "SELECT l.created_at AS at, g.name AS org, l.title AS title, '' AS detail, 1 AS v, 'lesson' AS kind, l.id AS ref FROM lessons l JOIN orgs g ON g.id = l.org_id WHERE "
	 "g.path LIKE ? || '%'",
	 'S'},
	{"lessons.ordered", "主题党日", "点单", "次", lessons_fig_ordered, lessons_fig_ordered_href, false,
	 "SELECT lo.created_at AS at, g.name AS org, l.title AS title, lo.state AS detail, 1 AS v, 'lesson_order' AS kind, lo.id AS ref " ORD
	 " AND lo.created_at >= ? AND lo.created_at < ?",
	 'T'},
	{"lessons.delivered", "主题党日", "送课", "次", lessons_fig_delivered, lessons_fig_delivered_href, false,
	 "SELECT lo.delivered_at AS at, g.name AS org, l.title AS title, lo.place AS detail, 1 AS v, 'lesson_order' AS kind, lo.id AS ref " ORD
	 " AND lo.state IN ('delivered', 'rated') AND lo.delivered_at >= ? AND lo.delivered_at < ?",
	 'T'},
	{"lessons.speakers", "主题党日", "上台讲课", "人次", lessons_fig_speakers, lessons_fig_speakers_href, false,
	 "SELECT lo.delivered_at AS at, g.name AS org, m.name AS title, l.title AS detail, 1 AS v, 'lesson_order' AS kind, lo.id AS ref FROM lesson_attendance la JOIN lesson_orders lo "
	 "ON lo.id = la.order_id JOIN lessons l ON l.id = lo.lesson_id JOIN orgs g ON g.id = lo.org_id JOIN members m ON m.id = la.member_id "
	 "WHERE g.path LIKE ? || '%' AND la.spoke = 1 AND lo.state IN ('delivered', 'rated') AND lo.delivered_at >= ? AND lo.delivered_at < ?",
	 'T'},
};

/* A campaign task's linked lesson order (M10): fulfilled once delivered (or delivered and rated). */
int lesson_order_link_state(db *d, int64_t id, char org_path[256])
{
	db_stmt *s = db_query(d, "SELECT g.path, x.state FROM lesson_orders x JOIN orgs g ON g.id = x.org_id WHERE x.id = ?", "I", id);
	int st = -1;
	if (db_next(s)) {
		snprintf(org_path, 256, "%s", db_str(s, 0));
		const char *state = db_str(s, 1);
		st = !strcmp(state, "delivered") || !strcmp(state, "rated");
	}
	if (db_done(s) != DB_OK)
		return -2;
	return st;
}
