/* sheet — a table of strings read from the bytes of an uploaded file (SPEC
 * M1 import, §5): .xlsx (a zip of XML, read with libzip and expat) or .csv
 * (UTF-8 with or without BOM; GBK/GB18030 as Excel in China saves it;
 * UTF-16 with BOM as Excel's "Unicode text"). The format is told by the
 * file's first bytes, never by its name. Knows nothing of members.
 *
 * Every limit below is checked while reading, before memory grows with the
 * input, so a zip bomb, a huge sheet or an overlong cell is refused with a
 * Chinese message that names the limit. */
#ifndef DJ_SHEET_H
#define DJ_SHEET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SHEET_MAX_FILE (10u << 20)     /* bytes of the uploaded file */
#define SHEET_MAX_UNZIPPED (50u << 20) /* bytes inflated from an .xlsx, all entries read together */
#define SHEET_RATIO_FLOOR (1u << 20)   /* entries inflating to less than this skip the ratio check */
#define SHEET_MAX_RATIO 100u           /* inflated ÷ compressed bytes of one entry (zip bombs reach ~1000) */
#define SHEET_MAX_ROWS 20000           /* data rows, not counting the header row */
#define SHEET_MAX_COLS 64              /* columns holding a value */
#define SHEET_MAX_CELL 1000            /* bytes of one cell, in UTF-8 */
#define SHEET_MAX_TEXT (50u << 20)     /* bytes of all cells together (shared strings can repeat) */

enum sheet_format { SHEET_CSV = 1, SHEET_XLSX = 2 };
#define SHEET_NUM 0x80000000u

struct sheet_row {
	int line;     /* the row's number as Excel shows it: the first row is 1 */
	int ncells;   /* cells 0 … ncells-1; further columns read as "" */
	size_t first; /* index of its first cell in sheet.cells */
};

struct sheet {
	enum sheet_format format;
	const char *encoding;   /* "xlsx", "UTF-8", "UTF-8 BOM", "GBK", "UTF-16" */
	bool date1904;          /* the workbook counts date serials from 1904 */
	struct sheet_row *rows; /* non-empty rows only, in file order */
	size_t nrows, rows_cap;
	uint32_t *cells; /* offsets into text; the bit SHEET_NUM marks a cell stored as a number */
	size_t ncells, cells_cap;
	buf text; /* NUL-separated cell texts; offset 0 is the empty string */
};

/* Reads data (len bytes) into s, which must be zeroed. On failure returns
 * false with the reason in err; sheet_free must be called either way. */
bool sheet_read(struct sheet *s, const void *data, size_t len, char *err, size_t errlen);
void sheet_free(struct sheet *s);

/* A cell's text, "" when absent. */
const char *sheet_cell(const struct sheet *s, size_t row, int col);
/* True when an .xlsx stored the cell as a number (a date may be one, as a serial). */
bool sheet_cell_is_number(const struct sheet *s, size_t row, int col);
/* A column's letters as Excel shows them: 0 → "A", 27 → "AB". */
void sheet_col_name(int col, char out[8]);
/* An Excel date serial such as "32937" or "32937.5" as YYYY-MM-DD; false
 * unless it is a number that falls between 1900 and 2100. */
bool sheet_serial_date(const char *num, bool date1904, char out[11]);

#endif
