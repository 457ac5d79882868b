// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/http/http_conn.c card-sim/http/http_parse.c card-sim/http/http_buf.c card-sim/http/http_url.c card-sim/http/http_response.c card-sim/http/http_date.c card-sim/http/http_cache.c card-sim/clock.c
/*
 * libFuzzer target: the SCWS request parser inside its connection, fed in
 * arbitrary pieces.  Input: byte 0 = input piece size - 1, byte 1 = output
 * piece size - 1, then the bytes a client sends.  The router is a stub that
 * decodes the target and the form parameters the way the site does, and
 * answers with a body (chunked for "/d..."), so the parser, the target
 * decoder, the reply writer and the connection's pipelining, 100-continue
 * and closing rules all run.  Static-looking targets ("/s...") carry a
 * fixed ETag and Last-Modified and go through the conditional-request
 * code (If-None-Match lists, HTTP-dates in three forms), so 304s and HEAD
 * answers are written too.  Invariants: every answer starts with a
 * status line; a date the parser accepts in [1970, 9999] is written and
 * read back unchanged; once the client has half-closed and everything is
 * read, the connection is done.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"

void http_route(struct scws_site *site, const struct http_request *req,
		struct http_reply *r)
{
	char path[HTTP_MAX_TARGET + 2], value[HTTP_MAX_TARGET + 1];
	const char *query;
	int status = http_target_split(req->target, path, sizeof(path), &query);

	(void)site;
	if (status) {
		http_reply_error(r, status, "bad target");
		return;
	}
	if (query)
		http_pct_decode(query, strlen(query), true, value, sizeof(value));
	if (req->body_len)
		http_pct_decode((const char *)req->body, req->body_len, true,
				value, sizeof(value));
	for (size_t i = 0; i < req->nfields; i++) {
		int64_t t, back;
		char d[HTTP_DATE_LEN + 1];

		if (strcasecmp(req->fields[i].name, "If-Modified-Since") ||
		    !http_date_parse(req->fields[i].value, &t) ||
		    t < 0 || t > 253402300799)
			continue;
		http_date_format(t, d);
		if (!http_date_parse(d, &back) || back != t)
			abort();	/* a date that does not round-trip */
	}
	if (path[1] == 's') {
		strcpy(r->etag, "\"0123456789abcdef\"");
		r->last_modified = 784111777;
		r->cache_control = http_cache_policy(path);
		if (http_not_modified(req, r->etag, r->last_modified))
			r->status = 304;
	}
	r->dynamic = path[1] == 'd';
	r->content_type = "text/plain";
	http_buf_printf(&r->body, "%s %s %zu\n", req->method_name, path,
			req->body_len);
	if (req->method == HTTP_OTHER)
		http_reply_error(r, 405, NULL);
}

static void drain(struct scws_http *h, size_t step, size_t *answered)
{
	const uint8_t *out;
	size_t n;

	while ((n = scws_http_pending(h, &out)) > 0) {
		if (*answered == 0 && n >= 9 && memcmp(out, "HTTP/1.1 ", 9))
			abort();	/* not a status line */
		if (n > step)
			n = step;
		*answered += n;
		scws_http_consume(h, n);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scws_http *h;
	size_t in_step, out_step, answered = 0;

	if (size < 2)
		return 0;
	in_step = (size_t)data[0] + 1;
	out_step = (size_t)data[1] * 16 + 1;
	data += 2;
	size -= 2;
	h = scws_http_new(NULL);
	if (!h)
		return 0;
	for (size_t off = 0; off < size; off += in_step) {
		size_t n = size - off < in_step ? size - off : in_step;

		if (scws_http_input(h, data + off, n) < 0)
			abort();
		drain(h, out_step, &answered);
	}
	scws_http_input_end(h);
	drain(h, out_step, &answered);
	if (!scws_http_done(h))
		abort();	/* a connection that never finishes */
	scws_http_free(h);
	return 0;
}
