// SPDX-License-Identifier: GPL-2.0
/*
 * One parsed request to its handler: the method, the path (decoded and
 * normalised, so protection prefixes hold), the parts of the card that
 * serve their own path (site_mount()), the protection list, then /cgi/
 * applications or the content store.  OPTIONS is a CORS preflight
 * (http_origin.c) or, without Access-Control-Request-Method, a question
 * about the methods (RFC 9110 9.3.7: 204 with Allow).
 */
#include <string.h>

#include "auth.h"
#include "http.h"
#include "site/site.h"

#define CGI_PREFIX "/cgi/"

void http_route(struct scws_site *site, const struct http_request *req,
		struct http_reply *r)
{
	char path[HTTP_MAX_TARGET + 2];
	const char *query;
	int status;

	if (http_is_preflight(req)) {
		http_cors_preflight(&site->origins, req, r);
		return;
	}
	if (req->method == HTTP_OTHER && !strcmp(req->method_name, "OPTIONS")) {
		r->status = 204;
		http_reply_field(r, "Allow", "GET, HEAD, POST, OPTIONS");
		return;
	}
	if (req->method == HTTP_OTHER) {
		http_reply_error(r, 405, "This server knows GET, HEAD, POST "
				 "and OPTIONS.");
		http_reply_field(r, "Allow", "GET, HEAD, POST, OPTIONS");
		return;
	}
	status = http_target_split(req->target, path, sizeof(path), &query);
	if (status) {
		http_reply_error(r, status, "The request-target is malformed.");
		return;
	}
	for (size_t i = 0; i < site->nmounts; i++) {
		const struct site_mount *m = &site->mounts[i];
		size_t n = strlen(m->path);

		if (!strncmp(path, m->path, n) && (!path[n] || path[n] == '/')) {
			m->serve(m->ctx, req, path, r);
			return;
		}
	}
	if (!strncmp(path, CGI_PREFIX, strlen(CGI_PREFIX))) {
		site_cgi(site, req, path + strlen(CGI_PREFIX), query, r);
		return;
	}
	if (req->method == HTTP_POST) {
		http_reply_error(r, 405, "Static resources take GET and HEAD.");
		http_reply_field(r, "Allow", "GET, HEAD");
		return;
	}
	if (site_is_protected(site, path) &&
	    !http_auth_require(site->auth, req, r))
		return;
	site_serve_static(site, req, path, r);
}
