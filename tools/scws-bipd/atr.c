// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * atr.c - reading the card capabilities out of an ATR.
 *
 *   TS T0 {TAi TBi TCi TDi}... historical bytes [TCK]
 *
 * T0 and each TDi say, in their high nibble, which of the next interface
 * bytes follow; T0's low nibble is the number of historical bytes.  The
 * historical bytes start with a category indicator: 00 (compact-TLV
 * objects, then a 3-byte status) or 80 (compact-TLV objects only).
 * Compact-TLV: one byte tag (high nibble) and length (low nibble).
 */
#include "atr.h"

#define CAPS_TAG 0x7		/* card capabilities */
#define CAPS_EXTENDED 0x40	/* third byte: extended Lc and Le fields */

/* Where the historical bytes start: their offset, or -1. */
static int historical_start(const uint8_t *atr, size_t len, size_t *k)
{
	size_t i = 1;		/* at T0 */
	uint8_t y;

	if (len < 2)
		return -1;
	*k = atr[1] & 0x0F;
	y = atr[1];
	i = 2;
	for (;;) {
		for (uint8_t bit = 0x10; bit <= 0x40; bit <<= 1)
			if (y & bit)
				i++;
		if (!(y & 0x80))
			break;
		if (i >= len)
			return -1;
		y = atr[i++];	/* TDi */
	}
	if (i + *k > len)
		return -1;
	return (int)i;
}

bool atr_extended_lc(const uint8_t *atr, size_t len)
{
	size_t k, end, i;
	int start = historical_start(atr, len, &k);

	if (start < 0 || k < 1)
		return false;
	i = (size_t)start;
	end = i + k;
	if (atr[i] == 0x00) {
		if (k < 4)
			return false;
		end -= 3;	/* status indicator at the end */
	} else if (atr[i] != 0x80) {
		return false;	/* proprietary coding */
	}
	i++;
	while (i < end) {
		uint8_t tag = atr[i] >> 4, n = atr[i] & 0x0F;

		if (i + 1 + n > end)
			return false;
		if (tag == CAPS_TAG && n >= 3)
			return atr[i + 3] & CAPS_EXTENDED;
		i += 1 + n;
	}
	return false;
}
