/* sheet — reading a roster's table from .xlsx or .csv bytes (SPEC M1 import, §5).
 *
 * .xlsx: libzip opens the upload from memory; expat streams the XML of the
 * workbook, its relationships, the shared strings and the first worksheet,
 * 64 KiB at a time, so inflated bytes are counted (and a zip bomb stopped)
 * before they pile up. DOCTYPEs are refused, so no entity can expand.
 * .csv: RFC 4180 quoting, CRLF/LF/CR line ends; the encoding is found from a
 * BOM, else by whether the bytes are valid UTF-8, else GB18030 (a superset of
 * GBK) through iconv. */
#include "sheet.h"

#include <errno.h>
#include <expat.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XML_CHUNK (64u << 10)
#define XLSX_MAX_COLUMN 16384 /* XFD, Excel's last column */
#define XLSX_MAX_ROW 1048576
#define XLSX_MAX_SHARED ((SHEET_MAX_ROWS + 1) * SHEET_MAX_COLS)
#define SST_OVERLONG UINT32_MAX

__attribute__((format(printf, 3, 4))) static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

void sheet_col_name(int col, char out[8])
{
	char tmp[8];
	int n = 0;
	for (col++; col > 0 && n < 7; col = (col - 1) / 26)
		tmp[n++] = (char)('A' + (col - 1) % 26);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
}

/* ---- the table being built ---- */

struct builder {
	struct sheet *s;
	uint32_t row[SHEET_MAX_COLS];
	int ncols;      /* highest column holding anything, plus one */
	bool content;   /* some cell of the row holds more than blanks */
	size_t cell_at; /* where the current cell's text starts in s->text */
	char *err;
	size_t errlen;
};

static void builder_init(struct builder *b, struct sheet *s, char *err, size_t errlen)
{
	memset(b, 0, sizeof *b);
	b->s = s;
	b->err = err;
	b->errlen = errlen;
	if (!s->text.len)
		buf_putc(&s->text, 0); /* offset 0: the empty cell */
}

static bool blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

static bool cell_begin(struct builder *b)
{
	b->cell_at = b->s->text.len;
	return true;
}

/* Appends to the current cell, enforcing the cell and the table limits. */
static bool cell_append(struct builder *b, const char *p, size_t n, int line, int col)
{
	if (b->s->text.len - b->cell_at + n > SHEET_MAX_CELL) {
		char c[8];
		sheet_col_name(col, c);
		return fail(b->err, b->errlen, "单元格 %s%d 超过 %d 字节的上限（约 %d 个汉字）", c, line, SHEET_MAX_CELL, SHEET_MAX_CELL / 3);
	}
	if (b->s->text.len + n + 1 > SHEET_MAX_TEXT)
		return fail(b->err, b->errlen, "表格内容总量超过 %u MiB 的上限", SHEET_MAX_TEXT >> 20);
	buf_append(&b->s->text, p, n);
	return true;
}

/* Ends the current cell and places it at col of the row being built. */
static bool cell_end(struct builder *b, int line, int col, bool number)
{
	struct sheet *s = b->s;
	size_t n = s->text.len - b->cell_at;
	if (!n)
		return true;
	if (col >= SHEET_MAX_COLS) {
		char c[8];
		sheet_col_name(col, c);
		return fail(b->err, b->errlen, "第 %d 行的 %s 列超出了 %d 列的上限", line, c, SHEET_MAX_COLS);
	}
	if (!blank(s->text.p + b->cell_at, n))
		b->content = true;
	buf_putc(&s->text, 0);
	b->row[col] = (uint32_t)b->cell_at | (number ? SHEET_NUM : 0);
	if (col + 1 > b->ncols)
		b->ncols = col + 1;
	return true;
}

