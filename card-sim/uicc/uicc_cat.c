// SPDX-License-Identifier: GPL-2.0
/*
 * The toolkit APDUs (TS 102 221 11.2): TERMINAL PROFILE, FETCH, TERMINAL
 * RESPONSE and ENVELOPE, handed to the proactive engine (cat.h), and the
 * 91xx that lets the card speak first.  The --fault test tooling lives
 * here too: it bends exactly these answers.
 */
#include "uicc-int.h"
#include "cat/cat.h"
#include "log.h"

#include <string.h>

uint16_t uicc_normal_end(struct uicc *u)
{
	size_t n = u->p.cat ? cat_pending(u->p.cat) : 0;

	if (!n)
		return SW_OK;
	if (u->p.faults & UICC_FAULT_BAD_LENGTH && !(u->fetches & 1))
		n += 2;		/* announce more than there is */
	return (uint16_t)(SW_PROACTIVE | (n > 0xFF ? 0xFF : n));
}

static uint16_t toolkit_p1p2(const struct apdu *c)
{
	return c->p1 || c->p2 ? SW_WRONG_P1P2 : 0;
}

uint16_t uicc_terminal_profile(struct uicc *u, struct uicc_channel *ch,
			       const struct apdu *c, struct apdu_resp *r)
{
	uint16_t sw = toolkit_p1p2(c);

	(void)ch;
	(void)r;
	if (sw)
		return sw;
	if (!c->nc || c->ne)
		return SW_WRONG_LENGTH;
	cat_terminal_profile(u->p.cat, c->data, c->nc);
	u->last_fetch_len = 0;
	return SW_OK;
}

/*
 * TEST TOOLING (--fault bad-tlv): the first FETCH of each command gets a
 * broken copy, one of four ways in turn, all the same length so the 91xx
 * stays true; FETCHing the same command again gets it intact, so a
 * terminal that re-fetches can recover.
 */
static void break_tlv(struct uicc *u, uint8_t *cmd, size_t len)
{
	bool repeat = len == u->last_fetch_len &&
		      !memcmp(cmd, u->last_fetch, len);

	memcpy(u->last_fetch, cmd, len);
	u->last_fetch_len = len;
	if (repeat || len < 5)
		return;
	switch (u->fetches % 4) {
	case 0:		/* BER length one past the end */
		cmd[1] == 0x81 ? cmd[2]++ : cmd[1]++;
		break;
	case 1:		/* first COMPREHENSION-TLV runs past the end */
		cmd[cmd[1] == 0x81 ? 4 : 3] = 0x7F;
		break;
	case 2:		/* not a proactive command template */
		cmd[0] = 0xD6;
		break;
	case 3:		/* indefinite length, never valid here */
		cmd[1] = 0x80;
		break;
	}
	card_info("fault: FETCH %u answered with a malformed command",
		  u->fetches);
}

/*
 * TEST TOOLING (--fault bad-length): on even FETCHes the 91xx announced
 * two bytes too many (see uicc_normal_end) and the answer is shorter than
 * Le; on odd ones the answer carries three junk bytes past Le.
 */
static void break_length(struct uicc *u, struct apdu_resp *r)
{
	static const uint8_t junk[3] = { 0x00, 0xFF, 0x00 };

	if (u->fetches & 1) {
		apdu_put(r, junk, sizeof(junk));
		u->raw_length = true;
		card_info("fault: FETCH %u answered past Le", u->fetches);
	}
}

uint16_t uicc_fetch(struct uicc *u, struct uicc_channel *ch,
		    const struct apdu *c, struct apdu_resp *r)
{
	size_t n;
	uint16_t sw = toolkit_p1p2(c);

	(void)ch;
	if (sw)
		return sw;
	if (c->nc || !c->ne)
		return SW_WRONG_LENGTH;
	/* Not cat_pending(): a command fetched once may be fetched again
	 * until its TERMINAL RESPONSE. */
	n = cat_fetch(u->p.cat, r->data + r->len, r->cap - r->len);
	if (!n)
		return SW_CONDITIONS;	/* nothing to fetch */
	if (c->ne < n)
		return (uint16_t)(SW_WRONG_LE | (n > 0xFF ? 0 : n));
	if (u->p.faults & UICC_FAULT_BAD_TLV)
		break_tlv(u, r->data + r->len, n);
	r->len += n;
	if (u->p.faults & UICC_FAULT_BAD_LENGTH)
		break_length(u, r);
	u->fetches++;
	return SW_OK;
}

uint16_t uicc_terminal_response(struct uicc *u, struct uicc_channel *ch,
				const struct apdu *c, struct apdu_resp *r)
{
	uint16_t sw = toolkit_p1p2(c);

	(void)ch;
	(void)r;
	if (sw)
		return sw;
	if (!c->nc || c->ne)
		return SW_WRONG_LENGTH;
	return cat_terminal_response(u->p.cat, c->data, c->nc);
}

uint16_t uicc_envelope(struct uicc *u, struct uicc_channel *ch,
		       const struct apdu *c, struct apdu_resp *r)
{
	uint16_t sw = toolkit_p1p2(c);
	size_t n = 0;

	(void)ch;
	if (sw)
		return sw;
	if (!c->nc)
		return SW_WRONG_LENGTH;
	/* TEST TOOLING (--fault busy): every other ENVELOPE is refused;
	 * the terminal must retry it. */
	if (u->p.faults & UICC_FAULT_BUSY && !(u->envelopes++ & 1)) {
		card_info("fault: ENVELOPE refused with 9300");
		return SW_TOOLKIT_BUSY;
	}
	/* SMS-PP data download answers with its Proof of Receipt. */
	sw = cat_envelope_data(u->p.cat, c->data, c->nc, r->data + r->len,
			       r->cap - r->len, &n);
	r->len += n;
	return sw;
}
