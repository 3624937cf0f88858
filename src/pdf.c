/* pdf — the shared PDF layer (pdf.h) over libharu and libqrencode. */
#include "pdf.h"

#include <hpdf.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct pdf_doc {
	HPDF_Doc doc;
	HPDF_Font font;
	HPDF_Page page;
	HPDF_STATUS code, detail; /* the first error libharu reported */
	char title[200];
};

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	pdf_doc *p = user;
	if (!p->code) {
		p->code = code;
		p->detail = detail;
	}
}

pdf_doc *pdf_open(const char *title)
{
	pdf_doc *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	snprintf(p->title, sizeof p->title, "%s", title ? title : "");
	const char *font_file = getenv("DANGJIAN_CERT_FONT");
	if (!font_file || !*font_file)
		font_file = PDF_FONT;
	p->doc = HPDF_New(on_error, p);
	if (!p->doc) {
		free(p);
		return NULL;
	}
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p->doc);
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	/* a TTC: the face at index 0 is WenQuanYi Zen Hei; embedded (only the glyphs used are written) */
	const char *fname = HPDF_LoadTTFontFromFile2(p->doc, font_file, 0, HPDF_TRUE);
	p->font = fname ? HPDF_GetFont(p->doc, fname, "UTF-8") : NULL;
	if (!p->font) {
		fprintf(stderr, "dangjian: pdf %s: cannot load the font %s (libharu error 0x%04X)\n", p->title, font_file, (unsigned)p->code);
		HPDF_Free(p->doc);
		free(p);
		return NULL;
	}
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, p->title);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "dangjian");
	return p;
}

void pdf_page(pdf_doc *p, bool landscape)
{
	p->page = HPDF_AddPage(p->doc);
	HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
}

float pdf_width(const pdf_doc *p) { return HPDF_Page_GetWidth(p->page); }
float pdf_height(const pdf_doc *p) { return HPDF_Page_GetHeight(p->page); }

void pdf_fill_color(pdf_doc *p, float r, float g, float b) { HPDF_Page_SetRGBFill(p->page, r, g, b); }
void pdf_stroke_color(pdf_doc *p, float r, float g, float b) { HPDF_Page_SetRGBStroke(p->page, r, g, b); }

void pdf_text(pdf_doc *p, float size, float x, float y, const char *s)
{
	HPDF_Page_BeginText(p->page);
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	HPDF_Page_TextOut(p->page, x, y, s);
	HPDF_Page_EndText(p->page);
}

float pdf_text_width(pdf_doc *p, float size, const char *s)
{
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	return HPDF_Page_TextWidth(p->page, s);
}

void pdf_text_centered(pdf_doc *p, float size, float cx, float y, const char *s) { pdf_text(p, size, cx - pdf_text_width(p, size, s) / 2, y, s); }
void pdf_text_right(pdf_doc *p, float size, float rx, float y, const char *s) { pdf_text(p, size, rx - pdf_text_width(p, size, s), y, s); }

