/* export_web — the roster's .xlsx download: the org of ?org=CODE (default the
 * caller's own), masked unless full=1; export_members() checks, writes and audits. */
#include "export_web.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "html.h"
#include "members.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"

void export_page_members(req *r)
{
	struct org_ref o;
	int64_t org = orgs_from_request(r, req_query(r, "org"), &perm_member_view, &o);
	if (!org)
		return;
	const char *full = req_query(r, "full");
	bool masked = !(full && !strcmp(full, "1"));
	/* The file holds full numbers on ?full=1: written 0600 (export.c) in a
	 * directory of our own (mkdtemp: 0700) under $TMPDIR, opened, then the
	 * file and its directory are removed at once, on every path: the answer
	 * streams from the open descriptor, which the server closes when it is
	 * sent or the client goes away. Nothing is left on disk either way. */
	const char *tmpdir = getenv("TMPDIR");
	char dir[512], path[600];
	snprintf(dir, sizeof dir, "%s/dj-export-XXXXXX", tmpdir && *tmpdir && strlen(tmpdir) < 400 ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "dangjian: export: cannot create a directory in %s: %s\n", tmpdir ? "$TMPDIR" : "/tmp", strerror(errno));
		req_error(r, 503, "io", "导出失败，请稍后再试");
		return;
	}
	snprintf(path, sizeof path, "%s/roster.xlsx", dir);
	struct field_errors e = {0};
	int rows = 0;
	enum dj_result res = export_members(r->db, &r->actor, org, masked, path, &rows, &e);
	int fd = res == DJ_OK ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	struct stat st;
	bool open_ok = fd >= 0 && fstat(fd, &st) == 0;
	unlink(path);
	rmdir(dir);
	if (res != DJ_OK && res != DJ_DB_ERROR) {
		req_fail(r, res, &e);
		return;
	}
	if (!open_ok) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "dangjian: export: %s\n", res == DJ_OK ? "cannot read the written file" : dj_message(res, &e));
		r->failed = true;
		req_error(r, 503, "io", "导出失败，请稍后再试");
		return;
	}
	req_send_fd(r, fd, (uint64_t)st.st_size);
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	buf name = {0};
	buf_printf(&name, "attachment; filename=\"members-%s.xlsx\"; filename*=UTF-8''", o.code);
	buf fname = {0};
	buf_printf(&fname, "%s-花名册.xlsx", o.name);
	url_encode(&name, buf_str(&fname));
	req_set_header(r, "Content-Disposition", buf_str(&name));
	buf_free(&name);
	buf_free(&fname);
}
