/* attach — see attach.h. */
#include "attach.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A .docx is a zip whose entries include [Content_Types].xml and word/…;
 * the local headers' names are plain text near the start. */
static bool looks_docx(const unsigned char *b, size_t n)
{
	if (n < 30 || memcmp(b, "PK\x03\x04", 4))
		return false;
	size_t scan = n < 64 * 1024 ? n : 64 * 1024;
	bool types = false, word = false;
	for (size_t i = 0; i + 5 <= scan && !(types && word); i++) {
		if (!types && i + 19 <= scan && !memcmp(b + i, "[Content_Types].xml", 19))
			types = true;
		if (!word && !memcmp(b + i, "word/", 5))
			word = true;
	}
	return types && word;
}

const char *attach_sniff(const unsigned char *b, size_t n, unsigned accept)
{
	if ((accept & ATTACH_IMAGE) && n > 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return "image/jpeg";
	if ((accept & ATTACH_IMAGE) && n > 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if ((accept & ATTACH_PDF) && n > 5 && !memcmp(b, "%PDF-", 5))
		return "application/pdf";
	if ((accept & ATTACH_DOCX) && looks_docx(b, n))
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	return NULL;
}

const char *attach_ext(const char *mime)
{
	if (!mime)
		return "";
	if (!strcmp(mime, "image/jpeg"))
		return ".jpg";
	if (!strcmp(mime, "image/png"))
		return ".png";
	if (!strcmp(mime, "application/pdf"))
		return ".pdf";
	if (strstr(mime, "wordprocessingml"))
		return ".docx";
	return "";
}

void attach_name(const char *name, const char *fallback, char out[128])
{
	if (!name)
		name = "";
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			name = p + 1;
	snprintf(out, 128, "%s", *name && utf8_valid(name) && utf8_len(name) <= 60 ? name : fallback);
}

char *attach_b64(const unsigned char *b, size_t n)
{
	size_t b64n = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = malloc(b64n);
	if (s)
		sodium_bin2base64(s, b64n, b, n, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

unsigned char *attach_unb64(const char *b64, size_t bytes, size_t *len)
{
	size_t cap = bytes + 4;
	unsigned char *out = malloc(cap);
	if (out && sodium_base642bin(out, cap, b64, strlen(b64), NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) == 0)
		return out;
	free(out);
	return NULL;
}
