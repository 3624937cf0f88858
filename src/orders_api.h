/* orders_api — JSON handlers of the closed loop. */
#ifndef DJ_ORDERS_API_H
#define DJ_ORDERS_API_H
#include "server.h"

void orders_api_public_create(req *r);
void orders_api_public_get(req *r);
void orders_api_public_action(req *r);
void orders_api_list(req *r);
void orders_api_get(req *r);
void orders_api_action(req *r);
void orders_api_transitions(req *r);
void orders_api_stats(req *r);

#endif
