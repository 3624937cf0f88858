/* assess_pdf — the monthly bulletin (月通报) as a PDF (libharu with the
 * WenQuanYi Zen Hei font: libharu cannot load the Noto CJK fonts) and its
 * ranked table as .xlsx. Part of the assessment's domain (assess.h); reads
 * nothing but the bulletin it is given, so a published bulletin prints its
 * frozen figures. */
#include <hpdf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "assess.h"
#include "util.h"

#define FONT_FILE "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

static void pdf_error(HPDF_STATUS err, HPDF_STATUS detail, void *ctx)
{
	int *failed = ctx;
	(void)err, (void)detail;
	*failed = 1;
}

struct pdf {
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font font;
	float y;
};

static void new_page(struct pdf *p)
{
	p->page = HPDF_AddPage(p->doc);
	HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	p->y = HPDF_Page_GetHeight(p->page) - 56;
}

static void text_at(struct pdf *p, float x, float size, const char *s)
{
	if (p->y < 56)
		new_page(p);
	HPDF_Page_BeginText(p->page);
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	HPDF_Page_TextOut(p->page, x, p->y, s);
	HPDF_Page_EndText(p->page);
}

/* A paragraph wrapped to the page's width, a character at a time (Chinese
 * has no spaces to break at). */
static void paragraph(struct pdf *p, float size, const char *s)
{
	float width = HPDF_Page_GetWidth(p->page) - 2 * 56;
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char line[1024];
		size_t take = 0, fit = 0;
		while (take < len) {
			size_t cl = 1;
			unsigned char c = (unsigned char)s[take];
			if (c >= 0xF0)
				cl = 4;
			else if (c >= 0xE0)
				cl = 3;
			else if (c >= 0xC0)
				cl = 2;
			if (take + cl > len || take + cl >= sizeof line)
				break;
			memcpy(line, s, take + cl);
			line[take + cl] = 0;
			if (HPDF_Page_TextWidth(p->page, line) > width && fit)
				break;
			take += cl, fit = take;
		}
		if (!fit)
			fit = len ? len : 0;
		/* 避头点: a closing mark never starts a line; it stays at the end of this one */
		static const char *const closing[] = {"，", "。", "、", "；", "）", "”", "：", NULL};
		for (bool more = true; more && fit < len;) {
			more = false;
			for (int k = 0; closing[k]; k++)
				if (!strncmp(s + fit, closing[k], strlen(closing[k])) && fit + strlen(closing[k]) < sizeof line) {
					fit += strlen(closing[k]);
					more = true;
				}
		}
		/* 避尾点: an opening mark never ends a line; it goes down with what it opens */
		static const char *const opening[] = {"（", "“", "《", NULL};
		for (int k = 0; opening[k] && fit < len; k++) {
			size_t ol = strlen(opening[k]);
			if (fit > ol && !strncmp(s + fit - ol, opening[k], ol)) {
				fit -= ol;
				break;
			}
		}
		memcpy(line, s, fit);
		line[fit] = 0;
		text_at(p, 56, size, line);
		p->y -= size * 1.6f;
		s += fit;
		if (nl && s == nl)
			s++;
		if (!fit && !nl)
			break;
	}
}

