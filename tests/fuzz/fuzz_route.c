/* libFuzzer target: matching request paths against the route table, and
 * writing them back out through the escaping HTML printer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "module.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = malloc(size + 1);
	memcpy(path, data, size);
	path[size] = 0;
	const struct merged_routes *t = routes_table(NULL, 0);
	for (size_t i = 0; i < t->n; i++) {
		kvlist p = {0};
		if (route_match(t->v[i].pattern, path, &p))
			for (size_t k = 0; k < p.n; k++)
				if (strchr(p.v[k].val, '/'))
					__builtin_trap(); /* a parameter never spans segments */
		kvlist_free(&p);
	}
	/* the router's own lookup agrees: whatever it finds matches the path */
	bool mismatch;
	kvlist params = {0};
	const route *rt = routes_find(t, "GET", path, &params, &mismatch);
	if (rt && !route_match(rt->pattern, path, NULL))
		__builtin_trap();
	kvlist_free(&params);
	buf b = {0};
	html_printf(&b, "<a href=\"%s\">%s</a>", path, path);
	if (strchr(b.p + 9, '<') != strstr(b.p + 9, "</a>")) /* no markup survives but our own */
		__builtin_trap();
	buf_free(&b);
	free(path);
	return 0;
}
