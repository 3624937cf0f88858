/* qr — a QR code drawn as inline SVG (libqrencode), for the activation slips
 * and the tracking page. */
#ifndef DJ_QR_H
#define DJ_QR_H
#include <stddef.h>

#include "buf.h"
#include "server.h"

/* Appends an <svg class="qr"> of text; label is its aria-label (escaped).
 * On failure a short note instead. */
void qr_svg(buf *b, const char *text, const char *label);

/* The site's address as the caller reached it: http(s)://host (for the
 * address a QR code carries). The Host header is kept only when it is a plain
 * host[:port]. */
void qr_site_base(req *r, char *out, size_t n);

#endif
