/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the web server's unit tests: a fresh card state in a temporary
 * folder with the shipped portal imported, and a small HTTP client that
 * feeds a struct scws_http and splits what comes back into responses.
 */
#ifndef HTTP_TEST_ENV_H
#define HTTP_TEST_ENV_H

#include <errno.h>

#include "uicc/fs.h"

struct env {
	char dir[64];
	char path[96];
	struct card_state *st;
	struct card_pin *pin;
	struct scws_site *site;
};

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	strcpy(e->dir, "/tmp/scws-http-test.XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->path, sizeof(e->path), "%s/state", e->dir);
	e->st = card_state_open(e->path, true);
	assert_non_null(e->st);
	e->pin = card_pin_open(e->st);
	assert_non_null(e->pin);
	e->site = scws_site_open(e->st, e->pin, "card-sim/content");
	assert_non_null(e->site);
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;
	char lock[128];

	scws_site_close(e->site);
	card_pin_close(e->pin);
	card_state_close(e->st);
	snprintf(lock, sizeof(lock), "%s.lock", e->path);
	unlink(e->path);
	unlink(lock);
	rmdir(e->dir);
	free(e);
	return 0;
}

/* Sends len bytes in pieces of step_in, taking the answers out in pieces
 * of step_out (0: all at once) after each; returns everything received. */
static char *exchange(struct scws_http *h, const char *req, size_t len,
		      size_t step_in, size_t step_out, size_t *out_len)
{
	struct http_buf out = { 0 };
	size_t off = 0;

	if (step_in == 0)
		step_in = len ? len : 1;
	do {
		size_t n = len - off < step_in ? len - off : step_in;
		const uint8_t *data;
		size_t pending;

		assert_int_equal(scws_http_input(h, (const uint8_t *)req + off, n), 0);
		off += n;
		while ((pending = scws_http_pending(h, &data)) > 0) {
			if (step_out && pending > step_out)
				pending = step_out;
			assert_true(http_buf_put(&out, data, pending));
			scws_http_consume(h, pending);
		}
	} while (off < len);
	assert_true(http_buf_put(&out, "", 0));
	*out_len = out.len;
	return (char *)out.data;
}

struct resp {
	int status;
	char *head;		/* status line and fields */
	size_t head_len;	/* with the empty line */
	char *body;		/* de-chunked, NUL-terminated */
	size_t body_len;
	size_t raw_len;		/* bytes this response took on the wire */
	bool chunked;
	bool open;		/* the connection stays open after it */
	char value[1024];	/* field()'s last answer */
};

static void resp_free(struct resp *r)
{
	free(r->head);
	free(r->body);
	r->head = r->body = NULL;
}

/* The value of the first field called name, or NULL. */
static const char *field(struct resp *r, const char *name)
{
	size_t n = strlen(name);

	for (const char *l = strstr(r->head, "\r\n"); l && l[2] != '\r';
	     l = strstr(l + 2, "\r\n")) {
		const char *f = l + 2, *end = strstr(f, "\r\n");

		if (!strncasecmp(f, name, n) && f[n] == ':') {
			f += n + 1;
			while (*f == ' ')
				f++;
			snprintf(r->value, sizeof(r->value), "%.*s",
				 (int)(end - f), f);
			return r->value;
		}
	}
	return NULL;
}

/* Parses the response at raw[*off] (head: an answer to HEAD). */
static bool next_response(const char *raw, size_t len, size_t *off, bool head,
			  struct resp *r)
{
	const char *start = raw + *off, *end;
	const char *te, *cl;
	size_t pos;

	memset(r, 0, sizeof(*r));
	end = *off < len ? strstr(start, "\r\n\r\n") : NULL;
	if (!end || strncmp(start, "HTTP/1.1 ", 9))
		return false;
	r->head_len = (size_t)(end - start) + 4;
	r->head = strndup(start, r->head_len - 2);
	r->status = atoi(start + 9);
	pos = *off + r->head_len;
	te = field(r, "Transfer-Encoding");
	r->chunked = te && !strcmp(te, "chunked");
	r->body = calloc(1, len + 1);
	assert_non_null(r->body);
	if (head || r->status < 200 || r->status == 204 || r->status == 304) {
		/* no body */
	} else if (r->chunked) {
		for (;;) {
			char *e;
			unsigned long n = strtoul(raw + pos, &e, 16);

			if (e == raw + pos || strncmp(e, "\r\n", 2))
				return false;
			pos = (size_t)(e - raw) + 2;
			if (n == 0)
				break;
			if (pos + n + 2 > len || strncmp(raw + pos + n, "\r\n", 2))
				return false;
			memcpy(r->body + r->body_len, raw + pos, n);
			r->body_len += n;
			pos += n + 2;
		}
		if (pos + 2 > len || strncmp(raw + pos, "\r\n", 2))
			return false;
		pos += 2;
	} else {
		cl = field(r, "Content-Length");
		if (!cl)
			return false;
		r->body_len = strtoul(cl, NULL, 10);
		if (pos + r->body_len > len)
			return false;
		memcpy(r->body, raw + pos, r->body_len);
		pos += r->body_len;
	}
	r->raw_len = pos - *off;
	*off = pos;
	return true;
}

/* One request on a new connection, sent in pieces of step bytes (0: at
 * once); exactly one response must come back. */
static void get(struct env *e, const char *req, size_t step, struct resp *r)
{
	struct scws_http *h = scws_http_new(e->site);
	size_t len, off = 0;
	char *raw;

	assert_non_null(h);
	raw = exchange(h, req, strlen(req), step, 0, &len);
	assert_true(next_response(raw, len, &off, !strncmp(req, "HEAD ", 5), r));
	assert_int_equal(off, len);
	r->open = !scws_http_done(h);
	free(raw);
	scws_http_free(h);
}

#endif /* HTTP_TEST_ENV_H */
