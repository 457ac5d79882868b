// SPDX-License-Identifier: GPL-2.0
/*
 * Incremental HTTP/1.1 request parser (RFC 9112).
 *
 * Bytes may arrive in any split, one at a time included.  The request line
 * and the field lines are collected in a fixed buffer sized by the limits
 * (http.h) and parsed in place once the empty line arrives; the limits are
 * checked as bytes arrive, so an oversized request is refused before it is
 * complete.  Bodies (Content-Length or chunked) are collected up to
 * HTTP_MAX_BODY.  Lines may end in CRLF or a bare LF (RFC 9112 2.2).
 */
#include <string.h>
#include <strings.h>

#include "http.h"

static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static void fail(struct http_parser *p, int status)
{
	p->state = PARSE_ERROR;
	p->error = status;
}

void http_parser_init(struct http_parser *p)
{
	memset(p, 0, sizeof(*p));
	p->state = PARSE_HEAD;
}

void http_parser_free(struct http_parser *p)
{
	http_buf_free(&p->body);
}

void http_parser_next(struct http_parser *p)
{
	struct http_buf body = p->body;

	body.len = 0;
	body.oom = false;
	http_parser_init(p);
	p->body = body;
}

bool http_parser_started(const struct http_parser *p)
{
	return p->state != PARSE_HEAD || p->head_len > 0;
}

const char *http_request_field(const struct http_request *r, const char *name)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (!strcasecmp(r->fields[i].name, name))
			return r->fields[i].value;
	return NULL;
}

/* Whether the comma-separated list value contains token (any case). */
static bool list_has(const char *value, const char *token)
{
	size_t n = strlen(token);

	while (*value) {
		while (*value == ',' || is_ows(*value))
			value++;
		if (!strncasecmp(value, token, n)) {
			const char *e = value + n;

			while (is_ows(*e))
				e++;
			if (*e == ',' || !*e)
				return true;
		}
		value += strcspn(value, ",");
	}
	return false;
}

/* ---- request line ---- */

/* Checks the request line as it grows, to refuse early. */
static void request_line_byte(struct http_parser *p, unsigned char c)
{
	if (c == ' ') {
		if (++p->rl_spaces > 2 || p->rl_part_len == 0)
			fail(p, 400);
		p->rl_part_len = 0;
		return;
	}
	p->rl_part_len++;
	if (p->rl_spaces == 0) {
		if (!is_tchar(c))
			fail(p, 400);
		else if (p->rl_part_len > HTTP_MAX_METHOD)
			fail(p, 405);	/* no method we know is that long */
	} else if (p->rl_spaces == 1) {
		if (p->rl_part_len > HTTP_MAX_TARGET)
			fail(p, 414);
	} else if (p->rl_part_len > 9) {	/* "HTTP/1.1" + CR */
		fail(p, 400);
	}
}

static void parse_request_line(struct http_parser *p, char *line, size_t len)
{
	struct http_request *r = &p->req;
	char *sp1, *sp2, *v;

	line[len] = '\0';
	sp1 = strchr(line, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || sp2 == sp1 + 1 || !sp2[1])
		return fail(p, 400);
	*sp1 = *sp2 = '\0';
	for (const char *t = sp1 + 1; *t; t++)
		if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7F)
			return fail(p, 400);
	v = sp2 + 1;
	if (strlen(v) != 8 || strncmp(v, "HTTP/", 5) || v[6] != '.' ||
	    v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
		return fail(p, 400);
	if (v[5] != '1')
		return fail(p, 505);
	r->minor = v[7] == '0' ? 0 : 1;	/* 1.x, x > 1, is 1.1 (RFC 9110 2.5) */
	r->method_name = line;
	r->target = sp1 + 1;
	if (!strcmp(line, "GET"))
		r->method = HTTP_GET;
	else if (!strcmp(line, "HEAD"))
		r->method = HTTP_HEAD;
	else if (!strcmp(line, "POST"))
		r->method = HTTP_POST;
	else
		r->method = HTTP_OTHER;
}

/* ---- header fields ---- */

static void parse_field(struct http_parser *p, char *line)
{
	struct http_field *f = &p->req.fields[p->req.nfields++];
	char *colon = line, *end;

	if (is_ows(*line))
		return fail(p, 400);	/* obsolete line folding */
	while (is_tchar((unsigned char)*colon))
		colon++;
	if (*colon != ':' || colon == line)
		return fail(p, 400);
	*colon = '\0';
	f->name = line;
	line = colon + 1;
	while (is_ows(*line))
		line++;
	end = line + strlen(line);
	while (end > line && is_ows(end[-1]))
		end--;
	*end = '\0';
	for (const char *t = line; *t; t++)
		if ((unsigned char)*t < 0x20 && *t != '\t')
			return fail(p, 400);
	if (memchr(line, 0x7F, (size_t)(end - line)))
		return fail(p, 400);
	f->value = line;
}

