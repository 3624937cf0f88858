/* exemplars_figures — what the dashboard counts of role models (SPEC M11,
 * M8): candidates nominated and awarded in the period (campaigns led by an
 * org of the subtree), the touring talks held (场次) and their audience.
 * Each row's SQL is its drill-down list (figures.h FIGURE_SQL). */
#include "exemplars.h"
#include "figures.h"

FIGURE_SQL(exemplars_fig_nominated, "exemplars.nominated")
FIGURE_SQL(exemplars_fig_awarded, "exemplars.awarded")
FIGURE_SQL(exemplars_fig_sessions, "exemplars.tour_sessions")
FIGURE_SQL(exemplars_fig_audience, "exemplars.tour_audience")

#define CAND                                                                                                                                                                             \
	"AS title, ec.title AS detail, 1 AS v, 'exemplar_campaign' AS kind, ec.id AS ref FROM exemplar_candidates c JOIN exemplar_campaigns ec ON ec.id = c.campaign_id JOIN orgs g ON " \
	"g.id = ec.org_id WHERE g.path LIKE ? || '%'"

const struct figure exemplars_figures[EXEMPLARS_FIGURES_N] = {
	{"exemplars.nominated", "典型选树", "推荐人选", "人", exemplars_fig_nominated, exemplars_fig_nominated_href, false,
	 "SELECT c.created_at AS at, g.name AS org, c.name " CAND " AND c.state <> 'merged' AND c.created_at >= ? AND c.created_at < ?", 'T'},
	{"exemplars.awarded", "典型选树", "表彰先进", "人", exemplars_fig_awarded, exemplars_fig_awarded_href, false,
	 "SELECT c.awarded_at AS at, g.name AS org, c.name " CAND " AND c.state = 'awarded' AND c.awarded_at >= ? AND c.awarded_at < ?", 'T'},
	{"exemplars.tour_sessions", "典型选树", "先进事迹巡讲", "场", exemplars_fig_sessions, exemplars_fig_sessions_href, false,
	 "SELECT s.day AS at, g.name AS org, t.title AS title, s.place AS detail, 1 AS v, 'exemplar_session' AS kind, s.id AS ref FROM exemplar_tour_sessions s JOIN exemplar_tours t ON "
	 "t.id = s.tour_id JOIN orgs g ON g.id = t.org_id WHERE g.path LIKE ? || '%' AND s.held = 1 AND s.day >= ? AND s.day <= ?",
	 'D'},
	{"exemplars.tour_audience", "典型选树", "巡讲受众", "人次", exemplars_fig_audience, exemplars_fig_audience_href, false,
	 "SELECT s.day AS at, g.name AS org, t.title AS title, s.place AS detail, s.audience AS v, 'exemplar_session' AS kind, s.id AS ref FROM exemplar_tour_sessions s JOIN exemplar_tours "
	 "t ON t.id = s.tour_id JOIN orgs g ON g.id = t.org_id WHERE g.path LIKE ? || '%' AND s.held = 1 AND s.day >= ? AND s.day <= ?",
	 'D'},
};
