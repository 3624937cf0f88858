/* themeday_figures — what the dashboard counts of the theme day's films
 * and plans (SPEC M11, M6): screenings (场次) of the period, reflections
 * written, and monthly theme-day plans with every part done. Each row's SQL
 * is its drill-down list (FIGURE_SQL). */
#include "figures.h"
#include "themeday.h"

FIGURE_SQL(themeday_fig_screenings, "themeday.screenings")
FIGURE_SQL(themeday_fig_reflections, "themeday.reflections")
FIGURE_SQL(themeday_fig_plans, "themeday.plans_complete")

const struct figure themeday_figures[THEMEDAY_FIGURES_N] = {
	{"themeday.screenings", "主题党日", "电影放映", "场次", themeday_fig_screenings, themeday_fig_screenings_href, false,
	 "SELECT fs.screen_date AS at, g.name AS org, f.title AS title, fs.place AS detail, 1 AS v, 'film' AS kind, f.id AS ref FROM film_screenings fs JOIN films f ON f.id = "
	 "fs.film_id JOIN orgs g ON g.id = fs.org_id WHERE g.path LIKE ? || '%' AND fs.screen_date >= ? AND fs.screen_date <= ?",
	 'D'},
	{"themeday.reflections", "主题党日", "观后感", "篇", themeday_fig_reflections, themeday_fig_reflections_href, false,
	 "SELECT fr.created_at AS at, g.name AS org, m.name AS title, f.title AS detail, 1 AS v, 'film' AS kind, f.id AS ref FROM film_reflections fr JOIN films f ON f.id = "
	 "fr.film_id JOIN orgs g ON g.id = fr.org_id JOIN members m ON m.id = fr.member_id WHERE g.path LIKE ? || '%' AND fr.created_at >= ? AND "
	 "fr.created_at < ?",
	 'T'},
	{"themeday.plans_complete", "主题党日", "党日计划完成", "个", themeday_fig_plans, themeday_fig_plans_href, false,
	 "SELECT p.month AS at, g.name AS org, p.month || ' 主题党日' AS title, '' AS detail, 1 AS v, 'plan' AS kind, p.id AS ref FROM theme_plans p JOIN orgs g ON g.id = "
	 "p.org_id WHERE g.path LIKE ? || '%' AND p.month >= SUBSTR(?, 1, 7) AND p.month <= SUBSTR(?, 1, 7) AND EXISTS (SELECT 1 FROM "
	 "theme_plan_parts pp WHERE pp.plan_id = p.id) AND NOT EXISTS (SELECT 1 FROM theme_plan_parts pp WHERE pp.plan_id = p.id AND pp.done_at "
	 "IS NULL)",
	 'D'},
};
