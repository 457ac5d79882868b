// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/* Strict BER-TLV (see ber.h). */
#include "ber.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

bool ber_read(const uint8_t *buf, size_t len, struct ber_tlv *t)
{
	size_t off = 0, vlen, nlen;
	uint32_t tag;

	if (len < 2 || buf[0] == 0x00 || buf[0] == 0xFF)
		return false;
	tag = buf[off++];
	if ((tag & 0x1F) == 0x1F) {
		/* Subsequent tag bytes: bit 8 = another follows.  The first
		 * must not be 0x80 (padding) nor encode a number < 31. */
		if (buf[off] < 0x1F || buf[off] == 0x80)
			return false;
		do {
			if (off >= len || off >= 3)
				return false;
			tag = tag << 8 | buf[off];
		} while (buf[off++] & 0x80);
	}
	if (off >= len)
		return false;
	if (!ber_read_length(buf + off, len - off, &vlen, &nlen))
		return false;
	off += nlen;
	if (vlen > len - off)
		return false;
	t->tag = tag;
	t->val = buf + off;
	t->len = vlen;
	t->size = off + vlen;
	return true;
}

bool ber_read_length(const uint8_t *buf, size_t len, size_t *vlen,
		     size_t *field)
{
	size_t nlen, v = 0;

	if (len == 0)
		return false;
	if (buf[0] < 0x80) {
		*vlen = buf[0];
		*field = 1;
		return true;
	}
	nlen = buf[0] & 0x7F;
	/* 80 is indefinite; more than 3 length bytes is absurd here. */
	if (nlen == 0 || nlen > 3 || nlen > len - 1)
		return false;
	for (size_t i = 0; i < nlen; i++)
		v = v << 8 | buf[1 + i];
	if (v < 0x80 || (nlen > 1 && buf[1] == 0))
		return false;	/* not the shortest form */
	*vlen = v;
	*field = 1 + nlen;
	return true;
}

bool ber_sequence_ok(const uint8_t *buf, size_t len)
{
	struct ber_tlv t;

	if (len == 0)
		return false;
	while (len) {
		if (!ber_read(buf, len, &t))
			return false;
		buf += t.size;
		len -= t.size;
	}
	return true;
}

static size_t tag_size(uint32_t tag)
{
	return tag > 0xFFFF ? 3 : tag > 0xFF ? 2 : 1;
}

size_t ber_header_size(uint32_t tag, size_t len)
{
	size_t n = len < 0x80 ? 1 : len <= 0xFF ? 2 : len <= 0xFFFF ? 3 : 4;

	return tag_size(tag) + n;
}

size_t ber_put_header(uint8_t *out, uint32_t tag, size_t len)
{
	size_t o = 0, ts = tag_size(tag);

	for (size_t i = ts; i-- > 0;)
		out[o++] = (uint8_t)(tag >> (8 * i));
	if (len < 0x80) {
		out[o++] = (uint8_t)len;
	} else if (len <= 0xFF) {
		out[o++] = 0x81;
		out[o++] = (uint8_t)len;
	} else if (len <= 0xFFFF) {
		out[o++] = 0x82;
		out[o++] = (uint8_t)(len >> 8);
		out[o++] = (uint8_t)len;
	} else {
		out[o++] = 0x83;
		out[o++] = (uint8_t)(len >> 16);
		out[o++] = (uint8_t)(len >> 8);
		out[o++] = (uint8_t)len;
	}
	return o;
}

int ber_fail(char *why, size_t why_len, const uint8_t *base,
	     const uint8_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!why_len)
		return -EBADMSG;
	n = snprintf(why, why_len, "offset %zu: ", (size_t)(at - base));
	if (n < 0 || (size_t)n >= why_len)
		return -EBADMSG;
	va_start(ap, fmt);
	vsnprintf(why + n, why_len - (size_t)n, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}