static bool row_end(struct builder *b, int line)
{
	struct sheet *s = b->s;
	bool keep = b->content;
	if (keep && s->nrows >= SHEET_MAX_ROWS + 1)
		return fail(b->err, b->errlen, "表格超过 %d 行数据的上限，请分成几个文件导入", SHEET_MAX_ROWS);
	if (keep) {
		if (s->ncells + (size_t)b->ncols > s->cells_cap) {
			size_t cap = s->cells_cap ? s->cells_cap : 1024;
			while (cap < s->ncells + (size_t)b->ncols)
				cap *= 2;
			uint32_t *c = realloc(s->cells, cap * sizeof *c);
			if (!c)
				return fail(b->err, b->errlen, "内存不足");
			s->cells = c;
			s->cells_cap = cap;
		}
		if (s->nrows == s->rows_cap) {
			size_t cap = s->rows_cap ? s->rows_cap * 2 : 64;
			struct sheet_row *r = realloc(s->rows, cap * sizeof *r);
			if (!r)
				return fail(b->err, b->errlen, "内存不足");
			s->rows = r;
			s->rows_cap = cap;
		}
		memcpy(s->cells + s->ncells, b->row, (size_t)b->ncols * sizeof b->row[0]);
		s->rows[s->nrows++] = (struct sheet_row){line, b->ncols, s->ncells};
		s->ncells += (size_t)b->ncols;
	}
	memset(b->row, 0, sizeof b->row);
	b->ncols = 0;
	b->content = false;
	return true;
}

const char *sheet_cell(const struct sheet *s, size_t row, int col)
{
	if (row >= s->nrows || col < 0 || col >= s->rows[row].ncells)
		return "";
	return s->text.p + (s->cells[s->rows[row].first + (size_t)col] & ~SHEET_NUM);
}

bool sheet_cell_is_number(const struct sheet *s, size_t row, int col)
{
	if (row >= s->nrows || col < 0 || col >= s->rows[row].ncells)
		return false;
	return (s->cells[s->rows[row].first + (size_t)col] & SHEET_NUM) != 0;
}

void sheet_free(struct sheet *s)
{
	free(s->rows);
	free(s->cells);
	buf_free(&s->text);
	memset(s, 0, sizeof *s);
}

/* ---- dates ---- */

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

bool sheet_serial_date(const char *num, bool date1904, char out[11])
{
	if (!num || !*num)
		return false;
	char *end;
	errno = 0;
	double v = strtod(num, &end);
	if (errno || *end || !isfinite(v) || v < 1 || v >= 80000)
		return false;
	long serial = (long)floor(v), days;
	if (date1904)
		days = days_from_civil(1904, 1, 1) + serial;
	else if (serial < 60) /* Excel's 1900 counts a 29 February that never was */
		days = days_from_civil(1899, 12, 31) + serial;
	else if (serial == 60)
		return false;
	else
		days = days_from_civil(1899, 12, 30) + serial;
	long y, m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 1900 || y > 2100)
		return false;
	char t[64];
	snprintf(t, sizeof t, "%04ld-%02ld-%02ld", y, m, d);
	memcpy(out, t, 11);
	return true;
}

/* ---- CSV ---- */

/* Length of the valid UTF-8 prefix of p (n when it is all valid). */
static size_t utf8_prefix(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k;
		unsigned cp;
		if (c >= 0xc2 && c <= 0xdf)
			k = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3, cp = c & 0x07;
		else
			return i;
		if (i + k >= n)
			return i;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return i;
		i += k + 1;
	}
	return n;
}

static int line_at(const char *p, size_t pos)
{
	int line = 1;
	for (size_t i = 0; i < pos; i++)
		line += p[i] == '\n';
	return line;
}

/* The bytes of in (n) converted from `from` to UTF-8, or NULL with *bad at the offending byte. */
static char *to_utf8(const char *from, const char *in, size_t n, size_t *outlen, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = n * 2 + 16;
	char *out = malloc(cap);
	if (!out) {
		iconv_close(cd);
		return NULL;
	}
	char *ip = (char *)in, *op = out;
	size_t il = n, ol = cap - 1;
	size_t rc = iconv(cd, &ip, &il, &op, &ol);
	if (rc != (size_t)-1)
		rc = iconv(cd, NULL, NULL, &op, &ol);
	iconv_close(cd);
	if (rc == (size_t)-1) {
		*bad = (size_t)(ip - in);
		free(out);
		return NULL;
	}
	*op = 0;
	*outlen = (size_t)(op - out);
	return out;
}

