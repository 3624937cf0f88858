/* libFuzzer target: the 繁體 conversion (layout_to_hant, OpenCC) that runs on
 * every HTML page when the dj_lang=hant cookie is set: any bytes, valid UTF-8
 * or not, come back without a crash; text without Chinese comes back as is. */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	buf b = {0};
	buf_append(&b, data, size);
	layout_to_hant(&b);
	bool ascii = true;
	for (size_t i = 0; i < size && ascii; i++)
		ascii = data[i] && data[i] < 0x80;
	if (ascii && (b.len != size || memcmp(b.p ? b.p : "", data, size)))
		__builtin_trap();
	buf_free(&b);
	return 0;
}