/* Content-Length: digits only; several fields must agree. */
static bool content_length(struct http_parser *p, bool *present, size_t *len)
{
	*present = false;
	for (size_t i = 0; i < p->req.nfields; i++) {
		const char *v = p->req.fields[i].value;
		size_t n = 0;

		if (strcasecmp(p->req.fields[i].name, "Content-Length"))
			continue;
		if (!*v) {
			fail(p, 400);
			return false;
		}
		for (; *v; v++) {
			if (*v < '0' || *v > '9') {
				fail(p, 400);
				return false;
			}
			if (n > HTTP_MAX_BODY)
				continue;	/* keep checking the syntax */
			n = n * 10 + (size_t)(*v - '0');
		}
		if (*present && n != *len) {
			fail(p, 400);
			return false;
		}
		*present = true;
		*len = n;
	}
	return true;
}

/* Transfer-Encoding: we decode exactly "chunked". */
static bool transfer_encoding(struct http_parser *p, bool *chunked)
{
	size_t codings = 0;
	bool seen = false;

	*chunked = false;
	for (size_t i = 0; i < p->req.nfields; i++) {
		const char *v = p->req.fields[i].value;

		if (strcasecmp(p->req.fields[i].name, "Transfer-Encoding"))
			continue;
		seen = true;
		while (*v) {
			size_t n;

			while (*v == ',' || is_ows(*v))
				v++;
			n = strcspn(v, ",");
			while (n && is_ows(v[n - 1]))
				n--;
			if (n) {
				codings++;
				if (n == 7 && !strncasecmp(v, "chunked", 7))
					*chunked = true;
			}
			v += strcspn(v, ",");
		}
	}
	if (!seen)
		return true;
	if (codings == 0 || p->req.minor == 0) {
		fail(p, 400);
		return false;
	}
	if (codings != 1 || !*chunked) {
		fail(p, 501);
		return false;
	}
	return true;
}

static void finish_head(struct http_parser *p)
{
	struct http_request *r = &p->req;
	const char *conn, *expect;
	size_t hosts = 0, len = 0;
	bool has_len, chunked;

	for (size_t i = 0; i < r->nfields; i++)
		if (!strcasecmp(r->fields[i].name, "Host"))
			hosts++;
	if (hosts > 1 || (r->minor >= 1 && hosts == 0))
		return fail(p, 400);
	if (!content_length(p, &has_len, &len) ||
	    !transfer_encoding(p, &chunked))
		return;
	if (has_len && chunked)
		return fail(p, 400);	/* request smuggling shape */
	if (has_len && len > HTTP_MAX_BODY)
		return fail(p, 413);

	conn = http_request_field(r, "Connection");
	r->keep_alive = r->minor >= 1;
	if (conn && list_has(conn, "close"))
		r->keep_alive = false;
	else if (conn && r->minor == 0 && list_has(conn, "keep-alive"))
		r->keep_alive = true;

	expect = http_request_field(r, "Expect");
	if (expect) {
		if (strcasecmp(expect, "100-continue"))
			return fail(p, 417);
		p->continue_due = r->minor >= 1 && (chunked || len > 0);
	}

	p->chunked = chunked;
	if (chunked) {
		p->state = PARSE_CHUNK_SIZE;
	} else if (len > 0) {
		p->remaining = len;
		p->state = PARSE_BODY;
	} else {
		p->state = PARSE_DONE;
	}
}

/* A complete line [line_start, head_len) ending in LF. */
static void head_line(struct http_parser *p)
{
	size_t end = p->head_len - 1;	/* the LF */
	char *line = p->head + p->line_start;

	if (end > p->line_start && p->head[end - 1] == '\r')
		end--;
	p->head[end] = '\0';
	if (memchr(line, '\0', end - p->line_start)) {
		fail(p, 400);	/* a NUL would cut the line short */
	} else if (p->rl_len == 0) {
		p->rl_len = p->head_len;
		parse_request_line(p, line, end - p->line_start);
	} else if (end == p->line_start) {
		finish_head(p);
	} else if (p->req.nfields == HTTP_MAX_FIELDS) {
		fail(p, 431);
	} else {
		parse_field(p, line);
	}
	p->line_start = p->head_len;
}

/* Field lines may take HTTP_MAX_HEADERS bytes; the final empty line may
 * add its CR LF on top. */
static bool header_overrun(const struct http_parser *p, unsigned char c)
{
	size_t used = p->head_len - p->rl_len;
	size_t in_line = p->head_len - p->line_start;
	bool final_line = (in_line == 0 && (c == '\r' || c == '\n')) ||
			  (in_line == 1 && p->head[p->line_start] == '\r' &&
			   c == '\n');

	return used + 1 > HTTP_MAX_HEADERS + (final_line ? 2 : 0);
}

