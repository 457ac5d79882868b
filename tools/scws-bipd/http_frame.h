/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * http_frame.h - HTTP/1.1 message framing (RFC 9112) of one client
 * connection, seen from the side: requests as the client sends them,
 * responses as the card sends them.  It only reads the bytes (they are
 * const here and go on unchanged); it tells the scheduler when the
 * connection is between requests: every request complete, every response
 * complete, nothing owed either way, and keep-alive agreed.
 *
 * Anything it does not understand with certainty (a malformed start line,
 * Content-Length and Transfer-Encoding together, two different lengths, a
 * transfer coding other than chunked, a response nobody asked for, 101,
 * CONNECT) makes the connection opaque for good: the scheduler then treats
 * it like a TLS connection (idle time, nothing in flight).
 */
#ifndef BIPD_HTTP_FRAME_H
#define BIPD_HTTP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HF_LINE_MAX 128		/* start line / header bytes kept to decide */
#define HF_HEAD_MAX 65536	/* a header block longer than this: opaque */
#define HF_PIPELINE 16		/* requests sent ahead of their responses */

enum hf_state {
	HF_START,		/* before a start line (empty lines skipped) */
	HF_HEADERS,
	HF_BODY,		/* Content-Length bytes left */
	HF_CHUNK_SIZE,		/* the chunk-size line */
	HF_CHUNK_DATA,
	HF_CHUNK_CRLF,		/* the CRLF after chunk data */
	HF_TRAILERS,
	HF_UNTIL_CLOSE,		/* response body delimited by the close */
};

/* One direction's parser. */
struct hf_dir {
	enum hf_state state;
	char line[HF_LINE_MAX];	/* the current line's start */
	size_t line_len;	/* bytes of the line seen (may exceed kept) */
	char tail[9];		/* the line's last bytes: a request's version */
	size_t head_len;	/* bytes of the header block so far */
	uint64_t left;		/* body or chunk bytes left */
	int64_t content_length;	/* -1: none */
	bool te_seen, chunked, te_bad, cl_conflict, conn_close, conn_keep;
	bool saw_cr;		/* the line's last byte was CR */
	unsigned int status;	/* response: its status code */
	unsigned int minor;	/* HTTP/1.x */
	bool head_req;		/* response: to a HEAD request */
	bool connect_req;	/* response: to a CONNECT request */
};

struct http_frame {
	struct hf_dir req, resp;
	/* requests whose response has not begun: their method's kind */
	uint8_t pending[HF_PIPELINE];
	unsigned int n_pending;
	uint64_t requests, responses;	/* complete messages */
	bool opaque;		/* framing no longer known */
	bool closing;		/* a side said close: no next request */
};

void hf_init(struct http_frame *f);
/* Bytes the client sent, in order. */
void hf_client(struct http_frame *f, const uint8_t *p, size_t n);
/* Bytes the card sent, in order. */
void hf_card(struct http_frame *f, const uint8_t *p, size_t n);
/* Between requests: may the connection change card channel now? */
bool hf_idle(const struct http_frame *f);

#endif /* BIPD_HTTP_FRAME_H */
