// SPDX-License-Identifier: GPL-2.0
/*
 * The RAS's HTTP/1.1 responses (RFC 9112), byte by byte: status line,
 * header fields, then a body by Transfer-Encoding: chunked, by
 * Content-Length, or until the server closes.  1xx interim responses are
 * skipped; 204 and 304 have no body.  Strict: anything malformed or over
 * the limits (4 KiB head, 32 fields, 64 KiB body) is an error, since the
 * card cannot tell where the next response would start.
 */
#include "admin/admin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static size_t fail(struct admin_resp *r, const char *why, size_t used)
{
	r->state = RESP_ERROR;
	r->error = why;
	return used;
}

void admin_resp_init(struct admin_resp *r)
{
	memset(r, 0, sizeof(*r));
}

void admin_resp_free(struct admin_resp *r)
{
	http_buf_free(&r->body);
	admin_resp_init(r);
}

const char *admin_resp_field(const struct admin_resp *r, const char *name)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (!strcasecmp(r->fields[i].name, name))
			return r->fields[i].value;
	return NULL;
}

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c);
}

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Whether a comma list (Transfer-Encoding, Connection) has token last /
 * anywhere. */
static bool list_has(const char *list, const char *tok, bool last)
{
	const char *p = list;
	size_t n = strlen(tok);
	bool found = false;

	while (*p) {
		const char *e;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		e = p;
		while (*e && *e != ',')
			e++;
		{
			const char *t = e;

			while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
				t--;
			found = (size_t)(t - p) == n && !strncasecmp(p, tok, n);
			if (found && !last)
				return true;
		}
		p = e;
	}
	return found;
}

/* The head is complete in r->head (without the empty line): parse it. */
static const char *parse_head(struct admin_resp *r)
{
	char *line = r->head, *next, *cl, *te, *conn;
	char *end;
	long status;

	next = strstr(line, "\r\n");
	if (next) {
		*next = '\0';
		next += 2;
	}
	if (strncmp(line, "HTTP/1.", 7) || (line[7] != '0' && line[7] != '1') ||
	    line[8] != ' ')
		return "bad status line";
	r->minor = line[7] - '0';
	if (line[9] < '1' || line[9] > '5' || line[10] < '0' || line[10] > '9' ||
	    line[11] < '0' || line[11] > '9' ||
	    (line[12] != ' ' && line[12] != '\0'))
		return "bad status code";
	status = strtol(line + 9, &end, 10);
	r->status = (int)status;
	r->nfields = 0;
	while (next && *next) {
		char *colon, *name = next;

		next = strstr(name, "\r\n");
		if (next) {
			*next = '\0';
			next += 2;
		}
		colon = strchr(name, ':');
		if (!colon || colon == name)
			return "bad header field";
		*colon = '\0';
		for (char *c = name; *c; c++)
			if (!is_tchar(*c))
				return "bad header field name";
		for (char *c = colon + 1; *c; c++)
			if ((unsigned char)*c < 0x20 && *c != '\t')
				return "control character in a header field";
		if (r->nfields == ADMIN_RESP_FIELDS)
			return "too many header fields";
		r->fields[r->nfields].name = name;
		r->fields[r->nfields].value = trim(colon + 1);
		r->nfields++;
	}
	conn = (char *)admin_resp_field(r, "Connection");
	r->close = r->minor == 0 ? !(conn && list_has(conn, "keep-alive", false))
				 : (conn && list_has(conn, "close", false));
	if (r->status < 200)
		return NULL;
	if (r->status == 204 || r->status == 304) {
		r->state = RESP_DONE;
		return NULL;
	}
	te = (char *)admin_resp_field(r, "Transfer-Encoding");
	cl = (char *)admin_resp_field(r, "Content-Length");
	if (te) {
		if (cl)
			return "both Content-Length and Transfer-Encoding";
		if (!list_has(te, "chunked", true))
			return "unknown transfer coding";
		r->state = RESP_CHUNK_SIZE;
		return NULL;
	}
	if (cl) {
		unsigned long long n;

		if (!*cl || strspn(cl, "0123456789") != strlen(cl) ||
		    strlen(cl) > 9)
			return "bad Content-Length";
		n = strtoull(cl, NULL, 10);
		for (size_t i = 0; i < r->nfields; i++)
			if (!strcasecmp(r->fields[i].name, "Content-Length") &&
			    strcmp(r->fields[i].value, cl))
				return "conflicting Content-Length";
		if (n > ADMIN_RESP_BODY_MAX)
			return "body too large";
		r->remaining = (size_t)n;
		r->state = n ? RESP_BODY : RESP_DONE;
		return NULL;
	}
	r->close = true;
	r->state = RESP_UNTIL_CLOSE;
	return NULL;
}

