/* exemplars_cert — the 荣誉证书 as a PDF (issue 15): A4 landscape, drawn with
 * libharu in WenQuanYi Zen Hei (embedded, so any reader shows it and
 * pdftotext reads it back), with the certificate number and a QR code of the
 * verification address drawn module by module from libqrencode. Knows
 * nothing of HTTP: the caller passes the site's address and a file path. */
#include <hpdf.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exemplars.h"
#include "util.h"

/* fonts-wqy-zenhei (Debian); DANGJIAN_CERT_FONT names another TTC/TTF */
#define CERT_FONT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

struct pdf_err {
	HPDF_STATUS code, detail;
};
static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	struct pdf_err *pe = user;
	if (!pe->code) {
		pe->code = code;
		pe->detail = detail;
	}
}

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

static void text_at(HPDF_Page p, HPDF_Font f, float size, float x, float y, const char *s)
{
	HPDF_Page_BeginText(p);
	HPDF_Page_SetFontAndSize(p, f, size);
	HPDF_Page_TextOut(p, x, y, s);
	HPDF_Page_EndText(p);
}

static void text_centered(HPDF_Page p, HPDF_Font f, float size, float cx, float y, const char *s)
{
	HPDF_Page_SetFontAndSize(p, f, size);
	text_at(p, f, size, cx - HPDF_Page_TextWidth(p, s) / 2, y, s);
}

/* Lines of at most width points, broken between characters (Chinese has no
 * spaces to break at); returns the y below the last line. */
static float text_wrapped(HPDF_Page p, HPDF_Font f, float size, float x, float y, float width, float leading, const char *s, int max_lines)
{
	HPDF_Page_SetFontAndSize(p, f, size);
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
			if (HPDF_Page_TextWidth(p, line) > width && take)
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
		text_at(p, f, size, x, y, line);
		pos += take;
		y -= leading;
	}
	return y;
}

/* The QR code of text, its bottom-left corner at (x, y), side points wide,
 * with the four-module quiet zone inside that side. */
static bool qr_draw(HPDF_Page p, const char *text, float x, float y, float side)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return false;
	int w = q->width;
	float m = side / (float)(w + 8);
	HPDF_Page_SetRGBFill(p, 1, 1, 1);
	HPDF_Page_Rectangle(p, x, y, side, side);
	HPDF_Page_Fill(p);
	HPDF_Page_SetRGBFill(p, 0, 0, 0);
	for (int r = 0; r < w; r++)
		for (int c = 0; c < w; c++)
			if (q->data[r * w + c] & 1) /* row 0 is the top */
				HPDF_Page_Rectangle(p, x + (float)(c + 4) * m, y + side - (float)(r + 5) * m, m, m);
	HPDF_Page_Fill(p);
	QRcode_free(q);
	return true;
}

enum dj_result exemplar_certificate_pdf(db *d, const char *cert_no, const char *site_base, const char *path, struct field_errors *e)
{
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (exemplar_verify(d, cert_no, &c, &camp) != DJ_OK)
		return dj_fail(e, DJ_NOT_FOUND, "查无此证书编号");
	if (c.revoked_at)
		return dj_fail(e, DJ_CONFLICT, "证书 %s 已被颁发单位撤销，不再提供下载", c.cert_no);
	const char *font_file = getenv("DANGJIAN_CERT_FONT");
	if (!font_file || !*font_file)
		font_file = CERT_FONT;

