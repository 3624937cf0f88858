/* libFuzzer target: reading an uploaded roster as .xlsx (libzip from memory,
 * expat over the workbook, relationships, shared strings and first sheet,
 * with the zip-bomb and size limits). Inputs that are not zips are made into
 * one, so the XML handlers get exercised too: the first byte picks the part
 * the rest of the input becomes. Seeds: tests/fuzz/corpus/xlsx. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "sheet.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char wb[] = "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
			 "<sheets><sheet r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] = "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
static const char sst[] = "<sst><si><t>姓名</t></si><si><t>x</t></si></sst>";
static const char ws[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
			 "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>32937</v></c></row></sheetData></worksheet>";

static void check(const uint8_t *data, size_t size)
{
	struct sheet s;
	memset(&s, 0, sizeof s);
	char err[400];
	if (sheet_read(&s, data, size, err, sizeof err)) {
		for (size_t r = 0; r < s.nrows; r++) {
			if (s.rows[r].ncells > SHEET_MAX_COLS || s.rows[r].line < 1)
				__builtin_trap();
			for (int c = 0; c < s.rows[r].ncells; c++)
				if (strlen(sheet_cell(&s, r, c)) > SHEET_MAX_CELL)
					__builtin_trap();
		}
	} else if (!err[0])
		__builtin_trap();
	sheet_free(&s);
}

/* Wraps the input as one part of an otherwise sound workbook, zipped in memory. */
static void as_part(const uint8_t *data, size_t size)
{
	const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"};
	const char *texts[] = {wb, rels, sst, ws};
	int which = data[0] % 4;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &ze) : NULL;
	if (!z) {
		if (mem)
			zip_source_free(mem);
		zip_error_fini(&ze);
		return;
	}
	zip_source_keep(mem);
	for (int i = 0; i < 4; i++) {
		zip_source_t *src = i == which ? zip_source_buffer(z, data + 1, size - 1, 0) : zip_source_buffer(z, texts[i], strlen(texts[i]), 0);
		if (!src || zip_file_add(z, names[i], src, ZIP_FL_OVERWRITE) < 0)
			zip_source_free(src);
	}
	if (zip_close(z) < 0) {
		zip_discard(z);
		zip_source_free(mem);
		zip_error_fini(&ze);
		return;
	}
	zip_stat_t st;
	if (zip_source_stat(mem, &st) == 0 && zip_source_open(mem) == 0) {
		uint8_t *bytes = malloc(st.size ? st.size : 1);
		zip_int64_t n = zip_source_read(mem, bytes, st.size);
		zip_source_close(mem);
		if (n > 0)
			check(bytes, (size_t)n);
		free(bytes);
	}
	zip_source_free(mem);
	zip_error_fini(&ze);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && !memcmp(data, "PK\x03\x04", 4))
		check(data, size); /* a whole archive: the zip reader itself */
	else if (size >= 1)
		as_part(data, size);
	return 0;
}
