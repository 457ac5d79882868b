// SPDX-License-Identifier: GPL-2.0
/* /dm and /dm/status on the card's web server; see dm_http.h. */
#include "dm/dm_http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dm/dm_server.h"
#include "dm/dm_status.h"
#include "log.h"

/* The type, optionally with parameters ("; charset=UTF-8"). */
static bool is_syncml(const char *type)
{
	size_t n = strlen(DM_CONTENT_TYPE);

	return type && !strncasecmp(type, DM_CONTENT_TYPE, n) &&
	       (type[n] == '\0' || type[n] == ';' || type[n] == ' ' ||
		type[n] == '\t');
}

static void post(struct dm_server *s, const struct http_request *req,
		 struct http_reply *r)
{
	char err[320];
	char *resp;
	size_t len;
	int status;

	if (req->method != HTTP_POST) {
		http_reply_error(r, 405, "The DM server takes SyncML DM "
				 "messages by POST.");
		http_reply_field(r, "Allow", "POST");
		return;
	}
	if (!is_syncml(http_request_field(req, "Content-Type"))) {
		http_reply_error(r, 415, "Send SyncML DM messages as "
				 DM_CONTENT_TYPE ".");
		return;
	}
	/* curl and DM clients send no Origin; a web page that does is not
	 * a DM client. */
	if (http_request_field(req, "Origin")) {
		http_reply_error(r, 403, "The DM server does not answer web "
				 "pages.");
		return;
	}
	status = dm_server_handle(s, (const char *)req->body, req->body_len,
				  &resp, &len, err, sizeof(err));
	if (status != 200) {
		card_info("dm: %d: %s", status, err);
		http_reply_error(r, status, err);
		return;
	}
	r->status = 200;
	r->content_type = DM_CONTENT_TYPE;
	http_buf_put(&r->body, resp, len);
	free(resp);
}

void dm_http_serve(void *ctx, const struct http_request *req,
		   const char *path, struct http_reply *r)
{
	struct dm_server *s = ctx;

	r->no_store = true;
	if (!strcmp(path, "/dm")) {
		post(s, req, r);
		return;
	}
	if (strcmp(path, "/dm/status")) {
		http_reply_error(r, 404, "The DM server has /dm and /dm/status.");
		return;
	}
	if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
		http_reply_error(r, 405, "The status page is read-only.");
		http_reply_field(r, "Allow", "GET, HEAD");
		return;
	}
	r->status = 200;
	r->content_type = "text/plain; charset=utf-8";
	http_reply_field(r, "X-Content-Type-Options", "nosniff");
	dm_status_page(dm_server_state(s), &r->body);
	if (r->body.oom)
		http_reply_error(r, 500, "The card ran out of memory.");
}