static size_t feed_head(struct admin_resp *r, const uint8_t *d, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (r->head_len == ADMIN_RESP_HEAD_MAX)
			return fail(r, "response head too long", i);
		if (d[i] == '\0')
			return fail(r, "NUL in the response head", i);
		r->head[r->head_len++] = (char)d[i];
		if (r->head_len >= 4 &&
		    !memcmp(r->head + r->head_len - 4, "\r\n\r\n", 4)) {
			const char *err;

			r->head[r->head_len - 2] = '\0';
			err = parse_head(r);
			if (err)
				return fail(r, err, i + 1);
			if (r->state == RESP_HEAD) {	/* 1xx: next head */
				r->head_len = 0;
				r->nfields = 0;
				continue;
			}
			return i + 1;
		}
	}
	return i;
}

static bool body_put(struct admin_resp *r, const uint8_t *d, size_t n)
{
	if (r->body.len + n > ADMIN_RESP_BODY_MAX)
		return false;
	return http_buf_put(&r->body, d, n);
}

/* Collects a line (CRLF-terminated) into r->line; true when complete. */
static bool take_line(struct admin_resp *r, uint8_t c, bool *bad)
{
	*bad = false;
	if (c == '\n') {
		if (!r->line_len || r->line[r->line_len - 1] != '\r') {
			*bad = true;
			return false;
		}
		r->line[r->line_len - 1] = '\0';
		r->line_len = 0;
		return true;
	}
	if (r->line_len == sizeof(r->line) - 1 || c == '\0') {
		*bad = true;
		return false;
	}
	r->line[r->line_len++] = (char)c;
	return false;
}

static const char *chunk_size(struct admin_resp *r)
{
	size_t n = 0, i = 0;

	for (; r->line[i] && r->line[i] != ';' && r->line[i] != ' ' &&
	       r->line[i] != '\t'; i++) {
		char c = r->line[i];
		int v = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (v < 0 || i >= 8)
			return "bad chunk size";
		n = n * 16 + (size_t)v;
	}
	if (!i)
		return "bad chunk size";
	if (n > ADMIN_RESP_BODY_MAX - r->body.len)
		return "body too large";
	r->remaining = n;
	r->state = n ? RESP_CHUNK_DATA : RESP_TRAILER;
	return NULL;
}

size_t admin_resp_feed(struct admin_resp *r, const uint8_t *d, size_t len)
{
	size_t i = 0;
	bool bad;

	while (i < len && r->state != RESP_DONE && r->state != RESP_ERROR) {
		size_t n;

		switch (r->state) {
		case RESP_HEAD:
			i += feed_head(r, d + i, len - i);
			break;
		case RESP_BODY:
		case RESP_CHUNK_DATA:
			n = len - i < r->remaining ? len - i : r->remaining;
			if (!body_put(r, d + i, n))
				return fail(r, "no memory for the body", i);
			i += n;
			r->remaining -= n;
			if (!r->remaining)
				r->state = r->state == RESP_BODY ? RESP_DONE :
					   RESP_CHUNK_END;
			break;
		case RESP_UNTIL_CLOSE:
			if (!body_put(r, d + i, len - i))
				return fail(r, "body too large", i);
			i = len;
			break;
		case RESP_CHUNK_SIZE:
			if (take_line(r, d[i++], &bad)) {
				const char *err = chunk_size(r);

				if (err)
					return fail(r, err, i);
			} else if (bad) {
				return fail(r, "bad chunk size line", i);
			}
			break;
		case RESP_CHUNK_END:
			if (take_line(r, d[i++], &bad)) {
				if (r->line[0])
					return fail(r, "chunk longer than its size", i);
				r->state = RESP_CHUNK_SIZE;
			} else if (bad) {
				return fail(r, "bad chunk end", i);
			}
			break;
		case RESP_TRAILER:
			if (take_line(r, d[i++], &bad)) {
				if (!r->line[0])
					r->state = RESP_DONE;
			} else if (bad) {
				return fail(r, "bad trailer", i);
			}
			break;
		default:
			return i;
		}
	}
	return i;
}

void admin_resp_eof(struct admin_resp *r)
{
	if (r->state == RESP_UNTIL_CLOSE)
		r->state = RESP_DONE;
	else if (r->state != RESP_DONE)
		fail(r, "connection closed inside a response", 0);
}
