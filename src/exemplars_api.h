/* exemplars_api — the JSON handlers of role-model selection; the routes are
 * in the module record at the end of exemplars_pages.c. */
#ifndef DJ_EXEMPLARS_API_H
#define DJ_EXEMPLARS_API_H
#include "server.h"

void exemplars_api_transitions(req *r);
void exemplars_api_campaigns(req *r);
void exemplars_api_campaign_create(req *r);
void exemplars_api_campaign(req *r);
void exemplars_api_nominate(req *r);
void exemplars_api_public_nominate(req *r);
void exemplars_api_campaign_action(req *r);
void exemplars_api_candidate_action(req *r);
void exemplars_api_score(req *r);
void exemplars_api_consults(req *r);
void exemplars_api_consult_answer(req *r);
void exemplars_api_notice(req *r);
void exemplars_api_object(req *r);
void exemplars_api_objections(req *r);
void exemplars_api_objection_answer(req *r);
void exemplars_api_verify(req *r);
/* the certificate as a PDF (in exemplars_pages.c: the page's download and the API's) */
void exemplars_certificate_pdf(req *r);
void exemplars_api_tour_stats(req *r);
void exemplars_api_tour_create(req *r);
void exemplars_api_session_book(req *r);
void exemplars_api_session_report(req *r);
void exemplars_api_care_add(req *r);
void exemplars_api_sessions(req *r);
void exemplars_api_care(req *r);
void exemplars_api_categories(req *r);
void exemplars_api_category_add(req *r);
void exemplars_api_category_set(req *r);

#endif
