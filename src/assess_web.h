/* assess_web — what the web files of branch assessment share: the request
 * helpers (assess_web.c) and the handlers the module record at the end of
 * assess_web.c routes to: pages (assess_pages.c), the JSON API (assess_api.c)
 * and the bulletin's files (assess_export.c). */
#ifndef DJ_ASSESS_WEB_H
#define DJ_ASSESS_WEB_H
#include <stdbool.h>
#include <stdint.h>

#include "server.h"

/* A score in hundredths as "88.50" ("暂无数据" when there is none). */
void assess_web_score(char out[32], bool has, int64_t c);
/* ?month= (default: the month before now). */
const char *assess_web_month(req *r, char buf8[16]);
/* ?org=CODE as a subtree path (orgs_from_request; default: the caller's
 * subtree). False: the request was answered (404). */
bool assess_web_scope(req *r, char out[256]);
/* The links between the assessment pages. */
void assess_web_links(req *r);

/* pages (assess_pages.c) */
void assess_page_checks(req *r);
void assess_page_drill(req *r);
void assess_page_bulletin_draft(req *r);
void assess_page_bulletin_publish(req *r);
void assess_page_bulletins(req *r);
void assess_page_bulletin(req *r);
void assess_page_quarter(req *r);
void assess_page_stars(req *r);
void assess_page_excellent(req *r);
void assess_page_branch(req *r);
void assess_page_rules(req *r);

/* the bulletin as PDF and .xlsx (assess_export.c) */
void assess_page_bulletin_pdf(req *r);
void assess_page_bulletin_xlsx(req *r);

/* the JSON API (assess_api.c) */
void assess_api_checks(req *r);
void assess_api_drill(req *r);
void assess_api_rules(req *r);
void assess_api_rules_save(req *r);
void assess_api_bulletins(req *r);
void assess_api_bulletin_publish(req *r);
void assess_api_bulletin_draft(req *r);
void assess_api_bulletin(req *r);
void assess_api_bulletin_edit(req *r);
void assess_api_quarter(req *r);
void assess_api_year(req *r);
void assess_api_stars_publish(req *r);
void assess_api_branch(req *r);
void assess_api_evaluation(req *r);
void assess_api_excellent(req *r);
void assess_api_excellent_add(req *r);

/* The assessment section of an organisation's page (a 党支部: its rank in
 * the monthly bulletins, its star history, its excellent-branch titles),
 * the module record's org_section hook (assess_pages.c). */
struct org;
void assess_org_section(req *r, const struct org *o);

#endif
