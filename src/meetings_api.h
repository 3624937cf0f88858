/* meetings_api — the JSON handlers of meetings, decisions and 四议两公开
 * (meetings_api.c); meetings_web.c lists them in the module record. */
#ifndef DJ_MEETINGS_API_H
#define DJ_MEETINGS_API_H
#include "server.h"

void meetings_api_tables(req *r);
void meetings_api_list(req *r);
void meetings_api_create(req *r);
void meetings_api_get(req *r);
void meetings_api_hold(req *r);
void meetings_api_cancel(req *r);
void meetings_api_leave(req *r);
void meetings_api_leave_decide(req *r);
void meetings_api_mark(req *r);
void meetings_api_decision_create(req *r);
void meetings_api_decisions(req *r);
void meetings_api_decision_get(req *r);
void meetings_api_decision_progress(req *r);
void meetings_api_decision_done(req *r);
void meetings_api_decision_publish(req *r);
void meetings_api_decision_publish_result(req *r);
void meetings_api_types(req *r);
void meetings_api_type_add(req *r);
void meetings_api_type_set(req *r);
void meetings_api_type_delete(req *r);
void meetings_api_matter_create(req *r);
void meetings_api_matters(req *r);
void meetings_api_matter_get(req *r);
void meetings_api_matter_step(req *r);
void meetings_api_plans(req *r);
void meetings_api_plan_create(req *r);
void meetings_api_requirement(req *r);
void meetings_api_report(req *r);
void meetings_api_compliance(req *r);

#endif
