/* pages — public pages, login, console home, static files. */
#ifndef DJ_PAGES_H
#define DJ_PAGES_H
#include "server.h"

void page_home(req *r);
void page_notices_placeholder(req *r);
void page_lang(req *r);
void page_login(req *r);
void page_logout(req *r);
void page_console(req *r);
void page_password(req *r);
void static_file(req *r);

#endif
