/* wishes — the public micro-wish wall and the members' claim. */
#ifndef DJ_WISHES_H
#define DJ_WISHES_H
#include "orders.h"
#include "server.h"

void wishes_page(req *r);
void wishes_claim(req *r);
void wishes_api(req *r);

#endif
