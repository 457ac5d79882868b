// SPDX-License-Identifier: GPL-2.0
/*
 * One SCWS connection (card.h): request bytes in, response bytes out.
 *
 * Requests are answered in order (pipelining).  Input that arrives while
 * more than OUT_HIGH_WATER bytes of answers wait to be sent stays queued
 * and is parsed as the output drains, so a client that sends requests
 * without reading cannot make the card buffer answers without bound; one
 * that also floods the input past IN_BACKLOG_MAX is cut off after the
 * answers already made.
 */
#include <errno.h>
#include <stdlib.h>

#include "http.h"

#define OUT_HIGH_WATER (64 * 1024)
#define IN_BACKLOG_MAX (1024 * 1024)

struct scws_http {
	struct scws_site *site;
	struct http_parser parser;
	struct http_reply reply;
	struct http_buf in;	/* received, not yet parsed */
	struct http_buf out;	/* answers; out_off bytes already consumed */
	size_t out_off;
	bool closing;		/* no more requests will be answered */
	bool input_ended;
	bool oom;
};

struct scws_http *scws_http_new(struct scws_site *site)
{
	struct scws_http *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->site = site;
	http_parser_init(&h->parser);
	http_reply_init(&h->reply);
	return h;
}

void scws_http_free(struct scws_http *h)
{
	if (!h)
		return;
	http_parser_free(&h->parser);
	http_reply_free(&h->reply);
	http_buf_free(&h->in);
	http_buf_free(&h->out);
	free(h);
}

/* Answers the request the parser holds (or its error) into out. */
static void answer(struct scws_http *h)
{
	struct http_parser *p = &h->parser;
	struct http_reply *r = &h->reply;
	const struct http_request *req = NULL;

	http_reply_reset(r);
	if (p->state == PARSE_DONE) {
		req = &p->req;
		http_route(h->site, req, r);
		if (r->body.oom || r->fields.oom)
			http_reply_error(r, 500, "The card ran out of memory.");
		r->close |= !req->keep_alive;
	} else {
		http_reply_error(r, p->error, NULL);
		if (p->error == 405)
			http_reply_field(r, "Allow", "GET, HEAD, POST");
		r->close = true;	/* the input stream is in doubt */
	}
	if (http_reply_write(r, req, &h->out))
		h->oom = true;
	if (r->close)
		h->closing = true;
	http_parser_next(p);
}

static void pump(struct scws_http *h)
{
	size_t off = 0;

	while (!h->closing && !h->oom &&
	       h->out.len - h->out_off < OUT_HIGH_WATER && off < h->in.len) {
		struct http_parser *p = &h->parser;

		off += http_parser_feed(p, h->in.data + off, h->in.len - off);
		/* Not once the whole body is here, nor before an error. */
		if (p->continue_due && p->state != PARSE_DONE &&
		    p->state != PARSE_ERROR)
			http_buf_puts(&h->out, "HTTP/1.1 100 Continue\r\n\r\n");
		p->continue_due = false;
		if (p->state == PARSE_DONE || p->state == PARSE_ERROR)
			answer(h);
	}
	http_buf_drop(&h->in, off);
	if (h->closing)
		h->in.len = 0;	/* nobody will read it */
	if (h->input_ended && !h->closing && h->in.len == 0) {
		/* The client sent its last byte: finish what is complete. */
		if (http_parser_started(&h->parser)) {
			h->parser.state = PARSE_ERROR;
			h->parser.error = 400;	/* a request cut short */
			answer(h);
		}
		h->closing = true;
	}
	if (h->out.oom)
		h->oom = true;
}

int scws_http_input(struct scws_http *h, const uint8_t *data, size_t len)
{
	if (h->closing || h->input_ended)
		return 0;
	if (h->in.len + len > IN_BACKLOG_MAX) {
		h->closing = true;
		h->in.len = 0;
		return 0;
	}
	if (!http_buf_put(&h->in, data, len))
		return -ENOMEM;
	pump(h);
	return h->oom ? -ENOMEM : 0;
}

void scws_http_input_end(struct scws_http *h)
{
	h->input_ended = true;
	pump(h);
}

size_t scws_http_pending(const struct scws_http *h, const uint8_t **data)
{
	if (!h->out.data) {
		*data = (const uint8_t *)"";	/* nothing sent yet */
		return 0;
	}
	*data = h->out.data + h->out_off;
	return h->out.len - h->out_off;
}

void scws_http_consume(struct scws_http *h, size_t n)
{
	size_t pending = h->out.len - h->out_off;

	h->out_off += n < pending ? n : pending;
	/* Compact rarely: a 1 MiB answer leaves in 237-byte pieces. */
	if (h->out_off == h->out.len) {
		h->out.len = h->out_off = 0;
	} else if (h->out_off > OUT_HIGH_WATER && h->out_off > h->out.len / 2) {
		http_buf_drop(&h->out, h->out_off);
		h->out_off = 0;
	}
	pump(h);
}

bool scws_http_done(const struct scws_http *h)
{
	return h->closing && h->out.len == h->out_off;
}
