/* libFuzzer target: reading an uploaded roster as CSV (encoding detection,
 * GBK/UTF-16 conversion, RFC 4180 quoting, the limits). Every cell that comes
 * out must be valid UTF-8 within the cell limit, every row within the column
 * limit. Seeds: tests/fuzz/corpus/csv. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sheet.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* .xlsx input has its own target; keep this one on the text path */
	if (size >= 2 && data[0] == 'P' && data[1] == 'K')
		return 0;
	struct sheet s;
	memset(&s, 0, sizeof s);
	char err[400];
	if (sheet_read(&s, data, size, err, sizeof err)) {
		if (s.nrows > SHEET_MAX_ROWS + 1)
			__builtin_trap();
		for (size_t r = 0; r < s.nrows; r++) {
			if (s.rows[r].ncells > SHEET_MAX_COLS || s.rows[r].line < 1)
				__builtin_trap();
			for (int c = 0; c < s.rows[r].ncells; c++) {
				const char *v = sheet_cell(&s, r, c);
				if (strlen(v) > SHEET_MAX_CELL || !utf8_valid(v))
					__builtin_trap();
			}
		}
	} else if (!err[0] || !utf8_valid(err))
		__builtin_trap(); /* a refusal always says why, in readable text */
	sheet_free(&s);
	return 0;
}
