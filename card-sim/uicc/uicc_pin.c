// SPDX-License-Identifier: GPL-2.0
/*
 * PIN commands (TS 102 221 11.1.9 - 11.1.13) on the card's one PIN, CHV1
 * (key reference 01, or 81 as the USIM's local PIN), through pin.h.
 * The PIN blocks are 8 bytes: ASCII digits padded with FF.
 */
#include "uicc-int.h"
#include "fs.h"
#include "pin.h"

enum {
	PIN_BLOCK = 8,
	KEY_PIN1 = 0x01,
	KEY_LOCAL_PIN = 0x81,
};

bool uicc_access_ok(const struct uicc *u, int access)
{
	switch (access) {
	case CARD_AC_ALWAYS:
		return true;
	case CARD_AC_PIN:
		/* Tries used up since (e.g. over HTTP) also end it. */
		return u->pin_verified && card_pin_tries_left(u->p.pin) > 0;
	default:
		return false;	/* ADM and NEVER: no such keys on this card */
	}
}

static uint16_t key_ref_ok(const struct apdu *c)
{
	if (c->p1 != 0x00)
		return SW_WRONG_P1P2;
	if (c->p2 != KEY_PIN1 && c->p2 != KEY_LOCAL_PIN)
		return SW_REF_NOT_FOUND;
	return 0;
}

static uint16_t tries_sw(int tries)
{
	if (tries <= 0)
		return SW_BLOCKED;
	return (uint16_t)(SW_WRONG_PIN | (tries > 15 ? 15 : tries));
}

static uint16_t pin_result_sw(struct uicc *u, enum pin_result res,
			      int tries_left)
{
	switch (res) {
	case PIN_OK:
		u->pin_verified = true;
		return SW_OK;
	case PIN_BLOCKED:
		u->pin_verified = false;
		return SW_BLOCKED;
	default:
		u->pin_verified = false;
		return tries_sw(tries_left);
	}
}

uint16_t uicc_verify(struct uicc *u, struct uicc_channel *ch,
		     const struct apdu *c, struct apdu_resp *r)
{
	char pin[9];
	uint16_t sw = key_ref_ok(c);
	enum pin_result res;

	(void)ch;
	(void)r;
	if (sw)
		return sw;
	if (c->ne)
		return SW_WRONG_LENGTH;
	if (c->nc == 0) {	/* no data: how does the PIN stand? */
		if (card_pin_tries_left(u->p.pin) == 0)
			return SW_BLOCKED;
		return uicc_access_ok(u, CARD_AC_PIN) ? SW_OK
			: tries_sw(card_pin_tries_left(u->p.pin));
	}
	if (c->nc != PIN_BLOCK)
		return SW_WRONG_LENGTH;
	if (!card_pin_from_block(c->data, pin))
		return SW_WRONG_DATA;	/* malformed: no try counted */
	res = card_pin_verify(u->p.pin, pin);
	return pin_result_sw(u, res, card_pin_tries_left(u->p.pin));
}

uint16_t uicc_change_pin(struct uicc *u, struct uicc_channel *ch,
			 const struct apdu *c, struct apdu_resp *r)
{
	char old_pin[9], new_pin[9];
	uint16_t sw = key_ref_ok(c);
	enum pin_result res;

	(void)ch;
	(void)r;
	if (sw)
		return sw;
	if (c->nc != 2 * PIN_BLOCK || c->ne)
		return SW_WRONG_LENGTH;
	if (!card_pin_from_block(c->data, old_pin) ||
	    !card_pin_from_block(c->data + PIN_BLOCK, new_pin) ||
	    !card_pin_valid(new_pin))
		return SW_WRONG_DATA;
	res = card_pin_change(u->p.pin, old_pin, new_pin);
	return pin_result_sw(u, res, card_pin_tries_left(u->p.pin));
}

/* UNBLOCK PIN: PUK (8 digits) then the new PIN; no data asks for the
 * PUK's tries. */
uint16_t uicc_unblock_pin(struct uicc *u, struct uicc_channel *ch,
			  const struct apdu *c, struct apdu_resp *r)
{
	char puk[9], new_pin[9];
	uint16_t sw = key_ref_ok(c);
	enum pin_result res;

	(void)ch;
	(void)r;
	if (sw)
		return sw;
	if (c->ne)
		return SW_WRONG_LENGTH;
	if (c->nc == 0)
		return tries_sw(card_pin_puk_tries_left(u->p.pin));
	if (c->nc != 2 * PIN_BLOCK)
		return SW_WRONG_LENGTH;
	if (!card_pin_from_block(c->data, puk) ||
	    !card_pin_from_block(c->data + PIN_BLOCK, new_pin) ||
	    !card_pin_valid(new_pin))
		return SW_WRONG_DATA;
	res = card_pin_unblock(u->p.pin, puk, new_pin);
	if (res == PIN_OK) {
		u->pin_verified = true;	/* TS 102 221: unblocking verifies */
		return SW_OK;
	}
	return res == PIN_BLOCKED ? SW_BLOCKED
		: tries_sw(card_pin_puk_tries_left(u->p.pin));
}

/* ENABLE / DISABLE PIN: this card's PIN cannot be switched off. */
uint16_t uicc_enable_disable_pin(struct uicc *u, struct uicc_channel *ch,
				 const struct apdu *c, struct apdu_resp *r)
{
	uint16_t sw = key_ref_ok(c);

	(void)u;
	(void)ch;
	(void)r;
	return sw ? sw : SW_FUNC_UNSUPPORTED;
}
