// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * http_frame.c - HTTP/1.1 message framing, read only (see http_frame.h).
 *
 * Lines end in CRLF; a bare LF or CR is not accepted (a card that reads it
 * otherwise would disagree on where a message ends), it makes the
 * connection opaque.  Only the start line, Content-Length,
 * Transfer-Encoding and Connection matter; bodies are skipped by count.
 */
#include "http_frame.h"

#include <string.h>
#include <strings.h>

enum { REQ_OTHER, REQ_HEAD, REQ_CONNECT };

static void dir_reset_head(struct hf_dir *d)
{
	d->head_len = 0;
	d->content_length = -1;
	d->te_seen = d->chunked = d->te_bad = false;
	d->cl_conflict = d->conn_close = d->conn_keep = false;
	d->status = 0;
	d->minor = 1;
}

void hf_init(struct http_frame *f)
{
	memset(f, 0, sizeof(*f));
	dir_reset_head(&f->req);
	dir_reset_head(&f->resp);
}

static bool is_tchar(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* The next comma-separated element of [*s, end), trimmed. */
static bool next_elem(const char **s, const char *end, const char **e,
		      size_t *len)
{
	const char *p = *s, *q;

	while (p < end && (is_ows(*p) || *p == ','))
		p++;
	if (p == end)
		return false;
	q = p;
	while (q < end && *q != ',')
		q++;
	*s = q;
	while (q > p && is_ows(q[-1]))
		q--;
	*e = p;
	*len = (size_t)(q - p);
	return true;
}

static bool elem_is(const char *e, size_t len, const char *word)
{
	return len == strlen(word) && !strncasecmp(e, word, len);
}

static void content_length(struct hf_dir *d, const char *v, const char *end)
{
	const char *e;
	size_t len;

	while (next_elem(&v, end, &e, &len)) {
		uint64_t x = 0;

		if (!len || len > 18) {
			d->cl_conflict = true;
			return;
		}
		for (size_t i = 0; i < len; i++) {
			if (e[i] < '0' || e[i] > '9') {
				d->cl_conflict = true;
				return;
			}
			x = x * 10 + (uint64_t)(e[i] - '0');
		}
		if (d->content_length >= 0 && (uint64_t)d->content_length != x)
			d->cl_conflict = true;
		d->content_length = (int64_t)x;
	}
}

static void transfer_encoding(struct hf_dir *d, const char *v,
			      const char *end)
{
	const char *e;
	size_t len;

	while (next_elem(&v, end, &e, &len)) {
		/* chunked may come once, and last */
		if (d->chunked)
			d->te_bad = true;
		d->te_seen = true;
		/* a coding with parameters is still not chunked */
		d->chunked = elem_is(e, len, "chunked");
	}
}

static void connection(struct hf_dir *d, const char *v, const char *end)
{
	const char *e;
	size_t len;

	while (next_elem(&v, end, &e, &len)) {
		if (elem_is(e, len, "close"))
			d->conn_close = true;
		else if (elem_is(e, len, "keep-alive"))
			d->conn_keep = true;
	}
}

/* One header field line; false: not understood. */
static bool header_line(struct hf_dir *d)
{
	size_t kept = d->line_len < HF_LINE_MAX ? d->line_len : HF_LINE_MAX;
	const char *l = d->line, *colon, *v, *end = d->line + kept;
	size_t name_len;

	if (is_ows(l[0]))
		return false;		/* obs-fold */
	colon = memchr(l, ':', kept);
	if (!colon) {
		/* a name longer than we keep is not one we care about */
		return d->line_len > HF_LINE_MAX;
	}
	name_len = (size_t)(colon - l);
	if (!name_len)
		return false;
	for (size_t i = 0; i < name_len; i++)
		if (!is_tchar(l[i]))
			return false;
	v = colon + 1;
#define NAME_IS(s) (name_len == sizeof(s) - 1 && !strncasecmp(l, s, name_len))
	if (NAME_IS("content-length") || NAME_IS("transfer-encoding") ||
	    NAME_IS("connection")) {
		/* its value must be whole to be read */
		if (d->line_len > HF_LINE_MAX)
			return false;
		if (NAME_IS("content-length"))
			content_length(d, v, end);
		else if (NAME_IS("transfer-encoding"))
			transfer_encoding(d, v, end);
		else
			connection(d, v, end);
	}
#undef NAME_IS
	return true;
}

/* "HTTP/1.x" at s: x, or -1. */
static int version_at(const char *s)
{
	if (strncmp(s, "HTTP/1.", 7) || (s[7] != '0' && s[7] != '1'))
		return -1;
	return s[7] - '0';
}

static bool request_line(struct hf_dir *d)
{
	size_t kept = d->line_len < HF_LINE_MAX ? d->line_len : HF_LINE_MAX;
	size_t m = 0;
	int minor;

	while (m < kept && is_tchar(d->line[m]))
		m++;
	if (!m || m == kept || d->line[m] != ' ' || d->line_len < m + 11)
		return false;
	/* ... SP target SP HTTP/1.x: the tail holds " HTTP/1.x" */
	if (d->tail[0] != ' ')
		return false;
	minor = version_at(d->tail + 1);
	if (minor < 0)
		return false;
	d->minor = (unsigned int)minor;
	d->head_req = m == 4 && !memcmp(d->line, "HEAD", 4);
	d->connect_req = m == 7 && !memcmp(d->line, "CONNECT", 7);
	return true;
}

static bool status_line(struct hf_dir *d)
{
	const char *l = d->line;
	int minor;

	if (d->line_len < 12 || (d->line_len > 12 && l[12] != ' '))
		return false;
	minor = version_at(l);
	if (minor < 0 || l[8] != ' ')
		return false;
	for (int i = 9; i < 12; i++)
		if (l[i] < '0' || l[i] > '9')
			return false;
	d->minor = (unsigned int)minor;
	d->status = (unsigned int)((l[9] - '0') * 100 + (l[10] - '0') * 10 +
				   (l[11] - '0'));
	return d->status >= 100;
}

static bool wants_close(const struct hf_dir *d)
{
	return d->conn_close || (d->minor == 0 && !d->conn_keep);
}

static void message_done(struct http_frame *f, struct hf_dir *d)
{
	if (d == &f->req)
		f->requests++;
	else
		f->responses++;
	d->state = HF_START;
}

static bool request_head_done(struct http_frame *f, struct hf_dir *d)
{
	if (d->cl_conflict || d->te_bad || (d->te_seen && !d->chunked) ||
	    (d->te_seen && d->content_length >= 0) ||
	    f->n_pending == HF_PIPELINE)
		return false;
	f->pending[f->n_pending++] = d->head_req ? REQ_HEAD :
				     d->connect_req ? REQ_CONNECT : REQ_OTHER;
	if (wants_close(d))
		f->closing = true;
	if (d->chunked) {
		d->state = HF_CHUNK_SIZE;
	} else if (d->content_length > 0) {
		d->left = (uint64_t)d->content_length;
		d->state = HF_BODY;
	} else {
		message_done(f, d);
	}
	return true;
}

static bool response_head_done(struct http_frame *f, struct hf_dir *d)
{
	uint8_t kind;

	if (d->status < 200) {
		/* interim; 101 leaves HTTP altogether */
		d->state = HF_START;
		return d->status != 101;
	}
	kind = f->pending[0];
	memmove(f->pending, f->pending + 1, --f->n_pending);
	if (kind == REQ_CONNECT && d->status < 300)
		return false;
	if (d->te_bad || d->cl_conflict ||
	    (d->te_seen && d->content_length >= 0))
		return false;
	if (wants_close(d))
		f->closing = true;
	if (kind == REQ_HEAD || d->status == 204 || d->status == 304) {
		message_done(f, d);
	} else if (d->te_seen && d->chunked) {
		d->state = HF_CHUNK_SIZE;
	} else if (!d->te_seen && d->content_length >= 0) {
		d->left = (uint64_t)d->content_length;
		if (d->left)
			d->state = HF_BODY;
		else
			message_done(f, d);
	} else {
		f->closing = true;
		d->state = HF_UNTIL_CLOSE;
	}
	return true;
}

static bool chunk_size_line(struct hf_dir *d)
{
	size_t kept = d->line_len < HF_LINE_MAX ? d->line_len : HF_LINE_MAX;
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < kept; i++) {
		char c = d->line[i];
		unsigned int v;

		if (c >= '0' && c <= '9')
			v = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = (unsigned int)(c - 'A' + 10);
		else
			break;
		if (i == 15)
			return false;	/* more than 2^60: nobody sends that */
		x = x << 4 | v;
	}
	if (!i)
		return false;
	if (i == kept) {
		if (d->line_len > kept)
			return false;	/* digits we did not keep */
	} else if (d->line[i] != ';' && !is_ows(d->line[i])) {
		return false;
	}
	d->left = x;
	d->state = x ? HF_CHUNK_DATA : HF_TRAILERS;
	return true;
}

