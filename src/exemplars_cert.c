/* exemplars_cert — the 荣誉证书 as a PDF (issue 15): A4 landscape, drawn with
 * libharu in WenQuanYi Zen Hei (embedded, so any reader shows it and
 * pdftotext reads it back), with the certificate number and a QR code of the
 * verification address drawn module by module from libqrencode. Knows
 * nothing of HTTP: the caller passes the site's address and a file path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exemplars.h"
#include "pdf.h"
#include "util.h"

enum dj_result exemplar_certificate_pdf(db *d, const char *cert_no, const char *site_base, const char *path, struct field_errors *e)
{
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (exemplar_verify(d, cert_no, &c, &camp) != DJ_OK)
		return dj_fail(e, DJ_NOT_FOUND, "查无此证书编号");
	if (c.revoked_at)
		return dj_fail(e, DJ_CONFLICT, "证书 %s 已被颁发单位撤销，不再提供下载", c.cert_no);
	char title[260];
	snprintf(title, sizeof title, "荣誉证书 %s", c.cert_no);
	pdf_doc *p = pdf_open(title);
	if (!p)
		return DJ_DB_ERROR;
	pdf_page(p, true);
	float W = pdf_width(p), H = pdf_height(p);

	/* a red double frame and a pale ground */
	pdf_fill_color(p, 1.0f, 0.98f, 0.94f);
	pdf_fill_rect(p, 0, 0, W, H);
	pdf_stroke_color(p, 0.72f, 0.09f, 0.09f);
	pdf_rect(p, 24, 24, W - 48, H - 48, 6);
	pdf_rect(p, 36, 36, W - 72, H - 72, 1.2f);

	pdf_fill_color(p, 0.72f, 0.09f, 0.09f);
	pdf_text_centered(p, 54, W / 2, H - 130, "荣誉证书");

	pdf_fill_color(p, 0.1f, 0.1f, 0.1f);
	char line[600];
	snprintf(line, sizeof line, "%s%s：", c.name, camp.subject[0] == 'o' ? "" : " 同志");
	pdf_text(p, 26, 110, H - 205, line);
	snprintf(line, sizeof line, "经民主推荐、联合评审、征询意见和公示，被评为 %lld 年度", (long long)camp.year);
	pdf_text(p, 20, 150, H - 250, line);
	pdf_fill_color(p, 0.72f, 0.09f, 0.09f); /* the honour, on a line of its own */
	snprintf(line, sizeof line, "“%s”", camp.category_label);
	pdf_text_centered(p, 34, W / 2, H - 292, line);
	pdf_fill_color(p, 0.1f, 0.1f, 0.1f);
	pdf_text(p, 20, 150, H - 330, "特发此证，以资鼓励。");
	float y = H - 360;
	if (*c.unit && camp.subject[0] != 'o') { /* a person's unit; an organisation is named already */
		snprintf(line, sizeof line, "单位：%s", c.unit);
		y = pdf_text_wrapped(p, 14, 150, y, W - 260, 22, line, 1);
	}
	pdf_fill_color(p, 0.35f, 0.35f, 0.35f);
	pdf_text_wrapped(p, 13, 150, y - 4, W - 260, 20, c.deeds, 2);

	/* bottom left: the QR code and the number; bottom right: the committee and the date */
	char url[400];
	snprintf(url, sizeof url, "%s/verify/%s", site_base ? site_base : "", c.cert_no);
	bool qr_ok = pdf_qr(p, url, 70, 60, 120);
	pdf_fill_color(p, 0.1f, 0.1f, 0.1f);
	snprintf(line, sizeof line, "证书编号：%s", c.cert_no);
	pdf_text(p, 13, 200, 92, line);
	pdf_text(p, 11, 200, 72, "扫码或登录本平台“证书查验”核验真伪");

	time_t tt = (time_t)(c.awarded_at + 8 * 3600); /* Beijing time */
	struct tm tm;
	gmtime_r(&tt, &tm);
	char date[40];
	snprintf(date, sizeof date, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	float rx = W - 110;
	pdf_text_right(p, 20, rx, 120, camp.org_name);
	pdf_text_right(p, 18, rx, 88, date);

	bool ok = qr_ok && pdf_save_file(p, path);
	pdf_close(p);
	if (!ok) {
		fprintf(stderr, "dangjian: certificate %s: not written%s\n", c.cert_no, qr_ok ? "" : ", QR code not encoded");
		return DJ_DB_ERROR;
	}
	return DJ_OK;
}
