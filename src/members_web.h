/* members_web — the roster's pages and API handlers. */
#ifndef DJ_MEMBERS_WEB_H
#define DJ_MEMBERS_WEB_H
#include "server.h"

void members_page_list(req *r);
void members_page_detail(req *r);
void members_page_reveal(req *r);
void members_page_change(req *r);
void members_page_new(req *r);
void members_page_edit(req *r);
void members_api_list(req *r);
void members_api_get(req *r);
void members_api_create(req *r);
void members_api_patch(req *r);

#endif
