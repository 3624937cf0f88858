/* stats_pages — statistics pages. */
#ifndef DJ_STATS_PAGES_H
#define DJ_STATS_PAGES_H
#include "server.h"

void stats_page_orders(req *r);

#endif