	struct pdf_err pe = {0, 0};
	HPDF_Doc pdf = HPDF_New(on_error, &pe);
	if (!pdf)
		return DJ_DB_ERROR;
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	/* a TTC: the face at index 0 is WenQuanYi Zen Hei; embedded (only the glyphs used are written) */
	const char *fname = HPDF_LoadTTFontFromFile2(pdf, font_file, 0, HPDF_TRUE);
	HPDF_Font font = fname ? HPDF_GetFont(pdf, fname, "UTF-8") : NULL;
	if (!font) {
		HPDF_Free(pdf);
		fprintf(stderr, "dangjian: certificate: cannot load the font %s (libharu error 0x%04X)\n", font_file, (unsigned)pe.code);
		return DJ_DB_ERROR;
	}
	char title[260];
	snprintf(title, sizeof title, "荣誉证书 %s", c.cert_no);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "dangjian");

	HPDF_Page p = HPDF_AddPage(pdf);
	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
	float W = HPDF_Page_GetWidth(p), H = HPDF_Page_GetHeight(p);

	/* a red double frame and a pale ground */
	HPDF_Page_SetRGBFill(p, 1.0f, 0.98f, 0.94f);
	HPDF_Page_Rectangle(p, 0, 0, W, H);
	HPDF_Page_Fill(p);
	HPDF_Page_SetRGBStroke(p, 0.72f, 0.09f, 0.09f);
	HPDF_Page_SetLineWidth(p, 6);
	HPDF_Page_Rectangle(p, 24, 24, W - 48, H - 48);
	HPDF_Page_Stroke(p);
	HPDF_Page_SetLineWidth(p, 1.2f);
	HPDF_Page_Rectangle(p, 36, 36, W - 72, H - 72);
	HPDF_Page_Stroke(p);

	HPDF_Page_SetRGBFill(p, 0.72f, 0.09f, 0.09f);
	text_centered(p, font, 54, W / 2, H - 130, "荣誉证书");

	HPDF_Page_SetRGBFill(p, 0.1f, 0.1f, 0.1f);
	char line[600];
	snprintf(line, sizeof line, "%s%s：", c.name, camp.subject[0] == 'o' ? "" : " 同志");
	text_at(p, font, 26, 110, H - 205, line);
	snprintf(line, sizeof line, "经民主推荐、联合评审、征询意见和公示，被评为 %lld 年度", (long long)camp.year);
	text_at(p, font, 20, 150, H - 250, line);
	HPDF_Page_SetRGBFill(p, 0.72f, 0.09f, 0.09f); /* the honour, on a line of its own */
	snprintf(line, sizeof line, "“%s”", camp.category_label);
	text_centered(p, font, 34, W / 2, H - 292, line);
	HPDF_Page_SetRGBFill(p, 0.1f, 0.1f, 0.1f);
	text_at(p, font, 20, 150, H - 330, "特发此证，以资鼓励。");
	float y = H - 360;
	if (*c.unit && camp.subject[0] != 'o') { /* a person's unit; an organisation is named already */
		snprintf(line, sizeof line, "单位：%s", c.unit);
		y = text_wrapped(p, font, 14, 150, y, W - 260, 22, line, 1);
	}
	HPDF_Page_SetRGBFill(p, 0.35f, 0.35f, 0.35f);
	text_wrapped(p, font, 13, 150, y - 4, W - 260, 20, c.deeds, 2);

	/* bottom left: the QR code and the number; bottom right: the committee and the date */
	char url[400];
	snprintf(url, sizeof url, "%s/verify/%s", site_base ? site_base : "", c.cert_no);
	bool qr_ok = qr_draw(p, url, 70, 60, 120);
	HPDF_Page_SetRGBFill(p, 0.1f, 0.1f, 0.1f);
	snprintf(line, sizeof line, "证书编号：%s", c.cert_no);
	text_at(p, font, 13, 200, 92, line);
	text_at(p, font, 11, 200, 72, "扫码或登录本平台“证书查验”核验真伪");

	time_t tt = (time_t)(c.awarded_at + 8 * 3600); /* Beijing time */
	struct tm tm;
	gmtime_r(&tt, &tm);
	char date[40];
	snprintf(date, sizeof date, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	HPDF_Page_SetFontAndSize(p, font, 20);
	float rx = W - 110;
	text_at(p, font, 20, rx - HPDF_Page_TextWidth(p, camp.org_name), 120, camp.org_name);
	HPDF_Page_SetFontAndSize(p, font, 18);
	text_at(p, font, 18, rx - HPDF_Page_TextWidth(p, date), 88, date);

	if (!pe.code && qr_ok)
		HPDF_SaveToFile(pdf, path);
	HPDF_Free(pdf);
	if (pe.code || !qr_ok) {
		fprintf(stderr, "dangjian: certificate %s: libharu error 0x%04X (%u)%s\n", c.cert_no, (unsigned)pe.code, (unsigned)pe.detail,
			qr_ok ? "" : ", QR code not encoded");
		return DJ_DB_ERROR;
	}
	return DJ_OK;
}
