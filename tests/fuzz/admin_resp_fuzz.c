// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/admin/http_resp.c card-sim/http/http_buf.c
/*
 * libFuzzer target: the admin agent's parser for the RAS's HTTP responses.
 * Input: byte 0 = piece size - 1, then the bytes the RAS sends.  The same
 * bytes are also parsed in one piece; both ways must end in the same state
 * with the same status and body.  Invariants: the parser never uses more
 * than it was given, a finished response has a status 100..599 and a body
 * within the limit, an error names its reason.
 */
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"

static void parse(const uint8_t *d, size_t len, size_t step, bool eof,
		  struct admin_resp *r)
{
	size_t off = 0;

	admin_resp_init(r);
	while (off < len && r->state != RESP_DONE && r->state != RESP_ERROR) {
		size_t n = len - off < step ? len - off : step;
		size_t used = admin_resp_feed(r, d + off, n);

		if (used > n)
			abort();
		off += used;
		if (!used && r->state != RESP_DONE && r->state != RESP_ERROR)
			abort();	/* stuck */
	}
	if (eof && r->state != RESP_DONE && r->state != RESP_ERROR)
		admin_resp_eof(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct admin_resp *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));

	if (size < 1 || !a || !b) {
		free(a);
		free(b);
		return 0;
	}
	parse(data + 1, size - 1, (size_t)data[0] + 1, true, a);
	parse(data + 1, size - 1, size, true, b);
	if (a->state != b->state)
		abort();
	if (a->state == RESP_DONE) {
		if (a->status < 100 || a->status > 599 || a->status != b->status ||
		    a->body.len > ADMIN_RESP_BODY_MAX || a->body.len != b->body.len ||
		    (a->body.len && memcmp(a->body.data, b->body.data, a->body.len)))
			abort();
	}
	if (a->state == RESP_ERROR && !a->error)
		abort();
	admin_resp_free(a);
	admin_resp_free(b);
	free(a);
	free(b);
	return 0;
}
