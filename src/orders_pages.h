/* orders_pages — the HTML pages of the closed loop. */
#ifndef DJ_ORDERS_PAGES_H
#define DJ_ORDERS_PAGES_H
#include "server.h"

void order_page_form(req *r);
void order_page_track_form(req *r);
void order_page_track(req *r);
void order_page_track_action(req *r);
void orders_page_list(req *r);
void orders_page_detail(req *r);
void orders_page_act(req *r);

#endif
