/* attach — uploaded files kept in the database (exemplars' evidence, a
 * campaign's implementing plan): the type recognised by the first bytes,
 * never by the name or the declared type; the name as shown; base64 text so
 * that both engines keep them in a TEXT column. Knows nothing of HTTP. */
#ifndef DJ_ATTACH_H
#define DJ_ATTACH_H
#include <stdbool.h>
#include <stddef.h>

/* What a caller accepts. */
#define ATTACH_IMAGE 1u /* JPEG, PNG */
#define ATTACH_PDF 2u
#define ATTACH_DOCX 4u /* Office Open XML word document (a zip with word/) */

/* The MIME type of the bytes if they are one of the accepted kinds, else NULL. */
const char *attach_sniff(const unsigned char *b, size_t n, unsigned accept);
/* The file name extension of a sniffed type (".pdf"). */
const char *attach_ext(const char *mime);
/* The name as shown: its last path component, valid UTF-8, at most 60
 * characters; otherwise fallback. */
void attach_name(const char *name, const char *fallback, char out[128]);
/* base64 of the bytes (malloc'd; NULL when out of memory). */
char *attach_b64(const unsigned char *b, size_t n);
/* The bytes of base64 text, expected to be `bytes` long (malloc'd, *len set;
 * NULL when not base64). */
unsigned char *attach_unb64(const char *b64, size_t bytes, size_t *len);

#endif
