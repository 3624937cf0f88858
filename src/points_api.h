/* points_api — the JSON handlers of points (points_api.c), and the two
 * query parameters its pages read the same way. */
#ifndef DJ_POINTS_API_H
#define DJ_POINTS_API_H
#include "server.h"

/* ?year= (default this year in Asia/Shanghai; -1 when it is not a number, which the domain refuses) */
int points_req_year(req *r);
/* ?month= (default 0: the whole year; -1 when it is not a number) */
int points_req_month(req *r);

void points_api_get(req *r);
void points_api_ranking(req *r);
void points_api_town(req *r);
void points_api_rules(req *r);
void points_api_adjustments(req *r);
void points_api_approve(req *r);
void points_api_reject(req *r);
void points_api_correct(req *r);

#endif