/* A whole line (CRLF gone) in d->line: false when not understood. */
static bool line_end(struct http_frame *f, struct hf_dir *d)
{
	bool resp = d == &f->resp;

	switch (d->state) {
	case HF_START:
		if (!d->line_len)
			return !resp;	/* empty lines before a request */
		dir_reset_head(d);
		if (resp ? !f->n_pending || !status_line(d) : !request_line(d))
			return false;
		d->state = HF_HEADERS;
		return true;
	case HF_HEADERS:
		if (d->line_len)
			return header_line(d);
		return resp ? response_head_done(f, d) :
			      request_head_done(f, d);
	case HF_CHUNK_SIZE:
		return chunk_size_line(d);
	case HF_CHUNK_CRLF:
		if (d->line_len)
			return false;
		d->state = HF_CHUNK_SIZE;
		return true;
	case HF_TRAILERS:
		if (!d->line_len)
			message_done(f, d);
		return true;
	default:
		return false;
	}
}

static void feed(struct http_frame *f, struct hf_dir *d, const uint8_t *p,
		 size_t n)
{
	while (n && !f->opaque) {
		char c;

		if (d->state == HF_UNTIL_CLOSE)
			return;
		if (d->state == HF_BODY || d->state == HF_CHUNK_DATA) {
			size_t k = n < d->left ? n : (size_t)d->left;

			p += k;
			n -= k;
			d->left -= k;
			if (d->left)
				continue;
			if (d->state == HF_BODY)
				message_done(f, d);
			else
				d->state = HF_CHUNK_CRLF;
			continue;
		}
		c = (char)*p++;
		n--;
		if (d->saw_cr) {
			d->saw_cr = false;
			if (c != '\n' || !line_end(f, d))
				f->opaque = true;
			d->line_len = 0;
			continue;
		}
		if (c == '\r') {
			d->saw_cr = true;
			continue;
		}
		if (c == '\n' || (d->state == HF_CHUNK_CRLF)) {
			f->opaque = true;	/* bare LF; data after a chunk */
			return;
		}
		if (d->line_len < HF_LINE_MAX)
			d->line[d->line_len] = c;
		memmove(d->tail, d->tail + 1, sizeof(d->tail) - 1);
		d->tail[sizeof(d->tail) - 1] = c;
		d->line_len++;
		if (d->state != HF_START && d->state != HF_CHUNK_SIZE &&
		    ++d->head_len > HF_HEAD_MAX)
			f->opaque = true;
		else if (d->line_len > HF_HEAD_MAX)
			f->opaque = true;
	}
}

void hf_client(struct http_frame *f, const uint8_t *p, size_t n)
{
	feed(f, &f->req, p, n);
}

void hf_card(struct http_frame *f, const uint8_t *p, size_t n)
{
	feed(f, &f->resp, p, n);
}

bool hf_idle(const struct http_frame *f)
{
	return !f->opaque && !f->closing && !f->n_pending &&
	       f->req.state == HF_START && !f->req.line_len &&
	       !f->req.saw_cr && f->resp.state == HF_START &&
	       !f->resp.line_len && !f->resp.saw_cr;
}
