// SPDX-License-Identifier: GPL-2.0
/*
 * C-APDU decoding by the cases of ISO 7816-3 12.1.  The reader hands us the
 * APDU as the application sent it (vpcd does no T=0 TPDU mapping), so both
 * the short and the extended forms arrive here.
 */
#include "apdu.h"

#include <string.h>

int apdu_parse(const uint8_t *b, size_t len, struct apdu *a)
{
	size_t body;

	memset(a, 0, sizeof(*a));
	if (len < 4)
		return SW_WRONG_LENGTH;
	a->cla = b[0];
	a->ins = b[1];
	a->p1 = b[2];
	a->p2 = b[3];
	body = len - 4;
	b += 4;

	if (body == 0)				/* case 1 */
		return 0;
	if (body == 1) {			/* case 2S */
		a->ne = b[0] ? b[0] : 256;
		return 0;
	}
	if (b[0] != 0) {			/* short Lc */
		size_t lc = b[0];

		if (body == 1 + lc) {		/* case 3S */
			a->nc = lc;
		} else if (body == 2 + lc) {	/* case 4S */
			a->nc = lc;
			a->ne = b[1 + lc] ? b[1 + lc] : 256;
		} else {
			return SW_WRONG_LENGTH;
		}
		a->data = b + 1;
		return 0;
	}
	/* b[0] == 00: an extended length field follows. */
	a->extended = true;
	if (body == 3) {			/* case 2E */
		size_t le = (size_t)b[1] << 8 | b[2];

		a->ne = le ? le : 65536;
		return 0;
	}
	if (body < 4) {
		return SW_WRONG_LENGTH;
	} else {
		size_t lc = (size_t)b[1] << 8 | b[2];

		if (lc == 0)
			return SW_WRONG_LENGTH;
		if (body == 3 + lc) {		/* case 3E */
			a->nc = lc;
		} else if (body == 5 + lc) {	/* case 4E */
			size_t le = (size_t)b[3 + lc] << 8 | b[4 + lc];

			a->nc = lc;
			a->ne = le ? le : 65536;
		} else {
			return SW_WRONG_LENGTH;
		}
		a->data = b + 3;
	}
	return 0;
}

bool apdu_put(struct apdu_resp *r, const void *p, size_t n)
{
	if (n > r->cap - r->len)
		return false;
	if (n)
		memcpy(r->data + r->len, p, n);
	r->len += n;
	return true;
}