/* Comma, unless the first line holds tabs (Excel's 文本文件) or only semicolons. */
static char csv_delimiter(const char *p, size_t n)
{
	size_t commas = 0, tabs = 0, semis = 0;
	bool q = false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			q = !q;
		else if (!q && (p[i] == '\n' || p[i] == '\r'))
			break;
		else if (!q)
			commas += p[i] == ',', tabs += p[i] == '\t', semis += p[i] == ';';
	}
	if (tabs && !commas)
		return '\t';
	if (semis && !commas && !tabs)
		return ';';
	return ',';
}

static bool csv_parse(struct sheet *s, const char *p, size_t n, char *err, size_t errlen)
{
	struct builder b;
	builder_init(&b, s, err, errlen);
	char delim = csv_delimiter(p, n);
	size_t i = 0;
	int line = 1, col = 0;
	bool in_record = false;
	while (i < n) {
		in_record = true;
		cell_begin(&b);
		if (p[i] == '"') {
			int line0 = line;
			i++;
			for (;;) {
				const char *q = memchr(p + i, '"', n - i);
				if (!q)
					return fail(err, errlen, "第 %d 行：引号没有配对（以 \" 开始的单元格没有结束的 \"）", line0);
				size_t run = (size_t)(q - (p + i));
				if (!cell_append(&b, p + i, run, line0, col))
					return false;
				i += run + 1;
				if (i < n && p[i] == '"') { /* "" stands for one " */
					if (!cell_append(&b, "\"", 1, line0, col))
						return false;
					i++;
					continue;
				}
				break;
			}
		}
		/* unquoted text, or what follows a closing quote (kept, as Excel does) */
		size_t start = i;
		while (i < n && p[i] != delim && p[i] != '\n' && p[i] != '\r')
			i++;
		if (!cell_append(&b, p + start, i - start, line, col) || !cell_end(&b, line, col, false))
			return false;
		if (i < n && p[i] == delim) {
			i++;
			col++;
			continue;
		}
		if (i < n) { /* a line end: \r\n, \n or \r */
			i += p[i] == '\r' && i + 1 < n && p[i + 1] == '\n' ? 2 : 1;
		}
		if (!row_end(&b, line))
			return false;
		line++;
		col = 0;
		in_record = false;
	}
	return !in_record || row_end(&b, line);
}

static bool csv_read(struct sheet *s, const unsigned char *d, size_t n, char *err, size_t errlen)
{
	s->format = SHEET_CSV;
	char *conv = NULL;
	const char *text = (const char *)d;
	size_t tlen = n, bad = 0, ok;
	if (n >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf) {
		s->encoding = "UTF-8 BOM";
		text += 3, tlen -= 3;
		if ((ok = utf8_prefix((const unsigned char *)text, tlen)) < tlen)
			return fail(err, errlen, "文件标明为 UTF-8 编码，但第 %d 行含有不是 UTF-8 的字节", line_at(text, ok));
	} else if (n >= 2 && ((d[0] == 0xff && d[1] == 0xfe) || (d[0] == 0xfe && d[1] == 0xff))) {
		s->encoding = "UTF-16";
		conv = to_utf8("UTF-16", (const char *)d, n, &tlen, &bad);
		if (!conv)
			return fail(err, errlen, "文件标明为 UTF-16 编码，但内容无法按 UTF-16 读取");
		text = conv;
	} else if (memchr(d, 0, n)) {
		return fail(err, errlen, "文件既不是 .xlsx 工作簿，也不是文本格式的 CSV，无法读取。请在 Excel 中另存为 .xlsx 或 CSV");
	} else if (utf8_prefix(d, n) == n) {
		s->encoding = "UTF-8";
	} else {
		s->encoding = "GBK";
		conv = to_utf8("GB18030", (const char *)d, n, &tlen, &bad);
		if (!conv)
			return fail(err, errlen,
				    "无法识别文件的编码（第 %d 行附近既不是 UTF-8 也不是 GBK）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx",
				    line_at((const char *)d, bad));
		text = conv;
	}
	for (size_t i = 0; i < tlen; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
			int line = line_at(text, i);
			free(conv);
			return fail(err, errlen, "第 %d 行含有控制字符，文件不是文本格式的 CSV。请在 Excel 中另存为 .xlsx 或 CSV", line);
		}
	}
	bool r = csv_parse(s, text, tlen, err, errlen);
	free(conv);
	return r;
}

