/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * A strict BER-TLV reader and writer (ISO 7816-4 5.2, as GlobalPlatform
 * data objects use it): definite, minimal lengths only, no '00'/'FF' tag
 * bytes, tags of up to three bytes.  Anything else is malformed, so two
 * equal objects always have the same bytes.
 */
#ifndef SCWS_BER_H
#define SCWS_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ber_tlv {
	uint32_t tag;		/* the tag bytes, e.g. 0xE2 or 0xFF40 */
	const uint8_t *val;
	size_t len;		/* value length */
	size_t size;		/* tag + length + value */
};

/* Reads the TLV at the start of buf; false if malformed or cut short. */
bool ber_read(const uint8_t *buf, size_t len, struct ber_tlv *t);

/* Reads a length field (after the tag): the value length and the bytes
 * the field takes; false if malformed (not minimal, indefinite) or cut. */
bool ber_read_length(const uint8_t *buf, size_t len, size_t *vlen,
		     size_t *field);

/* Whether buf is exactly one or more well-formed TLVs back to back. */
bool ber_sequence_ok(const uint8_t *buf, size_t len);

/* Bytes the tag and length of a TLV with this value length take. */
size_t ber_header_size(uint32_t tag, size_t len);
/* Writes tag and length; returns bytes written (ber_header_size). */
size_t ber_put_header(uint8_t *out, uint32_t tag, size_t len);

/* For parsers of BER data: writes "offset N: " (N = at - base) and the
 * printf-style message into why (nothing if why_len is 0); returns
 * -EBADMSG, so a parser can `return ber_fail(...)`. */
int ber_fail(char *why, size_t why_len, const uint8_t *base,
	     const uint8_t *at, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif /* SCWS_BER_H */
