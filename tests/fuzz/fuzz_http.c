/* libFuzzer target: whole requests (method, path, query, headers, body)
 * through the router, run_handler, the handlers and the transaction, against
 * an in-memory SQLite database with the schema, a few orgs and one account of
 * each role, without a socket (server_handle_for_fuzz in server.c).
 *
 * Input: the first byte picks the caller (anonymous, a console session or an
 * API token of one role; bit 0x80: the 繁體 cookie), then the request as text:
 *     METHOD PATH[?QUERY]\n
 *     Name: value\n        (any number)
 *     \n
 *     body
 * A console session's POST gets its CSRF token put in front of the body, so
 * that the forms' handlers are reached, not only the CSRF check.
 * Checked: no crash, no sanitizer report, a status from 200 to 599, never a
 * 500, and no transaction left open. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!g_db)
		setup();
	if (size < 2)
		return 0;
	unsigned who = data[0] & 0x7f;
	bool hant = data[0] & 0x80;
	char *text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	size_t textlen = size - 1;

	/* the request line; libmicrohttpd never hands over a NUL inside it */
	char *line_end = memchr(text, '\n', textlen);
	if (memchr(text, 0, line_end ? (size_t)(line_end - text) : textlen)) {
		free(text);
		return 0;
	}
	char *cur = line_end ? line_end + 1 : text + textlen;
	if (line_end)
		*line_end = 0;
	char *sp = strchr(text, ' ');
	if (!sp || sp == text) {
		free(text);
		return 0;
	}
	*sp = 0;
	const char *method = text;
	char *path = sp + 1, *query = strchr(path, '?');
	if (query)
		*query++ = 0;
	if (*path != '/') {
		free(text);
		return 0;
	}

	/* headers, then the body */
	const char *headers[2 * 24 + 6];
	size_t nh = 0;
	char cookie[256] = "";
	char auth[80];
	while (cur < text + textlen) {
		char *eol = memchr(cur, '\n', (size_t)(text + textlen - cur));
		if (!eol)
			break;
		*eol = 0;
		if (!*cur) { /* the empty line */
			cur = eol + 1;
			break;
		}
		char *colon = strchr(cur, ':');
		if (colon && nh < 2 * 24) {
			*colon = 0;
			const char *v = colon + 1;
			while (*v == ' ')
				v++;
			headers[nh++] = cur;
			headers[nh++] = v;
		}
		cur = eol + 1;
	}
	if (cur > text + textlen)
		cur = text + textlen;
	size_t blen = (size_t)(text + textlen - cur);

	/* the caller */
	buf body = {0};
	size_t role = who % (2 * NROLES + 1);
	if (role >= 1 && role <= NROLES) {
		snprintf(cookie, sizeof cookie, "dj_session=%s%s", web_token[role - 1], hant ? "; dj_lang=hant" : "");
		if (!strcmp(method, "POST"))
			buf_printf(&body, "_csrf=%s&", csrf[role - 1]);
	} else {
		if (role > NROLES) {
			snprintf(auth, sizeof auth, "Bearer %s", api_token[role - NROLES - 1]);
			headers[nh++] = "Authorization";
			headers[nh++] = auth;
		}
		if (hant)
			snprintf(cookie, sizeof cookie, "dj_lang=hant");
	}
	if (*cookie) {
		headers[nh++] = "Cookie";
		headers[nh++] = cookie;
	}
	headers[nh] = NULL;
	buf_append(&body, cur, blen);

	buf out = {0};
	int status = server_handle_for_fuzz(g_db, method, path, query, headers, body.p ? body.p : "", body.len, &out);
	if (status < 200 || status > 599 || status == 500)
		__builtin_trap();
	if (db_in_tx(g_db))
		__builtin_trap();
	buf_free(&out);
	buf_free(&body);
	free(text);
	return 0;
}