/* ---- .xlsx ---- */

enum xmode { X_WORKBOOK, X_RELS, X_SHARED, X_SHEET };

struct xctx {
	XML_Parser p;
	enum xmode mode;
	struct sheet *s;
	char *err;
	size_t errlen;
	bool failed;
	const char *entry; /* the zip entry being read, for messages */
	/* xl/workbook.xml and its relationships */
	bool sheet_seen;
	char sheet_rid[64], sheet_target[256], shared_target[256];
	/* the text of the <v> or <t> being read, capped just past the cell limit */
	buf cur;
	bool collecting, overlong;
	int rph; /* inside <rPh> (phonetic hints, not part of the text) */
	/* shared strings */
	uint32_t *shared; /* offsets into shared_text; SST_OVERLONG for strings over the cell limit */
	size_t nshared, shared_cap;
	buf shared_text;
	bool in_si;
	/* the worksheet */
	struct builder b;
	int line, last_line, col, next_col;
	char type[12];
	bool in_row, in_cell, in_is;
};

static const char *local_name(const char *name)
{
	const char *sep = strrchr(name, '|');
	return sep ? sep + 1 : name;
}

/* An attribute by name; a namespaced name ("r:id") is matched on its local part. */
static const char *attr(const char **atts, const char *name, bool namespaced)
{
	for (; atts && atts[0]; atts += 2) {
		const char *sep = strrchr(atts[0], '|');
		if (namespaced ? sep && !strcmp(sep + 1, name) : !sep && !strcmp(atts[0], name))
			return atts[1];
	}
	return NULL;
}

