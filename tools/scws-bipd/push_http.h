/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * push_http.h - the pump's push endpoint (SCWS-6): one HTTP/1.1 request
 * per connection from the SCWS Push Gateway (scws-pushd), on a Unix socket
 * only that gateway's user and root may use.
 *
 *   POST /push HTTP/1.1
 *   Content-Type: application/vnd.3gpp.sms
 *   Content-Length: N
 *
 *   <RP-DATA: the SMSC address and an SMS-DELIVER TPDU, TS 24.011 7.3.1>
 *
 * The answer carries the control protocol's reply line (bipd-ctl.h) as a
 * text/plain body: 200 when the card answered (its status word and Proof
 * of Receipt), 4xx for a request that is wrong, 503 when the card could
 * not take it.
 */
#ifndef BIPD_PUSH_HTTP_H
#define BIPD_PUSH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define PUSH_HTTP_MAX 4096		/* a whole request, headers and body */
#define PUSH_HTTP_PATH "/push"
#define PUSH_CONTENT_TYPE "application/vnd.3gpp.sms"

struct push_http_req {
	const uint8_t *body;	/* points into the caller's buffer */
	size_t body_len;
};

/* buf holds the first len bytes received.  0: a complete, acceptable
 * request (*r filled); -EAGAIN: incomplete, read more; > 0: the HTTP
 * status to refuse it with (400, 404, 405, 411, 413, 415, 505). */
int push_http_parse(const uint8_t *buf, size_t len, struct push_http_req *r);

/* The status line's reason phrase for the codes used here. */
const char *push_http_reason(int status);

#endif /* BIPD_PUSH_HTTP_H */
