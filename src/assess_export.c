/* assess_export — a published bulletin as files: the PDF (assess_pdf.c,
 * libharu and WenQuanYi Zen Hei) and its ranked table as .xlsx. */
#include <stdio.h>

#include "assess.h"
#include "assess_web.h"
#include "web.h"

static enum dj_result write_pdf(const char *path, void *ctx, struct field_errors *e) { return assess_bulletin_pdf(ctx, path, e); }
static enum dj_result write_xlsx(const char *path, void *ctx, struct field_errors *e) { return assess_bulletin_xlsx(ctx, path, e); }

static void page_bulletin_file(req *r, bool pdf)
{
	struct assess_bulletin b;
	enum dj_result res = assess_bulletin_load(r->db, &r->actor, req_param_id(r, "id"), &b);
	if (res != DJ_OK) {
		req_fail(r, res, NULL);
		return;
	}
	char name[64];
	snprintf(name, sizeof name, "月通报-%s.%s", b.month, pdf ? "pdf" : "xlsx");
	if (pdf)
		req_send_download(r, write_pdf, &b, "application/pdf", "bulletin.pdf", name);
	else
		req_send_download(r, write_xlsx, &b, XLSX_TYPE, "bulletin.xlsx", name);
	assess_bulletin_free(&b);
}
void assess_page_bulletin_pdf(req *r) { page_bulletin_file(r, true); }
void assess_page_bulletin_xlsx(req *r) { page_bulletin_file(r, false); }
