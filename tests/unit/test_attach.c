/* Uploaded files (attach.h): the type from the first bytes only, the name as
 * shown, base64 both ways. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"

Test(attach, sniffs_by_content_and_accepts_only_what_is_asked)
{
	const unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, png[] = "\x89PNG\r\n\x1a\n....", pdf[] = "%PDF-1.4\n";
	cr_assert_str_eq(attach_sniff(jpg, sizeof jpg, ATTACH_IMAGE), "image/jpeg");
	cr_assert_str_eq(attach_sniff(png, sizeof png - 1, ATTACH_IMAGE), "image/png");
	cr_assert_str_eq(attach_sniff(pdf, sizeof pdf - 1, ATTACH_PDF), "application/pdf");
	cr_assert_null(attach_sniff(pdf, sizeof pdf - 1, ATTACH_IMAGE), "a PDF where only images are taken");
	cr_assert_null(attach_sniff((const unsigned char *)"GIF89a", 6, ATTACH_IMAGE | ATTACH_PDF | ATTACH_DOCX));
	cr_assert_null(attach_sniff((const unsigned char *)"", 0, ATTACH_PDF));
	/* a zip is a .docx only with [Content_Types].xml and word/ entries */
	unsigned char zip[200] = "PK\x03\x04";
	memcpy(zip + 30, "[Content_Types].xml", 19);
	cr_assert_null(attach_sniff(zip, sizeof zip, ATTACH_DOCX), "a zip without word/");
	memcpy(zip + 100, "word/document.xml", 17);
	cr_assert(strstr(attach_sniff(zip, sizeof zip, ATTACH_DOCX), "wordprocessingml"));
	cr_assert_null(attach_sniff(zip, sizeof zip, ATTACH_PDF | ATTACH_IMAGE), "not asked for");
	cr_assert_str_eq(attach_ext("application/pdf"), ".pdf");
	cr_assert_str_eq(attach_ext(attach_sniff(zip, sizeof zip, ATTACH_DOCX)), ".docx");
}

Test(attach, names_and_base64)
{
	char out[128];
	attach_name("C:\\文件\\实施方案.docx", "附件", out);
	cr_assert_str_eq(out, "实施方案.docx");
	attach_name("/tmp/a/b.pdf", "附件", out);
	cr_assert_str_eq(out, "b.pdf");
	attach_name("\xff\xfe.pdf", "附件", out);
	cr_assert_str_eq(out, "附件", "not UTF-8");
	attach_name(NULL, "实施方案", out);
	cr_assert_str_eq(out, "实施方案");
	const unsigned char data[] = {0, 1, 2, 250, 251, 252, 253};
	char *b = attach_b64(data, sizeof data);
	size_t len = 0;
	unsigned char *back = attach_unb64(b, sizeof data, &len);
	cr_assert_not_null(back);
	cr_assert_eq(len, sizeof data);
	cr_assert_eq(memcmp(back, data, len), 0);
	free(b);
	free(back);
	cr_assert_null(attach_unb64("not base64!!", 9, &len));
}
