/* api — /api/v1 entry points that belong to no mechanism: session tokens, me, the OpenAPI file. */
#ifndef DJ_API_H
#define DJ_API_H
#include "server.h"

void api_session_create(req *r);
void api_session_delete(req *r);
void api_me(req *r);
void api_openapi(req *r);
void api_not_found(req *r);

#endif
