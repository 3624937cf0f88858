/* qr — see qr.h. */
#include "qr.h"

#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "web.h"

/* Only numbers and the escaped label are written into the markup, so nothing
 * of the text can reach it unescaped. Runs of dark modules of a row are one
 * rectangle each; a quiet zone of 4 modules. */
void qr_svg(buf *b, const char *text, const char *label)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q) {
		buf_puts(b, "<p class=\"muted\">（二维码生成失败，请手动输入网址）</p>");
		return;
	}
	int w = q->width, n = w + 8;
	html_printf(b,
		    "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		    "aria-label=\"%s\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		    n, n, n * 4, n * 4, label, n, n);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w;) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			html_printf(b, "M%d %dh%dv1h-%dz", x + 4, y + 4, run, run);
			x += run;
		}
	buf_puts(b, "\"/></svg>");
	QRcode_free(q);
}

void qr_site_base(req *r, char *out, size_t n)
{
	const char *host = req_header(r, "Host"), *proto = req_header(r, "X-Forwarded-Proto");
	bool ok = host && *host && strlen(host) < 100;
	for (const char *p = host; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == ':' ||
		     *p == '[' || *p == ']';
	snprintf(out, n, "%s://%s", proto && !strcmp(proto, "https") ? "https" : "http", ok ? host : "localhost");
}
