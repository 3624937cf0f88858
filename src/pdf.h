/* pdf — the small PDF layer every printable document shares (certificates,
 * dues receipts, transfer letters): an A4 document drawn with libharu in
 * WenQuanYi Zen Hei, loaded once per document and embedded (only the glyphs
 * used are written, so any reader shows it and pdftotext reads it back),
 * text at a position, lines, table rows, a QR code from libqrencode, and
 * the result in a buffer or a file. Coordinates are PDF points from the
 * page's bottom-left corner. Knows nothing of HTTP or the database. */
#ifndef DJ_PDF_H
#define DJ_PDF_H
#include <stdbool.h>

#include "buf.h"

/* fonts-wqy-zenhei (Debian); DANGJIAN_CERT_FONT names another TTC/TTF */
#define PDF_FONT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

typedef struct pdf_doc pdf_doc;

/* A new document with the CJK font loaded and its title set; NULL (and a
 * line on stderr) when libharu or the font fails. */
pdf_doc *pdf_open(const char *title);
/* Adds an A4 page, portrait or landscape, and makes it the current one. */
void pdf_page(pdf_doc *p, bool landscape);
float pdf_width(const pdf_doc *p);
float pdf_height(const pdf_doc *p);

/* Colours of what is filled (text, rectangles) and stroked (lines), 0..1. */
void pdf_fill_color(pdf_doc *p, float r, float g, float b);
void pdf_stroke_color(pdf_doc *p, float r, float g, float b);

/* Text s (UTF-8) in size points, its baseline's left end at (x, y). */
void pdf_text(pdf_doc *p, float size, float x, float y, const char *s);
/* Centred on cx; ending at rx. */
void pdf_text_centered(pdf_doc *p, float size, float cx, float y, const char *s);
void pdf_text_right(pdf_doc *p, float size, float rx, float y, const char *s);
float pdf_text_width(pdf_doc *p, float size, const char *s);
/* Lines of at most width points, broken between characters (Chinese has no
 * spaces to break at; a closing mark stays with the character before it),
 * at most max_lines (the last cut with ……); returns the y below the last line. */
float pdf_text_wrapped(pdf_doc *p, float size, float x, float y, float width, float leading, const char *s, int max_lines);

/* A straight line of width points; a rectangle's outline; a filled rectangle. */
void pdf_line(pdf_doc *p, float x1, float y1, float x2, float y2, float width);
void pdf_rect(pdf_doc *p, float x, float y, float w, float h, float width);
void pdf_fill_rect(pdf_doc *p, float x, float y, float w, float h);

/* One row of a ruled table whose top edge is at y: n cells of the given
 * widths from x, each framed, its text in size points on one line (cut with
 * …… when too long); returns the y of the row's bottom edge. */
float pdf_table_row(pdf_doc *p, float x, float y, float height, float size, const float *widths, const char *const *cells, int n);

/* The QR code of text, its bottom-left corner at (x, y), side points wide,
 * with the four-module quiet zone inside that side; false when libqrencode
 * could not encode it. */
bool pdf_qr(pdf_doc *p, const char *text, float x, float y, float side);

/* Writes the document (appends to out; to path). false, with a line on
 * stderr naming what, when libharu failed at any step since pdf_open. */
bool pdf_save_buf(pdf_doc *p, buf *out);
bool pdf_save_file(pdf_doc *p, const char *path);
void pdf_close(pdf_doc *p);

#endif