static size_t feed_head(struct http_parser *p, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len && p->state == PARSE_HEAD; i++) {
		unsigned char c = data[i];

		if (p->head_len == 0 && (c == '\r' || c == '\n'))
			continue;	/* empty lines before a request */
		if (p->rl_len == 0) {
			if (c != '\n')
				request_line_byte(p, c);
			if (p->state == PARSE_ERROR)
				return i + 1;
			if (p->head_len == HTTP_MAX_REQUEST_LINE) {
				fail(p, 400);
				return i + 1;
			}
		} else if (header_overrun(p, c)) {
			fail(p, 431);
			return i + 1;
		}
		p->head[p->head_len++] = (char)c;
		if (c == '\n')
			head_line(p);
	}
	return i;
}

/* ---- bodies ---- */

static bool is_hex(char c, unsigned *v)
{
	if (c >= '0' && c <= '9')
		*v = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		*v = (unsigned)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		*v = (unsigned)(c - 'A' + 10);
	else
		return false;
	return true;
}

static void chunk_size_line(struct http_parser *p, const char *line)
{
	size_t size = 0, digits = 0;
	unsigned v;

	for (; is_hex(*line, &v); line++, digits++) {
		size = size * 16 + v;
		if (size > HTTP_MAX_BODY)
			return fail(p, 413);
	}
	if (!digits)
		return fail(p, 400);
	while (is_ows(*line))
		line++;
	if (*line && *line != ';')
		return fail(p, 400);
	for (; *line; line++)	/* chunk extensions: ignored, but no CTLs */
		if ((unsigned char)*line < 0x20 && *line != '\t')
			return fail(p, 400);
	if (size == 0) {
		p->state = PARSE_TRAILER;
	} else if (size > HTTP_MAX_BODY - p->body.len) {
		fail(p, 413);
	} else {
		p->remaining = size;
		p->state = PARSE_CHUNK_DATA;
	}
}

static void trailer_line(struct http_parser *p, const char *line, size_t len)
{
	const char *t = line;

	if (!len) {
		p->state = PARSE_DONE;
		return;
	}
	p->trailer_len += len + 2;
	if (p->trailer_len > HTTP_MAX_HEADERS)
		return fail(p, 431);
	while (is_tchar((unsigned char)*t))
		t++;
	if (t == line || *t != ':')
		return fail(p, 400);
}

/* The chunked framing lines: size, the end of a chunk, trailers. */
static size_t feed_line(struct http_parser *p, const uint8_t *data, size_t len)
{
	const uint8_t *lf = memchr(data, '\n', len);
	size_t take = lf ? (size_t)(lf - data) + 1 : len;
	size_t n;

	if (take > sizeof(p->line) - p->line_len) {
		fail(p, p->state == PARSE_TRAILER ? 431 : 400);
		return take;
	}
	memcpy(p->line + p->line_len, data, take);
	p->line_len += take;
	if (!lf)
		return take;
	n = p->line_len - 1;
	if (n && p->line[n - 1] == '\r')
		n--;
	p->line[n] = '\0';
	p->line_len = 0;
	if (memchr(p->line, '\0', n) || memchr(p->line, '\r', n)) {
		fail(p, 400);
		return take;
	}
	if (p->state == PARSE_CHUNK_SIZE)
		chunk_size_line(p, p->line);
	else if (p->state == PARSE_CHUNK_END && n)
		fail(p, 400);
	else if (p->state == PARSE_CHUNK_END)
		p->state = PARSE_CHUNK_SIZE;
	else
		trailer_line(p, p->line, n);
	return take;
}

static size_t feed_data(struct http_parser *p, const uint8_t *data, size_t len)
{
	size_t n = len < p->remaining ? len : p->remaining;

	if (!http_buf_put(&p->body, data, n)) {
		fail(p, 500);
		return n;
	}
	p->remaining -= n;
	if (p->remaining == 0)
		p->state = p->state == PARSE_BODY ? PARSE_DONE : PARSE_CHUNK_END;
	return n;
}

size_t http_parser_feed(struct http_parser *p, const uint8_t *data, size_t len)
{
	size_t used = 0;

	while (p->state != PARSE_DONE && p->state != PARSE_ERROR) {
		if (p->state == PARSE_HEAD) {
			if (used == len)
				break;
			used += feed_head(p, data + used, len - used);
		} else if (used == len) {
			break;
		} else if (p->state == PARSE_BODY || p->state == PARSE_CHUNK_DATA) {
			used += feed_data(p, data + used, len - used);
		} else {
			used += feed_line(p, data + used, len - used);
		}
	}
	if (p->state == PARSE_DONE) {
		p->req.body = p->body.data ? p->body.data : (const uint8_t *)"";
		p->req.body_len = p->body.len;
	}
	return used;
}
