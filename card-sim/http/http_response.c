// SPDX-License-Identifier: GPL-2.0
/*
 * Replies to the wire: status line, fields, then a Content-Length body or,
 * for dynamic content to HTTP/1.1 clients, a chunked one.  Date on every
 * answer while the card knows the time (card_clock_now()); without a
 * clock none, as RFC 9110 6.6.1 allows.  A 304 carries Date, ETag and
 * Cache-Control and nothing about the body it stands for (RFC 9110
 * 15.4.5): Last-Modified only when there is no ETag.  HTML answers,
 * errors included, may be framed only by the card's own pages:
 * X-Frame-Options for older browsers, CSP frame-ancestors for the rest
 * (which wins where both are known), so no foreign page can lay the
 * card's forms under its own and have them clicked.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http.h"

/* Chunk size for dynamic bodies: what a card's buffer would hold. */
#define HTTP_CHUNK 1024

static const struct {
	int status;
	const char *reason;
} reasons[] = {
	{ 100, "Continue" },
	{ 200, "OK" },
	{ 201, "Created" },
	{ 204, "No Content" },
	{ 301, "Moved Permanently" },
	{ 303, "See Other" },
	{ 304, "Not Modified" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 409, "Conflict" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" },
	{ 415, "Unsupported Media Type" },
	{ 417, "Expectation Failed" },
	{ 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" },
	{ 501, "Not Implemented" },
	{ 505, "HTTP Version Not Supported" },
	{ 507, "Insufficient Storage" },
};

const char *http_status_reason(int status)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

void http_reply_init(struct http_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
}

void http_reply_free(struct http_reply *r)
{
	http_buf_free(&r->fields);
	http_buf_free(&r->body);
}

void http_reply_reset(struct http_reply *r)
{
	struct http_buf fields = r->fields, body = r->body;

	fields.len = body.len = 0;
	http_reply_init(r);
	r->fields = fields;
	r->body = body;
}

bool http_reply_field(struct http_reply *r, const char *name,
		      const char *fmt, ...)
{
	char value[1024];	/* fits a 256-byte cnonce, escaped */
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(value)) {
		r->fields.oom = true;	/* surfaces as a 500 */
		return false;
	}
	return http_buf_printf(&r->fields, "%s: %s\r\n", name, value);
}

void http_reply_html_begin(struct http_reply *r, const char *title)
{
	r->content_type = "text/html; charset=utf-8";
	http_buf_puts(&r->body, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		      "<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width\">\n"
		      "<title>");
	http_buf_put_html(&r->body, title);
	http_buf_puts(&r->body, "</title>\n"
		      "<link rel=\"stylesheet\" href=\"/style.css\">\n"
		      "</head>\n<body>\n<header><a href=\"/\">"
		      "<img src=\"/img/logo.svg\" alt=\"\" width=\"32\" height=\"32\">"
		      " My Operator</a></header>\n<main>\n<h1>");
	http_buf_put_html(&r->body, title);
	http_buf_puts(&r->body, "</h1>\n");
}

void http_reply_html_end(struct http_reply *r)
{
	http_buf_puts(&r->body, "</main>\n<footer>Served by your SIM card"
		      "</footer>\n</body>\n</html>\n");
}

void http_reply_error(struct http_reply *r, int status, const char *detail)
{
	char title[64];

	r->status = status;
	r->body.len = 0;
	r->body_ref = NULL;
	r->body_ref_len = 0;
	r->dynamic = false;
	r->cache_control = NULL;	/* an error is not the resource */
	r->etag[0] = '\0';
	r->last_modified = 0;
	snprintf(title, sizeof(title), "%d %s", status, http_status_reason(status));
	http_reply_html_begin(r, title);
	if (detail) {
		http_buf_puts(&r->body, "<p>");
		http_buf_put_html(&r->body, detail);
		http_buf_puts(&r->body, "</p>\n");
	}
	http_reply_html_end(r);
}

static bool has_body(int status)
{
	return status >= 200 && status != 204 && status != 304;
}

static void put_chunked(struct http_buf *out, const uint8_t *body, size_t len)
{
	for (size_t off = 0; off < len; off += HTTP_CHUNK) {
		size_t n = len - off < HTTP_CHUNK ? len - off : HTTP_CHUNK;

		http_buf_printf(out, "%zx\r\n", n);
		http_buf_put(out, body + off, n);
		http_buf_puts(out, "\r\n");
	}
	http_buf_puts(out, "0\r\n\r\n");
}

int http_reply_write(const struct http_reply *r, const struct http_request *req,
		     struct http_buf *out)
{
	const uint8_t *body = r->body_ref ? r->body_ref : r->body.data;
	size_t len = r->body_ref ? r->body_ref_len : r->body.len;
	bool head = req && req->method == HTTP_HEAD;
	bool chunked = r->dynamic && req && req->minor >= 1;
	int64_t now = card_clock_now(), modified = r->last_modified;
	char date[HTTP_DATE_LEN + 1];

	http_buf_printf(out, "HTTP/1.1 %d %s\r\nServer: scws-card\r\n",
			r->status, http_status_reason(r->status));
	if (now) {
		http_date_format(now, date);
		http_buf_printf(out, "Date: %s\r\n", date);
	}
	if (r->content_type && has_body(r->status))
		http_buf_printf(out, "Content-Type: %s\r\n", r->content_type);
	if (has_body(r->status) && chunked)
		http_buf_puts(out, "Transfer-Encoding: chunked\r\n");
	else if (has_body(r->status))
		http_buf_printf(out, "Content-Length: %zu\r\n", len);
	if (r->no_store)
		http_buf_puts(out, "Cache-Control: no-store\r\n");
	else if (r->cache_control)
		http_buf_printf(out, "Cache-Control: %s\r\n", r->cache_control);
	if (!r->no_store && r->etag[0])
		http_buf_printf(out, "ETag: %s\r\n", r->etag);
	if (!r->no_store && modified && (has_body(r->status) || !r->etag[0])) {
		/* Never later than the Date (RFC 9110 8.8.2.1). */
		if (now && modified > now)
			modified = now;
		http_date_format(modified, date);
		http_buf_printf(out, "Last-Modified: %s\r\n", date);
	}
	if (r->content_type &&
	    !strncasecmp(r->content_type, "text/html", strlen("text/html")))
		http_buf_puts(out, "X-Frame-Options: SAMEORIGIN\r\n"
			      "Content-Security-Policy: frame-ancestors 'self'\r\n");
	http_buf_put(out, r->fields.data, r->fields.len);
	if (r->close)
		http_buf_puts(out, "Connection: close\r\n");
	else if (req && req->minor == 0)
		http_buf_puts(out, "Connection: keep-alive\r\n");
	http_buf_puts(out, "\r\n");
	if (!head && has_body(r->status) && len) {
		if (chunked)
			put_chunked(out, body, len);
		else
			http_buf_put(out, body, len);
	} else if (!head && has_body(r->status) && chunked) {
		http_buf_puts(out, "0\r\n\r\n");
	}
	return out->oom ? -ENOMEM : 0;
}
