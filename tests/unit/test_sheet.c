/* Unit tests: reading rosters from .csv (quoting, BOM, GBK, UTF-16) and .xlsx
 * (built here with libzip), and every limit that keeps a hostile file out:
 * size, rows, columns, cell length, zip bombs, DOCTYPEs. */
#include <criterion/criterion.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "buf.h"
#include "sheet.h"

static char err[400];

static bool read_bytes(struct sheet *s, const void *p, size_t n)
{
	memset(s, 0, sizeof *s);
	err[0] = 0;
	return sheet_read(s, p, n, err, sizeof err);
}

static bool read_str(struct sheet *s, const char *text) { return read_bytes(s, text, strlen(text)); }

/* ---- CSV ---- */

Test(csv, rfc4180_quoting_and_line_ends)
{
	struct sheet s;
	cr_assert(read_str(&s, "姓名,备注,x\r\n张三,\"a,b\",\"说\"\"好\"\"\"\n李四,\"两\r\n行\",3\r王五,,\n"), "%s", err);
	cr_assert_eq(s.format, SHEET_CSV);
	cr_assert_str_eq(s.encoding, "UTF-8");
	cr_assert_eq(s.nrows, 4);
	cr_assert_str_eq(sheet_cell(&s, 1, 1), "a,b");
	cr_assert_str_eq(sheet_cell(&s, 1, 2), "说\"好\"");
	cr_assert_str_eq(sheet_cell(&s, 2, 1), "两\r\n行");
	cr_assert_eq(s.rows[2].line, 3);
	cr_assert_eq(s.rows[3].line, 4, "a quoted line break stays inside its row");
	cr_assert_str_eq(sheet_cell(&s, 3, 0), "王五");
	cr_assert_str_eq(sheet_cell(&s, 3, 1), "");
	cr_assert_str_eq(sheet_cell(&s, 3, 9), "", "columns past the row's end read as empty");
	cr_assert_not(sheet_cell_is_number(&s, 2, 2), "CSV has no number cells");
	sheet_free(&s);
}

Test(csv, blank_rows_are_skipped_but_counted)
{
	struct sheet s;
	cr_assert(read_str(&s, "a,b\n\n,\n  , \nc,d"), "%s", err);
	cr_assert_eq(s.nrows, 2);
	cr_assert_eq(s.rows[1].line, 5);
	cr_assert_str_eq(sheet_cell(&s, 1, 1), "d");
	sheet_free(&s);
}

Test(csv, bom_tab_and_semicolon)
{
	struct sheet s;
	cr_assert(read_str(&s, "\xef\xbb\xbf姓名\t手机号\n张三\t13800000000\n"), "%s", err);
	cr_assert_str_eq(s.encoding, "UTF-8 BOM");
	cr_assert_str_eq(sheet_cell(&s, 0, 0), "姓名", "the BOM is not part of the first header");
	cr_assert_str_eq(sheet_cell(&s, 1, 1), "13800000000");
	sheet_free(&s);
	cr_assert(read_str(&s, "a;b\n1;2\n"), "%s", err);
	cr_assert_str_eq(sheet_cell(&s, 1, 1), "2");
	sheet_free(&s);
}

static char *convert(const char *to, const char *in, size_t *n)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	cr_assert(cd != (iconv_t)-1);
	size_t il = strlen(in), cap = il * 4 + 8, ol = cap;
	char *out = malloc(cap), *ip = (char *)in, *op = out;
	cr_assert(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	*n = cap - ol;
	return out;
}

Test(csv, gbk_as_excel_saves_it)
{
	size_t n;
	char *gbk = convert("GBK", "姓名,身份证号,住址\r\n张三,11010519491231002X,\"北京市朝阳区，幸福路\"\r\n", &n);
	struct sheet s;
	cr_assert(read_bytes(&s, gbk, n), "%s", err);
	cr_assert_str_eq(s.encoding, "GBK");
	cr_assert_str_eq(sheet_cell(&s, 0, 1), "身份证号");
	cr_assert_str_eq(sheet_cell(&s, 1, 0), "张三");
	cr_assert_str_eq(sheet_cell(&s, 1, 2), "北京市朝阳区，幸福路");
	sheet_free(&s);
	free(gbk);
}