static void fmt_score(char out[32], bool has, int64_t c)
{
	if (!has)
		snprintf(out, 32, "暂无数据");
	else
		snprintf(out, 32, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
}

enum dj_result assess_bulletin_pdf(const struct assess_bulletin *b, const char *path, struct field_errors *e)
{
	int failed = 0;
	struct pdf p = {0};
	p.doc = HPDF_New(pdf_error, &failed);
	if (!p.doc)
		return dj_fail(e, DJ_DB_ERROR, "无法生成 PDF");
	HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p.doc);
	HPDF_SetCurrentEncoder(p.doc, "UTF-8");
	const char *name = HPDF_LoadTTFontFromFile2(p.doc, FONT_FILE, 0, HPDF_TRUE);
	if (!name || failed) {
		HPDF_Free(p.doc);
		return dj_fail(e, DJ_DB_ERROR, "无法载入字体 %s（请安装 fonts-wqy-zenhei）", FONT_FILE);
	}
	p.font = HPDF_GetFont(p.doc, name, "UTF-8");
	new_page(&p);
	char line[512];
	snprintf(line, sizeof line, "%s %.4s年%d月党建工作月通报", b->org_name, b->month, atoi(b->month + 5));
	text_at(&p, 56, 18, line);
	p.y -= 26;
	if (b->id) {
		char when[20];
		fmt_time(b->published_at, when);
		snprintf(line, sizeof line, "第 %lld 版 · %s 发布 · %s", (long long)b->version, when, b->publisher);
	} else
		snprintf(line, sizeof line, "草稿（未发布）");
	text_at(&p, 56, 10, line);
	p.y -= 24;
	paragraph(&p, 12, b->summary ? b->summary : "");
	if (b->remarks && *b->remarks) {
		p.y -= 6;
		text_at(&p, 56, 13, "党委点评");
		p.y -= 20;
		paragraph(&p, 12, b->remarks);
	}
	p.y -= 10;
	text_at(&p, 56, 13, "月检查排名");
	p.y -= 22;
	text_at(&p, 56, 11, "名次");
	text_at(&p, 100, 11, "支部");
	text_at(&p, 420, 11, "综合得分");
	p.y -= 18;
	for (size_t i = 0; i < b->n; i++) {
		char rank[32] = "—", sc[32];
		fmt_score(sc, b->rows[i].has_score, b->rows[i].score);
		if (b->rows[i].rank) /* rank 0: 未纳入考核 that month */
			snprintf(rank, sizeof rank, "%lld", (long long)b->rows[i].rank);
		else
			snprintf(sc, sizeof sc, "未纳入考核");
		text_at(&p, 56, 11, rank);
		text_at(&p, 100, 11, b->rows[i].org_name);
		text_at(&p, 420, 11, sc);
		p.y -= 17;
	}
	if (!failed && HPDF_SaveToFile(p.doc, path) != HPDF_OK)
		failed = 1;
	HPDF_Free(p.doc);
	return failed ? dj_fail(e, DJ_DB_ERROR, "PDF 生成失败") : DJ_OK;
}

enum dj_result assess_bulletin_xlsx(const struct assess_bulletin *b, const char *path, struct field_errors *e)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "无法生成表格");
	lxw_worksheet *ws = workbook_add_worksheet(wb, "月检查排名");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	worksheet_write_string(ws, 0, 0, "名次", bold);
	worksheet_write_string(ws, 0, 1, "支部", bold);
	worksheet_write_string(ws, 0, 2, "综合得分", bold);
	for (int k = 0; k < ASSESS_ITEMS; k++)
		worksheet_write_string(ws, 0, (lxw_col_t)(3 + k), assess_item_defs[k].label, bold);
	for (size_t i = 0; i < b->n; i++) {
		const struct assess_brow *r = &b->rows[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, row, 1, r->org_name, NULL);
		if (!r->rank) { /* 未纳入考核: no rank, no score, no items */
			worksheet_write_string(ws, row, 0, "—", NULL);
			worksheet_write_string(ws, row, 2, "未纳入考核", NULL);
			continue;
		}
		worksheet_write_number(ws, row, 0, (double)r->rank, NULL);
		if (r->has_score)
			worksheet_write_number(ws, row, 2, (double)r->score / 100.0, NULL);
		else
			worksheet_write_string(ws, row, 2, "暂无数据", NULL);
		/* items: key=hundredths;… */
		for (int k = 0; k < ASSESS_ITEMS; k++) {
			char key[32];
			snprintf(key, sizeof key, "%s=", assess_item_defs[k].key);
			const char *at = r->items;
			while ((at = strstr(at, key)) && at != r->items && at[-1] != ';')
				at++;
			if (!at)
				continue;
			at += strlen(key);
			if (*at == '-')
				worksheet_write_string(ws, row, (lxw_col_t)(3 + k), "暂无数据", NULL);
			else
				worksheet_write_number(ws, row, (lxw_col_t)(3 + k), (double)atoll(at) / 100.0, NULL);
		}
	}
	lxw_worksheet *fs = workbook_add_worksheet(wb, "通报数字");
	worksheet_write_string(fs, 0, 0, "项目", bold);
	worksheet_write_string(fs, 0, 1, "数量", bold);
	for (int k = 0; k < ASSESS_FIGURES; k++) {
		worksheet_write_string(fs, (lxw_row_t)(k + 1), 0, assess_figure_keys[k], NULL);
		worksheet_write_number(fs, (lxw_row_t)(k + 1), 1, (double)b->fig[k], NULL);
	}
	worksheet_write_string(fs, ASSESS_FIGURES + 2, 0, "通报正文", bold);
	worksheet_write_string(fs, ASSESS_FIGURES + 2, 1, b->summary ? b->summary : "", NULL);
	return workbook_close(wb) == LXW_NO_ERROR ? DJ_OK : dj_fail(e, DJ_DB_ERROR, "表格生成失败");
}
