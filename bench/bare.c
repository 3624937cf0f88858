/* bare — the reference for docs/performance.md: libmicrohttpd answering a
 * 13-byte body with the same daemon flags as `dangjian serve`, and nothing else. */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum MHD_Result reply(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version,
			     const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)cls, (void)url, (void)method, (void)version, (void)upload_data, (void)upload_size;
	/* Answer on the second call, as dangjian does: a response queued on the
	 * first call, before the request is complete, makes MHD close the
	 * connection (no keep-alive), which would make this reference slow. */
	static int first;
	if (!*con_cls) {
		*con_cls = &first;
		return MHD_YES;
	}
	static const char body[] = "Hello, world!";
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "text/plain");
	enum MHD_Result ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 8090, threads = argc > 2 ? atoi(argv[2]) : 4;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC, (uint16_t)port, NULL, NULL, reply, NULL,
						MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT,
						(unsigned)1000, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "bare: cannot listen on %d\n", port);
		return 1;
	}
	int sig;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