static void xfail(struct xctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xfail(struct xctx *x, const char *fmt, ...)
{
	if (x->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->err, x->errlen, fmt, ap);
	va_end(ap);
	x->failed = true;
	XML_StopParser(x->p, XML_FALSE);
}

/* Stops the parser after the builder has written the reason into x->err. */
static void xstop(struct xctx *x)
{
	x->failed = true;
	XML_StopParser(x->p, XML_FALSE);
}

static void collect_begin(struct xctx *x)
{
	buf_reset(&x->cur);
	x->overlong = false;
}

static void on_text(void *ud, const XML_Char *t, int len)
{
	struct xctx *x = ud;
	if (x->failed || !x->collecting || x->rph)
		return;
	if (x->cur.len + (size_t)len > SHEET_MAX_CELL) {
		x->overlong = true;
		return;
	}
	buf_append(&x->cur, t, (size_t)len);
}

/* "B12" → column 1; false unless letters then digits. */
static bool parse_ref(const char *ref, int *col)
{
	int c = 0, letters = 0;
	const char *p = ref;
	for (; *p >= 'A' && *p <= 'Z'; p++, letters++) {
		c = c * 26 + (*p - 'A' + 1);
		if (c > XLSX_MAX_COLUMN)
			return false;
	}
	if (!letters)
		return false;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return false;
	*col = c - 1;
	return true;
}

static bool parse_uint(const char *s, long max, long *out)
{
	if (!s || !*s || strlen(s) > 9)
		return false;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static void shared_push(struct xctx *x)
{
	if (x->nshared >= XLSX_MAX_SHARED) {
		xfail(x, "共享字符串超过 %d 个的上限", XLSX_MAX_SHARED);
		return;
	}
	if (x->nshared == x->shared_cap) {
		size_t cap = x->shared_cap ? x->shared_cap * 2 : 256;
		uint32_t *n = realloc(x->shared, cap * sizeof *n);
		if (!n) {
			xfail(x, "内存不足");
			return;
		}
		x->shared = n;
		x->shared_cap = cap;
	}
	if (x->overlong) {
		x->shared[x->nshared++] = SST_OVERLONG;
		return;
	}
	if (!x->shared_text.len)
		buf_putc(&x->shared_text, 0);
	x->shared[x->nshared++] = (uint32_t)x->shared_text.len;
	buf_append(&x->shared_text, x->cur.p ? x->cur.p : "", x->cur.len);
	buf_putc(&x->shared_text, 0);
}

static void cell_finish(struct xctx *x)
{
	char ref[8];
	sheet_col_name(x->col, ref);
	const char *text = buf_str(&x->cur);
	size_t len = x->cur.len;
	bool number = false;
	if (x->overlong) {
		xfail(x, "单元格 %s%d 超过 %d 字节的上限（约 %d 个汉字）", ref, x->line, SHEET_MAX_CELL, SHEET_MAX_CELL / 3);
		return;
	}
	if (!strcmp(x->type, "s")) {
		long idx;
		if (!len)
			return;
		if (!parse_uint(text, (long)x->nshared - 1, &idx)) {
			xfail(x, "单元格 %s%d 引用的共享字符串不存在，文件已损坏", ref, x->line);
			return;
		}
		if (x->shared[idx] == SST_OVERLONG) {
			xfail(x, "单元格 %s%d 超过 %d 字节的上限（约 %d 个汉字）", ref, x->line, SHEET_MAX_CELL, SHEET_MAX_CELL / 3);
			return;
		}
		text = x->shared_text.p + x->shared[idx];
		len = strlen(text);
	} else if (!*x->type || !strcmp(x->type, "n"))
		number = true;
	/* inlineStr, str (a formula's text), b (0/1), e (#N/A), d (ISO date): the text as it is */
	cell_begin(&x->b);
	if (!cell_append(&x->b, text, len, x->line, x->col) || !cell_end(&x->b, x->line, x->col, number))
		xstop(x);
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xctx *x = ud;
	if (x->failed)
		return;
	const char *n = local_name(name), *v;
	switch (x->mode) {
	case X_WORKBOOK:
		if (!strcmp(n, "workbookPr") && (v = attr(atts, "date1904", false)))
			x->s->date1904 = !strcmp(v, "1") || !strcmp(v, "true");
		else if (!strcmp(n, "sheet") && !x->sheet_seen) {
			x->sheet_seen = true;
			v = attr(atts, "id", true);
			snprintf(x->sheet_rid, sizeof x->sheet_rid, "%s", v ? v : "");
		}
		break;
	case X_RELS:
		if (!strcmp(n, "Relationship")) {
			const char *id = attr(atts, "Id", false), *target = attr(atts, "Target", false);
			const char *type = attr(atts, "Type", false);
			if (!id || !target)
				break;
			if (*x->sheet_rid && !strcmp(id, x->sheet_rid))
				snprintf(x->sheet_target, sizeof x->sheet_target, "%s", target);
			size_t tl = type ? strlen(type) : 0;
			if (tl > 14 && !strcmp(type + tl - 14, "/sharedStrings"))
				snprintf(x->shared_target, sizeof x->shared_target, "%s", target);
		}
		break;
	case X_SHARED:
		if (!strcmp(n, "si")) {
			x->in_si = true;
			collect_begin(x);
		} else if (!strcmp(n, "rPh"))
			x->rph++;
		else if (!strcmp(n, "t") && x->in_si)
			x->collecting = true;
		break;
	case X_SHEET:
		if (!strcmp(n, "row")) {
			long r = 0;
			v = attr(atts, "r", false);
			if (v && (!parse_uint(v, XLSX_MAX_ROW, &r) || r < 1)) {
				xfail(x, "工作表中的行号“%.20s”无效，文件已损坏", v);
				return;
			}
			x->line = v ? (int)r : x->last_line + 1;
			x->in_row = true;
			x->next_col = 0;
		} else if (!strcmp(n, "c") && x->in_row) {
			v = attr(atts, "r", false);
			if (v && !parse_ref(v, &x->col)) {
				xfail(x, "单元格引用“%.20s”无效，文件已损坏", v);
				return;
			}
			if (!v)
				x->col = x->next_col;
			if (x->col >= XLSX_MAX_COLUMN) {
				xfail(x, "第 %d 行的列数超出 Excel 的范围，文件已损坏", x->line);
				return;
			}
			v = attr(atts, "t", false);
			snprintf(x->type, sizeof x->type, "%s", v ? v : "");
			x->in_cell = true;
			collect_begin(x);
		} else if (!strcmp(n, "v") && x->in_cell)
			x->collecting = true;
		else if (!strcmp(n, "is") && x->in_cell)
			x->in_is = true;
		else if (!strcmp(n, "rPh"))
			x->rph++;
		else if (!strcmp(n, "t") && x->in_is)
			x->collecting = true;
		break;
	}
}

static void on_end(void *ud, const XML_Char *name)
{
	struct xctx *x = ud;
	if (x->failed)
		return;
	const char *n = local_name(name);
	if (!strcmp(n, "rPh")) {
		if (x->rph)
			x->rph--;
		return;
	}
	if (x->mode == X_SHARED) {
		if (!strcmp(n, "t"))
			x->collecting = false;
		else if (!strcmp(n, "si") && x->in_si) {
			x->in_si = false;
			shared_push(x);
		}
	} else if (x->mode == X_SHEET) {
		if (!strcmp(n, "v") || !strcmp(n, "t"))
			x->collecting = false;
		else if (!strcmp(n, "is"))
			x->in_is = false;
		else if (!strcmp(n, "c") && x->in_cell) {
			x->in_cell = false;
			cell_finish(x);
			x->next_col = x->col + 1;
		} else if (!strcmp(n, "row") && x->in_row) {
			x->in_row = false;
			x->last_line = x->line;
			if (!row_end(&x->b, x->line))
				xstop(x);
		}
	}
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid, int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	struct xctx *x = ud;
	xfail(x, "%s 含有 DOCTYPE 声明，Excel 不会写出这样的文件，已拒绝", x->entry);
}

/* Parses one zip entry with the handlers of x->mode. Returns 1 when read,
 * 0 when the archive has no such entry, -1 on an error (in x->err). */
static int zip_parse(struct xctx *x, zip_t *z, const char *name, size_t *budget)
{
	zip_int64_t idx = zip_name_locate(z, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return 0;
	x->entry = name;
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st) < 0)
		return fail(x->err, x->errlen, "文件已损坏：无法读取 %s", name), -1;
	zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size ? st.comp_size : 1;
	if ((st.valid & ZIP_STAT_SIZE) && st.size > *budget)
		return fail(x->err, x->errlen, "解压后的内容超过 %u MiB 的上限，已拒绝（可能是“压缩炸弹”）", SHEET_MAX_UNZIPPED >> 20), -1;
	if ((st.valid & ZIP_STAT_SIZE) && st.size > SHEET_RATIO_FLOOR && st.size / comp > SHEET_MAX_RATIO)
		return fail(x->err, x->errlen, "%s 的压缩比超过 %u:1 的上限，已拒绝（可能是“压缩炸弹”）", name, SHEET_MAX_RATIO), -1;
	zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
	if (!f)
		return fail(x->err, x->errlen, "无法读取 %s：文件已加密或压缩方式不受支持", name), -1;
	XML_Parser p = XML_ParserCreateNS(NULL, '|');
	char *chunk = malloc(XML_CHUNK);
	if (!p || !chunk) {
		if (p)
			XML_ParserFree(p);
		free(chunk);
		zip_fclose(f);
		return fail(x->err, x->errlen, "内存不足"), -1;
	}
	x->p = p;
	x->failed = false;
	x->collecting = false;
	x->rph = 0;
	XML_SetUserData(p, x);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	int rc = 1;
	zip_uint64_t total = 0;
	for (;;) {
		zip_int64_t n = zip_fread(f, chunk, XML_CHUNK);
		if (n < 0) {
			fail(x->err, x->errlen, "文件已损坏：%s（%s）", name, zip_file_strerror(f));
			rc = -1;
			break;
		}
		total += (zip_uint64_t)n;
		if (total > *budget) {
			fail(x->err, x->errlen, "解压后的内容超过 %u MiB 的上限，已拒绝（可能是“压缩炸弹”）", SHEET_MAX_UNZIPPED >> 20);
			rc = -1;
			break;
		}
		if (total > SHEET_RATIO_FLOOR && total / comp > SHEET_MAX_RATIO) {
			fail(x->err, x->errlen, "%s 的压缩比超过 %u:1 的上限，已拒绝（可能是“压缩炸弹”）", name, SHEET_MAX_RATIO);
			rc = -1;
			break;
		}
		if (XML_Parse(p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
			if (!x->failed)
				fail(x->err, x->errlen, "文件已损坏：%s 第 %lu 行不是合格的 XML（%s）", name, (unsigned long)XML_GetCurrentLineNumber(p),
				     XML_ErrorString(XML_GetErrorCode(p)));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
	}
	*budget -= total < *budget ? total : *budget;
	XML_ParserFree(p);
	x->p = NULL;
	free(chunk);
	zip_fclose(f);
	return rc;
}

/* A relationship's Target as a path inside the archive: relative to xl/, or absolute. */
static void part_path(const char *target, char *out, size_t n)
{
	if (target[0] == '/')
		snprintf(out, n, "%.250s", target + 1);
	else
		snprintf(out, n, "xl/%.250s", target);
}

static bool xlsx_read(struct sheet *s, const void *data, size_t len, char *err, size_t errlen)
{
	s->format = SHEET_XLSX;
	s->encoding = "xlsx";
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return fail(err, errlen, "内存不足");
	}
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!z) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return fail(err, errlen, "不是有效的 .xlsx 文件：压缩包已损坏，无法打开");
	}
	zip_error_fini(&ze);

	struct xctx x = {.s = s, .err = err, .errlen = errlen};
	size_t budget = SHEET_MAX_UNZIPPED;
	bool ok = false;
	char path[300];
	int rc;

	x.mode = X_WORKBOOK;
	if ((rc = zip_parse(&x, z, "xl/workbook.xml", &budget)) <= 0) {
		if (rc == 0)
			fail(err, errlen, "不是 Excel 工作簿：压缩包里没有 xl/workbook.xml（请上传 .xlsx 或 .csv 文件）");
		goto out;
	}
	x.mode = X_RELS;
	if (zip_parse(&x, z, "xl/_rels/workbook.xml.rels", &budget) < 0)
		goto out;
	part_path(*x.shared_target ? x.shared_target : "sharedStrings.xml", path, sizeof path);
	x.mode = X_SHARED;
	if (zip_parse(&x, z, path, &budget) < 0)
		goto out;
	x.mode = X_SHEET;
	builder_init(&x.b, s, err, errlen);
	rc = 0;
	if (*x.sheet_target) {
		part_path(x.sheet_target, path, sizeof path);
		rc = zip_parse(&x, z, path, &budget);
	}
	if (rc == 0)
		rc = zip_parse(&x, z, "xl/worksheets/sheet1.xml", &budget);
	if (rc == 0)
		fail(err, errlen, "工作簿里找不到第一个工作表");
	ok = rc > 0;
out:
	zip_discard(z);
	free(x.shared);
	buf_free(&x.shared_text);
	buf_free(&x.cur);
	return ok;
}

bool sheet_read(struct sheet *s, const void *data, size_t len, char *err, size_t errlen)
{
	const unsigned char *d = data;
	if (len > SHEET_MAX_FILE)
		return fail(err, errlen, "文件大小超过 %u MiB 的上限", SHEET_MAX_FILE >> 20);
	if (!len)
		return fail(err, errlen, "文件是空的");
	if (len >= 4 && !memcmp(d, "PK\x03\x04", 4))
		return xlsx_read(s, data, len, err, errlen);
	if (len >= 4 && !memcmp(d, "PK", 2) && (d[2] == 5 || d[2] == 7))
		return fail(err, errlen, "不是有效的 .xlsx 文件：压缩包是空的或不完整");
	if (len >= 8 && !memcmp(d, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return fail(err, errlen, "这是旧版 Excel（.xls）文件或加了密码的工作簿，无法直接读取。请在 Excel 中“另存为” .xlsx 或 CSV 后再导入");
	return csv_read(s, d, len, err, errlen);
}
