/* assess_web — branch assessment on the web (SPEC M8, issue 16): the request
 * helpers the pages (assess_pages.c), the API (assess_api.c) and the files
 * (assess_export.c) share, and the module record. Thin: the rules and SQL
 * are in assess.c. */
#include "assess_web.h"

#include <stdio.h>
#include <string.h>

#include "assess.h"
#include "module.h"
#include "orgs.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"

void assess_web_score(char out[32], bool has, int64_t c)
{
	if (!has)
		snprintf(out, 32, "暂无数据");
	else
		snprintf(out, 32, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
}

const char *assess_web_month(req *r, char buf8[16])
{
	const char *m = req_query(r, "month");
	if (m && *m)
		return m;
	char cur[16];
	assess_month_of(now_unix(), cur);
	assess_month_prev(cur, buf8);
	return buf8;
}

bool assess_web_scope(req *r, char out[256])
{
	const char *code = req_query(r, "org");
	if (!code || !*code) { /* the caller's subtree: "/" for the admin, who belongs to no org */
		snprintf(out, 256, "%s", actor_scope(&r->actor));
		return true;
	}
	struct org_ref o;
	if (!orgs_from_request(r, code, &perm_org_view, &o))
		return false;
	snprintf(out, 256, "%s", o.path);
	return true;
}

void assess_web_links(req *r)
{
	buf_puts(&r->out,
		 "<p class=\"assess-links\"><a href=\"/assessment\">月检查</a> · <a href=\"/assessment/bulletins\">月通报</a> · "
		 "<a href=\"/assessment/quarter\">季考核</a> · <a href=\"/assessment/stars\">评星定级</a> · <a href=\"/assessment/branch\">本支部</a> · "
		 "<a href=\"/assessment/rules\">考核细则</a></p>");
}

/* ---- the module record (module.h) ---- */

static const route assess_routes[] = {
	{"GET", "/assessment", assess_page_checks, R_STAFF, 0, 0, "assessment"},
	{"GET", "/assessment/check/:org/:month/:item", assess_page_drill, R_STAFF, 0, 0, "assessment_drill"},
	{"GET", "/assessment/bulletin", assess_page_bulletin_draft, R_ADMIN | R_COMMITTEE, 0, 0, "bulletin_draft"},
	{"POST", "/assessment/bulletin", assess_page_bulletin_publish, R_ADMIN | R_COMMITTEE, 0, 0, "bulletin_publish"},
	{"GET", "/assessment/bulletins", assess_page_bulletins, R_STAFF, 0, 0, "bulletins"},
	{"GET", "/assessment/bulletins/:id", assess_page_bulletin, R_STAFF, 0, 0, "bulletin"},
	{"GET", "/assessment/bulletins/:id/pdf", assess_page_bulletin_pdf, R_STAFF, 0, 0, "bulletin_pdf"},
	{"GET", "/assessment/bulletins/:id/xlsx", assess_page_bulletin_xlsx, R_STAFF, 0, 0, "bulletin_xlsx"},
	{"GET", "/assessment/quarter", assess_page_quarter, R_STAFF, 0, 0, "assessment_quarter"},
	{"GET", "/assessment/stars", assess_page_stars, R_STAFF, 0, 0, "assessment_stars"},
	{"POST", "/assessment/stars", assess_page_stars, R_ADMIN | R_COMMITTEE, 0, 0, "assessment_stars_publish"},
	{"POST", "/assessment/excellent", assess_page_excellent, R_ADMIN | R_COMMITTEE, 0, 0, "assessment_excellent"},
	{"GET", "/assessment/branch", assess_page_branch, R_STAFF, 0, 0, "assessment_branch"},
	{"GET", "/assessment/rules", assess_page_rules, R_STAFF, 0, 0, "assessment_rules"},
	{"POST", "/assessment/rules", assess_page_rules, R_ADMIN | R_COMMITTEE, 0, 0, "assessment_rules_save"},
	{"GET", "/api/v1/assessment/checks", assess_api_checks, R_STAFF, RF_API, 0, "api_assessment_checks"},
	{"GET", "/api/v1/assessment/checks/:org/:month/:item", assess_api_drill, R_STAFF, RF_API, 0, "api_assessment_drill"},
	{"GET", "/api/v1/assessment/rules", assess_api_rules, R_STAFF, RF_API, 0, "api_assessment_rules"},
	{"POST", "/api/v1/assessment/rules", assess_api_rules_save, R_STAFF, RF_API, 0, "api_assessment_rules_save"},
	{"GET", "/api/v1/assessment/bulletins", assess_api_bulletins, R_STAFF, RF_API, 0, "api_bulletins"},
	{"POST", "/api/v1/assessment/bulletins", assess_api_bulletin_publish, R_STAFF, RF_API, 0, "api_bulletin_publish"},
	{"GET", "/api/v1/assessment/bulletins/draft", assess_api_bulletin_draft, R_ADMIN | R_COMMITTEE, RF_API, 0, "api_bulletin_draft"},
	{"GET", "/api/v1/assessment/bulletins/:id", assess_api_bulletin, R_STAFF, RF_API, 0, "api_bulletin"},
	{"POST", "/api/v1/assessment/bulletins/:id", assess_api_bulletin_edit, R_STAFF, RF_API, 0, "api_bulletin_edit"},
	{"GET", "/api/v1/assessment/quarters", assess_api_quarter, R_STAFF, RF_API, 0, "api_assessment_quarter"},
	{"GET", "/api/v1/assessment/years", assess_api_year, R_STAFF, RF_API, 0, "api_assessment_year"},
	{"POST", "/api/v1/assessment/stars", assess_api_stars_publish, R_STAFF, RF_API, 0, "api_stars_publish"},
	{"GET", "/api/v1/assessment/branches/:org", assess_api_branch, R_STAFF, RF_API, 0, "api_assessment_branch"},
	{"POST", "/api/v1/assessment/evaluations", assess_api_evaluation, R_STAFF, RF_API, 0, "api_assessment_evaluation"},
	{"GET", "/api/v1/assessment/excellent", assess_api_excellent, R_STAFF, RF_API, 0, "api_excellent"},
	{"POST", "/api/v1/assessment/excellent", assess_api_excellent_add, R_STAFF, RF_API, 0, "api_excellent_add"},
};
static const struct nav_entry assess_nav[] = {
	{"/assessment", "支部考核", R_ADMIN | R_COMMITTEE | R_BRANCH, 48, NAV_EVAL},
};
static const struct permission *const assess_perms[] = {&perm_assess_manage};
static const struct entity_link assess_entities[] = {{"bulletin", "/assessment/bulletins/"}};
int demo_assess(db *d, const struct actor *cli, FILE *out); /* demo_assess.c */
const struct module assess_module = {
	.name = "assess",
	.routes = assess_routes,
	.routes_n = COUNT_OF(assess_routes),
	.nav = assess_nav,
	.nav_n = COUNT_OF(assess_nav),
	.permissions = assess_perms,
	.permissions_n = COUNT_OF(assess_perms),
	.entities = assess_entities,
	.entities_n = COUNT_OF(assess_entities),
	.demo = demo_assess,
	.org_section = assess_org_section,
	.figures = assess_figures,
	.figures_n = ASSESS_DASH_FIGURES_N,
};
