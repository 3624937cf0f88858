/* transfers_pdf — the 中国共产党党员组织关系介绍信 as a PDF (issue 18 §5):
 * on one A4 sheet the stub (存根) the issuing committee keeps and the letter
 * the member carries, parted by a cut line across which the letter number
 * runs (骑缝), each with the number, the two orgs, the member, 党费交至 and
 * the validity. Drawn through the shared PDF layer (pdf.h); no HTTP here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "members.h"
#include "pdf.h"
#include "transfers.h"

/* "2026-03-05" → "2026年3月5日"; "2026-03" → "2026年3月"; "" → "—". */
static void cn_date(const char *s, char out[40])
{
	if (!s || strlen(s) < 7)
		snprintf(out, 40, "—");
	else if (strlen(s) < 10)
		snprintf(out, 40, "%.4s年%d月", s, atoi(s + 5));
	else
		snprintf(out, 40, "%.4s年%d月%d日", s, atoi(s + 5), atoi(s + 8));
}

enum dj_result transfer_letter_pdf(db *d, const struct actor *a, int64_t id, buf *out, char letter_no[64], struct field_errors *e)
{
	struct transfer t;
	enum dj_result res = transfer_load(d, a, id, &t, e);
	if (res != DJ_OK)
		return res;
	if (!strcmp(t.kind, "incoming"))
		return dj_fail(e, DJ_CONFLICT, "镇外转入的介绍信由转出党组织开具，本平台只登记其编号");
	snprintf(letter_no, 64, "%s", t.letter_no);
	struct member m;
	const char *cat = "";
	if (t.member_id && member_load(d, t.member_id, &m))
		cat = !strcmp(m.category, "probationary") ? "预备" : "正式";
	char paid[40], issued[40], until[40];
	cn_date(t.dues_paid_to, paid);
	cn_date(t.issued_on, issued);
	cn_date(t.valid_until, until);

	char title[120];
	snprintf(title, sizeof title, "组织关系介绍信 %s", t.letter_no);
	pdf_doc *p = pdf_open(title);
	if (!p)
		return dj_fail(e, DJ_DB_ERROR, "介绍信生成失败，请稍后再试");
	pdf_page(p, false);
	float W = pdf_width(p), H = pdf_height(p), left = 60, width = W - 120;
	char line[1200];

	/* the stub (存根): kept by the issuing side */
	float y = H - 70;
	pdf_fill_color(p, 0.72f, 0.09f, 0.09f);
	pdf_text_centered(p, 18, W / 2, y, "中国共产党党员组织关系介绍信（存根）");
	pdf_fill_color(p, 0.1f, 0.1f, 0.1f);
	pdf_text_right(p, 12, W - left, y - 26, t.letter_no);
	snprintf(line, sizeof line, "%s 同志，系中共%s党员，组织关系由 %s 转到 %s。党费交至 %s。介绍信有效期至 %s。", t.person_name, cat, t.from_org_name,
		 t.to_org_name, paid, until);
	y = pdf_text_wrapped(p, 13, left, y - 56, width, 22, line, 4);
	if (*t.reason) {
		snprintf(line, sizeof line, "转接原因：%s", t.reason);
		y = pdf_text_wrapped(p, 12, left, y - 2, width, 20, line, 2);
	}
	pdf_text_right(p, 12, W - left, y - 14, issued);

	/* the cut line, with the number across it (骑缝) */
	float cut = H * 0.66f;
	pdf_stroke_color(p, 0.5f, 0.5f, 0.5f);
	for (float x = 24; x < W - 24; x += 12)
		pdf_line(p, x, cut, x + 6, cut, 0.6f);
	pdf_fill_color(p, 1, 1, 1);
	float nw = pdf_text_width(p, 11, t.letter_no);
	pdf_fill_rect(p, W / 2 - nw / 2 - 8, cut - 8, nw + 16, 16);
	pdf_fill_color(p, 0.45f, 0.45f, 0.45f);
	pdf_text_centered(p, 11, W / 2, cut - 4, t.letter_no);

	/* the letter the member carries to the receiving org */
	y = cut - 60;
	pdf_fill_color(p, 0.72f, 0.09f, 0.09f);
	pdf_text_centered(p, 22, W / 2, y, "中国共产党党员组织关系介绍信");
	pdf_fill_color(p, 0.1f, 0.1f, 0.1f);
	pdf_text_right(p, 12, W - left, y - 28, t.letter_no);
	snprintf(line, sizeof line, "%s：", t.to_org_name);
	y = pdf_text_wrapped(p, 14, left, y - 62, width, 24, line, 2);
	snprintf(line, sizeof line, "兹介绍 %s 同志（中共%s党员）的党员组织关系由 %s 转去你处，请接洽。", t.person_name, cat, t.from_org_name);
	y = pdf_text_wrapped(p, 14, left + 28, y - 4, width - 28, 24, line, 4);
	snprintf(line, sizeof line, "该同志党费已交至 %s。", paid);
	y = pdf_text_wrapped(p, 14, left + 28, y, width - 28, 24, line, 1);
	snprintf(line, sizeof line, "本介绍信有效期至 %s，逾期无效。", until);
	y = pdf_text_wrapped(p, 14, left + 28, y, width - 28, 24, line, 1);

	snprintf(line, sizeof line, "中共%s（盖章）", t.from_org_name);
	pdf_text_right(p, 14, W - left, y - 40, line);
	pdf_text_right(p, 14, W - left, y - 66, issued);

	pdf_fill_color(p, 0.35f, 0.35f, 0.35f);
	pdf_text_wrapped(p, 10, left, 70, width, 16,
			 "说明：党员应在有效期内持本介绍信到接收党组织报到；接收党组织收到后请将回执寄回转出党组织。本介绍信由陈集镇党建工作平台生成。",
			 2);

	bool ok = pdf_save_buf(p, out);
	pdf_close(p);
	if (!ok)
		return dj_fail(e, DJ_DB_ERROR, "介绍信生成失败，请稍后再试");
	return DJ_OK;
}