/* Bytes of the first n characters of s (UTF-8). */
static size_t utf8_prefix(const char *s, size_t n)
{
	size_t i = 0;
	while (s[i] && n--) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

float pdf_text_wrapped(pdf_doc *p, float size, float x, float y, float width, float leading, const char *s, int max_lines)
{
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	char line[1024];
	size_t pos = 0, len = strlen(s);
	for (int n = 0; pos < len && n < max_lines; n++) {
		size_t take = 0, chars = 1;
		for (;;) { /* the longest prefix that fits */
			size_t b = utf8_prefix(s + pos, chars);
			if (b >= sizeof line)
				break;
			memcpy(line, s + pos, b);
			line[b] = 0;
			if (HPDF_Page_TextWidth(p->page, line) > width && take)
				break;
			take = b;
			if (pos + b >= len)
				break;
			chars++;
		}
		/* a closing mark never starts a line: it stays with the character before it */
		static const char *const closing[] = {"，", "。", "、", "；", "：", "”", "）", "！", "？", "…"};
		for (size_t k = 0; pos + take < len && k < sizeof closing / sizeof closing[0]; k++)
			if (!strncmp(s + pos + take, closing[k], strlen(closing[k])) && take + strlen(closing[k]) < sizeof line) {
				take += strlen(closing[k]);
				k = (size_t)-1; /* and the next one too (……) */
			}
		memcpy(line, s + pos, take);
		line[take] = 0;
		if (n == max_lines - 1 && pos + take < len && take > 6) /* the last line that fits: cut with …… */
			snprintf(line + utf8_prefix(line, utf8_len(line) - 2), 8, "……");
		pdf_text(p, size, x, y, line);
		pos += take;
		y -= leading;
	}
	return y;
}

void pdf_line(pdf_doc *p, float x1, float y1, float x2, float y2, float width)
{
	HPDF_Page_SetLineWidth(p->page, width);
	HPDF_Page_MoveTo(p->page, x1, y1);
	HPDF_Page_LineTo(p->page, x2, y2);
	HPDF_Page_Stroke(p->page);
}

void pdf_rect(pdf_doc *p, float x, float y, float w, float h, float width)
{
	HPDF_Page_SetLineWidth(p->page, width);
	HPDF_Page_Rectangle(p->page, x, y, w, h);
	HPDF_Page_Stroke(p->page);
}

void pdf_fill_rect(pdf_doc *p, float x, float y, float w, float h)
{
	HPDF_Page_Rectangle(p->page, x, y, w, h);
	HPDF_Page_Fill(p->page);
}

float pdf_table_row(pdf_doc *p, float x, float y, float height, float size, const float *widths, const char *const *cells, int n)
{
	float cx = x;
	for (int i = 0; i < n; i++) {
		pdf_rect(p, cx, y - height, widths[i], height, 0.8f);
		const char *s = cells[i] ? cells[i] : "";
		/* one line: the text cut to the cell, with …… when it did not fit */
		pdf_text_wrapped(p, size, cx + 6, y - height / 2 - size * 0.36f, widths[i] - 12, size, s, 1);
		cx += widths[i];
	}
	return y - height;
}

bool pdf_qr(pdf_doc *p, const char *text, float x, float y, float side)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return false;
	HPDF_Page pg = p->page;
	int w = q->width;
	float m = side / (float)(w + 8);
	HPDF_Page_SetRGBFill(pg, 1, 1, 1);
	HPDF_Page_Rectangle(pg, x, y, side, side);
	HPDF_Page_Fill(pg);
	HPDF_Page_SetRGBFill(pg, 0, 0, 0);
	for (int r = 0; r < w; r++)
		for (int c = 0; c < w; c++)
			if (q->data[r * w + c] & 1) /* row 0 is the top */
				HPDF_Page_Rectangle(pg, x + (float)(c + 4) * m, y + side - (float)(r + 5) * m, m, m);
	HPDF_Page_Fill(pg);
	QRcode_free(q);
	return true;
}

static bool failed(pdf_doc *p)
{
	if (!p->code)
		return false;
	fprintf(stderr, "dangjian: pdf %s: libharu error 0x%04X (%u)\n", p->title, (unsigned)p->code, (unsigned)p->detail);
	return true;
}

bool pdf_save_buf(pdf_doc *p, buf *out)
{
	if (failed(p) || HPDF_SaveToStream(p->doc) != HPDF_OK || failed(p))
		return false;
	HPDF_ResetStream(p->doc);
	unsigned char chunk[16384];
	for (;;) {
		HPDF_UINT32 n = sizeof chunk;
		HPDF_STATUS st = HPDF_ReadFromStream(p->doc, chunk, &n);
		if (n)
			buf_append(out, chunk, n);
		if (st == HPDF_STREAM_EOF)
			return true;
		if (st != HPDF_OK) {
			p->code = st;
			return !failed(p);
		}
	}
}

bool pdf_save_file(pdf_doc *p, const char *path)
{
	if (failed(p))
		return false;
	HPDF_SaveToFile(p->doc, path);
	return !failed(p);
}

void pdf_close(pdf_doc *p)
{
	if (!p)
		return;
	HPDF_Free(p->doc);
	free(p);
}
