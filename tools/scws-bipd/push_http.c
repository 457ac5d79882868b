// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * push_http.c - the push endpoint's request parser (see push_http.h).
 *
 * Deliberately narrow: one POST to one path, a Content-Length body (no
 * chunked coding: the gateway knows the length), header lines of printable
 * ASCII.  Anything else is refused with the status that says why; nothing
 * is guessed.
 */
#include "push_http.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* The end of the header block ("\r\n\r\n"), or NULL. */
static const uint8_t *head_end(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i + 3 < len; i++)
		if (!memcmp(buf + i, "\r\n\r\n", 4))
			return buf + i;
	return NULL;
}

static int starts(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && !strncasecmp(s, lit, k);
}

/* Header value without the name, the colon and surrounding blanks. */
static void value_of(const char *line, size_t n, size_t name_len,
		     const char **v, size_t *vn)
{
	const char *s = line + name_len, *e = line + n;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*v = s;
	*vn = (size_t)(e - s);
}

static int media_type_ok(const char *v, size_t n)
{
	size_t k = strlen(PUSH_CONTENT_TYPE);
	size_t end = 0;

	while (end < n && v[end] != ';' && v[end] != ' ' && v[end] != '\t')
		end++;
	return end == k && !strncasecmp(v, PUSH_CONTENT_TYPE, k);
}

static int content_length(const char *v, size_t n, size_t *out)
{
	size_t x = 0;

	if (!n || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (size_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

int push_http_parse(const uint8_t *buf, size_t len, struct push_http_req *r)
{
	const uint8_t *he = head_end(buf, len);
	const char *p = (const char *)buf, *end, *line, *v;
	bool have_len = false, have_type = false, type_ok = false;
	size_t clen = 0, n, vn, line_no = 0;

	if (!he)
		return len >= PUSH_HTTP_MAX ? 413 : -EAGAIN;
	end = (const char *)he + 2;	/* keep the last header's CRLF */
	for (const char *c = p; c < end; c++)
		if ((unsigned char)*c > 0x7E ||
		    ((unsigned char)*c < 0x20 && *c != '\r' && *c != '\n' &&
		     *c != '\t'))
			return 400;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl || nl == p || nl[-1] != '\r')
			return 400;
		line = p;
		n = (size_t)(nl - 1 - p);
		p = nl + 1;
		if (line_no++ == 0) {
			size_t pl = strlen(PUSH_HTTP_PATH);

			if (!starts(line, n, "POST ") || memcmp(line, "POST ", 5))
				return 405;
			if (n < 5 + pl + 1 ||
			    memcmp(line + 5, PUSH_HTTP_PATH, pl) ||
			    line[5 + pl] != ' ')
				return 404;
			v = line + 5 + pl + 1;
			vn = n - 5 - pl - 1;
			if (vn != 8 || memcmp(v, "HTTP/1.", 7) ||
			    (v[7] != '0' && v[7] != '1'))
				return vn == 8 && !memcmp(v, "HTTP/", 5) ?
				       505 : 400;
			continue;
		}
		if (*line == ' ' || *line == '\t')
			return 400;	/* obsolete line folding */
		if (!memchr(line, ':', n))
			return 400;
		if (starts(line, n, "Content-Length:")) {
			value_of(line, n, 15, &v, &vn);
			if (have_len || content_length(v, vn, &clen))
				return 400;
			have_len = true;
		} else if (starts(line, n, "Content-Type:")) {
			value_of(line, n, 13, &v, &vn);
			if (have_type)
				return 400;
			have_type = true;
			type_ok = media_type_ok(v, vn);
		} else if (starts(line, n, "Transfer-Encoding:")) {
			return 411;	/* we take Content-Length bodies only */
		}
	}
	if (!have_len)
		return 411;
	if (!have_type || !type_ok)
		return 415;
	n = (size_t)(he + 4 - buf);
	if (clen > PUSH_HTTP_MAX - n)
		return 413;
	if (len < n + clen)
		return -EAGAIN;
	if (len > n + clen)
		return 400;	/* one request per connection */
	r->body = buf + n;
	r->body_len = clen;
	return 0;
}

const char *push_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}
