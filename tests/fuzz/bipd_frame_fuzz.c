// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c
/*
 * libFuzzer target: the pump's read-only framing parsers (HTTP/1.1 and TLS
 * records).  Input: byte 0 = piece size - 1, then segments, each a header
 * byte (bit 7: 1 = from the card, 0 = from the client; bits 0-6: length)
 * and that many bytes.  The same conversation is fed per segment and in
 * pieces of the given size; invariants: both parsers end in the same
 * state either way, the input is never changed, an idle HTTP connection
 * has every request answered, and answers never outnumber requests (but
 * for one whose body is still coming: an early answer).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/scws-bipd/http_frame.h"
#include "../../tools/scws-bipd/tls_frame.h"

struct both {
	struct http_frame h;
	struct tls_frame t;
};

static void feed(struct both *x, bool card, const uint8_t *p, size_t n)
{
	if (card) {
		hf_card(&x->h, p, n);
		tls_card(&x->t, p, n);
	} else {
		hf_client(&x->h, p, n);
		tls_client(&x->t, p, n);
	}
}

static void same(const struct both *a, const struct both *b)
{
	assert(a->h.opaque == b->h.opaque);
	if (!a->h.opaque) {
		assert(a->h.requests == b->h.requests);
		assert(a->h.responses == b->h.responses);
		assert(a->h.n_pending == b->h.n_pending);
		assert(a->h.closing == b->h.closing);
		assert(a->h.req.state == b->h.req.state);
		assert(a->h.resp.state == b->h.resp.state);
		assert(hf_idle(&a->h) == hf_idle(&b->h));
	}
	assert(a->t.opaque == b->t.opaque);
	if (!a->t.opaque)
		assert(tls_quiet(&a->t) == tls_quiet(&b->t));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct both whole, bits;
	uint8_t *copy;
	size_t piece, i = 1;

	if (size < 1)
		return 0;
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	piece = (size_t)data[0] + 1;
	hf_init(&whole.h);
	tls_init(&whole.t);
	hf_init(&bits.h);
	tls_init(&bits.t);
	while (i < size) {
		bool card = data[i] & 0x80;
		size_t n = data[i] & 0x7F;

		i++;
		if (n > size - i)
			n = size - i;
		feed(&whole, card, copy + i, n);
		for (size_t k = 0; k < n; k += piece)
			feed(&bits, card, copy + i + k,
			     n - k < piece ? n - k : piece);
		i += n;
		if (!whole.h.opaque) {
			/* an early answer may overtake its request's body */
			assert(whole.h.responses <= whole.h.requests +
			       (whole.h.req.state != HF_START));
			if (hf_idle(&whole.h))
				assert(whole.h.requests == whole.h.responses);
		}
	}
	same(&whole, &bits);
	/* read only: the bytes go on as they came */
	assert(!memcmp(copy, data, size));
	free(copy);
	return 0;
}
