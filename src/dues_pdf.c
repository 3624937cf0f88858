/* dues_pdf — the 党费收据 as a PDF (issue 18 §2): the receipt number, the
 * member and their branch, the months, the amount in 元 and in capital
 * numerals (大写), how it was paid (代缴: who paid), who received it and
 * when, drawn through the shared PDF layer (pdf.h). The same receipt the
 * page shows, for the member to keep; knows nothing of HTTP. */
#include <stdio.h>
#include <string.h>

#include "dues.h"
#include "pdf.h"

static const char *method_name(const char *m) { return !strcmp(m, "cash") ? "现金" : !strcmp(m, "transfer") ? "转账" : !strcmp(m, "proxy") ? "代缴" : m; }

enum dj_result dues_receipt_pdf(db *d, const struct actor *a, int64_t id, buf *out, char receipt_no[24], struct field_errors *e)
{
	struct dues_receipt x;
	enum dj_result res = dues_receipt_load(d, a, id, &x, e);
	if (res != DJ_OK)
		return res;
	snprintf(receipt_no, 24, "%s", x.receipt_no);
	char title[80];
	snprintf(title, sizeof title, "党费收据 %s", x.receipt_no);
	pdf_doc *p = pdf_open(title);
	if (!p)
		return dj_fail(e, DJ_DB_ERROR, "收据生成失败，请稍后再试");
	pdf_page(p, false);
	float W = pdf_width(p), H = pdf_height(p);

	/* the receipt at the top of an A4 sheet, framed like a printed form */
	float left = 48, right = W - 48, top = H - 48;
	pdf_stroke_color(p, 0.72f, 0.09f, 0.09f);
	pdf_fill_color(p, 0.72f, 0.09f, 0.09f);
	pdf_text_centered(p, 24, W / 2, top - 36, "中国共产党党费收据");
	pdf_line(p, W / 2 - 120, top - 44, W / 2 + 120, top - 44, 1);
	pdf_fill_color(p, 0.1f, 0.1f, 0.1f);
	char line[600];
	snprintf(line, sizeof line, "收据编号：%s", x.receipt_no);
	pdf_text_right(p, 12, right, top - 68, line);
	snprintf(line, sizeof line, "缴纳日期：%s", x.paid_on);
	pdf_text(p, 12, left, top - 68, line);

	char yuan[32], capital[200], amount[64], capital_line[240], method[200];
	dues_fmt_yuan(x.amount_fen, yuan);
	dues_yuan_capital(x.amount_fen, capital, sizeof capital);
	snprintf(amount, sizeof amount, "¥%s 元", yuan);
	snprintf(capital_line, sizeof capital_line, "人民币%s", capital);
	if (*x.payer_name)
		snprintf(method, sizeof method, "代缴（代缴人：%s）", x.payer_name);
	else
		snprintf(method, sizeof method, "%s", method_name(x.method));
	pdf_stroke_color(p, 0.2f, 0.2f, 0.2f);
	const float w4[] = {90, 160, 90, right - left - 340}, w2[] = {90, right - left - 90};
	float y = top - 80;
	const char *r1[] = {"党员姓名", x.member_name, "所在支部", x.org_name};
	y = pdf_table_row(p, left, y, 30, 12, w4, r1, 4);
	const char *r2[] = {"所缴月份", x.months};
	y = pdf_table_row(p, left, y, 30, 12, w2, r2, 2);
	const char *r3[] = {"金额（小写）", amount, "缴纳方式", method};
	y = pdf_table_row(p, left, y, 30, 12, w4, r3, 4);
	const char *r4[] = {"金额（大写）", capital_line};
	y = pdf_table_row(p, left, y, 30, 12, w2, r4, 2);
	const char *r5[] = {"收款人", x.by, "收款单位", x.org_name};
	y = pdf_table_row(p, left, y, 30, 12, w4, r5, 4);

	pdf_fill_color(p, 0.35f, 0.35f, 0.35f);
	pdf_text(p, 10, left, y - 22, "本收据由陈集镇党建工作平台生成，凭收据编号可查。");
	pdf_text_right(p, 12, right, y - 22, "收款单位（盖章）");
	/* the form's red frame around it all, and where the sheet is cut */
	pdf_stroke_color(p, 0.72f, 0.09f, 0.09f);
	pdf_rect(p, left - 12, y - 40, right - left + 24, top + 8 - (y - 40), 1.5f);
	pdf_stroke_color(p, 0.6f, 0.6f, 0.6f);
	pdf_line(p, 20, y - 64, W - 20, y - 64, 0.5f);

	bool ok = pdf_save_buf(p, out);
	pdf_close(p);
	if (!ok)
		return dj_fail(e, DJ_DB_ERROR, "收据生成失败，请稍后再试");
	return DJ_OK;
}
