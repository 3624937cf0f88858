/* grids — grids (网格) inside villages and communities, their grid workers,
 * households and the 党员中心户 who look after them (SPEC M9). */
#ifndef DJ_GRIDS_H
#define DJ_GRIDS_H
#include "server.h"

void grids_page_list(req *r);
void grids_page_detail(req *r);
void grids_api_list(req *r);
void grids_api_create(req *r);
void grids_api_households(req *r);
void grids_api_add_household(req *r);

#endif
