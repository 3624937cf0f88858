/* libFuzzer target: the urlencoded form parser reads every POST body. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "server.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kvlist l = {0};
	if (form_urldecode((const char *)data, size, &l)) {
		for (size_t i = 0; i < l.n; i++) {
			/* every decoded value is NUL-terminated at its counted length */
			if (l.v[i].val[l.v[i].len] != 0)
				__builtin_trap();
			(void)utf8_valid(l.v[i].val);
		}
	}
	kvlist_free(&l);
	return 0;
}
