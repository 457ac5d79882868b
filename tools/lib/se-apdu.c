// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se-apdu.c - parsing and vetting an application's C-APDU (se-apdu.h).
 */
#include "se-apdu.h"

#include <string.h>

enum {
	INS_TERMINAL_PROFILE = 0x10,
	INS_FETCH = 0x12,
	INS_TERMINAL_RESPONSE = 0x14,
	INS_MANAGE_CHANNEL = 0x70,
	INS_SELECT = 0xA4,
	INS_ENVELOPE = 0xC2,
};

int se_apdu_parse(const uint8_t *b, size_t len, struct se_apdu *a)
{
	memset(a, 0, sizeof(*a));
	if (len < 4)
		return -1;
	a->cla = b[0];
	a->ins = b[1];
	a->p1 = b[2];
	a->p2 = b[3];
	b += 4;
	len -= 4;
	if (len == 0)
		return 0;			/* case 1 */
	if (len == 1) {				/* case 2 short */
		a->ne = b[0] ? b[0] : 256;
		return 0;
	}
	if (b[0] != 0) {			/* short, with Lc */
		size_t nc = b[0];

		if (len == 1 + nc) {
			a->data = b + 1;
			a->nc = nc;
			return 0;
		}
		if (len == 2 + nc) {
			a->data = b + 1;
			a->nc = nc;
			a->ne = b[1 + nc] ? b[1 + nc] : 256;
			return 0;
		}
		return -1;
	}
	/* extended: 00 then two bytes */
	a->extended = true;
	if (len == 3) {				/* case 2 extended */
		size_t ne = (size_t)b[1] << 8 | b[2];

		a->ne = ne ? ne : 65536;
		return 0;
	}
	if (len < 3)
		return -1;
	{
		size_t nc = (size_t)b[1] << 8 | b[2];

		if (nc == 0)
			return -1;
		if (len == 3 + nc) {
			a->data = b + 3;
			a->nc = nc;
			return 0;
		}
		if (len == 5 + nc) {
			size_t ne = (size_t)b[3 + nc] << 8 | b[4 + nc];

			a->data = b + 3;
			a->nc = nc;
			a->ne = ne ? ne : 65536;
			return 0;
		}
	}
	return -1;
}

/* Interindustry-coded classes (ISO 7816-4 5.4.1; TS 102 221 10.1.1 uses
 * the same coding in its proprietary '8X' and 'CX'/'EX' classes). */
static bool first_coding(uint8_t cla)
{
	/* 000x xxxx, and its proprietary mirror 100x xxxx */
	return (cla & 0x60) == 0x00;
}

static bool further_coding(uint8_t cla)
{
	return (cla & 0x40) == 0x40 && cla != 0xFF;
}

int se_apdu_cla_channel(uint8_t cla)
{
	if (first_coding(cla))
		return cla & 0x03;
	if (further_coding(cla))
		return 4 + (cla & 0x0F);
	return -1;		/* 001x xxxx RFU, 101x xxxx ('A0' GSM) */
}

bool se_apdu_cla_for(uint8_t cla, unsigned int chan, uint8_t *out)
{
	uint8_t prop = cla & 0x80, chain, sm;

	if (chan > SE_APDU_MAX_CHANNEL)
		return false;
	if (first_coding(cla)) {
		chain = cla & 0x10;
		sm = (cla >> 2) & 0x03;	/* 00 none, 01 prop, 10, 11 */
	} else if (further_coding(cla)) {
		chain = cla & 0x10;
		sm = cla & 0x20 ? 0x02 : 0x00;	/* further SM = '10' */
	} else {
		return false;
	}
	if (chan < 4) {
		*out = (uint8_t)(prop | chain | sm << 2 | chan);
		return true;
	}
	if (sm != 0x00 && sm != 0x02)
		return false;	/* the further coding has no such SM */
	*out = (uint8_t)(prop | 0x40 | (sm ? 0x20 : 0) | chain | (chan - 4));
	return *out != 0xFF;	/* 'FF' is no class (ISO 7816-3 PPS) */
}

/* SELECT P1: 00 by FID (no data or 3F00: the MF), 03 parent DF, 04 by
 * DF name; 08/09 by path (from the MF / current DF) leave the applet's
 * own files reachable. */
static enum se_apdu_verdict check_select(const struct se_apdu *a)
{
	if (a->p1 == 0x04)
		return SE_APDU_SELECT_APP;
	if (a->p1 == 0x03)
		return SE_APDU_SELECT_MF;
	if (a->p1 == 0x00 && (a->nc == 0 || (a->nc == 2 &&
					     a->data[0] == 0x3F &&
					     a->data[1] == 0x00)))
		return SE_APDU_SELECT_MF;
	if (a->p1 == 0x08 && a->nc == 0)
		return SE_APDU_SELECT_MF;
	return SE_APDU_OK;
}

enum se_apdu_verdict se_apdu_check(const uint8_t *buf, size_t len,
				   unsigned int chan, struct se_apdu *a)
{
	int named;

	if (se_apdu_parse(buf, len, a))
		return SE_APDU_MALFORMED;
	named = se_apdu_cla_channel(a->cla);
	if (named < 0)
		return SE_APDU_BAD_CLA;
	if (named != 0 && (unsigned int)named != chan)
		return SE_APDU_FOREIGN_CHANNEL;
	if ((a->ins & 0xF0) == 0x60 || (a->ins & 0xF0) == 0x90)
		return SE_APDU_BAD_INS;
	switch (a->ins) {
	case INS_TERMINAL_PROFILE:
	case INS_FETCH:
	case INS_TERMINAL_RESPONSE:
	case INS_ENVELOPE:
		return SE_APDU_TOOLKIT;
	case INS_MANAGE_CHANNEL:
		return SE_APDU_MANAGE_CHANNEL;
	case INS_SELECT: {
		enum se_apdu_verdict v = check_select(a);

		if (v != SE_APDU_OK)
			return v;
		break;
	}
	default:
		break;
	}
	if (chan == 0 || !se_apdu_cla_for(a->cla, chan, &a->cla))
		return chan == 0 ? SE_APDU_FOREIGN_CHANNEL : SE_APDU_BAD_CLA;
	return SE_APDU_OK;
}

const char *se_apdu_verdict_name(enum se_apdu_verdict v)
{
	switch (v) {
	case SE_APDU_OK:
		return "allowed";
	case SE_APDU_MALFORMED:
		return "malformed command APDU";
	case SE_APDU_BAD_CLA:
		return "class byte not allowed";
	case SE_APDU_FOREIGN_CHANNEL:
		return "the class byte names another logical channel";
	case SE_APDU_BAD_INS:
		return "invalid instruction byte";
	case SE_APDU_TOOLKIT:
		return "toolkit command (TERMINAL PROFILE, FETCH, TERMINAL "
		       "RESPONSE, ENVELOPE) refused";
	case SE_APDU_MANAGE_CHANNEL:
		return "MANAGE CHANNEL refused: open and close channels "
		       "through the service";
	case SE_APDU_SELECT_APP:
		return "SELECT by DF name refused: open a channel for that AID";
	case SE_APDU_SELECT_MF:
		return "SELECT of the MF or the parent DF refused";
	}
	return "?";
}
