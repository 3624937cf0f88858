/* libFuzzer target: JSON request bodies (req_json, req_json_unpack and the
 * domain's checks behind them) on the API routes that read one, through
 * server_handle_for_fuzz with the API token of a role that may call the route.
 * The first byte picks the route, the rest is the body. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *method, *path;
	int role; /* index into roles[], -1: anonymous */
} targets[] = {
	{"POST", "/api/v1/public/orders", -1},
	{"POST", "/api/v1/public/orders/NOPE/actions/confirm", -1},
	{"POST", "/api/v1/grids", 0},
	{"POST", "/api/v1/grids/CJZ-CJC/households", 2},
	{"POST", "/api/v1/members", 2},
	{"PATCH", "/api/v1/members/1", 0},
	{"POST", "/api/v1/orders/1/actions/accept", 2},
	{"POST", "/api/v1/orders/1/actions/assign", 1},
	{"POST", "/api/v1/orgs", 0},
	{"PATCH", "/api/v1/orgs/4", 1},
};
#define NTARGETS (sizeof targets / sizeof targets[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!g_db)
		setup();
	if (size < 1)
		return 0;
	size_t t = data[0] % NTARGETS;
	char auth[80];
	const char *headers[8];
	size_t nh = 0;
	headers[nh++] = "Content-Type";
	headers[nh++] = data[0] & 0x80 ? "application/json; charset=utf-8" : "application/json";
	if (targets[t].role >= 0) {
		snprintf(auth, sizeof auth, "Bearer %s", api_token[targets[t].role]);
		headers[nh++] = "Authorization";
		headers[nh++] = auth;
	}
	headers[nh] = NULL;
	buf out = {0};
	int status = server_handle_for_fuzz(g_db, targets[t].method, targets[t].path, NULL, headers, (const char *)data + 1, size - 1, &out);
	if (status < 200 || status > 599 || status == 500 || db_in_tx(g_db))
		__builtin_trap();
	/* every answer of an API route is JSON: an object */
	if (status != 204 && (!out.len || out.p[0] != '{'))
		__builtin_trap();
	buf_free(&out);
	return 0;
}
