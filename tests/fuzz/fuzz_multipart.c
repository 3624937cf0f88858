/* libFuzzer target: multipart/form-data bodies (the roster upload) through
 * form_multipart (server.c: libmicrohttpd's post processor and the server's
 * part collector). That parser needs a real connection, so each input is sent
 * over a socketpair to a daemon without a listening socket, started once.
 * Input: the boundary, a newline, the body. Checked: no crash or sanitizer
 * report; every part is NUL-terminated at its counted length and named. */
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct MHD_Daemon *g_daemon;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)cls, (void)url, (void)method, (void)version;
	buf *body = *con_cls;
	if (!body) {
		*con_cls = calloc(1, sizeof(buf));
		return MHD_YES;
	}
	if (*upload_size) {
		buf_append(body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	kvlist form = {0};
	bool ok = form_multipart(c, body->p ? body->p : "", body->len, &form);
	for (size_t i = 0; i < form.n; i++)
		if (!form.v[i].key || form.v[i].val[form.v[i].len] != 0)
			__builtin_trap();
	kvlist_free(&form);
	static char answer[] = "ok";
	struct MHD_Response *resp = MHD_create_response_from_buffer(ok ? 2 : 0, answer, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_queue_response(c, ok ? 200 : 400, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	buf *body = *con_cls;
	if (body) {
		buf_free(body);
		free(body);
		*con_cls = NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!g_daemon) {
		signal(SIGPIPE, SIG_IGN); /* the daemon may close before the whole body is written */
		g_daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, 0, NULL, NULL, on_request, NULL,
					    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)5, MHD_OPTION_END);
		if (!g_daemon)
			abort();
	}
	const uint8_t *nl = memchr(data, '\n', size);
	if (!nl || nl - data > 70)
		return 0;
	size_t blen = (size_t)(nl - data);
	for (size_t i = 0; i < blen; i++)
		if (data[i] < 0x20 || data[i] >= 0x7f)
			return 0;
	const char *body = (const char *)nl + 1;
	size_t len = size - blen - 1;
	buf req = {0};
	buf_printf(&req,
		   "POST /upload HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n"
		   "Content-Type: multipart/form-data; boundary=%.*s\r\nContent-Length: %zu\r\n\r\n",
		   (int)blen, (const char *)data, len);
	buf_append(&req, body, len);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	struct sockaddr_in peer = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (MHD_add_connection(g_daemon, sv[0], (const struct sockaddr *)&peer, sizeof peer) != MHD_YES)
		abort();
	for (size_t off = 0; off < req.len;) {
		ssize_t n = write(sv[1], req.p + off, req.len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	char tmp[4096];
	while (read(sv[1], tmp, sizeof tmp) > 0) /* the answer, until the daemon closes */
		;
	close(sv[1]);
	buf_free(&req);
	return 0;
}