Test(csv, utf16_with_bom)
{
	size_t n;
	char *u16 = convert("UTF-16", "姓名\t民族\r\n张三\t汉族\r\n", &n); /* glibc writes a BOM */
	struct sheet s;
	cr_assert(read_bytes(&s, u16, n), "%s", err);
	cr_assert_str_eq(s.encoding, "UTF-16");
	cr_assert_str_eq(sheet_cell(&s, 1, 1), "汉族");
	sheet_free(&s);
	free(u16);
}

Test(csv, refuses_binary_and_unknown_encodings)
{
	struct sheet s;
	cr_assert_not(read_bytes(&s, "a,b\n\0\1\2", 7));
	cr_assert(strstr(err, "CSV"), "%s", err);
	sheet_free(&s);
	cr_assert_not(read_bytes(&s, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", 12));
	cr_assert(strstr(err, ".xls"), "%s", err);
	sheet_free(&s);
	cr_assert_not(read_str(&s, "name\n\x81\x20\x81\x20\n"));
	cr_assert(strstr(err, "编码"), "%s", err);
	sheet_free(&s);
	cr_assert_not(read_str(&s, "\xef\xbb\xbf"
				   "a\n\xff\n"));
	cr_assert(strstr(err, "UTF-8"), "%s", err);
	sheet_free(&s);
	cr_assert_not(read_str(&s, "a,b\n1,\x01\n"));
	cr_assert(strstr(err, "控制字符"), "%s", err);
	sheet_free(&s);
	cr_assert_not(read_str(&s, ""));
	cr_assert(strstr(err, "空"), "%s", err);
	sheet_free(&s);
}

Test(csv, unclosed_quote)
{
	struct sheet s;
	cr_assert_not(read_str(&s, "a,b\n1,\"open\n2,3\n"));
	cr_assert(strstr(err, "第 2 行") && strstr(err, "引号"), "%s", err);
	sheet_free(&s);
}

Test(limits, cell_length)
{
	buf b = {0};
	buf_puts(&b, "a,b\nx,");
	for (int i = 0; i < SHEET_MAX_CELL; i++)
		buf_putc(&b, 'y');
	struct sheet s;
	cr_assert(read_bytes(&s, b.p, b.len), "exactly the limit is fine: %s", err);
	sheet_free(&s);
	buf_putc(&b, 'y');
	cr_assert_not(read_bytes(&s, b.p, b.len));
	cr_assert(strstr(err, "B2") && strstr(err, "1000 字节"), "%s", err);
	sheet_free(&s);
	buf_free(&b);
}

Test(limits, columns)
{
	buf b = {0};
	for (int i = 0; i < SHEET_MAX_COLS; i++)
		buf_printf(&b, "%sh%d", i ? "," : "", i);
	buf_puts(&b, ",,,\n"); /* empty columns past the limit are harmless */
	struct sheet s;
	cr_assert(read_bytes(&s, b.p, b.len), "%s", err);
	sheet_free(&s);
	buf_puts(&b, "1");
	for (int i = 0; i < SHEET_MAX_COLS; i++)
		buf_puts(&b, ",1");
	cr_assert_not(read_bytes(&s, b.p, b.len));
	cr_assert(strstr(err, "64 列") && strstr(err, "第 2 行") && strstr(err, "BM"), "%s", err);
	sheet_free(&s);
	buf_free(&b);
}

Test(limits, rows)
{
	buf b = {0};
	buf_puts(&b, "h\n");
	for (int i = 0; i < SHEET_MAX_ROWS; i++)
		buf_puts(&b, "1\n");
	struct sheet s;
	cr_assert(read_bytes(&s, b.p, b.len), "%s", err);
	cr_assert_eq(s.nrows, SHEET_MAX_ROWS + 1);
	sheet_free(&s);
	buf_puts(&b, "1\n");
	cr_assert_not(read_bytes(&s, b.p, b.len));
	cr_assert(strstr(err, "20000 行"), "%s", err);
	sheet_free(&s);
	buf_free(&b);
}

Test(limits, file_size)
{
	size_t n = SHEET_MAX_FILE + 1;
	char *big = malloc(n);
	memset(big, 'a', n);
	struct sheet s;
	cr_assert_not(read_bytes(&s, big, n));
	cr_assert(strstr(err, "10 MiB"), "%s", err);
	sheet_free(&s);
	free(big);
}

/* ---- .xlsx ---- */

struct part {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen(text) */
};

/* A zip with the given parts, as bytes in *out. */
static size_t make_zip(const struct part *parts, char **out)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/dj-sheet-%d.xlsx", (int)getpid());
	int ze;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	cr_assert_not_null(z);
	for (const struct part *p = parts; p->name; p++) {
		zip_source_t *src = zip_source_buffer(z, p->text, p->len ? p->len : strlen(p->text), 0);
		cr_assert(zip_file_add(z, p->name, src, ZIP_FL_OVERWRITE) >= 0);
	}
	cr_assert_eq(zip_close(z), 0);
	FILE *f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*out = malloc((size_t)n);
	cr_assert_eq(fread(*out, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(path);
	return (size_t)n;
}

#define NS                                                                     \
	"xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

static const char workbook[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
			       "<workbook " NS "><workbookPr/><sheets><sheet name=\"花名册\" sheetId=\"1\" r:id=\"rId3\"/>"
			       "<sheet name=\"说明\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/roster.xml\"/>"
	"<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"strings.xml\"/>"
	"</Relationships>";
static const char shared[] = "<sst " NS " count=\"4\" uniqueCount=\"4\"><si><t>姓名</t></si><si><t>入党日期</t></si>"
			     "<si><r><t>张</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">三 </t></r><rPh sb=\"0\" eb=\"1\"><t>ちょう</t></rPh></si>"
			     "<si><t>a&amp;b&lt;c</t></si></sst>";
static const char roster[] =
	"<worksheet " NS "><dimension ref=\"A1:D4\"/><sheetData>"
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"D1\" t=\"inlineStr\"><is><t>备注</t></is></c></row>"
	"<row r=\"3\" spans=\"1:4\"><c r=\"A3\" t=\"s\"><v>2</v></c><c r=\"B3\" s=\"1\"><v>32937</v></c><c r=\"C3\" s=\"2\"/>"
	"<c r=\"D3\" t=\"s\"><v>3</v></c></row>"
	"<row r=\"4\"><c r=\"A4\" t=\"str\"><f>A3</f><v>张三</v></c><c t=\"b\"><v>1</v></c><c r=\"XFD4\" s=\"3\"/></row>"
	"<row r=\"5\"><c r=\"A5\" s=\"1\"/></row>"
	"</sheetData><mergeCells count=\"0\"/></worksheet>";
static const char not_this[] = "<worksheet " NS "><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>说明页</t></is></c></row></sheetData></worksheet>";

Test(xlsx, first_sheet_shared_and_inline_strings_numbers)
{
	struct part parts[] = {
		{"[Content_Types].xml", "<Types/>"},
		{"xl/workbook.xml", workbook},
		{"xl/_rels/workbook.xml.rels", rels},
		{"xl/strings.xml", shared},
		{"xl/worksheets/roster.xml", roster},
		{"xl/worksheets/sheet1.xml", not_this},
		{NULL},
	};
	char *z;
	size_t n = make_zip(parts, &z);
	struct sheet s;
	cr_assert(read_bytes(&s, z, n), "%s", err);
	cr_assert_eq(s.format, SHEET_XLSX);
	cr_assert_not(s.date1904);
	cr_assert_eq(s.nrows, 3, "the empty row 5 is skipped");
	cr_assert_str_eq(sheet_cell(&s, 0, 0), "姓名");
	cr_assert_str_eq(sheet_cell(&s, 0, 2), "", "a gap in the header");
	cr_assert_str_eq(sheet_cell(&s, 0, 3), "备注");
	cr_assert_eq(s.rows[1].line, 3, "rows keep Excel's numbers");
	cr_assert_str_eq(sheet_cell(&s, 1, 0), "张三 ", "rich text runs join; phonetic hints are not text");
	cr_assert_str_eq(sheet_cell(&s, 1, 1), "32937");
	cr_assert(sheet_cell_is_number(&s, 1, 1));
	cr_assert_not(sheet_cell_is_number(&s, 1, 0));
	cr_assert_str_eq(sheet_cell(&s, 1, 3), "a&b<c");
	cr_assert_str_eq(sheet_cell(&s, 2, 0), "张三", "a formula's cached text");
	cr_assert_str_eq(sheet_cell(&s, 2, 1), "1", "a cell without r follows the previous one");
	char d[11];
	cr_assert(sheet_serial_date(sheet_cell(&s, 1, 1), s.date1904, d));
	cr_assert_str_eq(d, "1990-03-05");
	sheet_free(&s);
	free(z);
}

Test(xlsx, falls_back_to_sheet1_and_handles_prefixes)
{
	/* no relationships part, a namespace prefix on every element, no shared strings */
	struct part parts[] = {
		{"xl/workbook.xml",
		 "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:workbookPr date1904=\"1\"/></x:workbook>"},
		{"xl/worksheets/sheet1.xml",
		 "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>"
		 "<x:row><x:c t=\"inlineStr\"><x:is><x:t>日期</x:t></x:is></x:c></x:row><x:row><x:c><x:v>31000</x:v></x:c></x:row>"
		 "</x:sheetData></x:worksheet>"},
		{NULL},
	};
	char *z;
	size_t n = make_zip(parts, &z);
	struct sheet s;
	cr_assert(read_bytes(&s, z, n), "%s", err);
	cr_assert(s.date1904);
	cr_assert_eq(s.nrows, 2);
	cr_assert_eq(s.rows[1].line, 2);
	char d[11];
	cr_assert(sheet_serial_date(sheet_cell(&s, 1, 0), true, d));
	cr_assert_str_eq(d, "1988-11-15");
	sheet_free(&s);
	free(z);
}

static void expect_refused(const struct part *parts, const char *needle)
{
	char *z;
	size_t n = make_zip(parts, &z);
	struct sheet s;
	cr_assert_not(read_bytes(&s, z, n), "should refuse (%s)", needle);
	cr_assert(strstr(err, needle), "want “%s” in: %s", needle, err);
	sheet_free(&s);
	free(z);
}

Test(xlsx, refuses_zips_that_are_not_workbooks)
{
	struct part docx[] = {{"word/document.xml", "<w/>"}, {NULL}};
	expect_refused(docx, "xl/workbook.xml");
	struct part nosheet[] = {{"xl/workbook.xml", workbook}, {NULL}};
	expect_refused(nosheet, "工作表");
	struct part broken[] = {{"xl/workbook.xml", "<workbook><sheets>"}, {NULL}};
	expect_refused(broken, "XML");
	struct sheet s;
	cr_assert_not(read_bytes(&s, "PK\x03\x04garbage", 11));
	cr_assert(strstr(err, ".xlsx"), "%s", err);
	sheet_free(&s);
}

Test(xlsx, refuses_doctype_entities)
{
	struct part laughs[] = {
		{"xl/workbook.xml",
		 "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><workbook>&b;</workbook>"},
		{NULL},
	};
	expect_refused(laughs, "DOCTYPE");
}

Test(xlsx, refuses_bad_references)
{
	struct part p1[] = {{"xl/workbook.xml", "<workbook/>"},
			    {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c t=\"s\"><v>7</v></c></row></sheetData></worksheet>"},
			    {NULL}};
	expect_refused(p1, "共享字符串");
	struct part p2[] = {{"xl/workbook.xml", "<workbook/>"},
			    {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c r=\"1A\"><v>1</v></c></row></sheetData></worksheet>"},
			    {NULL}};
	expect_refused(p2, "单元格引用");
	struct part p3[] = {{"xl/workbook.xml", "<workbook/>"},
			    {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"99999999\"/></sheetData></worksheet>"},
			    {NULL}};
	expect_refused(p3, "行号");
	struct part p4[] = {{"xl/workbook.xml", "<workbook/>"},
			    {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c r=\"BM1\"><v>1</v></c></row></sheetData></worksheet>"},
			    {NULL}};
	expect_refused(p4, "64 列");
}

Test(xlsx, overlong_cells)
{
	buf sst = {0}, sheet = {0};
	buf_puts(&sst, "<sst><si><t>ok</t></si><si><t>");
	for (int i = 0; i < SHEET_MAX_CELL + 1; i++)
		buf_putc(&sst, 'x');
	buf_puts(&sst, "</t></si></sst>");
	struct part unused[] = {{"xl/workbook.xml", "<workbook/>"},
				{"xl/sharedStrings.xml", sst.p},
				{"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c t=\"s\"><v>0</v></c></row></sheetData></worksheet>"},
				{NULL}};
	char *z;
	size_t n = make_zip(unused, &z);
	struct sheet s;
	cr_assert(read_bytes(&s, z, n), "an overlong string nobody uses is harmless: %s", err);
	sheet_free(&s);
	free(z);
	struct part used[] = {
		{"xl/workbook.xml", "<workbook/>"},
		{"xl/sharedStrings.xml", sst.p},
		{"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"2\"><c r=\"C2\" t=\"s\"><v>1</v></c></row></sheetData></worksheet>"},
		{NULL}};
	expect_refused(used, "C2");
	buf_puts(&sheet, "<worksheet><sheetData><row r=\"7\"><c r=\"B7\" t=\"inlineStr\"><is><t>");
	for (int i = 0; i < SHEET_MAX_CELL + 1; i++)
		buf_putc(&sheet, 'x');
	buf_puts(&sheet, "</t></is></c></row></sheetData></worksheet>");
	struct part inl[] = {{"xl/workbook.xml", "<workbook/>"}, {"xl/worksheets/sheet1.xml", sheet.p}, {NULL}};
	expect_refused(inl, "B7");
	buf_free(&sst);
	buf_free(&sheet);
}

Test(xlsx, zip_bombs)
{
	/* 60 MiB of blanks inflate past the total limit (they are refused by
	 * their declared size before any is inflated) */
	size_t big = 60u << 20;
	char *blanks = malloc(big + 64);
	memset(blanks, ' ', big + 64);
	memcpy(blanks, "<worksheet>", 11);
	memcpy(blanks + big - 12, "</worksheet>", 12);
	struct part bomb[] = {{"xl/workbook.xml", "<workbook/>"}, {"xl/worksheets/sheet1.xml", blanks, big}, {NULL}};
	expect_refused(bomb, "50 MiB");
	/* 4 MiB that deflate about 1000:1: within the total, refused by the ratio */
	size_t mid = 4u << 20;
	memcpy(blanks + mid - 12, "</worksheet>", 12);
	struct part ratio[] = {{"xl/workbook.xml", "<workbook/>"}, {"xl/worksheets/sheet1.xml", blanks, mid}, {NULL}};
	expect_refused(ratio, "压缩比");
	free(blanks);
}

Test(xlsx, row_limit)
{
	buf b = {0};
	buf_puts(&b, "<worksheet><sheetData>");
	for (int i = 1; i <= SHEET_MAX_ROWS + 2; i++)
		buf_printf(&b, "<row r=\"%d\"><c><v>%d</v></c></row>", i, i);
	buf_puts(&b, "</sheetData></worksheet>");
	struct part p[] = {{"xl/workbook.xml", "<workbook/>"}, {"xl/worksheets/sheet1.xml", b.p}, {NULL}};
	expect_refused(p, "20000 行");
	buf_free(&b);
}

/* ---- helpers ---- */

Test(helpers, column_names)
{
	char c[8];
	int cols[] = {0, 25, 26, 27, 701, 702, 16383};
	const char *want[] = {"A", "Z", "AA", "AB", "ZZ", "AAA", "XFD"};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		sheet_col_name(cols[i], c);
		cr_assert_str_eq(c, want[i]);
	}
}

Test(helpers, excel_serial_dates)
{
	char d[11];
	cr_assert(sheet_serial_date("1", false, d));
	cr_assert_str_eq(d, "1900-01-01");
	cr_assert(sheet_serial_date("59", false, d));
	cr_assert_str_eq(d, "1900-02-28");
	cr_assert_not(sheet_serial_date("60", false, d), "Excel's 1900-02-29 never was");
	cr_assert(sheet_serial_date("61", false, d));
	cr_assert_str_eq(d, "1900-03-01");
	cr_assert(sheet_serial_date("45658.75", false, d));
	cr_assert_str_eq(d, "2025-01-01");
	const char *bad[] = {"", "abc", "12x", "-5", "0", "1e9", "nan", "inf"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_not(sheet_serial_date(bad[i], false, d), "%s", bad[i]);
}
