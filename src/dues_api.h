/* dues_api — the JSON API handlers of 党费, routed by the module record in dues_web.c. */
#ifndef DJ_DUES_API_H
#define DJ_DUES_API_H
#include "server.h"

void api_member_months(req *r);
void api_my_months(req *r);
void api_base(req *r);
void api_generate(req *r);
void api_pay(req *r);
void api_receipt(req *r);
void api_reduce(req *r);
void api_decide(req *r);
void api_ledger(req *r);
void api_arrears(req *r);
void api_remit(req *r);
void api_rates(req *r);
void api_rate_add(req *r);

#endif
